"""Every kind of bad input gets a clear error naming the file and the problem; the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicorpus.build import build, convert_file
from aicorpus.cli import main
from aicorpus.sources import MAX_BYTES, MAX_LINE_CHARS
from aicorpus.review import read_records, validate_paths
from conftest import SEEDS, copy_project

LINUXCN = SEEDS["000"].read_bytes()


def issues_of(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return convert_file(path, tmp_path)


@pytest.mark.parametrize(
    "name, data, rule, message",
    [
        ("empty.md", b"", "empty-file", "the file is empty"),
        ("blank.md", b"  \n\n", "empty-file", "the file is empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary-file", "the file contains NUL bytes: it is not text"),
        ("latin.txt", "café\n".encode("latin-1") + b"\xff\xfe\xfd", "invalid-encoding", "invalid bytes at byte 3: neither UTF-8 nor GB18030"),
        ("open.md", b"---\ntitle: x\nid: 1\n\n### story\n", "front-matter-unclosed", "front matter opened on line 1 never closes"),
        ("badyaml.md", b"---\ntitle: [unclosed\npermalink: /article-1-1.html\n---\n### a\n", "yaml-invalid", "front matter is not valid YAML"),
        ("tag.md", b"---\npermalink: /article-1-1.html\nid: !!python/object/apply:os.system ['echo hi']\n---\n### a\n",
         "yaml-unsafe-tag", "front matter uses a YAML tag that safe loading refuses"),
        ("huge.txt", b"a" * (MAX_BYTES + 1), "file-too-large", f"the file has {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"),
        ("longline.txt", "字".encode() * (MAX_LINE_CHARS + 1), "line-too-long", f"line 1 has {MAX_LINE_CHARS + 1:,} characters; the limit is {MAX_LINE_CHARS:,}"),
        ("odd.md", b"# A heading\n\n* a list in no known format\n", "format-unknown", "could not tell which source format this is"),
    ],
)
def test_bad_raw_documents(tmp_path, name, data, rule, message):
    c = issues_of(tmp_path, name, data)
    assert not c.ok
    assert [i.rule for i in c.issues] == [rule]
    issue = c.issues[0]
    assert issue.file == name
    assert issue.message.startswith(message)
    assert issue.hint  # every error says how to fix it


def test_yaml_error_names_the_line(tmp_path):
    c = issues_of(tmp_path, "badyaml.md", b"---\npermalink: /article-1-1.html\ntitle: [unclosed\n---\n### a\n")
    assert c.issues[0].line is not None and c.issues[0].line >= 3


def test_gb18030_is_decoded_and_said(tmp_path):
    c = issues_of(tmp_path, "gbk.txt", SEEDS["004"].read_text(encoding="utf-8").encode("gb18030"))
    assert c.ok
    assert c.document["raw_encoding"] == "gb18030"
    assert [(i.rule, i.severity) for i in c.issues] == [("encoding-gb18030", "warning")]
    assert c.items[0]["text"].startswith("特斯拉CEO埃隆·马斯克")


def test_bom_and_crlf_give_the_same_records(tmp_path, seeds):
    text = SEEDS["000"].read_text(encoding="utf-8")
    c = issues_of(tmp_path, "crlf.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert c.ok, [i.format() for i in c.issues]
    assert c.document["raw_encoding"] == "utf-8-sig"
    base = seeds["000"].items
    assert [(i["id"], i["title"], i["text"], i["commentary"]) for i in c.items] == [(i["id"], i["title"], i["text"], i["commentary"]) for i in base]
    decoded = (tmp_path / "crlf.md").read_bytes()[3:].decode()
    for it in c.items:  # offsets point into the file as decoded, CRLF included
        assert decoded[it["raw_start"] : it["raw_end"]].startswith("![](")


def test_batch_goes_on_and_counts_add_up(tmp_path):
    root = copy_project(tmp_path / "p")
    (root / "raw" / "empty.md").write_bytes(b"")
    (root / "raw" / "binary.bin").write_bytes(b"\x00\x01\x02")
    (root / "raw" / "copy.txt").write_bytes(SEEDS["004"].read_bytes())
    result = build(root)
    assert result.inputs == 8
    assert len(result.published) == 5 and len(result.rejected) == 3
    assert result.inputs == len(result.published) + len(result.rejected)
    assert {p: [i.rule for i in v] for p, v in result.rejected.items()} == {
        "raw/binary.bin": ["binary-file"], "raw/empty.md": ["empty-file"], "raw/copy.txt": ["duplicate-document"]}
    report = json.loads((root / "splits" / "build-report.json").read_text())
    assert report["inputs"] == 8 and report["published"] == 5 and sorted(report["rejected"]) == sorted(result.rejected)


def test_record_files(tmp_path):
    path = tmp_path / "items.jsonl"
    nested = "[" * 100_000 + "]" * 100_000
    path.write_text("\n".join([
        '{"id": "linuxcn-1-0000000', # malformed JSON
        json.dumps({"id": "linuxcn-1-00000000", "document_id": "linuxcn-1", "position": "first"}),
        nested,
        "[1, 2]",
    ]) + "\n", encoding="utf-8")
    documents, items, issues = read_records(path)
    by_line = {}
    for i in issues:
        by_line.setdefault(i.line, []).append(i)
    assert [i.rule for i in by_line[1]] == ["invalid-json"]
    rules2 = {(i.rule, i.json_path) for i in by_line[2]}
    assert ("type", "$.position") in rules2  # wrong type, with its JSON path
    assert ("required", "$") in rules2  # missing fields
    assert any("'text' is missing" in i.message for i in by_line[2])
    assert [i.rule for i in by_line[3]] == ["too-deep"]
    assert [i.rule for i in by_line[4]] == ["type"]


def test_validate_cli_formats(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "nope"}) + "\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad.as_posix()}:1: [pattern]" in out
    assert out.strip().endswith("1 file checked: 17 errors in 1 file, 0 warnings")
    assert main(["validate", "--format", "github", str(bad)]) == 1
    assert f"::error file={bad.as_posix()},line=1,title=pattern::" in capsys.readouterr().out
    assert main(["validate", "--format", "json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False and report["errors"] == len(report["issues"]) == 17
    assert main(["validate", str(tmp_path / "missing.jsonl")]) == 2
    assert main(["validate", str(SEEDS["000"])]) == 0  # a valid file (all of raw/ is checked by test_committed_splits_are_up_to_date)


def test_validate_reports_every_file(tmp_path):
    (tmp_path / "a.md").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(SEEDS["004"].read_bytes())
    (tmp_path / "c.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    report = validate_paths([tmp_path])
    assert report.files == 3
    assert {i.file.rsplit("/", 1)[-1] for i in report.issues if i.severity == "error"} == {"a.md", "c.jsonl"}


def test_raw_path_never_escapes(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(SEEDS["004"].read_bytes())
    root = copy_project(tmp_path / "p", raw_files=[])
    (root / "raw" / "link.txt").symlink_to(outside)
    c = convert_file(root / "raw" / "link.txt", root)
    assert [i.rule for i in c.issues] == ["symlink"]  # any link is refused, not only one leading out (tests/test_security.py)


def test_validate_flags_copies_of_published_documents(tmp_path):
    from aicorpus.build import build

    root = copy_project(tmp_path / "p")
    build(root)
    new = tmp_path / "incoming"
    new.mkdir()
    same = new / "same.txt"
    same.write_bytes(SEEDS["004"].read_bytes())
    edited = new / "edited.txt"
    edited.write_text(SEEDS["004"].read_text(encoding="utf-8").replace("重磅炸弹", "大新闻").replace("3月18日", "3月19日"), encoding="utf-8")
    fresh = new / "fresh.txt"
    fresh.write_text("这是一篇全新的文章,讲述某公司发布了新的芯片。\n", encoding="utf-8")
    report = validate_paths([new], root=root, corpus=root / "splits")
    by_file = {}
    for i in report.issues:
        by_file.setdefault(i.file.rsplit("/", 1)[-1], set()).add(i.rule)
    assert by_file["same.txt"] == {"duplicate-document", "near-duplicate-document"}  # same bytes: same id
    assert by_file["edited.txt"] == {"near-duplicate-document"}
    assert "fresh.txt" not in by_file
    msg = next(i for i in report.issues if i.file.endswith("edited.txt")).message
    assert "similar to the published raw/004_de0e27d84657343f.txt (plaintext-52a29a90768a)" in msg


def test_a_parser_panic_rejects_the_file_and_names_it(tmp_path, monkeypatch):
    # pulldown-cmark is compiled: a Rust panic reaches Python as pyo3's PanicException, a BaseException
    # that `except Exception` would let through and end the whole build.
    import aicorpus.markdown as markdown

    PanicException = type("PanicException", (BaseException,), {})

    def panic(text, **kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(markdown.pyromark, "events_with_range", panic)
    c = issues_of(tmp_path, "000_post.md", LINUXCN)
    assert not c.ok and c.document is None
    [issue] = c.issues
    assert (issue.file, issue.rule) == ("000_post.md", "converter-crash")
    assert "MarkdownParseError: the Markdown parser failed on this text: index out of bounds" in issue.message


def test_an_interrupt_inside_the_parser_is_not_swallowed(tmp_path, monkeypatch):
    import aicorpus.markdown as markdown

    def interrupt(text, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(markdown.pyromark, "events_with_range", interrupt)
    with pytest.raises(KeyboardInterrupt):
        issues_of(tmp_path, "000_post.md", LINUXCN)
