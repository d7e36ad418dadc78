"""The AI daily converter on real posts of each layout (raw/ai-daily/), pinned field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicorpus.build import convert_file
from aicorpus.convert import sniff
from aicorpus.sources import read_raw
from conftest import ROOT, SEEDS

DAILY = ROOT / "raw" / "ai-daily"


def convert(name: str):
    c = convert_file(DAILY / name, ROOT)
    assert c.ok, [i.format() for i in c.issues]
    return c


@pytest.mark.parametrize("path", sorted(DAILY.glob("*.md")), ids=lambda p: p.name[:21])
def test_every_post_is_sniffed_and_converted_without_a_lost_line(path):
    assert sniff(read_raw(path, ROOT)) == "aidaily"
    c = convert_file(path, ROOT)
    assert c.ok and c.document["coverage"]["lost"] == 0 and c.items


def test_the_seeds_are_not_taken_for_the_daily():
    assert {k: sniff(read_raw(p, ROOT)) for k, p in SEEDS.items()} == {
        "000": "linuxcn", "001": "wechat", "002": "jekyll", "003": "digest", "004": "plaintext"}


def test_early_layout_numbered_stories_comment_and_navigation():
    c = convert("2026-01-29-ai-news.md")
    doc, items = c.document, c.items
    assert doc["format"] == "aidaily" and doc["source"] == "AI Daily Blog" and doc["published"] == "2026-01-29"
    assert doc["id"].startswith("aidaily-") and doc["title"] == "2026年1月29日 AI 资讯"
    assert [i["title"] for i in items] == ["Tesla 向 xAI 投资 20 亿美元", "Google 探索让网站选择退出 AI 搜索", "Google AI Plus 计划在美国上线",
                                           "Clawdbot 更名风波与加密诈骗", "美国交通部使用 AI 撰写法规"]
    assert all(i["section"] is None for i in items)
    first = items[0]
    assert first["text"].startswith("在最新财报中，Tesla 披露向 Elon Musk 旗下的 xAI 投资了 20 亿美元。")
    assert first["commentary"] == "Musk 的公司之间资金流动引发关注，但也显示了他对 AI 基础设施的重视。xAI 的巨额资金消耗主要用于建设大规模 GPU 集群。"
    assert (first["line_start"], first["line_end"]) == (12, 16)
    drops = {d["line"]: d["reason"] for d in doc["coverage"]["drops"]}
    assert drops[8] == drops[63] == "site navigation link"  # [← 返回首页](../)
    assert "返回首页" not in doc["text"]
    assert "资本继续涌入" in doc["text"] and not any("资本继续涌入" in i["text"] for i in items)  # 今日观察: document text only


def test_what_why_opinion_layout_and_quick_news():
    items = convert("2026-01-27-ai-daily-news.md").items
    first = items[0]
    assert first["title"] == "Google DeepMind 收购 Hume AI 核心团队"  # "1. 🔥 " removed
    assert first["text"].startswith("发生了什么： Google DeepMind 通过授权协议") and "\n为什么重要： Hume AI 专注于" in first["text"]
    assert first["commentary"].startswith("这是 Google 在 AI 语音和情感交互领域的重要布局。")  # **我的看法：** and what follows
    assert first["commentary"].endswith("当 AI 能读懂你的情绪，边界在哪里？")
    quick = [i for i in items if i["section"] == "今日快讯"]
    assert [(i["title"], i["text"]) for i in quick][0] == ("Nvidia 发布新 AI 天气模型", "声称在预测准确度上超越传统物理模型")
    assert len(quick) == 3 and quick[2]["title"] == "AI 玩具风险报告"


def test_trending_entries_with_link_headings_and_short_analysis():
    items = convert("2026-01-30-ai-daily-news.md").items
    trending = [i for i in items if i["section"] == "GitHub Trending 热榜 Top 10"]
    assert len(trending) == 10 and len(items) == 15
    moltbot = trending[0]
    assert moltbot["title"] == "moltbot/moltbot"
    assert moltbot["links"] == [{"text": "moltbot/moltbot", "url": "https://github.com/moltbot/moltbot", "role": "source"}]
    assert moltbot["text"] == "描述： Your own personal AI assistant. Any OS. Any Platform. The lobster way. 🦞"  # a description stays text
    assert moltbot["subtitle"] is None
    assert moltbot["commentary"].startswith("前身是 Clawdbot，这是一个跨平台的个人 AI 助手框架。")  # **简析：** label removed


def test_trending_entries_with_a_plain_quote_comment():
    entry = convert("2026-02-01-ai-daily-news.md").items[5]
    assert entry["section"] == "GitHub Trending 热榜" and entry["title"] == "openclaw/openclaw"
    assert entry["subtitle"] == "⭐ +14,780 today\nLanguage: TypeScript"  # the figures: the entry's data line
    assert entry["text"] == "你自己的个人 AI 助理。任何操作系统，任何平台。龙虾之道。🦞"
    assert entry["commentary"].startswith("这是本月最火爆的项目！")


def test_trending_table_rows_are_items():
    items = convert("2026-02-04-ai-daily-news.md").items
    rows = [i for i in items if i["section"] == "GitHub Trending 热榜"]
    assert len(rows) == 10 and [i["line_start"] for i in rows] == list(range(36, 46))
    assert rows[0]["title"] == "thedotmack/claude-mem"
    assert rows[0]["subtitle"] == "总星数：20,313\n今日新增：+1,730"
    assert rows[0]["text"] == "简介：Claude Code 插件，自动记录编码会话并为后续会话注入相关上下文"
    assert rows[0]["links"] == [{"text": "thedotmack/claude-mem", "url": "https://github.com/thedotmack/claude-mem", "role": "source"}]
    assert not any(i["title"] == "项目亮点分析" for i in items)  # an unnumbered ### is a note on several entries: document text


def test_a_numbered_trending_story_with_a_table():
    items = convert("2026-01-27-ai-news.md").items
    assert [(i["section"], i["title"], i["text"]) for i in items[4:]] == [
        ("GitHub Trending 热点", "supermemoryai/supermemory", "描述：AI 记忆引擎，让 AI 拥有长期记忆"),
        ("GitHub Trending 热点", "Blaizzy/mlx-audio", "描述：苹果芯片专用的语音处理库"),
        ("GitHub Trending 热点", "badlogic/pi-mono", "描述：一站式 AI Agent 工具包"),
    ]


def test_late_layout_key_points_analysis_and_generator_line():
    c = convert("2026-04-10-ai-daily-news.md")
    doc, items = c.document, c.items
    assert doc["authors"] == ["Javis"] and doc["metadata"]["updated"] == "2026-04-10T09:20:00+08:00"
    assert doc["highlights"] == ["Anthropic 与 Google 签署 TPU 大单、OpenAI Pro 新增 Codex 配额、佛罗里达禁止 ChatGPT、AI 儿童安全框架、GitHub Agent 工具爆发"]
    assert doc["metadata"]["series"] == "AI 日报"
    news = items[0]
    assert news["section"] == "AI 新闻精选" and news["text"].endswith(
        "核心要点：\n数个千兆瓦级 TPU 算力，规模空前\n2027 年开始部署，为下一代模型做准备\n年化收入突破 300 亿美元，增长迅猛")
    assert news["commentary"].startswith("这笔交易标志着 AI 基础设施军备竞赛进入新阶段。")
    hermes = items[5]
    assert hermes["title"] == "NousResearch/hermes-agent" and hermes["subtitle"] == "⭐ 44,567\n今日新增： 6,485+\n语言： Python"
    assert hermes["text"] == '一个"与你共同成长"的智能代理框架，专注于构建可持续学习和进化的 AI Agent。'
    assert hermes["commentary"].startswith("6000+ 星的日增量极为罕见")  # "> 🔍 **分析**：" removed
    assert "本日报由 Javis 🤖 自动生成" in doc["text"]  # the closing line stays in the document text
    assert [i["title"] for i in items if "趋势" in (i["title"] or "")] == []  # the 今日观察 essay is no item
