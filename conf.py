"""Sphinx configuration of Forebyggingshåndboka.

Which municipality is built comes from ``$KOMMUNE`` (default ``sor-aurdal``); the title,
language and everything on the pages come from ``_data/`` through ``forebygging.ext``.
The source directory is ``handbook/``: ``sphinx-build -c . handbook <out>``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "extensions"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # widgets/: the rules of the interactive checks

project = "Forebyggingshåndboka"  # replaced by the municipality's name from the data
author = "Forebyggingshåndboka"

extensions = [
    "myst_nb",  # MyST Markdown pages and notebooks (includes myst-parser)
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "forebygging.ext",
    "sphinx.ext.graphviz",  # the collaboration flow chart, drawn at build time
    "forebygging.ext.site",  # "Sist endret" on every page, optional exercise links
]

forebygging_municipality = os.environ.get("KOMMUNE", "sor-aurdal")

# The plan's language (nb or nn) is set from the data; search uses the Norwegian stemmer.
language = "nb"
html_search_language = "no"

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "substitution", "attrs_inline"]
myst_heading_anchors = 3
myst_url_schemes = ["http", "https", "mailto", "ftp", "tel"]  # tel: so "112" can be tapped on a phone

# Notebooks are never executed at build time, and widget JavaScript is never fetched from
# a CDN: the handbook loads nothing from outside the site.
nb_execution_mode = "off"
nb_ipywidgets_js = {}

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
    # Norwegian where the theme's own catalogue has no nb: the in-page contents title, and no
    # "By <author>" line in the footer (the theme's "By" cannot be translated for nb).
    "toc_title": "Innhold på siden",
    "footer_content_items": ["copyright.html", "last-updated.html", "extra-footer.html"],
}

# Content, onboarding and accessibility: our templates (the "Er du bekymret for et barn?"
# link in every page's header), our Norwegian translation of the theme's own strings
# (handbook/_locale, compiled by Sphinx at build time), and the flow chart as SVG.
templates_path = ["handbook/_templates"]
locale_dirs = ["_locale"]  # relative to the source directory, handbook/
graphviz_output_format = "svg"
