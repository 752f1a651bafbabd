"""Answer stage: the retrieval chain and the extractive answerer (no LLM needed).

The answer is built from the best sentences of the retrieved clauses, each
followed by its citation [n]. What counts as "best" depends on what the
question asks for (a figure, responsible units, one line per document, a date,
the document's own metadata). When the corpus does not cover the question the
answerer abstains and shows the nearest clauses as related, not as an answer.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from langchain_core.runnables import RunnableLambda

from .documents import Clause, Document, paragraphs
from .genres import GENRES, PLAN, Genre
from .numerals import asked_measures, find_quantities
from .index import Index
from .retrieve import CANDIDATES, ClauseRetriever, Filters, Hit, HybridRetriever
from .text import known_places, normalize, split_sentences, tokenize, word_list

MAX_QUESTION_CHARS = 2000
NOT_FOUND = "未在文档中找到与该问题对应的内容。"
TOP_CLAUSES = 5
# 分别/各地 questions: at most this many documents get a line, chosen by the question's best clauses.
MAX_DOCUMENT_LINES = 10
# Abstention thresholds, set by measurement on eval/qa.jsonl (see eval/report.md):
# answer only when the best clauses hold enough of the question's distinctive words
# (idf-weighted share) or are close enough in meaning (cosine, multilingual-e5-small).
MIN_COVERAGE = 0.3
CLOSE_SIMILARITY = 0.91
MIN_SIMILARITY = 0.875
# A line per document must itself carry most of what the question asks about.
LINE_COVERAGE = 0.6

INTENTS = (  # checked in order; the first that matches wins
    ("topic", re.compile(r"(哪些|哪几个|哪个)(方案|文件|文档|计划|地方|地区)?.{0,6}?(提到|提及|涉及|提出了?(?!.*目标)|谈到)")),
    ("metadata", re.compile(r"文号|印发(?!的.{0,12}?(?:方案|文件|计划|规划))|发文|发布(机构|单位|部门|日期|时间)|成文|哪个部门(制定|发布)|哪(个|家)单位(发布|印发)"
                            r"|规划期|实施期|哪几年|起止年")),
    ("per_document", re.compile(r"分别|各地|各(个)?(方案|文件|文档|计划|区)|哪些(方案|文件|文档|计划|地方)|哪几个|对比|比较|相比")),
    ("units", re.compile(r"哪些单位|哪些部门|由谁|谁(来)?负责|落实单位|牵头|责任单位|负责单位|哪个部门负责")),
    ("date", re.compile(r"什么时候|何时|哪一年|哪年|哪个阶段|时间安排|日期|期限|起止")),
    ("figure", re.compile(r"多少|几(个|家|名|次|场|件|项|人)|目标(值)?是|数量|金额|比例|比重|增长|增幅|达到|规模")),
)
_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|(?!\d))")
_BODY_SUFFIX = re.compile(r"局|委员会|法院|检察院|协会|办公室|研究院")
_TOPIC_TERM = re.compile(r"(?:提到|提及|涉及|提出|谈到)了?(?P<term>.+)$")
_MARKED_SENTENCE = re.compile(r"([^\[\]\n]+?)((?:\[\d+\])+)")
_ASKS_MONEY = re.compile(r"多少(?:万|亿)?(?:美)?元")
_MONEY = re.compile(r"\d\s*(?:万|亿)?(?:美)?元")
_REFERS_ELSEWHERE = re.compile(r"根据|依据|按照")
_FRAGMENT_BREAK = re.compile(r"(?<=[，,；;：:、])")
_ASKS_TARGET = re.compile(r"目标|指标")
# "…机构数量的目标": the measure asks for a figure more than it names the topic; tables state it
# as a unit, 知识产权服务机构(家), so at full weight it would pull in any row that says 数量.
_MEASURE_WORDS = frozenset({"数量", "金额", "规模"})
MEASURE_WEIGHT = 0.3
# 文号 asked for alone (not with a date, issuer or period, which the document may still give)
_ASKS_NUMBER_ONLY = re.compile(r"^(?!.*(?:日期|哪天|时间|单位|部门|机关|规划期|哪几年)).*(?:文号|发文字号)")
_ISSUED = r"(?:印发|发布|出台|制定|成文)"  # "2022年印发的方案": the year names the document, not the figure


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message is for the user."""


