"""The council report's summary and findings (no build): the sentences follow the data.

Sør-Aurdal links no measure to any factor and lacks its adoption; the fixture municipality
``mangelby`` (tests/fixtures) links one factor and lacks its goals and adoption; Bamble
links factors. Each summary number is checked against a count made here from the data.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from forebygging.core import load
from forebygging.core.changes import Added, ChangeReport, ReviewFlag
from forebygging.core.trace import GAP_GROUPS, GapKind, compute, handbook_docs
from forebygging.wording.summary import summary
from forebygging.wording.trace import gap_line, gap_report

from .conftest import DATA, ROOT

HANDBOOK = ROOT / "handbook"
FIXTURE = ROOT / "tests" / "fixtures" / "mangelby"


def _fixture_data(root: Path, edit: tuple[str, str, str] | None = None) -> Path:
    """National data and mangelby; ``edit`` = (file, old, new) changes one fixture file."""
    shutil.copytree(DATA / "national", root / "national")
    shutil.copytree(FIXTURE, root / "mangelby")
    if edit:
        path = root / "mangelby" / edit[0]
        text = path.read_text(encoding="utf-8")
        assert edit[1] in text
        path.write_text(text.replace(edit[1], edit[2]), encoding="utf-8")
    return root


def _trace(data):
    return compute(data, handbook_docs(HANDBOOK))


@pytest.fixture(scope="module")
def sor():
    data = load(DATA, "sor-aurdal")
    return data, _trace(data)


@pytest.fixture(scope="module")
def mangelby(tmp_path_factory: pytest.TempPathFactory):
    data = load(_fixture_data(tmp_path_factory.mktemp("mangelby")), "mangelby")
    return data, _trace(data)


@pytest.mark.parametrize("which", ["sor", "mangelby"])
def test_summary_counts_match_the_data(which: str, request: pytest.FixtureRequest) -> None:
    data, trace = request.getfixturevalue(which)
    m = data.municipality
    sentences = summary(data, trace, None, "nb")
    assert 5 <= len(sentences) <= 6
    levels = [sum(1 for x in m.measures if x.level == lv) for lv in ("universell", "selektiv", "indikert")]
    assert sentences[0].startswith(
        f"Planen har {len(m.measures)} tiltak: {levels[0]} på universelt nivå, "
        f"{levels[1]} på selektivt nivå og {levels[2]} på indikert nivå."
    )
    with_measures = [
        s for s in m.services if any(data.measures_by_service(u.id) for u in m.services if s.id in (u.id, u.part_of))
    ]
    assert f"{len(with_measures)} av {len(m.services)} tjenester" in sentences[0]
    assert sentences[1].startswith("Barnevernsloven § 15-1 krever 6 ting av planen:")
    met = sum(1 for r in trace.requirements if r.answered)
    assert sentences[2] == f"{met} av de 6 kravene er oppfylt."
    assert "vedtatt av kommunestyret selv" in sentences[3]  # both lack the adoption
    assert "ingen tidligere vedtatt versjon" in sentences[4]
    assert sentences[5] == (
        "Kommunestyret bes særlig se på vedtaket: planen er ennå ikke vedtatt av kommunestyret, "
        "og vedtaksdato og saksnummer mangler."
    )


def test_sor_aurdal_summary_numbers(sor) -> None:
    data, trace = sor
    sentences = summary(data, trace, None, "nb")
    # Counted by hand from _data/sor-aurdal: 33 measures (14/8/11); «Helse- og omsorg» and the
    # innsatsteam service have no measure; the adoption is blank (date and case number null).
    assert sentences[0].startswith("Planen har 33 tiltak: 14 på universelt nivå, 8 på selektivt nivå og 11")
    assert "30 av 32 tjenester" in sentences[0]
    assert sentences[2] == "5 av de 6 kravene er oppfylt."
    assert sentences[3].startswith("Dette mangler: vedtatt av kommunestyret selv. ")
    assert f"{len(trace.gaps_in('advice'))} om risiko- og beskyttelsesfaktorer" in sentences[3]
    assert len(trace.gaps_in("advice")) == 1


def test_mangelby_summary_names_both_missing_requirements(mangelby) -> None:
    data, trace = mangelby
    sentences = summary(data, trace, None, "nb")
    assert sentences[2] == "4 av de 6 kravene er oppfylt."
    assert sentences[3].startswith("Dette mangler: vedtatt av kommunestyret selv og mål for arbeidet.")


def test_an_unmet_requirement_says_what_the_plan_lacks(mangelby) -> None:
    data, trace = mangelby
    lines = {g.subject: gap_line(data, trace, g, "nb") for g in trace.gaps_of(GapKind.REQUIREMENT_WITHOUT_CHAPTER)}
    assert lines == {
        "vedtak": "Vedtatt av kommunestyret selv: "
        "Vedtaksdato eller saksnummer for kommunestyrets vedtak mangler i planen",
        "mal": "Mål for arbeidet: Planen har ingen mål for arbeidet",
    }
    nn = [gap_line(data, trace, g, "nn") for g in trace.gaps_of(GapKind.REQUIREMENT_WITHOUT_CHAPTER)]
    assert nn[0].endswith("Vedtaksdato eller saksnummer for vedtaket i kommunestyret manglar i planen")


def test_summary_in_nynorsk(sor) -> None:
    data, trace = sor
    sentences = summary(data, trace, None, "nn")
    assert sentences[2] == "5 av dei 6 krava er oppfylte."
    assert "enno ikkje vedteken" in sentences[-1]


def test_summary_tells_the_changes_and_an_adopted_plan(tmp_path: Path) -> None:
    root = _fixture_data(
        tmp_path,
        ("plan.yaml", "  date: null\n  case_number: null", "  date: 2026-03-12\n  case_number: '26/14'"),
    )
    data = load(root, "mangelby")
    trace = _trace(data)
    report = ChangeReport("2025.1", "2026.2", measures_added=[Added("a", "A"), Added("b", "B")])
    report.review = [ReviewFlag("service", "skole", "Skole", "measure_removed", "A")]
    sentences = summary(data, trace, report, "nb")
    assert sentences[4] == (
        "Siden versjon 2025.1 er 2 tiltak lagt til, 0 fjernet og 0 endret, "
        "og 1 tiltak eller tjenester er merket «til vurdering»."
    )
    # The adoption is there now, so the council is pointed at the missing goals instead.
    assert sentences[-1] == "Kommunestyret bes særlig se på det som mangler: mål for arbeidet."
    assert summary(data, trace, ChangeReport("2025.1", "2026.2"), "nb")[4] == (
        "Siden versjon 2025.1 er ingen tiltak, tjenester eller plikter endret."
    )


def test_unlinked_plan_gets_one_finding_instead_of_the_cells(sor) -> None:
    data, trace = sor
    assert not trace.links_factors
    assert trace.gaps_of(GapKind.FACTOR_LEVEL_EMPTY) == []
    [finding] = trace.gaps_of(GapKind.FACTORS_UNLINKED)
    assert gap_line(data, trace, finding, "nb").startswith(
        "Planen knytter ikke tiltak til risiko- eller beskyttelsesfaktorer"
    )
    assert trace.figure("factor_cells").total == 45  # the figure still counts the cells


def test_bamble_keeps_its_factor_cells() -> None:
    data = load(DATA, "bamble")
    trace = _trace(data)
    assert trace.links_factors
    assert trace.gaps_of(GapKind.FACTORS_UNLINKED) == []
    empty = sum(1 for v in trace.factor_cells.values() if not v)
    assert empty and len(trace.gaps_of(GapKind.FACTOR_LEVEL_EMPTY)) == empty


def test_findings_are_grouped_by_weight(mangelby) -> None:
    data, trace = mangelby
    order = [kind for _, kinds in GAP_GROUPS for kind in kinds]
    assert set(order) == set(GapKind)
    assert [g.kind for g in trace.gaps] == sorted((g.kind for g in trace.gaps), key=order.index)
    assert trace.gaps[0].kind is GapKind.REQUIREMENT_WITHOUT_CHAPTER  # the law first
    lines = gap_report(data, trace, "nb")
    services = next(x for x in lines if x.startswith("  Tjenester uten tiltak"))
    assert lines.index("  Krav i barnevernsloven § 15-1 som ikke er oppfylt (2):") < lines.index(services)


def test_a_parent_service_is_judged_with_its_units(tmp_path: Path) -> None:
    # Bibliotek has no measure; once Helsestasjon (which has measures) is part of it, neither is a gap.
    root = _fixture_data(tmp_path, ("services.yaml", "- id: skole\n", "  part_of: bibliotek\n- id: skole\n"))
    data = load(root, "mangelby")
    assert data.services["helsestasjon"].part_of == "bibliotek"
    subjects = {g.subject for g in _trace(data).gaps_of(GapKind.SERVICE_WITHOUT_MEASURE)}
    assert "bibliotek" not in subjects and "nav" in subjects


def test_a_parent_service_answers_its_samarbeidsplikt_with_its_units() -> None:
    """Vest-Telemark's «Helse» has one unit, Helsesjukepleiar, in collaboration measures: neither the
    findings nor the duty x service matrix call Helse a service without a collaboration measure."""
    data = load(DATA, "vest-telemark")
    trace = _trace(data)
    assert data.services["helsesjukepleiar"].part_of == "helse"
    assert any("helsesjukepleiar" in data.measures[x].responsible for x in trace.collaboration)
    assert not any("helse" in data.measures[x].responsible for x in trace.collaboration)  # only through its unit
    assert "helse" not in {g.subject for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_COLLABORATION)}
    assert trace.pair_measures[("helse", "hol-3-4")]
    assert "nav" in {g.subject for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_COLLABORATION)}  # no units, no measure


def test_a_measure_named_like_a_service_says_the_plan_names_no_one() -> None:
    """Hemsedal's table has a row «Skole» with no responsible service; the plan also has the service
    «Skole». Only a name that is the same or begins with the service's counts, never a mention."""
    data = load(DATA, "hemsedal")
    trace = _trace(data)
    gaps = {g.subject: g for g in trace.gaps_of(GapKind.MEASURE_WITHOUT_SERVICE)}
    assert gaps["skole-universell"].detail == ("skole",)
    assert gap_line(data, trace, gaps["skole-universell"], "nb") == (
        "Skole (universelt nivå): ingen ansvarlig tjeneste. Tjenesten «Skole» har samme navn, "
        "men planen fører den ikke opp som ansvarlig for tiltaket"
    )
    bamble = load(DATA, "bamble")
    # Long measure names that mention services («Samarbeid mellom barnehager, skoler, …, PPT og SPKS …»).
    assert all(g.detail == () for g in _trace(bamble).gaps_of(GapKind.MEASURE_WITHOUT_SERVICE))


