"""Directives of the traceability pages: rules, § 15-1 requirements, matrices, gaps, duty pages, report.

All of them render the one :class:`~forebygging.core.trace.Trace` of the build.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes

from ...core.changes import ChangeReport
from ...core.models import DutyKind, MeasureStatus
from ...core.pages import GAPS, duty_label, measure_label, service_label
from ...core.trace import AGE_BANDS, GAP_GROUPS, LEVELS, GapKind, Trace, need_id
from ...outputs.charts import CHART_DIR, Chart, report_charts
from ...wording import period_text
from ...wording.summary import summary
from ...wording.trace import factor_name, gap_line, group_title, requirement_reason
from ..base import DataDirective
from ..nodes import Cell, bullets, field_list, joined, link, para, ref, table
from ..versions import change_report, previous_version_read
from .needs import duty_need, factor_need
from .state import get_trace


def doc_ref(docname: str, text: str | None = None) -> addnodes.pending_xref:
    """A link to a whole page; its title is used when ``text`` is None. Checked by Sphinx (nitpicky)."""
    node = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget="/" + docname, refexplicit=text is not None
    )
    node += nodes.inline(text or "", text or "")
    return node


def relative_uri(docname: str, target: str) -> str:
    """URI of a file in the output root, relative to the page of ``docname`` (dirhtml not used)."""
    return "../" * docname.count("/") + target


class TraceDirective(DataDirective):
    @property
    def trace(self) -> Trace:
        return get_trace(self.env)

    def duty_ref(self, duty_id: str) -> addnodes.pending_xref:
        return ref(duty_label(duty_id), self.data.duty_citation(self.data.duties[duty_id]))

    def measure_ref(self, measure_id: str) -> addnodes.pending_xref:
        return ref(measure_label(measure_id), self.data.measures[measure_id].name)

    def service_ref(self, service_id: str) -> addnodes.pending_xref:
        return ref(service_label(service_id), self.data.services[service_id].name)

    def level_name(self, level: str) -> str:
        return self.data.levels[level].name

    def measure_list(self, measure_ids: Sequence[str]) -> list[nodes.Node]:
        return joined([self.measure_ref(x) for x in measure_ids])


# --------------------------------------------------------------------------- traceability page


class TraceRules(TraceDirective):
    """The trace rules with their text, and which measures are collaboration measures."""

    def render(self) -> list[nodes.Node]:
        trace = self.trace
        rows: list[list[Cell]] = [
            [r.id, self.t(f"trace.rule.{r.id}.title"), self.t(f"trace.rule.{r.id}.text")] for r in trace.rules
        ]
        out: list[nodes.Node] = [
            table(
                self.t("trace.rules.caption"),
                [self.t("trace.rule"), self.t("trace.rules.name"), self.t("trace.rules.text")],
                rows,
                classes=["trace-rules"],
            )
        ]
        overridable = ", ".join(r.id for r in trace.rules if not r.applies_with_override)
        always = ", ".join(r.id for r in trace.rules if r.applies_with_override)
        out.append(para(self.t("trace.rules.override", rules=overridable, always=always)))
        collab = self.t("trace.rules.collaboration", measures="{}")
        before, _, after = collab.partition("{}")
        out.append(para(before, *self.measure_list(trace.collaboration), after))
        return out


class TraceRequirements(TraceDirective):
    """bvl § 15-1 second paragraph: each requirement and the chapter that answers it."""

    def render(self) -> list[nodes.Node]:
        return [requirements_table(self)]


def requirements_table(d: TraceDirective) -> nodes.table:
    lang = d.config.language or "nb"
    rows: list[list[Cell]] = []
    for req in d.trace.requirements:
        chapter: Cell = [doc_ref(req.doc)] if req.doc and req.page_exists else "–"
        rows.append([req.title, chapter, requirement_reason(req, lang)])
    return table(
        d.t("trace.req.caption"),
        [d.t("trace.req.requirement"), d.t("trace.req.chapter"), d.t("trace.req.status")],
        rows,
        classes=["trace-requirements"],
    )


class TraceFigures(TraceDirective):
    def render(self) -> list[nodes.Node]:
        return [figures_table(self)]


def figures_table(d: TraceDirective) -> nodes.table:
    rows: list[list[Cell]] = [
        [d.t(f"trace.figure.{f.key}"), d.t("trace.figures.value", covered=f.covered, total=f.total), f"{f.percent} %"]
        for f in d.trace.figures
    ]
    return table(
        d.t("trace.figures.caption"),
        [d.t("trace.figures.what"), d.t("trace.figures.covered"), d.t("trace.figures.share")],
        rows,
        classes=["trace-figures"],
    )


class TraceDutyMatrix(TraceDirective):
    """Duty x service: rows are services bound by a samarbeidsplikt, columns the sections."""

    def render(self) -> list[nodes.Node]:
        return duty_matrix(self)


def duty_matrix(d: TraceDirective) -> list[nodes.Node]:
    trace, data = d.trace, d.data
    headers: list[Cell] = [d.t("trace.matrix.service")]
    laws: dict[str, str] = {}
    for x in trace.matrix_duties:
        duty = data.duties[x]
        law = data.laws[duty.law]
        short = law.abbreviation or law.id  # the ids of laws are their customary abbreviations
        laws[short] = law.short_name
        headers.append(
            nodes.abbreviation(
                f"{short} § {duty.section}", f"{short} § {duty.section}", explanation=data.duty_citation(duty)
            )
        )
    rows: list[list[Cell]] = []
    for s in trace.matrix_services:
        row: list[Cell] = [[d.service_ref(s)]]
        for duty in trace.matrix_duties:
            measures = trace.pair_measures.get((s, duty))
            if measures is None:
                row.append(d.t("trace.matrix.unbound"))
            elif measures:
                row.append(str(len(measures)))
            else:
                row.append(nodes.strong(d.t("trace.matrix.missing"), d.t("trace.matrix.missing")))
        rows.append(row)
    out: list[nodes.Node] = [
        # The reader meets the abbreviations in the column heads: their key comes first.
        para(
            d.t("trace.matrix.abbreviations", laws="; ".join(f"{k}: {v}" for k, v in laws.items())),
            classes=["trace-legend", "trace-abbreviations"],
        ),
        table(d.t("trace.matrix.caption"), headers, rows, classes=["trace-matrix"]),  # type: ignore[arg-type]
        para(d.t("trace.matrix.legend"), classes=["trace-legend"]),
    ]
    if trace.unbound_duties:
        text = d.t("trace.matrix.unbound_duties", duties="{}")
        before, _, after = text.partition("{}")
        out.append(para(before, *joined([d.duty_ref(x) for x in trace.unbound_duties]), after))
    return out


class TraceFactorMatrix(TraceDirective):
    """Factors x levels and age groups x levels (KORUS): where the municipality has no measure.

    With ``:needs:`` the factor needs are created here (once in the handbook).
    """

    option_spec: ClassVar[dict[str, Callable[[str], object]]] = {"needs": directives.flag}

    def render(self) -> list[nodes.Node]:
        return factor_matrix(self, create_needs="needs" in self.options)


def factor_matrix(d: TraceDirective, create_needs: bool = False) -> list[nodes.Node]:
    trace, data = d.trace, d.data
    lang = d.config.language or "nb"
    out: list[nodes.Node] = []
    levels = [d.level_name(lv) for lv in LEVELS]
    rows: list[list[Cell]] = []
    factors = sorted(data.national.factors, key=lambda f: (f.kind.value != "risiko", f.number))
    if create_needs:
        for factor in factors:
            out.extend(factor_need(d, factor))
    if not trace.links_factors:
        # An empty 15 x 3 table says one thing many times: the plan links no measure to a factor.
        note = para(d.t("trace.factors.unlinked"))
        if create_needs:
            note.extend(nodes.target("", "", ids=[need_id("factor", f.id)]) for f in factors)
        out.append(note)
    for factor in factors if trace.links_factors else []:
        name = factor_name(data, factor.id, lang)
        first: list[nodes.Node] = [nodes.Text(name)]
        if create_needs:
            first.insert(0, nodes.target("", "", ids=[need_id("factor", factor.id)]))
        row: list[Cell] = [first]
        for level in LEVELS:
            measures = trace.factor_cells[(factor.id, level)]
            row.append(d.measure_list(measures) if measures else d.t("trace.factors.none"))
        rows.append(row)
    if rows:
        out.append(
            table(
                d.t("trace.factors.caption"),
                [d.t("trace.factors.factor"), *levels],
                rows,
                classes=["trace-matrix", "trace-factors"],
            )
        )
        out.append(para(d.t("trace.factors.legend"), classes=["trace-legend"]))
    age_rows: list[list[Cell]] = []
    for band in AGE_BANDS:
        age_rows.append(
            [band.label]
            + [
                d.measure_list(m) if (m := trace.age_cells[(band.label, lv)]) else d.t("trace.factors.none")
                for lv in LEVELS
            ]
        )
    age_rows.append(
        [d.t("trace.ages.none")]
        + [d.measure_list(m) if (m := trace.no_age[lv]) else d.t("trace.factors.none") for lv in LEVELS]
    )
    out.append(
        table(
            d.t("trace.ages.caption"),
            [d.t("trace.ages.group"), *levels],
            age_rows,
            classes=["trace-matrix", "trace-ages"],
        )
    )
    return out


# --------------------------------------------------------------------------- gaps


class TraceGaps(TraceDirective):
    """The gap list, grouped by kind; the same list ``make check`` prints."""

    def render(self) -> list[nodes.Node]:
        return gap_list(self)


REVIEW_SECTION = "rapport-til-vurdering"
"""The id of the report's section on measures due for review (``report-changes``)."""


