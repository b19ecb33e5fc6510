"""Grade the exploit corpus (tests/exploits/) at each isolation level; table: docs/security.md.

python -m tools.security_report            # every level available here, table into the doc
python -m tools.security_report --print    # print the table only

``run_corpus`` is shared with tests/test_security.py: it grades every exploit together with
the reference and a copy of it under another id (jobs=2) and reports scores, files changed
outside the output folder, processes left behind, connections received and leaked secrets.
"""

import argparse
import hashlib
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from autograder.engine import config as config_module
from autograder.engine import sandbox, shards, sinks
from autograder.engine.grade import grade_all
from autograder.engine.submissions import collect

ROOT = Path(__file__).resolve().parents[1]
EXPLOITS = ROOT / "tests" / "exploits"
REFERENCE = ROOT / "solutions" / "backprop" / "backprop.py"
DOC = ROOT / "docs" / "security.md"  # the security table is written here, between its markers
START, END = "<!-- security-table:start -->", "<!-- security-table:end -->"
HONEST = ("reference", "honest_copy")
SECRET = "harness-secret-0d6f1c2e"
CANARY = "CANARY-4b1d9e"
MARKER = "BPEXPLOIT"
# Not run at the process level: there the worker reads and writes what the grader can, so
# these would read the project or damage the developer's files (see docs/security.md).
PROCESS_SKIP = ("read_disk", "steal_secret", "fake_output", "write_outside", "socket_loopback")


def exploits():
    return sorted(p for p in EXPLOITS.glob("*.py") if not p.name.startswith("_"))


def what_it_tries(path):
    first = path.read_text().split('"""')[1]
    return " ".join(first.replace("ATTACK:", "").split()).rstrip(".")


def system_pythons():
    """The system's interpreters of this Python's version (outside root's home, say)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    found = []
    for folder in ("/usr/bin", "/usr/local/bin"):
        path = Path(folder) / f"python{version}"
        if path.exists() and path.resolve() not in [p.resolve() for p in found]:
            found.append(path)
    return found


def _private_folder(path):
    """True when ``path`` is a real folder of ours that nobody else may write to."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def user_venv(system, packages):
    """A venv made from ``system`` (a system interpreter, outside private folders) that sees
    ``packages`` (the project's site-packages), under the temporary folder, owned by us and
    writable by nobody else (the grader runs it as root). One per (interpreter, packages) so
    that two checkouts on one machine do not share it; made once, then reused."""
    key = hashlib.sha256(f"{system.resolve()}\n{packages}".encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"autograder-user-python-{os.geteuid()}-{key}"
    if (folder / "bin" / "python").exists() and _private_folder(folder):
        return folder / "bin" / "python"
    if os.path.lexists(folder) and not _private_folder(folder):  # someone else's: never used
        folder = Path(tempfile.mkdtemp(prefix="autograder-user-python-"))
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(folder)], check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (folder / "lib" / version / "site-packages" / "project.pth").write_text(f"{packages}\n")
    for path in [folder, *folder.rglob("*")]:  # readable by the grading uid, whatever the umask
        if not path.is_symlink():
            mode = stat.S_IMODE(path.stat().st_mode)
            os.chmod(path, mode | (0o555 if path.is_dir() else 0o444))
    return folder / "bin" / "python"


def user_python():
    """A Python with NumPy that a grading uid can run, or None (user level not possible).

    The project's interpreter, when the grading uid can run it; otherwise (say it lives
    under /root) a venv made from the system Python of the same version, outside any private
    folder, that sees the project's site-packages (``user_venv``)."""
    if sandbox.user_works(sys.executable)[0]:
        return sys.executable
    if os.geteuid() != 0:
        return None
    import numpy

    packages = Path(numpy.__file__).resolve().parents[1]
    for system in system_pythons():
        try:
            python = str(user_venv(system, packages))
        except (OSError, subprocess.CalledProcessError):
            continue  # no venv module for it, say: the user level is then not tested
        if sandbox.user_works(python)[0]:
            return python
    return None


