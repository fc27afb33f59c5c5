"""Faults and hostile input around building and publishing (issue 12, items 1, 2, 3 and 6).

Each case asserts the exact outcome: the exit status, the message, that nothing outside the
build folder changed, and that the published site is the old one or a complete new one.
Builds go into temporary folders (``--out``, ``--handbook``, a copy of ``_data/``), never
into the checkout.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from forebygging.cli import publishing
from forebygging.cli.main import main as cli_main
from forebygging.cli.publishing import VERSIONS, publish, sync_sources

from .conftest import DATA, DEFAULT, ROOT, build, make_env

SLUGS = "bamble, hemsedal, midtdalen, sor-aurdal, vest-telemark"
NOT_A_SLUG = (
    "is not a municipality slug (lowercase letters a-z, digits and '-', starting with a letter or digit); "
    f"valid slugs: {SLUGS}"
)
HOSTILE = ["x; touch pwned", "../sor-aurdal", "/tmp", "sor aurdal", "", " ", "sor-aurdal/..", "Sor-aurdal", "-x"]
SKIP = {"_build", ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _tree(root: Path, skip: set[str] = SKIP) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` (but the skipped folders) -> (size, mtime): what a test must not change."""
    found: dict[str, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            path = Path(folder, name)
            stat = path.lstat()
            found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


def _contents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def checkout_untouched() -> Iterator[None]:
    """Fail when the test changed any file of the checkout outside ``_build/``."""
    before = _tree(ROOT)
    yield
    assert _tree(ROOT) == before


# --------------------------------------------------------------------------- KOMMUNE is a slug (CLI)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("command", ["check", "build", "report", "site", "serve"])
def test_cli_refuses_a_bad_slug_before_touching_anything(
    value: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], checkout_untouched: None
) -> None:
    out = tmp_path / "out"
    argv = ["--data", str(DATA), command, f"--kommune={value}"] + ([] if command == "check" else ["--out", str(out)])
    assert cli_main(argv) == 2
    assert capsys.readouterr().err == f"error: KOMMUNE {value!r} {NOT_A_SLUG}\n"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_slug_without_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for value in ("oslo", "national"):
        assert cli_main(["--data", str(DATA), "build", "--kommune", value, "--out", str(tmp_path / "o")]) == 2
        assert (
            capsys.readouterr().err
            == f"error: KOMMUNE {value!r}: no such municipality in {DATA}; valid slugs: {SLUGS}\n"
        )
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_an_empty_kommune_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KOMMUNE", "")
    assert cli_main(["--data", str(DATA), "check"]) == 2
    assert capsys.readouterr().err == f"error: KOMMUNE '' {NOT_A_SLUG}\n"


# --------------------------------------------------------------------------- KOMMUNE is a slug (Makefile)