def gap_list(d: TraceDirective, in_report: bool = False) -> list[nodes.Node]:
    """The findings by weight: a heading per group, a rubric per kind, one line per gap.

    ``in_report``: the measures due for review are listed, with why, in the report's own section
    on changes and reviews; the findings count them and point there instead of listing them twice.
    """
    trace, data = d.trace, d.data
    lang = d.config.language or "nb"
    out: list[nodes.Node] = [
        para(d.t("trace.gaps.intro")),
        para(nodes.strong("", d.t("trace.gaps.total", n=len(trace.gaps)))),
    ]
    for group, kinds in GAP_GROUPS:
        gaps_in_group = trace.gaps_in(group)
        title = f"{group_title(data, group, lang)} ({len(gaps_in_group)})"
        sec = nodes.section(ids=[f"funn-{group}"], classes=["trace-gap-group"])
        sec += nodes.title(title, title)
        out.append(sec)
        if not gaps_in_group:
            sec += para(d.t("trace.gaps.none"))
            continue
        for kind in kinds:
            gaps = trace.gaps_of(kind)
            if not gaps:
                continue
            kind_title = f"{d.t(f'gap.kind.{kind.value}')} ({len(gaps)})"
            sec += nodes.rubric(kind_title, kind_title, classes=["trace-gap-kind"], ids=[f"mangel-{kind.value}"])
            if in_report and kind is GapKind.MEASURE_DUE_FOR_REVIEW:
                title = d.t("report.review.title")
                text = d.t("report.review.pointer", n=len(gaps), section="{}")
                before, _, after = text.partition("{}")
                sec += para(before, nodes.reference("", title, refid=REVIEW_SECTION, internal=True), after)
                continue
            items: list[nodes.Node] = []
            for gap in gaps:
                text = gap_line(data, trace, gap, lang)
                target = _gap_target(d, gap.kind, gap.subject)
                items.append(para(ref(target, text)) if target else para(text))
            lst = bullets(items)
            lst["classes"].append("trace-gaps")
            sec += lst
    return out


