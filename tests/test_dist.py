"""`make dist`: what students, Gradescope and TAs get, leak-free and reproducible."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REFERENCE, ROOT, TEMPLATE

from assignment.public_cases import QUESTIONS
from autograder.backprop import build as build_battery
from tools import dist

SECRET = "course-secret-7f3a9c2e1b"
HIDDEN_SOURCES = sorted((ROOT / "autograder" / "backprop").glob("*.py"))


def solution_lines():
    """The non-trivial code lines between BEGIN/END SOLUTION of the reference."""
    lines, inside = [], False
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text.startswith("# BEGIN SOLUTION"):
            inside = True
        elif text.startswith("# END SOLUTION"):
            inside = False
        elif inside:
            code = text.split("  #")[0].strip()
            if len(code) >= 12 and not code.startswith("#"):
                lines.append(code)
    return lines


PUBLIC_SOURCES = [
    ROOT / "assignment" / "public_cases.py",
    ROOT / "tools" / "public_check_runtime.py",
    *sorted((ROOT / "student_files").glob("*.py")),
]


def battery_lines():
    """Long code lines of the hidden battery, except those that public files share with it
    (imports, docstrings, blank lines and lines of the public case runtime aside)."""
    public = "\n".join(p.read_text(encoding="utf-8") for p in PUBLIC_SOURCES)
    lines = []
    for path in HIDDEN_SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if len(text) >= 40 and not text.startswith(("#", "import ", "from ", '"""')):
                if text not in public:
                    lines.append(text)
    return lines


def hidden_check_names():
    return {
        check.name
        for seed in (0, 1)
        for question in build_battery(seed)
        for check in question.checks
        if not check.name.startswith("public: ")
    }


def leaks(members, secret):
    """(member, what) for everything in ``members`` that must not reach students."""
    forbidden = [("solution line", line) for line in solution_lines()]
    forbidden += [("battery source", line) for line in battery_lines()]
    forbidden += [("hidden check name", name) for name in hidden_check_names()]
    forbidden += [("secret", secret), ("path", "solutions/")]
    found = []
    for name, data in members.items():
        text = data.decode("utf-8", errors="replace")
        found += [(name, kind, what) for kind, what in forbidden if what in text]
    return found


def read_zip(path):
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def config_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "course.toml"
    path.write_text(f'secret = "{SECRET}"\n\n[gradescope]\nvisibility = "after_due_date"\n')
    return path


@pytest.fixture(scope="module")
def builds(tmp_path_factory, config_file):
    """Everything built twice, into two folders."""
    first, second = tmp_path_factory.mktemp("dist1"), tmp_path_factory.mktemp("dist2")
    dist.build(first, config_file)
    dist.build(second, config_file)
    return first, second


@pytest.fixture(scope="module")
def student(builds):
    return read_zip(builds[0] / "student.zip")


def test_student_zip_holds_the_handout(student):
    assert student["backprop.py"] == TEMPLATE.read_bytes()
    assert student["backprop.ipynb"] == (ROOT / "assignment" / "backprop.ipynb").read_bytes()
    public = sorted(p.name for p in (ROOT / "assignment" / "tests").glob("*.py"))
    assert sorted(n[len("tests/") :] for n in student if n.startswith("tests/")) == public
    assert {"README.md", "check.py", "submit.py", "Makefile", "requirements.txt"} <= set(student)


def test_student_readme_has_the_points_table_and_the_ways_to_check(student):
    readme = student["README.md"].decode()
    assert "@POINTS_TABLE@" not in readme
    assert "| `backprop` |" in readme and "| **total** | **50** |" in readme
    for command in ("make check", "python check.py", "otter check backprop.py -t tests"):
        assert command in readme
    assert "make submit" in readme and "python submit.py" in readme


def test_student_zip_leaks_nothing(student):
    assert leaks(student, SECRET) == []


def test_leak_scan_finds_planted_leaks(student):
    planted = dict(student)
    planted["backprop.py"] += ("\n    " + solution_lines()[3] + "\n").encode()
    planted["README.md"] += f"\nsecret: {SECRET}\n".encode()
    planted["check.py"] += b"\n# see solutions/backprop.py\n"
    planted["tests/step.py"] += ("\n# " + sorted(hidden_check_names())[0] + "\n").encode()
    planted["tests/mse.py"] += ("\n" + battery_lines()[5] + "\n").encode()
    kinds = {(member, kind) for member, kind, _ in leaks(planted, SECRET)}
    assert kinds == {
        ("backprop.py", "solution line"),
        ("README.md", "secret"),
        ("check.py", "path"),
        ("tests/step.py", "hidden check name"),
        ("tests/mse.py", "battery source"),
    }


