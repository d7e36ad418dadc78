"""What a pull request may not change in the published data, checked against the base branch (``check --base``).

A pull request's own ``splits/`` cannot be the reference: its author can rebuild it,
edit the split lock, or edit a published raw file and rebuild, and ``check`` then only
confirms that the outputs follow from the (edited) inputs. So the fresh build of the
pull request is compared with the data published at a git ref, normally the branch the
pull request goes into:

- every document published there is published here, from the same raw path with the
  same bytes (a document cannot be taken over, moved or edited in place);
- every item published there is published here with the same id and in the same split,
  and the items of each near-duplicate cluster there are still in one cluster here (a
  cluster may only grow);
- every split-lock entry there is here with the same split (the lock only grows);
- no new item has a near-duplicate (TF-IDF cosine at or above
  :data:`aicorpus.dedup.THRESHOLD`, computed for every pair of a new item with every
  item, not only for the pairs the build's blocking compares) in another split.

The base is read with ``git show``; nothing is checked out.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

from .errors import AicorpusError, Issue

LOCK, CLUSTERS = "split-lock.jsonl", "near-duplicates.jsonl"
SPLITS = ("train", "validation", "test")
#: New items compared with the whole corpus (after exact copies are folded): beyond this a pull request is too large
#: to review here and must be split; at 1,000,000 items each new item costs a sparse row product with all of them.
MAX_NEW_ITEMS = 50_000
LISTED = 50  # problems listed one by one per kind; the rest are counted


def _git(root: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


class Published:
    """The published data of one build: documents, items with their split, the lock and the clusters."""

    def __init__(self, documents: list[dict], items: dict[str, str], lock: dict[str, str], clusters: list[list[str]]):
        self.documents = {d["id"]: d for d in documents}
        self.items = items
        self.lock = lock
        self.clusters = clusters


def _parse_lock(text: str, name: str) -> dict[str, str]:
    lock = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                row = json.loads(line)
                lock[row["item_id"]] = row["split"]
            except (ValueError, KeyError, TypeError) as exc:
                raise AicorpusError(Issue(name, "invalid-lock", f"line {n} of the split lock cannot be read: {exc}", line=n,
                                          hint="restore the lock from git")) from None
    return lock


def _parquet_rows(data: bytes, columns: list[str]) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(data), columns=columns).to_pylist()


def at_ref(root: Path, ref: str, out_dir: str = "splits") -> Published | None:
    """What is published at git ``ref`` (None when nothing is: a first publication); an error for an unknown ref."""
    if ref.startswith("-") or _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}") is None:
        raise AicorpusError(Issue(f"git:{ref}", "unknown-base", f"git knows no commit {ref!r} in {Path(root).as_posix()}",
                                  hint="fetch the base branch first (git fetch origin main) and name it as origin/main"))
    listing = _git(root, "ls-tree", "-r", "--name-only", ref, "--", f"{out_dir}/")
    names = (listing or b"").decode("utf-8", "replace").splitlines()
    if f"{out_dir}/{LOCK}" not in names:
        return None

    def show(name: str) -> bytes:
        data = _git(root, "show", f"{ref}:./{name}")
        if data is None:
            raise AicorpusError(Issue(f"git:{ref}:{name}", "unreadable-base", f"git cannot show {name} at {ref}", hint="check the ref"))
        return data

    documents, items = [], {}
    for name in sorted(names):
        folder, _, file = name.removeprefix(f"{out_dir}/").partition("/")
        if not file.endswith(".parquet"):
            continue
        if folder == "documents":
            documents += _parquet_rows(show(name), ["id", "raw_path", "raw_sha256"])
        elif folder == "items":
            split = file.split("-", 1)[0]
            items.update((row["id"], split) for row in _parquet_rows(show(name), ["id"]))
    lock = _parse_lock(show(f"{out_dir}/{LOCK}").decode("utf-8"), f"git:{ref}:{out_dir}/{LOCK}")
    clusters = []
    if f"{out_dir}/{CLUSTERS}" in names:
        clusters = [json.loads(line) for line in show(f"{out_dir}/{CLUSTERS}").decode("utf-8").splitlines() if line.strip()]
    return Published(documents, items, lock, clusters)


def in_folder(out: Path) -> tuple[Published, dict[str, dict]]:
    """A build in a folder (the fresh build of ``check``): its published data, and every item's id, split, title and text."""
    import pyarrow.parquet as pq

    out = Path(out)
    documents = [row for p in sorted((out / "documents").glob("*.parquet"))
                 for row in pq.read_table(p, columns=["id", "raw_path", "raw_sha256"]).to_pylist()]
    rows: dict[str, dict] = {}
    for p in sorted((out / "items").glob("*.parquet")):
        split = p.name.split("-", 1)[0]
        for row in pq.read_table(p, columns=["id", "title", "text"]).to_pylist():
            rows[row["id"]] = {**row, "split": split}
    lock = _parse_lock((out / LOCK).read_text(encoding="utf-8"), LOCK) if (out / LOCK).exists() else {}
    clusters = [json.loads(line) for line in (out / CLUSTERS).read_text(encoding="utf-8").splitlines() if line.strip()] \
        if (out / CLUSTERS).exists() else []
    return Published(documents, {i: r["split"] for i, r in rows.items()}, lock, clusters), rows


