"""The measure catalogue as CSV and XLSX: one row per measure, from the same trace as the pages.

Sphinx-free: the build writes the files next to the HTML (linked from the catalogue page),
and tests read them back.
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


def file_stem(data: HandbookData) -> str:
    return f"tiltakskatalog-{data.slug}"


def measure_table(data: HandbookData, trace: Trace, lang: str) -> tuple[list[str], list[list[str]]]:
    headers = [
        tr(lang, f"export.col.{key}")
        for key in ("id", "name", "level", "target", "ages", "responsible", "status", "duties", "collaboration")
    ]
    collab = set(trace.collaboration)
    rows: list[list[str]] = []
    for m in data.municipality.measures:
        duties = []
        for f in trace.duties_of(m.id):
            citation = data.duty_citation(data.duties[f.duty])
            if citation not in duties:
                duties.append(citation)
        rows.append(
            [
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
        )
    return headers, rows


def write_csv(path: Path, headers: list[str], rows: list[list[str]]) -> Path:
    # utf-8-sig: Excel opens a CSV with a byte order mark as UTF-8 (æøå intact).
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=CSV_DELIMITER)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[list[str]],
    sheet: str,
    extra: Callable[[Any], None] | None = None,
) -> Path:
    """The catalogue sheet; ``extra(workbook)`` adds more sheets (the editing ones) before saving."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, header in enumerate(headers, start=1):
        width = max(len(header), *(len(r[i - 1]) for r in rows)) if rows else len(header)
        ws.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
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
