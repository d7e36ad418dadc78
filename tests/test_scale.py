"""Properties the streaming build relies on: blocking finds every near-duplicate, the
streaming writer writes what the in-memory path would, the cache invalidates."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pyarrow.parquet as pq
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils import murmurhash3_32

from aicorpus import build as build_mod
from aicorpus import dedup
from aicorpus.build import build, convert_file
from aicorpus.parquet import ITEM_FEATURES, ParquetStream, to_table, with_labels, write_parquet
from conftest import DATA, SEEDS, copy_project


def corpus_items():
    paths = list(SEEDS.values()) + sorted(p for p in (DATA / "dev-corpus").rglob("*.md") if p.name != "README.md")
    return [it for p in paths for it in convert_file(p, p.parent).items]


def published_items():
    from conftest import ROOT

    return [row for path in sorted((ROOT / "splits" / "items").glob("*.parquet"))
            for row in pq.read_table(path, columns=["id", "title", "text"]).to_pylist()]


def test_blocking_finds_every_pair_the_all_pairs_cosine_finds():
    items = published_items()  # the whole corpus: every pair of its 1,700-odd items is compared below
    ids = [it["id"] for it in items]
    matrix = dedup.vectorize(dedup.item_text(it) for it in items)
    sims = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sims, 0)
    want = {tuple(sorted((ids[i], ids[j]))) for i, j in zip(*np.nonzero(sims >= dedup.THRESHOLD))}
    got = {(a, b) for a, b, _ in dedup.similar_pairs(ids, matrix)}
    assert got == want
    assert len(want) > 100  # hundreds of pairs: retold stories, follow-ups, trending projects that return


def test_hashed_terms_give_the_cosines_of_a_vocabulary():
    texts = [dedup.item_text(it) for it in corpus_items()]
    exact = TfidfVectorizer(analyzer=dedup.words, sublinear_tf=True).fit(texts)
    buckets = {murmurhash3_32(w, positive=True) % dedup.N_FEATURES for w in exact.vocabulary_}
    assert len(exact.vocabulary_) - len(buckets) <= 3  # collisions among some 3,000 words
    a, b = exact.transform(texts), dedup.vectorize(texts)
    assert np.abs((a @ a.T).toarray() - (b @ b.T).toarray()).max() < 0.02


def test_the_on_disk_matrix_is_the_in_memory_one(tmp_path):
    texts = [dedup.item_text(it) for it in corpus_items()]
    store = dedup.TermStore(tmp_path)
    for lo in range(0, len(texts), 7):  # rows arrive document by document
        store.add(dedup.term_counts(texts[lo : lo + 7]))
    on_disk, in_memory = store.matrix(), dedup.vectorize(texts)
    assert (on_disk.rows(0, len(texts)) != in_memory).nnz == 0
    assert (on_disk.rows(10, 20) != in_memory[10:20]).nnz == 0
    ids = [str(n) for n in range(len(texts))]
    pairs = dedup.similar_pairs(ids, in_memory, floor=0.1)
    assert len(pairs) >= 10
    # read from disk, and joined chunk by chunk (9 rows in memory at a time): the same pairs
    assert dedup.similar_pairs(ids, on_disk, floor=0.1, rows_in_memory=9) == pairs
    # scored on two processes, in tasks of a few rows each, the blocks shared through files: the same pairs again
    with ProcessPoolExecutor(2) as pool:
        assert dedup.similar_pairs(ids, on_disk, floor=0.1, rows_in_memory=9, executor=pool) == pairs


def test_near_duplicates_keeps_what_the_full_list_gives(monkeypatch):
    monkeypatch.setattr(dedup, "_BELOW_HELD", 3)  # the closest are picked out many times along the way
    items = corpus_items()
    ids = [it["id"] for it in items]
    matrix = dedup.vectorize(dedup.item_text(it) for it in items)
    threshold = 0.3  # many pairs on both sides of it in this corpus
    compared = dedup.similar_pairs(ids, matrix, floor=threshold / 2)
    pairs, below = dedup.near_duplicates(ids, matrix, threshold, closest_below=7, rows_in_memory=9)
    assert pairs == [p for p in compared if p[2] >= threshold] and pairs
    assert below == sorted((p for p in compared if p[2] < threshold), key=lambda p: (-p[2], p[0], p[1]))[:7]
    assert len(below) == 7
    with ProcessPoolExecutor(2) as pool:  # the matrix in memory: the blocks go with the tasks
        assert dedup.near_duplicates(ids, matrix, threshold, closest_below=7, rows_in_memory=9, executor=pool) == (pairs, below)


def test_streaming_writer_writes_the_rows_of_the_in_memory_path(tmp_path, seeds):
    rows = [with_labels(it, None) for c in seeds.values() for it in c.items]
    w = ParquetStream(tmp_path / "s.parquet", ITEM_FEATURES, row_group=4, batch=3)  # several row groups, batches across them
    for r in rows:
        w.add(r)
    w.close()
    write_parquet(to_table(rows, ITEM_FEATURES), tmp_path / "m.parquet", row_group=4)  # everything in memory, one write
    assert pq.ParquetFile(tmp_path / "s.parquet").num_row_groups == -(-len(rows) // 4)
    assert pq.read_table(tmp_path / "s.parquet").equals(pq.read_table(tmp_path / "m.parquet"), check_metadata=True)
    assert (tmp_path / "s.parquet").read_bytes() == (tmp_path / "m.parquet").read_bytes()


def test_cache_is_used_and_invalidated(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    calls = []
    real = build_mod.convert_file
    monkeypatch.setattr(build_mod, "convert_file", lambda *a, **k: calls.append(a[0].name) or real(*a, **k))
    build(root)
    assert len(calls) == 5
    calls.clear()
    before = (root / "splits" / "documents" / "train-00000-of-00001.parquet").read_bytes()
    build(root)
    assert calls == []  # nothing changed: every document comes from the cache
    assert (root / "splits" / "documents" / "train-00000-of-00001.parquet").read_bytes() == before
    raw = root / "raw" / SEEDS["004"].name
    raw.write_text(raw.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    build(root)
    assert calls == [SEEDS["004"].name]  # a changed source is converted again
    calls.clear()
    build_mod.code_version.cache_clear()
    monkeypatch.setattr(build_mod, "code_version", lambda: "a different code version")
    build(root)
    assert len(calls) == 5  # new code: everything is converted again


def test_parallel_build_equals_serial(tmp_path):
    a, b = copy_project(tmp_path / "a"), copy_project(tmp_path / "b")
    build(a, cache=False)
    build(b, cache=False, num_proc=2)
    for name in ("documents/train", "items/train", "items/validation", "items/test"):
        path = f"splits/{name}-00000-of-00001.parquet"
        assert (a / path).read_bytes() == (b / path).read_bytes()
    shutil.rmtree(a), shutil.rmtree(b)


def test_unchanged_project_is_not_rebuilt_but_a_touched_output_is(tmp_path):
    root = copy_project(tmp_path / "p")
    assert not build(root).up_to_date
    again = build(root)
    assert again.up_to_date and again.report["items"] == 55
    lock = root / "splits" / "split-lock.jsonl"
    lock.write_text(lock.read_text() + "\n", encoding="utf-8")  # an output edited by hand
    assert not build(root).up_to_date
    assert build(root, cache=False).up_to_date is False


def test_item_ids_hold_every_id_in_order(monkeypatch):
    monkeypatch.setattr(build_mod.ItemIds, "_CHUNK", 7)  # several full chunks and an open one
    expected = [f"linuxcn-{n}-{'ab' * (n % 5)}" for n in range(53)]
    ids = build_mod.ItemIds()
    for i in expected:
        ids.append(i)
    assert len(ids) == 53 and [ids[n] for n in range(53)] == expected
    assert [i.decode() for i in ids.array().tolist()] == expected
