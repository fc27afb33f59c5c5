"""Validation errors that name the file, the line, the field and the offending value.

A plan editor is not a programmer: every message says where to look and, where we can
tell, what was probably meant.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UNSAFE_ON_A_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters that can move the cursor, recolour or clear a terminal, break a line unseen, or
reorder the text shown (bidirectional overrides): every control character but tab and line feed."""


def printable(text: str) -> str:
    """``text`` with every character of :data:`UNSAFE_ON_A_TERMINAL` written as an escape (``\\x1b``).

    Data, file names and messages are printed to a terminal by ``make check``; an escape
    sequence in them must show as text, never act.
    """
    return UNSAFE_ON_A_TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class DataError:
    """One problem in one data file."""

    file: Path
    line: int | None  # 1-based; None when the whole file is at fault
    field: str  # dotted path, e.g. "measures[3].responsible[0]"
    message: str
    value: Any = None
    hint: str | None = None

    def format(self, root: Path | None = None) -> str:
        path = self.file.relative_to(root) if root is not None and self.file.is_relative_to(root) else self.file
        where = f"{path}:{self.line}" if self.line else f"{path}"
        text = f"{where}: {self.field or '(file)'}: {self.message}"
        if self.value is not None and not isinstance(self.value, dict | list):
            text += f" (value: {self.value!r})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return printable(text)


class DataValidationError(Exception):
    """All problems found in one load, reported together."""

    def __init__(self, errors: Iterable[DataError], root: Path | None = None) -> None:
        self.errors = sorted(errors, key=lambda e: (str(e.file), e.line or 0, e.field))
        self.root = root
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        noun = "error" if count == 1 else "errors"
        lines = [f"The handbook data has {count} {noun}; nothing was built:"]
        lines += [e.format(self.root) for e in self.errors]
        return "\n".join(lines)


def closest(value: object, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``value``, for 'did you mean' hints."""
    if not isinstance(value, str):
        return None
    options = list(candidates)
    match = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    if match:
        return match[0]
    # A prefix typed in full ("helsestasjon" for "helsestasjon-skolehelsetjeneste") is a good guess too.
    prefixed = [c for c in options if c.startswith(value) or value.startswith(c)]
    return min(prefixed, key=len) if prefixed else None


def did_you_mean(value: object, candidates: Iterable[str]) -> str | None:
    guess = closest(value, candidates)
    return f"did you mean {guess!r}?" if guess else None
