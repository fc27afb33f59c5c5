"""Directives that render the plan data into pages."""

from __future__ import annotations

from sphinx.application import Sphinx

from .catalogue_filter import setup_catalogue_filter
from .changes import ChangeReportDirective, ReportChanges
from .collaboration import CollaborationModelDirective, ReferralRoutes
from .concern import ConcernContacts, ConcernPhones
from .development import ImplementationDuties, LongTermChanges, NeedsActions, Strengths
from .duties import DutyList
from .exercises import ExerciseLink, WorkshopSession
from .factor_matrix import DIRECTIVES as FACTOR_MATRIX_DIRECTIVES
from .factor_matrix import setup_factor_matrix
from .factors import FactorList, RiskGroups
from .flow import CollaborationFlow
from .forums import MeetingStructureDirective
from .indicators import IndicatorChart, IndicatorTable
from .interactive import setup_interactive
from .levels import LevelOverview
from .local_part import LocalParts
from .measures import MeasureCatalogue, MeasureLevel, setup_measures
from .participation import UserParticipation
from .plan_about import PlanAbout
from .plan_info import PlanInfo
from .plan_structure import OrganisationPrinciples, Recommendations
from .service_overview import ServiceOverview
from .services import ServiceDirectory, ServiceFilter
from .sources import SourceList
from .start_tasks import StartTasks
from .statement import AccessibilityFeedback, NationalContacts
from .templates import DIRECTIVES as TEMPLATE_DIRECTIVES
from .templates import setup_templates

DIRECTIVES = {
    "plan-info": PlanInfo,
    "start-tasks": StartTasks,  # the start page opens with what a reader came to do
    "measure-catalogue": MeasureCatalogue,
    "measure-level": MeasureLevel,  # one level's measures, on its page of a split catalogue
    "service-directory": ServiceDirectory,
    "service-filter": ServiceFilter,
    "collaboration-model": CollaborationModelDirective,
    "referral-routes": ReferralRoutes,
    # Optional plan data: meeting structure, user participation, the plan's service overview
    "meeting-structure": MeetingStructureDirective,
    "user-participation": UserParticipation,
    "service-overview": ServiceOverview,
    # Handbook content and onboarding
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
    "concern-phones": ConcernPhones,
    "accessibility-feedback": AccessibilityFeedback,
    "national-contacts": NationalContacts,
    "source-list": SourceList,
    "exercise-link": ExerciseLink,
    "workshop-session": WorkshopSession,  # the facilitator's course plan (kursleder.md)
    # Versions
    "change-report": ChangeReportDirective,
    "report-changes": ReportChanges,
    # Local part per member municipality
    "local-parts": LocalParts,
    # Plans that differ: recommendations, organisation principles
    "recommendations": Recommendations,
    "organisation-principles": OrganisationPrinciples,
    **FACTOR_MATRIX_DIRECTIVES,
    **TEMPLATE_DIRECTIVES,
}
"""Every page generator by its directive name; the interactive checks and the trace keep theirs in a
``DIRECTIVES`` of the same shape (``interactive.DIRECTIVES``, ``ext.trace.directives.DIRECTIVES``)."""


def setup_directives(app: Sphinx) -> None:
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    setup_factor_matrix(app)  # the matrix page's styles
    setup_interactive(app)  # the interactive checks: their DIRECTIVES and page assets
    setup_templates(app)  # the forms' print styles
    setup_catalogue_filter(app)  # the filter box of the catalogue and the service directory
    setup_measures(app)  # the level pages of a split catalogue
