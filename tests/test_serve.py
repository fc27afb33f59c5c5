"""``make serve``: sphinx-autobuild rebuilds into one folder in place, and :mod:`forebygging.ext.reuse`
leaves the pages an edit does not touch as they are.

``build`` writes every build into a new version folder and copies the unchanged pages over from
the published one; ``serve`` has no second folder: the previous site is the output folder, and
reuse only decides which pages Sphinx need not write again. Builds: the first serve build, the
same folder rebuilt after one measure's description was edited, and a clean serve build of the
edited data in another folder to compare it with.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.bench import edit_one_measure
from forebygging.cli.main import main as cli_main
from forebygging.ext.reuse import STATE

from .conftest import DATA, DEFAULT
from .trees import differences

EDIT = "Tilbudet er endret."
"""The sentence :func:`edit_one_measure` adds to the first measure's description."""


class _Exec(Exception):
    """Raised in place of ``os.execv``: the command line is all the test wants of ``cmd_serve``."""


@dataclass(frozen=True)
class Autobuild:
    """What ``cmd_serve`` would exec: sphinx-autobuild's command line and the environment it runs in."""

    argv: list[str]
    env: dict[str, str]

    @property
    def out(self) -> Path:
        return Path(self.argv[-1])

    def rebuild(self) -> None:
        """One rebuild as sphinx-autobuild runs it (``sphinx_autobuild.build.Builder``): its pre-build
        commands, then ``python -m sphinx build`` with the Sphinx arguments, each in a new process.

        Not the server itself: it needs a free port, a file watcher and a way to know when a
        rebuild is done, and serves nothing this test looks at. Its own parser splits the command
        line, so the arguments Sphinx gets are the ones ``make serve`` gives it; a fresh process
        per build, as there, so no cache of an earlier build in this process hides a stale page.
        """
        from sphinx_autobuild.__main__ import _parse_args

        args, sphinx_args = _parse_args(self.argv[1:])
        for command in args.pre_build:
            subprocess.run(shlex.split(command), check=True, env=self.env)
        done = subprocess.run(
            [sys.executable, "-m", "sphinx", "build", *sphinx_args], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def serve_command(data: Path, out: Path, slug: str = DEFAULT) -> Autobuild:
    """Run ``python -m forebygging serve`` up to its exec, and keep what it would have run."""
    captured: list[str] = []

    def execv(path: str, argv: list[str]) -> None:
        assert path == argv[0] and Path(path).name == "sphinx-autobuild"
        captured.extend(argv)
        raise _Exec

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "execv", execv)
        # cmd_serve sets these for the exec; the test process gets its own values back afterwards.
        patch.setenv("KOMMUNE", os.environ.get("KOMMUNE", ""))
        patch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        with pytest.raises(_Exec):
            cli_main(["--data", str(data), "serve", "--kommune", slug, "--out", str(out)])
        env = dict(os.environ)
    return Autobuild(captured, env)


def _page_times(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in site.rglob("*.html")}


@dataclass
class Served:
    site: Path
    state: Path
    first: dict[str, int]  # page -> modification time after the first build
    again: dict[str, int]  # after the rebuild in place
    differences: list[str]  # against a clean serve build of the edited data


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    root = tmp_path_factory.mktemp("serve")
    data = root / "_data"
    data.mkdir()
    for part in ("national", DEFAULT):
        shutil.copytree(DATA / part, data / part)
    live = serve_command(data, root / "live")
    live.rebuild()
    first = _page_times(live.out)

    assert EDIT not in (live.out / "tiltak.html").read_text(encoding="utf-8")
    edit_one_measure(data, DEFAULT)
    assert EDIT in (data / DEFAULT / "measures.yaml").read_text(encoding="utf-8")
    live.rebuild()
    again = _page_times(live.out)

    clean = serve_command(data, root / "clean")
    clean.rebuild()
    return Served(
        live.out,
        root / "live" / "doctrees" / "serve" / STATE,
        first,
        again,
        differences(live.out, clean.out, "the serve folder rebuilt in place", "a clean serve build"),
    )


@pytest.mark.slow
def test_a_rebuild_in_place_equals_a_clean_build(served: Served) -> None:
    assert served.differences == []


@pytest.mark.slow
def test_the_edit_is_served_and_the_pages_it_does_not_touch_are_not_written_again(served: Served) -> None:
    assert EDIT in (served.site / "tiltak.html").read_text(encoding="utf-8")
    assert len(served.first) > 40 and served.first.keys() == served.again.keys()
    written = {page for page, when in served.again.items() if served.first[page] != when}
    assert "tiltak.html" in written
    assert "tjenester.html" not in written
    assert not any(page.startswith("plikter/") for page in written)
    # As in a build into a new folder: the pages read again, the pages Sphinx makes (genindex,
    # search), the glossary (its index entries) and the trace pages whose writing read the text.
    assert len(written) <= 12, sorted(written)
    # The rebuild left its own state for the next one: the folder it wrote, which is this one.
    assert served.state.is_file()
    assert f'"output": "{served.site.resolve()}"' in served.state.read_text(encoding="utf-8")
