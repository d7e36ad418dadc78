"""What a reader of each seed sees, checked against the converter's records.

Every expected value here was read off the raw file by a person: item counts,
titles, dates, links and commentary.
"""

from __future__ import annotations

import pytest


def titles(c):
    return [it["title"] for it in c.items]


def test_all_seeds_convert_cleanly(seeds):
    for key, c in seeds.items():
        assert c.ok, (key, [i.format() for i in c.issues])


def test_000_linuxcn(seeds):
    c = seeds["000"]
    d = c.document
    assert d["id"] == "linuxcn-15754"
    assert d["format"] == "linuxcn"
    assert d["title"] == "硬核观察 #982 马斯克前歌手女友支持用 AI 深度伪造其声音"
    assert d["published"] == "2023-04-25T10:45:52+08:00"
    assert d["url"] == "https://linux.cn/article-15754-1.html"
    assert d["authors"] == ["硬核老王"]
    assert d["tags"] == ["AI", "开源", "稳定扩散"]
    # the excerpt's "?" is a lost emoji, not part of the headline
    assert d["highlights"] == ["马斯克前歌手女友支持用 AI 深度伪造其声音", "亚马逊开始悄悄拥抱开源", "稳定 AI 公司推出开源 ChatGPT 替代品"]
    assert d["metadata"]["views"] == 2031 and d["metadata"]["issue_number"] == 982
    assert d["images"] == [{"src": "/data/attachment/album/202304/25/104454u7nb0lbk9n8zk509.jpg", "alt": ""}]
    assert titles(c) == ["马斯克前歌手女友支持用 AI 深度伪造其声音", "亚马逊开始悄悄拥抱开源", "稳定 AI 公司推出开源 ChatGPT 替代品"]
    sources = [[(l["text"], l["url"]) for l in it["links"] if l["role"] == "source"] for it in c.items]
    assert sources == [
        [("福布斯", "https://www.forbes.com/sites/martineparis/2023/04/24/grimes-tells-fans-to-deepfake-drake-her-welcomes-collaboration-with-ai/?sh=4bb550cb15c0")],
        [("Info World", "https://www.infoworld.com/article/3694090/amazon-s-quiet-open-source-revolution.html")],
        [("Ars Technica", "https://arstechnica.com/information-technology/2023/04/stable-diffusion-for-language-stability-launches-open-source-ai-chatbot/")],
    ]
    assert c.items[0]["commentary"] == "可能以后很多流行的歌曲都是 AI 创作、AI 演唱的了。毕竟，AI 更懂你。"
    assert c.items[2]["commentary"] == "虽然不及商业的 GPT-3，但是开源的努力终将胜过专有的解决方案。"
    assert c.items[2]["text"].startswith("推出“稳定扩散”开源图像合成模型的稳定 AI 公司")
    assert "老王点评" not in c.items[0]["text"] and "消息来源" not in c.items[0]["text"]
    # each story's illustration sits just above its heading
    assert [[i["src"] for i in it["images"]] for it in c.items] == [
        ["/data/attachment/album/202304/25/104504trr3gydmtrpedoub.jpg"],
        ["/data/attachment/album/202304/25/104515lkt994najou8hj5a.jpg"],
        ["/data/attachment/album/202304/25/104530xt00vtv00lzbrz6l.jpg"],
    ]


def test_001_wechat(seeds):
    c = seeds["001"]
    d = c.document
    assert d["title"] == "这一周，全世界都兴奋麻了"
    assert d["published"] == "2023-03-19T12:00:00+08:00"
    assert d["source"] == "WeChat: 极客公园"
    assert d["metadata"]["place"] == "北京" and d["metadata"]["via"] == "Founder Park"
    assert d["authors"] == ["Founder Park"]
    assert d["url"].startswith("https://mp.weixin.qq.com/s?__biz=MTMwNDMwODQ0MQ")
    assert [(it["section"], it["kicker"], it["title"]) for it in c.items] == [
        ("周二", "低成本", "斯坦福大学发布 Alpaca7B"),
        ("周二", "低门槛", "清华发布 ChatGLM-6B"),
        ("周三", "OpenAI", "GPT-4 来了！"),
        ("周三", "高素质", "Anthropic 发布 Claude"),
        ("周三", "Google", "PaLM API 开放以及更多"),
        ("周四", "训练速度", "Pytorch 2.0 正式版发布"),
        ("周四", "图像生成", "Midjourney V5 发布"),
        ("周四", "大规模应用", "Microsoft 365 Copilot"),
        ("周四", "中文大模型", "百度发布文心一言"),
        ("周五", "提示词", "Stable Diffusion Reimagine"),
    ]
    assert c.items[0]["subtitle"] == "成本降到超低，性能匹敌 GPT-3.5"
    assert c.items[4]["subtitle"] == "AI 届汪峰：明明周三是我先来的"  # a subtitle with a colon is not a new story
    assert c.items[7]["text"].endswith("微软：「在做... 不对，做好了。」")  # a quoted line with a colon is body
    assert c.items[2]["links"][0]["text"] == "GPT-4 发布后的 20 个小时"
    # the article's closing is the document's, not the last story's
    assert "这篇文章大部分是使用 AI 工具生成的" not in c.items[-1]["text"]
    assert "这篇文章大部分是使用 AI 工具生成的" in d["text"]
    assert "图片" not in c.items[6]["text"].split("\n")  # the lost-image placeholder is dropped with a reason
    assert {"line": 97, "reason": "image placeholder: the export kept only the word, not the image"} in d["coverage"]["drops"]


