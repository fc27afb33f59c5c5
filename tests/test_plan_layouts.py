"""Plans that set out their content differently, built for real.

Bamble sets out its measures per protective factor × level and closes with recommendations;
Midtdalen has no measure table at all, but organisation principles and examples per level
(measures marked as examples).
Each is optional data with its own page or section, and every new field fails with the file,
the line and the field when it is wrong.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from forebygging.core import DataValidationError, HandbookData, load
from forebygging.core.models import FactorKind
from forebygging.core.trace import LEVELS, GapKind, compute, handbook_docs
from forebygging.wording.trace import gap_line

from .conftest import DATA, ROOT, build

HANDBOOK = ROOT / "handbook"
MATRIX_PAGE = "beskyttelsesfaktorer-tiltak.html"
CELL = re.compile(
    r'<td class="factor-cell" id="faktor-(?P<factor>[a-z0-9-]+?)-(?P<level>universell|selektiv|indikert)">'
    r"(?P<body>.*?)</td>",
    re.S,
)
EMPTY_CELL = "Ingen tiltak på dette nivået for denne beskyttelsesfaktoren."


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _matrix(html: str) -> str:
    match = re.search(r'<table class="[^"]*factor-matrix[^"]*"[^>]*>.*?</table>', html, re.S)
    assert match, "no factor × level table on the page"
    return match.group(0)


def _cells(html: str) -> dict[tuple[str, str], list[str]]:
    """(factor, level) -> measure ids linked from that cell, in page order."""
    return {
        (m["factor"], m["level"]): re.findall(r'href="tiltak\.html#tiltak-([^"]+)"', m["body"])
        for m in CELL.finditer(_matrix(html))
    }


def _expected_cells(data: HandbookData) -> dict[tuple[str, str], list[str]]:
    """Computed here from the data, independently of the directive."""
    protective = [f for f in data.national.factors if f.kind is FactorKind.BESKYTTELSE]
    return {
        (f.id, lv.value): [m.id for m in data.municipality.measures if m.level == lv and f.id in m.strengthens]
        for f in protective
        for lv in LEVELS
    }


@pytest.fixture(scope="module")
def bamble() -> HandbookData:
    return load(DATA, "bamble")


@pytest.fixture(scope="module")
def midtdalen() -> HandbookData:
    return load(DATA, "midtdalen")


@pytest.fixture(scope="module")
def bamble_site(plan_site) -> Path:
    return plan_site("bamble")


@pytest.fixture(scope="module")
def midtdalen_site(plan_site) -> Path:
    return plan_site("midtdalen")


# --------------------------------------------------------------------------- Bamble: factor × level


def test_bamble_matrix_has_every_factor_level_cell_with_the_data_measures(bamble_site: Path, bamble) -> None:
    cells = _cells(_html(bamble_site / MATRIX_PAGE))
    expected = _expected_cells(bamble)
    n_protective = sum(1 for f in bamble.national.factors if f.kind is FactorKind.BESKYTTELSE)
    assert len(cells) == n_protective * 3 == 21
    assert cells == expected
    # Every one of the 148 measures stands in at least one cell, and each link resolves to its entry.
    assert {m for ids in cells.values() for m in ids} == {m.id for m in bamble.municipality.measures}
    catalogue = _html(bamble_site / "tiltak.html")
    assert all(f'id="tiltak-{m}"' in catalogue for ids in cells.values() for m in ids)


def test_bamble_matrix_is_an_accessible_table_with_the_plans_level_names(bamble_site: Path) -> None:
    table = _matrix(_html(bamble_site / MATRIX_PAGE))
    assert re.search(r"<caption>.*Tiltak etter beskyttelsesfaktor og nivå \(148 tiltak\)", table, re.S)
    ths = re.findall(r"<th\b[^>]*>", table)
    assert len(ths) == 4 + 7
    assert all('scope="col"' in th or 'scope="row"' in th for th in ths), ths
    assert sum('scope="row"' in th for th in ths) == 7
    head = re.search(r"<thead>(.*?)</thead>", table, re.S)
    assert head
    assert re.findall(r"<p>([^<]+)</p>", head.group(1)) == [
        "Beskyttelsesfaktor",
        "Alle barn",
        "Større risiko",
        "Særlig utsatt",
    ]


def test_bamble_page_is_in_the_navigation_and_linked_from_the_catalogue(bamble_site: Path) -> None:
    assert 'href="beskyttelsesfaktorer-tiltak.html"' in _html(bamble_site / "index.html")
    assert 'href="beskyttelsesfaktorer-tiltak.html"' in _html(bamble_site / "tiltak.html")


def test_shared_responsibility_is_shown_as_the_plan_says_it(bamble_site: Path, bamble) -> None:
    noted = {m.id: m.responsible_note for m in bamble.municipality.measures if m.responsible_note}
    assert noted["spesialiserte-hjelpetiltak"] == "Felles ansvar"
    assert noted["mental-helse-hjelpetelefon"] == "Nasjonalt"
    catalogue = _html(bamble_site / "tiltak.html")
    for measure_id, note in noted.items():
        section = re.search(rf'<section class="measure" id="tiltak-{measure_id}">(.*?)</section>', catalogue, re.S)
        assert section and note in _text(section.group(1)), measure_id
    # Still a gap (no accountable service), but the gap says what the plan says.
    trace = compute(bamble, handbook_docs(HANDBOOK))
    lines = [gap_line(bamble, trace, g, "nb") for g in trace.gaps_of(GapKind.MEASURE_WITHOUT_SERVICE)]
    assert len(lines) == 11
    assert sum("planen sier «" in line for line in lines) == len(noted) == 9
    assert all(line in _text(_html(bamble_site / "mangler.html")) for line in lines)


def test_bamble_recommendations_have_their_own_page(bamble_site: Path, bamble) -> None:
    recommendations = bamble.municipality.development.recommendations
    assert [r.number for r in recommendations] == list(range(1, 10))
    assert not bamble.municipality.development.needs  # no invented needs any more
    page = _html(bamble_site / "anbefalinger.html")
    titles = re.findall(r'<section class="recommendation" id="anbefaling-([^"]+)">\s*<h2>([^<]+)<', page)
    assert titles == [(r.id, f"{r.number}. {r.title}") for r in recommendations]
    assert "Fastsette en arbeidsform" in page
    assert 'href="anbefalinger.html"' in _html(bamble_site / "index.html")


# --------------------------------------------------------------------------- Midtdalen: no measure table


def test_midtdalen_catalogue_has_the_plans_examples_and_says_it_is_not_full(midtdalen_site: Path, midtdalen) -> None:
    """No measure table: the catalogue holds the plan's examples per level (kap. 6.2) and says so."""
    measures = midtdalen.municipality.measures
    assert measures and all(m.example and m.level_in_plan for m in measures)
    assert not midtdalen.plan.measure_table
    page = _html(midtdalen_site / "tiltak.html")
    text = _text(page)
    assert "Planen har ingen fullstendig tiltakskatalog." in text
    assert "Planen har ingen tiltakstabell: den fører ikke opp kommunens tiltak" not in text
    assert "Planen bruker ikke nivåene i tiltakspyramiden" not in text  # the levels are the plan's own
    for m in measures:
        section = re.search(
            rf'<section class="[^"]*measure-example[^"]*" id="tiltak-{m.id}">(.*?)</section>', page, re.S
        )
        assert section, m.id
        assert "Eksempel i planen" in _text(section.group(1))
    # Each step lists the examples of its level, linked to the catalogue; none is kept twice.
    model = _html(midtdalen_site / "samhandlingsmodell.html")
    for step in midtdalen.municipality.collaboration.steps:
        assert not step.examples
        body = re.search(rf'<section [^>]*id="samhandling-{step.id}">(.*?)</section>', model, re.S)
        assert body
        linked = re.findall(r'href="tiltak\.html#tiltak-([^"]+)"', body.group(1))
        assert linked == [m.id for m in measures if m.level == step.level]


