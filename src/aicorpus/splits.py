"""Split assignment: deterministic, stable as the corpus grows, near-duplicates together.

An item's split is fixed the first time it is built and recorded in the
split lock (``splits/split-lock.jsonl``, versioned with the data like a
package lock file). Later builds keep every locked assignment, so adding
documents never moves an existing item, and an entry whose item disappears
(a converter change) stays, so that the story keeps its split if it returns. A new item joins the split of any
locked item in its near-duplicate cluster; a cluster with no locked item
goes where the hash of its smallest item id falls (60/20/20: the corpus is
small, so the evaluation splits get a larger share than usual).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

SPLITS = ("train", "validation", "test")
RATIOS = {"train": 0.60, "validation": 0.20, "test": 0.20}


def hash_split(key: str) -> str:
    """The split a key's sha256 falls into, by RATIOS.

    >>> hash_split("linuxcn-15754-0a1b2c3d") in SPLITS
    True
    """
    u = int(hashlib.sha256(key.encode()).hexdigest()[:12], 16) / 16**12
    edge = 0.0
    for name in SPLITS:
        edge += RATIOS[name]
        if u < edge:
            return name
    return SPLITS[-1]


def assigner(groups: Iterable[Sequence[str]], lock: Mapping[str, str]) -> tuple[Callable[[str], str], list[dict]]:
    """A function from item id to split, and the near-duplicate groups that span splits.

    ``groups`` are the clusters of two or more items; an item in none is its
    own cluster, so its split needs no memory: the lock's, or its hash's.
    A group spans splits only when a new item is a near-duplicate of locked
    items that already sit in different splits; the locked ones do not move.

    >>> split, conflicts = assigner([["a", "b"]], {"b": "test"})
    >>> split("a"), split("b"), split("c") == hash_split("c"), conflicts
    ('test', 'test', True, [])
    """
    target: dict[str, str] = {}
    conflicts = []
    for group in groups:
        locked = sorted({lock[i] for i in group if i in lock}, key=SPLITS.index)
        split = locked[0] if locked else hash_split(min(group))
        target.update((i, split) for i in group)
        if len(locked) > 1:
            conflicts.append({"items": sorted(group), "splits": locked})

    def split_of(item_id: str) -> str:
        return lock.get(item_id) or target.get(item_id) or hash_split(item_id)

    return split_of, conflicts


def read_lock(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lock = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            lock[row["item_id"]] = sys.intern(row["split"])  # three strings shared by every entry
    return lock


def write_lock(path: Path, ids: np.ndarray, codes: np.ndarray) -> None:
    """Write the lock sorted by id, one JSON object a line (sorted: small diffs in git).

    ``ids`` are UTF-8 byte strings (a NumPy ``S`` array, a few dozen bytes an entry rather than a
    Python dict's hundred and more) and ``codes`` each one's split as an index into SPLITS.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "lock.jsonl")
    >>> write_lock(path, np.array([b"b-1", b"a-2"]), np.array([2, 0], np.uint8))
    >>> path.read_text().splitlines()
    ['{"item_id": "a-2", "split": "train"}', '{"item_id": "b-1", "split": "test"}']
    """
    order = np.argsort(ids, kind="stable")
    with open(path, "w", encoding="utf-8") as f:
        for n in order.tolist():
            f.write(json.dumps({"item_id": ids[n].decode(), "split": SPLITS[codes[n]]}) + "\n")

