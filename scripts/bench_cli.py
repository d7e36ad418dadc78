"""Time the command line as a user meets it: start-up, validating one document, and (optionally) the test suite.

    python scripts/bench_cli.py [--runs 7] [--suite]

Each command runs ``--runs`` times in a fresh process from the project folder, after
one warm-up run that is not counted (it fills the file cache); the figures are the
median, minimum and maximum of the wall time, and the median CPU time (user +
system) of the process, which other work on the machine disturbs less. ``--suite``
also runs ``python -m pytest`` once. Writes benchmarks/cli.json and the table in
BENCHMARKS.md. Targets (issue #16): ``aicorpus --help`` under 0.3 s and
``aicorpus validate`` of one document under 1 s; the suite within 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "raw/linuxcn/15431.md"  # a linux.cn post, the corpus's most common format; validated against splits/ too
TARGETS = {"help": 0.3, "validate": 1.0, "suite": 60.0}


def aicorpus() -> list[str]:
    """The installed console script beside this interpreter (not a shell shim in front of it), else ``python -m``."""
    script = Path(sys.executable).with_name("aicorpus")
    return [str(script)] if script.exists() else [sys.executable, "-m", "aicorpus.cli"]


def timed(argv: list[str], check: bool = True) -> tuple[float, float, int]:
    """Wall and CPU seconds and exit status of one run of ``argv`` (output discarded; with ``check``, a failure stops the benchmark)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=check).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), status


def measure(argv: list[str], runs: int) -> dict:
    timed(argv)  # warm-up, not counted
    walls, cpus, _ = zip(*(timed(argv) for _ in range(runs)))
    return {"command": " ".join([Path(argv[0]).name, *argv[1:]]), "runs": runs, "median_s": round(statistics.median(walls), 3),
            "min_s": round(min(walls), 3), "max_s": round(max(walls), 3), "cpu_median_s": round(statistics.median(cpus), 3)}


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(results: dict[str, dict]) -> str:
    lines = ["| what | command | median s | min s | max s | CPU median s | target s |", "|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | `{r['command']}` | {r['median_s']} | {r['min_s']} | {r['max_s']} | {r['cpu_median_s']} | "
                     f"< {TARGETS[name]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="counted runs per command (default: 7)")
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite, once")
    parser.add_argument("--no-write", action="store_true", help="print the table only; do not write benchmarks/ or BENCHMARKS.md")
    args = parser.parse_args(argv)

    cli = aicorpus()
    results = {"help": measure([*cli, "--help"], args.runs), "validate": measure([*cli, "validate", DOCUMENT], args.runs)}
    if args.suite:
        wall, cpu, status = timed([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], check=False)
        results["suite"] = {"command": "python -m pytest" + (f" (exit {status}: tests failed)" if status else ""), "runs": 1,
                            "median_s": round(wall, 1), "min_s": round(wall, 1), "max_s": round(wall, 1), "cpu_median_s": round(cpu, 1)}
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(), "commit": commit()}
    block = (f"Machine: {machine['cpus']} CPUs, Python {machine['python']}; code at {machine['commit'][:12]}; "
             f"{args.runs} runs a command after one warm-up.\n\n" + table(results))
    print(block)
    if not args.no_write:
        from aicorpus.card import fill

        (ROOT / "benchmarks").mkdir(exist_ok=True)
        (ROOT / "benchmarks" / "cli.json").write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n", encoding="utf-8")
        md = ROOT / "BENCHMARKS.md"
        md.write_text(fill(md.read_text(encoding="utf-8"), {"cli": block}), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
