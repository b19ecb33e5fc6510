"""The grader on the reference, the template and simple broken files."""

import os
import re
import subprocess
import sys
import time

import pytest
from conftest import REFERENCE, ROOT, TEMPLATE

from autograder.engine import config as config_module
from autograder.engine import report
from autograder.engine.assignment import load
from autograder.engine.grade import derive_seed, grade_all
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("subs")
    (root / "reference.py").write_text(REFERENCE.read_text())
    (root / "template.py").write_text(TEMPLATE.read_text())
    (root / "syntax.py").write_text("def broken(:\n")
    (root / "exits.py").write_text("import sys\nsys.exit(3)\n")
    (root / "empty_folder").mkdir()
    config = config_module.load()
    subs = collect(root, "backprop.py", tmp_path_factory.mktemp("work"))
    results = grade_all(subs, config.assignment, config, ProcessSandbox, jobs=2)
    return {r["submission"]: r for r in results}


def test_reference_scores_full_marks(graded):
    r = graded["reference"]
    failed = [
        (q["id"], c["message"]) for q in r["questions"] for c in q["checks"] if not c["passed"]
    ]
    assert r["score"] == r["max_score"] == 50, failed


def test_template_scores_zero_with_not_implemented_on_every_question(graded):
    r = graded["template"]
    assert r["score"] == 0 and r["status"] == "graded"
    for q in r["questions"]:
        assert any(c["mistake"] == "not_implemented" for c in q["checks"]), q["id"]


@pytest.mark.parametrize(
    "name, status, words",
    [
        ("syntax", "import_error", "SyntaxError"),
        ("exits", "import_error", "sys.exit(3)"),
        ("empty_folder", "no_file", "no backprop.py"),
    ],
)
def test_broken_submissions_score_zero_with_a_clear_problem(graded, name, status, words):
    r = graded[name]
    assert r["score"] == 0 and r["status"] == status and words in r["problem"]


def test_per_student_seeds_differ_and_are_stable():
    assert derive_seed("s", "alice") == derive_seed("s", "alice")
    assert derive_seed("s", "alice") != derive_seed("s", "bob")
    assert derive_seed("s", "alice") != derive_seed("t", "alice")


def test_grading_twice_writes_identical_reports(tmp_path):
    root = tmp_path / "subs"
    root.mkdir()
    (root / "alice.py").write_text(REFERENCE.read_text().replace(">= 0.0, 1.0", "> 0.0, 1.0"))
    config = config_module.load()
    outputs = []
    for run in ("a", "b"):
        subs = collect(root, "backprop.py", tmp_path / f"work-{run}")
        report.write_all(grade_all(subs, config.assignment, config, ProcessSandbox), tmp_path / run)
        files = sorted(p for p in (tmp_path / run).rglob("*") if p.is_file())
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in files})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 4


def test_points_table_adds_up_to_fifty():
    questions = load("autograder.backprop").build(0)
    assert sum(q.points for q in questions) == 50
    assert all(q.checks for q in questions)


def test_hard_coded_public_answers_pass_the_public_checks_but_earn_nothing(tmp_path, ref):
    from autograder.backprop.reference import public
    from tools.public_check_runtime import resolve

    table = {}
    for case in public.CASES["sigmoid"]:
        if case["function"] == "sigmoid":
            z = resolve(case["args"]["z"], {}, {})
            table[repr(z.tolist())] = ref.sigmoid(z).tolist()
    stub = re.compile(r'raise NotImplementedError\(\s*"sigmoid:[^"]*"\s*\)')
    lookup = f"return np.array({table!r}[repr(np.asarray(z).tolist())])"
    cheat, count = stub.subn(lambda _: lookup, TEMPLATE.read_text())
    assert count == 1
    root = tmp_path / "subs"
    root.mkdir()
    (root / "lookup.py").write_text(cheat)
    config = config_module.load()
    subs = collect(root, "backprop.py", tmp_path / "work")
    result = grade_all(subs, config.assignment, config, ProcessSandbox)[0]
    sigmoid = next(q for q in result["questions"] if q["id"] == "sigmoid")
    public = [c for c in sigmoid["checks"] if c["weight"] == 0 and c["name"].startswith("public")]
    assert any(c["passed"] for c in public)  # the table does answer the public inputs
    assert sigmoid["score"] == 0


def test_two_checks_on_one_call_share_one_call_of_the_students_code():
    from types import SimpleNamespace

    from autograder.engine.checks import Check, Verdict
    from autograder.engine.grade import run_check
    from autograder.engine.runner import Call, Outcome

    calls = []

    class Session:
        def call(self, call, timeout):
            calls.append(call)
            return Outcome("ok", value=[1.0])

    def mutating(outcome):  # a judge may change its outcome (e.g. convert what came back)
        outcome.value = "changed"
        return Verdict(True)

    shared, other = Call("f", (1,)), Call("f", (1,))
    seen = []
    checks = [
        Check("a", shared, mutating),
        Check("b", shared, lambda o: seen.append(o.value) or Verdict(True)),
        Check("c", other, lambda o: Verdict(True)),
    ]
    config = SimpleNamespace(timeout_scale=1.0)
    outcomes, deadline = {}, time.monotonic() + 60
    for check in checks:
        run_check(Session(), check, deadline, config, {}, outcomes)
    assert calls == [shared, other] and seen == [[1.0]]


@pytest.mark.parametrize("chosen", [None, "2"])
def test_every_grading_entry_point_runs_one_blas_thread_unless_told_otherwise(chosen):
    # grading processes run side by side: a BLAS pool in each spun on the cores they shared
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    if chosen:
        env["OPENBLAS_NUM_THREADS"] = chosen
    script = "import os, autograder.engine.grade; print(os.environ['OPENBLAS_NUM_THREADS'])"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert done.stdout.strip() == (chosen or "1")


def test_grading_a_class_imports_no_heavy_numpy_module_it_does_not_need(tmp_path):
    # numpy.ma (60 ms of CPU to import, once per grading process) came in through np.median
    subs = tmp_path / "subs"
    subs.mkdir()
    text = REFERENCE.read_text()
    (subs / "a.py").write_text(text.replace("return 1.0 - t * t", "return 1.0 - t"))
    (subs / "b.py").write_text(text.replace("/ diff.shape[0])", "/ diff.size)"))
    script = f"""
import sys
from autograder.engine import config as config_module
from autograder.engine.grade import grade_submission
from autograder.engine.assignment import load
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect
config = config_module.load()
assignment = load(config.assignment)
for found in collect({str(subs)!r}, assignment.filename, {str(tmp_path / "files")!r}):
    assert grade_submission(found, assignment, config, ProcessSandbox())["score"] < 50
print("numpy.ma" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
