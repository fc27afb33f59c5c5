"""Make the HTML of a build depend only on its sources, so two builds of one commit are identical.

sphinx-needs gives each need container a random id (``SNCB-`` + part of a uuid4). Nothing
refers to it, but a random id makes every build differ. We renumber those ids in document
order after sphinx-needs has laid the needs out.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

RANDOM_ID_PREFIX = "SNCB-"


def _stable_need_container_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    count = 0
    for node in doctree.findall(nodes.container):
        ids = node.get("ids", [])
        if ids and ids[0].startswith(RANDOM_ID_PREFIX):
            count += 1
            node["ids"] = [f"{RANDOM_ID_PREFIX}{count}"]


def setup_reproducible(app: Sphinx) -> None:
    # After sphinx-needs (default priority 500) has replaced need nodes by their layout.
    app.connect("doctree-resolved", _stable_need_container_ids, priority=900)
