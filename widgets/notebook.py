"""The notebook front end: ipywidgets versions of the reflection aid and the exercises.

For trainers who run the exercises in Jupyter (``notebooks/*.ipynb``). The controls are
driven by the same rules as the page (:mod:`widgets.rules`) and the same exercise sets
(:mod:`widgets.exercises`); nothing is stored and nothing is sent. Texts are the engine's
Norwegian strings from ``forebygging.wording``.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

import ipywidgets as w

from forebygging.core import HandbookData, available_municipalities, load
from forebygging.core.models import FactorKind
from forebygging.core.pages import measure_label, measure_page
from forebygging.wording import lookup

from .exercises import ExerciseSet, exercise_sets
from .rules import evaluate, ruleset

BASIS_KEYS = {
    "level": "reflection.measures.all",
    "factor": "reflection.measures.linked",
    "fallback": "reflection.measures.fallback",
}
"""The note above the measures for each ``basis`` of :func:`widgets.rules.evaluate` (as on the page)."""

MAX_AGE = 25
DEFAULT_KOMMUNE = "sor-aurdal"
DATA = Path(__file__).resolve().parents[1] / "_data"
"""The repository's plans: the project is installed editable, so the package sits beside ``_data/``."""


def _t(key: str, lang: str = "nb", **values: object) -> str:
    return lookup(lang, key, **values)


def _link(base_url: str | None, href: str, label: str) -> str:
    """A link into the handbook at ``base_url``; with None (no handbook beside the notebook) the words only."""
    if base_url is None:
        return escape(label)
    return f'<a href="{escape(base_url)}{escape(href)}">{escape(label)}</a>'


def _wide(description: str) -> w.Checkbox:
    return w.Checkbox(value=False, description=description, indent=False, layout=w.Layout(width="auto"))


