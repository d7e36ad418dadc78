"""Record validation: JSON Schema (draft 2020-12) per record, cross-checks across records.

Each schema is compiled once. ``jsonschema-rs`` (Rust) gives the verdict for
every record, since the pure-Python validator would dominate build time;
``jsonschema``'s ``iter_errors`` then explains the few records that fail,
with the JSON path, the keyword that failed and a hint. A test checks that
the two agree on valid and invalid records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema
import jsonschema_rs

from .errors import Issue, shorten

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
KINDS = ("document", "item")


@cache
def load_schema(kind: str) -> dict:
    """The JSON Schema for ``kind`` (``document``, ``item``, or another file in ``schema/``)."""
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def ecma_pattern(pattern: str) -> re.Pattern:
    """A schema ``pattern`` (ECMA-262, as JSON Schema says) compiled for Python's ``re``.

    The two dialects differ where the schemas could trip: Python's ``$`` also matches before a final
    newline, and its ``.`` crosses a carriage return. Classes such as ``\\d`` and ``\\s`` differ too (Python's
    take any Unicode digit or space): the schemas spell them out as ``[0-9]`` and explicit sets instead.

    >>> bool(ecma_pattern("^[0-9]{4}$").search("2023\\n")), bool(re.search("^[0-9]{4}$", "2023\\n"))
    (False, True)
    >>> bool(ecma_pattern("^a.b$").search("a\\rb")), bool(ecma_pattern("^[$.]$").search("$"))
    (False, True)
    """
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$":
            c = r"\Z"
        elif c == ".":
            c = r"[^\n\r\u2028\u2029]"
        out.append(c)
        i += 1
    return re.compile("".join(out))


def _pattern(validator, pattern, instance, schema):
    """jsonschema's ``pattern`` keyword with ECMA-262 semantics (:func:`ecma_pattern`)."""
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Explainer = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


