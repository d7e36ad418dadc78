"""Record validation: JSON Schema (draft 2020-12) per record, cross-checks across records.

Each schema is compiled once. ``jsonschema-rs`` (Rust) gives the verdict for
every record, since the pure-Python validator would dominate build time;
``jsonschema``'s ``iter_errors`` then explains the few records that fail,
with the JSON path, the keyword that failed and a hint. A test checks that
the two agree on valid and invalid records.

This is the bottom layer: it imports nothing of the package but
:mod:`aicorpus.errors`. Reviewing contributed files (conversion, labels, the
published corpus) is :mod:`aicorpus.review`, one layer up.
"""

from __future__ import annotations

import json
import math
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
#: JSON Schema counts 12.0 as an integer; Python does not (``text[12.0:]`` raises, and so does Arrow's cast to an
#: integer column), so a record's integers must be JSON integers.
_STRICT_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda checker, x: isinstance(x, int) and not isinstance(x, bool))
_StrictExplainer = jsonschema.validators.extend(_Explainer, type_checker=_STRICT_TYPES)

INT64 = (-(2**63), 2**63 - 1)  # the published integer columns are at most 64 bits wide
MAX_DEPTH = 32  # records nest four levels deep; a deeper one is refused before any recursive walk meets it
_SURROGATE = re.compile("[\ud800-\udfff]")


def value_errors(record: object) -> tuple[list[jsonschema.ValidationError], bool]:
    """Values a schema accepts but no published record can hold, and whether ``record`` has an integral float.

    JSON Schema says nothing about the width of numbers or the well-formedness of text, but the
    published columns do: an integer past 64 bits, a NaN or an infinity, a lone UTF-16 surrogate (which
    ``json`` decodes from ``"\\ud800"``) each crashed the Parquet writer after validation had passed.
    The second value says the record holds a float such as 12.0, which only the strict explainer tells
    from an integer.

    >>> [(e.validator, e.json_path) for e in value_errors({"a": [1, 2**63], "b": float("nan"), "c": "\\ud800"})[0]]
    [('integer-out-of-range', '$.a[1]'), ('not-finite', '$.b'), ('invalid-text', '$.c')]
    """
    errors: list[jsonschema.ValidationError] = []
    integral = False
    stack: list[tuple[object, tuple]] = [(record, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            errors.append(jsonschema.ValidationError(f"the value is nested more than {MAX_DEPTH} levels deep", validator="too-deep",
                                                     path=path, instance="…"))
            continue
        if isinstance(value, dict):
            for key in reversed(list(value)):
                if isinstance(key, str) and _SURROGATE.search(key):
                    errors.append(jsonschema.ValidationError("the key holds a lone UTF-16 surrogate, which is not text",
                                                             validator="invalid-text", path=path, instance=key))
                stack.append((value[key], (*path, key)))
        elif isinstance(value, list):
            stack.extend((v, (*path, n)) for n, v in reversed(list(enumerate(value))))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if not INT64[0] <= value <= INT64[1]:
                errors.append(jsonschema.ValidationError("the integer does not fit in 64 bits", validator="integer-out-of-range",
                                                         path=path, instance=value))
        elif isinstance(value, float):
            if not math.isfinite(value):
                errors.append(jsonschema.ValidationError(f"{value} is not a finite number", validator="not-finite", path=path, instance=value))
            integral = integral or value.is_integer()
        elif isinstance(value, str) and _SURROGATE.search(value):
            errors.append(jsonschema.ValidationError("the text holds a lone UTF-16 surrogate, which is not text",
                                                     validator="invalid-text", path=path, instance=value))
    return errors, integral


class RecordValidator:
    """A compiled schema: ``errors(record)`` is empty for a valid record.

    The verdict is jsonschema-rs's, with integers taken strictly (12.0 is not one) and the values of
    :func:`value_errors` refused; ``explainer`` is jsonschema with jsonschema-rs's own rules (a test keeps
    the two equal), ``strict`` the explainer with strict integers, which says what is wrong.

    >>> v = RecordValidator({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}})
    >>> [(e.json_path, e.validator) for e in v.errors({"id": 3})], [(e.json_path, e.validator) for e in v.errors({"id": "a", "n": 12.0})]
    ([('$.id', 'type')], [('$.n', 'type')])
    """

    def __init__(self, schema: dict):
        jsonschema.Draft202012Validator.check_schema(schema)
        self.explainer = _Explainer(schema)
        self.strict = _StrictExplainer(schema)
        self.fast = jsonschema_rs.Draft202012Validator(schema)

    def is_valid(self, record: object) -> bool:
        return not self.errors(record)

    def errors(self, record: object) -> list[jsonschema.ValidationError]:
        problems, integral = value_errors(record)
        if problems:  # explained on their own: the two validators part on them, and a deep record would exhaust recursion
            return problems
        fast = self.fast.is_valid(record)
        if fast and not integral:
            return []
        errors = sorted(self.strict.iter_errors(record), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
        if fast:
            return errors
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
    if v == "integer-out-of-range":
        return f"integers must lie between {INT64[0]} and {INT64[1]}"
    if v == "not-finite":
        return "write a finite number (JSON has no NaN or Infinity)"
    if v == "invalid-text":
        return "write the character itself, or a valid surrogate pair (\\ud83d\\ude00)"
    if v == "too-deep":
        return "records nest a few levels deep; flatten the value"
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
# The outcome of a review of files (aicorpus.review fills it, the CLI prints it).


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
