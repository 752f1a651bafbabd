"""The evaluation harness: its metric functions on small hand-made cases, the
question set's gold ids against the parser, and a floor under the real run."""
from __future__ import annotations

import json

import pytest

from assistant.documents import load_corpus
from assistant.evaluate import (
    EvalItem,
    ItemResult,
    Metrics,
    SystemAnswer,
    Unit,
    abstention_scores,
    best_overlap_sentence,
    chunk_anchor,
    citation_precision,
    citation_support,
    cited_sentences,
    contains_fact,
    facts_answered,
    gold_rank,
    grade,
    hit_at,
    load_eval_set,
    match_key,
    reciprocal_rank,
    run_evaluation,
    topic_scores,
    unit_matches_gold,
    write_report,
)
from assistant.model import Clause

from .conftest import CORPUS, ROOT

QA = ROOT / "eval" / "qa.jsonl"
GOLD_TEXT = "培养示范区执业专利代理师总人数达750人，培育国际品牌（分支）机构5家"


def make_item(kind="fact", gold_clauses=("d#1",), gold_facts=("750人",), topic_docs=()) -> EvalItem:
    return EvalItem("q", "问题？", kind, ("d",), tuple(gold_clauses), tuple(gold_facts), tuple(topic_docs))


def clause(clause_id: str, text: str, doc_id: str = "d", header: str = "") -> Unit:
    return Unit(text, doc_id, clause_id, header)


def chunk(text: str, doc_id: str = "d") -> Unit:
    return Unit(text, doc_id, None)


ANCHORS = {"d#1": match_key(GOLD_TEXT)}


# --- fact matching -----------------------------------------------------------

def test_facts_match_across_spaces_script_width_and_dash_style():
    assert contains_fact("专利代理师总人数达到 520 人", "520")
    assert contains_fact("質押融資累計達到200億元", "200億元")
    assert contains_fact("质押融资累计达到200亿元", "200億元")
    assert contains_fact("设立中国（浦东）知识产权保护中心", "中国(浦东)知识产权保护中心")
    assert contains_fact("规划期为2017—2019年", "2017-2019")


def test_a_figure_fact_is_not_found_inside_a_longer_number():
    assert not contains_fact("到2025年", "20")
    assert not contains_fact("达到 5200 人", "520")
    assert not contains_fact("累计12.5亿元", "2.5亿元")
    assert contains_fact("年均增幅 20%。", "20%")
    assert contains_fact("目标值 ≥1600件", "1600件")


def test_every_gold_fact_must_appear():
    assert facts_answered("活动3次，排查6次", ["3次", "6次"])
    assert not facts_answered("活动3次", ["3次", "6次"])


# --- retrieval ------------------------------------------------------------------

def test_gold_rank_hit_at_k_and_reciprocal_rank():
    units = [clause("d#9", "别的条款"), clause("d#1", GOLD_TEXT)]
    rank = gold_rank(units, make_item(), ANCHORS)
    assert rank == 2
    assert not hit_at(rank, 1) and hit_at(rank, 3)
    assert reciprocal_rank(rank) == 0.5
    assert gold_rank(units[:1], make_item(), ANCHORS) is None
    assert not hit_at(None, 5) and reciprocal_rank(None) == 0.0


def _result(gold_rank_value, has_gold=True, **overrides) -> ItemResult:
    values = dict(id="q", kind="fact", question="?", answer="", abstained=False, should_abstain=False,
                  gold_rank=gold_rank_value, has_gold_clauses=has_gold, facts_ok=None, citation_precision=None,
                  citation_recall=None, topic_exact=None, topic_jaccard=None, seconds=0.01, expected="")
    return ItemResult(**{**values, **overrides})


def test_metrics_average_ranks_only_over_items_with_gold_clauses():
    metrics = Metrics.of([_result(1), _result(3), _result(None), _result(None, has_gold=False)])
    assert metrics.retrieval_items == 3
    assert metrics.hit1 == pytest.approx(1 / 3)
    assert metrics.hit3 == pytest.approx(2 / 3)
    assert metrics.mrr == pytest.approx((1 + 1 / 3) / 3)


def test_a_chunk_hits_only_with_both_a_gold_fact_and_a_long_shared_run():
    item = make_item()
    surrounding = "前文略。" + GOLD_TEXT + "。后文略。"
    assert unit_matches_gold(chunk(surrounding), item, ANCHORS)
    assert not unit_matches_gold(chunk(surrounding.replace("750人", "七百六十人")), item, ANCHORS)
    assert unit_matches_gold(chunk(surrounding.replace("750人", "七百五十人")), item, ANCHORS)  # same number
    assert not unit_matches_gold(chunk("执业专利代理师总人数达750人"), item, ANCHORS)  # only 14 shared characters


