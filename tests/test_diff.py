"""aicorpus diff: what changed between two builds, worked out by hand on a small case."""

from __future__ import annotations

import shutil

import pytest

from aicorpus.build import build
from aicorpus.cli import main
from aicorpus.diff import diff, render, snapshot
from conftest import SEEDS, copy_project


def test_diff_of_two_builds(built, tmp_path):
    new = copy_project(tmp_path / "new", raw_files=[p for k, p in SEEDS.items() if k != "004"])  # 004 (plaintext, 2 items) removed
    shutil.rmtree(new / "labels")
    shutil.copytree(built / "labels", new / "labels")
    (new / "splits").mkdir()
    shutil.copy(built / "splits" / "split-lock.jsonl", new / "splits")
    label = new / "labels" / "linuxcn-15754.jsonl"
    text = label.read_text(encoding="utf-8")
    label.write_text(text.replace('"topics": ["generative_media"]', '"topics": ["safety_ethics"]', 1), encoding="utf-8")
    build(new)
    old_items, new_items = snapshot(built), snapshot(new)
    changes = diff(old_items, new_items)
    gone = sorted(i for i in old_items if i.startswith("plaintext-"))
    assert len(gone) == 2 and changes["removed"] == gone and changes["added"] == [] and changes["moved"] == []
    assert changes["relabeled"] == ["linuxcn-15754-0a26649e"] and changes["labeled"] == changes["unlabeled"] == []
    assert changes["sources"]["unknown"] == {"old": 32, "new": 30}  # 003 (30 items) and 004 (2) have no named publisher
    assert sum(c["old"] - c["new"] for c in changes["splits"].values()) == 2
    text = render(changes, "old", "new")
    assert "0 added, 2 removed, 0 moved, 0 labeled, 1 relabeled, 0 unlabeled" in text
    assert "| unknown | 32 | 30 | -2 |" in text


def test_diff_command_reports_a_moved_item(built, tmp_path, capsys):
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    lock = moved / "splits" / "split-lock.jsonl"
    first = lock.read_text(encoding="utf-8").splitlines()[0]
    item = first.split('"item_id": "')[1].split('"')[0]
    old_split = first.split('"split": "')[1].split('"')[0]
    new_split = "test" if old_split != "test" else "train"
    lock.write_text(lock.read_text(encoding="utf-8").replace(first, first.replace(old_split, new_split)), encoding="utf-8")
    build(moved)
    assert main(["diff", str(built), str(moved)]) == 0
    out = capsys.readouterr().out
    assert f"- `{item}`: {old_split} → {new_split}" in out and "1 moved" in out


def test_the_changelog_shows_what_diff_prints_for_the_latest_release():
    """DATA_CHANGELOG.md's figures for the latest release are the command's output, not typed by hand."""
    import re
    import subprocess

    from conftest import ROOT

    text = (ROOT / "DATA_CHANGELOG.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- BEGIN DIFF: (\S+) git:(\w+) -->\n(.*?)<!-- END DIFF: \1 -->", text, re.S)
    assert m, "the latest release's diff block"
    version, base, block = m.groups()
    from aicorpus import __version__

    assert version == __version__
    if subprocess.run(["git", "cat-file", "-e", base], cwd=ROOT, capture_output=True).returncode:
        pytest.skip(f"the previous release's commit {base} is not in this clone (a shallow checkout)")
    assert block == render(diff(snapshot(f"git:{base}"), snapshot(ROOT)), f"git:{base}", ".")
