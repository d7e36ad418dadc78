"""Where a conversion worker's time goes, per document, on one core.

    python scripts/bench_convert.py [--documents 1000] [--fuzz 200000]

Makes a synthetic corpus (make_synthetic_corpus.py) in a temporary folder and
converts it in this process, as a build worker does, without the cache.
Prints milliseconds per document for each step: Markdown parsing
(pulldown-cmark), the rest of the converters, line coverage, schema
validation, word counts for the near-duplicate search, and the cache record.
Then the time of the compiled library calls alone (no Python of ours between
them): at 1,000 documents/s on two cores the whole build has 2 ms of CPU a
document, and this is the part of it no rewrite of our Python can remove.

If markdown-it-py is installed (it is not a dependency), its parse time on the
same documents is printed beside pulldown-cmark's. ``--fuzz N`` parses N random
Markdown fragments (seed 0) and reports any panic of the compiled parser.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aicorpus.build as build
import aicorpus.markdown as markdown

ROOT = Path(__file__).resolve().parents[1]


def timed(counter: Counter, key: str, fn):
    """``fn`` wrapped so that its time adds to ``counter[key]``."""

    def wrapper(*args, **kwargs):
        clock = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            counter[key] += time.perf_counter() - clock

    return wrapper


def breakdown(paths: list[Path], root: Path) -> dict[str, float]:
    """Milliseconds per document of each step of ``build._convert_for_build``."""
    spent: Counter = Counter()
    events, trace = markdown._events, build.trace
    markdown._events, build.trace = timed(spent, "markdown parse", events), timed(spent, "line coverage", trace)
    try:
        return _breakdown(paths, root, spent)
    finally:  # the later measurements call the library unwrapped
        markdown._events, build.trace = events, trace


def _breakdown(paths: list[Path], root: Path, spent: Counter) -> dict[str, float]:
    version = build.code_version()
    for path in paths[:20]:  # warm up: imports, the jieba dictionary, compiled schemas
        build._convert_for_build((path, root, None, version))
    spent.clear()
    clock = time.perf_counter()
    for path in paths:
        c = build._convert_for_build((path, root, None, version))
        for key, name in (("read", "read"), ("validate", "schema validation"), ("split", "word counts")):
            spent[name] += c.seconds.get(key, 0.0)
        spent["converters (rest)"] += c.seconds.get("convert", 0.0)
        timed(spent, "cache record (JSON)", c.to_json)()
    total = time.perf_counter() - clock
    spent["converters (rest)"] -= spent["markdown parse"] + spent["line coverage"]
    spent["other"] = total - sum(spent.values())
    spent["total"] = total
    return {k: 1000 * v / len(paths) for k, v in spent.items()}


def floor(paths: list[Path], root: Path) -> dict[str, float]:
    """Milliseconds per document spent in compiled library calls alone, on the records the build makes.

    Each is work the build must do for every document: parse the Markdown, segment and hash the items'
    words, validate the records, normalise the lines and fields for the coverage check, encode the record
    for the spool, and score the item's candidate pairs for the near-duplicate search.
    """
    import gc
    import json
    import unicodedata

    import rjieba
    from sklearn.base import clone

    from aicorpus import dedup
    from aicorpus.validate import validator

    converted = [build.convert_file(p, root) for p in paths]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    items = [[dedup.item_text(it) for it in c.items] for c in converted]
    words = [[dedup.words(t) for t in doc] for doc in items]
    hasher = clone(dedup._HASHER).set_params(analyzer=lambda w: w)  # the build's hasher, given words already cut
    documents, item_schema = validator("document"), validator("item")
    strings = [[*t.split("\n"), *(json.dumps(it, ensure_ascii=False) for it in c.items)] for t, c in zip(texts, converted)]

    def clock(fn) -> float:
        gc.disable()  # the records held above would make every collection long: a worker holds one document's
        try:
            start = time.perf_counter()
            fn()
            return 1000 * (time.perf_counter() - start) / len(paths)
        finally:
            gc.enable()

    out = {
        "Markdown parse (pulldown-cmark)": clock(lambda: [markdown._events(t) for p, t in zip(paths, texts) if p.suffix == ".md"]),
        "word segmentation (rjieba)": clock(lambda: [rjieba.cut(t.lower()) for doc in items for t in doc]),
        "word hashing (scikit-learn)": clock(lambda: [hasher.transform(doc) for doc in words]),
        "schema verdicts (jsonschema-rs)": clock(lambda: [(documents.is_valid(c.document), [item_schema.is_valid(it) for it in c.items]) for c in converted]),
        "NFKC of lines and fields": clock(lambda: [unicodedata.normalize("NFKC", x) for doc in strings for x in doc]),
        "record JSON (spool)": clock(lambda: [json.dumps({"document": c.document, "items": c.items}, ensure_ascii=False) for c in converted]),
    }
    matrix = dedup.vectorize(t for doc in items for t in doc)
    blocks = dedup._blocks(dedup.RowChunks(matrix), dedup.BLOCK_TERMS, dedup.POSTING_CAP)
    n = matrix.shape[0]
    pairs = dedup._candidates(blocks, 0, n, dedup.POSTING_CAP).size
    out["pair scoring (scipy)"] = clock(lambda: dedup._score_task((0, n, dedup.THRESHOLD / 2, dedup.POSTING_CAP, n), dedup.RowChunks(matrix), blocks))
    out["total"] = sum(out.values())
    out[f"(candidate pairs an item: {pairs / n:.0f} here, more in a larger corpus)"] = float("nan")
    return out


def markdown_it_ms(paths: list[Path]) -> float | None:
    """markdown-it-py's parse time per Markdown document, or None if it is not installed."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    md = MarkdownIt("commonmark")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    clock = time.perf_counter()
    for text in texts:
        md.parse(text)
    return 1000 * (time.perf_counter() - clock) / len(texts)


