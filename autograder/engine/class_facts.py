"""The class report's figures: which submissions were really graded, the score distribution,
pass rates per question and check, and the commonest misconceptions, from the result dicts as
``grading.json`` keeps them (``class_report.py`` draws them as report.html and report.md)."""

import re
from collections import Counter

# Mistake keys that say what happened, not which misconception: left out of the list.
GENERIC = frozenset(
    {"", "exception", "timeout", "crashed", "invalid", "not_implemented", "missing_function"}
)
BLANK = frozenset({"not_implemented", "missing_function"})
APART = {  # why a submission is left out of the figures -> (what the report calls it, why)
    "blank": ("Blank", "nothing implemented: every function still raises NotImplementedError"),
    "import_error": ("Did not import", "each one's feedback names the error"),
    "no_file": ("No file", "no file with the assignment's name was found"),
    "grader_error": ("Grader error", "the grader failed: the staff must look at it"),
}
MAX_MISCONCEPTIONS = 10
BINS = 10
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)")


def kind(result):
    """``"graded"`` for a submission counted in the figures, else why it is listed apart."""
    if result["status"] != "graded":
        return result["status"]
    keys = {
        c.get("mistake") or "" for q in result["questions"] for c in q["checks"] if not c["passed"]
    }
    return "blank" if result["score"] == 0 and keys and keys <= BLANK else "graded"


def histogram(scores, max_score, bins=BINS):
    """``(counts, edges)``: how many scores fall in each of ``bins`` equal parts of
    [0, max_score], the last one closed."""
    edges = [round(max_score * k / bins, 6) for k in range(bins + 1)]
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, max(0, int(bins * s / max_score))) if max_score else 0] += 1
    return counts, edges


def _scored(check):
    return check["weight"] > 0 and not check["name"].startswith("public:")


def _shown(numbers, differ, i):
    """The ``i``-th number of a check's name: "…" where it differs between students."""
    return "" if i >= len(numbers) else "…" if i in differ else numbers[i]


def check_rates(qid, graded):
    """The scored checks of question ``qid`` over the ``graded`` results, hardest first:
    ``[(label, passed, total)]``. A check is known by its place among the checks whose names
    differ only in numbers (the inputs drawn for each student); numbers that differ between
    students show as "…"."""
    groups = {}
    for r in graded:
        question = next((q for q in r["questions"] if q["id"] == qid), None)
        seen = Counter()
        for check in question["checks"] if question else ():
            if not _scored(check):
                continue
            parts = _NUMBER.split(check["name"])
            shape = tuple(parts[0::2])
            seen[shape] += 1
            group = groups.setdefault((shape, seen[shape]), [parts[1::2], set(), 0, 0])
            group[1].update(i for i, n in enumerate(parts[1::2]) if n != group[0][i])
            group[2] += bool(check["passed"])
            group[3] += 1
    labels = [
        "".join(text + _shown(numbers, differ, i) for i, text in enumerate(shape))
        for (shape, _), (numbers, differ, _, _) in groups.items()
    ]
    twins, seen = Counter(labels), Counter()
    rows = []
    for order, (label, (_, _, passed, total)) in enumerate(zip(labels, groups.values())):
        seen[label] += 1
        if twins[label] > 1:  # the same check on inputs drawn for each student
            label += f" ({seen[label]} of {twins[label]})"
        rows.append((passed / total, order, (label, passed, total)))
    return [row for *_, row in sorted(rows)]


def misconceptions(graded):
    """Known mistakes by the number of submissions that make them (a submission counts once
    per key): ``[(key, hint, questions, ids)]``, the commonest first, generic keys left out.
    As in the feedback (``report.question_view``), how the values relate (``relation_*``) only
    counts in a question where no mistake is named, and a question or check whose failure a
    failing step it runs explains (``root_cause``) counts for that step only."""
    found = {}
    for r in graded:
        keys = {}
        for q in r["questions"]:
            if q.get("root_cause"):  # explained by a step it runs: counted there
                continue
            failing = [c for c in q["checks"] if not c["passed"] and not c.get("root_cause")]
            named = [c for c in failing if not (c.get("mistake") or "").startswith("relation_")]
            for c in named if any(c.get("mistake") not in GENERIC for c in named) else failing:
                key = c.get("mistake") or ""
                if key in GENERIC:
                    continue
                entry = found.setdefault(key, [c.get("hint") or "", [], []])
                entry[0] = entry[0] or c.get("hint") or ""
                if q["id"] not in entry[1]:
                    entry[1].append(q["id"])
                keys[key] = True
        for key in keys:
            found[key][2].append(r["submission"])
    ranked = sorted(found.items(), key=lambda item: (-len(item[1][2]), item[0]))
    return [(key, hint, questions, ids) for key, (hint, questions, ids) in ranked]


def facts(results):
    """Everything the report shows, as plain data."""
    graded, apart = [], {}
    for r in results:
        why = kind(r)
        if why == "graded":
            graded.append(r)
        else:
            apart.setdefault(why, []).append(r["submission"])
    max_score = max((r["max_score"] for r in results), default=0.0)
    scores = [r["score"] for r in graded]
    questions = []
    first = next((r for r in graded or results if r["questions"]), None)
    for q in first["questions"] if first else ():
        got = [
            next((x["score"] for x in r["questions"] if x["id"] == q["id"]), 0.0) for r in graded
        ]
        full = sum(g >= q["points"] - 1e-9 for g in got)
        mean = sum(got) / len(got) if got else None
        questions.append((q, mean, full, check_rates(q["id"], graded)))
    return {
        "assignment": results[0]["assignment"] if results else "?",
        "count": len(results),
        "graded": graded,
        "apart": {k: apart[k] for k in sorted(apart, key=lambda k: (k not in APART, k))},
        "max_score": max_score,
        "scores": scores,
        "histogram": histogram(scores, max_score),
        "questions": questions,
        "misconceptions": misconceptions(graded),
    }