def _gap_target(d: TraceDirective, kind: GapKind, subject: str) -> str | None:
    if kind is GapKind.DUTY_WITHOUT_MEASURE:
        return duty_label(subject)
    if kind in (GapKind.SERVICE_WITHOUT_COLLABORATION, GapKind.SERVICE_WITHOUT_MEASURE):
        return service_label(subject)
    if kind in (GapKind.MEASURE_WITHOUT_SERVICE, GapKind.MEASURE_DUE_FOR_REVIEW):
        return measure_label(subject)
    if kind is GapKind.REQUIREMENT_WITHOUT_CHAPTER:
        duty = next(x for x in d.data.national.duties if any(r.id == subject for r in x.requirements))
        return duty_label(duty.id)
    return None


# --------------------------------------------------------------------------- duty pages


class DutyIndex(TraceDirective):
    """The list of duties (on the generated plikter/index page)."""

    def render(self) -> list[nodes.Node]:
        data = self.data
        rows: list[list[Cell]] = []
        for duty in data.national.duties:
            rows.append([[self.duty_ref(duty.id)], duty.title, str(len(self.trace.measures_of(duty.id)))])
        return [
            para(self.t("trace.duties.intro")),
            table(
                self.t("trace.duties.title"),
                [self.t("trace.duty.citation"), self.t("trace.duties.col.title"), self.t("trace.duties.col.measures")],
                rows,
            ),
        ]


