"""The student's feedback page starts with what to do, and shows student text as text.

Result dicts are built here the way ``grade._grade`` builds them (``summarise`` scores them), so
these tests need no grading run.
"""

import re
import xml.etree.ElementTree as ET
from html import escape

import mistune
import pytest

from autograder.engine import report, sinks, svg
from autograder.engine.grade import summarise
from autograder.engine.report import feedback_html, feedback_markdown


class Q:
    """What ``summarise`` reads of a ``Question``."""

    def __init__(self, qid, points, title=None):
        self.id, self.points = qid, points
        self.title, self.slide = title or f"the {qid} question", f"Slide of {qid}"


def check(name, passed=True, weight=1.0, message="", mistake="", hint="", gate=False):
    return {
        "name": name,
        "weight": weight,
        "gate": gate,
        "passed": passed,
        "message": message,
        "mistake": mistake,
        "hint": hint,
    }


def question(qid, *checks, points=2.0, **extra):
    return {**summarise(Q(qid, points), list(checks)), **extra}


def result(*questions, status="graded", problem="", figures=(), output="", submission="ada"):
    return {
        "submission": submission,
        "assignment": "backprop",
        "isolation": "process",
        "max_score": float(sum(q["points"] for q in questions)),
        "status": status,
        "problem": problem,
        "questions": list(questions),
        "figures": list(figures),
        "output": output,
        "score": round(sum(q["score"] for q in questions), 4),
    }


def passed(qid, points=2.0):
    return question(
        qid,
        check(f"public: {qid} on a small case", weight=0.0),
        check(f"{qid} on a hidden case"),
        points=points,
    )


def failed(qid, points=2.0, **extra):
    return question(
        qid,
        check(f"public: {qid} of the handout", False, 0.0, "public failure message"),
        check(f"{qid} with N=3", False, 1.0, f"{qid}: expected 1, got 2", "sum_not_mean"),
        check(f"{qid} with N=1"),
        points=points,
        **extra,
    )


def todo_section_html(page):
    return page.split("What to fix first", 1)[1].split("</section>", 1)[0]


def todo_section_markdown(page):
    return page.split("## What to fix first", 1)[1].split("\n## ", 1)[0]


# --- what to fix first ---


def test_fix_first_lists_a_root_cause_before_the_question_that_runs_it():
    # handout order: step, train_xor, sgd; train_xor runs the student's sgd, which fails
    r = result(
        failed("step"),
        failed("train_xor", root_cause=["sgd"], uses=["sgd"]),
        passed("forward"),
        failed("sgd"),
    )
    assert [q["id"] for q in report.fix_first(r)] == ["step", "sgd", "train_xor"]

    todo = todo_section_markdown(feedback_markdown(r))
    items = [line for line in todo.splitlines() if re.match(r"\d+\. ", line)]
    assert [re.search(r"\*\*(\w+)\*\*", i).group(1) for i in items] == ["step", "sgd", "train_xor"]
    assert "fix `sgd` first" in items[2] and "forward" not in todo

    html = todo_section_html(feedback_html(r))
    assert re.findall(r"<a href='#q-(\w+)'", html) == ["step", "sgd", "train_xor"]
    assert "fix <code>sgd</code> first" in html


def test_fix_first_item_names_the_first_failing_scored_check_and_the_points_lost():
    r = result(failed("mse", points=2.0), passed("tanh"))
    (item,) = [
        line
        for line in todo_section_markdown(feedback_markdown(r)).splitlines()
        if line.startswith("1. ")
    ]
    # the public check fails first, but it is not scored: the scored one says what failed
    assert "“mse with N=3” failed" in item and "1 point lost" in item
    assert "public" not in item


def test_partial_credit_is_explained_once_when_points_were_lost():
    md = feedback_markdown(result(failed("mse"), passed("tanh")))
    assert md.count(report.PARTIAL_CREDIT) == 1
    assert report.PARTIAL_CREDIT not in feedback_markdown(result(passed("tanh")))


def test_full_marks_say_there_is_nothing_to_fix():
    r = result(passed("step"), passed("tanh"))
    assert "Nothing: every question has full marks." in todo_section_markdown(feedback_markdown(r))
    assert "todo done" in feedback_html(r)


# --- one page-level message ---

IMPORT_PROBLEM = "SyntaxError (line 12): never closed (backprop.py, line 12)"


def not_importable():
    message = f"your file could not be imported: {IMPORT_PROBLEM}"
    qs = [
        question(qid, check(f"public: {qid}", False, 0.0, message), check(qid, False, 1.0, message))
        for qid in ("step", "sigmoid", "train_xor")
    ]
    return result(*qs, status="import_error", problem=IMPORT_PROBLEM)


