"""Law references stay right: lovdata URLs are well formed and name known acts and sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from forebygging.core import load
from forebygging.core.lawrefs import KnownLaws, check_files, check_url, urls_in_text

from .conftest import DATA, DEFAULT


@pytest.fixture(scope="module")
def known() -> KnownLaws:
    return KnownLaws.from_national(load(DATA, DEFAULT).national)


def test_every_duty_url_the_handbook_derives_is_accepted(known: KnownLaws) -> None:
    data = load(DATA, DEFAULT)
    urls = [data.duty_url(d) for d in data.national.duties]
    assert [u for u in urls if u is not None]
    for url in filter(None, urls):
        assert check_url(url, known) is None, url


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://lovdata.no/lov/2021-06-18-97/%C2%A715-1", None),
        ("https://lovdata.no/lov/2021-06-18-97", None),
        ("http://lovdata.no/lov/2021-06-18-97/%C2%A715-1", "not a lovdata URL of the form"),
        ("https://lovdata.no/dokument/NL/lov/2021-06-18-97", "not a lovdata URL of the form"),
        ("https://lovdata.no/lov/2021-06-18-97/§15-1", "not a lovdata URL of the form"),
        ("https://lovdata.no/lov/2021-06-18-98/%C2%A715-1", "no law in national/laws.yaml"),
        ("https://lovdata.no/lov/2021-06-18-97/%C2%A799-9", "is not a section"),
        ("https://lovdata.no/forskrift/2021-06-18-97", "is a lov, not a forskrift"),
    ],
)
def test_check_url(known: KnownLaws, url: str, problem: str | None) -> None:
    found = check_url(url, known)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_urls_are_found_in_text_with_their_line() -> None:
    text = 'a\n<a href="https://lovdata.no/lov/2021-06-18-97/%C2%A715-1">bvl</a> and https://www.lovdata.no/x.\n'
    assert list(urls_in_text(text)) == [
        (2, "https://lovdata.no/lov/2021-06-18-97/%C2%A715-1"),
        (2, "https://www.lovdata.no/x."),
    ]


def test_data_and_pages_have_only_known_law_references(known: KnownLaws) -> None:
    _, problems = check_files([DATA, DATA.parent / "handbook", DATA.parent / "widgets"], known)
    assert problems == [], "\n".join(map(str, problems))


def test_a_wrong_section_in_a_page_is_reported_with_file_and_line(known: KnownLaws, tmp_path: Path) -> None:
    page = tmp_path / "side.md"
    page.write_text("# Side\n\nSe [bvl § 99](https://lovdata.no/lov/2021-06-18-97/%C2%A799).\n", encoding="utf-8")
    count, problems = check_files([tmp_path], known)
    assert count == 1
    assert [(p.file, p.line) for p in problems] == [(page, 3)]
