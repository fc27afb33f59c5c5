"""``collaboration-flow``: the plan's flow chart (chapter 4.3), drawn at build time with graphviz.

The DOT source is generated from ``collaboration_model.yaml`` ``flow``; the same steps are
also rendered as an ordered text list, the chart's text alternative. Without the ``dot``
program the chart is left out and only the text is shown (an info message says why).
"""

from __future__ import annotations

import shutil
import textwrap

from docutils import nodes
from sphinx.util import logging

from ...core.models import Flow, Level
from ...core.pages import step_label
from ..base import DataDirective
from ..nodes import para, ref

logger = logging.getLogger(__name__)

# Fill colours: light tints of the pyramid colours, so the black label text keeps full contrast.
_FILL = {Level.UNIVERSELL: "#e8f5e9", Level.SELEKTIV: "#fff8e1", Level.INDIKERT: "#ffebee"}
_BORDER = {Level.UNIVERSELL: "#2e7d32", Level.SELEKTIV: "#8d6e00", Level.INDIKERT: "#c62828"}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap(text: str, width: int = 28) -> str:
    """Break a label into lines for the chart (graphviz does not wrap by itself)."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def flow_dot(flow: Flow, levels: dict[str, Level]) -> str:
    """Deterministic DOT source for the flow chart: top to bottom, coloured by level."""
    out = [
        "digraph flow {",
        '  graph [rankdir=TB, bgcolor="white", nodesep=0.4, ranksep=0.45, fontname="DejaVu Sans"];',
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans", fontsize=11, fontcolor="black",'
        ' color="#444444", fillcolor="white", margin="0.15,0.08"];',
        '  edge [fontname="DejaVu Sans", fontsize=10, fontcolor="black", color="#333333"];',
    ]
    for node in flow.nodes:
        attrs = [f"label={_quote(_wrap(node.label))}"]
        level = levels.get(node.step) if node.step else None
        if node.outcome:
            attrs += ["shape=box", 'style="rounded,filled,bold"', 'fillcolor="#e3f2fd"', 'color="#0d47a1"']
        elif level is not None:
            attrs += [f'fillcolor="{_FILL[level]}"', f'color="{_BORDER[level]}"']
        out.append(f"  {_quote(node.id)} [{', '.join(attrs)}];")
    for edge in flow.edges:
        label = f" [label={_quote(' ' + edge.label + ' ')}]" if edge.label else ""
        out.append(f"  {_quote(edge.source)} -> {_quote(edge.target)}{label};")
    out.append("}")
    return "\n".join(out) + "\n"


class CollaborationFlow(DataDirective):
    def render(self) -> list[nodes.Node]:
        model = self.data.municipality.collaboration
        flow = model.flow
        if flow is None:
            return [para(self.t("flow.none"))]
        levels = {s.id: s.level for s in model.steps if s.level_in_plan}  # no colour for an assumed level
        out: list[nodes.Node] = []
        alt = self.t("flow.alt", title=flow.title)
        if shutil.which(self.config.graphviz_dot):
            from sphinx.ext.graphviz import graphviz

            graph = graphviz()
            graph["code"] = flow_dot(flow, levels)
            graph["options"] = {"docname": self.env.docname}
            graph["alt"] = alt
            graph["classes"] = ["flow-chart"]
            figure = nodes.figure(classes=["flow-figure"])
            figure += graph
            caption = self.t("flow.caption", title=flow.title)
            figure += nodes.caption(caption, caption)
            out.append(figure)
        else:
            logger.info("graphviz 'dot' not found: the flow chart is shown as text only", location=self.get_location())
        out.append(self._text_alternative(flow))
        return out

    def _text_alternative(self, flow: Flow) -> nodes.Node:
        """The chart as text: each box in order, with where it leads."""
        names = {n.id: n.label for n in flow.nodes}
        container = nodes.container(classes=["flow-text"])
        container += nodes.rubric(self.t("flow.text.title"), self.t("flow.text.title"))
        steps = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
        for node in flow.nodes:
            if node.outcome:
                continue
            item = nodes.list_item()
            label = para(node.label)
            if node.step and node.step in self.data.steps:
                step = self.data.steps[node.step]
                label += nodes.Text(" (")
                label += ref(step_label(step.id), self.t("flow.text.step", step=step.name))
                label += nodes.Text(")")
            item += label
            outgoing = [e for e in flow.edges if e.source == node.id]
            if outgoing:
                nxt = nodes.bullet_list()
                for edge in outgoing:
                    li = nodes.list_item()
                    target = names[edge.target]
                    if edge.label:
                        li += para(self.t("flow.text.if", condition=edge.label, target=target))
                    else:
                        li += para(self.t("flow.text.then", target=target))
                    nxt += li
                item += nxt
            steps += item
        container += steps
        return container