def why_no_user_python():
    """Why ``user_python`` found nothing, in words."""
    why = sandbox.user_works(sys.executable)[1]
    if os.geteuid() != 0:
        return why
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return (
        f"{why}; no /usr/bin/{version} or /usr/local/bin/{version} that the grading uid can "
        "run with the project's NumPy either"
    )


def levels_here():
    """{level: (python or None, why not)} for this machine."""
    found = {}
    ok, why = sandbox.bwrap_works()
    found["bwrap"] = (sys.executable if ok else None, why)
    python = user_python()
    why = "" if python else why_no_user_python()
    found["user"] = (python, why)
    found["process"] = (sys.executable, "")
    return found


def _hashes(*roots):
    out = {}
    for root in roots:
        root = Path(root)
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" not in path.parts:
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _sandbox_processes(scratch):
    """pids of processes that belong to this run's workers: their scratch folders (under
    ``scratch``) or the exploits' marker in their command line or working folder."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                cwd = ""
        except OSError:
            continue
        if scratch.encode() in cmdline or MARKER.encode() in cmdline or cwd.startswith(scratch):
            found.append(int(pid))
    return found


class Listener:
    """A TCP port on 127.0.0.1 counting the connections it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.count, self.stop = 0, False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def _what_happened(result):
    if result["status"] != "graded":
        return f"{result['status']}: {sinks.md_cell(result['problem'], 70)}"
    messages = [c["message"] for q in result["questions"] for c in q["checks"] if c["message"]]
    kinds = []
    for words, kind in (
        (("too long", "no answer within", "time budget"), "timeout"),
        (("killed", "memory", "MemoryError"), "memory limit"),
        (("not a valid answer", "not plain data", "cannot be sent"), "refused non-data"),
        (("NotImplementedError", "not implemented"), "not implemented"),
        (("stopped answering", "crashed", "exited"), "worker died"),
    ):
        if any(any(w in m for w in words) for m in messages):
            kinds.append(kind)
    return ", ".join(kinds) or (sinks.md_cell(messages[0], 70) if messages else "graded")


def run_corpus(level, python=None, names=None, timeout=4.0, jobs=2):
    """Grade the corpus (``names`` of exploits, default all) at ``level``; a dict with
    ``results`` (by id), ``rows`` (the table), ``changed`` (files changed outside the output
    folder), ``left`` (processes left), ``connections``, ``seconds``."""
    python = python or sys.executable
    chosen = [p for p in exploits() if names is None or p.stem in names]
    for stale in Path(tempfile.gettempdir()).glob(f"{MARKER}-*"):
        stale.unlink()
    scratch = tempfile.mkdtemp(prefix="bp-security-scratch-")
    os.chmod(scratch, 0o711)  # the grading uid reaches its own folder, lists nothing
    with tempfile.TemporaryDirectory(prefix="bp-security-") as base:
        base = Path(base)
        (base / "canary.txt").write_text(CANARY)
        subs = base / "subs"
        subs.mkdir()
        for path in chosen:
            (subs / path.name).write_text(path.read_text())
        for name in HONEST:
            (subs / f"{name}.py").write_text(REFERENCE.read_text())
        watched = [ROOT / "solutions", ROOT / "autograder", base / "canary.txt", subs]
        before = _hashes(*watched)
        listing = sorted(p.name for p in base.iterdir())
        saved = os.environ.get("AUTOGRADER_SECRET")
        os.environ["AUTOGRADER_SECRET"] = SECRET
        listener = Listener()
        try:
            config = config_module.load()
            config.submission_timeout = timeout
            config.timeout_scale = 4.0  # honest work is never cut short by the attackers' load
            submissions = collect(subs, "backprop.py", base / "work")
            factory = partial(sandbox.make, level, config.limits, python, scratch)
            started = time.monotonic()
            results = grade_all(submissions, config.assignment, config, factory, jobs=jobs)
            seconds = time.monotonic() - started
            shards.write_outputs(results, base / "out", options={"visibility": "visible"})
        finally:
            listener.close()
            if saved is None:
                os.environ.pop("AUTOGRADER_SECRET", None)
            else:
                os.environ["AUTOGRADER_SECRET"] = saved
        left = _sandbox_processes(scratch)
        for _ in range(100):  # a killed process may take a moment to be reaped (loaded machine)
            if not left:
                break
            time.sleep(0.1)
            left = _sandbox_processes(scratch)
        scratch_left = os.listdir(scratch)
        shutil.rmtree(scratch, ignore_errors=True)
        after = _hashes(*watched)
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        new = sorted(set(p.name for p in base.iterdir()) - set(listing) - {"work", "out"})
        changed += [str(base / n) for n in new]
        changed += [str(p) for p in Path(tempfile.gettempdir()).glob(f"{MARKER}-*")]
        csv_text = (base / "out" / "grades.csv").read_text()
        outputs = {
            str(p.relative_to(base / "out")): p.stat().st_size
            for p in (base / "out").rglob("*")
            if p.is_file()
        }
    by_id = {r["submission"]: r for r in results}
    rows = []
    for path in chosen:
        result = by_id[path.stem]
        leaked = SECRET in result["output"] or CANARY in result["output"]
        rows.append(
            {
                "attack": path.stem,
                "tries": what_it_tries(path),
                "level": level,
                "score": result["score"],
                "happened": _what_happened(result) + ("; LEAKED a secret" if leaked else ""),
                "leaked": leaked,
            }
        )
    return {
        "results": by_id,
        "rows": rows,
        "changed": changed,
        "left": left,
        "connections": listener.count,
        "seconds": seconds,
        "outputs": outputs,  # file name -> bytes, everything the run wrote
        "grader_peak_kb": max(r.get("grader_peak_kb", 0) for r in results),
        "csv": csv_text,
        "level": level,
        "scratch_left": scratch_left,
    }


