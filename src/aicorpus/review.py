"""Reviewing contributed files (``aicorpus validate``): raw documents, record, label and manifest files.

The top layer of validation: it converts raw documents as the build would
(:mod:`aicorpus.conversion`), checks records with :mod:`aicorpus.validate`,
labels with :mod:`aicorpus.labels`, and compares new documents with the
published corpus (``splits/``). Data flows one way: this module imports those,
none of them imports it.

It stays light on purpose (no NumPy, SciPy, scikit-learn or ``datasets``), so
that checking one document takes well under a second: Parquet is read with
``pyarrow.parquet.ParquetFile`` (``read_table`` pulls in pandas), and the
near-copy check computes its TF-IDF cosine with NumPy alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from .conversion import convert_file
from .errors import AicorpusError, Issue, shorten
from .inputs import MAX_DATA_BYTES, json_line, read_bytes, walk
from .textnorm import feature_text
from .validate import Located, Report, cross_issues, schema_issues

RECORD_SUFFIXES = (".jsonl", ".ndjson")
MANIFEST_NAME = "MANIFEST.jsonl"  # raw/'s source manifest (aicorpus.manifest), not a record file
MAX_LINE_CHARS = 1_000_000

#: Cosine (TF-IDF over jieba words of the whole text) at or above which a new
#: document is a copy of a published one: a re-export or a lightly edited copy.
DOCUMENT_DUPLICATE = 0.8


def validate_paths(paths: Iterable[Path], root: Path = Path("."), corpus: Path | None = None) -> Report:
    """Validate raw documents and record files (folders are walked); collect every issue.

    Raw documents are converted exactly as the build would and their records
    checked; ``.jsonl`` files are read as document or item records. When
    ``corpus`` (a built ``splits/`` folder) is given, new documents are also
    checked against the published ones: same id, same bytes, near-copy text,
    or (for items) a document that already exists.

    >>> report = validate_paths([Path("raw/004_de0e27d84657343f.txt")])
    >>> report.valid, report.counts()["files"]
    (True, 1)
    """
    report = Report()
    documents: list[Located] = []
    items: list[Located] = []
    complete = True
    label_paths: list[Path] = []
    expanded, refused = _expand(paths)
    report.issues += refused
    report.files += len(refused)
    for path in expanded:
        report.files += 1
        if path.name == MANIFEST_NAME:  # the source manifest: its rows, against schema/manifest.schema.json
            from .manifest import read_manifest_file

            report.issues += read_manifest_file(path)[1]
            continue
        if path.suffix in RECORD_SUFFIXES and _is_label_file(path):
            label_paths.append(path)
            continue
        if path.suffix in RECORD_SUFFIXES:
            docs, its, issues = read_records(path)
            complete = False
            report.issues += issues
            bad = {i.line for i in issues}
            documents += [Located(r, path.as_posix(), n) for n, r in docs if n not in bad]
            items += [Located(r, path.as_posix(), n) for n, r in its if n not in bad]
        else:
            c = convert_file(path, root)
            report.issues += c.issues
            if c.ok:
                documents.append(Located(c.document, c.path))
                items += [Located(it, c.path, it["line_start"]) for it in c.items]
    known: dict[str, str] = {}
    if corpus is not None:
        known = published_documents(corpus)
        report.issues += near_duplicate_documents(documents, corpus)
        for loc in documents:
            d = loc.record
            for key, what in ((d.get("id"), "id"), (d.get("raw_sha256"), "content")):
                if key in known and known[key] != d.get("raw_path"):
                    report.issues.append(Issue(loc.file, "duplicate-document", f"the corpus already has this document ({what} of {known[key]})",
                                               line=loc.line, json_path="$.id" if what == "id" else "$.raw_sha256", value=shorten(key),
                                               hint="the document is already published; remove the new copy"))
    report.issues += cross_issues(documents, items, complete=complete, known_documents=known)
    if label_paths:
        from .labels import guideline_version, label_issues, read_labels

        targets = published_items(corpus) if corpus is not None else {}
        targets.update({loc.record["id"]: loc.record for loc in items})
        labels, issues = read_labels(label_paths)
        report.issues += issues + label_issues(labels, targets, version=guideline_version(root))
    return report


def _is_label_file(path: Path) -> bool:
    """Label files live in labels/ or hold records keyed by item_id (read from a regular file only: a FIFO would block)."""
    if path.parent.name == "labels":
        return True
    try:
        first = read_bytes(path, path.as_posix()).split(b"\n", 1)[0].decode("utf-8", errors="replace")
    except AicorpusError:  # read_records reports it
        return False
    return '"item_id"' in first and '"topics"' in first


def _rows(folder: Path, columns: list[str]) -> list[dict]:
    """Rows of every Parquet file in ``folder`` (sorted), only ``columns``."""
    import pyarrow.parquet as pq

    return [row for path in sorted(Path(folder).glob("*.parquet")) for row in pq.ParquetFile(path).read(columns=columns).to_pylist()]


def published_items(splits_dir: Path) -> dict[str, dict]:
    """Id -> {id, text} of every published item (what labels are checked against).

    >>> items = published_items(Path("splits"))
    >>> sorted(items["linuxcn-15754-0a26649e"])
    ['id', 'text']
    """
    return {row["id"]: row for row in _rows(Path(splits_dir) / "items", ["id", "text"])}


def published_documents(splits_dir: Path) -> dict[str, str]:
    """Id and raw sha256 of every published document -> its raw path.

    >>> published_documents(Path("splits"))["linuxcn-15754"]
    'raw/000_27dee62db898cc7f.txt'
    """
    out: dict[str, str] = {}
    for row in _rows(Path(splits_dir) / "documents", ["id", "raw_sha256", "raw_path"]):
        out[row["id"]] = out[row["raw_sha256"]] = row["raw_path"]
    return out


def near_duplicate_documents(documents: list[Located], splits_dir: Path) -> list[Issue]:
    """Issues for new documents whose text is a near-copy of a published document (other raw path).

    >>> near_duplicate_documents([], Path("splits"))
    []
    """
    if not documents:
        return []
    published = _rows(Path(splits_dir) / "documents", ["id", "raw_path", "text"])
    if not published:
        return []
    sims = document_cosines([loc.record.get("text") or "" for loc in documents], [d["text"] for d in published])
    issues = []
    for loc, row in zip(documents, sims):
        best = max(range(len(row)), key=row.__getitem__)
        if row[best] >= DOCUMENT_DUPLICATE and published[best]["raw_path"] != loc.record.get("raw_path"):
            issues.append(Issue(loc.file, "near-duplicate-document",
                                f"the text is {row[best]:.0%} similar to the published {published[best]['raw_path']} ({published[best]['id']})",
                                line=loc.line, json_path="$.text", hint="replace the published file instead of adding a copy, or explain the difference"))
    return issues


_WORD = re.compile(r"\w")


def words(text: str) -> list[str]:
    """jieba words with at least one letter or digit, lower-cased: the rule of :func:`aicorpus.dedup.words`.

    Repeated here because :mod:`aicorpus.dedup` loads scikit-learn on import; a test keeps the two equal.

    >>> words("OpenAI增强安全团队，董事会有权否决GPT-4")
    ['openai', '增强', '安全', '团队', '董事会', '有权', '否决', 'gpt-4']
    """
    import rjieba

    return [w for w in rjieba.cut(feature_text(text)) if _is_word(w)]


def _is_word(token: str) -> bool:
    return token.isalnum() or bool(_WORD.search(token))  # isalnum: the quick common case


def document_cosines(new: Sequence[str], published: Sequence[str]) -> list[list[float]]:
    """TF-IDF cosine of each new text with each published text: ``out[i][j]`` for new ``i``, published ``j``.

    The weighting of :func:`aicorpus.dedup.vectorize` (sublinear TF, smooth IDF over all the texts, L2 rows),
    over exact words instead of hashed buckets, in NumPy (pyarrow loads it anyway) rather than SciPy and
    scikit-learn, whose import alone takes longer than checking a document against the corpus.

    >>> [round(x, 3) for x in document_cosines(["开源 模型"], ["开源 芯片", "开源 模型"])[0]]
    [0.312, 1.0]
    """
    import numpy as np
    import rjieba

    vocabulary: dict[str, int] = {}
    term, tf, row = [], [], []
    for n, text in enumerate([*published, *new]):
        counts = Counter(rjieba.cut(feature_text(text)))  # a copy in disguise (zero-width spaces, full-width letters) is a copy
        term += [vocabulary.setdefault(w, len(vocabulary)) for w in counts]
        tf += counts.values()
        row += [n] * len(counts)
    is_word = np.array([_is_word(w) for w in vocabulary], dtype=bool)  # dedup.words' rule, once per distinct token
    term, tf, row = np.array(term, dtype=np.int64), np.array(tf, dtype=np.float64), np.array(row, dtype=np.int64)
    keep = is_word[term] if len(term) else np.zeros(0, dtype=bool)
    term, tf, row = term[keep], tf[keep], row[keep]
    n_rows = len(published) + len(new)
    df = np.bincount(term, minlength=len(vocabulary))
    weight = (1.0 + np.log(tf)) * (np.log((1.0 + n_rows) / (1.0 + df[term])) + 1.0)
    norm = np.sqrt(np.bincount(row, weight * weight, minlength=n_rows))
    weight /= np.where(norm == 0, 1.0, norm)[row]
    old = row < len(published)
    out = []
    for i in range(len(published), n_rows):
        mine = np.zeros(len(vocabulary))
        mine[term[row == i]] = weight[row == i]
        out.append(np.bincount(row[old], weight[old] * mine[term[old]], minlength=len(published)).tolist())
    return out


def _expand(paths: Iterable[Path]) -> tuple[list[Path], list[Issue]]:
    """Files named, and the files inside folders named; in folders, documentation (README files, and anything
    in labels/ but its label files ``labels/*.jsonl``, such as GUIDELINES.md or agreement/) is skipped, as the build skips it.

    Folders are walked without following links; a link, FIFO or device found in one is refused (second value)
    without being opened. A file named on the command line is checked when it is read.
    """
    out: list[Path] = []
    refused: list[Issue] = []
    for p in paths:
        p = Path(p)
        if p.is_dir() and not p.is_symlink():
            files, issues = walk(p, skip=lambda q, p=p: _is_doc(q, p))
            out += files
            refused += issues
        else:
            out.append(p)
    return out, refused


def _is_doc(path: Path, folder: Path) -> bool:
    """Not a document, record or label file, for a file found in ``folder``: README files, raw/POPULATIONS.json,
    and material in labels/ other than labels/*.jsonl (only the folders from ``folder`` down are looked at).

    >>> [_is_doc(Path(p), Path("labels")) for p in ("labels/GUIDELINES.md", "labels/agreement/a.jsonl", "labels/a.jsonl")]
    [True, True, False]
    >>> _is_doc(Path("/home/labels/project/raw/a.md"), Path("/home/labels/project/raw"))
    False
    """
    folders = (folder.name, *path.relative_to(folder).parts[:-1])
    label_material = "labels" in folders and not (folders[-1] == "labels" and path.suffix in RECORD_SUFFIXES)
    return path.name.lower() == "readme.md" or path.name == "POPULATIONS.json" or label_material


def read_records(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]], list[Issue]]:
    """Read a JSONL file of document or item records; schema-check each line.

    A record is an item when it has ``document_id``, else a document; each
    comes back with its line number.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "items.jsonl"
    >>> _ = p.write_text('{"id": "x", "document_id": "y"}\\n', encoding="utf-8")
    >>> documents, items, issues = read_records(p)
    >>> [n for n, _ in items], sorted({i.rule for i in issues})
    ([1], ['pattern', 'required'])
    """
    name = path.as_posix()
    documents, items, issues = [], [], []
    try:
        data = read_bytes(path, name, limit=MAX_DATA_BYTES)
    except AicorpusError as exc:  # a link, a FIFO, a device, too large ...: refused without reading it
        return [], [], [exc.issue]
    if not data.strip():
        return [], [], [Issue(name, "empty-file", "the file is empty", hint="add one JSON record per line, or remove the file")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [], [Issue(name, "invalid-encoding", f"invalid UTF-8 at byte {exc.start}", line=data[: exc.start].count(b"\n") + 1,
                              hint="record files must be UTF-8")]
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE_CHARS:
            issues.append(Issue(name, "line-too-long", f"the line has {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}", line=n,
                                hint="one record per line; a record this large is not a news item"))
            continue
        try:
            record = json_line(line, name, n)
        except AicorpusError as exc:
            issues.append(exc.issue)
            continue
        if not isinstance(record, dict):
            issues.append(Issue(name, "type", "a record must be a JSON object", line=n, value=shorten(record), hint="write {...} on each line"))
            continue
        kind = "item" if "document_id" in record else "document"
        issues += schema_issues(kind, record, file=name, line=n)
        (items if kind == "item" else documents).append((n, record))
    return documents, items, issues
