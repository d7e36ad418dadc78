"""Scorers for the two benchmark tasks, with bootstrap confidence intervals over items.

Plain functions on Python lists, sklearn style: ``topic_scores(y_true, y_pred, labels)``
and ``claim_scores(gold, pred)``. The ``*_with_ci`` variants add a 95% percentile
bootstrap interval to each headline figure. Intervals resample *items* (the unit the
corpus samples), and micro figures are recomputed from the resampled items' counts,
never by averaging per-item F1, so the interval describes the same statistic as the
point estimate.

Claims are matched one-to-one per item (``scipy.optimize.linear_sum_assignment``), so a
system cannot earn two true positives by predicting one gold claim twice.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import accuracy_score, f1_score, hamming_loss, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from ..validate import SCHEMA_DIR

ALIASES_PATH = SCHEMA_DIR / "aliases.json"
CLAIM_LEVELS = ("strict", "lenient", "numeric_strict", "numeric_lenient")
IOU_THRESHOLD = 0.5


# --------------------------------------------------------------------------- topics


def _binarize(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Indicator matrices (items x labels) after checking the inputs.

    MultiLabelBinarizer only warns about unknown labels and drops them; a typo in a
    prediction would then silently score as a miss, so unknown labels are an error here.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} items but y_pred has {len(y_pred)}; give one label list per item in both")
    if not y_true:
        raise ValueError("no items to score")
    if len(set(labels)) != len(labels):
        raise ValueError("labels has duplicates")
    known = set(labels)
    for name, rows in (("y_true", y_true), ("y_pred", y_pred)):
        for k, row in enumerate(rows):
            if isinstance(row, str):
                raise ValueError(f"{name}[{k}] is the string {row!r}; give a list of labels")
            unknown = sorted(set(row) - known)
            if unknown:
                raise ValueError(f"{name}[{k}] has label(s) {unknown} outside `labels`")
    mlb = MultiLabelBinarizer(classes=list(labels)).fit([])
    return mlb.transform(y_true).astype(bool), mlb.transform(y_pred).astype(bool)


def _f1(tp: np.ndarray | int, fp: np.ndarray | int, fn: np.ndarray | int) -> np.ndarray:
    """F1 = 2tp / (2tp + fp + fn), 0 where the denominator is 0 (sklearn's zero_division=0)."""
    tp, denom = np.asarray(tp, dtype=float), np.asarray(2 * np.asarray(tp) + fp + fn, dtype=float)
    return np.divide(2 * tp, denom, out=np.zeros_like(denom), where=denom > 0)


def _macro(Y: np.ndarray, P: np.ndarray) -> float:
    """Mean per-label F1 over the labels that occur in ``Y`` or ``P`` (0.0 when none does)."""
    active = (Y.sum(axis=0) + P.sum(axis=0)) > 0
    if not active.any():
        return 0.0
    return float(f1_score(Y[:, active], P[:, active], average="macro", zero_division=0))


def _macro_from_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> float:
    """:func:`_macro` from per-label tp/fp/fn sums: the bootstrap's form, since f1_score's input checks
    cost some 7 ms a call, 21 s for the 3,000 resamples of one file (a test compares the two).

    >>> _macro_from_counts(np.array([1, 0, 0]), np.array([0, 1, 0]), np.array([1, 0, 0]))
    0.3333333333333333
    """
    active = (2 * tp + fp + fn) > 0  # a label that is gold or predicted somewhere
    return float(_f1(tp[active], fp[active], fn[active]).mean()) if active.any() else 0.0


def topic_scores(y_true: list[list[str]], y_pred: list[list[str]], labels: list[str]) -> dict:
    """Multi-label topic scores, computed with sklearn.metrics.

    Parameters
    ----------
    y_true, y_pred : list of list of str
        Gold and predicted topic ids, one list per item, in the same item order. An item
        without a prediction is passed as ``[]``.
    labels : list of str
        Every topic id (the taxonomy order); all appear in ``per_label``. The macro
        average counts the labels that are gold or predicted for some item.

    Returns
    -------
    dict
        ``micro_f1``, ``macro_f1``, ``samples_f1`` (all with zero_division=0),
        ``hamming_loss``, ``subset_accuracy``, ``per_label`` {label: {precision, recall,
        f1, support}}, ``labels_without_support`` and ``n_items``.

    Raises
    ------
    ValueError
        Lengths differ, no items, or a label outside ``labels``.

    Examples
    --------
    >>> s = topic_scores([["a"], ["a", "b"]], [["a"], ["a"]], labels=["a", "b"])
    >>> s["micro_f1"], s["macro_f1"], s["subset_accuracy"], s["per_label"]["b"]["support"]
    (0.8, 0.5, 0.5, 1)
    """
    Y, P = _binarize(y_true, y_pred, labels)
    precision, recall, f1, support = precision_recall_fscore_support(Y, P, average=None, zero_division=0)
    return {
        "micro_f1": float(f1_score(Y, P, average="micro", zero_division=0)),
        "macro_f1": _macro(Y, P),
        "samples_f1": float(f1_score(Y, P, average="samples", zero_division=0)),
        "hamming_loss": float(hamming_loss(Y, P)),
        "subset_accuracy": float(accuracy_score(Y, P)),
        "per_label": {
            lab: {"precision": float(precision[k]), "recall": float(recall[k]), "f1": float(f1[k]), "support": int(support[k])}
            for k, lab in enumerate(labels)
        },
        # macro F1 averages over the labels that are gold or predicted somewhere (as sklearn does
        # with labels=None): a topic absent from a small split and never predicted is not a 0
        "labels_without_support": [lab for k, lab in enumerate(labels) if support[k] == 0],
        "n_items": len(y_true),
    }


# --------------------------------------------------------------------------- claims


def normalise_text(text: str | None) -> str | None:
    """NFKC, casefold, all whitespace removed; ``None`` for a missing or empty string.

    >>> normalise_text(" 智谱 ＡＩ ")
    '智谱ai'
    >>> normalise_text("   ") is None
    True
    """
    if text is None:
        return None
    out = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)).casefold())
    return out or None


