"""The widgets' HTML from Jinja2 templates with autoescaping, and their static files.

Templates live in ``widgets/templates/`` next to the JavaScript that drives them
(``widgets/static/``), so the markup and the script that expects it change together. Every
value is escaped by Jinja2 unless it is explicitly :class:`markupsafe.Markup`; the rule inputs
go into ``<script type="application/json">`` through ``tojson``, which escapes ``<``, ``>``,
``&`` and ``'`` so no value can close the element. Both are read through
:mod:`importlib.resources`, so they are found wherever the ``widgets`` package is installed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

PACKAGE = "widgets"
JS_FILE = "forebygging-widgets.js"
CSS_FILE = "forebygging-widgets.css"
GUARD_FILE = "forebygging-storage-guard.js"
STATIC_FILES = (JS_FILE, CSS_FILE, GUARD_FILE)


@functools.cache
def environment() -> Environment:
    """One autoescaping environment; an undefined name in a template is an error, never an empty string."""
    env = Environment(
        loader=PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Compact, readable JSON (the page carries it): no spaces, Norwegian letters as they are.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":"), "sort_keys": False}
    return env


def render(template: str, **context: Any) -> Markup:
    """``template`` from ``widgets/templates/`` filled with ``context``, as markup safe to embed."""
    return Markup(environment().get_template(template).render(**context).strip())


@contextmanager
def static_file(name: str) -> Iterator[Path]:
    """A real path to one of the widgets' static files (:data:`STATIC_FILES`)."""
    if name not in STATIC_FILES:
        raise KeyError(f"unknown widget static file {name!r}; known: {', '.join(STATIC_FILES)}")
    with as_file(files(PACKAGE).joinpath("static", name)) as path:
        yield path
