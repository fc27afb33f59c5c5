"""One broken copy of the data per error class: the message names file, line, field and value.

Each case edits one line of a real data file. The expected line is found in the edited
file rather than typed here, so the assertion checks the loader's line, not our count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from forebygging.core import DataValidationError, load
from forebygging.core.reading import MAX_FILE_BYTES

KOMMUNE = "sor-aurdal"


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to _data/
    old: str
    new: str
    field: str  # expected substring of the error's field path
    message: str  # expected substring of the message
    value: object = None
    hint: str | None = None
    line_of: str | None = None  # text whose line the error must point at (default: `new`)


CASES = [
    Case(
        "yaml-syntax",
        "sor-aurdal/measures.yaml",
        "  name: Svangerskapsomsorg\n",
        "  name: [Svangerskapsomsorg\n",
        field="",
        message="YAML syntax error",
        hint="indentation",
        line_of="  level: universell",
    ),
    Case(
        "unknown-service",
        "sor-aurdal/measures.yaml",
        "    - jordmortjeneste\n    - fastlege\n",
        "    - jordmortjenste\n    - fastlege\n",
        field="measures[0].responsible[0]",
        message="unknown service id",
        value="jordmortjenste",
        hint="did you mean 'jordmortjeneste'?",
    ),
    Case(
        "unknown-duty",
        "sor-aurdal/services.yaml",
        "    - oppl-24-1\n",
        "    - oppl-15-8\n",
        field="services[1].bound_by[0]",
        message="unknown duty id",
        value="oppl-15-8",
        hint="did you mean",
    ),
    Case(
        "duplicate-id",
        "sor-aurdal/measures.yaml",
        "- id: helsestasjonsprogram-0-5-ar\n",
        "- id: svangerskapsomsorg-universell\n",
        field="measures[1].id",
        message="duplicate id (first used on line",
        value="svangerskapsomsorg-universell",
    ),
    Case(
        "missing-field",
        "sor-aurdal/measures.yaml",
        "  target_group: Det gravide paret\n",
        "",
        field="measures[0].target_group",
        message="Field required",
        hint="add the field 'target_group'",
        line_of="- id: svangerskapsomsorg-universell",
    ),
    Case(
        "enum-value",
        "sor-aurdal/measures.yaml",
        "  name: Svangerskapsomsorg\n  level: universell\n",
        "  name: Svangerskapsomsorg\n  level: universel\n",
        field="measures[0].level",
        message="Input should be",
        value="universel",
        hint="did you mean 'universell'?",
        line_of="  level: universel\n",
    ),
    Case(
        "unknown-field",
        "sor-aurdal/measures.yaml",
        "  target_group: Det gravide paret\n",
        "  target_group: Det gravide paret\n  responsibel: []\n",
        field="measures[0].responsibel",
        message="unknown field 'responsibel'",
        hint="did you mean 'responsible'?",
        line_of="  responsibel: []",
    ),
    Case(
        "malformed-url",
        "sor-aurdal/services.yaml",
        "  contact_url: https://www.sor-aurdal.kommune.no/tjenester/skole-og-barnehage/skole/\n",
        "  contact_url: www.sor-aurdal.kommune.no/skole\n",
        field="services[1].contact_url",
        message="URL",
        value="www.sor-aurdal.kommune.no/skole",
        hint="https://",
    ),
    Case(
        "malformed-lovdata-id",
        "national/laws.yaml",
        "  lovdata_id: 2021-06-18-97\n",
        "  lovdata_id: 2021-6-18-97\n",
        field="laws[0].lovdata_id",
        message="should match pattern",
        value="2021-6-18-97",
        hint="2021-06-18-97",
    ),
    Case(
        "impossible-lovdata-date",
        "national/laws.yaml",
        "  lovdata_id: 2021-06-18-97\n",
        "  lovdata_id: 2021-02-30-97\n",
        field="laws[0].lovdata_id",
        message="does not start with a real date",
        value="2021-02-30-97",
    ),
    Case(
        "impossible-age-range",
        "sor-aurdal/measures.yaml",
        "  ages:\n    min: 0\n    max: 5\n",
        "  ages:\n    min: 6\n    max: 5\n",
        field="measures[1].ages",
        message="impossible age range",
        line_of="  ages:\n    min: 6",
    ),
    Case(
        "unknown-factor",
        "sor-aurdal/measures.yaml",
        "  target_group: Det gravide paret\n",
        "  target_group: Det gravide paret\n  reduces: [rusmidelbruk]\n",
        field="measures[0].reduces[0]",
        message="unknown factor id",
        value="rusmidelbruk",
        hint="did you mean 'rusmiddelbruk'?",
        line_of="  reduces: [rusmidelbruk]",
    ),
    Case(
        "duplicate-yaml-key",
        "sor-aurdal/plan.yaml",
        "region: Valdres\n",
        "region: Valdres\nregion: Hallingdal\n",
        field="",
        message="duplicate key",
        line_of="region: Hallingdal",
    ),
    Case(
        "adopted-without-date",
        "sor-aurdal/plan.yaml",
        "status: utkast\n",
        "status: vedtatt\n",
        field="plan",
        message="adoption.date is missing",
        line_of="title:",
    ),
    Case(
        "unknown-field-under-nn",
        "national/factors.yaml",
        "  nn:\n    name: Skadelege omsorgsformer\n",
        "  nn:\n    nam: Skadelege omsorgsformer\n",
        field="factors[0].nn.nam",
        message="unknown field 'nam'",
        hint="did you mean 'name'?",
        line_of="    nam: Skadelege",
    ),
    Case(
        "statute-text-under-nn",  # statute text is quoted as the law reads; it has no nynorsk version
        "national/duties.yaml",
        "    binds: Kommunen som heilskap, med kommunestyret som vedtek planen.\n",
        "    binds: Kommunen som heilskap, med kommunestyret som vedtek planen.\n    statute_text: Kommunen skal\n",
        field="duties[0].nn.statute_text",
        message="unknown field 'statute_text'",
        line_of="    statute_text: Kommunen skal",
    ),
    Case(
        "nn-without-bokmal",
        "national/duties.yaml",
        "  binds: Barneverntjenesten.\n",
        "",
        field="duties[1]",
        message="nn.binds is given, but the item has no 'binds'",
        line_of="- id: bvl-15-8",
    ),
]


def _break(data: Path, case: Case) -> tuple[Path, int]:
    path = data / case.file
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) >= 1, f"fixture text not found in {case.file}: {case.old!r}"
    position = text.index(case.old)
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    if case.line_of is not None:
        position = text.index(case.line_of)
    line = text.count("\n", 0, position) + 1
    return path, line


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_error_names_file_line_field_and_value(data_copy: Path, case: Case) -> None:
    path, line = _break(data_copy, case)
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    errors = info.value.errors
    matching = [e for e in errors if case.message in e.message and case.field in e.field]
    assert matching, f"no error with {case.message!r} at {case.field!r}; got:\n{info.value.report()}"
    error = matching[0]
    assert error.file == path
    assert error.line == line
    if case.value is not None:
        assert error.value == case.value
    if case.hint is not None:
        assert error.hint and case.hint in error.hint, error.hint
    # The formatted report carries all of it, relative to the data directory.
    report = info.value.report()
    assert f"{case.file}:{line}: " in report
    if case.value is not None:
        assert repr(case.value) in report


def test_all_errors_are_reported_together(data_copy: Path) -> None:
    for name in ("unknown-service", "enum-value", "malformed-lovdata-id"):
        _break(data_copy, next(c for c in CASES if c.name == name))
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    # Syntax and schema errors in one file do not hide those in another; reference errors need
    # valid files, so they follow once the others are fixed.
    files = {e.file.name for e in info.value.errors}
    assert {"measures.yaml", "laws.yaml"} <= files
    assert "2 errors" in str(info.value) or "3 errors" in str(info.value)


def test_reference_errors_are_reported_together(data_copy: Path) -> None:
    for name in ("unknown-service", "unknown-duty", "unknown-factor"):
        _break(data_copy, next(c for c in CASES if c.name == name))
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    assert len(info.value.errors) == 3
    assert info.value.report().startswith("The handbook data has 3 errors")


def test_missing_required_file(data_copy: Path) -> None:
    (data_copy / KOMMUNE / "measures.yaml").unlink()
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    assert "sor-aurdal/measures.yaml: (file): required file is missing" in info.value.report()


def test_unknown_municipality_suggests_the_closest(data_copy: Path) -> None:
    with pytest.raises(DataValidationError) as info:
        load(data_copy, "sor-aurdl")
    assert info.value.errors[0].hint == "did you mean 'sor-aurdal'?"


def test_oversized_file_is_refused(data_copy: Path) -> None:
    path = data_copy / KOMMUNE / "indicators.yaml"
    path.write_text("# padding\n" * (MAX_FILE_BYTES // 10 + 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    error = next(e for e in info.value.errors if e.file == path)
    assert "over the limit" in error.message


def test_python_tags_are_not_constructed(data_copy: Path) -> None:
    """YAML is loaded safely: a tag naming a Python object is an error, never a call."""
    path = data_copy / KOMMUNE / "plan.yaml"
    text = path.read_text(encoding="utf-8").replace("region: Valdres", "region: !!python/object/apply:os.getcwd []")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    error = next(e for e in info.value.errors if e.file == path)
    assert error.line == text[: text.index("region:")].count("\n") + 1


def test_unquoted_date_gets_a_quoting_hint(data_copy: Path) -> None:
    path = data_copy / "national" / "laws.yaml"
    text = path.read_text(encoding="utf-8").replace('lovdata_id: "1967-02-10"', "lovdata_id: 1967-02-10")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(data_copy, KOMMUNE)
    assert "put the value in quotes" in (info.value.errors[0].hint or "")


def test_the_real_data_is_valid() -> None:
    data = load(Path(__file__).resolve().parents[1] / "_data", KOMMUNE)
    assert data.plan.municipalities == ["Sør-Aurdal"]
