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
so that ``inputs == published + rejected`` always holds. Raw files and labels
are read from regular files only (:mod:`aicorpus.inputs`): a link, FIFO or
device is a rejected input, never read.

Output is written to a staging folder, then switched into place together
(:func:`switch`): the staging folder is committed by one rename, and a build
killed after that is completed by the next one (:func:`recover`); a target that
cannot be written stops the switch before it starts or rolls back what it did.
:func:`check` builds into a temporary folder, without any cache, and compares;
the conversion cache is trusted only while git does not track it.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
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
from .errors import AicorpusError, Issue
from .inputs import check_path, is_regular, read_bytes, walk
from .manifest import META_FILES
from .sources import MAX_BYTES, TOO_LARGE_HINT
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
STAGING_PREFIX = ".staging-"  # a build's outputs before the switch (git-ignored)
SWITCH = ".aicorpus-switch"  # the staging folder once the switch is committed (git-ignored); see switch()
_JOURNAL = ".outputs.json"  # inside it: the outputs it holds, in the order they are put in place
#: Paths that only a build writes and that must never be committed: a committed cache or switch would be trusted input.
LOCAL_ONLY = (".cache", SWITCH)

#: Called with the name of each point the build reaches: "convert", "near-duplicates", "write" (the passes
#: start), "switch" (the switch is committed), "replaced:<output>" (one output is in place). Tests stop a
#: build at a defined point with it (a signal, a file added) instead of after a guessed time.
HOOK: Callable[[str], None] | None = None


def _reached(point: str) -> None:
    if HOOK is not None:
        HOOK(point)


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
        try:  # as convert_file reads: a link or a FIFO is refused without being read
            data = read_bytes(path, _published_path(path, root), limit=MAX_BYTES, root=root, hint=TOO_LARGE_HINT)
        except AicorpusError as exc:
            return Converted(_published_path(path, root), issues=[exc.issue])
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
    """Every raw document below ``raw_dir`` that is a regular file, sorted (see :func:`raw_inputs`)."""
    return raw_inputs(root, raw_dir)[0]


def raw_inputs(root: Path, raw_dir: str = RAW_DIR) -> tuple[list[Path], list[Issue]]:
    """The raw documents below ``raw_dir`` (sorted), and an error for every entry that is not a regular file.

    Hidden files, README files and the source manifest are skipped. The folder is walked without
    following links; a link (wherever it points), a FIFO or a device is refused without being opened.
    """
    base = Path(root) / raw_dir
    return walk(base, Path(root), skip=lambda p: p.name.lower() == "readme.md" or (p.parent == base and p.name in META_FILES))


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
    Each worker ends itself when the build's process is gone (:func:`_outlive_no_parent`).
    """
    return ProcessPoolExecutor(num_proc, initializer=_outlive_no_parent) if num_proc > 1 else contextlib.nullcontext()


def _outlive_no_parent() -> None:
    """In a worker: end this process as soon as its parent is gone.

    A build killed by TERM or KILL never shuts its pool down, and its workers would wait for work forever
    (some 200 MB each). multiprocessing gives each child a sentinel that becomes ready when the parent
    exits; a thread waits on it (no polling) and ends the worker.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


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
    recover(root)  # a build killed after its switch was committed: finish it first
    state_path = root / STATE
    cache = cache and not committed(root, LOCAL_ONLY)  # a cache that came with the sources is not this machine's: never trust it
    # The inputs are hashed before anything is read: a file added or changed while the build runs makes the
    # next build see a change (hashed after, it would be recorded as built and never be).
    inputs = _inputs(root, raw_dir, out_dir)
    if cache and (previous := _up_to_date(root, state_path, inputs)):
        previous.seconds = {"read": time.perf_counter() - clock}
        return previous
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        result = generate(root, staging, raw_dir=raw_dir, out_dir=out_dir, num_proc=num_proc, progress=progress, cache=cache)
        clock = time.perf_counter()
        switch(root, staging, result.outputs)
        if cache:
            _save_state(state_path, inputs, root, result)
        result.seconds["write"] += time.perf_counter() - clock
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def switch(root: Path, staging: Path, outputs: list[str]) -> None:
    """Put every output of ``staging`` in place together: all of them, or (on an error) none.

    Outputs live in several folders (splits/, docs/plots/, the project root), so no single rename can
    replace them all. Instead: every target is checked first (its folder writable, no folder in the
    file's place), so that the usual failures stop the switch before it starts; then the list of outputs
    is written into the staging folder and the folder is renamed to :data:`SWITCH`, which commits the
    switch in one step; then each output replaces its target, the old file kept as a hard link until the
    end. An error on the way puts every old file back. A build killed after the commit leaves
    :data:`SWITCH`, which the next build completes (:func:`recover`) before anything else, and which
    ``aicorpus check`` reports; killed before it, nothing was touched.
    """
    root, staging = Path(root), Path(staging)
    _preflight(root, outputs)
    (staging / _JOURNAL).write_text(json.dumps({"outputs": outputs}, ensure_ascii=False), encoding="utf-8")
    folder = root / SWITCH
    os.rename(staging, folder)  # the commit: from here on the new outputs are the build's result
    _reached("switch")
    done: list[tuple[str, bool]] = []  # outputs in place, and whether an old file was kept
    try:
        for name in outputs:
            done.append((name, _put(root, folder, name)))
            _reached(f"replaced:{name}")
    except OSError as exc:
        _roll_back(root, folder, done)
        raise AicorpusError(Issue(name, "output-not-writable", f"cannot put {name} in place: {exc.strerror or exc}; "
                                  "every output was restored to its state before the build", hint="make the target writable and build again")) from None
    shutil.rmtree(folder, ignore_errors=True)


