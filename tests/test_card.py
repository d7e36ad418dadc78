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
    files = {f["contentUrl"]: f["sha256"] for f in doc["distribution"] if f["@type"] == "cr:FileObject"}
    assert set(files) == {"splits/documents/train-00000-of-00001.parquet"} | {f"splits/items/{s}-00000-of-00001.parquet" for s in ("train", "validation", "test")}
    for name, sha in files.items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == sha
    file_sets = {f["@id"]: f["includes"] for f in doc["distribution"] if f["@type"] == "cr:FileSet"}
    assert file_sets == {"parquet-files-for-config-documents": "splits/documents/*.parquet", "parquet-files-for-config-items": "splits/items/*.parquet"}
    assert {rs["name"] for rs in doc["recordSet"]} == {"documents", "items", "documents_splits", "items_splits"}
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"


def _text(value):
    """mlcroissant gives sc:Text as bytes."""
    return value.decode() if isinstance(value, bytes) else value


def test_croissant_reads_every_record_of_both_sets(built):
    """The reference reader yields every Parquet row, with its split and its nested fields."""
    import mlcroissant as mlc
    import pyarrow.parquet as pq

    ds = mlc.Dataset(jsonld=str(built / card.CROISSANT))
    rows = {config: {row["id"]: (path.name.split("-")[0], row) for path in sorted((built / "splits" / config).glob("*.parquet"))
                     for row in pq.read_table(path).to_pylist()} for config in ("documents", "items")}

    documents = list(ds.records("documents"))
    assert len(documents) == len(rows["documents"]) == 5
    for rec in documents:
        split, row = rows["documents"][_text(rec["documents/id"])]
        assert _text(rec["documents/split"]) == split == "train"
        assert _text(rec["documents/text"]) == row["text"] and rec["documents/n_items"] == row["n_items"]
        assert [_text(a) for a in rec["documents/authors"]] == row["authors"]
        assert rec["documents/metadata"]["documents/metadata/views"] == row["metadata"]["views"]  # a struct's own key, not the column
        assert rec["documents/coverage"]["documents/coverage/nonblank_lines"] == row["coverage"]["nonblank_lines"]
        drops = rec["documents/coverage/drops"]  # a list of structs inside a struct
        assert [(d["documents/coverage/drops/line"], _text(d["documents/coverage/drops/reason"])) for d in drops] == \
            [(d["line"], d["reason"]) for d in row["coverage"]["drops"]]
        assert [_text(i["documents/images/src"]) for i in rec["documents/images"]] == [i["src"] for i in row["images"]]

    items = list(ds.records("items"))
    assert len(items) == len(rows["items"]) == 55
    assert {split for split, _ in rows["items"].values()} == {"train", "validation", "test"}  # every split file is read
    labeled = 0
    for rec in items:
        split, row = rows["items"][_text(rec["items/id"])]
        assert _text(rec["items/split"]) == split
        assert _text(rec["items/text"]) == row["text"] and rec["items/raw_start"] == row["raw_start"]
        assert [_text(link["items/links/url"]) for link in rec["items/links"]] == [link["url"] for link in row["links"]]
        assert list(rec["items/topics"]) == row["topics"]
        claims = [(_text(c["items/claims/evidence"]), c["items/claims/start"], c["items/claims/end"], c["items/claims/number"])
                  for c in rec["items/claims"]]
        assert claims == [(c["evidence"], c["start"], c["end"], c["number"]) for c in row["claims"]]
        labeled += bool(row["claims"])
    assert labeled > 10  # the nested claims were compared, not only empty lists


def test_plots_are_generated_and_deterministic(built, tmp_path):
    for name in ("topics_per_split.png", "claims_per_item.png", "documents_per_month.png"):
        data = (built / card.PLOTS / name).read_bytes()
        assert data.startswith(b"\x89PNG")
    root = tmp_path / "again"
    shutil.copytree(built, root)
    build(root)
    for name in ("topics_per_split.png", "claims_per_item.png", "documents_per_month.png"):
        assert (root / card.PLOTS / name).read_bytes() == (built / card.PLOTS / name).read_bytes()
