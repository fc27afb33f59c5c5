"""``accessibility-feedback`` and ``national-contacts``: the channels an accessibility statement must name.

A Norwegian tilgjengelighetserklæring names where readers report what does not work (here: the
plan owner's e-mail or contact page, only as the plan gives it) and where they may complain (the
supervisory authority and Diskrimineringsnemnda). Neither address is typed on the page: the
feedback channel comes from ``plan.yaml`` (``feedback``), the national bodies from
``national/contacts.yaml``, where each address is stored with the source it was found in.
"""

from __future__ import annotations

from urllib.parse import urlparse

from docutils import nodes

from ..base import DataDirective
from ..nodes import link, para, strong


class AccessibilityFeedback(DataDirective):
    """The plan owner's e-mail and contact page, or that the plan gives neither."""

    def render(self) -> list[nodes.Node]:
        feedback = self.data.plan.feedback
        if feedback is None:
            return [para(self.t("statement.feedback.none"))]
        items = nodes.bullet_list()
        if feedback.email:
            li = nodes.list_item()
            li += para(self.t("statement.feedback.email"), " ", link(f"mailto:{feedback.email}", feedback.email))
            items += li
        if feedback.url:
            li = nodes.list_item()
            li += para(self.t("statement.feedback.url"), " ", link(str(feedback.url)))
            items += li
        return [para(self.t("statement.feedback.intro")), items]


class NationalContacts(DataDirective):
    """The national channels named as arguments (ids in ``national/contacts.yaml``), in that order."""

    required_arguments = 1
    final_argument_whitespace = True

    def render(self) -> list[nodes.Node]:
        contacts = {c.id: c for c in self.data.national.contacts}
        items = nodes.bullet_list()
        for wanted in self.arguments[0].split():
            contact = contacts.get(wanted)
            if contact is None:
                raise self.error(
                    f"no national contact '{wanted}' in national/contacts.yaml (ids: {', '.join(contacts)})"
                )
            host = urlparse(str(contact.url)).hostname or str(contact.url)
            li = nodes.list_item()
            li += para(
                strong(contact.name), ": ", link(str(contact.url), host.removeprefix("www.")), ". ", contact.description
            )
            items += li
        return [items]