def _preflight(root: Path, outputs: list[str]) -> None:
    """Raise before any output is replaced when a target's folder cannot be written or a target is not a file."""
    folders = set()
    for name in outputs:
        target = root / name
        if os.path.lexists(target) and stat.S_ISDIR(os.lstat(target).st_mode):
            raise AicorpusError(Issue(name, "output-not-writable", f"{name} is a folder, where the build writes a file; no output was changed",
                                      hint="remove the folder and build again"))
        folders.add(target.parent)
    for folder in sorted(folders):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):  # what the rename needs: an entry created in the folder
                pass
        except OSError as exc:
            rel = _published_path(folder, root)
            raise AicorpusError(Issue(rel, "output-not-writable", f"cannot write in {rel}/: {exc.strerror or exc}; no output was changed",
                                      hint="make the folder writable and build again")) from None


def _put(root: Path, folder: Path, name: str) -> bool:
    """Replace ``root/name`` with ``folder/name``, keeping the old file (a hard link, else a copy) in ``folder/.old``."""
    target, new = root / name, folder / name
    kept = os.path.lexists(target)
    if kept:
        old = folder / ".old" / name
        old.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(old):
            try:
                os.link(target, old, follow_symlinks=False)
            except OSError:
                shutil.copy2(target, old, follow_symlinks=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(new, target)
    return kept


def _roll_back(root: Path, folder: Path, done: list[tuple[str, bool]]) -> None:
    for name, kept in reversed(done):
        target = root / name
        if kept:
            os.replace(folder / ".old" / name, target)
        elif os.path.lexists(target):
            os.unlink(target)
    shutil.rmtree(folder, ignore_errors=True)


def recover(root: Path) -> bool:
    """Complete a switch that a killed build committed (:func:`switch`); True when there was one.

    Only the outputs the switch's own list names are moved, and only to paths inside ``root``.
    """
    root = Path(root)
    folder = root / SWITCH
    if not os.path.lexists(folder):
        return False
    if not stat.S_ISDIR(os.lstat(folder).st_mode):
        raise AicorpusError(Issue(SWITCH, "invalid-switch", f"{SWITCH} is not a folder a build left", hint=f"remove {SWITCH}"))
    try:
        outputs = json.loads((folder / _JOURNAL).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        raise AicorpusError(Issue(SWITCH, "invalid-switch", f"{SWITCH} holds no list of outputs: no build left it",
                                  hint=f"remove {SWITCH} and build again")) from None
    for name in outputs:
        if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts or name.startswith(SWITCH):
            raise AicorpusError(Issue(SWITCH, "invalid-switch", f"{SWITCH} names an output outside the project: {name!r}",
                                      hint=f"remove {SWITCH} and build again"))
    try:
        for name in outputs:
            if os.path.lexists(folder / name):
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / name, root / name)
    except OSError as exc:
        raise AicorpusError(Issue(name, "output-not-writable", f"cannot finish the interrupted build: {name}: {exc.strerror or exc}",
                                  hint=f"make the target writable and build again ({SWITCH} keeps the outputs until then)")) from None
    shutil.rmtree(folder, ignore_errors=True)
    return True


def committed(root: Path, paths: Iterable[str]) -> list[str]:
    """The files under ``paths`` (relative to ``root``) that git tracks: none outside a git work tree, or without git."""
    try:
        done = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", *paths], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    return [p for p in done.stdout.decode("utf-8", "replace").split("\0") if p] if done.returncode == 0 else []


def _inputs(root: Path, raw_dir: str, out_dir: str) -> str:
    """sha256 over everything a build reads but does not write: code, schemas, raw files, labels, results.

    The build's own outputs that it also reads (the split lock, README.md and DATASHEET.md, whose prose is
    kept) are left out: the state records their hashes after the build, and any change to them is seen
    there. A file that is not regular (a link, a FIFO) is hashed by its name alone, never opened.
    """
    h = hashlib.sha256(f"{raw_dir}\0{out_dir}\0{code_version()}\0".encode())
    package = Path(__file__).resolve().parent
    files = sorted(package.rglob("*.py")) + sorted((package.parents[1] / "schema").glob("*.json"))
    raw, refused = raw_inputs(root, raw_dir)
    files += raw + [root / i.file for i in refused] + label_files(root) + sorted((root / "labels").glob("*.md"))
    files += [root / name for name in ("raw/MANIFEST.jsonl", "raw/POPULATIONS.json")] + sorted((root / card.AGREEMENT).glob("*.jsonl"))
    files += sorted((root / card.RESULTS).glob("*/*.json"))
    for path in files:
        if os.path.lexists(path):
            h.update(str(path).encode() + b"\0")
            _hash_file(h, path)
    return h.hexdigest()


def _hash_file(h, path: Path) -> None:
    """Feed the bytes of ``path`` to ``h`` when it is a regular file (opened without following a link or blocking), else a mark."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        h.update(b"\0unreadable\0")
        return
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            h.update(b"\0not a regular file\0")
            return
        for piece in iter(lambda: f.read(1 << 20), b""):  # in pieces: a file may be tens of MB
            h.update(piece)


def _up_to_date(root: Path, state_path: Path, inputs: str) -> BuildResult | None:
    """The previous result when no input changed and no output was touched since (make-style); else None."""
    if not is_regular(state_path):
        return None
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state["inputs"] != inputs:
            return None
        if any(not is_regular(root / name) or card._sha256(root / name) != sha for name, sha in state["outputs"].items()):
            return None
        r = state["result"]
        return BuildResult(r["inputs"], r["published"], {p: [Issue(**i) for i in v] for p, v in r["rejected"].items()}, r["report"],
                           [Issue(**i) for i in r["label_problems"]], r["outputs"], {}, up_to_date=True)
    except (ValueError, KeyError, TypeError):  # a state this version did not write: build
        return None


def _save_state(state_path: Path, inputs: str, root: Path, result: BuildResult) -> None:
    state = {
        "inputs": inputs,
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
        _reached("convert")
        spooled = _convert_pass(root, staging, raw_dir, out_dir, {loc.record["item_id"] for loc in located_labels},
                                executor=pool, progress=progress, cache=cache, seconds=seconds)
        peaks = {"convert": _peak_rss_mb()}

        _reached("near-duplicates")
        clock = time.perf_counter()
        pairs, below, groups = _near_duplicates(spooled.ids, spooled.terms, pool)
    lock = read_lock(root, out_dir)
    split_of, conflicts = splits.assigner(groups, lock)
    if located_labels:
        label_problems += label_issues(located_labels, spooled.labeled_texts, version=guideline_version(root))
    labels = passing(located_labels, label_problems)
    seconds["split"] += time.perf_counter() - clock
    peaks["near-duplicates and splits"] = _peak_rss_mb()

    _reached("write")
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


def read_lock(root: Path, out_dir: str = OUT_DIR) -> dict[str, str]:
    """The split lock, or an :class:`AicorpusError` naming it when it is a link, not JSON lines, or names an unknown split."""
    path, name = Path(root) / out_dir / LOCK, f"{out_dir}/{LOCK}"
    if not os.path.lexists(path):
        return {}
    check_path(path, name, Path(root))
    try:
        lock = splits.read_lock(path)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise AicorpusError(Issue(name, "invalid-lock", f"the split lock cannot be read: {type(exc).__name__}: {str(exc)[:120]}",
                                  hint='one {"item_id": ..., "split": ...} a line; restore it from git')) from None
    if bad := next((i for i, s in lock.items() if s not in splits.SPLITS or not isinstance(i, str)), None):
        raise AicorpusError(Issue(name, "invalid-lock", f"the split lock gives {bad!r} the split {lock[bad]!r}",
                                  hint=f"a split is one of {', '.join(splits.SPLITS)}; restore the lock from git"))
    return lock


def published_owners(root: Path, out_dir: str = OUT_DIR) -> dict[str, str]:
    """Document id and raw sha256 -> the raw path that publishes it, from the published documents (empty when unreadable)."""
    out: dict[str, str] = {}
    for path in sorted((Path(root) / out_dir / "documents").glob("*.parquet")):
        try:
            rows = pq.ParquetFile(path).read(columns=["id", "raw_sha256", "raw_path"]).to_pylist() if is_regular(path) else []
        except Exception:  # noqa: BLE001 - a damaged file is reported as stale by check; it names no owner here
            continue
        for row in rows:
            out[row["id"]] = out[row["raw_sha256"]] = row["raw_path"]
    return out


def _convert_pass(root: Path, staging: Path, raw_dir: str, out_dir: str, wanted: set[str], *, executor: Executor | None,
                  progress: bool, cache: bool, seconds: Counter) -> _Spooled:
    """Pass 1: convert every raw file, reject bad and duplicate ones, spool records and item word counts to disk.

    Two files with one document id (or the same bytes) are an error naming both. The one that the
    published documents record keeps the id, wherever it sorts: a new file cannot take over a published
    document (and its labels) by sorting first.
    """
    out = _Spooled(terms=dedup.TermStore(staging / _TERMS))
    seen_id: dict[str, str] = {}
    seen_sha: dict[str, str] = {}
    paths, refused = raw_inputs(root, raw_dir)
    for issue in refused:  # links, FIFOs, devices, bad names: rejected inputs, never read
        out.inputs += 1
        out.rejected[issue.file] = [issue]
    names = {_published_path(p, root) for p in paths}
    owners = {k: v for k, v in published_owners(root, out_dir).items() if v in names}  # owners still present
    with open(staging / _RECORDS, "w", encoding="utf-8") as records:
        for c in convert_all(paths, root, progress=progress, cache=cache, executor=executor):
            out.inputs += 1
            seconds.update(c.seconds)
            doc_id, sha = (c.document["id"], c.document["raw_sha256"]) if c.ok else (None, None)
            owner = next((owners[k] for k in (doc_id, sha) if k in owners and owners[k] != c.path), None)
            if c.ok and owner is not None:
                same = "the same bytes as" if owners.get(sha) == owner else "the same document id as"
                c.issues.append(Issue(c.path, "duplicate-document", f"{doc_id} has {same} {owner}, which publishes it: this file cannot take it over",
                                      json_path="$.id", value=doc_id, hint="remove this file (or give it its own article id)"))
            elif c.ok and (first := seen_id.get(doc_id) or seen_sha.get(sha)):
                same = "the same bytes as" if seen_sha.get(sha) else "the same document id as"
                c.issues.append(Issue(c.path, "duplicate-document", f"{doc_id} has {same} {first}", json_path="$.id",
                                      value=doc_id, hint="remove one of the two files (or give this one its own article id)"))
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
    untrusted: list[Issue] = field(default_factory=list)  # committed caches, an unfinished switch
    base: list[Issue] = field(default_factory=list)  # against the published data of a git ref (check --base)

    def problems(self, release: bool = False) -> list[str]:
        out = [issue.format() for issue in self.untrusted]
        out += [f"stale: {name}" for name in self.stale]
        out += [f"rejected: {issue.format()}" for issues in self.rejected.values() for issue in issues if issue.severity == "error"]
        out += [issue.format() for issue in self.manifest + self.label_problems + self.base]
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


def check(root: Path = Path("."), *, raw_dir: str = RAW_DIR, out_dir: str = OUT_DIR, base: str | None = None) -> CheckResult:
    """Compare the generated files (relative to ``root``) with a fresh build, and run the release checks.

    The fresh build uses no cache: what it publishes is a function of the sources and the code alone,
    whatever a clone carries in ``.cache/`` (which must not be committed: that is a problem of its own).
    Parquet files are compared by content (schema, metadata and rows), so a
    new pyarrow that writes different bytes for the same data is not stale;
    Croissant without its hashes, for the same reason; plots through the
    figures they draw (in the build report). With ``base`` (a git ref, such as
    the branch a pull request goes into), the fresh build is also compared with
    the data published there (:func:`aicorpus.guard.base_issues`).
    """
    from .bench.runner import stale_results  # results depend on labels and items: rerun the baselines
    from .manifest import manifest_issues

    root = Path(root)
    untrusted = [Issue(path, "committed-cache", "git tracks this file, which only a build writes: a committed cache or switch "
                       "would be taken as the build's own work", hint=f"git rm -r --cached {path.split('/')[0]}")
                 for path in committed(root, LOCAL_ONLY)]
    untrusted += [Issue(path, "committed-staging", "git tracks a killed build's staging folder", hint=f"git rm -r --cached {path.split('/')[0]}")
                  for path in committed(root, [f"{STAGING_PREFIX}*"])]
    if os.path.lexists(root / SWITCH):
        untrusted.append(Issue(SWITCH, "unfinished-build", "a killed build left its outputs half switched", hint="run aicorpus build to finish it"))
    with tempfile.TemporaryDirectory(prefix=".check-") as tmp:
        result = generate(root, Path(tmp), raw_dir=raw_dir, out_dir=out_dir, cache=False)
        stale = [name for name in result.outputs if _differs(Path(tmp) / name, root / name)]
        base_problems = []
        if base is not None:
            from .guard import base_issues

            base_problems = base_issues(root, Path(tmp) / out_dir, base)
    raw_paths = [p.relative_to(root).as_posix() for p in raw_files(root, raw_dir)]
    return CheckResult(stale, result.rejected, manifest_issues(root, raw_paths), result.label_problems,
                       result.report["labels"]["unlabeled_items"], result.report["items"],
                       result.report["labels"]["evaluation_items_without_claims"], stale_results(root), untrusted, base_problems)


def _differs(fresh: Path, target: Path) -> bool:
    """True when the committed ``target`` is not what the fresh build wrote (a link, a FIFO or an unreadable file is)."""
    if not is_regular(target):
        return True
    if target.suffix == ".png":
        return False
    try:
        if target.suffix == ".parquet":
            return not pq.read_table(fresh).equals(read_table(target), check_metadata=True)
        if target.name == card.CROISSANT:
            return card.without_hashes(target.read_bytes()) != card.without_hashes(fresh.read_bytes())
        return target.read_bytes() != fresh.read_bytes()
    except Exception:  # noqa: BLE001 - a committed file the reader chokes on is not the fresh build's
        return True
