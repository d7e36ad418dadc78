"""Reading contributed files safely: regular files only, never through a link, never unbounded.

Everything a pull request can add under ``raw/`` and ``labels/`` is untrusted. A
symbolic link would make the build read (and publish) a file outside the inputs,
such as ``.git/config`` or ``.env``; a FIFO or a device would block a read forever.
So folders are walked without following links (:func:`walk`), every entry that is
not a regular file is refused by its ``lstat`` alone, without opening it, and a
file is opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked again with ``fstat``
before a byte is read (:func:`read_bytes`), so that a file swapped for a link or a
FIFO after the walk is refused too. Names that are not valid UTF-8 or hold control
characters are refused as well: they end up in published records and in CI output.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .errors import AicorpusError, Issue, shorten

#: The largest label, record or manifest file read whole (the largest label file today is about 60 KB).
MAX_DATA_BYTES = 50_000_000

_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words ("a regular file", "a symbolic link", ...)."""
    return _KINDS.get(stat.S_IFMT(mode), "a regular file" if stat.S_ISREG(mode) else "not a regular file")


def refusal(name: str, mode: int) -> Issue:
    """The error for an input that is not a regular file (named as published: ``name``)."""
    what = kind(mode)
    if stat.S_ISLNK(mode):
        return Issue(name, "symlink", f"the file is {what}: inputs are read from regular files only, never through a link",
                     hint="replace the link with a copy of the file it points to, or remove it")
    return Issue(name, "not-a-regular-file", f"the path is {what}, not a regular file, and was not read",
                 hint="give a regular file in its place")


