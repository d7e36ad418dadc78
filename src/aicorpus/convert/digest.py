"""AI-industry digest: a 看点 highlights list, then ``##`` sections of ``###`` stories.

Each story: a ``###`` title (with decorative emoji), a ``> 要点解析:`` label,
bullets that summarise the original (the item's text) and an
``原文链接:[url](url)`` line (its source link). Before the sections: a
``## 目的`` note and the ``## 看点`` block whose quote gives reading statistics
(原文共计 N 字, 简读后为 M 字, 阅读时间为 K 分钟, 提高阅读效率为 P%) and whose
bullets are the document's highlights, not items.
"""

from __future__ import annotations

import re

from ..markdown import blocks, join_text, link
from ..sources import Raw
from .base import Draft, ItemDraft, metadata, strip_decoration

MARKERS = ("要点解析", "原文链接")
_SOURCE = re.compile(r"^原文链接\s*[:：]")
_STATS = {
    "original_chars": r"原文共计\s*(\d+)\s*字",
    "digest_chars": r"简读后为\s*(\d+)\s*字",
    "reading_minutes": r"阅读时间为\s*(\d+)\s*分钟",
    "efficiency_percent": r"效率为\s*(\d+)\s*%",
}


def convert(raw: Raw) -> Draft:
    """Convert one digest.

    >>> from aicorpus.sources import read_raw; from pathlib import Path
    >>> d = convert(read_raw(Path("raw/003_db7d49f135624de3.txt")))
    >>> len(d.highlights), d.metadata["original_chars"], d.items[0].section, d.items[0].title
    (10, 104112, '产品介绍', '中程AI初学教程')
    """
    parsed = blocks(raw.lines)
    rendered = [b.render() for b in parsed]
    draft = Draft(format="digest", source="unknown", text=join_text(rendered), metadata=metadata())
    section: str | None = None
    item: ItemDraft | None = None
    for b, r in zip(parsed, rendered):
        if b.kind == "heading" and b.level <= 2:
            section, item = r.text.strip(), None
        elif b.kind == "heading":
            item = ItemDraft(b.start, b.end, title=strip_decoration(r.text), section=section)
            draft.items.append(item)
            continue
        elif section == "看点" and b.kind == "blockquote":
            for field, pattern in _STATS.items():
                if m := re.search(pattern, r.text):
                    draft.metadata[field] = int(m.group(1))
            draft.drop(b.start, b.end, "reading statistics: consumed into metadata")
        elif section == "看点" and b.kind == "list":
            draft.highlights += [strip_decoration(h) for h in r.text.split("\n") if h.strip()]
        elif item is None:  # 目的 and other prose outside stories: document text only
            continue
        elif b.kind == "blockquote" and re.fullmatch(r"要点解析\s*[:：]?", r.text.strip()):
            pass  # the label itself; the bullets that follow are the text
        elif b.kind == "paragraph" and _SOURCE.match(r.text):
            item.links += [link(l["text"], l["url"], "source") for l in r.links]
        else:
            item.add_text(r.text)
            item.links += r.links
            item.images += r.images
        if item is not None:
            item.line_end = b.end
    return draft
