"""The researcher's example (examples/topics_tfidf.py) runs end to end: load_dataset, scikit-learn, the CLI's score."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.parquet as pq

from aicorpus.bench.score import score
from conftest import ROOT


def test_the_example_trains_predicts_and_scores_with_the_cli(built, tmp_path):
    out = tmp_path / "predictions.jsonl"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "cache")}  # not the user's cache
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "topics_tfidf.py"), "--root", str(built), "--out", str(out), "--json"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    test_ids = pq.read_table(built / "splits" / "items" / "test-00000-of-00001.parquet", columns=["id"]).column("id").to_pylist()
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["item_id"] for r in lines] == test_ids  # one line per test item, in the split's order
    assert all(r["topics"] and all(isinstance(t, int) for t in r["topics"]) for r in lines)  # class labels, at least one each
    printed = json.loads(done.stdout)
    # what the CLI printed is the library's score of the file the example wrote
    assert printed["micro_f1"] == score("topics", out, "test", built)["micro_f1"]
    assert printed["n_items_predicted"] == len(test_ids)
