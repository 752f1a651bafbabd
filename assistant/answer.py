"""Answer stage: the retrieval chain and the extractive answerer (no LLM needed).

The answer is built from the best sentences of the retrieved clauses, each
followed by its citation [n]. What counts as "best" depends on what the
question asks for (a figure, responsible units, one line per document, a date,
the document's own metadata). When the corpus does not cover the question the
answerer abstains and shows the nearest clauses as related, not as an answer.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from langchain_core.runnables import RunnableLambda

from .documents import Clause, Document
from .index import Index
from .retrieve import ClauseRetriever, Filters, Hit, HybridRetriever
from .text import normalize, split_sentences, tokenize

MAX_QUESTION_CHARS = 2000
NOT_FOUND = "未在文档中找到与该问题对应的内容。"
TOP_CLAUSES = 5
# Abstain when the question's distinctive words are mostly absent from the best
# clauses; the value was set by measurement on eval/qa.jsonl (see eval/report.md).
MIN_COVERAGE = 0.45

INTENTS = (  # checked in order; the first that matches wins
    ("metadata", re.compile(r"文号|印发|发文|发布(机构|单位|部门|日期|时间)|成文|哪个部门(制定|发布)|哪(个|家)单位(发布|印发)")),
    ("per_document", re.compile(r"分别|各地|各(个)?(方案|文件|文档|计划|区)|哪些(方案|文件|文档|计划|地方)|哪几个|对比|比较|相比")),
    ("units", re.compile(r"哪些单位|哪些部门|由谁|谁(来)?负责|落实单位|牵头|责任单位|负责单位|哪个部门负责")),
    ("date", re.compile(r"什么时候|何时|哪一年|哪年|哪个阶段|时间安排|日期|期限|起止")),
    ("figure", re.compile(r"多少|几(个|家|名|次|场|件|项|人)|目标(值)?是|数量|金额|比例|比重|增长|增幅|达到|规模")),
)
_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|(?!\d))")
_BODY = re.compile(r"[\u4e00-\u9fff]{2,12}?(?:局|委员会|法院|检察院|协会|办公室|研究院)")


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message is for the user."""


@dataclass
class Citation:
    n: int
    clause: Clause
    document: Document
    score: float
    used: list[str] = field(default_factory=list)  # sentences of the clause the answer quotes

    def to_dict(self) -> dict:
        return {"n": self.n, "doc_id": self.document.id, "doc_title": self.document.title,
                "doc_number": self.document.number, "clause_id": self.clause.id,
                "path": list(self.clause.path), "text": self.clause.text, "score": round(self.score, 6)}


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation]
    intent: str = "general"
    mode: str = "extractive"

    def to_dict(self) -> dict:
        return {"question": self.question, "answer": self.text, "abstained": self.abstained,
                "citations": [c.to_dict() for c in self.citations], "mode": self.mode}


def check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise QuestionError("问题为空：请输入一个问题。")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"问题过长（{len(question)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。")
    return question


def classify(question: str) -> str:
    norm = normalize(question)
    return next((name for name, pattern in INTENTS if pattern.search(norm)), "general")


@functools.lru_cache(maxsize=1)
def known_places() -> tuple[str, ...]:
    data = resources.files("assistant").joinpath("data").joinpath("places.txt").read_text(encoding="utf-8")
    return tuple(sorted({normalize(w) for w in data.split()}, key=len, reverse=True))


class Scope:
    """What the question itself says about where to look: named documents, years,
    and any place or body that no document mentions."""

    def __init__(self, question: str, index: Index, corpus_text: str) -> None:
        norm = normalize(question)
        self.doc_ids = [d.id for d in index.documents.values() if _names_document(norm, d)]
        self.years = [int(y) for y in _YEAR.findall(norm)]
        self.unknown = [p for p in known_places() if p in norm and p not in corpus_text]
        self.unknown += [b for b in _BODY.findall(norm) if b not in corpus_text and not self._named_doc(b, index)]

    def _named_doc(self, body: str, index: Index) -> bool:
        return any(_names_document(body, index.documents[d]) for d in self.doc_ids)

    def year_outside(self, index: Index) -> int | None:
        documents = [index.documents[d] for d in self.doc_ids] or list(index.documents.values())
        for year in self.years:
            if not any(d.period and d.period[0] <= year <= d.period[1] for d in documents):
                return year
        return None


