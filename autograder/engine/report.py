"""Write grading results: the gradebook CSV, Gradescope's results.json, student feedback.

Student text (messages that quote an exception, printed output, the submission's problem)
goes through ``sinks`` at each sink: a code span or fenced block in markdown (Gradescope's
``output`` included), escaped HTML, control characters removed for the terminal, formula
prefixes neutralised in CSV. Texts written by the assignment (check names, hints, titles)
are trusted and shown as they are.

Everything here is a pure function of the result dicts from ``grade.py`` (timings are left
out), so grading the same submissions twice writes the same bytes.
"""

import csv
import io
import json
from collections import Counter
from html import escape
from pathlib import Path

from . import sinks, svg

# Mistake keys that say what happened, not why (an exception, a timeout, aliasing): their hints
# come after those naming a misconception.
NO_KNOWN_MISTAKE = (
    "No known mistake matches what your code returned: the first failure above says what "
    "differs (the shape, the type, or which entries, expected against got)."
)
GENERAL_MISTAKES = {"exception", "timeout", "crashed", "invalid", "warning", "aliases_input"}

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")


DETAIL_CHARS = 600  # of one check's message
OUTPUT_CHARS = 4000  # of what the student's code printed


def _points(x):
    return f"{x:g}"


def _questions(results):
    """The questions of the first result that has any (a grader_error has none)."""
    return next((r["questions"] for r in results if r["questions"]), [])


def csv_text(results):
    """One row per submission: submission, score, max_score, then one column per question."""
    ids = [q["id"] for q in _questions(results)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["submission", "score", "max_score", *ids, "status"]
    writer.writerow([sinks.csv_cell(c) for c in header])
    for r in results:
        scores = {q["id"]: q["score"] for q in r["questions"]}
        writer.writerow(
            [sinks.csv_cell(r["submission"]), _points(r["score"]), _points(r["max_score"])]
            + [_points(scores.get(i, 0.0)) for i in ids]
            + [sinks.csv_cell(r["status"])]
        )
    return buffer.getvalue()


def question_view(question):
    """What a student reads for one question, for every renderer.

    Returns ``(rows, hints)``: a row per check, ``(check, detail)`` with ``detail`` the message
    of the first failure (the smallest failing input; a failure of a not-scored check does
    not use up that place), and the hints of the recognised mistakes, each once.
    """
    rows, shown, named, generic = [], False, [], []
    for check in question["checks"]:
        detail = ""
        if not check["passed"] and check["message"] and not shown:
            detail, shown = check["message"], scored(check)
        rows.append((check, detail))
        if check["hint"] and not check["passed"]:
            # a hint that names a misconception first, the engine's general ones after it
            (generic if check.get("mistake") in GENERAL_MISTAKES else named).append(check["hint"])
    hints = list(dict.fromkeys(named + generic))
    if not hints and any(scored(c) and not c["passed"] for c in question["checks"]):
        hints = [NO_KNOWN_MISTAKE]
    if question.get("root_cause"):
        # the evidence points at a step: its hint replaces this question's own guesses
        hints = [root_cause_hint(question)]
    return rows, hints


def root_cause_hint(question):
    """Which step to fix first when a question that runs the student's own steps fails."""
    first, *others = question["root_cause"]
    also = f" (then {', '.join(f'`{step}`' for step in others)})" if others else ""
    uses = ", ".join(f"`{step}`" for step in question.get("uses", []))
    return (
        f"Fix `{first}` first{also}: this question runs your own {uses}, and `{first}` fails "
        "its own checks above. It may pass once that step does."
    )


def scored(check):
    """A check that counts towards the score: it has a weight, or the question needs it."""
    return check["weight"] > 0 or check.get("gate", False)


def _mark(check):
    note = " (needed for any points)" if check.get("gate") else ""
    note = note or (" (not scored)" if check["weight"] == 0 else "")
    return "✓" if check["passed"] else "✗", note


def failure_lines(question):
    """The markdown lines of ``question_view``, and its hints."""
    rows, hints = question_view(question)
    lines = []
    for check, detail in rows:
        mark, note = _mark(check)
        lines.append(f"- {mark} {check['name']}{note}")
        if detail:
            lines.append(f"  - {sinks.md_code(detail, DETAIL_CHARS)}")
    return lines, hints


def gradescope_results(result, visibility="after_published"):
    """Gradescope's results.json for one submission (one test per question)."""
    tests = []
    for number, q in enumerate(result["questions"], start=1):
        lines, hints = failure_lines(q)
        text = "\n".join(lines + [f"\n**Hint:** {h}" for h in hints])
        tests.append(
            {
                "name": f"{q['id']}: {q['title']}",
                "number": str(number),
                "score": q["score"],
                "max_score": q["points"],
                "status": "passed" if q["score"] >= q["points"] else "failed",
                "output": text,
                "output_format": "md",
                "tags": [q["slide"]],
                "visibility": visibility,
            }
        )
    overview = f"Score: {_points(result['score'])} / {_points(result['max_score'])}"
    if result["problem"]:
        overview += f"\n\n**Problem with the submission:** {sinks.md_code(result['problem'])}"
    return {
        "score": result["score"],
        "output": overview,
        "output_format": "md",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
        "leaderboard": [],
        "extra_data": {"submission": result["submission"], "isolation": result["isolation"]},
    }


def feedback_markdown(result):
    out = [
        f"# Feedback on `{result['assignment']}` — {sinks.md_code(result['submission'])}",
        "",
        f"**Score: {_points(result['score'])} / {_points(result['max_score'])}**",
        "",
    ]
    if result["problem"]:
        out += [f"**Problem with the submission:** {sinks.md_code(result['problem'])}", ""]
    out += ["| question | points | slide |", "|---|---|---|"]
    for q in result["questions"]:
        out.append(f"| {q['id']} | {_points(q['score'])} / {_points(q['points'])} | {q['slide']} |")
    for q in result["questions"]:
        lines, hints = failure_lines(q)
        out += ["", f"## {q['id']}: {q['title']} — {_points(q['score'])} / {_points(q['points'])}"]
        out += [f'Slide: "{q["slide"]}"', ""] + lines
        out += [f"\n> **Hint:** {h}" for h in hints]
    if result["output"].strip():
        printed = sinks.md_block(result["output"].strip(), OUTPUT_CHARS)
        out += ["", "## What your code printed", "", printed]
    return "\n".join(out) + "\n"


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}"
    ".pass{color:#1a7f37}.fail{color:#cf222e}.hint{background:#fff8c5;padding:.4rem .6rem}"
    "pre{background:#f6f8fa;padding:.5rem;overflow:auto}.figs svg{margin:.5rem}"
)


