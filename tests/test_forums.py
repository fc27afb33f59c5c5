"""Optional plan data: meeting structure (forums), user participation, status notes, the plan's overview.

The pages exist only for plans that have the data: Hemsedal (vedlegg 1, kap. 10.3) and
Bamble (kap. 7.2) are built for real and their pages are checked against their data, one
forum at a time; Sør-Aurdal has none of it and must show no page, link or heading for it.
Broken copies of the data check that the loader names file, line and field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from forebygging.core import DataValidationError, HandbookData, load
from forebygging.core.models import Forum

from .conftest import DATA

WITH_FORUMS = ["hemsedal", "bamble"]


# --------------------------------------------------------------------------- loader error paths


def _edit(data: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` (once) in a data file; return the 1-based line where ``new`` begins."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {file}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text[: text.index(new)].count("\n") + 1


def _only_error(data: Path, slug: str):
    with pytest.raises(DataValidationError) as info:
        load(data, slug)
    errors = info.value.errors
    assert len(errors) == 1, info.value.report()
    return errors[0], info.value.report()


@pytest.mark.parametrize(
    ("slug", "file", "old", "new", "field", "message", "hint"),
    [
        pytest.param(
            "hemsedal",
            "hemsedal/meeting_structure.yaml",
            "        service: kommunepsykolog\n",
            "        service: kommunepsykologen\n",
            "meeting_structure.forums[0].participants[6].service",
            "unknown service id",
            "did you mean 'kommunepsykolog'?",
            id="participant-unknown-service",
        ),
        pytest.param(
            "bamble",
            "bamble/meeting_structure.yaml",
            "    service: styringsgruppa-barn-og-unge\n",
            "    service: styringsgruppa-barn-unge\n",
            "meeting_structure.forums[2].service",
            "unknown service id",
            "did you mean 'styringsgruppa-barn-og-unge'?",
            id="forum-unknown-service",
        ),
        pytest.param(
            "hemsedal",
            "hemsedal/meeting_structure.yaml",
            "    tier: 2\n    scope: system\n    description: Samarbeid mellom helse og skole",
            "    tier: to\n    scope: system\n    description: Samarbeid mellom helse og skole",
            "meeting_structure.forums[1].tier",
            "valid integer",
            None,
            id="tier-wrong-type",
        ),
        pytest.param(
            "hemsedal",
            "hemsedal/meeting_structure.yaml",
            "    tier: 3\n    scope: enkeltsaker\n    description: >-\n      Samarbeid mellom skole",
            "    tier: 3\n    scope: enkeltsak\n    description: >-\n      Samarbeid mellom skole",
            "meeting_structure.forums[3].scope",
            "Input should be",
            "did you mean 'enkeltsaker'?",
            id="scope-not-in-enum",
        ),
        pytest.param(
            "hemsedal",
            "hemsedal/meeting_structure.yaml",
            "    interval: Én gang i måneden\n",
            "    interval: [Én gang i måneden]\n",
            "meeting_structure.forums[3].interval",
            "valid string",
            None,
            id="interval-wrong-type",
        ),
        pytest.param(
            "hemsedal",
            "hemsedal/meeting_structure.yaml",
            "    minutes_by: Styrer barnehage\n",
            "    referent: Styrer barnehage\n",
            "meeting_structure.forums[0].referent",
            "unknown field 'referent'",
            None,
            id="forum-unknown-field",
        ),
        pytest.param(
            "hemsedal",
            "hemsedal/measures.yaml",
            "  status_note: Oppstart høsten 2024\n",
            "  status_note: [Oppstart høsten 2024]\n",
            ".status_note",
            "valid string",
            None,
            id="status-note-wrong-type",
        ),
    ],
)
def test_bad_optional_data_names_file_line_and_field(
    data_copy: Path, slug: str, file: str, old: str, new: str, field: str, message: str, hint: str | None
) -> None:
    line = _edit(data_copy, file, old, new)
    # The error points at the line of the changed key (the first line of `new` that differs).
    changed = next(i for i, (a, b) in enumerate(zip(old.splitlines(), new.splitlines(), strict=True)) if a != b)
    error, report = _only_error(data_copy, slug)
    assert error.file == data_copy / file
    assert error.line == line + changed, report
    assert field in error.field, report
    assert message in error.message, report
    if hint is not None:
        assert error.hint == hint, report
    assert f"{file}:{line + changed}: " in report


def test_participation_needs_a_point(data_copy: Path) -> None:
    path = data_copy / "hemsedal/participation.yaml"
    path.write_text("source: kap. 10.3\nindividual: []\nsystem: []\n", encoding="utf-8")
    error, report = _only_error(data_copy, "hemsedal")
    assert error.file == path
    assert error.field == "participation"
    assert "at least one point" in error.message
    assert "participation.yaml:1: participation:" in report


def test_a_forum_is_not_a_service(data_copy: Path) -> None:
    """The forums left services.yaml: a measure naming one is an unknown service, not a silent match."""
    line = _edit(data_copy, "hemsedal/measures.yaml", "    - psykisk-helse\n    - familiens-hus\n", "    - tog\n")
    error, report = _only_error(data_copy, "hemsedal")
    assert error.field.endswith(".responsible[0]")
    assert error.line == line
    assert error.message == "unknown service id", report


# --------------------------------------------------------------------------- built pages


@pytest.fixture(scope="module", params=[*WITH_FORUMS, "sor-aurdal"])
def site(request: pytest.FixtureRequest, plan_site) -> tuple[HandbookData, Path]:
    slug: str = request.param
    return load(DATA, slug), plan_site(slug)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def _forum_fields(forum: Forum) -> list[str]:
    """Every text of a forum that the page must show."""
    texts = [forum.name, forum.description, *(p.role for p in forum.participants)]
    texts += [p.note for p in forum.participants if p.note]
    texts += [v for v in (forum.interval, forum.consent, forum.convenes, forum.chairs, forum.minutes_by) if v]
    texts += [point.text for point in forum.content]
    return [" ".join(t.split()) for t in texts]


def test_forum_page_shows_each_forum_with_its_fields(site: tuple[HandbookData, Path]) -> None:
    data, html = site
    structure = data.municipality.meeting_structure
    page = html / "motestruktur.html"
    if structure is None:
        pytest.skip("plan without forums: see test_no_forum_page_without_forums")
    main = _soup(page).find("main")
    sections = main.select("section.forum")
    assert [s["id"] for s in sections] == [f"forum-{f.id}" for f in structure.forums]
    for forum, sec in zip(structure.forums, sections, strict=True):
        shown = _text(sec)
        for value in _forum_fields(forum):
            assert value in shown, f"{forum.id}: {value!r} missing"
        if forum.tier is not None:
            assert f"Nivå : {forum.tier}" in shown
        # A participant with a service links to it; the forum's own service too.
        hrefs = [a["href"] for a in sec.find_all("a", href=True)]
        for p in forum.participants:
            if p.service:
                assert any(h.endswith(f"#tjeneste-{p.service}") for h in hrefs), (forum.id, p.role)
        if forum.service:
            assert any(h.endswith(f"#tjeneste-{forum.service}") for h in hrefs)
        # No label without a value: e.g. Bamble's forums have no interval or minutes.
        labels = [_text(dt) for dt in sec.find_all("dt")]
        assert ("Hvor ofte" in " ".join(labels)) == bool(forum.interval)
        assert ("referat" in " ".join(labels)) == bool(forum.minutes_by)
    # The overview table: a caption, header cells, one row per forum.
    table = main.find("table")
    assert table.find("caption") is not None
    assert len(table.find("tbody").find_all("tr")) == len(structure.forums)
    tier_column = "Nivå" in [_text(th) for th in table.find("thead").find_all("th")]
    assert tier_column == any(f.tier for f in structure.forums)
    # The collaboration model points to the page.
    assert 'href="motestruktur.html"' in (html / "samhandlingsmodell.html").read_text(encoding="utf-8")


def test_no_forum_page_without_forums(site: tuple[HandbookData, Path]) -> None:
    data, html = site
    has_forums = data.municipality.meeting_structure is not None
    has_participation = data.municipality.participation is not None
    assert (html / "motestruktur.html").exists() == has_forums
    assert (html / "brukermedvirkning.html").exists() == has_participation
    navigation = (html / "index.html").read_text(encoding="utf-8")
    assert ('href="motestruktur.html"' in navigation) == has_forums
    assert ('href="brukermedvirkning.html"' in navigation) == has_participation
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if not has_forums:
            assert "motestruktur.html" not in text and "Møtestruktur" not in text, page.name
            assert "Faste møter og forum" not in text, page.name
        if not has_participation:
            assert "brukermedvirkning.html" not in text, page.name


def test_participation_page(site: tuple[HandbookData, Path]) -> None:
    data, html = site
    participation = data.municipality.participation
    if participation is None:
        pytest.skip("plan without user participation")
    main = _soup(html / "brukermedvirkning.html").find("main")
    for level, items in (("individniva", participation.individual), ("systemniva", participation.system)):
        sec = main.find("section", id=f"medvirkning-{level}")
        assert (sec is not None) == bool(items)
        if sec is not None:
            assert [_text(li.find("p")) for li in sec.find("ul").find_all("li", recursive=False)] == [
                " ".join(p.text.split()) for p in items
            ]


def test_status_only_where_the_plan_has_statuses(site: tuple[HandbookData, Path]) -> None:
    data, html = site
    measures = data.municipality.measures
    main = _soup(html / "tiltak.html").find("main")
    headers = {_text(th) for th in main.select("thead th")}
    has_status = any(m.status or m.status_note for m in measures)
    assert ("Status" in headers) == has_status
    if not has_status:
        assert "Status :" not in _text(main)
    for m in measures:
        sec = main.find("section", id=f"tiltak-{m.id}")
        if m.status_note:
            assert m.status_note in _text(sec), m.id
            if m.status:
                assert m.status.value.capitalize() in _text(sec), m.id


def test_the_plans_service_overview(site: tuple[HandbookData, Path]) -> None:
    """Hemsedal kap. 11.5 (and any plan's own overview) as the plan lists it, in its order."""
    data, html = site
    listed = [s for s in data.municipality.services if s.in_overview]
    sec = _soup(html / "tjenester.html").find("section", id="tjenester-planens-oversikt")
    assert (sec is not None) == bool(listed)
    if sec is not None:
        rows = sec.find("tbody").find_all("tr")
        assert [_text(r.find("td")) for r in rows] == [s.name for s in listed]
