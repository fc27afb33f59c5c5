"""The workbook as an editing format: export, edit, ``make import`` back, and the yearly review."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forebygging.cli import workbook_import
from forebygging.cli.main import main as cli_main
from forebygging.core import load
from forebygging.core.trace import GapKind, add_months, compute, due_for_review, handbook_docs
from forebygging.outputs.exports import write_exports
from forebygging.wording import lookup
from forebygging.wording.trace import gap_report

from .conftest import DATA, ROOT, build

PLANS = ["sor-aurdal", "hemsedal", "midtdalen", "vest-telemark", "bamble"]


def export(data_root: Path, slug: str, out: Path) -> Path:
    data = load(data_root, slug)
    trace = compute(data, handbook_docs(ROOT / "handbook"))
    out.mkdir(parents=True, exist_ok=True)
    return next(p for p in write_exports(out, data, trace, data.plan.language.value) if p.suffix == ".xlsx")


def import_(data_root: Path, slug: str, workbook: Path) -> int:
    return cli_main(["--data", str(data_root), "import", "--kommune", slug, "--file", str(workbook)])


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("slug", PLANS)
def test_unchanged_export_imports_to_the_same_data(data_copy: Path, tmp_path: Path, slug: str) -> None:
    workbook = export(data_copy, slug, tmp_path / "x")
    before = snapshot(data_copy)
    assert import_(data_copy, slug, workbook) == 0
    assert snapshot(data_copy) == before  # not a byte moved, so no page can change
    assert load(data_copy, slug).municipality == load(DATA, slug).municipality


def test_workbook_layout(tmp_path: Path) -> None:
    wb = load_workbook(export(DATA, "sor-aurdal", tmp_path))
    assert wb.sheetnames[:2] == ["Tiltak", "Tjenester"] and wb.active.title == "Tiltak"
    lists = wb["Lister"]
    assert lists.sheet_state == "hidden"
    measures = wb["Tiltak"]
    headers = [c.value for c in measures[1]]
    for expected in (
        "ID",
        "Navn",
        "Nivå",
        "Beskrivelse",
        "Ansvarlig tjeneste 1",
        "Status",
        "Sist vurdert",
        "Vurdert av",
    ):
        assert expected in headers
    assert measures.freeze_panes == "A2"
    assert measures.column_dimensions["D"].width >= 60  # the description has room
    validated = {str(v.sqref).split(":")[0][:1]: v.formula1 for v in measures.data_validations.dataValidation}
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    for column in ("Nivå", "Status", "Ansvarlig tjeneste 1", "Vurdert av"):
        assert validated[letter[column]].startswith("'Lister'!$")
    levels = [c.value for c in lists["A"][1:] if c.value is not None]
    assert levels == ["universell", "selektiv", "indikert"]
    sor = load(DATA, "sor-aurdal")
    assert measures["D2"].value == sor.municipality.measures[0].description
    assert [c.value for c in wb["Tjenester"][1]][:3] == ["ID", "Navn", "Type"]


def test_editing_sheets_keep_styles_dates_and_formula_like_text(data_copy: Path, tmp_path: Path) -> None:
    """Written row by row: the header bold, descriptions wrapped, a review date a date, formula-like text text."""
    measures_yaml = data_copy / "hemsedal" / "measures.yaml"
    text = measures_yaml.read_text(encoding="utf-8")
    old = "  status: i gang\n"
    assert old in text
    measures_yaml.write_text(text.replace(old, old + "  reviewed: 2026-02-01\n  reviewed_by: familiens-hus\n", 1))
    services_yaml = data_copy / "hemsedal" / "services.yaml"
    text = services_yaml.read_text(encoding="utf-8")
    assert "  name: Familiens hus\n" in text
    services_yaml.write_text(text.replace("  name: Familiens hus\n", "  name: =Familiens hus\n", 1), encoding="utf-8")
    before = load(data_copy, "hemsedal").municipality
    path = export(data_copy, "hemsedal", tmp_path / "x")
    wb = load_workbook(path)
    ws = wb["Tiltak"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert all(c.font.b for c in ws[1]) and not ws.cell(2, 1).font.b
    described = [ws.cell(r, col["Beskrivelse"]) for r in range(2, len(before.measures) + 2)]
    assert [c.value for c in described] == [m.description for m in before.measures]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in described)
    assert ws.cell(2, col["Navn"]).alignment.wrap_text is not True
    reviewed = ws.cell(2, col["Sist vurdert"])
    assert reviewed.value == dt.datetime(2026, 2, 1) and reviewed.number_format == "yyyy-mm-dd"
    assert ws.cell(2, col["Vurdert av"]).value == "=Familiens hus"
    assert ws.cell(2, col[lookup("nb", "workbook.col.status_note")]).value is None  # an empty field: no value
    for cell in (ws.cell(2, col["Vurdert av"]), *(c for c in wb["Lister"]["D"] if c.value == "=Familiens hus")):
        assert cell.data_type == "s" and cell.quotePrefix is True
    assert len([c for c in wb["Lister"]["D"] if c.value == "=Familiens hus"]) == 1
    assert wb.sheetnames == ["Tiltak", "Tjenester", lookup("nb", "export.sheet"), "Lister"]
    # Read back, the workbook is the same plan.
    assert import_(data_copy, "hemsedal", path) == 0
    assert load(data_copy, "hemsedal").municipality == before


def test_nynorsk_workbook_has_nynorsk_headers(tmp_path: Path) -> None:
    wb = load_workbook(export(DATA, "vest-telemark", tmp_path))
    assert "Tenester" in wb.sheetnames
    assert "Skildring" in [c.value for c in wb["Tiltak"][1]]


def test_added_deleted_and_changed_rows(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(data_copy, "sor-aurdal", tmp_path)
    wb = load_workbook(path)
    ws = wb["Tiltak"]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    first, second = ws.cell(2, 1).value, ws.cell(3, 1).value
    ws.delete_rows(3)
    ws.cell(2, col["Målgruppe"]).value = "Gravide og partnere"
    ws.cell(2, col["Sist vurdert"]).value = dt.date(2026, 2, 1)
    ws.cell(2, col["Vurdert av"]).value = "Jordmortjeneste"
    new = [None] * len(headers)
    new[col["Navn"] - 1] = "Åpen møteplass for ungdom"
    new[col["Nivå"] - 1] = "universell"
    new[col["Beskrivelse"] - 1] = "En møteplass."
    new[col["Målgruppe"] - 1] = "Ungdom"
    new[col["Ansvarlig tjeneste 1"] - 1] = "Skole"
    ws.append(new)
    wb.save(path)
    assert import_(data_copy, "sor-aurdal", path) == 0
    out = capsys.readouterr().out
    assert f"removed: {second}" in out and "added: apen-moteplass-for-ungdom" in out and f"changed: {first}" in out
    data = load(data_copy, "sor-aurdal")
    ids = [m.id for m in data.municipality.measures]
    assert second not in ids and ids[-1] == "apen-moteplass-for-ungdom"
    assert data.measures[first].target_group == "Gravide og partnere"
    assert data.measures[first].reviewed == dt.date(2026, 2, 1)
    assert data.measures[first].reviewed_by == "jordmortjeneste"
    assert data.measures["apen-moteplass-for-ungdom"].responsible == ["skole"]
    text = (data_copy / "sor-aurdal" / "measures.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/measures.schema.json\n")
    assert '  ages:  # "under 18" tolket som 0–17 år' in text  # comments where nothing changed survive
    untouched = [m for m in load(DATA, "sor-aurdal").municipality.measures if m.id not in (first, second)]
    assert [m for m in data.municipality.measures if m.id in {u.id for u in untouched}] == untouched


def test_every_error_in_one_run_and_nothing_written(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(data_copy, "sor-aurdal", tmp_path)
    wb = load_workbook(path)
    ws = wb["Tiltak"]
    col = {c.value: c.column_letter for c in ws[1]}
    ws[f"{col['Nivå']}2"] = "universel"
    ws[f"{col['Ansvarlig tjeneste 1']}3"] = "Helsestajon"
    ws[f"{col['ID']}5"] = ws[f"{col['ID']}4"].value
    ws[f"{col['Navn']}6"] = None
    ws[f"{col['Alder fra']}7"] = 12
    ws[f"{col['Alder til']}7"] = 3  # only the loader knows min <= max: its error points at the row too
    wb.save(path)
    before = snapshot(data_copy)
    assert import_(data_copy, "sor-aurdal", path) == 1
    err = capsys.readouterr().err
    assert snapshot(data_copy) == before
    assert "ark «Tiltak», rad 2, kolonne «Nivå»: ikke et av valgene i listen (verdi: 'universel')" in err
    assert "hint: mente du «universell»?" in err
    assert "ark «Tiltak», rad 3, kolonne «Ansvarlig tjeneste 1»: ukjent tjeneste (verdi: 'Helsestajon')" in err
    assert "mente du «Helsestasjon og skolehelsetjeneste»?" in err
    assert "ark «Tiltak», rad 5, kolonne «ID»: id-en finnes fra før" in err and "også i rad 4" in err
    assert "ark «Tiltak», rad 6, kolonne «Navn»: må fylles ut, men er tom" in err
    assert (
        "Arbeidsboka har 4 feil; ingenting ble skrevet:" in err
    )  # the loader's check runs only on a workbook whose cells are valid

    ws[f"{col['Nivå']}2"] = "universell"
    ws[f"{col['Ansvarlig tjeneste 1']}3"] = None
    ws[f"{col['ID']}5"] = None
    ws[f"{col['Navn']}6"] = "Et navn"
    wb.save(path)
    assert import_(data_copy, "sor-aurdal", path) == 1
    err = capsys.readouterr().err
    assert "ark «Tiltak», rad 7, kolonne «Alder fra»: " in err and "impossible age range" in err
    assert snapshot(data_copy) == before


def test_service_sheet_errors(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(data_copy, "hemsedal", tmp_path)
    wb = load_workbook(path)
    ws = wb["Tjenester"]
    ws["C2"] = "grunntjenster"
    ws["H3"] = "hol-3-5"
    wb.save(path)
    assert import_(data_copy, "hemsedal", path) == 1
    err = capsys.readouterr().err
    assert "ark «Tjenester», rad 2, kolonne «Type»" in err and "«grunntjeneste»" in err
    assert "ark «Tjenester», rad 3, kolonne «Bundet av plikter»: ukjent id (verdi: 'hol-3-5')" in err


def test_formula_cell_refused_and_quoted_text_kept(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(data_copy, "hemsedal", tmp_path)
    wb = load_workbook(path)
    wb["Tiltak"]["E2"] = '=HYPERLINK("http://example.invalid","x")'
    wb.save(path)
    before = snapshot(data_copy)
    assert import_(data_copy, "hemsedal", path) == 1
    assert "rad 2, kolonne «Målgruppe»: formler godtas ikke" in capsys.readouterr().err
    assert snapshot(data_copy) == before

    wb = load_workbook(path)
    cell = wb["Tiltak"]["E2"]
    cell.value, cell.data_type, cell.quotePrefix = "=Foreldre", "s", True  # text, as the export writes it
    wb["Tiltak"]["E3"] = "'+47 i målgruppen"  # an apostrophe typed to keep a formula-like text as text
    wb.save(path)
    assert import_(data_copy, "hemsedal", path) == 0
    measures = load(data_copy, "hemsedal").municipality.measures
    assert measures[0].target_group == "=Foreldre"
    assert measures[1].target_group == "+47 i målgruppen"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_and_oversized_file_refused(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(_zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)}))
    assert bomb.stat().st_size < 1024 * 1024
    before = snapshot(data_copy)
    assert import_(data_copy, "hemsedal", bomb) == 2
    err = capsys.readouterr().err
    assert "unpacks to" in err
    # The plan owner reads first, in the plan's language, what happened and what to do.
    assert err.startswith("Arbeidsboka ble ikke lest, og ingenting ble skrevet: fila pakker seg ut til langt mer")
    assert import_(data_copy, "vest-telemark", bomb) == 2
    assert capsys.readouterr().err.startswith("Arbeidsboka vart ikkje lesen, og ingenting vart skrive: fila pakkar")
    path = export(data_copy, "hemsedal", tmp_path)
    monkeypatch.setattr(workbook_import, "MAX_FILE_BYTES", 1000)
    assert import_(data_copy, "hemsedal", path) == 2
    assert "more than the limit of 1000" in capsys.readouterr().err
    not_zip = tmp_path / "plan.xlsx"
    not_zip.write_text("id;navn\n", encoding="utf-8")
    assert import_(data_copy, "hemsedal", not_zip) == 2
    assert "fila er ikke en Excel-arbeidsbok (.xlsx)" in capsys.readouterr().err
    assert snapshot(data_copy) == before


def test_xml_entity_bomb_refused(data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = export(data_copy, "hemsedal", tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    sheet = members["xl/worksheets/sheet1.xml"]
    assert not sheet.startswith(b"<?xml")  # openpyxl writes no declaration: the DOCTYPE goes first
    members["xl/worksheets/sheet1.xml"] = laughs + b"]>" + sheet.replace(b">", b">&lol9;", 1)
    path.write_bytes(_zip(members))
    before = snapshot(data_copy)
    assert import_(data_copy, "hemsedal", path) == 2
    err = capsys.readouterr().err
    assert "refused" in err and "EntitiesForbidden" in err  # defusedxml, not a later failure, stopped it
    assert snapshot(data_copy) == before


def test_overdue_reviews_listed(data_copy: Path) -> None:
    plan = data_copy / "hemsedal" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('version: "2024.1"\n', 'version: "2024.1"\nversion_date: 2025-03-31\n'), "utf-8")
    measures = data_copy / "hemsedal" / "measures.yaml"
    lines = measures.read_text(encoding="utf-8").split("\n")
    ids = [line[len("- id: ") :] for line in lines if line.startswith("- id: ")]
    reviewed = {ids[0]: "2024-03-31", ids[1]: "2024-03-30", ids[2]: "2025-01-15"}
    out = []
    for line in lines:
        out.append(line)
        if line.startswith("- id: ") and line[6:] in reviewed:
            out.append(f"  reviewed: {reviewed[line[6:]]}")
    measures.write_text("\n".join(out), encoding="utf-8")
    data = load(data_copy, "hemsedal")
    due = [m.id for m in due_for_review(data)]
    assert ids[0] not in due  # reviewed exactly twelve months before the version date
    assert ids[1] in due  # one day more
    assert ids[2] not in due
    assert set(ids[3:]) <= set(due)  # never reviewed
    trace = compute(data, handbook_docs(ROOT / "handbook"))
    assert [g.subject for g in trace.gaps_of(GapKind.MEASURE_DUE_FOR_REVIEW)] == due
    report = "\n".join(gap_report(data, trace, "nb"))
    assert "Tiltak til vurdering" in report
    assert f"{data.measures[ids[1]].name}: sist vurdert 30.03.2024, mer enn 12 måneder før 31.03.2025" in report
    # the same data always gives the same list: the version date, not the build day, is the reference
    assert due_for_review(load(data_copy, "hemsedal")) == due_for_review(data)


def test_no_review_listed_without_a_reference_date() -> None:
    for slug in PLANS:
        data = load(DATA, slug)
        assert data.plan.version_date is None and data.plan.adoption.date is None
        assert due_for_review(data) == []


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


@pytest.mark.parametrize("slug", [p for p in PLANS if p != "midtdalen"])  # midtdalen has no measure table
def test_one_changed_cell_changes_one_line(data_copy: Path, tmp_path: Path, slug: str) -> None:
    """ruamel round trip: comments, quoting, nulls and wrapping elsewhere in the file stay as written."""
    path = export(data_copy, slug, tmp_path)
    wb = load_workbook(path)
    col = {c.value: c.column_letter for c in wb["Tiltak"][1]}
    wb["Tiltak"][f"{col['Målgruppe']}2"] = "Endret målgruppe"
    wb.save(path)
    before = (data_copy / slug / "measures.yaml").read_text(encoding="utf-8").split("\n")
    assert import_(data_copy, slug, path) == 0
    after = (data_copy / slug / "measures.yaml").read_text(encoding="utf-8").split("\n")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [(next(x for x in before if x.startswith("  target_group:")), "  target_group: Endret målgruppe")]


def test_gap_page_and_report_list_measures_due_for_review(data_copy: Path, tmp_path: Path) -> None:
    """A yearly review done in the workbook: the reviewed measure leaves the list, the others stay on it."""
    plan = data_copy / "vest-telemark" / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\nversion: ", "\nversion_date: 2026-09-01\nversion: ", 1), encoding="utf-8")
    path = export(data_copy, "vest-telemark", tmp_path / "x")
    wb = load_workbook(path)
    col = {c.value: c.column_letter for c in wb["Tiltak"][1]}
    wb["Tiltak"][f"{col['Sist vurdert']}2"] = dt.date(2026, 8, 20)
    wb["Tiltak"][f"{col['Vurdert av']}2"] = wb["Tiltak"][f"{col['Ansvarleg teneste 1']}2"].value
    wb.save(path)
    assert import_(data_copy, "vest-telemark", path) == 0
    data = load(data_copy, "vest-telemark")
    first, second, *_ = data.municipality.measures
    rest = data.municipality.measures[1:]  # never reviewed: all of them stay on the list
    assert first.reviewed == dt.date(2026, 8, 20) and [m.id for m in due_for_review(data)] == [m.id for m in rest]
    assert build(tmp_path / "out", data_copy, "vest-telemark") == 0
    html = tmp_path / "out" / "html"
    for page in ("mangler.html", "rapport.html"):
        text = (html / page).read_text(encoding="utf-8")
        assert f"Tiltak til vurdering (ikkje gjennomgått innan syklusen i planen) ({len(rest)})" in text, page
        assert f"{second.name}: ikkje vurdert" in text, page
        assert f"{first.name}: ikkje vurdert" not in text, page


def test_errors_in_nynorsk_for_a_nynorsk_plan(
    data_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(data_copy, "vest-telemark", tmp_path)
    wb = load_workbook(path)
    col = {c.value: c.column_letter for c in wb["Tiltak"][1]}
    wb["Tiltak"][f"{col['Nivå']}2"] = "selektivt"
    wb.save(path)
    assert import_(data_copy, "vest-telemark", path) == 1
    err = capsys.readouterr().err
    assert "Arbeidsboka har 1 feil; ingenting vart skrive:" in err
    assert "ark «Tiltak», rad 2, kolonne «Nivå»: ikkje eitt av vala i lista (verdi: 'selektivt')" in err
    assert "meinte du «selektiv»?" in err
