"""Traceability: which legal duty each measure meets, and where the plan has gaps.

Plans rarely say which section of the law a measure fulfils. The trace derives it with
small, named rules (registered with :func:`rule`); the Norwegian docstring of each rule is
shown on the traceability page, so a reader can check the derivation by hand. Where the
plan is explicit (``fulfils`` or ``collaboration`` on a measure), the data wins.

Everything is computed once, here, without Sphinx: the need objects, the pages, the gap
page, ``make check``, the council report (web and PDF) and the CSV/XLSX exports all read
the same :class:`Trace`, so they cannot disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import pages
from .data import HandbookData
from .models import Duty, DutyKind, FactorKind, Level, Measure

LEVELS: tuple[Level, ...] = (Level.UNIVERSELL, Level.SELEKTIV, Level.INDIKERT)

PLAN_SOURCE = "plan"
"""Source of a fulfilment the plan states itself (``fulfils`` in measures.yaml)."""

COLLABORATION_WORDS: tuple[str, ...] = (
    "innsatsteam",
    "ansvarsgrupp",
    "samarbeidsmøte",
    "drøftingsmøte",
    "overgangsmøte",
    "tverrfaglig samarbeid",
    "tverrfagleg samarbeid",  # nynorsk; the other words are spelt the same in both standards
)
"""Words that make a measure a collaboration measure (matched in its name and description, bokmål and nynorsk)."""


# --------------------------------------------------------------------------- rules


RuleFunc = Callable[[HandbookData, Measure], Iterable[str]]


@dataclass(frozen=True)
class Rule:
    """A trace rule: a measure -> the duties it fulfils.

    Its title and text, as readers see them, are ``trace.rule.<id>.title``/``.text`` in
    ``wording/texts.yaml`` (nb and nn), typed only there; ``doc`` is the developers' summary.
    """

    id: str
    doc: str
    func: RuleFunc
    applies_with_override: bool
    """Whether the rule still applies when the plan lists the measure's duties itself."""


RULES: list[Rule] = []


