"""Read a YAML file safely and fast, keeping the line of every key and item.

Why not a ready-made loader:

- Parsing is PyYAML's libyaml binding (C). It only *composes*: the result is a tree of nodes
  with their positions, and nothing is ever constructed from a tag, so a tag cannot make
  Python objects. ruamel.yaml's round-trip loader, used before, keeps lines too but spent
  about 95 % of ``make check`` parsing (``make check`` must stay a small fraction of a build).
- Scalars are resolved by the YAML 1.2 core schema (what editors and ruamel follow), not
  PyYAML's YAML 1.1 defaults, where ``no`` is false, ``010`` is eight and ``1:30`` is ninety.
- :func:`to_plain` turns the nodes into plain data itself, because that is where the data
  files' own rules live: duplicate keys are errors, merge keys and unknown tags are refused,
  and anchors and aliases cannot expand into an endless or exploding structure. An alias
  inside the node it names (``a: &a [*a]``) is a cycle, and nine levels of ten aliases each
  ("billion laughs") expand to a billion values; the data files never need either, so a
  cycle is refused and expansion stops after a budget of values that is generous for any
  real file (at least one value per byte of the file).
- Nesting is limited, and hostile nesting never reaches libyaml: PyYAML's C composer recurses
  once per level and overflows the C stack (a segfault, no message) somewhere between 20,000
  and 30,000 nested ``[``. :func:`compose` gives it only a text that cannot come near that
  (:func:`depth_bound`), and refuses anything deeper than :data:`MAX_DEPTH` with its line.
  Control characters (invisible, and able to drive a terminal) are refused in values and keys.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner


class _PythonParser(Reader, Scanner, Parser, Composer):
    """PyYAML's pure-Python parser: the same YAML as libyaml, slower, and it recurses in Python.

    A RecursionError can be caught; the C composer's stack overflow cannot (see :func:`compose`).
    """

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


try:  # libyaml ships in PyYAML's wheels; the pure-Python parser is the same, only slower.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    _Parser = _PythonParser  # type: ignore[misc,assignment]


MIN_BUDGET = 100_000
"""Values a document may expand to, at least; a file of n bytes may have n."""

MAX_DEPTH = 100
"""Lists and mappings inside each other, at most.

The real plans nest at most 9 (collaboration_model.yaml: steps, tasks, points within points);
100 leaves ten times that for deeper bullet lists, and keeps the Python recursion of
:func:`to_plain`, pydantic and the page generators far from Python's limit.
"""

C_SAFE_BOUND = 1_000
"""The largest :func:`depth_bound` of a text that the C composer is given.

PyYAML's C composer recurses once per level and overflows the C stack (a segfault, no
message) somewhere between 20,000 and 30,000 levels (measured with PyYAML 6 on Python 3.11);
a text within this bound nests at most 2,001 levels, a margin of ten. Any other text goes
to the pure-Python parser (see :func:`compose`).
"""

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 controls except tab, line feed and carriage return; DEL; C1 controls (NEL among them)."""

_LINE_LEAD = " \t\ufeff?:,-"
"""What may stand before a line's first token that opens a block level: blanks and indicators.

libyaml skips a byte order mark at the start of any line, and takes ``,`` for a flow entry
even in block context, so both may stand before a ``-`` that opens a level."""
_EDITOR_BREAKS = re.compile("\r\n|[\r\n\u2028\u2029]")

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


