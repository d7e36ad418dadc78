"""Write N synthetic raw documents, in all five source formats, for measuring the build.

    python scripts/make_synthetic_corpus.py N OUT

The documents recombine and perturb the seed items (seed titles over
sentences drawn from all seed items, numbers changed, every title marked
合成/synthetic): they exist only to
measure speed and memory and are never published. Each is about 10 KB.
Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from aicorpus.build import convert_file

ROOT = Path(__file__).resolve().parents[1]
TARGET_BYTES = 10_000


def seed_items() -> list[dict]:
    return [it for p in sorted((ROOT / "raw").glob("*.txt")) for it in convert_file(p, ROOT).items]


def perturb(text: str, rng: random.Random) -> str:
    """Shuffle sentences, change digits, and swap a third of the Chinese characters for random ones.

    The swaps give every story its own vocabulary: without them, stories drawn
    from the same few hundred seed sentences would all be near-duplicates,
    which no real corpus is.
    """
    sentences = [s for s in re.split(r"(?<=[。！？])", text.replace("\n", "")) if s]
    rng.shuffle(sentences)
    text = re.sub(r"\d", lambda m: str(rng.randint(0, 9)), "".join(sentences))
    return re.sub(r"[\u4e00-\u9fff]", lambda m: chr(rng.randint(0x4E00, 0x9FA5)) if rng.random() < 0.33 else m.group(), text)


def pick(pool: list[dict], sentences: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """(title, text) pairs adding up to about TARGET_BYTES of text.

    A story is a seed title with sentences drawn from all seed items and its
    numbers changed: stories look like news, but few are near-duplicates of
    each other (a real corpus has few).
    """
    out, size = [], 0
    while size < TARGET_BYTES * 0.8:
        it = rng.choice(pool)
        title = f"合成 {rng.randint(1, 10**6)} {(it['title'] or it['text'][:20]).strip()}"
        text = perturb("".join(rng.sample(sentences, rng.randint(3, 8))), rng)
        out.append((title, text))
        size += len((title + text).encode())
    return out


def linuxcn(n: int, stories, rng) -> str:
    head = (f"---\nauthor: 合成\ncategory: 硬核观察\ncount:\n  commentnum: 0\n  viewnum: {rng.randint(100, 5000)}\n"
            f"date: '2024-01-{n % 28 + 1:02d} 10:00:00'\nid: {900_000_000 + n}\npermalink: /article-{900_000_000 + n}-1.html\n"
            f"tags:\n- AI\ntitle: '硬核观察 #{n} 合成文档'\n---\n\n")
    body = "".join(f"![](/data/synthetic/{n}-{k}.jpg)\n\n### {t}\n\n{x}\n\n> \n> **[消息来源：合成](https://example.com/{n}/{k})**\n> \n\n"
                   f"> \n> 老王点评：合成的点评 {k}。\n> \n\n" for k, (t, x) in enumerate(stories))
    return head + body


def wechat(n: int, stories, rng) -> str:
    out = [f"## 合成文章 {n}\n\n[合成文章 {n}](https://mp.weixin.qq.com/s?synthetic={n})\n\n合成号 2024-02-{n % 28 + 1:02d} 12:00 发表于北京\n\n导语。\n"]
    for k, (t, x) in enumerate(stories):
        if k % 3 == 0:
            out.append(f"### 第{k // 3 + 1}节\n")
        out.append(f"合成{k}：{t[:30]}\n\n副标题 {k}\n\n{x}\n")
    return "\n".join(out)


def jekyll(n: int, stories, rng) -> str:
    out = [f"---\nlayout: post\ntitle: \"合成每周观察[{n}]\"\ndate: 2024-03-{n % 28 + 1:02d}\ntags: ['AI']\n---\n\n## 热点回顾\n"]
    for k, (t, x) in enumerate(stories):
        out.append(f"#### {t}\n\n{x}\n\n**探索之问:** 这会带来什么影响{k}？\n\nRef. https://example.com/{n}/{k}\n")
    return "\n".join(out)


def digest(n: int, stories, rng) -> str:
    out = ["## 看点\n", *(f"- {t} 🚀" for t, _ in stories[:5]), "\n## 产品介绍\n"]
    for k, (t, x) in enumerate(stories):
        bullets = "\n\n".join(f"- {s}" for s in re.split(r"(?<=。)", x) if s.strip()) or f"- {x}"
        out.append(f"### {t} 💡\n\n> 要点解析:\n\n{bullets}\n\n原文链接:[https://example.com/{n}/{k}](https://example.com/{n}/{k})\n")
    return "\n".join(out)


def plaintext(n: int, stories, rng) -> str:
    parts = [x for _, x in stories]
    return f"\nhttps://example.com/video/{n}.mp4视频来源:合成\n".join(parts) + "\n"


FORMATS = [(linuxcn, ".md"), (wechat, ".md"), (jekyll, ".md"), (digest, ".md"), (plaintext, ".txt")]


def main(n: int, out: Path) -> None:
    pool = seed_items()
    sentences = [x for it in pool for x in re.split(r"(?<=[。！？])", it["text"].replace("\n", "")) if len(x) > 8]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rng = random.Random(i)
        make, suffix = FORMATS[i % len(FORMATS)]
        (out / f"synthetic-{i:06d}{suffix}").write_text(make(i, pick(pool, sentences, rng), rng), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(int(sys.argv[1]), Path(sys.argv[2]))
