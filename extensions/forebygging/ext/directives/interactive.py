"""Interactive checks (issue 5): the reflection aid, the guide «Hva gjør jeg nå?» and the exercises.

Each directive emits plain HTML (built here, every value escaped) that works as a readable
page without JavaScript, plus the rule inputs as an embedded JSON blob (never fetched). The
one static script ``widgets/static/forebygging-widgets.js`` evaluates the same rules as
``widgets/rules.py`` and only shows, hides and fills in elements rendered here; it is added
only to pages that use one of these directives. Nothing is stored and nothing is sent.
"""

from __future__ import annotations

import json
import posixpath
from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from widgets.exercises import CASES, ExerciseSet, Question, all_exercise_sets
from widgets.rules import evaluate, possible_duties, ruleset

from ...core.models import Duty, DutyKind, FactorKind, GuideExtra, Point
from ...core.pages import measure_label, step_label
from ..base import DataDirective
from ..nodes import para
from .concern import national_portal

STATIC = Path(str(files("widgets") / "static"))  # the installed widgets package's own files
JS_FILE = "forebygging-widgets.js"
CSS_FILE = "forebygging-widgets.css"
MARKER = "fb-widget"
STORAGE_GUARD = (
    "/* These pages store nothing: not even the theme's light/dark preference is saved here. */"
    "try{Storage.prototype.setItem=function(){};}catch(e){}"
)


