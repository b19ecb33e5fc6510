"""Write grading results: the gradebook CSV, Gradescope's results.json, student feedback.

Student text (messages that quote an exception, printed output, the submission's problem)
goes through ``sinks`` at each sink: a code span or fenced block in markdown (Gradescope's
``output`` included), escaped HTML, control characters removed for the terminal, formula
prefixes neutralised in CSV. Texts written by the assignment (check names, hints, titles)
are trusted: markdown shows them as they are; HTML escapes them too, then renders their
`code spans` and **bold** (``inline_html``; a student's message gets its code spans only).

Everything here is a pure function of the result dicts from ``grade.py`` (timings are left
out), so grading the same submissions twice writes the same bytes.
"""

import csv
import io
import json
import re
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
    rows, shown, tiers = [], False, ([], [], [])
    for check in question["checks"]:
        detail = ""
        if not check["passed"] and check["message"] and not shown:
            detail, shown = check["message"], scored(check)
        rows.append((check, detail))
        if check.get("root_cause") and not check["passed"]:
            tiers[0].append(check_root_cause_hint(check))
        elif check["hint"] and not check["passed"]:
            # a hint that names a misconception first, then one that says how the values relate
            # (a factor, a transpose: what, not why), the engine's general ones last
            mistake = check.get("mistake") or ""
            tier = 2 if mistake in GENERAL_MISTAKES else 1 if mistake.startswith("relation_") else 0
            tiers[tier].append(check["hint"])
    # how the values relate is a fallback: beside a named misconception it only adds noise
    hints = list(dict.fromkeys(tiers[0] + (tiers[1] if not tiers[0] else []) + tiers[2]))
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