def rule(rule_id: str, *, applies_with_override: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    """Register a trace rule (give it ``trace.rule.<id>.title`` and ``.text`` in wording/texts.yaml)."""

    def register(func: RuleFunc) -> RuleFunc:
        doc = " ".join((func.__doc__ or "").split())
        RULES.append(Rule(rule_id, doc, func, applies_with_override))
        return func

    return register


def is_collaboration(measure: Measure) -> bool:
    """The plan's own flag, or else one of :data:`COLLABORATION_WORDS` in the name or description."""
    if measure.collaboration is not None:
        return measure.collaboration
    text = f"{measure.name} {measure.description}".lower()
    return any(word in text for word in COLLABORATION_WORDS)


@rule("R1", applies_with_override=True)
def _every_measure_prevents(data: HandbookData, measure: Measure) -> Iterable[str]:
    """Every measure in the plan is preventive, so it meets bvl § 15-1 first paragraph; also with ``fulfils``."""
    return [d.id for d in data.national.duties if d.kind is DutyKind.FOREBYGGING]


@rule("R2")
def _collaboration_meets_samarbeidsplikt(data: HandbookData, measure: Measure) -> Iterable[str]:
    """A collaboration measure meets the samarbeidsplikt that binds each of its responsible services.

    Collaboration: the plan's ``collaboration`` flag, else :data:`COLLABORATION_WORDS`.
    """
    if not is_collaboration(measure):
        return []
    found: list[str] = []
    for service_id in measure.responsible:
        for duty_id in data.services[service_id].bound_by:
            if data.duties[duty_id].kind is DutyKind.SAMARBEIDSPLIKT and duty_id not in found:
                found.append(duty_id)
    return found


@rule("R3")
def _coordination_by_name(data: HandbookData, measure: Measure) -> Iterable[str]:
    """A measure named after a coordination duty (Individuell plan, Barnekoordinator) meets that duty."""
    name = measure.name.lower()
    return [d.id for d in data.national.duties if d.kind is DutyKind.KOORDINERING and d.title.lower() in name]


# --------------------------------------------------------------------------- requirements of § 15-1


@dataclass(frozen=True)
class Answer:
    """Where the handbook answers one requirement of bvl § 15-1, and when the data lets it."""

    doc: str
    check: Callable[[HandbookData], bool]


REQUIREMENT_CHAPTERS: dict[str, Answer] = {
    # requirement id (national/duties.yaml, bvl-15-1.requirements) -> the page that answers it
    "tiltak": Answer(pages.MEASURES.docname, lambda d: bool(d.municipality.measures)),
    "samordning": Answer(
        pages.COLLABORATION.docname, lambda d: any(is_collaboration(m) for m in d.municipality.measures)
    ),
    "vedtak": Answer(
        pages.ABOUT.docname, lambda d: d.plan.adoption.date is not None and d.plan.adoption.case_number is not None
    ),
    "mal": Answer(pages.ABOUT.docname, lambda d: bool(d.plan.goal_areas)),
    "organisering": Answer(pages.SERVICES.docname, lambda d: bool(d.municipality.services)),
    "samarbeid": Answer(pages.COLLABORATION.docname, lambda d: bool(d.municipality.collaboration.steps)),
}
"""The one place that says which handbook page answers each requirement of bvl § 15-1."""


def handbook_docs(srcdir: Path) -> set[str]:
    """Docnames of the pages in a handbook source directory (what Sphinx would find)."""
    docs: set[str] = set()
    for path in srcdir.rglob("*"):
        rel = path.relative_to(srcdir)
        if path.suffix in {".md", ".ipynb", ".rst"} and not any(p.startswith(("_", ".")) for p in rel.parts):
            docs.add(rel.with_suffix("").as_posix())
    return docs


# --------------------------------------------------------------------------- results


class GapKind(StrEnum):
    """Kinds of gap, in the order of their weight for the council (the law first, advice last)."""

    PLAN_WITHOUT_MEASURES = "plan-uten-tiltak"  # a plan with no measure table (maybe examples in its text)
    REQUIREMENT_WITHOUT_CHAPTER = "krav-uten-kapittel"
    DUTY_WITHOUT_MEASURE = "plikt-uten-tiltak"
    SERVICE_WITHOUT_COLLABORATION = "tjeneste-uten-samarbeidstiltak"
    SERVICE_WITHOUT_MEASURE = "tjeneste-uten-tiltak"
    MEASURE_WITHOUT_SERVICE = "tiltak-uten-ansvarlig"
    FACTORS_UNLINKED = "plan-uten-faktorkobling"  # no measure names any factor: one finding, not one per cell
    FACTOR_LEVEL_EMPTY = "faktor-niva-uten-tiltak"
    MEASURE_DUE_FOR_REVIEW = "til-vurdering"  # not reviewed within the plan's review cycle


GAP_GROUPS: tuple[tuple[str, tuple[GapKind, ...]], ...] = (
    ("law", (GapKind.PLAN_WITHOUT_MEASURES, GapKind.REQUIREMENT_WITHOUT_CHAPTER)),
    ("duties", (GapKind.DUTY_WITHOUT_MEASURE, GapKind.SERVICE_WITHOUT_COLLABORATION)),
    ("services", (GapKind.SERVICE_WITHOUT_MEASURE, GapKind.MEASURE_WITHOUT_SERVICE, GapKind.MEASURE_DUE_FOR_REVIEW)),
    ("advice", (GapKind.FACTORS_UNLINKED, GapKind.FACTOR_LEVEL_EMPTY)),
)
"""Findings by weight: what § 15-1 requires, then duties to collaborate, then services, then advice.

Their headings are ``gap.group.<key>`` in wording/texts.yaml."""


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    subject: str
    """The id of what is missing something (duty, service, measure, factor or requirement)."""
    level: Level | None = None
    """For a factor x level gap: the empty level."""
    detail: tuple[str, ...] = ()
    """Ids that explain the gap, e.g. the samarbeidsplikt duties that bind a service."""


@dataclass(frozen=True)
class Fulfilment:
    measure: str
    duty: str
    source: str
    """A rule id, or :data:`PLAN_SOURCE` where the plan says so itself."""


@dataclass(frozen=True)
class RequirementTrace:
    id: str
    title: str
    doc: str | None
    page_exists: bool
    data_ok: bool

    @property
    def answered(self) -> bool:
        return self.page_exists and self.data_ok


@dataclass(frozen=True)
class AgeBand:
    label: str
    min: int
    max: int


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("0–5 år", 0, 5),
    AgeBand("6–12 år", 6, 12),
    AgeBand("13–15 år", 13, 15),
    AgeBand("16–20 år", 16, 20),
)


@dataclass(frozen=True)
class Figure:
    """A coverage figure: ``covered`` of ``total``."""

    key: str
    covered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.total) if self.total else 100


