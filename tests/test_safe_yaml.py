"""The YAML reader: YAML 1.2 values, lines of keys and items, and what it refuses."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from forebygging.core.safe_yaml import (
    C_SAFE_BOUND,
    MAX_DEPTH,
    YamlRefused,
    compose,
    depth_bound,
    line_and_column,
    line_of,
    loc_at,
    to_plain,
)


def test_values_follow_yaml_1_2_not_1_1() -> None:
    """In YAML 1.1 (PyYAML's default) ``no`` is false, ``010`` is 8 and ``1:30`` is 90."""
    text = "a: no\nb: 010\nc: 1:30\nd: true\ne: 0o17\nf: ~\ng: 2024-06-13\nh: 1.5\ni: Ja\n"
    assert to_plain(compose(text)) == {
        "a": "no",
        "b": 10,
        "c": "1:30",
        "d": True,
        "e": 15,
        "f": None,
        "g": datetime.date(2024, 6, 13),
        "h": 1.5,
        "i": "Ja",
    }


def test_line_of_keys_and_items() -> None:
    doc = compose("# comment\nmeasures:\n  - id: a\n    name: A\n  - id: b\n    name: B\n")
    assert line_of(doc, ("measures",)) == 2
    assert line_of(doc, ("measures", 1)) == 5
    assert line_of(doc, ("measures", 1, "name")) == 6
    assert line_of(doc, ("measures", 1, "missing")) == 5  # the deepest node that exists


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first used on line 1)", 3),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys", 3),
        ("a: !!python/object/apply:os.getcwd []\n", "not allowed", 1),
        ("a: !x y\n", "'!x' is not allowed", 1),
        ("a: &a [1, *a]\n", "endless structure", 1),
    ],
)
def test_refused_with_message_and_line(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlRefused) as info:
        to_plain(compose(text))
    assert message in info.value.message
    assert info.value.line == line


def test_billion_laughs_stops_at_the_budget() -> None:
    bomb = "l0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    bomb += "".join(f"l{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 9))
    with pytest.raises(YamlRefused, match="expands to more than"):
        to_plain(compose(bomb), len(bomb))


def test_empty_document() -> None:
    assert to_plain(compose("# only a comment\n")) is None


# --------------------------------------------------------------------------- hostile text


def _events_depth(text: str) -> int:
    """How deep libyaml's composer would recurse on ``text``: its event stream, read without recursion."""
    from yaml._yaml import CParser
    from yaml.events import CollectionEndEvent, CollectionStartEvent

    parser = CParser(text)
    depth = deepest = 0
    try:
        while (event := parser.get_event()) is not None:
            if isinstance(event, CollectionStartEvent):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass  # the composer recurses as far as the events went before the error
    finally:
        parser.dispose()
    return deepest


PIECES = [*"[]{}-?:,#'\"&*!|> \n\tab", "- ", ": ", "? ", "  ", "\r\n", "\u2028", "\x85", "\ufeff", "--- ", "a: "]


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_depth_bound_is_never_too_low(text: str) -> None:
    """The cheap bound decides which texts the C parser may see: it must hold for every text."""
    assert _events_depth(text) <= 2 * depth_bound(text) + 1


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[" * 30_000, 1, 102),  # pure-Python parser: the C one would overflow its stack
        ("- " * 30_000 + "x", 1, 202),
        ("{a: " * 30_000, 1, 402),
        ("k: " + "[" * 101 + "]" * 101, 1, 103),  # C parser, then the tree
        ("a:\n" + "".join(" " * i + "b:\n" for i in range(1, 150)), 101, 101),
        ("x:\n" + "- " * 2_000 + "x", 2, 202),
    ],
)
def test_deep_nesting_is_refused_with_its_line(text: str, line: int, column: int) -> None:
    with pytest.raises(YamlRefused) as info:
        compose(text)
    assert info.value.line == line
    assert f"nested more than {MAX_DEPTH} levels deep at column {column}" in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100 + "]" * 100,
        "- " * 100 + "x",
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 99)) + " " * 99 + "c: 1\n",
    ],
)
def test_nesting_up_to_the_limit_is_read(text: str) -> None:
    assert _events_depth(text) == MAX_DEPTH
    assert compose(text) is not None


def test_the_pure_python_parser_reads_what_the_c_parser_reads() -> None:
    """Texts past C_SAFE_BOUND get the pure-Python parser; the values must be the same."""
    from forebygging.core import safe_yaml

    text = "a: [1, {b: x}]\n" + "c: [" + ", ".join(["[y]"] * (C_SAFE_BOUND + 1)) + "]\n"
    assert depth_bound(text) > C_SAFE_BOUND
    guarded = safe_yaml._GuardedComposer(text, MAX_DEPTH)
    try:
        assert to_plain(guarded.get_single_node()) == to_plain(compose(text)) == yaml.safe_load(text)
    finally:
        guarded.dispose()


@pytest.mark.parametrize(
    ("text", "code", "loc", "line"),
    [
        ('a: "x\\x1by"\n', "U+001B", ("a",), 1),
        ("a:\n  - ok\n  - 'fine'\n  - \"\\e[2J\"\n", "U+001B", ("a", 2), 4),
        ('a: "\\u0085"\n', "U+0085", ("a",), 1),
        ('"k\\x7f": 1\n', "U+007F", (), 1),
    ],
)
def test_control_characters_written_as_escapes_are_refused(text: str, code: str, loc: tuple, line: int) -> None:
    with pytest.raises(YamlRefused) as info:
        to_plain(compose(text))
    assert f"control character {code}" in info.value.message
    assert info.value.loc == loc
    assert info.value.line == line


def test_tab_newline_and_carriage_return_are_allowed_in_values() -> None:
    assert to_plain(compose('a: "x\\ty\\nz\\r"\n')) == {"a": "x\ty\nz\r"}


def test_loc_at_finds_the_value_around_a_position() -> None:
    text = "a:\n  - x: 1\n    y: hello\nb: [1, 2]\n"
    doc = compose(text)
    assert loc_at(doc, text.index("hello") + 2) == ("a", 0, "y")
    assert loc_at(doc, text.index("2]")) == ("b", 1)
    assert loc_at(doc, 0) == ()


def test_line_and_column_count_as_an_editor_does() -> None:
    text = "ab\r\ncd\ne\u2028fg"
    assert line_and_column(text, 0) == (1, 1)
    assert line_and_column(text, text.index("d")) == (2, 2)
    assert line_and_column(text, text.index("g")) == (4, 2)
