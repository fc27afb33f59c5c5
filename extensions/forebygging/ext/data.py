"""Load the plan data once per build, validate it before anything is written, track it as a dependency."""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError

from ..core import DataValidationError, HandbookData, load

_CACHE: dict[tuple[str, str], tuple[tuple[float, ...], HandbookData]] = {}


def data_dir(config: Config) -> Path:
    return Path(config.forebygging_data_dir)


def get_data(config: Config) -> HandbookData:
    """The validated data for this build.

    Cached per process and keyed on the files' modification times, so a worker of a
    parallel build, or a rebuild after an edit in ``sphinx-autobuild``, sees fresh data.
    """
    root = data_dir(config).resolve()
    slug = config.forebygging_municipality
    key = (str(root), slug)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == _stamps(cached[1].files):
        return cached[1]
    data = load(root, slug)
    _CACHE[key] = (_stamps(data.files), data)
    return data


def _stamps(files: list[Path]) -> tuple[float, ...]:
    return tuple(p.stat().st_mtime_ns if p.exists() else -1 for p in files)


def note_data_dependency(env: BuildEnvironment) -> None:
    """Record every data file as a dependency of the current page, so an edit rebuilds it."""
    for path in get_data(env.config).files:
        env.note_dependency(str(path))


def _on_config_inited(app: Sphinx, config: Config) -> None:
    if not config.forebygging_data_dir:
        config.forebygging_data_dir = str(Path(app.confdir) / "_data")
    if not config.forebygging_municipality:
        config.forebygging_municipality = os.environ.get("KOMMUNE", "sor-aurdal")
    try:
        data = get_data(config)
    except DataValidationError as exc:
        # ConfigError stops Sphinx before it reads or writes a single page.
        raise ConfigError(exc.report()) from None
    plan = data.plan
    names = ", ".join(plan.municipalities)
    config.project = f"Forebyggingshåndboka – {names}"
    config.html_title = f"Forebyggingshåndboka – {names}"
    config.language = plan.language.value
    config.copyright = f"{plan.period.start or ''} {names}".strip()


def setup_data(app: Sphinx) -> None:
    app.add_config_value("forebygging_data_dir", "", "env", types=[str])
    app.add_config_value("forebygging_municipality", "", "env", types=[str])
    # Priority below the default so our values are in place before other extensions read them.
    app.connect("config-inited", _on_config_inited, priority=100)
