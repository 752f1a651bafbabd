"""The fresh held-out sets (eval/fresh, eval/fresh2) are valid against the documents, and their checker catches
bad items.

Nothing here runs the assistant: the sets are checked against the parsed plans and the laws DB only."""
from __future__ import annotations

import collections
import copy
import importlib.util
import json
import re
import sqlite3

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.fast

FRESH = ROOT / "eval" / "fresh"
# Every fresh set, in the same formats; eval/fresh/check.py checks each (`--dir`).
SETS = [FRESH, ROOT / "eval" / "fresh2"]
PLANS = ("caohejing-2024", "xuhui-2022", "pudong-2017", "zhengzhou-2023", "haishu-2024")


def _load_checker():
    spec = importlib.util.spec_from_file_location("fresh_check", FRESH / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _load_checker()


def _rows(name: str, folder=FRESH) -> list[dict]:
    return [json.loads(line) for line in (folder / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(params=SETS, ids=lambda folder: folder.name)
def folder(request):
    return request.param


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


def test_plan_items_are_valid(clauses, folder):
    assert _plan_errors(_rows("qa.jsonl", folder), clauses) == []


def test_law_and_verify_items_are_valid(db, folder):
    report = check.Report()
    check.check_laws(_rows("laws.jsonl", folder), db, report)
    check.check_verify(_rows("verify.jsonl", folder), db, report)
    assert report.errors == []


def test_the_set_has_the_promised_size_and_spread(folder):
    plans = _rows("qa.jsonl", folder)
    kinds = collections.Counter(row["kind"] for row in plans)
    for kind, least in {"paraphrase": 20, "how": 10, "outline": 8, "comparison": 10, "unanswerable": 12}.items():
        assert kinds[kind] >= least, kind
    assert {doc for row in plans for doc in row["doc_ids"]} == set(PLANS)
    assert all(row["split"] == ("dev" if int(re.sub(r"\D", "", row["id"])) % 2 else "held") for row in plans)
    laws = _rows("laws.jsonl", folder)
    assert sum(row["kind"] != "unanswerable" for row in laws) >= 24
    assert sum(row["kind"] == "unanswerable" for row in laws) >= 8
    assert len({row["law"] for row in laws if row["law"]}) >= 8
    verdicts = collections.Counter(row["expected"] for row in _rows("verify.jsonl", folder))
    assert verdicts["supported"] >= 6 and verdicts["contradicted"] >= 6


def test_a_fact_missing_from_its_clause_is_caught(clauses, folder):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl", folder) if r["kind"] == "paraphrase"))
    row["gold_facts"] = ["这句话不在任何条款里"]
    assert any("not verbatim" in e for e in _plan_errors([row], clauses))


def test_an_unknown_clause_id_is_caught(clauses, folder):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl", folder) if r["kind"] == "how"))
    row["gold_clauses"] = row["gold_clauses"] + ["xuhui-2022#9.9.9"]
    assert any("does not exist" in e for e in _plan_errors([row], clauses))


def test_an_unanswerable_question_the_plans_do_answer_is_caught(clauses, monkeypatch):
    question = "海曙區知識產權質押融資累計金額到2026年是多少？"
    monkeypatch.setitem(check.PLAN_ABSENCE, question, [("质押融资累计",)])
    row = {"id": "f998", "question": question, "kind": "unanswerable", "doc_ids": [], "gold_clauses": [],
           "gold_facts": [], "topic_docs": [], "split": "held", "script": "traditional"}
    assert any("absence pattern found" in e for e in _plan_errors([row], clauses))


def test_a_comparison_without_a_fact_for_each_plan_is_caught(clauses, folder):
    row = copy.deepcopy(next(r for r in _rows("qa.jsonl", folder) if r["kind"] == "comparison"))
    row["gold_facts"] = row["gold_facts"][:1]
    assert any("no gold fact for" in e for e in _plan_errors([row], clauses))


def test_a_law_fact_not_in_the_article_and_a_superseded_law_are_caught(db, folder):
    row = copy.deepcopy(next(r for r in _rows("laws.jsonl", folder) if r["kind"] == "fact"))
    wrong_fact = dict(row, gold_facts=["九十九年"])
    old_law = dict(row, law="中华人民共和国刑法")  # 已被修改 in the DB, not current
    report = check.Report()
    check.check_laws([wrong_fact, dict(old_law, id="y")], db, report)
    assert any("not verbatim" in e for e in report.errors)
    assert any("not a current law" in e for e in report.errors)


def test_a_supported_statement_with_a_wrong_figure_is_caught(db, folder):
    row = copy.deepcopy(next(r for r in _rows("verify.jsonl", folder) if r["expected"] == "supported"))
    row["statement"] = row["statement"] + "期限为99年。"
    report = check.Report()
    check.check_verify([row], db, report)
    assert any("figures not in its evidence" in e for e in report.errors)


def test_a_wrong_split_and_mixed_id_prefixes_are_caught(folder):
    rows = copy.deepcopy(_rows("verify.jsonl", folder)[:2])
    rows[0]["split"] = "held"  # an odd id must be dev
    rows[1]["id"] = "X" + rows[1]["id"]
    report = check.Report()
    check.common_checks(rows, check.VERIFY_FIELDS, None, report)
    assert any("split must be" in e for e in report.errors)
    assert any("mix prefixes" in e for e in report.errors)


def test_the_checker_runs_on_a_named_folder_and_refuses_a_missing_one(tmp_path, capsys):
    assert check.main(["check.py", "--dir", str(ROOT / "eval" / "fresh2")]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert check.main(["check.py", "--dir", str(tmp_path)]) == 2
    assert capsys.readouterr().out.startswith("error:")
