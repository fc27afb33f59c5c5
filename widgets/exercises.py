"""Training exercises for the onboarding path, generated from the plan data (plus written cases).

Four sets, each with a stable id that is also the anchor on the exercises page
(``ovelse-<id>``): ``nivaer`` (where in the collaboration model a situation belongs, from the
steps' criteria and target groups: what do you do), ``henvisning`` (who may refer,
from the referral routes), ``lover`` (which samarbeidsplikt binds a service, from the duties)
and ``taushetsplikt`` (written cases on taushetsplikt, samtykke and opplysningsplikt, from
``widgets/cases.yaml``). The page (``ext/directives/interactive.py``) and the notebook
(``widgets/notebook.py``) render the same :class:`ExerciseSet` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.resources import files
from itertools import zip_longest
from pathlib import Path

from ruamel.yaml import YAML

from forebygging.core import HandbookData
from forebygging.core.models import DutyKind
from forebygging.wording import lookup  # the engine's strings, nb and nn (no Sphinx needed)

CASES = Path(str(files(__package__) / "cases.yaml"))  # a file on disk: Sphinx tracks it as a dependency
MAX_STEP_QUESTIONS = 6
MAX_LAW_QUESTIONS = 6
MAX_OPTIONS = 4


@dataclass(frozen=True)
class Link:
    """A link target in the handbook: a page (docname) and a label on it."""

    page: str
    label: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: list[tuple[str, str]]  # (value, label)
    correct: str
    explanation: str
    link: Link
    external: list[tuple[str, str]] = field(default_factory=list)  # (url, text), e.g. lovdata

    @property
    def correct_label(self) -> str:
        return dict(self.options)[self.correct]

    def check(self, value: str) -> bool:
        return value == self.correct


@dataclass(frozen=True)
class ExerciseSet:
    id: str
    title: str
    intro: str
    questions: list[Question]


def all_exercise_sets(data: HandbookData) -> list[ExerciseSet]:
    """Every exercise set, also those this plan has too little data for (no questions)."""
    return [levels_set(data), referral_set(data), laws_set(data), cases_set(data)]


def exercise_sets(data: HandbookData) -> list[ExerciseSet]:
    """The exercise sets this plan has questions for."""
    return [s for s in all_exercise_sets(data) if s.questions]


def levels_set(data: HandbookData) -> ExerciseSet:
    """Where a situation belongs in the collaboration model: practice, not telling measure names apart.

    Each situation is one of the plan's criteria for a step, and the answer is that step; every
    step of the model is an option. A plan that states no criteria at all gives its steps'
    target groups instead, when no two are the same (else a question would have two answers).
    The questions alternate between steps so the right answer is not the same in a row.
    """
    lang = data.plan.language.value
    steps = data.municipality.collaboration.steps
    options = [(step.id, f"{step.name} – {step.heading}") for step in steps]
    by_criteria = any(step.criteria for step in steps)
    targets = [step.target_group for step in steps]
    if not by_criteria and len(set(targets)) < len(targets):
        steps = []
    per_step: list[list[Question]] = []
    for step in steps:
        situations = step.criteria if by_criteria else [step.target_group]
        per_step.append(
            [
                Question(
                    id=f"trinn-{step.id}-{n}",
                    prompt=lookup(lang, "exercise.levels.prompt", situation=situation.rstrip(".")),
                    options=options,
                    correct=step.id,
                    explanation=lookup(
                        lang, "exercise.levels.explanation", step=step.name, heading=step.heading, summary=step.summary
                    ),
                    link=Link("samhandlingsmodell", f"samhandling-{step.id}", f"{step.name} – {step.heading}"),
                )
                for n, situation in enumerate(situations, 1)
            ]
        )
    questions = [q for round_ in zip_longest(*per_step) for q in round_ if q is not None][:MAX_STEP_QUESTIONS]
    return ExerciseSet(
        "nivaer",
        lookup(lang, "exercise.levels.title"),
        lookup(lang, "exercise.levels.intro"),
        questions if len({q.correct for q in questions}) > 1 else [],
    )


def referral_set(data: HandbookData) -> ExerciseSet:
    """Who may refer to a support service, from the referral routes that say so."""
    lang = data.plan.language.value
    routes = [r for r in data.municipality.referral_routes if r.who_can_refer]
    options = [(r.id, r.who_can_refer or "") for r in routes]
    questions = [
        Question(
            id=f"henvisning-{r.id}",
            prompt=lookup(lang, "exercise.referral.prompt", service=data.services[r.service].name),
            options=options,
            correct=r.id,
            explanation=r.how,
            link=Link("samhandlingsmodell", f"henvisning-{r.id}", data.services[r.service].name),
        )
        for r in routes
    ]
    return ExerciseSet(
        "henvisning",
        lookup(lang, "exercise.referral.title"),
        lookup(lang, "exercise.referral.intro"),
        questions if len(routes) > 1 else [],
    )


def laws_set(data: HandbookData) -> ExerciseSet:
    """Which samarbeidsplikt binds a service: one question per duty, for the first service it binds alone."""
    lang = data.plan.language.value
    picked: dict[str, str] = {}  # duty id -> service id
    for service in data.municipality.services:
        duties = [d for d in service.bound_by if data.duties[d].kind is DutyKind.SAMARBEIDSPLIKT]
        if service.part_of is None and len(duties) == 1 and duties[0] not in picked:
            picked[duties[0]] = service.id
    pairs = list(picked.items())[:MAX_LAW_QUESTIONS]
    all_duties = [d for d, _ in pairs]
    questions = []
    for i, (duty_id, service_id) in enumerate(pairs):
        others = [all_duties[(i + k) % len(all_duties)] for k in range(1, len(all_duties))][: MAX_OPTIONS - 1]
        choice = sorted([duty_id, *others], key=lambda d: data.duty_citation(data.duties[d]))
        duty = data.duties[duty_id]
        url = data.duty_url(duty)
        questions.append(
            Question(
                id=f"lov-{service_id}",
                prompt=lookup(lang, "exercise.laws.prompt", service=data.services[service_id].name),
                options=[(d, data.duty_citation(data.duties[d])) for d in choice],
                correct=duty_id,
                explanation=f"{data.duty_citation(duty)} ({duty.title}): {duty.summary}",
                link=Link("tjenester", f"tjeneste-{service_id}", data.services[service_id].name),
                external=[(url, data.duty_citation(duty))] if url else [],
            )
        )
    return ExerciseSet(
        "lover",
        lookup(lang, "exercise.laws.title"),
        lookup(lang, "exercise.laws.intro"),
        questions if len(pairs) > 1 else [],
    )


def cases_set(data: HandbookData, path: Path = CASES) -> ExerciseSet:
    """Written cases on taushetsplikt, samtykke and opplysningsplikt."""
    language = data.plan.language.value
    cases = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    questions = []
    for raw in cases:
        where = f"{path}: case {raw.get('id')!r}"
        case = _in_language(raw, ("prompt", "explanation"), language, where)
        case["options"] = [
            _in_language(o, ("label",), language, f"{where}, option {o.get('value')!r}") for o in raw["options"]
        ]
        duties = [data.duties[d] for d in case.get("duties", [])]
        external = [(u, data.duty_citation(d)) for d in duties if (u := data.duty_url(d))]
        link = _in_language(case["link"], ("text",), language, f"{where}, link")
        questions.append(
            Question(
                id=f"case-{case['id']}",
                prompt=" ".join(case["prompt"].split()),
                options=[(o["value"], " ".join(o["label"].split())) for o in case["options"]],
                correct=case["correct"],
                explanation=" ".join(case["explanation"].split()),
                link=Link(link["page"], link["label"], link.get("text", lookup(language, "exercise.cases.link"))),
                external=external,
            )
        )
        if case["correct"] not in {o["value"] for o in case["options"]}:
            raise ValueError(f"{path}: case {case['id']!r}: 'correct' names no option")
    return ExerciseSet(
        "taushetsplikt",
        lookup(language, "exercise.cases.title"),
        lookup(language, "exercise.cases.intro"),
        questions,
    )


def _in_language(node: dict, fields: tuple[str, ...], language: str, where: str) -> dict:
    """``node`` with its reader-facing ``fields`` in ``language``, from its ``nn:`` mapping (same field names).

    The same shape as the national data (``core/localize.localize``); a missing or unknown
    nynorsk text is an error, so a nynorsk page never shows a bokmål case by accident.
    """
    texts = [k for k in fields if k in node]
    if language == "nb" or not texts:
        return {k: v for k, v in node.items() if k != "nn"}
    translation = node.get(language) or {}
    if not isinstance(translation, dict):
        raise ValueError(f"{where}: '{language}' must be a mapping of {', '.join(texts)}")
    unknown = sorted(set(translation) - set(texts))
    missing = [k for k in texts if not translation.get(k)]
    problems = [f"lacks {', '.join(missing)}"] if missing else []
    problems += [f"has unknown field(s) {', '.join(unknown)}"] if unknown else []
    if problems:
        raise ValueError(f"{where}: '{language}:' " + "; ".join(problems))
    return {**{k: v for k, v in node.items() if k != "nn"}, **translation}


def score(exercise: ExerciseSet, answers: dict[str, str]) -> tuple[int, int]:
    """(right, answered) for a dict of question id -> chosen value."""
    right = sum(1 for q in exercise.questions if q.id in answers and q.check(answers[q.id]))
    return right, sum(1 for q in exercise.questions if q.id in answers)
