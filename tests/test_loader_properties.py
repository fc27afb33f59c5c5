"""Data that cannot crash the build: mutated data files get a validation error, never a traceback.

Hypothesis takes a valid data file, changes it (wrong types, missing keys, broken
references, odd Unicode, huge values, anchors and aliases, duplicate keys, object tags) and the loader
must either accept the result or answer with a DataValidationError whose every error names
the file, and the field or line (only file-level problems, such as a YAML syntax error,
have no field). Bounded and derandomized, so the run is the same on every machine.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from forebygging.core import DataValidationError, load
from forebygging.core.reading import MAX_FILE_BYTES

from .conftest import DATA

KOMMUNE = "sor-aurdal"
FILES = [
    f"{KOMMUNE}/measures.yaml",
    f"{KOMMUNE}/services.yaml",
    f"{KOMMUNE}/plan.yaml",
    f"{KOMMUNE}/collaboration_model.yaml",
    "national/duties.yaml",
    "national/laws.yaml",
    "national/factors.yaml",
]
FILE_LEVEL = ("YAML", "required file is missing", "file is ", "not UTF-8")
"""Messages of problems with the file as a whole, which have no field."""

ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=40,
)
HUGE = st.sampled_from(
    [10**30, -(10**18), 1e308, float("inf"), float("nan"), "x" * 200_000, "æøå" * 5_000, list(range(2_000))]
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ODD_TEXT, HUGE)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3), max_leaves=6
)
BROKEN_REFS = st.sampled_from(["helsestasjon", "jordmortjenste", "bvl-15-99", "no-such-id", "", "UPPER-Case"])


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    return yaml


def _paths(node: Any, loc: tuple = ()) -> list[tuple]:
    """Every location of a key or item in the document."""
    found = [loc]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*loc, i))
    return found


def _parent(doc: Any, loc: tuple) -> Any:
    node = doc
    for part in loc[:-1]:
        node = node[part]
    return node


@st.composite
def mutated_text(draw: st.DrawFn, originals: dict[str, str]) -> tuple[str, str]:
    """(file, new text) for one mutation of one file."""
    name = draw(st.sampled_from(FILES))
    text = originals[name]
    kind = draw(
        st.sampled_from(
            ["set", "delete", "reference", "rename", "alias", "laughs", "duplicate", "unicode", "tag", "raw"]
        )
    )
    if kind in {"set", "delete", "reference", "rename"}:
        doc = _yaml().load(text)
        loc = draw(st.sampled_from([p for p in _paths(doc) if p]))
        parent, last = _parent(doc, loc), loc[-1]
        if kind == "set":
            parent[last] = draw(VALUES)
        elif kind == "reference":
            parent[last] = draw(BROKEN_REFS)
        elif kind == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent.insert(list(parent).index(last), f"{last}_x", parent.pop(last))
        else:
            parent.append(draw(VALUES))
        out = io.StringIO()
        _yaml().dump(doc, out)
        return name, out.getvalue()
    lines = text.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if ":" in line and not line.lstrip().startswith(("#", "-"))]
    i = draw(st.sampled_from(keyed)) if keyed else 0
    if kind == "alias":
        # An anchor on one value and an alias to it elsewhere, or an alias inside itself.
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: &a [1, *a]\n" if draw(st.booleans()) else f"{key}: &a {{<<: *a}}\n"
        return name, "".join(lines)
    if kind == "laughs":
        levels = draw(st.integers(2, 9))
        bomb = ["lol: &a0 [x, x, x, x, x, x, x, x, x, x]\n"]
        bomb += [f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, levels)]
        if _yaml().load(text).__class__.__name__ == "CommentedMap":
            return name, text + "\n" + "".join(bomb)  # extra top-level keys
        return name, text + "\n- id: bomb\n" + "".join(f"  {line}" for line in bomb)  # an extra item
    if kind == "tag":
        # Tags that would construct objects in an unsafe loader; ours builds plain data or refuses.
        key = lines[i].split(":", 1)[0]
        tag = draw(
            st.sampled_from(["!!python/object/apply:os.getcwd []", "!!python/name:os.system", "!!set {a}", "!x y"])
        )
        lines[i] = f"{key}: {tag}\n"
        return name, "".join(lines)
    if kind == "duplicate":
        lines.insert(i, lines[i])
        return name, "".join(lines)
    if kind == "unicode":
        key = lines[i].split(":", 1)[0]
        odd = draw(st.sampled_from(["\u202e", "\u200b", "\ufeff", "\U0001f600", "\u0301", "Å", "\x85"]))
        lines[i] = f"{key}{odd}: {draw(ODD_TEXT)!r}\n" if draw(st.booleans()) else f"{key}: '{odd * 3}'\n"
        return name, "".join(lines)
    # raw: cut the file at a random point, or splice random text into a line
    if draw(st.booleans()):
        return name, text[: draw(st.integers(0, len(text)))]
    lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))] + draw(ODD_TEXT) + "\n"
    return name, "".join(lines)


class Originals(dict):
    """The unchanged texts (a short repr, for hypothesis' reports)."""

    def __repr__(self) -> str:
        return f"Originals({sorted(self)})"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Originals]:
    root = tmp_path_factory.mktemp("props") / "_data"
    shutil.copytree(DATA / "national", root / "national")
    shutil.copytree(DATA / KOMMUNE, root / KOMMUNE)
    return root, Originals({name: (root / name).read_text(encoding="utf-8") for name in FILES})


def _assert_answers_with_errors(root: Path, name: str) -> None:
    try:
        load(root, KOMMUNE)
    except DataValidationError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.file.is_relative_to(root), error
            assert error.field or error.message.startswith(FILE_LEVEL), error
            assert error.format(root)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_mutated_data_never_crashes_the_loader(scratch: tuple[Path, Originals], data: st.DataObject) -> None:
    root, originals = scratch
    name, text = data.draw(mutated_text(originals))
    path = root / name
    path.write_text(text, encoding="utf-8")
    try:
        _assert_answers_with_errors(root, name)
    finally:
        path.write_text(originals[name], encoding="utf-8")


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    """Over MAX_FILE_BYTES: one clear error, and the file is never parsed (a bomb would hang)."""
    root = tmp_path / "_data"
    shutil.copytree(DATA / "national", root / "national")
    shutil.copytree(DATA / KOMMUNE, root / KOMMUNE)
    path = root / KOMMUNE / "measures.yaml"
    path.write_text("- [" + "x, " * (MAX_FILE_BYTES // 3 + 10) + "x]\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(root, KOMMUNE)
    (error,) = [e for e in info.value.errors if e.file == path]
    assert "over the limit" in error.message and f"{MAX_FILE_BYTES:,}" in error.message
