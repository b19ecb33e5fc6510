"""``python -m autograder``: see ``autograder/cli.py``."""

import os
import sys

# One BLAS thread per process: graders run side by side (--jobs) and should not fight.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from autograder.cli import main  # noqa: E402

sys.exit(main())
