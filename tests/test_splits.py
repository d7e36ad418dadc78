"""Split assignment: where items land, pinned on known ids, and the cluster rules.

The committed lock fixes every existing item, so the build tests cannot see a change
to the hash, the ratios or the cluster rules; these tests can.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from aicorpus import splits
from aicorpus.splits import assigner, hash_split, read_lock, write_lock

# Golden ids, chosen next to the edges. u = (first 12 hex digits of sha256(id)) / 16**12, worked
# out with `printf %s ID | sha256sum`; in hex the edges are 0.6 = 0x0.9999... and 0.8 = 0x0.cccc...
GOLDEN = [
    ("item-1455", "train"),        # 0002d172ef9c: u = 0.000043, just above 0
    ("item-13097", "train"),       # 9998e997bdc6 < 999999999999: u = 0.5999895, just below 0.6
    ("item-4448", "validation"),   # 999b429db60a > 999999999999: u = 0.6000253, just above 0.6
    ("item-14024", "validation"),  # cccc1035451c < cccccccccccc: u = 0.7999888, just below 0.8
    ("item-2188", "test"),         # ccce3409f294 > cccccccccccc: u = 0.8000214, just above 0.8
    ("item-18939", "test"),        # fffbe3d5cbad: u = 0.9999373, just below 1
]


@pytest.mark.parametrize("key, split", GOLDEN)
def test_hash_split_golden_values(key, split):
    # ids 0.00003 either side of an edge: moving an edge, reordering SPLITS or reading the hash
    # differently (other digits, another divisor) moves at least one of them
    assert hash_split(key) == split


def test_hash_split_distribution_follows_the_ratios():
    counts = Counter(hash_split(f"synthetic-{n}") for n in range(10_000))
    # expected 6000 / 2000 / 2000; the binomial standard deviation is sqrt(10000 * 0.6 * 0.4) = 49 for
    # train and 40 for the others, so +-250 is five or more of them (and the keys are fixed: no flakiness)
    assert set(counts) == set(splits.SPLITS)
    for name, ratio in (("train", 0.6), ("validation", 0.2), ("test", 0.2)):
        assert abs(counts[name] - 10_000 * ratio) <= 250, counts


def test_a_key_past_the_last_edge_goes_to_the_last_split(monkeypatch):
    # ratios whose float sum falls short of 1 leave a gap at the top; keys there go to the last split
    # (edges here: train below 0.3, validation below 0.4, then nothing)
    monkeypatch.setitem(splits.RATIOS, "train", 0.3)
    monkeypatch.setitem(splits.RATIOS, "validation", 0.1)
    monkeypatch.setitem(splits.RATIOS, "test", 0.0)
    assert [hash_split(k) for k in ("item-1455", "item-4448", "item-2188")] == ["train", "test", "test"]


def test_new_cluster_goes_where_its_smallest_id_hashes():
    # no locked member: the whole cluster follows the hash of min(group) = "item-13097" (train);
    # the first listed (item-2188) hashes to test and the largest (item-4448) to validation
    group = ["item-2188", "item-13097", "item-4448"]
    split_of, conflicts = assigner([group], {})
    assert [split_of(i) for i in group] == ["train", "train", "train"]
    assert conflicts == []


def test_new_item_joins_its_locked_near_duplicate():
    # item-1455 hashes to train, but its cluster holds a locked test item
    split_of, conflicts = assigner([["item-1455", "locked"]], {"locked": "test"})
    assert (split_of("item-1455"), split_of("locked")) == ("test", "test")
    assert conflicts == []  # one locked split is no conflict


def test_locked_items_that_disagree_stay_and_the_earliest_split_wins():
    # the cluster's locked members sit in test and validation: they stay; the new member takes the
    # earliest in SPLITS order (train, validation, test), validation, though it hashes to test itself
    lock = {"x": "test", "y": "validation"}
    split_of, conflicts = assigner([["y", "item-2188", "x"]], lock)
    assert (split_of("x"), split_of("y"), split_of("item-2188")) == ("test", "validation", "validation")
    assert conflicts == [{"items": ["item-2188", "x", "y"], "splits": ["validation", "test"]}]
    # train beats both
    split_of, conflicts = assigner([["a", "b", "new"]], {"a": "test", "b": "train"})
    assert (split_of("a"), split_of("b"), split_of("new")) == ("test", "train", "train")
    assert conflicts == [{"items": ["a", "b", "new"], "splits": ["train", "test"]}]


def test_the_lock_wins_over_everything():
    # "old" is locked in test but is not in the group any more, and "item-1455" hashes to train
    split_of, _ = assigner([["item-4448", "item-13097"]], {"old": "test", "item-1455": "validation"})
    assert split_of("old") == "test"
    assert split_of("item-1455") == "validation"
    # in no group and not locked: its own hash
    assert (split_of("item-2188"), split_of("item-14024")) == ("test", "validation")
    # the group follows min = item-13097 (train), not item-4448's own validation
    assert split_of("item-4448") == "train"


def test_lock_round_trip(tmp_path):
    path = tmp_path / "lock.jsonl"
    assert read_lock(path) == {}  # no lock yet
    write_lock(path, np.array([b"b-1", b"c-3", b"a-2"]), np.array([2, 1, 0], np.uint8))
    assert path.read_text().splitlines() == [
        '{"item_id": "a-2", "split": "train"}',
        '{"item_id": "b-1", "split": "test"}',
        '{"item_id": "c-3", "split": "validation"}',
    ]
    path.write_text(path.read_text() + "\n  \n", encoding="utf-8")  # blank lines are skipped
    assert read_lock(path) == {"a-2": "train", "b-1": "test", "c-3": "validation"}
