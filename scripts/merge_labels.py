"""Write the annotators' finished label files into labels/<document id>.jsonl, one file per document.

    python scripts/merge_labels.py OUTPUT.jsonl [...]
    python scripts/merge_labels.py --add-claims OUTPUT.jsonl [...]

Every OUTPUT is a file ``annotate.py fill`` wrote (or the adjudicated and reviewed labels of the
double-annotation sample). Each published item must be labelled exactly once across them; the labels of a
document are written in the order of its items, replacing the document's label file (temporary file, then
rename). Problems are printed and nothing is written while any remains.

``--add-claims`` is the second claims pass over train (items first published with
``claims_labeled: false``): each OUTPUT line gives an item's claims, which are added to the item's
published label; its topics stay those of the first pass (the second annotator's topics are kept in
OUTPUT, a blind second reading). The label's ``annotator`` becomes ``<topics annotator>+<claims
annotator>``. An item that already has its claims labelled is a problem.
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
    argv = list(argv if argv is not None else sys.argv[1:])
    if argv[:1] == ["--add-claims"]:
        return add_claims([Path(p) for p in argv[1:]])
    paths = [Path(p) for p in argv]
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


def add_claims(paths: list[Path], root: Path = ROOT) -> int:
    """Add the claims of ``paths`` to the published labels of items whose claims were not labelled yet."""
    published_labels: dict[str, tuple[Path, int, dict]] = {}
    for file in sorted((root / "labels").glob("*.jsonl")):
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
            rec = json.loads(line)
            published_labels[rec["item_id"]] = (file, n, rec)
    problems, changed = [], defaultdict(dict)
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            new = json.loads(line)
            where = published_labels.get(new["item_id"])
            if where is None:
                problems.append(f"{path}:{n}: {new['item_id']} has no published label")
                continue
            file, k, old = where
            if old.get("claims_labeled", True) or k in changed[file]:
                problems.append(f"{path}:{n}: {new['item_id']} has its claims labelled already")
                continue
            if new["guideline_version"] != old["guideline_version"] or not new.get("claims_labeled", True):
                problems.append(f"{path}:{n}: {new['item_id']}: claims must be labelled under guideline {old['guideline_version']}")
                continue
            changed[file][k] = {**old, "claims": new["claims"], "claims_labeled": True, "annotator": f"{old['annotator']}+{new['annotator']}"}
    if problems:
        print("\n".join(problems))
        return 1
    for file, lines in changed.items():
        recs = [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines()]
        recs = [lines.get(k, rec) for k, rec in enumerate(recs)]
        tmp = file.with_name(f".{file.name}.tmp")
        tmp.write_text("".join(json.dumps({key: rec[key] for key in KEYS if key in rec}, ensure_ascii=False) + "\n" for rec in recs),
                       encoding="utf-8")
        os.replace(tmp, file)
    print(f"claims added to {sum(len(v) for v in changed.values())} labels in {len(changed)} files in labels/")
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
