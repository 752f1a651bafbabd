"""Topic search: where, and how often, each document mentions a term.

Mentions are found on normalised text (traditional→simplified, full→half width,
white space and line breaks ignored) and mapped back to character spans of the
original clause, so the UI can highlight them. Curated equivalents
(data/synonyms.txt) count as mentions marked `synonym`. Clauses close in meaning
that do not contain the term are listed as `related` and never counted.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .index import Index
from .model import Clause, Document
from .text import data_lines, normalize_with_offsets

MAX_INPUT_CHARS = 20_000
RELATED_PER_DOCUMENT = 3
# Cosine similarity to the centroid of the clauses that mention the term, measured
# with `benchmarks/bench_engines.py --calibrate` on the seeds: a related clause must be
# as close as the lower quartile of the mentions themselves (each mention against the
# centroid of the others: p25 0.949, median 0.960); about a quarter of the clauses
# that do not mention a term reach it, and at most RELATED_PER_DOCUMENT per document are shown.
RELATED_MIN_SIMILARITY = 0.95

_LETTER_OR_CJK = re.compile(r"[A-Za-z\u3400-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"[a-z0-9]")
_WHITESPACE = re.compile(r"\s+")


def check_input(text: str | None, what_zh: str, what_en: str) -> str:
    """The stripped text, or ValueError (Chinese + English) when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise ValueError(f"{what_zh}为空，请输入内容。(empty {what_en})")
    if len(text) > MAX_INPUT_CHARS:
        raise ValueError(f"{what_zh}过长（{len(text)} 字），上限为 {MAX_INPUT_CHARS} 字。"
                         f"({what_en} too long: {len(text)} characters, the limit is {MAX_INPUT_CHARS})")
    return text


@functools.lru_cache(maxsize=8192)  # the same clauses are matched by several steps of one answer
def search_form(text: str) -> str:
    """The normalised form terms are matched in (no white space at all)."""
    return normalize_with_offsets(text)[0]


def without_spaces(normalised: str) -> str:
    """An already normalised text (e.g. `Index.search_texts`) in the form terms are matched in."""
    return _WHITESPACE.sub("", normalised)


def term_pattern(word: str) -> re.Pattern:
    """`word` (already in search form); Latin words only as whole words (PCT, not PCTs)."""
    pattern = re.escape(word)
    if _ASCII_WORD.match(word[0]):
        pattern = r"(?<![a-z0-9])" + pattern
    if _ASCII_WORD.match(word[-1]):
        pattern += r"(?![a-z0-9])"
    return re.compile(pattern)


class Synonyms:
    """Groups of equivalent names; a word's equivalents are the other members of its group. And the
    documents' words for an everyday word (牌子 → 商标), one way (商标 has no equivalent 牌子), where
    the documents do not say it more often than their word (see `for_documents`)."""

    def __init__(self, groups: list[list[str]], everyday: dict[str, list[str]] | None = None,
                 occurrences: Callable[[str], int] | None = None) -> None:
        self._equivalents: dict[str, set[str]] = {}
        for group in groups:
            members = {search_form(m) for m in group}
            for member in members:
                self._equivalents.setdefault(member, set()).update(members - {member})
        self._everyday = {search_form(word): {search_form(n) for n in names} for word, names in (everyday or {}).items()}
        self._occurrences = occurrences
        self._kept: dict[str, bool] = {}

    @classmethod
    @functools.lru_cache(maxsize=1)
    def load(cls) -> Synonyms:
        return cls([line.split() for line in data_lines("synonyms.txt")],
                   {word.strip(): names.split() for word, names in (line.split("→") for line in data_lines("everyday.txt"))})

    def for_documents(self, occurrences: Callable[[str], int]) -> Synonyms:
        """These names for documents in which a word occurs `occurrences(word)` times: an everyday word
        they use more often than any of their words for it is a word of their own (电影 in
        电影产业促进法, not another name for 视听作品; 开除 in 开除公职, not 解除劳动合同)."""
        kept = Synonyms([], occurrences=occurrences)
        kept._equivalents, kept._everyday = self._equivalents, self._everyday
        return kept

    def _everyday_names(self, word: str) -> set[str]:
        names = self._everyday.get(word, set())
        if not names or self._occurrences is None:
            return names
        if word not in self._kept:
            self._kept[word] = self._occurrences(word) <= max(map(self._occurrences, names))
        return names if self._kept[word] else set()

    def is_everyday(self, word: str) -> bool:
        """Whether a word is read in the documents' words only as an everyday word for them."""
        word = search_form(word)
        return word not in self._equivalents and bool(self._everyday_names(word))

    def _names(self, word: str) -> set[str]:
        return self._equivalents.get(word, set()) | self._everyday_names(word)

    def equivalents(self, word: str) -> tuple[str, ...]:
        return tuple(sorted(self._names(search_form(word))))

    def names_in(self, text: str) -> list[str]:
        """The names of the groups that the text (in search form) uses."""
        return [member for member in {**self._equivalents, **self._everyday}
                if term_pattern(member).search(text) and self._names(member)]

    def missing_equivalents(self, text: str) -> list[tuple[str, str]]:
        """(name the text uses, an equivalent it does not use): 版权 → (版权, 著作权)."""
        form = search_form(text)
        return sorted({(member, other) for member, others in self._equivalents.items() if term_pattern(member).search(form)
                       for other in others if other not in form})

    def everyday_in(self, text: str) -> list[tuple[str, list[str]]]:
        """(everyday word the text uses, the documents' words for it that it does not use): 牌子 → [商标]."""
        form = search_form(text)
        return [(word, sorted(names)) for word in self._everyday if term_pattern(word).search(form)
                and (names := {n for n in self._everyday_names(word) if n not in form})]


