"""One submission's failure, whatever it is, is its own: the class is graded, nothing is left.

These run at the process level (no isolation needed): what is tested is the trusted side.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import REFERENCE, ROOT

from autograder import cli
from autograder.engine import config as config_module
from autograder.engine import grade
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect

LOOP = "import time\nwhile True:\n    time.sleep(0.05)\n"


def class_folder(tmp_path, **extra):
    root = tmp_path / "subs"
    root.mkdir()
    for name in ("honest_a", "honest_b"):
        (root / f"{name}.py").write_text(REFERENCE.read_text())
    for name, text in extra.items():
        (root / f"{name}.py").write_text(text)
    return root


def grade_folder(root, tmp_path, jobs=2):
    config = config_module.load()
    subs = collect(root, "backprop.py", tmp_path / "work")
    results = grade.grade_all(subs, config.assignment, config, ProcessSandbox, jobs=jobs)
    return {r["submission"]: r for r in results}


def failing_for(name, failure):
    """``grade._grade`` that fails with ``failure()`` for the submission ``name``."""
    original = grade._grade

    def fake(submission, *args):
        if submission.id == name:
            failure()
        return original(submission, *args)

    return fake


def test_a_grader_bug_on_one_submission_is_that_submissions_grader_error(tmp_path, monkeypatch):
    def bug():
        raise KeyError("a bug in a judge")

    monkeypatch.setattr(grade, "_grade", failing_for("unlucky", bug))
    results = grade_folder(class_folder(tmp_path, unlucky=REFERENCE.read_text()), tmp_path)
    assert results["unlucky"]["status"] == "grader_error"
    assert results["unlucky"]["score"] == 0 and results["unlucky"]["max_score"] == 50
    assert "KeyError" in results["unlucky"]["staff_note"]
    assert results["honest_a"]["score"] == results["honest_b"]["score"] == 50


def test_a_grading_process_that_dies_costs_only_the_submission_it_held(tmp_path, monkeypatch):
    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(grade, "_grade", failing_for("killer", die))
    results = grade_folder(class_folder(tmp_path, killer=REFERENCE.read_text()), tmp_path)
    assert results["killer"]["status"] == "grader_error"
    assert "died" in results["killer"]["staff_note"]
    assert results["honest_a"]["score"] == results["honest_b"]["score"] == 50


def test_memory_exhaustion_in_the_grader_is_a_grader_error_not_a_crash(tmp_path, monkeypatch):
    def hog():
        bytearray(grade.GRADER_MEMORY)  # beyond the grading process's address space

    monkeypatch.setattr(grade, "_grade", failing_for("hog", hog))
    results = grade_folder(class_folder(tmp_path, hog=REFERENCE.read_text()), tmp_path)
    assert (
        results["hog"]["status"] == "grader_error"
        and "MemoryError" in (results["hog"]["staff_note"])
    )
    assert results["honest_a"]["score"] == 50


def test_the_command_line_exits_3_and_names_results_that_need_staff(tmp_path, monkeypatch, capsys):
    def bug():
        raise RuntimeError("judge bug")

    monkeypatch.setattr(grade, "_grade", failing_for("unlucky", bug))
    root = class_folder(tmp_path, unlucky=REFERENCE.read_text())
    status = cli.main(["grade", str(root), "--out", str(tmp_path / "out"), "--unsafe"])
    assert status == cli.NEEDS_ATTENTION
    assert "attention: unlucky: grader_error: RuntimeError: judge bug" in capsys.readouterr().err
    assert (tmp_path / "out" / "grades.csv").read_text().count("\n") == 4


@pytest.mark.parametrize(
    "stop",
    [
        lambda grader: grader.send_signal(signal.SIGTERM),
        lambda grader: os.killpg(grader.pid, signal.SIGINT),  # Ctrl-C: the whole group
    ],
    ids=["sigterm", "ctrl-c"],
)
def test_stopping_the_grader_leaves_no_worker_or_scratch_folder(tmp_path, stop):
    root = class_folder(tmp_path, loop_a=LOOP.replace("True", "1"), loop_b=LOOP)
    (root / "honest_a.py").write_text("import time\ntime.sleep(600)\n")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT)}
    grader = subprocess.Popen(
        [sys.executable, "-m", "autograder", "grade", str(root), "--unsafe", "--jobs", "2"]
        + ["--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as in a terminal
    )
    deadline = time.monotonic() + 30
    while not list(scratch.glob("bp-worker-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(scratch.glob("bp-worker-*")), "no worker started"
    stop(grader)
    assert grader.wait(timeout=30) != 0
    time.sleep(0.5)
    assert list(scratch.iterdir()) == []
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _runs_in(p, scratch)]


def _runs_in(pid, folder):
    try:
        return str(folder) in os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return False


def test_a_grader_error_first_in_the_class_keeps_the_gradebooks_columns():
    from autograder.engine import report

    honest = {
        "submission": "b",
        "score": 1.0,
        "max_score": 2.0,
        "status": "graded",
        "questions": [{"id": "q1", "score": 1.0, "points": 2.0}],
    }
    failed = {**honest, "submission": "a", "score": 0.0, "status": "grader_error"}
    failed["questions"] = []
    header, first, second = report.csv_text([failed, honest]).splitlines()
    assert header == "submission,score,max_score,q1,status"
    assert first == "a,0,2,0,grader_error" and second == "b,1,2,1,graded"


def test_a_second_stop_signal_while_workers_close_is_only_noted(monkeypatch):
    from autograder.engine import runner

    closed, exits = [], []

    class Worker:
        def close(self):
            closed.append(self)
            runner.stop_on_signal(signal.SIGTERM)  # a second signal arrives meanwhile

    def exit_(code):
        exits.append(code)
        raise SystemExit(code)

    monkeypatch.setattr(runner, "LIVE", {Worker()})
    monkeypatch.setattr(runner.os, "_exit", exit_)
    monkeypatch.setitem(runner._HELD, "depth", 0)
    monkeypatch.setitem(runner._HELD, "signal", None)
    with pytest.raises(SystemExit):
        runner.stop_on_signal(signal.SIGTERM)
    assert len(closed) == 1 and exits == [128 + signal.SIGTERM]
