r"""Build the handout notebook ``assignment/backprop.ipynb`` from the cells below.

The notebook walks through the lecture's slides in order; students edit ``backprop.py`` next to
it, and after each question a cell runs ``grader.check("<question id>")`` on the public checks
in ``tests/``. The output is deterministic: fixed cell ids, no outputs, no execution counts.

Usage: ``python -m tools.make_notebook`` (what ``make notebook`` runs).
"""

import sys
from pathlib import Path

import nbformat

from assignment.public_cases import NET_231

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "assignment" / "backprop.ipynb"


def check(question):
    """The source of the check cell of a question."""
    return f'grader.check("{question}", global_env=vars(bp))'


def network_literal(thetas, name):
    """Python source defining ``name`` as the list of arrays ``thetas`` (public-case data)."""
    lines = [f"{name} = ["]
    for theta in thetas:
        rows = ", ".join(repr(row) for row in theta["array"])
        lines.append(f"    np.array([{rows}]),")
    lines.append("]")
    return "\n".join(lines)


# (kind, source): "md" for markdown, "code" for code. Questions appear in the order of
# assignment/public_cases.py QUESTIONS.
CELLS = [
    (
        "md",
        r"""# Training a multilayer perceptron with backpropagation

In this assignment you implement, in NumPy, everything the lecture needs to train a multilayer
perceptron: activations, losses, numerical derivatives, the forward pass, backpropagation and
stochastic gradient descent, and finally you train a network on XOR.

**How to work.** You write your code in **`backprop.py`** (in the same folder as this
notebook): every function there has a docstring with its contract and raises
`NotImplementedError` until you replace that line with your implementation. This notebook
imports `backprop.py` and reloads it automatically, so after saving the file just re-run the
cells of the section. After each question, a cell `grader.check("...")` runs the public checks
of that question and tells you what was expected and what your function returned. Passing them
is a good sign but not a guarantee: the final grading uses more cases.

**Conventions** (the same in every function):

* a batch of $N$ instances is a matrix `X` of shape $(N, D)$, one instance per **row**;
  targets `y` have shape $(N, C)$;
* a network with layer sizes $[n_0, n_1, \dots, n_L]$ is a list `thetas` of $L$ matrices;
  `thetas[l]` has shape $(n_l + 1, n_{l+1})$ and its **row 0 holds the biases** $\theta_{0j}$
  (the slides' constant input $a_0 = 1$);
* the training loss is the slides' $L = \frac{1}{2}(a - y)^2$ averaged over the batch:
  $L = \frac{1}{N} \sum_i \frac{1}{2} \lVert a_i - y_i \rVert^2$.""",
    ),
    (
        "code",
        """%load_ext autoreload
%autoreload 2
%matplotlib inline

import backprop as bp
import matplotlib.pyplot as plt
import numpy as np
import otter

grader = otter.Notebook(tests_dir="tests")""",
    ),
    (
        "md",
        """The pictures and demos below use your functions. Until the functions they need are
implemented, `show` prints which one is missing instead of an error.""",
    ),
    (
        "code",
        '''def show(picture, what="plot"):
    """Run ``picture()``; if a function it uses is not implemented yet, say which one."""
    try:
        picture()
    except NotImplementedError as error:
        plt.close("all")
        missing = str(error).split(":")[0] or "the functions of this section"
        print(f"Implement {missing} in backprop.py to see this {what}.")''',
    ),
    # --- step ---
    (
        "md",
        r"""## 1. A Multilayer Perceptron for XOR: the step activation

The lecture starts with a network of threshold units that computes XOR. Each unit applies the
step activation to the weighted sum of its inputs:

$$\varphi(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}
\qquad h^{(l)}_j = \varphi\Big(\sum_i \theta_{ij}\, h^{(l-1)}_i + \theta_{0j}\Big)$$

**Implement** `step(z)` in `backprop.py`: element-wise, any shape, float values in
$\{0, 1\}$, and $\varphi(0) = 1$. (You will set the weights of the XOR network by hand in
section 14, once `predict` exists.)""",
    ),
    ("code", check("step")),
    # --- activations ---
    (
        "md",
        r"""## 2. Activations and their derivatives

*Slides "Chaining derivatives: the Backpropagation algorithm" and "Chain rule".* To learn with
gradients, the step is replaced by a differentiable activation $g$. Backpropagation needs its
derivative $g'$, always evaluated at the **pre-activation** $z$ (the slides' $r_j$ and $s$):

| $g(z)$ | $g'(z)$ | functions |
|---|---|---|
| $\sigma(z) = \dfrac{1}{1 + e^{-z}}$ | $\sigma(z)\,(1 - \sigma(z))$ | `sigmoid`, `sigmoid_prime` |
| $\tanh z$ | $1 - \tanh^2 z$ | `tanh`, `tanh_prime` |
| $z$ | $1$ | `identity`, `identity_prime` |

**Implement** `sigmoid` and `sigmoid_prime`. `sigmoid` must not overflow for large $|z|$
(no `RuntimeWarning` for $z = -1000$): for $z < 0$ use the equal form
$\dfrac{e^{z}}{1 + e^{z}}$.""",
    ),
    ("code", check("sigmoid")),
    ("md", "**Implement** `tanh` and `tanh_prime`."),
    ("code", check("tanh")),
    (
        "md",
        "**Implement** `identity` (return a new array) and `identity_prime`. Then look at all "
        "the activations and their derivatives.",
    ),
    ("code", check("identity")),
    (
        "code",
        """def picture():
    z = np.linspace(-4, 4, 401)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for name, g, g_prime, color in [
        ("step", bp.step, None, "C0"),
        ("sigmoid", bp.sigmoid, bp.sigmoid_prime, "C1"),
        ("tanh", bp.tanh, bp.tanh_prime, "C2"),
        ("identity", bp.identity, bp.identity_prime, "C3"),
    ]:
        axes[0].plot(z, g(z), color=color, label=name)
        if g_prime is not None:
            axes[1].plot(z, g_prime(z), color=color, label=name + "'")
    axes[0].set(title="activations g(z)", xlabel="z", ylim=(-1.5, 1.5))
    axes[1].set(title="derivatives g'(z)", xlabel="z", ylim=(-0.1, 1.1))
    for ax in axes:
        ax.legend()
        ax.grid(alpha=0.3)
    plt.show()


show(picture)""",
    ),
    # --- losses ---
    (
        "md",
        r"""## 3. Loss Functions

With predictions $\hat y$ and targets $y$ for $N$ instances:

* mean squared error: $L = \frac{1}{N} \sum_{i=1}^{N} \lVert y_i - \hat y_i \rVert^2$
  (squared errors summed over the outputs, averaged over the instances): `mse(y, y_hat)`;
* binary cross-entropy, with $\hat y_i = p(y_i = 1 \mid x_i; \theta)$:
  $L = \sum_{i} -\big[y_i \log \hat y_i + (1 - y_i) \log (1 - \hat y_i)\big]$:
  `binary_cross_entropy(y, y_hat)`;
* multiclass cross-entropy with one-hot $y$: $L = -\sum_i \sum_j y_{ij} \log \hat y_{ij}$:
  `categorical_cross_entropy(Y, Y_hat)`.

Both cross-entropies clip $\hat y$ to $[10^{-12}, 1 - 10^{-12}]$ so that the loss stays finite
(no `log(0)`). **Implement** the three losses; each returns a Python `float`.""",
    ),
    ("code", check("mse")),
    ("code", check("binary_cross_entropy")),
    ("code", check("categorical_cross_entropy")),
    (
        "code",
        """def picture():
    p = np.linspace(0.001, 0.999, 300)
    ones = np.ones((1, 1))
    plt.figure(figsize=(5, 3.5))
    plt.plot(p, [bp.mse(ones, np.array([[v]])) for v in p], label="mse")
    plt.plot(p, [bp.binary_cross_entropy(ones, np.array([[v]])) for v in p], label="binary CE")
    plt.title("loss of one instance with y = 1")
    plt.xlabel("prediction ŷ")
    plt.ylim(0, 5)
    plt.legend()
    plt.grid(alpha=0.3)
    plt.show()


show(picture)""",
    ),
    (
        "md",
        """The cross-entropy punishes a confident wrong prediction ($\\hat y \\to 0$ for
$y = 1$) much more than the squared error does.""",
    ),
    # --- derivative ---
    (
        "md",
        r"""## 4. Derivative

Near $x_1$ a function behaves like a line of slope $a = f'(x_1)$:
$f(x_1 + \Delta x) - f(x_1) \approx a\,\Delta x$. To decrease $f$, move against the slope. The
slope can be estimated numerically with the **central difference**

$$f'(x) \approx \frac{f(x + h) - f(x - h)}{2h}.$$

**Implement** `numerical_derivative(f, x, h=1e-5)`.""",
    ),
    ("code", check("numerical_derivative")),
    (
        "md",
        r"""### Chain rule

$\dfrac{dz}{dx} = \dfrac{dz}{du}\dfrac{du}{dx}$. For $z = \sin(x^2)$, with $u = x^2$:
$\dfrac{dz}{dx} = \cos(u) \cdot 2x = 2x\cos(x^2)$. Your numerical derivative should agree:""",
    ),
    (
        "code",
        """def picture():
    def f(x):
        return np.sin(x**2)

    xs = np.linspace(-3, 3, 301)
    numeric = np.array([bp.numerical_derivative(f, x) for x in xs])
    chain_rule = 2 * xs * np.cos(xs**2)
    print(f"largest difference on [-3, 3]: {np.max(np.abs(numeric - chain_rule)):.2e}")
    plt.figure(figsize=(6, 3.5))
    plt.plot(xs, f(xs), label="z = sin(x²)")
    plt.plot(xs, chain_rule, label="2x cos(x²) (chain rule)")
    plt.plot(xs[::10], numeric[::10], "o", ms=4, label="numerical_derivative")
    plt.xlabel("x")
    plt.legend()
    plt.grid(alpha=0.3)
    plt.show()


show(picture)""",
    ),
    # --- gradient ---
    (
        "md",
        r"""## 5. Gradient

For a function of several variables, the gradient collects the partial derivatives,
$G = \left[\dfrac{\partial z}{\partial x}, \dfrac{\partial z}{\partial y}\right]$; it points
uphill, so we move in the opposite direction. Numerically, perturb one entry $\theta_k$ at a
time: $\dfrac{\partial f}{\partial \theta_k} \approx
\dfrac{f(\theta + h e_k) - f(\theta - h e_k)}{2h}$.

**Implement** `numerical_gradient(f, theta, h=1e-5)` for an array `theta` of any shape, without
modifying `theta` (perturb a copy). You will use it to check backpropagation.""",
    ),
    ("code", check("numerical_gradient")),
    (
        "code",
        """def demo():
    def z(v):
        x, y = v
        return x**2 + 3 * y**2 + x * y

    point = np.array([1.0, 2.0])
    print("numerical gradient of x² + 3y² + xy at (1, 2):", bp.numerical_gradient(z, point))
    print("exact gradient [2x + y, 6y + x]:               ", np.array([4.0, 13.0]))


show(demo, "demo")""",
    ),
    # --- gradient descent and eta ---
    (
        "md",
        r"""## 6. Training: adjust weights to minimise loss

Gradient descent repeats $w_{\text{new}} = w_{\text{old}} - \eta \dfrac{\partial L}{\partial w}$
with a learning rate $\eta$. Its value matters: with a **small** $\eta$ the descent is slow and
ends in the nearest local minimum; with a **large** $\eta$ the steps overshoot and $w$ jumps to
seemingly random locations. Below, 30 steps on $L(w) = 0.1\,w^2 + \sin 2w$ from $w = 3.5$,
with the derivative from your `numerical_derivative` (nothing to implement here).""",
    ),
    (
        "code",
        """def picture():
    def loss(w):
        return 0.1 * w**2 + np.sin(2 * w)

    grid = np.linspace(-5, 5, 400)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    axes[0].plot(grid, loss(grid), color="gray")
    for eta, color in [(0.02, "tab:blue"), (0.2, "tab:green"), (0.9, "tab:red")]:
        ws = [3.5]
        for _ in range(30):
            ws.append(ws[-1] - eta * bp.numerical_derivative(loss, ws[-1]))
        ws = np.array(ws)
        axes[0].plot(ws, loss(ws), "o-", color=color, ms=3, lw=0.8, label=f"η = {eta}")
        axes[1].plot(loss(ws), "o-", color=color, ms=3, label=f"η = {eta}")
    axes[0].set(title="iterates on L(w)", xlabel="w", ylabel="L(w)")
    axes[1].set(title="loss per step", xlabel="step", ylabel="L(w)")
    for ax in axes:
        ax.legend()
        ax.grid(alpha=0.3)
    plt.show()


show(picture)""",
    ),
    # --- forward pass ---
    (
        "md",
        r"""## 7. Multilayer perceptron: Forward pass

The slides' two-layer network computes $r_j = \sum_i x_i v_{ij}$, $a_j = g(r_j)$, then
$s = \sum_j a_j w_j$, $a^{(2)} = g(s)$, with $x_0 = a_0 = 1$ carrying the biases. For a batch
and any number of layers, with $a^{(0)} = X$:

$$z^{(l)} = \big[\,\mathbf{1},\ a^{(l)}\big]\,\theta^{(l)}, \qquad a^{(l+1)} = g\big(z^{(l)}\big)
\qquad (l = 0, \dots, L - 1),$$

where $[\mathbf 1, a]$ prepends a column of ones. The same $g$ is used in every layer, the
output layer included.

**Implement** `init_params(layer_sizes, rng)`: for each layer, in order,
`rng.normal(0.0, 1.0, size=(n_l + 1, n_{l+1}))`.""",
    ),
    ("code", check("init_params")),
    (
        "md",
        """**Implement** `forward(thetas, X, g=sigmoid)`, returning the list `zs` of the $L$
pre-activations and the list `activations` of the $L + 1$ activations (`activations[0]` is
`X`). The checks use this 2-3-1 network on the four XOR inputs:""",
    ),
    ("code", network_literal(NET_231, "thetas_231") + "\nX = bp.XOR_X"),
    ("code", check("forward")),
    (
        "code",
        """def demo():
    zs, activations = bp.forward(thetas_231, X)
    for layer, a in enumerate(activations):
        print(f"activations[{layer}], shape {a.shape}:", np.round(a.ravel(), 3))
    thetas = bp.init_params([3, 4, 2], np.random.default_rng(0))
    zs, activations = bp.forward(thetas, np.ones((5, 3)))
    print("3-4-2 network, 5 instances: zs", [z.shape for z in zs])
    print("                   activations", [a.shape for a in activations])


show(demo, "demo")""",
    ),
    (
        "md",
        "**Implement** `predict(thetas, X, g=sigmoid)`: the output layer's activation.",
    ),
    ("code", check("predict")),
    # --- delta output ---
    (
        "md",
        r"""## 8. Multilayer perceptron: Loss, Gradient I and Update weights

For one instance, the loss is $L = \frac{1}{2}\big(a^{(2)} - y\big)^2$ with
$a^{(2)} = g(s)$, $s = \sum_j a_j w_j$. By the chain rule
$\dfrac{\partial L}{\partial w_j} = \big(a^{(2)} - y\big)\, g'(s)\, a_j$. The first two
factors are the **error at the output layer**:

$$\delta^{(2)} = \big(a^{(2)} - y\big)\, g'(s), \qquad
\frac{\partial L}{\partial w_j} = \delta^{(2)} a_j .$$

**Implement** `delta_output(a_out, y, z_out, g_prime=sigmoid_prime)`: element-wise, one row per
instance, one column per output.""",
    ),
    ("code", check("delta_output")),
    # --- delta hidden ---
    (
        "md",
        r"""## 9. Multilayer perceptron: Gradient II and the error of hidden layers

One layer further back, $\dfrac{\partial L}{\partial v_{ij}}
= \delta^{(2)} w_j\, g'(r_j)\, x_i = \delta^{(1)}_j x_i$. With several outputs and layers
(slide "Backpropagation: error of hidden layer - Multiple Layers") each hidden unit collects
the errors of all units it feeds:

$$\delta^{(l)}_j = \sum_k \delta^{(l+1)}_k\, \theta^{(l+1)}_{jk}\; g'\big(z^{(l)}_j\big)
\qquad\text{i.e.}\qquad
\delta^{(l)} = \Big(\delta^{(l+1)}\, \theta^{(l+1)}_{1:}{}^{\top}\Big) \odot g'\big(z^{(l)}\big).$$

Row 0 of $\theta^{(l+1)}$ holds biases, which are not connected to layer $l$: leave it out.
**Implement** `delta_hidden(delta_next, theta_next, z, g_prime=sigmoid_prime)`.""",
    ),
    ("code", check("delta_hidden")),
    # --- weight gradient ---
    (
        "md",
        r"""## 10. Backpropagation: Demo

Forward pass, output error, backward pass, and then every weight's gradient is the error of
the unit it leads into times the activation it comes from:
$\dfrac{\partial L}{\partial \theta_{ij}} = \delta_j\, a_i$ (with $a_0 = 1$ for the biases).
For a batch the loss is the mean over instances, so the gradients are averaged:

$$\frac{\partial L}{\partial \theta^{(l)}} = \frac{1}{N} \big[\,\mathbf 1,\ a^{(l)}\big]^{\top}
\delta^{(l+1)} \quad\text{(shape } (n_l + 1) \times n_{l+1}\text{, row 0 the biases).}$$

**Implement** `weight_gradient(delta, a_prev)`.""",
    ),
    ("code", check("weight_gradient")),
    # --- backprop ---
    (
        "md",
        r"""## 11. Backpropagation Algorithm

For a batch: 1. forward pass; 2. error of the output layer $\delta^{\text{out}}$;
3. propagate the error back, layer by layer; 4. the gradient of every $\theta^{(l)}$.
**Implement** `backprop(thetas, X, y, g=sigmoid, g_prime=sigmoid_prime)`, returning the list of
gradients (shaped like `thetas`) of $L = \frac{1}{N}\sum_i \frac{1}{2}\lVert a_i - y_i\rVert^2$.
Do not update the weights here.""",
    ),
    ("code", check("backprop")),
    (
        "md",
        """**Gradient check.** Backpropagation must agree with `numerical_gradient` of the loss, on
any architecture. Here on a non-square 3-4-2 network (relative errors around $10^{-8}$ or
less are expected; around $1$ means a bug):""",
    ),
    (
        "code",
        """def demo():
    rng = np.random.default_rng(1)
    thetas = bp.init_params([3, 4, 2], rng)
    X3, y3 = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))

    def loss(thetas):
        return 0.5 * np.sum((bp.predict(thetas, X3) - y3) ** 2) / len(X3)

    grads = bp.backprop(thetas, X3, y3)
    for layer, theta in enumerate(thetas):

        def loss_of_layer(t, layer=layer):
            return loss(thetas[:layer] + [t] + thetas[layer + 1 :])

        numeric = bp.numerical_gradient(loss_of_layer, theta)
        error = np.max(np.abs(grads[layer] - numeric) / (np.abs(numeric) + 1e-8))
        print(f"layer {layer}: gradient shape {grads[layer].shape}, relative error {error:.1e}")


show(demo, "gradient check")""",
    ),
    # --- update ---
    (
        "md",
        r"""## 12. Update all parameters at once

*Slide "Backpropagation Algorithm":* only after all gradients are computed (from the same,
old weights) are the weights changed, all at once:
$\theta^{(l)} \leftarrow \theta^{(l)} - \eta\, \dfrac{\partial L}{\partial \theta^{(l)}}$
for every $l$. **Implement** `update(thetas, grads, eta)`, returning new arrays
and leaving `thetas` unchanged.""",
    ),
    ("code", check("update")),
    # --- sgd ---
    (
        "md",
        r"""## 13. Gradient Descent Algorithm and Stochastic Gradient Descent Algorithm

For $T$ epochs: shuffle the training set and split it into batches; for each batch, compute
the gradient (`backprop`) and update the weights (`update`). Iterations over the entire
dataset are called **epochs**. With one instance per batch this is *stochastic* gradient
descent, with the whole set one batch it is (batch) gradient descent.

**Implement** `sgd(thetas, X, y, eta, epochs, batch_size, rng, g=sigmoid,
g_prime=sigmoid_prime)`: in each epoch draw **one** `rng.permutation(N)`, cut it into
consecutive batches of `batch_size` (the last one may be smaller), and after the epoch record
the loss $L = \frac{1}{N}\sum_i \frac{1}{2}\lVert a_i - y_i\rVert^2$ on the whole training
set. Return the trained `thetas` and the list of losses, one per epoch.""",
    ),
    ("code", check("sgd")),
    (
        "code",
        """def picture():
    plt.figure(figsize=(6, 3.5))
    for batch_size in [1, 2, 4]:
        thetas = bp.init_params([2, 3, 1], np.random.default_rng(0))
        rng = np.random.default_rng(1)
        _, losses = bp.sgd(thetas, bp.XOR_X, bp.XOR_Y, 2.0, 300, batch_size, rng)
        plt.plot(losses, label=f"batch_size = {batch_size}")
    plt.title("XOR, 2-3-1 network, η = 2")
    plt.xlabel("epoch")
    plt.ylabel("training loss L")
    plt.legend()
    plt.grid(alpha=0.3)
    plt.show()


show(picture)""",
    ),
    # --- xor step network ---
    (
        "md",
        r"""## 14. Back to the first slide: A Multilayer Perceptron for XOR

Now that `predict` works, set the weights of the 2-2-1 **step** network by hand:
$h^{(l)}_j = \varphi\big(\sum_i \theta_{ij} h^{(l-1)}_i + \theta_{0j}\big)$ and
`predict(thetas, XOR_X, step)` must equal `XOR_Y`. *Hint:* one hidden unit computes OR, the
other AND; the output is "OR and not AND". **Implement** `xor_step_network()` (shapes
$(3, 2)$ and $(3, 1)$, row 0 the biases).""",
    ),
    ("code", check("xor_step_network")),
    (
        "code",
        """def table():
    thetas = bp.xor_step_network()
    _, activations = bp.forward(thetas, bp.XOR_X, bp.step)
    output = bp.predict(thetas, bp.XOR_X, bp.step)
    print(" x1 x2 | h1 h2 | output | XOR")
    for x, h, out, y in zip(bp.XOR_X, activations[1], output, bp.XOR_Y):
        print(f"{x[0]:3.0f}{x[1]:3.0f} |{h[0]:3.0f}{h[1]:3.0f} | {out[0]:6.0f} | {y[0]:3.0f}")


show(table, "truth table")""",
    ),
    # --- train xor ---
    (
        "md",
        r"""## 15. Training XOR with backpropagation

*Slide "Backpropagation Algorithm":* initialise $\theta$, then repeat forward pass, error,
backward pass and update until a stopping criterion. **Implement** `train_xor(seed)`: start
from `np.random.default_rng(seed)`, choose the architecture, $\eta$, the number of epochs and
the batch size, and train a **sigmoid** network with your `sgd` so that it classifies all four
XOR inputs correctly (`predict(thetas, XOR_X) > 0.5` equals `XOR_Y == 1`) for any seed, within
a few seconds.""",
    ),
    ("code", check("train_xor")),
    (
        "code",
        """def picture():
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for sizes in ([2, 2, 1], [2, 8, 1]):
        thetas = bp.init_params(sizes, np.random.default_rng(3))
        rng = np.random.default_rng(4)
        _, losses = bp.sgd(thetas, bp.XOR_X, bp.XOR_Y, 4.0, 400, 4, rng)
        axes[0].plot(losses, label=f"{sizes}, η = 4, full batch")
    axes[0].set(title="training loss", xlabel="epoch", ylabel="L")
    axes[0].legend()
    axes[0].grid(alpha=0.3)

    thetas = bp.train_xor(0)
    u = np.linspace(-0.5, 1.5, 201)
    g1, g2 = np.meshgrid(u, u)
    out = bp.predict(thetas, np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    filled = axes[1].contourf(g1, g2, out, levels=np.linspace(0, 1, 11), cmap="RdBu_r")
    axes[1].contour(g1, g2, out, levels=[0.5], colors="k")
    axes[1].scatter(*bp.XOR_X.T, c=bp.XOR_Y.ravel(), cmap="RdBu_r", edgecolors="k", s=120)
    axes[1].set(title="train_xor(0): output and 0.5 boundary", xlabel="x1", ylabel="x2")
    fig.colorbar(filled, ax=axes[1])
    plt.show()


show(picture)""",
    ),
    (
        "md",
        """## Done

When every check above passes, run all cells once more from the top (*Restart & Run All*)
and submit `backprop.py`.""",
    ),
]


def build():
    """The notebook as an ``nbformat`` node."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    for index, (kind, source) in enumerate(CELLS, start=1):
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        nb.cells.append(make(source, id=f"cell-{index:02d}"))
    nbformat.validate(nb)
    return nb


def render():
    """The notebook file's text."""
    return nbformat.writes(build()) + "\n"


def main():
    NOTEBOOK.write_text(render(), encoding="utf-8")
    print(f"wrote {NOTEBOOK.relative_to(ROOT)} ({len(CELLS)} cells)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
