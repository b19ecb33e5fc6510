"""Mutation testing of an assignment's hidden battery: does it catch small wrong versions of
the reference? (``make mutants [ASSIGNMENT=name]``)

Every mutant is the reference with one small change inside a solution block (between
``# BEGIN SOLUTION`` and ``# END SOLUTION``, the code students write), made on its syntax tree
by one of these operators:

- ``arith``: an arithmetic operator swapped (``+``/``-``, ``*``/``/``, ``@`` to ``*``);
- ``compare``: a comparison changed (``>=`` to ``>``, ``<`` to ``<=``, ``==`` to ``!=``, ...);
- ``constant``: a number changed (``c`` to ``c + 1``);
- ``transpose``: a ``.T`` dropped;
- ``index``: an integer index or slice bound shifted by one, or a slice bound dropped;
- ``axis``: an ``axis=`` argument changed (``k`` to ``None``, ``None``... to ``0``);
- ``copy``: a copy removed (``x.copy()`` to ``x``, ``copy=True`` to ``copy=False``);
- ``branch``: the two branches of ``np.where``/``a if c else b`` swapped, an ``if`` negated;
- ``sign``: a unary minus dropped;
- ``reduce``: ``np.sum`` and ``np.mean`` swapped;
- ``statement``: one statement of a loop or function body removed (replaced by ``pass``).

Each mutant is graded like a submission (process isolation: mutants are the project's own
code) with the demo secret. It is killed when it scores below full marks. A survivor is either
equivalent to the reference (no input the contract allows tells them apart) and then listed,
with the reason, in ``autograder/<name>/equivalent_mutants.txt``, or a gap in the battery.

The report gives the kill rate, the survivors, how the feedback of the killed mutants explains
them (a known mistake named, only a relation described, nothing), and the scored checks that
kill no mutant on their own (candidates to drop: they cost grading time).
"""

import argparse
import ast
import copy
import dataclasses
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tools import assignments

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"


@dataclasses.dataclass(frozen=True)
class Mutant:
    operator: str
    function: str
    before: str  # the changed expression or statement, as source
    after: str
    source: str  # the whole mutated module

    @property
    def key(self):
        """A stable name: function, operator and the change (no line numbers)."""
        return f"{self.function}: {self.operator}: {self.before} -> {self.after}"


def solution_lines(text):
    """The line numbers (1-based) inside solution blocks."""
    lines, inside = set(), False
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.strip()
        if marker == BEGIN:
            inside = True
        elif marker == END:
            inside = False
        elif inside:
            lines.add(number)
    return lines


def _parents(tree):
    found = {}
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        found[id(item)] = (node, field, index)
            elif isinstance(value, ast.AST):
                found[id(value)] = (node, field, None)
    return found


def _replace(parents, node, new):
    parent, field, index = parents[id(node)]
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new


def _is_number(node):
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
    )


