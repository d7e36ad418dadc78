"""Baselines for both tasks, as scikit-learn estimators (``fit(X, y)`` returns self, ``predict(X)``).

``X`` is a list of item records (dicts with ``title`` and ``text``); for topic
tagging ``y`` is a list of topic-id lists, for claim extraction a list of
claim lists. Every baseline learns only from what ``fit`` is given, so a
script that fits on the train split never sees the test split.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator
from scipy.sparse import csr_matrix, hstack
from scipy.special import softmax
from sklearn.feature_extraction import DictVectorizer, FeatureHasher
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from ..dedup import words
from ..quantities import Quantity, find_quantities
from .metrics import claim_scores, load_aliases, normalise_text, numbers_close, span_iou


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


class TunedLinearTopics(BaseEstimator):
    """Word and character TF-IDF, one linear classifier per topic with balanced class weights, thresholds tuned on validation.

    ``fit(X, y, eval_set=(X_val, y_val))`` chooses ``C`` from ``C_grid`` and then one decision
    threshold per topic on the validation items: for each candidate ``C`` the model is fitted on
    ``X``, each topic gets the threshold (from :data:`THRESHOLDS`, in the classifier's decision
    units) that maximises its F1 on validation, and the ``C`` with the best validation micro F1
    wins. With ``refit`` the chosen model is then fitted again on train + validation and keeps
    the thresholds. Without ``eval_set`` it uses ``C_grid``'s middle value and a threshold of 0
    (probability 0.5 for the logistic regression).

    Every item gets at least one topic (its best margin over the threshold), and ``non_ai_tech``
    stays exclusive (guideline 1.3): when it is chosen with AI topics, the larger margin wins.
    With ``context`` the item's ``format``, ``source`` and ``section`` are features too (one-hot).

    >>> X = [{"title": "发布", "text": "模型"}, {"title": "芯片", "text": "GPU"}] * 4
    >>> y = [["model_release"], ["compute_infra"]] * 4
    >>> TunedLinearTopics(C_grid=(1.0,)).fit(X, y, eval_set=(X, y)).predict([{"title": "芯片", "text": "GPU"}])
    [['compute_infra']]
    """

    def __init__(self, model: str = "logreg", C_grid: tuple[float, ...] = (1.0, 3.0, 10.0), context: bool = False,
                 refit: bool = True, random_state: int = 0):
        self.model = model
        self.C_grid = C_grid
        self.context = context
        self.refit = refit
        self.random_state = random_state

    def _classifier(self, C: float):
        if self.model == "svm":
            return LinearSVC(C=C, class_weight="balanced", random_state=self.random_state)
        if self.model == "logreg":
            # liblinear: one binary problem per topic, fast on sparse features and deterministic
            return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=self.random_state)
        raise ValueError(f"model must be 'logreg' or 'svm', not {self.model!r}")

    def _features(self, X, fit: bool = False):
        texts = [item_text(x) for x in X]
        if fit:
            self.words_ = TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False, sublinear_tf=True, min_df=2)
            self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
            parts = [self.words_.fit_transform(texts), self.chars_.fit_transform(texts)]
            if self.context:
                self.context_ = DictVectorizer().fit([_context(x) for x in X])
        else:
            parts = [self.words_.transform(texts), self.chars_.transform(texts)]
        if self.context:
            parts.append(self.context_.transform([_context(x) for x in X]))
        return _csr32(hstack(parts).tocsr())

    def _fit_model(self, X, y, C: float, features=None) -> None:
        """Fit on ``X`` with ``C``; ``features`` reuses the vectorisation of the same ``X`` (the C grid refits only the classifier)."""
        if features is None:
            features = self._features(X, fit=True)
        self.binarizer_ = MultiLabelBinarizer().fit(y)
        self.model_ = OneVsRestClassifier(self._classifier(C)).fit(features, self.binarizer_.transform(y))

    def _scores(self, X, features=None) -> np.ndarray:
        features = self._features(X) if features is None else features
        return np.asarray(self.model_.decision_function(features)).reshape(features.shape[0], -1)

    def fit(self, X, y, eval_set=None):
        """Fit on ``X``; with ``eval_set``, tune ``C`` and the thresholds on it first (see the class docstring)."""
        grid = list(self.C_grid)
        if not eval_set or not len(eval_set[0]):
            self.C_ = grid[len(grid) // 2]
            self._fit_model(X, y, self.C_)
            self.thresholds_ = np.zeros(len(self.binarizer_.classes_))
            return self
        X_val, y_val = eval_set
        train_features = self._features(X, fit=True)
        val_features = self._features(X_val)
        best = None
        for C in grid:
            self._fit_model(X, y, C, train_features)
            truth = _indicator(y_val, self.binarizer_.classes_)
            scores = self._scores(X_val, val_features)
            thresholds = _tune_thresholds(scores, truth, THRESHOLDS[self.model])
            micro = _micro_f1(self._decide(scores, thresholds), truth)
            if best is None or micro > best[0] + 1e-12:  # strictly better: the smaller C wins a tie
                best = (micro, C, thresholds, self.binarizer_.classes_)
        micro, self.C_, thresholds, classes = best
        self.tuned_ = {"C": self.C_, "validation_micro_f1": round(micro, 6),
                       "thresholds": {t: round(float(v), 4) for t, v in zip(classes, thresholds)}}
        if self.refit:
            X, y = list(X) + list(X_val), list(y) + list(y_val)
            self._fit_model(X, y, self.C_)
        else:
            self._fit_model(X, y, self.C_, train_features)
        by_topic = dict(zip(classes, thresholds))  # a topic new in validation has no tuned threshold: 0
        self.thresholds_ = np.array([by_topic.get(t, 0.0) for t in self.binarizer_.classes_])
        return self

    def _decide(self, scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
        """Indicator matrix: margin >= 0, at least one topic per item, non_ai_tech exclusive."""
        margin = scores - thresholds
        chosen = margin >= 0
        chosen[np.arange(len(margin)), margin.argmax(axis=1)] = True
        classes = list(self.binarizer_.classes_)
        if "non_ai_tech" in classes:
            k = classes.index("non_ai_tech")
            others = np.delete(np.where(chosen, margin, -np.inf), k, axis=1).max(axis=1) if len(classes) > 1 else np.full(len(margin), -np.inf)
            wins = chosen[:, k] & (margin[:, k] >= others)
            chosen[wins] = False
            chosen[wins, k] = True
            chosen[~wins & (others > -np.inf), k] = False
        return chosen

    def predict(self, X):
        """Topic ids per item, the largest margin first."""
        if not len(X):
            return []
        margin = self._scores(X) - self.thresholds_
        chosen = self._decide(margin + self.thresholds_, self.thresholds_)
        classes = self.binarizer_.classes_
        return [[str(classes[k]) for k in sorted(np.flatnonzero(row), key=lambda k: -m[k])] for row, m in zip(chosen, margin)]


class TfidfLogRegTuned(TunedLinearTopics):
    """:class:`TunedLinearTopics` with logistic regression on the text alone (registry name ``tfidf_logreg_tuned``).

    >>> TfidfLogRegTuned().get_params()["context"]
    False
    """

    def __init__(self, model: str = "logreg", C_grid: tuple[float, ...] = (1.0, 3.0, 10.0), context: bool = False,
                 refit: bool = True, random_state: int = 0):
        super().__init__(model=model, C_grid=C_grid, context=context, refit=refit, random_state=random_state)


class ContextLogRegTuned(TunedLinearTopics):
    """:class:`TunedLinearTopics` with the document context (format, source, section) as features too.

    >>> ContextLogRegTuned().get_params()["context"]
    True
    """

    def __init__(self, model: str = "logreg", C_grid: tuple[float, ...] = (1.0, 3.0, 10.0), context: bool = True,
                 refit: bool = True, random_state: int = 0):
        super().__init__(model=model, C_grid=C_grid, context=context, refit=refit, random_state=random_state)


#: Candidate thresholds per classifier, in its decision units: the SVM's margin (-0.5 to 0.5), the
#: logistic regression's log-odds (probabilities 0.15 to 0.85 in steps of 0.05). Narrow on purpose:
#: wider grids let a threshold chase the few validation items of a rare topic.
THRESHOLDS = {
    "svm": np.round(np.linspace(-0.5, 0.5, 21), 3),
    "logreg": np.round(np.log(np.arange(3, 18) / 20 / (1 - np.arange(3, 18) / 20)), 4),
}
#: The F1 a tuned threshold must gain over the untuned one on validation (see _tune_thresholds).
MIN_GAIN = 0.05


def _context(item: dict) -> dict:
    """The document context of an item as one-hot features (the context baseline's extra input)."""
    return {f"{key}={item.get(key) or '-'}": 1.0 for key in ("format", "source", "section")}


def _indicator(y, classes) -> np.ndarray:
    return MultiLabelBinarizer(classes=list(classes)).fit([]).transform([[t for t in row if t in set(classes)] for row in y]).astype(bool)


def _micro_f1(pred: np.ndarray, truth: np.ndarray) -> float:
    tp = int((pred & truth).sum())
    denom = int(pred.sum() + truth.sum())
    return 2 * tp / denom if denom else 0.0


def _tune_thresholds(scores: np.ndarray, truth: np.ndarray, grid: np.ndarray, min_gain: float = MIN_GAIN) -> np.ndarray:
    """Per topic, the grid threshold with the best F1 on validation, if it beats the untuned 0 by ``min_gain``.

    A validation split of a few hundred items holds a rare topic a handful of times, so the
    best threshold on it is mostly noise: on a held-out half of validation, thresholds picked
    freely lowered micro F1. A topic keeps 0 (the untuned decision) unless moving it gains at
    least ``min_gain`` F1; a topic validation never has keeps 0 too. Ties go to the threshold
    nearest 0.

    >>> _tune_thresholds(np.array([[2.0], [0.5], [-1.0]]), np.array([[True], [False], [False]]), np.array([-1.0, 0.0, 1.0]))
    array([1.])
    """
    out = np.zeros(scores.shape[1])
    order = sorted(grid, key=lambda t: (abs(t), t))
    for k in range(scores.shape[1]):
        if not truth[:, k].any():
            continue
        best = max(order, key=lambda t: (_f1_at(scores[:, k], truth[:, k], t), -abs(t)))
        if _f1_at(scores[:, k], truth[:, k], best) >= _f1_at(scores[:, k], truth[:, k], 0.0) + min_gain:
            out[k] = best
    return out


def _f1_at(scores: np.ndarray, truth: np.ndarray, threshold: float) -> float:
    pred = scores >= threshold
    tp = int((pred & truth).sum())
    denom = int(pred.sum() + truth.sum())
    return 2 * tp / denom if denom else 0.0


def _csr32(X):
    """CSR with 32-bit indices: liblinear refuses the 64-bit ones hstack can produce."""
    X = csr_matrix(X)
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int32)
    return X


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


