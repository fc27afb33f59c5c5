"""Norwegian wording of the trace (gap lines, figures), shared by the pages, ``make check`` and the exports.

The strings themselves live in ``wording/texts.yaml``; this module only fills them in,
without a Sphinx environment, so the command line prints exactly what the pages show.
"""

from __future__ import annotations

from ..core import HandbookData
from ..core.trace import GAP_GROUPS, Gap, GapKind, RequirementTrace, Trace, review_reference
from . import ENTRIES
from . import lookup as tr


def level_name(data: HandbookData, level: str) -> str:
    return data.levels[level].name.lower()


def factor_name(data: HandbookData, factor_id: str, lang: str) -> str:
    factor = data.factors[factor_id]
    key = "trace.factors.risk" if factor.kind.value == "risiko" else "trace.factors.protective"
    return tr(lang, key, n=factor.number, name=factor.name)


def requirement_reason(req: RequirementTrace, lang: str) -> str:
    if req.answered:
        return tr(lang, "trace.req.ok")
    if not req.page_exists:
        return tr(lang, "trace.req.no_page")
    # Say what the plan lacks for this requirement, in plain words, where we know it.
    key = f"trace.req.no_data.{req.id}"
    return tr(lang, key if key in ENTRIES else "trace.req.no_data")


def gap_line(data: HandbookData, trace: Trace, gap: Gap, lang: str) -> str:
    """One gap as a sentence."""
    kind = gap.kind
    key = f"gap.{kind.value}"
    if kind is GapKind.DUTY_WITHOUT_MEASURE:
        duty = data.duties[gap.subject]
        return tr(lang, key, citation=data.duty_citation(duty), title=duty.title)
    if kind is GapKind.SERVICE_WITHOUT_COLLABORATION:
        duties = ", ".join(data.duty_citation(data.duties[d]) for d in gap.detail)
        return _units_unstated(data, gap, tr(lang, key, name=data.services[gap.subject].name, duties=duties), lang)
    if kind is GapKind.PLAN_WITHOUT_MEASURES:
        measures = data.municipality.measures
        if measures:  # no table, but the measures the plan names in its text
            key = f"{key}.examples"
        n_examples = sum(1 for x in measures if x.example)
        return tr(lang, key, municipalities=", ".join(data.plan.municipalities), n=len(measures), examples=n_examples)
    if kind is GapKind.MEASURE_WITHOUT_SERVICE:
        measure = data.measures[gap.subject]
        if measure.responsible_note:  # what the plan says instead of a service, e.g. «Felles ansvar»
            key = f"{key}.note"
        elif gap.detail:  # a service bears the measure's name: say that the plan still names no one
            same = all(data.services[s].name.lower() == measure.name.lower() for s in gap.detail)
            key = f"{key}.namesake" + ("" if same else ".similar")
        services = "», «".join(data.services[s].name for s in gap.detail)
        return tr(
            lang,
            key,
            name=measure.name,
            level=level_name(data, measure.level),
            note=measure.responsible_note,
            services=services,
        )
    if kind is GapKind.SERVICE_WITHOUT_MEASURE:
        name = data.services[gap.subject].name
        if gap.detail:  # a measure bears the service's name: say why the service still has none
            responsible = sorted({data.services[s].name for x in gap.detail for s in data.measures[x].responsible})
            measures = "», «".join(data.measures[x].name for x in gap.detail)
            # Say "the same name" only where it is, and never list an empty set of others.
            same = all(data.measures[x].name.lower() == name.lower() for x in gap.detail)
            variant = f"{key}.namesake" + ("" if same else ".similar") + ("" if responsible else ".unassigned")
            return tr(lang, variant, name=name, measures=measures, responsible=", ".join(responsible))
        return _units_unstated(data, gap, tr(lang, key, name=name), lang)
    if kind is GapKind.FACTORS_UNLINKED:
        return tr(lang, key)
    if kind is GapKind.MEASURE_DUE_FOR_REVIEW:
        measure = data.measures[gap.subject]
        if measure.reviewed is None:
            return tr(lang, f"{key}.never", name=measure.name)
        reference = review_reference(data)
        return tr(
            lang,
            key,
            name=measure.name,
            reviewed=measure.reviewed.strftime("%d.%m.%Y"),
            months=data.plan.review_cycle_months,
            date=reference.strftime("%d.%m.%Y") if reference else "",
        )
    if kind is GapKind.FACTOR_LEVEL_EMPTY:
        assert gap.level is not None
        return tr(lang, key, factor=factor_name(data, gap.subject, lang), level=level_name(data, gap.level))
    req = next(r for r in trace.requirements if r.id == gap.subject)
    return tr(lang, key, title=req.title, reason=requirement_reason(req, lang))


def _units_unstated(data: HandbookData, gap: Gap, line: str, lang: str) -> str:
    """A service named like a service area, whose units the plan does not name, says so: the reader
    would otherwise take the line to mean that nothing under it has a measure."""
    service = data.services[gap.subject]
    if not service.units_unstated:
        return line
    return f"{line}. {tr(lang, 'gap.units_unstated', name=service.name)}"


def requirement_duty_citation(data: HandbookData) -> str:
    """'Barnevernsloven § 15-1': the law written out, as a reader meets it first."""
    duty = next(d for d in data.national.duties if d.requirements)
    return f"{data.laws[duty.law].short_name.capitalize()} § {duty.section}"


def group_title(data: HandbookData, group: str, lang: str) -> str:
    """The heading of one of :data:`~forebygging.core.trace.GAP_GROUPS`; the law's name written out."""
    law = requirement_duty_citation(data)
    return tr(lang, f"gap.group.{group}", law=law[:1].lower() + law[1:])


def gap_report(data: HandbookData, trace: Trace, lang: str) -> list[str]:
    """The gap list as ``make check`` prints it: by weight, a heading per kind, one line per gap."""
    lines = [tr(lang, "check.gaps", n=len(trace.gaps))]
    for _group, kinds in GAP_GROUPS:
        for kind in kinds:
            gaps = trace.gaps_of(kind)
            if not gaps:
                continue
            lines.append(f"  {tr(lang, f'gap.kind.{kind.value}')} ({len(gaps)}):")
            lines.extend(f"    - {gap_line(data, trace, g, lang)}" for g in gaps)
    return lines
