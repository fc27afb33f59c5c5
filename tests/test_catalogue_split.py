"""A large plan's catalogue: short cards on the catalogue page, each level's measures in full on a
page of their own, and a description edit that reads one level's page again, not all of them.

Builds: a generated plan of exactly ``CATALOGUE_SPLIT_AT`` measures (benchmarks/bench.py makes it
from Sør-Aurdal's plan), once per test run; then, in a copy, one description edited and built
incrementally from a build of its own, and a clean build of the same data to compare with. The five real plans stay
below the threshold; their one-page catalogue is what the other test files check.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from forebygging.core import HandbookData, load
from forebygging.core.pages import CATALOGUE_SPLIT_AT, catalogue_split, level_page, measure_page
from forebygging.ext.directives.measures import STUB_MARK, level_stub_texts, write_level_stubs
from forebygging.wording import lookup

from .conftest import DATA, DEFAULT, ROOT, build, serve, shared_build
from .test_accessibility import PHONE, visit_pages
from .trees import differences

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench

SLUG = bench.SLUG


def _with_measures(data: HandbookData, n: int) -> HandbookData:
    """``data`` with ``n`` measures (its own, repeated): only their number matters here."""
    own = data.municipality.measures
    measures = [own[i % len(own)] for i in range(n)]
    return dataclasses.replace(data, municipality=data.municipality.model_copy(update={"measures": measures}))


@dataclass
class Split:
    data_dir: Path
    out: Path
    data: HandbookData

    @property
    def site(self) -> Path:
        return self.out / "html"


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> Split:
    def make(folder: Path) -> None:
        bench.generate(folder / "_data", CATALOGUE_SPLIT_AT)
        assert build(folder / "out", folder / "_data", SLUG) == 0

    folder = shared_build(tmp_path_factory, "build-split-catalogue", make)
    return Split(folder / "_data", folder / "out", load(folder / "_data", SLUG))


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _t(data: HandbookData, key: str, **values: object) -> str:
    return lookup(data.plan.language.value, key, **values)


# --------------------------------------------------------------------------- when the catalogue is split (no build)


def test_the_catalogue_is_split_from_the_threshold_on_and_no_real_plan_is() -> None:
    data = load(DATA, DEFAULT)
    assert not catalogue_split(data)
    assert measure_page(data, "selektiv") == "tiltak"
    assert not catalogue_split(_with_measures(data, CATALOGUE_SPLIT_AT - 1))
    large = _with_measures(data, CATALOGUE_SPLIT_AT)
    assert catalogue_split(large)
    assert measure_page(large, "selektiv") == level_page("selektiv") == "tiltak/selektiv"
    for slug in ("sor-aurdal", "hemsedal", "midtdalen", "vest-telemark", "bamble"):
        assert not catalogue_split(load(DATA, slug)), slug  # their one-page catalogue is what the other tests see


def test_level_pages_follow_the_data_and_leave_other_files_alone(tmp_path: Path) -> None:
    small = load(DATA, DEFAULT)
    own = tmp_path / "tiltak" / "egen.md"
    own.parent.mkdir()
    own.write_text("# Egen side\n", encoding="utf-8")
    data = _with_measures(small, CATALOGUE_SPLIT_AT)
    write_level_stubs(tmp_path, data, "nb")
    levels = sorted({m.level.value for m in data.municipality.measures})
    assert sorted(p.stem for p in own.parent.glob("*.md") if p != own) == levels
    page = (own.parent / f"{levels[0]}.md").read_text(encoding="utf-8")
    assert page.startswith(STUB_MARK) and f"```{{measure-level}} {levels[0]}\n```" in page
    assert "# Tiltak: " in page and "# Tiltak: " in level_stub_texts(data, "nn")[f"{levels[0]}.md"]
    # Below the threshold again: the generated pages go, the plan owner's own file stays.
    write_level_stubs(tmp_path, small, "nb")
    assert [p.name for p in own.parent.glob("*.md")] == ["egen.md"]


# --------------------------------------------------------------------------- the built pages


def test_the_catalogue_page_has_a_short_card_per_measure_and_no_description(split: Split) -> None:
    page = _soup(split.site / "tiltak.html")
    main = page.find("main")
    cards = main.select("section.measure")
    assert sorted(c["id"] for c in cards) == sorted(f"tiltakskort-{m.id}" for m in split.data.municipality.measures)
    text = main.get_text(" ")
    described = [m for m in split.data.municipality.measures if len(m.description) > 40]
    assert described and not any(m.description in text for m in described)
    assert _t(split.data, "catalogue.split") in text
    # Every card links to its measure's full description on its level's page.
    for card in cards:
        measure = split.data.measures[card["id"].removeprefix("tiltakskort-")]
        links = [a["href"] for a in card.select("a.reference")]
        assert f"tiltak/{measure.level}.html#tiltak-{measure.id}" in links, (card["id"], links)
    # The overview rows link to the cards on the same page: the filter hides a row with its card.
    rows = main.select("table.catalogue-summary tbody tr td:first-child a[href]")
    assert rows and all(a["href"].startswith("#tiltakskort-") for a in rows)


def test_each_level_page_describes_its_measures_in_full(split: Split) -> None:
    data = split.data
    levels = {m.level for m in data.municipality.measures}
    assert sorted(p.stem for p in (split.site / "tiltak").glob("*.html")) == sorted(levels)
    for level in levels:
        page = _soup(split.site / f"{level_page(level)}.html")
        main = page.find("main")
        mine = [m for m in data.municipality.measures if m.level == level]
        assert [s["id"] for s in main.select("section.measure")] == [f"tiltak-{m.id}" for m in mine]
        text = main.get_text(" ")
        assert all(m.description.split()[0] in text for m in mine)
        assert main.find("h1").get_text(strip=True).startswith(_t(data, "catalogue.level_page.title", level=""))
        assert main.select_one(f".level-{level}")  # the level's colour on every card
        back = [a["href"] for a in main.select("a.reference") if a["href"].startswith("../tiltak.html")]
        assert back, "no way back to the catalogue and its filter"


def test_every_link_to_a_measure_reaches_its_full_description(split: Split) -> None:
    site = split.site
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.relative_to(site).parts:
            continue
        for href in re.findall(r'href="([^"#]*\.html)#(tiltak(?:skort)?-[^"]+)"', page.read_text(encoding="utf-8")):
            target = (page.parent / href[0]).resolve()
            if target not in ids:
                ids[target] = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
            assert href[1] in ids[target], f"{page.relative_to(site)} links to {href[0]}#{href[1]}: no such id"
            checked += 1
    assert checked > CATALOGUE_SPLIT_AT  # the duty pages, the directory and the reflection aid link measures
    flow = (site / "plikter" / "bvl-15-1.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./tiltak/\w+\.html#tiltak-', flow)


def test_the_level_pages_are_in_the_navigation_under_the_catalogue(split: Split) -> None:
    nav = _soup(split.site / "tiltak.html").select_one("nav.bd-docs-nav")
    hrefs = {a["href"] for a in nav.select("a")}
    levels = {m.level for m in split.data.municipality.measures}
    assert {f"tiltak/{level}.html" for level in levels} <= hrefs


# --------------------------------------------------------------------------- the preview after an edit


def test_a_description_edit_reads_one_level_page_and_equals_a_clean_build(split: Split, tmp_path: Path) -> None:
    # A build of its own to start from: a build copied elsewhere is not one Sphinx can update.
    data_dir, out = tmp_path / "_data", tmp_path / "out"
    shutil.copytree(split.data_dir, data_dir)
    with contextlib.redirect_stdout(io.StringIO()):
        assert build(out, data_dir, SLUG) == 0
    first = split.data.municipality.measures[0]
    bench.edit_one_measure(data_dir, SLUG)
    doctrees = out / "doctrees" / "html"
    before = {p: p.stat().st_mtime_ns for p in doctrees.rglob("*.doctree")}
    started = time.time_ns()
    with contextlib.redirect_stdout(io.StringIO()):
        assert build(out, data_dir, SLUG) == 0
    reread = {str(p.relative_to(doctrees).with_suffix("")) for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert level_page(first.level) in reread and "tiltak" not in reread, reread
    assert not {level_page(lv) for lv in ("universell", "selektiv", "indikert")} - {level_page(first.level)} & reread
    site = out / "html"
    written = {str(p.relative_to(site)) for p in site.rglob("*.html") if p.stat().st_mtime_ns >= started}
    assert "tiltak.html" not in written and f"{level_page(first.level)}.html" in written
    assert "Tilbudet er endret." in (site / f"{level_page(first.level)}.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    with contextlib.redirect_stdout(io.StringIO()):
        assert build(clean, data_dir, SLUG) == 0
    assert differences(site, clean / "html", "the preview", "the clean build") == []


# --------------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def split_url(split: Split):
    url, server = serve(split.site)
    yield url
    server.shutdown()


@pytest.mark.browser
def test_split_pages_pass_axe_and_fit_a_phone(browser, split: Split, split_url: str) -> None:
    level = split.data.municipality.measures[0].level
    visits = visit_pages(browser, split_url, ["tiltak.html", f"{level_page(level)}.html"])
    for visit in visits:
        for result in visit.results:
            assert result.violations == [], (visit.page, result.scheme, result.width, result.violations)
        assert visit.offsite == [] and visit.policy_problems == [] and visit.icon_overflow == []
        assert visit.csp and visit.referrer  # the policy tags, on the generated pages too
        assert visit.phone_overflow <= 0, (visit.page, visit.phone_overflow)


@pytest.mark.browser
def test_the_age_filter_narrows_the_cards_and_a_card_leads_to_the_full_description(
    browser, split: Split, split_url: str
) -> None:
    data = split.data
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{split_url}/tiltak.html", wait_until="networkidle")
        page.get_by_label(_t(data, "filter.age"), exact=True).fill("4")
        fits = [m for m in data.municipality.measures if m.ages and m.ages.min <= 4 <= m.ages.max]
        no_age = sum(m.ages is None for m in data.municipality.measures)
        total = len(data.municipality.measures)
        status = _t(data, "filter.measures.some", shown=len(fits), total=total)
        if no_age:
            status += " " + _t(data, "filter.measures.no_age", n=no_age)
        page.wait_for_function(
            "t => document.querySelector('[data-fb-status]').textContent.trim() === t", arg=status, timeout=5000
        )
        shown = page.eval_on_selector_all(
            "section.measure", "els => els.filter(e => e.getClientRects().length).map(e => e.id)"
        )
        assert sorted(shown) == sorted(f"tiltakskort-{m.id}" for m in fits)
        m = fits[0]
        page.locator(f"#tiltakskort-{m.id} a[href*='#tiltak-{m.id}']").click()
        page.wait_for_url(f"**/{level_page(m.level)}.html#tiltak-{m.id}")
        assert m.description.split()[0] in page.locator(f"#tiltak-{m.id}").inner_text()
        assert errors == []
    finally:
        context.close()
