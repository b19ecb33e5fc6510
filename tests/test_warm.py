"""Workers forked from a warm worker (warm.py, zygote.py) are as isolated from each other as
workers started cold: one submission's worker cannot stop, kill or trace the warm worker, and
leaves nothing the next one sees; a warm worker that dies or cannot start costs time only;
the same submission gets the same result warm and cold."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.engine import config as config_module
from autograder.engine import grade, sandbox
from autograder.engine.assignment import load
from autograder.engine.grade import grade_submission
from autograder.engine.runner import WorkerSession
from autograder.engine.submissions import collect
from tools import security_report as harness

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
LEVELS = harness.levels_here()

ATTACKER = """
import os, signal, tempfile

notes = []


def attempt(name, action):
    try:
        action()
        notes.append(f"{name}: done")
    except Exception as error:
        notes.append(f"{name}: {type(error).__name__}")


parent = os.getppid()
attempt("stop parent", lambda: os.kill(parent, signal.SIGSTOP))
attempt("signal everyone", lambda: os.kill(-1, 0))
attempt("signal parent group", lambda: os.killpg(os.getpgid(parent), 0))
attempt("join parent group", lambda: os.setpgid(0, os.getpgid(parent)))
attempt("parent memory", lambda: open(f"/proc/{parent}/mem", "r+b").close())
left = os.path.join(tempfile.gettempdir(), "left-behind")
attempt("leave a file", lambda: open(left, "w").close())
attempt("signal itself", lambda: os.kill(os.getpid(), 0))
print("\\n".join(notes))
"""

SPY = """
import os, tempfile

