"""Keyword backend: BM25 over jieba tokens of the normalised clause text.

The index keeps raw term counts, not scores: a clause × term count matrix stored term by term
(compressed sparse columns) as plain .npy files, loaded memory-mapped. Scores are computed at
query time from the current document frequencies, so a build that adds or changes one file
tokenises that file's clauses only and copies every other row as it is. The formula is Lucene's
BM25 (k1 = 1.5, b = 0.75), the same as bm25s's default.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

K1, B = 1.5, 0.75
ARRAYS = ("starts", "rows", "counts", "lengths")


class KeywordHit(NamedTuple):
    clause_id: str
    score: float


class TermWeights(NamedTuple):
    weights: dict[str, float]
    unseen: float  # the weight of a token no clause contains

    def of(self, token: str) -> float:
        return self.weights.get(token, self.unseen)


class KeywordIndex:
    """`rows[starts[t]:starts[t + 1]]` are the clauses that contain term t, `counts` how often;
    `lengths` is each clause's number of tokens; `keys` identify each clause's keyword text,
    so that an update knows which rows it can keep."""

    def __init__(self, terms: list[str], clause_ids: list[str], keys: list[str], arrays: dict[str, np.ndarray]) -> None:
        self.terms = terms
        self.term_ids = {t: i for i, t in enumerate(terms)}
        self.clause_ids = clause_ids
        self.keys = keys
        self.starts, self.rows, self.counts, self.lengths = (arrays[name] for name in ARRAYS)
        self._average_length = float(self.lengths.mean()) if len(self.lengths) else 1.0

    # --- building --------------------------------------------------------------
    @classmethod
    def build(cls, clause_ids: list[str], keys: list[str], token_lists: list[list[str]]) -> "KeywordIndex":
        return cls.update(None, clause_ids, keys, token_lists.__getitem__)

    @classmethod
    def update(cls, previous: "KeywordIndex | None", clause_ids: list[str], keys: list[str],
               tokens_of: Callable[[int], list[str]]) -> "KeywordIndex":
        """An index over `clause_ids`, whose keyword texts have the given `keys`: a row whose key
        the previous index holds is copied from it; `tokens_of(position)` tokenises the others."""
        old_row = {key: row for row, key in enumerate(previous.keys)} if previous else {}
        copied = [position for position, key in enumerate(keys) if key in old_row]
        terms = list(previous.terms) if previous else []
        term_ids = dict(previous.term_ids) if previous else {}
        lengths = np.zeros(len(clause_ids), dtype=np.float32)
        pieces = []  # (clause positions, term ids, counts)
        if copied:
            rows = np.array([old_row[keys[position]] for position in copied], dtype=np.int64)
            pieces.append(previous._entries_of(rows, np.array(copied, dtype=np.int64)))
            lengths[copied] = previous.lengths[rows]
        for position in sorted(set(range(len(keys))) - set(copied)):
            tokens = tokens_of(position)
            ids = np.array([term_ids.setdefault(t, len(term_ids)) for t in tokens], dtype=np.int64)
            unique, counts = np.unique(ids, return_counts=True)
            pieces.append((np.full(len(unique), position, dtype=np.int64), unique, counts))
            lengths[position] = len(tokens)
        terms += list(term_ids)[len(terms):]
        return cls._from_entries(terms, clause_ids, keys, pieces, lengths)

    def _entries_of(self, rows: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(new position, term id, count) of every entry of the given rows; a row may be
        copied to several positions (the same text in several clauses)."""
        by_row = np.argsort(self.rows, kind="stable")  # entries row by row
        row_starts = np.zeros(len(self.clause_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows, minlength=len(self.clause_ids)), out=row_starts[1:])
        sizes = row_starts[rows + 1] - row_starts[rows]
        within = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        entries = by_row[np.repeat(row_starts[rows], sizes) + within]
        term_of_entry = np.repeat(np.arange(len(self.terms)), np.diff(self.starts))
        return np.repeat(positions, sizes), term_of_entry[entries], np.asarray(self.counts)[entries]

    @classmethod
    def _from_entries(cls, terms, clause_ids, keys, pieces, lengths) -> "KeywordIndex":
        rows, term_of_entry, counts = (np.concatenate([p[i] for p in pieces]) if pieces else np.zeros(0, np.int64)
                                       for i in range(3))
        order = np.lexsort((rows, term_of_entry))
        used = np.bincount(term_of_entry, minlength=len(terms))
        # Terms no clause uses any more (their file was removed or changed) are dropped.
        live = np.flatnonzero(used)
        renumber = np.zeros(len(terms), dtype=np.int64)
        renumber[live] = np.arange(len(live))
        term_of_entry = renumber[term_of_entry[order]]
        starts = np.zeros(len(live) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of_entry, minlength=len(live)), out=starts[1:])
        arrays = {"starts": starts, "rows": rows[order].astype(np.int32),
                  "counts": counts[order].astype(np.float32), "lengths": lengths}
        return cls([terms[i] for i in live], clause_ids, keys, arrays)

    # --- files -----------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name))
        (folder / "terms.json").write_text(json.dumps(self.terms, ensure_ascii=False), encoding="utf-8")
        (folder / "clauses.json").write_text(json.dumps({"ids": self.clause_ids, "keys": self.keys}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex":
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        clauses = json.loads((folder / "clauses.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
        if len(arrays["starts"]) != len(terms) + 1 or len(arrays["lengths"]) != len(clauses["ids"]):
            raise ValueError(f"keyword index at {folder} is inconsistent")
        return cls(terms, clauses["ids"], clauses["keys"], arrays)

    # --- searching -------------------------------------------------------------
    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every clause, aligned with `clause_ids` (a repeated token counts again)."""
        scores = np.zeros(len(self.clause_ids), dtype=np.float32)
        n = len(self.clause_ids)
        for token in tokens:
            term = self.term_ids.get(token)
            if term is None:
                continue
            start, end = self.starts[term], self.starts[term + 1]
            rows, counts = self.rows[start:end], self.counts[start:end]
            idf = math.log(1 + (n - (end - start) + 0.5) / (end - start + 0.5))
            norm = K1 * ((1 - B) + B * self.lengths[rows] / self._average_length)
            scores[rows] += idf * counts / (counts + norm)
        return scores

    def search(self, tokens: list[str], k: int, allowed: np.ndarray | None = None,
               alternatives: Sequence[tuple[list[str], list[str]]] = ()) -> list[KeywordHit]:
        """Top k clauses with a positive score; `allowed` is a boolean mask over clauses.
        `alternatives` pairs some of the tokens with another name for the same thing: a clause
        that uses the other name scores as if it used the question's (the better of the two)."""
        return self.top(self.scores_with(tokens, alternatives, allowed), k)

    def scores_with(self, tokens: list[str], alternatives: Sequence[tuple[list[str], list[str]]] = (),
                    allowed: np.ndarray | None = None, related: Sequence[tuple[list[str], list[list[str]]]] = (),
                    related_weight: float = 0.0) -> np.ndarray:
        """`scores`, with other names counted as the question's and clauses outside `allowed` at 0.
        `related` pairs some tokens with looser synonyms (each a list of tokens): a clause that uses one
        of them instead scores `related_weight` of what that synonym would score (the best of them)."""
        scores = self.scores(tokens)
        for own, other in alternatives:
            scores += np.maximum(self.scores(other) - self.scores(own), 0.0)
        for own, synonyms in related:
            best = np.max([self.scores(s) for s in synonyms], axis=0)
            scores += np.maximum(related_weight * best - self.scores(own), 0.0)
        return np.where(allowed, scores, 0.0) if allowed is not None else scores

    def top(self, scores: np.ndarray, k: int) -> list[KeywordHit]:
        """The k best of a `scores_with` array that score above 0, best first."""
        if k < len(scores):  # a partial sort: a full one costs tens of ms at 300k clauses
            top = np.argpartition(-scores, k)[:k]
            top = top[np.lexsort((top, -scores[top]))]
        else:
            top = np.argsort(-scores, kind="stable")
        return [KeywordHit(self.clause_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def rows_with(self, term: str) -> np.ndarray:
        """The positions of the clauses that contain a term (none for an unknown one)."""
        t = self.term_ids.get(term)
        return np.asarray(self.rows[self.starts[t]:self.starts[t + 1]]) if t is not None else np.zeros(0, np.int32)

    def term_weights(self) -> TermWeights:
        """How rare each token is among the clauses, smoothed so that no weight is zero
        (the question words' weights in coverage checks)."""
        n = len(self.clause_ids)
        frequencies = np.diff(np.asarray(self.starts))
        weights = np.log((n + 1) / (frequencies + 0.5))
        return TermWeights(dict(zip(self.terms, weights.tolist())), math.log((n + 1) / 0.5))
