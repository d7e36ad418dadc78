"""Draw the double-annotation sample: items stratified over sources and splits, none cited in the guideline.

    python scripts/sample_agreement.py            # writes labels/agreement/sample.txt

Strata are source and layout (linux.cn, AI daily news, AI daily trending entries, AI daily 快讯, the seed
documents) crossed with the split; each stratum gets the count in SIZES, drawn with a fixed seed. An item is
*cited* when the guideline or the taxonomy names its id or title or quotes 8 or more characters of its text:
cited items are never in the sample, since the guideline would have given their answers away.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from annotate import published  # noqa: E402

SEED = 20261202
#: items per stratum and split (train, validation, test); a stratum smaller than asked is taken whole
SIZES = {"linuxcn": (36, 17, 17), "aidaily-news": (16, 10, 10), "aidaily-trending": (16, 10, 10), "aidaily-quick": (3, 3, 3),
         "seeds": (5, 5, 5)}


def stratum(item: dict) -> str:
    if item["format"] == "aidaily":
        section = item["section"] or ""
        return "aidaily-trending" if "trending" in section.lower() else "aidaily-quick" if "快讯" in section else "aidaily-news"
    return "linuxcn" if item["format"] == "linuxcn" and not item["id"].startswith("linuxcn-15754-") else "seeds"


def cited(items: dict[str, dict]) -> set[str]:
    guideline = (ROOT / "labels" / "GUIDELINES.md").read_text(encoding="utf-8")
    taxonomy = (ROOT / "schema" / "topics.json").read_text(encoding="utf-8")
    quotes = [q for q in re.findall(r"`([^`\n]+)`", guideline) if len(q) >= 8]
    quotes += [q for q in re.findall(r'"([^"\n]+)"', taxonomy) if len(q) >= 8]
    whole = guideline + taxonomy
    out = set()
    for iid, it in items.items():
        if iid in whole or (it["title"] and len(it["title"]) >= 4 and it["title"] in whole) or any(q in it["text"] for q in quotes):
            out.add(iid)
    return out


def main() -> int:
    items = published()
    excluded = cited(items)
    rng = random.Random(SEED)
    sample = []
    for name, sizes in SIZES.items():
        for split, k in zip(("train", "validation", "test"), sizes):
            pool = sorted(i for i, it in items.items() if stratum(it) == name and it["split"] == split and i not in excluded)
            sample += [(i, name, split) for i in rng.sample(pool, min(k, len(pool)))]
    out = ROOT / "labels" / "agreement" / "sample.txt"
    out.write_text("".join(f"{i}\t{name}\t{split}\n" for i, name, split in sample), encoding="utf-8")
    print(f"{len(sample)} items ({len(excluded)} cited items excluded) -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
