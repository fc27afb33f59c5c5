"""``python -m forebygging new``: start a municipality's plan with the smallest valid data.

The files come from ``wording/new_plan/<lang>/``: every required file, each field commented in
the plan's language. The values are honest placeholders (empty lists, «Ikke fylt ut ennå»), never
invented content, so the first build's gap page tells the owner what to fill in next.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from importlib.resources import files
from pathlib import Path

from ..core import DataValidationError, load
from ..core.reading import NATIONAL

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGES = ("nb", "nn")


class NewPlanError(ValueError):
    """A request ``new`` refuses: the reason is printed as it stands."""


def templates(lang: str) -> dict[str, str]:
    """The plan's files as text with ``$navn`` and ``$year`` blanks, in the plan's language."""
    folder = files("forebygging.wording") / "new_plan" / lang
    return {entry.name: entry.read_text(encoding="utf-8") for entry in sorted(folder.iterdir(), key=lambda e: e.name)}


def create(data_root: Path, slug: str, name: str, lang: str = "nb", *, year: int | None = None) -> Path:
    """Write ``<data_root>/<slug>/`` and check it loads; refuse a bad slug or an existing plan."""
    if not SLUG.match(slug) or slug == NATIONAL:
        raise NewPlanError(f"invalid KOMMUNE {slug!r}: use lower-case letters, digits and '-' (e.g. 'nord-fron')")
    if lang not in LANGUAGES:
        raise NewPlanError(f"invalid SPRAAK {lang!r}: use nb or nn")
    name = " ".join(name.split())
    if not name or any(c in name for c in "\"'\\:#{}[]$"):
        raise NewPlanError(f'invalid NAVN {name!r}: give the municipality\'s name, e.g. NAVN="Nord-Fron"')
    target = Path(data_root) / slug
    if target.exists():
        raise NewPlanError(f"{target} exists already: a new plan never overwrites one")
    # A name alone on a line is quoted (JSON is YAML): «Null» or «1814» stays the text it is.
    values = {"navn_yaml": json.dumps(name, ensure_ascii=False), "navn": name, "year": year or dt.date.today().year}
    target.mkdir(parents=True)
    for file_name, text in templates(lang).items():
        for blank, value in values.items():
            text = text.replace(f"${blank}", str(value))
        (target / file_name).write_text(text, encoding="utf-8")
    try:
        load(data_root, slug)
    except DataValidationError:
        # A scaffold that does not load is our bug; leave nothing half-made behind.
        for path in target.iterdir():
            path.unlink()
        target.rmdir()
        raise
    return target


def cmd_new(args: argparse.Namespace) -> int:
    try:
        target = create(args.data, args.kommune, args.navn, args.spraak)
    except NewPlanError as exc:
        print(f"make new: {exc}", file=sys.stderr)
        return 2
    except DataValidationError as exc:  # removed again by create(); a bug in the templates, not the user's
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"Created {target}: {', '.join(sorted(p.name for p in target.iterdir()))}")
    print(f"Next: make html KOMMUNE={args.kommune}  (the gap page, «Mangler», lists what to fill in)")
    return 0