def _call_name(node):
    """``np.sum`` for ``np.sum(...)``, ``x.copy`` -> ``.copy``."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    if isinstance(func, ast.Attribute):
        base = func.value.id if isinstance(func.value, ast.Name) else ""
        return f"{base}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else ""


ARITH = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
ARITH[ast.MatMult] = ast.Mult
COMPARE = {
    ast.GtE: ast.Gt,
    ast.Gt: ast.GtE,
    ast.LtE: ast.Lt,
    ast.Lt: ast.LtE,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
REDUCE = {"np.sum": "mean", "np.mean": "sum"}


def changes(node, parents):
    """``[(operator, apply)]``: the mutations of one node; ``apply()`` changes it in place."""
    found = []
    if isinstance(node, ast.BinOp) and type(node.op) in ARITH:
        found.append(("arith", lambda: setattr(node, "op", ARITH[type(node.op)]())))
    if isinstance(node, ast.AugAssign) and type(node.op) in ARITH:
        found.append(("arith", lambda: setattr(node, "op", ARITH[type(node.op)]())))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in COMPARE:
        found.append(("compare", lambda: node.ops.__setitem__(0, COMPARE[type(node.ops[0])]())))
    if _is_number(node) and id(node) in parents:
        parent = parents[id(node)][0]
        in_index = isinstance(parent, (ast.Subscript, ast.Slice)) or (
            isinstance(parent, ast.UnaryOp) and id(parent) in parents
        )
        if not in_index:
            found.append(("constant", lambda: setattr(node, "value", node.value + 1)))
    if isinstance(node, ast.Attribute) and node.attr == "T":
        found.append(("transpose", lambda: _replace(parents, node, node.value)))
    if isinstance(node, ast.Subscript):
        index = node.slice
        if _is_number(index) and isinstance(index.value, int):
            found.append(("index", lambda: setattr(index, "value", index.value + 1)))
        if (
            isinstance(index, ast.UnaryOp)
            and isinstance(index.op, ast.USub)
            and _is_number(index.operand)
        ):
            found.append(
                ("index", lambda: setattr(index.operand, "value", index.operand.value + 1))
            )
        if isinstance(index, ast.Slice):
            for bound in ("lower", "upper"):
                if getattr(index, bound) is not None:
                    found.append(("index", lambda b=bound: setattr(index, b, None)))
            if index.lower is not None and _is_number(index.lower):
                found.append(
                    ("index", lambda: setattr(index.lower, "value", index.lower.value + 1))
                )
    if isinstance(node, ast.Call):
        name = _call_name(node)
        for keyword in node.keywords:
            if keyword.arg == "axis":
                is_none = isinstance(keyword.value, ast.Constant) and keyword.value.value is None
                new = ast.Constant(0 if is_none else None)
                found.append(("axis", lambda k=keyword, v=new: setattr(k, "value", v)))
            if keyword.arg == "copy" and isinstance(keyword.value, ast.Constant):
                if keyword.value.value is True:
                    found.append(
                        ("copy", lambda k=keyword: setattr(k, "value", ast.Constant(False)))
                    )
        if name.endswith(".copy") and not node.args and isinstance(node.func, ast.Attribute):
            found.append(("copy", lambda: _replace(parents, node, node.func.value)))
        if name in ("np.where",) and len(node.args) == 3:
            found.append(("branch", lambda: node.args.__setitem__(slice(1, 3), node.args[2:0:-1])))
        if name in REDUCE:
            found.append(("reduce", lambda: setattr(node.func, "attr", REDUCE[name])))
    if isinstance(node, ast.IfExp):
        swap = lambda: (setattr(node, "body", node.orelse), setattr(node, "orelse", node.body))  # noqa: E731
        found.append(("branch", swap))
    if isinstance(node, ast.If):
        found.append(("branch", lambda: setattr(node, "test", ast.UnaryOp(ast.Not(), node.test))))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and id(node) in parents:
        if not isinstance(parents[id(node)][0], ast.Subscript):
            found.append(("sign", lambda: _replace(parents, node, node.operand)))
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and id(node) in parents:
        parent, field, index = parents[id(node)]
        if field in ("body", "orelse") and index is not None and len(getattr(parent, field)) > 1:
            found.append(("statement", lambda: _replace(parents, node, ast.Pass())))
    return found


def _enclosing_functions(tree):
    names = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                names.setdefault(id(node), function.name)
    return names


def _candidates(tree, lines):
    """``[(walk index, change index, operator)]`` of every mutation on solution lines."""
    parents = _parents(tree)
    found = []
    for position, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", None) not in lines:
            continue
        for number, (operator, _) in enumerate(changes(node, parents)):
            found.append((position, number, operator))
    return found


def _shown(node):
    """One line of source (whitespace collapsed)."""
    return " ".join(ast.unparse(node).split())


def _window(before, after, limit=100, context=30):
    """``before`` and ``after`` cut to the part around their first difference when long."""
    if len(before) <= limit and len(after) <= limit:
        return before, after
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    left = max(0, start - context)

    def cut(text):
        right = min(len(text), len(text) - end + context)
        return ("..." if left else "") + text[left:right] + ("..." if right < len(text) else "")

    return cut(before), cut(after)


def mutants(source):
    """Every mutant of ``source`` (a reference with solution markers), in a fixed order.

    Mutants whose module text equals another's (or the reference's) are left out.
    """
    tree = ast.parse(source)
    lines = solution_lines(source)
    seen = {ast.unparse(tree)}
    found = []
    for position, number, operator in _candidates(tree, lines):
        mutated = copy.deepcopy(tree)
        nodes = list(ast.walk(mutated))
        node = nodes[position]
        parents = _parents(mutated)
        function = _enclosing_functions(mutated).get(id(node), "?")
        # the statement that holds the node, before and after, as the mutant's description
        holder = node
        while id(holder) in parents and not isinstance(holder, ast.stmt):
            holder = parents[id(holder)][0]
        holder_parent = parents.get(id(holder))
        before = _shown(holder)
        changes(node, parents)[number][1]()
        if holder_parent is not None:
            parent, field, index = holder_parent
            current = getattr(parent, field) if index is None else getattr(parent, field)[index]
        else:
            current = holder
        before, after = _window(before, _shown(current))
        ast.fix_missing_locations(mutated)
        try:
            text = ast.unparse(mutated)
        except Exception:  # noqa: BLE001 - a change this operator set cannot express
            continue
        if text in seen:
            continue
        seen.add(text)
        found.append(Mutant(operator, function, before, after, text + "\n"))
    return _unique(found)


def _unique(found):
    """Mutants whose keys would be equal get ``#2``, ``#3``... in their ``after``."""
    counts, out = Counter(), []
    for mutant in found:
        counts[mutant.key] += 1
        if counts[mutant.key] > 1:
            mutant = dataclasses.replace(mutant, after=f"{mutant.after} #{counts[mutant.key]}")
        out.append(mutant)
    return out


