"""``python -m forebygging import``: read an edited workbook back into ``_data/<slug>/``.

The workbook is the one ``outputs/workbook.py`` exports (sheets of measures and services).
Every problem in the whole workbook is reported in one run, each with sheet, row, column, the
bad value and a hint; nothing is written unless the result loads with the real loader. The
YAML is edited with ruamel.yaml round-trip, touching only what changed, so comments and order
survive. The file is untrusted: size and zip limits first, defusedxml under openpyxl, and no
formula is accepted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import io
import re
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import DataValidationError, HandbookData, load
from ..core.errors import closest
from ..core.models import ID_PATTERN, Level, Measure, MeasureStatus, Service, ServiceKind, slugify
from ..core.reading import NATIONAL
from ..outputs.workbook import (
    FORMULA_START,
    MEASURE_COLUMNS,
    RESPONSIBLE_COLUMNS,
    SERVICE_COLUMNS,
    Column,
    header,
    sheet_name,
    yes_no,
)
from ..wording import lookup as tr

MAX_FILE_BYTES = 10 * 1024 * 1024
"""A plan's workbook is well under a megabyte; a larger file is refused unread."""
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
"""The sum of the zip members' uncompressed sizes: the guard against a zip bomb."""
MAX_MEMBER_RATIO = 200
"""Uncompressed / compressed size of one member; XML compresses well, but not a thousandfold."""
MAX_MEMBERS = 500

MEASURE_FIELDS = list(Measure.model_fields)
"""The model's field order: a new key goes where the model has it. The sheets hold every field."""
SERVICE_FIELDS = list(Service.model_fields)
REQUIRED = {"id", "name", "level", "description", "target_group", "kind"}


class WorkbookRefused(Exception):
    """The file is not read at all (too large, a zip bomb, not a workbook).

    ``reason`` names the plan owner's sentence (``import.refused.<reason>`` in the wording);
    the message is the technical detail for whoever helps them.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str
    value: Any = None
    hint: str | None = None

    def format(self, lang: str) -> str:
        where = tr(lang, "import.where.sheet", sheet=self.sheet)
        where += tr(lang, "import.where.row", row=self.row) if self.row else ""
        where += tr(lang, "import.where.column", column=self.column) if self.column else ""
        text = f"{where}: {self.message}"
        if self.value not in (None, ""):
            text += tr(lang, "import.value", value=repr(self.value))
        if self.hint:
            text += "\n    " + tr(lang, "import.hint", hint=self.hint)
        return text


@dataclass
class Table:
    """One sheet read: its rows as {column key: value}, with the sheet's row numbers."""

    sheet: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Result:
    written: list[Path]
    added: list[str]
    removed: list[str]
    changed: list[str]


# --------------------------------------------------------------------------- reading the file safely


def check_archive(path: Path) -> None:
    """Refuse an oversized file or a zip whose members unpack to far more than a workbook can hold."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise WorkbookRefused("too_large", f"{path}: {size} bytes, more than the limit of {MAX_FILE_BYTES}")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise WorkbookRefused("not_xlsx", f"{path}: not an XLSX workbook (not a zip file)") from None
    if len(members) > MAX_MEMBERS:
        raise WorkbookRefused("bomb", f"{path}: {len(members)} parts, more than a workbook has")
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise WorkbookRefused("bomb", f"{path}: unpacks to {total} bytes, more than the limit of {MAX_UNPACKED_BYTES}")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_MEMBER_RATIO * max(1, m.compress_size):
            raise WorkbookRefused(
                "bomb", f"{path}: {m.filename} is compressed {m.file_size // max(1, m.compress_size)}:1"
            )


def open_workbook(path: Path) -> Any:
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # the pin in pyproject.toml makes this unreachable; never parse without it
        raise WorkbookRefused("unsafe_reader", "defusedxml is not installed; refusing to parse an untrusted workbook")
    check_archive(path)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or hostile file
        root = exc
        while root.__cause__ or root.__context__:  # openpyxl wraps the parser's error: name the real one
            root = root.__cause__ or root.__context__  # type: ignore[assignment]
        raise WorkbookRefused(
            "unreadable", f"{path}: not a readable workbook ({type(root).__name__}: {root})"
        ) from None


def cell_text(value: Any) -> Any:
    """A cell's value as data: text stripped; an apostrophe guarding formula-like text removed."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_START):
            value = value[1:]
        return value
    return value


