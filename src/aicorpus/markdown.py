"""Markdown to clean text with markdown-it-py: anchors kept, links and images listed.

The converters cut a document into item blocks; this module turns one block of
Markdown into plain text. Link anchor text stays in the text, the URL goes to
``links``; images leave the text and go to ``images``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")


@dataclass(frozen=True)
class Block:
    """A top-level Markdown block: its kind, 1-based line span, source and parsed tokens.

    ``kind`` is ``heading``, ``paragraph``, ``blockquote``, ``list``, ``code``,
    ``html`` or ``hr``; ``level`` is the heading level; ``items`` holds the line
    spans of a list's items. ``render`` reuses the tokens: a document is parsed once.
    """

    kind: str
    start: int
    end: int
    source: str
    level: int = 0
    items: tuple[tuple[int, int], ...] = ()
    tokens: tuple = field(default=(), repr=False, compare=False)

    def render(self, *, base_url: str | None = None, role: str = "inline") -> "Rendered":
        return render_tokens(self.tokens, base_url=base_url, role=role)


_KINDS = {"heading_open": "heading", "paragraph_open": "paragraph", "blockquote_open": "blockquote",
          "bullet_list_open": "list", "ordered_list_open": "list", "fence": "code", "code_block": "code",
          "html_block": "html", "hr": "hr"}


def blocks(lines: list[str], first_line: int = 1) -> list[Block]:
    """Split Markdown ``lines`` into top-level blocks; line numbers start at ``first_line``.

    >>> [(b.kind, b.start, b.end) for b in blocks(["### T", "", "text", "> q"], first_line=10)]
    [('heading', 10, 10), ('paragraph', 12, 12), ('blockquote', 13, 13)]
    """
    out: list[Block] = []
    tokens = _MD.parse("\n".join(lines))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        j = i + 1
        if token.nesting == 1:  # an opening token: the block runs to its closing token at level 0
            while j < len(tokens) and not (tokens[j].level == 0 and tokens[j].nesting == -1):
                j += 1
            j += 1
        if token.level == 0 and token.type in _KINDS and token.map is not None:
            start, end = token.map[0], _trim(lines, *token.map)
            items = tuple(
                (t.map[0] + first_line, _trim(lines, *t.map) - 1 + first_line)
                for t in tokens[i + 1 : j] if t.type == "list_item_open" and t.level == 1 and t.map
            ) if token.type.endswith("list_open") else ()
            level = int(token.tag[1]) if token.type == "heading_open" else 0
            out.append(Block(_KINDS[token.type], start + first_line, end - 1 + first_line,
                             "\n".join(lines[start:end]), level, items, tuple(tokens[i:j])))
        i = j
    return out


def _trim(lines: list[str], start: int, end: int) -> int:
    """End (exclusive) of ``lines[start:end]`` without trailing blank lines."""
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


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
    return render_tokens(_MD.parse(markdown), base_url=base_url, role=role)


def render_tokens(tokens, *, base_url: str | None = None, role: str = "inline") -> Rendered:
    """Render already parsed tokens (see :func:`render`)."""
    out = Rendered("")
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts.append(_inline(token.children or [], out, base_url, role))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.rstrip("\n"))
        elif token.type == "html_block":
            parts.append(_strip_html(token.content).strip())
    out.text = squeeze(_ruby("\n".join(b for b in (b.strip() for b in parts) if b)))
    return out


def join_text(rendered: list[Rendered]) -> str:
    """The text of consecutive blocks, as :func:`render` of their source would give it."""
    return "\n".join(r.text for r in rendered if r.text)


def _inline(children, out: Rendered, base_url: str | None, role: str) -> str:
    parts: list[str] = []
    href = None
    anchor: list[str] = []
    for child in children:
        target = anchor if href is not None else parts
        if child.type == "text" or child.type == "code_inline":
            target.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            target.append("\n")
        elif child.type == "link_open":
            href = child.attrs.get("href", "")
            anchor = []
        elif child.type == "link_close" and href is not None:
            text = "".join(anchor)
            url = urljoin(base_url, href) if base_url and href.startswith("/") else href
            out.links.append(link(text, url, role))
            parts.append(text)
            href = None
        elif child.type == "image":
            out.images.append(image(child.attrs.get("src", ""), child.content))
        elif child.type == "html_inline":
            target.append(_html_inline(child.content))
    return "".join(parts)


def _html_inline(tag: str) -> str:
    # <ruby>安德烈·里基<rt>Andrea Righi</rt></ruby> reads as "安德烈·里基（Andrea Righi）".
    low = tag.lower().replace(" ", "")
    if low == "<rt>":
        return _RT_OPEN
    if low == "</rt>":
        return _RT_CLOSE
    return ""


# Private-use marks for ruby parentheses, so that the spaces around them can be
# dropped without touching real parentheses in the text.
_RT_OPEN, _RT_CLOSE = "\ue000", "\ue001"
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
