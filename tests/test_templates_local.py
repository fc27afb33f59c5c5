"""Issue 6: printable templates (templates.yaml) and the local part per member municipality (local_part.yaml).

Vest-Telemark (kap. 8 and 9) is built for real and its pages are checked against its data:
every field of a template with its label, the 16 instans checkboxes in a fieldset, the legal
bases as the plan cites them and what the national data maps them to; every member
municipality with every section of the local part marked unfilled. A copy of the data with
one municipality's text filled in and a section_map entry shows that data, not the engine,
decides. Sør-Aurdal has neither file and must show no page or link. Broken copies check that
the loader names file, line and field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from forebygging.core import DataValidationError, HandbookData, load
from forebygging.core.models import TemplateItemType
from forebygging.wording import TEXTS

from .conftest import DATA, build

SLUG = "vest-telemark"


# --------------------------------------------------------------------------- loader error paths


def _edit(data: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` (once) in a data file; return the 1-based line where ``new`` (or what follows) begins."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {file}"
    start = text.index(old)
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[:start].count("\n") + 1


@pytest.mark.parametrize(
    ("file", "old", "new", "field", "message", "hint", "line_of"),
    [
        pytest.param(
            "templates.yaml",
            "      columns: [Nr., Mål, Tiltak, Ansvarleg, Innan]\n",
            "",
            "templates[0].items[10]",
            "needs 'columns'",
            None,
            "    - id: tiltaksplan\n",
            id="table-without-columns",
        ),
        pytest.param(
            "templates.yaml",
            "      type: checkboxes\n",
            "      type: checkbox\n",
            "templates[1].items[6].type",
            "Input should be",
            "did you mean 'checkboxes'?",
            None,
            id="unknown-item-type",
        ),
        pytest.param(
            "templates.yaml",
            "          duty: fvl-13\n",
            "          duty: fvl-31\n",
            "templates[1].items[5].bases[0].duty",
            "unknown duty id",
            "did you mean 'fvl-13'?",
            None,
            id="legal-basis-unknown-duty",
        ),
        pytest.param(
            "templates.yaml",
            "    - id: nekting\n      type: statement\n",
            "    - id: nekting\n      type: statement\n      label: Nekting\n",
            "templates[1].items[8]",
            "'label' does not apply to an item of type 'statement'",
            None,
            "    - id: nekting\n",
            id="label-on-statement",
        ),
        pytest.param(
            "templates.yaml",
            "          repealed: true\n          old_lovdata_id",
            "          old_lovdata_id",
            "templates[1].items[5].bases[4]",
            "set 'repealed: true'",
            None,
            "        - as_cited: Lov om barneverntenester §6-7\n",
            id="old-section-not-repealed",
        ),
        pytest.param(
            "local_part.yaml",
            "municipalities: []\n",
            "municipalities:\n  - municipality: Seljor\n    intro: Tekst.\n",
            "local_part.municipalities[0].municipality",
            "not a municipality of plan.yaml",
            "did you mean 'Seljord'?",
            "  - municipality: Seljor\n",
            id="unknown-municipality",
        ),
        pytest.param(
            "local_part.yaml",
            "municipalities: []\n",
            "municipalities:\n  - municipality: Seljord\n    sections:\n"
            "      - section: situasjon\n        text: Tekst.\n",
            "local_part.municipalities[0].sections[0].section",
            "unknown local-section id",
            "did you mean 'situasjonen'?",
            "      - section: situasjon\n",
            id="unknown-section",
        ),
        pytest.param(
            "local_part.yaml",
            "heading: Lokal del for {kommune} kommune\n",
            "heading: Lokal del for kommunen\n",
            "local_part",
            "'{kommune}' exactly once",
            None,
            'number: "8"\n',
            id="heading-without-blank",
        ),
    ],
)
def test_loader_names_file_line_and_field(
    data_copy: Path, file: str, old: str, new: str, field: str, message: str, hint: str | None, line_of: str | None
) -> None:
    path = data_copy / SLUG / file
    _edit(data_copy / SLUG, file, old, new)
    text = path.read_text(encoding="utf-8")
    expected_line = text[: text.index(line_of or new)].count("\n") + 1
    with pytest.raises(DataValidationError) as info:
        load(data_copy, SLUG)
    errors = info.value.errors
    assert len(errors) == 1, info.value.report()
    error = errors[0]
    assert Path(error.file) == path
    assert error.field == field
    assert message in error.message
    assert error.line == expected_line, info.value.report()
    if hint:
        assert error.hint == hint
    assert f"{SLUG}/{file}:{expected_line}: {field}" in info.value.report()


# --------------------------------------------------------------------------- the built pages


@pytest.fixture(scope="module")
def vest_telemark(plan_site) -> tuple[HandbookData, Path]:
    return load(DATA, SLUG), plan_site(SLUG)


def _article(page: Path) -> Tag:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert isinstance(article, Tag)
    return article


def _label_of(article: Tag, control: Tag) -> str:
    label = article.find("label", attrs={"for": control["id"]})
    assert isinstance(label, Tag), f"control {control.get('id')} has no label"
    return label.get_text(" ", strip=True)


def test_every_field_of_every_template_has_its_label(vest_telemark: tuple[HandbookData, Path]) -> None:
    data, html = vest_telemark
    article = _article(html / "maler.html")
    for template in data.municipality.templates:
        section = article.find("section", id=f"mal-{template.id}")
        assert isinstance(section, Tag), template.id
        assert section.find("h2").get_text(strip=True).startswith(template.title)
        form = section.find("div", class_="fb-form")
        assert isinstance(form, Tag)
        texts = form.get_text(" ", strip=True)
        labels = {_label_of(form, c) for c in form.find_all(["input", "textarea"])}
        for item in template.items:
            key = f"fb-{template.id}-{item.id}"
            if item.type in (TemplateItemType.DATE, TemplateItemType.TEXT, TemplateItemType.ID_NUMBER):
                assert _label_of(form, form.find(id=key)) == item.label
            elif item.type is TemplateItemType.LONGTEXT:
                control = form.find(id=key)
                assert control.name == "textarea" and _label_of(form, control) == item.label
            elif item.type is TemplateItemType.MUNICIPALITY:
                control = form.find(id=key)
                assert _label_of(form, control) == TEXTS["nn"]["templates.municipality"]
                options = [o["value"] for o in form.find(id=control["list"]).find_all("option")]
                assert options == data.plan.municipalities
            elif item.type is TemplateItemType.TABLE:
                table = form.find("table")
                assert table.caption.get_text(strip=True) == item.label
                heads = [th.get_text(strip=True) for th in table.thead.find_all("th")]
                assert heads == item.columns == ["Nr.", "Mål", "Tiltak", "Ansvarleg", "Innan"]
                assert all(th["scope"] == "col" for th in table.thead.find_all("th"))
                assert len(table.tbody.find_all("tr")) == item.rows == 3
                assert len(table.tbody.find_all("input")) == 15
            elif item.type is TemplateItemType.STATEMENT:
                assert item.text in texts
            elif item.type is TemplateItemType.SIGNATURE:
                legends = [f.legend.get_text(strip=True) for f in form.find_all("fieldset", class_="fb-signature")]
                assert item.label in legends
                assert set(item.parts) <= labels
        if template.note:
            assert form.find("p", class_="fb-form-note").get_text(strip=True) == template.note
        if template.footer:
            assert form.find("p", class_="fb-form-footer").get_text(strip=True) == template.footer
    # No way to send or keep what is typed: no form element, no script of ours, no autocomplete.
    assert article.find("form") is None and article.find("script") is None
    assert all(c.get("autocomplete") == "off" for c in article.find_all(["textarea"]))
    assert all(c.get("autocomplete") == "off" for c in article.find_all("input", type=["text", "date"]))
    assert TEXTS["nn"]["templates.privacy"] in article.get_text(" ", strip=True)


def test_the_sixteen_instans_checkboxes(vest_telemark: tuple[HandbookData, Path]) -> None:
    data, html = vest_telemark
    article = _article(html / "maler.html")
    item = next(i for t in data.municipality.templates for i in t.items if i.type is TemplateItemType.CHECKBOXES)
    assert len(item.options) == 16 and sum(o.free_text for o in item.options) == 3
    fieldset = article.find("fieldset", class_="fb-checkboxes")
    assert fieldset.legend.get_text(strip=True) == item.label
    boxes = fieldset.find_all("input", type="checkbox")
    assert [_label_of(fieldset, b) for b in boxes] == [o.label for o in item.options]
    blanks = fieldset.find_all("input", type="text")
    assert [_label_of(fieldset, b) for b in blanks] == [
        TEXTS["nn"]["templates.free_text"].format(label=o.label) for o in item.options if o.free_text
    ]
    marking = fieldset.find(id=fieldset["aria-describedby"])
    assert marking.get_text(" ", strip=True) == item.marking


def test_legal_bases_as_cited_and_mapped_only_where_known(vest_telemark: tuple[HandbookData, Path]) -> None:
    data, html = vest_telemark
    article = _article(html / "maler.html")
    item = next(i for t in data.municipality.templates for i in t.items if i.type is TemplateItemType.LEGAL_BASES)
    cited = article.find("p", class_="fb-legal-bases").get_text(" ", strip=True)
    assert cited.startswith(f"{item.label}: " + ", ".join(b.as_cited for b in item.bases) + ".")
    assert "Lov om barneverntenester §6-7" in cited  # the plan's wording, repealed act and all
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1]
        for tr in article.find("table", class_="forebygging-table").tbody.find_all("tr")
    }
    assert list(rows) == [b.as_cited for b in item.bases]
    not_mapped = TEXTS["nn"]["templates.bases.not_mapped"]
    fvl = rows["Forvaltningslova §13"]
    assert fvl.find("a")["href"].endswith("plikter/fvl-13.html#plikt-fvl-13")
    assert rows["Helse- og omsorgslova kap. 4"].find("a")["href"] == "https://lovdata.no/lov/2011-06-24-30"
    for cited_as in ("Lov om helsepersonell kap. 5", "Pasient- og brukarrettighetslova kap. 4"):
        assert rows[cited_as].get_text(strip=True) == not_mapped
    for cited_as in ("Lov om barneverntenester §6-7", "Lov om behandling av personopplysningar kap 3"):
        text = rows[cited_as].get_text(" ", strip=True)
        assert TEXTS["nn"]["templates.bases.repealed"] in text and not_mapped in text
        assert rows[cited_as].find("a") is None


def test_print_stylesheet_only_on_the_template_page(vest_telemark: tuple[HandbookData, Path]) -> None:
    _, html = vest_telemark
    assert "forebygging-forms.css" in (html / "maler.html").read_text(encoding="utf-8")
    assert "forebygging-forms.css" not in (html / "index.html").read_text(encoding="utf-8")
    css = (html / "_static" / "forebygging-forms.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*{\s*size:\s*A4", css)


def test_local_part_names_every_municipality_with_every_section_unfilled(
    vest_telemark: tuple[HandbookData, Path],
) -> None:
    data, html = vest_telemark
    local = data.municipality.local_part
    assert local is not None and not local.municipalities  # all six are unfilled in the plan
    article = _article(html / "lokal-del.html")
    unfilled = TEXTS["nn"]["local.unfilled"]
    assert len(data.plan.municipalities) == 6
    index = (html / "index.html").read_text(encoding="utf-8")
    for name in data.plan.municipalities:
        slug = name.lower()
        section = article.find("section", id=f"lokal-del-{slug}")
        assert isinstance(section, Tag), name
        assert section.h2.get_text(strip=True).startswith(f"Lokal del for {name} kommune")
        subs = section.find_all("section", recursive=False)
        titles = [s.h3.get_text(strip=True).rstrip("#") for s in subs]
        assert titles == [f"8 {TEXTS['nn']['local.intro_section']}"] + [
            f"{s.number} {s.heading}" for s in local.sections
        ]
        for sub in subs:
            assert sub.find("p", class_="fb-unfilled").get_text(strip=True) == unfilled
        # Findable from the navigation: the start page's table of contents links each municipality.
        assert f'href="lokal-del.html#lokal-del-{slug}"' in index
    assert article.get_text().count(unfilled) == 6 * (len(local.sections) + 1)


def test_filled_content_and_section_map_come_from_the_data(data_copy: Path, tmp_path: Path) -> None:
    """One municipality's text and a section_map entry in a copy: the pages follow the data."""
    _edit(
        data_copy / SLUG,
        "local_part.yaml",
        "municipalities: []\n",
        "municipalities:\n  - municipality: Seljord\n    sections:\n      - section: situasjonen\n"
        "        text: Testtekst om Seljord.\n        points:\n          - text: Testpunkt.\n",
    )
    # A mapping made up for the test: the engine must use whatever section_map says.
    with (data_copy / "national" / "section_map.yaml").open("a", encoding="utf-8") as f:
        f.write(
            '- old_law: barnevernloven 1992\n  old_lovdata_id: 1992-07-17-100\n  old_section: "6-7"\n  duty: bvl-13-2\n'
        )
    assert build(tmp_path, data_copy, SLUG) == 0
    html = tmp_path / "html"
    article = _article(html / "lokal-del.html")
    filled = article.find("section", id="lokal-del-seljord-situasjonen")
    assert "Testtekst om Seljord." in filled.get_text() and "Testpunkt." in filled.get_text()
    assert filled.find("p", class_="fb-unfilled") is None
    assert article.get_text().count(TEXTS["nn"]["local.unfilled"]) == 6 * 7 - 1
    assert "1 av 7 delar fylt ut" in article.get_text()
    rows = _article(html / "maler.html").find("table", class_="forebygging-table").tbody.find_all("tr")
    bvl = next(tr for tr in rows if "§6-7" in tr.get_text())
    assert bvl.find("a")["href"].endswith("plikter/bvl-13-2.html#plikt-bvl-13-2")


