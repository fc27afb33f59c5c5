"""``source-list``: the sources the handbook rests on, from the data (``:part: laws | local``).

``laws`` lists every act, regulation and convention with its lovdata link; ``local`` lists
the municipality's own documents and the statistics behind the local picture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ..base import DataDirective
from ..nodes import bullets, link, para


class SourceList(DataDirective):
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "part": lambda arg: directives.choice(arg, ("laws", "local"))
    }

    def render(self) -> list[nodes.Node]:
        if self.options.get("part", "laws") == "laws":
            items: list[nodes.Node] = []
            for law in self.data.national.laws:
                label = f"{law.full_name} ({law.short_name})" if law.full_name != law.short_name else law.full_name
                items.append(para(link(law.url, label)) if law.url else para(label))
            return [bullets(items)]
        plan = self.data.plan
        docs: list[str | nodes.Node] = [para(link(str(d.url), d.title)) if d.url else d.title for d in plan.anchoring]
        stats: list[str] = []
        for ind in self.data.municipality.indicators:
            if ind.source not in stats:
                stats.append(ind.source)
        out: list[nodes.Node] = []
        if docs:
            out += [para(self.t("sources.documents")), bullets(docs)]
        if stats:
            out += [para(self.t("sources.statistics")), bullets(stats)]
        return out
