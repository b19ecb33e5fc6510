"""What is graded, for how many points, and what to tell a student about known mistakes.

This table is the one place points are set; README.md shows it (``python -m autograder
points`` prints it). Question ids match the public checks (``assignment/backprop/tests/<id>.py``).
"""

# The lecture's slide titles, spelled once: the points table, the hints, the reference's
# docstrings (and so the template) and the handout quote them (a test keeps them in step).
SLIDES = {
    "xor": "A Multilayer Perceptron for XOR",
    "losses": "Loss Functions",
    "derivative": "Derivative",
    "gradient": "Gradient",
    "gd": "Gradient Descent Algorithm",
    "sgd": "Stochastic Gradient Descent Algorithm",
    "chaining": "Chaining derivatives: the Backpropagation algorithm",
    "chain_rule": "Chain rule",
    "forward": "Multilayer perceptron: Forward pass",
    "gradient_1": "Multilayer perceptron: Gradient I",
    "update": "Multilayer perceptron: Update weights",
    "gradient_2": "Multilayer perceptron: Gradient II",
    "hidden": "Backpropagation: error of hidden layer - Multiple Layers",
    "demo": "Backpropagation: Demo",
    "algorithm": "Backpropagation Algorithm",
}

# id, title, points, slide
TABLE = [
    ("step", "step activation φ", 1, SLIDES["xor"]),
    ("sigmoid", "sigmoid σ and its derivative", 2, SLIDES["chain_rule"]),
    ("tanh", "tanh and its derivative", 1, SLIDES["chain_rule"]),
    ("identity", "identity and its derivative", 1, SLIDES["chain_rule"]),
    ("mse", "mean squared error", 2, SLIDES["losses"]),
    ("binary_cross_entropy", "binary cross-entropy", 2, SLIDES["losses"]),
    ("categorical_cross_entropy", "categorical cross-entropy", 2, SLIDES["losses"]),
    ("numerical_derivative", "numerical derivative", 2, SLIDES["derivative"]),
    ("numerical_gradient", "numerical gradient", 3, SLIDES["gradient"]),
    ("init_params", "parameter initialisation", 2, SLIDES["algorithm"]),
    ("forward", "forward pass", 4, SLIDES["forward"]),
    ("predict", "prediction", 1, SLIDES["forward"]),
    ("delta_output", "error of the output layer δ^out", 3, SLIDES["update"]),
    ("delta_hidden", "error of a hidden layer δ^(l)", 4, SLIDES["hidden"]),
    ("weight_gradient", "weight gradient ∂L/∂θ", 3, SLIDES["demo"]),
    ("backprop", "backpropagation", 5, SLIDES["algorithm"]),
    ("update", "update all parameters at once", 2, SLIDES["algorithm"]),
    ("sgd", "stochastic gradient descent", 5, SLIDES["gd"]),
    ("xor_step_network", "hand-set XOR network", 2, SLIDES["xor"]),
    ("train_xor", "training XOR", 3, SLIDES["xor"]),
]

