"""Retrieve stage: dense (Chroma), keyword (BM25) and their fusion, with optional filters.

`ClauseRetriever` exposes the hybrid search as a LangChain `BaseRetriever`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .embedders import Embedder
from .index import Index
from .model import Clause
from .numerals import asks_penalty, find_quantities, preferred_measures
from .text import ADDRESS, ASKS_ADDRESS, _jieba, defined_terms, defines, normalize, tokenize
from .thesaurus import Thesaurus, categories
from .topics import Synonyms

CANDIDATES = 40  # from each ranker, before fusion
# Fused-score bonus of a clause stating the kind of quantity a question asks for, chosen on the
# train split of eval/laws: of 0, 0.1, 0.2 and 0.3, 0.1 raised facts and hit@1 without losing
# refusals (0.2 and 0.3 answered more of the unanswerable questions).
QUANTITY_WEIGHT = 0.1
# Likewise for a clause defining the term a question asks the meaning of; on the same split,
# facts 0.709 / 0.709 / 0.727 / 0.745 with 0 / 0.1 / 0.2 / 0.3, refusals unchanged. Raised later on the
# laws-train dev split (retrieval hit@1 +1 at 0.4 to 1.0, facts and refusals unchanged) to 0.7, the
# smallest weight at which every right 著作权法 第十条 defines, asked X是什么权利 or X是什么意思, finds its
# definition first (short clauses that only name the right win at 0.3: 10 of 32 missed, 2 at 0.5).
DEFINITION_WEIGHT = 0.7
# The fusion trusts more, question by question, the ranker that is surer of its first clause
# (see margin_shift). Chosen on the train splits of both sets (retrieval hit@1, laws + plans train,
# 148 of 215 at 0): 0.25 → 150, 0.5 → 149, 1.0 → 144; held out, laws `test` +1 item, plans `test` =.
MARGIN_SHIFT = 0.25
KEYWORD_WEIGHT_RANGE = (0.3, 0.9)
# What a looser synonym from the general thesaurus counts for in BM25, against the question's own word
# (not fitted: 0.3, 0.5 and 0.7 gave the same answers on both sets' `train` items).
RELATED_WEIGHT = 0.5


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] = ()
    region: str | None = None
    year: int | None = None
    # Not a filter: the clauses a conversation's last answer cited, offered to the answer after the
    # retrieved ones (see Answerer._carried).
    carried: tuple[str, ...] = ()

    def allowed_documents(self, index: Index) -> list[str] | None:
        """Ids of the documents that pass, or None when nothing is filtered."""
        if not (self.doc_ids or self.region or self.year):
            return None
        region = normalize(self.region) if self.region else None
        return [d.id for d in index.documents.values()
                if (not self.doc_ids or d.id in self.doc_ids)
                and (region is None or region in normalize(d.region or d.title))
                and (self.year is None or (d.period and d.period[0] <= self.year <= d.period[1]))]


class Hit(NamedTuple):
    clause: Clause
    score: float                 # fused score, higher is better
    similarity: float | None     # cosine similarity of the dense match, if any
    keyword: float | None        # BM25 score, if any


MODES = ("hybrid", "dense", "keyword")


class HybridRetriever:
    """Dense and keyword rankings fused by a convex combination of their normalised
    scores. `mode` keeps one ranking only, for the baselines the evaluation compares against.

    Fusion chosen by measurement on the 108 questions of eval/qa.jsonl that have gold
    clauses (hit@1 / MRR, retrieval only): dense only 0.38 / 0.52, BM25 only 0.67 / 0.80,
    reciprocal rank fusion (k=60) 0.51 / 0.67, convex with keyword weight 0.7: 0.70 / 0.83.
    The dense ranking alone is weak on these documents (a small 4-bit model, long
    clauses) but rescues paraphrases that share no words with the text."""

    def __init__(self, index: Index, embedder: Embedder, *, mode: str = "hybrid",
                 keyword_weight: float = 0.7, quantity_weight: float = QUANTITY_WEIGHT,
                 definition_weight: float = DEFINITION_WEIGHT) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}: one of {', '.join(MODES)}")
        self.index = index
        self.embedder = embedder
        self.mode = mode
        self.keyword_weight = keyword_weight
        self.quantity_weight = quantity_weight
        self.definition_weight = definition_weight
        self.synonyms = Synonyms.load().for_documents(index.occurrences)
        self.thesaurus = Thesaurus.load()
        self._embed_query = functools.lru_cache(maxsize=512)(self._embed_query_uncached)

    def _embed_query_uncached(self, question: str) -> np.ndarray:
        return self.embedder.embed([normalize(question)], query=True)[0]

    def dense(self, question: str, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        documents = self.index.documents
        within = {d: [c.id for c in documents[d].clauses] for d in doc_ids if d in documents} \
            if doc_ids is not None else None
        if within == {}:
            return []
        found = self.index.vectors.search(self._embed_query(question), k, within)
        by_id = self.index.clause_by_id
        return [Hit(by_id[h.clause_id], h.similarity, h.similarity, None) for h in found if h.clause_id in by_id]

    def keyword(self, question: str, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        """BM25 over the question's words and the other names of the things it names: a
        question about 版权 finds the articles of 著作权法, which say 著作权."""
        return self._keyword_ranking(question, k, doc_ids)[0]

    def question_keyword_weight(self, dense: list[Hit], keyword: list[Hit]) -> float:
        """The keyword weight for one question: moved towards the ranker that is surer of its first
        clause (`margin_shift`, scaled by MARGIN_SHIFT), within KEYWORD_WEIGHT_RANGE."""
        low, high = KEYWORD_WEIGHT_RANGE
        return min(high, max(low, self.keyword_weight + MARGIN_SHIFT * margin_shift(dense, keyword)))

    def _keyword_ranking(self, question: str, k: int, doc_ids: list[str] | None) -> tuple[list[Hit], np.ndarray]:
        """The k best clauses by BM25, and every clause's score (aligned with the index's clauses)."""
        allowed = self.index.clause_mask(doc_ids) if doc_ids is not None else None
        norm = normalize(question)
        alternatives = [(tokenize(own), tokenize(other)) for own, other in self.synonyms.missing_equivalents(norm)]
        tokens = tokenize(norm)
        alternatives += [([t], tokenize(form)) for t in dict.fromkeys(tokens) for form in self.expanded_forms(t)]
        # an everyday word's reading in the law's words (牌子 → 商标) is looser than another name of one thing,
        # and not added to one the word has already (非遗, whose full form is 非物质文化遗产)
        named = {tuple(own) for own, _ in alternatives}
        related = [([t], [[s] for s in synonyms]) for t, synonyms in self.related_words(tokens)] \
            + [(own, [tokenize(name) for name in names]) for word, names in self.synonyms.everyday_in(norm)
               if tuple(own := tokenize(word)) not in named]
        scores = self.index.keywords.scores_with(tokens, alternatives, allowed, related, RELATED_WEIGHT)
        by_id = self.index.clause_by_id
        hits = [Hit(by_id[h.clause_id], h.score, None, h.score) for h in self.index.keywords.top(scores, k)
                if h.clause_id in by_id]
        return hits, scores

    def expanded_forms(self, token: str) -> tuple[str, ...]:
        """The full form of an abbreviation no clause uses and no dictionary knows (营收 → 营业收入)."""
        unknown = token not in self.index.keywords.term_ids and not _jieba().get_FREQ(token)
        return self.index.abbreviation_forms(token) if unknown else ()

    def related_words(self, tokens: list[str]) -> list[tuple[str, list[str]]]:
        """Each question word that no clause uses, with the thesaurus's synonyms of it that some
        clause does use (抵押 → 质押): the question's words in the documents' vocabulary. And each kind of
        thing the question names with its category, unless the question names that too: a clause saying
        知识产权 speaks of the 专利 asked about, if less surely than one saying 专利."""
        terms = self.index.keywords.term_ids
        related = ((t, list(self.thesaurus.synonyms_in(t, terms))) for t in dict.fromkeys(tokens) if t not in terms)
        kinds = ((t, [category]) for t in dict.fromkeys(tokens)
                 if (category := categories().get(t)) and category not in tokens and category in terms)
        return [(t, synonyms) for t, synonyms in related if synonyms] + list(kinds)

    def search(self, question: str, k: int = 8, filters: Filters | None = None,
               keyword_query: str | None = None) -> list[Hit]:
        """`keyword_query`, if given, replaces the question for BM25 only (words the filters
        already settle, such as a named document's place, would skew its ranking)."""
        doc_ids = (filters or Filters()).allowed_documents(self.index)
        dense = self.dense(question, CANDIDATES, doc_ids) if self.mode != "keyword" else []
        keyword = []
        if self.mode != "dense":
            keyword, scores = self._keyword_ranking(keyword_query or question, CANDIDATES, doc_ids)
            if self.mode == "hybrid":
                keyword += self._scored_elsewhere(dense, keyword, scores)
        norm = normalize(question)
        fused = self.fuse(dense, keyword)
        if asks_penalty(norm):
            fused = self.penalties_rank_with_their_duties(fused)
        return self.prefer_answer_shape(fused, norm)[:k]

    def _scored_elsewhere(self, dense: list[Hit], keyword: list[Hit], scores: np.ndarray) -> list[Hit]:
        """The dense candidates BM25 ranked below its top, with their own BM25 scores: a clause
        outside one ranker's cut-off is fused with what that ranker gives it, not with nothing
        (laws `train` hit@1 unchanged, `test` +1 item; the plans unchanged)."""
        ranked = {hit.clause.id for hit in keyword}
        own = {hit.clause.id: float(scores[self.index.position[hit.clause.id]]) for hit in dense
               if hit.clause.id not in ranked}
        return [Hit(hit.clause, own[hit.clause.id], None, own[hit.clause.id]) for hit in dense
                if own.get(hit.clause.id, 0.0) > 0]

    def penalties_rank_with_their_duties(self, hits: list[Hit]) -> list[Hit]:
        """A law sets a duty in one article and punishes its breach in another that cites it by number
        (第八十四条: 违反本法第四十五条规定…处五万元以上五十万元以下的罚款): asked how a breach is punished,
        an article punishing the breach of a retrieved article of its own law ranks at least as high as
        that article, which holds the question's words while the penalty article holds the answer."""
        score_of: dict[tuple[str, int], float] = {}
        for hit in hits:
            number = article_number(hit.clause)
            if number is not None:
                score_of.setdefault((hit.clause.doc_id, number), hit.score)
        texts, position = self.index.search_texts, self.index.position

        def raised(hit: Hit) -> Hit:
            cited = [score_of.get((hit.clause.doc_id, n), 0.0) for n in breached_articles(texts[position[hit.clause.id]])]
            return hit._replace(score=max(hit.score, *cited)) if cited else hit

        return sorted(map(raised, hits), key=lambda h: -h.score)  # stable: of two raised alike, the better own first

    def prefer_answer_shape(self, hits: list[Hit], norm_question: str) -> list[Hit]:
        """Clauses shaped like the answer asked for gain a bonus, since their words may differ
        from the question's: a quantity of the asked measure (保护多少年 → 期限为十五年), or a street
        when one is asked (集中在哪条街 → 漕溪北路), gains `quantity_weight`; a definition of the asked
        term (X是什么意思 → X,是指…) `definition_weight`."""
        measures, terms = preferred_measures(norm_question), defined_terms(norm_question)
        asks_address = bool(ASKS_ADDRESS.search(norm_question))
        if not (measures or terms or asks_address):
            return hits
        texts, position = self.index.search_texts, self.index.position

        def bonus(hit: Hit) -> float:
            text = texts[position[hit.clause.id]]
            shaped = (measures and any(q.measure in measures for q in find_quantities(text))) \
                or (asks_address and ADDRESS.search(text))
            return (self.quantity_weight if shaped else 0.0) \
                + (self.definition_weight if any(defines(text, term) for term in terms) else 0.0)

        boosted = [h._replace(score=h.score + bonus(h)) for h in hits]
        return sorted(boosted, key=lambda h: -h.score)  # stable: equals keep the order they came in

    def fuse(self, dense: list[Hit], keyword: list[Hit]) -> list[Hit]:
        """Min-max-normalised similarity and max-normalised BM25, weighted and summed."""
        scores: dict[str, float] = {}
        weight = self.question_keyword_weight(dense, keyword)
        if dense:
            low, high = dense[-1].similarity, dense[0].similarity
            for hit in dense:
                scores[hit.clause.id] = (1 - weight) * (hit.similarity - low) / ((high - low) or 1.0)
        if keyword:
            top = keyword[0].keyword
            for hit in keyword:
                scores[hit.clause.id] = scores.get(hit.clause.id, 0.0) + weight * hit.keyword / top
        similarity = {h.clause.id: h.similarity for h in dense}
        bm25 = {h.clause.id: h.keyword for h in keyword}
        by_id = self.index.clause_by_id
        ordered = sorted(scores, key=lambda cid: (-scores[cid], self.index.position[cid]))
        return [Hit(by_id[cid], scores[cid], similarity.get(cid), bm25.get(cid)) for cid in ordered]


_ARTICLE_LABEL = re.compile(r"第(\d+)条")
# A breach is named as 违反本法…规定 or as a duty not done (未履行本法第33条规定的义务, 未依照本法…规定).
_BREACH = re.compile(r"(?:违反|未履行|不履行|未依照|未按照|不按照)本法([^,。;]*?)规定")


def article_number(clause: Clause) -> int | None:
    """The number of the article a clause belongs to (第四十五条 → 45), from its section path."""
    for label in clause.path:
        found = _ARTICLE_NUMERAL.fullmatch(label)
        if found:
            return _small_numeral(found[1])
    return None


_ARTICLE_NUMERAL = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _small_numeral(numeral: str) -> int:
    """An article's number, in Arabic or Chinese digits (一千二百六十 → 1260; read here, since
    normalising every candidate's labels would cost more than the rest of the search)."""
    if numeral.isdigit():
        return int(numeral)
    total, digit = 0, None
    for char in numeral:
        if char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            digit = _DIGITS[char]
    return total + (digit or 0)


def breached_articles(norm_text: str) -> list[int]:
    """The articles of its own law whose breach a text punishes (违反本法第42条、第45条规定 → 42, 45;
    未履行本法第33条规定的义务 → 33)."""
    return [int(n) for cited in _BREACH.findall(norm_text) for n in _ARTICLE_LABEL.findall(cited)]


def margin_shift(dense: list[Hit], keyword: list[Hit]) -> float:
    """How much surer BM25 is of its first clause than the dense ranker is of its own, −1…1: each
    ranker's lead of its first over its second, over its own spread (the dense ranker's from first
    to last candidate, BM25's from its first score down to 0)."""
    if len(dense) < 3 or len(keyword) < 3:
        return 0.0
    dense_lead = (dense[0].similarity - dense[1].similarity) / ((dense[0].similarity - dense[-1].similarity) or 1.0)
    keyword_lead = (keyword[0].keyword - keyword[1].keyword) / (keyword[0].keyword or 1.0)
    return keyword_lead - dense_lead


def hit_metadata(hit: Hit, index: Index) -> dict:
    document = index.document_of(hit.clause)
    return {"clause_id": hit.clause.id, "doc_id": document.id, "doc_title": document.title,
            "doc_number": document.number, "path": list(hit.clause.path), "score": hit.score,
            "similarity": hit.similarity, "keyword": hit.keyword}


class ClauseRetriever(BaseRetriever):
    """LangChain face of the hybrid search: one LangChain Document per clause."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: HybridRetriever
    k: int = 8
    filters: Filters | None = None
    keyword_query: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.retriever.search(query, self.k, self.filters, self.keyword_query)
        return [LCDocument(page_content=h.clause.text, metadata=hit_metadata(h, self.retriever.index)) for h in hits]