def table(runs):
    lines = [
        "| attack | what it tries | isolation | score | what happened |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        left = "no process left" if not run["left"] else f"{len(run['left'])} PROCESSES LEFT"
        shown = ", ".join(f"`{c}`" for c in run["changed"][:2])
        files = f"changed: {shown}" if run["changed"] else "no file changed"
        for row in run["rows"]:
            happened = f"{row['happened']}; {left}; {files}"
            lines.append(
                f"| `{row['attack']}` | {row['tries']} | {row['level']} | "
                f"{row['score']:g} | {happened} |"
            )
        honest = [run["results"][h]["score"] for h in HONEST]
        lines.append(
            f"| (honest) | the reference and a copy under another id | {run['level']} | "
            f"{' and '.join(f'{s:g}' for s in honest)} | full marks kept |"
        )
    return "\n".join(lines)


def write_table(text, doc=DOC):
    content = doc.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in content and END in content:
        content = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda m: block, content,
                         flags=re.S)  # fmt: skip
    else:
        content = content.rstrip("\n") + f"\n\n## Exploit corpus\n\n{block}\n"
    doc.write_text(content)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--print", action="store_true", help="print, do not edit docs/security.md")
    args = parser.parse_args(argv)
    runs = []
    for level, (python, why) in levels_here().items():
        if python is None:
            print(f"{level}: not available here ({why})", file=sys.stderr)
            continue
        names = None
        if level == "process":
            names = [p.stem for p in exploits() if p.stem not in PROCESS_SKIP]
        run = run_corpus(level, python, names)
        largest = max(size for name, size in run["outputs"].items() if name != "grading.json")
        print(
            f"{level}: {len(run['rows'])} attacks in {run['seconds']:.1f} s; grading processes' "
            f"peak {run['grader_peak_kb'] / 1024:.0f} MB; largest output file "
            f"{largest / 1024:.0f} KB; grading.json {run['outputs']['grading.json'] / 1024:.0f} KB",
            file=sys.stderr,
        )
        runs.append(run)
    text = table(runs)
    if args.print:
        print(text)
    else:
        write_table(text)
        print(f"wrote the table into {DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
