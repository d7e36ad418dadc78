"""Number and quantity normalization for claim labels and predictions.

A labelled claim keeps its value as written ("约7000美元") plus a normalized
number, unit and comparator (7000.0, "USD", "approx"). This module finds
such quantities in Chinese AI-industry news and normalizes them, so that
labels and model predictions can be compared with :func:`numbers_close`.

Decisions (all deliberate; tests in ``tests/test_quantities.py`` pin them):

* **Dates are not quantities.** Calendar expressions ("2023年", "3月18日",
  "2021年7月", "2022年底", "20世纪") are skipped entirely: they are never
  returned by :func:`find_quantities` and :func:`normalize_value` maps them to
  ``(None, None, "eq")``. A 4-digit number before 年 is a calendar year;
  a smaller one is a duration ("十年前" -> 10 year, "48 岁" -> 48 year).
  N月 / N日 / N号 are dates; durations are written 个月 / 天.
* **Names are not quantities.** A number glued to Latin letters or joined to
  them by a hyphen ("Grok-1", "GPT-3.5", "Qwen-7B", "H800", "Mate60", "V5",
  "TOP500", "a16z") is part of a name. A number after a Latin word and a
  space ("Llama 2", "Windows 11", "iOS 17.4", "Python 3") is a name too,
  unless a real unit or a 万/亿 multiplier follows. Ordinals, versions and
  generations (第五代, 2.0 版本, 天河1号, 第5层) are skipped.
* **"7B" is a model-size name, not a number.** "Mistral 7B", "7B 和 13B 模型",
  "6B版本" name model variants, so a bare <digits>B/M/T is skipped. It is a
  quantity only when the unit is spelled out ("72B参数" -> 7.2e10
  parameters, "1T tokens") or it follows a currency sign ("$7B" -> 7e9 USD).
  Lower-case "k" is always a thousand ("52k", "8k"); ``parse_number("7B")``
  is ``None`` for the same reason.
* **Bare numbers need evidence.** An Arabic number with no unit, classifier
  (个/家/款...) or multiplier (万/亿/k) is skipped in running text, because
  in this genre it is almost always a version, list marker, id or time of
  day. Thousands separators ("16,000") count as evidence. Chinese numerals
  need a classifier or unit ("三个模型"), except magnitudes with 万/亿
  ("七十亿", "百亿"). A lone 一 is an article ("一个视频", "一种方法") and is
  skipped, except for durations followed by 内/后/前/多 ("一年内", "一周后").
  :func:`normalize_value` is lenient here: a claim value is a single value,
  so "16", "三" and "一年" are accepted there (a bare "2023" still is a year).
* **Counts carry the unit of the noun counted** (labels/GUIDELINES.md 2.4:
  unit is null only when number is null). The noun is looked up in ``_NOUNS``
  just after the classifier ("40 种语言" -> languages, "76万台机器人" ->
  robots; in a compound the last noun: "智能手机品牌" -> brands), right after a
  万/亿 number ("1 亿用户" -> users), or just before the number across a
  linking verb ("用户数量激增至1亿" -> users). Without a known noun the
  classifier decides (``_CLASSIFIER_UNITS``: 家 businesses, 名/位 people, 次
  times ...), else "items" (2.7: "30 项 AI 功能" -> items). A number with a
  multiplier and no noun ("StableLM 为 70 亿") keeps unit None, like 2.9's
  "软银 300 亿". GPUs: "64块H800", "两张显卡" -> "gpus".
* Vague amounts ("数十亿", "数百万", "数以万计", "十几", "几周") and idioms
  built on a bare 万/百/千 ("万人试用", "百家争鸣", "十字路口") are skipped.
* Items of a list or range share a trailing unit: in "70亿、130亿和700亿参数"
  all three get "parameters"; in "30-50亿美元" the 30 also gets 亿 and USD.
  Such a quantity's ``text`` does not contain the shared unit.
  A range gives its lower bound with "gte" and its upper bound with "lte"
  (GUIDELINES 2.10.3), unless a hedge word is written: "3-5天", "一到七天",
  and numeral pairs "两三个" (2 gte, 3 lte; never 23). "从 A 到 B" is a change,
  not a range.
* Computing speed written "每秒62亿亿次" is "ops/s" and "1194PFLOPS" is "FLOPS"
  (1.194e18), as labels/GUIDELINES.md 2.4 has it: the text names no FLOPS.
  "62亿亿次" without 每秒 is a plain count.
* Percentages: "29%", "百分之二十", "三成" (30), "一半" (50), "四分之三" (75)
  and a share "每 8 次中有 1 次" (12.5, one quantity) all give unit "percent";
  a fraction of a unit is that unit ("百万分之一秒" -> 1e-6 seconds).
  "个百分点" is "percentage points". Signs are not read: "下降5%" is 5 percent.
* Comparators follow GUIDELINES 2.4: 多/余/N+ after a number ("20多个",
  "350 多名", "100+") are "gt", also with the multiplier after 多 ("600 多亿美元"
  is 6e10 USD); 以上 "gte", 以下 "lte" (not listed there: read
  like 以内), 最高 "lte" (2.10.3). A hedge word may be separated from its
  number by 了/有/为 or spaces ("超过了 200 万次", "约有 4100 个"). One hard
  line break may split a number from its classifier ("3\\n款").
* Numbers inside URLs and Markdown link targets are ignored.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from dataclasses import dataclass

import cn2an

__all__ = [
    "COMPARATORS",
    "UNITS",
    "Quantity",
    "find_quantities",
    "normalize_value",
    "numbers_close",
    "parse_number",
]

COMPARATORS: tuple[str, ...] = ("eq", "approx", "lt", "lte", "gt", "gte")

# Normalized unit ids: measurement units here; count units (users, languages,
# models ...) are added below from _NOUNS and _CLASSIFIER_UNITS. Money is not converted between
# currencies; sizes are converted to the base unit (PFLOPS -> FLOPS, GB -> bytes, Gbps -> bits per
# second, GHz -> hertz, 千米 -> meters), except a chip's process node, named in nanometers.
UNITS: dict[str, str] = {
    "USD": "US dollars (美元, 美金, $)",
    "CNY": "Chinese yuan (元, 人民币, ¥)",
    "EUR": "euros (欧元, €)",
    "JPY": "Japanese yen (日元)",
    "GBP": "pounds sterling (英镑)",
    "HKD": "Hong Kong dollars (港元, 港币)",
    "percent": "percentage (%, 百分之, 成 = 10%)",
    "percentage points": "percentage points (个百分点)",
    "x": "multiplier / fold (倍, x)",
    "parameters": "model parameters (参数)",
    "tokens": "tokens (token, 词元, 标记)",
    "characters": "characters of text (字, 字符)",
    "bytes": "bytes (字节; KB/MB/GB/TB/PB, decimal)",
    "seconds": "seconds (秒)",
    "minutes": "minutes (分钟)",
    "hours": "hours (小时)",
    "days": "days (天)",
    "weeks": "weeks (周, 星期)",
    "months": "months (个月)",
    "quarters": "quarters of a year (个季度)",
    "years": "years as a duration or age (年, 岁); not calendar years",
    "gpus": "number of GPUs / accelerator cards (块H800, 张显卡)",
    "gpu_hours": "GPU hours (GPU小时, 卡时)",
    "FLOPS": "floating-point operations per second (PFLOPS, TFLOPS)",
    "ops/s": "operations per second written 每秒…次",
    "MT/s": "mega-transfers per second (memory bandwidth)",
    "bits per second": "data rate (bps, Kbps, Mbps, Gbps, Tbps; decimal)",
    "hertz": "frequency (Hz, MHz, GHz, 赫兹, 兆赫)",
    "meters": "length (米, 千米, 公里)",
    "nanometers": "chip process node or feature size (纳米, nm): kept in nanometers, as the node is named",
    "feet": "length (英尺)",
    "square feet": "area (平方英尺)",
    "inches": "length or screen size (英寸)",
    "pounds": "weight (磅); money in pounds sterling is GBP (英镑)",
}


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a text; ``s[start:end] == text``."""

    text: str
    start: int
    end: int
    number: float
    unit: str | None
    comparator: str


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_MULT = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
_EN_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}
_EN_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# Hedge words written before the number, longest first so that 不超过 wins
# over 超过 and 约合 over 约.
_PREFIX_COMP = sorted(
    {
        "不超过": "lte", "不多于": "lte", "不高于": "lte", "最多": "lte", "至多": "lte",
        "最高": "lte",  # GUIDELINES 2.10.3: 最高 (up to) is lte
        "不少于": "gte", "不低于": "gte", "至少": "gte", "最少": "gte",
        "不到": "lt", "不足": "lt", "低于": "lt", "少于": "lt", "小于": "lt",
        "超过": "gt", "多于": "gt", "高于": "gt", "大于": "gt", "超": "gt", "逾": "gt",
        "超越": "gt",
        "约合": "approx", "大约": "approx", "大概": "approx", "约": "approx",
        "将近": "approx", "接近": "approx", "近": "approx", "几乎": "approx",
        "相当于": "approx",
    }.items(),
    key=lambda kv: -len(kv[0]),
)
# Characters that turn a hedge word into another word (最近 = recently,
# 合约 = contract ...), checked just before the hedge word.
_PREFIX_BLOCK = {"近": "最附临靠亲", "约": "合条预签契邀节制公隐相履违缔婚", "超": "高"}
# One of these may stand between a hedge word and its number: 超过了 200 万, 约有 4100 个, 约为 10 万元.
_HEDGE_GLUE = "了有为"

