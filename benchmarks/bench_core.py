"""Core speed figures on the seed corpus: full index, no-change re-index, warm `ask`.

    python benchmarks/bench_core.py [--questions eval/qa.jsonl] [--cache INDEX/embeddings.sqlite]

Targets on a 2-core machine: full index ≤ 15 s, no-change re-index ≤ 1 s,
warm ask p95 ≤ 60 ms. Prints what it measures; it does not judge.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App, Settings  # noqa: E402
from benchmarks.timing import load_questions, percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "qa.jsonl")
    parser.add_argument("--cache", type=Path, default=None,
                        help="seed the embedding cache from this sqlite file (measures a rebuild, not a cold build)")
    args = parser.parse_args()
    if args.cache and not args.cache.is_file():
        parser.error(f"--cache {args.cache}: no such file (give an index's embeddings.sqlite)")

    work = Path(tempfile.mkdtemp(prefix="pa-bench-"))
    try:
        index_dir = work / "index"
        index_dir.mkdir()
        if args.cache:
            shutil.copy(args.cache, index_dir / "embeddings.sqlite")
        app = App(Settings(corpus=args.corpus, index=index_dir))
        started = time.perf_counter()
        report = app.build(progress=False)
        full = time.perf_counter() - started
        chars = sum(len(c.text) for c in app.index.clauses)
        kind = "with a warm embedding cache" if args.cache else "cold, every clause embedded"
        print(f"full index ({kind}): {full:.1f} s — {report.documents} documents, {report.clauses} clauses, "
              f"{report.embedded} embedded, {chars} characters ({chars / full:.0f} chars/s overall)")

        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant", "index", "--corpus", str(args.corpus),
                        "--index", str(index_dir)], check=True, capture_output=True)
        print(f"no-change re-index (CLI, whole process): {time.perf_counter() - started:.2f} s")

        questions = load_questions(args.questions)
        answerer = app.answerer
        answerer.ask(questions[0])  # warm: models, caches and lazy indexes loaded
        timings = []
        for question in questions:
            started = time.perf_counter()
            answerer.ask(question)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"warm ask over {len(timings)} questions: p50 {statistics.median(timings):.1f} ms, "
              f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
