"""Two small SVG charts for the HTML feedback, drawn from plain data (no plotting library).

Cheap enough to draw for every submission of a class: a few kilobytes of text each. Every text
is at least ``FONT`` px (titles and legends are wrapped to fit), and each figure carries an
alt text (``aria-label`` and ``<title>``) that says what the data shows, built from the data:
the range of a curve, where the boundary puts the marked points. A third, ``bar_chart`` (a
histogram, with the count of every bin in its alt text), draws the class report's scores.
"""

import math
import textwrap
from html import escape

W = 460
FONT = 12  # the smallest text in a figure, px: ticks, axis labels, legends
TITLE_FONT = 13
LINE = 16  # px between two lines of wrapped text
CHAR_EM = 0.6  # a generous width of one character, in em, to wrap text before the edge
MAX_POINTS = W  # never more points on a curve than pixels across


def _wrap(text, size, width=W - 24):
    return textwrap.wrap(text, max(10, int(width / (CHAR_EM * size)))) or [""]


def _text(x, y, text, size=FONT, anchor="middle", extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _frame(title_lines, alt, height, body):
    head = "".join(
        _text(W / 2, 18 + i * LINE, line, TITLE_FONT, extra=' font-weight="600"')
        for i, line in enumerate(title_lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height:.0f}" '
        f'viewBox="0 0 {W} {height:.0f}" role="img" aria-label="{escape(alt)}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f"<title>{escape(alt)}</title>"
        f'<rect width="{W}" height="{height:.0f}" fill="white"/>'
        f"{head}{body}</svg>"
    )


def _axes(box, y_ticks, x_ticks):
    """The two axes of a chart in ``box`` = (left, right, top, bottom), the y ticks at
    ``[(y pixel, label)]`` and the x ticks' markup."""
    left, right, top, bottom = box
    return (
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="black"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="black"/>'
        + "".join(
            f'<line x1="{left - 4}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="black"/>'
            + _text(left - 7, y + 4, label, anchor="end")
            for y, label in y_ticks
        )
        + x_ticks
    )


def _labels(box, xlabel, ylabel):
    """The axis labels of a chart in ``box``: x below, y turned along the left edge."""
    left, right, top, bottom = box
    middle = (top + bottom) / 2
    return _text((left + right) / 2, bottom + 38, xlabel) + _text(
        14, middle, ylabel, extra=f' transform="rotate(-90 14 {middle:.1f})"'
    )


def number(value):
    """A value for people: an integer as such, else three significant digits."""
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    return f"{value:.3g}"


def _plural(word, count):
    return word if count == 1 or not word else f"{word}s"


def nice_ticks(lo, hi, count=4):
    """Round tick values from at most ``lo`` to at least ``hi``: about ``count`` steps of
    1, 2 or 5 times a power of ten."""
    if not hi > lo:
        hi = lo + 1.0
    if not math.isfinite(hi - lo) or hi - lo < 1e-300:  # no round steps at these extremes
        return [lo, hi]
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw))  # a float: an int power could pass 1.8e308
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    ticks = [round(k * step, 12) for k in range(first, last + 1)]
    return ticks if all(map(math.isfinite, ticks)) else [lo, hi]


def describe_line(series, title, xlabel="", ylabel=""):
    """The alt text of a line chart: what is plotted over how many steps, from where to where,
    and its lowest or highest value when that is not at an end."""
    unit = xlabel or "step"
    values = [(i + 1, float(y)) for i, y in enumerate(series) if y is not None]
    values = [(x, y) for x, y in values if math.isfinite(y)]
    what = f"{ylabel} over" if ylabel else "values over"
    text = f"Line chart: {title}: {what} {len(series)} {_plural(unit, len(series))}"
    if not values:
        return f"{text}, none of them a finite value."
    (x_first, first), (x_last, last) = values[0], values[-1]
    text += f", from {number(first)} ({unit} {x_first}) to {number(last)} ({unit} {x_last})"
    x_low, low = min(values, key=lambda p: p[1])
    x_high, high = max(values, key=lambda p: p[1])
    if low < min(first, last):
        text += f", lowest {number(low)} at {unit} {x_low}"
    if high > max(first, last):
        text += f", highest {number(high)} at {unit} {x_high}"
    missing = len(series) - len(values)
    if missing:
        text += f"; {missing} {_plural(unit, missing)} without a finite value"
    return text + "."


