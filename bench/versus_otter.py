"""Side by side in one run: ``otter run`` and our grader on the same mixed class.

Each class (``--sizes``, default 12 and 60) holds correct submissions and submissions with one
mistake each. Otter grades them with the backprop public checks (``assignment/backprop/tests``,
49 cases, packed by ``otter generate``), one ``otter run`` per submission, ``--jobs`` at a time;
ours grades them with the whole hidden battery (135 checks) at the isolation level the grader
would choose, ``--jobs`` graders, with warm workers (the default) and with cold ones. Printed:
wall seconds of each and the ratios. ``make bench``
runs it; figures, not assertions (the machine is shared and noisy).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.engine import config as config_module  # noqa: E402
from autograder.engine.grade import grade_all  # noqa: E402
from autograder.engine.sandbox import choose, make  # noqa: E402
from autograder.engine.submissions import collect  # noqa: E402

REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
OTTER = Path(sys.executable).with_name("otter")

# one mistake each: (old, new) in the reference
MISTAKES = [
    (">= 0.0, 1.0, 0.0)", "> 0.0, 1.0, 0.0)"),
    ("return 1.0 - t * t", "return 1.0 - t"),
    ("/ diff.shape[0])", "/ diff.size)"),
    ("(f(x + h) - f(x - h)) / (2.0 * h))", "(f(x + h) - f(x)) / h)"),
    ("order = rng.permutation(n)", "order = np.arange(n)"),
    ("@ theta_next[1:].T) * g_prime(z)", "@ theta_next[:-1].T) * g_prime(z)"),
    ("return with_bias(a_prev).T @ delta / delta.shape[0]", "return with_bias(a_prev).T @ delta"),
    ("theta - eta * grad", "theta + eta * grad"),
]


def make_class(folder, n):
    """n submissions: every third correct, the others one mistake each, in turn."""
    source = REFERENCE.read_text(encoding="utf-8")
    for i in range(n):
        text = source
        if i % 3:
            old, new = MISTAKES[i % len(MISTAKES)]
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (folder / f"student{i:03d}.py").write_text(text, encoding="utf-8")


def otter_zip(work):
    tests = work / "tests"
    shutil.copytree(ROOT / "assignment" / "backprop" / "tests", tests)
    path = work / "autograder.zip"
    command = [str(OTTER), "generate", "-t", str(tests), "-o", str(path)]
    command += ["--no-requirements", "--no-environment", "--no-config"]
    subprocess.run(command, cwd=work, check=True, capture_output=True)
    return path


def otter_class(folder, archive, jobs):
    """Wall seconds of ``otter run`` on every submission of ``folder``, ``jobs`` at a time."""

    def one(path):
        with tempfile.TemporaryDirectory(prefix="otter-run-") as work:
            work = Path(work)
            shutil.copy(path, work / "backprop.py")
            (work / "out").mkdir()
            command = [str(OTTER), "run", "-a", str(archive), "-o", str(work / "out")]
            command += ["--no-logo", str(work / "backprop.py")]
            subprocess.run(command, cwd=work, check=True, capture_output=True)
            return (work / "out" / "results.json").is_file()

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        done = list(pool.map(one, sorted(folder.glob("*.py"))))
    assert all(done)
    return time.perf_counter() - start


def our_class(folder, jobs, config, factory):
    with tempfile.TemporaryDirectory(prefix="ours-") as work:
        subs = collect(folder, "backprop.py", work)
        start = time.perf_counter()
        results = grade_all(subs, "backprop", config, factory, jobs=jobs)
        wall = time.perf_counter() - start
    assert all(r["status"] == "graded" for r in results)
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="12,60", help="class sizes, comma-separated")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--unsafe", action="store_true", help="allow the weakest isolation")
    args, _ = parser.parse_known_args()  # BENCH_FLAGS go to every benchmark
    if not OTTER.is_file():
        print(f"otter is not installed beside {sys.executable}: no comparison")
        return
    config = config_module.load()
    level = choose(config.limits, unsafe=args.unsafe).level

    def factory():
        return make(level, config.limits)

    def cold_factory():
        return make(level, config.limits, warm=False)

    print(
        f"otter run (public checks) against ours (whole battery, isolation {level}), "
        f"{args.jobs} at a time, the same submissions; ours with workers forked from a warm "
        "worker (the default) and started cold:"
    )
    print(f"{'class':>6} {'otter s':>9} {'ours s':>8} {'ratio':>7} {'cold s':>8} {'ratio':>7}")
    with tempfile.TemporaryDirectory(prefix="bp-versus-") as work:
        work = Path(work)
        archive = otter_zip(work)
        for n in [int(size) for size in args.sizes.split(",")]:
            folder = work / f"class{n}"
            folder.mkdir()
            make_class(folder, n)
            ours = our_class(folder, args.jobs, config, factory)
            cold = our_class(folder, args.jobs, config, cold_factory)
            theirs = otter_class(folder, archive, args.jobs)
            print(
                f"{n:6d} {theirs:9.1f} {ours:8.2f} {theirs / ours:6.1f}x "
                f"{cold:8.2f} {theirs / cold:6.1f}x"
            )


if __name__ == "__main__":
    main()
