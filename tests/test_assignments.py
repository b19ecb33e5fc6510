"""What every assignment of the project must satisfy, whoever wrote it: generated files are
fresh, public checks pass on the reference and fail readably on the template, the handout
builds and runs, the reference gets full marks and the template 0, every reported mistake has
a hint, and Gradescope grades it. Parametrised over ``layout.names()``: a new assignment is
tested as soon as its folder exists."""

import re

import pytest
from conftest import info, need_isolation

from autograder.engine import config as config_module
from autograder.engine.grade import grade_all, hint
from autograder.engine.layout import load_file, names
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect
from tools import check, dist, make_notebook, make_public_checks, run_notebook, strip

ASSIGNMENTS = names()
CHECK_CELL = re.compile(r'^grader\.check\("(\w+)"', re.M)


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def name(request):
    return request.param


def test_the_project_has_the_two_course_assignments():
    assert {"backprop", "perceptron"} <= set(ASSIGNMENTS)


def test_manifest_names_its_files_and_its_questions_in_grading_order(name):
    assignment, paths = info(name)
    assert assignment.name == name and assignment.filename.endswith(".py") and assignment.title
    for path in (paths.solution, paths.template, paths.handout, paths.public_cases):
        assert path.is_file(), path
    questions = assignment.build(0)
    assert [q.id for q in questions] == list(assignment.questions)
    assert len(set(assignment.questions)) == len(assignment.questions)
    assert all(q.points > 0 and q.checks for q in questions)


def test_template_equals_a_fresh_strip_of_the_reference(name, tmp_path):
    paths = info(name)[1]
    fresh = tmp_path / paths.filename
    strip.build(paths.solution, fresh)
    assert paths.template.read_text() == fresh.read_text(), f"make student ASSIGNMENT={name}"


def test_public_checks_equal_a_fresh_generation(name):
    assignment, paths = info(name)
    fresh = make_public_checks.generate(assignment, paths)
    assert sorted(paths.tests.glob("*.py")) == sorted(fresh)
    for path, source in fresh.items():
        assert path.read_text(encoding="utf-8") == source, f"make public-checks ASSIGNMENT={name}"


def test_public_checks_pass_the_reference_and_fail_the_template_readably(name):
    assignment, paths = info(name)
    reference = load_file(paths.solution, f"{name}_reference_for_checks")
    template = load_file(paths.template, f"{name}_template_for_checks")
    passed = check.run_checks(reference, paths.tests, assignment.questions)
    assert passed and all(result.ok for result in passed)
    failed = check.run_checks(template, paths.tests, assignment.questions)
    assert [r.question for r in failed] == [r.question for r in passed]
    for result in failed:
        assert result.passed == 0, result
        line = result.first_failure
        assert "is not implemented yet (NotImplementedError: " in line and len(line) < 300, line
        assert "Traceback" not in line


def test_handout_builds_the_same_notebook_twice_without_outputs(name):
    paths = info(name)[1]
    first, second = make_notebook.notebook_bytes(paths), make_notebook.notebook_bytes(paths)
    assert first == second
    nb = make_notebook.notebook(paths)
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")
    assert len({c.id for c in nb.cells}) == len(nb.cells)


def test_handout_checks_every_question_that_has_public_checks_in_order(name):
    assignment, paths = info(name)
    sources = "\n".join(cell.source for cell in make_notebook.notebook(paths).cells)
    with_tests = [q for q in assignment.questions if (paths.tests / f"{q}.py").is_file()]
    assert CHECK_CELL.findall(sources) == with_tests


@pytest.mark.parametrize("which", ["solution", "template"])
def test_handout_runs_on_the_reference_and_on_the_template(name, which, tmp_path):
    paths = info(name)[1]
    nb = run_notebook.execute(paths, getattr(paths, which), tmp_path)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    checked = [c for c in nb.cells if c.cell_type == "code" and CHECK_CELL.search(c.source)]
    for cell in checked:
        text = "".join(o.get("text", "") + str(o.get("data", {})) for o in cell.outputs)
        assert ("passed" in text) == (which == "solution"), (cell.source, text)