def test_builds_are_byte_identical(builds):
    first, second = builds
    for name in ("student.zip", "autograder.zip", "solutions.zip"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_members_are_sorted_with_fixed_times_and_modes(builds):
    for name in ("student.zip", "autograder.zip", "solutions.zip"):
        with zipfile.ZipFile(builds[0] / name) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            executable = info.filename in ("run_autograder", "setup.sh")
            assert info.external_attr >> 16 == (0o100755 if executable else 0o100644)


def test_source_date_epoch_sets_the_member_times(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(__import__("io").BytesIO(dist.zip_bytes({"a": b"x"}))) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_autograder_zip_has_the_trusted_side_and_the_course_config(builds):
    members = read_zip(builds[0] / "autograder.zip")
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= set(members)
    assert members["solutions/backprop.py"] == REFERENCE.read_bytes()
    assert "autograder/engine/grade.py" in members and "autograder/backprop/battery.py" in members
    config = members["autograder/config.toml"].decode()
    assert f'secret = "{SECRET}"' in config and 'visibility = "after_due_date"' in config
    assert not any("__pycache__" in name for name in members)
    requirements = members["requirements.txt"].decode()
    assert "numpy==" in requirements and "matplotlib" not in requirements


def test_solutions_zip_has_the_reference_and_the_executed_notebook(builds):
    members = read_zip(builds[0] / "solutions.zip")
    assert set(members) == {"backprop.py", "backprop.html"}
    assert members["backprop.py"] == REFERENCE.read_bytes()
    html = members["backprop.html"].decode()
    assert html.count("passed!</p>") == len(QUESTIONS)  # every grader.check cell passed
    assert dist.EMOJI_AFTER_PASSED.search(html) is None


def unpack(builds, tmp_path):
    folder = tmp_path / "handout"
    with zipfile.ZipFile(builds[0] / "student.zip") as archive:
        archive.extractall(folder)
    return folder


def run(folder, *command):
    return subprocess.run(
        [sys.executable, *command], cwd=folder, capture_output=True, text=True, timeout=120
    )


def test_student_check_script_passes_the_reference_and_fails_the_template(builds, tmp_path):
    folder = unpack(builds, tmp_path)
    failing = run(folder, "check.py")
    assert failing.returncode == 1 and "0/20 questions pass" in failing.stdout
    (folder / "backprop.py").write_bytes(REFERENCE.read_bytes())
    passing = run(folder, "check.py")
    assert passing.returncode == 0, passing.stdout
    lines = passing.stdout.splitlines()
    assert lines[2].startswith("step ") and "20/20 questions pass" in passing.stdout


def test_submit_packs_backprop_py_only(builds, tmp_path):
    folder = unpack(builds, tmp_path)
    done = run(folder, "submit.py")
    assert done.returncode == 0, done.stdout
    with zipfile.ZipFile(folder / "submission.zip") as archive:
        assert archive.namelist() == ["backprop.py"]
        assert archive.read("backprop.py") == TEMPLATE.read_bytes()


def test_submit_refuses_a_missing_function_an_import_error_and_no_file(builds, tmp_path):
    folder = unpack(builds, tmp_path)
    source = TEMPLATE.read_text(encoding="utf-8").replace("def predict(", "def predicted(")
    (folder / "backprop.py").write_text(source, encoding="utf-8")
    done = run(folder, "submit.py")
    assert done.returncode == 1 and "does not define predict()" in done.stdout
    (folder / "backprop.py").write_text("import numpy as np\nx = (\n", encoding="utf-8")
    done = run(folder, "submit.py")
    assert done.returncode == 1 and "cannot be imported: SyntaxError" in done.stdout
    os.remove(folder / "backprop.py")
    done = run(folder, "submit.py")
    assert done.returncode == 1 and "backprop.py is not in" in done.stdout
    assert not (folder / "submission.zip").exists()


def test_submit_gives_up_on_an_import_that_does_not_end(builds, tmp_path):
    folder = unpack(builds, tmp_path)
    (folder / "backprop.py").write_text("while True:\n    pass\n", encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        submit = __import__("submit")
        submit.IMPORT_SECONDS = 1
        found = submit.problems(Path(folder) / "backprop.py")
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("submit", None)
    assert len(found) == 1 and "took more than 1 s" in found[0]
