"""Reading a system's predictions, with errors that name the file, line and field.

A prediction file is JSONL, one object per item: ``{"item_id": ..., "topics": [...]}``
for topic tagging, ``{"item_id": ..., "claims": [...]}`` for claim extraction. A topic
is its id (``"model_release"``) or its integer class label (``0``: the index in
``schema/topics.json``, as ``load_dataset`` returns the ``topics`` feature). Claims
use the label fields (``subject``, ``predicate``, ``value``, ``number``, ``unit``, ...);
the evidence span may be ``"span": [start, end]`` or ``"start"``/``"end"``; fields a
system does not produce may be left out (they count as null).

Items with no line in the file count as predicted empty (no topics, no claims): the
scorer passes ``[]`` for them, which costs recall, never crashes. A line that is wrong
is an error, never skipped, since a silently dropped line would look like a system
that predicted nothing.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from ..errors import AicorpusError, Issue, shorten
from ..inputs import json_line, read_text

TEXT_FIELDS = ("subject", "predicate", "value", "unit", "comparator", "time", "evidence", "note")


def read_predictions(path: Path | str, task: Literal["topics", "claims"], *, item_ids: set[str],
                     topics: list[str]) -> dict[str, list]:
    """Item id -> predicted topics (list of topic ids) or claims (list of dict).

    Parameters
    ----------
    path : path of the JSONL file
    task : ``"topics"`` or ``"claims"``: which key each line must carry
    item_ids : every id a line may name (ids outside it are an error)
    topics : the taxonomy's topic ids, in class-label order; a prediction may give a topic
        by id or by its integer index in this list, and comes back as ids

    Raises
    ------
    AicorpusError
        On the first bad line, with an :class:`~aicorpus.errors.Issue` whose rule is one of
        ``missing-file``, ``symlink``, ``not-a-regular-file``, ``invalid-encoding``, ``file-too-large``,
        ``invalid-json``, ``too-deep``, ``not-an-object``, ``missing-item-id``,
        ``unknown-item``, ``duplicate-prediction``, ``missing-field``, ``not-a-list``,
        ``unknown-topic``, ``claim-not-an-object``, ``non-numeric-number``,
        ``non-string-field``, ``invalid-span``.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "pred.jsonl"
    >>> _ = p.write_text('{"item_id": "a", "topics": ["open_source"]}\\n{"item_id": "zzz", "topics": []}\\n')
    >>> try:
    ...     read_predictions(p, "topics", item_ids={"a"}, topics=["open_source"])
    ... except AicorpusError as err:
    ...     print(err.issue.line, err.issue.rule, err.issue.json_path)
    2 unknown-item $.item_id
    >>> _ = p.write_text('{"item_id": "a", "topics": [1, "model_release"]}\\n')
    >>> read_predictions(p, "topics", item_ids={"a"}, topics=["model_release", "open_source"])
    {'a': ['open_source', 'model_release']}
    """
    if task not in ("topics", "claims"):
        raise ValueError(f"task must be 'topics' or 'claims', not {task!r}")
    path = Path(path)
    name = path.as_posix()
    # a regular UTF-8 file only: a folder, a FIFO, UTF-16 or Latin-1 is an error naming the file (and line), never a traceback
    lines = read_text(path, name, what="the prediction file", follow=True).splitlines()
    out: dict[str, list] = {}
    first_line: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = _parse(line, name, n)
        iid = _item_id(record, name, n, item_ids)
        if iid in first_line:
            _fail(name, n, "duplicate-prediction", f"item {iid!r} already has a prediction on line {first_line[iid]}", "$.item_id",
                  iid, "keep one line per item")
        first_line[iid] = n
        values = _task_list(record, task, name, n)
        if task == "topics":
            values = [_topic(value, topics, name, n, f"$.topics[{k}]") for k, value in enumerate(values)]
        else:
            for k, value in enumerate(values):
                _check_claim(value, name, n, f"$.claims[{k}]")
        out[iid] = values
    return out


def _fail(file: str, line: int, rule: str, message: str, json_path: str = "$", value: object = None, hint: str | None = None):
    raise AicorpusError(Issue(file, rule, message, line=line, json_path=json_path,
                              value=None if value is None else shorten(value), hint=hint))


def _parse(line: str, name: str, n: int) -> dict:
    record = json_line(line, name, n)
    if not isinstance(record, dict):
        _fail(name, n, "not-an-object", f"the line is a JSON {type(record).__name__}, not an object", hint='write {"item_id": ..., ...}')
    return record


def _item_id(record: dict, name: str, n: int, item_ids: set[str]) -> str:
    iid = record.get("item_id")
    if not isinstance(iid, str):
        _fail(name, n, "missing-item-id", "the line has no item_id string", "$.item_id", iid, "add the id of the item predicted")
    if iid not in item_ids:
        _fail(name, n, "unknown-item", f"no item has the id {iid!r}", "$.item_id", iid,
              "use ids from the published items (splits/items/*.parquet), exactly as written")
    return iid


def _task_list(record: dict, task: str, name: str, n: int) -> list:
    if task not in record:
        _fail(name, n, "missing-field", f"the line has no {task!r} key", f"$.{task}",
              hint=f'a {task} prediction line is {{"item_id": ..., "{task}": [...]}}; use [] for none')
    values = record[task]
    if not isinstance(values, list):
        _fail(name, n, "not-a-list", f"{task} must be a list", f"$.{task}", values, f"use [] for no {task}")
    return values


def _topic(topic: object, topics: list[str], name: str, n: int, json_path: str) -> str:
    """The topic id of a predicted topic given by id or by integer class label."""
    if isinstance(topic, int) and not isinstance(topic, bool) and 0 <= topic < len(topics):
        return topics[topic]
    if isinstance(topic, str) and topic in topics:
        return topic
    example = f"{topics[0]!r} or {0}" if topics else "a topic id"
    _fail(name, n, "unknown-topic", f"topic {shorten(topic, 40)} is neither a topic id of schema/topics.json nor a class label 0 to {len(topics) - 1}",
          json_path, topic, f"give a topic id or its integer class label, e.g. {example} (the list is in schema/topics.json)")


def _check_claim(claim: object, name: str, n: int, json_path: str) -> None:
    if not isinstance(claim, dict):
        _fail(name, n, "claim-not-an-object", f"a claim must be an object, not a JSON {type(claim).__name__}", json_path, claim,
              'write {"subject": ..., "predicate": ..., "value": ..., "number": ...}')
    number = claim.get("number")
    # bool is an int in Python, and json accepts NaN/Infinity; none of these is a quantity (nor an integer past float64)
    if number is not None and (isinstance(number, bool) or not isinstance(number, (int, float)) or not _finite(number)):
        _fail(name, n, "non-numeric-number", "number must be a finite JSON number or null", f"{json_path}.number", number,
              'write the normalised quantity as a number (3140亿 → 314000000000), e.g. not "314B"')
    for key in TEXT_FIELDS:
        if claim.get(key) is not None and not isinstance(claim[key], str):
            _fail(name, n, "non-string-field", f"{key} must be a string or null", f"{json_path}.{key}", claim[key],
                  "write one string (join several parts in text order), or null")
    _check_span(claim, name, n, json_path)


def _check_span(claim: dict, name: str, n: int, json_path: str) -> None:
    """Offsets must be non-negative integers; the scorer compares them as character spans."""
    if claim.get("span") is not None:
        span, where = claim["span"], f"{json_path}.span"
        ok = isinstance(span, list) and len(span) == 2 and all(_is_offset(x) for x in span)
    else:
        span, where = [claim.get("start"), claim.get("end")], f"{json_path}.start"
        ok = all(x is None or _is_offset(x) for x in span)
    if not ok:
        _fail(name, n, "invalid-span", "span offsets must be non-negative integers", where, span,
              'write "span": [start, end] or "start"/"end" as 0-based character offsets into the item text')


def _finite(number: int | float) -> bool:
    """True for a number the scorer can compare as a float: finite, and for an integer, within float64's range."""
    try:
        return math.isfinite(number)
    except OverflowError:  # a 400-digit integer
        return False


def _is_offset(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0
