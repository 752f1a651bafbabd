"""Hostile inputs: documents of thousands of repeated clause keys, oversized files, undecodable
questions. Real parser, real Chroma on disk and BM25 (hashing embedder), the real CLI."""
from __future__ import annotations

import json
import time

import pytest

from assistant.app import App, Settings
from assistant.documents import MAX_FILE_BYTES, MAX_TEXT_CHARS, parse_document
from assistant.library import add_files


def repeated_items(count: int) -> str:
    """A plan whose one section holds `count` items all numbered （一）: every clause key repeats."""
    lines = ["某区知识产权工作方案", "一、主要任务"]
    lines += [f"（一）加强专利保护，第{i}项工作要落实到位。" for i in range(1, count + 1)]
    return "\n".join(lines)


def test_repeated_keys_get_distinct_suffixes_in_order():
    clauses = parse_document(repeated_items(3000), "many", "many.txt").clauses
    keys = [c.id.split("#")[1] for c in clauses]
    assert keys[:3] == ["1.1", "1.1-2", "1.1-3"] and keys[-1] == "1.1-3000"
    assert len(set(keys)) == len(keys) == 3000


def test_suffix_counting_restarts_for_each_key():
    text = "某区方案\n一、任务\n（一）甲。\n（一）乙。\n（一）丙。\n二、保障\n（一）丁。"
    keys = [c.id.split("#")[1] for c in parse_document(text, "d", "d.txt").clauses]
    assert keys == ["1.1", "1.1-2", "1.1-3", "2.1"]


@pytest.mark.slow
def test_ten_megabytes_of_repeated_items_parse_in_linear_time():
    text = repeated_items(250_000)  # ≈ 10 MB of UTF-8
    assert len(text.encode("utf-8")) > 10_000_000
    started = time.perf_counter()
    clauses = parse_document(text, "big", "big.txt").clauses
    seconds = time.perf_counter() - started
    assert len(clauses) == 250_000 and clauses[-1].id == "big#1.1-250000"
    # Quadratic key numbering took 290 s for a twentieth of this; linear parsing takes ≈ 10 s.
    assert seconds < 120, f"{seconds:.0f} s"


@pytest.fixture
def app(corpus_copy, tmp_path, hashing_embedder):
    app = App(Settings(corpus=corpus_copy, index=tmp_path / "index"), embedder=hashing_embedder)
    app.build(progress=False)
    return app


def test_oversized_files_are_refused_by_name_with_the_limit_and_nothing_changes(app, tmp_path):
    before = sorted(p.name for p in app.settings.corpus.iterdir())
    long_text = tmp_path / "long-plan.txt"
    long_text.write_text(repeated_items(MAX_TEXT_CHARS // 20), encoding="utf-8")
    huge = tmp_path / "huge.pdf"
    with open(huge, "wb") as out:  # sparse: the size is checked before anything is read
        out.truncate(MAX_FILE_BYTES + 1)
    report = add_files(app, [long_text, huge])
    assert not report.added and report.build is None
    text_error, size_error = report.errors
    assert text_error.startswith("long-plan.txt:") and f"{MAX_TEXT_CHARS:,}" in text_error
    assert size_error.startswith("huge.pdf:") and f"{MAX_FILE_BYTES // 1_000_000} MB" in size_error
    assert sorted(p.name for p in app.settings.corpus.iterdir()) == before


def test_an_oversized_file_copied_into_the_corpus_is_skipped_with_a_message(app):
    (app.settings.corpus / "long-plan.txt").write_text(repeated_items(MAX_TEXT_CHARS // 20), encoding="utf-8")
    report = app.build(progress=False)
    assert any(line.startswith("long-plan.txt:") and "limit" in line for line in report.errors)
    assert report.documents == 5


def test_batch_answers_every_good_line_and_gives_each_bad_line_an_error_record(seed_app, tmp_path):
    from .conftest import run_cli

    batch = tmp_path / "questions.txt"
    batch.write_bytes("\ufeff漕河泾计划培养多少名执业专利代理师？\n".encode("utf-8") + b"\xff\xfe\xd5\xfe\n\n"
                      + "郑州计划培养多少名执业专利代理师？\n".encode("utf-8") + "問題\n".encode("big5")
                      + b"   \n" + ("长" * 5000 + "\n").encode("utf-8"))
    result = run_cli(seed_app, "ask", "--json", "--batch", str(batch))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r.get("line") for r in records] == [None, 2, None, 5, 7]
    first, undecodable, third, big5, too_long = records
    assert first["question"] == "漕河泾计划培养多少名执业专利代理师？" and "750" in first["answer"]
    assert "600" in third["answer"]
    assert "UTF-8" in undecodable["error"] and "UTF-8" in big5["error"]
    assert "过长" in too_long["error"]


def test_a_question_of_undecodable_bytes_is_a_one_line_error_everywhere(seed_app):
    from assistant.web import ChatHandlers

    from .conftest import run_cli

    question = "\udcff\udcfe专利代理师"  # how Python hands over argv bytes that are not UTF-8
    result = run_cli(seed_app, "ask", question)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "UTF-8" in result.output and "codec" not in result.output
    assert "UTF-8" in ChatHandlers(seed_app).ask_json(question)["error"]
