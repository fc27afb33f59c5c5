"""Pages of the previous site that an incremental build takes over instead of writing them again.

Every build writes into a new, empty version folder (:mod:`forebygging.cli.publishing`), so
Sphinx would write every page, though after a small edit most pages come out byte for byte
as before. Writing them (the theme's navigation, the page template) is most of a preview's
time. So, when the previous published site was written from exactly the environment this
build starts from, its page files are copied into the new folder before Sphinx looks for
outdated pages; Sphinx then writes the pages it read again and those whose source is newer,
and we add every page whose output could differ:

- everything, when a page was added or removed, a page read again has another title,
  table of contents or link target (the navigation and cross-references of every page
  show them), or the code, templates, static files or packages changed (a fingerprint);
- every page with needs (sphinx-needs draws them when a page is written, from all needs),
  when a need other than its text changed;
- a page whose data reads while it was written (the templates' and resolvers' reads,
  recorded like the reading's, :mod:`.reads`) have another value now, or whose
  "Sist endret" date is another now.

What makes the copy safe: the state file names the output folder and a token of the
environment that wrote it; a failed, killed or unpublished build (whose folder is gone or
not the published one), a build from another environment, a parallel write (whose reads
are not recorded) all leave no usable state, and the next build writes every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..core.versions import tags_state
from .data import get_data
from .reads import Reads, changed_reads, start_recording, stop_recording

logger = logging.getLogger(__name__)

GENERATION = "forebygging_generation"
STATE = "forebygging-written.json"
PREVIOUS = "forebygging_previous_output"
NEED_TEXT_FIELDS = frozenset({"content", "lineno", "lineno_content", "pre_content", "post_content", "jinja_content"})
"""A need's own text and position: shown only on its own page (measure needs are hidden), not on others."""

_ASSET_REF = re.compile(r'(?:src|href)="((?:\.\./)*)((?:_images|_downloads)/[^"#?]+)"')


class _Run:
    """What this build knows about reuse (one Sphinx application)."""

    def __init__(self) -> None:
        self.seeded: set[str] = set()
        self.state: dict[str, Any] = {}
        self.write_reads: dict[str, Reads] = {}
        self.dates: dict[str, str | None] = {}
        self.before: dict[str, Any] = {}
        self.read: set[str] = set()
        self.needs_before: dict[str, str] | None = None
        self.current: str | None = None
        self.code: str | None = None
        self.written: set[str] | None = None
        """The pages that must be written, once known; None: let Sphinx decide."""


def _run(app: Sphinx) -> _Run:
    run = getattr(app, "_forebygging_reuse", None)
    if run is None:
        run = _Run()
        app._forebygging_reuse = run  # type: ignore[attr-defined]
    return run


def _state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STATE


def code_fingerprint(app: Sphinx) -> str:
    """Everything besides the pages and the data that shapes every page: code, templates, static files, packages."""
    run = _run(app)
    if run.code is None:
        run.code = _code_fingerprint(app)
    return run.code


def _code_fingerprint(app: Sphinx) -> str:
    digest = hashlib.sha256()
    src = Path(app.srcdir)
    # The catalogues too: Sphinx's and the theme's strings (sphinx.po) are on every page.
    roots = [Path(__file__).resolve().parents[1], src / "_templates", src / "_static", src / "_locale"]
    roots += [Path(app.confdir) / "conf.py", Path(app.confdir) / "widgets"]
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".mo" or path.name == "sphinx.js":  # made from the .po
                continue
            digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update("\n".join([sys.version, *installed_packages()]).encode())
    return digest.hexdigest()


def installed_packages() -> list[str]:
    """The installed distributions with their versions, from their metadata folders' names
    (``Sphinx-9.0.4.dist-info``): fifty times faster than reading every package's metadata."""
    found: set[str] = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            found.update(p.name for p in folder.iterdir() if p.suffix in {".dist-info", ".egg-info"})
    return sorted(found)