@dataclass
class Trace:
    rules: list[Rule]
    fulfilments: list[Fulfilment]
    collaboration: list[str]
    """Ids of the collaboration measures, in plan order."""
    traced_duties: list[str]
    """Duties the plan is measured against: § 15-1, coordination duties, and each samarbeidsplikt
    section that binds at least one service in the plan."""
    unbound_duties: list[str]
    """Samarbeidsplikt sections that bind no service in the plan (shown, not counted as gaps)."""
    matrix_services: list[str]
    """Services bound by at least one samarbeidsplikt section: the rows of the duty x service matrix."""
    matrix_duties: list[str]
    """Samarbeidsplikt sections that bind a service: the columns of the duty x service matrix."""
    pair_measures: dict[tuple[str, str], list[str]]
    """(service, duty) -> measures of that service (or its parent) that fulfil the duty."""
    factor_cells: dict[tuple[str, Level], list[str]]
    age_cells: dict[tuple[str, Level], list[str]]
    no_age: dict[Level, list[str]]
    requirements: list[RequirementTrace]
    gaps: list[Gap]
    figures: list[Figure] = field(default_factory=list)
    _indexed: Any = field(default=None, init=False, repr=False, compare=False)

    def duties_of(self, measure_id: str) -> list[Fulfilment]:
        return list(self._index()[0].get(measure_id, ()))

    def measures_of(self, duty_id: str) -> list[str]:
        return list(self._index()[1].get(duty_id, ()))

    def _index(self) -> tuple[dict[str, list[Fulfilment]], dict[str, dict[str, None]]]:
        """measure -> its fulfilments, duty -> its measures (in order, once each), built on first use.

        Every measure's page section asks for its duties: scanning all fulfilments each time
        made a catalogue of N measures cost N² (seconds at N = 5,000). Rebuilt if the list was
        replaced or grew.
        """
        key = (id(self.fulfilments), len(self.fulfilments))
        if self._indexed is None or self._indexed[0] != key:
            by_measure: dict[str, list[Fulfilment]] = {}
            by_duty: dict[str, dict[str, None]] = {}
            for f in self.fulfilments:
                by_measure.setdefault(f.measure, []).append(f)
                by_duty.setdefault(f.duty, {})[f.measure] = None
            self._indexed = (key, (by_measure, by_duty))
        return self._indexed[1]

    def gaps_of(self, kind: GapKind) -> list[Gap]:
        return [g for g in self.gaps if g.kind is kind]

    def gaps_in(self, group: str) -> list[Gap]:
        """The gaps of one of :data:`GAP_GROUPS`, in the order of its kinds."""
        kinds = dict(GAP_GROUPS)[group]
        return [g for kind in kinds for g in self.gaps_of(kind)]

    @property
    def links_factors(self) -> bool:
        """Whether the plan ties any measure to a risk or protective factor."""
        return any(self.factor_cells.values())

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def derive_fulfilments(data: HandbookData) -> list[Fulfilment]:
    """Apply the rules to every measure; explicit ``fulfils`` in the plan override R2 and later."""
    out: list[Fulfilment] = []
    for measure in data.municipality.measures:
        seen: set[str] = set()

        def add(duty_id: str, source: str, measure: Measure = measure, seen: set[str] = seen) -> None:
            if duty_id not in seen:
                seen.add(duty_id)
                out.append(Fulfilment(measure.id, duty_id, source))

        explicit = bool(measure.fulfils)
        for duty_id in measure.fulfils:
            add(duty_id, PLAN_SOURCE)
        for r in RULES:
            if explicit and not r.applies_with_override:
                continue
            for duty_id in r.func(data, measure):
                add(duty_id, r.id)
    return out


class _Families:
    """Which services are part of which (``part_of``), looked up once per trace, not once per question:
    asked for every (service, duty, measure), a scan of all services made the trace quadratic
    (63 of 233 s of a clean build at 5,000 measures and 500 services)."""

    def __init__(self, data: HandbookData) -> None:
        self.data = data
        self.units: dict[str, set[str]] = {}
        for s in data.municipality.services:
            if s.part_of:
                self.units.setdefault(s.part_of, set()).add(s.id)

    def units_of(self, service_id: str) -> set[str]:
        """A service and the services that are part of it: a parent answers with its units."""
        return {service_id} | self.units.get(service_id, set())

    def family(self, service_id: str) -> set[str]:
        """A service with its units and its parent: a unit's measures count for the parent (which
        answers with its units), and the parent's for the unit (which works within it)."""
        parent = self.data.services[service_id].part_of
        return self.units_of(service_id) | ({parent} if parent else set())


