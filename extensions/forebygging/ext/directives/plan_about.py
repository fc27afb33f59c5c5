"""``plan-about``: the plan's purpose, goals, mandate and anchoring (plan.yaml), one part at a time.

``:part: purpose | goals | mandate | anchoring`` lets a prose page put its own headings
and explanations between the parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ..base import DataDirective
from ..nodes import bullets, link, para

PARTS = ("purpose", "goals", "mandate", "anchoring")


class PlanAbout(DataDirective):
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {"part": lambda arg: directives.choice(arg, PARTS)}

    def render(self) -> list[nodes.Node]:
        plan = self.data.plan
        part = self.options.get("part", "purpose")
        if part == "purpose":
            return [para(plan.purpose)]
        if part == "goals":
            out: list[nodes.Node] = []
            for area in plan.goal_areas:
                out.append(nodes.rubric(area.title, area.title))
                out.append(bullets(area.goals))
            return out
        if part == "mandate":
            out = [para(plan.mandate)]
            if plan.mandate_pillars:
                dl = nodes.definition_list()
                for pillar in plan.mandate_pillars:
                    item = nodes.definition_list_item()
                    item += nodes.term(pillar.title, pillar.title)
                    definition = nodes.definition()
                    definition += para(pillar.text)
                    item += definition
                    dl += item
                out.append(dl)
            return out
        dl = nodes.definition_list()
        for doc in plan.anchoring:
            item = nodes.definition_list_item()
            term = nodes.term(doc.title, "")
            term += link(str(doc.url), doc.title) if doc.url else nodes.Text(doc.title)
            item += term
            definition = nodes.definition()
            definition += para(f"{doc.description} ({doc.citation})" if doc.citation else doc.description)
            if doc.points:
                definition += bullets(doc.points)
            item += definition
            dl += item
        return [dl] if plan.anchoring else []
