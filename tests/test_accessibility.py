"""Every page of every handbook in headless Chromium: axe-core WCAG 2.1 A/AA, page policy, privacy, keyboard.

Each plan's site is crawled once (``plan_crawl``; the policy checks read it here too, see test_page_policy.py):
one browser tab visits every page once, and in that one visit axe-core runs four times (desktop
light and dark, then the same tab narrowed to a phone, dark and light), the page's own safety
tags and any Content-Security-Policy violation are read, and every request that left the site is
noted. The tests then only read the results.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from forebygging.ext.page_policy import REFERRER_POLICY

from .conftest import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLANS = ("bamble", "hemsedal", "midtdalen", "sor-aurdal", "vest-telemark")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _axe_script() -> Path:
    axe = pytest.importorskip("axe_playwright_python")
    path = Path(axe.__file__).resolve().parent / "axe.min.js"
    if not path.exists():
        pytest.fail(f"axe-core is missing from the installed axe-playwright-python: {path}")
    return path


COLOUR_SCHEMES = ("light", "dark")  # the theme follows the reader's setting; both must pass
# Only colour can differ between the schemes: the dark passes run axe's colour rules (all of
# them WCAG 2.0 AA or A), which keeps them short.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
ALL_RULES = {"type": "tag", "values": AXE_TAGS}
COLOUR_ONLY = {"type": "rule", "values": COLOUR_RULES}

# Collects every violation the page reports; runs before any of the page's own scripts.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(
  [e.effectiveDirective, e.blockedURI, e.sourceFile + ':' + e.lineNumber, e.sample].join(' | ')));
"""
# Chromium's console wording for a blocked resource, a blocked eval or inline code, a malformed
# or ignored directive, and a referrer policy it cannot read.
CONSOLE_POLICY = re.compile(r"Content[ -]Security[ -]Policy|referrer policy", re.IGNORECASE)


@dataclass
class PageResult:
    """What axe-core found on one page in one colour scheme at one width."""

    page: str
    scheme: str
    violations: list[dict] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    width: int = DESKTOP["width"]


@dataclass
class PageVisit:
    """One page as the crawl saw it: the four axe runs and what the page did under its policy."""

    page: str
    results: list[PageResult]
    offsite: list[str]
    referrer: str | None
    csp: str | None
    icon_overflow: list[str]
    policy_problems: list[str]
    phone_overflow: int = 0
    """How many pixels the page is wider than a phone screen (it then scrolls sideways)."""


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the site, search.html and genindex.html included (they are pages too)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


def _offsite(requests: list[str], host: str | None) -> list[str]:
    return [u for u in requests if not u.startswith(("data:", "blob:", "about:")) and urlparse(u).hostname != host]


# True once the theme follows the reader's colour setting; then ends at once the colour transitions
# the change started (finite ones: a spinner never ends), so axe never measures colours half-way.
THEME_SETTLED = """s => { if (document.documentElement.dataset.theme !== s) return false;
  void document.body.offsetHeight;
  for (const a of document.getAnimations()) {
    if (a.effect && a.effect.getComputedTiming().endTime !== Infinity) a.finish();
  }
  return true; }"""


# What pydata-sphinx-theme makes keyboard-scrollable (tabindex 0) when it overflows, after a resize.
SCROLLABLE_FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container'))
  .every((e) => !(e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight) || e.tabIndex === 0)"""


RUNS = ((DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "dark"), (PHONE, "light"))
"""The four axe runs of a visit, ordered so that each step changes one thing (width or scheme)."""
TABS = 2
"""Pages crawled side by side: axe runs in each tab's renderer at once, one per core."""
QUIET_MS = 100
"""The network counts as quiet once no request has been in flight for this long."""


