"""Command line: ``python -m forebygging check|build|schemas``; the Makefile calls these.

``build`` validates first, builds into a staging directory, and only replaces the
published site when Sphinx succeeded, so a failed build never leaves a half-built site
where readers (or a web server) would find it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from ..core import DataValidationError, HandbookData, load
from ..core.schema import write as write_schemas
from ..outputs.report import pdf_name
from .build import PROJECT, publish, run_sphinx
from .new import cmd_new
from .trace_cli import print_trace, strict_failure, write_report_pdf
from .workbook_import import cmd_import

DEFAULT_KOMMUNE = "sor-aurdal"


def _kommune(args: argparse.Namespace) -> str:
    return args.kommune or os.environ.get("KOMMUNE") or DEFAULT_KOMMUNE


def cmd_check(args: argparse.Namespace) -> int:
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
    trace = print_trace(data, PROJECT / "handbook", full=args.command == "check")  # gaps are findings, not failures
    print("OK: the data is valid.")
    return (strict_failure(data, trace) if getattr(args, "strict", False) else 0), data


def cmd_build(args: argparse.Namespace) -> int:
    slug = _kommune(args)
    status, data = _check(args)
    if status != 0 or data is None:
        return 1
    out = args.out or PROJECT / "_build" / slug
    staging = out / "staging" / args.builder
    doctrees = out / "doctrees" / args.builder
    status = run_sphinx(
        args.data, slug, staging, doctrees, builder=args.builder, jobs=args.jobs, nitpicky=args.nitpicky
    )
    if status != 0:
        print(f"Build failed; {out / args.builder} was left as it was.", file=sys.stderr)
        return status
    if args.builder == "html":
        # The council report's PDF is part of the site: printed from the page just built, so they agree.
        write_report_pdf(data, staging)
    publish(staging, out / args.builder)
    print(f"Built {out / args.builder}")
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


def cmd_all(args: argparse.Namespace) -> int:
    """Build every municipality in the data into ``<out>/<slug>/html``, then a small index of them."""
    from ..core import available_municipalities
    from .handbook_index import write_index

    out = args.out or PROJECT / "_build"
    slugs = available_municipalities(Path(args.data))
    failed = [
        slug
        for slug in slugs
        if cmd_build(argparse.Namespace(**{**vars(args), "kommune": slug, "out": out / slug, "builder": "html"})) != 0
    ]
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"Index of the handbooks: {write_index(Path(args.data), slugs, out)}")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out or PROJECT / "schemas"):
        print(path.relative_to(PROJECT) if path.is_relative_to(PROJECT) else path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forebygging", description=__doc__)
    parser.add_argument("--data", type=Path, default=PROJECT / "_data", help="the _data directory")
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
    every.set_defaults(func=cmd_all)
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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
