"""One raw file to its records: read, convert, trace every line, schema-check (``convert_file``).

Kept apart from :mod:`aicorpus.build` so that checking one contributed document
(``aicorpus validate``, ``aicorpus convert``) loads the converters and the schema
validator only, not the build's NumPy, SciPy, scikit-learn and ``datasets``.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .convert import FORMATS, convert, sniff
from .convert.base import to_records
from .coverage import trace
from .errors import AicorpusError, Issue
from .sources import Raw
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

    ``data`` is the file's bytes when the caller has read them already (the build, for its cache key).

    >>> c = convert_file(Path("raw/004_de0e27d84657343f.txt"), Path("."))
    >>> c.ok, c.document["n_items"], c.document["coverage"]["lost"]
    (True, 2, 0)
    """
    name = published_path(path, root)
    out = Converted(name)
    clock = time.perf_counter()
    try:
        if path.is_symlink() and root.resolve() not in path.resolve().parents:
            raise AicorpusError(Issue(name, "path-escape", "the file is a link that points outside the project", hint="copy the file into raw/ instead of linking it"))
        raw = Raw.from_bytes(name, path.read_bytes() if data is None else data)
        out.seconds["read"], clock = time.perf_counter() - clock, time.perf_counter()
        fmt = fmt or sniff(raw)
        draft = convert(raw, fmt)
        document, items = to_records(raw, draft)
        if name.startswith("/"):  # a file outside the project: records keep a relative path, errors the full one
            document["raw_path"] = path.name
        coverage = trace(raw, draft.drops, document, items, FORMATS[fmt].MARKERS)
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


def published_path(path: Path, root: Path) -> str:
    """The path relative to ``root``; outside it, the path as given (records then keep only the file name).

    >>> published_path(Path("raw/a.md"), Path(".")), published_path(Path("/elsewhere/a.md"), Path("/project"))
    ('raw/a.md', '/elsewhere/a.md')
    """
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