# Hedge words written after the quantity.
# GUIDELINES 2.4 lists 以上 under gte (N 以上 includes N); 以下 is not listed and is
# read the same way, as lte, like 以内.
_POST_COMP = [("左右", "approx"), ("上下", "approx"), ("以上", "gte"), ("之上", "gte"),
              ("以下", "lte"), ("之下", "lte"), ("以内", "lte"), ("之内", "lte")]
# ...unless the word goes on into another word: 32,000 token 上下文 is a context window, not "about".
_POST_COMP_NOT_BEFORE = {"上下": "文"}

_TIME_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years"}
_MORE_AFTER_UNIT = _TIME_UNITS | {"x"}  # 多 may follow these units: 一年多, 3倍多

_UNIT, _COUNT, _DATE, _LABEL, _YEAR = "unit", "count", "date", "label", "years"

# Surface form after the number -> (kind, unit id, factor). Looked up longest
# first; ASCII surfaces are matched case-insensitively and must end at a word
# boundary. kind: unit = a UNITS entry; count = classifier (unit None);
# date/label = the number is a date, ordinal or version, not a quantity.
_SURFACES: dict[str, tuple[str, str | None, float]] = {
    # money
    "美元": (_UNIT, "USD", 1.0), "美金": (_UNIT, "USD", 1.0), "usd": (_UNIT, "USD", 1.0),
    "元": (_UNIT, "CNY", 1.0), "人民币": (_UNIT, "CNY", 1.0), "块钱": (_UNIT, "CNY", 1.0),
    "rmb": (_UNIT, "CNY", 1.0), "cny": (_UNIT, "CNY", 1.0),
    "欧元": (_UNIT, "EUR", 1.0), "eur": (_UNIT, "EUR", 1.0),
    "日元": (_UNIT, "JPY", 1.0), "英镑": (_UNIT, "GBP", 1.0),
    "港元": (_UNIT, "HKD", 1.0), "港币": (_UNIT, "HKD", 1.0),
    # ratios
    "%": (_UNIT, "percent", 1.0), "个百分点": (_UNIT, "percentage points", 1.0), "百分点": (_UNIT, "percentage points", 1.0),
    "成": (_UNIT, "percent", 10.0),
    "倍": (_UNIT, "x", 1.0), "x": (_UNIT, "x", 1.0),
    # model / data sizes
    "参数": (_UNIT, "parameters", 1.0), "parameters": (_UNIT, "parameters", 1.0),
    "params": (_UNIT, "parameters", 1.0),
    "token": (_UNIT, "tokens", 1.0), "tokens": (_UNIT, "tokens", 1.0),
    "词元": (_UNIT, "tokens", 1.0), "标记": (_UNIT, "tokens", 1.0),
    "字": (_UNIT, "characters", 1.0), "个字": (_UNIT, "characters", 1.0),
    "汉字": (_UNIT, "characters", 1.0), "个汉字": (_UNIT, "characters", 1.0),
    "字符": (_UNIT, "characters", 1.0), "个字符": (_UNIT, "characters", 1.0),
    "字节": (_UNIT, "bytes", 1.0), "kb": (_UNIT, "bytes", 1e3), "mb": (_UNIT, "bytes", 1e6),
    "gb": (_UNIT, "bytes", 1e9), "tb": (_UNIT, "bytes", 1e12), "pb": (_UNIT, "bytes", 1e15),
    # compute
    "gpu小时": (_UNIT, "gpu_hours", 1.0), "gpu 小时": (_UNIT, "gpu_hours", 1.0),
    "gpu hours": (_UNIT, "gpu_hours", 1.0), "gpu-hours": (_UNIT, "gpu_hours", 1.0),
    "卡时": (_UNIT, "gpu_hours", 1.0),
    "flops": (_UNIT, "FLOPS", 1.0), "gflops": (_UNIT, "FLOPS", 1e9),
    "tflops": (_UNIT, "FLOPS", 1e12), "pflops": (_UNIT, "FLOPS", 1e15),
    "eflops": (_UNIT, "FLOPS", 1e18), "次/秒": (_UNIT, "ops/s", 1.0),
    "次每秒": (_UNIT, "ops/s", 1.0),
    "mt/s": (_UNIT, "MT/s", 1.0), "gt/s": (_UNIT, "MT/s", 1e3),
    # power (GUIDELINES 2.4: 2 吉瓦算力 is 2000000000 watts)
    "瓦": (_UNIT, "watts", 1.0), "瓦特": (_UNIT, "watts", 1.0), "千瓦": (_UNIT, "watts", 1e3),
    "兆瓦": (_UNIT, "watts", 1e6), "吉瓦": (_UNIT, "watts", 1e9), "gw": (_UNIT, "watts", 1e9),
    # data rate, frequency, length, weight (base units, like bytes and watts; a process node stays in nm)
    "bps": (_UNIT, "bits per second", 1.0), "kbps": (_UNIT, "bits per second", 1e3),
    "mbps": (_UNIT, "bits per second", 1e6), "gbps": (_UNIT, "bits per second", 1e9),
    "tbps": (_UNIT, "bits per second", 1e12),
    "hz": (_UNIT, "hertz", 1.0), "khz": (_UNIT, "hertz", 1e3), "mhz": (_UNIT, "hertz", 1e6),
    "ghz": (_UNIT, "hertz", 1e9), "赫兹": (_UNIT, "hertz", 1.0), "千赫": (_UNIT, "hertz", 1e3),
    "兆赫": (_UNIT, "hertz", 1e6), "吉赫": (_UNIT, "hertz", 1e9),
    "米": (_UNIT, "meters", 1.0), "千米": (_UNIT, "meters", 1e3), "公里": (_UNIT, "meters", 1e3),
    "纳米": (_UNIT, "nanometers", 1.0), "nm": (_UNIT, "nanometers", 1.0),
    "英尺": (_UNIT, "feet", 1.0), "平方英尺": (_UNIT, "square feet", 1.0), "英寸": (_UNIT, "inches", 1.0),
    "磅": (_UNIT, "pounds", 1.0),
    "exaflop": (_UNIT, "FLOPS", 1e18), "exaflops": (_UNIT, "FLOPS", 1e18),
    "petaflops": (_UNIT, "FLOPS", 1e15), "teraflops": (_UNIT, "FLOPS", 1e12),
    # time (durations); bare 月/日 are dates, bare 季度 is "Q3"-style label
    "秒": (_UNIT, "seconds", 1.0), "秒钟": (_UNIT, "seconds", 1.0), "毫秒": (_UNIT, "seconds", 1e-3),
    "微秒": (_UNIT, "seconds", 1e-6),
    "分钟": (_UNIT, "minutes", 1.0),
    "小时": (_UNIT, "hours", 1.0), "个小时": (_UNIT, "hours", 1.0), "个多小时": (_UNIT, "hours", 1.0),
    "钟头": (_UNIT, "hours", 1.0), "个钟头": (_UNIT, "hours", 1.0),
    "天": (_UNIT, "days", 1.0),
    "周": (_UNIT, "weeks", 1.0), "星期": (_UNIT, "weeks", 1.0), "个星期": (_UNIT, "weeks", 1.0),
    "个月": (_UNIT, "months", 1.0), "个多月": (_UNIT, "months", 1.0),
    "个季度": (_UNIT, "quarters", 1.0),
    "年": (_YEAR, "years", 1.0), "周年": (_UNIT, "years", 1.0),
    "岁": (_UNIT, "years", 1.0), "周岁": (_UNIT, "years", 1.0),
    # dates, ordinals, versions: not quantities
    "月": (_DATE, None, 1.0), "日": (_DATE, None, 1.0), "号": (_DATE, None, 1.0),
    "世纪": (_DATE, None, 1.0), "年代": (_DATE, None, 1.0), "年度": (_DATE, None, 1.0),
    "年份": (_DATE, None, 1.0), "年底": (_DATE, None, 1.0), "年初": (_DATE, None, 1.0),
    "年末": (_DATE, None, 1.0), "季度": (_LABEL, None, 1.0), "年级": (_LABEL, None, 1.0),
    "代": (_LABEL, None, 1.0), "版": (_LABEL, None, 1.0), "届": (_LABEL, None, 1.0),
    "期": (_LABEL, None, 1.0), "级": (_LABEL, None, 1.0),
}
# Classifiers: the number counts things; the unit comes from the noun counted.
for _c in "个位名人家款种项张台部篇条件只颗块套所支份轮场次大层类组座枚行页首段例片辆":
    _SURFACES.setdefault(_c, (_COUNT, None, 1.0))
