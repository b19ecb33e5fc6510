"""Build what the course hands out, into ``build/dist/`` (``make dist [CONFIG=path]``).

- ``student.zip``: the template ``backprop.py``, the handout notebook, the public checks
  (``tests/``), ``check.py``, ``submit.py``, a ``Makefile``, ``requirements.txt`` and a README
  with the points table of ``python -m autograder points``. No solution, hidden check or secret.
- ``autograder.zip``: Gradescope's autograder: ``setup.sh``, ``run_autograder``,
  ``requirements.txt`` (from ``autograder/gradescope/``), the grading engine, the assignment's
  package, ``solutions/backprop.py``, ``assignment/public_cases.py`` and ``config.toml`` with the
  course's settings and secret (from ``CONFIG``, else the demo config).
- ``solutions.zip``: for TAs, the reference ``backprop.py`` and the handout executed with it, as
  ``backprop.html``.

Reproducible: the same sources give byte-identical zips (members sorted, timestamps fixed at
``SOURCE_DATE_EPOCH`` or 1980-01-01, permissions 0644, or 0755 for scripts). The executed
notebook keeps no execution timings or kernel metadata, and the random emoji that otter's
``grader.check`` prints after "passed!" is removed: the rest of its HTML is deterministic.
"""

import argparse
import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "student_template" / "backprop.py"
REFERENCE = ROOT / "solutions" / "backprop.py"
NOTEBOOK = ROOT / "assignment" / "backprop.ipynb"
PUBLIC_TESTS = ROOT / "assignment" / "tests"
STUDENT_FILES = ROOT / "student_files"
GRADESCOPE = ROOT / "autograder" / "gradescope"
EXECUTABLE = {"run_autograder", "setup.sh"}
# What the trusted grader needs besides the autograder package.
GRADER_EXTRA = ("solutions/backprop.py", "assignment/public_cases.py")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


# --- reproducible zips ---


def zip_time():
    """The members' timestamp: SOURCE_DATE_EPOCH (UTC) if set, else 1980-01-01 00:00."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return (1980, 1, 1, 0, 0, 0)
    stamp = time.gmtime(max(int(epoch), 315532800))  # zip cannot go before 1980
    return stamp[:5] + (stamp[5] // 2 * 2,)


def zip_bytes(members):
    """A zip of ``members`` ({name: bytes}): sorted, fixed times and permissions."""
    buffer = io.BytesIO()
    when = zip_time()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=when)
            mode = 0o755 if name.rsplit("/", 1)[-1] in EXECUTABLE else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def files_under(folder, prefix, suffixes=None):
    """{prefix/relative path: bytes} of the files under ``folder``."""
    members = {}
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or SKIP_PARTS & set(relative.parts):
            continue
        if suffixes and path.suffix not in suffixes:
            continue
        members[f"{prefix}{relative.as_posix()}"] = path.read_bytes()
    return members


# --- student.zip ---


def contract(path=TEMPLATE):
    """The public top-level functions of the template, in file order."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def points_table(config=None):
    command = [sys.executable, "-m", "autograder", "points"]
    command += ["--config", str(config)] if config else []
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def fill(text, name, value):
    """Replace the line ``NAME = []`` of a student script by ``NAME = <value>``."""
    line = f"{name} = []\n"
    if text.count(line) != 1:
        raise ValueError(f"expected one line {line.strip()!r}")
    return text.replace(line, f"{name} = {json.dumps(value)}\n")


def question_order():
    sys.path.insert(0, str(ROOT))
    from assignment.public_cases import QUESTIONS

    return list(QUESTIONS)


def student_members(config=None):
    readme = (STUDENT_FILES / "README.md").read_text(encoding="utf-8")
    readme = readme.replace("@POINTS_TABLE@", points_table(config))
    check = fill(
        (STUDENT_FILES / "check.py").read_text(encoding="utf-8"), "QUESTIONS", question_order()
    )
    submit = fill((STUDENT_FILES / "submit.py").read_text(encoding="utf-8"), "CONTRACT", contract())
    members = {
        "backprop.py": TEMPLATE.read_bytes(),
        "backprop.ipynb": NOTEBOOK.read_bytes(),
        "README.md": readme.encode(),
        "check.py": check.encode(),
        "submit.py": submit.encode(),
        "Makefile": (STUDENT_FILES / "Makefile").read_bytes(),
        "requirements.txt": (STUDENT_FILES / "requirements.txt").read_bytes(),
    }
    members.update(files_under(PUBLIC_TESTS, "tests/", {".py"}))
    return members


