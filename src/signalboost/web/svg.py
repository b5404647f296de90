"""Server-side SVG charts for the dashboard: no JavaScript, no CDN, every label escaped.

Each function returns :class:`markupsafe.Markup` holding one ``<svg role="img">`` with a ``<title>`` (read by
screen readers) and a ``<desc>`` giving the sample size. Text from the data (handles, pillar names) is escaped
with :func:`markupsafe.escape`, so a name like ``<script>`` is drawn as text, never run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from signalboost.i18n import _

PALETTE: tuple[str, ...] = ("#1f5fa8", "#b3541e", "#2e7d32", "#7b3fa0", "#a61b4a", "#00796b", "#6d5d00", "#455a64")
"""Colour-blind-aware palette with at least 4.5:1 contrast on white (text on these uses white)."""

SEGMENT_COLOURS: dict[str, str] = {
    "advocate": "#2e7d32",
    "untapped": "#b3541e",
    "fan": "#1f5fa8",
    "thought_leader": "#7b3fa0",
    "other": "#6b6b6b",
}


def colour(index: int) -> str:
    """The palette colour for the ``index``-th series (cycles)."""
    return PALETTE[index % len(PALETTE)]


def _fmt(value: float | None, digits: int = 3) -> str:
    """A value on a chart in the page's locale (Babel): ``digits`` significant digits, whole numbers from 1,000."""
    from signalboost.i18n import format_significant

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    return format_significant(value, digits=digits)


def percent(value: float | None) -> str:
    """A rate (a fraction) as a percentage with 2 decimals in the page's locale: ``0.0262`` → ``2.62%``/``2,62 %``."""
    from signalboost.i18n import format_percent

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    return format_percent(value, digits=2)


