"""What classic mistakes would return, computed in the grader from the reference.

Each function takes the same inputs as the contract function it mimics. A failing student
output that matches one of these (within tolerance) earns the hint of that mistake's key in
``questions.HINTS``. Keys are the dict keys used by the check modules.
"""

import numpy as np

from .reference import ref


def with_bias_last(a):
    return np.hstack([a, np.ones((a.shape[0], 1))])


def forward_bias_last(thetas, X, g):
    a, zs, acts = X, [], [X]
    for theta in thetas:
        z = with_bias_last(a) @ theta
        a = g(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def forward_bias_dropped(thetas, X, g):
    """Forward without the constant input: ``z = a @ θ[1:]`` (the bias row never used)."""
    a, zs, acts = X, [], [X]
    for theta in thetas:
        z = a @ theta[1:]
        a = g(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def forward_no_output_activation(thetas, X, g):
    zs, acts = ref.forward(thetas, X, g)
    return zs, acts[:-1] + [zs[-1]]


def forward_activation_on_input(thetas, X, g):
    a, zs, acts = g(X), [], [g(X)]
    for theta in thetas:
        z = ref.with_bias(a) @ theta
        a = g(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def backprop_variant(thetas, X, y, g, g_prime, slip):
    """The reference backprop loop with one slip (``BACKPROP_SLIPS``); it raises where the
    slip's shapes do not fit (the mistake crashes there too)."""
    zs, acts = ref.forward(thetas, X, g)
    out_prime = ref.sigmoid_prime if slip == "output_default_prime" else g_prime
    z_out = acts[-1] if slip == "output_prime_at_a" else zs[-1]
    a_out, target = (y, acts[-1]) if slip == "output_arguments_swapped" else (acts[-1], y)
    delta = ref.delta_output(a_out, target, z_out, out_prime)
    grads = [None] * len(thetas)
    stop = 0 if slip == "first_layer_missing" else -1
    for layer in range(len(thetas) - 1, stop, -1):
        a_in = acts[layer + 1] if slip == "next_activation" else acts[layer]
        grads[layer] = ref.weight_gradient(delta, a_in)
        if layer > (1 if slip == "guard_off_by_one" else 0) and slip != "no_hidden_delta":
            z_hidden = {"hidden_prime_at_a": acts[layer], "z_of_next_layer": zs[layer]}.get(
                slip, zs[layer - 1]
            )
            prime = {"hidden_default_prime": ref.sigmoid_prime, "g_for_g_prime": g}.get(
                slip, g_prime
            )
            delta = ref.delta_hidden(delta, thetas[layer], z_hidden, prime)
    return grads


# slip -> what it does (the keys of ``backprop_variant``)
BACKPROP_SLIPS = {
    "next_activation": "∂L/∂θ^(l) from the layer's own output activations[l + 1]",
    "z_of_next_layer": "delta_hidden given zs[l], the next layer's z, not its own zs[l − 1]",
    "g_for_g_prime": "delta_hidden given the activation g where g_prime belongs",
    "output_default_prime": "g_prime not passed on to delta_output (its default σ')",
    "hidden_default_prime": "g_prime not passed on to delta_hidden (its default σ')",
    "output_prime_at_a": "delta_output given a^out where z^out belongs",
    "hidden_prime_at_a": "delta_hidden given a^(l) where z^(l) belongs",
    "output_arguments_swapped": "delta_output(y, a^out, ...): its first two arguments swapped",
    "first_layer_missing": "the loop stops before layer 0 (its gradient left None)",
    "guard_off_by_one": "δ propagated only while layer > 1: layer 0 gets layer 1's δ",
    "no_hidden_delta": "δ^out used for every layer (never propagated)",
}


def sgd_variant(thetas, X, y, eta, epochs, batch_size, rng, g, g_prime, mistake):
    """The reference SGD loop with one mistake (keys: ``SGD_MISTAKES`` below)."""
    n, losses = X.shape[0], []
    once = rng.permutation(n) if mistake == "shuffle_once" else None
    for _ in range(epochs):
        if mistake == "no_shuffle":
            order = np.arange(n)
        elif mistake == "shuffle_once":
            order = once
        elif mistake in ("shuffle_per_batch", "shuffle_per_batch_slice"):
            order = None
        else:
            order = rng.permutation(n)
        targets_order = rng.permutation(n) if mistake == "targets_own_permutation" else order
        before = 0.5 * ref.mse(y, ref.predict(thetas, X, g))
        batch_losses = []
        stop = n - n % batch_size if mistake == "drops_last_batch" and n % batch_size else n
        first = 1 if mistake == "loop_from_one" else 0
        for start in range(first, stop, batch_size):
            if order is None:
                cut = start if mistake == "shuffle_per_batch_slice" else 0
                batch = rng.permutation(n)[cut : cut + batch_size]
            elif mistake == "batch_to_end":
                batch = order[start:]
            elif mistake == "batch_from_start":
                batch = order[: start + batch_size]
            else:
                batch = order[start : start + batch_size]
            if mistake == "targets_not_permuted":
                targets = y[start : start + batch_size]
            elif mistake == "targets_own_permutation":
                targets = y[targets_order[start : start + batch_size]]
            else:
                targets = y[batch]
            batch_losses.append(0.5 * ref.mse(targets, ref.predict(thetas, X[batch], g)))
            grads = ref.backprop(thetas, X[batch], targets, g, g_prime)
            thetas = ref.update(thetas, grads, eta)
            if mistake == "losses_per_batch":
                losses.append(0.5 * ref.mse(y, ref.predict(thetas, X, g)))
        if mistake in ("losses_per_batch", "losses_missing"):
            continue
        after = ref.mse(y, ref.predict(thetas, X, g))
        if mistake == "loss_before_epoch":
            losses.append(before)
        elif mistake == "loss_without_half":
            losses.append(after)
        elif mistake == "loss_of_batches":
            losses.append(float(np.mean(batch_losses)))
        else:
            losses.append(0.5 * after)
    return thetas, losses


SGD_MISTAKES = (
    "no_shuffle",
    "shuffle_once",
    "shuffle_per_batch",
    "drops_last_batch",
    "loss_before_epoch",
    "loss_without_half",
    "loss_of_batches",
    "targets_not_permuted",
    "shuffle_per_batch_slice",
    "losses_per_batch",
    "targets_own_permutation",
    "losses_missing",
    "batch_to_end",
    "batch_from_start",
    "loop_from_one",
)
# variants that are one misconception written another way: the key their hint is under
SGD_KEYS = {
    "shuffle_per_batch_slice": "shuffle_per_batch",
    "targets_own_permutation": "targets_not_permuted",
    "batch_to_end": "batch_slice",
    "batch_from_start": "batch_slice",
    "loop_from_one": "batch_slice",
}
