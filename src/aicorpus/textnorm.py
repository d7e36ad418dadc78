"""The text near-duplicate features are computed on: what a reader sees, not how it is encoded.

A copy of a published story with a zero-width space after every character, or with
full-width Latin letters (ＯｐｅｎＡＩ), reads the same but segments into other words,
and so slipped past the near-duplicate search into another split. Features are
therefore taken from the text after NFKC (full-width and compatibility forms folded:
ＯｐｅｎＡＩ → OpenAI, ５０％ → 50%) with format characters (zero-width spaces and
joiners, bidirectional controls, soft hyphens, tags: category Cf) and combining marks
that NFKC leaves alone (variation selectors, stray accents: Mn, Me) removed, and
lower-cased. Published text is never changed: only the features are.
"""

from __future__ import annotations

import unicodedata
from functools import cache

_INVISIBLE = frozenset({"Cf", "Mn", "Me"})


@cache
def _invisible(char: str) -> bool:
    return unicodedata.category(char) in _INVISIBLE


def feature_text(text: str) -> str:
    """``text`` as near-duplicate features see it: NFKC, no format characters or combining marks, lower case.

    >>> feature_text("Ｏｐｅｎ\\u200bＡＩ开\\u200b源") == feature_text("OpenAI开源") == "openai开源"
    True
    """
    text = unicodedata.normalize("NFKC", text)
    drop = {ord(c): None for c in set(text) if _invisible(c)}  # the distinct characters only: a set is C-fast
    return (text.translate(drop) if drop else text).lower()
