"""The fresh held-out sets (eval/fresh, eval/fresh2, with eval/fresh2's conversations; eval/fresh3 and eval/fresh4,
mostly on laws no earlier set asks about, with a few plan questions and their conversations) are valid against the
documents, and their checker catches bad items.

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
# Every fresh set, in the same formats; eval/fresh/check.py checks each (`--dir`). eval/fresh3 asks few plan
# questions (20, two kinds), so the plan tests below that expect a full plan set run on the first two only.
SETS = [FRESH, ROOT / "eval" / "fresh2"]
FRESH3 = ROOT / "eval" / "fresh3"
FRESH4 = ROOT / "eval" / "fresh4"
LAW_SETS = SETS + [FRESH3, FRESH4]
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


@pytest.fixture(params=LAW_SETS, ids=lambda folder: folder.name)
def law_folder(request):
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


def test_law_and_verify_items_are_valid(db, law_folder):
    report = check.Report()
    check.check_laws(_rows("laws.jsonl", law_folder), db, report)
    check.check_verify(_rows("verify.jsonl", law_folder), db, report)
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


def test_a_law_fact_not_in_the_article_and_a_superseded_law_are_caught(db, law_folder):
    row = copy.deepcopy(next(r for r in _rows("laws.jsonl", law_folder) if r["kind"] == "fact"))
    wrong_fact = dict(row, gold_facts=["九十九年"])
    old_law = dict(row, law="中华人民共和国刑法")  # 已被修改 in the DB, not current
    report = check.Report()
    check.check_laws([wrong_fact, dict(old_law, id="y")], db, report)
    assert any("not verbatim" in e for e in report.errors)
    assert any("not a current law" in e for e in report.errors)


def test_a_supported_statement_with_a_wrong_figure_is_caught(db, law_folder):
    row = copy.deepcopy(next(r for r in _rows("verify.jsonl", law_folder) if r["expected"] == "supported"))
    row["statement"] = row["statement"] + "期限为99年。"
    report = check.Report()
    check.check_verify([row], db, report)
    assert any("figures not in its evidence" in e for e in report.errors)


def test_a_wrong_split_and_mixed_id_prefixes_are_caught(law_folder):
    rows = copy.deepcopy(_rows("verify.jsonl", law_folder)[:2])
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


# --- conversations (eval/fresh2/dialogs.jsonl) ---------------------------------------------------------

DIALOGS = ROOT / "eval" / "fresh2" / check.DIALOG_FILE


def _dialog_errors(rows, clauses, db) -> list[str]:
    report = check.Report()
    check.check_dialogs(rows, clauses, db, check.DEFAULT_DB, report)
    return report.errors


@pytest.fixture(scope="module")
def dialogs() -> list[dict]:
    return _rows(check.DIALOG_FILE, DIALOGS.parent)


def _turn(dialogs, predicate) -> tuple[dict, int]:
    """A copy of the first conversation with a turn satisfying `predicate`, and that turn's index."""
    for row in dialogs:
        for number, turn in enumerate(row["turns"]):
            if predicate(turn):
                return copy.deepcopy(row), number
    raise AssertionError("no such turn")


def test_dialogs_are_valid(dialogs, clauses, db):
    assert _dialog_errors(dialogs, clauses, db) == []


def test_the_dialogs_have_the_promised_size_and_spread(dialogs):
    assert [row["id"] for row in dialogs] == [f"e{n:02d}" for n in range(1, 25)]
    turns = [turn for row in dialogs for turn in row["turns"]]
    assert all(2 <= len(row["turns"]) <= 4 for row in dialogs)
    assert 5 <= sum(turn["expect"] == "refuse" for turn in turns) <= 9
    kinds = collections.Counter(turn.get("follow_up") for turn in turns[1:] if turn.get("follow_up"))
    assert set(check.FOLLOW_UPS) <= set(kinds)
    assert sum(turn.get("script") == "traditional" for turn in turns) >= 6
    documents = {doc for turn in turns for doc in turn["doc_ids"] + turn.get("absence_docs", [])}
    assert set(PLANS) <= documents
    on_laws = [row for row in dialogs
               if any(doc.startswith("中华人民共和国") for turn in row["turns"] for doc in turn["doc_ids"])]
    assert 4 <= len(on_laws) <= 6
    for split in ("dev", "held"):  # both halves hold refusals and law conversations
        assert any(t["expect"] == "refuse" for row in dialogs if row["split"] == split for t in row["turns"])
        assert any(row["split"] == split for row in on_laws)


