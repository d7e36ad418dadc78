"""Measure the build on synthetic corpora of N = 1,000, 10,000 and 100,000 documents, or on the real corpus.

    python scripts/bench_build.py [--sizes 1000 10000 100000] [--num-proc 2]
    python scripts/bench_build.py --corpus [--runs 3]

``--corpus`` times the build of this repository's own raw/ and labels/ (copied
into a temporary folder, so no cache exists): a cold build with one process and
with two, and a rebuild with nothing changed; each figure is the median of
``--runs`` runs, written to benchmarks/corpus.json and BENCHMARKS.md.

For each N: wall time, documents/s, MB/s of raw input, peak RSS (main process
and conversion workers), the share of time in each stage (read, convert,
validate, split, write: summed over processes), the time of a rebuild with no
changed source (cache), and load_dataset of the items config against
pyarrow.parquet.read_table of the same files. Writes benchmarks/build.json and
the table in BENCHMARKS.md. Corpora are made by make_synthetic_corpus.py in a
temporary folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, sys, time
from pathlib import Path
from aicorpus.build import build
t = time.perf_counter()
r = build(Path(sys.argv[1]), num_proc=int(sys.argv[2]))
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "seconds": r.seconds, "peak_rss_mb": r.peak_rss_mb, "documents": len(r.published), "rejected": len(r.rejected),
                  "items": r.report["items"],
                  "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
LOAD = """
import json, sys, time, tempfile
from pathlib import Path
import pyarrow.parquet as pq
root = Path(sys.argv[1])
files = sorted((root / "splits" / "items").glob("*.parquet"))
t = time.perf_counter(); rows = sum(pq.read_table(f).num_rows for f in files); arrow = time.perf_counter() - t
from datasets import load_dataset
with tempfile.TemporaryDirectory() as cache:
    t = time.perf_counter(); ds = load_dataset(str(root), "items", cache_dir=cache); hf = time.perf_counter() - t
print(json.dumps({"rows": rows, "pyarrow_s": arrow, "load_dataset_s": hf}))
"""


def run(code: str, *args: str) -> dict:
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(n: int, num_proc: int, work: Path) -> dict:
    root = work / f"n{n}"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_corpus.py"), str(n), str(root / "raw")], check=True)
    # the dataset card's YAML (configs) so that load_dataset finds the items config
    card = (ROOT / "README.md").read_text(encoding="utf-8")
    (root / "README.md").write_text(card[: card.index("\n---", 3) + 5], encoding="utf-8")
    raw_mb = sum(p.stat().st_size for p in (root / "raw").iterdir()) / 1e6
    first = run(CHILD, str(root), str(num_proc))
    again = run(CHILD, str(root), str(num_proc))
    load = run(LOAD, str(root))
    stages = {s: first["seconds"][s] for s in ("read", "convert", "validate", "split", "write")}
    total = sum(stages.values())
    shutil.rmtree(root)
    return {
        "documents": n, "published": first["documents"], "items": first["items"], "raw_mb": round(raw_mb, 1),
        "wall_s": round(first["wall"], 1), "docs_per_s": round(n / first["wall"], 1), "mb_per_s": round(raw_mb / first["wall"], 2),
        "rss_main_mb": round(first["rss_main_mb"]), "rss_workers_mb": round(first["rss_workers_mb"]),
        "rss_main_after_pass_mb": first["peak_rss_mb"],
        "stage_share": {s: round(v / total, 3) for s, v in stages.items()},
        "rebuild_s": round(again["wall"], 1), "rebuild_share": round(again["wall"] / first["wall"], 3),
        "load_dataset_s": round(load["load_dataset_s"], 2), "pyarrow_s": round(load["pyarrow_s"], 3),
        "load_ratio": round(load["load_dataset_s"] / max(load["pyarrow_s"], 1e-6), 1),
    }


def table(results: list[dict]) -> str:
    head = ["N", "items", "raw MB", "wall s", "docs/s", "MB/s", "peak RSS main MB", "peak RSS worker MB",
            "read / convert / validate / split / write", "rebuild s (share)", "load_dataset ÷ read_table"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        s = r["stage_share"]
        lines.append(f"| {r['documents']:,} | {r['items']:,} | {r['raw_mb']} | {r['wall_s']} | {r['docs_per_s']} | {r['mb_per_s']} | "
                     f"{r['rss_main_mb']} | {r['rss_workers_mb']} | "
                     f"{' / '.join(f'{s[k]:.0%}' for k in ('read', 'convert', 'validate', 'split', 'write'))} | "
                     f"{r['rebuild_s']} ({r['rebuild_share']:.1%}) | {r['load_ratio']}× ({r['load_dataset_s']} s vs {r['pyarrow_s']} s) |")
    passes = list(results[0]["rss_main_after_pass_mb"]) if results else []
    lines += ["", "Peak RSS of the main process at the end of each pass, MB (the pass that raises it is where memory goes):", "",
              "| N | " + " | ".join(passes) + " |", "|" + "---|" * (len(passes) + 1)]
    for r in results:
        lines.append(f"| {r['documents']:,} | " + " | ".join(str(r["rss_main_after_pass_mb"][p]) for p in passes) + " |")
    return "\n".join(lines)


def commit() -> str:
    """The code measured: HEAD, marked when the working tree has uncommitted changes to the code."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "src", "scripts"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return head + ("+uncommitted" if dirty else "")


