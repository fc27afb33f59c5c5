"""Site-wide pieces of the handbook, set up by ``forebygging.ext`` (not listed in ``conf.py`` on its own).

* "Sist endret" on every page: the date the page's content last changed, taken from git
  (the last commit that touched the page source in ``handbook/``, not the build's copy of
  it, or a data file the page renders), so it
  is the same in every build of the same commit. Without git, or for a file git does not
  know yet, the file's modification time is used. Pages without a source (search, index)
  show the newest date of the whole site.
* Optional links (``{optional-ref}``, ``exercise-link``, duty titles): a link where the
  label exists, plain text (and no nitpicky warning) where it does not.
* Accessibility fixes for the theme: the sidebar's icon-only expand buttons get a name, and
  our flow chart is an ``<img alt>`` instead of an unnamed ``<object>``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .. import __version__
from ..core import HandbookData
from ..wording import TEXTS, text
from .directives.exercises import OPTIONAL, optional_ref
from .sidebar import add_toggle_labels

logger = logging.getLogger(__name__)

SITE_TEXTS = sorted(key for key in TEXTS["nb"] if key.startswith("site."))


@cache
def _git_dates(root: str) -> dict[str, dt.date]:
    """Absolute path -> date of the last commit that touched it; {} without git (or outside a repository)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        top = subprocess.run(
            ["git", "-C", root, "rev-parse", "--show-toplevel"], capture_output=True, text=True, env=env, check=True
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", top, "log", "--format=@%cs", "--name-only", "--no-renames", "--", "."],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            # git log lists newest first: the first date seen for a path is its last change.
            dates.setdefault(str(Path(top, line)), current)
    return dates


def last_changed(paths: list[Path], root: Path) -> dt.date | None:
    """The newest last-change date of the given files: from git, else from their mtimes."""
    dates = _git_dates(str(root))
    found: list[dt.date] = []
    for path in paths:
        resolved = str(path.resolve())
        if resolved in dates:
            found.append(dates[resolved])
        elif path.exists():
            found.append(dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC).date())
    return max(found) if found else None


def plan_data_changed(data: HandbookData) -> dt.date | None:
    """When the plan's own data last changed (git, else file dates): the date the handbook speaks from.

    The plan-period expiry check and the report's header use it rather than the day of the build:
    two builds of the same commit must be identical, and a statement such as "the period ended in
    2024" made from the data of 2026 stays true whenever the page is read.
    """
    return last_changed(sorted((data.root / data.slug).glob("*.yaml")), data.root)


def _page_files(env: BuildEnvironment, docname: str) -> list[Path]:
    files = [Path(env.doc2path(docname))]
    for dep in sorted(env.dependencies.get(docname, ())):
        path = Path(dep)
        path = path if path.is_absolute() else Path(env.srcdir) / path
        # A page's translation (.mo) is compiled at build time and git-ignored: its .po is the source.
        files.append(path.with_suffix(".po") if path.suffix == ".mo" else path)
    return [_origin(env, path) for path in files]


def _origin(env: BuildEnvironment, path: Path) -> Path:
    """The file in ``handbook/`` a file of the build's source copy was copied from (git knows that one).

    Generated files (the duty stubs) have no original and stay as they are.
    """
    origin = env.config.forebygging_source_origin
    if not origin:
        return path
    try:
        rel = path.resolve().relative_to(Path(env.srcdir).resolve())
    except ValueError:
        return path
    original = Path(origin, rel)
    return original if original.exists() else path


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    env = app.env
    root = Path(app.confdir)
    date = last_changed(_page_files(env, pagename), root) if pagename in env.all_docs else _site_date(app)
    # The engine's own strings for our templates (handbook/_templates), from wording/texts.yaml.
    context["forebygging_texts"] = {key: text(env, key) for key in SITE_TEXTS}
    fmt = app.config.html_last_updated_fmt or "%d.%m.%Y"
    context["last_updated"] = date.strftime(fmt) if date else None
    context["forebygging_last_changed_iso"] = date.isoformat() if date else None


def _site_date(app: Sphinx) -> dt.date | None:
    """The newest page date: for the pages Sphinx makes (index, search). Once per build, not per page."""
    cached: tuple[dt.date | None] | None = getattr(app, "_forebygging_site_date", None)
    if cached is None:
        env = app.env
        dates = [last_changed(_page_files(env, doc), Path(app.confdir)) for doc in sorted(env.all_docs)]
        known = [d for d in dates if d is not None]
        cached = (max(known) if known else None,)
        app._forebygging_site_date = cached  # type: ignore[attr-defined]
    return cached[0]


def _on_missing_reference(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Node | None:
    """An optional link whose label does not exist (yet): its fallback text, and no warning."""
    if OPTIONAL not in node:
        return None
    return nodes.inline(node[OPTIONAL], node[OPTIONAL], classes=["exercise-coming"])


def optional_ref_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: dict | None = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{optional-ref}`text <label>```: a link where the label exists, else just the text.

    For links into data-rendered sections whose labels depend on the municipality's data
    (e.g. ``samhandling-trinn-2``), so another municipality's build never breaks on them.
    """
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text)
    title, label = (match.group(1).strip(), match.group(2).strip()) if match else (text, text)
    return [optional_ref(label, title, title)], []


def _on_page_context_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give the theme's expand/collapse buttons in the sidebar a name (axe: summary-name, WCAG 4.1.2).

    pydata-sphinx-theme draws them as an icon only. Runs after the theme's own handler
    (priority 600), wrapping the function its sidebar templates call (ours calls
    ``forebygging_sidebar_nav`` from :mod:`.sidebar`, which adds the same names).
    """
    original = context.get("generate_toctree_html")
    if original is None or getattr(original, "_forebygging", False):
        return
    label = text(app.env, "site.nav.toggle_children")

    def generate_toctree_html(kind: str, *args: Any, **kwargs: Any) -> Any:
        soup = original(kind, *args, **kwargs)
        if kind != "sidebar" or not hasattr(soup, "select"):
            return soup
        return add_toggle_labels(soup, label)

    generate_toctree_html._forebygging = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = generate_toctree_html


def _visit_graphviz_html(self: Any, node: Any) -> None:
    """Our flow chart as ``<img alt>`` (axe: object-alt); other graphviz nodes as Sphinx draws them."""
    from sphinx.ext.graphviz import GraphvizError, html_visit_graphviz, render_dot

    if "flow-chart" not in node.get("classes", []) or self.builder.config.graphviz_output_format != "svg":
        html_visit_graphviz(self, node)
        return
    try:
        fname, _ = render_dot(self, node["code"], node["options"], "svg")
    except GraphvizError as exc:
        logger.warning("dot code %r: %s", node["code"], exc, location=node)
        raise nodes.SkipNode from exc
    alt = self.encode(node.get("alt", ""))
    self.body.append(f'<div class="graphviz"><img src="{fname}" alt="{alt}" class="graphviz flow-chart" /></div>\n')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx.ext.graphviz import graphviz

    app.setup_extension("sphinx.ext.graphviz")
    app.add_node(graphviz, override=True, html=(_visit_graphviz_html, None))
    app.add_role("optional-ref", optional_ref_role)
    # Set by the command line, which builds from a copy of handbook/: where the copy came from.
    app.add_config_value("forebygging_source_origin", "", "", types=[str])
    app.connect("html-page-context", _on_page_context)
    app.connect("html-page-context", _on_page_context_navigation, priority=600)
    app.connect("missing-reference", _on_missing_reference)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