_SURFACES["人次"] = (_COUNT, None, 1.0)
_MAX_SURFACE = max(len(k) for k in _SURFACES)

# Counts carry a unit (GUIDELINES 2.4: unit is null only when number is null): the
# guideline's own unit where one fits (users, languages, models, businesses ...), else a
# short lowercase English plural, as the train labels write it. The counted noun is looked
# for just after the classifier (or after a 万/亿 number: "1 亿用户"); see _count_unit.
_NOUNS: dict[str, str] = {
    "用户": "users", "网民": "users", "活跃用户": "users", "订阅用户": "users", "付费用户": "users",
    "语言": "languages", "编程语言": "languages", "模型": "models", "大模型": "models",
    "员工": "employees", "雇员": "employees", "职员": "employees",
    "开发者": "developers", "开发人员": "developers", "程序员": "developers",
    "客户": "customers", "企业": "businesses", "公司": "businesses", "商家": "businesses",
    "初创公司": "businesses", "厂商": "businesses",
    "设备": "devices", "装置": "devices", "国家": "countries", "国家和地区": "countries",
    "图片": "images", "图像": "images", "照片": "images",
    "下载": "downloads", "下载量": "downloads", "星标": "stars", "机器人": "robots",
    "访问": "visits", "访问量": "visits", "人": "people", "人物": "people",
    "工作岗位": "jobs", "岗位": "jobs", "漏洞": "vulnerabilities", "服务器": "servers",
    "域名": "domains", "帖子": "posts", "量子比特": "qubits", "计算机": "computers",
    "电脑": "computers", "代码": "lines", "代码库": "codebases", "核心": "cores", "核": "cores",
    "论文": "papers", "文章": "articles", "团队": "teams", "工人": "workers", "类别": "categories",
    "专利": "patents", "单词": "words", "数据集": "datasets", "模块": "modules", "汽车": "cars",
    "手机": "phones", "芯片": "chips", "项目": "projects", "功能": "items",  # 2.7: 30 项 AI 功能
    "版本": "variants", "层次": "tiers", "应用": "apps", "应用程序": "apps", "网站": "websites",
    "平台": "platforms", "案例": "cases", "问题": "questions", "工具": "tools",
    "参与者": "participants", "受害者": "victims", "候选人": "candidates", "席位": "seats",
    "集群": "clusters", "机柜": "cabinets", "节点": "nodes", "城市": "cities", "学生": "students",
    "场景": "scenarios", "应用场景": "scenarios", "框架": "frameworks", "领域": "fields", "级别": "levels",
    "文件": "files", "品牌": "brands", "电台": "stations", "监测站": "stations", "页面": "pages", "游戏": "games", "智能体": "agents", "星": "stars",
    # common counted nouns of tech news, named as the guideline names units (2.4: the noun, in English)
    "路由器": "routers", "网络": "networks", "报告": "reports", "摄像头": "cameras", "名字": "names", "名称": "names",
    "超级计算机": "supercomputers", "超算": "supercomputers", "系统": "systems", "设施": "facilities", "车队": "fleets",
    "型号": "models", "拉取请求": "pull requests", "合并请求": "pull requests", "请求": "requests", "提交": "commits",
    "软件包": "packages", "插件": "plugins", "扩展": "extensions",
    "浏览器": "browsers", "视频": "videos", "歌曲": "songs", "图书": "books", "书籍": "books", "订阅者": "subscribers",
    "粉丝": "followers", "关注者": "followers", "投资者": "investors", "研究人员": "researchers", "研究者": "researchers",
    "科学家": "scientists", "工程师": "engineers", "贡献者": "contributors", "维护者": "maintainers", "成员": "members",
    "会员": "members", "受访者": "respondents", "大学": "universities", "高校": "universities", "学校": "schools",
    "医院": "hospitals", "数据中心": "data centers", "处理器": "processors", "卫星": "satellites",
    "门店": "stores", "商店": "stores", "补丁": "patches", "攻击": "attacks", "文档": "documents", "任务": "tasks",
    "晶体管": "transistors", "订单": "orders", "账户": "accounts", "账号": "accounts", "帐户": "accounts",
    "邮件": "emails", "消息": "messages", "评论": "comments", "州": "states", "地区": "regions", "社区": "communities",
    "组织": "organizations", "机构": "institutions", "合作伙伴": "partners", "供应商": "vendors", "职位": "jobs",
}
# One-character nouns count only right after the number or classifier, and not before
# these characters (人工智能, 人类, 核查, 星期 ...).
_NOUN_BLOCK = {"人": "工类民气均造格为生才口士", "核": "查心实准算电", "星": "期球座级系际"}
# A classifier with no known noun after it: 家 counts companies, 名/位 people, 次 times
# (labels: "出现了五次" -> times); any other classifier counts items (2.7: 30 项 -> items).
_CLASSIFIER_UNITS: dict[str, str] = {
    "家": "businesses", "名": "people", "位": "people", "人": "people", "次": "times",
    "人次": "visits", "行": "lines", "页": "pages", "篇": "articles", "台": "devices",
    "张": "images", "首": "songs", "轮": "rounds", "例": "cases", "层": "layers",
    "类": "categories", "辆": "vehicles",
}
_NOUN_WINDOW = 8  # characters after a classifier searched for the noun: 两大主流深度学习框架
_NOUN_STOP = re.compile(r"[，。；：、！？,;:!?\n()（）\[\]「」“”\"《》0-9是在将已被把对都也就于向从让给]")
_MAX_NOUN = max(len(k) for k in _NOUNS)
# What may stand between a noun and the number that counts it: 用户数量激增至1亿, 核心数量增至64个.
_NOUN_LINK = re.compile(
    r"(?:数量|总数|数目|人数|规模|数)?(?:已经|已|仅|将|共|也)?(?:激增|增长|增加|增|提升|上升)?"
    r"(?:至|到|了)?(?:达到|达|为|是|有)?[ \t]*"
)
_COUNT_UNITS = set(_NOUNS.values()) | set(_CLASSIFIER_UNITS.values()) | {"items"}
for _u in sorted(_COUNT_UNITS):
    UNITS.setdefault(_u, "count of " + _u + " (a classifier or the noun counted)")

