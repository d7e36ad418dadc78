"""Hand labels: reading ``labels/*.jsonl``, checking them, and the topic taxonomy.

Labels are data a person wrote after reading each item (see
``labels/GUIDELINES.md``). They hang on item ids, so every check here is
about keeping them attached and exact: the item exists, topics are in the
taxonomy, every claim's evidence is the text at its offsets. A label whose
item disappeared (a converter change) is an error, never silently dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .errors import AicorpusError, Issue, shorten
from .inputs import json_line, read_text
from .validate import SCHEMA_DIR, Located, schema_issues

LABEL_DIR = "labels"
GUIDELINES = "GUIDELINES.md"


@cache
def taxonomy() -> dict:
    """``schema/topics.json``: the topic taxonomy with its version."""
    return json.loads((SCHEMA_DIR / "topics.json").read_text(encoding="utf-8"))


def topic_ids() -> list[str]:
    """Topic ids in taxonomy order (the ClassLabel order of the published ``topics`` column).

    >>> topic_ids()[0]
    'model_release'
    """
    return [t["id"] for t in taxonomy()["topics"]]


def guideline_version(root: Path) -> str:
    """The version the guideline states on its first lines (``Version: 1.0`` or ``version 1.0``).

    Raises :class:`AicorpusError` when the guideline is a link, not a regular file, or not UTF-8.
    """
    head = read_text(Path(root) / LABEL_DIR / GUIDELINES, f"{LABEL_DIR}/{GUIDELINES}", root=Path(root), limit=10_000_000)[:2000]
    m = re.search(r"[Vv]ersion:?\s*\**\s*(\d+\.\d+)", head)
    if not m:
        raise ValueError(f"{LABEL_DIR}/{GUIDELINES} does not state its version near the top")
    return m.group(1)


def label_files(root: Path) -> list[Path]:
    """Every ``labels/*.jsonl`` entry, links and other files that are not regular included: :func:`read_labels` refuses those."""
    return sorted((Path(root) / LABEL_DIR).glob("*.jsonl"))


def read_labels(paths: Iterable[Path], root: Path | None = None) -> tuple[list[Located], list[Issue]]:
    """Parse label files; schema-check each line. Returns the schema-valid labels and the issues.

    A file that is a link, a FIFO or a device is refused without being read, and one that is not UTF-8
    (UTF-16, Latin-1 ...) is an error naming its line; a line that is not JSON, or nested too deeply to
    read, is an error of that line: a bad label file never stops the build, the review or the scorer.
    """
    out, issues = [], []
    for path in paths:
        name = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.as_posix()
        try:
            text = read_text(path, name, root=root, what="the label file")
        except AicorpusError as exc:
            issues.append(exc.issue)
            continue
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json_line(line, name, n)
            except AicorpusError as exc:
                issues.append(exc.issue)
                continue
            found = schema_issues("labels", record, file=name, line=n)
            issues += found
            if not found:
                out.append(Located(record, name, n))
    return out, issues


def label_issues(labels: Iterable[Located], items: dict[str, dict], *, version: str | None = None,
                 require_all: bool = False) -> list[Issue]:
    """Cross-checks of schema-valid labels against the items they label.

    >>> item = {"id": "plaintext-000000000000-00000000", "text": "xAI开源了Grok-1。"}
    >>> claim = {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "unit": None,
    ...          "comparator": "eq", "time": None, "evidence": "xAI开源了Grok", "start": 0, "end": 9, "note": None}
    >>> lab = Located({"item_id": item["id"], "topics": ["open_source"], "claims": [claim]}, "l.jsonl", 1)
    >>> [(i.rule, i.json_path) for i in label_issues([lab], {item["id"]: item})]
    [('span-mismatch', '$.claims[0].evidence')]
    """
    issues: list[Issue] = []
    known_topics = set(topic_ids())
    seen: dict[str, Located] = {}
    for loc in labels:
        lab = loc.record
        iid = lab["item_id"]
        if iid in seen:
            issues.append(Issue(loc.file, "duplicate-label", f"item {iid} is already labeled at {seen[iid].file}:{seen[iid].line}", line=loc.line,
                                json_path="$.item_id", value=iid, hint="keep one label line per item"))
            continue
        seen[iid] = loc
        item = items.get(iid)
        if item is None:
            issues.append(Issue(loc.file, "orphaned-label", f"no item has the id {iid}: a converter change moved or removed it", line=loc.line,
                                json_path="$.item_id", value=iid,
                                hint="find the item's new id (same story) in the build and update the label, or restore the converter behaviour"))
            continue
        if version and lab.get("guideline_version") != version:
            issues.append(Issue(loc.file, "guideline-version", f"label follows guideline {lab.get('guideline_version')}, the guideline is at {version}",
                                line=loc.line, json_path="$.guideline_version", hint="re-read the item against the current guideline and update the label"))
        for k, topic in enumerate(lab["topics"]):
            if topic not in known_topics:
                issues.append(Issue(loc.file, "unknown-topic", f"topic {topic!r} is not in schema/topics.json", line=loc.line,
                                    json_path=f"$.topics[{k}]", value=topic, hint="use a topic id from schema/topics.json"))
        if "non_ai_tech" in lab["topics"] and len(lab["topics"]) > 1:
            issues.append(Issue(loc.file, "exclusive-topic", "non_ai_tech stands alone", line=loc.line, json_path="$.topics",
                                hint="an item with any AI topic is not non_ai_tech (guideline 1.3)"))
        if lab.get("claims_labeled") is False and lab["claims"]:
            issues.append(Issue(loc.file, "claims-not-labeled", "the label says its claims were not labelled, but it lists claims", line=loc.line,
                                json_path="$.claims_labeled", hint="set claims_labeled to true, or remove the claims"))
        text = item["text"]
        for k, c in enumerate(lab["claims"]):
            path = f"$.claims[{k}]"
            if not 0 <= c["start"] < c["end"] <= len(text):
                issues.append(Issue(loc.file, "span-out-of-range", f"span {c['start']}..{c['end']} is outside the item text (length {len(text)})",
                                    line=loc.line, json_path=f"{path}.start", hint="offsets are character offsets into the item's text"))
            elif text[c["start"] : c["end"]] != c["evidence"]:
                issues.append(Issue(loc.file, "span-mismatch", "the text at start..end is not the evidence", line=loc.line, json_path=f"{path}.evidence",
                                    value=shorten(text[c["start"] : c["end"]], 60), hint=f"evidence {shorten(c['evidence'], 40)} must equal text[start:end]"))
            if c["number"] is None and c["unit"] is not None:
                issues.append(Issue(loc.file, "unit-without-number", "unit is set but number is null", line=loc.line, json_path=f"{path}.unit",
                                    value=c["unit"], hint="set number, or unit to null (guideline 2.4)"))
    if require_all:
        for iid in sorted(set(items) - set(seen)):
            issues.append(Issue(f"{LABEL_DIR}/", "unlabeled-item", f"item {iid} has no label", json_path="$.item_id", value=iid,
                                hint="read the item and add its label line (guideline section 4)"))
    return issues


def passing(labels: Iterable[Located], problems: Iterable[Issue]) -> dict[str, dict]:
    """The labels no problem points at, by item id: what is published and scored (the others are reported)."""
    bad = {(i.file, i.line) for i in problems}
    return {loc.record["item_id"]: loc.record for loc in labels if (loc.file, loc.line) not in bad}
