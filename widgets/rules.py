"""The rules of the reflection aid, defined once: rule inputs from data, and the Python reference interpreter.

The handbook's three front ends share these rules:

* :func:`ruleset` turns the plan data into a small JSON-serialisable dict (the *rule inputs*);
  the build embeds exactly this dict in the page, and ``widgets/static/forebygging-widgets.js``
  evaluates it with a line-for-line port of :func:`evaluate`;
* :func:`evaluate` is the Python reference interpreter, used by the notebook widgets
  (``widgets/notebook.py``) and by the tests;
* the shared test vectors in ``widgets/vectors/*.yaml`` (``reflection.yaml`` for the default
  handbook, ``bamble.yaml`` for a plan linked by protective factors) run against all three.

Keep :func:`evaluate` minimal and data-driven: every rule that is not a plain set operation
on the rule inputs belongs in the data, not here and not in the JavaScript.

The rules, in words:

1. Ticking any risk factor meets the ground ``risikofaktor``; protective factors never change
   the step (they buffer, they do not cancel a risk). Nothing is counted or scored.
2. The suggested step is the last step of the model (in the model's order) with a trigger
   among the grounds met; with no ground met, the first step.
3. A ticked factor marked ``acute`` (violence and abuse, serious neglect) triggers the
   opplysningsplikt: the acute advice comes first and the opplysningsplikt duty applies.
4. Measures: those of the catalogue at the step's level, within the child's age when an age
   is given. A measure without an age range in the plan is kept but reported in
   ``age_unknown`` (the page marks it «alder ikke oppgitt»): it does not silently fit any age.
   When factors are ticked and some measures at the level address one of them, only those are
   shown (``basis`` ``factor``). When factors are ticked but none of the level's measures
   addresses one (the plan links measures to other factors, e.g. protective factors only, or to
   none), all measures at the level are shown and the page says so (``basis`` ``fallback``).
   With nothing ticked, all measures at the level are shown (``basis`` ``level``).
5. Duties: always the plan's own duty (forebygging) and taushetsplikt; the duties the step
   names; the samarbeidsplikt of every service responsible for a shown measure; and the
   opplysningsplikt when the case is acute. Listed in the order of the national data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from forebygging.core import HandbookData
from forebygging.core.models import DutyKind, FactorKind, Ground, Level

DEFAULT_TRIGGERS: dict[Level, list[Ground]] = {
    Level.SELEKTIV: [Ground.RISIKOFAKTOR, Ground.MILEPAELER, Ground.FORESATTE, Ground.UNIVERSELLE_TILTAK],
    Level.INDIKERT: [Ground.SELEKTIVE_TILTAK],
}
"""National default when a municipality's model states no triggers: the grounds of the
collaboration model (DOMAIN.md) mapped to the levels of the measure pyramid."""

TICKABLE_GROUNDS: list[Ground] = [g for g in Ground if g is not Ground.RISIKOFAKTOR]
"""Grounds the staff member ticks; ``risikofaktor`` follows from the ticked risk factors."""

ALWAYS_KINDS = (DutyKind.FOREBYGGING, DutyKind.TAUSHETSPLIKT)
ACUTE_KINDS = (DutyKind.OPPLYSNINGSPLIKT,)


BASES = ("level", "factor", "fallback")
"""Why the measures shown were chosen; see rule 4."""


class Result(TypedDict):
    step: str
    acute: list[str]
    measures: list[str]
    basis: str
    age_unknown: list[str]
    duties: list[str]


def ruleset(data: HandbookData) -> dict[str, Any]:
    """The rule inputs for one handbook, as plain JSON-serialisable data (embedded in the page)."""
    steps = data.municipality.collaboration.steps
    use_default = not any(step.triggers for step in steps)
    duties = data.national.duties
    return {
        "factors": {f.id: {"kind": f.kind.value, "acute": f.acute} for f in data.national.factors},
        "grounds": [g.value for g in TICKABLE_GROUNDS],
        "steps": [
            {
                "id": step.id,
                "level": step.level.value,
                "triggers": [g.value for g in (DEFAULT_TRIGGERS.get(step.level, []) if use_default else step.triggers)],
                "duties": list(step.duties),
            }
            for step in steps
        ],
        "measures": [
            {
                "id": m.id,
                "level": m.level.value,
                "ages": [m.ages.min, m.ages.max] if m.ages else None,
                "factors": [*m.reduces, *m.strengthens],
                "responsible": list(m.responsible),
            }
            for m in data.municipality.measures
        ],
        "service_duties": {
            s.id: [d for d in s.bound_by if data.duties[d].kind is DutyKind.SAMARBEIDSPLIKT]
            for s in data.municipality.services
            if s.bound_by
        },
        "always_duties": [d.id for d in duties if d.kind in ALWAYS_KINDS],
        "acute_duties": [d.id for d in duties if d.kind in ACUTE_KINDS],
        "duty_order": [d.id for d in duties],
    }


def evaluate(
    rules: dict[str, Any], factors: Iterable[str] = (), grounds: Iterable[str] = (), age: int | None = None
) -> Result:
    """Which step, which advice, which measures and duties: the reference implementation.

    ``factors`` are ticked factor ids, ``grounds`` ticked ground ids (see :data:`TICKABLE_GROUNDS`),
    ``age`` the child's age in years or None. Unknown ids raise KeyError/ValueError.
    """
    ticked = set(factors)
    met = set(grounds)
    for factor_id in ticked:
        if factor_id not in rules["factors"]:
            raise KeyError(f"unknown factor {factor_id!r}")
    for ground in met:
        if ground not in rules["grounds"]:
            raise ValueError(f"unknown ground {ground!r}")
    if any(rules["factors"][f]["kind"] == FactorKind.RISIKO.value for f in ticked):
        met.add(Ground.RISIKOFAKTOR.value)

    step = rules["steps"][0]
    for candidate in rules["steps"]:
        if any(g in met for g in candidate["triggers"]):
            step = candidate

    acute = [f for f, info in rules["factors"].items() if f in ticked and info["acute"]]

    at_level = [
        m
        for m in rules["measures"]
        if m["level"] == step["level"] and (age is None or m["ages"] is None or m["ages"][0] <= age <= m["ages"][1])
    ]
    matched = [m for m in at_level if set(m["factors"]) & ticked]
    if not ticked:
        basis, measures = "level", at_level
    elif matched:
        basis, measures = "factor", matched
    else:
        basis, measures = "fallback", at_level
    age_unknown = [m["id"] for m in measures if m["ages"] is None] if age is not None else []

    wanted = set(rules["always_duties"]) | set(step["duties"])
    for m in measures:
        for service in m["responsible"]:
            wanted.update(rules["service_duties"].get(service, []))
    if acute:
        wanted.update(rules["acute_duties"])
    return {
        "step": step["id"],
        "acute": acute,
        "measures": [m["id"] for m in measures],
        "basis": basis,
        "age_unknown": age_unknown,
        "duties": [d for d in rules["duty_order"] if d in wanted],
    }


def possible_duties(rules: dict[str, Any]) -> list[str]:
    """Every duty any case can bring up, in national order: the page lists these and shows the ones that apply."""
    wanted = set(rules["always_duties"]) | set(rules["acute_duties"])
    for step in rules["steps"]:
        wanted.update(step["duties"])
    for m in rules["measures"]:
        for service in m["responsible"]:
            wanted.update(rules["service_duties"].get(service, []))
    return [d for d in rules["duty_order"] if d in wanted]
