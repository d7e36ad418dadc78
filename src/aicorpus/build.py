"""The pipeline: read → convert → validate → cluster → split → write, streaming.

Pass 1 converts every raw file (on ``num_proc`` processes, from a cache keyed
by the file's bytes and the code version) and spools the records to disk;
pass 2 clusters near-duplicates (scoring pairs on the same processes) and
assigns splits; pass 3 streams the records into Parquet row groups. The
records and the items' TF-IDF matrix stay on disk; memory holds item ids,
labels, document frequencies, each item's block terms and the near-duplicate
pairs, never the corpus.

Input problems never raise: they become :class:`Issue` objects, the document
is rejected whole (nothing half-published) and the rest of the batch goes on,
so that ``inputs == published + rejected`` always holds. Output is written to
a staging folder and renamed into place, so a killed build leaves the previous
``splits/`` whole; :func:`check` builds into a temporary folder and compares.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from . import card, dedup, splits
from .conversion import Converted, convert_file
from .conversion import published_path as _published_path
from .coverage import COUNTS as COVERAGE_COUNTS
from .errors import Issue
from .manifest import META_FILES
from .labels import guideline_version, label_files, label_issues, passing, read_labels
from .parquet import DOCUMENT_FEATURES, DOCUMENT_ROW_GROUP, ITEM_FEATURES, ParquetStream, read_table, with_labels

RAW_DIR = "raw"
OUT_DIR = "splits"
LOCK = "split-lock.jsonl"
REPORT = "build-report.json"
CLUSTERS = "near-duplicates.jsonl"
LISTED_PAIRS = 50  # the report lists the closest pairs; every cluster is in CLUSTERS
CACHE_DIR = ".cache/convert"
_CACHE_FORMAT = 2  # part of the cache key: raise it when Converted.to_json changes (build.py is not in code_version)
STATE = ".cache/last-build.json"  # inputs and outputs of the last build: an unchanged project is not rebuilt
STAGES = ("read", "convert", "validate", "split", "write")


def parquet_path(config: str, split: str) -> str:
    """Hub-style file name of one split, relative to the output folder."""
    return f"{config}/{split}-00000-of-00001.parquet"


@cache
def code_version() -> str:
    """sha256 of the code that makes records (everything but the benchmark, docs and CLI): the cache key's second half."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if not rel.startswith("bench/") and rel not in ("card.py", "cli.py", "build.py"):
            h.update(rel.encode() + b"\0" + path.read_bytes())
    h.update((Path(__file__).resolve().parents[2] / "schema" / "item.schema.json").read_bytes())
    h.update((Path(__file__).resolve().parents[2] / "schema" / "document.schema.json").read_bytes())
    return h.hexdigest()


def _convert_for_build(job: tuple[Path, Path, str | None, str]) -> Converted:
    """One file for the build: from the cache when its bytes and the code are unchanged, else converted and its items' words counted."""
    path, root, cache_dir, version = job
    key = data = None
    if cache_dir:
        try:
            data = path.read_bytes()
        except OSError:  # convert_file reports it
            pass
        key = hashlib.sha256(f"{_CACHE_FORMAT}\0{version}\0{_published_path(path, root)}\0".encode() + (data or b"")).hexdigest()
        hit = Path(cache_dir) / key[:2] / f"{key}.json"
        if hit.exists():
            return Converted.from_json(hit.read_text(encoding="utf-8"))
    c = convert_file(path, root, data=data)  # read once
    if c.ok:
        clock = time.perf_counter()
        c.terms = dedup.term_counts(dedup.item_text(it) for it in c.items)
        c.seconds["split"] = time.perf_counter() - clock
    if key:
        hit.parent.mkdir(parents=True, exist_ok=True)
        tmp = hit.with_name(f".{hit.name}.{os.getpid()}.tmp")
        tmp.write_text(c.to_json(), encoding="utf-8")
        os.replace(tmp, hit)
    return c


_BATCH = 16  # files a worker converts per task: fewer round trips between processes


def _convert_batch(jobs: list[tuple]) -> list[Converted]:
    return [_convert_for_build(job) for job in jobs]