def _open(width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart" '
        f'preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title><desc>{escape(desc)}</desc>'
    )


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    counts: Sequence[Sequence[int]] | None = None,
    left: int = 44,
    fmt: Callable[[float | None], str] | None = None,
) -> Markup:
    """A grid (e.g. weekday × hour) shaded from light to dark by value; empty cells hatched grey. ``left`` is the
    room for the row labels (wider for page names); ``fmt`` writes a value (default: 3 significant digits; a rate
    is given :func:`percent` so its cells read ``2,62 %`` as the tables do).

    Shade = (value - min) / (max - min) over the non-empty cells, mapped to the blue ramp of :data:`PALETTE`.
    """
    cell, top = 22, 22
    width, height = left + cell * len(col_labels) + 8, top + cell * len(row_labels) + 8
    flat = [v for row in values for v in row if v is not None and not math.isnan(v)]
    lo, hi = (min(flat), max(flat)) if flat else (0.0, 1.0)
    span = (hi - lo) or 1.0
    n_total = sum(sum(r) for r in counts) if counts else len(flat)
    desc = _("{n} cells with data; sample size {total}").format(n=len(flat), total=n_total)
    parts = [_open(width, height, title, desc)]
    for j, label in enumerate(col_labels):
        if len(col_labels) <= 12 or j % 3 == 0:
            x = left + j * cell + cell / 2
            parts.append(f'<text x="{x:.0f}" y="15" class="axis" text-anchor="middle">{escape(label)}</text>')
    for i, label in enumerate(row_labels):
        y = top + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + 15}" class="axis" text-anchor="end">{escape(label)}</text>')
        for j in range(len(col_labels)):
            v = values[i][j] if j < len(values[i]) else None
            n = counts[i][j] if counts else None
            x = left + j * cell
            if v is None or math.isnan(v):
                fill, tip = "#eeeeee", _("{row} {column}: no data").format(row=row_labels[i], column=col_labels[j])
            else:
                t = (v - lo) / span
                light = int(95 - 60 * t)
                fill = f"hsl(212,60%,{light}%)"
                tip = f"{row_labels[i]} {col_labels[j]}: {(fmt or _fmt)(v)}" + (f" (n={n})" if n is not None else "")
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(
    xs: Sequence[float],
    ys: Sequence[float | None],
    *,
    title: str,
    x_label: str,
    y_label: str,
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
    counts: Sequence[int] | None = None,
) -> Markup:
    """A line with points (and an interval band when ``lower``/``upper`` are given)."""
    width, height, left, bottom, top, right = 420, 220, 52, 36, 12, 12
    pts = [(x, y) for x, y in zip(xs, ys, strict=False) if y is not None]
    n_total = sum(counts) if counts else len(pts)
    parts = [_open(width, height, title, _("{n} points; sample size {total}").format(n=len(pts), total=n_total))]
    if not pts:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">not enough data</text></svg>')
        return Markup("".join(parts))
    band_vals = [v for v in [*(lower or []), *(upper or [])] if v is not None]
    y_all = [y for _, y in pts] + band_vals
    x0, x1 = min(x for x, _ in pts), max(x for x, _ in pts)
    y0, y1 = min(0.0, *y_all), max(y_all)
    xs_span, ys_span = (x1 - x0) or 1.0, (y1 - y0) or 1.0

    def px(x: float) -> float:
        return left + (x - x0) / xs_span * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (y - y0) / ys_span * (height - top - bottom)

    parts.append(_axes(width, height, left, bottom, top, x_label, y_label, (x0, x1), (y0, y1)))
    if lower is not None and upper is not None:
        band = [(x, lo, hi) for x, lo, hi in zip(xs, lower, upper, strict=False) if lo is not None and hi is not None]
        if band:
            path = " ".join(f"{px(x):.1f},{py(hi):.1f}" for x, _, hi in band)
            path += " " + " ".join(f"{px(x):.1f},{py(lo):.1f}" for x, lo, _ in reversed(band))
            parts.append(f'<polygon points="{path}" fill="#1f5fa8" fill-opacity="0.15" stroke="none"/>')
    line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for k, (x, y) in enumerate(pts):
        n = f" (n={counts[k]})" if counts and k < len(counts) else ""
        parts.append(
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="#1f5fa8">'
            f"<title>{escape(f'{x_label} {_fmt(x)}: {_fmt(y)}{n}')}</title></circle>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _axes(
    width: int,
    height: int,
    left: int,
    bottom: int,
    top: int,
    x_label: str,
    y_label: str,
    xr: tuple[float, float],
    yr: tuple[float, float],
) -> str:
    base = height - bottom
    return (
        f'<line x1="{left}" y1="{base}" x2="{width - 8}" y2="{base}" class="ax"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base}" class="ax"/>'
        f'<text x="{left}" y="{base + 14}" class="axis">{escape(_fmt(xr[0]))}</text>'
        f'<text x="{width - 10}" y="{base + 14}" class="axis" text-anchor="end">{escape(_fmt(xr[1]))}</text>'
        f'<text x="{left - 4}" y="{base}" class="axis" text-anchor="end">{escape(_fmt(yr[0]))}</text>'
        f'<text x="{left - 4}" y="{top + 8}" class="axis" text-anchor="end">{escape(_fmt(yr[1]))}</text>'
        f'<text x="{(left + width) / 2:.0f}" y="{height - 4}" class="axis" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="12" y="{(top + base) / 2:.0f}" class="axis" text-anchor="middle" '
        f'transform="rotate(-90 12 {(top + base) / 2:.0f})">{escape(y_label)}</text>'
    )


