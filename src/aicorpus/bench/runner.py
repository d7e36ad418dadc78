"""Running the baselines under every protocol and writing ``results/<task>/<baseline>.json``.

The protocols (``fixed_split``, the default, then ``grouped_cv``, ``time_held_out`` and
``source_held_out``) and what plays validation in each are defined in
:mod:`aicorpus.bench.protocols`. For every fold of a protocol a baseline is fitted
on the training side and predicts the test side:

* a baseline whose ``fit`` takes ``eval_set`` is called ``fit(train, y, eval_set=(validation, y))``:
  it chooses its settings (thresholds, hyperparameters) on the validation items
  and then, by default, refits on train + validation with them;
* a baseline without settings to tune is fitted on train + validation at once,
  so that every baseline learns from the same items.

The test side is never given to ``fit``. Each protocol's predictions are written
beside the result (``<baseline>.test.jsonl`` for the fixed split, the file
``aicorpus bench score`` reads; ``<baseline>.<protocol>.jsonl`` for the others) and
scored exactly as ``aicorpus bench score`` scores a file: every figure with its
95% bootstrap interval over items (seed 0).

Everything is seeded and runs on one BLAS thread: OpenBLAS's threads made the
logistic regressions some 40 times slower on two cores, and a result must not
depend on the machine's core count. A result file holds nothing about the machine
it ran on (no absolute path, no commit, no package versions), so that rerunning the
baselines on other data-equal checkouts rewrites it byte for byte.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

from .. import __version__
from ..labels import topic_ids
from ..review import published_items
from ..splits import SPLITS
from .baselines import CLAIM_BASELINES, TOPIC_BASELINES
from .metrics import claim_scores, claim_scores_with_ci, load_aliases, normalise_text, topic_scores_with_ci
from .predictions import read_predictions
from .protocols import DESCRIPTIONS, PROTOCOLS, Fold, folds
from .score import gold_labels, score

RESULTS = "results"
BREAKDOWN = "breakdown.md"
CONFUSION = "topics_confusion.png"
HEADLINE = {"topics": ("micro_f1", "macro_f1", "samples_f1"), "claims": ("strict_f1", "lenient_f1", "numeric_strict_f1")}
SEED = 0
#: The item columns a baseline may read besides title and text (the context baseline uses them; the
#: protocols cut by date and publisher).
CONTEXT = ("format", "source", "section", "published")


def labeled_items(root: Path) -> list[dict]:
    """Every published item with a valid label, sorted by id.

    Each is a dict: id, split, title, text, format, source, section, published, topics,
    claims, claims_labeled.

    >>> items = labeled_items(Path("."))  # doctest: +SKIP
    >>> sorted(items[0])  # doctest: +SKIP
    ['claims', 'claims_labeled', 'format', 'id', 'published', 'section', 'source', 'split', 'text', 'title', 'topics']
    """
    root = Path(root)
    items = published_items(root / "splits")
    gold, _ = gold_labels(root, items)
    out = []
    for split in SPLITS:
        for path in sorted((root / "splits" / "items").glob(f"{split}-*.parquet")):
            for row in pq.read_table(path, columns=["id", "title", "text", *CONTEXT]).to_pylist():
                if row["id"] in gold:
                    g = gold[row["id"]]
                    out.append({**row, "split": split, "topics": g["topics"], "claims": g["claims"],
                                "claims_labeled": g.get("claims_labeled", True)})
    return sorted(out, key=lambda r: r["id"])


def fingerprint(items: list[dict], groups: list[int]) -> str:
    """sha256 of what a result depends on in the data: ids, splits, texts, context columns, labels and clusters.

    >>> fingerprint([], []) == fingerprint([], [])
    True
    """
    canon = json.dumps([[r["id"], r["split"], r["title"], r["text"], [r.get(c) for c in CONTEXT], r["topics"], r["claims"],
                         r.get("claims_labeled", True), g] for r, g in zip(items, groups)],
                       ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canon.encode()).hexdigest()


def code_fingerprint() -> str:
    """sha256 of the code a result depends on: the benchmark package and the quantity normaliser its baselines use.

    >>> len(code_fingerprint())
    64
    """
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted((package / "bench").glob("*.py")) + [package / "quantities.py", package / "labels.py"]:
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _groups(root: Path, ids: list[str]) -> list[int]:
    lines = (Path(root) / "splits" / "near-duplicates.jsonl").read_text(encoding="utf-8").splitlines()
    cluster_of = {i: n for n, line in enumerate(lines) for i in json.loads(line)}
    return [cluster_of.get(i, len(cluster_of) + k) for k, i in enumerate(ids)]


def task_items(task: str, items: list[dict]) -> list[dict]:
    """The items ``task`` trains and scores on: claims only where they were labelled.

    An item whose claims are not labelled yet (``claims_labeled`` false) is neither a training
    example nor a test case: scoring it as "no claims" would be wrong.

    >>> task_items("claims", [{"claims_labeled": False}, {"claims_labeled": True}])
    [{'claims_labeled': True}]
    """
    return items if task == "topics" else [r for r in items if r.get("claims_labeled", True)]


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


def predictions_path(task: str, name: str, protocol: str) -> str:
    """Where a baseline's predictions of one protocol are written, relative to the project.

    >>> predictions_path("topics", "prior", "fixed_split"), predictions_path("topics", "prior", "grouped_cv")
    ('results/topics/prior.test.jsonl', 'results/topics/prior.grouped_cv.jsonl')
    """
    suffix = "test" if protocol == "fixed_split" else protocol
    return f"{RESULTS}/{task}/{name}.{suffix}.jsonl"


def fit_fold(factory, task: str, items: list[dict], fold: Fold):
    """A fresh ``factory()`` fitted on the fold's training side (see the module docstring for how validation is used).

    >>> from aicorpus.bench.baselines import PriorTopics
    >>> items = [{"topics": ["a"]}, {"topics": ["b"]}, {"topics": ["a"]}]
    >>> fit_fold(PriorTopics, "topics", items, Fold(train=[0], validation=[1], test=[2])).topics_
    ['a']
    """
    model = factory()
    train, validation = [items[k] for k in fold.train], [items[k] for k in fold.validation]
    if "eval_set" in inspect.signature(model.fit).parameters:
        model.fit(train, [r[task] for r in train], eval_set=(validation, [r[task] for r in validation]) if validation else None)
    else:  # nothing to tune: validation is training data like the rest
        model.fit(train + validation, [r[task] for r in train + validation])
    return model


def score_protocol(task: str, protocol: str, root: Path, items: list[dict], path: Path | None = None) -> dict:
    """Score a protocol's prediction file as ``aicorpus bench score`` would, on the protocol's test items.

    ``items`` are the labelled items (:func:`labeled_items`); ``path`` defaults to the
    file the runner writes. The fixed split is scored with :func:`aicorpus.bench.score.score`
    itself (gold read from the label files); the other protocols on the gold of their test
    items, which the same label files give.

    >>> score_protocol("topics", "time_held_out", Path("."), labeled_items(Path(".")), Path("results/topics/prior.time_held_out.jsonl"))  # doctest: +SKIP
    """
    root = Path(root)
    if protocol == "fixed_split":
        return score(task, path, "test", root, seed=SEED)
    items = task_items(task, items)
    test = sorted({k for f in folds(protocol, items, _groups(root, [r["id"] for r in items])) for k in f.test})
    preds = read_predictions(path, task, item_ids={r["id"] for r in items}, topics=topic_ids())
    return _scores(task, [items[k][task] for k in test], [preds.get(items[k]["id"], []) for k in test])


def run_protocol(task: str, name: str, protocol: str, root: Path, items: list[dict]) -> dict:
    """One protocol for one baseline: fit every fold, write the test predictions, score them.

    >>> run_protocol("topics", "prior", "fixed_split", Path("."), labeled_items(Path(".")))["n_items"]  # doctest: +SKIP
    372
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_protocol(task, name, protocol, Path(root), items)


