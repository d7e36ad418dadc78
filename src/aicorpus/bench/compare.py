"""Is system B better than system A? A paired comparison on the same items.

Both systems are scored on the same gold items; the unit of resampling is the
item, as in the benchmark's intervals. Two standard tests, as the MT and parsing
communities use them:

* a **paired bootstrap** (Koehn 2004) gives the interval of the difference B - A:
  each resample draws items with replacement and scores both systems on them;
* **approximate randomization** (Riezler and Maxwell 2005; Yeh 2000) gives the
  p-value: under the null hypothesis the two systems are exchangeable, so each
  shuffle swaps A's and B's predictions for a random half of the items, and p is
  the share of shuffles whose absolute difference is at least the observed one,
  ``(count + 1) / (shuffles + 1)``.

Every figure is recomputed from per-item counts, so resampling costs no rescoring.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .metrics import CLAIM_LEVELS, _binarize, _prf, claim_counts


def _topic_stats(Y: np.ndarray) -> dict[str, Callable[[np.ndarray], float]]:
    """Headline topic figures as functions of a prediction matrix P (items x labels) and item indices."""

    def counts(P: np.ndarray, idx: np.ndarray):
        y, p = Y[idx], P[idx]
        return (y & p), (p & ~y), (y & ~p)

    def micro(P, idx):
        tp, fp, fn = (m.sum() for m in counts(P, idx))
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0

    def macro(P, idx):
        tp, fp, fn = (m.sum(axis=0) for m in counts(P, idx))
        active = (tp + fp + fn) > 0  # labels gold or predicted in these items, as topic_scores averages
        if not active.any():
            return 0.0
        return float(np.mean(2 * tp[active] / (2 * tp[active] + fp[active] + fn[active])))

    def samples(P, idx):
        tp, fp, fn = (m.sum(axis=1) for m in counts(P, idx))
        denom = 2 * tp + fp + fn
        return float(np.mean(np.divide(2 * tp, denom, out=np.zeros(len(idx)), where=denom > 0)))

    return {"micro_f1": micro, "macro_f1": macro, "samples_f1": samples}


def _paired(stats: dict[str, Callable], a, b, swap: Callable, n_items: int, *, n_resamples: int, n_shuffles: int, seed: int,
            alpha: float) -> dict:
    rng = np.random.default_rng(seed)
    every = np.arange(n_items)
    boot = rng.integers(0, n_items, size=(n_resamples, n_items))
    masks = rng.random((n_shuffles, n_items)) < 0.5
    out = {}
    for name, f in stats.items():
        va, vb = f(a, every), f(b, every)
        diffs = np.array([f(b, idx) - f(a, idx) for idx in boot])
        low, high = np.percentile(diffs, [100 * alpha / 2, 100 * (1 - alpha / 2)])
        observed = abs(vb - va)
        extreme = 0
        for mask in masks:
            sa, sb = swap(a, b, mask)
            extreme += abs(f(sb, every) - f(sa, every)) >= observed - 1e-12
        out[name] = {"a": float(va), "b": float(vb), "difference": float(vb - va), "ci": [float(low), float(high)],
                     "p_value": (extreme + 1) / (n_shuffles + 1)}
    return out


def compare_topics(y_true: list[list[str]], pred_a: list[list[str]], pred_b: list[list[str]], labels: list[str], *,
                   n_resamples: int = 1000, n_shuffles: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict:
    """Paired comparison of two topic predictions on the same items (same order).

    >>> gold = [["a"], ["b"], ["a", "b"], ["b"]]
    >>> r = compare_topics(gold, [["a"], ["a"], ["a"], ["a"]], gold, ["a", "b"], n_resamples=200, n_shuffles=200)
    >>> round(r["micro_f1"]["a"], 3), r["micro_f1"]["b"], round(r["micro_f1"]["difference"], 3)
    (0.444, 1.0, 0.556)

    (A says ``a`` everywhere: tp 2, fp 2, fn 3, so micro F1 = 4 / 9; B is the gold.)
    """
    Y, PA = _binarize(y_true, pred_a, labels)
    _, PB = _binarize(y_true, pred_b, labels)

    def swap(a, b, mask):
        return np.where(mask[:, None], b, a), np.where(mask[:, None], a, b)

    return {"task": "topics", "n_items": len(y_true),
            **_paired(_topic_stats(Y), PA, PB, swap, len(y_true), n_resamples=n_resamples, n_shuffles=n_shuffles, seed=seed, alpha=alpha)}


def compare_claims(gold: list[list[dict]], pred_a: list[list[dict]], pred_b: list[list[dict]], *, aliases: dict[str, str] | None = None,
                   n_resamples: int = 1000, n_shuffles: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict:
    """Paired comparison of two claim predictions on the same items: F1 at every level of the benchmark.

    >>> g = [[{"subject": "A", "predicate": "release", "value": "x"}], [{"subject": "B", "predicate": "release", "value": "y"}]]
    >>> r = compare_claims(g, [g[0], []], g, n_resamples=100, n_shuffles=100)
    >>> round(r["strict_f1"]["a"], 3), r["strict_f1"]["b"], r["strict_f1"]["p_value"] > 0.05
    (0.667, 1.0, True)
    """
    ca = claim_counts(gold, pred_a, aliases=aliases)
    cb = claim_counts(gold, pred_b, aliases=aliases)
    stats = {f"{level}_f1": (lambda counts, idx, level=level: _prf(*counts[level][idx].sum(axis=0))["f1"]) for level in CLAIM_LEVELS}

    def swap(a, b, mask):
        return ({k: np.where(mask[:, None], b[k], a[k]) for k in a}, {k: np.where(mask[:, None], a[k], b[k]) for k in a})

    return {"task": "claims", "n_items": len(gold),
            **_paired(stats, ca, cb, swap, len(gold), n_resamples=n_resamples, n_shuffles=n_shuffles, seed=seed, alpha=alpha)}


def compare_files(task: str, path_a, path_b, split: str, root, *, n_resamples: int = 1000, n_shuffles: int = 1000,
                  seed: int = 0) -> dict:
    """Compare two prediction files on the labelled items of ``split`` (the items ``aicorpus bench score`` scores)."""
    from pathlib import Path

    from ..labels import topic_ids
    from ..review import published_items
    from .metrics import load_aliases
    from .predictions import read_predictions
    from .score import gold_labels, split_item_ids

    root = Path(root)
    items = published_items(root / "splits")
    gold, _ = gold_labels(root, items)
    scored = sorted(i for i in split_item_ids(root, split) if i in gold and (task == "topics" or gold[i].get("claims_labeled", True)))
    a, b = (read_predictions(p, task, item_ids=set(items), topics=topic_ids()) for p in (path_a, path_b))
    y = [gold[i][task] for i in scored]
    pa, pb = [a.get(i, []) for i in scored], [b.get(i, []) for i in scored]
    options = {"n_resamples": n_resamples, "n_shuffles": n_shuffles, "seed": seed}
    result = compare_topics(y, pa, pb, topic_ids(), **options) if task == "topics" else compare_claims(y, pa, pb, aliases=load_aliases(), **options)
    return {**result, "split": split, "a": Path(path_a).as_posix(), "b": Path(path_b).as_posix(),
            "bootstrap": {"n_resamples": n_resamples, "n_shuffles": n_shuffles, "seed": seed}}


def format_comparison(r: dict, name_a: str, name_b: str) -> str:
    """The comparison as a table: each figure for A and B, the difference B - A with its interval, and p."""
    lines = [f"{r['task']} on {r['n_items']} items{' of ' + r['split'] if 'split' in r else ''}: A = {name_a}, B = {name_b}",
             f"{'figure':<22} {'A':>7} {'B':>7} {'B - A':>8}  95% interval        p"]
    for name, v in r.items():
        if isinstance(v, dict) and "difference" in v:
            lines.append(f"{name:<22} {v['a']:7.3f} {v['b']:7.3f} {v['difference']:+8.3f}  [{v['ci'][0]:+.3f}, {v['ci'][1]:+.3f}]  {v['p_value']:.4f}")
    return "\n".join(lines)