class RecordValidator:
    """A compiled schema: ``errors(record)`` is empty for a valid record.

    >>> v = RecordValidator({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}})
    >>> [(e.json_path, e.validator) for e in v.errors({"id": 3})]
    [('$.id', 'type')]
    """

    def __init__(self, schema: dict):
        jsonschema.Draft202012Validator.check_schema(schema)
        self.explainer = _Explainer(schema)
        self.fast = jsonschema_rs.Draft202012Validator(schema)

    def is_valid(self, record: object) -> bool:
        return self.fast.is_valid(record)

    def errors(self, record: object) -> list[jsonschema.ValidationError]:
        if self.is_valid(record):
            return []
        errors = sorted(self.explainer.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
        if not errors:  # the verdict is "invalid" but the explainer sees nothing: never let such a record through
            first = next(iter(self.fast.iter_errors(record)))
            errors = [jsonschema.ValidationError(
                f"jsonschema-rs rejects this record ({first.message}) but jsonschema finds no error; please report it",
                validator="validators-disagree", path=first.instance_path, instance=first.instance)]
        return errors


@cache
def validator(kind: str) -> RecordValidator:
    return RecordValidator(load_schema(kind))


def schema_issues(kind: str, record: object, *, file: str, record_no: int | None = None, line: int | None = None) -> list[Issue]:
    """Every schema violation of one record, as :class:`Issue` objects.

    >>> [i.rule for i in schema_issues("item", {"id": "x"}, file="items.jsonl", line=3)][:2]
    ['required', 'required']
    """
    return [
        Issue(file, e.validator, _message(e), line=line, record=record_no, json_path=e.json_path,
              value=shorten(e.instance), hint=_hint(e))
        for e in validator(kind).errors(record)
    ]


def _message(e: jsonschema.ValidationError) -> str:
    if e.validator == "required":
        return e.message.replace("is a required property", "is missing")
    return e.message if len(e.message) <= 160 else e.message[:159] + "…"


def _hint(e: jsonschema.ValidationError) -> str:
    v, arg = e.validator, e.validator_value
    if v == "required":
        return "add the missing field (null is allowed where the schema says so)"
    if v == "additionalProperties":
        return "remove the unknown field, or add it to the schema in schema/"
    if v == "type":
        return f"give a value of type {arg}"
    if v == "pattern":
        return f"the value must match {arg}"
    if v == "enum":
        return f"use one of {', '.join(map(str, arg))}"
    if v == "const":
        return f"the value must be {arg!r}"
    if v in ("minLength", "minItems"):
        return "the value must not be empty"
    if v in ("minimum", "maximum"):
        return f"the value must be {'at least' if v == 'minimum' else 'at most'} {arg}"
    return f"see the '{v}' rule in schema/"


def valid_iso(value: str) -> bool:
    """True for a real calendar date or date-time (the schema pattern alone admits 2023-02-30).

    >>> valid_iso("2023-04-25T10:45:52+08:00"), valid_iso("2023-02-30")
    (True, False)
    """
    try:
        (date.fromisoformat if len(value) == 10 else datetime.fromisoformat)(value)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class Located:
    """A record and where it came from (file and line), for error messages."""

    record: dict
    file: str
    line: int | None = None


def cross_issues(documents: Iterable[Located], items: Iterable[Located], *, complete: bool = True,
                 known_documents: Iterable[str] = ()) -> list[Issue]:
    """Checks that span records: unique ids, items that point at a document, positions, dates, offsets.

    ``complete`` says every item of every document is present (a build), so
    counts and positions can be checked; ``known_documents`` are ids already
    in the corpus that items may point at.

    >>> doc = Located({"id": "d", "n_items": 1, "published": None}, "a.jsonl", 1)
    >>> [i.rule for i in cross_issues([doc], [Located({"id": "i", "document_id": "x", "position": 0}, "b.jsonl", 4)])]
    ['unknown-document', 'item-count']
    """
    issues: list[Issue] = []
    documents, items = list(documents), list(items)
    for kind, records in (("document", documents), ("item", items)):
        first: dict[str, Located] = {}
        for loc in records:
            rid = loc.record.get("id")
            if rid in first:
                issues.append(Issue(loc.file, "duplicate-id", f"{kind} id {rid} is already used at {first[rid].file}" + (f":{first[rid].line}" if first[rid].line else ""),
                                    line=loc.line, json_path="$.id", value=shorten(rid), hint="ids must be unique: remove the repeated record or file"))
            else:
                first[rid] = loc
    doc_ids = {d.record.get("id") for d in documents} | set(known_documents)
    by_doc: dict[str, list[dict]] = {}
    for loc in items:
        it = loc.record
        by_doc.setdefault(it.get("document_id"), []).append(it)
        if it.get("document_id") not in doc_ids:
            issues.append(Issue(loc.file, "unknown-document", f"item {it.get('id')} points at document {it.get('document_id')}, which does not exist",
                                line=loc.line, json_path="$.document_id", value=shorten(it.get("document_id")), hint="add the document, or fix document_id"))
        start, end = it.get("raw_start"), it.get("raw_end")
        if isinstance(start, int) and isinstance(end, int) and start >= end:
            issues.append(Issue(loc.file, "empty-span", f"item {it.get('id')} has raw_start {start} >= raw_end {end}", line=loc.line,
                                json_path="$.raw_end", hint="an item must cover at least one character of its raw file"))
    for loc in documents:
        d = loc.record
        own = by_doc.get(d.get("id"), [])
        if complete and d.get("n_items") != len(own):
            issues.append(Issue(loc.file, "item-count", f"document {d.get('id')} says n_items={d.get('n_items')} but has {len(own)} items",
                                line=loc.line, json_path="$.n_items", hint="n_items must equal the number of the document's items"))
        for key in ("format", "source", "published"):
            if any(it.get(key) != d.get(key) for it in own):
                issues.append(Issue(loc.file, "item-document-mismatch", f"items of document {d.get('id')} give another {key} than the document",
                                    line=loc.line, json_path=f"$.{key}", value=shorten(d.get(key)), hint=f"an item's {key} is its document's"))
        if complete and sorted(it.get("position") for it in own) != list(range(len(own))):
            issues.append(Issue(loc.file, "positions", f"items of document {d.get('id')} do not have positions 0..{len(own) - 1}",
                                line=loc.line, json_path="$.position", hint="positions number a document's items from 0 without gaps"))
        value = d.get("published")
        if isinstance(value, str) and not valid_iso(value):
            issues.append(Issue(loc.file, "invalid-date", "published is not a real date", line=loc.line, json_path="$.published",
                                value=shorten(value), hint="write an existing date as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+08:00"))
    return issues


# ---------------------------------------------------------------------------
# Validating contributed files: raw documents and record JSONL files.

RECORD_SUFFIXES = (".jsonl", ".ndjson")
MANIFEST_NAME = "MANIFEST.jsonl"  # raw/'s source manifest (aicorpus.manifest), not a record file
MAX_LINE_CHARS = 1_000_000


@dataclass
class Report:
    """The outcome of validating some files: every issue, and counts that add up.

    >>> r = Report(files=2, issues=[Issue("a.jsonl", "type", "bad", line=3)])
    >>> r.valid, r.counts()
    (False, {'files': 2, 'files_with_errors': 1, 'errors': 1, 'warnings': 0})
    """

    files: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(i.severity == "error" for i in self.issues)

    def counts(self) -> dict:
        errors = [i for i in self.issues if i.severity == "error"]
        return {"files": self.files, "files_with_errors": len({i.file for i in errors}), "errors": len(errors),
                "warnings": len(self.issues) - len(errors)}


def validate_paths(paths: Iterable[Path], root: Path = Path("."), corpus: Path | None = None) -> Report:
    """Validate raw documents and record files (folders are walked); collect every issue.

    Raw documents are converted exactly as the build would and their records
    checked; ``.jsonl`` files are read as document or item records. When
    ``corpus`` (a built ``splits/`` folder) is given, new documents are also
    checked against the published ones: same id, same bytes, or (for items)
    a document that already exists.
    """
    from .build import convert_file  # the build imports this module

    report = Report()
    documents: list[Located] = []
    items: list[Located] = []
    complete = True
    label_paths: list[Path] = []
    for path in _expand(paths):
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
    """Label files live in labels/ or hold records keyed by item_id."""
    if path.parent.name == "labels":
        return True
    with path.open(encoding="utf-8", errors="replace") as f:
        first = f.readline()
    return '"item_id"' in first and '"topics"' in first


def published_items(splits_dir: Path) -> dict[str, dict]:
    """Id -> {id, text} of every published item (what labels are checked against)."""
    import pyarrow.parquet as pq

    out: dict[str, dict] = {}
    for path in sorted((splits_dir / "items").glob("*.parquet")):
        for row in pq.read_table(path, columns=["id", "text"]).to_pylist():
            out[row["id"]] = row
    return out


#: Cosine (TF-IDF over jieba words of the whole text) at or above which a new
#: document is a copy of a published one: a re-export or a lightly edited copy.
DOCUMENT_DUPLICATE = 0.8


def near_duplicate_documents(documents: list[Located], splits_dir: Path) -> list[Issue]:
    """Issues for new documents whose text is a near-copy of a published document (other raw path)."""
    import pyarrow.parquet as pq

    from .dedup import vectorize

    if not documents:
        return []
    published = [row for path in sorted((splits_dir / "documents").glob("*.parquet"))
                 for row in pq.read_table(path, columns=["id", "raw_path", "text"]).to_pylist()]
    if not published:
        return []
    matrix = vectorize(d["text"] for d in [*published, *(loc.record for loc in documents)])
    sims = (matrix[len(published) :] @ matrix[: len(published)].T).toarray()
    issues = []
    for loc, row in zip(documents, sims):
        best = int(row.argmax())
        if row[best] >= DOCUMENT_DUPLICATE and published[best]["raw_path"] != loc.record.get("raw_path"):
            issues.append(Issue(loc.file, "near-duplicate-document",
                                f"the text is {row[best]:.0%} similar to the published {published[best]['raw_path']} ({published[best]['id']})",
                                line=loc.line, json_path="$.text", hint="replace the published file instead of adding a copy, or explain the difference"))
    return issues


def published_documents(splits_dir: Path) -> dict[str, str]:
    """Id and raw sha256 of every published document -> its raw path."""
    import pyarrow.parquet as pq

    out: dict[str, str] = {}
    for path in sorted((splits_dir / "documents").glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "raw_sha256", "raw_path"]).to_pylist()
        for row in table:
            out[row["id"]] = out[row["raw_sha256"]] = row["raw_path"]
    return out


