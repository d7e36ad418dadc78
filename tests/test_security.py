"""A pull request is untrusted input (issue #17, SECURITY.md): each test replays one attack on CI and the published data.

The numbers in the section titles are the guarantees of SECURITY.md. Every test stops a build at a
defined point (``aicorpus.build.HOOK``) when it needs to, never after a guessed time.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from aicorpus import build as build_mod
from aicorpus import cli
from aicorpus.build import LOCK, build, check
from aicorpus.cli import main
from aicorpus.conversion import convert_file
from aicorpus.errors import AicorpusError, Issue
from aicorpus.manifest import MANIFEST, file_facts
from aicorpus.review import validate_paths
from conftest import DATA, ROOT, SEEDS, build_forked, build_killed_at, cli_forked

LINUXCN = SEEDS["000"].read_text(encoding="utf-8")
FRONT, BODY = LINUXCN.split("\n---\n", 1)[0] + "\n---\n", LINUXCN.split("\n---\n", 1)[1]
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


# ---------------------------------------------------------------------------- helpers


def linuxcn(doc_id: int, body: str = BODY, front: str = FRONT) -> str:
    """A linux.cn post: seed 000's front matter with another article id, and ``body``."""
    return front.replace("id: 15754", f"id: {doc_id}").replace("article-15754", f"article-{doc_id}") + body


def story(title: str, text: str) -> str:
    return f"\n### {title}\n\n{text}\n\n"


def copy(built: Path, dest: Path) -> Path:
    shutil.copytree(built, dest)
    return dest


