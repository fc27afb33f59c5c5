"""Where a build works and how its result is published.

Layout of one build folder (``_build/<slug>/`` or ``--out``)::

    src/<builder>/               a synced copy of handbook/ plus what the build generates in it
                                 (duty stubs in plikter/, a split catalogue's level pages in
                                 tiltak/, compiled .mo files, sphinx.js)
    doctrees/<builder>/          Sphinx's environment, kept so the next build is incremental
    versions/<builder>-<stamp>/  each build's output, written into a new, empty folder
    <builder> -> versions/...    the published site: a symlink, swapped in one rename

Why: the source tree is never written by a build (so any number of plans can build at once in
one checkout), every build starts its output in an empty folder (so a page that was removed
or failed cannot survive into the next site; the kept environment makes reading incremental,
and :mod:`forebygging.ext.reuse` copies in only the previous site's pages that cannot have
changed), and readers only ever see a complete site, the old one or the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import filecmp
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from ..core.pages import LEVEL_PAGES_DIR

VERSIONS = "versions"
DUTY_DIR = "plikter"  # generated duty pages (forebygging.ext.trace)
GENERATED_DIRS = frozenset({DUTY_DIR, LEVEL_PAGES_DIR})  # and a split catalogue's level pages
INTERRUPTED = ".building"  # present while a build runs; left behind by a build that was killed
COPY_MARK = ".forebygging-source-copy"  # in every source copy: a sync never empties a folder without it


class NotASourceCopy(ValueError):
    """The sync was pointed at a folder with other files in it (a mistyped ``--out``, say)."""


def generated(rel: Path) -> bool:
    """Files a build writes into its source copy (duty and level stubs, compiled ``.mo``, ``sphinx.js``).

    In ``handbook/`` itself they can only be leftovers of builds made in place, never sources.
    """
    if rel.parts and rel.parts[0] in GENERATED_DIRS:
        return True
    return bool(rel.parts) and rel.parts[0] == "_locale" and (rel.suffix == ".mo" or rel.name == "sphinx.js")


def sync_sources(source: Path, target: Path) -> None:
    """Make ``target`` a copy of ``source``, with the same modification times where unchanged.

    Only files whose content differs are copied (and are then newer than any build), so
    Sphinx re-reads exactly the changed (or touched) pages. What the build generated from
    files still in ``source`` is kept (so it is not generated again); everything else not in
    ``source`` goes, so a removed page is removed from the next build.
    """
    source, target = Path(source), Path(target)
    if target.is_dir() and any(target.iterdir()) and not (target / COPY_MARK).exists():
        raise NotASourceCopy(f"{target} has files and is not a copy of the pages made by a build; nothing was changed")
    target.mkdir(parents=True, exist_ok=True)
    (target / COPY_MARK).touch()
    wanted: set[Path] = set()
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or generated(rel):
            continue
        wanted.add(rel)
        dest = target / rel
        if path.is_dir():
            if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
                dest.unlink()
            dest.mkdir(exist_ok=True)
        elif dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
            shutil.copy2(path, dest)
        elif not dest.exists() or not filecmp.cmp(path, dest, shallow=False):
            _atomic_copy(path, dest)
        elif path.stat().st_mtime_ns > dest.stat().st_mtime_ns:
            shutil.copystat(path, dest)  # touched: Sphinx reads the page again, as it would in place
    for path in sorted(target.rglob("*"), reverse=True):  # children before their folders
        rel = path.relative_to(target)
        if _keep(rel, wanted):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _keep(rel: Path, wanted: set[Path]) -> bool:
    """Whether a file of the source copy stays: it is in the source, or generated from something that is."""
    # The duty and level stubs: the extension keeps them current itself.
    if rel in wanted or rel.parts[0] in GENERATED_DIRS or rel == Path(COPY_MARK):
        return True
    if rel.suffix == ".mo":
        return rel.with_suffix(".po") in wanted
    if rel.name == "sphinx.js":
        return rel.with_name("sphinx.po") in wanted
    return False


def _atomic_copy(path: Path, dest: Path) -> None:
    """Copy through a temporary name, so a killed sync never leaves half a file.

    The copy keeps the source's modification time, unless that is older than now and the
    copy replaces different content (a page restored from a backup, say): then it gets the
    current time, so Sphinx reads the page again and recompiles a changed ``.po``, which it
    decides by modification time alone.
    """
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    shutil.copy2(path, tmp)
    if dest.exists():
        now = time.time_ns()
        os.utime(tmp, ns=(now, max(now, path.stat().st_mtime_ns)))
    os.replace(tmp, dest)


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per build folder (the same plan twice waits; other plans do not)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def interrupted_guard(out: Path, builder: str) -> Iterator[bool]:
    """Yield whether the last build of ``builder`` here was interrupted; mark this one as running.

    A build killed or interrupted (Ctrl-C, an exception) can leave a half-written doctree
    pickle behind, so the caller then starts from a fresh environment and source copy. The
    mark is removed only when this build returns, whether it succeeded or Sphinx reported
    errors (Sphinx's files are consistent then).
    """
    mark = out / f"{INTERRUPTED}-{builder}"
    was_interrupted = mark.exists()
    mark.touch()
    yield was_interrupted  # an exception here propagates and leaves the mark
    mark.unlink(missing_ok=True)


def new_version_dir(out: Path, builder: str) -> Path:
    """A new, empty folder for one build's output, named so versions sort by age."""
    versions = out / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = versions / f"{builder}-{stamp}-{time.monotonic_ns() % 10**9:09d}-{os.getpid()}"
    path.mkdir()
    return path


def publish(version: Path, target: Path) -> None:
    """Point ``target`` at ``version`` with one atomic rename, then drop older versions.

    ``target`` is a relative symlink, so the build folder can be moved or served as a whole.
    A ``target`` that is a real folder (the layout before versions) is moved into the
    versions folder first: the only moment without a site, once.
    """
    link = target.with_name(f".{target.name}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(version, target.parent))
    if target.is_dir() and not target.is_symlink():
        target.rename(version.parent / f"{target.name}-legacy-{os.getpid()}")
    os.replace(link, target)
    prune_versions(target)


def prune_versions(target: Path, keep_previous: int = 1) -> None:
    """Remove old, failed and killed builds' folders of ``target``'s builder.

    The published version stays, and the ``keep_previous`` newest before it, so a reader who
    loaded a page of the previous site a moment ago can still fetch its images and scripts.
    Leftover temporary links of killed publishes go too.
    """
    versions = target.parent / VERSIONS
    current = target.resolve() if target.is_symlink() else None
    for stale_link in target.parent.glob(f".{target.name}.*.link"):
        stale_link.unlink(missing_ok=True)
    if not versions.is_dir():
        return
    mine = sorted(
        (p for p in versions.iterdir() if p.name.startswith(f"{target.name}-")),
        key=lambda p: p.name.split("-", 1)[1],
    )
    if current in mine:
        older = mine[: mine.index(current)]
        keep = set(older[-keep_previous:]) if keep_previous else set()
        newer = mine[mine.index(current) + 1 :]
    else:
        older, keep, newer = mine, set(), []
    for path in older + newer:
        if path not in keep and path != current:
            shutil.rmtree(path, ignore_errors=True)
