"""Many users at once through the web API, with and without a large file being added.

    python benchmarks/bench_load.py [--index DIR] [--users 20] [--questions-per-user 5] [--upload-items 20000]

A `serve` process on a copy of the seed index; each user is a gradio_client asking its
questions one after another, all users at once. Then the same load while `policy-assistant add`
adds a large plan (thousands of items) to the same knowledge base. Prints per-request latency
(p50/p95/max), errors and cross-talk (an answer without its own question's figure); it does
not judge.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_web import start_server, stop  # noqa: E402
from benchmarks.timing import percentile  # noqa: E402
from tests.test_load import EXPECTED, large_plan  # noqa: E402


def run_load(url: str, users: int, per_user: int) -> dict:
    from gradio_client import Client

    questions = list(EXPECTED)
    latencies: list[float] = []
    errors: list[str] = []
    crossed: list[str] = []

    def user(number: int) -> None:
        try:
            client = Client(url, verbose=False)
        except Exception as exc:
            errors.append(f"connect: {exc}")
            return
        for k in range(per_user):
            question = questions[(number + k) % len(questions)]
            started = time.perf_counter()
            try:
                record = client.predict(question, [], api_name="/ask")
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            figure, doc_id = EXPECTED[question]
            if "error" in record:
                errors.append(record["error"])
            elif record["question"] != question or figure not in record["answer"] \
                    or record["citations"][0]["doc_id"] != doc_id:
                crossed.append(question)

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "crossed": crossed, "seconds": time.perf_counter() - started}


def report(name: str, result: dict) -> None:
    ms = result["latencies"]
    figures = (f"p50 {percentile(ms, 0.5):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms"
               if ms else "no answers")
    print(f"{name}: {len(ms)} answers in {result['seconds']:.1f} s; {figures}; "
          f"errors {len(result['errors'])}, cross-talk {len(result['crossed'])}")
    for line in result["errors"][:5]:
        print(f"  error: {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index", help="a built index of the corpus (copied)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--questions-per-user", type=int, default=5)
    parser.add_argument("--upload-items", type=int, default=20_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        corpus, index = Path(scratch) / "corpus", Path(scratch) / "index"
        shutil.copytree(args.corpus, corpus)
        shutil.copytree(args.index, index, ignore=shutil.ignore_patterns("LOCK"))
        server, url, ready = start_server(corpus, index)
        try:
            print(f"server ready in {ready:.1f} s; {args.users} users × {args.questions_per_user} questions")
            run_load(url, 2, 1)  # Gradio's first request and the model's first question
            report("load only", run_load(url, args.users, args.questions_per_user))
            big = large_plan(Path(scratch) / "big-plan.txt", args.upload_items)
            started = time.perf_counter()
            adder = subprocess.Popen([sys.executable, "-m", "assistant", "add", str(big),
                                      "--corpus", str(corpus), "--index", str(index)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
            result = run_load(url, args.users, args.questions_per_user)
            output = adder.communicate()[0]
            added = time.perf_counter() - started
            report(f"while adding a {args.upload_items:,}-item file", result)
            print(f"  the add took {added:.1f} s (exit {adder.returncode}): {output.strip().splitlines()[-1]}")
        finally:
            stop(server)


if __name__ == "__main__":
    main()
