"""bench compare: paired bootstrap interval and approximate-randomization p-value, checked by hand."""

from __future__ import annotations

import itertools

from aicorpus.bench.compare import compare_claims, compare_topics

LABELS = ["a", "b"]
GOLD = [["a"], ["b"], ["a", "b"], ["b"]]
ALL_A = [["a"], ["a"], ["a"], ["a"]]


def micro(gold, pred):
    tp = sum(len(set(g) & set(p)) for g, p in zip(gold, pred))
    fp = sum(len(set(p) - set(g)) for g, p in zip(gold, pred))
    fn = sum(len(set(g) - set(p)) for g, p in zip(gold, pred))
    return 2 * tp / (2 * tp + fp + fn)


def test_identical_systems_differ_by_nothing():
    r = compare_topics(GOLD, ALL_A, ALL_A, LABELS, n_resamples=200, n_shuffles=200)
    for name in ("micro_f1", "macro_f1", "samples_f1"):
        assert r[name]["difference"] == 0 and r[name]["ci"] == [0.0, 0.0] and r[name]["p_value"] == 1.0


def test_p_value_matches_the_exact_permutation_test():
    # With 4 items there are 16 ways to swap A and B item by item: the exact p-value is the share of
    # them whose |micro F1 difference| is at least the observed 5/9. Approximate randomization must agree.
    observed = abs(micro(GOLD, GOLD) - micro(GOLD, ALL_A))
    extreme = 0
    for mask in itertools.product([False, True], repeat=4):
        a = [g if m else x for g, x, m in zip(GOLD, ALL_A, mask)]
        b = [x if m else g for g, x, m in zip(GOLD, ALL_A, mask)]
        extreme += abs(micro(GOLD, b) - micro(GOLD, a)) >= observed - 1e-12
    exact = extreme / 16
    r = compare_topics(GOLD, ALL_A, GOLD, LABELS, n_resamples=200, n_shuffles=4000, seed=1)
    assert abs(r["micro_f1"]["difference"] - observed) < 1e-12
    assert abs(r["micro_f1"]["p_value"] - exact) < 0.03, (r["micro_f1"]["p_value"], exact)


def test_a_consistent_win_is_significant_and_its_interval_excludes_zero():
    gold = [["a"]] * 15 + [["b"]] * 15
    worse = [["b"]] * 15 + [["b"]] * 15  # wrong on the first 15
    r = compare_topics(gold, worse, gold, LABELS, n_resamples=500, n_shuffles=500)
    assert r["micro_f1"]["p_value"] < 0.01 and r["micro_f1"]["ci"][0] > 0


def test_claims_use_the_benchmark_matching():
    claim = {"subject": "谷歌", "predicate": "release", "value": "PaLM API"}
    alias = {"subject": "Google", "predicate": "release", "value": "PaLM API"}
    gold = [[claim], [claim]]
    r = compare_claims(gold, [[], []], [[alias], [alias]], aliases={"google": "谷歌"}, n_resamples=100, n_shuffles=100)
    assert r["strict_f1"]["a"] == 0.0 and r["strict_f1"]["b"] == 1.0  # the alias resolves: a strict match
    assert set(r) >= {"strict_f1", "lenient_f1", "numeric_strict_f1", "numeric_lenient_f1"}


def test_compare_command_on_two_baselines(capsys):
    from aicorpus.cli import main
    from conftest import ROOT

    a, b = ROOT / "results/topics/prior.test.jsonl", ROOT / "results/topics/word_tfidf_svm.test.jsonl"
    assert main(["bench", "compare", "--task", "topics", str(a), str(b), "--root", str(ROOT), "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["split"] == "test" and out["n_items"] > 300
    assert out["micro_f1"]["b"] > out["micro_f1"]["a"] and out["micro_f1"]["p_value"] < 0.01
    assert main(["bench", "compare", "--task", "topics", str(a), str(ROOT / "nope.jsonl"), "--root", str(ROOT)]) == 1
