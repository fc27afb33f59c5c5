"""``collaboration-model`` and ``referral-routes``: the steps of the model, its teams, and where to refer."""

from __future__ import annotations

from docutils import nodes

from ...core.models import LevelInfo, Step
from ...core.pages import FORUMS, has_forums, level_label, measure_label, service_label, step_label, template_label
from ..base import DataDirective
from ..nodes import bullets, field_list, link, para, points, ref, section
from ..trace.directives import doc_ref


class CollaborationModelDirective(DataDirective):
    def render(self) -> list[nodes.Node]:
        model = self.data.municipality.collaboration
        out: list[nodes.Node] = [para(model.introduction)]
        if has_forums(self.data):  # the standing forums have a page of their own
            out.append(para(self.t("forum.see"), doc_ref(FORUMS.docname)))
        for step in model.steps:
            out.append(self._step(step))
        if model.teams:
            sec = section(self.state.document, self.t("teams.title"), "samhandling-team")
            for team in model.teams:
                service = self.data.services[team.service]
                sub = section(self.state.document, service.name, f"team-{service.id}")
                sub += para(team.description)
                if team.url:
                    sub += para(link(str(team.url), self.t("referral.more")))
                for template in self.data.municipality.templates:  # the team's meeting template
                    if template.service == team.service:
                        sub += para(self.t("templates.used_by"), " ", ref(template_label(template.id), template.title))
                sec += sub
            out.append(sec)
        return out

    def _level(self, step: Step, level: LevelInfo) -> list[nodes.Node]:
        """The step's level, and when the plan gives none, that it is the data's judgement."""
        value: list[nodes.Node] = [ref(level_label(level.id), level.name)]
        if not step.level_in_plan:
            value.append(nodes.Text(f" ({self.t('step.level.assumed')})"))
        return value

    def _example_measures(self, step: Step) -> list[nodes.Node]:
        """The plan's example measures at the step's level, linked to the catalogue.

        Only where the level is the plan's own: a step placed on a level by our reading would
        otherwise collect examples the plan never tied to it.
        """
        if not step.level_in_plan:
            return []
        measures = self.data.municipality.measures
        return [
            para(ref(measure_label(m.id), m.name))
            for m in measures
            if m.example and m.level_in_plan and m.level == step.level
        ]

    def _step(self, step: Step) -> nodes.section:
        level = self.data.levels[step.level]
        sec = section(self.state.document, f"{step.name}: {step.heading}", step_label(step.id))
        sec["classes"].append(f"level-{step.level}")
        sec += para(step.summary)
        sec += field_list(
            [
                (self.t("step.level"), self._level(step, level)),
                (self.t("step.target"), step.target_group),
            ]
        )
        for key, items in (
            ("step.criteria", step.criteria),
            ("step.tasks", step.tasks),
            ("step.examples", step.examples or self._example_measures(step)),
            ("step.collaboration", step.collaboration),
            ("step.principles", step.principles),
        ):
            if not items:
                continue
            sec += nodes.rubric(self.t(key), self.t(key))
            if key == "step.criteria":
                sec += bullets(items)
                if step.criteria_note:
                    sec += para(step.criteria_note)
            elif key == "step.examples":  # the plan's examples: text, or links to the catalogue
                sec += bullets(items)
            else:
                sec += points(items)
        return sec


class ReferralRoutes(DataDirective):
    def render(self) -> list[nodes.Node]:
        routes = self.data.municipality.referral_routes
        if not routes:
            return [para(self.t("referral.none"))]  # the page's heading never stands empty
        out: list[nodes.Node] = []
        for route in routes:
            service = self.data.services[route.service]
            sec = section(self.state.document, service.name, f"henvisning-{route.id}")
            sec += para(route.how)
            sec += field_list(
                [
                    (self.t("referral.who"), route.who_can_refer),
                    (self.t("referral.more"), [link(str(route.url), str(route.url))] if route.url else None),
                    (self.t("service.contact"), [ref(service_label(service.id), service.name)]),
                ]
            )
            out.append(sec)
        return out