def normalise_subject(subject: str | None, aliases: dict[str, str] | None = None) -> str | None:
    """``normalise_text`` of the subject, then mapped to its canonical name's normal form.

    ``aliases`` maps alias -> canonical name as written (``load_aliases()``); both sides
    are normalised before lookup, so ``"Google"`` and ``"google"`` resolve alike.

    >>> normalise_subject("Google", {"Google": "谷歌"}) == normalise_subject("谷歌")
    True
    """
    key = normalise_text(subject)
    return _alias_index(aliases).get(key, key)


def _alias_index(aliases: dict[str, str] | None) -> dict[str, str]:
    """Normalised alias -> normalised canonical name.

    Raises ValueError for a blank alias or canonical name, and for two aliases that normalise
    alike but name different entities: a blank alias would map every claim *without* a subject
    to one entity (so they would all match each other), and a clash would make matching depend
    on dict order.

    >>> _alias_index({"Google": "谷歌", "GOOGLE": "谷歌"})
    {'google': '谷歌'}
    """
    index: dict[str, str] = {}
    for alias, canonical in (aliases or {}).items():
        key, value = normalise_text(alias), normalise_text(canonical)
        if key is None or value is None:
            raise ValueError(f"alias {alias!r} -> {canonical!r}: neither side may be blank")
        if index.setdefault(key, value) != value:
            raise ValueError(f"alias {alias!r} maps to both {index[key]!r} and {value!r}")
    return index


def numbers_close(a: float, b: float, rel_tol: float = 0.01) -> bool:
    """``|a - b| <= rel_tol * max(|a|, |b|)`` (``math.isclose`` with no absolute tolerance).

    Symmetric, so it does not matter which side is gold.

    >>> numbers_close(100, 100.5), numbers_close(100, 102)
    (True, False)
    """
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)


