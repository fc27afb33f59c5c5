"""The council report as built: summary first, charts, law names, the tagged PDF.

The default handbook (Sør-Aurdal) is built once per run (``built_site``); Bamble is built
for its factor matrix, which a plan that links factors keeps. The report, trace and gaps pages
are checked with axe-core by the crawl of every page in test_accessibility.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from forebygging.cli.trace_cli import plan_date
from forebygging.core import load
from forebygging.core.trace import compute, handbook_docs
from forebygging.outputs.charts import CHART_DIR, report_charts
from forebygging.outputs.report import pdf_name
from forebygging.wording.summary import summary

from .conftest import DATA, DEFAULT, ROOT

pytestmark = pytest.mark.slow

HANDBOOK = ROOT / "handbook"


@pytest.fixture(scope="module")
def sor():
    data = load(DATA, DEFAULT)
    return data, compute(data, handbook_docs(HANDBOOK))


@pytest.fixture(scope="module")
def reader(built_site: Path):
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(built_site / pdf_name(DEFAULT))


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_summary_comes_first_on_the_page_and_on_pdf_page_one(built_site: Path, sor, reader) -> None:
    data, trace = sor
    page = (built_site / "rapport.html").read_text(encoding="utf-8")
    sentences = summary(data, trace, None, "nb")
    start = page.index(">", page.index('id="rapport-sammendrag"')) + 1
    body = _text(page[start:])
    assert body.startswith("Sammendrag")
    for sentence in sentences:
        assert sentence in body
    assert page.index('id="rapport-sammendrag"') < page.index('id="rapport-figures"')
    first = _flat(reader.pages[0].extract_text())
    assert "Sammendrag" in first
    assert "vedtaksdato og saksnummer mangler" in first  # the missing adoption, on page one
    assert "5 av de 6 kravene er oppfylt" in first


def test_pdf_is_tagged_with_language_title_and_bookmarks(reader) -> None:
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "nb"
    assert reader.metadata.title == "Sporbarhetsrapport – Sør-Aurdal"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert titles[:2] == ["Sporbarhetsrapport", "Sammendrag"]
    assert "Funn" in titles and "Krav i barnevernsloven § 15-1 (1)" in titles


def _structure(reader) -> list[tuple[str, str | None]]:
    """(structure type, alternate text) of every element of the PDF's structure tree."""
    found: list[tuple[str, str | None]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "keys"):
            if "/S" in node:
                found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if hasattr(kid, "get_object") or isinstance(kid, dict):
                        walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_pdf_structure_has_headings_table_headers_and_chart_alternatives(reader, sor) -> None:
    data, trace = sor
    elements = _structure(reader)
    kinds = {kind for kind, _ in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    alts = [alt for kind, alt in elements if kind == "/Figure"]
    assert sorted(a for a in alts if a) == sorted(c.alt for c in report_charts(data, trace, "nb"))


def test_pdf_header_is_the_plan_versions_date(reader, sor) -> None:
    data, _ = sor
    label = plan_date(data)
    # Sør-Aurdal is a draft without adoption: the header says so, with the date its data last changed.
    assert label.startswith("utkast, plandata sist endret ")
    for page in reader.pages:
        assert f"Forebyggingsplan versjon 2026.1 · {label}" in _flat(page.extract_text())


def test_every_chart_has_a_title_an_alternative_and_renders_identically(built_site: Path, sor) -> None:
    data, trace = sor
    charts = report_charts(data, trace, "nb")
    assert [c.name for c in charts] == ["tiltak-per-niva", "dekning", "plikt-tjeneste"]
    page = (built_site / "rapport.html").read_text(encoding="utf-8")
    for chart in charts:
        assert chart.title and len(chart.alt) > 40
        svg = chart.svg()
        assert svg == chart.svg()  # deterministic: no date, fixed ids
        assert (built_site / CHART_DIR / chart.file_name(data.slug)).read_bytes() == svg
        text = svg.decode()
        assert f"<title>{html.escape(chart.title)}</title>" in text and "<desc>" in text
        assert 'role="img"' in text
        assert not re.search(r'(?:href|src)="(?:https?:)?//', text)  # nothing from outside the site
        assert "<script" not in text and "@font-face" not in text
        figure = re.search(rf'<figure class="trace-chart" id="figur-{chart.name}">(.*?)</figure>', page, re.S)
        assert figure, chart.name
        assert f"<figcaption>{html.escape(chart.title)}</figcaption>" in figure.group(1)
        assert f'alt="{html.escape(chart.alt)}"' in figure.group(1)
    pyramid = charts[0].alt
    assert "33 tiltak" in pyramid and "14 på universelt nivå" in pyramid
    heat = charts[2].alt
    assert "9 mangler tiltak" in heat and "NAV – NAV-loven § 15 a" in heat


def test_heat_map_marks_gaps_by_more_than_colour(sor) -> None:
    data, trace = sor
    heat = next(c for c in report_charts(data, trace, "nb") if c.name == "plikt-tjeneste").svg().decode()
    missing = sum(1 for v in trace.pair_measures.values() if not v)
    assert missing == 9
    # Each missing cell, and only those, is hatched (matplotlib's hatch patterns have ids "h..."), not only tinted.
    assert "<pattern" in heat
    assert len(re.findall(r"fill: url\(#h[0-9a-f]+\)", heat)) == missing


def test_law_abbreviations_have_their_key_before_the_matrix(built_site: Path) -> None:
    page = (built_site / "rapport.html").read_text(encoding="utf-8")
    key = page.index("Forkortelser i kolonnene: bvl: barnevernsloven")
    matrix = page.index("Plikt × tjeneste: samarbeidstiltak")
    assert key < matrix
    assert '<abbr title="NAV-loven § 15 a">navl § 15 a</abbr>' in page


def test_reader_pages_have_no_developer_commands(built_site: Path) -> None:
    for name in ("rapport.html", "mangler.html", "sporbarhet.html"):
        text = _text((built_site / name).read_text(encoding="utf-8"))
        assert "make check" not in text and "STRICT" not in text, name


def test_unlinked_plan_shows_one_finding_and_bamble_keeps_its_matrix(built_site: Path, plan_site) -> None:
    sor_page = (built_site / "sporbarhet.html").read_text(encoding="utf-8")
    assert "trace-factors" not in sor_page
    assert "Planen knytter ikke tiltak til risiko- eller beskyttelsesfaktorer" in _text(sor_page)
    gaps = _text((built_site / "mangler.html").read_text(encoding="utf-8"))
    assert gaps.count("Planen knytter ikke tiltak til risiko- eller beskyttelsesfaktorer") == 1
    assert "ingen tiltak på" not in gaps
    bamble = (plan_site("bamble") / "sporbarhet.html").read_text(encoding="utf-8")
    assert 'class="forebygging-table trace-matrix trace-factors' in bamble or "trace-factors" in bamble
    assert "Planen knytter ikke tiltak" not in _text(bamble)
