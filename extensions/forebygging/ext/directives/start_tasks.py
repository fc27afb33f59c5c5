"""``start-tasks``: the start page opens with what a reader came to do, as large links.

Staff look something up between tasks, mostly on a phone: the five things they come for
(a worried reader, the step-by-step guide, a measure, a service, a new employee) must be on
the first screen, before the plan's facts. Each link is a label and a short hint inside one
``<a>``, which a docutils reference cannot hold (Sphinx keeps only the text of a ``{doc}``
reference), so the list is written as HTML; a target page the build does not have is left out
rather than linked dead.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ...core.pages import CONCERN, GUIDE, MEASURES, NEW_STAFF, SERVICES
from ...wording import text

TASKS = (
    (CONCERN.docname, "tasks.concern", "start-tasks__item--urgent"),
    (GUIDE.docname, "tasks.guide", ""),
    (MEASURES.docname, "tasks.measures", ""),
    (SERVICES.docname, "tasks.services", ""),
    (NEW_STAFF.docname, "tasks.new", ""),
)
"""(page, text key, extra class): the tasks in the order a reader needs them."""


class StartTasks(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        env = self.env
        items = []
        for docname, key, extra in TASKS:
            if docname not in env.found_docs:
                continue
            # The page is written to the HTML output next to this one; dirhtml is not used.
            uri = env.app.builder.get_relative_uri(env.docname, docname)
            label, hint = escape(text(env, key)), escape(text(env, f"{key}.hint"))
            classes = " ".join(c for c in ("start-tasks__item", extra) if c)
            items.append(
                f'<li class="{classes}"><a href="{escape(uri)}">'
                f'<span class="start-tasks__label">{label}</span>'
                f'<span class="start-tasks__hint">{hint}</span></a></li>'
            )
        if not items:
            return []
        html = (
            f'<nav class="start-tasks" aria-label="{escape(text(env, "tasks.label"))}">'
            f'<ul class="start-tasks__list">{"".join(items)}</ul></nav>'
        )
        # The labels repeat other pages' titles: kept out of the search index (Sphinx's no-search class).
        return [nodes.raw("", html, format="html", classes=["no-search"])]
