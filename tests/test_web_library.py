"""The page's document lists are read live, and only the admin password changes the corpus:
a real Gradio server, real Chroma on disk (hashing embedder) and, where marked, a real Chromium."""
from __future__ import annotations

import json
import urllib.request

import pytest

from assistant.app import App, Settings
from assistant.library import add_files
from assistant.web import ChatHandlers

from .conftest import HashingEmbedder
from .fixture_files import REGULATION_LINES, write_docx, write_pdf
from .test_web import ADMIN_PASSWORD, UPLOADED, browser_page, served

pytestmark = pytest.mark.slow


def make_app(corpus, index, password):
    app = App(Settings(corpus=corpus, index=index, admin_password=password), embedder=HashingEmbedder())
    app.build(progress=False)
    return app


@pytest.fixture
def admin_app(corpus_copy, tmp_path):
    return make_app(corpus_copy, tmp_path / "index", ADMIN_PASSWORD)


@pytest.fixture
def read_only_app(corpus_copy, tmp_path):
    return make_app(corpus_copy, tmp_path / "index", None)


def county_plan(folder):
    return write_pdf(folder / "county-plan.pdf", [["某县知识产权工作方案", "一、主要任务"],
                                                  ["（一）培育高价值专利。到2026年有效发明专利达到5000件。"]])


def corpus_files(app):
    return sorted(p.name for p in app.settings.corpus.iterdir())


def test_changes_are_refused_without_the_right_password_and_nothing_changes(admin_app, read_only_app, tmp_path):
    pdf = county_plan(tmp_path)
    for app, password, reason in ((read_only_app, ADMIN_PASSWORD, "只读"), (admin_app, "wrong", "密码不正确"),
                                  (admin_app, None, "密码不正确")):
        before = corpus_files(app)
        handlers = ChatHandlers(app)
        message, table, *_ = handlers.add_documents([str(pdf)], password)
        assert reason in message and "county-plan" not in [row[0] for row in table]
        message, table, *_ = handlers.remove_document("xuhui-2022", True, password)
        assert reason in message and "xuhui-2022" in [row[0] for row in table]
        assert corpus_files(app) == before


def test_document_lists_follow_changes_made_by_another_process(admin_app, tmp_path):
    handlers = ChatHandlers(admin_app)
    table, *_ = handlers.document_lists()
    assert "county-plan" not in [row[0] for row in table]
    # The CLI's `add` runs in its own process with its own App: the server's App must notice.
    add_files(App(admin_app.settings, embedder=HashingEmbedder()), [county_plan(tmp_path)])
    table, chat_filter, reader, doomed = handlers.document_lists()
    assert "county-plan" in [row[0] for row in table]
    assert all("county-plan" in [value for _, value in update["choices"]] for update in (chat_filter, reader, doomed))
    assert "county-plan" in [c.document.id for c in admin_app.answerer.ask("某县有效发明专利达到多少件？").citations]


def page_config(url: str) -> dict:
    with urllib.request.urlopen(url + "config", timeout=30) as response:
        return json.load(response)


def open_library(page, password: str) -> None:
    page.get_by_role("tab", name="文档").click()
    page.get_by_text("管理知识库（上传、删除）").click()
    page.fill("#admin-password input", password)


def wait_for_message(page, text: str) -> None:
    page.wait_for_function(f"document.querySelector('#library-message').innerText.includes({json.dumps(text)})",
                           timeout=60000)


@pytest.mark.browser
def test_read_only_page_has_no_library_controls_and_no_server_event_for_them(read_only_app):
    with served(read_only_app) as url, browser_page(url) as page:
        page.get_by_role("tab", name="文档").click()
        page.wait_for_selector("#read-only", timeout=30000)
        assert page.locator("#uploads").count() == 0 and page.locator("#admin-password").count() == 0
        assert page.locator("text=管理知识库").count() == 0
        config = page_config(url)
    kinds = {component["type"] for component in config["components"]}
    elem_ids = {component.get("props", {}).get("elem_id") for component in config["components"]}
    assert "file" not in kinds and not elem_ids & {"admin-password", "uploads", "doomed"}
    labels = {c["id"]: c.get("props", {}).get("value") for c in config["components"]}
    triggers = {labels.get(target) for d in config["dependencies"] for target, _ in d["targets"]}
    assert not triggers & {"添加到知识库", "删除"}


@pytest.mark.browser
def test_a_reloaded_page_lists_an_upload_and_removes_it(admin_app, tmp_path):
    docx = write_docx(tmp_path / "patent-regulation.docx", REGULATION_LINES)
    with served(admin_app) as url:
        with browser_page(url) as page:  # one user uploads, first with a wrong password
            open_library(page, "wrong")
            page.set_input_files("#uploads input[type=file]", str(docx))
            page.wait_for_selector(UPLOADED.format(name="patent-regulation.docx"), timeout=90000)
            page.click("#add-documents")
            wait_for_message(page, "密码不正确")
            assert "patent-regulation" not in admin_app.index.documents
            page.fill("#admin-password input", ADMIN_PASSWORD)
            page.click("#add-documents")
            wait_for_message(page, "已添加")
        provenance = admin_app.index.documents["patent-regulation"].provenance
        assert provenance["via"] == "web" and provenance["file"] == "patent-regulation.docx"
        add_files(App(admin_app.settings, embedder=HashingEmbedder()), [county_plan(tmp_path)])  # by the CLI
        with browser_page(url) as page:  # a page loaded afterwards lists both, and can remove either
            page.get_by_role("tab", name="文档").click()
            page.wait_for_function("document.querySelector('#doc-table').innerText.includes('patent-regulation')"
                                   " && document.querySelector('#doc-table').innerText.includes('county-plan')",
                                   timeout=30000)
            open_library(page, ADMIN_PASSWORD)
            page.click("#doomed input")
            page.click("#doomed li[role=option]:has-text('某某市专利促进条例')")
            page.check("#confirm-remove input")
            page.click("#remove-document")
            wait_for_message(page, "已删除：patent-regulation")
            assert "内部错误" not in page.inner_text("#library-message")
            page.wait_for_function("!document.querySelector('#doc-table').innerText.includes('patent-regulation')",
                                   timeout=30000)
            assert "county-plan" in page.inner_text("#doc-table")
    assert "patent-regulation" not in admin_app.index.documents and "county-plan" in admin_app.index.documents
    assert "patent-regulation.docx" not in corpus_files(admin_app)
    recorded = json.loads((admin_app.settings.corpus / ".provenance.json").read_text(encoding="utf-8"))
    assert set(recorded) == {"county-plan.pdf"} and recorded["county-plan.pdf"]["via"] == "cli"


def test_laws_are_imported_from_the_documents_tab_with_the_password_only(admin_app):
    handlers = ChatHandlers(admin_app)
    before = set(admin_app.index.documents)
    message, table, *_ = handlers.add_laws(["中华人民共和国专利法"], "wrong")
    assert "密码" in message and set(admin_app.index.documents) == before
    message, table, *_ = handlers.add_laws(["专利法"], ADMIN_PASSWORD)
    assert "已添加：中华人民共和国专利法" in message
    law = admin_app.index.documents["中华人民共和国专利法"]
    assert law.genre == "law" and any(row[0] == law.id for row in table)
    message, *_ = handlers.add_laws(["火星法"], ADMIN_PASSWORD)
    assert "火星法" in message
