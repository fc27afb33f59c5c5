"""The search page: what is indexed, how results rank, what the snippets show.

Sphinx's own mechanisms, in Sphinx 9.0:

* the indexer (``sphinx.search.WordCollector``) skips any element with the class
  ``no-search``. Our widgets' ``<noscript>`` notices sit inside one raw HTML node each; they are
  split out here into raw nodes of their own with that class (the HTML written is the same
  bytes), so "Slå på JavaScript …" is not a search term of every widget page;
* ``html_search_scorer`` names a JavaScript file that Sphinx puts into ``language_data.js``,
  which the search page loads right after ``searchtools.js``: ours (``static/search-scorer.js``)
  weighs page titles above body text, and reads the snippet from the article alone, without
  the theme's furniture (colour mode buttons, print contents), ``<noscript>`` notices or
  anything marked ``no-search``;
* the search scripts and ``searchindex.js`` are loaded on the search page only (our
  ``layout.html``); the theme loads them on every page for a search-as-you-type it has off.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

NO_SEARCH = "no-search"
SCORER = Path(__file__).parent / "static" / "search-scorer.js"
_NOSCRIPT = re.compile(r"(<noscript\b.*?</noscript>)", re.IGNORECASE | re.DOTALL)


def split_noscript(node: nodes.raw) -> list[nodes.Node] | None:
    """The raw HTML node with each ``<noscript>`` in a piece of its own marked ``no-search``.

    None if it has no ``<noscript>``. The pieces carry no classes of their own (a raw node with
    classes is wrapped in a ``<div>`` by the HTML writer, which would cut the widget's markup
    apart); the node's own classes and ids go to a container around them, so the page keeps one
    wrapper element, as before.
    """
    text = node.astext()
    if not _NOSCRIPT.search(text):
        return None
    pieces = []
    for piece in (p for p in _NOSCRIPT.split(text) if p):
        raw = nodes.raw(piece, piece, format=node["format"])
        if _NOSCRIPT.fullmatch(piece):
            raw["classes"].append(NO_SEARCH)
        pieces.append(raw)
    if not node["classes"] and not node["ids"]:
        return pieces
    wrapper = nodes.inline() if isinstance(node.parent, nodes.TextElement) else nodes.container()
    wrapper["classes"] = list(node["classes"])
    wrapper["ids"] = list(node["ids"])
    wrapper.extend(pieces)
    return [wrapper]


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "").split() or NO_SEARCH in node["classes"]:
            continue
        replacement = split_noscript(node)
        if replacement is not None:
            node.replace_self(replacement)


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if not config.html_search_scorer:
        config.html_search_scorer = str(SCORER)


def setup_search(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