@pytest.fixture(scope="module")
def make_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Makefile, its script, the lock files, ``pyproject.toml`` and ``_data/`` in a folder of their own.

    make runs there, never in the checkout.
    """
    root = tmp_path_factory.mktemp("make")
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    shutil.copytree(ROOT / "scripts", root / "scripts")
    shutil.copytree(ROOT / "requirements", root / "requirements")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(DATA, root / "_data")
    return root


@pytest.mark.parametrize("value", [*HOSTILE[:4], "$(shell touch pwned)", "x' ; touch pwned; '", "%", "oslo"])
@pytest.mark.parametrize("target", ["html", "all", "check", "report", "site", "serve", "test", "clean", "help"])
def test_makefile_refuses_a_bad_slug_and_runs_nothing(make_copy: Path, value: str, target: str) -> None:
    before = _tree(make_copy, set())
    done = subprocess.run(
        ["make", target, f"KOMMUNE={value}"], capture_output=True, text=True, cwd=make_copy, env=make_env()
    )
    assert done.returncode == 2
    assert done.stdout == ""
    valid = "valid slugs: bamble hemsedal midtdalen sor-aurdal vest-telemark"
    if value == "oslo":
        expected = f"*** KOMMUNE 'oslo': no such municipality in _data/; {valid}.  Stop.\n"
    else:
        expected = (
            f"*** KOMMUNE '{value}' is not a municipality slug (lowercase letters a-z, digits and '-', "
            f"starting with a letter or digit); {valid}.  Stop.\n"
        )
    assert re.fullmatch(r"Makefile:\d+: ", done.stderr.removesuffix(expected)), done.stderr
    assert _tree(make_copy, set()) == before  # in particular, no file named pwned
    assert not (ROOT / "pwned").exists()


def test_makefile_quotes_the_slug_it_passes_on(make_copy: Path) -> None:
    done = subprocess.run(
        ["make", "-n", "check", "KOMMUNE=vest-telemark"], capture_output=True, text=True, cwd=make_copy, env=make_env()
    )
    assert done.returncode == 0
    assert "-m forebygging check --kommune 'vest-telemark'" in done.stdout


# --------------------------------------------------------------------------- system packages


def _deps(
    where: Path, *args: str, tools: dict[str, str] | None = None, user: bool = False
) -> subprocess.CompletedProcess[str]:
    """scripts/system-deps.sh with nothing installed: PATH holds only ``tools`` (name -> bash script).

    With ``user`` it runs as ``nobody`` (no root, and no sudo on PATH); ``where`` must then be
    a folder that user can read.
    """
    bin_dir = where / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (tools or {}).items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    empty_root = where / "root"
    empty_root.mkdir(exist_ok=True)
    env = {"PATH": str(bin_dir), "SYSTEM_DEPS_ROOT": str(empty_root)}
    script = ROOT / "scripts" / "system-deps.sh"
    if user:  # the checkout may sit in a folder only root can enter (mktemp -d): run a copy
        script = Path(shutil.copy2(script, where / script.name))
        script.chmod(0o644)
    argv = ["/bin/bash", str(script), *args]
    if user:
        argv = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=where)


@pytest.fixture
def readable_dir() -> Iterator[Path]:
    """A folder any user can read (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="system-deps-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


PACKAGES = "graphviz fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0"


def test_system_deps_name_the_missing_packages_without_apt(tmp_path: Path) -> None:
    done = _deps(tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"Missing system packages: {PACKAGES}\n"
        "Cannot install them here (no apt-get). On Debian or Ubuntu, as root, run:\n"
        f"  apt-get update && apt-get install --no-install-recommends {PACKAGES}\n"
    )


def test_system_deps_for_tests_include_chromium(tmp_path: Path) -> None:
    done = _deps(tmp_path, "--browser")
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"Missing system packages: chromium {PACKAGES}"


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root to drop it")
def test_system_deps_without_root_or_sudo(readable_dir: Path) -> None:
    calls = readable_dir / "calls"
    done = _deps(readable_dir, tools={"apt-get": f'echo "$@" >> {calls}'}, user=True)
    assert done.returncode == 1
    assert done.stderr == (
        f"Missing system packages: {PACKAGES}\n"
        "Cannot install them here (not root, and no sudo). As root, run:\n"
        f"  apt-get update && apt-get install --no-install-recommends {PACKAGES}\n"
    )
    assert not calls.exists()  # never tried


@pytest.mark.skipif(os.geteuid() != 0, reason="installs as root")
def test_system_deps_install_what_is_missing_as_root(tmp_path: Path) -> None:
    """As root, apt-get installs exactly the missing packages; the check then passes."""
    calls = tmp_path / "calls"
    root = tmp_path / "root"
    fake_install = (
        f'echo "$@" >> {calls}\n'
        f'if [[ "$*" == *install* ]]; then printf "#!/bin/bash\\n" > {tmp_path}/bin/dot\n'
        f"  /bin/chmod +x {tmp_path}/bin/dot\n"
        f"  /bin/mkdir -p {root}/usr/share/fonts/truetype/dejavu {root}/usr/lib/x86_64-linux-gnu\n"
        f"  /bin/touch {root}/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n"
        f"  /bin/touch {root}/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0\n"
        f"  /bin/touch {root}/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0; fi"
    )
    done = _deps(tmp_path, tools={"apt-get": fake_install, "env": 'shift; exec "$@"'})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"Installing missing system packages: {PACKAGES}"
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "update -qq",
        f"install -y -qq --no-install-recommends {PACKAGES}",
    ]


