"""Finding the file to grade: zips and folders are read within bounds and never followed out."""

import os
import zipfile

from autograder.engine import submissions


def test_a_zip_with_more_members_than_the_cap_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "alice.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(submissions.MAX_MEMBERS + 1):
            archive.writestr(f"f{i}", b"")
        archive.writestr("backprop.py", b"x = 1\n")
    assert submissions.zip_directory(path)[0] == submissions.MAX_MEMBERS + 2
    (sub,) = submissions.collect(path, "backprop.py", tmp_path / "work")
    assert sub.file is None and f"{submissions.MAX_MEMBERS + 2} members" in sub.problem


def test_a_directory_larger_than_its_declared_count_is_refused(tmp_path):
    """zipfile parses every entry of the directory, whatever count the end record gives."""
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("backprop.py", b"x = 1\n")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    start = int.from_bytes(data[at + 16 : at + 20], "little")
    entry = bytes(data[start:at])
    copies = submissions.MAX_MEMBERS * submissions.DIRECTORY_BYTES // len(entry) + 10
    end = bytearray(data[at:])
    end[12:16] = (len(entry) * copies).to_bytes(4, "little")
    path.write_bytes(bytes(data[:start]) + entry * copies + bytes(end))
    (sub,) = submissions.collect(path, "backprop.py", tmp_path / "work")
    assert sub.file is None and "at most" in sub.problem


def test_a_zip_declaring_the_zip64_count_without_its_record_is_refused(tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        archive.writestr("backprop.py", b"x = 1\n")
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    data[at + 8 : at + 12] = b"\xff\xff\xff\xff"  # "see the zip64 record", which is absent
    path.write_bytes(bytes(data))
    (sub,) = submissions.collect(path, "backprop.py", tmp_path / "work")
    assert sub.file is None and "65535 members" in sub.problem  # refused, never parsed


def test_a_zip_that_is_not_a_zip_is_a_clear_problem(tmp_path):
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "bob.zip").write_bytes(b"PK\x05\x06 truncated")
    (sub,) = submissions.collect(tmp_path / "subs", "backprop.py", tmp_path / "work")
    assert sub.file is None and "zip" in sub.problem


def test_symlinks_to_files_and_folders_are_not_followed(tmp_path):
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "backprop.py").write_text("SECRET = 1\n")
    subs = tmp_path / "subs"
    (subs / "carol").mkdir(parents=True)
    os.symlink(secret, subs / "carol" / "hw")
    os.symlink(secret / "backprop.py", subs / "dave.py")
    (subs / "erin").mkdir()
    os.symlink(secret / "backprop.py", subs / "erin" / "backprop.py")
    found = {s.id: s for s in submissions.collect(subs, "backprop.py", tmp_path / "work")}
    assert "dave" not in found
    assert found["carol"].file is None and found["erin"].file is None


def test_a_folder_nested_too_deep_is_its_own_problem_not_the_classs(tmp_path):
    subs = tmp_path / "subs"
    deep = subs / "mallory"
    deep.mkdir(parents=True)
    for _ in range(1200):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "backprop.py").write_text("x = 1\n")
    (subs / "honest.py").write_text("x = 1\n")
    try:
        found = {s.id: s for s in submissions.collect(subs, "backprop.py", tmp_path / "work")}
    finally:  # bottom-up, without recursion: pytest's own clean-up would hit the limit
        (deep / "backprop.py").unlink()
        while deep != subs:
            deep.rmdir()
            deep = deep.parent
    assert found["honest"].file is not None
    assert found["mallory"].file is None and found["mallory"].problem
