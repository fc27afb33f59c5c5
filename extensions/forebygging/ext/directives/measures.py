"""``measure-catalogue``: every measure, grouped by level, with target group, status and responsible services."""

from __future__ import annotations

from docutils import nodes

from ...core.models import Measure
from ...core.pages import FACTOR_MATRIX, level_label, measure_label, organised_by_factor, service_label
from ..base import DataDirective
from ..nodes import bullets, field_list, joined, para, ref, section, strong, table
from ..trace.directives import doc_ref
from ..trace.hooks import catalogue_downloads, measure_trace
from .catalogue_filter import GROUP, MEASURES, filter_box, item_marker
from .factor_matrix import plan_level_label


class MeasureCatalogue(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        if not data.municipality.measures:
            return self._no_measures()  # say so plainly, no empty level sections
        out: list[nodes.Node] = []
        if not data.plan.measure_table:  # the plan names measures in its text only: say so first
            out.append(para(strong(self.t("catalogue.no_table")), classes=["catalogue-no-table"]))
            if any(not m.level_in_plan for m in data.municipality.measures):
                out.append(para(self.t("catalogue.no_table.reading")))
        # The filter first: on a phone it is what the reader reaches for.
        levels = [(level.id, level.name) for level in data.national.levels]
        with_ages = any(m.ages for m in data.municipality.measures)
        out.append(filter_box(self, MEASURES, levels, with_ages))
        if organised_by_factor(data):  # the plan's own view, factor × level
            text = self.t("catalogue.by_factor", page="{}")
            before, _, after = text.partition("{}")
            out.append(para(before, doc_ref(FACTOR_MATRIX.docname), after))
        # A status column where the plan gives none would repeat "not stated" on every row.
        with_status = any(m.status or m.status_note for m in data.municipality.measures)
        if not with_status:
            out.append(para(self.t("catalogue.no_status")))
        for level in data.national.levels:
            measures = [m for m in data.municipality.measures if m.level == level.id]
            sec = section(self.state.document, level.name, level_label(level.id))
            sec["classes"] += [f"level-{level.id}", GROUP]
            sec += para(level.for_whom)
            if not measures:
                sec += para(self.t("catalogue.none"))
                out.append(sec)
                continue
            headers = [self.t("measure.name"), self.t("measure.target"), self.t("measure.responsible")]
            rows = [[[ref(measure_label(m.id), m.name)], m.target_group, self._responsible(m)] for m in measures]
            if with_status:
                headers.append(self.t("measure.status"))
                for row, m in zip(rows, measures, strict=True):
                    row.append(self._status(m))
            caption = self.t("catalogue.summary.caption", level=level.name.lower(), n=len(measures))
            # The overview table is for wide screens; on a phone the cards below are the list.
            sec += table(caption, headers, rows, classes=["catalogue-summary"])
            for m in measures:
                sec += self._measure(m)
            out.append(sec)
        # CSV and XLSX of the catalogue in a last section of their own: on a phone the filter leads
        # straight to the measures, and the downloads are for office work.
        downloads = section(self.state.document, self.t("export.section"), "last-ned")
        downloads += catalogue_downloads(self)
        out.append(downloads)
        return out

    def _responsible(self, m: Measure) -> list[nodes.Node]:
        services = self.data.services
        parts: list[nodes.Node | str] = [ref(service_label(s), services[s].name) for s in m.responsible]
        if m.responsible_note:  # what the plan says where no service fits, e.g. «Felles ansvar»
            parts.append(m.responsible_note)
        return joined(parts)

    def _no_measures(self) -> list[nodes.Node]:
        """A plan without a measure table: say so, and show the plan's examples per level, if any."""
        out: list[nodes.Node] = [para(strong(self.t("catalogue.empty")), classes=["catalogue-empty"])]
        steps = [s for s in self.data.municipality.collaboration.steps if s.examples]
        if steps:
            out.append(para(self.t("catalogue.examples.intro")))
            items: list[nodes.Node] = []
            for step in steps:
                label = self.t(
                    "catalogue.examples.level",
                    label=plan_level_label(self.data, step.level),
                    level=self.data.levels[step.level].name.lower(),
                )
                item = nodes.container(classes=[f"level-{step.level}"])
                item += para(strong(label))
                item += bullets(step.examples)
                items.append(item)
            out.append(bullets(items))
        return out

    def _status(self, m: Measure) -> str:
        """The status, with the plan's own status text where the status list cannot hold it."""
        status = m.status.value.capitalize() if m.status else None
        if status and m.status_note:
            return self.t("measure.status.with_note", status=status, note=m.status_note)
        return status or m.status_note or self.t("measure.status.none")

    def _measure(self, m: Measure) -> nodes.section:
        sec = section(self.state.document, m.name, measure_label(m.id))
        sec["classes"].append("measure")
        services = self.data.services
        words = [m.name, m.target_group, *(services[s].name for s in m.responsible), m.responsible_note or ""]
        sec += item_marker(words, m.level, m.ages)
        if m.example:  # the plan names it only as an example of its level
            sec["classes"].append("measure-example")
            sec += para(strong(self.t("measure.example")), " – ", self.t("measure.example.text"), classes=["example"])
        sec += para(m.description)
        level = self.data.levels[m.level].name
        # Said, not left out: a measure without an age range does not fit every age.
        ages = self.t("measure.ages.value", min=m.ages.min, max=m.ages.max) if m.ages else self.t("measure.ages.none")
        sec += field_list(
            [
                (self.t("measure.level"), None if m.level_in_plan else self.t("measure.level.reading", level=level)),
                (self.t("measure.target"), m.target_group),
                (self.t("measure.ages"), ages),
                (self.t("measure.responsible"), self._responsible(m)),
                (self.t("measure.status"), self._status(m) if m.status or m.status_note else None),
            ]
        )
        sec += measure_trace(self, m)  # need, anchor, duties fulfilled
        return sec
