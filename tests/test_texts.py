"""Every string the engine writes exists in bokmål and nynorsk, and a nynorsk build shows only nynorsk.

The engine's strings are ``TEXTS`` from ``wording/texts.yaml``; Sphinx's and the theme's own strings
come from our catalogues in ``handbook/_locale/<lang>/LC_MESSAGES`` (``forebygging.ext.i18n``).
Page prose and the national data are translated elsewhere (tests/test_nynorsk.py); the HTML
checks here look only for the engine's strings and the theme's.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from forebygging.core import load
from forebygging.core.changes import ReviewFlag
from forebygging.core.models import ServiceKind
from forebygging.core.trace import RULES, GapKind, is_collaboration
from forebygging.wording import ENTRIES, TEXTS, lookup, nb_hash, stale

from .conftest import BUILT_HERE, DATA, ROOT, build

LANGUAGES = ("nb", "nn")
NN_PLAN = "vest-telemark"
NB_PLAN = "sor-aurdal"
MIN_FRAGMENT = 12  # shorter pieces of a bokmål text ("Tiltak", "Status") say nothing about the language
CODE = [ROOT / "extensions", ROOT / "widgets"]
# self.t("key"), text(env, "key"), tr(lang, "key"), lookup(lang, "key"), _t("key"), texts["key"]
KEY_USE = re.compile(r"""(?:\bt|\btext|\btr|\blookup|\b_t)\((?:[^()"']*?,\s*)?["']([a-z_]+\.[\w.\-]+)["']""")


def placeholders(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


# --------------------------------------------------------------------------- the table itself (no build)


def test_every_engine_string_has_bokmaal_and_nynorsk_with_the_same_placeholders() -> None:
    """Names every key that lacks a text in nb or nn, has an empty one, or whose placeholders differ."""
    assert set(TEXTS) == set(LANGUAGES)
    keys = sorted(set(TEXTS["nb"]) | set(TEXTS["nn"]))
    problems = []
    for key in keys:
        missing = [lang for lang in LANGUAGES if not TEXTS[lang].get(key, "").strip()]
        if missing:
            problems.append(f"{key}: no {' and no '.join(missing)} text")
        elif placeholders(TEXTS["nb"][key]) != placeholders(TEXTS["nn"][key]):
            problems.append(
                f"{key}: placeholders differ: nb {placeholders(TEXTS['nb'][key])}, nn {placeholders(TEXTS['nn'][key])}"
            )
    assert not problems, f"{len(problems)} engine string(s) incomplete:\n" + "\n".join(problems)
    assert len(keys) > 300  # the check sees the whole table


def test_placeholder_check_fails_on_a_bad_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is not vacuous: a missing nn text and a renamed placeholder are both caught."""
    monkeypatch.setitem(TEXTS, "nn", {**TEXTS["nn"], "measure.count": "{antal} tiltak"})
    monkeypatch.delitem(TEXTS["nn"], "plan.case")
    with pytest.raises(AssertionError) as info:
        test_every_engine_string_has_bokmaal_and_nynorsk_with_the_same_placeholders()
    assert "measure.count: placeholders differ" in str(info.value)
    assert "plan.case: no nn text" in str(info.value)


def test_no_nynorsk_text_is_older_than_its_bokmaal() -> None:
    """Every nn was written from the current nb (its nn_from is the nb's hash), as a gettext message is not fuzzy."""
    outdated = [f"{e.key}: nn_from {e.nn_from or '(none)'}, the nb's hash is {e.current}" for e in stale()]
    assert not outdated, "nynorsk to check against the changed bokmål (make translations lists them):\n" + "\n".join(
        outdated
    )


def test_a_changed_bokmaal_text_makes_its_nynorsk_stale() -> None:
    entries = {key: dict(entry) for key, entry in ENTRIES.items()}
    assert stale(entries) == []
    entries["plan.case"]["nb"] = "saksnr. {case}"
    entries["measure.count"].pop("nn_from")
    assert sorted(e.key for e in stale(entries)) == ["measure.count", "plan.case"]
    entries["plan.case"]["nn_from"] = nb_hash("saksnr. {case}")
    assert [e.key for e in stale(entries)] == ["measure.count"]


def test_every_key_the_code_asks_for_exists() -> None:
    """Literal keys in the code, and the keys built from enums and registries, are all in the table."""
    used: dict[str, str] = {}
    templates = sorted((ROOT / "widgets" / "templates").glob("*.html"))  # t("key") in the widget templates
    for path in [*(p for root in CODE for p in sorted(root.rglob("*.py"))), *templates]:
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    assert len(used) > 100
    assert any(where.endswith(".html") for where in used.values())
    built = (
        [f"gap.{k.value}" for k in GapKind]
        + [f"gap.kind.{k.value}" for k in GapKind]
        + [f"service.kind.{k.value}" for k in ServiceKind]
        + [f"trace.rule.{r.id}.{part}" for r in RULES for part in ("title", "text")]
    )
    used.update({key: "(built from an enum or registry)" for key in built})
    missing = [f"{key} (in {where})" for key, where in sorted(used.items()) if key not in TEXTS["nb"]]
    assert not missing, "keys used but not in wording/texts.yaml:\n" + "\n".join(missing)


def test_lookup_picks_the_language_and_falls_back_to_bokmaal() -> None:
    assert lookup("nn", "measure.status.none") == "Ikkje oppgitt i planen"
    assert lookup("nb", "measure.status.none") == "Ikke oppgitt i planen"
    assert lookup("en", "measure.count", n=3) == "3 tiltak"  # no such table: bokmål
    assert lookup(None, "plan.case", case="24/1") == "saksnummer 24/1"


def test_change_report_causes_have_texts() -> None:
    """The change report stores a cause key (core has no language); every cause it uses has texts."""
    source = (ROOT / "extensions/forebygging/core/changes.py").read_text(encoding="utf-8")
    causes = set(re.findall(r'flag\("(?:measure|service)", [^,]+, "(\w+)"', source))
    assert causes == {"service_changed", "measure_removed", "parent_removed", "duty_changed", "measure_moved"}
    for cause in causes:
        for lang in LANGUAGES:
            assert TEXTS[lang][f"changes.because.{cause}"]
    assert "because" in ReviewFlag.__dataclass_fields__


# --------------------------------------------------------------------------- collaboration words in nynorsk


@pytest.mark.parametrize(
    ("name", "description", "expected"),
    [
        ("Tverrfagleg samarbeid om overgangar", "Barnehage og skule møtest.", True),
        ("Møte", "Tilsette i skulen har tverrfagleg samarbeid med helsestasjonen.", True),
        ("Ansvarsgruppe", "For barn som treng samordna tenester.", True),
        ("Foreldrerettleiing", "Kurs for føresette.", False),
        ("Tverrfagleg kompetanse", "Kurs for tilsette.", False),  # tverrfagleg alone is no collaboration
        ("Tverrfaglig samarbeid", "Bokmål as before.", True),
    ],
)
def test_collaboration_words_in_nynorsk(name: str, description: str, expected: bool) -> None:
    measure = load(DATA, NN_PLAN).municipality.measures[0]
    measure = measure.model_copy(update={"name": name, "description": description, "collaboration": None})
    assert is_collaboration(measure) is expected


# --------------------------------------------------------------------------- a real nynorsk build


@pytest.fixture(scope="module")
def nn_site(plan_site) -> Path:
    return plan_site(NN_PLAN)


def _pages(site: Path) -> list[Path]:
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 20
    return pages


def visible_text(html: str) -> str:
    """What a reader sees or hears: the text (also of <template>s the scripts show) and the named attributes."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style"]):
        element.decompose()
    parts = [" ".join(soup.get_text(" ").split())]
    for element in soup.find_all(True):
        parts += [element[a] for a in ("title", "aria-label", "alt", "placeholder") if element.get(a)]
    return "\n".join(parts)


def bokmaal_fragments() -> dict[str, list[str]]:
    """Key -> the fixed parts of its bokmål text that a nynorsk page must not show."""
    fragments: dict[str, list[str]] = {}
    for key, nb in TEXTS["nb"].items():
        nn = TEXTS["nn"].get(key, "")
        if nb == nn:
            continue
        pieces = [p.strip(" .,:;()«»–-") for p in re.split(r"\{[^{}]*\}", nb)]
        kept = [p for p in pieces if len(p) >= MIN_FRAGMENT and p not in nn]
        if kept:
            fragments[key] = kept
    return fragments


def bokmaal_on_pages(site: Path) -> list[str]:
    """``page: key: «fragment»`` for every bokmål engine string shown on the site's pages."""
    fragments = bokmaal_fragments()
    assert len(fragments) > 150
    found = []
    for page in _pages(site):
        seen = visible_text(page.read_text(encoding="utf-8"))
        for key, pieces in fragments.items():
            found += [f"{page.relative_to(site)}: {key}: «{p}»" for p in pieces if p in seen]
    return found


def test_nynorsk_build_shows_no_bokmaal_engine_string(nn_site: Path) -> None:
    found = bokmaal_on_pages(nn_site)
    assert not found, "bokmål engine strings on nynorsk pages:\n" + "\n".join(found)


def test_nynorsk_build_is_nynorsk_in_the_theme_too(nn_site: Path) -> None:
    """The language tag, and the theme's and Sphinx's strings from handbook/_locale/nn."""
    for page in _pages(nn_site):  # also sphinx-needs' permalink.html; the scripts' strings too
        html = page.read_text(encoding="utf-8")
        assert '<html lang="nn"' in html, page.name
        for english in ["Click to show", "Click to hide", "Please Wait", 'aria-label="Page"', "Search the docs"]:
            assert english not in html, f"{page.name}: {english}"
    assert "toggleHintShow = 'Klikk for å vise'" in (nn_site / "tiltak.html").read_text(encoding="utf-8")
    assert "<h1>Finn sida …</h1>" in (nn_site / "permalink.html").read_text(encoding="utf-8")
    index = (nn_site / "index.html").read_text(encoding="utf-8")
    seen = visible_text(index)
    for nynorsk in ["Gå til hovudinnhaldet", "Søk i handboka …", "Hovudmeny", "Er du bekymra for eit barn?"]:
        assert nynorsk in seen, nynorsk
    for english in ["Skip to main content", "Search...", "Back to top", "On this page", "Color mode"]:
        assert english not in seen, english
    assert "<title>Førebyggingshandboka" in index
    tiltak = (nn_site / "tiltak.html").read_text(encoding="utf-8")
    assert 'aria-label="Innhald på sida"' in tiltak and 'aria-label="Page"' not in tiltak  # print-only contents
    assert "førre side" in visible_text(tiltak) or "neste side" in visible_text(tiltak)
    search = (nn_site / "search.html").read_text(encoding="utf-8")
    assert "Slå på JavaScript i nettlesaren for å bruke søket." in search
    js = (nn_site / "_static" / "translations.js").read_text(encoding="utf-8")
    assert '"Searching": "Søkjer"' in js and "Søket er ferdig: ${resultCount} treff." in js


def test_a_bokmaal_build_after_a_nynorsk_one_is_bokmaal(
    nn_site: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sphinx's translations are loaded per build for the plan's language, not kept from the last build."""
    if NN_PLAN not in BUILT_HERE:  # nn_site came from another pytest-xdist worker: build nynorsk here first
        assert build(tmp_path_factory.mktemp("nn-first"), DATA, NN_PLAN) == 0
    assert build(tmp_path, DATA, NB_PLAN) == 0
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    seen = visible_text(index)
    assert '<html lang="nb"' in index
    assert "Gå til hovedinnholdet" in seen and "Søk i håndboka …" in seen
    assert "hovudinnhaldet" not in seen and "handboka" not in seen
    assert '<html lang="nb"' in (tmp_path / "html" / "permalink.html").read_text(encoding="utf-8")
    js = (tmp_path / "html" / "_static" / "translations.js").read_text(encoding="utf-8")
    assert '"Searching": "Søker"' in js and '": ""' not in js  # Sphinx's own nb file leaves some empty
    # The check of the nynorsk build finds bokmål where there is some: here, on many pages.
    found = bokmaal_on_pages(tmp_path / "html")
    assert len({line.split(":")[1] for line in found}) > 40
