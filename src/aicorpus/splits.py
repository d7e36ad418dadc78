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
from collections.abc import Iterable, Sequence
from pathlib import Path

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


def assign(clusters: Iterable[Sequence[str]], lock: dict[str, str]) -> tuple[dict[str, str], list[dict]]:
    """Assign every item of ``clusters`` a split; return it and the clusters that span splits.

    A cluster spans splits only when a new item is a near-duplicate of locked
    items that already sit in different splits; the locked ones do not move.

    >>> assign([["a", "b"], ["c"]], {"b": "test"})
    ({'a': 'test', 'b': 'test', 'c': 'train'}, [])
    """
    out: dict[str, str] = {}
    conflicts = []
    for cluster in clusters:
        locked = sorted({lock[i] for i in cluster if i in lock}, key=SPLITS.index)
        target = locked[0] if locked else hash_split(min(cluster))
        for i in cluster:
            out[i] = lock.get(i, target)
        if len(locked) > 1:
            conflicts.append({"items": sorted(cluster), "splits": locked})
    return dict(sorted(out.items())), conflicts


def read_lock(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lock = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            lock[row["item_id"]] = row["split"]
    return lock


def lock_text(assignment: dict[str, str]) -> str:
    return "".join(json.dumps({"item_id": i, "split": s}) + "\n" for i, s in sorted(assignment.items()))
