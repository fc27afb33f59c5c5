"""``recommendations`` and ``organisation-principles``: plan content some plans have and others lack.

A plan may close with recommendations for further work instead of needs with actions (Bamble,
kap. 9), or set out principles for how the work is organised and how the services work
together (Midtdalen, kap. 3). Both are optional data; each directive renders its own heading,
so a plan without the data leaves no empty heading behind.
"""

from __future__ import annotations

from docutils import nodes

from ...core.models import ImplementationDuty
from ..base import DataDirective
from ..nodes import bullets, para, points, section


class Recommendations(DataDirective):
    """Each recommendation under the plan's heading, numbered as in the plan."""

    def render(self) -> list[nodes.Node]:
        recommendations = sorted(self.data.municipality.development.recommendations, key=lambda r: r.number)
        out: list[nodes.Node] = []
        for rec in recommendations:
            sec = section(self.state.document, f"{rec.number}. {rec.title}", f"anbefaling-{rec.id}")
            sec["classes"].append("recommendation")
            sec += points(rec.points)
            out.append(sec)
        return out


class OrganisationPrinciples(DataDirective):
    """The plan's principles for organisation and collaboration, in its order, as a section of their own."""

    def render(self) -> list[nodes.Node]:
        principles = self.data.plan.organisation_principles
        if not principles:
            return []
        duties = {d.id: d for d in self.data.municipality.development.implementation}
        items: list[nodes.Node] = []
        for principle in principles:
            if principle.implementation is not None:
                items.append(para(self._duty(duties[principle.implementation])))
            else:
                items.append(para(principle.text or ""))
        sec = section(self.state.document, self.t("principles.title"), "organisering-prinsipper")
        sec += para(self.t("principles.intro"))
        sec += bullets(items)
        return [sec]

    def _duty(self, duty: ImplementationDuty) -> str:
        key = "principles.duty.frequency" if duty.frequency else "principles.duty"
        return self.t(key, responsible=duty.responsible, duty=duty.duty, frequency=duty.frequency or "")
