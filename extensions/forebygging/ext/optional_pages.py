"""Pages that exist only when the plan has the data they show.

Plans differ: one has a meeting structure, another printable templates, a third a local part
per member municipality. Each optional page is an ordinary MyST page in ``handbook/``; the
register of pages (:mod:`forebygging.core.pages`) holds its predicate on the data. When the
predicate is false the page is excluded from the build, and ``plan-toctree`` (a ``toctree`` that skips
excluded entries and vanishes when none are left) keeps the navigation free of dead links
and empty captions. No municipality is special-cased: the data decides.
"""

from __future__ import annotations

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.other import TocTree
from sphinx.util.nodes import explicit_title_re

from ..core.pages import excluded_pages
from .data import get_data


def excluded(config: Config) -> set[str]:
    """The optional pages left out of this build: none with ``forebygging_every_page`` (the catalogue
    updater reads every page, whichever plan has its data), else those the plan has no data for."""
    return set() if config.forebygging_every_page else excluded_pages(get_data(config))


class PlanTocTree(TocTree):
    """A ``toctree`` whose entries for excluded optional pages are dropped.

    With no entries left it renders nothing, so a caption never stands alone.
    """

    def run(self) -> list[nodes.Node]:
        left_out = excluded(self.env.config)
        kept = [line for line in self.content if _entry_doc(line) not in left_out]
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
    for doc in sorted(excluded(config)):
        pattern = f"{doc}.md"
        if pattern not in config.exclude_patterns:
            config.exclude_patterns.append(pattern)


def setup_optional_pages(app: Sphinx) -> None:
    app.add_config_value("forebygging_every_page", False, "", types=frozenset({bool}))
    # After forebygging.ext.data has loaded and validated the data (priority 100).
    app.connect("config-inited", _on_config_inited, priority=120)
    app.add_directive("plan-toctree", PlanTocTree)
