"""What every converter shares: the draft types it fills and the step that
turns drafts into published records (ids, positions, offsets).

A converter is a pure function ``convert(raw: Raw) -> Draft``. It says, for
every raw line it does not put into a field, why (``Draft.drop``); the
coverage step (:mod:`aicorpus.coverage`) checks the rest independently.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ..sources import Raw

#: Metadata fields every document carries (null where the source has none),
#: so that the Parquet struct has one fixed type across formats.
METADATA_FIELDS: dict[str, type] = {
    "series": str,  # 硬核观察, AIGC每周观察 ...
    "issue_number": int,  # the series' own number (硬核观察 #982)
    "category": str,
    "period": str,  # the days a weekly digest covers, as written ("0731-0806")
    "views": int,
    "comments": int,
    "likes": int,
    "favorites": int,
    "shares": int,
    "updated": str,  # ISO 8601
    "editor_choice": bool,
    "is_translation": bool,
    "place": str,  # where a WeChat post was published from
    "via": str,  # the account a WeChat post was reposted from
    "original_chars": int,  # digest: length of the summarised originals
    "digest_chars": int,
    "reading_minutes": int,
    "efficiency_percent": int,
}


@dataclass
class ItemDraft:
    """One story as a converter found it; ``line_start``/``line_end`` are 1-based, inclusive."""

    line_start: int
    line_end: int
    title: str | None = None
    section: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    text: str = ""
    links: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    commentary: str | None = None
    questions: list[str] = field(default_factory=list)

    def add_text(self, text: str) -> None:
        text = text.strip()
        if text:
            self.text = f"{self.text}\n{text}" if self.text else text


@dataclass
class Draft:
    """A converter's output before ids and offsets are assigned."""

    format: str
    source: str
    text: str
    title: str | None = None
    doc_key: str | None = None  # a source's own id (linux.cn article id); else raw sha256 is used
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    items: list[ItemDraft] = field(default_factory=list)
    drops: list[tuple[int, int, str]] = field(default_factory=list)

    def drop(self, first: int, last: int, reason: str) -> None:
        """Record that raw lines ``first..last`` are not in any field, and why."""
        self.drops.append((first, last, reason))


def document_id(fmt: str, raw: Raw, doc_key: str | None) -> str:
    """``linuxcn-15754`` for a source with its own id, else ``<format>-<sha256[:12]>``.

    >>> document_id("plaintext", Raw.from_bytes("a", b"x"), None)
    'plaintext-2d711642b726'
    """
    return f"{fmt}-{doc_key}" if doc_key else f"{fmt}-{raw.sha256[:12]}"


_RUN = re.compile(r"[^\W_]+")


def story_key(title: str | None, text: str) -> str:
    """What identifies a story inside its document: its title, else its opening.

    Only letters and digits count (NFKC, lower case), so that fixes to markup,
    spacing, punctuation or heading wrapping leave the key, and the id, alone.

    >>> story_key("ChatGPT 几乎没有提升必应搜索市场份额", "")
    'chatgpt几乎没有提升必应搜索市场份额'
    >>> story_key(None, "特斯拉CEO埃隆·马斯克(Elon Musk)向大模型领域投下一枚重磅炸弹。")
    '特斯拉ceo埃隆马斯克elonmusk向大模型领域投下一枚重磅炸'
    """
    key = _letters(title) if title else ""
    return key or _opening(text)


def _letters(s: str) -> str:
    """The letters and digits of ``s``, NFKC-normalised and lower-cased."""
    return "".join(_RUN.findall(unicodedata.normalize("NFKC", s).lower()))


def _opening(text: str) -> str:
    """``_letters(text)[:32]``, normalising only as many lines as that takes.

    A run of letters and digits never spans a line break, and neither NFKC nor
    lower() acts across one, so the lines can be taken one at a time.
    """
    key = ""
    for line in text.split("\n"):
        key += _letters(line)
        if len(key) >= 32:
            break
    return key[:32]


