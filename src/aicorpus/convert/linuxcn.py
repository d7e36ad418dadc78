"""linux.cn 硬核观察: Markdown with YAML front matter, one ``###`` heading per story.

Each story: an illustration just above its heading, the text, a blockquote
``消息来源：<publisher>`` link (the source link) and a blockquote
``老王点评：...`` (the editor's commentary). Variants seen in the archive:
``categories:`` for ``category:``, ``### #1 title`` numbering, a
``*（插图：...）*`` credit line under the text, a closing ``### 回音`` section
of follow-up bullets (each bullet a story), ❶❷❸ or ``?`` (a lost emoji) as
highlight markers, an empty ``###`` line before a story's heading.
"""

from __future__ import annotations

import re

from ..markdown import blocks, join_text, link, render
from ..sources import Raw
from .base import Draft, ItemDraft, image_only, metadata, text_value

SITE = "https://linux.cn/"
MARKERS = ("消息来源", "老王点评")
_NUMBERED = re.compile(r"^#\d+\s+")
_CREDIT = re.compile(r"^\*?（插图：.*）\*?$")
_TITLE_NUMBER = re.compile(r"#(\d+)")
# Highlight lines start with ❶❷❸…, "?" (an emoji lost in an old export) or "»" (an empty slot).
_HIGHLIGHT_MARK = re.compile(r"^[\s?？»❶-❿➀-➉•·-]+")

# Front matter keys and the field each goes to; the rest are named in _DISCARD.
_CONSUMED = {
    "author": "authors", "category": "metadata.category", "categories": "metadata.category",
    "count": "metadata.views/comments/likes/favorites/shares", "date": "published",
    "editorchoice": "metadata.editor_choice", "excerpt": "highlights", "summary": "highlights",
    "id": "id", "islctt": "metadata.is_translation", "largepic": "images", "permalink": "url",
    "tags": "tags", "title": "title", "updated": "metadata.updated",
}
_DISCARD = {
    "comments_data": "reader comments carry IP addresses and user names: personal data, not published",
    "pic": "thumbnail of largepic",
    "thumb": "site layout flag",
    "titlepic": "site layout flag",
}


