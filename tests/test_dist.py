"""`make dist`: what students, Gradescope and TAs get, per assignment, leak-free and
reproducible; each assignment's zips hold that assignment only."""

import os
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import info

from autograder.engine.layout import ROOT, names
from tools import dist

SECRET = "course-secret-7f3a9c2e1b"
ASSIGNMENTS = names()


@cache
def solution_lines(name):
    """The non-trivial code lines between BEGIN/END SOLUTION of the reference."""
    lines, inside = [], False
    for line in info(name)[1].solution.read_text(encoding="utf-8").splitlines():
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


def public_sources(name):
    paths = info(name)[1]
    return [
        paths.public_cases,
        ROOT / "tools" / "public_check_runtime.py",
        *sorted((ROOT / "student_files").glob("*.py")),
    ]


@cache
def battery_lines(name):
    """Long code lines of the hidden battery, except those that public files share with it
    (imports, docstrings, blank lines and lines of the public case runtime aside)."""
    public = "\n".join(p.read_text(encoding="utf-8") for p in public_sources(name) if p.is_file())
    lines = []
    for path in sorted(info(name)[1].package.glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if len(text) >= 40 and not text.startswith(("#", "import ", "from ", '"""')):
                if text not in public:
                    lines.append(text)
    return lines


@cache
def hidden_check_names(name):
    return {
        check.name
        for seed in (0, 1)
        for question in info(name)[0].build(seed)
        for check in question.checks
        if not check.name.startswith("public: ")
    }


def leaks(members, secret, name):
    """(member, what) for everything in ``members`` that must not reach students."""
    forbidden = [("solution line", line) for line in solution_lines(name)]
    forbidden += [("battery source", line) for line in battery_lines(name)]
    forbidden += [("hidden check name", check) for check in hidden_check_names(name)]
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


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def builds(request, tmp_path_factory, config_file):
    """An assignment's zips built twice, into two folders: (name, first, second)."""
    name = request.param
    first, second = tmp_path_factory.mktemp("dist1"), tmp_path_factory.mktemp("dist2")
    dist.build(first, config_file, name=name)
    dist.build(second, config_file, name=name)
    return name, first / name, second / name


@pytest.fixture(scope="module")
def student(builds):
    return builds[0], read_zip(builds[1] / "student.zip")


def test_student_zip_holds_the_handout(student):
    name, members = student
    assignment, paths = info(name)
    assert members[paths.filename] == paths.template.read_bytes()
    notebook = members[f"{paths.stem}.ipynb"].decode()
    assert '"outputs": []' in notebook and "grader.check(" in notebook
    public = sorted(p.name for p in paths.tests.glob("*.py"))
    assert sorted(n[len("tests/") :] for n in members if n.startswith("tests/")) == public
    assert {"README.md", "check.py", "submit.py", "Makefile", "requirements.txt"} <= set(members)


@cache
def own_text(name):
    """Every source of the assignment itself: its reference, package and public cases."""
    paths = info(name)[1]
    sources = [paths.solution, paths.public_cases, *sorted(paths.package.glob("*.py"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in sources if p.is_file())


def test_zips_hold_nothing_of_another_assignment(builds):
    name, folder, _ = builds
    for other in ASSIGNMENTS:
        if other == name:
            continue
        paths = info(other)[1]
        for kind in ("student", "autograder", "solutions"):
            members = read_zip(folder / f"{kind}.zip")
            assert not [m for m in members if f"/{other}/" in f"/{m}" or m == paths.filename]
            text = b"\n".join(members.values()).decode("utf-8", errors="replace")
            own = own_text(name)  # a line this assignment has too (e.g. the step) is its own
            found = [line for line in solution_lines(other) if line in text and line not in own]
            assert not found, (kind, other, found)


def test_student_readme_has_the_points_table_and_the_ways_to_check(student):
    name, members = student
    assignment, paths = info(name)
    readme = members["README.md"].decode()
    assert "@" not in readme.replace("@example", "")  # every placeholder filled
    assert readme.startswith(f"# {assignment.title}\n")
    total = sum(q.points for q in assignment.build(0))
    assert (
        f"| `{assignment.questions[0]}` |" in readme and f"| **total** | **{total:g}** |" in readme
    )
    for command in ("make check", "python check.py", f"otter check {paths.filename} -t tests"):
        assert command in readme
    assert "make submit" in readme and "python submit.py" in readme


def test_student_zip_leaks_nothing(student):
    name, members = student
    assert leaks(members, SECRET, name) == []


def test_leak_scan_finds_planted_leaks(student):
    name, members = student
    filename = info(name)[1].filename
    tests = sorted(m for m in members if m.startswith("tests/"))
    planted = dict(members)
    planted[filename] += ("\n    " + solution_lines(name)[0] + "\n").encode()
    planted["README.md"] += f"\nsecret: {SECRET}\n".encode()
    planted["check.py"] += f"\n# see solutions/{name}\n".encode()
    planted[tests[0]] += ("\n# " + sorted(hidden_check_names(name))[0] + "\n").encode()
    planted[tests[-1]] += ("\n" + battery_lines(name)[0] + "\n").encode()
    kinds = {(member, kind) for member, kind, _ in leaks(planted, SECRET, name)}
    assert kinds == {
        (filename, "solution line"),
        ("README.md", "secret"),
        ("check.py", "path"),
        (tests[0], "hidden check name"),
        (tests[-1], "battery source"),
    }


def test_builds_are_byte_identical(builds):
    _, first, second = builds
    for name in ("student.zip", "autograder.zip", "solutions.zip"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_members_are_sorted_with_fixed_times_and_modes(builds):
    for name in ("student.zip", "autograder.zip", "solutions.zip"):
        with zipfile.ZipFile(builds[1] / name) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        for member in infos:
            assert member.date_time == (1980, 1, 1, 0, 0, 0)
            executable = member.filename in ("run_autograder", "setup.sh")
            assert member.external_attr >> 16 == (0o100755 if executable else 0o100644)


def test_source_date_epoch_sets_the_member_times(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    with zipfile.ZipFile(__import__("io").BytesIO(dist.zip_bytes({"a": b"x"}))) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


def test_autograder_zip_has_the_trusted_side_and_the_course_config(builds):
    name, folder, _ = builds
    paths = info(name)[1]
    members = read_zip(folder / "autograder.zip")
    assert {"setup.sh", "run_autograder", "requirements.txt"} <= set(members)
    assert members[f"solutions/{name}/{paths.filename}"] == paths.solution.read_bytes()
    assert "autograder/engine/grade.py" in members and f"autograder/{name}/__init__.py" in members
    config = members["autograder/config.toml"].decode()
    assert f'assignment = "{name}"' in config
    assert f'secret = "{SECRET}"' in config and 'visibility = "after_due_date"' in config
    assert not any("__pycache__" in name for name in members)
    requirements = members["requirements.txt"].decode()
    assert "numpy==" in requirements and "matplotlib" not in requirements


def test_solutions_zip_has_the_reference_and_the_executed_notebook(builds):
    name, folder, _ = builds
    paths = info(name)[1]
    members = read_zip(folder / "solutions.zip")
    assert set(members) == {paths.filename, f"{paths.stem}.html"}
    assert members[paths.filename] == paths.solution.read_bytes()
    html = members[f"{paths.stem}.html"].decode()
    checked = len(list(paths.tests.glob("*.py")))
    assert html.count("passed!</p>") == checked  # every grader.check cell passed
    assert dist.EMOJI_AFTER_PASSED.search(html) is None


def unpack(builds, tmp_path):
    folder = tmp_path / "handout"
    with zipfile.ZipFile(builds[1] / "student.zip") as archive:
        archive.extractall(folder)
    return folder


def run(folder, *command):
    return subprocess.run(
        [sys.executable, *command], cwd=folder, capture_output=True, text=True, timeout=120
    )


def test_student_check_script_passes_the_reference_and_fails_the_template(builds, tmp_path):
    name = builds[0]
    assignment, paths = info(name)
    count = len(list(paths.tests.glob("*.py")))
    folder = unpack(builds, tmp_path)
    failing = run(folder, "check.py")
    assert failing.returncode == 1 and f"0/{count} questions pass" in failing.stdout
    (folder / paths.filename).write_bytes(paths.solution.read_bytes())
    passing = run(folder, "check.py")
    assert passing.returncode == 0, passing.stdout
    lines = passing.stdout.splitlines()
    first = next(q for q in assignment.questions if (paths.tests / f"{q}.py").is_file())
    assert lines[2].startswith(f"{first} ") and f"{count}/{count} questions pass" in passing.stdout


def test_submit_packs_the_student_file_only(builds, tmp_path):
    paths = info(builds[0])[1]
    folder = unpack(builds, tmp_path)
    done = run(folder, "submit.py")
    assert done.returncode == 0, done.stdout
    with zipfile.ZipFile(folder / "submission.zip") as archive:
        assert archive.namelist() == [paths.filename]
        assert archive.read(paths.filename) == paths.template.read_bytes()


def test_submit_refuses_a_missing_function_an_import_error_and_no_file(builds, tmp_path):
    paths = info(builds[0])[1]
    target = tmp_path / "handout" / paths.filename
    folder = unpack(builds, tmp_path)
    first = dist.contract(paths.template)[0]
    source = paths.template.read_text(encoding="utf-8").replace(f"def {first}(", "def renamed(")
    target.write_text(source, encoding="utf-8")
    done = run(folder, "submit.py")
    assert done.returncode == 1 and f"does not define {first}()" in done.stdout
    target.write_text("import numpy as np\nx = (\n", encoding="utf-8")
    done = run(folder, "submit.py")
    assert done.returncode == 1 and "cannot be imported: SyntaxError" in done.stdout
    os.remove(target)
    done = run(folder, "submit.py")
    assert done.returncode == 1 and f"{paths.filename} is not in" in done.stdout
    assert not (folder / "submission.zip").exists()


def test_submit_gives_up_on_an_import_that_does_not_end(builds, tmp_path):
    paths = info(builds[0])[1]
    folder = unpack(builds, tmp_path)
    (folder / paths.filename).write_text("while True:\n    pass\n", encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        submit = __import__("submit")
        submit.IMPORT_SECONDS = 1
        found = submit.problems(Path(folder) / paths.filename)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("submit", None)
    assert len(found) == 1 and "took more than 1 s" in found[0]


def test_a_config_naming_another_assignment_is_refused(tmp_path):
    config = tmp_path / "course.toml"
    config.write_text(f'assignment = "perceptron"\nsecret = "{SECRET}"\n')
    with pytest.raises(dist.DistError, match="names the assignment 'perceptron', not 'backprop'"):
        dist.build(tmp_path / "out", config, name="backprop")
    assert not (tmp_path / "out").exists()
    done = subprocess.run(
        [sys.executable, "-m", "tools.dist", "--assignment", "backprop", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "names the assignment 'perceptron'" in done.stderr


def test_a_config_naming_an_assignment_builds_that_one(tmp_path):
    config = tmp_path / "course.toml"
    config.write_text(f'assignment = "perceptron"\nsecret = "{SECRET}"\n')
    written = dist.build(tmp_path / "out", config, only=("autograder",))
    assert written == [tmp_path / "out" / "perceptron" / "autograder.zip"]


def test_an_unknown_assignment_is_a_clear_error(tmp_path):
    with pytest.raises(dist.DistError, match="no assignment 'nope'"):
        dist.build(tmp_path / "out", name="nope")


def test_check_script_stops_an_endless_loop_and_goes_on_with_the_next_question(builds, tmp_path):
    paths = info(builds[0])[1]
    folder = unpack(builds, tmp_path)
    first = dist.contract(paths.template)[0]
    source = paths.solution.read_text(encoding="utf-8").replace(
        f"def {first}(",
        f"def {first}(*args, **kwargs):\n    while True:\n        pass\n\n\ndef _old_{first}(",
    )
    (folder / paths.filename).write_text(source, encoding="utf-8")
    done = run(folder, "check.py", "--timeout", "1")
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    hung = [line for line in lines if "took more than 1 s (an endless loop?)" in line]
    assert len(hung) >= 1
    count = len(list(paths.tests.glob("*.py")))
    assert f"{count - len(hung)}/{count} questions pass" in done.stdout


def test_check_and_submit_give_the_line_of_a_syntax_error(builds, tmp_path):
    paths = info(builds[0])[1]
    folder = unpack(builds, tmp_path)
    (folder / paths.filename).write_text("import numpy as np\nx = (\n", encoding="utf-8")
    checked = run(folder, "check.py")
    assert checked.returncode == 1 and "SyntaxError at line 2" in checked.stdout
    submitted = run(folder, "submit.py")
    assert submitted.returncode == 1 and "SyntaxError at line 2" in submitted.stdout


def test_submit_lists_what_is_not_implemented_and_which_checks_fail_then_packs(builds, tmp_path):
    paths = info(builds[0])[1]
    folder = unpack(builds, tmp_path)
    done = run(folder, "submit.py")
    functions = dist.contract(paths.template)
    source = paths.template.read_text(encoding="utf-8")
    stubs = sum(
        bool(re.search(rf'raise NotImplementedError\(\s*"{name}[:"]', source)) for name in functions
    )
    assert done.returncode == 0 and (folder / "submission.zip").is_file()
    assert f"Still raising NotImplementedError ({stubs} of {len(functions)})" in done.stdout
    assert "Public checks failing" in done.stdout
    (folder / paths.filename).write_bytes(paths.solution.read_bytes())
    done = run(folder, "submit.py")
    assert "Still raising" not in done.stdout and "Every public check passes." in done.stdout
