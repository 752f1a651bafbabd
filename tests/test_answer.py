"""The retrieval chain and the extractive answerer on the real seeds, with the real
embedder, Chroma on disk and jieba."""
from __future__ import annotations

import re

import pytest

from assistant.answer import MAX_QUESTION_CHARS, NOT_FOUND, QuestionError, classify, rankers_agree
from assistant.retrieve import CANDIDATES, ClauseRetriever, Filters, Hit, HybridRetriever
from assistant.text import normalize, tokenize

pytestmark = pytest.mark.slow

ONE_PER_DOCUMENT = [
    ("漕河泾计划培养多少名执业专利代理师？", "caohejing-2024#1.3.2", "750人"),
    ("徐汇区到2025年PCT国际专利申请量的目标是多少？", "xuhui-2022#2.d2", "600"),
    ("浦东新区软件著作权新增登记量要达到多少？", "pudong-2017#2.2.3", "1.8万件"),
    ("郑州计划培养多少名执业专利代理师？", "zhengzhou-2023#1.3.d5", "600名"),
    ("海曙区知识产权质押融资总额到2026年底要超过多少？", "haishu-2024#3.2.7", "200億元"),
]


@pytest.mark.parametrize("question, clause_id, fact", ONE_PER_DOCUMENT)
def test_each_document_answers_from_the_right_clause_at_rank_one(seed_app, question, clause_id, fact):
    hits = seed_app.retriever.search(question, k=5, filters=Filters())
    answer = seed_app.answerer.ask(question)
    assert not answer.abstained
    assert fact.replace(" ", "") in answer.text.replace(" ", "")
    assert clause_id in [h.clause.id for h in hits[:3]]
    assert answer.citations[0].clause.id == clause_id or any(
        fact in c.clause.text for c in answer.citations)


