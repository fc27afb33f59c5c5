"""Plan versions as git tags: ``plan/<slug>/<version>``, e.g. ``plan/sor-aurdal/2026.1``.

Why tags: a plan version is a state of the data that the council saw (a draft on
høring, an adopted plan). Git already stores every state; a tag names one and cannot
silently change, and ``git archive`` gives back exactly the data of that version. Old
versions are rebuilt with today's engine from their own data, so links and layout stay
consistent across versions.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

TAG_PREFIX = "plan"
VERSION_PATTERN = re.compile(r"^\d{4}\.\d+$")


@dataclass(frozen=True, order=True)
class Version:
    """A tagged plan version; ordered by year, then sequence number."""

    key: tuple[int, int]
    name: str
    tag: str

    @classmethod
    def from_tag(cls, tag: str) -> Version | None:
        name = tag.rsplit("/", 1)[-1]
        if not VERSION_PATTERN.match(name):
            return None
        year, seq = name.split(".")
        return cls((int(year), int(seq)), name, tag)


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def repository_root(path: Path) -> Path | None:
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel").decode().strip())
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def tagged_versions(repo: Path, slug: str) -> list[Version]:
    """Every ``plan/<slug>/<version>`` tag in the repository, oldest first."""
    if repository_root(repo) is None:
        return []
    tags = _git(repo, "tag", "--list", f"{TAG_PREFIX}/{slug}/*").decode().split()
    return sorted(v for t in tags if (v := Version.from_tag(t)) is not None)


def tags_state(repo: Path, slug: str) -> str:
    """Every ``plan/<slug>/*`` tag with the commit it names, one per line.

    The change report compares the working tree with the newest older tag, so a tag added,
    removed or moved changes pages although no data file did; incremental builds compare this.
    """
    if repository_root(repo) is None:
        return ""
    refs = f"refs/tags/{TAG_PREFIX}/{slug}/"
    return _git(repo, "for-each-ref", "--format=%(refname) %(objectname) %(*objectname)", refs).decode()


def export_data(repo: Path, version: Version, data_path: str, target: Path) -> Path:
    """Write ``<data_path>/`` as it was at ``version`` into ``target``; return the data dir.

    The whole data directory is exported, national data included: a version is read with
    the law and factors that were in force for it.
    """
    archive = _git(repo, "archive", "--format=tar", version.tag, data_path)
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target / data_path
