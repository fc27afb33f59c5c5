"""``indicator-table`` and ``indicator-chart``: the local picture (utfordringsbilde) from ``indicators.yaml``.

The chart is an SVG written at build time (no plotting library): one bar per percentage
indicator, and a paler bar for the earlier value where the plan gives one. It is inline
SVG with ``role="img"``, a title and a description; the table is the full text alternative.
"""

from __future__ import annotations

import textwrap
from html import escape

from docutils import nodes

from ...core.models import Indicator
from ..base import DataDirective
from ..nodes import table

BAR = "#1f5f8b"  # 6.9:1 on white
PREVIOUS = "#8fb3cc"  # 2.3:1 as a fill; it is labelled in text and never carries meaning alone
TEXT = "#1a1a1a"


def format_number(value: float) -> str:
    """Norwegian number format: decimal comma, no trailing ',0'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_value(ind: Indicator, value: float | None = None) -> str:
    value = ind.value if value is None else value
    return f"{format_number(value)} %" if ind.unit == "%" else f"{format_number(value)} {ind.unit}"


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def chart_svg(indicators: list[Indicator], title: str, desc: str, svg_id: str, previous_label: str) -> str:
    """A horizontal bar chart, 0–100 %, as an SVG string. Deterministic: same data, same bytes."""
    width, left, right = 600, 4, 110
    scale = (width - left - right) / 100
    y = 10
    parts: list[str] = []
    for ind in indicators:
        for line in _wrap(ind.label, 64):
            y += 18
            parts.append(f'<text x="{left}" y="{y}" font-size="14" fill="{TEXT}">{escape(line)}</text>')
        year = f" ({ind.year})" if ind.year else ""
        y += 8
        w = max(ind.value * scale, 1)
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="18" fill="{BAR}"/>')
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 14}" font-size="14" font-weight="bold" fill="{TEXT}">'
            f"{escape(format_value(ind))}{escape(year)}</text>"
        )
        y += 18
        if ind.previous_value is not None:
            y += 4
            pw = max(ind.previous_value * scale, 1)
            parts.append(f'<rect x="{left}" y="{y}" width="{pw:.1f}" height="12" fill="{PREVIOUS}"/>')
            prev = previous_label.format(value=format_value(ind, ind.previous_value), year=ind.previous_year or "")
            parts.append(
                f'<text x="{left + pw + 6:.1f}" y="{y + 11}" font-size="13" fill="{TEXT}">{escape(prev)}</text>'
            )
            y += 12
        y += 10
    height = y + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" viewBox="0 0 {width} {height}"'
        f' width="100%" aria-labelledby="{svg_id}-title {svg_id}-desc" font-family="DejaVu Sans, Arial, sans-serif">'
        f'<title id="{svg_id}-title">{escape(title)}</title><desc id="{svg_id}-desc">{escape(desc)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


class IndicatorTable(DataDirective):
    """Every indicator, grouped as the plan groups them, with value, year, earlier value and source."""

    def render(self) -> list[nodes.Node]:
        indicators = self.data.municipality.indicators
        out: list[nodes.Node] = []
        groups: dict[str, list[Indicator]] = {}
        for ind in indicators:
            groups.setdefault(ind.group, []).append(ind)
        headers = [
            self.t("indicator.label"),
            self.t("indicator.value"),
            self.t("indicator.year"),
            self.t("indicator.previous"),
            self.t("indicator.source"),
        ]
        for group, items in groups.items():
            rows = [
                [
                    ind.label,
                    format_value(ind),
                    str(ind.year) if ind.year else self.t("indicator.year.none"),
                    (
                        self.t(
                            "indicator.previous.value",
                            value=format_value(ind, ind.previous_value),
                            year=ind.previous_year or "",
                        )
                        if ind.previous_value is not None
                        else "–"
                    ),
                    ind.source,
                ]
                for ind in items
            ]
            out.append(table(group, headers, rows, classes=["indicator-table"]))
        return out


class IndicatorChart(DataDirective):
    """A bar chart of the percentage indicators, written as inline SVG at build time."""

    def render(self) -> list[nodes.Node]:
        percent = [i for i in self.data.municipality.indicators if i.unit == "%"]
        if not percent:
            return []
        title = self.t("indicator.chart.title")
        desc = self.t(
            "indicator.chart.desc",
            items="; ".join(f"{i.label}: {format_value(i)}" for i in percent),
        )
        svg = chart_svg(percent, title, desc, "indikatorer", self.t("indicator.chart.previous"))
        figure = nodes.figure(classes=["indicator-figure"])
        figure += nodes.raw("", svg, format="html")
        caption = self.t("indicator.chart.caption")
        figure += nodes.caption(caption, caption)
        return [figure]
