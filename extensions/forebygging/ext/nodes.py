"""Small builders for docutils nodes, so page generators read like the page they make.

Generators build nodes directly rather than emitting Markdown or reST text: plan text
may contain any character, and nodes need no escaping and work the same in MyST and reST.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes
from sphinx import addnodes

from ..core.models import Point

Cell = str | nodes.Node | Sequence[nodes.Node]


def section(document: nodes.document, title: str, label: str) -> nodes.section:
    """A section with an explicit, referenceable label (``{ref}`label```)."""
    sec = nodes.section()
    sec["ids"].append(label)
    sec["names"].append(label)
    document.note_explicit_target(sec)
    sec += nodes.title(title, title)
    return sec


def para(*parts: str | nodes.Node, classes: Iterable[str] = ()) -> nodes.paragraph:
    p = nodes.paragraph(classes=list(classes))
    for part in parts:
        p += nodes.Text(part) if isinstance(part, str) else part
    return p


def strong(text: str) -> nodes.strong:
    return nodes.strong(text, text)


def link(url: str, text: str | None = None) -> nodes.reference:
    return nodes.reference(text or url, text or url, refuri=url)


def ref(label: str, text: str) -> addnodes.pending_xref:
    """A cross-reference to a label anywhere in the handbook; resolved (and checked) by Sphinx."""
    node = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=label, refexplicit=True)
    node += nodes.inline(text, text)
    return node


def joined(items: Sequence[nodes.Node | str], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(nodes.Text(item) if isinstance(item, str) else item)
    return out


def bullets(items: Iterable[str | nodes.Node]) -> nodes.bullet_list:
    lst = nodes.bullet_list()
    for item in items:
        li = nodes.list_item()
        li += para(item) if isinstance(item, str) else item
        lst += li
    return lst


def points(items: Sequence[Point]) -> nodes.bullet_list:
    """Nested bullets from the plan's nested task lists."""
    lst = nodes.bullet_list()
    for point in items:
        li = nodes.list_item()
        li += para(point.text)
        if point.points:
            li += points(point.points)
        lst += li
    return lst


def field_list(fields: Iterable[tuple[str, Cell | None]]) -> nodes.field_list:
    """Label/value pairs; a value of None or '' is left out rather than shown empty."""
    fl = nodes.field_list()
    for name, value in fields:
        if value is None or value == "" or value == []:
            continue
        body = nodes.field_body()
        body += _as_paragraph(value)
        fl += nodes.field("", nodes.field_name(name, name), body)
    return fl


def _as_paragraph(value: Cell) -> nodes.Node:
    if isinstance(value, str):
        return para(value)
    if isinstance(value, nodes.paragraph):
        return value
    if isinstance(value, nodes.Node) and not isinstance(value, nodes.Inline | nodes.Text):
        return value
    if isinstance(value, nodes.Node):
        return para(value)
    p = nodes.paragraph()
    p.extend(value)
    return p


def table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], classes: Iterable[str] = ()
) -> nodes.table:
    """A table with a caption and a header row, as WCAG asks of data tables."""
    tbl = nodes.table(classes=["forebygging-table", *classes])
    tbl += nodes.title(caption, caption)
    group = nodes.tgroup(cols=len(headers))
    tbl += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    head += _row(headers)
    group += head
    body = nodes.tbody()
    for row in rows:
        body += _row(row)
    group += body
    return tbl


def _row(cells: Sequence[Cell]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += _as_paragraph(cell)
        row += entry
    return row
