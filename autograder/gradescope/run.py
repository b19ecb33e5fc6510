"""Grade one Gradescope submission into ``results/results.json`` (called by run_autograder).

The root is ``$AUTOGRADER_ROOT`` (default ``/autograder``): ``submission/`` holds what the
student uploaded (``backprop.py`` anywhere inside, or a zip holding it), and
``submission_metadata.json`` says who submitted.

Submission id (it seeds the hidden inputs): ``gs-<user id>`` of the submitter with the
smallest Gradescope user id (the only one, unless it is a group submission). It stays the same
when a student resubmits, so resubmitting cannot draw new hidden inputs, and grading the same
file locally as ``gs-<user id>.py`` with ``python -m autograder grade`` gives the same score.
Without users in the metadata the id is ``gs-submission-<submission id>``, without metadata
``submission``.

Visibility: one scored test per question with every check, visible ``after_published`` (the
``[gradescope] visibility`` of the config); for each question with public checks, a 0-point
test "public checks: <question>" that is ``visible`` at once (``public_visibility``): the same
cases the student can run with ``make check``, so nothing hidden is revealed before the
grades are published. A problem with the submission (nothing uploaded, import error) is shown
at once too, as a visible 0-point test. Any failure of the grader itself still writes a valid
results.json (score 0 and an explanation).
"""

import json
import os
import shutil
import sys
import tempfile
import traceback
from functools import partial
from pathlib import Path

PUBLIC_PREFIX = "public: "
DEFAULTS = {"visibility": "after_published", "public_visibility": "visible"}


def root():
    return Path(os.environ.get("AUTOGRADER_ROOT", "/autograder"))


def submission_id(metadata_path):
    """The id that seeds the hidden inputs (see the module's docstring)."""
    try:
        metadata = json.loads(Path(metadata_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "submission"
    from ..engine.submissions import safe_id

    if not isinstance(metadata, dict):
        return "submission"
    users = [u for u in metadata.get("users") or [] if isinstance(u, dict) and "id" in u]
    if users:
        ids = [str(u["id"]) for u in users]
        return safe_id(f"gs-{min(ids, key=lambda i: (len(i), i))}")  # numeric order for digits
    if metadata.get("id") is not None:
        return safe_id(f"gs-submission-{metadata['id']}")
    return "submission"


def settings(config_path):
    """The ``[gradescope]`` table of the config (visibilities), with defaults."""
    from ..engine.config import tomllib

    try:
        with open(config_path, "rb") as handle:
            table = tomllib.load(handle).get("gradescope", {})
    except OSError:
        table = {}
    return {key: str(table.get(key, value)) for key, value in DEFAULTS.items()}


def find_submission(folder, sid, filename, workdir):
    """The ``Submission`` of ``folder``: the shallowest ``filename``, else one inside a zip."""
    from ..engine import submissions

    submission = submissions.Submission(sid, "submission")
    folder = Path(folder)
    if not folder.is_dir():
        submission.problem = "nothing was submitted"
        return submission
    found = submissions.find_in_folder(folder, filename)
    try:
        if found is not None:
            if found.stat().st_size > submissions.MAX_FILE_BYTES:
                raise ValueError(f"{filename} is larger than {submissions.MAX_FILE_BYTES} bytes")
            data = found.read_bytes()
        else:
            zips = sorted(p for p in folder.rglob("*.zip") if p.is_file() and not p.is_symlink())
            if not zips:
                raise ValueError(f"no {filename} in the submission (upload {filename} itself)")
            data = submissions.read_from_zip(zips[0], filename)
    except ValueError as error:
        submission.problem = str(error)
        return submission
    target = Path(workdir) / f"{sid}.py"
    target.write_bytes(data)
    submission.file = target
    return submission


def public_tests(result, visibility):
    """A 0-point test per question with public checks: their outcomes only."""
    from ..engine.report import failure_lines

    tests = []
    for number, q in enumerate(result["questions"], start=1):
        public = [c for c in q["checks"] if c["name"].startswith(PUBLIC_PREFIX)]
        if not public:
            continue
        lines, hints = failure_lines({**q, "checks": public})
        passed = all(c["passed"] for c in public)
        tests.append(
            {
                "name": f"public checks: {q['id']}",
                "number": f"{number}.1",
                "score": 0.0,
                "max_score": 0.0,
                "status": "passed" if passed else "failed",
                "output": "\n".join(lines + [f"\n**Hint:** {h}" for h in hints]),
                "output_format": "md",
                "tags": [q["slide"]],
                "visibility": visibility,
            }
        )
    return tests


def grade(base):
    from ..engine import config as config_module
    from ..engine import report, sinks
    from ..engine.assignment import load
    from ..engine.grade import grade_all
    from ..engine.sandbox import choose

    config = config_module.load()
    chosen = settings(config_module.DEFAULT)
    assignment = load(config.assignment)
    sid = submission_id(base / "submission_metadata.json")
    with tempfile.TemporaryDirectory(prefix="bp-gradescope-") as workdir:
        submission = find_submission(base / "submission", sid, assignment.filename, workdir)
        sandbox = partial(choose, config.limits)
        (result,) = grade_all([submission], config.assignment, config, sandbox, jobs=1)
    data = report.gradescope_results(result, chosen["visibility"])
    data["tests"] += public_tests(result, chosen["public_visibility"])
    if result["problem"]:
        data["tests"].append(
            {
                "name": "problem with the submission",
                "number": "0",
                "score": 0.0,
                "max_score": 0.0,
                "status": "failed",
                "output": sinks.text(result["problem"]),  # student text: no controls
                "output_format": "text",
                "tags": [],
                "visibility": "visible",
            }
        )
    data["tests"].sort(key=lambda t: [int(x) for x in t["number"].split(".")])
    data["extra_data"]["visibility"] = chosen
    return data


def failure(error_text):
    return {
        "score": 0.0,
        "output": "The autograder failed on this submission (a problem on the course's side, "
        "not necessarily in your file). Please tell the course staff.",
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"grader_failed": True, "error": error_text[-4000:]},
        "leaderboard": [],
        "tests": [],
    }


def write(path, data):
    """Write ``data`` as JSON atomically: results.json is either complete or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8") as f:
        f.write(text)
    shutil.move(f.name, path)
    os.chmod(path, 0o644)


def main():
    base = root()
    try:
        data = grade(base)
    except BaseException:  # noqa: B036 - whatever happens, Gradescope gets a results.json
        traceback.print_exc()
        data = failure(traceback.format_exc())
    write(base / "results" / "results.json", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
