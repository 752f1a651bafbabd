"""Keyword backend: BM25 (bm25s) over jieba tokens of the normalised clause text.

Saved as a folder of plain files (bm25s arrays + clause ids) and loaded memory-mapped.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import numpy as np

_EMPTY = "\u2400"  # stands in for a clause with no tokens, which bm25s cannot index


class KeywordHit(NamedTuple):
    clause_id: str
    score: float


class KeywordIndex:
    def __init__(self, bm25, clause_ids: list[str]) -> None:
        self._bm25 = bm25
        self.clause_ids = clause_ids

    @classmethod
    def build(cls, clause_ids: list[str], token_lists: list[list[str]]) -> "KeywordIndex":
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index([tokens or [_EMPTY] for tokens in token_lists], show_progress=False)
        return cls(bm25, clause_ids)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(folder))
        (folder / "clause_ids.json").write_text(json.dumps(self.clause_ids), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex":
        import bm25s

        clause_ids = json.loads((folder / "clause_ids.json").read_text(encoding="utf-8"))
        return cls(bm25s.BM25.load(str(folder), mmap=True), clause_ids)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every clause, aligned with `clause_ids`."""
        known = [t for t in tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.clause_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, tokens: list[str], k: int, allowed: np.ndarray | None = None) -> list[KeywordHit]:
        """Top k clauses with a positive score; `allowed` is a boolean mask over clauses."""
        scores = self.scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        if k < len(scores):  # a partial sort: a full one costs tens of ms at 300k clauses
            top = np.argpartition(-scores, k)[:k]
            top = top[np.lexsort((top, -scores[top]))]
        else:
            top = np.argsort(-scores, kind="stable")
        return [KeywordHit(self.clause_ids[i], float(scores[i])) for i in top if scores[i] > 0]
