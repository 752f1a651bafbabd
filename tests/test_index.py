"""Index mechanics on a real Chroma on disk and real jieba/BM25, with the fast hashing
embedder (the real embedder is exercised in test_answer.py)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import pytest

from assistant.app import App, Settings
from assistant.index import Index, IndexUnavailable, build_index, is_up_to_date
from assistant.retrieve import HybridRetriever

from .conftest import ROOT


def build(corpus, index_dir, embedder):
    return build_index(corpus, index_dir, embedder, progress=False)


def test_full_build_indexes_every_clause_in_both_backends(corpus_copy, tmp_path, hashing_embedder):
    report = build(corpus_copy, tmp_path / "index", hashing_embedder)
    index = Index.load(tmp_path / "index")
    assert report.documents == 5 and sorted(report.added) == sorted(index.documents)
    assert index.vectors.count() == len(index.clauses) == report.clauses
    assert len(index.keywords.clause_ids) == len(index.clauses)
    assert report.embedded == len({c.text for c in index.clauses})


def test_unchanged_corpus_is_up_to_date_and_rebuild_embeds_nothing(corpus_copy, tmp_path, hashing_embedder):
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    assert is_up_to_date(tmp_path / "index", corpus_copy, hashing_embedder.name)
    before = hashing_embedder.texts_embedded
    report = build(corpus_copy, tmp_path / "index", hashing_embedder)
    assert hashing_embedder.texts_embedded == before
    assert report.embedded == 0 and not (report.added or report.changed or report.removed)


def test_changed_document_reembeds_only_its_changed_clauses(corpus_copy, tmp_path, hashing_embedder):
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    path = corpus_copy / "pudong-2017.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("达到48件", "达到49件"), encoding="utf-8")
    assert not is_up_to_date(tmp_path / "index", corpus_copy, hashing_embedder.name)
    report = build(corpus_copy, tmp_path / "index", hashing_embedder)
    assert report.changed == ["pudong-2017"]
    assert report.embedded == 1
    index = Index.load(tmp_path / "index")
    assert any("达到49件" in c.text for c in index.clauses)
    assert not any("达到48件" in c.text for c in index.clauses)
    assert index.vectors.count() == len(index.clauses)


def test_search_texts_and_word_weights_are_saved_and_follow_changes(corpus_copy, tmp_path, hashing_embedder):
    from assistant.text import normalize

    build(corpus_copy, tmp_path / "index", hashing_embedder)
    path = corpus_copy / "haishu-2024.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n十、附則\n本方案由區知識產權局負責解釋，量子糾纏專利。\n",
                    encoding="utf-8")
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    index = Index.load(tmp_path / "index")
    assert index.search_texts == [normalize(c.text) for c in index.clauses]
    assert any("量子纠缠专利" in t for t in index.search_texts)  # the new clause, in simplified script
    rare, common = index.idf.of("纠缠"), index.idf.of("知识产权")
    assert index.idf.unseen > rare > common > 0


def test_removed_file_takes_its_clauses_with_it(corpus_copy, tmp_path, hashing_embedder):
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    (corpus_copy / "zhengzhou-2023.txt").unlink()
    report = build(corpus_copy, tmp_path / "index", hashing_embedder)
    index = Index.load(tmp_path / "index")
    assert report.removed == ["zhengzhou-2023"]
    assert "zhengzhou-2023" not in index.documents
    assert not any(c.doc_id == "zhengzhou-2023" for c in index.clauses)
    assert index.vectors.count() == len(index.clauses)
    retriever = HybridRetriever(index, hashing_embedder)
    assert all(h.clause.doc_id != "zhengzhou-2023" for h in retriever.search("郑州 专利代理师", k=20))


def test_interrupted_build_leaves_previous_index_working(corpus_copy, tmp_path, hashing_embedder, monkeypatch):
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    (corpus_copy / "caohejing-2024.txt").unlink()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.index._write_build", crash)
    with pytest.raises(KeyboardInterrupt):
        build(corpus_copy, tmp_path / "index", hashing_embedder)
    index = Index.load(tmp_path / "index")
    assert "caohejing-2024" in index.documents
    assert index.vectors.count() == len(index.clauses)


def test_corrupted_or_foreign_index_is_reported_then_rebuilt(corpus_copy, tmp_path, hashing_embedder):
    index_dir = tmp_path / "index"
    build(corpus_copy, index_dir, hashing_embedder)
    live = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    (live / "documents.jsonl").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="corrupted"):
        Index.load(index_dir)
    app = App(Settings(corpus=corpus_copy, index=index_dir), embedder=hashing_embedder)
    assert app.ensure_index(progress=False) is not None
    assert len(app.index.documents) == 5

    live = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    manifest = json.loads((live / "manifest.json").read_text())
    (live / "manifest.json").write_text(json.dumps({**manifest, "format": 0}), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="another version"):
        Index.load(index_dir)

    app.build(progress=False)
    live = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    (live / "search_texts.json").unlink()
    with pytest.raises(IndexUnavailable, match="search_texts.json is missing"):
        Index.load(index_dir)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexUnavailable, match="no index"):
        Index.load(tmp_path / "nowhere")


def test_unreadable_file_is_skipped_and_named(corpus_copy, tmp_path, hashing_embedder):
    (corpus_copy / "broken.txt").write_bytes(b"\x00\x01\x80\x81\xfe\x02" * 50)
    report = build(corpus_copy, tmp_path / "index", hashing_embedder)
    assert report.documents == 5
    assert any("broken.txt" in line for line in report.errors)


def test_missing_and_empty_corpus_fail_clearly(tmp_path, hashing_embedder):
    with pytest.raises(FileNotFoundError):
        build(tmp_path / "absent", tmp_path / "index", hashing_embedder)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError):
        build(tmp_path / "empty", tmp_path / "index", hashing_embedder)
    assert not (tmp_path / "index" / "CURRENT").exists()


@pytest.mark.slow
def test_no_change_reindex_from_the_command_line_is_quick_and_says_so(seed_app):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assistant", "index", "--corpus", str(seed_app.settings.corpus),
                           "--index", str(seed_app.settings.index)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
    assert time.perf_counter() - started < 5  # generous; the benchmark reports the real figure


def test_keyword_index_folder_round_trips(corpus_copy, tmp_path, hashing_embedder):
    build(corpus_copy, tmp_path / "index", hashing_embedder)
    index = Index.load(tmp_path / "index")
    copy = tmp_path / "copy"
    shutil.copytree(index.build / "keywords", copy)
    from assistant.keywords import KeywordIndex

    loaded = KeywordIndex.load(copy)
    assert loaded.clause_ids == index.keywords.clause_ids
    top = loaded.search(["质押融资"], 3)
    assert top and "质押融资" in index.clause_by_id[top[0].clause_id].text


def test_keyword_update_tokenises_only_new_text_and_equals_a_full_build(corpus_copy):
    from assistant.documents import load_corpus
    from assistant.index import _token_key, keyword_text
    from assistant.keywords import KeywordIndex
    from assistant.text import tokenize

    clauses = [c for d in load_corpus(corpus_copy).documents for c in d.clauses]
    tokens = {c.id: tokenize(keyword_text(c)) for c in clauses}
    ids, keys = (lambda cs: [c.id for c in cs]), (lambda cs: [_token_key(c) for c in cs])
    before = KeywordIndex.build(ids(clauses[:150]), keys(clauses[:150]), [tokens[c.id] for c in clauses[:150]])
    after = clauses[60:]  # 60 clauses gone, the last ones new
    tokenised = []
    updated = KeywordIndex.update(before, ids(after), keys(after),
                                  lambda i: tokenised.append(i) or tokens[after[i].id])
    full = KeywordIndex.build(ids(after), keys(after), [tokens[c.id] for c in after])

    assert tokenised and set(tokenised) == {i for i, key in enumerate(keys(after)) if key not in set(before.keys)}
    assert sorted(updated.terms) == sorted(full.terms)  # terms only the removed clauses used are gone
    for question in (["质押融资"], ["专利代理师", "培养", "培养"], ["商业秘密", "落实单位"]):
        assert (updated.scores(question) == full.scores(question)).all()
        assert updated.search(question, 5) == full.search(question, 5) and full.search(question, 5)


def test_keyword_update_gives_each_copy_of_a_repeated_text_its_row():
    from assistant.keywords import KeywordIndex

    before = KeywordIndex.build(["a", "b"], ["k1", "k2"], [["质押", "融资"], ["商标"]])
    updated = KeywordIndex.update(before, ["a", "a2", "b"], ["k1", "k1", "k2"], lambda i: ["质押", "融资"])
    assert {h.clause_id for h in updated.search(["融资"], 5)} == {"a", "a2"}
    assert updated.scores(["融资"])[0] == updated.scores(["融资"])[1] > 0


def test_keyword_scores_equal_the_reference_bm25s(corpus_copy):
    bm25s = pytest.importorskip("bm25s")
    import numpy as np

    from assistant.documents import load_corpus
    from assistant.index import _token_key, keyword_text
    from assistant.keywords import KeywordIndex
    from assistant.text import normalize, tokenize

    clauses = [c for d in load_corpus(corpus_copy).documents for c in d.clauses]
    token_lists = [tokenize(keyword_text(c)) for c in clauses]
    ours = KeywordIndex.build([c.id for c in clauses], [_token_key(c) for c in clauses], token_lists)
    reference = bm25s.BM25()  # Lucene's BM25, k1 = 1.5, b = 0.75
    reference.index(token_lists, show_progress=False)
    for question in ("漕河泾计划培养多少名执业专利代理师", "商业秘密保护的落实单位", "知识产权 知识产权 质押融资"):
        tokens = [t for t in tokenize(normalize(question)) if t in reference.vocab_dict]
        np.testing.assert_allclose(ours.scores(tokens), reference.get_scores(tokens), rtol=1e-5, atol=1e-6)


def test_the_vector_graph_is_built_for_recall(seed_app):
    """The collection keeps the denser graph it was created with (stores.HNSW_CONFIGURATION): with
    Chroma's defaults the clause the exact search ranks first was now and then missed."""
    hnsw = seed_app.index.vectors._collection.configuration_json["hnsw"]
    assert (hnsw["space"], hnsw["max_neighbors"], hnsw["ef_search"]) == ("cosine", 32, 200)