def add_raw(root: Path, rel: str, data: bytes | str) -> Path:
    """A raw file and its manifest row, as README's Contributing asks."""
    data = data.encode() if isinstance(data, str) else data
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    row = {"raw_path": rel, "population": "seeds", "repository": None, "source_path": None, "commit": None, "url": None,
           "licence": "unknown", "retrieved": None, "total_chars": None, "note": None, **file_facts(data)}
    with open(root / MANIFEST, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def set_manifest_row(root: Path, rel: str) -> None:
    """The manifest row of ``rel`` updated to the file's bytes (what an attacker editing a published file does)."""
    rows = [json.loads(line) for line in (root / MANIFEST).read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["raw_path"] == rel:
            row.update(file_facts((root / rel).read_bytes()))
    (root / MANIFEST).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def items(root: Path) -> dict[str, dict]:
    """Item id -> its published row (with its split)."""
    out = {}
    for p in sorted((root / "splits" / "items").glob("*.parquet")):
        for row in pq.read_table(p).to_pylist():
            out[row["id"]] = {**row, "split": p.name.split("-", 1)[0]}
    return out


def documents(root: Path) -> dict[str, dict]:
    return {r["id"]: r for r in pq.read_table(root / "splits" / "documents" / "train-00000-of-00001.parquet").to_pylist()}


def clusters(root: Path) -> list[list[str]]:
    return [json.loads(line) for line in (root / "splits" / "near-duplicates.jsonl").read_text(encoding="utf-8").splitlines()]


def outputs(root: Path) -> dict[str, bytes]:
    """Every generated file (splits/, the documents, croissant.json, plots) by path."""
    names = [p for p in (root / "splits").rglob("*") if p.is_file()] + [root / n for n in ("README.md", "DATASHEET.md", "croissant.json")]
    names += list((root / "docs" / "plots").glob("*.png"))
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in names if p.is_file()}


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture(scope="module")
def published(built, tmp_path_factory) -> Path:
    """The seed project as a git repository whose first commit is the published data (the base branch)."""
    root = copy(built, tmp_path_factory.mktemp("published") / "repo")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    commit(root, "published")
    return root


@pytest.fixture
def repo(published, tmp_path) -> Path:
    """A clone-like copy of the published repository, for one pull request."""
    return copy(published, tmp_path / "pr")


def rules(issues) -> set[str]:
    return {i.rule for i in issues}


# ---------------------------------------------------------------------------- 1. a committed cache is never trusted

EVIL = "https://evil.example/payload"


def test_check_never_trusts_a_committed_conversion_cache(repo, tmp_path, monkeypatch):
    # the attack, on the contributor's machine: edit a cached conversion, drop the build state, build, force-add the cache
    name = f"raw/{SEEDS['004'].name}"
    entry = next(p for p in (repo / ".cache" / "convert").rglob("*.json") if json.loads(p.read_text(encoding="utf-8"))["path"] == name)
    cached = json.loads(entry.read_text(encoding="utf-8"))
    cached["items"][0]["links"].append({"text": "下载", "url": EVIL, "role": "inline"})
    entry.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    (repo / build_mod.STATE).unlink()
    build(repo)
    assert any(link["url"] == EVIL for it in items(repo).values() for link in it["links"])  # published from the cache alone
    git(repo, "add", "-f", ".cache/convert")
    commit(repo, "a pull request with its cache")

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    monkeypatch.chdir(clone)
    assert main(["validate", "raw", "labels"]) == 0  # the raw file is untouched: validate is right to pass
    problems = check(clone).problems()
    assert any("[committed-cache]" in p and p.startswith(".cache/convert/") for p in problems), problems
    assert any(p.startswith("stale: splits/items/") for p in problems), problems  # converted again, without the cache
    build(clone)  # and a build in the clone converts again rather than take the committed records
    assert not any(link["url"] == EVIL for it in items(clone).values() for link in it["links"])


# ---------------------------------------------------------------------------- 2. nothing outside the inputs is read


def test_links_fifos_and_sockets_under_raw_and_labels_are_refused_unread(built, tmp_path):
    root = copy(built, tmp_path / "p")
    (root / ".env").write_text("API_TOKEN=tok-env-5b1e\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote \"origin\"]\n\turl = https://x:tok-git-9c2d@example.org/r.git\n", encoding="utf-8")
    (root / "raw" / "notes.txt").symlink_to("../.git/config")
    (root / "raw" / "env.txt").symlink_to("../.env")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "post.txt").write_text("外面的一篇文章，讲的是 tok-dir-3f4a。\n", encoding="utf-8")
    (root / "raw" / "linked").symlink_to(outside, target_is_directory=True)
    (root / "labels" / "env.jsonl").symlink_to("../.env")
    os.mkfifo(root / "raw" / "pipe.txt")
    os.mkfifo(root / "labels" / "pipe.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "raw" / "sock.txt"))
    refused = [("raw/notes.txt", "symlink"), ("raw/env.txt", "symlink"), ("raw/linked", "symlink"), ("raw/pipe.txt", "not-a-regular-file"),
               ("raw/sock.txt", "not-a-regular-file"), ("labels/env.jsonl", "symlink"), ("labels/pipe.jsonl", "not-a-regular-file")]
    try:  # a device (the /dev/zero of this machine: read, it never ends), where this process may create one
        os.mknod(root / "raw" / "zero.txt", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        refused.append(("raw/zero.txt", "not-a-regular-file"))
    except OSError:
        pass
    try:
        # in a child process, so that a read of a FIFO (which blocks forever) fails the test instead of hanging it
        code, _, stderr = cli_forked(["build", "--root", str(root), "--no-progress"])
        assert code == 1, stderr
        for name, rule in refused:
            assert f"{name}: [{rule}]" in stderr, (name, stderr)
        published = b"".join(p.read_bytes() for p in (root / "splits").rglob("*.parquet"))
        texts = json.dumps([*documents(root).values(), *items(root).values()], ensure_ascii=False, default=str)
        for token in ("tok-env-5b1e", "tok-git-9c2d", "tok-dir-3f4a"):
            assert token not in texts and token.encode() not in published
        code, stdout, _ = cli_forked(["validate", "raw", "labels"], cwd=root)
        assert code == 1 and "raw/pipe.txt: [not-a-regular-file]" in stdout and "raw/env.txt: [symlink]" in stdout
        named = ("raw/pipe.txt", "labels/pipe.jsonl", "raw/env.txt")  # named one by one, as a contributor would
        code, stdout, _ = cli_forked(["validate", *named], cwd=root)
        assert code == 1 and all(f"{name}: [" in stdout for name in named), stdout
        problems = check(root).problems()
        assert any(p.startswith("rejected: raw/env.txt: [symlink]") for p in problems)
        assert any(p.startswith("labels/pipe.jsonl: [not-a-regular-file]") for p in problems)
    finally:
        server.close()


# ---------------------------------------------------------------------------- 3. no input can exhaust CI

#: Nested aliases: each level refers to the one below nine times (the 373-byte version of the issue has more levels;
#: seven already make str() of the value 50 MB)
ALIAS_BOMB = "\n".join(["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                       + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 7)])


@pytest.mark.parametrize("yaml_text, line", [(ALIAS_BOMB, 4), ("base: &b {x: 1}\nother:\n  <<: *b", 4)])
def test_yaml_anchors_and_aliases_are_refused_before_anything_expands_them(tmp_path, yaml_text, line):
    path = tmp_path / "bomb.md"
    path.write_text(f"---\npermalink: /article-1-1.html\nid: 1\n{yaml_text}\n---\n### 标题\n\n正文。\n", encoding="utf-8")
    tracemalloc.start()
    try:
        c = convert_file(path, tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(i.rule, i.line) for i in c.issues] == [("yaml-alias", line)]
    assert peak < 20 * 2**20  # nothing walked the alias graph


def test_front_matter_nesting_is_read_up_to_the_limit_and_refused_beyond():
    from aicorpus.frontmatter import MAX_DEPTH, parse_front_matter

    def lines(n):  # the top-level mapping is one level, then n lists
        return ["---", "x: " + "[" * n + "]" * n, "---"]

    assert MAX_DEPTH == 64  # the figure SECURITY.md gives
    assert parse_front_matter("a.md", lines(MAX_DEPTH - 1)).keys == {"x": (2, 2)}
    with pytest.raises(AicorpusError) as info:
        parse_front_matter("a.md", lines(MAX_DEPTH))
    assert info.value.issue.rule == "yaml-too-deep"


def test_deeply_nested_front_matter_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.md"
    path.write_text("---\npermalink: /article-1-1.html\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n### a\n", encoding="utf-8")
    assert [i.rule for i in convert_file(path, tmp_path).issues] == ["yaml-too-deep"]


def test_item_ids_take_linear_work_in_repeated_story_keys(tmp_path, monkeypatch):
    """20,000 identical stories took 170 s to validate: every id searched its number from 1. Count the hashes instead of timing."""
    import aicorpus.convert.base as base

    n = 2000
    path = tmp_path / "many.md"
    path.write_text(linuxcn(99010, "".join(story("同一个故事", "同一段正文，讲的是一个模型发布。") for _ in range(n))), encoding="utf-8")
    calls = 0
    real = hashlib.sha256

    def counting(data=b""):
        nonlocal calls
        calls += 1
        return real(data)

    monkeypatch.setattr(base.hashlib, "sha256", counting)
    c = convert_file(path, tmp_path)
    monkeypatch.undo()
    assert c.ok and len(c.items) == n
    assert calls <= 2 * n + 10, calls  # was n * (n + 1) / 2: two million here
    key = base.story_key("同一个故事", "")
    assert [it["id"] for it in c.items[:3]] == [f"linuxcn-99010-{real(k.encode()).hexdigest()[:8]}" for k in (key, f"{key}#2", f"{key}#3")]
    assert len({it["id"] for it in c.items}) == n


# ---------------------------------------------------------------------------- 4. no published item changes split


def test_check_base_refuses_an_edited_lock(repo):
    lock = repo / "splits" / LOCK
    rows = [json.loads(line) for line in lock.read_text(encoding="utf-8").splitlines()]
    moved = [r["item_id"] for r in rows if r["split"] == "test"][:5]
    assert len(moved) == 5
    lock.write_text("".join(json.dumps({**r, "split": "train" if r["item_id"] in moved else r["split"]}) + "\n" for r in rows), encoding="utf-8")
    assert build(repo).ok  # the attack: rebuild with the edited lock (and rerun the baselines), commit
    commit(repo, "move five test items to train")
    assert all(items(repo)[i]["split"] == "train" for i in moved)
    assert check(repo).problems() == []  # the lock is an input: without the base branch nothing is wrong
    problems = check(repo, base="HEAD~1").problems()
    for iid in moved:
        assert f"splits/{LOCK}: [lock-changed] the lock gives {iid} the split test at HEAD~1, here train (at $.split) value={iid}; fix: the lock only grows: restore splits/{LOCK} from HEAD~1 and build again" in problems
        assert any(f"[published-item-moved] item {iid} is published in test at HEAD~1, here in train" in p for p in problems)
    assert main(["check", "--root", str(repo), "--base", "HEAD~1"]) == 1


def test_check_base_accepts_a_new_document(repo, capsys):
    add_raw(repo, "raw/linuxcn/15431.md", (DATA / "dev-corpus" / "linuxcn" / "15431.md").read_bytes())
    assert build(repo).ok
    commit(repo, "a new document")
    assert check(repo, base="HEAD~1").problems() == []
    assert main(["check", "--root", str(repo), "--base", "HEAD~1"]) == 0
    assert capsys.readouterr().out.endswith("splits/ is up to date and keeps every promise of HEAD~1\n")
    assert main(["check", "--root", str(repo), "--base", "no-such-branch"]) == 1
    assert "[unknown-base]" in capsys.readouterr().err


# ---------------------------------------------------------------------------- 5. near-copies stay in their story's split


def zero_width(text: str) -> str:
    return re.sub(r"([\u4e00-\u9fff])", "\\1\u200b", text)


def full_width(text: str) -> str:
    """Latin letters as their full-width forms, outside URLs and link targets."""
    return re.sub(r"https?://\S+|\]\([^)]*\)|[A-Za-z]+",
                  lambda m: m.group() if not m.group()[0].isalpha() else "".join(chr(ord(c) + 0xFEE0) for c in m.group()), text)


def test_a_zero_width_copy_joins_its_published_stories(repo):
    original = {it["position"]: it for it in items(repo).values() if it["document_id"] == "plaintext-52a29a90768a"}
    add_raw(repo, "raw/copy.txt", zero_width(SEEDS["004"].read_text(encoding="utf-8")))
    report = validate_paths([repo / "raw" / "copy.txt"], root=repo, corpus=repo / "splits")
    assert "near-duplicate-document" in rules(report.issues)
    assert build(repo).ok
    copies = {it["position"]: it for it in items(repo).values() if it["document_id"] not in ("plaintext-52a29a90768a",)
              and it["format"] == "plaintext"}
    assert len(copies) == len(original) == 2
    for position, it in copies.items():
        assert it["split"] == original[position]["split"]
        assert any({it["id"], original[position]["id"]} <= set(c) for c in clusters(repo))
    commit(repo, "a disguised copy")
    assert check(repo, base="HEAD~1").problems() == []


def test_a_full_width_copy_is_a_near_duplicate_document(repo):
    body = full_width(BODY)
    assert body != BODY
    add_raw(repo, "raw/linuxcn/99020.md", linuxcn(99020, body))
    report = validate_paths([repo / "raw" / "linuxcn" / "99020.md"], root=repo, corpus=repo / "splits")
    [issue] = [i for i in report.issues if i.rule == "near-duplicate-document"]
    assert "raw/000_27dee62db898cc7f.txt" in issue.message


def test_a_flood_of_copies_is_clustered_despite_the_posting_cap(repo):
    """70 copies of a published story in one new file: each term of the story is in more than POSTING_CAP items."""
    from aicorpus.dedup import POSTING_CAP

    target = next(it for it in items(repo).values() if it["document_id"] == "linuxcn-15754" and it["position"] == 0)
    n = 70
    assert n > POSTING_CAP
    add_raw(repo, "raw/linuxcn/99030.md", linuxcn(99030, "".join(story(target["title"], target["text"]) for _ in range(n))))
    assert build(repo).ok
    flood = [it for it in items(repo).values() if it["document_id"] == "linuxcn-99030"]
    assert len(flood) == n
    assert {it["split"] for it in flood} == {target["split"]}
    assert any({target["id"], *(it["id"] for it in flood)} <= set(c) for c in clusters(repo))
    commit(repo, "a flood of copies")
    assert check(repo, base="HEAD~1").problems() == []


def test_the_base_comparison_finds_a_near_copy_that_the_build_left_in_another_split():
    """Every new item is compared with every item, not only the pairs the build's blocking picks."""
    from aicorpus.guard import _near_copies

    text = SEEDS["004"].read_text(encoding="utf-8").splitlines()[1]
    rows = {"p": {"id": "p", "title": None, "text": text, "split": "test"},
            "n": {"id": "n", "title": None, "text": text + "\n另有一句补充。", "split": "train"},
            "o": {"id": "o", "title": None, "text": "完全无关的一条芯片新闻，讲的是算力价格。", "split": "train"}}
    [issue] = _near_copies(rows, {"p", "o"}, "splits/items/", "at main")
    assert (issue.rule, issue.value) == ("near-copy-in-other-split", "n") and "of published item p in test" in issue.message
    assert _near_copies({**rows, "n": {**rows["n"], "split": "test"}}, {"p", "o"}, "splits/items/", "at main") == []


def test_check_base_refuses_an_edit_of_a_published_document(repo):
    """A one-character edit of a published post's title, rebuilt as Contributing asks, with the manifest and label updated."""
    rel = f"raw/{SEEDS['000'].name}"
    before = items(repo)
    old = next(it for it in before.values() if it["document_id"] == "linuxcn-15754" and it["position"] == 0)
    (repo / rel).write_text(LINUXCN.replace(f"### {old['title']}", f"### {old['title']}了"), encoding="utf-8")
    set_manifest_row(repo, rel)
    assert build(repo).label_problems  # its label is orphaned: move it to the new id, as the attacker would
    new_id = next(i for i, it in items(repo).items() if it["document_id"] == "linuxcn-15754" and it["position"] == 0)
    label_file = repo / "labels" / "linuxcn-15754.jsonl"
    label_file.write_text(label_file.read_text(encoding="utf-8").replace(old["id"], new_id), encoding="utf-8")
    assert build(repo).ok
    commit(repo, "fix a typo")
    assert check(repo).problems() == []  # CI compared the pull request with its own rebuilt splits
    problems = check(repo, base="HEAD~1").problems()
    assert any(p.startswith(f"{rel}: [published-raw-changed]") for p in problems), problems
    assert any(f"[published-item-gone] item {old['id']}, published in {old['split']} at HEAD~1" in p for p in problems)


# ---------------------------------------------------------------------------- 6. a published document cannot be taken over


def test_a_new_file_cannot_take_over_a_published_document_id(repo):
    original = f"raw/{SEEDS['000'].name}"
    takeover = LINUXCN.replace("她邀请粉丝用她的声音创作音乐", "她邀请粉丝购买我们的课程")
    add_raw(repo, "raw/0.md", takeover)  # sorts before raw/000_...: it used to be published, the original rejected
    result = build(repo)
    [issue] = result.rejected["raw/0.md"]
    assert issue.rule == "duplicate-document" and original in issue.message and issue.file == "raw/0.md"
    assert original not in result.rejected
    assert documents(repo)["linuxcn-15754"]["raw_path"] == original
    assert not result.label_problems  # the labels stay on the original's items
    assert all("购买我们的课程" not in it["text"] for it in items(repo).values())
    report = validate_paths([repo / "raw"], root=repo)
    assert any(i.rule == "duplicate-id" and original in i.file + i.message and "raw/0.md" in i.file + i.message for i in report.issues)

    # without the original, the newcomer is published; against the base branch that is a moved document
    (repo / original).unlink()
    build(repo)
    commit(repo, "take over")
    assert any("[published-document-moved] document linuxcn-15754" in p for p in check(repo, base="HEAD~1").problems())


# ---------------------------------------------------------------------------- 7. one bad value fails one file


def test_a_64_bit_overflow_fails_its_file_in_validate_and_build(built, tmp_path):
    root = copy(built, tmp_path / "p")
    path = add_raw(root, "raw/linuxcn/99040.md", linuxcn(99040).replace("viewnum: 2031", "viewnum: 9223372036854775808"))
    c = convert_file(path, root)
    assert [(i.rule, i.json_path) for i in c.issues] == [("integer-out-of-range", "$.metadata.views")] and c.issues[0].hint
    assert not validate_paths([path], root=root).valid
    result = build(root)  # raised OverflowError in the Parquet writer
    assert list(result.rejected) == ["raw/linuxcn/99040.md"] and not result.label_problems
    assert any("[integer-out-of-range]" in p for p in check(root).problems())


def label_line(built: Path, **claim) -> str:
    line = json.loads((built / "labels" / "plaintext-52a29a90768a.jsonl").read_text(encoding="utf-8").splitlines()[0])
    line["claims"][0].update(claim)
    return json.dumps(line, ensure_ascii=False)


BAD_LABEL_FILES = {
    "float-offset": None,  # filled from the seed label: "start": 12.0 (a JSON Schema integer, not a slice index)
    "latin-1": '{"item_id": "plaintext-52a29a90768a-9d8c23c9", "topics": ["café"]}\n'.encode("latin-1"),
    "utf-16": '{"item_id": "plaintext-52a29a90768a-9d8c23c9"}\n'.encode("utf-16"),
    "deep": ("[" * 100_000 + "]" * 100_000 + "\n").encode(),
    "huge-number": ('{"item_id": "plaintext-52a29a90768a-9d8c23c9", "topics": [' + "9" * 5000 + "]}\n").encode(),
}


@pytest.mark.parametrize("kind", sorted(BAD_LABEL_FILES))
def test_a_bad_label_file_fails_itself_in_build_validate_check_and_bench(built, tmp_path, kind):
    from aicorpus.bench.score import score

    root = copy(built, tmp_path / "p")
    label_file = root / "labels" / "plaintext-52a29a90768a.jsonl"
    if kind == "float-offset":
        lines = label_file.read_text(encoding="utf-8").splitlines()
        start = json.loads(lines[0])["claims"][0]["start"]
        label_file.write_text(label_line(built, start=float(start)) + "\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")
        bad, where = "labels/plaintext-52a29a90768a.jsonl", "$.claims[0].start"
    else:
        (root / "labels" / "bad.jsonl").write_bytes(BAD_LABEL_FILES[kind])
        bad, where = "labels/bad.jsonl", None
    result = build(root)
    assert {i.file for i in result.label_problems} == {bad}, [i.format() for i in result.label_problems]
    assert all(i.hint for i in result.label_problems)
    if where:
        assert [(i.rule, i.json_path) for i in result.label_problems] == [("type", where)]
    report = validate_paths([root / bad], root=root, corpus=root / "splits")
    assert not report.valid
    assert any(p.startswith(f"{bad}:") for p in check(root).problems())
    scored = score("topics", _all_topics(root), "test", root, n_resamples=10)
    assert any(p.startswith(bad) for p in scored["label_problems"])


def _all_topics(root: Path) -> Path:
    path = root / "pred.jsonl"
    path.write_text("".join(json.dumps({"item_id": i, "topics": ["open_source"]}) + "\n" for i in items(root)), encoding="utf-8")
    return path


@pytest.mark.parametrize("task, data, rule", [
    ("topics", '{"item_id": "%s", "topics": [["open_source"]]}\n', "unknown-topic"),
    ("topics", '{"item_id": "%s", "topics": [' + "1" * 400 + "]}\n", "unknown-topic"),
    ("claims", '{"item_id": "%s", "claims": [{"number": ' + "1" * 400 + "}]}\n", "non-numeric-number"),
    ("topics", '{"item_id": "%s", "topics": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "too-deep"),
    ("topics", "utf-16", "invalid-encoding"),
    ("topics", "latin-1", "invalid-encoding"),
    ("topics", "folder", "not-a-regular-file"),
])
def test_bench_score_reports_a_bad_prediction_file_without_a_traceback(built, tmp_path, capsys, task, data, rule):
    iid = next(iter(items(built)))
    path = tmp_path / "pred.jsonl"
    line = '{"item_id": "%s", "topics": ["café"]}\n' % iid
    if data == "utf-16":
        path.write_bytes(line.encode("utf-16"))
    elif data == "latin-1":
        path.write_bytes(line.encode("latin-1"))
    elif data == "folder":
        path.mkdir()
    else:
        path.write_text(data % iid, encoding="utf-8")
    assert main(["bench", "score", "--task", task, "--predictions", str(path), "--root", str(built)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {path.as_posix()}") and f"[{rule}]" in err and "Traceback" not in err
    assert len(err) < 600 + len(path.as_posix())  # values are shortened: a 400-digit number is not printed whole


HOSTILE_RAW = {
    "views-overflow.md": linuxcn(99051).replace("viewnum: 2031", "viewnum: 18446744073709551616"),
    "views-float.md": linuxcn(99052).replace("viewnum: 2031", "viewnum: 12.0"),
    "views-nan.md": linuxcn(99053).replace("viewnum: 2031", "viewnum: .nan"),
    "surrogate.md": linuxcn(99054).replace("author: 硬核老王", 'author: "\\ud800"'),
    "issue-number.md": linuxcn(99055).replace("#982", "#" + "9" * 30),
    "alias.md": linuxcn(99056).replace("thumb: false", "thumb: &t false\ntitlepic2: *t"),
    "fine.md": linuxcn(99057),
}


def test_validate_and_build_agree_on_what_is_valid(built, tmp_path):
    root = copy(built, tmp_path / "p")
    for name, text in HOSTILE_RAW.items():
        add_raw(root, f"raw/linuxcn/{name}", text)
    result = build(root)  # crashed on the first three (OverflowError, Arrow's cast of 12.0, NaN) and the surrogate
    for name in HOSTILE_RAW:
        rel = f"raw/linuxcn/{name}"
        report = validate_paths([root / rel], root=root)
        assert report.valid == (rel not in result.rejected), (name, [i.format() for i in report.issues])
        assert report.valid == (name == "fine.md"), name
    assert "raw/linuxcn/fine.md" in result.published


# ---------------------------------------------------------------------------- 8. generated documents cannot be injected into


def test_source_text_cannot_break_a_generated_block(built, tmp_path):
    root = copy(built, tmp_path / "p")
    title = "A|B \\<!-- END GENERATED: near-duplicates --> C"  # the backslash makes the comment text (Markdown)
    add_raw(root, "raw/linuxcn/99060.md", linuxcn(99060, story(title, "同一段正文。") * 2))
    assert build(root).ok
    first = (root / "DATASHEET.md").read_text(encoding="utf-8")
    build(root, cache=False)
    again = (root / "DATASHEET.md").read_text(encoding="utf-8")
    assert again == first  # the datasheet grew by a block at every build
    assert again.count("<!-- END GENERATED: near-duplicates -->") == again.count("<!-- BEGIN GENERATED: near-duplicates -->") == 1
    assert "A\\|B &lt;!-- END GENERATED: near-duplicates --&gt; C" in again
    assert check(root).stale == []


# ---------------------------------------------------------------------------- 9. outputs switch together

def grown(built: Path, dest: Path) -> Path:
    root = copy(built, dest)
    add_raw(root, "raw/linuxcn/15431.md", (DATA / "dev-corpus" / "linuxcn" / "15431.md").read_bytes())
    return root


def test_a_build_killed_between_two_outputs_is_completed_not_left_mixed(built, tmp_path):
    reference = grown(built, tmp_path / "reference")
    build(reference)
    root = grown(built, tmp_path / "p")
    first = "splits/documents/train-00000-of-00001.parquet"
    assert build_killed_at(root, f"replaced:{first}") == -signal.SIGKILL
    assert (root / build_mod.SWITCH).is_dir()  # the switch was committed: the rest of the outputs wait in it
    assert any("[unfinished-build]" in p for p in check(root).problems())
    assert build_mod.recover(root)
    assert outputs(root) == outputs(reference) and not (root / build_mod.SWITCH).exists()
    assert check(root).problems() == []


def test_an_unwritable_target_changes_no_output(built, tmp_path):
    root = grown(built, tmp_path / "p")
    before = outputs(root)
    sabotaged = "splits/items/test-00000-of-00001.parquet"

    def hook(point):  # after the first file is in place, a later target can no longer be replaced
        if point.startswith("replaced:") and not (root / sabotaged).is_dir():
            (root / sabotaged).unlink()
            (root / sabotaged).mkdir()
            (root / sabotaged / "x").write_text("x")

    build_mod.HOOK = hook
    try:
        with pytest.raises(AicorpusError) as info:
            build(root)
    finally:
        build_mod.HOOK = None
    assert info.value.issue.rule == "output-not-writable"
    after = outputs(root)
    assert {k: v for k, v in after.items() if not k.startswith(sabotaged)} == {k: v for k, v in before.items() if k != sabotaged}
    assert not (root / build_mod.SWITCH).exists() and not list(root.glob(".staging-*"))
    # a folder in a target's place is refused before anything moves
    with pytest.raises(AicorpusError, match="is a folder, where the build writes a file; no output was changed"):
        build(root)
    assert {k: v for k, v in outputs(root).items() if not k.startswith(sabotaged)} == {k: v for k, v in before.items() if k != sabotaged}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_split_folder_changes_no_output(built, tmp_path):
    root = grown(built, tmp_path / "p")
    before = outputs(root)
    folder = root / "splits" / "items"
    folder.chmod(0o555)
    try:
        with pytest.raises(AicorpusError, match="output-not-writable|cannot write in splits/items"):
            build(root)
    finally:
        folder.chmod(0o755)
    assert outputs(root) == before


def test_staging_and_switch_folders_are_git_ignored(built, tmp_path):
    root = copy(built, tmp_path / "p")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    for name in (".staging-abc123/splits/items/test-00000-of-00001.parquet", ".aicorpus-switch/splits/split-lock.jsonl", ".cache/convert/ab/x.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x")
    git(root, "add", "-A")
    assert not [p for p in git(root, "ls-files").splitlines() if p.startswith((".staging-", ".aicorpus-switch", ".cache"))]


# ---------------------------------------------------------------------------- 10. inputs are hashed before the build


def test_a_raw_file_added_during_a_build_is_built_by_the_next(built, tmp_path):
    root = copy(built, tmp_path / "p")
    data = (DATA / "dev-corpus" / "linuxcn" / "15431.md").read_bytes()

    def hook(point):
        if point == "write":  # after pass 1 listed the raw files
            add_raw(root, "raw/linuxcn/15431.md", data)

    build_mod.HOOK = hook
    try:
        first = build(root)
    finally:
        build_mod.HOOK = None
    assert "raw/linuxcn/15431.md" not in first.published
    second = build(root)
    assert not second.up_to_date and "raw/linuxcn/15431.md" in second.published


# ---------------------------------------------------------------------------- 11. no orphans

@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="waits for the workers with pidfd_open (Linux)")
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_killed_parallel_build_leaves_no_worker_running(built, tmp_path, sig):
    root = copy(built, tmp_path / "p")
    pids_file = tmp_path / "workers.json"

    def die(point: str) -> None:  # in the build's process
        if point == "near-duplicates":  # the pool has converted every file and waits for the pair search
            pids_file.write_text(json.dumps([p.pid for p in multiprocessing.active_children()]))
            os.kill(os.getpid(), getattr(signal, sig))

    assert build_forked(root, die, num_proc=2, cache=False) == -getattr(signal, sig)
    pids = json.loads(pids_file.read_text())
    assert len(pids) == 2
    left = []
    try:
        for pid in pids:
            try:
                fd = os.pidfd_open(pid)
            except ProcessLookupError:  # gone already
                continue
            try:
                # readable when the process has exited; the bound is for a failure (they waited forever, 200 MB each)
                if not select.select([fd], [], [], 120)[0]:
                    left.append(pid)
            finally:
                os.close(fd)
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert left == []


# ---------------------------------------------------------------------------- 12. annotations cannot be forged


def test_github_annotations_cannot_be_forged(tmp_path, capsys):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a\n::notice title=Approved::looks good\n::stop-commands::tok\nb.txt").write_bytes(b"")
    (folder / "c,d:e%f.txt").write_bytes(b"")
    assert main(["validate", "--format", "github", str(folder)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1]) and lines[-1].startswith("2 files checked")
    assert not any(line.startswith(("::notice", "::stop-commands")) for line in lines)
    assert any("c%2Cd%3Ae%25f.txt" in line for line in lines)
    issue = Issue("raw/x.md", "rule", "line one\r\nline two 100%", line=2)
    assert cli.github_annotation(issue) == "::error file=raw/x.md,line=2,title=rule::[rule] line one%0D%0Aline two 100%25"


# ---------------------------------------------------------------------------- 13. valid text is kept


def test_entities_and_private_use_characters_are_kept(tmp_path):
    path = tmp_path / "post.md"
    text = "价格 &lt; 100 元，AT&amp;T 今天发布了新模型。"
    path.write_text(linuxcn(99070, story("实体与私用区字符", f"{text}\n\n私用区\ue000字符\ue001在此。")), encoding="utf-8")
    c = convert_file(path, tmp_path)
    assert c.ok, [i.format() for i in c.issues]
    [it] = c.items
    assert it["text"] == "价格 < 100 元，AT&T 今天发布了新模型。\n私用区\ue000字符\ue001在此。"
    assert c.document["coverage"]["lost"] == 0


# ---------------------------------------------------------------------------- CI runs all this, and says so


def test_ci_compares_pull_requests_with_the_base_branch_and_security_md_says_what_it_guarantees():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML reads the key `on` as True
    steps = " ".join(step.get("run", "") for step in workflow["jobs"]["validate"]["steps"])
    assert 'aicorpus check --base "$AICORPUS_BASE"' in steps and "refs/heads/${BASE_REF}" in steps
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "## What CI guarantees" in security and "## What CI does not guarantee" in security
    assert len(re.findall(r"^\d+\. \*\*", security, re.M)) == 13  # one guarantee per numbered part of issue #17
    assert "[SECURITY.md](SECURITY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
