"""The Markdown layer keeps the rules the published records were made with (markdown-it's, before pulldown-cmark)."""

from __future__ import annotations

from aicorpus.markdown import blocks, render


def test_link_targets_are_normalised_as_before():
    r = render("[中](https://例子.cn/新闻) [a](/x.html)", base_url="https://linux.cn/")
    assert [lk["url"] for lk in r.links] == ["https://xn--fsqu00a.cn/%E6%96%B0%E9%97%BB", "https://linux.cn/x.html"]
    assert r.text == "中 a"


def test_script_targets_are_not_links_and_stay_as_text():
    r = render("看 [x](javascript:alert(1)) 与 ![p](data:text/html,hi)")
    assert r.links == [] and r.images == []
    assert r.text == "看 [x](javascript:alert(1)) 与 ![p](data:text/html,hi)"


def test_autolinks_show_the_decoded_url_and_emails_get_mailto():
    r = render("<https://a.cn/%E4%B8%AD> <a@b.cn>")
    assert r.text == "https://a.cn/中 a@b.cn"
    assert [(lk["text"], lk["url"]) for lk in r.links] == [("https://a.cn/中", "https://a.cn/%E4%B8%AD"), ("a@b.cn", "mailto:a@b.cn")]


def test_an_image_leaves_the_text_with_its_label_as_alt():
    r = render("图 ![alt *x*](/p.jpg) 后 <ruby>安<rt>An</rt></ruby>")
    assert r.images == [{"src": "/p.jpg", "alt": "alt *x*"}]
    assert r.text == "图 后 安（An）"


def test_block_spans_end_at_their_last_non_blank_line():
    lines = ["* 二 尾", "", " 尾", "- a", "  - b", "", "- c", "", "---"]
    got = [(b.kind, b.start, b.end, b.items) for b in blocks(lines)]
    # the first list's range runs into the indentation of line 3: the span stops at line 1
    assert got == [("list", 1, 1, ((1, 1),)), ("paragraph", 3, 3, ()), ("list", 4, 7, ((4, 5), (7, 7))), ("hr", 9, 9, ())]
