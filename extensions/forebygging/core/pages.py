"""The register of handbook pages the engine knows by name, and the labels of the items on them.

One place says which page (docname under ``handbook/``, and the target label at its top where it
has one) shows what, and whether a plan has that page at all: the directives link to these pages,
the optional-page logic excludes the ones a plan has no data for, the catalogue updater reads them
all, and the trace's requirement chapters point at them. No Sphinx: ``make check`` uses it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .data import HandbookData
from .models import MeasureLayout, slugify

Predicate = Callable[[HandbookData], bool]


def has_forums(data: HandbookData) -> bool:
    return data.municipality.meeting_structure is not None


def has_participation(data: HandbookData) -> bool:
    return data.municipality.participation is not None


def has_templates(data: HandbookData) -> bool:
    return bool(data.municipality.templates)


def has_local_part(data: HandbookData) -> bool:
    return data.municipality.local_part is not None


def has_recommendations(data: HandbookData) -> bool:
    return bool(data.municipality.development.recommendations)


def has_indicators(data: HandbookData) -> bool:
    """The local picture page only exists when the plan gives figures: no page of empty headings."""
    return bool(data.municipality.indicators)


def organised_by_factor(data: HandbookData) -> bool:
    """The plan presents its measures per protective factor (and so gets the matrix page)."""
    return data.plan.measures_by is MeasureLayout.BESKYTTELSESFAKTOR


@dataclass(frozen=True)
class Page:
    """A page of ``handbook/`` the engine refers to by name."""

    docname: str
    """Relative to ``handbook/``, without suffix."""
    label: str | None = None
    """The target at the top of the page (``(label)=``), where the page has one."""
    shown: Predicate | None = None
    """Does the plan have what the page shows; None: every plan has the page."""

    @property
    def optional(self) -> bool:
        return self.shown is not None

    def exists(self, data: HandbookData) -> bool:
        """Is the page part of this plan's handbook."""
        return self.shown is None or self.shown(data)


ABOUT = Page("om-planen", "om-planen")
MEASURES = Page("tiltak")
SERVICES = Page("tjenester")
COLLABORATION = Page("samhandlingsmodell")
GAPS = Page("mangler", "mangler")
REPORT = Page("rapport", "rapport")
CONCERN = Page("bekymret", "bekymret")
GUIDE = Page("hva-gjor-jeg-na", "hva-gjor-jeg-na")
NEW_STAFF = Page("ny-ansatt", "ny-ansatt")
FORUMS = Page("motestruktur", shown=has_forums)
PARTICIPATION = Page("brukermedvirkning", shown=has_participation)
TEMPLATES = Page("maler", shown=has_templates)
LOCAL_PART = Page("lokal-del", shown=has_local_part)
RECOMMENDATIONS = Page("anbefalinger", "anbefalinger", shown=has_recommendations)
INDICATORS = Page("utfordringsbilde", "utfordringsbilde", shown=has_indicators)
FACTOR_MATRIX = Page("beskyttelsesfaktorer-tiltak", "beskyttelsesfaktorer-tiltak", shown=organised_by_factor)

PAGES: tuple[Page, ...] = (
    ABOUT,
    MEASURES,
    SERVICES,
    COLLABORATION,
    GAPS,
    REPORT,
    CONCERN,
    GUIDE,
    NEW_STAFF,
    FORUMS,
    PARTICIPATION,
    TEMPLATES,
    LOCAL_PART,
    RECOMMENDATIONS,
    INDICATORS,
    FACTOR_MATRIX,
)
"""Every registered page; a test checks that each exists in ``handbook/`` with its label."""

OPTIONAL_PAGES: tuple[Page, ...] = tuple(page for page in PAGES if page.optional)


def excluded_pages(data: HandbookData) -> set[str]:
    """Docnames of the optional pages this plan has no data for."""
    return {page.docname for page in OPTIONAL_PAGES if not page.exists(data)}


# --------------------------------------------------------------------------- the catalogue of a large plan

CATALOGUE_SPLIT_AT = 200
"""From this many measures the catalogue page (:data:`MEASURES`) keeps the filter and a short card
per measure, and each level's measures are described in full on a page of their own
(:func:`level_page`). One page of hundreds of full measures is megabytes on a phone, and the
whole of it is read and written again after any edit of one description. The five plans we
know have at most 148 measures; a plan of a whole region has more."""

LEVEL_PAGES_DIR = MEASURES.docname
"""The level pages are generated into ``tiltak/`` (beside the catalogue page ``tiltak``)."""


def catalogue_split(data: HandbookData) -> bool:
    """Whether this plan's measures are described on one page per level (see :data:`CATALOGUE_SPLIT_AT`)."""
    return len(data.municipality.measures) >= CATALOGUE_SPLIT_AT


def level_page(level: str) -> str:
    """The docname of the page with the full descriptions of one level's measures (a split catalogue)."""
    return f"{LEVEL_PAGES_DIR}/{level}"


def measure_page(data: HandbookData, level: str) -> str:
    """The docname of the page that describes a measure of ``level`` in full."""
    return level_page(level) if catalogue_split(data) else MEASURES.docname


# --------------------------------------------------------------------------- labels of items on the pages


def measure_label(measure_id: str) -> str:
    """A measure's full description (on the catalogue page, or on its level's page in a split catalogue)."""
    return f"tiltak-{measure_id}"


def measure_card_label(measure_id: str) -> str:
    """A measure's short card on the catalogue page of a split catalogue."""
    return f"tiltakskort-{measure_id}"


def service_label(service_id: str) -> str:
    return f"tjeneste-{service_id}"


def step_label(step_id: str) -> str:
    return f"samhandling-{step_id}"


def level_label(level: str) -> str:
    return f"niva-{level}"


def duty_label(duty_id: str) -> str:
    return f"plikt-{duty_id}"


def forum_label(forum_id: str) -> str:
    return f"forum-{forum_id}"


def template_label(template_id: str) -> str:
    return f"mal-{template_id}"


def municipality_label(name: str) -> str:
    return f"lokal-del-{slugify(name)}"