def test_a_table_row_is_anchored_on_its_label_because_its_text_is_rebuilt_from_cells():
    row = Clause("h#2.t1r4", "h", ("二",), "PCT國際專利量(件)：2023年實現值 155；2026年目標值 ≥200",
                 kind="table_row")
    assert chunk_anchor(row) == "pct国际专利量(件)"
    item = make_item(gold_clauses=("h#2.t1r4",), gold_facts=("155", "≥200"))
    raw_table = "4 | PCT國際專利量(件) | 155 | ≥200 | 預期性 |"
    assert unit_matches_gold(chunk(raw_table), item, {"h#2.t1r4": chunk_anchor(row)})


# --- citations ------------------------------------------------------------------

def test_citation_precision_counts_gold_clauses_and_clauses_holding_a_gold_fact():
    cited = [clause("d#1", GOLD_TEXT), clause("d#7", "附表：执业专利代理师750人"), clause("d#8", "无关条款")]
    assert citation_precision(cited, make_item(), ANCHORS) == pytest.approx(2 / 3)
    assert citation_precision([], make_item(), ANCHORS) is None
    assert citation_precision(cited, make_item(gold_clauses=(), gold_facts=()), ANCHORS) is None


def test_answer_is_cut_into_sentences_at_citation_markers():
    assert cited_sentences("甲。[1][2]乙[3]\n丙") == [("甲。", [1, 2]), ("乙", [3]), ("丙", [])]


def test_citation_support_checks_figures_and_names_against_the_cited_unit():
    cited = [clause("x#1", "每万人有效发明专利拥有量达 140 件"), clause("x#2", "PCT 国际专利申请量达 500 件")]
    answer = "每万人有效发明专利拥有量达 140 件[1]PCT 国际专利申请量达 600 件[2]"
    assert citation_support(answer, cited, []) == 0.5
    assert citation_support("达 140 件[1]没有引用的句子", cited, []) == 0.5
    assert citation_support("达 140 件[3]", cited, []) == 0.0  # a marker pointing at nothing
    names = {"区法院", "区检察院"}
    units = [clause("x#3", "落实单位：区法院、公安分局")]
    assert citation_support("落实单位：区法院[1]", units, names) == 1.0
    assert citation_support("落实单位：区检察院[1]", units, names) == 0.0
    assert citation_support("依据《专利法》[1]", units, names) == 0.0


def test_citation_support_accepts_the_cited_documents_header_and_either_script():
    notice = clause("h#notice", "現印發給你們", "h", header="海曙區工作方案 海政辦發〔2024〕6號 2024-02-29")
    answer = "《海曙区工作方案》文号：海政办发〔2024〕6号；日期：2024-02-29。[1]"
    assert citation_support(answer, [notice], []) == 1.0
    assert citation_support("成文日期：2024年2月29日。[1]", [notice], []) == 1.0
    assert citation_support("日期：2024-03-01。[1]", [notice], []) == 0.0


# --- abstention and topics ---------------------------------------------------------

def test_abstention_precision_and_recall():
    assert abstention_scores([True, True, False, False], [True, False, True, False]) == (0.5, 0.5)
    assert abstention_scores([True, False], [True, False]) == (1.0, 1.0)
    assert abstention_scores([True, False], [False, False]) == (None, 0.0)
    assert abstention_scores([False, False], [False, True]) == (0.0, None)


def test_topic_document_set_exact_match_and_jaccard():
    assert topic_scores(["a", "b"], ["a"]) == (False, 0.5)
    assert topic_scores(["b", "a"], ["a", "b"]) == (True, 1.0)
    assert topic_scores([], ["a", "b"]) == (False, 0.0)


def test_grading_an_abstention_on_an_answerable_question():
    answer = SystemAnswer("未在文档中找到与该问题对应的内容。", True, units=[clause("d#1", GOLD_TEXT)],
                          cited=[clause("d#1", GOLD_TEXT)])
    result = grade(make_item(), answer, ANCHORS, frozenset())
    assert result.gold_rank == 1 and result.facts_ok is False
    assert result.citation_precision is None and result.citation_recall is None  # related clauses, not an answer
    assert result.failures == ["abstained"]


