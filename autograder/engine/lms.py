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

Student text in the names: a student chooses their display name (Moodle's full name, the
source of Canvas's login) and the names of the files they upload. Canvas names are read from
the left (a login holds no ``_``). Moodle names are read from the right: the LAST
``_<id>_assignsubmission_<plugin>_`` is Moodle's own, so a full name such as
``Bob_999_assignsubmission_file_`` reads as a name, not as participant 999. A flat file whose
uploaded name may hold that pattern too (a ``.zip`` named ``x_999_assignsubmission_file_y.zip``:
two readings make it a submission) is ambiguous: it is graded under its entry name, its identity
holds only ``conflict`` and no id, and it is kept out of the import file.

Identities are never merged, doubled or dropped silently. One student's several entries are
legitimate (Canvas's attempts of one login; a Moodle flat download's several files of one full
name): one is graded, as above. Entries that claim one id under different holders (one Canvas
user id under two logins, one Moodle participant id under two full names) are all graded, and
each one's identity gets a ``conflict`` message naming the id and every entry that claims it.
``canvas_csv``/``moodle_csv`` skip every result with a ``conflict``, and every result whose
user id / participant id is held by another result too (e.g. after the ``-2`` de-duplication
of ``submissions.collect`` or a merge), so no id gets two rows. ``conflicts(results) -> list
of str`` gives the message of each refusal once, in order, for the command line to print
(through ``sinks.terminal``: the messages quote student text). Every text cell of the import
files goes through ``sinks.csv_cell``; scores stay numbers.

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

from . import sinks
from .submissions import MAX_FILE_BYTES, SKIP, open_zip

LAYOUTS = ("auto", "canvas", "moodle", "plain")
CANVAS_FILE = "canvas_gradebook.csv"
MOODLE_FILE = "moodle_grades.csv"
MOODLE_FEEDBACK = "moodle_feedback.zip"  # Moodle's "Upload multiple feedback files in a zip"
DEFAULT_GRADE_COLUMN = "Grade"

CANVAS = re.compile(
    r"^(?P<login>[A-Za-z0-9.\-]+?)_(?:(?P<late>late|LATE)_)?(?P<user>\d+)_(?P<attempt>\d+)_(?P<file>.+)$"
)
# every place (overlapping too) where ``_<id>_assignsubmission_<plugin>_`` starts
MOODLE_ANCHOR = re.compile(r"(?=_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_|$))")
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
        with open_zip(path, MAX_MEMBERS, max_bytes=None) as archive:
            return [i.filename.replace("\\", "/") for i in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def _top(name):
    return name.strip("/").split("/", 1)[0]


def kind_of(name):
    """'moodle', 'canvas' or None: which LMS's naming the entry ``name`` follows."""
    if _moodle_readings(name):
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
    with open_zip(path, MAX_MEMBERS, max_bytes=None) as archive:
        infos = archive.infolist()
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


def _moodle_readings(name):
    """Each way of reading ``name`` as ``<Full Name>_<id>_assignsubmission_<plugin>_<file>``,
    the last anchor first."""
    readings = []
    for match in MOODLE_ANCHOR.finditer(name):
        if match.start() > 0:
            readings.append(
                {
                    "lms": "moodle",
                    "name": name[: match.start()],
                    "participant_id": match["participant"],
                    "plugin": match["plugin"],
                    "file": name[match.end("plugin") :][1:],
                }
            )
    return readings[::-1]


def _is_submission(reading, filename):
    """True when the Moodle ``reading`` is a file submission: a folder, the required file (or
    a rename of it) or a zip."""
    file = reading["file"]
    return reading["plugin"] == "file" and (not file or _renamed(file, filename) is not None)


def moodle_identity(name, filename):
    """The Moodle student of the entry ``name``; None when it follows no Moodle name.

    A folder's name ends with the pattern, so it is read from the right: whatever the full
    name holds, the last ``_<id>_assignsubmission_<plugin>_`` is Moodle's. A flat file's name
    goes on with the uploaded file's name, which the student chose: when the pattern occurs
    more than once, either part may hold it, so the identity holds only ``conflict`` and no
    id is guessed (an upload named ``x_777_assignsubmission_file_backprop.py`` would
    otherwise claim participant 777)."""
    readings = _moodle_readings(name)
    if not readings:
        return None
    last = readings[0]
    if _is_submission(last, filename) and last["file"]:
        others = [r["participant_id"] for r in readings[1:]]
        if others:
            ids = " or ".join([last["participant_id"], *others])
            return {
                "lms": "moodle",
                "conflict": f"{name!r} reads as Moodle participant {ids} (the uploaded "
                f"file's name may hold Moodle's pattern): it is not written to {MOODLE_FILE}; "
                "grade it by hand",
            }
    return last


def _choose(claims, what, lms_file):
    """``claims``: (entry, id, holder, rank) of each entry. Returns the entries kept (the
    highest rank of each id and holder) and ``{entry: message}`` for the kept entries of an
    id that several holders claim."""
    best = {}
    for entry, key, holder, rank in claims:
        if (key, holder) not in best or rank > best[key, holder][0]:
            best[key, holder] = (rank, entry)
    by_id = {}
    for (key, _), (_, entry) in sorted(best.items()):
        by_id.setdefault(key, []).append(entry)
    clashes = {}
    for key, entries in by_id.items():
        if len(entries) > 1:
            clashes.update(dict.fromkeys(entries, _clash(what, key, entries, lms_file)))
    return {entry for _, entry in best.values()}, clashes


def _clash(what, key, entries, lms_file):
    named = ", ".join(repr(e) for e in sorted(entries))
    return (
        f"{what} {key} is claimed by {len(entries)} entries ({named}): none of them is "
        f"written to {lms_file}; grade them by hand"
    )


def identifier(root, filename, layout="auto"):
    """The ``identify(entry name) -> (id, identity) | None`` hook for ``root``'s layout, and the
    layout found. ``None`` means: do not grade this entry (a superseded attempt, another file).
    An identity with a ``conflict`` (see the module docstring) is graded but not imported."""
    if layout == "auto":
        layout = detect(root)
    if layout == "plain":
        return None, layout
    names = _names(root)
    if layout == "canvas":
        claims = []
        for name in names:
            identity = canvas_identity(name)
            if identity is None:
                continue
            rename = _renamed(identity["file"], filename)
            # the required file first (another .py only when there is none), then the latest
            rank = (rename is not None, int(identity["attempt"]), rename or 0, name)
            claims.append((name, identity["user_id"], identity["login"], rank))
        keep, clashes = _choose(claims, "Canvas user id", CANVAS_FILE)

        def identify(name):
            identity = canvas_identity(name)
            if identity is None:
                return name, {"lms": "canvas"}
            if name not in keep:
                return None
            if name in clashes:
                identity["conflict"] = clashes[name]
            return f"{identity['login']}_{identity['user_id']}", identity

        return identify, layout

    claims = []
    for name in names:
        identity = moodle_identity(name, filename)
        if identity and "participant_id" in identity and _is_submission(identity, filename):
            file = identity["file"]
            # one student's files (flat download): a folder or the required file before a zip
            rank = (not file.endswith(".zip"), _renamed(file, filename) or 0, name)
            claims.append((name, identity["participant_id"], identity["name"], rank))
    keep, clashes = _choose(claims, "Moodle participant", MOODLE_FILE)

    def identify(name):
        identity = moodle_identity(name, filename)
        if identity is None:
            return name, {"lms": "moodle"}
        if "participant_id" not in identity:  # ambiguous: graded, never imported
            return name, identity
        if not _is_submission(identity, filename) or name not in keep:
            return None
        if name in clashes:
            identity["conflict"] = clashes[name]
        return f"{identity['name']}_{identity['participant_id']}", identity

    return identify, layout


def _points(x):
    return f"{x:g}"


def default_assignment_column(results):
    """``<Assignment> (<max score>)``, e.g. ``Backprop (50)``, as Canvas names its columns."""
    if not results:
        return "Assignment"
    return f"{results[0]['assignment'].capitalize()} ({_points(results[0]['max_score'])})"


# (lms, id key, what the id is, import file)
IDS = (
    ("canvas", "user_id", "Canvas user id", CANVAS_FILE),
    ("moodle", "participant_id", "Moodle participant", MOODLE_FILE),
)


def _refused(results):
    """``{index: message}`` of the results kept out of the import files: those with a
    ``conflict``, and all results of an id that more than one result holds."""
    refused = {}
    for lms, key, what, lms_file in IDS:
        holders = {}
        for i, r in enumerate(results):
            identity = r.get("identity") or {}
            if identity.get("lms") != lms:
                continue
            if identity.get("conflict"):
                refused[i] = identity["conflict"]
            if key in identity:
                holders.setdefault(identity[key], []).append(i)
        for value, group in holders.items():
            if len(group) > 1 and not all(i in refused for i in group):
                entries = [results[i].get("source") or results[i]["submission"] for i in group]
                refused.update(dict.fromkeys(group, _clash(what, value, entries, lms_file)))
    return refused


def conflicts(results):
    """The message of each entry kept out of the LMS import files (an id claimed by several
    entries, an ambiguous Moodle name), each message once, in the order of the results."""
    refused = _refused(results)
    return list(dict.fromkeys(refused[i] for i in sorted(refused)))


def _importable(results, lms, key):
    refused = _refused(results)
    for i, r in enumerate(results):
        identity = r.get("identity") or {}
        if identity.get("lms") == lms and key in identity and i not in refused:
            yield r, identity


def _writer(buffer, header):
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([sinks.csv_cell(cell) for cell in header])
    return writer


def canvas_csv(results, assignment_column=None):
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, <column>."""
    buffer = io.StringIO()
    column = assignment_column or default_assignment_column(results)
    writer = _writer(buffer, ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
    for r, identity in _importable(results, "canvas", "user_id"):
        cells = [identity["login"], identity["user_id"], "", "", ""]
        writer.writerow([sinks.csv_cell(c) for c in cells] + [_points(r["score"])])
    return buffer.getvalue()


def moodle_csv(results, grade_column=DEFAULT_GRADE_COLUMN):
    """Moodle's grading worksheet upload: Identifier ("Participant <id>"), Full name, grade."""
    buffer = io.StringIO()
    writer = _writer(buffer, ["Identifier", "Full name", grade_column])
    for r, identity in _importable(results, "moodle", "participant_id"):
        cells = [f"Participant {identity['participant_id']}", identity["name"]]
        writer.writerow([sinks.csv_cell(c) for c in cells] + [_points(r["score"])])
    return buffer.getvalue()


def moodle_feedback_folder(identity):
    """The zip folder Moodle's feedback upload files a student's feedback under:
    ``<name>_<participant id>_assignfeedback_file_``. Moodle splits the name at "_" and reads
    the participant id from the second part, so the name is kept to letters, digits, spaces,
    dots and hyphens (the student chose it: no "_", "/" or ".." reaches the zip)."""
    name = re.sub(r"[^A-Za-z0-9 .-]+", "-", identity.get("name", ""))[:60].strip(" .-") or "student"
    return f"{name}_{identity['participant_id']}_assignfeedback_file_"


def moodle_feedback_zip(results, feedback_dir):
    """The bytes of a zip for Moodle's "Upload multiple feedback files in a zip": each
    importable Moodle result's ``feedback/<id>.html`` as ``<folder>/feedback.html``. The same
    results give the same bytes (fixed dates, sorted names)."""
    buffer = io.BytesIO()
    entries = []
    for r, identity in _importable(results, "moodle", "participant_id"):
        page = Path(feedback_dir) / f"{r['submission']}.html"
        if page.is_file():
            entries.append((f"{moodle_feedback_folder(identity)}/feedback.html", page.read_bytes()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue() if entries else b""


def write_gradebooks(results, out, assignment_column=None, grade_column=None):
    """Write the LMS import file(s) of the LMS the results came from (for Moodle also the
    feedback zip, from ``out/feedback/``); returns their names."""
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
        data = moodle_feedback_zip(results, out / "feedback")
        if data:
            (out / MOODLE_FEEDBACK).write_bytes(data)
            written.append(MOODLE_FEEDBACK)
    return written
