"""``factor-list`` and ``risk-groups``: risk and protective factors (Kvello 2023) and the KS risk groups.

The factors support professional judgement. They are shown in the data's order with their
numbers as names, never summed or ranked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ...core.models import FactorKind
from ..base import DataDirective
from ..nodes import bullets, table


class FactorList(DataDirective):
    """A table of the risk factors or of the protective factors (``:kind: risiko|beskyttelse``)."""

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "kind": lambda arg: directives.choice(arg, [k.value for k in FactorKind])
    }

    def render(self) -> list[nodes.Node]:
        kind = FactorKind(self.options.get("kind", FactorKind.RISIKO.value))
        factors = sorted((f for f in self.data.national.factors if f.kind is kind), key=lambda f: f.number)
        if not factors:
            return []
        headers = [self.t("factor.number"), self.t("factor.name"), self.t("factor.explanation")]
        rows = [[str(f.number), f.name, f.explanation] for f in factors]
        tbl = table(self.t(f"factor.caption.{kind.value}", n=len(factors)), headers, rows, classes=["factor-table"])
        return [tbl]


class RiskGroups(DataDirective):
    """The KS "utenforregnskapet" risk groups as a list."""

    def render(self) -> list[nodes.Node]:
        groups = self.data.national.risk_groups
        return [bullets([g.name for g in groups])] if groups else []
