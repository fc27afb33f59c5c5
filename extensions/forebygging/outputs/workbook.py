"""The plan as an editable workbook: a sheet of measures and one of services, every field a plan owner edits.

``make import`` (cli/workbook_import.py) reads the same sheets back, so the columns are defined
once, here: each :class:`Column` knows its header key, how to write a model value into a cell,
and which drop-down list (if any) guards it. Sphinx-free; written next to the catalogue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core import HandbookData
from ..core.models import Level, MeasureStatus, ServiceKind
from ..wording import lookup as tr

LIST_SEPARATOR = "; "
"""Several ids in one cell (factors, duties): Norwegian spreadsheets use ';' between items."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet; such text is stored as text."""
MAX_ROWS = 2000
"""Rows the drop-down lists cover: far more measures than any plan has, new rows included."""


@dataclass(frozen=True)
class Column:
    key: str
    """Wording key suffix (``workbook.col.<key>``) and, for a plain field, the model field."""
    width: int
    choices: str | None = None
    """Name of the list (on the hidden sheet) the cell must come from."""
    multi: bool = False
    """Several values separated by :data:`LIST_SEPARATOR`."""


MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("id", 28),
    Column("name", 40),
    Column("level", 12, choices="levels"),
    Column("description", 70),
    Column("target_group", 30),
    Column("ages_min", 9),
    Column("ages_max", 9),
    Column("responsible_1", 28, choices="services"),
    Column("responsible_2", 28, choices="services"),
    Column("responsible_3", 28, choices="services"),
    Column("responsible_4", 28, choices="services"),
    Column("responsible_note", 24),
    Column("status", 16, choices="statuses"),
    Column("status_note", 24),
    Column("strengthens", 30, multi=True),
    Column("reduces", 30, multi=True),
    Column("fulfils", 20, multi=True),
    Column("collaboration", 14, choices="yesno"),
    Column("reviewed", 14),
    Column("reviewed_by", 28, choices="services"),
    Column("example", 14, choices="yesno"),
    Column("level_in_plan", 14, choices="yesno"),
)
RESPONSIBLE_COLUMNS = tuple(c.key for c in MEASURE_COLUMNS if c.key.startswith("responsible_") and c.key[-1].isdigit())

SERVICE_COLUMNS: tuple[Column, ...] = (
    Column("id", 28),
    Column("name", 36),
    Column("kind", 22, choices="kinds"),
    Column("description", 70),
    Column("contact_url", 40),
    Column("contact_note", 30),
    Column("part_of", 28),
    Column("bound_by", 24, multi=True),
    Column("in_overview", 14, choices="yesno"),
    Column("phone", 16),
    Column("units_unstated", 16, choices="yesno"),  # last: columns of workbooks already out keep their letters
)

SHEETS = ("measures", "services", "lists")


def header(lang: str, column: Column) -> str:
    return tr(lang, f"workbook.col.{column.key}")


def sheet_name(lang: str, sheet: str) -> str:
    return tr(lang, f"workbook.sheet.{sheet}")


def yes_no(lang: str) -> tuple[str, str]:
    return tr(lang, "workbook.yes"), tr(lang, "workbook.no")


def choice_lists(data: HandbookData, lang: str) -> dict[str, list[str]]:
    """What each drop-down offers: ids for levels, statuses and kinds; service names for services."""
    return {
        "levels": [lv.value for lv in Level],
        "statuses": [s.value for s in MeasureStatus],
        "kinds": [k.value for k in ServiceKind],
        "services": [s.name for s in data.municipality.services],
        "yesno": list(yes_no(lang)),
    }


def _joined(values: list[str]) -> str:
    return LIST_SEPARATOR.join(values)


