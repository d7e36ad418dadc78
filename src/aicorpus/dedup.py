"""Near-duplicate stories: TF-IDF cosine over jieba words, clustered by union-find.

Digests retell the same story in their own words (003 tells one OpenAI
safety story three times), so character shingles (MinHash) barely overlap:
the retellings share few exact 3-grams, no more than unrelated stories do.
Word TF-IDF cosine, with IDF taken over the corpus, separates them. Every
pair at or above the threshold, and the closest pairs below it, are listed
with their similarity in ``splits/build-report.json``, so the margin can be
checked on every build.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)

#: Cosine similarity at or above which two items are the same story; chosen by
#: reading the ranked pairs of the seed corpus (build-report.json lists them).
THRESHOLD = 0.2
_WORD = re.compile(r"\w")


def words(text: str) -> list[str]:
    """jieba words with at least one letter or digit, lower-cased.

    >>> words("OpenAI增强安全团队，董事会有权否决")
    ['openai', '增强', '安全', '团队', '董事会', '有权', '否决']
    """
    return [w for w in jieba.lcut(text.lower()) if _WORD.search(w)]


def similar_pairs(ids: Sequence[str], texts: Sequence[str], threshold: float = THRESHOLD, chunk: int = 2048) -> list[tuple[str, str, float]]:
    """Pairs ``(id_a, id_b, cosine)`` with cosine >= ``threshold``, ``id_a < id_b``, sorted.

    >>> similar_pairs(["a", "b", "c"], ["开源 模型 发布", "开源 模型 发布 了", "芯片 算力"], 0.5)
    [('a', 'b', 0.7965)]

    Rows are multiplied in chunks so memory stays bounded by ``chunk`` rows.
    """
    if len(ids) < 2:
        return []
    matrix = TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True).fit_transform(texts)
    pairs = []
    for start in range(0, matrix.shape[0], chunk):
        block = (matrix[start : start + chunk] @ matrix.T).tocoo()
        for i, j, v in zip(block.row + start, block.col, block.data):
            if i < j and v >= threshold:
                a, b = sorted((ids[i], ids[j]))
                pairs.append((a, b, round(float(v), 4)))
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


def item_text(item: dict) -> str:
    """What similarity is computed on: the title and the text."""
    return f"{item.get('title') or ''}\n{item.get('text') or ''}"


_ = np  # numpy is sklearn's; imported here so a missing install fails at import, not mid-build