def pulldown_ms(paths: list[Path]) -> float:
    texts = [p.read_text(encoding="utf-8") for p in paths]
    clock = time.perf_counter()
    for text in texts:
        markdown._events(text)
    return 1000 * (time.perf_counter() - clock) / len(texts)


def fuzz(n: int) -> int:
    """Parse ``n`` random fragments of Markdown syntax; returns how many made the parser panic."""
    rng = random.Random(0)
    alphabet = list("[]()`*_<>!#-+=|\\\n \t~:\"'&;/.1aZ中\u3000") + ["\n\n", "    ", "```", "<div>", "](", "[x]: ", "<!--", "-->", "&#x", "\r\n", "\ufeff"]
    panics = 0
    for _ in range(n):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))
        try:
            markdown._events(text)
        except markdown.MarkdownParseError as exc:
            panics += 1
            print(f"panic on {text!r}: {exc}")
    return panics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--fuzz", type=int, default=0, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_corpus.py"), str(args.documents), str(root / "raw")],
                       check=True, stdout=subprocess.DEVNULL)
        paths = build.raw_files(root)
        md_paths = [p for p in paths if p.suffix == ".md"]
        print(f"{len(paths):,} synthetic documents ({len(md_paths):,} Markdown), one process, milliseconds per document:")
        for step, ms in breakdown(paths, root).items():
            print(f"  {step:<22} {ms:6.2f}")
        print("Compiled library calls alone, milliseconds per document:")
        for step, ms in floor(paths, root).items():
            print(f"  {step:<32} {ms:6.2f}" if ms == ms else f"  {step}")
        print(f"Markdown parse alone, per Markdown document: pulldown-cmark {pulldown_ms(md_paths):.2f} ms", end="")
        other = markdown_it_ms(md_paths)
        print(f", markdown-it-py {other:.2f} ms" if other is not None else " (markdown-it-py not installed)")
    if args.fuzz:
        print(f"fuzz: {fuzz(args.fuzz)} panics in {args.fuzz:,} random fragments")


if __name__ == "__main__":
    main()