@dataclass
class TopicClause:
    clause_id: str
    path: list[str]
    text: str
    match: str                      # exact | synonym | related
    score: float                    # 1.0 for a textual match, cosine similarity for a related clause
    spans: list[list[int]] = field(default_factory=list)  # [start, end) in the original text
    mentions: int = 0

    def to_dict(self) -> dict:
        return {"clause_id": self.clause_id, "path": self.path, "text": self.text, "match": self.match,
                "score": round(self.score, 4), "spans": self.spans}


@dataclass
class TopicDocument:
    doc_id: str
    doc_title: str
    region: str | None
    period: list[int] | None
    mentions: int
    clauses: list[TopicClause]

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "doc_title": self.doc_title, "region": self.region,
                "period": self.period, "mentions": self.mentions,
                "clauses": [c.to_dict() for c in self.clauses]}


@dataclass
class TopicResult:
    term: str
    documents: list[TopicDocument]
    message: str

    def to_dict(self) -> dict:
        return {"term": self.term, "documents": [d.to_dict() for d in self.documents], "message": self.message}


class _WordMatcher:
    """One word of the topic with its equivalents."""

    def __init__(self, word: str, synonyms: Synonyms) -> None:
        self.exact = term_pattern(word)
        self.names = [s for s in synonyms.equivalents(word) if s != word]
        self.others = [term_pattern(s) for s in self.names]

    def find(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        exact = [m.span() for m in self.exact.finditer(text)]
        taken = list(exact)
        synonym = []
        for pattern in self.others:
            for span in (m.span() for m in pattern.finditer(text)):
                if not any(span[0] < b and a < span[1] for a, b in taken):
                    taken.append(span)
                    synonym.append(span)
        return exact, synonym


class TopicSearch:
    """Term → per document: mentions (exact and synonym) and related clauses."""

    def __init__(self, index: Index, clause_vectors: Callable[[], np.ndarray] | None = None,
                 synonyms: Synonyms | None = None) -> None:
        self.index = index
        self.synonyms = synonyms or Synonyms.load().for_documents(index.occurrences)
        self._clause_vectors = clause_vectors

    @functools.cached_property
    def _haystack(self) -> tuple[str, np.ndarray]:
        """Every clause's search text without white space, joined, and where each one starts:
        one regex pass finds the candidate clauses, so only those are normalised with offsets."""
        texts = [without_spaces(t) for t in self.index.search_texts]
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        return "\0".join(texts), starts

    def _candidates(self, matchers: list[_WordMatcher]) -> list[int]:
        """Positions of the clauses that contain every word (or an equivalent)."""
        haystack, starts = self._haystack
        chosen: set[int] | None = None
        for matcher in matchers:
            hits = {int(i) for pattern in (matcher.exact, *matcher.others)
                    for i in np.searchsorted(starts, [m.start() for m in pattern.finditer(haystack)], "right") - 1}
            chosen = hits if chosen is None else chosen & hits
        return sorted(chosen or ())

    @functools.cached_property
    def _vectors(self) -> np.ndarray | None:
        if self._clause_vectors is None:
            return None
        vectors = np.asarray(self._clause_vectors(), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1, norms)  # in place: at 300k clauses a copy is 0.5 GB
        return vectors

    def search(self, term: str) -> TopicResult:
        term = check_input(term, "术语", "term")
        if not _LETTER_OR_CJK.search(search_form(term)):
            raise ValueError("术语中没有汉字或字母。(the term has no Chinese characters or letters)")
        words = list(dict.fromkeys(search_form(w) for w in term.split()))
        matchers = [_WordMatcher(w, self.synonyms) for w in words]
        found = {i: hit for i in self._candidates(matchers) if (hit := self._match_clause(i, matchers)) is not None}
        if not found:
            return TopicResult(term, [], f"没有文档提到“{term}”。(no document mentions this term)")
        related = self._related(found)
        documents = [self._document(d, found, related) for d in self.index.documents.values()]
        documents = [d for d in documents if d.clauses]
        order = {doc_id: i for i, doc_id in enumerate(self.index.documents)}
        documents.sort(key=lambda d: (-d.mentions, -max(c.score for c in d.clauses), order[d.doc_id]))
        searched = [name for matcher in matchers for name in matcher.names]
        return TopicResult(term, documents, _message(term, documents, searched))

    def _match_clause(self, position: int, matchers: list[_WordMatcher]) -> TopicClause | None:
        text, origin = normalize_with_offsets(self.index.clauses[position].text)
        counts, spans, all_exact = [], [], True
        for matcher in matchers:
            exact, synonym = matcher.find(text)
            if not exact and not synonym:
                return None  # several words: all of them in one clause
            all_exact = all_exact and bool(exact)
            counts.append(len(exact) + len(synonym))
            spans += exact + synonym
        clause = self.index.clauses[position]
        return TopicClause(clause.id, list(clause.path), clause.text, "exact" if all_exact else "synonym", 1.0,
                           _original_spans(spans, origin),
                           # a clause mentions several words together as often as the rarest of them
                           mentions=min(counts))

    def _related(self, found: dict[int, TopicClause]) -> dict[int, float]:
        """Clauses that do not contain the term but are close to the clauses that do."""
        vectors = self._vectors
        if vectors is None:
            return {}
        centroid = vectors[list(found)].mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        similarity = vectors @ centroid
        per_document: dict[str, list[int]] = {}
        for position in np.argsort(-similarity):
            if similarity[position] < RELATED_MIN_SIMILARITY:
                break
            if position in found:
                continue
            chosen = per_document.setdefault(self.index.clauses[position].doc_id, [])
            if len(chosen) < RELATED_PER_DOCUMENT:
                chosen.append(int(position))
        return {p: float(similarity[p]) for chosen in per_document.values() for p in chosen}

    def _document(self, document: Document, found: dict[int, TopicClause], related: dict[int, float]) -> TopicDocument:
        position = self.index.position
        mentioned = [found[position[c.id]] for c in document.clauses if position[c.id] in found]
        near = sorted(((related[position[c.id]], c) for c in document.clauses if position[c.id] in related),
                      key=lambda pair: -pair[0])
        clauses = mentioned + [_related_clause(c, score) for score, c in near]
        return TopicDocument(document.id, document.title, document.region,
                             list(document.period) if document.period else None,
                             sum(c.mentions for c in mentioned), clauses)


def _related_clause(clause: Clause, score: float) -> TopicClause:
    return TopicClause(clause.id, list(clause.path), clause.text, "related", score)


def _original_spans(spans: list[tuple[int, int]], origin: list[int]) -> list[list[int]]:
    return [[origin[a], origin[b - 1] + 1] for a, b in sorted(spans)]


def _message(term: str, documents: list[TopicDocument], searched: list[str]) -> str:
    """How many documents mention the term and how often, saying under which other names when some clauses
    hold only those (“牌子” counted where the documents say 商标)."""
    mentioning = [d for d in documents if d.mentions]
    total = sum(d.mentions for d in mentioning)
    message = f"“{term}”在 {len(mentioning)} 份文档中出现 {total} 次"
    if searched and any(c.match == "synonym" for d in documents for c in d.clauses):
        message += f"（含其他说法：{'、'.join(searched)}）"
    only_related = len(documents) - len(mentioning)
    if only_related:
        message += f"；另有 {only_related} 份文档只有相关条款（不计入次数）"
    return message + "。"