def equivalent(paths):
    """``{key: reason}`` of the listed equivalent mutants of an assignment."""
    listed = {}
    path = paths.package / "equivalent_mutants.txt"
    if not path.is_file():
        return listed
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition("  # ")
            listed[key.strip()] = reason.strip()
    return listed


def grade(paths, assignment, found, jobs=2):
    """{mutant key: graded result} with process isolation and the demo secret."""
    from autograder.engine import config as config_module
    from autograder.engine.grade import grade_all
    from autograder.engine.sandbox import ProcessSandbox
    from autograder.engine.submissions import collect

    config = dataclasses.replace(config_module.load(), secret=config_module.DEMO_SECRET)
    with tempfile.TemporaryDirectory(prefix="mutants-") as work:
        root = Path(work) / "subs"
        root.mkdir()
        by_id = {}
        for number, mutant in enumerate(found):
            sid = f"m{number:04d}"
            (root / f"{sid}.py").write_text(mutant.source, encoding="utf-8")
            by_id[sid] = mutant
        subs = collect(root, paths.filename, Path(work) / "work")
        results = grade_all(subs, assignment.name, config, ProcessSandbox, jobs=jobs)
    return {by_id[r["submission"]].key: r for r in results}


def killed(result):
    return result["status"] != "graded" or result["score"] < result["max_score"] - 1e-9


def failing_scored_checks(result):
    return {
        (q["id"], c["name"])
        for q in result.get("questions", [])
        for c in q["checks"]
        if not c["passed"] and c.get("weight", 1) > 0 and not c["name"].startswith("public:")
    }


GENERIC = {"exception", "timeout", "crashed", "invalid", "warning", ""}


def diagnosis(result, hints):
    """How the feedback of a killed mutant explains it: "named" (a hint of the assignment's
    known mistakes), "described" (the engine's: a relation, a dtype, purity), or "none"."""
    keys = {
        c.get("mistake", "")
        for q in result.get("questions", [])
        for c in q["checks"]
        if not c["passed"]
    }
    if keys & set(hints):
        return "named"
    return "described" if keys - GENERIC else "none"


