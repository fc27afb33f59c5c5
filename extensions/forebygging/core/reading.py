"""Reading one YAML file of ``_data/`` with the line of every key and item, or a precise error.

YAML is read by :mod:`.safe_yaml`, which keeps the line of every key and item, so a
validation error can point at the line an editor must change. It is safe by construction:
it composes nodes and builds only plain mappings, sequences and scalars, never Python
objects named by a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from yaml import MarkedYAMLError, YAMLError
from yaml.nodes import ScalarNode
from yaml.reader import ReaderError

from .errors import DataError
from .safe_yaml import (
    CONTROL_CHARACTERS,
    YamlRefused,
    compose,
    describe_control,
    line_and_column,
    line_of,
    loc_at,
)

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


def read_yaml(path: Path, errors: list[DataError], *, required: bool, attr: str = "") -> SourceFile | None:
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
    raw = path.read_bytes()
    text = _decode(path, raw, errors)
    if text is None:
        return None
    if CONTROL_CHARACTERS.search(text):
        errors.extend(_control_character_errors(path, text, attr))
        return None
    try:
        document = compose(text)
    except YamlRefused as exc:  # nested too deeply (safe_yaml.compose: hostile depth never reaches libyaml)
        errors.append(DataError(path, exc.line, "", exc.message, hint=exc.hint))
        return None
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
    except ReaderError as exc:  # a character YAML does not allow (the text was checked for controls)
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters.
        index = (
            exc.position if exc.encoding == "unicode" else len(text.encode()[: exc.position].decode(errors="ignore"))
        )
        line, column = line_and_column(text, index)
        errors.append(
            DataError(
                path,
                line,
                "",
                f"YAML cannot contain the character U+{exc.character:04X} (column {column})",
                hint="delete it (most editors do not show it)",
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
    if document is None or (isinstance(document, ScalarNode) and document.tag.endswith(":null")):
        # Nothing but comments and blank lines (or a lone ~): a file saved empty by mistake.
        what = "0 bytes" if not raw else "no data, only comments and blank lines"
        what = what if document is None else "no data, only a null value"
        errors.append(
            DataError(
                path,
                1,
                "",
                f"file is empty ({what})",
                hint="write the data here" + ("" if required else ", or delete the file (it is optional)"),
            )
        )
        return None
    return SourceFile(path, document)


def _decode(path: Path, raw: bytes, errors: list[DataError]) -> str | None:
    """The file's text, or None after an error naming the first byte that is not UTF-8 and where it is."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The bytes before the bad one decoded, so its line and column can be counted in text.
        before = raw[: exc.start].decode("utf-8")
        line, column = line_and_column(before, len(before))
        errors.append(
            DataError(
                path,
                line,
                "",
                f"not UTF-8 text: byte 0x{raw[exc.start]:02X} at byte offset {exc.start} (line {line}, "
                f"column {column}): {exc.reason}",
                hint="save the file as UTF-8 (in the editor's encoding menu)",
            )
        )
        return None
    # The same newlines as reading the file in text mode: \r\n and \r become \n.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_character_errors(path: Path, text: str, attr: str) -> list[DataError]:
    """One error per control character in the file (at most ten), with its line and field.

    Control characters cannot be seen in an editor and can drive a terminal; libyaml refuses
    most of them without saying where in the data they are. The field is found by parsing a
    copy with each one replaced by U+FFFD (same length, so the positions stay).
    """
    found = list(CONTROL_CHARACTERS.finditer(text))
    try:
        document = compose(CONTROL_CHARACTERS.sub("\ufffd", text))
    except (YAMLError, YamlRefused, RecursionError, ValueError, OverflowError, AttributeError, TypeError):
        document = None  # the copy has other problems, reported once the characters are gone
    errors = []
    for match in found[:10]:
        line, column = line_and_column(text, match.start())
        errors.append(
            DataError(
                path,
                line,
                format_loc(attr, loc_at(document, match.start())),
                f"control character {describe_control(match.group())} at column {column}: invisible "
                "characters are not allowed in the data",
                hint="delete it (it often comes along when text is copied from another program)",
            )
        )
    if len(found) > 10:
        errors[-1] = replace(errors[-1], message=errors[-1].message + f" ({len(found) - 10} more in this file)")
    return errors


def format_loc(attr: str, loc: Loc) -> str:
    text = attr
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
