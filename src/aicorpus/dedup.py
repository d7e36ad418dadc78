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
A test checks that on the seed and development corpora blocking finds every
pair the all-pairs cosine finds. Every pair at or above the threshold, and the
closest compared pairs below it, are listed in ``splits/build-report.json``.

For a large corpus the build keeps the matrix on disk (:class:`TermStore`):
memory holds the document frequencies, row offsets and each item's block
terms, not the corpus.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import rjieba
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import HashingVectorizer

#: Cosine similarity at or above which two items are the same story; chosen by
#: reading the ranked pairs of the seed corpus (build-report.json lists them).
THRESHOLD = 0.2
BLOCK_TERMS = 16  # an item is compared with the items that share one of its 16 heaviest terms ...
POSTING_CAP = 64  # ... unless more than 64 items have that term among theirs (a term this common tells little)
N_FEATURES = 2**22  # hashed term ids: 4M buckets keep collisions rare (a test counts them) and the frequency table at 16 MB
_PAIRS_PER_CHUNK = 20_000
_ROWS_PER_CHUNK = 10_000
_WORD = re.compile(r"\w")


def words(text: str) -> list[str]:
    """jieba words with at least one letter or digit, lower-cased.

    >>> words("OpenAI增强安全团队，董事会有权否决GPT-4")
    ['openai', '增强', '安全', '团队', '董事会', '有权', '否决', 'gpt-4']
    """
    return [w for w in rjieba.cut(text.lower()) if w.isalnum() or _WORD.search(w)]  # isalnum: the quick common case


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
    """Smooth IDF, as scikit-learn's TfidfTransformer: ln((1 + n) / (1 + df)) + 1."""
    return (np.log((1.0 + n_rows) / (1.0 + df)) + 1.0).astype(np.float32)


def _weigh(indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """L2-normalised sublinear TF-IDF weights of CSR rows (the same numbers as TfidfVectorizer(sublinear_tf=True))."""
    w = (1.0 + np.log(counts, dtype=np.float32)) * idf[indices]
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    norms = np.sqrt(np.bincount(rows, weights=w.astype(np.float64) ** 2, minlength=len(indptr) - 1)).astype(np.float32)
    return w / np.where(norms > 0, norms, 1)[rows]


def tfidf(counts: sp.csr_matrix) -> sp.csr_matrix:
    """TF-IDF rows, IDF taken over these rows, in memory (small batches: validation, tests).

    >>> m = tfidf(term_counts(["开源 模型", "开源 芯片"]))
    >>> [round(float(v), 3) for v in (m @ m.T).toarray()[0]]
    [1.0, 0.336]
    """
    counts = counts.tocsr()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    data = _weigh(counts.indptr, counts.indices, counts.data, _idf(df, counts.shape[0]))
    return sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)


def vectorize(texts: Iterable[str]) -> sp.csr_matrix:
    """TF-IDF rows of texts, in memory: ``tfidf(term_counts(texts))``."""
    return tfidf(term_counts(texts))


