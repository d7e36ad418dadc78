"""What changed between two builds of the dataset, for the data changelog.

A build is read from its published Parquet files: a project or ``splits/``
folder, or ``git:REF`` for the files committed at a git revision (a past
release). :func:`diff` compares two builds item by item: added, removed,
moved between splits (which a release must never do), newly labeled,
relabeled, unlabeled; and counts items per split and per source.
"""

from __future__ import annotations

import io
import json
import subprocess
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from .splits import SPLITS

_COLUMNS = ["id", "document_id", "label_version", "topics", "claims"]


def snapshot(where: str | Path) -> dict[str, dict]:
    """Item id -> ``{split, source, label}`` of the build at ``where`` (a folder, or ``git:REF``).

    ``label`` is None for an unlabeled item, else the guideline version, the
    topic names and the claims, comparable across taxonomy versions.
    """
    tables = {split: _read(where, f"items/{split}-00000-of-00001.parquet") for split in SPLITS}
    documents = _read(where, "documents/train-00000-of-00001.parquet")
    source = dict(zip(documents.column("id").to_pylist(), documents.column("source").to_pylist())) if documents is not None else {}
    out: dict[str, dict] = {}
    for split, table in tables.items():
        if table is None:
            continue
        names = _topic_names(table)
        for row in table.select([c for c in _COLUMNS if c in table.column_names]).to_pylist():
            label = None
            if row.get("label_version"):
                label = {"version": row["label_version"], "topics": [names[t] for t in row["topics"]],
                         "claims": json.dumps(row["claims"], sort_keys=True, ensure_ascii=False)}
            out[row["id"]] = {"split": split, "source": source.get(row["document_id"], "unknown"), "label": label}
    return out


def _read(where: str | Path, name: str):
    """One Parquet file of a build, or None when the build has no such file."""
    where = str(where)
    if where.startswith("git:"):
        ref = where[4:]
        done = subprocess.run(["git", "show", f"{ref}:splits/{name}"], capture_output=True)
        return pq.read_table(io.BytesIO(done.stdout)) if done.returncode == 0 else None
    folder = Path(where)
    if (folder / "splits").is_dir():
        folder = folder / "splits"
    path = folder / name
    return pq.read_table(path) if path.exists() else None


def _topic_names(table) -> list[str]:
    meta = json.loads((table.schema.metadata or {}).get(b"huggingface", b"{}"))
    topics = meta.get("info", {}).get("features", {}).get("topics", {})
    inner = topics.get("feature", {})  # datasets' List(ClassLabel): {"feature": {"names": [...]}, "_type": "List"}
    return inner.get("names", [])


def diff(old: dict[str, dict], new: dict[str, dict]) -> dict:
    """Item-level changes from ``old`` to ``new`` (two :func:`snapshot` results).

    >>> a = {"x": {"split": "train", "source": "s", "label": None}, "y": {"split": "test", "source": "s", "label": None}}
    >>> b = {"x": {"split": "test", "source": "s", "label": None}, "z": {"split": "train", "source": "t", "label": None}}
    >>> d = diff(a, b)
    >>> d["added"], d["removed"], d["moved"], d["splits"]["test"]
    (['z'], ['y'], [{'id': 'x', 'from': 'train', 'to': 'test'}], {'old': 1, 'new': 1})
    """
    kept = sorted(old.keys() & new.keys())
    changes = {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()),
               "moved": [{"id": i, "from": old[i]["split"], "to": new[i]["split"]} for i in kept if old[i]["split"] != new[i]["split"]],
               "labeled": [], "relabeled": [], "unlabeled": []}
    for i in kept:
        a, b = old[i]["label"], new[i]["label"]
        if a is None and b is not None:
            changes["labeled"].append(i)
        elif a is not None and b is None:
            changes["unlabeled"].append(i)
        elif a != b:
            changes["relabeled"].append(i)
    for key, field in (("splits", "split"), ("sources", "source")):
        before, after = Counter(v[field] for v in old.values()), Counter(v[field] for v in new.values())
        names = list(SPLITS) if key == "splits" else sorted(before.keys() | after.keys())
        changes[key] = {n: {"old": before[n], "new": after[n]} for n in names}
    changes["labeled_items"] = {"old": sum(v["label"] is not None for v in old.values()),
                                "new": sum(v["label"] is not None for v in new.values())}
    return changes


def render(changes: dict, old: str, new: str) -> str:
    """The changes as Markdown: the summary a data changelog quotes."""
    def table(key: str, title: str) -> list[str]:
        rows = [f"| {title} | {old} | {new} | change |", "|---|---|---|---|"]
        for name, c in changes[key].items():
            rows.append(f"| {name} | {c['old']} | {c['new']} | {c['new'] - c['old']:+d} |")
        return rows

    counts = ", ".join(f"{len(changes[k])} {k}" for k in ("added", "removed", "moved", "labeled", "relabeled", "unlabeled"))
    lines = [f"Items from `{old}` to `{new}`: {counts}.", ""]
    lines += table("splits", "split") + [""] + table("sources", "source") + [""]
    lab = changes["labeled_items"]
    lines.append(f"Items with a hand label: {lab['old']} → {lab['new']}.")
    for key in ("removed", "moved", "relabeled", "unlabeled"):  # the rare changes are listed one by one
        if changes[key]:
            lines += ["", f"{key.capitalize()}:", ""]
            lines += [f"- `{x['id']}`: {x['from']} → {x['to']}" if isinstance(x, dict) else f"- `{x}`" for x in changes[key]]
    return "\n".join(lines) + "\n"
