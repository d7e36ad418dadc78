"""aicorpus agree: inter-annotator agreement, checked against hand-worked cases."""

from __future__ import annotations

import json

from aicorpus.bench.agreement import agreement, claim_agreement, topic_agreement
from aicorpus.cli import main

TOPICS = ["model_release", "open_source", "policy_law", "non_ai_tech"]


def test_per_topic_kappa_by_hand():
    # open_source column: a = 1,1,0,0,0,0 ; b = 1,0,0,0,0,0 -> p_o = 5/6, p_e = (2/6)(1/6) + (4/6)(5/6) = 22/36
    # kappa = (30/36 - 22/36) / (14/36) = 8/14
    a = [["open_source"], ["open_source"], ["non_ai_tech"], ["non_ai_tech"], ["policy_law"], ["model_release"]]
    b = [["open_source"], ["model_release"], ["non_ai_tech"], ["non_ai_tech"], ["policy_law"], ["model_release"]]
    r = topic_agreement(a, b, TOPICS, n_resamples=20)
    assert abs(r["per_topic_kappa"]["open_source"] - 8 / 14) < 1e-12
    assert r["per_topic_kappa"]["policy_law"] == 1.0
    assert r["main_topic"] == 5 / 6 and r["mean_jaccard"] == 5 / 6
    assert r["per_topic_count"]["open_source"] == {"a": 2, "b": 1}


def test_kappa_is_undefined_not_perfect_when_nobody_uses_a_topic():
    r = topic_agreement([["open_source"]], [["open_source"]], TOPICS, n_resamples=20)
    assert r["per_topic_kappa"]["policy_law"] is None


def test_claim_f1_is_symmetric_and_uses_the_benchmark_matching():
    x = {"subject": "谷歌", "predicate": "release", "value": "PaLM API", "number": None, "start": 0, "end": 8}
    y = {"subject": "Google", "predicate": "release", "value": "PaLM API", "number": None, "start": 0, "end": 8}  # an alias of 谷歌
    z = {"subject": "OpenAI", "predicate": "release", "value": "GPT-4", "number": None, "start": 30, "end": 40}
    aliases = {"google": "谷歌"}
    ab = claim_agreement([[x, z]], [[y]], aliases=aliases, n_resamples=20)
    ba = claim_agreement([[y]], [[x, z]], aliases=aliases, n_resamples=20)
    assert ab["strict"]["f1"] == ba["strict"]["f1"] == 2 * 1 / (2 + 1)
    assert ab["strict"]["tp"] == 1 and ab["n_claims"] == {"a": 2, "b": 1}


def test_only_shared_items_and_labelled_claims_are_compared():
    lab = lambda i, topics, claims, labeled=True: {"item_id": i, "topics": topics, "claims": claims, "claims_labeled": labeled}
    c = {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "start": 0, "end": 5}
    a = [lab("x", ["open_source"], [c]), lab("y", ["policy_law"], [], labeled=False), lab("only-a", ["non_ai_tech"], [])]
    b = [lab("x", ["open_source"], [c]), lab("y", ["policy_law"], [c])]
    r = agreement(a, b, TOPICS, n_resamples=20)
    assert r["items"] == {"a": 3, "b": 2, "both": 2, "both_with_claims": 1}
    assert r["claims"]["strict"]["f1"] == 1.0  # item y's claims were not labelled by a: not a disagreement


def test_agree_command(tmp_path, capsys):
    rec = {"item_id": "plaintext-52a29a90768a-9d8c23c9", "topics": ["open_source", "model_release"], "claims": [], "guideline_version": "1.0",
           "annotator": "a"}
    pa, pb = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    pa.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    pb.write_text(json.dumps({**rec, "topics": ["open_source"], "annotator": "b"}) + "\n", encoding="utf-8")
    assert main(["agree", str(pa), str(pb), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["items"]["both"] == 1 and out["topics"]["mean_jaccard"] == 0.5 and out["topics"]["main_topic"] == 1.0
    pb.write_text('{"item_id": 3}\n', encoding="utf-8")
    assert main(["agree", str(pa), str(pb)]) == 1
    assert "b.jsonl:1:" in capsys.readouterr().err


def test_the_closed_form_kappa_is_sklearns():
    import numpy as np
    from sklearn.metrics import cohen_kappa_score

    from aicorpus.bench.agreement import _binary_kappa

    rng = np.random.default_rng(3)
    for _ in range(20):
        a = rng.integers(0, 2, 50)
        b = np.where(rng.random(50) < 0.8, a, 1 - a)
        assert abs(_binary_kappa(a, b) - cohen_kappa_score(a, b)) < 1e-12
