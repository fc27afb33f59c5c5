"""A small index page of the handbooks ``make all`` built: one entry per municipality's plan.

Plain HTML written with the standard library: it is one static list, and pulling Sphinx in
for it would mean a sixth project with its own configuration.
"""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path

from ..core import load
from ..ext.page_policy import apply_policy
from ..wording import lookup, period_text


def write_index(data_root: Path, slugs: list[str], out: Path) -> Path:
    """Write ``<out>/index.html`` linking ``<slug>/html/index.html`` for every slug; return its path."""
    items = []
    for slug in slugs:
        plan = load(data_root, slug).plan
        lang = plan.language.value
        status = lookup(lang, f"status.{plan.status.value}")
        places = ", ".join(plan.municipalities)
        period = period_text(plan.period.start, plan.period.end, functools.partial(lookup, lang))
        items.append(
            f'<li lang="{lang}"><a href="{escape(slug)}/html/index.html">{escape(plan.title)}</a>'
            f" – {escape(places)} ({period}, {escape(status)})</li>"
        )
    # The index spans plans in both written standards; its own words are bokmål.
    title = escape(lookup("nb", "index.title"))
    intro = escape(lookup("nb", "index.intro"))
    page = (
        '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
        f"<p>{intro}</p>\n<ul>\n" + "\n".join(items) + "\n</ul>\n</main>\n</body>\n</html>\n"
    )
    page = apply_policy(page, "index.html")  # the same referrer policy and CSP as the handbooks' pages
    target = out / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
