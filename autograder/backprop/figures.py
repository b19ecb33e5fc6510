"""Pictures for the feedback, from the data the checks kept (drawn by the engine)."""

from .reference import ref
from .xor import CURVE_ETA, GRID, boundary


def figures(data):
    """``data`` maps a question id to the ``data`` dicts of its checks, in order."""
    out = []
    curves = [d for d in data.get("sgd", []) if d.get("losses")]
    if curves:
        last = curves[-1]
        out.append(
            {
                "kind": "line",
                "title": f"Training loss on XOR: your sgd with your helpers, and the "
                f"reference's, from the same initialisation (2-8-1 sigmoid network, η = "
                f"{CURVE_ETA:g}, full batches)",
                "xlabel": "epoch",
                "ylabel": "losses[e] returned by sgd",
                "curves": [
                    ("yours: the losses your sgd returned", last["losses"]),
                    ("the reference's: L = (1/N) Σ ½‖a − y‖² after each epoch", last["reference"]),
                ],
            }
        )
    trained = [d for d in data.get("train_xor", []) if d.get("network") is not None]
    failing = [d for d in trained if not separates(d.get("outputs", []))]
    for d in (failing or trained)[:1]:
        verdict = "fails on" if failing else "separates"
        out.append(
            {
                "kind": "heatmap",
                "title": f"Decision boundary of your train_xor({d['seed']}) network, which "
                f"{verdict} XOR",
                "axis": GRID.tolist(),
                "legend": "red: output > 0.5 (class 1), blue: < 0.5 (class 0), as in the "
                "handout; circles: the XOR inputs with their labels, a thick ring where your "
                "network gets the label wrong",
                "grid": boundary(d["network"]),
                "points": [
                    [x[0], x[1], int(t[0])] for x, t in zip(ref.XOR_X.tolist(), ref.XOR_Y.tolist())
                ],
            }
        )
    return out


def separates(outputs):
    """The network's outputs on the XOR inputs are > 0.5 exactly where XOR is 1."""
    targets = ref.XOR_Y.ravel().tolist()
    return len(outputs) == len(targets) and all(
        (o > 0.5) == (t == 1) for o, t in zip(outputs, targets)
    )