class _Tab:
    """One browser context and tab that visits pages; axe runs in it without blocking the other tab."""

    def __init__(self, browser, site_url: str, setup=None) -> None:
        self.site_url = site_url
        self.host = urlparse(site_url).hostname
        self.context = browser.new_context(viewport=DESKTOP, color_scheme="light")
        self.context.add_init_script(WATCH_VIOLATIONS)
        if setup is not None:
            setup(self.context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(90_000)  # builds may share the two cores with this browser
        self.requests: list[str] = []
        self.in_flight: set = set()
        self.console: list[str] = []
        self.context.on("request", self._sent)
        self.context.on("requestfinished", self._done)
        self.context.on("requestfailed", self._done)
        self.page.on("console", lambda m: self._policy(m.text))
        self.page.on("pageerror", lambda e: self._policy(str(e)))

    def _sent(self, request) -> None:
        self.requests.append(request.url)
        self.in_flight.add(request)

    def _done(self, request) -> None:
        self.in_flight.discard(request)

    def _policy(self, message: str) -> None:
        if CONSOLE_POLICY.search(message):
            self.console.append(message)

    def _quiet(self) -> None:
        """Wait until no request has been in flight for QUIET_MS (Playwright's networkidle waits 500 ms):
        late requests are seen too, and a page that redirects (sphinx-needs' permalink.html) has arrived."""
        quiet_since, deadline = None, time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_MS / 1000:
                break
            self.page.wait_for_timeout(20)
        self.page.wait_for_load_state("load")

    def open(self, name: str, axe_js: str) -> None:
        self.requests.clear()
        self.console.clear()
        self.name = name
        self.results: list[PageResult] = []
        self.page.set_viewport_size(DESKTOP)
        self.page.emulate_media(color_scheme="light")
        self.page.goto(f"{self.site_url}/{name}", wait_until="load")
        self._quiet()
        self.tags = self.page.evaluate(
            "() => [document.querySelector('meta[name=referrer]')?.content ?? null,"
            " document.querySelector('meta[http-equiv=Content-Security-Policy]')?.content ?? null,"
            # Font Awesome's inserted <style> applied: its rule makes the icons overflow visibly.
            " Array.from(document.querySelectorAll('svg.svg-inline--fa')).slice(0, 3)"
            ".map((svg) => getComputedStyle(svg).overflow)]"
        )
        # Read before axe runs: axe-core inserts a <style> of its own, which the policy blocks.
        self.problems = self.console + self.page.evaluate("window.__cspViolations || []")
        # Evaluated, not added as an inline <script>, which the pages' CSP would block.
        self.page.evaluate(axe_js)

    def switch(self, viewport: dict, scheme: str) -> None:
        """Set the width and the reader's colour setting; ``settle`` waits for the page to follow."""
        self.page.set_viewport_size(viewport)
        self.page.emulate_media(color_scheme=scheme)

    def settle(self, scheme: str) -> None:
        self.page.wait_for_function(THEME_SETTLED, arg=scheme, timeout=5000)
        # The theme makes a box that overflows focusable (for keyboard scrolling) 300 ms after a resize.
        self.page.wait_for_function(SCROLLABLE_FOCUSABLE, timeout=5000)

    def start(self, scheme: str) -> None:
        """Start axe; the call returns while axe works."""
        run_only = ALL_RULES if scheme == "light" else COLOUR_ONLY
        self.page.evaluate(
            "o => { window.__fbAxe = axe.run(document, {runOnly: o, resultTypes: ['violations']}); }", run_only
        )

    def finish(self, viewport: dict, scheme: str) -> None:
        violations = self.page.evaluate("() => window.__fbAxe.then((report) => report.violations)")
        self.results.append(PageResult(self.name, scheme, violations, [], viewport["width"]))
        if viewport == PHONE:
            self.phone_overflow = self.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")

    def visit(self) -> PageVisit:
        offsite = _offsite(self.requests, self.host)
        for result in self.results:
            result.offsite = offsite
        referrer, csp, icons = self.tags
        return PageVisit(self.name, self.results, offsite, referrer, csp, icons, self.problems, self.phone_overflow)


def visit_pages(browser, site_url: str, pages: list[str], setup=None) -> list[PageVisit]:
    """Each page once: axe at desktop (light, dark) and at phone width (dark, light) in the same tab,
    the page's referrer and CSP tags, any policy violation, and the requests that left the site.

    ``setup(context)``, if given, prepares each browser context first (a test routes requests there).
    """
    axe_js = _axe_script().read_text(encoding="utf-8")
    tabs = [_Tab(browser, site_url, setup) for _ in range(min(TABS, len(pages)))]
    visits: list[PageVisit] = []
    try:
        for first in range(0, len(pages), len(tabs)):
            batch = list(zip(tabs, pages[first : first + len(tabs)], strict=False))
            for tab, name in batch:
                tab.open(name, axe_js)
            for viewport, scheme in RUNS:
                for tab, _ in batch:
                    tab.switch(viewport, scheme)
                for tab, _ in batch:
                    tab.settle(scheme)
                    tab.start(scheme)
                for tab, _ in batch:
                    tab.finish(viewport, scheme)
            visits += [tab.visit() for tab, _ in batch]
    finally:
        for tab in tabs:
            tab.context.close()
    return visits


def axe_crawl(browser, site_url: str, pages: list[str]) -> list[PageResult]:
    """The axe results of ``visit_pages``: four per page (light and dark, desktop and phone width)."""
    return [result for visit in visit_pages(browser, site_url, pages) for result in visit.results]


_CRAWLS: dict[Path, list[PageVisit]] = {}
"""Each plan's crawl, kept for the test session (the module's tests only read it)."""


def plan_crawl(browser, plan_site, slug: str) -> list[PageVisit]:
    """Every page of ``slug``'s handbook, visited once per test session."""
    site = plan_site(slug)
    if site not in _CRAWLS:
        url, server = serve(site)
        try:
            _CRAWLS[site] = visit_pages(browser, url, site_pages(site))
        finally:
            server.shutdown()
    return _CRAWLS[site]


@pytest.fixture(scope="module", params=PLANS)
def crawl(request: pytest.FixtureRequest, browser, plan_site) -> tuple[str, list[PageVisit]]:
    """(slug, every page of that plan's handbook as the crawl saw it)."""
    return request.param, plan_crawl(browser, plan_site, request.param)


def _describe(result: PageResult) -> str:
    lines = [f"{result.page} ({result.scheme} mode, {result.width} px wide):"]
    for violation in result.violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            detail = node["any"][0].get("message", "") if node.get("any") else ""
            lines.append(f"      {target}  {detail}".rstrip())
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def test_every_page_is_crawled_in_both_schemes_at_both_widths(crawl, plan_site) -> None:
    slug, visits = crawl
    names = [v.page for v in visits]
    assert names == site_pages(plan_site(slug))
    assert {"index.html", "search.html", "genindex.html", "bekymret.html", "ny-ansatt.html"} <= set(names)
    for visit in visits:
        runs = [(r.scheme, r.width) for r in visit.results]
        assert sorted(runs) == sorted((s, w) for s in COLOUR_SCHEMES for w in (DESKTOP["width"], PHONE["width"]))


def test_no_axe_wcag_violations_on_any_page(crawl) -> None:
    _, visits = crawl
    failing = [r for v in visits for r in v.results if r.violations]
    assert not failing, "axe-core found WCAG 2.0/2.1 A/AA violations:\n" + "\n".join(_describe(r) for r in failing)


def test_no_page_requests_anything_outside_the_site(crawl) -> None:
    _, visits = crawl
    leaks = {v.page: v.offsite for v in visits if v.offsite}
    assert not leaks, f"requests left the site: {leaks}"


THEME_JS = "matchMedia('(prefers-color-scheme: dark)').onchange = (e) => {"
THEME_JS += " document.documentElement.dataset.theme = e.matches ? 'dark' : 'light'; };"


def test_no_page_triggers_a_policy_violation(crawl) -> None:
    """From the same visits: both tags are in force, Font Awesome's inserted style is allowed, and
    nothing was blocked or reported (the policy itself is tested in test_page_policy.py)."""
    _, visits = crawl
    failures: dict[str, list[str]] = {}
    for visit in visits:
        assert visit.referrer == REFERRER_POLICY, visit.page
        assert visit.csp and "script-src 'self'" in visit.csp, visit.page
        assert set(visit.icon_overflow) <= {"visible"}, (visit.page, visit.icon_overflow)
        if visit.policy_problems:
            failures[visit.page] = visit.policy_problems
    assert failures == {}


def _test_page(head: str = "", body: str = "") -> str:
    return (
        "<!DOCTYPE html><html lang='nb' data-theme='light'><head><meta charset='utf-8'>"
        f"{head}<title>t</title><script src='theme.js'></script></head>"
        f"<body><main><h1>t</h1>{body}</main></body></html>"
    )


def test_no_page_scrolls_sideways_on_a_phone(crawl) -> None:
    _, visits = crawl
    wide = {v.page: v.phone_overflow for v in visits if v.phone_overflow > 0}
    assert not wide, f"pages wider than a {PHONE['width']} px screen (px too wide): {wide}"


def test_the_crawl_sees_what_it_looks_for(browser) -> None:
    """The crawl's silence means something: low contrast only in dark mode at phone width, an off-site
    request, and an inline script the page's policy blocks are each reported where they happen."""
    pages = {
        "theme.js": ("text/javascript", THEME_JS),
        "farger.html": (
            "text/html",
            _test_page(
                "<style>@media (max-width: 500px) { html[data-theme=dark] p { color: #777; background: #666; } }"
                "</style>",
                "<p>Tekst</p><img src='https://example.invalid/x.png' alt='x'><div style='width: 600px'>bred</div>",
            ),
        ),
        "blokkert.html": (
            "text/html",
            _test_page(
                "<meta http-equiv='Content-Security-Policy' content=\"script-src 'self'\">"
                "<meta name='referrer' content='no-referrer'>",
                "<p>Tekst</p><script>window.ran = true;</script>",
            ),
        ),
    }

    def setup(context) -> None:
        def answer(route) -> None:
            kind, body = pages[route.request.url.rsplit("/", 1)[1]]
            route.fulfill(content_type=kind, body=body)

        context.route("http://crawl.test/**", answer)
        context.route("https://example.invalid/**", lambda route: route.abort())

    colours, blocked = visit_pages(browser, "http://crawl.test", ["farger.html", "blokkert.html"], setup)
    bad = [(r.scheme, r.width, [v["id"] for v in r.violations]) for r in colours.results if r.violations]
    assert bad == [("dark", PHONE["width"], ["color-contrast"])]
    assert colours.offsite == ["https://example.invalid/x.png"] and colours.policy_problems == []
    assert colours.phone_overflow >= 600 - PHONE["width"] and blocked.phone_overflow == 0
    assert (colours.referrer, colours.csp) == (None, None)
    assert [r.violations for r in blocked.results] == [[], [], [], []] and blocked.offsite == []
    assert (blocked.referrer, blocked.csp) == ("no-referrer", "script-src 'self'")
    assert any(p.startswith("script-src-elem | inline") for p in blocked.policy_problems), blocked.policy_problems


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
