"""The class report (report.html, report.md): its figures match the results, submissions that
were not really graded are listed apart, student text is escaped, ``report`` rebuilds what
``grade`` wrote, and the page renders in a browser."""

import json
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, check_isolation, grade_command

from autograder import cli
from autograder.engine import class_facts, class_report, sinks

MAX_SCORE = 4.0


def check(name, passed, mistake="", weight=1.0, hint=None):
    return {
        "name": name,
        "weight": weight,
        "gate": False,
        "passed": passed,
        "message": "" if passed else "wrong values",
        "mistake": "" if passed else mistake,
        "hint": "" if passed else hint if hint is not None else f"Hint for {mistake}.",
    }


def result(sid, alpha=(), beta=(), status="graded", blank=False):
    """A result of two questions worth 2 points each; ``alpha`` and ``beta`` name the
    mistakes of the failing checks (two scored checks and a public one per question)."""

    def question(qid, mistakes):
        if blank:
            checks = [check(f"{qid} {n}", False, "not_implemented") for n in (1, 2)]
        else:
            checks = [check(f"{qid} {n}", n > len(mistakes), m) for n, m in enumerate(mistakes, 1)]
            checks += [check(f"{qid} {n}", True) for n in range(len(checks) + 1, 3)]
        checks.insert(0, check(f"public: {qid}", not mistakes, mistakes[0] if mistakes else "", 0))
        score = 2.0 * sum(c["passed"] for c in checks[1:]) / 2
        return {
            "id": qid,
            "title": f"the {qid}",
            "slide": "S",
            "points": 2.0,
            "score": score,
        }, checks

    questions = []
    for qid, mistakes in (("alpha", list(alpha)), ("beta", list(beta))):
        summary, checks = question(qid, mistakes)
        questions.append({**summary, "checks": checks})
    score = 0.0 if status != "graded" else sum(q["score"] for q in questions)
    return {
        "submission": sid,
        "identity": {},
        "source": f"{sid}.py",
        "assignment": "demo",
        "isolation": "process",
        "max_score": MAX_SCORE,
        "status": status,
        "problem": "" if status == "graded" else "SyntaxError (line 1)",
        "score": score,
        "questions": [] if status == "grader_error" else questions,
        "figures": [],
        "output": "",
    }


def a_class():
    return [
        result("ada"),  # 4
        result("bob", alpha=["sum_not_mean"], beta=["sum_not_mean", "exception"]),  # 1
        result("cy", beta=["sum_not_mean"]),  # 3
        result("dee", alpha=["timeout", "timeout"], beta=["transposed", "transposed"]),  # 0
        result("eve", blank=True),
        result("fay", status="import_error"),
        result("gus", status="no_file"),
        result("hal", status="grader_error"),
    ]


# --- the figures ---


def test_the_histogram_counts_match_the_scores():
    scores = [0.0, 0.39, 0.4, 1.0, 2.0, 2.0, 3.99, 4.0]
    counts, edges = class_facts.histogram(scores, MAX_SCORE)
    assert len(counts) == class_facts.BINS and sum(counts) == len(scores)
    for k, count in enumerate(counts):
        last = k == len(counts) - 1
        inside = [s for s in scores if edges[k] <= s and (s < edges[k + 1] or last)]
        assert count == len(inside), (k, edges[k], edges[k + 1])

    html, markdown = class_report.build(a_class())
    graded = {"ada": 4, "bob": 1, "cy": 3, "dee": 0}
    counts, _ = class_facts.histogram(list(graded.values()), MAX_SCORE)
    rows = re.findall(r"^\| \[[\d.]+, [\d.]+[)\]] \| (\d+) \|", markdown, re.M)
    assert [int(r) for r in rows] == counts and sum(counts) == len(graded)
    label = re.search(r'<svg[^>]*aria-label="([^"]*)"', html).group(1)
    assert label.startswith("Bar chart: Scores of the 4 graded submissions")
    per_bin = re.findall(r"\d+(?:\.\d+)? to \d+(?:\.\d+)?: (\d+)", label)
    assert [int(c) for c in per_bin] == counts
    assert "<title>Bar chart:" in html and "<figcaption>Bar chart:" in html


def test_blank_and_broken_submissions_are_listed_apart_and_left_out_of_means_and_rates():
    facts = class_facts.facts(a_class())
    assert [r["submission"] for r in facts["graded"]] == ["ada", "bob", "cy", "dee"]
    assert facts["apart"] == {
        "blank": ["eve"],
        "import_error": ["fay"],
        "no_file": ["gus"],
        "grader_error": ["hal"],
    }
    alpha, beta = facts["questions"]
    assert alpha[1] == (2 + 1 + 2 + 0) / 4 and alpha[2] == 2  # mean, full marks
    assert [(label, p, t) for label, p, t in alpha[3]] == [
        ("alpha 1", 2, 4),  # hardest first
        ("alpha 2", 3, 4),
    ]
    _, markdown = class_report.build(a_class())
    assert "Scores of the 4 graded submissions (out of 4): mean 2, median 2, min 0, max 4" in (
        markdown
    )
    assert "- **Blank** (1; nothing implemented" in markdown and "): `eve`" in markdown
    assert "- **Did not import** (1; " in markdown and "): `fay`" in markdown
    assert "| `alpha` the alpha | 2 | 1.25 | 50% (2/4) |" in markdown
    assert "- 50% (2/4) alpha 1" in markdown and "- 75% (3/4) alpha 2" in markdown


