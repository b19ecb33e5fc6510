"""Build what the course hands out for one assignment, into ``build/dist/<name>/``
(``make dist [ASSIGNMENT=name] [CONFIG=path]``). Each zip holds that assignment only.

- ``student.zip``: the template ``<name>.py``, the handout notebook ``<name>.ipynb`` (from
  ``assignment/<name>/<name>.md``), the public checks (``tests/``), and the generic student
  files of ``student_files/`` (``check.py``, ``submit.py``, ``Makefile``, ``requirements.txt``,
  a README with the points table of ``python -m autograder points``) filled in for it. No
  solution, hidden check or secret.
- ``autograder.zip``: Gradescope's autograder: ``setup.sh``, ``run_autograder``,
  ``requirements.txt`` (from ``autograder/gradescope/``), the grading engine, this
  assignment's package, its reference and public cases, and ``config.toml`` with the course's
  settings and secret (from ``CONFIG``, else the demo config) naming this assignment.
- ``solutions.zip``: for TAs, the reference and the handout executed with it (``<name>.html``),
  self-contained: formulas pre-rendered as MathML, images with alt texts, nothing loaded from
  the network (``tools/offline_math.py``).

A config that names another assignment than ``ASSIGNMENT`` is refused (exit status 2).

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

from autograder.engine import config as config_module
from autograder.engine.assignment import UnknownAssignment, load
from autograder.engine.layout import ROOT, Paths
from tools import assignments
from tools.make_notebook import HandoutError, notebook_bytes

STUDENT_FILES = ROOT / "student_files"
GRADESCOPE = ROOT / "autograder" / "gradescope"
EXECUTABLE = {"run_autograder", "setup.sh"}
# The parts of autograder/ every assignment's grader needs (its own package comes on top).
ENGINE_PARTS = ("__init__.py", "__main__.py", "cli.py", "engine", "gradescope")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}


class DistError(ValueError):
    """What stops a build: a config naming another assignment, a missing file."""


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


def contract(path):
    """The public top-level functions of the template, in file order."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def points_table(paths, config=None):
    command = [sys.executable, "-m", "autograder", "points", "--assignment", paths.name]
    command += ["--config", str(config)] if config else []
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return run.stdout.strip()


def fill(text, name, value):
    """Replace the one line ``NAME = <placeholder>`` of a student script by ``NAME = value``."""
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.startswith(f"{name} = ")]
    if len(found) != 1:
        raise ValueError(f"expected one line starting {name + ' = '!r}")
    lines[found[0]] = f"{name} = {json.dumps(value, ensure_ascii=False)}\n"
    return "".join(lines)


def substitute(text, values):
    """``@KEY@`` of a student file replaced by ``values[KEY]``; none may be left unfilled."""
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"a student file holds {left[0]}, which nothing fills in")
    return text


def student_files(assignment, paths, config=None):
    """The generic files of ``student_files/`` filled in for this assignment."""
    read = lambda name: (STUDENT_FILES / name).read_text(encoding="utf-8")  # noqa: E731
    words = {"TITLE": assignment.title, "FILENAME": paths.filename, "STEM": paths.stem}
    readme = substitute(read("README.md"), words | {"POINTS_TABLE": points_table(paths, config)})
    check = fill(read("check.py"), "QUESTIONS", list(assignment.questions))
    check = fill(check, "FILENAME", paths.filename)
    submit = fill(read("submit.py"), "CONTRACT", contract(paths.template))
    submit = fill(submit, "FILENAME", paths.filename)
    return {
        "README.md": readme.encode(),
        "check.py": check.encode(),
        "submit.py": submit.encode(),
        "Makefile": substitute(read("Makefile"), words).encode(),
        "requirements.txt": (STUDENT_FILES / "requirements.txt").read_bytes(),
    }


def student_members(assignment, paths, config=None):
    members = {
        paths.filename: paths.template.read_bytes(),
        f"{paths.stem}.ipynb": notebook_bytes(paths),
    }
    members.update(student_files(assignment, paths, config))
    if paths.tests.is_dir():
        members.update(files_under(paths.tests, "tests/", {".py"}))
    return members


