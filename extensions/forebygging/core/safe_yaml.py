"""Turn a parsed YAML document into plain Python without being tricked by aliases (issue 8).

YAML anchors and aliases let a small file describe a huge or even endless structure: an
alias inside the node it names (``a: &a [*a]``) is a cycle, and nine levels of ten aliases
each ("billion laughs") expand to a billion values. The data files never need either, so
:func:`to_plain` refuses a cycle and stops expanding after a budget of values that is
generous for any real file (at least one value per byte of the file).
"""

from __future__ import annotations

from typing import Any

MIN_BUDGET = 100_000
"""Values a document may expand to, at least; a file of n bytes may have n."""


class YamlTooComplex(Exception):
    """The document is cyclic or expands to far more values than the file has bytes."""

    def __init__(self, message: str, loc: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc


def to_plain(document: Any, file_bytes: int = 0) -> Any:
    """ruamel's round-trip types -> plain dicts, lists and scalars; raise YamlTooComplex."""
    budget = max(MIN_BUDGET, file_bytes)
    seen = 0
    open_nodes: set[int] = set()

    def convert(node: Any, loc: tuple[str | int, ...]) -> Any:
        nonlocal seen
        seen += 1
        if seen > budget:
            raise YamlTooComplex(
                f"the YAML expands to more than {budget:,} values (anchors and aliases used over and over?)", loc
            )
        if isinstance(node, dict | list):
            if id(node) in open_nodes:
                raise YamlTooComplex("a YAML alias refers to a node that contains it (an endless structure)", loc)
            open_nodes.add(id(node))
            try:
                if isinstance(node, dict):
                    out: dict[Any, Any] = {}
                    for key, value in node.items():
                        name = key if isinstance(key, str) else str(key)
                        out[name] = convert(value, (*loc, name))
                    return out
                return [convert(value, (*loc, i)) for i, value in enumerate(node)]
            finally:
                open_nodes.discard(id(node))
        if isinstance(node, bool | int | float | str) or node is None:
            return node
        if hasattr(node, "isoformat"):
            return node
        return str(node)

    try:
        return convert(document, ())
    except RecursionError:
        raise YamlTooComplex("the YAML is nested too deeply", ()) from None
