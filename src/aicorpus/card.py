"""Generated documentation: figures in README.md and DATASHEET.md, croissant.json, plots.

Prose is written by people; every figure sits between
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->`` and is
rewritten by each build from the data, so the documents cannot drift from it
(``aicorpus check`` compares them).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import statistics
from collections import Counter
from pathlib import Path

from . import RELEASE_DATE, __version__
from .coverage import COUNTS as COVERAGE_COUNTS
from .inputs import json_line, read_text
from .labels import taxonomy, topic_ids
from .parquet import DOCUMENT_FEATURES, ITEM_FEATURES
from .splits import SPLITS

README, DATASHEET, CROISSANT = "README.md", "DATASHEET.md", "croissant.json"
PLOTS = "docs/plots"
RESULTS = "results"

FIELD_DOCS = {
    "documents": {
        "id": "`linuxcn-<article id>`, else `<format>-<first 12 hex of the raw file's sha256>`",
        "format": "converter that read the file: linuxcn, aidaily, wechat, jekyll, digest, plaintext",
        "source": "publisher or site as the document names it; `unknown` where it does not",
        "title": "document title; null where the source has none",
        "authors": "authors as the source gives them",
        "published": "ISO 8601 date or date-time (+08:00 for Beijing time); null where the source gives no date",
        "url": "the document's own URL, where known",
        "tags": "the source's own tags",
        "highlights": "the document's highlight list (linux.cn summary lines, the digest's 看点)",
        "text": "cleaned full text: Markdown removed, link anchor text kept, images out",
        "images": "images of the document itself (src as written, alt)",
        "metadata": "source metadata as typed fields (views, comments, series number, place, reading statistics ...)",
        "n_items": "number of items (stories) in the document",
        "raw_path": "path of the raw file in the repository",
        "raw_sha256": "sha256 of the raw file's bytes",
        "raw_encoding": "how the raw bytes were decoded: utf-8, utf-8-sig or gb18030",
        "coverage": "line accounting: non-blank raw lines found in items, in the document only, or dropped (with each drop's line and reason)",
    },
    "items": {
        "id": "`<document id>-<first 8 hex of sha256 of the story key>` (title letters and digits, else the opening words)",
        "document_id": "the document the item belongs to",
        "format": "its document's format (as in documents), so that items can be sliced without a join",
        "source": "its document's publisher (as in documents)",
        "published": "its document's publication date (as in documents); null where the document gives none",
        "position": "0-based position of the item in its document",
        "section": "section heading the item sits under (day, column, 回音 ...)",
        "kicker": "short label before the headline (WeChat `kicker：headline`)",
        "subtitle": "line under the headline (WeChat); a trending entry's figures (stars, today's gain, language) in the AI daily",
        "title": "headline; null where the source has none (plain text)",
        "text": "cleaned text of the story",
        "links": "links with anchor text, URL and role (source, fulltext, related, inline)",
        "images": "images of the story",
        "captions": "illustration credit lines",
        "commentary": "the editor's comment (linux.cn 老王点评)",
        "questions": "questions the source asks about the story (探索之问)",
        "line_start": "first raw line of the story (1-based)",
        "line_end": "last raw line of the story",
        "raw_start": "character offset of the story's first line in the decoded raw file",
        "raw_end": "character offset just past the story's last line",
        "label_version": "annotation guideline version of the hand label; null when not labeled",
        "claims_labeled": "true when the item's claims were labelled (an empty `claims` then means it has none); false when only its topics were; null without a label",
        "topics": "hand-labeled topics (class labels from schema/topics.json), main topic first",
        "claims": "hand-labeled atomic claims: subject, predicate, value, number, unit, comparator, time, evidence and its start/end in `text`, note",
    },
}


def generate(root: Path, stats: "Stats", report: dict, staging: Path) -> dict[str, bytes]:
    """README.md and DATASHEET.md with their generated blocks filled, croissant.json and plots.

    ``staging`` holds the freshly written Parquet files (hashed for Croissant).
    """
    s = stats.result(report)
    blocks = render_blocks(s, results_table(root))
    blocks["provenance"] = provenance(root)
    blocks["annotation"] = annotation(root)
    out: dict[str, bytes] = {}
    for name in (README, DATASHEET):
        path = Path(root) / name
        if os.path.lexists(path):  # a link or a FIFO in its place is refused (AicorpusError), never read
            out[name] = fill(read_text(path, name, root=Path(root)), blocks).encode()
    out[CROISSANT] = croissant(staging)
    out.update(plots(s))
    return out


class Stats:
    """Every figure the documents show, accumulated one record at a time (the build streams)."""

    def __init__(self):
        self.by_format: dict[str, dict] = {}
        self.dates: list[str] = []
        self.months: Counter = Counter()
        self.documents = 0
        self.items_per_split = Counter()
        self.labeled_per_split = Counter()
        self.claims_labeled_per_split = Counter()
        self.topics = Counter()  # (topic index, split) -> items
        self.claims_per_item: list[int] = []
        self.numeric_claims = 0
        self.predicates = Counter()

    def add_document(self, doc: dict) -> None:
        self.documents += 1
        row = self.by_format.setdefault(doc["format"], {"source": doc["source"], "documents": 0, "items": 0, **{s: 0 for s in SPLITS}, "characters": 0,
                                                       "first": None, "last": None})
        row["documents"] += 1
        if doc["published"]:
            day = doc["published"][:10]
            self.dates.append(day)
            row["first"] = min(row["first"] or day, day)
            row["last"] = max(row["last"] or day, day)
        self.months[(doc["format"], (doc["published"] or "undated")[:7])] += 1

    def add_item(self, row: dict, fmt: str, split: str) -> None:
        by = self.by_format[fmt]
        by["items"] += 1
        by[split] += 1
        by["characters"] += len(row["text"])
        self.items_per_split[split] += 1
        if row["label_version"]:
            self.labeled_per_split[split] += 1
            self.topics.update((t, split) for t in row["topics"])
        if row["label_version"] and row["claims_labeled"]:  # claim figures count only items whose claims were labelled
            self.claims_labeled_per_split[split] += 1
            self.claims_per_item.append(len(row["claims"]))
            self.numeric_claims += sum(1 for c in row["claims"] if c["number"] is not None)
            self.predicates.update(c["predicate"] for c in row["claims"])

    def result(self, report: dict) -> dict:
        """The figures as a plain dict (also in tests)."""
        names = topic_ids()
        claims = self.claims_per_item
        dated = sorted(self.dates)
        return {
            "documents": self.documents,
            "items": sum(self.items_per_split.values()),
            "items_per_split": {s: self.items_per_split[s] for s in SPLITS},
            "by_format": dict(sorted(self.by_format.items())),
            "dates": {"first": dated[0] if dated else None, "last": dated[-1] if dated else None, "undated": self.documents - len(dated)},
            "months": [[f, m, n] for (f, m), n in sorted(self.months.items())],
            "coverage": report["coverage"],
            "near_duplicates": report["near_duplicates"],
            "labeled_per_split": {s: self.labeled_per_split[s] for s in SPLITS},
            "claims_labeled_per_split": {s: self.claims_labeled_per_split[s] for s in SPLITS},
            "topics_per_split": {names[k]: {s: self.topics[(k, s)] for s in SPLITS} for k in range(len(names))},
            "claims": {
                "total": sum(claims),
                "numeric": self.numeric_claims,
                "per_item_mean": round(statistics.mean(claims), 2) if claims else None,
                "per_item_min": min(claims) if claims else None,
                "per_item_max": max(claims) if claims else None,
                "histogram": dict(sorted(Counter(claims).items())),
                "predicates": dict(sorted(self.predicates.items())),
            },
        }


#: Markdown (and HTML) syntax in source text, escaped where the text enters a generated block: a story title
#: holding "<!-- END GENERATED: near-duplicates -->" closed the block early (each build then grew the datasheet),
#: and one holding "|" split a table cell. Entities for the HTML characters, a backslash for the rest.
_MD = str.maketrans({"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]", "~": "\\~",
                     "<": "&lt;", ">": "&gt;", "&": "&amp;"})
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # an underscore inside a word (fetch_sources) is never emphasis


def md(value: object) -> str:
    """Source text as one line of literal Markdown text, safe in a table cell and in a generated block.

    >>> md("a|b <!-- END GENERATED: x -->\\n[c](d) _e_ f_g")
    'a\\\\|b &lt;!-- END GENERATED: x --&gt; \\\\[c\\\\](d) \\\\_e\\\\_ f_g'
    """
    return _EMPHASIS_UNDERSCORE.sub(r"\\_", " ".join(str(value).splitlines()).translate(_MD))


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_blocks(s: dict, results: str) -> dict[str, str]:
    """Markdown for every generated block, by marker name."""
    en = {t["id"]: t["name_en"] for t in taxonomy()["topics"]}
    fmt_rows = [[md(f), md(r["source"]), r["documents"], r["items"], *(r[x] for x in SPLITS), r["characters"],
                 f"{r['first']} to {r['last']}" if r["first"] else "undated"] for f, r in s["by_format"].items()]
    d = s["dates"]
    fmt_rows.append(["**all**", "", s["documents"], s["items"], *(s["items_per_split"][x] for x in SPLITS),
                     sum(r["characters"] for r in s["by_format"].values()), f"{d['first']} to {d['last']}"])
    composition = "\n\n".join([
        _table(["format", "source", "documents", "items", *SPLITS, "item characters", "published"], fmt_rows),
        f"Publication dates run from {d['first']} to {d['last']}; {d['undated']} documents give no date (published is null).",
        f"![Documents per source and month]({PLOTS}/documents_per_month.png)",
    ])
    counts = ("documents", *COVERAGE_COUNTS)
    cov_rows = [[md(f), *(c[k] for k in counts)] for f, c in s["coverage"].items()]
    cov_rows.append(["**all**", *(sum(c[k] for c in s["coverage"].values()) for k in counts)])
    coverage = _table(["format", "documents", "non-blank lines", "in items", "in document only", "dropped with a reason", "lost"], cov_rows)
    nd = s["near_duplicates"]
    pairs = [[p["a"], p["b"], p["cosine"], md(p["a_title"]), md(p["b_title"])] for p in nd["pairs"]]
    below = [[p["a"], p["b"], p["cosine"], md(p["a_title"]), md(p["b_title"])] for p in nd["closest_below_threshold"]]
    near = "\n\n".join([
        f"Method: {nd['method']}; pairs at or above {nd['threshold']} are near-duplicates; clusters are their connected components "
        f"and always share a split. {nd['n_pairs']} pairs; {nd['n_clusters']} clusters of more than one item holding "
        f"{nd['items_in_clusters']} items (listed in `{nd['clusters_file']}`), the largest of {nd['largest_cluster']} items; "
        f"{nd['clusters_across_formats']} clusters join items of different source formats; {len(nd['clusters_spanning_splits'])} clusters span splits.",
        f"Pairs at or above the threshold{' (the closest ' + str(len(nd['pairs'])) + ')' if len(nd['pairs']) < nd['n_pairs'] else ''}:",
        _table(["item a", "item b", "cosine", "title a", "title b"], pairs) if pairs else "(none)",
        "Closest compared pairs below the threshold (only items that share a heavy term are compared):",
        _table(["item a", "item b", "cosine", "title a", "title b"], below) if below else "(none)",
    ])
    c = s["claims"]
    topic_rows = [[t, en[t], *(s["topics_per_split"][t][x] for x in SPLITS)] for t in s["topics_per_split"]]
    labels = "\n\n".join([
        "Labeled items per split (topics): " + ", ".join(f"{x} {s['labeled_per_split'][x]} of {s['items_per_split'][x]}" for x in SPLITS)
        + "; of these, with their claims labelled: " + ", ".join(f"{x} {s['claims_labeled_per_split'][x]}" for x in SPLITS)
        + ". Claim figures below count only items whose claims were labelled.",
        _table(["topic", "name", *SPLITS], topic_rows),
        f"![Topic distribution per split]({PLOTS}/topics_per_split.png)",
        f"Claims: {c['total']} in all, {c['numeric']} with a number; per labeled item mean {c['per_item_mean']}, "
        f"min {c['per_item_min']}, max {c['per_item_max']}.",
        _table(["predicate", "claims"], [[k, v] for k, v in c["predicates"].items()]) if c["predicates"] else "",
        f"![Claims per item]({PLOTS}/claims_per_item.png)",
    ])
    summary = (f"{s['documents']} documents, {s['items']} items ("
               + ", ".join(f"{x} {s['items_per_split'][x]}" for x in SPLITS)
               + f"); {sum(s['labeled_per_split'].values())} items carry hand labels.\n\n"
               + f"![Topic distribution per split]({PLOTS}/topics_per_split.png) "
               + f"![Claims per item]({PLOTS}/claims_per_item.png) "
               + f"![Documents per source and month]({PLOTS}/documents_per_month.png)")
    fields = "\n\n".join(
        f"**{config}**\n\n" + _table(["field", "type", "description"], [[f"`{k}`", _type(v), FIELD_DOCS[config].get(k, "")] for k, v in feats.items()])
        for config, feats in (("items", ITEM_FEATURES), ("documents", DOCUMENT_FEATURES))
    )
    return {"composition": composition, "coverage": coverage, "near-duplicates": near, "labels": labels,
            "summary": summary, "fields": fields, "results": results}


def provenance(root: Path) -> str:
    """Where the raw files came from, generated from raw/MANIFEST.jsonl and raw/POPULATIONS.json."""
    from .manifest import MANIFEST, POPULATIONS, read_manifest, read_populations

    rows, _ = read_manifest(root)
    populations = read_populations(root)
    if not rows:
        return f"(no source manifest: {MANIFEST} is missing)"
    by_pop: dict[str, list[dict]] = {}
    for row in rows:
        by_pop.setdefault(row["population"], []).append(row)
    table = []
    for pid, members in by_pop.items():
        pop = populations.get(pid, {})
        repos = sorted({f"{r['repository']}" for r in members if r["repository"]})
        commits = {r["commit"][:12] for r in members if r["commit"]}
        read = sorted({r["retrieved"] for r in members if r["retrieved"]})
        licences = Counter(r["licence"] for r in members)
        table.append([md(pop.get("name", pid)), md(pop.get("publisher", "")), len(members),
                      md(", ".join(repos)) + (f" ({len(commits)} commit{'s' if len(commits) != 1 else ''})" if commits else "") or "not recorded",
                      "; ".join(f"{md(lic)} ({n} file{'s' if n > 1 else ''})" if len(licences) > 1 else md(lic) for lic, n in sorted(licences.items())),
                      " to ".join(sorted({read[0], read[-1]})) if read else "not recorded"])
    parts = [_table(["population", "publisher", "raw files", "read from", "licence as the source states it", "read on"], table)]
    for pid, pop in populations.items():
        line = f"- **{md(pop['name'])}** ({len(by_pop.get(pid, []))} files): {md(pop['selection'])}"
        for ex in pop.get("excluded", []):
            line += f" Excluded: {len(ex['ids'])} ids ({md(', '.join(map(str, ex['ids'])))}). {md(ex['reason'])}"
        parts.append(line)
    reported = [r for r in rows if r["total_chars"] is not None]
    differ = [r for r in reported if r["total_chars"] != r["chars"]]
    check = (f"Saved character counts: {len(reported) - len(differ)} of the {len(reported)} files whose source reported a count "
             f"match it exactly" + ("." if not differ else f"; {len(differ)} differ, each explained in its row's note:"))
    # raw_path matches the manifest schema's ^raw/[A-Za-z0-9_./-]+$: safe in a code span
    parts.append(check + ("" if not differ else "\n\n" + "\n".join(f"- `{r['raw_path']}`: {md(r['note'])}" for r in differ)))
    parts.append(f"Every raw file has a row in `{MANIFEST}` (repository, path, commit, licence, retrieval day, reported and saved "
                 f"character counts, size and sha256); the build's tests check each file against its row, and "
                 f"`python scripts/fetch_sources.py` re-creates `raw/` from the manifest where a network exists. "
                 f"How each population was chosen is in `{POPULATIONS}`.")
    return "\n\n".join(parts)


AGREEMENT = "labels/agreement"


def annotation(root: Path) -> str:
    """The double annotation's agreement and the adjudication counts, computed from ``labels/agreement/``."""
    from .bench.agreement import agreement
    from .bench.metrics import load_aliases
    from .labels import topic_ids

    folder = Path(root) / AGREEMENT
    files = [folder / "annotator_a.jsonl", folder / "annotator_b.jsonl"]
    if not all(os.path.lexists(f) for f in files):
        return "Inter-annotator agreement has not been measured (no double annotation in `labels/agreement/`)."
    a, b = (_jsonl(f, root) for f in files)
    r = agreement(a, b, topic_ids(), aliases=load_aliases(), seed=0)
    t, c = r["topics"], r["claims"]
    annotators = sorted({x["annotator"] for x in a}) + sorted({x["annotator"] for x in b})
    versions = sorted({x["guideline_version"] for x in a + b})

    def row(name: str, block: dict, key: str, value: float) -> list:
        low, high = block["ci"][key]
        return [name, f"{value:.3f}", f"[{low:.3f}, {high:.3f}]"]

    parts = [
        f"Double annotation: {r['items']['both']} items (`{AGREEMENT}/sample.txt`, drawn by `scripts/sample_agreement.py`: "
        f"stratified over sources and splits, none cited in the guideline), each labelled by two annotators who worked "
        f"independently from the written guideline {md(', '.join(versions))} and the item texts ({len(annotators)} annotators: "
        f"{md(', '.join(annotators))}). Figures from `aicorpus agree {AGREEMENT}/annotator_a.jsonl {AGREEMENT}/annotator_b.jsonl`, "
        "with 95% bootstrap intervals over items (seed 0):",
        _table(["measure", "value", "95% interval"], [
            row("topics: pooled Cohen's kappa (item x topic)", t, "pooled_kappa", t["pooled_kappa"]),
            row("topics: mean Jaccard", t, "mean_jaccard", t["mean_jaccard"]),
            row("topics: same main topic", t, "main_topic", t["main_topic"]),
            row(f"claims: strict F1 ({c['strict']['tp']} matched of {c['n_claims']['a']} and {c['n_claims']['b']})", c, "strict_f1", c["strict"]["f1"]),
            row("claims: lenient F1", c, "lenient_f1", c["lenient"]["f1"]),
        ]),
        "Per topic (Cohen's kappa; how many items each annotator gave the topic):",
        _table(["topic", "kappa", "a", "b"], [[k, "n/a" if v is None else f"{v:.2f}", t["per_topic_count"][k]["a"], t["per_topic_count"][k]["b"]]
                                             for k, v in t["per_topic_kappa"].items()]),
    ]
    log = folder / "adjudication.jsonl"
    if os.path.lexists(log):
        rows = _jsonl(log, root)
        kept = Counter("a" if x["decision"] == {k: x["a"][k] for k in ("topics", "claims")} else
                       "b" if x["decision"] == {k: x["b"][k] for k in ("topics", "claims")} else "other" for x in rows)
        parts.append(f"Adjudication: the two labels differed on {len(rows)} of the {r['items']['both']} items (in topics, or in any "
                     f"claim's fields or span); an adjudicator read each again under the current guideline and decided: a's label "
                     f"kept {kept['a']} times, b's {kept['b']} times, a combination or correction {kept['other']} times. Each decision "
                     f"and its reason is in `{AGREEMENT}/adjudication.jsonl`.")
    review = folder / "review_2.1.jsonl"
    if os.path.lexists(review):
        changed = len(_jsonl(review, root))
        parts.append(f"The items on which both labels agreed were re-read by a reviewer under guideline 2.1 (its decisions on questions "
                     f"2.0 left open): {changed} of them changed, each with its reason in `{AGREEMENT}/review_2.1.jsonl`.")
    second = folder / "pass2.jsonl"
    if os.path.lexists(second):
        parts.append(_second_pass(root, _jsonl(second, root)))
    audit = folder / "audit.jsonl"
    if os.path.lexists(audit):
        parts.append(_audit(_jsonl(audit, root), "Audit of the single annotations", f"`{AGREEMENT}/audit_sample.txt`, two drawn at "
                            "random from each annotator's items with claims", f"{AGREEMENT}/audit.jsonl"))
    audit = folder / "audit_pass2.jsonl"
    if os.path.lexists(audit):
        rows = _jsonl(audit, root)
        per = Counter(x["annotator"] for x in rows)
        parts.append(_audit(rows, "Audit of the second claims pass", f"`{AGREEMENT}/audit_pass2_sample.txt`, drawn by `scripts/sample_audit.py`: "
                            f"{'/'.join(str(n) for n in sorted(set(per.values())))} at random from each of the {len(per)} annotators' items "
                            "with claims", f"{AGREEMENT}/audit_pass2.jsonl"))
    return "\n\n".join(parts)