@dataclass
class Citation:
    n: int
    clause: Clause
    document: Document
    score: float
    used: list[str] = field(default_factory=list)  # sentences of the clause the answer quotes
    links: list[tuple[str, Document]] = field(default_factory=list)  # documents the clause cites by title

    def to_dict(self) -> dict:
        return {"n": self.n, "doc_id": self.document.id, "doc_title": self.document.title,
                "doc_number": self.document.number, "clause_id": self.clause.id,
                "path": list(self.clause.path), "page": self.clause.page, "text": self.clause.text,
                "score": round(self.score, 6), "provenance": self.document.provenance,
                "links": [{"cited": cited, "doc_id": d.id, "doc_title": d.title} for cited, d in self.links]}


@dataclass
class Check:
    """How one answer sentence stands against the clauses it cites."""
    sentence: str
    status: str            # supported | contradicted | conflicting | not_found
    citations: list[int]
    reason: str = ""

    def to_dict(self) -> dict:
        record = {"sentence": self.sentence, "status": self.status, "citations": self.citations}
        if self.status == "conflicting":  # which clauses disagree: the reader has to choose
            record["reason"] = self.reason
        return record


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Citation]
    intent: str = "general"
    mode: str = "extractive"
    checks: list[Check] = field(default_factory=list)
    notice: str = ""       # e.g. why the generative answer fell back to this one

    def to_dict(self) -> dict:
        record = {"question": self.question, "answer": self.text, "abstained": self.abstained,
                  "citations": [c.to_dict() for c in self.citations], "mode": self.mode,
                  "checks": [c.to_dict() for c in self.checks]}
        if self.notice:
            record["notice"] = self.notice
        return record


def check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise QuestionError("问题为空：请输入一个问题。")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"问题过长（{len(question)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。")
    if _LONE_SURROGATE.search(question):  # bytes that were not UTF-8 (a shell's or file's other encoding)
        raise QuestionError("问题含有无法识别的字符（不是 UTF-8 编码），请检查后重新输入。")
    return question


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def classify(question: str) -> str:
    norm = normalize(question)
    return next((name for name, pattern in INTENTS if pattern.search(norm)), "general")


@functools.lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """How questions are phrased (哪些, 分别, 目标 …): no evidence of what they are about."""
    return word_list("question_words.txt")


class Scope:
    """What the question itself says about where to look: named documents, years,
    and any place or body that no document mentions."""

    def __init__(self, question: str, index: Index, corpus_text: str) -> None:
        norm = normalize(question)
        self.doc_ids = [d.id for d in index.documents.values() if _names_document(norm, d)]
        # Once the search is limited to the named documents, their place names no longer tell
        # clauses apart; left in, they pull up whichever clause repeats the name (the notice).
        self.query = norm
        for doc_id in self.doc_ids:
            for name in index.documents[doc_id].names:
                self.query = re.sub(re.escape(name) + r"(?:新区|区|市|县)?", " ", self.query)
        self.years = [int(y) for y in _YEAR.findall(norm)]
        self.unknown = [p for p in known_places() if p in norm and p not in corpus_text]
        self.unknown += [b for b in _bodies(norm) if b not in corpus_text]

    def year_outside(self, index: Index) -> int | None:
        """A year the question asks about that no plan in scope covers or even mentions."""
        documents = [index.documents[d] for d in self.doc_ids] or list(index.documents.values())
        for year in self.years:
            in_period = any(d.period and d.period[0] <= year <= d.period[1] for d in documents)
            mentioned = any(f"{year}年" in normalize(c.text) for d in documents for c in d.clauses)
            if not (in_period or mentioned):
                return year
        return None


def _bodies(norm_question: str) -> list[str]:
    """Names of bodies (…局, …法院) in the question, each as its shortest distinctive
    form (two characters before the suffix): 国家版权局 → 版权局. A name is a word that ends
    in the suffix (版权局), not whatever stands before it (可以去法院, 说不清楚，法院)."""
    names = {t for t in tokenize(norm_question) if (m := _BODY_SUFFIX.search(t)) and m.end() == len(t)
             and m.start() >= 2}
    return sorted({name[_BODY_SUFFIX.search(name).start() - 2:] for name in names})


