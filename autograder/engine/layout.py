"""Where an assignment's files live: one namespace per assignment in each top-level folder.

For an assignment ``name`` whose students hand in ``filename`` (``backprop`` / ``backprop.py``):

- ``solutions/<name>/<filename>``: the reference, with solution markers (never handed out);
- ``student_template/<name>/<filename>``: generated from the reference (``make student``);
- ``assignment/<name>/<name>.md``: the handout notebook in jupytext's Markdown form;
- ``assignment/<name>/public_cases.py``: the public cases (plain data);
- ``assignment/<name>/tests/``: the public checks generated from them (``make public-checks``);
- ``autograder/<name>/``: the grading package (its ``ASSIGNMENT``);
- ``examples/<name>/submissions/``: sample submissions that ``make demo`` grades.

Nothing here imports an assignment: the build tools and the grader both start from these paths.
"""

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Packages of autograder/ that are not assignments.
NOT_ASSIGNMENTS = {"engine", "gradescope", "__pycache__"}


@dataclass(frozen=True)
class Paths:
    name: str
    filename: str
    root: Path = ROOT

    @property
    def stem(self):
        return Path(self.filename).stem

    @property
    def solution(self):
        return self.root / "solutions" / self.name / self.filename

    @property
    def template(self):
        return self.root / "student_template" / self.name / self.filename

    @property
    def folder(self):
        return self.root / "assignment" / self.name

    @property
    def handout(self):
        """The handout notebook's source, jupytext Markdown."""
        return self.folder / f"{self.stem}.md"

    @property
    def public_cases(self):
        return self.folder / "public_cases.py"

    @property
    def tests(self):
        return self.folder / "tests"

    @property
    def package(self):
        return self.root / "autograder" / self.name

    @property
    def examples(self):
        return self.root / "examples" / self.name / "submissions"

    def own_files(self):
        """Every folder that belongs to this assignment alone."""
        return [
            self.solution.parent,
            self.template.parent,
            self.folder,
            self.package,
            self.examples.parent,
        ]


def names(root=ROOT):
    """The assignments of the project: the packages of ``autograder/`` other than the engine."""
    folder = Path(root) / "autograder"
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.is_dir() and path.name not in NOT_ASSIGNMENTS and (path / "__init__.py").is_file()
    )


def load_file(path, module_name):
    """Import the project file at ``path`` as a fresh module called ``module_name``.

    Used for the reference and the public cases, which live outside any package. The module
    is registered in ``sys.modules`` while it runs (dataclasses and pickling need that).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing")
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def reference(name, filename):
    """The reference solution of an assignment, loaded by path (trusted process only)."""
    return load_file(Paths(name, filename).solution, f"{name}_reference")


def public_cases(name, filename):
    """The assignment's ``public_cases`` module, or None when it has none."""
    path = Paths(name, filename).public_cases
    return load_file(path, f"{name}_public_cases") if path.is_file() else None
