"""Baselines follow the estimator contract, train only on train, and reproduce the committed results."""

from __future__ import annotations

import json

import pytest
from sklearn.base import clone

from aicorpus.bench import runner
from aicorpus.bench.baselines import CLAIM_BASELINES, TOPIC_BASELINES, RegexClaims, clauses
from conftest import ROOT


@pytest.fixture(scope="module")
def items():
    return runner.labeled_items(ROOT)


@pytest.mark.parametrize("name", sorted(TOPIC_BASELINES))
def test_topic_baselines_contract(items, name):
    train = [r for r in items if r["split"] == "train"]
    model = TOPIC_BASELINES[name]()
    assert model.fit(train, [r["topics"] for r in train]) is model
    clone(model)  # parameters live in __init__ only
    first = model.predict(items[:5])
    assert first == TOPIC_BASELINES[name]().fit(train, [r["topics"] for r in train]).predict(items[:5])  # seeded
    assert all(p and set(p) <= set(t for r in items for t in r["topics"]) | set(runner.topic_ids()) for p in first)


@pytest.mark.parametrize("name", sorted(CLAIM_BASELINES))
def test_claim_baselines_contract(items, name):
    train = [r for r in items if r["split"] == "train"]
    model = CLAIM_BASELINES[name]()
    assert model.fit(train, [r["claims"] for r in train]) is model
    for item, claims in zip(items, model.predict(items)):
        for c in claims:
            start, end = c["span"]
            assert 0 <= start < end <= len(item["text"])
            assert set(c) == {"subject", "predicate", "value", "number", "unit", "comparator", "span"}


def test_regex_baseline_finds_the_grok_parameter_count():
    text = "马斯克旗下的大模型公司xAI在其官网宣布开源了具有3140亿参数的大模型Grok-1,同时公开了权重。"
    claims = RegexClaims().fit([]).predict([{"text": text}])[0]
    assert [(c["number"], c["unit"], c["predicate"]) for c in claims] == [(314000000000.0, "parameters", "open_source")]
    assert clauses(text)[0] == tuple(claims[0]["span"])


def test_fit_never_sees_the_test_split(items, monkeypatch, tmp_path):
    seen = []

    class Spy(TOPIC_BASELINES["prior"]):
        def fit(self, X, y):
            seen.append({x["id"] for x in X})
            return super().fit(X, y)

    monkeypatch.setitem(TOPIC_BASELINES, "spy", Spy)
    monkeypatch.setattr(runner, "RESULTS", str(tmp_path / "results"))
    runner.run_baseline("topics", "spy", ROOT, items)
    test_ids = {r["id"] for r in items if r["split"] == "test"}
    assert not seen[0] & test_ids  # the fixed-split fit
    assert seen[0] == {r["id"] for r in items if r["split"] == "train"}


def test_committed_results_reproduce(items, monkeypatch, tmp_path):
    """Rerunning every baseline gives the committed figures exactly (what scripts/run_baselines.py prints)."""
    monkeypatch.setattr(runner, "RESULTS", str(tmp_path / "results"))
    assert runner.stale_results(ROOT) == []
    for task, registry in (("topics", TOPIC_BASELINES), ("claims", CLAIM_BASELINES)):
        for name in registry:
            fresh = runner.run_baseline(task, name, ROOT, items)
            committed = json.loads((ROOT / "results" / task / f"{name}.json").read_text(encoding="utf-8"))
            for protocol in ("fixed_split", "grouped_cv"):
                assert fresh["protocols"][protocol]["headline"] == committed["protocols"][protocol]["headline"], (task, name, protocol)
                assert fresh["protocols"][protocol]["ci"] == committed["protocols"][protocol]["ci"]


def test_results_are_stale_when_labels_clusters_or_code_change(built, tmp_path, monkeypatch):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(built, root)
    items = runner.labeled_items(root)
    result = json.loads((ROOT / "results" / "topics" / "prior.json").read_text(encoding="utf-8"))
    result.update(data_sha256=runner.fingerprint(items, runner._groups(root, [r["id"] for r in items])),
                  code_sha256=runner.code_fingerprint())
    (root / "results" / "topics").mkdir(parents=True)
    (root / "results" / "topics" / "x.json").write_text(json.dumps(result), encoding="utf-8")
    assert runner.stale_results(root) == []

    clusters = root / "splits" / "near-duplicates.jsonl"
    kept = clusters.read_text(encoding="utf-8")
    clusters.write_text("", encoding="utf-8")  # no clusters: other cross-validation groups
    assert runner.stale_results(root) == ["results/topics/x.json"]
    clusters.write_text(kept, encoding="utf-8")

    monkeypatch.setattr(runner, "code_fingerprint", lambda: "other code")
    assert runner.stale_results(root) == ["results/topics/x.json"]
    monkeypatch.undo()

    label = root / "labels" / "linuxcn-15754.jsonl"
    label.write_text(label.read_text(encoding="utf-8").replace('"generative_media"', '"safety_ethics"', 1), encoding="utf-8")
    from aicorpus.build import build

    build(root)
    assert runner.stale_results(root) == ["results/topics/x.json"]