# --------------------------------------------------------------------------- the claim pipeline

#: Guideline 2.6: a clause ends at ，,；;：:。！？!? or a line break, but not at a comma between digits (32,000).
_EVIDENCE_CLAUSE = re.compile(r"(?:[^，,；;：:。！？!?\n]|(?<=\d),(?=\d))+")
#: Connectives an evidence span drops at its start (guideline 2.6 and 2.10 rule 14), longest first.
CONNECTIVES = ("然而", "但是", "虽然", "尽管", "而且", "不过", "然后", "以及", "此外", "同时", "但", "而", "并")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
#: Names: a Latin word, with further Latin or digit words after a space or a middle dot (GPT-4 Turbo, Code Llama).
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.+#_/\-]*(?:[ ·][A-Za-z0-9][A-Za-z0-9.+#_\-]*)*")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
#: jieba tags of proper nouns (person, place, organisation, other proper noun, Latin word).
_PROPER = frozenset({"nr", "ns", "nt", "nz", "eng", "nrt", "nrfg"})
#: Particles skipped when looking for the word before a value (发布了 X: the trigger is 发布).
_PARTICLES = frozenset({"了", "的", "其", "将", "会"})


def evidence_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of ``text`` as guideline 2.6 cuts them, a leading connective and spaces dropped.

    >>> text = "此外，它有32,000 token上下文窗口。但是尚未开源"
    >>> [text[s:e] for s, e in evidence_clauses(text)]
    ['此外', '它有32,000 token上下文窗口', '尚未开源']
    """
    out = []
    for m in _EVIDENCE_CLAUSE.finditer(text):
        start, end = m.start(), m.end()
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(text[start:end].rstrip())
        for word in CONNECTIVES:  # only when something follows: a clause that is just 此外 stays
            if text.startswith(word, start) and end - start > len(word) + 1:
                start += len(word)
                start += len(text[start:end]) - len(text[start:end].lstrip())
                break
        if start < end:
            out.append((start, end))
    return out


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return next((k for k, edge in enumerate(edges) if x <= edge), len(edges))


def _tokens(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, word, jieba tag) of every token."""
    import rjieba  # here: its dictionary loads in a few hundred ms, and only the claim pipeline needs tags

    out, pos = [], 0
    for word, tag in rjieba.tag(text):
        out.append((pos, pos + len(word), word, tag))
        pos += len(word)
    return out


def _entity_spans(text: str, tokens: list[tuple[int, int, str, str]], gazetteer: list[str]) -> list[tuple[int, int]]:
    """Spans that may name an entity: Latin names, runs of proper-noun tokens (with a following noun), known names.

    >>> text = "谷歌云与 Hugging Face 建立合作"
    >>> sorted(text[s:e] for s, e in _entity_spans(text, _tokens(text), ["谷歌云"]))
    ['Hugging Face', '谷歌云']
    """
    spans = {(m.start(), m.end()) for m in _NAME.finditer(text)}
    k = 0
    while k < len(tokens):
        start, _, word, tag = tokens[k]
        if tag not in _PROPER or not word.strip():
            k += 1
            continue
        j = k  # extend over proper nouns, numbers (Llama 2) and single spaces between them
        while j + 1 < len(tokens) and (tokens[j + 1][3] in _PROPER or tokens[j + 1][3] == "m" or (
                tokens[j + 1][2] == " " and j + 2 < len(tokens) and (tokens[j + 2][3] in _PROPER or tokens[j + 2][3] == "m"))):
            j += 1
        spans.add((start, tokens[j][1]))
        n = j + 1 + (j + 1 < len(tokens) and tokens[j + 1][2] == " ")
        if n < len(tokens) and tokens[n][3] in ("n", "nt", "vn"):  # Rust 基金会, NFC 论坛, 美国版权局
            spans.add((start, tokens[n][1]))
        k = j + 1
    for name in gazetteer:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            # a Latin name inside a longer Latin word is not a mention (SQL in PostgreSQL, Meta in Metaverse)
            if not (_LATIN_EDGE.match(name[0]) and at and _LATIN_EDGE.match(text[at - 1])) and \
                    not (_LATIN_EDGE.match(name[-1]) and end < len(text) and _LATIN_EDGE.match(text[end])):
                spans.add((at, end))
            at = text.find(name, at + 1)
    return sorted(spans)


#: An ordinal (第 46 位, 第十) and what follows it when it is not a rank (第二季度, 第 3 代, 第一次).
_ORDINAL = re.compile(r"第\s*([0-9]+|[一二三四五六七八九十百]+)"
                      r"(?!\s*(?:季|代|版|天|日|次|届|期|章|条|批|轮|阶段|年|月|周|步|部分|种|个?月|点|方|人称|集|卷|层|波|行|页|号|项|款))")
#: Superlatives over a field (guideline 2.2 ranks: number 1): 最 + an adjective, 首个/首家/首款, 榜首, 登顶. 最高/最多/最低
#: followed by a number are comparators (最高 100 美元), not ranks.
_NOT_A_NUMBER = r"(?!\s*[0-9一二三四五六七八九十几])"
_SUPERLATIVE = re.compile(rf"最(?:大|快|强|先进|受欢迎|流行|热门|早|成功|重要|昂贵|便宜|小|长|好的|多{_NOT_A_NUMBER}|高{_NOT_A_NUMBER}|低{_NOT_A_NUMBER})"
                          r"|首(?:个|家|款|位)|榜首|登顶|冠军")


def _chinese_numeral(text: str) -> float | None:
    import cn2an

    try:
        return float(cn2an.cn2an(text, "normal"))
    except Exception:  # cn2an raises ValueError and others on odd input (百十)
        return None


def rank_mentions(text: str) -> list[Quantity]:
    """Ranks the quantity normaliser leaves out (it skips ordinals): ordinals and superlatives, unit ``rank``.

    >>> [(q.text, q.number) for q in rank_mentions("Zig 排名第 46 位，是史上最大规模的融资，最高 100 美元")]
    [('第 46', 46.0), ('最大', 1.0)]
    """
    out = []
    for m in _ORDINAL.finditer(text):
        n = float(m[1]) if m[1].isdigit() else _chinese_numeral(m[1])
        if n is not None and n >= 1:
            out.append(Quantity(m[0], m.start(), m.end(), n, "rank", "eq"))
    out += [Quantity(m[0], m.start(), m.end(), 1.0, "rank", "eq") for m in _SUPERLATIVE.finditer(text)]
    return sorted(out, key=lambda q: q.start)


def _with_parts(text: str, spans: list[tuple[int, int]], tokens: list[tuple[int, int, str, str]], longest: int = 5) -> list[tuple[int, int]]:
    """``spans`` and the leading token runs of each name of two to ``longest`` tokens: a name run on from
    its neighbours (Nvidia CEO, Alexa Plus AI, systemd v254) still offers what the labels call the entity.
    A cut never falls inside a word (jieba splits Systèmes at the è).

    >>> text = "Nvidia CEO 黄仁勋发布，Dassault Systèmes 加入"
    >>> [text[a:b] for a, b in _with_parts(text, [(0, 14), (17, 34)], _tokens(text))]
    ['Nvidia', 'Nvidia CEO', 'Nvidia CEO 黄仁勋', 'Dassault', 'Dassault Systèmes']
    """
    starts = [t[0] for t in tokens]
    out = set(spans)
    for a, b in spans:
        k = bisect.bisect_left(starts, a)
        inner = []
        while k < len(tokens) and tokens[k][1] <= b:
            if tokens[k][2].strip():
                inner.append(tokens[k])
            k += 1
        if 2 <= len(inner) <= longest:
            out |= {(a, t[1]) for t in inner[:-1] if t[1] - a >= 2 and not (_in_word(text[t[1] - 1]) and _in_word(text[t[1]]))}
    return sorted(out)


def _in_word(c: str) -> bool:
    """A letter or digit of a space-separated script (Latin, Greek, Cyrillic), not a Chinese character."""
    return c.isalnum() and not "\u4e00" <= c <= "\u9fff"


#: Doubling written as a word (翻倍, 翻了一番, 翻番: twice as many; 翻两番: four times), which the quantity
#: normaliser skips: labels write it as a multiple, unit x (guideline 2.4: 增长三倍 is 3 x).
_DOUBLING = re.compile(r"翻(?:了)?(一|两)番|翻倍")


