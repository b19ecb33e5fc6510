"""The corpus: realistic wrong submissions and what the hidden battery must make of them.

Each ``Entry`` is a submission built from a base file (the reference solution with its
``# BEGIN/END SOLUTION`` marker lines removed, or a file of ``files/``) by textual edits
``(old, new)``; every ``old`` must occur exactly once in the text it is applied to, so an
edit that no longer matches the reference fails loudly instead of grading the reference.

``lose`` is the exact set of questions that must lose points (every other question must get
full marks); ``mistake`` is the key that must be reported by a failing check of ``lose[0]``
("" when none is expected, e.g. for a file that cannot be imported).

``train_xor`` runs the student's own code end to end (init_params, sgd, backprop and their
helpers with the student's own activations), so a helper bug that stops learning or crashes
also costs ``train_xor``: those entries list it, with a comment.
"""

from dataclasses import dataclass
from pathlib import Path

from autograder.backprop.questions import TABLE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = HERE / "files"
REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
MARKERS = ("# BEGIN SOLUTION", "# END SOLUTION")
ALL = tuple(qid for qid, *_ in TABLE)


@dataclass(frozen=True)
class Entry:
    id: str
    lose: tuple
    mistake: str
    edits: tuple = ()
    base: str = ""  # "" for the reference, else a file name in files/
    status: str = "graded"
    problem: str = ""  # text that must appear in the result's "problem"
    # Questions that may or may not lose points: the student's own end-to-end training with
    # a subtly wrong gradient, which converges for some of the random seeds only.
    may_lose: tuple = ()


def reference_text():
    """The reference solution without its marker lines, as a student would hand it in."""
    lines = REFERENCE.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() not in MARKERS)


def apply_edits(text, edits, label):
    for old, new in edits:
        count = text.count(old)
        if count != 1:
            raise AssertionError(f"{label}: edit text occurs {count} times, not once: {old!r}")
        text = text.replace(old, new)
    return text


def source(entry):
    base = (FILES / entry.base).read_text() if entry.base else reference_text()
    return apply_edits(base, entry.edits, entry.id)


def E(id, lose, mistake, *edits, **options):  # noqa: N802 (reads as a table row)
    return Entry(id, tuple(lose), mistake, tuple(edits), **options)


SIGMOID_BODY = (
    "    e = np.exp(-np.abs(z))  # never overflows: the exponent is ≤ 0\n"
    "    return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))\n"
)
GRAD_LOOP = (
    "        work[k] = original + h\n"
    "        f_plus = f(work)\n"
    "        work[k] = original - h\n"
    "        f_minus = f(work)\n"
    "        work[k] = original\n"
    "        grad[k] = (f_plus - f_minus) / (2.0 * h)\n"
)
FORWARD_LOOP = "    for theta in thetas:\n        z = with_bias(a) @ theta\n        a = g(z)\n"
BACKPROP_BODY = (
    "    delta = delta_output(activations[-1], y, zs[-1], g_prime)\n"
    "    grads = [None] * len(thetas)\n"
    "    for layer in range(len(thetas) - 1, -1, -1):\n"
    "        grads[layer] = weight_gradient(delta, activations[layer])\n"
    "        if layer > 0:\n"
    "            delta = delta_hidden(delta, thetas[layer], zs[layer - 1], g_prime)\n"
)
BACKPROP_INLINED = (
    "    delta = (activations[-1] - y) * g_prime(zs[-1])\n"
    "    grads = [None] * len(thetas)\n"
    "    for layer in range(len(thetas) - 1, -1, -1):\n"
    "        grads[layer] = with_bias(activations[layer]).T @ delta\n"
    "        if layer > 0:\n"
    "            delta = (delta @ thetas[layer][1:].T) * g_prime(zs[layer - 1])\n"
)
EPOCH_START = "    for _ in range(epochs):\n        order = rng.permutation(n)\n"
EPOCH_LOSS = (
    "        # ½ · mse is the training loss L = (1/N) Σ ½ ‖a − y‖²\n"
    "        losses.append(0.5 * mse(y, predict(thetas, X, g)))\n"
)
BATCH = "            batch = order[start : start + batch_size]\n"
BATCH_LOSS = "            batch_losses.append(0.5 * mse(y[batch], predict(thetas, X[batch], g)))\n"

