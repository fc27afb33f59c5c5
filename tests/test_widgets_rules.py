"""The rules of the interactive checks in Python: the shared vectors, the defaults, and the exercises."""

from __future__ import annotations

import functools
import importlib.util
import json

import pytest
from ruamel.yaml import YAML

from forebygging.core import load
from forebygging.core.models import FactorKind
from widgets.exercises import exercise_sets, score
from widgets.rules import TICKABLE_GROUNDS, evaluate, possible_duties, ruleset

from .conftest import DATA, DEFAULT, ROOT
from .vectors import ALL_VECTORS, EXERCISE_VECTORS, EXPECTED, exercise_vector_id, vector_question

VECTORS_FILE = ROOT / "widgets" / "vectors" / "reflection.yaml"
VECTORS = YAML(typ="safe").load(VECTORS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data():
    return load(DATA, DEFAULT)


@pytest.fixture(scope="module")
def rules(data):
    return ruleset(data)


@functools.cache
def plan(slug: str):
    return load(DATA, slug)


def test_vectors_are_for_the_default_handbook_and_a_plan_linked_by_protective_factor() -> None:
    assert VECTORS["kommune"] == DEFAULT
    assert len(VECTORS["cases"]) >= 10
    assert {slug for slug, _ in ALL_VECTORS} == {DEFAULT, "bamble"}
    names = [(slug, c["name"]) for slug, c in ALL_VECTORS]
    assert len(set(names)) == len(names)
    # Every basis and both kinds of age result are covered somewhere.
    assert {c["expect"]["basis"] for _, c in ALL_VECTORS} == {"level", "factor", "fallback"}
    assert any(c["expect"]["age_unknown"] for _, c in ALL_VECTORS)
    assert any(c["expect"]["acute"] and c["age"] is not None for _, c in ALL_VECTORS)


@pytest.mark.parametrize(("slug", "case"), ALL_VECTORS, ids=lambda x: x if isinstance(x, str) else x["name"])
def test_vector_in_python(slug: str, case: dict) -> None:
    result = evaluate(ruleset(plan(slug)), case["factors"], case["grounds"], case["age"])
    assert {k: result[k] for k in EXPECTED} == {k: case["expect"][k] for k in EXPECTED}


def test_a_risk_factor_falls_back_to_the_levels_measures_in_a_plan_linked_by_protective_factor() -> None:
    """Bamble links every measure to protective factors: a risk factor alone still gets measures, all of the level's."""
    bamble = plan("bamble")
    rules = ruleset(bamble)
    result = evaluate(rules, ["rusmiddelbruk"])
    level = bamble.steps[result["step"]].level
    assert result["basis"] == "fallback"
    assert result["measures"] == [m.id for m in bamble.municipality.measures if m.level == level]
    assert result["measures"]
    # A protective factor the plan links to narrows the list to the measures that strengthen it.
    narrowed = evaluate(rules, ["rusmiddelbruk", "en-venn"])
    assert narrowed["basis"] == "factor"
    assert narrowed["measures"] == [
        m.id for m in bamble.municipality.measures if m.level == level and "en-venn" in m.strengthens
    ]


def test_a_plan_without_measures_suggests_none_and_says_why() -> None:
    data = plan(DEFAULT)
    bare = data.municipality.model_copy(update={"measures": []})
    rules = ruleset(type(data)(data.root, data.slug, data.national, bare, data.files))
    result = evaluate(rules, ["rusmiddelbruk"], age=7)
    assert result["measures"] == [] and result["age_unknown"] == []
    assert result["basis"] == "fallback"


def test_a_measure_without_ages_is_marked_not_fitted(rules, data) -> None:
    """With an age given, a measure without an age range is shown but reported, never silently fitting."""
    unknown = {m.id for m in data.municipality.measures if m.ages is None}
    for age in (0, 4, 12, 19):
        result = evaluate(rules, age=age)
        assert set(result["age_unknown"]) == unknown & set(result["measures"])
        for m in (data.measures[i] for i in result["measures"] if i not in unknown):
            assert m.ages.min <= age <= m.ages.max
    assert evaluate(rules)["age_unknown"] == []


def test_ruleset_is_plain_json(rules) -> None:
    assert json.loads(json.dumps(rules)) == rules


def test_protective_factors_never_change_the_step(data, rules) -> None:
    protective = [f.id for f in data.national.factors if f.kind is FactorKind.BESKYTTELSE]
    assert evaluate(rules, protective)["step"] == evaluate(rules)["step"]
    risk = next(f.id for f in data.national.factors if f.kind is FactorKind.RISIKO and not f.acute)
    assert evaluate(rules, [risk, *protective])["step"] == evaluate(rules, [risk])["step"]


def test_every_acute_factor_brings_the_opplysningsplikt(data, rules) -> None:
    acute = [f for f in data.national.factors if f.acute]
    assert {f.id for f in acute} == {"alvorlige-krenkelser", "skadelige-omsorgsformer"}
    for factor in acute:
        result = evaluate(rules, [factor.id])
        assert result["acute"] == [factor.id]
        assert "bvl-13-2" in result["duties"]
    assert "bvl-13-2" not in evaluate(rules, ["rusmiddelbruk"])["duties"]


def test_national_default_triggers_when_the_model_states_none(data) -> None:
    steps = [s.model_copy(update={"triggers": []}) for s in data.municipality.collaboration.steps]
    collab = data.municipality.collaboration.model_copy(update={"steps": steps})
    muni = data.municipality.model_copy(update={"collaboration": collab})
    bare = type(data)(data.root, data.slug, data.national, muni, data.files)
    rules = ruleset(bare)
    assert evaluate(rules, ["rusmiddelbruk"])["step"] == "trinn-2"
    assert evaluate(rules, grounds=["selektive-tiltak"])["step"] == "trinn-3"
    assert evaluate(rules)["step"] == "trinn-1"


def test_unknown_ids_are_errors(rules) -> None:
    with pytest.raises(KeyError):
        evaluate(rules, ["no-such-factor"])
    with pytest.raises(ValueError):
        evaluate(rules, grounds=["risikofaktor"])  # follows from the factors, never ticked


def test_every_duty_a_case_can_bring_is_listed(rules) -> None:
    listed = set(possible_duties(rules))
    for slug, case in ALL_VECTORS:
        if slug == DEFAULT:
            assert set(case["expect"]["duties"]) <= listed
    assert [g.value for g in TICKABLE_GROUNDS] == rules["grounds"]


def test_exercises_from_data(data) -> None:
    sets = {s.id: s for s in exercise_sets(data)}
    assert list(sets) == ["nivaer", "henvisning", "lover", "taushetsplikt"]
    for exercise in sets.values():
        assert exercise.questions
        for q in exercise.questions:
            values = [v for v, _ in q.options]
            assert q.correct in values and len(values) == len(set(values)) >= 2
            assert q.explanation and q.link.page and q.link.label
    # Generated answers agree with the data they come from.
    # A situation from the plan's criteria for a step; the answer is that step, never a measure name.
    steps = data.municipality.collaboration.steps
    for q in sets["nivaer"].questions:
        criteria = data.steps[q.correct].criteria
        assert any(f"«{c.rstrip('.')}»" in q.prompt for c in criteria), q.prompt
        assert [v for v, _ in q.options] == [s.id for s in steps]
    assert len({q.correct for q in sets["nivaer"].questions}) > 1
    for q in sets["lover"].questions:
        assert q.correct in data.services[q.id.removeprefix("lov-")].bound_by
    topics = YAML(typ="safe").load((ROOT / "widgets" / "cases.yaml").read_text(encoding="utf-8"))
    assert {c["topic"] for c in topics} == {"taushetsplikt", "samtykke", "opplysningsplikt"}
    laws = sets["lover"]
    answers = {q.id: q.correct for q in laws.questions}
    assert score(laws, answers) == (len(laws.questions), len(laws.questions))
    assert score(laws, {}) == (0, 0)


def test_step_questions_need_distinct_situations() -> None:
    """Without criteria, target groups stand in only when no two steps share one (else two answers are right)."""
    bamble = plan("bamble")
    assert not any(s.criteria for s in bamble.municipality.collaboration.steps)
    questions = exercise_sets(bamble)[0].questions
    assert [q.correct for q in questions] == [s.id for s in bamble.municipality.collaboration.steps]
    steps = [s.model_copy(update={"target_group": "Alle barn"}) for s in bamble.municipality.collaboration.steps]
    collab = bamble.municipality.collaboration.model_copy(update={"steps": steps})
    muni = bamble.municipality.model_copy(update={"collaboration": collab})
    same = type(bamble)(bamble.root, bamble.slug, bamble.national, muni, bamble.files)
    assert "nivaer" not in {s.id for s in exercise_sets(same)}


def test_vectors_file_is_referenced_by_both_front_ends() -> None:
    js = (ROOT / "widgets" / "static" / "forebygging-widgets.js").read_text(encoding="utf-8")
    assert "widgets/rules.py" in js and "reflection.yaml" in js


def test_widget_assets_stay_under_the_size_budget() -> None:
    """A size budget (not a timing): the added JS and CSS stay under 50 KB gzipped."""
    spec = importlib.util.spec_from_file_location("widget_size", ROOT / "benchmarks" / "widget_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    total = sum(gz for _, gz in module.sizes().values())
    assert 0 < total < module.BUDGET == 50 * 1024


@pytest.mark.parametrize("vector", EXERCISE_VECTORS, ids=exercise_vector_id)
def test_exercise_vector_against_the_definitions(vector: dict) -> None:
    """The reference: the question exists in the plan, the answer is one of its options, the verdict holds."""
    question = vector_question(plan(vector["kommune"]), vector)
    assert vector["answer"] in dict(question.options)
    assert question.check(vector["answer"]) is vector["right"]


def test_exercise_vectors_cover_both_verdicts_and_a_nynorsk_plan() -> None:
    assert {v["right"] for v in EXERCISE_VECTORS} == {True, False}
    assert {plan(v["kommune"]).plan.language.value for v in EXERCISE_VECTORS} == {"nb", "nn"}
