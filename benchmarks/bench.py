"""Benchmarks of build time, memory and page weight: ``make bench`` (``--quick``: N = 100 and 500 only).

For each N (number of measures in a synthetic municipality) it measures, each in its own
subprocess (wall time; CPU seconds = user + system and peak memory = ``ru_maxrss`` of that child,
from ``os.wait4``):

- ``check``: ``python -m forebygging check`` (what ``make check`` runs);
- ``clean``: a clean ``python -m forebygging build`` (what ``make html`` runs: validation,
  Sphinx with -W, publish) and its peak memory;
- ``bare``: a bare sphinx-needs project with the same needs and links (measures, services,
  duties, factors as ``.. need::`` directives on four pages, alabaster, nothing else);
- ``incr``: the preview after one edit: the clean build rebuilt in place after one more
  sentence was added to one measure's description in ``_data/``, and whether its output is
  byte-identical to a clean build of the edited data;
- the same preview on real plans (``--plan``, default Sør-Aurdal), as the ``preview after
  one edit`` lines with the ratio to the clean build and the target (>= 3x);
- ``-j 2``: a clean build of the edited data with ``-j 2``, and whether it is identical to -j 1;
- bytes a first-time visitor downloads for the start page, the measure catalogue (every
  measure's page section is there) and the reflection aid: headless Chromium loads each page
  from a local server and records every request; we sum the gzip (level 6) size of each
  requested local file, as a gzip-serving web server would send it. Without Chromium the
  files referenced by ``<link>``, ``<script>`` and ``<img>`` (and ``url()`` in CSS) are summed.

Prints one table, then every target as met or MISSED with its figure (the clean-build ratio to
bare at every N, judged at N = 1,000 and 5,000, in wall and CPU time); always exits 0.
The figures depend on the machine: run it on an idle one.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SLUG = "syntetisk"
BASE = "sor-aurdal"  # the synthetic municipality starts from this one's plan and collaboration model
CHROMIUM = "/usr/bin/chromium"
PAGES = {"start": "index.html", "tiltak": "tiltak.html", "refleksjon": "refleksjonsverktoy.html"}
# First visit to the real plan of Sør-Aurdal (issue 14): gzipped KB a reader's phone downloads.
WEIGHT_BUDGETS_KB = {"start": 200, "tiltak": 300}

sys.path[:0] = [str(ROOT / "extensions")]

# --------------------------------------------------------------------------- synthetic data

WORDS = {
    "what": [
        "Foreldreveiledning",
        "Barnesamtaler",
        "Kartlegging",
        "Samarbeidsmøte",
        "Ansvarsgruppe",
        "Overgangsmøte",
        "Hjemmebesøk",
        "Gruppetilbud",
        "Kurs",
        "Lavterskeltilbud",
        "Drøftingsmøte",
        "Tverrfaglig samarbeid",
        "Individuell plan",
        "Oppfølgingssamtaler",
        "Mentorordning",
    ],
    "for": [
        "for gravide",
        "for småbarnsforeldre",
        "i barnehagen",
        "på barneskolen",
        "på ungdomsskolen",
        "for ungdom",
        "for familier med lav inntekt",
        "for barn som pårørende",
        "for nyankomne familier",
        "i fritiden",
    ],
    "target": [
        "Gravide og deres partnere",
        "Foreldre til barn 0-5 år",
        "Barn i barnehage",
        "Elever 6-12 år",
        "Ungdom 13-18 år",
        "Barn og unge i risikosone",
        "Familier med særskilte behov",
    ],
    "sentence": [
        "Tjenesten kartlegger behovet sammen med familien og lager en plan for oppfølgingen.",
        "Tilbudet gis i samarbeid med foreldrene, og barnet blir hørt.",
        "Ansatte får veiledning slik at de fanger opp bekymringer tidlig.",
        "Tiltaket evalueres hvert år, og erfaringene deles på tvers av tjenestene.",
        "Ved behov kobles andre tjenester inn, med samtykke fra foreldrene.",
        "Tilbudet er gratis og krever ingen henvisning.",
    ],
}
SERVICE_KINDS = ["grunntjeneste", "støttetjeneste", "interkommunal", "spesialisthelsetjeneste", "frivillig", "annen"]
STATUSES = [None, "i gang", "under utvikling", "planlagt"]


def generate(target: Path, n: int, seed: int = 8) -> Path:
    """A complete ``_data`` with national data and a municipality ``syntetisk`` of ``n`` measures.

    It starts from Sør-Aurdal's plan, collaboration model and other files and replaces the
    services (n / 10, at least the real ones) and measures (n) with generated ones that reference real
    duties and factors, so every page, matrix and trace has realistic work to do.
    """
    from ruamel.yaml import YAML

    from forebygging.core import load

    rng = random.Random(seed)
    shutil.copytree(ROOT / "_data" / "national", target / "national")
    shutil.copytree(ROOT / "_data" / BASE, target / SLUG)
    real = load(ROOT / "_data", BASE)
    duties = [d for d in real.national.duties if d.section is not None]
    samarbeid = [d.id for d in duties if d.kind.value == "samarbeidsplikt"]
    factors = [f.id for f in real.national.factors]
    yaml = YAML(typ="safe")
    yaml.default_flow_style = None  # short lists inline: 5,000 measures stay under the loader's MAX_FILE_BYTES
    yaml.allow_unicode = True
    yaml.width = 100

    # Keep the real services (steps, routes and other files refer to them), add generated ones.
    services = [s.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for s in real.municipality.services]
    for i in range(max(0, n // 10 - len(services))):
        services.append(
            {
                "id": f"tjeneste-{i:04d}",
                "name": f"{rng.choice(WORDS['what'])} – tjeneste {i}",
                "kind": rng.choice(SERVICE_KINDS),
                "description": " ".join(rng.sample(WORDS["sentence"], 2)),
                "bound_by": rng.sample(samarbeid, k=rng.randint(0, 2)),
                "in_overview": rng.random() < 0.3,
            }
        )
    ids = [s["id"] for s in services]
    measures = []
    for i in range(n):
        what, whom = rng.choice(WORDS["what"]), rng.choice(WORDS["for"])
        lo = rng.randint(0, 15)
        m: dict = {
            "id": f"tiltak-{i:05d}",
            "name": f"{what} {whom} {i}",
            "level": rng.choice(["universell", "selektiv", "indikert"]),
            "description": " ".join(rng.sample(WORDS["sentence"], 2)),
            "target_group": rng.choice(WORDS["target"]),
            "responsible": rng.sample(ids, k=rng.randint(1, 4)),
        }
        if rng.random() < 0.6:
            m["ages"] = {"min": lo, "max": min(25, lo + rng.randint(0, 8))}
        if status := rng.choice(STATUSES):
            m["status"] = status
        if rng.random() < 0.5:
            m["strengthens"] = rng.sample(factors, k=rng.randint(1, 2))
        if rng.random() < 0.3:
            m["reduces"] = rng.sample(factors, k=1)
        if rng.random() < 0.2:
            m["fulfils"] = [rng.choice(duties).id]
        if rng.random() < 0.1:
            m["collaboration"] = rng.random() < 0.5
        measures.append(m)
    with (target / SLUG / "services.yaml").open("w", encoding="utf-8") as f:
        yaml.dump(services, f)
    with (target / SLUG / "measures.yaml").open("w", encoding="utf-8") as f:
        yaml.dump(measures, f)
    load(target, SLUG)  # fail early if the generator made invalid data
    return target


def edit_one_measure(data: Path, slug: str = SLUG) -> None:
    """A plan owner's typical edit: one more sentence in the first measure's description."""
    path = data / slug / "measures.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  description:"))
    if lines[at].rstrip().endswith((">-", ">", "|", "|-")):
        at += 1  # a block scalar: its text starts on the next line
    lines[at] += " Tilbudet er endret."
    path.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- bare sphinx-needs baseline

BARE_CONF = """
extensions = ["sphinx_needs"]
project = "bare"
needs_reproducible_json = True
needs_types = [
    {"directive": t, "title": t, "prefix": t.upper() + "_", "color": "#FFFFFF", "style": "node"}
    for t in ("duty", "measure", "service", "factor")
]
needs_links = {
    name: {"incoming": name + " (in)", "outgoing": name}
    for name in ("responsible", "fulfils", "bound_by", "strengthens", "reduces")
}
needs_id_regex = ".*"
"""


def bare_project(target: Path, data_root: Path) -> Path:
    """The same needs and links as the handbook, as plain ``.. need::`` directives on four pages."""
    from forebygging.core import load
    from forebygging.core.trace import compute, need_id

    data = load(data_root, SLUG)
    trace = compute(data, set())
    src = target / "src"
    src.mkdir(parents=True)
    (src / "conf.py").write_text(BARE_CONF, encoding="utf-8")

    def need(kind: str, ident: str, title: str, text: str, links: dict[str, list[str]]) -> str:
        lines = [f".. {kind}:: {title}", f"   :id: {need_id(kind, ident)}"]
        lines += [f"   :{k}: {', '.join(v)}" for k, v in links.items() if v]
        return "\n".join([*lines, "", f"   {' '.join(text.split())}", "", ""])

    pages = {
        "duties": [need("duty", d.id, d.title, d.summary, {}) for d in data.national.duties],
        "factors": [need("factor", f.id, f.name, f.explanation, {}) for f in data.national.factors],
        "services": [
            need("service", s.id, s.name, s.description, {"bound_by": [need_id("duty", d) for d in s.bound_by]})
            for s in data.municipality.services
        ],
        "measures": [
            need(
                "measure",
                m.id,
                m.name,
                m.description,
                {
                    "responsible": [need_id("service", s) for s in m.responsible],
                    "fulfils": sorted({need_id("duty", f.duty) for f in trace.duties_of(m.id)}),
                    "strengthens": [need_id("factor", f) for f in m.strengthens],
                    "reduces": [need_id("factor", f) for f in m.reduces],
                },
            )
            for m in data.municipality.measures
        ],
    }
    for name, needs in pages.items():
        (src / f"{name}.rst").write_text(f"{name}\n{'=' * len(name)}\n\n" + "".join(needs), encoding="utf-8")
    toc = "\n".join(f"   {name}" for name in pages)
    (src / "index.rst").write_text(f"bare\n====\n\n.. toctree::\n\n{toc}\n", encoding="utf-8")
    return src


# --------------------------------------------------------------------------- running and measuring


@dataclass
class Run:
    seconds: float
    peak_mb: float
    ok: bool
    tail: str = ""
    cpu: float = 0.0  # user + system seconds of the child: less disturbed than wall time on a busy machine


def run(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a child process; wall time and its own peak resident memory (os.wait4)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        tail = log.read().decode("utf-8", "replace")[-2000:]
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode == 0, tail, cpu)


def forebygging(data: Path, *args: str) -> list[str]:
    return [PY, "-m", "forebygging", "--data", str(data), *args]


ENV = {"PYTHONPATH": str(ROOT / "extensions")}


def identical(a: Path, b: Path) -> bool:
    fa = {p.relative_to(a): p for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b): p for p in b.rglob("*") if p.is_file()}
    return fa.keys() == fb.keys() and all(fa[k].read_bytes() == fb[k].read_bytes() for k in fa)


# --------------------------------------------------------------------------- bytes downloaded


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def requested_files_browser(site: Path, pages: dict[str, str]) -> dict[str, list[Path]] | None:
    """page -> every local file Chromium requested to show it (first visit, empty cache)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"]
        )
        try:
            return requested_files_with(browser, site, pages)
        finally:
            browser.close()


