"""Shared fixtures: the seed corpus converted once, and a built copy of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aicorpus.build import build, convert_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "raw").glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds() -> dict:
    """Seed prefix ('000' ... '004') -> Converted (document, items, issues)."""
    return {key: convert_file(path, ROOT) for key, path in SEEDS.items()}


def copy_project(dest: Path, raw_files: list[Path] | None = None) -> Path:
    """A minimal project folder (raw/ + schema/) in ``dest`` for building in isolation."""
    (dest / "raw").mkdir(parents=True)
    for p in raw_files if raw_files is not None else SEEDS.values():
        shutil.copy(p, dest / "raw" / p.name)
    for doc in ("README.md", "DATASHEET.md"):
        if (ROOT / doc).exists():
            shutil.copy(ROOT / doc, dest / doc)
    shutil.copytree(ROOT / "labels", dest / "labels")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("built"))
    result = build(root)
    assert result.ok, result.rejected
    return root