def test_midtdalen_gap_list_reports_the_missing_measure_table(midtdalen_site: Path, midtdalen) -> None:
    trace = compute(midtdalen, handbook_docs(HANDBOOK))
    gaps = trace.gaps_of(GapKind.PLAN_WITHOUT_MEASURES)
    assert [g.subject for g in gaps] == ["midtdalen"]
    assert trace.gaps[0] is gaps[0]  # listed first
    line = gap_line(midtdalen, trace, gaps[0], "nb")
    assert line == (
        "Planen for Nord-Fron, Sør-Fron, Ringebu har ingen tiltakstabell; katalogen viser bare de 15 tiltakene "
        "planen nevner i teksten (15 av dem som eksempler)"
    )
    page = _html(midtdalen_site / "mangler.html")
    assert 'id="mangel-plan-uten-tiltak"' in page
    assert line in _text(page)


def test_midtdalen_principles_guidelines_and_examples(midtdalen_site: Path, midtdalen) -> None:
    services = _html(midtdalen_site / "tjenester.html")
    section = re.search(r'<section id="organisering-prinsipper">(.*?)</section>', services, re.S)
    assert section
    items = [_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", section.group(1), re.S)]
    assert len(items) == len(midtdalen.plan.organisation_principles) == 8
    assert items[0].startswith("Kommunedirektøren: ")
    assert items[6].startswith("HSA-gruppa (Holdnings-Skapende-Arbeid): ") and items[6].endswith("(årlig)")
    about = _html(midtdalen_site / "om-planen.html")
    assert '<a class="reference external" href="https://www.fhi.no/fp/oppvekstprofiler/hent-oppvekstprofil/">' in about
    assert "(Helsedirektoratet, 2019)" in about
    assert "Fremme god psykisk helse hos barn og unge" in about
    model = _text(_html(midtdalen_site / "samhandlingsmodell.html"))
    assert "Eksempler på tiltak Kurstilbud Tilbud om foreldrestøtte" in model
    for page in (MATRIX_PAGE, "anbefalinger.html"):
        assert not (midtdalen_site / page).exists()


def test_optional_pages_are_absent_for_sor_aurdal(built_site: Path) -> None:
    """Sør-Aurdal sets its measures out by level and has no recommendations or principles: no such pages."""
    sor = load(DATA, "sor-aurdal")
    assert sor.plan.measures_by.value == "nivå"  # the default: nothing in its plan.yaml
    for page in (MATRIX_PAGE, "anbefalinger.html"):
        assert not (built_site / page).exists()
        assert f'href="{page}"' not in _html(built_site / "index.html")
    assert "organisering-prinsipper" not in _html(built_site / "tjenester.html")


def test_empty_cells_say_so_in_words(tmp_path: Path) -> None:
    """A factor-organised plan with one measure: 20 of its 21 cells are empty and say so."""
    data = tmp_path / "_data"
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(DATA / "midtdalen", data / "midtdalen")
    plan = data / "midtdalen" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "measures_by: beskyttelsesfaktor\n", encoding="utf-8")
    (data / "midtdalen" / "measures.yaml").write_text(
        "- id: leksehjelp\n  name: Leksehjelp\n  level: selektiv\n  description: Hjelp med lekser.\n"
        "  target_group: Elever\n  strengthens: [en-venn, aldersadekvat-fungering]\n",
        encoding="utf-8",
    )
    assert build(tmp_path / "out", data, "midtdalen") == 0
    html = _html(tmp_path / "out" / "html" / MATRIX_PAGE)
    cells = _cells(html)
    assert len(cells) == 21
    assert {k: v for k, v in cells.items() if v} == {
        ("en-venn", "selektiv"): ["leksehjelp"],
        ("aldersadekvat-fungering", "selektiv"): ["leksehjelp"],
    }
    bodies = {(m["factor"], m["level"]): _text(m["body"]) for m in CELL.finditer(_matrix(html))}
    assert sum(EMPTY_CELL in body for body in bodies.values()) == 19
    assert "Nyttig for noen" in _matrix(html)  # the plan's own level name heads the column


