"""The Sphinx build reuses the data ``forebygging build`` validated, only if the files are unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from forebygging.core import load
from forebygging.ext import data as ext_data

from .conftest import DATA

SLUG = "sor-aurdal"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(DATA / "national", tmp_path / "national")
    shutil.copytree(DATA / SLUG, tmp_path / SLUG)
    monkeypatch.setattr(ext_data, "_CACHE", {})
    monkeypatch.setattr(ext_data, "_THIS_BUILD", {})
    return tmp_path


def hashes(root: Path) -> dict[str, str]:
    root = root.resolve()
    return ext_data.file_hashes(sorted((root / "national").glob("*.yaml")) + sorted((root / SLUG).glob("*.yaml")))


def config(root: Path) -> SimpleNamespace:
    return SimpleNamespace(forebygging_data_dir=str(root), forebygging_municipality=SLUG)


def test_data_validated_by_the_command_is_what_the_build_uses(data_dir: Path) -> None:
    before = hashes(data_dir)
    loaded = load(data_dir, SLUG)
    ext_data.remember(loaded, before)
    assert ext_data.get_data(config(data_dir)) is loaded


def test_a_file_changed_after_hashing_makes_the_build_load_again(data_dir: Path) -> None:
    before = hashes(data_dir)
    loaded = load(data_dir, SLUG)
    measures = data_dir / SLUG / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8") + "\n# endret\n", encoding="utf-8")
    ext_data.remember(loaded, before)
    fresh = ext_data.get_data(config(data_dir))
    assert fresh is not loaded
    assert fresh.municipality.measures == loaded.municipality.measures  # only a comment was added


def test_a_file_the_hashes_do_not_cover_is_never_trusted(data_dir: Path) -> None:
    before = hashes(data_dir)
    before.pop(str((data_dir / SLUG / "plan.yaml").resolve()))
    loaded = load(data_dir, SLUG)
    ext_data.remember(loaded, before)
    assert ext_data.get_data(config(data_dir)) is not loaded