class YamlRefused(Exception):
    """Not valid handbook data: too deep, a control character, a cycle, a bomb, a tag, a duplicate key."""

    def __init__(self, message: str, loc: Loc, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.line = line
        self.hint = hint


YamlTooComplex = YamlRefused  # the name the loader used first


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting line breaks as an editor does."""
    line, start = 1, 0
    for match in _EDITOR_BREAKS.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def describe_control(char: str) -> str:
    """A control character named so it can be found: its code point (it cannot be seen)."""
    return f"U+{ord(char):04X}"


def depth_bound(text: str) -> int:
    """A number of collections open at once that libyaml cannot exceed on ``text``; cheap, never too low.

    Two string scans. Every open flow collection is a ``[`` or ``{`` of the text. The open block
    collections each have their own indentation column: those opened on earlier lines lie at or
    left of the column where the current line's first token starts, and those opened on the
    line itself need a ``-``, ``?`` or ``:`` each before that token, or are its one compact key.
    So they are at most the length of a line's leading run of blanks and indicators, plus two.
    (A node may be twice as deep: an indentless sequence, a single-pair flow mapping.)
    """
    flow = text.count("[") + text.count("{")
    # str.splitlines breaks at every YAML line break (\r, \n, U+0085, U+2028, U+2029) and at a
    # few more; extra line starts only add candidates, so the maximum cannot come out lower.
    block = max((len(line) - len(line.lstrip(_LINE_LEAD)) for line in text.splitlines()), default=0) + 2
    return flow + block


def _too_deep(limit: int, line: int, column: int) -> YamlRefused:
    return YamlRefused(
        f"YAML nested more than {limit} levels deep at column {column} (lists and mappings inside each "
        "other); the handbook's data needs about 10 at most",
        (),
        line,
        hint="look for a bracket [ or { that is never closed, or indentation that keeps growing",
    )


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema, plus ISO dates (adoption dates are written ``2024-06-13``)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _regexp, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("merge", r"^(?:<<)$", "<"),  # recognised only to be refused with a clear message
    (
        "timestamp",
        r"^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
):
    _CoreResolver.add_implicit_resolver(f"{_TAG}{_tag}", re.compile(_regexp), list(_first))


class _Composer(_Parser, _CoreResolver):  # type: ignore[misc,valid-type]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _CoreResolver.__init__(self)


class _GuardedComposer(_PythonParser, _CoreResolver):
    """The pure-Python parser, refusing the text as soon as its scanner has too many collections open.

    The scanner keeps the open block levels in a list (``indents``) and the flow depth in a
    counter (``flow_level``), so measuring never recurses; the composer only ever sees tokens
    of a structure within the limit.
    """

    def __init__(self, stream: str, limit: int) -> None:
        _PythonParser.__init__(self, stream)
        _CoreResolver.__init__(self)
        self.limit = limit

    def fetch_more_tokens(self) -> None:
        super().fetch_more_tokens()
        if self.flow_level + len(self.indents) > self.limit:
            mark = self.get_mark()
            raise _too_deep(self.limit, mark.line + 1, mark.column + 1)


class _Scalars(yaml.constructor.SafeConstructor):
    """Only the scalar constructors are used: ints with 0o/0x, floats, bools, dates, null."""

    def construct_yaml_int(self, node: ScalarNode) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        if value.startswith("0o"):
            return int(value[2:], 8)
        return int(value, 0) if value.startswith("0x") else int(value, 10)


_Scalars.add_constructor(f"{_TAG}int", _Scalars.construct_yaml_int)
_SCALARS = _Scalars()


def compose(text: str) -> Node | None:
    """The node tree of a one-document YAML text (None when it is empty).

    Raises yaml.YAMLError, or :class:`YamlRefused` for nesting deeper than :data:`MAX_DEPTH`.
    """
    # Hostile nesting never reaches the C parser: a text whose depth_bound is past C_SAFE_BOUND
    # goes to the pure-Python parser, which refuses it at the first token past MAX_DEPTH (with
    # its line) and could only raise a RecursionError, never crash. The cheap bound keeps the
    # real files on the fast C parser (its bound is at most 167, bamble's measures with their
    # 159 short flow lists; the pure-Python parser takes 20 times as long).
    bound = depth_bound(text)
    parser = _Composer(text) if bound <= C_SAFE_BOUND else _GuardedComposer(text, MAX_DEPTH)
    try:
        document = parser.get_single_node()
    finally:
        parser.dispose()
    if 2 * bound + 1 > MAX_DEPTH:  # otherwise no node can be too deep
        check_depth(document)
    return document


def check_depth(document: Node | None, limit: int = MAX_DEPTH) -> None:
    """Refuse a node tree with lists and mappings nested deeper than ``limit``, with the line.

    Walks the tree as it is written, without recursion; a node reached again through an alias
    is not walked twice (the budget and cycle checks of :func:`to_plain` deal with aliases).
    """
    if document is None:
        return
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen or isinstance(node, ScalarNode):
            continue
        seen.add(id(node))
        if depth > limit:
            raise _too_deep(limit, node.start_mark.line + 1, node.start_mark.column + 1)
        children = node.value if isinstance(node, SequenceNode) else [v for pair in node.value for v in pair]
        stack.extend((child, depth + 1) for child in reversed(children))


def to_plain(document: Node | None, file_bytes: int = 0) -> Any:
    """Nodes -> plain dicts, lists and scalars; raise :class:`YamlRefused`."""
    budget = max(MIN_BUDGET, file_bytes)
    seen = 0
    open_nodes: set[int] = set()

    def refuse(message: str, node: Node, loc: Loc) -> YamlRefused:
        return YamlRefused(message, loc, node.start_mark.line + 1)

    def convert(node: Node, loc: Loc) -> Any:
        nonlocal seen
        seen += 1
        if seen > budget:
            raise refuse(
                f"the YAML expands to more than {budget:,} values (anchors and aliases used over and over?)", node, loc
            )
        if isinstance(node, ScalarNode):
            if node.tag == f"{_TAG}merge":  # "<<" as a value is just text
                return node.value
            if node.tag not in SCALAR_TAGS:
                raise refuse(f"the YAML tag {node.tag!r} is not allowed here: the data holds plain values", node, loc)
            try:
                value = _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                kind = node.tag.removeprefix(_TAG)
                raise refuse(f"the value {node.value!r} cannot be read as {kind}", node, loc) from exc
            control = CONTROL_CHARACTERS.search(value) if isinstance(value, str) else None
            if control is not None:  # written as an escape ("\e", "\x1b") in a quoted value
                raise YamlRefused(
                    f"control character {describe_control(control.group())} in the text: invisible "
                    "characters are not allowed in the data",
                    loc,
                    node.start_mark.line + 1,
                    hint="delete it, or the escape (such as \\x1b or \\e) that writes it",
                )
            return value
        if id(node) in open_nodes:
            raise refuse("a YAML alias refers to a node that contains it (an endless structure)", node, loc)
        open_nodes.add(id(node))
        try:
            if isinstance(node, SequenceNode) and node.tag == f"{_TAG}seq":
                return [convert(item, (*loc, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode) and node.tag == f"{_TAG}map":
                return _mapping(node, loc)
            raise refuse(f"the YAML tag {node.tag!r} is not allowed here: the data holds lists and mappings", node, loc)
        finally:
            open_nodes.discard(id(node))

    def _mapping(node: MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                raise refuse("YAML merge keys (<<) are not supported: write the fields out", key_node, loc)
            if not isinstance(key_node, ScalarNode):
                raise refuse("a key must be a plain word, not a list or a mapping", key_node, loc)
            key = convert(key_node, loc)
            name = key if isinstance(key, str) else str(key)
            line = key_node.start_mark.line + 1
            if name in out:
                raise YamlRefused(f"duplicate key {name!r} (first used on line {first_line[name]})", (*loc, name), line)
            first_line[name] = line
            out[name] = convert(value_node, (*loc, name))
        return out

    if document is None:
        return None
    try:
        return convert(document, ())
    except RecursionError:
        raise YamlRefused("the YAML is nested too deeply", (), None) from None


def line_of(document: Node | None, loc: Loc) -> int | None:
    """1-based line of the deepest node of ``loc`` that exists in the document."""
    if document is None:
        return None
    node: Node = document
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, MappingNode):
            match = next((p for p in node.value if isinstance(p[0], ScalarNode) and p[0].value == str(key)), None)
            if match is None:
                break
            line = match[0].start_mark.line + 1
            node = match[1]
        elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def loc_at(document: Node | None, index: int) -> Loc:
    """The location of the deepest value whose text spans character ``index`` (() when none does)."""
    loc: Loc = ()
    node = document
    while node is not None:
        children: list[tuple[str | int, Node]] = []
        if isinstance(node, MappingNode):
            children = [(k.value, v) for k, v in node.value if isinstance(k, ScalarNode)]
        elif isinstance(node, SequenceNode):
            children = list(enumerate(node.value))
        inside = [(key, child) for key, child in children if child.start_mark.index <= index < child.end_mark.index]
        if not inside:
            break
        key, node = inside[0]
        loc = (*loc, key)
    return loc
