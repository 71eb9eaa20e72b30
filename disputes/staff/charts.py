"""Server-rendered SVG bar charts (no JavaScript, no CDN) with their numbers printed on the bars."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = 22
GAP = 8
LABEL_W = 150
WIDTH = 640


def bar_chart(title: str, rows: Sequence[tuple[str, float | int]], unit: str = "") -> Markup:
    """Return a horizontal bar chart: one labelled bar per (label, value), value printed."""
    top = max((float(v) for _l, v in rows), default=0) or 1
    height = len(rows) * (BAR + GAP) + GAP
    span = WIDTH - LABEL_W - 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        w = max(1.0, float(value) / top * span)
        parts.append(
            f'<text class="chart__label" x="{LABEL_W - 8}" y="{y + BAR * 0.7}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart__bar" x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR}"/>'
            f'<text class="chart__value" x="{LABEL_W + w + 6:.1f}" y="{y + BAR * 0.7}">'
            f"{escape(_fmt(value))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(title: str, rows: Sequence[tuple[str, int]]) -> Markup:
    """Return a vertical column chart (months along the bottom), value above each column."""
    top = max((v for _l, v in rows), default=0) or 1
    n = max(len(rows), 1)
    slot = (WIDTH - 20) / n
    plot = 180
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {plot + 50}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="chart__axis" x1="10" y1="{plot + 20}" x2="{WIDTH - 10}" y2="{plot + 20}"/>',
    ]
    for i, (label, value) in enumerate(rows):
        h = value / top * plot
        x = 10 + i * slot + slot * 0.15
        parts.append(
            f'<rect class="chart__bar" x="{x:.1f}" y="{plot + 20 - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}"/>'
            f'<text class="chart__value" x="{x + slot * 0.35:.1f}" y="{plot + 16 - h:.1f}" '
            f'text-anchor="middle">{value}</text>'
            f'<text class="chart__label" x="{x + slot * 0.35:.1f}" y="{plot + 38}" '
            f'text-anchor="middle">{escape(label[2:] if len(label) == 7 else label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _fmt(value: float | int) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.1f}"
