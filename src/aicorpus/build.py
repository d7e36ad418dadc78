"""The pipeline: read → convert → trace coverage → validate → cluster → split → write.

Each step is a plain function; :func:`build` runs them in order and
:func:`check` rebuilds into a temporary folder to tell whether ``splits/``
is stale. Input problems never raise: they become :class:`Issue` objects,
the document is rejected whole (nothing half-published) and the rest of the
batch goes on, so that ``inputs == published + rejected`` always holds.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from . import card, dedup, splits
from .convert import FORMATS, convert, sniff
from .convert.base import to_records
from .coverage import trace
from .errors import AicorpusError, Issue
from .labels import guideline_version, label_files, label_issues, read_labels
from .parquet import DOCUMENT_FEATURES, ITEM_FEATURES, read_table, to_table, with_labels, write_parquet
from .sources import Raw
from .validate import Located, cross_issues, schema_issues

RAW_DIR = "raw"
OUT_DIR = "splits"
LOCK = "split-lock.jsonl"
REPORT = "build-report.json"


def parquet_path(config: str, split: str) -> str:
    """Hub-style file name of one split, relative to the output folder."""
    return f"{config}/{split}-00000-of-00001.parquet"


@dataclass
class Converted:
    """One raw file after conversion: its records, or the issues that reject it."""

    path: str
    document: dict | None = None
    items: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(i.severity == "error" for i in self.issues)


def convert_file(path: Path, root: Path, fmt: str | None = None) -> Converted:
    """Read, convert, trace and schema-check one raw file. Never raises for bad input.

    >>> c = convert_file(Path("raw/004_de0e27d84657343f.txt"), Path("."))
    >>> c.ok, c.document["n_items"], c.document["coverage"]["lost"]
    (True, 2, 0)
    """
    name = _published_path(path, root)
    out = Converted(name)
    try:
        if path.is_symlink() and root.resolve() not in path.resolve().parents:
            raise AicorpusError(Issue(name, "path-escape", "the file is a link that points outside the project", hint="copy the file into raw/ instead of linking it"))
        raw = Raw.from_bytes(name, path.read_bytes())
        fmt = fmt or sniff(raw)
        draft = convert(raw, fmt)
        document, items = to_records(raw, draft)
        if name.startswith("/"):  # a file outside the project: records keep a relative path, errors the full one
            document["raw_path"] = path.name
        coverage = trace(raw, draft.drops, document, items, FORMATS[fmt].MARKERS)
        lost = coverage.pop("lost_lines")
        document["coverage"] = coverage
    except AicorpusError as exc:
        out.issues.append(exc.issue)
        return out
    except Exception as exc:  # a converter bug must not take the batch down; say where it happened
        out.issues.append(Issue(name, "converter-crash", f"the converter failed: {type(exc).__name__}: {exc}",
                                hint="report this with the file attached; the rest of the batch was built"))
        return out
    if raw.encoding == "gb18030":
        out.issues.append(Issue(name, "encoding-gb18030", "the file is not UTF-8; it was decoded as GB18030", severity="warning",
                                hint="the record says raw_encoding=gb18030; re-save the file as UTF-8 to silence this"))
    for n in lost:
        out.issues.append(Issue(name, "coverage-lost-line", "this non-blank line ended up in no field and was dropped for no reason",
                                line=n, value=raw.lines[n - 1][:60], hint="the converter misses a structure here: fix it, or give a drop reason"))
    out.issues += schema_issues("document", document, file=name)
    for n, item in enumerate(items):
        out.issues += schema_issues("item", item, file=name, record_no=n, line=item.get("line_start"))
    out.document, out.items = document, items
    return out


def _published_path(path: Path, root: Path) -> str:
    """The path relative to ``root``; outside it, the path as given (records then keep only the file name)."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def raw_files(root: Path, raw_dir: str = RAW_DIR) -> list[Path]:
    """Every raw document below ``raw_dir``, sorted; hidden files and README files are skipped."""
    base = root / raw_dir
    return sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".") and p.name.lower() not in ("readme.md",))