def requested_files_with(browser: Any, site: Path, pages: dict[str, str]) -> dict[str, list[Path]]:
    """The same with a running Playwright browser (the tests' own): one fresh context per page."""
    out: dict[str, list[Path]] = {}
    with serve(site) as base:
        for key, page_name in pages.items():
            context = browser.new_context()  # a first-time visitor: empty cache
            page = context.new_page()
            urls: list[str] = []
            page.on("request", lambda r, urls=urls: urls.append(r.url))
            page.goto(f"{base}/{page_name}", wait_until="networkidle")
            context.close()
            files = []
            for url in dict.fromkeys(urls):
                parsed = urlparse(url)
                if parsed.scheme in {"http", "https"} and url.startswith(base):
                    path = site / unquote(parsed.path).lstrip("/")
                    if path.is_file():
                        files.append(path)
            out[key] = files
    return out


def requested_files_static(site: Path, page_name: str) -> list[Path]:
    """The page and the local files its HTML (and its CSS, through url()) refers to."""
    page = site / page_name
    files = [page]
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r'<(?:link[^>]*href|script[^>]*src|img[^>]*src)="([^"#?]+)', html)
    for ref in refs:
        path = (page.parent / unquote(ref)).resolve()
        if path.is_file() and path not in files:
            files.append(path)
            if path.suffix == ".css":
                for inner in re.findall(r"url\(['\"]?([^'\")#?]+)", path.read_text(encoding="utf-8", errors="replace")):
                    target = (path.parent / unquote(inner)).resolve()
                    if target.is_file() and target not in files:
                        files.append(target)
    return files