def _run_protocol(task: str, name: str, protocol: str, root: Path, items: list[dict]) -> dict:
    factory = (TOPIC_BASELINES if task == "topics" else CLAIM_BASELINES)[name]
    items = task_items(task, items)
    fs = folds(protocol, items, _groups(root, [r["id"] for r in items]))
    if not fs:
        return {"description": DESCRIPTIONS[protocol], "skipped": "no test or no training item under this protocol"}
    predicted: dict[int, list] = {}
    tuned = []
    for fold in fs:
        model = fit_fold(factory, task, items, fold)
        predicted.update(zip(fold.test, model.predict([items[k] for k in fold.test])))
        if hasattr(model, "tuned_"):
            tuned.append(model.tuned_)
    path = root / predictions_path(task, name, protocol)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"item_id": items[k]["id"], task: predicted[k]}, ensure_ascii=False) for k in sorted(predicted)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scores = score_protocol(task, protocol, root, items, path)
    scores["predictions"] = portable_path(path, root)
    values, cis = _headline(task, scores)
    out = {"description": DESCRIPTIONS[protocol], "headline": values, "ci": cis, "n_items": len(predicted),
           "n_train": sum(len(f.train) for f in fs) // len(fs), "n_validation": sum(len(f.validation) for f in fs) // len(fs),
           "folds": len(fs), "predictions": portable_path(path, root)}
    if tuned:  # what was chosen on validation, per fold
        out["tuned"] = tuned[0] if len(tuned) == 1 else tuned
    out["scores"] = scores
    return out


