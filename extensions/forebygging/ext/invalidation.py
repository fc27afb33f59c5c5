"""Incremental builds that give the same output as a clean build.

Sphinx decides what to re-read from the modification times of each page's dependencies.
That is not enough here:

- A data file can change without a newer modification time (restored from a backup or an
  archive, copied with ``cp -p``, edited twice within the file system's time resolution).
  We keep a content hash of every data file in the environment and, when any hash
  differs, every page that renders data is a candidate for reading again.
- A data file's newer modification time makes Sphinx re-read every page that renders
  something from that file, though most show none of what changed. Each page's data reads
  are recorded while it is read (:mod:`.reads`: item, field, fingerprint of the value); a
  candidate whose own source and other dependencies are unchanged and whose recorded reads
  all have the same value now is not read again: it would give the same doctree. Editing
  one measure's description re-reads the catalogue and the pages that show that text.
- sphinx-needs does not invalidate pages that show needs from other pages (needtable,
  needflow, ...; sphinx-needs issues #354 and #1112). It draws them when the page is
  written, from all needs, and every page with needs is written on every build
  (:mod:`.trace`), so such a page is only read again when its own reads changed.
- Output files that carry a build's time or an accident of the build order are made
  stable: our directives' assets are copied before the pages are written (so every build
  links them with the same ``?v=`` checksum), the XLSX export gets fixed zip times, and
  sphinx-needs' ``schema_violations.json`` loses its timings.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..core.versions import tags_state
from ..outputs.deterministic import normalize_schema_report, normalize_xlsx
from .data import file_hashes, get_data
from .reads import Reads, changed_reads, start_recording, stop_recording
from .reuse import before_read, named_values, pages_to_write, setup_reuse

logger = logging.getLogger(__name__)

HASHES = "forebygging_data_hashes"
TAGS = "git tags plan/<slug>/*"  # its entry in HASHES, next to the data files
NEEDS_VIEW_DOCS = "forebygging_needs_view_docs"
READS = "forebygging_data_reads"

NEEDS_VIEW_NODES = frozenset(
    {
        "Needtable",
        "NeedflowGraphiz",
        "NeedflowPlantuml",
        "Needlist",
        "Needextract",
        "Needpie",
        "Needbar",
        "Needgantt",
        "Needsequence",
        "Needuml",
        "NeedCount",
        "NeedRef",
        "NeedIncoming",
        "NeedOutgoing",
    }
)
"""sphinx-needs nodes that show needs defined elsewhere."""


def _needs_view_docs(env: BuildEnvironment) -> set[str]:
    docs = getattr(env, NEEDS_VIEW_DOCS, None)
    if docs is None:
        docs = set()
        setattr(env, NEEDS_VIEW_DOCS, docs)
    return docs


def data_docs(env: BuildEnvironment, data_files: Iterable[str]) -> set[str]:
    """Pages that render data: they depend on a data file, or show needs from other pages."""
    files = set(data_files)
    docs: set[str] = set()
    for docname, deps in env.dependencies.items():
        for dep in deps:
            path = Path(dep)
            resolved = os.path.normpath(path if path.is_absolute() else Path(env.srcdir) / path)
            if resolved in files:
                docs.add(docname)
                break
    docs |= _needs_view_docs(env)
    return docs & set(env.all_docs)


def _reads(env: BuildEnvironment) -> dict[str, Reads]:
    found = getattr(env, READS, None)
    if found is None:
        found = {}
        setattr(env, READS, found)
    return found


def _changed_besides_data(env: BuildEnvironment, docname: str, data_files: set[str]) -> bool:
    """Sphinx's own test (source, doctree, dependencies), with the data files left out."""
    from sphinx.environment import _has_doc_changed

    others = {dep for dep in env.dependencies.get(docname, ()) if _resolved(env, dep) not in data_files}
    return _has_doc_changed(
        docname,
        filename=env.doc2path(docname),
        reread_always=env.reread_always,
        doctreedir=env.doctreedir,
        all_docs=env.all_docs,
        dependencies={docname: others},
    )


def _resolved(env: BuildEnvironment, dep: str | os.PathLike[str]) -> str:
    path = Path(dep)
    return os.path.normpath(path if path.is_absolute() else Path(env.srcdir) / path)


# --------------------------------------------------------------------------- events