def _audit(rows: list[dict], title: str, sample: str, findings: str) -> str:
    """A paragraph on an audit: an auditor's verdict on each claim of a sample of labels (correct, minor, wrong, missing)."""
    claims = Counter()
    for x in rows:
        claims.update(x["claims"])
    labelled = claims["correct"] + claims["minor"] + claims["wrong"]
    return (f"{title}: {len(rows)} labels ({sample}) were checked against the guideline by an auditor: topics right on "
            f"{sum(x['topics'] == 'correct' for x in rows)} of {len(rows)} items; of {labelled} claims, {claims['correct']} correct, "
            f"{claims['minor']} with a minor problem (a span or value trimmed differently, a missing note), {claims['wrong']} wrong; "
            f"{claims['missing']} claims the guideline requires were missing. The audited labels were corrected; the per-item "
            f"findings are in `{findings}`.")


def _second_pass(root: Path, second: list[dict]) -> str:
    """The second claims pass over train, and how its blind second reading of the topics agrees with the first."""
    from .bench.agreement import agreement
    from .labels import topic_ids

    ids = {x["item_id"] for x in second}
    first = [x for path in sorted((Path(root) / "labels").glob("*.jsonl")) for x in _jsonl(path, root) if x["item_id"] in ids]
    t = agreement([{**x, "claims_labeled": False} for x in first], [{**x, "claims_labeled": False} for x in second], topic_ids(), seed=0)["topics"]
    annotators = sorted({x["annotator"] for x in second})
    low, high = t["ci"]["pooled_kappa"]
    return (f"Second claims pass: the claims of the {len(ids)} train items the first pass had labelled with topics only were "
            f"labelled under the same guideline by {len(annotators)} annotators ({md(', '.join(annotators))}; "
            "`scripts/plan_labels.py --second-pass`, `scripts/merge_labels.py --add-claims`). "
            "Each annotator also labelled the items' topics without seeing the first pass's: against the published topics "
            f"(the first pass's, kept), pooled Cohen's kappa {t['pooled_kappa']:.3f} [{low:.3f}, {high:.3f}], the same main topic on "
            f"{t['main_topic']:.1%} of the items (`{AGREEMENT}/pass2.jsonl`, the second pass's labels as written).")