def base_issues(root: Path, fresh_out: Path, ref: str, out_dir: str = "splits") -> list[Issue]:
    """Every way the fresh build in ``fresh_out`` breaks a promise made by the data published at ``ref``."""
    root = Path(root)
    try:
        base = at_ref(root, ref, out_dir)
    except AicorpusError as exc:
        return [exc.issue]
    if base is None:
        return []
    new, rows = in_folder(fresh_out)
    where = f"at {ref}"
    issues: list[Issue] = []
    lock_file, items_file = f"{out_dir}/{LOCK}", f"{out_dir}/items/"

    def listed(found: list[Issue], what: str) -> list[Issue]:
        if len(found) <= LISTED:
            return found
        rest = len(found) - LISTED
        return found[:LISTED] + [Issue(found[0].file, found[0].rule, f"... and {rest} more {what}", hint=found[0].hint)]

    docs = []
    for doc_id, old in sorted(base.documents.items()):
        now = new.documents.get(doc_id)
        if now is None:
            docs.append(Issue(old["raw_path"], "published-document-gone", f"document {doc_id}, published {where} from {old['raw_path']}, "
                              "is not published here", json_path="$.id", value=doc_id,
                              hint="restore its raw file; a published document is never removed by a pull request"))
        elif now["raw_path"] != old["raw_path"]:
            docs.append(Issue(now["raw_path"], "published-document-moved", f"document {doc_id} is published {where} from "
                              f"{old['raw_path']}, here from {now['raw_path']}: a published id stays with its raw file",
                              json_path="$.raw_path", value=doc_id, hint=f"keep {old['raw_path']} and remove {now['raw_path']}"))
        elif now["raw_sha256"] != old["raw_sha256"]:
            docs.append(Issue(now["raw_path"], "published-raw-changed", f"{now['raw_path']} is published {where} with other bytes "
                              f"(sha256 {old['raw_sha256'][:12]}…, here {now['raw_sha256'][:12]}…)", json_path="$.raw_sha256",
                              hint="a published raw file is never edited; restore it (a correction is a maintainer's release)"))
    issues += listed(docs, "published documents changed")

    moved = []
    for iid, split in sorted(base.items.items()):
        now = new.items.get(iid)
        if now is None:
            moved.append(Issue(items_file, "published-item-gone", f"item {iid}, published in {split} {where}, is not published here",
                               json_path="$.id", value=iid, hint="a published item keeps its id: restore the text or the converter that gave it"))
        elif now != split:
            moved.append(Issue(items_file, "published-item-moved", f"item {iid} is published in {split} {where}, here in {now}",
                               json_path="$.id", value=iid, hint=f"a published item never changes split: restore {lock_file}"))
    issues += listed(moved, "published items changed")

    locked = []
    for iid, split in sorted(base.lock.items()):
        now = new.lock.get(iid)
        if now != split:
            locked.append(Issue(lock_file, "lock-changed", f"the lock gives {iid} the split {split} {where}, "
                                + ("and has no entry for it here" if now is None else f"here {now}"),
                                json_path="$.split", value=iid, hint=f"the lock only grows: restore {lock_file} from {ref} and build again"))
    issues += listed(locked, "lock entries changed")

    cluster_of = {i: n for n, c in enumerate(new.clusters) for i in c}
    split_up = []
    for cluster in base.clusters:
        present = [i for i in cluster if i in new.items]
        if len({cluster_of.get(i, ("alone", i)) for i in present}) > 1:
            split_up.append(Issue(f"{out_dir}/{CLUSTERS}", "cluster-split", f"the near-duplicate cluster {', '.join(cluster)} {where} "
                                  "is split up here", json_path="$", hint="a cluster may only grow: restore the text or the code that separated them"))
    issues += listed(split_up, "clusters split up")

    issues += listed(_near_copies(rows, set(base.lock), items_file, where), "near-copies")
    return issues


