"""Backprop's handout notebook: its checks, pictures and messages on the reference and on the
template (what every handout shares is in test_assignments.py).

The notebook is executed the way a student has it: a temporary folder with the notebook built
from ``assignment/backprop/backprop.md``, ``tests/`` and one ``backprop.py`` (the reference or
the template). The
kernel is this interpreter (``sys.executable``, the project's venv), through a kernelspec
written into the temporary folder, so no user-wide Jupyter kernel is picked up by accident.
"""

import re

import pytest
from conftest import REFERENCE, TEMPLATE

from autograder.backprop.reference import PATHS
from autograder.backprop.reference import public as public_cases
from tools import make_notebook, run_notebook

QUESTIONS = public_cases.QUESTIONS
CHECK_CALL = re.compile(r'^grader\.check\("(\w+)", global_env=vars\(bp\)\)$')


def execute(student, tmp_path):
    return run_notebook.execute(PATHS, student, tmp_path)


def handout():
    return make_notebook.notebook(PATHS)


@pytest.fixture(scope="module")
def on_reference(tmp_path_factory):
    return execute(REFERENCE, tmp_path_factory.mktemp("reference"))


@pytest.fixture(scope="module")
def on_template(tmp_path_factory):
    return execute(TEMPLATE, tmp_path_factory.mktemp("template"))


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def check_cells(nb):
    """``(question id, cell)`` of every ``grader.check`` cell, in notebook order."""
    found = []
    for cell in code_cells(nb):
        match = CHECK_CALL.match(cell.source.strip())
        if match:
            found.append((match.group(1), cell))
    return found


def text_of(cell):
    """Everything a code cell printed or displayed as text."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.get("data", {}).get("text/plain", ""))
        elif output.output_type == "error":
            parts.append("\n".join(output.traceback))
    return "\n".join(parts)


def test_notebook_starts_with_autoreload_the_module_and_the_grader():
    first = code_cells(handout())[0].source
    for line in [
        "%load_ext autoreload",
        "%autoreload 2",
        "import numpy as np",
        "import backprop as bp",
        'grader = otter.Notebook(tests_dir="tests")',
    ]:
        assert line in first.splitlines()


def test_check_cells_cover_every_question_in_order():
    assert [question for question, _ in check_cells(handout())] == QUESTIONS


def test_notebook_runs_on_the_reference_and_every_check_passes(on_reference):
    for question, cell in check_cells(on_reference):
        assert "passed" in text_of(cell), (question, text_of(cell))
        assert "failed" not in text_of(cell), (question, text_of(cell))


def test_notebook_draws_its_plots_on_the_reference(on_reference):
    images = [
        output
        for cell in code_cells(on_reference)
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert len(images) >= 6  # activations, losses, chain rule, η, SGD, XOR
    printed = "\n".join(text_of(cell) for cell in code_cells(on_reference))
    assert "Implement" not in printed


def test_notebook_runs_without_errors_on_the_template(on_template):
    errors = [o for c in code_cells(on_template) for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_every_check_on_the_template_fails_with_a_readable_message(on_template):
    for question, cell in check_cells(on_template):
        text = text_of(cell)
        assert "Test case failed" in text, (question, text)
        assert "is not implemented yet (NotImplementedError:" in text, (question, text)
        assert "Traceback" not in text, (question, text)


def test_pictures_on_the_template_say_what_to_implement(on_template):
    demos = [cell for cell in code_cells(on_template) if re.search(r"^show\(", cell.source, re.M)]
    printed = [text_of(cell) for cell in demos]
    assert printed and all(
        re.search(r"Implement \w+ in backprop\.py to see this", text) for text in printed
    )
    images = [
        o for c in code_cells(on_template) for o in c.outputs if "image/png" in o.get("data", {})
    ]
    assert images == []
