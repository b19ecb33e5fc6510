"""LMS bulk downloads in, gradebook import files out (Canvas and Moodle).

In: ``detect`` tells a Canvas download (flat files named
``<login>_<userid>_<attemptid>_<filename>``, ``<login>_late_<userid>_<attemptid>_<filename>``
for late work, and Canvas's renames of re-uploaded files such as ``backprop-1.py``) from a Moodle
download (``<Full Name>_<participant id>_assignsubmission_file_/`` folders holding the file, or
the same prefix on flat files when the download was not made "in folders") and from a plain
folder of ``<id>.py``/``<id>/``/``<id>.zip``. ``identifier`` returns the ``identify`` hook of
``submissions.collect``: the submission id and the student's identity (kept in each result's
``identity``), and ``None`` for entries that are not graded.

Latest attempt only: when a Canvas student has several entries (resubmissions kept in the
download), the entry with the highest attempt id is graded, then, for equal attempt ids, the
highest rename suffix (``backprop-2.py`` after ``backprop-1.py`` after ``backprop.py``); the
others are skipped. Only entries named like the required file (or a ``.zip``) count. Moodle
keeps one submission per student; its ``onlinetext`` folders are skipped.

The id of a student is stable across downloads, so the hidden inputs (seeded by the id) do
not change when a student resubmits: ``<login>_<userid>`` on Canvas, ``<Full_Name>_<id>``
on Moodle.

``expand_download`` opens the zip of a whole download (Canvas's ``submissions.zip``, Moodle's
"Download all submissions"), extracting only ``.py``/``.zip`` members with safe paths and a
size cap. Out: ``write_gradebooks`` writes ``canvas_gradebook.csv`` and/or ``moodle_grades.csv``
for the results that came from that LMS.
"""

import csv
import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from .submissions import MAX_FILE_BYTES, SKIP

LAYOUTS = ("auto", "canvas", "moodle", "plain")
CANVAS_FILE = "canvas_gradebook.csv"
MOODLE_FILE = "moodle_grades.csv"
DEFAULT_GRADE_COLUMN = "Grade"

CANVAS = re.compile(
    r"^(?P<login>[A-Za-z0-9.\-]+?)_(?:(?P<late>late|LATE)_)?(?P<user>\d+)_(?P<attempt>\d+)_(?P<file>.+)$"
)
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)_?(?P<file>.*)$"
)
RENAMED = re.compile(r"^(?P<stem>.+?)(?:-(?P<n>\d+))?(?P<suffix>\.[A-Za-z0-9]+)$")

MAX_MEMBERS = 20000
MAX_ZIP_MEMBER_BYTES = 50 << 20  # a student's own zip inside the download


def _names(root):
    root = Path(root)
    if root.is_file() and root.suffix == ".zip":
        return sorted({_top(m) for m in _zip_names(root) if _safe_member(m)} - {""})
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if not p.name.startswith(".") and p.name not in SKIP
    )


def _zip_names(path):
    try:
        with zipfile.ZipFile(path) as archive:
            return [i.filename.replace("\\", "/") for i in archive.infolist()]
    except (zipfile.BadZipFile, OSError):
        return []


def _top(name):
    return name.strip("/").split("/", 1)[0]


def kind_of(name):
    """'moodle', 'canvas' or None: which LMS's naming the entry ``name`` follows."""
    if MOODLE.match(name):
        return "moodle"
    if CANVAS.match(name):
        return "canvas"
    return None


def detect(root):
    """The layout of the folder (or whole-download zip) ``root``: canvas, moodle or plain.

    An LMS layout needs at least half of the entries to follow that LMS's names."""
    names = _names(root)
    if not names:
        return "plain"
    for layout in ("moodle", "canvas"):
        if sum(kind_of(n) == layout for n in names) * 2 >= len(names):
            return layout
    return "plain"


def is_download_zip(path):
    """True when ``path`` is the zip of a whole Canvas or Moodle download."""
    path = Path(path)
    return path.is_file() and path.suffix == ".zip" and detect(path) in ("canvas", "moodle")


def _safe_member(name):
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or name.startswith("/") or ".." in parts or ":" in parts[0]:
        return None
    if SKIP & set(parts):
        return None
    return Path(*parts)


