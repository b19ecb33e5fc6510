"""LMS bulk downloads in (Canvas, Moodle), gradebook files out, and sharded grading."""

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REFERENCE, ROOT, TEMPLATE, check_isolation, grade_command

from autograder.engine import lms
from autograder.engine.submissions import collect

HALF = TEMPLATE.read_text(encoding="utf-8").replace(
    'raise NotImplementedError("step: see slide',
    'return (z >= 0).astype(float)\n    raise NotImplementedError("step: see slide',
)


def canvas_download(folder):
    """Two students: smithjohn resubmitted (attempt 90, then 100); doejane was late and
    re-uploaded (Canvas renamed the file backprop-1.py) and sent notes.txt too."""
    folder.mkdir(parents=True)
    shutil.copy(TEMPLATE, folder / "smithjohn_12_90_backprop.py")
    shutil.copy(REFERENCE, folder / "smithjohn_12_100_backprop.py")
    shutil.copy(TEMPLATE, folder / "doejane_late_13_95_backprop.py")
    (folder / "doejane_late_13_95_backprop-1.py").write_text(HALF, encoding="utf-8")
    (folder / "doejane_late_13_95_notes.txt").write_text("notes")
    return folder


def moodle_download(folder):
    ada = folder / "Ada Lovelace_101_assignsubmission_file_"
    (ada / "work").mkdir(parents=True)
    shutil.copy(REFERENCE, ada / "work" / "backprop.py")
    bob = folder / "Bob Byte_102_assignsubmission_file_"
    bob.mkdir()
    (bob / "backprop.py").write_text(HALF, encoding="utf-8")
    (folder / "Ada Lovelace_101_assignsubmission_onlinetext_").mkdir()
    return folder


def grade(submissions, out, *flags):
    """The command line grader, at the strongest isolation level here (conftest)."""
    command = grade_command(submissions, "--out", out, "--jobs", "2", *flags)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    check_isolation(done.stderr)
    return done


def rows(path):
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


def test_layouts_are_detected(tmp_path):
    assert lms.detect(canvas_download(tmp_path / "c")) == "canvas"
    assert lms.detect(moodle_download(tmp_path / "m")) == "moodle"
    plain = tmp_path / "p"
    plain.mkdir()
    shutil.copy(REFERENCE, plain / "alice.py")
    assert lms.detect(plain) == "plain"


def test_canvas_latest_attempt_only_with_identity(tmp_path):
    root = canvas_download(tmp_path / "c")
    identify, layout = lms.identifier(root, "backprop.py")
    found = collect(root, "backprop.py", tmp_path / "work", identify)
    assert layout == "canvas"
    assert [(s.id, s.source) for s in found] == [
        ("doejane_13", "doejane_late_13_95_backprop-1.py"),
        ("smithjohn_12", "smithjohn_12_100_backprop.py"),
    ]
    jane, john = (s.identity for s in found)
    assert jane["late"] is True and jane["login"] == "doejane" and jane["user_id"] == "13"
    assert john["late"] is False and john["attempt"] == "100"


def test_moodle_folders_flat_files_and_onlinetext(tmp_path):
    root = moodle_download(tmp_path / "m")
    (root / "Cy Flat_103_assignsubmission_file_backprop.py").write_text(HALF)
    identify, layout = lms.identifier(root, "backprop.py")
    found = collect(root, "backprop.py", tmp_path / "work", identify)
    assert layout == "moodle"
    assert [s.id for s in found] == ["Ada_Lovelace_101", "Bob_Byte_102", "Cy_Flat_103"]
    assert found[0].identity["name"] == "Ada Lovelace"
    assert found[0].identity["participant_id"] == "101"
    assert all(s.file is not None for s in found)


def test_canvas_grading_writes_the_gradebook_import(tmp_path):
    root = canvas_download(tmp_path / "c")
    grade(root, tmp_path / "out", "--assignment-column", "HW3 Backprop (1234)")
    assert rows(tmp_path / "out" / "canvas_gradebook.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW3 Backprop (1234)"],
        ["doejane", "13", "", "", "", "1"],
        ["smithjohn", "12", "", "", "", "50"],
    ]
    data = json.loads((tmp_path / "out" / "grading.json").read_text())
    assert data["results"][0]["identity"]["late"] is True
    assert not (tmp_path / "out" / lms.MOODLE_FILE).exists()


