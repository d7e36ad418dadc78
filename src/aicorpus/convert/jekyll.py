"""Jekyll weekly digest (AIGC每周观察): front matter, ``##`` sections, ``####`` stories.

The posts were exported with lines hard-wrapped near 80 columns, even inside
headings and URLs. So, before Markdown parsing, the lines of a paragraph are
joined (with a space where the wrap ate one, with nothing after a hyphen),
and a heading whose next line is a lone short line before a blank is one
wrapped title. A heading that repeats as the first line of a story's body is
body, not a new story. Each story then has text, ``探索之问`` questions, and
source links after ``Ref.``/``ref.`` or ``全文阅读：``, often run together with
the text and each other. A ``##`` section with no ``####`` stories (a feature
column) is one story titled by its heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..markdown import link, render
from ..sources import Raw
from .base import Draft, ItemDraft, image_only, metadata, text_value

MARKERS = ("探索之问", "ref.", "全文阅读")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MARKER = re.compile(r"(\*\*\s*探索之问\s*[:：]?\s*\*\*\s*[:：]?|探索之问\s*[:：]|[Rr]ef\.(?=\s*(?:https?://|\[))|全文阅读\s*[:：])")
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'+,;=%]+")
_LABEL = re.compile(r"([^\s：:，。/]{1,20})\s*[：:]\s*$")
_PERIOD = re.compile(r"\[(\d{4}-\d{4})\]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)\s*")
_SPACE = re.compile(r"\s*")
_LIST_ITEM = re.compile(r"\s*(\d+\.|[-*])\s")
_CONSUMED = {"title": "title", "date": "published", "tags": "tags", "categories": "metadata.category"}
_LAYOUT = {"layout", "style"}


@dataclass
class _Heading:
    line: int  # 1-based line of the '#' line
    last: int  # last line of the (possibly wrapped) heading
    level: int
    text: str


def convert(raw: Raw) -> Draft:
    """Convert one weekly digest post.

    >>> from aicorpus.sources import read_raw; from pathlib import Path
    >>> d = convert(read_raw(Path("raw/002_6b388ca54b54df3a.txt")))
    >>> d.published, len(d.items), d.items[8].title
    ('2023-08-11', 10, 'Open Problems and Fundamental Limitations of Reinforcement Learning from Human Feedback')
    """
    fm = raw.front_matter
    title = str(fm.data.get("title") or "").strip() or None
    period = _PERIOD.search(title or "")
    draft = Draft(
        format="jekyll",
        source="AIGC每周观察 (Jekyll blog)",
        text="",
        title=title,
        published=_date(fm.data.get("date")),
        tags=[str(t) for t in fm.data.get("tags") or []],
        metadata=metadata(series=title.split("[")[0].strip() if title else None, period=period.group(1) if period else None,
                          category=text_value(fm.data.get("categories"))),
    )
    draft.drop(fm.start, fm.start, "front matter delimiter")
    draft.drop(fm.end, fm.end, "front matter delimiter")
    for key, (first, last) in fm.keys.items():
        reason = f"front matter consumed into {_CONSUMED[key]}" if key in _CONSUMED else "site layout setting" if key in _LAYOUT else "front matter key not used by aicorpus"
        draft.drop(first, last, reason)

    lines = raw.lines
    body_start = fm.body_start
    draft.text = render("\n".join(_unwrap(lines[body_start - 1 :]))).text
    heads = _headings(lines, body_start)
    for n in range(body_start, heads[0].line if heads else len(lines) + 1):
        if image_only(lines[n - 1]):  # the cover picture above the first section
            draft.images += render(lines[n - 1]).images
            draft.drop(n, n, "image: recorded in document images")
    section: str | None = None
    for h, nxt in zip(heads, heads[1:] + [None]):
        end = (nxt.line - 1) if nxt else len(lines)
        if h.level <= 2:
            section = render(h.text).text
            stories_follow = nxt is not None and nxt.level > 2 and any(x.level == 4 for x in _until_section(heads, nxt))
            if not stories_follow and _has_text(lines, h.last + 1, _section_end(heads, h, len(lines))):
                # A feature column without #### stories: the whole section is one story.
                item = _story(lines, h, _section_end(heads, h, len(lines)), section, whole_section=True)
                draft.items.append(item)
            continue
        if h.level == 4:
            draft.items.append(_story(lines, h, end, section))
    return draft


def _headings(lines: list[str], start: int) -> list[_Heading]:
    """Real headings, with wrapped titles joined and repeated headings folded into bodies."""
    out: list[_Heading] = []
    n = start
    while n <= len(lines):
        m = _HEADING.match(lines[n - 1])
        if not m:
            n += 1
            continue
        level, text, last = len(m.group(1)), m.group(2), n
        nxt = lines[n] if n < len(lines) else ""
        after = lines[n + 1] if n + 1 < len(lines) else ""
        if nxt.strip() and not after.strip() and not _HEADING.match(nxt) and not nxt.lstrip().startswith(("!", "[", ">", "-", "*")) and len(nxt) < 40:
            text, last = _join(text, nxt.strip()), n + 1
        prev = out[-1] if out else None
        if prev and prev.level == level == 4 and not _has_text(lines, prev.last + 1, n - 1) and _same_story(prev.text, text):
            n = last + 1  # the heading repeated as the body's first line: body, not a story
            continue
        out.append(_Heading(n, last, level, text))
        n = last + 1
    return out


def _story(lines: list[str], h: _Heading, end: int, section: str | None, whole_section: bool = False) -> ItemDraft:
    body = list(lines[h.last : end])
    first = next((k for k, line in enumerate(body) if line.strip()), None)
    if first is not None and (m := _HEADING.match(body[first])) and len(m.group(1)) == 4:
        body[first] = m.group(2)  # the repeated heading is body text (and may wrap into the next line)
    body = _unwrap(body)
    item = ItemDraft(h.line, _last_text_line(lines, h.last, end), title=render(h.text).text, section=section)
    if whole_section:
        item.title, item.section = section, section
    parts = _MARKER.split("\n".join(body))
    _add_body(item, parts[0])
    for marker, segment in zip(parts[1::2], parts[2::2]):
        if "探索之问" in marker:
            item.questions += _questions(item, segment)
        elif marker.lower().startswith("ref"):
            rest = _take_links(item, segment, "source")
            _add_body(item, rest)
        else:  # 全文阅读: the first URL is the full text, the rest is more body
            urls = _URL.search(segment)
            if urls and not segment[: urls.start()].strip():
                item.links.append(link("全文阅读", _clean_url(urls.group(0)), "fulltext"))
                segment = segment[urls.end() :]
            else:
                segment = _take_links(item, segment, "fulltext", only_first=True)
            _add_body(item, segment)
    return item


def _add_body(item: ItemDraft, markdown: str) -> None:
    r = render(markdown)
    kept, pos = [], 0
    for m in _URL.finditer(r.text):
        kept.append(r.text[pos : m.start()])
        label = _LABEL.search("".join(kept))
        for url in _split_urls(m.group(0)):
            item.links.append(link(label.group(1) if label else "", url, "related"))
        pos = m.end()
    kept.append(r.text[pos:])
    item.links += [dict(l, role="related") for l in r.links]
    item.images += r.images
    item.add_text(re.sub(r"[ \t]+\n", "\n", "".join(kept)).strip())


def _take_links(item: ItemDraft, segment: str, role: str, only_first: bool = False) -> str:
    """Move the Markdown links and bare URLs at the start of ``segment`` into links; return the rest."""
    rest = segment.lstrip()
    while True:
        if m := _MD_LINK.match(rest):
            item.links.append(link(m.group(1), m.group(2), role))
        elif m := _URL.match(rest):
            item.links += [link("Ref." if role == "source" else "全文阅读", u, role) for u in _split_urls(m.group(0))]
            m = _SPACE.match(rest, m.end())  # the URL and the spaces after it
        else:
            return rest
        rest = rest[m.end() :]
        if only_first:
            return rest


def _questions(item: ItemDraft, segment: str) -> list[str]:
    r = render(segment)
    item.images += r.images
    text = r.text.replace("\n", "")
    parts = re.findall(r"[^？?]+[？?]|[^？?]+$", text)
    out = [re.sub(r"^\s*\d+\s*[.、]\s*", "", p).strip() for p in parts]
    return [q for q in out if q]


def _split_urls(url: str) -> list[str]:
    """Run-together URLs ('.../gptbothttps://...') are split at each scheme."""
    return [_clean_url(u) for u in re.split(r"(?<=.)(?=https?://)", url) if u]


def _clean_url(url: str) -> str:
    return url.rstrip(".,;")


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of each paragraph; blank lines and headings stay."""
    out: list[str] = []
    for line in lines:
        if out and line.strip() and out[-1].strip() and not _HEADING.match(line) and not _HEADING.match(out[-1]) and not _LIST_ITEM.match(line):
            out[-1] = _join(out[-1], line.strip())
        else:
            out.append(line)
    return out


def _join(left: str, right: str) -> str:
    left = left.rstrip()
    return left + right if left.endswith("-") else f"{left} {right}"


def _same_story(a: str, b: str) -> bool:
    """Two consecutive headings tell the same story when they open with the same words."""
    na, nb = re.sub(r"\W", "", a), re.sub(r"\W", "", b)
    return na[:8] == nb[:8] and len(na) >= 8


def _has_text(lines: list[str], first: int, last: int) -> bool:
    return any(lines[i - 1].strip() for i in range(first, last + 1))


def _last_text_line(lines: list[str], after: int, end: int) -> int:
    last = after
    for n in range(after + 1, end + 1):
        if lines[n - 1].strip():
            last = n
    return last


def _until_section(heads: list[_Heading], start: _Heading) -> list[_Heading]:
    i = heads.index(start)
    out = []
    for h in heads[i:]:
        if h.level <= 2:
            break
        out.append(h)
    return out


def _section_end(heads: list[_Heading], h: _Heading, total: int) -> int:
    later = [x for x in heads[heads.index(h) + 1 :] if x.level <= h.level]
    return later[0].line - 1 if later else total


def _date(value) -> str | None:
    text = str(value or "").strip()
    return text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text) else None