def _expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files inside folders named; in folders, documentation
    (README files, and anything in labels/ that is not JSONL, such as GUIDELINES.md) is skipped."""
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".") and not _is_doc(q))
        else:
            out.append(p)
    return out


def _is_doc(path: Path) -> bool:
    return (path.name.lower() == "readme.md" or path.name == "POPULATIONS.json"
            or (path.parent.name == "labels" and path.suffix not in RECORD_SUFFIXES))


def read_records(path: Path) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]], list[Issue]]:
    """Read a JSONL file of document or item records; schema-check each line.

    A record is an item when it has ``document_id``, else a document; each
    comes back with its line number.
    """
    name = path.as_posix()
    documents, items, issues = [], [], []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [], [Issue(name, "unreadable", f"cannot read the file: {exc.strerror}")]
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
            record = json.loads(line)
        except RecursionError:
            issues.append(Issue(name, "too-deep", "the JSON is nested too deeply to read", line=n, hint="records are flat objects with shallow lists"))
            continue
        except json.JSONDecodeError as exc:
            issues.append(Issue(name, "invalid-json", f"not valid JSON: {exc.msg} at column {exc.colno}", line=n,
                                value=shorten(line, 60), hint="write one complete JSON object per line"))
            continue
        if not isinstance(record, dict):
            issues.append(Issue(name, "type", "a record must be a JSON object", line=n, value=shorten(record), hint="write {...} on each line"))
            continue
        kind = "item" if "document_id" in record else "document"
        issues += schema_issues(kind, record, file=name, line=n)
        (items if kind == "item" else documents).append((n, record))
    return documents, items, issues
