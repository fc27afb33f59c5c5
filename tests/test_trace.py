"""Traceability: the rules, the gaps, needs.json, the pages, the report PDF and the exports.

The trace is computed once (core/trace.py); these tests check that every output says the same.
The gap fixture municipality (tests/fixtures/mangelby) has one gap of every kind; it is
built once for this module, through ``make report``'s command, which also prints the PDF.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from forebygging.cli.main import main as cli_main
from forebygging.core import load
from forebygging.core.models import DutyKind
from forebygging.core.trace import (
    PLAN_SOURCE,
    REQUIREMENT_CHAPTERS,
    RULES,
    GapKind,
    compute,
    handbook_docs,
    need_id,
)
from forebygging.outputs.exports import file_stem
from forebygging.outputs.report import pdf_name
from forebygging.wording import TEXTS
from forebygging.wording.trace import gap_line

from .conftest import DATA, DEFAULT, ROOT

HANDBOOK = ROOT / "handbook"
FIXTURE = ROOT / "tests" / "fixtures" / "mangelby"
GAPPY = "mangelby"


def _data_with_fixture(root: Path) -> Path:
    """A complete data directory: the national data and the gap fixture municipality."""
    shutil.copytree(DATA / "national", root / "national")
    shutil.copytree(FIXTURE, root / GAPPY)
    return root


@pytest.fixture(scope="module")
def sor():
    return load(DATA, DEFAULT)


@pytest.fixture(scope="module")
def sor_trace(sor):
    return compute(sor, handbook_docs(HANDBOOK))


@pytest.fixture(scope="module")
def gap_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _data_with_fixture(tmp_path_factory.mktemp("gapdata"))


@pytest.fixture(scope="module")
def gappy(gap_dir: Path):
    return load(gap_dir, GAPPY)


@pytest.fixture(scope="module")
def gap_trace(gappy):
    return compute(gappy, handbook_docs(HANDBOOK))


# --------------------------------------------------------------------------- rules (no build)


def test_rules_are_registered_with_their_text() -> None:
    assert [r.id for r in RULES] == ["R1", "R2", "R3"]
    for r in RULES:  # readers see each rule's text from wording/texts.yaml, in the plan's language
        for lang in ("nb", "nn"):
            assert len(TEXTS[lang].get(f"trace.rule.{r.id}.text", "")) > 80, f"rule {r.id} needs its {lang} text"
            assert TEXTS[lang].get(f"trace.rule.{r.id}.title"), f"rule {r.id} needs its {lang} title"
    assert next(r for r in RULES if r.id == "R1").applies_with_override


def test_every_measure_fulfils_15_1_and_collaboration_measures_their_samarbeidsplikt(sor, sor_trace) -> None:
    for m in sor.municipality.measures:
        assert "bvl-15-1" in {f.duty for f in sor_trace.duties_of(m.id)}
    assert "tverrfaglig-innsatsteam" in sor_trace.collaboration
    duties = {f.duty: f.source for f in sor_trace.duties_of("tverrfaglig-innsatsteam")}
    # barnevern is responsible and bound by bvl § 15-8; ppt by opplæringslova § 24-1.
    assert duties["bvl-15-8"] == "R2" and duties["oppl-24-1"] == "R2"
    assert {f.duty for f in sor_trace.duties_of("individuell-plan")} >= {"fip"}


def test_the_plan_overrides_the_rules(gap_trace) -> None:
    # "Informasjon om innsatsteamet" names the innsatsteam but says collaboration: false, and lists its duty.
    assert "innsatsteam-informasjon" not in gap_trace.collaboration
    sources = {f.duty: f.source for f in gap_trace.duties_of("innsatsteam-informasjon")}
    assert sources == {"hol-7-2-a": PLAN_SOURCE, "bvl-15-1": "R1"}
    assert {f.duty: f.source for f in gap_trace.duties_of("ansvarsgruppe")} == {
        "bvl-15-1": "R1",
        "hol-3-4": "R2",
        "oppl-24-1": "R2",
    }


EXPECTED_GAPS = {
    GapKind.DUTY_WITHOUT_MEASURE: "navl-15-a",
    GapKind.SERVICE_WITHOUT_COLLABORATION: "nav",
    GapKind.MEASURE_WITHOUT_SERVICE: "apen-hall",
    GapKind.SERVICE_WITHOUT_MEASURE: "bibliotek",
    GapKind.FACTOR_LEVEL_EMPTY: "en-venn",
    GapKind.REQUIREMENT_WITHOUT_CHAPTER: "vedtak",
    GapKind.MEASURE_DUE_FOR_REVIEW: "apen-hall",
}


# A plan without any measures cannot also have the measure gaps; tests/test_plan_layouts.py covers it.
# Mangelby links one factor, so it has empty factor cells; Sør-Aurdal links none (test_findings.py).
@pytest.mark.parametrize(
    "kind",
    [k for k in GapKind if k not in (GapKind.PLAN_WITHOUT_MEASURES, GapKind.FACTORS_UNLINKED)],
    ids=lambda k: k.value,
)
def test_fixture_municipality_has_each_gap_kind(gap_trace, kind: GapKind) -> None:
    assert EXPECTED_GAPS[kind] in {g.subject for g in gap_trace.gaps_of(kind)}


def test_gaps_are_only_where_the_data_has_holes(gap_trace) -> None:
    assert "skole" not in {g.subject for g in gap_trace.gaps_of(GapKind.SERVICE_WITHOUT_COLLABORATION)}
    filled = ("god-foreldreomsorg", "universell")
    assert filled not in {(g.subject, g.level) for g in gap_trace.gaps_of(GapKind.FACTOR_LEVEL_EMPTY)}
    assert len(gap_trace.gaps_of(GapKind.FACTOR_LEVEL_EMPTY)) == 15 * 3 - 1
    assert "helsestasjonsprogram" not in {g.subject for g in gap_trace.gaps_of(GapKind.MEASURE_DUE_FOR_REVIEW)}


def test_requirement_without_a_page_is_a_gap(gappy) -> None:
    docs = handbook_docs(HANDBOOK) - {"tjenester"}
    trace = compute(gappy, docs)
    req = next(r for r in trace.requirements if r.id == "organisering")
    assert not req.page_exists
    assert "organisering" in {g.subject for g in trace.gaps_of(GapKind.REQUIREMENT_WITHOUT_CHAPTER)}


def test_every_requirement_of_15_1_has_a_page_in_the_handbook(sor) -> None:
    requirements = {r.id for d in sor.national.duties for r in d.requirements}
    assert requirements == set(REQUIREMENT_CHAPTERS)
    docs = handbook_docs(HANDBOOK)
    missing = {rid: a.doc for rid, a in REQUIREMENT_CHAPTERS.items() if a.doc not in docs}
    assert not missing, f"REQUIREMENT_CHAPTERS names pages that do not exist: {missing}"


def test_check_prints_the_gaps_and_strict_fails(gap_dir: Path, gappy, gap_trace, capsys) -> None:
    assert cli_main(["--data", str(gap_dir), "check", "--kommune", GAPPY]) == 0
    out = capsys.readouterr().out
    for gap in gap_trace.gaps:
        assert gap_line(gappy, gap_trace, gap, "nb") in out
    assert cli_main(["--data", str(gap_dir), "check", "--kommune", GAPPY, "--strict"]) == 1
    assert "STRICT: 55 mangler" in capsys.readouterr().err  # 52, and three measures due for review


# --------------------------------------------------------------------------- the default build


def _needs(site: Path) -> dict:
    return json.loads((site / "needs.json").read_text(encoding="utf-8"))["versions"][""]["needs"]


@pytest.mark.slow
def test_needs_json_has_every_item_by_type(built_site: Path, sor) -> None:
    needs = _needs(built_site)
    by_type: dict[str, int] = {}
    for need in needs.values():
        by_type[need["type"]] = by_type.get(need["type"], 0) + 1
    assert by_type == {
        "duty": len(sor.national.duties),
        "measure": len(sor.municipality.measures),
        "service": len(sor.municipality.services),
        "factor": len(sor.national.factors),
    }


@pytest.mark.slow
def test_every_measure_need_has_a_level_and_responsible_services(built_site: Path, sor, sor_trace) -> None:
    needs = _needs(built_site)
    for m in sor.municipality.measures:
        need = needs[need_id("measure", m.id)]
        assert need["level"] == m.level.value
        assert need["target"] == m.target_group
        assert need["responsible"], m.id
        assert all(needs[s]["type"] == "service" for s in need["responsible"])
        assert sorted(need["responsible"]) == sorted(need_id("service", s) for s in m.responsible)
        assert sorted(need["fulfils"]) == sorted({need_id("duty", f.duty) for f in sor_trace.duties_of(m.id)})
        assert need["docname"] == "tiltak"
    service = needs[need_id("service", "barnevern")]
    assert service["bound_by"] == [need_id("duty", "bvl-15-8")]


@pytest.mark.slow
def test_every_national_duty_is_a_need_with_its_lov_id_and_section(built_site: Path, sor) -> None:
    needs = _needs(built_site)
    for duty in sor.national.duties:
        need = needs[need_id("duty", duty.id)]
        law = sor.laws[duty.law]
        assert need["lovdata"] == law.lovdata_id
        assert need["section"] == (duty.section or (str(duty.article) if duty.article else None))
        assert need["url"] == sor.duty_url(duty)
        assert need["docname"] == f"plikter/{duty.id}"
    samarbeid = [d for d in sor.national.duties if d.kind is DutyKind.SAMARBEIDSPLIKT]
    assert len(samarbeid) == 12
    bvl = needs["DUTY_BVL_15_1"]
    assert (bvl["lovdata"], bvl["section"]) == ("2021-06-18-97", "15-1")
    assert needs["DUTY_BVL_15_8"]["url"] == "https://lovdata.no/lov/2021-06-18-97/%C2%A715-8"


def _gap_items(page: str) -> list[str]:
    items = re.findall(r'<ul class="[^"]*trace-gaps[^"]*">(.*?)</ul>', page, re.S)
    texts = [re.sub(r"<[^>]+>", "", li) for ul in items for li in re.findall(r"<li>(.*?)</li>", ul, re.S)]
    return [html.unescape(" ".join(t.split())) for t in texts]


@pytest.mark.slow
def test_gap_page_report_and_check_agree(built_site: Path, sor, sor_trace) -> None:
    expected = [gap_line(sor, sor_trace, g, "nb") for g in sor_trace.gaps]
    assert _gap_items((built_site / "mangler.html").read_text(encoding="utf-8")) == expected
    report = (built_site / "rapport.html").read_text(encoding="utf-8")
    assert _gap_items(report) == expected
    assert f'href="{pdf_name(DEFAULT)}"' in report
    assert "Sør-Aurdal" in report and sor.plan.version in report


@pytest.mark.slow
def test_duty_pages_exist_are_in_the_navigation_and_list_their_measures(built_site: Path, sor, sor_trace) -> None:
    index = (built_site / "plikter" / "index.html").read_text(encoding="utf-8")
    for duty in sor.national.duties:
        page = built_site / "plikter" / f"{duty.id}.html"
        assert page.exists()
        assert f'href="{duty.id}.html"' in index
        text = page.read_text(encoding="utf-8")
        for measure_id in sor_trace.measures_of(duty.id):
            assert f"tiltak.html#tiltak-{measure_id}" in text
    hol = (built_site / "plikter" / "hol-3-4.html").read_text(encoding="utf-8")
    assert 'href="../tjenester.html#tjeneste-helsestasjon-skolehelsetjeneste"' in hol
    # Back-links: the catalogue and the directory link the duty pages.
    assert 'href="plikter/bvl-15-1.html' in (built_site / "tiltak.html").read_text(encoding="utf-8")
    assert 'href="plikter/hol-3-4.html' in (built_site / "tjenester.html").read_text(encoding="utf-8")


TRACE_PAGES = [
    "sporbarhet.html",
    "mangler.html",
    "rapport.html",
    "plikter/index.html",
    "plikter/hol-3-4.html",
    "plikter/bvl-15-1.html",
    "tiltak.html",
    "tjenester.html",
]


@pytest.mark.slow
@pytest.mark.parametrize("page", TRACE_PAGES)
def test_trace_pages_are_accessible_and_local(built_site: Path, page: str) -> None:
    text = (built_site / page).read_text(encoding="utf-8")
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert not re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', text)
    for tbl in re.findall(r"<table class=\"[^\"]*forebygging-table.*?</table>", text, re.S):
        assert "<caption>" in tbl and "<thead>" in tbl


@pytest.mark.slow
def test_needflow_is_graphviz_svg_with_alt_text(built_site: Path) -> None:
    text = (built_site / "plikter" / "hol-3-4.html").read_text(encoding="utf-8")
    img = re.search(r'<img src="([^"]+needflow[^"]+\.svg)" alt="([^"]*)"', text)
    assert img, "no needflow SVG on the duty page"
    assert "helse- og omsorgstjenesteloven § 3-4" in img.group(2)
    assert (built_site / "plikter" / img.group(1)).resolve().exists()


@pytest.mark.slow
def test_catalogue_exports_have_one_row_per_measure(built_site: Path, sor, sor_trace) -> None:
    from openpyxl import load_workbook

    stem = file_stem(sor)
    catalogue = (built_site / "tiltak.html").read_text(encoding="utf-8")
    assert f'href="{stem}.csv"' in catalogue and f'href="{stem}.xlsx"' in catalogue
    with (built_site / f"{stem}.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [m.id for m in sor.municipality.measures]
    sheet = load_workbook(built_site / f"{stem}.xlsx")["Oversikt"]  # the catalogue; the editing sheets come first
    xrows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert xrows[0] == header
    assert xrows[1:] == body
    col = {name: i for i, name in enumerate(header)}
    for row, m in zip(body, sor.municipality.measures, strict=True):
        assert row[col["Nivå"]] == m.level.value
        assert row[col["Ansvarlige tjenester"]] == "; ".join(sor.services[s].name for s in m.responsible)
        assert "barnevernsloven § 15-1" in row[col["Plikter"]]


@pytest.mark.slow
def test_sor_aurdal_report_prints_to_pdf(built_site: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    from forebygging.outputs.report import render_pdf

    target = render_pdf(
        built_site,
        tmp_path / "r.pdf",
        header="Sør-Aurdal · versjon 2026.1 · 01.01.2026",
        page_label="Side {page} av {pages}",
        title="Sporbarhetsrapport",
        lang="nb",
    )
    reader = pypdf.PdfReader(target)
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    for i, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Sør-Aurdal · versjon 2026.1" in text
        assert f"Side {i} av {len(reader.pages)}" in text
    assert "NAV-loven § 15 a" in "".join(p.extract_text() for p in reader.pages)


# --------------------------------------------------------------------------- the gap municipality, built


@pytest.fixture(scope="module")
def gap_build(gap_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture municipality through `make report`'s command: HTML, then the PDF."""
    out = tmp_path_factory.mktemp("gapbuild")
    assert cli_main(["--data", str(gap_dir), "report", "--kommune", GAPPY, "--out", str(out)]) == 0
    return out


