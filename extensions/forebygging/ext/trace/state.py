"""The trace of the build being run: computed once per data and set of pages, shared by every directive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...core import HandbookData
from ...core.trace import Trace, compute

if TYPE_CHECKING:
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment


def get_data(config: Config) -> HandbookData:
    """:func:`forebygging.ext.data.get_data`, imported on first use (it needs Sphinx)."""
    from ..data import get_data as data_of_build

    return data_of_build(config)


_TRACES: dict[tuple[int, frozenset[str]], Trace] = {}


def get_trace(env: BuildEnvironment) -> Trace:
    """The trace of this build: computed once per data and set of pages."""
    data = get_data(env.config)
    docs = frozenset(env.found_docs)
    key = (id(data), docs)
    if key not in _TRACES:
        _TRACES.clear()
        _TRACES[key] = compute(data, set(docs))
    from ..reads import note_value

    note_value("trace", _TRACES[key])  # a page that uses the trace depends on all of it
    return _TRACES[key]
