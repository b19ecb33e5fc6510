"""The grader: the engine (``autograder.engine``) and one grading package per assignment."""

import os

# One BLAS thread per process, set before anything here imports NumPy: grading processes run
# side by side (--jobs), and a BLAS thread pool in each would spin on the cores they share.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
