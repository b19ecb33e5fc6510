"""What is graded, for how many points, and what to tell a student about known mistakes.

This table is the one place points are set; README.md shows it (``python -m autograder
points`` prints it). Question ids match the public checks (``assignment/backprop/tests/<id>.py``).
"""

# id, title, points, slide
TABLE = [
    ("step", "step activation φ", 1, "A Multilayer Perceptron for XOR"),
    ("sigmoid", "sigmoid σ and its derivative", 2, "Chain rule"),
    ("tanh", "tanh and its derivative", 1, "Chain rule"),
    ("identity", "identity and its derivative", 1, "Chain rule"),
    ("mse", "mean squared error", 2, "Loss Functions"),
    ("binary_cross_entropy", "binary cross-entropy", 2, "Loss Functions"),
    ("categorical_cross_entropy", "categorical cross-entropy", 2, "Loss Functions"),
    ("numerical_derivative", "numerical derivative", 2, "Derivative"),
    ("numerical_gradient", "numerical gradient", 3, "Gradient"),
    ("init_params", "parameter initialisation", 2, "Backpropagation Algorithm"),
    ("forward", "forward pass", 4, "Multilayer perceptron: Forward pass"),
    ("predict", "prediction", 1, "Multilayer perceptron: Forward pass"),
    ("delta_output", "error of the output layer δ^out", 3, "Multilayer perceptron: Update weights"),
    ("delta_hidden", "error of a hidden layer δ^(l)", 4, "Backpropagation: error of hidden layer"),
    ("weight_gradient", "weight gradient ∂L/∂θ", 3, "Backpropagation: Demo"),
    ("backprop", "backpropagation", 5, "Backpropagation Algorithm"),
    ("update", "update all parameters at once", 2, "Backpropagation Algorithm"),
    ("sgd", "stochastic gradient descent", 5, "Gradient Descent Algorithm"),
    ("xor_step_network", "hand-set XOR network", 2, "A Multilayer Perceptron for XOR"),
    ("train_xor", "training XOR", 3, "A Multilayer Perceptron for XOR"),
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
    # network
    "backprop_z_index": 'Slide "Backpropagation: error of hidden layer": δ^(l) = '
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
    "curve_differs": "This curve comes from your sgd with your own backprop, update, predict "
    "and mse (the other sgd checks get the grader's). If those checks pass, one of your helpers "
    "differs from the slides: fix the one that fails its own checks first.",
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
    "missing_g_prime": "δ^out = ∂L/∂a · g'(z): multiply (a − y) by g'(z^out) (slide 'Update "
    "weights').",
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
    "'Multilayer perceptron: Loss'.",
    "loss_of_batches": "Record the loss on the whole training set after each epoch, not an "
    "average of the batch losses.",
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