def measure_row(data: HandbookData, measure: Any, lang: str) -> list[Any]:
    yes, no = yes_no(lang)
    names = [data.services[s].name for s in measure.responsible]
    if len(names) > len(RESPONSIBLE_COLUMNS):  # more than the columns hold: the last cell keeps the rest
        names = [*names[: len(RESPONSIBLE_COLUMNS) - 1], _joined(names[len(RESPONSIBLE_COLUMNS) - 1 :])]
    names += [""] * (len(RESPONSIBLE_COLUMNS) - len(names))
    collaboration = "" if measure.collaboration is None else (yes if measure.collaboration else no)
    return [
        measure.id,
        measure.name,
        measure.level.value,
        measure.description,
        measure.target_group,
        measure.ages.min if measure.ages else None,
        measure.ages.max if measure.ages else None,
        *names,
        measure.responsible_note or "",
        measure.status.value if measure.status else "",
        measure.status_note or "",
        _joined(measure.strengthens),
        _joined(measure.reduces),
        _joined(measure.fulfils),
        collaboration,
        measure.reviewed,
        data.services[measure.reviewed_by].name if measure.reviewed_by else "",
        yes if measure.example else no,
        yes if measure.level_in_plan else no,
    ]


def service_row(service: Any, lang: str) -> list[Any]:
    yes, no = yes_no(lang)
    return [
        service.id,
        service.name,
        service.kind.value,
        service.description,
        str(service.contact_url) if service.contact_url else "",
        service.contact_note or "",
        service.part_of or "",
        _joined(service.bound_by),
        yes if service.in_overview else no,
        service.phone or "",
        yes if service.units_unstated else no,
    ]


def set_text(cell: Any, value: Any) -> None:
    """Write a value; text that a spreadsheet would take for a formula stays text (quote prefix)."""
    cell.value = value if value != "" else None
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def text_cell(ws: Any, value: Any, *, empty: Any = None, **style: Any) -> Any:
    """What a write-only sheet's row gets for ``value``, written as :func:`set_text` writes it.

    The value itself when it needs no style (openpyxl fills one reusable cell with it), else a cell
    of its own: formula-like text, a date, or a ``style`` (``font=``, ``alignment=``), which an
    empty value keeps too. ``empty`` is what an empty string becomes (no cell, by default).
    """
    if value == "":
        value = empty
    plain = not (isinstance(value, str) and value.startswith(FORMULA_START)) and not isinstance(value, dt.date)
    if plain and not style:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    if value is not None:
        set_text(cell, value)
        if cell.value is None:  # set_text writes '' as no value; ``empty`` asked for the empty string
            cell.value = value
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def add_editing_sheets(wb: Any, data: HandbookData, lang: str) -> None:
    """Add the measures and services sheets (first, the measures one active) and the hidden lists.

    ``wb`` is write-only (see :func:`..exports.write_xlsx`): each sheet is written row by row, its
    widths and frozen header row set before the first.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = wb.create_sheet(sheet_name(lang, "lists"))
    choices = choice_lists(data, lang)
    ranges: dict[str, str] = {}
    for i, (name, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(i)
        last = max(2, len(values) + 1)
        ranges[name] = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${last}"
    lists.sheet_state = "hidden"
    columns_of_lists = list(choices.values())
    lists.append(list(choices))
    for r in range(max(len(values) for values in columns_of_lists)):
        lists.append([text_cell(lists, values[r]) if r < len(values) else None for values in columns_of_lists])

    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    tables = (
        ("measures", MEASURE_COLUMNS, [measure_row(data, m, lang) for m in data.municipality.measures]),
        ("services", SERVICE_COLUMNS, [service_row(s, lang) for s in data.municipality.services]),
    )
    for position, (sheet, columns, rows) in enumerate(tables):
        ws = wb.create_sheet(sheet_name(lang, sheet), position)
        for c, column in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(c)].width = column.width
        ws.freeze_panes = "A2"
        ws.append([text_cell(ws, header(lang, column), font=bold) for column in columns])
        styles = [{"alignment": wrapped} if column.key == "description" else {} for column in columns]
        for row in rows:
            ws.append([text_cell(ws, value, **style) for value, style in zip(row, styles, strict=True)])
        for c, column in enumerate(columns, start=1):
            if column.choices is None:
                continue
            letter = get_column_letter(c)
            validation = DataValidation(
                type="list",
                formula1=ranges[column.choices],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=tr(lang, "workbook.invalid.title"),
                error=tr(lang, "workbook.invalid.text"),
            )
            validation.add(f"{letter}2:{letter}{MAX_ROWS}")
            ws.data_validations.append(validation)
    wb.active = 0
