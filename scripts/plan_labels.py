"""Plan the labelling of release 0.2.0: which items get claims, and the annotators' batches.

    python scripts/plan_labels.py            # writes labels/PLAN.tsv and /work/annot/batches (not committed)
    python scripts/plan_labels.py --second-pass   # the rest of train: /work/annot2/batches c1..c6, PLAN.tsv's pass column

Every item gets topics. Claims are labelled on every validation and test item, on the double-annotation
sample, and on the train items whose sha256("claims:" + id) falls in the lower half (a deterministic half of
train, independent of source and content; salted, since the split itself was drawn from sha256(id)). Items of the sample are left out of the batches (they are adjudicated).
Batches hold BATCH_SIZE items in id order, so that the items of one document sit together.

The second pass (release 0.3.0) labels the claims of the train items the first left at topics only, so
that every item has its claims: the train rows whose task was ``topics``, in PLAN order, cut into
SECOND_PASS_BATCHES batches, one annotator each; ``scripts/merge_labels.py --add-claims`` adds their claims
to the published labels. PLAN.tsv then says ``claims`` for those items and ``2`` in its ``pass`` column.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from annotate import published  # noqa: E402

BATCH_SIZE = 50
SECOND_PASS_BATCHES = 6


def claims_wanted(item_id: str, split: str) -> bool:
    """Validation and test always; train for the half of ids whose salted sha256 starts below 8.

    >>> claims_wanted("x", "test"), claims_wanted("linuxcn-15431-5e12fd23", "train") in (True, False)
    (True, True)
    """
    return split != "train" or int(hashlib.sha256(f"claims:{item_id}".encode()).hexdigest()[0], 16) < 8


def second_pass(plan: Path = ROOT / "labels" / "PLAN.tsv", out: Path = Path("/work/annot2/batches")) -> int:
    lines = plan.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:]]
    if "pass" in header:
        print(f"{plan} already has its second pass")
        return 1
    todo = [r[0] for r in rows if r[1] == "train" and r[2] == "topics"]
    size = -(-len(todo) // SECOND_PASS_BATCHES)
    out.mkdir(parents=True, exist_ok=True)
    for k in range(SECOND_PASS_BATCHES):
        (out / f"c{k + 1}.txt").write_text("".join(f"{iid}\tclaims\n" for iid in todo[k * size:(k + 1) * size]), encoding="utf-8")
    second = set(todo)
    rows = [[r[0], r[1], "claims", r[3], "2" if r[0] in second else "1"] for r in rows]
    tmp = plan.with_name(f".{plan.name}.tmp")
    tmp.write_text("\t".join([*header, "pass"]) + "\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(plan)
    print(f"{len(todo)} train items in {SECOND_PASS_BATCHES} batches of {size} in {out}")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--second-pass"]:
        return second_pass()
    items = published()
    sample = {line.split("\t")[0] for line in (ROOT / "labels" / "agreement" / "sample.txt").read_text(encoding="utf-8").splitlines() if line}
    rows = [(iid, it["split"], "claims" if iid in sample or claims_wanted(iid, it["split"]) else "topics", "sample" if iid in sample else "single")
            for iid, it in sorted(items.items())]
    (ROOT / "labels" / "PLAN.tsv").write_text("item_id\tsplit\ttask\tannotation\n" + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    todo = [r for r in rows if r[3] == "single"]
    out = Path("/work/annot/batches")
    out.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(todo), BATCH_SIZE):
        (out / f"s{k // BATCH_SIZE + 1:02d}.txt").write_text("".join(f"{r[0]}\t{r[2]}\n" for r in todo[k : k + BATCH_SIZE]), encoding="utf-8")
    train = [r for r in rows if r[1] == "train"]
    print(f"{len(rows)} items; claims on {sum(r[2] == 'claims' for r in rows)} (train {sum(r[2] == 'claims' for r in train)} of {len(train)}); "
          f"{len(todo)} items in {-(-len(todo) // BATCH_SIZE)} batches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