def test_a_dialog_fact_missing_from_its_clause_is_caught(dialogs, clauses, db):
    row, number = _turn(dialogs, lambda t: t["expect"] == "answer" and t.get("follow_up") == "place")
    row["turns"][number]["gold_facts"] = ["这句话不在任何条款里"]
    assert any(f"{row['id']}.{number + 1}: fact" in e and "not verbatim" in e
               for e in _dialog_errors([row], clauses, db))


def test_a_law_fact_not_in_its_article_and_an_unknown_article_are_caught(dialogs, clauses, db):
    row, number = _turn(dialogs, lambda t: any(d.startswith("中华人民共和国") for d in t["doc_ids"]))
    turn = row["turns"][number]
    turn["gold_facts"] = ["九十九年"]
    turn["gold_clauses"] = turn["gold_clauses"] + [turn["doc_ids"][0] + "#c99.a999"]
    errors = _dialog_errors([row], clauses, db)
    assert any("not verbatim" in e for e in errors)
    assert any("does not exist" in e for e in errors)


def test_a_refusal_the_named_document_does_answer_is_caught(dialogs, clauses, db):
    row, number = _turn(dialogs, lambda t: t["expect"] == "refuse" and t["absence_docs"] == ["haishu-2024"])
    row["turns"][number]["absence"] = row["turns"][number]["absence"] + ["PCT+2026"]  # the table's 2026 target
    assert any("absence pattern found: PCT+2026 in haishu-2024#" in e for e in _dialog_errors([row], clauses, db))


def test_a_law_refusal_any_current_law_answers_is_caught(dialogs, clauses, db):
    row, number = _turn(dialogs, lambda t: t["expect"] == "refuse"
                        and any(d.startswith("中华人民共和国") for d in t["absence_docs"]))
    row["turns"][number]["absence"] = ["诉讼时效+三年"]  # not 专利法 alone: 民法典 and others say it too
    errors = _dialog_errors([row], clauses, db)
    assert any("among current laws" in e and "诉讼时效+三年" in e for e in errors)


def test_a_refusal_with_gold_a_follow_up_without_reading_and_a_wrong_split_are_caught(dialogs, clauses, db):
    refusal, number = _turn(dialogs, lambda t: t["expect"] == "refuse")
    refusal["turns"][number]["gold_facts"] = ["10家"]
    refusal["split"] = "held" if refusal["split"] == "dev" else "dev"
    errors = _dialog_errors([refusal], clauses, db)
    assert any("refusal turn has gold fields" in e for e in errors)
    assert any("split must be" in e for e in errors)
    follow_up = copy.deepcopy(dialogs[0])
    follow_up["turns"][1]["understood_as"] = ""
    follow_up["turns"][1]["follow_up"] = "guess"
    errors = _dialog_errors([follow_up], clauses, db)
    assert any("needs its standalone reading" in e for e in errors)
    assert any("unknown follow_up" in e for e in errors)


def test_a_comparison_turn_without_a_fact_for_each_plan_is_caught(dialogs, clauses, db):
    row, number = _turn(dialogs, lambda t: t.get("follow_up") == "compare")
    turn = row["turns"][number]
    first = turn["doc_ids"][0]
    turn["gold_facts"] = [f for f in turn["gold_facts"]
                          if not any(f in clauses[c].text for c in turn["gold_clauses"] if c.startswith(first + "#"))]
    assert any(f"no gold fact for {first}" in e for e in _dialog_errors([row], clauses, db))


