"""Plan versions: a fixture git history with two tagged versions, its change report and its site.

The history is made here: version 2026.1 is today's Sør-Aurdal data; version 2026.2 adds a
measure, removes one, moves one to another level and renames a service.
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from forebygging.cli.versioned_site import build_site
from forebygging.core import HandbookData, load
from forebygging.core.changes import ChangeReport, previous_version, report_between
from forebygging.core.trace import handbook_docs
from forebygging.core.versions import tagged_versions
from forebygging.ext import versions as ext_versions
from forebygging.ext.reads import recording

from .conftest import DATA, ROOT, build
from .trees import differences

SLUG = "sor-aurdal"
ADDED = "foreldrekurs-test"
REMOVED = "samarbeid-med-andre"  # the last universal measure
MOVED = "kartlegging-indikert"
RENAMED = "kommunepsykolog"
DOCS = handbook_docs(ROOT / "handbook")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        check=True,
        capture_output=True,
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _remove_measure(path: Path, measure_id: str) -> None:
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=- id: )", text)
    kept = [b for b in blocks if not b.startswith(f"- id: {measure_id}\n")]
    assert len(kept) == len(blocks) - 1
    path.write_text("".join(kept), encoding="utf-8")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("history")
    data = repo / "_data"
    data.mkdir()
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(DATA / SLUG, data / SLUG)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Plan 2026.1")
    git(repo, "tag", f"plan/{SLUG}/2026.1")

    muni = data / SLUG
    _edit(muni / "plan.yaml", 'version: "2026.1"', 'version: "2026.2"')
    measures = muni / "measures.yaml"
    assert f"- id: {MOVED}\n" in measures.read_text(encoding="utf-8")
    _remove_measure(measures, REMOVED)
    text = measures.read_text(encoding="utf-8")
    start = text.index(f"- id: {MOVED}\n")
    end = text.index("\n- id: ", start + 1)
    block = text[start:end]
    text = text[:start] + block.replace("level: indikert", "level: selektiv", 1) + text[end:]
    text += (
        f"\n- id: {ADDED}\n  name: Foreldrekurs\n  level: universell\n"
        "  description: Et kurs for foreldre, lagt til i testhistorikken.\n"
        "  target_group: Foreldre\n  responsible:\n    - helsestasjon-skolehelsetjeneste\n"
    )
    measures.write_text(text, encoding="utf-8")
    _edit(muni / "services.yaml", "  name: Kommunepsykolog\n", "  name: Kommunepsykologtjenesten\n")
    git(repo, "commit", "-q", "-am", "Plan 2026.2")
    git(repo, "tag", f"plan/{SLUG}/2026.2")
    return repo


def test_tags_are_the_versions(history: Path) -> None:
    assert [v.name for v in tagged_versions(history, SLUG)] == ["2026.1", "2026.2"]
    assert tagged_versions(history, "bamble") == []


def test_change_report_lists_exactly_the_changes(history: Path) -> None:
    data = load(history / "_data", SLUG)
    assert previous_version(data) == "2026.1"
    report = report_between(data, "2026.1", "2026.2", DOCS)
    assert (report.before, report.after) == ("2026.1", "2026.2")
    assert [m.id for m in report.measures_added] == [ADDED]
    assert [m.id for m in report.measures_removed] == [REMOVED]
    assert [(c.id, [(f.field, f.before, f.after) for f in c.fields]) for c in report.measures_changed] == [
        (MOVED, [("level", "indikert", "selektiv")])
    ]
    assert [(c.id, [(f.field, f.before, f.after) for f in c.fields]) for c in report.services_changed] == [
        (RENAMED, [("name", "Kommunepsykolog", "Kommunepsykologtjenesten")])
    ]
    assert report.services_added == report.services_removed == report.duties_changed == []
    # Review flags: measures of the renamed service, services of the moved and the removed measure.
    flagged = {(f.kind, f.id) for f in report.review}
    psykolog_measures = {m.id for m in data.municipality.measures if RENAMED in m.responsible}
    assert {("measure", m) for m in psykolog_measures} <= flagged
    assert {("service", s) for s in data.measures[MOVED].responsible} <= flagged
    assert all(f.because for f in report.review)


def test_no_change_between_a_version_and_itself(history: Path) -> None:
    data = load(history / "_data", SLUG)
    assert report_between(data, "2026.2", "2026.2", DOCS).empty


def test_unknown_version_is_a_clear_error(history: Path) -> None:
    data = load(history / "_data", SLUG)
    with pytest.raises(ValueError, match=r"no tag plan/sor-aurdal/2025\.9; tagged versions: 2026\.1, 2026\.2"):
        report_between(data, "2025.9", None, DOCS)


@pytest.fixture(scope="module")
def report_calls() -> list[tuple[str | None, str | None]]:
    """(before, after) of every change report the ``site`` build computed."""
    return []


@pytest.fixture(scope="module")
def site(
    history: Path, tmp_path_factory: pytest.TempPathFactory, report_calls: list[tuple[str | None, str | None]]
) -> Path:
    out = tmp_path_factory.mktemp("site")

    def counted(data: HandbookData, before: str | None, after: str | None, docs: set[str]) -> ChangeReport:
        report_calls.append((before, after))
        return report_between(data, before, after, docs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ext_versions, "report_between", counted)
        assert build_site(history / "_data", SLUG, out) == 0
    return out / "site"


@pytest.mark.slow
def test_the_change_report_is_computed_once_per_build(site: Path, report_calls: list) -> None:
    """The summary, the report's section and the change page show one report: one comparison.

    2026.2 compares with 2026.1 once; 2026.1 has no earlier version and compares with nothing.
    """
    assert (site / "endringer.html").is_file() and (site / "versjoner/2026.1/rapport.html").is_file()
    assert report_calls == [("2026.1", None)]


def _fake_reports(monkeypatch: pytest.MonkeyPatch) -> list[HandbookData]:
    """Replace the comparison by one that reads one field and counts its calls (by the data it got)."""
    calls: list[HandbookData] = []

    def fake(data: HandbookData, before: str | None, after: str | None, docs: set[str]) -> ChangeReport:
        calls.append(data)
        _ = data.municipality.measures[0].description
        return ChangeReport(before or "", after or data.plan.version)

    monkeypatch.setattr(ext_versions, "report_between", fake)
    monkeypatch.setattr(ext_versions, "_CHANGES", {})  # none of these fakes stays for a later build
    return calls


def test_a_shared_change_report_gives_every_page_the_reads_that_computed_it(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_reports(monkeypatch)
    data = load(history / "_data", SLUG)
    env = SimpleNamespace(srcdir=str(ROOT / "handbook"))
    with recording(data) as first:
        report = ext_versions.change_report(env, data, "2026.1")  # type: ignore[arg-type]
    with recording(data) as second:
        assert ext_versions.change_report(env, data, "2026.1") is report  # type: ignore[arg-type]
    assert len(calls) == 1
    measure = data.municipality.measures[0].id
    assert (f"municipality.measures[{measure}]", "description") in first
    assert ("=plan-tags", "") in first  # moving a tag changes the report
    assert second == first
    # Another version pair, or another build's data, is another report.
    ext_versions.change_report(env, data, "2026.2")  # type: ignore[arg-type]
    ext_versions.change_report(env, load(history / "_data", SLUG), "2026.1")  # type: ignore[arg-type]
    assert len(calls) == 3


def test_no_change_report_outlives_its_build_or_its_tags(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_reports(monkeypatch)
    repo = tmp_path / "repo"
    shutil.copytree(history, repo)
    data = load(repo / "_data", SLUG)
    env = SimpleNamespace(srcdir=str(ROOT / "handbook"))
    ext_versions.change_report(env, data, "2026.1")  # type: ignore[arg-type]
    ext_versions._forget_changes(None)  # type: ignore[arg-type]  # a new build starts
    ext_versions.change_report(env, data, "2026.1")  # type: ignore[arg-type]
    assert len(calls) == 2
    git(repo, "tag", "-f", f"plan/{SLUG}/2026.1", "HEAD")  # the same name, another commit
    ext_versions.change_report(env, data, "2026.1")  # type: ignore[arg-type]
    assert len(calls) == 3


@pytest.mark.slow
def test_switcher_json_is_valid_and_every_entry_resolves(site: Path) -> None:
    for root in (site, site / "versjoner" / "2026.1"):
        entries = json.loads((root / "switcher.json").read_text(encoding="utf-8"))
        assert [e["version"] for e in entries] == ["2026.2", "2026.1"]
        assert sum(1 for e in entries if e.get("preferred")) == 1
        for entry in entries:
            assert entry["url"].startswith("/") and entry["url"].endswith("/")
            assert (site / entry["url"].lstrip("/") / "index.html").is_file(), entry
    # The theme is told which version each build is.
    assert "theme_switcher_version_match = '2026.1'" in (site / "versjoner/2026.1/index.html").read_text()
    assert "theme_switcher_version_match = '2026.2'" in (site / "index.html").read_text()


@pytest.mark.slow
def test_banners_on_draft_and_superseded_versions(site: Path) -> None:
    current = (site / "tiltak.html").read_text(encoding="utf-8")
    assert "Utkast – ikke vedtatt" in current
    assert "er erstattet av" not in current
    old_page = site / "versjoner" / "2026.1" / "tiltak.html"
    old = old_page.read_text(encoding="utf-8")
    assert "Versjon 2026.1 er erstattet av versjon 2026.2." in old
    href = re.search(r'<a class="reference external" href="([^"]+)">Gå til samme side i gjeldende versjon', old)
    assert href and (old_page.parent / href.group(1)).resolve() == (site / "tiltak.html").resolve()
    # The old version shows its own data: the removed measure is still there, the added one is not.
    assert f'id="tiltak-{REMOVED}"' in old and f'id="tiltak-{ADDED}"' not in old
    assert f'id="tiltak-{ADDED}"' in current and f'id="tiltak-{REMOVED}"' not in current


@pytest.mark.slow
def test_change_report_page_in_the_current_version(site: Path) -> None:
    html = (site / "endringer.html").read_text(encoding="utf-8")
    assert "Endringer fra 2026.1 til 2026.2" in html
    assert "Foreldrekurs" in html and "Kommunepsykologtjenesten" in html
    assert "Til vurdering" in html
    # The same report is a section of the council report (and so of its PDF).
    report = (site / "rapport.html").read_text(encoding="utf-8")
    assert "Endringer fra 2026.1 til 2026.2" in report and "Kommunepsykologtjenesten" in report
    # The summary tells the same change in one sentence.
    assert "Siden versjon 2026.1 er " in report


@pytest.mark.slow
def test_report_tells_the_changes_after_the_findings_in_page_and_pdf(site: Path) -> None:
    """2026.2: the change report is the report's section after the findings; 2026.1 has nothing before it."""
    from .test_report_story import _section, _text, check_story_order

    check_story_order(
        site,
        SLUG,
        "nb",
        ["Endringer fra 2026.1 til 2026.2", "Nye tiltak", "Fjernede tiltak", "Endrede tiltak", "Til vurdering"],
    )
    changes = _text(_section((site / "rapport.html").read_text(encoding="utf-8"), "rapport-endringer"))
    assert "Foreldrekurs" in changes and "Kommunepsykologtjenesten" in changes
    # A changed level by its name; no duty changed its count, so no table of thirteen equal rows.
    assert "Nivå Indikert nivå Selektivt nivå" in changes
    assert "det samme i begge versjonene" in changes
    # A gap the change opened reads as the findings do, not as its internal kind and id.
    assert "Kulturavdelingen: ansvarlig for ingen tiltak" in changes
    for page in ("rapport.html", "endringer.html"):
        text = _text((site / page).read_text(encoding="utf-8"))
        assert "tjeneste-uten-tiltak" not in text and "kulturavdelingen" not in text, page
    old = site / "versjoner" / "2026.1"
    check_story_order(old, SLUG, "nb", ["Endringer siden forrige versjon"])
    old_changes = _text(_section((old / "rapport.html").read_text(encoding="utf-8"), "rapport-endringer"))
    assert "Håndboka har ingen tidligere versjon av planen lagret" in old_changes
    assert "versjon 2026.1 med" in old_changes


