"""The council report tells its story in order: summary, findings, then changes and reviews, then the tables.

Checked on the built page and in the PDF's bookmarks (WeasyPrint makes one per heading, in the
order of the headings, which is also the order of the structure tree) for every plan, for the
fixture municipality ``mangelby`` (three measures due for review) and, in tests/test_versions.py,
for a plan with two tagged versions. The review list holds exactly what ``due_for_review`` gives.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from forebygging.core import load
from forebygging.core.trace import Gap, GapKind, compute, due_for_review, handbook_docs
from forebygging.outputs.report import pdf_name
from forebygging.wording import lookup
from forebygging.wording.trace import gap_line

from .conftest import DATA, ROOT, build

pytestmark = pytest.mark.slow

PLANS = ["sor-aurdal", "hemsedal", "midtdalen", "vest-telemark", "bamble"]
FIXTURE = ROOT / "tests" / "fixtures" / "mangelby"
STORY = ["rapport-sammendrag", "rapport-figures", "rapport-gaps", "rapport-endringer", "rapport-duties"]
"""Section ids of the report page, in reading order; the tables (duties, factors, levels) come last."""


def _text(markup: str) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())
    return re.sub(r"«\s+", "«", re.sub(r"\s+»", "»", text))  # a link inside «»


def _section(page: str, section_id: str) -> str:
    """The markup of the section with ``section_id``, up to its end (sections nest, so count them)."""
    start = page.index(f'id="{section_id}"')
    start = page.rindex("<section", 0, start)
    depth, pos = 0, start
    for tag in re.finditer(r"<(/?)section\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            pos = start + tag.end()
            break
    return page[start:pos]


def outline(reader) -> list[tuple[int, str]]:
    """The PDF's bookmarks as (depth, title), in document order."""
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title))

    walk(reader.outline, 0)
    return found


def check_story_order(site: Path, slug: str, lang: str, changes: list[str]) -> None:
    """Page and PDF: the changes and reviews section right after the findings, before the tables.

    ``changes``: the titles of its subsections, as the PDF's bookmarks show them.
    """
    pypdf = pytest.importorskip("pypdf")
    page = (site / "rapport.html").read_text(encoding="utf-8")
    positions = [page.index(f'id="{x}"') for x in STORY]
    assert positions == sorted(positions)
    assert page.count('id="rapport-endringer"') == 1  # not again as an appendix
    assert page.index('id="rapport-til-vurdering"') < page.index('id="rapport-duties"')

    marks = outline(pypdf.PdfReader(site / pdf_name(slug)))
    top = [title for depth, title in marks if depth == 1]
    title = lookup(lang, "report.section.changes")
    findings = lookup(lang, "report.section.gaps")
    assert top[:3] == [lookup(lang, "summary.title"), lookup(lang, "report.section.figures"), findings]
    assert top[3] == title and top.count(title) == 1
    assert top[4] == lookup(lang, "report.section.duties")
    after = marks[marks.index((1, title)) + 1 :]
    end = next((i for i, (depth, _) in enumerate(after) if depth <= 1), len(after))
    nested = [t for _, t in after[:end]]
    review = lookup(lang, "report.review.title")
    assert nested[0] == changes[0] and nested[-1] == review  # what changed, then what to review
    for sub in changes:
        assert sub in nested, (sub, nested)


def review_lines(page: str) -> list[str]:
    """The lines of the report's list of measures due for review (empty when it has none)."""
    section = _section(page, "rapport-til-vurdering")
    items = re.search(r'<ul class="[^"]*report-review[^"]*">(.*?)</ul>', section, re.S)
    return [_text(li) for li in re.findall(r"<li>(.*?)</li>", items.group(1), re.S)] if items else []


@pytest.mark.parametrize("slug", PLANS)
def test_changes_and_reviews_follow_the_findings_in_every_plan(plan_site, slug: str) -> None:
    data = load(DATA, slug)
    lang = data.plan.language.value
    site = plan_site(slug)
    # No plan in _data/ has an earlier tagged version in this repository's tests: the report says so plainly.
    check_story_order(site, slug, lang, [lookup(lang, "report.changes.since")])
    page = (site / "rapport.html").read_text(encoding="utf-8")
    changes = _text(_section(page, "rapport-endringer"))
    assert lookup(lang, "report.changes.none", version=data.plan.version) in changes
    assert review_lines(page) == [
        gap_line(data, compute(data, handbook_docs(ROOT / "handbook")), Gap(GapKind.MEASURE_DUE_FOR_REVIEW, m.id), lang)
        for m in due_for_review(data)
    ]
    if not due_for_review(data):  # none of the five plans gives a version or adoption date
        assert lookup(lang, "report.review.no_date") in changes


@pytest.fixture(scope="module")
def mangelby(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data directory, built site): the fixture municipality's handbook and its report PDF, built once."""
    data = tmp_path_factory.mktemp("mangelby-data")
    shutil.copytree(DATA / "national", data / "national")
    shutil.copytree(FIXTURE, data / "mangelby")
    out = tmp_path_factory.mktemp("mangelby-build")
    assert build(out, data, "mangelby") == 0
    return data, out / "html"


def test_mangelby_report_lists_exactly_the_measures_due_for_review(mangelby: tuple[Path, Path]) -> None:
    data_dir, site = mangelby
    data = load(data_dir, "mangelby")
    trace = compute(data, handbook_docs(ROOT / "handbook"))
    check_story_order(site, "mangelby", "nb", [lookup("nb", "report.changes.since")])
    page = (site / "rapport.html").read_text(encoding="utf-8")
    due = due_for_review(data)
    assert [m.id for m in due] == ["ansvarsgruppe", "innsatsteam-informasjon", "apen-hall"]  # not the one reviewed
    expected = [gap_line(data, trace, Gap(GapKind.MEASURE_DUE_FOR_REVIEW, m.id), "nb") for m in due]
    assert review_lines(page) == expected
    # Each measure is linked to its card in the catalogue.
    section = _section(page, "rapport-til-vurdering")
    for measure in due:
        assert f"#tiltak-{measure.id}" in section
    # The findings count them and point to the section instead of listing them a second time.
    text = _text(page)
    for line in expected:
        assert text.count(line) == 1, line
    findings = _text(_section(page, "rapport-gaps"))
    assert lookup("nb", "report.review.pointer", n=3, section=lookup("nb", "report.review.title")) in findings
    intro = lookup("nb", "report.review.intro", n=3, total=4, months=12, date="01.06.2026")
    assert intro in _text(_section(page, "rapport-til-vurdering"))