# Numeral + character pairs that are words, not quantities: 十字路口 (crossroads), 八字.
_CN_IDIOMS = {"十字", "八字"}

# GPUs are counted, but with unit "gpus": "64块H800", "两张显卡", "8 GPU".
# A bare 卡 is a card only when not part of 卡车 / 卡片 / 卡通 ...
_GPU_WORD = re.compile(r"(?:GPUs?|显卡|加速卡|卡(?![车片通顿拉住牌号位路包]))(?![A-Za-z0-9])", re.I)
_GPU_AFTER_CLASSIFIER = re.compile(
    r"[ \t]?(?:GPUs?|显卡|加速卡|卡(?![车片通顿拉住牌号位路包])|[HABV]\d{2,3}[A-Z]{0,3})"
    r"(?![A-Za-z0-9])",
    re.I,
)
_GPU_CLASSIFIERS = "块张片颗台个"
_BIG_MULT = r"[百千]?[万亿]+"  # 万, 亿, 百万, 千亿, 万亿: a multiplier after a number (30 亿) or after its 多 (600 多亿)
_MULT_AFTER_MORE = re.compile(_BIG_MULT)
_EN_WORD_RE = re.compile(r"[ \t]?(thousand|million|billion|trillion)(?![A-Za-z])", re.I)
_DISPLAY_RE = re.compile(r"[ \t]?(?:视频|分辨率|屏|显示|电视|画质|高清|超清)")

