"""Markdown to clean text with pulldown-cmark (via pyromark): anchors kept, links and images listed.

The converters cut a document into item blocks; this module turns one block of
Markdown into plain text. Link anchor text stays in the text, the URL goes to
``links``; images leave the text and go to ``images``.

The parser is pulldown-cmark, a compiled CommonMark 0.31 parser that gives each
event its source range: it parses a document more than ten times faster than
markdown-it-py, which was half of the conversion's time (``scripts/bench_convert.py``
prints both). Link targets are
normalised as markdown-it (and so the published records) always did:
non-ASCII characters percent-encoded, existing escapes kept.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import urljoin

import mdurl
import pyromark


class MarkdownParseError(ValueError):
    """The compiled parser gave up on its input (a Rust panic, raised as a Python error the converters report)."""


def _events(text: str) -> list[tuple]:
    """Every parse event of ``text`` with its UTF-8 byte range."""
    try:
        return list(pyromark.events_with_range(text))
    except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, which is not an Exception
        if type(exc).__name__ != "PanicException":
            raise
        raise MarkdownParseError(f"the Markdown parser failed on this text: {exc}") from None


@dataclass(frozen=True)
class Block:
    """A top-level Markdown block: its kind, 1-based line span, source and parse events.

    ``kind`` is ``heading``, ``paragraph``, ``blockquote``, ``list``, ``code``,
    ``html`` or ``hr``; ``level`` is the heading level; ``items`` holds the line
    spans of a list's items. ``render`` reuses the events: a document is parsed once.
    """

    kind: str
    start: int
    end: int
    source: str
    level: int = 0
    items: tuple[tuple[int, int], ...] = ()
    events: tuple = field(default=(), repr=False, compare=False)
    text: bytes = field(default=b"", repr=False, compare=False)  # the parsed text's bytes, which the event ranges index

    def render(self, *, base_url: str | None = None, role: str = "inline") -> "Rendered":
        return _render(self.events, self.text, base_url, role)


_KINDS = {"Heading": "heading", "Paragraph": "paragraph", "BlockQuote": "blockquote", "List": "list",
          "CodeBlock": "code", "HtmlBlock": "html"}


def blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """Split Markdown ``lines`` into top-level blocks; line numbers start at ``first_line``.

    >>> [(b.kind, b.start, b.end) for b in blocks(["### T", "", "text", "> q"], first_line=10)]
    [('heading', 10, 10), ('paragraph', 12, 12), ('blockquote', 13, 13)]
    """
    text = "\n".join(lines)
    data = text.encode()
    starts = [0]  # byte offset of each line's start, for the events' byte ranges
    for line in lines:
        starts.append(starts[-1] + len(line.encode()) + 1)

    def span(r: dict) -> tuple[int, int]:
        """0-based first line and exclusive end line of a byte range, from its first to its last non-blank byte.

        A list's range can end inside the indentation of the line after it, or take in blank lines.
        """
        first = bisect_right(starts, r["start"]) - 1
        last = bisect_right(starts, max(r["end"] - 1, r["start"])) - 1
        while last > first and not data[starts[last] : min(r["end"], starts[last + 1])].decode().strip():
            last -= 1
        return first, last + 1

    out: list[Block] = []
    events = _events(text)
    depth = 0
    opened = 0  # index of the event that opened the current top-level block
    items: list[tuple[int, int]] = []  # line spans of the current top-level list's items
    for i, (event, r) in enumerate(events):
        if type(event) is not dict:
            if event == "Rule" and depth == 0:
                first, end = span(r)
                out.append(Block("hr", first + first_line, end - 1 + first_line, "\n".join(lines[first:end]), text=data))
        elif "Start" in event:
            if depth == 0:
                opened, items = i, []
            elif depth == 1 and event["Start"] == "Item":
                s, e = span(r)
                items.append((s + first_line, e - 1 + first_line))
            depth += 1
        elif "End" in event:
            depth -= 1
            if depth == 0:
                tag = _tag(event["End"])
                first, end = span(events[opened][1])
                level = int(events[opened][0]["Start"]["Heading"]["level"][1]) if tag == "Heading" else 0
                out.append(Block(_KINDS[tag], first + first_line, end - 1 + first_line, "\n".join(lines[first:end]),
                                 level, tuple(items) if tag == "List" else (), tuple(events[opened : i + 1]), data))
    return out


def _tag(value) -> str:
    """The tag of a Start or End event's value: ``"Item"``, or the key of ``{"Heading": {...}}``."""
    return value if type(value) is str else next(iter(value))