def doubling_mentions(text: str) -> list[Quantity]:
    """Multiples written as 翻倍 / 翻(了)一番 (2) and 翻(了)两番 (4), unit ``x``.

    >>> [(q.text, q.number, q.unit) for q in doubling_mentions("亏损额翻了一番，收入翻两番，支出翻倍")]
    [('翻了一番', 2.0, 'x'), ('翻两番', 4.0, 'x'), ('翻倍', 2.0, 'x')]
    """
    return [Quantity(m[0], m.start(), m.end(), 4.0 if m[1] == "两" else 2.0, "x", "eq") for m in _DOUBLING.finditer(text)]


@lru_cache(maxsize=8192)
def _static(text: str) -> tuple:
    """Clauses, tokens and quantities of a text (with the ranks of :func:`rank_mentions`): they do not depend on
    what the pipeline learned, so a fit, its tuning pass and its refit analyse each text once."""
    quantities = find_quantities(text)
    quantities += [r for r in rank_mentions(text) + doubling_mentions(text) if not any(q.start < r.end and r.start < q.end for q in quantities)]
    return evidence_clauses(text), _tokens(text), sorted(quantities, key=lambda q: q.start)


class _Item:
    """What the pipeline reads from one item, computed once: clauses, tokens, quantities, entity spans."""

    def __init__(self, item: dict, gazetteer: list[str]):
        self.item = item
        self.text = text = item.get("text") or ""
        self.title = title = item.get("title") or ""
        self.clauses, self.tokens, quantities = _static(text)
        self.clause_starts = [s for s, _ in self.clauses]
        self.token_starts = [t[0] for t in self.tokens]
        self.quantities = [(q, k) for q in quantities if (k := self.clause_of(q.start)) is not None]
        self.entities = _entity_spans(text, self.tokens, gazetteer)
        # a GitHub Trending title is owner/project: the project is the subject of most of its claims
        repo = title.split("/")[-1].strip() if "/" in title and " " not in title.strip() else None
        self.candidates = [(text[a:b], "text", a, b) for a, b in _with_parts(text, self.entities, self.tokens)]
        self.candidates += [(title[a:b], "title", a, b) for a, b in _entity_spans(title, _tokens(title), gazetteer)] if title else []
        self.candidates += [(repo, "repo", 0, len(repo))] if repo else []
        self.title_names = {normalise_text(w) for w, where, _, _ in self.candidates if where != "text"}
        self.mentions = Counter(normalise_text(w) for w, where, _, _ in self.candidates if where == "text")
        self.sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self.candidate_facts = _candidate_facts(self)

    def clause_of(self, pos: int) -> int | None:
        k = bisect.bisect_right(self.clause_starts, pos) - 1
        return k if k >= 0 and pos < self.clauses[k][1] else None

    def sentence_of(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_ends, pos)

    def tokens_in(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        k = bisect.bisect_left(self.token_starts, start)
        out = []
        while k < len(self.tokens) and self.tokens[k][1] <= end:
            out.append(self.tokens[k])
            k += 1
        return out

    def next_tag(self, pos: int) -> str:
        k = bisect.bisect_left(self.token_starts, pos)
        return next((t for _, _, w, t in self.tokens[k:k + 4] if w.strip()), "$")

    def first_verb(self, start: int, end: int) -> int | None:
        return next((s for s, _, _, t in self.tokens_in(start, end) if t.startswith("v")), None)

    def align(self, claims: list[dict]) -> list[int | None]:
        """The clause of each gold claim: the one its evidence overlaps most (IoU), else the one holding its start."""
        out = []
        for c in claims:
            span = (c.get("start"), c.get("end"))
            if None in span:
                out.append(None)
                continue
            best = max(range(len(self.clauses)), key=lambda k: span_iou(span, self.clauses[k]), default=None)
            out.append(best if best is not None and span_iou(span, self.clauses[best]) >= 0.3 else self.clause_of(span[0]))
        return out


def _quantity_features(doc: _Item, q, k: int) -> dict:
    s, e = doc.clauses[k]
    t = doc.text
    import rjieba

    f = {f"unit={q.unit}": 1, f"comp={q.comparator}": 1, f"mag={_bucket(math.log10(abs(q.number) + 1e-9), (0, 1, 2, 3, 4, 6, 8, 10))}": 1,
         f"R1:{t[q.end:q.end + 1]}": 1, f"last:{q.text[-1:]}": 1, f"pos={_bucket(k, (0, 1, 3, 6))}": 1,
         f"fmt={doc.item.get('format')}": 1, f"nq={min(3, sum(1 for _, j in doc.quantities if j == k))}": 1}
    for w in rjieba.cut(t[max(s, q.start - 8):q.start])[-3:]:
        f[f"L:{w}"] = 1
    for w in rjieba.cut(t[q.end:min(e, q.end + 8)])[:3]:
        f[f"R:{w}"] = 1
    return f


def _clause_features(doc: _Item, k: int) -> dict:
    s, e = doc.clauses[k]
    return {f"pos={_bucket(k, (0, 1, 3, 6))}": 1, f"fmt={doc.item.get('format')}": 1, f"len={_bucket(e - s, (4, 8, 15, 30, 60))}": 1,
            "has_quantity": int(any(j == k for _, j in doc.quantities)),
            f"names={min(3, sum(1 for a, b in doc.entities if s <= a and b <= e))}": 1,
            "trending": int("Trending" in (doc.item.get("section") or ""))}


def _shape(w: str) -> str:
    """A Latin or digit word's shape; a Chinese word stays itself.

    >>> [_shape(w) for w in ("CEO", "v254", "Plus", "团队")]
    ['A', 'a9', 'Aa', '团队']
    """
    if not re.match(r"[A-Za-z0-9]", w):
        return w
    return re.sub(r"(.)\1+", r"\1", "".join("A" if c.isupper() else "a" if c.isalpha() else "9" if c.isdigit() else c for c in w))


def _name_type(w: str) -> str:
    if re.fullmatch(r"[A-Za-z][A-Za-z .\-]*", w):
        return "latin"
    if re.match(r"[A-Za-z]", w):
        return "latin_num"
    if re.search(r"(公司|集团|大学|基金会|研究院|实验室|团队|部|局|委员会|政府|法院|组织|协会|联盟)$", w):
        return "org"
    return "mixed" if re.search(r"[A-Za-z0-9]", w) else "zh"


def _candidate_facts(doc: _Item) -> list[tuple]:
    """What the subject ranker needs about each candidate that does not depend on the claim (computed once per item)."""
    first = min((a for _, where, a, _ in doc.candidates if where == "text"), default=None)
    spans = [(a, b) for _, where, a, b in doc.candidates if where == "text"]
    out = []
    for w, where, a, b in doc.candidates:
        n = normalise_text(w)
        static = {f"type={_name_type(w)}": 1, f"mentions={_bucket(doc.mentions.get(n, 0), (1, 2, 4))}": 1,
                  f"length={_bucket(len(w), (2, 4, 8, 16))}": 1, "in_title": int(n in doc.title_names)}
        if where == "text":
            own = doc.clause_of(a)
            # nested names (X.Org in X.Org 基金会, 谷歌 in 谷歌搜索): labels mostly take the longest one
            static.update({"nested": int(any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)),
                           "nests": int(any(a <= c and d <= b and (c, d) != (a, b) for c, d in spans))})
            static.update({"first": int(a == first), "starts_clause": int(own is not None and doc.clauses[own][0] == a),
                           "in_quantity": int(any(q.start < b and a < q.end for q, j in doc.quantities if j == own))})
            # the noun a name ends in (Rust 基金会, OpenWrt 项目) or that follows it: labels keep some (基金会, 论坛) and not others
            toks = doc.tokens_in(a, b)
            if len(toks) > 1 and toks[-1][3] in ("n", "nt", "vn"):
                static[f"suffix:{toks[-1][2]}"] = 1
            k = bisect.bisect_left(doc.token_starts, b)
            after = next((t for t in doc.tokens[k:k + 2] if t[2].strip()), None)
            if after is not None and after[3] in ("n", "nt", "vn", "eng"):
                static[f"followed_by:{after[2]}"] = 1
            if toks and after is not None and after[0] == b + (doc.text[b:b + 1] == " ") and (
                    toks[-1][3] in _PROPER and after[3] in _PROPER | {"m"}):  # a part of a longer name (Nvidia | CEO)
                static[f"cut_before:{_shape(after[2])}"] = 1
            context = (doc.text[b:b + 2].strip()[:1], doc.text[max(0, a - 2):a].strip()[-1:], doc.next_tag(b), doc.sentence_of(a))
        else:
            static["title_first"] = int(a == 0)
            context = None
        out.append((n, _name_type(w), static, context))
    return out


def _value_span(doc: _Item, k: int, value: str | None, anchor: int | None = None) -> tuple[int, int] | None:
    """Where a claim's value stands in clause ``k``: from ``anchor`` (a quantity's start), else its first occurrence."""
    s, e = doc.clauses[k]
    at = anchor if anchor is not None else doc.text.find(value, s, e) if value else -1
    return (at, at + len(value)) if at >= 0 and value else None


