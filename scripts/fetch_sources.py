"""Re-create raw/ from the source manifest (raw/MANIFEST.jsonl), where a network exists.

Downloads each missing raw file from GitHub's raw file host at the commit the
manifest records, checks its sha256 against the row, and writes it only if it
matches. Files whose rows name no repository (the seed documents) must come
from a clone of this repository.

    python scripts/fetch_sources.py            # restore missing files
    python scripts/fetch_sources.py --force    # download every file again and verify it
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from aicorpus.manifest import RAW_HOST, fetch  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--base-url", default=RAW_HOST, help=f"raw file host (default: {RAW_HOST})")
    parser.add_argument("--force", action="store_true", help="download and verify every file, not only missing ones")
    args = parser.parse_args(argv)
    issues = fetch(args.root, base_url=args.base_url, force=args.force)
    for issue in issues:
        print(issue.format(), file=sys.stderr)
    print(f"{len(issues)} problems")
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
