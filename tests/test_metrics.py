"""Benchmark scorers pinned on small cases worked out by hand (arithmetic in the comments)."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aicorpus.bench import metrics
from aicorpus.bench.metrics import (
    bootstrap_ci, claim_counts, claim_scores, claim_scores_with_ci, load_aliases, normalise_subject, normalise_text,
    numbers_close, span_iou, topic_scores, topic_scores_with_ci,
)
from aicorpus.bench.predictions import read_predictions
from aicorpus.bench.score import format_table, score
from aicorpus.errors import AicorpusError
from aicorpus.labels import topic_ids
from conftest import ROOT

LABELS = ["a", "b", "c"]


# --------------------------------------------------------------------------- topics


def test_topics_perfect():
    s = topic_scores([["a"], ["a", "b"]], [["a"], ["b", "a"]], LABELS)
    assert (s["micro_f1"], s["samples_f1"], s["hamming_loss"], s["subset_accuracy"]) == (1.0, 1.0, 0.0, 1.0)
    # a and b are perfect; c has no gold and no prediction, so it is left out of the macro average: (1 + 1) / 2
    assert s["macro_f1"] == pytest.approx(1.0)
    assert s["labels_without_support"] == ["c"]
    assert s["per_label"]["a"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert s["n_items"] == 2


def test_topics_empty_predictions():
    s = topic_scores([["a"], ["a", "b"]], [[], []], LABELS)
    assert s["micro_f1"] == s["macro_f1"] == s["samples_f1"] == s["subset_accuracy"] == 0.0
    # 3 gold cells missed out of 2 items x 3 labels = 6 cells
    assert s["hamming_loss"] == pytest.approx(3 / 6)
    assert s["per_label"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_topics_partial_overlap():
    s = topic_scores([["a", "b"]], [["a", "c"]], LABELS)
    # tp = 1 (a), fp = 1 (c), fn = 1 (b): micro P = R = 1/2, F1 = 2*1 / (2*1 + 1 + 1) = 0.5
    assert s["micro_f1"] == pytest.approx(0.5)
    # per label F1: a 1, b 0, c 0 -> macro 1/3; the one item's F1 is 0.5 -> samples 0.5
    assert s["macro_f1"] == pytest.approx(1 / 3)
    assert s["samples_f1"] == pytest.approx(0.5)
    # wrong cells: b (missed) and c (extra) of 3 -> 2/3; the label set is not exact -> subset accuracy 0
    assert s["hamming_loss"] == pytest.approx(2 / 3)
    assert s["subset_accuracy"] == 0.0


def test_topics_label_never_predicted():
    s = topic_scores([["a"], ["b"]], [["a"], ["a"]], ["a", "b"])
    # a: tp 1, fp 1, fn 0 -> P 1/2, R 1, F1 2/3. b: tp 0, fn 1, never predicted -> P 0 (zero_division), R 0, F1 0
    assert s["per_label"]["a"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert s["per_label"]["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    # micro: tp 1, fp 1, fn 1 -> 0.5; macro (2/3 + 0) / 2 = 1/3; samples: item 1 F1 1, item 2 F1 0 -> 0.5
    assert (s["micro_f1"], s["macro_f1"], s["samples_f1"]) == pytest.approx((0.5, 1 / 3, 0.5))


def test_topics_macro_and_micro_differ():
    # a frequent label always right, a rare one always wrong
    s = topic_scores([["a"], ["a"], ["a"], ["b"]], [["a"], ["a"], ["a"], ["a"]], ["a", "b"])
    # micro: tp 3, fp 1, fn 1 -> 2*3 / (6 + 2) = 0.75
    # macro: a tp 3, fp 1 -> F1 6/7; b F1 0 -> (6/7) / 2 = 3/7
    assert s["micro_f1"] == pytest.approx(0.75)
    assert s["macro_f1"] == pytest.approx(3 / 7)


@pytest.mark.parametrize(
    "y_true, y_pred, message",
    [
        ([["a"]], [["z"]], r"y_pred\[0\] has label\(s\) \['z'\] outside `labels`"),
        ([["z"]], [["a"]], r"y_true\[0\]"),
        ([["a"], ["b"]], [["a"]], "y_true has 2 items but y_pred has 1"),
        ([["a"]], ["a"], "is the string 'a'"),
        ([], [], "no items"),
    ],
)
def test_topics_bad_input_is_a_clear_error(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        topic_scores(y_true, y_pred, LABELS)


def test_samples_f1_differs_from_micro():
    s = topic_scores([["a"], ["a", "b", "c"]], [["a"], ["a"]], LABELS)
    # item 1: tp 1 -> F1 1; item 2: tp 1, fn 2 -> 2*1 / (2 + 2) = 0.5; samples = mean(1, 0.5) = 0.75
    # micro pools the counts: tp 2, fp 0, fn 2 -> 2*2 / (4 + 2) = 2/3
    # macro: a F1 1, b F1 0, c F1 0 (b and c are gold somewhere, so all three count) -> 1/3
    assert (s["samples_f1"], s["micro_f1"], s["macro_f1"]) == pytest.approx((0.75, 2 / 3, 1 / 3))


def test_topics_all_empty():
    # nothing gold, nothing predicted: every F1 has a zero denominator and is 0 (zero_division=0), macro
    # included (no label occurs, so none is averaged: 0.0, not 1.0 or NaN); no cell is wrong, every set exact
    s = topic_scores_with_ci([[], []], [[], []], LABELS, n_resamples=20)
    assert (s["micro_f1"], s["macro_f1"], s["samples_f1"]) == (0.0, 0.0, 0.0)
    assert (s["hamming_loss"], s["subset_accuracy"]) == (0.0, 1.0)
    assert s["labels_without_support"] == LABELS
    # every resample is the same empty pair, so every interval is [0, 0]: finite, no NaN from 0/0
    assert s["ci"] == {"micro_f1": [0.0, 0.0], "macro_f1": [0.0, 0.0], "samples_f1": [0.0, 0.0]}


def test_an_empty_item_counts_zero_in_samples_f1():
    # item 2 has no gold and no prediction: its F1 is 0/0 -> 0 (zero_division=0), so samples = (1 + 0) / 2
    # even though nothing is wrong; micro and macro see only item 1's counts -> 1
    s = topic_scores([["a"], []], [["a"], []], LABELS)
    assert (s["samples_f1"], s["micro_f1"], s["macro_f1"]) == (0.5, 1.0, 1.0)


def test_duplicate_labels_are_an_error():
    with pytest.raises(ValueError, match="labels has duplicates"):
        topic_scores([["a"]], [["a"]], ["a", "b", "a"])


# --------------------------------------------------------------------------- claims


def claim(subject="xAI", predicate="open_source", value="Grok-1", number=None, unit=None, start=0, end=12, **kw):
    return {"subject": subject, "predicate": predicate, "value": value, "number": number, "unit": unit, "comparator": "eq",
            "time": None, "evidence": "x", "start": start, "end": end, "note": None, **kw}


def prf(level):
    return level["precision"], level["recall"], level["f1"]


def test_claims_exact_match():
    s = claim_scores([[claim()]], [[claim()]])
    assert prf(s["strict"]) == prf(s["lenient"]) == (1.0, 1.0, 1.0)
    assert s["strict"]["tp"] == s["strict"]["n_pred"] == s["strict"]["n_gold"] == 1
    # not numeric: the numeric levels see no claim at all
    assert s["numeric_strict"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "n_pred": 0, "n_gold": 0}
    assert s["n_items"] == 1


def test_duplicate_predictions_of_one_gold_claim_count_once():
    s = claim_scores([[claim()]], [[claim(), claim(), claim()]])
    # one-to-one matching: tp 1 of 3 predicted -> P 1/3, R 1, F1 2*1 / (3 + 1) = 0.5
    assert s["strict"]["tp"] == 1
    assert prf(s["strict"]) == pytest.approx((1 / 3, 1.0, 0.5))


def test_matching_is_optimal_not_greedy():
    g1, g2 = claim(value="A", start=0, end=10), claim(value="B", start=20, end=30)
    # p1 lenient-matches both golds (same subject + value A by text, and span of B); p2 only g1 (same span).
    # Greedy p1 -> g1 would leave p2 unmatched (tp 1); the optimal assignment p1 -> g2, p2 -> g1 gives tp 2.
    p1 = claim(subject="xAI", value="A", start=20, end=30)
    p2 = claim(subject="other", value="C", start=0, end=10)
    assert claim_scores([[g1, g2]], [[p1, p2]])["lenient"]["tp"] == 2


def test_partial_matches_are_lenient_not_strict():
    gold = claim(subject="xAI", predicate="open_source", value="Grok-1", start=0, end=12)
    wrong_predicate_same_span = claim(predicate="release")  # IoU 1 -> lenient; predicate differs -> not strict
    same_subject_value_no_span = claim(predicate="develops", start=None, end=None)  # subject + value text equal
    for pred in (wrong_predicate_same_span, same_subject_value_no_span):
        s = claim_scores([[gold]], [[pred]])
        assert (s["strict"]["tp"], s["lenient"]["tp"]) == (0, 1), pred
    # numbers close but units differ: strict needs the same unit; lenient needs only subject + number
    g = claim(subject="Grok-1", predicate="has_parameter_count", value="3140亿参数", number=314e9, unit="parameters")
    p = claim(subject="Grok-1", predicate="has_parameter_count", value="314B", number=314e9, unit="tokens", start=None, end=None)
    s = claim_scores([[g]], [[p]])
    assert (s["strict"]["tp"], s["lenient"]["tp"], s["numeric_strict"]["tp"], s["numeric_lenient"]["tp"]) == (0, 1, 0, 1)


def test_numeric_tolerance():
    gold = claim(subject="Open-Sora", predicate="costs_price", value="1万美元左右", number=10000, unit="USD")
    off_half_percent = claim(subject="Open-Sora", predicate="costs_price", value="约1万", number=10050, unit="usd", start=None, end=None)
    off_two_percent = {**off_half_percent, "number": 10200}
    # |10050 - 10000| = 50 <= 0.01 * 10050 = 100.5 -> close (unit compared case-folded: usd = USD)
    assert claim_scores([[gold]], [[off_half_percent]])["numeric_strict"]["tp"] == 1
    # |10200 - 10000| = 200 > 0.01 * 10200 = 102 -> not close at 1%, close at 3% (306)
    assert claim_scores([[gold]], [[off_two_percent]])["numeric_strict"]["tp"] == 0
    assert claim_scores([[gold]], [[off_two_percent]], rel_tol=0.03)["numeric_strict"]["tp"] == 1


def test_alias_normalisation():
    gold = claim(subject="谷歌", predicate="release", value="PaLM API", start=0, end=10)
    pred = claim(subject="Google", predicate="release", value="PaLM  api", start=None, end=None)  # value: spaces and case normalised
    assert claim_scores([[gold]], [[pred]])["strict"]["tp"] == 0  # no alias table: different subjects
    assert claim_scores([[gold]], [[pred]], aliases=load_aliases())["strict"]["tp"] == 1
    # NFKC + casefold + whitespace: full-width and spaced forms resolve to the canonical 智谱AI
    assert normalise_subject("智谱 ＡＩ") == normalise_subject("智谱AI") == normalise_subject("智谱", load_aliases())


@pytest.mark.parametrize(
    "pred_span, matches",
    [
        # gold [0, 100); pred [0, 51): inter 51, union 100 -> IoU 0.51
        ([0, 51], True),
        # pred [0, 50): IoU 0.50, the threshold itself counts
        ([0, 50], True),
        # pred [0, 49): IoU 0.49
        ([0, 49], False),
        # pred [49, 149): inter 51, union 149 -> 0.342
        ([49, 149], False),
    ],
)
def test_span_iou_threshold(pred_span, matches):
    gold = claim(subject="A", value="x", start=0, end=100)
    pred = {"subject": "B", "predicate": "release", "value": "y", "span": pred_span}  # only the span can match
    assert claim_scores([[gold]], [[pred]])["lenient"]["tp"] == int(matches)
    assert claim_scores([[gold]], [[pred]])["strict"]["tp"] == 0


def test_span_forms_and_missing_fields():
    assert span_iou((0, 10), (0, 10)) == 1.0 and span_iou((0, 10), None) == 0.0
    gold = claim(number=3, unit="x")
    as_span = {"subject": "xAI", "predicate": "open_source", "span": [0, 12]}  # no value, no number: null
    as_keys = {"subject": "xAI", "predicate": "open_source", "start": 0, "end": 12}
    for pred in (as_span, as_keys):
        s = claim_scores([[gold]], [[pred]])
        # span IoU 1 -> lenient; pred number null vs gold 3 -> not strict; pred not numeric -> numeric n_pred 0
        assert (s["strict"]["tp"], s["lenient"]["tp"], s["numeric_lenient"]["n_pred"]) == (0, 1, 0)


def test_numeric_levels_only_see_numeric_claims():
    numeric = claim(subject="Grok-1", predicate="has_parameter_count", value="3140亿参数", number=314e9, unit="parameters", start=13, end=22)
    plain = claim()
    s = claim_scores([[numeric, plain]], [[plain]])
    # all claims: tp 1 of 1 predicted, 2 gold -> P 1, R 0.5, F1 2/3
    assert prf(s["strict"]) == pytest.approx((1.0, 0.5, 2 / 3))
    # numeric: 0 predicted, 1 gold -> everything 0
    assert (s["numeric_strict"]["tp"], s["numeric_strict"]["n_pred"], s["numeric_strict"]["n_gold"]) == (0, 0, 1)
    assert prf(s["numeric_strict"]) == (0.0, 0.0, 0.0)


def test_empty_gold_with_predictions_and_empty_everything():
    s = claim_scores([[]], [[claim()]])
    # tp 0, n_pred 1, n_gold 0 -> P 0/1 = 0, R 0/0 -> 0.0, F1 0
    assert prf(s["strict"]) == (0.0, 0.0, 0.0) and s["strict"]["n_pred"] == 1
    empty = claim_scores([[]], [[]])
    assert all(prf(empty[level]) == (0.0, 0.0, 0.0) for level in ("strict", "lenient", "numeric_strict", "numeric_lenient"))
    assert claim_scores([], [])["strict"]["f1"] == 0.0
    # an item with nothing on either side adds nothing to the other item's perfect score
    assert prf(claim_scores([[claim()], []], [[claim()], []])["strict"]) == (1.0, 1.0, 1.0)


def test_claim_bad_input():
    with pytest.raises(ValueError, match="gold has 2 items but pred has 1"):
        claim_scores([[], []], [[]])
    with pytest.raises(ValueError, match="not a finite number"):
        claim_scores([[claim()]], [[claim(number="314B")]])


def no_span(**kw):
    """A claim without evidence offsets, so only subject, predicate and values can match it."""
    return claim(start=None, end=None, **kw)


@pytest.mark.parametrize("field", ["subject", "predicate", "value"])
@pytest.mark.parametrize("missing", [None, "", "  "])
def test_two_missing_fields_are_not_a_match(field, missing):
    # both claims lack the same field (None, or blank, which normalises to None); everything else is equal
    s = claim_scores([[no_span(**{field: missing})]], [[no_span(**{field: missing})]])
    assert s["strict"]["tp"] == 0
    # lenient ignores the predicate: same subject and same value text still match there
    assert s["lenient"]["tp"] == (1 if field == "predicate" else 0)


def test_a_number_is_not_matched_by_value_text_alone():
    gold = no_span(subject="Grok-1", predicate="has_parameter_count", value="3140亿参数", number=314e9, unit="parameters")
    text_only = {**gold, "number": None, "unit": None}  # the same value text, no number
    wrong_number = {**gold, "number": 3.14e9}  # the same value text, a number 100x off
    other_text = {**gold, "value": "314B", "number": 314e9}  # other text, the same number
    for pred, tp in ((text_only, 0), (wrong_number, 0), (other_text, 1)):
        s = claim_scores([[gold]], [[pred]])
        assert (s["strict"]["tp"], s["lenient"]["tp"]) == (tp, tp), pred
    # the numeric levels: the text-only prediction is not numeric at all; the wrong number is a miss
    s = claim_scores([[gold]], [[wrong_number]])
    assert (s["numeric_lenient"]["tp"], s["numeric_lenient"]["n_pred"]) == (0, 1)


def test_lenient_needs_the_same_subject_without_a_span():
    # same predicate and value, no spans, different subjects: no match at either level
    s = claim_scores([[no_span(subject="xAI")]], [[no_span(subject="Meta")]])
    assert (s["strict"]["tp"], s["lenient"]["tp"]) == (0, 0)
    # lenient does not compare predicates or units: same subject and close numbers suffice
    g = no_span(predicate="costs_price", value="1万美元", number=10000, unit="USD")
    p = no_span(predicate="raises_funding", value="一万", number=10000, unit="CNY")
    assert claim_scores([[g]], [[p]])["lenient"]["tp"] == 1


def test_span_iou_edge_cases():
    assert span_iou((0, 10), (2, 4)) == 0.2  # inter 2, union 10
    assert span_iou((0, 10), (20, 30)) == 0.0  # disjoint
    assert span_iou((0, 10), (10, 20)) == 0.0  # touching: half-open spans share no character
    assert span_iou((4, 5), (4, 5)) == 1.0  # one character each: inter 1, union 1
    assert span_iou((3, 3), (3, 3)) == 0.0  # zero-length: union 0, no crash
    assert span_iou((3, 3), (0, 10)) == 0.0
    assert span_iou((10, 5), (0, 20)) == 0.0  # reversed: empty
    assert span_iou(None, None) == 0.0


@pytest.mark.parametrize(
    "span_fields",
    [
        {"span": [0]},  # a span with only a start
        {"span": [0, None]},
        {"start": 0, "end": None},
        {"start": 0},
        {"span": [5, 5]},  # zero-length: IoU with anything is 0
    ],
)
def test_spans_that_locate_nothing_score_as_no_span(span_fields):
    gold = claim(subject="A", value="x", start=0, end=12)
    pred = {"subject": "B", "predicate": "open_source", "value": "y", **span_fields}  # only a span could match
    assert claim_scores([[gold]], [[pred]])["lenient"]["tp"] == 0
    # the same holds with the odd span on the gold side
    odd_gold = {"subject": "A", "predicate": "open_source", "value": "x", **span_fields}
    assert claim_scores([[odd_gold]], [[{**pred, "span": [0, 12]}]])["lenient"]["tp"] == 0


def test_a_span_that_is_not_two_offsets_is_an_error():
    for bad in ([0, 5, 9], "0-5", 7):
        with pytest.raises(ValueError, match=r"is not \[start, end\]"):
            claim_scores([[claim()]], [[{"subject": "xAI", "span": bad}]])


@pytest.mark.parametrize("number", [True, False, float("nan"), float("inf"), float("-inf"), "5", [5]])
def test_odd_numbers_are_an_error(number):
    with pytest.raises(ValueError, match="not a finite number"):
        claim_scores([[claim(number=5, unit="x")]], [[claim(number=number, unit="x")]])


def test_numbers_close_defaults():
    # default rel_tol 1%: |100 - 101| = 1 <= 0.01 * 101 = 1.01; |100 - 101.1| = 1.1 > 1.011
    assert numbers_close(100, 101) and not numbers_close(100, 101.1)
    # no absolute tolerance: small numbers are compared relatively too
    assert not numbers_close(0.001, 0.0015) and not numbers_close(0.0, 1e-12) and numbers_close(0.0, 0.0)
    # claim_counts uses the same default: 10050 vs 10000 is within 1% (50 <= 100.5), 10200 is not (200 > 102)
    gold = [[no_span(number=10000, unit="USD")]]
    assert claim_counts(gold, [[no_span(number=10050, unit="USD")]])["numeric_strict"].tolist() == [[1, 1, 1]]
    assert claim_counts(gold, [[no_span(number=10200, unit="USD")]])["numeric_strict"].tolist() == [[0, 1, 1]]


def test_normalise_text_and_subject():
    assert normalise_text(None) is None and normalise_text("") is None and normalise_text(" \t\u3000") is None
    assert normalise_text(" Ｘ ａＩ ") == "xai"  # NFKC, casefold, every space removed
    assert normalise_text(5) == "5"
    assert normalise_subject("Google", {"Google": "谷歌"}) == "谷歌"
    assert normalise_subject(" GOOGLE ", {"google": "Alphabet Inc"}) == "alphabetinc"  # both sides normalised
    assert normalise_subject("谷歌", {"Google": "谷歌"}) == "谷歌"  # a canonical name maps to itself
    assert normalise_subject(None, {"Google": "谷歌"}) is None


@pytest.mark.parametrize(
    "aliases, message",
    [
        ({"Google": "谷歌", "google ": "Alphabet"}, "maps to both"),  # one alias after normalisation, two names
        ({"": "谷歌"}, "may be blank"),  # would give every subject-less claim the subject 谷歌
        ({"  ": "谷歌"}, "may be blank"),
        ({"Google": " "}, "may be blank"),
    ],
)
def test_bad_alias_tables_are_an_error(aliases, message):
    with pytest.raises(ValueError, match=message):
        normalise_subject("Google", aliases)
    with pytest.raises(ValueError, match=message):
        claim_scores([[no_span(subject=None)]], [[no_span(subject=None)]], aliases=aliases)
    # the same alias twice for the same name is no conflict
    assert normalise_subject("google", {"Google": "谷歌", "GOOGLE": "谷歌"}) == "谷歌"


def aliases_file(tmp_path, data) -> str:
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "expected an object with an 'entities' list"),
        ({"entities": {"谷歌": ["Google"]}}, "expected an object with an 'entities' list"),
        ({"entities": [{"canonical": 1, "aliases": ["x"]}]}, r"entities\[0\] needs"),
        ({"entities": [{"canonical": "谷歌", "aliases": "Google"}]}, r"entities\[0\] needs"),
        ({"entities": [{"canonical": "谷歌", "aliases": ["Google", 3]}]}, r"entities\[0\] needs"),
        ({"entities": [{"canonical": "谷歌", "aliases": ["Google"]}, {"canonical": "Alphabet", "aliases": ["google"]}]},
         "alias 'google' maps to both '谷歌' and 'Alphabet'"),
    ],
)
def test_load_aliases_refuses_malformed_files(tmp_path, data, message):
    with pytest.raises(ValueError, match=message):
        load_aliases(aliases_file(tmp_path, data))


def test_load_aliases_reads_a_good_file(tmp_path):
    data = {"entities": [{"canonical": "谷歌", "aliases": ["Google", "google"]}, {"canonical": "Meta", "aliases": []}]}
    assert load_aliases(aliases_file(tmp_path, data)) == {"Google": "谷歌", "google": "谷歌"}


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_deterministic_and_contains_the_point_estimate():
    y_true = [["a"], ["a", "b"], ["b"], ["c"], ["a"], ["b", "c"], ["a"], ["c"]]
    y_pred = [["a"], ["a"], ["b"], ["a"], ["a"], ["b", "c"], [], ["c"]]
    first = topic_scores_with_ci(y_true, y_pred, LABELS, n_resamples=300, seed=7)
    again = topic_scores_with_ci(y_true, y_pred, LABELS, n_resamples=300, seed=7)
    assert first["ci"] == again["ci"]
    for name in ("micro_f1", "macro_f1", "samples_f1"):
        low, high = first["ci"][name]
        assert low <= first[name] <= high, name
    others = [topic_scores_with_ci(y_true, y_pred, LABELS, n_resamples=300, seed=s)["ci"] for s in (1, 2, 3)]
    assert any(o != first["ci"] for o in others)  # a different seed draws other resamples


def test_bootstrap_recomputes_the_figures_sklearn_gives():
    # every item the same: every resample has the same figures, so each CI collapses onto the point estimate,
    # which checks the count-based resample formulas against sklearn's (micro 0.5, macro 1/3, samples 0.5)
    s = topic_scores_with_ci([["a", "b"]] * 5, [["a", "c"]] * 5, LABELS, n_resamples=50)
    for name in ("micro_f1", "macro_f1", "samples_f1"):
        assert s["ci"][name] == pytest.approx([s[name], s[name]]), name
    c = claim_scores_with_ci([[claim(), claim(value="B", start=20, end=30)]] * 4, [[claim()]] * 4, n_resamples=50)
    # per item tp 1, n_pred 1, n_gold 2 -> F1 2/3 in every resample
    assert c["ci"]["strict_f1"] == pytest.approx([2 / 3, 2 / 3])


def test_the_bootstrap_macro_formula_is_sklearns():
    # the resamples compute macro F1 from label counts (f1_score is too slow for 1,000 resamples): the two
    # must agree on any matrices, labels that neither side uses included, bit for bit
    rng = np.random.default_rng(3)
    for _ in range(200):
        Y, P = rng.random((12, 6)) < 0.3, rng.random((12, 6)) < 0.3
        Y[:, 5] = P[:, 5] = False  # a label neither side uses is left out of the mean
        tp, fp, fn = (Y & P).sum(axis=0), (P & ~Y).sum(axis=0), (Y & ~P).sum(axis=0)
        assert metrics._macro_from_counts(tp, fp, fn) == metrics._macro(Y, P)
    empty = np.zeros(3, dtype=int)
    assert metrics._macro_from_counts(empty, empty, empty) == metrics._macro(np.zeros((2, 3), bool), np.zeros((2, 3), bool)) == 0.0


def test_claim_ci_resamples_counts_not_per_item_f1():
    # item A: 1 gold, 1 right; item B: 3 gold, none predicted. Pooled F1 = 2*1 / (1 + 4) = 0.4
    # (the mean of per-item F1 would be (1 + 0) / 2 = 0.5). A resample is AA (1.0), AB/BA (0.4) or BB (0.0).
    gold = [[claim()], [claim(value=v, start=i * 20, end=i * 20 + 5) for i, v in enumerate("BCD", 1)]]
    s = claim_scores_with_ci(gold, [[claim()], []], n_resamples=2000, seed=3)
    assert s["strict"]["f1"] == pytest.approx(0.4)
    assert s["ci"]["strict_f1"] == pytest.approx([0.0, 1.0])  # all three outcomes occur, ~1/4 each at the ends
    assert set(s["ci"]) == {"strict_f1", "lenient_f1", "numeric_strict_f1", "numeric_lenient_f1"}
    assert claim_scores_with_ci(gold, [[claim()], []], n_resamples=2000, seed=3)["ci"] == s["ci"]


def test_bootstrap_ci_function():
    values = [0.1, 0.4, 0.35, 0.8, 0.5]
    stat = lambda idx: float(sum(values[i] for i in idx) / len(idx))  # noqa: E731
    assert bootstrap_ci(stat, 5, seed=1) == bootstrap_ci(stat, 5, seed=1)
    low, high = bootstrap_ci(stat, 5, seed=1)
    assert min(values) <= low <= sum(values) / 5 <= high <= max(values)
    with pytest.raises(ValueError):
        bootstrap_ci(stat, 0)


class CallOrder:
    """A stat that ignores the items and returns 0, 1, 2, ... in call order, recording each resample.

    The bootstrap values are then exactly 0 .. n_resamples - 1, so the interval's percentiles can be
    worked out by hand: numpy's default (linear) percentile q of 0 .. N-1 is q/100 * (N - 1).
    """

    def __init__(self):
        self.calls: list[np.ndarray] = []

    def __call__(self, idx: np.ndarray) -> float:
        self.calls.append(idx)
        return float(len(self.calls) - 1)


def test_bootstrap_interval_is_the_alpha_percentiles():
    stat = CallOrder()
    # defaults: 1000 resamples, alpha 0.05 -> percentiles 2.5 and 97.5 of 0..999: 0.025 * 999 = 24.975, 0.975 * 999 = 974.025
    assert bootstrap_ci(stat, 4) == pytest.approx((24.975, 974.025))
    assert len(stat.calls) == 1000
    # alpha 0.5, 200 resamples: percentiles 25 and 75 of 0..199: 0.25 * 199 = 49.75, 0.75 * 199 = 149.25
    assert bootstrap_ci(CallOrder(), 4, n_resamples=200, alpha=0.5) == pytest.approx((49.75, 149.25))


def test_bootstrap_resamples_items_with_replacement():
    stat = CallOrder()
    bootstrap_ci(stat, 5, n_resamples=300, seed=2)
    drawn = np.concatenate(stat.calls)
    assert all(len(idx) == 5 for idx in stat.calls)  # each resample has n_items draws
    assert set(drawn.tolist()) == {0, 1, 2, 3, 4}  # every item can be drawn, and nothing outside 0..4
    assert any(len(set(idx.tolist())) < 5 for idx in stat.calls)  # with replacement: repeats occur
    # the default seed is 0, and the seed decides the draws
    first, zero, other = CallOrder(), CallOrder(), CallOrder()
    bootstrap_ci(first, 5, n_resamples=3)
    bootstrap_ci(zero, 5, n_resamples=3, seed=0)
    bootstrap_ci(other, 5, n_resamples=3, seed=1)
    assert np.array_equal(np.stack(first.calls), np.stack(zero.calls))
    assert not np.array_equal(np.stack(first.calls), np.stack(other.calls))


def test_bootstrap_argument_bounds():
    stat = lambda idx: float(idx.mean())  # noqa: E731
    assert bootstrap_ci(stat, 1, n_resamples=5) == (0.0, 0.0)  # one item: every resample is [0]
    assert bootstrap_ci(stat, 1, n_resamples=1, alpha=0.999) == (0.0, 0.0)  # the smallest legal sizes
    for kwargs in ({"alpha": 0.0}, {"alpha": 1.0}, {"alpha": -0.5}, {"alpha": 1.5}, {"n_resamples": 0}):
        with pytest.raises(ValueError, match="alpha must be in"):
            bootstrap_ci(stat, 3, **kwargs)
    with pytest.raises(ValueError, match="at least one item"):
        bootstrap_ci(stat, 0)


def test_one_resample_gives_the_figures_of_the_resampled_items():
    # with n_resamples=1 the interval is [v, v], v = the statistic on the one resample; it must be the
    # figure the plain scorer gives on those items (duplicates included)
    y_true = [["a"], ["a", "b"], ["b"], ["c"], ["a", "c"]]
    y_pred = [["a"], ["b"], ["a", "b"], [], ["a", "c"]]
    for seed in range(3):
        idx = np.random.default_rng(seed).integers(0, 5, size=(1, 5))[0]  # the resample bootstrap_ci draws
        s = topic_scores_with_ci(y_true, y_pred, LABELS, n_resamples=1, seed=seed)
        direct = topic_scores([y_true[i] for i in idx], [y_pred[i] for i in idx], LABELS)
        for name in ("micro_f1", "macro_f1", "samples_f1"):
            assert s["ci"][name] == pytest.approx([direct[name]] * 2), (seed, name)
    gold = [[claim()], [claim(value="B", start=20, end=30), claim(value="C", start=40, end=50)], [], [claim(number=3, unit="x")]]
    pred = [[claim()], [claim(value="B", start=20, end=30)], [claim(value="Z")], [claim(number=3.01, unit="x", start=None, end=None)]]
    for seed in range(3):
        idx = np.random.default_rng(seed).integers(0, 4, size=(1, 4))[0]
        s = claim_scores_with_ci(gold, pred, n_resamples=1, seed=seed)
        direct = claim_scores([gold[i] for i in idx], [pred[i] for i in idx])
        for level in ("strict", "lenient", "numeric_strict", "numeric_lenient"):
            assert s["ci"][f"{level}_f1"] == pytest.approx([direct[level]["f1"]] * 2), (seed, level)


def test_two_item_topic_interval_by_hand():
    # item A right (a -> a), item B wrong (b -> a). A resample is AA, AB/BA or BB (1/4, 1/2, 1/4):
    #   micro: AA 1, AB tp 1 fp 1 fn 1 -> 0.5, BB 0; macro: AA 1, AB (2/3 + 0) / 2 = 1/3, BB 0;
    #   samples: AA 1, AB 0.5, BB 0.
    # Of 200 resamples about 50 are BB and 50 AA, far more than the 2.5% (5) in each tail: [0, 1].
    s = topic_scores_with_ci([["a"], ["b"]], [["a"], ["a"]], ["a", "b"], n_resamples=200, seed=5)
    assert (s["micro_f1"], s["macro_f1"], s["samples_f1"]) == pytest.approx((0.5, 1 / 3, 0.5))
    assert s["ci"] == {"micro_f1": [0.0, 1.0], "macro_f1": [0.0, 1.0], "samples_f1": [0.0, 1.0]}


def test_with_ci_defaults(monkeypatch):
    # documented defaults: 1000 resamples, seed 0, a 95% interval; checked on what reaches bootstrap_ci
    # (recorded instead of run: 1000 resamples of sklearn's macro F1 take seconds)
    seen = []
    monkeypatch.setattr(metrics, "bootstrap_ci", lambda stat, n, **kw: seen.append((n, kw)) or (0.0, 0.0))
    t = topic_scores_with_ci([["a"], []], [["a"], ["b"]], LABELS)
    c = claim_scores_with_ci([[claim()]], [[claim()]])
    defaults = {"n_resamples": 1000, "seed": 0, "alpha": 0.05}
    assert seen == [(2, defaults)] * 3 + [(1, defaults)] * 4  # 3 topic figures on 2 items, 4 claim levels on 1
    assert t["bootstrap"] == c["bootstrap"] == defaults
    # the claim default tolerance is 1%: 2% off is a miss (|10200 - 10000| = 200 > 102)
    gold, pred = [[no_span(number=10000, unit="USD")]], [[no_span(number=10200, unit="USD")]]
    assert claim_scores_with_ci(gold, pred, n_resamples=5)["numeric_strict"]["tp"] == 0
    assert claim_scores(gold, pred)["numeric_strict"]["tp"] == 0


def test_claim_intervals_on_empty_input():
    # items with no claim on either side: every figure 0.0 and every interval [0, 0] (no NaN)
    s = claim_scores_with_ci([[], []], [[], []], n_resamples=20)
    assert all(s[level]["f1"] == 0.0 for level in ("strict", "lenient", "numeric_strict", "numeric_lenient"))
    assert all(ci == [0.0, 0.0] for ci in s["ci"].values())
    with pytest.raises(ValueError, match="at least one item"):
        claim_scores_with_ci([], [])  # no item at all: no interval to give


# --------------------------------------------------------------------------- prediction files

ITEMS = {"plaintext-000000000000-00000001", "plaintext-000000000000-00000002"}
A, B = sorted(ITEMS)


def write(tmp_path, *lines):
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "task, lines, rule, line, json_path",
    [
        ("topics", [{"item_id": A, "topics": []}, '{"item_id": "x", topics: []}'], "invalid-json", 2, "$"),
        ("topics", ['["open_source"]'], "not-an-object", 1, "$"),
        ("topics", [{"topics": []}], "missing-item-id", 1, "$.item_id"),
        ("topics", [{"item_id": A, "topics": []}, {"item_id": "plaintext-000000000000-99999999", "topics": []}], "unknown-item", 2, "$.item_id"),
        ("topics", [{"item_id": A, "topics": []}, "", {"item_id": A, "topics": ["open_source"]}], "duplicate-prediction", 3, "$.item_id"),
        ("topics", [{"item_id": A, "claims": []}], "missing-field", 1, "$.topics"),
        ("topics", [{"item_id": A, "topics": "open_source"}], "not-a-list", 1, "$.topics"),
        ("topics", [{"item_id": A, "topics": ["open_source", "robots"]}], "unknown-topic", 1, "$.topics[1]"),
        ("claims", [{"item_id": A, "claims": [claim(), "xAI open-sourced Grok-1"]}], "claim-not-an-object", 1, "$.claims[1]"),
        ("claims", [{"item_id": B, "claims": [claim(number="314B")]}], "non-numeric-number", 1, "$.claims[0].number"),
        ("claims", [{"item_id": B, "claims": [claim(number=True)]}], "non-numeric-number", 1, "$.claims[0].number"),
        ("claims", [{"item_id": A, "claims": []}, '{"item_id": "%s", "claims": [{"number": NaN}]}' % B], "non-numeric-number", 2, "$.claims[0].number"),
        ("claims", [{"item_id": A, "claims": [claim(subject=["xAI"])]}], "non-string-field", 1, "$.claims[0].subject"),
        ("claims", [{"item_id": A, "claims": [{"subject": "xAI", "span": [0]}]}], "invalid-span", 1, "$.claims[0].span"),
        ("claims", [{"item_id": A, "claims": [{"subject": "xAI", "start": -1, "end": 3}]}], "invalid-span", 1, "$.claims[0].start"),
    ],
)
def test_prediction_file_errors_name_file_line_and_field(tmp_path, task, lines, rule, line, json_path):
    path = write(tmp_path, *lines)
    with pytest.raises(AicorpusError) as err:
        read_predictions(path, task, item_ids=ITEMS, topics=topic_ids())
    issue = err.value.issue
    assert (issue.rule, issue.line, issue.json_path) == (rule, line, json_path)
    assert issue.file == path.as_posix() and issue.hint
    assert f"pred.jsonl:{line}: [{rule}]" in str(err.value)


def test_duplicate_prediction_names_the_first_line(tmp_path):
    path = write(tmp_path, {"item_id": A, "topics": []}, {"item_id": A, "topics": []})
    with pytest.raises(AicorpusError, match="already has a prediction on line 1"):
        read_predictions(path, "topics", item_ids=ITEMS, topics=topic_ids())


def test_missing_prediction_file(tmp_path):
    with pytest.raises(AicorpusError) as err:
        read_predictions(tmp_path / "nope.jsonl", "topics", item_ids=ITEMS, topics=topic_ids())
    assert err.value.issue.rule == "missing-file"


def test_valid_prediction_file(tmp_path):
    path = write(tmp_path, {"item_id": A, "claims": [{"subject": "xAI", "span": [0, 12], "number": 3.5}, claim()], "extra": 1}, "  ")
    preds = read_predictions(path, "claims", item_ids=ITEMS, topics=topic_ids())
    assert list(preds) == [A]  # B has no line: the scorer treats it as predicted empty
    assert preds[A][0]["span"] == [0, 12]


# --------------------------------------------------------------------------- aliases


def test_committed_alias_table_loads():
    # guideline 2.1 keeps the table in schema/aliases.json only (section 2.3 points there); it must load:
    # well formed, no blank alias, no alias that points at two names
    data = json.loads((ROOT / "schema" / "aliases.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.1"
    aliases = load_aliases()
    assert set(aliases) == {a for e in data["entities"] for a in e["aliases"]}
    assert normalise_subject("Elon Musk", aliases) == "马斯克"  # a row of the table, resolved


# --------------------------------------------------------------------------- score() on a hand-made project

TEXT = "xAI开源了Grok-1。它有3140亿参数。"
IDS = [f"plaintext-000000000000-0000000{n}" for n in range(1, 5)]


def gold_claim(**kw):
    base = {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "unit": None, "comparator": "eq",
            "time": None, "evidence": "xAI开源了Grok-1", "start": 0, "end": 12, "note": None}
    return {**base, **kw}


PARAMS = gold_claim(subject="Grok-1", predicate="has_parameter_count", value="3140亿参数", number=314000000000,
                    unit="parameters", evidence="它有3140亿参数", start=13, end=22)


def label_line(item_id, topics, claims):
    return json.dumps({"item_id": item_id, "topics": topics, "claims": claims, "guideline_version": "1.0", "annotator": "maintainers"},
                      ensure_ascii=False)


@pytest.fixture
def project(tmp_path):
    """Split test: items 1-3 (1 and 2 labeled, 3 not); split train: item 4 (labeled). One broken label line."""
    items = tmp_path / "splits" / "items"
    items.mkdir(parents=True)
    for split, ids in (("test", IDS[:3]), ("train", IDS[3:])):
        pq.write_table(pa.table({"id": ids, "text": [TEXT] * len(ids), "title": ["t"] * len(ids)}),
                       items / f"{split}-00000-of-00001.parquet")
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "GUIDELINES.md").write_text("# Guidelines\n\n**Guideline version: 1.0.**\n", encoding="utf-8")
    (labels / "a.jsonl").write_text("\n".join([
        label_line(IDS[0], ["open_source", "model_release"], [gold_claim(), PARAMS]),
        label_line(IDS[1], ["compute_infra"], []),
        label_line(IDS[2], ["open_source"], [gold_claim(end=10)]),  # span-mismatch: left out of the gold
        label_line(IDS[3], ["open_source"], [gold_claim()]),
    ]) + "\n", encoding="utf-8")
    return tmp_path


def test_score_topics_on_labeled_items_only(project):
    pred = write(project, {"item_id": IDS[0], "topics": ["open_source"]}, {"item_id": IDS[3], "topics": ["policy_law"]})
    r = score("topics", pred, "test", project, n_resamples=100)
    json.dumps(r)  # JSON-serialisable
    # items 1 and 2 are scored (3's label is broken); item 2 has no line -> predicted empty
    assert (r["n_items_split"], r["n_items_labeled"], r["n_items"], r["n_items_predicted"]) == (3, 2, 2, 1)
    assert r["n_predictions_outside_split"] == 1
    assert len(r["label_problems"]) == 1 and "span-mismatch" in r["label_problems"][0]
    # gold {open_source, model_release}, {compute_infra}; pred {open_source}, {}: tp 1, fn 2 -> micro 2/(2+2) = 0.5
    assert r["micro_f1"] == pytest.approx(0.5)
    assert set(r["ci"]) == {"micro_f1", "macro_f1", "samples_f1"} and r["task"] == "topics" and r["split"] == "test"
    table = format_table(r)
    assert "2 of 3 items have a gold label" in table and "micro F1" in table and "open_source" in table
    assert re.search(r"micro F1\s+0\.500\s+\[", table)


def test_score_claims(project):
    wrong_number = {**PARAMS, "number": 3.14e9, "start": None, "end": None, "span": [13, 22]}
    pred = write(project, {"item_id": IDS[0], "claims": [gold_claim(), wrong_number]})
    r = score("claims", pred, "test", project, n_resamples=100)
    json.dumps(r)
    # item 1: the open_source claim matches strictly; the parameter claim only leniently (same span, number 100x off)
    assert (r["strict"]["tp"], r["lenient"]["tp"], r["numeric_strict"]["tp"], r["numeric_lenient"]["tp"]) == (1, 2, 0, 1)
    assert r["strict"]["f1"] == pytest.approx(0.5) and r["lenient"]["f1"] == pytest.approx(1.0)
    assert r["aliases_version"] == "1.1"
    assert "numeric lenient" in format_table(r)


def test_score_errors(project, tmp_path):
    pred = write(project, {"item_id": IDS[0], "topics": []})
    with pytest.raises(AicorpusError) as err:
        score("topics", pred, "validation", project)
    assert err.value.issue.rule == "unknown-split"
    for path in (project / "labels").glob("*.jsonl"):
        path.unlink()
    with pytest.raises(AicorpusError) as err:
        score("topics", pred, "test", project)
    assert err.value.issue.rule == "no-gold-labels"


def test_ci_figures_are_finite(project):
    pred = write(project, {"item_id": IDS[0], "topics": ["open_source"]})
    r = score("topics", pred, "test", project, n_resamples=50)
    assert all(math.isfinite(x) for pair in r["ci"].values() for x in pair)