def test_a_class_where_nothing_was_graded_says_so():
    html, markdown = class_report.build([result("eve", blank=True)])
    assert "No submission was graded" in markdown and class_report.NO_SCORES in html
    assert "<svg" not in html


def test_a_misconception_counts_once_per_submission_with_its_ids():
    common = class_facts.misconceptions(class_facts.facts(a_class())["graded"])
    assert [(key, questions, ids) for key, _, questions, ids in common] == [
        ("sum_not_mean", ["alpha", "beta"], ["bob", "cy"]),  # bob: 4 failures, counted once
        ("transposed", ["beta"], ["dee"]),
    ]  # timeout, exception and not_implemented (eve, who is blank anyway) say nothing
    assert common[0][1] == "Hint for sum_not_mean."
    _, markdown = class_report.build(a_class())
    assert "1. **`sum_not_mean`** (`alpha`, `beta`): 2 submissions" in markdown
    assert "   - Hint for sum_not_mean.\n   - `bob`, `cy`" in markdown


def test_how_values_relate_counts_only_where_no_mistake_is_named():
    both = result("ivy", alpha=["relation_sign", "sum_not_mean"], beta=["relation_zero"])
    common = class_facts.misconceptions([both])
    assert [(key, questions) for key, _, questions, _ in common] == [
        ("relation_zero", ["beta"]),  # alpha names its mistake: its relation_sign adds nothing
        ("sum_not_mean", ["alpha"]),
    ]


def test_the_lists_are_bounded():
    crowd = [result(f"s{i:02}", alpha=["sum_not_mean"]) for i in range(60)]
    crowd += [result(f"t{k:02}", beta=[f"mistake_{k:02}"]) for k in range(12)]
    html, markdown = class_report.build(crowd)
    listed = re.findall(r"^\d+\. \*\*`(\w+)`\*\*", markdown, re.M)
    assert len(listed) == class_facts.MAX_MISCONCEPTIONS and listed[0] == "sum_not_mean"
    assert "3 less common ones not shown." in markdown
    assert "`s49` and 10 more" in markdown and "`s50`" not in markdown
    assert "<code>s49</code> and 10 more" in html and "<code>s50</code>" not in html


def test_the_time_per_submission_is_given_when_measured_and_never_invented():
    results = a_class()
    assert "mean 0.25 s, max 0.40 s" in class_report.build(results, [0.1, 0.4, None])[1]
    assert "mean 0.30 s (the run's wall time" in class_report.build(results, 0.3)[1]
    assert class_report.NOT_RECORDED in class_report.build(results)[1]


# --- student text ---

NASTY = ["<script>alert(1)</script>|`x`", "a|b`*c*`<img src=x onerror=alert(1)>"]


def test_a_submission_id_with_markup_comes_out_escaped_in_both_files(tmp_path):
    results = [result(NASTY[0], alpha=["sum_not_mean"]), result(NASTY[1], blank=True)]
    results.append(result("ok"))
    class_report.write(results, tmp_path)
    html = (tmp_path / class_report.HTML_FILE).read_text(encoding="utf-8")
    markdown = (tmp_path / class_report.MARKDOWN_FILE).read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;|`x`" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    rest = markdown
    for sid in NASTY:
        span = sinks.md_code(sid, class_report.ID_CHARS)
        assert span in markdown, sid
        rest = rest.replace(span, "")
    assert "<script" not in rest and "<img" not in rest and "`x`" not in rest and "*c*" not in rest
    # the ids are on list lines, never in a table, where a pipe could end a cell
    assert not [line for line in markdown.splitlines() if line.startswith("|") and "<" in line]


