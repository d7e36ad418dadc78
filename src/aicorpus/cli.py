"""Command line: a thin layer over library calls (``aicorpus --help``).

Every command calls one library function and turns its result into text and
an exit status: 0 success, 1 problems found, 2 usage error (a wrong option, or
no project folder), 141 when the reader of the output went away (``| head``).

Heavy libraries (scikit-learn, SciPy, ``datasets``, matplotlib) are imported
inside the commands that use them, never here: ``--help`` and ``validate`` of
one document stay fast (scripts/bench_cli.py measures them; a test checks that
importing this module loads none of them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AicorpusError
from .project import MARKERS, find_root, is_project

if TYPE_CHECKING:
    from .validate import Report

# The names only, so that --help loads neither NumPy nor the converters (tests keep them equal to the libraries')
SPLITS = ("train", "validation", "test")  # aicorpus.splits.SPLITS
FORMATS = ("aidaily", "digest", "jekyll", "linuxcn", "plaintext", "wechat")  # aicorpus.convert.FORMATS
ROOT_HELP = f"project folder (default: the nearest folder at or above the current one that holds {' or '.join(MARKERS)})"


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command (``aicorpus <command> --help``)."""
    parser = argparse.ArgumentParser(prog="aicorpus", description="Build, validate and check the aicorpus dataset.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("convert", help="convert raw documents to JSONL records (documents, then their items)")
    p.add_argument("raw", nargs="+", type=Path, help="raw document files")
    p.add_argument("-o", "--output", type=Path, help="JSONL file to write (default: standard output)")
    p.add_argument("--format", choices=FORMATS, help="source format (default: sniffed per file)")

    p = sub.add_parser("validate", help="check raw documents and record files; report every problem")
    p.add_argument("paths", nargs="+", type=Path, help="files or folders")
    p.add_argument("--format", dest="output_format", choices=("text", "github", "json"), default="text",
                   help="text (default), GitHub Actions annotations, or a JSON report")
    p.add_argument("--corpus", type=Path, default=None,
                   help="a built splits/ folder to check new documents against (default: the project's splits/ when it exists)")

    p = sub.add_parser("build", help="build splits/ from raw/")
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--num-proc", type=int, default=1, help="processes for conversion and the near-duplicate search (default: 1)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--no-cache", action="store_true", help="convert every document again and rebuild even if nothing changed")

    p = sub.add_parser("check", help="exit 1 when splits/ is stale, a raw file is rejected or not in the manifest")
    p.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    p.add_argument("--release", action="store_true",
                   help="also fail while any item is unlabeled or a committed result was computed on other data")
    p.add_argument("--base", metavar="REF", default=None,
                   help="also compare with the data published at git REF (e.g. origin/main): published documents and items "
                        "keep their raw file, id and split, the lock only grows, no new near-duplicate of a story lands in another split")

    p = sub.add_parser("diff", help="what changed between two builds: items added, removed, moved, relabeled")
    p.add_argument("old", help="the earlier build: a project or splits/ folder, or git:REF (e.g. git:v0.1.0)")
    p.add_argument("new", nargs="?", default=".", help="the later build (default: .)")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")

    p = sub.add_parser("agree", help="agreement of two annotators' label files on the items both label (kappa, Jaccard, claim F1)")
    p.add_argument("labels_a", type=Path, help="label file (JSONL) of annotator a")
    p.add_argument("labels_b", type=Path, help="label file (JSONL) of annotator b")
    p.add_argument("--json", action="store_true", help="print every figure as one JSON object")

    p = sub.add_parser("bench", help="benchmark: score predictions against the hand labels")
    bench = p.add_subparsers(dest="bench_command", required=True)
    q = bench.add_parser("score", help="score a prediction file (JSONL) on one split")
    q.add_argument("--task", choices=("topics", "claims"), required=True,
                   help="topics: topic tagging (each line gives the item's topics); claims: claim extraction (its claims)")
    q.add_argument("--predictions", type=Path, required=True,
                   help='JSONL, one line per item: {"item_id": ..., "topics": [...]} with topic ids or their integer '
                        'class labels, or {"item_id": ..., "claims": [...]}')
    q.add_argument("--split", default="test", choices=SPLITS, help="the split to score on (default: test)")
    q.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    q.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    q = bench.add_parser("compare", help="is B better than A? paired bootstrap interval and randomization p-value on one split")
    q.add_argument("--task", choices=("topics", "claims"), required=True, help="topics or claims (as for score)")
    q.add_argument("a", type=Path, help="prediction file of system A (JSONL, as for score)")
    q.add_argument("b", type=Path, help="prediction file of system B")
    q.add_argument("--split", default="test", choices=SPLITS, help="the split to compare on (default: test)")
    q.add_argument("--root", type=Path, default=None, help=ROOT_HELP)
    q.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit status.

    >>> main(["bench", "score", "--task", "topics"])  # --predictions is missing: a usage error
    2
    """
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    commands = {"convert": _convert, "validate": _validate, "build": _build, "check": _check, "diff": _diff, "agree": _agree,
                "bench": _bench}
    try:
        status = commands[args.command](args)
        sys.stdout.flush()  # here, not at exit: a closed pipe must be met inside the try
        return status
    except BrokenPipeError:
        _discard_stdout()
        return 141  # what a shell reports for a program ended by SIGPIPE


def _discard_stdout() -> None:
    """The reader closed the pipe (``| head``): point stdout at /dev/null so that Python's exit does not write again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (a test's capture): nothing to flush
        pass


