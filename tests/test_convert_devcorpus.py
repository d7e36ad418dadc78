"""Real posts beyond the seeds (tests/data/dev-corpus, copied from shared/dev-corpus).

Item counts and titles below were read off each file by a person; each post
shows a variation the converters must survive (see the corpus README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aicorpus.build import convert_file

DEV = Path(__file__).resolve().parent / "data" / "dev-corpus"

EXPECTED = {
    "linuxcn/15431.md": ["微软准备将 AI 聊天机器人添加到 Word 和电子邮件中", "艺术家担心 Adobe 追踪其设计过程来训练 AI", "动态三重缓冲有望加入 GNOME 44"],
    "linuxcn/15822.md": ["研究称 AI 的涌现能力来自于评估模式的错误", "苹果公司注册 xrOS 商标", "只需 15 分钟训练，iPhone 将能用你的声音说话"],
    # the closing 回音 section holds one follow-up bullet: a story without a title
    "linuxcn/15842.md": ["OpenAI 呼吁像监管原子能一样监管超级智能", "Windows 11 将原生支持 tar、7-zip、rar、gz 等压缩格式", "微软为 Windows 11 提供 AI “个人助理”", None],
    "linuxcn/16314.md": ["艺术家使用图像投毒工具反击生成式人工智能", "科学家们可以放心使用 Excel 了", "英伟达和 AMD 计划推出基于 Arm 的 PC 芯片"],
    "linuxcn/16569.md": ["ChatGPT 几乎没有提升必应搜索市场份额", "谷歌明确警告 Chrome 隐身模式仍然会被跟踪", "Rust 编写的 Linux 调度程序可提高游戏性能"],
    "linuxcn/16586.md": ["苹果公布第三方应用商店的详细规则", "NASA 的机智号火星直升机任务结束", "谷歌云为 Hugging Face 开发者免费提供 AI 算力"],
    "jekyll/2023-08-18.md": [
        "微软推出开源的 Gorilla LLM，在 API 调用方面超越 GPT-4",
        "OpenAI 推出网络爬虫 GPTBot，可以自动从整个互联网上抓取数据",
        "Google 推出 Project IDX，把全栈多平台应用程序开发的整个流程带到云端",
        "Stability AI 推出StableCode，首个用于编程的生成式AI产品",
        "英伟达开源了可定制虚拟角色的 AI 模型 CALM，可零样本学习人类复杂动作",
        "智源推出开源的中英文语义向量模型 BGE，与LangChain 结合可定制本地知识问答助手",
        "百川智能发布闭源大模型 Baichuan-53B，主要面向B端用户",
        "英伟达推出新一代超级 AI 芯片 GH200 和一系列重磅更新，宣布与 Hugging Face 建立合作伙伴关系",
        "让25个AI代理居住在数字化的「西部世界」沙盒城镇中，2023年最具启发性的 AI Agent 实验性项目 StanfordSmallville 开源了",
        "一份关于开源 LLM 研究历史的调查",
        "4 张图表展示人工智能进展为何不可能放缓",
        "Tatiana Tsiguleva 从 Midjourney Discord 中统计出最受欢迎的68个提示词",
        "『活水创意Flow』",  # a column with no #### stories is one story
    ],
}


@pytest.fixture(scope="module")
def dev():
    return {name: convert_file(DEV / name, DEV) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_titles_and_coverage(dev, name):
    c = dev[name]
    assert c.ok, [i.format() for i in c.issues]
    assert [it["title"] for it in c.items] == EXPECTED[name]
    assert c.document["coverage"]["lost"] == 0


def test_linuxcn_variants(dev):
    assert dev["linuxcn/16314.md"].document["metadata"]["category"] == "硬核观察"  # `categories:` spelling
    assert dev["linuxcn/15431.md"].document["highlights"][0] == "微软准备将 AI 聊天机器人添加到 Word 和电子邮件中"  # ❶ marker
    c = dev["linuxcn/16569.md"]
    assert c.items[0]["captions"] == ["插图：DA/71f2a4aa-3f88-4004-a460-e6740c60635d"]
    assert "Canonical 的 Linux 内核工程师 安德烈·里基（Andrea Righi）" in c.items[2]["text"]  # <ruby> markup
    echo = dev["linuxcn/15842.md"].items[3]
    assert echo["section"] == "回音" and echo["text"].startswith("昨天报道了在中国的桌面搜索市场上")
    assert echo["links"][0]["url"].startswith("https://pandaily.com/")
    # reader comments carry IP addresses: never published
    doc = dev["linuxcn/15842.md"].document
    assert "117.173.227.91" not in str(doc)
    assert any("personal data" in d["reason"] for d in doc["coverage"]["drops"])


def test_jekyll_variants(dev):
    c = dev["jekyll/2023-08-18.md"]
    gorilla, gptbot, idx = c.items[0], c.items[1], c.items[2]
    assert gorilla["links"] == [{"text": "Ref.", "url": "https://gorilla.cs.berkeley.edu/", "role": "source"}]  # lower-case `ref.`
    assert [l["url"] for l in gptbot["links"]] == ["https://platform.openai.com/docs/gptbot", "https://www.infoq.cn/article/IzPVkcZg0jeHGcD4xP7H"]  # run-together URLs
    assert idx["links"][-1]["url"] == "https://developers.googleblog.com/2023/08/introducing-project-idx-experiment-to-improve-full-stack-multiplatform-app-development.html"
    assert len(gorilla["questions"]) == 3
    smallville = c.items[8]
    assert {"text": "项目地址", "url": "https://github.com/a16z-infra/ai-town", "role": "related"} in smallville["links"]
    assert {"text": "演示地址", "url": "https://www.convex.dev/ai-town", "role": "related"} in smallville["links"]
    assert c.document["metadata"]["category"] == "articles"
