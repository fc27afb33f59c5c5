"""The YAML reader: YAML 1.2 values, lines of keys and items, and what it refuses."""

from __future__ import annotations

import datetime

import pytest

from forebygging.core.safe_yaml import YamlRefused, compose, line_of, to_plain


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
