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


def test_bench_score_help_names_the_default_split_and_the_tasks(capsys):
    assert main(["bench", "score", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "the split to score on (default: test)" in out
    assert "topics: topic tagging" in out and "claims: claim extraction" in out


def test_the_cli_names_are_the_library_names():
    from aicorpus import cli, convert, splits

    assert cli.SPLITS == splits.SPLITS
    assert cli.FORMATS == tuple(sorted(convert.FORMATS))


def topic_predictions(root, tmp_path):
    """A prediction line per test item of ``root``: the first topic, by its integer class label."""
    import pyarrow.parquet as pq

    ids = pq.read_table(root / "splits" / "items" / "test-00000-of-00001.parquet", columns=["id"]).column("id").to_pylist()
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps({"item_id": i, "topics": [0]}) + "\n" for i in ids), encoding="utf-8")
    return path


def test_bench_score_finds_the_project_from_a_subfolder(built, tmp_path, monkeypatch, capsys):
    import functools

    from aicorpus.bench import score

    monkeypatch.setattr(score, "score", functools.partial(score.score, n_resamples=20))  # the project is tested, not the intervals
    pred = topic_predictions(built, tmp_path)
    monkeypatch.chdir(built / "raw")  # as git does: the project is the nearest folder above that holds one
    assert main(["bench", "score", "--task", "topics", "--predictions", str(pred), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n_items_split"] > 0


def test_outside_any_project_the_error_names_the_folder(tmp_path, monkeypatch, capsys):
    pred = tmp_path / "pred.jsonl"
    pred.write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["bench", "score", "--task", "topics", "--predictions", str(pred)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path.resolve().as_posix()}: [no-project]" in err and "splits/items" in err and "--root" in err
    # a project folder named with --root but not built: the error names the folder it looked in
    assert main(["bench", "score", "--task", "topics", "--predictions", str(pred), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "[unknown-split]" in err and f"in {(tmp_path / 'splits' / 'items').resolve().as_posix()}/ (project root {tmp_path.resolve().as_posix()})" in err


def test_a_closed_pipe_ends_quietly():
    """`aicorpus bench score ... | head`: the reader goes away; no BrokenPipeError traceback, the status of SIGPIPE.

    main() handles it for every command; `convert` writes to standard output without loading the benchmark.
    """
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "aicorpus.cli", "convert", str(SEEDS["000"])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode()
    assert proc.wait() == 141, err
    assert "Traceback" not in err and "BrokenPipeError" not in err
