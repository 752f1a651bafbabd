"""Replies a real model wrote (Qwen2.5-Coder-1.5B-Instruct Q4_K_M on llama.cpp's server,
recorded by benchmarks/bench_llm.py), replayed through a real HTTP server speaking the
OpenAI API: every check must hold on what a real model does, without the model here.

Each fixture (tests/fixtures/llm_replies.json) keeps the question, the clauses the model
was given (ids, in prompt order), its raw reply and how the reply ended; `expect` is what
the answer must be, written by reading the reply against those clauses."""
from __future__ import annotations

import json
import re

import pytest

from assistant.answer import Answerer
from assistant.llm import GenerativeAnswerer
from assistant.retrieve import Hit

from .conftest import ROOT
from .fake_openai import FakeOpenAI, Reply

pytestmark = pytest.mark.slow

RECORDED = json.loads((ROOT / "tests" / "fixtures" / "llm_replies.json").read_text(encoding="utf-8"))


class AsRecorded(Answerer):
    """The seeds' answerer, except that the model is given the clauses it was given when
    the reply was recorded (retrieval may have changed since; the reply's numbers refer to
    those clauses). Analysis, the verifier and the fallback are the real ones."""

    def __init__(self, answerer: Answerer, given_ids: list[str]) -> None:
        super().__init__(answerer.index, answerer.retriever, topics=answerer.topics, verifier=answerer.verifier)
        self.given_ids = given_ids

    def prepare(self, question, filters=None) -> dict:
        state = super().prepare(question, filters)
        hits = [Hit(self.index.clause_by_id[i], 1.0, None, None) for i in self.given_ids]
        return {**state, "hits": hits, "abstain_reason": ""}


def replayed(seed_app, record: dict, stream: bool):
    with FakeOpenAI() as fake:
        fake.script(Reply(record["raw_reply"], chunk_chars=3, finish_reason=record.get("finish_reason", "stop")))
        llm = GenerativeAnswerer(AsRecorded(seed_app.answerer, record["given_ids"]), base_url=fake.base_url,
                                 model=record["model"], timeout=10, context=record["context"],
                                 max_tokens=record["max_tokens"], prompt=record["prompt"])
        answer = list(llm.stream(record["question"]))[-1].answer if stream else llm.ask(record["question"])
        prompt = fake.requests[0]["messages"][1]["content"]
    return answer, prompt


def mode_of(answer) -> str:
    if answer.mode == "llm":
        return "llm-abstained" if answer.abstained else "llm"
    return "fallback"


@pytest.mark.parametrize("record", RECORDED, ids=[r["name"] for r in RECORDED])
@pytest.mark.parametrize("stream", [True, False], ids=["stream", "invoke"])
def test_recorded_reply(seed_app, record, stream):
    answer, prompt = replayed(seed_app, record, stream)
    expect = record["expect"]
    # the prompt gave the recorded clauses, in the recorded order
    titles = re.findall(r"(?m)^\[(\d+)\] 《", prompt)
    assert titles == [str(n) for n in range(1, len(record["given_ids"]) + 1)]
    assert mode_of(answer) == expect["mode"], (answer.text, answer.notice)
    for fragment in expect.get("notice", []):
        assert fragment in answer.notice
    if "text" in expect:
        assert answer.text == expect["text"]
    if "statuses" in expect:
        assert [c.status for c in answer.checks] == expect["statuses"], [c.to_dict() for c in answer.checks]
    for fragment in expect.get("not_supported", []):   # sentences the clauses do not support: flagged
        [check] = [c for c in answer.checks if fragment in c.sentence]
        assert check.status != "supported", check
    for fragment in expect.get("supported", []):
        [check] = [c for c in answer.checks if fragment in c.sentence]
        assert check.status == "supported", check
    if "cited" in expect:      # the clause ids the answer's [1], [2] … point to
        assert [c.clause.id for c in sorted(answer.citations, key=lambda c: c.n)] == expect["cited"]
    assert re.findall(r"\[(\d+)\]", answer.text) == [] or answer.mode == "extractive" or \
        max(int(n) for n in re.findall(r"\[(\d+)\]", answer.text)) <= len(answer.citations)


def test_a_small_context_window_cuts_the_last_clause_that_fits_only_in_part(seed_app):
    from assistant.llm import estimate_tokens

    def answerer(**budget):
        return GenerativeAnswerer(seed_app.answerer, base_url="http://127.0.0.1:9/v1", model="m", timeout=1, **budget)

    state = seed_app.answerer.prepare("漕河泾建设方案的主要任务有哪些？")
    full = answerer().prompt_clauses(state)
    cut = 0
    for context in (900, 1200, 1500):
        llm = answerer(context=context, max_tokens=256)
        shown = llm.prompt_clauses(state)
        system, user = (m.content for m in llm._messages(state))
        assert estimate_tokens(system) + estimate_tokens(user) <= context - 256
        assert 1 <= len(shown) <= len(full) and shown[:-1] == full[:len(shown) - 1]
        (head, text), (whole_head, whole) = shown[-1], full[len(shown) - 1]
        assert head == whole_head
        assert text == whole or (text.endswith("…") and whole.startswith(text[:-1]) and len(text) > 40)
        cut += text != whole
    assert cut  # some window cut a clause, not only dropped whole ones
