"""Draw the audit sample of the second claims pass: items drawn at random from each annotator's items with claims.

    python scripts/sample_audit.py        # writes labels/agreement/audit_pass2_sample.txt

The second pass (``labels/agreement/pass2.jsonl``) was labelled by one annotator per batch, with no second
reading of its claims: an auditor re-reads a sample of them against the guideline. PER_ANNOTATOR items are
drawn from each annotator's items that have at least one claim (an item without claims says little about
how claims were written), with a fixed seed, so the sample is the same on every run.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261203
PER_ANNOTATOR = 4


def draw(rows: list[dict], per_annotator: int = PER_ANNOTATOR, seed: int = SEED) -> list[tuple[str, str]]:
    """(item id, annotator) pairs: ``per_annotator`` items with claims from each annotator, in annotator order.

    >>> rows = [{"item_id": f"i{k}", "annotator": "c1" if k < 5 else "c2", "claims": [{}] if k % 2 else []} for k in range(10)]
    >>> draw(rows, 2, seed=0)
    [('i1', 'c1'), ('i3', 'c1'), ('i5', 'c2'), ('i7', 'c2')]
    """
    rng = random.Random(seed)
    out = []
    for annotator in sorted({r["annotator"] for r in rows}):
        pool = sorted(r["item_id"] for r in rows if r["annotator"] == annotator and r["claims"])
        out += [(i, annotator) for i in sorted(rng.sample(pool, min(per_annotator, len(pool))))]
    return out


def main() -> int:
    folder = ROOT / "labels" / "agreement"
    rows = [json.loads(line) for line in (folder / "pass2.jsonl").read_text(encoding="utf-8").splitlines()]
    sample = draw(rows)
    out = folder / "audit_pass2_sample.txt"
    out.write_text("".join(f"{i}\t{a}\n" for i, a in sample), encoding="utf-8")
    print(f"{len(sample)} items -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