def requested_files(site: Path, pages: dict[str, str] = PAGES) -> tuple[dict[str, list[Path]], str]:
    """page -> the files a first-time visitor downloads (Chromium's requests, else static references)."""
    found = None
    with contextlib.suppress(Exception):
        found = requested_files_browser(site, pages)
    if found:
        return found, "chromium requests"
    return {key: requested_files_static(site, name) for key, name in pages.items()}, "static references"


def download_sizes(site: Path, pages: dict[str, str] = PAGES) -> tuple[dict[str, int], str]:
    """page -> gzipped bytes a first-time visitor downloads, and the method used."""
    found, method = requested_files(site, pages)
    return {key: sum(gz(p.read_bytes()) for p in files) for key, files in found.items()}, method


def weight_lines(sizes: dict[str, int], budgets: dict[str, int] = WEIGHT_BUDGETS_KB) -> list[str]:
    """One target line per page with a budget: met or MISSED, the figure and the budget."""
    out = []
    for key, budget in budgets.items():
        if key not in sizes:
            out.append(f"  MISSED  first visit {PAGES[key]}: not measured (budget {budget} KB)")
            continue
        kb = sizes[key] / 1024
        out.append(f"  {'met   ' if kb <= budget else 'MISSED'}  first visit {PAGES[key]}: {kb:.0f} KB <= {budget} KB")
    return out


