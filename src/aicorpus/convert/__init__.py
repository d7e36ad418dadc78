"""Converters, one module per source format, and the sniffer that picks one.

>>> sorted(FORMATS)
['aidaily', 'digest', 'jekyll', 'linuxcn', 'plaintext', 'wechat']
"""

from __future__ import annotations

import re
from types import ModuleType

from ..errors import AicorpusError, Issue
from ..frontmatter import has_front_matter
from ..sources import Raw
from . import aidaily, digest, jekyll, linuxcn, plaintext, wechat
from .base import Draft

FORMATS: dict[str, ModuleType] = {m.__name__.rsplit(".", 1)[1]: m for m in (linuxcn, aidaily, wechat, jekyll, digest, plaintext)}

_MARKUP = re.compile(r"^(#{1,6} |> |[-*] |!\[|\[[^\]]+\]\()", re.M)


def sniff(raw: Raw) -> str:
    """Name the format of ``raw`` from its shape, or raise an error asking for ``--format``.

    The signals are structural (front matter keys, heading levels, the
    digest's labels), never anything only the seed files contain.
    """
    head = "\n".join(raw.lines[:60])
    text = raw.text
    if has_front_matter(raw.lines):
        fm = raw.front_matter.data  # raises the precise YAML error, if any
        if re.match(r"/article-\d+", str(fm.get("permalink", ""))) or "硬核观察" in (str(fm.get("category")), str(fm.get("categories"))):
            return "linuxcn"
        if "layout" in fm and re.search(r"^>\s*[💡🔍]|^#{2,3}\s+(?:\d+\.\s|.*GitHub Trending)", text, re.M):
            return "aidaily"  # the AI daily's comments and numbered stories; the weekly digest has neither
        if "layout" in fm and re.search(r"^####\s", text, re.M):
            return "jekyll"
    if re.search(r"要点解析", text) and re.search(r"^###\s", text, re.M):
        return "digest"
    if re.search(r"^\[[^\]]*\]\(https?://mp\.weixin\.qq\.com/", head, re.M) or re.search(r"^\S.*\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}\s*发表于", head, re.M):
        return "wechat"
    if not _MARKUP.search(text):
        return "plaintext"
    raise AicorpusError(
        Issue(raw.path, "format-unknown", "could not tell which source format this is", line=1,
              hint=f"pass --format with one of {', '.join(sorted(FORMATS))}")
    )


def convert(raw: Raw, fmt: str | None = None) -> Draft:
    """Convert ``raw`` with the converter for ``fmt`` (sniffed when ``None``)."""
    fmt = fmt or sniff(raw)
    if fmt not in FORMATS:
        raise AicorpusError(Issue(raw.path, "format-unknown", f"no converter named {fmt!r}", hint=f"use one of {', '.join(sorted(FORMATS))}"))
    return FORMATS[fmt].convert(raw)
