"""The class report for TAs and instructors: how a class did, question by question and check by
check, and which misconceptions are the most common, as ``report.html`` and ``report.md``.

Built from the result dicts as ``grading.json`` keeps them, so ``grade``, ``merge`` and
``python -m autograder report OUT`` write the same report; only the time line differs, as
grading.json keeps no timings. Submissions that were not really graded (blank: nothing
implemented; did not import; no file; a grader error) are listed apart and left out of every
mean, pass rate and count of misconceptions: a class of empty templates would otherwise look
like a class that finds every question hard.

The figures come from ``class_facts.py``; this module draws them. Submission ids are student
text: through ``sinks`` (escaped HTML, markdown code spans). Check names and hints are the
assignment's, shown as in the feedback pages (report.py).
"""

import statistics
from html import escape
from pathlib import Path

from . import class_facts, report, sinks, svg
from .class_facts import APART
from .class_facts import MAX_MISCONCEPTIONS as MAX_SHOWN

HTML_FILE, MARKDOWN_FILE = "report.html", "report.md"
MAX_IDS = 50  # ids on one line, then "and N more"
ID_CHARS = 120  # submissions.safe_id makes ids of at most 120 characters
NOT_RECORDED = (
    "Time per submission: not recorded (grading.json keeps no timings; `grade` measures them)."
)
NO_SCORES = "No graded submission: no distribution to show."


def time_line(seconds):
    """``seconds``: each submission's seconds, or one number (the mean), or None."""
    if isinstance(seconds, (int, float)):
        return (
            f"Time per submission: mean {seconds:.2f} s (the run's wall time per "
            "submission; no maximum measured)."
        )
    values = [float(s) for s in seconds or () if s is not None]
    if not values:
        return NOT_RECORDED
    return (
        f"Time per submission: mean {sum(values) / len(values):.2f} s, max {max(values):.2f} s "
        f"({len(values)} measured)."
    )


def _pts(x):
    return report.page_points(x)


def _points(x):
    return f"{_pts(x)} point{'' if _pts(x) == '1' else 's'}"


def _percent(part, whole):
    return f"{round(100 * part / whole)}%" if whole else "—"


def score_line(f):
    n, scores = len(f["graded"]), f["scores"]
    if not scores:
        return "No submission was graded: there are no scores."
    return (
        f"Scores of the {n} graded submission{'s' * (n != 1)} (out of {_pts(f['max_score'])}): "
        f"mean {_pts(sum(scores) / n)}, median {_pts(statistics.median(scores))}, "
        f"min {_pts(min(scores))}, max {_pts(max(scores))}; full marks: "
        f"{sum(s >= f['max_score'] - 1e-9 for s in scores)}."
    )


def count_line(f):
    apart = sum(len(ids) for ids in f["apart"].values())
    more = f", {apart} listed apart below" if apart else ""
    return f"{f['count']} submissions: {len(f['graded'])} graded{more}."


def _chart_text(f):
    """The histogram's title and axis labels."""
    n = len(f["graded"])
    title = f"Scores of the {n} graded submission{'s' * (n != 1)}"
    return title, f"score (out of {_pts(f['max_score'])})", "submissions"


def _bounded(ids):
    return ids[:MAX_IDS], max(0, len(ids) - MAX_IDS)


# --- markdown ---


def _md_ids(ids):
    first, more = _bounded(ids)
    text = ", ".join(sinks.md_code(i, ID_CHARS) for i in first)
    return text + (f" and {more} more" if more else "")


def _md_cell(text):
    return sinks.terminal(text).replace("|", "\\|")


