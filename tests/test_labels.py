"""Hand labels stay attached and exact; broken label files get precise errors."""

from __future__ import annotations

import json

import pytest

from aicorpus.labels import guideline_version, label_files, label_issues, read_labels, taxonomy, topic_ids
from aicorpus.review import published_items
from aicorpus.validate import Located, load_schema
from conftest import ROOT


@pytest.fixture(scope="module")
def items():
    return published_items(ROOT / "splits")


def test_taxonomy_is_well_formed_and_matches_the_schema(items):
    topics = taxonomy()["topics"]
    assert 10 <= len(topics) <= 15
    ids = topic_ids()
    assert len(set(ids)) == len(ids)
    assert load_schema("labels")["properties"]["topics"]["items"]["enum"] == ids  # the enum is checked against the data
    for t in topics:
        assert t["name_zh"] and t["name_en"] and t["definition"] and t["include"] and t["exclude"]
        assert len(t["examples"]) == 2
        for ex in t["examples"]:
            assert ex["item_id"] in items, ex  # examples are real items of the corpus


def _split_items(split: str) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(ROOT / "splits" / "items" / f"{split}-00000-of-00001.parquet", columns=["id", "title", "text"]).to_pylist()


def _quotations(path) -> list[str]:
    """What a file quotes: backticked strings of the guideline, every string of the taxonomy."""
    import re

    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return re.findall(r"`([^`\n]+)`", text)
    out: list[str] = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(json.loads(text))
    return out


@pytest.mark.parametrize("name", ["labels/GUIDELINES.md", "schema/topics.json", "schema/aliases.json"])
def test_the_guideline_cites_no_validation_or_test_item(name):
    """Examples come from train: no evaluation item's id, title or text is quoted (8 characters or more)."""
    path = ROOT / name
    whole = path.read_text(encoding="utf-8")
    # the alias table holds names (of companies, people, models), which evaluation items share with train
    # items: for it only ids and titles are checked; guideline and taxonomy quote text, which must be train's
    quotes = [] if name.endswith("aliases.json") else [q for q in _quotations(path) if len(q) >= 8]
    for split in ("validation", "test"):
        for it in _split_items(split):
            assert it["id"] not in whole, (split, it["id"])
            if it["title"] and len(it["title"]) >= 4:
                assert it["title"] not in whole, (split, it["title"])
            leaked = [q for q in quotes if q in it["text"] or (it["title"] and q in it["title"])]
            assert not leaked, (split, it["id"], leaked)


def test_taxonomy_examples_are_train_items():
    train = {it["id"] for it in _split_items("train")}
    assert all(ex["item_id"] in train for t in taxonomy()["topics"] for ex in t["examples"])


def test_every_label_passes_every_check(items):
    labels, issues = read_labels(label_files(ROOT), ROOT)
    issues += label_issues(labels, items, version=guideline_version(ROOT))
    assert [i.format() for i in issues] == []
    assert labels  # label completeness is a release check (check --release), not a test: new items may wait for labels


def label(item_id, **kw):
    claim = {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "unit": None, "comparator": "eq",
             "time": None, "evidence": "xAI开源了Grok-1", "start": 0, "end": 12, "note": None}
    claim.update(kw.pop("claim", {}))
    return {"item_id": item_id, "topics": ["open_source"], "claims": [claim], "guideline_version": "1.0", "annotator": "maintainers", **kw}


ITEM = {"id": "plaintext-000000000000-00000000", "text": "xAI开源了Grok-1。它有3140亿参数。"}


@pytest.mark.parametrize(
    "record, rule, path",
    [
        (label("plaintext-000000000000-11111111"), "orphaned-label", "$.item_id"),
        (label(ITEM["id"], claim={"end": 10}), "span-mismatch", "$.claims[0].evidence"),
        (label(ITEM["id"], claim={"start": 5, "end": 500}), "span-out-of-range", "$.claims[0].start"),
        (label(ITEM["id"], claim={"unit": "parameters"}), "unit-without-number", "$.claims[0].unit"),
        (label(ITEM["id"], topics=["non_ai_tech", "open_source"]), "exclusive-topic", "$.topics"),
        (label(ITEM["id"], guideline_version="0.9"), "guideline-version", "$.guideline_version"),
        (label(ITEM["id"], claims_labeled=False), "claims-not-labeled", "$.claims_labeled"),
    ],
)
def test_cross_checks_name_the_rule_and_field(record, rule, path):
    issues = label_issues([Located(record, "labels/x.jsonl", 7)], {ITEM["id"]: ITEM}, version="1.0")
    assert [(i.rule, i.json_path, i.file, i.line) for i in issues] == [(rule, path, "labels/x.jsonl", 7)]
    assert issues[0].hint


