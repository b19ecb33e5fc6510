"""Two small SVG charts for the HTML feedback, drawn from plain data (no plotting library).

Cheap enough to draw for every submission of a class: a few kilobytes of text each.
"""

from html import escape

W, H, PAD = 420, 260, 44
MAX_POINTS = W - 2 * PAD


def _frame(title, body):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}">'
        f'<rect width="{W}" height="{H}" fill="white"/>'
        f'<text x="{W / 2}" y="16" font-size="12" text-anchor="middle">{escape(title)}</text>'
        f"{body}</svg>"
    )


def line_chart(series, title, xlabel="", ylabel=""):
    """``series``: y values (None for a gap), plotted against their index + 1."""
    step = max(1, -(-len(series) // MAX_POINTS))  # never more points than pixels
    points = [(i + 1, y) for i, y in enumerate(series) if y is not None and i % step == 0]
    if not points:
        return _frame(title, '<text x="20" y="130" font-size="12">no finite values</text>')
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = 1, max(max(xs), 2)
    y0, y1 = min(0.0, min(ys)), max(ys) or 1.0
    if y1 == y0:
        y1 = y0 + 1.0

    def sx(x):
        return PAD + (x - x0) / (x1 - x0) * (W - 2 * PAD)

    def sy(y):
        return H - PAD - (y - y0) / (y1 - y0) * (H - 2 * PAD)

    path = " ".join(
        f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points)
    )
    axes = (
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="black"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="black"/>'
        f'<text x="{PAD - 4}" y="{sy(y1) + 4:.1f}" font-size="10" text-anchor="end">{y1:.3g}</text>'
        f'<text x="{PAD - 4}" y="{sy(y0) + 4:.1f}" font-size="10" text-anchor="end">{y0:.3g}</text>'
        f'<text x="{sx(x1):.1f}" y="{H - PAD + 14}" font-size="10" text-anchor="middle">{x1}</text>'
        f'<text x="{W / 2}" y="{H - 8}" font-size="11" text-anchor="middle">{escape(xlabel)}</text>'
        f'<text x="12" y="{H / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {H / 2})">{escape(ylabel)}</text>'
    )
    return _frame(title, axes + f'<path d="{path}" fill="none" stroke="#1f77b4" stroke-width="2"/>')


def _colour(p):
    """White at 0.5, blue towards 1, orange towards 0."""
    p = min(max(float(p), 0.0), 1.0)
    if p >= 0.5:
        t = (p - 0.5) * 2
        return f"rgb({int(255 - 224 * t)},{int(255 - 136 * t)},{int(255 - 75 * t)})"
    t = (0.5 - p) * 2
    return f"rgb(255,{int(255 - 128 * t)},{int(255 - 241 * t)})"


def heatmap(grid, axis, points, title, legend=""):
    """``grid[i][j]`` is the output at (axis[j], axis[i]); ``points`` are (x, y, label)."""
    n = len(axis)
    size = min(W - 2 * PAD, H - 2 * PAD)
    cell = size / n
    left, top = (W - size) / 2, PAD
    lo, hi = axis[0], axis[-1]

    def sx(x):
        return left + (x - lo) / (hi - lo) * size

    def sy(y):
        return top + size - (y - lo) / (hi - lo) * size

    cells = "".join(
        f'<rect x="{left + j * cell:.1f}" y="{top + size - (i + 1) * cell:.1f}" '
        f'width="{cell + 0.3:.1f}" height="{cell + 0.3:.1f}" fill="{_colour(grid[i][j])}"/>'
        for i in range(n)
        for j in range(n)
    )
    marks = "".join(
        f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="8" fill="white" stroke="black"/>'
        f'<text x="{sx(x):.1f}" y="{sy(y) + 4:.1f}" font-size="11" text-anchor="middle">'
        f"{escape(str(label))}</text>"
        for x, y, label in points
    )
    note = (
        f'<text x="{W / 2}" y="{H - 8}" font-size="9" text-anchor="middle">{escape(legend)}</text>'
    )
    return _frame(title, cells + marks + note)


def render(figure):
    if figure["kind"] == "line":
        return line_chart(
            figure["series"], figure["title"], figure.get("xlabel", ""), figure.get("ylabel", "")
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
