"""Where one submission's grading time goes: the floor (the student's own calls) and the rest.

For a correct submission (the reference, as a student would hand it in), at the isolation
level the grader would choose, medians of ``--repeat`` runs:

- floor: the CPU of every call the hidden battery makes, run directly in one plain Python
  process that has already imported the file (no worker, no wire, no judging);
- worker start-up: a sandboxed worker started cold (sandbox, Python, NumPy, the file), and
  one forked from the warm worker (warm.py: the file only), until it is ready;
- round trip: one call of a trivial function through the worker and back;
- per submission, grading ``--class-size`` copies one after the other in one grading process
  (one grading process's share of a class; its warm worker's start-up is shared by them):
  trusted CPU (what the grading process spends: building inputs and expected values,
  encoding, decoding, judging, reports' data), the workers' CPU, the total, total / floor
  (each run's class next to a floor measured just before it, so that the machine's drift
  between them stays small; the median of those ratios).

``make bench`` runs it; figures, not assertions (the machine is shared and noisy).
"""

import argparse
import importlib.util
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.engine import config as config_module  # noqa: E402
from autograder.engine.assignment import load  # noqa: E402
from autograder.engine.grade import grade_submission  # noqa: E402
from autograder.engine.public import live_value  # noqa: E402
from autograder.engine.runner import Call, WorkerSession  # noqa: E402
from autograder.engine.sandbox import choose, make  # noqa: E402
from autograder.engine.submissions import collect  # noqa: E402
from autograder.engine.warm import Child, WarmWorker  # noqa: E402

# isort: split
import numpy as np  # noqa: E402  (after autograder, which sets one BLAS thread)

REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"


TICK = os.sysconf("SC_CLK_TCK")
WORKERS = {"cpu": 0.0}  # CPU seconds of the workers, noted as each one is closed


def tree_cpu(pid):
    """CPU seconds of process ``pid`` and its descendants, those they have reaped included,
    from /proc (bubblewrap's worker is not a waited-for child of ours, so getrusage would
    miss it)."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = sum(int(f) for f in fields[11:15]) / TICK  # utime stime cutime cstime
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += [c for c, parent in parents.items() if parent == current]
    return total


def _noting_close(close):
    def noted(self):
        # a forked worker's CPU is its warm worker's (reaped children's CPU is the parent's)
        alive = self.process is not None and self.process.poll() is None
        if alive and not isinstance(self.process, Child):
            WORKERS["cpu"] += tree_cpu(self.process.pid)
        close(self)

    return noted


WorkerSession.close = _noting_close(WorkerSession.close)
WarmWorker.close = _noting_close(WarmWorker.close)


def cpu_self():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_children():
    """CPU of the workers closed so far."""
    return WORKERS["cpu"]


def floor(assignment, module, seed):
    """CPU seconds of the battery's calls made directly on ``module`` (no worker)."""
    questions = assignment.build(seed)
    start = time.process_time()
    for question in questions:
        seen = set()  # checks sharing a Call share one call of the student's code
        for check in question.checks:
            call = check.call
            function = getattr(module, call.fn, None)
            if function is None or id(call) in seen:
                continue
            seen.add(id(call))
            args = [live_value(a, assignment.functions) for a in call.args]
            kwargs = {k: live_value(v, assignment.functions) for k, v in call.kwargs.items()}
            with np.errstate(all="ignore"):
                try:
                    function(*args, **kwargs)
                except Exception:  # noqa: BLE001, S110 - a failing call costs what it costs
                    pass
    return time.process_time() - start


def start_up(sandbox, student, assignment):
    """Wall and CPU seconds to start a worker until it is ready (then closed)."""
    children, wall = cpu_children(), time.perf_counter()
    session = WorkerSession(sandbox, student, assignment.functions, filename=assignment.filename)
    session.start()
    wall = time.perf_counter() - wall
    process = session.process
    session.close()
    if isinstance(process, Child):  # reaped by the warm worker, which knows its CPU
        return wall, process.cpu
    return wall, cpu_children() - children


