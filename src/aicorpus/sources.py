"""Reading raw documents: bytes in, decoded text with a line table out.

Converters never touch the file system; they get a :class:`Raw`. Decoding
accepts UTF-8 (with or without BOM) and GB18030 (a superset of GBK and
GB2312, still common in Chinese exports) and says which was used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import AicorpusError, Issue
from .frontmatter import FrontMatter, parse_front_matter
from .inputs import read_bytes

#: Larger than any news article by two orders of magnitude; a bigger file is
#: almost certainly a dump or a binary and would stall the build.
MAX_BYTES = 2_000_000
#: A paragraph of news runs to a few thousand characters; a longer line is a
#: minified dump or a lost line structure, and would make one giant item.
MAX_LINE_CHARS = 100_000
TOO_LARGE_HINT = "split it into one file per article"


@dataclass(frozen=True)
class Raw:
    """A raw document: its path (as published), bytes and decoded text.

    ``text`` keeps the original line endings (CRLF stays CRLF) so that
    character offsets point into the file as decoded; ``lines`` is the same
    text split into lines without their endings (line ``n`` is ``lines[n-1]``).

    >>> raw = Raw.from_bytes("raw/x.txt", "a\\r\\nb".encode())
    >>> raw.lines, raw.offset(2)
    (['a', 'b'], 3)
    """

    path: str
    data: bytes = field(repr=False)
    text: str = field(repr=False)
    encoding: str

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "Raw":
        """Decode ``data``; raises :class:`AicorpusError` for input that is not text."""
        return cls(path, data, *decode(path, data))

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def front_matter(self) -> FrontMatter:
        """The parsed YAML front matter (raises like :func:`parse_front_matter`).

        Parsed once: the sniffer and the converter both read it, and YAML parsing is slow.
        """
        return parse_front_matter(self.path, self.lines)

    @cached_property
    def _starts(self) -> list[int]:
        starts, pos = [], 0
        for line in self.text.splitlines(keepends=True):
            starts.append(pos)
            pos += len(line)
        starts.append(pos)
        return starts

    def offset(self, line: int) -> int:
        """Character offset in ``text`` where 1-based ``line`` starts."""
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Character offset just past the content of 1-based ``line`` (before its newline)."""
        return self._starts[line - 1] + len(self.lines[line - 1])


def decode(path: str, data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise an :class:`AicorpusError` naming the problem.

    >>> decode("a.txt", "中文".encode("gb18030"))
    ('中文', 'gb18030')
    """
    if not data.strip():
        raise AicorpusError(Issue(path, "empty-file", "the file is empty", hint="add the document text or remove the file"))
    if len(data) > MAX_BYTES:
        raise AicorpusError(Issue(path, "file-too-large", f"the file has {len(data):,} bytes; the limit is {MAX_BYTES:,}", hint=TOO_LARGE_HINT))
    if b"\x00" in data:
        raise AicorpusError(Issue(path, "binary-file", "the file contains NUL bytes: it is not text", hint="add the text export of the document, not a binary"))
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    try:
        return _line_limit(path, data.decode("utf-8")), "utf-8-sig" if bom else "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return _line_limit(path, data.decode("gb18030")), "gb18030"
    except UnicodeDecodeError:
        pass
    line = data[: utf8_error.start].count(b"\n") + 1
    raise AicorpusError(
        Issue(
            path,
            "invalid-encoding",
            f"invalid bytes at byte {utf8_error.start}: neither UTF-8 nor GB18030",
            line=line,
            value=repr(data[utf8_error.start : utf8_error.start + 8]),
            hint="re-export the file as UTF-8",
        )
    )


def _line_limit(path: str, text: str) -> str:
    for n, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise AicorpusError(
                Issue(path, "line-too-long", f"line {n} has {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}", line=n,
                      hint="restore the line breaks of the original document")
            )
    return text


def read_raw(path: Path, root: Path | None = None) -> Raw:
    """Read one file; its published path is relative to ``root`` when given.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = Path(d, "a.txt"); _ = p.write_text("你好")
    >>> read_raw(p, Path(d)).path
    'a.txt'
    """
    name = path.relative_to(root).as_posix() if root else path.as_posix()
    return Raw.from_bytes(name, read_bytes(path, name, limit=MAX_BYTES, root=root, hint=TOO_LARGE_HINT))
