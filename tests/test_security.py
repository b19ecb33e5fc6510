"""Student code cannot cheat or harm the grader: the exploit corpus at each isolation level.

Each level available here grades every exploit in tests/exploits/ together with the reference
and a copy of it under another id (jobs=2), see tools/security_report.py. At the process level
(``--unsafe``) the worker runs as the grader's user, so only the guarantees that do not depend
on file permissions are tested there and the exploits that read or write the disk are not run.
"""

import csv
import io
import re
import sys

import pytest

from autograder.engine import sandbox
from tools import security_report as harness

LEVELS = harness.levels_here()


@pytest.fixture(scope="module", params=["bwrap", "user", "process"])
def run(request):
    level = request.param
    python, why = LEVELS[level]
    if python is None:
        pytest.skip(f"{level} isolation is not available here: {why}")
    names = None
    if level == "process":
        names = [p.stem for p in harness.exploits() if p.stem not in harness.PROCESS_SKIP]
    return harness.run_corpus(level, python, names)


def test_every_exploit_scores_zero(run):
    scores = {row["attack"]: row["score"] for row in run["rows"]}
    if run["level"] == "user":
        # What a grading uid may read is up to file permissions on the whole machine: any
        # world-readable copy of the reference (this checkout, another clone, a download)
        # can be copied, and then read_disk scores full marks (docs/security.md). Only bwrap,
        # which shows the worker nothing but the runtime, can promise 0 here.
        assert scores.pop("read_disk") in (0, 50)
    assert scores and all(score == 0 for score in scores.values()), scores
    assert all(r["isolation"] == run["level"] for r in run["results"].values())


def test_honest_submissions_keep_the_marks_they_get_alone(run):
    alone = harness.run_corpus(run["level"], LEVELS[run["level"]][0], names=[], jobs=1)
    for name in harness.HONEST:
        assert run["results"][name]["score"] == alone["results"][name]["score"] == 50


def test_no_file_outside_the_output_folder_changes(run):
    changed = run["changed"]
    if run["level"] == "user":
        # a world-writable /tmp stays writable to the grading uid: new files only, nothing of
        # the project, the submissions or the canary beside them
        changed = [c for c in changed if not re.fullmatch(r"/tmp/BPEXPLOIT-[\w.-]+", c)]
    assert changed == []


# Stated bounds of a run of the whole corpus (about 40 submissions, two grading processes):
# what the trusted side may spend on hostile replies, whatever they hold.
GRADER_PEAK_MB = 400  # any one grading process (measured: under 100 MB)
FILE_KB = 256  # any one output file: feedback, results/<id>.json (an honest page: ~150 KB)
GRADING_JSON_KB_PER_SUBMISSION = 100
SECONDS_PER_SUBMISSION = 12  # the harness gives each 4 s, and a disturbed one a second try


def test_the_trusted_side_stays_within_its_memory_time_and_output_bounds(run):
    n = len(run["results"])
    assert run["grader_peak_kb"] < GRADER_PEAK_MB * 1024
    largest = max((size, name) for name, size in run["outputs"].items() if name != "grading.json")
    assert largest[0] < FILE_KB * 1024, largest
    assert run["outputs"]["grading.json"] < GRADING_JSON_KB_PER_SUBMISSION * 1024 * n
    assert run["seconds"] < SECONDS_PER_SUBMISSION * n


def test_no_process_or_scratch_folder_is_left_behind(run):
    assert run["left"] == [] and run["scratch_left"] == []


def test_no_connection_is_made_and_no_secret_is_printed(run):
    assert run["connections"] == 0
    assert not [row["attack"] for row in run["rows"] if row["leaked"]]


def test_the_gradebook_holds_only_the_graders_own_scores(run):
    rows = list(csv.DictReader(io.StringIO(run["csv"])))
    assert {r["submission"]: float(r["score"]) for r in rows} == {
        sid: result["score"] for sid, result in run["results"].items()
    }