def _root(args) -> Path | None:
    """The project folder of a command: ``--root``, else found from the current folder; None (and a message) when none."""
    if args.root is not None:
        return args.root
    try:
        return find_root()
    except AicorpusError as exc:
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return None


def _soft_root() -> Path:
    """The project folder when the current folder is in one, else the current folder (convert and validate work anywhere)."""
    try:
        return find_root()
    except AicorpusError:
        return Path(".")


def _convert(args) -> int:
    from .conversion import convert_file

    root = _soft_root()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    status = 0
    try:
        for path in args.raw:
            c = convert_file(path, root, args.format)
            for issue in c.issues:
                print(issue.format(), file=sys.stderr)
            if not c.ok:
                status = 1
                continue
            for record in [c.document, *c.items]:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return status


def _validate(args) -> int:
    from .review import validate_paths

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"Error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    root = _soft_root()
    corpus = args.corpus
    if corpus is None and is_project(root) and (root / "splits" / "documents").is_dir():
        corpus = root / "splits"
    report = validate_paths(args.paths, root=root, corpus=corpus)
    print(render_report(report, args.output_format))
    return 0 if report.valid else 1


def _plural(n: int, word: str) -> str:
    """``1 file``, ``2 files``.

    >>> _plural(1, "file"), _plural(0, "error")
    ('1 file', '0 errors')
    """
    return f"{n} {word}" + ("" if n == 1 else "s")


def render_report(report: Report, fmt: str) -> str:
    """The report as text (one line per issue, then counts), GitHub annotations, or JSON.

    >>> from aicorpus.validate import Report
    >>> print(render_report(Report(files=1), "text"))
    1 file checked: 0 errors in 0 files, 0 warnings
    """
    if fmt == "json":
        return json.dumps({"valid": report.valid, **report.counts(), "issues": [i.to_dict() for i in report.issues]}, ensure_ascii=False, indent=2)
    lines = []
    for i in report.issues:
        if fmt == "github":
            lines.append(github_annotation(i))
        else:
            lines.append(i.format())
    c = report.counts()
    lines.append(f"{_plural(c['files'], 'file')} checked: {_plural(c['errors'], 'error')} in {_plural(c['files_with_errors'], 'file')}, "
                 f"{_plural(c['warnings'], 'warning')}")
    return "\n".join(lines)