def test_grading_a_topic_answer_by_the_documents_it_cites():
    item = make_item(kind="topic", gold_clauses=("d#1",), gold_facts=(), topic_docs=("d", "e"))
    cited = [clause("d#1", GOLD_TEXT), clause("f#1", "丙", "f")]
    answer = SystemAnswer("甲[1]\n乙[2]", False, units=[], cited=cited)
    result = grade(item, answer, ANCHORS, frozenset())
    assert result.topic_exact is False and result.topic_jaccard == pytest.approx(1 / 3)
    assert result.failures == ["wrong document set"]


def test_naive_answer_is_the_sentence_sharing_most_question_words():
    passage = "加强宣传引导。培养示范区执业专利代理师总人数达750人。开展活动12场。"
    best = best_overlap_sentence("示范区执业专利代理师总人数目标是多少？", passage)
    assert best == "培养示范区执业专利代理师总人数达750人。"


# --- the question set --------------------------------------------------------------

def test_every_gold_clause_and_document_in_the_question_set_exists():
    documents = load_corpus(CORPUS).documents
    clause_ids = {c.id for d in documents for c in d.clauses}
    doc_ids = {d.id for d in documents}
    items = load_eval_set(QA)
    assert len(items) == 244
    assert {i.split for i in items[141:]} == {"train", "test"} and {i.split for i in items[:141]} == {""}
    missing = sorted({c for i in items for c in i.gold_clauses} - clause_ids)
    assert not missing, f"gold clauses that no longer parse: {missing}"
    assert {d for i in items for d in (*i.doc_ids, *i.topic_docs)} <= doc_ids


# --- the real run ------------------------------------------------------------------

# Floors for the main (hybrid) system: the value measured on the seed index on
# 2026-11-23 over the 244 items (in the comment; `policy-assistant eval` gave the same)
# minus 0.03, rounded down, so that a regression fails. Raise them when it improves.
MAIN_FLOORS = {
    "hit1": 0.59,                  # 0.623
    "hit3": 0.77,                  # 0.809
    "hit5": 0.85,                  # 0.884
    "mrr": 0.70,                   # 0.732
    "fact_accuracy": 0.83,         # 0.862
    "citation_precision": 0.86,    # 0.899
    "citation_recall": 0.97,       # 1.000
    "abstention_precision": 0.81,  # 0.844
    "abstention_recall": 0.83,     # 0.864
    "topic_accuracy": 0.90,        # 1.000 (11 items: one miss is 0.909)
}
# The kinds of issue 13, per kind (same rule): how 0.909, outline 0.933.
KIND_FACT_FLOORS = {"how": 0.87, "outline": 0.90}


@pytest.mark.slow
def test_evaluation_on_the_real_corpus_meets_the_floors(seed_app, tmp_path):
    report = run_evaluation(seed_app, QA)
    paths = write_report(report, tmp_path)
    saved = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert set(saved["systems"]) == {"hybrid", "bm25", "dense", "naive"}
    assert paths["png"].stat().st_size > 10_000 and "## Failed items" in paths["md"].read_text(encoding="utf-8")
    main = saved["systems"]["hybrid"]["overall"]
    assert main["questions"] == 244
    below = {metric: (main[metric], floor) for metric, floor in MAIN_FLOORS.items() if main[metric] < floor}
    assert not below, f"below floor (measured, floor): {below}"
    kinds = saved["systems"]["hybrid"]["per_kind"]
    assert {k: kinds[k]["fact_accuracy"] for k in KIND_FACT_FLOORS if kinds[k]["fact_accuracy"] < KIND_FACT_FLOORS[k]} == {}
    splits = saved["systems"]["hybrid"]["per_split"]
    assert {k: v["questions"] for k, v in splits.items()} == {"none": 141, "train": 53, "test": 50}
    assert "## Train / test split" in paths["md"].read_text(encoding="utf-8")


def test_the_laws_eval_scores_the_article_an_answer_cites_first_apart_from_the_ranking():
    from assistant.law_eval import LawItem, Ranked, score

    items = [LawItem("L1", "外观设计专利保护多久？", "fact", "专利法", ("第四十二条",), ("十五年",), "train"),
             LawItem("L2", "发明专利保护多久？", "fact", "专利法", ("第四十二条",), ("二十年",), "train")]

    class Scoped:   # ranks the article second unscoped, but its answer (scoped) cites it first
        name = "scoped"

        def answer(self, question):
            first = ("专利法", "第四十二条") if "外观" in question else ("专利法", "第二十九条")
            return Ranked([("专利法", "第二十九条"), ("专利法", "第四十二条")], "十五年", False, 0.0, first)

    metrics = score(Scoped(), items).metrics()
    assert metrics["hit1"] == 0.0 and metrics["cited1"] == 0.5
