"""Plans without a measure table show the measures their text names, and contacts can be tapped.

Midtdalen (kap. 6.2) and Vest-Telemark (kap. 2, 5, 6) have no measure table; the measures their
text names are data now, marked as examples where the plan gives them as such, and marked where
the level is our reading rather than the plan's. They reach the catalogue, the pyramid, the
trace and the reflection aid like any other measure.

The page «Er du bekymret for et barn?» shows barnevernet's and barnevernvakten's numbers as
``tel:`` links only where a plan gives them (no plan does today), says so where it does not,
and links the national portal for bekymringsmelding from the national data.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from forebygging.core import DataValidationError, HandbookData, load
from forebygging.core.models import tel_uri
from forebygging.core.trace import LEVELS, GapKind, compute, handbook_docs, need_id
from forebygging.wording import lookup
from widgets.rules import ruleset

from .conftest import DATA, ROOT, build

PLANS = ["bamble", "hemsedal", "midtdalen", "sor-aurdal", "vest-telemark"]
NO_TABLE = ["midtdalen", "vest-telemark"]

# What was read in the plans (seeds 002 kap. 6.2 and 003 kap. 2, 5, 6): measures per level, and
# how many of them the plan gives only as examples. Written out so that losing a measure from
# the data fails here, not only in a count derived from the same data.
EXPECTED = {
    "midtdalen": {"universell": (7, 7), "selektiv": (5, 5), "indikert": (3, 3)},
    "vest-telemark": {"universell": (15, 12), "selektiv": (2, 0), "indikert": (1, 0)},
}
PORTAL = "https://bekymringsmelding.fiks.ks.no/"
SOR_AURDAL_NEWS = "https://www.sor-aurdal.kommune.no/nyheter/nasjonal-portal-for-bekymringsmeldinger.8740.aspx"


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _measure_needs(html: Path) -> dict[str, dict]:
    needs = json.loads((html / "needs.json").read_text(encoding="utf-8"))
    current = needs["versions"][needs["current_version"]]["needs"]
    return {n["id"]: n for n in current.values() if n["type"] == "measure"}


def _main(page: Path) -> str:
    html = _html(page)
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, page
    return match.group(0)


@pytest.fixture(scope="module", params=NO_TABLE)
def no_table(request: pytest.FixtureRequest, plan_site) -> tuple[HandbookData, Path]:
    return load(DATA, request.param), plan_site(request.param)


# --------------------------------------------------------------------------- item 5: example measures


def test_measures_per_level_in_needs_json_match_the_data_and_the_plan(no_table) -> None:
    data, html = no_table
    needs = _measure_needs(html)
    from_needs = Counter(n["level"] for n in needs.values())
    from_data = Counter(m.level.value for m in data.municipality.measures)
    assert from_needs == from_data
    examples_needs = Counter(n["level"] for n in needs.values() if n["example"])
    examples_data = Counter(m.level.value for m in data.municipality.measures if m.example)
    assert examples_needs == examples_data
    expected = EXPECTED[data.slug]
    assert {lv: (from_needs[lv], examples_needs[lv]) for lv in expected} == expected


def test_every_example_and_every_read_level_is_marked(no_table) -> None:
    """The need, the catalogue entry and the data agree, measure by measure."""
    data, html = no_table
    needs = _measure_needs(html)
    page = _html(html / "tiltak.html")
    lang = data.plan.language.value
    example = lookup(lang, "measure.example")
    reading = lookup(lang, "measure.level.reading", level="X").removeprefix("X ")  # "(vår lesing: …)"
    for m in data.municipality.measures:
        need = needs[need_id("measure", m.id)]
        assert need["example"] is m.example and need["level_in_plan"] is m.level_in_plan, m.id
        section = re.search(rf'<section class="([^"]*)" id="tiltak-{m.id}">(.*?)</section>', page, re.S)
        assert section, m.id
        classes, body = section.group(1).split(), _text(section.group(2))
        assert ("measure-example" in classes) is m.example, m.id
        assert (example in body) is m.example, m.id
        assert (reading in body) is (not m.level_in_plan), m.id


def test_catalogue_says_the_plan_has_no_full_catalogue(no_table) -> None:
    data, html = no_table
    lang = data.plan.language.value
    text = _text(_html(html / "tiltak.html"))
    assert not data.plan.measure_table
    assert lookup(lang, "catalogue.no_table") in text
    # Vest-Telemark gives no levels at all: the catalogue says that the levels are ours.
    read = any(not m.level_in_plan for m in data.municipality.measures)
    assert (lookup(lang, "catalogue.no_table.reading") in text) is read
    assert read is (data.slug == "vest-telemark")


def test_plans_with_a_table_say_nothing_of_examples(plan_site) -> None:
    for slug in ("sor-aurdal", "bamble", "hemsedal"):
        data = load(DATA, slug)
        assert data.plan.measure_table and not any(m.example for m in data.municipality.measures)
        text = _text(_html(plan_site(slug) / "tiltak.html"))
        assert lookup("nb", "catalogue.no_table") not in text
        assert lookup("nb", "measure.example") not in text


def test_pyramid_counts_the_examples(no_table) -> None:
    data, html = no_table
    lang = data.plan.language.value
    text = _text(_html(html / "tiltakspyramiden.html"))
    for level, (n, examples) in EXPECTED[data.slug].items():
        if examples:
            assert lookup(lang, "level.measures.examples", n=n, examples=examples) in text, level
        else:
            assert lookup(lang, "level.measures", n=n) in text, level


def test_the_trace_treats_examples_as_measures_and_keeps_the_gap(no_table) -> None:
    data, _ = no_table
    trace = compute(data, handbook_docs(ROOT / "handbook"))
    for m in data.municipality.measures:
        assert "bvl-15-1" in [f.duty for f in trace.duties_of(m.id)], m.id  # R1 for every measure
    assert [g.subject for g in trace.gaps_of(GapKind.PLAN_WITHOUT_MEASURES)] == [data.slug]
    assert next(r for r in trace.requirements if r.id == "tiltak").answered
    if data.slug == "midtdalen":  # R3: a measure named after a coordination duty meets it
        assert ("koordinator-og-individuell-plan", "fip", "R3") in {
            (f.measure, f.duty, f.source) for f in trace.fulfilments
        }
    else:
        assert ("barnekoordinator", "hol-7-2-a", "R3") in {(f.measure, f.duty, f.source) for f in trace.fulfilments}
        assert "tverrfaglege-samhandlingsteam" in trace.collaboration


def test_the_reflection_aid_gets_every_measure(no_table) -> None:
    data, _ = no_table
    rules = ruleset(data)
    assert {m["id"]: m["level"] for m in rules["measures"]} == {m.id: m.level.value for m in data.municipality.measures}
    assert {lv.value for lv in LEVELS} == {m["level"] for m in rules["measures"]}


def test_hemsedal_bti_levels_are_marked_as_our_reading() -> None:
    """The plan never ties its BTI levels to the pyramid (kap. 6.1)."""
    steps = load(DATA, "hemsedal").municipality.collaboration.steps
    assert [s.id for s in steps if s.level_in_plan] == []


# --------------------------------------------------------------------------- item 6: phone numbers and the portal


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("12 34 56 78", "tel:12345678"),
        ("123 45 678", "tel:12345678"),
        ("+47 12345678", "tel:+4712345678"),
        ("112", "tel:112"),
    ],
)
def test_tel_uri(phone: str, uri: str) -> None:
    assert tel_uri(phone) == uri


@pytest.mark.parametrize("bad", ["1234567", "12-34-56-78", "ring sentralbordet", "123456789"])
def test_a_phone_number_that_is_not_one_names_file_line_and_field(data_copy: Path, bad: str) -> None:
    path = data_copy / "sor-aurdal" / "services.yaml"
    text = path.read_text(encoding="utf-8")
    old = "- id: barnevern\n"
    assert old in text
    path.write_text(text.replace(old, f"{old}  phone: '{bad}'\n", 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load(data_copy, "sor-aurdal")
    errors = [e for e in info.value.errors if e.field.endswith(".phone")]
    assert errors, info.value.report()
    assert errors[0].file == path
    assert errors[0].line == text.splitlines().index(old.rstrip("\n")) + 2


@pytest.mark.parametrize("slug", PLANS)
def test_no_plan_gives_a_number_and_the_page_says_so(plan_site, slug: str) -> None:
    """No plan gives a phone number: no number but 112 is shown, and the page says the plan gives none."""
    data = load(DATA, slug)
    assert not any(s.phone for s in data.municipality.services)
    main = _main(plan_site(slug) / "bekymret.html")
    assert set(re.findall(r'href="(tel:[^"]*)"', main)) == {"tel:112"}
    lang = data.plan.language.value
    text = _text(main)
    assert lookup(lang, "concern.phone.barnevern.none") in text
    assert lookup(lang, "concern.phone.vakt.none") in text


@pytest.mark.parametrize("slug", PLANS)
def test_concern_page_links_the_national_portal_the_catalogue_and_the_reflection_aid(plan_site, slug: str) -> None:
    data = load(DATA, slug)
    portal = next(c for c in data.national.contacts if c.id == "bekymringsmelding-portal")
    assert str(portal.url) == PORTAL
    main = _main(plan_site(slug) / "bekymret.html")
    assert re.search(rf'<a class="reference external" href="{re.escape(PORTAL)}">{re.escape(portal.name)}</a>', main)
    assert SOR_AURDAL_NEWS not in main  # a news article about the portal is not the portal
    assert 'href="tiltak.html"' in main
    assert 'href="refleksjonsverktoy.html"' in main


@pytest.mark.slow
def test_numbers_in_the_data_become_tel_links_and_a_missing_portal_is_not_linked(tmp_path: Path) -> None:
    """With numbers in services.yaml (and barnevernvakten as a service), both are tappable."""
    data = tmp_path / "_data"
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(DATA / "sor-aurdal", data / "sor-aurdal")
    # Without the portal; the other national contacts (the accessibility statement's) stay.
    contacts = data / "national" / "contacts.yaml"
    kept = [c for c in yaml.safe_load(contacts.read_text(encoding="utf-8")) if c["id"] != "bekymringsmelding-portal"]
    assert kept, "the statement's national contacts are expected to stay"
    contacts.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    services = data / "sor-aurdal" / "services.yaml"
    text = services.read_text(encoding="utf-8")
    text = text.replace("- id: barnevern\n", "- id: barnevern\n  phone: 12 34 56 78\n", 1)
    text += (
        "\n- id: barnevernvakt\n  name: Barnevernvakten i Valdres\n  kind: interkommunal\n"
        "  description: Barnevernet utenom kontortid.\n  phone: +47 000 11 222\n"
    )
    services.write_text(text, encoding="utf-8")
    assert build(tmp_path / "out", data, "sor-aurdal") == 0
    main = _main(tmp_path / "out" / "html" / "bekymret.html")
    assert '<a class="reference external" href="tel:12345678">12 34 56 78</a>' in main
    assert '<a class="reference external" href="tel:+4700011222">+47 000 11 222</a> (Barnevernvakten i Valdres)' in main
    text = _text(main)
    assert lookup("nb", "concern.phone.barnevern.none") not in text
    assert lookup("nb", "concern.phone.vakt.none") not in text
    assert "bekymringsmelding.fiks.ks.no" not in main
    assert lookup("nb", "concern.portal") not in text


@pytest.mark.parametrize("slug", PLANS)
def test_the_acute_advice_links_the_portal_itself(plan_site, slug: str) -> None:
    """The reflection aid's acute advice names the national portal and links it, in every plan."""
    lang = load(DATA, slug).plan.language.value
    for page in ("refleksjonsverktoy.html", "hva-gjor-jeg-na.html"):
        html = _html(plan_site(slug) / page)
        assert SOR_AURDAL_NEWS not in html, page
    html = _html(plan_site(slug) / "refleksjonsverktoy.html")
    assert f'<a href="{PORTAL}">{lookup(lang, "acute.portal.link")}</a>' in html


def test_catalogue_export_marks_examples_and_read_levels(no_table, built_site: Path) -> None:
    import csv

    from forebygging.outputs.exports import CSV_DELIMITER, file_stem

    data, html = no_table
    lang = data.plan.language.value
    with (html / f"{file_stem(data)}.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *body = list(csv.reader(f, delimiter=CSV_DELIMITER))
    col = {name: i for i, name in enumerate(header)}
    yes, no = lookup(lang, "trace.yes"), lookup(lang, "trace.no")
    rows = {r[0]: r for r in body}
    for m in data.municipality.measures:
        assert rows[m.id][col[lookup(lang, "export.col.example")]] == (yes if m.example else no), m.id
        assert rows[m.id][col[lookup(lang, "export.col.level_reading")]] == (no if m.level_in_plan else yes), m.id
    # A plan with a measure table keeps its columns.
    sor = load(DATA, "sor-aurdal")
    with (built_site / f"{file_stem(sor)}.csv").open(encoding="utf-8-sig", newline="") as f:
        assert lookup("nb", "export.col.example") not in next(csv.reader(f, delimiter=CSV_DELIMITER))
