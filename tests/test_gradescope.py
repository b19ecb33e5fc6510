"""Gradescope: run_autograder in a simulated /autograder always writes a valid results.json.

Gradescope runs the grader as root with a system Python; run.py then refuses less than the
user isolation level (a dedicated uid, or bubblewrap), like ``make grade`` without --unsafe.
Tests that grade student code here run it with a Python the grading uid can run
(``conftest.isolation``), and are skipped, saying why, where neither level is available (not
root and no bubblewrap).
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
from conftest import REFERENCE, ROOT, TEMPLATE, check_isolation, grade_command, need_isolation

from autograder.gradescope.run import submission_id
from tools import dist

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
USER = 4242
METADATA = {"id": 98765, "users": [{"id": USER, "name": "Ada", "email": "ada@example.org"}]}
TEST_KEYS = {"name", "number", "score", "max_score", "status", "output", "output_format"}


@pytest.fixture(scope="module")
def python():
    """The Python run_autograder runs with: one the grading uid can run (Gradescope's
    /autograder/venv is world-readable; this project's venv may live under /root)."""
    return need_isolation("user").python


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    (path,) = dist.build(tmp_path_factory.mktemp("dist"), None, ["autograder"])
    return path


def simulate(autograder_zip, root, python, submission=None, metadata=METADATA):
    """Gradescope's layout under ``root``, then run_autograder; returns results.json."""
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        os.chmod(root / "source" / name, 0o755)
    if submission is not None:
        (root / "submission").mkdir()
        for name, data in submission.items():
            (root / "submission" / name).write_bytes(data)
    if metadata is not None:
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": python}
    done = subprocess.run(
        ["bash", str(root / "source" / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((root / "results" / "results.json").read_text())
    validate(results)
    return results


def validate(results):
    """Gradescope's results.json schema (the keys this grader writes)."""
    assert isinstance(results["score"], (int, float))
    assert isinstance(results["output"], str) and results["output"]
    assert results["output_format"] in {"text", "md", "html", "simple_format", "ansi"}
    assert results["visibility"] in VISIBILITIES
    assert results["stdout_visibility"] in VISIBILITIES
    assert isinstance(results["extra_data"], dict)
    assert isinstance(results["leaderboard"], list)
    for test in results["tests"]:
        assert TEST_KEYS <= set(test)
        assert isinstance(test["name"], str) and isinstance(test["number"], str)
        assert isinstance(test["score"], (int, float))
        assert isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"] or test["max_score"] == 0
        assert test["status"] in {"passed", "failed"}
        assert isinstance(test["output"], str)
        assert isinstance(test["tags"], list)
        assert test["visibility"] in VISIBILITIES
    assert results["score"] == pytest.approx(sum(t["score"] for t in results["tests"]), abs=1e-6)


def scored(results):
    return [t for t in results["tests"] if t["max_score"] > 0]


def test_reference_gets_full_marks_hidden_scores_visible_public_checks_closed_source(
    autograder_zip, tmp_path, python
):
    results = simulate(autograder_zip, tmp_path, python, {"backprop.py": REFERENCE.read_bytes()})
    assert results["score"] == 50
    assert results["extra_data"]["submission"] == f"gs-{USER}"
    assert {t["visibility"] for t in scored(results)} == {"after_published"}
    public = [t for t in results["tests"] if t["name"].startswith("public checks: ")]
    assert public and {t["visibility"] for t in public} == {"visible"}
    assert all(t["status"] == "passed" and t["max_score"] == 0 for t in public)

    # the reference and the hidden checks: closed to the uid that runs student code
    for path in [tmp_path / "source", *(tmp_path / "source").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_template_scores_zero_with_failed_public_checks(autograder_zip, tmp_path, python):
    results = simulate(autograder_zip, tmp_path, python, {"backprop.py": TEMPLATE.read_bytes()})
    assert results["score"] == 0
    public = [t for t in results["tests"] if t["name"].startswith("public checks: ")]
    assert public and all(t["status"] == "failed" for t in public)


def test_broken_file_scores_zero_and_says_why_at_once(autograder_zip, tmp_path, python):
    broken = {"backprop.py": b"def step(z):\n  return (\n"}
    results = simulate(autograder_zip, tmp_path, python, broken)
    assert results["score"] == 0
    (problem,) = [t for t in results["tests"] if t["name"] == "problem with the submission"]
    assert problem["visibility"] == "visible" and "SyntaxError" in problem["output"]


def test_missing_submission_scores_zero(autograder_zip, tmp_path, python):
    results = simulate(autograder_zip, tmp_path, python, submission=None)
    assert results["score"] == 0 and len(scored(results)) == 20
    assert "nothing was submitted" in results["output"]


def test_zip_upload_is_read(autograder_zip, tmp_path, python):
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as upload:
        upload.write(REFERENCE, "work/backprop.py")
    upload = {"upload.zip": archive.read_bytes()}
    results = simulate(autograder_zip, tmp_path / "root", python, upload)
    assert results["score"] == 50


def test_grader_failure_still_writes_results(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(tmp_path / "source")
    (tmp_path / "source" / "autograder" / "config.toml").write_text("secret = [broken\n")
    shutil.make_archive(str(tmp_path / "broken"), "zip", tmp_path / "source")
    submission = {"backprop.py": REFERENCE.read_bytes()}
    # the config is read before any student code runs: no isolation level is needed
    results = simulate(tmp_path / "broken.zip", tmp_path / "root", sys.executable, submission)
    assert results["score"] == 0 and results["extra_data"]["grader_failed"] is True
    assert "course staff" in results["output"]


def test_python_that_cannot_start_still_writes_results(autograder_zip, tmp_path):
    results = simulate(
        autograder_zip, tmp_path, "/bin/false", {"backprop.py": REFERENCE.read_bytes()}
    )
    assert results["score"] == 0 and results["tests"] == []
    assert results["extra_data"] == {"grader_failed": True}


def test_scores_equal_the_command_line_grader_for_the_same_id(autograder_zip, tmp_path, python):
    source = TEMPLATE.read_text(encoding="utf-8")
    half = source.replace(
        'raise NotImplementedError("step: see slide',
        'return (z >= 0).astype(float)\n    raise NotImplementedError("step: see slide',
    )
    assert half != source
    submissions = {"backprop.py": half.encode()}
    results = simulate(autograder_zip, tmp_path / "gs2", python, submissions)
    local = tmp_path / "local"
    local.mkdir()
    (local / f"gs-{USER}.py").write_text(half, encoding="utf-8")
    config = tmp_path / "gs2" / "source" / "autograder" / "config.toml"
    command = grade_command(local / f"gs-{USER}.py", "--out", tmp_path / "out", "--jobs", "1")
    command += ["--config", str(config)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    check_isolation(done.stderr)
    (graded,) = json.loads((tmp_path / "out" / "grading.json").read_text())["results"]
    assert graded["submission"] == f"gs-{USER}"
    assert 0 < results["score"] < 50 and graded["score"] == results["score"]
    assert [q["score"] for q in graded["questions"]] == [t["score"] for t in scored(results)]


def test_submission_id_is_the_smallest_user_id_and_deterministic(tmp_path):
    path = tmp_path / "submission_metadata.json"
    group = {"id": 5, "users": [{"id": 30, "name": "B"}, {"id": 7, "name": "A"}]}
    path.write_text(json.dumps(group))
    assert submission_id(path) == submission_id(path) == "gs-7"
    path.write_text(json.dumps({"id": 5, "users": []}))
    assert submission_id(path) == "gs-submission-5"
    assert submission_id(tmp_path / "absent.json") == "submission"