def namesakes(data: HandbookData, service_id: str) -> tuple[str, ...]:
    """Measures named like the service (e.g. the innsatsteam) that other services are responsible for.

    A service without measures next to a measure of its own name reads as an error;
    the gap line names these measures to say why it is still a gap.
    """
    name = data.services[service_id].name.lower()
    # «Tverrfagleg samhandlingsteam (TST)» and the measure «Faste tverrfaglege samhandlingsteam (TST)»:
    # the same abbreviation in brackets names the same thing even where the words differ.
    short = set(_BRACKETED.findall(name))
    return tuple(
        m.id
        for m in data.municipality.measures
        if service_id not in m.responsible
        and (name in m.name.lower() or m.name.lower() in name or short & set(_BRACKETED.findall(m.name.lower())))
    )


_BRACKETED = re.compile(r"\(([^()]+)\)")


def service_namesakes(data: HandbookData, measure_id: str) -> tuple[str, ...]:
    """Services named like a measure that has no responsible service (Hemsedal's row «Skole»).

    Stricter than :func:`namesakes`: a measure's name is often a sentence that mentions many
    services, so only the same name, a name that starts with the service's, or the same
    abbreviation in brackets counts.
    """
    name = data.measures[measure_id].name.lower()
    short = set(_BRACKETED.findall(name))
    found = []
    for s in data.municipality.services:
        other = s.name.lower()
        starts = name.startswith(other) and not name[len(other) : len(other) + 1].isalpha()
        if name == other or starts or short & set(_BRACKETED.findall(other)):
            found.append(s.id)
    return tuple(found)


def _binds_locally(data: HandbookData, duty: Duty) -> bool:
    return any(duty.id in s.bound_by for s in data.municipality.services)


def compute(data: HandbookData, docs: set[str]) -> Trace:
    """The whole trace for one handbook; ``docs`` are the docnames of the handbook's pages."""
    m = data.municipality
    fulfilments = derive_fulfilments(data)
    collaboration = [x.id for x in m.measures if is_collaboration(x)]

    samarbeid = [d for d in data.national.duties if d.kind is DutyKind.SAMARBEIDSPLIKT]
    traced = [
        d.id
        for d in data.national.duties
        if d.kind in (DutyKind.FOREBYGGING, DutyKind.KOORDINERING)
        or (d.kind is DutyKind.SAMARBEIDSPLIKT and _binds_locally(data, d))
    ]
    traced += [f.duty for f in fulfilments if f.duty not in traced]  # the plan may name others
    unbound = [d.id for d in samarbeid if not _binds_locally(data, d)]

    matrix_duties = [d.id for d in samarbeid if _binds_locally(data, d)]
    matrix_services = [s.id for s in m.services if any(d in matrix_duties for d in s.bound_by)]

    families = _Families(data)
    by_duty: dict[str, list[Fulfilment]] = {}  # one pass, not one per (service, duty) pair
    for f in fulfilments:
        by_duty.setdefault(f.duty, []).append(f)
    pair_measures: dict[tuple[str, str], list[str]] = {}
    for s in matrix_services:
        # The service, its units and the service it is part of: a part's measures count for both.
        family = families.family(s)
        for d in data.services[s].bound_by:
            pair_measures[(s, d)] = [
                f.measure for f in by_duty.get(d, ()) if family & set(data.measures[f.measure].responsible)
            ]

    factor_cells: dict[tuple[str, Level], list[str]] = {}
    for factor in data.national.factors:
        for level in LEVELS:
            factor_cells[(factor.id, level)] = [
                x.id for x in m.measures if x.level == level and factor.id in (*x.strengthens, *x.reduces)
            ]
    age_cells: dict[tuple[str, Level], list[str]] = {}
    for band in AGE_BANDS:
        for level in LEVELS:
            age_cells[(band.label, level)] = [
                x.id
                for x in m.measures
                if x.level == level and x.ages and x.ages.min <= band.max and x.ages.max >= band.min
            ]
    no_age = {level: [x.id for x in m.measures if x.level == level and x.ages is None] for level in LEVELS}

    requirements: list[RequirementTrace] = []
    for duty in data.national.duties:
        for req in duty.requirements:
            answer = REQUIREMENT_CHAPTERS.get(req.id)
            requirements.append(
                RequirementTrace(
                    id=req.id,
                    title=req.title,
                    doc=answer.doc if answer else None,
                    page_exists=answer is not None and answer.doc in docs,
                    data_ok=answer is not None and answer.check(data),
                )
            )

    trace = Trace(
        rules=list(RULES),
        fulfilments=fulfilments,
        collaboration=collaboration,
        traced_duties=traced,
        unbound_duties=unbound,
        matrix_services=matrix_services,
        matrix_duties=matrix_duties,
        pair_measures=pair_measures,
        factor_cells=factor_cells,
        age_cells=age_cells,
        no_age=no_age,
        requirements=requirements,
        gaps=[],
    )
    trace.gaps = _gaps(data, trace, families)
    trace.figures = _figures(data, trace)
    return trace