print("left-behind seen:", os.path.exists(os.path.join(tempfile.gettempdir(), "left-behind")))
"""


def _levels():
    return [
        pytest.param(level, marks=pytest.mark.skipif(LEVELS[level][0] is None, reason=why))
        for level, (_, why) in ((name, LEVELS[name]) for name in ("bwrap", "user", "process"))
    ]


@pytest.fixture(params=_levels())
def setup(request, tmp_path):
    """(warm sandbox, cold sandbox, {name: Submission}, assignment, config) at a level."""
    level = request.param
    python = LEVELS[level][0]
    # outside pytest's private folders: a grading uid reaches its own folder, lists nothing
    scratch = Path(tempfile.mkdtemp(prefix="bp-warm-test-"))
    os.chmod(scratch, 0o711)
    subs = tmp_path / "subs"
    subs.mkdir()
    for name, text in {
        "attacker": ATTACKER,
        "spy": SPY,
        "reference": REFERENCE.read_text(),
        "mistake": REFERENCE.read_text().replace("np.mean(", "np.sum(", 1),
        "global_random": REFERENCE.read_text().replace("rng.normal(0.0", "np.random.normal(0.0"),
    }.items():
        (subs / f"{name}.py").write_text(text)
    assignment = load("backprop")
    found = {s.id: s for s in collect(subs, assignment.filename, tmp_path / "files")}
    config = config_module.load()
    warm = sandbox.make(level, config.limits, python, str(scratch))
    cold = sandbox.make(level, config.limits, python, str(scratch), warm=False)
    yield warm, cold, found, assignment, config
    warm.close()
    left = os.listdir(scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    assert left == []  # no folder of a warm worker is left behind


def test_a_forked_worker_can_signal_only_itself_and_cannot_reach_the_warm_worker(setup):
    warm, _, subs, assignment, config = setup
    notes = grade_submission(subs["attacker"], assignment, config, warm)["output"]
    for attempt in ("stop parent", "signal everyone", "signal parent group"):
        assert f"{attempt}: PermissionError" in notes, notes
    if warm.level != "process" or os.geteuid() != 0:  # a root grader's own user may trace
        assert "parent memory: PermissionError" in notes, notes
    assert "join parent group: PermissionError" in notes, notes  # another session's group
    assert "signal itself: done" in notes, notes
    assert warm.warm.process.poll() is None and warm.warm.starts == 1


def test_the_next_submission_sees_nothing_the_previous_one_left(setup):
    warm, _, subs, assignment, config = setup
    assert (
        "leave a file: done"
        in grade_submission(subs["attacker"], assignment, config, warm)["output"]
    )
    seen = grade_submission(subs["spy"], assignment, config, warm)["output"]
    assert "left-behind seen: False" in seen
    assert warm.warm.starts == 1  # the same warm worker served both


def test_an_honest_submission_after_a_hostile_one_keeps_full_marks(setup):
    warm, _, subs, assignment, config = setup
    grade_submission(subs["attacker"], assignment, config, warm)
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50
    assert warm.warm.starts == 1


def test_a_dead_warm_worker_costs_time_only(setup):
    warm, _, subs, assignment, config = setup
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50
    os.killpg(warm.warm.process.pid, signal.SIGKILL)  # say, the machine's OOM killer
    warm.warm.control.settimeout(10)
    assert warm.warm.control.recv(64) == b""  # gone, with everything in its namespaces
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50
    assert warm.warm.starts == 2


def test_a_worker_lost_with_its_warm_worker_marks_the_submission_for_a_second_grading(
    setup, monkeypatch
):
    warm, _, subs, assignment, config = setup
    batches = []
    original = WorkerSession._run  # one call, or a question's calls sent together

    def killing_before_the_fifth(session, calls, timeouts, until=None):
        batches.append(calls)
        if len(batches) == 5:
            os.killpg(warm.warm.process.pid, signal.SIGKILL)
            warm.warm.process.wait()
        return original(session, calls, timeouts, until)

    monkeypatch.setattr(WorkerSession, "_run", killing_before_the_fifth)
    result = grade_submission(subs["reference"], assignment, config, warm)
    assert result["disturbed"] and grade._disturbed(result)
    monkeypatch.setattr(WorkerSession, "_run", original)
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50


def test_a_warm_worker_that_cannot_start_leaves_workers_started_cold(setup, monkeypatch):
    warm, _, subs, assignment, config = setup

    def broken(control_fd):
        box = type(warm.inner).prepare_warm(warm.inner, control_fd)
        box.argv = ["/bin/false"]
        return box

    monkeypatch.setattr(warm.inner, "prepare_warm", broken)
    monkeypatch.setattr("autograder.engine.warm.START_TIMEOUT", 2.0)
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50
    assert warm.warm.process is None and warm.warm.broken
    assert grade_submission(subs["reference"], assignment, config, warm)["score"] == 50
    assert warm.warm.starts == 1  # not tried again for every submission


def test_a_submission_gets_the_same_result_warm_and_cold(setup):
    warm, cold, subs, assignment, config = setup
    varying = {"seconds", "grader_peak_kb", "worker_peak_kb"}
    for name in ("reference", "mistake", "global_random", "spy"):
        # warm, cold and warm again: the same (draws from NumPy's global generator included)
        results = [grade_submission(subs[name], assignment, config, s) for s in (warm, cold, warm)]
        same = [{k: v for k, v in r.items() if k not in varying} for r in results]
        assert same[0] == same[1] == same[2], name
    assert results[0]["score"] == 0 and results[0]["status"] == "graded"


def test_the_warm_worker_empties_tmp_but_keeps_the_folders_it_started_with(tmp_path):
    from autograder.engine import zygote

    (tmp_path / "runtime" / "venv").mkdir(parents=True)  # a runtime bound under /tmp, say
    kept = zygote.skeleton([str(tmp_path)])
    (tmp_path / "note.txt").write_text("for the next one")
    (tmp_path / "runtime" / "hidden.txt").write_text("here too")
    locked = tmp_path / "locked"
    (locked / "deep").mkdir(parents=True)
    (locked / "deep" / "file").write_text("x")
    os.chmod(locked / "deep", 0)
    os.chmod(locked, 0)
    assert zygote.wipe(str(tmp_path), kept)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "runtime",
        "runtime/venv",
    ]


def test_a_forked_worker_imports_nothing_the_warm_worker_could_have(tmp_path):
    # what a worker does before the student's first call (numpy.random, which NumPy imports
    # lazily, cost every forked worker 10 ms of CPU when the warm worker had not imported it)
    student = tmp_path / "student.py"
    student.write_text("import numpy as np\n\nRNG = np.random.default_rng(0)\n")
    library = ROOT / "autograder" / "backprop" / "scalar_functions.py"
    script = f"""
import random, sys
sys.path.insert(0, {str(ROOT / "autograder" / "engine")!r})
import zygote
before = set(sys.modules)
zygote.worker.np.random.seed(0)
random.seed(0)
zygote.worker.load_library(open({str(library)!r}).read())
zygote.worker.load_student({str(student)!r})
try:
    1 / 0
except ZeroDivisionError as error:
    zygote.worker.describe_error(error, {str(student)!r})
print(sorted(set(sys.modules) - before - {{"student"}}))
"""
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
