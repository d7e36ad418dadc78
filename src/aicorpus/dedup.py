"""Near-duplicate stories: TF-IDF cosine over jieba words, compared within blocks.

Digests retell the same story in their own words (003 tells one OpenAI
safety story three times), so character shingles (MinHash) barely overlap:
the retellings share few exact 3-grams, no more than unrelated stories do.
Word TF-IDF cosine, with IDF taken over the corpus, separates them.

Words come from rjieba, the Rust port of jieba (same dictionary and
algorithm, compiled: segmentation was most of the build's time with jieba;
it keeps ``gpt-4`` and ``node.js`` whole).
Terms are hashed (``N_FEATURES`` buckets), so no vocabulary is held.

Comparing every pair is quadratic, so pairs are *blocked*: an item is
compared (exact cosine) only with the items that share one of its
``BLOCK_TERMS`` heaviest TF-IDF terms, leaving out terms that are heavy in
more than ``POSTING_CAP`` items (the result does not depend on item order).
Exact duplicates (items with the same features) are grouped first and blocked as
one: 70 copies of one story would otherwise push every one of its terms past the
cap and never be compared with anything, not even with each other.
A test checks that on the seed and development corpora blocking finds every
pair the all-pairs cosine finds. Every pair at or above the threshold, and the
closest compared pairs below it, are listed in ``splits/build-report.json``.

For a large corpus the build keeps the matrix on disk (:class:`TermStore`):
memory holds the document frequencies, row offsets and each item's block
terms, not the corpus.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from .textnorm import feature_text

#: Cosine similarity at or above which two items are the same story (or its follow-up); chosen by reading
#: pairs of the 1,791-item corpus of release 0.2.0, band by band: most pairs under 0.3 are different stories on
#: one topic (two Firefox stories, two chips), and single linkage chained them into one cluster of 413 items
#: at 0.2 (161 at 0.22); from 0.28 up the largest cluster stays at 14 or 15 items. Pairs from 0.3 to 0.4 are
#: mostly one story retold or followed up (the same trending project, Bcachefs's merge saga), which a split
#: must keep together. (0.2 was chosen on the five seed documents alone.)
THRESHOLD = 0.3
BLOCK_TERMS = 16  # an item is compared with the items that share one of its 16 heaviest terms ...
POSTING_CAP = 64  # ... unless more than 64 items have that term among theirs (a term this common tells little)
N_FEATURES = 2**22  # hashed term ids: 4M buckets keep collisions rare (a test counts them) and the frequency table at 16 MB
_PAIRS_PER_CHUNK = 5_000  # candidate pairs scored at once: their row copies and products are the search's largest temporaries
_ROWS_PER_CHUNK = 10_000  # rows weighed or ranked at once
_BELOW_HELD = 10_000  # pairs under the threshold held before the closest are picked out
_TASKS = 8  # the least number of tasks the pair search is cut into when it has processes to share them
ROWS_IN_MEMORY = 50_000  # rows per chunk of the pair search: two chunks (some 120 MB) are in memory at a time
_WORD = re.compile(r"\w")


def words(text: str) -> list[str]:
    """jieba words with at least one letter or digit, lower-cased.

    >>> words("OpenAI增强安全团队，董事会有权否决GPT-4")
    ['openai', '增强', '安全', '团队', '董事会', '有权', '否决', 'gpt-4']
    >>> words("Ｏｐｅｎ\u200bＡＩ增\u200b强") == words("OpenAI增强")
    True
    """
    import rjieba  # here, not at the top: its dictionary (30 MB) is needed in the workers only

    # feature_text: NFKC, no zero-width or format characters, lower case (a disguised copy is still a copy)
    return [w for w in rjieba.cut(feature_text(text)) if w.isalnum() or _WORD.search(w)]  # isalnum: the quick common case


def item_text(item: dict) -> str:
    """What similarity is computed on: the title and the text."""
    return f"{item.get('title') or ''}\n{item.get('text') or ''}"


_HASHER = HashingVectorizer(analyzer=words, n_features=N_FEATURES, alternate_sign=False, norm=None, dtype=np.float32)


def term_counts(texts: Iterable[str]) -> sp.csr_matrix:
    """Hashed word counts, one row per text (what conversion workers compute).

    >>> sorted(term_counts(["模型 模型 开源"]).data.tolist())
    [1.0, 2.0]
    """
    return _HASHER.transform(texts)


def _idf(df: np.ndarray, n_rows: int) -> np.ndarray:
    """Smooth IDF from document frequencies, the formula of TfidfTransformer.fit: ln((1 + n) / (1 + df)) + 1.

    Only the terms that occur take a logarithm of their own; every other bucket shares the df = 0
    value (a logarithm of all 4M buckets was a sixth of a small build).

    >>> _idf(np.array([0, 1, 0, 2]), 2).tolist() == (np.log(3.0 / (1.0 + np.array([0, 1, 0, 2]))) + 1.0).astype(np.float32).tolist()
    True
    """
    idf = np.full(df.shape, np.log(1.0 + n_rows) + 1.0, dtype=np.float32)
    seen = np.flatnonzero(df)
    idf[seen] = (np.log((1.0 + n_rows) / (1.0 + df[seen])) + 1.0).astype(np.float32)
    return idf


def _weigher(idf: np.ndarray) -> TfidfTransformer:
    """scikit-learn's sublinear TF-IDF with L2 rows, given an IDF counted elsewhere (the build counts df as rows stream by)."""
    weigher = TfidfTransformer(sublinear_tf=True)
    weigher.idf_ = idf
    return weigher


