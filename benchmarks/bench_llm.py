"""The evaluation in LLM mode against an OpenAI-compatible endpoint (the local model of
`make local-llm` by default): what a real model's answers look like once checked.

    python benchmarks/bench_llm.py [--every 7] [--limit N] [--prompt full|short] [--base-url URL]

Per question (a fixed sample of eval/qa.jsonl: every k-th item, whatever the model does):
the mode (llm, llm-abstained, fallback, not-called), the citations it wrote and how many
pointed at clauses it was given, each sentence's check (supported / contradicted /
not_found), the gold facts, refusals, time to first token and total time. Every raw reply
and record goes to benchmarks/results/llm-<prompt>.jsonl as it is measured (a run that is
stopped resumes where it was), the figures to llm-<prompt>-summary.json and a Markdown
table on standard output. Prints what it measures; it does not judge.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App, Settings  # noqa: E402
from assistant.evaluate import EvalItem, facts_answered, load_eval_set  # noqa: E402
from assistant.llm import GenerativeAnswerer, UnusableReply, normalise_citations  # noqa: E402
from assistant.retrieve import Hit  # noqa: E402
from benchmarks.timing import percentile  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
LOCAL = "http://127.0.0.1:8765/v1"


def served_model(base_url: str) -> str:
    """The first model the endpoint lists (llama.cpp's server serves one)."""
    with urllib.request.urlopen(base_url.rstrip("/") + "/models", timeout=10) as response:
        return json.load(response)["data"][0]["id"]


def sample(items: list[EvalItem], every: int, limit: int | None) -> list[EvalItem]:
    """Every k-th item of the set, in file order: spread over kinds, chosen blind to the model."""
    return items[::every][:limit]


def measure(llm: GenerativeAnswerer, item: EvalItem) -> dict:
    """One question through the streaming path, as the web chat uses it."""
    started = time.perf_counter()
    first = None
    pieces = []
    answer = None
    for event in llm.stream(item.question):
        if event.kind == "delta":
            first = first if first is not None else time.perf_counter() - started
            pieces.append(event.text)
        else:
            answer = event.answer
    total = time.perf_counter() - started
    raw = "".join(pieces)
    state = llm.answerer.prepare(item.question)
    given = len(llm.prompt_clauses(state)) if raw else 0
    written = [int(n) for n in re.findall(r"\[(\d+)\]", normalise_citations(raw))]
    extractive = llm.answerer.ask(item.question)
    return {
        "id": item.id, "kind": item.kind, "split": item.split, "question": item.question,
        "mode": mode_of(answer), "raw_reply": raw, "answer": answer.text, "notice": answer.notice,
        "abstained": answer.abstained, "should_abstain": not item.answerable,
        "given_clauses": given, "given_ids": [h.clause.id for h in state["hits"][:given]],
        "citations_written": len(written),
        "citations_valid": sum(1 for n in written if 1 <= n <= given),
        "checks": [c.to_dict() | {"reason": c.reason} for c in answer.checks],
        "gold_facts": list(item.gold_facts),
        "facts_ok": facts_answered(answer.text, item.gold_facts) if item.gold_facts else None,
        "extractive_facts_ok": facts_answered(extractive.text, item.gold_facts) if item.gold_facts else None,
        "extractive_abstained": extractive.abstained,
        "ttft_s": round(first, 2) if first is not None else None, "total_s": round(total, 2),
    }


def rechecked(llm: GenerativeAnswerer, record: dict) -> dict:
    """A measured record with its answer made again from the recorded raw reply and the
    clauses the model was given, by the current parsing and checks (no model call): the
    figures of the current code on real replies. Times stay as measured."""
    if not record["raw_reply"]:
        return record   # timeouts, HTTP errors and questions never sent have nothing to re-read
    state = llm.answerer.prepare(record["question"])
    by_id = llm.answerer.index.clause_by_id
    state["hits"] = [Hit(by_id[i], 0.0, None, None) for i in record["given_ids"]]
    finish = "length" if "长度上限" in record["notice"] else None
    try:
        answer = llm.answer_from_reply(state, record["raw_reply"], finish)
    except UnusableReply as why:
        answer = llm.answerer.ask(record["question"])
        answer.notice = f"生成式回答不可用（{why}），以下为摘录式回答。"
    gold = record["gold_facts"]
    return record | {"mode": mode_of(answer), "answer": answer.text, "notice": answer.notice,
                     "abstained": answer.abstained, "checks": [c.to_dict() | {"reason": c.reason} for c in answer.checks],
                     "facts_ok": facts_answered(answer.text, gold) if gold else None}


def mode_of(answer) -> str:
    if answer.mode == "llm":
        return "llm-abstained" if answer.abstained else "llm"
    return "fallback" if answer.notice else "not-called"


def summary(records: list[dict]) -> dict:
    called = [r for r in records if r["mode"] != "not-called"]
    answered = [r for r in records if r["mode"] == "llm"]
    statuses = Counter(c["status"] for r in answered for c in r["checks"])
    with_facts = [r for r in records if r["facts_ok"] is not None]
    llm_facts = [r for r in answered if r["facts_ok"] is not None]
    unanswerable = [r for r in records if r["should_abstain"]]
    answerable = [r for r in records if not r["should_abstain"]]
    ttft = [r["ttft_s"] for r in called if r["ttft_s"] is not None]
    total = [r["total_s"] for r in called]
    return {
        "questions": len(records), "modes": dict(Counter(r["mode"] for r in records)),
        "model_called": len(called),
        "fallback_rate": round(sum(r["mode"] == "fallback" for r in called) / len(called), 3) if called else None,
        "llm_answers": len(answered),
        "llm_answers_all_supported": sum(bool(r["checks"]) and all(c["status"] == "supported" for c in r["checks"])
                                         for r in answered),
        "sentences": dict(statuses),
        "citations_written": sum(r["citations_written"] for r in called),
        "citations_valid": sum(r["citations_valid"] for r in called),
        "facts_ok_final": f"{sum(r['facts_ok'] for r in with_facts)}/{len(with_facts)}",
        "facts_ok_llm_answers": f"{sum(r['facts_ok'] for r in llm_facts)}/{len(llm_facts)}",
        "facts_ok_extractive": f"{sum(r['extractive_facts_ok'] for r in with_facts)}/{len(with_facts)}",
        "unanswerable_refused": f"{sum(r['abstained'] for r in unanswerable)}/{len(unanswerable)}",
        "answerable_refused": f"{sum(r['abstained'] for r in answerable)}/{len(answerable)}",
        "ttft_s_p50_p95": [percentile(ttft, 0.5), percentile(ttft, 0.95)] if ttft else None,
        "total_s_p50_p95": [percentile(total, 0.5), percentile(total, 0.95)] if total else None,
    }


def markdown(figures: dict, label: str) -> str:
    rows = [("questions (model called)", f"{figures['questions']} ({figures['model_called']})"),
            ("modes", ", ".join(f"{k} {v}" for k, v in sorted(figures["modes"].items()))),
            ("fallback rate (of calls)", figures["fallback_rate"]),
            ("LLM answers with every sentence supported", f"{figures['llm_answers_all_supported']}/{figures['llm_answers']}"),
            ("sentences", ", ".join(f"{k} {v}" for k, v in sorted(figures["sentences"].items()))),
            ("citations valid / written", f"{figures['citations_valid']}/{figures['citations_written']}"),
            ("facts: final answer / LLM answers / extractive", f"{figures['facts_ok_final']} / "
             f"{figures['facts_ok_llm_answers']} / {figures['facts_ok_extractive']}"),
            ("unanswerable refused / answerable refused", f"{figures['unanswerable_refused']} / "
             f"{figures['answerable_refused']}"),
            ("time to first token p50 / p95 (s)", figures["ttft_s_p50_p95"]),
            ("total p50 / p95 (s)", figures["total_s_p50_p95"])]
    return "\n".join([f"| {label} | |", "|---|---|"] + [f"| {name} | {value} |" for name, value in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=LOCAL)
    parser.add_argument("--model", default=None, help="default: the first model the endpoint serves")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index", type=Path, default=Path("/tmp/pa-llm-index"))
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "qa.jsonl")
    parser.add_argument("--every", type=int, default=7, help="take every k-th question")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--prompt", choices=("full", "short"), default="full")
    parser.add_argument("--context", type=int, default=4096, help="the model's context window (tokens)")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--out", type=Path, default=None, help="default: benchmarks/results/llm-<prompt>.jsonl")
    parser.add_argument("--recheck", action="store_true",
                        help="no model: re-read the recorded replies with the current code (…-rechecked files)")
    args = parser.parse_args()

    out = args.out or RESULTS / f"llm-{args.prompt}.jsonl"
    model = args.model or (json.loads(out.read_text("utf-8").splitlines()[0])["model"] if args.recheck
                           else served_model(args.base_url))
    app = App(Settings(corpus=args.corpus, index=args.index))
    app.build(progress=False)
    llm = GenerativeAnswerer(app.answerer, base_url=args.base_url, model=model, timeout=args.timeout,
                             context=args.context, max_tokens=args.max_tokens, prompt=args.prompt)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = {json.loads(line)["id"]: json.loads(line) for line in out.read_text("utf-8").splitlines()} \
        if out.exists() else {}
    items = sample(load_eval_set(args.questions), args.every, args.limit)
    if args.recheck:
        done = {i: rechecked(llm, record) for i, record in done.items()}
        out = out.with_name(out.stem + "-rechecked.jsonl")
        out.write_text("".join(json.dumps(done[i.id], ensure_ascii=False) + "\n" for i in items if i.id in done),
                       encoding="utf-8")
    for number, item in enumerate([] if args.recheck else items, 1):
        if item.id in done:
            continue
        record = measure(llm, item) | {"model": model, "prompt": args.prompt, "max_tokens": args.max_tokens,
                                       "context": args.context}
        done[item.id] = record
        with open(out, "a", encoding="utf-8") as sink:
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"[{number}/{len(items)}] {item.id} {record['mode']} ttft {record['ttft_s']} s, "
              f"total {record['total_s']} s: {[c['status'] for c in record['checks']]}", file=sys.stderr, flush=True)
    records = [done[i.id] for i in items if i.id in done]
    figures = summary(records) | {"model": model, "prompt": args.prompt, "base_url": args.base_url,
                                  "every": args.every, "max_tokens": args.max_tokens, "context": args.context}
    out.with_name(out.stem + "-summary.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n",
                                                          encoding="utf-8")
    print(markdown(figures, f"{model}, {args.prompt} prompt"))


if __name__ == "__main__":
    main()