def _jsonl(path: Path, root: Path) -> list[dict]:
    """The records of a JSON-lines file under labels/: a link, a FIFO or a line that is not JSON is an error naming it."""
    name = path.relative_to(root).as_posix()
    out = []
    for n, line in enumerate(read_text(path, name, root=Path(root)).splitlines(), start=1):
        if line.strip():
            out.append(json_line(line, name, n))
    return out


def _type(feature) -> str:
    from datasets import ClassLabel, List, Value

    if isinstance(feature, Value):
        return feature.dtype
    if isinstance(feature, ClassLabel):
        return "class label"
    if isinstance(feature, List):
        return f"list of {_type(feature.feature)}"
    if isinstance(feature, dict):
        return "struct"
    return type(feature).__name__


def results_table(root: Path) -> str:
    """Headline figures with 95% CIs of every committed baseline result (results/<task>/<baseline>.json), every protocol.

    >>> results_table(Path("/nonexistent"))
    '(no baseline results yet: run `python scripts/run_baselines.py`)'
    """
    from .bench.protocols import DESCRIPTIONS, PROTOCOLS  # no heavy import: the protocols' descriptions only

    paths = sorted((Path(root) / RESULTS).glob("*/*.json"))
    if not paths:
        return "(no baseline results yet: run `python scripts/run_baselines.py`)"
    results = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    order = {p: k for k, p in enumerate(PROTOCOLS)}
    out = ["Headline figures with 95% bootstrap confidence intervals over items (seed 0); items are train / validation / "
           "test (a cross-validation fold's average for train and validation, every item for test). Protocols:", ""]
    out += [f"- `{p}`: {DESCRIPTIONS[p]}" for p in PROTOCOLS]
    for task in ("topics", "claims"):
        rows = []
        for r in sorted((r for r in results if r["task"] == task), key=lambda r: r["baseline"]):
            for protocol, v in sorted(r["protocols"].items(), key=lambda kv: order.get(kv[0], len(order))):
                if "headline" not in v:
                    rows.append([r["baseline"], protocol, "", f"not run: {v.get('skipped', 'no result')}"])
                    continue
                cells = [f"{v['headline'][k]:.3f} [{v['ci'][k][0]:.3f}, {v['ci'][k][1]:.3f}]" for k in v["headline"]]
                sizes = f"{v.get('n_train', '?')} / {v.get('n_validation', '?')} / {v['n_items']}"
                rows.append([r["baseline"], protocol, sizes, "; ".join(f"{k} {c}" for k, c in zip(v["headline"], cells))])
        if rows:
            out += ["", f"**{task}**", "", _table(["baseline", "protocol", "items", "figures"], rows)]
    if (Path(root) / RESULTS / "breakdown.md").exists():
        out += ["", "Per-topic and per-predicate figures of every baseline on the test split, and the confusion plot of the best "
                "topic baseline: [results/breakdown.md](results/breakdown.md)."]
    return "\n".join(out)


