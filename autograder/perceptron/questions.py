"""What is graded, for how many points, and what to tell a student about known mistakes.

``SLIDES`` is the one place the lecture's slide titles are spelled: the points table and the
hints use it (the reference's docstrings quote the same titles; a test keeps them in step).
"""

SLIDES = {
    "unit": "Perceptron",
    "rule": "Perceptron learning rule",
    "convergence": "Perceptron convergence",
    "xor": "A Multilayer Perceptron for XOR",
}

# id, title, points, slide
TABLE = [
    ("step", "step activation φ", 1, SLIDES["unit"]),
    ("predict", "perceptron output ŷ = φ(θ₀ + Σ θ_j x_j)", 3, SLIDES["unit"]),
    ("update", "learning rule θ ← θ + η (y − ŷ) [1, x]", 4, SLIDES["rule"]),
    ("train", "training epoch by epoch", 6, SLIDES["rule"]),
    ("truth_tables", "AND, OR and XOR truth tables", 2, SLIDES["xor"]),
    ("separable", "separable data: does the perceptron converge?", 4, SLIDES["convergence"]),
]

# The student functions each question calls (for tests and tools).
FUNCTIONS_OF = {
    "step": ("step",),
    "predict": ("predict",),
    "update": ("update",),
    "train": ("train",),
    "truth_tables": ("and_data", "or_data", "xor_data"),
    "separable": ("separable",),
}

# Hints for recognised mistakes, in the slides' words. Keys are what checks report; the
# engine's own keys (not_implemented, timeout, exception, ...) have its ENGINE_HINTS, except
# modifies_input, worded here for the learning rule.
HINTS = {
    "modifies_input": "Functions must be pure: return a new array (θ + η (y − ŷ) [1, x]) "
    "instead of changing an argument in place (`theta += ...`, `theta[0] = ...`).",
    "not_float": "Return float64 values 0.0 and 1.0, not booleans or integers: "
    "`np.where(z >= 0, 1.0, 0.0)` or `(z >= 0).astype(np.float64)`.",
    "column_vector": "Return a flat array with one value per instance, shape (N,), "
    "not a column of shape (N, 1).",
    # the unit
    "step_strict": f'Slide "{SLIDES["unit"]}": φ(z) = 1 if z ≥ 0, so at exactly z = 0 the '
    "unit fires (ŷ = 1): compare with `>=`, not `>`.",
    "bias_last": "θ₀ is the weight of the constant input x₀ = 1 and is stored first: "
    "ŷ = φ(θ₀ + Σ_j θ_j x_j) = φ([1, x] · θ), with theta[0] the bias.",
    "predict_no_step": f'Slide "{SLIDES["unit"]}": the output is the step of the weighted '
    "sum, ŷ = φ(θ₀ + Σ_j θ_j x_j) ∈ {0, 1}, not the weighted sum itself.",
    # the learning rule
    "update_sign": f'Slide "{SLIDES["rule"]}": θ ← θ + η (y − ŷ) [1, x], label minus '
    "prediction. A missed positive (y = 1, ŷ = 0) moves θ towards x, a false alarm "
    "(y = 0, ŷ = 1) away from it.",
    "update_no_bias": "The bias learns too: it is the weight of x₀ = 1, so "
    "θ₀ ← θ₀ + η (y − ŷ) · 1, like every other weight.",
    "update_when_correct": "When ŷ = y the error y − ŷ is 0 and θ stays as it is: the "
    "perceptron only learns from its mistakes.",
    # training
    "train_no_shuffle": "When an rng is given, visit the instances of each epoch in the order "
    "`rng.permutation(N)`, not 0, 1, ..., N − 1 (that order is for rng=None only).",
    "train_shuffle_once": "Draw a new `rng.permutation(N)` at the start of every epoch, not "
    "once for the whole training.",
    "train_mistakes_after_epoch": "mistakes[e] counts the instances misclassified during "
    "epoch e, each tested with the current θ just before its own update, not the errors of "
    "the θ reached at the end of the epoch.",
    "train_no_early_stop": f'Slide "{SLIDES["convergence"]}": once an epoch makes no mistake, '
    "θ no longer changes: stop there, so the list of mistakes ends with that 0.",
    "train_random_init": "Start from θ = 0 (`np.zeros(D + 1)`), not from random weights.",
    "train_mistakes_cumulative": "mistakes[e] is the number of mistakes of epoch e alone: "
    "reset the count at the start of every epoch.",
    # data
    "truth_table_order": "List the inputs in the order (0, 0), (0, 1), (1, 0), (1, 1), each "
    "label on the row of its input.",
    "truth_table_labels": "AND is 1 only for (1, 1); OR is 1 when at least one input is 1; "
    "XOR is 1 when exactly one input is 1.",
    # separability
    "separable_last_epoch": "An epoch with 0 mistakes counts even when it is the last one "
    "allowed: test whether the last count is 0, not whether fewer than max_epochs epochs ran.",
    "separable_ignores_max_epochs": "Pass max_epochs on to train: the question is whether "
    "the perceptron converges within that many epochs.",
    "separable_inverted": f'Slide "{SLIDES["convergence"]}": the perceptron reaches an epoch '
    "with 0 mistakes exactly when it has found a separating line (AND, OR); for XOR it "
    "never does.",
}