def run_baseline(task: str, name: str, root: Path, items: list[dict], protocols: tuple[str, ...] = PROTOCOLS) -> dict:
    """Every protocol for one baseline; writes each protocol's predictions beside the result.

    >>> run_baseline("topics", "prior", Path("."), labeled_items(Path(".")))["protocols"]["fixed_split"]["predictions"]  # doctest: +SKIP
    'results/topics/prior.test.jsonl'
    """
    return _assemble(task, name, root, items, {p: run_protocol(task, name, p, root, items) for p in protocols})


def _assemble(task: str, name: str, root: Path, items: list[dict], protocols: dict[str, dict]) -> dict:
    factory = (TOPIC_BASELINES if task == "topics" else CLAIM_BASELINES)[name]
    model = factory()
    return {
        "task": task,
        "baseline": name,
        "estimator": type(model).__name__,
        "params": model.get_params(),
        "seed": SEED,
        "protocols": protocols,
        # of all labelled items, as stale_results computes it (claims use the claims_labeled ones)
        "data_sha256": fingerprint(items, _groups(root, [r["id"] for r in items])),
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


def run_baselines(root: Path, items: list[dict], *, num_proc: int = 1,
                  protocols: tuple[str, ...] = PROTOCOLS) -> dict[tuple[str, str], dict]:
    """(task, name) -> :func:`run_baseline`'s result, for every baseline; on ``num_proc`` processes.

    The work is shared out one (baseline, protocol) at a time. The figures do not depend on
    ``num_proc``: each fit is seeded and runs on one BLAS thread.

    >>> results = run_baselines(Path("."), labeled_items(Path(".")), num_proc=2)  # doctest: +SKIP
    """
    root = Path(root)
    jobs = [(task, name, p) for task, name in baselines() for p in protocols]
    # the cross-validations (five fits each) first, so that no process idles while one finishes a long job
    jobs = sorted(jobs, key=lambda job: job[2] != "grouped_cv")
    if num_proc <= 1:
        done = {job: run_protocol(*job, root, items) for job in jobs}
    else:
        with ProcessPoolExecutor(num_proc) as pool:  # forked: a test's patched registries and RESULTS come along
            futures = {job: pool.submit(run_protocol, *job, root, items) for job in jobs}
            done = {job: futures[job].result() for job in jobs}
    return {(task, name): _assemble(task, name, root, items, {p: done[(task, name, p)] for p in protocols})
            for task, name in baselines()}


def run_all(root: Path = Path("."), *, num_proc: int = 1) -> list[Path]:
    """Every baseline of both tasks under every protocol, on ``num_proc`` processes; returns the files written.

    Writes ``results/<task>/<baseline>.json`` and the prediction files, then the per-topic and
    per-predicate breakdown (``results/breakdown.md``) and the best topic baseline's confusion
    plot (``results/topics_confusion.png``).

    >>> run_all(Path("."), num_proc=2)  # doctest: +SKIP
    [PosixPath('results/topics/prior.json'), ...]
    """
    root = Path(root)
    items = labeled_items(root)
    written = []
    for (task, name), result in run_baselines(root, items, num_proc=num_proc).items():
        path = root / RESULTS / task / f"{name}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    for name, data in breakdown_files(root, items).items():
        path = root / RESULTS / name
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(path)
    return written


def stale_results(root: Path = Path(".")) -> list[str]:
    """Result files computed on other data (items, labels, splits, clusters) or other benchmark code than now.

    >>> stale_results(Path("."))  # doctest: +SKIP
    []
    """
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


# --------------------------------------------------------------------------- breakdowns


def committed_results(root: Path) -> dict[tuple[str, str], dict]:
    """(task, baseline) -> the result file's content, for every ``results/<task>/<baseline>.json``."""
    out = {}
    for path in sorted((Path(root) / RESULTS).glob("*/*.json")):
        r = json.loads(path.read_text(encoding="utf-8"))
        out[(r["task"], r["baseline"])] = r
    return out


def best_topic_baseline(results: dict[tuple[str, str], dict]) -> str | None:
    """The topic baseline with the highest fixed-split micro F1 (the first in name order on a tie).

    >>> best_topic_baseline({("topics", "a"): {"protocols": {"fixed_split": {"headline": {"micro_f1": 0.5}}}},
    ...                      ("topics", "b"): {"protocols": {"fixed_split": {"headline": {"micro_f1": 0.7}}}}})
    'b'
    """
    scored = [(-r["protocols"]["fixed_split"]["headline"]["micro_f1"], name) for (task, name), r in results.items()
              if task == "topics" and "headline" in r["protocols"].get("fixed_split", {})]
    return min(scored)[1] if scored else None


def per_predicate(gold: list[list[dict]], pred: list[list[dict]], aliases: dict[str, str] | None = None) -> dict[str, dict]:
    """Strict and lenient figures per predicate: both sides restricted to the claims of that predicate.

    Strict matching needs the same predicate, so the strict true positives of all predicates
    add up to the overall strict count; lenient matching does not compare predicates, so
    its per-predicate figure only counts matches inside one predicate. Predicates are
    compared normalised, as the scorer compares them.

    >>> g = [[{"subject": "A", "predicate": "release", "value": "x"}, {"subject": "A", "predicate": "plans", "value": "y"}]]
    >>> p = [[{"subject": "A", "predicate": "release", "value": "x"}]]
    >>> {k: (v["strict"]["tp"], v["strict"]["n_gold"]) for k, v in per_predicate(g, p).items()}
    {'plans': (0, 1), 'release': (1, 1)}
    """
    names = sorted({normalise_text(c.get("predicate")) or "(none)" for rows in (gold, pred) for item in rows for c in item})
    out = {}
    for name in names:
        keep = lambda item: [c for c in item if (normalise_text(c.get("predicate")) or "(none)") == name]  # noqa: E731
        s = claim_scores([keep(i) for i in gold], [keep(i) for i in pred], aliases=aliases)
        out[name] = {"strict": s["strict"], "lenient": s["lenient"]}
    return out


def topic_confusion(gold: list[list[str]], pred: list[list[str]], labels: list[str]):
    """Items x topics counts behind the confusion plot: row = gold topic, column = predicted topic.

    Cell (g, g) counts the items with gold topic g that got g (its recall's numerator);
    cell (g, p), p != g, counts the items with gold topic g that got p although p is not
    one of their gold topics (a false p seen on g's items). The last column counts the
    items with gold g that got none of their gold topics right. Returns (counts, support).

    >>> counts, support = topic_confusion([["a"], ["a", "b"]], [["a", "b"], ["b"]], ["a", "b"])
    >>> counts.tolist(), support.tolist()
    ([[1, 1, 0], [0, 1, 0]], [2, 1])
    """
    import numpy as np

    index = {t: k for k, t in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels) + 1), dtype=int)
    support = np.zeros(len(labels), dtype=int)
    for g, p in zip(gold, pred):
        g, p = set(g), set(p)
        for t in g:
            support[index[t]] += 1
            for q in p:
                if q == t or q not in g:
                    counts[index[t], index[q]] += 1
            if not g & p:
                counts[index[t], -1] += 1
    return counts, support


