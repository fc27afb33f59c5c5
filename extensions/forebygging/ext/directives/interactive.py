"""Interactive checks: the reflection aid, the guide «Hva gjør jeg nå?» and the exercises.

Each directive renders a Jinja2 template from ``widgets/templates/`` (autoescaped, see
:mod:`widgets.templating`) into plain HTML that reads as a page without JavaScript, plus the rule
inputs as an embedded JSON blob (never fetched). The directives only gather the plan's data into
the templates' context. The one static script ``widgets/static/forebygging-widgets.js`` evaluates
the same rules as ``widgets/rules.py`` and only shows, hides and fills in elements rendered here;
it is added only to pages that use one of these directives. Nothing is stored and nothing is sent.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from widgets.exercises import CASES, ExerciseSet, all_exercise_sets
from widgets.rules import evaluate, possible_duties, ruleset
from widgets.templating import CSS_FILE, GUARD_FILE, JS_FILE, STATIC_FILES, render, static_file

from ...core.models import Duty, DutyKind, FactorKind, ForumScope, GuideExtra, GuideStage, Point, Step
from ...core.pages import FORUMS, forum_label, measure_label, measure_page, step_label
from ..base import DataDirective
from ..nodes import para
from .concern import national_portal

MARKER = "fb-widget"
BASIS_KEYS = {
    "level": "reflection.measures.all",
    "factor": "reflection.measures.linked",
    "fallback": "reflection.measures.fallback",
}
"""The note above the measures for each ``basis`` of :func:`widgets.rules.evaluate`."""


class WidgetDirective(DataDirective):
    """Renders one widget template into a raw HTML block marked so the page gets the widget script and styles."""

    def uri(self, page: str, label: str | None = None) -> str:
        here = posixpath.dirname(self.env.docname)
        target = posixpath.relpath(page, here or ".") + ".html"
        return f"{target}#{label}" if label else target

    def duty(self, duty: Duty) -> dict[str, str | None]:
        return {"id": duty.id, "citation": self.data.duty_citation(duty), "url": self.data.duty_url(duty)}

    def render_template(self, template: str, **context: Any) -> list[nodes.Node]:
        html = render(template, t=self.t, **context)
        return [nodes.raw("", html, format="html", classes=[MARKER])]

    def acute_advice(self, heading: str = "h3") -> Markup:
        """The acute advice: barnevernet now (bvl § 13-2), 112 or barnevernvakten, the national portal."""
        duties = [self.duty(d) for d in self.data.national.duties if d.kind is DutyKind.OPPLYSNINGSPLIKT]
        portal = national_portal(self.data)  # the portal itself, never a plan's page about it
        return render(
            "acute.html",
            t=self.t,
            heading=heading,
            duties=duties,
            portal_url=str(portal.url) if portal is not None else None,
            # The plan's referral route to barnevernet says one may also call.
            may_call=self._barnevern_route() is not None,
        )

    def _barnevern_route(self):
        """The referral route to the service bound by barnevernsloven (its samarbeidsplikt)."""
        data = self.data
        for route in data.municipality.referral_routes:
            service = data.services[route.service]
            if any(data.duties[d].law == "bvl" for d in service.bound_by):
                return route
        return None


# --------------------------------------------------------------------------- reflection aid


class ReflectionAid(WidgetDirective):
    """``{reflection-aid}``: factors, grounds, optional age; the suggested step, tasks, measures, duties."""

    def render(self) -> list[nodes.Node]:
        data = self.data
        rules = ruleset(data)
        first = evaluate(rules)
        t = self.t
        factor_groups = [
            {
                "kind": kind.value,
                "title": t(title),
                "note": t(note) if note else None,
                "factors": [f for f in data.national.factors if f.kind is kind],
            }
            for kind, title, note in (
                (FactorKind.RISIKO, "reflection.risk", None),
                (FactorKind.BESKYTTELSE, "reflection.protective", "reflection.protective.note"),
            )
        ]
        steps = [
            {
                "id": step.id,
                "name": step.name,
                "heading": step.heading,
                "summary": step.summary,
                "tasks": step.tasks,
                "href": self.uri("samhandlingsmodell", step_label(step.id)),
                "shown": step.id == first["step"],
            }
            for step in data.municipality.collaboration.steps
        ]
        shown = set(first["measures"])
        step_level = data.steps[first["step"]].level
        levels = [
            {
                "id": level.id.value,
                "name": level.name.lower(),
                "shown": level.id == step_level,
                "measures": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "href": self.uri(measure_page(data, m.level), measure_label(m.id)),
                        "ages": t("measure.ages.value", min=m.ages.min, max=m.ages.max) if m.ages else None,
                        # Example measures (named in the plan's text, not its catalogue) say so.
                        "example": bool(getattr(m, "example", False)),
                        "shown": m.id in shown,
                    }
                    for m in data.municipality.measures
                    if m.level == level.id
                ],
            }
            for level in data.national.levels
        ]
        applies = set(first["duties"])
        duties = [
            {**self.duty(data.duties[d]), "title": data.duties[d].title, "shown": d in applies}
            for d in possible_duties(rules)
        ]
        return self.render_template(
            "reflection.html",
            rules=rules,
            first=first,
            acute=self.acute_advice("h2"),  # first heading after the page title: the box comes before the result
            factor_groups=factor_groups,
            grounds=[{"id": g, "label": t("ground." + g)} for g in rules["grounds"]],
            steps=steps,
            levels=levels,
            basis_keys=BASIS_KEYS,
            duties=duties,
        )


# --------------------------------------------------------------------------- the guide


@dataclass
class Stage:
    """One stage of the guide as the template shows it: the plan's text, and where the stage's step is described."""

    id: str
    title: str
    step_name: str | None = None
    step_href: str | None = None
    step_text: str | None = None
    who: str | None = None
    does: list[Point] = field(default_factory=list)
    summary: str | None = None
    target: str | None = None
    criteria: list[str] = field(default_factory=list)
    criteria_note: str | None = None
    tasks: list[Point] = field(default_factory=list)
    collaboration: list[Point] = field(default_factory=list)
    principles: list[Point] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    intro: str | None = None
    headed: bool = False  # the teams get a heading of their own on a stage that shows more than them
    teams: list[dict[str, str | None]] = field(default_factory=list)
    forums: list[dict[str, str | None]] = field(default_factory=list)
    routes: list[dict[str, str]] = field(default_factory=list)
    resolved_question: bool = False


class ActionGuide(WidgetDirective):
    """``{action-guide}``: «Hva gjør jeg nå?», stage by stage, with a way back.

    A plan that writes its own guide (``guide:`` in collaboration_model.yaml) gets that. Any
    other plan gets one stage per step of its collaboration model, in the plan's words (target
    group, criteria, tasks, collaboration, principles, examples), and a last stage with the
    teams, the forums for individual cases and the referral routes it names, where it has any.
    Either way the acute box comes first.
    """

    def render(self) -> list[nodes.Node]:
        model = self.data.municipality.collaboration
        derived = not model.guide
        stages = self._derived_stages() if derived else [self._authored_stage(s) for s in model.guide]
        return self.render_template(
            "guide.html",
            texts={"progress": self.t("guide.progress", n="{n}", total="{total}")},
            acute=self.acute_advice("h2"),
            derived=derived,
            stages=stages,
            has_done=any(s.resolved_question for s in stages),
        )

    def _stage(self, stage_id: str, title: str, step: Step | None = None, **content: Any) -> Stage:
        if step is None:
            return Stage(stage_id, title, **content)
        href = self.uri("samhandlingsmodell", step_label(step.id))
        return Stage(stage_id, title, step.name, href, self.t("guide.step", name=step.name), **content)

    def _authored_stage(self, stage: GuideStage) -> Stage:
        extra: dict[str, Any] = {}
        if stage.shows is GuideExtra.TEAMS:
            extra["teams"] = self._teams()
        elif stage.shows is GuideExtra.REFERRAL_ROUTES:
            extra["routes"] = self._routes()
        return self._stage(
            stage.id,
            stage.title,
            self.data.steps[stage.step],
            who=stage.who,
            does=stage.does,
            resolved_question=stage.resolved_question,
            **extra,
        )

    def _derived_stages(self) -> list[Stage]:
        stages = [
            self._stage(
                step.id,
                step.heading,
                step,
                summary=step.summary,
                target=step.target_group,
                criteria=step.criteria,
                criteria_note=step.criteria_note,
                tasks=step.tasks,
                collaboration=step.collaboration,
                principles=step.principles,
                examples=step.examples,
            )
            for step in self.data.municipality.collaboration.steps
        ]
        teams, forums, routes = self._teams(), self._forums(), self._routes()
        if teams or forums or routes:
            stages.append(
                self._stage(
                    "samarbeid",
                    self.t("guide.partners.title"),
                    intro=self.t("guide.partners.intro"),
                    teams=teams,
                    forums=forums,
                    routes=routes,
                    headed=True,
                )
            )
        return stages

    def _teams(self) -> list[dict[str, str | None]]:
        data = self.data
        return [
            {
                "description": team.description,
                "url": str(team.url) if team.url else None,
                "name": data.services[team.service].name,
            }
            for team in data.municipality.collaboration.teams
        ]

    def _forums(self) -> list[dict[str, str | None]]:
        """The plan's standing forums for individual cases: where a case is brought (system forums are not)."""
        structure = self.data.municipality.meeting_structure
        if structure is None:
            return []
        return [
            {
                "name": forum.name,
                "href": self.uri(FORUMS.docname, forum_label(forum.id)),
                "description": forum.description,
                "interval": forum.interval,
                "consent": forum.consent,
            }
            for forum in structure.forums
            if forum.scope is ForumScope.ENKELTSAKER
        ]

    def _routes(self) -> list[dict[str, str]]:
        data = self.data
        return [
            {
                "name": data.services[route.service].name,
                "href": self.uri("samhandlingsmodell", f"henvisning-{route.id}"),
                "how": route.how,
            }
            for route in data.municipality.referral_routes
        ]


