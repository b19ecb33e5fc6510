"""Grade submissions: run each check in the student's worker and judge it here.

``grade_submission`` grades one submission into a plain-data result (a dict that
``report.py`` turns into the CSV, Gradescope's results.json and the feedback).
``grade_all`` grades many, in ``jobs`` parallel grader processes. The same submission with
the same config always gets the same result: inputs depend only on the submission id and
the course secret, and nothing time-dependent goes into the result.
"""

import hashlib
import hmac
import multiprocessing
import sys
import time

from .checks import Verdict
from .runner import Outcome, WorkerSession


def derive_seed(secret, submission_id):
    """A 63-bit seed from HMAC-SHA256(secret, id): unguessable without the secret."""
    digest = hmac.new(secret.encode(), submission_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def grade_submission(submission, assignment, config, sandbox):
    """Grade one ``Submission``; returns the result dict (see report.py for its use)."""
    started = time.monotonic()
    session = None
    if submission.file is not None:
        session = WorkerSession(
            sandbox, submission.file, assignment.functions, filename=assignment.filename
        )
        session.launch()  # the worker imports NumPy while the checks are being built
    questions = assignment.build(derive_seed(config.secret, submission.id))
    result = {
        "submission": submission.id,
        "identity": submission.identity,
        "source": submission.source,
        "assignment": assignment.name,
        "isolation": sandbox.level,
        "max_score": float(sum(q.points for q in questions)),
        "status": "graded",
        "problem": "",
        "questions": [],
        "figures": [],
        "output": "",
    }
    if submission.file is None:
        result["status"], result["problem"] = "no_file", submission.problem
    deadline = started + config.submission_timeout
    figure_data = {}
    for question in questions:
        checks = []
        for check in question.checks:
            verdict = run_check(session, check, deadline, config, result)
            checks.append(
                {
                    "name": check.name,
                    "weight": check.weight,
                    "passed": verdict.passed,
                    "message": verdict.message,
                    "mistake": verdict.mistake,
                    "hint": assignment.hints.get(verdict.mistake, ""),
                }
            )
            if verdict.data:
                figure_data.setdefault(question.id, []).append(verdict.data)
        result["questions"].append(summarise(question, checks))
    if session is not None:
        result["output"] = session.output()
        result["worker_peak_kb"] = session.peak_kb  # kept out of reports, like "seconds"
        if session.import_failure is not None:
            result["status"] = "import_error"
            result["problem"] = import_problem(session.import_failure)
        session.close()
    result["score"] = round(sum(q["score"] for q in result["questions"]), 4)
    result["figures"] = assignment.figures(figure_data)
    result["seconds"] = time.monotonic() - started  # kept out of reports: not deterministic
    return result


def run_check(session, check, deadline, config, result):
    if session is None:
        return Verdict(False, result["problem"], "missing_file")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        outcome = Outcome("not_run", detail="not run: this submission used up its time budget")
    else:
        outcome = session.call(check.call, min(check.timeout * config.timeout_scale, remaining))
    try:
        return check.judge(outcome)
    except Exception as error:  # a judge bug must not stop the class's grading
        return Verdict(False, f"internal grader error while judging: {type(error).__name__}")


def summarise(question, checks):
    total = sum(c["weight"] for c in checks)
    passed = sum(c["weight"] for c in checks if c["passed"])
    score = question.points * passed / total if total else 0.0
    return {
        "id": question.id,
        "title": question.title,
        "slide": question.slide,
        "points": float(question.points),
        "score": round(score, 4),
        "checks": checks,
    }


def import_problem(outcome):
    error = outcome.error or {}
    if outcome.kind == "error":
        line = f" (line {error['line']})" if error.get("line") else ""
        if error.get("type") == "SystemExit":
            return (
                f"your file called sys.exit({error.get('message', '')}) while being imported{line}"
            )
        return f"{error.get('type', 'Error')}{line}: {error.get('message', '')}"
    return f"importing your file failed: {outcome.detail}"


# --- many submissions ---

_STATE = {}


def _init(assignment_name, config, sandbox_factory):
    from .assignment import load

    _STATE["assignment"] = load(assignment_name)
    _STATE["config"] = config
    _STATE["sandbox"] = sandbox_factory()


def _grade(submission):
    return grade_submission(submission, _STATE["assignment"], _STATE["config"], _STATE["sandbox"])


def grade_all(submissions, assignment_name, config, sandbox_factory, jobs=1, progress=None):
    """Grade ``submissions`` with ``jobs`` grader processes; results in submission order."""
    progress = progress or (lambda done, total: None)
    results = {}
    if jobs <= 1 or len(submissions) <= 1:
        _init(assignment_name, config, sandbox_factory)
        for i, submission in enumerate(submissions):
            results[submission.id] = _grade(submission)
            progress(i + 1, len(submissions))
    else:
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with context.Pool(jobs, _init, (assignment_name, config, sandbox_factory)) as pool:
            for i, result in enumerate(pool.imap_unordered(_grade, submissions, chunksize=1)):
                results[result["submission"]] = result
                progress(i + 1, len(submissions))
    return [results[s.id] for s in submissions]