def _page_files(app: Sphinx, docname: str, root: Path) -> list[Path]:
    """A page's files in a site folder: the page, its source copy, the images and downloads it links."""
    page = root / f"{docname}{app.builder.out_suffix}"  # type: ignore[union-attr,attr-defined]
    files = [page]
    sources = root / "_sources"
    files += sorted(sources.glob(f"{docname}.*"))
    if page.is_file():
        for _, ref in _ASSET_REF.findall(page.read_text(encoding="utf-8", errors="replace")):
            files.append(root / ref)
    return files


def named_values(app: Sphinx) -> Callable[[str], object]:
    """The values computed once per build that pages record by name (see :func:`.reads.note_value`)."""

    def value(name: str) -> object:
        if name == "trace":
            from .trace.state import get_trace

            return get_trace(app.env)
        if name == "plan-data-changed":
            from .site import plan_data_changed

            return plan_data_changed(get_data(app.config))
        if name == "plan-tags":
            data = get_data(app.config)
            return tags_state(data.root, data.slug)
        raise KeyError(name)

    return value


# --------------------------------------------------------------------------- events


def _on_builder_inited(app: Sphinx) -> None:
    """Copy the previous site's pages into the new folder when that site is this environment's output."""
    run = _run(app)
    path = _state_path(app)
    state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    path.unlink(missing_ok=True)  # written again only by a build that finishes
    run.state = state
    if app.builder is None or app.builder.format != "html" or app.parallel > 1:
        return
    env = app.env
    out = Path(app.outdir)
    # The previous site's folder; or this one, for a build in place (make serve).
    prev = Path(app.config.forebygging_previous_output or out)
    usable = (
        prev.is_dir()
        and state.get("output") == str(prev.resolve())
        and state.get("generation") == getattr(env, GENERATION, None)
        and state.get("code") == code_fingerprint(app)
    )
    if not usable:
        return
    if prev.resolve() == out.resolve():
        run.seeded = set(env.found_docs) & set(env.all_docs)
        return
    for docname in sorted(set(env.found_docs) & set(env.all_docs)):
        for file in _page_files(app, docname, prev):
            if file.is_file():
                target = out / file.relative_to(prev)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, target)  # its time too: Sphinx then sees the page as up to date
        run.seeded.add(docname)
    for name in ("searchindex.js", ".buildinfo"):  # the index of the pages not written; the config check
        if (prev / name).is_file():
            shutil.copy2(prev / name, out / name)


def _snapshot(env: BuildEnvironment, docnames: list[str]) -> dict[str, Any]:
    """What other pages show of these pages: titles, tables of contents, link targets."""
    std = env.domains.standard_domain
    labels = {k: v for k, v in std.labels.items() if v[0] in docnames}
    anon = {k: v for k, v in std.anonlabels.items() if v[0] in docnames}
    objects = {k: v for k, v in std.objects.items() if v[0] in docnames}  # glossary terms, options, ...
    return {
        "objects": repr(sorted(objects.items())),
        "titles": {d: env.titles[d].astext() for d in docnames if d in env.titles},
        "tocs": {d: env.tocs[d].pformat() for d in docnames if d in env.tocs},
        "labels": repr(sorted(labels.items())),
        "anonlabels": repr(sorted(anon.items())),
    }


def _needs(env: BuildEnvironment) -> dict[str, str]:
    needs = getattr(env, "_needs_all_needs", None) or {}
    return {
        need_id: repr(
            sorted(
                (k, repr(v))
                for k, v in dict(need).items()
                if k not in NEED_TEXT_FIELDS and not k.endswith("_back") and not k.startswith("constraints")
            )
        )
        for need_id, need in needs.items()
    }