def build_plan_site(work: Path, slug: str = BASE) -> Path | None:
    """The real plan's handbook, built as ``make html`` does, into ``work``; None if the build failed."""
    result = run(forebygging(ROOT / "_data", "build", "--kommune", slug, "--out", str(work)), ENV)
    return work / "html" if result.ok else None


def weight_report(site: Path, *, files: bool = False) -> tuple[list[str], dict[str, int]]:
    """The page-weight figures of a built site, with the budgets (and, with ``files``, every file)."""
    found, method = requested_files(site)
    sizes = {key: sum(gz(p.read_bytes()) for p in paths) for key, paths in found.items()}
    lines = [f"Page weight, first visit ({method}; KB = gzipped bytes, level 6) of {site}:"]
    for key, paths in found.items():
        lines.append(f"  {PAGES[key]}: {sizes[key] / 1024:.0f} KB in {len(paths)} files")
        if files:
            for path in sorted(paths, key=lambda p: -gz(p.read_bytes())):
                lines.append(f"      {gz(path.read_bytes()) / 1024:7.1f}  {path.relative_to(site)}")
    lines.append("Targets:")
    lines += weight_lines(sizes)
    return lines, sizes


# --------------------------------------------------------------------------- the benchmark


@dataclass
class Row:
    n: int
    needs: int = 0
    check: Run | None = None
    clean: Run | None = None
    bare: Run | None = None
    incr: Run | None = None
    incr_identical: bool | None = None
    clean2: Run | None = None
    j2: Run | None = None
    j2_identical: bool | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    method: str = ""


