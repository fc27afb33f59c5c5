"""``protective-factor-matrix``: the measures as the plan itself presents them, protective factor × level.

Some plans (Bamble) set out their measures in one table per protective factor, each split by
level. The catalogue keeps one entry per measure, ordered by level; this page shows the plan's
own view of the same measures: a row per protective factor, a column per level under the plan's
own level names, and a cell for every pair, so an empty cell reads as a finding, not a blank.

Whether a plan is organised this way is said in ``plan.yaml`` (``measures_by:
beskyttelsesfaktor``), not guessed from ``strengthens``: a plan set out by level may link its
measures to factors too (the trace's factor matrix uses those links), and adding such links
must not give its handbook a second ordering the plan does not have.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ...core import HandbookData
from ...core.models import FactorKind, Level
from ...core.pages import measure_label
from ...core.trace import LEVELS
from ..base import DataDirective
from ..nodes import bullets, para, ref

TABLE_CLASS = "factor-matrix"


def plan_level_label(data: HandbookData, level: Level | str) -> str:
    """The plan's own name for a level where it gives one, else the national name."""
    labels = data.plan.level_labels
    own = getattr(labels, str(level)) if labels is not None else None
    return own or data.levels[level].name


def factor_cells(data: HandbookData) -> dict[tuple[str, Level], list[str]]:
    """Protective factor × level -> ids of the measures in that cell, in plan order; every pair is present."""
    protective = sorted((f for f in data.national.factors if f.kind is FactorKind.BESKYTTELSE), key=lambda f: f.number)
    return {
        (factor.id, level): [
            m.id for m in data.municipality.measures if m.level == level and factor.id in m.strengthens
        ]
        for factor in protective
        for level in LEVELS
    }


def cell_id(factor_id: str, level: str) -> str:
    return f"faktor-{factor_id}-{level}"


class ProtectiveFactorMatrix(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        cells = factor_cells(data)
        factors = list(dict.fromkeys(f for f, _ in cells))
        headers = [self.t("factor_matrix.factor"), *(plan_level_label(data, lv) for lv in LEVELS)]

        table = nodes.table(classes=["forebygging-table", TABLE_CLASS])
        caption = self.t("factor_matrix.caption", n=len({m for ids in cells.values() for m in ids}))
        table += nodes.title(caption, caption)
        group = nodes.tgroup(cols=len(headers))
        table += group
        group += nodes.colspec(colwidth=2, stub=1)  # the factor column heads its row (th scope=row)
        for _ in LEVELS:
            group += nodes.colspec(colwidth=3)
        head = nodes.thead()
        head += _row([para(h) for h in headers])
        group += head
        body = nodes.tbody()
        for factor_id in factors:
            factor = data.factors[factor_id]
            name = self.t("factor_matrix.row", n=factor.number, name=factor.name)
            entries: list[nodes.entry] = [nodes.entry("", para(name), ids=[f"faktor-{factor_id}"])]
            for level in LEVELS:
                measures = cells[(factor_id, level)]
                entry = nodes.entry(ids=[cell_id(factor_id, level)], classes=["factor-cell"])
                if measures:
                    entry += para(self.t("factor_matrix.count", n=len(measures)), classes=["factor-cell-count"])
                    entry += bullets([para(ref(measure_label(m), data.measures[m].name)) for m in measures])
                else:
                    entry += para(self.t("factor_matrix.empty"), classes=["factor-cell-empty"])
                entries.append(entry)
            row = nodes.row()
            row.extend(entries)
            body += row
        group += body

        if data.plan.level_labels is None:
            return [table]
        legend = ", ".join(
            self.t("factor_matrix.level", label=plan_level_label(data, lv), level=data.levels[lv].name.lower())
            for lv in LEVELS
        )
        return [para(self.t("factor_matrix.levels", levels=legend)), table]


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", cell)
    return row


_TABLE = re.compile(rf'<table class="[^"]*\b{TABLE_CLASS}\b[^"]*"[^>]*>.*?</table>', re.S)


def _scope_headers(html: str) -> str:
    """Give the matrix's header cells ``scope``: docutils writes ``<th>`` without it."""

    def fix(match: re.Match[str]) -> str:
        table = match.group(0)
        table = table.replace('<th class="head', '<th scope="col" class="head')
        return table.replace('<th class="stub', '<th scope="row" class="stub')

    return _TABLE.sub(fix, html)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    body = context.get("body")
    if isinstance(body, str) and TABLE_CLASS in body:
        context["body"] = _scope_headers(body)


DIRECTIVES = {"protective-factor-matrix": ProtectiveFactorMatrix}


def setup_factor_matrix(app: Sphinx) -> None:
    """Header scopes in the written matrix table; the directive is registered with the others (:data:`DIRECTIVES`)."""
    app.connect("html-page-context", _on_page_context)