# Things that make 元 / 成 / 内 not what they look like (元宇宙, 成本, 内存).
_NOT_AFTER = {"元": "宇素化组论函", "成": "本员为功果立长熟就绩交品型都", "内": "存容部置核地涵在外"}

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CORE_RE = re.compile(
    r"(?P<pct>百分之(?P<pctnum>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千点]+))"
    r"|(?P<frac>(?P<fden>\d+|[" + _CN_DIGITS + r"]+)分之(?P<fnum>\d+(?:\.\d+)?|[" + _CN_DIGITS + r"]+))"
    r"|(?P<ar>(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?)"
    r"(?P<armul>[ \t]?(?:" + _BIG_MULT + r"|[百千](?![瓦克米帕赫])))?"
    r"|(?P<halfof>一半)"
    r"|(?P<cn>[" + _CN_DIGITS + r"]+)"
    r"|(?P<half>半)"
)
# Full-width digits and signs -> ASCII; 1:1 so offsets are preserved.
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．，＄", "0123456789%.,$")
# URLs and markdown link targets: numbers inside are ids, not quantities.
_MASK_RE = re.compile(r"https?://[!-~]+|www\.[!-~]+|\]\([^)\s]*\)")
_CONNECT_LIST = re.compile(r"[ \t]*(?:和|与|及|以及|或|或者|、)[ \t]*")
_CONNECT_RANGE = re.compile(r"[ \t]*(?:至|到|~|～|-|—|–|－)[ \t]*")
# "每 8 次中有 1 次": one share (12.5 percent), not two counts.
_PER_NUM = r"\d+(?:\.\d+)?(?:[ \t]*[万亿])?|[一两二三四五六七八九十百千万亿]+"  # 每 10 万人: the 万 is the number's
_PER_RE = re.compile(
    r"每[ \t]*(?P<den>" + _PER_NUM + r")[ \t]*[个次人名家位台款项张]?(?:[\u4e00-\u9fff]{0,4}?(?:当中|之中|中|里))?"
    r"[ \t]*[,，]?[ \t]*"
    r"(?:就|便|即|只|仅)?(?:会|将)?有[ \t]*(?P<num>" + _PER_NUM + r")[ \t]*[个次人名家位台款项张]?"
)
# 两三个, 一两天, 三四十: two adjacent numerals are a range, never "23".
_CN_ONE_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A lone 一 that opens a range (一到七天).
_RANGE_NEXT = re.compile(r"[ \t]*(?:至|到|~|～|-|—|–|－)[ \t]*[\d一两二三四五六七八九十]")
_NUM_FULL = re.compile(
    r"(?P<ar>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)[ \t]?"
    r"(?P<mul>[百千]?[万亿]*|[kK]|thousand|million|billion|trillion)"
)


@dataclass
class _Cand:
    start: int
    end: int
    base: float          # value before the multiplier
    mult: float          # 万/亿/k multiplier (1.0 if none)
    factor: float        # unit conversion factor (PFLOPS -> 1e15)
    unit: str | None
    comparator: str
    count: bool          # a classifier was read: never inherits a unit
    bare: bool           # no evidence of being a quantity (range start only)
    low: float | None = None  # 两三个: lower bound of a numeral pair, split off in _scan
    split: int = 0            # where the pair's upper numeral starts
    low_comparator: str = "gte"  # the lower bound's: from a hedge word before it, else gte

    @property
    def number(self) -> float:
        return self.base * self.mult * self.factor


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _cn_value(s: str) -> float | None:
    """Value of a Chinese numeral via cn2an, also for 百亿 / 六十二亿亿."""
    if not s or len(s) > 24:
        return None
    if s[0] in "零〇" and not all(c in "〇零一二三四五六七八九" for c in s):
        return None  # 零一万物 is a company, not a number
    try:
        return float(cn2an.cn2an(s, "normal"))
    except Exception:  # cn2an raises ValueError and others on odd input
        pass
    if s[0] in "百千万亿":  # cn2an wants 一百亿, not 百亿
        return _cn_value("一" + s)
    if len(s) > 1 and s[-1] in "万亿":  # cn2an does not know 亿亿 / 万亿 chains
        inner = _cn_value(s[:-1])
        return None if inner is None else inner * _MULT[s[-1]]
    return None


def _mult_value(chars: str) -> float:
    out = 1.0
    for ch in chars:
        out *= _MULT.get(ch, 1.0)
    return out


def _match_surface(s: str, pos: int) -> tuple[str, tuple[str, str | None, float]] | None:
    """Longest unit/classifier surface at ``pos``."""
    for length in range(min(_MAX_SURFACE, len(s) - pos), 0, -1):
        piece = s[pos:pos + length]
        spec = _SURFACES.get(piece.lower())
        if spec is None:
            continue
        nxt = s[pos + length:pos + length + 1]
        if piece[-1].isascii() and piece[-1].isalnum() and (_is_ascii_alnum(nxt) or nxt == "/"):
            continue  # "GB/s", "token2": not this unit
        if piece in _NOT_AFTER and nxt and nxt in _NOT_AFTER[piece]:
            continue
        return piece, spec
    return None


_MAX_GAP = 2  # spaces allowed between number, unit and hedge word ("30 亿", "约 7000 美元")


def _skip_blanks(s: str, pos: int) -> int:
    stop = min(pos + _MAX_GAP, len(s))
    while pos < stop and s[pos] in " \t":
        pos += 1
    return pos


def _skip_gap(s: str, pos: int) -> int:
    """Skip the few characters allowed between a number and its unit."""
    if s.startswith("**", pos):  # "**104112** 字"
        pos += 2
    pos = _skip_blanks(s, pos)
    if s[pos:pos + 1] == "\n" and s[pos + 1:pos + 2] != "\n":
        pos = _skip_blanks(s, pos + 1)  # hard-wrapped line (linux.cn): "3\n款", not a paragraph end
    return pos


def _noun_at(s: str, pos: int) -> tuple[str, str] | None:
    """Longest counted noun starting at ``pos``: (surface, unit)."""
    for length in range(min(_MAX_NOUN, len(s) - pos), 0, -1):
        piece = s[pos:pos + length]
        unit = _NOUNS.get(piece)
        nxt = s[pos + length:pos + length + 1]
        if unit is not None and not (nxt and nxt in _NOUN_BLOCK.get(piece, "")):
            return piece, unit
    return None


def _noun_before(s: str, start: int, floor: int) -> str | None:
    """Unit of a noun just before the number, across a linking verb (用户数量激增至1亿)."""
    for e in range(start, max(floor, start - 8) - 1, -1):
        if not _NOUN_LINK.fullmatch(s, e, start):
            continue
        for length in range(min(_MAX_NOUN, e - floor), 1, -1):  # two characters or more
            unit = _NOUNS.get(s[e - length:e])
            if unit is not None:
                return unit
    return None


def _count_unit(s: str, pos: int) -> str | None:
    """Unit of the noun a classifier counts: the first known noun in the few characters
    after it ("40 种语言", "88 种不同的模型"), up to a clause mark, digit or verb."""
    pos = _skip_gap(s, pos)
    for i in range(pos, min(pos + _NOUN_WINDOW, len(s))):
        if _NOUN_STOP.match(s, i):
            break
        hit = _noun_at(s, i)
        if hit is not None and (i == pos or len(hit[0]) > 1):
            # in a compound the last noun is the head: 智能手机品牌 -> brands
            nxt = _noun_at(s, i + len(hit[0]))
            while nxt is not None and len(nxt[0]) > 1:
                hit, i = nxt, i + len(hit[0])
                nxt = _noun_at(s, i + len(hit[0]))
            return hit[1]
    return None


def _skip_spaces_back(s: str, pos: int, floor: int, limit: int = _MAX_GAP) -> int:
    stop = max(floor, pos - limit)
    while pos > stop and s[pos - 1] in " \t":
        pos -= 1
    return pos


def _prev_nonspace(s: str, pos: int) -> str:
    pos = _skip_spaces_back(s, pos, 0, limit=8)
    return s[pos - 1] if pos > 0 else ""