def span_iou(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float:
    """Intersection over union of two half-open character spans; 0.0 if either is missing.

    >>> span_iou((0, 10), (5, 15))
    0.3333333333333333
    """
    if a is None or b is None:
        return 0.0
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(0, a[1] - a[0]) + max(0, b[1] - b[0]) - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class _Claim:
    """The fields matching looks at, normalised once per claim."""

    subject: str | None
    predicate: str | None
    value: str | None
    number: float | None
    unit: str | None
    span: tuple[int, int] | None


def _number(claim: dict) -> float | None:
    x = claim.get("number")
    if x is None:
        return None
    # bool is an int subclass; True is not the number 1 a system meant
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise ValueError(f"claim number {x!r} is not a finite number")
    return float(x)


def _span(claim: dict) -> tuple[int, int] | None:
    """Predictions may write ``"span": [start, end]``; gold writes ``start``/``end``.

    A span with an end missing (``[5]``, ``[5, None]``, ``start`` without ``end``) locates
    nothing and counts as no span; anything else that is not two offsets is an error.
    """
    span = claim.get("span")
    if span is None:
        start, end = claim.get("start"), claim.get("end")
    elif isinstance(span, (list, tuple)) and len(span) <= 2:
        start, end = (*span, None, None)[:2]  # unpacking [5] directly used to crash the scorer
    else:
        raise ValueError(f"claim span {span!r} is not [start, end]")
    if start is None or end is None:
        return None
    return int(start), int(end)


def _view(claim: dict, index: dict) -> _Claim:
    key = normalise_text(claim.get("subject"))
    return _Claim(
        subject=index.get(key, key),
        predicate=normalise_text(claim.get("predicate")),
        value=normalise_text(claim.get("value")),
        number=_number(claim),
        unit=normalise_text(claim.get("unit")),
        span=_span(claim),
    )


def _same(a: str | None, b: str | None) -> bool:
    """Equal and present: two missing subjects or values are not evidence of a match."""
    return a is not None and a == b


def _strict(p: _Claim, g: _Claim, rel_tol: float) -> bool:
    if not (_same(p.subject, g.subject) and _same(p.predicate, g.predicate)):
        return False
    if p.number is not None and g.number is not None:
        return numbers_close(p.number, g.number, rel_tol) and p.unit == g.unit
    return p.number is None and g.number is None and _same(p.value, g.value)


def _values_match(p: _Claim, g: _Claim, rel_tol: float) -> bool:
    """Numbers close when both claims have one, value text equal when neither has.

    A claim with a number never matches one without on the value text alone: the text
    "50亿" says nothing about whether the number a system read from it is right, and the
    numeric levels would otherwise count a wrong number as found.
    """
    if p.number is not None and g.number is not None:
        return numbers_close(p.number, g.number, rel_tol)
    return p.number is None and g.number is None and _same(p.value, g.value)


def _lenient(p: _Claim, g: _Claim, rel_tol: float) -> bool:
    if span_iou(p.span, g.span) >= IOU_THRESHOLD:
        return True
    return _same(p.subject, g.subject) and _values_match(p, g, rel_tol)


def _matched(pred: list[_Claim], gold: list[_Claim], match: Callable[[_Claim, _Claim], bool]) -> int:
    """Size of the best one-to-one matching between predicted and gold claims."""
    if not pred or not gold:
        return 0
    allowed = np.array([[match(p, g) for g in gold] for p in pred], dtype=float)
    rows, cols = linear_sum_assignment(allowed, maximize=True)
    return int(allowed[rows, cols].sum())


def claim_counts(gold: list[list[dict]], pred: list[list[dict]], *, aliases: dict[str, str] | None = None,
                 rel_tol: float = 0.01) -> dict[str, np.ndarray]:
    """Per-item ``(tp, n_pred, n_gold)`` at every level of :data:`CLAIM_LEVELS`.

    The bootstrap resamples rows of these arrays; ``claim_scores`` sums them.

    >>> g = [[{"subject": "xAI", "predicate": "open_source", "value": "Grok-1"}]]
    >>> claim_counts(g, g)["strict"].tolist()
    [[1, 1, 1]]
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} items but pred has {len(pred)}; give one claim list per item in both")
    index = _alias_index(aliases)
    rules = {"strict": lambda p, g: _strict(p, g, rel_tol), "lenient": lambda p, g: _lenient(p, g, rel_tol)}
    out = {level: np.zeros((len(gold), 3), dtype=int) for level in CLAIM_LEVELS}
    for i, (gold_item, pred_item) in enumerate(zip(gold, pred)):
        g = [_view(c, index) for c in gold_item]
        p = [_view(c, index) for c in pred_item or []]
        numeric_g = [c for c in g if c.number is not None]
        numeric_p = [c for c in p if c.number is not None]
        for name, rule in rules.items():
            out[name][i] = (_matched(p, g, rule), len(p), len(g))
            out[f"numeric_{name}"][i] = (_matched(numeric_p, numeric_g, rule), len(numeric_p), len(numeric_g))
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    tp, n_pred, n_gold = int(tp), int(n_pred), int(n_gold)  # plain ints keep the result JSON-serialisable
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0  # = harmonic mean of P and R
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _summarise(counts: dict[str, np.ndarray], n_items: int) -> dict:
    return {**{level: _prf(*counts[level].sum(axis=0)) for level in CLAIM_LEVELS}, "n_items": n_items}


def claim_scores(gold: list[list[dict]], pred: list[list[dict]], *, aliases: dict[str, str] | None = None,
                 rel_tol: float = 0.01) -> dict:
    """Micro precision, recall and F1 of extracted claims, strict and lenient.

    Per item, predicted and gold claims are matched one-to-one (maximum matching with
    ``linear_sum_assignment``); a pair may match when:

    * **strict**: same subject (normalised, aliases resolved), same predicate, and either
      both numbers present, close within ``rel_tol`` and the same unit, or both numbers
      null and the same normalised value text;
    * **lenient**: evidence spans overlap with IoU >= 0.5, or same subject and the values
      match (numbers close when both claims have one, normalised value text equal when
      neither has; units and predicates are not compared).

    ``numeric_*`` repeat both levels on the claims whose ``number`` is not null only.
    Comparator, time and note are not scored.

    Parameters
    ----------
    gold, pred : list of list of dict
        Claims per item, same item order. Predicted spans may be ``"span": [start, end]``
        or ``start``/``end``; missing fields count as null. An item without a prediction
        is passed as ``[]``.
    aliases : dict, optional
        alias -> canonical subject (``load_aliases()``).
    rel_tol : float
        Relative tolerance for numbers (0.01 = 1%).

    Returns
    -------
    dict
        ``{level: {precision, recall, f1, tp, n_pred, n_gold}}`` for each level in
        ``strict, lenient, numeric_strict, numeric_lenient``, and ``n_items``. Zero
        denominators give 0.0.

    Examples
    --------
    >>> gold = [[{"subject": "谷歌", "predicate": "release", "value": "PaLM API", "start": 0, "end": 10}]]
    >>> pred = [[{"subject": "Google", "predicate": "release", "value": "PaLM API"},
    ...          {"subject": "Google", "predicate": "release", "value": "PaLM API"}]]
    >>> s = claim_scores(gold, pred, aliases={"Google": "谷歌"})
    >>> s["strict"]["tp"], s["strict"]["precision"], s["strict"]["recall"]
    (1, 0.5, 1.0)
    """
    return _summarise(claim_counts(gold, pred, aliases=aliases, rel_tol=rel_tol), len(gold))


# --------------------------------------------------------------------------- bootstrap


def bootstrap_ci(stat: Callable[[np.ndarray], float], n_items: int, *, n_resamples: int = 1000, seed: int = 0,
                 alpha: float = 0.05) -> tuple[float, float]:
    """Percentile bootstrap interval of ``stat`` over items.

    Parameters
    ----------
    stat : callable
        Takes an array of ``n_items`` item indices drawn with replacement and returns the
        figure computed on those items (duplicates count twice).
    n_items : int
        Number of items scored.
    n_resamples, seed, alpha
        Resamples drawn with ``numpy.random.default_rng(seed)``; the interval is the
        ``alpha/2`` and ``1 - alpha/2`` percentiles. The same seed gives the same
        resamples for every figure, so figures' intervals are paired.

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> hits = np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1])
    >>> low, high = bootstrap_ci(lambda idx: hits[idx].mean(), len(hits), seed=1)
    >>> bool(low <= hits.mean() <= high), bootstrap_ci(lambda idx: hits[idx].mean(), 10, seed=1) == (low, high)
    (True, True)
    """
    if n_items < 1:
        raise ValueError("bootstrap needs at least one item")
    if not 0 < alpha < 1 or n_resamples < 1:
        raise ValueError("alpha must be in (0, 1) and n_resamples at least 1")
    rng = np.random.default_rng(seed)
    resamples = rng.integers(0, n_items, size=(n_resamples, n_items))
    values = np.array([stat(idx) for idx in resamples], dtype=float)
    low, high = np.percentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(low), float(high)


def _cis(stats: dict[str, Callable[[np.ndarray], float]], n_items: int, n_resamples: int, seed: int, alpha: float) -> dict:
    return {name: list(bootstrap_ci(f, n_items, n_resamples=n_resamples, seed=seed, alpha=alpha)) for name, f in stats.items()}


def topic_scores_with_ci(y_true: list[list[str]], y_pred: list[list[str]], labels: list[str], *, n_resamples: int = 1000,
                         seed: int = 0, alpha: float = 0.05) -> dict:
    """:func:`topic_scores` plus ``"ci": {micro_f1, macro_f1, samples_f1: [low, high]}``.

    Each resample recomputes the figures from per-item, per-label tp/fp/fn counts (the
    same formulas sklearn uses with zero_division=0), which is fast enough for 1000 resamples.

    >>> s = topic_scores_with_ci([["a"], ["b"], ["a", "b"]], [["a"], ["a"], ["a", "b"]], ["a", "b"], n_resamples=200)
    >>> sorted(s["ci"]), s["ci"]["micro_f1"][0] <= s["micro_f1"] <= s["ci"]["micro_f1"][1]
    (['macro_f1', 'micro_f1', 'samples_f1'], True)
    """
    out = topic_scores(y_true, y_pred, labels)
    Y, P = _binarize(y_true, y_pred, labels)
    tp, fp, fn = (Y & P).astype(int), (P & ~Y).astype(int), (Y & ~P).astype(int)
    per_item_f1 = _f1(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    stats = {
        "micro_f1": lambda idx: float(_f1(tp[idx].sum(), fp[idx].sum(), fn[idx].sum())),
        "macro_f1": lambda idx: _macro_from_counts(tp[idx].sum(axis=0), fp[idx].sum(axis=0), fn[idx].sum(axis=0)),
        "samples_f1": lambda idx: float(per_item_f1[idx].mean()),  # samples F1 *is* the mean of per-item F1
    }
    out["ci"] = _cis(stats, len(Y), n_resamples, seed, alpha)
    out["bootstrap"] = {"n_resamples": n_resamples, "seed": seed, "alpha": alpha}
    return out


def claim_scores_with_ci(gold: list[list[dict]], pred: list[list[dict]], *, aliases: dict[str, str] | None = None,
                         rel_tol: float = 0.01, n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict:
    """:func:`claim_scores` plus ``"ci": {"<level>_f1": [low, high]}`` for every level.

    Each resample sums the resampled items' (tp, n_pred, n_gold) and recomputes micro F1.

    >>> g = [[{"subject": "A", "predicate": "release", "value": "x"}], [{"subject": "B", "predicate": "release", "value": "y"}]]
    >>> s = claim_scores_with_ci(g, [g[0], []], n_resamples=200)
    >>> s["strict"]["f1"], round(s["strict"]["f1"], 3) <= s["ci"]["strict_f1"][1]
    (0.6666666666666666, True)
    """
    counts = claim_counts(gold, pred, aliases=aliases, rel_tol=rel_tol)
    out = _summarise(counts, len(gold))
    stats = {f"{level}_f1": (lambda idx, c=counts[level]: _prf(*c[idx].sum(axis=0))["f1"]) for level in CLAIM_LEVELS}
    out["ci"] = _cis(stats, len(gold), n_resamples, seed, alpha)
    out["bootstrap"] = {"n_resamples": n_resamples, "seed": seed, "alpha": alpha}
    return out


# --------------------------------------------------------------------------- aliases


def load_aliases(path: Path | str = ALIASES_PATH) -> dict[str, str]:
    """Alias -> canonical subject, from ``schema/aliases.json`` (guideline 2.3's table).

    Raises ValueError if the file is malformed or one alias (after normalisation) points
    at two canonical names, since matching would then depend on file order.

    >>> aliases = load_aliases()
    >>> aliases["Google"], aliases["GPT4"]
    ('谷歌', 'GPT-4')
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise ValueError(f"{path}: expected an object with an 'entities' list")
    out: dict[str, str] = {}
    seen: dict[str | None, str] = {}
    for k, entity in enumerate(data["entities"]):
        canonical, aliases = entity.get("canonical"), entity.get("aliases")
        if not isinstance(canonical, str) or not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"{path}: entities[{k}] needs a 'canonical' string and an 'aliases' list of strings")
        for alias in aliases:
            key = normalise_text(alias)
            if seen.setdefault(key, canonical) != canonical:
                raise ValueError(f"{path}: alias {alias!r} maps to both {seen[key]!r} and {canonical!r}")
            out[alias] = canonical
    return out