MUTANTS = [
    E(
        "xor_integer_weights",
        ["xor_step_network"],
        "weights_not_float",
        (
            "    hidden = np.array(\n        [\n            [-0.5, -1.5],",
            "    hidden = np.array(\n        [\n            [-1, -2],",
        ),
        (
            "            [1.0, 1.0],\n            [1.0, 1.0],\n",
            "            [2, 1],\n            [2, 1],\n",
        ),
        (
            "    output = np.array([[-0.5], [1.0], [-1.0]])",
            "    output = np.array([[-1], [2], [-2]])",
        ),
    ),
    # --- principles (edge sizes, saturation, purity, randomness), each with its diagnosis ---
    E(
        "tanh_prime_without_square",
        ["tanh"],
        "tanh_prime_no_square",
        ("    return 1.0 - t * t", "    return 1.0 - t"),
    ),
    E(
        "derivative_precedence",
        ["numerical_derivative"],
        "precedence_2h",
        ("(f(x + h) - f(x - h)) / (2.0 * h))", "(f(x + h) - f(x - h)) / 2.0 * h)"),
    ),
    E(
        "init_zero_biases",
        ["init_params"],
        "init_zero_bias",
        (
            "rng.normal(0.0, 1.0, size=(n_in + 1, n_out))",
            "np.vstack([np.zeros((1, n_out)), rng.normal(0.0, 1.0, size=(n_in, n_out))])",
        ),
        may_lose=("train_xor",),
    ),
    E(
        "forward_without_input_activation",
        ["forward", "train_xor"],  # train_xor: the student's own backprop reads activations
        "activations_without_input",
        ("    zs, activations = [], [a]", "    zs, activations = [], []"),
        may_lose=("train_xor",),
    ),
    E(
        "delta_hidden_sigmoid_prime_written_in",
        ["delta_hidden"],
        "ignores_g_prime",
        ("* g_prime(z)\n", "* sigmoid_prime(z)\n"),
        may_lose=("train_xor",),
    ),
    E(
        "backprop_g_for_g_prime",
        ["backprop"],
        "g_for_g_prime",
        ("zs[layer - 1], g_prime)", "zs[layer - 1], g)"),
        may_lose=("train_xor",),
    ),
    E(
        "train_xor_returns_the_pair",
        ["train_xor"],
        "thetas_not_list",
        (
            "    thetas, _ = sgd(thetas, XOR_X, XOR_Y, eta=5.0, "
            "epochs=250, batch_size=4, rng=rng)\n    return thetas",
            "    return sgd(thetas, XOR_X, XOR_Y, eta=5.0, epochs=250, batch_size=4, rng=rng)",
        ),
    ),
    E(
        "tanh_from_exponentials",
        ["tanh"],
        "saturation_overflow",
        (
            "    return np.tanh(np.asarray(z, dtype=np.float64))",
            "    z = np.asarray(z, dtype=np.float64)\n"
            "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))",
        ),
    ),
    E(
        "mse_squeezed",
        ["mse"],
        "single_instance",
        (
            "    return float(np.sum(diff * diff) / diff.shape[0])",
            "    diff = np.squeeze(diff)\n    return float(np.sum(diff * diff) / diff.shape[0])",
        ),
    ),
    E(
        "identity_returns_its_input",
        ["identity"],
        "aliases_input",
        (
            "    return np.array(z, dtype=np.float64, copy=True)",
            "    return np.asarray(z, dtype=np.float64)",
        ),
    ),
    E(
        "gradient_not_restored",
        ["numerical_gradient"],
        "gradient_not_restored",
        ("        work[k] = original\n", ""),
    ),
    E(
        "gradient_integer_copy",
        ["numerical_gradient"],
        "integer_copy",
        (
            "    work = np.array(theta, dtype=np.float64, copy=True)",
            "    work = np.array(theta, copy=True)",
        ),
    ),
    E(
        "init_transposed",
        ["init_params", "train_xor"],  # train_xor: the student's own forward cannot run them
        "init_transposed",
        (
            "rng.normal(0.0, 1.0, size=(n_in + 1, n_out))",
            "rng.normal(0.0, 1.0, size=(n_out, n_in + 1))",
        ),
    ),
    E(
        "init_global_random",
        ["init_params", "train_xor"],  # train_xor: not reproducible from its seed any more
        "not_from_rng",
        (
            "rng.normal(0.0, 1.0, size=(n_in + 1, n_out))",
            "np.random.normal(0.0, 1.0, size=(n_in + 1, n_out))",
        ),
    ),
    E(
        "forward_bias_dropped",
        ["forward", "train_xor"],  # train_xor: the student's own forward
        "bias_dropped",
        ("        z = with_bias(a) @ theta", "        z = a @ theta[1:]"),
    ),
    E(
        "backprop_z_of_next_layer",
        ["backprop", "train_xor"],  # train_xor: the student's backprop
        "backprop_z_index",
        ("zs[layer - 1], g_prime)", "zs[layer], g_prime)"),
    ),
    # --- activations ---
    E("step_strict", ["step"], "step_strict", (">= 0.0, 1.0, 0.0)", "> 0.0, 1.0, 0.0)")),
    E(
        "sigmoid_naive",
        ["sigmoid"],
        "sigmoid_overflow",
        (SIGMOID_BODY, "    return 1 / (1 + np.exp(-z))\n"),
    ),
    E(
        "sigmoid_prime_on_activation",
        # train_xor: the student's own sgd uses this g' by default; the weights blow up
        ["sigmoid", "train_xor"],
        "prime_on_activation",
        ("    s = sigmoid(z)\n    return s * (1.0 - s)\n", "    return z * (1.0 - z)\n"),
    ),
    E(
        "tanh_prime_on_activation",
        ["tanh"],
        "prime_on_activation",
        ("    return 1.0 - t * t\n", "    return 1.0 - z * z\n"),
    ),
    E(
        "identity_prime_scalar",
        ["identity"],
        "prime_not_array",
        ("    return np.ones_like(np.asarray(z, dtype=np.float64))\n", "    return 1.0\n"),
    ),
    # --- losses ---
    E(
        "mse_summed",
        ["mse"],
        "sum_not_mean",
        ("np.sum(diff * diff) / diff.shape[0]", "np.sum(diff * diff)"),
    ),
    E(
        "mse_mean_of_all",
        ["mse"],
        "mean_over_outputs",
        ("np.sum(diff * diff) / diff.shape[0]", "np.mean(diff * diff)"),
    ),
    E(
        "mse_with_half",
        ["mse"],
        "half_factor",
        ("np.sum(diff * diff) / diff.shape[0]", "0.5 * np.sum(diff * diff) / diff.shape[0]"),
    ),
    E(
        "bce_mean",
        ["binary_cross_entropy"],
        "mean_not_sum",
        ("-np.sum(y * np.log(p)", "-np.mean(y * np.log(p)"),
    ),
    E(
        "bce_no_clipping",
        ["binary_cross_entropy"],
        "no_clipping",
        (
            "p = np.clip(np.asarray(y_hat, dtype=np.float64), EPS, 1.0 - EPS)",
            "p = np.asarray(y_hat, dtype=np.float64)",
        ),
    ),
    E(
        "bce_sign",
        ["binary_cross_entropy"],
        "sign_of_loss",
        ("-np.sum(y * np.log(p)", "np.sum(y * np.log(p)"),
    ),
    E(
        "cce_mean",
        ["categorical_cross_entropy"],
        "mean_not_sum",
        ("float(-np.sum(Y * np.log(P)))", "float(-np.sum(Y * np.log(P)) / Y.shape[0])"),
    ),
    E(
        "cce_no_clipping",
        ["categorical_cross_entropy"],
        "no_clipping",
        (
            "P = np.clip(np.asarray(Y_hat, dtype=np.float64), EPS, 1.0 - EPS)",
            "P = np.asarray(Y_hat, dtype=np.float64)",
        ),
    ),
    E(
        "cce_sign",
        ["categorical_cross_entropy"],
        "sign_of_loss",
        ("float(-np.sum(Y * np.log(P)))", "float(np.sum(Y * np.log(P)))"),
    ),
    # --- numerical derivatives ---
    E(
        "derivative_forward_difference",
        ["numerical_derivative"],
        "forward_difference",
        ("(f(x + h) - f(x - h)) / (2.0 * h)", "(f(x + h) - f(x)) / h"),
    ),
    E(
        "derivative_over_h",
        ["numerical_derivative"],
        "wrong_denominator",
        ("(f(x + h) - f(x - h)) / (2.0 * h)", "(f(x + h) - f(x - h)) / h"),
    ),
    E(
        "derivative_ignores_h",
        ["numerical_derivative"],
        "ignores_h",
        ("(f(x + h) - f(x - h)) / (2.0 * h)", "(f(x + 1e-5) - f(x - 1e-5)) / 2e-5"),
    ),
    E(
        "gradient_forward_difference",
        ["numerical_gradient"],
        "forward_difference",
        (
            GRAD_LOOP,
            "        f_minus = f(work)\n"
            "        work[k] = original + h\n"
            "        f_plus = f(work)\n"
            "        work[k] = original\n"
            "        grad[k] = (f_plus - f_minus) / h\n",
        ),
    ),
    E(
        "gradient_in_place_not_restored",
        ["numerical_gradient"],
        "modifies_input",
        ("work = np.array(theta, dtype=np.float64, copy=True)", "work = theta"),
        ("        work[k] = original\n        grad[k]", "        grad[k]"),
    ),
    # --- the network ---
    E(
        "init_without_bias_row",
        # train_xor: the student's own init_params feeds their forward, which then fails
        ["init_params", "train_xor"],
        "init_shape",
        ("size=(n_in + 1, n_out)", "size=(n_in, n_out)"),
    ),
    E(
        "init_transposed_draw",
        ["init_params"],
        "init_draw_order",
        (
            "rng.normal(0.0, 1.0, size=(n_in + 1, n_out))",
            "rng.normal(0.0, 1.0, size=(n_out, n_in + 1)).T",
        ),
    ),
    E(
        "forward_bias_last",
        # train_xor: trained with the bias in the wrong place, judged by the slides' forward
        ["forward", "train_xor"],
        "bias_last",
        (
            "        z = with_bias(a) @ theta\n",
            "        z = np.hstack([a, np.ones((len(a), 1))]) @ theta\n",
        ),
    ),
    E(
        "forward_no_output_activation",
        # train_xor: trained with a linear output, judged with the slides' sigmoid output
        ["forward", "train_xor"],
        "no_output_activation",
        (
            FORWARD_LOOP,
            "    for i, theta in enumerate(thetas):\n"
            "        z = with_bias(a) @ theta\n"
            "        a = g(z) if i < len(thetas) - 1 else z\n",
        ),
    ),
    E(
        "forward_activation_on_input",
        # train_xor: trained on g(X), judged on X
        ["forward", "train_xor"],
        "activation_on_input",
        (
            "a = np.array(X, dtype=np.float64, copy=True)",
            "a = g(np.array(X, dtype=np.float64, copy=True))",
        ),
    ),
    E(
        "predict_returns_z",
        ["predict"],
        "no_output_activation",
        ("return forward(thetas, X, g)[1][-1]", "return forward(thetas, X, g)[0][-1]"),
    ),
    E(
        "delta_output_without_g_prime",
        ["delta_output"],
        "missing_g_prime",
        ("return (a_out - y) * g_prime(z_out)", "return a_out - y"),
    ),
    E(
        "delta_output_sign_flipped",
        # train_xor: gradient ascent never learns
        ["delta_output", "train_xor"],
        "sign_flipped",
        ("return (a_out - y) * g_prime(z_out)", "return (y - a_out) * g_prime(z_out)"),
    ),
    E(
        "delta_output_prime_of_activation",
        ["delta_output"],
        "prime_on_activation",
        ("return (a_out - y) * g_prime(z_out)", "return (a_out - y) * g_prime(a_out)"),
    ),
    E(
        "delta_hidden_bias_row",
        # train_xor: the student's own backprop raises the same broadcasting error
        ["delta_hidden", "train_xor"],
        "bias_row_propagated",
        (
            "(delta_next @ theta_next[1:].T) * g_prime(z)",
            "(delta_next @ theta_next.T) * g_prime(z)",
        ),
    ),
    E(
        "delta_hidden_without_g_prime",
        ["delta_hidden"],
        "hidden_missing_g_prime",
        ("(delta_next @ theta_next[1:].T) * g_prime(z)", "delta_next @ theta_next[1:].T"),
        may_lose=("train_xor",),
    ),
    E(
        "delta_hidden_drops_last_row",
        ["delta_hidden"],
        "wrong_bias_row_dropped",
        (
            "(delta_next @ theta_next[1:].T) * g_prime(z)",
            "(delta_next @ theta_next[:-1].T) * g_prime(z)",
        ),
        # train_xor runs the student's own backprop: a wrong δ may still train on some seeds
        may_lose=("train_xor",),
    ),
    E(
        "weight_gradient_summed",
        ["weight_gradient"],
        "grad_sum_not_mean",
        ("with_bias(a_prev).T @ delta / delta.shape[0]", "with_bias(a_prev).T @ delta"),
    ),
    E(
        "weight_gradient_without_bias_row",
        # train_xor: update then subtracts arrays of different shapes
        ["weight_gradient", "train_xor"],
        "grad_no_bias_row",
        ("with_bias(a_prev).T @ delta / delta.shape[0]", "a_prev.T @ delta / delta.shape[0]"),
    ),
    E(
        "weight_gradient_transposed",
        # train_xor: update then subtracts arrays of different shapes
        ["weight_gradient", "train_xor"],
        "grad_transposed",
        (
            "with_bias(a_prev).T @ delta / delta.shape[0]",
            "delta.T @ with_bias(a_prev) / delta.shape[0]",
        ),
    ),
    E(
        "backprop_next_activation",
        # train_xor: the gradients have the wrong shapes for update
        ["backprop", "train_xor"],
        "backprop_wrong_activation",
        (
            "weight_gradient(delta, activations[layer])",
            "weight_gradient(delta, activations[layer + 1])",
        ),
    ),
    E(
        "backprop_inlined_sum",
        ["backprop"],
        "grad_sum_not_mean",
        (BACKPROP_BODY, BACKPROP_INLINED),
    ),
    E(
        "update_plus",
        # train_xor: gradient ascent never learns
        ["update", "train_xor"],
        "update_sign",
        ("theta - eta * grad for", "theta + eta * grad for"),
    ),
    E(
        "update_in_place",
        ["update"],
        "modifies_input",
        (
            "    return [theta - eta * grad for theta, grad in zip(thetas, grads, strict=True)]\n",
            "    for theta, grad in zip(thetas, grads):\n"
            "        theta -= eta * grad\n"
            "    return thetas\n",
        ),
    ),
    # --- sgd ---
    E(
        "sgd_no_shuffle",
        ["sgd"],
        "no_shuffle",
        ("order = rng.permutation(n)", "order = np.arange(n)"),
    ),
    E(
        "sgd_shuffle_once",
        ["sgd"],
        "shuffle_once",
        (EPOCH_START, "    order = rng.permutation(n)\n    for _ in range(epochs):\n"),
    ),
    E(
        "sgd_drops_last_batch",
        ["sgd"],
        "drops_last_batch",
        ("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)"),
    ),
    E(
        "sgd_loss_before_updates",
        ["sgd"],
        "loss_before_epoch",
        (EPOCH_LOSS, ""),
        (EPOCH_START, EPOCH_START + "        losses.append(0.5 * mse(y, predict(thetas, X, g)))\n"),
    ),
    E(
        "sgd_loss_without_half",
        ["sgd"],
        "loss_without_half",
        (EPOCH_LOSS, "        losses.append(mse(y, predict(thetas, X, g)))\n"),
    ),
    E(
        "sgd_mean_of_batch_losses",
        ["sgd"],
        "loss_of_batches",
        (EPOCH_START, EPOCH_START + "        batch_losses = []\n"),
        (
            BATCH,
            BATCH + BATCH_LOSS,
        ),
        (EPOCH_LOSS, "        losses.append(float(np.mean(batch_losses)))\n"),
    ),
    E(
        "sgd_permutation_per_batch",
        ["sgd"],
        "shuffle_per_batch",
        (EPOCH_START, "    for _ in range(epochs):\n"),
        (BATCH, "            batch = rng.permutation(n)[:batch_size]\n"),
    ),
    # --- XOR ---
    E(
        "xor_wrong_bias",
        ["xor_step_network"],
        "xor_wrong",
        ("[-0.5, -1.5],  # biases", "[-0.5, -0.5],  # biases"),
    ),
    E("train_xor_too_few_epochs", ["train_xor"], "xor_not_learned", ("epochs=250", "epochs=20")),
    # --- whole files ---
    E(
        "syntax_error",
        ALL,
        "",
        base="syntax_error.py",
        status="import_error",
        problem="SyntaxError",
    ),
    E(
        "missing_module",
        ALL,
        "",
        base="missing_module.py",
        status="import_error",
        problem="ModuleNotFoundError",
    ),
    # Derived from the independent implementation: one function broken, the rest correct.
    E(
        "missing_functions",
        ["tanh", "categorical_cross_entropy"],
        "missing_function",
        ("def tanh_prime(z):", "def tanh_derivative(z):"),
        ("def categorical_cross_entropy(Y, Y_hat):", "def catagorical_cross_entropy(Y, Y_hat):"),
        base="independent.py",
    ),
    E(
        "raises",
        ["numerical_derivative"],
        "exception",
        ("    x = float(x)\n    return (f(x + h)", "    x = x.item()\n    return (f(x + h)"),
        base="independent.py",
    ),
    E(
        "infinite_loop",
        ["xor_step_network"],
        "timeout",
        (
            "    return [first, second]\n",
            "    while not np.array_equal(predict([first, second], XOR_X, step), XOR_Y):\n"
            "        second[0, 0] += 0.5  # nudge the output threshold until XOR comes out\n"
            "    return [first, second]\n",
        ),
        (
            "second = np.array([[-0.5], [1.0], [-2.0]])",
            "second = np.array([[-0.5], [1.0], [-0.5]])",
        ),
        base="independent.py",
    ),
    # --- the known-mistake library (autograder/backprop/library.py), one entry per kind ---
    E(
        "mse_norm_not_squared",
        ["mse"],
        "mse_square_root",
        (
            "    return float(np.sum(diff * diff) / diff.shape[0])",
            "    return float(np.linalg.norm(diff) / diff.shape[0])",
        ),
    ),
    E(
        "cce_binary_formula",
        ["categorical_cross_entropy"],
        "cce_binary_formula",
        (
            "    return float(-np.sum(Y * np.log(P)))",
            "    return float(-np.sum(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))",
        ),
    ),
    E(
        "derivative_step_too_small",
        ["numerical_derivative"],
        "h_too_small",
        ("def numerical_derivative(f, x, h=1e-5):", "def numerical_derivative(f, x, h=1e-20):"),
    ),
    E(
        "gradient_over_rows",
        ["numerical_gradient"],
        "gradient_by_rows",
        (
            "    for k in np.ndindex(work.shape):\n        original = work[k]\n",
            "    for k in range(len(work)):\n        original = work[k].copy()\n",
        ),
    ),
    E(
        "delta_output_from_loss",
        ["delta_output", "train_xor"],
        "delta_from_loss",
        (
            "    return (a_out - y) * g_prime(z_out)",
            "    return 0.5 * (a_out - y) ** 2 * g_prime(z_out)",
        ),
    ),
    E(
        "delta_output_factor_two",
        ["delta_output"],
        "delta_output_factor_two",
        (
            "    return (a_out - y) * g_prime(z_out)",
            "    return 2.0 * (a_out - y) * g_prime(z_out)",
        ),
        may_lose=("train_xor",),
    ),
    E(
        "delta_hidden_without_transpose",
        ["delta_hidden", "train_xor"],
        "hidden_no_transpose",
        (
            "    return (delta_next @ theta_next[1:].T) * g_prime(z)",
            "    return (delta_next @ theta_next[1:]) * g_prime(z)",
        ),
    ),
    E(
        "weight_gradient_by_width",
        ["weight_gradient"],
        "grad_divides_by_width",
        (
            "    return with_bias(a_prev).T @ delta / delta.shape[0]",
            "    return with_bias(a_prev).T @ delta / a_prev.shape[1]",
        ),
        may_lose=("train_xor",),
    ),
    E(
        "backprop_loop_stops_early",
        ["backprop", "train_xor"],
        "backprop_first_layer_missing",
        (
            "    for layer in range(len(thetas) - 1, -1, -1):\n        grads[layer] = weight_",
            "    for layer in range(len(thetas) - 1, 0, -1):\n        grads[layer] = weight_",
        ),
    ),
    E(
        "backprop_hidden_default_g_prime",
        ["backprop"],
        "backprop_default_g_prime",
        (
            "            delta = delta_hidden(delta, thetas[layer], zs[layer - 1], g_prime)",
            "            delta = delta_hidden(delta, thetas[layer], zs[layer - 1])",
        ),
    ),
    E(
        "backprop_hidden_prime_at_activation",
        ["backprop"],
        "prime_on_activation",
        (
            "            delta = delta_hidden(delta, thetas[layer], zs[layer - 1], g_prime)",
            "            delta = delta_hidden(delta, thetas[layer], activations[layer], g_prime)",
        ),
        may_lose=("train_xor",),
    ),
    E(
        "forward_zs_are_activations",
        ["forward", "train_xor"],
        "zs_are_activations",
        (
            "        z = with_bias(a) @ theta\n        a = g(z)\n",
            "        a = g(with_bias(a) @ theta)\n        z = a\n",
        ),
    ),
    E(
        "sgd_targets_in_order",
        ["sgd", "train_xor"],
        "targets_not_permuted",
        (
            "            grads = backprop(thetas, X[batch], y[batch], g, g_prime)",
            "            grads = backprop(thetas, X[batch], y[start:][: len(batch)], g, g_prime)",
        ),
    ),
    E(
        "xor_bias_in_last_row",
        ["xor_step_network"],
        "xor_bias_last_row",
        (
            "            [-0.5, -1.5],  # biases: OR fires at one input on, AND needs both\n"
            "            [1.0, 1.0],\n            [1.0, 1.0],\n",
            "            [1.0, 1.0],\n            [1.0, 1.0],\n            [-0.5, -1.5],\n",
        ),
        (
            "    output = np.array([[-0.5], [1.0], [-1.0]])",
            "    output = np.array([[1.0], [-1.0], [-0.5]])",
        ),
    ),
    E(
        "xor_thresholds_at_zero",
        ["xor_step_network"],
        "xor_strict_threshold",
        ("            [-0.5, -1.5],  # biases", "            [0.0, -1.0],  # biases"),
        (
            "    output = np.array([[-0.5], [1.0], [-1.0]])",
            "    output = np.array([[0.0], [1.0], [-1.0]])",
        ),
    ),
    E(
        "step_python_if",
        ["step"],
        "array_truth_value",
        (
            "    return np.where(np.asarray(z, dtype=np.float64) >= 0.0, 1.0, 0.0)",
            "    return 1.0 if z >= 0 else 0.0",
        ),
    ),
]

# Correct submissions written independently of the reference: full marks.
CORRECT = ["independent.py"]
