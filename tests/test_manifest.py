"""The source manifest: every raw file has a row that vouches for its bytes; fetch_sources restores raw/ from it."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest

from aicorpus.build import raw_files
from aicorpus.manifest import MANIFEST, POPULATIONS, fetch, file_facts, manifest_issues, read_manifest, read_populations
from conftest import ROOT


def _raw_paths(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in raw_files(root)]


def test_every_raw_file_has_a_row_and_matches_it():
    assert manifest_issues(ROOT, _raw_paths(ROOT)) == []


def test_populations_are_complete_and_reserved_ids_absent():
    rows, _ = read_manifest(ROOT)
    populations = read_populations(ROOT)
    per = Counter(r["population"] for r in rows)
    for pid, pop in populations.items():
        if pop.get("count") is not None:  # a complete population: the manifest holds exactly its files
            assert per[pid] == pop["count"], pid
    reserved = {str(i) for p in populations.values() for ex in p["excluded"] for i in ex["ids"]}
    assert reserved, "the reserved linux.cn ids are listed"
    names = {Path(r["raw_path"]).stem for r in rows} | {Path(r["source_path"] or "").stem for r in rows}
    assert not reserved & names
    linuxcn = [r for r in rows if r["repository"] == "Linux-CN/archive"]
    assert len({Path(r["source_path"]).stem for r in linuxcn}) == len(linuxcn)  # seed 000 is post 15754, kept once


def _project(tmp_path: Path, files: dict[str, bytes]) -> Path:
    (tmp_path / "raw").mkdir(parents=True)
    shutil.copy(ROOT / POPULATIONS, tmp_path / POPULATIONS)
    rows = []
    for n, (name, data) in enumerate(files.items()):
        (tmp_path / "raw" / name).write_bytes(data)
        rows.append({"raw_path": f"raw/{name}", "population": "seeds", "repository": "owner/repo", "source_path": f"posts/{name}",
                     "commit": f"{n:040x}", "url": None, "licence": "CC BY-NC 4.0", "retrieved": "2026-12-02",
                     "total_chars": len(data.decode()), **file_facts(data), "note": None})
    (tmp_path / MANIFEST).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return tmp_path


def test_manifest_names_each_problem(tmp_path):
    root = _project(tmp_path, {"a.md": "第一篇".encode(), "b.md": "第二篇".encode()})
    assert manifest_issues(root, _raw_paths(root)) == []
    (root / "raw" / "a.md").write_bytes("第一篇。".encode())  # a published file edited
    (root / "raw" / "c.md").write_bytes(b"new")  # a file without a row
    (root / "raw" / "b.md").unlink()  # a row without a file
    issues = manifest_issues(root, _raw_paths(root))
    found = {(i.rule, i.file, i.json_path) for i in issues}
    assert ("manifest-mismatch", MANIFEST, "$.sha256") in found and ("manifest-mismatch", MANIFEST, "$.bytes") in found
    assert ("not-in-manifest", "raw/c.md", "$") in found
    assert ("missing-raw-file", MANIFEST, "$.raw_path") in found
    assert all(i.line == 2 for i in issues if i.rule == "missing-raw-file")


def test_a_count_mismatch_must_be_explained(tmp_path):
    root = _project(tmp_path, {"a.md": "正文".encode()})
    row = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    row["total_chars"] = 3  # the source reported a character that did not survive the copy
    (root / MANIFEST).write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert [i.rule for i in manifest_issues(root, _raw_paths(root))] == ["unexplained-count"]
    row["note"] = "one zero-width character was lost in transit"
    (root / MANIFEST).write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert manifest_issues(root, _raw_paths(root)) == []


def test_a_bad_row_is_a_schema_error_with_its_line(tmp_path):
    root = _project(tmp_path, {"a.md": b"x"})
    with open(root / MANIFEST, "a", encoding="utf-8") as f:
        f.write('{"raw_path": "raw/b.md", "sha256": "nothex"}\n')
    rows, issues = read_manifest(root)
    assert len(rows) == 1 and issues and all(i.line == 2 and i.file == MANIFEST for i in issues)
    assert {"required", "pattern"} <= {i.rule for i in issues}


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving ``tmp_path / "www"`` as repository/commit/path, like GitHub's raw host."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield www, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _serve(www: Path, root: Path) -> None:
    for row in read_manifest(root)[0]:
        target = www / row["repository"] / row["commit"] / row["source_path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / row["raw_path"], target)


def test_fetch_restores_missing_files_and_verifies_them(tmp_path, server):
    www, url = server
    files = {"a.md": "硬核观察 一".encode(), "b.md": "硬核观察 二".encode(), "c.md": "硬核观察 三".encode()}
    root = _project(tmp_path / "p", files)
    _serve(www, root)
    for name in files:
        (root / "raw" / name).unlink()
    (www / "owner/repo" / f"{1:040x}" / "posts/b.md").write_bytes("被改过的文本".encode())  # the source no longer matches
    (www / "owner/repo" / f"{2:040x}" / "posts/c.md").unlink()  # gone from the source

    issues = fetch(root, base_url=url)
    assert (root / "raw/a.md").read_bytes() == files["a.md"]  # the good file is restored, byte for byte
    assert not (root / "raw/b.md").exists() and not (root / "raw/c.md").exists()  # nothing unverified is written
    assert sorted((i.rule, i.line) for i in issues) == [("fetch-failed", 3), ("fetch-mismatch", 2)]
    assert "404" in next(i.message for i in issues if i.rule == "fetch-failed")
    assert not list((root / "raw").glob(".*.tmp"))


def test_fetch_force_checks_files_that_exist(tmp_path, server):
    www, url = server
    root = _project(tmp_path / "p", {"a.md": "原文".encode()})
    _serve(www, root)
    assert fetch(root, base_url=url) == []  # present: nothing downloaded
    (www / "owner/repo" / f"{0:040x}" / "posts/a.md").write_bytes(b"changed")
    assert [i.rule for i in fetch(root, base_url=url, force=True)] == ["fetch-mismatch"]
    assert (root / "raw/a.md").read_bytes() == "原文".encode()  # the verified copy stays


def test_manifest_sha256_is_of_the_saved_bytes():
    rows, _ = read_manifest(ROOT)
    row = rows[0]
    assert hashlib.sha256((ROOT / row["raw_path"]).read_bytes()).hexdigest() == row["sha256"]
