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
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

try:  # libyaml ships in PyYAML's wheels; the pure-Python parser is the same, only slower.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


MIN_BUDGET = 100_000
"""Values a document may expand to, at least; a file of n bytes may have n."""

Loc = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


class YamlRefused(Exception):
    """The document is valid YAML but not valid handbook data (cycle, bomb, tag, duplicate key)."""

    def __init__(self, message: str, loc: Loc, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.line = line


YamlTooComplex = YamlRefused  # the name the loader used first


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
    """The node tree of a one-document YAML text (None when it is empty); raises yaml.YAMLError."""
    parser = _Composer(text)
    try:
        return parser.get_single_node()
    finally:
        parser.dispose()


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
                return _SCALARS.yaml_constructors[node.tag](_SCALARS, node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                kind = node.tag.removeprefix(_TAG)
                raise refuse(f"the value {node.value!r} cannot be read as {kind}", node, loc) from exc
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
