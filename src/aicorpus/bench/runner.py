"""Running the baselines under both protocols and writing ``results/<task>/<baseline>.json``.

* ``fixed_split``: fit on the labeled train items, predict the test split,
  score the prediction file exactly as ``aicorpus bench score`` would.
* ``grouped_cv``: k-fold cross-validation over every labeled item, where the
  groups are near-duplicate clusters (splits/near-duplicates.jsonl), so that one story never
  sits on both sides of a fold.

Nothing is tuned: each baseline runs with its default parameters, seeded, and
on one BLAS thread: OpenBLAS's threads made the logistic regressions some 40
times slower on two cores, and a result must not depend on the machine's core
count. A result file holds nothing about the machine it ran on (no absolute
path, no commit, no package versions), so that rerunning the baselines on other
data-equal checkouts rewrites it byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from .. import __version__
from ..labels import topic_ids
from ..splits import SPLITS
from ..review import published_items
from .baselines import CLAIM_BASELINES, TOPIC_BASELINES
from .metrics import claim_scores_with_ci, load_aliases, topic_scores_with_ci
from .score import gold_labels, score

RESULTS = "results"
HEADLINE = {"topics": ("micro_f1", "macro_f1", "samples_f1"), "claims": ("strict_f1", "lenient_f1", "numeric_strict_f1")}
SEED = 0
FOLDS = 5


def labeled_items(root: Path) -> list[dict]:
    """Every published item that has a valid label: id, split, title, text, topics, claims, claims_labeled (sorted by id)."""
    root = Path(root)
    items = published_items(root / "splits")
    gold, _ = gold_labels(root, items)
    out = []
    for split in SPLITS:
        for path in sorted((root / "splits" / "items").glob(f"{split}-*.parquet")):
            for row in pq.read_table(path, columns=["id", "title", "text"]).to_pylist():
                if row["id"] in gold:
                    g = gold[row["id"]]
                    out.append({**row, "split": split, "topics": g["topics"], "claims": g["claims"],
                                "claims_labeled": g.get("claims_labeled", True)})
    return sorted(out, key=lambda r: r["id"])


def fingerprint(items: list[dict], groups: list[int]) -> str:
    """sha256 of what a result depends on in the data: ids, splits, texts, labels and the cross-validation groups."""
    canon = json.dumps([[r["id"], r["split"], r["title"], r["text"], r["topics"], r["claims"], r.get("claims_labeled", True), g]
                        for r, g in zip(items, groups)],
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
    """Both protocols for one baseline; writes the test predictions beside the result.

    >>> run_baseline("topics", "prior", Path("."), labeled_items(Path(".")))["protocols"]["fixed_split"]["predictions"]  # doctest: +SKIP
    'results/topics/prior.test.jsonl'
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_baseline(task, name, Path(root), items)


def _run_baseline(task: str, name: str, root: Path, items: list[dict]) -> dict:
    factory = (TOPIC_BASELINES if task == "topics" else CLAIM_BASELINES)[name]
    data_sha256 = fingerprint(items, _groups(root, [r["id"] for r in items]))  # of all labelled items, as stale_results computes it
    if task == "claims":  # an item whose claims are not labelled yet is neither a training example nor a test case
        items = [r for r in items if r.get("claims_labeled", True)]
    out_dir = root / RESULTS / task
    out_dir.mkdir(parents=True, exist_ok=True)

    train = [r for r in items if r["split"] == "train"]
    test = [r for r in items if r["split"] == "test"]
    model = factory().fit(train, [r[task] for r in train])
    predictions = out_dir / f"{name}.test.jsonl"
    lines = [json.dumps({"item_id": r["id"], task: p}, ensure_ascii=False) for r, p in zip(test, model.predict(test))]
    predictions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fixed = score(task, predictions, "test", root, seed=SEED)
    fixed["predictions"] = portable_path(predictions, root)

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
        "data_sha256": data_sha256,
        "code_sha256": code_fingerprint(),
        "aicorpus_version": __version__,
    }


def portable_path(path: Path, root: Path) -> str:
    """``path`` as a result file records it: relative to the project, else its name alone (never an absolute path).

    >>> portable_path(Path("/p/results/topics/prior.test.jsonl"), Path("/p")), portable_path(Path("/tmp/x.jsonl"), Path("/p"))
    ('results/topics/prior.test.jsonl', 'x.jsonl')
    """
    try:
        return Path(path).absolute().relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        return Path(path).name


def baselines() -> list[tuple[str, str]]:
    """(task, baseline name) of every baseline, in registry order.

    >>> ("topics", "prior") in baselines()
    True
    """
    return [("topics", name) for name in TOPIC_BASELINES] + [("claims", name) for name in CLAIM_BASELINES]


def run_baselines(root: Path, items: list[dict], *, num_proc: int = 1) -> dict[tuple[str, str], dict]:
    """(task, name) -> :func:`run_baseline`'s result, for every baseline; on ``num_proc`` processes.

    The figures do not depend on ``num_proc``: each baseline is seeded and runs on one BLAS thread.

    >>> results = run_baselines(Path("."), labeled_items(Path(".")), num_proc=2)  # doctest: +SKIP
    """
    jobs = baselines()
    if num_proc <= 1:
        return {job: run_baseline(*job, root, items) for job in jobs}
    with ProcessPoolExecutor(num_proc) as pool:  # forked: a test's patched registries and RESULTS come along
        futures = {job: pool.submit(run_baseline, *job, root, items) for job in jobs}
        return {job: futures[job].result() for job in jobs}


def run_all(root: Path = Path("."), *, num_proc: int = 1) -> list[Path]:
    """Every baseline of both tasks, on ``num_proc`` processes; returns the result files written.

    >>> run_all(Path("."), num_proc=2)  # doctest: +SKIP
    [PosixPath('results/topics/prior.json'), ...]
    """
    root = Path(root)
    written = []
    for (task, name), result in run_baselines(root, labeled_items(root), num_proc=num_proc).items():
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
