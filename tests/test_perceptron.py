"""The perceptron assignment: reference, template, hidden battery and its known mistakes."""

import inspect
import re

import numpy as np
import pytest
from conftest import ROOT, load_module

from autograder.engine import checks as engine_checks
from autograder.engine import config as config_module
from autograder.engine.assignment import load
from autograder.engine.grade import grade_all
from autograder.engine.public import public_value
from autograder.engine.sandbox import ProcessSandbox
from autograder.engine.submissions import collect
from autograder.engine.wire import RngRef
from autograder.perceptron import battery
from autograder.perceptron.questions import FUNCTIONS_OF, HINTS, SLIDES, TABLE
from autograder.perceptron.reference import public
from tools.strip import strip_solutions

REFERENCE = ROOT / "solutions" / "perceptron" / "perceptron.py"
TEMPLATE = ROOT / "student_template" / "perceptron" / "perceptron.py"
MARKERS = ("# BEGIN SOLUTION", "# END SOLUTION")
ALL = tuple(qid for qid, *_ in TABLE)

# Mistakes made by editing the reference: (id, questions that lose points, the mistake key a
# failing check of the first of them reports, then the edits (old, new), each old occurring
# once). Every other question keeps full marks: composites get their helpers from the
# reference, so a helper's bug costs its own question only.
LOOP = "    for _ in range(max_epochs):\n"
ORDER = "        order = rng.permutation(n) if rng is not None else range(n)"
MUTANTS = [
    ("step_strict", ("step",), "step_strict", (">= 0.0, 1.0, 0.0)", "> 0.0, 1.0, 0.0)")),
    (
        "step_bool",
        ("step",),
        "not_float",
        ("return np.where(np.asarray(z, dtype=np.float64) >= 0.0, 1.0, 0.0)", "return z >= 0"),
    ),
    (
        "bias_last",
        ("predict",),
        "bias_last",
        ("step(with_bias(X) @ theta)", "step(X @ theta[:-1] + theta[-1])"),
    ),
    (
        "no_step",
        ("predict",),
        "predict_no_step",
        ("step(with_bias(X) @ theta)", "with_bias(X) @ theta"),
    ),
    (
        "update_sign",
        ("update",),
        "update_sign",
        ("theta + eta * (y - y_hat)", "theta - eta * (y - y_hat)"),
    ),
    (
        "update_no_bias",
        ("update",),
        "update_no_bias",
        ("(y - y_hat) * with_bias(x)", "(y - y_hat) * np.concatenate([[0.0], x])"),
    ),
    (
        "update_in_place",
        ("update",),
        "modifies_input",
        (
            "return theta + eta * (y - y_hat) * with_bias(x)",
            "theta += eta * (y - y_hat) * with_bias(x)\n    return theta",
        ),
    ),
    ("no_shuffle", ("train",), "train_no_shuffle", (ORDER, "        order = range(n)")),
    (
        "shuffle_once",
        ("train",),
        "train_shuffle_once",
        (LOOP + ORDER, ORDER[4:] + "\n" + LOOP + "        order = order"),
    ),
    (
        "after_epoch",
        ("train",),
        "train_mistakes_after_epoch",
        (
            "        mistakes.append(",
            "        count = int(np.sum(predict(theta, X) != y))\n        mistakes.append(",
        ),
    ),
    (
        "no_early_stop",
        ("train",),
        "train_no_early_stop",
        ("        if count == 0:\n            break\n", ""),
    ),
    (
        "random_init",
        ("train",),
        "train_random_init",
        ("theta = np.zeros(d + 1)", "theta = np.random.default_rng(0).normal(size=d + 1)"),
    ),
    (
        "cumulative",
        ("train",),
        "train_mistakes_cumulative",
        (LOOP, "    count = 0\n" + LOOP),
        ("        count = 0\n        for i in order:", "        for i in order:"),
    ),
    (
        "table_order",
        ("truth_tables",),
        "truth_table_order",
        ("]]), np.array([0.0, 0, 0, 1])", "]])[[0, 2, 1, 3]], np.array([0.0, 0, 0, 1])"),
    ),
    (
        "table_int",
        ("truth_tables",),
        "not_float",
        ("np.array([0.0, 1, 1, 0])", "np.array([0, 1, 1, 0])"),
    ),
    ("table_labels", ("truth_tables",), "truth_table_labels", ("[0.0, 1, 1, 1]", "[0.0, 0, 0, 1]")),
    (
        "last_epoch",
        ("separable",),
        "separable_last_epoch",
        ("bool(mistakes) and mistakes[-1] == 0", "len(mistakes) < max_epochs"),
    ),
    (
        "ignores_max_epochs",
        ("separable",),
        "separable_ignores_max_epochs",
        ("_, mistakes = train(X, y, max_epochs=max_epochs)", "_, mistakes = train(X, y)"),
    ),
]

