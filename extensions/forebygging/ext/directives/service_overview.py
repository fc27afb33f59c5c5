"""``service-overview``: the services and partners in the plan's own overview, in the plan's order.

The service directory groups services by a kind the handbook assigns; a plan's own list
(Hemsedal kap. 11.5, interkommunale tiltak, avtaler med spesialisthelsetjenesten og andre
samarbeidspartnere) does not always say which kind each row is. This table shows the rows
exactly as the plan lists them (``in_overview: true``), so nothing depends on that judgement.
A plan without an overview gets nothing, not an empty heading.
"""

from __future__ import annotations

from docutils import nodes

from ...core.pages import service_label
from ..base import DataDirective
from ..nodes import para, ref, section, table


class ServiceOverview(DataDirective):
    def render(self) -> list[nodes.Node]:
        services = [s for s in self.data.municipality.services if s.in_overview]
        if not services:
            return []
        sec = section(self.state.document, self.t("overview.title"), "tjenester-planens-oversikt")
        sec += para(self.t("overview.intro"))
        rows = [[[ref(service_label(s.id), s.name)], s.description] for s in services]
        sec += table(
            self.t("overview.caption", n=len(services)),
            [self.t("overview.name"), self.t("overview.description")],
            rows,
        )
        return [sec]
