"""YAML front matter: safe parsing plus the line span of every top-level key.

PyYAML's safe loader does the parsing (tags that would construct Python
objects are refused), and so are anchors and aliases: a few hundred bytes of
nested aliases expand into a graph whose ``str`` is billions of characters (and
anything that prints or walks a value would take minutes and gigabytes), while
no source's front matter needs them. Nesting deeper than Python's recursion
limit is an error too. The key spans let converters say which raw lines each
field came from, so that coverage can be traced line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import AicorpusError, Issue, shorten

_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


#: libyaml's C parser where PyYAML was built with it (the PyPI wheels are): the pure-Python
#: parser took half of a corpus build's conversion time.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Nesting deeper than this is refused before anything is built (front matter is flat; the C
#: composer would recurse without Python's recursion limit).
MAX_DEPTH = 64


class _AliasError(yaml.YAMLError):
    """An anchor (``&a``) or an alias (``*a``) in front matter."""

    def __init__(self, mark):
        self.problem_mark = mark


class _TooDeep(yaml.YAMLError):
    """Collections nested more than :data:`MAX_DEPTH` deep."""


def _screen(block: str) -> None:
    """Refuse anchors, aliases and deep nesting from the parser's events, before any node is composed."""
    depth = 0
    for event in yaml.parse(block, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasError(event.start_mark)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooDeep()
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


@dataclass(frozen=True)
class FrontMatter:
    """Parsed front matter of ``lines`` (1-based line numbers throughout).

    ``keys`` maps each top-level key to its ``(first_line, last_line)``;
    ``body_start`` is the first line after the closing ``---``.
    """

    data: dict
    keys: dict[str, tuple[int, int]]
    start: int
    end: int
    body_start: int


def has_front_matter(lines: list[str]) -> bool:
    return bool(lines) and lines[0].strip() == "---"


def parse_front_matter(path: str, lines: list[str]) -> FrontMatter:
    """Parse the ``---``-delimited block at the top of ``lines``.

    >>> fm = parse_front_matter("a.md", ["---", "id: 7", "tags:", "- AI", "---", "body"])
    >>> fm.data, fm.keys, fm.body_start
    ({'id': 7, 'tags': ['AI']}, {'id': (2, 2), 'tags': (3, 4)}, 6)
    """
    if not has_front_matter(lines):
        raise AicorpusError(Issue(path, "front-matter-missing", "expected front matter starting with '---' on line 1", line=1))
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise AicorpusError(
            Issue(path, "front-matter-unclosed", "front matter opened on line 1 never closes", line=1, hint="add a line '---' after the last front matter key")
        ) from None
    block = "\n".join(lines[1:close])
    try:
        _screen(block)
        data = yaml.load(block, Loader=_SAFE_LOADER)
    except _AliasError as exc:
        raise AicorpusError(Issue(path, "yaml-alias", "front matter uses a YAML anchor (&name) or alias (*name)", line=exc.problem_mark.line + 2,
                                  hint="write each value out in full; anchors and aliases are not accepted")) from None
    except (_TooDeep, RecursionError):
        raise AicorpusError(Issue(path, "yaml-too-deep", "front matter is nested too deeply to read", line=2,
                                  hint="front matter holds flat keys with short lists")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        constructor = isinstance(exc, yaml.constructor.ConstructorError)
        raise AicorpusError(
            Issue(
                path,
                "yaml-unsafe-tag" if constructor else "yaml-invalid",
                ("front matter uses a YAML tag that safe loading refuses: " if constructor else "front matter is not valid YAML: ")
                + str(getattr(exc, "problem", exc)),
                line=line,
                hint="use plain YAML scalars, lists and mappings" if constructor else "fix the YAML syntax (quote values that contain ': ')",
            )
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AicorpusError(Issue(path, "yaml-not-mapping", "front matter must be a mapping of keys to values", line=2, value=shorten(data)))
    keys: dict[str, tuple[int, int]] = {}
    current = None
    for i in range(1, close):
        m = _KEY.match(lines[i])
        if m:
            current = m.group(1)
            keys[current] = (i + 1, i + 1)
        elif current is not None and lines[i].strip():
            keys[current] = (keys[current][0], i + 1)
    return FrontMatter(data=data, keys=keys, start=1, end=close + 1, body_start=close + 2)
