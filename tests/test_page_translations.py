"""The handbook pages in nynorsk, through Sphinx's own gettext.

The bokmål pages in ``handbook/`` are the source; ``handbook/_locale/nn/LC_MESSAGES/<page>.po``
holds each page's nynorsk. The messages are extracted once per run with Sphinx's gettext
builder on the real pages, with the data of the nynorsk plan (Vest-Telemark) and every
optional page included. Any page or message without nynorsk fails, and so does a message in
a catalogue that the page no longer has: a changed bokmål sentence makes the translator
update the nynorsk. A real nynorsk build shows the translation; a bokmål build does not.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from forebygging.cli.page_catalogues import ENGINE_DOMAINS, extract, update
from forebygging.cli.page_catalogues import read_catalogue as _read

from .conftest import DATA, ROOT

pytestmark = pytest.mark.slow

NN_PLAN = "vest-telemark"
HANDBOOK = ROOT / "handbook"
CATALOGUES = HANDBOOK / "_locale" / "nn" / "LC_MESSAGES"

# A sentence of the bokmål page bekymret.md and its nynorsk translation.
NB_SENTENCE = "Du trenger ikke være sikker for å ta bekymringen på alvor."
NN_SENTENCE = "Du treng ikkje vere sikker for å ta bekymringa på alvor."


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Page docname -> its messages, from one run of Sphinx's gettext builder on the real pages."""
    return extract(tmp_path_factory.mktemp("gettext"), DATA, NN_PLAN)


@pytest.fixture(scope="session")
def nn_site(plan_site) -> Path:
    return plan_site(NN_PLAN)


def _text(page: Path) -> str:
    """The visible text of a built page, whitespace collapsed."""
    raw = page.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


def test_every_page_is_extracted(extracted: dict[str, list[str]]) -> None:
    pages = {p.stem for p in HANDBOOK.glob("*.md")}
    assert pages <= set(extracted), f"pages the gettext builder did not see: {sorted(pages - set(extracted))}"
    assert "ny-ansatt" in extracted and len(extracted["ny-ansatt"]) > 20


def test_every_message_of_every_page_has_nynorsk(extracted: dict[str, list[str]]) -> None:
    """Names every page without a catalogue, and every message without a finished nynorsk text."""
    problems: list[str] = []
    for page, messages in sorted(extracted.items()):
        po = CATALOGUES / f"{page}.po"
        if not po.is_file():
            if messages:
                problems.append(f"{page}: no catalogue {po.relative_to(ROOT)} ({len(messages)} messages)")
            continue
        catalogue = _read(po)
        for msgid in messages:
            entry = catalogue.get(msgid)
            if entry is None:
                problems.append(f"{page}: no nynorsk for: {msgid!r}")
            elif not entry.string or not str(entry.string).strip():
                problems.append(f"{page}: empty msgstr for: {msgid!r}")
            elif entry.fuzzy:
                problems.append(f"{page}: fuzzy (not checked) translation of: {msgid!r}")
    assert not problems, "page text without nynorsk:\n" + "\n".join(problems)


def test_no_catalogue_keeps_a_message_the_page_no_longer_has(extracted: dict[str, list[str]]) -> None:
    """A changed bokmål sentence leaves its old msgid behind: the translation must be updated."""
    problems: list[str] = []
    for po in sorted(CATALOGUES.glob("*.po")):
        page = po.stem
        if page in ENGINE_DOMAINS:
            continue
        current = set(extracted.get(page, []))
        if page not in extracted:
            problems.append(f"{page}: catalogue for a page that does not exist")
            continue
        for entry in _read(po):
            if entry.id and entry.id not in current:
                problems.append(f"{page}: stale msgid (no longer on the page): {entry.id!r}")
    assert not problems, "nynorsk catalogues out of date:\n" + "\n".join(problems)


