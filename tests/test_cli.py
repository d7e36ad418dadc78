"""The command line is a thin layer: each command's output and exit status."""

from __future__ import annotations

import json
import shutil

import pytest

from aicorpus.cli import main
from conftest import SEEDS


def test_convert_writes_the_document_then_its_items(tmp_path, capsys):
    out = tmp_path / "records.jsonl"
    assert main(["convert", str(SEEDS["000"]), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("document_id", "doc") for r in records] == ["doc", "linuxcn-15754", "linuxcn-15754", "linuxcn-15754"]
    assert records[0]["id"] == "linuxcn-15754"


def test_convert_reports_a_bad_file_and_goes_on(tmp_path, capsys):
    bad = tmp_path / "empty.md"
    bad.write_bytes(b"")
    out = tmp_path / "records.jsonl"
    assert main(["convert", str(bad), str(SEEDS["004"]), "-o", str(out)]) == 1
    assert "[empty-file] the file is empty" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3  # 004: the document and its two items


def test_build_and_check_exit_status(built, tmp_path, capsys):
    root = tmp_path / "p"
    shutil.copytree(built, root)
    assert main(["check", "--root", str(root)]) == 0
    assert capsys.readouterr().out == "splits/ is up to date\n"
    (root / "splits" / "split-lock.jsonl").write_text("", encoding="utf-8")
    assert main(["check", "--root", str(root)]) == 1
    assert "stale: splits/split-lock.jsonl" in capsys.readouterr().err
    assert main(["build", "--root", str(root), "--no-progress"]) == 0
    assert capsys.readouterr().out.startswith("5 inputs: 5 published, 0 rejected; 55 items")


@pytest.mark.parametrize("command", ["convert", "validate", "build", "check", "bench"])
def test_every_command_has_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert "usage: aicorpus " + command in capsys.readouterr().out


def test_usage_errors_exit_2():
    assert main(["no-such-command"]) == 2
    assert main(["bench", "score", "--task", "topics"]) == 2  # --predictions missing
