"""``python -m autograder``: see ``autograder/cli.py``."""

import sys

from autograder.cli import main  # the package sets one BLAS thread per process

sys.exit(main())