class ReflectionAid:
    """Checkboxes for factors and grounds, an optional age, and the result of :func:`widgets.rules.evaluate`."""

    def __init__(self, data: HandbookData, base_url: str | None = "") -> None:
        self.data = data
        self.rules = ruleset(data)
        self.base_url = base_url
        lang = data.plan.language.value
        self.lang = lang
        # An acute factor says what it means in its label, as on the page.
        self.factor_boxes = {
            f.id: _wide(f"{f.name}: {f.explanation} ({_t('reflection.acute.badge', lang)})" if f.acute else f.name)
            for f in data.national.factors
        }
        self.ground_boxes = {g: _wide(_t(f"ground.{g}", lang)) for g in self.rules["grounds"]}
        self.age = w.Dropdown(
            options=[("–", None)] + [(str(age), age) for age in range(MAX_AGE + 1)],
            value=None,
            description=_t("reflection.age", lang),
            style={"description_width": "initial"},
        )
        self.reset_button = w.Button(description=_t("reflection.reset", lang))
        self.acute = w.HTML()
        self.result = w.HTML()
        for control in [*self.factor_boxes.values(), *self.ground_boxes.values(), self.age]:
            control.observe(lambda _change: self.update(), names="value")
        self.reset_button.on_click(lambda _button: self.reset())

        def column(kind: FactorKind, title: str) -> w.VBox:
            boxes = [self.factor_boxes[f.id] for f in data.national.factors if f.kind is kind]
            return w.VBox([w.HTML(f"<b>{escape(_t(title, lang))}</b>"), *boxes])

        self.box = w.VBox(
            [
                w.HTML(f"<p>{escape(_t('widget.privacy', lang))}</p><p>{escape(_t('reflection.judgement', lang))}</p>"),
                w.HBox(
                    [
                        column(FactorKind.RISIKO, "reflection.risk"),
                        column(FactorKind.BESKYTTELSE, "reflection.protective"),
                    ]
                ),
                w.HTML(f"<b>{escape(_t('reflection.grounds', lang))}</b>"),
                *self.ground_boxes.values(),
                self.age,
                self.reset_button,
                self.acute,
                self.result,
            ]
        )
        self.update()

    @property
    def case(self) -> tuple[list[str], list[str], int | None]:
        factors = [f for f, box in self.factor_boxes.items() if box.value]
        grounds = [g for g, box in self.ground_boxes.items() if box.value]
        return factors, grounds, self.age.value

    def update(self) -> dict:
        factors, grounds, age = self.case
        self.last = evaluate(self.rules, factors, grounds, age)
        self.acute.value = self._acute_html() if self.last["acute"] else ""
        self.result.value = self._result_html()
        return self.last

    def _ages(self, measure_id: str) -> str:
        ages = self.data.measures[measure_id].ages
        if ages is None:
            return _t("measure.ages.unknown", self.lang)
        return _t("measure.ages.value", self.lang, min=ages.min, max=ages.max)

    def reset(self) -> None:
        for box in [*self.factor_boxes.values(), *self.ground_boxes.values()]:
            box.value = False
        self.age.value = None
        self.update()

    def _acute_html(self) -> str:
        lang = self.lang
        duties = [self.data.duties[d] for d in self.rules["acute_duties"]]
        cited = ", ".join(self.data.duty_citation(d) for d in duties)
        return (
            f'<div style="border:2px solid #b3261e;padding:0.5em"><b>{escape(_t("acute.title", lang))}</b>'
            f"<p>{escape(_t('acute.intro', lang))}</p><ul>"
            f"<li>{escape(_t('acute.barnevern', lang))} {escape(cited)} "
            f"{escape(_t('acute.barnevern.after', lang))}</li>"
            f"<li>{escape(_t('acute.danger', lang))}</li></ul>"
            f"<p>{escape(_t('reflection.acute.result', lang))}</p></div>"
        )

    def _measure_href(self, measure_id: str) -> str:
        """Where the handbook describes the measure in full (its catalogue, or its level's page)."""
        page = measure_page(self.data, self.data.measures[measure_id].level)
        return f"{page}.html#{measure_label(measure_id)}"

    def _result_html(self) -> str:
        lang, data, r = self.lang, self.data, self.last
        step = data.steps[r["step"]]
        level = data.levels[step.level]
        # While the case is acute the step's everyday tasks (involve the parents, consent) wait.
        tasks = "" if r["acute"] else "".join(f"<li>{escape(p.text)}</li>" for p in step.tasks)
        measures = "".join(
            f"<li>{_link(self.base_url, self._measure_href(m), data.measures[m].name)} ({escape(self._ages(m))})</li>"
            for m in r["measures"]
        )
        note = _t(BASIS_KEYS[r["basis"]], lang)
        if r["age_unknown"]:
            note += " " + _t("reflection.measures.age", lang)
        duties = "".join(
            f"<li>{escape(data.duty_citation(duty))} – {escape(duty.title)}</li>"
            for duty in (data.duties[d] for d in r["duties"])
        )
        at_level = any(m.level == level.id for m in data.municipality.measures)
        none = f"<li>{escape(_t('reflection.measures.none' if at_level else 'reflection.measures.empty', lang))}</li>"
        everyday = (
            f"<p><b>{escape(_t('reflection.tasks', lang, name=step.name))}</b></p><ul>{tasks}</ul>" if tasks else ""
        )
        return (
            f"<p>{escape(_t('reflection.step', lang))}: <b>{escape(step.name)}</b> – {escape(step.heading)}</p>"
            f"{everyday}"
            f"<p><b>{escape(_t('reflection.measures', lang, level=level.name.lower()))}</b></p>"
            f"<p>{escape(note)}</p><ul>{measures or none}</ul>"
            f"<p><b>{escape(_t('reflection.duties', lang))}</b></p><ul>{duties}</ul>"
        )


