"""The Sphinx extension: ``extensions = ["forebygging.ext"]``."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .. import __version__
from .data import setup_data
from .directives import setup_directives
from .invalidation import setup_invalidation
from .reproducible import setup_reproducible
from .trace import setup_trace
from .versions import setup_versions


def setup(app: Sphinx) -> dict[str, Any]:
    setup_data(app)
    setup_directives(app)
    setup_trace(app)  # issue 3: sphinx-needs, duty pages, gaps, report
    setup_versions(app)  # issue 7: banners and the version switcher
    setup_reproducible(app)  # identical output for identical input
    setup_invalidation(app)  # issue 8: incremental builds identical to clean ones
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
