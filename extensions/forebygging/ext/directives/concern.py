"""``concern-contacts`` and ``concern-phones``: where a report of concern goes, and whom to call.

The page "Er du bekymret for et barn?" must name the municipality's own route to the
child welfare service without typing a URL or a number: the route comes from
``referral_routes.yaml``, the numbers from ``services.yaml`` (only where the plan gives one),
and the national portal for bekymringsmelding from ``national/contacts.yaml``.
"""

from __future__ import annotations

from docutils import nodes

from ...core import HandbookData
from ...core.models import NationalContact, ReferralRoute, Service, tel_uri
from ...core.pages import service_label
from ..base import DataDirective
from ..nodes import link, para, ref, strong

PORTAL = "bekymringsmelding-portal"
"""Id of the national portal for bekymringsmelding in ``national/contacts.yaml``."""

NIGHT_WORDS = ("barnevernvakt", "barnevernsvakt")
"""Words that name the out-of-hours child welfare service (barnevernvakten), in id or name."""


def child_welfare_route(routes: list[ReferralRoute], services: dict) -> ReferralRoute | None:
    """The referral route to barnevernet: by id, service id or service name."""
    for route in routes:
        name = services[route.service].name.lower() if route.service in services else ""
        if "barnevern" in route.id or "barnevern" in route.service or "barnevern" in name:
            return route
    return None


def _names(service: Service) -> str:
    return f"{service.id} {service.name}".lower().replace("-", "")


def night_service(data: HandbookData) -> Service | None:
    """Barnevernvakten, where the plan names it as a service."""
    return next((s for s in data.municipality.services if any(w in _names(s) for w in NIGHT_WORDS)), None)


def child_welfare_service(data: HandbookData) -> Service | None:
    """Barnevernet: the service of the referral route to it, else the service bound by barnevernsloven."""
    route = child_welfare_route(data.municipality.referral_routes, data.services)
    if route is not None:
        return data.services[route.service]
    night = night_service(data)
    for service in data.municipality.services:
        if service is not night and any(data.duties[d].law == "bvl" for d in service.bound_by):
            return service
    return None


def national_portal(data: HandbookData) -> NationalContact | None:
    return next((c for c in data.national.contacts if c.id == PORTAL), None)


class ConcernContacts(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        route = child_welfare_route(data.municipality.referral_routes, data.services)
        out: list[nodes.Node] = [para(route.how if route else self.t("concern.no_route"))]
        items = nodes.bullet_list()
        portal = national_portal(data)
        if portal is not None:
            li = nodes.list_item()
            li += para(self.t("concern.portal"), link(str(portal.url), portal.name), ". ", portal.description)
            items += li
        service = data.services[route.service] if route else child_welfare_service(data)
        if service is not None and service.contact_url:
            li = nodes.list_item()
            li += para(self.t("concern.service_page", name=service.name), link(str(service.contact_url)))
            items += li
        if service is not None:
            more: list[nodes.Node | str] = [self.t("concern.more"), ref(service_label(service.id), service.name)]
            if route is not None:
                more += [", ", ref(f"henvisning-{route.id}", self.t("referral.title").lower())]
            li = nodes.list_item()
            li += para(*more)
            items += li
        if len(items):
            out.append(items)
        return out


class ConcernPhones(DataDirective):
    """Barnevernet's and barnevernvakten's numbers as ``tel:`` links, or that the plan gives none."""

    def render(self) -> list[nodes.Node]:
        data = self.data
        items = nodes.bullet_list(classes=["concern-phones"])
        for key, service in (
            ("concern.phone.barnevern", child_welfare_service(data)),
            ("concern.phone.vakt", night_service(data)),
        ):
            li = nodes.list_item()
            label = strong(self.t(key))
            if service is not None and service.phone:
                li += para(label, " ", link(tel_uri(service.phone), service.phone), f" ({service.name})")
            else:
                li += para(label, " ", self.t(f"{key}.none"))
            items += li
        return [items]
