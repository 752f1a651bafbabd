"""Web chat speed on the seed corpus: how soon the page is ready after `policy-assistant serve`
starts (index already built), and how long an answer takes through the page's API.

    python benchmarks/bench_web.py [--index DIR] [--questions eval/qa.jsonl] [--count 20]

Targets on a 2-core machine: page ready ≤ 3 s after start; answer ≤ 1 s after submitting
(extractive mode). Prints what it measures; it does not judge.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import load_questions, percentile, timed  # noqa: E402
from tests.conftest import free_port  # noqa: E402


def wait_until_served(url: str, server: subprocess.Popen, timeout: float = 300) -> float:
    """Seconds until `url` answers 200 (the page's HTML is served)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def start_server(corpus: Path, index: Path) -> tuple[subprocess.Popen, str, float]:
    """A `serve` process, its URL and the seconds it took to serve the page."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port),
                               "--corpus", str(corpus), "--index", str(index)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    try:
        return server, url, wait_until_served(url, server)
    except RuntimeError:
        stop(server)
        raise


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=ROOT / "index")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "qa.jsonl")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--starts", type=int, default=3, help="server starts timed")
    args = parser.parse_args()

    cli = [sys.executable, "-m", "assistant", "index", "--corpus", str(args.corpus), "--index", str(args.index)]
    subprocess.run(cli, check=True, capture_output=True)  # the target assumes an existing index
    ready = []
    for _ in range(args.starts - 1):
        server, _, seconds = start_server(args.corpus, args.index)
        stop(server)
        ready.append(seconds)
    server, url, seconds = start_server(args.corpus, args.index)
    ready.append(seconds)
    print(f"page ready after start, {len(ready)} starts: median {statistics.median(ready):.1f} s "
          f"({', '.join(f'{s:.1f}' for s in ready)})")
    try:
        from gradio_client import Client

        client = Client(url, verbose=False)
        questions = load_questions(args.questions, args.count)
        times = timed(lambda q: client.predict(q, [], api_name="/ask"), questions)
        print(f"answer through the page's API, {len(times)} questions asked one by one as soon as the page is ready: "
              f"first {times[0]:.0f} ms; p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
