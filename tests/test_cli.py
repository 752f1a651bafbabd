"""The command line as users run it: a real process, real index, one-line errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


def run(*args, env=None, stdin=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, input=stdin, timeout=600)


@pytest.fixture(scope="module")
def kb(seed_app):
    """Arguments pointing the CLI at the session's seed index."""
    return ["--corpus", str(seed_app.settings.corpus), "--index", str(seed_app.settings.index)]


def test_ask_json_prints_exactly_one_object_of_the_documented_shape(kb):
    done = run("ask", "--json", "漕河泾计划培养多少名执业专利代理师？", *kb)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert set(record) >= {"question", "answer", "abstained", "citations"}
    assert "750" in record["answer"] and record["abstained"] is False
    citation = record["citations"][0]
    assert set(citation) == {"n", "doc_id", "doc_title", "doc_number", "clause_id", "path", "page", "text", "score",
                             "provenance", "links"}
    assert citation["provenance"] == {"origin": "corpus"}
    assert citation["n"] == 1 and "[1]" in record["answer"]
    assert citation["doc_number"] == "徐府发〔2024〕6号"
    assert "750人" in citation["text"] and isinstance(citation["path"], list)


def test_ask_readable_shows_answer_titles_paths_and_clause_text(kb):
    done = run("ask", "海曙區知識產權質押融資累計金額目標是多少？", *kb)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("答：")
    assert "《海曙區國家知識產權強縣建設試點縣工作方案(2024-2026年)》" in done.stdout
    assert "›" in done.stdout and "200億元" in done.stdout


def test_batch_answers_one_json_line_per_question_and_reports_bad_lines(kb, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text("漕河泾计划培养多少名执业专利代理师？\n\n北京市的专利代理师目标是多少？\n"
                         + "长" * 2100 + "\n", encoding="utf-8")
    done = run("ask", "--json", "--batch", str(questions), *kb)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 3
    assert "750" in records[0]["answer"]
    assert records[1]["abstained"] is True
    assert "2000" in records[2]["error"]


def test_docs_json_lists_metadata_and_clause_counts(kb):
    done = run("docs", "--json", *kb)
    documents = {d["id"]: d for d in json.loads(done.stdout)["documents"]}
    assert set(documents) == {"caohejing-2024", "xuhui-2022", "pudong-2017", "zhengzhou-2023", "haishu-2024"}
    assert documents["pudong-2017"]["number"] == "浦府〔2017〕94号"
    assert documents["xuhui-2022"]["number"] is None
    assert all(d["clauses"] > 10 for d in documents.values())


def test_options_read_environment_variables(seed_app):
    env = {"POLICY_ASSISTANT_CORPUS": str(seed_app.settings.corpus),
           "POLICY_ASSISTANT_INDEX": str(seed_app.settings.index)}
    done = run("docs", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["documents"]) == 5


@pytest.mark.parametrize("args, message", [
    (["ask", ""], "问题为空"),
    (["ask", "问" * 2001], "2000"),
    (["ask"], "问题为空"),
])
def test_bad_questions_exit_nonzero_with_one_line(kb, args, message):
    done = run(*args, *kb)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_missing_or_empty_corpus_is_a_one_line_error(tmp_path):
    missing = run("ask", "问题", "--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "index"))
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "nope" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run("index", "--corpus", str(tmp_path / "empty"), "--index", str(tmp_path / "index"))
    assert empty.returncode != 0 and "Traceback" not in empty.stderr
    assert "no documents" in empty.stderr


def test_ask_builds_a_missing_index_and_rebuilds_a_corrupted_one(seed_app, tmp_path):
    import shutil

    index_dir = tmp_path / "index"
    shutil.copy(seed_app.settings.index / "embeddings.sqlite", tmp_path / "cache.sqlite")
    index_dir.mkdir()
    shutil.copy(tmp_path / "cache.sqlite", index_dir / "embeddings.sqlite")  # vectors only: no index yet
    args = ["--corpus", str(seed_app.settings.corpus), "--index", str(index_dir)]
    built = run("ask", "--json", "漕河泾计划培养多少名执业专利代理师？", *args)
    assert built.returncode == 0, built.stderr
    assert "indexed 5 documents" in built.stderr and "750" in json.loads(built.stdout)["answer"]

    live = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    (live / "keywords" / "clauses.json").write_text("garbage", encoding="utf-8")
    rebuilt = run("ask", "--json", "漕河泾计划培养多少名执业专利代理师？", *args)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "repairing" in rebuilt.stderr and "750" in json.loads(rebuilt.stdout)["answer"]
