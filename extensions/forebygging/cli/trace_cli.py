"""``make check`` (trace part) and ``make report``: the gap list on the console, the council report as PDF."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core import HandbookData
from ..core.trace import Trace, compute, handbook_docs
from ..wording import lookup as tr
from ..wording.trace import gap_report


def trace_of(data: HandbookData, handbook: Path) -> Trace:
    return compute(data, handbook_docs(handbook))


def print_trace(data: HandbookData, handbook: Path, *, full: bool) -> Trace:
    """The trace summary, and with ``full`` the whole gap list (the same as the Mangler page)."""
    lang = data.plan.language.value
    trace = trace_of(data, handbook)
    print(
        tr(lang, "check.trace", duties=len(trace.traced_duties), collab=len(trace.collaboration), gaps=len(trace.gaps))
    )
    if full:
        for figure in trace.figures:
            value = tr(lang, "trace.figures.value", covered=figure.covered, total=figure.total)
            print(f"    {tr(lang, f'trace.figure.{figure.key}')}: {value} ({figure.percent} %)")
        for line in gap_report(data, trace, lang):
            print(f"  {line}")
    return trace


def strict_failure(data: HandbookData, trace: Trace) -> int:
    if trace.gaps:
        print(tr(data.plan.language.value, "check.strict", n=len(trace.gaps)), file=sys.stderr)
        return 1
    return 0


def plan_date(data: HandbookData) -> str:
    """The date of the plan version, saying what it is: its adoption, else the last change of its data.

    Not the build day: two builds of one version print the same header, and it agrees with
    what the handbook says about the plan.
    """
    from ..ext.site import plan_data_changed

    lang = data.plan.language.value
    adoption = data.plan.adoption
    if adoption.date is not None:
        return tr(lang, "report.date.adopted", date=adoption.date.strftime("%d.%m.%Y"))
    changed = plan_data_changed(data)
    status = tr(lang, f"report.date.status.{data.plan.status.value}")
    if changed is None:
        return status
    return tr(lang, "report.date.changed", status=status, date=changed.strftime("%d.%m.%Y"))


def write_report_pdf(data: HandbookData, html_dir: Path, cache: Path | None = None) -> Path:
    """Print the built report page to ``html_dir/<pdf name>``, where the report page links to it.

    With ``cache`` (a folder of the build, outside the site), a print of the same inputs made
    by an earlier build is copied instead of printed again.
    """
    from ..outputs.report import pdf_name, print_cached, render_pdf

    lang = data.plan.language.value
    municipality = ", ".join(data.plan.municipalities)
    target = html_dir / pdf_name(data.slug)
    texts = {
        "header": tr(lang, "report.header", municipality=municipality, version=data.plan.version, date=plan_date(data)),
        "page_label": tr(lang, "report.page", page="{page}", pages="{pages}"),
        "title": f"{tr(lang, 'report.title')} – {municipality}",
        "lang": lang,
    }
    if cache is None:
        return render_pdf(html_dir, target, **texts)
    printed = print_cached(html_dir, target, cache, **texts)
    print(f"Report PDF: {'printed' if printed else 'reused, its inputs are unchanged'}")
    return target