@pytest.fixture(scope="module")
def graded(name, tmp_path_factory):
    """The reference and the template graded in worker processes: {id: result}."""
    paths = info(name)[1]
    root = tmp_path_factory.mktemp(f"{name}-subs")
    (root / "reference.py").write_bytes(paths.solution.read_bytes())
    (root / "template.py").write_bytes(paths.template.read_bytes())
    config = config_module.load()
    subs = collect(root, paths.filename, tmp_path_factory.mktemp("work"))
    return {r["submission"]: r for r in grade_all(subs, name, config, ProcessSandbox, jobs=2)}


def test_reference_gets_full_marks_and_template_zero(graded):
    reference, template = graded["reference"], graded["template"]
    assert reference["status"] == template["status"] == "graded"
    assert reference["score"] == reference["max_score"] > 0
    assert template["score"] == 0 and template["max_score"] == reference["max_score"]


def test_every_mistake_the_template_reports_has_a_hint(name, graded):
    assignment = info(name)[0]
    keys = {
        c["mistake"]
        for q in graded["template"]["questions"]
        for c in q["checks"]
        if not c["passed"] and c.get("mistake")
    }
    assert keys == {"not_implemented"}
    assert all(hint(assignment, key) for key in keys)
    assert all(text.strip() for text in assignment.hints.values())


def test_gradescope_grades_the_reference_fully_and_the_template_zero(name, tmp_path):
    from test_gradescope import simulate

    python = need_isolation("user").python
    paths = info(name)[1]
    (zipped,) = dist.build(tmp_path / "dist", None, ["autograder"], name=name)
    full = simulate(zipped, tmp_path / "a", python, {paths.filename: paths.solution.read_bytes()})
    empty = simulate(zipped, tmp_path / "b", python, {paths.filename: paths.template.read_bytes()})
    assert full["score"] == sum(q.points for q in info(name)[0].build(0)) and empty["score"] == 0


def engine_mistake_keys():
    """The mistake keys the engine's own code reports: ``Verdict(passed, message, "key")``."""
    import ast

    from autograder.engine.layout import ROOT

    keys = set()
    for path in sorted((ROOT / "autograder" / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Verdict":
                if len(node.args) >= 3 and isinstance(node.args[2], ast.Constant):
                    keys.add(node.args[2].value)
    return keys


def test_every_mistake_key_the_engine_reports_has_an_engine_hint():
    from autograder.engine.checks import ENGINE_HINTS

    keys = engine_mistake_keys()
    assert {"not_implemented", "missing_file", "timeout", "invalid"} <= keys
    assert keys <= set(ENGINE_HINTS), keys - set(ENGINE_HINTS)


QUOTED_SLIDE = re.compile(r"""[Ss]lides? [\"'“]([^\"'”{]+)[\"'”]""")


def quoted_slides(text):
    """Slide titles quoted as `slide "X"` (or 'X', “X”); Python's implicit concatenation of
    string literals across lines is joined first."""
    joined = re.sub(r"""[\"']\s*\n\s*f?[\"']""", "", text)
    return set(QUOTED_SLIDE.findall(joined))


def test_every_slide_the_assignment_quotes_is_spelled_as_its_points_table_and_slides(name):
    import importlib

    assignment, paths = info(name)
    module = importlib.import_module(f"autograder.{name}.questions")
    known = set(getattr(module, "SLIDES", {}).values()) | {q.slide for q in assignment.build(0)}
    sources = {
        "reference": paths.solution.read_text(encoding="utf-8"),
        "handout": paths.handout.read_text(encoding="utf-8"),
        "hints": "\n".join(assignment.hints.values()),
    }
    for where, text in sources.items():
        unknown = quoted_slides(text) - known
        assert not unknown, f"{where} of {name} quotes slides not in SLIDES: {sorted(unknown)}"


def test_quoted_slides_are_found_across_joined_string_literals():
    text = 'x (slide \'Chain "\n    "rule\') and Slide "Derivative": and slides “Gradient”'
    assert quoted_slides(text) == {"Chain rule", "Derivative", "Gradient"}