@dataclass
class Bar:
    """One bar: label, value, optional target marker, optional sample size, optional interval."""

    label: str
    value: float | None
    target: float | None = None
    n: int | None = None
    low: float | None = None
    high: float | None = None


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    fmt: Callable[[float | None], str] | None = None,
) -> Markup:
    """Horizontal bars with an optional target tick and interval whisker per bar; ``fmt`` writes a value (as in
    :func:`heatmap`; ``unit`` is appended to the default's figures only)."""

    def show(value: float | None) -> str:
        return fmt(value) if fmt is not None else _fmt(value) + unit

    row, left, right = 26, 110, 96
    width, height = 420, 16 + row * max(1, len(bars))
    vals = [v for b in bars for v in (b.value, b.target, b.high) if v is not None]
    top_v = max_value or (max(vals) if vals else 1.0) or 1.0
    n_total = sum(b.n or 0 for b in bars)
    parts = [_open(width, height, title, _("{n} bars; sample size {total}").format(n=len(bars), total=n_total))]
    scale = (width - left - right) / top_v
    for i, b in enumerate(bars):
        y = 8 + i * row
        parts.append(f'<text x="{left - 6}" y="{y + 14}" class="axis" text-anchor="end">{escape(b.label[:18])}</text>')
        if b.value is not None:
            w = max(0.0, b.value) * scale
            parts.append(
                f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 10}" fill="{colour(i)}">'
                f"<title>{escape(f'{b.label}: {show(b.value)}')}</title></rect>"
            )
        if b.low is not None and b.high is not None:
            y_mid = y + 2 + (row - 10) / 2
            parts.append(
                f'<line x1="{left + b.low * scale:.1f}" y1="{y_mid}" x2="{left + b.high * scale:.1f}" '
                f'y2="{y_mid}" stroke="#222" stroke-width="1.5"/>'
            )
        if b.target is not None:
            tx = left + b.target * scale
            target = _("target {value}").format(value=show(b.target))
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + row - 6}" stroke="#111" stroke-width="2" '
                f'stroke-dasharray="3 2"><title>{escape(target)}</title></line>'
            )
        n = f" n={b.n}" if b.n is not None else ""
        parts.append(f'<text x="{width - right + 6}" y="{y + 14}" class="axis">{escape(show(b.value) + n)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Point:
    """One account on the influence × engagement chart."""

    x: float
    y: float
    label: str
    segment: str = "other"
    href: str | None = None


def scatter(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_threshold: float | None = None,
    y_threshold: float | None = None,
    log_y: bool = True,
) -> Markup:
    """Points coloured by segment with the two thresholds drawn as the quadrant lines.

    With ``log_y`` the y axis shows log10(1 + y), so a few very engaged accounts do not flatten the rest.
    """
    width, height, left, bottom, top = 440, 300, 52, 36, 12
    parts = [_open(width, height, title, _("{n} accounts").format(n=len(points)))]

    def ty(y: float) -> float:
        return math.log10(1 + max(0.0, y)) if log_y else y

    x0, x1 = 0.0, max([100.0, *(p.x for p in points)])
    ys = [ty(p.y) for p in points] + ([ty(y_threshold)] if y_threshold is not None else [])
    y0, y1 = 0.0, (max(ys) if ys else 1.0) or 1.0

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - 12)

    def py(y: float) -> float:
        return height - bottom - (ty(y) - y0) / (y1 - y0) * (height - top - bottom)

    y_name = f"log10(1 + {y_label})" if log_y else y_label
    parts.append(_axes(width, height, left, bottom, top, x_label, y_name, (x0, x1), (y0, y1)))
    if x_threshold is not None:
        parts.append(
            f'<line x1="{px(x_threshold):.1f}" y1="{top}" x2="{px(x_threshold):.1f}" y2="{height - bottom}" '
            'stroke="#555" stroke-dasharray="4 3"/>'
        )
    if y_threshold is not None:
        parts.append(
            f'<line x1="{left}" y1="{py(y_threshold):.1f}" x2="{width - 12}" y2="{py(y_threshold):.1f}" '
            'stroke="#555" stroke-dasharray="4 3"/>'
        )
    from signalboost.influence.words import segment_words

    tip = _("{label} ({segment}): influence {x}, engagement {y}")
    for p in points:
        fill = SEGMENT_COLOURS.get(p.segment, SEGMENT_COLOURS["other"])
        dot = (
            f'<circle cx="{px(p.x):.1f}" cy="{py(p.y):.1f}" r="4" fill="{fill}" fill-opacity="0.8">'
            f"<title>{escape(tip.format(label=p.label, segment=segment_words(p.segment), x=_fmt(p.x), y=_fmt(p.y)))}"
            "</title>"
            "</circle>"
        )
        parts.append(f'<a href="{escape(p.href)}">{dot}</a>' if p.href else dot)
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass
class Series:
    """One line of :func:`lines_chart`: a label and its ``(x, y, n)`` points (``x`` an index along the axis)."""

    label: str
    points: Sequence[tuple[int, float, int]]
    bold: bool = False


