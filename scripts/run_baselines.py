"""Run every baseline of both tasks and refresh the results table in README.md.

    python scripts/run_baselines.py

Writes results/<task>/<baseline>.json (figures, 95% bootstrap CIs, n, protocol,
package versions, code commit) and results/<task>/<baseline>.test.jsonl (the
test-split predictions), then rebuilds so that README.md's table shows them.
"""

from pathlib import Path

from aicorpus.bench.runner import run_all
from aicorpus.build import build

if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    for path in run_all(root):
        print(f"wrote {path.relative_to(root)}")
    build(root)
    print("README.md results table refreshed")