@pytest.mark.parametrize("target", ["html", "all", "report", "site", "serve", "test", "bench"])
def test_every_building_target_stops_on_missing_packages(make_copy: Path, tmp_path: Path, target: str) -> None:
    """Before anything is created (no .venv): the message of the check, and make's non-zero status."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {"PATH": str(empty), "SYSTEM_DEPS_ROOT": str(empty)}
    done = subprocess.run(
        ["/usr/bin/make", "-C", str(make_copy), target], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 2
    chromium = "chromium " if target in ("test", "bench") else ""
    assert done.stderr.startswith(f"Missing system packages: {chromium}{PACKAGES}\n")
    assert not (make_copy / ".venv").exists()


# --------------------------------------------------------------------------- publishing (no Sphinx)


def _site(root: Path, marker: str) -> Path:
    (root / "_static").mkdir(parents=True)
    for name in ("index.html", "tiltak.html", "_static/app.js"):
        (root / name).write_text(f"{marker}: {name}\n", encoding="utf-8")
    return root


def _inject_crash_at(monkeypatch: pytest.MonkeyPatch, step: int) -> Callable[[], int]:
    """Make the ``step``-th file system change of publish() die as a kill would; returns the count."""
    count = [0]

    class Killed(BaseException):
        pass

    def wrap(name: str) -> None:
        real = getattr(os, name)

        def counted(*args: object, **kwargs: object) -> object:
            count[0] += 1
            if count[0] == step:
                raise Killed(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)

    for name in ("replace", "rename", "symlink", "unlink", "rmdir", "mkdir"):
        wrap(name)
    return lambda: count[0]


@pytest.mark.parametrize("legacy", [False, True], ids=["symlink", "folder-before-versions"])
def test_publish_killed_at_every_step_leaves_the_old_or_the_new_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, legacy: bool
) -> None:
    step = 1
    while True:
        out = tmp_path / f"step-{step}"
        html = out / "html"
        if legacy:
            _site(html, "old")  # a published folder from before versioned publishing
        else:
            publish(_site(out / VERSIONS / "html-1", "old"), html)
        old = _contents(html)
        new_version = _site(out / VERSIONS / "html-2", "new")
        new = _contents(new_version)
        with monkeypatch.context() as patch:
            steps = _inject_crash_at(patch, step)
            try:
                publish(new_version, html)
                finished = True
            except BaseException as killed:  # the simulated kill
                assert type(killed).__name__ == "Killed"
                finished = False
        seen = _contents(html) if html.exists() else None
        if legacy and seen is None:
            # The one-time move of the old folder into versions/: the only gap, and only once.
            assert (out / VERSIONS).is_dir()
        else:
            assert seen in (old, new), f"killed at step {step}"
        # The next build publishes cleanly whatever was left behind.
        publish(_site(out / VERSIONS / "html-3", "next"), html)
        assert _contents(html) == _contents(out / VERSIONS / "html-3")
        assert html.is_symlink() and not os.path.isabs(os.readlink(html))
        assert sorted(p.name for p in out.iterdir()) == ["html", VERSIONS]
        assert len(list((out / VERSIONS).iterdir())) <= 2  # the published one and the one before
        if finished:
            assert steps() >= 2
            break
        step += 1


def test_publish_keeps_one_previous_version_and_drops_the_rest(tmp_path: Path) -> None:
    html = tmp_path / "html"
    for n in range(1, 5):
        publish(_site(tmp_path / VERSIONS / f"html-{n}", str(n)), html)
    _site(tmp_path / VERSIONS / "html-0-killed", "killed")  # a killed build's leftovers
    publish(_site(tmp_path / VERSIONS / "html-5", "5"), html)
    assert sorted(p.name for p in (tmp_path / VERSIONS).iterdir()) == ["html-4", "html-5"]
    assert (html / "index.html").read_text(encoding="utf-8") == "5: index.html\n"


def test_sync_keeps_mtimes_and_generated_files_and_drops_removed_pages(tmp_path: Path) -> None:
    source, copy = tmp_path / "handbook", tmp_path / "src"
    (source / "_locale/nn/LC_MESSAGES").mkdir(parents=True)
    (source / "a.md").write_text("# A\n", encoding="utf-8")
    (source / "b.md").write_text("# B\n", encoding="utf-8")
    (source / "_locale/nn/LC_MESSAGES/a.po").write_text('msgid ""\n', encoding="utf-8")
    (source / "plikter").mkdir()  # a leftover of a build made in place: never a source
    (source / "plikter/old.md").write_text("stale\n", encoding="utf-8")
    os.utime(source / "a.md", ns=(1_000_000_000, 1_000_000_000))
    sync_sources(source, copy)
    assert (copy / "a.md").stat().st_mtime_ns == 1_000_000_000
    assert not (copy / "plikter").exists()
    # What the build generates in its copy.
    (copy / "plikter").mkdir()
    (copy / "plikter/index.md").write_text("stub\n", encoding="utf-8")
    (copy / "_locale/nn/LC_MESSAGES/a.mo").write_bytes(b"mo")
    (copy / "_locale/nn/LC_MESSAGES/gone.mo").write_bytes(b"mo")
    (source / "b.md").unlink()
    (source / "c.md").write_text("# C\n", encoding="utf-8")
    sync_sources(source, copy)
    assert sorted(str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file()) == [
        ".forebygging-source-copy",
        "_locale/nn/LC_MESSAGES/a.mo",
        "_locale/nn/LC_MESSAGES/a.po",
        "a.md",
        "c.md",
        "plikter/index.md",
    ]
    assert publishing.generated(Path("_locale/nn/LC_MESSAGES/sphinx.js"))


def test_sync_makes_a_restored_older_page_newer_than_the_last_build(tmp_path: Path) -> None:
    """Content decides: a page put back from a backup, with an old mtime, is still read again."""
    source, copy = tmp_path / "handbook", tmp_path / "src"
    source.mkdir()
    page = source / "a.md"
    page.write_text("# A\n", encoding="utf-8")
    sync_sources(source, copy)
    built_at = time.time_ns()
    page.write_text("# A, older text\n", encoding="utf-8")
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    sync_sources(source, copy)
    assert (copy / "a.md").read_text(encoding="utf-8") == "# A, older text\n"
    assert (copy / "a.md").stat().st_mtime_ns >= built_at
    sync_sources(source, copy)  # nothing changed: the copy is left alone
    assert (copy / "a.md").stat().st_mtime_ns >= built_at


def test_sync_never_empties_a_folder_it_did_not_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--out ~`` by mistake: the build's source copy would be ~/src/html; someone's files there stay."""
    (tmp_path / "out" / "src" / "html").mkdir(parents=True)
    precious = tmp_path / "out" / "src" / "html" / "thesis.md"
    precious.write_text("mine\n", encoding="utf-8")
    argv = ["--data", str(DATA), "build", "--kommune", DEFAULT, "--out", str(tmp_path / "out")]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        f"error: {precious.parent} has files and is not a copy of the pages made by a build; nothing was changed\n"
    )
    assert precious.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in precious.parent.iterdir()) == ["thesis.md"]