def check_root_cause_hint(check):
    """Which step to fix first when a check that runs the student's own steps fails."""
    first, *others = check["root_cause"]
    also = f" (then {', '.join(f'`{step}`' for step in others)})" if others else ""
    return (
        f"Fix `{first}` first{also}: “{check['name']}” runs your own "
        f"{', '.join(f'`{step}`' for step in check['uses'])}, and `{first}` fails its own "
        "checks above."
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
    overview = f"Score: {page_points(result['score'])} / {page_points(result['max_score'])}"
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


# --- the student's feedback page (markdown and HTML) ---
#
# Both start with what to do: the score, then either one page-level message (the file could not
# be graded, or nothing is implemented yet) or the failed questions in the order to fix them.
# Then every question in handout order: a passed one on one line (collapsed in HTML), a failed
# one with its checks and hints.

PARTIAL_CREDIT = (
    "A question's points are shared among its scored checks; public checks "
    '(marked "not scored") earn nothing on their own.'
)
RUN_CHECK = "Run `make check` (or `python check.py`) before submitting: it shows the same error."
TEMPLATE = "Nothing is implemented yet: every function still raises NotImplementedError."
GRADER_FAILED = (
    "The grader failed on this submission: a problem on the course's side, not necessarily in "
    "your file. The course staff will look at it."
)
NO_FILE = "Submit the template's file with its name unchanged, alone or in a .zip."


def page_points(x):
    """Points as a page shows them: two decimals at most (44.38, 1.5, 2)."""
    return f"{round(float(x), 2) + 0.0:.2f}".rstrip("0").rstrip(".")


def _lost(question):
    return question["points"] - question["score"]


def _failed(question):
    return question["score"] < question["points"] - 1e-9


def _points_lost(question):
    lost = page_points(_lost(question))
    return f"{lost} point{'' if lost == '1' else 's'} lost"


def page_problem(result):
    """What stops every question at once, or ``None``: the result's status when it is not
    ``graded``, or ``"template"`` when nothing passed and every failure is a function that still
    raises NotImplementedError (the untouched template)."""
    if result["status"] != "graded":
        return result["status"]
    checks = [c for q in result["questions"] for c in q["checks"]]
    if checks and not any(c["passed"] for c in checks):
        if all(c.get("mistake") == "not_implemented" for c in checks):
            return "template"
    return None


def fix_first(result):
    """The failed questions in the order to fix them: handout order, except that a question
    whose ``root_cause`` names other failed questions comes after them."""
    waiting = [q for q in result["questions"] if _failed(q)]
    failed = {q["id"] for q in waiting}
    order, placed = [], set()
    while waiting:
        ready = (
            q
            for q in waiting
            if all(s in placed or s not in failed for s in q.get("root_cause", ()))
        )
        question = next(ready, waiting[0])  # a cycle cannot happen; if it did: handout order
        waiting.remove(question)
        order.append(question)
        placed.add(question["id"])
    return order


def first_failure(question):
    """The check that says what failed: the first failing scored check (else any failing one)."""
    failing = [c for c in question["checks"] if not c["passed"]]
    return next((c for c in failing if scored(c)), failing[0] if failing else None)


def fix_reason(question):
    """What an item of "What to fix first" says after the question's name: its points lost,
    the steps to fix first (``root_cause``) and the first failing scored check."""
    text = f" — {_points_lost(question)}"
    if question.get("root_cause"):
        steps = ", ".join(f"`{step}`" for step in question["root_cause"])
        text += f": fix {steps} first"
    check = first_failure(question)
    if check is not None:
        why = " (not implemented yet)" if check.get("mistake") == "not_implemented" else ""
        text += f"{'; ' if question.get('root_cause') else ': '}“{check['name']}” failed{why}"
    return text


def _blocked_message(result, kind):
    """The page-level message of ``page_problem`` as markdown lines (student text in code spans)."""
    problem = sinks.md_code(result["problem"]) if result["problem"] else ""
    if kind == "import_error":
        excerpt = result.get("excerpt") or ""
        line = ["", f"The line: {sinks.md_code(excerpt)}"] if excerpt else []
        return [f"Your file could not be imported: {problem}", *line, "", RUN_CHECK]
    if kind == "no_file":
        return [f"No file was graded: {problem}", "", NO_FILE]
    if kind == "template":
        first = result["questions"][0]
        return [
            TEMPLATE,
            "",
            f"Start with `{first['id']}` ({first['title']}), then go on in the "
            "order of the handout.",
        ]
    return [GRADER_FAILED]


def _summary_line(question):
    mark = "✗" if _failed(question) else "✓"
    points = f"{page_points(question['score'])} / {page_points(question['points'])}"
    return f"{mark} {question['id']}: {question['title']} — {points}"


def feedback_markdown(result):
    score = f"{page_points(result['score'])} / {page_points(result['max_score'])}"
    out = [
        f"# Feedback on `{result['assignment']}` — {sinks.md_code(result['submission'])}",
        "",
        f"**Score: {score}**",
        "",
        "## What to fix first",
        "",
    ]
    kind = page_problem(result)
    questions = result["questions"]
    if kind:
        out += _blocked_message(result, kind)
        if questions:
            listed = ", ".join(f"{q['id']} ({page_points(q['points'])})" for q in questions)
            out += [
                "",
                "## Questions",
                "",
                f"{len(questions)} questions, points in parentheses: {listed}.",
            ]
    else:
        todo = fix_first(result)
        if todo:
            out += [f"{n}. **{q['id']}**{fix_reason(q)}" for n, q in enumerate(todo, 1)]
            out += ["", PARTIAL_CREDIT]
        else:
            out.append("Nothing: every question has full marks.")
        out += ["", "## Questions", ""]
        out += [f"- {_summary_line(q)}" for q in questions]
        for q in questions:
            if not _failed(q):
                continue
            lines, hints = failure_lines(q)
            out += ["", f"## {_summary_line(q)}", f'Slide: "{q["slide"]}"', ""] + lines
            out += [f"\n> **Hint:** {h}" for h in hints]
    if result["output"].strip():
        printed = sinks.md_block(result["output"].strip(), OUTPUT_CHARS)
        out += ["", "## What your code printed", "", printed]
    return "\n".join(out) + "\n"


# Inline markdown in HTML: code spans (CommonMark: a run of n backticks closed by the next run of
# exactly n) and, in the course's own texts only, **strong**. Everything else is escaped text.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)


def inline_html(value, limit=None, strong=False):
    """``value`` as HTML: escaped, with its `code spans` as ``<code>`` and, when ``strong``
    (texts the course wrote), its **bold** as ``<strong>``; no other markup gets through."""
    source = sinks.text(value, limit)

    def prose(piece):
        piece = escape(piece)
        return _STRONG.sub(r"<strong>\1</strong>", piece) if strong else piece

    out, at = [], 0
    for match in _CODE_SPAN.finditer(source):
        body = match.group(2)
        if len(body) > 2 and body.startswith(" ") and body.endswith(" ") and body.strip():
            body = body[1:-1]
        out += [prose(source[at : match.start()]), f"<code>{escape(body)}</code>"]
        at = match.end()
    out.append(prose(source[at:]))
    return "".join(out)


STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.45;"
    "color:#1f2328;max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin:1.75rem 0 .5rem}"
    "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;"
    "background:#eff1f3;padding:.05em .3em;border-radius:4px}"
    ".score{font-size:1.25rem;margin:.25rem 0 1rem}"
    ".todo{border:2px solid #d4a72c;background:#fff8e1;border-radius:8px;padding:.25rem 1rem}"
    ".todo.done{border-color:#1a7f37;background:#e6f4ea}"
    ".todo h2{margin-top:.5rem}.todo li{margin:.3rem 0}.todo a{font-weight:600}"
    ".note,.unscored{color:#59636e;font-size:.95rem}"
    ".block{font-size:1.05rem}.block code{overflow-wrap:anywhere}"
    ".pass{color:#1a7f37}.fail{color:#cf222e}"
    "details{border:1px solid #d1d9e0;border-radius:6px;margin:.4rem 0;padding:0 .75rem}"
    "details[open]{padding-bottom:.5rem}"
    "summary{cursor:pointer;padding:.35rem 0;font-weight:600}"
    ".q-fail{border-left:4px solid #cf222e}.q-pass{border-left:4px solid #1a7f37}"
    ".q-fail>summary{color:#cf222e}.q-pass>summary{color:#1a7f37}"
    ".slide{margin:.25rem 0;color:#59636e}"
    ".checks{margin:.25rem 0;padding-left:1.25rem;list-style:none}.checks li{margin:.2rem 0}"
    ".checks .mark{display:inline-block;width:1.2em;margin-left:-1.2em}"
    ".msg{color:#1f2328;background:#f6f8fa;border-radius:4px;padding:.2rem .5rem;"
    "margin:.15rem 0 .35rem;overflow-wrap:anywhere}"
    ".hint{background:#fff8c5;border-left:4px solid #d4a72c;padding:.4rem .6rem;margin:.5rem 0}"
    "pre{background:#f6f8fa;padding:.5rem;overflow:auto}"
    ".figs{display:flex;flex-wrap:wrap;gap:1rem}.figs svg{max-width:100%;height:auto}"
    ".sr{position:absolute;left:-9999px}"
)


