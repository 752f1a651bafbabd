"""Load: many users asking at once through a real server (real embedder, real Chroma on disk),
while a large file is being added; every answer must be the asker's own and none may fail.
No timings are asserted (benchmarks/bench_load.py measures them); only what happened and in
which order."""
from __future__ import annotations

import shutil
import threading
import time

import pytest

from assistant.app import App, Settings
from assistant.library import add_files

from .conftest import CORPUS
from .test_web import served

pytestmark = pytest.mark.slow
# Each question's own figure and document: an answer carrying another's is cross-talk.
EXPECTED = {
    "漕河泾计划培养多少名执业专利代理师？": ("750", "caohejing-2024"),
    "徐汇区专利代理师总人数要达到多少？": ("520", "xuhui-2022"),
    "海曙區知識產權質押融資累計金額目標是多少？": ("200", "haishu-2024"),
    "郑州计划培养多少名执业专利代理师？": ("600", "zhengzhou-2023"),
    "浦东新区到2019年每万人发明专利拥有量目标是多少？": ("48件", "pudong-2017"),
}


def large_plan(path, items: int):
    """A long plan: thousands of numbered items (a few distinct texts, so that the embedding
    cache keeps the test short; parsing, tokenising and writing the index are the real work)."""
    lines = ["某新区知识产权强区建设实施方案", "一、重点任务"]
    lines += [f"（一）推进第{i % 25}类知识产权服务。提升服务质量，完善工作机制。" for i in range(items)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def ask_as_user(url: str, user: int, questions: list[str], results: list, errors: list) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
        for question in questions:
            record = client.predict(question, [], api_name="/ask")
            results.append((user, question, record, time.monotonic()))
    except Exception as exc:  # a failed request is a result of the test, not a crash of it
        errors.append(f"user {user}: {type(exc).__name__}: {exc}")


def run_users(url: str, users: int, per_user: int) -> tuple[list, list]:
    questions = list(EXPECTED)
    results, errors = [], []
    threads = [threading.Thread(target=ask_as_user, args=(url, user, [questions[(user + k) % len(questions)]
                                                                        for k in range(per_user)], results, errors))
               for user in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    return results, errors


def assert_own_answers(results: list, expected_count: int) -> None:
    assert len(results) == expected_count
    for user, question, record, _ in results:
        figure, doc_id = EXPECTED[question]
        assert "error" not in record, (user, record)
        assert record["question"] == question and figure in record["answer"], (user, question, record["answer"])
        assert record["citations"][0]["doc_id"] == doc_id, (user, question)


@pytest.fixture
def load_app(seed_app, tmp_path) -> App:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shutil.copytree(seed_app.settings.index, tmp_path / "index", ignore=shutil.ignore_patterns("LOCK"))
    app = App(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index", admin_password="pw"),
              embedder=seed_app.embedder)
    assert app.ensure_index(progress=False) is None
    return app


def test_twenty_users_asking_five_questions_each_get_their_own_answers(load_app):
    with served(load_app) as url:
        results, errors = run_users(url, users=20, per_user=5)
    assert errors == []
    assert_own_answers(results, 100)


def test_answers_keep_coming_while_a_large_file_is_added(load_app, tmp_path):
    big = large_plan(tmp_path / "big-plan.txt", 20_000)
    upload: dict = {}

    def add() -> None:  # what the page's upload handler runs, in the server's process
        upload["started"] = time.monotonic()
        upload["report"] = add_files(load_app, [big], via="web")
        upload["finished"] = time.monotonic()

    with served(load_app) as url:
        adder = threading.Thread(target=add)
        adder.start()
        results, errors = run_users(url, users=5, per_user=5)
        adder.join(timeout=900)
    assert errors == [] and upload["report"].added == ["big-plan"] and not upload["report"].errors
    assert_own_answers(results, 25)
    during = [r for r in results if upload["started"] < r[3] < upload["finished"]]
    assert during, "no answer was given while the file was being added"
    assert len(load_app.index.documents["big-plan"].clauses) == 20_000