def test_002_jekyll(seeds):
    c = seeds["002"]
    d = c.document
    assert d["title"] == "AIGC每周观察[0731-0806]"
    assert d["published"] == "2023-08-11"  # a date without a time stays a date
    assert d["metadata"]["period"] == "0731-0806"
    assert titles(c) == [
        "Meta 开源 AudioCraft，可根据文本生成声音和音乐",
        "阿里开源「通义千问」通用模型Qwen-7B和对话模型Qwen-7B-Chat",
        "OpenAI 7月18日向美国专利商标局 (USPTO) 提交了“GPT-5”的商标申请",
        "ChatGPT更新了prompt推荐、快捷键等一系列新功能",
        "Jupyter 发布开源的 Jupyter AI —支持多个大模型的 Jupyter Notebook 助手",
        "多个 AIGC 应用在苹果应用商店下架",
        "What Is ChatGPT Doing … and Why Does It Work?",
        "The Transformer Blueprint: A Holistic Guide to the Transformer Neural Network Architecture",
        "Open Problems and Fundamental Limitations of Reinforcement Learning from Human Feedback",
        "Agent：OpenAI的下一步，亚马逊云科技站在第5层",
    ]
    assert [it["section"] for it in c.items] == ["热点回顾"] * 6 + ["本周精选"] * 4
    # the repeated Jupyter heading is the body's first line, wrapped into the next
    assert c.items[4]["text"].startswith("Jupyter 发布免费开源的 Jupyter AI，将生成式人工智能引入 Jupyter Notebook，为用户提供")
    assert [len(it["questions"]) for it in c.items] == [3, 3, 3, 2, 3, 3, 3, 3, 3, 3]
    assert c.items[0]["questions"][2] == "AudioCraft 如何为研究者和实践者提供更多的机会来训练和理解这种技术？"
    assert c.items[0]["links"] == [{"text": "Ref.", "url": "https://ai.meta.com/blog/audiocraft-musicgen-audiogen-encodec-generative-ai-audio/", "role": "source"}]
    assert c.items[1]["links"][0]["url"].startswith("https://mp.weixin.qq.com/s?__biz=MzA4NjI4MzM4MQ") and c.items[1]["links"][0]["role"] == "source"
    assert c.items[6]["links"] == [{"text": "全文阅读", "url": "https://writings.stephenwolfram.com/2023/02/what-is-chatgpt-doing-and-why-does-it-work/", "role": "fulltext"}]
    assert c.items[8]["links"][0]["url"] == "https://arxiv.org/pdf/2307.15217.pdf"
    assert "探索之问" not in "".join(it["text"] for it in c.items)
    assert c.items[0]["images"] == [{"src": "/assets/images/588665d9e58947b181f194761eb7cf4e.jpg", "alt": ""}]


def test_003_digest(seeds):
    c = seeds["003"]
    d = c.document
    assert d["title"] is None and d["published"] is None  # the file gives neither: never invented
    assert len(d["highlights"]) == 10 and d["highlights"][0] == "GPT-4.5来了吗？GPT-4.5泄露细节"
    assert {k: d["metadata"][k] for k in ("original_chars", "digest_chars", "reading_minutes", "efficiency_percent")} == {
        "original_chars": 104112, "digest_chars": 7945, "reading_minutes": 20, "efficiency_percent": 1300}
    assert len(c.items) == 30
    sections = [it["section"] for it in c.items]
    assert [sections.count(s) for s in ("产品介绍", "产业资讯", "技术教程", "其他")] == [5, 16, 4, 5]
    assert c.items[0]["title"] == "中程AI初学教程"  # decorative emoji dropped
    assert c.items[17]["title"] == "中国发布最新超级计算机：性能每秒62亿亿次，全球第二"
    assert all(len([l for l in it["links"] if l["role"] == "source"]) == 1 for it in c.items)
    assert c.items[0]["links"][0]["url"] == "https://openaimaster.com/?p=29169"
    assert c.items[0]["text"].startswith("Midjourney AI Alpha是一款领先的AI图像生成工具，由Anthropic开发。")
    assert c.items[0]["text"].count("\n") == 2  # three 要点解析 bullets
    assert "要点解析" not in "".join(it["text"] for it in c.items)


def test_004_plaintext(seeds):
    c = seeds["004"]
    assert c.document["title"] is None and c.document["published"] is None
    assert len(c.items) == 2
    first, second = c.items
    assert first["text"].startswith("特斯拉CEO埃隆·马斯克(Elon Musk)向大模型领域投下一枚重磅炸弹。")
    assert first["text"].endswith("“这是人类历史上最有趣的一年,除了未来的所有年份。”")
    assert (first["line_start"], first["line_end"], second["line_start"], second["line_end"]) == (1, 22, 23, 38)
    assert second["images"] == [{"src": "https://aimodel.it/wp-content/uploads/2022/11/1484233511-1-192.mp4", "alt": "视频来源:B站UP 玩AI的小曾"}]
    assert second["text"].startswith("近年来,随着技术的飞速发展,数字生命成为社会热议的焦点。")


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_items_trace_back_to_raw_bytes(seeds, key):
    from aicorpus.sources import read_raw
    from conftest import SEEDS

    raw = read_raw(SEEDS[key])
    for it in seeds[key].items:
        span = raw.text[it["raw_start"] : it["raw_end"]]
        assert span == "\n".join(raw.lines[it["line_start"] - 1 : it["line_end"]])
        anchor = (it["title"] or it["text"])[:6]
        assert anchor in span, (it["id"], anchor)


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_every_seed_line_is_accounted_for(seeds, key):
    cov = seeds[key].document["coverage"]
    assert cov["lost"] == 0
    assert cov["in_items"] + cov["in_document"] + cov["dropped"] == cov["nonblank_lines"]
    assert all(d["reason"] for d in cov["drops"])