def test_the_checker_reports_the_dialogs_of_a_folder_that_has_them(capsys):
    assert check.main(["check.py", "--dir", str(DIALOGS.parent)]) == 0
    assert "dialogs.jsonl: 24 conversations" in capsys.readouterr().out
    assert check.main(["check.py"]) == 0  # eval/fresh has no dialogs: its checks run as before
    assert "dialogs.jsonl" not in capsys.readouterr().out


# --- eval/fresh3: laws no earlier set asks about -------------------------------------------------------

EARLIER_LAWS = {"专利法", "商标法", "著作权法", "反不正当竞争法", "民法典", "种子法", "电子商务法", "促进科技成果转化法",
                "刑法修正案（十一）", "反垄断法", "科学技术进步法", "广告法", "对外贸易法", "印花税法", "海关法", "企业所得税法",
                "中小企业促进法", "劳动合同法", "涉外民事关系法律适用法"}


def test_fresh3_has_the_promised_size_spread_and_only_new_laws():
    laws = _rows("laws.jsonl", FRESH3)
    kinds = collections.Counter(row["kind"] for row in laws)
    assert sum(n for kind, n in kinds.items() if kind != "unanswerable") >= 44 and kinds["unanswerable"] >= 14
    assert all(kinds[kind] >= 6 for kind in check.LAW_KINDS)
    assert 5 <= sum(row.get("script") == "traditional" for row in laws) <= 8
    for split in ("dev", "held"):  # every kind in both halves
        assert {row["kind"] for row in laws if row["split"] == split} == check.LAW_KINDS
    verdicts = collections.Counter(row["expected"] for row in _rows("verify.jsonl", FRESH3))
    assert verdicts == {"supported": 8, "contradicted": 8}
    dialogs = _rows(check.DIALOG_FILE, FRESH3)
    cited = {row["law"] for row in laws + _rows("verify.jsonl", FRESH3) if row["law"]}
    cited |= {doc for row in dialogs for turn in row["turns"] for doc in turn["doc_ids"] + turn.get("absence_docs", [])}
    assert len({row["law"] for row in laws if row["law"]}) >= 10
    assert not {name.removeprefix("中华人民共和国") for name in cited} & EARLIER_LAWS


def test_fresh3_plan_questions_are_valid_and_spread(clauses):
    plans = _rows("qa.jsonl", FRESH3)
    assert _plan_errors(plans, clauses) == []
    kinds = collections.Counter((row["kind"], row["split"]) for row in plans)
    assert all(kinds[(kind, split)] == 5 for kind in ("paraphrase", "unanswerable") for split in ("dev", "held"))
    assert {doc for row in plans for doc in row["doc_ids"]} == set(PLANS)


def test_fresh3_dialogs_are_valid_and_spread(clauses, db):
    dialogs = _rows(check.DIALOG_FILE, FRESH3)
    assert _dialog_errors(dialogs, clauses, db) == []
    assert len(dialogs) >= 12 and all(2 <= len(row["turns"]) <= 4 for row in dialogs)
    for split in ("dev", "held"):  # both halves hold refusals and traditional turns
        turns = [turn for row in dialogs if row["split"] == split for turn in row["turns"]]
        assert any(turn["expect"] == "refuse" for turn in turns)
        assert any(turn.get("script") == "traditional" for turn in turns)


def test_fresh3_a_law_refusal_its_law_answers_is_caught(clauses, db):
    row, number = _turn(_rows(check.DIALOG_FILE, FRESH3), lambda t: t["expect"] == "refuse")
    row["turns"][number]["absence"] = ["申请执行的期间+二年"]  # 民事诉讼法 第二百五十条 states it
    row["turns"][number]["absence_docs"] = ["中华人民共和国民事诉讼法"]
    assert any("absence pattern found" in e and "申请执行的期间+二年" in e for e in _dialog_errors([row], clauses, db))


def test_the_checker_reports_every_file_of_fresh3(capsys):
    assert check.main(["check.py", "--dir", str(FRESH3)]) == 0
    out = capsys.readouterr().out
    assert "qa.jsonl: 20 items" in out and "laws.jsonl: 70 items" in out and "0 errors" in out
    assert "dialogs.jsonl: 16 conversations" in out


