"""Where a conversion worker's time goes, per document, on one core.

    python scripts/bench_convert.py [--documents 1000] [--fuzz 200000]

Makes a synthetic corpus (make_synthetic_corpus.py) in a temporary folder and
converts it in this process, as a build worker does, without the cache.
Prints milliseconds per document for each step: Markdown parsing
(pulldown-cmark), the rest of the converters, line coverage, schema
validation, word counts for the near-duplicate search, and the cache record.
At 1,000 documents/s on two cores the whole build has 2 ms of CPU a document.

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
    markdown._events = timed(spent, "markdown parse", markdown._events)
    build.trace = timed(spent, "line coverage", build.trace)
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
        print(f"Markdown parse alone, per Markdown document: pulldown-cmark {pulldown_ms(md_paths):.2f} ms", end="")
        other = markdown_it_ms(md_paths)
        print(f", markdown-it-py {other:.2f} ms" if other is not None else " (markdown-it-py not installed)")
    if args.fuzz:
        print(f"fuzz: {fuzz(args.fuzz)} panics in {args.fuzz:,} random fragments")


if __name__ == "__main__":
    main()
