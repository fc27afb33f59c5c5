"""``measure-catalogue``: every measure, grouped by level, with target group, status and responsible services."""

from __future__ import annotations

from docutils import nodes

from ...core.models import Measure
from ..nodes import field_list, joined, para, ref, section, table
from ..trace.hooks import catalogue_downloads, measure_trace  # issue 3
from .base import DataDirective, level_label, measure_label, service_label


class MeasureCatalogue(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        out: list[nodes.Node] = []
        out.append(catalogue_downloads(self))  # issue 3: CSV and XLSX of the catalogue
        # A status column where the plan gives none would repeat "not stated" on every row.
        with_status = any(m.status for m in data.municipality.measures)
        if not with_status:
            out.append(para(self.t("catalogue.no_status")))
        for level in data.national.levels:
            measures = [m for m in data.municipality.measures if m.level == level.id]
            sec = section(self.state.document, level.name, level_label(level.id))
            sec["classes"].append(f"level-{level.id}")
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
            sec += table(self.t("catalogue.summary.caption", level=level.name.lower(), n=len(measures)), headers, rows)
            for m in measures:
                sec += self._measure(m)
            out.append(sec)
        return out

    def _responsible(self, m: Measure) -> list[nodes.Node]:
        services = self.data.services
        return joined([ref(service_label(s), services[s].name) for s in m.responsible])

    def _status(self, m: Measure) -> str:
        return m.status.value.capitalize() if m.status else self.t("measure.status.none")

    def _measure(self, m: Measure) -> nodes.section:
        sec = section(self.state.document, m.name, measure_label(m.id))
        sec["classes"].append("measure")
        sec += para(m.description)
        ages = self.t("measure.ages.value", min=m.ages.min, max=m.ages.max) if m.ages else None
        sec += field_list(
            [
                (self.t("measure.target"), m.target_group),
                (self.t("measure.ages"), ages),
                (self.t("measure.responsible"), self._responsible(m)),
                (self.t("measure.status"), self._status(m) if m.status else None),
            ]
        )
        sec += measure_trace(self, m)  # issue 3: need, anchor, duties fulfilled
        return sec
