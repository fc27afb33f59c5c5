"""The shared vectors of the interactive checks (``widgets/vectors/*.yaml``), read once for every test
that runs them: against the Python rules, the notebook widgets and the page."""

from __future__ import annotations

from ruamel.yaml import YAML

from forebygging.wording import lookup
from widgets.exercises import exercise_sets

from .conftest import ROOT

VECTOR_FILES = sorted((ROOT / "widgets" / "vectors").glob("*.yaml"))
ALL_VECTORS = [
    (v["kommune"], case)
    for v in (YAML(typ="safe").load(p.read_text(encoding="utf-8")) for p in VECTOR_FILES)
    for case in v["cases"]
]
"""(municipality slug, case) for every case of every vector file."""
EXPECTED = ("step", "acute", "basis", "age_unknown", "measures", "duties")
"""The result fields every implementation must agree on."""

EXERCISE_VECTORS: list[dict] = YAML(typ="safe").load(
    (ROOT / "widgets" / "vectors" / "exercises" / "answers.yaml").read_text(encoding="utf-8")
)
"""One answer to one exercise question per entry: kommune, set, question, answer, right (the verdict)."""


def exercise_vector_id(vector: dict) -> str:
    return f"{vector['kommune']}-{vector['question']}-{vector['answer']}"


def expected_feedback(question, lang: str, right: bool) -> tuple[str, str]:
    """(verdict, explanation) every front end shows for an answer judged ``right``, in the plan's language."""
    verdict = lookup(lang, "exercise.check") if right else lookup(lang, "exercise.wrong", answer=question.correct_label)
    return verdict, question.explanation


def vector_question(data, vector: dict):
    """The question a vector answers, from the plan's exercise sets (widgets/exercises.py)."""
    sets = {s.id: s for s in exercise_sets(data)}
    return next(q for q in sets[vector["set"]].questions if q.id == vector["question"])


def answer_on_page(page, vector: dict) -> str:
    """Answer a vector's question on the handbook's page «Øvelser» (already open): the feedback's text."""
    item = page.locator(f"#sporsmal-{vector['question']}")
    item.locator(f"input[value='{vector['answer']}']").check()
    item.locator("button[data-fb-check]").click()
    return item.locator(".fb-feedback").inner_text()
