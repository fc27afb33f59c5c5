"""The report's «Sammendrag»: five or six plain sentences computed from the data and the trace.

A council member reads these first, on the web page and on page one of the PDF; every
number in them is counted here from the same :class:`~forebygging.core.trace.Trace` the
rest of the report shows, so the summary cannot say something the tables do not.
"""

from __future__ import annotations

from ..core import HandbookData
from ..core.changes import ChangeReport
from ..core.trace import LEVELS, GapKind, Trace
from . import lookup as tr
from .trace import requirement_duty_citation


def _and(items: list[str], lang: str) -> str:
    """'a, b og c' (the same word in bokmål and nynorsk, but looked up like every other word)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {tr(lang, 'summary.and')} {items[-1]}"


def _first_lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def summary(data: HandbookData, trace: Trace, changes: ChangeReport | None, lang: str) -> list[str]:
    """The sentences of the summary, in reading order; ``changes`` is None without an earlier version."""
    plan, m = data.plan, data.municipality
    out: list[str] = []

    # 1. What the plan covers.
    per_level = [
        tr(lang, "summary.level", n=sum(1 for x in m.measures if x.level == lv), level=data.levels[lv].name.lower())
        for lv in LEVELS
    ]
    without_measures = {g.subject for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_MEASURE)}
    if not m.measures:
        out.append(tr(lang, "summary.covers.none", services=len(m.services)))
    else:
        out.append(
            tr(
                lang,
                "summary.covers",
                n=len(m.measures),
                levels=_and(per_level, lang),
                served=len(m.services) - len(without_measures),
                services=len(m.services),
            )
        )

    # 2. What the law requires, and 3. what is met.
    reqs = trace.requirements
    met = [r for r in reqs if r.answered]
    missing = [r for r in reqs if not r.answered]
    out.append(
        tr(
            lang,
            "summary.law",
            law=requirement_duty_citation(data),
            n=len(reqs),
            titles=_and([_first_lower(r.title) for r in reqs], lang),
        )
    )
    out.append(tr(lang, "summary.met.all" if not missing else "summary.met", met=len(met), n=len(reqs)))

    # 4. What is missing: the requirements by name, the other findings by group.
    others = {
        "duties": len(trace.gaps_in("duties")),
        "services": len(trace.gaps_in("services")),
        "advice": len(trace.gaps_in("advice")),
    }
    if missing or any(others.values()):
        out.append(
            tr(
                lang,
                "summary.missing" if missing else "summary.missing.none",
                requirements=_and([_first_lower(r.title) for r in missing], lang),
                **others,
            )
        )

    # 5. What changed since the last adopted version.
    if changes is None:
        out.append(tr(lang, "summary.changes.none"))
    elif changes.empty:
        out.append(tr(lang, "summary.changes.nothing", before=changes.before))
    else:
        out.append(
            tr(
                lang,
                "summary.changes",
                before=changes.before,
                added=len(changes.measures_added),
                removed=len(changes.measures_removed),
                changed=len(changes.measures_changed),
                review=len(changes.review),
            )
        )

    # 6. What the council is asked to look at.
    adoption = plan.adoption
    lacking = [
        tr(lang, f"summary.adoption.{name}")
        for name, value in (("date", adoption.date), ("case_number", adoption.case_number))
        if value is None
    ]
    if lacking:
        out.append(tr(lang, "summary.ask.adoption", lacking=_and(lacking, lang), body=adoption.body))
    elif missing:
        out.append(
            tr(lang, "summary.ask.requirements", requirements=_and([_first_lower(r.title) for r in missing], lang))
        )
    else:
        out.append(
            tr(
                lang,
                "summary.ask.adopted",
                body=adoption.body,
                date=adoption.date.strftime("%d.%m.%Y") if adoption.date else "",
                case=adoption.case_number or "",
            )
        )
    return out