def test_choose_refuses_less_than_the_minimum_unless_unsafe(monkeypatch):
    monkeypatch.setattr(
        sandbox,
        "available",
        lambda python=None: {
            "bwrap": (False, "bubblewrap is not installed"),
            "user": (False, "the grader is not running as root"),
            "process": (True, ""),
        },
    )
    with pytest.raises(sandbox.IsolationError) as error:
        sandbox.choose()
    for words in ("apt-get install bubblewrap", "root", "--unsafe"):
        assert words in str(error.value)
    assert sandbox.choose(unsafe=True).level == "process"


def test_the_user_level_is_refused_when_the_grading_uid_can_read_the_config(monkeypatch, tmp_path):
    config = tmp_path / "course.toml"
    config.write_text('secret = "s"\n')
    monkeypatch.setattr(
        sandbox,
        "available",
        lambda python=None: {
            "bwrap": (False, "bubblewrap is not installed"),
            "user": (True, ""),
            "process": (True, ""),
        },
    )
    probe = {"ok": True, "why": "", "exposed": []}
    monkeypatch.setattr(sandbox.user, "_USER_PROBE", {sys.executable: probe})
    monkeypatch.setattr(sandbox.user, "allocate_uid", lambda: (sandbox.UID_BASE, None))
    monkeypatch.setattr(sandbox, "readable_by_grading_uid", lambda paths, python=None: paths)
    with pytest.raises(sandbox.IsolationError) as error:
        sandbox.choose(secrets=[str(config)])
    assert f"chmod o-rwx {config}" in str(error.value)
    monkeypatch.setattr(sandbox, "readable_by_grading_uid", lambda paths, python=None: [])
    assert sandbox.choose(secrets=[str(config)]).level == "user"


def test_a_forked_workers_seccomp_program_is_the_one_built_for_its_own_pid():
    from autograder.engine import seccomp

    if seccomp.build_program() is None:
        pytest.skip("the seccomp filter is written for x86-64 only")
    assert seccomp.no_fork_program() == seccomp.build_program()
    for pid in (1, 2, 255, 256, 4242, 65_537, 2**31 - 1, 2**32 - 1):
        buffer, prog = seccomp.forked_program(pid)  # the ctypes program a forked worker loads
        assert buffer.raw == seccomp.build_program(own_pid=pid), pid
        assert prog.len * 8 == len(buffer.raw)


def test_seccomp_program_refuses_fork_shared_memory_and_namespaces_and_allows_threads():
    import resource
    import subprocess
    import sys

    program = sandbox.no_fork_program()
    if program is None:
        pytest.skip("the seccomp filter is written for x86-64 only")
    code = (
        "import os, socket, threading\n"
        "t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()\n"
        "for make in (os.fork, socket.socket):\n"
        "    try:\n"
        "        make(); print('allowed')\n"
        "    except OSError:\n"
        "        print('refused')\n"
        "import ctypes\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "calls = [lambda: libc.shmget(0, 1 << 30, 0o1600), lambda: libc.unshare(0x10000000),\n"
        "         lambda: libc.memfd_create(b'm', 0), lambda: libc.msgget(0, 0o1600)]\n"
        "for call in calls:\n"
        "    print('refused' if call() == -1 and ctypes.get_errno() == 1 else 'allowed')\n"
    )
    # RLIMIT_NPROC left as it is: for a user other than root it counts every thread of the
    # account (a desktop session, Jupyter kernels), so the worker's 64 could refuse the thread
    # here, or refuse fork without the filter's help
    processes = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    done = subprocess.run(
        [sys.executable, "-I", "-c", code],
        capture_output=True,
        text=True,
        preexec_fn=sandbox.rlimit_setter(sandbox.Limits(processes=processes), seccomp=program),
    )
    # fork, sockets; then memory no rlimit counts (SysV shm, memfd, queues) and namespaces
    assert done.stdout.split() == ["thread"] + ["refused"] * 6, done.stderr


def test_security_doc_holds_the_security_table():
    text = harness.DOC.read_text()
    assert harness.START in text and harness.END in text
    block = text.split(harness.START)[1].split(harness.END)[0]
    for path in harness.exploits():
        assert f"`{path.stem}`" in block, path.stem
