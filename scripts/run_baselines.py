"""Run every baseline of both tasks under every protocol and refresh the results table in README.md.

    python scripts/run_baselines.py [--root PROJECT] [--num-proc 2] [--no-build]

Writes results/<task>/<baseline>.json (figures, 95% bootstrap CIs, n, what was
tuned, the data and code fingerprints, for each protocol of
aicorpus.bench.protocols), each protocol's predictions
(results/<task>/<baseline>.test.jsonl for the fixed split,
results/<task>/<baseline>.<protocol>.jsonl for the others), the per-topic and
per-predicate breakdown (results/breakdown.md) and the best topic baseline's
confusion plot (results/topics_confusion.png), then rebuilds so that README.md's
table shows them. The files hold nothing about this machine, so a rerun on the
same data and code leaves `git status` clean; the software it ran with is
printed instead (paste it into the commit message).
"""

from __future__ import annotations

import argparse
import platform
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scikit-learn", "scipy", "numpy", "rjieba", "pyarrow", "datasets", "cn2an")


def environment() -> str:
    """The Python and package versions, one line (printed, not stored: they differ from machine to machine)."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return f"Python {platform.python_version()}; " + ", ".join(versions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every baseline of both tasks under every protocol, write "
                                                 "results/<task>/<baseline>.json, the predictions, results/breakdown.md and "
                                                 "results/topics_confusion.png, then rebuild so that README.md's results table shows them.")
    parser.add_argument("--root", type=Path, default=ROOT, help=f"project folder (default: this script's project, {ROOT})")
    parser.add_argument("--num-proc", type=int, default=1,
                        help="(baseline, protocol) jobs run at once, one a process (default: 1; the figures are the same)")
    parser.add_argument("--no-build", action="store_true", help="write the results only; do not rebuild README.md's table")
    args = parser.parse_args(argv)

    from aicorpus.bench.runner import run_all  # here: --help must not wait for scikit-learn

    root = args.root.resolve()
    for path in run_all(root, num_proc=args.num_proc):
        print(f"wrote {path.relative_to(root)}")
    print(f"ran with {environment()}")
    if not args.no_build:
        from aicorpus.build import build

        build(root)
        print("README.md results table refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
