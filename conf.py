"""Sphinx configuration of Forebyggingshåndboka.

Which municipality is built comes from ``$KOMMUNE`` (default ``sor-aurdal``); the title,
language and everything on the pages come from ``_data/`` through ``forebygging.ext``.
The source directory is ``handbook/``: ``sphinx-build -c . handbook <out>``.
"""

from __future__ import annotations

import os

project = "Forebyggingshåndboka"  # replaced by the municipality's name from the data
author = "Forebyggingshåndboka"

extensions = [
    # MyST Markdown pages. Not myst-nb: the handbook has no notebook pages (the notebooks are for
    # make workshop), and importing it cost 1.2 s on every build, a third of a preview after one edit.
    "myst_parser",
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "forebygging.ext",  # also sets up forebygging.ext.site: "Sist endret" on every page, exercise links
    "sphinx.ext.graphviz",  # the collaboration flow chart, drawn at build time
]

forebygging_municipality = os.environ.get("KOMMUNE", "sor-aurdal")

# The plan's language (nb or nn) is set from the data; search uses the Norwegian stemmer.
language = "nb"
html_search_language = "no"

exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist", "substitution", "attrs_inline"]
myst_heading_anchors = 3
myst_url_schemes = ["http", "https", "mailto", "ftp", "tel"]  # tel: so "112" can be tapped on a phone

html_theme = "sphinx_book_theme"
html_static_path = ["handbook/_static"]
html_css_files = ["forebygging.css", "handbok.css"]
html_last_updated_fmt = "%d.%m.%Y"
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    # The menu button, then a home link (handbook/_templates/forebygging-home.html): on a phone the
    # sidebar with the handbook's title is folded away, so the header carries the way back.
    "article_header_start": ["toggle-primary-sidebar.html", "forebygging-home.html"],
    # No "By <author>" line in the footer. The in-page contents title and the search box text
    # are set in the plan's language (nb/nn) by forebygging.ext.i18n, from wording/texts.yaml.
    "footer_content_items": ["copyright.html", "last-updated.html", "extra-footer.html"],
}

# Content, onboarding and accessibility: our templates (the "Er du bekymret for et barn?"
# link in every page's header), our Norwegian translation of the theme's own strings
# (handbook/_locale/<nb|nn>/LC_MESSAGES/sphinx.po and booktheme.po, loaded for the plan's
# language by forebygging.ext.i18n), and the flow chart as SVG.
templates_path = ["handbook/_templates"]
locale_dirs = ["_locale"]  # relative to the source directory, handbook/
# The pages' own text in nynorsk: one catalogue per page, handbook/_locale/nn/LC_MESSAGES/<page>.po,
# compiled to .mo by Sphinx at build time (gettext_auto_build), in the build's own copy of handbook/
# (_build/<slug>/src/html/; forebygging.cli.publishing), never in handbook/ itself.
gettext_compact = False
gettext_auto_build = True
graphviz_output_format = "svg"
