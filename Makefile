# The front door. `make demo` and `make test` set up everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv student notebook check demo test lint format bench clean grade readme dist

help:
	@echo "make demo          build everything, run the reference through the checks and the"
	@echo "                   notebook, grade the example submissions"
	@echo "make test          lint, format check and the project's tests"
	@echo "make grade SUBMISSIONS=dir [OUT=dir] [JOBS=n] [ASSIGNMENT=name]   grade a class"
	@echo "make dist [CONFIG=f] build/dist/: student.zip, autograder.zip (Gradescope), solutions.zip"
	@echo "make student       regenerate student_template/ from solutions/"
	@echo "make public-checks regenerate assignment/tests/ from assignment/public_cases.py"
	@echo "make notebook      rebuild assignment/backprop.ipynb"
	@echo "make check         public checks on solutions/ (STUDENT=path/to/backprop.py to change)"
	@echo "make bench         timings of the reference and of grading"
	@echo "make security      grade the exploit corpus, write the README's security table"
	@echo "make readme        write the points table into README.md"

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

# Grade a folder of submissions (an LMS bulk download) or one submission.
SUBMISSIONS ?= examples/submissions
OUT ?= build/grades
JOBS ?= 2
GRADE_FLAGS ?=
grade: $(STAMP)
	$(PY) -m autograder grade $(SUBMISSIONS) --out $(OUT) --jobs $(JOBS) \
	  $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT)) $(GRADE_FLAGS)

demo: student check
	$(PY) -m tools.run_notebook solutions/backprop.py build/demo/backprop-reference.html
	@why=$$($(PY) -c 'from autograder.engine.sandbox import choose; choose()' 2>&1) || \
	  { echo "note: the shipped examples are graded with --unsafe: $${why##*IsolationError: }"; \
	    unsafe=--unsafe; }; \
	$(PY) -m autograder grade examples/submissions --out build/demo/grades --jobs 2 $$unsafe $(DEMO_FLAGS) && \
	$(PY) -m autograder grade examples/perceptron --assignment perceptron \
	  --out build/demo/perceptron --jobs 2 $$unsafe $(DEMO_FLAGS)
	@echo "Feedback for each example: build/demo/grades/feedback/<id>.html (backprop),"
	@echo "build/demo/perceptron/feedback/<id>.html (perceptron)"

# The exploit corpus (tests/exploits/) at every isolation level available here; writes the
# attack -> outcome table into README.md (Security). `make test` checks the table is there.
.PHONY: security
security: $(STAMP)
	$(PY) -m tools.security_report

# What the course hands out: build/dist/{student,autograder,solutions}.zip, reproducibly.
# CONFIG=path: the course's config (its secret goes into autograder.zip); default: the demo one.
CONFIG ?=
dist: $(STAMP)
	$(PY) -m tools.dist --out build/dist $(if $(CONFIG),--config $(CONFIG))

# The README's points table, from the grader itself (a test fails when it is stale).
readme: $(STAMP)
	$(PY) -m tools.update_readme

bench: $(STAMP)
	$(PY) bench/reference_speed.py
	$(PY) bench/grading_speed.py $(BENCH_FLAGS)

clean:
	rm -rf build
