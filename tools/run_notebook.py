"""Execute an assignment's handout notebook the way a student has it, with a given file.

A folder with the notebook, ``tests/`` and the chosen file under the student's file name; the
kernel is this interpreter (the project's venv), through a kernelspec written into that
folder, so no user-wide Jupyter kernel is picked up by accident.

Usage: ``python -m tools.run_notebook STUDENT_FILE OUT.html [--assignment NAME]`` (``make demo``
runs it on each reference).
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools import assignments
from tools.make_notebook import notebook

KERNEL = "assignment-venv"
CellError = CellExecutionError


def kernel_manager(workdir):
    """A kernel manager for this interpreter, through a kernelspec written into ``workdir``."""
    spec = Path(workdir) / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "assignment venv", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def execute(paths, student, workdir, timeout=120):
    """Run the handout of ``paths`` beside ``student`` (copied under the student's file name)
    in ``workdir``. Returns the executed notebook; raises ``CellError`` if a cell fails."""
    work = Path(workdir) / "handout"
    work.mkdir(parents=True)
    nb = notebook(paths)
    if paths.tests.is_dir():
        shutil.copytree(paths.tests, work / "tests")
    shutil.copy(student, work / paths.filename)
    client = NotebookClient(
        nb,
        km=kernel_manager(workdir),
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute(cleanup_kc=True)  # nbclient keeps a kernel it did not start running
    return nb


def write_html(nb, out):
    """The executed notebook as a self-contained HTML page at ``out`` that also works offline:
    formulas as MathML, no script from the network, images with alt texts (``offline_math``)."""
    from tools.offline_math import offline_html

    html = offline_html(nb)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("student")
    parser.add_argument("out")
    assignments.add_argument(parser)
    args = parser.parse_args(argv)
    _, paths = assignments.chosen_or_exit(args.assignment)
    with tempfile.TemporaryDirectory() as workdir:
        nb = execute(paths, args.student, workdir)
    write_html(nb, args.out)
    print(f"executed the {paths.name} handout with {args.student}: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