def bench_one(n: int, work: Path, *, j2: bool, sizes: bool) -> Row:
    row = Row(n)
    data = generate(work / "_data", n)
    from forebygging.core import load

    d = load(data, SLUG)
    row.needs = len(d.municipality.measures) + len(d.municipality.services) + len(d.national.duties)
    row.needs += len(d.national.factors)
    row.check = run(forebygging(data, "check", "--kommune", SLUG), ENV)
    row.clean = run(forebygging(data, "build", "--kommune", SLUG, "--out", str(work / "a")), ENV)
    src = bare_project(work / "bare", data)
    row.bare = run(
        [PY, "-m", "sphinx", "-b", "html", "-q", "-d", str(work / "bare/doctrees"), str(src), str(work / "bare/html")]
    )
    if sizes and row.clean.ok:
        row.sizes, row.method = download_sizes(work / "a" / "html")
    edit_one_measure(data)
    row.incr = run(forebygging(data, "build", "--kommune", SLUG, "--out", str(work / "a")), ENV)
    row.clean2 = run(forebygging(data, "build", "--kommune", SLUG, "--out", str(work / "b")), ENV)
    if row.incr.ok and row.clean2.ok:
        row.incr_identical = identical(work / "a" / "html", work / "b" / "html")
    if j2:
        row.j2 = run(forebygging(data, "build", "--kommune", SLUG, "--out", str(work / "c"), "-j", "2"), ENV)
        if row.j2.ok and row.clean2.ok:
            row.j2_identical = identical(work / "c" / "html", work / "b" / "html")
    return row


@dataclass
class Preview:
    """Clean build, one measure's description edited, rebuild (the preview), clean build of the edit."""

    label: str
    clean: Run
    preview: Run
    clean_after: Run
    identical: bool | None


def preview_plan(slug: str, work: Path) -> Preview:
    """The preview after one edit on a real plan's data (``--plan``, e.g. sor-aurdal)."""
    data = work / "_data"
    shutil.copytree(ROOT / "_data", data)
    clean = run(forebygging(data, "build", "--kommune", slug, "--out", str(work / "a")), ENV)
    edit_one_measure(data, slug)
    preview = run(forebygging(data, "build", "--kommune", slug, "--out", str(work / "a")), ENV)
    after = run(forebygging(data, "build", "--kommune", slug, "--out", str(work / "b")), ENV)
    same = identical(work / "a" / "html", work / "b" / "html") if preview.ok and after.ok else None
    return Preview(slug, clean, preview, after, same)


def preview_lines(previews: list[Preview]) -> list[str]:
    """One line per preview: its time, the ratio to the clean build, the target (>= 3x), identity."""
    out = []
    for p in previews:
        if not (p.clean.ok and p.preview.ok):
            out.append(f"  FAILED  preview after one edit, {p.label}")
            continue
        speed = p.clean.seconds / p.preview.seconds
        out.append(
            f"  {'met   ' if speed >= 3 else 'MISSED'}  preview after one edit, {p.label}: {p.preview.seconds:.1f} s, "
            f"clean {p.clean.seconds:.1f} s, {speed:.2f}x faster (target >= 3x); "
            f"byte-identical to a clean build: {yes(p.identical)}"
        )
    return out