def before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Called with the final list of pages to read."""
    run = _run(app)
    run.read = set(docnames)
    if run.seeded:
        run.before = _snapshot(env, sorted(docnames))
        run.needs_before = _needs(env)


def pages_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The taken-over pages whose output could differ now, and the pages with index entries."""
    run = _run(app)
    found = set(env.found_docs)
    # Written always: their index entries (glossary terms) reach searchindex.js only from writing.
    entries = env.domains.index_domain.entries
    indexed = {doc for doc, items in entries.items() if items and doc in found}
    if not run.seeded:
        return sorted(indexed)
    read = run.read
    out = Path(app.outdir)
    for docname in run.seeded - found:  # removed: its files must not stay in the new site
        for file in _page_files(app, docname, out):
            file.unlink(missing_ok=True)
    run.seeded &= found
    everything = sorted(found)
    if found != set(run.state.get("docs", [])):
        logger.info("pages added or removed: writing every page")
        return everything
    if _snapshot(env, sorted(read)) != run.before:
        logger.info("a title, contents or link target changed: writing every page")
        return everything
    write: set[str] = set(indexed)
    if run.needs_before is not None and _needs(env) != run.needs_before:
        from sphinx_needs.data import SphinxNeedsData

        write |= set(SphinxNeedsData(env).get_or_create_docs().get("all", []))
        write |= set(getattr(env, "forebygging_needs_view_docs", set()))
    data = get_data(app.config)
    named = named_values(app)
    old_reads: dict[str, Reads] = {
        doc: {tuple(k.split("\x00", 1)): v for k, v in reads.items()}  # type: ignore[misc]
        for doc, reads in run.state.get("write_reads", {}).items()
    }
    old_dates: dict[str, str | None] = run.state.get("dates", {})
    for docname in sorted(run.seeded - read - write):
        if (
            docname not in old_reads
            or docname not in old_dates
            or changed_reads(old_reads[docname], data, named)
            or _date(app, docname) != old_dates[docname]
        ):
            write.add(docname)
    run.written = (write & found) | read
    return sorted(write & found)


def _date(app: Sphinx, docname: str) -> str | None:
    """The page's "Sist endret", as :mod:`.site` gives it to the template."""
    from .site import _page_files as page_sources
    from .site import last_changed

    date = last_changed(page_sources(app.env, docname), Path(app.confdir))
    fmt = app.config.html_last_updated_fmt or "%d.%m.%Y"
    return date.strftime(fmt) if date else None


def _on_env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    setattr(env, GENERATION, uuid.uuid4().hex)  # pickled with the environment: names this state


def _on_write_started(app: Sphinx, builder: Any) -> None:
    """Record, per page written, the data its writing reads (serial writes only)."""
    if app.parallel > 1 or builder.format != "html":
        return
    env = app.env
    run = _run(app)
    resolve = env.get_and_resolve_doctree

    def recorded_resolve(docname: str, *args: Any, **kwargs: Any) -> Any:
        _end_page(run)
        run.current = docname
        start_recording(get_data(app.config))
        return resolve(docname, *args, **kwargs)

    env.get_and_resolve_doctree = recorded_resolve  # type: ignore[method-assign]

    # Sphinx adds the pages whose table of contents lists a page read again (the start page, say):
    # its titles could have changed. Taken-over pages are checked for that already (a changed
    # title, contents or link target writes every page), so those need not be written again.
    # Both steps get the pages to write: the search index keeps the entries of the others.
    prepare_writing, write_documents = builder.prepare_writing, builder.write_documents

    def needed(docnames: set[str]) -> set[str]:
        if run.written is None:
            return docnames
        return {doc for doc in docnames if doc in run.written or doc not in run.seeded}

    builder.prepare_writing = lambda docnames: prepare_writing(needed(docnames))
    builder.write_documents = lambda docnames: write_documents(needed(docnames))


def pages_taken_over(app: Sphinx) -> set[Path]:
    """The page files this build took over from the previous site and did not write again
    (asked after the writing, when no page is being written)."""
    run = _run(app)
    kept = run.seeded - set(run.write_reads)
    return {Path(app.builder.get_outfilename(doc)) for doc in kept}  # type: ignore[union-attr,attr-defined]


