"""Long generated pages list only their top sections in the navigation.

Sphinx copies a page's whole table of contents into the sidebar of every page before it
prunes it, so a catalogue of thousands of measures made every page's build cost grow with
the number of measures: the build was quadratic. A page with more sections than a reader
can scan (:data:`MAX_TOC_ENTRIES`) gets Sphinx's own ``tocdepth`` limit of two: its title
and its top sections (for the catalogue, the three levels). The sections stay real headings
on the page; only the contents lists stop repeating them. A page that sets ``tocdepth``
itself keeps its own value.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

MAX_TOC_ENTRIES = 60
"""More headings than this on one page, and the contents show only the top two levels."""


def _limit_long_tocs(app: Sphinx, doctree: nodes.document) -> None:
    metadata = app.env.metadata[app.env.docname]
    if "tocdepth" in metadata:
        return
    sections = sum(1 for _ in doctree.findall(nodes.section))
    if sections > MAX_TOC_ENTRIES:
        metadata["tocdepth"] = 2


def setup_toc_depth(app: Sphinx) -> None:
    app.connect("doctree-read", _limit_long_tocs)
