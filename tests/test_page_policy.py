"""Every page states its own safety: the referrer policy and the Content-Security-Policy.

Three layers: the policy module on small pages (hashes, placement, refusals), the built
handbooks (every page carries both tags, and they match the page's final bytes), and real
headless Chromium (the theme, search and interactive pages do under the policy exactly what they
do without it, and an outbound link carries no referrer). That no page of any of the five
handbooks triggers a CSP violation is checked in test_accessibility.py, from its crawl's one visit
per page: the tests run in one process per file, so a second file reading the crawl would crawl again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from forebygging.ext.page_policy import (
    REFERRER_POLICY,
    PagePolicyError,
    _InlineCodeParser,
    apply_policy,
    apply_to_site,
    content_security_policy,
    fontawesome_css,
    inline_code,
    source_hash,
)
from tests.conftest import DATA, DEFAULT, serve
from tests.test_accessibility import CONSOLE_POLICY, WATCH_VIOLATIONS, site_pages

NYNORSK = "vest-telemark"
PLURAL_JS = Path(__file__).resolve().parents[1] / "extensions/forebygging/ext/static/forebygging-plural.js"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />')
REFERRER_META = f'<meta name="referrer" content="{REFERRER_POLICY}" />'


def _page(head: str = "", body: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8" />\n{head}</head>\n'
        f"<body>{body}</body>\n</html>\n"
    )


def _policy_of(page: str) -> dict[str, list[str]]:
    match = CSP_META.search(page)
    assert match, "no Content-Security-Policy meta tag"
    directives = [d.split() for d in match.group(1).split(";")]
    return {d[0]: d[1:] for d in directives}


# --- the module on small pages ---------------------------------------------------------------


def test_hash_is_the_one_in_the_csp_specification() -> None:
    # CSP Level 3, "script-src": <script>alert('Hello, world.');</script> is allowed by this source.
    assert source_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_hash_follows_the_html_parser_newline_normalisation() -> None:
    assert source_hash("a();\r\nb();\rc();") == source_hash("a();\nb();\nc();")
    assert source_hash("a();\nb();") != source_hash("a();b();")


def test_tags_come_right_after_charset_before_any_script_or_style() -> None:
    page = _page('<link rel="stylesheet" href="x.css" />\n<script>var a = 1;</script>\n<style>p{}</style>\n')
    out = apply_policy(page)
    charset = out.index('<meta charset="utf-8" />')
    assert out.index(REFERRER_META) > charset
    assert out.index(REFERRER_META) < out.index("Content-Security-Policy") < out.index("<link")
    policy = _policy_of(out)
    assert policy["script-src"] == ["'self'", source_hash("var a = 1;")]
    assert policy["style-src"] == ["'self'", source_hash("p{}")]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert "frame-ancestors" not in policy  # ignored in <meta>, and Chromium logs an error for it
    assert "'unsafe-inline'" not in out and "'unsafe-eval'" not in out


def test_charset_in_capitals_and_a_page_without_charset() -> None:
    upper = apply_policy('<html><head>\n<meta charset="UTF-8">\n<title>x</title></head></html>')
    assert upper.index('<meta charset="UTF-8">') < upper.index(REFERRER_META)
    bare = apply_policy('<html><head lang="nb"><title>x</title></head></html>')
    assert bare.startswith(f'<html><head lang="nb">\n{REFERRER_META}')


def test_a_document_without_head_is_left_alone() -> None:
    fragment = "<p>Ingen head her.</p><script>x()</script>"
    assert apply_policy(fragment) == fragment


def test_applying_twice_gives_the_same_bytes_and_follows_changes() -> None:
    once = apply_policy(_page("<script>var a = 1;</script>"))
    assert apply_policy(once) == once
    assert once.count("Content-Security-Policy") == 1 and once.count(REFERRER_META) == 1
    changed = apply_policy(once.replace("var a = 1;", "var a = 2;"))
    assert _policy_of(changed)["script-src"] == ["'self'", source_hash("var a = 2;")]


def test_data_blocks_and_external_scripts_are_not_hashed() -> None:
    page = _page(
        '<script src="_static/x.js"></script>\n'
        '<script type="application/json" class="fb-rules">{"a": 1}</script>\n'
        '<script type="text/javascript">run();</script>\n<script type="module">go();</script>\n'
    )
    code = inline_code(page)
    assert code.scripts == ["run();", "go();"]
    assert code.script_files == ["x.js"]
    assert _policy_of(apply_policy(page))["script-src"] == ["'self'", source_hash("run();"), source_hash("go();")]


def test_style_attributes_only_by_hash_with_unsafe_hashes() -> None:
    page = _page(body='<table style="width: 100%"></table><p style="a:&quot;b&quot;">x</p><p style="width: 100%">y</p>')
    policy = _policy_of(apply_policy(page))
    # Attribute values as the browser reads them (entities decoded), each hash once.
    assert policy["style-src"] == ["'self'", "'unsafe-hashes'", source_hash("width: 100%"), source_hash('a:"b"')]
    assert "'unsafe-hashes'" not in policy["script-src"]
    assert "'unsafe-hashes'" not in _policy_of(apply_policy(_page(body="<p>x</p>")))["style-src"]


def _parsed_whole(page: str):
    parser = _InlineCodeParser()
    parser.feed(page)
    parser.close()
    return parser.code


def test_comments_are_skipped_and_the_fast_scan_equals_a_full_parse() -> None:
    page = _page(
        "<!-- <script>old();</script> -->\n<script>if (a < b && c > d) { x('</p>'); }</script>\n"
        '<STYLE media="print">p > a { color: red }</STYLE>\n',
        '<p class="x onboarding" title="a > b">t</p><img alt=\'<b>\' style="width: 1px" />'
        "<svg><style>.a{}</style></svg>",
    )
    code = inline_code(page)
    assert code.scripts == ["if (a < b && c > d) { x('</p>'); }"]
    assert code.styles == ["p > a { color: red }", ".a{}"]
    assert code.style_attributes == ["width: 1px"] and code.handlers == []
    assert code == _parsed_whole(page)


def test_identical_inline_scripts_are_listed_once() -> None:
    policy = _policy_of(apply_policy(_page("<script>a();</script><script>a();</script><script>b();</script>")))
    assert policy["script-src"] == ["'self'", source_hash("a();"), source_hash("b();")]


@pytest.mark.parametrize(
    "body, named",
    [
        ('<button onclick="go()">Gå</button>', "<button onclick>"),
        ('<a href="javascript:go()">Gå</a>', "<a href=javascript:>"),
        ('<a href=" JavaScript:go()">Gå</a>', "<a href=javascript:>"),
        ('<body onload="go()"></body>', "<body onload>"),
    ],
)
def test_inline_handlers_and_javascript_urls_fail_the_build(body: str, named: str) -> None:
    with pytest.raises(PagePolicyError) as error:
        apply_policy(_page(body=body), "plikter/bvl-15-1.html")
    assert str(error.value).startswith("plikter/bvl-15-1.html: ")
    assert named in str(error.value)


def test_styles_a_script_inserts_are_allowed_on_the_pages_that_load_it() -> None:
    css = ".svg-inline--fa {\n  height: 1em;\n}"
    styles = {"fontawesome.js": [css]}
    with_script = apply_policy(
        _page('<script defer src="_static/scripts/fontawesome.js?digest=1"></script>'), "a", styles
    )
    assert _policy_of(with_script)["style-src"] == ["'self'", source_hash(css)]
    without = apply_policy(_page('<script src="_static/other.js"></script>'), "b", styles)
    assert _policy_of(without)["style-src"] == ["'self'"]


def test_fontawesome_css_is_read_from_the_minified_script() -> None:
    css = ':root, :host {\n  --fa-font-solid: normal 900 1em/1 "Font Awesome 7 Free";\n}\n\n'
    css += ".svg-inline--fa {\n  height: 1em;\n}"
    literal = css.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    script = f'var q="x\\"y",z="{literal}",s=W;function dc(){{return z}}'
    assert fontawesome_css(script) == css


def test_a_changed_fontawesome_script_is_a_clear_error() -> None:
    with pytest.raises(PagePolicyError, match=r"fontawesome\.js: Font Awesome's CSS string was not found"):
        fontawesome_css('var z=".fa-icon { height: 1em; }";')


def test_the_policy_never_allows_inline_code_wholesale() -> None:
    code = inline_code(_page("<script>a();</script><style>p{}</style>", '<p style="color: red">x</p>'))
    policy = content_security_policy(code)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy and "*" not in policy
    assert "http:" not in policy and "https:" not in policy


def test_apply_to_site_rewrites_pages_only_when_they_change(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "asset.html").write_text("<html><head></head></html>", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_bytes(_page("<script>\r\nx();\r\n</script>").encode())
    assert apply_to_site(tmp_path) == 1
    written = (tmp_path / "sub" / "page.html").read_bytes()
    assert b"\r\nx();\r\n" in written  # the page's own bytes are kept, line ends included
    assert "Content-Security-Policy" not in (tmp_path / "_static" / "asset.html").read_text(encoding="utf-8")
    assert apply_to_site(tmp_path) == 0
    assert (tmp_path / "sub" / "page.html").read_bytes() == written


def test_the_index_of_all_handbooks_carries_the_tags_too(tmp_path: Path) -> None:
    from forebygging.cli.handbook_index import write_index

    text = write_index(DATA, [DEFAULT, NYNORSK], tmp_path).read_text(encoding="utf-8")
    assert text.count(REFERRER_META) == 1
    assert _policy_of(text)["script-src"] == ["'self'"] and _policy_of(text)["object-src"] == ["'none'"]
    assert text.index('<meta charset="utf-8">') < text.index(REFERRER_META)


def test_apply_to_site_names_the_page_with_an_inline_handler(tmp_path: Path) -> None:
    (tmp_path / "plikter").mkdir()
    (tmp_path / "index.html").write_text(_page("<script>a();</script>"), encoding="utf-8")
    (tmp_path / "plikter" / "side.html").write_text(_page(body='<p onmouseover="x()">x</p>'), encoding="utf-8")
    with pytest.raises(PagePolicyError, match=r"^plikter/side\.html: .*<p onmouseover>"):
        apply_to_site(tmp_path)


# --- the built handbooks ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(built_site: Path, plan_site) -> dict[str, Path]:
    return {DEFAULT: built_site, NYNORSK: plan_site(NYNORSK)}


@pytest.mark.slow
@pytest.mark.parametrize("slug", [DEFAULT, NYNORSK])
def test_every_built_page_carries_both_tags_matching_its_bytes(sites: dict[str, Path], slug: str) -> None:
    root = sites[slug]
    pages = site_pages(root)
    assert len(pages) > 30 and "search.html" in pages and "permalink.html" in pages
    for name in pages:
        text = (root / name).read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        assert head.count(REFERRER_META) == 1, name
        assert len(CSP_META.findall(head)) == 1, name
        first_code = min(i for i in (head.find("<script"), head.find("<style"), head.find("<link")) if i >= 0)
        assert head.index("Content-Security-Policy") < first_code, name
        assert inline_code(text) == _parsed_whole(text), name  # the fast scan misses nothing
        # The policy is that of the final bytes: computing it again changes nothing.
        assert apply_policy(text, name, {"fontawesome.js": [_fontawesome(root)]}) == text, name
        policy = _policy_of(text)
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"], name


def _fontawesome(root: Path) -> str:
    return fontawesome_css((root / "_static/scripts/fontawesome.js").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_plural_script_comes_between_doctools_and_translations(built_site: Path) -> None:
    text = (built_site / "search.html").read_text(encoding="utf-8")
    order = [text.index(f"_static/{name}") for name in ("doctools.js", "forebygging-plural.js", "translations.js")]
    assert order == sorted(order)


# --- Chromium ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    servers = {slug: serve(root) for slug, root in sites.items()}
    yield {slug: url for slug, (url, _) in servers.items()}
    for _, server in servers.values():
        server.shutdown()


class Watched:
    """A browser context whose pages report every policy violation and policy console message."""

    def __init__(self, browser, **options: object) -> None:
        self.context = browser.new_context(**options)
        self.context.add_init_script(WATCH_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.set_default_timeout(90_000)  # seven builds may share two cores with this browser
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(m.text) if CONSOLE_POLICY.search(m.text) else None)
        self.page.on("pageerror", lambda e: self.console.append(str(e)) if CONSOLE_POLICY.search(str(e)) else None)

    def goto(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")

    def problems(self) -> list[str]:
        self.page.wait_for_timeout(100)  # violations are reported in a task after the blocked action
        return self.console + self.page.evaluate("window.__cspViolations || []")

    def close(self) -> None:
        self.context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_the_watch_sees_a_blocked_inline_script(browser, urls: dict[str, str]) -> None:
    """The crawl's silence means something: a script inserted without a hash is blocked and reported."""
    watched = Watched(browser)
    try:
        watched.goto(f"{urls[DEFAULT]}/index.html")
        ran = watched.page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true;';"
            " document.head.append(s); return window.__ran === true; }"
        )
        assert ran is False
        problems = watched.problems()
        assert any(p.startswith("script-src-elem | inline") for p in problems), problems
        assert any("Content Security Policy" in p for p in problems), problems
    finally:
        watched.close()


