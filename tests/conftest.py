"""Shared fixtures: the seed corpus converted once, and a built copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import signal
from functools import cache
from pathlib import Path

import pytest
from threadpoolctl import threadpool_limits

from aicorpus.conversion import convert_file
from aicorpus.manifest import MANIFEST, POPULATIONS

# One BLAS thread, as aicorpus.bench.runner runs the baselines: OpenBLAS's threads made each logistic
# regression fit some 40 times slower on two cores (tests fit the baselines directly too).
# threadpool_limits binds only the libraries already loaded, and numpy may not be yet: the variables
# bind the ones loaded later.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
threadpool_limits(limits=1, user_api="blas")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "raw").glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds() -> dict:
    """Seed prefix ('000' ... '004') -> Converted (document, items, issues)."""
    return {key: convert_file(path, ROOT) for key, path in SEEDS.items()}


@cache
def document_id(raw_file: Path) -> str | None:
    """The id of the document a raw file converts to (its label file is ``labels/<id>.jsonl``)."""
    c = convert_file(raw_file, ROOT)
    return c.document["id"] if c.ok else None


def copy_project(dest: Path, raw_files: list[Path] | None = None) -> Path:
    """A minimal project folder (raw/ with its manifest rows, labels/, the docs) in ``dest`` for building in isolation.

    labels/ gets the guideline and the label files of the copied documents only: the labels of the other
    documents would be orphaned in the copy.
    """
    (dest / "raw").mkdir(parents=True)
    rows = {json.loads(line)["raw_path"]: line for line in (ROOT / MANIFEST).read_text(encoding="utf-8").splitlines()}
    manifest = []
    for p in raw_files if raw_files is not None else SEEDS.values():
        shutil.copy(p, dest / "raw" / p.name)
        if f"raw/{p.name}" in rows:
            manifest.append(rows[f"raw/{p.name}"] + "\n")
    (dest / MANIFEST).write_text("".join(manifest), encoding="utf-8")
    shutil.copy(ROOT / POPULATIONS, dest / POPULATIONS)
    for doc in ("README.md", "DATASHEET.md"):
        if (ROOT / doc).exists():
            shutil.copy(ROOT / doc, dest / doc)
    shutil.copytree(ROOT / "labels", dest / "labels", ignore=shutil.ignore_patterns("*.jsonl"))
    for p in raw_files if raw_files is not None else SEEDS.values():
        label = ROOT / "labels" / f"{document_id(p)}.jsonl"
        if label.exists():
            shutil.copy(label, dest / "labels" / label.name)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    from aicorpus.build import build  # here: the build imports datasets, which the unit tests' processes need not load

    root = copy_project(tmp_path_factory.mktemp("built"))
    result = build(root)
    assert result.ok, result.rejected
    return root


def build_forked(root: Path, hook, **options) -> int:
    """Build ``root`` in a forked child that calls ``hook(point)`` at each of the build's named points (``build.HOOK``).

    Returns the child's status as subprocess gives it: ``-N`` when signal N ended it, else its exit
    code (0 when the build ended). A fork, not a new interpreter: the child starts with the build's
    libraries loaded (a fresh ``python -c`` spent 3 s importing them per test).
    """
    from aicorpus import build as build_mod

    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            build_mod.HOOK = hook
            build_mod.build(root, **options)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def build_killed_at(root: Path, point: str, **options) -> int:
    """:func:`build_forked` with a child that SIGKILLs itself when the build reaches ``point``: ``-9`` if it did."""

    def hook(reached: str) -> None:
        if reached == point:
            os.kill(os.getpid(), signal.SIGKILL)

    return build_forked(root, hook, **options)


def cli_forked(args: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    """``aicorpus <args>`` in a forked child: (exit status, stdout, stderr).

    For a command that could block forever if the code under test were wrong (reading a FIFO):
    the test then fails instead of hanging, as the child stops itself with SIGALRM after 600 s, a
    guard against a hang, never a measure of speed.
    """
    import tempfile

    from aicorpus.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                signal.alarm(600)
                if cwd is not None:
                    os.chdir(cwd)
                import sys

                with open(out, "w", encoding="utf-8") as sys.stdout, open(err, "w", encoding="utf-8") as sys.stderr:
                    code = main(args)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return code, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")
