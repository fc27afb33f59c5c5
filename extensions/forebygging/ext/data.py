"""Load the plan data once per build, validate it before anything is written, track it as a dependency."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError

from ..core import DataValidationError, HandbookData, load
from ..wording import lookup

_CACHE: dict[tuple[str, str], tuple[tuple[str, ...], HandbookData]] = {}
_THIS_BUILD: dict[tuple[int, str, str], HandbookData] = {}
"""Data already checked in the current build (cleared when a build starts): the files do not
change while Sphinx runs, and checking their times on every call cost a third of a large build."""


def data_dir(config: Config) -> Path:
    return Path(config.forebygging_data_dir)


def get_data(config: Config) -> HandbookData:
    """The validated data for this build.

    Cached per process and keyed on the files' contents (not their times: a restored file
    can be older than the last build), so a worker of a
    parallel build, or a rebuild after an edit in ``sphinx-autobuild``, sees fresh data.
    """
    fast = (id(config), config.forebygging_data_dir, config.forebygging_municipality)
    if fast in _THIS_BUILD:
        return _THIS_BUILD[fast]
    root = data_dir(config).resolve()
    slug = config.forebygging_municipality
    key = (str(root), slug)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == _stamps(cached[1].files):
        _THIS_BUILD[fast] = cached[1]
        return cached[1]
    data = load(root, slug)
    _CACHE[key] = (_stamps(data.files), data)
    _THIS_BUILD[fast] = data
    return data


def file_hashes(paths: Iterable[Path]) -> dict[str, str]:
    """Path -> sha256 of its bytes ("" for a file that is gone)."""
    hashes: dict[str, str] = {}
    for path in paths:
        try:
            hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            hashes[str(path)] = ""
    return hashes


def _stamps(files: list[Path]) -> tuple[str, ...]:
    return tuple(file_hashes(files).values())


def remember(data: HandbookData, hashes_before_load: dict[str, str]) -> None:
    """Let a Sphinx build in this process use data the command line has just loaded and validated.

    Loading is a few seconds for thousands of measures, and ``forebygging build`` validates the
    data before it runs Sphinx. ``hashes_before_load`` (path -> sha256, taken before
    :func:`load` read the files): the data is kept only if every file it came from still has
    that hash, so it is what the files hold; otherwise the build loads them again.
    """
    before = tuple(hashes_before_load.get(str(path), "") for path in data.files)
    if "" not in before and _stamps(data.files) == before:
        _CACHE[(str(data.root), data.slug)] = (before, data)


def note_data_dependency(env: BuildEnvironment) -> None:
    """Record every data file as a dependency of the current page, so an edit rebuilds it."""
    for path in get_data(env.config).files:
        env.note_dependency(str(path))


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if not config.forebygging_data_dir:
        config.forebygging_data_dir = str(Path(app.confdir) / "_data")
    if not config.forebygging_municipality:
        config.forebygging_municipality = os.environ.get("KOMMUNE", "sor-aurdal")
    _THIS_BUILD.clear()  # a new build: check the files again
    try:
        data = get_data(config)
    except DataValidationError as exc:
        # ConfigError stops Sphinx before it reads or writes a single page.
        raise ConfigError(exc.report()) from None
    plan = data.plan
    names = ", ".join(plan.municipalities)
    config.language = plan.language.value
    config.project = lookup(config.language, "site.title", municipalities=names)
    config.html_title = config.project
    config.copyright = f"{plan.period.start or ''} {names}".strip()


def setup_data(app: Sphinx) -> None:
    app.add_config_value("forebygging_data_dir", "", "env", types=[str])
    app.add_config_value("forebygging_municipality", "", "env", types=[str])
    # Early, so our values (the plan's language too) are in place before other extensions read
    # them: sphinx-needs resolves its types at priority 12, our needs settings are set at 5.
    app.connect("config-inited", _on_config_inited, priority=4)
