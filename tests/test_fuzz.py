"""Property tests: random and mutated inputs built from the seeds never crash a converter or the validator.

The example counts are bounded so that CI stays fast; failures print the
shrunk input that broke the rule.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicorpus.convert import FORMATS, convert, sniff
from aicorpus.convert.base import to_records
from aicorpus.coverage import trace
from aicorpus.errors import AicorpusError
from aicorpus.sources import Raw
from aicorpus.review import read_records
from aicorpus.validate import schema_issues
from conftest import SEEDS

SEED_LINES = {key: p.read_text(encoding="utf-8").split("\n") for key, p in SEEDS.items()}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKUP = st.sampled_from(["---", "###", "####", "## ", "> ", "- ", "* ", "![](", "[x](", "**探索之问:**", "Ref. ", "原文链接:",
                          "> 要点解析:", "老王点评：", "消息来源：", "https://a.cn/v.mp4", "\r", "\t", "：", "#"])


@st.composite
def mutated(draw):
    """A seed with lines deleted, duplicated, swapped, cut, or spliced with markup."""
    key = draw(st.sampled_from(sorted(SEED_LINES)))
    lines = list(SEED_LINES[key])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert", "cut"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate":
            lines = lines[: i + 1]
        elif op == "insert":
            lines.insert(i, draw(MARKUP) + draw(st.text(max_size=30)))
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return key, "\n".join(lines)


def run_pipeline(text: str, fmt: str | None = None) -> None:
    """Convert like the build does; only AicorpusError (a reported problem) may come out."""
    try:
        raw = Raw.from_bytes("fuzz.md", text.encode("utf-8"))
        fmt = fmt or sniff(raw)
        draft = convert(raw, fmt)
    except AicorpusError as exc:
        assert exc.issue.rule and exc.issue.message
        return
    document, items = to_records(raw, draft)
    cov = trace(raw, draft.drops, document, items, FORMATS[fmt].MARKERS)
    assert cov["in_items"] + cov["in_document"] + cov["dropped"] + cov["lost"] == cov["nonblank_lines"]
    for it in items:
        assert 0 <= it["raw_start"] <= it["raw_end"] <= len(raw.text)
    schema_issues("document", {**document, "coverage": {k: v for k, v in cov.items() if k != "lost_lines"}}, file="fuzz.md")
    for it in items:
        schema_issues("item", it, file="fuzz.md")


@SETTINGS
@given(mutated())
def test_mutated_seeds_never_crash_the_sniffed_converter(case):
    _, text = case
    run_pipeline(text)


@pytest.mark.parametrize("count", ["count: 12", "count:\n> \n  likes: 0", "count:\n- 1\n- 2"])
def test_a_linuxcn_count_that_is_not_a_mapping_carries_no_counts(count):
    # found by the test above: a mutation turned the count mapping into a folded string, and the converter crashed
    text = SEEDS["000"].read_text(encoding="utf-8")
    text = re.sub(r"(?m)^count:\n(  .*\n)+", count + "\n", text, count=1)
    assert count in text
    run_pipeline(text)


@SETTINGS
@given(mutated(), st.sampled_from(sorted(FORMATS)))
def test_every_converter_survives_every_mutated_seed(case, fmt):
    _, text = case
    run_pipeline(text, fmt)


@SETTINGS
@given(st.text(max_size=400), st.sampled_from(sorted(FORMATS)))
def test_random_text_never_crashes(text, fmt):
    if text.strip() and "\x00" not in text:
        run_pipeline(text, fmt)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_are_decoded_or_refused(data):
    try:
        raw = Raw.from_bytes("fuzz.bin", data)
    except AicorpusError as exc:
        assert exc.issue.rule in {"empty-file", "binary-file", "invalid-encoding", "line-too-long"}
    else:
        assert isinstance(raw.text, str)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=30)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["id", "document_id", "text", "position", "links", "metadata", "coverage", "x"]), JSON, max_size=8))
def test_validator_reports_never_raises(record):
    for kind in ("document", "item"):
        for issue in schema_issues(kind, record, file="f.jsonl", line=1):
            assert issue.rule and issue.json_path.startswith("$")


@SETTINGS
@given(st.lists(st.one_of(JSON.map(json.dumps), st.text(max_size=50)), max_size=6))
def test_record_files_never_raise(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fz") / "r.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    documents, items, issues = read_records(path)
    assert all(i.rule for i in issues)