def round_trips(sandbox, student, assignment, n=200):
    """Median wall seconds of one trivial call, and the CPU of a call (both sides)."""
    session = WorkerSession(sandbox, student, assignment.functions, filename=assignment.filename)
    session.start()
    z = np.zeros((2, 3))
    walls = []
    own, children = cpu_self(), cpu_children()
    for _ in range(n):
        start = time.perf_counter()
        session.call(Call("identity", (z,)), 2.0)
        walls.append(time.perf_counter() - start)
    own = cpu_self() - own
    process = session.process
    session.close()
    children = process.cpu if isinstance(process, Child) else cpu_children() - children
    _, start_cpu = start_up(sandbox, student, assignment)
    return statistics.median(walls), (own + max(0.0, children - start_cpu)) / n


def one_class(submission, assignment, config, level, n):
    """Per submission, grading ``n`` copies of ``submission`` in a row with a new sandbox
    (its warm worker started for them): (median wall, trusted CPU, workers' CPU)."""
    sandbox = make(level, config.limits)
    own, children, walls = cpu_self(), cpu_children(), []
    for _ in range(n):
        wall = time.perf_counter()
        grade_submission(submission, assignment, config, sandbox)
        walls.append(time.perf_counter() - wall)
    own = cpu_self() - own
    sandbox.close()
    return statistics.median(walls), own / n, (cpu_children() - children) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--class-size", type=int, default=30, help="submissions graded in a row (default 30)"
    )
    parser.add_argument("--unsafe", action="store_true", help="allow the weakest isolation")
    args, _ = parser.parse_known_args()  # BENCH_FLAGS go to every benchmark
    config = config_module.load()
    assignment = load("backprop")
    level = choose(config.limits, unsafe=args.unsafe).level
    cold = make(level, config.limits, warm=False)
    warm = make(level, config.limits)
    with tempfile.TemporaryDirectory(prefix="bp-overhead-") as work:
        work = Path(work)
        (work / "subs").mkdir()
        (work / "subs" / "student.py").write_text(REFERENCE.read_text(encoding="utf-8"))
        (submission,) = collect(work / "subs", assignment.filename, work / "files")
        spec = importlib.util.spec_from_file_location("bench_student", submission.file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        starts = [start_up(cold, submission.file, assignment) for _ in range(args.repeat)]
        start_up(warm, submission.file, assignment)  # the warm worker itself starts here
        forks = [start_up(warm, submission.file, assignment) for _ in range(args.repeat)]
        trip_wall, trip_cpu = round_trips(warm, submission.file, assignment)
        warm.close()
        floors, classes = [], []
        for seed in range(args.repeat):  # side by side: a floor, then a class, in turn
            floors.append(floor(assignment, module, seed))
            classes.append(one_class(submission, assignment, config, level, args.class_size))
    calls = sum(len({id(c.call) for c in q.checks}) for q in assignment.build(0))
    base = statistics.median(floors)
    trusted = statistics.median(c[1] for c in classes)
    workers = statistics.median(c[2] for c in classes)
    total = statistics.median(c[1] + c[2] for c in classes)
    print(
        f"Where one submission's time goes: isolation {level}, medians of {args.repeat} runs "
        f"({args.class_size} submissions in a row per run for the per-submission figures)."
    )
    print(f"  floor, the student's own calls in a plain process: {base:.3f} s CPU")
    for name, found in (("cold (sandbox, Python, NumPy, the file)", starts), ("forked", forks)):
        print(
            f"  worker start-up, {name}: {statistics.median(s[0] for s in found):.3f} s wall, "
            f"{statistics.median(s[1] for s in found):.3f} s CPU"
        )
    print(
        f"  one round trip (a trivial call): {1000 * trip_wall:.2f} ms wall, "
        f"{1000 * trip_cpu:.2f} ms CPU; the battery makes {calls} calls, and helpers more"
    )
    print(f"  trusted CPU per submission (build, encode, decode, judge): {trusted:.3f} s")
    print(f"  workers' CPU per submission (warm worker's start-up shared): {workers:.3f} s")
    wall = statistics.median(c[0] for c in classes)
    print(f"  total CPU per submission: {total:.3f} s, wall {wall:.3f} s")
    ratios = [(c[1] + c[2]) / f for c, f in zip(classes, floors)]
    print(
        f"  total / floor: x{statistics.median(ratios):.2f} (median of each run's ratio, its "
        f"floor measured just before it; runs x{min(ratios):.2f} to x{max(ratios):.2f}; "
        f"ratio of the medians x{total / base:.2f})"
    )


if __name__ == "__main__":
    main()
