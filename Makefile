# The front door. `make demo` and `make test` set up everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv student notebook check demo test lint format bench clean

help:
	@echo "make demo      build the student template and run the reference through the checks"
	@echo "make test      lint, format check and the project's tests"
	@echo "make student   regenerate student_template/ from solutions/"
	@echo "make check     public checks against solutions/ (STUDENT=path/to/backprop.py to change)"
	@echo "make bench     timings of the reference"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python >= 3.10 needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

student: $(STAMP)
	$(PY) -m tools.strip solutions/backprop.py student_template/backprop.py

# Public checks: `make check` runs them on the reference, `make check STUDENT=path/to/backprop.py`
# on another file; a PASS/FAIL line per question, non-zero exit when a check fails.
STUDENT ?= solutions/backprop.py

check: $(STAMP)
	$(PY) -m tools.check $(STUDENT)

# Regenerate assignment/tests/ (otter test files) from assignment/public_cases.py + the reference.
.PHONY: public-checks
public-checks: $(STAMP)
	$(PY) -m tools.make_public_checks

# Rebuild the handout notebook assignment/backprop.ipynb from tools/make_notebook.py.
notebook: $(STAMP)
	$(PY) -m tools.make_notebook

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .

test: $(STAMP) lint
	$(PY) -m pytest

clean:
	rm -rf build