def convert(raw: Raw) -> Draft:
    """Convert one 硬核观察 post.

    >>> from aicorpus.sources import read_raw; from pathlib import Path
    >>> d = convert(read_raw(Path("raw/000_27dee62db898cc7f.txt")))
    >>> d.doc_key, d.published, [i.title for i in d.items][:1]
    ('15754', '2023-04-25T10:45:52+08:00', ['马斯克前歌手女友支持用 AI 深度伪造其声音'])
    """
    fm = raw.front_matter
    data = fm.data
    count = data["count"] if isinstance(data.get("count"), dict) else {}  # a scalar or list in its place carries no counts
    title = text_value(data.get("title"))
    number = _TITLE_NUMBER.search(title or "")
    largepic = text_value(data.get("largepic"))
    draft = Draft(
        format="linuxcn",
        source="linux.cn",
        text="",
        title=title,
        doc_key=str(data["id"]) if isinstance(data.get("id"), int) else None,
        authors=[a for a in [text_value(data.get("author"))] if a],
        published=_beijing(data.get("date")),
        url=SITE.rstrip("/") + data["permalink"] if text_value(data.get("permalink")) else None,
        tags=[str(t) for t in data.get("tags") or []],
        highlights=_highlights(data.get("summary") or data.get("excerpt")),
        images=[{"src": largepic, "alt": ""}] if largepic else [],
        metadata=metadata(
            series="硬核观察",
            issue_number=int(number.group(1)) if number else None,
            category=text_value(data.get("category") or data.get("categories")),
            views=count.get("viewnum"), comments=count.get("commentnum"), likes=count.get("likes"),
            favorites=count.get("favtimes"), shares=count.get("sharetimes"),
            updated=_beijing(data.get("updated")),
            editor_choice=data.get("editorchoice"), is_translation=data.get("islctt"),
        ),
    )
    _account_front_matter(draft, fm)

    body = raw.lines[fm.body_start - 1 :]
    parsed = blocks(body, first_line=fm.body_start)
    rendered = [b.render(base_url=SITE) for b in parsed]
    draft.text = join_text(rendered)
    pending: list[tuple[int, dict]] = []  # illustrations seen since the last story; they belong to the next one
    item: ItemDraft | None = None
    section = None
    for b, r in zip(parsed, rendered):
        if b.kind == "heading" and b.level <= 3:
            heading = _NUMBERED.sub("", r.text)
            if not heading:  # a stray "### " with nothing after it (16355): no story starts here
                continue
            if heading == "回音":  # follow-ups: each bullet is a story of its own
                section, item = heading, None
                continue
            item = _start(draft, heading, b.start, pending, largepic)
            item.section = section
        elif b.kind == "paragraph" and image_only(b.source):
            pending.extend((b.start, img) for img in r.images)
            continue
        elif b.kind == "list" and section == "回音":
            for first, last in b.items:
                part = render("\n".join(raw.lines[first - 1 : last]), base_url=SITE)
                follow = ItemDraft(first, last, section=section, text=part.text, links=part.links, images=part.images)
                draft.items.append(follow)
            item = None
        elif item is None:  # prose outside any story stays in the document text
            continue
        elif b.kind == "blockquote" and r.text.startswith("消息来源"):
            item.links += [link(l["text"].removeprefix("消息来源：").removeprefix("消息来源:"), l["url"], "source") for l in r.links]
        elif b.kind == "blockquote" and r.text.startswith("老王点评"):
            item.commentary = re.sub(r"^老王点评[：:]\s*", "", r.text)
            item.links += r.links  # a comment may cite an earlier post
        elif b.kind == "paragraph" and _CREDIT.match(b.source.strip()):
            item.captions.append(r.text.strip("（）"))
        else:
            item.add_text(r.text)
            item.links += r.links
            item.images += r.images
        if item is not None:
            item.line_end = max(item.line_end, b.end)
    for line, img in pending:  # illustrations after the last story
        draft.images.append(img)
        draft.drop(line, line, "image: recorded in document images")
    return draft


def _start(draft: Draft, heading: str, line: int, pending: list[tuple[int, dict]], largepic: str | None) -> ItemDraft:
    own = [(n, img) for n, img in pending if img["src"] != largepic]
    for n, img in pending:
        reason = "image: the post's title picture, recorded in document images" if img["src"] == largepic else "image: recorded in item images"
        draft.drop(n, n, reason)
    item = ItemDraft(own[0][0] if own else line, line, title=heading, images=[img for _, img in own])
    pending.clear()
    draft.items.append(item)
    return item


def _account_front_matter(draft: Draft, fm) -> None:
    draft.drop(fm.start, fm.start, "front matter delimiter")
    draft.drop(fm.end, fm.end, "front matter delimiter")
    for key, (first, last) in fm.keys.items():
        value = fm.data.get(key)
        if key in _CONSUMED:
            reason = f"front matter consumed into {_CONSUMED[key]}"
        elif key in _DISCARD:
            reason = _DISCARD[key]
        elif value in ("", [], {}, None):
            reason = "front matter key with an empty value"
        else:
            reason = "front matter key not used by aicorpus"
        draft.drop(first, last, reason)


def _highlights(summary) -> list[str]:
    lines = str(summary or "").replace("\r", "").split("\n")
    return [h for h in (_HIGHLIGHT_MARK.sub("", line).strip() for line in lines) if h]


def _beijing(value) -> str | None:
    """linux.cn dates are Beijing time without a zone: '2023-04-25 10:45:52' -> ISO 8601 +08:00."""
    text = text_value(value)
    if not text:
        return None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})", text)
    return f"{m.group(1)}T{m.group(2)}+08:00" if m else None