def test_a_service_named_like_a_measure_says_why_it_is_a_gap(sor) -> None:
    data, trace = sor
    gap = next(g for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject == "innsatsteam")
    assert gap.detail == ("tverrfaglig-innsatsteam",)
    line = gap_line(data, trace, gap, "nb")
    assert "Tiltaket «Tverrfaglig innsatsteam for barn og unge» har samme navn" in line
    assert "Kommunepsykolog" in line  # one of the services the plan makes responsible instead
    plain = next(g for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject == "helse-og-omsorg")
    assert plain.detail == ()
    assert gap_line(data, trace, plain, "nb").startswith("Helse- og omsorg: ansvarlig for ingen tiltak. ")


def test_a_service_area_whose_units_the_plan_does_not_name_says_so(sor) -> None:
    """Sør-Aurdal's plan lists «Helse- og omsorg» as a service of its own and names none of its units:
    the findings say that, and no service is made part of it by guess."""
    data, trace = sor
    assert data.services["helse-og-omsorg"].units_unstated
    assert not [s.id for s in data.municipality.services if s.part_of == "helse-og-omsorg"]
    said = "Planen sier ikke hvilke av tjenestene i planen som eventuelt hører til Helse- og omsorg"
    for kind in (GapKind.SERVICE_WITHOUT_MEASURE, GapKind.SERVICE_WITHOUT_COLLABORATION):
        gap = next(g for g in trace.gaps_of(kind) if g.subject == "helse-og-omsorg")
        assert said in gap_line(data, trace, gap, "nb")
    # Only that service: every other finding about a service reads as before.
    others = [g for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject != "helse-og-omsorg"]
    assert others and not any(said.split(" som ")[0] in gap_line(data, trace, g, "nb") for g in others)
    plain = next(g for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject == "helse-og-omsorg")
    assert "Planen seier ikkje kva for tenester i planen som eventuelt høyrer til" in gap_line(data, trace, plain, "nn")