def _prefix_comparator(s: str, pos: int, floor: int) -> tuple[str, int] | None:
    for word, comp in _PREFIX_COMP:
        start = pos - len(word)
        if start >= floor and s.startswith(word, start):
            blocked = _PREFIX_BLOCK.get(word, "")
            if start > 0 and s[start - 1] in blocked:
                continue
            return comp, start
    return None


# ---------------------------------------------------------------------------
# Core scanner
# ---------------------------------------------------------------------------

def _read(s: str, m: re.Match[str], floor: int, lenient: bool) -> _Cand | None:
    """Turn one numeral match into a candidate, or None if it is not a quantity."""
    cs, ce = m.span()
    prev = s[cs - 1] if cs > 0 else "\n"  # start of text acts like a line start
    ar, cn = m.group("ar"), m.group("cn")
    mult = 1.0
    has_sep = has_big = lone_one = single_mult = letter_space = False

    if _prev_nonspace(s, cs) == "第":
        return None  # ordinal: 第五代, 第 5 层
    percent_word = any(m.group(g) is not None for g in ("pct", "halfof", "frac"))
    low: float | None = None
    if m.group("halfof") is not None:  # 一半的版税 = 50%
        base = 50.0
    elif m.group("frac") is not None:  # 四分之三 = 75% (a share, like 一半 and 三成)
        den, num = _numeral(m.group("fden")), _numeral(m.group("fnum"))
        base = None if not den or num is None else num / den * 100
    elif m.group("pct") is not None:  # 百分之二十
        num = m.group("pctnum")
        base = float(num) if num[0].isdigit() else _cn_value(num)
    elif ar is not None:
        # Names and ids: GPT-4, H800, a16z, X Æ A-12, /album/202304/.
        if prev and (_is_ascii_alnum(prev) or prev in "_.#/\\@=&"):
            return None
        if prev in "-–" and cs >= 2 and s[cs - 2].isascii() and s[cs - 2].isalpha():
            return None
        if prev == ":" and cs >= 2 and s[cs - 2].isdigit():
            return None  # 16:9, 10:45
        if re.match(r"[.:]\d", s[ce:ce + 2]):
            return None  # 117.173.227.91, 22.04.1, 16:9
        letter_space = prev in " \t" and _is_ascii_alnum(_prev_nonspace(s, cs))
        has_sep = "," in ar
        base = float(ar.replace(",", ""))
        mult = _mult_value((m.group("armul") or "").strip())
    elif cn is not None:
        if prev in "数几" and cn[0] in "十百千万亿":
            return None  # 数十亿, 几十: vague
        if s[max(0, cs - 2):cs] == "数以" or cn + s[ce:ce + 1] in _CN_IDIOMS:
            return None  # 数以百万计: vague (2.1); 十字路口: a word
        base = _cn_value(cn)
        lo, hi = _CN_ONE_DIGIT.get(cn[0], 0), _CN_ONE_DIGIT.get(cn[1:2], 0)
        if 0 < lo < hi and all(c in "十百千万亿" for c in cn[2:]):
            base, low = _cn_value(cn[1:]), _cn_value(cn[0] + cn[2:])  # 两三百: 200 to 300
        elif lo and hi:
            return None  # 五三, 二二: not a numeral Chinese writes
        lone_one = cn == "一"
        # 万人, 百家, 万一, 千万(不要): a leading bare 百/千/万/亿 is an idiom
        # unless it is one of the common magnitude words.
        single_mult = cn[0] in "百千万亿" and cn not in ("百亿", "千亿", "百万", "万亿")
        has_big = ("万" in cn or "亿" in cn) and not single_mult
    else:  # 半
        if prev in "上下前后大多":
            return None  # 上半年 is a period, 多半 means "probably"
        base = 0.5
    if base is None:
        return None

    # --- right side: English scale, 多/余, unit or classifier -------------
    j = _skip_spaces_back(s, cs, floor)
    per_second_at = j - 2 if j - 2 >= floor and s.startswith("每秒", j - 2) else -1
    pos = ce
    model_size = False
    if ar is not None and mult == 1.0:
        ch, nxt = s[pos:pos + 1], s[pos + 1:pos + 2]
        word = _EN_WORD_RE.match(s, pos)
        if word:
            mult = _EN_WORDS[word.group(1).lower()]
            pos = word.end()
        elif ch and ch in "kKMBT" and not _is_ascii_alnum(nxt):
            if ch == "k" or (ch == "K" and not _DISPLAY_RE.match(s, pos + 1)):
                mult, pos = 1e3, pos + 1  # 52k, 8k; but 4K 视频 is a resolution
            elif ch in "MBT":
                model_size = True  # 7B: a name unless a unit or $ confirms it
                mult, pos = _EN_SCALE[ch.lower()], pos + 1
    more = False
    after_blank = _skip_blanks(s, pos)  # linux.cn writes "350 多名"
    if s[after_blank:after_blank + 1] in ("多", "余") and not s.startswith("多元", after_blank):
        more, pos = True, after_blank + 1
        big = _MULT_AFTER_MORE.match(s, pos)
        if big and (cn is not None or mult == 1.0):  # 600 多亿美元, 三百多万: the multiplier follows 多
            mult, pos = mult * _mult_value(big.group()), big.end()
            has_big = True
    elif s[pos:pos + 1] == "+":  # 100+ 种语言: gt (GUIDELINES 2.4)
        more, pos = True, pos + 1
    kind: str | None = None
    unit: str | None = None
    factor = 1.0
    surface = ""
    end = pos
    frac_unit = _match_surface(s, _skip_gap(s, pos)) if m.group("frac") is not None else None
    if frac_unit is not None and frac_unit[1][0] == _UNIT:  # 百万分之一秒: a fraction of a unit
        surface, (kind, unit, factor) = frac_unit
        base, end = base / 100, _skip_gap(s, pos) + len(surface)
    elif percent_word:
        kind, unit = _UNIT, "percent"
    else:
        upos = _skip_gap(s, pos)
        hit = _match_surface(s, upos)
        if hit is not None:
            surface, (kind, unit, factor) = hit
            end = upos + len(surface)
            more = more or "多" in surface
            if surface in _GPU_CLASSIFIERS:  # 64块H800, 两张显卡
                g = _GPU_AFTER_CLASSIFIER.match(s, end)
                then = _match_surface(s, _skip_gap(s, end)) if surface == "个" else None
                if g:
                    kind, unit, end = _UNIT, "gpus", g.end()
                elif then is not None and then[1][1] in ("parameters", "tokens", "characters"):
                    kind, unit, factor = then[1]  # 16,000个 token
                    end = _skip_gap(s, end) + len(then[0])
            elif surface == "大" and base >= 100:
                kind, end = None, pos  # "2023大会" is a year, not a count
            elif surface == "成" and base * mult > 10:
                # 成 = 10% only for 1-10成; the factor goes too, or "3万成年人" read 300000
                kind, unit, factor, end = None, None, 1.0, pos
            elif surface == "次" and per_second_at >= 0:
                kind, unit = _UNIT, "ops/s"  # 每秒62亿亿次
            if kind == _COUNT:
                unit = (_count_unit(s, end) or _noun_before(s, cs, floor)
                        or _CLASSIFIER_UNITS.get(surface, "items"))
        else:
            g = _GPU_WORD.match(s, upos)
            if g:
                kind, unit, end = _UNIT, "gpus", g.end()
    if kind is None and ar is not None and _is_ascii_alnum(s[pos:pos + 1]):
        return None  # 3D, 5G, 6B版本: part of a name

    # --- decide -------------------------------------------------------------
    if kind in (_DATE, _LABEL):
        return None
    if kind == _YEAR:
        digitwise = cn is not None and len(cn) == 4 and all(c in "〇零一二三四五六七八九" for c in cn)
        calendar = (ar is not None and mult == 1.0 and "." not in ar and not has_sep
                    and 1000 <= base <= 2999)
        if calendar or digitwise or s[end:end + 1] in ("底", "初", "末"):
            return None  # 2023年, 二〇二三年, 23年底: calendar years
        kind = _UNIT
    has_unit = kind == _UNIT
    is_count = kind == _COUNT
    cur = _currency_prefix(s, cs)
    if cur is not None and (cur[1] < floor or has_unit):
        cur = None
    if model_size and not (has_unit and unit in ("parameters", "tokens")) and cur is None:
        return None
    if m.group("half") is not None and not has_unit:
        return None
    if lone_one and not lenient:
        # 一 is an article; only durations such as 一年内 / 一周以上, 一倍 and the start
        # of a range (一到七天) count.
        after = s[end:end + 2]
        duration = has_unit and unit in _TIME_UNITS and (
            after[:1] in ("内", "后", "前", "多") or any(after == w for w, _ in _POST_COMP))
        fold = has_unit and unit == "x"
        range_start = not has_unit and not is_count and _RANGE_NEXT.match(s, end) is not None
        if not (duration or fold or range_start):
            return None
    if cn == "二" and is_count:
        return None  # counts use 两; 二次开发 / 二次元 mean "secondary"
    if single_mult and not has_unit and not lenient:
        return None  # 万人, 百家争鸣, 千万不要: idioms
    if letter_space and mult == 1.0 and not has_unit and cur is None:
        return None  # Llama 2, Windows 11, Python 3
    bare = False
    if not has_unit and not is_count and cur is None:
        if ar is not None:
            bare = mult == 1.0 and not has_sep
        elif cn is not None:
            bare = not has_big
        if lenient and bare and ar is not None and 1000 <= base <= 2999 and "." not in ar:
            return None  # a bare "2023" as a claim value is a year
        if not bare:
            noun = _noun_at(s, _skip_gap(s, pos))  # 1 亿用户, 650万开发者
            unit = noun[1] if noun is not None else _noun_before(s, cs, floor)
            is_count = unit is not None

    # --- hedge words --------------------------------------------------------
    comparator = "gt" if more else "eq"
    for word, comp in _POST_COMP:
        at = _skip_blanks(s, end)
        if s.startswith(word, at) and s[at + len(word):at + len(word) + 1] != _POST_COMP_NOT_BEFORE.get(word):
            end = at + len(word)  # linux.cn: "90% 以上"
            comparator = comp if comparator == "eq" else comparator
            break
    else:
        nxt = s[end:end + 1]
        if has_unit and unit in _TIME_UNITS and nxt == "内" \
                and (s[end + 1:end + 2] or "\n") not in _NOT_AFTER["内"]:
            end += 1  # 3秒内: within
            comparator = "lte" if comparator == "eq" else comparator
        elif has_unit and unit in _MORE_AFTER_UNIT and nxt == "多" and not more:
            end += 1  # 半年多, 33 倍多: more than
            comparator = "gt"
    start = cs
    if cur is not None:
        unit, start = cur
        has_unit = True
    if unit == "ops/s" and surface == "次":
        start = per_second_at  # the span includes 每秒
    j = _skip_spaces_back(s, start, floor)
    pre = _prefix_comparator(s, j, floor)
    if pre is None and j > floor and s[j - 1] in _HEDGE_GLUE:  # 超过了 200 万次, 约有 4100 个
        pre = _prefix_comparator(s, _skip_spaces_back(s, j - 1, floor), floor)
    if pre is not None:
        comparator, start = pre  # the written hedge word wins over a trailing one
    return _Cand(start, end, base, mult, factor, unit if has_unit or is_count else None,
                 comparator, is_count, bare, low, cs + 1, pre[0] if pre else "gte")