# Each scenario acts on a page and returns what the reader would see; it must be the same with
# and without the policy, and raise no violation with it.
def _dark_mode(page, url: str) -> object:
    page.goto(f"{url}/tiltak.html", wait_until="networkidle")
    page.locator(".theme-switch-button").locator("visible=true").first.click()
    page.locator(".theme-change-button[data-mode=dark]").locator("visible=true").click()
    return page.evaluate(
        "() => [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]"
    )


def _menu(page, url: str) -> object:
    page.goto(f"{url}/tiltak.html", wait_until="networkidle")
    page.locator(".primary-toggle").locator("visible=true").first.click()
    page.wait_for_timeout(400)
    return page.evaluate(
        "() => { const s = document.getElementById('pst-primary-sidebar');"
        " const d = document.getElementById('pst-primary-sidebar-modal'); const r = s.getBoundingClientRect();"
        " return [s.className, d ? d.open : null, Math.round(r.x), Math.round(r.width), s.checkVisibility()]; }"
    )


def _search(page, url: str) -> object:
    page.goto(f"{url}/search.html?q=helsestasjon", wait_until="networkidle")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=15_000)
    return sorted(page.locator("ul.search li a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))"))


def _reflection(page, url: str) -> object:
    page.goto(f"{url}/refleksjonsverktoy.html", wait_until="networkidle")
    # The rules travel as a JSON data block: not script, so readable whatever the policy says.
    blocks = page.evaluate(
        "() => Array.from(document.querySelectorAll('script[type=\"application/json\"]'))"
        ".map((s) => Object.keys(JSON.parse(s.textContent)).length)"
    )
    assert blocks and all(blocks), blocks
    status = page.locator(".fb-result[role=status]")
    before = status.inner_text()
    page.locator(".fb-controls").get_by_role("checkbox").first.check()
    after = status.inner_text()
    assert after != before, "ticking a box changed nothing"
    return after


