"""Grade a class in slices on several machines, then join the slices' outputs.

``python -m autograder grade DIR --shard K/N`` grades the submissions whose position in the
sorted list of submissions (the order of ``submissions.collect``: sorted entry names) is
``K-1`` modulo ``N``, so each slice is fixed by the folder alone and the slices are balanced.
Every grading output folder holds ``grading.json``: the full result dicts (timings left out)
with their positions, the slice and the options that shape the reports. ``merge`` checks that
the slices fit together (same ``N``, each slice once, same total, same questions, same
options, no submission twice) and writes the joined folder with the same writer as an
unsharded run, so the merged folder equals an unsharded run's byte for byte.
"""

import json
import re
from pathlib import Path

from . import lms, report

DATA_FILE = "grading.json"
FORMAT = 1
# not deterministic, or only the grader's own business
UNREPORTED = ("seconds", "worker_peak_kb", "grader_peak_kb", "hit_time_limit", "disturbed")


class MergeError(ValueError):
    """Shard outputs that do not fit together."""


def parse(spec):
    """``"K/N"`` -> (K, N) with 1 <= K <= N."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", spec or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ValueError(f"--shard wants K/N with 1 <= K <= N, not {spec!r}")
    return int(match[1]), int(match[2])


def select(items, k, n):
    """(position, item) of the items of slice ``k`` of ``n``."""
    return [(i, item) for i, item in enumerate(items) if i % n == k - 1]


def write_outputs(results, out, positions=None, shard=(1, 1), total=None, options=None):
    """grades.csv, results/, feedback/, the LMS files and grading.json under ``out``."""
    options = dict(options or {})
    out = Path(out)
    # as plain JSON data, exactly as ``merge`` reads them back
    results = json.loads(json.dumps([_reported(r) for r in results]))
    report.write_all(results, out, options.get("visibility", "after_published"))
    written = lms.write_gradebooks(
        results, out, options.get("assignment_column"), options.get("grade_column")
    )
    positions = list(range(len(results))) if positions is None else list(positions)
    data = {
        "format": FORMAT,
        "shard": list(shard),
        "total": len(results) if total is None else total,
        "options": options,
        "results": [{"position": p, **r} for p, r in zip(positions, results)],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    (out / DATA_FILE).write_text(text, encoding="utf-8")
    return written


def _reported(result):
    return {k: v for k, v in result.items() if k not in UNREPORTED}


def _questions(result):
    return [(q["id"], q["points"]) for q in result["questions"]]


def load(folder):
    path = Path(folder) / DATA_FILE
    if not path.is_file():
        raise MergeError(f"{folder} holds no {DATA_FILE} (not a grading output folder?)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise MergeError(f"{path}: unknown format {data.get('format')!r}")
    return data


def merge(folders, out):
    """Join the shard output ``folders`` into ``out``; raises MergeError when they do not fit.
    Returns the merged results in submission order."""
    if not folders:
        raise MergeError("nothing to merge")
    loaded = [(folder, load(folder)) for folder in folders]
    counts = {data["shard"][1] for _, data in loaded}
    if len(counts) != 1:
        raise MergeError(f"the folders come from different splits: N = {sorted(counts)}")
    n = counts.pop()
    slices = sorted(data["shard"][0] for _, data in loaded)
    if slices != list(range(1, n + 1)):
        raise MergeError(f"need slices 1..{n} once each, got {slices}")
    for key in ("total", "options"):
        values = {json.dumps(data[key], sort_keys=True) for _, data in loaded}
        if len(values) != 1:
            raise MergeError(f"the folders disagree on {key}: {sorted(values)}")
    total, options = loaded[0][1]["total"], loaded[0][1]["options"]
    by_position, by_id, questions = {}, {}, None
    for folder, data in loaded:
        for r in data["results"]:
            position = r.pop("position")
            if position in by_position or r["submission"] in by_id:
                raise MergeError(f"{r['submission']} (from {folder}) is in two folders")
            if questions is None:
                questions = _questions(r)
            elif _questions(r) != questions:
                raise MergeError(f"{folder}: {r['submission']} was graded on other questions")
            by_position[position] = by_id[r["submission"]] = r
    if sorted(by_position) != list(range(total)):
        raise MergeError(f"the folders hold {len(by_position)} of {total} submissions")
    results = [by_position[p] for p in range(total)]
    write_outputs(results, out, options=options)
    return results
