"""Score the claim pipeline on validation alone, the way changes to it are judged: never on test.

    python scripts/claims_validation.py                          # ClaimPipeline with its defaults
    python scripts/claims_validation.py --set subject_weight=0   # a parameter changed (JSON values)
    python scripts/claims_validation.py --out a.jsonl            # also write the predictions, to compare two runs:
    aicorpus bench compare --task claims --split validation a.jsonl b.jsonl

The validation documents are cut into two halves (by a hash of the document id, so an item's neighbours
stay together). For each half the pipeline is fitted on train, tunes its thresholds on the *other* half
(and refits on train + that half, as ``fit(eval_set=...)`` does for the official run), then predicts this
half. The strict counts of both halves are summed: every validation item is scored by a model that did
not tune on it, so the figure is not the optimistic one that tuning and scoring on the same items give.
The test split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aicorpus.bench.baselines import CLAIM_BASELINES  # noqa: E402
from aicorpus.bench.metrics import claim_scores, load_aliases  # noqa: E402
from aicorpus.bench.runner import labeled_items, task_items  # noqa: E402


def halves(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Two halves of ``items`` by a hash of each item's document id (the id without its last part).

    >>> a, b = halves([{"id": f"doc{k}-{part}"} for k in range(10) for part in "xy"])
    >>> len(a), len(b)
    (16, 4)
    >>> all({"id": r["id"][:-1] + "y"} in a for r in a)  # a document's items stay together
    True
    """
    def side(r: dict) -> int:
        return int(hashlib.sha256(r["id"].rsplit("-", 1)[0].encode()).hexdigest(), 16) % 2

    return [r for r in items if side(r) == 0], [r for r in items if side(r) == 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", default="pipeline_learned", choices=["pipeline_learned", "pipeline_lexicon"])
    ap.add_argument("--set", action="append", default=[], metavar="NAME=JSON", help="a constructor parameter")
    ap.add_argument("--out", type=Path, help="write every validation item's predictions here (JSONL, as for bench score)")
    args = ap.parse_args(argv)
    params = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
    items = task_items("claims", labeled_items(ROOT))
    train = [r for r in items if r["split"] == "train"]
    parts = halves([r for r in items if r["split"] == "validation"])
    aliases = load_aliases()
    total = {"tp": 0, "n_pred": 0, "n_gold": 0}
    predicted: dict[str, list] = {}
    for h in (0, 1):
        tune = parts[1 - h]
        model = CLAIM_BASELINES[args.baseline](**params)
        model.fit(train, [r["claims"] for r in train], eval_set=(tune, [r["claims"] for r in tune]))
        pred = model.predict(parts[h])
        predicted.update((r["id"], claims) for r, claims in zip(parts[h], pred))
        strict = claim_scores([r["claims"] for r in parts[h]], pred, aliases=aliases)["strict"]
        print(f"half {h}: {len(parts[h])} items, thresholds {model.quantity_threshold_}/{model.clause_threshold_}: "
              f"{strict['tp']} matched of {strict['n_pred']} predicted and {strict['n_gold']} gold")
        for k in total:
            total[k] += strict[k]
    f1 = 2 * total["tp"] / max(1, total["n_pred"] + total["n_gold"])
    print(f"{args.baseline} {params or ''} validation strict F1 {f1:.4f} "
          f"({total['tp']} matched of {total['n_pred']} predicted and {total['n_gold']} gold)")
    if args.out:  # a temporary file renamed into place: an interrupted run leaves no half-written file
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text("".join(json.dumps({"item_id": k, "claims": predicted[k]}, ensure_ascii=False) + "\n"
                               for k in sorted(predicted)), encoding="utf-8")
        tmp.replace(args.out)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
