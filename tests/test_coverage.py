"""Line accounting (``coverage.trace``) on small hand-made inputs.

Each case counts by hand which bucket every non-blank line falls in: ``in_items`` (its runs are
all in the item whose span holds it), ``in_document`` (found elsewhere in the document, its own
fields or another item), ``dropped`` (a converter's drop range holds it) or ``lost``.
``nonblank_lines`` is compared with the hand count of non-blank lines, never with the sum of
the buckets (that sum is how trace computes it).
"""

from __future__ import annotations

from aicorpus.coverage import COUNTS, trace
from aicorpus.sources import Raw


def run(lines: list[str], *, document: dict | None = None, items: list[dict] = (), drops: list = (), markers=()) -> dict:
    raw = Raw.from_bytes("t.txt", "\n".join(lines).encode("utf-8"))
    return trace(raw, list(drops), document or {}, list(items), markers)


def counts(c: dict) -> tuple[int, ...]:
    return tuple(c[k] for k in COUNTS)  # nonblank_lines, in_items, in_document, dropped, lost


def item(first: int, last: int, text: str) -> dict:
    return {"line_start": first, "line_end": last, "text": text}


def test_whitespace_only_lines_are_not_counted():
    # lines 2-4 are spaces, a tab and U+3000 (the full-width space): blank, so not counted anywhere
    c = run(["甲", "   ", "\t", "\u3000", "乙", "丙"], document={"title": "甲乙"})
    # non-blank: 1 (甲, in the title), 5 (乙, in the title), 6 (丙, nowhere)
    assert counts(c) == (3, 0, 2, 0, 1)
    assert c["lost_lines"] == [6]  # 1-based line numbers
    assert c["drops"] == []


def test_item_spans_include_their_last_line():
    lines = ["标题", "甲乙", "丙丁", "乙丙", "戊己", "庚辛"]
    items = [item(2, 3, "甲乙丙丁"), item(5, 5, "戊己")]
    c = run(lines, document={"title": "标题"}, items=items)
    # 1 title -> in_document; 2 and 3 (the last line of the first item) -> in_items;
    # 4 is in the first item's text but outside every span -> in_document (found in the whole document);
    # 5, a one-line item -> in_items; 6 is nowhere -> lost
    assert counts(c) == (6, 3, 2, 0, 1)
    assert c["lost_lines"] == [6]


def test_a_line_shared_by_two_items_belongs_to_the_first():
    # line 2 lies in both spans; it is checked against the first item only ("甲"), where 乙 is
    # missing, so it is not in_items; 乙 is in the second item, so it is still in the document
    c = run(["甲", "乙", "丙"], items=[item(1, 2, "甲"), item(2, 3, "乙 丙")])
    assert counts(c) == (3, 2, 1, 0, 0)
    # the same text with the spans swapped: line 2's first item is now the one that holds 乙
    c = run(["甲", "乙", "丙"], items=[item(2, 3, "乙 丙"), item(1, 2, "甲")])
    assert counts(c) == (3, 3, 0, 0, 0)


def test_run_must_be_in_the_items_own_text():
    # line 2 is in the item's span, but 丙 is only in the document's title: in_document, not in_items
    c = run(["甲", "乙 丙"], document={"title": "甲 丙"}, items=[item(2, 2, "乙")])
    assert counts(c) == (2, 0, 2, 0, 0)


def test_overlapping_drop_ranges_and_the_last_line_of_a_range():
    lines = ["标题", "广告一", "   ", "广告二", "广告三", "页脚"]
    drops = [(2, 4, "ad"), (4, 5, "footer"), (6, 8, "tail")]
    c = run(lines, document={"title": "标题"}, drops=drops)
    # dropped: 2, 4 (in both ranges: the first reason given wins), 5 (last line of "footer"),
    # 6 (the file's last line; the range runs past the end). Line 3 is blank, 7-8 do not exist.
    assert counts(c) == (5, 0, 1, 4, 0)
    assert c["drops"] == [
        {"line": 2, "reason": "ad"},
        {"line": 4, "reason": "ad"},
        {"line": 5, "reason": "footer"},
        {"line": 6, "reason": "tail"},
    ]