def breakdown_files(root: Path, items: list[dict] | None = None) -> dict[str, bytes]:
    """``breakdown.md`` and ``topics_confusion.png``, from the committed result and prediction files (fixed split).

    Deterministic: the same predictions give the same bytes (the PNG is drawn with the
    Agg backend and no metadata).

    >>> sorted(breakdown_files(Path(".")))  # doctest: +SKIP
    ['breakdown.md', 'topics_confusion.png']
    """
    root = Path(root)
    items = labeled_items(root) if items is None else items
    results = committed_results(root)
    test = [r for r in items if r["split"] == "test"]
    topics = topic_ids()
    files: dict[str, bytes] = {}
    lines = ["# Per-topic and per-predicate figures", "",
             "Generated by `python scripts/run_baselines.py` from the committed fixed-split predictions "
             "(`results/<task>/<baseline>.test.jsonl`: trained on train and validation, scored on the "
             f"{len(test)} items of the test split). Point figures; the intervals of the headline figures are in the "
             "results table of the README.", ""]
    topic_names = [name for task, name in results if task == "topics" and "headline" in results[(task, name)]["protocols"].get("fixed_split", {})]
    best = best_topic_baseline(results)
    if topic_names:
        gold = [r["topics"] for r in test]
        preds = {name: _fixed_predictions(root, "topics", name, test) for name in topic_names}
        per = {name: _per_topic(gold, preds[name], topics) for name in topic_names}
        lines += ["## Topics: F1 per topic", "",
                  f"Best baseline by micro F1: **{best}** (precision and recall shown for it).", "",
                  "| topic | support | " + " | ".join(topic_names) + f" | {best} precision | {best} recall |",
                  "|---|---|" + "---|" * (len(topic_names) + 2)]
        for t in topics:
            s = per[best][t]
            lines.append(f"| {t} | {s['support']} | " + " | ".join(f"{per[n][t]['f1']:.3f}" for n in topic_names)
                         + f" | {s['precision']:.3f} | {s['recall']:.3f} |")
        lines += ["", f"![Topic confusion of {best}]({CONFUSION})", "",
                  f"The plot (`{CONFUSION}`): one row per gold topic, one column per predicted topic, each row divided by the "
                  "number of test items with that gold topic. The diagonal is the topic's recall; an off-diagonal cell is the "
                  "share of the row topic's items that got the column topic although it is not among their gold topics; the "
                  "last column is the share that got none of their gold topics.", ""]
        files[CONFUSION] = _confusion_png(*topic_confusion(gold, preds[best], topics), topics, best)
    claim_names = [name for task, name in results if task == "claims" and "headline" in results[(task, name)]["protocols"].get("fixed_split", {})]
    if claim_names:
        scored = task_items("claims", test)
        gold = [r["claims"] for r in scored]
        aliases = load_aliases()
        per = {name: per_predicate(gold, _fixed_predictions(root, "claims", name, scored), aliases) for name in claim_names}
        names = sorted({p for v in per.values() for p in v}, key=lambda p: (-max(v.get(p, {}).get("strict", {}).get("n_gold", 0) for v in per.values()), p))
        lines += ["## Claims: strict figures per predicate", "",
                  f"On the {len(scored)} test items whose claims are labelled. Strict matching needs the same predicate, so each "
                  "row counts the claims of one predicate on both sides: gold claims, then for each baseline the claims it "
                  "predicted with that predicate, strict true positives, precision, recall and F1.", "",
                  "| predicate | gold | " + " | ".join(f"{n} pred | {n} tp | {n} P | {n} R | {n} F1" for n in claim_names) + " |",
                  "|---|---|" + "---|" * (5 * len(claim_names))]
        for p in names:
            n_gold = next(v[p]["strict"]["n_gold"] for v in per.values() if p in v)
            cells = []
            for n in claim_names:
                s = per[n].get(p, {}).get("strict", {"n_pred": 0, "tp": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0})
                cells.append(f"{s['n_pred']} | {s['tp']} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f}")
            lines.append(f"| {p} | {n_gold} | " + " | ".join(cells) + " |")
        lines.append("")
    files[BREAKDOWN] = ("\n".join(lines)).encode("utf-8")
    return files


def _fixed_predictions(root: Path, task: str, name: str, test: list[dict]) -> list:
    preds = read_predictions(root / predictions_path(task, name, "fixed_split"), task, item_ids={r["id"] for r in test}, topics=topic_ids())
    return [preds.get(r["id"], []) for r in test]


def _per_topic(gold: list[list[str]], pred: list[list[str]], topics: list[str]) -> dict[str, dict]:
    from .metrics import topic_scores

    return topic_scores(gold, pred, topics)["per_label"]


def _confusion_png(counts, support, topics: list[str], name: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    share = counts / np.maximum(support, 1)[:, None]
    fig, ax = plt.subplots(figsize=(10, 7.5))
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for i in range(share.shape[0]):
        for j in range(share.shape[1]):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=7, color="white" if share[i, j] > 0.5 else "black")
    ax.set_xticks(range(len(topics) + 1), topics + ["(none right)"], rotation=45, ha="right")
    ax.set_yticks(range(len(topics)), [f"{t} ({s})" for t, s in zip(topics, support)])
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("gold topic (test items)")
    ax.set_title(f"{name}, fixed split, test: counts; colour = share of the row's items")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
