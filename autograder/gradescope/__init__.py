"""Gradescope: setup.sh, run_autograder and the Python side of run_autograder (run.py)."""
