"""Directives on a tiny Sphinx project (``tests/roots/test-tiny``), built with ``sphinx.testing``.

A whole handbook takes a minute to build; these projects take seconds, so a directive's output,
the optional-page logic and the data errors can be checked in isolation, the way sphinx-design
and sphinx-needs test their directives. The data is the national data plus the small
municipality ``mangelby`` of ``tests/fixtures`` (no meeting structure, one gap of every kind).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from forebygging.core import load
from forebygging.core.pages import FORUMS, excluded_pages, measure_label, service_label

from .conftest import DATA, ROOT

ROOTS = ROOT / "tests" / "roots"
SLUG = "mangelby"


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """National data and the fixture municipality, in a data directory of their own."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(ROOT / "tests" / "fixtures" / SLUG, data / SLUG)
    return data


@pytest.fixture
def tiny(make_app: Callable, tmp_path: Path, tiny_data: Path):
    """``tiny(**confoverrides)``: the tiny project, copied and set up (not yet built)."""

    def app(**overrides: object):
        srcdir = tmp_path / "src"
        shutil.copytree(ROOTS / "test-tiny", srcdir, dirs_exist_ok=True)
        return make_app("html", srcdir=srcdir, confoverrides={"forebygging_data_dir": str(tiny_data), **overrides})

    return app


def page(app, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def test_measure_catalogue_has_every_measure_under_its_label(tiny, tiny_data: Path) -> None:
    app = tiny()
    app.build()
    data = load(tiny_data, SLUG)
    soup = page(app, "index")
    for measure in data.municipality.measures:
        section = soup.find(id=measure_label(measure.id))
        assert section is not None, measure.id
        assert section.find(["h2", "h3", "h4"]).get_text().startswith(measure.name)


def test_service_directory_links_each_service_to_its_measures(tiny, tiny_data: Path) -> None:
    app = tiny()
    app.build()
    data = load(tiny_data, SLUG)
    soup = page(app, "tiltak")
    for service in data.municipality.services:
        section = soup.find(id=service_label(service.id))
        assert section is not None, service.id
        links = {a["href"].split("#")[-1] for a in section.find_all("a", href=True)}
        for measure in data.measures_by_service(service.id):
            assert measure_label(measure.id) in links, (service.id, measure.id)


def test_an_optional_page_without_data_is_left_out_with_its_toctree_entry(tiny, tiny_data: Path) -> None:
    assert FORUMS.docname in excluded_pages(load(tiny_data, SLUG))  # mangelby has no meeting structure
    app = tiny()
    app.build()
    assert not (Path(app.outdir) / f"{FORUMS.docname}.html").exists()
    pages_linked = {a["href"].split("#")[0] for a in page(app, "index").select(".toctree-wrapper a")}
    assert pages_linked == {"tiltak.html"}


def test_every_page_setting_keeps_optional_pages(tiny) -> None:
    """What the catalogue updater uses to read every page, whichever plan has its data."""
    app = tiny(forebygging_every_page=True)
    app.build()
    assert (Path(app.outdir) / f"{FORUMS.docname}.html").exists()
    pages_linked = {a["href"].split("#")[0] for a in page(app, "index").select(".toctree-wrapper a")}
    assert pages_linked == {"tiltak.html", f"{FORUMS.docname}.html"}


def test_broken_data_stops_the_build_before_any_page(tiny, tiny_data: Path) -> None:
    measures = tiny_data / SLUG / "measures.yaml"
    measures.write_text(measures.read_text(encoding="utf-8").replace("- helsestasjon\n", "- jordmor\n", 1))
    with pytest.raises(Exception, match="unknown service id") as info:
        tiny().build()
    assert "measures.yaml" in str(info.value)