# A correct solution written differently from the reference: helpers not used, own loops,
# NumPy types where the contract has plain ones. It must score full marks.
INDEPENDENT = """
import numpy as np


def step(z):
    return np.heaviside(z, 1.0)


def with_bias(X):
    return np.hstack([np.ones((X.shape[0], 1)), X])


def predict(theta, X):
    return (theta[0] + X @ theta[1:] >= 0).astype(float)


def update(theta, x, y, eta):
    y_hat = 1.0 if theta[0] + x @ theta[1:] >= 0 else 0.0
    if y_hat == y:
        return theta.copy()
    new = theta.copy()
    new[0] += eta * (y - y_hat)
    new[1:] += eta * (y - y_hat) * x
    return new


def train(X, y, eta=1.0, max_epochs=100, rng=None):
    theta = np.zeros(X.shape[1] + 1)
    mistakes = np.zeros(0, dtype=np.int64)
    for epoch in range(max_epochs):
        count = 0
        for i in rng.permutation(len(X)) if rng is not None else np.arange(len(X)):
            new = update(theta, X[i], y[i], eta)
            count += int(np.any(new != theta))
            theta = new
        mistakes = np.append(mistakes, count)
        if count == 0:
            break
    return theta, mistakes


def _table(labels):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(labels, dtype=np.float64)


def and_data():
    return _table([0, 0, 0, 1])


def or_data():
    return _table([0, 1, 1, 1])


def xor_data():
    return _table([0, 1, 1, 0])


def separable(X, y, max_epochs=100):
    theta = np.zeros(X.shape[1] + 1)
    for epoch in range(max_epochs):
        wrong = 0
        for x, label in zip(X, y):
            wrong += predict(theta, x[None, :])[0] != label
            theta = update(theta, x, label, 1.0)
        if wrong == 0:
            return np.bool_(True)
    return np.bool_(False)
"""


def reference_text():
    """The reference without its marker lines, as a student would hand it in."""
    lines = REFERENCE.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() not in MARKERS)


def mutant_text(name, *edits):
    text = reference_text()
    for old, new in edits:
        assert text.count(old) == 1, f"{name}: edit text occurs {text.count(old)} times: {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("perceptron-subs")
    (root / "reference.py").write_text(reference_text())
    (root / "template.py").write_text(TEMPLATE.read_text())
    (root / "independent.py").write_text(INDEPENDENT)
    for name, _, _, *edits in MUTANTS:
        (root / f"{name}.py").write_text(mutant_text(name, *edits))
    config = config_module.load()
    subs = collect(root, "perceptron.py", tmp_path_factory.mktemp("perceptron-work"))
    results = grade_all(subs, "autograder.perceptron", config, ProcessSandbox, jobs=2)
    return {r["submission"]: r for r in results}


def failures(result):
    return [
        (q["id"], c["message"]) for q in result["questions"] for c in q["checks"] if not c["passed"]
    ]


def test_reference_scores_full_marks(graded):
    r = graded["reference"]
    assert r["status"] == "graded" and r["assignment"] == "perceptron"
    assert r["score"] == r["max_score"] == 20, failures(r)
    assert r["figures"] and r["figures"][0]["series"][-1] == 0.0


def test_an_independent_correct_solution_scores_full_marks(graded):
    r = graded["independent"]
    assert r["score"] == r["max_score"] == 20, failures(r)


def test_template_scores_zero_with_not_implemented_on_every_question(graded):
    r = graded["template"]
    assert r["score"] == 0 and r["status"] == "graded"
    for q in r["questions"]:
        assert q["checks"] and all(c["mistake"] == "not_implemented" for c in q["checks"]), q["id"]