def read_table(wb: Any, sheet: str, columns: tuple[Column, ...], lang: str, errors: list[CellError]) -> Table:
    table = Table(sheet)
    if sheet not in wb.sheetnames:
        errors.append(CellError(sheet, None, None, tr(lang, "import.sheet_missing"), hint=", ".join(wb.sheetnames)))
        return table
    ws = wb[sheet]
    headers = [cell_text(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), [])]
    wanted = {header(lang, c): c.key for c in columns}
    position: dict[str, int] = {}
    for i, text in enumerate(headers):
        if text in wanted:
            position[wanted[text]] = i
        elif text not in (None, ""):
            errors.append(
                CellError(
                    sheet,
                    1,
                    str(text),
                    tr(lang, "import.column_unknown"),
                    hint=_hint(lang, text, list(wanted)) or tr(lang, "import.column_unknown.hint"),
                )
            )
    for text, key in wanted.items():
        if key not in position:
            errors.append(
                CellError(
                    sheet, 1, text, tr(lang, "import.column_missing"), hint=tr(lang, "import.column_missing.hint")
                )
            )
    for row in ws.iter_rows(min_row=2):
        values: dict[str, Any] = {}
        for key, i in position.items():
            cell = row[i] if i < len(row) else None
            if cell is None:
                values[key] = None
                continue
            if cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula"):
                errors.append(
                    CellError(
                        sheet,
                        cell.row,
                        header(lang, next(c for c in columns if c.key == key)),
                        tr(lang, "import.formula"),
                        cell.value,
                        tr(lang, "import.formula.hint"),
                    )
                )
                values[key] = None
                continue
            values[key] = cell_text(cell.value)
        if all(v in (None, "") for v in values.values()):
            continue  # an empty row, e.g. one cleared instead of deleted
        table.rows.append((row[0].row, values))
    return table


def _hint(lang: str, value: object, candidates: list[str]) -> str | None:
    """The closest candidate, also when the value is a misspelt start of a long name ('Helsestajon')."""
    text = str(value).lower()

    def score(candidate: str) -> float:
        lower = candidate.lower()
        whole = difflib.SequenceMatcher(None, text, lower).ratio()
        start = difflib.SequenceMatcher(None, text, lower[: len(text)]).ratio()
        return max(whole, start)

    best = max(candidates, key=score, default=None)
    guess = best if best is not None and score(best) >= 0.6 else closest(str(value), candidates)
    return tr(lang, "import.did_you_mean", guess=guess) if guess else None


# --------------------------------------------------------------------------- rows -> plain data


class RowReader:
    """Turns one row's cells into model values, recording each bad cell."""

    def __init__(self, table: Table, columns: tuple[Column, ...], lang: str, errors: list[CellError]) -> None:
        self.table, self.columns, self.lang, self.errors = table, columns, lang, errors
        self.row = 0

    def bad(self, key: str, message: str, value: Any = None, hint: str | None = None) -> None:
        column = next(c for c in self.columns if c.key == key)
        self.errors.append(CellError(self.table.sheet, self.row, header(self.lang, column), message, value, hint))

    def text(self, values: dict[str, Any], key: str, *, required: bool = False) -> str | None:
        value = values.get(key)
        if value is None or value == "":
            if required:
                self.bad(key, tr(self.lang, "import.required"))
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def choice(self, values: dict[str, Any], key: str, options: list[str], *, required: bool = False) -> str | None:
        value = self.text(values, key, required=required)
        if value is None:
            return None
        if value not in options:
            self.bad(
                key, tr(self.lang, "import.not_a_choice"), value, _hint(self.lang, value, options) or ", ".join(options)
            )
            return None
        return value

    def flag(self, values: dict[str, Any], key: str) -> bool | None:
        yes, no = yes_no(self.lang)
        value = self.choice(values, key, [yes, no])
        return None if value is None else value == yes

    def number(self, values: dict[str, Any], key: str) -> int | None:
        value = values.get(key)
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not number.is_integer():
            self.bad(key, tr(self.lang, "import.not_a_number"), value)
            return None
        return int(number)

    def date(self, values: dict[str, Any], key: str) -> dt.date | None:
        value = values.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.bad(key, tr(self.lang, "import.not_a_date"), value, tr(self.lang, "import.not_a_date.hint"))
            return None

    def ids(self, values: dict[str, Any], key: str, known: list[str]) -> list[str]:
        raw = self.text(values, key) or ""
        items = [part.strip() for part in raw.split(";") if part.strip()]
        for item in items:
            if item not in known:
                self.bad(key, tr(self.lang, "import.unknown_id"), item, _hint(self.lang, item, known))
        return items


