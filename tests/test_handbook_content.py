"""Handbook content and onboarding, checked in the built default handbook.

Navigation reaches every page; the flow chart, the indicator chart and the knowledge
pages come from the data; every page has the urgent-help link and a "Sist endret" date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from posixpath import normpath
from urllib.parse import urldefrag, urljoin

import pytest

from forebygging.core import load
from forebygging.ext.directives.flow import flow_dot
from forebygging.ext.directives.indicators import chart_svg, format_value
from forebygging.ext.site import last_changed

from .conftest import DATA, DEFAULT, build

pytestmark = pytest.mark.slow

KNOWLEDGE_PAGES = [
    "om-planen",
    "begreper",
    "risiko-og-beskyttelse",
    "barnets-beste",
    "taushetsplikt",
    "samarbeidsplikt",
    "tiltakspyramiden",
    "samhandlingsmodell",
    "utfordringsbilde",
    "styrker",
    "behov-og-tiltak",
    "implementering",
    "kilder",
]
ONBOARDING_PAGES = ["bekymret", "ny-ansatt", "sjekkliste-leder", "kursleder", "ordliste", "tilgjengelighet"]
# Pages Sphinx generates for every site; they are in the header (search) or not meant for the menu.
NOT_IN_MENU = {"genindex.html", "search.html"}


@pytest.fixture(scope="module")
def data():
    return load(DATA, DEFAULT)


def _html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


class _Links(HTMLParser):
    """Collects the hrefs inside the sidebar navigation (``nav.bd-docs-nav``) and all element ids."""

    def __init__(self) -> None:
        super().__init__()
        self.nav_depth = 0
        self.nav_links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(attr["id"] or "")
        if tag == "nav":
            if self.nav_depth or "bd-docs-nav" in (attr.get("class") or ""):
                self.nav_depth += 1
        elif tag == "a" and self.nav_depth and attr.get("href"):
            self.nav_links.append(attr["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.nav_depth:
            self.nav_depth -= 1


def _parse(site: Path, page: str) -> _Links:
    parser = _Links()
    parser.feed(_html(site, page))
    return parser


def _themed_pages(site: Path) -> set[str]:
    """Pages drawn by the theme (sphinx-needs' bare permalink helper page is not one)."""
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "_static" not in p.parts and 'id="main-content"' in p.read_text(encoding="utf-8")
    }


def _reachable_from_menu(site: Path) -> set[str]:
    """Every page reached by following sidebar-menu links from the start page, page by page."""
    seen = {"index.html"}
    queue = deque(["index.html"])
    while queue:
        page = queue.popleft()
        for href in _parse(site, page).nav_links:
            target, _ = urldefrag(href)
            if not target or "://" in target or not target.endswith(".html"):
                continue
            resolved = normpath(urljoin(page, target))
            if resolved not in seen and (site / resolved).exists():
                seen.add(resolved)
                queue.append(resolved)
    return seen


def test_nitpicky_build_resolves_every_reference(built_site: Path) -> None:
    """The session build runs with -n -W: it only exists if every internal reference resolved."""
    assert (built_site / "index.html").exists()
    for page in KNOWLEDGE_PAGES + ONBOARDING_PAGES:
        assert (built_site / f"{page}.html").exists(), page


def test_every_page_is_reachable_from_the_navigation(built_site: Path) -> None:
    reachable = _reachable_from_menu(built_site)
    missing = sorted(_themed_pages(built_site) - reachable - NOT_IN_MENU)
    assert not missing, f"pages not reachable from the sidebar menu: {missing}"


def test_every_measure_service_and_duty_is_reachable_from_the_navigation(built_site: Path, data) -> None:
    reachable = _reachable_from_menu(built_site)
    ids_by_page = {page: _parse(built_site, page).ids for page in reachable}
    all_ids = set().union(*ids_by_page.values())
    html = "".join(_html(built_site, page) for page in reachable)
    for measure in data.municipality.measures:
        assert f"tiltak-{measure.id}" in all_ids, f"measure {measure.id} is on no page in the menu"
    for service in data.municipality.services:
        assert f"tjeneste-{service.id}" in all_ids, f"service {service.id} is on no page in the menu"
    for duty in data.national.duties:
        # A duty is reachable as its own page (traceability work), or at least cited with its link.
        url = data.duty_url(duty)
        on_page = f"plikt-{duty.id}" in all_ids
        cited = url is not None and url.replace("§", "%C2%A7") in html
        assert on_page or cited, f"duty {duty.id} is neither a page in the menu nor cited on one"