@pytest.mark.slow
def test_building_a_version_twice_gives_identical_html(history: Path, site: Path, tmp_path: Path) -> None:
    assert build_site(history / "_data", SLUG, tmp_path) == 0
    again = tmp_path / "site"
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert pages == sorted(p.relative_to(again) for p in again.rglob("*.html"))
    different = [str(p) for p in pages if not filecmp.cmp(site / p, again / p, shallow=False)]
    assert different == []


@pytest.mark.browser
@pytest.mark.slow
def test_switcher_works_under_the_content_security_policy(browser, site: Path) -> None:
    """The switcher fetches switcher.json and fills its menu from script: allowed by the pages' CSP."""
    from .conftest import serve
    from .test_page_policy import Watched

    url, server = serve(site)
    watched = Watched(browser)
    try:
        watched.goto(f"{url}/tiltak.html")
        button = watched.page.locator(".version-switcher__button").locator("visible=true").first
        assert "2026.2" in button.inner_text()
        button.click()
        entries = watched.page.locator(".version-switcher__menu a")
        assert [e.strip() for e in entries.all_inner_texts()] == ["2026.2 (gjeldende)", "2026.1"]
        entries.nth(1).click()
        watched.page.wait_for_url(f"{url}/versjoner/2026.1/**")
        watched.page.wait_for_load_state("networkidle")
        assert "2026.1" in watched.page.locator(".version-switcher__button").locator("visible=true").first.inner_text()
        assert watched.problems() == []
    finally:
        watched.close()
        server.shutdown()


@pytest.mark.slow
def test_a_new_tag_alone_updates_an_incremental_build(history: Path, tmp_path: Path) -> None:
    """Tagging a version changes no data file, yet the report must now compare with it."""
    from .test_report_story import _section, _text

    repo = tmp_path / "repo"
    shutil.copytree(history, repo)
    git(repo, "tag", "-d", f"plan/{SLUG}/2026.1")
    out = tmp_path / "incremental"
    assert build(out, repo / "_data", SLUG) == 0
    page = (out / "html" / "rapport.html").read_text(encoding="utf-8")
    assert "Håndboka har ingen tidligere versjon av planen lagret" in _text(_section(page, "rapport-endringer"))

    git(repo, "tag", f"plan/{SLUG}/2026.1", "HEAD~1")
    assert build(out, repo / "_data", SLUG) == 0
    page = (out / "html" / "rapport.html").read_text(encoding="utf-8")
    assert "Endringer fra 2026.1 til 2026.2" in _text(_section(page, "rapport-endringer"))
    clean = tmp_path / "clean"
    assert build(clean, repo / "_data", SLUG) == 0
    assert differences(out / "html", clean / "html") == []
