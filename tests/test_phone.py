"""Every handbook on a phone (390 × 844, Debian Chromium): menu, start page, catalogues, filters.

Staff look things up between tasks, mostly on a phone. For each of the five plans this drives
the real built site: the header's menu and contents buttons open their panels, the start page
shows the five tasks on the first screen, the measure catalogue and the service directory fit
the screen, and their filter boxes narrow the list exactly as the plan's data says they should.
Each plan is built once per test session (``plan_site``) and served once per module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from forebygging.core import HandbookData, load
from forebygging.core.models import Measure, Service
from forebygging.wording import lookup

from .conftest import DATA, serve
from .test_accessibility import AXE_TAGS, COLOUR_RULES, PageResult, _axe_script, _describe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANS = ["bamble", "hemsedal", "midtdalen", "sor-aurdal", "vest-telemark"]
WIDTH, HEIGHT = 390, 844
TASK_PAGES = ["bekymret.html", "hva-gjor-jeg-na.html", "tiltak.html", "tjenester.html", "ny-ansatt.html"]
CATALOGUES = ["tiltak.html", "tjenester.html"]


@pytest.fixture(scope="module", params=PLANS)
def plan(request: pytest.FixtureRequest, plan_site) -> Iterator[tuple[HandbookData, Path, str]]:
    """(data, html dir, url) of one plan, built once per session and served for this module."""
    site = plan_site(request.param)
    url, server = serve(site)
    try:
        yield load(DATA, request.param), site, url
    finally:
        server.shutdown()


@pytest.fixture
def phone(browser):
    """A fresh 390 × 844 tab; page errors are collected and must stay empty."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    yield page
    context.close()


def _t(data: HandbookData, key: str, **values: object) -> str:
    return lookup(data.plan.language.value, key, **values)


# --------------------------------------------------------------------------- what the filters should show


def measure_words(data: HandbookData, m: Measure) -> str:
    """What the measure filter matches: name, target group, responsible services (and the plan's note)."""
    names = [data.services[s].name for s in m.responsible]
    return " ".join([m.name, m.target_group, *names, m.responsible_note or ""]).lower()


def service_words(data: HandbookData, s: Service) -> str:
    """What the service filter matches: name, kind, the service it is part of, what it does."""
    kind = _t(data, f"service.kind.{s.kind.value}")
    part_of = data.services[s.part_of].name if s.part_of else ""
    return " ".join([s.name, kind, part_of, s.description]).lower()


def expected_measures(
    data: HandbookData, text: str = "", level: str | None = None, age: int | None = None
) -> tuple[list[str], int]:
    """(ids of the measures that fit, how many were left out only for having no age range)."""
    fits, no_age = [], 0
    for m in data.municipality.measures:
        if not all(word in measure_words(data, m) for word in text.lower().split()):
            continue
        if level and m.level != level:
            continue
        if age is not None:
            if m.ages is None:
                no_age += 1
                continue
            if not m.ages.min <= age <= m.ages.max:
                continue
        fits.append(f"tiltak-{m.id}")
    return fits, no_age


def shown_ids(page, selector: str) -> list[str]:
    """Ids of the cards that are on screen (not hidden by the filter or an ancestor)."""
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.getClientRects().length).map(e => e.id)")


def status_text(page) -> str:
    return page.locator("[data-fb-status]").inner_text().strip()


def wait_for_status(page, text: str) -> None:
    """The live region is updated once typing pauses; wait for exactly ``text``."""
    page.wait_for_function(
        "t => document.querySelector('[data-fb-status]').textContent.trim() === t", arg=text, timeout=5000
    )


# --------------------------------------------------------------------------- navigation