def convert_all(paths: Iterable[Path], root: Path, *, num_proc: int = 1, progress: bool = False) -> Iterator[Converted]:
    """Convert files in order, on ``num_proc`` processes, with a progress bar when asked."""
    paths = list(paths)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", desc="convert", file=sys.stderr)
    if num_proc > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(num_proc) as pool:
            results = pool.map(convert_file, paths, [root] * len(paths), chunksize=16)
            for result in results:
                bar and bar.update()
                yield result
    else:
        for p in paths:
            result = convert_file(p, root)
            bar and bar.update()
            yield result
    bar and bar.close()


@dataclass
class BuildResult:
    """What a build did: counts that add up, every rejected input with its issues, and the report written."""

    inputs: int
    published: list[str]
    rejected: dict[str, list[Issue]]
    report: dict
    files: dict[str, bytes]
    label_problems: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.label_problems


def build(root: Path = Path("."), *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR, num_proc: int = 1,
          progress: bool = False, write: bool = True) -> BuildResult:
    """Build ``out_dir`` from ``raw_dir``; returns counts, rejects and the generated files.

    Files are written to a temporary folder first and moved into place at
    the end, so a build that is killed leaves the previous ``splits/`` whole.
    """
    root = Path(root)
    out = root / out_dir
    converted = list(convert_all(raw_files(root, raw_dir), root, num_proc=num_proc, progress=progress))
    good = _reject_duplicates([c for c in converted if c.ok])
    rejected = {c.path: c.issues for c in converted if c not in good}
    documents = [c.document for c in good]
    items = [it for c in good for it in c.items]
    corpus_issues = cross_issues([Located(c.document, c.path) for c in good], [Located(it, c.path, it["line_start"]) for c in good for it in c.items])
    if corpus_issues:  # cannot happen after the checks above unless a converter is wrong: publish nothing
        raise RuntimeError("cross-record check failed: " + "; ".join(i.format() for i in corpus_issues))

    ids = [it["id"] for it in items]
    pairs = dedup.similar_pairs(ids, [dedup.item_text(it) for it in items])
    near = dedup.similar_pairs(ids, [dedup.item_text(it) for it in items], threshold=dedup.THRESHOLD / 2)
    clusters = dedup.clusters(ids, pairs)
    lock = splits.read_lock(out / LOCK)
    assignment, conflicts = splits.assign(clusters, lock)

    labels, label_problems = _labels(root, {it["id"]: it for it in items})

    files: dict[str, bytes] = {}
    rows = {name: sorted((with_labels(it, labels.get(it["id"])) for it in items if assignment[it["id"]] == name), key=lambda it: it["id"])
            for name in splits.SPLITS}
    files[f"{out_dir}/{parquet_path('documents', 'train')}"] = _parquet_bytes(to_table(sorted(documents, key=lambda d: d["id"]), DOCUMENT_FEATURES))
    for name in splits.SPLITS:
        files[f"{out_dir}/{parquet_path('items', name)}"] = _parquet_bytes(to_table(rows[name], ITEM_FEATURES))
    # Entries of items that no longer exist stay: if a story comes back, it keeps its split.
    files[f"{out_dir}/{LOCK}"] = splits.lock_text({**lock, **assignment}).encode()
    report = _report(converted, documents, items, assignment, clusters, pairs, near, conflicts, rejected, lock)
    report["labels"] = {"labeled_items": len(labels), "unlabeled_items": len(items) - len(labels),
                        "problems": [i.to_dict() for i in label_problems]}
    files[f"{out_dir}/{REPORT}"] = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()
    files.update(card.generate(root, documents, rows, report, files))
    if write:
        _install(files, root)
    return BuildResult(len(converted), [c.path for c in good], rejected, report, files, label_problems)