def test_builds_of_one_folder_wait_for_each_other(tmp_path: Path) -> None:
    order: list[str] = []

    def second() -> None:
        with publishing.build_lock(tmp_path):
            order.append("second")

    with publishing.build_lock(tmp_path):
        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # blocked while the first build holds the folder
        order.append("first")
    waiting.join(10)
    assert order == ["first", "second"]


def test_interrupted_build_is_remembered_until_one_returns(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), publishing.interrupted_guard(tmp_path, "html") as before:
        assert before is False
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing doctrees
    assert (tmp_path / ".building-html").exists()
    with publishing.interrupted_guard(tmp_path, "html") as before:
        assert before is True  # so this build starts from a fresh environment
    assert not (tmp_path / ".building-html").exists()
    with publishing.interrupted_guard(tmp_path, "html") as before:
        assert before is False


def test_all_builds_plans_in_parallel_processes_and_reports_each_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two broken plans fail in their own processes; each one's report is printed whole, and nothing is built."""
    data = tmp_path / "_data"
    for part in ("national", "hemsedal", "sor-aurdal"):
        shutil.copytree(DATA / part, data / part)
    for slug in ("hemsedal", "sor-aurdal"):
        services = data / slug / "services.yaml"
        services.write_text(services.read_text(encoding="utf-8").replace("kind: ", "kind: x", 1), encoding="utf-8")
    assert cli_main(["--data", str(data), "all", "--out", str(tmp_path / "out"), "--parallel", "2"]) == 1
    err = capsys.readouterr().err
    assert err.endswith("Failed: hemsedal, sor-aurdal\n")
    first, second = err.index("hemsedal/services.yaml:"), err.index("sor-aurdal/services.yaml:")
    assert first < second and err.count("The handbook data has 1 error; nothing was built:") == 2
    assert not (tmp_path / "out" / "index.html").exists()
    assert not list((tmp_path / "out").glob("*/html"))


# --------------------------------------------------------------------------- real builds


def _html_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


