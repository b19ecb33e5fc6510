"""Execute the handout notebook the way a student has it, with a given ``backprop.py``.

A folder with ``backprop.ipynb``, ``tests/`` and the chosen file as ``backprop.py``; the
kernel is this interpreter (the project's venv), through a kernelspec written into that
folder, so no user-wide Jupyter kernel is picked up by accident.

Usage: ``python -m tools.run_notebook BACKPROP_PY OUT.html`` (``make demo`` runs it on the
reference).
"""

import json
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "assignment" / "backprop.ipynb"
PUBLIC_TESTS = ROOT / "assignment" / "tests"
KERNEL = "backprop-venv"


def kernel_manager(workdir):
    """A kernel manager for this interpreter, through a kernelspec written into ``workdir``."""
    spec = Path(workdir) / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "backprop venv", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel))
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def execute(student, workdir, timeout=120):
    """Run the notebook beside ``student`` (copied as backprop.py) in ``workdir``.

    Returns the executed notebook; raises nbclient's CellExecutionError if a cell fails.
    """
    work = Path(workdir) / "handout"
    work.mkdir(parents=True)
    shutil.copy(NOTEBOOK, work / "backprop.ipynb")
    shutil.copytree(PUBLIC_TESTS, work / "tests")
    shutil.copy(student, work / "backprop.py")
    nb = nbformat.read(work / "backprop.ipynb", as_version=4)
    client = NotebookClient(
        nb,
        km=kernel_manager(workdir),
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute(cleanup_kc=True)  # nbclient keeps a kernel it did not start running
    return nb


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m tools.run_notebook BACKPROP_PY OUT.html", file=sys.stderr)
        return 2
    from nbconvert import HTMLExporter

    with tempfile.TemporaryDirectory() as workdir:
        nb = execute(args[0], workdir)
    html, _ = HTMLExporter().from_notebook_node(nb)
    out = Path(args[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    print(f"executed the handout notebook with {args[0]}: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
