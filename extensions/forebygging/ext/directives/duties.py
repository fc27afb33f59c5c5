"""``duty-list``: national duties of some kinds, each cited with its lovdata link (``:kind: a, b``).

Used by the knowledge pages on samarbeidsplikt, taushetsplikt and barnets beste, so the
sections, titles and links are never typed into a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from docutils import nodes

from ...core.models import Duty, DutyKind
from ..base import DataDirective
from ..nodes import link, para, table
from .exercises import optional_ref


def _kinds(argument: str) -> list[str]:
    known = {k.value for k in DutyKind}
    kinds = [part.strip() for part in (argument or "").split(",") if part.strip()]
    unknown = [k for k in kinds if k not in known]
    if unknown or not kinds:
        raise ValueError(f"unknown duty kind(s) {unknown}; known: {sorted(known)}")
    return kinds


class DutyList(DataDirective):
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {
        "kind": _kinds,
        "statute": lambda arg: True,
        "samordning": lambda arg: True,
    }

    def render(self) -> list[nodes.Node]:
        kinds = self.options.get("kind") or [k.value for k in DutyKind]
        duties = [d for d in self.data.national.duties if d.kind.value in kinds]
        if not duties:
            return []
        headers = [self.t("duty.citation"), self.t("duty.title"), self.t("duty.summary")]
        with_samordning = "samordning" in self.options
        if with_samordning:
            headers.append(self.t("duty.samordning"))
        rows = []
        for duty in duties:
            # The duty's own page (traceability work) where it exists: label plikt-<id>.
            title = [optional_ref(f"plikt-{duty.id}", duty.title, duty.title)]
            row = [self._citation(duty), title, self._summary(duty)]
            if with_samordning:
                row.append(self.t("duty.yes") if duty.samordningsplikt else self.t("duty.no"))
            rows.append(row)
        caption = self.t("duty.caption", n=len(duties))
        return [table(caption, headers, rows, classes=["duty-table"])]

    def _citation(self, duty: Duty) -> list[nodes.Node]:
        citation = self.data.duty_citation(duty)
        url = self.data.duty_url(duty)
        return [link(url, citation)] if url else [nodes.Text(citation)]

    def _summary(self, duty: Duty) -> nodes.Node | str:
        if "statute" not in self.options or not duty.statute_text:
            return duty.summary
        container = nodes.container()
        container += para(duty.summary)
        quote = nodes.block_quote()
        quote += para(duty.statute_text)
        container += quote
        return container
