"""Annotation helper: show items to read, and turn an annotator's draft labels into label lines.

    python scripts/annotate.py show BATCH.txt               # the items, as an annotator reads them
    python scripts/annotate.py fill DRAFT.jsonl -o OUT.jsonl --annotator a1 [--batch BATCH.txt]

A batch file has one item id a line, optionally followed by a tab and ``topics`` (label the topics only,
``claims_labeled: false``) or ``claims`` (topics and claims, the default).

A draft line is a label without offsets: {"item_id", "topics", "claims_labeled", "claims": [{"subject",
"predicate", "value", "number", "unit", "comparator", "time", "evidence", "note"}]}. A claim may add
"occurrence": N when its evidence occurs more than once in the text (1 = the first). ``fill`` finds each
evidence string in the item's text, sets start/end, adds the guideline version and the annotator, orders
the claims, and checks every line as the build will (schema and cross-checks). Lines with problems are
reported with the draft's line number and left out of OUT; fix the draft and run it again.

The tool computes offsets and checks spans; it never decides a label.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from aicorpus.labels import guideline_version, label_issues  # noqa: E402
from aicorpus.validate import Located, schema_issues  # noqa: E402

CLAIM_KEYS = ("subject", "predicate", "value", "number", "unit", "comparator", "time", "evidence", "start", "end", "note")


def published(root: Path = ROOT) -> dict[str, dict]:
    """Every published item by id (from the Parquet splits), with its split."""
    import pyarrow.parquet as pq

    out = {}
    for split in ("train", "validation", "test"):
        path = root / "splits" / "items" / f"{split}-00000-of-00001.parquet"
        for row in pq.read_table(path, columns=["id", "format", "section", "title", "subtitle", "text"]).to_pylist():
            out[row["id"]] = {**row, "split": split}
    return out


def read_batch(path: Path) -> dict[str, bool]:
    """Item id -> whether its claims are to be labelled, in batch order."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            iid, *rest = line.split("\t")
            out[iid.strip()] = not (rest and rest[0].strip() == "topics")
    return out


def show(batch: dict[str, bool], items: dict[str, dict]) -> str:
    """The items as an annotator reads them: id, what to label, where it sits, title, then the text."""
    blocks = []
    for n, (iid, with_claims) in enumerate(batch.items(), start=1):
        it = items[iid]
        head = f"### {n}. {iid}  [{it['format']}{' / ' + it['section'] if it['section'] else ''}]"
        todo = "LABEL: topics and claims" if with_claims else "LABEL: topics only (claims_labeled: false, claims: [])"
        lines = [head, todo, f"title: {it['title'] or '(none)'}"]
        if it["subtitle"]:
            lines.append("subtitle (not labelled): " + it["subtitle"].replace("\n", " | "))
        lines += ["text:", it["text"], ""]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _offsets(text: str, evidence: str, occurrence: int | None) -> tuple[int, int] | str:
    """Start and end of ``evidence`` in ``text``; an error message when it is absent or ambiguous."""
    found, at = [], text.find(evidence)
    while at != -1:
        found.append(at)
        at = text.find(evidence, at + 1)
    if not found:
        return "evidence not found in the text: copy it from the text exactly"
    if occurrence is None and len(found) > 1:
        return f"evidence occurs {len(found)} times: add \"occurrence\": N (1 = first) to say which"
    k = (occurrence or 1) - 1
    if not 0 <= k < len(found):
        return f"occurrence {occurrence} but the evidence occurs {len(found)} times"
    return found[k], found[k] + len(evidence)


def fill(draft: Path, out: Path, annotator: str, items: dict[str, dict], root: Path = ROOT, batch: dict[str, bool] | None = None) -> int:
    """Write the finished labels of ``draft`` to ``out``; print each problem; return how many lines failed.

    With ``batch``, also check that the draft labels exactly the batch's items, claims where asked.
    """
    version = guideline_version(root)
    good, failed = [], 0
    seen: set[str] = set()
    for n, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        problems = []
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"{draft}:{n}: not valid JSON: {exc}")
            failed += 1
            continue
        item = items.get(rec.get("item_id"))
        if item is None:
            print(f"{draft}:{n}: no published item has id {rec.get('item_id')!r}")
            failed += 1
            continue
        seen.add(item["id"])
        if batch is not None:
            if item["id"] not in batch:
                problems.append("this item is not in the batch")
            elif batch[item["id"]] != rec.get("claims_labeled", True):
                problems.append(f"claims_labeled must be {str(batch[item['id']]).lower()} for this item (see the batch)")
        claims = []
        for k, c in enumerate(rec.get("claims") or []):
            where = _offsets(item["text"], c.get("evidence") or "", c.get("occurrence"))
            if isinstance(where, str):
                problems.append(f"claims[{k}]: {where} ({c.get('evidence')!r})")
                continue
            claims.append({**{key: c.get(key) for key in CLAIM_KEYS}, "start": where[0], "end": where[1]})
        label = {"item_id": rec["item_id"], "topics": rec.get("topics"), "claims": sorted(claims, key=lambda c: (c["start"], c["end"])),
                 "claims_labeled": rec.get("claims_labeled", True), "guideline_version": version, "annotator": annotator}
        issues = schema_issues("labels", label, file=str(draft), line=n)
        if not issues:
            issues = label_issues([Located(label, str(draft), n)], {item["id"]: item}, version=version)
        problems += [i.format().split(": ", 1)[1] for i in issues]
        if problems:
            failed += 1
            for p in problems:
                print(f"{draft}:{n}: {rec['item_id']}: {p}")
            continue
        good.append(label)
    if batch is not None:
        for iid in batch:
            if iid not in seen:
                print(f"{draft}: {iid}: the batch's item has no line in the draft")
                failed += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in good), encoding="utf-8")
    tmp.replace(out)
    print(f"{len(good)} labels written to {out}; {failed} draft lines with problems")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("show", help="print the items of a batch file (one id a line)")
    p.add_argument("batch", type=Path)
    p = sub.add_parser("fill", help="compute offsets, add version and annotator, check every line")
    p.add_argument("draft", type=Path)
    p.add_argument("-o", "--out", type=Path, required=True)
    p.add_argument("--annotator", required=True)
    p.add_argument("--batch", type=Path, help="the batch file: check that every item is labelled as it asks")
    args = parser.parse_args(argv)
    items = published()
    if args.command == "show":
        print(show(read_batch(args.batch), items))
        return 0
    return 1 if fill(args.draft, args.out, args.annotator, items, batch=read_batch(args.batch) if args.batch else None) else 0


if __name__ == "__main__":
    sys.exit(main())