# --- eval/fresh4: laws no earlier set asks about, mostly -----------------------------------------------

def _cited_laws(folder) -> set[str]:
    """The laws a set's files name (questions, statements, conversations' gold and refusals), without 中华人民共和国."""
    rows = _rows("laws.jsonl", folder) + _rows("verify.jsonl", folder)
    names = {row["law"] for row in rows if row["law"]}
    names |= {doc for row in _rows(check.DIALOG_FILE, folder) for turn in row["turns"]
              for doc in turn["doc_ids"] + turn.get("absence_docs", []) if doc.startswith("中华人民共和国")}
    return {name.removeprefix("中华人民共和国") for name in names}


def test_fresh4_has_the_promised_size_spread_and_mostly_new_laws():
    laws = _rows("laws.jsonl", FRESH4)
    by_split = collections.Counter((row["kind"], row["split"]) for row in laws)
    for kind, half in {"fact": 6, "paraphrase": 4, "procedure": 3, "definition": 2, "unanswerable": 5}.items():
        assert by_split[(kind, "dev")] == by_split[(kind, "held")] == half, kind
    assert 5 <= sum(row.get("script") == "traditional" for row in laws) <= 7
    earlier = EARLIER_LAWS | _cited_laws(FRESH3)  # the 42 laws of eval/laws, fresh, fresh2 and fresh3
    assert len(earlier) >= 42
    answerable = [row for row in laws if row["kind"] != "unanswerable"]
    assert sum(row["law"].removeprefix("中华人民共和国") not in earlier for row in answerable) >= 18
    assert len({row["law"] for row in answerable}) >= 15
    verdicts = collections.Counter((row["expected"], row["split"]) for row in _rows("verify.jsonl", FRESH4))
    assert all(verdicts[(e, split)] == 3 for e in ("supported", "contradicted") for split in ("dev", "held"))


def test_fresh4_no_article_is_gold_in_both_halves(clauses):
    """Looking at a dev item (question, statement or conversation) never shows a held item's article."""
    documents = check.DialogDocuments(clauses, check.DEFAULT_DB)
    splits = collections.defaultdict(set)
    for row in _rows("laws.jsonl", FRESH4) + _rows("verify.jsonl", FRESH4):
        for article in row["articles"]:
            splits[(row["law"], article)].add(row["split"])
    for row in _rows(check.DIALOG_FILE, FRESH4):
        for turn in row["turns"]:
            for cid in turn["gold_clauses"]:
                clause = documents.clause(cid)
                number = re.match(r"第[^条]+条", clause.text) if documents.is_law(cid.split("#")[0]) else None
                splits[(cid.split("#")[0], number.group(0) if number else cid)].add(row["split"])
    assert [key for key, halves in splits.items() if len(halves) > 1] == []


def test_fresh4_plan_questions_are_valid_and_spread(clauses):
    plans = _rows("qa.jsonl", FRESH4)
    assert _plan_errors(plans, clauses) == []
    kinds = collections.Counter(row["kind"] for row in plans)
    assert kinds == {"paraphrase": 5, "unanswerable": 5}
    assert {doc for row in plans for doc in row["doc_ids"]} == set(PLANS)
    assert {row["split"] for row in plans if row["kind"] == "unanswerable"} == {"dev", "held"}


def test_fresh4_dialogs_are_valid_and_spread(clauses, db):
    dialogs = _rows(check.DIALOG_FILE, FRESH4)
    assert _dialog_errors(dialogs, clauses, db) == []
    assert [row["id"] for row in dialogs] == [f"m{n:02d}" for n in range(1, 11)]
    assert all(2 <= len(row["turns"]) <= 4 for row in dialogs)
    on_plans = [row for row in dialogs
                if any(not doc.startswith("中华人民共和国") for turn in row["turns"] for doc in turn["doc_ids"])]
    assert len(on_plans) <= 2
    for split in ("dev", "held"):  # both halves hold refusals and traditional turns
        turns = [turn for row in dialogs if row["split"] == split for turn in row["turns"]]
        assert any(turn["expect"] == "refuse" for turn in turns)
        assert sum(turn.get("script") == "traditional" for turn in turns) >= 2


