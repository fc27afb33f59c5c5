"""The one place that runs Sphinx; every command that builds goes through here (publishing: :mod:`.publishing`)."""

from __future__ import annotations

import os
from pathlib import Path

from .publishing import sync_sources

PROJECT = Path(__file__).resolve().parents[3]


def run_sphinx(
    data: Path,
    slug: str,
    outdir: Path,
    doctrees: Path,
    *,
    builder: str = "html",
    jobs: int = 1,
    nitpicky: bool = False,
    defines: dict[str, str] | None = None,
    src: Path | None = None,
    handbook: Path | None = None,
) -> int:
    """One Sphinx build of the handbook pages with warnings as errors; returns its exit status.

    Sphinx reads ``src`` (default: ``<doctrees>/../../src/<doctrees name>``), a copy of
    ``handbook`` synced first: the build writes its generated pages and compiled catalogues
    there, never into ``handbook/``, which other builds read at the same time.
    """
    from sphinx.cmd.build import build_main

    handbook = Path(handbook or PROJECT / "handbook").resolve()
    src = Path(src or Path(doctrees).parent.parent / "src" / Path(doctrees).name).resolve()
    sync_sources(handbook, src)
    os.environ["KOMMUNE"] = slug
    argv = ["-b", builder, "-c", str(PROJECT), "-d", str(doctrees), "-W", "--keep-going", "-q"]
    argv += ["-j", str(jobs)] if jobs != 1 else []
    argv += ["-n"] if nitpicky else []
    # The data directory that was validated is the one Sphinx builds from (--data).
    argv += ["-D", f"forebygging_data_dir={Path(data).resolve()}"]
    # Where the copied pages came from: "Sist endret" asks git about the originals.
    argv += ["-D", f"forebygging_source_origin={handbook}"]
    for key, value in (defines or {}).items():
        argv += ["-D", f"{key}={value}"]
    argv += [str(src), str(outdir)]
    return build_main(argv)
