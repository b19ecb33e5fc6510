"""The hidden battery: for every question, the checks run on one submission.

Inputs come from ``np.random.default_rng(seed)`` (the seed derives from the submission id and
the course secret), expected values from the reference only. Within a question, checks go
from the smallest input to the largest, so the first failure shown is the smallest one.
Each question opens with its public checks (the cases of ``assignment/perceptron/tests/``,
weight 0). Composite functions run with their helpers answered by the reference
(``proxies``), in the public checks too, so a wrong ``predict`` or ``update`` costs only its
own question.
"""

import numpy as np

from ..engine.checks import Question, question_rng, value_check
from ..engine.public import PublicCases
from ..engine.wire import RngRef
from . import cases, mutants
from .figures import mistakes_of
from .questions import TABLE
from .reference import public, ref

# What the grader may compute for a worker (only the ones a call names are ever served).
FUNCTIONS = {name: getattr(ref, name) for name in ("step", "predict", "update", "train")}

UPDATE_HELPERS = ("predict", "step")
TRAIN_HELPERS = ("predict", "update", "step")
SEPARABLE_HELPERS = ("train", "predict", "update", "step")


def not_float(got):
    return isinstance(got, np.ndarray) and got.dtype != np.float64


def column_of(n):
    return lambda got: isinstance(got, np.ndarray) and got.shape == (n, 1)


def lenient(judge, counts=False):
    """Accept numpy equivalents of the contract's plain types: ``np.bool_`` for ``bool``, and
    with ``counts`` (train's ``(theta, mistakes)``) a 1-D array of counts for the list."""

    def judge_plain(outcome):
        value = outcome.value
        if isinstance(value, np.bool_):
            outcome.value = bool(value)
        elif counts and isinstance(value, (tuple, list)) and len(value) == 2:
            per_epoch = value[1]
            if isinstance(per_epoch, np.ndarray) and per_epoch.ndim == 1:
                if per_epoch.dtype.kind in "if":
                    outcome.value = (value[0], per_epoch.tolist())
        return judge(outcome)

    return judge_plain


# The public cases (``assignment/perceptron/public_cases.py``) as checks of weight 0, judged
# like the hidden ones: the same helpers, and NumPy's bool and counts accepted.
CASES = PublicCases(
    module=public,
    ref=ref,
    functions=FUNCTIONS,
    proxies={
        "predict": ("step",),
        "update": UPDATE_HELPERS,
        "train": TRAIN_HELPERS,
        "separable": SEPARABLE_HELPERS,
    },
    wrappers={"train": lambda judge: lenient(judge, counts=True), "separable": lenient},
)


def check(name, fn, args, expected, kwargs=None, proxies=(), data=None, **options):
    """The engine's ``value_check``, lenient about the containers of what comes back."""
    made = value_check(name, fn, args, expected, kwargs, proxies, data=data, **options)
    made.judge = lenient(made.judge, fn == "train")
    return made


# --- the unit ---