@dataclass
class Rendered:
    text: str
    links: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)


def link(text: str, url: str, role: str) -> dict:
    """A link record as published: anchor text, absolute-or-site-relative URL, role."""
    return {"text": text.strip(), "url": url.strip(), "role": role}


def image(src: str, alt: str = "") -> dict:
    return {"src": src.strip(), "alt": alt.strip()}


def render(markdown: str, *, base_url: str | None = None, role: str = "inline") -> Rendered:
    """Render Markdown to plain text, one line per block.

    >>> r = render("见 [报道](/a.html)。![](/p.jpg)\\n\\n- 一\\n- 二", base_url="https://linux.cn/")
    >>> r.text, r.links, r.images
    ('见 报道。\\n一\\n二', [{'text': '报道', 'url': 'https://linux.cn/a.html', 'role': 'inline'}], [{'src': '/p.jpg', 'alt': ''}])
    """
    if not markdown.strip():  # blank input renders to nothing; converters pass many empty segments
        return Rendered("")
    return _render(_events(markdown), markdown.encode(), base_url, role)


def join_text(rendered: list[Rendered]) -> str:
    """The text of consecutive blocks, as :func:`render` of their source would give it."""
    return "\n".join(r.text for r in rendered if r.text)


# Text on either side of one of these tags' events belongs to different parts (lines of the text).
_BLOCK_TAGS = frozenset(("Paragraph", "Heading", "BlockQuote", "List", "Item", "CodeBlock", "HtmlBlock"))


def _render(events, data: bytes, base_url: str | None, role: str) -> Rendered:
    """Render parse events: one line per paragraph, heading, list item's text, code or HTML block.

    ``data`` is the parsed text's bytes: an image's alt is its label's source, as markdown-it gave it.
    """
    out = Rendered("")
    parts: list[str] = []
    current: list[str] = []  # pieces of the part being read
    anchor: list[str] | None = None  # pieces of a link's text, while inside a link
    href = src = ""
    in_image = 0  # nesting depth inside an image, whose label is its alt, not text
    alt_start = alt_end = 0  # byte range of the image's label
    html = False  # inside an HTML block, whose tags are dropped
    skip_to = ""  # a link or image whose events are skipped up to its End, already rendered from its source
    for event, r in events:
        if skip_to:
            if type(event) is dict and event.get("End") == skip_to:
                skip_to = ""
                if anchor is None:
                    continue  # a refused target: nothing to close
            else:
                continue
        if in_image:
            if type(event) is dict:
                if _tag(event.get("Start", "")) == "Image":
                    in_image += 1
                elif event.get("End") == "Image":
                    in_image -= 1
                    if not in_image:
                        out.images.append(image(src, data[alt_start:alt_end].decode() if alt_end > alt_start else ""))
                        continue
            alt_start, alt_end = min(alt_start, r["start"]), max(alt_end, r["end"])
            continue
        if type(event) is str:  # SoftBreak, HardBreak or Rule
            if event != "Rule":
                (current if anchor is None else anchor).append("\n")
            continue
        kind, value = next(iter(event.items()))
        if kind == "Text" or kind == "Code":
            (current if anchor is None else anchor).append(_esc(value))
        elif kind == "InlineHtml":
            (current if anchor is None else anchor).append(_html_inline(value))
        elif kind == "Html":
            current.append(_esc(value))
        elif kind == "Start":
            tag = _tag(value)
            if tag in ("Link", "Image") and not _allowed(value[tag]["dest_url"]):
                # markdown-it refuses these targets (javascript: and the like): the source stays as text
                current.append(_esc(data[r["start"] : r["end"]].decode()))
                skip_to = tag
            elif tag == "Link":
                anchor, href = [], _href(value["Link"])
                if value["Link"]["link_type"] in ("Autolink", "Email"):  # <url>: the text is the URL, escapes decoded
                    anchor, skip_to = [_esc(_autolink_text(value["Link"]["dest_url"]))], "Link"
            elif tag == "Image":
                in_image, src = 1, _href(value["Image"])
                alt_start, alt_end = len(data), 0  # the label's events widen this
            elif tag in _BLOCK_TAGS:
                parts.append("".join(current))
                current, html = [], tag == "HtmlBlock"
        elif kind == "End":
            tag = _tag(value)
            if tag == "Link" and anchor is not None:
                text = "".join(anchor)
                url = urljoin(base_url, href) if base_url and href.startswith("/") else href
                out.links.append(link(_unesc(text), url, role))
                current.append(text)
                anchor = None
            elif tag in _BLOCK_TAGS:
                part = "".join(current)
                parts.append(_strip_html(part) if html else part.rstrip("\n") if tag == "CodeBlock" else part)
                current, html = [], False
    parts.append("".join(current))
    out.text = _unesc(squeeze(_ruby("\n".join(b for b in (b.strip() for b in parts) if b))))
    return out


