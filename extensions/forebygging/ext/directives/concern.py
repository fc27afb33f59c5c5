"""``concern-contacts``: where a report of concern goes, from the municipality's referral routes.

The page "Er du bekymret for et barn?" must name the municipality's own route to the
child welfare service without typing a URL: it comes from ``referral_routes.yaml``.
"""

from __future__ import annotations

from docutils import nodes

from ...core.models import ReferralRoute
from ...core.pages import service_label
from ..base import DataDirective
from ..nodes import link, para, ref


def child_welfare_route(routes: list[ReferralRoute], services: dict) -> ReferralRoute | None:
    """The referral route to barnevernet: by id, service id or service name."""
    for route in routes:
        name = services[route.service].name.lower() if route.service in services else ""
        if "barnevern" in route.id or "barnevern" in route.service or "barnevern" in name:
            return route
    return None


class ConcernContacts(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        route = child_welfare_route(data.municipality.referral_routes, data.services)
        if route is None:
            return [para(self.t("concern.no_route"))]
        service = data.services[route.service]
        out: list[nodes.Node] = [para(route.how)]
        items = nodes.bullet_list()
        if route.url:
            li = nodes.list_item()
            li += para(self.t("concern.portal"), link(str(route.url), str(route.url)))
            items += li
        if service.contact_url:
            li = nodes.list_item()
            li += para(self.t("concern.service_page", name=service.name), link(str(service.contact_url)))
            items += li
        li = nodes.list_item()
        li += para(
            self.t("concern.more"),
            ref(service_label(service.id), service.name),
            ", ",
            ref(f"henvisning-{route.id}", self.t("referral.title").lower()),
        )
        items += li
        out.append(items)
        return out
