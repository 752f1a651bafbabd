"""A damaged index repairs itself: faults injected into a real build of the seeds (real Chroma
on disk, the real embedder, the CLI in its own process) are found by `index` and by `ask`,
and what is broken is made again from the embedding cache, never re-embedded."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.index import Index, IndexUnavailable, build_damage

from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow
QUESTION = "漕河泾计划培养多少名执业专利代理师？"


def live(root: Path) -> Path:
    return root / "builds" / (root / "CURRENT").read_text(encoding="utf-8").strip()


def truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as f:
        f.truncate(size)


FAULTS = {
    "truncated chroma.sqlite3": lambda root: truncate(live(root) / "chroma" / "chroma.sqlite3", 100_000),
    "truncated search_texts.json": lambda root: truncate(live(root) / "search_texts.json", 1000),
    "garbage in CURRENT": lambda root: (root / "CURRENT").write_bytes(b"\x00\xff../../etc"),
    "vector folder deleted": lambda root: shutil.rmtree(live(root) / "chroma"),
    "truncated documents.jsonl": lambda root: truncate(live(root) / "documents.jsonl", 5000),
}


@pytest.fixture
def damaged(seed_app, tmp_path, request):
    """A copy of the seed index (with its embedding cache) with one fault injected."""
    root = tmp_path / "index"
    shutil.copytree(seed_app.settings.index, root, ignore=shutil.ignore_patterns("LOCK"))
    FAULTS[request.param](root)
    return root


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args, "--corpus", str(CORPUS), "--index", str(root)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def assert_sound(root: Path) -> None:
    assert build_damage(root, deep=True) == {}
    index = Index.load(root)
    assert index.vectors.count() == len(index.clauses) == len(index.search_texts) > 150


@pytest.mark.parametrize("damaged", list(FAULTS), indirect=True)
def test_index_finds_the_damage_and_repairs_it_from_the_cache(damaged):
    result = cli(damaged, "index")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "embedded 0 new clause texts" in result.stdout  # every vector came from the cache
    assert_sound(damaged)
    assert "index up to date" in cli(damaged, "index").stdout


@pytest.mark.parametrize("damaged", list(FAULTS), indirect=True)
def test_ask_repairs_the_index_and_answers_with_dense_search_on(damaged):
    result = cli(damaged, "ask", "--json", QUESTION)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "750" in json.loads(result.stdout)["answer"]
    assert "embedded 0 new clause texts" in result.stderr
    assert_sound(damaged)


def test_vectors_missing_behind_an_open_index_is_an_error_naming_the_command(seed_app, tmp_path):
    root = tmp_path / "index"
    shutil.copytree(seed_app.settings.index, root, ignore=shutil.ignore_patterns("LOCK"))
    index = Index.load(root)
    index.vectors.delete([c.id for c in index.clauses[:10]])  # e.g. rows lost from Chroma's file
    assert "vectors" in build_damage(root)
    with pytest.raises(IndexUnavailable, match="policy-assistant index"):
        Index.load(root).vectors  # noqa: B018 - never a keyword-only answer without saying so
    result = cli(root, "index")
    assert "index damaged" in result.stderr and "embedded 0 new clause texts" in result.stdout
    assert_sound(root)


def test_a_sound_index_is_left_alone(seed_app):
    assert build_damage(seed_app.settings.index, deep=True) == {}
    assert seed_app.ensure_index(progress=False) is None
