"""Machine-written AI daily (the Jekyll blog nil957/ai-daily-blog, 2026): a generator's posts whose layout drifted.

Layouts seen, oldest first:

* a ``# title`` line, ``## N. title`` stories (text, a ``> 💡`` comment),
  a ``## 今日观察`` list and ``[← 返回首页]`` navigation links;
* ``## N. 🔥 title`` stories of ``**发生了什么：**`` / ``**为什么重要：**`` /
  ``**我的看法：**`` paragraphs, a ``## 📊 今日快讯`` list of one-line news and a
  ``## 💭 今日思考`` essay;
* a ``## 📰 AI 新闻精选`` section of ``### N. title`` stories (text, a
  ``**核心要点：**`` bullet list, a ``> 💡`` comment), a ``## 🔥 GitHub Trending
  热榜`` section of ``### N. owner/repo ⭐ stars`` entries (stats lines, a
  description, a ``> 🔍 **分析**：``, ``**简析：**`` or plain ``>`` comment) or a
  table of one row per project, a
  ``## 📊 今日观察`` essay and a closing line naming the generator.

What each part becomes:

* a news story is an item; its comment (💡, 我的看法) is ``commentary``; its
  bullets stay in ``text`` (they restate the story's facts, which claims cite);
* a trending entry (a ``###`` heading or a table row) is an item in its section
  (``GitHub Trending 热榜``), titled by the project, its figures (stars, today's
  gain, language) in ``subtitle``, its description in ``text``: it is a
  self-contained entry on one named project with its own comment, the shape of
  a news item, and its tooling stories are part of what the daily reports;
  filter on ``section`` to keep news only;
* each 今日快讯 bullet is an item (a one-line story, like linux.cn's 回音);
* an essay section (今日观察, 今日思考, 总结, 小结) stays in the document text:
  it comments on the day's stories and tells none of its own;
* navigation links are site chrome and are dropped; the closing line stays in
  the document text and gives ``authors`` (the generator's name) and
  ``metadata.updated``.
"""

from __future__ import annotations

import datetime
import re

from ..markdown import Rendered, blocks, join_text, link, render
from ..sources import Raw
from .base import Draft, ItemDraft, metadata, strip_decoration, text_value

SOURCE = "AI Daily Blog"
#: Labels that route a block to ``commentary``; coverage removes them before looking a line up.
MARKERS = ("我的看法", "简析", "分析", "点评")
_NUMBER = re.compile(r"^\d+\s*[.、]\s*")
_LEAD = re.compile(r"^[^\w\[(（《\"“'‘]+")  # leading emoji and symbols before a heading's words
_COMMENT_LABEL = re.compile(r"^(?:[💡🔍]\s*)?(?:我的看法|简析|分析|点评)\s*[：:]\s*")
_COMMENT_MARK = re.compile(r"^[💡🔍]")
_NAV = re.compile(r"[←<\s]*返回首页[→>\s]*")  # a paragraph that is only the link back to the blog's index
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_GENERATED = re.compile(r"由\s*(?P<name>[^\s🤖，,|]+?)\s*(?:🤖\s*)?自动生成")
_UPDATED = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})\s*(?:CST|\(UTC\+8\)|（UTC\+8）)")
_SERIES = re.compile(r"AI\s*(?:日报|资讯)")
_RANK = {"排名", "#", "No.", "Rank", ""}
_DESCRIPTIVE = {"描述", "简介", "说明", "介绍", "项目简介", "项目描述", "Description", "description"}
_STAT = re.compile(r"^\s*\*\*(?P<label>[^*]{1,16}?)\s*(?:[：:]\s*\*\*|\*\*\s*[：:])\s*(?P<value>.*)$")
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*(?:\n|$)")  # a Markdown table's first row (tables arrive as paragraphs)
_QUICK_TITLE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\*\*(?P<title>[^*]+?)\*\*\s*[：:]")
_CONSUMED = {"title": "title", "date": "published", "tags": "tags", "categories": "metadata.category",
             "description": "highlights", "excerpt": "highlights"}


def _kind(heading: str) -> str:
    """What a ``#``/``##`` section holds: one ``story``, ``news`` or ``trending`` entries, ``quick`` news, or an ``essay``.

    >>> [_kind(h) for h in ("1. 🔥 Tesla 投资 xAI", "📰 AI 新闻精选", "🔥 GitHub Trending 热榜", "📊 今日快讯", "📊 今日观察")]
    ['story', 'news', 'trending', 'quick', 'essay']
    """
    if "trending" in heading.lower():
        return "trending"
    if _NUMBER.match(heading):
        return "story"
    if "快讯" in heading:
        return "quick"
    if "新闻" in heading or "精选" in heading:
        return "news"
    return "essay"


