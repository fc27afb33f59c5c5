"""What the catalogue and the service directory show of the trace: needs, anchors, back-links, downloads.

Called from one line each in ``directives/measures.py`` and ``directives/services.py``, so
those generators stay as they are and the trace lives here.
"""

from __future__ import annotations

from docutils import nodes

from ...core.models import DutyKind, Measure, Service
from ...core.pages import GAPS, duty_label
from ...core.trace import GapKind, need_id
from ..base import DataDirective
from ..nodes import field_list, joined, para, ref
from .directives import doc_ref, relative_uri
from .needs import anchor, measure_need, service_need
from .state import get_trace


def measure_trace(d: DataDirective, measure: Measure) -> list[nodes.Node]:
    """The measure's (hidden) need, an anchor with its need id, and the duties it fulfils."""
    data, trace = d.data, get_trace(d.env)
    out: list[nodes.Node] = [*measure_need(d, data, trace, measure), anchor(need_id("measure", measure.id))]
    items = []
    for f in trace.duties_of(measure.id):
        rule = d.t("trace.rule.plan") if f.source == "plan" else f.source
        items.append(para(ref(duty_label(f.duty), data.duty_citation(data.duties[f.duty])), f" ({rule})"))
    value: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            value.append(nodes.Text(", "))
        value.extend(item.children)
    out.append(field_list([(d.t("trace.measure.fulfils"), value or None)]))
    return out


def service_trace(d: DataDirective, service: Service) -> list[nodes.Node]:
    """The service's (hidden) need, an anchor with its need id, and the duty pages that bind it."""
    data, trace = d.data, get_trace(d.env)
    out: list[nodes.Node] = [*service_need(d, service), anchor(need_id("service", service.id))]
    bound = [x for x in service.bound_by if data.duties[x].kind is DutyKind.SAMARBEIDSPLIKT]
    if not bound:
        return out
    value: list[nodes.Node] = joined([ref(duty_label(x), data.duty_citation(data.duties[x])) for x in bound])
    family = {service.id} | ({service.part_of} if service.part_of else set())
    n = sum(1 for m in trace.collaboration if family & set(data.measures[m].responsible))
    if any(g.subject == service.id for g in trace.gaps_of(GapKind.SERVICE_WITHOUT_COLLABORATION)):
        value += [nodes.Text(" – "), doc_ref(GAPS.docname, d.t("trace.service.gap"))]
    else:
        value.append(nodes.Text(" – " + d.t("trace.service.collab", n=n)))
    out.append(field_list([(d.t("trace.service.trace"), value)]))
    return out


def catalogue_downloads(d: DataDirective) -> nodes.paragraph:
    """Links to the CSV and XLSX of the catalogue (written next to the HTML at build-finished), and a formula note."""
    from ...outputs.exports import file_stem

    stem = file_stem(d.data)
    doc = d.env.docname
    return para(
        d.t("export.download"),
        nodes.reference("", d.t("export.csv"), refuri=relative_uri(doc, f"{stem}.csv"), internal=True),
        " · ",
        nodes.reference("", d.t("export.xlsx"), refuri=relative_uri(doc, f"{stem}.xlsx"), internal=True),
        # Formula-like values are written as text (exports.formula_like); the reader is told so.
        d.t("export.note"),
        classes=["catalogue-downloads"],
    )