def test_moodle_zip_of_the_whole_download_equals_the_folder(tmp_path):
    root = moodle_download(tmp_path / "m")
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as download:
        for path in sorted(root.rglob("*")):
            download.write(path, path.relative_to(root).as_posix())
    grade(root, tmp_path / "from_folder", "--grade-column", "Backprop")
    grade(archive, tmp_path / "from_zip", "--grade-column", "Backprop")
    assert rows(tmp_path / "from_folder" / "moodle_grades.csv") == [
        ["Identifier", "Full name", "Backprop"],
        ["Participant 101", "Ada Lovelace", "50"],
        ["Participant 102", "Bob Byte", "1"],
    ]
    for name in ("moodle_grades.csv", "grades.csv", "grading.json", lms.MOODLE_FEEDBACK):
        folder = (tmp_path / "from_folder" / name).read_bytes()
        assert folder == (tmp_path / "from_zip" / name).read_bytes(), name


def test_moodle_grading_writes_the_feedback_zip_moodle_imports(tmp_path):
    """Moodle's "Upload multiple feedback files in a zip" reads the participant id from the
    second "_"-part of a folder name and the plugin from the third and fourth."""
    grade(moodle_download(tmp_path / "m"), tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out" / lms.MOODLE_FEEDBACK) as archive:
        names = archive.namelist()
        assert names == [
            "Ada Lovelace_101_assignfeedback_file_/feedback.html",
            "Bob Byte_102_assignfeedback_file_/feedback.html",
        ]
        for name in names:
            part = name.split("/")[0].split("_", 4)
            assert part[1].isdigit() and part[2:4] == ["assignfeedback", "file"]
        page = archive.read(names[1]).decode("utf-8")
    sid = json.loads((tmp_path / "out" / "grading.json").read_text())["results"][1]["submission"]
    assert page == (tmp_path / "out" / "feedback" / f"{sid}.html").read_text(encoding="utf-8")


def test_a_moodle_name_cannot_steer_the_feedback_zip():
    for name in ("../../etc_1_x", "Bob_999_assignsubmission_file_", "/abs", "..", ""):
        folder = lms.moodle_feedback_folder({"name": name, "participant_id": "7"})
        head, pid, plugin, kind, rest = folder.split("_", 4)
        assert (pid, plugin, kind, rest) == ("7", "assignfeedback", "file", "")
        assert "/" not in folder and ".." not in head and head


def test_download_zip_members_with_unsafe_paths_are_not_extracted(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as download:
        download.writestr("Ada Lovelace_101_assignsubmission_file_/backprop.py", "x = 1\n")
        download.writestr("../evil.py", "x = 1\n")
        download.writestr("/abs/evil.py", "x = 1\n")
    assert lms.is_download_zip(archive)
    out = lms.expand_download(archive, tmp_path / "x" / "y")
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py")) == [
        "Ada Lovelace_101_assignsubmission_file_/backprop.py"
    ]
    assert not (tmp_path / "x" / "evil.py").exists()


def test_lms_option_overrides_detection(tmp_path):
    root = canvas_download(tmp_path / "c")
    identify, layout = lms.identifier(root, "backprop.py", "plain")
    assert identify is None and layout == "plain"
    found = collect(root, "backprop.py", tmp_path / "work", identify)
    assert len(found) == 4  # every .py file graded on its own


def class_folder(folder):
    folder.mkdir()
    for i, text in enumerate([REFERENCE.read_text(), HALF, TEMPLATE.read_text(), HALF]):
        (folder / f"student{i}.py").write_text(text, encoding="utf-8")
    (folder / "student9.py").write_text("import sys\nsys.exit(3)\n")
    return folder


def tree(folder):
    """Every file's bytes; in the class report, the line of measured grading times (which
    only `grade` has, and which differs from run to run) is left out."""
    return {
        p.relative_to(folder).as_posix(): untimed(p)
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


def untimed(path):
    data = path.read_bytes()
    if not path.name.startswith("report."):
        return data
    lines = data.decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if "Time per submission" not in line).encode()


@pytest.fixture(scope="module")
def class_grades(tmp_path_factory):
    base = tmp_path_factory.mktemp("shards")
    root = class_folder(base / "class")
    grade(root, base / "all")
    for k in (1, 2, 3):
        grade(root, base / f"shard{k}", "--shard", f"{k}/3")
    return base


def load(folder):
    return json.loads((folder / "grading.json").read_text(encoding="utf-8"))


def merge(*args):
    command = [sys.executable, "-m", "autograder", "merge", *map(str, args)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_three_shards_merged_equal_one_run_byte_for_byte(class_grades):
    base = class_grades
    sizes = [len(load(base / f"shard{k}")["results"]) for k in (1, 2, 3)]
    assert sizes == [2, 2, 1]
    done = merge(base / "shard3", base / "shard1", base / "shard2", "--out", base / "merged")
    assert done.returncode == 0, done.stderr
    assert tree(base / "merged") == tree(base / "all")
    assert len(tree(base / "all")) > 10


def test_merge_refuses_overlaps_missing_slices_and_other_questions(class_grades, tmp_path):
    base = class_grades
    twice = merge(base / "shard1", base / "shard1", base / "shard2", "--out", tmp_path / "a")
    assert twice.returncode == 2 and "slices 1..3" in twice.stderr
    missing = merge(base / "shard1", base / "shard2", "--out", tmp_path / "b")
    assert missing.returncode == 2
    shutil.copytree(base / "shard2", tmp_path / "other")
    data = json.loads((tmp_path / "other" / "grading.json").read_text())
    data["results"][0]["questions"][0]["points"] = 7.0
    (tmp_path / "other" / "grading.json").write_text(json.dumps(data))
    other = merge(base / "shard1", tmp_path / "other", base / "shard3", "--out", tmp_path / "c")
    assert other.returncode == 2 and "other questions" in other.stderr
    shutil.copytree(base / "shard3", tmp_path / "dup3")  # slice 3's results, posing as slice 2
    data = load(base / "shard3")
    (tmp_path / "dup3" / "grading.json").write_text(json.dumps({**data, "shard": [2, 3]}))
    overlap = merge(base / "shard1", tmp_path / "dup3", base / "shard3", "--out", tmp_path / "d")
    assert overlap.returncode == 2 and "in two folders" in overlap.stderr
    assert not (tmp_path / "d").exists()


def test_shard_spec_is_checked(tmp_path):
    command = grade_command(REFERENCE, "--shard", "4/3")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "K/N" in done.stderr


# --- Student text in LMS names: CSV formulas, right-anchored Moodle names, duplicate ids ---
# Unit level: lms and collect on folders made in tmp_path, results made by hand (no grading).

from autograder.engine.report import csv_text  # noqa: E402
from autograder.engine.submissions import Submission  # noqa: E402


def ungraded(found, score=7.0):
    """Result dicts as ``grade.py`` makes them, for gradebook writers that need no grading."""
    return [
        {
            "submission": s.id,
            "source": s.source,
            "identity": s.identity,
            "score": score,
            "max_score": 50.0,
            "assignment": "backprop",
            "questions": [{"id": "q1", "score": score}],
            "status": "graded",
        }
        for s in found
    ]


def collected(root, tmp_path):
    identify, _ = lms.identifier(root, "backprop.py")
    return collect(root, "backprop.py", tmp_path / "work", identify)


def moodle_folder(root, name, text="x = 1\n"):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "backprop.py").write_text(text)
    return folder


def test_formula_looking_moodle_names_land_as_text_and_scores_as_numbers(tmp_path):
    root = tmp_path / "m"
    for i, name in enumerate(["=1+2", "@SUM(A1)", "-3+4 Eve", "+5", "Ada Lovelace"]):
        moodle_folder(root, f"{name}_10{i}_assignsubmission_file_")
    found = collected(root, tmp_path)
    table = rows_of(lms.moodle_csv(ungraded(found)))
    assert sorted(row[1] for row in table[1:]) == [
        "'+5",
        "'-3+4 Eve",
        "'=1+2",
        "'@SUM(A1)",
        "Ada Lovelace",
    ]
    assert {row[2] for row in table[1:]} == {"7"}
    assert lms.conflicts(ungraded(found)) == []


def test_formula_looking_canvas_login_lands_as_text_in_both_csvs(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "-2-3_14_100_backprop.py").write_text("x = 1\n")
    (root / "doejane_13_95_backprop.py").write_text("x = 1\n")
    results = ungraded(collected(root, tmp_path))
    assert rows_of(lms.canvas_csv(results, "HW")) == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "HW"],
        ["'-2-3", "14", "", "", "", "7"],
        ["doejane", "13", "", "", "", "7"],
    ]
    grades = rows_of(csv_text(results))
    assert [row[0] for row in grades] == ["submission", "'-2-3_14", "doejane_13"]
    assert grades[1][1:] == ["7", "50", "7", "graded"]


