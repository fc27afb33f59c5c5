"""Directives that render the plan data into pages."""

from __future__ import annotations

from sphinx.application import Sphinx

from .collaboration import CollaborationModelDirective, ReferralRoutes
from .measures import MeasureCatalogue
from .plan_info import PlanInfo
from .services import ServiceDirectory

DIRECTIVES = {
    "plan-info": PlanInfo,
    "measure-catalogue": MeasureCatalogue,
    "service-directory": ServiceDirectory,
    "collaboration-model": CollaborationModelDirective,
    "referral-routes": ReferralRoutes,
}


def setup_directives(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
