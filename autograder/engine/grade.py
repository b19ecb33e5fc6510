"""Grade submissions: run each check in the student's worker and judge it here.

``grade_submission`` grades one submission into a plain-data result (a dict that
``report.py`` turns into the CSV, Gradescope's results.json and the feedback).
``grade_all`` grades many, in ``jobs`` parallel grader processes; one submission's failure,
whatever it is, is that submission's ``grader_error`` result and never stops the others.
The same submission with the same config always gets the same result: inputs depend only on
the submission id and the course secret, and nothing time-dependent goes into the result.
"""

import dataclasses
import hashlib
import hmac
import io
import multiprocessing
import re
import resource
import signal
import sys
import time
import tokenize
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from .assignment import load
from .checks import ENGINE_HINTS, Verdict, verdict_only
from .runner import Outcome, WorkerSession, stop_on_signal
from .submissions import MAX_FILE_BYTES


def derive_seed(secret, submission_id):
    """A 63-bit seed from HMAC-SHA256(secret, id): unguessable without the secret."""
    digest = hmac.new(secret.encode(), submission_id.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def grade_submission(submission, assignment, config, sandbox):
    """Grade one ``Submission``; returns the result dict (see report.py for its use).

    Whatever goes wrong on the trusted side (a grader bug, a MemoryError) gives this
    submission a ``grader_error`` result with score 0 and ``staff_note`` saying what failed;
    the worker and its scratch folder are gone on every path out of here (Ctrl-C included).
    """
    started = time.monotonic()
    session = None
    try:
        if submission.file is not None:
            session = WorkerSession(
                sandbox,
                submission.file,
                assignment.functions,
                filename=assignment.filename,
                library=assignment.worker_source(),
            )
            session.launch()  # the worker imports NumPy while the checks are being built
        result = _grade(submission, assignment, config, sandbox, session, started)
    except Exception as error:  # noqa: BLE001 - one submission's failure is its own
        result = grader_error(submission, assignment, sandbox, error)
    finally:
        if session is not None:
            session.close()
    result["seconds"] = time.monotonic() - started  # kept out of reports: not deterministic
    result["grader_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # idem
    return result


def grader_error(submission, assignment, sandbox, error):
    """The result of a submission whose grading failed on the grader's side."""
    note = "".join(traceback.format_exception_only(type(error), error)).strip()
    return {
        "submission": submission.id,
        "identity": submission.identity,
        "source": submission.source,
        "assignment": assignment.name,
        "isolation": getattr(sandbox, "level", "?"),
        "max_score": _max_score(assignment),
        "status": "grader_error",
        "problem": GRADER_ERROR,
        "staff_note": note[:2000],
        "score": 0.0,
        "questions": [],
        "figures": [],
        "output": "",
    }


def _max_score(assignment):
    try:
        return float(sum(q.points for q in assignment.build(0)))
    except Exception:  # noqa: BLE001 - the build itself may be what failed
        return 0.0


GRADER_ERROR = (
    "the grader failed on this submission (a problem on the course's side, not necessarily "
    "in your file); the course staff will look at it"
)


def _grade(submission, assignment, config, sandbox, session, started):
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
    passing, helpers = {}, {}  # function -> every check of it so far passed; its helpers
    trusted = frozenset()  # trustworthy(passing, helpers), recomputed when they change
    for question in questions:
        checks, outcomes = [], {}
        if session is not None:
            run_together(session, question.checks, deadline, config, result, outcomes, trusted)
        for check in question.checks:
            verdict = run_check(session, check, deadline, config, result, outcomes, trusted)
            fn = check.call.fn
            before = (passing.get(fn), len(helpers.get(fn, ())))
            passing[fn] = passing.get(fn, True) and verdict.passed
            helpers.setdefault(fn, set()).update(check.call.proxies)
            if (passing[fn], len(helpers[fn])) != before:
                trusted = trustworthy(passing, helpers)
            checks.append(
                {
                    "name": check.name,
                    "weight": check.weight,
                    "gate": check.gate,
                    "passed": verdict.passed,
                    "message": verdict.message,
                    "mistake": verdict.mistake,
                    "hint": hint(assignment, verdict.mistake),
                }
                | ({"uses": list(check.uses)} if check.uses else {})
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
            error = session.import_failure.error or {}
            result["excerpt"] = source_line(submission.file, error.get("line"))
    root_causes(questions, result["questions"])
    result["score"] = round(sum(q["score"] for q in result["questions"]), 4)
    result["figures"] = assignment.figures(figure_data)
    return result


def root_causes(questions, summaries):
    """Mark each failed question that runs the student's own steps (``Question.uses``) with
    the steps that fail their own checks, in the order it uses them (``root_cause``); the same
    for each failed check that does (``Check.uses``), scored or not."""
    by_id = {q["id"]: q for q in summaries}
    lost = {q["id"] for q in summaries if q["score"] < q["points"] - 1e-9}
    for question in questions:
        summary = by_id[question.id]
        if question.uses:
            summary["uses"] = list(question.uses)
        if question.id in lost:
            failing = [step for step in question.uses if step in lost and step != question.id]
            if failing:
                summary["root_cause"] = failing
        for check in summary["checks"]:
            steps = [s for s in check.get("uses", ()) if s in lost and s != question.id]
            if steps and not check["passed"]:
                check["root_cause"] = steps


def hint(assignment, mistake):
    """The assignment's hint for ``mistake``, else the engine's, else none."""
    return assignment.hints.get(mistake) or ENGINE_HINTS.get(mistake, "")


def run_check(session, check, deadline, config, result, outcomes=None, trusted=frozenset()):
    """The verdict of one check. ``outcomes`` (one question's) keeps each call's outcome by
    the ``Call`` object: two checks of a question built on the same ``Call`` (two judges of
    one call, e.g. backprop's values and its gradient check) share one call of the student's
    code, each judge getting its own copy of the outcome.

    ``trusted``: the student's functions that have passed every check so far. A call with
    trusted helpers (among its proxies and the functions it passes by name) runs first with
    the student's own for those (the others still the grader's): no round trip to the grader
    for each of their calls. When the judge passes that outcome, it is the verdict; otherwise
    the call runs again as it is written, with the grader's helpers, and that verdict counts,
    so a helper's bug never costs the composite function's points (the point of proxies)."""
    if session is None:
        return Verdict(False, result["problem"], "missing_file")
    outcomes = {} if outcomes is None else outcomes
    own = own_helpers(check.call, trusted)
    if own:
        fast = _outcome(session, check, deadline, config, result, outcomes, own)
        if fast.kind == "ok":
            with verdict_only():  # a failing verdict here is thrown away: no diagnosis
                verdict = _judge(check, fast)
            if verdict.passed:
                return verdict
    return _judge(check, _outcome(session, check, deadline, config, result, outcomes))


def trustworthy(passing, helpers):
    """The functions that passed every check of theirs so far, and whose helpers (the ones
    their checks had the grader answer) are trustworthy too: backprop that passed with the
    grader's ``delta_hidden`` is not, when the student's ``delta_hidden`` fails."""
    trusted = {fn for fn, ok in passing.items() if ok}
    while True:
        kept = {fn for fn in trusted if helpers.get(fn, set()) <= trusted}
        if kept == trusted:
            return frozenset(kept)
        trusted = kept


def own_helpers(call, trusted):
    """The helpers of ``call`` that are ``trusted`` (the student's own may run for them)."""
    return tuple(sorted(call.helpers & trusted))


def _outcome(session, check, deadline, config, result, outcomes, own=()):
    """A copy of the outcome of ``check.call`` (with the student's ``own`` helpers, if
    given), run once per question."""
    key = (id(check.call), own)
    if key in outcomes:
        return outcomes[key][1].copy()
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        outcome = Outcome("not_run", detail="not run: this submission used up its time budget")
    else:
        call = _with_own(check.call, own)
        outcome = session.call(call, min(check.timeout * config.timeout_scale, remaining))
    _keep(outcomes, check.call, outcome, result, own)
    if remaining <= 0 and not own:
        result["hit_time_limit"] = True  # graded again alone before it costs points
    return outcome


def _with_own(call, own):
    """``call`` with the student's ``own`` helpers for those (the rest still the grader's)."""
    if not own:
        return call
    proxies = tuple(p for p in call.proxies if p not in own)
    return dataclasses.replace(call, proxies=proxies, own=own)


def _keep(outcomes, call, outcome, result, own=()):
    """Keep a copy of ``call``'s outcome for the question's other checks (the Call is kept
    beside it, so that its id stays its own); note what makes the submission worth a second
    grading (a wall-clock limit, a worker lost to something else)."""
    outcomes[(id(call), own)] = (call, outcome.copy())
    if own:  # a second try follows a failure here: nothing is lost to the clock
        return
    if outcome.kind == "timeout":
        result["hit_time_limit"] = True  # graded again alone before it costs points
    if outcome.disturbed:
        result["disturbed"] = True  # idem


def run_together(session, checks, deadline, config, result, outcomes, trusted=frozenset()):
    """Send a question's calls all at once (``WorkerSession.call_many``: the worker runs one
    after the other without waiting for us; each call keeps its own time limit and the
    submission's budget) and keep their outcomes for the checks. The calls with helpers come
    after those without, in their checks' order, each with the student's own for its
    ``trusted`` helpers, as ``run_check`` tries it first; the worker's helper requests are
    answered as each call runs. A call after one that cost the worker runs on its own."""
    plain, helped, seen = [], [], set()
    for check in checks:
        call = check.call
        if id(call) in seen:
            continue
        seen.add(id(call))
        (helped if call.helpers else plain).append((check, own_helpers(call, trusted)))
    chosen = plain + helped
    if len(chosen) < 2 or deadline <= time.monotonic():
        return
    calls = [_with_own(check.call, own) for check, own in chosen]
    timeouts = [check.timeout * config.timeout_scale for check, _ in chosen]
    for (check, own), outcome in zip(chosen, session.call_many(calls, timeouts, deadline)):
        _keep(outcomes, check.call, outcome, result, own)


def _judge(check, outcome):
    try:
        return check.judge(outcome)
    except Exception as error:  # a judge bug must not stop the class's grading
        return Verdict(False, f"internal grader error while judging: {type(error).__name__}")


def summarise(question, checks):
    total = sum(c["weight"] for c in checks)
    passed = sum(c["weight"] for c in checks if c["passed"])
    score = question.points * passed / total if total else 0.0
    if any(c["gate"] and not c["passed"] for c in checks):
        score = 0.0
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


def source_line(path, number, limit=160):
    """Line ``number`` (1-based) of the student's file, stripped and cut to ``limit``
    characters, for the message of a file that does not import; "" when there is none. The
    number comes from the worker: only an int within the file is used."""
    if path is None or type(number) is not int or number < 1:
        return ""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES)
    except OSError:
        return ""
    try:  # the file's own coding line (PEP 263), as Python read it
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        text = data.decode(encoding, errors="replace")
    except (SyntaxError, LookupError):
        text = data.decode("utf-8", errors="replace")
    lines = re.split(r"\r\n|\r|\n", text)  # Python's line ends only, not \f or \x85
    return lines[number - 1].strip()[:limit] if number <= len(lines) else ""


# --- many submissions ---

_STATE = {}
# A grading process's address space: beyond it an allocation raises MemoryError, which
# costs the submission being graded (a grader_error), not the class.
GRADER_MEMORY = 3 << 30


def _init(assignment_name, config, sandbox_factory):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > GRADER_MEMORY:
        resource.setrlimit(resource.RLIMIT_AS, (GRADER_MEMORY, hard))
    signal.signal(signal.SIGTERM, stop_on_signal)  # workers and scratch removed, then exit
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the main process stops us
    _STATE["assignment"] = load(assignment_name)
    _STATE["config"] = config
    _STATE["sandbox"] = sandbox_factory()
    if hasattr(_STATE["sandbox"], "close"):  # a warm worker ends with its grading process
        multiprocessing.util.Finalize(_STATE["sandbox"], _STATE["sandbox"].close, exitpriority=10)


def _grade_one(submission):
    return grade_submission(submission, _STATE["assignment"], _STATE["config"], _STATE["sandbox"])


def grade_all(submissions, assignment_name, config, sandbox_factory, jobs=1, progress=None):
    """Grade ``submissions`` in ``jobs`` grader processes; results in submission order.

    Student data is handled in the grader processes only, each under an address-space limit.
    A grader process that dies (killed, out of memory in C code) costs no one else: the
    submissions it may have held are graded again one at a time, each in a fresh process, and
    one that kills that process too gets a ``grader_error`` result.

    Determinism on a busy machine: a submission that hit a wall-clock limit (a call's timeout,
    the submission's budget), lost a worker with its warm worker (killed from outside) or got
    a ``grader_error`` is graded once more, alone, after the
    others, and that result is final; so another submission's load (say one that swaps the
    machine, or fills the disk until it is killed), or a passing load from outside, never
    costs an honest one.
    """
    progress = progress or (lambda done, total: None)
    # loaded here, before the grading processes are forked: they inherit it (and an unknown
    # assignment is reported before any process starts)
    load(assignment_name).worker_source()
    results = {}

    def done(result):
        results[result["submission"]] = result
        progress(len(results), len(submissions))

    args = (assignment_name, config, sandbox_factory)
    jobs = max(1, min(jobs, len(submissions)))
    pending = _run_pool(submissions, jobs, args, done)
    for submission in pending:  # alone, so that a dying process names its submission
        if not _run_pool([submission], 1, args, done):
            continue
        assignment = load(assignment_name)
        error = RuntimeError("the grading process died while grading this submission")
        done(grader_error(submission, assignment, None, error))
    again = [s for s in submissions if _disturbed(results[s.id]) and s not in pending]
    for submission in again:
        _run_pool([submission], 1, args, done)
    return [results[s.id] for s in submissions]


def _disturbed(result):
    """Whether the result may depend on what else ran at the same time."""
    return (
        result.get("hit_time_limit", False)
        or result.get("disturbed", False)
        or result["status"] == "grader_error"
    )


def _run_pool(submissions, jobs, args, done):
    """Grade in a pool of ``jobs`` processes; the submissions not graded when it broke."""
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_init, initargs=args)
    futures = {pool.submit(_grade_one, s): s for s in submissions}
    left = []
    try:
        for future in as_completed(futures):
            try:
                done(future.result())
            except BrokenProcessPool:
                left.append(futures[future])
    except BaseException:  # Ctrl-C, SIGTERM: stop the graders, which clean up after them
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [s for s in submissions if s in left]