def bad_name(name: str) -> Issue | None:
    """An error for a file name that is not valid UTF-8 or holds a control character (a newline, a tab ...), else None.

    >>> bad_name("raw/a.md") is None, bad_name("raw/a\\n::notice::x.md").rule
    (True, 'file-name')
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode's surrogate escapes of bytes that are not UTF-8
        return Issue(name.encode("utf-8", "backslashreplace").decode(), "file-name", "the file name is not valid UTF-8",
                     hint="rename the file with a UTF-8 name")
    if any(unicodedata.category(c) == "Cc" for c in name):
        return Issue(name, "file-name", "the file name holds a control character (a line break, a tab ...)",
                     value=repr(name), hint="rename the file without control characters")
    return None


def walk(base: Path, root: Path | None = None, *, skip: Callable[[Path], bool] = lambda p: False,
         recursive: bool = True) -> tuple[list[Path], list[Issue]]:
    """The regular files below ``base`` (sorted), and an error for every other entry, named relative to ``root``
    (as found, without one).

    Links are never followed (a link to a folder is refused, not walked), and nothing that is not a
    regular file is opened. Entries ``skip`` accepts, and files whose name starts with a dot, are passed
    over without being looked at further (they are not inputs).
    """
    files: list[Path] = []
    issues: list[Issue] = []
    name = _name(base, root)
    try:
        mode = os.lstat(base).st_mode
    except FileNotFoundError:
        return [], []
    if not stat.S_ISDIR(mode):
        return [], [refusal(name, mode)]
    stack = [base]  # an explicit stack: a deep tree must not exhaust Python's recursion limit
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            issues.append(Issue(_name(folder, root), "unreadable", f"cannot list the folder: {exc.strerror}", hint="check its permissions"))
            continue
        for entry in entries:
            path = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode
            if skip(path) or (entry.name.startswith(".") and not stat.S_ISDIR(mode)):
                continue
            if (problem := bad_name(_name(path, root))) is not None:
                issues.append(problem)
                continue
            if stat.S_ISDIR(mode):
                if recursive:
                    stack.append(path)
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                issues.append(refusal(_name(path, root), mode))
    return sorted(files), sorted(issues, key=lambda i: i.file)


def _name(path: Path, root: Path | None) -> str:
    if root is None:
        return path.as_posix()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def check_path(path: Path, name: str, root: Path | None = None, *, follow: bool = False) -> None:
    """Raise the refusal for ``path`` when it, or a folder between ``root`` and it, is a link or not a regular file.

    Only ``lstat`` is used: nothing is opened. Folders above ``root`` are not looked at (a system's
    ``/tmp`` may be a link). With ``follow``, a link is followed (to a regular file only): for a file a
    person names on the command line for themselves, never for contributed inputs.
    """
    if (problem := bad_name(name)) is not None:
        raise AicorpusError(problem)
    try:
        mode = (os.stat if follow else os.lstat)(path).st_mode
    except FileNotFoundError:
        raise AicorpusError(Issue(name, "missing-file", "the file does not exist", hint="check the path")) from None
    except OSError as exc:
        raise AicorpusError(Issue(name, "unreadable", f"cannot read the file: {exc.strerror}", hint="check its permissions")) from None
    if not stat.S_ISREG(mode):
        raise AicorpusError(refusal(name, mode))
    if root is not None:
        try:
            parts = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).parts[:-1]
        except ValueError:
            return
        folder = Path(os.path.abspath(root))
        for part in parts:
            folder = folder / part
            if os.path.islink(folder):
                raise AicorpusError(Issue(name, "symlink", f"the folder {_name(folder, Path(os.path.abspath(root)))} is a symbolic link: "
                                          "inputs are read from regular files only, never through a link",
                                          hint="replace the linked folder with a real one"))


def read_bytes(path: Path, name: str | None = None, *, limit: int = MAX_DATA_BYTES, root: Path | None = None,
               hint: str = "split it into smaller files", follow: bool = False) -> bytes:
    """The bytes of the regular file ``path``, refused past ``limit`` bytes (``hint`` says what to do then).

    Refuses, with an :class:`AicorpusError` naming ``name``, a link, a FIFO, a device, a folder or a
    missing file, without reading it: the file is checked with ``lstat`` first, then opened without
    following a link and without blocking, and checked again on the open descriptor. At most
    ``limit + 1`` bytes are read, however large the file grows meanwhile.
    """
    name = name or Path(path).as_posix()
    check_path(Path(path), name, root, follow=follow)
    flags = os.O_RDONLY | (0 if follow else getattr(os, "O_NOFOLLOW", 0)) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link swapped in after the check
            raise AicorpusError(refusal(name, stat.S_IFLNK)) from None
        raise AicorpusError(Issue(name, "unreadable", f"cannot read the file: {exc.strerror}", hint="check its permissions")) from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise AicorpusError(refusal(name, st.st_mode))
        data = f.read(limit + 1) if st.st_size <= limit else b""
    if st.st_size > limit or len(data) > limit:
        size = max(st.st_size, len(data))
        raise AicorpusError(Issue(name, "file-too-large", f"the file has {size:,} bytes; the limit is {limit:,}", hint=hint))
    return data


def read_text(path: Path, name: str | None = None, *, limit: int = MAX_DATA_BYTES, root: Path | None = None,
              what: str = "the file", follow: bool = False) -> str:
    """The UTF-8 text of the regular file ``path`` (a UTF-8 BOM is dropped); errors name the file and the line.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.jsonl"; _ = p.write_bytes("x".encode("utf-16"))
    >>> try:
    ...     read_text(p, "a.jsonl")
    ... except AicorpusError as exc:
    ...     print(exc.issue.rule, exc.issue.message)
    invalid-encoding the file is UTF-16, not UTF-8
    """
    name = name or Path(path).as_posix()
    data = read_bytes(path, name, limit=limit, root=root, follow=follow)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AicorpusError(Issue(name, "invalid-encoding", f"{what} is UTF-16, not UTF-8", line=1, hint="save it as UTF-8"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AicorpusError(Issue(name, "invalid-encoding", f"{what} is not UTF-8: invalid bytes at byte {exc.start}", line=line,
                                  value=repr(data[exc.start : exc.start + 8]), hint="save it as UTF-8")) from None


def is_regular(path: Path) -> bool:
    """True when ``path`` itself (not a link's target) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def json_line(line: str, name: str, n: int, *, hint: str = "write one complete JSON object per line") -> object:
    """``json.loads`` of line ``n`` of the JSON-lines file ``name``; a line that is not JSON is an error naming it.

    Deep nesting (RecursionError) and integers of more digits than Python converts (ValueError)
    are refused like any malformed line, never a traceback.

    >>> json_line('{"a": 1}', "x.jsonl", 3)
    {'a': 1}
    >>> try:
    ...     json_line("[" * 100_000, "x.jsonl", 3)
    ... except AicorpusError as err:
    ...     print(err.issue.rule, err.issue.line)
    too-deep 3
    """
    try:
        return json.loads(line)
    except RecursionError:
        raise AicorpusError(Issue(name, "too-deep", "the JSON is nested too deeply to read", line=n,
                                  hint="a line is one flat object with short lists")) from None
    except ValueError as exc:  # JSONDecodeError, and integers of more digits than Python converts
        where = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise AicorpusError(Issue(name, "invalid-json", f"not valid JSON: {where}", line=n, value=shorten(line, 60),
                                  hint=hint)) from None
