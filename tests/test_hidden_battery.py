"""The hidden battery itself, tested on submissions whose mistakes are known.

One ``grade_all`` run grades the reference, the template, the corpus of ``tests/corpus/``
(mistakes built by textual edits of the reference, and whole files) and the examples of
``examples/backprop/submissions/``; the tests below read its results.
"""

import dataclasses
import importlib.util

import numpy as np
import pytest
from conftest import REFERENCE, ROOT, TEMPLATE
from corpus import mistakes as corpus

from autograder.backprop import ASSIGNMENT, battery, common
from autograder.backprop.questions import TABLE
from autograder.engine import config as config_module
from autograder.engine import report
from autograder.engine.grade import grade_all, hint
from autograder.engine.public import public_value
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect
from autograder.engine.wire import RngRef

EXAMPLES = ROOT / "examples" / "backprop"
POINTS = {qid: points for qid, _, points, _ in TABLE}

# Exact scores of examples/backprop/submissions with the demo secret (what `make demo` shows).
EXAMPLE_SCORES = {
    "alice": 50.0,  # correct, written with loops
    "bob": 46.0,  # step with >, mse summed, update in place
    "carol": 46.0,  # delta_hidden drops the last row; backprop.py nested in a folder
    "dave": 46.1667,  # zip: sgd without shuffling, BCE without clipping
    "erin": 39.25,  # backprop summed, weight_gradient summed, sgd shuffled once, no ½
    "frank": 0.0,  # syntax error
    "grace": 0.0,  # the untouched template
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    (root / "reference.py").write_text(REFERENCE.read_text())
    (root / "template.py").write_text(TEMPLATE.read_text())
    for name in corpus.CORRECT:
        (root / name).write_text((corpus.FILES / name).read_text())
    for entry in corpus.MUTANTS:
        (root / f"{entry.id}.py").write_text(corpus.source(entry))
    work = tmp_path_factory.mktemp("work")
    submissions = collect(root, "backprop.py", work / "corpus")
    submissions += collect(EXAMPLES / "submissions", "backprop.py", work / "examples")
    ids = [s.id for s in submissions]
    assert len(ids) == len(set(ids)), "corpus and example ids must differ"
    # The demo secret, whatever the environment says: example scores depend on the seeds.
    config = dataclasses.replace(config_module.load(), secret=config_module.DEMO_SECRET)
    results = grade_all(submissions, config.assignment, config, ProcessSandbox, jobs=2)
    return {r["submission"]: r for r in results}


def lost(result):
    return {q["id"] for q in result["questions"] if q["score"] < q["points"]}


def failures(result):
    return [
        (q["id"], c["name"], c["message"])
        for q in result["questions"]
        for c in q["checks"]
        if not c["passed"]
    ]


def test_corpus_has_at_least_thirty_mistakes_with_distinct_ids():
    ids = [e.id for e in corpus.MUTANTS]
    assert len(ids) >= 30 and len(ids) == len(set(ids))
    assert all(set(e.lose) | set(e.may_lose) <= set(POINTS) for e in corpus.MUTANTS)


@pytest.mark.parametrize("entry", corpus.MUTANTS, ids=lambda e: e.id)
def test_every_corpus_edit_matches_its_base_exactly_once(entry):
    text = corpus.source(entry)  # raises when an edit's text is not found exactly once
    base = (corpus.FILES / entry.base).read_text() if entry.base else corpus.reference_text()
    assert text != base or not entry.edits


def test_reference_scores_full_marks(graded):
    r = graded["reference"]
    assert r["score"] == r["max_score"] == 50, failures(r)


def test_template_scores_zero_without_crashing(graded):
    r = graded["template"]
    assert r["status"] == "graded" and r["score"] == 0
    for q in r["questions"]:
        assert any(c["mistake"] == "not_implemented" for c in q["checks"]), q["id"]


@pytest.mark.parametrize("name", corpus.CORRECT)
def test_independent_correct_implementation_scores_full_marks(graded, name):
    r = graded[name.removesuffix(".py")]
    assert r["status"] == "graded" and r["score"] == 50, failures(r)


@pytest.mark.parametrize("entry", corpus.MUTANTS, ids=lambda e: e.id)
def test_mistake_costs_exactly_its_questions(graded, entry):
    r = graded[entry.id]
    assert r["status"] == entry.status, r["problem"]
    assert entry.problem in r["problem"]
    assert set(entry.lose) <= lost(r) <= set(entry.lose) | set(entry.may_lose), failures(r)


@pytest.mark.parametrize("entry", [e for e in corpus.MUTANTS if e.mistake], ids=lambda e: e.id)
def test_mistake_is_recognised_and_its_hint_shown(graded, entry):
    r = graded[entry.id]
    question = next(q for q in r["questions"] if q["id"] == entry.lose[0])
    keys = {c["mistake"] for c in question["checks"] if not c["passed"]}
    assert entry.mistake in keys, keys
    assert hint(ASSIGNMENT, entry.mistake) in report.feedback_markdown(r)


def same_argument(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_argument, a, b))
    if isinstance(a, RngRef):
        return isinstance(b, RngRef) and a.seed == b.seed
    return type(a) is type(b) and a == b


def test_every_public_case_is_graded_first_in_its_question():
    questions = {q.id: q for q in battery.build(12345)}
    assert set(common.PUBLIC.CASES) == set(questions)
    for qid, cases in common.PUBLIC.CASES.items():
        checks = questions[qid].checks[: len(cases)]
        assert len(cases) < len(questions[qid].checks), qid  # public ⊊ graded
        for case, check in zip(cases, checks):
            assert check.name == f"public: {case['description']}"
            assert check.call.fn == case["function"]
            sent = [public_value(v) for v in case["args"].values()]
            assert same_argument(list(check.call.args[: len(sent)]), sent), check.name
        assert not any(c.name.startswith("public:") for c in questions[qid].checks[len(cases) :])


def test_public_small_functions_are_served_by_the_grader_as_defined():
    inputs = {"bowl": np.array([0.3, -1.2]), "sum_of_squares": np.array([[0.3, -1.2], [2.0, 0.7]])}
    for name, f in common.PUBLIC.FUNCTIONS.items():
        x = inputs.get(name, 0.7)
        assert common.FUNCTIONS[name](x) == pytest.approx(f(x), rel=1e-12), name


def test_examples_score_exactly_as_documented(graded):
    scores = {sid: graded[sid]["score"] for sid in EXAMPLE_SCORES}
    assert scores == EXAMPLE_SCORES
    assert graded["frank"]["status"] == "import_error"
    assert "SyntaxError" in graded["frank"]["problem"]


def test_committed_example_zip_equals_a_fresh_build():
    spec = importlib.util.spec_from_file_location("make_zip", EXAMPLES / "make_zip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (EXAMPLES / "submissions" / "dave.zip").read_bytes() == module.build()