def test_fresh4_the_checker_catches_a_near_miss_a_law_answers_and_a_bad_conversation(clauses, db):
    question = "出书拿到的稿费，个税按收入的几成算？"
    laws = [{"id": "J998", "question": question, "kind": "unanswerable", "law": "", "articles": [], "gold_facts": [],
             "split": "held"}]
    report = check.Report()
    check.check_laws(laws, db, report)
    assert any("no absence patterns recorded" in e for e in report.errors)
    check.LAW_ABSENCE[question] = [("稿酬所得", "百分之七十")]  # 个人所得税法 第六条 states it
    try:
        report = check.Report()
        check.check_laws(laws, db, report)
        assert any("absence pattern found" in e and "个人所得税法" in e for e in report.errors)
    finally:
        del check.LAW_ABSENCE[question]
    row, number = _turn(_rows(check.DIALOG_FILE, FRESH4), lambda t: t["expect"] == "refuse")
    row["turns"][number]["absence"] = ["中标通知书+三十日内"]  # 招标投标法 第四十六条 states it
    row["turns"][number]["absence_docs"] = ["中华人民共和国招标投标法"]
    answer, other = _turn(_rows(check.DIALOG_FILE, FRESH4), lambda t: t["expect"] == "answer" and t.get("follow_up"))
    answer["turns"][other]["gold_facts"] = ["九十九日"]
    answer["turns"][other]["follow_up"] = "guess"
    errors = _dialog_errors([row, answer], clauses, db)
    assert any("absence pattern found" in e and "中标通知书+三十日内" in e for e in errors)
    assert any("not verbatim" in e for e in errors) and any("unknown follow_up" in e for e in errors)


def test_the_checker_reports_every_file_of_fresh4(capsys):
    assert check.main(["check.py", "--dir", str(FRESH4)]) == 0
    out = capsys.readouterr().out
    assert "qa.jsonl: 10 items" in out and "laws.jsonl: 40 items" in out and "verify.jsonl: 12 items" in out
    assert "dialogs.jsonl: 10 conversations" in out and "0 errors" in out


# --- eval/verify: statements on laws and plans, written from the documents ------------------------------------

VERIFY = ROOT / "eval" / "verify"


def _statements(name: str) -> list[dict]:
    return [json.loads(line) for line in (VERIFY / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", ["laws.jsonl", "plans.jsonl"])
def test_verify_statements_are_balanced_and_decided_by_their_evidence(name):
    rows = _statements(name)
    assert len({r["id"] for r in rows}) == len(rows)
    counts = collections.Counter((r["split"], r["expected"]) for r in rows)
    assert all(counts["dev", e] == counts["held", e] > 0 for e in ("supported", "contradicted", "not_found"))
    assert all(r["evidence"] for r in rows if r["expected"] != "not_found")


def test_verify_law_statements_quote_their_articles_and_keep_each_law_in_one_split(db):
    rows = _statements("laws.jsonl")
    splits = collections.defaultdict(set)
    for row in rows:
        splits[row["law"]].add(row["split"])
        texts = [text for article in row["articles"] for (text,) in db.execute(
            "SELECT a.article_text FROM articles a JOIN laws l ON a.law_id = l.law_id "
            "WHERE l.law_name = ? AND l.status = '现行有效' AND a.article_no = ?", (row["law"], article))]
        assert all(any(_squeezed(e) in _squeezed(t) for t in texts) for e in row["evidence"]), row["id"]
    assert all(len(s) == 1 for s in splits.values())


def test_verify_plan_statements_quote_their_plan():
    for row in _statements("plans.jsonl"):
        text = _squeezed((ROOT / "corpus" / row["doc"]).read_text(encoding="utf-8"))
        assert all(_squeezed(e) in text for e in row["evidence"]), row["id"]