def _title(heading: str) -> str:
    """A heading without its number and decorative emoji.

    >>> _title("1. 🔥 Google DeepMind 收购 Hume AI 核心团队"), _title("📰 AI 新闻精选")
    ('Google DeepMind 收购 Hume AI 核心团队', 'AI 新闻精选')
    """
    return strip_decoration(_LEAD.sub("", _NUMBER.sub("", heading.strip())))


def _comment(text: str) -> str:
    return _COMMENT_LABEL.sub("", _COMMENT_MARK.sub("", text).strip()).strip()


def convert(raw: Raw) -> Draft:
    """Convert one AI daily post.

    >>> from aicorpus.sources import read_raw; from pathlib import Path
    >>> d = convert(read_raw(Path("raw/ai-daily/2026-04-10-ai-daily-news.md")))
    >>> d.published, d.authors, d.items[0].section, d.items[0].title
    ('2026-04-10', ['Javis'], 'AI 新闻精选', 'Anthropic 与 Google/Broadcom 签署数十亿美元 TPU 基础设施协议')
    >>> d.items[5].section, d.items[5].title, d.items[5].subtitle.split("\\n")[0]
    ('GitHub Trending 热榜', 'NousResearch/hermes-agent', '⭐ 44,567')
    """
    fm = raw.front_matter
    data = fm.data
    title = text_value(data.get("title"))
    summary = text_value(data.get("description")) or text_value(data.get("excerpt"))
    categories = data.get("categories")
    draft = Draft(
        format="aidaily",
        source=SOURCE,
        text="",
        title=title,
        published=_published(data.get("date"), title),
        tags=[str(t) for t in data.get("tags") or []],
        highlights=[summary] if summary else [],
        metadata=metadata(
            series=_SERIES.search(title).group(0) if title and _SERIES.search(title) else None,
            category=", ".join(map(str, categories)) if isinstance(categories, list) else text_value(categories),
        ),
    )
    draft.drop(fm.start, fm.start, "front matter delimiter")
    draft.drop(fm.end, fm.end, "front matter delimiter")
    for key, (first, last) in fm.keys.items():
        reason = f"front matter consumed into {_CONSUMED[key]}" if key in _CONSUMED else "site layout setting" if key == "layout" \
            else "front matter key not used by aicorpus"
        draft.drop(first, last, reason)

    parsed = blocks(raw.lines[fm.body_start - 1 :], first_line=fm.body_start)
    rendered = [b.render() for b in parsed]
    kept: list[Rendered] = []
    kind, section = "essay", None
    item: ItemDraft | None = None
    commenting = False  # inside a story's 我的看法 / 简析: every block goes to commentary
    for b, r in zip(parsed, rendered):
        if b.kind == "paragraph" and _NAV.fullmatch(r.text):
            draft.drop(b.start, b.end, "site navigation link")
            continue
        kept.append(r)
        if m := _GENERATED.search(r.text):
            draft.authors = [m.group("name")] if m.group("name") != "AI" else []
        if m := _UPDATED.search(r.text):
            draft.metadata["updated"] = f"{m.group(1)}T{m.group(2)}:00+08:00"
        if b.kind == "heading" and b.level <= 2:
            kind, item, commenting = _kind(r.text), None, False
            section = None if kind in ("story", "essay") else _title(r.text)
            if kind == "story":
                item = _start(draft, r, b.start, None)
            continue
        if b.kind == "heading" and kind in ("news", "trending"):
            # numbered entries are stories; an unnumbered heading (项目亮点分析) opens a note on several of them
            item, commenting = (_start(draft, r, b.start, section) if _NUMBER.match(r.text) else None), False
            continue
        if b.kind == "paragraph" and kind == "trending" and _TABLE_ROW.match(b.source):
            draft.items += _table(raw, b.start, b.end, section)
            item = None
            continue
        if b.kind == "list" and kind == "quick":
            for first, last in b.items:
                draft.items.append(_quick(raw, first, last, section))
            continue
        if b.kind == "hr":  # the rule between stories: what follows before a heading is no story's
            item, commenting = None, False
            continue
        if item is None:
            continue
        if b.kind == "blockquote" and (_COMMENT_MARK.match(r.text) or kind == "trending"):
            _add_comment(item, _comment(r.text))
        elif commenting or (b.kind == "paragraph" and _COMMENT_LABEL.match(r.text)):
            commenting = True
            _add_comment(item, _comment(r.text))
        elif kind == "trending" and b.kind == "paragraph":
            _entry_lines(item, b.source)
        else:
            item.add_text(r.text)
            item.links += r.links
            item.images += r.images
        item.line_end = max(item.line_end, b.end)
    draft.text = join_text(kept)
    return draft