def _subject_features(doc: _Item, k: int, predicate: str, known: dict[str, int], anchor: int | None = None,
                      value: tuple[int, int] | None = None) -> list[dict]:
    """One feature dict per subject candidate of ``doc`` for a claim of ``predicate`` in clause ``k``.

    ``anchor`` is where the claim's quantity starts (numeric claims): the name nearest before it
    in the clause is often what the number is about (Meta 的 Llama 2-7B 拥有 70 亿个参数).
    ``value`` is the span of the claim's value: a name inside it is mostly what the claim says of
    the subject (发布了 Agent Toolkit), a name before it is mostly the subject.
    """
    s, e = doc.clauses[k]
    near = sorted((anchor - b, j) for j, (_, where, a, b) in enumerate(doc.candidates)
                  if anchor is not None and where == "text" and a >= s and b <= anchor)
    near_rank = {j: r for r, (_, j) in enumerate(near)}
    sentence = doc.sentence_of(s)
    cands = doc.candidates
    before = sorted((s - b, j) for j, (_, where, a, b) in enumerate(cands) if where == "text" and b <= s)
    rank = {j: r for r, (_, j) in enumerate(before)}
    inside = sorted((a, j) for j, (_, where, a, b) in enumerate(cands) if where == "text" and a >= s and b <= e)
    inside_rank = {j: r for r, (_, j) in enumerate(inside)}
    sentence_start = max([x for x in doc.sentence_ends if x <= s], default=0)
    first_in_sentence = min((a for _, where, a, _ in cands if where == "text" and a >= sentence_start), default=None)
    verb = doc.first_verb(s, e)
    facts = doc.candidate_facts
    rows = []
    for j, ((w, where, a, b), (n, kind, static, context)) in enumerate(zip(cands, facts)):
        f = dict(static)
        if where == "text":
            nxt, prv, next_tag, own_sentence = context
            if a >= s and b <= e:
                rel = "in"
                f[f"inside_rank={min(inside_rank.get(j, 9), 3)}"] = 1
                f["at_clause_start"] = int(a == s)
                f["before_verb"] = int(verb is not None and b <= verb)
                if anchor is not None:
                    f[f"before_quantity={min(near_rank.get(j, 9), 3)}"] = 1
                if value is not None:
                    side = "in" if value[0] <= a and b <= value[1] else "before" if b <= value[0] else "after" if a >= value[1] else "overlap"
                    f[f"value:{side}|{'q' if anchor is not None else 'c'}"] = 1
            elif b <= s:
                rel = "before_sentence" if own_sentence == sentence else "before"
                f[f"rank={min(rank.get(j, 9), 4)}|{rel}"] = 1
                f[f"distance={_bucket(s - b, (0, 3, 10, 30, 80))}"] = 1
            else:
                rel = "after" if a >= e else "overlap"
            f["first_in_sentence"] = int(a == first_in_sentence)
            f[f"next:{nxt}|{rel}"] = f[f"prev:{prv}|{rel}"] = f[f"next_tag:{next_tag}|{rel}"] = 1
            f[f"starts_clause|{rel}"] = f.pop("starts_clause")
        else:
            rel = where
        seen = _bucket(known.get(n, 0), (0, 1, 4, 15))
        if where == "text":
            f[f"nested|{rel}"], f[f"nests|{rel}"] = static["nested"], static["nests"]
        f.update({f"rel={rel}": 1, f"rel={rel}|p={predicate}": 1, f"type={kind}|p={predicate}": 1, f"type={kind}|rel={rel}": 1,
                  f"known={seen}": 1, f"known={seen}|p={predicate}": 1, f"in_title|p={predicate}": f["in_title"]})
        rows.append(f)
    return rows


def _value_candidates(doc: _Item, s: int, e: int) -> list[tuple[int, int]]:
    """Spans a value may take in clause (s, e): every run of whole tokens not ending in a particle, every
    suffix from a token on, every name, a name to the clause end."""
    tokens = [t for t in doc.tokens_in(s, e) if t[2].strip()]
    spans = {(t[0], e) for t in tokens} | {(s, e)}
    # a value may also stop before the clause ends (托管在 GitHub | 中; 通过众筹资金建造 | 的); up to 12
    # tokens, which keeps long enumerations from making hundreds of candidates
    spans |= {(a[0], b[1]) for i, a in enumerate(tokens) for b in tokens[i:i + 12] if b[2] not in _PARTICLES}
    for a, b in doc.entities:
        if a >= s and b <= e:
            spans |= {(a, b), (a, e)}
    return sorted(spans)


_LIST_END = re.compile(r"\s*(?:等等|等)")
_LIST_AND = re.compile(r"以及|和|及|与|或")