def _github_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (escapeData): ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """A workflow command's property value (escapeProperty): also ``:`` and ``,``, which end a property."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(issue) -> str:
    """One issue as a GitHub Actions annotation; nothing taken from the input can start a command of its own.

    A file name or message with a line break would otherwise start a new line, and with it a command of
    the contributor's choosing (``::stop-commands::``, a forged ``::notice``); ``:`` or ``,`` in a file
    name would end the property early.

    >>> from aicorpus.errors import Issue
    >>> print(github_annotation(Issue("raw/a\\n::notice::x,y:z.md", "empty-file", "the file is empty\\n::warning::100%", line=3)))
    ::error file=raw/a%0A%3A%3Anotice%3A%3Ax%2Cy%3Az.md,line=3,title=empty-file::[empty-file] the file is empty%0A::warning::100%25
    """
    where = issue.file + (f":{issue.line}" if issue.line else "")
    if issue.record is not None and not issue.line:
        where += f" record {issue.record}"
    text = issue.format()
    message = text[len(where) + 2 :] if text.startswith(where + ": ") else text
    props = f"file={_github_property(issue.file)}" + (f",line={int(issue.line)}" if issue.line else "")
    return f"::{issue.severity} {props},title={_github_property(issue.rule)}::{_github_data(message)}"


def _build(args) -> int:
    from .build import build

    root = _root(args)
    if root is None:
        return 2
    progress = sys.stderr.isatty() and not args.no_progress
    try:
        result = build(root, num_proc=args.num_proc, progress=progress, cache=not args.no_cache)
    except AicorpusError as exc:  # a project-wide input (the lock, the guideline, README) or an output that cannot be written
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return 1
    r = result.report
    if result.up_to_date:
        print("nothing changed since the last build (sources, labels, code and outputs): nothing rebuilt")
    for issue in [i for issues in result.rejected.values() for i in issues] + result.label_problems:
        print(issue.format(), file=sys.stderr)
    print(f"{result.inputs} inputs: {len(result.published)} published, {len(result.rejected)} rejected; "
          f"{r['items']} items ({', '.join(f'{k} {v}' for k, v in r['items_per_split'].items())})")
    lost = sum(c["lost"] for c in r["coverage"].values())
    print(f"coverage: {sum(c['nonblank_lines'] for c in r['coverage'].values())} non-blank lines, {lost} lost")
    print(f"labels: {r['labels']['labeled_items']} items labeled, {r['labels']['unlabeled_items']} not yet, "
          f"{len(result.label_problems)} label problems")
    return 0 if result.ok else 1


def _bench(args) -> int:
    from .bench.score import format_table, score

    root = _root(args)
    if root is None:
        return 2
    if args.bench_command == "compare":
        from .bench.compare import compare_files, format_comparison

        try:
            result = compare_files(args.task, args.a, args.b, args.split, root)
        except AicorpusError as exc:
            print(f"Error: {exc.issue.format()}", file=sys.stderr)
            return 1
        print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_comparison(result, args.a.as_posix(), args.b.as_posix()))
        return 0
    try:
        result = score(args.task, args.predictions, args.split, root)
    except AicorpusError as exc:
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


def _check(args) -> int:
    from .build import check

    root = _root(args)
    if root is None:
        return 2
    try:
        result = check(root, base=args.base)
    except AicorpusError as exc:
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return 1
    problems = result.problems(release=args.release)
    for line in problems:
        print(line, file=sys.stderr)
    if not args.release:
        for line in result.notes():
            print(f"note: {line}")
    if problems:
        print(f"{_plural(len(problems), 'problem')}; run `aicorpus build`, fix what is named above, and commit the result", file=sys.stderr)
        return 1
    print("splits/ is up to date" + (f" and keeps every promise of {args.base}" if args.base else "")
          + (" and ready for release" if args.release else ""))
    return 0


def _agree(args) -> int:
    from .bench.agreement import agreement_files, format_agreement

    try:
        result = agreement_files(args.labels_a, args.labels_b)
    except AicorpusError as exc:
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_agreement(result))
    return 0


def _diff(args) -> int:
    from .diff import diff, render, snapshot

    changes = diff(snapshot(args.old), snapshot(args.new))
    print(json.dumps(changes, ensure_ascii=False, indent=2) if args.json else render(changes, args.old, args.new), end="" if not args.json else "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