# --- the command line ---


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The example submissions graded by the command line, and the reports it wrote."""
    out = tmp_path_factory.mktemp("class") / "out"
    command = grade_command(ROOT / "examples" / "backprop" / "submissions", "--out", out)
    done = subprocess.run(
        command + ["--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    check_isolation(done.stderr)
    written = {
        name: (out / name).read_text(encoding="utf-8")
        for name in (class_report.HTML_FILE, class_report.MARKDOWN_FILE)
    }
    return out, written


def without_time(text):
    return [line for line in text.splitlines() if "Time per submission" not in line]


def test_grade_writes_the_report_with_the_time_per_submission(graded):
    out, written = graded
    markdown = written[class_report.MARKDOWN_FILE]
    assert re.search(
        r"^Time per submission: mean [\d.]+ s, max [\d.]+ s \(7 measured\)\.$", markdown, re.M
    )
    assert "- **Blank** (1; " in markdown and "`grace`" in markdown
    assert "- **Did not import** (1; " in markdown and "`frank`" in markdown
    assert "Scores of the 5 graded submissions" in markdown
    data = json.loads((out / "grading.json").read_text(encoding="utf-8"))
    assert "seconds" not in json.dumps(data)  # timings stay out of grading.json


def test_report_rebuilds_the_files_grade_wrote_except_the_time_line(graded, tmp_path, capsys):
    out, written = graded
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    (folder / class_report.HTML_FILE).unlink()
    (folder / class_report.MARKDOWN_FILE).unlink()
    assert cli.main(["report", str(folder)]) == 0
    assert "report.html" in capsys.readouterr().out
    for name, text in written.items():
        rebuilt = (folder / name).read_text(encoding="utf-8")
        assert without_time(rebuilt) == without_time(text), name
        assert len(without_time(text)) == len(text.splitlines()) - 1, name
        assert "not recorded" in rebuilt
    assert cli.main(["merge", str(out), "--out", str(tmp_path / "merged")]) == 0
    for name in written:
        merged = (tmp_path / "merged" / name).read_bytes()
        assert merged == (folder / name).read_bytes(), name


def test_report_without_a_readable_grading_json_exits_2(tmp_path, capsys):
    assert cli.main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no grading.json" in error
    (tmp_path / "grading.json").write_text("{not json", encoding="utf-8")
    assert cli.main(["report", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "grading.json cannot be read" in error
    (tmp_path / "grading.json").write_text('{"format": 1, "results": [{}]}', encoding="utf-8")
    assert cli.main(["report", str(tmp_path)]) == 2
    assert "cannot be read" in capsys.readouterr().err
    assert not (tmp_path / class_report.HTML_FILE).exists()


# --- in a browser ---

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
OFFLINE = ["--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


def headless(page, profile, *arguments):
    """Chromium, headless and offline, on ``page``: its stdout and stderr."""
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if not found:
        pytest.skip("chromium is not installed: the class report's rendering is not checked")
    command = [found, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    command += ["--no-first-run", f"--user-data-dir={profile}", *OFFLINE, *arguments]
    done = subprocess.run(command + [page.as_uri()], capture_output=True, text=True, timeout=180)
    return done.stdout, done.stderr


def console_errors(page, stderr):
    """The lines of Chromium's log that are console messages or uncaught errors of ``page``
    (the report has no script, so it should have none)."""
    return [
        line
        for line in stderr.splitlines()
        if ("CONSOLE" in line or "Uncaught" in line) and page.as_uri() in line
    ]


def test_the_report_renders_in_chromium_with_its_histogram_and_no_console_errors(graded, tmp_path):
    from PIL import Image

    # the log shows a page's errors (else this test could not see any)
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><p>x</p><script>throw new Error('seen')</script>")
    logging = ["--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000", "--dump-dom"]
    _, stderr = headless(broken, tmp_path / "profile", *logging)
    assert console_errors(broken, stderr), stderr[-2000:]

    page = graded[0] / class_report.HTML_FILE
    dom, stderr = headless(page, tmp_path / "profile", *logging)
    assert console_errors(page, stderr) == []
    svg = re.search(r"<svg[^>]*>.*?</svg>", dom, re.S)
    assert svg and 'role="img"' in svg.group() and "Bar chart: Scores of the 5" in svg.group()
    assert svg.group().count("<rect") > 2  # the background and the bars

    shot = tmp_path / "shot.png"
    headless(page, tmp_path / "profile", "--window-size=1000,1400", f"--screenshot={shot}")
    assert shot.is_file()
    with Image.open(shot) as image:
        grey = image.convert("L")
        assert grey.size == (1000, 1400)
        low, high = grey.getextrema()
        dark = sum(count for value, count in enumerate(grey.histogram()) if value < 160)
    assert low < high, "the screenshot is one colour"
    assert dark > 0.005 * 1000 * 1400, "the screenshot is (nearly) blank"


def test_a_failure_a_failing_step_explains_counts_for_that_step_only():
    ada = result("ada", alpha=["sum_not_mean"], beta=["xor_not_learned"])
    ada["questions"][1]["root_cause"] = ["alpha"]  # beta runs alpha, which fails its checks
    bob = result("bob", beta=["curve_differs"])
    for c in bob["questions"][1]["checks"][:2]:  # the public and the scored one
        c["root_cause"] = ["alpha"]
    common = class_facts.misconceptions(class_facts.facts([ada, bob])["graded"])
    assert [(key, ids) for key, _, _, ids in common] == [("sum_not_mean", ["ada"])]
