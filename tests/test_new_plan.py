"""``make new``: a new municipality's plan that validates, builds, and says what to fill in next."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from forebygging.cli.main import main as cli_main
from forebygging.core import load

from .conftest import ROOT, build, make_env


def new(data: Path, *args: str) -> int:
    return cli_main(["--data", str(data), "new", *args])


@pytest.mark.parametrize(
    ("slug", "name", "lang", "placeholder", "schema_line"),
    [
        ("nord-fron", "Nord-Fron", "nb", "Ikke fylt ut ennå.", "Hva planen skal oppnå"),
        ("vinje", "Vinje", "nn", "Ikkje fylt ut enno.", "Kva planen skal oppnå"),
    ],
)
def test_new_plan_builds_and_lists_what_to_fill_in(
    data_copy: Path, tmp_path: Path, slug: str, name: str, lang: str, placeholder: str, schema_line: str
) -> None:
    assert new(data_copy, "--kommune", slug, "--navn", name, "--spraak", lang) == 0
    folder = data_copy / slug
    assert sorted(p.name for p in folder.iterdir()) == [
        "collaboration_model.yaml",
        "measures.yaml",
        "plan.yaml",
        "services.yaml",
    ]
    for path in folder.iterdir():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schemas/{path.stem}.schema.json"
    plan_text = (folder / "plan.yaml").read_text(encoding="utf-8")
    assert schema_line in plan_text  # the fields are explained in the plan's language
    data = load(data_copy, slug)
    assert data.plan.language.value == lang
    assert data.plan.municipalities == [name]
    assert data.plan.purpose == placeholder
    assert data.municipality.measures == [] and data.municipality.services == []  # nothing invented
    assert build(tmp_path / "out", data_copy, slug) == 0
    gaps = (tmp_path / "out" / "html" / "mangler.html").read_text(encoding="utf-8")
    assert name in gaps  # the first gap: the plan has no measures at all
    assert "plan-uten-tiltak" in gaps or "tiltakstabell" in gaps


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("sor-aurdal", "exists already"),
        ("Nord Fron", "invalid KOMMUNE"),
        ("-fron", "invalid KOMMUNE"),
        ("national", "invalid KOMMUNE"),
        ("nord/../../x", "invalid KOMMUNE"),
    ],
)
def test_new_refuses_an_existing_or_invalid_slug(
    data_copy: Path, capsys: pytest.CaptureFixture[str], slug: str, reason: str
) -> None:
    before = sorted(p.name for p in data_copy.iterdir())
    assert new(data_copy, f"--kommune={slug}", "--navn", "Nord-Fron") == 2
    assert reason in capsys.readouterr().err
    assert sorted(p.name for p in data_copy.iterdir()) == before
    assert (data_copy / "sor-aurdal" / "plan.yaml").read_bytes() == (ROOT / "_data/sor-aurdal/plan.yaml").read_bytes()


def test_new_refuses_a_bad_language_or_name(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(data_copy, "--kommune", "x", "--navn", "X", "--spraak", "en") == 2
    assert new(data_copy, "--kommune", "x", "--navn", 'X"\nevil: 1') == 2
    assert new(data_copy, "--kommune", "x", "--navn", "  ") == 2
    assert not (data_copy / "x").exists()
    assert capsys.readouterr().err.count("make new:") == 3


def test_make_new_passes_quotes_unparsed(tmp_path: Path) -> None:
    """The Makefile hands KOMMUNE and NAVN through the environment: no shell ever parses them."""
    marker = tmp_path / "pwned"
    result = subprocess.run(
        ["make", "-s", "new", f"KOMMUNE=x; touch {marker}", f'NAVN=a"; touch {marker}; echo "'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=make_env(),
    )
    assert result.returncode != 0
    assert "is not a municipality slug" in result.stderr  # the Makefile refuses it before any command runs
    assert not marker.exists()


@pytest.mark.parametrize("name", ["Null", "1814", "Ja", "Sør-Aurdal"])
def test_a_name_yaml_would_read_as_another_type_stays_text(data_copy: Path, name: str) -> None:
    assert new(data_copy, "--kommune", "x", "--navn", name) == 0
    assert load(data_copy, "x").plan.municipalities == [name]


def test_new_plan_filled_from_the_workbook(data_copy: Path, tmp_path: Path) -> None:
    """The afternoon's work: make new, then services and measures typed into the exported workbook."""
    from openpyxl import load_workbook

    from forebygging.core.trace import GapKind, compute, handbook_docs
    from forebygging.outputs.exports import write_exports

    assert new(data_copy, "--kommune", "nord-fron", "--navn", "Nord-Fron") == 0
    data = load(data_copy, "nord-fron")
    trace = compute(data, handbook_docs(ROOT / "handbook"))
    assert trace.gaps_of(GapKind.PLAN_WITHOUT_MEASURES)
    path = next(p for p in write_exports(tmp_path, data, trace, "nb") if p.suffix == ".xlsx")
    wb = load_workbook(path)
    wb["Tjenester"].append(
        ["", "Helsestasjon", "grunntjeneste", "Helsestasjon for barn 0–5 år.", "", "", "", "hol-3-4"]
    )
    wb["Tiltak"].append(["", "Foreldreveiledning", "selektiv", "Veiledning.", "Foreldre", 0, 6, "Helsestasjon"])
    wb.save(path)
    assert cli_main(["--data", str(data_copy), "import", "--kommune", "nord-fron", "--file", str(path)]) == 0
    data = load(data_copy, "nord-fron")
    assert [s.id for s in data.municipality.services] == ["helsestasjon"]
    assert [(m.id, m.responsible) for m in data.municipality.measures] == [("foreldreveiledning", ["helsestasjon"])]
    assert not compute(data, handbook_docs(ROOT / "handbook")).gaps_of(GapKind.PLAN_WITHOUT_MEASURES)
    text = (data_copy / "nord-fron" / "measures.yaml").read_text(encoding="utf-8")
    assert "# Tiltakene i planen, én oppføring per tiltak." in text  # the guiding comments stay
