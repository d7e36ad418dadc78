"""Near-duplicate stories: TF-IDF cosine over jieba words, compared within blocks.

Digests retell the same story in their own words (003 tells one OpenAI
safety story three times), so character shingles (MinHash) barely overlap:
the retellings share few exact 3-grams, no more than unrelated stories do.
Word TF-IDF cosine, with IDF taken over the corpus, separates them.

Comparing every pair is quadratic, so pairs are *blocked*: an item is
compared (exact cosine) only with the items that share one of its
``BLOCK_TERMS`` heaviest TF-IDF terms, leaving out terms that are heavy in
more than ``POSTING_CAP`` items (the result does not depend on item order). A test checks that on the seed and
development corpora blocking finds every pair the all-pairs cosine finds.
Every pair at or above the threshold, and the closest compared pairs below
it, are listed with their similarity in ``splits/build-report.json``.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

import jieba
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)

#: Cosine similarity at or above which two items are the same story; chosen by
#: reading the ranked pairs of the seed corpus (build-report.json lists them).
THRESHOLD = 0.2
BLOCK_TERMS = 16  # an item is compared with the items that share one of its 16 heaviest terms ...
POSTING_CAP = 64  # ... unless more than 64 items have that term among theirs (a term this common tells little)
_PAIRS_PER_CHUNK = 100_000
_WORD = re.compile(r"\w")


def words(text: str) -> list[str]:
    """jieba words with at least one letter or digit, lower-cased.

    >>> words("OpenAI增强安全团队，董事会有权否决")
    ['openai', '增强', '安全', '团队', '董事会', '有权', '否决']
    """
    return [w for w in jieba.lcut(text.lower()) if _WORD.search(w)]


def item_text(item: dict) -> str:
    """What similarity is computed on: the title and the text."""
    return f"{item.get('title') or ''}\n{item.get('text') or ''}"


def _identity(tokens):
    return tokens


def vectorize(token_lists: Iterable[Sequence[str]]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smooth idf) of already tokenised items; consumes an iterator once."""
    return TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32).fit_transform(token_lists).tocsr()


def similar_pairs(ids: Sequence[str], matrix: sp.csr_matrix, threshold: float = THRESHOLD, *, floor: float | None = None,
                  block_terms: int = BLOCK_TERMS, cap: int = POSTING_CAP) -> list[tuple[str, str, float]]:
    """Pairs ``(id_a, id_b, cosine)`` of compared items with cosine >= ``floor`` (default ``threshold``), sorted.

    >>> m = vectorize([words(t) for t in ("开源 模型 发布", "开源 模型 发布 了", "芯片 算力")])
    >>> similar_pairs(["a", "b", "c"], m, 0.5)
    [('a', 'b', 0.7965)]
    """
    floor = threshold if floor is None else floor
    n_items = matrix.shape[0]
    heads = []
    postings: dict[int, list[int]] = defaultdict(list)
    for n in range(n_items):
        lo, hi = matrix.indptr[n], matrix.indptr[n + 1]
        head = matrix.indices[lo:hi][np.argsort(-matrix.data[lo:hi], kind="stable")[:block_terms]]
        heads.append(head)
        for t in head.tolist():
            postings[t].append(n)
    # a heavy term shared by more than `cap` items (ai, 模型 ...) is no block: it would compare almost everything
    empty = np.zeros(0, np.int64)
    lists = {t: np.array(v, dtype=np.int64) if len(v) <= cap else empty for t, v in postings.items()}
    rows, cols = [], []
    for n, head in enumerate(heads):
        found = np.unique(np.concatenate([lists[t] for t in head.tolist()] or [np.zeros(0, np.int64)]))
        found = found[found > n]
        rows.append(np.full(found.size, n, dtype=np.int64))
        cols.append(found)
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    pairs = []
    for lo in range(0, r.size, _PAIRS_PER_CHUNK):
        # the cosine of each candidate pair only: row-by-row products, linear in the pairs' terms
        rr, cc = r[lo : lo + _PAIRS_PER_CHUNK], c[lo : lo + _PAIRS_PER_CHUNK]
        scores = np.asarray(matrix[rr].multiply(matrix[cc]).sum(axis=1)).ravel()
        keep = scores >= floor
        for n, m, score in zip(rr[keep].tolist(), cc[keep].tolist(), scores[keep].tolist()):
            a, b = sorted((ids[n], ids[m]))
            pairs.append((a, b, round(score, 4)))
    return sorted(pairs)


def clusters(ids: Sequence[str], pairs: Sequence[tuple[str, str, float]]) -> list[list[str]]:
    """Connected components of the similarity graph; every id is in exactly one cluster.

    >>> clusters(["a", "b", "c", "d"], [("a", "c", 0.5), ("c", "d", 0.3)])
    [['a', 'c', 'd'], ['b']]
    """
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return sorted(sorted(g) for g in groups.values())