def measure_corpus(runs: int, work: Path) -> dict:
    """Median cold build (1 and 2 processes) and no-change rebuild of the project's own corpus."""
    import statistics

    def fresh(n: int) -> Path:
        root = work / f"corpus{n}"
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir()
        for name in ("raw", "labels", "results"):
            shutil.copytree(ROOT / name, root / name)
        for name in ("README.md", "DATASHEET.md"):
            shutil.copy(ROOT / name, root / name)
        (root / "splits").mkdir()
        shutil.copy(ROOT / "splits" / "split-lock.jsonl", root / "splits")  # the published splits, as a maintainer's rebuild has
        return root

    out = {}
    for num_proc in (1, 2):
        cold, again = [], []
        for n in range(runs):
            root = fresh(n)
            first = run(CHILD, str(root), str(num_proc))
            cold.append(first["wall"])
            again.append(run(CHILD, str(root), str(num_proc))["wall"])
            out["documents"], out["items"] = first["documents"], first["items"]
            out[f"rss_main_mb_{num_proc}"] = round(first["rss_main_mb"])
        out[f"cold_s_{num_proc}"] = [round(x, 1) for x in cold]
        out[f"unchanged_s_{num_proc}"] = [round(x, 2) for x in again]
        out[f"cold_median_s_{num_proc}"] = round(statistics.median(cold), 1)
        out[f"unchanged_median_s_{num_proc}"] = round(statistics.median(again), 2)
    return out


def corpus_table(r: dict, runs: int) -> str:
    lines = [f"The repository's own corpus: {r['documents']:,} documents, {r['items']:,} items; median of {runs} runs each "
             "(every run in a fresh copy of raw/, labels/ and the split lock, so nothing is cached).", "",
             "| processes | cold build s (runs) | rebuild with nothing changed s (runs) | peak RSS main MB |", "|---|---|---|---|"]
    for n in (1, 2):
        lines.append(f"| {n} | {r[f'cold_median_s_{n}']} ({', '.join(map(str, r[f'cold_s_{n}']))}) | "
                     f"{r[f'unchanged_median_s_{n}']} ({', '.join(map(str, r[f'unchanged_s_{n}']))}) | {r[f'rss_main_mb_{n}']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--num-proc", type=int, default=2)
    parser.add_argument("--corpus", action="store_true", help="time the build of this repository's own corpus instead")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure with --corpus (default: 3)")
    args = parser.parse_args()
    if args.corpus:
        from aicorpus.card import fill

        with tempfile.TemporaryDirectory(prefix="aicorpus-bench-") as work:
            r = measure_corpus(args.runs, Path(work))
        machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(), "commit": commit()}
        (ROOT / "benchmarks").mkdir(exist_ok=True)
        (ROOT / "benchmarks" / "corpus.json").write_text(json.dumps({"machine": machine, "result": r}, indent=2) + "\n", encoding="utf-8")
        block = f"Machine: {machine['cpus']} CPUs, Python {machine['python']}; code at {machine['commit'][:12]}.\n\n" + corpus_table(r, args.runs)
        md = ROOT / "BENCHMARKS.md"
        md.write_text(fill(md.read_text(encoding="utf-8"), {"corpus": block}), encoding="utf-8")
        print(block)
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="aicorpus-bench-") as work:
        for n in args.sizes:
            r = measure(n, args.num_proc, Path(work))
            print(json.dumps(r), flush=True)
            results.append(r)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(), "num_proc": args.num_proc,
               "commit": commit()}
    out = ROOT / "benchmarks" / "build.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n", encoding="utf-8")
    md = ROOT / "BENCHMARKS.md"
    text = md.read_text(encoding="utf-8") if md.exists() else "# Benchmarks\n\n<!-- BEGIN GENERATED: build -->\n<!-- END GENERATED: build -->\n"
    from aicorpus.card import fill

    block = (f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, `--num-proc {args.num_proc}`; "
             f"code at {machine['commit'][:12]}.\n\n" + table(results))
    md.write_text(fill(text, {"build": block}), encoding="utf-8")
    print(table(results))


if __name__ == "__main__":
    main()