def _df(term_ids: np.ndarray, n_features: int) -> np.ndarray:
    """How many rows hold each term (a row holds each term once), from the rows' term ids.

    ``np.unique`` over the ids, not a bincount: that allocated and summed all 4M buckets per call.

    >>> _df(np.array([3, 1, 3]), 5).tolist()
    [0, 1, 0, 2, 0]
    """
    df = np.zeros(n_features, np.int32)
    ids, counts = np.unique(term_ids, return_counts=True)
    df[ids] = counts
    return df


def tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF rows, IDF taken over these rows, in memory (small batches: validation, tests).

    >>> m = tfidf(term_counts(["开源 模型", "开源 芯片"]))
    >>> [round(float(v), 3) for v in (m @ m.T).toarray()[0]]
    [1.0, 0.336]
    """
    counts = counts.tocsr()
    df = _df(counts.indices, counts.shape[1])  # the IDF the build's TermStore counts, to the bit
    return _weigher(_idf(df, counts.shape[0])).transform(counts).tocsr()


def vectorize(texts: Iterable[str]) -> sp.csr_matrix:
    """TF-IDF rows of texts, in memory: ``tfidf(term_counts(texts))``."""
    return tfidf(term_counts(texts))


class RowChunks:
    """Rows of a TF-IDF matrix, handed out a chunk at a time (the interface :func:`similar_pairs` reads).

    This one wraps a matrix in memory; :meth:`TermStore.matrix` gives one that reads its chunks from disk.
    """

    def __init__(self, matrix: sp.csr_matrix):
        self._matrix = matrix.tocsr()
        self.shape = self._matrix.shape

    def rows(self, lo: int, hi: int) -> sp.csr_matrix:
        return self._matrix[lo:hi]


class DiskRows(RowChunks):
    """TF-IDF rows in two files (term ids, weights) with their offsets in memory; a chunk is read when asked for.

    Explicit reads, not a memory map: the kernel maps large page-cache folios
    around every fault, so random rows of a mapped file put most of it in RSS.
    """

    def __init__(self, folder: Path, indptr: np.ndarray):
        self.folder, self.indptr = Path(folder), indptr
        self.shape = (len(indptr) - 1, N_FEATURES)
        self._offsets_saved = False

    def __reduce__(self):
        # Sent to the search's processes with every task: the row offsets (9 MB at 1.2 million rows) go through
        # a file beside the rows, written once, and each process maps it.
        if not self._offsets_saved:
            np.save(self.folder / "indptr.npy", self.indptr)
            self._offsets_saved = True
        return _mapped_rows, (self.folder,)

    def rows(self, lo: int, hi: int) -> sp.csr_matrix:
        a, b = int(self.indptr[lo]), int(self.indptr[hi])
        indices = np.fromfile(self.folder / "indices.i32", np.int32, b - a, offset=4 * a)
        weights = np.fromfile(self.folder / "weights.f32", np.float32, b - a, offset=4 * a)
        return sp.csr_matrix((weights, indices, self.indptr[lo : hi + 1] - a), shape=(hi - lo, N_FEATURES))


def _mapped_rows(folder: Path) -> DiskRows:
    return DiskRows(folder, np.load(folder / "indptr.npy", mmap_mode="r"))


class TermStore:
    """Term-count rows appended to files in ``folder``; memory holds only the document frequencies.

    ``add`` the rows in item order, then ``matrix()`` weighs them chunk by
    chunk into a third file and returns :class:`DiskRows` over it.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = TermStore(d)
    ...     store.add(term_counts(["开源 模型", "开源 芯片"]))
    ...     m = store.matrix().rows(0, 2)
    ...     print(round(float((m @ m.T).toarray()[0, 1]), 3))
    0.336
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._indices = open(self.folder / "indices.i32", "wb")
        self._counts = open(self.folder / "counts.f32", "wb")
        self._nnz = open(self.folder / "nnz.i32", "wb")  # terms per row: row offsets, read back once
        self.df = np.zeros(N_FEATURES, np.int32)
        self._pending: list[np.ndarray] = []  # term ids not yet counted into df
        self._pending_size = 0

    def add(self, counts: sp.csr_matrix) -> None:
        counts = counts.tocsr()
        self._indices.write(counts.indices.astype(np.int32).tobytes())
        self._counts.write(counts.data.astype(np.float32).tobytes())
        self._nnz.write(np.diff(counts.indptr).astype(np.int32).tobytes())
        self._pending.append(counts.indices)  # a row holds each term once: df counts its ids
        self._pending_size += counts.indices.size
        if self._pending_size > 1_000_000:
            self._count()

    def _count(self) -> None:
        # one bincount over many rows: np.add.at per document was a third of the main process's time
        if self._pending:
            self.df += _df(np.concatenate(self._pending), N_FEATURES)
        self._pending, self._pending_size = [], 0

    def matrix(self) -> DiskRows:
        """The TF-IDF rows, weighed chunk by chunk into ``weights.f32``."""
        for f in (self._indices, self._counts, self._nnz):
            f.close()
        self._count()
        nnz = np.fromfile(self.folder / "nnz.i32", np.int32)
        indptr = np.concatenate([[0], np.cumsum(nnz, dtype=np.int64)])
        weigher = _weigher(_idf(self.df, len(nnz)))
        with open(self.folder / "weights.f32", "wb") as out:
            for lo in range(0, len(nnz), _ROWS_PER_CHUNK):
                hi = min(lo + _ROWS_PER_CHUNK, len(nnz))
                a, b = int(indptr[lo]), int(indptr[hi])
                indices = np.fromfile(self.folder / "indices.i32", np.int32, b - a, offset=4 * a)
                counts = np.fromfile(self.folder / "counts.f32", np.float32, b - a, offset=4 * a)
                chunk = sp.csr_matrix((counts, indices, indptr[lo : hi + 1] - a), shape=(hi - lo, N_FEATURES))
                out.write(weigher.transform(chunk).data.astype(np.float32).tobytes())  # same structure: aligned with indices.i32
        (self.folder / "counts.f32").unlink()
        return DiskRows(self.folder, indptr)


