"""Baselines for both tasks, as scikit-learn estimators (``fit(X, y)`` returns self, ``predict(X)``).

``X`` is a list of item records (dicts with ``title`` and ``text``); for topic
tagging ``y`` is a list of topic-id lists, for claim extraction a list of
claim lists. Every baseline learns only from what ``fit`` is given, so a
script that fits on the train split never sees the test split.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from ..dedup import words
from ..quantities import find_quantities
from .metrics import load_aliases


def item_text(item: dict) -> str:
    return f"{item.get('title') or ''}\n{item.get('text') or ''}"


# --------------------------------------------------------------------------- topics


class PriorTopics(BaseEstimator):
    """The floor: every topic whose share of training items exceeds ``threshold``; else the most frequent one.

    >>> PriorTopics().fit([{}] * 3, [["a"], ["a", "b"], ["c"]]).predict([{}])
    [['a']]
    """

    def __init__(self, threshold: float = 0.5):
        self.threshold = threshold

    def fit(self, X, y):
        counts = Counter(t for topics in y for t in topics)
        n = max(len(y), 1)
        self.topics_ = [t for t, c in counts.most_common() if c / n > self.threshold] or [counts.most_common(1)[0][0]]
        return self

    def predict(self, X):
        return [list(self.topics_) for _ in X]


#: Hand-written cue words per topic, taken from the taxonomy's definitions
#: (schema/topics.json), not from the data: the rule baseline learns nothing.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "model_release": ("发布", "推出", "大模型", "新模型", "参数", "GPT-", "模型"),
    "open_source": ("开源", "开放权重", "GitHub", "许可证", "Apache"),
    "product_feature": ("功能", "应用", "产品", "API", "用户", "插件", "助手", "App"),
    "business_finance": ("融资", "估值", "收购", "并购", "营收", "股价", "市值", "投资", "美元", "商业化"),
    "policy_law": ("监管", "法律", "法院", "诉讼", "办法", "政策", "商标", "专利", "起诉", "下架"),
    "safety_ethics": ("安全", "风险", "伦理", "隐私", "对齐", "深度伪造", "滥用"),
    "compute_infra": ("芯片", "算力", "GPU", "处理器", "超级计算机", "服务器", "CPU", "PyTorch", "框架"),
    "research_paper": ("论文", "研究", "研究人员", "期刊", "Nature", "arXiv", "学术"),
    "generative_media": ("图像", "视频", "音乐", "音频", "声音", "绘画", "作画", "生成图片", "Midjourney"),
    "industry_application": ("行业", "制造", "医疗", "药物", "汽车", "机器人", "企业", "落地"),
    "outlook_opinion": ("预测", "展望", "未来", "趋势", "观点", "2024"),
    "explainer_tutorial": ("教程", "入门", "学习路径", "解释", "原理", "综述", "如何"),
    "non_ai_tech": ("Linux", "Windows", "浏览器", "火星", "压缩"),
}


class KeywordTopics(BaseEstimator):
    """Every topic with at least ``min_hits`` distinct cue words in the item; the prior topic when none fires.

    >>> KeywordTopics().fit([{"text": "x"}], [["model_release"]]).predict([{"title": "芯片", "text": "算力与GPU"}])
    [['compute_infra']]
    """

    def __init__(self, min_hits: int = 2, keywords: dict | None = None):
        self.min_hits = min_hits
        self.keywords = keywords

    def fit(self, X, y):
        self.fallback_ = PriorTopics().fit(X, y).topics_[:1]
        return self

    def predict(self, X):
        rules = self.keywords or KEYWORDS
        out = []
        for item in X:
            text = item_text(item)
            hits = {t: sum(1 for k in cues if k.lower() in text.lower()) for t, cues in rules.items()}
            chosen = [t for t, h in sorted(hits.items(), key=lambda kv: -kv[1]) if h >= self.min_hits]
            out.append(chosen or list(self.fallback_))
        return out


class _LinearTopics(BaseEstimator):
    """TF-IDF features + one-vs-rest linear classifier; at least one topic per item (the top score)."""

    def _vectorizer(self) -> TfidfVectorizer:
        raise NotImplementedError

    def _classifier(self):
        raise NotImplementedError

    def fit(self, X, y):
        self.binarizer_ = MultiLabelBinarizer().fit(y)
        Y = self.binarizer_.transform(y)
        self.vectorizer_ = self._vectorizer()
        features = self.vectorizer_.fit_transform([item_text(x) for x in X])
        self.model_ = OneVsRestClassifier(self._classifier()).fit(features, Y)
        return self

    def predict(self, X):
        features = self.vectorizer_.transform([item_text(x) for x in X])
        scores = self.model_.decision_function(features)
        scores = scores.reshape(len(X), -1)
        out = []
        for row in scores:
            chosen = np.flatnonzero(row > 0)
            if chosen.size == 0:
                chosen = [int(np.argmax(row))]
            out.append([self.binarizer_.classes_[k] for k in chosen])
        return out


class CharTfidfLogReg(_LinearTopics):
    """Character 1–3-gram TF-IDF (no segmentation needed for Chinese) + one-vs-rest logistic regression."""

    def __init__(self, C: float = 10.0, random_state: int = 0):
        self.C = C
        self.random_state = random_state

    def _vectorizer(self):
        return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)

    def _classifier(self):
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state)


class WordTfidfSVM(_LinearTopics):
    """jieba word TF-IDF + one-vs-rest linear SVM."""

    def __init__(self, C: float = 1.0, random_state: int = 0):
        self.C = C
        self.random_state = random_state

    def _vectorizer(self):
        return TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True)

    def _classifier(self):
        return LinearSVC(C=self.C, class_weight="balanced", random_state=self.random_state)


# --------------------------------------------------------------------------- claims

_CLAUSE = re.compile(r"[^，,；;：:。！？!?\n]+")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z0-9.\-]*(?:\s[A-Z][A-Za-z0-9.\-]*)*")
_ORG = re.compile(r"[\u4e00-\u9fff]{2,6}(?:公司|大学|科技|智能|集团|研究院|团队|基金会)")

#: Cue words -> predicate class (guideline 2.2), first match wins; order matters.
PREDICATE_CUES: tuple[tuple[str, str], ...] = (
    ("开源", "open_source"), ("收购", "acquire"), ("并购", "acquire"), ("融资", "fund_valuation"), ("估值", "fund_valuation"),
    ("市值", "fund_valuation"), ("诉讼", "legal_action"), ("起诉", "legal_action"), ("商标", "legal_action"),
    ("下架", "ban_remove"), ("暂停", "ban_remove"), ("禁止", "ban_remove"), ("合作", "partner"), ("成立", "organization_change"),
    ("参数", "has_parameter_count"), ("训练", "trains_on"), ("成本", "costs_price"), ("美元", "costs_price"), ("元", "costs_price"),
    ("性能", "performance_benchmark"), ("提升", "performance_benchmark"), ("%", "performance_benchmark"), ("第一", "ranks"),
    ("第二", "ranks"), ("计划", "plans"), ("将", "plans"), ("推出", "release"), ("发布", "release"), ("上线", "release"),
    ("功能", "launch_feature"),
)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text`` (guideline 2.6: split at ，；：。！？ and line breaks).

    >>> clauses("xAI开源了Grok-1，它有3140亿参数。")
    [(0, 12), (13, 22)]
    """
    return [(m.start(), m.end()) for m in _CLAUSE.finditer(text) if m.group().strip()]