# Hints for recognised mistakes, in the slides' words. Keys are what checks report.
HINTS = {
    # generic (not_implemented, missing_function, crashed, warning, invalid, missing_file:
    # the engine's own hints, ENGINE_HINTS in autograder/engine/checks.py)
    "modifies_input": "Functions must be pure: compute a new array (e.g. `theta - eta * grad`) "
    "instead of changing an argument in place (`-=`, `[...] =`).",
    "timeout": "Your code took too long: look for an infinite loop, or a loop over the data "
    "where one matrix product would do.",
    "exception": "Your function raised an exception on this input: the message names the line "
    "of your file. Check the shapes in the docstring against what you compute.",
    # activations
    "step_strict": "The slide defines φ(x) = 1 if x ≥ 0: the step at exactly 0 is 1, so "
    "compare with `>=`, not `>`.",
    "saturation_overflow": "For large |z| (beyond about 710), e^z overflows to inf, and "
    "inf/inf is nan: use np.tanh, or a form that only takes exp of −|z|. The activations and "
    "their derivatives must stay finite for every z.",
    "single_instance": "Right for batches, wrong for a single instance (N = 1): something "
    "dropped the batch axis (np.squeeze, .ravel(), .flatten() or indexing with [0]), so "
    "shape[0] is no longer N. Keep y and ŷ as (N, C) arrays and divide by N = y.shape[0].",
    "sigmoid_overflow": "exp(−z) overflows for large negative z. Use exp(−|z|): "
    "σ(z) = 1/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z) for z < 0.",
    "prime_on_activation": "g' takes the pre-activation z (the slides' r, s), not the "
    "activation a = g(z): σ'(z) = σ(z)(1 − σ(z)), tanh'(z) = 1 − tanh²(z).",
    "prime_not_array": "g' must return an array shaped like z (np.ones_like(z)), not a "
    "single number.",
    # losses
    "sum_not_mean": "The slide's MSE is (1/N) Σ_i: divide the sum over instances by N.",
    "mean_over_outputs": "Average over the N instances only: the squared errors of the C "
    "outputs of one instance are summed, ‖y_i − ŷ_i‖².",
    "half_factor": "The ½ belongs to the training loss L = ½(a − y)² of the backprop slides, "
    "not to the MSE of slide 'Loss Functions'.",
    "mean_not_sum": "The cross-entropies of slide 'Loss Functions' are sums Σ_i over "
    "instances, not means.",
    "no_clipping": "log(0) = −inf: clip ŷ to [1e-12, 1 − 1e-12] before taking the log.",
    "sign_of_loss": "Cross-entropy is −Σ [...]: a loss is never negative.",
    # derivatives
    "forward_difference": "Use the central difference (f(x + h) − f(x − h)) / 2h, not "
    "(f(x + h) − f(x)) / h: it is far more accurate.",
    "wrong_denominator": "The central difference spans 2h: divide by 2h.",
    "ignores_h": "Use the step h the caller passes instead of a fixed value.",
    "perturbs_all": 'Slide "Gradient": the partial derivative ∂f/∂θ_k moves θ_k alone '
    "(θ + h e_k, with e_k the k-th unit vector). Moving every entry at once gives one "
    "directional derivative, the same number in every entry.",
    "gradient_not_restored": 'Slide "Gradient": each partial derivative moves one θ_k and '
    "only that one. Put θ_k back (work[k] = original) after its two evaluations: left at "
    "θ_k − h, it shifts every later partial derivative. Functions whose coordinates do not "
    "interact hide this; the loss of a network does not.",
    "integer_copy": "θ holds integers here, and an integer copy cannot hold θ_k ± h (it is "
    "truncated back to θ_k, so the gradient comes out 0): copy as floats, "
    "np.array(theta, dtype=np.float64).",
    # from the known-mistake library (library.py)
    "step_sign": "The step of slide 'A Multilayer Perceptron for XOR' outputs 0 or 1 "
    "(φ(x) = 1 if x ≥ 0, else 0), not −1/+1 or the sign of x.",
    "step_half_at_zero": "(sign(z) + 1) / 2 gives ½ at z = 0; the slide's step is 1 there "
    "(x ≥ 0): np.where(z >= 0, 1.0, 0.0).",
    "sigmoid_sign": "σ(z) = 1 / (1 + e^(−z)): the exponent is −z. With e^(+z) you get "
    "σ(−z) = 1 − σ(z), a curve mirrored left to right.",
    "sigmoid_denominator": "σ(z) = 1 / (1 + e^(−z)): the denominator is a sum, 1 + e^(−z).",
    "activation_swapped": "This is the other activation: σ(z) = 1 / (1 + e^(−z)) lies in "
    "(0, 1), tanh(z) in (−1, 1).",
    "sigmoid_prime_is_sigmoid": "σ'(z) is the derivative, σ(z)(1 − σ(z)) (slide 'Chain "
    "rule'), not σ(z) or 1 − σ(z) alone.",
    "sigmoid_prime_formula": "σ'(z) = σ(z) · (1 − σ(z)): both factors are σ(z), evaluated at "
    "the pre-activation z.",
    "sign_flipped_derivative": "The derivative has the opposite sign: σ'(z) = σ(z)(1 − σ(z)) "
    "and tanh'(z) = 1 − tanh²(z) are never negative.",
    "tanh_via_sigmoid": "tanh(z) = 2σ(2z) − 1: the argument of σ is 2z and 1 is subtracted "
    "(or simply np.tanh(z)).",
    "tanh_prime_square_inside": "tanh'(z) = 1 − tanh²(z) = 1 − (tanh z)²: square the value "
    "tanh(z), not its argument (tanh(z²) is another function).",
    "tanh_prime_formula": "tanh'(z) = 1 − tanh²(z): one minus the square of tanh(z), nothing else.",
    "tanh_prime_is_tanh": "tanh_prime is the derivative, 1 − tanh²(z), not tanh(z) itself.",
    "identity_is_derivative": "identity(z) returns z (a copy of it), and identity_prime(z) the "
    "ones: these two are swapped.",
    "identity_prime_returns_z": "The derivative of g(z) = z is 1 everywhere: np.ones_like(z), "
    "not z.",
    "identity_prime_zero": "The derivative of g(z) = z is 1, not 0: np.ones_like(z).",
    "mse_square_root": "MSE has no square root: (1/N) Σ_i ‖y_i − ŷ_i‖² squares the norm. "
    "np.linalg.norm gives √(Σ (y − ŷ)²); sum the squares instead, np.sum((y - y_hat) ** 2).",
    "mse_divides_by_outputs": "Divide by the number of instances N = y.shape[0], not by the "
    "number of outputs C.",
    "mse_absolute": "Square the errors, (y − ŷ)²: absolute values give the mean absolute "
    "error, another loss.",
    "loss_not_reduced": "A loss is one number: sum (and for the MSE divide by N) over every "
    "instance and output; your result still has one value per instance or per entry.",
    "bce_one_term": "Binary cross-entropy has two terms, −Σ [y log ŷ + (1 − y) log(1 − ŷ)]: "
    "the second counts the instances of class 0.",
    "bce_minus_on_one_term": "The minus sign applies to both terms: −Σ [y log ŷ + (1 − y) "
    "log(1 − ŷ)]; mind the brackets.",
    "bce_terms_swapped": "y multiplies log ŷ and (1 − y) multiplies log(1 − ŷ): the terms are "
    "swapped.",
    "log_base": "The cross-entropies use the natural logarithm, np.log (not log10 or log2).",
    "cce_binary_formula": "Categorical cross-entropy is −Σ_i Σ_c y_ic log ŷ_ic only: the "
    "(1 − y) log(1 − ŷ) term belongs to the binary loss.",
    "cce_all_classes": "Weight each log ŷ_ic by y_ic: only the true class of each instance "
    "counts, −Σ_i Σ_c y_ic log ŷ_ic.",
    "cce_row_max": "Take the predicted probability of the true class (where y_ic = 1), not "
    "the largest one of the row.",
    "cce_mean_over_entries": "Categorical cross-entropy is a sum over instances and classes, "
    "not a mean over the entries.",
    "h_too_small": "h is so small that x + h and x − h round to x in float64 and the "
    "difference is 0: keep the contract's default h = 1e-5.",
    "backward_difference": "Use the central difference (f(x + h) − f(x − h)) / 2h of slide "
    "'Derivative', not the one-sided (f(x) − f(x − h)) / h.",
    "difference_not_divided": "Divide the difference f(x + h) − f(x − h) by 2h.",
    "gradient_by_rows": "θ is a matrix: compute one partial derivative per entry, moving one "
    "θ_k at a time (for k in np.ndindex(theta.shape)); a loop over len(theta) moves a whole "
    "row at once.",
    "init_bias_drawn_apart": "Draw each layer in one call, rng.normal(0.0, 1.0, size=(n_l + 1, "
    "n_{l+1})): drawing the weights and then a separate bias row puts the generator's numbers "
    "in other places than the contract says.",
    "init_distribution": "The contract's weights are standard normal draws, "
    "rng.normal(0.0, 1.0, size=(n_l + 1, n_{l+1})), not uniform ones.",
    "init_scaled": "The contract's initialisation is rng.normal(0.0, 1.0, ...) without scaling "
    "(no 1/√n, Xavier or He factor, no 0.1).",
    "forward_swapped_outputs": "Return (zs, activations) in this order: the pre-activations first.",
    "ignores_g": "Use the activation g you are given (tanh when tanh is passed), not σ written "
    "into the code.",
    "predict_rounded": "predict returns the output activations a^(out) themselves (numbers in "
    "(0, 1) for σ), not class labels 0/1.",
    "predict_hidden_layer": "The prediction is the last activation, a^(out) = activations[-1].",
    "predict_returns_list": "predict returns one array, the last activation activations[-1], "
    "not the whole list.",
    "delta_from_loss": "δ^out uses the derivative of the loss, ∂L/∂a = a − y (slide "
    "'Multilayer perceptron: Update weights'), not the loss ½(a − y)² itself.",
    "delta_divided_by_n": "δ has no 1/N: the mean over the batch is taken once, in "
    "weight_gradient.",
    "hidden_no_transpose": "δ^(l) = (δ^(l+1) θ^(l+1)ᵀ) ⊙ g'(z^(l)): δ^(l+1) is (N, n_{l+1}) and "
    "θ^(l+1)[1:] is (n_l, n_{l+1}), so the product needs the transpose: delta_next @ "
    "theta_next[1:].T.",
    "hidden_prime_on_z_as_a": "a(1 − a) is σ' written with the activation a = σ(z); you are "
    "given z, so call g_prime(z).",
    "grad_divides_by_width": "Average over the batch: divide by the number of instances N = "
    "delta.shape[0], not by a layer's width.",
    "grad_bias_input_zero": "The constant input is a_0 = 1, not 0: prepend a column of ones, so "
    "the bias gradient is the mean of δ.",
    "backprop_guard": "Propagate δ down to the first hidden layer: every layer l > 0 needs "
    "δ^(l) from δ^(l+1), so the loop's condition is layer > 0 (not > 1), and each layer's "
    "gradient uses its own δ.",
    "backprop_no_hidden_delta": "Each layer has its own δ: compute δ^(l) = (δ^(l+1) "
    "θ^(l+1)ᵀ) ⊙ g'(z^(l)) with delta_hidden before the gradient of layer l.",
    "grads_reversed": "grads[l] belongs to thetas[l]: the loop goes backwards, so fill "
    "grads[l] (or reverse the list at the end).",
    "backprop_default_g_prime": "Pass g_prime on to every helper: delta_output(..., g_prime) "
    "and delta_hidden(..., g_prime). Left out, their default σ' is used, which is wrong for a "
    "tanh or identity network.",
    "backprop_first_layer_missing": "Every layer needs its gradient, the first one (layer 0) "
    "included: range(L − 1, −1, −1) goes down to 0; range(L − 1, 0, −1) stops before it.",
    "delta_output_factor_two": "The training loss is L = ½(a − y)², so ∂L/∂a = a − y: the ½ "
    "cancels the 2 of the square; δ^out = (a − y) ⊙ g'(z^out) has no factor 2.",
    "zs_are_activations": "zs holds the pre-activations z^(l) = [1, a^(l−1)] θ^(l), before g; "
    "the activations a^(l) = g(z^(l)) go in the second list.",
    "xor_bias_last_row": "Row 0 of each θ holds the biases θ_0j (the constant input a_0 = 1 "
    "comes first): your weights compute XOR with the bias in the last row, so move it to row 0.",
    "xor_strict_threshold": "φ(x) = 1 if x ≥ 0: a unit whose weighted sum is exactly 0 "
    "fires. Your weights compute XOR with a strict x > 0; shift the biases so that no "
    "threshold sits exactly at a sum the inputs reach (e.g. −0.5 for OR, −1.5 for AND).",
    "backprop_argument_order": "Pass the arguments of delta_output in the order of its "
    "signature, delta_output(a_out, y, z_out, g_prime): with y and a swapped, δ^out = (y − a) "
    "g' has the wrong sign and so has every gradient.",
    "gradient_zero": "Your gradient is 0 everywhere: f(θ + h e_k) and f(θ − h e_k) came out "
    "equal. Either the two perturbed copies are one array (plus = minus = work.copy() gives one "
    "array two names: make two copies), or the step vanished (an integer copy of θ, an h that "
    "rounds away).",
    "difference_sign": "The central difference subtracts: (f(x + h) − f(x − h)) / 2h; a sum "
    "of the two values measures f itself, not its slope.",
    "bce_second_term": "The second term is (1 − y) log(1 − ŷ): both brackets subtract.",
    "init_layer_count": "One matrix per pair of consecutive layers: zip(layer_sizes[:-1], "
    "layer_sizes[1:]) gives L matrices for L + 1 layer sizes.",
    "losses_missing": "Append the epoch's loss to losses after every epoch: losses has one "
    "entry per epoch.",
    "batch_slice": "Cut the epoch's permutation into consecutive batches: for start in "
    "range(0, N, batch_size), batch = order[start : start + batch_size] (both bounds).",
    "update_divides_eta": "θ ← θ − η ∂L/∂θ: multiply the gradient by η, do not divide.",
    "update_no_eta": "θ ← θ − η ∂L/∂θ: the gradient is scaled by the learning rate η.",
    "update_one_layer": "Update every layer: return [θ − η g for θ, g in zip(thetas, grads)].",
    # network
    "backprop_z_index": f'Slide "{SLIDES["hidden"]}": δ^(l) = '
    "(δ^(l+1) θ^(l+1)ᵀ) ⊙ g'(z^(l)) takes the hidden layer's own pre-activation. In the loop, "
    "the layer l hidden units' z is zs[l − 1] (zs[0] belongs to the first hidden layer), not "
    "zs[l].",
    "weights_not_float": "Weights are float64 arrays: write 1.0 rather than 1, or "
    "np.array([...], dtype=np.float64). An array of integers is a different type, whatever "
    "its thresholds.",
    "thetas_not_list": "Return the list of weight matrices thetas only: sgd returns a pair "
    "(thetas, losses), so unpack it (thetas, _ = sgd(...)) before returning.",
    "activations_without_input": 'Slide "Multilayer perceptron: Forward pass": a^(0) = x. The '
    "list of activations starts with the input X itself, so L layers give L + 1 activations "
    "and L pre-activations.",
    "ignores_g_prime": "Use the g_prime you are given (the derivative of the network's "
    "activation, tanh' for tanh), not σ' written into the formula.",
    "g_for_g_prime": "Pass g_prime, the derivative, where the formulas need g'(z): "
    "δ = (δ_next θᵀ) ⊙ g'(z). Passing g, the activation itself, scales every δ wrongly.",
    "init_zero_bias": "Draw every entry from the rng, the biases of row 0 included: "
    "rng.normal(0.0, 1.0, size=(n_l + 1, n_{l+1})) for each layer (the contract's "
    "initialisation, which the expected weights follow).",
    "precedence_2h": "Operator precedence: (f(x + h) − f(x − h)) / 2 * h divides by 2 and "
    "then multiplies by h. Divide by the product: / (2 * h).",
    "tanh_prime_no_square": "tanh'(z) = 1 − tanh²(z): square tanh(z) before subtracting it from 1.",
    "curve_differs": "Your sgd passes its own checks, where the grader answers backprop, "
    "update, predict and mse; this curve comes from your own versions of those helpers, so one "
    "of them differs from the slides: fix the one that fails its own checks first.",
    "init_shape": "θ^(l) has one row per input plus the bias row: shape (n_l + 1, n_{l+1}).",
    "init_transposed": "Your matrices are transposed: θ^(l) maps layer l (plus the bias) to "
    "layer l + 1, so it has n_l + 1 rows and n_{l+1} columns, shape (n_l + 1, n_{l+1}), and "
    "a batch goes through as [1, a] @ θ.",
    "not_from_rng": "All randomness must come from the rng you are given (rng.normal(...)): "
    "np.random.* functions, np.random.seed or a new default_rng() make the weights differ "
    "from call to call and from the reference's.",
    "bias_dropped": 'Slide "Multilayer perceptron: Forward pass": every layer adds the constant '
    "input a_0 = 1, so z = [1, a] @ θ with row 0 of θ the biases; a @ θ[1:] drops the biases.",
    "init_draw_order": "Draw each layer with rng.normal(0.0, 1.0, size=(n_l + 1, n_{l+1})), "
    "in layer order, from the rng you are given.",
    "bias_last": "Row 0 of θ holds the bias weights θ_0j: the constant input a_0 = 1 goes in "
    "column 0 of [1, a].",
    "no_output_activation": "The slides apply g in every layer, the output layer included: "
    "a^(out) = g(z^(out)).",
    "activation_on_input": "activations[0] is the input X itself: g is applied to the "
    "pre-activations z, not to the inputs.",
    "missing_g_prime": "δ^out = ∂L/∂a · g'(z): multiply (a − y) by g'(z^out) (slide "
    f"'{SLIDES['update']}').",
    "sign_flipped": "Mind the sign: δ^out = (a − y) g', the derivative of ½(a − y)².",
    "hidden_missing_g_prime": "δ_j^(l) = Σ_k δ_k^(l+1) θ_jk^(l+1) g'(z_j^(l)): do not forget "
    "the factor g'.",
    "bias_row_propagated": "Row 0 of θ^(l+1) holds biases, which are not connected to layer "
    "l: propagate δ with θ^(l+1)[1:] only.",
    "wrong_bias_row_dropped": "Drop row 0 (the bias row) of θ^(l+1), not the last row.",
    "grad_sum_not_mean": "The loss is averaged over the batch, so the gradient is too: divide "
    "[1, a]ᵀ δ by N.",
    "grad_no_bias_row": "∂L/∂θ_0j = δ_j a_0 with a_0 = 1: the gradient has the bias row too, "
    "shape (n_prev + 1, n_next).",
    "grad_transposed": "∂L/∂θ_ij = δ_j a_i: the gradient is shaped like θ, "
    "(n_prev + 1, n_next), so [1, a]ᵀ δ, not δᵀ [1, a].",
    "backprop_wrong_activation": "∂L/∂θ_ij = δ_j a_i, with a_i the input of the weight: "
    "thetas[l] takes the gradient [1, activations[l]]ᵀ δ / N, not the layer's own output "
    "activations[l + 1].",
    "update_sign": "Gradient descent moves against the gradient: θ ← θ − η ∂L/∂θ.",
    "no_shuffle": "Slide 'Gradient Descent Algorithm': randomly shuffle the examples every "
    "epoch (one rng.permutation(N) per epoch).",
    "shuffle_once": "Draw a new permutation at the start of every epoch, not once for the "
    "whole training.",
    "shuffle_per_batch": "Draw one permutation per epoch and cut it into consecutive "
    "batches; do not draw a new one for every batch.",
    "drops_last_batch": "When batch_size does not divide N, the last batch is smaller: keep "
    "it, or those examples are never used.",
    "loss_before_epoch": "losses[e] is the loss after epoch e's updates, on the whole "
    "training set.",
    "loss_without_half": "The training loss is L = (1/N) Σ ½ ‖a − y‖², with the ½ of slide "
    f"'{SLIDES['forward']}'.",
    "losses_per_batch": "Record one loss per epoch, after the epoch's last update: losses has "
    "`epochs` entries, not one per batch.",
    "loss_of_batches": "Record the loss on the whole training set after each epoch, not an "
    "average of the batch losses.",
    "targets_not_permuted": "Shuffle inputs and targets together: index both X and y with the "
    "same batch of the permutation (X[batch], y[batch]), or each input is trained toward "
    "another instance's target.",
    "xor_wrong": "With step units: one hidden unit computes OR, the other AND; the output "
    "fires for OR and not AND. The bias θ_0j sets each unit's threshold.",
    "xor_not_trained": "train_xor must train: start from init_params with "
    "np.random.default_rng(seed) and run your sgd, so that each seed gives its own network. "
    "Weights written by hand belong in xor_step_network.",
    "xor_not_reproducible": "Take every random number from np.random.default_rng(seed) "
    "(initialisation and shuffling), never from np.random's global state: the same seed must "
    "give the same network.",
    "xor_not_learned": "Training did not separate XOR: try more hidden units, a larger η, "
    "or more epochs (and check your sgd first).",
}