def test_grades_csv_neutralises_formula_ids_and_statuses():
    results = ungraded([])
    result = {
        "submission": "=cmd|' /C calc'!A0",
        "score": 3.0,
        "max_score": 50.0,
        "questions": [{"id": "q1", "score": 3.0}],
        "status": "@bad",
    }
    assert rows_of(csv_text([*results, result]))[1] == [
        "'=cmd|' /C calc'!A0",
        "3",
        "50",
        "3",
        "'@bad",
    ]


def test_moodle_name_holding_the_pattern_is_read_from_the_right(tmp_path):
    root = tmp_path / "m"
    moodle_folder(root, "Bob_999_assignsubmission_file__1234_assignsubmission_file_")
    moodle_folder(root, "Bob_999_assignsubmission_file_")  # the real participant 999
    (root / "Bob_999_assignsubmission_file__1235_assignsubmission_file_backprop.py").write_text("")
    found = collected(root, tmp_path)
    people = {s.source: (s.identity.get("participant_id"), s.identity.get("name")) for s in found}
    assert people == {
        "Bob_999_assignsubmission_file_": ("999", "Bob"),
        "Bob_999_assignsubmission_file__1234_assignsubmission_file_": (
            "1234",
            "Bob_999_assignsubmission_file_",
        ),
        # a flat file: the pattern twice may come from the upload's name, so no id is guessed
        "Bob_999_assignsubmission_file__1235_assignsubmission_file_backprop.py": (None, None),
    }
    assert all(s.file is not None for s in found)
    table = rows_of(lms.moodle_csv(ungraded(found)))
    assert sorted(row[0] for row in table[1:]) == ["Participant 1234", "Participant 999"]
    (conflict,) = lms.conflicts(ungraded(found))
    assert "1235" in conflict


