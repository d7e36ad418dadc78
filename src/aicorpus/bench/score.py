"""Scoring one prediction file against the hand labels of one split.

Gold labels are read from ``labels/*.jsonl`` with the same checks the build runs
(``read_labels`` + ``label_issues``); a label that fails a check is left out of the
gold, as it is left out of the published Parquet, and listed in ``label_problems``.
Only items of the split that have a gold label are scored (``n_items_labeled``);
labeled items without a prediction line count as predicted empty.

Prediction lines may name any published item (a system may predict the whole corpus);
lines for items outside the split are ignored and counted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

import pyarrow.parquet as pq

from ..errors import AicorpusError, Issue
from ..labels import guideline_version, label_files, label_issues, passing, read_labels, taxonomy, topic_ids
from ..review import published_items
from .metrics import ALIASES_PATH, CLAIM_LEVELS, claim_scores_with_ci, load_aliases, topic_scores_with_ci
from .predictions import read_predictions

SHARD = re.compile(r"^(?P<split>.+)-\d{5}-of-\d{5}\.parquet$")


def split_item_ids(root: Path, split: str) -> list[str]:
    """Ids of the items of ``split``, in file order, from ``splits/items/<split>-*.parquet``.

    The error for a split with no file names the folder looked in, so that a command run from the wrong
    folder says so.

    >>> len(split_item_ids(Path("."), "test")) > 0
    True
    """
    folder = Path(root) / "splits" / "items"
    paths = sorted(p for p in folder.glob("*.parquet") if (m := SHARD.match(p.name)) and m["split"] == split)
    if not paths:
        found = sorted({m["split"] for p in folder.glob("*.parquet") if (m := SHARD.match(p.name))})
        where = f"{folder.resolve().as_posix()}/ (project root {Path(root).resolve().as_posix()})"
        raise AicorpusError(Issue(f"{folder.as_posix()}/", "unknown-split", f"no Parquet file for split {split!r} in {where}",
                                  hint=f"use one of the splits there ({', '.join(found)})" if found else
                                  "build the corpus there first (aicorpus build), or name the project folder with --root"))
    return [iid for p in paths for iid in pq.read_table(p, columns=["id"]).column("id").to_pylist()]


def gold_labels(root: Path, items: dict[str, dict]) -> tuple[dict[str, dict], list[Issue]]:
    """Labels that pass every check, by item id, and the problems of the others (as the build keeps them)."""
    located, problems = read_labels(label_files(root), root)
    problems += label_issues(located, items, version=guideline_version(root))
    return passing(located, problems), problems


def score(task: Literal["topics", "claims"], predictions_path: Path | str, split: str, root: Path, *,
          n_resamples: int = 1000, seed: int = 0, alpha: float = 0.05, rel_tol: float = 0.01) -> dict:
    """Every figure of ``task`` for ``predictions_path`` on the labeled items of ``split``.

    Returns one JSON-serialisable dict: ``task``, ``split``, ``predictions``,
    ``n_items_split``, ``n_items_labeled`` (= the scored items, also ``n_items``),
    ``n_items_predicted`` (scored items that have a prediction line),
    ``n_predictions_outside_split``, ``label_problems`` (formatted issues of labels left
    out), the scorer's figures with ``ci`` and ``bootstrap``, and the taxonomy or alias
    table version.

    Raises AicorpusError for a bad prediction file, an unknown split, or a split with no
    labeled item yet (``no-gold-labels``).

    >>> score("topics", "predictions/topics.jsonl", "test", Path("."))  # doctest: +SKIP
    """
    if task not in ("topics", "claims"):
        raise ValueError(f"task must be 'topics' or 'claims', not {task!r}")
    root = Path(root)
    ids = split_item_ids(root, split)
    items = published_items(root / "splits")
    gold, problems = gold_labels(root, items)
    # id order: figures do not depend on row order in the files; claims are scored only where they were labelled
    # (claims_labeled false: the item's topics are labelled, its claims not yet, which is not "no claims")
    scored = sorted(iid for iid in ids if iid in gold and (task == "topics" or gold[iid].get("claims_labeled", True)))
    if not scored:
        raise AicorpusError(Issue("labels/", "no-gold-labels", f"no item of split {split!r} has a valid label yet",
                                  hint="label items of this split (labels/GUIDELINES.md) or fix the label problems the build reports"))
    preds = read_predictions(predictions_path, task, item_ids=set(items), topics=topic_ids())
    in_split = set(ids)
    result = {
        "task": task,
        "split": split,
        "predictions": Path(predictions_path).as_posix(),
        "n_items_split": len(ids),
        "n_items_labeled": len(scored),
        "n_items_predicted": sum(iid in preds for iid in scored),
        "n_predictions_outside_split": sum(iid not in in_split for iid in preds),
        "label_problems": [i.format() for i in problems],
    }
    options = {"n_resamples": n_resamples, "seed": seed, "alpha": alpha}
    y_true = [gold[iid][task] for iid in scored]
    y_pred = [preds.get(iid, []) for iid in scored]  # no line = predicted empty
    if task == "topics":
        result["taxonomy_version"] = taxonomy()["version"]
        result.update(topic_scores_with_ci(y_true, y_pred, topic_ids(), **options))
    else:
        result["aliases_version"] = _aliases_version()
        result["rel_tol"] = rel_tol
        result.update(claim_scores_with_ci(y_true, y_pred, aliases=load_aliases(), rel_tol=rel_tol, **options))
    return result


def _aliases_version() -> str | None:
    return json.loads(ALIASES_PATH.read_text(encoding="utf-8")).get("version")


def format_table(result: dict) -> str:
    """A readable table of a :func:`score` result: headline figures with CIs, then per-label rows.

    >>> from aicorpus.bench.metrics import topic_scores_with_ci
    >>> r = {"task": "topics", "split": "test", "n_items_split": 3, "n_items_labeled": 2, "n_items_predicted": 2,
    ...      **topic_scores_with_ci([["a"], ["b"]], [["a"], ["a"]], ["a", "b"], n_resamples=50)}
    >>> print(format_table(r).splitlines()[0])
    topics, split test: 2 of 3 items have a gold label and are scored (2 with a prediction line)
    """
    boot = result.get("bootstrap", {})
    level = round(100 * (1 - boot.get("alpha", 0.05)))
    lines = [
        f"{result['task']}, split {result['split']}: {result['n_items_labeled']} of {result['n_items_split']} items have a gold "
        f"label and are scored ({result.get('n_items_predicted', '?')} with a prediction line)",
        f"CIs: {level}% percentile bootstrap over items, {boot.get('n_resamples', '?')} resamples, seed {boot.get('seed', '?')}",
        "",
    ]
    lines += _topic_rows(result, level) if result["task"] == "topics" else _claim_rows(result, level)
    if result.get("label_problems"):
        lines += ["", f"{len(result['label_problems'])} label problem(s); those labels were left out of the gold:"]
        lines += [f"  {p}" for p in result["label_problems"]]
    return "\n".join(lines)


def _ci(result: dict, name: str) -> str:
    low, high = result.get("ci", {}).get(name, (None, None))
    return "" if low is None else f"[{low:.3f}, {high:.3f}]"


def _topic_rows(r: dict, level: int) -> list[str]:
    rows = [f"{'figure':<18}{'value':>8}  {level}% CI"]
    for name, label in (("micro_f1", "micro F1"), ("macro_f1", "macro F1"), ("samples_f1", "samples F1"),
                        ("hamming_loss", "Hamming loss"), ("subset_accuracy", "subset accuracy")):
        rows.append(f"{label:<18}{r[name]:>8.3f}  {_ci(r, name)}".rstrip())
    rows += ["", f"{'label':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for label, s in r["per_label"].items():
        rows.append(f"{label:<22}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9d}")
    if r.get("labels_without_support"):
        rows.append(f"no gold item has {', '.join(r['labels_without_support'])}: macro F1 counts such a topic (as 0) only where it was predicted")
    return rows


def _claim_rows(r: dict, level: int) -> list[str]:
    rows = [f"{'level':<17}{'precision':>10}{'recall':>8}{'f1':>8}  {f'{level}% CI (f1)':<17}{'tp':>5}{'n_pred':>8}{'n_gold':>8}"]
    for name in CLAIM_LEVELS:
        s = r[name]
        rows.append(f"{name.replace('_', ' '):<17}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}  "
                    f"{_ci(r, name + '_f1'):<17}{s['tp']:>5d}{s['n_pred']:>8d}{s['n_gold']:>8d}")
    return rows
