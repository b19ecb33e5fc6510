# The front door. `make demo` and `make test` set up everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv student notebook check demo test lint format bench clean grade readme dist \
  public-checks new-assignment security mutants

# Which assignment a target works on: ASSIGNMENT=<name> (a folder of autograder/), by default
# the course's default assignment (`assignment` in autograder/config.toml).
ASSIGNMENT ?=
AS = $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

help:
	@echo "Every target below takes ASSIGNMENT=<name> (default: autograder/config.toml's)."
	@echo "make demo          build and check every assignment, grade the example submissions"
	@echo "make test          lint, format check and the project's tests"
	@echo "make grade SUBMISSIONS=dir [OUT=dir] [JOBS=n]   grade a class"
	@echo "make dist [CONFIG=f] build/dist/<name>/: student.zip, autograder.zip, solutions.zip"
	@echo "make new-assignment NAME=<name>   scaffold a new assignment that works at once"
	@echo "make student       regenerate student_template/<name>/ from solutions/<name>/"
	@echo "make public-checks regenerate assignment/<name>/tests/ from its public_cases.py"
	@echo "make notebook      build the handout from assignment/<name>/<name>.md and run it"
	@echo "make check         public checks on the reference (STUDENT=path/to/file.py to change)"
	@echo "make bench         timings of the reference and of grading"
	@echo "make mutants       mutation testing of the hidden battery: kill rate, survivors"
	@echo "make security      grade the exploit corpus, write the security table (docs/)"
	@echo "make readme        write the points tables into README.md"

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10) and "Python >= 3.10 needed")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

student: $(STAMP)
	$(PY) -m tools.strip --assignment $(ASSIGNMENT)

# Public checks: `make check` runs them on the reference, `make check STUDENT=path/to/file.py`
# on another file; a PASS/FAIL line per question, non-zero exit when a check fails.
STUDENT ?=

check: $(STAMP)
	$(PY) -m tools.check $(STUDENT) $(AS)

# Regenerate assignment/<name>/tests/ (otter test files) from public_cases.py + the reference.
public-checks: $(STAMP)
	$(PY) -m tools.make_public_checks $(AS)

# Build the handout notebook from assignment/<name>/<name>.md into build/<name>/, validate it
# and run it with the reference (build/<name>/<name>-reference.html).
notebook: $(STAMP)
	$(PY) -m tools.make_notebook $(AS)

# A new assignment that grades at once: solutions/, assignment/, autograder/, examples/.
NAME ?=
new-assignment: $(STAMP)
	@test -n "$(NAME)" || { echo "usage: make new-assignment NAME=<name>"; exit 2; }
	$(PY) -m tools.new_assignment $(NAME)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .

test: $(STAMP) lint
	$(PY) -m pytest

# Grade a folder of submissions (an LMS bulk download) or one submission.
SUBMISSIONS ?= examples/$(or $(ASSIGNMENT),backprop)/submissions
OUT ?= build/grades
JOBS ?= 2
GRADE_FLAGS ?=
grade: $(STAMP)
	$(PY) -m autograder grade $(SUBMISSIONS) --out $(OUT) --jobs $(JOBS) $(AS) $(GRADE_FLAGS)

# Every assignment: template, public checks on the reference, the handout run with the
# reference, and its example submissions graded into build/demo/<name>/.
ASSIGNMENTS = $(notdir $(patsubst %/__init__.py,%,$(wildcard autograder/*/__init__.py)))
ALL = $(filter-out engine gradescope,$(ASSIGNMENTS))
demo: $(STAMP)
	@why=$$($(PY) -c 'from autograder.engine.sandbox import choose; choose()' 2>&1) || \
	  { echo "note: the shipped examples are graded with --unsafe: $${why##*IsolationError: }"; \
	    unsafe=--unsafe; }; \
	for name in $(ALL); do \
	  $(PY) -m tools.strip --assignment $$name && \
	  $(PY) -m tools.check --assignment $$name && \
	  $(PY) -m tools.make_notebook --assignment $$name --out build/demo/$$name && \
	  { [ ! -d examples/$$name/submissions ] || \
	    $(PY) -m autograder grade examples/$$name/submissions --assignment $$name \
	      --out build/demo/$$name --jobs 2 $$unsafe $(DEMO_FLAGS); } || exit 1; \
	done
	@echo "Feedback for each example: build/demo/<assignment>/feedback/<id>.html"

# The exploit corpus (tests/exploits/) at every isolation level available here; writes the
# attack -> outcome table into docs/security.md. `make test` checks the table is there.
.PHONY: security
security: $(STAMP)
	$(PY) -m tools.security_report

# What the course hands out: build/dist/<name>/{student,autograder,solutions}.zip, reproducibly.
# CONFIG=path: the course's config (its secret goes into autograder.zip); default: the demo one.
CONFIG ?=
dist: $(STAMP)
	$(PY) -m tools.dist --out build/dist $(AS) $(if $(CONFIG),--config $(CONFIG))

# The README's points table, from the grader itself (a test fails when it is stale).
readme: $(STAMP)
	$(PY) -m tools.update_readme

# Mutation testing of the hidden battery: kill rate, survivors (ASSIGNMENT=name, default: all).
mutants: $(STAMP)
	@for name in $(or $(ASSIGNMENT),$(ALL)); do $(PY) -m tools.mutation --assignment $$name || exit 1; done

bench: $(STAMP)
	$(PY) bench/reference_speed.py
	$(PY) bench/overhead.py $(BENCH_FLAGS)
	$(PY) bench/grading_speed.py $(BENCH_FLAGS)
	$(PY) bench/versus_otter.py $(BENCH_FLAGS)

clean:
	rm -rf build