def service_ids(table: Table) -> dict[str, str]:
    """Name (and id) -> id of every service in the workbook's services sheet."""
    names: dict[str, str] = {}
    for _, values in table.rows:
        sid = cell_text(values.get("id")) or (slugify(str(values.get("name") or "")) or None)
        if sid:
            names[str(values.get("name") or sid)] = str(sid)
            names[str(sid)] = str(sid)
    return names


def read_services(table: Table, data: HandbookData, lang: str, errors: list[CellError]) -> list[tuple[int, dict]]:
    reader = RowReader(table, SERVICE_COLUMNS, lang, errors)
    duties = sorted(data.duties)
    ids = [str(values.get("id") or "") for _, values in table.rows]
    out: list[tuple[int, dict]] = []
    for number, values in table.rows:
        reader.row = number
        item: dict[str, Any] = {
            "id": reader.text(values, "id"),
            "name": reader.text(values, "name", required=True),
            "kind": reader.choice(values, "kind", [k.value for k in ServiceKind], required=True),
            "description": reader.text(values, "description", required=True),
            "contact_url": reader.text(values, "contact_url"),
            "contact_note": reader.text(values, "contact_note"),
            "phone": reader.text(values, "phone"),
            "part_of": reader.text(values, "part_of"),
            "units_unstated": bool(reader.flag(values, "units_unstated")),
            "bound_by": reader.ids(values, "bound_by", duties),
            "in_overview": bool(reader.flag(values, "in_overview")),
        }
        if item["part_of"] and item["part_of"] not in ids:
            reader.bad(
                "part_of", tr(lang, "import.unknown_service"), item["part_of"], _hint(lang, item["part_of"], ids)
            )
        out.append((number, item))
    return out


def read_measures(
    table: Table, data: HandbookData, services: dict[str, str], lang: str, errors: list[CellError]
) -> list[tuple[int, dict]]:
    reader = RowReader(table, MEASURE_COLUMNS, lang, errors)
    factors = sorted(data.factors)
    duties = sorted(data.duties)
    out: list[tuple[int, dict]] = []
    for number, values in table.rows:
        reader.row = number
        responsible: list[str] = []
        for key in RESPONSIBLE_COLUMNS:
            for name in (p.strip() for p in (reader.text(values, key) or "").split(";")):
                if not name:
                    continue
                if name in services:
                    responsible.append(services[name])
                else:
                    reader.bad(
                        key,
                        tr(lang, "import.unknown_service"),
                        name,
                        _hint(lang, name, [n for n in services if n not in services.values()]),
                    )
        low, high = reader.number(values, "ages_min"), reader.number(values, "ages_max")
        if (low is None) != (high is None):
            reader.bad(
                "ages_max" if high is None else "ages_min", tr(lang, "import.ages_pair"), low if high is None else high
            )
        reviewer = reader.text(values, "reviewed_by")
        if reviewer is not None and reviewer not in services:
            reader.bad(
                "reviewed_by",
                tr(lang, "import.unknown_service"),
                reviewer,
                _hint(lang, reviewer, [n for n in services if n not in services.values()]),
            )
        item: dict[str, Any] = {
            "id": reader.text(values, "id"),
            "name": reader.text(values, "name", required=True),
            "level": reader.choice(values, "level", [lv.value for lv in Level], required=True),
            "description": reader.text(values, "description", required=True),
            "target_group": reader.text(values, "target_group", required=True),
            "ages": {"min": low, "max": high} if low is not None and high is not None else None,
            "responsible": responsible,
            "responsible_note": reader.text(values, "responsible_note"),
            "status": reader.choice(values, "status", [s.value for s in MeasureStatus]),
            "status_note": reader.text(values, "status_note"),
            "strengthens": reader.ids(values, "strengthens", factors),
            "reduces": reader.ids(values, "reduces", factors),
            "fulfils": reader.ids(values, "fulfils", duties),
            "reviewed": reader.date(values, "reviewed"),
            "reviewed_by": services.get(reviewer) if reviewer else None,
            "collaboration": reader.flag(values, "collaboration"),
            "example": bool(reader.flag(values, "example")),
            # Empty means the default: the level is the plan's own.
            "level_in_plan": reader.flag(values, "level_in_plan") is not False,
        }
        out.append((number, item))
    return out


