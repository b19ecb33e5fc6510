"""Command line of the grader; each verb wraps a documented function.

python -m autograder grade SUBMISSIONS [--assignment NAME] [--out DIR] [--jobs N] [--config FILE]
    [--lms auto|canvas|moodle|plain] [--shard K/N] [--assignment-column C] [--grade-column C]
python -m autograder merge OUT1 OUT2 ... --out DIR
python -m autograder report OUT
python -m autograder points [--assignment NAME]

grade and merge also write the class report, OUT/report.html and OUT/report.md; report rebuilds
them from OUT/grading.json (exit status 2 when it cannot be read).

Exit status of grade and merge: 0 when every result is ready, 2 on bad arguments (nothing
graded), 3 when results were written but some need a person (lines starting "attention:").
"""

import argparse
import os
import signal
import sys
import tempfile
import time
from functools import partial

from .engine import class_report, lms, report, shards, sinks
from .engine import config as config_module
from .engine.assignment import UnknownAssignment, load, module_name
from .engine.grade import grade_all
from .engine.sandbox import IsolationError, choose, make
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


# Exit status of `grade`: 0 all graded, 2 nothing graded (bad arguments), 3 graded, but some
# results need a person (a grader_error, an identity two entries claim); see the messages.
NEEDS_ATTENTION = 3


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # unwinds: graders stopped, scratch folders removed


def chosen_config(args):
    """The config, with the assignment of ``--assignment`` when given (which assignment is
    graded is the command's business; the config file holds the course's secret)."""
    config = config_module.load(args.config)
    if getattr(args, "assignment", None):
        config.assignment = module_name(args.assignment)
    return config


def cmd_grade(args):
    signal.signal(signal.SIGTERM, _terminated)
    config = chosen_config(args)
    try:
        assignment = load(config.assignment)
    except UnknownAssignment as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if config.demo_secret:
        print(
            "note: grading with the public demo secret (set `secret` in a --config file "
            "or AUTOGRADER_SECRET for a real course)",
            file=sys.stderr,
        )
    if not os.path.exists(args.submissions):
        print(f"error: {args.submissions} does not exist", file=sys.stderr)
        return 2
    try:
        secrets = [os.path.abspath(args.config)] if args.config else []
        chosen = choose(config.limits, unsafe=args.unsafe, secrets=secrets)
    except IsolationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"isolation: {chosen.level}", file=sys.stderr)
    if chosen.exposed:
        print(
            "warning: student code can read " + ", ".join(chosen.exposed) + "; make them "
            "unreadable to other users (chmod -R o-rwx) before grading a real class",
            file=sys.stderr,
        )
    try:
        shard = shards.parse(args.shard) if args.shard else (1, 1)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bp-grade-") as workdir:
        root = args.submissions
        if lms.is_download_zip(root):  # the zip of a whole Canvas or Moodle download
            root = lms.expand_download(root, os.path.join(workdir, "download"))
        identify, layout = lms.identifier(root, assignment.filename, args.lms)
        submissions = collect(root, assignment.filename, os.path.join(workdir, "files"), identify)
        if not submissions:
            print(f"error: no submissions found in {args.submissions}", file=sys.stderr)
            return 2
        total = len(submissions)
        selected = shards.select(submissions, *shard)
        positions, submissions = [p for p, _ in selected], [s for _, s in selected]
        started = time.monotonic()
        results = (
            grade_all(
                submissions,
                config.assignment,
                config,
                partial(make, chosen.level, config.limits),  # no probing per grader
                jobs=args.jobs,
                progress=progress_bar,
            )
            if submissions
            else []
        )
        seconds = time.monotonic() - started
    options = {
        "visibility": args.visibility,
        "assignment_column": args.assignment_column,
        "grade_column": args.grade_column,
    }
    written = shards.write_outputs(results, args.out, positions, shard, total, options)
    # each submission's own time (grade.py measures it; grading.json leaves it out), else the
    # run's wall time per submission
    timings = [r["seconds"] for r in results if "seconds" in r]
    per_submission = timings or (seconds / len(results) if results else None)
    class_report.write(results, args.out, per_submission)
    print(report.table(results))
    print()
    print(report.summary(results, seconds, args.jobs))
    if args.shard:
        print(f"Slice {shard[0]}/{shard[1]}: {len(results)} of {total} submissions.")
    files = ["grades.csv", "results/", "feedback/", *written, shards.DATA_FILE]
    files += [class_report.HTML_FILE, class_report.MARKDOWN_FILE]
    print(f"\nLayout: {layout}. Wrote " + ", ".join(f"{args.out}/{f}" for f in files))
    attention = staff_notes(results)
    for line in attention:
        print(line, file=sys.stderr)
    return NEEDS_ATTENTION if attention else 0


