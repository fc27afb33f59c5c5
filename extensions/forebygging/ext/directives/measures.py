"""``measure-catalogue``: every measure, grouped by level, with target group, status and responsible services.

A plan with many measures (:data:`~forebygging.core.pages.CATALOGUE_SPLIT_AT`) gets a split
catalogue: the catalogue page keeps the filter, the overview tables and a short card per
measure, and ``measure-level`` describes one level's measures in full on a generated page
``tiltak/<level>``. An edit of one description then reads and writes one level's page again,
not every measure of the plan.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config

from ...core.data import HandbookData
from ...core.models import Level, LevelInfo, Measure
from ...core.pages import (
    FACTOR_MATRIX,
    LEVEL_PAGES_DIR,
    catalogue_split,
    level_label,
    level_page,
    measure_card_label,
    measure_label,
    organised_by_factor,
    service_label,
)
from ...core.pages import MEASURES as CATALOGUE_PAGE
from ...wording import lookup
from ..base import DataDirective
from ..data import get_data
from ..nodes import bullets, field_list, joined, para, ref, section, strong, table
from ..trace.directives import doc_ref
from ..trace.hooks import catalogue_downloads, measure_trace
from .catalogue_filter import GROUP, MEASURES, filter_box, item_marker
from .factor_matrix import plan_level_label


class MeasureCatalogue(DataDirective):
    def render(self) -> list[nodes.Node]:
        data = self.data
        if not data.municipality.measures:
            return self._no_measures()  # say so plainly, no empty level sections
        out: list[nodes.Node] = []
        if not data.plan.measure_table:  # the plan names measures in its text only: say so first
            out.append(para(strong(self.t("catalogue.no_table")), classes=["catalogue-no-table"]))
            if any(not m.level_in_plan for m in data.municipality.measures):
                out.append(para(self.t("catalogue.no_table.reading")))
        # The filter first: on a phone it is what the reader reaches for.
        levels = [(level.id, level.name) for level in data.national.levels]
        with_ages = any(m.ages for m in data.municipality.measures)
        out.append(filter_box(self, MEASURES, levels, with_ages))
        if organised_by_factor(data):  # the plan's own view, factor × level
            text = self.t("catalogue.by_factor", page="{}")
            before, _, after = text.partition("{}")
            out.append(para(before, doc_ref(FACTOR_MATRIX.docname), after))
        # A status column where the plan gives none would repeat "not stated" on every row.
        with_status = any(m.status or m.status_note for m in data.municipality.measures)
        if not with_status:
            out.append(para(self.t("catalogue.no_status")))
        split = catalogue_split(data)
        if split:
            out.append(para(self.t("catalogue.split")))
        for level in data.national.levels:
            measures = [m for m in data.municipality.measures if m.level == level.id]
            sec = section(self.state.document, level.name, level_label(level.id))
            sec["classes"] += [f"level-{level.id}", GROUP]
            sec += para(level.for_whom)
            if not measures:
                sec += para(self.t("catalogue.none"))
                out.append(sec)
                continue
            if split:
                sec += para(doc_ref(level_page(level.id), self.t("catalogue.level_page.link", level=level.name)))
            # The rows link to the cards below: the filter hides the row with its card.
            label = measure_card_label if split else measure_label
            headers = [self.t("measure.name"), self.t("measure.target"), self.t("measure.responsible")]
            rows = [[[ref(label(m.id), m.name)], m.target_group, self._responsible(m)] for m in measures]
            if with_status:
                headers.append(self.t("measure.status"))
                for row, m in zip(rows, measures, strict=True):
                    row.append(self._status(m))
            caption = self.t("catalogue.summary.caption", level=level.name.lower(), n=len(measures))
            # The overview table is for wide screens; on a phone the cards below are the list.
            sec += table(caption, headers, rows, classes=["catalogue-summary"])
            for m in measures:
                sec += self._card(m) if split else self._measure(m)
            out.append(sec)
        if split:  # the level pages, in the navigation under the catalogue
            out.append(_hidden_toctree(self.env.docname, [level_page(lv.id) for lv in levels_with_measures(data)]))
        # CSV and XLSX of the catalogue in a last section of their own: on a phone the filter leads
        # straight to the measures, and the downloads are for office work.
        downloads = section(self.state.document, self.t("export.section"), "last-ned")
        downloads += catalogue_downloads(self)
        out.append(downloads)
        return out

    def _responsible(self, m: Measure) -> list[nodes.Node]:
        services = self.data.services
        parts: list[nodes.Node | str] = [ref(service_label(s), services[s].name) for s in m.responsible]
        if m.responsible_note:  # what the plan says where no service fits, e.g. «Felles ansvar»
            parts.append(m.responsible_note)
        return joined(parts)

    def _no_measures(self) -> list[nodes.Node]:
        """A plan without a measure table: say so, and show the plan's examples per level, if any."""
        out: list[nodes.Node] = [para(strong(self.t("catalogue.empty")), classes=["catalogue-empty"])]
        steps = [s for s in self.data.municipality.collaboration.steps if s.examples]
        if steps:
            out.append(para(self.t("catalogue.examples.intro")))
            items: list[nodes.Node] = []
            for step in steps:
                label = self.t(
                    "catalogue.examples.level",
                    label=plan_level_label(self.data, step.level),
                    level=self.data.levels[step.level].name.lower(),
                )
                item = nodes.container(classes=[f"level-{step.level}"])
                item += para(strong(label))
                item += bullets(step.examples)
                items.append(item)
            out.append(bullets(items))
        return out

    def _status(self, m: Measure) -> str:
        """The status, with the plan's own status text where the status list cannot hold it."""
        status = m.status.value.capitalize() if m.status else None
        if status and m.status_note:
            return self.t("measure.status.with_note", status=status, note=m.status_note)
        return status or m.status_note or self.t("measure.status.none")

    def _measure(self, m: Measure) -> nodes.section:
        """The measure in full: description, fields, and the duties it fulfils (its need)."""
        sec = self._card_head(m, measure_label(m.id))
        sec += para(m.description)
        sec += self._fields(m)
        sec += measure_trace(self, m)  # need, anchor, duties fulfilled
        return sec

    def _card(self, m: Measure) -> nodes.section:
        """The short card of a split catalogue: what the filter and a reader in a hurry need, and
        a link to the full description. No description: editing one reads this page again never."""
        sec = self._card_head(m, measure_card_label(m.id))
        sec += self._fields(m)
        sec += para(ref(measure_label(m.id), self.t("catalogue.card.more", name=m.name)), classes=["measure-more"])
        return sec

    def _card_head(self, m: Measure, label: str) -> nodes.section:
        sec = section(self.state.document, m.name, label)
        sec["classes"].append("measure")
        services = self.data.services
        words = [m.name, m.target_group, *(services[s].name for s in m.responsible), m.responsible_note or ""]
        sec += item_marker(words, m.level, m.ages)
        if m.example:  # the plan names it only as an example of its level
            sec["classes"].append("measure-example")
            sec += para(strong(self.t("measure.example")), " – ", self.t("measure.example.text"), classes=["example"])
        return sec

    def _fields(self, m: Measure) -> nodes.field_list:
        level = self.data.levels[m.level].name
        # Said, not left out: a measure without an age range does not fit every age.
        ages = self.t("measure.ages.value", min=m.ages.min, max=m.ages.max) if m.ages else self.t("measure.ages.none")
        return field_list(
            [
                (self.t("measure.level"), None if m.level_in_plan else self.t("measure.level.reading", level=level)),
                (self.t("measure.target"), m.target_group),
                (self.t("measure.ages"), ages),
                (self.t("measure.responsible"), self._responsible(m)),
                (self.t("measure.status"), self._status(m) if m.status or m.status_note else None),
            ]
        )


