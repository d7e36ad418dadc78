"""Parquet output: explicit ``datasets`` features and deterministic files.

The features travel in each file's schema metadata (the ``huggingface`` key),
so ``load_dataset`` gives typed columns with no loading script. The build
streams rows into :class:`ParquetStream`; :func:`write_parquet` writes a
whole table (a temporary name, then a rename) and is the reference the
streaming writer is tested against.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import ClassLabel, Features, List, Value

from .convert.base import METADATA_FIELDS
from .labels import topic_ids

_S, _I = Value("string"), Value("int32")
_PY = {str: _S, int: Value("int64"), bool: Value("bool")}

LINK = {"text": _S, "url": _S, "role": _S}
IMAGE = {"src": _S, "alt": _S}

DOCUMENT_FEATURES = Features(
    {
        "id": _S, "format": _S, "source": _S, "title": _S, "authors": List(_S), "published": _S, "url": _S,
        "tags": List(_S), "highlights": List(_S), "text": _S, "images": List(IMAGE),
        "metadata": {name: _PY[t] for name, t in METADATA_FIELDS.items()},
        "n_items": _I, "raw_path": _S, "raw_sha256": _S, "raw_encoding": _S,
        "coverage": {"nonblank_lines": _I, "in_items": _I, "in_document": _I, "dropped": _I, "lost": _I,
                     "drops": List({"line": _I, "reason": _S})},
    }
)

ITEM_FEATURES = Features(
    {
        "id": _S, "document_id": _S, "format": _S, "source": _S, "published": _S, "position": _I, "section": _S, "kicker": _S, "subtitle": _S, "title": _S,
        "text": _S, "links": List(LINK), "images": List(IMAGE), "captions": List(_S), "commentary": _S,
        "questions": List(_S), "line_start": _I, "line_end": _I, "raw_start": _I, "raw_end": _I,
        # hand labels (null label_version: not labeled yet)
        "label_version": _S,
        "claims_labeled": Value("bool"),  # false: topics labelled, claims not yet; null: no label at all
        "topics": List(ClassLabel(names=topic_ids())),
        "claims": List(
            {"subject": _S, "predicate": _S, "value": _S, "number": Value("float64"), "unit": _S, "comparator": _S,
             "time": _S, "evidence": _S, "start": _I, "end": _I, "note": _S}
        ),
    }
)


def with_labels(item: dict, label: dict | None) -> dict:
    """The item row as published: its record plus its hand label (topics as class indices)."""
    if label is None:
        return {**item, "label_version": None, "claims_labeled": None, "topics": [], "claims": []}
    index = {t: n for n, t in enumerate(topic_ids())}
    # numbers are published as float64 (6.2e17 is exact as an int in JSON, not in Arrow's strict cast)
    claims = [{**c, "number": None if c["number"] is None else float(c["number"])} for c in label["claims"]]
    return {**item, "label_version": label["guideline_version"], "claims_labeled": label.get("claims_labeled", True),
            "topics": [index[t] for t in label["topics"]], "claims": claims}


def to_table(records: Iterable[dict], features: Features) -> pa.Table:
    """Records (dicts) to an Arrow table with exactly ``features``' columns and metadata."""
    schema = features.arrow_schema
    rows = [{name: record.get(name) for name in schema.names} for record in records]
    return pa.Table.from_pylist(rows, schema=schema)


#: Rows per Parquet row group: the streaming writer holds at most this many rows.
ROW_GROUP = 10_000
#: A document row carries the document's whole text (some 10 KB), an item row a tenth of it: fewer rows a group
#: keep the writer's memory the same (10,000 documents held at once were the largest part of the build's peak).
DOCUMENT_ROW_GROUP = 1_000


class ParquetStream:
    """Rows to one Parquet file, written a row group at a time; same rows, same bytes as :func:`write_parquet`.

    Rows wait as Python dicts only ``batch`` at a time, then as Arrow record batches (UTF-8 text, no
    per-row objects: less than half the memory) until a row group is full.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "x.parquet")
    >>> w = ParquetStream(path, Features({"id": Value("string")}))
    >>> w.add({"id": "a"}); w.close(); read_table(path).num_rows
    1
    """

    def __init__(self, path: Path, features: Features, row_group: int = ROW_GROUP, batch: int = 1_000):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.row_group, self.batch = row_group, batch
        self.schema = features.arrow_schema
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=True)
        self.rows: list[dict] = []
        self.batches: list[pa.RecordBatch] = []
        self.held = 0  # rows in ``batches``

    def add(self, record: dict) -> None:
        self.rows.append(record)  # from_pylist takes the schema's fields by name (missing: null) and leaves the rest
        if self.held + len(self.rows) >= self.row_group:
            self._flush()
        elif len(self.rows) >= self.batch:
            self._to_arrow()

    def _to_arrow(self) -> None:
        if self.rows:
            self.batches.append(pa.RecordBatch.from_pylist(self.rows, schema=self.schema))
            self.held += len(self.rows)
            self.rows = []

    def _flush(self) -> None:
        self._to_arrow()
        self.writer.write_table(pa.Table.from_batches(self.batches, schema=self.schema), row_group_size=self.row_group)
        self.batches, self.held = [], 0

    def close(self) -> None:
        if self.rows or self.batches:
            self._flush()
        self.writer.close()


def write_parquet(table: pa.Table, path: Path, row_group: int = ROW_GROUP) -> None:
    """Write ``table`` to ``path`` atomically (temporary file, then rename).

    Same table, same library versions: same bytes (no timestamps are written).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd", row_group_size=row_group, write_statistics=True)
    os.replace(tmp, path)


def read_table(path: Path) -> pa.Table:
    return pq.read_table(path)