def raw_files(root: Path, raw_dir: str = RAW_DIR) -> list[Path]:
    """Every raw document below ``raw_dir``, sorted; hidden files, README files and the source manifest are skipped."""
    base = root / raw_dir
    return sorted(p for p in base.rglob("*") if p.is_file() and not p.name.startswith(".") and p.name.lower() != "readme.md"
                  and not (p.parent == base and p.name in META_FILES))


def convert_all(paths: Iterable[Path], root: Path, *, num_proc: int = 1, progress: bool = False, cache: bool = True,
                executor: Executor | None = None) -> Iterator[Converted]:
    """Convert files in order, on ``num_proc`` processes (``executor``'s, if given), with a progress bar when asked."""
    paths = list(paths)
    cache_dir = str(root / CACHE_DIR) if cache else None
    jobs = [(p, root, cache_dir, code_version()) for p in paths]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(paths), unit="doc", desc="convert", file=sys.stderr)
    if num_proc > 1 or executor is not None:
        # Executor.map would submit every file at once and hold each result until it is read: a window of
        # batches keeps both bounded however many files there are
        batches = (jobs[i : i + _BATCH] for i in range(0, len(jobs), _BATCH))
        with _processes(num_proc) if executor is None else contextlib.nullcontext(executor) as pool:
            window = deque(pool.submit(_convert_batch, batch) for batch in itertools.islice(batches, 4 * max(num_proc, 2)))
            while window:
                results = window.popleft().result()
                if (batch := next(batches, None)) is not None:
                    window.append(pool.submit(_convert_batch, batch))
                for result in results:
                    bar and bar.update()
                    yield result
    else:
        for job in jobs:
            result = _convert_for_build(job)
            bar and bar.update()
            yield result
    bar and bar.close()


def _processes(num_proc: int) -> ProcessPoolExecutor | contextlib.nullcontext:
    """The build's worker processes (conversion, then the pair search), or a stand-in for none when ``num_proc`` is 1.

    Started before pass 1 fills the main process: a forked worker maps, and is measured with, its parent's memory.
    """
    return ProcessPoolExecutor(num_proc) if num_proc > 1 else contextlib.nullcontext()


@dataclass
class BuildResult:
    """What a build did: counts that add up, every rejected input with its issues, the report, and stage times."""

    inputs: int
    published: list[str]
    rejected: dict[str, list[Issue]]
    report: dict
    label_problems: list[Issue] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False  # nothing changed since the last build: nothing was rebuilt
    peak_rss_mb: dict[str, int | None] = field(default_factory=dict)  # main process, at the end of each pass

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.label_problems


def build(root: Path = Path("."), *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR, num_proc: int = 1,
          progress: bool = False, cache: bool = True) -> BuildResult:
    """Build ``out_dir`` (and the generated documentation) from ``raw_dir`` and ``labels/``.

    Everything is written to a staging folder first and moved into place at
    the end, so a build that is killed leaves the previous ``splits/`` whole.
    """
    root = Path(root)
    clock = time.perf_counter()
    state_path = root / STATE
    if cache and (previous := _up_to_date(root, state_path, raw_dir, out_dir)):
        previous.seconds = {"read": time.perf_counter() - clock}
        return previous
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    try:
        result = generate(root, staging, raw_dir=raw_dir, out_dir=out_dir, num_proc=num_proc, progress=progress, cache=cache)
        clock = time.perf_counter()
        for name in result.outputs:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, root / name)
        if cache:
            _save_state(root, state_path, raw_dir, out_dir, result)
        result.seconds["write"] += time.perf_counter() - clock
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _inputs(root: Path, raw_dir: str, out_dir: str) -> str:
    """sha256 over everything a build reads: code, schemas, raw files, labels, the split lock, the docs' prose, results."""
    h = hashlib.sha256(f"{raw_dir}\0{out_dir}\0{code_version()}\0".encode())
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted((package.parents[1] / "schema").glob("*.json"))
    files += raw_files(root, raw_dir) + label_files(root) + sorted((root / "labels").glob("*.md"))
    files += [root / out_dir / LOCK, root / "README.md", root / "DATASHEET.md"] + sorted((root / card.RESULTS).glob("*/*.json"))
    for path in files:
        if path.exists():
            h.update(str(path).encode() + b"\0")
            with open(path, "rb") as f:  # in pieces: the split lock of a large corpus is tens of MB
                for piece in iter(lambda: f.read(1 << 20), b""):
                    h.update(piece)
    return h.hexdigest()


