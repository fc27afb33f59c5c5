"""The notebook front end: ipywidgets built and driven in pytest, no browser, against the shared vectors."""

from __future__ import annotations

import functools
import json
from html import escape

import ipywidgets
import nbformat
import pytest

from forebygging.core import load
from forebygging.wording import TEXTS
from widgets.notebook import Exercise, ReflectionAid, exercises, reflection_aid, workshop_plan

from .conftest import DATA, DEFAULT, ROOT
from .vectors import (
    ALL_VECTORS,
    EXERCISE_VECTORS,
    EXPECTED,
    exercise_vector_id,
    expected_feedback,
    vector_question,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def data():
    return load(DATA, DEFAULT)


@pytest.fixture(scope="module")
def aid(data) -> ReflectionAid:
    return reflection_aid(data)


@functools.cache
def plan_aid(slug: str) -> ReflectionAid:
    return reflection_aid(load(DATA, slug))


@pytest.mark.parametrize(("slug", "case"), ALL_VECTORS, ids=lambda x: x if isinstance(x, str) else x["name"])
def test_vector_through_the_widgets(slug: str, case: dict) -> None:
    aid = plan_aid(slug)
    data = aid.data
    aid.reset_button.click()
    assert aid.case == ([], [], None)
    for factor in case["factors"]:
        aid.factor_boxes[factor].value = True
    for ground in case["grounds"]:
        aid.ground_boxes[ground].value = True
    aid.age.value = case["age"]
    expect = case["expect"]
    assert {k: aid.last[k] for k in EXPECTED} == {k: expect[k] for k in EXPECTED}
    lang = data.plan.language.value
    assert f"<b>{data.steps[expect['step']].name}</b>" in aid.result.value
    assert ("112" in aid.acute.value) is bool(expect["acute"])
    basis = {"level": "reflection.measures.all", "factor": "reflection.measures.linked"}
    basis["fallback"] = "reflection.measures.fallback"
    assert TEXTS[lang][basis[expect["basis"]]] in aid.result.value
    assert (TEXTS[lang]["measure.ages.unknown"] in aid.result.value) is any(
        data.measures[m].ages is None for m in expect["measures"]
    )
    if expect["acute"]:
        # The step's everyday tasks (involve the parents, ask for consent) are not shown while acute.
        assert "Involver foresatte" not in aid.result.value
        assert TEXTS[lang]["reflection.tasks"].split("{")[0] not in aid.result.value


def test_controls_are_labelled_and_there_is_no_free_text(aid: ReflectionAid, data) -> None:
    # An acute factor says what it means in the label itself, as on the page.
    assert [b.description for b in aid.factor_boxes.values()] == [
        f"{f.name}: {f.explanation} (Akutt)" if f.acute else f.name for f in data.national.factors
    ]
    assert any("effekt" in b.description for b in aid.ground_boxes.values())

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    kinds = {type(x) for x in walk(aid.box)}
    assert not kinds & {ipywidgets.Text, ipywidgets.Textarea}


def test_exercise_feedback_and_result(data) -> None:
    sets = exercises(data)
    assert list(sets) == ["nivaer", "henvisning", "lover", "taushetsplikt"]
    ex: Exercise = sets["taushetsplikt"]
    questions = ex.exercise.questions
    first = questions[0]
    ex.check_buttons[first.id].click()  # nothing chosen: asks for an answer, counts nothing
    assert TEXTS["nb"]["exercise.choose"] in ex.feedback[first.id].value and ex.score.value == ""
    wrong = next(v for v, _ in first.options if v != first.correct)
    ex.radios[first.id].value = wrong
    assert ex.feedback[first.id].value == "" and ex.answers() == {}  # choosing reveals nothing
    ex.check_buttons[first.id].click()
    assert "Ikke helt" in ex.feedback[first.id].value and first.explanation in ex.feedback[first.id].value
    assert f"{first.link.page}.html#{first.link.label}" in ex.feedback[first.id].value
    for q in questions[1:]:
        ex.radios[q.id].value = q.correct
        assert ex.feedback[q.id].value == ""
        ex.check_buttons[q.id].click()
        assert TEXTS["nb"]["exercise.check"] in ex.feedback[q.id].value
    assert f"{len(questions) - 1} av {len(questions)}" in ex.score.value
    ex.restart_button.click()
    assert ex.answers() == {} and ex.score.value == ""


@pytest.mark.parametrize("slug", [DEFAULT, "vest-telemark"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_shipped_notebooks_run_for_the_plan_in_kommune(path, slug: str, monkeypatch) -> None:
    """The notebooks' code cells run (ipywidgets objects, no kernel needed) and show the plan in $KOMMUNE."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    monkeypatch.setenv("KOMMUNE", slug)
    monkeypatch.delenv("FOREBYGGING_DATA", raising=False)
    monkeypatch.chdir(ROOT / "tests")  # the notebooks find the project by import, wherever they run
    namespace: dict = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, str(path), "exec"), namespace)
    data = namespace["data"]
    assert data.slug == slug
    heading = namespace["view"].children[0].value
    title = "workshop.exercises.title" if path.name == "ovelser.ipynb" else "workshop.reflection.title"
    plan = ", ".join(data.plan.municipalities)
    assert TEXTS[data.plan.language.value][title].format(plan=plan) in heading


REPO_NOTEBOOKS = sorted(
    p for p in ROOT.rglob("*.ipynb") if not {".venv", "_build", ".git", ".ipynb_checkpoints"} & set(p.parts)
)


@pytest.mark.parametrize("path", REPO_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks_are_committed_clean(path) -> None:
    """No stored outputs or execution counts (no stale results in git), and no sys.path editing."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for n, cell in enumerate(notebook["cells"]):
        assert not cell.get("outputs"), f"{path.name}, cell {n}: commit notebooks without outputs"
        assert cell.get("execution_count") is None, f"{path.name}, cell {n}: execution count stored"
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        assert "sys.path" not in source and "PYTHONPATH" not in source, f"{path.name}, cell {n}: edits sys.path"


def test_workshop_plan_refuses_an_unknown_or_malformed_kommune(monkeypatch) -> None:
    for bad in ["../sor-aurdal", "nowhere", "Sor-Aurdal", "sor-aurdal/../hemsedal"]:
        monkeypatch.setenv("KOMMUNE", bad)
        with pytest.raises(ValueError, match="no such municipality"):
            workshop_plan()
    monkeypatch.delenv("KOMMUNE")
    assert workshop_plan().slug == DEFAULT
    monkeypatch.setenv("KOMMUNE", "vest-telemark")
    assert workshop_plan().plan.language.value == "nn"


@pytest.mark.parametrize("vector", EXERCISE_VECTORS, ids=exercise_vector_id)
def test_exercise_vector_through_the_widgets(vector: dict) -> None:
    data = load(DATA, vector["kommune"])
    question = vector_question(data, vector)
    ex = exercises(data)[vector["set"]]
    ex.radios[question.id].value = vector["answer"]
    ex.check_buttons[question.id].click()
    lang = data.plan.language.value
    verdict, explanation = expected_feedback(question, lang, vector["right"])
    other, _ = expected_feedback(question, lang, not vector["right"])
    feedback = ex.feedback[question.id].value
    assert escape(verdict) in feedback and escape(explanation) in feedback
    assert escape(other) not in feedback


def test_notebooks_are_shipped() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"refleksjonsverktoy.ipynb", "ovelser.ipynb"}