class MeasureLevel(MeasureCatalogue):
    """``measure-level <level>``: one level's measures in full, on its page of a split catalogue."""

    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        level = Level(self.arguments[0])
        info = self.data.levels[level]
        box = nodes.container(classes=[f"level-{level}", "measure-level"])
        box += para(info.for_whom)
        box += para(doc_ref(CATALOGUE_PAGE.docname, self.t("catalogue.level_page.back")))
        for m in (m for m in self.data.municipality.measures if m.level == level):
            box += self._measure(m)
        return [box]


def levels_with_measures(data: HandbookData) -> list[LevelInfo]:
    """The levels that have measures: each gets a page in a split catalogue."""
    used = {m.level for m in data.municipality.measures}
    return [level for level in data.national.levels if level.id in used]


def _hidden_toctree(parent: str, docnames: list[str]) -> nodes.compound:
    """A hidden table of contents, as the ``toctree`` directive makes it: the pages join the navigation."""
    toc = addnodes.toctree()
    toc["parent"] = parent
    toc["entries"] = [(None, doc) for doc in docnames]
    toc["includefiles"] = list(docnames)
    toc["maxdepth"] = -1
    toc["caption"] = None
    toc["glob"] = False
    toc["hidden"] = True
    toc["includehidden"] = False
    toc["numbered"] = 0
    toc["titlesonly"] = False
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    wrapper += toc
    return wrapper


# --------------------------------------------------------------------------- the generated level pages

STUB_MARK = "% Generated by forebygging.ext.directives.measures from the plan's measures; do not edit."


def level_stub_texts(data: HandbookData, lang: str) -> dict[str, str]:
    """File name -> MyST text of every generated page in ``tiltak/`` (none unless the catalogue is split)."""
    if not catalogue_split(data):
        return {}
    return {
        f"{level.id}.md": f"{STUB_MARK}\n\n# {lookup(lang, 'catalogue.level_page.title', level=level.name)}\n\n"
        f"```{{measure-level}} {level.id}\n```\n"
        for level in levels_with_measures(data)
    }


def write_level_stubs(srcdir: Path, data: HandbookData, lang: str) -> None:
    """Keep ``tiltak/`` in the source copy as the data wants it; unchanged files keep their time."""
    target = srcdir / LEVEL_PAGES_DIR
    wanted = level_stub_texts(data, lang)
    if wanted:
        target.mkdir(exist_ok=True)
    for name, text in wanted.items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for path in target.glob("*.md") if target.is_dir() else ():
        if path.name not in wanted and path.read_text(encoding="utf-8").startswith(STUB_MARK):
            path.unlink()


def _on_config_inited(app: Sphinx, config: Config) -> None:
    write_level_stubs(Path(app.srcdir), get_data(config), config.language or "nb")


def setup_measures(app: Sphinx) -> None:
    app.connect("config-inited", _on_config_inited, priority=150)  # after the data is loaded