def test_urgent_help_link_and_last_changed_on_every_page(built_site: Path) -> None:
    for page in sorted(_themed_pages(built_site)):
        html = _html(built_site, page)
        href = "#" if page == "bekymret.html" else "../" * page.count("/") + "bekymret.html"
        assert re.search(
            rf'class="forebygging-urgent__link" href="{re.escape(href)}"[^>]*>Er du bekymret for et barn\?</a>', html
        ), page
        assert re.search(r"Sist endret \d{2}\.\d{2}\.\d{4}\.", html), f"{page} shows no 'Sist endret' date"


def test_theme_strings_are_norwegian(built_site: Path) -> None:
    html = _html(built_site, "tiltak.html")
    assert "Gå til hovedinnholdet" in html
    assert 'aria-label="Hovedmeny"' in html and 'title="Vis eller skjul menyen"' in html
    for english in (
        "Skip to main content",
        "Back to top",
        "Last updated on",
        ">Contents<",
        "By Forebyggings",
        'aria-label="Main"',
        "Toggle primary sidebar",
    ):
        assert english not in html, english


def test_concern_page_acute_first_then_steps_and_portal_from_data(built_site: Path, data) -> None:
    html = _html(built_site, "bekymret.html")
    main = html[html.index("<article") :]
    assert main.index("112") < main.index("nærmeste leder") < main.index("Bekymringsmelding til barnevernet")
    assert 'href="tel:112"' in main
    # The portal itself, from the national data; the plan's link is a news article about it.
    portal = next(c for c in data.national.contacts if c.id == "bekymringsmelding-portal")
    assert f'href="{portal.url}"' in main
    route = next(r for r in data.municipality.referral_routes if r.service == "barnevern")
    assert f'href="{route.url}"' not in main
    assert " ".join(route.how.split()[:6]) in main


def test_flow_chart_is_svg_with_alt_and_text_alternative(built_site: Path, data) -> None:
    html = _html(built_site, "samhandlingsmodell.html")
    img = re.search(r'<img src="(_images/graphviz-[0-9a-f]+\.svg)" alt="([^"]+)"', html)
    assert img, "the flow chart is not drawn as an SVG image with alt text"
    assert (built_site / img.group(1)).read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    flow = data.municipality.collaboration.flow
    text = html[html.index("Flytskjemaet som tekst") :]
    for node in flow.nodes:
        if not node.outcome:
            assert node.label in text.replace("&#39;", "'")


def test_flow_dot_comes_from_data_and_is_deterministic(data) -> None:
    model = data.municipality.collaboration
    levels = {s.id: s.level for s in model.steps}
    dot = flow_dot(model.flow, levels)
    assert dot == flow_dot(model.flow, levels)
    for edge in model.flow.edges:
        assert f'"{edge.source}" -> "{edge.target}"' in dot


def test_indicator_chart_is_inline_svg_with_title_and_table(built_site: Path, data) -> None:
    html = _html(built_site, "utfordringsbilde.html")
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="indikatorer-title indikatorer-desc"', html)
    for ind in data.municipality.indicators:
        assert format_value(ind) in html, ind.id
    percent = [i for i in data.municipality.indicators if i.unit == "%"]
    assert chart_svg(percent, "t", "d", "x", "{value} ({year})") == chart_svg(
        percent, "t", "d", "x", "{value} ({year})"
    )