_BLOCK = re.compile(r"(<!-- BEGIN GENERATED: ([\w-]+) -->\n)(.*?)(<!-- END GENERATED: \2 -->)", re.S)
_MARKER = re.compile(r"<!--(\s*(?:BEGIN|END) GENERATED)")


def fill(text: str, blocks: dict[str, str]) -> str:
    """Replace the content of every marker pair whose name is in ``blocks``.

    A marker inside a block's content is defused (escaping at the source is :func:`md`'s job; this is the
    last line): the next build must find the same blocks this one wrote.

    >>> fill("a\\n<!-- BEGIN GENERATED: x -->\\nold\\n<!-- END GENERATED: x -->\\n", {"x": "new"})
    'a\\n<!-- BEGIN GENERATED: x -->\\nnew\\n<!-- END GENERATED: x -->\\n'
    >>> fill("<!-- BEGIN GENERATED: x -->\\n<!-- END GENERATED: x -->", {"x": "`<!-- END GENERATED: x -->`"})
    '<!-- BEGIN GENERATED: x -->\\n`&lt;!-- END GENERATED: x -->`\\n<!-- END GENERATED: x -->'
    """
    def content(name: str) -> str:
        return _MARKER.sub(r"&lt;!--\1", blocks[name].rstrip("\n")) + "\n"

    return _BLOCK.sub(lambda m: m.group(1) + (content(m.group(2)) if m.group(2) in blocks else m.group(3)) + m.group(4), text)


