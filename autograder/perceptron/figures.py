"""The feedback's figure, from plain data the ``train`` checks kept (drawn by the engine)."""

import numpy as np


def mistakes_of(value):
    """The student's mistakes per epoch, for the figure ({} unless a list of counts)."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        return {}
    counts = value[1]
    if isinstance(counts, np.ndarray) and counts.ndim == 1 and counts.dtype.kind in "if":
        counts = counts.tolist()
    numbers = (int, float, np.integer, np.floating)
    if not isinstance(counts, (list, tuple)) or not all(
        isinstance(c, numbers) and not isinstance(c, bool) for c in counts[:500]
    ):
        return {}
    try:
        series = [float(c) for c in counts[:500]]
    except OverflowError:  # an absurd count is no curve
        return {}
    return {"mistakes": series} if all(np.isfinite(series)) else {}


def figures(data):
    """The student's mistakes per epoch on the separable set of the ``train`` question."""
    curves = [d["mistakes"] for d in data.get("train", []) if d.get("mistakes")]
    if not curves:
        return []
    return [
        {
            "kind": "line",
            "title": "Your perceptron's mistakes per epoch (your train, separable data)",
            "xlabel": "epoch",
            "ylabel": "mistakes during the epoch",
            "series": curves[-1],
        }
    ]