def test_a_similar_name_or_a_measure_without_service_is_said_as_it_is() -> None:
    """«Same name» only where the names are equal; an abbreviation in brackets makes a namesake;
    a namesake with no responsible service does not list an empty set of others."""
    vt = load(DATA, "vest-telemark")
    vt_trace = _trace(vt)
    tst = next(g for g in vt_trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject == "tst")
    assert tst.detail == ("tverrfaglege-samhandlingsteam",)  # (TST) in both names
    line = gap_line(vt, vt_trace, tst, "nn")
    assert "«Faste tverrfaglege samhandlingsteam (TST)» har eit liknande namn" in line and "Skule" in line
    midt = load(DATA, "midtdalen")
    midt_trace = _trace(midt)
    culture = next(g for g in midt_trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE) if g.subject == "kultur")
    assert not midt.measures[culture.detail[0]].responsible
    line = gap_line(midt, midt_trace, culture, "nb")
    assert line.endswith("har et lignende navn, men planen fører ikke opp noen tjeneste som ansvarlig for det")
    assert "()" not in line


def test_reader_pages_name_no_developer_command() -> None:
    from forebygging.wording import ENTRIES

    for key in (
        "trace.gaps.intro",
        "trace.factors.unlinked",
        *(k for k in ENTRIES if k.startswith(("gap.", "summary."))),
    ):
        for lang in ("nb", "nn"):
            assert "make " not in ENTRIES[key][lang] and "STRICT" not in ENTRIES[key][lang], key


def test_a_plan_without_measures_says_so_and_has_no_pyramid() -> None:
    from forebygging.outputs.charts import report_charts

    # Midtdalen's plan without the example measures its text names: a plan with no measure at all.
    named = load(DATA, "midtdalen")
    data = dataclasses.replace(named, municipality=named.municipality.model_copy(update={"measures": []}))
    assert named.municipality.measures and not data.municipality.measures
    trace = _trace(data)
    sentences = summary(data, trace, None, "nb")
    assert sentences[0] == (
        f"Planen fører ikke opp noen tiltak, så ingen av de {len(data.municipality.services)} "
        "tjenestene og aktørene i planen har ansvar for et tiltak."
    )
    assert "tiltak som forebygger omsorgssvikt og atferdsproblemer" in sentences[3]  # a missing requirement
    assert trace.gaps_of(GapKind.FACTORS_UNLINKED) == []  # the plan-without-measures finding says it all
    assert "tiltak-per-niva" not in [c.name for c in report_charts(data, trace, "nb")]
