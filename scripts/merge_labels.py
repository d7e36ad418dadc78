"""Write the annotators' finished label files into labels/<document id>.jsonl, one file per document.

    python scripts/merge_labels.py OUTPUT.jsonl [...]

Every OUTPUT is a file ``annotate.py fill`` wrote (or the adjudicated and reviewed labels of the
double-annotation sample). Each published item must be labelled exactly once across them; the labels of a
document are written in the order of its items, replacing the document's label file (temporary file, then
rename). Problems are printed and nothing is written while any remains.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from annotate import published  # noqa: E402

KEYS = ("item_id", "topics", "claims", "claims_labeled", "guideline_version", "annotator")


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    items = published()
    labels: dict[str, dict] = {}
    problems = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec["item_id"] in labels:
                problems.append(f"{path}:{n}: {rec['item_id']} is labelled twice")
            elif rec["item_id"] not in items:
                problems.append(f"{path}:{n}: {rec['item_id']} is not a published item")
            labels[rec["item_id"]] = {k: rec[k] for k in KEYS}
    problems += [f"{iid}: no label" for iid in sorted(set(items) - set(labels))]
    if problems:
        print("\n".join(problems))
        return 1
    by_doc: dict[str, list[str]] = defaultdict(list)
    for iid in labels:
        by_doc[iid.rsplit("-", 1)[0]].append(iid)
    position = _positions(ROOT)
    for doc, ids in by_doc.items():
        out = ROOT / "labels" / f"{doc}.jsonl"
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text("".join(json.dumps(labels[i], ensure_ascii=False) + "\n" for i in sorted(ids, key=position.__getitem__)), encoding="utf-8")
        os.replace(tmp, out)
    print(f"{len(labels)} labels written to {len(by_doc)} files in labels/")
    return 0


def _positions(root: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    out = {}
    for path in sorted((root / "splits" / "items").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "position"]).to_pylist():
            out[row["id"]] = row["position"]
    return out


if __name__ == "__main__":
    sys.exit(main())