def lines_chart(series: Sequence[Series], x_labels: Sequence[str], *, title: str, y_label: str) -> Markup:
    """Several lines over shared categories (e.g. months), one colour each with a legend; the bold one (the brand)
    drawn thicker. Each point's tooltip gives its value and n."""
    width, left, bottom, top, right = 640, 56, 40, 12, 170
    height = max(230, 24 + 16 * len(series))
    n_total = sum(n for s in series for _, _, n in s.points)
    desc = _("{n} lines over {periods} periods; sample size {total}")
    parts = [_open(width, height, title, desc.format(n=len(series), periods=len(x_labels), total=n_total))]
    ys = [y for s in series for _, y, _ in s.points]
    if not ys or not x_labels:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">not enough data</text></svg>')
        return Markup("".join(parts))
    y1 = max(ys) or 1.0
    span = max(len(x_labels) - 1, 1)

    def px(i: float) -> float:
        return left + i / span * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - y / y1 * (height - top - bottom)

    parts.append(_axes(width - right + 8, height, left, bottom, top, "", y_label, (0, 0), (0.0, y1)))
    parts[-1] = parts[-1].replace(f'<text x="{left}" y="{height - bottom + 14}" class="axis">0</text>', "")
    for j in sorted({0, len(x_labels) - 1, *range(0, len(x_labels), max(1, len(x_labels) // 6))}):
        parts.append(
            f'<text x="{px(j):.0f}" y="{height - bottom + 14}" class="axis" text-anchor="middle">'
            f"{escape(x_labels[j])}</text>"
        )
    for k, s in enumerate(series):
        c = colour(k)
        pts = sorted(s.points)
        if len(pts) > 1:
            line = " ".join(f"{px(i):.1f},{py(y):.1f}" for i, y, _ in pts)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{c}" stroke-width="{3 if s.bold else 1.5}"/>')
        for i, y, n in pts:
            tip = f"{s.label}, {x_labels[i]}: {_fmt(y)} (n={n})"
            parts.append(
                f'<circle cx="{px(i):.1f}" cy="{py(y):.1f}" r="{3.5 if s.bold else 2.5}" fill="{c}">'
                f"<title>{escape(tip)}</title></circle>"
            )
        ly = top + 10 + 16 * k
        weight = ' font-weight="bold"' if s.bold else ""
        parts.append(
            f'<rect x="{width - right + 14}" y="{ly - 8}" width="10" height="10" fill="{c}"/>'
            f'<text x="{width - right + 28}" y="{ly + 1}" class="axis"{weight}>{escape(s.label[:26])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, float]]]], *, title: str) -> Markup:
    """Horizontal 100 % bars: per row label, the shares of its parts (e.g. a page's format mix), one colour per
    part name with a legend; each segment's tooltip gives its share."""
    names = sorted({name for _, parts_ in rows for name, _ in parts_})
    row, left, width = 22, 150, 640
    height = 34 + row * max(1, len(rows))
    parts = [_open(width, height, title, _("{n} rows; parts: {parts}").format(n=len(rows), parts=", ".join(names)))]
    scale = width - left - 16
    for k, name in enumerate(names):
        lx = left + k * 95
        parts.append(
            f'<rect x="{lx}" y="4" width="10" height="10" fill="{colour(k)}"/>'
            f'<text x="{lx + 14}" y="13" class="axis">{escape(name[:14])}</text>'
        )
    for i, (label, shares) in enumerate(rows):
        y = 24 + i * row
        parts.append(f'<text x="{left - 6}" y="{y + 13}" class="axis" text-anchor="end">{escape(label[:24])}</text>')
        x = float(left)
        for name, share in shares:
            w = max(0.0, share) * scale
            tip = f"{label}: {name} {100 * share:.0f} %"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{colour(names.index(name))}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))