class DutyPage(TraceDirective):
    """One duty: what it requires, its lovdata link, the services it binds, the measures that meet it."""

    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        data, trace = self.data, self.trace
        duty = data.duties[self.arguments[0]]
        law = data.laws[duty.law]
        url = data.duty_url(duty)
        citation = data.duty_citation(duty)
        out: list[nodes.Node] = [nodes.rubric(self.t("trace.duty.requires"), self.t("trace.duty.requires"))]
        out.extend(duty_need(self, data, duty))  # the need box holds the summary
        fields: list[tuple[str, Cell | None]] = [
            (self.t("trace.duty.law"), law.full_name),
            (self.t("trace.duty.citation"), citation),
            (self.t("trace.duty.lovdata"), [link(url, url)] if url else None),
            (self.t("trace.duty.binds"), duty.binds),
        ]
        if duty.kind is DutyKind.SAMARBEIDSPLIKT:
            fields.append(
                (self.t("trace.duty.samordning"), self.t("trace.yes" if duty.samordningsplikt else "trace.no"))
            )
        out.append(field_list(fields))

        if duty.requirements:
            out.append(nodes.rubric(self.t("trace.duty.requirements"), self.t("trace.duty.requirements")))
            out.append(requirements_table(self))

        services = [s.id for s in data.municipality.services if duty.id in s.bound_by]
        out.append(nodes.rubric(self.t("trace.duty.services"), self.t("trace.duty.services")))
        # No service linked does not mean nobody is bound: a duty such as the opplysningsplikt
        # binds everyone named under "binds", so the page points there instead of saying "no one".
        if services:
            out.append(bullets([para(self.service_ref(s)) for s in services]))
        elif duty.binds:
            out.append(para(self.t("trace.duty.services.general", binds=self.t("trace.duty.binds"))))
        else:
            out.append(para(self.t("trace.duty.services.none")))

        out.append(nodes.rubric(self.t("trace.duty.measures"), self.t("trace.duty.measures")))
        fulfilments = [f for f in trace.fulfilments if f.duty == duty.id]
        if fulfilments:
            rows: list[list[Cell]] = []
            for f in fulfilments:
                m = data.measures[f.measure]
                rows.append(
                    [
                        [self.measure_ref(m.id)],
                        self.level_name(m.level),
                        joined([self.service_ref(s) for s in m.responsible]),
                        self.t("trace.rule.plan") if f.source == "plan" else f.source,
                    ]
                )
            out.append(
                table(
                    self.t("trace.duty.measures.caption", citation=citation, n=len(fulfilments)),
                    [self.t("measure.name"), self.t("step.level"), self.t("measure.responsible"), self.t("trace.rule")],
                    rows,
                )
            )
        elif duty.id in trace.traced_duties:
            out.append(para(self.t("trace.duty.measures.none")))
            text = self.t("trace.duty.measures.gap", page="{}")
            before, _, after = text.partition("{}")
            out.append(para(before, doc_ref(GAPS.docname), after))
        else:
            out.append(para(self.t("trace.duty.untraced")))

        if duty.kind in (DutyKind.SAMARBEIDSPLIKT, DutyKind.KOORDINERING) and (fulfilments or services):
            out.extend(self._flow(duty.id, citation))
        return out

    def _flow(self, duty_id: str, citation: str) -> list[nodes.Node]:
        """A graphviz needflow (SVG) of the duty, the measures that fulfil it and the services it binds."""
        alt = self.t("trace.duty.flow.alt", citation=citation).replace('"', "").replace("<", "").replace("&", "og")
        lines = [
            "```{needflow}",
            f":root_id: {need_id('duty', duty_id)}",
            ":root_direction: incoming",
            ":root_depth: 1",
            ":link_types: fulfils;bound_by",
            ":types: duty;measure;service",
            ":direction: LR",
            f":alt: {alt}",
            "```",
        ]
        container = nodes.container(classes=["trace-flow"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        return [container]


# --------------------------------------------------------------------------- council report


class ReportPart(TraceDirective):
    """A part of the council report. The parts are separate directives so the page can put the
    story in a reader's order (summary, findings, changes and reviews) and the tables behind it last."""

    @property
    def lang(self) -> str:
        return self.config.language or "nb"

    @property
    def charts(self) -> dict[str, Chart]:
        return {c.name: c for c in report_charts(self.data, self.trace, self.lang)}

    def sections(self, parts: list[tuple[str, list[nodes.Node]]]) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for key, content in parts:
            title = self.t(f"report.section.{key}" + (".no_status" if key == "levels" and not self._statuses() else ""))
            sec = nodes.section(ids=[f"rapport-{key}"])
            sec += nodes.title(title, title)
            sec.extend(content)
            out.append(sec)
        return out

    def _chart(self, chart: Chart | None) -> list[nodes.Node]:
        """A chart as a figure: the SVG written at build-finished, its text alternative, its title."""
        if chart is None:
            return []
        src = relative_uri(self.env.docname, f"{CHART_DIR}/{chart.file_name(self.data.slug)}")
        markup = (
            f'<figure class="trace-chart" id="figur-{chart.name}">'
            f"<figcaption>{html.escape(chart.title)}</figcaption>"
            f'<img src="{html.escape(src)}" alt="{html.escape(chart.alt)}"></figure>'
        )
        return [nodes.raw("", markup, format="html")]

    def _changes(self) -> ChangeReport | None:
        """The changes since the newest earlier tagged version, or None when there is none."""
        before = previous_version_read(self.data)
        if before is None:
            return None
        return change_report(self.env, self.data, before)

    def _statuses(self) -> list[MeasureStatus | None]:
        """The status columns: none when the plan gives no measure a status (they would all be zero)."""
        if not any(m.status for m in self.data.municipality.measures):
            return []
        return [*MeasureStatus, None]

    def _levels(self) -> nodes.table:
        measures = self.data.municipality.measures
        statuses = self._statuses()
        headers = [self.t("trace.levels.level")]
        headers += [s.value.capitalize() if s else self.t("measure.status.none") for s in statuses]
        headers.append(self.t("trace.levels.total"))
        rows: list[list[Cell]] = []
        for level in LEVELS:
            at = [m for m in measures if m.level == level]
            rows.append(
                [self.level_name(level), *[str(sum(1 for m in at if m.status == s)) for s in statuses], str(len(at))]
            )
        rows.append(
            [
                self.t("trace.levels.total"),
                *[str(sum(1 for m in measures if m.status == s)) for s in statuses],
                str(len(measures)),
            ]
        )
        caption = self.t("trace.levels.caption" if statuses else "trace.levels.caption.no_status")
        return table(caption, headers, rows, classes=["trace-levels"])


class ReportSummary(ReportPart):
    """The report's opening: the PDF link, the «Sammendrag» with the pyramid, the plan's metadata."""

    def render(self) -> list[nodes.Node]:
        from ...outputs.report import pdf_name

        data = self.data
        plan = data.plan
        doc = self.env.docname
        out: list[nodes.Node] = []
        pdf = relative_uri(doc, pdf_name(data.slug))
        out.append(
            para(
                nodes.reference("", self.t("report.pdf"), refuri=pdf, internal=True),
                " ",
                self.t("report.pdf.note"),
                classes=["trace-report-pdf"],
            )
        )
        summary_section = nodes.section(ids=["rapport-sammendrag"])
        summary_section += nodes.title(self.t("summary.title"), self.t("summary.title"))
        summary_section.extend(para(sentence) for sentence in summary(data, self.trace, self._changes(), self.lang))
        summary_section += self._chart(self.charts.get("tiltak-per-niva"))
        out.append(summary_section)
        period = period_text(plan.period.start, plan.period.end, self.t)
        adoption = (
            self.t("plan.adopted.text", body=plan.adoption.body, date=plan.adoption.date.strftime("%d.%m.%Y"))
            if plan.adoption.date
            else self.t("plan.adopted.blank")
        )
        out.append(
            field_list(
                [
                    (self.t("plan.municipalities"), ", ".join(plan.municipalities)),
                    (self.t("plan.period"), period),
                    (self.t("plan.version"), plan.version),
                    (self.t("plan.status"), self.t(f"status.{plan.status.value}")),
                    (self.t("plan.adopted"), adoption),
                ]
            )
        )
        return out


class ReportFindings(ReportPart):
    """Coverage and the findings by weight: what a council member reads after the summary."""

    def render(self) -> list[nodes.Node]:
        charts = self.charts
        return self.sections(
            [
                ("figures", [*self._chart(charts.get("dekning")), figures_table(self), requirements_table(self)]),
                ("gaps", gap_list(self, in_report=True)),
            ]
        )


class ReportDetails(ReportPart):
    """The tables behind the findings: duty x service, factors and ages, measures by level."""

    def render(self) -> list[nodes.Node]:
        return self.sections(
            [
                ("duties", [*self._chart(self.charts.get("plikt-tjeneste")), *duty_matrix(self)]),
                ("factors", factor_matrix(self)),
                ("levels", [self._levels()]),
            ]
        )


DIRECTIVES = {
    "trace-rules": TraceRules,
    "trace-requirements": TraceRequirements,
    "trace-figures": TraceFigures,
    "trace-duty-matrix": TraceDutyMatrix,
    "trace-factor-matrix": TraceFactorMatrix,
    "trace-gaps": TraceGaps,
    "report-summary": ReportSummary,
    "report-findings": ReportFindings,
    "report-details": ReportDetails,
    "duty-index": DutyIndex,
    "duty-page": DutyPage,
}