_LOW = 0xFFFFFFFF  # the low 32 bits of a pair key: a row number
_SCAN = 1 << 20  # block entries scanned at once


def _blocks(source: RowChunks, block_terms: int, cap: int, executor: Executor | None = None,
            rep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The blocks: each row's ``block_terms`` heaviest terms (ties: lower term id first), kept where the term
    is heavy in 2..cap rows. Returns ``rows`` (int32, grouped by term, ascending within a block) and
    ``starts`` (int64, where each block begins in ``rows``, then its length). Only the rows that are
    their own ``rep`` (the first of each set of exact duplicates) are placed, and counted.

    Two passes: the first ranks each row's terms (on ``executor``'s processes, if given), counts each
    term's rows and spools the heads (term, row) to a temporary file; the second reads them back and
    places every entry at its block's next free slot (a counting sort), so memory is one 4-byte row
    number an entry and the ranking is done once.
    """
    chunks = [(lo, min(lo + _ROWS_PER_CHUNK, source.shape[0])) for lo in range(0, source.shape[0], _ROWS_PER_CHUNK)]
    if executor is None:
        ranked = (_heads(chunk, source, block_terms) for chunk in chunks)
    else:
        ranked = executor.map(_heads, chunks, itertools.repeat(source), itertools.repeat(block_terms))
    size = np.zeros(source.shape[1], np.int32)
    spool, lengths = tempfile.TemporaryFile(dir=getattr(source, "folder", None)), []
    for terms, row in ranked:
        if rep is not None:  # copies are compared through their first row
            keep = rep[row] == row
            terms, row = terms[keep], row[keep]
        seen, counts = np.unique(terms, return_counts=True)  # not a bincount: that is a 32 MB array per chunk
        size[seen] += counts.astype(np.int32)
        spool.write(terms.tobytes() + row.tobytes())
        lengths.append(terms.size)

    def heads():
        spool.seek(0)
        for n in lengths:
            both = np.frombuffer(spool.read(8 * n), np.int32)
            yield both[:n], both[n:]

    kept = np.flatnonzero((size >= 2) & (size <= cap))
    starts = np.zeros(kept.size + 1, np.int64)
    np.cumsum(size[kept], out=starts[1:])
    block_of = size  # the counts are no longer needed: their array becomes each term's block number, -1 for none
    block_of[:] = -1
    block_of[kept] = np.arange(kept.size, dtype=np.int32)  # a table, not a search in kept: 19.6 s to 12.8 s at 1.2M rows
    rows = np.empty(int(starts[-1]), np.int32)
    free = starts[:-1].copy()  # each block's next free slot
    for terms, row in heads():
        block = block_of[terms]
        ok = block >= 0
        block, row = block[ok], row[ok]
        order = np.argsort(block, kind="stable")  # rows arrive ascending: stable keeps them so within a block
        block, row = block[order], row[order]
        first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
        length = np.diff(np.r_[first, block.size])
        rows[free[block] + np.arange(block.size) - np.repeat(first, length)] = row
        free[block[first]] += length
    spool.close()
    return rows, starts


def _heads(chunk: tuple[int, int], source: RowChunks, block_terms: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``block_terms`` heaviest terms of each row in [lo, hi) (ties: lower term id first), and their rows."""
    lo, hi = chunk
    rows = source.rows(lo, hi)
    rows.sort_indices()
    row = np.repeat(np.arange(rows.shape[0], dtype=np.int64), np.diff(rows.indptr))
    # by row, then heaviest first, then term id (stable on sorted indices): one float key, 5x faster than lexsort
    order = np.argsort(row + (1.0 - rows.data.astype(np.float64)) * 0.5, kind="stable")
    rank = np.arange(rows.nnz) - rows.indptr[row[order]]
    keep = order[rank < block_terms]
    return rows.indices[keep].astype(np.int32), (row[keep] + lo).astype(np.int32)