def _gaps(data: HandbookData, trace: Trace, families: _Families) -> list[Gap]:
    m = data.municipality
    gaps: list[Gap] = []
    # No measure table: the first thing a reader must see, also when the handbook shows the
    # measures the plan names in its text (mostly examples) instead.
    if not m.measures or not data.plan.measure_table:
        gaps.append(Gap(GapKind.PLAN_WITHOUT_MEASURES, data.slug))
    for req in trace.requirements:
        if not req.answered:
            gaps.append(Gap(GapKind.REQUIREMENT_WITHOUT_CHAPTER, req.id))
    for duty_id in trace.traced_duties:
        if not trace.measures_of(duty_id):
            gaps.append(Gap(GapKind.DUTY_WITHOUT_MEASURE, duty_id))
    collab = set(trace.collaboration)
    for s in m.services:
        binding = tuple(d for d in s.bound_by if data.duties[d].kind is DutyKind.SAMARBEIDSPLIKT)
        if not binding:
            continue
        family = families.family(s.id)
        if not any(family & set(data.measures[x].responsible) for x in collab):
            gaps.append(Gap(GapKind.SERVICE_WITHOUT_COLLABORATION, s.id, detail=binding))
    served = {service for x in m.measures for service in x.responsible}  # one pass, not one per service
    for s in m.services:
        if not any(unit in served for unit in families.units_of(s.id)):
            gaps.append(Gap(GapKind.SERVICE_WITHOUT_MEASURE, s.id, detail=namesakes(data, s.id)))
    for x in m.measures:
        if not x.responsible:
            gaps.append(Gap(GapKind.MEASURE_WITHOUT_SERVICE, x.id, detail=service_namesakes(data, x.id)))
    gaps.extend(Gap(GapKind.MEASURE_DUE_FOR_REVIEW, x.id) for x in due_for_review(data))
    if m.measures and not trace.links_factors:
        # Every cell would be empty for the same reason: one finding says it once.
        gaps.append(Gap(GapKind.FACTORS_UNLINKED, data.slug))
    elif m.measures:
        for factor in sorted(data.national.factors, key=lambda f: (f.kind is not FactorKind.RISIKO, f.number)):
            for level in LEVELS:
                if not trace.factor_cells[(factor.id, level)]:
                    gaps.append(Gap(GapKind.FACTOR_LEVEL_EMPTY, factor.id, level=level))
    return gaps


def review_reference(data: HandbookData) -> dt.date | None:
    """The date reviews are measured against: the version's date, else the adoption's; never the build day.

    A build of the same data must give the same pages, so "today" is not an option; without
    either date the plan tracks no review yet and nothing is listed.
    """
    return data.plan.version_date or data.plan.adoption.date


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_for_review(data: HandbookData) -> list[Measure]:
    """Measures never reviewed, or reviewed longer than the plan's review cycle before the reference date."""
    reference = review_reference(data)
    if reference is None:
        return []
    months = data.plan.review_cycle_months
    return [x for x in data.municipality.measures if x.reviewed is None or add_months(x.reviewed, months) < reference]


def _figures(data: HandbookData, trace: Trace) -> list[Figure]:
    m = data.municipality
    pairs = trace.pair_measures
    bound_services = {g.subject for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_COLLABORATION)}
    n_bound = sum(1 for s in m.services if any(data.duties[d].kind is DutyKind.SAMARBEIDSPLIKT for d in s.bound_by))
    return [
        Figure("duties", sum(1 for d in trace.traced_duties if trace.measures_of(d)), len(trace.traced_duties)),
        Figure("pairs", sum(1 for v in pairs.values() if v), len(pairs)),
        Figure("bound_services", n_bound - len(bound_services), n_bound),
        Figure("measures", sum(1 for x in m.measures if x.responsible), len(m.measures)),
        Figure("services", len(m.services) - len(trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE)), len(m.services)),
        Figure("factor_cells", sum(1 for v in trace.factor_cells.values() if v), len(trace.factor_cells)),
        Figure("requirements", sum(1 for r in trace.requirements if r.answered), len(trace.requirements)),
    ]


def need_id(kind: str, item_id: str) -> str:
    """The sphinx-needs id of a duty, measure, service or factor: ``DUTY_BVL_15_1``."""
    return f"{kind.upper()}_{item_id.upper().replace('-', '_')}"