def _json(value: Any) -> str:
    """JSON safe inside <script>: no '<' can close the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _attrs(**attrs: str | bool | None) -> str:
    out = []
    for name, value in attrs.items():
        name = name.rstrip("_").replace("_", "-")
        if value is True:
            out.append(f" {name}")
        elif value not in (None, False):
            out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


def _points(items: list[Point]) -> str:
    if not items:
        return ""
    inner = "".join(f"<li>{escape(p.text)}{_points(p.points)}</li>" for p in items)
    return f"<ul>{inner}</ul>"


class WidgetDirective(DataDirective):
    """Emits one raw HTML block marked so the page gets the widget script and styles."""

    def uri(self, page: str, label: str | None = None) -> str:
        here = posixpath.dirname(self.env.docname)
        target = posixpath.relpath(page, here or ".") + ".html"
        return f"{target}#{label}" if label else target

    def a(self, href: str, text: str) -> str:
        return f'<a href="{escape(href)}">{escape(text)}</a>'

    def duty_link(self, duty: Duty) -> str:
        citation = self.data.duty_citation(duty)
        url = self.data.duty_url(duty)
        return self.a(url, citation) if url else escape(citation)

    def raw(self, html: str) -> list[nodes.Node]:
        return [nodes.raw("", html, format="html", classes=[MARKER])]

    def privacy(self) -> str:
        return f'<p class="fb-privacy">{escape(self.t("widget.privacy"))}</p>'

    def acute_advice(self, heading: str = "h3") -> str:
        """The acute advice: barnevernet now (bvl § 13-2), 112 or barnevernvakten, the national portal."""
        data = self.data
        duties = [d for d in data.national.duties if d.kind is DutyKind.OPPLYSNINGSPLIKT]
        duty = " ".join(self.duty_link(d) for d in duties)
        items = [f"{escape(self.t('acute.barnevern'))} {duty} {escape(self.t('acute.barnevern.after'))}"]
        items.append(escape(self.t("acute.danger")))
        portal = national_portal(data)  # the portal itself, never a plan's page about it
        if portal is not None:
            item = f"{escape(self.t('acute.portal'))} {self.a(str(portal.url), self.t('acute.portal.link'))}."
            if self._barnevern_route() is not None:  # the plan's referral route says one may call
                item += f" {escape(self.t('acute.phone'))}"
            items.append(item)
        lis = "".join(f"<li>{item}</li>" for item in items)
        return (
            f'<{heading} class="fb-acute-title">{escape(self.t("acute.title"))}</{heading}>'
            f"<p>{escape(self.t('acute.intro'))}</p><ul>{lis}</ul>"
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
        parts = [
            '<div class="fb-reflection" data-fb-widget="reflection">',
            f'<script type="application/json" class="fb-rules">{_json(rules)}</script>',
            self.privacy(),
            f'<p class="fb-judgement">{escape(t("reflection.judgement"))}</p>',
            f'<noscript><p class="fb-nojs">{escape(t("widget.nojs"))}</p></noscript>',
            '<div class="fb-controls">',
        ]
        for kind, title_key in (
            (FactorKind.RISIKO, "reflection.risk"),
            (FactorKind.BESKYTTELSE, "reflection.protective"),
        ):
            parts.append(f'<fieldset class="fb-factors fb-{kind.value}"><legend>{escape(t(title_key))}</legend>')
            if kind is FactorKind.BESKYTTELSE:
                parts.append(f'<p class="fb-note">{escape(t("reflection.protective.note"))}</p>')
            parts.append("<ul>")
            for f in (f for f in data.national.factors if f.kind is kind):
                box = f"fb-factor-{f.id}"
                parts.append(
                    f'<li><input type="checkbox"{_attrs(id=box, data_factor=f.id)}>'
                    f'<label for="{box}">{escape(f.name)}</label>'
                    f'<details class="fb-explain"><summary>{escape(t("reflection.explain"))}'
                    f'<span class="fb-vh"> – {escape(f.name)}</span></summary>'
                    f"<p>{escape(f.explanation)}</p></details></li>"
                )
            parts.append("</ul></fieldset>")
        parts.append(f'<fieldset class="fb-grounds"><legend>{escape(t("reflection.grounds"))}</legend><ul>')
        for ground in rules["grounds"]:
            box = f"fb-ground-{ground}"
            parts.append(
                f'<li><input type="checkbox"{_attrs(id=box, data_ground=ground)}>'
                f'<label for="{box}">{escape(t("ground." + ground))}</label></li>'
            )
        parts.append("</ul></fieldset>")
        parts.append(
            '<p class="fb-age"><label for="fb-age">'
            f"{escape(t('reflection.age'))}</label> "
            '<input type="number" id="fb-age" data-fb-age min="0" max="25" step="1" inputmode="numeric"></p>'
            '<p class="fb-buttons">'
            f'<button type="button" data-fb-reset>{escape(t("reflection.reset"))}</button> '
            f'<button type="button" data-fb-print>{escape(t("reflection.print"))}</button></p>'
            f'<p class="fb-print-note">{escape(t("reflection.print.note"))}</p>'
            "</div>"
        )
        parts.append(f'<h2 class="fb-result-title">{escape(t("reflection.result"))}</h2>')
        parts.append(f'<template class="fb-acute-template">{self.acute_advice()}</template>')
        parts.append('<div class="fb-acute" role="alert"></div>')
        parts.append(f'<div class="fb-result" role="status">{self._result(rules, first)}</div>')
        parts.append("</div>")
        return self.raw("".join(parts))

    def _result(self, rules: dict[str, Any], first: dict[str, Any]) -> str:
        data = self.data
        t = self.t
        out = []
        for step in data.municipality.collaboration.steps:
            hidden = step.id != first["step"]
            more = t("reflection.step.more", name=step.name)
            out.append(
                f'<div class="fb-step"{_attrs(data_step=step.id, hidden=hidden)}>'
                f"<p>{escape(t('reflection.step'))}: <strong>{escape(step.name)}</strong> – {escape(step.heading)}</p>"
                f"<p>{escape(step.summary)}</p>"
                f"<h3>{escape(t('reflection.tasks', name=step.name))}</h3>{_points(step.tasks)}"
                f"<p>{self.a(self.uri('samhandlingsmodell', step_label(step.id)), more)}</p>"
                "</div>"
            )
        shown = set(first["measures"])
        step_level = data.steps[first["step"]].level
        for level in data.national.levels:
            out.append(
                f'<div class="fb-measures"{_attrs(data_level=level.id.value, hidden=level.id != step_level)}>'
                f"<h3>{escape(t('reflection.measures', level=level.name.lower()))}</h3>"
                f'<p data-fb-by-factor="false"{_attrs(hidden=first["by_factor"])}>'
                f"{escape(t('reflection.measures.all'))}</p>"
                f'<p data-fb-by-factor="true"{_attrs(hidden=not first["by_factor"])}>'
                f"{escape(t('reflection.measures.linked'))}</p>"
                f"<p data-fb-age-note hidden>{escape(t('reflection.measures.age'))}</p><ul>"
            )
            for m in (m for m in data.municipality.measures if m.level == level.id):
                ages = f" ({t('measure.ages.value', min=m.ages.min, max=m.ages.max)})" if m.ages else ""
                out.append(
                    f"<li{_attrs(data_measure=m.id, hidden=m.id not in shown)}>"
                    f"{self.a(self.uri('tiltak', measure_label(m.id)), m.name)}{escape(ages)}</li>"
                )
            out.append(f"</ul><p data-fb-none hidden>{escape(t('reflection.measures.none'))}</p></div>")
        out.append(f'<h3>{escape(t("reflection.duties"))}</h3><ul class="fb-duties">')
        applies = set(first["duties"])
        for duty_id in possible_duties(rules):
            duty = data.duties[duty_id]
            out.append(
                f"<li{_attrs(data_duty=duty_id, hidden=duty_id not in applies)}>"
                f"{self.duty_link(duty)} – {escape(duty.title)}</li>"
            )
        out.append("</ul>")
        return "".join(out)


# --------------------------------------------------------------------------- the guide


class ActionGuide(WidgetDirective):
    """``{action-guide}``: «Hva gjør jeg nå?», stage by stage, with a way back."""

    def render(self) -> list[nodes.Node]:
        data = self.data
        model = data.municipality.collaboration
        stages = model.guide
        if not stages:
            return []
        t = self.t
        texts = {"progress": t("guide.progress", n="{n}", total="{total}")}
        parts = [
            '<div class="fb-guide" data-fb-widget="guide">',
            f'<script type="application/json" class="fb-texts">{_json(texts)}</script>',
            f'<aside class="fb-acute-box">{self.acute_advice("h2")}</aside>',
            f'<p class="fb-guide-progress" role="status">{escape(t("guide.progress", n=1, total=len(stages)))}</p>',
            '<ol class="fb-stages">',
        ]
        for i, stage in enumerate(stages):
            step = data.steps[stage.step]
            nxt = stages[i + 1] if i + 1 < len(stages) else None
            parts.append(
                f'<li class="fb-stage" id="veiviser-{stage.id}" data-stage="{escape(stage.id)}">'
                f'<h2 tabindex="-1">{escape(stage.title)} <span class="fb-stage-step">({escape(step.name)})</span></h2>'
                f"<p><strong>{escape(t('guide.who'))}:</strong> {escape(stage.who)}</p>"
                f"<p><strong>{escape(t('guide.does'))}:</strong></p>{_points(stage.does)}"
            )
            if stage.shows is GuideExtra.TEAMS:
                for team in model.teams:
                    service = data.services[team.service]
                    parts.append(f"<p>{escape(team.description)}</p>")
                    if team.url:
                        parts.append(f"<p>{self.a(str(team.url), service.name)}</p>")
            elif stage.shows is GuideExtra.REFERRAL_ROUTES and model and data.municipality.referral_routes:
                parts.append(f"<h3>{escape(t('guide.referrals'))}</h3><ul>")
                for route in data.municipality.referral_routes:
                    service = data.services[route.service]
                    link = self.a(self.uri("samhandlingsmodell", f"henvisning-{route.id}"), service.name)
                    parts.append(f"<li>{link}: {escape(route.how)}</li>")
                parts.append("</ul>")
            parts.append(
                f"<p>{self.a(self.uri('samhandlingsmodell', step_label(step.id)), t('guide.step', name=step.name))}</p>"
            )
            nav = []
            if i:
                nav.append(f'<button type="button" data-fb-back>{escape(t("guide.back"))}</button>')
            if stage.resolved_question:
                nav.append(f'<span class="fb-question">{escape(t("guide.resolved.question"))}</span>')
                nav.append(f'<button type="button" data-fb-goto="ferdig">{escape(t("guide.resolved.yes"))}</button>')
                if nxt:
                    nav.append(
                        f'<button type="button" data-fb-goto="{escape(nxt.id)}">'
                        f"{escape(t('guide.resolved.no'))}: {escape(nxt.title)}</button>"
                    )
            elif nxt:
                nav.append(
                    f'<button type="button" data-fb-goto="{escape(nxt.id)}">'
                    f"{escape(t('guide.next'))}: {escape(nxt.title)}</button>"
                )
            if i:
                nav.append(f'<button type="button" data-fb-restart>{escape(t("guide.restart"))}</button>')
            parts.append(f'<p class="fb-nav">{" ".join(nav)}</p></li>')
        parts.append(
            '<li class="fb-stage" id="veiviser-ferdig" data-stage="ferdig">'
            f'<h2 tabindex="-1">{escape(t("guide.done.title"))}</h2><p>{escape(t("guide.done.text"))}</p>'
            f'<p class="fb-nav"><button type="button" data-fb-back>{escape(t("guide.back"))}</button> '
            f'<button type="button" data-fb-restart>{escape(t("guide.restart"))}</button></p></li>'
        )
        parts.append("</ol></div>")
        return self.raw("".join(parts))


class AcuteAdvice(WidgetDirective):
    """``{acute-advice}``: the acute advice as a static box (for any page)."""

    def render(self) -> list[nodes.Node]:
        return [nodes.raw("", f'<aside class="fb-acute-box">{self.acute_advice("p")}</aside>', format="html")]


# --------------------------------------------------------------------------- exercises


class TrainingExercise(WidgetDirective):
    """``{training-exercise} <set id>``: one exercise set with feedback on every answer and a result."""

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
            "score": t("exercise.score", answered="{answered}", total="{total}", right="{right}"),
            "done": t("exercise.done", right="{right}", total="{total}"),
        }
        parts = [
            f'<div class="fb-exercise" data-fb-widget="exercise" data-set="{escape(exercise.id)}">',
            f'<script type="application/json" class="fb-texts">{_json(texts)}</script>',
            f"<p>{escape(exercise.intro)} {escape(t('exercise.privacy'))}</p>",
            f'<noscript><p class="fb-nojs">{escape(t("widget.nojs"))}</p></noscript>',
            '<ol class="fb-questions">',
        ]
        for n, q in enumerate(exercise.questions, 1):
            parts.append(self._question(exercise, q, n))
        parts.append(
            "</ol>"
            f'<p class="fb-score" role="status"></p>'
            f'<p><button type="button" data-fb-restart>{escape(t("exercise.restart"))}</button></p></div>'
        )
        return self.raw("".join(parts))

    def _question(self, exercise: ExerciseSet, q: Question, n: int) -> str:
        name = f"fb-{exercise.id}-{n}"
        options = "".join(
            f'<li><input type="radio"{_attrs(name=name, id=f"{name}-{i}", value=value)}>'
            f'<label for="{name}-{i}">{escape(label)}</label></li>'
            for i, (value, label) in enumerate(q.options)
        )
        links = [self.a(self.uri(q.link.page, q.link.label), q.link.text)]
        links += [self.a(url, text) for url, text in q.external]
        return (
            f'<li class="fb-q"{_attrs(data_correct=q.correct, data_answer=q.correct_label, id=f"sporsmal-{q.id}")}>'
            f"<fieldset><legend>{n}. {escape(q.prompt)}</legend><ul>{options}</ul></fieldset>"
            f'<div class="fb-feedback" role="status"></div>'
            f'<template class="fb-explanation"><p>{escape(q.explanation)}</p>'
            f"<p>{escape(self.t('exercise.more'))} {', '.join(links)}</p></template></li>"
        )


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
        app.add_js_file(None, body=STORAGE_GUARD, priority=100)
        app.add_js_file(JS_FILE, loading_method="defer")


def _copy_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        for name in (JS_FILE, CSS_FILE):
            copy_asset_file(STATIC / name, Path(app.outdir) / "_static", force=True)


def setup_interactive(app: Sphinx) -> None:
    for name, directive in INTERACTIVE_DIRECTIVES.items():
        app.add_directive(name, directive)
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _copy_static)
