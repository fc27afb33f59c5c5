"""Search that works, reader pages without internal ids, and a light first visit (issue 14, items 8-10).

The pure pieces (the plural expression, the noscript split, the icon subset, the asset filter,
the plan period) are tested without a build; the rest on real builds in headless Chromium.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes

from forebygging.ext import icons, page_assets
from forebygging.ext.directives.plan_info import expired
from forebygging.ext.i18n import js_catalogue, js_plural_index
from forebygging.ext.search import NO_SEARCH, split_noscript
from forebygging.wording import lookup, period_text

from .conftest import ROOT, serve

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench

PLANS = ("sor-aurdal", "hemsedal", "midtdalen", "vest-telemark", "bamble")
NB_PLANS = tuple(p for p in PLANS if p != "vest-telemark")
INTERNAL_ID = re.compile(r"\b(?:DUTY|MEASURE|SERVICE|FACTOR)_[A-Z0-9_]+")
FURNITURE = ("Systeminnstilling", "JavaScript", "Utkast – ikke vedtatt")
PHONE = {"width": 390, "height": 844}


# --------------------------------------------------------------------------- no build


def test_plural_expression_gives_sphinx_an_index_not_a_boolean() -> None:
    assert js_plural_index("(n != 1)") == "Number((n != 1))"
    assert js_plural_index("Number(n > 1)") == "Number(n > 1)"  # not wrapped twice


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_search_catalogue_has_a_numeric_plural_and_counts_hits(lang: str) -> None:
    js = js_catalogue(ROOT / "handbook" / "_locale" / lang / "LC_MESSAGES" / "sphinx.po", lang)
    payload = json.loads(js[js.index("(") + 1 : js.rindex(")")])
    assert payload["plural_expr"].startswith("Number(")
    forms = payload["messages"]["Search finished, found one page matching the search query."]
    assert len(forms) == 2 and "${resultCount}" in forms[1] and "treff" in forms[1]


def _widget(html: str, classes: list[str]) -> nodes.raw:
    section = nodes.section()
    raw = nodes.raw(html, html, format="html", classes=classes)
    section += raw
    return raw


def test_noscript_is_split_out_marked_no_search_and_the_markup_stays_whole() -> None:
    html = '<div data-w="1"><p>Velg</p><noscript><p>Slå på JavaScript.</p></noscript><button>OK</button></div>'
    raw = _widget(html, ["fb-widget"])
    (wrapper,) = split_noscript(raw)
    assert isinstance(wrapper, nodes.container) and wrapper["classes"] == ["fb-widget"]
    pieces = list(wrapper.children)
    assert "".join(p.astext() for p in pieces) == html  # the same bytes, in order
    marked = [p for p in pieces if NO_SEARCH in p["classes"]]
    assert [p.astext() for p in marked] == ["<noscript><p>Slå på JavaScript.</p></noscript>"]
    assert all(not p["classes"] for p in pieces if p not in marked)  # no <div> cut into the widget


def test_a_split_widget_still_gets_its_script(monkeypatch: pytest.MonkeyPatch) -> None:
    """The widget page keeps its JavaScript after the split (found by the widget's class)."""
    from forebygging.ext.directives import interactive

    document = nodes.document(None, None)
    raw = nodes.raw("", '<div data-fb-widget="x"><noscript>n</noscript></div>', format="html")
    raw["classes"].append(interactive.MARKER)
    document += raw
    raw.replace_self(split_noscript(raw))
    added: list[object] = []

    class App:
        def add_css_file(self, *args: object, **kwargs: object) -> None:
            added.append(args[0])

        def add_js_file(self, *args: object, **kwargs: object) -> None:
            added.append(args[0])

    interactive._page_assets(App(), "side", "page.html", {}, document)
    assert interactive.JS_FILE in added


def test_raw_html_without_noscript_is_left_alone() -> None:
    assert split_noscript(_widget("<p>Ingen varsel her</p>", ["fb-widget"])) is None


def test_raw_html_without_classes_becomes_bare_pieces() -> None:
    pieces = split_noscript(_widget("<p>a</p><noscript>b</noscript>", []))
    assert [p.astext() for p in pieces] == ["<p>a</p>", "<noscript>b</noscript>"]
    assert [p["classes"] for p in pieces] == [[], [NO_SEARCH]]


def test_icon_map_and_theme_glyphs_are_read_from_the_theme_css() -> None:
    css = '.fa-bars,.fa-navicon{--fa:"\\f0c9"}.fa-sun{--fa:"\\f185"}html{--pst-icon-bell:"\uf0f3"}'
    assert icons.icon_map(css) == {"fa-bars": 0xF0C9, "fa-navicon": 0xF0C9, "fa-sun": 0xF185}
    assert icons.theme_css_glyphs(css) == {0xF0F3}
    assert icons.needed_codepoints(css, {"fa-sun", "fa-lg"}) == {0xF185, 0xF0F3}  # fa-lg draws nothing


def test_icon_font_subset_keeps_exactly_the_glyphs_asked_for() -> None:
    from fontTools.ttLib import TTFont

    source = icons.theme_static() / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    wanted = {0xF0C9, 0xF185}
    subset = icons.subset_font(source.read_bytes(), wanted)
    assert len(subset) < source.stat().st_size / 10
    cmap = set(TTFont(io.BytesIO(subset)).getBestCmap())
    assert wanted <= cmap and cmap <= wanted | {0x20}
    assert icons.subset_font(source.read_bytes(), wanted) == subset  # reproducible
    # ... across runs too: the save time is not stamped into the font
    head = TTFont(io.BytesIO(subset))["head"]
    assert head.modified == TTFont(source)["head"].modified


def test_an_icon_outside_the_cut_down_font_is_reported(tmp_path: Path) -> None:
    css = '.fa-bars{--fa:"\\f0c9"}.fa-sun{--fa:"\\f185"}'
    page = tmp_path / "side.html"
    page.write_text('<i class="fa-solid fa-sun"></i><i class="fa-solid fa-bars"></i>', encoding="utf-8")
    assert icons.missing_icons(css, {0xF0C9}, [page]) == ["fa-sun"]
    assert icons.missing_icons(css, {0xF0C9, 0xF185}, [page]) == []


def test_needs_assets_are_dropped_only_where_no_need_is_shown() -> None:
    assert page_assets.shows_needs('<div class="need_container docutils container">')
    assert not page_assets.shows_needs("<p>Tiltak og tjenester</p>")
    assert page_assets.needs_only("_static/jquery.js")
    assert page_assets.needs_only("_static/sphinx-needs/libs/html/sphinx_needs_collapse.js")
    assert not page_assets.needs_only("_static/forebygging-widgets.js")


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_plan_period_reads_sensibly_without_a_start(lang: str) -> None:
    def t(key: str, **values: object) -> str:
        return lookup(lang, key).format(**values)

    assert period_text(2026, 2030, t) == "2026–2030"
    open_start = period_text(None, 2027, t)
    assert open_start.startswith("til og med 2027") and "–2027" not in open_start


def test_handbook_index_gives_a_period_without_a_start_in_words(tmp_path: Path) -> None:
    from forebygging.cli.handbook_index import write_index

    from .conftest import DATA

    page = write_index(DATA, ["hemsedal"], tmp_path).read_text(encoding="utf-8")
    assert "(til og med 2027 (planen oppgir ikke startår)," in page


def test_plan_period_expires_only_after_its_last_year() -> None:
    import datetime as dt

    assert expired(2024, dt.date(2025, 1, 1))
    assert not expired(2024, dt.date(2024, 12, 31))
    assert not expired(2024, None)  # no date to compare with: no claim


def test_weight_targets_report_met_and_missed() -> None:
    lines = bench.weight_lines({"start": 150 * 1024, "tiltak": 301 * 1024})
    assert lines[0].split()[0] == "met" and "150 KB <= 200 KB" in lines[0]
    assert lines[1].split()[0] == "MISSED" and "301 KB <= 300 KB" in lines[1]
    assert bench.weight_lines({})[0].split()[:1] == ["MISSED"]


# --------------------------------------------------------------------------- built sites, no browser


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    return soup.get_text(" ")


@pytest.mark.slow
@pytest.mark.parametrize("slug", PLANS)
def test_no_internal_id_in_the_text_of_any_page(plan_site, slug: str) -> None:
    site = plan_site(slug)
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    found = {}
    for page in pages:
        ids = INTERNAL_ID.findall(visible_text(page.read_text(encoding="utf-8")))
        if ids:
            found[page.relative_to(site).as_posix()] = sorted(set(ids))[:3]
    assert len(pages) > 40
    assert not found, f"internal ids shown to readers: {found}"


@pytest.mark.slow
@pytest.mark.parametrize("slug", PLANS)
def test_search_index_has_no_ids_no_notices_and_no_furniture(plan_site, slug: str) -> None:
    raw = (plan_site(slug) / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])
    terms = set(index["terms"]) | set(index["titleterms"])
    assert not {t for t in terms if INTERNAL_ID.match(t.upper())}
    assert not terms & {"javascript", "systeminnstilling"}
    assert "taushetsplikt" in terms or "teieplikt" in terms  # the index is not empty


