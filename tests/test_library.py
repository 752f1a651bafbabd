"""Knowledge-base management: add and remove files, with incremental index updates
(real Chroma on disk and BM25, the fast hashing embedder)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app import App, Settings
from assistant.documents import document_id
from assistant.index import Index
from assistant.library import UnknownDocument, add_files, corpus_name, remove_document

from .fixture_files import REGULATION_LINES, TARGET_ROWS, write_docx, write_pdf, write_scanned_pdf


@pytest.fixture
def app(corpus_copy, tmp_path, hashing_embedder):
    app = App(Settings(corpus=corpus_copy, index=tmp_path / "index"), embedder=hashing_embedder)
    app.build(progress=False)
    return app


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


def corpus_state(app: App) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in app.settings.corpus.iterdir()}


def live_build(app: App) -> str:
    return (app.settings.index / "CURRENT").read_text(encoding="utf-8")


def test_added_files_are_indexed_and_only_their_clauses_embedded(app, uploads, hashing_embedder):
    docx = write_docx(uploads / "Regulation 2025.DOCX", REGULATION_LINES)
    pdf = write_pdf(uploads / "targets.pdf", [["某县知识产权工作方案", "一、主要任务"],
                                              ["（一）培育高价值专利。到2026年有效发明专利达到5000件。"]])
    before = hashing_embedder.texts_embedded
    report = add_files(app, [docx, pdf])
    assert report.added == ["regulation-2025", "targets"] and not report.errors
    assert {"regulation-2025.docx", "targets.pdf"} <= set(corpus_state(app))
    index = app.index
    new_clauses = [c for c in index.clauses if c.doc_id in ("regulation-2025", "targets")]
    assert hashing_embedder.texts_embedded - before == report.build.embedded == len({c.text for c in new_clauses})
    assert report.build.added == ["regulation-2025", "targets"] and not report.build.changed
    assert index.vectors.count() == len(index.clauses)
    assert index.clause_by_id["targets#1.1"].page == 2
    hits = app.retriever.search("有效发明专利达到5000件", k=3)
    assert hits[0].clause.id == "targets#1.1"


def test_the_same_file_twice_is_one_document_and_no_work(app, uploads, hashing_embedder):
    path = write_docx(uploads / "regulation.docx", REGULATION_LINES)
    add_files(app, [path])
    documents, before, build = len(app.index.documents), hashing_embedder.texts_embedded, live_build(app)
    report = add_files(app, [path])
    assert report.unchanged == ["regulation"] and report.build is None
    assert len(app.index.documents) == documents and live_build(app) == build
    assert hashing_embedder.texts_embedded == before


def test_a_changed_file_is_reparsed_and_only_its_changed_clause_embedded(app, uploads, hashing_embedder):
    path = write_docx(uploads / "regulation.docx", REGULATION_LINES, TARGET_ROWS)
    add_files(app, [path])
    before = hashing_embedder.texts_embedded
    write_docx(path, [line.replace("2025年1月1日", "2026年1月1日") for line in REGULATION_LINES], TARGET_ROWS)
    report = add_files(app, [path])
    assert report.replaced == ["regulation"] and report.build.changed == ["regulation"]
    assert hashing_embedder.texts_embedded - before == report.build.embedded == 1
    assert "2026年1月1日" in app.index.clause_by_id["regulation#c2.a4"].text


def test_a_file_with_the_id_of_another_format_replaces_it(app, uploads):
    text = (app.settings.corpus / "pudong-2017.txt").read_text(encoding="utf-8")
    lines = text.replace("达到48件", "达到49件").splitlines()
    report = add_files(app, [write_docx(uploads / "pudong-2017.docx", [line for line in lines if line.strip()])])
    assert report.replaced == ["pudong-2017"]
    names = [n for n in corpus_state(app) if n.startswith("pudong-2017")]
    assert names == ["pudong-2017.docx"]
    assert app.index.documents["pudong-2017"].source == "pudong-2017.docx"


def test_unreadable_files_are_reported_by_name_and_change_nothing(app, uploads, hashing_embedder):
    scan = write_scanned_pdf(uploads / "scan.pdf")
    garbage = uploads / "notes.docx"
    garbage.write_bytes(b"not a word file")
    state, build, before = corpus_state(app), live_build(app), hashing_embedder.texts_embedded
    report = add_files(app, [scan, garbage, uploads / "missing.txt", uploads / "sheet.xlsx"])
    assert not report.added and report.build is None
    assert [e.split(":")[0] for e in report.errors] == ["scan.pdf", "notes.docx", "missing.txt", "sheet.xlsx"]
    assert "no text layer" in report.errors[0]
    assert corpus_state(app) == state and live_build(app) == build
    assert hashing_embedder.texts_embedded == before


def test_good_files_are_added_when_others_in_the_batch_are_bad(app, uploads):
    report = add_files(app, [write_scanned_pdf(uploads / "scan.pdf"), write_docx(uploads / "ok.docx", REGULATION_LINES)])
    assert report.added == ["ok"] and len(report.errors) == 1
    assert "ok" in app.index.documents and "scan" not in app.index.documents


def test_a_failed_build_puts_the_corpus_back(app, uploads, monkeypatch):
    state, build = corpus_state(app), live_build(app)

    def unreachable(*args, **kwargs):
        raise RuntimeError("Chroma server unreachable")

    monkeypatch.setattr("assistant.index._write_build", unreachable)
    with pytest.raises(RuntimeError, match="unreachable"):
        add_files(app, [write_docx(uploads / "pudong-2017.docx", REGULATION_LINES)])
    with pytest.raises(RuntimeError, match="unreachable"):
        remove_document(app, "xuhui-2022")
    assert corpus_state(app) == state and live_build(app) == build


def test_remove_takes_the_document_out_of_corpus_and_index(app, hashing_embedder):
    before = hashing_embedder.texts_embedded
    report = remove_document(app, "zhengzhou-2023")
    assert report.removed == ["zhengzhou-2023"] and report.embedded == 0
    assert hashing_embedder.texts_embedded == before
    assert "zhengzhou-2023.txt" not in corpus_state(app)
    index = Index.load(app.settings.index)
    assert "zhengzhou-2023" not in index.documents
    assert index.vectors.count() == len(index.clauses)
    assert not any(c.doc_id == "zhengzhou-2023" for c in index.clauses)


def test_removing_an_unknown_id_is_a_clear_error(app):
    state, build = corpus_state(app), live_build(app)
    with pytest.raises(UnknownDocument, match=r"no document 'nowhere-2020'.*pudong-2017"):
        remove_document(app, "nowhere-2020")
    assert corpus_state(app) == state and live_build(app) == build


@pytest.mark.parametrize("name, stored", [("Pudong 2017.TXT", "pudong-2017.txt"),
                                           ("../../etc/plan.md", "plan.md"),
                                           ("海曙 方案.docx", "海曙-方案.docx")])
def test_corpus_names_are_safe_and_match_the_document_id(name, stored):
    assert corpus_name(Path(name)) == stored
    assert document_id(Path(stored)) == document_id(Path(name))
