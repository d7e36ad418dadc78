"""Adjudication of double annotation: show where two annotators differ, and keep the log of decisions.

    python scripts/adjudicate.py show A.jsonl B.jsonl            # the items whose labels differ, side by side
    python scripts/adjudicate.py log A.jsonl B.jsonl FINAL.jsonl REASONS.jsonl -o LOG.jsonl

An item whose two labels agree exactly (same topics in the same order, and claims that match one to one
under the benchmark's strict rule with the same evidence) needs no decision: its final label is annotator
a's. Every other item is read again by an adjudicator against the guideline, who writes its final label (a
draft for ``annotate.py fill``) and one reason line ``{"item_id": ..., "reason": ...}``. ``log`` joins both
annotators' versions, the decision and the reason into the adjudication log, one line per differing item,
and refuses to write it while a differing item lacks a final label or a reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from aicorpus.bench.metrics import claim_counts, load_aliases  # noqa: E402
from annotate import published  # noqa: E402


def read(path: Path) -> dict[str, dict]:
    return {r["item_id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}


def same(a: dict, b: dict, aliases: dict[str, str]) -> bool:
    """True when two labels need no decision: same topics in order, and every claim matched strictly on the same span."""
    if a["topics"] != b["topics"] or len(a["claims"]) != len(b["claims"]):
        return False
    if not a["claims"]:
        return True
    strict = claim_counts([a["claims"]], [b["claims"]], aliases=aliases)["strict"][0]
    spans_a = sorted((c["start"], c["end"]) for c in a["claims"])
    spans_b = sorted((c["start"], c["end"]) for c in b["claims"])
    return int(strict[0]) == len(a["claims"]) and spans_a == spans_b


def _claim(c: dict) -> str:
    num = f" ({c['comparator']})" if c["number"] is None else f" = {c['number']:g} {c['unit'] or ''} ({c['comparator']})"
    extra = "".join(f"; {k} {c[k]}" for k in ("time", "note") if c.get(k))
    return f"    {c['subject']} | {c['predicate']} | {c['value']}{num}{extra}\n      «{c['evidence']}» [{c['start']}:{c['end']}]"


def show(a: dict[str, dict], b: dict[str, dict], items: dict[str, dict], aliases: dict[str, str]) -> str:
    out = []
    for iid in a:
        if iid not in b or same(a[iid], b[iid], aliases):
            continue
        it = items[iid]
        out.append(f"### {iid}  [{it['format']}{' / ' + it['section'] if it['section'] else ''}]\ntitle: {it['title']}\ntext:\n{it['text']}")
        for name, lab in (("a", a[iid]), ("b", b[iid])):
            out.append(f"  {name} ({lab['annotator']}): topics {lab['topics']}")
            out += [_claim(c) for c in lab["claims"]]
        out.append("")
    return "\n".join(out)


def log(a: dict[str, dict], b: dict[str, dict], final: dict[str, dict], reasons: dict[str, dict], aliases: dict[str, str]) -> list[dict]:
    rows, missing = [], []
    for iid in a:
        if iid not in b or same(a[iid], b[iid], aliases):
            continue
        if iid not in final or iid not in reasons:
            missing.append(iid)
            continue
        keep = ("topics", "claims")
        rows.append({"item_id": iid, "a": {k: a[iid][k] for k in keep} | {"annotator": a[iid]["annotator"]},
                     "b": {k: b[iid][k] for k in keep} | {"annotator": b[iid]["annotator"]},
                     "decision": {k: final[iid][k] for k in keep}, "reason": reasons[iid]["reason"]})
    if missing:
        raise SystemExit(f"{len(missing)} differing items have no final label or no reason: {', '.join(missing[:10])}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("show")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p = sub.add_parser("log")
    for name in ("a", "b", "final", "reasons"):
        p.add_argument(name, type=Path)
    p.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    aliases = load_aliases()
    a, b = read(args.a), read(args.b)
    if args.command == "show":
        print(show(a, b, published(), aliases))
        return 0
    rows = log(a, b, read(args.final), read(args.reasons), aliases)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} decisions logged in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
