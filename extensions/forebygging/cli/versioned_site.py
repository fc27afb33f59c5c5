"""``make site``: the working tree as the current version plus every tagged plan version.

``_build/<slug>/site`` is published like ``html`` (a symlink to a new folder in
``versions/``, swapped in one rename; :mod:`forebygging.cli.publishing`). Its layout::

    index.html ...                 the current version (the working tree)
    switcher.json                  the versions, for the theme's version switcher
    versjoner/<version>/...        each tagged version, built with today's engine from its own data
    versjoner/<version>/switcher.json

Every version root gets its own copy of ``switcher.json`` because the theme resolves a
relative ``json_url`` against the root of the version being read. Entry URLs are
absolute paths under ``base`` (default ``/``): the theme appends the page's path to them,
which only works from pages in sub-folders when the URL does not depend on the page.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..core import load
from ..core.versions import Version, export_data, repository_root, tagged_versions
from .build import run_sphinx
from .publishing import build_lock, interrupted_guard, new_version_dir, publish
from .trace_cli import write_report_pdf

VERSIONS_DIR = "versjoner"


def docnames(html_root: Path) -> list[str]:
    """The pages a built version has, as docnames (``plikter/bvl-15-1``)."""
    skip = {"genindex", "search"}
    names = (p.relative_to(html_root).with_suffix("").as_posix() for p in html_root.rglob("*.html"))
    return sorted(n for n in names if n not in skip and not n.startswith(("_", VERSIONS_DIR + "/")))


def switcher_entries(current: str, older: list[Version], base: str) -> list[dict[str, object]]:
    base = base if base.endswith("/") else base + "/"
    entries: list[dict[str, object]] = [
        {"name": f"{current} (gjeldende)", "version": current, "url": base, "preferred": True}
    ]
    for version in reversed(older):
        entries.append({"name": version.name, "version": version.name, "url": f"{base}{VERSIONS_DIR}/{version.name}/"})
    return entries


def build_site(data: Path, slug: str, out: Path, *, base: str = "/", repo: Path | None = None) -> int:
    """Build all versions into ``out/site``; publish only when every version built."""
    with build_lock(Path(out)), interrupted_guard(Path(out), "site") as was_interrupted:
        if was_interrupted:  # its doctrees may be half-written: every version from scratch
            for kind in ("doctrees", "src"):
                for stale in Path(out, kind).glob("site*"):
                    shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(Path(out, "site-staging"), ignore_errors=True)  # the layout before versions
        staging = new_version_dir(Path(out), "site")
        status = _build_versions(Path(data).resolve(), slug, Path(out), staging, base=base, repo=repo)
        if status != 0:
            shutil.rmtree(staging, ignore_errors=True)
            return status
        publish(staging, Path(out) / "site")
    return 0


def _build_versions(data: Path, slug: str, out: Path, staging: Path, *, base: str, repo: Path | None) -> int:
    """Every version into the empty folder ``staging``; non-zero when any of them failed."""
    repo = repo or repository_root(data)
    current = load(data, slug).plan.version
    versions = tagged_versions(repo, slug) if repo else []
    older = [v for v in versions if v.name != current]
    manifests = out / "site-manifests"
    manifests.mkdir(parents=True, exist_ok=True)

    def manifest(this: str, current_docs: list[str]) -> str:
        path = manifests / f"{this}.json"
        body = {"this": this, "current": current, "current_docs": current_docs}
        path.write_text(json.dumps(body, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        return str(path)

    status = run_sphinx(
        data,
        slug,
        staging,
        out / "doctrees" / "site",
        defines={"forebygging_site_manifest": manifest(current, [])},
    )
    if status != 0:
        return status
    write_report_pdf(load(data, slug), staging)
    current_docs = docnames(staging)
    entries = json.dumps(switcher_entries(current, older, base), ensure_ascii=False, indent=2) + "\n"
    (staging / "switcher.json").write_text(entries, encoding="utf-8")

    data_path = data.relative_to(repo).as_posix() if repo else "_data"
    for version in older:
        with tempfile.TemporaryDirectory(prefix=f"plan-{version.name}-") as tmp:
            old_data = export_data(repo, version, data_path, Path(tmp))
            target = staging / VERSIONS_DIR / version.name
            status = run_sphinx(
                old_data,
                slug,
                target,
                out / "doctrees" / f"site-{version.name}",
                defines={"forebygging_site_manifest": manifest(version.name, current_docs)},
            )
            if status != 0:
                print(f"Version {version.name} ({version.tag}) failed to build; nothing was published.")
                return status
            write_report_pdf(load(old_data, slug), target)
            (target / "switcher.json").write_text(entries, encoding="utf-8")
    print(f"Built {out / 'site'}: current {current}, older {', '.join(v.name for v in older) or 'none'}")
    return 0
