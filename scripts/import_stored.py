"""Add raw files read from a public code index, with their manifest rows.

The corpus's raw files were read one at a time from stored copies of public
repositories (a code index answering with JSON: repo, path, commit, the text
and the character count it holds). This script takes such answers, saved as
JSON files, writes each text byte-exactly (UTF-8) into raw/ and records its
provenance in raw/MANIFEST.jsonl. A file read in pages is saved as NAME.json,
NAME.p2.json, NAME.p3.json ... and joined here.

    python scripts/import_stored.py --population linuxcn-hardcore-2023 --dest raw/linuxcn \\
        --licence "CC BY-NC (...)" answers/*.json

A saved text whose length differs from the count the source reported is
written as it is and the difference goes into the row's note: never "fixed".
Where a network exists, scripts/fetch_sources.py re-creates raw/ from the
manifest instead.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from aicorpus.manifest import MANIFEST, file_facts  # noqa: E402


def read_answer(path: Path) -> dict:
    """One answer, with the text of its later pages (NAME.p2.json ...) appended in order."""
    pages = sorted(path.parent.glob(path.stem + ".p*.json"), key=lambda p: int(re.search(r"\.p(\d+)\.json$", p.name).group(1)))
    answer = json.loads(path.read_text(encoding="utf-8"))
    for page in pages:
        more = json.loads(page.read_text(encoding="utf-8"))
        if (more["repo"], more["path"]) != (answer["repo"], answer["path"]) or more["offset"] != len(answer["text"]):
            raise SystemExit(f"{page}: not the next page of {path} (offset {more['offset']}, expected {len(answer['text'])})")
        answer["text"] += more["text"]
    return answer


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers", nargs="+", type=Path, help="saved answers (NAME.json; pages NAME.pN.json are found beside them)")
    parser.add_argument("--population", required=True, help="population id in raw/POPULATIONS.json")
    parser.add_argument("--dest", type=Path, required=True, help="folder under raw/ for the files")
    parser.add_argument("--licence", required=True, help="the licence as the source states it")
    parser.add_argument("--url-template", help="the original page's address, with {stem} for the file name without suffix")
    parser.add_argument("--retrieved", default=datetime.date.today().isoformat(), help="day the files were read (default: today)")
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder")
    args = parser.parse_args(argv)

    manifest = args.root / MANIFEST
    rows = {}
    if manifest.exists():
        rows = {r["raw_path"]: r for r in map(json.loads, manifest.read_text(encoding="utf-8").splitlines()) if r}
    (args.root / args.dest).mkdir(parents=True, exist_ok=True)
    for path in args.answers:
        if re.search(r"\.p\d+\.json$", path.name):
            continue
        answer = read_answer(path)
        data = answer["text"].encode("utf-8")
        raw_path = (args.dest / Path(answer["path"]).name).as_posix()
        _write(args.root / raw_path, data)
        facts = file_facts(data)
        note = None
        if facts["chars"] != answer["total_chars"]:
            note = f"the source reported {answer['total_chars']} characters; {facts['chars']} were saved"
        rows[raw_path] = {
            "raw_path": raw_path, "population": args.population, "repository": answer["repo"], "source_path": answer["path"],
            "commit": answer["commit"], "url": args.url_template.format(stem=Path(answer["path"]).stem) if args.url_template else None, "licence": args.licence, "retrieved": args.retrieved,
            "total_chars": answer["total_chars"], **facts, "note": note,
        }
        print(f"{raw_path}: {facts['chars']} characters, sha256 {facts['sha256'][:12]}" + (f" ({note})" if note else ""))
    _write(manifest, "".join(json.dumps(rows[k], ensure_ascii=False) + "\n" for k in sorted(rows)).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
