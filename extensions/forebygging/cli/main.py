"""Command line: ``python -m forebygging check|build|all|site|report|serve|schemas|workshop``; the Makefile calls these.

``build`` validates first, builds from its own copy of ``handbook/`` into a new, empty
version folder, and only then points the published site at it (one atomic rename, see
:mod:`forebygging.cli.publishing`), so a failed or killed build never leaves a half-built,
stale or mixed site where readers (or a web server) would find it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from ..core import DataValidationError, HandbookData, available_municipalities, load
from ..core.errors import printable
from ..core.schema import write as write_schemas
from ..outputs.report import pdf_name
from .build import PROJECT, run_sphinx
from .new import cmd_new
from .publishing import NotASourceCopy, build_lock, interrupted_guard, new_version_dir, publish, sync_sources
from .trace_cli import print_trace, strict_failure, write_report_pdf
from .workbook_import import cmd_import
from .workshop import DEFAULT_PORT, cmd_workshop

DEFAULT_KOMMUNE = "sor-aurdal"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class InvalidSlug(ValueError):
    """A municipality slug that is malformed or names no plan in the data."""


def validate_slug(value: str, data: Path) -> str:
    """``value`` if it is the slug of a plan in ``data``; checked before any path is built from it.

    A slug becomes a path (``_data/<slug>``, ``_build/<slug>``), so ``/``, ``..``, spaces or
    shell syntax must never get that far.
    """
    known = available_municipalities(Path(data)) if Path(data).is_dir() else []
    valid = f"valid slugs: {', '.join(known) or f'none (no plan.yaml under {data})'}"
    if not SLUG.fullmatch(value):
        raise InvalidSlug(
            f"KOMMUNE {value!r} is not a municipality slug (lowercase letters a-z, digits and '-', "
            f"starting with a letter or digit); {valid}"
        )
    if value not in known:
        raise InvalidSlug(f"KOMMUNE {value!r}: no such municipality in {data}; {valid}")
    return value


def _kommune(args: argparse.Namespace) -> str:
    """The validated slug; ``main`` has already checked it, this only picks the source."""
    if getattr(args, "kommune", None) is not None:
        return args.kommune
    return os.environ.get("KOMMUNE", DEFAULT_KOMMUNE)


class _PrintableStream:
    """A text stream that writes everything through :func:`printable`: no control character acts."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _printable_output() -> Iterator[None]:
    """What the check prints comes from the data (names, file paths, messages): escaped, never obeyed."""
    with (
        contextlib.redirect_stdout(_PrintableStream(sys.stdout)),
        contextlib.redirect_stderr(_PrintableStream(sys.stderr)),
    ):
        yield


def cmd_check(args: argparse.Namespace) -> int:
    with _printable_output():
        return _check(args)[0]


def _check(args: argparse.Namespace) -> tuple[int, HandbookData | None]:
    """Validate and print what was found; the loaded data comes back so a build need not load it again."""
    slug = _kommune(args)
    try:
        data = load(args.data, slug)
    except DataValidationError as exc:
        print(exc.report(), file=sys.stderr)
        return 1, None
    m = data.municipality
    by_level = {lv.id: sum(1 for x in m.measures if x.level == lv.id) for lv in data.national.levels}
    print(
        f"{data.plan.title} – {', '.join(data.plan.municipalities)} (versjon {data.plan.version}, {data.plan.status})"
    )
    print(f"  data: {len(data.files)} files in {data.root}")
    print(f"  national: {len(data.national.duties)} duties, {len(data.national.factors)} factors")
    levels = ", ".join(f"{n} {lv}" for lv, n in by_level.items())
    print(f"  measures: {len(m.measures)} ({levels})")
    print(
        f"  services: {len(m.services)}; steps: {len(m.collaboration.steps)}; referral routes: {len(m.referral_routes)}"
    )
    print(f"  indicators: {len(m.indicators)}; needs and actions: {len(m.development.needs)}")
    handbook = getattr(args, "handbook", None) or PROJECT / "handbook"
    trace = print_trace(data, handbook, full=args.command == "check")  # gaps are findings, not failures
    print("OK: the data is valid.")
    return (strict_failure(data, trace) if getattr(args, "strict", False) else 0), data