def run(name=None, jobs=2):
    """Mutate, grade and sort: a dict with the figures of the report."""
    assignment, paths = assignments.chosen(name)
    found = mutants(paths.solution.read_text(encoding="utf-8"))
    results = grade(paths, assignment, found, jobs)
    listed = equivalent(paths)
    survivors = [m for m in found if not killed(results[m.key])]
    unexplained = [m for m in survivors if m.key not in listed]
    keys = {m.key for m in found}
    stale = [key for key in listed if key not in keys or killed(results[key])]
    # checks that are the only scored failure of some mutant
    alone = Counter()
    for mutant in found:
        failing = failing_scored_checks(results[mutant.key])
        if len(failing) == 1:
            alone[next(iter(failing))] += 1
    graded = [r for r in results.values() if r.get("questions")]
    every_check = {
        (q["id"], c["name"])
        for q in (graded[0]["questions"] if graded else [])
        for c in q["checks"]
        if c.get("weight", 1) > 0 and not c["name"].startswith("public:")
    }
    return {
        "assignment": assignment.name,
        "mutants": found,
        "results": results,
        "survivors": survivors,
        "unexplained": unexplained,
        "stale": stale,
        "alone": alone,
        "checks": every_check,
        "operators": Counter(m.operator for m in found),
        "killed_by_operator": Counter(m.operator for m in found if killed(results[m.key])),
        "diagnoses": {
            m.key: diagnosis(results[m.key], assignment.hints)
            for m in found
            if killed(results[m.key])
        },
    }


def report(figures):
    found, survivors = figures["mutants"], figures["survivors"]
    non_equivalent = len(found) - (len(survivors) - len(figures["unexplained"]))
    killed_count = len(found) - len(survivors)
    lines = [
        f"mutation testing of {figures['assignment']}: {len(found)} mutants, "
        f"{killed_count} killed, {len(survivors) - len(figures['unexplained'])} listed as "
        f"equivalent, {len(figures['unexplained'])} unexplained survivors",
        f"kill rate: {killed_count}/{non_equivalent} non-equivalent mutants "
        f"({100.0 * killed_count / max(non_equivalent, 1):.1f}%)",
        "by operator (killed/made): "
        + ", ".join(
            f"{op} {figures['killed_by_operator'][op]}/{n}"
            for op, n in sorted(figures["operators"].items())
        ),
    ]
    diagnoses = Counter(figures["diagnoses"].values())
    lines.append(
        f"feedback of the killed mutants: {diagnoses['named']} name a known mistake, "
        f"{diagnoses['described']} only describe what differs (a relation, dtype, purity), "
        f"{diagnoses['none']} give no diagnosis"
    )
    lines += [f"  no diagnosis: {k}" for k, v in figures["diagnoses"].items() if v == "none"][:12]
    if figures["unexplained"]:
        lines.append("unexplained survivors (a gap in the battery, or an equivalent mutant):")
        lines += [f"  {m.key}" for m in figures["unexplained"]]
    if figures["stale"]:
        lines.append("listed as equivalent but no longer surviving (remove from the list):")
        lines += [f"  {key}" for key in figures["stale"]]
    alone = figures["alone"]
    lines.append(
        f"scored checks that are some mutant's only failure: {len(alone)} of "
        f"{len(figures['checks'])} (the others kill no mutant on their own: candidates to drop "
        "unless they test what no operator mutates, e.g. shapes a student gets wrong)"
    )
    lines += [f"  {q} / {c}: {n}" for (q, c), n in alone.most_common(5)]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    assignments.add_argument(parser)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--list", action="store_true", help="list the mutants, grade nothing")
    args = parser.parse_args(argv)
    if args.list:
        _, paths = assignments.chosen_or_exit(args.assignment)
        for mutant in mutants(paths.solution.read_text(encoding="utf-8")):
            print(mutant.key)
        return 0
    assignments.chosen_or_exit(args.assignment)
    figures = run(args.assignment, args.jobs)
    print(report(figures))
    return 1 if figures["unexplained"] or figures["stale"] else 0


if __name__ == "__main__":
    sys.exit(main())
