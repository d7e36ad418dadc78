"""Running the baselines under both protocols and writing ``results/<task>/<baseline>.json``.

* ``fixed_split``: fit on the labeled train items, predict the test split,
  score the prediction file exactly as ``aicorpus bench score`` would.
* ``grouped_cv``: k-fold cross-validation over every labeled item, where the
  groups are near-duplicate clusters (splits/near-duplicates.jsonl), so that one story never
  sits on both sides of a fold.

Nothing is tuned: each baseline runs with its default parameters, seeded.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata as importlib_metadata
from pathlib import Path

import pyarrow.parquet as pq
from sklearn.model_selection import GroupKFold

from .. import __version__
from ..labels import topic_ids
from ..splits import SPLITS
from ..validate import published_items
from .baselines import CLAIM_BASELINES, TOPIC_BASELINES
from .metrics import claim_scores_with_ci, load_aliases, topic_scores_with_ci
from .score import gold_labels, score

RESULTS = "results"
HEADLINE = {"topics": ("micro_f1", "macro_f1", "samples_f1"), "claims": ("strict_f1", "lenient_f1", "numeric_strict_f1")}
SEED = 0
FOLDS = 5


def labeled_items(root: Path) -> list[dict]:
    """Every published item that has a valid label: id, split, title, text, topics, claims (sorted by id)."""
    root = Path(root)
    items = published_items(root / "splits")
    gold, _ = gold_labels(root, items)
    out = []
    for split in SPLITS:
        for path in sorted((root / "splits" / "items").glob(f"{split}-*.parquet")):
            for row in pq.read_table(path, columns=["id", "title", "text"]).to_pylist():
                if row["id"] in gold:
                    g = gold[row["id"]]
                    out.append({**row, "split": split, "topics": g["topics"], "claims": g["claims"]})
    return sorted(out, key=lambda r: r["id"])


def fingerprint(items: list[dict], groups: list[int]) -> str:
    """sha256 of what a result depends on in the data: ids, splits, texts, labels and the cross-validation groups."""
    canon = json.dumps([[r["id"], r["split"], r["title"], r["text"], r["topics"], r["claims"], g] for r, g in zip(items, groups)],
                       ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()


def code_fingerprint() -> str:
    """sha256 of the code a result depends on: the benchmark package and the quantity normaliser its baselines use."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted((package / "bench").glob("*.py")) + [package / "quantities.py", package / "labels.py"]:
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _groups(root: Path, ids: list[str]) -> list[int]:
    lines = (Path(root) / "splits" / "near-duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    cluster_of = {i: n for n, line in enumerate(lines) for i in json.loads(line)}
    return [cluster_of.get(i, len(cluster_of) + k) for k, i in enumerate(ids)]


def _scores(task: str, gold: list, pred: list) -> dict:
    if task == "topics":
        return topic_scores_with_ci(gold, pred, topic_ids(), seed=SEED)
    return claim_scores_with_ci(gold, pred, aliases=load_aliases(), seed=SEED)


def _headline(task: str, scores: dict) -> tuple[dict, dict]:
    if task == "topics":
        values = {k: scores[k] for k in HEADLINE[task]}
    else:
        values = {f"{level}_f1": scores[level]["f1"] for level in ("strict", "lenient", "numeric_strict")}
    return values, {k: scores["ci"][k] for k in values}


def run_baseline(task: str, name: str, root: Path, items: list[dict]) -> dict:
    """Both protocols for one baseline; writes the test predictions beside the result."""
    root = Path(root)
    factory = (TOPIC_BASELINES if task == "topics" else CLAIM_BASELINES)[name]
    out_dir = root / RESULTS / task
    out_dir.mkdir(parents=True, exist_ok=True)

    train = [r for r in items if r["split"] == "train"]
    test = [r for r in items if r["split"] == "test"]
    model = factory().fit(train, [r[task] for r in train])
    predictions = out_dir / f"{name}.test.jsonl"
    lines = [json.dumps({"item_id": r["id"], task: p}, ensure_ascii=False) for r, p in zip(test, model.predict(test))]
    predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fixed = score(task, predictions, "test", root, seed=SEED)

    ids = [r["id"] for r in items]
    groups = _groups(root, ids)
    oof: list = [None] * len(items)
    for train_idx, test_idx in GroupKFold(n_splits=FOLDS).split(ids, groups=groups):
        fold_model = factory().fit([items[k] for k in train_idx], [items[k][task] for k in train_idx])
        for k, p in zip(test_idx, fold_model.predict([items[k] for k in test_idx])):
            oof[k] = p
    cv = _scores(task, [r[task] for r in items], oof)

    protocols = {}
    for protocol, scores, n in (("fixed_split", fixed, fixed["n_items"]), ("grouped_cv", cv, len(items))):
        values, cis = _headline(task, scores)
        protocols[protocol] = {"headline": values, "ci": cis, "n_items": n, "scores": scores}
    protocols["fixed_split"].update({"train_split": "train", "eval_split": "test", "n_train": len(train)})
    protocols["grouped_cv"].update({"folds": FOLDS, "groups": "near-duplicate clusters"})
    return {
        "task": task,
        "baseline": name,
        "estimator": type(model).__name__,
        "params": model.get_params(),
        "seed": SEED,
        "protocols": protocols,
        "data_sha256": fingerprint(items, groups),
        "code_sha256": code_fingerprint(),
        "environment": _environment(),
    }


def _environment() -> dict:
    versions = {}
    for pkg in ("scikit-learn", "scipy", "numpy", "rjieba", "pyarrow", "datasets", "cn2an"):
        try:
            versions[pkg] = importlib_metadata.version(pkg)
        except importlib_metadata.PackageNotFoundError:
            versions[pkg] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {"aicorpus": __version__, "python": platform.python_version(), "packages": versions, "code_commit": commit}


def run_all(root: Path = Path(".")) -> list[Path]:
    """Every baseline of both tasks; returns the result files written."""
    root = Path(root)
    items = labeled_items(root)
    written = []
    for task, registry in (("topics", TOPIC_BASELINES), ("claims", CLAIM_BASELINES)):
        for name in registry:
            result = run_baseline(task, name, root, items)
            path = root / RESULTS / task / f"{name}.json"
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
            tmp.replace(path)
            written.append(path)
    return written


def stale_results(root: Path = Path(".")) -> list[str]:
    """Result files computed on other data (items, labels, splits, clusters) or other benchmark code than now."""
    root = Path(root)
    paths = sorted((root / RESULTS).glob("*/*.json"))
    if not paths:
        return []
    items = labeled_items(root)
    current = fingerprint(items, _groups(root, [r["id"] for r in items]))
    code = code_fingerprint()
    stale = []
    for p in paths:
        result = json.loads(p.read_text(encoding="utf-8"))
        if result.get("data_sha256") != current or result.get("code_sha256") != code:
            stale.append(p.relative_to(root).as_posix())
    return stale