def _start(draft: Draft, heading: Rendered, line: int, section: str | None) -> ItemDraft:
    title, _, stars = _title(heading.text).partition("⭐")
    item = ItemDraft(line, line, title=title.strip() or None, section=section, subtitle=f"⭐ {stars.strip()}" if stars.strip() else None,
                     links=[link(l["text"], l["url"], "source") for l in heading.links])
    draft.items.append(item)
    return item


def _is_stat(label: str, value: str) -> bool:
    """A trending entry's figure (stars, today's gain, language ...), as opposed to its description.

    >>> _is_stat("今日新增", "6,485+"), _is_stat("语言", "Python"), _is_stat("描述", "AI 记忆引擎"), _is_stat("简介", "-")
    (True, True, False, False)
    """
    return label not in _DESCRIPTIVE and len(value) <= 30


def _add_stat(item: ItemDraft, line: str) -> None:
    item.subtitle = f"{item.subtitle}\n{line}" if item.subtitle else line


def _entry_lines(item: ItemDraft, source: str) -> None:
    """A paragraph of a trending entry: ``**label：** figure`` lines go to ``subtitle``, the rest to ``text``.

    The figures (stars, today's gain, language) are the entry's data line, like a subtitle under its
    headline; keeping them out of the text keeps them out of the near-duplicate comparison, where the
    same ``N/A``s would make unrelated short entries look alike.
    """
    for line in source.split("\n"):
        r = render(line)
        m = _STAT.match(line)
        if m and _is_stat(_LEAD.sub("", render(m.group("label")).text), render(m.group("value")).text):
            _add_stat(item, r.text)
        else:
            item.add_text(r.text)
        item.links += r.links
        item.images += r.images


def _quick(raw: Raw, first: int, last: int, section: str | None) -> ItemDraft:
    """One 快讯 bullet as an item: its bold lead is the title, the rest the text."""
    source = "\n".join(raw.lines[first - 1 : last])
    r = render(source)
    item = ItemDraft(first, last, section=section, text=r.text, links=r.links, images=r.images)
    if m := _QUICK_TITLE.match(source):
        lead = render(m.group("title")).text
        item.title, item.text = lead, re.sub(rf"^{re.escape(lead)}\s*[：:]\s*", "", r.text)
    return item


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _table(raw: Raw, first: int, last: int, section: str | None) -> list[ItemDraft]:
    """A trending table, one row per project: each row is an item like a ``###`` entry.

    Its title is the project (the first cell after the rank, with its link); the
    other cells become ``header：value`` lines, of the subtitle for figures (stars,
    today's gain) and of the text for the description, as for a ``###`` entry.
    """
    rows = [(n, _cells(raw.lines[n - 1])) for n in range(first, last + 1) if raw.lines[n - 1].strip()]
    header = [_LEAD.sub("", render(c).text) for c in rows[0][1]]
    items = []
    for n, cells in rows[1:]:
        if all(re.fullmatch(r":?-+:?", c) for c in cells):  # the alignment row
            continue
        item = ItemDraft(n, n, section=section)
        for name, cell in zip(header, cells):
            r = render(cell)
            if name in _RANK:
                continue
            if item.title is None:  # the project: the row's first cell after the rank
                item.title, item.links = r.text, [link(l["text"], l["url"], "source") for l in r.links]
            elif name and _is_stat(name, r.text) and name not in _DESCRIPTIVE:
                _add_stat(item, f"{name}：{r.text}")
            else:
                item.add_text(f"{name}：{r.text}" if name else r.text)
                item.links += r.links
        items.append(item)
    return items


def _add_comment(item: ItemDraft, text: str) -> None:
    if text:
        item.commentary = f"{item.commentary}\n{text}" if item.commentary else text


def _published(value, title: str | None) -> str | None:
    """The front matter date, else the date in the title (2026年4月10日), as ISO 8601."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if text := text_value(value):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]):
            return text[:10]
    if title and (m := _DATE.search(title)):
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None