def markers(text: str) -> list[str]:
    """Names of the generated blocks in ``text``."""
    return [m.group(2) for m in _BLOCK.finditer(text)]


def croissant(staging: Path) -> bytes:
    """Croissant 1.1 JSON-LD, built with mlcroissant's own metadata classes (hand-written JSON-LD read wrong).

    Every Parquet file is a FileObject with its sha256; each config is a FileSet of its files, and a record
    set whose fields read their own column (a struct's sub-field its own key, through a ``jsonPath``
    transform, as the Hub's Croissant files do) and, in ``split``, the split named by the file's path,
    referencing the config's ``cr:Split`` record set. A test reads every record of both sets with
    mlcroissant and compares them with the Parquet files.
    """
    import mlcroissant as mlc

    staging = Path(staging)
    parquet = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*.parquet"))
    distribution: list = [mlc.FileObject(id=name, name=name, content_url=name, encoding_formats=["application/x-parquet"],
                                         sha256=_sha256(staging / name)) for name in parquet]
    record_sets: list = []
    for config, feats in (("documents", DOCUMENT_FEATURES), ("items", ITEM_FEATURES)):
        files = [name for name in parquet if Path(name).parent.name == config]
        folder = Path(files[0]).parent.as_posix() if files else f"splits/{config}"
        names = sorted({name.rsplit("/", 1)[1].split("-", 1)[0] for name in files}, key=_split_order)
        file_set, split_set = f"parquet-files-for-config-{config}", f"{config}_splits"
        distribution.append(mlc.FileSet(id=file_set, name=file_set, encoding_formats=["application/x-parquet"],
                                        includes=[f"{folder}/*.parquet"], description=f"The Parquet files of the {config} config, one a split."))
        record_sets.append(mlc.RecordSet(
            id=split_set, name=split_set, description=f"The splits of the {config} config.", data_types=[mlc.DataType.SPLIT],
            key=f"{split_set}/split_name", fields=[mlc.Field(id=f"{split_set}/split_name", name="split_name", data_types=[mlc.DataType.TEXT])],
            data=[{f"{split_set}/split_name": name} for name in names]))
        # mlcroissant applies the transform twice (at the join with the split set, then when reading the field),
        # so the pattern also accepts the bare split name it gets the second time
        split_pattern = rf"^(?:{re.escape(folder)}/)?({'|'.join(names)})(?:-\d{{5}}-of-\d{{5}}\.parquet)?$"
        fields = [mlc.Field(id=f"{config}/split", name="split", description="the split of the record (from its file's name)",
                            data_types=[mlc.DataType.TEXT], references=mlc.Source(field=f"{split_set}/split_name"),
                            source=mlc.Source(file_set=file_set, extract=mlc.Extract(file_property="fullpath"),
                                              transforms=[mlc.Transform(regex=split_pattern)]))]
        fields += [_field(mlc, config, file_set, name, feature) for name, feature in feats.items()]
        record_sets.append(mlc.RecordSet(id=config, name=config, description=f"The {config} config; one record per {config[:-1]}.",
                                         fields=fields))
    metadata = mlc.Metadata(
        name="aicorpus",
        description="Chinese AI-industry news as validated records with hand labels for topic tagging and claim extraction.",
        conforms_to="http://mlcommons.org/croissant/1.1",
        license="https://creativecommons.org/licenses/by-nc/4.0/",
        url="https://huggingface.co/datasets/aicorpus/aicorpus",
        version=__version__,
        date_published=RELEASE_DATE,
        cite_as="aicorpus maintainers (2026). aicorpus: Chinese AI-industry news records and benchmarks.",
        distribution=distribution,
        record_sets=record_sets,
    )
    if metadata.issues.errors:  # a bug in the lines above, never in the data
        raise ValueError(f"croissant.json would be invalid: {metadata.issues.report()}")
    return (json.dumps(metadata.to_json(), ensure_ascii=False, indent=2, default=str) + "\n").encode()


