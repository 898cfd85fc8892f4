"""Charts drawn on the server as SVG: bars for a table, a line for the 12-month trend.

Plain markup with no script and no external resource, so the same SVG goes into the page
(under the CSP) and into the PDF (WeasyPrint draws inline SVG).
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 640
BAR_HEIGHT = 28
LABEL_WIDTH = 200
COLOURS = ("#0d5c9e", "#b42318", "#17663a", "#8a5300")


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(items: list[tuple[str, int]], title: str) -> Markup:
    """Return a horizontal bar chart of (label, count) pairs as an SVG element."""
    height = 30 + BAR_HEIGHT * max(len(items), 1)
    top = max([v for _l, v in items] + [1])
    span = WIDTH - LABEL_WIDTH - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
             f'<text x="0" y="16" font-size="18" font-weight="bold">{escape(title)}</text>']
    for index, (text, value) in enumerate(items):
        y = 26 + index * BAR_HEIGHT
        length = span * value / top
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 18}" font-size="16" '
                     f'text-anchor="end">{escape(text[:32])}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{_num(length)}" height="20" '
                     f'fill="{COLOURS[0]}"/>')
        parts.append(f'<text x="{_num(LABEL_WIDTH + length + 4)}" y="{y + 18}" '
                     f'font-size="16">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def line_chart(labels: list[str], series: list[tuple[str, list[int]]], title: str) -> Markup:
    """Return a line chart of several series over the same labels as an SVG element."""
    height, left, bottom, top_pad = 240, 40, 40, 30
    plot_w, plot_h = WIDTH - left - 30, height - bottom - top_pad
    top = max([v for _n, values in series for v in values] + [1])
    step = plot_w / max(len(labels) - 1, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
             f'<text x="0" y="16" font-size="18" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - 10}" '
             f'y2="{top_pad + plot_h}" stroke="#888"/>',
             f'<text x="{left - 4}" y="{top_pad + 4}" font-size="13" '
             f'text-anchor="end">{top}</text>']
    for index, text in enumerate(labels):
        x = left + index * step
        parts.append(f'<text x="{_num(x)}" y="{height - 22}" font-size="12" '
                     f'text-anchor="middle">{escape(text)}</text>')
    for number, (name, values) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = " ".join(f"{_num(left + i * step)},{_num(top_pad + plot_h - plot_h * v / top)}"
                          for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{points}"/>')
        parts.append(f'<text x="{left + number * 150}" y="{height - 4}" font-size="14" '
                     f'fill="{colour}">■ {escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
