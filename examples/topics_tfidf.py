"""A researcher's flow end to end: load the corpus, train a topic tagger on train, predict test, score it.

    python examples/topics_tfidf.py [--root PROJECT] [--out predictions.jsonl] [--json]

Uses only ``datasets.load_dataset`` and scikit-learn (and numpy, which scikit-learn
brings): nothing of the aicorpus package is imported. The predictions file has one
line per test item, topics given as class labels (the integers ``load_dataset``
returns), and is scored by the command line, as any system's would be:

    aicorpus bench score --task topics --predictions predictions.jsonl --split test

Offline it works from a local clone: run it from the project folder (or give
``--root``); ``HF_DATASETS_OFFLINE=1`` keeps ``datasets`` from asking the hub.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from datasets import load_dataset
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC


def text(row: dict) -> str:
    """What the model reads: the headline and the story."""
    return f"{row['title'] or ''}\n{row['text']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train a TF-IDF topic tagger on train, write test predictions, score them with the CLI.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: the current folder)")
    parser.add_argument("--out", type=Path, default=Path("predictions.jsonl"), help="where the predictions go (default: predictions.jsonl)")
    parser.add_argument("--json", action="store_true", help="print the score as one JSON object (passed on to aicorpus bench score)")
    args = parser.parse_args(argv)

    # an absolute path: load_dataset(".") fails, datasets names the dataset after the folder
    root = str(args.root.resolve())
    items = load_dataset(root, "items")
    n_topics = len(items["train"].features["topics"].feature.names)

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)  # characters: no segmentation
    binarizer = MultiLabelBinarizer(classes=list(range(n_topics)))
    X = vectorizer.fit_transform([text(row) for row in items["train"]])
    Y = binarizer.fit_transform(items["train"]["topics"])
    model = OneVsRestClassifier(LinearSVC(class_weight="balanced", random_state=0)).fit(X, Y)

    scores = model.decision_function(vectorizer.transform([text(row) for row in items["test"]]))
    lines = []
    for row, s in zip(items["test"], scores):
        chosen = np.flatnonzero(s > 0).tolist() or [int(np.argmax(s))]  # every item gets at least its best topic
        lines.append(json.dumps({"item_id": row["id"], "topics": chosen}))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} predictions to {args.out}", file=sys.stderr)

    # the installed command; python -m aicorpus.cli where only the package is importable
    command = [shutil.which("aicorpus")] if shutil.which("aicorpus") else [sys.executable, "-m", "aicorpus.cli"]
    score = command + ["bench", "score", "--task", "topics", "--predictions", str(args.out), "--split", "test", "--root", root]
    return subprocess.run(score + (["--json"] if args.json else [])).returncode


if __name__ == "__main__":
    sys.exit(main())