def staff_notes(results):
    """Lines for the staff about results that need a person: grading that failed, and LMS
    identities claimed by two entries (left out of the gradebook import)."""
    notes = [
        f"attention: {r['submission']}: grader_error: "
        + sinks.terminal(r.get("staff_note", ""), 300)
        for r in results
        if r["status"] == "grader_error"
    ]
    return notes + [f"attention: {sinks.terminal(m, 500)}" for m in lms.conflicts(results)]


def cmd_merge(args):
    try:
        results = shards.merge(args.folders, args.out)
    except shards.MergeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    class_report.write(results, args.out)
    print(report.summary(results))
    print(f"\nMerged {len(args.folders)} folders into {args.out}")
    attention = staff_notes(results)
    for line in attention:
        print(line, file=sys.stderr)
    return NEEDS_ATTENTION if attention else 0


def cmd_report(args):
    """Rebuild the class report of an output folder from its grading.json."""
    try:
        pages = class_report.build(shards.load(args.folder)["results"])
    except shards.MergeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        why = sinks.terminal(f"{type(error).__name__}: {error}", 200)
        print(f"error: {args.folder}/{shards.DATA_FILE} cannot be read: {why}", file=sys.stderr)
        return 2
    written = class_report.save(args.folder, *pages)
    print("Wrote " + ", ".join(str(path) for path in written))
    return 0


def cmd_points(args):
    config = chosen_config(args)
    questions = load(config.assignment).build(0)
    print("| question | points | scored checks | shown, not scored | slide |")
    print("|---|---|---|---|---|")
    for q in questions:
        scored = sum(c.weight > 0 for c in q.checks)
        print(f"| `{q.id}` | {q.points:g} | {scored} | {len(q.checks) - scored} | {q.slide} |")
    print(f"| **total** | **{sum(q.points for q in questions):g}** | | | |")
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
        "--assignment",
        help="the assignment to grade, e.g. backprop or perceptron (default: the config's)",
    )
    grade.add_argument(
        "--visibility",
        default="after_published",
        choices=report.VISIBILITIES,
        help="Gradescope visibility of the per-question results",
    )
    grade.add_argument(
        "--lms", default="auto", choices=lms.LAYOUTS, help="naming of the submissions"
    )
    grade.add_argument(
        "--unsafe",
        action="store_true",
        help="allow the process level (student code as your own user) when neither bubblewrap "
        "nor root (for a dedicated uid) is available",
    )
    grade.add_argument("--shard", help="grade only slice K of N (K/N); join with `merge`")
    grade.add_argument(
        "--assignment-column",
        default=None,
        help=f"column of {lms.CANVAS_FILE}, Canvas's name of the assignment "
        "(default: '<Assignment> (<max score>)', e.g. 'Backprop (50)')",
    )
    grade.add_argument(
        "--grade-column",
        default=lms.DEFAULT_GRADE_COLUMN,
        help=f"grade column of {lms.MOODLE_FILE}",
    )
    grade.set_defaults(run=cmd_grade)
    merge = verbs.add_parser("merge", help="join the output folders of `grade --shard`")
    merge.add_argument("folders", nargs="+", help="output folders of the slices")
    merge.add_argument("--out", required=True, help="the joined output folder")
    merge.set_defaults(run=cmd_merge)
    rebuild = verbs.add_parser(
        "report", help="rebuild report.html and report.md from OUT/grading.json"
    )
    rebuild.add_argument("folder", help="an output folder of `grade` or `merge`")
    rebuild.set_defaults(run=cmd_report)
    points = verbs.add_parser("points", help="print the table of questions and points")
    points.add_argument("--config")
    points.add_argument("--assignment", help="e.g. backprop or perceptron")
    points.set_defaults(run=cmd_points)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)
