"""Training exercises for the onboarding path, generated from the plan data (plus written cases).

Four sets, each with a stable id that is also the anchor on the exercises page
(``ovelse-<id>``): ``nivaer`` (place a measure at its level), ``henvisning`` (who may refer,
from the referral routes), ``lover`` (which samarbeidsplikt binds a service, from the duties)
and ``taushetsplikt`` (written cases on taushetsplikt, samtykke and opplysningsplikt, from
``widgets/cases.yaml``). The page (``ext/directives/interactive.py``) and the notebook
(``widgets/notebook.py``) render the same :class:`ExerciseSet` objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from forebygging.core import HandbookData
from forebygging.core.models import DutyKind

CASES = Path(__file__).with_name("cases.yaml")
MEASURES_PER_LEVEL = 2
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
    """Place a measure at its level: the first measures of each level whose name is unique in the plan."""
    names = Counter(m.name for m in data.municipality.measures)
    questions = []
    for level in data.national.levels:
        chosen = [m for m in data.municipality.measures if m.level == level.id and names[m.name] == 1]
        for m in chosen[:MEASURES_PER_LEVEL]:
            questions.append(
                Question(
                    id=f"niva-{m.id}",
                    prompt=f"På hvilket nivå i tiltakspyramiden står «{m.name}» i planen?",
                    options=[(lv.id.value, lv.name) for lv in data.national.levels],
                    correct=level.id.value,
                    explanation=(
                        f"«{m.name}» står på {level.name.lower()} ({level.colour_name}): {level.for_whom} "
                        f"Målgruppe i planen: {m.target_group}."
                    ),
                    link=Link("tiltak", f"tiltak-{m.id}", m.name),
                )
            )
    # Interleave the levels so the right answer is not always the same in a row.
    questions = questions[0::MEASURES_PER_LEVEL] + questions[1::MEASURES_PER_LEVEL]
    return ExerciseSet(
        "nivaer",
        "Plasser tiltaket på riktig nivå",
        "Tiltakspyramiden har tre nivåer. Velg nivået planen har plassert tiltaket på.",
        questions,
    )


def referral_set(data: HandbookData) -> ExerciseSet:
    """Who may refer to a support service, from the referral routes that say so."""
    routes = [r for r in data.municipality.referral_routes if r.who_can_refer]
    options = [(r.id, r.who_can_refer or "") for r in routes]
    questions = [
        Question(
            id=f"henvisning-{r.id}",
            prompt=f"Hvem kan henvise til {data.services[r.service].name}?",
            options=options,
            correct=r.id,
            explanation=r.how,
            link=Link("samhandlingsmodell", f"henvisning-{r.id}", data.services[r.service].name),
        )
        for r in routes
    ]
    return ExerciseSet(
        "henvisning",
        "Hvem kontakter du?",
        "Viderehenvisning etter samhandlingsmodellen: hvem kan henvise til tjenesten?",
        questions if len(routes) > 1 else [],
    )


def laws_set(data: HandbookData) -> ExerciseSet:
    """Which samarbeidsplikt binds a service: one question per duty, for the first service it binds alone."""
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
                prompt=f"Hvilken lovbestemmelse gir {data.services[service_id].name} samarbeidsplikt?",
                options=[(d, data.duty_citation(data.duties[d])) for d in choice],
                correct=duty_id,
                explanation=f"{data.duty_citation(duty)} ({duty.title}): {duty.summary}",
                link=Link("tjenester", f"tjeneste-{service_id}", data.services[service_id].name),
                external=[(url, data.duty_citation(duty))] if url else [],
            )
        )
    return ExerciseSet(
        "lover",
        "Hvilken lov binder tjenesten?",
        "Hver tjeneste har samarbeidsplikt etter sin egen lov. Velg bestemmelsen som gjelder.",
        questions if len(pairs) > 1 else [],
    )


def cases_set(data: HandbookData, path: Path = CASES) -> ExerciseSet:
    """Written cases on taushetsplikt, samtykke and opplysningsplikt."""
    cases = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    questions = []
    for case in cases:
        duties = [data.duties[d] for d in case.get("duties", [])]
        external = [(u, data.duty_citation(d)) for d in duties if (u := data.duty_url(d))]
        link = case["link"]
        questions.append(
            Question(
                id=f"case-{case['id']}",
                prompt=" ".join(case["prompt"].split()),
                options=[(o["value"], " ".join(o["label"].split())) for o in case["options"]],
                correct=case["correct"],
                explanation=" ".join(case["explanation"].split()),
                link=Link(link["page"], link["label"], link.get("text", "Samhandlingsmodellen")),
                external=external,
            )
        )
        if case["correct"] not in {o["value"] for o in case["options"]}:
            raise ValueError(f"{path}: case {case['id']!r}: 'correct' names no option")
    return ExerciseSet(
        "taushetsplikt",
        "Taushetsplikt, samtykke og opplysningsplikt",
        "Korte saker fra hverdagen. Velg det du ville gjort.",
        questions,
    )


def score(exercise: ExerciseSet, answers: dict[str, str]) -> tuple[int, int]:
    """(right, answered) for a dict of question id -> chosen value."""
    right = sum(1 for q in exercise.questions if q.id in answers and q.check(answers[q.id]))
    return right, sum(1 for q in exercise.questions if q.id in answers)
