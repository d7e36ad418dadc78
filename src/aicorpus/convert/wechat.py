"""WeChat (公众号) article saved as Markdown.

Shape: a ``##`` title, a link line to the article, a byline
``<account> <YYYY-MM-DD HH:MM> 发表于<place>``, optional repost and author
lines (``以下文章来源于 X ，作者 Y``, ``作者 | Y``), a lead, then ``###`` day
or topic sections. Inside a section each story opens with a short
``kicker：headline`` line and a subtitle line, then its paragraphs. A closing
paragraph after the last story (``最后`` / ``写在最后`` / ``结语`` ...) belongs to
the article, not to that story.
"""

from __future__ import annotations

import re

from ..markdown import blocks, join_text
from ..sources import Raw
from .base import Draft, ItemDraft, metadata

MARKERS: tuple[str, ...] = ()
_BYLINE = re.compile(r"^(?P<account>\S.*?)\s+(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<time>\d{1,2}:\d{2})\s*(?:发表于\s*(?P<place>\S+))?\s*$")
_VIA = re.compile(r"^以下文章来源于\s*(?P<via>.+?)\s*[，,]\s*作者\s*(?P<author>.+?)\s*$")
_AUTHOR = re.compile(r"^作者\s*[|｜]\s*(?P<author>.+?)\s*$")
# kicker：headline — a short label, then a headline that is not a quotation or a sentence.
_KICKER = re.compile(r"^(?P<kicker>[^：:\s「“\"][^：:]{0,11}?)\s*[：:]\s*(?P<headline>[^「“\"\s].{0,39})$")
_CLOSING = re.compile(r"^(最后|写在最后|结语|总结一下|结尾)")
_PLACEHOLDER = {"图片", "视频", "[图片]"}


def convert(raw: Raw) -> Draft:
    """Convert one WeChat article.

    >>> from aicorpus.sources import read_raw; from pathlib import Path
    >>> d = convert(read_raw(Path("raw/001_8d1f7f20af511b39.txt")))
    >>> d.published, d.metadata["place"], [(i.kicker, i.title) for i in d.items][:1]
    ('2023-03-19T12:00:00+08:00', '北京', [('低成本', '斯坦福大学发布 Alpaca7B')])
    """
    bs = blocks(raw.lines)
    rs = [b.render() for b in bs]
    texts = [r.text.strip() for r in rs]
    draft = Draft(format="wechat", source="WeChat", text=join_text(rs))
    starts = [i for i in range(len(bs)) if _opens_story(bs, texts, i)]
    last_structure = max([i for i, b in enumerate(bs) if b.kind == "heading"] + starts, default=-1)
    section: str | None = None
    item: ItemDraft | None = None
    in_lead = True
    closing = False
    i = 0
    while i < len(bs):
        b, r, line = bs[i], rs[i], texts[i]
        if b.kind == "heading" and b.level <= 2 and draft.title is None:
            draft.title = line
        elif in_lead and b.kind == "paragraph" and r.links and r.text == r.links[0]["text"] and draft.url is None:
            draft.url = r.links[0]["url"]
        elif in_lead and (m := _BYLINE.match(line)):
            draft.source = f"WeChat: {m['account']}"
            draft.published = f"{m['date']}T{int(m['time'][:-3]):02d}:{m['time'][-2:]}:00+08:00"
            draft.metadata = metadata(place=m["place"], series=m["account"])
        elif in_lead and (m := _VIA.match(line)):
            draft.metadata["via"] = m["via"]
            _add_author(draft, m["author"])
        elif in_lead and (m := _AUTHOR.match(line)):
            _add_author(draft, m["author"])
        elif b.kind == "heading":
            section, item, in_lead = line, None, False
        elif section is not None and not closing and i in starts:
            k = _KICKER.match(line)
            item = ItemDraft(b.start, bs[i + 1].end, title=k["headline"].strip(), kicker=k["kicker"].strip(),
                             subtitle=texts[i + 1], section=section)
            draft.items.append(item)
            i += 2
            continue
        elif item is not None and not closing and _CLOSING.match(line) and i > last_structure:
            closing, item = True, None  # the article's own ending: document text only
        elif item is not None:
            if line in _PLACEHOLDER:
                draft.drop(b.start, b.end, "image placeholder: the export kept only the word, not the image")
            else:
                item.add_text(r.text)
                item.links += [dict(l, role="related") for l in r.links]
                item.images += r.images
            item.line_end = b.end
        i += 1
    return draft


def _opens_story(bs, texts: list[str], i: int) -> bool:
    """A kicker line followed by a short subtitle paragraph."""
    b = bs[i]
    if b.kind != "paragraph" or b.start != b.end or i + 1 >= len(bs):
        return False
    line = texts[i]
    if not _KICKER.match(line) or line.endswith(("。", "：", ":")):
        return False
    sub = bs[i + 1]
    return sub.kind == "paragraph" and sub.start == sub.end and 0 < len(texts[i + 1]) <= 50


def _add_author(draft: Draft, name: str) -> None:
    if name not in draft.authors:
        draft.authors.append(name)
