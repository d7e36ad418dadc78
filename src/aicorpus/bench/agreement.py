"""Agreement between two annotators who labelled the same items independently (double annotation).

Topics: Cohen's kappa per topic (each topic a yes/no decision per item), kappa
pooled over the whole item x topic matrix, mean Jaccard of the two topic sets,
and how often the main (first) topic agrees. Claims: one annotator's claims
scored against the other's with the benchmark's own matching and
normalisation (:func:`aicorpus.bench.metrics.claim_counts`); F1 is symmetric,
so it does not matter who plays gold. Every headline figure has a percentile
bootstrap interval over items, as the benchmark's figures do.

Only items both files label are compared; claims only on items whose claims
both annotators labelled (``claims_labeled``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from .metrics import _prf, bootstrap_ci, claim_counts, load_aliases


def _kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two 0/1 vectors; None where it is undefined (both annotators constant and equal)."""
    if a.size == 0 or (len(set(a.tolist()) | set(b.tolist())) == 1):
        return None  # no variation at all: agreement is total but kappa is 0/0
    return float(cohen_kappa_score(a, b))


def _binary_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two 0/1 vectors in closed form (the bootstrap calls it a thousand times;
    ``cohen_kappa_score`` validates its input on every call, which is most of its cost). 0 where undefined."""
    n = a.size
    if n == 0:
        return 0.0
    pa, pb = a.mean(), b.mean()
    po = (a == b).mean()
    pe = pa * pb + (1 - pa) * (1 - pb)
    return float((po - pe) / (1 - pe)) if pe < 1 else 0.0


def topic_agreement(a: list[list[str]], b: list[list[str]], labels: list[str], *, n_resamples: int = 1000, seed: int = 0) -> dict:
    """Agreement of two annotators' topic lists (same items, same order).

    >>> a = [["model_release"], ["policy_law", "safety_ethics"], ["non_ai_tech"], ["model_release", "open_source"]]
    >>> b = [["model_release"], ["policy_law"], ["non_ai_tech"], ["open_source", "model_release"]]
    >>> r = topic_agreement(a, b, ["model_release", "open_source", "policy_law", "safety_ethics", "non_ai_tech"], n_resamples=50)
    >>> round(r["pooled_kappa"], 3), r["mean_jaccard"], r["main_topic"], r["per_topic_kappa"]["safety_ethics"]
    (0.875, 0.875, 0.75, 0.0)

    (By hand: 19 of the 20 item x topic cells agree, p_o = 0.95; a says yes in 6 cells, b in 5, so
    p_e = 0.3 * 0.25 + 0.7 * 0.75 = 0.6 and kappa = (0.95 - 0.6) / 0.4 = 0.875.)
    """
    if len(a) != len(b):
        raise ValueError(f"annotator a has {len(a)} items, b has {len(b)}")
    index = {t: k for k, t in enumerate(labels)}
    A = np.zeros((len(a), len(labels)), dtype=int)
    B = np.zeros_like(A)
    for i, (ta, tb) in enumerate(zip(a, b)):
        A[i, [index[t] for t in ta]] = 1
        B[i, [index[t] for t in tb]] = 1
    inter, union = (A & B).sum(axis=1), (A | B).sum(axis=1)
    jaccard = np.where(union > 0, inter / np.maximum(union, 1), 1.0)  # two empty sets agree
    main = np.array([bool(x) and bool(y) and x[0] == y[0] for x, y in zip(a, b)], dtype=float)
    stats = {
        "pooled_kappa": lambda idx: _binary_kappa(A[idx].ravel(), B[idx].ravel()),
        "mean_jaccard": lambda idx: float(jaccard[idx].mean()),
        "main_topic": lambda idx: float(main[idx].mean()),
    }
    out = {
        "n_items": len(a),
        "pooled_kappa": _kappa(A.ravel(), B.ravel()),
        "mean_jaccard": float(jaccard.mean()) if len(a) else None,
        "main_topic": float(main.mean()) if len(a) else None,
        "per_topic_kappa": {t: _kappa(A[:, k], B[:, k]) for t, k in index.items()},
        "per_topic_count": {t: {"a": int(A[:, k].sum()), "b": int(B[:, k].sum())} for t, k in index.items()},
    }
    if len(a):
        out["ci"] = {name: list(bootstrap_ci(f, len(a), n_resamples=n_resamples, seed=seed)) for name, f in stats.items()}
    return out


def claim_agreement(a: list[list[dict]], b: list[list[dict]], *, aliases: dict[str, str] | None = None,
                    n_resamples: int = 1000, seed: int = 0) -> dict:
    """Strict and lenient F1 of one annotator's claims against the other's (same items, same order).

    >>> c = {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "start": 0, "end": 9}
    >>> r = claim_agreement([[c], []], [[c], [dict(c, subject="Meta", start=20, end=30)]], n_resamples=50)
    >>> r["strict"]["f1"], r["strict"]["tp"], r["n_claims"]
    (0.6666666666666666, 1, {'a': 1, 'b': 2})
    """
    counts = claim_counts(a, b, aliases=aliases)  # a plays gold, b prediction: F1 is the same either way
    out = {"n_items": len(a), "n_claims": {"a": sum(map(len, a)), "b": sum(map(len, b))}}
    for level in ("strict", "lenient"):
        out[level] = _prf(*counts[level].sum(axis=0))
    if len(a):
        out["ci"] = {f"{level}_f1": list(bootstrap_ci(lambda idx, c=counts[level]: _prf(*c[idx].sum(axis=0))["f1"], len(a),
                                                     n_resamples=n_resamples, seed=seed))
                     for level in ("strict", "lenient")}
    return out


def agreement(labels_a: list[dict], labels_b: list[dict], topics: list[str], *, aliases: dict[str, str] | None = None,
              n_resamples: int = 1000, seed: int = 0) -> dict:
    """Agreement of two sets of label records (as in ``labels/*.jsonl``), on the items both label."""
    by_a = {r["item_id"]: r for r in labels_a}
    by_b = {r["item_id"]: r for r in labels_b}
    shared = sorted(by_a.keys() & by_b.keys())
    both_claims = [i for i in shared if by_a[i].get("claims_labeled", True) and by_b[i].get("claims_labeled", True)]
    return {
        "items": {"a": len(by_a), "b": len(by_b), "both": len(shared), "both_with_claims": len(both_claims)},
        "topics": topic_agreement([by_a[i]["topics"] for i in shared], [by_b[i]["topics"] for i in shared], topics,
                                  n_resamples=n_resamples, seed=seed),
        "claims": claim_agreement([by_a[i]["claims"] for i in both_claims], [by_b[i]["claims"] for i in both_claims],
                                  aliases=aliases, n_resamples=n_resamples, seed=seed),
    }


def agreement_files(path_a: Path, path_b: Path) -> dict:
    """:func:`agreement` of two label files, with the project's taxonomy and aliases; a schema error raises."""
    from ..errors import AicorpusError
    from ..labels import read_labels, topic_ids

    records = []
    for path in (path_a, path_b):
        labels, issues = read_labels([Path(path)])
        if issues:
            raise AicorpusError(issues[0])
        records.append([loc.record for loc in labels])
    return agreement(*records, topic_ids(), aliases=load_aliases())


def format_agreement(r: dict) -> str:
    """The agreement as a short text table."""
    def ci(block: dict, name: str) -> str:
        low, high = block["ci"][name]
        return f"[{low:.3f}, {high:.3f}]"

    t, c, n = r["topics"], r["claims"], r["items"]
    lines = [f"items: {n['both']} labelled by both ({n['a']} by a, {n['b']} by b); claims compared on {n['both_with_claims']}"]
    if t["n_items"]:
        lines += [f"topics  pooled kappa {t['pooled_kappa']:.3f} {ci(t, 'pooled_kappa')}",
                  f"        mean Jaccard {t['mean_jaccard']:.3f} {ci(t, 'mean_jaccard')}",
                  f"        main topic   {t['main_topic']:.3f} {ci(t, 'main_topic')}"]
        for topic, k in t["per_topic_kappa"].items():
            cnt = t["per_topic_count"][topic]
            lines.append(f"        {topic:<22} kappa {'  n/a' if k is None else f'{k:5.2f}'}  (a {cnt['a']}, b {cnt['b']})")
    if c["n_items"]:
        lines += [f"claims  strict F1  {c['strict']['f1']:.3f} {ci(c, 'strict_f1')}  ({c['strict']['tp']} matched; a {c['n_claims']['a']}, b {c['n_claims']['b']})",
                  f"        lenient F1 {c['lenient']['f1']:.3f} {ci(c, 'lenient_f1')}"]
    return "\n".join(lines)