def _list_items(text: str, s: int, e: int, value: tuple[int, int], scores: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """The items of the 、 list in clause (s, e) that ``value`` is an item of (guideline 2.7: coordinated objects
    of one verb give one claim each), else []. Items between two 、 are whole; the first item is the best
    scored candidate span ending at the first 、, the last one the best starting after the final 和 (或, 与, 及),
    cut before 等.

    >>> t = "它支持 Angular、Flutter、React 和 Vue 等框架"
    >>> spans = {(4, 11): 1.0, (0, 11): 0.0, (28, 31): 1.0, (28, 35): 0.5}
    >>> [t[a:b] for a, b in _list_items(t, 0, len(t), (4, 11), spans)]
    ['Angular', 'Flutter', 'React', 'Vue']
    >>> _list_items(t, 0, len(t), (28, 35), spans)
    []
    """
    seps = [m.start() for m in re.finditer("、", text[s:e])]
    if not seps:
        return []
    seps = [s + x for x in seps]
    a, b = value
    touches = text[b:].lstrip().startswith("、") or text[:a].rstrip().endswith("、")
    if not touches or any(a < x < b for x in seps):
        return []
    # the first item: the best candidate ending at the first 、 (a list item needs no 、 or 和 inside)
    first = [(sc, x) for (x, y), sc in scores.items() if y == len(text[:seps[0]].rstrip()) and x >= s]
    if not first:
        return []
    items = [(max(first)[1], len(text[:seps[0]].rstrip()))]
    for x, y in zip(seps, seps[1:]):
        items.append((x + 1, y))
    tail_start = seps[-1] + 1
    stop = _LIST_END.search(text, tail_start, e)
    tail_end = stop.start() if stop else e
    conj = _LIST_AND.search(text, tail_start, tail_end)
    if conj:
        items.append((tail_start, conj.start()))
        tail_start = conj.end()
    rest = [(sc, y) for (x, y), sc in scores.items() if x == tail_start + len(text[tail_start:tail_end]) - len(text[tail_start:tail_end].lstrip())
            and y <= tail_end]
    if not rest:
        return []
    items.append((len(text[:tail_start]) + len(text[tail_start:tail_end]) - len(text[tail_start:tail_end].lstrip()), max(rest)[1]))
    out = []
    for x, y in items:  # strip the spaces around an item
        x += len(text[x:y]) - len(text[x:y].lstrip())
        y -= len(text[x:y]) - len(text[x:y].rstrip())
        if y > x:
            out.append((x, y))
    return out if (a, b) in out else []


def _value_features(doc: _Item, s: int, e: int, spans: list[tuple[int, int]], predicate: str, triggers: frozenset) -> list[dict]:
    tokens = doc.tokens_in(s, e)
    by_start = {t[0]: i for i, t in enumerate(tokens)}
    by_end = {t[1]: i for i, t in enumerate(tokens)}
    names = set(doc.entities)
    name_starts = {a for a, _ in names}
    rows = []
    for a, b in spans:
        i = by_start.get(a)
        words = [t[2] for t in tokens[max(0, i - 2):i] if t[2].strip()] if i is not None else []
        core = [w for w in words if w not in _PARTICLES]
        last = words[-1] if words else "^"
        length = _bucket(b - a, (2, 4, 8, 16, 32))
        f = {f"p={predicate}": 1, f"before:{last}": 1, f"before:{last}|{predicate}": 1,
             "trigger": int(bool(core) and (predicate, core[-1]) in triggers), "at_start": int(a == s), "at_end": int(b == e),
             "name": int((a, b) in names), f"name|{predicate}": int((a, b) in names), "name_start": int(a in name_starts),
             f"next:{doc.text[b:b + 1]}": 1, f"length={length}": 1, f"length={length}|{predicate}": 1}
        f[f"trigger|{predicate}"] = f["trigger"]
        if len(words) > 1:
            f[f"before2:{''.join(words[-2:])}"] = 1
        if i is not None:
            f[f"first:{tokens[i][2]}"] = 1
            f[f"first_tag:{tokens[i][3]}|{predicate}"] = 1
            f["after_verb"] = int(i > 0 and tokens[i - 1][3].startswith("v"))
        j = by_end.get(b)
        if j is not None:
            f[f"last:{tokens[j][2]}|{predicate}"] = 1
            f[f"last_tag:{tokens[j][3]}"] = 1
            after = next((t for t in tokens[j + 1:] if t[2].strip()), None)
            f[f"after:{after[2] if after else '$'}"] = 1
            f[f"after_tag:{after[3] if after else '$'}|{predicate}"] = 1
        rows.append(f)
    return rows


#: Cue words -> predicate (guideline 2.2) for ClaimPipeline(predicate="lexicon"), first match wins: the
#: verbs of each class's definition, more specific classes first (开源 before 发布, 收购 before 投资).
TRIGGERS: tuple[tuple[str, str], ...] = (
    ("开源", "open_source"), ("收购", "acquire"), ("并购", "acquire"), ("融资", "fund_valuation"), ("估值", "fund_valuation"),
    ("市值", "fund_valuation"), ("投资", "fund_valuation"), ("起诉", "legal_action"), ("诉讼", "legal_action"), ("裁定", "legal_action"),
    ("专利", "legal_action"), ("商标", "legal_action"), ("法案", "policy_rule"), ("法规", "policy_rule"), ("规定", "policy_rule"),
    ("禁止", "ban_remove"), ("下架", "ban_remove"), ("移除", "ban_remove"), ("删除", "ban_remove"), ("停止", "ban_remove"),
    ("放弃", "ban_remove"), ("终止", "ban_remove"), ("合作", "partner"), ("联合", "partner"), ("成立", "organization_change"),
    ("裁员", "organization_change"), ("辞职", "organization_change"), ("加入", "organization_change"), ("基于", "built_on"),
    ("训练", "trains_on"), ("参数", "has_parameter_count"), ("美元", "costs_price"), ("价格", "costs_price"), ("费用", "costs_price"),
    ("成本", "costs_price"), ("第一", "ranks"), ("排名", "ranks"), ("最大", "ranks"), ("基准", "performance_benchmark"),
    ("性能", "performance_benchmark"), ("速度", "performance_benchmark"), ("倍", "performance_benchmark"), ("计划", "plans"),
    ("将", "plans"), ("准备", "plans"), ("打算", "plans"), ("发布", "release"), ("推出", "release"), ("上线", "release"),
    ("新增", "launch_feature"), ("功能", "launch_feature"), ("支持", "has_spec"), ("免费", "has_spec"), ("许可", "has_spec"),
    ("开发", "develops"), ("打造", "develops"), ("出品", "develops"),
)

#: Counted nouns -> the unit labels write for them (guideline 2.4: a short lowercase English plural), for
#: counts the quantity normaliser leaves without a unit ("76万台机器人" -> robots). The classifiers at the
#: end are the fallback when no noun is known.
COUNT_NOUNS: tuple[tuple[str, str], ...] = (
    ("用户", "users"), ("开发者", "developers"), ("客户", "customers"), ("下载", "downloads"), ("星", "stars"), ("机器人", "robots"),
    ("企业", "businesses"), ("公司", "businesses"), ("模型", "models"), ("语言", "languages"), ("员工", "employees"),
    ("工程师", "engineers"), ("项目", "projects"), ("软件包", "packages"), ("包", "packages"), ("行", "lines"), ("页", "pages"),
    ("国家", "countries"), ("漏洞", "vulnerabilities"), ("设备", "devices"), ("核", "cores"), ("GPU", "gpus"), ("显卡", "gpus"),
    ("芯片", "chips"), ("访问", "visits"), ("次", "times"), ("人", "people"), ("名", "people"), ("位", "people"), ("提交", "commits"),
    ("文章", "articles"), ("论文", "papers"), ("图像", "images"), ("图片", "images"), ("视频", "videos"), ("应用", "apps"),
    ("扩展", "extensions"), ("插件", "plugins"), ("网站", "websites"), ("域名", "domains"), ("服务器", "servers"),
    ("贡献者", "contributors"), ("团队", "teams"), ("城市", "cities"), ("大学", "universities"), ("所", "universities"), ("台", "devices"),
    ("款", "products"), ("种", "types"), ("项", "items"), ("个", "items"), ("家", "businesses"),
)
_CLASSIFIERS = 5
#: Units the quantity normaliser gives a count whose noun it does not know, from its classifier alone
#: (个 items, 台 devices, 次 times): a noun of :data:`COUNT_NOUNS` after it (个软件包, 次提交) says more.
_COUNT_FALLBACKS = frozenset({"items", "devices", "times", "people", "businesses"})


def _counted_noun(text: str, end: int, start: int | None = None) -> tuple[str, str] | None:
    """The noun of :data:`COUNT_NOUNS` (not a classifier) that a count ending at ``end`` counts, and its unit:
    right after it, or after a short modifier in 的 (个过时的软件包); with ``start``, also a noun just before
    the count across a linking verb (下载量已超过 6700 万次, 提交了 13,894 次).

    >>> _counted_noun("更新了 43,254 个软件包", 12), _counted_noun("3 个版本", 3), _counted_noun("移除 6 个过时的软件包", 6)
    (('软件包', 'packages'), None, ('软件包', 'packages'))
    >>> _counted_noun("下载量已超过 6700 万次", 14, 4)
    ('下载', 'downloads')
    """
    after = text[end:end + 5].lstrip()
    modified = _MODIFIER.match(text, end)
    for rest in (after, text[modified.end():modified.end() + 5] if modified else ""):
        hit = next(((noun, unit) for noun, unit in COUNT_NOUNS[:-_CLASSIFIERS] if rest.startswith(noun)), None)
        if hit:
            return hit
    link = _LINK_BEFORE.search(text[max(0, (start or 0) - 10):start]) if start is not None else None
    if link:
        return next(((noun, unit) for noun, unit in COUNT_NOUNS[:-_CLASSIFIERS] if link[1].endswith(noun) and len(noun) > 1), None)
    return None


_MODIFIER = re.compile(r"\s*[^\s，。、；：,;:的]{1,3}的")
_LINK_BEFORE = re.compile(r"(\w+?)(?:量|数量|次数|总数)?(?:已经|已)?(?:超过|突破|达到|达|增至|至)?了?\s*$")
#: Units that decide the predicate of their quantity (guideline 2.2: has_parameter_count is the model's own
#: parameter count): too rare in the training labels (4 quantities) for the classifier to learn it.
UNIT_PREDICATES = {"parameters": "has_parameter_count"}


def trigger_predicate(clause: str, numeric: bool) -> str | None:
    """The predicate of the first trigger word in ``clause``; for a quantity without one, ``count_amount``.

    >>> trigger_predicate("Meta 计划开源新模型", False), trigger_predicate("有 9 亿周活跃用户", True)
    ('open_source', 'count_amount')
    """
    return next((p for cue, p in TRIGGERS if cue in clause), "count_amount" if numeric else None)


#: Thresholds (numeric claim, claim without a number) when ``fit`` is given no ``eval_set``. The clause
#: model is trained class-balanced, so its probabilities overstate how often a clause holds a claim, and a
#: claim without a number must get subject, predicate and value text all right to score: its score is the
#: clause probability times the geometric mean of the predicate's and the value's confidence, and 0.2 on
#: that side (chosen on the validation split, fitting on train) keeps the confident ones.
DEFAULT_THRESHOLDS = (0.5, 0.2)
#: The thresholds ``fit`` tries on ``eval_set``: low ones too, since a claim without a number scores a product.
THRESHOLDS_GRID = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


class ClaimPipeline(BaseEstimator):
    """Whole claims, in four steps learned from the training items (guideline section 2).

    1. **Candidates**: the clauses of the text (guideline 2.6); each quantity the normaliser
       (:func:`aicorpus.quantities.find_quantities`) finds in a clause, and each rank it skips
       (:func:`rank_mentions`: 第 46 位, 最大) or multiple written as a word (:func:`doubling_mentions`:
       翻倍 2 x), is a candidate numeric claim, each clause a
       candidate claim without a number. Two logistic regressions
       (character n-grams of the clause, the words around the quantity, its unit, the
       clause's position) score them; a candidate is kept above a threshold
       (:data:`DEFAULT_THRESHOLDS`, or tuned on ``eval_set``). A claim's score is that probability
       times the square roots of the confidences (softmax) of its predicate (step 2) and, without
       a number, its value (step 4), and its subject's confidence (step 3) to the power
       ``subject_weight`` (0.5, chosen on validation; 0 leaves the subject out): a strict match
       needs all of them right, so a claim whose subject barely won is cut before one the ranker
       is sure of.
    2. **Predicate**: a linear SVM (``predicate="learned"``) over the clause's character
       n-grams, the classes whose :data:`TRIGGERS` occur in it and the class of the first
       one, plus for a quantity its clause's words and the words around it; or the first
       cue word of :data:`TRIGGERS` (``predicate="lexicon"``; a clause without a cue yields
       no claim without a number). A quantity whose unit decides its class
       (:data:`UNIT_PREDICATES`: parameters) takes that class. A clause also offers a claim
       for each of its ``predicate_alternatives`` next best classes, scored with their own
       confidence (for quantities this cost more than it gained on validation).
    3. **Subject**: every name in the item (Latin names, jieba's proper nouns, the names of
       ``schema/aliases.json`` and of the training labels, the project of a GitHub Trending
       title, and the leading words of a name that ran on into the next word: Nvidia in
       Nvidia CEO, with the cut-off word's shape as a feature) is ranked by a listwise
       (softmax over one claim's candidates) linear model, regularised by ``subject_C`` (0.2:
       weaker than 0.1 ranked the gold subject first more often on 3 folds of train), on
       where it stands relative to the clause (inside, before the verb, earlier in the
       sentence, in the title) and to the claim's value (step 4 picks it first: a name inside
       the value is mostly what the claim says of the subject), how often it is mentioned, the
       noun it ends in or is followed by (Rust 基金会, OpenWrt 项目: training labels decide
       which are kept) and whether it was a subject in training; scoring resolves it through
       the aliases. The subject is the name with the most softmax mass summed over its mentions
       (aliases resolved), and that sum is its confidence.
    4. **Value**: the number, unit and comparator come from the quantity (a count's unit
       from the noun it counts, :data:`COUNT_NOUNS`, also over a unit the normaliser read off the
       classifier alone or left out (:func:`_counted_noun`), and what training labels wrote by a
       strict majority); a claim
       without a number takes as value the clause span a ranker picks: any run of whole
       tokens (a suffix after the trigger word, a name, or a phrase that stops before a
       trailing particle or verb, as in 托管在 GitHub 中), passing over spans that hold the
       claim's subject; its softmax among the clause's spans is the value's confidence. A span
       that is an item of a 、 list gives one claim per item (guideline 2.7, :func:`_list_items`);
       otherwise the ``value_alternatives`` next best spans give claims too, each with its own
       confidence, so the threshold keeps a runner-up only where it stands a fair chance.

    ``fit(X, y, eval_set=(X_val, y_val))`` picks the two thresholds from ``thresholds`` that
    give the best strict F1 on the validation items, then (``refit``) fits again on train +
    validation. Without ``eval_set`` the thresholds are :data:`DEFAULT_THRESHOLDS`.

    >>> text = "xAI开源了Grok-1，它有3140亿参数。"
    >>> X = [{"id": "a", "title": "", "text": text}] * 3
    >>> y = [[{"subject": "Grok-1", "predicate": "has_parameter_count", "value": "3140亿参数", "number": 3.14e11,
    ...        "unit": "parameters", "start": 13, "end": 22},
    ...       {"subject": "xAI", "predicate": "open_source", "value": "Grok-1", "number": None, "start": 0, "end": 12}]] * 3
    >>> claims = ClaimPipeline().fit(X, y).predict(X[:1])[0]
    >>> sorted((c["predicate"], c["number"]) for c in claims)
    [('has_parameter_count', 314000000000.0), ('open_source', None)]
    """

    def __init__(self, predicate: str = "learned", C: float = 1.0, thresholds: tuple[float, ...] = THRESHOLDS_GRID,
                 refit: bool = True, random_state: int = 0, subject_C: float = 0.2, subject_weight: float = 0.5, value_alternatives: int = 2,
                 predicate_alternatives: int = 1):
        self.predicate_alternatives = predicate_alternatives
        self.subject_weight = subject_weight
        self.value_alternatives = value_alternatives
        self.predicate = predicate
        self.C = C
        self.subject_C = subject_C
        self.thresholds = thresholds
        self.refit = refit
        self.random_state = random_state

    # ---- fitting

    def fit(self, X, y, eval_set=None):
        """Fit on ``X``, ``y`` (claim lists with evidence offsets); with ``eval_set``, tune the thresholds on it first."""
        if self.predicate not in ("learned", "lexicon"):
            raise ValueError(f"predicate must be 'learned' or 'lexicon', not {self.predicate!r}")
        self._fit(X, y)
        self.quantity_threshold_, self.clause_threshold_ = DEFAULT_THRESHOLDS
        if eval_set is not None and len(eval_set[0]):
            X_val, y_val = eval_set
            scored = self._score(self._analyse(X_val), min(self.thresholds))
            aliases = load_aliases()
            best = None
            for tq in self.thresholds:
                for tc in self.thresholds:
                    f1 = claim_scores(list(y_val), self._assemble(scored, tq, tc), aliases=aliases)["strict"]["f1"]
                    if best is None or f1 > best[0] + 1e-12:
                        best = (f1, tq, tc)
            _, self.quantity_threshold_, self.clause_threshold_ = best
            self.tuned_ = {"quantity_threshold": best[1], "clause_threshold": best[2], "validation_strict_f1": round(best[0], 6)}
            if self.refit:
                self._fit(list(X) + list(X_val), list(y) + list(y_val))
        return self

    def _analyse(self, X, y=None) -> list[_Item]:
        """One _Item per item. When fitting (``y`` given), an item's gazetteer leaves out the names only
        its own labels contributed: else every training subject would be a known name, and the ranker
        would learn to trust "known" far more than it deserves on new items."""
        out = []
        for k, x in enumerate(X):
            names = self.names_
            if y is not None:
                own = Counter(normalise_text(c.get("subject")) for c in y[k])
                names = [n for n in names if n in self.fixed_names_ or self.known_.get(self.normal_[n], 0) > own.get(self.normal_[n], 0)]
            out.append(_Item(x, names))
        return out

    def _fit(self, X, y) -> None:
        aliases = load_aliases()
        self.alias_index_ = {normalise_text(a): normalise_text(c) for a, c in aliases.items()}
        subjects = Counter(c["subject"] for claims in y for c in claims if c.get("subject"))
        self.fixed_names_ = set(aliases) | set(aliases.values())
        self.names_ = sorted(n for n in set(subjects) | self.fixed_names_ if len(n) >= 2)
        self.normal_ = {n: normalise_text(n) for n in self.names_}
        self.known_ = Counter()
        for name, count in subjects.items():
            self.known_[normalise_text(name)] += count
        docs = self._analyse(X, y)
        rows = {name: [] for name in ("clause_text", "clause_feat", "clause_y", "pclause_text", "pclause_feat", "pclause_y", "q_text",
                                      "q_feat", "q_y", "pq_text", "pq_feat", "pq_y", "s_feat", "s_y", "s_size", "v_feat", "v_y")}
        units: dict[str, Counter] = defaultdict(Counter)
        trigger_votes: Counter = Counter()
        placed = []
        for doc, claims in zip(docs, y):
            where = doc.align(claims)
            by_clause = defaultdict(list)
            for c, k in zip(claims, where):
                if k is not None:
                    by_clause[k].append(c)
            placed.append(by_clause)
            for k, (s, e) in enumerate(doc.clauses):
                text_claims = [c for c in by_clause[k] if c.get("number") is None]
                feat = _clause_features(doc, k)
                rows["clause_text"].append(doc.text[s:e]), rows["clause_feat"].append(feat), rows["clause_y"].append(int(bool(text_claims)))
                for c in text_claims:  # every claim of the clause: a clause may state a release and a spec
                    rows["pclause_text"].append(doc.text[s:e]), rows["pclause_feat"].append(_predicate_features(doc.text[s:e], feat))
                    rows["pclause_y"].append(c["predicate"])
                for c in text_claims:  # the word before a value is the predicate's trigger (发布了 X)
                    at = doc.text.find(c.get("value") or "\0", s, e)
                    before = [w for w in _words_before(doc, s, at) if w not in _PARTICLES] if at > s else []
                    if before:
                        trigger_votes[(c["predicate"], before[-1])] += 1
            for q, k in doc.quantities:
                s, e = doc.clauses[k]
                match = [c for c in by_clause[k] if c.get("number") is not None and numbers_close(q.number, c["number"])]
                feat = _quantity_features(doc, q, k)
                rows["q_text"].append(doc.text[s:e]), rows["q_feat"].append(feat), rows["q_y"].append(int(bool(match)))
                if match:
                    rows["pq_text"].append(doc.text[s:e]), rows["pq_feat"].append(_predicate_features(doc.text[s:e], feat, True)), rows["pq_y"].append(match[0]["predicate"])
                    for key in self._unit_keys(doc, q):
                        units[key][match[0].get("unit")] += 1
            own = Counter(normalise_text(c.get("subject")) for c in claims)
            known = {n: v - own.get(n, 0) for n, v in self.known_.items() if v > own.get(n, 0)}
            for c, k in zip(claims, where):
                gold = self._resolve(c.get("subject"))
                labels = [int(self.alias_index_.get(n, n) == gold) for n, *_ in doc.candidate_facts]
                if k is not None and any(labels):
                    quantity = next((q for q, j in doc.quantities if j == k and c.get("number") is not None
                                     and numbers_close(q.number, c["number"])), None)
                    anchor = quantity.start if quantity else None
                    value = _value_span(doc, k, quantity.text if quantity else c.get("value"), anchor)
                    rows["s_feat"] += _subject_features(doc, k, c["predicate"], known, anchor, value)
                    rows["s_y"] += labels
                    rows["s_size"].append(len(labels))
        self.triggers_ = frozenset([key for key, n in trigger_votes.items() if n >= 2] + [(p, cue) for cue, p in TRIGGERS])
        for doc, by_clause in zip(docs, placed):
            for k, cs in by_clause.items():
                s, e = doc.clauses[k]
                spans = _value_candidates(doc, s, e)
                for c in cs:
                    if c.get("number") is not None or not c.get("value"):
                        continue
                    labels = [int(normalise_text(doc.text[a:b]) == normalise_text(c["value"])) for a, b in spans]
                    if any(labels):
                        rows["v_feat"] += _value_features(doc, s, e, spans, c["predicate"], self.triggers_)
                        rows["v_y"] += labels
        # a unit the labels wrote a strict majority of the time: a tie (times 2, visits 2) keeps the normaliser's
        self.units_ = {key: unit for key, votes in units.items() for unit, n in votes.most_common(1)
                       if n >= (1 if key.startswith("W:") else 2) and 2 * n > sum(votes.values())}
        rs, C = self.random_state, self.C
        self.ngrams_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2).fit(rows["clause_text"])
        self.pngrams_ = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True).fit(rows["clause_text"])
        self.clause_dv_ = DictVectorizer().fit(rows["clause_feat"])
        self.quantity_dv_ = DictVectorizer().fit(rows["q_feat"] or [{}])
        self.clause_model_ = _binary(C, rs).fit(self._matrix(self.ngrams_, rows["clause_text"], self.clause_dv_, rows["clause_feat"]), rows["clause_y"])
        self.quantity_model_ = _binary(C, rs).fit(self._matrix(self.ngrams_, rows["q_text"], self.quantity_dv_, rows["q_feat"]), rows["q_y"]) \
            if len(set(rows["q_y"])) > 1 else _Constant(float(bool(rows["q_y"] and rows["q_y"][0])))
        self.pclause_dv_ = DictVectorizer().fit(rows["pclause_feat"] or [{}])
        self.pquantity_dv_ = DictVectorizer().fit(rows["pq_feat"] or [{}])
        self.clause_predicate_ = _multiclass(rows["pclause_y"], rs).fit(
            self._matrix(self.pngrams_, rows["pclause_text"], self.pclause_dv_, rows["pclause_feat"]), rows["pclause_y"]) \
            if rows["pclause_y"] else _Constant("release")
        self.quantity_predicate_ = _multiclass(rows["pq_y"], rs).fit(
            self._matrix(self.pngrams_, rows["pq_text"], self.pquantity_dv_, rows["pq_feat"]), rows["pq_y"]) \
            if rows["pq_y"] else _Constant("count_amount")
        self.subject_model_ = _ListwiseRanker(C=self.subject_C).fit(_hashed(rows["s_feat"]), rows["s_y"], rows["s_size"]) \
            if len(set(rows["s_y"])) > 1 else _Constant(1.0)
        self.value_model_ = LogisticRegression(C=3 * C, solver="liblinear", random_state=rs).fit(
            _hashed(rows["v_feat"]), rows["v_y"]) if len(set(rows["v_y"])) > 1 else _Constant(1.0)

    @staticmethod
    def _matrix(ngrams, texts, dv, feats):
        return _csr32(hstack([ngrams.transform(texts), dv.transform(feats)]).tocsr())

    def _resolve(self, name: str | None) -> str | None:
        key = normalise_text(name)
        return self.alias_index_.get(key, key)

    @staticmethod
    def _unit_keys(doc: _Item, q) -> list[str]:
        """Keys of the learned unit table, most specific first: the quantity's own unit, else its
        classifier with the word after it, that word, the classifier."""
        if q.unit is not None:
            return [f"U:{q.unit}"]
        import rjieba

        word = next((w for w in rjieba.cut(doc.text[q.end:q.end + 6]) if w.strip()), "")
        keys = [f"W:{q.text[-1:]}|{word}"] + ([f"N:{word}"] if re.match(r"\w", word) else [])
        return keys + [f"C:{q.text[-1:]}"]

    def _unit(self, doc: _Item, q) -> str | None:
        keys = self._unit_keys(doc, q)
        if q.unit is None or q.unit in _COUNT_FALLBACKS:  # no unit, or only the classifier's (个 items): the noun counted names it
            counted = _counted_noun(doc.text, q.end, q.start)
            if counted is not None and len(counted[0]) > 1:
                return counted[1]
        noun = _counted_noun(doc.text, q.end)
        if q.unit is not None:
            return self.units_.get(keys[0], q.unit)
        if keys[0] in self.units_:
            return self.units_[keys[0]]
        if noun is not None:
            return noun[1]
        for key in keys[1:]:
            if key in self.units_:
                return self.units_[key]
        return next((unit for noun, unit in COUNT_NOUNS[-_CLASSIFIERS:] if q.text.endswith(noun)), None)

    # ---- predicting

    def _score(self, docs: list[_Item], floor: float) -> list[list[tuple[float, str, dict]]]:
        """Per item, every candidate claim scoring at least ``floor``: (probability, "q" or "c", claim)."""
        out: list[list] = [[] for _ in docs]
        pending = []  # (item index, clause, predicate, partial claim, probability, kind)
        q_rows = [(i, q, k) for i, doc in enumerate(docs) for q, k in doc.quantities]
        if q_rows:
            texts = [docs[i].text[slice(*docs[i].clauses[k])] for i, _, k in q_rows]
            feats = [_quantity_features(docs[i], q, k) for i, q, k in q_rows]
            proba = self.quantity_model_.predict_proba(self._matrix(self.ngrams_, texts, self.quantity_dv_, feats))[:, 1]
            best = _top_classes(self.quantity_predicate_, self._matrix(
                self.pngrams_, texts, self.pquantity_dv_, [_predicate_features(t, f, True) for t, f in zip(texts, feats)]), 1)
            for (i, q, k), p, [(predicate, c)], text in zip(q_rows, proba, best, texts):
                predicate = trigger_predicate(text, True) if self.predicate == "lexicon" else str(predicate)
                if q.unit in UNIT_PREDICATES:
                    predicate = UNIT_PREDICATES[q.unit]
                elif self.predicate == "learned":  # as for a claim without a number: its predicate must be right too
                    p *= math.sqrt(c)
                if p >= floor:
                    pending.append((i, k, predicate, {"value": q.text, "number": q.number, "unit": self._unit(docs[i], q),
                                                      "comparator": q.comparator, "anchor": q.start}, float(p), "q"))
        c_rows = [(i, k) for i, doc in enumerate(docs) for k in range(len(doc.clauses))]
        if c_rows:
            texts = [docs[i].text[slice(*docs[i].clauses[k])] for i, k in c_rows]
            feats = [_clause_features(docs[i], k) for i, k in c_rows]
            proba = self.clause_model_.predict_proba(self._matrix(self.ngrams_, texts, self.clause_dv_, feats))[:, 1]
            ranked = _top_classes(self.clause_predicate_, self._matrix(
                self.pngrams_, texts, self.pclause_dv_, [_predicate_features(t, f) for t, f in zip(texts, feats)]),
                1 + self.predicate_alternatives)
            for (i, k), p, classes, text in zip(c_rows, proba, ranked, texts):
                if self.predicate == "lexicon":
                    classes = [(trigger_predicate(text, False), 1.0)]
                for predicate, c in classes:  # the best class, and its runners-up as claims of their own
                    score = p * math.sqrt(c)  # a claim without a number scores only if its predicate is right too
                    if score >= floor and predicate is not None:
                        pending.append((i, k, str(predicate), {"number": None, "unit": None, "comparator": "eq"}, float(score), "c"))
        c_requests = [(i, k, predicate) for i, k, predicate, _, _, kind in pending if kind == "c"]
        spans_of, value_scores = self._value_scores(docs, c_requests)
        # the value first, then the subject, told where the value stands (a name inside it is mostly the
        # object); then the value again, passing over spans that hold the chosen subject
        first = iter(self._pick_values(docs, c_requests, spans_of, value_scores, [None] * len(c_requests)))
        values = [claim["value"] if kind == "q" else next(first)[0][0] for _, _, _, claim, _, kind in pending]
        requests = [(i, k, predicate, claim.pop("anchor", None)) for i, k, predicate, claim, *_ in pending]
        ranked = self._subjects(docs, [(*r, _value_span(docs[r[0]], r[1], v, r[3])) for r, v in zip(requests, values)])
        subjects = [name for name, _ in ranked]
        text_values = iter(self._pick_values(docs, c_requests, spans_of, value_scores,
                                             [subject for (*_, kind), subject in zip(pending, subjects) if kind == "c"],
                                             self.value_alternatives))
        for (i, k, predicate, claim, p, kind), (subject, subject_sure) in zip(pending, ranked):
            # ... and its value text exact: a clause whose best span barely wins is a likely miss; a list gives one claim per item
            values = [(claim.pop("value"), 1.0)] if kind == "q" else next(text_values)
            p *= subject_sure ** self.subject_weight
            for value, sure in values:
                out[i].append((p * math.sqrt(sure), kind, {"subject": subject, "predicate": predicate, "value": value, **claim,
                                                           "span": list(docs[i].clauses[k])}))
        return out

    def _subjects(self, docs: list[_Item], requests: list[tuple[int, int, str, int | None, tuple[int, int] | None]]) -> list[tuple[str, float]]:
        feats, sizes = [], []
        for i, k, predicate, anchor, value in requests:
            rows = _subject_features(docs[i], k, predicate, self.known_, anchor, value) if docs[i].candidates else []
            feats += rows
            sizes.append(len(rows))
        scores = self.subject_model_.decision_function(_hashed(feats)) if feats else []
        out, at = [], 0
        for (i, k, *_), n in zip(requests, sizes):
            if n:
                # the ranker spreads its mass over every mention of a name (it is trained to put it on all the gold
                # subject's mentions): a name's probability is the sum over its mentions, aliases resolved, and the
                # best-scored mention gives its surface
                z = softmax(np.asarray(scores[at:at + n], dtype=float))
                mass: dict[str | None, float] = defaultdict(float)
                surface: dict[str | None, str] = {}
                for j in np.argsort(-z, kind="stable"):
                    name = docs[i].candidates[j][0]
                    key = self._resolve(name)
                    mass[key] += z[j]
                    surface.setdefault(key, name)
                best = max(mass, key=mass.__getitem__)
                out.append((surface[best], float(mass[best])))
            else:  # no name in the item: the clause's opening words stand in, with confidence 0 (so with
                # subject_weight > 0 such a claim scores 0 and is not predicted: these words are seldom a subject)
                s, e = docs[i].clauses[k]
                out.append((docs[i].text[s:e][:8], 0.0))
            at += n
        return out

    def _value_scores(self, docs: list[_Item], requests: list[tuple[int, int, str]]) -> tuple[list[list[tuple[int, int]]], np.ndarray]:
        """The candidate value spans of each request's clause and the value ranker's scores of all of them."""
        feats, spans_of = [], []
        for i, k, predicate in requests:
            s, e = docs[i].clauses[k]
            spans = _value_candidates(docs[i], s, e)
            feats += _value_features(docs[i], s, e, spans, predicate, self.triggers_)
            spans_of.append(spans)
        return spans_of, (self.value_model_.decision_function(_hashed(feats)) if feats else np.zeros(0))

    @staticmethod
    def _pick_values(docs: list[_Item], requests: list[tuple[int, int, str]], spans_of: list[list[tuple[int, int]]],
                     scores: np.ndarray, subjects: list[str | None], alternatives: int = 0) -> list[list[tuple[str, float]]]:
        """The value texts of each request, each with the ranker's softmax probability among the clause's spans:
        the best span, and when it is an item of a 、 list, every item of the list (:func:`_list_items`); else
        the best span and the ``alternatives`` next best. Labels draw a value's edges in more than one way
        (发布了 X, X; 开源 AI Agent 项目, AI Agent 项目): a runner-up often has a fair chance of being the one
        a label wrote, and a claim that may be right is worth predicting while its chance is above the
        threshold (a second copy of a matched claim costs one false positive; a miss costs a false negative).

        A span holding the claim's subject is passed over when another is left: labels seldom repeat the
        subject in the value (7% of the training claims), the ranker alone picked such spans far more often."""
        out, at = [], 0
        for (i, k, _), spans, subject in zip(requests, spans_of, subjects):
            own = normalise_text(subject) or "\0"
            mine = scores[at:at + len(spans)]
            allowed = np.array([own not in normalise_text(docs[i].text[a:b]) for a, b in spans])
            best, z = _softmax_top(mine, allowed)
            sure = float(z[best])
            items = _list_items(docs[i].text, *docs[i].clauses[k], spans[best], dict(zip(spans, mine)))
            if items:
                out.append([(docs[i].text[a:b], sure) for a, b in items])
            else:  # the best span, and the runners-up: each is a claim of its own, kept if it scores above the threshold
                others = [j for j in np.argsort(-z, kind="stable") if j != best and allowed[j]][:alternatives]
                out.append([(docs[i].text[slice(*spans[best])], sure)] + [(docs[i].text[slice(*spans[j])], float(z[j])) for j in others])
            at += len(spans)
        return out

    @staticmethod
    def _assemble(scored, quantity_threshold: float, clause_threshold: float) -> list[list[dict]]:
        """The candidates above their threshold, each claim once per item: scoring pairs claims one to one,
        so a second copy (the same fact in the lead and the body) can only be a false positive."""
        out = []
        for rows in scored:
            kept, seen = [], set()
            for p, kind, c in sorted(rows, key=lambda row: -row[0]):
                key = _claim_key(c)
                if p >= (quantity_threshold if kind == "q" else clause_threshold) and key not in seen:
                    seen.add(key)
                    kept.append(c)
            out.append(kept)
        return out

    def predict(self, X):
        """Claims per item: subject, predicate, value, number, unit, comparator and ``span`` (the clause)."""
        floor = min(self.quantity_threshold_, self.clause_threshold_)
        return self._assemble(self._score(self._analyse(X), floor), self.quantity_threshold_, self.clause_threshold_)