def _e(value, limit=None):
    return escape(sinks.text(value, limit))


def _check_html(check, detail):
    mark, note = _mark(check)
    cls = "pass" if check["passed"] else "fail"
    note = f"<span class='unscored'>{note}</span>" if note else ""
    more = f"<div class='msg'>{inline_html(detail, DETAIL_CHARS)}</div>" if detail else ""
    return (
        f"<li class='{cls}'><span class='mark' aria-hidden='true'>{mark}</span>"
        f"<span class='sr'>{'passed' if check['passed'] else 'failed'}: </span>"
        f"{_e(check['name'])}{note}{more}</li>"
    )


def _question_html(question):
    failed = _failed(question)
    cls = "q-fail" if failed else "q-pass"
    parts = [
        f"<details id='q-{_e(question['id'])}' class='q {cls}'{' open' if failed else ''}>"
        f"<summary>{_e(_summary_line(question))}</summary>",
        f"<p class='slide'>Slide: “{_e(question['slide'])}”</p>",
        "<ul class='checks'>",
    ]
    rows, hints = question_view(question)
    parts += [_check_html(check, detail) for check, detail in rows]
    parts.append("</ul>")
    parts += [
        f"<p class='hint'><strong>Hint:</strong> {inline_html(h, strong=True)}</p>" for h in hints
    ]
    parts.append("</details>")
    return "".join(parts)