def _split_order(name: str) -> tuple[int, str]:
    order = {s: n for n, s in enumerate(SPLITS)}
    return order.get(name, len(order)), name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _field(mlc, config: str, file_set: str, name: str, feature, path: tuple[str, ...] = ()):
    """The Croissant field of one feature; a struct's sub-fields read their key of the column through ``jsonPath``.

    ``path`` is the chain of struct keys above ``name``: its first element is the Parquet column.
    """
    from datasets import ClassLabel, List

    dtype = {"string": mlc.DataType.TEXT, "int32": mlc.DataType.INT32, "int64": mlc.DataType.INT64,
             "float64": mlc.DataType.FLOAT64, "bool": mlc.DataType.BOOL}
    options: dict = {"id": "/".join((config, *path, name)), "name": name}
    if not path and FIELD_DOCS[config].get(name):
        options["description"] = FIELD_DOCS[config][name]
    inner = feature.feature if isinstance(feature, List) else feature
    if isinstance(feature, List):
        options.update(is_array=True, array_shape="-1")
    if isinstance(inner, dict):  # a struct (or a list of structs): one sub-field per key
        return mlc.Field(**options, sub_fields=[_field(mlc, config, file_set, k, v, (*path, name)) for k, v in inner.items()])
    options["data_types"] = [mlc.DataType.INTEGER if isinstance(inner, ClassLabel) else dtype[inner.dtype]]
    transforms = [mlc.Transform(json_path=key) for key in (*path[1:], name)] if path else []
    return mlc.Field(**options, source=mlc.Source(file_set=file_set, extract=mlc.Extract(column=path[0] if path else name),
                                                  transforms=transforms))