def _numeral(text: str) -> float | None:
    """A share's count: Arabic digits with an optional 万/亿 (每 10 万人), or a Chinese numeral."""
    if not text[0].isdigit():
        return _cn_value(text)
    digits = text.rstrip("万亿 \t")
    return float(digits) * _mult_value(text[len(digits):])


def _currency_prefix(s: str, cs: int) -> tuple[str, int] | None:
    """``$20`` / ``US$ 20`` / ``¥100`` / ``€5``: (unit, start of the sign)."""
    j = _skip_spaces_back(s, cs, 0)
    if j == 0:
        return None
    sign = s[j - 1]
    unit = {"$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR"}.get(sign)
    if unit is None:
        return None
    start = j - 1
    if sign == "$" and s[max(0, start - 2):start] == "US":
        start -= 2
    return unit, start


def _masked(s: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MASK_RE.finditer(s)]


def _scan(text: str, lenient: bool = False) -> list[_Cand]:
    """Candidates left to right; ``lenient`` also keeps bare numbers (one claim value)."""
    s = text.translate(_FULLWIDTH)
    masks = _masked(s)  # sorted, non-overlapping
    mask_starts = [a for a, _ in masks]
    found: list[_Cand] = []
    bare: list[_Cand] = []
    shares = _shares(s, masks)
    last_end = 0
    for m in _CORE_RE.finditer(s):
        cs = m.start()
        i = bisect.bisect_right(mask_starts, cs) - 1
        if cs < last_end or (i >= 0 and cs < masks[i][1]):
            continue
        inside = [c for c in shares if c.start <= cs < c.end]
        if inside:  # a number of a "每 N … 有 M" share
            last_end = inside[0].end
            continue
        cand = _read(s, m, last_end, lenient)
        if cand is None or not math.isfinite(cand.number):
            continue
        if cand.start < last_end or any(cand.start < c.end and c.start < cand.end for c in shares):
            continue  # a prefix must not reach into the previous quantity
        if cand.bare:
            bare.append(cand)
            continue
        if cand.low is not None:  # 两三个: two bounds (GUIDELINES 2.10.3)
            found.append(dataclasses.replace(cand, end=cand.split, base=cand.low, low=None,
                                             comparator=cand.low_comparator))
            cand = dataclasses.replace(cand, start=cand.split, low=None,
                                       comparator=_bound(cand.comparator, "lte"))
        found.append(cand)
        last_end = cand.end
    found.extend(shares)
    _share_units(s, found, bare)
    if lenient:  # bare numbers that did not join a range
        found.extend(b for b in bare if b.bare)
    return sorted(found, key=lambda c: c.start)


