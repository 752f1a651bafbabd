"""Question analysis: what a question asks for and where it points, as one `Query`.

The stage before retrieval: the checks a question must pass (`check_question`),
its intent (a figure, units, one line per document, …), its scope (the documents
and years it names, any place or body no document mentions) and its topic words
weighted by how distinctive they are in the corpus.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .documents import Document
from .index import Index
from .text import known_places, normalize, place_key, tokenize, word_list

MAX_QUESTION_CHARS = 2000

INTENTS = (  # checked in order; the first that matches wins
    ("topic", re.compile(r"(哪些|哪几个|哪个)(方案|文件|文档|计划|地方|地区)?.{0,6}?(提到|提及|涉及|提出了?(?!.*目标)|谈到)")),
    ("metadata", re.compile(r"文号|印发(?!的.{0,12}?(?:方案|文件|计划|规划))|发文|发布(机构|单位|部门|日期|时间)|成文|哪个部门(制定|发布)|哪(个|家)单位(发布|印发)"
                            r"|规划期|实施期|哪几年|起止年")),
    ("per_document", re.compile(r"分别|各地|各(个)?(方案|文件|文档|计划|区)|哪些(方案|文件|文档|计划|地方)|哪几个|对比|比较|相比")),
    ("units", re.compile(r"哪些单位|哪些部门|由谁|谁(来)?负责|落实单位|牵头|责任单位|负责单位|哪个部门负责")),
    ("date", re.compile(r"什么时候|何时|哪一年|哪年|哪个阶段|时间安排|日期|期限|起止")),
    ("figure", re.compile(r"多少|几(个|家|名|次|场|件|项|人)|目标(值)?是|数量|金额|比例|比重|增长|增幅|达到|规模")),
)
FIGURE_PATTERN = INTENTS[-1][1]
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|(?!\d))")
ISSUED = r"(?:印发|发布|出台|制定|成文)"  # "2022年印发的方案": the year names the document, not the figure
_BODY_SUFFIX = re.compile(r"局|委员会|法院|检察院|协会|办公室|研究院")
_TOPIC_TERM = re.compile(r"(?:提到|提及|涉及|提出|谈到)了?(?P<term>.+)$")
# "…机构数量的目标": the measure asks for a figure more than it names the topic; tables state it
# as a unit, 知识产权服务机构(家), so at full weight it would pull in any row that says 数量.
_MEASURE_WORDS = frozenset({"数量", "金额", "规模"})
MEASURE_WEIGHT = 0.3


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message is for the user."""


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
def question_words() -> frozenset[str]:
    """How questions are phrased (哪些, 分别, 目标 …): no evidence of what they are about."""
    return word_list("question_words.txt")


def names_document(norm_question: str, document: Document) -> bool:
    key = place_key(document.region)
    return bool(key) and key in norm_question


class Scope:
    """What the question itself says about where to look: named documents, years,
    and any place or body that no document mentions."""

    def __init__(self, question: str, index: Index, corpus_text: str) -> None:
        norm = normalize(question)
        self.doc_ids = [d.id for d in index.documents.values() if names_document(norm, d)]
        # Once the search is limited to the named documents, their place names no longer tell
        # clauses apart; left in, they pull up whichever clause repeats the name (the notice).
        self.query = norm
        for doc_id in self.doc_ids:
            key = place_key(index.documents[doc_id].region)
            self.query = re.sub(re.escape(key) + r"(?:新区|区|市|县)?", " ", self.query)
        self.years = [int(y) for y in YEAR.findall(norm)]
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
    form (two characters before the suffix): 国家版权局 → 版权局."""
    return [norm_question[max(0, m.start() - 2):m.end()] for m in _BODY_SUFFIX.finditer(norm_question)
            if m.start() >= 2]


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


@dataclass
class Query:
    """One analysed question: everything later stages need to know about it."""
    text: str                    # as asked, checked
    norm: str                    # normalised, for matching
    intent: str                  # figure | units | per_document | date | metadata | topic | general
    scope: Scope
    tokens: dict[str, float]     # topic words → weight (idf; measure words less)


class QuestionAnalyser:
    """Question → Query, against one index (its documents, vocabulary and idf)."""

    def __init__(self, index: Index) -> None:
        self.index = index

    @functools.cached_property
    def corpus_text(self) -> str:
        return "\n".join(self.index.search_texts) + "\n".join(
            normalize(f"{d.title} {d.issuer or ''} {d.region or ''}") for d in self.index.documents.values())

    @functools.cached_property
    def region_names(self) -> str:
        """Every document's region, one per line: a place name says where, not what."""
        return "\n".join(normalize(d.region or "") for d in self.index.documents.values())

    def analyse(self, question: str) -> Query:
        scope = Scope(question, self.index, self.corpus_text)
        intent = classify(question)
        if len(scope.doc_ids) > 1 and intent not in ("metadata", "units"):
            intent = "per_document"  # naming several places asks for one line each
        return Query(question, normalize(question), intent, scope, self.weighted_tokens(question))

    def weighted_tokens(self, question: str) -> dict[str, float]:
        words = {t for t in tokenize(normalize(question)) if len(t) > 1 or t.isdigit()} - question_words()
        return {t: self.index.idf.of(t) * (MEASURE_WEIGHT if t in _MEASURE_WORDS else 1.0)
                for t in words if t not in self.region_names}
