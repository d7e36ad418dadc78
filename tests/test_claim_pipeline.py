"""The claim pipeline's choices that its contract tests do not pin: subject mass, runners-up of values and predicates."""

from __future__ import annotations

import numpy as np

from aicorpus.bench.baselines import ClaimPipeline, _Item


class _Scores:
    """A stand-in ranker: returns the scores it was given, whatever the features."""

    def __init__(self, scores):
        self.scores = np.asarray(scores, dtype=float)

    def decision_function(self, X):
        assert X.shape[0] == len(self.scores)
        return self.scores


def test_a_subject_named_twice_gathers_the_mass_of_both_mentions():
    doc = _Item({"text": "OpenAI 发布了新模型，OpenAI 称 Anthropic 已落后", "title": ""}, [])
    names = [w for w, *_ in doc.candidates]
    assert names.count("OpenAI") == 2 and "Anthropic" in names
    # Anthropic is the single best mention (0.4), but OpenAI's two mentions hold 0.3 each
    probs = {"OpenAI": 0.3, "Anthropic": 0.4}
    logits = [np.log(probs.get(w, 1e-9)) for w in names]
    model = ClaimPipeline()
    model.subject_model_, model.known_, model.alias_index_ = _Scores(logits), {}, {}
    [(subject, sure)] = model._subjects([doc], [(0, 0, "release", None, None)])
    assert subject == "OpenAI"
    assert abs(sure - 0.6) < 1e-6


def test_a_value_offers_its_runners_up_but_never_one_holding_the_subject():
    text = "谷歌发布了开源模型 Gemma"
    doc = _Item({"text": text, "title": ""}, [])
    spans = [(text.index("开源模型 Gemma"), len(text)), (text.index("Gemma"), len(text)),
             (text.index("谷歌"), len(text)), (text.index("模型"), len(text))]
    scores = np.log([0.4, 0.3, 0.2, 0.1])
    requests = [(0, 0, "release")]

    def pick(alternatives):
        return ClaimPipeline._pick_values([doc], requests, [spans], scores, ["谷歌"], alternatives)[0]

    assert [v for v, _ in pick(0)] == ["开源模型 Gemma"]
    # the third best span holds the subject (谷歌): passed over, the fourth takes its place
    picked = pick(2)
    assert [v for v, _ in picked] == ["开源模型 Gemma", "Gemma", "模型 Gemma"]
    assert np.allclose([p for _, p in picked], [0.4, 0.3, 0.1])


def test_a_clause_offers_a_claim_for_its_predicates_runner_up():
    text = "xAI开源了Grok-1，它有3140亿参数。Meta发布了Llama 3。"
    X = [{"id": "a", "title": "", "text": text}] * 3
    y = [[{"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "start": 0, "end": 12},
          {"subject": "Meta", "predicate": "release", "value": "Llama 3", "number": None, "start": 23, "end": 37}]] * 3

    def predicates(alternatives):
        model = ClaimPipeline(predicate_alternatives=alternatives).fit(X, y)
        model.quantity_threshold_ = model.clause_threshold_ = 0.0  # keep every candidate
        by_clause: dict[tuple, set] = {}
        for c in model.predict(X[:1])[0]:
            if c["number"] is None:
                by_clause.setdefault(tuple(c["span"]), set()).add(c["predicate"])
        return by_clause

    alone, with_runner_up = predicates(0), predicates(1)
    assert alone and with_runner_up  # clauses without a number were predicted at all
    assert all(len(p) == 1 for p in alone.values())
    assert all(p == {"open_source", "release"} for p in with_runner_up.values())


def test_the_validation_script_writes_what_it_scored(monkeypatch, tmp_path, capsys):
    """``claims_validation.py --out``: every validation item once, each predicted by the model tuned on the
    other half, in a file that ``bench compare`` reads; train is fitted on and never written."""
    import json
    import sys
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "scripts"))
    import claims_validation

    items = [{"id": f"d{k}-{p}", "split": split, "claims": [{"subject": f"S{k}"}]}
             for k, split in enumerate(["train"] * 3 + ["validation"] * 6) for p in "ab"]

    class Echo:
        """Predicts for each item a claim naming it, and records what it was fitted on."""
        fitted: list[list[str]] = []

        def fit(self, X, y, eval_set=None):
            Echo.fitted.append(sorted(r["id"] for r in X))
            self.quantity_threshold_ = self.clause_threshold_ = 0.5
            return self

        def predict(self, X):
            return [[{"subject": r["id"]}] for r in X]

    monkeypatch.setattr(claims_validation, "labeled_items", lambda root: items)
    monkeypatch.setattr(claims_validation, "task_items", lambda task, rows: rows)
    monkeypatch.setattr(claims_validation, "CLAIM_BASELINES", {"pipeline_learned": Echo})
    out = tmp_path / "val.jsonl"
    assert claims_validation.main(["--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    validation = sorted(r["id"] for r in items if r["split"] == "validation")
    assert [r["item_id"] for r in rows] == validation
    assert all(r["claims"] == [{"subject": r["item_id"]}] for r in rows)
    assert Echo.fitted == [sorted(r["id"] for r in items if r["split"] == "train")] * 2
    assert not list(tmp_path.glob("*.tmp"))
    assert f"wrote {out}" in capsys.readouterr().out
    sys.modules.pop("claims_validation", None)