def test_a_search_within_documents_is_exact_and_follows_changes(tmp_path):
    """A search limited to some documents (each with its clause ids) ranks their clauses by exact cosine
    (what Chroma's own filtered query returns) and sees vectors written after an earlier search."""
    import numpy as np

    from assistant.stores import ChromaStore

    store = ChromaStore.on_disk(tmp_path / "chroma")
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(60, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"c{i}" for i in range(60)]
    store.upsert(ids, vectors, [{"doc_id": f"d{i % 3}"} for i in range(60)])
    query = rng.normal(size=8).astype(np.float32)

    members = {d: [f"c{i}" for i in range(60) if i % 3 == int(d[1])] for d in ("d1", "d2")}
    within = store.search(query, 5, members)
    own = [i for i in range(60) if i % 3]
    exact = sorted(own, key=lambda i: -float(vectors[i] @ query))[:5]
    assert [h.clause_id for h in within] == [f"c{i}" for i in exact]
    chroma = store._collection.query(query_embeddings=[query], n_results=5, where={"doc_id": {"$in": ["d1", "d2"]}})
    assert [h.clause_id for h in within] == chroma["ids"][0]

    store.upsert(["new"], query[None, :] / np.linalg.norm(query), [{"doc_id": "d1"}])
    assert store.search(query, 1, {"d1": [*members["d1"], "new"]})[0].clause_id == "new"
    store.delete(["new"])
    assert store.search(query, 1, {"d1": members["d1"]})[0].clause_id != "new"
