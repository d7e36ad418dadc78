"""One raw file to its records: read, convert, trace every line, schema-check (``convert_file``).

Kept apart from :mod:`aicorpus.build` so that checking one contributed document
(``aicorpus validate``, ``aicorpus convert``) loads the converters and the schema
validator only, not the build's NumPy, SciPy, scikit-learn and ``datasets``.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .convert import FORMATS, convert, sniff
from .convert.base import to_records
from .coverage import trace
from .errors import AicorpusError, Issue
from .inputs import read_bytes
from .sources import MAX_BYTES, TOO_LARGE_HINT, Raw
from .validate import Located, cross_issues, schema_issues

if TYPE_CHECKING:  # the build's word counts; conversion itself never needs SciPy
    import scipy.sparse as sp


@dataclass
class Converted:
    """One raw file after conversion: its records (and their items' hashed word counts), or the issues that reject it.

    >>> Converted("raw/x.md", issues=[Issue("raw/x.md", "empty-file", "the file is empty")]).ok
    False
    """

    path: str
    document: dict | None = None
    items: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    terms: sp.csr_matrix | None = None  # filled by the build (dedup.term_counts), None elsewhere
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(i.severity == "error" for i in self.issues)

    def to_json(self) -> str:
        """The build cache's encoding (``terms`` as base64 arrays: as lists of numbers they were two thirds of the time)."""
        terms = None
        if self.terms is not None:
            import numpy as np

            terms = [_b64(self.terms.indptr, np.int32), _b64(self.terms.indices, np.int32), _b64(self.terms.data, np.float32)]
        fields = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}  # shallow: asdict's deep copy cost a millisecond
        if not self.ok:  # a rejected file's records are never used, and may hold what JSON cannot (a lone surrogate)
            fields.update(document=None, items=[])
        return json.dumps({**fields, "issues": [i.to_dict() for i in self.issues], "seconds": {}, "terms": terms}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Converted":
        """The inverse of :meth:`to_json`.

        >>> c = Converted.from_json(Converted("raw/x.md", issues=[Issue("raw/x.md", "empty-file", "empty")]).to_json())
        >>> c.path, c.issues[0].rule, c.terms
        ('raw/x.md', 'empty-file', None)
        """
        data = json.loads(text)
        if data["terms"] is not None:
            import numpy as np
            import scipy.sparse as sp

            from .dedup import N_FEATURES

            indptr, indices, counts = (np.frombuffer(base64.b64decode(t), dtype) for t, dtype in zip(data["terms"], (np.int32, np.int32, np.float32)))
            data["terms"] = sp.csr_matrix((counts, indices, indptr), shape=(len(indptr) - 1, N_FEATURES))
        return cls(**{**data, "issues": [Issue(**i) for i in data["issues"]]})


def _b64(array: Any, dtype: Any) -> str:
    return base64.b64encode(array.astype(dtype, copy=False).tobytes()).decode("ascii")


def convert_file(path: Path, root: Path, fmt: str | None = None, data: bytes | None = None) -> Converted:
    """Read, convert, trace and schema-check one raw file. Never raises for bad input.

    ``data`` is the file's bytes when the caller has read them already (the build, for its cache key,
    with :func:`aicorpus.inputs.read_bytes` as here).

    >>> c = convert_file(Path("raw/004_de0e27d84657343f.txt"), Path("."))
    >>> c.ok, c.document["n_items"], c.document["coverage"]["lost"]
    (True, 2, 0)
    """
    name = published_path(path, root)
    out = Converted(name)
    clock = time.perf_counter()
    try:
        if data is None:  # a link (inside the project or not), a FIFO or a device is refused without being read
            data = read_bytes(path, name, limit=MAX_BYTES, root=root, hint=TOO_LARGE_HINT)
        raw = Raw.from_bytes(name, data)
        out.seconds["read"], clock = time.perf_counter() - clock, time.perf_counter()
        fmt = fmt or sniff(raw)
        draft = convert(raw, fmt)
        document, items = to_records(raw, draft)
        if name.startswith("/"):  # a file outside the project: records keep a relative path, errors the full one
            document["raw_path"] = path.name
        coverage = _trace(raw, draft.drops, document, items, FORMATS[fmt].MARKERS)
        lost = coverage.pop("lost_lines")
        document["coverage"] = coverage
    except AicorpusError as exc:
        out.issues.append(exc.issue)
        return out
    except Exception as exc:  # a converter bug must not take the batch down; say where it happened
        out.issues.append(Issue(name, "converter-crash", f"the converter failed: {type(exc).__name__}: {exc}",
                                hint="report this with the file attached; the rest of the batch was built"))
        return out
    out.seconds["convert"], clock = time.perf_counter() - clock, time.perf_counter()
    if raw.encoding == "gb18030":
        out.issues.append(Issue(name, "encoding-gb18030", "the file is not UTF-8; it was decoded as GB18030", severity="warning",
                                hint="the record says raw_encoding=gb18030; re-save the file as UTF-8 to silence this"))
    for n in lost:
        out.issues.append(Issue(name, "coverage-lost-line", "this non-blank line ended up in no field and was dropped for no reason",
                                line=n, value=raw.lines[n - 1][:60], hint="the converter misses a structure here: fix it, or give a drop reason"))
    out.issues += schema_issues("document", document, file=name)
    for n, item in enumerate(items):
        out.issues += schema_issues("item", item, file=name, record_no=n, line=item.get("line_start"))
    # counts, positions and dates within the document (ids across documents are checked by the build)
    out.issues += cross_issues([Located(document, name)], [Located(it, name, it["line_start"]) for it in items])
    out.seconds["validate"] = time.perf_counter() - clock
    out.document, out.items = document, items
    return out


_LINE_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits on


def _trace(raw: Raw, drops: list, document: dict, items: list[dict], markers) -> dict:
    """:func:`aicorpus.coverage.trace`, where a line also counts as found when its HTML entities, decoded, are.

    The Markdown parser decodes ``&lt;`` and ``&amp;`` into the fields, so ``价格 &lt; 100 元，AT&amp;T ...``
    put "lt" and "amp" among the line's runs and the line was "lost". Lines the trace finds stay as they
    are; each lost line is looked up again with its entities decoded (a decoded line break becomes a
    space, so that the line table does not move). The right place is the trace's own normalisation
    (coverage.py); this wrapper gives the same result until it moves there.

    >>> raw = Raw.from_bytes("a.txt", "AT&amp;T 发布".encode())
    >>> _trace(raw, [], {"text": "AT&T 发布"}, [], ())["lost_lines"]
    []
    """
    coverage = trace(raw, drops, document, items, markers)
    if not coverage["lost_lines"]:
        return coverage
    lines = list(raw.lines)
    for n in coverage["lost_lines"]:
        lines[n - 1] = _LINE_BREAKS.sub(" ", html.unescape(lines[n - 1]))
    if lines == raw.lines:
        return coverage
    return trace(Raw(raw.path, raw.data, "\n".join(lines), raw.encoding), drops, document, items, markers)


def published_path(path: Path, root: Path) -> str:
    """The path relative to ``root``; outside it, the path as given (records then keep only the file name).

    >>> published_path(Path("raw/a.md"), Path(".")), published_path(Path("/elsewhere/a.md"), Path("/project"))
    ('raw/a.md', '/elsewhere/a.md')
    """
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