# the curves of a line chart, in order: colour, dash pattern ("" for a solid line)
CURVE_STYLES = (("#1f77b4", ""), ("#555555", "6 4"), ("#d62728", "2 3"))


def line_chart(series, title, xlabel="", ylabel="", curves=None):
    """``series``: y values (None for a gap), plotted against their index + 1. ``curves``:
    several labelled series instead, ``[(label, values), ...]``, drawn on the same axes with
    a legend (the first solid, the next ones dashed)."""
    curves = list(curves) if curves else [("", series)]
    alt = " ".join(
        describe_line(values, f"{title}: {label}" if label else title, xlabel, ylabel)
        for label, values in curves
    )
    title_lines = _wrap(title, TITLE_FONT)
    left, right = 72, W - 24
    top = 18 + len(title_lines) * LINE + 8
    bottom = top + 190
    labelled = [(k, label) for k, (label, _) in enumerate(curves) if label]
    legend_lines = [line for _, label in labelled for line in _wrap(label, FONT, W - 80)]
    height = bottom + 46 + (len(legend_lines) * LINE + 6 if labelled else 0)
    longest = max(len(values) for _, values in curves)
    step = max(1, -(-longest // MAX_POINTS))
    drawn = [
        [
            (i + 1, float(y))
            for i, y in enumerate(values)
            if y is not None and i % step == 0 and math.isfinite(float(y))
        ]
        for _, values in curves
    ]
    ys = [y for points in drawn for _, y in points]
    if not ys:
        return _frame(title_lines, alt, height, _text(W / 2, top + 90, "no finite values"))
    x0, x1 = 1, max(longest, 2)
    y_ticks = nice_ticks(min(0.0, min(ys)), max(ys))
    y0, y1 = y_ticks[0], y_ticks[-1]

    def sx(x):
        return left + (x - x0) / (x1 - x0) * (right - left)

    def sy(y):
        return bottom - (y - y0) / (y1 - y0) * (bottom - top)

    box = (left, right, top, bottom)
    x_ticks = "".join(
        f'<line x1="{sx(x):.1f}" y1="{bottom}" x2="{sx(x):.1f}" y2="{bottom + 4}" stroke="black"/>'
        + _text(sx(x), bottom + 18, str(x))
        for x in sorted({x0, (x0 + x1) // 2, x1})
    )
    axes = _axes(box, [(sy(y), number(y)) for y in y_ticks], x_ticks)
    axes += _labels(box, xlabel, ylabel)
    lines = ""
    for k, points in reversed(list(enumerate(drawn))):  # the first curve on top
        colour, dash = CURVE_STYLES[k % len(CURVE_STYLES)]
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points)
        )
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        if path:
            lines += f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{pattern}/>'
    legend, row = "", bottom + 52
    for k, label in labelled:
        colour, dash = CURVE_STYLES[k % len(CURVE_STYLES)]
        pattern = f' stroke-dasharray="{dash}"' if dash else ""
        legend += (
            f'<line x1="{left - 40}" y1="{row - 4}" x2="{left - 8}" y2="{row - 4}" '
            f'stroke="{colour}" stroke-width="2"{pattern}/>'
        )
        for line in _wrap(label, FONT, W - 80):
            legend += _text(left, row, line, anchor="start")
            row += LINE
    return _frame(title_lines, alt, height, axes + lines + legend)


def _colour(p):
    """White at 0.5, red towards 1, blue towards 0 (matplotlib's "RdBu_r", as in the handouts:
    class 1 red, class 0 blue)."""
    p = min(max(p, 0.0), 1.0)
    if p >= 0.5:
        t = (p - 0.5) * 2
        return f"rgb({int(255 - 77 * t)},{int(255 - 231 * t)},{int(255 - 212 * t)})"
    t = (0.5 - p) * 2
    return f"rgb({int(255 - 222 * t)},{int(255 - 153 * t)},{int(255 - 83 * t)})"


def _value(v):
    """A grid value as a float in [0, 1] for colour, NaN when it is none."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v if math.isfinite(v) else math.nan


def _nearest(axis, x):
    return min(range(len(axis)), key=lambda k: abs(axis[k] - x))


def describe_heatmap(grid, axis, points, title):
    """The alt text of a heat map: where the output is above 0.5, and its value at each marked
    point, with how many of them are on the side of 0.5 their label (0 or 1) asks for."""
    n = len(axis)
    values = [_value(grid[i][j]) for i in range(n) for j in range(n)]
    above = sum(v > 0.5 for v in values)
    lo, hi = number(axis[0]), number(axis[-1])
    text = (
        f"Heat map: {title}: the output over x and y from {lo} to {hi}, above 0.5 on "
        f"{round(100 * above / max(1, len(values)))}% of the square"
    )
    if not points:
        return text + "."
    marks, right = [], 0
    binary = all(str(label) in ("0", "1") for _, _, label in points)
    for x, y, label in points:
        v = _value(grid[_nearest(axis, y)][_nearest(axis, x)])
        shown = "not a number" if math.isnan(v) else f"{v:.2f}"
        marks.append(f"({number(x)}, {number(y)}), label {label}: {shown}")
        right += binary and not math.isnan(v) and (v > 0.5) == (str(label) == "1")
    text += "; output at the marked points: " + "; ".join(marks)
    if binary:
        text += f"; {right} of {len(points)} on the side of 0.5 their label asks for"
    return text + "."


def heatmap(grid, axis, points, title, legend=""):
    """``grid[i][j]`` is the output at (axis[j], axis[i]); ``points`` are (x, y, label)."""
    alt = describe_heatmap(grid, axis, points, title)
    title_lines = _wrap(title, TITLE_FONT)
    n = len(axis)
    size = 220
    cell = size / n
    left, top = (W - size) / 2, 18 + len(title_lines) * LINE + 8
    lo, hi = axis[0], axis[-1]
    legend_lines = _wrap(legend, FONT) if legend else []
    height = top + size + 28 + len(legend_lines) * LINE

    def sx(x):
        return left + (x - lo) / (hi - lo) * size

    def sy(y):
        return top + size - (y - lo) / (hi - lo) * size

    def colour(v):
        v = _value(v)
        return "rgb(200,200,200)" if math.isnan(v) else _colour(v)

    cells = "".join(
        f'<rect x="{left + j * cell:.1f}" y="{top + size - (i + 1) * cell:.1f}" '
        f'width="{cell + 0.3:.1f}" height="{cell + 0.3:.1f}" fill="{colour(grid[i][j])}"/>'
        for i in range(n)
        for j in range(n)
    )

    def wrong(x, y, label):
        """A point of label 0 or 1 on the other side of 0.5 (or where the output is none)."""
        if str(label) not in ("0", "1"):
            return False
        v = _value(grid[_nearest(axis, y)][_nearest(axis, x)])
        return math.isnan(v) or (v > 0.5) != (str(label) == "1")

    marks = "".join(
        f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="10" fill="white" stroke="black"'
        + (' stroke-width="4"/>' if wrong(x, y, label) else "/>")
        + _text(sx(x), sy(y) + 4, str(label))
        for x, y, label in points
    )
    axis_text = (
        _text(left, top + size + 16, number(lo))
        + _text(left + size, top + size + 16, number(hi))
        + _text(left - 6, top + 4, number(hi), anchor="end")
        + _text(left - 6, top + size, number(lo), anchor="end")
    )
    note = "".join(
        _text(W / 2, top + size + 36 + k * LINE, line) for k, line in enumerate(legend_lines)
    )
    return _frame(title_lines, alt, height, cells + marks + axis_text + note)


def render_or_note(figure):
    """``render(figure)``, or a short note when the figure cannot be drawn: the figures are
    drawn from a student's numbers, and one odd number must cost that picture only."""
    try:
        return render(figure)
    except Exception as error:  # noqa: BLE001 - whatever the data, the page is written
        title = escape(str(figure.get("title", "a figure"))[:200])
        return f"<p class='note'>{title}: not drawn ({escape(type(error).__name__)}).</p>"


def render(figure):
    if figure["kind"] == "line":
        return line_chart(
            figure.get("series", []),
            figure["title"],
            figure.get("xlabel", ""),
            figure.get("ylabel", ""),
            figure.get("curves"),
        )
    if figure["kind"] == "heatmap":
        return heatmap(
            figure["grid"],
            figure["axis"],
            figure["points"],
            figure["title"],
            figure.get("legend", ""),
        )
    raise ValueError(f"unknown figure kind {figure['kind']!r}")


def describe_bars(counts, edges, title, xlabel="", ylabel=""):
    """The alt text of a histogram: how many values in all, where most of them are, and the
    count of every bin (the last one holds its upper edge too)."""
    unit = ylabel or "values"
    what = f" of {xlabel}" if xlabel else ""
    bins = [f"{number(lo)} to {number(hi)}" for lo, hi in zip(edges, edges[1:])]
    text = (
        f"Bar chart: {title}: {sum(counts)} {unit} in {len(counts)} bins{what} "
        f"from {number(edges[0])} to {number(edges[-1])}"
    )
    if sum(counts):
        top = max(counts)
        modes = [b for b, c in zip(bins, counts) if c == top]
        text += f"; most ({top}) in {' and '.join(modes[:3])}{' and more' * (len(modes) > 3)}"
    return text + "; per bin: " + ", ".join(f"{b}: {c}" for b, c in zip(bins, counts)) + "."


def bar_chart(counts, edges, title, xlabel="", ylabel=""):
    """A histogram: bar ``k`` stands for the ``counts[k]`` values between ``edges[k]`` and
    ``edges[k + 1]`` (len(edges) == len(counts) + 1), with its count above it."""
    alt = describe_bars(counts, edges, title, xlabel, ylabel)
    title_lines = _wrap(title, TITLE_FONT)
    left, right = 72, W - 24
    top = 18 + len(title_lines) * LINE + 8 + LINE  # a line of room for the counts above bars
    bottom = top + 190
    height = bottom + 46
    y_ticks = [t for t in nice_ticks(0, max(max(counts, default=0), 1)) if t == int(t)]
    y1 = y_ticks[-1]
    slot = (right - left) / max(1, len(counts))

    def sy(y):
        return bottom - y / y1 * (bottom - top)

    bars = "".join(
        f'<rect x="{left + k * slot + 1.5:.1f}" y="{sy(c):.1f}" width="{max(1.0, slot - 3):.1f}" '
        f'height="{bottom - sy(c):.1f}" fill="#1f77b4"/>'
        + _text(left + (k + 0.5) * slot, sy(c) - 5, str(c))
        for k, c in enumerate(counts)
        if c
    )
    # every edge labelled when the labels fit side by side, else every second, third...
    widest = max((len(number(e)) for e in edges), default=1) * CHAR_EM * FONT + 6
    every = max(1, math.ceil(widest / slot))
    x_ticks = "".join(
        f'<line x1="{left + k * slot:.1f}" y1="{bottom}" x2="{left + k * slot:.1f}" '
        f'y2="{bottom + 4}" stroke="black"/>'
        + (_text(left + k * slot, bottom + 18, number(e)) if k % every == 0 else "")
        for k, e in enumerate(edges)
    )
    axes = _axes((left, right, top, bottom), [(sy(y), number(y)) for y in y_ticks], x_ticks)
    return _frame(
        title_lines, alt, height, axes + _labels((left, right, top, bottom), xlabel, ylabel) + bars
    )
