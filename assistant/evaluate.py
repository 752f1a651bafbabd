"""Evaluation: the assistant and three baselines on eval/qa.jsonl, side by side.

Every system is asked every question once; each answer is graded against the
hand-written gold (clauses, facts, documents, abstention) with the same rules,
so a gain is always a ratio measured in the same run. `run_evaluation` returns
a `Report`; `write_report` saves report.md, report.json and report.png.

The grading rules are spelled out in `HOW_MEASURED`, which is also printed in
the report, so the numbers and their definitions cannot drift apart.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol, Sequence

import numpy as np

from .answer import Answerer
from .compose import NOT_STATED
from .text import known_places
from .app import App
from .documents import SUPPORTED_SUFFIXES
from .embedders import EmbeddingCache, embed_passages
from .index import Index
from .model import Clause, Document
from .readers import read_text
from .retrieve import HybridRetriever
from .text import normalize, split_sentences, tokenize

RANK_DEPTH = 10          # retrieved units kept per question; MRR is MRR@10
NAIVE_TOP_K = 5          # chunks the naive chain retrieves and cites
NAIVE_CHUNK_SIZE = 500
NAIVE_CHUNK_OVERLAP = 50
CHUNK_GOLD_OVERLAP = 30  # normalised characters a chunk must share with a gold clause
WARM_UP_QUESTION = "知识产权服务业的发展目标有哪些？"  # not in the set: loads models and caches untimed
CHANGES_FILE = "changes.md"  # next to the question set; copied into report.md when present
NAIVE_CACHE = Path(tempfile.gettempdir()) / "policy-assistant-eval" / "naive-chain-embeddings.sqlite"

# Splits held apart: `test` of eval/qa.jsonl, `held` of eval/fresh (never looked at; `dev` items were).
HELD_OUT = ("test", "held")
# Items whose results are counted but never listed one by one (report.md's failures, report.json's items),
# so that a later reader cannot tune to them.
UNSEEN = "held"
MAIN_SYSTEM = "hybrid"
SYSTEM_LABELS = {"hybrid": "hybrid (main)", "bm25": "BM25 only", "dense": "dense only", "naive": "naive chain"}
CHART_METRICS = (("hit5", "hit@5"), ("mrr", "MRR"), ("fact_accuracy", "fact accuracy"),
                 ("citation_precision", "citation precision"), ("abstention_recall", "abstention recall"),
                 ("topic_accuracy", "topic accuracy"))


# ---------------------------------------------------------------------------
# The question set
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EvalItem:
    id: str
    question: str
    kind: str
    doc_ids: tuple[str, ...]
    gold_clauses: tuple[str, ...]
    gold_facts: tuple[str, ...]
    topic_docs: tuple[str, ...]
    split: str = ""  # "train" (what anything fitted may be fitted on) or "test" (held apart); "" for the first 141

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"

    @classmethod
    def from_dict(cls, data: dict) -> "EvalItem":
        return cls(data["id"], data["question"], data["kind"], tuple(data.get("doc_ids", ())),
                   tuple(data.get("gold_clauses", ())), tuple(data.get("gold_facts", ())),
                   tuple(data.get("topic_docs", ())), data.get("split", ""))


def load_eval_set(path: Path) -> list[EvalItem]:
    with open(path, encoding="utf-8") as lines:
        return [EvalItem.from_dict(json.loads(line)) for line in lines if line.strip()]


# ---------------------------------------------------------------------------
# What a system returns
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A retrieved or cited piece of text: a clause (clause_id set) or a chunk (None)."""

    text: str
    doc_id: str
    clause_id: str | None = None
    header: str = ""  # the document's title, 文号, issuer, date and region, shown with every citation

    @cached_property
    def key(self) -> str:
        return match_key(self.text)

    @cached_property
    def evidence_key(self) -> str:
        return match_key(f"{self.text}\n{self.header}")


@dataclass
class SystemAnswer:
    text: str
    abstained: bool
    units: list[Unit]          # the retriever's ranking for the question, best first
    cited: list[Unit]          # cited[n - 1] is what the marker [n] in the text points to
    seconds: float = 0.0       # time to produce the answer (not the separate ranking)


class System(Protocol):
    name: str

    def answer(self, question: str) -> SystemAnswer: ...


def document_header(document: Document) -> str:
    return " ".join(filter(None, (document.title, document.number, document.issuer, document.date, document.region)))


