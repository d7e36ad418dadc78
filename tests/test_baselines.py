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
    train = [r for r in items if r["split"] == "train"][:300]  # the contract, not the figures: a sample fits in a second
    model = TOPIC_BASELINES[name]()
    assert model.fit(train, [r["topics"] for r in train]) is model
    clone(model)  # parameters live in __init__ only
    first = model.predict(items[:5])
    assert first == TOPIC_BASELINES[name]().fit(train, [r["topics"] for r in train]).predict(items[:5])  # seeded
    assert all(p and set(p) <= set(t for r in items for t in r["topics"]) | set(runner.topic_ids()) for p in first)


@pytest.mark.parametrize("name", sorted(CLAIM_BASELINES))
def test_claim_baselines_contract(items, name):
    train = [r for r in items if r["split"] == "train" and r["claims_labeled"]][:150]  # the contract, not the figures
    model = CLAIM_BASELINES[name]()
    assert model.fit(train, [r["claims"] for r in train]) is model
    sample = items[::8]  # every source and format; predicting all 1,791 items took 15 s for the pipeline
    for item, claims in zip(sample, model.predict(sample), strict=True):
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
    import functools

    seen = []

    class Spy(TOPIC_BASELINES["prior"]):
        def fit(self, X, y):
            seen.append({x["id"] for x in X})
            return super().fit(X, y)

    monkeypatch.setitem(TOPIC_BASELINES, "spy", Spy)
    monkeypatch.setattr(runner, "RESULTS", str(tmp_path / "results"))
    for name in ("score", "topic_scores_with_ci"):  # what the fit sees is tested, not the intervals
        monkeypatch.setattr(runner, name, functools.partial(getattr(runner, name), n_resamples=20))
    runner.run_baseline("topics", "spy", ROOT, items)
    test_ids = {r["id"] for r in items if r["split"] == "test"}
    assert not seen[0] & test_ids  # the fixed-split fit
    # a baseline with nothing to tune learns from train and validation (the runner's rule)
    assert seen[0] == {r["id"] for r in items if r["split"] in ("train", "validation")}


def test_committed_results_reproduce(items, monkeypatch, tmp_path):
    """The committed fixed-split figures are what the committed predictions score, and the fast baselines rerun byte for byte.

    Results computed on another corpus cannot match it: after a contribution adds documents,
    ``aicorpus check`` reports the results as stale (and ``check --release`` fails), and
    ``scripts/run_baselines.py`` refreshes them. A test must not fail on a valid contribution,
    so it has nothing to compare then. Rerunning every baseline under every protocol takes
    minutes: that is the script's job, and a rerun leaves ``git status`` clean.
    """
    stale = runner.stale_results(ROOT)
    if stale:
        pytest.skip(f"{len(stale)} result files are stale (aicorpus check says so); rerun python scripts/run_baselines.py")
    committed = runner.committed_results(ROOT)
    assert {key for key in committed} == {(t, n) for t, n in runner.baselines()}  # every baseline has a result
    for (task, name), result in committed.items():
        fixed = result["protocols"]["fixed_split"]
        scores = runner.score_protocol(task, "fixed_split", ROOT, items, ROOT / fixed["predictions"])
        assert runner._headline(task, scores) == (fixed["headline"], fixed["ci"]), (task, name)
    monkeypatch.setattr(runner, "RESULTS", str(tmp_path / "results"))
    for task, name in (("topics", "prior"), ("topics", "keywords"), ("claims", "regex_quantities")):
        fresh = runner.run_protocol(task, name, "fixed_split", ROOT, items)
        assert (fresh["headline"], fresh["ci"]) == (committed[(task, name)]["protocols"]["fixed_split"]["headline"],
                                                    committed[(task, name)]["protocols"]["fixed_split"]["ci"])
        path = f"{task}/{name}.test.jsonl"
        assert (tmp_path / "results" / path).read_bytes() == (ROOT / "results" / path).read_bytes()


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


def test_a_result_holds_nothing_of_the_machine_and_reruns_byte_for_byte(built, tmp_path, monkeypatch):
    """A rerun in another checkout must leave `git status` clean: no absolute path, no commit, no versions of this machine."""
    import functools
    import shutil

    root = tmp_path / "elsewhere" / "p"
    shutil.copytree(built, root)
    items = runner.labeled_items(root)
    monkeypatch.setattr(runner, "TOPIC_BASELINES", {"prior": TOPIC_BASELINES["prior"]})
    monkeypatch.setattr(runner, "CLAIM_BASELINES", {"regex_quantities": CLAIM_BASELINES["regex_quantities"]})
    for name in ("score", "topic_scores_with_ci", "claim_scores_with_ci"):  # what the file holds is tested, not the intervals
        monkeypatch.setattr(runner, name, functools.partial(getattr(runner, name), n_resamples=20))
    assert runner.run_all(root) == [root / "results" / "topics" / "prior.json", root / "results" / "claims" / "regex_quantities.json",
                                    root / "results" / "topics_confusion.png", root / "results" / "breakdown.md"]
    first = {p: p.read_bytes() for p in sorted((root / "results").rglob("*")) if p.is_file()}
    text = b"".join(v for p, v in first.items() if p.suffix != ".png").decode()  # the PNG is checked byte for byte below
    assert str(tmp_path) not in text and "/elsewhere/" not in text
    result = json.loads(first[root / "results" / "topics" / "prior.json"])
    assert result["protocols"]["fixed_split"]["scores"]["predictions"] == "results/topics/prior.test.jsonl"
    assert not {"environment", "code_commit", "python", "packages"} & set(result)
    assert runner.run_all(root) and {p: p.read_bytes() for p in sorted((root / "results").rglob("*")) if p.is_file()} == first


def test_run_baselines_help_only_prints_help():
    import subprocess
    import sys

    before = {p: p.stat().st_mtime_ns for p in (ROOT / "results").rglob("*")}
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "run_baselines.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("usage: run_baselines.py") and "--no-build" in out.stdout
    assert {p: p.stat().st_mtime_ns for p in (ROOT / "results").rglob("*")} == before  # nothing was run or written


def test_claims_are_scored_only_where_they_were_labelled(tmp_path):
    """Train items with claims_labeled false have no gold claims yet: scoring them as 'no claims' would be wrong."""
    import shutil

    from aicorpus.bench.score import score, split_item_ids

    root = tmp_path / "project"  # a copy in which one train document's items have topics only, as before a claim pass
    for name in ("splits", "labels", "schema"):
        shutil.copytree(ROOT / name, root / name)
    train = set(split_item_ids(root, "train"))
    path = next(p for p in sorted((root / "labels").glob("*.jsonl"))
                if any(json.loads(line)["item_id"] in train for line in p.read_text(encoding="utf-8").splitlines()))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [{**r, "claims": [], "claims_labeled": False} if r["item_id"] in train else r for r in rows]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    labels = [json.loads(line) for p in sorted((root / "labels").glob("*.jsonl")) for line in p.read_text(encoding="utf-8").splitlines()]
    with_claims = sum(1 for lab in labels if lab["item_id"] in train and lab.get("claims_labeled", True))
    assert 0 < with_claims < len(train)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert score("claims", empty, "train", root, n_resamples=10)["n_items_labeled"] == with_claims
    assert score("topics", empty, "train", root, n_resamples=10)["n_items_labeled"] == len(train)
    items = runner.labeled_items(root)
    assert sum(1 for r in items if r["split"] == "train" and r["claims_labeled"]) == with_claims
