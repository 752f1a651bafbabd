"""What the benchmark scripts share: timing a function over inputs, percentiles, questions."""
from __future__ import annotations

import json
import time
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    """The q-th (0–1) value by rank, one of the measured values (no interpolation)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(function, inputs) -> list[float]:
    """Milliseconds of `function(x)` for each input, in order."""
    times = []
    for value in inputs:
        started = time.perf_counter()
        function(value)
        times.append((time.perf_counter() - started) * 1000)
    return times


def load_questions(path: Path, limit: int | None = None) -> list[str]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line)["question"] for line in lines if line.strip()][:limit]
