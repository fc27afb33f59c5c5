"""A real Sphinx build of the default handbook (warnings are errors), and the publish-nothing-on-failure rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from forebygging.core import load

from .conftest import DATA, DEFAULT, build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data():
    return load(DATA, DEFAULT)


def _html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_start_page_language_and_plan_metadata(built_site: Path, data) -> None:
    html = _html(built_site, "index.html")
    assert re.search(r'<html lang="nb"', html)
    assert "Sør-Aurdal" in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert data.plan.title in html
    assert data.plan.version in html
    assert "Utkast – ikke vedtatt" in html
    assert "Vedtaksdato og saksnummer er ikke fylt inn i planen." in html


def test_catalogue_has_every_measure_once_grouped_by_level(built_site: Path, data) -> None:
    html = _html(built_site, "tiltak.html")
    sections = re.findall(r'<section class="measure" id="tiltak-([a-z0-9-]+)"', html)
    assert sections == [m.id for m in sorted(data.municipality.measures, key=lambda m: _level_order(m.level))]
    for level in ("universell", "selektiv", "indikert"):
        assert re.search(f'<section[^>]* id="niva-{level}"', html)
    # Same name at two levels stays two measures.
    assert sections.count("svangerskapsomsorg-universell") == 1
    assert "svangerskapsomsorg-selektiv" in sections


def _level_order(level: str) -> int:
    return ["universell", "selektiv", "indikert"].index(level)


def test_catalogue_tables_have_headers_and_captions(built_site: Path) -> None:
    html = _html(built_site, "tiltak.html")
    assert html.count("<caption>") == 3
    assert html.count("<thead>") == 3


def test_service_directory_links_duties_and_measures(built_site: Path, data) -> None:
    html = _html(built_site, "tjenester.html")
    ids = re.findall(r'<section class="service" id="tjeneste-([a-z0-9-]+)"', html)
    assert sorted(ids) == sorted(s.id for s in data.municipality.services)
    assert 'href="https://lovdata.no/lov/2011-06-24-30/%C2%A73-4"' in html
    assert 'href="tiltak.html#tiltak-helsestasjon-for-ungdom-hfu"' in html or "tiltak.html#tiltak-" in html


def test_collaboration_model_from_data(built_site: Path, data) -> None:
    html = _html(built_site, "samhandlingsmodell.html")
    for step in data.municipality.collaboration.steps:
        assert re.search(f'<section[^>]* id="samhandling-{step.id}"', html)
        for criterion in step.criteria:
            assert criterion.replace("'", "&#39;").replace('"', "&quot;") in html or criterion in html
    for route in data.municipality.referral_routes:
        assert re.search(f'<section[^>]* id="henvisning-{route.id}"', html)


def test_data_files_are_build_dependencies(built_site: Path) -> None:
    """An edit in _data/ must rebuild the pages that render it (env.note_dependency)."""
    import pickle

    env_pickle = built_site.parent / "doctrees" / "html" / "environment.pickle"
    with env_pickle.open("rb") as f:
        env = pickle.load(f)
    deps = {Path(p).name for p in env.dependencies["tiltak"]}
    assert {"measures.yaml", "services.yaml", "levels.yaml"} <= deps


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("measures.yaml", "  name: Svangerskapsomsorg\n", "  name: [Svangerskapsomsorg\n", "YAML syntax error"),
        ("measures.yaml", "    - jordmortjeneste\n", "    - jordmortjenste\n", "unknown service id"),
    ],
    ids=["yaml-syntax", "unknown-service"],
)
def test_broken_data_publishes_nothing(
    tmp_path: Path, data_copy: Path, capsys: pytest.CaptureFixture[str], file: str, old: str, new: str, expected: str
) -> None:
    path = data_copy / DEFAULT / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out"
    assert build(out, data_copy) != 0
    err = capsys.readouterr().err
    assert f"{DEFAULT}/{file}:" in err and expected in err
    assert not (out / "html").exists()
    assert not (out / "staging").exists()


def test_failed_build_keeps_the_previous_site(tmp_path: Path, data_copy: Path, built_site: Path) -> None:
    out = tmp_path / "out"
    # What a good build of the plan leaves (the session's build, copied): published link, versions, doctrees.
    shutil.copytree(built_site.parent, out, symlinks=True)
    assert (out / "html").is_symlink()
    before = (out / "html" / "index.html").read_bytes()
    path = data_copy / DEFAULT / "services.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: grunntjeneste", "kind: grunntjenste", 1))
    assert build(out, data_copy) != 0
    assert (out / "html" / "index.html").read_bytes() == before