def test_menu_button_opens_the_navigation(plan, phone) -> None:
    data, _, url = plan
    phone.goto(f"{url}/tiltak.html", wait_until="networkidle")
    button = phone.get_by_role("button", name=_t(data, "site.nav.toggle_menu"))
    assert button.count() == 1 and button.is_visible()
    link = phone.locator("nav.bd-docs-nav a[href='tjenester.html']")
    assert not link.is_visible()  # folded away on a phone until the reader asks for it
    button.click()
    assert phone.locator("#pst-primary-sidebar-modal[open]").count() == 1
    assert link.is_visible()
    link.click()
    phone.wait_for_url("**/tjenester.html")
    assert phone.errors == []


def test_contents_button_opens_the_page_contents(plan, phone) -> None:
    data, _, url = plan
    phone.goto(f"{url}/tjenester.html", wait_until="networkidle")
    button = phone.get_by_role("button", name=_t(data, "site.nav.toggle_toc"))
    assert button.is_visible()
    first = phone.locator("#pst-secondary-sidebar-modal nav.page-toc a, #pst-secondary-sidebar nav.page-toc a").first
    assert not first.is_visible()
    button.click()
    assert phone.locator("#pst-secondary-sidebar-modal[open]").count() == 1
    assert first.is_visible()
    href = first.get_attribute("href")
    assert href and href.startswith("#")
    first.click()
    phone.wait_for_function("h => location.hash === h", arg=href)
    assert phone.errors == []


def test_header_has_a_home_link(plan, phone) -> None:
    data, _, url = plan
    phone.goto(f"{url}/tjenester.html", wait_until="networkidle")
    home = phone.locator(".bd-header-article a.forebygging-home")
    assert home.is_visible() and home.inner_text().strip() == _t(data, "site.nav.home")
    box = home.bounding_box()
    assert box and box["y"] + box["height"] <= 200, "the home link is not at the top of the page"
    home.click()
    phone.wait_for_url(re.compile(r"/index\.html$"))
    assert phone.locator(".bd-header-article a.forebygging-home").get_attribute("aria-current") == "page"


@pytest.mark.parametrize("page_name", ["index.html", "samhandlingsmodell.html", "tjenester.html"])
def test_previous_and_next_fit_the_screen(plan, phone, page_name: str) -> None:
    _, _, url = plan
    phone.goto(f"{url}/{page_name}", wait_until="networkidle")
    links = phone.locator(".prev-next-area a")
    assert links.count() >= 1
    for box in (links.nth(i).bounding_box() for i in range(links.count())):
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box


# --------------------------------------------------------------------------- start page


