"""Hostile data gets an error, never a crash: deep nesting, blank names, control characters, empty and non-UTF-8 files.

Each case breaks one file of a private copy of the data and asserts the exact outcome twice:
``load()`` raises one error naming the file, the line and (where the file could be read) the
field; and ``python -m forebygging check`` in a child process exits 1 (not 139, the segfault
libyaml's composer gave for deep nesting), prints the same line, no traceback and no raw
control character, and writes nothing in the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from forebygging.core import DataValidationError, load
from forebygging.core.errors import DataError, printable

from .conftest import DATA, ROOT

KOMMUNE = "sor-aurdal"
NAME_LINE = "  name: Svangerskapsomsorg\n"
"""The first measure's name in measures.yaml (measures[0].name)."""
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # relative to _data/
    edit: Callable[[bytes], bytes]  # the original bytes -> the hostile bytes
    line: int
    field: str  # the error's field ("" for a file that could not be read)
    message: str  # expected substring of the message
    hint: str | None = None


def _replace(old: str, new: bytes) -> Callable[[bytes], bytes]:
    def edit(original: bytes) -> bytes:
        assert old.encode() in original, f"fixture text not found: {old!r}"
        return original.replace(old.encode(), new, 1)

    return edit


def _line_of(file: str, text: str) -> int:
    original = (DATA / file).read_text(encoding="utf-8")
    return original[: original.index(text)].count("\n") + 1


DEEP_INDENT = "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 150))

CASES = [
    Case(
        "30000-brackets",
        f"{KOMMUNE}/indicators.yaml",
        lambda _: b"[" * 30_000 + b"\n",
        line=1,
        field="",
        message="YAML nested more than 100 levels deep at column 102",
        hint="never closed",
    ),
    Case(
        "30000-brackets-after-data",
        f"{KOMMUNE}/measures.yaml",
        lambda original: original + b"- id: x\n  responsible: " + b"[" * 30_000 + b"\n",
        line=(DATA / KOMMUNE / "measures.yaml").read_bytes().count(b"\n") + 2,
        field="",
        message="YAML nested more than 100 levels deep",
    ),
    Case(
        "compact-sequences",
        f"{KOMMUNE}/indicators.yaml",
        lambda _: b"- " * 30_000 + b"x\n",
        line=1,
        field="",
        message="YAML nested more than 100 levels deep at column 202",
    ),
    Case(
        "deep-indentation",  # within what the C parser survives: composed, then refused on the tree
        f"{KOMMUNE}/development.yaml",
        lambda _: DEEP_INDENT.encode(),
        line=101,
        field="",
        message="YAML nested more than 100 levels deep at column 101",
    ),
    Case(
        "blank-name",
        f"{KOMMUNE}/measures.yaml",
        _replace(NAME_LINE, b"  name: '   '\n"),
        line=_line_of(f"{KOMMUNE}/measures.yaml", NAME_LINE),
        field="measures[0].name",
        message="blank: a name, title, heading or label needs visible text",
        hint="write the text",
    ),
    Case(
        "empty-title",
        f"{KOMMUNE}/plan.yaml",
        _replace("title: Plan for forebyggende arbeid for barn, unge og familier fram mot 2030\n", b'title: ""\n'),
        line=_line_of(f"{KOMMUNE}/plan.yaml", "title: Plan for"),
        field="plan.title",
        message="blank",
    ),
    Case(
        "zero-width-nynorsk-name",
        "national/factors.yaml",
        _replace("    name: Skadelege omsorgsformer\n", "    name: '\u200b '\n".encode()),
        line=_line_of("national/factors.yaml", "    name: Skadelege omsorgsformer"),
        field="factors[0].nn.name",
        message="blank",
    ),
    Case(
        "raw-escape-in-a-name",
        f"{KOMMUNE}/measures.yaml",
        _replace(NAME_LINE, b"  name: Svangerskaps\x1b[2Jomsorg\n"),
        line=_line_of(f"{KOMMUNE}/measures.yaml", NAME_LINE),
        field="measures[0].name",
        message="control character U+001B at column 21",
        hint="delete it",
    ),
    Case(
        "raw-c1",
        f"{KOMMUNE}/measures.yaml",
        _replace(NAME_LINE, "  name: Svangerskaps\u009bomsorg\n".encode()),
        line=_line_of(f"{KOMMUNE}/measures.yaml", NAME_LINE),
        field="measures[0].name",
        message="control character U+009B at column 21",
    ),
    Case(
        "raw-del-in-a-comment",
        f"{KOMMUNE}/services.yaml",
        lambda original: original.replace(b"\n", b"  # \x7f\n", 1),
        line=1,
        field="services",
        message="control character U+007F",
    ),
    Case(
        "raw-nel-line-break",  # YAML 1.1 takes U+0085 for a line break; the data must not
        f"{KOMMUNE}/measures.yaml",
        _replace(NAME_LINE, "  name: Svangerskaps\u0085omsorg\n".encode()),
        line=_line_of(f"{KOMMUNE}/measures.yaml", NAME_LINE),
        field="measures[0].name",
        message="control character U+0085",
    ),
    Case(
        "escaped-control-in-quotes",
        f"{KOMMUNE}/measures.yaml",
        _replace(NAME_LINE, b'  name: "Svangerskaps\\x07omsorg"\n'),
        line=_line_of(f"{KOMMUNE}/measures.yaml", NAME_LINE),
        field="measures[0].name",
        message="control character U+0007 in the text",
        hint="the escape",
    ),
    Case(
        "escaped-control-in-a-key",
        f"{KOMMUNE}/plan.yaml",
        _replace("region: Valdres", b'"reg\\eion": Valdres'),
        line=_line_of(f"{KOMMUNE}/plan.yaml", "region: Valdres"),
        field="plan",
        message="control character U+001B",
    ),
    Case(
        "noncharacter-after-non-ascii-text",  # libyaml gives a byte offset; the column counts characters
        f"{KOMMUNE}/plan.yaml",
        _replace("region: Valdres", "region: Val\uffffdres".encode()),
        line=_line_of(f"{KOMMUNE}/plan.yaml", "region: Valdres"),
        field="",
        message="YAML cannot contain the character U+FFFF (column 12)",
        hint="delete it",
    ),
    Case(
        "empty-required-file",
        f"{KOMMUNE}/measures.yaml",
        lambda _: b"",
        line=1,
        field="",
        message="file is empty (0 bytes)",
        hint="write the data here",
    ),
    Case(
        "comments-only-optional-file",
        f"{KOMMUNE}/indicators.yaml",
        lambda _: b"# yaml-language-server: $schema=../../schemas/indicators.schema.json\n\n# nothing yet\n",
        line=1,
        field="",
        message="file is empty (no data, only comments and blank lines)",
        hint="or delete the file (it is optional)",
    ),
    Case(
        "invalid-utf8",
        f"{KOMMUNE}/plan.yaml",
        _replace("region: Valdres", b"region: Vald\xe6res"),  # latin-1 'æ'
        line=_line_of(f"{KOMMUNE}/plan.yaml", "region: Valdres"),
        field="",
        message="not UTF-8 text: byte 0xE6 at byte offset",
        hint="save the file as UTF-8",
    ),
    Case(
        "utf16-file",
        f"{KOMMUNE}/referral_routes.yaml",
        lambda original: original.decode("utf-8").encode("utf-16"),
        line=1,
        field="",
        message="not UTF-8 text: byte 0xFF at byte offset 0 (line 1, column 1)",
    ),
]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "_data"
    shutil.copytree(DATA / "national", root / "national")
    shutil.copytree(DATA / KOMMUNE, root / KOMMUNE)
    return root


