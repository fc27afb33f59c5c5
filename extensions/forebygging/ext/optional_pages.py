"""Pages that exist only when the plan has the data they show.

Plans differ: one has a meeting structure, another printable templates, a third a local part
per member municipality. Each optional page is an ordinary MyST page in ``handbook/``; its
module registers a predicate on the data with :func:`optional_page`. When the predicate is
false the page is excluded from the build, and ``plan-toctree`` (a ``toctree`` that skips
excluded entries and vanishes when none are left) keeps the navigation free of dead links
and empty captions. No municipality is special-cased: the data decides.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.other import TocTree
from sphinx.util.nodes import explicit_title_re

from ..core import HandbookData
from .data import get_data

Predicate = Callable[[HandbookData], bool]

OPTIONAL_PAGES: dict[str, Predicate] = {}
"""Docname (relative to ``handbook/``, no suffix) -> does the plan have what the page shows."""


def optional_page(docname: str, predicate: Predicate) -> None:
    """Register ``handbook/<docname>.md`` as shown only when ``predicate(data)`` is true."""
    OPTIONAL_PAGES[docname] = predicate


def excluded_pages(data: HandbookData) -> set[str]:
    """The optional pages this plan has no data for."""
    return {doc for doc, has_data in OPTIONAL_PAGES.items() if not has_data(data)}


class PlanTocTree(TocTree):
    """A ``toctree`` whose entries for excluded optional pages are dropped.

    With no entries left it renders nothing, so a caption never stands alone.
    """

    def run(self) -> list[nodes.Node]:
        excluded = excluded_pages(get_data(self.env.config))
        kept = [line for line in self.content if _entry_doc(line) not in excluded]
        if not any(line.strip() for line in kept):
            return []
        self.content = StringList(kept, source=self.content.source(0) if self.content else "")
        return super().run()


def _entry_doc(line: str) -> str:
    """The docname of a toctree entry line (``Title <doc>`` or ``doc``)."""
    entry = line.strip()
    match = explicit_title_re.match(entry)  # the pattern Sphinx's toctree itself uses
    return (match.group(2) if match else entry).removesuffix(".md")


def _on_config_inited(app: Sphinx, config: Config) -> None:
    for doc in sorted(excluded_pages(get_data(config))):
        pattern = f"{doc}.md"
        if pattern not in config.exclude_patterns:
            config.exclude_patterns.append(pattern)


def setup_optional_pages(app: Sphinx) -> None:
    # After forebygging.ext.data has loaded and validated the data (priority 100).
    app.connect("config-inited", _on_config_inited, priority=120)
    app.add_directive("plan-toctree", PlanTocTree)