def _candidates(blocks: tuple[np.ndarray, np.ndarray], lo: int, hi: int, cap: int) -> np.ndarray:
    """Every pair (a, b), a < b, of items sharing a block, with a in rows [lo, hi): sorted int64 keys ``b << 32 | a - lo``.

    Sorted by the second item, so that the pair search reads each later chunk of rows once.
    """
    rows, starts = blocks
    first = []
    for s in range(0, len(rows), _SCAN):
        part = rows[s : s + _SCAN]
        first.append(np.flatnonzero((part >= lo) & (part < hi)) + s)
    f = np.concatenate(first) if first else np.zeros(0, np.int64)
    end = starts[np.searchsorted(starts, f, side="right")]  # where each entry's block ends

    def steps():  # (d, the entries whose block goes on d places further): every pair of a block once
        g, e = f, end
        for d in range(1, cap):
            more = g + d < e
            g, e = g[more], e[more]
            if g.size == 0:
                return
            yield d, g

    out = np.empty(sum(g.size for _, g in steps()), np.int64)  # counted first: one array, no concatenation
    n = 0
    for d, g in steps():
        out[n : n + g.size] = (rows[g + d].astype(np.int64) << 32) | (rows[g].astype(np.int64) - lo)
        n += g.size
    out.sort()
    return out[np.r_[True, out[1:] != out[:-1]]] if out.size else out  # two items that share two blocks: one pair


def similar_pairs(ids: Sequence[str], matrix: sp.csr_matrix | RowChunks, threshold: float = THRESHOLD, *,
                  floor: float | None = None, block_terms: int = BLOCK_TERMS, cap: int = POSTING_CAP,
                  rows_in_memory: int = ROWS_IN_MEMORY, executor: Executor | None = None) -> list[tuple[str, str, float]]:
    """Pairs ``(id_a, id_b, cosine)`` of compared items with cosine >= ``floor`` (default ``threshold``), sorted.

    Rows are read in chunks of ``rows_in_memory``: the pairs whose first item
    is in one chunk are scored against each later chunk in turn (a block
    nested-loop join), so two chunks are in memory at a time in each process
    (the calling one, or each of ``executor``'s).

    >>> m = vectorize(["开源 模型 发布", "开源 模型 发布 了", "芯片 算力"])
    >>> similar_pairs(["a", "b", "c"], m, 0.5)
    [('a', 'b', 0.7965)]
    """
    floor = threshold if floor is None else floor
    return sorted(_scored(ids, matrix, floor, block_terms, cap, rows_in_memory, executor))


