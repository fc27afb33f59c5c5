"""Reading one YAML file of ``_data/`` with the line of every key and item, or a precise error.

YAML is read by :mod:`.safe_yaml`, which keeps the line of every key and item, so a
validation error can point at the line an editor must change. It is safe by construction:
it composes nodes and builds only plain mappings, sequences and scalars, never Python
objects named by a tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml import MarkedYAMLError, YAMLError

from .errors import DataError
from .safe_yaml import compose, line_of

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A plan's data is a few hundred kilobytes; a larger file is a mistake, not a plan."""

NATIONAL = "national"

Loc = tuple[str | int, ...]


@dataclass
class SourceFile:
    """A parsed YAML file with its line information."""

    path: Path
    document: Any

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the deepest node of ``loc`` that exists in the document."""
        return line_of(self.document, loc)


def read_yaml(path: Path, errors: list[DataError], *, required: bool) -> SourceFile | None:
    if not path.exists():
        if required:
            errors.append(DataError(path, None, "", "required file is missing", hint="create it; see README.md"))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        errors.append(
            DataError(
                path,
                None,
                "",
                f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                hint="a plan's data is far smaller; check that the right file was saved here",
            )
        )
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        errors.append(DataError(path, None, "", f"not UTF-8 text ({exc.reason})", hint="save the file as UTF-8"))
        return None
    try:
        document = compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            problem += f" (the construct began on line {started.line + 1})"
        errors.append(
            DataError(
                path,
                line,
                "",
                f"YAML syntax error: {problem}",
                hint="check indentation and quoting; a value containing ': ' or starting with a special "
                "character must be in quotes",
            )
        )
        return None
    except YAMLError as exc:
        errors.append(DataError(path, None, "", f"YAML error: {exc}"))
        return None
    except (RecursionError, ValueError, OverflowError, AttributeError, TypeError) as exc:
        # Hostile input the parser does not report as YAMLError: nesting too deep, an integer
        # too long, a merge key (<<) naming its own mapping, ...
        errors.append(DataError(path, None, "", f"YAML cannot be read ({type(exc).__name__}: {str(exc)[:200]})"))
        return None
    return SourceFile(path, document)


def format_loc(attr: str, loc: Loc) -> str:
    text = attr
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
