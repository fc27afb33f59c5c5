"""All five plans build as handbooks, warnings as errors, each showing exactly its own data.

The five municipalities differ a lot (a plan without a measures table, a nynorsk plan for six
municipalities, 148 measures per protective factor); the engine must bend to each without
special cases, so every one is built for real here and its pages are counted against its data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forebygging.core import HandbookData, load
from forebygging.core.loader import available_municipalities
from forebygging.core.models import MeasureStatus

from .conftest import DATA

PLANS = ["bamble", "hemsedal", "midtdalen", "sor-aurdal", "vest-telemark"]


def test_the_five_plans_are_the_data() -> None:
    """The parametrised builds below cover every municipality in ``_data/``."""
    assert available_municipalities(DATA) == PLANS


@pytest.fixture(scope="module", params=PLANS)
def plan(request: pytest.FixtureRequest, plan_site) -> tuple[HandbookData, Path]:
    """(data, html dir) of one plan, built with warnings as errors."""
    return load(DATA, request.param), plan_site(request.param)


def _ids(html: Path, prefix: str) -> set[str]:
    return set(re.findall(rf'\bid="{re.escape(prefix)}([^"]+)"', html.read_text(encoding="utf-8")))


def _needs(html: Path, kind: str) -> set[str]:
    needs = json.loads((html / "needs.json").read_text(encoding="utf-8"))
    current = needs["versions"][needs["current_version"]]["needs"]
    return {n["id"] for n in current.values() if n["type"] == kind}


def test_language_of_the_pages(plan: tuple[HandbookData, Path]) -> None:
    data, html = plan
    assert f'<html lang="{data.plan.language.value}"' in (html / "index.html").read_text(encoding="utf-8")


def test_measures_match_the_data(plan: tuple[HandbookData, Path]) -> None:
    data, html = plan
    measures = {m.id for m in data.municipality.measures}
    assert len(_needs(html, "measure")) == len(measures)
    assert _ids(html / "tiltak.html", "tiltak-") >= measures
    shown = {i for i in _ids(html / "tiltak.html", "tiltak-") if i in measures}
    assert shown == measures


def test_services_match_the_data(plan: tuple[HandbookData, Path]) -> None:
    data, html = plan
    services = {s.id for s in data.municipality.services}
    assert len(_needs(html, "service")) == len(services)
    assert {i for i in _ids(html / "tjenester.html", "tjeneste-") if i in services} == services


def test_steps_match_the_data(plan: tuple[HandbookData, Path]) -> None:
    data, html = plan
    steps = [s.id for s in data.municipality.collaboration.steps]
    page = (html / "samhandlingsmodell.html").read_text(encoding="utf-8")
    shown = re.findall(r'<section [^>]*id="samhandling-([^"]+)"', page)
    assert [s for s in shown if s in steps] == steps


def test_no_empty_headings(plan: tuple[HandbookData, Path]) -> None:
    """A heading is always followed by something: optional kinds a plan lacks leave no trace."""
    _, html = plan
    empty = re.compile(r"<h([1-6])[^>]*>(?:(?!</h\1>).)*</h\1>\s*</section>", re.S)
    offenders = {
        page.name: m.group(0)[:120]
        for page in html.rglob("*.html")
        if "_static" not in page.parts
        for m in [empty.search(page.read_text(encoding="utf-8"))]
        if m
    }
    assert not offenders


def test_index_of_the_handbooks(tmp_path: Path) -> None:
    """``make all`` ends with an index linking every plan's handbook, each entry in its plan's language."""
    from forebygging.cli.handbook_index import write_index

    page = write_index(DATA, PLANS, tmp_path).read_text(encoding="utf-8")
    for slug in PLANS:
        data = load(DATA, slug)
        entry = re.search(rf'<li lang="(\w+)"><a href="{slug}/html/index.html">([^<]+)</a>', page)
        assert entry, slug
        assert entry.group(1) == data.plan.language.value
        assert entry.group(2) == data.plan.title.replace("&", "&amp;")


def test_report_counts_statuses_only_for_plans_with_statuses(plan: tuple[HandbookData, Path]) -> None:
    """A plan without statuses gets no columns of zeros in the council report."""
    data, html = plan
    page = (html / "rapport.html").read_text(encoding="utf-8")
    levels = re.search(r'<table class="[^"]*trace-levels.*?</table>', page, re.S)
    assert levels, "the report has no table of measures by level"
    headers = {h.strip() for h in re.findall(r"<th[^>]*>(?:<p>)?([^<]+)", levels.group(0))}
    status_headers = {s.value.capitalize() for s in MeasureStatus}
    assert bool(status_headers & headers) == any(m.status for m in data.municipality.measures)


def test_catalogue_export_has_every_measure_with_what_the_plan_says_of_responsibility(
    plan: tuple[HandbookData, Path],
) -> None:
    import csv

    from forebygging.outputs.exports import CSV_DELIMITER, file_stem

    data, html = plan
    with (html / f"{file_stem(data)}.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=CSV_DELIMITER))
    ids = {m.id for m in data.municipality.measures}
    assert {row[0] for row in rows if row and row[0] in ids} == ids
    for m in data.municipality.measures:
        if m.responsible_note:
            row = next(r for r in rows if r and r[0] == m.id)
            assert m.responsible_note in row[5]
