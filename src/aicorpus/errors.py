"""One error type for everything a contributor can get wrong.

Each problem is an :class:`Issue` that names the file, the line (or record
number), the JSON path of the field, a stable rule slug and a hint of the fix,
like frictionless and jsonschema reports do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found in one input.

    >>> Issue("raw/a.md", "front-matter-unclosed", "front matter never closes", line=1).format()
    'raw/a.md:1: [front-matter-unclosed] front matter never closes'
    """

    file: str
    rule: str
    message: str
    line: int | None = None
    record: int | None = None
    json_path: str = "$"
    value: str | None = None
    hint: str | None = None
    severity: str = "error"

    def format(self) -> str:
        """One line of text: ``file:line: [rule] message (at path; value) hint``."""
        where = self.file + (f":{self.line}" if self.line else "")
        if self.record is not None and not self.line:
            where += f" record {self.record}"
        out = f"{where}: [{self.rule}] {self.message}"
        if self.json_path != "$":
            out += f" (at {self.json_path})"
        if self.value is not None:
            out += f" value={self.value}"
        if self.hint:
            out += f"; fix: {self.hint}"
        return out

    def to_dict(self) -> dict:
        return asdict(self)


class AicorpusError(Exception):
    """An input could not be processed; carries the :class:`Issue` that says why."""

    def __init__(self, issue: Issue):
        super().__init__(issue.format())
        self.issue = issue


def shorten(value: object, limit: int = 80) -> str:
    """Repr of ``value`` cut to ``limit`` characters, for error messages.

    >>> shorten("x" * 100, 10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
