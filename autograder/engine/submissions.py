"""Find the submissions in a folder (an LMS bulk download, unpacked or not).

Each entry of the folder is one student: ``<id>.py``, a folder ``<id>/`` or ``<id>.zip`` with
the required file somewhere inside. A path that is itself one submission (a ``.py``, a
``.zip``, or a folder with the required file at its top) is graded alone. Zips are read, not
extracted: only the required file's bytes are copied out, with a size cap, so a zip bomb or a
path like ``../../etc`` costs nothing.
"""

import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 2 << 20
MAX_DEPTH = 20  # folders below a submission's own folder that are searched
MAX_ZIP_BYTES = 50 << 20  # a student's zip
MAX_MEMBERS = 10_000  # members of a student's zip
DIRECTORY_BYTES = 128  # of central directory per member allowed (an entry takes >= 46)
SKIP = {"__MACOSX", ".git", "__pycache__", ".ipynb_checkpoints"}


@dataclass
class Submission:
    id: str
    source: str  # the entry it came from, relative to the submissions folder
    file: Path = None  # the copy of the required file to grade; None when there is none
    problem: str = ""  # why there is no file
    identity: dict = field(default_factory=dict)  # who it belongs to, from the LMS's names


def safe_id(name):
    """A file-name-safe id: letters, digits, '.', '_' and '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "submission"
    return cleaned[:120]


def _depth_then_name(path):
    return (len(path.parts), str(path))


def find_in_folder(folder, filename):
    """The shallowest ``filename`` under ``folder``, at most ``MAX_DEPTH`` folders down;
    symlinks are never followed and ``SKIP`` folders never entered."""
    candidates = []
    folder = Path(folder)
    for current, dirs, files in os.walk(folder):  # iterative: no recursion limit to hit
        depth = len(Path(current).relative_to(folder).parts)
        dirs[:] = [] if depth >= MAX_DEPTH else [d for d in dirs if d not in SKIP]
        path = Path(current) / filename
        if filename in files and path.is_file() and not path.is_symlink():
            candidates.append(path)
    return min(candidates, key=_depth_then_name) if candidates else None


def zip_directory(path):
    """(members, central directory bytes) the zip at ``path`` declares, read from its end
    records only: both are checked before ``zipfile`` parses the directory, since it builds
    an object for every entry it finds there, whatever count the end record gives."""
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - (1 << 16) - 22))
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            raise ValueError("not a zip file")
        count, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
        locator = tail.rfind(b"PK\x06\x07", 0, at)
        if locator >= 0 and (count == 0xFFFF or directory == 0xFFFFFFFF):  # zip64
            (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
            handle.seek(offset)
            record = handle.read(56)
            if record[:4] != b"PK\x06\x06":
                raise ValueError("a malformed zip64 end record")
            count, directory = struct.unpack("<QQ", record[32:48])
    return count, directory


def open_zip(path, max_members=MAX_MEMBERS, max_bytes=MAX_ZIP_BYTES):
    """``zipfile.ZipFile(path)`` once its size, member count and directory size are within
    bounds (at most ``DIRECTORY_BYTES`` per member allowed); raises ValueError otherwise."""
    if max_bytes is not None and Path(path).stat().st_size > max_bytes:
        raise ValueError(f"the zip is larger than {max_bytes >> 20} MB")
    try:
        count, directory = zip_directory(path)
    except struct.error as error:
        raise ValueError("a malformed zip end record") from error
    if count > max_members or directory > max_members * DIRECTORY_BYTES:
        raise ValueError(
            f"the zip holds {count} members ({directory} bytes of directory); "
            f"at most {max_members} are read"
        )
    return zipfile.ZipFile(path)


def read_from_zip(path, filename):
    """The bytes of the shallowest ``filename`` in the zip, or raise ValueError."""
    try:
        with open_zip(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.replace("\\", "/").rsplit("/", 1)[-1] == filename
                and not SKIP & set(info.filename.replace("\\", "/").split("/"))
            ]
            if not members:
                raise ValueError(f"the zip holds no {filename}")
            best = min(members, key=lambda i: (i.filename.count("/"), i.filename))
            if best.file_size > MAX_FILE_BYTES:
                raise ValueError(f"{filename} in the zip is larger than {MAX_FILE_BYTES} bytes")
            with archive.open(best) as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise ValueError(f"{filename} in the zip is larger than {MAX_FILE_BYTES} bytes")
            return data
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise ValueError(f"the zip could not be read ({error})") from error


def is_single(path, filename):
    path = Path(path)
    if path.is_file():
        return path.suffix in (".py", ".zip")
    return (path / filename).is_file()


def entries(root, filename):
    """(id, entry path) of each student in ``root``, sorted by name."""
    root = Path(root)
    if is_single(root, filename):
        return [(root.stem if root.is_file() else root.name, root)]
    found = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in SKIP or entry.is_symlink():
            continue
        if entry.is_dir() or entry.suffix in (".py", ".zip"):
            found.append((entry.stem if entry.is_file() else entry.name, entry))
    return found


def collect(root, filename, workdir, identify=None):
    """Every submission under ``root``, its required file copied into ``workdir``.

    ``identify(entry name) -> (id, identity dict)`` maps an entry's file or folder name (with
    its suffix) to a student (LMS layouts, see ``lms.py``);
    it returns None for an entry that is not graded (e.g. a superseded attempt). By default
    the id is the entry's name. Ids are made unique with a numeric suffix.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    root = Path(root)
    out, seen = [], set()
    for name, entry in entries(root, filename):
        found = identify(entry.name) if identify and entry != root else (name, {})
        if found is None:
            continue
        sid, identity = found
        sid = base = safe_id(sid)
        n = 1
        while sid in seen:
            n += 1
            sid = f"{base}-{n}"
        seen.add(sid)
        source = entry.name if entry != root else entry.name
        submission = Submission(sid, source, identity=identity)
        try:
            data = _read(entry, filename)
        except ValueError as error:
            submission.problem = str(error)
        except (OSError, RecursionError) as error:  # an unreadable entry is its own problem
            submission.problem = f"the entry could not be read ({type(error).__name__})"
        else:
            target = workdir / f"{sid}.py"
            target.write_bytes(data)
            submission.file = target
        out.append(submission)
    return out


def _read(entry, filename):
    if entry.is_file() and entry.suffix == ".zip":
        return read_from_zip(entry, filename)
    if entry.is_file():
        if entry.stat().st_size > MAX_FILE_BYTES:
            raise ValueError(f"{entry.name} is larger than {MAX_FILE_BYTES} bytes")
        return entry.read_bytes()
    found = find_in_folder(entry, filename)
    if found is None:
        raise ValueError(f"no {filename} in the folder")
    if found.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{filename} is larger than {MAX_FILE_BYTES} bytes")
    return found.read_bytes()