def _guide(page, url: str) -> object:
    page.goto(f"{url}/hva-gjor-jeg-na.html", wait_until="networkidle")
    first = page.locator(".fb-stage:not([hidden])").get_attribute("data-stage")
    page.locator(".fb-stage:not([hidden]) button[data-fb-goto]").first.click()
    now = page.locator(".fb-stage:not([hidden])").get_attribute("data-stage")
    assert now != first, "the guide did not move on"
    return now


def _exercise(page, url: str) -> object:
    page.goto(f"{url}/ovelser.html", wait_until="networkidle")
    question = page.locator(".fb-q").first
    question.get_by_role("radio").first.check()
    question.locator("button[data-fb-check]").click()  # an answer is judged on «Sjekk svar», not on choosing
    feedback = question.locator(".fb-feedback").inner_text()
    assert feedback.strip(), "answering gave no feedback"
    return feedback


PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
SCENARIOS = {
    "dark-mode": (_dark_mode, DESKTOP),
    "menu-phone": (_menu, PHONE),
    "menu-desktop": (_menu, DESKTOP),
    "search": (_search, DESKTOP),
    "reflection-aid": (_reflection, DESKTOP),
    "action-guide": (_guide, DESKTOP),
    "exercises": (_exercise, DESKTOP),
}


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_site_works_the_same_under_the_policy(browser, urls: dict[str, str], scenario: str) -> None:
    act, viewport = SCENARIOS[scenario]
    seen = {}
    for enforced in (False, True):
        watched = Watched(browser, viewport=viewport, bypass_csp=not enforced)
        try:
            seen[enforced] = act(watched.page, urls[DEFAULT])
            if enforced:
                assert watched.problems() == []
        finally:
            watched.close()
    assert seen[True] == seen[False]
    if scenario == "dark-mode":
        assert seen[True][0] == "dark"
    if scenario == "search":
        assert len(seen[True]) >= 3


