"""``meeting-structure``: the plan's standing meetings and forums (møtestruktur), one section each.

Forums are optional data (``meeting_structure.yaml``): a plan without them has no page
``motestruktur`` at all (``core.pages.FORUMS``). Every label a forum
does not have is left out, so a forum the plan only names (Bamble's kommunestyret) shows
its name and remit and nothing empty.
"""

from __future__ import annotations

from docutils import nodes

from ...core.models import Forum, ForumParticipant
from ...core.pages import forum_label, service_label
from ..base import DataDirective
from ..nodes import bullets, field_list, para, points, ref, section, table

RESPONSIBILITIES: tuple[str, ...] = ("convenes", "chairs", "minutes_by")
"""A forum's duties in the plan's order: innkalling, møteledelse, referat."""


class MeetingStructureDirective(DataDirective):
    def render(self) -> list[nodes.Node]:
        structure = self.data.municipality.meeting_structure
        if structure is None:
            return []
        out: list[nodes.Node] = []
        if structure.introduction:
            out.append(para(structure.introduction))
        forums = structure.forums
        out.append(self._overview(forums))
        out.extend(self._forum(f) for f in forums)
        if structure.closing:
            out.append(para(structure.closing))
        if structure.source:
            out.append(para(self.t("forum.source", source=structure.source), classes=["forum-source"]))
        return out

    def _overview(self, forums: list[Forum]) -> nodes.table:
        """One row per forum; a column only where some forum has a value, so no column is all blanks."""
        columns = [
            (self.t("forum.name"), lambda f: [ref(forum_label(f.id), f.name)]),
            (self.t("forum.tier"), lambda f: self._tier(f) or "–") if any(f.tier for f in forums) else None,
            (self.t("forum.scope"), lambda f: self.t(f"forum.scope.{f.scope.value}")),
            (self.t("forum.interval"), lambda f: f.interval or "–") if any(f.interval for f in forums) else None,
        ]
        kept = [c for c in columns if c is not None]
        rows = [[cell(f) for _, cell in kept] for f in forums]
        return table(self.t("forum.caption", n=len(forums)), [name for name, _ in kept], rows)

    def _tier(self, forum: Forum) -> str | None:
        return str(forum.tier) if forum.tier is not None else None

    def _forum(self, forum: Forum) -> nodes.section:
        sec = section(self.state.document, forum.name, forum_label(forum.id))
        sec["classes"].append("forum")
        sec += para(forum.description)
        service = [ref(service_label(forum.service), self.data.services[forum.service].name)] if forum.service else None
        fields: list[tuple[str, object]] = [
            (self.t("forum.tier"), self._tier(forum)),
            (self.t("forum.scope"), self.t(f"forum.scope.{forum.scope.value}")),
            (self.t("forum.interval"), forum.interval),
            *self._responsibilities(forum),
            (self.t("forum.service"), service),
        ]
        sec += field_list(fields)
        if forum.participants:
            sec += nodes.rubric(self.t("forum.participants"), self.t("forum.participants"))
            sec += bullets([self._participant(p) for p in forum.participants])
        if forum.content:
            sec += nodes.rubric(self.t("forum.content"), self.t("forum.content"))
            sec += points(forum.content)
        if forum.consent:
            sec += nodes.rubric(self.t("forum.consent"), self.t("forum.consent"))
            sec += para(forum.consent)
        return sec

    def _responsibilities(self, forum: Forum) -> list[tuple[str, str]]:
        """Who convenes, chairs and writes minutes; duties held by the same role share one line, as in the plan."""
        by_holder: dict[str, list[str]] = {}
        for duty in RESPONSIBILITIES:
            holder = getattr(forum, duty)
            if holder:
                by_holder.setdefault(holder, []).append(self.t(f"forum.duty.{duty}"))
        out = []
        for holder, duties in by_holder.items():
            named = duties[0] if len(duties) == 1 else f"{', '.join(duties[:-1])} {self.t('forum.and')} {duties[-1]}"
            out.append((self.t("forum.responsible", duties=named), holder))
        return out

    def _participant(self, p: ForumParticipant) -> nodes.paragraph:
        role: str | nodes.Node = ref(service_label(p.service), p.role) if p.service else p.role
        return para(role, f" ({p.note})") if p.note else para(role)
