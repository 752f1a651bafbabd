"""Target extraction on the real seeds, scored against the hand-written eval/targets.jsonl."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from assistant.targets import find_figures, indicator_group
from assistant.text import normalize
from assistant.topics import search_form

from .conftest import run_cli

GOLD = Path(__file__).resolve().parent.parent / "eval" / "targets.jsonl"
# Measured on the seeds (see the printed figures); set a little below the measurement.
# The extractor was written while reading the same five plans, so these figures say
# little about unseen documents: test_unseen_phrasing covers a few of those.
MIN_PRECISION = 0.98  # 98 of 98 found match since structure counts (两个转变) are left out
MIN_RECALL = 0.95
MIN_YEAR_ACCURACY = 0.95
MIN_COMPARATOR_ACCURACY = 0.95


@pytest.fixture(scope="module")
def table(seed_app):
    return seed_app.targets


def _gold() -> list[dict]:
    with open(GOLD, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _key(clause_id, value, unit):
    low, high = (value, value) if not isinstance(value, list) else value
    return clause_id, float(low), float(high), normalize(unit)


def test_gold_list_is_large_enough():
    assert len(_gold()) >= 45


def test_precision_and_recall_against_the_hand_list(table):
    # A clause may state the same figure twice (10家 … 10家): match as multisets.
    gold = Counter(_key(g["clause_id"], g["value"], g["unit"]) for g in _gold())
    found = Counter(_key(t.clause_id, t.value, t.unit) for t in table.targets)
    matched = sum((gold & found).values())
    precision, recall = matched / sum(found.values()), matched / sum(gold.values())
    gold_fields = {_key(g["clause_id"], g["value"], g["unit"]): g for g in _gold()}
    pairs = [(t, gold_fields[k]) for t in table.targets if (k := _key(t.clause_id, t.value, t.unit)) in gold_fields]
    years = sum(t.year == g["year"] for t, g in pairs) / len(pairs)
    comparators = sum(normalize(t.comparator) == normalize(g["comparator"]) for t, g in pairs) / len(pairs)
    print(f"\ntarget extraction: {sum(found.values())} found, {sum(gold.values())} in the hand list, "
          f"{matched} matched; precision {precision:.3f}, recall {recall:.3f}; year {years:.3f}, comparator {comparators:.3f}")
    print("missed:", sorted((gold - found).elements()), "extra:", sorted((found - gold).elements()))
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL
    assert years >= MIN_YEAR_ACCURACY and comparators >= MIN_COMPARATOR_ACCURACY


def test_patent_attorney_targets_line_up_across_plans(table):
    group = next(g for g in table.result("专利代理师").groups if g.indicator == "专利代理师")
    rows = {(t.doc_id, t.value, t.unit, t.year) for t in group.targets}
    assert rows == {("caohejing-2024", 750, "人", 2026), ("xuhui-2022", 520, "人", 2025),
                    ("zhengzhou-2023", 600, "名", 2025)}
    caohejing = next(t for t in group.targets if t.doc_id == "caohejing-2024")
    assert caohejing.also_in == ["caohejing-2024#annex1.t1r7"]   # the annex restates it


def test_old_title_finds_the_same_group(table):
    assert [g.indicator for g in table.result("专利代理人").groups] == ["专利代理师"]


def _target(table, clause_id, unit):
    return next(t for t in table.targets if t.clause_id == clause_id and t.unit == unit)


def test_values_are_parsed_with_their_scale_and_range(table):
    assert _target(table, "pudong-2017#2.2.3", "件").year == 2019
    software = [t for t in table.targets if t.clause_id == "pudong-2017#2.2.3" and t.value == 18000]
    assert software and software[0].value_text == "1.8万件"
    spread = next(t for t in table.targets if t.clause_id == "caohejing-2024#1.3.2" and t.value == [3, 5])
    assert spread.unit == "家"
    finance = next(t for t in table.targets if t.clause_id == "xuhui-2022#2.d3" and t.comparator == "超过")
    assert (finance.value, finance.unit) == (2_000_000_000, "元")
    growth = _target(table, "caohejing-2024#1.3.3", "%")
    assert (growth.value, growth.comparator) == (7, "不低于")
    spaced = next(t for t in table.targets if t.clause_id == "xuhui-2022#2.d4" and t.group == "专利代理师")
    assert (spaced.value, spaced.value_text) == (520, "520 人")


def test_table_rows_give_the_target_and_keep_the_baseline(table):
    row = table.targets[[t.clause_id for t in table.targets].index("haishu-2024#2.t1r1")]
    assert (row.value, row.comparator, row.year, row.baseline, row.baseline_year) == (1600, "≥", 2026, 1335, 2023)
    money = next(t for t in table.targets if t.clause_id == "haishu-2024#2.t1r8")
    assert (money.value, money.unit, money.baseline) == (20_000_000_000, "元", 7_800_000_000)


def test_conditions_and_qualifiers_are_not_targets(table):
    values = {(t.clause_id, t.low) for t in table.targets}
    assert ("zhengzhou-2023#2.4.1", 10) in values                # 培育版权服务品牌机构10家
    # 专利代理师数量超过10人 is a condition for a reward
    assert not any(t.clause_id == "zhengzhou-2023#2.4.1" and t.unit == "人" for t in table.targets)
    assert ("xuhui-2022#2.d4", 10_000_000) not in values          # 收入1000万元以上的机构: a qualifier


@pytest.mark.parametrize("text, expected", [
    ("到2027年，力争培育专精特新企业不少于30家，技术合同成交额超过50亿元。",
     [("专精特新企业", 30, "不少于", 2027), ("技术合同成交额", 5e9, "超过", 2027)]),
    ("培养 80 名知识产权经纪人。", [("知识产权经纪人", 80, "", None)]),
    ("对于成立5年以上、代理师超过10人的机构，给予一定奖励。", []),
    ("扶持年收入500万元以上的服务机构。", []),
    ("引进2—4家国际知名机构。", [("国际知名机构", 2, "", None)]),
])
def test_unseen_phrasing(text, expected):
    figures = find_figures(search_form(text))
    assert [(f.indicator, f.low, f.comparator, f.year) for f in figures] == expected


def test_indicator_aliases_group_different_wordings():
    assert indicator_group("执业专利代理师总人数") == indicator_group("专利代理师总人数") == "专利代理师"
    assert indicator_group("每万人口发明专利拥有量") == indicator_group("每万人有效发明专利拥有量")
    assert indicator_group("知識產權質押融資累計額") == indicator_group("专利、商标品牌质押融资总额")
    assert indicator_group("有效发明专利数量") != indicator_group("每万人有效发明专利拥有量")


def test_result_json_shape(table):
    data = table.result().to_dict()
    assert set(data) == {"targets", "groups"}
    assert {"doc_id", "clause_id", "indicator", "value_text", "value", "unit", "comparator", "year",
            "baseline"} <= set(data["targets"][0])
    assert set(data["groups"][0]) == {"indicator", "targets"}


def test_a_topic_without_targets_gives_no_groups(table):
    assert table.result("量子计算").groups == []



def test_cli_targets_json(seed_app):
    done = run_cli(seed_app, "targets", "--topic", "专利代理师", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["groups"][0]["indicator"] == "专利代理师" and len(data["groups"][0]["targets"]) == 3


def test_cli_targets_table(seed_app):
    done = run_cli(seed_app, "targets", "--topic", "专利代理师")
    assert done.exit_code == 0 and "750人" in done.output and "520 人" in done.output and "600名" in done.output


def test_cli_targets_empty_topic_is_an_error(seed_app):
    done = run_cli(seed_app, "targets", "--topic", " ")
    assert done.exit_code != 0 and "Traceback" not in done.output


def test_a_table_cell_is_stated_with_the_unit_its_header_gives(table):
    cell = next(t for t in table.targets if t.clause_id == "haishu-2024#2.t1r13")
    assert cell.value_text == "≥60" and cell.stated().replace(" ", "") == "≥60家"   # not ≥≥60


@pytest.mark.parametrize("question, listed", [("海曙的量化指标有哪些？", "海曙區"), ("徐汇有哪些指标？", "徐汇区")])
def test_a_plans_targets_asked_as_a_list_are_read_out_one_a_line(seed_app, question, listed):
    answer = seed_app.answerer.ask(question)
    lines = answer.text.splitlines()
    assert answer.intent == "targets" and lines[0] == f"{listed}的量化指标："
    assert len(lines) > 10 and all("：" in line for line in lines[1:])
    assert {c.clause.doc_id for c in answer.citations} == {answer.citations[0].clause.doc_id}


def test_one_indicator_asked_is_no_list_of_targets(seed_app):
    assert seed_app.answerer.ask("徐汇的专利代理师指标是多少？").intent != "targets"