def test_knowledge_pages_open_with_a_summary_and_render_the_data(built_site: Path, data) -> None:
    for page in KNOWLEDGE_PAGES + ONBOARDING_PAGES:
        if page == "samhandlingsmodell":
            continue
        html = _html(built_site, f"{page}.html")
        assert 'class="page-summary' in html and "Kort fortalt:" in html, page
    factors = _html(built_site, "risiko-og-beskyttelse.html")
    for factor in data.national.factors:
        assert factor.name in factors
    assert "ikke en poengsum" in factors
    for group in data.national.risk_groups:
        assert group.name in factors
    samarbeid = _html(built_site, "samarbeidsplikt.html")
    for duty in data.national.duties:
        if duty.kind.value == "samarbeidsplikt":
            assert data.duty_url(duty).replace("§", "%C2%A7") in samarbeid, duty.id
    needs = _html(built_site, "behov-og-tiltak.html")
    for need in data.municipality.development.needs:
        assert f'id="planbehov-{need.id}"' in needs
    impl = _html(built_site, "implementering.html")
    for duty in data.municipality.development.implementation:
        assert duty.responsible in impl


def test_onboarding_path_steps_end_with_exercises(built_site: Path) -> None:
    html = _html(built_site, "ny-ansatt.html")
    steps = re.findall(r'<section id="ny-ansatt-steg-(\d+)">', html)
    assert steps == [str(n) for n in range(1, len(steps) + 1)] and len(steps) >= 5
    minutes = sum(int(m) for m in re.findall(r"\((\d+) min\)<a class=\"headerlink\"", html))
    assert 20 <= minutes <= 40, minutes
    assert html.count('class="exercise"') == len(steps)
    checklist = _html(built_site, "sjekkliste-leder.html")
    assert "Gjøre planen kjent for nye ansatte." in checklist and "☐" in checklist


def test_glossary_terms_are_linked_where_used(built_site: Path) -> None:
    glossary = _html(built_site, "ordliste.html")
    for term in ("PPT", "BUP", "samordningsplikt", "barnekoordinator", "individuell plan", "innsatsteam"):
        assert re.search(rf'<dt id="term-[^"]+">{re.escape(term)}', glossary), term
    assert 'href="ordliste.html#term-PPT"' in _html(built_site, "taushetsplikt.html")
    assert 'href="ordliste.html#term-samordningsplikt"' in _html(built_site, "samarbeidsplikt.html")


def test_print_stylesheet_hides_navigation(built_site: Path) -> None:
    css = (built_site / "_static" / "handbok.css").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    for selector in (".forebygging-urgent", ".bd-sidebar-primary", ".bd-header"):
        assert selector in print_rules
    assert "handbok.css" in _html(built_site, "index.html")


def test_last_changed_falls_back_to_file_dates_without_git(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.yaml"
    a.write_text("a")
    b.write_text("b")
    import os

    os.utime(a, (0, dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC).timestamp()))
    os.utime(b, (0, dt.datetime(2025, 5, 17, 12, tzinfo=dt.UTC).timestamp()))
    assert last_changed([a, b], tmp_path) == dt.date(2025, 5, 17)
    assert last_changed([tmp_path / "missing"], tmp_path) is None


def test_another_municipality_without_flow_routes_or_indicators_builds(tmp_path: Path, data_copy: Path) -> None:
    """Nothing municipality-specific is typed into the pages: a plan with less data still builds (-n -W)."""
    muni = data_copy / "testkommune"
    (data_copy / DEFAULT).rename(muni)
    plan = muni / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - Sør-Aurdal\n", "  - Testkommune\n"), encoding="utf-8")
    model = muni / "collaboration_model.yaml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text[: text.index("\nflow:")] + "\n", encoding="utf-8")
    (muni / "referral_routes.yaml").write_text("[]\n", encoding="utf-8")
    (muni / "indicators.yaml").write_text("[]\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build(out, data_copy, "testkommune", "--nitpicky") == 0
    site = out / "html"
    assert "Sør-Aurdal" not in _html(site, "bekymret.html")
    assert "Planen oppgir ingen egen vei for bekymringsmeldinger" in _html(site, "bekymret.html")
    assert "Planen har ikke noe flytskjema." in _html(site, "samhandlingsmodell.html")
