"""Pictures for the feedback, from plain data the checks kept (drawn by the engine)."""

from .reference import ref
from .xor import GRID


def figures(data):
    """``data`` maps a question id to the ``data`` dicts of its checks, in order."""
    out = []
    curves = [d["losses"] for d in data.get("sgd", []) if d.get("losses")]
    if curves:
        out.append(
            {
                "kind": "line",
                "title": "Your training loss on XOR (your sgd, 2-4-1 sigmoid network, η = 2)",
                "xlabel": "epoch",
                "ylabel": "L = (1/N) Σ ½‖a − y‖²",
                "series": curves[-1],
            }
        )
    for d in data.get("train_xor", []):
        if d.get("grid"):
            out.append(
                {
                    "kind": "heatmap",
                    "title": f"Decision boundary of your train_xor({d['seed']}) network",
                    "axis": GRID.tolist(),
                    "legend": "blue: output > 0.5, orange: < 0.5; circles: the XOR inputs "
                    "and their labels",
                    "grid": d["grid"],
                    "points": [
                        [x[0], x[1], int(t[0])]
                        for x, t in zip(ref.XOR_X.tolist(), ref.XOR_Y.tolist())
                    ],
                }
            )
            break
    return out
