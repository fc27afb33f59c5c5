"""The Sphinx extension: ``extensions = ["forebygging.ext"]``."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from .data import setup_data
from .directives import setup_directives


def setup(app: Sphinx) -> dict[str, Any]:
    setup_data(app)
    setup_directives(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
