"""Only the scripts and styles a page uses: sphinx-needs' assets and jQuery only where needs are shown.

sphinx-needs registers its JavaScript (a collapse button and a JSON viewer, both written for
jQuery, which it pulls in through sphinxcontrib-jquery) and six style sheets on every page.
Our needs are shown on the duty pages only; on every other page these files are ~35 KB of a
first visit that nothing uses. A page keeps them when its body holds a need (``need_container``)
or any other sphinx-needs element (class ``needs_…``), so a needtable or needflow added later
keeps working without touching this list.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

NEEDS_ONLY = (
    "_static/sphinx-needs/",
    "_static/sphinx-data-viewer/",
    "_static/jquery.js",
    "_static/_sphinx_javascript_frameworks_compat.js",
)
NEEDS_MARKERS = ("need_container", 'class="needs_', " needs_")


def shows_needs(body: str) -> bool:
    """Whether a page's HTML body holds anything sphinx-needs draws."""
    return any(marker in body for marker in NEEDS_MARKERS)


def needs_only(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset))
    return filename.startswith(NEEDS_ONLY)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if shows_needs(context.get("body", "")):
        return
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if isinstance(files, list):
            # In place: Sphinx resets these lists from its own copy before the next page.
            files[:] = [f for f in files if not needs_only(f)]


def setup_page_assets(app: Sphinx) -> None:
    # Late, after sphinx-needs and the theme have added their files for the page.
    app.connect("html-page-context", _on_page_context, priority=900)
