"""Conflicting sources: a planted or outdated document no longer vouches for itself.
Real files added through the library (real embedder, real Chroma on disk), the CLI's verify,
the extractive and the generative answer checks (a real HTTP server for the model), the page."""
from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from assistant.app import App, Settings
from assistant.conflicts import ConflictFinder
from assistant.library import add_files
from assistant.web import ChatHandlers, render_citation

from .conftest import CORPUS
from .test_web import browser_page, served

pytestmark = pytest.mark.slow
PLANTED = "徐汇区关于调整专利代理师培养目标的通知\n\n一、调整目标\n\n到2025年，徐汇区专利代理师总人数目标调整为9999人。\n"
QUESTION = "徐汇区专利代理师总人数目标是多少？"


@pytest.fixture(scope="module")
def planted_app(seed_app, tmp_path_factory) -> App:
    """The seeds plus a file, added with the CLI's function, that gives 徐汇区 another figure."""
    folder = tmp_path_factory.mktemp("planted")
    shutil.copytree(CORPUS, folder / "corpus")
    shutil.copy(seed_app.settings.index / "embeddings.sqlite", folder / "embeddings.sqlite")
    (folder / "index").mkdir()
    shutil.copy(folder / "embeddings.sqlite", folder / "index" / "embeddings.sqlite")
    app = App(Settings(corpus=folder / "corpus", index=folder / "index"), embedder=seed_app.embedder)
    app.ensure_index(progress=False)
    planted = folder / "徐汇目标调整.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    report = add_files(app, [planted])
    assert report.added == ["徐汇目标调整"]
    return app


def planted_clause(app: App):
    return next(c for c in app.index.documents["徐汇目标调整"].clauses if "9999" in c.text)


def test_verify_reports_both_clauses_when_documents_disagree(planted_app):
    for statement in ("徐汇区专利代理师总人数目标为9999人。", "徐汇区专利代理师总人数达到520人。"):
        sentence = planted_app.verifier.verify(statement).sentences[0]
        assert sentence.status == "conflicting", (statement, sentence.reason)
        ids = [e.clause_id for e in sentence.evidence]
        assert planted_clause(planted_app).id in ids and "xuhui-2022#2.d4" in ids
        assert "9999" in sentence.reason and "520" in sentence.reason and "与其他条款不一致" in sentence.reason
    other = planted_app.verifier.verify("郑州计划培养600名执业专利代理师。").sentences[0]
    assert other.status == "supported"


def test_cli_verify_shows_the_conflict(planted_app):
    from .conftest import run_cli

    result = run_cli(planted_app, "verify", "徐汇区专利代理师总人数目标为9999人。")
    assert result.exit_code == 0 and "与其他条款不一致" in result.output and "xuhui-2022#2.d4" in result.output


def test_extractive_answer_checks_report_the_conflict_and_citations_their_provenance(planted_app):
    record = planted_app.answerer.ask(QUESTION).to_dict()
    conflicting = [c for c in record["checks"] if c["status"] == "conflicting"]
    assert conflicting and all("9999" in c["reason"] and "520" in c["reason"] for c in conflicting)
    origins = {c["doc_id"]: c["provenance"] for c in record["citations"]}
    assert origins["徐汇目标调整"]["origin"] == "added" and origins["徐汇目标调整"]["via"] == "cli"
    assert re.match(r"\d{4}-\d{2}-\d{2}T", origins["徐汇目标调整"]["added_at"])
    assert origins.get("xuhui-2022") == {"origin": "corpus"}


def test_a_generative_answer_citing_the_planted_clause_does_not_pass_its_check(planted_app):
    from .fake_openai import FakeOpenAI, Reply

    def cite_planted(body: dict) -> str:
        prompt = body["messages"][-1]["content"]
        n = next(m.group(1) for m in re.finditer(r"\[(\d+)\][^\[]*", prompt) if "9999" in m.group(0))
        return f"徐汇区专利代理师总人数目标为9999人。[{n}]"

    with FakeOpenAI() as fake:
        settings = dataclasses.replace(planted_app.settings, llm_base_url=fake.base_url, llm_model="fake",
                                       llm_timeout=20)
        fake.script(Reply(cite_planted))
        answer = App(settings, embedder=planted_app.embedder).llm.ask(QUESTION)
    assert answer.mode == "llm" and [c.status for c in answer.checks] == ["conflicting"]
    assert "520" in answer.checks[0].reason


def test_the_chat_shows_the_conflict_and_where_the_document_came_from(planted_app):
    history, _, state, _, _ = list(ChatHandlers(planted_app).chat(QUESTION, [], []))[-1]
    message = history[-1]["content"]
    assert "⚠️" in message and "与其他条款不一致" in message and "命令行添加于" in message
    planted = next(c for c in state if c["doc_id"] == "徐汇目标调整")
    assert "来源：命令行添加于" in render_citation(planted_app, planted)
    shipped = next(c for c in state if c["doc_id"] == "xuhui-2022")
    assert "来源：随知识库提供" in render_citation(planted_app, shipped)


@pytest.mark.browser
def test_real_browser_shows_the_conflict(planted_app):
    with served(planted_app) as url, browser_page(url) as page:
        page.fill("#question textarea", QUESTION)
        page.click("#send")
        page.wait_for_selector("#citations label", timeout=60000)
        assert "与其他条款不一致" in page.inner_text("#chatbot")
        page.click("#citations label:has-text('命令行添加于')")
        page.wait_for_function("document.querySelector('#citation-view').innerText.includes('9999')")
        assert "来源：命令行添加于" in page.inner_text("#citation-view")


def test_plans_of_different_places_never_conflict(seed_app):
    finder = ConflictFinder(seed_app.index)
    targets = seed_app.targets.targets
    assert len(targets) > 50 and all(finder.of(t) == [] for t in targets)
    checked = {seed_app.verifier.check(t.indicator + t.value_text + "。", [seed_app.index.clause_by_id[t.clause_id]]).status
               for t in targets}
    assert checked == {"supported"}
    verified = [seed_app.verifier.verify(f"{t.region}{t.indicator}{t.value_text}。").sentences[0].status for t in targets]
    assert "conflicting" not in verified and verified.count("supported") >= 0.9 * len(targets)