def cmd_build(args: argparse.Namespace) -> int:
    from ..ext.data import file_hashes, remember

    slug = _kommune(args)
    root = Path(args.data).resolve()
    before = file_hashes(sorted((root / "national").glob("*.yaml")) + sorted((root / slug).glob("*.yaml")))
    with _printable_output():
        status, data = _check(args)
    if status != 0 or data is None:
        return 1
    remember(data, before)  # Sphinx, in this process, builds from the data just validated
    out = Path(args.out or PROJECT / "_build" / slug)
    builder = args.builder
    with build_lock(out), interrupted_guard(out, builder) as was_interrupted:
        if was_interrupted:
            # Its doctrees may be half-written: start this one from scratch.
            for stale in (out / "doctrees" / builder, out / "src" / builder):
                shutil.rmtree(stale, ignore_errors=True)
        # The staging folder of the layout before versions, which every build reused.
        shutil.rmtree(out / "staging" / builder, ignore_errors=True)
        with contextlib.suppress(OSError):
            (out / "staging").rmdir()
        version = new_version_dir(out, builder)
        published = out / builder
        # Its unchanged pages can be taken over (forebygging.ext.reuse decides which, if any).
        previous = published.resolve() if published.is_symlink() and published.resolve().is_dir() else None
        status = run_sphinx(
            args.data,
            slug,
            version,
            out / "doctrees" / builder,
            builder=builder,
            jobs=args.jobs,
            nitpicky=args.nitpicky,
            handbook=getattr(args, "handbook", None),
            defines={"forebygging_previous_output": str(previous)} if previous else None,
        )
        if status != 0:
            shutil.rmtree(version, ignore_errors=True)
            print(f"Build failed; {out / builder} was left as it was.", file=sys.stderr)
            return status
        if builder == "html":
            # The council report's PDF is part of the site: printed from the page just built, so they agree.
            write_report_pdf(data, version, cache=out / "cache" / "report")
        publish(version, out / builder)
    print(f"Built {out / builder}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Build the site (which prints the report PDF into it), then copy the PDF to ``_build/<slug>/report/``."""
    status = cmd_build(argparse.Namespace(**vars(args), builder="html", jobs=1, nitpicky=False))
    if status != 0:
        return status
    data = load(args.data, _kommune(args))
    out = args.out or PROJECT / "_build" / data.slug
    target = out / "report" / pdf_name(data.slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(out / "html" / pdf_name(data.slug), target)
    print(f"Report: {target}")
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from .versioned_site import build_site

    slug = _kommune(args)
    if cmd_check(args) != 0:
        return 1
    return build_site(args.data, slug, args.out or PROJECT / "_build" / slug, base=args.base)


def _pythonpath() -> str:
    """``PYTHONPATH`` for a child process that runs ``python -m forebygging`` or Sphinx."""
    return os.pathsep.join([str(PROJECT / "extensions"), *filter(None, [os.environ.get("PYTHONPATH")])])


def cmd_all(args: argparse.Namespace) -> int:
    """Build every municipality in the data into ``<out>/<slug>/html``, then a small index of them.

    Each plan builds in its own process (builds share no files, see :func:`run_sphinx`),
    ``--parallel`` at a time; each one's output is printed when it is done, not interleaved.
    """
    from .handbook_index import write_index

    out = Path(args.out or PROJECT / "_build")
    slugs = available_municipalities(Path(args.data))

    def build_one(slug: str) -> tuple[str, subprocess.CompletedProcess[str]]:
        argv = [sys.executable, "-m", "forebygging", "--data", str(args.data)]
        argv += ["--handbook", str(args.handbook)] if args.handbook else []
        argv += ["build", "--kommune", slug, "--out", str(out / slug), "-j", str(args.jobs)]
        argv += ["-n"] if args.nitpicky else []
        env = {**os.environ, "PYTHONPATH": _pythonpath()}
        return slug, subprocess.run(argv, capture_output=True, text=True, env=env, check=False)

    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.parallel or os.cpu_count() or 1)) as pool:
        for slug, done in pool.map(build_one, slugs):
            sys.stdout.write(done.stdout)
            sys.stderr.write(done.stderr)
            if done.returncode != 0:
                failed.append(slug)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"Index of the handbooks: {write_index(Path(args.data), slugs, out)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Live preview with sphinx-autobuild, from this plan's own copy of ``handbook/``.

    Before every rebuild sphinx-autobuild runs ``sync-sources``, so an edit in ``handbook/``
    reaches the copy, and the build writes its generated files into the copy only.
    """
    slug = _kommune(args)
    out = Path(args.out or PROJECT / "_build" / slug)
    handbook = Path(args.handbook or PROJECT / "handbook").resolve()
    src = (out / "src" / "serve").resolve()
    sync_sources(handbook, src)
    sync = [sys.executable, "-m", "forebygging", "sync-sources", str(handbook), str(src)]
    argv = [str(Path(sys.executable).with_name("sphinx-autobuild")), "-c", str(PROJECT)]
    argv += ["-d", str(out / "doctrees" / "serve"), "-D", f"forebygging_data_dir={Path(args.data).resolve()}"]
    argv += ["-D", f"forebygging_source_origin={handbook}", "--pre-build", shlex.join(sync)]
    argv += ["--host", args.host, "--port", str(args.port), "--ignore", str(src)]
    argv += [
        "--watch",
        str(handbook),
        "--watch",
        str(Path(args.data).resolve()),
        "--watch",
        str(PROJECT / "extensions"),
    ]
    argv += [str(src), str(out / "serve")]
    os.environ["KOMMUNE"] = slug
    os.environ["PYTHONPATH"] = _pythonpath()
    os.execv(argv[0], argv)
    return 1  # not reached: exec replaces this process


def cmd_sync_sources(args: argparse.Namespace) -> int:
    sync_sources(args.source, args.target)
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out or PROJECT / "schemas"):
        print(path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forebygging", description=__doc__)
    parser.add_argument("--data", type=Path, default=PROJECT / "_data", help="the _data directory")
    parser.add_argument("--handbook", type=Path, help="the pages' source directory (default: handbook/)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate the data and print what was found")
    check.add_argument("--kommune", help="municipality slug (default: $KOMMUNE or sor-aurdal)")
    check.add_argument("--strict", action="store_true", help="exit non-zero on any traceability gap")
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="validate, build into staging, then publish")
    build.add_argument("--kommune")
    build.add_argument("--builder", default="html")
    build.add_argument("--out", type=Path, help="default: _build/<kommune>")
    build.add_argument("-j", "--jobs", type=int, default=1)
    build.add_argument("-n", "--nitpicky", action="store_true")
    build.set_defaults(func=cmd_build)
    report = sub.add_parser("report", help="build, then print the traceability report to _build/<kommune>/report/")
    report.add_argument("--kommune")
    report.add_argument("--out", type=Path, help="default: _build/<kommune>")
    report.set_defaults(func=cmd_report)
    site = sub.add_parser("site", help="build the current and every tagged plan version with a switcher")
    site.add_argument("--kommune")
    site.add_argument("--out", type=Path, help="default: _build/<kommune>")
    site.add_argument("--base", default="/", help="URL path the site is served under (default: /)")
    site.set_defaults(func=cmd_site)
    every = sub.add_parser("all", help="build every municipality's handbook and an index of them")
    every.add_argument("--out", type=Path, help="default: _build")
    every.add_argument("-j", "--jobs", type=int, default=1)
    every.add_argument("-n", "--nitpicky", action="store_true")
    every.add_argument("--parallel", type=int, help="plans built at the same time (default: one per core)")
    every.set_defaults(func=cmd_all)
    serve = sub.add_parser("serve", help="live preview with sphinx-autobuild")
    serve.add_argument("--kommune")
    serve.add_argument("--out", type=Path, help="default: _build/<kommune>")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    workshop = sub.add_parser("workshop", help="the trainers' notebooks for a plan, served by Voilà on 127.0.0.1")
    workshop.add_argument("--kommune")
    workshop.add_argument("--port", type=int, default=DEFAULT_PORT)
    workshop.add_argument("--token", help="default: a new random token")
    workshop.add_argument("--no-browser", action="store_true", help="print the addresses, open no browser")
    workshop.set_defaults(func=cmd_workshop)
    sync = sub.add_parser("sync-sources", help="(for serve) make TARGET a copy of SOURCE, keeping mtimes")
    sync.add_argument("source", type=Path)
    sync.add_argument("target", type=Path)
    sync.set_defaults(func=cmd_sync_sources)
    schemas = sub.add_parser("schemas", help="write JSON Schemas for the data files")
    schemas.add_argument("--out", type=Path)
    schemas.set_defaults(func=cmd_schemas)
    new = sub.add_parser("new", help="start a new municipality's plan with the smallest valid data")
    new.add_argument("--kommune", required=True, help="the new plan's slug, e.g. nord-fron")
    new.add_argument("--navn", required=True, help="the municipality's name, e.g. Nord-Fron")
    new.add_argument("--spraak", default="nb", help="nb (bokmål, default) or nn (nynorsk)")
    new.set_defaults(func=cmd_new)
    imp = sub.add_parser("import", help="read an edited workbook (sheets Tiltak, Tjenester) into _data/<kommune>")
    imp.add_argument("--kommune", required=True)
    imp.add_argument("--file", required=True, type=Path, help="the workbook (.xlsx)")
    imp.set_defaults(func=cmd_import)
    args = parser.parse_args(argv)
    # A new plan's slug names no folder yet: ``new`` checks its own (well-formed, not taken).
    if "kommune" in vars(args) and args.command != "new":
        try:
            args.kommune = validate_slug(_kommune(args), args.data)
        except InvalidSlug as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        return args.func(args)
    except NotASourceCopy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
