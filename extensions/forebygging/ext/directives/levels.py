"""``level-overview``: the three levels of the measure pyramid, with their step and how many measures each has."""

from __future__ import annotations

from docutils import nodes

from ...core.pages import level_label, step_label
from ..base import DataDirective
from ..nodes import para, ref, table


class LevelOverview(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        # Only levels the plan itself gives a step: a level the data editor assumed links nothing.
        steps_by_level = {s.level: s for s in data.municipality.collaboration.steps if s.level_in_plan}
        rows = []
        for level in data.national.levels:
            here = [m for m in data.municipality.measures if m.level == level.id]
            n, examples = len(here), sum(1 for m in here if m.example)
            step = steps_by_level.get(level.id)
            rows.append(
                [
                    [ref(level_label(level.id), level.name), nodes.Text(f" ({level.colour_name})")],
                    level.for_whom,
                    [ref(step_label(step.id), step.name)] if step else "–",
                    self.t("level.measures.examples", n=n, examples=examples)
                    if examples
                    else self.t("level.measures", n=n),
                ]
            )
        headers = [
            self.t("levels.level"),
            self.t("levels.for_whom"),
            self.t("levels.step"),
            self.t("levels.measures"),
        ]
        out: list[nodes.Node] = [table(self.t("levels.caption"), headers, rows, classes=["level-table"])]
        pyramid = nodes.bullet_list(classes=["level-pyramid"])
        for level in reversed(data.national.levels):
            item = nodes.list_item(classes=[f"level-{level.id}"])
            item += para(nodes.strong(level.name, level.name), f" ({level.colour_name}) – {level.for_whom}")
            if level.aliases:
                item += para(self.t("levels.aliases.text", aliases=", ".join(level.aliases)), classes=["level-aliases"])
            pyramid += item
        out.append(para(self.t("levels.pyramid.intro")))
        out.append(pyramid)
        return out