def test_schema_errors_in_label_files(tmp_path):
    path = tmp_path / "labels.jsonl"
    bad = label(ITEM["id"], topics=["no_such_topic"], claim={"predicate": "invented", "comparator": "about"})
    del bad["annotator"]
    path.write_text(json.dumps(bad, ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    labels, issues = read_labels([path])
    assert labels == []
    got = {(i.line, i.rule, i.json_path) for i in issues}
    assert got == {(1, "required", "$"), (1, "enum", "$.topics[0]"), (1, "enum", "$.claims[0].predicate"),
                   (1, "enum", "$.claims[0].comparator"), (2, "invalid-json", "$")}


def test_duplicate_and_missing_labels():
    rec = label(ITEM["id"])
    other = {"id": "plaintext-000000000000-22222222", "text": "别的。"}
    issues = label_issues([Located(rec, "a.jsonl", 1), Located(rec, "b.jsonl", 3)], {ITEM["id"]: ITEM, other["id"]: other}, require_all=True)
    assert [(i.rule, i.file) for i in issues] == [("duplicate-label", "b.jsonl"), ("unlabeled-item", "labels/")]


def test_the_second_claims_pass_adds_claims_and_keeps_the_first_topics(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    from merge_labels import add_claims

    (tmp_path / "labels").mkdir()
    first = [{"item_id": "linuxcn-1-aaaaaaaa", "topics": ["agents"], "claims": [], "claims_labeled": False, "guideline_version": "2.1",
              "annotator": "s01"},
             {"item_id": "linuxcn-1-bbbbbbbb", "topics": ["agents"], "claims": [], "claims_labeled": True, "guideline_version": "2.1",
              "annotator": "s01"}]
    label_file = tmp_path / "labels" / "linuxcn-1.jsonl"
    label_file.write_text("".join(json.dumps(r) + "\n" for r in first), encoding="utf-8")
    claim = {"subject": "A", "predicate": "release", "value": "B", "number": None, "unit": None, "comparator": "eq", "time": None,
             "evidence": "A 发布 B", "start": 0, "end": 6, "note": None}
    second = tmp_path / "pass2.jsonl"
    second.write_text(json.dumps({**first[0], "topics": ["open_source"], "claims": [claim], "claims_labeled": True, "annotator": "c1"}) + "\n",
                      encoding="utf-8")
    assert add_claims([second], root=tmp_path) == 0
    merged = [json.loads(line) for line in label_file.read_text(encoding="utf-8").splitlines()]
    assert merged[0] == {**first[0], "claims": [claim], "claims_labeled": True, "annotator": "s01+c1"}  # the first pass's topics
    assert merged[1] == first[1]
    # a second run finds the claims labelled already, and writes nothing
    assert add_claims([second], root=tmp_path) == 1
    assert [json.loads(line) for line in label_file.read_text(encoding="utf-8").splitlines()] == merged


def test_the_second_pass_audit_sample_is_what_the_script_draws(monkeypatch):
    """The audited items are a seeded draw, not a choice: rerunning the draw gives the committed sample."""
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    from sample_audit import PER_ANNOTATOR, draw

    folder = ROOT / "labels" / "agreement"
    rows = [json.loads(line) for line in (folder / "pass2.jsonl").read_text(encoding="utf-8").splitlines()]
    committed = [tuple(line.split("\t")) for line in (folder / "audit_pass2_sample.txt").read_text(encoding="utf-8").splitlines()]
    assert committed == draw(rows)
    annotators = sorted({r["annotator"] for r in rows})
    assert [a for _, a in committed] == [a for a in annotators for _ in range(PER_ANNOTATOR)]
    with_claims = {r["item_id"] for r in rows if r["claims"]}
    assert {i for i, _ in committed} <= with_claims