def _claim_key(claim: dict) -> tuple:
    """What strict scoring compares of a claim (numbers to 3 significant digits, well inside its 1%)."""
    number = claim.get("number")
    what = (float(f"{number:.3g}"), normalise_text(claim.get("unit"))) if number is not None else normalise_text(claim.get("value"))
    return normalise_text(claim.get("subject")), claim.get("predicate"), what


_HASHER = FeatureHasher(n_features=2**18, input_type="dict", alternate_sign=False)


def _softmax_top(scores: np.ndarray, allowed: np.ndarray | None = None) -> tuple[int, np.ndarray]:
    """Index of the highest score (among the ``allowed`` ones, when any is) and the softmax probabilities of all.

    >>> best, z = _softmax_top(np.array([0.0, 0.0, np.log(2)]))
    >>> best, z.round(2).tolist()
    (2, [0.25, 0.25, 0.5])
    >>> _softmax_top(np.array([0.0, 0.0, np.log(2)]), np.array([True, False, False]))[0]
    0
    """
    z = softmax(scores)
    return int(np.argmax(np.where(allowed, z, -1.0) if allowed is not None and allowed.any() else z)), z


def _top_classes(model, X, k: int) -> list[list[tuple[str, float]]]:
    """The ``k`` best classes of each row with the softmax of the decision values at each (a constant
    model: its one class, 1.0): a rough confidence, sharper where one class's margin stands out.

    >>> from sklearn.svm import LinearSVC
    >>> m = LinearSVC(random_state=0).fit(np.array([[0.0], [1.0], [2.0]]), ["a", "b", "c"])
    >>> [c for c, _ in _top_classes(m, np.array([[2.0]]), 2)[0]]
    ['c', 'b']
    """
    if isinstance(model, _Constant):
        return [[(label, 1.0)] for label in model.predict(X)]
    d = model.decision_function(X)
    z = softmax(np.column_stack([-d, d]) if d.ndim == 1 else d, axis=1)
    order = np.argsort(-z, axis=1, kind="stable")[:, :k]
    return [[(str(model.classes_[j]), float(row[j])) for j in idx] for row, idx in zip(z, order)]