def assign_ids(rows: list[tuple[int, dict]], sheet: str, column: str, lang: str, errors: list[CellError]) -> None:
    """A row without an id gets one from its name; a duplicate or malformed id is an error."""
    taken = {item["id"] for _, item in rows if item["id"]}
    seen: dict[str, int] = {}
    for number, item in rows:
        if item["id"] is None:
            base = slugify(item["name"] or "")
            if not base:
                continue  # the empty name is reported already
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            item["id"] = candidate
            taken.add(candidate)
        elif not re.match(ID_PATTERN, item["id"]):
            errors.append(
                CellError(
                    sheet,
                    number,
                    column,
                    tr(lang, "import.bad_id"),
                    item["id"],
                    tr(lang, "import.bad_id.hint", id=slugify(item["id"])),
                )
            )
        if item["id"] in seen:
            errors.append(
                CellError(
                    sheet,
                    number,
                    column,
                    tr(lang, "import.duplicate_id"),
                    item["id"],
                    tr(lang, "import.duplicate_id.hint", row=seen[item["id"]]),
                )
            )
        else:
            seen[item["id"]] = number


# --------------------------------------------------------------------------- plain data -> YAML, keeping comments


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-fold a line the author wrapped; new text is written on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    # An explicit null stays 'null' (ruamel would write an empty value), as the files have it.
    yaml.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _dump(doc: Any, original: str) -> str:
    """The project's style: top-level list items at column 0, nested ones indented (as written by hand).

    ruamel.yaml writes one space before an end-of-line comment; a line otherwise unchanged keeps
    the original's spacing, so an edit shows in a diff as the edit only.
    """
    spacing = {_COMMENT_GAP.sub(" #", line): line for line in original.split("\n")}

    def dedent(text: str) -> str:
        return "\n".join(
            line[2:] if line.startswith("  ") and not line.lstrip().startswith("#") else line
            for line in text.split("\n")
        )

    out = io.StringIO()
    _yaml().dump(doc, out, transform=dedent)
    return "\n".join(spacing.get(line, line) for line in out.getvalue().split("\n"))


_COMMENT_GAP = re.compile(r"\s+#")


def _plain(value: Any) -> Any:
    """A value in the form the sheet compares with: dates as ISO text, lists and dicts recursively."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value is False


def merge(
    seq: Any, current: dict[str, dict], rows: list[tuple[int, dict]], order: list[str]
) -> tuple[list, list, list]:
    """Apply the sheet's rows to the YAML list ``seq`` in place; return (added, removed, changed) ids."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    wanted = [item["id"] for _, item in rows]
    removed = [i for i in current if i not in wanted]
    for index in reversed(range(len(seq))):
        if seq[index].get("id") in removed:
            del seq[index]
    added, changed = [], []
    for position, (_, item) in enumerate(rows):
        if item["id"] in current:
            index = next(i for i, m in enumerate(seq) if m.get("id") == item["id"])
            node = seq[index]
            before = current[item["id"]]
            touched = False
            for key in order:
                new = item[key]
                if _plain(new) == _plain(before.get(key)) or (_empty(new) and _empty(before.get(key))):
                    continue
                touched = True
                if _empty(new) and key not in REQUIRED:
                    node.pop(key, None)
                elif key in node:
                    node[key] = _node(new)
                else:
                    node.insert(sum(1 for k in order[: order.index(key)] if k in node), key, _node(new))
            if touched:
                changed.append(item["id"])
            if index != position:  # moved in the sheet: move it in the file too
                del seq[index]
                seq.insert(position, node)
        else:
            node = CommentedMap((k, _node(item[k])) for k in order if k in REQUIRED or not _empty(item[k]))
            seq.insert(position, node)
            added.append(item["id"])
    if not isinstance(seq, CommentedSeq):  # pragma: no cover - the files are lists
        raise TypeError("expected a list")
    return added, removed, changed


