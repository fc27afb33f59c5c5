"""Directives that render the plan data into pages."""

from __future__ import annotations

from sphinx.application import Sphinx

from .changes import ChangeReportDirective
from .collaboration import CollaborationModelDirective, ReferralRoutes
from .concern import ConcernContacts
from .development import ImplementationDuties, LongTermChanges, NeedsActions, Strengths
from .duties import DutyList
from .exercises import ExerciseLink
from .factors import FactorList, RiskGroups
from .flow import CollaborationFlow
from .indicators import IndicatorChart, IndicatorTable
from .interactive import setup_interactive
from .levels import LevelOverview
from .measures import MeasureCatalogue
from .plan_about import PlanAbout
from .plan_info import PlanInfo
from .services import ServiceDirectory
from .sources import SourceList

DIRECTIVES = {
    "plan-info": PlanInfo,
    "measure-catalogue": MeasureCatalogue,
    "service-directory": ServiceDirectory,
    "collaboration-model": CollaborationModelDirective,
    "referral-routes": ReferralRoutes,
    # Handbook content and onboarding (issue 4)
    "plan-about": PlanAbout,
    "factor-list": FactorList,
    "risk-groups": RiskGroups,
    "level-overview": LevelOverview,
    "collaboration-flow": CollaborationFlow,
    "indicator-table": IndicatorTable,
    "indicator-chart": IndicatorChart,
    "strengths": Strengths,
    "needs-actions": NeedsActions,
    "long-term-changes": LongTermChanges,
    "implementation-duties": ImplementationDuties,
    "duty-list": DutyList,
    "concern-contacts": ConcernContacts,
    "source-list": SourceList,
    "exercise-link": ExerciseLink,
    # Versions (issue 7)
    "change-report": ChangeReportDirective,
}


def setup_directives(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    setup_interactive(app)  # interactive checks (issue 5): their own directives and page assets
