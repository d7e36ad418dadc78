"""The README's examples run as written: the load example from the project folder, the prediction lines."""

from __future__ import annotations

import re

from aicorpus.bench.predictions import read_predictions
from aicorpus.labels import topic_ids
from aicorpus.review import published_items
from conftest import ROOT


def block(section: str, language: str) -> str:
    """The first fenced ``language`` block of the README section whose heading is ``section``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text[text.index(f"\n## {section}\n") :].split("\n## ", 2)[1]
    return re.search(rf"```{language}\n(.*?)```", body, re.S).group(1)


def test_the_load_example_runs_from_the_project_folder(built, tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")  # not the user's cache
    monkeypatch.chdir(built)
    scope: dict = {}
    exec(block("Quick start", "python"), scope)
    import pyarrow.parquet as pq

    parquet = {f.name.split("-")[0]: pq.ParquetFile(f).metadata.num_rows for f in (built / "splits" / "items").glob("*.parquet")}
    assert {split: len(rows) for split, rows in scope["items"].items()} == parquet and sum(parquet.values()) == 55
    assert len(scope["documents"]["train"]) == 5
    assert scope["names"] == topic_ids()


def test_the_prediction_example_gives_a_topic_by_id_or_by_class_label(tmp_path):
    path = tmp_path / "pred.jsonl"
    path.write_text(block("Benchmark", "jsonl"), encoding="utf-8")
    preds = read_predictions(path, "topics", item_ids=set(published_items(ROOT / "splits")), topics=topic_ids())
    assert len(preds) == 2 and len(set(map(tuple, preds.values()))) == 1  # both lines name the same topics


def test_the_comparison_shown_is_what_the_command_prints(monkeypatch, capsys):
    """The README's `bench compare` output is the command's, on the committed predictions (not typed by hand)."""
    import shlex

    import pytest

    from aicorpus.bench.runner import stale_results
    from aicorpus.cli import main

    if stale_results(ROOT):  # a contribution changed the corpus: aicorpus check reports it, run_baselines.py refreshes it
        pytest.skip("the committed results are stale")
    command = re.search(r"^aicorpus bench compare .*$", (ROOT / "README.md").read_text(encoding="utf-8"), re.M).group(0)
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(command)[1:]) == 0
    assert capsys.readouterr().out == block("Benchmark", "console")