def _break(root: Path, case: Case) -> Path:
    path = root / case.file
    path.write_bytes(case.edit(path.read_bytes()))
    return path


def _repository() -> dict[str, tuple[int, int]]:
    """Size and modification time of every file of the checkout but git's, the venv's and caches."""
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
    found = {}
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            stat = (Path(folder) / name).stat()
            found[os.path.relpath(Path(folder) / name, ROOT)] = (stat.st_size, stat.st_mtime_ns)
    return found


def check_cli(data: Path, kommune: str = KOMMUNE) -> subprocess.CompletedProcess[str]:
    """``python -m forebygging check`` as ``make check`` runs it, in a child process (a crash stays there)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "extensions")}
    return subprocess.run(
        [sys.executable, "-m", "forebygging", "--data", str(data), "check", "--kommune", kommune],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file_gets_an_error_naming_file_line_and_field(tmp_path: Path, case: Case) -> None:
    root = _copy(tmp_path)
    path = _break(root, case)

    # The child process first: were deep nesting to crash the parser again, it crashes there.
    before = _repository()
    result = check_cli(root)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{case.file}:{case.line}: {case.field or '(file)'}: " in result.stderr
    assert case.message in result.stderr
    assert not RAW_CONTROL.search(result.stdout + result.stderr), "a raw control character reached the terminal"
    assert _repository() == before, "check wrote into the repository"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_data"]

    with pytest.raises(DataValidationError) as info:
        load(root, KOMMUNE)
    errors = [e for e in info.value.errors if e.file == path]
    assert len(errors) == 1, info.value.report()
    (error,) = errors
    assert case.message in error.message
    assert error.line == case.line
    assert error.field == case.field
    if case.hint is not None:
        assert error.hint and case.hint in error.hint


def test_a_depth_of_100_is_accepted_and_101_refused(tmp_path: Path) -> None:
    """The limit is exact (both depths are far from what could crash the C parser)."""
    root = _copy(tmp_path)
    path = root / KOMMUNE / "indicators.yaml"
    for depth, fine in ((100, True), (101, False)):
        path.write_text("[" * depth + "]" * depth + "\n", encoding="utf-8")
        with pytest.raises(DataValidationError) as info:
            load(root, KOMMUNE)
        (error,) = [e for e in info.value.errors if e.file == path]
        # 100 levels parse, and are then wrong for the model (a list of indicators); 101 never parse.
        assert ("nested more than 100" in error.message) is not fine, error.message


def test_control_characters_are_escaped_on_the_terminal(tmp_path: Path) -> None:
    """A successful check prints the data folder's path: an escape sequence in it shows as text."""
    root = _copy(tmp_path / "da\x1b[2Jta\x9b")
    result = check_cli(root)
    assert result.returncode == 0, result.stderr
    assert "OK: the data is valid." in result.stdout
    assert not RAW_CONTROL.search(result.stdout + result.stderr)
    assert "da\\x1b[2Jta\\x9b" in result.stdout


def test_error_reports_escape_control_characters() -> None:
    error = DataError(Path("a\x1b]0;x\x07.yaml"), 3, "f\x85", "bad \u202eevil", "v\x1b", "h\r")
    text = error.format()
    assert not RAW_CONTROL.search(text) and "\u202e" not in text
    assert text == "a\\x1b]0;x\\x07.yaml:3: f\\x85: bad \\u202eevil (value: 'v\\x1b')\n    hint: h\\r"


def test_printable_keeps_tabs_newlines_and_norwegian_text() -> None:
    text = "Tiltak:\tHelsestasjon\nbvl §\u00a015-1 – æøå «»"
    assert printable(text) == text
