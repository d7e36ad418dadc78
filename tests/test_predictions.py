"""Topic predictions may give a topic by id or by its integer class label, as load_dataset returns the topics."""

from __future__ import annotations

import json

import pytest

from aicorpus.bench.predictions import read_predictions
from aicorpus.bench.score import score
from aicorpus.errors import AicorpusError
from aicorpus.labels import topic_ids

ITEM = "plaintext-000000000000-00000001"


def write(tmp_path, topics) -> object:
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps({"item_id": ITEM, "topics": topics}) + "\n", encoding="utf-8")
    return path


def test_ids_and_class_labels_give_the_same_topics(tmp_path):
    ids = topic_ids()
    preds = read_predictions(write(tmp_path, [0, ids[3], len(ids) - 1]), "topics", item_ids={ITEM}, topics=ids)
    assert preds == {ITEM: [ids[0], ids[3], ids[-1]]}


@pytest.mark.parametrize("value", [len(topic_ids()), -1, True, 1.0, "0", "no_such_topic", None])
def test_a_wrong_topic_names_a_valid_example(tmp_path, value):
    with pytest.raises(AicorpusError) as err:
        read_predictions(write(tmp_path, ["open_source", value]), "topics", item_ids={ITEM}, topics=topic_ids())
    issue = err.value.issue
    assert (issue.rule, issue.line, issue.json_path) == ("unknown-topic", 1, "$.topics[1]")
    assert f"e.g. {topic_ids()[0]!r} or 0" in issue.hint
    assert f"class label 0 to {len(topic_ids()) - 1}" in issue.message


def test_the_class_labels_are_the_published_feature(built, tmp_path):
    """Integer k in a prediction is the topic load_dataset gives as k: the ClassLabel order of the items' topics."""
    from aicorpus.parquet import ITEM_FEATURES

    assert ITEM_FEATURES["topics"].feature.names == topic_ids()
    import pyarrow.parquet as pq

    rows = pq.read_table(built / "splits" / "items" / "test-00000-of-00001.parquet", columns=["id", "topics"]).to_pylist()
    names = tmp_path / "names.jsonl"
    numbers = tmp_path / "numbers.jsonl"
    # the gold labels themselves, once as the integers the Parquet holds, once as topic ids
    names.write_text("".join(json.dumps({"item_id": r["id"], "topics": [topic_ids()[t] for t in r["topics"]]}) + "\n" for r in rows), encoding="utf-8")
    numbers.write_text("".join(json.dumps({"item_id": r["id"], "topics": r["topics"]}) + "\n" for r in rows), encoding="utf-8")
    by_name = score("topics", names, "test", built, n_resamples=20)
    by_number = score("topics", numbers, "test", built, n_resamples=20)
    assert by_name["n_items_labeled"] > 0 and by_name["micro_f1"] == 1.0  # the gold predicts itself
    assert {k: v for k, v in by_number.items() if k != "predictions"} == {k: v for k, v in by_name.items() if k != "predictions"}