@pytest.mark.slow
def test_gap_page_of_fixture_lists_every_kind(gap_build: Path, gappy, gap_trace) -> None:
    page = (gap_build / "html" / "mangler.html").read_text(encoding="utf-8")
    items = _gap_items(page)
    assert items == [gap_line(gappy, gap_trace, g, "nb") for g in gap_trace.gaps]
    for needle in ("NAV-loven § 15 a", "NAV Mangelby", "Åpen hall", "Bibliotek", "En venn", "Vedtatt av kommunestyret"):
        assert any(needle in i for i in items), needle
    needs = _needs(gap_build / "html")
    assert needs["MEASURE_APEN_HALL"]["responsible"] == []


@pytest.mark.slow
def test_fixture_report_pdf_holds_the_municipality_and_its_gaps(gap_build: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    pdf = gap_build / "report" / pdf_name(GAPPY)
    assert pdf.exists() and (gap_build / "html" / pdf_name(GAPPY)).exists()
    reader = pypdf.PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Mangelby" in text and "versjon 2026.2" in text
    assert "NAV Mangelby: bundet av NAV-loven § 15 a" in " ".join(text.split())
    assert f"Side 1 av {len(reader.pages)}" in text
    # The summary on page one names both missing requirements; the PDF is tagged, in bokmål.
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Sammendrag" in first and "Dette mangler: vedtatt av kommunestyret selv og mål for arbeidet." in first
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and str(root["/Lang"]) == "nb"


@pytest.mark.slow
def test_needs_pass_their_schema_validation(built_site: Path) -> None:
    report = json.loads((built_site / "schema_violations.json").read_text(encoding="utf-8"))
    assert report["validated_needs_count"] > 0
    assert report["validation_warnings"] == {}


def test_duty_page_stubs_are_written_once_and_stale_ones_removed(tmp_path: Path, sor) -> None:
    from forebygging.ext.trace import DUTY_DIR, STUB_MARK, write_stubs

    stale = tmp_path / DUTY_DIR / "gammel-plikt.md"
    stale.parent.mkdir()
    stale.write_text(f"{STUB_MARK}\n", encoding="utf-8")
    own = tmp_path / DUTY_DIR / "egen.md"
    own.write_text("# Skrevet for hånd\n", encoding="utf-8")
    write_stubs(tmp_path, sor, "nb")
    names = {p.name for p in (tmp_path / DUTY_DIR).glob("*.md")}
    assert names == {"index.md", "egen.md", *(f"{d.id}.md" for d in sor.national.duties)}
    page = tmp_path / DUTY_DIR / "bvl-15-1.md"
    assert "```{duty-page} bvl-15-1" in page.read_text(encoding="utf-8")
    before = page.stat().st_mtime_ns
    write_stubs(tmp_path, sor, "nb")
    assert page.stat().st_mtime_ns == before, "an unchanged stub must not be rewritten (sphinx-autobuild would loop)"