def test_absent_for_a_plan_without_the_data(built_site: Path) -> None:
    data = load(DATA, "sor-aurdal")
    assert not data.municipality.templates and data.municipality.local_part is None
    assert not (built_site / "maler.html").exists()
    assert not (built_site / "lokal-del.html").exists()
    for page in built_site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'href="maler.html' not in text and 'href="lokal-del.html' not in text, page.name


# --------------------------------------------------------------------------- in the browser: axe and print


@pytest.fixture(scope="module")
def vest_telemark_url(vest_telemark: tuple[HandbookData, Path]):
    import functools
    import http.server
    import threading

    from .conftest import _QuietHandler

    handler = functools.partial(_QuietHandler, directory=str(vest_telemark[1]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["maler.html", "lokal-del.html"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_and_print_cleanly(browser, vest_telemark_url: str, name: str, scheme: str) -> None:
    from .test_accessibility import AXE_TAGS, _axe_script

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{vest_telemark_url}/{name}", wait_until="networkidle")
        page.evaluate(_axe_script().read_text(encoding="utf-8"))  # an inline <script> would meet the CSP
        report = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
        )
        assert not report["violations"], [
            (v["id"], [n["target"] for n in v["nodes"][:3]]) for v in report["violations"]
        ]
        assert all(u.startswith(vest_telemark_url) or u.startswith(("data:", "blob:")) for u in requests), requests
        if name == "maler.html":
            # Typing changes nothing outside the page: no storage is written.
            typed = "Namn-som-ikkje-skal-lagrast"
            page.fill("#fb-samtykkeerklaering-barnets-namn", typed)
            page.keyboard.press("Enter")  # no <form>: Enter submits nothing
            assert page.url == f"{vest_telemark_url}/{name}"
            stored = page.evaluate(
                "() => [document.cookie, ...Object.values(localStorage), ...Object.values(sessionStorage)].join(' ')"
            )
            assert typed not in stored
            page.emulate_media(media="print")
            hidden = page.evaluate(
                "() => ['.bd-header', '.bd-sidebar-primary', '.fb-form-privacy', 'table.fb-screen-only']"
                ".map(s => document.querySelector(s)).filter(e => e && getComputedStyle(e).display !== 'none').length"
            )
            assert hidden == 0
            second = page.evaluate(
                "() => getComputedStyle(document.querySelectorAll('section.fb-template')[1]).breakBefore"
            )
            assert second == "page"
    finally:
        context.close()


def test_steps_without_a_level_in_the_plan_say_so(vest_telemark: tuple[HandbookData, Path]) -> None:
    """The «uro» steps have no level in the plan: the level is marked as the data's judgement and links nothing."""
    data, html = vest_telemark
    steps = data.municipality.collaboration.steps
    assert len(steps) == 6 and not any(s.level_in_plan for s in steps)
    article = _article(html / "samhandlingsmodell.html")
    note = TEXTS["nn"]["step.level.assumed"]
    for step in steps:
        section = article.find("section", id=f"samhandling-{step.id}")
        assert note in section.get_text(" ", strip=True), step.id
    # The pyramid's table pairs no level with a step, and the flow chart colours no box.
    table = _article(html / "tiltakspyramiden.html").find("table", class_="level-table")
    assert not any(table.find("a", href=re.compile(f"#samhandling-{s.id}$")) for s in steps)
    assert [td.get_text(strip=True) for td in (r.find_all("td")[2] for r in table.tbody.find_all("tr"))] == ["–"] * 3
    # TST's meeting template is linked from the team.
    team = article.find("section", id="team-tst")
    assert team.find("a", href="maler.html#mal-motereferat-tverrfagleg-innsatsteam")


def test_steps_with_a_level_in_the_plan_are_unchanged(built_site: Path) -> None:
    data = load(DATA, "sor-aurdal")
    assert all(s.level_in_plan for s in data.municipality.collaboration.steps)
    assert TEXTS["nb"]["step.level.assumed"] not in (built_site / "samhandlingsmodell.html").read_text(encoding="utf-8")