def _bound(comparator: str, bound: str) -> str:
    """A range bound's comparator: gte/lte (GUIDELINES 2.10.3), unless a hedge word is written."""
    return bound if comparator == "eq" else comparator


def _shares(s: str, masks: list[tuple[int, int]]) -> list[_Cand]:
    """"每 8 次中有 1 次" as one quantity: 12.5 percent."""
    out = []
    for m in _PER_RE.finditer(s):
        den, num = _numeral(m.group("den")), _numeral(m.group("num"))
        if not den or num is None or num > den or any(a <= m.start() < b for a, b in masks):
            continue
        out.append(_Cand(m.start(), m.end(), num / den * 100, 1.0, 1.0, "percent", "eq",
                         True, False))
    return out


def _share_units(s: str, found: list[_Cand], bare: list[_Cand]) -> None:
    """Give list/range items the unit (and for ranges the 亿) of the last item;
    the two ends of a range get gte / lte (GUIDELINES 2.10.3)."""
    found.sort(key=lambda c: c.start)
    starts = [c.start for c in found]
    # Ranges: a bare "30" in "30-50亿美元" becomes 30亿美元.
    for b in bare:
        i = bisect.bisect_left(starts, b.end)
        if i == len(found) or not _CONNECT_RANGE.fullmatch(s, b.end, found[i].start):
            continue
        nxt = found[i]
        b.mult = nxt.mult if b.mult == 1.0 else b.mult
        b.factor, b.unit, b.count, b.bare = nxt.factor, nxt.unit, nxt.count, False
        found.append(b)
    found.sort(key=lambda c: c.start)
    for cur, nxt in zip(found, found[1:]):
        # 从 30 秒到 1 分钟 is a change between two values, not a range
        if _CONNECT_RANGE.fullmatch(s, cur.end, nxt.start) and _prev_nonspace(s, cur.start) not in ("从", "由"):
            cur.comparator, nxt.comparator = _bound(cur.comparator, "gte"), _bound(nxt.comparator, "lte")
    # Lists: 70亿、130亿和700亿参数. Right to left so the unit travels back.
    for i in range(len(found) - 2, -1, -1):
        cur, nxt = found[i], found[i + 1]
        same_shape = (cur.mult == 1.0) == (nxt.mult == 1.0)  # not "1亿和2%"
        if cur.unit is None and not cur.count and nxt.unit is not None and same_shape and (
            _CONNECT_LIST.fullmatch(s, cur.end, nxt.start)
            or _CONNECT_RANGE.fullmatch(s, cur.end, nxt.start)
        ):
            cur.unit, cur.factor = nxt.unit, nxt.factor


def _to_quantity(text: str, c: _Cand) -> Quantity:
    return Quantity(text[c.start:c.end], c.start, c.end, float(c.number), c.unit, c.comparator)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def parse_number(text: str) -> float | None:
    """Parse a bare number string (no unit, no hedge word) to a float.

    Handles thousands separators, decimals, 万/亿 (also 万亿, 亿亿), k and
    English scale words, and Chinese numerals (via cn2an). Names, dates and
    anything with a unit give None; so does a model size such as "7B".

    >>> parse_number("3140亿"), parse_number("62亿亿"), parse_number("七十亿")
    (314000000000.0, 6.2e+17, 7000000000.0)
    >>> parse_number("16,000"), parse_number("1.5万"), parse_number("52k")
    (16000.0, 15000.0, 52000.0)
    >>> parse_number("Grok-1") is None, parse_number("7B") is None
    (True, True)
    """
    s = text.translate(_FULLWIDTH).strip()
    if not s:
        return None
    m = _NUM_FULL.fullmatch(s)
    if m:
        mul = m.group("mul")
        if mul in ("k", "K"):
            scale = 1e3
        else:
            scale = _EN_WORDS.get(mul.lower(), _mult_value(mul))
        value = float(m.group("ar").replace(",", "")) * scale
        return value if math.isfinite(value) else None
    if all(c in _CN_DIGITS for c in s):
        value = _cn_value(s)
        return value if value is not None and math.isfinite(value) else None
    return None


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, left to right, non-overlapping.

    Dates, model names, versions, ordinals and bare unit-less numbers are
    skipped (see the module docstring for the rules).

    >>> [(q.text, q.number, q.unit, q.comparator)
    ...  for q in find_quantities("第二阶段耗费了2808 GPU小时,约合7000美元。")]
    [('2808 GPU小时', 2808.0, 'gpu_hours', 'eq'), ('约合7000美元', 7000.0, 'USD', 'approx')]
    >>> find_quantities("3月18日,xAI开源了Grok-1和Llama 2")
    []
    >>> [(q.text, q.number, q.unit, q.comparator) for q in find_quantities("350 多名员工, 两三个模型")]
    [('350 多名', 350.0, 'employees', 'gt'), ('两', 2.0, 'models', 'gte'), ('三个', 3.0, 'models', 'lte')]
    """
    return [_to_quantity(text, c) for c in _scan(text)]


def normalize_value(text: str) -> tuple[float | None, str | None, str]:
    """Normalize one claim value as written: ``(number, unit, comparator)``.

    More lenient than :func:`find_quantities` (a value is known to be a
    single value, so "16" or "一年" are accepted), but names and dates still
    give ``(None, None, "eq")``. With several quantities the first is used.

    >>> normalize_value("约1万美元")
    (10000.0, 'USD', 'approx')
    >>> normalize_value("不超过200亿参数")
    (20000000000.0, 'parameters', 'lte')
    >>> normalize_value("Grok-1"), normalize_value("2023年")
    ((None, None, 'eq'), (None, None, 'eq'))
    """
    cands = _scan(text.strip(), lenient=True)
    if not cands:
        return None, None, "eq"
    c = cands[0]
    return float(c.number), c.unit, c.comparator


def numbers_close(a: float, b: float, rel_tol: float = 0.01) -> bool:
    """True if ``a`` and ``b`` agree within a relative tolerance (default 1%).

    Used to match a predicted number against a label, where rounding in the
    text ("约7000美元" vs 6998) should not count as an error.

    >>> numbers_close(6.2e17, 620000000000000000.0), numbers_close(7000, 7100)
    (True, False)
    """
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)