# --------------------------------------------------------------------------- bad data names file, line, field


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text.rstrip("\n")) + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "message", "line_of"),
    [
        (
            "bamble/measures.yaml",
            "  strengthens: [aldersadekvat-fungering]\n",
            "",
            "measures[0].strengthens",
            "organised by protective factor",
            "- id: spesialiserte-hjelpetiltak",
        ),
        (
            "bamble/plan.yaml",
            "measures_by: beskyttelsesfaktor\n",
            "measures_by: faktor\n",
            "plan.measures_by",
            "Input should be",
            None,
        ),
        (
            "bamble/plan.yaml",
            "  universell: Alle barn\n",
            "  universel: Alle barn\n",
            "plan.level_labels.universel",
            "unknown field 'universel'",
            None,
        ),
        (
            "bamble/development.yaml",
            "    title: Barnets perspektiv\n    points:\n      - text: Sikre at barnets stemme blir hørt og tatt på "
            "alvor gjennom direkte dialog.\n",
            "    title: Barnets perspektiv\n    points: []\n",
            "development.recommendations[4].points",
            "at least 1 item",
            "    points: []",
        ),
        (
            "midtdalen/plan.yaml",
            "  - implementation: kommunedirektoren-avgjor\n",
            "  - implementation: kommunedirektoren-avgjore\n",
            "plan.organisation_principles[0].implementation",
            "unknown implementation id",
            None,
        ),
        (
            "midtdalen/plan.yaml",
            "  - implementation: interkommunale-tiltak\n",
            "  - implementation: interkommunale-tiltak\n    text: Koordinere tiltak.\n",
            "plan.organisation_principles[7]",
            "either 'text' or 'implementation'",
            "  - implementation: interkommunale-tiltak",
        ),
        (
            "midtdalen/plan.yaml",
            "    url: https://www.fhi.no/fp/oppvekstprofiler/hent-oppvekstprofil/\n",
            "    url: www.fhi.no/fp/oppvekstprofiler/hent-oppvekstprofil/\n",
            "plan.anchoring[11].url",
            "URL",
            None,
        ),
        (
            "midtdalen/measures.yaml",
            "  example: true\n",
            "  example: ja\n",
            "measures[0].example",
            "valid boolean",
            None,
        ),
    ],
    ids=[
        "factor-layout-without-factor",
        "bad-measures-by",
        "unknown-level-label",
        "recommendation-without-points",
        "unknown-implementation",
        "principle-text-and-implementation",
        "anchor-url",
        "example-not-boolean",
    ],
)
def test_new_fields_name_file_line_and_field(
    data_copy: Path, file: str, old: str, new: str, field: str, message: str, line_of: str | None
) -> None:
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(data_copy, file.split("/")[0])
    errors = [e for e in info.value.errors if e.field == field]
    assert errors, info.value.report()
    error = errors[0]
    assert error.file == path
    assert message in error.message, error.message
    assert error.line == _line_of(path, line_of or new.splitlines()[0])
    if field.endswith(".implementation"):
        assert error.hint == "did you mean 'kommunedirektoren-avgjor'?"
    if field.endswith("universel"):
        assert error.hint == "did you mean 'universell'?"