class TermStore:
    """Term-count rows appended to files in ``folder``; memory holds only document frequencies and row offsets.

    ``add`` the rows in item order, then ``matrix()`` weighs them in chunks
    and returns the TF-IDF matrix mapped from disk.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     store = TermStore(d)
    ...     store.add(term_counts(["开源 模型", "开源 芯片"]))
    ...     m = store.matrix()
    ...     print(round(float((m @ m.T).toarray()[0, 1]), 3))
    ...     store.close()
    0.336
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._indices = open(self.folder / "indices.i32", "wb")
        self._counts = open(self.folder / "counts.f32", "wb")
        self.row_nnz: list[np.ndarray] = []
        self.df = np.zeros(N_FEATURES, np.int32)
        self._pending: list[np.ndarray] = []  # term ids not yet counted into df
        self._pending_size = 0
        self._maps: list[mmap.mmap] = []

    def add(self, counts: sp.csr_matrix) -> None:
        counts = counts.tocsr()
        self._indices.write(counts.indices.astype(np.int32).tobytes())
        self._counts.write(counts.data.astype(np.float32).tobytes())
        self.row_nnz.append(np.diff(counts.indptr).astype(np.int32))
        self._pending.append(counts.indices)  # a row holds each term once: df counts its ids
        self._pending_size += counts.indices.size
        if self._pending_size > 1_000_000:
            self._count()

    def _count(self) -> None:
        # one bincount over many rows: np.add.at per document was a third of the main process's time
        if self._pending:
            self.df += np.bincount(np.concatenate(self._pending), minlength=N_FEATURES).astype(np.int32)
        self._pending, self._pending_size = [], 0

    def matrix(self) -> sp.csr_matrix:
        """The TF-IDF matrix, weighted chunk by chunk into a file and mapped read-only."""
        self._indices.close()
        self._counts.close()
        self._count()
        nnz = np.concatenate(self.row_nnz) if self.row_nnz else np.zeros(0, np.int32)
        indptr = np.concatenate([[0], np.cumsum(nnz, dtype=np.int64)])
        if indptr[-1] >= 2**31:
            raise ValueError("more than 2**31 terms in all: split the near-duplicate search (int32 indices)")
        indptr = indptr.astype(np.int32)
        idf = _idf(self.df, len(nnz))
        indices, counts = self._map("indices.i32", np.int32), self._map("counts.f32", np.float32)
        with open(self.folder / "weights.f32", "wb") as out:
            for lo in range(0, len(nnz), _ROWS_PER_CHUNK):
                hi = min(lo + _ROWS_PER_CHUNK, len(nnz))
                a, b = indptr[lo], indptr[hi]
                out.write(_weigh(indptr[lo : hi + 1] - a, indices[a:b], counts[a:b], idf).tobytes())
                self.release()
        return sp.csr_matrix((self._map("weights.f32", np.float32), indices, indptr), shape=(len(nnz), N_FEATURES), copy=False)

    def _map(self, name: str, dtype) -> np.ndarray:
        path = self.folder / name
        if path.stat().st_size == 0:
            return np.zeros(0, dtype)
        with open(path, "rb") as f:
            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self._maps.append(m)
        return np.frombuffer(m, dtype=dtype)

    def release(self) -> None:
        """Drop the mapped pages this process has touched (they stay in the page cache): RSS stays flat."""
        for m in self._maps:
            m.madvise(mmap.MADV_DONTNEED)

    def close(self) -> None:
        self._maps.clear()  # the arrays keep the maps alive until they are garbage; the files go with the folder


def _heads(matrix: sp.csr_matrix, block_terms: int, release=None) -> tuple[np.ndarray, np.ndarray]:
    """(term, row) of each row's ``block_terms`` heaviest terms (ties: lower term id first), chunk by chunk."""
    if not matrix.has_sorted_indices:
        matrix = matrix.sorted_indices()
    terms, rows = [], []
    for lo in range(0, matrix.shape[0], _ROWS_PER_CHUNK):
        hi = min(lo + _ROWS_PER_CHUNK, matrix.shape[0])
        a, b = matrix.indptr[lo], matrix.indptr[hi]
        row = np.repeat(np.arange(lo, hi, dtype=np.int32), np.diff(matrix.indptr[lo : hi + 1]))
        idx, w = np.asarray(matrix.indices[a:b]), np.asarray(matrix.data[a:b])
        # by row, then heaviest first, then term id (stable on sorted indices): one float key sorts 5x faster than lexsort
        order = np.argsort((row - lo) + (1.0 - w.astype(np.float64)) * 0.5, kind="stable")
        rank = np.arange(b - a) - (matrix.indptr[row[order]] - a)
        keep = order[rank < block_terms]
        terms.append(idx[keep].astype(np.int32))
        rows.append(row[keep])
        release and release()
    empty = np.zeros(0, np.int32)
    return (np.concatenate(terms) if terms else empty), (np.concatenate(rows) if rows else empty)


def similar_pairs(ids: Sequence[str], matrix: sp.csr_matrix, threshold: float = THRESHOLD, *, floor: float | None = None,
                  block_terms: int = BLOCK_TERMS, cap: int = POSTING_CAP, release=None) -> list[tuple[str, str, float]]:
    """Pairs ``(id_a, id_b, cosine)`` of compared items with cosine >= ``floor`` (default ``threshold``), sorted.

    ``release`` is called between chunks (a :class:`TermStore` drops its mapped pages).

    >>> m = vectorize(["开源 模型 发布", "开源 模型 发布 了", "芯片 算力"])
    >>> similar_pairs(["a", "b", "c"], m, 0.5)
    [('a', 'b', 0.7965)]
    """
    floor = threshold if floor is None else floor
    terms, rows = _heads(matrix, block_terms, release)
    # a block is the items sharing a heavy term; one of 2..cap items (a term heavy in more, such as ai or 模型,
    # would compare almost everything; a term heavy in one item compares nothing)
    size = np.bincount(terms, minlength=matrix.shape[1]) if terms.size else np.zeros(0, np.int64)
    keep = (size[terms] >= 2) & (size[terms] <= cap) if terms.size else np.zeros(0, bool)
    terms, rows = terms[keep], rows[keep]
    order = np.lexsort((rows, terms))
    terms, rows = terms[order], rows[order]
    found: dict[tuple[int, int], float] = {}
    for d in range(1, cap):  # the entry d places on, when it is in the same block: every pair of a block once
        same = np.nonzero(terms[:-d] == terms[d:])[0]
        if same.size == 0:
            break
        a, b = rows[same], rows[same + d]
        for lo in range(0, a.size, _PAIRS_PER_CHUNK):
            # the cosine of each candidate pair only: row-by-row products, linear in the pairs' terms
            aa, bb = a[lo : lo + _PAIRS_PER_CHUNK], b[lo : lo + _PAIRS_PER_CHUNK]
            scores = np.asarray(matrix[aa].multiply(matrix[bb]).sum(axis=1)).ravel()
            hit = scores >= floor
            for n, m, score in zip(aa[hit].tolist(), bb[hit].tolist(), scores[hit].tolist()):
                found[(n, m)] = score
            release and release()
    pairs = []
    for (n, m), score in found.items():
        x, y = sorted((ids[n], ids[m]))
        pairs.append((x, y, round(score, 4)))
    return sorted(pairs)


def clusters(ids: Sequence[str], pairs: Sequence[tuple[str, str, float]]) -> list[list[str]]:
    """Connected components of the similarity graph; every id is in exactly one cluster.

    >>> clusters(["a", "b", "c", "d"], [("a", "c", 0.5), ("c", "d", 0.3)])
    [['a', 'c', 'd'], ['b']]
    """
    grouped = groups(pairs)
    inside = {i for g in grouped for i in g}
    return sorted([*grouped, *([i] for i in ids if i not in inside)])


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