class AcuteAdvice(WidgetDirective):
    """``{acute-advice}``: the acute advice as a static box (for any page)."""

    def render(self) -> list[nodes.Node]:
        html = Markup('<aside class="fb-acute-box">{}</aside>').format(self.acute_advice("p"))
        return [nodes.raw("", html, format="html")]


# --------------------------------------------------------------------------- exercises


class TrainingExercise(WidgetDirective):
    """``{training-exercise} <set id>``: one exercise set, each answer checked with «Sjekk svar», and a result."""

    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        self.env.note_dependency(str(CASES))  # the written cases live beside the rules, not in _data/
        sets = {s.id: s for s in all_exercise_sets(self.data)}
        wanted = self.arguments[0]
        if wanted not in sets:
            raise self.error(f"unknown exercise set {wanted!r}; known: {', '.join(sets)}")
        exercise = sets[wanted]
        if not exercise.questions:
            # A plan without, say, referral routes has nothing to ask about them: say so, don't fail.
            return [para(self.t("exercise.no_questions"))]
        t = self.t
        texts = {
            "right": t("exercise.check"),
            "wrong": t("exercise.wrong", answer="{answer}"),
            "choose": t("exercise.choose"),
            "score": t("exercise.score", answered="{answered}", total="{total}", right="{right}"),
            "done": t("exercise.done", right="{right}", total="{total}"),
        }
        return self.render_template(
            "exercise.html", exercise=exercise, texts=texts, questions=self._questions(exercise)
        )

    def _questions(self, exercise: ExerciseSet) -> list[dict[str, Any]]:
        out = []
        for n, q in enumerate(exercise.questions, 1):
            links = [{"href": self.uri(q.link.page, q.link.label), "text": q.link.text}]
            links += [{"href": url, "text": text} for url, text in q.external]
            out.append(
                {
                    "id": q.id,
                    "name": f"fb-{exercise.id}-{n}",
                    "prompt": q.prompt,
                    "options": [{"value": value, "label": label} for value, label in q.options],
                    "correct": q.correct,
                    "answer": q.correct_label,
                    "explanation": q.explanation,
                    "links": links,
                }
            )
        return out


# --------------------------------------------------------------------------- registration

INTERACTIVE_DIRECTIVES = {
    "reflection-aid": ReflectionAid,
    "action-guide": ActionGuide,
    "acute-advice": AcuteAdvice,
    "training-exercise": TrainingExercise,
}


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    """Add the widget script and styles only to the pages that use a widget."""
    if doctree is None:
        return
    # Element, not only raw: ext/search.py moves a widget's classes to a container around its
    # pieces when it splits the <noscript> notice out of the search index.
    if any(MARKER in node["classes"] for node in doctree.findall(nodes.Element)):
        app.add_css_file(CSS_FILE)
        app.add_js_file(GUARD_FILE, priority=100)  # synchronous: before the theme can save anything
        app.add_js_file(JS_FILE, loading_method="defer")


def _copy_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        for name in STATIC_FILES:
            with static_file(name) as path:
                copy_asset_file(path, Path(app.outdir) / "_static", force=True)


def setup_interactive(app: Sphinx) -> None:
    for name, directive in INTERACTIVE_DIRECTIVES.items():
        app.add_directive(name, directive)
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _copy_static)