def clause_unit(clause: Clause, index: Index) -> Unit:
    # The section path is shown with every citation, like the document's header.
    header = f"{document_header(index.document_of(clause))} {' '.join(clause.path)}"
    return Unit(clause.text, clause.doc_id, clause.id, header)


class AnswererSystem:
    """The project's answerer, with the app's topic and verification engines, over a
    given retriever (hybrid, dense-only or BM25-only): only retrieval differs."""

    def __init__(self, name: str, app: App, retriever: HybridRetriever) -> None:
        self.name = name
        self.index = app.index
        self.retriever = retriever
        self.answerer = Answerer(app.index, retriever, topics=app.topics, verifier=app.verifier)

    def answer(self, question: str) -> SystemAnswer:
        started = time.perf_counter()
        answer = self.answerer.ask(question)
        seconds = time.perf_counter() - started
        ranking = self.retriever.search(question, RANK_DEPTH)
        citations = sorted(answer.citations, key=lambda c: c.n)
        return SystemAnswer(answer.text, answer.abstained,
                            units=[clause_unit(h.clause, self.index) for h in ranking],
                            cited=[clause_unit(c.clause, self.index) for c in citations], seconds=seconds)


class NaiveChain:
    """The textbook RAG baseline: fixed-size chunks of the raw files, one vector
    search, and the best-overlapping sentence of the top chunk as the answer."""

    name = "naive"

    def __init__(self, app: App, cache_path: Path = NAIVE_CACHE, log: Callable[[str], None] = lambda _: None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.embedder = app.embedder
        splitter = RecursiveCharacterTextSplitter(chunk_size=NAIVE_CHUNK_SIZE, chunk_overlap=NAIVE_CHUNK_OVERLAP)
        documents = {d.source: d for d in app.index.documents.values()}
        self.chunks: list[Unit] = []
        for path in sorted(app.settings.corpus.iterdir()):
            if not (path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES):
                continue
            document = documents.get(path.name)
            doc_id = document.id if document else path.stem
            header = document_header(document) if document else ""
            self.chunks += [Unit(t, doc_id, None, header) for t in splitter.split_text(read_text(path))]
        log(f"naive chain: embedding {len(self.chunks)} chunks (cached in {cache_path})")
        cache = EmbeddingCache(cache_path)
        try:
            vectors = embed_passages(self.embedder, [c.text for c in self.chunks], cache)
        finally:
            cache.close()
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        # A fresh name: ephemeral clients in one process share their collections.
        self.collection = client.create_collection(f"naive-{uuid.uuid4().hex}", embedding_function=None,
                                                   configuration={"hnsw": {"space": "cosine"}})
        self.collection.add(ids=[str(i) for i in range(len(self.chunks))], embeddings=vectors)

    def answer(self, question: str) -> SystemAnswer:
        started = time.perf_counter()
        ranking = self.search(question, RANK_DEPTH)
        top = ranking[:NAIVE_TOP_K]
        text = f"{best_overlap_sentence(question, top[0].text)}[1]" if top else ""
        seconds = time.perf_counter() - started
        return SystemAnswer(text, abstained=not top, units=ranking, cited=top, seconds=seconds)

    def search(self, question: str, k: int) -> list[Unit]:
        vector = self.embedder.embed([question], query=True)[0]
        found = self.collection.query(query_embeddings=[vector], n_results=min(k, len(self.chunks)), include=[])
        return [self.chunks[int(i)] for i in found["ids"][0]]


def best_overlap_sentence(question: str, passage: str) -> str:
    """The passage's sentence sharing the most distinct question words (the first on ties)."""
    words = set(tokenize(normalize(question)))
    sentences = split_sentences(passage) or [passage.strip()]
    return max(sentences, key=lambda s: sum(w in normalize(s) for w in words))  # max keeps the first on ties


def build_systems(app: App, log: Callable[[str], None] = lambda _: None) -> list[System]:
    return [AnswererSystem("hybrid", app, app.retriever),
            AnswererSystem("bm25", app, HybridRetriever(app.index, app.embedder, mode="keyword")),
            AnswererSystem("dense", app, HybridRetriever(app.index, app.embedder, mode="dense")),
            NaiveChain(app, log=log)]


# ---------------------------------------------------------------------------
# Matching text
# ---------------------------------------------------------------------------

_DASHES = re.compile(r"[‐‑‒–—―－~～]+")
_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_QUOTED_NAME = re.compile(r"《([^《》]+)》|“([^“”]+)”")
_CITATION_MARKS = re.compile(r"((?:\[\d+\])+)")


def match_key(text: str) -> str:
    """The form facts and evidence are compared on: normalised (NFKC, simplified
    script, lower case), no white space, every dash style written as '-'."""
    return _DASHES.sub("-", _WHITESPACE.sub("", normalize(text)))


def contains_fact(text: str, fact: str) -> bool:
    """Fact found in text (both through `match_key`). A fact that starts or ends with
    a digit must not be part of a longer number: '20' is not found in '2025'."""
    key = match_key(fact)
    if not key:
        return False
    before = r"(?<!\d)(?<!\d\.)" if key[0].isdigit() else ""
    after = r"(?!\.?\d)" if key[-1].isdigit() else ""
    return re.search(before + re.escape(key) + after, match_key(text)) is not None


def shares_span(text_key: str, other_key: str, length: int) -> bool:
    """Whether the two keys share a common substring of `length` characters
    (or all of `other_key` when it is shorter)."""
    length = min(length, len(other_key))
    if length == 0:
        return False
    return any(other_key[i:i + length] in text_key for i in range(len(other_key) - length + 1))


def name_vocabulary(index: Index) -> frozenset[str]:
    """Places and bodies an answer may name: the gazetteer the answerer uses,
    each document's region, issuer and their short forms, and every 落实单位."""
    names = set(known_places())
    for document in index.documents.values():
        for name in (document.region, document.issuer):
            if name:
                names.add(match_key(name))
                names.add(re.sub(r"(新区|区|市|县)$", "", match_key(name)))
        names.update(match_key(u) for c in document.clauses for u in c.units)
    return frozenset(n for n in names if len(n) >= 2)


# ---------------------------------------------------------------------------
# Metrics, one function each
# ---------------------------------------------------------------------------

def unit_matches_gold(unit: Unit, item: EvalItem, anchors: Mapping[str, str]) -> bool:
    """A clause matches when its id is gold. A chunk matches when it shares
    CHUNK_GOLD_OVERLAP characters with a gold clause's anchor (see `chunk_anchor`)
    and, if the item has gold facts, contains at least one of them."""
    if unit.clause_id is not None:
        return unit.clause_id in item.gold_clauses
    if item.gold_facts and not any(contains_fact(unit.key, f) for f in item.gold_facts):
        return False
    return any(shares_span(unit.key, anchors[c], CHUNK_GOLD_OVERLAP) for c in item.gold_clauses)


def gold_rank(units: Sequence[Unit], item: EvalItem, anchors: Mapping[str, str]) -> int | None:
    """1-based rank of the first gold unit, None when none is retrieved."""
    return next((rank for rank, unit in enumerate(units, 1) if unit_matches_gold(unit, item, anchors)), None)


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def facts_answered(answer_text: str, facts: Iterable[str]) -> bool:
    return all(contains_fact(answer_text, f) for f in facts)


def citation_precision(cited: Sequence[Unit], item: EvalItem, anchors: Mapping[str, str]) -> float | None:
    """Share of cited units that are gold or contain a gold fact; None when
    nothing is cited or the item has no gold to judge by."""
    if not cited or not (item.gold_clauses or item.gold_facts):
        return None
    good = sum(unit_matches_gold(u, item, anchors) or any(contains_fact(u.key, f) for f in item.gold_facts)
               for u in cited)
    return good / len(cited)


def cited_sentences(answer_text: str) -> list[tuple[str, list[int]]]:
    """The answer's sentences with the citation numbers that close them; text
    after the last marker is a sentence citing nothing."""
    parts = _CITATION_MARKS.split(answer_text)
    sentences = []
    for i in range(0, len(parts), 2):
        text = parts[i].strip()
        marks = [int(n) for n in re.findall(r"\d+", parts[i + 1])] if i + 1 < len(parts) else []
        if text:
            sentences.append((text, marks))
    return sentences


def figures_of(text: str) -> set[str]:
    """Digit groups, leading zeros dropped so that 2024年2月 and 2024-02 state the same month."""
    return {(g.lstrip("0") or "0") if "." not in g else g for g in _DIGITS.findall(text)}


def sentence_claims(sentence: str, names: Iterable[str]) -> tuple[set[str], set[str]]:
    """What a sentence asserts that a citation must back: its figures (digit
    groups) and its names (《》/“” quotations and known places and bodies)."""
    key = match_key(sentence)
    quoted = {match_key(a or b) for a, b in _QUOTED_NAME.findall(normalize(sentence))}
    return figures_of(key), quoted | {n for n in names if n in key}


def sentence_supported(sentence: str, evidence: Sequence[Unit], names: Iterable[str]) -> bool:
    if not evidence:
        return False
    figures, claimed_names = sentence_claims(sentence, names)
    evidence_key = "\n".join(u.evidence_key for u in evidence)
    return figures <= figures_of(evidence_key) and all(n in evidence_key for n in claimed_names)


def citation_support(answer_text: str, cited: Sequence[Unit], names: Iterable[str]) -> float | None:
    """Share of answer sentences whose figures and names all appear in the
    units their [n] markers cite (a sentence without a marker is unsupported)."""
    # A line saying that a document the question names does not address it quotes nothing.
    sentences = [s for s in cited_sentences(answer_text) if not (s[0].endswith(NOT_STATED) and not s[1])]
    if not sentences:
        return None
    supported = sum(sentence_supported(text, [cited[n - 1] for n in marks if 0 < n <= len(cited)], names)
                    for text, marks in sentences)
    return supported / len(sentences)


def abstention_scores(should_abstain: Sequence[bool], abstained: Sequence[bool]) -> tuple[float | None, float | None]:
    """(precision, recall) of abstaining, abstention being the positive class."""
    true_pos = sum(s and a for s, a in zip(should_abstain, abstained))
    predicted, actual = sum(abstained), sum(should_abstain)
    return (true_pos / predicted if predicted else None, true_pos / actual if actual else None)


def topic_scores(cited_docs: Iterable[str], topic_docs: Iterable[str]) -> tuple[bool, float]:
    """(exact set match, Jaccard) of the documents cited against the expected set."""
    got, want = set(cited_docs), set(topic_docs)
    union = got | want
    return got == want, (len(got & want) / len(union) if union else 1.0)


def percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


# ---------------------------------------------------------------------------
# Per-item results and metric tables
# ---------------------------------------------------------------------------

@dataclass
class ItemResult:
    id: str
    kind: str
    question: str
    answer: str
    abstained: bool
    should_abstain: bool
    gold_rank: int | None               # meaningful only when has_gold_clauses
    has_gold_clauses: bool
    facts_ok: bool | None               # None: the item has no gold facts
    citation_precision: float | None
    citation_recall: float | None       # sentence support, see citation_support
    topic_exact: bool | None            # None: not a topic item
    topic_jaccard: float | None
    seconds: float
    expected: str                       # what a right answer holds, for the failure list
    cited_docs: list[str] = field(default_factory=list)
    split: str = ""

    @property
    def failures(self) -> list[str]:
        """Why the answer the user sees is wrong (empty when it is right)."""
        reasons = []
        if self.abstained != self.should_abstain:
            reasons.append("abstained" if self.abstained else "answered an unanswerable question")
        if self.facts_ok is False and not self.abstained:
            reasons.append("missing facts")
        if self.topic_exact is False and not self.abstained:
            reasons.append("wrong document set")
        return reasons


def grade(item: EvalItem, answer: SystemAnswer, anchors: Mapping[str, str], names: frozenset[str]) -> ItemResult:
    # An abstention quotes nothing: its citations are "related", not an answer, so
    # citation metrics are only taken over answers given.
    answered = not answer.abstained
    cited_docs = sorted({u.doc_id for u in answer.cited}) if answered else []
    topic = topic_scores(cited_docs, item.topic_docs) if item.kind == "topic" else (None, None)
    return ItemResult(
        id=item.id, kind=item.kind, question=item.question, answer=answer.text, abstained=answer.abstained,
        should_abstain=not item.answerable,
        gold_rank=gold_rank(answer.units, item, anchors) if item.gold_clauses else None,
        has_gold_clauses=bool(item.gold_clauses),
        facts_ok=facts_answered(answer.text, item.gold_facts) if item.gold_facts else None,
        citation_precision=citation_precision(answer.cited, item, anchors) if answered else None,
        citation_recall=citation_support(answer.text, answer.cited, names) if answered else None,
        topic_exact=topic[0], topic_jaccard=topic[1], seconds=answer.seconds, expected=expected_answer(item),
        cited_docs=cited_docs, split=item.split)


def expected_answer(item: EvalItem) -> str:
    if not item.answerable:
        return "abstain"
    if item.kind == "topic":
        return "documents: " + ", ".join(item.topic_docs)
    return "、".join(item.gold_facts)


def _mean(values: Iterable[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


@dataclass
class Metrics:
    questions: int
    retrieval_items: int
    hit1: float | None
    hit3: float | None
    hit5: float | None
    mrr: float | None
    fact_items: int
    fact_accuracy: float | None
    citation_precision: float | None
    citation_recall: float | None
    abstention_precision: float | None
    abstention_recall: float | None
    abstention_rate: float | None
    topic_items: int
    topic_accuracy: float | None
    topic_jaccard: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None

    @classmethod
    def of(cls, results: Sequence[ItemResult]) -> "Metrics":
        ranked = [r for r in results if r.has_gold_clauses]
        facts = [r.facts_ok for r in results if r.facts_ok is not None]
        topics = [r for r in results if r.topic_exact is not None]
        precision, recall = abstention_scores([r.should_abstain for r in results], [r.abstained for r in results])
        milliseconds = [r.seconds * 1000 for r in results]
        return cls(
            questions=len(results), retrieval_items=len(ranked),
            hit1=_mean(hit_at(r.gold_rank, 1) for r in ranked), hit3=_mean(hit_at(r.gold_rank, 3) for r in ranked),
            hit5=_mean(hit_at(r.gold_rank, 5) for r in ranked), mrr=_mean(reciprocal_rank(r.gold_rank) for r in ranked),
            fact_items=len(facts), fact_accuracy=_mean(facts),
            citation_precision=_mean(r.citation_precision for r in results),
            citation_recall=_mean(r.citation_recall for r in results),
            abstention_precision=precision, abstention_recall=recall,
            abstention_rate=_mean(r.abstained for r in results),
            topic_items=len(topics), topic_accuracy=_mean(r.topic_exact for r in topics),
            topic_jaccard=_mean(r.topic_jaccard for r in topics),
            latency_p50_ms=percentile(milliseconds, 50), latency_p95_ms=percentile(milliseconds, 95))


@dataclass
class SystemReport:
    name: str
    overall: Metrics
    per_kind: dict[str, Metrics]
    items: list[ItemResult]
    per_split: dict[str, Metrics] = field(default_factory=dict)  # "" (the first 141), train, test
    per_kind_test: dict[str, Metrics] = field(default_factory=dict)  # the held-out items of each kind

    @property
    def label(self) -> str:
        return SYSTEM_LABELS.get(self.name, self.name)


@dataclass
class Report:
    generated: str
    set_path: str
    set_kinds: dict[str, int]
    corpus: dict[str, int]
    machine: dict[str, float]
    systems: list[SystemReport]

    @property
    def main(self) -> SystemReport:
        return next(s for s in self.systems if s.name == MAIN_SYSTEM)

    def to_dict(self) -> dict:
        return {"generated": self.generated, "set": self.set_path, "set_kinds": self.set_kinds,
                "corpus": self.corpus, "machine": self.machine, "main_system": MAIN_SYSTEM,
                "how_measured": HOW_MEASURED,
                "systems": {s.name: {"label": s.label, "overall": asdict(s.overall),
                                     "per_kind": {k: asdict(m) for k, m in s.per_kind.items()},
                                     "per_split": {k or "none": asdict(m) for k, m in s.per_split.items()},
                                     "per_kind_test": {k: asdict(m) for k, m in s.per_kind_test.items()},
                                     "items": [{**asdict(r), "failures": r.failures} for r in s.items
                                               if r.split != UNSEEN],
                                     "items_not_listed": sum(r.split == UNSEEN for r in s.items)}
                            for s in self.systems}}


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def chunk_anchor(clause: Clause) -> str:
    """The part of a gold clause a raw-text chunk must share: the clause's text,
    except for a table row, whose text the parser rebuilds from its cells
    ("label：header value；…") and so never occurs in the raw file; its label
    (the first cell) does."""
    key = match_key(clause.text)
    return key.split(":", 1)[0] if clause.kind == "table_row" else key  # match_key turns "：" into ":"


def gold_anchors(items: Sequence[EvalItem], index: Index) -> dict[str, str]:
    """Chunk anchor of every gold clause; an unknown id is an error in the set, not a miss."""
    wanted = {c for item in items for c in item.gold_clauses}
    unknown = sorted(wanted - index.clause_by_id.keys())
    if unknown:
        raise ValueError(f"gold clauses not in the index (re-map eval/qa.jsonl?): {', '.join(unknown)}")
    return {c: chunk_anchor(index.clause_by_id[c]) for c in wanted}


def evaluate_system(system: System, items: Sequence[EvalItem], anchors: Mapping[str, str],
                    names: frozenset[str]) -> SystemReport:
    system.answer(WARM_UP_QUESTION)  # latency is per question once warm
    results = [grade(item, system.answer(item.question), anchors, names) for item in items]
    kinds = dict.fromkeys(r.kind for r in results)  # in the order the set introduces them
    splits = dict.fromkeys(r.split for r in results)
    tested = dict.fromkeys(r.kind for r in results if r.split in HELD_OUT)
    return SystemReport(system.name, Metrics.of(results),
                        {k: Metrics.of([r for r in results if r.kind == k]) for k in kinds}, results,
                        {s: Metrics.of([r for r in results if r.split == s]) for s in splits} if len(splits) > 1 else {},
                        {k: Metrics.of([r for r in results if r.kind == k and r.split in HELD_OUT]) for k in tested})


def run_evaluation(app: App, set_path: Path, systems: Sequence[System] | None = None,
                   log: Callable[[str], None] = lambda _: None) -> Report:
    items = load_eval_set(set_path)
    index = app.index
    anchors = gold_anchors(items, index)
    names = name_vocabulary(index)
    machine = {"cpus": os.cpu_count() or 0, "load_average_at_start": round(os.getloadavg()[0], 2)}
    reports = []
    for system in systems if systems is not None else build_systems(app, log):
        log(f"evaluating {SYSTEM_LABELS.get(system.name, system.name)} on {len(items)} questions")
        reports.append(evaluate_system(system, items, anchors, names))
    return Report(generated=datetime.now().isoformat(timespec="seconds"), set_path=str(set_path),
                  set_kinds=dict(Counter(i.kind for i in items)),
                  corpus={"documents": len(index.documents), "clauses": len(index.clauses)},
                  machine=machine, systems=reports)


def log_to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Writing the report
# ---------------------------------------------------------------------------

HOW_MEASURED = """\
- **Retrieval hit@k, MRR** — over questions with gold clauses (unanswerable items, and items whose answer is only \
in a document header, are skipped). The ranking is the system's retriever on the raw question, top 10, no filters \
(the answerer's own document scoping is not applied), so MRR is MRR@10. A clause is a hit when its id is in \
`gold_clauses`; hit@k = a hit within the first k; MRR = mean of 1/rank of the first hit (0 if none in the top 10). \
For the naive chain a 500-character chunk is a hit when it shares a run of 30 normalised characters with a gold \
clause (the whole clause if shorter; for a table row, whose text the parser rebuilds from its cells and so never \
occurs in the raw file, its label, the first cell) and, when the item has gold facts, contains at least one of them.
- **Fact accuracy** — over questions with gold facts: every gold fact appears in the answer text. Both sides are \
compared after `normalize` (NFKC, traditional→simplified, lower case) with all white space removed and all dash \
styles written as `-`, so `达到 520 人` contains `520` and `200億元` matches `200亿元`. A fact that starts or \
ends with a digit must not be part of a longer number (`20` is not found in `2025`). An abstention fails.
- **Citation precision** — over answered (not abstained) questions that have gold clauses or facts: the share of \
cited units that are gold (rule above) or contain a gold fact, averaged per question. The naive chain cites its \
top-5 chunks; the answerer cites the clauses behind its `[n]` markers.
- **Citation recall (sentence support)** — over answered questions: the answer is cut into sentences at its \
`[n]` markers (text after the last marker is a sentence citing nothing); a sentence is supported when every digit \
group in it (leading zeros ignored), every 《》/“” quoted name, and every known place or body it names (the \
answerer's place list, document regions and issuers, and the plans' 落实单位) appear in the units it cites: \
clause text plus the document header (title, 文号, issuer, date, region) and the clause's section path, shown with \
each citation. A line saying that a document the question names does not address it (`…：文档中未找到相关内容。`, \
no marker) quotes nothing and is not counted. Averaged per question. Every system here quotes sentences verbatim, so this should be 1.000; it guards against answers that \
are composed rather than quoted.
- **Abstention precision / recall** — abstaining is the positive class; unanswerable questions should abstain, \
all others should not. Precision = correct abstentions / all abstentions; recall = unanswerable questions \
abstained on / all unanswerable. Per kind, the table shows the abstention rate (for answerable kinds, every \
abstention is wrong).
- **Topic accuracy / Jaccard** — topic questions: the set of documents the answer cites equals `topic_docs` \
(Jaccard of the two sets reported too). An abstention cites nothing.
- **Latency p50 / p95** — wall time of producing each answer after one untimed warm-up question, one process, \
this machine (its load average is given above: other work on the machine inflates these); the retrieval ranking \
used for hit@k is computed separately and not timed.
- **Systems** — *hybrid (main)*: the assistant as shipped (`App.answerer`). *BM25 only* / *dense only*: the same \
answerer over `HybridRetriever(mode="keyword" | "dense")`. *Naive chain*: LangChain \
`RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)` over the raw corpus files, the same embedder, \
an in-memory Chroma collection (cosine), top-5 chunks; the answer is the sentence of the top chunk sharing the most \
question words (jieba tokens), cited as [1]; it abstains only when nothing is retrieved.
"""

_OVERALL_COLUMNS = (("hit1", "hit@1"), ("hit3", "hit@3"), ("hit5", "hit@5"), ("mrr", "MRR"),
                    ("fact_accuracy", "facts"), ("citation_precision", "cit. P"), ("citation_recall", "cit. R"),
                    ("abstention_precision", "abst. P"), ("abstention_recall", "abst. R"),
                    ("topic_accuracy", "topic"), ("topic_jaccard", "topic J"),
                    ("latency_p50_ms", "p50 ms"), ("latency_p95_ms", "p95 ms"))
_KIND_COLUMNS = (("hit1", "hit@1"), ("hit3", "hit@3"), ("hit5", "hit@5"), ("mrr", "MRR"),
                 ("fact_accuracy", "facts"), ("citation_precision", "cit. P"), ("citation_recall", "cit. R"),
                 ("abstention_rate", "abstained"), ("topic_accuracy", "topic"), ("topic_jaccard", "topic J"),
                 ("latency_p50_ms", "p50 ms"))
_GAIN_METRICS = (("hit1", "hit@1"), ("hit5", "hit@5"), ("mrr", "MRR"), ("fact_accuracy", "fact accuracy"),
                 ("citation_precision", "citation precision"), ("citation_recall", "citation recall (support)"),
                 ("abstention_precision", "abstention precision"), ("abstention_recall", "abstention recall"),
                 ("topic_accuracy", "topic accuracy"))


def _cell(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]


def _ratio(main: float | None, baseline: float | None) -> str:
    if main is None or baseline is None:
        return "—"
    if baseline == 0:
        return "∞" if main > 0 else "—"
    return f"×{main / baseline:.2f}"


def _one_line(text: str, limit: int = 160) -> str:
    text = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= limit else text[:limit] + "…"


def render_markdown(report: Report) -> str:
    main = report.main
    baselines = [s for s in report.systems if s is not main]
    set_kinds = ", ".join(f"{k} {n}" for k, n in report.set_kinds.items())
    lines = ["# Evaluation report", "",
             f"Generated {report.generated} by `policy-assistant eval` on `{report.set_path}`: "
             f"{sum(report.set_kinds.values())} questions ({set_kinds}); corpus of "
             f"{report.corpus['documents']} documents, {report.corpus['clauses']} clauses. Machine: "
             f"{report.machine['cpus']} CPUs, load average {report.machine['load_average_at_start']} at the start.", "",
             "Numbers are as measured; the answerer is under active development, so rerun before quoting them.", "",
             "## Overall, all systems", ""]
    lines.append(overall_table(report))
    m = main.overall
    lines += ["", f"Items per metric: retrieval {m.retrieval_items}, facts {m.fact_items}, topic {m.topic_items}, "
                  f"abstention {m.questions} (of which {report.set_kinds.get('unanswerable', 0)} unanswerable).", ""]
    if baselines:
        lines += ["## Main system ÷ baseline (same run)", ""]
        lines += _table(["metric", *(f"vs {b.label}" for b in baselines)],
                        [[label, *(_ratio(getattr(m, k), getattr(b.overall, k)) for b in baselines)]
                         for k, label in _GAIN_METRICS])
        lines.append("")
    lines += [f"## Per kind, {main.label}", ""]
    lines += _table(["kind", "n", *(label for _, label in _KIND_COLUMNS)],
                    [[kind, km.questions, *(_cell(k, getattr(km, k)) for k, _ in _KIND_COLUMNS)]
                     for kind, km in main.per_kind.items()])
    if main.per_split:
        lines += ["", f"## Train / test split, {main.label}", "",
                  "Items marked `train` are the only ones anything was fitted on (the abstention thresholds — with the train half of eval/laws —, the share of the best evidence a named document or a comparison line must hold, the sentences per comparison line), with the first 141; "
                  "`test` items are held apart. The first 141 items carry no split (they were used while "
                  "developing before the split existed). In eval/fresh, `dev` items were looked at after the set's "
                  "first run and `held` items never were.", ""]
        lines += _table(["split", "n", *(label for _, label in _KIND_COLUMNS)],
                        [[split or "(none: items 1–141)", sm.questions, *(_cell(k, getattr(sm, k)) for k, _ in _KIND_COLUMNS)]
                         for split, sm in main.per_split.items()])
        lines += ["", f"Held-out (`test`, `held`) items only, per kind, {main.label}:", ""]
        lines += _table(["kind", "n", *(label for _, label in _KIND_COLUMNS)],
                        [[kind, km.questions, *(_cell(k, getattr(km, k)) for k, _ in _KIND_COLUMNS)]
                         for kind, km in main.per_kind_test.items()])
    lines += ["", "![main metrics per system](report.png)", ""]
    changes = Path(report.set_path).parent / CHANGES_FILE
    if changes.is_file():  # hand-kept record of what was measured before → after each change
        lines += [changes.read_text(encoding="utf-8").rstrip(), ""]
    lines += ["## How measured", "", HOW_MEASURED.rstrip(), ""]
    failed = [r for r in main.items if r.failures and r.split != UNSEEN]
    unseen = sum(bool(r.failures) for r in main.items if r.split == UNSEEN)
    lines += [f"## Failed items, {main.label} ({len(failed) + unseen} of {len(main.items)})", "",
              "Wrong abstention, a missing gold fact, or a wrong document set. “top-5” says whether a gold clause "
              "was in the retriever's top 5 (— when the item has no gold clauses)."
              + (f" {unseen} failed `{UNSEEN}` items are counted, not listed." if unseen else ""), ""]
    lines += _table(["id", "kind", "question", "expected", "answer given", "why", "top-5"],
                    [[r.id, r.kind, r.question, r.expected, _one_line(r.answer), "; ".join(r.failures),
                      ("yes" if hit_at(r.gold_rank, 5) else "no") if r.has_gold_clauses else "—"]
                     for r in failed])
    return "\n".join(lines) + "\n"


def render_chart(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width = 0.8 / len(report.systems)
    positions = np.arange(len(CHART_METRICS))
    figure, axes = plt.subplots(figsize=(11, 4.8))
    for i, system in enumerate(report.systems):
        values = [getattr(system.overall, key) for key, _ in CHART_METRICS]
        bars = axes.bar(positions + (i - (len(report.systems) - 1) / 2) * width,
                        [v if v is not None else 0.0 for v in values], width, label=system.label)
        axes.bar_label(bars, labels=[f"{v:.2f}" if v is not None else "n/a" for v in values], fontsize=7, padding=1)
    axes.set_xticks(positions, [label for _, label in CHART_METRICS])
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("score (0–1)")
    axes.set_title(f"policy-assistant eval, {sum(report.set_kinds.values())} questions ({report.generated[:10]})")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(report.systems), frameon=False)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_report(report: Report, folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"md": folder / "report.md", "json": folder / "report.json", "png": folder / "report.png"}
    paths["json"].write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1, default=_json_number) + "\n",
                             encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    render_chart(report, paths["png"])
    return paths


def _json_number(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def overall_table(report: Report) -> str:
    """The all-systems table alone, for the terminal."""
    return "\n".join(_table(["system", *(label for _, label in _OVERALL_COLUMNS)],
                            [[s.label, *(_cell(k, getattr(s.overall, k)) for k, _ in _OVERALL_COLUMNS)]
                             for s in report.systems]))
