"""The council report's charts as SVG, drawn at build time with matplotlib.

Three pictures where a picture beats a table: the measures per level as the prevention
pyramid, the coverage figures, and the duty × service matrix as a heat map. Each chart
has a title (the page's figure caption, and the SVG's ``<title>``) and a text alternative (the
SVG's ``<desc>`` and the page's ``alt``), so a screen reader and the tagged PDF say what
the picture shows; the tables next to them hold every number.

Why matplotlib: it is well kept, needs no browser or script, draws the text as paths with
the DejaVu font it ships (no web font, the same glyphs on every machine), and writes
byte-identical SVG when the id salt is fixed and the date left out. Nothing here imports
Sphinx: the build writes the files next to the HTML, and the PDF prints them.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import HandbookData
from ..core.trace import LEVELS, Trace
from ..wording import lookup as tr

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_DIR = "_charts"
"""Folder of the charts in the HTML output (the report page and its PDF link to them)."""

SALT = "forebygging"
"""``svg.hashsalt``: matplotlib otherwise derives clip-path and glyph ids from random numbers."""

INK = "#1a1a1a"
MISSING = "#b00020"
COVERED = "#0b4f8a"


@dataclass(frozen=True)
class Chart:
    name: str
    """File stem, e.g. ``tiltak-per-niva`` (the file is ``_charts/<slug>-<name>.svg``)."""
    title: str
    alt: str
    """The text alternative: what the picture shows, in one or two sentences."""
    draw: Callable[[], bytes]
    """Draws the SVG (without title and description)."""

    def file_name(self, slug: str) -> str:
        return f"{slug}-{self.name}.svg"

    def svg(self) -> bytes:
        """The SVG with its ``<title>`` and ``<desc>`` as the first children of ``<svg>``."""
        raw = self.draw()
        start = raw.index(b"<svg")  # after the XML declaration and the doctype
        end = raw.index(b">", start) + 1
        meta = f"<title>{html.escape(self.title)}</title><desc>{html.escape(self.alt)}</desc>".encode()
        svg_tag = raw[start:end].replace(b"<svg ", b'<svg role="img" ', 1)
        return raw[:start] + svg_tag + meta + raw[end:]


def _figure(width: float, height: float) -> Figure:
    import matplotlib

    matplotlib.use("Agg")  # no display; SVG only
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(
        {
            "svg.hashsalt": SALT,
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.edgecolor": INK,
            "text.color": INK,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
        }
    )
    return Figure(figsize=(width, height))


def _save(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return out.getvalue()


# --------------------------------------------------------------------------- the charts


def pyramid(data: HandbookData, lang: str) -> Chart | None:
    """Measures per level, the universal level at the base, the indicated at the top (None without measures)."""
    if not data.municipality.measures:
        return None
    counts = [sum(1 for m in data.municipality.measures if m.level == lv) for lv in LEVELS]
    names = [data.levels[lv].name for lv in LEVELS]
    title = tr(lang, "chart.pyramid.title")
    parts = [tr(lang, "summary.level", n=n, level=name.lower()) for n, name in zip(counts, names, strict=True)]
    alt = tr(lang, "chart.pyramid.alt", n=sum(counts), levels="; ".join(parts))

    def draw() -> bytes:
        fig = _figure(6.0, 2.6)
        ax = fig.subplots()
        widest = max([*counts, 1])
        for row, (level, n, name) in enumerate(zip(LEVELS, counts, names, strict=True)):
            colour = data.levels[level].colour or "#777777"
            ax.barh(row, n, left=-n / 2, height=0.8, color=colour, edgecolor=INK, linewidth=0.6 if n else 0)
            ax.text(widest / 2 + widest * 0.04, row, f"{name}: {n}", va="center", ha="left")
        ax.set_xlim(-widest / 2 - widest * 0.05, widest * 1.25)
        ax.set_ylim(-0.6, len(LEVELS) - 0.4)
        ax.set_axis_off()
        return _save(fig)

    return Chart("tiltak-per-niva", title, alt, draw)


def coverage(trace: Trace, lang: str) -> Chart:
    """Each coverage figure as a bar of its percentage, with the count written at its end."""
    figures = list(trace.figures)
    labels = [tr(lang, f"trace.figure.{f.key}") for f in figures]
    values = [tr(lang, "trace.figures.value", covered=f.covered, total=f.total) for f in figures]
    title = tr(lang, "chart.coverage.title")
    alt = tr(
        lang,
        "chart.coverage.alt",
        figures="; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True)),
    )

    def draw() -> bytes:
        import textwrap

        fig = _figure(7.0, 0.42 * len(figures) + 0.8)
        ax = fig.subplots()
        rows = list(range(len(figures)))[::-1]
        ax.barh(rows, [100] * len(figures), color="#e6e6e6", height=0.6)
        ax.barh(rows, [f.percent for f in figures], color=COVERED, height=0.6)
        for row, f, value in zip(rows, figures, values, strict=True):
            ax.text(101, row, f"{value} ({f.percent} %)", va="center", ha="left", fontsize=8)
        ax.set_yticks(rows, [textwrap.fill(label, 42) for label in labels], fontsize=8)
        ax.set_xlim(0, 135)
        ax.set_xticks([0, 50, 100], ["0 %", "50 %", "100 %"])
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _save(fig)

    return Chart("dekning", title, alt, draw)


def duty_heatmap(data: HandbookData, trace: Trace, lang: str) -> Chart | None:
    """Duty × service: the count of measures per cell; a missing cell is hatched and marked ×."""
    services, duties = trace.matrix_services, trace.matrix_duties
    if not services or not duties:
        return None
    title = tr(lang, "chart.duties.title")
    cells = {(s, d): trace.pair_measures.get((s, d)) for s in services for d in duties}
    missing = [(s, d) for (s, d), v in cells.items() if v is not None and not v]
    covered = [(s, d) for (s, d), v in cells.items() if v]
    missing_text = "; ".join(
        f"{data.services[s].name} – {data.duty_citation(data.duties[d])}" for s, d in missing
    ) or tr(lang, "chart.duties.alt.none")
    alt = tr(
        lang,
        "chart.duties.alt",
        services=len(services),
        duties=len(duties),
        covered=len(covered),
        missing=len(missing),
        cells=missing_text,
    )

    def draw() -> bytes:
        import textwrap

        from matplotlib.patches import Rectangle

        fig = _figure(0.55 * len(duties) + 3.2, 0.26 * len(services) + 1.6)
        ax = fig.subplots()
        top = max([len(v) for v in cells.values() if v] or [1])
        for row, s in enumerate(services):
            for col, d in enumerate(duties):
                v = cells[(s, d)]
                if v is None:  # the section does not bind the service
                    face, text, hatch, colour = "white", "–", None, "#666666"
                elif not v:
                    face, text, hatch, colour = "#f6d5da", "×", "////", MISSING
                else:
                    shade = 0.25 + 0.6 * len(v) / top
                    face, text, hatch = (1 - shade * 0.9, 1 - shade * 0.6, 1 - shade * 0.25), str(len(v)), None
                    colour = "white" if shade > 0.55 else INK
                ax.add_patch(
                    Rectangle((col, row), 1, 1, facecolor=face, edgecolor="#999999", linewidth=0.4, hatch=hatch)
                )
                ax.text(col + 0.5, row + 0.5, text, ha="center", va="center", fontsize=8, color=colour)
        ax.set_xlim(0, len(duties))
        ax.set_ylim(len(services), 0)
        ax.set_xticks(
            [c + 0.5 for c in range(len(duties))],
            [data.duty_citation(data.duties[d]) for d in duties],
            rotation=55,
            ha="left",
            fontsize=8,
        )
        ax.xaxis.tick_top()
        ax.set_yticks([r + 0.5 for r in range(len(services))], [data.services[s].name for s in services], fontsize=8)
        ax.tick_params(length=0)
        ax.text(0, len(services) + 0.6, textwrap.fill(tr(lang, "chart.duties.key"), 90), va="top", fontsize=8)
        return _save(fig)

    return Chart("plikt-tjeneste", title, alt, draw)


def report_charts(data: HandbookData, trace: Trace, lang: str) -> list[Chart]:
    """The report's charts, in page order (without the heat map when no service is bound)."""
    charts = [pyramid(data, lang), coverage(trace, lang), duty_heatmap(data, trace, lang)]
    return [c for c in charts if c is not None]


def write_charts(outdir: Path, data: HandbookData, trace: Trace, lang: str) -> list[Path]:
    """Write every chart to ``outdir/_charts/``; unchanged files are left alone (same bytes)."""
    folder = outdir / CHART_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for chart in report_charts(data, trace, lang):
        path = folder / chart.file_name(data.slug)
        svg = chart.svg()
        if not path.exists() or path.read_bytes() != svg:
            path.write_bytes(svg)
        written.append(path)
    return written