class Exercise:
    """One exercise set: a radio group and a «Sjekk svar» button per question, a result at the end.

    As on the page, choosing an option reveals nothing; the button judges the answer.
    """

    def __init__(self, exercise: ExerciseSet, lang: str = "nb", base_url: str | None = "") -> None:
        self.exercise = exercise
        self.lang = lang
        self.base_url = base_url
        self.radios: dict[str, w.RadioButtons] = {}
        self.feedback: dict[str, w.HTML] = {}
        self.check_buttons: dict[str, w.Button] = {}
        self.checked: dict[str, str] = {}  # question id -> the value that was checked
        rows: list[w.Widget] = [w.HTML(f"<h3>{escape(exercise.title)}</h3><p>{escape(exercise.intro)}</p>")]
        for n, q in enumerate(exercise.questions, 1):
            radio = w.RadioButtons(options=[(label, value) for value, label in q.options], value=None)
            radio.layout = w.Layout(width="auto")
            radio.observe(lambda _change, qid=q.id: self._changed(qid), names="value")
            button = w.Button(description=_t("exercise.submit", lang))
            button.on_click(lambda _button, qid=q.id: self.check(qid))
            self.radios[q.id] = radio
            self.check_buttons[q.id] = button
            self.feedback[q.id] = w.HTML()
            rows += [w.HTML(f"<b>{n}. {escape(q.prompt)}</b>"), radio, button, self.feedback[q.id]]
        self.score = w.HTML()
        self.restart_button = w.Button(description=_t("exercise.restart", lang))
        self.restart_button.on_click(lambda _button: self.restart())
        self.box = w.VBox([*rows, self.score, self.restart_button])

    def answers(self) -> dict[str, str]:
        """The answers checked with «Sjekk svar» (an option chosen but not checked is not an answer)."""
        return dict(self.checked)

    def _changed(self, qid: str) -> None:
        self.checked.pop(qid, None)
        self.feedback[qid].value = ""
        self._score()

    def check(self, qid: str) -> None:
        """«Sjekk svar»: judge the chosen option, explain, and update the result."""
        q = next(q for q in self.exercise.questions if q.id == qid)
        value = self.radios[qid].value
        if value is None:
            self.feedback[qid].value = f"<p>{escape(_t('exercise.choose', self.lang))}</p>"
            return
        wrong = _t("exercise.wrong", self.lang, answer=q.correct_label)
        verdict = _t("exercise.check", self.lang) if q.check(value) else wrong
        link = _link(self.base_url, f"{q.link.page}.html#{q.link.label}", q.link.text)
        self.feedback[qid].value = (
            f"<p><b>{escape(verdict)}</b></p><p>{escape(q.explanation)}</p>"
            f"<p>{escape(_t('exercise.more', self.lang))} {link}</p>"
        )
        self.checked[qid] = value
        self._score()

    def _score(self) -> None:
        answers = self.answers()
        right = sum(1 for q in self.exercise.questions if q.id in answers and q.check(answers[q.id]))
        total = len(self.exercise.questions)
        if not answers:
            self.score.value = ""
        elif len(answers) == total:
            self.score.value = f"<b>{escape(_t('exercise.done', self.lang, right=right, total=total))}</b>"
        else:
            self.score.value = escape(_t("exercise.score", self.lang, answered=len(answers), total=total, right=right))

    def restart(self) -> None:
        for qid, radio in self.radios.items():
            radio.value = None
            self._changed(qid)


def reflection_aid(data: HandbookData, base_url: str | None = "") -> ReflectionAid:
    return ReflectionAid(data, base_url)


def exercises(data: HandbookData, base_url: str | None = "") -> dict[str, Exercise]:
    """Every exercise set of the handbook, by id (``nivaer``, ``henvisning``, ``lover``, ``taushetsplikt``)."""
    lang = data.plan.language.value
    return {s.id: Exercise(s, lang, base_url) for s in exercise_sets(data)}


def workshop_plan(kommune: str | None = None, data_dir: Path | None = None) -> HandbookData:
    """The plan a notebook shows: ``$KOMMUNE`` (set by ``make workshop``; default Sør-Aurdal).

    The data folder is ``$FOREBYGGING_DATA`` or the repository's ``_data/``. The slug is checked
    against the plans there before it becomes a path, as the command line does.
    """
    slug = kommune or os.environ.get("KOMMUNE") or DEFAULT_KOMMUNE
    root = Path(data_dir or os.environ.get("FOREBYGGING_DATA") or DATA)
    known = available_municipalities(root) if root.is_dir() else []
    if slug not in known:
        raise ValueError(f"KOMMUNE {slug!r}: no such municipality in {root}; valid slugs: {', '.join(known)}")
    return load(root, slug)


def _heading(data: HandbookData, title_key: str, *paragraphs: str) -> w.HTML:
    lang = data.plan.language.value
    plan = ", ".join(data.plan.municipalities)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return w.HTML(f"<h1>{escape(_t(title_key, lang, plan=plan))}</h1>{body}")


def exercises_view(data: HandbookData, base_url: str | None = None) -> w.VBox:
    """The workshop's exercise page: a heading in the plan's language and every exercise set of the plan.

    Without ``base_url`` the feedback names the handbook section in words: the workshop serves
    no handbook, and a relative link would lead to an error page.
    """
    lang = data.plan.language.value
    sets = exercises(data, base_url)
    intro = _heading(
        data, "workshop.exercises.title", _t("workshop.exercises.intro", lang), _t("workshop.privacy", lang)
    )
    view = w.VBox([intro, *(s.box for s in sets.values())])
    view.exercises = sets  # the controls, for a trainer (or a test) driving them from Python
    return view


def reflection_view(data: HandbookData, base_url: str | None = None) -> w.VBox:
    """The workshop's reflection aid: a heading in the plan's language above the aid."""
    aid = reflection_aid(data, base_url)
    view = w.VBox(
        [_heading(data, "workshop.reflection.title", _t("workshop.privacy", data.plan.language.value)), aid.box]
    )
    view.aid = aid
    return view