def _hashed(rows: list[dict]):
    """Feature dicts as a sparse matrix: hashing, because the subject and value rankers see tens of
    thousands of rows and DictVectorizer's Python loop was most of a fit's time."""
    return _csr32(_HASHER.transform(rows))


def _words_before(doc: _Item, start: int, end: int) -> list[str]:
    return [w for s, e, w, _ in doc.tokens if s >= start and e <= end and w.strip()]


def _binary(C: float, random_state: int) -> LogisticRegression:
    # liblinear: fast on sparse features, deterministic; balanced: claims are a minority of clauses
    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", max_iter=1000, random_state=random_state)


def _multiclass(y: list[str], random_state: int):
    return LinearSVC(C=1.0, random_state=random_state) if len(set(y)) > 1 else _Constant(y[0])


def _predicate_features(clause: str, base: dict, numeric: bool = False) -> dict:
    """Features of the predicate classifiers: ``base``, the classes whose trigger words (:data:`TRIGGERS`) the
    clause holds, and for a quantity the clause's words (参数, 估值, 售价 say what the number is about)."""
    import rjieba

    f = dict(base)
    f.update({f"trigger:{p}": 1 for cue, p in TRIGGERS if cue in clause})
    f[f"first_trigger:{trigger_predicate(clause, numeric)}"] = 1  # what the lexicon pipeline would say
    if numeric:
        f.update({f"word:{w}": 1 for w in rjieba.cut(clause) if w.strip()})
    return f


