"""A nynorsk plan gets the national data and the exercise cases in nynorsk.

Our texts in ``_data/national/`` and ``widgets/cases.yaml`` carry an ``nn:`` mapping next to
the bokmål; ``load()`` applies it for a plan with ``language: nn``. These tests check that
every text has its nynorsk version, that a missing one is an error rather than a silent
bokmål fallback, that verbatim texts (statute text, official titles) are never translated,
and that a real nynorsk build shows the nynorsk texts and none of the bokmål ones.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from forebygging.core import DataValidationError, load
from forebygging.core.checks import walk as _walk
from forebygging.core.localize import missing_translations
from forebygging.core.models import NationalData
from widgets.exercises import CASES, cases_set

from .conftest import DATA

NN_PLAN = "vest-telemark"
NB_PLAN = "sor-aurdal"


def _translated(data) -> list[tuple[str, tuple, object, str, object, object]]:
    """(attr, loc, item, field, bokmål, nynorsk) of every translated text in unlocalized national data."""
    rows = []
    for attr in NationalData.model_fields:
        for loc, model in _walk(getattr(data.national, attr), ()):
            if getattr(model, "nn", None) is None:
                continue
            for field in type(model.nn).model_fields:
                rows.append((attr, loc, model, field, getattr(model, field), getattr(model.nn, field)))
    return rows


def test_the_plans_languages_are_the_fixture() -> None:
    assert load(DATA, NN_PLAN).plan.language.value == "nn"
    assert load(DATA, NB_PLAN).plan.language.value == "nb"


def test_every_national_text_has_nynorsk() -> None:
    """Lists every text of ours in _data/national/ that lacks its nn version, by file, item id and field."""
    national = load(DATA, NB_PLAN).national  # a bokmål plan: the data as written, nn mappings intact
    missing = [f"{m.file}: {m.item}: nn.{m.field}" for m in missing_translations(national, "nn")]
    assert not missing, "national texts without nynorsk:\n" + "\n".join(missing)
    # The check covers every kind of item that carries texts of ours.
    kinds = {type(model).__name__ for _, _, model, *_ in _translated(load(DATA, NB_PLAN))}
    assert kinds == {"Law", "Duty", "Requirement", "Factor", "RiskGroup", "LevelInfo", "NationalContact"}


@pytest.mark.parametrize(
    ("file", "old", "item", "field"),
    [
        ("national/factors.yaml", "    name: Rusmiddelbruk\n", "rusmiddelbruk", "name"),
        ("national/duties.yaml", "        title: Vedteken av kommunestyret sjølv\n", "vedtak", "title"),
        ("national/levels.yaml", "    colour_name: raud\n", "indikert", "colour_name"),
        (
            "national/contacts.yaml",
            "    name: Nasjonal portal for bekymringsmelding\n",
            "bekymringsmelding-portal",
            "name",
        ),
    ],
)
def test_a_missing_nynorsk_text_is_named_and_stops_a_nynorsk_plan(
    data_copy: Path, file: str, old: str, item: str, field: str
) -> None:
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, ""), encoding="utf-8")
    bokmal = load(data_copy, NB_PLAN)  # a bokmål plan does not need the nynorsk
    assert [(m.file, m.item, m.field) for m in missing_translations(bokmal.national, "nn")] == [(file, item, field)]
    with pytest.raises(DataValidationError) as info:
        load(data_copy, NN_PLAN)
    (error,) = info.value.errors
    assert error.file == path
    assert error.field.endswith(f".nn.{field}")
    assert item in error.message and "nn" in error.message
    # The line is the bokmål text that needs its nynorsk version, in the edited file.
    lines = path.read_text(encoding="utf-8").splitlines()
    assert error.line is not None and lines[error.line - 1].strip().startswith(f"{field}:")
    assert f"{file}:{error.line}: " in info.value.report()


def test_nynorsk_plan_gets_nynorsk_and_bokmal_plan_gets_bokmal() -> None:
    source = load(DATA, NB_PLAN)
    nynorsk = load(DATA, NN_PLAN)
    changed = 0
    for attr, loc, model, field, bokmal, nn in _translated(source):
        twin = dict(_walk(getattr(nynorsk.national, attr), ()))[loc]
        assert getattr(twin, "id", None) == getattr(model, "id", None)
        assert getattr(model, field) == bokmal
        assert getattr(twin, field) == nn, (attr, loc, field)
        changed += bokmal != nn
    assert changed > 100  # the nynorsk is a translation, not a copy
    # Generators read the same fields: citations, titles and colours come out in nynorsk.
    assert nynorsk.duty_citation(nynorsk.duties["bvl-15-1"]) == "barnevernslova § 15-1"
    assert source.duty_citation(source.duties["bvl-15-1"]) == "barnevernsloven § 15-1"
    assert nynorsk.levels["indikert"].colour_name == "raud"


def test_verbatim_texts_are_never_translated() -> None:
    source, nynorsk = load(DATA, NB_PLAN), load(DATA, NN_PLAN)
    for duty in source.national.duties:
        assert nynorsk.duties[duty.id].statute_text == duty.statute_text
    for law in source.national.laws:
        assert nynorsk.laws[law.id].full_name == law.full_name
    assert source.duties["bvl-15-1"].statute_text  # the check compares real text


def test_cases_in_nynorsk() -> None:
    source, nynorsk = cases_set(load(DATA, NB_PLAN)), cases_set(load(DATA, NN_PLAN))
    assert [q.id for q in source.questions] == [q.id for q in nynorsk.questions]
    for nb, nn in zip(source.questions, nynorsk.questions, strict=True):
        assert nb.prompt != nn.prompt and nb.explanation != nn.explanation
        assert [v for v, _ in nb.options] == [v for v, _ in nn.options]
        assert all(a != b for (_, a), (_, b) in zip(nb.options, nn.options, strict=True))
        assert (nb.link.page, nb.link.label) == (nn.link.page, nn.link.label)
    assert "barnevernslova § 13-2" in [text for q in nynorsk.questions for _, text in q.external]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      nn: {label: Eg ventar og seier ingenting til nokon før eleven sjølv tek det opp.}\n",
            "",
            "lacks label",
        ),
        ("    nn: {text: Trinn 2 i samhandlingsmodellen}\n", "    nn: {txt: Trinn 2}\n", "unknown field(s) txt"),
    ],
)
def test_a_case_without_nynorsk_stops_a_nynorsk_plan(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = CASES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "cases.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    cases_set(load(DATA, NB_PLAN), path)  # bokmål is unaffected
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        cases_set(load(DATA, NN_PLAN), path)
    assert str(path) in str(info.value) and "drofte-med-helsesykepleier" in str(info.value)


@pytest.fixture(scope="module")
def nn_site(plan_site) -> Path:
    return plan_site(NN_PLAN)


def test_nynorsk_build_shows_nynorsk_national_texts(nn_site: Path) -> None:
    def page(name: str) -> str:
        return (nn_site / name).read_text(encoding="utf-8")

    assert "Alvorlege krenkingar" in page("risiko-og-beskyttelse.html")
    assert "Ein ven og tilhøyrsle" in page("risiko-og-beskyttelse.html")
    assert "(raud)" in page("tiltakspyramiden.html")
    assert "Enkeltbarn med høg risiko eller tydelege teikn på problem." in page("tiltakspyramiden.html")
    assert "barnevernslova § 15-8: Samarbeidsplikt for barneverntenesta" in page("plikter/bvl-15-8.html")
    assert "Vedteken av kommunestyret sjølv" in page("sporbarhet.html")
    assert "Ein elev fortel deg at ho blir slått heime" in page("ovelser.html")


def test_nynorsk_build_shows_no_bokmal_national_text(nn_site: Path) -> None:
    """No page shows a bokmål text of ours from the national data (longer texts; law names are excluded
    because the official titles, kept verbatim, contain the bokmål short name)."""
    texts = {
        " ".join(bokmal.split())
        for attr, _, _, _, bokmal, nn in _translated(load(DATA, NB_PLAN))
        if attr != "laws" and isinstance(bokmal, str) and bokmal != nn and len(bokmal) >= 20
    }
    assert len(texts) > 50
    pages = {p.relative_to(nn_site): html.unescape(p.read_text(encoding="utf-8")) for p in nn_site.rglob("*.html")}
    found = {text: sorted(str(p) for p, body in pages.items() if text in body) for text in texts}
    assert not {t: p for t, p in found.items() if p}