def template():
    def stub(name, weight, qid):
        message = f"`{qid}` is not implemented yet"
        hint = "This function still raises NotImplementedError."
        return check(name, False, weight, message, "not_implemented", hint)

    qs = [
        question(qid, stub(f"public: {qid}", 0.0, qid), stub(qid, 1.0, qid))
        for qid in ("step", "sigmoid", "train_xor")
    ]
    qs[-1]["root_cause"] = ["step", "sigmoid"]
    return result(*qs)


@pytest.mark.parametrize("render", [feedback_markdown, feedback_html])
def test_an_import_error_is_one_message_with_its_line_and_how_to_see_it(render):
    page = render(not_importable())
    assert page.count(IMPORT_PROBLEM) == 1 and page.count("could not be imported") == 1
    assert page.count("make check") == 1 and "python check.py" in page
    assert "✗" not in page and "Hint" not in page  # no question repeats it


def test_an_import_error_quotes_the_offending_line_as_code_whatever_it_holds():
    line = "x = `</code><script>alert(1)</script>` | ** [a](http://e) <!--"
    page_md = feedback_markdown(not_importable() | {"excerpt": line})
    assert "The line: " in page_md and sinks.md_code(line) in page_md
    page = feedback_html(not_importable() | {"excerpt": line})
    assert "<script>" not in page and "The line: <code>" in page


def test_the_offending_line_is_read_only_for_a_line_number_within_the_file(tmp_path):
    from autograder.engine.grade import source_line

    path = tmp_path / "backprop.py"
    path.write_bytes(b"import numpy as np\n\ndef step(z)\n\xff  return z" + b"y" * 500)
    assert source_line(path, 3) == "def step(z)"
    assert (
        source_line(path, 4).startswith("\ufffd  return zyyy") and len(source_line(path, 4)) == 160
    )
    for number in (0, -1, 5, 10**9, "3", 3.0, True, None):
        assert source_line(path, number) == ""
    assert source_line(None, 1) == "" and source_line(tmp_path / "missing.py", 1) == ""


@pytest.mark.parametrize("render", [feedback_markdown, feedback_html])
def test_the_untouched_template_is_one_message_and_the_questions_collapsed(render):
    page = render(template())
    assert page.count(report.TEMPLATE) == 1
    assert "is not implemented yet" not in page and "still raises NotImplementedError." not in (
        page.replace(report.TEMPLATE, "")
    )
    assert "✗" not in page and "fix `step`" not in page and "fix <code>" not in page


def test_the_template_questions_are_one_closed_list_in_html():
    html = feedback_html(template())
    tags = re.findall(r"<details[^>]*>", html)
    assert len(tags) == 1 and " open" not in tags[0]


def test_a_partly_done_file_is_not_called_the_template():
    r = template()
    r["questions"][0] = passed("step")
    assert report.page_problem(r) is None
    assert report.TEMPLATE not in feedback_markdown(r)
    assert "(not implemented yet)" in todo_section_markdown(feedback_markdown(r))


def test_a_missing_file_and_a_grader_error_are_page_messages():
    missing = not_importable()
    missing.update(status="no_file", problem="no backprop.py in the folder")
    md = feedback_markdown(missing)
    assert md.count("no backprop.py in the folder") == 1 and "✗" not in md
    broken = result(status="grader_error", problem="the grader failed")
    assert escape(report.GRADER_FAILED) in feedback_html(broken)


# --- questions ---


def test_passed_questions_are_collapsed_and_failed_ones_open():
    html = feedback_html(result(passed("step"), failed("mse"), passed("tanh")))
    tags = dict(re.findall(r"<details id='q-(\w+)'([^>]*)>", html))
    assert set(tags) == {"step", "mse", "tanh"}
    assert " open" in tags["mse"]
    assert " open" not in tags["step"] and " open" not in tags["tanh"]
    summary = re.search(r"<details id='q-step'[^>]*><summary>([^<]*)</summary>", html).group(1)
    assert summary == "✓ step: the step question — 2 / 2"


def test_markdown_shows_a_passed_question_on_one_line_without_its_checks():
    md = feedback_markdown(result(passed("step"), failed("mse")))
    assert "- ✓ step: the step question — 2 / 2" in md and "## ✓" not in md
    assert "step on a small case" not in md and "step on a hidden case" not in md
    assert "mse with N=1" in md and "## ✗ mse" in md


