"""``user-participation``: how children, young people and families take part (brukermedvirkning).

Optional data (``participation.yaml``); the page ``brukermedvirkning`` exists only for a plan
that has it, and a level the plan says nothing about gets no heading.
"""

from __future__ import annotations

from docutils import nodes

from ..base import DataDirective
from ..nodes import para, points, section


class UserParticipation(DataDirective):
    def render(self) -> list[nodes.Node]:
        participation = self.data.municipality.participation
        if participation is None:
            return []
        out: list[nodes.Node] = []
        if participation.introduction:
            out.append(para(participation.introduction))
        for level, items in (("individniva", participation.individual), ("systemniva", participation.system)):
            if not items:
                continue  # no empty headings
            sec = section(self.state.document, self.t(f"participation.{level}"), f"medvirkning-{level}")
            sec += points(items)
            out.append(sec)
        if participation.source:
            out.append(para(self.t("forum.source", source=participation.source)))
        return out
