"""Command line: a thin layer over library calls (``aicorpus --help``).

Every command calls one library function and turns its result into text and
an exit status: 0 success, 1 problems found, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import build as build_mod
from .convert import FORMATS
from .validate import Report, validate_paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aicorpus", description="Build, validate and check the aicorpus dataset.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("convert", help="convert raw documents to JSONL records (documents, then their items)")
    p.add_argument("raw", nargs="+", type=Path, help="raw document files")
    p.add_argument("-o", "--output", type=Path, help="JSONL file to write (default: standard output)")
    p.add_argument("--format", choices=sorted(FORMATS), help="source format (default: sniffed per file)")

    p = sub.add_parser("validate", help="check raw documents and record files; report every problem")
    p.add_argument("paths", nargs="+", type=Path, help="files or folders")
    p.add_argument("--format", dest="output_format", choices=("text", "github", "json"), default="text",
                   help="text (default), GitHub Actions annotations, or a JSON report")
    p.add_argument("--corpus", type=Path, default=None,
                   help="a built splits/ folder to check new documents against (default: ./splits when it exists)")

    p = sub.add_parser("build", help="build splits/ from raw/")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    p.add_argument("--num-proc", type=int, default=1, help="processes for conversion and the near-duplicate search (default: 1)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    p.add_argument("--no-cache", action="store_true", help="convert every document again and rebuild even if nothing changed")

    p = sub.add_parser("check", help="exit 1 when splits/ is stale, a raw file is rejected or not in the manifest")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    p.add_argument("--release", action="store_true",
                   help="also fail while any item is unlabeled or a committed result was computed on other data")

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
    q.add_argument("--task", choices=("topics", "claims"), required=True)
    q.add_argument("--predictions", type=Path, required=True, help='JSONL: {"item_id": ..., "topics": [...]} or {"item_id": ..., "claims": [...]}')
    q.add_argument("--split", default="test", choices=("train", "validation", "test"))
    q.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    q.add_argument("--json", action="store_true", help="print one JSON object with every figure")

    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    return {"convert": _convert, "validate": _validate, "build": _build, "check": _check, "diff": _diff, "agree": _agree, "bench": _bench}[args.command](args)


def _convert(args) -> int:
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    status = 0
    try:
        for path in args.raw:
            c = build_mod.convert_file(path, Path("."), args.format)
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
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"Error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    corpus = args.corpus or (Path("splits") if (Path("splits") / "documents").is_dir() else None)
    report = validate_paths(args.paths, corpus=corpus)
    print(render_report(report, args.output_format))
    return 0 if report.valid else 1


def render_report(report: Report, fmt: str) -> str:
    """The report as text (one line per issue, then counts), GitHub annotations, or JSON."""
    if fmt == "json":
        return json.dumps({"valid": report.valid, **report.counts(), "issues": [i.to_dict() for i in report.issues]}, ensure_ascii=False, indent=2)
    lines = []
    for i in report.issues:
        if fmt == "github":
            loc = f"file={i.file}" + (f",line={i.line}" if i.line else "")
            msg = i.format().split(": ", 1)[1].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            lines.append(f"::{i.severity} {loc},title={i.rule}::{msg}")
        else:
            lines.append(i.format())
    c = report.counts()
    lines.append(f"{c['files']} files checked: {c['errors']} errors in {c['files_with_errors']} files, {c['warnings']} warnings")
    return "\n".join(lines)


def _build(args) -> int:
    progress = sys.stderr.isatty() and not args.no_progress
    result = build_mod.build(args.root, num_proc=args.num_proc, progress=progress, cache=not args.no_cache)
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
    from .errors import AicorpusError

    try:
        result = score(args.task, args.predictions, args.split, args.root)
    except AicorpusError as exc:
        print(f"Error: {exc.issue.format()}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0


def _check(args) -> int:
    result = build_mod.check(args.root)
    problems = result.problems(release=args.release)
    for line in problems:
        print(line, file=sys.stderr)
    if not args.release:
        for line in result.notes():
            print(f"note: {line}")
    if problems:
        print(f"{len(problems)} problems; run `aicorpus build`, fix what is named above, and commit the result", file=sys.stderr)
        return 1
    print("splits/ is up to date" + (" and ready for release" if args.release else ""))
    return 0


def _agree(args) -> int:
    from .bench.agreement import agreement_files, format_agreement
    from .errors import AicorpusError

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