_RECODE_HOST = ("http:", "https:", "mailto:")
_BAD_PROTOCOL = re.compile(r"^(vbscript|javascript|file|data):")
_GOOD_DATA = re.compile(r"^data:image/(gif|png|jpeg|webp);")


def _allowed(url: str) -> bool:
    """markdown-it's rule for link and image targets: no script, file or data URLs but inline images."""
    url = url.strip().lower()
    return not _BAD_PROTOCOL.search(url) or bool(_GOOD_DATA.search(url))


def _autolink_text(url: str) -> str:
    """The text of an autolink, as markdown-it shows it: percent escapes decoded.

    >>> _autolink_text("https://a.cn/%E4%B8%AD")
    'https://a.cn/中'
    """
    return mdurl.decode(url, mdurl.DECODE_DEFAULT_CHARS + "%")


def _href(target: dict) -> str:
    """A link's or image's URL, normalised as markdown-it (and so the published records) did: IDNA host, percent-encoded.

    >>> _href({"link_type": "Inline", "dest_url": "https://例子.cn/新闻 1"})
    'https://xn--fsqu00a.cn/%E6%96%B0%E9%97%BB%201'
    """
    url = target["dest_url"]
    if target["link_type"] == "Email":
        url = f"mailto:{url}"
    parsed = mdurl.parse(url, slashes_denote_host=True)
    if parsed.hostname and not parsed.hostname.isascii() and (not parsed.protocol or parsed.protocol in _RECODE_HOST):
        try:
            parsed = parsed._replace(hostname=parsed.hostname.encode("idna").decode("ascii"))
        except UnicodeError:  # not a valid international name: percent-encoded below like the rest
            pass
    return mdurl.encode(mdurl.format(parsed))


def _html_inline(tag: str) -> str:
    # <ruby>安德烈·里基<rt>Andrea Righi</rt></ruby> reads as "安德烈·里基（Andrea Righi）".
    low = tag.lower().replace(" ", "")
    if low == "<rt>":
        return _RT_OPEN
    if low == "</rt>":
        return _RT_CLOSE
    return ""


# Private-use marks for ruby parentheses, so that the spaces around them can be
# dropped without touching real parentheses in the text. The same characters in the
# source are text (a contributor's private-use character must not become a
# parenthesis): every piece of source text is escaped with a third private-use
# character before it is joined with the marks, and unescaped once they are gone.
_RT_OPEN, _RT_CLOSE = "\ue000", "\ue001"
_ESCAPE = "\ue002"
_PRIVATE = re.compile("[\ue000-\ue002]")
_ESCAPED = re.compile("\ue002([012])")


def _esc(text: str) -> str:
    """Source text with U+E000..U+E002 escaped, so that none of them reads as a ruby mark.

    >>> _unesc(_ruby(_esc("\ue000a\ue001") + _RT_OPEN + "b" + _RT_CLOSE)) == "\ue000a\ue001（b）"
    True
    """
    if not _PRIVATE.search(text):  # nearly always: one scan
        return text
    return _PRIVATE.sub(lambda m: _ESCAPE + str(ord(m.group()) - 0xE000), text)


def _unesc(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(0xE000 + int(m.group(1))), text) if _ESCAPE in text else text
_RT_OPEN_SPACED = re.compile(r"\s*\ue000\s*")
_RT_CLOSE_SPACED = re.compile(r"\s*\ue001")


def _ruby(text: str) -> str:
    if _RT_OPEN not in text and _RT_CLOSE not in text:  # no ruby: skip two regex scans of every block
        return text
    text = _RT_OPEN_SPACED.sub("（", text)
    return _RT_CLOSE_SPACED.sub("）", text)


_TAG = re.compile(r"<[^>]+>")


def _strip_html(html: str) -> str:
    return _TAG.sub("", html)


_SPACES = re.compile(r"[ \t\u3000]{2,}")


def squeeze(text: str) -> str:
    """Collapse runs of spaces and strip each line (ruby markup leaves doubled spaces).

    >>> squeeze("a  b \\n  c")
    'a b\\nc'
    """
    # One substitution over the whole text: the pattern never matches a newline, so it is the same as per line.
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))
