"""Reproducible and incremental builds.

- Two clean builds of the same sources give byte-identical output: HTML, needs.json,
  schema_violations.json, the CSV and XLSX exports, images, search index. The second
  build runs with ``-j 2``, so the same comparison shows that -j 2 equals -j 1.
- After one measure is edited in ``_data/``, an incremental build gives exactly the
  output of a clean build (our own invalidation, ext/invalidation.py), even when the
  file keeps its old modification time.

Four builds in all, done once in a module fixture.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from forebygging.core import load
from forebygging.core.lawrefs import KnownLaws, check_files

from .conftest import DATA, DEFAULT, build
from .trees import differences, files

pytestmark = pytest.mark.slow

OLD_NAME = "  name: Svangerskapsomsorg\n"
NEW_NAME = "  name: Svangerskaps- og barselomsorg\n"


@dataclass
class Builds:
    first: Path  # clean, -j 1
    second: Path  # clean, -j 2, same data
    incremental: Path  # `first` rebuilt in place after one measure was edited
    clean_after_edit: Path  # clean build of the edited data


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("repro")
    data = root / "_data"
    shutil.copytree(DATA, data)
    first, second, clean = root / "first", root / "second", root / "clean"
    assert build(first, data, DEFAULT) == 0
    assert build(second, data, DEFAULT, "-j", "2") == 0
    shutil.copytree(first / "html", root / "first-html")  # before the incremental build changes it
    measures = data / DEFAULT / "measures.yaml"
    text = measures.read_text(encoding="utf-8")
    assert text.count(OLD_NAME) >= 1
    before = measures.stat()
    measures.write_text(text.replace(OLD_NAME, NEW_NAME, 1), encoding="utf-8")
    # The old modification time, as after restoring a backup: Sphinx's own check (newer
    # than the page) misses the edit, so only our content hashes can catch it.
    os.utime(measures, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert build(first, data, DEFAULT) == 0  # incremental: same --out, doctrees kept
    assert build(clean, data, DEFAULT) == 0
    return Builds(root / "first-html", second / "html", first / "html", clean / "html")


def test_two_clean_builds_and_j2_are_byte_identical(builds: Builds) -> None:
    names = files(builds.first).keys()
    for expected in ("index.html", "needs.json", "schema_violations.json", "searchindex.js"):
        assert expected in names
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".csv") for n in names)
    assert differences(builds.first, builds.second) == []


def test_incremental_build_after_a_data_edit_equals_a_clean_build(builds: Builds) -> None:
    catalogue = (builds.incremental / "tiltak.html").read_text(encoding="utf-8")
    assert NEW_NAME.split(": ")[1].strip() in catalogue
    assert differences(builds.incremental, builds.clean_after_edit) == []


def test_lovdata_urls_in_data_pages_and_site_name_known_sections(builds: Builds) -> None:
    """Item 5: every lovdata URL is well formed and names a law and section in the national data."""
    known = KnownLaws.from_national(load(DATA, DEFAULT).national)
    count, problems = check_files([DATA, DATA.parent / "handbook", builds.first], known)
    assert count > 0
    assert problems == [], "\n".join(map(str, problems))