def markdown(f, seconds=None):
    out = [
        f"# Class report on `{f['assignment']}`",
        "",
        count_line(f),
        "",
        score_line(f),
        "",
        time_line(seconds),
        "",
        "## Left out of the figures",
        "",
    ]
    for k, ids in f["apart"].items():
        name, why = APART.get(k, (k, f"status {k}"))
        out.append(f"- **{name}** ({len(ids)}; {why}): {_md_ids(ids)}")
    if not f["apart"]:
        out.append("None: every submission was graded.")
    counts, edges = f["histogram"]
    top = max(counts, default=0) or 1
    out += ["", "## Score distribution", ""]
    if f["scores"]:
        out += ["| scores | submissions | |", "|---|---:|---|"]
    else:
        out.append(NO_SCORES)
    for k, c in enumerate(counts if f["scores"] else ()):
        closing = "]" if k == len(counts) - 1 else ")"
        bar = "█" * round(20 * c / top)
        out.append(
            f"| [{svg.number(edges[k])}, {svg.number(edges[k + 1])}{closing} | {c} | {bar} |"
        )
    out += [
        "",
        "## Questions",
        "",
        "| question | points | mean | full marks |",
        "|---|---:|---:|---:|",
    ]
    n = len(f["graded"])
    for q, mean, full, _ in f["questions"]:
        shown = "—" if mean is None else _pts(mean)
        out.append(
            f"| `{q['id']}` {_md_cell(q['title'])} | {_pts(q['points'])} | {shown} "
            f"| {_percent(full, n)} ({full}/{n}) |"
        )
    out += ["", "## Most common misconceptions", ""]
    common = f["misconceptions"][:MAX_SHOWN]
    for rank, (key, hint, questions, ids) in enumerate(common, 1):
        where = ", ".join(f"`{q}`" for q in questions)
        out += [
            f"{rank}. **`{key}`** ({where}): {len(ids)} submission{'s' * (len(ids) != 1)}",
            f"   - {sinks.terminal(hint) or '(no hint)'}",
            f"   - {_md_ids(ids)}",
        ]
    if not common:
        out.append("None recognised among the graded submissions.")
    elif len(f["misconceptions"]) > MAX_SHOWN:
        out += [
            "",
            f"{len(f['misconceptions']) - MAX_SHOWN} less common ones not shown.",
        ]
    out += ["", "## Scored checks, hardest first", ""]
    for q, _, _, rates in f["questions"]:
        out += [f"### `{q['id']}` ({_points(q['points'])})", ""]
        out += [f"- {_percent(p, t)} ({p}/{t}) {label}" for label, p, t in rates]
        out += [] if rates else ["No scored check was run."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML ---

STYLE = report.STYLE + (
    ".wide{overflow-x:auto}table{border-collapse:collapse;margin:.5rem 0;width:100%}"
    "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d1d9e0;"
    "vertical-align:top}th{background:#f6f8fa}td.n,th.n{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}"
    ".meter{display:inline-block;width:5rem;height:.7rem;background:#ffebe9;"
    "border-radius:3px;vertical-align:middle;margin-right:.4rem;overflow:hidden}"
    ".meter span{display:block;height:100%;background:#1a7f37}"
    ".ids code{overflow-wrap:anywhere}.apart li{margin:.3rem 0}"
    "figure{margin:.5rem 0}figcaption{color:#59636e;font-size:.95rem;max-width:40rem}"
    # never drawn narrower than its 460 px, so that no text gets under 12 px: scrolls instead
    ".hist{overflow-x:auto}.hist svg{width:clamp(460px,100%,40rem);height:auto}"
    "td.rate{width:12rem;white-space:nowrap;font-variant-numeric:tabular-nums}"
)


def _e(value, limit=None):
    return escape(sinks.text(value, limit))


def _html_ids(ids):
    first, more = _bounded(ids)
    text = ", ".join(f"<code>{_e(i, ID_CHARS)}</code>" for i in first)
    return f"<span class='ids'>{text}{f' and {more} more' if more else ''}</span>"


def _rate(part, whole):
    width = round(100 * part / whole) if whole else 0
    meter = f"<span class='meter' aria-hidden='true'><span style='width:{width}%'></span></span>"
    return f"{meter}{_percent(part, whole)} ({part}/{whole})"


def html(f, seconds=None):
    n = len(f["graded"])
    title = f"Class report on {_e(f['assignment'])}: {f['count']} submissions"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style></head><body><main>",
        f"<h1>Class report on <code>{_e(f['assignment'])}</code></h1>",
        f"<p class='score'><strong>{_e(count_line(f))}</strong></p>",
        f"<p>{_e(score_line(f))}</p>",
        f"<p class='note'>{report.inline_html(time_line(seconds))}</p>",
        "<h2>Left out of the figures</h2>",
    ]
    if f["apart"]:
        parts.append("<ul class='apart'>")
        for k, ids in f["apart"].items():
            name, why = APART.get(k, (k, f"status {k}"))
            parts.append(
                f"<li><strong>{_e(name)}</strong> ({len(ids)}; {_e(why)}): {_html_ids(ids)}</li>"
            )
        parts.append("</ul>")
    else:
        parts.append("<p>None: every submission was graded.</p>")
    chart = svg.bar_chart(*f["histogram"], *_chart_text(f))
    alt = svg.describe_bars(*f["histogram"], *_chart_text(f))
    parts += [
        "<h2>Score distribution</h2>",
        f"<figure class='hist'>{chart}<figcaption>{_e(alt)}</figcaption></figure>"
        if f["scores"]
        else f"<p>{NO_SCORES}</p>",
        "<h2>Questions</h2>",
        "<div class='wide'><table><thead><tr><th>question</th><th class='n'>points</th>"
        "<th class='n'>mean</th><th>full marks</th></tr></thead><tbody>",
    ]
    for q, mean, full, _ in f["questions"]:
        shown = "—" if mean is None else _pts(mean)
        parts.append(
            f"<tr><td><a href='#c-{_e(q['id'])}'><code>{_e(q['id'])}</code></a> "
            f"{_e(q['title'])}</td><td class='n'>{_pts(q['points'])}</td>"
            f"<td class='n'>{shown}</td><td class='rate'>{_rate(full, n)}</td></tr>"
        )
    parts += ["</tbody></table></div>", "<h2>Most common misconceptions</h2>"]
    common = f["misconceptions"][:MAX_SHOWN]
    if common:
        parts.append(
            "<div class='wide'><table><thead><tr><th>mistake</th><th>hint</th>"
            "<th class='n'>submissions</th></tr></thead><tbody>"
        )
        for key, hint, questions, ids in common:
            where = ", ".join(f"<code>{_e(q)}</code>" for q in questions)
            parts.append(
                f"<tr><td><code>{_e(key)}</code><br><span class='note'>in {where}</span></td>"
                f"<td>{report.inline_html(hint, strong=True) or '(no hint)'}<br>"
                f"{_html_ids(ids)}</td><td class='n'>{len(ids)}</td></tr>"
            )
        parts.append("</tbody></table></div>")
        rest = len(f["misconceptions"]) - MAX_SHOWN
        if rest > 0:
            parts.append(f"<p class='note'>{rest} less common ones not shown.</p>")
    else:
        parts.append("<p>None recognised among the graded submissions.</p>")
    parts.append("<h2>Scored checks, hardest first</h2>")
    for q, _, full, rates in f["questions"]:
        hard = full < n
        parts += [
            f"<details id='c-{_e(q['id'])}' class='q {'q-fail' if hard else 'q-pass'}'"
            f"{' open' if hard else ''}><summary>{_e(q['id'])}: {_e(q['title'])} — "
            f"{_points(q['points'])}, full marks {_percent(full, n)}</summary>",
            "<div class='wide'><table><tbody>"
            + "".join(
                f"<tr><td class='rate'>{_rate(p, t)}</td><td>{_e(label)}</td></tr>"
                for label, p, t in rates
            )
            + "</tbody></table></div>"
            if rates
            else "<p>No scored check was run.</p>",
            "</details>",
        ]
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def build(results, seconds=None):
    """``(html, markdown)`` of the class report on ``results`` (grading.json's ``results``).
    ``seconds``: each submission's grading time, or their mean, or None (not recorded)."""
    f = class_facts.facts(results)
    return html(f, seconds), markdown(f, seconds)


def write(results, out, seconds=None):
    """Write the report on ``results`` (see ``build``) under ``out``; returns the paths."""
    return save(out, *build(results, seconds))


def save(out, page, text):
    """Write report.html and report.md under ``out``; returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / HTML_FILE).write_text(page, encoding="utf-8")
    (out / MARKDOWN_FILE).write_text(text, encoding="utf-8")
    return [out / HTML_FILE, out / MARKDOWN_FILE]
