"""Finding the project folder from wherever a command is run, as git finds its repository.

A folder is an aicorpus project when it holds a built corpus (``splits/items/``)
or the raw sources with their manifest (``raw/MANIFEST.jsonl``); a clone of the
Hub repository has the first, a source checkout both.
"""

from __future__ import annotations

from pathlib import Path

from .errors import AicorpusError, Issue

#: What marks a project folder: any one of these paths inside it.
MARKERS = ("splits/items", "raw/MANIFEST.jsonl")


def is_project(folder: Path) -> bool:
    """True when ``folder`` holds one of :data:`MARKERS`.

    >>> is_project(Path(".")), is_project(Path("src"))
    (True, False)
    """
    return any((Path(folder) / marker).exists() for marker in MARKERS)


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current folder) that is a project.

    Raises :class:`~aicorpus.errors.AicorpusError` (rule ``no-project``) naming ``start``
    and every folder looked at when there is none.

    >>> find_root(Path("src/aicorpus")) == Path(".").resolve()
    True
    """
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    raise AicorpusError(Issue(here.as_posix(), "no-project",
                              f"neither this folder nor any folder above it is an aicorpus project (none holds {' or '.join(MARKERS)})",
                              hint="run the command inside the project (a clone of the dataset), or name it with --root"))
