"""The web chat: handlers, a live Gradio server driven by gradio_client, and a real
Chromium driven by Playwright (marked `browser`)."""
from __future__ import annotations

import json
import contextlib
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.app import App, Settings
from assistant.web import ChatHandlers, escape_markdown, highlight, render_citation, render_document, serve

from .conftest import ROOT, free_port
from .fixture_files import REGULATION_LINES, write_docx, write_pdf

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(__file__).parent / "artifacts"
QUESTION = "漕河泾计划培养多少名执业专利代理师？"
ADMIN_PASSWORD = "管理-s3cret"
# A finished upload: the file list names the file in an accessible label. (While the upload
# is in flight the name also shows as progress, so waiting on the text alone can catch that
# passing state, or miss it and the list, whose name is split into stem and suffix.)
UPLOADED = "#uploads [aria-label='{name}']"


@contextlib.contextmanager
def served(app):
    """The app's web chat on a free local port; yields its URL."""
    port = free_port()
    ui = serve(app, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        ui.close()


@contextlib.contextmanager
def browser_page(url: str):
    """A page of Debian's Chromium (headless, driven by Playwright) open at `url`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            yield page
        finally:
            browser.close()


@pytest.fixture(scope="module")
def live_server(seed_app):
    with served(seed_app) as url:
        yield url


@pytest.fixture(scope="module")
def html_app(tmp_path_factory):
    """A corpus whose document carries HTML and Markdown, indexed with the fast hashing embedder."""
    from .conftest import HashingEmbedder

    folder = tmp_path_factory.mktemp("html-corpus")
    shutil.copy(FIXTURES / "html_injection.txt", folder / "html-injection.txt")
    app = App(Settings(corpus=folder, index=folder.parent / "html-index"), embedder=HashingEmbedder())
    app.ensure_index(progress=False)
    return app


def test_document_html_is_shown_as_text_never_as_markup(html_app):
    document = next(iter(html_app.index.documents.values()))
    page = render_document(html_app, document.id)
    assert "<script>" not in page and "<img" not in page and "<b>900" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    clause = next(c for c in document.clauses if "script" in c.text)
    cited = render_citation(html_app, {"n": 1, "clause_id": clause.id, "used": ["<script>"]})
    assert "<script>" not in cited and "<mark>&lt;script&gt;</mark>" in cited


def test_chat_message_escapes_markup_and_markdown():
    assert escape_markdown("<b>x</b> **y** [1]") == "&lt;b&gt;x&lt;/b&gt; \\*\\*y\\*\\* \\[1\\]"
    assert highlight("甲<乙>丙", ["<乙>"]) == "甲<mark>&lt;乙&gt;</mark>丙"


def last(outputs):
    """The final outputs of the chat handler, which streams."""
    return list(outputs)[-1]


def test_chat_handler_shows_answer_citations_and_errors_in_the_page(seed_app):
    handlers = ChatHandlers(seed_app)
    history, cleared, state, choices, detail = last(handlers.chat(QUESTION, [], []))
    assert cleared == "" and "750" in history[-1]["content"] and "引用条款" in history[-1]["content"]
    assert state[0]["label"].startswith("[1] ") and "›" in state[0]["label"]
    assert "750人" in detail and "<mark>" in detail
    assert "在文档中查看" in detail
    history, *_ = last(handlers.chat("   ", history, []))
    assert history[-1]["role"] == "assistant" and "问题为空" in history[-1]["content"]
    abstained, *_ = last(handlers.chat("北京市的专利代理师目标是多少？", [], []))
    assert "未找到答案" in abstained[-1]["content"] and "非答案" in abstained[-1]["content"]


def test_chat_handler_turns_an_internal_failure_into_a_message(seed_app, monkeypatch):
    handlers = ChatHandlers(seed_app)
    monkeypatch.setattr(seed_app.answerer, "ask", lambda *a, **k: 1 / 0)
    history, *_ = last(handlers.chat(QUESTION, [], []))
    assert "内部错误" in history[-1]["content"] and "Traceback" not in history[-1]["content"]


def test_document_filter_limits_the_chat(seed_app):
    handlers = ChatHandlers(seed_app)
    record = handlers.ask_json("专利代理师的目标是多少？", ["zhengzhou-2023"])
    assert {c["doc_id"] for c in record["citations"]} == {"zhengzhou-2023"}


def test_api_answers_exactly_what_the_cli_answers(live_server, seed_app):
    from gradio_client import Client

    client = Client(live_server, verbose=False)
    web = client.predict(QUESTION, [], api_name="/ask")
    cli = subprocess.run([sys.executable, "-m", "assistant", "ask", "--json", QUESTION,
                          "--corpus", str(seed_app.settings.corpus), "--index", str(seed_app.settings.index)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert web == json.loads(cli.stdout)
    assert client.predict("", [], api_name="/ask")["error"].startswith("问题为空")


def test_twenty_users_asking_at_once_all_get_their_answers(live_server):
    from gradio_client import Client

    questions = [QUESTION, "徐汇区专利代理师总人数要达到多少？", "海曙區知識產權質押融資累計金額目標是多少？",
                 "郑州计划培养多少名执业专利代理师？"] * 5
    results: dict[int, dict] = {}

    def ask(i: int, question: str) -> None:
        results[i] = Client(live_server, verbose=False).predict(question, [], api_name="/ask")

    threads = [threading.Thread(target=ask, args=(i, q)) for i, q in enumerate(questions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 20
    for i, question in enumerate(questions):
        assert results[i]["question"] == question and results[i]["citations"]
    figures = {"750", "520", "200", "600"}
    assert all(any(f in results[i]["answer"] for f in figures) for i in results)


@pytest.mark.browser
def test_real_browser_asks_and_opens_a_citation(live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page(live_server) as page:
        page.fill("#question textarea", QUESTION)
        page.click("#send")
        page.wait_for_selector("#citations label", timeout=30000)
        assert "750" in page.inner_text("#chatbot")
        page.click("#citations label >> nth=0")
        page.wait_for_function("document.querySelector('#citation-view').innerText.includes('›')")
        detail = page.inner_text("#citation-view")
        assert "750人" in detail and "›" in detail and "徐府发〔2024〕6号" in detail
        page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)


@pytest.mark.browser
def test_real_browser_shows_document_html_as_text(html_app):
    alerts = []
    with served(html_app) as url, browser_page(url) as page:
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        page.reload()
        page.fill("#question textarea", "有效发明专利达到多少件？")
        page.click("#send")
        page.wait_for_selector("#citations label", timeout=30000)
        page.wait_for_timeout(500)
        shown = page.inner_text("#citation-view")
        assert "<b>900件</b>" in shown and "<script>" in shown
        assert alerts == []


def test_topic_and_verify_endpoints_return_what_the_cli_returns(live_server, seed_app):
    from gradio_client import Client

    client = Client(live_server, verbose=False)
    kb = ["--corpus", str(seed_app.settings.corpus), "--index", str(seed_app.settings.index)]
    for endpoint, command, value in (("/topic", "topic", "商业秘密"),
                                     ("/verify", "verify", "徐汇区计划到2025年专利代理师总人数达到530人。")):
        web = client.predict(value, api_name=endpoint)
        cli = subprocess.run([sys.executable, "-m", "assistant", command, "--json", value, *kb],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert web == json.loads(cli.stdout), endpoint
    assert client.predict("", api_name="/topic")["error"]


def test_topic_and_verify_tabs_render_highlights_and_verdicts(seed_app):
    handlers = ChatHandlers(seed_app)
    rows, page = handlers.show_topic("商業秘密")
    assert rows[0][0].startswith("海曙區") and rows[0][3] >= 1
    assert "<mark>商業秘密</mark>" in page and "相关条款（未提及该词" in page
    verdicts = handlers.show_verification("徐汇区计划到2025年专利代理师总人数达到530人。北京市计划培养1000名专利代理师。")
    assert "与条款不符" in verdicts and "520" in verdicts and "未找到依据" in verdicts
    assert "⚠️" in handlers.show_verification("")


def test_generative_reply_streams_into_the_chat_and_unsupported_sentences_are_marked(seed_app):
    import dataclasses

    from .fake_openai import FakeOpenAI, Reply

    with FakeOpenAI() as fake:
        settings = dataclasses.replace(seed_app.settings, llm_base_url=fake.base_url, llm_model="fake", llm_timeout=10)
        app = App(settings, embedder=seed_app.embedder)
        fake.script(Reply("漕河泾计划培养执业专利代理师800人。[1]", chunk_chars=3))
        outputs = list(ChatHandlers(app).chat(QUESTION, [], [], True))
    streamed = [o[0][-1]["content"] for o in outputs[:-1]]
    assert len(streamed) >= 3 and streamed[-1].endswith("▌")
    final = outputs[-1][0][-1]["content"]
    assert "⚠️漕河泾计划培养执业专利代理师800人" in final and "引用条款" in final
    assert fake.requests and fake.requests[0]["stream"] is True


@pytest.mark.browser
def test_real_browser_stop_button_ends_a_generative_answer_and_its_model_stream(seed_app):
    import dataclasses
    import time

    from .fake_openai import FakeOpenAI, Reply

    with FakeOpenAI() as fake:
        settings = dataclasses.replace(seed_app.settings, llm_base_url=fake.base_url, llm_model="fake", llm_timeout=60)
        fake.script(Reply("漕河泾计划培养执业专利代理师750人[1]。" * 40, chunk_chars=2, chunk_delay=0.1))
        with served(App(settings, embedder=seed_app.embedder)) as url, browser_page(url) as page:
            page.click("text=生成式回答（LLM，逐句核对）")
            page.fill("#question textarea", QUESTION)
            page.click("#send")
            page.wait_for_function("document.querySelector('#chatbot').innerText.includes('▌')", timeout=60000)
            page.click("#stop")
            assert fake.client_left.wait(10)
            sent = fake.deltas_sent
            time.sleep(1)
            assert fake.deltas_sent == sent < 400


def test_generative_toggle_without_configuration_says_so(seed_app):
    history, *_ = last(ChatHandlers(seed_app).chat(QUESTION, [], [], True))
    assert history[-1]["content"].startswith("⚠️") and "LLM" in history[-1]["content"]


@pytest.fixture
def library_app(corpus_copy, tmp_path, hashing_embedder):
    app = App(Settings(corpus=corpus_copy, index=tmp_path / "index", admin_password=ADMIN_PASSWORD),
              embedder=hashing_embedder)
    app.build(progress=False)
    return app


def test_documents_tab_uploads_and_removes_and_refreshes_every_document_list(library_app, tmp_path):
    handlers = ChatHandlers(library_app)
    pdf = write_pdf(tmp_path / "county-plan.pdf", [["某县知识产权工作方案", "一、主要任务"],
                                                   ["（一）培育高价值专利。到2026年有效发明专利达到5000件。"]])
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip archive")
    message, table, chat_filter, reader, doomed, uploads, confirm = handlers.add_documents([str(pdf), str(broken)],
                                                                                           ADMIN_PASSWORD)
    assert "已添加：county-plan" in message and "⚠️ broken.docx" in message
    assert "county-plan" in [row[0] for row in table]
    assert any("某县知识产权工作方案" in label for label, _ in chat_filter["choices"])
    assert "county-plan" in [value for _, value in doomed["choices"]] and uploads["value"] is None

    answer = library_app.answerer.ask("某县有效发明专利达到多少件？")
    cited = next(c for c in answer.citations if c.document.id == "county-plan")
    assert cited.to_dict()["page"] == 2
    assert "第2页" in render_citation(library_app, {"n": 1, "clause_id": cited.clause.id, "used": []})

    message, table, *_ = handlers.remove_document("county-plan", False, ADMIN_PASSWORD)
    assert "确认删除" in message and "county-plan" in [row[0] for row in table]
    message, table, chat_filter, *_ = handlers.remove_document("county-plan", True, ADMIN_PASSWORD)
    assert "已删除：county-plan" in message and "county-plan" not in [row[0] for row in table]
    assert "county-plan" not in [value for _, value in chat_filter["choices"]]
    assert not (library_app.settings.corpus / "county-plan.pdf").exists()


@pytest.mark.browser
def test_real_browser_uploads_a_document_and_reads_it(library_app, tmp_path):
    docx = write_docx(tmp_path / "patent-regulation.docx", REGULATION_LINES)
    with served(library_app) as url, browser_page(url) as page:
        page.get_by_role("tab", name="文档").click()
        page.get_by_text("管理知识库（上传、删除）").click()
        page.fill("#admin-password input", ADMIN_PASSWORD)
        page.set_input_files("#uploads input[type=file]", str(docx))
        page.wait_for_selector(UPLOADED.format(name="patent-regulation.docx"), timeout=90000)
        page.click("#add-documents")
        page.wait_for_function("document.querySelector('#library-message').innerText.includes('已添加')",
                               timeout=30000)
        assert "patent-regulation" in page.inner_text("#library-message")
    assert "patent-regulation" in library_app.index.documents
    assert any("第一条" in " ".join(c.path) for c in library_app.index.documents["patent-regulation"].clauses)