def test_an_upload_named_like_another_participant_claims_no_one(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    for name in (
        "Mallory M_555_assignsubmission_file_backprop.py",
        "Mallory M_555_assignsubmission_file_x_777_assignsubmission_file_backprop.py",
        "Mallory M_555_assignsubmission_file_y_999_assignsubmission_file_backprop.py",
        "Victim Person_999_assignsubmission_file_backprop.py",
    ):
        (root / name).write_text("x = 1\n")
    found = collected(root, tmp_path)
    rows = rows_of(lms.moodle_csv(ungraded(found)))[1:]
    assert sorted(row[0] for row in rows) == ["Participant 555", "Participant 999"]
    assert {row[1] for row in rows} == {"Mallory M", "Victim Person"}
    assert len(lms.conflicts(ungraded(found))) == 2  # both forged uploads are named


def test_moodle_zip_whose_name_may_hold_the_pattern_is_graded_but_refused(tmp_path):
    root = tmp_path / "m"
    moodle_folder(root, "Ann_999_assignsubmission_file_")
    eve = "Eve_555_assignsubmission_file_x_999_assignsubmission_file_y.zip"
    with zipfile.ZipFile(root / eve, "w") as archive:
        archive.writestr("backprop.py", "x = 1\n")
    found = collected(root, tmp_path)
    (refused,) = [s for s in found if s.source == eve]
    assert refused.file is not None and "participant_id" not in refused.identity
    results = ungraded(found)
    assert rows_of(lms.moodle_csv(results))[1:] == [["Participant 999", "Ann", "7"]]
    (message,) = lms.conflicts(results)
    assert repr(eve) in message and "999 or 555" in message


def test_two_full_names_claiming_one_moodle_participant_are_graded_but_not_imported(tmp_path):
    root = tmp_path / "m"
    moodle_folder(root, "Ada Lovelace_101_assignsubmission_file_")
    moodle_folder(root, "Eve_101_assignsubmission_file_")
    moodle_folder(root, "Bob Byte_102_assignsubmission_file_")
    found = collected(root, tmp_path)
    assert [s.id for s in found] == ["Ada_Lovelace_101", "Bob_Byte_102", "Eve_101"]
    assert all(s.file is not None for s in found)
    results = ungraded(found)
    assert rows_of(lms.moodle_csv(results))[1:] == [["Participant 102", "Bob Byte", "7"]]
    (message,) = lms.conflicts(results)
    assert "participant 101" in message
    assert "'Ada Lovelace_101_assignsubmission_file_'" in message
    assert "'Eve_101_assignsubmission_file_'" in message


def test_one_moodle_students_flat_files_are_one_submission_not_a_conflict(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    (root / "Cy Flat_103_assignsubmission_file_backprop.py").write_text("x = 1\n")
    with zipfile.ZipFile(root / "Cy Flat_103_assignsubmission_file_work.zip", "w") as archive:
        archive.writestr("backprop.py", "x = 2\n")
    found = collected(root, tmp_path)
    assert [s.source for s in found] == ["Cy Flat_103_assignsubmission_file_backprop.py"]
    results = ungraded(found)
    assert rows_of(lms.moodle_csv(results))[1:] == [["Participant 103", "Cy Flat", "7"]]
    assert lms.conflicts(results) == []


def test_one_canvas_user_id_under_two_logins_is_refused_but_attempts_of_one_login_are_not(
    tmp_path,
):
    root = canvas_download(tmp_path / "c")
    shutil.copy(TEMPLATE, root / "mallory_12_95_backprop.py")  # smithjohn's user id
    found = collected(root, tmp_path)
    assert [(s.id, s.source) for s in found] == [
        ("doejane_13", "doejane_late_13_95_backprop-1.py"),
        ("mallory_12", "mallory_12_95_backprop.py"),
        ("smithjohn_12", "smithjohn_12_100_backprop.py"),
    ]
    results = ungraded(found)
    assert rows_of(lms.canvas_csv(results, "HW"))[1:] == [["doejane", "13", "", "", "", "7"]]
    (message,) = lms.conflicts(results)
    assert "Canvas user id 12" in message
    assert "'mallory_12_95_backprop.py'" in message
    assert "'smithjohn_12_100_backprop.py'" in message
    # a slice holding only one of them (``--shard``) still keeps it out, and names both
    alone = [r for r in results if r["submission"] == "smithjohn_12"]
    assert rows_of(lms.canvas_csv(alone, "HW"))[1:] == []
    assert lms.conflicts(alone) == [message]


def test_results_sharing_an_lms_id_after_id_deduplication_get_no_row(tmp_path):
    canvas = {"lms": "canvas", "login": "smithjohn", "user_id": "12", "attempt": "1"}
    moodle = {"lms": "moodle", "name": "Ada", "participant_id": "101", "plugin": "file"}
    results = ungraded(
        Submission(sid, source, identity=identity)
        for sid, source, identity in [
            ("smithjohn_12", "a.py", canvas),
            ("smithjohn_12-2", "b.py", canvas),
            ("Ada_101", "c", moodle),
            ("Ada_101-2", "d", moodle),
        ]
    )
    assert rows_of(lms.canvas_csv(results, "HW"))[1:] == []
    assert rows_of(lms.moodle_csv(results))[1:] == []
    assert lms.conflicts(results) == [
        "Canvas user id 12 is claimed by 2 entries ('a.py', 'b.py'): none of them is written "
        "to canvas_gradebook.csv; grade them by hand",
        "Moodle participant 101 is claimed by 2 entries ('c', 'd'): none of them is written "
        "to moodle_grades.csv; grade them by hand",
    ]
    assert lms.write_gradebooks(results, tmp_path) == [lms.CANVAS_FILE, lms.MOODLE_FILE]
    assert len(rows(tmp_path / lms.CANVAS_FILE)) == len(rows(tmp_path / lms.MOODLE_FILE)) == 1


def rows_of(text):
    return list(csv.reader(io.StringIO(text)))
