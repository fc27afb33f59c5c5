"""The preview after an edit: only pages that read what changed are read again, the report PDF
is printed again only when its inputs changed, and the result equals a clean build.

Builds: Sør-Aurdal clean, then three edits in a row (a measure's description, the name of a
service shown on many pages, a measure deleted), each built incrementally and compared
file by file with a clean build of the same data; Hemsedal once with a description edit.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from forebygging.core import load
from forebygging.ext.reads import RECORDER, changed_reads, note_value, recording
from forebygging.outputs import report

from .conftest import DATA, DEFAULT, build
from .trees import differences

# --------------------------------------------------------------------------- recorded reads (no build)


def _edited(tmp_path: Path, old: str, new: str, name: str = "measures.yaml") -> Path:
    data = tmp_path / "_data"
    shutil.copytree(DATA, data)
    path = data / DEFAULT / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


def _no_named(name: str) -> object:
    raise KeyError(name)


def test_a_read_field_that_changed_is_found_and_an_unread_one_is_not(tmp_path: Path) -> None:
    before = load(DATA, DEFAULT)
    with recording(before) as reads:
        first = before.municipality.measures[0]
        _ = [m.name for m in before.municipality.measures]
    assert (f"municipality.measures[{first.id}]", "name") in reads
    assert (f"municipality.measures[{first.id}]", "description") not in reads
    # One more sentence in the first measure's description: not read, so nothing changed.
    old = "Gravide oppfordres til å ta kontakt tidlig."
    after = load(_edited(tmp_path, old, old + " Endret."), DEFAULT)
    assert after.measures[first.id].description != first.description
    assert changed_reads(reads, after, _no_named) == []
    # The same edit is found by a page that showed the description.
    with recording(before) as shown:
        _ = before.municipality.measures[0].description
    assert changed_reads(shown, after, _no_named) == [f"municipality.measures[{first.id}].description"]


def test_membership_whole_items_and_named_values_are_dependencies(tmp_path: Path) -> None:
    before = load(DATA, DEFAULT)
    last = before.municipality.measures[-1]
    with recording(before) as listed:
        _ = len(before.municipality.measures)  # reading the list: which measures, in which order
    with recording(before) as dumped:
        _ = before.municipality.measures[1].model_dump()  # everything at once
    assert ("municipality.measures[" + before.municipality.measures[1].id + "]", "*") in dumped
    text = (DATA / DEFAULT / "measures.yaml").read_text(encoding="utf-8")
    start = text.index(f"- id: {last.id}")
    removed = tmp_path / "removed"
    shutil.copytree(DATA, removed)
    (removed / DEFAULT / "measures.yaml").write_text(text[:start], encoding="utf-8")
    after = load(removed, DEFAULT)
    assert changed_reads(listed, after, _no_named) == ["municipality.measures"]
    second = before.municipality.measures[1]
    edited = load(_edited(tmp_path / "x", f"name: {second.name}\n", f"name: {second.name} B\n"), DEFAULT)
    assert changed_reads(dumped, edited, _no_named) == [f"municipality.measures[{second.id}].*"]
    # A named value (the trace, the plan's date) is compared with its value now.
    reads = {("=trace", ""): "x"}
    assert changed_reads(reads, before, lambda name: {"a": 1}) == ["=trace"]
    assert changed_reads(reads, before, _no_named) == ["=trace"]  # a name no longer known: changed


def test_checking_reads_is_no_read_and_each_data_object_is_fingerprinted_anew(tmp_path: Path) -> None:
    before = load(DATA, DEFAULT)
    first = before.municipality.measures[0]
    key = f"municipality.measures[{first.id}]"
    with recording(before) as shown:
        _ = first.description
    # A check inside a page's recording reads the description, not as that page's read, and the
    # page goes on recording afterwards.
    with recording(before) as page:
        assert changed_reads(shown, before, _no_named) == []
        _ = first.name
    assert set(page) == {(key, "name")}
    # The fingerprints kept for one data object never answer for another one.
    old = "Gravide oppfordres til å ta kontakt tidlig."
    after = load(_edited(tmp_path, old, old + " Endret."), DEFAULT)
    assert changed_reads(shown, after, _no_named) == [f"{key}.description"]
    assert changed_reads(shown, before, _no_named) == []
    # A named value is fingerprinted by the object given now: another object with other content differs.
    trace = {"a": 1}
    with recording(before) as named:
        note_value("trace", trace)
    assert changed_reads(named, before, lambda name: trace) == []
    assert changed_reads(named, before, lambda name: {"a": 2}) == ["=trace"]
    assert changed_reads(named, before, lambda name: {"a": 1}) == []  # a new object, the same content

    # A check that fails leaves recording as it was.
    def broken(name: str) -> object:
        raise RuntimeError(name)

    with recording(before), pytest.raises(RuntimeError):
        try:
            changed_reads(named, before, broken)
        finally:
            assert RECORDER.active
    assert not RECORDER.active


# --------------------------------------------------------------------------- the report PDF cache (no build)


def _report_dir(root: Path, article: str, chart: bytes = b"<svg/>") -> Path:
    (root / "_charts").mkdir(parents=True, exist_ok=True)
    (root / "_charts" / "a.svg").write_bytes(chart)
    page = f'<html><body><article class="bd-article">{article}<img src="_charts/a.svg" alt="a"></article></body></html>'
    (root / report.REPORT_PAGE).write_text(page, encoding="utf-8")
    return root


def test_report_pdf_is_printed_only_when_its_inputs_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prints: list[str] = []

    def fake_print(html_dir: Path, target: Path, **texts: str) -> Path:
        prints.append(texts["header"])
        target.write_bytes(f"%PDF {len(prints)} {texts['header']}".encode())
        return target

    monkeypatch.setattr(report, "render_pdf", fake_print)
    cache = tmp_path / "cache"
    texts = {"header": "Sør-Aurdal 2026.1", "page_label": "Side {page} av {pages}", "title": "Rapport", "lang": "nb"}

    def make(site: str, **change: str) -> tuple[bool, bytes]:
        html_dir = tmp_path / site
        target = html_dir / "rapport.pdf"
        printed = report.print_cached(html_dir, target, cache, **{**texts, **change})
        return printed, target.read_bytes()

    _report_dir(tmp_path / "v1", "<h1>Rapport</h1>")
    assert make("v1") == (True, b"%PDF 1 S\xc3\xb8r-Aurdal 2026.1")
    _report_dir(tmp_path / "v2", "<h1>Rapport</h1>")  # the next build: same inputs
    assert make("v2") == (False, b"%PDF 1 S\xc3\xb8r-Aurdal 2026.1")
    assert len(prints) == 1
    assert make("v2", header="Sør-Aurdal 2026.2")[0] is True  # the header
    _report_dir(tmp_path / "v3", "<h1>Rapport</h1>", chart=b"<svg>2</svg>")
    assert make("v3", header="Sør-Aurdal 2026.2")[0] is True  # a chart
    _report_dir(tmp_path / "v4", "<h1>Rapport</h1><p>Ny</p>", chart=b"<svg>2</svg>")
    assert make("v4", header="Sør-Aurdal 2026.2")[0] is True  # the article
    assert make("v4", header="Sør-Aurdal 2026.2") == (False, b"%PDF 4 S\xc3\xb8r-Aurdal 2026.2")
    assert len(prints) == 4 and len(list(cache.glob("*.pdf"))) == 1  # only the last print is kept
    (tmp_path / "v5").mkdir()
    with pytest.raises(FileNotFoundError):  # no report page: an error, not an old PDF
        make("v5")


# --------------------------------------------------------------------------- real builds


@dataclass
class Step:
    differences: list[str]
    reread: set[str]  # pages whose doctree was written again (read again)
    written: set[str]  # HTML pages written by this build (the others were taken over, with their times)
    log: str
    charts_drawn: int  # when the report's charts were last drawn (their record's modification time)


@dataclass
class Previews:
    steps: dict[str, Step] = field(default_factory=dict)


def _doctree_times(out: Path) -> dict[str, int]:
    root = out / "doctrees" / "html"
    return {str(p.relative_to(root).with_suffix("")): p.stat().st_mtime_ns for p in root.rglob("*.doctree")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def previews(tmp_path_factory: pytest.TempPathFactory) -> Previews:
    root = tmp_path_factory.mktemp("previews")
    data = root / "_data"
    shutil.copytree(DATA, data)
    result = Previews()

    def step(name: str, slug: str, edit: tuple[Path, str, str] | None) -> None:
        out = root / f"incremental-{slug}"
        if edit is not None:
            _edit(*edit)
        before = _doctree_times(out) if out.exists() else {}
        started = time.time_ns()
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            assert build(out, data, slug) == 0
        after = _doctree_times(out)
        reread = {doc for doc, t in after.items() if before.get(doc) != t}
        site = out / "html"
        written = {str(p.relative_to(site)) for p in site.rglob("*.html") if p.stat().st_mtime_ns >= started}
        clean = root / f"clean-{name}"
        assert build(clean, data, slug) == 0
        result.steps[name] = Step(
            differences(site, clean / "html", "the incremental build", "the clean build"),
            reread,
            written,
            log.getvalue(),
            (out / "doctrees" / "html" / "forebygging-charts" / "charts.json").stat().st_mtime_ns,
        )
        shutil.rmtree(clean)

    measures = data / DEFAULT / "measures.yaml"
    step("first", DEFAULT, None)
    step("description", DEFAULT, (measures, "ta kontakt tidlig.", "ta kontakt tidlig. Tilbudet er endret."))
    services = data / DEFAULT / "services.yaml"
    old_service = "  name: Helsestasjon og skolehelsetjeneste\n"
    step("service", DEFAULT, (services, old_service, "  name: Helsestasjonen og skolehelsetjenesten\n"))
    # Who is responsible moves a measure between services: the directory must follow.
    step(
        "responsible",
        DEFAULT,
        (measures, "    - jordmortjeneste\n    - fastlege\n", "    - jordmortjeneste\n    - helsesykepleier\n"),
    )
    text = measures.read_text(encoding="utf-8")
    last = text.rindex("\n- id: ")
    step("deleted", DEFAULT, (measures, text[last:], "\n"))
    step("hemsedal-first", "hemsedal", None)
    hemsedal = data / "hemsedal" / "measures.yaml"
    step("hemsedal", "hemsedal", (hemsedal, "Samtale med gravide", "Samtale (endret) med gravide"))
    return result


@pytest.mark.parametrize("name", ["description", "service", "responsible", "deleted", "hemsedal"])
def test_preview_after_an_edit_equals_a_clean_build(previews: Previews, name: str) -> None:
    assert previews.steps[name].differences == []


def test_a_description_edit_reads_only_the_pages_that_show_it(previews: Previews) -> None:
    reread = previews.steps["description"].reread
    assert "tiltak" in reread  # the catalogue shows every description
    assert "index" not in reread and "tjenester" not in reread
    assert not any(doc.startswith("plikter/") for doc in reread)  # the duty pages show no descriptions
    assert len(reread) <= 3, reread
    # Written: the pages read again, the pages Sphinx makes (index, search), the glossary (its
    # index entries), and pages whose writing read the description.
    written = {page for page in previews.steps["description"].written if not page.startswith("_static/")}
    assert "tiltak.html" in written and "tjenester.html" not in written
    assert not any(page.startswith("plikter/") for page in written)
    # Not the pages whose table of contents lists a page read again (Sphinx's own rule): the
    # start page lists the catalogue, but no title changed.
    assert "index.html" not in written and "ordliste.html" in written
    # Nor the page written last: what the exports read after it is not that page's reads.
    assert len(written) <= 8, sorted(written)
    assert len(previews.steps["first"].written) > 40  # the first build writes every page
    # A service name is on many pages (catalogue, directory, trace): all of them are read again.
    assert {"tiltak", "tjenester"} <= previews.steps["service"].reread
    assert len(previews.steps["service"].reread) > len(reread)
    # The directory lists each service's measures: moving one is read again there.
    assert "tjenester" in previews.steps["responsible"].reread


def test_report_charts_drawn_again_only_when_what_they_show_changed(previews: Previews) -> None:
    steps = previews.steps
    assert steps["description"].charts_drawn == steps["first"].charts_drawn  # copied, not drawn
    assert steps["deleted"].charts_drawn > steps["responsible"].charts_drawn  # one measure fewer per level


def test_report_pdf_reused_unless_its_inputs_changed(previews: Previews) -> None:
    assert "Report PDF: printed" in previews.steps["first"].log
    # The report shows no measure description: the PDF of the build before is reused.
    assert "Report PDF: reused" in previews.steps["description"].log
    # Deleting a measure changes the report's figures: printed again.
    assert "Report PDF: printed" in previews.steps["deleted"].log