class _SlotFiller:
    """Rule-based slots for a clause: subject (nearest known entity or name), predicate (cue words), quantity."""

    def __init__(self):
        aliases = load_aliases()
        names = set(aliases) | set(aliases.values())
        self.names = sorted((n for n in names if n and len(n) >= 2), key=len, reverse=True)

    def subject(self, text: str, start: int, end: int) -> str | None:
        window = text[max(0, start - 60) : end]
        best, pos = None, -1
        for name in self.names:
            k = window.rfind(name)
            if k > pos:
                best, pos = name, k
        for pattern in (_ORG, _LATIN_NAME):
            for m in pattern.finditer(window):
                if m.start() > pos and len(m.group()) >= 2:
                    best, pos = m.group(), m.start()
        return best

    @staticmethod
    def predicate(clause: str, has_number: bool) -> str:
        for cue, predicate in PREDICATE_CUES:
            if cue in clause:
                return predicate
        return "count_amount" if has_number else "release"

    def fill(self, text: str, spans, *, numberless: bool) -> list[dict]:
        """One claim per quantity in each clause span; a clause without one yields a claim only if ``numberless``."""
        claims = []
        for start, end in spans:
            quantities = find_quantities(text[start:end]) or ([None] if numberless else [])
            claims += [self.claim(text, start, end, q) for q in quantities]
        return claims

    def claim(self, text: str, start: int, end: int, quantity=None) -> dict:
        clause = text[start:end]
        q_text = quantity.text if quantity else None
        return {
            "subject": self.subject(text, start, end) or clause[:8],
            "predicate": self.predicate(clause, quantity is not None),
            "value": q_text or clause.strip(),
            "number": quantity.number if quantity else None,
            "unit": quantity.unit if quantity else None,
            "comparator": quantity.comparator if quantity else "eq",
            "span": [start, end],
        }


class RegexClaims(BaseEstimator):
    """One claim per quantity the normalizer finds; the quantity's clause is the evidence.

    Learns nothing: ``fit`` only checks its input.
    """

    def fit(self, X, y=None):
        self.filler_ = _SlotFiller()
        return self

    def predict(self, X):
        return [self.filler_.fill(item["text"], clauses(item["text"]), numberless=False) for item in X]


class SentenceClaims(BaseEstimator):
    """Clause classifier (char TF-IDF + logistic regression) that picks claim clauses, then rule-based slot filling.

    A training clause is positive when a gold claim's evidence overlaps it.
    Each picked clause yields one claim per quantity in it, or one claim
    without a number.
    """

    def __init__(self, C: float = 4.0, threshold: float = 0.5, random_state: int = 0):
        self.C = C
        self.threshold = threshold
        self.random_state = random_state

    def fit(self, X, y):
        texts, targets = [], []
        for item, claims in zip(X, y):
            spans = [(c["start"], c["end"]) for c in claims]
            for start, end in clauses(item["text"]):
                texts.append(item["text"][start:end])
                targets.append(int(any(s < end and start < e for s, e in spans)))
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)
        features = self.vectorizer_.fit_transform(texts)
        self.model_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, random_state=self.random_state)
        self.model_.fit(features, targets)
        self.filler_ = _SlotFiller()
        return self

    def predict(self, X):
        out = []
        for item in X:
            text = item["text"]
            spans = clauses(text)
            if not spans:
                out.append([])
                continue
            proba = self.model_.predict_proba(self.vectorizer_.transform([text[s:e] for s, e in spans]))[:, 1]
            picked = [span for span, p in zip(spans, proba) if p >= self.threshold]
            out.append(self.filler_.fill(text, picked, numberless=True))
        return out


TOPIC_BASELINES = {"prior": PriorTopics, "keywords": KeywordTopics, "char_tfidf_logreg": CharTfidfLogReg, "word_tfidf_svm": WordTfidfSVM}
CLAIM_BASELINES = {"regex_quantities": RegexClaims, "sentence_logreg": SentenceClaims}