def _end_page(run: _Run) -> None:
    """The page being written is done: what was read from now on is not its reads."""
    if run.current is not None:
        run.write_reads[run.current] = stop_recording()
        run.current = None


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if pagename in app.env.all_docs:
        _run(app).dates[pagename] = context.get("last_updated")
    else:  # the pages Sphinx makes (index, search) come after the last page's writing
        _end_page(_run(app))


def _on_writing_done(app: Sphinx, exception: Exception | None) -> None:
    """Before any other build-finished handler: the exports and charts read all the data, and
    those reads must not count as the last written page's (it would be written on every build)."""
    _end_page(_run(app))


def _on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    run = _run(app)
    if exception is not None or app.builder is None or app.builder.format != "html" or app.parallel > 1:
        return
    env = app.env
    found = sorted(env.found_docs)
    previous_reads = run.state.get("write_reads", {}) if run.seeded else {}
    previous_dates = run.state.get("dates", {}) if run.seeded else {}
    reads = {doc: {"\x00".join(k): v for k, v in r.items()} for doc, r in run.write_reads.items()}
    state = {
        "output": str(Path(app.outdir).resolve()),
        "generation": getattr(env, GENERATION, None),
        "code": code_fingerprint(app),
        "docs": found,
        # Pages taken over keep what their last writing recorded.
        "write_reads": {d: reads.get(d, previous_reads.get(d)) for d in found if d in reads or d in previous_reads},
        "dates": {d: run.dates.get(d, previous_dates.get(d)) for d in found if d in run.dates or d in previous_dates},
    }
    path = _state_path(app)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


CHARTS = "forebygging-charts"
"""The report's charts of the last build that drew them, with what they read (in the doctrees folder)."""


def cached_charts(app: Sphinx, values: dict[str, Any]) -> bool:
    """Copy the last drawn charts into the site if every data read, the trace and the code are unchanged."""
    folder = Path(app.doctreedir) / CHARTS
    index = folder / "charts.json"
    if not index.is_file():
        return False
    state = json.loads(index.read_text(encoding="utf-8"))
    reads = {tuple(k.split("\x00", 1)): v for k, v in state["reads"].items()}
    base = named_values(app)

    def named(name: str) -> object:
        return values[name] if name in values else base(name)

    if state.get("code") != code_fingerprint(app) or changed_reads(reads, get_data(app.config), named):  # type: ignore[arg-type]
        return False
    files = [folder / name for name in state["files"]]
    if not all(f.is_file() and hashlib.sha256(f.read_bytes()).hexdigest() == state["files"][f.name] for f in files):
        return False
    target = Path(app.outdir) / state["dir"]
    target.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copyfile(file, target / file.name)
    return True


def store_charts(app: Sphinx, reads: Reads, written: list[Path]) -> None:
    """Keep the charts just drawn and what they read, for :func:`cached_charts`."""
    folder = Path(app.doctreedir) / CHARTS
    shutil.rmtree(folder, ignore_errors=True)
    if not written:
        return
    folder.mkdir(parents=True)
    for path in written:
        shutil.copyfile(path, folder / path.name)
    state = {
        "code": code_fingerprint(app),
        "dir": str(written[0].parent.relative_to(app.outdir)),
        "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written},
        "reads": {"\x00".join(k): v for k, v in reads.items()},
    }
    (folder / "charts.json").write_text(json.dumps(state, sort_keys=True), encoding="utf-8")


def setup_reuse(app: Sphinx) -> None:
    app.add_config_value(PREVIOUS, "", "", types=[str])
    app.connect("builder-inited", _on_builder_inited)
    app.connect("env-updated", _on_env_updated)
    app.connect("write-started", _on_write_started)
    app.connect("html-page-context", _on_page_context, priority=900)  # after "Sist endret" is set (site.py)
    app.connect("build-finished", _on_writing_done, priority=1)
    app.connect("build-finished", _on_build_finished, priority=950)
