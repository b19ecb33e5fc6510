"""How long the reference takes for one backprop, one sgd epoch and train_xor.

Medians of repeated runs, printed; not a test. ``make bench`` runs it.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from autograder.backprop.reference import ref  # noqa: E402


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    rng = np.random.default_rng(0)
    sizes, n = [64, 128, 64, 10], 256
    thetas = ref.init_params(sizes, rng)
    X, y = rng.normal(size=(n, sizes[0])), rng.uniform(size=(n, sizes[-1]))
    rows = [
        (
            f"backprop, {'-'.join(map(str, sizes))} network, batch of {n}",
            median_seconds(lambda: ref.backprop(thetas, X, y), 50),
        ),
        (
            f"sgd, one epoch of N={n}, batch_size=32 (8 updates)",
            median_seconds(lambda: ref.sgd(thetas, X, y, 0.1, 1, 32, np.random.default_rng(1)), 20),
        ),
        (
            "sgd, one XOR epoch (2-8-1, batch of 4)",
            median_seconds(
                lambda: ref.sgd(
                    ref.init_params([2, 8, 1], rng),
                    ref.XOR_X,
                    ref.XOR_Y,
                    4.0,
                    1,
                    4,
                    np.random.default_rng(1),
                ),
                200,
            ),
        ),
        ("train_xor(seed), 250 epochs", median_seconds(lambda: ref.train_xor(7), 10)),
    ]
    print("Reference solution timings (median):")
    for name, seconds in rows:
        print(f"  {name:55} {seconds * 1e3:9.3f} ms")


if __name__ == "__main__":
    main()
