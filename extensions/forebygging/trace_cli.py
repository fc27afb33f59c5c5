"""``make check`` (trace part) and ``make report``: the gap list on the console, the council report as PDF."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .core.loader import HandbookData
from .core.trace import Trace, compute, handbook_docs
from .ext.trace.text import gap_report, tr


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


def cmd_report(args: argparse.Namespace, build: object, load_data: object, project: Path) -> int:
    """Build the HTML, then print its report page to ``_build/<slug>/report/`` (and copy it into the site)."""
    from .report import pdf_name, render_pdf, today

    status = build(args)  # type: ignore[operator]
    if status != 0:
        return status
    data: HandbookData = load_data()  # type: ignore[operator]
    lang = data.plan.language.value
    out = args.out or project / "_build" / data.slug
    name = pdf_name(data.slug)
    target = out / "report" / name
    municipality = ", ".join(data.plan.municipalities)
    render_pdf(
        out / "html",
        target,
        header=tr(lang, "report.header", municipality=municipality, version=data.plan.version, date=today()),
        page_label=tr(lang, "report.page", page="{page}", pages="{pages}"),
        title=f"{tr(lang, 'report.title')} – {municipality}",
        lang=lang,
    )
    shutil.copy2(target, out / "html" / name)  # the report page links to it
    print(f"Report: {target}")
    return 0
