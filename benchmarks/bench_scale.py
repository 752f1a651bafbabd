"""Scale figures on a synthetic corpus made from the seeds: index throughput, one-file
incremental add, peak memory, `ask` and `topic` latency at 100 / 1,000 (/ 5,000) documents.

    python benchmarks/bench_scale.py                 # 100 and 1,000 documents
    python benchmarks/bench_scale.py --sizes 100 1000 5000

Each synthetic document is a seed with its region renamed, its numbered sections shuffled,
every figure varied, and the second half of another seed appended (≈60 clauses a document).

Embedding is the slow step on a CPU, so it is measured on its own, on real seed text; the
index and search figures then use passage vectors derived from the seeds: a synthetic clause
gets the real vector of the seed clause it was made from (looked up by its text with figures
and region masked, plus a little noise), written to the EmbeddingCache under the synthetic
text by the normal build. Queries are embedded by the real model, as in production.
Each size is built in one process and queried in another, fresh one (as a server starts), so
each peak memory (ru_maxrss) is that step's alone.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App, Settings  # noqa: E402
from benchmarks.timing import load_questions, percentile, timed  # noqa: E402
from assistant.documents import load_corpus  # noqa: E402
from assistant.embedders import Embedder, get_embedder  # noqa: E402
from assistant.index import embedding_text  # noqa: E402

SEEDS = ROOT / "corpus"
TOPIC_TERMS = ["专利代理师", "商业秘密", "质押融资", "地理标志", "知识产权保护中心", "高价值专利"]
SECTION = re.compile(r"^[一二三四五六七八九十]+、")
FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
PLACES = [a + b for a in "东南西北中新长永安兴华宁昌平" for b in ("湖区", "山区", "江区", "阳县", "林区", "海区")]


# --- the synthetic corpus --------------------------------------------------------------

def seed_texts() -> list[tuple[str, str]]:
    """(region, text) of each seed."""
    load = load_corpus(SEEDS)
    return [(d.region or "", (SEEDS / d.source).read_text(encoding="utf-8")) for d in load.documents]


def synthetic_document(number: int, seeds: list[tuple[str, str]]) -> str:
    rng = random.Random(number)
    region, text = seeds[number % len(seeds)]
    _, other = seeds[(number + 1 + number // len(seeds)) % len(seeds)]
    head, sections = _sections(text.splitlines())
    rng.shuffle(sections)
    _, extra = _sections(other.splitlines())
    lines = head + [line for s in sections for line in s] + [line for s in extra[len(extra) // 2:] for line in s]
    body = FIGURE.sub(lambda m: _vary(m, rng), "\n".join(lines))
    place = f"{PLACES[number % len(PLACES)]}{number // len(PLACES) or ''}"
    return body.replace(region, place) if region else body


def _sections(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    head, sections = [], []
    for line in lines:
        if SECTION.match(line.strip()):
            sections.append([line])
        elif sections:
            sections[-1].append(line)
        else:
            head.append(line)
    return head, sections


def _vary(match: re.Match, rng: random.Random) -> str:
    figure, start = match.group(0), match.start()
    line_start = start == 0 or match.string[start - 1] == "\n"
    if line_start or len(figure) < 2 or (len(figure) == 4 and figure.startswith("20")):
        return figure  # item numbers and years stay as they are
    value = float(figure) * rng.uniform(0.6, 1.6)
    return f"{value:.1f}" if "." in figure else str(max(1, round(value)))


def write_corpus(folder: Path, documents: int) -> None:
    seeds = seed_texts()
    folder.mkdir(parents=True)
    for number in range(documents):
        (folder / f"plan-{number:05d}.txt").write_text(synthetic_document(number, seeds), encoding="utf-8")


# --- vectors ---------------------------------------------------------------------------

def template(text: str) -> str:
    text = FIGURE.sub("0", text)
    return re.sub(r"|".join([re.escape(p) for p in PLACES]) + r"|\d+", "", text)


class SeedDerivedEmbedder(Embedder):
    """Real query vectors; passage vectors taken from the seed clause a synthetic clause was
    made from (same text once figures and region are masked)."""

    def __init__(self, real: Embedder, seed_vectors: dict[str, np.ndarray]) -> None:
        self.name = real.name
        self._real = real
        self._seed_vectors = seed_vectors
        self.misses = 0

    def embed(self, texts, *, query):
        if query:
            return self._real.embed(texts, query=True)
        return np.stack([self._passage(t) for t in texts])

    def _passage(self, text: str) -> np.ndarray:
        base = self._seed_vectors.get(template(text))
        seed = int(hashlib.md5(text.encode()).hexdigest()[:8], 16)
        rng = np.random.default_rng(seed)
        if base is None:  # a clause cut differently because a figure grew: a random direction
            self.misses += 1
            base = rng.standard_normal(len(next(iter(self._seed_vectors.values()))))
        vector = base + 0.02 * rng.standard_normal(base.shape)
        return (vector / np.linalg.norm(vector)).astype(np.float32)


def seed_vectors(real: Embedder, cache_path: Path) -> dict[str, np.ndarray]:
    from assistant.embedders import EmbeddingCache, embed_passages

    load = load_corpus(SEEDS)
    texts, keys = [], []
    for document in load.documents:
        for clause in document.clauses:
            text = embedding_text(clause)
            texts.append(text)
            keys.append(template(text.replace(document.region or "\0", "")))
    cache = EmbeddingCache(cache_path)
    try:
        vectors = embed_passages(real, texts, cache)
    finally:
        cache.close()
    return dict(zip(keys, vectors))


# --- measurements ----------------------------------------------------------------------

def measure_embedding(real: Embedder, clauses: int) -> dict:
    load = load_corpus(SEEDS)
    texts = [embedding_text(c) for d in load.documents for c in d.clauses][:clauses]
    real.embed(texts[:4], query=False)  # warm
    started = time.perf_counter()
    for start in range(0, len(texts), 16):
        real.embed(texts[start:start + 16], query=False)
    seconds = time.perf_counter() - started
    chars = sum(len(t) for t in texts)
    return {"clauses": len(texts), "chars": chars, "seconds": seconds}


def build_size(documents: int, work: Path, cache_path: Path) -> dict:
    """Writes the synthetic corpus under `work`, indexes it, then adds one more file."""
    corpus, index_dir = work / "corpus", work / "index"
    write_corpus(corpus, documents)
    real = get_embedder("e5")
    embedder = SeedDerivedEmbedder(real, seed_vectors(real, cache_path))
    app = App(Settings(corpus=corpus, index=index_dir), embedder=embedder)
    started = time.perf_counter()
    report = app.build(progress=False)
    full = time.perf_counter() - started

    extra = corpus / "plan-new.txt"
    extra.write_text(synthetic_document(documents + 7, seed_texts()), encoding="utf-8")
    started = time.perf_counter()
    added = app.build(progress=False)
    return {"documents": report.documents, "clauses": report.clauses, "full_s": full,
            "clauses_per_s": report.clauses / full, "add_one_s": time.perf_counter() - started,
            "add_one_embedded": added.embedded, "build_rss_mib": peak_rss_mib(),
            "derived_misses": embedder.misses}


def query_size(work: Path, questions: list[str]) -> dict:
    """A fresh process, as a server would start: load the index, answer, search topics."""
    app = App(Settings(corpus=work / "corpus", index=work / "index"))
    started = time.perf_counter()
    answerer = app.answerer  # index, model and word weights load here
    answerer.ask(questions[0])
    first_ask = time.perf_counter() - started
    asks = timed(answerer.ask, questions)
    topics_first = timed(app.topics.search, TOPIC_TERMS[:1])[0]
    topics = timed(app.topics.search, TOPIC_TERMS * 3)
    return {"first_ask_s": first_ask, "ask_p50": statistics.median(asks), "ask_p95": percentile(asks, 0.95),
            "topic_first_ms": topics_first, "topic_p50": statistics.median(topics),
            "topic_p95": percentile(topics, 0.95), "query_rss_mib": peak_rss_mib()}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "qa.jsonl")
    parser.add_argument("--ask-count", type=int, default=40)
    parser.add_argument("--embed-clauses", type=int, default=200, help="real clauses embedded for throughput")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "policy-assistant" /
                        "test-embeddings.sqlite", help="sqlite cache of the seed vectors (shared with the tests)")
    parser.add_argument("--build-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--query-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_worker:
        print(json.dumps(build_size(args.build_worker, args.work, args.cache)))
        return
    if args.query_worker:
        print(json.dumps(query_size(args.work, load_questions(args.questions, args.ask_count))))
        return

    embedding = measure_embedding(get_embedder("e5"), args.embed_clauses)
    chars_per_s = embedding["chars"] / embedding["seconds"]
    rows = []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"pa-scale-{size}-"))
        try:
            row = run_worker("--build-worker", str(size), "--work", str(work), "--cache", str(args.cache))
            row |= run_worker("--query-worker", "--work", str(work), "--questions", str(args.questions),
                              "--ask-count", str(args.ask_count))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows.append(row)
        print(f"  done {size} documents", file=sys.stderr)
    print_table(embedding, chars_per_s, rows)


def print_table(embedding: dict, chars_per_s: float, rows: list[dict]) -> None:
    seed_chars = sum(len(embedding_text(c)) for d in load_corpus(SEEDS).documents for c in d.clauses)
    seed_clauses = sum(len(d.clauses) for d in load_corpus(SEEDS).documents)
    print(f"Embedding (multilingual-e5-small, real seed text, {embedding['clauses']} clauses): "
          f"{chars_per_s:,.0f} chars/s, {embedding['clauses'] / embedding['seconds']:.1f} clauses/s")
    print("| documents | clauses | full index¹ | clauses/s¹ | add 1 file¹ | peak RSS: build / serve³ | "
          "first ask (load) | ask p50 / p95 | topic p50 / p95 (first) | projected cold embedding² |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        chars = r["clauses"] * seed_chars / seed_clauses
        projected = chars / chars_per_s / 3600
        print(f"| {r['documents']:,} | {r['clauses']:,} | {r['full_s']:.0f} s | {r['clauses_per_s']:,.0f} | "
              f"{r['add_one_s']:.1f} s | {r['build_rss_mib']:,.0f} / {r['query_rss_mib']:,.0f} MiB | {r['first_ask_s']:.1f} s | "
              f"{r['ask_p50']:.0f} / {r['ask_p95']:.0f} ms | "
              f"{r['topic_p50']:.0f} / {r['topic_p95']:.0f} ms ({r['topic_first_ms'] / 1000:.1f} s) | {projected:.1f} h |")
    misses = sum(r["derived_misses"] for r in rows)
    print("¹ passage vectors derived from the seed vectors (see the module docstring), so these exclude "
          f"embedding time; {misses} clauses had no seed template and got a random direction.\n"
          "² the size's clause text at the measured embedding rate (seed-average clause length).\n"
          "³ build: the indexing process; serve: a fresh process that loads the index, answers and searches topics.")


if __name__ == "__main__":
    main()