def test_the_five_tasks_are_on_the_first_screen(plan, phone) -> None:
    data, _, url = plan
    phone.goto(f"{url}/index.html", wait_until="networkidle")
    links = phone.locator("nav.start-tasks a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == TASK_PAGES
    labels = [phone.locator("nav.start-tasks .start-tasks__label").nth(i).inner_text() for i in range(5)]
    keys = ["tasks.concern", "tasks.guide", "tasks.measures", "tasks.services", "tasks.new"]
    assert labels == [_t(data, key) for key in keys]
    for i in range(5):
        box = links.nth(i).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, (TASK_PAGES[i], box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
        assert box["height"] >= 44, "a task link is smaller than a finger"
    # The plan's facts follow below the tasks.
    tasks_bottom = phone.locator("nav.start-tasks").bounding_box()
    facts = phone.locator(".plan-info").bounding_box()
    assert tasks_bottom and facts and facts["y"] > tasks_bottom["y"] + tasks_bottom["height"]
    links.nth(2).click()
    phone.wait_for_url("**/tiltak.html")


# --------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize("page_name", CATALOGUES)
def test_catalogue_fits_the_screen(plan, phone, page_name: str) -> None:
    _, _, url = plan
    phone.goto(f"{url}/{page_name}", wait_until="networkidle")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= WIDTH
    wide = phone.evaluate(
        """w => [...document.querySelectorAll('.bd-article table, .bd-article *')]
            .filter(e => e.getClientRects().length)
            .map(e => [e.tagName + '#' + e.id + '.' + e.getAttribute('class'), e.getBoundingClientRect().right])
            .filter(([, right]) => right > w + 0.5)""",
        WIDTH,
    )
    assert wide == [], f"wider than the screen on {page_name}: {wide[:5]}"
    cards = phone.locator("section.measure" if page_name == "tiltak.html" else "section.service")
    if cards.count():
        box = cards.first.bounding_box()
        assert box and box["width"] <= WIDTH


def test_measure_filter_narrows_by_text(plan, phone) -> None:
    data, _, url = plan
    total = len(data.municipality.measures)
    phone.goto(f"{url}/tiltak.html", wait_until="networkidle")
    if not total:
        assert phone.locator("[data-fb-filter]").count() == 0  # nothing to filter: no box
        return
    every = [f"tiltak-{m.id}" for m in sorted(data.municipality.measures, key=lambda m: _level(data, m))]
    box = phone.get_by_role("searchbox", name=_t(data, "filter.measures.label"))
    assert "Filtrer tiltak" in _t(data, "filter.measures.label")
    assert box.is_visible()
    assert phone.locator("[data-fb-status]").get_attribute("role") == "status"  # a polite live region
    wait_for_status(phone, _t(data, "filter.measures.all", n=total))
    assert shown_ids(phone, "section.measure") == every

    expected, _ = expected_measures(data, "jordmor")
    box.fill("jordmor")
    if expected:
        wait_for_status(phone, _t(data, "filter.measures.some", shown=len(expected), total=total))
    else:
        wait_for_status(phone, _t(data, "filter.measures.none", total=total))
    assert sorted(shown_ids(phone, "section.measure")) == sorted(expected)
    for card in shown_ids(phone, "section.measure"):
        assert "jordmor" in phone.locator(f"#{card} [data-fb-item]").get_attribute("data-fb-text").lower()

    box.fill("")
    wait_for_status(phone, _t(data, "filter.measures.all", n=total))
    assert shown_ids(phone, "section.measure") == every
    assert phone.errors == []


def _level(data: HandbookData, m: Measure) -> int:
    return [level.id for level in data.national.levels].index(m.level)


def test_measure_filter_by_level_and_age(plan, phone) -> None:
    data, _, url = plan
    measures = data.municipality.measures
    total = len(measures)
    if not total:
        pytest.skip(f"{data.plan.title}: the plan has no measures to filter")
    phone.goto(f"{url}/tiltak.html", wait_until="networkidle")
    level = max({m.level for m in measures}, key=lambda lvl: sum(m.level == lvl for m in measures))
    phone.get_by_label(_t(data, "filter.level"), exact=True).select_option(level)
    expected, _ = expected_measures(data, level=level)
    wait_for_status(phone, _t(data, "filter.measures.some", shown=len(expected), total=total))
    assert sorted(shown_ids(phone, "section.measure")) == sorted(expected)
    # Only the chosen level's section is left.
    sections = phone.eval_on_selector_all("section.fb-filter-group", "els => els.map(e => [e.id, !e.hidden])")
    assert [sid for sid, visible in sections if visible] == [f"niva-{level}"]

    age = phone.get_by_label(_t(data, "filter.age"), exact=True)
    if not any(m.ages for m in measures):
        # A plan that gives no age range anywhere gets no age filter: it could only empty the list.
        assert age.count() == 0
    else:
        _check_age_filter(phone, data, age, level)

    # "Show all" brings every measure back and puts the reader in the text field.
    phone.get_by_role("button", name=_t(data, "filter.reset")).click()
    wait_for_status(phone, _t(data, "filter.measures.all", n=total))
    assert len(shown_ids(phone, "section.measure")) == total
    assert phone.get_by_role("searchbox", name=_t(data, "filter.measures.label")).evaluate(
        "e => e === document.activeElement"
    )
    assert phone.errors == []


def _check_age_filter(phone, data: HandbookData, age, level: str) -> None:
    """The age filter, with and without a level: only measures whose range holds the age are shown."""
    measures, total = data.municipality.measures, len(data.municipality.measures)
    for years in (4, 15, 30):  # 30: above every range the data model allows
        age.fill(str(years))
        expected, no_age = expected_measures(data, level=level, age=years)
        message = (
            _t(data, "filter.measures.some", shown=len(expected), total=total)
            if expected
            else _t(data, "filter.measures.none", total=total)
        )
        if no_age:
            message += " " + _t(data, "filter.measures.no_age", n=no_age)
        wait_for_status(phone, message)
        assert sorted(shown_ids(phone, "section.measure")) == sorted(expected)

    # Age alone, across every level: a measure without an age range is never shown as fitting.
    phone.get_by_label(_t(data, "filter.level"), exact=True).select_option("")
    age.fill("4")
    expected, no_age = expected_measures(data, age=4)
    message = (
        _t(data, "filter.measures.some", shown=len(expected), total=total)
        if expected
        else _t(data, "filter.measures.none", total=total)
    )
    wait_for_status(phone, message + (" " + _t(data, "filter.measures.no_age", n=no_age) if no_age else ""))
    assert sorted(shown_ids(phone, "section.measure")) == sorted(expected)
    assert not {f"tiltak-{m.id}" for m in measures if m.ages is None} & set(shown_ids(phone, "section.measure"))


def test_age_without_range_is_said_on_the_card(plan) -> None:
    data, site, _ = plan
    html = (site / "tiltak.html").read_text(encoding="utf-8")
    for m in data.municipality.measures:
        section = re.search(rf'<section class="measure[^"]*" id="tiltak-{re.escape(m.id)}">(.*?)</section>', html, re.S)
        assert section, m.id
        if m.ages is None:
            assert _t(data, "measure.ages.none") in section.group(1), m.id
        else:
            assert f'data-fb-age-min="{m.ages.min}" data-fb-age-max="{m.ages.max}"' in section.group(1), m.id


def test_service_filter(plan, phone) -> None:
    data, _, url = plan
    services = data.municipality.services
    phone.goto(f"{url}/tjenester.html", wait_until="networkidle")
    box = phone.get_by_role("searchbox", name=_t(data, "filter.services.label"))
    assert box.is_visible()
    total = len(services)
    wait_for_status(phone, _t(data, "filter.services.all", n=total))
    assert len(shown_ids(phone, "section.service")) == total
    rows = phone.locator("#tjenester-planens-oversikt tbody tr")
    n_rows = rows.count()
    for word in ("jordmor", services[0].name.split()[0], "zzqx"):
        expected = sorted(f"tjeneste-{s.id}" for s in services if word.lower() in service_words(data, s))
        box.fill(word)
        if expected:
            wait_for_status(phone, _t(data, "filter.services.some", shown=len(expected), total=total))
        else:
            wait_for_status(phone, _t(data, "filter.services.none", total=total))
        assert sorted(shown_ids(phone, "section.service")) == expected, word
        # The plan's own overview table (where it has one) follows the cards.
        visible_rows = phone.eval_on_selector_all(
            "#tjenester-planens-oversikt tbody tr",
            "trs => trs.filter(t => t.getClientRects().length).map(t => t.querySelector('a').hash.slice(1))",
        )
        assert set(visible_rows) <= set(expected)
    box.fill("")
    wait_for_status(phone, _t(data, "filter.services.all", n=total))
    assert len(shown_ids(phone, "section.service")) == total and rows.count() == n_rows
    assert phone.errors == []


def test_a_link_to_a_hidden_measure_shows_it(plan, phone) -> None:
    data, _, url = plan
    if len(data.municipality.measures) < 2:
        pytest.skip("needs two measures")
    first, last = data.municipality.measures[0], data.municipality.measures[-1]
    phone.goto(f"{url}/tiltak.html", wait_until="networkidle")
    phone.get_by_role("searchbox", name=_t(data, "filter.measures.label")).fill(first.name)
    phone.wait_for_function(f"() => !document.getElementById('tiltak-{last.id}').getClientRects().length")
    phone.evaluate(f"location.hash = '#tiltak-{last.id}'")
    phone.wait_for_function(f"() => document.getElementById('tiltak-{last.id}').getClientRects().length > 0")


def test_without_javascript_the_full_list_stays(plan, browser) -> None:
    data, _, url = plan
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{url}/tiltak.html")
        assert page.locator("[data-fb-filter]").filter(visible=True).count() == 0
        assert len(shown_ids(page, "section.measure")) == len(data.municipality.measures)
        page.goto(f"{url}/tjenester.html")
        assert page.locator("[data-fb-filter]").filter(visible=True).count() == 0
        assert len(shown_ids(page, "section.service")) == len(data.municipality.services)
    finally:
        context.close()


def test_filtering_stores_and_sends_nothing(plan, browser) -> None:
    data, _, url = plan
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(f"{url}/tjenester.html", wait_until="networkidle")
        storage = "() => JSON.stringify([{...localStorage}, {...sessionStorage}, document.cookie])"
        before = page.evaluate(storage)
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.get_by_role("searchbox", name=_t(data, "filter.services.label")).fill("barn")
        page.wait_for_timeout(600)
        assert requests == []
        assert page.evaluate(storage) == before
    finally:
        context.close()


def test_filter_script_only_where_there_is_a_filter(plan) -> None:
    data, site, _ = plan
    with_filter = {"tjenester.html"} | ({"tiltak.html"} if data.municipality.measures else set())
    for html in sorted(site.glob("*.html")):
        text = html.read_text(encoding="utf-8")
        has_script = "_static/forebygging-filter.js" in text
        assert has_script == (html.name in with_filter), html.name
        if has_script:
            assert "data-fb-filter" in text
    script = (site / "_static" / "forebygging-filter.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 8_000
    assert not re.search(r"fetch\(|XMLHttpRequest|localStorage|sessionStorage|document\.cookie|sendBeacon", script)


def test_measure_anchors_keep_their_need_ids(plan) -> None:
    data, site, _ = plan
    html = (site / "tiltak.html").read_text(encoding="utf-8")
    for m in data.municipality.measures:
        section = re.search(rf'<section class="measure[^"]*" id="tiltak-{re.escape(m.id)}">(.*?)</section>', html, re.S)
        assert section and re.search(r'\bid="MEASURE_', section.group(1)), m.id


# --------------------------------------------------------------------------- accessibility at phone width


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_filtered_list_and_open_menu_pass_axe_at_phone_width(plan, browser, scheme: str) -> None:
    """The states a page load does not show: a filter set and the menu open. (Every page as loaded
    is checked at phone width, light and dark, by the crawl in test_accessibility.py.)"""
    data, _, url = plan
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, color_scheme=scheme)
    run_only = {"type": "tag", "values": AXE_TAGS} if scheme == "light" else {"type": "rule", "values": COLOUR_RULES}
    failing: list[PageResult] = []
    try:
        page = context.new_page()

        def check(name: str) -> None:
            page.evaluate(_axe_script().read_text(encoding="utf-8"))  # not a script tag: the CSP refuses those
            report = page.evaluate("o => axe.run(document, {runOnly: o, resultTypes: ['violations']})", run_only)
            if report["violations"]:
                failing.append(PageResult(name, scheme, report["violations"], width=WIDTH))

        page.goto(f"{url}/tjenester.html", wait_until="networkidle")
        # A filter set: the hidden cards, the status, the emptied groups.
        page.get_by_role("searchbox", name=_t(data, "filter.services.label")).fill("barn")
        page.wait_for_timeout(500)
        check("tjenester.html (filtered)")
        page.get_by_role("button", name=_t(data, "site.nav.toggle_menu")).click()
        check("tjenester.html (menu open)")
    finally:
        context.close()
    assert not failing, "\n".join(_describe(r) for r in failing)