@pytest.mark.slow
def test_failed_page_is_never_published_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], built_site: Path, checkout_untouched: None
) -> None:
    handbook, out = tmp_path / "handbook", tmp_path / "out"
    shutil.copytree(ROOT / "handbook", handbook)
    argv = ["--data", str(DATA), "--handbook", str(handbook), "build", "--kommune", DEFAULT, "--out", str(out)]
    assert cli_main(argv) == 0
    published = os.readlink(out / "html")
    before = _contents(out / "html")
    (handbook / "zz-feil.md").write_text("# Feil\n\nSe {ref}`finnes-ikke`.\n", encoding="utf-8")
    capsys.readouterr()
    assert cli_main(argv) == 1
    err = capsys.readouterr().err
    assert "zz-feil.md:3: WARNING: undefined label: 'finnes-ikke'" in err
    assert f"Build failed; {out / 'html'} was left as it was." in err
    assert os.readlink(out / "html") == published and _contents(out / "html") == before
    (handbook / "zz-feil.md").unlink()
    assert cli_main(argv) == 0
    assert not (out / "html" / "zz-feil.html").exists()
    assert _html_pages(out / "html") == _html_pages(built_site)
    # The first site (kept as the previous one) and the new one; the failed build's folder is gone.
    current = Path(os.readlink(out / "html")).name
    assert sorted(p.name for p in (out / VERSIONS).iterdir()) == sorted([Path(published).name, current])


@pytest.mark.slow
def test_removed_optional_file_removes_its_page(tmp_path: Path, data_copy: Path, checkout_untouched: None) -> None:
    """Incremental after ``indicators.yaml`` is gone: no utfordringsbilde page, and byte-identical to a clean build."""
    out = tmp_path / "out"
    assert build(out, data_copy) == 0
    assert (out / "html" / "utfordringsbilde.html").exists()
    (data_copy / DEFAULT / "indicators.yaml").unlink()
    assert build(out, data_copy) == 0
    assert not (out / "html" / "utfordringsbilde.html").exists()
    assert "utfordringsbilde.html" not in (out / "html" / "index.html").read_text(encoding="utf-8")
    assert build(tmp_path / "clean", data_copy) == 0
    incremental, clean = _contents(out / "html"), _contents(tmp_path / "clean" / "html")
    assert sorted(incremental) == sorted(clean)
    assert [name for name in clean if incremental[name] != clean[name]] == []


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "forebygging", "--data", str(DATA), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "extensions")}


@pytest.mark.slow
def test_two_plans_built_at_once_equal_their_solo_builds(
    tmp_path: Path, built_site: Path, plan_site: Callable[[str], Path], checkout_untouched: None
) -> None:
    """A bokmål and a nynorsk plan, at the same time in one checkout: each byte-identical to its own build."""
    solo = {DEFAULT: built_site, "vest-telemark": plan_site("vest-telemark")}
    running = {
        slug: subprocess.Popen(
            _cli("build", "--kommune", slug, "--out", str(tmp_path / slug)),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for slug in solo
    }
    for process in running.values():
        _, err = process.communicate(timeout=900)
        assert process.returncode == 0, err[-3000:]
    for slug, reference in solo.items():
        together, alone = _contents(tmp_path / slug / "html"), _contents(reference)
        assert sorted(together) == sorted(alone), slug
        assert [name for name in alone if together[name] != alone[name]] == [], slug


@pytest.mark.slow
def test_build_killed_while_writing_keeps_the_old_site_and_the_next_build_is_good(
    tmp_path: Path, data_copy: Path, checkout_untouched: None
) -> None:
    out = tmp_path / "out"
    assert build(out, data_copy) == 0
    published, old = os.readlink(out / "html"), _contents(out / "html")
    measures = data_copy / DEFAULT / "measures.yaml"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace("name: Svangerskapsomsorg", "name: Svangerskapsomsorg NY", 1),
        encoding="utf-8",
    )
    argv = [sys.executable, "-m", "forebygging", "--data", str(data_copy), "build", "--kommune", DEFAULT]
    argv += ["--out", str(out)]
    process = subprocess.Popen(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it at a random moment once Sphinx writes pages into the new version folder.
    deadline = time.monotonic() + 600
    while not [p for p in (out / VERSIONS).glob("*/*.html") if not str(p).startswith(str(out / published))]:
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it wrote a page"
        time.sleep(0.05)
    time.sleep(random.Random(12).uniform(0.0, 1.0))
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert os.readlink(out / "html") == published and _contents(out / "html") == old
    assert (out / ".building-html").exists()  # the killed build's mark: the next one starts afresh
    assert build(out, data_copy) == 0
    new = _contents(out / "html")
    assert sorted(new) == sorted(old)
    assert "Svangerskapsomsorg NY" in new["tiltak.html"].decode("utf-8")
    assert not (out / ".building-html").exists()
    assert len(list((out / VERSIONS).iterdir())) == 2  # the new site and the one before; the killed one is gone