def step_checks(rng):
    z = rng.normal(0.0, 3.0, size=(4, 3))
    z[rng.integers(0, 4), rng.integers(0, 3)] = 0.0  # an exact 0 among random values
    out = []
    for desc, zz in [
        ("step(0) is 1", np.zeros((2, 3))),
        ("step on an array of shape (1, 1)", np.array([[rng.normal()]])),
        ("step on [-2, -0.5, 0, 0.5, 2]", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        ("step on an array of shape (4, 3) holding an exact 0", z),
    ]:
        mistakes = {"step_strict": mutants.step_strict(zz), "not_float": not_float}
        out.append(check(desc, "step", (zz,), ref.step(zz), mistakes=mistakes))
    return out


def predict_checks(rng):
    theta_int = rng.integers(-2, 3, size=3).astype(np.float64)
    X_int = rng.integers(-2, 3, size=(8, 2)).astype(np.float64)
    theta_int[1:] += theta_int[1:] == 0  # both weights non-zero
    theta_int[0] = -(X_int[0] @ theta_int[1:])  # row 0 lies exactly on the line: z = 0
    out = []
    for desc, theta, X in [
        ("N=1, D=1", rng.normal(size=2), rng.normal(size=(1, 1))),
        ("N=5, D=3", rng.normal(size=4), rng.normal(size=(5, 3))),
        ("N=3, D=7", rng.normal(size=8), rng.normal(size=(3, 7))),
        ("N=8, D=2, integer inputs, one of them exactly on the line", theta_int, X_int),
    ]:
        mistakes = mutants.predict_mistakes(theta, X)
        mistakes |= {"column_vector": column_of(X.shape[0]), "not_float": not_float}
        out.append(
            check(
                f"predict with {desc}",
                "predict",
                (theta, X),
                ref.predict(theta, X),
                proxies=("step",),
                mistakes=mistakes,
            )
        )
    return out


# --- the learning rule ---


def update_checks(rng):
    out = []
    for desc, d, y, positive in [
        ("correct (y = 1, ŷ = 1): θ unchanged", 3, 1.0, True),
        ("correct (y = 0, ŷ = 0): θ unchanged", 2, 0.0, False),
        ("wrong (y = 1, ŷ = 0): θ moves towards [1, x]", 4, 1.0, False),
        ("wrong (y = 0, ŷ = 1): θ moves away from [1, x]", 3, 0.0, True),
    ]:
        theta, x = cases.with_sign(rng, d, positive)
        out.append(update_check(f"update, {desc}, D={d}", theta, x, y, rng))
    # θ = 0: the weighted sum is exactly 0, so ŷ = φ(0) = 1
    x = rng.integers(1, 4, size=1).astype(np.float64)
    out.insert(
        0,
        update_check("update from θ = 0 with y = 0, D=1 (ŷ = φ(0) = 1)", np.zeros(2), x, 0.0, rng),
    )
    x = rng.integers(-3, 4, size=2).astype(np.float64)
    theta = np.concatenate([[-(x @ [1.0, -2.0])], [1.0, -2.0]])
    out.append(
        update_check("update at z = 0 exactly with y = 1 (correct: ŷ = 1), D=2", theta, x, 1.0, rng)
    )
    return out


def update_check(desc, theta, x, y, rng):
    eta = float(np.round(rng.uniform(0.1, 2.0), 2))
    mistakes = mutants.update_mistakes(theta, x, y, eta)
    return check(
        f"{desc}, η = {eta}",
        "update",
        (theta, x, y, eta),
        ref.update(theta, x, y, eta),
        proxies=UPDATE_HELPERS,
        mistakes=mistakes,
    )


# --- training ---


def train_check(desc, X, y, eta=1.0, max_epochs=100, seed=None, data=None):
    rng = None if seed is None else np.random.default_rng(seed)
    expected = ref.train(X, y, eta, max_epochs, rng)
    integral = eta == 1.0 and np.array_equal(X, np.round(X))

    def mistakes():
        found = mutants.train_mistakes(X, y, eta, max_epochs, seed)
        found["train_random_init"] = mutants.random_start((X.shape[1] + 1,), integral)
        return found

    kwargs = {"eta": eta, "max_epochs": max_epochs, "rng": None if seed is None else RngRef(seed)}
    how = "in order 0..N−1 (rng=None)" if seed is None else "in rng.permutation(N) order"
    name = f"train {desc}, η = {eta}, max_epochs = {max_epochs}, visiting {how}"
    return check(
        name, "train", (X, y), expected, kwargs, TRAIN_HELPERS, data=data, mistakes=mistakes
    )


def train_checks(rng):
    X_ones = rng.integers(-3, 4, size=(3, 2)).astype(np.float64)
    X_1 = rng.choice([-2.0, -1.0, 1.0, 2.0], size=(1, 1))
    X_int = rng.integers(-3, 4, size=(6, 2)).astype(np.float64)
    y_int = rng.integers(0, 2, size=6).astype(np.float64)
    X_sep, y_sep, seed_sep = cases.telling_train_case(
        rng, lambda: cases.integer_separable(rng, 10, 2), 1.0, 50, mutants.TRAIN_MISTAKES
    )
    X_non, y_non, seed_non = cases.telling_train_case(
        rng,
        lambda: (rng.normal(size=(8, 3)), rng.integers(0, 2, size=8).astype(np.float64)),
        0.5,
        5,
        [key for key in mutants.TRAIN_MISTAKES if key != "train_no_early_stop"],
    )
    return [
        train_check("from θ = 0: all labels 1, so no mistake", X_ones, np.ones(3)),
        train_check("with N=1, D=1", X_1, rng.integers(0, 2, size=1).astype(np.float64)),
        train_check("on AND", *ref.and_data()),
        train_check("on XOR (never 0 mistakes)", *ref.xor_data(), max_epochs=6),
        train_check("on integer data, N=6, D=2", X_int, y_int, max_epochs=8),
        train_check(
            "on separable integer data, N=10, D=2",
            X_sep,
            y_sep,
            max_epochs=50,
            seed=seed_sep,
            data=mistakes_of,
        ),
        train_check("on random data, N=8, D=3", X_non, y_non, eta=0.5, max_epochs=5, seed=seed_non),
    ]


# --- data and separability ---


def truth_table_checks():
    out = []
    for gate in ("and_data", "or_data", "xor_data"):
        X, y = getattr(ref, gate)()

        def wrong_labels(got, X=X):  # the right inputs, other labels
            return (
                isinstance(got, tuple)
                and len(got) == 2
                and isinstance(got[0], np.ndarray)
                and got[0].shape == X.shape
                and np.array_equal(got[0], X)
            )

        mistakes = {
            "truth_table_order": (X[[0, 2, 1, 3]], y[[0, 2, 1, 3]]),
            "column_vector": (X, y.reshape(4, 1)),
            "not_float": lambda got: isinstance(got, tuple) and any(map(not_float, got)),
            "truth_table_labels": wrong_labels,
        }
        out.append(
            check(
                f"{gate}() is the truth table of {gate[:-5].upper()}",
                gate,
                (),
                (X, y),
                mistakes=mistakes,
            )
        )
    return out


def separable_check(desc, X, y, max_epochs=None, mistakes=None):
    kwargs = {} if max_epochs is None else {"max_epochs": max_epochs}
    expected = ref.separable(X, y, **kwargs)
    mistakes = mistakes or {"separable_inverted": not expected}
    name = f"separable {desc}" + ("" if max_epochs is None else f", max_epochs = {max_epochs}")
    return check(name, "separable", (X, y), expected, kwargs, SEPARABLE_HELPERS, mistakes=mistakes)


def separable_checks(rng):
    X_sep, y_sep, _ = cases.separable_set(rng, 12, 3)
    X_edge, y_edge, k = cases.separable_set(rng, 10, 2, min_epochs=3)
    X_non, y_non = cases.non_separable_set(rng, 8)
    return [
        separable_check("on AND", *ref.and_data()),
        separable_check("on OR", *ref.or_data()),
        separable_check("on XOR", *ref.xor_data()),
        separable_check("on separable data, N=12, D=3", X_sep, y_sep),
        separable_check("on non-separable data, N=8, D=2", X_non, y_non, max_epochs=20),
        separable_check(
            f"when the perceptron converges in exactly {k} epochs",
            X_edge,
            y_edge,
            k,
            {"separable_last_epoch": False},
        ),
        separable_check(
            f"when the perceptron needs {k} epochs",
            X_edge,
            y_edge,
            k - 1,
            {"separable_ignores_max_epochs": True},
        ),
    ]


def build(seed):
    """Every question with its checks, inputs drawn from ``question_rng(seed, id)``, its
    public checks first."""
    makers = {
        "step": step_checks,
        "predict": predict_checks,
        "update": update_checks,
        "train": train_checks,
        "truth_tables": lambda rng: truth_table_checks(),
        "separable": separable_checks,
    }
    return [
        Question(
            qid, title, points, slide, CASES.checks(qid) + makers[qid](question_rng(seed, qid))
        )
        for qid, title, points, slide in TABLE
    ]
