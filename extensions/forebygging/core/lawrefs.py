"""Law references stay right: every lovdata URL in the data, the pages and the built site.

A lovdata URL must have the form ``https://lovdata.no/(lov|forskrift)/<id>[/%C2%A7<section>]``
and name an act (and section) the national data knows: a law's ``lovdata_id`` in
``laws.yaml`` with a ``section`` of one of its duties in ``duties.yaml``, or a repealed
act's section in ``section_map.yaml``. Sphinx-free; ``tests/test_lawrefs.py`` runs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .models import NationalData, SourceKind
from .reading import NATIONAL

URL_IN_TEXT = re.compile(r"""https?://(?:www\.)?lovdata\.no[^\s"'<>)\]]*""", re.IGNORECASE)
"""Anything that looks like a lovdata address, well formed or not."""

WELL_FORMED = re.compile(
    r"https://lovdata\.no/(?P<kind>lov|forskrift)/(?P<id>\d{4}-\d{2}-\d{2}(?:-\d{1,4})?)"
    r"(?:/%C2%A7(?P<section>\d+(?:-\d+)?[a-z]?))?"
)
"""The one form the handbook writes (``Law.url`` and ``Duty.url`` in models.py)."""

SCANNED_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".ipynb", ".py", ".js")


@dataclass(frozen=True)
class LawRefProblem:
    file: Path
    line: int
    url: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.url}: {self.message}"


@dataclass(frozen=True)
class KnownLaws:
    """What the national data says exists: lovdata id -> kind and sections."""

    kinds: dict[str, str]
    sections: dict[str, set[str]]

    @classmethod
    def from_national(cls, national: NationalData) -> KnownLaws:
        kinds: dict[str, str] = {}
        sections: dict[str, set[str]] = {}
        laws = {law.id: law for law in national.laws}
        for law in national.laws:
            if law.lovdata_id is not None:
                kinds[law.lovdata_id] = "forskrift" if law.kind is SourceKind.FORSKRIFT else "lov"
                sections.setdefault(law.lovdata_id, set())
        for duty in national.duties:
            law = laws.get(duty.law)
            if law is not None and law.lovdata_id is not None and duty.section is not None:
                sections[law.lovdata_id].add(_norm_section(duty.section))
        for entry in national.section_map:
            kinds.setdefault(entry.old_lovdata_id, "lov")
            sections.setdefault(entry.old_lovdata_id, set()).add(_norm_section(entry.old_section))
        return cls(kinds, sections)


def _norm_section(section: str) -> str:
    return section.replace(" ", "").lower()


def check_url(url: str, known: KnownLaws) -> str | None:
    """None if ``url`` is a well-formed lovdata URL of a known act and section, else the problem."""
    url = url.rstrip(".,;:")
    match = WELL_FORMED.fullmatch(url)
    if match is None:
        return "not a lovdata URL of the form https://lovdata.no/(lov|forskrift)/<id>[/%C2%A7<section>]"
    lovdata_id, kind, section = match["id"], match["kind"], match["section"]
    if lovdata_id not in known.kinds:
        return f"no law in {NATIONAL}/laws.yaml has lovdata_id {lovdata_id}"
    if known.kinds[lovdata_id] != kind:
        return f"{lovdata_id} is a {known.kinds[lovdata_id]}, not a {kind}"
    if section is not None:
        plain = _norm_section(unquote(section))
        if plain not in known.sections.get(lovdata_id, set()):
            return f"§ {plain} of {lovdata_id} is not a section in {NATIONAL}/duties.yaml or section_map.yaml"
    return None


def urls_in_text(text: str) -> Iterator[tuple[int, str]]:
    """(line, url) of every lovdata address in ``text``; HTML entities in attributes are undone."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in URL_IN_TEXT.finditer(line):
            yield number, match.group(0).replace("&amp;", "&")


def files_to_scan(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in SCANNED_SUFFIXES and "_static" not in path.parts:
                yield path


def check_files(roots: Iterable[Path], known: KnownLaws) -> tuple[int, list[LawRefProblem]]:
    """How many lovdata URLs were found under ``roots``, and every problem among them."""
    count = 0
    problems: list[LawRefProblem] = []
    for path in files_to_scan(roots):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for line, url in urls_in_text(text):
            count += 1
            problem = check_url(url, known)
            if problem is not None:
                problems.append(LawRefProblem(path, line, url, problem))
    return count, problems