def _near_copies(rows: dict[str, dict], locked: set[str], items_file: str, where: str) -> list[Issue]:
    """New items (not in the base lock) with a near-duplicate, new or published, in another split.

    The cosine is the build's (TF-IDF over every item of this build, so the same IDF), but for every pair of
    a new item with any item: the build's blocking never compares items whose terms are all common, which
    a flood of copies arranges. Exact copies are folded first, so that a flood costs one row.
    """
    import numpy as np

    from . import dedup

    ids = sorted(rows)
    fresh = {n for n, i in enumerate(ids) if i not in locked}
    if not fresh:
        return []
    matrix = dedup.vectorize(dedup.item_text(rows[i]) for i in ids).tocsr()
    rep, members = dedup._exact_duplicates(dedup.RowChunks(matrix))
    split = np.array([SPLITS.index(rows[i]["split"]) for i in ids])
    issues: list[Issue] = []
    # exact copies among themselves: one split
    for first, group in members.items():
        splits_here = {int(split[m]) for m in group}
        if len(splits_here) > 1 and any(m in fresh for m in group):
            issues += [Issue(items_file, "near-copy-in-other-split", f"item {ids[m]} ({rows[ids[m]]['split']}) is an exact copy of "
                             f"{ids[first]} ({rows[ids[first]]['split']})", json_path="$.id", value=ids[m],
                             hint="copies must share a split: remove the copy, or report the build's clustering as a bug")
                       for m in group if m in fresh and split[m] != split[first]]
    reps = sorted({int(rep[n]) for n in fresh})
    if len(reps) > MAX_NEW_ITEMS:
        return issues + [Issue(items_file, "too-many-new-items", f"{len(reps):,} new distinct items; the comparison with the published "
                               f"corpus handles {MAX_NEW_ITEMS:,}", hint="split the pull request into smaller ones")]
    chunk = max(1, 20_000_000 // max(1, matrix.shape[0]))  # rows of the product in memory at a time
    # every row of a group of copies gets its first row's neighbours: a copy is compared through it
    for lo in range(0, len(reps), chunk):
        part = reps[lo : lo + chunk]
        sims = (matrix[part] @ matrix.T).tocoo()
        keep = sims.data >= dedup.THRESHOLD - 1e-3  # most pairs share a common word: only the few near ones go on
        near: dict[int, list[tuple[int, float]]] = {}
        for r, c, v in zip(sims.row[keep].tolist(), sims.col[keep].tolist(), sims.data[keep].tolist()):
            if round(v, 4) >= dedup.THRESHOLD and rep[c] != part[r]:  # the build's rule, to the same 4 places
                near.setdefault(part[r], []).append((c, v))
        for r, neighbours in near.items():
            for n in members.get(r, (r,)):
                if n not in fresh:
                    continue
                allowed = {int(split[c]) for c, _ in neighbours}
                if int(split[n]) not in allowed:
                    c, v = max(neighbours, key=lambda cv: (cv[1], ids[cv[0]]))
                    issues.append(Issue(items_file, "near-copy-in-other-split",
                                        f"new item {ids[n]} goes to {rows[ids[n]]['split']}, but it is a near-duplicate (cosine {v:.2f}) of "
                                        f"{'published ' if ids[c] in locked else 'new '}item {ids[c]} in {rows[ids[c]]['split']}",
                                        json_path="$.id", value=ids[n],
                                        hint="near-duplicates share a split: if this is a copy of a published story, remove it; "
                                             "otherwise report the clustering miss"))
    return issues