@pytest.mark.parametrize(
    "name, lose, mistake", [m[:3] for m in MUTANTS], ids=[m[0] for m in MUTANTS]
)
def test_mistake_loses_points_on_its_question_only_with_its_hint(graded, name, lose, mistake):
    r = graded[name]
    scores = {q["id"]: (q["score"], q["points"]) for q in r["questions"]}
    lost = {qid for qid, (score, points) in scores.items() if score < points}
    assert lost == set(lose), (scores, failures(r))
    checks = next(q["checks"] for q in r["questions"] if q["id"] == lose[0])
    reported = {c["mistake"] for c in checks if not c["passed"]}
    assert mistake in reported, (reported, failures(r))
    assert all(c["hint"] for c in checks if c["mistake"] == mistake)


# --- the battery ---

# What failure_of and expect report on their own, whatever the check.
ENGINE_KEYS = {"not_implemented", "missing_function", "exception", "timeout", "invalid", "crashed"}
ENGINE_KEYS |= {"modifies_input"}


def closure_keys(judge):
    """The mistake keys a judge made by ``expect`` (possibly wrapped) can report."""
    keys, seen, todo = set(), set(), [judge]
    while todo:
        fn = todo.pop()
        if not callable(fn) or id(fn) in seen or not inspect.isfunction(fn):
            continue
        seen.add(id(fn))
        for name, value in inspect.getclosurevars(fn).nonlocals.items():
            if name == "mistakes":
                found = value() if callable(value) else value
                keys |= set(found or {})
            elif inspect.isfunction(value):
                todo.append(value)
    return keys


@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_every_reportable_mistake_has_a_hint_and_every_hint_is_reachable(seed):
    assignment = load("autograder.perceptron")
    questions = assignment.build(seed)
    keys = set().union(*(closure_keys(c.judge) for q in questions for c in q.checks))
    known = set(assignment.hints) | set(engine_checks.ENGINE_HINTS)
    assert keys and not (keys | ENGINE_KEYS) - known, (keys | ENGINE_KEYS) - known
    assert set(HINTS) - {"modifies_input"} <= keys, set(HINTS) - keys


def test_points_add_up_to_twenty_and_the_battery_is_deterministic():
    build = load("autograder.perceptron").build
    questions = build(7)
    assert [q.id for q in questions] == list(ALL) and sum(q.points for q in questions) == 20
    assert all(q.checks and q.slide in SLIDES.values() for q in questions)
    again = build(7)
    names = [[c.name for c in q.checks] for q in questions]
    assert names == [[c.name for c in q.checks] for q in again]
    assert names != [[c.name for c in q.checks] for q in build(8)]


# --- the public cases in the battery ---


def same_argument(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same_argument, a, b))
    if isinstance(a, RngRef):
        return isinstance(b, RngRef) and a.seed == b.seed
    return type(a) is type(b) and a == b


def test_public_cases_cover_every_question_in_the_order_of_the_table():
    assert list(public.QUESTIONS) == list(ALL) and list(public.CASES) == list(ALL)
    for qid, cases in public.CASES.items():
        assert 2 <= len(cases) <= 4, qid
        assert {case["function"] for case in cases} <= set(FUNCTIONS_OF[qid]), qid
        assert all(case["check"] == "values" for case in cases), qid


def test_every_public_case_is_graded_first_in_its_question_with_weight_0():
    questions = {q.id: q for q in battery.build(12345)}
    for qid, cases in public.CASES.items():
        checks = questions[qid].checks
        assert len(cases) < len(checks), qid  # public ⊊ graded
        for case, check in zip(cases, checks):
            assert check.name == f"public: {case['description']}"
            assert check.weight == 0 and not check.gate, check.name
            assert check.call.fn == case["function"] and check.call.kwargs == {}
            sent = [public_value(v) for v in case["args"].values()]
            assert same_argument(list(check.call.args), sent), check.name
        hidden = checks[len(cases) :]
        assert not any(c.name.startswith("public:") for c in hidden), qid
        assert all(c.weight > 0 for c in hidden), qid