def _labels(root: Path, items: dict[str, dict]) -> tuple[dict[str, dict], list[Issue]]:
    """Hand labels that pass every check, by item id, and the problems of the others (never silently dropped)."""
    paths = label_files(root)
    if not paths:
        return {}, []
    located, problems = read_labels(paths, root)
    problems += label_issues(located, items, version=guideline_version(root))
    bad = {(i.file, i.line) for i in problems}
    return {loc.record["item_id"]: loc.record for loc in located if (loc.file, loc.line) not in bad}, problems


def _reject_duplicates(converted: list[Converted]) -> list[Converted]:
    """Keep the first file (by path) of each document id or identical content; reject the others, naming the first."""
    seen_id: dict[str, str] = {}
    seen_sha: dict[str, str] = {}
    kept = []
    for c in converted:
        doc = c.document
        first = seen_id.get(doc["id"]) or seen_sha.get(doc["raw_sha256"])
        if first:
            same = "the same bytes as" if seen_sha.get(doc["raw_sha256"]) else "the same document id as"
            c.issues.append(Issue(c.path, "duplicate-document", f"{doc['id']} has {same} {first}", json_path="$.id",
                                  value=doc["id"], hint="remove one of the two files (or give this one its own article id)"))
            continue
        seen_id[doc["id"]] = seen_sha[doc["raw_sha256"]] = c.path
        kept.append(c)
    return kept


def _parquet_bytes(table) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "t.parquet")
        write_parquet(table, path)
        return path.read_bytes()


def _install(files: dict[str, bytes], out: Path) -> None:
    """Write every file to a temporary folder in ``out``, then rename each into place."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for name in files:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _report(converted, documents, items, assignment, clusters, pairs, near, conflicts, rejected, lock) -> dict:
    per_split = {s: sum(1 for v in assignment.values() if v == s) for s in splits.SPLITS}
    title = {it["id"]: it["title"] or it["text"][:30] for it in items}
    return {
        "inputs": len(converted),
        "published": len(documents),
        "rejected": {path: [i.to_dict() for i in issues] for path, issues in sorted(rejected.items())},
        "documents": len(documents),
        "items": len(items),
        "items_per_split": per_split,
        "coverage": {d["raw_path"]: {k: v for k, v in d["coverage"].items() if k != "drops"} for d in sorted(documents, key=lambda d: d["raw_path"])},
        "near_duplicates": {
            "method": "TF-IDF cosine over jieba words of title + text",
            "threshold": dedup.THRESHOLD,
            "pairs": [{"a": a, "b": b, "cosine": v, "a_title": title[a], "b_title": title[b]} for a, b, v in pairs],
            "closest_below_threshold": [{"a": a, "b": b, "cosine": v, "a_title": title[a], "b_title": title[b]}
                                        for a, b, v in sorted((p for p in near if p[2] < dedup.THRESHOLD), key=lambda p: -p[2])[:5]],
            "clusters": [c for c in clusters if len(c) > 1],
            "clusters_spanning_splits": conflicts,
        },
        "split_lock": {"entries_without_item": sorted(i for i in lock if i not in assignment)},
    }


def check(root: Path = Path("."), *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR) -> list[str]:
    """Generated files (relative to ``root``) that differ from a fresh build; empty when up to date.

    Parquet files are compared by content (schema, metadata and rows), so a
    new pyarrow that writes different bytes for the same data is not stale;
    plots are compared through the figures they draw (in the build report).
    """
    root = Path(root)
    result = build(root, raw_dir=raw_dir, out_dir=out_dir, write=False)
    stale = []
    for name, data in result.files.items():
        target = root / name
        if name.endswith(".png"):
            if not target.exists():
                stale.append(name)
        elif not target.exists():
            stale.append(name)
        elif name.endswith(".parquet"):
            fresh = pq.read_table(io.BytesIO(data))
            if not fresh.equals(read_table(target), check_metadata=True):
                stale.append(name)
        elif name == card.CROISSANT:
            if card.without_hashes(target.read_bytes()) != card.without_hashes(data):
                stale.append(name)
        elif target.read_bytes() != data:
            stale.append(name)
    from .bench.runner import stale_results  # results depend on labels and items: rerun the baselines

    return stale + stale_results(root)