def near_duplicates(ids: Sequence[str], matrix: sp.csr_matrix | RowChunks, threshold: float = THRESHOLD, *,
                    closest_below: int = 5, block_terms: int = BLOCK_TERMS, cap: int = POSTING_CAP,
                    rows_in_memory: int = ROWS_IN_MEMORY, executor: Executor | None = None) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    """What the build reports: the pairs at or above ``threshold`` (sorted), and the ``closest_below`` compared
    pairs under it that come closest (cosine at least half the threshold; by cosine, then ids).

    Only these are held, not every compared pair above half the threshold: on a large corpus those are
    hundreds of thousands.

    >>> m = vectorize(["开源 模型 发布", "开源 模型 发布 了", "芯片 算力 模型", "芯片 算力"])
    >>> near_duplicates(["a", "b", "c", "d"], m, 0.4, closest_below=1)
    ([('a', 'b', 0.7891), ('c', 'd', 0.8679)], [('a', 'c', 0.2468)])
    """
    pairs, below = [], []
    for pair in _scored(ids, matrix, threshold / 2, block_terms, cap, rows_in_memory, executor):
        if pair[2] >= threshold:
            pairs.append(pair)
        else:
            below.append(pair)
            if len(below) > _BELOW_HELD:
                below = _closest(below, closest_below)
    return sorted(pairs), _closest(below, closest_below)


def _closest(pairs: list[tuple[str, str, float]], k: int) -> list[tuple[str, str, float]]:
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:k]