@pytest.mark.browser
@pytest.mark.slow
def test_nynorsk_search_finds_pages_under_the_policy(browser, urls: dict[str, str]) -> None:
    watched = Watched(browser)
    try:
        assert len(_search(watched.page, urls[NYNORSK])) >= 1
        assert watched.problems() == []
    finally:
        watched.close()


@pytest.mark.browser
def test_plural_rules_read_without_eval_equal_javascript(browser) -> None:
    """Every plural rule Sphinx ships, read by forebygging-plural.js, against the JavaScript engine itself."""
    import sphinx

    rules = sorted(
        {
            match.group(1)
            for path in Path(sphinx.__file__).parent.glob("locale/*/LC_MESSAGES/sphinx.js")
            for match in re.finditer(r'"plural_expr": "([^"]*)"', path.read_text(encoding="utf-8"))
        }
    )
    assert len(rules) >= 10 and "(n != 1)" in rules
    page = browser.new_page()  # about:blank has no policy, so new Function is the reference here
    try:
        page.evaluate("() => { window.Documentation = { TRANSLATIONS: {} }; }")
        page.add_script_tag(path=str(PLURAL_JS))
        mismatches = page.evaluate(
            """(rules) => rules.flatMap((rule) => {
                const ours = Documentation.parsePluralRule(rule);
                const native = new Function('n', 'return (' + rule + ')');
                const wrong = [];
                for (let n = 0; n <= 250; n++) {
                    if (ours(n) !== Number(native(n))) wrong.push([rule, n, ours(n), native(n)]);
                }
                return wrong;
            })""",
            rules,
        )
        assert mismatches == []
        # What translations.js does: the catalogue's rule, then plural forms by number.
        page.evaluate(
            "() => Documentation.addTranslations("
            "{messages: {'a': ['en', 'fleire']}, plural_expr: '(n != 1)', locale: 'nn'})"
        )
        assert page.evaluate(
            "() => [Documentation.PLURAL_EXPR(1), Documentation.PLURAL_EXPR(2), Documentation.LOCALE]"
        ) == [
            0,
            1,
            "nn",
        ]
        # A rule outside gettext's grammar falls back to Sphinx's default instead of running.
        page.evaluate("() => Documentation.addTranslations({messages: {}, plural_expr: 'alert(1)', locale: 'x'})")
        assert page.evaluate("() => [Documentation.PLURAL_EXPR(1), Documentation.PLURAL_EXPR(5)]") == [0, 1]
    finally:
        page.close()