def test_a_dropped_line_is_dropped_even_when_found():
    # the drop wins over the look-up: line 1 is in the item, but the converter dropped it
    c = run(["甲", "乙"], items=[item(1, 2, "甲 乙")], drops=[(1, 1, "boilerplate")])
    assert counts(c) == (2, 1, 0, 1, 0)


def test_markers_are_removed_before_the_look_up():
    lines = ["消息来源：新华社", "REF. 论文"]
    doc = {"title": "新华社 论文"}
    # the labels are nowhere in the document's text, so without markers both lines are lost
    assert counts(run(lines, document=doc)) == (2, 0, 0, 0, 2)
    # markers are normalised like the text (NFKC, lower case): "Ref." removes "REF."
    assert counts(run(lines, document=doc, markers=("消息来源", "Ref."))) == (2, 0, 2, 0, 0)


def test_html_tags_are_markup_between_words():
    # <p>, <br/> and </p> are removed and leave a space: runs 你好, 世界 (each in the title); kept as
    # text they would add the runs p and br, found nowhere; removed without a space, 你好世界 is not
    # in "你好 世界"
    c = run(["<p>你好<br/>世界</p>", "a < b", "a < 丢失 > b"], document={"title": "你好 世界 a b"})
    # "a < b" is no tag (no letter after <): runs a and b, found; nor is "< 丢失 >", so 丢失 is looked up: lost
    assert counts(c) == (3, 0, 2, 0, 1)
    assert c["lost_lines"] == [3]


def test_underscores_split_runs():
    # runs are letters and digits only: foo_bar gives foo and bar, both in "foo bar"
    assert counts(run(["foo_bar"], document={"title": "foo bar"})) == (1, 0, 1, 0, 0)
    assert counts(run(["foobar"], document={"title": "foo bar"})) == (1, 0, 0, 0, 1)


def test_full_width_text_and_case_are_normalised():
    # NFKC turns ＧＰＴ－４ into GPT-4, then lower case: runs gpt and 4发布, both in "gpt-4发布会"
    c = run(["ＧＰＴ－４发布", "Gpt-4"], document={"title": "GPT-4发布会"})
    assert counts(c) == (2, 0, 2, 0, 0)
    # and the document side is normalised too: a full-width title matches an ASCII line (gpt4), and
    # still tells 4 from 5
    assert counts(run(["gpt4"], document={"title": "ＧＰＴ４"})) == (1, 0, 1, 0, 0)
    assert counts(run(["gpt5"], document={"title": "ＧＰＴ４"})) == (1, 0, 0, 0, 1)


def test_a_line_without_letters_or_digits_is_accounted_for():
    # "---" and "* * *" have no run: nothing can be missing, so in_items inside a span, else in_document
    c = run(["---", "甲", "* * *"], items=[item(2, 3, "甲")])
    assert counts(c) == (3, 2, 1, 0, 0)


def test_only_string_fields_nested_anywhere_count():
    doc = {"title": "标题", "views": 12345, "meta": {"tags": ["深度", "学习"]}, "links": [{"text": "链接"}]}
    # 12345 is an int, not text -> lost; 深度 and 学习 are strings in a dict in a list -> found;
    # 深度学习 as one run is not: the strings are joined with NUL, never run together
    c = run(["12345", "深度 学习", "深度学习", "链接"], document=doc)
    assert counts(c) == (4, 0, 2, 0, 2)
    assert c["lost_lines"] == [1, 3]


def test_docstring_case():
    raw = Raw.from_bytes("a.txt", "标题\n\n正文一句。\n丢失的行".encode())
    c = trace(raw, [], {"title": "标题", "text": "正文一句。"}, [])
    assert c == {"nonblank_lines": 3, "in_items": 0, "in_document": 2, "dropped": 0, "lost": 1, "drops": [], "lost_lines": [4]}