def _place_key(region: str | None) -> str | None:
    if not region:
        return None
    key = re.sub(r"(新区|区|市|县)$", "", normalize(region))
    return key if len(key) >= 2 else normalize(region)


def _names_document(norm_question: str, document: Document) -> bool:
    key = _place_key(document.region)
    return bool(key) and key in norm_question


class Answerer:
    """Question → Answer, through a LangChain chain: analyse | retrieve | compose."""

    def __init__(self, index: Index, retriever: HybridRetriever) -> None:
        self.index = index
        self.retriever = retriever
        self.chain = RunnableLambda(self._analyse) | RunnableLambda(self._retrieve) | RunnableLambda(self._compose)

    @functools.cached_property
    def _corpus_text(self) -> str:
        return "\n".join(self.index.search_texts) + "\n".join(
            normalize(f"{d.title} {d.issuer or ''} {d.region or ''}") for d in self.index.documents.values())

    @functools.cached_property
    def _idf(self) -> tuple[dict[str, float], float]:
        counts = Counter(t for text in self.index.search_texts for t in set(tokenize(text)))
        n = len(self.index.search_texts)
        return {t: math.log((n + 1) / (c + 0.5)) for t, c in counts.items()}, math.log((n + 1) / 0.5)

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        return self.chain.invoke({"question": check_question(question), "filters": filters or Filters()})

    # --- chain steps -------------------------------------------------------
    def _analyse(self, state: dict) -> dict:
        question = state["question"]
        scope = Scope(question, self.index, self._corpus_text)
        filters: Filters = state["filters"]
        if scope.doc_ids and not filters.doc_ids:
            filters = Filters(tuple(scope.doc_ids), filters.region, filters.year)
        return {**state, "scope": scope, "filters": filters, "intent": classify(question),
                "tokens": self._weighted_tokens(question)}

    def _retrieve(self, state: dict) -> dict:
        retriever = ClauseRetriever(retriever=self.retriever, k=TOP_CLAUSES * 2, filters=state["filters"])
        found = retriever.invoke(state["question"])
        by_id = self.index.clause_by_id
        hits = [Hit(by_id[d.metadata["clause_id"]], d.metadata["score"], d.metadata["similarity"],
                    d.metadata["keyword"]) for d in found]
        return {**state, "hits": hits}

    def _compose(self, state: dict) -> Answer:
        question, hits, scope = state["question"], state["hits"], state["scope"]
        reason = self._abstain_reason(state)
        if reason:
            related = [Citation(i + 1, h.clause, self.index.document_of(h.clause), h.score)
                       for i, h in enumerate(hits[:3])]
            return Answer(question, f"{NOT_FOUND}{reason}", True, related, state["intent"])
        compose = {"metadata": self._metadata_answer, "per_document": self._per_document_answer,
                   "units": self._units_answer}.get(state["intent"], self._sentence_answer)
        return compose(state)

    # --- abstention ----------------------------------------------------------
    def _abstain_reason(self, state: dict) -> str:
        scope: Scope = state["scope"]
        if scope.unknown:
            return f"文档中没有涉及“{'、'.join(scope.unknown)}”的内容。"
        year = scope.year_outside(self.index)
        if year:
            return f"没有文档的规划期包含 {year} 年。"
        if not state["hits"]:
            return ""
        if self.coverage(state["tokens"], [h.clause for h in state["hits"][:3]]) < MIN_COVERAGE:
            return "检索到的条款与问题关联度不足。"
        return ""

    def _weighted_tokens(self, question: str) -> dict[str, float]:
        idf, unseen = self._idf
        words = set(tokenize(normalize(question)))
        places = {_place_key(d.region) for d in self.index.documents.values()}
        return {t: idf.get(t, unseen) for t in words if t not in places}

    def coverage(self, tokens: dict[str, float], clauses: list[Clause]) -> float:
        """Share of the question's weight (idf) found in the given clauses."""
        total = sum(tokens.values())
        if not total:
            return 1.0
        text = "".join(normalize(c.text) for c in clauses)
        return sum(w for t, w in tokens.items() if t in text) / total

    # --- composing -----------------------------------------------------------
    def _score_sentence(self, sentence: str, tokens: dict[str, float], intent: str) -> float:
        norm = normalize(sentence)
        score = sum(w for t, w in tokens.items() if t in norm)
        if intent == "figure" and _NUMBER.search(norm):
            score *= 1.5
        if intent == "date" and re.search(r"\d{4}\s*年|\d+月", norm):
            score *= 1.5
        return score / (1.0 + len(norm) / 400)  # prefer the sentence that says it briefly

    def _best_sentences(self, hits: list[Hit], tokens: dict[str, float], intent: str) -> list[tuple[float, str, Hit]]:
        ranked = []
        for rank, hit in enumerate(hits[:TOP_CLAUSES]):
            prior = 1.0 / (1.0 + 0.15 * rank)
            for sentence in split_sentences(hit.clause.text):
                ranked.append((self._score_sentence(sentence, tokens, intent) * prior, sentence, hit))
        return sorted(ranked, key=lambda r: -r[0])

    def _sentence_answer(self, state: dict) -> Answer:
        ranked = self._best_sentences(state["hits"], state["tokens"], state["intent"])
        chosen = ranked[:1]
        for score, sentence, hit in ranked[1:4]:
            if score >= 0.8 * chosen[0][0] and sentence not in {s for _, s, _ in chosen}:
                chosen.append((score, sentence, hit))
                break
        return self._assemble(state, [(s, h) for _, s, h in chosen])

    def _units_answer(self, state: dict) -> Answer:
        with_units = [h for h in state["hits"][:TOP_CLAUSES] if h.clause.units]
        if not with_units:
            return self._sentence_answer(state)
        hit = with_units[0]
        lead = hit.clause.path[-1] if hit.clause.path else ""
        unit_sentence = next((s for s in split_sentences(hit.clause.text) if "落实单位" in s or "落實單位" in s),
                             "落实单位：" + "、".join(hit.clause.units))
        answer = self._assemble(state, [(unit_sentence, hit)])
        answer.text = f"{lead}：{answer.text}" if lead else answer.text
        return answer

    def _per_document_answer(self, state: dict) -> Answer:
        doc_ids = state["filters"].allowed_documents(self.index) or list(self.index.documents)
        picks = []
        for doc_id in doc_ids:
            hits = self.retriever.search(state["question"], TOP_CLAUSES, Filters(doc_ids=(doc_id,)))
            ranked = self._best_sentences(hits, state["tokens"], "figure")
            if ranked and self.coverage(state["tokens"], [ranked[0][2].clause]) >= MIN_COVERAGE:
                picks.append((ranked[0][1], ranked[0][2]))
        if not picks:
            return self._sentence_answer(state)
        return self._assemble(state, picks, per_document=True)

    def _metadata_answer(self, state: dict) -> Answer:
        doc_ids = state["scope"].doc_ids or [h.clause.doc_id for h in state["hits"][:1]]
        parts = []
        for doc_id in doc_ids:
            document = self.index.documents[doc_id]
            clause = next((c for c in document.clauses if c.kind == "notice"), document.clauses[0])
            facts = [f"文号：{document.number or '文中未载明'}"]
            if document.issuer:
                facts.append(f"印发单位：{document.issuer}")
            if document.date:
                facts.append(f"日期：{document.date}")
            parts.append((f"《{document.title}》" + "；".join(facts) + "。", Hit(clause, 1.0, None, None)))
        return self._assemble(state, parts, quote=False)

    def _assemble(self, state: dict, picks: list[tuple[str, Hit]], *, per_document: bool = False,
                  quote: bool = True) -> Answer:
        citations: dict[str, Citation] = {}
        lines = []
        for sentence, hit in picks:
            citation = citations.get(hit.clause.id)
            if citation is None:
                citation = citations[hit.clause.id] = Citation(len(citations) + 1, hit.clause,
                                                               self.index.document_of(hit.clause), hit.score)
            if quote:
                citation.used.append(sentence)
            prefix = f"{citation.document.short_title}：" if per_document else ""
            lines.append(f"{prefix}{sentence}[{citation.n}]")
        return Answer(state["question"], "\n".join(lines) if per_document else "".join(lines),
                      False, list(citations.values()), state["intent"])