def feedback_html(result):
    def e(value, limit=None):
        return escape(sinks.text(value, limit))

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Feedback: {e(result['submission'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>Feedback on <code>{e(result['assignment'])}</code> — {e(result['submission'])}</h1>",
        f"<p><strong>Score: {_points(result['score'])} / "
        f"{_points(result['max_score'])}</strong></p>",
    ]
    if result["problem"]:
        parts.append(f"<p class='fail'><strong>Problem:</strong> {e(result['problem'])}</p>")
    if result["figures"]:
        parts.append("<div class='figs'>")
        parts += [svg.render(f) for f in result["figures"]]
        parts.append("</div>")
    parts.append("<table><tr><th>question</th><th>points</th><th>slide</th></tr>")
    for q in result["questions"]:
        cls = "pass" if q["score"] >= q["points"] else "fail"
        parts.append(
            f"<tr><td><a href='#{e(q['id'])}'>{e(q['id'])}</a></td>"
            f"<td class='{cls}'>{_points(q['score'])} / {_points(q['points'])}</td>"
            f"<td>{e(q['slide'])}</td></tr>"
        )
    parts.append("</table>")
    for q in result["questions"]:
        parts.append(
            f"<h2 id='{e(q['id'])}'>{e(q['id'])}: {e(q['title'])} — "
            f"{_points(q['score'])} / {_points(q['points'])}</h2>"
            f"<p>Slide: “{e(q['slide'])}”</p><ul>"
        )
        rows, hints = question_view(q)
        for c, detail in rows:
            mark, note = _mark(c)
            cls = "pass" if c["passed"] else "fail"
            more = f"<br><code>{e(detail, DETAIL_CHARS)}</code>" if detail else ""
            parts.append(f"<li class='{cls}'>{mark} {e(c['name'])}{note}{more}</li>")
        parts.append("</ul>")
        parts += [f"<p class='hint'><strong>Hint:</strong> {e(h)}</p>" for h in hints]
    if result["output"].strip():
        parts.append(
            f"<h2>What your code printed</h2><pre>{e(result['output'].strip(), OUTPUT_CHARS)}</pre>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_all(results, out, visibility="after_published"):
    """Write grades.csv, results/<id>.json and feedback/<id>.{md,html} under ``out``."""
    out = Path(out)
    for sub in ("results", "feedback"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (out / "grades.csv").write_text(csv_text(results), encoding="utf-8")
    for r in results:
        sid = r["submission"]
        data = gradescope_results(r, visibility)
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        (out / "results" / f"{sid}.json").write_text(text, encoding="utf-8")
        (out / "feedback" / f"{sid}.md").write_text(feedback_markdown(r), encoding="utf-8")
        (out / "feedback" / f"{sid}.html").write_text(feedback_html(r), encoding="utf-8")


def summary(results, seconds=None, jobs=1):
    """The instructor's end-of-run summary, as text."""
    if not results:
        return "No submissions found."
    n = len(results)
    max_score = max(r["max_score"] for r in results)
    scores = sorted(r["score"] for r in results)
    lines = [
        f"Graded {n} submission{'s' * (n != 1)} ({results[0]['assignment']}, "
        f"isolation: {results[0]['isolation']}).",
        f"Score: mean {sum(scores) / n:.2f} / {_points(max_score)}, median "
        f"{scores[n // 2]:g}, min {scores[0]:g}, max {scores[-1]:g}; "
        f"full marks: {sum(s >= max_score for s in scores)}.",
    ]
    if seconds is not None:
        lines.append(f"Time: {seconds:.1f} s with {jobs} job(s), {n / seconds:.2f} submissions/s.")
    lines += ["", "Scores:"] + histogram(scores, max_score)
    lines += ["", f"{'question':28} {'points':>6} {'mean':>6} {'full':>5} {'zero':>5}"]
    for q in _questions(results):
        got = [
            next((x["score"] for x in r["questions"] if x["id"] == q["id"]), 0.0) for r in results
        ]
        full = sum(g >= q["points"] for g in got)
        zero = sum(g == 0 for g in got)
        lines.append(f"{q['id']:28} {q['points']:6g} {sum(got) / n:6.2f} {full:5d} {zero:5d}")
    kinds = Counter(r["status"] for r in results if r["status"] != "graded")
    mistakes = Counter(
        c["mistake"]
        for r in results
        for q in r["questions"]
        for c in q["checks"]
        if c["mistake"] and not c["passed"] and scored(c)
    )
    if kinds:
        lines += [
            "",
            "Submissions not graded normally: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(kinds.items())),
        ]
    if mistakes:
        common = ", ".join(f"{k} ({v})" for k, v in mistakes.most_common(8))
        lines += ["", f"Failures by kind (scored checks): {common}"]
    return "\n".join(lines)


def histogram(scores, max_score, bins=5, width=30):
    """Text bars of how many scores fall in each fifth of the range."""
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(bins * s / max_score)) if max_score else 0] += 1
    top = max(counts) or 1
    lines = []
    for i, count in enumerate(counts):
        lo, hi = max_score * i / bins, max_score * (i + 1) / bins
        closing = "]" if i == bins - 1 else ")"
        bar = "#" * round(width * count / top)
        lines.append(f"  [{lo:4g}, {hi:4g}{closing} {count:4d} {bar}")
    return lines


def table(results):
    """A compact per-submission table for the terminal."""
    if not results:
        return ""
    width = max(10, max(len(r["submission"]) for r in results))
    lines = [f"{'submission':{width}} {'score':>11}  status / problem"]
    for r in results:
        score = f"{_points(r['score'])}/{_points(r['max_score'])}"
        problem = sinks.terminal(r["problem"], 60)
        lines.append(f"{r['submission']:{width}} {score:>11}  {r['status']} {problem}".rstrip())
    return "\n".join(lines)