def _scored(ids: Sequence[str], matrix: sp.csr_matrix | RowChunks, floor: float, block_terms: int, cap: int,
            rows_in_memory: int, executor: Executor | None = None) -> Iterator[tuple[str, str, float]]:
    """Every compared pair with cosine >= ``floor``, once, as ``(id_a, id_b, cosine to 4 places)`` with id_a < id_b.

    The rows are cut into tasks; with an ``executor`` (the build's process pool) they are scored on its processes.
    """
    source = matrix if isinstance(matrix, RowChunks) else RowChunks(matrix)
    n = source.shape[0]
    rep, members = _exact_duplicates(source)
    blocks = _blocks(source, block_terms, cap, executor, rep)
    if executor is None:
        tasks = [(lo, min(lo + rows_in_memory, n), floor, cap, rows_in_memory) for lo in range(0, n, rows_in_memory)]
        results = (_score_task(task, source, blocks) for task in tasks)
    else:
        # at least _TASKS tasks, so that the processes stay busy to the end; a task's left rows are at most one chunk
        step = max(1, min(rows_in_memory, -(-n // _TASKS)))
        tasks = [(lo, min(lo + step, n), floor, cap, rows_in_memory) for lo in range(0, n, step)]
        shared = _shared_blocks(source, blocks)
        del blocks
        results = executor.map(_score_task, tasks, itertools.repeat(source), itertools.repeat(shared))
    for a, b, scores in results:
        for x, y, score in zip(a.tolist(), b.tolist(), scores.tolist()):
            score = round(score, 4)
            # a pair of representatives stands for every pair of their copies (all of them while few, else itself)
            left, right = members.get(x, (x,)), members.get(y, (y,))
            if len(left) * len(right) > cap * cap:
                left, right = (x,), (y,)
            for i in left:
                for j in right:
                    p, q = sorted((ids[i], ids[j]))
                    yield p, q, score
    for group in members.values() if floor <= 1.0 else ():  # copies among themselves: every pair while few, else each with the first
        pairs = itertools.combinations(group, 2) if len(group) <= cap else ((group[0], m) for m in group[1:])
        for i, j in pairs:
            p, q = sorted((ids[i], ids[j]))
            yield p, q, 1.0


def _exact_duplicates(source: RowChunks) -> tuple[np.ndarray, dict[int, tuple[int, ...]]]:
    """Rows with the same features as an earlier row: ``rep[i]`` is the first row equal to row ``i`` (``i``
    itself for most), and ``members`` maps each first row that has copies to all of its rows, in order.

    Rows are hashed a chunk at a time; rows with equal hashes are compared before they are grouped.

    >>> rep, members = _exact_duplicates(RowChunks(vectorize(["开源 模型", "芯片", "开源 模型", "开源 模型"])))
    >>> rep.tolist(), members
    ([0, 1, 0, 0], {0: (0, 2, 3)})
    """
    n = source.shape[0]
    rep = np.arange(n, dtype=np.int64)
    first: dict[int, list[int]] = {}  # hash -> first rows with that hash (more than one only for a collision)
    members: dict[int, list[int]] = {}
    seen: dict[int, tuple[bytes, bytes]] = {}  # the features of first rows met again, read once
    for lo in range(0, n, _ROWS_PER_CHUNK):
        hi = min(lo + _ROWS_PER_CHUNK, n)
        rows = source.rows(lo, hi)
        rows.sort_indices()
        indptr, indices, data = rows.indptr, rows.indices.astype(np.int32, copy=False), rows.data.astype(np.float32, copy=False)
        for k in range(hi - lo):
            a, b = indptr[k], indptr[k + 1]
            row = (indices[a:b].tobytes(), data[a:b].tobytes())
            candidates = first.setdefault(hash(row), [])
            for r in candidates:
                if r not in seen:
                    seen[r] = _row_bytes(source, r)
                if seen[r] == row:
                    rep[lo + k] = r
                    members.setdefault(r, [r]).append(lo + k)
                    break
            else:
                candidates.append(lo + k)
    return rep, {r: tuple(m) for r, m in members.items()}


def _row_bytes(source: RowChunks, r: int) -> tuple[bytes, bytes]:
    row = source.rows(r, r + 1)
    row.sort_indices()
    return row.indices.astype(np.int32, copy=False).tobytes(), row.data.astype(np.float32, copy=False).tobytes()


def _shared_blocks(source: RowChunks, blocks: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | Path:
    """The blocks as the scoring processes get them: the arrays for a matrix in memory; for rows on disk, two
    files beside them that each task maps (sending 50 MB with every task would cost more than the task)."""
    folder = getattr(source, "folder", None)
    if folder is None:
        return blocks
    np.save(Path(folder) / "block-rows.npy", blocks[0])
    np.save(Path(folder) / "block-starts.npy", blocks[1])
    return Path(folder)


def _score_task(task: tuple[int, int, float, int, int], source: RowChunks, blocks) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score the candidate pairs whose first item is in rows [lo, hi): the row numbers and cosines of those >= floor.

    The later items' rows are read a chunk of ``rows_in_memory`` at a time (a block nested-loop join), so two
    chunks are in memory at a time.
    """
    lo, hi, floor, cap, rows_in_memory = task
    if isinstance(blocks, Path):
        blocks = np.load(blocks / "block-rows.npy", mmap_mode="r"), np.load(blocks / "block-starts.npy", mmap_mode="r")
    n = source.shape[0]
    key = _candidates(blocks, lo, hi, cap)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = [(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))]
    if key.size == 0:
        return found[0]
    left = source.rows(lo, hi)
    for lo2 in range(lo, n, rows_in_memory):
        hi2 = min(lo2 + rows_in_memory, n)
        i, j = np.searchsorted(key, [lo2 << 32, hi2 << 32])
        if i == j:
            continue
        right = left if (lo2, hi2) == (lo, hi) else source.rows(lo2, hi2)
        for k in range(i, j, _PAIRS_PER_CHUNK):
            # the cosine of each candidate pair only: row-by-row products, linear in the pairs' terms
            part = key[k : min(k + _PAIRS_PER_CHUNK, j)]
            a, b = part & _LOW, (part >> 32) - lo2
            scores = np.asarray(left[a].multiply(right[b]).sum(axis=1)).ravel()
            hit = scores >= floor
            found.append((a[hit] + lo, b[hit] + lo2, scores[hit]))
    return tuple(np.concatenate(column) for column in zip(*found))


def groups(pairs: Sequence[tuple[str, str, float]]) -> list[list[str]]:
    """The clusters of two or more items (what the build keeps: memory grows with the pairs, not the items).

    >>> groups([("a", "c", 0.5), ("c", "d", 0.3), ("e", "f", 0.9)])
    [['a', 'c', 'd'], ['e', 'f']]
    """
    members = sorted({i for a, b, _ in pairs for i in (a, b)})
    if not members:
        return []
    index = {i: n for n, i in enumerate(members)}
    edges = np.array([(index[a], index[b]) for a, b, _ in pairs], dtype=np.int64)
    graph = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(members), len(members)))
    _, label = connected_components(graph, directed=False)
    out: dict[int, list[str]] = {}
    for i, k in zip(members, label.tolist()):
        out.setdefault(k, []).append(i)
    return sorted(out.values())