def expand_download(path, dest):
    """Extract the ``.py`` and ``.zip`` members of a whole-download zip into ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()[:MAX_MEMBERS]
        for info in infos:
            relative = _safe_member(info.filename)
            if info.is_dir() or relative is None or relative.suffix not in (".py", ".zip"):
                continue
            is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
            cap = MAX_ZIP_MEMBER_BYTES if relative.suffix == ".zip" else MAX_FILE_BYTES
            if is_link or info.file_size > cap:
                continue
            with archive.open(info) as stream:
                data = stream.read(cap + 1)
            if len(data) > cap:
                continue
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return dest


def _renamed(file, filename):
    """The rename suffix of ``file`` (0 for the name itself), or None when it is not ``filename``
    (or a ``.zip``)."""
    match = RENAMED.match(file)
    if not match:
        return None
    want = RENAMED.match(filename)
    if match["suffix"] == ".zip":
        return int(match["n"] or 0)
    if want and (match["stem"], match["suffix"]) == (want["stem"], want["suffix"]):
        return int(match["n"] or 0)
    return None


def canvas_identity(name):
    match = CANVAS.match(name)
    if not match:
        return None
    return {
        "lms": "canvas",
        "login": match["login"],
        "user_id": match["user"],
        "attempt": match["attempt"],
        "late": bool(match["late"]),
        "file": match["file"],
    }


def moodle_identity(name):
    match = MOODLE.match(name)
    if not match:
        return None
    return {
        "lms": "moodle",
        "name": match["name"],
        "participant_id": match["participant"],
        "plugin": match["plugin"],
        "file": match["file"],
    }


def identifier(root, filename, layout="auto"):
    """The ``identify(entry name) -> (id, identity) | None`` hook for ``root``'s layout, and the
    layout found. ``None`` means: do not grade this entry (a superseded attempt, another file)."""
    if layout == "auto":
        layout = detect(root)
    if layout == "plain":
        return None, layout
    names = _names(root)
    if layout == "canvas":
        latest = {}
        for name in names:
            identity = canvas_identity(name)
            if identity is None:
                continue
            rename = _renamed(identity["file"], filename)
            # the required file first (another .py only when there is none), then the latest
            key = (rename is not None, int(identity["attempt"]), rename or 0, name)
            if identity["user_id"] not in latest or key > latest[identity["user_id"]]:
                latest[identity["user_id"]] = key
        keep = {key[3] for key in latest.values()}

        def identify(name):
            identity = canvas_identity(name)
            if identity is None:
                return name, {"lms": "canvas"}
            if name not in keep:
                return None
            return f"{identity['login']}_{identity['user_id']}", identity

        return identify, layout

    def identify(name):
        identity = moodle_identity(name)
        if identity is None:
            return name, {"lms": "moodle"}
        if identity["plugin"] != "file":
            return None
        if identity["file"] and _renamed(identity["file"], filename) is None:
            return None
        return f"{identity['name']}_{identity['participant_id']}", identity

    return identify, layout


def _points(x):
    return f"{x:g}"


def default_assignment_column(results):
    """``<Assignment> (<max score>)``, e.g. ``Backprop (50)``, as Canvas names its columns."""
    if not results:
        return "Assignment"
    return f"{results[0]['assignment'].capitalize()} ({_points(results[0]['max_score'])})"


def canvas_csv(results, assignment_column=None):
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, <column>."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    column = assignment_column or default_assignment_column(results)
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
    for r in results:
        identity = r.get("identity") or {}
        if identity.get("lms") != "canvas" or "user_id" not in identity:
            continue
        writer.writerow([identity["login"], identity["user_id"], "", "", "", _points(r["score"])])
    return buffer.getvalue()


def moodle_csv(results, grade_column=DEFAULT_GRADE_COLUMN):
    """Moodle's grading worksheet upload: Identifier ("Participant <id>"), Full name, grade."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Identifier", "Full name", grade_column])
    for r in results:
        identity = r.get("identity") or {}
        if identity.get("lms") != "moodle" or "participant_id" not in identity:
            continue
        writer.writerow(
            [f"Participant {identity['participant_id']}", identity["name"], _points(r["score"])]
        )
    return buffer.getvalue()


def write_gradebooks(results, out, assignment_column=None, grade_column=None):
    """Write the LMS import file(s) of the LMS the results came from; returns their names."""
    out = Path(out)
    kinds = {(r.get("identity") or {}).get("lms") for r in results}
    written = []
    if "canvas" in kinds:
        text = canvas_csv(results, assignment_column)
        (out / CANVAS_FILE).write_text(text, encoding="utf-8")
        written.append(CANVAS_FILE)
    if "moodle" in kinds:
        text = moodle_csv(results, grade_column or DEFAULT_GRADE_COLUMN)
        (out / MOODLE_FILE).write_text(text, encoding="utf-8")
        written.append(MOODLE_FILE)
    return written
