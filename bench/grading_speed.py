"""Grading throughput: the whole hidden battery on many submissions, with 1 and 2 jobs.

Prints submissions per second, the per-submission median, CPU utilisation of the machine's
cores, the workers' peak memory, and how the cost grows with the number of submissions.
``make bench`` runs it; ``--n`` sets the class size. Not a test: figures, not assertions.
"""

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.engine import config as config_module  # noqa: E402
from autograder.engine.grade import grade_all  # noqa: E402
from autograder.engine.sandbox import choose, make  # noqa: E402
from autograder.engine.submissions import collect  # noqa: E402

REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
TEMPLATE = ROOT / "student_template" / "backprop" / "backprop.py"


def make_class(folder, n):
    """n submissions: mostly correct, some with a mistake, some untouched templates."""
    source = REFERENCE.read_text()
    variants = [
        source,
        source,
        source.replace(">= 0.0, 1.0", "> 0.0, 1.0"),
        source.replace("order = rng.permutation(n)", "order = np.arange(n)"),
        TEMPLATE.read_text(),
    ]
    for i in range(n):
        (folder / f"student{i:03d}.py").write_text(variants[i % len(variants)])


def busy_and_total():
    """Jiffies the machine's cores spent busy, and in all, from /proc/stat.

    Machine-wide (workers inside bubblewrap are not our waited-for children, so our own
    rusage would miss them); other load on the machine counts too.
    """
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def run(folder, jobs, sandbox_factory, config):
    with tempfile.TemporaryDirectory() as work:
        subs = collect(folder, "backprop.py", work)
        busy0, total0 = busy_and_total()
        start = time.perf_counter()
        results = grade_all(subs, config.assignment, config, sandbox_factory, jobs=jobs)
        wall = time.perf_counter() - start
        busy1, total1 = busy_and_total()
    return results, wall, (busy1 - busy0) / max(1, total1 - total0)


def otter_style(n):
    """Seconds per submission the way otter grades: a fresh Jupyter kernel per submission,
    the checks run inside it (here only the public checks, fewer than the hidden battery)."""
    import nbformat
    from nbclient import NotebookClient

    from autograder.backprop.reference import public
    from tools.run_notebook import kernel_manager

    cells = [
        "import otter\ngrader = otter.Notebook(tests_dir='tests')",
        "from backprop import *",
        "\n".join(f"grader.check({q!r})" for q in public.QUESTIONS),
    ]
    times = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            shutil.copytree(ROOT / "assignment" / "backprop" / "tests", work / "tests")
            shutil.copy(REFERENCE, work / "backprop.py")
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
            manager = kernel_manager(work)
            start = time.perf_counter()
            NotebookClient(nb, km=manager, resources={"metadata": {"path": str(work)}}).execute()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40, help="submissions in the big class")
    parser.add_argument("--unsafe", action="store_true", help="allow the weakest isolation")
    parser.add_argument(
        "--baseline",
        type=int,
        default=5,
        help="submissions graded the otter way for comparison (0: skip)",
    )
    args, _ = parser.parse_known_args()  # BENCH_FLAGS go to every benchmark
    config = config_module.load()
    level = choose(config.limits, unsafe=args.unsafe).level

    def factory():
        return make(level, config.limits)

    cores = os.cpu_count() or 1
    print(f"Grading benchmark: isolation {level}, {cores} cores, whole hidden battery.")
    print(
        f"{'class':>6} {'jobs':>4} {'wall s':>8} {'subs/s':>7} {'s/sub':>6} "
        f"{'median':>7} {'cpu %':>6} {'peak MB':>8}"
    )
    rows = {}
    for n, jobs in [(10, 1), (10, 2), (args.n, 2)]:
        folder = Path(tempfile.mkdtemp(prefix="bp-bench-"))
        try:
            make_class(folder, n)
            results, wall, utilisation = run(folder, jobs, factory, config)
        finally:
            shutil.rmtree(folder)
        median = statistics.median(r["seconds"] for r in results)
        peak = max(r.get("worker_peak_kb", 0) for r in results) / 1024
        rows[(n, jobs)] = wall / n
        print(
            f"{n:6d} {jobs:4d} {wall:8.2f} {n / wall:7.2f} {wall / n:6.3f} {median:7.3f} "
            f"{100 * utilisation:6.0f} {peak:8.1f}"
        )
    ratio = rows[(args.n, 2)] / rows[(10, 2)]
    print(f"Cost per submission, {args.n} vs 10 submissions (2 jobs): x{ratio:.2f} (1.0 = linear)")
    print(f"Speed-up of 2 jobs over 1: x{rows[(10, 1)] / rows[(10, 2)]:.2f}")
    if args.baseline:
        base = otter_style(args.baseline)
        ours = rows[(args.n, 2)]
        print(
            f"Otter-style baseline (fresh kernel per submission, public checks only, "
            f"1 job): {base:.2f} s per submission, median of {args.baseline}"
        )
        print(
            f"Ratio, otter-style 1 job / ours with 2 jobs: x{base / ours:.1f} "
            f"(per core: x{base / (ours * 2):.1f})"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of the grading (trusted) process: {own:.0f} MB")
    print("median = per-submission grading time inside one grader (start to last check);")
    print("cpu % = busy share of all cores during the run, machine-wide.")


if __name__ == "__main__":
    main()