def quotable_units(clause: Clause, intent: str, genre: Genre = PLAN) -> list[str]:
    """The pieces of a clause an answer may quote verbatim: its sentences (a table row
    whole; a law's paragraphs too, which state a rule with its conditions); for figures and
    dates also the comma-separated parts of long sentences, so that the answer is the part
    that carries the figure."""
    if clause.kind == "table_row":
        return [clause.text]
    sentences = split_sentences(clause.text)
    if genre.name_paragraphs:
        sentences = list(dict.fromkeys(paragraphs(clause.text, genre) + sentences))
    if intent not in ("figure", "date", "per_document"):
        return sentences
    parts = [p.strip().rstrip("，,；;") for s in sentences if len(s) > 60
             for p in _FRAGMENT_BREAK.split(s) if _NUMBER.search(p)]
    return sentences + [p for p in parts if len(p) >= 6]


def topic_terms(question: str) -> list[str]:
    """The term(s) a "which documents mention X" question is about: X, its parenthesised
    alternative, and each side of 或 (与WIPO（世界知识产权组织）的合作 → WIPO, 世界知识产权组织)."""
    found = _TOPIC_TERM.search(question.strip().rstrip("？?。！!"))
    if not found:
        return []
    term = found.group("term")
    parts = [re.sub(r"[（(].+?[)）]", "", term), *re.findall(r"[（(](.+?)[)）]", term)]
    terms = []
    for part in parts:
        for alternative in re.split(r"或者|或|以及", part):
            alternative = re.sub(r"^(与|对|关于|有关)", "", alternative.strip(" “”\"'「」《》"))
            alternative = alternative.split("的")[0]
            if len(alternative) >= 2:
                terms.append(alternative)
    return terms


def split_marked(text: str) -> list[tuple[str, list[int]]]:
    """Answer text → (sentence, citation numbers) pairs."""
    return [(m.group(1).strip(), [int(n) for n in re.findall(r"\d+", m.group(2))])
            for m in _MARKED_SENTENCE.finditer(text)]


def _asks_target(state: dict) -> bool:
    return bool(_ASKS_TARGET.search(normalize(state["question"])))


def _redundant(candidate: str, chosen: str) -> bool:
    """Whether a second sentence would only repeat the first (e.g. a table row
    restating a goal): one contains the other, or they carry the same figures."""
    a, b = normalize(candidate), normalize(chosen)
    figures = set(re.findall(r"\d+(?:\.\d+)?", a))
    return a in b or b in a or (bool(figures) and figures <= set(re.findall(r"\d+(?:\.\d+)?", b)))


def _sentence_at(text: str, offset: int) -> str:
    """The sentence of `text` that contains the character at `offset`."""
    at = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, at)
        if at <= offset < at + len(sentence):
            return sentence
        at += len(sentence)
    return text


def _year_not_given(norm_question: str, years: list[int], text: str, clauses: list[Clause]) -> int | None:
    """A year the question asks a figure for, while the chosen sentences give figures for
    other years only (2023年实现值 … 2026年目标值 answers neither 2024 nor 2025)."""
    stated = {int(y) for y in _YEAR.findall(normalize(text))}
    if not stated:
        return None  # a figure with no year of its own is read under its heading's year
    context = "".join(normalize(" ".join(c.path) + c.text) for c in clauses)
    asked = [y for y in years if not re.search(fr"{y}\s*年?\S{{0,3}}{_ISSUED}", norm_question)]
    return next((y for y in asked if y not in stated and f"{y}" not in context), None)


def _states_measure(text: str, measures: frozenset[str]) -> bool:
    return any(q.measure in measures for q in find_quantities(normalize(text)))


def _lacks_asked_quantity(question: str, norm_text: str, picks: list[tuple[str, "Hit"]]) -> bool:
    """The question asks for a quantity of some measure (多少年, 罚多少钱, 什么比例) and the chosen
    text states none: 保护多少年 is not answered by a sentence without a number of years. A table
    row names its unit in the column label, so its cells are taken as stating it."""
    measures = asked_measures(normalize(question))
    if not measures or any(hit.clause.kind == "table_row" for _, hit in picks):
        return False
    return not _states_measure(norm_text, measures)


def chinese_date(iso: str) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


def metadata_sentence(document: Document) -> str:
    facts = [f"文号：{document.number or '文中未载明'}"]
    if document.issuer:
        facts.append(f"印发单位：{document.issuer}")
    if document.date:
        facts.append(f"日期：{chinese_date(document.date)}")
    if document.period:
        facts.append(f"规划期：{document.period[0]}—{document.period[1]}年")
    return f"《{document.title}》" + "；".join(facts) + "。"