def _up_to_date(root: Path, state_path: Path, raw_dir: str, out_dir: str) -> BuildResult | None:
    """The previous result when no input changed and no output was touched since (make-style); else None."""
    if not state_path.exists():
        return None
    state = json.loads(state_path.read_text(encoding="utf-8"))
    if state["inputs"] != _inputs(root, raw_dir, out_dir):
        return None
    if any(not (root / name).exists() or card._sha256(root / name) != sha for name, sha in state["outputs"].items()):
        return None
    r = state["result"]
    return BuildResult(r["inputs"], r["published"], {p: [Issue(**i) for i in v] for p, v in r["rejected"].items()}, r["report"],
                       [Issue(**i) for i in r["label_problems"]], r["outputs"], {}, up_to_date=True)


def _save_state(root: Path, state_path: Path, raw_dir: str, out_dir: str, result: BuildResult) -> None:
    state = {
        "inputs": _inputs(root, raw_dir, out_dir),
        "outputs": {name: card._sha256(root / name) for name in result.outputs},
        "result": {"inputs": result.inputs, "published": result.published, "report": result.report, "outputs": result.outputs,
                   "rejected": {p: [i.to_dict() for i in v] for p, v in result.rejected.items()},
                   "label_problems": [i.to_dict() for i in result.label_problems]},
    }
    state_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = state_path.with_name(f".{state_path.name}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, state_path)


def generate(root: Path, staging: Path, *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR, num_proc: int = 1,
             progress: bool = False, cache: bool = True) -> BuildResult:
    """Write every generated file into ``staging`` (same layout as ``root``); see :func:`build`."""
    root, staging = Path(root), Path(staging)
    seconds = Counter({s: 0.0 for s in STAGES})
    located_labels, label_problems = read_labels(label_files(root), root)
    with _processes(num_proc) as pool:
        spooled = _convert_pass(root, staging, raw_dir, {loc.record["item_id"] for loc in located_labels},
                                executor=pool, progress=progress, cache=cache, seconds=seconds)
        peaks = {"convert": _peak_rss_mb()}

        clock = time.perf_counter()
        pairs, below, groups = _near_duplicates(spooled.ids, spooled.terms, pool)
    lock = splits.read_lock(root / out_dir / LOCK)
    split_of, conflicts = splits.assigner(groups, lock)
    if located_labels:
        label_problems += label_issues(located_labels, spooled.labeled_texts, version=guideline_version(root))
    labels = passing(located_labels, label_problems)
    seconds["split"] += time.perf_counter() - clock
    peaks["near-duplicates and splits"] = _peak_rss_mb()

    clock = time.perf_counter()
    listed = sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:LISTED_PAIRS]
    stats, titles, outputs, unlocked = _write_pass(staging, out_dir, spooled.ids, split_of, lock, labels,
                                                   {i for a, b, _ in listed + below for i in (a, b)})
    report = _report(spooled, stats, groups, len(pairs), listed, below, conflicts, unlocked, titles)
    report["labels"] = {"labeled_items": len(labels), "unlabeled_items": len(spooled.ids) - len(labels),
                        "evaluation_items_without_claims": sum(stats.items_per_split[s] - stats.claims_labeled_per_split[s]
                                                               for s in ("validation", "test")),
                        "problems": [i.to_dict() for i in label_problems]}
    (staging / out_dir / REPORT).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (staging / out_dir / CLUSTERS).write_text("".join(json.dumps(g) + "\n" for g in groups), encoding="utf-8")
    outputs += [f"{out_dir}/{REPORT}", f"{out_dir}/{CLUSTERS}"]
    for name, data in card.generate(root, stats, report, staging).items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
        outputs.append(name)
    seconds["write"] += time.perf_counter() - clock
    peaks["write"] = _peak_rss_mb()
    return BuildResult(spooled.inputs, spooled.published, spooled.rejected, report, label_problems, outputs, dict(seconds),
                       peak_rss_mb=peaks)


