"""Every page of the default handbook in headless Chromium: axe-core WCAG 2.0/2.1 A+AA, privacy, keyboard.

One browser context and one tab crawl the whole site once (module fixture); the tests then
read the results, so the crawl costs one page load and one axe run per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_script() -> Path:
    axe = pytest.importorskip("axe_playwright_python")
    path = Path(axe.__file__).resolve().parent / "axe.min.js"
    if not path.exists():
        pytest.fail(f"axe-core is missing from the installed axe-playwright-python: {path}")
    return path


COLOUR_SCHEMES = ("light", "dark")  # the theme follows the reader's setting; both must pass
# Only colour can differ between the schemes: the dark pass runs axe's colour rules (all of
# them WCAG 2.0 AA or A), which keeps the second crawl short.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


@dataclass
class PageResult:
    page: str
    scheme: str
    violations: list[dict] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, search.html and genindex.html included (they are pages too)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


def axe_crawl(browser, site_url: str, pages: list[str]) -> list[PageResult]:
    """Each page, once per colour scheme: load, inject axe-core, run the WCAG A/AA rules, note off-site requests."""
    axe_js = _axe_script()
    host = urlparse(site_url).hostname
    results: list[PageResult] = []
    for scheme in COLOUR_SCHEMES:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        requests: list[str] = []
        context.on("request", lambda request, requests=requests: requests.append(request.url))
        try:
            for name in pages:
                requests.clear()
                page.goto(f"{site_url}/{name}", wait_until="load")
                # Wait for the network to fall quiet: late requests are seen too, and a page that
                # redirects (sphinx-needs' permalink.html) has arrived before axe is injected.
                page.wait_for_load_state("networkidle")
                # Evaluated, not added as an inline <script>, which the pages' CSP would block.
                page.evaluate(axe_js.read_text(encoding="utf-8"))
                run_only = {"type": "tag", "values": AXE_TAGS}
                if scheme != COLOUR_SCHEMES[0]:
                    run_only = {"type": "rule", "values": COLOUR_RULES}
                report = page.evaluate(
                    "runOnly => axe.run(document, {runOnly: runOnly, resultTypes: ['violations']})", run_only
                )
                offsite = [
                    url
                    for url in requests
                    if not url.startswith(("data:", "blob:", "about:")) and urlparse(url).hostname != host
                ]
                results.append(PageResult(name, scheme, report["violations"], offsite))
        finally:
            context.close()
    return results


@pytest.fixture(scope="module")
def crawl(browser, site_url: str, built_site: Path) -> list[PageResult]:
    """Every page of the default handbook, once per colour scheme."""
    return axe_crawl(browser, site_url, site_pages(built_site))


def _describe(result: PageResult) -> str:
    lines = [f"{result.page} ({result.scheme} mode):"]
    for violation in result.violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            detail = node["any"][0].get("message", "") if node.get("any") else ""
            lines.append(f"      {target}  {detail}".rstrip())
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def test_every_page_is_crawled(crawl: list[PageResult], built_site: Path) -> None:
    for scheme in COLOUR_SCHEMES:
        names = {r.page for r in crawl if r.scheme == scheme}
        assert {"index.html", "search.html", "genindex.html", "bekymret.html", "ny-ansatt.html"} <= names
        assert len(names) == len(site_pages(built_site))


def test_no_axe_wcag_violations_on_any_page(crawl: list[PageResult]) -> None:
    failing = [r for r in crawl if r.violations]
    assert not failing, "axe-core found WCAG 2.0/2.1 A/AA violations:\n" + "\n".join(_describe(r) for r in failing)


def test_no_page_requests_anything_outside_the_site(crawl: list[PageResult]) -> None:
    leaks = {f"{r.page} ({r.scheme})": r.offsite for r in crawl if r.offsite}
    assert not leaks, f"requests left the site: {leaks}"


def test_keyboard_reaches_skip_link_first_and_it_moves_focus_to_main(browser, site_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/tiltak.html", wait_until="load")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement; const r = a.getBoundingClientRect();"
            " return {href: a.getAttribute('href'), text: a.textContent.trim(), w: r.width, h: r.height,"
            " top: r.top, visible: getComputedStyle(a).visibility !== 'hidden'}; }"
        )
        assert focused["href"] == "#main-content", f"first Tab stop is not the skip link: {focused}"
        assert focused["w"] > 0 and focused["h"] > 0 and focused["top"] >= 0 and focused["visible"], focused
        assert focused["text"] == "Gå til hovedinnholdet"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        in_main = page.evaluate("() => !!document.activeElement.closest('#main-content')")
        assert in_main, "after the skip link, the next Tab stop is not inside the main content"
    finally:
        page.close()


def test_keyboard_reaches_the_urgent_help_link_right_after_the_skip_link(browser, site_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/tjenester.html", wait_until="load")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert href is not None and href.endswith("bekymret.html")
        page.keyboard.press("Enter")
        page.wait_for_url("**/bekymret.html")
        assert "112" in page.locator("main").inner_text()
    finally:
        page.close()


OTHER_PLANS = ("bamble", "hemsedal", "midtdalen", "vest-telemark")
DATA_PAGES = ("index.html", "tiltak.html", "tjenester.html", "samhandlingsmodell.html", "mangler.html")
"""The pages whose content differs most between plans; with the pages only some plans have."""


@pytest.mark.parametrize("slug", OTHER_PLANS)
def test_other_plans_pages_have_no_axe_violations(browser, plan_site, built_site: Path, slug: str) -> None:
    """The pages only some plans have (meeting structure, forms, local part, factor matrix, ...) and
    the data-heavy pages of each other plan pass the same checks as the default handbook."""
    from .conftest import serve

    site = plan_site(slug)
    default_pages = set(site_pages(built_site))
    pages = [p for p in site_pages(site) if p not in default_pages or p in DATA_PAGES]
    url, server = serve(site)
    try:
        results = axe_crawl(browser, url, pages)
    finally:
        server.shutdown()
    assert len({r.page for r in results}) == len(pages) >= len(DATA_PAGES)
    failing = [r for r in results if r.violations or r.offsite]
    assert not failing, "\n".join(_describe(r) + (f"\n  off-site: {r.offsite}" if r.offsite else "") for r in failing)