def _node(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        return CommentedMap(value)
    if isinstance(value, list):
        seq = CommentedSeq(value)
        if len(value) <= 3 and all(isinstance(v, str) and len(v) < 30 for v in value):
            seq.fa.set_flow_style()  # short id lists on one line, as the hand-written files have them
        return seq
    return value


# --------------------------------------------------------------------------- the whole import


def run(data_root: Path, slug: str, workbook: Path) -> Result:
    """Import ``workbook`` into ``data_root/slug``; raise ImportErrors (all problems) or WorkbookRefused."""
    data = load(data_root, slug)
    lang = data.plan.language.value
    wb = open_workbook(Path(workbook))
    errors: list[CellError] = []
    measures_sheet, services_sheet = sheet_name(lang, "measures"), sheet_name(lang, "services")
    services_table = read_table(wb, services_sheet, SERVICE_COLUMNS, lang, errors)
    measures_table = read_table(wb, measures_sheet, MEASURE_COLUMNS, lang, errors)
    services = read_services(services_table, data, lang, errors)
    assign_ids(services, services_sheet, header(lang, SERVICE_COLUMNS[0]), lang, errors)
    names = service_ids(services_table)
    for _, item in services:
        names[item["name"] or item["id"]] = item["id"]
        names[item["id"]] = item["id"]
    measures = read_measures(measures_table, data, names, lang, errors)
    assign_ids(measures, measures_sheet, header(lang, MEASURE_COLUMNS[0]), lang, errors)
    if errors:
        raise ImportErrors(errors, lang)

    folder = Path(data_root) / slug
    yaml = _yaml()
    texts: dict[str, str] = {}
    added, removed, changed = [], [], []
    for file_name, rows, attr, order in (
        ("services.yaml", services, "services", SERVICE_FIELDS),
        ("measures.yaml", measures, "measures", MEASURE_FIELDS),
    ):
        path = folder / file_name
        original = path.read_text(encoding="utf-8")
        doc = yaml.load(original)
        current = {m.id: m.model_dump(mode="json") for m in getattr(data.municipality, attr)}
        a, r, c = merge(doc, current, rows, order)
        added += a
        removed += r
        changed += c
        if a or r or c or [m.get("id") for m in doc] != list(current):
            texts[file_name] = _dump(doc, original)
    check_result(data_root, slug, texts, {services_sheet: services, measures_sheet: measures}, lang)
    written = []
    for file_name, text in texts.items():
        (folder / file_name).write_text(text, encoding="utf-8")
        written.append(folder / file_name)
    return Result(written, added, removed, changed)


class ImportErrors(Exception):
    def __init__(self, errors: list[CellError], lang: str) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors, self.lang = errors, lang

    def report(self) -> str:
        lines = [tr(self.lang, "import.errors", n=len(self.errors))]
        return "\n".join([*lines, *(e.format(self.lang) for e in self.errors)])


FIELD_PATH = re.compile(r"^(measures|services)\[(\d+)\](?:\.(\w+))?")


def check_result(
    data_root: Path, slug: str, texts: dict[str, str], rows: dict[str, list[tuple[int, dict]]], lang: str
) -> None:
    """Load the would-be data from a temporary copy with the real loader; its errors point at the sheet."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(Path(data_root) / NATIONAL, root / NATIONAL)
        shutil.copytree(Path(data_root) / slug, root / slug)
        for file_name, text in texts.items():
            (root / slug / file_name).write_text(text, encoding="utf-8")
        try:
            load(root, slug)
        except DataValidationError as exc:
            sheets = list(rows)
            found: list[CellError] = []
            for err in exc.errors:
                match = FIELD_PATH.match(err.field)
                if match:
                    sheet = sheets[0] if match.group(1) == "services" else sheets[1]
                    number = rows[sheet][int(match.group(2))][0]
                    columns = SERVICE_COLUMNS if match.group(1) == "services" else MEASURE_COLUMNS
                    name = match.group(3)
                    column = next(
                        (c for c in columns if name and (c.key == name or c.key.startswith(f"{name}_"))), None
                    )
                    title = header(lang, column) if column else name
                    found.append(CellError(sheet, number, title, err.message, err.value, err.hint))
                else:
                    found.append(CellError(err.file.name, err.line, err.field, err.message, err.value, err.hint))
            raise ImportErrors(found, lang) from None


def _plan_language(data_root: Path, slug: str) -> str:
    """The plan's language for a message before the workbook is read; bokmål if the plan does not load."""
    try:
        return load(data_root, slug).plan.language.value
    except DataValidationError:
        return "nb"


def cmd_import(args: argparse.Namespace) -> int:
    slug = args.kommune
    try:
        result = run(args.data, slug, Path(args.file))
    except WorkbookRefused as exc:
        lang = _plan_language(args.data, slug)
        print(tr(lang, "import.refused", reason=tr(lang, f"import.refused.{exc.reason}")), file=sys.stderr)
        print(f"make import: refused: {exc}", file=sys.stderr)
        return 2
    except ImportErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except DataValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for label, ids in (("added", result.added), ("removed", result.removed), ("changed", result.changed)):
        if ids:
            print(f"{label}: {', '.join(ids)}")
    if not result.written:
        print("No change: the data already matches the workbook.")
    for path in result.written:
        print(f"Wrote {path}")
    return 0
