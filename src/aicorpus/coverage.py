"""Line coverage: does every non-blank raw line end up in a record, or have a named reason?

The check does not trust the converter's own account. For each non-blank
line it takes the line's letter-and-digit runs (Markdown syntax and
punctuation have none) and looks them up in the string fields of the item
whose span holds the line, then in the whole document. A line whose runs are
not all found, and that the converter did not drop with a reason, is *lost*.
Structural labels a converter consumes into a field or role (消息来源 becomes a
link's role) are listed in its ``MARKERS`` and removed before the look-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .sources import Raw

#: The line counts of a document's ``coverage`` (they add up to ``nonblank_lines``).
COUNTS = ("nonblank_lines", "in_items", "in_document", "dropped", "lost")

_RUN = re.compile(r"[^\W_]+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")  # HTML tags are markup, like Markdown syntax


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _strings(value, out: list[str]) -> list[str]:
    """Append the strings nested in ``value`` (dicts and lists) to ``out``, in order."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out)
    return out


def _blob(record) -> str:
    return _norm("\u0000".join(_strings(record, [])))


def trace(raw: Raw, drops: list[tuple[int, int, str]], document: dict, items: list[dict], markers: Iterable[str] = ()) -> dict:
    """Account for every non-blank line of ``raw``; returns the document's ``coverage`` struct.

    ``lost_lines`` lists lines found nowhere (an empty list for a good converter).

    >>> raw = Raw.from_bytes("a.txt", "标题\\n\\n正文一句。\\n丢失的行".encode())
    >>> doc = {"title": "标题", "text": "正文一句。"}
    >>> c = trace(raw, [], doc, [])
    >>> c["nonblank_lines"], c["in_document"], c["lost"], c["lost_lines"]
    (3, 2, 1, [4])
    """
    reasons: dict[int, str] = {}
    for first, last, reason in drops:
        for n in range(first, last + 1):
            reasons.setdefault(n, reason)
    skip = [_norm(m) for m in markers]
    item_blobs = [_blob(it) for it in items]
    # The line's item: the first one whose span holds it.
    owner: dict[int, str] = {}
    for it, blob in zip(items, item_blobs):
        for n in range(it["line_start"], it["line_end"] + 1):
            owner.setdefault(n, blob)
    # The whole document is its own fields plus every item. A run (letters and
    # digits, never NUL) is in the NUL-joined whole exactly when it is in one of
    # these parts, so the item blobs are reused rather than normalised again.
    # (NFKC and lower() never act across a NUL, so normalising the parts apart
    # gives the same text as normalising the whole.)
    doc_own: str | None = None  # the document's own fields, normalised when first needed
    counts = {"in_items": 0, "in_document": 0, "dropped": 0, "lost": 0}
    lost: list[int] = []
    for n, line in enumerate(raw.lines, start=1):
        if not line.strip():
            continue
        if n in reasons:
            counts["dropped"] += 1
            continue
        text = _TAG.sub(" ", _norm(line))
        for marker in skip:
            text = text.replace(marker, " ")
        runs = _RUN.findall(text)
        own = owner.get(n)
        if own is not None and all(r in own for r in runs):
            counts["in_items"] += 1
            continue
        missing = [r for r in runs if not any(r in blob for blob in item_blobs)]  # these must be in the document's own fields
        if missing and doc_own is None:
            doc_own = _blob(document)
        if all(r in doc_own for r in missing):
            counts["in_document"] += 1
        else:
            counts["lost"] += 1
            lost.append(n)
    return {
        "nonblank_lines": sum(counts.values()),
        **counts,
        "drops": [{"line": n, "reason": reasons[n]} for n in sorted(reasons) if n <= len(raw.lines) and raw.lines[n - 1].strip()],
        "lost_lines": lost,
    }
