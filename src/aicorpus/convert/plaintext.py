"""Plain text with no markup, in which several articles may run together.

A line that is a bare media link (a URL, possibly followed by a caption such
as ``视频来源:...``) marks a boundary: the text before it is one article, the
link opens the next (it is that article's embedded video or picture, recorded
in its ``images``). Lines are paragraphs; there are no titles, so items have
none and their ids key on their opening words.
"""

from __future__ import annotations

import re

from ..markdown import image
from ..sources import Raw
from .base import Draft, ItemDraft

MARKERS: tuple[str, ...] = ()
_MEDIA = re.compile(r"^\s*(?P<url>https?://\S+?\.(?:mp4|webm|mov|m3u8|gif|jpe?g|png|webp))(?P<caption>\S.*)?\s*$", re.I)


def convert(raw: Raw) -> Draft:
    """Convert a plain-text file into one item per article.

    >>> raw = Raw.from_bytes("a.txt", "第一篇。\\nhttps://x.cn/v.mp4视频来源:某人\\n第二篇。".encode())
    >>> [(i.line_start, i.line_end, i.text, i.images) for i in convert(raw).items]
    [(1, 1, '第一篇。', []), (2, 3, '第二篇。', [{'src': 'https://x.cn/v.mp4', 'alt': '视频来源:某人'}])]
    """
    draft = Draft(format="plaintext", source="unknown", text="\n".join(l.strip() for l in raw.lines if l.strip()))
    item: ItemDraft | None = None
    for n, line in enumerate(raw.lines, start=1):
        if not line.strip():
            continue
        media = _MEDIA.match(line)
        if media or item is None:
            item = ItemDraft(n, n)
            draft.items.append(item)
        if media:
            item.images.append(image(media["url"], (media["caption"] or "").strip()))
            draft.drop(n, n, "media link: recorded in item images, marks an article boundary")
        else:
            item.add_text(line)
            item.line_end = n
    return draft
