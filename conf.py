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

project = "Forebyggingshåndboka"  # replaced by the municipality's name from the data
author = "Forebyggingshåndboka"

extensions = [
    "myst_nb",  # MyST Markdown pages and notebooks (includes myst-parser)
    "sphinx_design",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "forebygging.ext",
]

forebygging_municipality = os.environ.get("KOMMUNE", "sor-aurdal")

# The plan's language (nb or nn) is set from the data; search uses the Norwegian stemmer.
language = "nb"
html_search_language = "no"

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["colon_fence", "deflist", "substitution", "attrs_inline"]
myst_heading_anchors = 3

# Notebooks are never executed at build time, and widget JavaScript is never fetched from
# a CDN: the handbook loads nothing from outside the site.
nb_execution_mode = "off"
nb_ipywidgets_js = {}

html_theme = "sphinx_book_theme"
html_static_path = ["handbook/_static"]
html_css_files = ["forebygging.css"]
html_last_updated_fmt = "%d.%m.%Y"
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
}