def _peak_rss_mb() -> int | None:
    """This process's peak resident memory so far, in MB (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 2**10))  # bytes on macOS, KiB on Linux


_RECORDS, _TERMS = ".records.jsonl", ".terms"  # pass 1's spool, inside the staging folder


class ItemIds:
    """Item ids in build order, held as NumPy byte strings: some 30 bytes an id, where a list of str costs 90.

    >>> ids = ItemIds(); ids.append("a-1"); ids.append("b-22")
    >>> len(ids), ids[1], ids.array().tolist()
    (2, 'b-22', [b'a-1', b'b-22'])
    """

    _CHUNK = 1 << 16  # ids per array; the newest ones wait as Python bytes until a chunk is full

    def __init__(self):
        self._arrays: list[np.ndarray] = []  # full chunks only, so that id n is in array n // _CHUNK
        self._open: list[bytes] = []

    def append(self, item_id: str) -> None:
        self._open.append(item_id.encode())
        if len(self._open) == self._CHUNK:
            self._arrays.append(np.array(self._open, dtype=bytes))  # as wide as its longest id
            self._open = []

    def __len__(self) -> int:
        return len(self._arrays) * self._CHUNK + len(self._open)

    def __getitem__(self, n: int) -> str:
        chunk, at = divmod(n, self._CHUNK)
        return (self._arrays[chunk][at] if chunk < len(self._arrays) else self._open[at]).decode()

    def array(self) -> np.ndarray:
        """Every id as one byte-string array (for sorting the split lock)."""
        return np.concatenate([*self._arrays, np.array(self._open, dtype=bytes)])


@dataclass
class _Spooled:
    """What pass 1 keeps in memory; the records themselves are in the spool on disk."""

    inputs: int = 0
    published: list[str] = field(default_factory=list)
    rejected: dict[str, list[Issue]] = field(default_factory=dict)
    ids: ItemIds = field(default_factory=ItemIds)
    terms: dedup.TermStore | None = None
    labeled_texts: dict[str, dict] = field(default_factory=dict)
    coverage: dict[str, Counter] = field(default_factory=dict)  # line accounting summed per format (per document: in its record)


def _convert_pass(root: Path, staging: Path, raw_dir: str, wanted: set[str], *, executor: Executor | None, progress: bool,
                  cache: bool, seconds: Counter) -> _Spooled:
    """Pass 1: convert every raw file, reject bad and duplicate ones, spool records and item word counts to disk."""
    out = _Spooled(terms=dedup.TermStore(staging / _TERMS))
    seen_id: dict[str, str] = {}
    seen_sha: dict[str, str] = {}
    with open(staging / _RECORDS, "w", encoding="utf-8") as records:
        for c in convert_all(raw_files(root, raw_dir), root, progress=progress, cache=cache, executor=executor):
            out.inputs += 1
            seconds.update(c.seconds)
            if c.ok and (first := seen_id.get(c.document["id"]) or seen_sha.get(c.document["raw_sha256"])):
                same = "the same bytes as" if seen_sha.get(c.document["raw_sha256"]) else "the same document id as"
                c.issues.append(Issue(c.path, "duplicate-document", f"{c.document['id']} has {same} {first}", json_path="$.id",
                                      value=c.document["id"], hint="remove one of the two files (or give this one its own article id)"))
            if not c.ok:
                out.rejected[c.path] = c.issues
                continue
            seen_id[c.document["id"]] = seen_sha[c.document["raw_sha256"]] = c.path
            out.published.append(c.path)
            # summed per format: the report's table would otherwise grow by a row a document
            totals = out.coverage.setdefault(c.document["format"], Counter())
            totals.update(documents=1, **{k: c.document["coverage"][k] for k in COVERAGE_COUNTS})
            records.write(json.dumps({"document": c.document, "items": c.items}, ensure_ascii=False) + "\n")
            out.terms.add(c.terms)
            for it in c.items:
                out.ids.append(it["id"])
                if it["id"] in wanted:
                    out.labeled_texts[it["id"]] = {"id": it["id"], "text": it["text"]}
    return out


def _near_duplicates(ids: ItemIds, terms: dedup.TermStore, executor: Executor | None) -> tuple[list, list, list[list[str]]]:
    """Pass 2: pairs at or above the threshold, the closest compared pairs below it, and the clusters of two or more."""
    pairs, below = dedup.near_duplicates(ids, terms.matrix(), closest_below=5, executor=executor)
    shutil.rmtree(terms.folder, ignore_errors=True)
    return pairs, below, dedup.groups(pairs)


def _write_pass(staging: Path, out_dir: str, ids: ItemIds, split_of, lock: dict[str, str], labels: dict[str, dict],
                titled: set[str]) -> tuple[card.Stats, dict[str, str], list[str], list[str]]:
    """Pass 3: stream the spooled records, with their labels, into one Parquet file per config and split; write the lock.

    Returns the figures, the titles of ``titled`` items, the files written and the lock entries whose item is gone.
    """
    stats = card.Stats()
    titles: dict[str, str] = {}
    codes = bytearray()  # each item's split (index in SPLITS), in the order of ``ids``, for the lock
    seen_locked: set[str] = set()
    writers = {("documents", "train"): ParquetStream(staging / out_dir / parquet_path("documents", "train"), DOCUMENT_FEATURES,
                                                        DOCUMENT_ROW_GROUP)}
    for split in splits.SPLITS:
        writers[("items", split)] = ParquetStream(staging / out_dir / parquet_path("items", split), ITEM_FEATURES)
    with open(staging / _RECORDS, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            doc = rec["document"]
            writers[("documents", "train")].add(doc)
            stats.add_document(doc)
            for it in rec["items"]:
                split = split_of(it["id"])
                codes.append(splits.SPLITS.index(split))
                if it["id"] in lock:
                    seen_locked.add(it["id"])
                row = with_labels(it, labels.get(it["id"]))
                writers[("items", split)].add(row)
                stats.add_item(row, doc["format"], split)
                if it["id"] in titled:
                    titles[it["id"]] = it["title"] or it["text"][:30]
    for w in writers.values():
        w.close()
    (staging / _RECORDS).unlink()
    unlocked = sorted(i for i in lock if i not in seen_locked)  # kept: the story keeps its split if it returns
    lock_ids = np.concatenate([ids.array(), np.array([i.encode() for i in unlocked], dtype=bytes)]) if unlocked else ids.array()
    lock_codes = np.concatenate([np.frombuffer(codes, np.uint8), np.array([splits.SPLITS.index(lock[i]) for i in unlocked], np.uint8)])
    splits.write_lock(staging / out_dir / LOCK, lock_ids, lock_codes)
    return stats, titles, [f"{out_dir}/{parquet_path(c, s)}" for c, s in writers] + [f"{out_dir}/{LOCK}"], unlocked


def _report(spooled: _Spooled, stats: card.Stats, groups, n_pairs: int, listed, below, conflicts, unlocked, title) -> dict:
    return {
        "inputs": spooled.inputs,
        "published": len(spooled.published),
        "rejected": {path: [i.to_dict() for i in issues] for path, issues in sorted(spooled.rejected.items())},
        "documents": len(spooled.published),
        "items": len(spooled.ids),
        "items_per_split": {s: stats.items_per_split[s] for s in splits.SPLITS},
        "coverage": {fmt: {k: totals[k] for k in ("documents", *COVERAGE_COUNTS)} for fmt, totals in sorted(spooled.coverage.items())},
        "near_duplicates": {
            "method": f"TF-IDF cosine over jieba words (rjieba) of title + text, hashed into {dedup.N_FEATURES:,} buckets, "
                      f"compared within blocks of shared top-{dedup.BLOCK_TERMS} terms",
            "threshold": dedup.THRESHOLD,
            "n_pairs": n_pairs,
            "pairs": [{"a": a, "b": b, "cosine": v, "a_title": title[a], "b_title": title[b]} for a, b, v in listed],
            "closest_below_threshold": [{"a": a, "b": b, "cosine": v, "a_title": title[a], "b_title": title[b]} for a, b, v in below],
            "n_clusters": len(groups),
            "items_in_clusters": sum(len(c) for c in groups),
            "largest_cluster": max(map(len, groups), default=0),
            "clusters_across_formats": sum(len({i.split("-", 1)[0] for i in c}) > 1 for c in groups),  # ids start with the format
            "clusters_file": f"{OUT_DIR}/{CLUSTERS}",
            "clusters_spanning_splits": conflicts,
        },
        "split_lock": {"entries_without_item": unlocked},
    }


@dataclass
class CheckResult:
    """What ``aicorpus check`` finds: generated files out of date, inputs the build rejects, and release checks.

    ``problems()`` lists what must be fixed before a commit; ``problems(release=True)`` adds what must be
    done before a release (every item labeled, results computed on the current data).
    """

    stale: list[str] = field(default_factory=list)
    rejected: dict[str, list[Issue]] = field(default_factory=dict)
    manifest: list[Issue] = field(default_factory=list)
    label_problems: list[Issue] = field(default_factory=list)
    unlabeled: int = 0
    items: int = 0
    eval_without_claims: int = 0  # validation and test items whose claims are not labelled
    stale_results: list[str] = field(default_factory=list)

    def problems(self, release: bool = False) -> list[str]:
        out = [f"stale: {name}" for name in self.stale]
        out += [f"rejected: {issue.format()}" for issues in self.rejected.values() for issue in issues if issue.severity == "error"]
        out += [issue.format() for issue in self.manifest + self.label_problems]
        if release:
            out += [f"stale result: {name} (rerun python scripts/run_baselines.py)" for name in self.stale_results]
            if self.unlabeled:
                out.append(f"unlabeled: {self.unlabeled} of {self.items} items have no hand label yet (labels/GUIDELINES.md)")
            if self.eval_without_claims:
                out.append(f"claims: {self.eval_without_claims} validation and test items have no labelled claims (the benchmark needs them)")
        return out

    def notes(self) -> list[str]:
        """The release checks as information, for a check that is not a release."""
        out = []
        if self.unlabeled:
            out.append(f"{self.unlabeled} of {self.items} items are not labeled yet: a release needs every item labeled (check --release)")
        if self.eval_without_claims:
            out.append(f"{self.eval_without_claims} validation and test items have no labelled claims: a release needs them (check --release)")
        if self.stale_results:
            out.append(f"results computed on other data: {', '.join(self.stale_results)} (rerun python scripts/run_baselines.py before a release)")
        return out


def check(root: Path = Path("."), *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR) -> CheckResult:
    """Compare the generated files (relative to ``root``) with a fresh build, and run the release checks.

    Parquet files are compared by content (schema, metadata and rows), so a
    new pyarrow that writes different bytes for the same data is not stale;
    Croissant without its hashes, for the same reason; plots through the
    figures they draw (in the build report).
    """
    from .bench.runner import stale_results  # results depend on labels and items: rerun the baselines
    from .manifest import manifest_issues

    root = Path(root)
    with tempfile.TemporaryDirectory(prefix=".check-") as tmp:
        result = generate(root, Path(tmp), raw_dir=raw_dir, out_dir=out_dir)
        stale = []
        for name in result.outputs:
            fresh, target = Path(tmp) / name, root / name
            if not target.exists():
                stale.append(name)
            elif name.endswith(".png"):
                continue
            elif name.endswith(".parquet"):
                if not pq.read_table(fresh).equals(read_table(target), check_metadata=True):
                    stale.append(name)
            elif name == card.CROISSANT:
                if card.without_hashes(target.read_bytes()) != card.without_hashes(fresh.read_bytes()):
                    stale.append(name)
            elif target.read_bytes() != fresh.read_bytes():
                stale.append(name)
    raw_paths = [p.relative_to(root).as_posix() for p in raw_files(root, raw_dir)]
    return CheckResult(stale, result.rejected, manifest_issues(root, raw_paths), result.label_problems,
                       result.report["labels"]["unlabeled_items"], result.report["items"],
                       result.report["labels"]["evaluation_items_without_claims"], stale_results(root))
