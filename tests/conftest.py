"""Shared fixtures: the real corpus indexed once per session with the real embedder,
and a fast hashing embedder for tests of index mechanics."""
from __future__ import annotations

import hashlib
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from assistant.app import App, Settings
from assistant.embedders import Embedder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# Vectors survive between local runs so that iterating on tests does not re-embed the seeds.
EMBEDDING_CACHE = Path.home() / ".cache" / "policy-assistant" / "test-embeddings.sqlite"


class HashingEmbedder(Embedder):
    """Character-bigram hashing: deterministic, instant, good enough to test plumbing."""

    name = "test/hashing-bigrams"

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts, *, query):
        self.calls += 1
        self.texts_embedded += len(texts)
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in zip(text, text[1:]):
                out[row, int(hashlib.md5((a + b).encode()).hexdigest(), 16) % 64] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(app: App, *args):
    """The click CLI in-process, pointed at the given app's corpus and index."""
    from click.testing import CliRunner

    from assistant.cli import cli

    return CliRunner().invoke(cli, [*args, "--corpus", str(app.settings.corpus), "--index", str(app.settings.index)])


@pytest.fixture
def hashing_embedder():
    return HashingEmbedder()


@pytest.fixture
def corpus_copy(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture(scope="session")
def seed_app(tmp_path_factory) -> App:
    """The five seeds indexed with the real multilingual embedder, once per session."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    if EMBEDDING_CACHE.exists():
        shutil.copy(EMBEDDING_CACHE, index_dir / "embeddings.sqlite")
    app = App(Settings(corpus=CORPUS, index=index_dir))
    app.ensure_index(progress=False)
    EMBEDDING_CACHE.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(index_dir / "embeddings.sqlite", EMBEDDING_CACHE)
    return app