# --- autograder.zip ---


def config_toml(config_path=None):
    """The course's effective settings (``config.load``) as the zip's ``config.toml``."""
    sys.path.insert(0, str(ROOT))
    from autograder.engine import config as config_module

    config = config_module.load(config_path)
    gradescope = {"visibility": "after_published", "public_visibility": "visible"}
    if config_path:
        with open(config_path, "rb") as handle:
            gradescope.update(config_module.tomllib.load(handle).get("gradescope", {}))
    limits = config.limits
    lines = [
        "# The grader's settings for Gradescope, from `make dist`. Private: holds the secret.",
        f"assignment = {json.dumps(config.assignment)}",
        f"secret = {json.dumps(config.secret)}",
        f"submission_timeout = {config.submission_timeout!r}",
        f"timeout_scale = {config.timeout_scale!r}",
        "",
        "[limits]",
        f"cpu_seconds = {limits.cpu_seconds}",
        f"memory_mb = {limits.memory_bytes >> 20}",
        f"file_mb = {limits.file_bytes >> 20}",
        f"open_files = {limits.open_files}",
        f"processes = {limits.processes}",
        "",
        "[gradescope]  # visibility of the scored tests, and of the public checks' tests",
        f"visibility = {json.dumps(str(gradescope['visibility']))}",
        f"public_visibility = {json.dumps(str(gradescope['public_visibility']))}",
    ]
    return "\n".join(lines) + "\n"


def autograder_members(config=None):
    members = {}
    for name in ("setup.sh", "run_autograder", "requirements.txt"):
        members[name] = (GRADESCOPE / name).read_bytes()
    members.update(files_under(ROOT / "autograder", "autograder/", {".py"}))
    members["autograder/config.toml"] = config_toml(config).encode()
    for name in GRADER_EXTRA:
        members[name] = (ROOT / name).read_bytes()
    return members


# --- solutions.zip ---

EMOJI_AFTER_PASSED = re.compile(r"(passed!) ?[^\x00-\x7f]+")


def _clean_text(value):
    if isinstance(value, list):
        return [EMOJI_AFTER_PASSED.sub(r"\1", v) for v in value]
    return EMOJI_AFTER_PASSED.sub(r"\1", value)


def normalise(nb):
    """Drop what changes from run to run: timings, kernel metadata, otter's random emoji."""
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in ("language_info",)}
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _clean_text(output["text"])
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    output["data"][mime] = _clean_text(data)
    return nb


def executed_html(student=REFERENCE):
    from nbconvert import HTMLExporter

    from tools import run_notebook

    with tempfile.TemporaryDirectory(prefix="bp-dist-") as workdir:
        nb = run_notebook.execute(student, workdir, timeout=300)
    html, _ = HTMLExporter().from_notebook_node(normalise(nb))
    return html


def solutions_members():
    return {
        "backprop.py": REFERENCE.read_bytes(),
        "backprop.html": executed_html().encode(),
    }


BUILDERS = {
    "student": lambda config: student_members(config),
    "autograder": lambda config: autograder_members(config),
    "solutions": lambda config: solutions_members(),
}


def build(out, config=None, only=tuple(BUILDERS)):
    """Write ``<name>.zip`` under ``out`` for each name of ``only``; returns their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in only:
        target = out / f"{name}.zip"
        partial_path = target.with_suffix(".zip.part")
        partial_path.write_bytes(zip_bytes(BUILDERS[name](config)))
        shutil.move(partial_path, target)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "dist"))
    parser.add_argument("--config", help="the course's config (secret, limits); default: demo")
    parser.add_argument(
        "--only", nargs="+", choices=list(BUILDERS), default=list(BUILDERS), help="build these"
    )
    args = parser.parse_args(argv)
    for path in build(args.out, args.config or None, args.only):
        with zipfile.ZipFile(path) as archive:
            count = len(archive.infolist())
        print(f"{path} ({count} files, {path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