def test_every_answer_sentence_is_cited_and_citations_are_numbered_in_order(seed_app):
    answer = seed_app.answerer.ask("徐汇区知识产权质押融资总额的目标是多少？")
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    assert markers and answer.text.rstrip().endswith("]")
    assert sorted(set(markers)) == [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for citation in answer.citations:
        assert all(sentence in citation.clause.text for sentence in citation.used)


def test_traditional_question_reaches_simplified_text_and_the_reverse(seed_app):
    simplified_doc = seed_app.answerer.ask("鄭州計劃培養多少名執業專利代理師？")
    assert not simplified_doc.abstained and "600名" in simplified_doc.text
    assert simplified_doc.citations[0].document.id == "zhengzhou-2023"
    traditional_doc = seed_app.answerer.ask("海曙区商业秘密保护示范点的目标是多少家？")
    assert not traditional_doc.abstained
    assert traditional_doc.citations[0].document.id == "haishu-2024"
    assert "商業秘密" in traditional_doc.citations[0].clause.text  # shown in its original script
    assert "10" in traditional_doc.text


@pytest.mark.parametrize("question", [
    "北京市知识产权质押融资的年度目标是多少？",       # a place no document names
    "深圳市计划培养多少名专利代理师？",
    "徐汇区到2030年PCT国际专利申请量要达到多少？",    # a year outside every plan
    "郑州对考取专利代理师资格的人员奖励多少元？",      # an amount the plan leaves open
    "《专利法》第几条规定了惩罚性赔偿？",             # a law not in the corpus
])
def test_out_of_corpus_questions_abstain_and_offer_related_clauses(seed_app, question):
    answer = seed_app.answerer.ask(question)
    assert answer.abstained
    assert answer.text.startswith(NOT_FOUND)
    assert not re.search(r"\[\d+\]", answer.text)  # nothing is presented as cited fact
    assert answer.to_dict()["abstained"] is True


@pytest.mark.parametrize("year, answered", [(2025, False), (2024, False), (2026, True)])
def test_a_figure_for_a_year_the_clause_does_not_give_is_not_answered_with_another_years(seed_app, year, answered):
    answer = seed_app.answerer.ask(f"海曙区{year}年高价值发明专利拥有量要达到多少件？")
    assert answer.abstained is not answered
    row = next(c for c in answer.citations if "高價值發明專利擁有量" in c.clause.text)
    assert "1600" in row.clause.text  # the row with the 2026 target is offered either way
    if answered:
        assert "≥1600件" in answer.text  # the unit comes from the row's label, 高價值發明專利擁有量(件)
    else:  # what the text does give, with its year and unit, marked as not the answer
        assert f"{year} 年" in answer.text
        assert "只给出：高價值發明專利擁有量：2026年目標值 ≥1600件" in answer.text and "并非所问" in answer.text


def test_a_named_place_does_not_pull_up_the_clauses_that_repeat_its_name(seed_app):
    """Searching inside 海曙's plan, 海曙区 says nothing about which clause; the indicator row does."""
    answer = seed_app.answerer.ask("海曙区知识产权服务机构数量的目标是多少？")
    assert answer.citations[0].clause.id == "haishu-2024#2.t1r13"
    assert "≥60" in answer.text


def test_a_measure_word_asks_for_a_figure_more_than_it_names_the_topic(seed_app):
    """数量 must not outweigh 品牌: the brand-institution target, not the count of all institutions."""
    answer = seed_app.answerer.ask("漕河泾知识产权服务品牌机构数量的目标是多少？")
    assert "5家国际品牌" in answer.text and "210家" not in answer.text


def test_responsible_units_come_from_the_clause(seed_app):
    answer = seed_app.answerer.ask("徐汇加强商业秘密保护的落实单位有哪些？")
    assert answer.intent == "units"
    assert answer.citations[0].clause.id == "xuhui-2022#3.1.1"
    for unit in ("区法院", "区检察院", "公安分局", "区知识产权局", "区文化旅游局"):
        assert unit in answer.text


def test_metadata_questions_answer_from_the_document_record(seed_app):
    answer = seed_app.answerer.ask("浦东的方案文号是什么？")
    assert "浦府〔2017〕94号" in answer.text
    assert answer.citations[0].clause.id == "pudong-2017#notice"
    none = seed_app.answerer.ask("郑州行动计划的文号是什么？")
    assert "未载明" in none.text and "〔" not in none.text.split("《")[0]


def test_a_metadata_answer_leads_with_the_field_asked_and_says_when_the_text_lacks_it(seed_app):
    period = seed_app.answerer.ask("海曙方案的规划期是哪几年？")
    assert period.text.split("》", 1)[1].startswith("规划期：2024—2026年")
    date = seed_app.answerer.ask("徐汇的方案什么时候印发的？")   # the text states no date
    assert date.abstained and "未载明日期" in date.text
    both = seed_app.answerer.ask("徐汇的方案什么时候印发的？文号是多少？")
    assert not both.abstained and "文号：文中未载明" in both.text and "日期：文中未载明" in both.text


@pytest.mark.parametrize("question", ["漕河泾的方案是哪一年发布的？", "漕河泾方案什么时候出台的？", "漕河泾方案哪年发的？"])
def test_asked_when_a_named_plan_was_issued_the_answer_is_its_date(seed_app, question):
    answer = seed_app.answerer.ask(question)
    assert answer.intent == "metadata" and "2024年4月1日" in answer.text


def test_asked_when_a_plan_will_publish_something_the_answer_is_not_its_own_date(seed_app):
    answer = seed_app.answerer.ask("浦东什么时候发布知识产权白皮书？")
    assert answer.intent != "metadata" and "2017年5月22日" not in answer.text


@pytest.mark.parametrize("question", ["What is Pudong's target for software copyright registrations?", "😀？"])
def test_a_question_without_chinese_or_any_word_of_the_documents_is_refused_saying_why(seed_app, question):
    answer = seed_app.answerer.ask(question)
    assert answer.abstained and "请用中文提问" in answer.text


def test_a_latin_word_the_documents_use_is_searched(seed_app):
    answer = seed_app.answerer.ask("WIPO")
    assert not answer.abstained and "世界知识产权组织" in answer.text


def test_several_places_get_one_line_each(seed_app):
    answer = seed_app.answerer.ask("各地专利代理师的目标分别是多少？")
    lines = answer.text.splitlines()
    assert answer.intent == "per_document" and len(lines) >= 3
    for figure in ("750人", "520", "600名"):
        assert any(figure in line.replace(" ", "") for line in lines)
    cited_documents = [c.document.id for c in answer.citations]
    assert len(cited_documents) == len(set(cited_documents))


def test_filters_limit_the_documents_searched(seed_app):
    only_haishu = Filters(doc_ids=("haishu-2024",))
    hits = seed_app.retriever.search("专利代理师", k=10, filters=only_haishu)
    assert hits and {h.clause.doc_id for h in hits} == {"haishu-2024"}
    by_year = Filters(year=2018)
    assert {h.clause.doc_id for h in seed_app.retriever.search("知识产权", k=10, filters=by_year)} == {"pudong-2017"}
    assert seed_app.retriever.search("知识产权", k=5, filters=Filters(year=1990)) == []
    by_region = Filters(region="郑州")
    assert {h.clause.doc_id for h in seed_app.retriever.search("服务机构", k=10, filters=by_region)} == {"zhengzhou-2023"}


def test_dense_search_within_documents_ranks_as_the_whole_search_does(seed_app):
    question = "专利代理师的数量目标"
    everywhere = seed_app.retriever.dense(question, len(seed_app.index.clauses))
    expected = [h.clause.id for h in everywhere if h.clause.doc_id == "haishu-2024"][:5]
    within = seed_app.retriever.dense(question, 5, ["haishu-2024", "no-such-document"])
    assert [h.clause.id for h in within] == expected
    assert seed_app.retriever.dense(question, 5, ["no-such-document"]) == []


def test_langchain_retriever_returns_clause_documents(seed_app):
    retriever = ClauseRetriever(retriever=seed_app.retriever, k=3)
    documents = retriever.invoke("知识产权质押融资")
    assert len(documents) == 3
    for document in documents:
        clause = seed_app.index.clause_by_id[document.metadata["clause_id"]]
        assert document.page_content == clause.text
        assert document.metadata["path"] == list(clause.path)


def test_a_dense_candidate_below_the_bm25_cut_off_is_fused_with_its_own_bm25_score(seed_app):
    question = "知识产权服务机构的培育"
    scores = seed_app.index.keywords.scores_with(tokenize(normalize(question)))
    top = {h.clause.id for h in seed_app.retriever.keyword(question, CANDIDATES)}
    hits = seed_app.retriever.search(question, 2 * CANDIDATES)
    below = [h for h in hits if h.similarity is not None and h.clause.id not in top
             and scores[seed_app.index.position[h.clause.id]] > 0]
    assert below, "the dense ranker should find clauses BM25 ranks below its cut-off"
    for hit in below:
        assert hit.keyword == pytest.approx(float(scores[seed_app.index.position[hit.clause.id]]))


def test_baseline_modes_use_one_ranking_only(seed_app):
    keyword = HybridRetriever(seed_app.index, seed_app.embedder, mode="keyword")
    dense = HybridRetriever(seed_app.index, seed_app.embedder, mode="dense")
    assert all(h.similarity is None for h in keyword.search("质押融资", 5))
    assert all(h.keyword is None for h in dense.search("质押融资", 5))
    with pytest.raises(ValueError):
        HybridRetriever(seed_app.index, seed_app.embedder, mode="magic")


@pytest.mark.parametrize("question", ["", "   ", "问" * (MAX_QUESTION_CHARS + 1)])
def test_bad_questions_raise_a_clear_error(seed_app, question):
    with pytest.raises(QuestionError) as error:
        seed_app.answerer.ask(question)
    assert "问题" in str(error.value)


def test_question_kinds_are_recognised():
    assert classify("漕河泾计划培养多少名执业专利代理师？") == "figure"
    assert classify("由谁落实？") == "units"
    assert classify("浦东方案的文号是什么？") == "metadata"
    assert classify("各地的目标分别是多少？") == "per_document"
    assert classify("检查验收阶段是什么时候？") == "date"
    assert classify("如何加强商业秘密保护？") == "general"
    assert classify("这个方案是哪个部门印发的？") == "metadata"
    # 印发 describing the document is not a question about its issuing
    assert classify("2022年印发的徐汇方案PCT国际专利申请量目标是多少？") == "figure"
    # 文号 inside 批准文号 names a medicine's approval number, not the number the record gives a document
    assert classify("醫院用傳統工藝自己配的中藥製劑，也要拿批准文號嗎？") != "metadata"
    assert classify("它的文号是多少？") == "metadata"
    # 几 after a pronoun says "a few": 我们几个人 asks no number
    assert classify("我们几个人想办一家合伙企业，要签什么协议？") == "general"
    assert classify("我们要办几个人的合伙企业？") == "figure"


def test_the_year_a_document_was_issued_does_not_ask_for_that_years_figure(seed_app):
    answer = seed_app.answerer.ask("2024年印发的海曙方案中知识产权质押融资目标是多少？")
    assert not answer.abstained and "200" in answer.text


def test_per_document_questions_search_a_bounded_number_of_documents(tmp_path, hashing_embedder):
    """With thousands of documents a search per document would take minutes: the answer covers
    the documents the question's best clauses come from, at most MAX_DOCUMENT_LINES of them."""
    from assistant.answer import MAX_DOCUMENT_LINES
    from assistant.app import App, Settings

    from .conftest import CORPUS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (CORPUS / "zhengzhou-2023.txt").read_text(encoding="utf-8")
    for n in range(MAX_DOCUMENT_LINES + 6):
        (corpus / f"plan-{n:02d}.txt").write_text(text.replace("600名", f"{600 + n}名"), encoding="utf-8")
    app = App(Settings(corpus=corpus, index=tmp_path / "index"), embedder=hashing_embedder)
    app.build(progress=False)
    searches = []
    search = app.retriever.search
    app.retriever.search = lambda *args, **kwargs: searches.append(args) or search(*args, **kwargs)

    answer = app.answerer.ask("各方案培养执业专利代理师的目标分别是多少？")
    assert answer.intent == "per_document" and not answer.abstained
    lines = [line for line in answer.text.splitlines() if line.strip()]
    assert 2 <= len(lines) <= MAX_DOCUMENT_LINES
    assert len(searches) <= MAX_DOCUMENT_LINES + 2
    assert len({c.document.id for c in answer.citations}) == len(lines)


def test_a_local_plan_does_not_answer_for_a_place_it_never_mentions(seed_app):
    # 宁波 is in the corpus (海曙 is one of its districts) but not in 郑州's plan, the one about the building
    answer = seed_app.answerer.ask("宁波的知识产权服务大厦要实现哪些业务一站式办理？")
    assert answer.abstained and "宁波" in answer.text
    answered = seed_app.answerer.ask("郑州的知识产权服务大厦要实现哪些业务一站式办理？")
    assert not answered.abstained and "一站式办理" in answered.text
    also_named = seed_app.answerer.ask("上海市徐汇区PCT国际专利申请量的目标是多少？")
    assert not also_named.abstained and "600" in also_named.text


def test_rankers_that_put_the_same_clause_first_agree(seed_app):
    first, second = seed_app.index.clauses[10], seed_app.index.clauses[20]
    assert rankers_agree([Hit(first, 0.9, 0.88, 5.0), Hit(second, 0.5, 0.86, 2.0)])
    assert not rankers_agree([Hit(first, 0.9, 0.86, 5.0), Hit(second, 0.5, 0.88, 2.0)])
    assert not rankers_agree([Hit(first, 0.9, None, 5.0), Hit(second, 0.5, None, 2.0)])  # keyword only


def test_weak_retrieval_is_still_refused_when_the_rankers_disagree(seed_app):
    answer = seed_app.answerer.ask("浦东对房地产税怎么规定？")
    state = seed_app.answerer.prepare("浦东对房地产税怎么规定？")
    assert not rankers_agree(state["hits"])
    assert answer.abstained and "关联度不足" in answer.text


@pytest.mark.parametrize("question, row", [
    ("漕河泾关键指标附表第12项的内容是什么？", "caohejing-2024#annex1.t1r12"),   # not the row saying 12场
    ("漕河泾关键指标附表中序号7的指标是什么？", "caohejing-2024#annex1.t1r7"),
])
def test_a_question_naming_a_row_of_a_table_is_answered_by_that_row(seed_app, question, row):
    answer = seed_app.answerer.ask(question)
    assert [c.clause.id for c in answer.citations] == [row]


def test_the_fusion_leans_towards_the_ranker_surer_of_its_first_clause(seed_app):
    from assistant.retrieve import KEYWORD_WEIGHT_RANGE, margin_shift
    clause = seed_app.index.clauses[0]
    dense = [Hit(clause, s, s, None) for s in (0.90, 0.70, 0.60, 0.50)]     # a clear first
    keyword = [Hit(clause, s, None, s) for s in (10.0, 9.8, 9.5, 9.0)]       # a near tie
    assert margin_shift(dense, keyword) < 0
    retriever = seed_app.retriever
    assert KEYWORD_WEIGHT_RANGE[0] <= retriever.question_keyword_weight(dense, keyword) < retriever.keyword_weight
    assert retriever.question_keyword_weight(dense[:2], keyword) == retriever.keyword_weight
    assert margin_shift([Hit(clause, s, s, None) for s in (0.9, 0.89, 0.5)],
                        [Hit(clause, s, None, s) for s in (10.0, 5.0, 4.0)]) > 0
