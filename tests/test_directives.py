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
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import ValidationError

from forebygging.core import load
from forebygging.core.models import Feedback
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


# --------------------------------------------------------------------------- the accessibility statement's channels

STATEMENT = """---
orphan: true
---
# Tilgjengelighet

```{accessibility-feedback}
```

```{national-contacts} uu-tilsynet diskrimineringsnemnda
```
"""


def _with_statement(app) -> None:
    (Path(app.srcdir) / "tilgjengelighet.md").write_text(STATEMENT, encoding="utf-8")


def _set_feedback(data: Path, feedback: dict | None) -> None:
    path = data / SLUG / "plan.yaml"
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    if feedback is None:
        plan.pop("feedback", None)
    else:
        plan["feedback"] = feedback
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")


def _build(tiny: Callable) -> object:
    app = tiny()
    _with_statement(app)
    app.build()
    return page(app, "tilgjengelighet")


def test_a_plan_without_a_channel_is_said_to_give_none(tiny: Callable, tiny_data: Path) -> None:
    _set_feedback(tiny_data, None)
    soup = _build(tiny)
    text = soup.find("main").get_text(" ", strip=True) if soup.find("main") else soup.get_text(" ", strip=True)
    assert "oppgir ingen e-postadresse eller kontaktside" in text
    assert not soup.select("a[href^='mailto:']")


def test_the_plan_owners_email_and_contact_page_are_named(tiny: Callable, tiny_data: Path) -> None:
    _set_feedback(tiny_data, {"email": "postmottak@mangelby.kommune.no", "url": "https://mangelby.kommune.no/kontakt"})
    soup = _build(tiny)
    mail = soup.select("a[href^='mailto:']")
    # The HTML writer percent-encodes the "@" in the address (RFC 6068 allows it); mail clients decode it.
    assert [(unquote(a["href"]), a.get_text()) for a in mail] == [
        ("mailto:postmottak@mangelby.kommune.no", "postmottak@mangelby.kommune.no")
    ]
    assert soup.select("a[href='https://mangelby.kommune.no/kontakt']")
    assert "oppgir ingen e-postadresse" not in soup.get_text(" ", strip=True)


def test_complaint_bodies_come_from_national_data_in_the_order_asked(tiny: Callable, tiny_data: Path) -> None:
    soup = _build(tiny)
    contacts = {c.id: c for c in load(tiny_data, SLUG).national.contacts}
    hrefs = [a["href"] for a in soup.select("li a.reference.external")]
    assert hrefs == [str(contacts["uu-tilsynet"].url), str(contacts["diskrimineringsnemnda"].url)]
    assert contacts["uu-tilsynet"].name in soup.get_text(" ", strip=True)


def test_an_unknown_national_contact_is_an_error_naming_it(tiny: Callable, tiny_data: Path, capsys) -> None:
    app = tiny()
    (Path(app.srcdir) / "tilgjengelighet.md").write_text(
        STATEMENT.replace("diskrimineringsnemnda", "klageorgan"), encoding="utf-8"
    )
    app.build()
    assert "no national contact 'klageorgan'" in app._warning.getvalue()


@pytest.mark.parametrize(
    "feedback, message",
    [({}, "an e-mail address or a contact page"), ({"email": "postmottak"}, "email"), ({"url": "kontakt"}, "url")],
)
def test_feedback_needs_a_real_channel(feedback: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Feedback.model_validate(feedback)
