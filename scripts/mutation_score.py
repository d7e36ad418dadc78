"""Mutation score of four core modules against their tests; writes docs/MUTATION.md.

A small deterministic AST mutator (no third-party tool): each mutant is one edit to
one module, run against the test files that cover that module. A mutant is *killed*
when pytest fails (or runs past the timeout, which only guards against infinite
loops); it *survives* when every test passes.

Mutation operators (each site gives the mutants listed):

* comparisons: ``<`` <-> ``<=``, ``>`` <-> ``>=``, ``==`` <-> ``!=``, ``in`` <-> ``not in``,
  ``is`` <-> ``is not``;
* numeric constants: ``n + 1`` and ``n - 1``; ``True`` <-> ``False``;
* ``and`` <-> ``or``; ``not x`` -> ``x``;
* each statement of an ``if`` or ``else`` body -> ``pass``;
* ``return <expr>`` -> ``return None``.

Strings are never mutated (docstrings, regexes and messages), nor code in annotations
or f-strings, nor the entries of the vocabulary tables named in ``SKIP_TABLES``
(data, one row per surface form; see docs/MUTATION.md).

The real tree is never modified: the project (without .git) is copied into a
temporary folder per worker, each mutant is written into that copy, tested with
``PYTHONPATH`` pointing at the copy's ``src/``, and the copy's module is restored in
a ``finally``.

Usage::

    python scripts/mutation_score.py                   # all four modules, writes docs/MUTATION.md
    python scripts/mutation_score.py --module splits.py --jobs 1 --no-write
    python scripts/mutation_score.py --list            # print the mutants, run nothing
    python scripts/mutation_score.py --report-only     # rewrite docs/MUTATION.md after editing NOTES
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "docs" / "mutation.json"  # the last run of each module, from which the report is written

#: module (under src/aicorpus/) -> the test files run against each of its mutants
MODULES: dict[str, list[str]] = {
    "bench/metrics.py": ["tests/test_metrics.py"],
    "coverage.py": ["tests/test_coverage.py"],
    "splits.py": ["tests/test_splits.py"],
    "quantities.py": ["tests/test_quantities.py"],
}

#: module-level assignments whose literal contents are not mutated: vocabulary tables,
#: one row per surface form (a row's factor is data, pinned by the unit examples)
SKIP_TABLES: dict[str, set[str]] = {"quantities.py": {"_SURFACES", "UNITS", "_NOUNS", "_CLASSIFIER_UNITS", "_NOUN_BLOCK", "_CN_IDIOMS", "_CN_ONE_DIGIT"}}

#: what the same script measured before issue #18's tests (commit ad9bcfa, with the tests
#: that existed then: coverage.py by tests/test_fuzz.py, splits.py by tests/test_build.py)
BEFORE: dict[str, tuple[int, int]] = {
    "bench/metrics.py": (173, 241),
    "coverage.py": (8, 52),
    "splits.py": (27, 38),
    "quantities.py": (439, 604),
}

_EMPTY_SPAN = ("a span's length in the union: `max(0, len)` and `max(1, len)` / `max(-1, len)` differ only "
               "for an empty or reversed span, whose intersection is 0, so the IoU is 0 whatever the union")

#: surviving mutant id -> why it is equivalent (or not worth a test); written by hand
NOTES: dict[str, str] = {
    # metrics
    "bench/metrics.py: _f1: constant `0` -> `1`":
        "`where=denom > 1`: denom = 2tp + fp + fn is 1 only when tp = 0, and then F1 is 0 either way.",
    "bench/metrics.py: _macro: constant `0` -> `1` #4":
        "`zero_division=1` in macro F1: only labels that occur are passed, so no label's F1 is 0/0 "
        "(sklearn computes F1 from counts; checked equal on 3,000 random matrices).",
    "bench/metrics.py: span_iou: constant `0` -> `1` #4": _EMPTY_SPAN,
    "bench/metrics.py: span_iou: constant `0` -> `-1` #4": _EMPTY_SPAN,
    "bench/metrics.py: span_iou: constant `0` -> `1` #6": _EMPTY_SPAN,
    "bench/metrics.py: span_iou: constant `0` -> `-1` #6": _EMPTY_SPAN,
    # coverage
    "coverage.py: trace: and/or `missing and doc_own is None` -> `missing or doc_own is None`":
        "normalises the document's own fields also when no run is missing: the same counts, only the "
        "laziness is lost.",
    # quantities: equivalent
    **dict.fromkeys(["quantities.py: <module>: constant `10.0` -> `11.0`", "quantities.py: <module>: constant `10.0` -> `9.0`"],
                    "`_MULT['十']` is never read: multipliers after Arabic digits are 百/千/万/亿 only, and "
                    "_cn_value looks up 万/亿 only."),
    **dict.fromkeys(["quantities.py: <module>: constant `1e3` -> `1001.0` #2", "quantities.py: <module>: constant `1e3` -> `999.0` #2"],
                    "`_EN_SCALE['k']` is never read: k/K set 1e3 directly; the table serves M, B and T."),
    **dict.fromkeys(["quantities.py: <module>: constant `0` -> `1`", "quantities.py: <module>: constant `0` -> `-1`"],
                    "hedge words sorted by the length of their comparator id instead of their own: every word "
                    "still comes before the shorter words it ends with (不超过 lte before 超过 gt; equal keys keep "
                    "insertion order, 大约 before 约, 将近 before 近), so the same word matches."),
    **dict.fromkeys(["quantities.py: _cn_value: compare `len(s) > 1` -> `len(s) >= 1`", "quantities.py: _cn_value: constant `1` -> `0`"],
                    "a one-character s cannot get here: it would start with 万/亿 and have returned above."),
    "quantities.py: _cn_value: constant `1` -> `2`":
        "the only two-character numerals that reach the 万/亿 chain and fail cn2an are 零万, 零亿, 〇万, 〇亿, "
        "refused earlier by the 零 rule (checked over every digit).",
    **dict.fromkeys(["quantities.py: _mult_value: constant `1.0` -> `2.0` #2", "quantities.py: _mult_value: constant `1.0` -> `0.0` #2"],
                    "the default of `_MULT.get` is never used: both callers pass only 百/千/万/亿."),
    "quantities.py: _match_surface: constant `0` -> `-1`": "also tries the empty piece, which is no surface.",
    "quantities.py: _match_surface: constant `1` -> `0` #4":
        "`piece[0].isalnum()` for `piece[-1].isalnum()`: no surface ending in an ASCII character starts with a "
        "non-alphanumeric one or the reverse (the one-character `%` aside), so the test is the same.",
    **dict.fromkeys(["quantities.py: _prev_nonspace: constant `0` -> `1`", "quantities.py: _prev_nonspace: constant `0` -> `-1`"],
                    "floor 1 returns a space instead of '' and floor -1 at most wraps to the text's end and then "
                    "returns ''; both callers only compare the result with 第 and ASCII letters."),
    "quantities.py: _read: constant `0` -> `-1` #2":
        "`num[-1].isdigit()`: the 百分之 pattern's number is all Arabic or all Chinese, so its first and last "
        "characters agree.",
    "quantities.py: _read: constant `2` -> `1` #4":
        "`cs >= 1` in the ratio rule: prev is ':' so cs >= 1 anyway; differs only for a text opening ':N' and "
        "ending in a digit. Not worth a test.",
    "quantities.py: _read: constant `2` -> `3` #6":
        "`s[ce:ce + 3]`: `re.match` of `[.:]` and a digit looks at the first two characters only.",
    "quantities.py: _read: constant `0` -> `-1` #3":
        "`cn[-1]` for `cn[0]` after 数/几: differs only for numerals that start and end differently in "
        "magnitude after 数/几 (数十五); such vague amounts are not written. Not worth a test.",
    **dict.fromkeys(["quantities.py: _read: constant `2` -> `1` #11", "quantities.py: _read: constant `1` -> `2` #5"],
                    "每秒 bounds: `j - 1 >= floor` differs only if the previous quantity ended inside 每秒, and any "
                    "negative 'absent' marker fails the `>= 0` test alike."),
    "quantities.py: _read: and/or `ar is not None and mult == 1.0` -> `ar is not None or mult == 1.0`":
        "reads k/M/B/T and English scale words also after Chinese numerals and after 万/亿 (四K, 3万k): not "
        "written in this genre, and no reading of them is right. Not worth a test.",
    "quantities.py: _read: constant `100` -> `99` #3":
        "moves the cut between 8大领域 (a count) and 全球 100 大 (a ranking; 2023大会 a year) down to 99: only "
        "99大 changes, which is not written (100 is pinned by test_hundred_da_is_a_ranking_not_a_count).",
    **dict.fromkeys(["quantities.py: _read: constant `1` -> `2` #21", "quantities.py: _read: constant `1` -> `0` #21"],
                    "the 底/初/末 check after 年 never fires: 年底, 年初 and 年末 are date surfaces of their own and the "
                    "longest surface matches first."),
    "quantities.py: _read: and/or `has_unit and unit in (\"parameters\", \"tokens\")` -> `has_unit or unit in ('parameters', 'tokens')`":
        "a model size followed by a unit other than parameters/tokens (7B美元) is kept instead of skipped; the "
        "module rules do not say which is right and the genre does not write it. Not worth a test.",
    "quantities.py: _read: drop statement `break` -> `pass`":
        "without the break, a second hedge word straight after the first (100美元以上左右) is read too: never "
        "written. Not worth a test.",
    **dict.fromkeys(["quantities.py: _currency_prefix: constant `0` -> `1`", "quantities.py: _currency_prefix: constant `0` -> `-1`",
                     "quantities.py: _currency_prefix: constant `0` -> `-1` #2", "quantities.py: _currency_prefix: drop statement `return None` -> `pass`"],
                    "at the text's start the sign looked at is a space or the text's last character; a sign found "
                    "there starts before offset 0, below the floor, and _read drops it."),
    "quantities.py: _currency_prefix: constant `0` -> `-1` #3":
        "`max(-1, start - 2)` differs from `max(0, ...)` only for start <= 1, where neither slice can be 'US'.",
    "quantities.py: _scan: constant `0` -> `-1`":
        "floor -1 for the first number lets a one-character hedge word or currency sign at the text's *end* "
        "wrap round to a number at offset 0. Not worth a test.",
    "quantities.py: _scan: drop statement `continue` -> `pass` #4":
        "defensive: every start _read returns is already >= the floor it was given (the number, a prefix word, "
        "每秒 and the sign are all bounded by it), and no candidate reaches into a later share (see the and/or "
        "mutant of the same line).",
    "quantities.py: _share_units: constant `False` -> `True`":
        "a range start that joined its range stays flagged bare, so normalize_value's list holds it twice; it "
        "takes the first, the same candidate either way, and find_quantities never reads the flag.",
    "quantities.py: _share_units: constant `1` -> `2` #2":
        "the extra step pairs the last item with the first; the connector cannot match backwards.",
    "quantities.py: parse_number: drop statement `return None` -> `pass`":
        "an empty string falls through to _cn_value(''), which returns None too.",
    "quantities.py: _cn_value: constant `1` -> `2` #4":
        "`_MULT[s[-2]]`: differs only for chains whose last two characters differ and that cn2an cannot read "
        "(亿万, 十亿万): idioms or odd forms, no number. Not worth a test.",
    **dict.fromkeys(["quantities.py: _prev_nonspace: constant `8` -> `9`", "quantities.py: _prev_nonspace: constant `8` -> `7`"],
                    "how many spaces back 第 is looked for is an arbitrary bound (8); not worth pinning."),
    # quantities: more equivalent or not-worth-a-test survivors
    **dict.fromkeys(["quantities.py: _Cand: constant `0` -> `1`", "quantities.py: _Cand: constant `0` -> `-1`"],
                    "the default of `split` is used only by shares, which have no `low`; `split` is read only when "
                    "`low` is set, and _read always passes it."),
    **dict.fromkeys(["quantities.py: _skip_gap: constant `1` -> `2` #2", "quantities.py: _skip_gap: constant `1` -> `0` #2",
                     "quantities.py: _skip_gap: constant `2` -> `3` #2", "quantities.py: _skip_gap: constant `2` -> `1` #2"],
                    "the blank-line guard is redundant: the mutants differ only for a \\n followed by another \\n or by the "
                    "text's end, and _skip_blanks does not skip \\n, so either way the position holds a \\n or the end, "
                    "where no unit, classifier or noun starts and the noun search stops (3\\n\\n款 gives nothing)."),
    "quantities.py: _noun_at: constant `0` -> `-1`": "also tries the empty piece, which is no noun.",
    "quantities.py: _read: constant `0` -> `-1` #4":
        "`max(-1, cs - 2)` differs from `max(0, ...)` only for cs <= 1, where neither slice can be '数以' (s[-1:1] "
        "is empty for any text longer than one character).",
    "quantities.py: _read: compare `0 < lo < hi` -> `0 < lo <= hi`":
        "also reads a doubled digit (两两, 五五, 一一) as a pair; doubled digits are words (一一对应, 两两组合, 五五开, "
        "三三两两) never followed by a unit or classifier, so they stay bare and are skipped either way; only a "
        "bare claim value '两两' would change. Not worth a test.",
    "quantities.py: _read: compare `j > floor` -> `j >= floor`":
        "at j == floor the glue character is the previous quantity's last one (or, at floor 0, the text's last), and "
        "a hedge word before it would start below the floor, which _prefix_comparator refuses: none is found either way.",
    "quantities.py: _numeral: constant `0` -> `-1`":
        "`text[-1].isdigit()`: the numbers of a fraction or share are all Arabic or all Chinese, so their first "
        "and last characters agree.",
    "quantities.py: _scan: compare `c.start <= cs < c.end` -> `c.start < cs < c.end`":
        "a share starts with 每, where no number starts, so cs never equals a share's start.",
    "quantities.py: _scan: drop statement `last_end = inside[0].end` -> `pass`":
        "the share's other number is skipped by the `inside` test anyway; the floor only bounds how far back the next "
        "number's hedge word, sign, 每秒 or noun is looked for, and none of them can end in a share's last character "
        "(a numeral or 个/次/人...). No difference on 30,000 random texts.",
    "quantities.py: _scan: drop statement `continue` -> `pass` #2":
        "the share's own number is then read, but its candidate starts below last_end (the share's end) and is "
        "dropped by the check below it.",
    "quantities.py: _scan: constant `0` -> `-1` #3": "shares do not overlap (finditer), so at most one contains cs.",
    "quantities.py: _scan: and/or `cand.start < last_end or any(cand.start < c.end and c.sta...` -> `cand.start < last_end and any((cand.start < c.end and c.s...`":
        "both sides of the check are always false: no candidate starts below its floor (see `continue` #4) and none "
        "reaches into a later share (次每秒 is the only surface containing 每, and 每秒 opens no share). No "
        "difference on 30,000 random texts.",
    "quantities.py: _scan: compare `c.start < cand.end` -> `c.start <= cand.end`":
        "also drops a quantity that ends exactly where a share's 每 begins (3%每4有2), i.e. two clauses run together "
        "with no mark or space; not written. Not worth a test.",
    "quantities.py: _shares: compare `a <= m.start() < b` -> `a < m.start() < b`":
        "a mask starts with http, www. or ](, never with 每, so no share starts where a mask does.",
    "quantities.py: _shares: constant `True` -> `False`":
        "a share's `count` is never read: the list rule tests it only for items whose unit is None (a share's is "
        "percent), and a range start copying it also copies the unit percent.",
    "quantities.py: _shares: constant `False` -> `True`":
        "a share's `bare` is never read: shares go straight into `found`, and only _read's candidates are sorted into "
        "the bare list that the flag is checked in.",
    # splits
    **dict.fromkeys(["splits.py: <module>: constant `0.20` -> `1.2` #2", "splits.py: <module>: constant `0.20` -> `-0.8` #2"],
                    "the last split's ratio only sets the last edge, and every key past the second edge goes to "
                    "the last split anyway (the fallback after the loop)."),
    "splits.py: hash_split: compare `u < edge` -> `u <= edge`":
        "u = k / 2^48 never equals an edge: float 0.6 and 0.8 need 53 and 52 bits, and the last edge, 1.0, "
        "is above every u.",
}

_FLIP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    module: str
    id: str          # stable across line moves: function, operator, before -> after
    line: int
    start: int       # byte offsets into the module's UTF-8 source
    end: int
    replacement: bytes

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement + source[self.end :]


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


class _Sites(ast.NodeVisitor):
    """Collects (node, replacement text, kind) for every mutation site, in source order."""

    def __init__(self, skip_tables: set[str]):
        self.skip_tables = skip_tables
        self.found: list[tuple[ast.AST, str, str, str]] = []  # node, replacement, kind, scope
        self.scope: list[str] = []

    def _add(self, node: ast.AST, replacement: str, kind: str) -> None:
        self.found.append((node, replacement, kind, ".".join(self.scope) or "<module>"))

    # scopes and things never mutated
    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        for d in node.decorator_list:
            self.visit(d)
        self.scope.append(node.name)  # defaults too: they are the function's, though evaluated outside it
        self.visit(node.args)
        for stmt in node.body:
            self.visit(stmt)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        for stmt in node.body:
            self.visit(stmt)
        self.scope.pop()

    def visit_arguments(self, node: ast.arguments) -> None:
        for default in node.defaults + [d for d in node.kw_defaults if d is not None]:
            self.visit(default)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and not self._skipped(node.target):
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if not any(self._skipped(t) for t in node.targets):
            self.visit(node.value)

    def _skipped(self, target: ast.AST) -> bool:
        return not self.scope and isinstance(target, ast.Name) and target.id in self.skip_tables

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # positions inside f-strings are unreliable; nothing worth mutating there

    # operators
    def visit_Compare(self, node: ast.Compare) -> None:
        for k, op in enumerate(node.ops):
            new = copy.deepcopy(node)
            new.ops[k] = _FLIP[type(op)]()
            self._add(node, ast.unparse(new), "compare")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self._add(node, ast.unparse(new), "and/or")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._add(node, ast.unparse(node.operand), "drop not")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        v = node.value
        if isinstance(v, bool):
            self._add(node, repr(not v), "constant")
        elif isinstance(v, (int, float)):
            for new in (v + 1, v - 1):
                self._add(node, repr(new), "constant")

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        bodies = [node.body]
        elif_chain = len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)
        if node.orelse and not elif_chain:
            bodies.append(node.orelse)
        for body in bodies:
            for stmt in body:
                self._add(stmt, "pass", "drop statement")
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            self._add(node, "return None", "return None")
        self.generic_visit(node)


def mutants(module: str, source: bytes) -> list[Mutant]:
    """Every mutant of ``module`` (path under src/aicorpus/), in source order.

    >>> [m.id for m in mutants("x.py", b"def f(a):\\n    return a < 1\\n")]
    ['f: return None `return a < 1` -> `return None`', 'f: compare `a < 1` -> `a <= 1`', 'f: constant `1` -> `2`', 'f: constant `1` -> `0`']
    """
    tree = ast.parse(source)
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    sites = _Sites(SKIP_TABLES.get(module, set()))
    sites.visit(tree)
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    original_dump = ast.dump(tree)
    for node, replacement, kind, scope in sites.found:
        start = starts[node.lineno - 1] + node.col_offset  # col_offset counts UTF-8 bytes
        end = starts[node.end_lineno - 1] + node.end_col_offset
        text = replacement if kind in ("drop statement", "return None") else f"({replacement})"
        before = source[start:end].decode()
        mid = f"{scope}: {kind} `{_short(before)}` -> `{_short(replacement)}`"
        seen[mid] = seen.get(mid, 0) + 1
        if seen[mid] > 1:
            mid += f" #{seen[mid]}"
        m = Mutant(module, mid, node.lineno, start, end, text.encode())
        mutated = m.apply(source)
        try:
            if ast.dump(ast.parse(mutated)) == original_dump:
                continue  # the edit changes nothing the interpreter sees
        except SyntaxError as exc:  # a bug in this script, not a mutant to score
            raise RuntimeError(f"{module}: mutant {mid} does not parse: {exc}") from exc
        out.append(m)
    return out


# --------------------------------------------------------------------------- running


def _copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info", ".benchmarks")
    shutil.copytree(ROOT, dest, ignore=ignore, dirs_exist_ok=True)


_RUNNING: set[subprocess.Popen] = set()  # pytest runs in flight, killed if the script is interrupted
_RUNNING_LOCK = threading.Lock()
_STOP = threading.Event()


def _stop_all() -> None:
    _STOP.set()
    with _RUNNING_LOCK:
        for proc in _RUNNING:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # a run's own process group (start_new_session)
            except ProcessLookupError:
                pass


def _run_tests(workdir: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    """``("passed" | "failed" | "timeout", seconds)`` for one pytest run in ``workdir``."""
    env = {**os.environ, "PYTHONPATH": str(workdir / "src"), "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    # -x: the first failure is enough; a fixed hypothesis seed and no example database keep
    # the property tests' verdict the same on every run; -n 0: the script runs mutants side by side itself
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:cacheprovider", "--hypothesis-seed=0", *tests]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    with _RUNNING_LOCK:
        _RUNNING.add(proc)
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group: pytest and anything it started
        proc.wait()
        return "timeout", time.monotonic() - t0
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(proc)
        shutil.rmtree(workdir / ".hypothesis", ignore_errors=True)
    return ("passed" if rc == 0 else "failed"), time.monotonic() - t0


@dataclass
class Result:
    mutant: Mutant
    outcome: str     # failed (killed), timeout (killed) or passed (survived)
    seconds: float

    @property
    def killed(self) -> bool:
        return self.outcome != "passed"


def run(modules: dict[str, list[str]], jobs: int, log=print) -> dict[str, list[Result]]:
    """Run every mutant of ``modules`` in ``jobs`` temporary copies of the project."""
    with tempfile.TemporaryDirectory(prefix="aicorpus-mut-") as tmp:
        copies: queue.Queue[Path] = queue.Queue()
        for k in range(jobs):
            dest = Path(tmp, f"w{k}")
            _copy_project(dest)
            copies.put(dest)
        results: dict[str, list[Result]] = {}
        for module, tests in modules.items():
            rel = Path("src/aicorpus") / module
            source = (ROOT / rel).read_bytes()
            # the unmutated module must pass, else every mutant would count as killed
            work = copies.get()
            outcome, base = _run_tests(work, tests, timeout=600)
            copies.put(work)
            if outcome != "passed":
                raise SystemExit(f"{module}: {' '.join(tests)} fail on the unmutated code; fix them first")
            timeout = max(60.0, 5 * base)
            todo = mutants(module, source)
            log(f"{module}: {len(todo)} mutants, tests {' '.join(tests)} ({base:.1f} s unmutated)")
            lock = threading.Lock()
            done: list[Result] = []

            def one(m: Mutant) -> Result | None:
                if _STOP.is_set():
                    return None
                work = copies.get()
                target = work / rel
                try:
                    target.write_bytes(m.apply(source))
                    outcome, secs = _run_tests(work, tests, timeout)
                finally:
                    target.write_bytes(source)  # restore the copy before it serves the next mutant
                    copies.put(work)
                r = Result(m, outcome, secs)
                with lock:
                    done.append(r)
                    if not r.killed:
                        log(f"  survived L{m.line}: {m.id}")
                    if len(done) % 25 == 0:
                        log(f"  {len(done)}/{len(todo)}")
                return r

            pool = concurrent.futures.ThreadPoolExecutor(jobs)
            try:
                results[module] = list(pool.map(one, todo))
            except BaseException:  # Ctrl-C or SIGTERM: stop the runs in flight, start no more
                _stop_all()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            if _STOP.is_set():
                raise SystemExit("interrupted")
        return results


# --------------------------------------------------------------------------- report


def _score(killed: int, total: int) -> str:
    return f"{100 * killed / total:.0f}%" if total else "n/a"


def summarise(results: dict[str, list[Result]], modules: dict[str, list[str]]) -> dict[str, dict]:
    """What the report needs of a run, per module: the tests, the counts and the survivors (kept in docs/mutation.json)."""
    return {module: {"tests": modules[module], "mutants": len(rs), "killed": sum(r.killed for r in rs),
                     "survivors": [[r.mutant.line, r.mutant.id] for r in rs if not r.killed]}
            for module, rs in results.items()}


def report(summary: dict[str, dict]) -> str:
    lines = [
        "# Mutation score",
        "",
        "Written by `python scripts/mutation_score.py` (issue #18; about an hour on two cores). Each mutant is",
        "one small edit to one module, run with `pytest -x` against the test files listed (in a temporary copy",
        "of the project; the tree is never modified); it is killed when a test fails or the run times out.",
        "Operators: comparisons flipped (`<`/`<=`, `==`/`!=`, `in`/`not in`, `is`/`is not`), numeric constants",
        "+1 and -1, `True`/`False`, `and`/`or`, `not` dropped, each statement of an `if`/`else` body replaced",
        "by `pass`, `return x` made `return None`. Survivors are listed with why each is equivalent or not",
        "worth a test.",
        "",
        "| module | tests | mutants | killed | survived | score | before #18 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for module, m in summary.items():
        b = BEFORE.get(module)
        before = f"{_score(*b)} ({b[0]}/{b[1]})" if b else ""
        tests = ", ".join(f"`{t}`" for t in m["tests"])
        lines.append(f"| `{module}` | {tests} | {m['mutants']} | {m['killed']} | {m['mutants'] - m['killed']} | "
                     f"{_score(m['killed'], m['mutants'])} | {before} |")
    lines += [
        "",
        "\"Before #18\" is the same script on the code and tests of commit ad9bcfa, when `coverage.py` was",
        "reached only by `tests/test_fuzz.py` and `splits.py` only by `tests/test_build.py` (since then",
        "metrics.py and quantities.py gained a few lines, hence the different mutant counts).",
        "Vocabulary tables (" + ", ".join(f"`quantities.{t}`" for t in sorted(SKIP_TABLES["quantities.py"])) + ") are data and not mutated.",
        "",
        "## Surviving mutants",
    ]
    for module, m in summary.items():
        lines += ["", f"### `{module}` ({len(m['survivors'])})", ""]
        if not m["survivors"]:
            lines.append("None.")
        for line, mutant_id in m["survivors"]:
            why = NOTES.get(f"{module}: {mutant_id}", "**not explained yet**")
            lines.append(f"- L{line} {mutant_id}: {why}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", action="append", choices=sorted(MODULES), help="only this module (repeatable)")
    ap.add_argument("--tests", action="append", default=[], metavar="MODULE=FILE[,FILE]",
                    help="run MODULE's mutants against these test files instead")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel copies (default 2)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "MUTATION.md")
    ap.add_argument("--no-write", action="store_true", help="print the report instead of writing --out")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite --out from the last runs (docs/mutation.json) and NOTES, running nothing")
    args = ap.parse_args(argv)
    modules = {m: list(MODULES[m]) for m in (args.module or MODULES)}
    for spec in args.tests:
        name, _, files = spec.partition("=")
        if name not in modules:
            ap.error(f"--tests: {name!r} is not one of {sorted(modules)}")
        modules[name] = files.split(",")
    if args.list:
        for module in modules:
            for m in mutants(module, (ROOT / "src/aicorpus" / module).read_bytes()):
                print(f"{module}:{m.line}: {m.id}")
        return 0
    # the last run of each module: a run of some modules (--module) keeps the others' figures
    saved = json.loads(SUMMARY.read_text(encoding="utf-8")) if SUMMARY.exists() else {}
    if not args.report_only:
        # SIGTERM unwinds like Ctrl-C, so the runs in flight are killed and the temporary copies removed
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        results = run(modules, max(1, args.jobs), log=lambda s: print(s, flush=True))
        saved.update(summarise(results, modules))
        if not args.no_write:
            SUMMARY.write_text(json.dumps(saved, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = report({m: saved[m] for m in MODULES if m in saved})
    if args.no_write:
        print(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
