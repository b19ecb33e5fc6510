"""Command line of the grader; each verb wraps a documented function.

python -m autograder grade SUBMISSIONS [--out DIR] [--jobs N] [--config FILE]
python -m autograder points
"""

import argparse
import os
import sys
import tempfile
import time
from functools import partial

from .engine import config as config_module
from .engine import report
from .engine.assignment import load
from .engine.grade import grade_all
from .engine.sandbox import choose
from .engine.submissions import collect


def progress_bar(done, total, stream=sys.stderr):
    if not stream.isatty() and done != total:
        return
    width = 30
    filled = int(width * done / total)
    stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        stream.write("\n")
    stream.flush()


def make_sandbox(limits, unsafe=False):
    return choose(limits, unsafe=unsafe)


def cmd_grade(args):
    config = config_module.load(args.config)
    assignment = load(config.assignment)
    if config.demo_secret:
        print(
            "note: grading with the public demo secret (set `secret` in a --config file "
            "or AUTOGRADER_SECRET for a real course)",
            file=sys.stderr,
        )
    if not os.path.exists(args.submissions):
        print(f"error: {args.submissions} does not exist", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bp-grade-") as workdir:
        submissions = collect(args.submissions, assignment.filename, workdir)
        if not submissions:
            print(f"error: no submissions found in {args.submissions}", file=sys.stderr)
            return 2
        started = time.monotonic()
        results = grade_all(
            submissions,
            config.assignment,
            config,
            partial(make_sandbox, config.limits),
            jobs=args.jobs,
            progress=progress_bar,
        )
        seconds = time.monotonic() - started
    report.write_all(results, args.out, args.visibility)
    print(report.table(results))
    print()
    print(report.summary(results, seconds, args.jobs))
    print(f"\nWrote {args.out}/grades.csv, {args.out}/results/, {args.out}/feedback/")
    return 0


def cmd_points(args):
    config = config_module.load(args.config)
    questions = load(config.assignment).build(0)
    print("| question | points | checks | slide |\n|---|---|---|---|")
    for q in questions:
        print(f"| `{q.id}` | {q.points:g} | {len(q.checks)} | {q.slide} |")
    print(f"| **total** | **{sum(q.points for q in questions):g}** | | |")
    return 0


def parser():
    top = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n")[0])
    verbs = top.add_subparsers(dest="verb", required=True)
    grade = verbs.add_parser("grade", help="grade a folder of submissions (or one submission)")
    grade.add_argument("submissions", help="folder of <id>.py, <id>/ or <id>.zip; or one of those")
    grade.add_argument("--out", default="build/grades", help="output folder (default build/grades)")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel graders")
    grade.add_argument("--config", help="a TOML file overriding autograder/config.toml")
    grade.add_argument(
        "--visibility",
        default="after_published",
        choices=report.VISIBILITIES,
        help="Gradescope visibility of the per-question results",
    )
    grade.set_defaults(run=cmd_grade)
    points = verbs.add_parser("points", help="print the table of questions and points")
    points.add_argument("--config")
    points.set_defaults(run=cmd_points)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)
