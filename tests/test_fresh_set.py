"""The fresh held-out set (eval/fresh) is valid against the documents, and its checker catches bad items.

Nothing here runs the assistant: the set is checked against the parsed plans and the laws DB only."""
from __future__ import annotations

import collections
import copy
import importlib.util
import json
import sqlite3

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.fast

FRESH = ROOT / "eval" / "fresh"
PLANS = ("caohejing-2024", "xuhui-2022", "pudong-2017", "zhengzhou-2023", "haishu-2024")


def _load_checker():
    spec = importlib.util.spec_from_file_location("fresh_check", FRESH / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_checker()


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (FRESH / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def clauses():
    return check.load_clauses()


@pytest.fixture(scope="module")
def db():
    connection = sqlite3.connect(f"file:{check.DEFAULT_DB}?mode=ro", uri=True)
    yield connection
    connection.close()


def _plan_errors(rows, clauses) -> list[str]:
    report = check.Report()
    check.check_plans(rows, clauses, report)
    return report.errors


def test_plan_items_are_valid(clauses):
    assert _plan_errors(_rows("qa.jsonl"), clauses) == []


def test_law_and_verify_items_are_valid(db):
    report = check.Report()
    check.check_laws(_rows("laws.jsonl"), db, report)
    check.check_verify(_rows("verify.jsonl"), db, report)
    assert report.errors == []


def test_the_set_has_the_promised_size_and_spread():
    plans = _rows("qa.jsonl")
    kinds = collections.Counter(row["kind"] for row in plans)
    for kind, least in {"paraphrase": 20, "how": 10, "outline": 8, "comparison": 10, "unanswerable": 12}.items():
        assert kinds[kind] >= least, kind
    assert {doc for row in plans for doc in row["doc_ids"]} == set(PLANS)
    assert all(row["split"] == ("dev" if int(row["id"][1:]) % 2 else "held") for row in plans)
    laws = _rows("laws.jsonl")
    assert sum(row["kind"] != "unanswerable" for row in laws) >= 24
    assert sum(row["kind"] == "unanswerable" for row in laws) >= 8
    assert len({row["law"] for row in laws if row["law"]}) >= 8
    verdicts = collections.Counter(row["expected"] for row in _rows("verify.jsonl"))
    assert verdicts["supported"] >= 6 and verdicts["contradicted"] >= 6


def test_a_fact_missing_from_its_clause_is_caught(clauses):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl") if r["kind"] == "paraphrase"))
    row["gold_facts"] = ["这句话不在任何条款里"]
    assert any("not verbatim" in e for e in _plan_errors([row], clauses))


def test_an_unknown_clause_id_is_caught(clauses):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl") if r["kind"] == "how"))
    row["gold_clauses"] = row["gold_clauses"] + ["xuhui-2022#9.9.9"]
    assert any("does not exist" in e for e in _plan_errors([row], clauses))


def test_an_unanswerable_question_the_plans_do_answer_is_caught(clauses, monkeypatch):
    question = "海曙區知識產權質押融資累計金額到2026年是多少？"
    monkeypatch.setitem(check.PLAN_ABSENCE, question, [("质押融资累计",)])
    row = {"id": "f998", "question": question, "kind": "unanswerable", "doc_ids": [], "gold_clauses": [],
           "gold_facts": [], "topic_docs": [], "split": "held", "script": "traditional"}
    assert any("absence pattern found" in e for e in _plan_errors([row], clauses))


def test_a_comparison_without_a_fact_for_each_plan_is_caught(clauses):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl") if r["kind"] == "comparison"))
    row["gold_facts"] = row["gold_facts"][:1]
    assert any("no gold fact for" in e for e in _plan_errors([row], clauses))


def test_a_law_fact_not_in_the_article_and_a_superseded_law_are_caught(db):
    row = copy.deepcopy(next(r for r in _rows("laws.jsonl") if r["kind"] == "fact"))
    wrong_fact = dict(row, gold_facts=["九十九年"])
    old_law = dict(row, law="中华人民共和国刑法")  # 已被修改 in the DB, not current
    report = check.Report()
    check.check_laws([wrong_fact, dict(old_law, id="y")], db, report)
    assert any("not verbatim" in e for e in report.errors)
    assert any("not a current law" in e for e in report.errors)


def test_a_supported_statement_with_a_wrong_figure_is_caught(db):
    row = copy.deepcopy(next(r for r in _rows("verify.jsonl") if r["expected"] == "supported"))
    row["statement"] = row["statement"] + "期限为99年。"
    report = check.Report()
    check.check_verify([row], db, report)
    assert any("figures not in its evidence" in e for e in report.errors)
