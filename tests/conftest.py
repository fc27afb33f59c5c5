"""Shared fixtures: a copy of the data to break, a real build of the default handbook, a browser."""

from __future__ import annotations

import functools
import http.server
import inspect
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forebygging.cli.main import main as cli_main

pytest_plugins = ["sphinx.testing.fixtures"]  # make_app and app, for directive tests on tiny projects

ROOT = Path(__file__).resolve().parents[1]


def make_env() -> dict[str, str]:
    """The environment for a ``make`` the tests start: without the variables of a ``make test`` around
    them, which would make it a sub-make (``make[1]: Entering directory …``) with the outer flags."""
    return {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEFILES"}}


DATA = ROOT / "_data"
DEFAULT = "sor-aurdal"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of ``_data/`` that a test may break."""
    target = tmp_path / "_data"
    shutil.copytree(DATA, target)
    return target


def build(out: Path, data: Path = DATA, kommune: str = DEFAULT, *extra: str) -> int:
    """Build through the same command ``make html`` runs."""
    return cli_main(["--data", str(data), "build", "--kommune", kommune, "--out", str(out), *extra])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default handbook, built once per test run with warnings as errors (and nitpicky)."""
    out = tmp_path_factory.mktemp("build")
    assert build(out, DATA, DEFAULT, "--nitpicky") == 0
    return out / "html"


@pytest.fixture(scope="session")
def plan_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """``plan_site(slug)``: that municipality's handbook, built once per test run (warnings as errors)."""
    sites: dict[str, Path] = {DEFAULT: built_site}

    def site(slug: str) -> Path:
        if slug not in sites:
            out = tmp_path_factory.mktemp(slug)
            assert build(out, DATA, slug) == 0, f"{slug} does not build with warnings as errors"
            sites[slug] = out / "html"
        return sites[slug]

    return site


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``directory`` from 127.0.0.1 on a free port; the caller shuts the server down."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served from 127.0.0.1 on a free port."""
    url, server = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


# --------------------------------------------------------------------------- slow: tests that build a handbook

# A call that runs a whole Sphinx build of the handbook: our build command (conftest's build(), the
# cli's build, report, site or all), the versioned site, or the gettext extraction of every page.
BUILD_CALL = re.compile(
    r"(?<![\w.])(?<!def )(?:build|build_site|extract|run_sphinx)\("
    r"|cli_main\(\[[^\]]*\"(?:build|report|site|all)\""
)


@functools.cache
def _builds(func: Any) -> bool:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    body = source.split(":", 1)[1] if source.lstrip().startswith(("def ", "async def ")) else source
    return bool(BUILD_CALL.search(body))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that builds a handbook itself or through any fixture it uses.

    ``make test-fast`` (``-m "not slow"``) then runs what needs no full build, without anyone having
    to remember the mark; a tiny ``sphinx.testing`` project is not a handbook build and stays fast.
    """
    slow = pytest.mark.slow
    for item in items:
        if item.get_closest_marker("slow") or not isinstance(item, pytest.Function):
            continue
        fixtures = item._fixtureinfo.name2fixturedefs
        funcs = [item.function] + [d.func for name in item.fixturenames for d in fixtures.get(name, ())]
        if any(_builds(func) for func in funcs):
            item.add_marker(slow)