@pytest.mark.slow
def test_jquery_and_needs_scripts_load_only_on_pages_with_needs(built_site: Path) -> None:
    duty = (built_site / "plikter" / "bvl-13-2.html").read_text(encoding="utf-8")
    assert "need_container" in duty and "_static/jquery.js" in duty and "sphinx_needs_collapse.js" in duty
    for name in ("index.html", "tiltak.html", "refleksjonsverktoy.html"):
        html = (built_site / name).read_text(encoding="utf-8")
        assert "_static/jquery.js" not in html and "_static/sphinx-needs/" not in html, name
        assert "fontawesome.js" not in html and "searchindex.js" not in html, name
    assert "searchindex.js" in (built_site / "search.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_opplysningsplikt_page_does_not_say_no_one_is_bound(built_site: Path) -> None:
    text = " ".join(visible_text((built_site / "plikter" / "bvl-13-2.html").read_text(encoding="utf-8")).split())
    assert "Ansatte i offentlige" in text  # whom the section binds, from the data
    assert "Ingen tjeneste i planen er bundet" not in text
    assert lookup("nb", "trace.duty.services.general").format(binds=lookup("nb", "trace.duty.binds")) in text


@pytest.mark.slow
def test_expired_period_is_flagged_on_the_start_page_and_a_current_one_is_not(plan_site) -> None:
    vt = " ".join(visible_text((plan_site("vest-telemark") / "index.html").read_text(encoding="utf-8")).split())
    assert lookup("nn", "plan.period.expired").format(end=2024) in vt
    assert lookup("nn", "plan.period.ended").format(period="2023–2024") in vt  # next to the period itself
    sa = " ".join(visible_text((plan_site("sor-aurdal") / "index.html").read_text(encoding="utf-8")).split())
    assert "Planperioden gikk ut" not in sa
    hemsedal = " ".join(visible_text((plan_site("hemsedal") / "index.html").read_text(encoding="utf-8")).split())
    assert "til og med 2027" in hemsedal and "–2027" not in hemsedal


# --------------------------------------------------------------------------- in Chromium


def run_search(browser, site: Path, query: str) -> tuple[str, list[dict], list[str]]:
    """Search the site as a reader does (search.html?q=); the status line, the results, script errors."""
    url, server = serve(site)
    page = browser.new_page(viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{url}/search.html?q={query}")
        page.locator("p.search-summary").filter(has_text=re.compile(r"\S")).wait_for(timeout=20_000)
        page.wait_for_load_state("networkidle")  # the snippets are fetched page by page
        status = page.inner_text("p.search-summary")
        results = page.eval_on_selector_all(
            "ul.search > li",
            "items => items.map(li => ({href: li.querySelector('a').getAttribute('href'), text: li.innerText}))",
        )
    finally:
        page.close()
        server.shutdown()
    return status, results, errors


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("slug", "query"), [("sor-aurdal", "taushetsplikt"), ("vest-telemark", "teieplikt")])
def test_search_returns_results_with_a_status_line_and_no_script_error(browser, plan_site, slug, query) -> None:
    status, results, errors = run_search(browser, plan_site(slug), query)
    assert not errors, errors
    assert results
    assert re.fullmatch(rf"Søket er ferdig: {len(results)} treff\.", status), status


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("slug", NB_PLANS)
def test_taushetsplikt_finds_the_taushetsplikt_page_first(browser, plan_site, slug: str) -> None:
    _, results, _ = run_search(browser, plan_site(slug), "taushetsplikt")
    assert results[0]["href"] == "taushetsplikt.html", [r["href"] for r in results[:6]]


@pytest.mark.browser
@pytest.mark.slow
def test_search_snippets_carry_no_ids_no_notices_and_no_theme_furniture(browser, built_site: Path) -> None:
    _, results, _ = run_search(browser, built_site, "opplysningsplikt")
    assert len(results) >= 3
    assert any(r["href"].startswith("plikter/") for r in results)  # duty pages, which hold need ids
    for result in results:
        assert not INTERNAL_ID.search(result["text"]), result
        assert not [word for word in FURNITURE if word in result["text"]], result


@pytest.mark.browser
@pytest.mark.slow
def test_first_visit_weight_is_within_the_budgets(browser, built_site: Path) -> None:
    """What Chromium downloads on a first visit (gzipped), as `make bench` and `make weight` measure it."""
    found = bench.requested_files_with(browser, built_site, {k: bench.PAGES[k] for k in bench.WEIGHT_BUDGETS_KB})
    assert all(found.values()), "Chromium requested nothing"
    sizes = {key: sum(bench.gz(p.read_bytes()) for p in files) for key, files in found.items()}
    figures = ", ".join(f"{bench.PAGES[k]} {v / 1024:.0f} KB" for k, v in sizes.items())
    for key, budget in bench.WEIGHT_BUDGETS_KB.items():
        assert sizes[key] <= budget * 1024, f"first visit over budget ({budget} KB): {figures}"
    names = {p.name for files in found.values() for p in files}
    assert not names & {"fontawesome.js", "fa-solid-900.woff2", "searchindex.js", "jquery.js"}, figures


LABEL_BREAKS = """() => {
  const broken = [];
  for (const dt of document.querySelectorAll("dl.field-list > dt")) {
    const text = dt.textContent;
    for (const match of text.matchAll(/[\\p{L}\\p{N}]+/gu)) {
      const walker = document.createTreeWalker(dt, NodeFilter.SHOW_TEXT);
      let offset = 0, node;
      while ((node = walker.nextNode())) {
        const end = offset + node.data.length;
        if (match.index >= offset && match.index + match[0].length <= end) {
          const range = document.createRange();
          range.setStart(node, match.index - offset);
          range.setEnd(node, match.index - offset + match[0].length);
          const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
        offset = end;
      }
    }
  }
  return broken;
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("slug", PLANS)
def test_labels_do_not_break_inside_a_word_on_a_phone(browser, plan_site, slug: str) -> None:
    site = plan_site(slug)
    url, server = serve(site)
    page = browser.new_page(viewport=PHONE)
    try:
        checked = 0
        for name in ("index.html", "om-planen.html", "plikter/bvl-13-2.html"):
            if not (site / name).is_file():
                continue
            page.goto(f"{url}/{name}", wait_until="networkidle")
            checked += page.locator("dl.field-list > dt").count()
            assert page.evaluate(LABEL_BREAKS) == [], f"{slug} {name}: a label breaks inside a word"
        assert checked >= 5
    finally:
        page.close()
        server.shutdown()


@pytest.mark.browser
def test_label_check_sees_a_broken_word(browser) -> None:
    """The check above is not vacuous: a label squeezed into a narrow column is reported."""
    page = browser.new_page(viewport=PHONE)
    try:
        page.set_content(
            '<dl class="field-list" style="display:grid;grid-template-columns:3.5em auto">'
            '<dt style="word-break:break-word">Planperiode:</dt><dd>2026–2030</dd></dl>'
        )
        assert page.evaluate(LABEL_BREAKS) == ["Planperiode"]
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_phone_width_pages_pass_axe_and_do_not_scroll_sideways(browser, built_site: Path) -> None:
    """The pages the accessibility statement names as tested at phone width."""
    from .test_accessibility import AXE_TAGS, PageResult, _axe_script, _describe

    url, server = serve(built_site)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    failing = []
    try:
        for name in ("index.html", "tiltak.html", "search.html?q=barnehage", "tilgjengelighet.html"):
            page.goto(f"{url}/{name}", wait_until="networkidle")
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 0, f"{name} scrolls sideways by {wide} px at 390 px"
            page.evaluate(_axe_script().read_text(encoding="utf-8"))  # not a script tag: the CSP refuses those
            report = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            if report["violations"]:
                failing.append(PageResult(name, "phone", report["violations"]))
    finally:
        context.close()
        server.shutdown()
    assert not failing, "\n".join(_describe(r) for r in failing)


def test_icon_font_subsets_are_reused_from_the_cache_only_for_the_same_glyphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (icons.theme_static() / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").read_bytes()
    cache = tmp_path / "icon-fonts"
    first = icons.cached_subset(source, {0xF0C9}, cache)
    assert first == icons.subset_font(source, {0xF0C9}) and len(list(cache.iterdir())) == 1
    cuts: list[set[int]] = []
    real = icons.subset_font
    monkeypatch.setattr(icons, "subset_font", lambda font, points: cuts.append(points) or real(font, points))
    assert icons.cached_subset(source, {0xF0C9}, cache) == first and cuts == []  # the same glyphs: reused
    other = icons.cached_subset(source, {0xF0C9, 0xF185}, cache)  # one more glyph: cut again
    assert cuts == [{0xF0C9, 0xF185}] and other != first and len(list(cache.iterdir())) == 2