def _todo_html(result, kind):
    """The "What to fix first" box and what follows it up to the figures."""
    questions = result["questions"]
    if kind:
        lines = [line for line in _blocked_message(result, kind) if line]
        parts = [f"<p class='block'>{inline_html(line)}</p>" for line in lines]
        after = []
        if questions:
            total = page_points(sum(q["points"] for q in questions))
            after.append(
                f"<details class='q'><summary>The {len(questions)} questions "
                f"({total} points)</summary><ul>"
            )
            after += [
                f"<li>{_e(q['id'])}: {_e(q['title'])} — {page_points(q['points'])} "
                f"point{'' if page_points(q['points']) == '1' else 's'} "
                f"(slide “{_e(q['slide'])}”)</li>"
                for q in questions
            ]
            after.append("</ul></details>")
        return "todo", parts, after
    todo = fix_first(result)
    after = ["<h2>Questions</h2>"] + [_question_html(q) for q in questions]
    if not todo:
        return "todo done", ["<p>Nothing: every question has full marks.</p>"], after
    items = [
        f"<li><a href='#q-{_e(q['id'])}'>{_e(q['id'])}</a>{inline_html(fix_reason(q))}</li>"
        for q in todo
    ]
    parts = ["<ol>", *items, "</ol>", f"<p class='note'>{inline_html(PARTIAL_CREDIT)}</p>"]
    return "todo", parts, after


def feedback_html(result):
    score = f"{page_points(result['score'])} / {page_points(result['max_score'])}"
    cls, todo, after = _todo_html(result, page_problem(result))
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Feedback on {_e(result['assignment'])} for {_e(result['submission'])}: "
        f"{score}</title>",
        f"<style>{STYLE}</style></head><body><main>",
        f"<h1>Feedback on <code>{_e(result['assignment'])}</code> — "
        f"{_e(result['submission'])}</h1>",
        f"<p class='score'><strong>Score: {score}</strong></p>",
        f"<section class='{cls}' aria-labelledby='todo'><h2 id='todo'>What to fix first</h2>",
        *todo,
        "</section>",
        *after,
    ]
    if result["figures"]:
        parts.append("<h2>Pictures of your results</h2><div class='figs'>")
        parts += [svg.render_or_note(f) for f in result["figures"]]
        parts.append("</div>")
    if result["output"].strip():
        printed = _e(result["output"].strip(), OUTPUT_CHARS)
        parts.append(f"<h2>What your code printed</h2><pre>{printed}</pre>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def write_all(results, out, visibility="after_published"):
    """Write grades.csv, results/<id>.json and feedback/<id>.{md,html} under ``out``."""
    out = Path(out)
    for sub in ("results", "feedback"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    (out / "grades.csv").write_text(csv_text(results), encoding="utf-8")
    for r in results:
        sid = r["submission"]
        pages = {
            out / "results" / f"{sid}.json": lambda r: (
                json.dumps(
                    gradescope_results(r, visibility), indent=2, ensure_ascii=False, sort_keys=True
                )
                + "\n"
            ),
            out / "feedback" / f"{sid}.md": feedback_markdown,
            out / "feedback" / f"{sid}.html": feedback_html,
        }
        for path, render in pages.items():
            path.write_text(_page(render, r, path.suffix), encoding="utf-8")


PAGE_FAILED = (
    "The feedback page could not be written for this submission (a problem on the grader's "
    "side); the score stands, and the course staff can see the details in grading.json."
)


def _page(render, result, suffix):
    """``render(result)``, or a short page with the score when rendering fails: one result's
    page must not stop the pages of the others."""
    try:
        return render(result)
    except Exception:  # noqa: BLE001 - whatever went wrong, the class's other pages are written
        score = f"{page_points(result['score'])} / {page_points(result['max_score'])}"
        text = f"Score: {score}. {PAGE_FAILED}"
        if suffix == ".json":
            return json.dumps({"score": result["score"], "output": text}, sort_keys=True) + "\n"
        if suffix == ".html":
            return f"<!doctype html><html lang='en'><p>{escape(text)}</p></html>\n"
        return text + "\n"


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
