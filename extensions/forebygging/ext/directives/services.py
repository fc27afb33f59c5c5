"""``service-directory``: every service by kind, with contact, the duties that bind it and its measures."""

from __future__ import annotations

from docutils import nodes

from ...core.models import Service, ServiceKind
from ...core.pages import measure_label, service_label
from ..base import DataDirective
from ..nodes import bullets, field_list, joined, link, para, ref, section
from ..trace.hooks import service_trace
from .catalogue_filter import GROUP, SERVICES, filter_box, item_marker


class ServiceFilter(DataDirective):
    """``service-filter``: the filter box of the service directory, at the top of the page.

    Its own directive so it can stand above the plan's own overview, which comes before the
    directory on the page; it narrows the directory's cards and the overview's rows alike.
    """

    def render(self) -> list[nodes.Node]:
        services = self.data.municipality.services
        return [filter_box(self, SERVICES)] if services else []


class ServiceDirectory(DataDirective):
    def render(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for kind in ServiceKind:
            services = [s for s in self.data.municipality.services if s.kind is kind]
            if not services:
                continue  # no empty headings
            sec = section(self.state.document, self.t(f"service.kind.{kind.value}"), f"tjenester-{kind.name.lower()}")
            sec["classes"].append(GROUP)
            for service in services:
                sec += self._service(service)
            out.append(sec)
        return out

    def _service(self, s: Service) -> nodes.section:
        data = self.data
        sec = section(self.state.document, s.name, service_label(s.id))
        sec["classes"].append("service")
        part_of = data.services[s.part_of].name if s.part_of else ""
        sec += item_marker([s.name, self.t(f"service.kind.{s.kind.value}"), part_of, s.description])
        sec += para(s.description)
        contact: list[nodes.Node] | str | None = None
        if s.contact_url:
            contact = [link(str(s.contact_url), str(s.contact_url))]
        elif s.contact_note:
            contact = s.contact_note
        duties = [data.duties[d] for d in s.bound_by]
        bound = joined(
            [link(url, data.duty_citation(d)) if (url := data.duty_url(d)) else data.duty_citation(d) for d in duties]
        )
        parent = [ref(service_label(s.part_of), data.services[s.part_of].name)] if s.part_of else None
        sec += field_list(
            [
                (self.t("service.contact"), contact),
                (self.t("service.part_of"), parent),
                (self.t("service.bound_by"), bound or None),
            ]
        )
        measures = data.measures_by_service(s.id)
        sec += para(self.t("service.measures") + ":" if measures else self.t("service.measures.none"))
        if measures:
            levels = data.levels
            sec += bullets(
                [para(ref(measure_label(m.id), m.name), f" ({levels[m.level].name.lower()})") for m in measures]
            )
        sec += service_trace(self, s)  # need, anchor, duty pages
        return sec
