"""A shared index on a real Chroma server (`chroma run`, started here on a free port):
index, ask, add and remove through the library and through the CLI with --chroma-url."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.app import App, Settings
from assistant.index import Index
from assistant.library import add_files, remove_document

from .conftest import ROOT, HashingEmbedder, free_port
from .fixture_files import REGULATION_LINES, write_pdf

pytestmark = pytest.mark.slow
CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "wb")
    server = subprocess.Popen([str(CHROMA), "run", "--path", str(data / "db"), "--port", str(port),
                               "--host", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_heartbeat(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_for_heartbeat(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"chroma server at {url} did not answer within {timeout} s")


def test_library_round_trip_on_the_server(chroma_url, corpus_copy, tmp_path):
    settings = Settings(corpus=corpus_copy, index=tmp_path / "index", chroma_url=chroma_url)
    app = App(settings, embedder=HashingEmbedder())
    report = app.build(progress=False)
    assert report.documents == 5 and app.index.vectors.count() == report.clauses
    assert not (tmp_path / "index" / "builds" / (tmp_path / "index" / "CURRENT").read_text() / "chroma").exists()

    pdf = write_pdf(tmp_path / "regulation.pdf", [REGULATION_LINES[:4], REGULATION_LINES[4:]])
    added = add_files(app, [pdf])
    assert added.added == ["regulation"] and added.build.embedded == 4
    # Another process reading the same index folder sees the same vectors on the server.
    reader = App(settings, embedder=HashingEmbedder())
    assert reader.index.vectors.count() == len(reader.index.clauses)
    dense = reader.retriever.dense("专利转化专项资金", 3, ["regulation"])
    assert dense and dense[0].clause.id == "regulation#c2.a3" and dense[0].clause.page == 2

    removed = remove_document(app, "regulation")
    assert removed.removed == ["regulation"]
    index = Index.load(settings.index)
    assert index.vectors.count() == len(index.clauses) == report.clauses


def test_a_server_that_lost_its_vectors_is_filled_again_on_the_next_build(chroma_url, corpus_copy, tmp_path):
    settings = Settings(corpus=corpus_copy, index=tmp_path / "index", chroma_url=chroma_url)
    app = App(settings, embedder=HashingEmbedder())
    clauses = app.build(progress=False).clauses
    app.index.vectors.delete([c.id for c in app.index.clauses[:10]])  # e.g. a server restored from an old backup
    (corpus_copy / "xuhui-2022.txt").unlink()
    report = app.build(progress=False)
    assert report.embedded == 0  # vectors come back from the embedding cache
    assert app.index.vectors.count() == len(app.index.clauses) < clauses


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=600)


def test_cli_with_the_real_embedder_against_the_server(chroma_url, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "regulation.txt", corpus)
    kb = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    env = {"POLICY_ASSISTANT_CHROMA_URL": chroma_url}

    done = run_cli("index", *kb, env=env)
    assert done.returncode == 0, done.stderr
    assert "indexed 1 documents" in done.stdout

    pdf = write_pdf(tmp_path / "pudong-extract.pdf", [
        ["浦东新区知识产权工作方案", "为推进知识产权工作，制定本方案。"],
        ["一、工作目标", "到2020年，浦东新区每万人发明专利拥有量达到48件。"]])
    done = run_cli("add", str(pdf), *kb, "--chroma-url", chroma_url)
    assert done.returncode == 0, done.stderr
    assert "added 1" in done.stdout

    done = run_cli("ask", "专利转化专项资金支持哪些活动？", *kb, "--chroma-url", chroma_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("答：") and "第五条" in done.stdout

    done = run_cli("ask", "浦东每万人发明专利拥有量目标是多少？", *kb, env=env)
    assert done.returncode == 0, done.stderr
    assert "48件" in done.stdout and "(pudong-extract#1, 第2页)" in done.stdout

    done = run_cli("remove", "pudong-extract", *kb, env=env)
    assert done.returncode == 0, done.stderr
    assert "removed 1" in done.stdout and not (corpus / "pudong-extract.pdf").exists()

    done = run_cli("remove", "pudong-extract", *kb, env=env)
    assert done.returncode != 0 and "no document 'pudong-extract'" in done.stderr

    done = run_cli("docs", "--json", *kb, env=env)
    assert done.returncode == 0, done.stderr
    assert '"id": "regulation"' in done.stdout and "pudong-extract" not in done.stdout
