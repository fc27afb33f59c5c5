"""Shared fixtures: a copy of the data to break, a real build of the default handbook, a browser."""

from __future__ import annotations

import functools
import http.server
import inspect
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

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
    status = cli_main(["--data", str(data), "build", "--kommune", kommune, "--out", str(out), *extra])
    if status == 0:
        BUILT_HERE.append(kommune)
    return status


BUILT_HERE: list[str] = []
"""The plans this test process built itself with :func:`build`, in order (a shared build made by
another pytest-xdist worker is not among them): for tests of what one build leaves to the next."""


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest process of the run sees.

    Without pytest-xdist that is the run's base temporary folder; with it, the folder above each
    worker's own (``…/pytest-N/popen-gw0``), made afresh by the controller for each run.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "shared"
    folder.mkdir(exist_ok=True)
    return folder


def shared_build(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """``make(folder)`` once per test run, whatever the number of xdist workers; then that folder.

    Callers in other processes wait on a file lock while one makes it. A ``make`` that fails
    leaves no mark, so the next caller tries again (and fails the same way, in its own test).
    Callers only read the folder: a test that changes files works on a copy of its own.
    """
    root = shared_dir(tmp_path_factory)
    folder, done = root / name, root / f"{name}.done"
    with FileLock(root / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default handbook, built once per test run with warnings as errors (and nitpicky)."""

    def make(out: Path) -> None:
        assert build(out, DATA, DEFAULT, "--nitpicky") == 0

    return shared_build(tmp_path_factory, f"build-{DEFAULT}", make) / "html"


@pytest.fixture(scope="session")
def plan_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``plan_site(slug)``: that municipality's handbook, built once per test run (warnings as errors).

    The default plan is ``built_site`` (nitpicky too); a plan is built when first asked for, so one
    xdist worker can build it while another builds a different one.
    """
    sites: dict[str, Path] = {}

    def site(slug: str) -> Path:
        def make(out: Path) -> None:
            extra = ["--nitpicky"] if slug == DEFAULT else []
            assert build(out, DATA, slug, *extra) == 0, f"{slug} does not build with warnings as errors"

        if slug not in sites:
            sites[slug] = shared_build(tmp_path_factory, f"build-{slug}", make) / "html"
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