def _names_document(norm_question: str, document: Document) -> bool:
    return any(name in norm_question for name in document.names)


class Answerer:
    """Question → Answer, through a LangChain chain: analyse | retrieve | compose."""

    def __init__(self, index: Index, retriever: HybridRetriever, *, topics=None, verifier=None) -> None:
        self.index = index
        self.retriever = retriever
        self.topics = topics        # TopicSearch: answers "which documents mention X"
        self.verifier = verifier    # Verifier: checks every answer sentence against its clauses
        self.chain = RunnableLambda(self._analyse) | RunnableLambda(self._retrieve) | RunnableLambda(self._compose)

    @functools.cached_property
    def _corpus_text(self) -> str:
        return "\n".join(self.index.search_texts) + "\n".join(
            normalize(f"{d.title} {d.issuer or ''} {d.region or ''}") for d in self.index.documents.values())

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        return self.chain.invoke({"question": check_question(question), "filters": filters or Filters()})

    def prepare(self, question: str, filters: Filters | None = None) -> dict:
        """The analysed question and its retrieved clauses, for answerers that compose
        differently (assistant.llm): the chain state (question, filters, scope, intent,
        tokens, hits) plus `abstain_reason`, non-empty when this answerer would abstain
        before composing (place or year not covered, weak retrieval)."""
        state = self._retrieve(self._analyse({"question": check_question(question), "filters": filters or Filters()}))
        return {**state, "abstain_reason": self._abstain_reason(state)}

    # --- chain steps -------------------------------------------------------
    def _analyse(self, state: dict) -> dict:
        question = state["question"]
        scope = Scope(question, self.index, self._corpus_text)
        filters: Filters = state["filters"]
        if scope.doc_ids and not filters.doc_ids:
            filters = Filters(tuple(scope.doc_ids), filters.region, filters.year)
        intent = classify(question)
        if len(scope.doc_ids) > 1 and intent not in ("metadata", "units"):
            intent = "per_document"  # naming several places asks for one line each
        return {**state, "scope": scope, "filters": filters, "intent": intent,
                "tokens": self._weighted_tokens(question)}

    def _retrieve(self, state: dict) -> dict:
        retriever = ClauseRetriever(retriever=self.retriever, k=TOP_CLAUSES * 2, filters=state["filters"],
                                    keyword_query=state["scope"].query)
        found = retriever.invoke(state["question"])
        by_id = self.index.clause_by_id
        hits = [Hit(by_id[d.metadata["clause_id"]], d.metadata["score"], d.metadata["similarity"],
                    d.metadata["keyword"]) for d in found]
        return {**state, "hits": hits}

    def _compose(self, state: dict) -> Answer:
        reason = self._abstain_reason(state)
        if reason:
            return self._abstain(state, reason)
        compose = {"metadata": self._metadata_answer, "per_document": self._per_document_answer,
                   "units": self._units_answer, "topic": self._topic_answer}.get(state["intent"], self._sentence_answer)
        answer = compose(state)
        if self.verifier and not answer.abstained and state["intent"] != "metadata":  # metadata is not quoted
            answer.checks = self.check(answer)
        return answer

    def check(self, answer: Answer) -> list[Check]:
        """Run every answer sentence through the verifier against the clauses it cites."""
        by_number = {c.n: c.clause for c in answer.citations}
        checks = []
        for sentence, numbers in split_marked(answer.text):
            result = self.verifier.check(sentence, [by_number[n] for n in numbers if n in by_number])
            checks.append(Check(sentence, result.status, numbers, result.reason))
        return checks

    # --- abstention ----------------------------------------------------------
    def _abstain(self, state: dict, reason: str) -> Answer:
        """Say plainly that the corpus does not answer, and show the nearest clauses as related."""
        related = [Citation(i + 1, h.clause, self.index.document_of(h.clause), h.score)
                   for i, h in enumerate(state["hits"][:3])]
        return Answer(state["question"], f"{NOT_FOUND}{reason}", True, related, state["intent"])

    def _abstain_reason(self, state: dict) -> str:
        scope: Scope = state["scope"]
        if scope.unknown:
            return f"文档中没有涉及“{'、'.join(scope.unknown)}”的内容。"
        year = scope.year_outside(self.index)
        if year:
            return f"没有文档的规划期包含 {year} 年。"
        if not state["hits"] or state["intent"] == "metadata":
            return ""
        coverage = self.coverage(state["tokens"], [h.clause for h in state["hits"][:3]])
        similarities = [h.similarity for h in state["hits"] if h.similarity is not None]
        if not similarities:  # keyword-only retrieval: words are the only evidence
            return "检索到的条款与问题关联度不足。" if coverage < MIN_COVERAGE else ""
        similarity = max(similarities)
        if similarity < MIN_SIMILARITY or (coverage < MIN_COVERAGE and similarity < CLOSE_SIMILARITY):
            return "检索到的条款与问题关联度不足。"
        return ""

    def _unanswered_figure(self, state: dict, picks: list[tuple[str, Hit]]) -> str:
        """A question for a figure that the chosen sentences do not give is not answered by them."""
        text = normalize("".join(sentence for sentence, _ in picks))  # 二十年 is a number too
        if _ASKS_MONEY.search(normalize(state["question"])) and not _MONEY.search(text):
            return "文档未给出该金额。"
        if _lacks_asked_quantity(state["question"], text, picks):
            return "文档未给出所问的数值。"
        if state["intent"] != "figure":
            return ""
        if not _NUMBER.search(text):
            return "文档未给出具体数值。"
        year = _year_not_given(normalize(state["question"]), state["scope"].years, text,
                               [hit.clause for _, hit in picks])
        return f"文档未给出 {year} 年的数值（条款给出的是其他年份的数值）。" if year else ""

    def _weighted_tokens(self, question: str) -> dict[str, float]:
        words = {t for t in tokenize(normalize(question)) if len(t) > 1 or t.isdigit()} - question_words()
        return {t: self.index.idf.of(t) * (MEASURE_WEIGHT if t in _MEASURE_WORDS else 1.0)
                for t in words if t not in self._region_names}

    @functools.cached_property
    def _region_names(self) -> str:
        """Every document's region, one per line: a place name says where, not what."""
        return "\n".join(normalize(d.region or "") for d in self.index.documents.values())

    def coverage(self, tokens: dict[str, float], evidence: list[Clause | str]) -> float:
        """Share of the question's weight (idf) found in the given clauses (with their
        headings) or sentences."""
        total = sum(tokens.values())
        if not total:
            return 1.0
        text = "".join(normalize(e if isinstance(e, str) else " ".join(e.path) + e.text) for e in evidence)
        return sum(w for t, w in tokens.items() if t in text) / total

    # --- composing -----------------------------------------------------------
    def _score_sentence(self, sentence: str, tokens: dict[str, float], intent: str,
                        measures: frozenset[str] = frozenset(), brief: bool = True) -> float:
        norm = normalize(sentence)
        score = sum(w for t, w in tokens.items() if t in norm)
        if measures and any(q.measure in measures for q in find_quantities(norm)):
            score *= 2.0  # the quantity the question asks for (多少年 → …15年)
        elif intent == "figure" and _NUMBER.search(norm):
            score *= 1.5
        if intent == "date" and re.search(r"\d{4}\s*年|\d+月", norm):
            score *= 1.5
        # prefer the sentence that says it briefly; a law's paragraph is one rule with its conditions
        return score / (1.0 + len(norm) / 400) if brief else score

    def _best_sentences(self, hits: list[Hit], tokens: dict[str, float], intent: str,
                        asks_target: bool = False, measures: frozenset[str] = frozenset()) -> list[tuple[float, str, Hit]]:
        ranked = []
        for rank, hit in enumerate(hits[:TOP_CLAUSES]):
            prior = 1.0 / (1.0 + 0.15 * rank)
            if asks_target and _ASKS_TARGET.search(" ".join(hit.clause.path)):
                prior *= 1.3  # targets are stated in the 目标 sections and 指标 tables
            genre = GENRES[self.index.document_of(hit.clause).genre]
            whole = set(paragraphs(hit.clause.text, genre)) if genre.name_paragraphs else set()
            for unit in quotable_units(hit.clause, intent, genre):
                score = self._score_sentence(unit, tokens, intent, measures, brief=unit not in whole)
                ranked.append((score * prior, unit, hit))
        return sorted(ranked, key=lambda r: -r[0])

    def _sentence_answer(self, state: dict) -> Answer:
        measures = asked_measures(normalize(state["question"]))
        ranked = self._best_sentences(state["hits"], state["tokens"], state["intent"], _asks_target(state), measures)
        chosen = ranked[:1]
        for score, sentence, hit in ranked[1:4]:
            if score >= 0.8 * chosen[0][0] and not _redundant(sentence, chosen[0][1]):
                chosen.append((score, sentence, hit))
                break
        if measures and chosen and not _states_measure(" ".join(s for _, s, _ in chosen), measures):
            # the figure asked for may stand in another sentence of the clause that answers (罚多少 → its penalty paragraph)
            same_clause = [r for r in ranked if r[2].clause.id == chosen[0][2].clause.id and _states_measure(r[1], measures)]
            chosen += same_clause[:1]
        reason = self._unanswered_figure(state, [(s, h) for _, s, h in chosen])
        if reason:
            return self._abstain(state, reason)
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
        if len(doc_ids) > MAX_DOCUMENT_LINES:  # a search per document would not scale to thousands
            best = self.retriever.search(state["question"], CANDIDATES, state["filters"])
            doc_ids = list(dict.fromkeys(h.clause.doc_id for h in best))[:MAX_DOCUMENT_LINES]
        wants_figure = bool(INTENTS[-1][1].search(normalize(state["question"])))
        picks = []
        for doc_id in doc_ids:
            hits = self.retriever.search(state["question"], TOP_CLAUSES, Filters(doc_ids=(doc_id,)),
                                         state["scope"].query)
            ranked = [r for r in self._best_sentences(hits, state["tokens"], "figure", _asks_target(state))
                      if not wants_figure or _NUMBER.search(r[1])]
            if ranked and self.coverage(state["tokens"], [ranked[0][1]]) >= LINE_COVERAGE:
                picks.append((ranked[0][1], ranked[0][2]))
        if not picks:
            return self._sentence_answer(state)
        return self._assemble(state, picks, per_document=True)

    def _topic_answer(self, state: dict) -> Answer:
        """One line per document that mentions the term, quoting the first mention."""
        terms = topic_terms(state["question"])
        if not (self.topics and terms):
            return self._per_document_answer(state)
        first_mention: dict[str, tuple[str, Clause]] = {}
        for term in terms:
            for document in self.topics.search(term).documents:
                mention = next((c for c in document.clauses if c.match != "related"), None)
                if mention and document.doc_id not in first_mention:
                    clause = self.index.clause_by_id[mention.clause_id]
                    first_mention[document.doc_id] = (_sentence_at(clause.text, mention.spans[0][0]), clause)
        allowed = state["filters"].allowed_documents(self.index)
        picks = [(sentence, Hit(clause, 1.0, None, None)) for doc_id, (sentence, clause) in first_mention.items()
                 if allowed is None or doc_id in allowed]
        if not picks:
            return self._abstain(state, f"没有文档提到“{'、'.join(terms)}”。")
        return self._assemble(state, picks, per_document=True)

    def _metadata_answer(self, state: dict) -> Answer:
        if _REFERS_ELSEWHERE.search(state["question"]):  # about a document the plan cites, not the plan
            return self._sentence_answer(state)
        doc_ids = state["scope"].doc_ids or [h.clause.doc_id for h in state["hits"][:1]]
        if _ASKS_NUMBER_ONLY.search(normalize(state["question"])) and not any(
                self.index.documents[d].number for d in doc_ids):  # the rest of the metadata does not answer it
            return self._abstain(state, "文档中未载明文号。")
        picks = []
        for doc_id in doc_ids:
            document = self.index.documents[doc_id]
            source = next((c for c in document.clauses if c.kind == "notice"), document.clauses[0])
            picks.append((metadata_sentence(document), Hit(source, 1.0, None, None)))
        return self._assemble(state, picks, quote=False)

    def _assemble(self, state: dict, picks: list[tuple[str, Hit]], *, per_document: bool = False,
                  quote: bool = True) -> Answer:
        citations: dict[str, Citation] = {}
        lines = []
        for sentence, hit in picks:
            citation = citations.get(hit.clause.id)
            if citation is None:
                citation = citations[hit.clause.id] = Citation(len(citations) + 1, hit.clause,
                                                               self.index.document_of(hit.clause), hit.score,
                                                               links=self.index.cited_documents(hit.clause))
            if quote:
                citation.used.append(sentence)
            prefix = f"{citation.document.short_title}：" if per_document else ""
            lines.append(f"{prefix}{sentence}[{citation.n}]")
        return Answer(state["question"], "\n".join(lines) if per_document else "".join(lines),
                      False, list(citations.values()), state["intent"])
