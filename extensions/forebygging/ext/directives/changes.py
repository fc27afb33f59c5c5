"""``change-report``: "Endringer fra <a> til <b>", computed from the data of two plan versions.

By default it compares the newest tagged version older than the working tree with the
working tree; ``:from:`` and ``:to:`` name other versions (git tags ``plan/<slug>/<v>``).

``report-changes`` is the council report's section on the same story: what changed since the
previous version (or plainly that there is none to compare with) and which measures are due
for their yearly review, and why. It stands after the summary and the findings, before the
tables, because a council member asks "what is new, and what must we look at" right after
"what is met and what is missing".
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives

from ...core.changes import Added, ChangeReport, ItemChange, ReviewFlag
from ...core.pages import measure_label, service_label
from ...core.trace import Gap, GapKind, due_for_review, review_reference
from ...wording.trace import gap_line
from ..base import DataDirective
from ..nodes import bullets, para, ref, section, table
from ..trace.directives import REVIEW_SECTION
from ..trace.state import get_trace
from ..versions import change_report, previous_version_read


class ChangeReportDirective(DataDirective):
    option_spec: ClassVar[dict[str, Any]] = {
        "from": directives.unchanged,
        "to": directives.unchanged,
        "prefix": directives.unchanged,  # label prefix, when the report stands on more than one page
    }

    def render(self) -> list[nodes.Node]:
        data = self.data
        before = self.options.get("from") or previous_version_read(data)
        if before is None:
            return [para(self.t("changes.none"))]
        after = self.options.get("to")
        report = change_report(self.env, data, before, after)
        return self._render(report)

    def _render(self, report: ChangeReport, prefix: str | None = None) -> list[nodes.Node]:
        doc = self.state.document
        prefix = prefix or self.options.get("prefix", "endringer")
        sec = section(doc, self.t("changes.title", before=report.before, after=report.after), f"{prefix}-rapport")
        sec += para(self.t("changes.intro"))
        if report.empty:
            sec += para(self.t("changes.nothing"))
        current = self.data
        for key, items, label in (
            ("changes.measures.added", report.measures_added, measure_label),
            ("changes.measures.removed", report.measures_removed, None),
            ("changes.services.added", report.services_added, service_label),
            ("changes.services.removed", report.services_removed, None),
        ):
            if items:
                sub = section(doc, self.t(key), f"{prefix}-{key.split('.', 1)[1].replace('.', '-')}")
                sub += bullets([self._item(i, label) for i in items])
                sec += sub
        for key, changes, label in (
            ("changes.measures.changed", report.measures_changed, measure_label),
            ("changes.services.changed", report.services_changed, service_label),
            ("changes.duties.changed", report.duties_changed, None),
        ):
            if changes:
                sub = section(doc, self.t(key), f"{prefix}-{key.split('.', 1)[1].replace('.', '-')}")
                for change in changes:
                    sub += self._change_table(change, label)
                sec += sub
        if report.coverage:
            sub = section(doc, self.t("changes.coverage"), f"{prefix}-dekning")
            # Only the duties whose count changed: thirteen unchanged rows hide the one that did.
            rows = [
                [current.duty_citation(current.duties[c.duty]), str(c.before), str(c.after)]
                for c in report.coverage
                if c.duty in current.duties and c.before != c.after
            ]
            if rows:
                sub += table(
                    self.t("changes.coverage.caption", before=report.before, after=report.after),
                    [self.t("changes.coverage.duty"), report.before, report.after],
                    rows,
                )
            else:
                sub += para(self.t("changes.coverage.same", n=len(report.coverage)))
            sec += sub
        for key, gaps, side in (
            ("changes.gaps.opened", report.gaps_opened, 1),
            ("changes.gaps.closed", report.gaps_closed, 0),
        ):
            if gaps:
                sub = section(doc, self.t(key), f"{prefix}-{key.split('.', 1)[1].replace('.', '-')}")
                sub += bullets([self._gap(g, report, side) for g in gaps])
                sec += sub
        if report.review:
            sub = section(doc, self.t("changes.review"), f"{prefix}-til-vurdering")
            sub += para(self.t("changes.review.intro"))
            sub += bullets(
                [
                    para(
                        ref((measure_label if f.kind == "measure" else service_label)(f.id), f.name),
                        f" – {self._because(f)}",
                    )
                    for f in report.review
                ]
            )
            sec += sub
        return [sec]

    def _because(self, flag: ReviewFlag) -> str:
        fields = ", ".join(self.t(f"changes.field.{f}").lower() for f in flag.fields)
        return self.t(f"changes.because.{flag.because}", subject=flag.subject, fields=fields)

    def _item(self, item: Added, label: Any) -> nodes.paragraph:
        return para(ref(label(item.id), item.name)) if label else para(item.name)

    def _change_table(self, change: ItemChange, label: Any) -> nodes.Node:
        container = nodes.container()
        container += para(ref(label(change.id), change.name)) if label else para(change.name)
        container += table(
            change.name,
            [self.t("changes.field"), self.t("changes.before"), self.t("changes.after")],
            [
                [self.t(f"changes.field.{f.field}"), self._show(f.before, f.field), self._show(f.after, f.field)]
                for f in change.fields
            ],
        )
        return container

    def _name(self, field_name: str, value: str) -> str:
        """A level, service or duty by the name a reader knows, not its id; one gone from today's data
        (a removed service) keeps its id, as nothing else names it."""
        data = self.data
        if field_name == "level" and value in data.levels:
            return data.levels[value].name
        if field_name in ("responsible", "part_of") and value in data.services:
            return data.services[value].name
        if field_name == "bound_by" and value in data.duties:
            return data.duty_citation(data.duties[value])
        return value

    def _show(self, value: Any, field_name: str = "") -> str:
        if value is None or value == [] or value == "":
            return self.t("changes.empty_value")
        if isinstance(value, list):
            return ", ".join(self._name(field_name, str(v)) for v in value)
        if isinstance(value, str):
            return self._name(field_name, value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {v}" for k, v in value.items())
        return str(value)

    def _gap(self, gap: Gap, report: ChangeReport, side: int) -> str:
        """A gap in the same words as the findings, read in the version that has it (a closed gap's
        measure may be gone from today's data); never its internal kind and id."""
        if report.sides is None:  # a report built by hand, without the versions it compares
            level = f" ({gap.level})" if gap.level else ""
            return f"{self.t(f'gap.kind.{gap.kind.value}')}: {gap.subject}{level}"
        data, trace = report.sides[side]
        return gap_line(data, trace, gap, self.config.language or "nb")


class ReportChanges(ChangeReportDirective):
    """The council report's section «Endringer og vurdering»: changes since the previous version, then
    the measures ``due_for_review`` gives, each with why."""

    option_spec: ClassVar[dict[str, Any]] = {}
    PREFIX = "rapport-endringer"

    def render(self) -> list[nodes.Node]:
        doc = self.state.document
        data = self.data
        sec = section(doc, self.t("report.section.changes"), self.PREFIX)
        before = previous_version_read(data)
        if before is None:
            sub = section(doc, self.t("report.changes.since"), f"{self.PREFIX}-ingen")
            sub += para(self.t("report.changes.none", version=data.plan.version))
            sec += sub
        else:
            report = change_report(self.env, data, before)
            sec.extend(self._render(report, self.PREFIX))
        sec += self._review()
        return [sec]

    def _review(self) -> nodes.section:
        """The measures due for review: never reviewed, or not within the plan's review cycle."""
        data = self.data
        sub = section(self.state.document, self.t("report.review.title"), REVIEW_SECTION)
        reference = review_reference(data)
        months = data.plan.review_cycle_months
        if reference is None:
            sub += para(self.t("report.review.no_date"))
            return sub
        date = reference.strftime("%d.%m.%Y")
        due = due_for_review(data)
        total = len(data.municipality.measures)
        if not due:
            sub += para(self.t("report.review.none", n=total, months=months, date=date))
            return sub
        sub += para(self.t("report.review.intro", n=len(due), total=total, months=months, date=date))
        trace = get_trace(self.env)
        items = [
            para(ref(measure_label(m.id), gap_line(data, trace, Gap(GapKind.MEASURE_DUE_FOR_REVIEW, m.id), self.lang)))
            for m in due
        ]
        lst = bullets(items)
        lst["classes"].append("report-review")
        sub += lst
        return sub

    @property
    def lang(self) -> str:
        return self.config.language or "nb"