def _on_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Leave out the pages Sphinx would re-read for a data edit that changed nothing they show."""
    from sphinx.environment import CONFIG_OK

    recorded = _reads(env)
    if env.config_status != CONFIG_OK or not recorded:
        return
    data = get_data(app.config)
    data_files = {os.path.normpath(p) for p in data.files}
    added_or_removed = set(env.found_docs) ^ set(env.all_docs)
    named = named_values(app)
    keep: list[str] = []
    for docname in docnames:
        must = (
            docname not in env.all_docs
            or docname not in recorded
            or (added_or_removed and docname in env.glob_toctrees)
            or _changed_besides_data(env, docname, data_files)
            or changed_reads(recorded[docname], data, named)
        )
        if must:
            keep.append(docname)
    if len(keep) < len(docnames):
        logger.info("data reads unchanged: %d of %d pages not read again", len(docnames) - len(keep), len(docnames))
    docnames[:] = keep
    before_read(app, env, docnames)


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    start_recording(get_data(app.config))


def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    _reads(app.env)[docname] = stop_recording()
    shows_needs = any(
        type(node).__name__ in NEEDS_VIEW_NODES and type(node).__module__.startswith("sphinx_needs")
        for node in doctree.findall(nodes.Element)
    )
    if shows_needs:
        _needs_view_docs(app.env).add(docname)


def _on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _needs_view_docs(env).discard(docname)
    _reads(env).pop(docname, None)


def _on_merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    _needs_view_docs(env).update(getattr(other, NEEDS_VIEW_DOCS, set()) & set(docnames))
    theirs = getattr(other, READS, {})
    _reads(env).update({doc: theirs[doc] for doc in docnames if doc in theirs})


def _on_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    data = get_data(app.config)
    current = file_hashes(data.files)
    # The plan's version tags are an input like a data file: the change report compares with them.
    current[TAGS] = hashlib.sha256(tags_state(data.root, data.slug).encode()).hexdigest()
    previous: dict[str, str] | None = getattr(env, HASHES, None)
    # Stored once the pages are read (env-updated), so a failed read is tried again.
    app._forebygging_pending_hashes = current  # type: ignore[attr-defined]
    if previous is None or previous == current:
        return []  # a fresh environment reads everything anyway
    edited = {path for path in current.keys() | previous.keys() if current.get(path) != previous.get(path)}
    outdated = sorted(data_docs(env, edited | current.keys()) - added - changed - removed)
    if outdated:
        logger.info("%d data files changed: re-reading %d pages that render data", len(edited), len(outdated))
    return outdated


def _commit_hashes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    stop_recording()  # nothing read after the pages is any page's read
    pending = getattr(app, "_forebygging_pending_hashes", None)
    if pending is not None:
        setattr(env, HASHES, pending)
    return []


def _on_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages taken over from the previous site whose output could differ (:mod:`.reuse`)."""
    return pages_to_write(app, env)


def _copy_late_assets(app: Sphinx, builder: object) -> None:
    """Copy assets that are otherwise copied only at build-finished before the pages are written.

    Sphinx links a static file with a ``?v=<checksum>`` only when the file is in the output
    already; the widgets' script and stylesheet, the catalogue filter's and the templates
    page's arrive at build-finished, so a clean build would link them without and a rebuild
    with a checksum. A rebuild in place (``make serve``) finds last build's copies in the
    output, so every page that links one differed from a clean build.
    """
    if app.builder is None or app.builder.format != "html":
        return
    from .directives.catalogue_filter import _copy_static as copy_filter_assets
    from .directives.interactive import _copy_static as copy_widget_assets
    from .directives.templates import _copy_static as copy_template_assets

    for copy in (copy_widget_assets, copy_filter_assets, copy_template_assets):
        copy(app, None)


def _remove_stale_needflows(outdir: Path) -> None:
    """Drop needflow images no page links any more (left behind by an incremental build)."""
    images = outdir / "_images"
    flows = {p.name: p for p in images.glob("needflow-*")} if images.is_dir() else {}
    if not flows:
        return
    used: set[str] = set()
    pattern = re.compile(r"needflow-[0-9a-f]+\.\w+")
    for page in outdir.rglob("*.html"):
        used.update(pattern.findall(page.read_text(encoding="utf-8", errors="replace")))
    for name, path in flows.items():
        if name not in used:
            path.unlink()


def _drop_empty_search_terms(app: Sphinx) -> None:
    """Write searchindex.js again without the terms no page has any more.

    An incremental build loads the previous index and prunes it, which leaves a term whose
    pages all changed as ``"term": []``; a clean build has no such entry.
    """
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return
    stale = False
    for mapping in (indexer._mapping, indexer._title_mapping):
        empty = [term for term, docs in mapping.items() if not docs]
        for term in empty:
            del mapping[term]
        stale = stale or bool(empty)
    if stale:
        app.builder.dump_search_index()


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    normalize_schema_report(outdir / "schema_violations.json")
    for path in sorted(outdir.glob("*.xlsx")):
        normalize_xlsx(path)
    _remove_stale_needflows(outdir)
    _drop_empty_search_terms(app)


def setup_invalidation(app: Sphinx) -> None:
    setup_reuse(app)
    app.connect("source-read", _on_source_read)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-before-read-docs", _on_before_read_docs)
    app.connect("env-purge-doc", _on_purge_doc)
    app.connect("env-merge-info", _on_merge_info)
    app.connect("env-get-outdated", _on_get_outdated)
    app.connect("env-get-updated", _on_get_updated)
    app.connect("env-updated", _commit_hashes)
    app.connect("write-started", _copy_late_assets)
    # After the exports (default priority 500) are written.
    app.connect("build-finished", _on_build_finished, priority=900)