def without_hashes(data: bytes) -> bytes:
    """croissant.json without its sha256 values: what ``check`` compares (hashes follow the Parquet writer's bytes)."""
    return re.sub(rb'"sha256": "[0-9a-f]{64}"', b'"sha256": ""', data)


def plots(s: dict) -> dict[str, bytes]:
    """PNG charts drawn from the figures in ``s`` (deterministic: Agg backend, no metadata).

    Drawing takes two thirds of a small build, so a process that builds several times (the tests,
    a maintainer's session) draws each distinct set of figures once. The memo lives in memory only:
    a file cache could be planted by a pull request.
    """
    figures = {key: s[key] for key in ("topics_per_split", "months")} | {"histogram": s["claims"]["histogram"]}
    return dict(_draw(json.dumps(figures, ensure_ascii=False)))  # key order kept: it is the bars' order


@functools.lru_cache(maxsize=16)
def _draw(figures_json: str) -> tuple[tuple[str, bytes], ...]:
    s = json.loads(figures_json)
    s["claims"] = {"histogram": s.pop("histogram")}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}

    def save(fig, name):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, metadata={"Software": None}, bbox_inches="tight")
        plt.close(fig)
        out[f"{PLOTS}/{name}"] = buf.getvalue()

    topics = list(s["topics_per_split"])
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.27
    for k, split in enumerate(SPLITS):
        ax.bar([i + (k - 1) * width for i in range(len(topics))], [s["topics_per_split"][t][split] for t in topics], width, label=split)
    ax.set_xticks(range(len(topics)), topics, rotation=45, ha="right")
    ax.set_ylabel("items")
    ax.set_title("Topic distribution per split")
    ax.legend()
    save(fig, "topics_per_split.png")

    hist = s["claims"]["histogram"]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar([int(k) for k in hist], list(hist.values()))
    ax.set_xlabel("claims in the item")
    ax.set_ylabel("labeled items")
    ax.set_title("Claims per item")
    save(fig, "claims_per_item.png")

    fig, ax = plt.subplots(figsize=(7, 3.5))
    labels = [f"{f} {m}" for f, m, _ in s["months"]]
    ax.bar(range(len(labels)), [n for _, _, n in s["months"]])
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_ylabel("documents")
    ax.set_title("Documents per source and month")
    save(fig, "documents_per_month.png")
    return tuple(out.items())