OUTBOUND = "<!DOCTYPE html><title>utanfor</title><p>utanfor</p>"


def _fulfil_with(body: str):
    return lambda route: route.fulfill(status=200, content_type="text/html", body=body)


def _follow(browser, start: str, link_prefix: str, route_pattern: str, **page_route: str) -> tuple[str | None, str]:
    """Click the first link starting with ``link_prefix`` on ``start``; the Referer sent and document.referrer there."""
    context = browser.new_context()
    sent: list[str | None] = []

    def answer(route) -> None:
        sent.append(route.request.all_headers().get("referer"))
        route.fulfill(status=200, content_type="text/html", body=OUTBOUND)

    context.route(route_pattern, answer)
    for url, body in page_route.items():
        context.route(url, _fulfil_with(body))
    page = context.new_page()
    try:
        page.goto(start, wait_until="networkidle")
        page.locator(f"a[href^='{link_prefix}']").first.evaluate("(a) => a.click()")
        page.wait_for_url(f"{link_prefix}**")
        page.wait_for_load_state("load")
        assert len(sent) == 1, sent
        return sent[0], page.evaluate("() => document.referrer")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "page, link",
    [
        ("taushetsplikt.html", "https://lovdata.no/"),
        ("plikter/bvl-15-1.html", "https://lovdata.no/"),
        ("hva-gjor-jeg-na.html", "https://www.sor-aurdal.kommune.no/"),
    ],
)
def test_outbound_links_carry_no_referrer(browser, urls: dict[str, str], page: str, link: str) -> None:
    referer, document_referrer = _follow(browser, f"{urls[DEFAULT]}/{page}", link, f"{link}**")
    assert referer is None and document_referrer == ""


@pytest.mark.browser
def test_without_the_tag_the_browser_would_send_the_origin(browser) -> None:
    """The measurement above works: a page without our tag gets Chromium's default policy."""
    start = "http://handbok.test/plikter/side.html"
    body = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><a href="https://lovdata.no/x">x</a></body></html>'
    referer, document_referrer = _follow(
        browser, start, "https://lovdata.no/", "https://lovdata.no/**", **{start: body}
    )
    assert referer == "http://handbok.test/" and document_referrer == "http://handbok.test/"
    # And with the tag, the same page sends nothing.
    tagged = apply_policy(body)
    referer, document_referrer = _follow(
        browser, start, "https://lovdata.no/", "https://lovdata.no/**", **{start: tagged}
    )
    assert referer is None and document_referrer == ""