def test_points_are_shown_with_two_decimals_at_most():
    third = question("mse", check("a"), check("b", False), check("c", False), points=2.0)
    r = result(third, passed("tanh", points=48.38))
    assert r["score"] == pytest.approx(49.0467, abs=1e-4)
    for page in (feedback_markdown(r), feedback_html(r)):
        assert "Score: 49.05 / 50.38" in page and "0.67 / 2" in page
        assert "1.33 points lost" in page
        assert not re.search(r"\d\.\d{3}", page)
    assert report.page_points(44.383333) == "44.38" and report.page_points(2.0) == "2"
    assert report.page_points(1.5) == "1.5" and report.page_points(-0.0001) == "0"


# --- student text ---

HOSTILE = "`update` wrote <script>alert(1)</script> **50 / 50** [x](javascript:alert(1))"


def test_backticks_become_code_and_student_html_stays_text():
    bad = question(
        "update",
        check(
            "update on a 2-2-1 network",
            False,
            1.0,
            HOSTILE,
            "modifies_input",
            "Compute a **new** array: `theta - eta * grad`, not `-=`.",
        ),
    )
    r = result(bad, submission="<img src=x onerror=alert(1)>")
    html = feedback_html(r)
    assert "<code>update</code> wrote &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<img" not in html and "<a href='javascript" not in html
    assert "<strong>50 / 50</strong>" not in html  # no bold from a student's message
    # the course's hint: code spans and bold
    assert "Compute a <strong>new</strong> array: <code>theta - eta * grad</code>" in html
    assert "<code>-=</code>" in html


def test_markdown_keeps_student_text_in_code_spans():
    bad = question("update", check("update", False, 1.0, HOSTILE, "modifies_input"))
    rendered = mistune.html(feedback_markdown(result(bad, submission="**Score: 50 / 50**")))
    assert "<script" not in rendered and "<a href" not in rendered
    assert "<strong>Score: 50 / 50</strong>" not in rendered


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("a `b` c", "a <code>b</code> c"),
        ("`` a ` b ``", "<code>a ` b</code>"),
        ("one ` alone", "one ` alone"),
        ("`<b>`", "<code>&lt;b&gt;</code>"),
        ("**x**", "**x**"),
    ],
)
def test_inline_html_renders_code_spans_only(text, html):
    assert report.inline_html(text) == html


def test_inline_html_renders_bold_only_when_asked():
    assert report.inline_html("a **b** `**c**`", strong=True) == (
        "a <strong>b</strong> <code>**c**</code>"
    )


# --- the page ---


def test_the_page_declares_its_language_viewport_and_title():
    html = feedback_html(result(failed("mse")))
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html and '<meta charset="utf-8">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r"<title>Feedback on backprop for ada: 1 / 2</title>", html)


def test_the_page_is_self_contained():
    figures = [LINE, HEATMAP]
    html = feedback_html(result(failed("mse"), figures=figures))
    assert "<script" not in html and "<link" not in html and "src=" not in html
    assert "@import" not in html and "url(" not in html
    assert re.findall(r"https?://[^\"' )]+", html) == ["http://www.w3.org/2000/svg"] * 2


# --- figures ---

LOSSES = [0.18 - 0.06 * k / 199 for k in range(200)]
LINE = {
    "kind": "line",
    "title": "Your training loss on XOR (your sgd, 2-4-1 sigmoid network, η = 2)",
    "xlabel": "epoch",
    "ylabel": "loss",
    "series": LOSSES,
}
AXIS = [-0.5 + 0.1 * k for k in range(21)]
HEATMAP = {
    "kind": "heatmap",
    "title": "Decision boundary of your train_xor(3) network",
    "axis": AXIS,
    # XOR-like: high where exactly one coordinate is above 0.5
    "grid": [[0.9 if (x > 0.5) != (y > 0.5) else 0.1 for x in AXIS] for y in AXIS],
    "points": [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]],
    "legend": "blue: output > 0.5, orange: < 0.5; circles: the XOR inputs and their labels",
}


@pytest.mark.parametrize("figure", [LINE, HEATMAP, {**LINE, "series": [None, None]}])
def test_every_text_of_a_figure_is_at_least_12px(figure):
    drawn = svg.render(figure)
    root = ET.fromstring(drawn)
    ns = "{http://www.w3.org/2000/svg}"
    assert float(root.get("font-size")) >= 12
    texts = root.iter(f"{ns}text")
    for text in texts:
        assert float(text.get("font-size", root.get("font-size"))) >= 12, text.text
    sizes = [float(s) for s in re.findall(r"font-size[=:]\"?\s*([\d.]+)", drawn)]
    assert sizes and min(sizes) >= 12