def test_only_the_pages_own_text_is_extracted(extracted: dict[str, list[str]]) -> None:
    """Plan data rendered by directives is already in the plan's language and is never a message."""
    leaked: list[str] = []
    for page, messages in extracted.items():
        source = HANDBOOK / f"{page}.md"
        if not source.is_file():
            continue
        text = re.sub(r"\s+", " ", source.read_text(encoding="utf-8"))
        leaked += [f"{page}: {m!r}" for m in messages if re.sub(r"\s+", " ", m) not in text]
    assert not leaked, "messages that are not in the page's source (generated content?):\n" + "\n".join(leaked)
    # The Vest-Telemark collaboration model (data) is on the page, but not in its catalogue.
    assert not any("uro" in m for m in extracted["samhandlingsmodell"])


def test_nynorsk_build_shows_the_translation(nn_site: Path) -> None:
    text = _text(nn_site / "bekymret.html")
    assert NN_SENTENCE in text
    assert NB_SENTENCE not in text
    # A toctree caption of index.md and an exercise link text (a directive option) are translated too.
    assert "Innhald" in _text(nn_site / "index.html")
    assert "Gå gjennom vegvisaren «Kva gjer eg no?»" in _text(nn_site / "ny-ansatt.html")


def test_every_translated_sentence_is_applied(nn_site: Path) -> None:
    """A msgstr that does not parse as the same kind of node (say "2. ..." as a list) is silently
    skipped by Sphinx: every plain sentence's nynorsk must be on the built page, its bokmål not."""
    problems: list[str] = []
    for po in sorted(CATALOGUES.glob("*.po")):
        page = nn_site / f"{po.stem}.html"
        if po.stem in ENGINE_DOMAINS or not page.is_file():
            continue  # an optional page this plan does not have
        text = _text(page)
        for entry in _read(po):
            plain = entry.id and not re.search(r"[`*{}\[\]<>&\\_|]", entry.id + str(entry.string))
            if not plain or entry.string == entry.id:
                continue
            if entry.string not in text:
                problems.append(f"{po.stem}: not shown: {entry.string!r}")
            if len(entry.id) > 40 and entry.id in text:
                problems.append(f"{po.stem}: bokmål still shown: {entry.id!r}")
    assert not problems, "\n".join(problems)


def test_bokmaal_build_is_not_translated(nn_site: Path, built_site: Path) -> None:
    """Built after a nynorsk build in the same process: no nynorsk leaks into a bokmål handbook."""
    text = _text(built_site / "bekymret.html")
    assert NB_SENTENCE in text
    assert NN_SENTENCE not in text


def test_update_keeps_translations_and_flags_what_changed(tmp_path: Path) -> None:
    """The maintenance command: a changed sentence keeps its old nynorsk as fuzzy, a new one is
    added empty, a removed one is dropped, and all of it is reported."""
    po = tmp_path / "nn" / "LC_MESSAGES" / "side.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Planen gjelder alle som jobber med barn."\nmsgstr "Planen gjeld alle som arbeider med barn."\n\n'
        'msgid "Overskrift"\nmsgstr "Overskrift"\n\n'
        'msgid "Borte."\nmsgstr "Vekke."\n',
        encoding="utf-8",
    )
    todo = update(
        {"side": ["Overskrift", "Planen gjelder alle som jobber med barn og unge.", "Ny setning."]}, "nn", tmp_path
    )
    catalogue = _read(po)
    changed = catalogue.get("Planen gjelder alle som jobber med barn og unge.")
    assert changed is not None and changed.fuzzy and changed.string == "Planen gjeld alle som arbeider med barn."
    assert catalogue.get("Ny setning.").string == ""
    assert catalogue.get("Borte.") is None and "Borte." not in po.read_text(encoding="utf-8")
    assert catalogue.get("Overskrift").string == "Overskrift" and not catalogue.get("Overskrift").fuzzy
    assert todo == [
        "side: fuzzy: Planen gjelder alle som jobber med barn og unge.",
        "side: untranslated: Ny setning.",
    ]
