"""The source manifest: where each raw file came from, and proof that ``raw/`` holds those bytes.

``raw/MANIFEST.jsonl`` has one row per raw file (repository, path, commit,
licence as the source states it, retrieval day, the character count the
source reported, and the size and sha256 of the bytes saved), valid against
``schema/manifest.schema.json``. ``raw/POPULATIONS.json`` says how each
population of files was chosen. The datasheet's provenance block is generated
from both, and :func:`manifest_issues` checks every raw file against its row.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .errors import AicorpusError, Issue, shorten
from .inputs import json_line, read_bytes, read_text
from .sources import MAX_BYTES

MANIFEST = "raw/MANIFEST.jsonl"
POPULATIONS = "raw/POPULATIONS.json"
#: Files of raw/ that describe the raw files rather than being documents.
META_FILES = frozenset({"MANIFEST.jsonl", "POPULATIONS.json"})


def read_manifest(root: Path) -> tuple[list[dict], list[Issue]]:
    """The manifest's rows (schema-valid ones only) and the problems found reading it.

    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "raw").mkdir()
    >>> _ = (root / MANIFEST).write_text('{"raw_path": 3}\\n', encoding="utf-8")
    >>> rows, issues = read_manifest(root); rows, sorted({i.rule for i in issues})
    ([], ['required', 'type'])
    """
    return read_manifest_file(Path(root) / MANIFEST, MANIFEST)


def read_manifest_file(path: Path, name: str | None = None) -> tuple[list[dict], list[Issue]]:
    """Rows of one manifest file (named ``name`` in issues), each checked against ``schema/manifest.schema.json``."""
    from .validate import schema_issues

    name = name or path.as_posix()
    if not os.path.lexists(path):
        return [], []
    try:
        text = read_text(path, name, what="the manifest")
    except AicorpusError as exc:  # a link, a FIFO, not UTF-8 ...: refused without reading it
        return [], [exc.issue]
    rows, issues = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json_line(line, name, n)
        except AicorpusError as exc:
            issues.append(exc.issue)
            continue
        found = schema_issues("manifest", row, file=name, line=n)
        issues += found
        if not found:
            rows.append({**row, "_line": n})
    return rows, issues


def read_populations(root: Path) -> dict[str, dict]:
    """Population id -> its description (``raw/POPULATIONS.json``); empty when there is none."""
    path = Path(root) / POPULATIONS
    if not os.path.lexists(path):
        return {}
    text = read_text(path, POPULATIONS, root=Path(root), what="the population file")
    try:
        return {p["id"]: p for p in json.loads(text)["populations"]}
    except (ValueError, RecursionError, KeyError, TypeError) as exc:
        raise AicorpusError(Issue(POPULATIONS, "invalid-populations", f"cannot read the populations: {type(exc).__name__}: {shorten(str(exc))}",
                                  hint='write {"populations": [{"id": ..., "name": ..., "selection": ...}, ...]}')) from None


def file_facts(data: bytes) -> dict:
    """What the manifest records of a file's bytes.

    >>> file_facts("中文".encode())["chars"], file_facts(b"ab")["bytes"]
    (2, 2)
    """
    return {"chars": len(data.decode("utf-8", errors="replace")), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def manifest_issues(root: Path, raw_paths: Iterable[str]) -> list[Issue]:
    """Every raw file has a row, every row a raw file, and the bytes are the ones recorded.

    ``raw_paths`` are the raw documents (relative to ``root``). A reported
    ``total_chars`` that differs from the saved count must be explained in the
    row's ``note``: characters lost in transit are recorded, never silently fixed.
    """
    root = Path(root)
    rows, issues = read_manifest(root)
    populations = read_populations(root)
    by_path: dict[str, dict] = {}
    for row in rows:
        where = dict(file=MANIFEST, line=row["_line"])
        if row["raw_path"] in by_path:
            issues.append(Issue(**where, rule="duplicate-row", message=f"{row['raw_path']} has a row already (line {by_path[row['raw_path']]['_line']})",
                                json_path="$.raw_path", hint="keep one row per raw file"))
            continue
        by_path[row["raw_path"]] = row
        if populations and row["population"] not in populations:
            issues.append(Issue(**where, rule="unknown-population", message=f"population {row['population']!r} is not in {POPULATIONS}",
                                json_path="$.population", hint=f"use one of {', '.join(sorted(populations))}, or describe the new one"))
        if row["total_chars"] is not None and row["total_chars"] != row["chars"] and not row["note"]:
            issues.append(Issue(**where, rule="unexplained-count", message=f"the source reported {row['total_chars']} characters, {row['chars']} were saved",
                                json_path="$.note", hint="read the file again, or say in note what differs"))
    paths = set(raw_paths)
    for path in sorted(paths - by_path.keys()):
        issues.append(Issue(path, "not-in-manifest", "this raw file has no row in the source manifest",
                            hint=f"add a row to {MANIFEST} (scripts/import_stored.py writes one) with its repository, path, commit and licence"))
    for path, row in sorted(by_path.items()):
        where = dict(file=MANIFEST, line=row["_line"])
        if path not in paths:
            issues.append(Issue(**where, rule="missing-raw-file", message=f"{path} is in the manifest but not in raw/", json_path="$.raw_path",
                                hint="restore the file (scripts/fetch_sources.py), or remove the row"))
            continue
        try:
            facts = file_facts(read_bytes(root / path, path, root=root, limit=MAX_BYTES))
        except AicorpusError as exc:  # refused (a link, a FIFO ...): the build reports it too
            issues.append(exc.issue)
            continue
        for key in ("bytes", "sha256", "chars"):
            if facts[key] != row[key]:
                issues.append(Issue(**where, rule="manifest-mismatch", message=f"{path}: {key} is {facts[key]}, the manifest says {row[key]}",
                                    json_path=f"$.{key}", value=shorten(row[key]),
                                    hint="a published raw file must not change; restore it, or record the new version in a new row"))
    return issues


#: Where a row's file is downloaded from: GitHub's raw file host, by repository, commit and path.
RAW_HOST = "https://raw.githubusercontent.com"


def source_url(row: dict, base_url: str = RAW_HOST) -> str | None:
    """The address a row's bytes can be downloaded from, or None where no source is recorded.

    >>> source_url({"repository": "Linux-CN/archive", "commit": "ab" * 20, "source_path": "content/2023/01/15431.md"})[-40:]
    'bababababababab/content/2023/01/15431.md'
    """
    if not (row.get("repository") and row.get("commit") and row.get("source_path")):
        return None
    from urllib.parse import quote

    return f"{base_url.rstrip('/')}/{row['repository']}/{row['commit']}/{quote(row['source_path'])}"


def fetch(root: Path, *, base_url: str = RAW_HOST, force: bool = False, timeout: float = 30.0) -> list[Issue]:
    """Download every manifest row's file that is missing from ``raw/`` (or every file, with ``force``).

    Each download is checked against the row's sha256 before it is written
    (to a temporary name, then renamed), so ``raw/`` never holds bytes the
    manifest does not vouch for. Returns one issue per file that could not be
    restored; the other files are restored all the same.
    """
    from urllib.error import URLError
    from urllib.request import urlopen

    root = Path(root)
    rows, issues = read_manifest(root)
    for row in rows:
        target = root / row["raw_path"]
        if target.exists() and not force:
            continue
        where = dict(file=MANIFEST, line=row["_line"])
        url = source_url(row, base_url)
        if url is None:
            issues.append(Issue(**where, rule="no-source", message=f"{row['raw_path']} is missing and the manifest names no repository to fetch it from",
                                json_path="$.repository", hint="restore the file from a clone of this repository"))
            continue
        try:
            with urlopen(url, timeout=timeout) as response:
                data = response.read(MAX_BYTES + 1)
        except (URLError, OSError, ValueError) as exc:
            issues.append(Issue(**where, rule="fetch-failed", message=f"{url}: {exc}", json_path="$.source_path",
                                hint="check the network, or the repository, commit and path of the row"))
            continue
        facts = file_facts(data)
        if facts["sha256"] != row["sha256"]:
            issues.append(Issue(**where, rule="fetch-mismatch", message=f"{url} has sha256 {facts['sha256'][:12]}…, the manifest says {row['sha256'][:12]}…",
                                json_path="$.sha256", hint="the file was not written; the source changed, or the saved copy was not byte-exact (see note)"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return issues