@pytest.mark.parametrize("figure", [LINE, HEATMAP])
def test_a_figure_fits_its_text_in_its_width(figure):
    root = ET.fromstring(svg.render(figure))
    width = float(root.get("width"))
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        size = float(text.get("font-size"))
        assert len(text.text or "") * svg.CHAR_EM * size <= width, text.text


def alt_texts(drawn):
    root = ET.fromstring(drawn)
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert root.get("role") == "img" and root.get("aria-label") == title
    return title


def test_the_alt_text_of_a_line_chart_says_what_the_curve_does():
    alt = alt_texts(svg.render(LINE))
    assert alt.startswith("Line chart: Your training loss on XOR")
    assert "over 200 epochs" in alt and "from 0.18 (epoch 1) to 0.12 (epoch 200)" in alt
    dip = svg.describe_line([3.0, 1.0, None, 2.0], "mistakes", "epoch", "mistakes")
    assert "lowest 1 at epoch 2" in dip and "1 epoch without a finite value" in dip


def test_the_alt_text_of_a_heatmap_says_where_the_marked_points_fall():
    alt = alt_texts(svg.render(HEATMAP))
    assert alt.startswith("Heat map: Decision boundary of your train_xor(3) network")
    assert "(0, 1), label 1: 0.90" in alt and "(1, 1), label 0: 0.10" in alt
    assert "4 of 4 on the side of 0.5 their label asks for" in alt
    wrong = {**HEATMAP, "grid": [[0.9] * len(AXIS) for _ in AXIS]}
    assert "2 of 4" in svg.describe_heatmap(wrong["grid"], AXIS, wrong["points"], "t")


def test_a_figure_escapes_its_texts():
    drawn = svg.render({**LINE, "title": "<script>x</script> & co", "ylabel": '"quoted"'})
    assert "<script>" not in drawn
    ET.fromstring(drawn)  # well-formed XML


def test_ticks_are_round_numbers():
    assert svg.nice_ticks(0.0, 0.171) == [0.0, 0.05, 0.1, 0.15, 0.2]
    assert svg.nice_ticks(0.0, 3.0)[-1] >= 3.0


def test_beside_a_known_mistake_how_the_values_relate_is_not_repeated():
    q = question(
        "step",
        check("public: step of a (3, 2) array", False, 0.0, "only row 1 differs",
              "relation_one_row", "Only one row of your result is wrong."),
        check("step(0) is 1", False, 1.0, "expected 1, got 0", "step_strict", "Use `>=`."),
        check("step on a big array", False, 1.0, "raised", "exception", "An exception."),
    )  # fmt: skip
    assert report.question_view(q)[1] == ["Use `>=`.", "An exception."]
    alone = question("step", q["checks"][0], q["checks"][2])
    assert report.question_view(alone)[1] == [
        "Only one row of your result is wrong.",
        "An exception.",
    ]


@pytest.mark.parametrize(
    "values",
    [[-1.7e308] * 300, [1.7e308, -1.7e308, 0.0], [1e-320, 5e-324], [None, 1e308, None]],
)
def test_a_curve_of_extreme_numbers_is_drawn(values):
    figure = {**LINE, "series": [], "curves": [("yours", values), ("the reference's", [0.1])]}
    ET.fromstring(svg.render(figure))  # well-formed, no exception


def test_a_figure_that_cannot_be_drawn_costs_that_picture_only():
    broken = {"kind": "unknown", "title": "<b>your curve</b>"}
    page = feedback_html(not_importable() | {"figures": [broken, LINE]})
    assert "&lt;b&gt;your curve&lt;/b&gt;: not drawn (ValueError)." in page
    assert page.count("<svg") == 1


def test_one_page_that_fails_to_render_leaves_the_others_written(tmp_path):
    good = not_importable() | {"submission": "good"}
    bad = {k: v for k, v in not_importable().items() if k != "assignment"} | {"submission": "bad"}
    report.write_all([bad, good], tmp_path)
    assert "could not be written" in (tmp_path / "feedback" / "bad.html").read_text()
    assert "could not be written" in (tmp_path / "feedback" / "bad.md").read_text()
    assert "could not be imported" in (tmp_path / "feedback" / "good.html").read_text()


def test_the_offending_line_is_counted_and_decoded_as_python_reads_the_file(tmp_path):
    from autograder.engine.grade import source_line

    path = tmp_path / "backprop.py"
    path.write_bytes(b"import numpy as np\n# page\x0cbreak \x1c and \xc2\x85 here\nx = 1\ny = (\n")
    assert source_line(path, 4) == "y = ("
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nz = (\n")
    assert source_line(path, 2) == "name = 'été'"