# --- autograder.zip ---


def config_toml(paths, config_path=None):
    """The course's effective settings (``config.load``) as the zip's ``config.toml``, for
    this assignment."""
    config = config_module.load(config_path)
    gradescope = {"visibility": "after_published", "public_visibility": "visible"}
    if config_path:
        with open(config_path, "rb") as handle:
            gradescope.update(config_module.tomllib.load(handle).get("gradescope", {}))
    limits = config.limits
    lines = [
        "# The grader's settings for Gradescope, from `make dist`. Private: holds the secret.",
        f"assignment = {json.dumps(paths.name)}",
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


def autograder_members(assignment, paths, config=None):
    members = {}
    for name in ("setup.sh", "run_autograder", "requirements.txt"):
        members[name] = (GRADESCOPE / name).read_bytes()
    for part in ENGINE_PARTS + (paths.name,):
        source = ROOT / "autograder" / part
        if source.is_dir():
            members.update(files_under(source, f"autograder/{part}/", {".py"}))
        else:
            members[f"autograder/{part}"] = source.read_bytes()
    members["autograder/config.toml"] = config_toml(paths, config).encode()
    for path in (paths.solution, paths.public_cases):
        if path.is_file():
            members[path.relative_to(ROOT).as_posix()] = path.read_bytes()
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


def executed_html(paths):
    """The handout executed with the reference, as a page that works offline (formulas as
    MathML, no script from the network, images with alt texts: ``tools.offline_math``)."""
    from tools import offline_math, run_notebook

    with tempfile.TemporaryDirectory(prefix="dist-") as workdir:
        nb = run_notebook.execute(paths, paths.solution, workdir, timeout=300)
    return offline_math.offline_html(normalise(nb))


def solutions_members(assignment, paths, config=None):
    return {
        paths.filename: paths.solution.read_bytes(),
        f"{paths.stem}.html": executed_html(paths).encode(),
    }


BUILDERS = {
    "student": student_members,
    "autograder": autograder_members,
    "solutions": solutions_members,
}


def resolve(name=None, config=None):
    """``(ASSIGNMENT, Paths)`` of the assignment to build: ``name``, else the one ``config``
    names, else the course's default. A config that names another assignment is refused."""
    named = None
    if config:  # only an ``assignment`` the file itself names counts, not the default
        with open(config, "rb") as handle:
            named = config_module.tomllib.load(handle).get("assignment")
        named = str(named).removeprefix("autograder.") if named is not None else None
    if name and named and named != name:
        raise DistError(
            f"{config} names the assignment {named!r}, not {name!r}: use that config's own "
            f"assignment, or a config for {name!r}"
        )
    try:
        assignment = load(name or named or assignments.default_name())
    except UnknownAssignment as error:
        raise DistError(str(error)) from None
    paths = Paths(assignment.name, assignment.filename)
    for path in (paths.solution, paths.template, paths.handout):
        if not path.is_file():
            raise DistError(f"{path.relative_to(ROOT)} is missing")
    return assignment, paths


def build(out, config=None, only=tuple(BUILDERS), name=None):
    """Write ``<out>/<name>/<kind>.zip`` for each kind of ``only``; returns their paths."""
    assignment, paths = resolve(name, config)
    out = Path(out) / paths.name
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in only:
        target = out / f"{kind}.zip"
        partial_path = target.with_suffix(".zip.part")
        partial_path.write_bytes(zip_bytes(BUILDERS[kind](assignment, paths, config)))
        shutil.move(partial_path, target)
        written.append(target)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=str(ROOT / "build" / "dist"), help="zips go to OUT/<name>/"
    )
    assignments.add_argument(parser)
    parser.add_argument("--config", help="the course's config (secret, limits); default: demo")
    parser.add_argument(
        "--only", nargs="+", choices=list(BUILDERS), default=list(BUILDERS), help="build these"
    )
    args = parser.parse_args(argv)
    try:
        written = build(args.out, args.config or None, args.only, args.assignment)
    except (DistError, HandoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        with zipfile.ZipFile(path) as archive:
            count = len(archive.infolist())
        print(f"{path} ({count} files, {path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