def fmt_s(r: Run | None) -> str:
    if r is None:
        return "-"
    return f"{r.seconds:.1f}" if r.ok else "FAIL"


def yes(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "NO")


def table(rows: list[Row]) -> str:
    head = [
        "N",
        "needs",
        "check s",
        "clean s",
        "peak MB",
        "bare s",
        "bare MB",
        "clean/bare",
        "cpu c/b",
        "incr s",
        "clean/incr",
        "incr = clean",
        "-j1 s",
        "-j2 s",
        "j2 = j1",
        "start KB",
        "tiltak KB",
        "refleksjon KB",
    ]
    body = []
    for r in rows:
        ratio = r.clean.seconds / r.bare.seconds if r.clean and r.bare and r.clean.ok and r.bare.ok else None
        cpu_ratio = r.clean.cpu / r.bare.cpu if ratio and r.clean and r.bare and r.bare.cpu else None
        speed = r.clean.seconds / r.incr.seconds if r.clean and r.incr and r.clean.ok and r.incr.ok else None
        body.append(
            [
                str(r.n),
                str(r.needs),
                fmt_s(r.check),
                fmt_s(r.clean),
                f"{r.clean.peak_mb:.0f}" if r.clean else "-",
                fmt_s(r.bare),
                f"{r.bare.peak_mb:.0f}" if r.bare else "-",
                f"{ratio:.2f}" if ratio else "-",
                f"{cpu_ratio:.2f}" if cpu_ratio else "-",
                fmt_s(r.incr),
                f"{speed:.2f}" if speed else "-",
                yes(r.incr_identical),
                fmt_s(r.clean2),
                fmt_s(r.j2),
                yes(r.j2_identical),
                *(f"{r.sizes[k] / 1024:.0f}" if k in r.sizes else "-" for k in PAGES),
            ]
        )
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    lines = [" | ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    lines += [" | ".join(c.rjust(w) for c, w in zip(b, widths, strict=True)) for b in body]
    return "\n".join(lines)


def targets(rows: list[Row]) -> list[str]:
    by_n = {r.n: r for r in rows}
    out: list[str] = []

    def line(ok: bool, text: str) -> None:
        out.append(f"  {'met   ' if ok else 'MISSED'}  {text}")

    # The target holds at N = 1,000 and 5,000; the other sizes are printed against it too, to
    # show the trend. CPU seconds (user + system) beside wall time: on a shared machine the wall
    # time of a build also measures the other processes.
    for r in rows:
        if r.clean and r.bare and r.clean.ok and r.bare.ok:
            ratio = r.clean.seconds / r.bare.seconds
            cpu = f", CPU {r.clean.cpu / r.bare.cpu:.2f}x" if r.clean.cpu and r.bare.cpu else ""
            what = f"clean build N={r.n} within 1.5x bare sphinx-needs: {ratio:.2f}x{cpu}"
            if r.n in (1000, 5000):
                line(ratio <= 1.5, what)
            else:
                out.append(f"  (info)  {what} (target at N=1000 and 5000)")
    if 500 in by_n and 5000 in by_n and by_n[500].clean and by_n[5000].clean:
        low, high = by_n[500].clean, by_n[5000].clean
        if low.ok and high.ok:
            cpu = f", CPU {high.cpu / low.cpu:.1f}" if low.cpu else ""
            line(high.seconds / low.seconds <= 12, f"time(5000)/time(500) <= 12: {high.seconds / low.seconds:.1f}{cpu}")
        else:
            line(False, "time(5000)/time(500) <= 12: not measured (a clean build failed)")
    for r in rows:
        if r.check and r.clean and r.clean.ok:
            share = r.check.seconds / r.clean.seconds
            line(share < 0.05, f"N={r.n}: make check under 5% of a clean build: {share:.1%}")
        if r.incr and r.clean and r.incr.ok and r.clean.ok:
            speed = r.clean.seconds / r.incr.seconds
            line(
                speed >= 3,
                f"N={r.n}: preview after one edit (incremental) {r.incr.seconds:.1f} s, "
                f">= 3x faster than clean: {speed:.2f}x",
            )
        if r.incr_identical is not None:
            line(r.incr_identical, f"N={r.n}: incremental byte-identical to clean: {yes(r.incr_identical)}")
        if r.j2_identical is not None:
            line(r.j2_identical, f"N={r.n}: -j 2 byte-identical to -j 1: {yes(r.j2_identical)}")
        for build in ("clean", "bare", "incr", "clean2", "j2"):
            result = getattr(r, build)
            if result is not None and not result.ok:
                last = [x for x in result.tail.splitlines() if x.strip()][-6:]
                out.append(f"  FAILED  N={r.n} {build} build:\n" + "\n".join(f"          {x}" for x in last))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 100 and 500 only")
    parser.add_argument("--sizes", nargs="*", type=int, help="the values of N (default 100 500 1000 5000)")
    parser.add_argument("--no-j2", action="store_true", help="skip the -j 2 build")
    parser.add_argument("--no-weight", action="store_true", help="skip the page weights (Chromium)")
    parser.add_argument(
        "--plan",
        nargs="*",
        default=None,
        help="real plans to time the preview after one edit on (default: sor-aurdal; none with an empty list)",
    )
    parser.add_argument("--keep", type=Path, help="keep the generated data and builds here")
    parser.add_argument(
        "--weight",
        nargs="?",
        const="build",
        metavar="SITE",
        help="only the page weight of a built site (default: build Sør-Aurdal first), with the budgets",
    )
    parser.add_argument("--files", action="store_true", help="with --weight: list every file and its size")
    args = parser.parse_args(argv)
    if args.weight:
        return weight_main(args.weight, files=args.files)
    sizes = args.sizes if args.sizes is not None else ([100, 500] if args.quick else [100, 500, 1000, 5000])
    plans = ["sor-aurdal"] if args.plan is None else args.plan
    rows: list[Row] = []
    previews: list[Preview] = []
    method = ""
    with tempfile.TemporaryDirectory(prefix="forebygging-bench-") as tmp:
        base = args.keep or Path(tmp)
        for slug in plans:
            print(f"[bench] preview after one edit, {slug} ...", file=sys.stderr, flush=True)
            work = base / f"plan-{slug}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            previews.append(preview_plan(slug, work))
        for i, n in enumerate(sizes):
            work = base / f"n{n}"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            print(f"[bench] N={n} ...", file=sys.stderr, flush=True)
            try:
                row = bench_one(n, work, j2=not args.no_j2, sizes=not args.no_weight and (i == 0 or n == max(sizes)))
            except Exception as exc:  # one table, exit 0: report the failure in it
                row = Row(n, clean=Run(0.0, 0.0, False, f"{type(exc).__name__}: {exc}"))
            method = row.method or method
            rows.append(row)
            print(table(rows).splitlines()[-1], file=sys.stderr, flush=True)  # progress, in case of a long run
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"Forebyggingshåndboka benchmark ({cores} cores, load {load:.1f} at the end; seconds are wall time)")
    print(table(rows))
    print(f"KB = gzipped bytes a first-time visitor downloads ({method or 'not measured'}).")
    print("Targets:")
    print("\n".join(preview_lines(previews) + targets(rows)) or "  (none measurable with these N)")
    if not args.no_weight:
        print()
        weight_main("build", files=False)
    return 0


def weight_main(site: str, *, files: bool) -> int:
    """Print the page weight of ``site`` (or of a fresh Sør-Aurdal build) against the budgets; exits 0."""
    with tempfile.TemporaryDirectory(prefix="forebygging-weight-") as tmp:
        built = Path(site) if site != "build" else build_plan_site(Path(tmp))
        if built is None or not (built / "index.html").is_file():
            print(f"Page weight: no built site at {site}")
            return 0
        lines, _ = weight_report(built, files=files)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