class _ListwiseRanker:
    """A conditional logit: one softmax over each group's rows (the candidates for one claim), trained to
    put its mass on the group's positive rows; L2-regularised, fitted with L-BFGS (deterministic)."""

    def __init__(self, C: float = 1.0, max_iter: int = 300):
        self.C = C
        self.max_iter = max_iter

    def fit(self, X, y, sizes):
        from scipy.optimize import minimize

        X = X.tocsr()
        y = np.asarray(y, dtype=bool)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        group = np.repeat(np.arange(len(sizes)), sizes)
        used = np.unique(X.indices)  # optimise only the columns that occur
        Xu = X[:, used]
        XuT = Xu.T.tocsr()

        def lse(v):
            top = np.maximum.reduceat(v, starts)
            return top + np.log(np.add.reduceat(np.exp(v - top[group]), starts)), top

        def objective(w):
            z = Xu @ w
            all_, _ = lse(z)
            zp = np.where(y, z, -np.inf)
            pos, _ = lse(zp)
            p_all = np.exp(z - all_[group])
            p_pos = np.where(y, np.exp(zp - pos[group]), 0.0)
            loss = float(np.sum(all_ - pos)) + 0.5 * float(w @ w) / self.C
            return loss, XuT @ (p_all - p_pos) + w / self.C

        res = minimize(objective, np.zeros(len(used)), jac=True, method="L-BFGS-B", options={"maxiter": self.max_iter})
        self.coef_ = np.zeros(X.shape[1])
        self.coef_[used] = res.x
        return self

    def decision_function(self, X):
        return X @ self.coef_


class _Constant:
    """Stands in for a model when training gave one class only (a tiny training set)."""

    def __init__(self, value):
        self.value = value

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.array([self.value] * X.shape[0], dtype=object)

    def predict_proba(self, X):
        return np.column_stack([1 - np.full(X.shape[0], self.value, dtype=float), np.full(X.shape[0], self.value, dtype=float)])

    def decision_function(self, X):
        return np.zeros(X.shape[0])


class LexiconClaimPipeline(ClaimPipeline):
    """:class:`ClaimPipeline` with the predicate from the trigger lexicon (registry name ``pipeline_lexicon``).

    >>> LexiconClaimPipeline().get_params()["predicate"]
    'lexicon'
    """

    def __init__(self, predicate: str = "lexicon", C: float = 1.0, thresholds: tuple[float, ...] = THRESHOLDS_GRID,
                 refit: bool = True, random_state: int = 0, subject_C: float = 0.2, subject_weight: float = 0.5, value_alternatives: int = 2,
                 predicate_alternatives: int = 1):
        super().__init__(predicate=predicate, C=C, thresholds=thresholds, refit=refit, random_state=random_state, subject_C=subject_C,
                         subject_weight=subject_weight, value_alternatives=value_alternatives,
                         predicate_alternatives=predicate_alternatives)


TOPIC_BASELINES = {"prior": PriorTopics, "keywords": KeywordTopics, "char_tfidf_logreg": CharTfidfLogReg, "word_tfidf_svm": WordTfidfSVM,
                   "tfidf_logreg_tuned": TfidfLogRegTuned, "context_logreg_tuned": ContextLogRegTuned}
CLAIM_BASELINES = {"regex_quantities": RegexClaims, "sentence_logreg": SentenceClaims, "pipeline_lexicon": LexiconClaimPipeline,
                   "pipeline_learned": ClaimPipeline}
