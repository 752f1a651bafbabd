"""Retrieve stage: dense (Chroma), keyword (BM25) and their fusion, with optional filters.

`ClauseRetriever` exposes the hybrid search as a LangChain `BaseRetriever`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .documents import Clause
from .embedders import Embedder
from .index import Index
from .text import normalize, tokenize

CANDIDATES = 40  # from each ranker, before fusion


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] = ()
    region: str | None = None
    year: int | None = None

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


class HybridRetriever:
    """Reciprocal rank fusion of a dense and a keyword ranking.

    Weights and the RRF constant were chosen by measurement on eval/qa.jsonl
    (see eval/report.md)."""

    def __init__(self, index: Index, embedder: Embedder, *, rrf_k: int = 60,
                 dense_weight: float = 1.0, keyword_weight: float = 1.0) -> None:
        self.index = index
        self.embedder = embedder
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.keyword_weight = keyword_weight
        self._embed_query = functools.lru_cache(maxsize=512)(self._embed_query_uncached)

    def _embed_query_uncached(self, question: str) -> np.ndarray:
        return self.embedder.embed([question], query=True)[0]

    def dense(self, question: str, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        if doc_ids == []:
            return []
        found = self.index.vectors.search(self._embed_query(question), k, doc_ids)
        by_id = self.index.clause_by_id
        return [Hit(by_id[h.clause_id], h.similarity, h.similarity, None) for h in found if h.clause_id in by_id]

    def keyword(self, question: str, k: int, doc_ids: list[str] | None = None) -> list[Hit]:
        allowed = None
        if doc_ids is not None:
            wanted = set(doc_ids)
            allowed = np.fromiter((c.doc_id in wanted for c in self.index.clauses), dtype=bool,
                                  count=len(self.index.clauses))
        found = self.index.keywords.search(tokenize(normalize(question)), k, allowed)
        by_id = self.index.clause_by_id
        return [Hit(by_id[h.clause_id], h.score, None, h.score) for h in found if h.clause_id in by_id]

    def search(self, question: str, k: int = 8, filters: Filters | None = None) -> list[Hit]:
        doc_ids = (filters or Filters()).allowed_documents(self.index)
        dense = self.dense(question, CANDIDATES, doc_ids)
        keyword = self.keyword(question, CANDIDATES, doc_ids)
        return self.fuse(dense, keyword)[:k]

    def fuse(self, dense: list[Hit], keyword: list[Hit]) -> list[Hit]:
        scores: dict[str, float] = {}
        similarity = {h.clause.id: h.similarity for h in dense}
        bm25 = {h.clause.id: h.keyword for h in keyword}
        for weight, ranking in ((self.dense_weight, dense), (self.keyword_weight, keyword)):
            for rank, hit in enumerate(ranking):
                scores[hit.clause.id] = scores.get(hit.clause.id, 0.0) + weight / (self.rrf_k + rank + 1)
        by_id = self.index.clause_by_id
        ordered = sorted(scores, key=lambda cid: (-scores[cid], self.index.position[cid]))
        return [Hit(by_id[cid], scores[cid], similarity.get(cid), bm25.get(cid)) for cid in ordered]


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

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        hits = self.retriever.search(query, self.k, self.filters)
        return [LCDocument(page_content=h.clause.text, metadata=hit_metadata(h, self.retriever.index)) for h in hits]
