"""README's contributor flow, replayed in a copy of the project: add a raw file and its manifest row, validate, build, check."""

from __future__ import annotations

import json
import re
import shutil

import pyarrow.parquet as pq

from aicorpus.build import check
from aicorpus.cli import main
from aicorpus.manifest import MANIFEST, file_facts
from conftest import DATA, ROOT

NEW = "raw/linuxcn/15431.md"  # a linux.cn post the seed project does not have


def contributing_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Contributing") :].split("\n## ", 1)[0]


def test_the_readme_names_the_steps_this_test_takes():
    section = contributing_section()
    steps = [section.index(s) for s in ("raw/MANIFEST.jsonl", "aicorpus validate raw/", "aicorpus build", "aicorpus check")]
    assert steps == sorted(steps), "README's Contributing section lists the steps in another order than this test takes them"


def test_a_new_document_goes_through_validate_build_check(built, tmp_path, monkeypatch, capsys):
    root = tmp_path / "clone"
    shutil.copytree(built, root)
    monkeypatch.chdir(root)
    items_before = sum(pq.ParquetFile(p).metadata.num_rows for p in (root / "splits" / "items").glob("*.parquet"))

    # 1. the raw file, under its source's folder and name, and its manifest row (null where not known)
    data = (DATA / "dev-corpus" / "linuxcn" / "15431.md").read_bytes()
    (root / NEW).parent.mkdir(parents=True, exist_ok=True)
    (root / NEW).write_bytes(data)
    row = {"raw_path": NEW, "population": "linuxcn-hardcore-2023", "repository": "Linux-CN/archive",
           "source_path": "content/2023/01/15431.md", "commit": None, "url": "https://linux.cn/article-15431-1.html",
           "licence": "CC BY-NC (licence badge in the README of Linux-CN/archive; no version stated)", "retrieved": None,
           "total_chars": None, **file_facts(data), "note": None}
    with open(root / MANIFEST, "a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")

    # 2. validate it (against the published corpus of the project it is run in), and the manifest
    assert main(["validate", NEW]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out == "1 file checked: 0 errors in 0 files, 0 warnings\n"
    assert main(["validate", MANIFEST]) == 0
    assert capsys.readouterr().out.endswith("0 errors in 0 files, 0 warnings\n")

    # 3. build: the new document is published, its items not labeled yet
    assert main(["build", "--no-progress"]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.startswith("6 inputs: 6 published, 0 rejected")
    new_items = [row for p in sorted((root / "splits" / "items").glob("*.parquet"))
                 for row in pq.read_table(p, columns=["id", "document_id", "label_version", "topics", "claims"]).to_pylist()
                 if row["document_id"] == "linuxcn-15431"]
    assert new_items and all(r["label_version"] is None and r["topics"] == [] and r["claims"] == [] for r in new_items)
    assert sum(pq.ParquetFile(p).metadata.num_rows for p in (root / "splits" / "items").glob("*.parquet")) == items_before + len(new_items)

    # 4. check passes, and counts the unlabeled items; a release would still wait for their labels
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("splits/ is up to date\n")
    assert re.search(rf"note: {len(new_items)} of {items_before + len(new_items)} items are not labeled yet", out)
    result = check(root)
    assert result.problems() == [] and result.unlabeled == len(new_items)
    assert any(p.startswith(f"unlabeled: {len(new_items)} of") for p in result.problems(release=True))

    # the whole corpus, the new file included, is valid
    assert main(["validate", "raw", "labels"]) == 0, capsys.readouterr().out