def test_public_checks_of_composites_get_the_helpers_of_their_hidden_checks():
    questions = {q.id: q for q in battery.build(3)}
    for qid in ("predict", "update", "train", "separable"):
        public_checks = [c for c in questions[qid].checks if c.name.startswith("public:")]
        hidden_proxies = {c.call.proxies for c in questions[qid].checks[len(public_checks) :]}
        assert public_checks and len(hidden_proxies) == 1, qid
        assert {c.call.proxies for c in public_checks} == hidden_proxies, qid


def public_results(result):
    return {
        (q["id"], c["name"]): c
        for q in result["questions"]
        for c in q["checks"]
        if c["name"].startswith("public:")
    }


def test_correct_solutions_pass_every_public_check_in_the_grader(graded):
    count = sum(len(cases) for cases in public.CASES.values())
    for name in ("reference", "independent"):  # independent: np.bool_, counts as an ndarray
        checks = public_results(graded[name])
        assert len(checks) == count, name
        assert all(c["passed"] for c in checks.values()), (name, failures(graded[name]))


@pytest.mark.parametrize("name, lose", [m[:2] for m in MUTANTS], ids=[m[0] for m in MUTANTS])
def test_a_mistake_fails_public_checks_of_its_own_questions_only(graded, name, lose):
    failed = {qid for (qid, _), c in public_results(graded[name]).items() if not c["passed"]}
    assert failed <= set(lose), failed


# --- reference and template ---


@pytest.fixture(scope="module")
def ref():
    return load_module(REFERENCE, "perceptron_reference_test")


def test_reference_learns_and_or_but_not_xor(ref):
    for data, separable in ((ref.and_data, True), (ref.or_data, True), (ref.xor_data, False)):
        X, y = data()
        assert X.dtype == y.dtype == np.float64 and X.shape == (4, 2) and y.shape == (4,)
        assert ref.separable(X, y) is separable
        theta, mistakes = ref.train(X, y)
        assert theta.shape == (3,) and all(type(m) is int for m in mistakes)
        assert (mistakes[-1] == 0) is separable and np.array_equal(
            ref.predict(theta, X) == y, [True] * 4
        ) is separable


def test_reference_is_pure(ref):
    X, y = ref.or_data()
    theta, x = np.array([-0.5, 1.0, 1.0]), np.array([0.0, 0.0])
    kept = [a.copy() for a in (X, y, theta, x)]
    ref.train(X, y, rng=np.random.default_rng(0))
    new = ref.update(theta, x, 1.0, 1.0)
    assert new is not theta and np.array_equal(new, [0.5, 1.0, 1.0])
    assert all(np.array_equal(a, b) for a, b in zip((X, y, theta, x), kept))


def test_template_is_the_stripped_reference_and_every_stub_names_its_slide(tmp_path):
    stripped = "".join(strip_solutions(REFERENCE.read_text().splitlines(keepends=True)))
    assert TEMPLATE.read_text() == stripped
    template = load_module(TEMPLATE, "perceptron_template_test")
    slide_of = {fn: slide for qid, _, _, slide in TABLE for fn in FUNCTIONS_OF[qid]}
    calls = {"step": (np.zeros(1),), "predict": (np.zeros(2), np.zeros((1, 1)))}
    calls |= {
        "update": (np.zeros(2), np.zeros(1), 1.0, 1.0),
        "train": (np.zeros((1, 1)), np.ones(1)),
    }
    calls |= {"separable": (np.zeros((1, 1)), np.ones(1))}
    for fn, slide in slide_of.items():
        with pytest.raises(NotImplementedError, match=re.escape(f"{fn}: see slide '{slide}'")):
            getattr(template, fn)(*calls.get(fn, ()))
        doc = getattr(template, fn).__doc__
        assert re.search(r'slides?\s+"([^"]+)"', doc).group(1) == slide, fn
    assert template.with_bias(np.zeros((3, 2))).shape == (3, 3)


def test_the_command_line_grades_the_assignment_it_is_given(tmp_path, capsys):
    from autograder import cli

    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / "ada.py").write_text(REFERENCE.read_text())
    out = tmp_path / "out"
    args = ["grade", str(subs), "--assignment", "perceptron", "--out", str(out), "--unsafe"]
    assert cli.main(args) == 0
    assert "ada,20,20," in (out / "grades.csv").read_text()
    assert cli.main(["grade", str(subs), "--assignment", "nosuch", "--unsafe"]) == 2
    assert "no assignment 'nosuch'" in capsys.readouterr().err
