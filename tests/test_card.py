"""Generated documentation: blocks filled from the data, staleness detected, Croissant valid."""

from __future__ import annotations

import hashlib
import json
import shutil

from aicorpus import card
from aicorpus.build import build, check
from conftest import ROOT


def test_fill_replaces_only_named_blocks():
    text = "intro\n<!-- BEGIN GENERATED: a -->\nold a\n<!-- END GENERATED: a -->\nmid\n<!-- BEGIN GENERATED: b -->\nold b\n<!-- END GENERATED: b -->\n"
    out = card.fill(text, {"a": "new a"})
    assert out == text.replace("old a", "new a")
    assert card.markers(out) == ["a", "b"]


def test_documents_have_every_generated_block():
    assert {"summary", "fields", "results"} <= set(card.markers((ROOT / "README.md").read_text(encoding="utf-8")))
    assert {"composition", "coverage", "near-duplicates", "labels"} <= set(card.markers((ROOT / "DATASHEET.md").read_text(encoding="utf-8")))


def test_blocks_show_the_built_figures(built):
    report = json.loads((built / "splits" / "build-report.json").read_text())
    datasheet = (built / "DATASHEET.md").read_text(encoding="utf-8")
    readme = (built / "README.md").read_text(encoding="utf-8")
    assert f"{report['documents']} documents, {report['items']} items" in readme
    for fmt, cov in report["coverage"].items():
        assert f"| {fmt} | {cov['documents']} | {cov['nonblank_lines']} | {cov['in_items']} | {cov['in_document']} | {cov['dropped']} | {cov['lost']} |" in datasheet
    assert sum(cov["documents"] for cov in report["coverage"].values()) == report["documents"]
    assert f"{report['near_duplicates']['n_clusters']} clusters of more than one item" in datasheet


def test_edited_figure_is_reported_stale(built, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(built, root)
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "55 items" in text
    readme.write_text(text.replace("55 items", "56 items"), encoding="utf-8")
    assert check(root).stale == ["README.md"]


def test_croissant_is_valid_and_hashes_the_files(built):
    import mlcroissant as mlc

    path = built / card.CROISSANT
    ds = mlc.Dataset(jsonld=str(path))
    assert not ds.metadata.ctx.issues.errors
    doc = json.loads(path.read_text(encoding="utf-8"))
    files = {f["contentUrl"]: f["sha256"] for f in doc["distribution"]}
    assert set(files) == {"splits/documents/train-00000-of-00001.parquet"} | {f"splits/items/{s}-00000-of-00001.parquet" for s in ("train", "validation", "test")}
    for name, sha in files.items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == sha
    assert {rs["name"] for rs in doc["recordSet"]} == {"documents", "items"}


def test_plots_are_generated_and_deterministic(built, tmp_path):
    for name in ("topics_per_split.png", "claims_per_item.png", "documents_per_month.png"):
        data = (built / card.PLOTS / name).read_bytes()
        assert data.startswith(b"\x89PNG")
    root = tmp_path / "again"
    shutil.copytree(built, root)
    build(root)
    for name in ("topics_per_split.png", "claims_per_item.png", "documents_per_month.png"):
        assert (root / card.PLOTS / name).read_bytes() == (built / card.PLOTS / name).read_bytes()
