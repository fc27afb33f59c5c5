"""``strengths``, ``needs-actions``, ``long-term-changes`` and ``implementation-duties`` (development.yaml).

The plan's closing chapters: what works, what is missing and what is proposed, the
long-term changes, and who must do what to put the plan into practice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ..base import DataDirective
from ..nodes import bullets, para, points, section, table


class Strengths(DataDirective):
    def render(self) -> list[nodes.Node]:
        strengths = self.data.municipality.development.strengths
        return [bullets(strengths)] if strengths else [para(self.t("development.none"))]


class NeedsActions(DataDirective):
    """Each need the plan found, with its proposed actions, as a section of its own."""

    def render(self) -> list[nodes.Node]:
        needs = sorted(self.data.municipality.development.needs, key=lambda n: n.number)
        if not needs:
            return [para(self.t("development.none"))]
        out: list[nodes.Node] = []
        for need in needs:
            sec = section(self.state.document, f"{need.number}. {need.title}", f"planbehov-{need.id}")
            sec["classes"].append("need")
            sec += nodes.rubric(self.t("need.need"), self.t("need.need"))
            sec += para(need.need)
            sec += nodes.rubric(self.t("need.actions"), self.t("need.actions"))
            sec += points(need.actions)
            if need.done:
                sec += para(nodes.strong(self.t("need.done"), self.t("need.done")), classes=["need-done"])
            out.append(sec)
        return out


class LongTermChanges(DataDirective):
    def render(self) -> list[nodes.Node]:
        changes = self.data.municipality.development.long_term_changes
        if not changes:
            return [para(self.t("development.none"))]
        out: list[nodes.Node] = []
        for change in changes:
            sec = section(self.state.document, change.title, f"langsiktig-{change.id}")
            sec += para(change.description)
            if change.points:
                sec += bullets(change.points)
            out.append(sec)
        return out


class ImplementationDuties(DataDirective):
    """The implementation duties as a table; ``:checklist:`` adds an empty column to tick off on paper."""

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "checklist": directives.flag,
        "frequency": directives.unchanged,
    }

    def render(self) -> list[nodes.Node]:
        duties = sorted(self.data.municipality.development.implementation, key=lambda d: d.number)
        wanted = self.options.get("frequency")
        if wanted:
            duties = [d for d in duties if d.frequency == wanted] or duties
        if not duties:
            return [para(self.t("development.none"))]
        headers = [self.t("impl.number"), self.t("impl.responsible"), self.t("impl.duty"), self.t("impl.frequency")]
        rows = [[str(d.number), d.responsible, d.duty, d.frequency or "–"] for d in duties]
        checklist = "checklist" in self.options
        if checklist:
            headers.append(self.t("impl.done"))
            for row in rows:
                row.append("☐")
        caption = self.t("impl.caption.checklist" if checklist else "impl.caption")
        return [table(caption, headers, rows, classes=["implementation-table", *(["checklist"] if checklist else [])])]