def item_id(doc_id: str, key: str, taken: set[str], tried: dict[str, int] | None = None) -> str:
    """``<document id>-<sha256(key)[:8]>``; a repeated key in one document gets ``#2``, ``#3`` ... hashed in.

    ``tried`` remembers, per key, the last number given: the search for a free id goes on from there
    instead of from 1, so that n stories with one key cost n hashes, not n²/2 (20,000 identical stories
    took minutes). The ids are the same: every number below the remembered one is taken, and stays so.

    >>> taken, tried = set(), {}
    >>> [item_id("d", "k", taken, tried)[-8:] for _ in range(3)] == [item_id("d", k, set())[-8:] for k in ("k", "k#2", "k#3")]
    True
    """
    n = 1 if tried is None else tried.get(key, 1)
    while True:
        candidate = key if n == 1 else f"{key}#{n}"
        iid = f"{doc_id}-{hashlib.sha256(candidate.encode()).hexdigest()[:8]}"
        if iid not in taken:
            taken.add(iid)
            if tried is not None:
                tried[key] = n
            return iid
        n += 1


def metadata(**values) -> dict:
    """The full metadata struct: given values, ``None`` for the rest."""
    unknown = set(values) - set(METADATA_FIELDS)
    if unknown:
        raise KeyError(f"unknown metadata fields: {sorted(unknown)}")
    return {name: values.get(name) for name in METADATA_FIELDS}


def to_records(raw: Raw, draft: Draft) -> tuple[dict, list[dict]]:
    """Turn a draft into a document record and its item records (without coverage)."""
    doc_id = document_id(draft.format, raw, draft.doc_key)
    taken: set[str] = set()
    tried: dict[str, int] = {}
    items = []
    for position, it in enumerate(draft.items):
        items.append(
            {
                "id": item_id(doc_id, story_key(it.title, it.text), taken, tried),
                "document_id": doc_id,
                "format": draft.format,
                "source": draft.source,
                "published": draft.published,
                "position": position,
                "section": it.section,
                "kicker": it.kicker,
                "subtitle": it.subtitle,
                "title": it.title,
                "text": it.text,
                "links": it.links,
                "images": it.images,
                "captions": it.captions,
                "commentary": it.commentary,
                "questions": it.questions,
                "line_start": it.line_start,
                "line_end": it.line_end,
                "raw_start": raw.offset(it.line_start),
                "raw_end": raw.line_end(it.line_end),
            }
        )
    document = {
        "id": doc_id,
        "format": draft.format,
        "source": draft.source,
        "title": draft.title,
        "authors": draft.authors,
        "published": draft.published,
        "url": draft.url,
        "tags": draft.tags,
        "highlights": draft.highlights,
        "text": draft.text,
        "images": draft.images,
        "metadata": {**metadata(), **draft.metadata},
        "n_items": len(items),
        "raw_path": raw.path,
        "raw_sha256": raw.sha256,
        "raw_encoding": raw.encoding,
    }
    return document, items


_EMOJI_TAIL = re.compile(r"[\s\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\U000E0000-\U000E007F]+$")


def strip_decoration(title: str) -> str:
    """Drop trailing emoji, which digests append to headings as decoration.

    >>> strip_decoration("OpenAI因竞争对手使用ChatGPT而暂停其账户 🤖❌ ")
    'OpenAI因竞争对手使用ChatGPT而暂停其账户'
    """
    return _EMOJI_TAIL.sub("", title).strip()


def text_value(value) -> str | None:
    """A front-matter value as stripped text; None for missing or empty values.

    >>> text_value("  x "), text_value(""), text_value(None), text_value(15754)
    ('x', None, None, '15754')
    """
    if value is None:
        return None
    return str(value).strip() or None


_IMAGES = re.compile(r"(\s*!\[[^\]]*\]\([^)]*\)\s*)+")


def image_only(source: str) -> bool:
    """True for a Markdown paragraph that is nothing but images."""
    return bool(_IMAGES.fullmatch(source))
