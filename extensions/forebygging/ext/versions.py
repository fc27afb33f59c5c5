"""Version awareness on every page: a banner on a draft or superseded version, and the switcher.

``make site`` builds the current version and every tagged one, each with a manifest
(``forebygging_site_manifest``, a JSON file) that says which version this build is, which
is current, and which pages the current version has. Without a manifest (plain
``make html``) only the draft banner applies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from ..core.changes import ChangeReport, previous_version, report_between
from ..core.data import HandbookData
from ..core.trace import handbook_docs
from ..core.versions import tags_state
from ..wording import text
from .data import get_data
from .nodes import link, para
from .reads import Reads, note_value, recording, replay

SIDEBAR = ["navbar-logo.html", "version-switcher", "search-button-field.html", "sbt-sidebar-nav.html"]


def previous_version_read(data: HandbookData) -> str | None:
    """:func:`previous_version`, recorded as the page's read of the plan's tags.

    A page that compares with the previous version must be read again when a tag is added
    or moved, though no data file changed (see :mod:`.invalidation`).
    """
    note_value("plan-tags", tags_state(data.root, data.slug))
    return previous_version(data)


_CHANGES: dict[tuple[str, str, str, str | None, frozenset[str], str], tuple[HandbookData, ChangeReport, Reads]] = {}
"""The change reports of the current build (cleared when a build starts), with the reads that computed them.

Each report costs two ``git archive`` runs, two loads and two traces, and the summary, the
report's section and the change page all want the same one. Keyed by what decides it: the
data directory and plan, the two versions, the pages (the trace depends on them) and the
tags (which commit a version names); the data object itself is checked by identity, so
data loaded again after an edit is never compared in an older state.
"""


def change_report(env: BuildEnvironment, data: HandbookData, before: str, after: str | None = None) -> ChangeReport:
    """:func:`~forebygging.core.changes.report_between` from ``before`` to ``after`` (None: the
    working tree), computed once per build and shared by every page that shows it.

    The first page records the data the comparison reads; a page that gets the report from
    the cache records the same reads (:func:`.reads.replay`), so each of them is read again
    after an edit that changes the report, as it was when each computed its own.
    """
    docs = frozenset(handbook_docs(Path(env.srcdir)))
    tags = tags_state(data.root, data.slug)
    note_value("plan-tags", tags)  # a version named by ``:from:`` too: moving its tag changes the report
    key = (str(data.root), data.slug, before, after, docs, tags)
    cached = _CHANGES.get(key)
    if cached is not None and cached[0] is data:
        replay(cached[2])
        return cached[1]
    with recording(data) as reads:
        report = report_between(data, before, after, set(docs))
    _CHANGES[key] = (data, report, dict(reads))
    return report


def _forget_changes(app: Sphinx) -> None:
    """A new build starts from fresh data and tags: no report of an earlier build in this process is reused."""
    _CHANGES.clear()


def manifest(config: Config) -> dict[str, Any] | None:
    path = config.forebygging_site_manifest
    if not path:
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _on_config_inited(app: Sphinx, config: Config) -> None:
    site = manifest(config)
    if site is None:
        return
    options = dict(config.html_theme_options)
    options["switcher"] = {
        # Resolved by the theme against this version's root; every version has its own copy.
        "json_url": "switcher.json",
        "version_match": site["this"],
    }
    options["check_switcher"] = False  # we write the file ourselves, after the build
    options["show_version_warning_banner"] = False  # our own banner says more, without JavaScript
    config.html_theme_options = options
    config.html_sidebars = {"**": SIDEBAR}
    config.version = config.release = site["this"]


def _banner(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the draft or superseded notice first on every page, so no reader mistakes the version."""
    env = app.env
    plan = get_data(app.config).plan
    site = manifest(app.config)
    notices: list[nodes.Element] = []
    if site is not None and site["this"] != site["current"]:
        current = site["current"]
        up = "../" * (docname.count("/") + 2)  # versjoner/<version>/<docname> -> <docname>
        target = f"{up}{docname}.html" if docname in site["current_docs"] else f"{up}index.html"
        notices.append(
            para(
                text(env, "version.superseded", this=site["this"], current=current) + " ",
                link(target, text(env, "version.superseded.link")),
            )
        )
    if plan.status.value != "vedtatt":
        notices.append(para(text(env, f"status.{plan.status.value}")))
    if not notices:
        return
    # no-search: the same banner on every page is neither a search term nor a useful snippet.
    banner = nodes.container(classes=["version-banner", "no-search"])
    banner.extend(notices)
    first = next(iter(doctree.findall(nodes.section)), None)
    if first is not None:
        # After the page title, so the heading stays the first thing a screen reader meets.
        title_index = first.first_child_matching_class(nodes.title)
        first.insert((title_index or 0) + 1, banner)
    else:
        doctree.insert(0, banner)


def setup_versions(app: Sphinx) -> None:
    app.add_config_value("forebygging_site_manifest", "", "env", types=[str])
    app.connect("config-inited", _on_config_inited, priority=110)
    app.connect("doctree-resolved", _banner)
    app.connect("builder-inited", _forget_changes)
