"""Keep the nynorsk catalogues of the handbook pages in step with the bokmål pages.

``python -m forebygging.cli.page_catalogues`` extracts every message of every page with Sphinx's
gettext builder (with the data of a nynorsk plan, and every optional page included whatever
that plan has), then updates ``handbook/_locale/nn/LC_MESSAGES/<page>.po``: new messages are
added with an empty translation, a changed bokmål sentence gets its old translation marked
fuzzy (to be checked), and messages the page no longer has are dropped. It prints what still
needs a translator. ``tests/test_page_translations.py`` uses the same extraction and fails on
anything left untranslated, fuzzy or stale.

Text our directives render from the plan data is never extracted: it is in the plan's
language already (see :mod:`forebygging.ext.page_i18n`).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..wording import stale
from .publishing import GENERATED_DIRS, sync_sources

PROJECT = Path(__file__).resolve().parents[3]
HANDBOOK = PROJECT / "handbook"
LOCALE = HANDBOOK / "_locale"
ENGINE_DOMAINS = frozenset({"sphinx", "booktheme"})  # Sphinx's and the theme's catalogues, not pages
GENERATED = tuple(f"{folder}/" for folder in sorted(GENERATED_DIRS))  # written from the data: never translated
NN_PLAN = "vest-telemark"
_DROPPED_HEADERS = ("POT-Creation-Date", "PO-Revision-Date", "Report-Msgid-Bugs-To", "Last-Translator", "Generated-By")


def extract(workdir: Path, data_dir: Path | None = None, plan: str = NN_PLAN) -> dict[str, list[str]]:
    """Page docname -> its messages in page order, from one run of the gettext builder."""
    from sphinx.cmd.build import build_main

    argv = ["-b", "gettext", "-c", str(PROJECT), "-d", str(workdir / "doctrees"), "-q", "-E"]
    argv += ["-D", f"forebygging_data_dir={data_dir or PROJECT / '_data'}", "-D", f"forebygging_municipality={plan}"]
    argv += ["-D", "suppress_warnings=needs.needflow"]  # the duty pages' flow charts are HTML-only; not our text
    # Read the optional pages too: each needs its translation, whichever plan has its data.
    argv += ["-D", "forebygging_every_page=1"]
    # A copy: the build writes its generated duty pages into the source folder it reads.
    sync_sources(HANDBOOK, workdir / "src")
    if build_main([*argv, str(workdir / "src"), str(workdir / "pot")]) != 0:
        raise RuntimeError("the gettext builder failed; see its output above")
    pages: dict[str, list[str]] = {}
    for pot in sorted((workdir / "pot").rglob("*.pot")):
        page = pot.relative_to(workdir / "pot").with_suffix("").as_posix()
        if not page.startswith(GENERATED):
            pages[page] = [m.id for m in read_catalogue(pot) if m.id]
    return pages


def read_catalogue(path: Path, lang: str = "nn") -> Catalog:
    with path.open(encoding="utf-8") as file:
        return read_po(file, locale=lang)


def catalogue_path(page: str, lang: str = "nn", locale_dir: Path = LOCALE) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{page}.po"


def format_catalogue(catalogue: Catalog) -> str:
    """The .po text, with no source locations or dates, so it only changes when a message does."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=100, no_location=True, omit_header=False, ignore_obsolete=True)
    lines = buffer.getvalue().decode("utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(tuple(f'"{h}' for h in _DROPPED_HEADERS))]
    project = '"Project-Id-Version: Forebyggingshåndboka\\n"'
    return re.sub(r'^"Project-Id-Version: .*"$', lambda _: project, "".join(kept), flags=re.M)


def update(pages: dict[str, list[str]], lang: str = "nn", locale_dir: Path = LOCALE) -> list[str]:
    """Bring every page's catalogue in line with its messages; returns what needs a translator."""
    todo: list[str] = []
    for page, messages in pages.items():
        path = catalogue_path(page, lang, locale_dir)
        if not messages and not path.exists():
            continue
        template = Catalog(locale=lang, project="Forebyggingshåndboka")
        for msgid in messages:
            template.add(msgid)
        if path.exists():
            catalogue = read_catalogue(path, lang)
        else:
            catalogue = Catalog(locale=lang, project="Forebyggingshåndboka", language_team=f"{lang} <LL@li.org>")
            catalogue.header_comment = (
                f"# Nynorsk translation of handbook/{page}.md.\n"
                "# The bokmål page is the source; update this file when a msgid changes."
            )
        catalogue.update(template)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(format_catalogue(catalogue), encoding="utf-8")
        for message in catalogue:
            if message.id and (not message.string or message.fuzzy):
                todo.append(f"{page}: {'fuzzy' if message.fuzzy else 'untranslated'}: {message.id}")
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", default=NN_PLAN, help="a plan whose data the pages are read with")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pages = extract(Path(tmp), plan=args.plan)
    todo = update(pages)
    print("\n".join(todo) if todo else "Every page message has a translation.")
    # The engine's own strings: a bokmål text changed after its nynorsk was written.
    outdated = stale()
    for entry in outdated:
        print(f"wording/texts.yaml: {entry.key}: the bokmål changed after the nynorsk was written; check")
        print(f"    nn: {entry.nn}\n    against nb: {entry.nb}\n    then set nn_from: {entry.current}")
    return 1 if todo or outdated else 0


if __name__ == "__main__":
    sys.exit(main())
