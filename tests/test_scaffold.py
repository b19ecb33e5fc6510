"""`make new-assignment NAME=...`: a scaffold that works at once, in a copy of the project."""

import csv
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from autograder.engine.layout import names
from tools.new_assignment import ScaffoldError, check_name, scaffold

# the example name, or the first free one after it (an instructor may have made it)
NEW = next(n for n in ["dotprod"] + [f"dotprod_{i}" for i in range(2, 99)] if n not in names())

SKIP = shutil.ignore_patterns(".venv", "build", ".git", "__pycache__", ".*_cache", "*.pyc")


def run(cwd, *args, timeout=600):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project with a new assignment (``dotprod`` unless taken) scaffolded in it."""
    copy = tmp_path_factory.mktemp("clone") / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    done = run(copy, "-m", "tools.new_assignment", NEW)
    assert done.returncode == 0, done.stderr
    return copy


def test_scaffold_writes_every_file_an_instructor_edits(project):
    for path in [
        f"solutions/{NEW}/{NEW}.py",
        f"student_template/{NEW}/{NEW}.py",
        f"assignment/{NEW}/{NEW}.md",
        f"assignment/{NEW}/public_cases.py",
        f"assignment/{NEW}/tests/scale.py",
        f"autograder/{NEW}/__init__.py",
        f"autograder/{NEW}/questions.py",
        f"autograder/{NEW}/battery.py",
        f"examples/{NEW}/submissions/added.py",
    ]:
        assert (project / path).is_file(), path
    new = [f"{top}/{NEW}" for top in ("solutions", "student_template", "assignment")]
    new += [f"autograder/{NEW}", f"examples/{NEW}"]
    lint = run(project, "-m", "ruff", "check", "--no-cache", *new)
    assert lint.returncode == 0, lint.stdout
    fmt = run(project, "-m", "ruff", "format", "--check", "--no-cache", *new)
    assert fmt.returncode == 0, fmt.stdout


def test_scaffold_builds_three_zips_holding_only_the_new_assignment(project):
    done = run(project, "-m", "tools.dist", "--assignment", NEW)
    assert done.returncode == 0, done.stderr
    folder = project / "build" / "dist" / NEW
    for kind in ("student", "autograder", "solutions"):
        with zipfile.ZipFile(folder / f"{kind}.zip") as archive:
            members = archive.namelist()
            text = b"".join(archive.read(m) for m in members).decode(errors="replace")
        assert members and not [m for m in members if "backprop" in m or "perceptron" in m]
        assert "def forward(" not in text and "def train(" not in text, kind
    with zipfile.ZipFile(folder / "student.zip") as archive:
        assert {f"{NEW}.py", f"{NEW}.ipynb", "tests/scale.py", "check.py"} <= set(
            archive.namelist()
        )


def test_scaffold_reference_grades_full_marks_template_zero_mistake_hinted(project, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(project / f"solutions/{NEW}/{NEW}.py", subs / "reference.py")
    shutil.copy(project / f"student_template/{NEW}/{NEW}.py", subs / "template.py")
    shutil.copy(project / f"examples/{NEW}/submissions/added.py", subs / "added.py")
    out = tmp_path / "out"
    args = ["grade", str(subs), "--assignment", NEW, "--out", str(out), "--unsafe"]
    done = run(project, "-m", "autograder", *args)
    assert done.returncode == 0, done.stderr
    with open(out / "grades.csv", newline="") as handle:
        rows = {row["submission"]: row for row in csv.DictReader(handle)}
    assert rows["reference"]["score"] == rows["reference"]["max_score"] == "2"
    assert rows["template"]["score"] == "0" and rows["added"]["score"] == "0"
    feedback = (out / "feedback" / "added.md").read_text()
    assert "scaling multiplies every entry by c" in feedback


def test_the_projects_own_checks_pass_with_the_new_assignment_present(project):
    """What runs over every assignment, in the copy holding the new one (the tests that do not
    depend on the assignments stay as they are)."""
    pytest_ = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
    done = run(project, *pytest_, "tests/test_assignments.py", "tests/test_readme.py")
    assert done.returncode == 0, done.stdout[-3000:]
    done = run(project, *pytest_, "tests/test_mutation.py", "tests/test_dist.py", "-k", NEW)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("backprop", "exists already"),
        ("Bad-Name", "lower-case letters"),
        ("numpy", "name of a Python module"),
        ("json", "name of a Python module"),
        ("engine", "reserved"),
        ("class", "reserved"),
    ],
)
def test_scaffold_refuses_a_name_it_cannot_use_and_writes_nothing(name, why, tmp_path):
    (tmp_path / "autograder" / "backprop").mkdir(parents=True)
    with pytest.raises(ScaffoldError, match=why):
        scaffold(name, root=tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["autograder", "backprop"]


def test_a_fresh_name_is_accepted():
    assert check_name(NEW) is None
