"""The one place that runs Sphinx and publishes a build; every command that builds goes through here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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
) -> int:
    """One Sphinx build of the handbook pages with warnings as errors; returns its exit status."""
    from sphinx.cmd.build import build_main

    os.environ["KOMMUNE"] = slug
    argv = ["-b", builder, "-c", str(PROJECT), "-d", str(doctrees), "-W", "--keep-going", "-q"]
    argv += ["-j", str(jobs)] if jobs != 1 else []
    argv += ["-n"] if nitpicky else []
    # The data directory that was validated is the one Sphinx builds from (--data).
    argv += ["-D", f"forebygging_data_dir={Path(data).resolve()}"]
    for key, value in (defines or {}).items():
        argv += ["-D", f"{key}={value}"]
    argv += [str(PROJECT / "handbook"), str(outdir)]
    return build_main(argv)


def publish(staging: Path, target: Path) -> None:
    """Replace ``target`` with a copy of ``staging`` in as few steps as possible."""
    fresh = target.with_name(target.name + ".new")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(staging, fresh)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
