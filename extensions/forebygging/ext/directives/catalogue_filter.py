"""A filter box for the measure catalogue and the service directory, for reading on a phone.

The catalogue of a large plan is tens of thousands of pixels tall on a phone; a reader looking
for «selective measures for a 4-year-old» needs to narrow it, not scroll it. The directives
write the full list as today (so without JavaScript nothing is lost), plus:

* a filter box, ``hidden`` until ``forebygging-filter.js`` runs and shows it;
* on each item (a measure's or service's section) a hidden marker with what the filter
  matches: the words (name, target group, responsible services), the level and the age range.
  docutils cannot put data attributes on a ``<section>``, so the marker sits inside it;
* the class ``fb-filter-group`` on each section that holds items, hidden when none match.

The script matches in the page only: nothing is stored or sent. It and the card styles are
copied to the output and added to the pages that have a filter box, and to no other page.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from ...core.models import AgeRange
from ..base import DataDirective

STATIC = Path(__file__).resolve().parent / "static"
JS_FILE = "forebygging-filter.js"
CSS_FILE = "forebygging-catalogue.css"
MARKER = "fb-filter-raw"  # class of the raw nodes that need the script (docutils wraps them in a div)
GROUP = "fb-filter-group"  # class of a section whose items the filter may hide all of

AGE_MIN, AGE_MAX = 0, 25  # the bounds of AgeRange in core/models.py

MEASURES = "measures"
SERVICES = "services"


def _attrs(**values: object) -> str:
    """HTML attributes from keyword arguments (``data_fb_x`` -> ``data-fb-x``); None is left out."""
    return "".join(
        f' {name.replace("_", "-")}="{escape(str(value), quote=True)}"'
        for name, value in values.items()
        if value is not None
    )


def filter_box(d: DataDirective, kind: str, levels: Sequence[tuple[str, str]] = (), ages: bool = False) -> nodes.raw:
    """The filter box for a page of ``kind`` (measures or services), hidden until the script runs.

    ``levels`` (value, label) adds a level filter; ``ages`` an age filter, for a plan that gives
    an age range for at least one measure (where it gives none, the filter could only empty the list).
    """
    t = d.t
    label = t(f"filter.{kind}.label")
    messages = _attrs(
        data_msg_all=t(f"filter.{kind}.all", n="{n}"),
        data_msg_some=t(f"filter.{kind}.some", shown="{shown}", total="{total}"),
        data_msg_none=t(f"filter.{kind}.none", total="{total}"),
        data_msg_no_age=t("filter.measures.no_age", n="{n}") if ages else None,
    )
    fields = [
        '<div class="fb-filter__field fb-filter__field--text">'
        f'<label for="fb-filter-text">{escape(label)}</label>'
        '<input type="search" id="fb-filter-text" data-fb-input="text" autocomplete="off" spellcheck="false"'
        ' aria-describedby="fb-filter-text-hint">'
        f'<p class="fb-filter__hint" id="fb-filter-text-hint">{escape(t(f"filter.{kind}.hint"))}</p></div>'
    ]
    if levels:
        options = f'<option value="">{escape(t("filter.level.all"))}</option>' + "".join(
            f"<option{_attrs(value=value)}>{escape(name)}</option>" for value, name in levels
        )
        fields.append(
            '<div class="fb-filter__field">'
            f'<label for="fb-filter-level">{escape(t("filter.level"))}</label>'
            f'<select id="fb-filter-level" data-fb-input="level">{options}</select></div>'
        )
    if ages:
        fields.append(
            '<div class="fb-filter__field fb-filter__field--age">'
            f'<label for="fb-filter-age">{escape(t("filter.age"))}</label>'
            f'<input type="number" id="fb-filter-age" data-fb-input="age" min="{AGE_MIN}" max="{AGE_MAX}"'
            ' step="1" inputmode="numeric"></div>'
        )
    html = (
        f'<div class="fb-filter" role="search"{_attrs(aria_label=label, data_fb_filter=kind)}'
        f"{messages} hidden>"
        f'<div class="fb-filter__fields">{"".join(fields)}</div>'
        f'<div class="fb-filter__footer"><p class="fb-filter__status" role="status" data-fb-status></p>'
        f'<button type="button" class="fb-filter__reset" data-fb-reset>{escape(t("filter.reset"))}</button></div>'
        "</div>"
    )
    # Its labels are furniture, not content: kept out of the search index (Sphinx's no-search class).
    return nodes.raw("", html, format="html", classes=[MARKER, "no-search"])


def item_marker(words: Sequence[str], level: str | None = None, ages: AgeRange | None = None) -> nodes.raw:
    """The hidden marker of one item: the words the text filter matches, its level and age range."""
    html = "<span hidden{}></span>".format(
        _attrs(
            data_fb_item="",
            data_fb_text=" ".join(w for w in words if w),
            data_fb_level=level,
            data_fb_age_min=ages.min if ages else None,
            data_fb_age_max=ages.max if ages else None,
        )
    )
    return nodes.raw("", html, format="html", classes=[MARKER])


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None) -> None:
    """The filter script and the card styles, on the pages that have a filter only."""
    if doctree is not None and any(MARKER in node["classes"] for node in doctree.findall(nodes.raw)):
        app.add_css_file(CSS_FILE)
        app.add_js_file(JS_FILE, loading_method="defer")


def _copy_static(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        for name in (JS_FILE, CSS_FILE):
            copy_asset_file(STATIC / name, Path(app.outdir) / "_static", force=True)


def setup_catalogue_filter(app: Sphinx) -> None:
    app.connect("html-page-context", _page_assets)
    app.connect("build-finished", _copy_static)
