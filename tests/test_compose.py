"""Composition by what the question asks, on the real seeds (real embedder, Chroma, jieba):
outlines from the parsed section tree, how-questions answered by the measures of the
clause, one line per document for comparisons, figures with their unit and year, and
abstentions that say what the text does give. The questions here are written for these
tests from the documents; none is an eval item."""
from __future__ import annotations

import re

import pytest

from assistant.answer import NOT_FOUND
from assistant.asked import holds, lacks_asked_quantity, states_measure
from assistant.compose import NOT_STATED, best_sentences, coverage, heads_clause, parallel, score_sentence, table_figure
from assistant.model import Clause, Document
from assistant.retrieve import Hit
from assistant.questions import QuestionAnalyser, classify, heading_core, outline_of
from assistant.text import normalize

pytestmark = pytest.mark.slow


def lines_of(answer) -> list[str]:
    return [line for line in answer.text.splitlines() if line.strip()]


def headings_listed(answer) -> list[str]:
    """An outline answer's lines after its lead, without their citation marks."""
    return [re.sub(r"\[\d+\]$", "", line) for line in lines_of(answer)[1:]]


def sub_headings(document, section_starts: str) -> list[str]:
    """The headings under the section of the document whose heading starts so."""
    outline = outline_of(document)
    return [k[-1] for k in outline[next(p for p in outline if p[-1].startswith(section_starts))]]


def test_an_outline_lists_every_heading_under_the_section_named_each_cited(seed_app):
    answer = seed_app.answerer.ask("郑州的发展目标包括哪些方面？")
    assert answer.intent == "outline" and not answer.abstained
    document = seed_app.index.documents["zhengzhou-2023"]
    expected = outline_of(document)[("一、总体要求", "(三)发展目标")]
    assert len(expected) == 5
    body = lines_of(answer)[1:]  # the first line says which section of which document
    assert "发展目标" in lines_of(answer)[0]
    assert [re.sub(r"\[\d+\]$", "", line) for line in body] == [child[-1] for child in expected]
    for line, citation in zip(body, answer.citations):  # each heading cites the first clause under it
        assert line.endswith(f"[{citation.n}]")
        assert citation.clause.path[:2] == ("一、总体要求", "(三)发展目标")


@pytest.mark.parametrize("question, first, last", [
    ("海曙的方案一共有几个部分？", "一、指導思想", "五、保障措施"),
    ("漕河泾方案分为哪几部分？", "一、总体要求", "三、组织保障"),
    ("郑州行动计划的结构是怎样的？", "一、总体要求", "三、保障措施"),
])
def test_asked_how_a_named_document_is_divided_the_answer_lists_its_parts(seed_app, question, first, last):
    answer = seed_app.answerer.ask(question)
    assert answer.intent == "outline"
    parts = headings_listed(answer)
    assert parts[0] == first and last in parts


def test_parts_of_a_thing_inside_a_document_are_not_the_documents_parts(seed_app):
    answer = seed_app.answerer.ask("漕河泾要打造的“三级活动体系”由哪几部分组成？")
    assert "二、主要任务" not in answer.text


def test_a_section_is_named_by_one_part_of_its_heading_and_which_items_is_no_count(seed_app):
    # （四）与创新主体双向赋能,实现知识产权“高水平服务创新”: the question names its first part only;
    # 哪几项 asks which items, not how many
    answer = seed_app.answerer.ask("漕河泾跟创新主体双向赋能那部分包括哪几项？")
    assert answer.intent == "outline" and not answer.abstained
    assert [re.sub(r"\[\d+\]$", "", line) for line in lines_of(answer)[1:]] == [
        "1.引导服务业为创新主体提质增效", "2.促进服务业支撑科技成果转移转化", "3.打造知识产权新业态新模式"]


@pytest.mark.parametrize("question, first_item", [
    ("漕河泾的目标是什么？", "1.高质量服务进一步集聚"),     # (三)工作目标: its only heading ending in 目标
    ("郑州有哪些任务？", "(一)优化完善政策体系"),           # 二、主要任务
])
def test_a_section_is_named_by_the_kind_its_heading_ends_in(seed_app, question, first_item):
    answer = seed_app.answerer.ask(question)
    assert answer.intent == "outline" and answer.text.splitlines()[1].startswith(first_item)


def test_a_section_whose_only_part_is_a_table_lists_the_rows_with_their_values(seed_app):
    """海曙's 二、發展目標 is a paragraph over a table of indicators: asked its goals, the rows are read out."""
    answer = seed_app.answerer.ask("海曙的方案有哪些目标？")
    assert answer.intent == "outline" and len(answer.citations) == 15
    assert "2026年目標值 ≥1600" in answer.text.splitlines()[1]


def test_a_kind_said_after_a_demonstrative_points_at_the_question_not_a_section():
    from assistant.questions import _POINTING_BACK, heading_kind
    assert heading_kind("二、發展目標") == "目标" and heading_kind("（一）集聚多方合力，实现“高质量服务集聚”") == ""
    assert "任务" not in _POINTING_BACK.sub(" ", "“高效益贡献加大”这一任务下列了哪些指标")


def test_an_outline_in_traditional_script_keeps_the_documents_headings(seed_app):
    answer = seed_app.answerer.ask("海曙區的保障措施包括哪些？")
    assert answer.intent == "outline"
    assert "(一)加強組織領導" in answer.text and "(五)加強宣傳引導" in answer.text


def test_naming_a_sub_section_asks_about_it_not_for_the_outline(seed_app):
    answer = seed_app.answerer.ask("漕河泾在资金保障方面有哪些措施？")
    assert answer.intent != "outline"
    assert answer.citations[0].clause.id == "caohejing-2024#3.2"


def test_outline_detection_uses_the_parsed_tree_not_known_heading_words(seed_app):
    """A made-up document's own headings are found: nothing about 主要任务 is built in."""
    analyser = QuestionAnalyser(seed_app.index)
    assert heading_core("（三）加大资金投入") == "加大资金投入"
    assert heading_core("第二章 专利的申请") == "专利的申请"
    clauses = tuple(Clause(f"x#{i}", "x", ("二、苗木培育", f"({n})品种{n}"), f"品种{n}的内容。", order=i)
                    for i, n in enumerate("一二三"))
    from assistant.model import Document
    document = Document("x", "x.txt", "某县苗木方案", None, None, None, None, None, "h", clauses)
    assert outline_of(document) == {("二、苗木培育",): [("二、苗木培育", "(一)品种一"), ("二、苗木培育", "(二)品种二"),
                                                     ("二、苗木培育", "(三)品种三")]}
    assert analyser.analyse("这份方案的工作目标有哪些？").intent == "outline"  # headings of the seeds
    assert analyser.analyse("漕河泾计划培养多少名执业专利代理师？").intent == "figure"


def test_a_sub_section_named_inside_its_section_is_outlined_by_its_own_items(seed_app):
    """重点工作 names 三、, 创造运用 only one of its sub-sections, （二）, which has items of its own."""
    answer = seed_app.answerer.ask("徐汇重点工作中创造运用这一块有哪些内容？")
    assert answer.intent == "outline" and not answer.abstained
    assert headings_listed(answer) == sub_headings(seed_app.index.documents["xuhui-2022"], "（二）")


def test_how_many_parts_asked_by_a_count_is_an_outline(seed_app):
    answer = seed_app.answerer.ask("浦东的工作目标分为哪两部分？")
    assert answer.intent == "outline"
    assert "总体目标" in answer.text and "具体目标" in answer.text


def test_a_how_question_is_answered_by_the_measures_of_the_clause_whose_heading_names_it(seed_app):
    answer = seed_app.answerer.ask("海曙区如何加强知识产权司法保护？")
    assert answer.intent == "measures" and not answer.abstained
    assert answer.citations[0].clause.id == "haishu-2024#3.3.11"
    first_line = lines_of(answer)[0]
    # not one sentence but the clause's measures, in its original script
    for measure in ("刑事司法銜接", "雙向移送機制", "共享法庭"):
        assert measure in first_line
    assert all(sentence in answer.citations[0].clause.text for sentence in answer.citations[0].used)


def test_a_comparison_gives_one_cited_line_per_document_named(seed_app):
    answer = seed_app.answerer.ask("徐汇区和郑州在人才培养方面分别有什么举措？")
    assert answer.intent == "per_document" and not answer.abstained
    lines = lines_of(answer)
    assert len(lines) == 2
    assert {line.split("：")[0] for line in lines} == {"徐汇区", "郑州市"}
    assert [c.document.id for c in answer.citations] in (["xuhui-2022", "zhengzhou-2023"],
                                                         ["zhengzhou-2023", "xuhui-2022"])
    assert all(re.search(r"\[\d\]$", line) for line in lines)


def test_a_document_named_that_does_not_state_it_says_so(seed_app):
    answer = seed_app.answerer.ask("浦东和郑州分别怎样推进知识产权质押融资？")
    lines = lines_of(answer)
    zhengzhou = next(line for line in lines if line.startswith("郑州市："))
    assert "质押融资" in zhengzhou and zhengzhou.endswith("]")
    assert "浦东新区：" + NOT_STATED in lines
    assert {c.document.id for c in answer.citations} == {"zhengzhou-2023"}  # nothing cited for 浦东


def test_a_table_figure_is_read_with_its_unit_and_the_year_asked_first(seed_app):
    answer = seed_app.answerer.ask("海曙区知识产权贯标企业到2026年要达到多少家？")
    assert not answer.abstained
    assert answer.text.startswith("知識產權貫標企業：2026年目標值 ≥200家")
    assert answer.citations[0].clause.id == "haishu-2024#2.t1r9"


def test_table_figure_only_rewrites_rows_in_the_header_value_shape(seed_app):
    query = seed_app.answerer.analyser.analyse("覆盖率目标是多少？")
    row = "高新技術企業有效發明專利覆蓋率(%)：2023年實現值 60%；2026年目標值 80%；指標屬性 約束性"
    assert table_figure(row, query) == "高新技術企業有效發明專利覆蓋率：2026年目標值 80%（2023年實現值 60%；指標屬性 約束性）"
    plain = "高价值品牌引领：培养示范区区执业专利代理师总人数达750人"
    assert table_figure(plain, query) == plain


def test_a_year_the_plan_gives_no_figure_for_is_refused_saying_what_it_gives(seed_app):
    """郑州's 600名 is a target for 2025 (到2025年 in its heading clause), not for 2024."""
    answer = seed_app.answerer.ask("郑州到2024年要培养多少名执业专利代理师？")
    assert answer.abstained and answer.text.startswith(NOT_FOUND)
    assert "2024 年" in answer.text and "600名" in answer.text and "并非所问" in answer.text
    assert not re.search(r"\[\d+\]", answer.text)
    # what the text gives instead comes from the first related clause, its sentence marked there
    first = answer.citations[0]
    assert "600名" in first.clause.text
    assert any("600名" in used and used.rstrip("。") in answer.text for used in first.used)
    in_period = seed_app.answerer.ask("郑州到2025年要培养多少名执业专利代理师？")
    assert not in_period.abstained and "600名" in in_period.text


def test_an_amount_the_plan_leaves_open_is_refused_with_the_clause_that_names_it(seed_app):
    answer = seed_app.answerer.ask("郑州设立的知识产权服务业发展专项资金是多少？")
    assert answer.abstained
    assert "金额" in answer.text and "设立知识产权服务业发展专项资金" in answer.text
    rate = seed_app.answerer.ask("徐汇区知识产权保险金额年均增幅要达到多少？")  # a rate, not an amount
    assert not rate.abstained and "20%" in rate.text.replace(" ", "")


@pytest.mark.parametrize("question, unknown", [
    ("说不清楚，法院对知识产权案件怎么审理？", None),       # no body named, only the generic 法院
    ("徐汇区检察院负责哪些工作？", None),                  # the plan's own 区检察院, with its place
    ("国家版权局对此有什么规定？", "国家版权局"),
    ("漕河泾和徐汇的知识产权服务业空间布局分别怎么规划？", None),  # 布局 is a word, not a bureau (…局)
    ("杭州知识产权法庭受理哪些案件？", "知识产权法庭"),     # a tribunal is a body, as a court is
    ("海关总署对此有什么规定？", "海关总署"),
    ("漕河泾怎么部署服务机构集聚？", None),                # 部署 is a word, not an office (…署)
    ("对市场监管局的处罚不服怎么办？", None),              # 市场监督管理局, as spoken
])
def test_bodies_in_a_question_are_names_not_any_two_characters(seed_app, question, unknown):
    scope = seed_app.answerer.analyser.analyse(question).scope
    assert (unknown in scope.unknown) if unknown else not scope.unknown


def test_two_characters_jieba_glued_together_are_no_word_of_the_question(seed_app):
    tokens = seed_app.answerer.analyser.weighted_tokens("花钱请人设计了一个图案，卖有品种权的种子要注意什么？")
    assert "请人" not in tokens and "卖有" not in tokens      # in no dictionary and no document
    assert "花钱" in tokens and "图案" in tokens              # everyday words jieba knows stay
    pronouns = seed_app.answerer.analyser.weighted_tokens("别家的APP在我们的软件里插链接，跳到他们那边，违法吗？")
    assert not {"别家", "我们", "他们", "那边"} & set(pronouns) and "链接" in pronouns  # who, not what


def test_words_no_document_uses_weigh_by_how_specific_they_are_in_general_chinese(seed_app):
    """Everyday phrasing (就是, 现在) says little about a question; a specific word (个人所得税) much.
    Both are absent from the seeds, so the corpus alone would weigh them the same."""
    analyser = seed_app.answerer.analyser
    tokens = analyser.weighted_tokens("现在就是企业怎么缴纳个人所得税？")
    assert "就是" not in analyser.corpus_text and "个人所得税" not in analyser.corpus_text
    assert tokens["就是"] < 0.5 * tokens["个人所得税"]
    assert tokens["现在"] < 0.5 * tokens["个人所得税"]
    known = analyser.weighted_tokens("知识产权质押融资")
    assert known["质押融资"] == seed_app.index.idf.of("质押融资")  # a word the corpus has counts fully


def test_a_district_no_list_here_names_is_still_seen_as_a_place(seed_app):
    """闵行区 is not in the gazetteer; jieba tags it as a place and no document names it."""
    answer = seed_app.answerer.ask("闵行区知识产权服务机构数量的目标是多少？")
    assert answer.abstained and "闵行区" in answer.text
    assert not seed_app.answerer.analyser.analyse("浦东和海曙在知识产权保护上有什么不同？").scope.unknown
    # jieba's dictionary tags 上市 and 城市 as places; one character before 市 names no city
    assert not seed_app.answerer.analyser.analyse("漕河泾会帮企业在产品上市前做专利分析吗？").scope.unknown


def test_a_how_question_about_a_section_with_items_answers_with_its_items(seed_app):
    """The question holds the words of 浦东's heading （六）加强多层次知识产权人才培养 in another order:
    the items under that section are the answer, one cited line each."""
    answer = seed_app.answerer.ask("浦东怎样加强知识产权多层次人才培养？")
    assert answer.intent == "measures" and not answer.abstained
    assert [c.clause.id for c in answer.citations] == ["pudong-2017#3.6.1", "pudong-2017#3.6.2", "pudong-2017#3.6.3"]
    assert len(lines_of(answer)) == 3 and "世界知识产权组织" in lines_of(answer)[0]


def test_a_street_the_text_does_not_give_is_refused_and_one_it_gives_is_answered(seed_app):
    given = seed_app.answerer.ask("徐汇的知识产权双子楼在哪条路上？")
    assert not given.abstained and "漕宝路" in given.text
    not_given = seed_app.answerer.ask("郑州知识产权运营中心建在哪条路上？")
    assert not_given.abstained and "地点" in not_given.text and "建设知识产权运营中心" in not_given.text


def test_an_inline_item_labelled_by_its_own_cut_off_first_sentence_has_no_heading_of_its_own(seed_app):
    clauses = {c.id: c for c in seed_app.index.clauses}
    labelled_by_itself = clauses["pudong-2017#3.2.2"]   # 2.加大对假冒专利、商标侵权…（cut off）
    short_heading = clauses["haishu-2024#3.2.9"]        # 9.實施地理標志運用促進工程。…
    assert labelled_by_itself.path[-1].endswith("…")
    assert not heads_clause(labelled_by_itself)
    assert heads_clause(short_heading)


@pytest.mark.parametrize("question, intent", [
    ("作者的署名权有保护期限吗？", "general"),     # yes/no: 保护期不受限制 answers it
    ("商标注册是否有期限？", "general"),
    ("外观设计专利权的期限是多少年？", "figure"),    # asks the term itself: how long it is
    ("发明专利权的保护期限有多长？", "figure"),
    ("发明专利权的保护期限什么时候届满？", "date"),
    ("申请行政复议有几天期限？", "figure"),
])
def test_a_yes_no_question_does_not_demand_a_date_or_a_figure(seed_app, question, intent):
    assert QuestionAnalyser(seed_app.index).analyse(question).intent == intent


def test_another_name_of_what_the_question_names_counts_as_its_word(seed_app):
    # 版权 and 著作权 are one thing (data/synonyms.txt); 浦东's plan says 软件著作权 only
    query = QuestionAnalyser(seed_app.index).analyse("浦东的版权登记量目标是多少？")
    assert "著作权" in query.aliases["版权"]
    answer = seed_app.answerer.ask("浦东的版权登记量目标是多少？")
    assert not answer.abstained and "1.8万件" in answer.text


def test_keyword_search_scores_a_clause_by_the_better_of_two_names_not_both(seed_app):
    keywords = seed_app.index.keywords
    alone = keywords.scores(["版权"])
    either = keywords.search(["版权"], 5000, alternatives=[(["版权"], ["著作权"])])
    scores = {h.clause_id: h.score for h in either}
    both = keywords.scores(["版权", "著作权"])
    for i, clause_id in enumerate(keywords.clause_ids):
        if clause_id in scores:
            assert alone[i] <= scores[clause_id] + 1e-6 and scores[clause_id] <= both[i] + 1e-6
    assert any(alone[keywords.clause_ids.index(c)] == 0 for c in scores)   # found by 著作权 alone


def test_which_year_asks_for_a_date_and_a_clause_without_one_does_not_answer_it(seed_app):
    # 哪一年 is "which year", not one year: read as a quantity it hid the date question.
    answer = seed_app.answerer.ask("浦东的知识产权保护中心哪一年挂牌？")
    assert answer.intent == "date"
    assert answer.abstained and "文档未给出具体时间" in answer.text and "保护中心" in answer.text


def test_a_measure_word_is_held_by_a_quantity_of_its_kind_not_by_the_word():
    assert holds("数量", normalize("各类知识产权服务机构数达 200 家"), "各类知识产权服务机构数达 200 家")
    assert not holds("数量", normalize("可运营专利数量较多的机构"), "可运营专利数量较多的机构")
    assert holds("数量", normalize("知識產權服務機構(家)：2023年實現值 50"), "知識產權服務機構(家)：2023年實現值 50")
    assert holds("金额", normalize("质押融资金额力争达到12亿元"), "质押融资金额力争达到12亿元")
    assert not holds("金额", normalize("培育3家机构"), "培育3家机构")
    tokens = {"服务机构": 1.0, "数量": 1.0}
    assert coverage(tokens, ["实现知识产权服务机构总数达到1500家"]) == 1.0
    assert coverage(tokens, ["知识产权服务机构的数量"]) == 0.5


def test_a_count_asked_with_a_measure_word_is_answered_by_the_sentence_stating_the_count(seed_app):
    answer = seed_app.answerer.ask("徐汇和郑州对知识产权服务机构数量的目标分别是多少？")
    xuhui, zhengzhou = (next(line for line in lines_of(answer) if line.startswith(name)) for name in ("徐汇", "郑州"))
    assert "200" in xuhui and "1000 万元" not in xuhui
    assert "1500家" in zhengzhou and "奖励" not in zhengzhou


def test_a_named_plan_that_holds_much_less_of_the_question_than_another_plan_is_refused(seed_app):
    answer = seed_app.answerer.ask("郑州对商业秘密保护有什么举措？")  # only other plans treat 商业秘密
    assert answer.abstained and "郑州" in answer.text and "没有与问题对应的条款" in answer.text
    assert all(c.document.id == "zhengzhou-2023" for c in answer.citations)  # shown as related only
    answered = seed_app.answerer.ask("徐汇对商业秘密保护有什么举措？")
    assert not answered.abstained and "商业秘密" in answered.text


def test_a_plans_figure_for_another_indicator_does_not_answer_one_another_plan_states(seed_app):
    # 每万人口发明专利拥有量 is stated whole by other plans; 海曙's table gives 高价值发明专利拥有量.
    answer = seed_app.answerer.ask("海曙区每万人口发明专利拥有量的目标是多少？")
    assert answer.abstained and "其他指标" in answer.text and "高價值發明專利擁有量" in answer.text
    for question, fact in [("海曙区高价值发明专利拥有量的目标是多少？", "1600件"),
                           ("郑州知识产权服务机构数量的目标是多少？", "1500家"),
                           ("徐汇区每万人有效发明专利拥有量的目标是多少？", "140")]:
        answered = seed_app.answerer.ask(question)
        assert not answered.abstained and fact in answered.text.replace(" ", ""), question


def test_a_comparison_line_is_judged_against_the_best_documents_line(seed_app):
    answer = seed_app.answerer.ask("浦东和海曙在地理标志方面分别有什么安排？")
    assert any(line.startswith("海曙") and "地理標志" in line for line in lines_of(answer))
    assert f"浦东新区：{NOT_STATED}" in lines_of(answer)
    assert {c.document.id for c in answer.citations} == {"haishu-2024"}


def test_a_table_rows_own_text_is_not_taken_for_a_heading_naming_a_measure(seed_app):
    answer = seed_app.answerer.ask("漕河泾和郑州分别怎么推动服务机构国际化？")
    caohejing = next(c for c in answer.citations if c.document.id == "caohejing-2024")
    assert caohejing.clause.kind != "table_row" and caohejing.clause.id == "caohejing-2024#2.2.3"


def test_a_comparison_line_quotes_enough_of_the_clause_to_hold_the_answer(seed_app):
    # 郑州's clause names 海外 twice: 设立海外分支机构 answers, 海外留学人才 mentions it in passing.
    answer = seed_app.answerer.ask("郑州和漕河泾分别怎么支持服务机构到海外设立分支？")
    zhengzhou = next(line for line in lines_of(answer) if line.startswith("郑州"))
    caohejing = next(line for line in lines_of(answer) if line.startswith("漕河泾"))
    assert "设立海外分支机构" in zhengzhou and "在境外设立分支机构或代表处" in caohejing


def test_each_of_one_documents_items_is_no_comparison_of_documents(seed_app):
    # 分别 here is about 海曙's industries, not about documents: no line per document.
    answer = seed_app.answerer.ask("海曙分别在哪些产业组建知识产权联盟？")
    assert not answer.abstained and not answer.text.startswith("海曙區：")
    assert "紡織服裝產業知識產權聯盟" in answer.text
    assert {c.document.id for c in answer.citations} == {"haishu-2024"}


def test_a_label_cut_short_is_the_items_own_sentence_not_a_heading(seed_app):
    clauses = seed_app.index.clause_by_id
    assert clauses["pudong-2017#3.7.1"].path[-1].endswith("…") and not heads_clause(clauses["pudong-2017#3.7.1"])
    assert heads_clause(clauses["zhengzhou-2023#2.6.2"])  # 2.推动知识产权服务机构国际化: a title
    assert not heads_clause(clauses["caohejing-2024#annex1.t1r6"])  # a table row
    # The first item no longer counts its own words twice, so the next item about 宣传 is quoted too.
    answer = seed_app.answerer.ask("浦东怎么做知识产权宣传？")
    assert [c.clause.id for c in answer.citations][:2] == ["pudong-2017#3.7.1", "pudong-2017#3.7.2"]


@pytest.mark.parametrize("text, dated", [
    ("在申请日以前六个月内", True),
    ("自公告之日起三个月内", True),
    ("披露、使用或者允许他人使用以前项手段获取的权利人的商业秘密", False),   # the item before, not a time
    ("依照前款规定处理", False),
])
def test_what_reads_as_a_time_in_the_answer_to_a_when_question(text, dated):
    from assistant.asked import STATES_TIME
    assert bool(STATES_TIME.search(text)) == dated


@pytest.mark.parametrize("token, text, held", [
    ("7", "培养示范区执业专利代理师总人数达750人", False),
    ("750", "培养示范区执业专利代理师总人数达750人", True),
    ("2025", "到2025年,实现知识产权服务机构总数达到1500家", True),
    ("20", "占比达到20.5%", False),
])
def test_a_number_in_the_question_is_held_by_the_same_number_only(token, text, held):
    from assistant.asked import holds
    assert holds(token, text) == held


def test_a_section_named_by_its_place_in_the_document_is_outlined(seed_app):
    """第二部分 names the second top-level part (二、…) whatever its heading says."""
    document = seed_app.index.documents["xuhui-2022"]
    outline = outline_of(document)
    second = next(parent for parent in outline if len(parent) == 1 and parent[0].startswith("二、"))
    answer = seed_app.answerer.ask("徐汇方案的第二部分讲了什么？")
    assert answer.intent == "outline" and not answer.abstained
    body = lines_of(answer)[1:]
    assert [re.sub(r"\[\d+\]$", "", line) for line in body] == [child[-1] for child in outline[second]]
    assert QuestionAnalyser(seed_app.index).analyse("徐汇方案的第九部分讲了什么？").intent != "outline"


def test_parallel_cases_of_one_clause_are_quoted_together():
    assert parallel("培育小型知识产权服务机构向精细化、特色化方向发展。", "培育大型知识产权服务机构向综合化、国际化方向发展。")
    assert not parallel("培育小型知识产权服务机构向精细化、特色化方向发展。", "开展知识产权服务品牌价值提升行动,引导服务机构强化品牌意识。")


def test_an_enumeration_stated_as_parallel_sentences_is_answered_whole(seed_app):
    answer = seed_app.answerer.ask("漕河泾对大型、中型、小型知识产权服务机构各自的发展方向是什么？")
    assert not answer.abstained
    for direction in ("精细化、特色化", "专业化、高端化", "综合化、国际化"):
        assert direction in answer.text


def test_a_sentence_is_not_about_what_it_says_it_excludes():
    tokens = {"专利权": 5.0, "转让": 4.0, "印花税": 6.0}
    excluding = "合同（指书面合同）：税 目 技术合同；税 率 价款、报酬或者使用费的万分之三；备 注 不包括专利权、专有技术使用权转让书据"
    naming = "产权转移书据：税 目 商标专用权、著作权、专利权、专有技术使用权转让书据；税 率 价款的万分之三"
    assert score_sentence(excluding, tokens, "figure") == 0
    assert score_sentence(naming, tokens, "figure") > 0
    # a parenthesis saying what is left out: 著作权（署名权除外） is not about 署名权
    asked = {"署名权": 6.0, "保护期": 4.0}
    left_out = "著作权（署名权除外）由法人享有的职务作品，其发表权的保护期为五十年"
    assert score_sentence(left_out, asked, "general") < score_sentence("作者的署名权的保护期不受限制", asked, "general")
    assert score_sentence(left_out, {"署名权": 6.0}, "general") == 0


def test_a_word_of_two_question_words_is_held_in_either_order():
    # 用县名注册商标: 商标注册 names the same act as 注册商标; the two words apart do not
    tokens = {"县名": 6.0, "注册商标": 2.3, "注册": 1.7, "商标": 1.4}
    swapped = score_sentence("县级以上行政区划名称不得作为商标注册和使用", tokens, "general")
    assert swapped == score_sentence("县级以上行政区划名称不得作为注册商标和使用", tokens, "general")
    assert swapped > score_sentence("县级以上行政区划名称不得作为商标申请注册和使用", tokens, "general")


def test_a_street_asked_for_is_answered_by_the_sentence_naming_it(seed_app):
    # 律师事务所 is not a word of the plan (it says 律所): the street is the shape of the answer
    answer = seed_app.answerer.ask("漕河泾的高端律师事务所会集中在哪条街？")
    assert not answer.abstained and answer.text.startswith("“1商街”以徐家汇“漕溪北路”")
    assert seed_app.answerer.ask("郑州的知识产权服务大厦在哪条街？").abstained  # the plan names no street


def test_a_road_is_a_name_ending_in_lu_not_a_word_of_general_chinese_that_does():
    from assistant.text import ADDRESS
    assert all(ADDRESS.search(t) for t in ("漕溪北路", "漕宝路 650 号", "世纪大道", "长安街"))
    assert not any(ADDRESS.search(t) for t in ("“一带一路”沿线", "发展思路", "街道办事处", "线路", "发展道路"))


def test_a_plans_goals_give_way_to_its_measures_when_asked_how(seed_app):
    # 海曙's 发展目标 names every topic of the plan (质押融资 among them); 7.優化知識產權金融服務能力 says how
    answer = seed_app.answerer.ask("浦东、徐汇和海曙在知识产权质押融资方面分别怎么推进？")
    haishu = next(line for line in answer.text.splitlines() if line.startswith("海曙"))
    assert "優化知識產權金融服務能力" in haishu and "發展目標" not in haishu


def test_the_rows_of_an_indicator_group_the_question_names_are_listed_whole(seed_app):
    answer = seed_app.answerer.ask("漕河泾关键指标表里，高效益贡献加大包括哪几项？")
    assert re.findall(r"高效益贡献加大：[^\[]*", answer.text) == [
        "高效益贡献加大：实现知识产权服务业营业收入年均增长不低于7%", "高效益贡献加大：各类知识产权服务机构数量增长至210家",
        "高效益贡献加大：规模以上服务机构数量增至45家"]   # all three, in the table's order


def test_a_not_a_asks_yes_or_no_and_names_no_topic(seed_app):
    analyser = QuestionAnalyser(seed_app.index)
    for question in ("能不能用县名注册商标？", "可不可以用县名注册商标？", "有没有用县名注册的商标？"):
        tokens = analyser.analyse(question).tokens
        assert not {"不能", "可不", "不可", "可以", "没有"} & set(tokens), (question, tokens)
        assert "商标" in tokens


# --- comparisons: each named plan's line is the clause that answers the question's topic ---------

def test_a_how_question_is_answered_by_a_plans_clause_not_its_indicator_row(seed_app):
    # 海曙's table row 省級以上商業秘密保護示范點(站)(家) holds the question's words as fully as its
    # clause 10, which says what will be done (推進商業秘密保護創新試點建設).
    answer = seed_app.answerer.ask("郑州和海曙分别怎样建设商业秘密保护示范点？")
    haishu = next(line for line in lines_of(answer) if line.startswith("海曙"))
    assert "商業秘密保護創新試點" in haishu
    assert {c.clause.id for c in answer.citations} == {"haishu-2024#3.3.10"}
    single = seed_app.answerer.ask("海曙怎样建设商业秘密保护示范点？")
    assert single.citations[0].clause.id == "haishu-2024#3.3.10"


def test_an_indicator_row_stays_when_it_is_all_a_plan_says_of_the_topic(seed_app):
    # 海曙 sets a target for 版权登记 and no measure; its clauses only say 版权 in passing.
    answer = seed_app.answerer.ask("浦东和海曙在版权登记方面分别怎么做？")
    haishu = next(line for line in lines_of(answer) if line.startswith("海曙"))
    assert "版權登記量" in haishu and "≥5500件" in haishu


def test_a_comparison_of_targets_gives_each_plans_figure_or_says_it_sets_none(seed_app):
    answer = seed_app.answerer.ask("徐汇和海曙对省级知识产权联盟分别有什么目标？")
    haishu = next(line for line in lines_of(answer) if line.startswith("海曙"))
    assert "省級知識產權聯盟備案" in haishu and "≥2個" in haishu
    assert f"徐汇区：{NOT_STATED}" in lines_of(answer)  # 徐汇 names 联盟 in passing, with no target
    # Goals a plan states in words, with no figure among its clauses on them, are quoted as worded.
    goals = seed_app.answerer.ask("浦东和郑州的发展目标分别是什么？")
    assert [line.split("：")[0] for line in lines_of(goals)] == ["浦东新区", "郑州市"]
    assert all(line.endswith("]") for line in lines_of(goals))


@pytest.mark.parametrize("text, number", [
    ("16.深化知識產權領域改革。", False),           # the item's own number
    ("（3）加强宣传", False),
    ("5.到2026年建成10家", True),
    ("5.5%", True),
])
def test_an_items_own_number_is_no_figure(text, number):
    from assistant.asked import gives_number
    assert gives_number(normalize(text)) == number


@pytest.mark.parametrize("text, number", [
    ("第46条转让注册商标的,商标注册人对其在同1种商品上注册的近似的商标", False),  # an article's number, 同一
    ("依照本法第12条的规定", False),
    ("在期满前12个月内办理", True),
])
def test_an_articles_own_number_and_the_same_are_no_quantity(text, number):
    from assistant.asked import states_number
    assert states_number(text) == number


def test_a_table_row_of_another_measure_does_not_give_the_count_asked(seed_app):
    analyse = seed_app.answerer.analyser.analyse
    row = next(c for d in seed_app.index.documents.values() for c in d.clauses
               if c.kind == "table_row" and "覆蓋率" in c.text)
    pick = [(row.text, Hit(row, 1.0, None, None))]
    assert lacks_asked_quantity(analyse("高新技术企业要有几件发明专利？"), normalize(row.text), pick)
    assert not lacks_asked_quantity(analyse("有效发明专利覆盖率要达到百分之多少？"), normalize(row.text), pick)


def test_the_nouns_after_what_name_the_thing_asked_for():
    from assistant.questions import asked_thing
    assert asked_thing(normalize("郑州分别用什么专项政策或资金引进人才？")) == ["专项", "政策", "资金"]
    assert asked_thing(normalize("浦东打算建立哪些制度？")) == ["制度"]
    assert asked_thing(normalize("漕河泾怎么推动服务机构国际化？")) == []


def test_a_comparison_line_quotes_the_sentence_stating_the_thing_asked_for(seed_app):
    # 郑州's clause 2 shares 引进 … 人才 with several sentences; the one stating a 专项 is the answer.
    answer = seed_app.answerer.ask("郑州和海曙分别用什么专项政策引进知识产权人才？")
    zhengzhou = next(line for line in lines_of(answer) if line.startswith("郑州"))
    assert "设立知识产权人才专项基金" in zhengzhou


def test_a_day_of_every_year_is_found_as_the_text_writes_it(seed_app):
    from assistant.questions import annual_days
    tokens, aliases = annual_days(normalize("4月26日有什么活动"), {"4": 1.0, "26": 2.0, "活动": 1.0}, {})
    assert tokens == {"4月26日": 3.0, "活动": 1.0} and "426" in aliases["4月26日"] and "4·26" in aliases["4月26日"]
    assert annual_days(normalize("2024年4月26日"), {"4": 1.0, "26": 2.0}, {})[0] == {"4": 1.0, "26": 2.0}
    answer = seed_app.answerer.ask("漕河泾在4月26日举办什么论坛？")  # the text says “426”世界知识产权日
    assert answer.citations[0].clause.id == "caohejing-2024#2.6.1" and "知识产权论坛活动" in answer.text


@pytest.mark.parametrize("penalty, unasked, asked, answered", [
    ("有下列侵犯商业秘密行为之一，情节严重的，处三年以下有期徒刑，并处或者单处罚金",
     "商业秘密的保护期是多久？", "侵犯商业秘密情节严重的，最多判几年？", ("外观设计专利保护多少年？", "外观设计专利权的期限为十五年")),
    ("情节严重的，对公证机构处一万元以上五万元以下罚款，并处违法所得五倍以上十倍以下罚款",
     "办一次保全证据公证要多少钱？", "公证机构乱收费会被罚多少钱？", ("办一次公证要多少钱？", "每件收费二百元")),
])
def test_a_penalty_answers_a_question_about_a_breach_not_about_a_period_or_a_price(seed_app, penalty, unasked, asked,
                                                                                    answered):
    analyse = seed_app.answerer.analyser.analyse
    assert lacks_asked_quantity(analyse(unasked), normalize(penalty), [])
    assert not lacks_asked_quantity(analyse(asked), normalize(penalty), [])
    assert not lacks_asked_quantity(analyse(answered[0]), normalize(answered[1]), [])


def test_a_section_is_named_by_what_each_of_its_items_is_called(seed_app):
    """阶段 is in every sub-heading of 四、實施步驟 and in no other heading: 分几个阶段 names it."""
    answer = seed_app.answerer.ask("海曙区分几个阶段推进？")
    assert answer.intent == "outline"
    assert headings_listed(answer) == sub_headings(seed_app.index.documents["haishu-2024"], "四、")
    # 知识产权 is in every sub-heading of 三、主要任務 too, but in most other headings as well
    assert seed_app.answerer.analyser.analyse("海曙区的知识产权工作有哪些？").sections == []


def test_how_many_big_parts_asks_for_the_outline(seed_app):
    answer = seed_app.answerer.ask("郑州行动计划的主要任务有几大块？")
    assert answer.intent == "outline" and not answer.abstained
    assert "(六)持续提升国际化水平" in answer.text


def test_the_same_section_of_several_plans_is_outlined_plan_by_plan(seed_app):
    answer = seed_app.answerer.ask("浦东和徐汇的保障措施分别有哪些？")
    assert answer.intent == "outline" and not answer.abstained
    body = lines_of(answer)[1:]
    for name, doc_id in (("浦东新区", "pudong-2017"), ("徐汇区", "xuhui-2022")):
        document = seed_app.index.documents[doc_id]
        section = next(p for p in outline_of(document) if p[-1].endswith("保障措施"))
        assert [re.sub(r"\[\d+\]$", "", line.split("：", 1)[1]) for line in body if line.startswith(name + "：")] \
            == [k[-1] for k in outline_of(document)[section]]
    # a plan without that section keeps the comparison one line per plan (漕河泾 has 组织保障)
    assert seed_app.answerer.analyser.analyse("漕河泾和海曙的保障措施分别有哪些？").intent == "per_document"


def test_a_principle_gives_way_to_the_task_that_says_what_will_be_done(seed_app):
    """漕河泾's 基本原则 has 坚持以人才培养为基石; its task 培养知识产权高端复合型人才 says what it will do."""
    answer = seed_app.answerer.ask("漕河泾和徐汇在人才培养上分别怎么安排？")
    caohejing = next(line for line in lines_of(answer) if line.startswith("漕河泾："))
    assert "普及型—专业型—国际型" in caohejing and "基石" not in caohejing
    asked = seed_app.answerer.ask("漕河泾的基本原则里怎么说人才培养？")   # what is asked: the principle stays
    assert "坚持以人才培养为基石" in asked.text


def test_a_figure_is_quoted_with_every_subject_its_list_gives_it(seed_app):
    """专利、商标品牌质押融资总额超过 20 亿元: the total is of both; 、 joins a list, it does not end a part."""
    answer = seed_app.answerer.ask("徐汇区专利和商标质押融资总额要达到多少？")
    assert "专利、商标品牌质押融资总额超过 20 亿元" in answer.text


def test_a_place_within_a_named_section_asks_for_that_sub_section(seed_app):
    answer = seed_app.answerer.ask("郑州主要任务的第五部分是什么？")
    assert answer.intent == "outline"
    assert headings_listed(answer) == sub_headings(seed_app.index.documents["zhengzhou-2023"], "(五)")


def test_a_sub_section_named_by_its_own_heading_is_outlined_once(seed_app):
    answer = seed_app.answerer.ask("浦东工作目标里的具体目标有哪些？")
    assert answer.text.count("1.知识产权综合管理效能全面提升") == 1


def test_a_section_pointed_at_without_items_is_answered_by_its_own_text(seed_app):
    """保障措施第二条 is （二）做好经费保障, a clause with no items; 海曙方案第二部分 is 二、發展目標."""
    second = seed_app.answerer.ask("徐汇的保障措施第二条讲了什么？")
    assert second.citations[0].clause.path[-1] == "（二）做好经费保障"
    assert "多元化知识产权资金投入体系" in second.text
    part = seed_app.answerer.ask("海曙方案第二部分讲了什么？")
    assert part.citations[0].clause.path[0].startswith("二、") and "四大能力" in part.text
    stage = seed_app.answerer.ask("海曙实施步骤第二阶段要做什么？")
    assert stage.citations[0].clause.path[-1].startswith("(二)組織實施階段")


def test_a_name_written_short_holds_the_words_it_shortens(seed_app):
    """漕河泾 writes 市商标审协中心, 审查协作 shortened to the first character of each word: its line is
    that clause, not 未找到; the short form counts only beside the question's next word (商标审协),
    not where the last word stands whole (商标审协中 is only ever the start of 商标审协中心)."""
    analyser = seed_app.answerer.analyser
    question = "漕河泾和徐汇分别提到哪个商标审查协作中心？"
    query = analyser.analyse(question)
    assert analyser.contracted_forms(query.norm, query.tokens) == {"审查": ("审协",), "协作": ("审协",)}
    assert query.aliases["审查"] == ("审协",) and "中心" not in query.aliases
    other = analyser.analyse("徐汇和浦东在知识产权纠纷调解上分别怎么安排？")
    assert analyser.contracted_forms(other.norm, other.tokens) == {}
    # 知识产权保护 is in the documents, but 保护 is a word of its own, not 保障护航 written short.
    chance = analyser.analyse("徐汇的知识产权保障护航有哪些举措？")
    assert analyser.contracted_forms(chance.norm, chance.tokens) == {}
    answer = seed_app.answerer.ask(question)
    caohejing = next(line for line in lines_of(answer) if line.startswith("漕河泾"))
    assert "市商标审协中心" in caohejing and NOT_STATED not in caohejing
    assert any(c.clause.id == "caohejing-2024#2.6.2" for c in answer.citations)


def test_a_word_held_by_another_name_holds_the_words_inside_it(seed_app):
    """徐汇 writes WIPO for 世界知识产权组织: its task 深化徐汇与 WIPO 交流合作 holds the question as fully as
    if it wrote the name out, and is not outweighed by a goal whose 国际组织 holds 组织 by chance."""
    query = seed_app.answerer.analyser.analyse("徐汇怎么跟世界知识产权组织合作？")
    short = coverage(query.known, ["深化徐汇与 WIPO 交流合作"], query.aliases)
    assert short == pytest.approx(coverage(query.known, ["深化徐汇与世界知识产权组织交流合作"], query.aliases))
    assert short == pytest.approx(1.0)
    answer = seed_app.answerer.ask("浦东和徐汇分别怎么跟世界知识产权组织合作？")
    xuhui = next(line for line in lines_of(answer) if line.startswith("徐汇"))
    assert "深化徐汇与 WIPO 交流合作" in xuhui
    assert [c.clause.id for c in answer.citations if c.clause.doc_id == "xuhui-2022"] == ["xuhui-2022#3.4.1"]


def test_a_count_of_a_named_thing_is_not_answered_by_a_count_of_something_else(seed_app):
    ask = seed_app.answerer.ask
    stages = ask("漕河泾示范区建设分几个阶段？")        # the plan sets out no stages; its figures count people
    assert stages.abstained and "所问的数值" in stages.text
    portfolios = ask("徐汇要培育几个高价值专利组合？")
    assert not portfolios.abstained and "10 个" in portfolios.text
    people = ask("漕河泾对专利代理师有几个人的目标？")    # 几个人: a classifier of one character, no thing
    assert not people.abstained
    brands = ask("郑州到2025年要培育多少个地理标志品牌？")  # 多少|个 as jieba cuts it; its 50家 are firms
    assert brands.abstained and "所问的数值" in brands.text and "50家" in brands.text


def test_when_a_target_holds_is_read_from_the_dated_opening_of_its_section(seed_app):
    # ——…专利代理师总人数达到 520 人 gives no year; 二、工作目标 opens with 到2025年，…
    answer = seed_app.answerer.ask("徐汇区专利代理师总人数是到哪一年的目标？")
    assert not answer.abstained and "520 人" in answer.text and "到2025年" in answer.text
    assert [c.clause.id for c in answer.citations] == ["xuhui-2022#2.d4", "xuhui-2022#2"]




def test_everyday_wording_the_plan_does_not_use_also_quotes_the_sentence_closest_in_meaning(seed_app):
    # 长期驻点办公 is how the plan's 常驻代表机构 is said in everyday words; the words alone pick a
    # sentence sharing 漕河泾/长期 by chance, the sentence encoder the one that means it.
    answer = seed_app.answerer.ask("外地律所能不能在漕河泾长期驻点办公？")
    assert not answer.abstained
    assert "常驻代表机构" in answer.text
    assert all(c.document.id == "caohejing-2024" for c in answer.citations)


def test_sentence_closeness_in_meaning_prefers_a_paraphrase_over_shared_words():
    from assistant.meaning import similarities
    near, far = similarities("外地律所能不能在漕河泾长期驻点办公？",
                             ["积极探索在示范区内开展外国专利代理机构设立常驻代表机构试点工作。",
                              "培养示范区执业专利代理师总人数达750人。"])
    assert near > far


def test_a_how_question_in_everyday_words_gets_the_sentence_closest_in_meaning_as_a_line(seed_app):
    from assistant.compose import measure_closest_in_meaning
    answerer = seed_app.answerer
    state = answerer.prepare("海曙执法队伍和警察、法院之间怎么互相转案子？")
    hits = state["hits"]
    # the clause the words pick: joint enforcement across departments (执法, 部门), not the hand-over
    quoted = [h for h in hits if h.clause.id == "haishu-2024#3.3.10"]
    lines = measure_closest_in_meaning(state["query"], quoted, hits)
    assert [hit.clause.id for _, hit in lines] == ["haishu-2024#3.3.11"]
    assert "雙向移送" in lines[0][0]
    # a clause already quoted gets no second line
    assert measure_closest_in_meaning(state["query"], quoted + [lines[0][1]], hits) == []


def test_a_how_answer_also_quotes_the_best_sentence_when_its_clause_was_not_chosen(seed_app):
    answerer = seed_app.answerer
    state = answerer.prepare("郑州打不打算用大数据来分析知识产权服务市场？")
    hits = state["hits"]
    by_id = {hit.clause.id: hit for hit in hits}
    # the long clause holding many of the question's words (信息, 分析, 服务) chosen as the answer
    platform = by_id["zhengzhou-2023#2.2.1"]
    lines = answerer.composer._best_sentence_line(state["query"], [platform], hits)
    assert [hit.clause.id for _, hit in lines] == ["zhengzhou-2023#3.4"]
    assert "大数据分析系统" in lines[0][0]
    assert answerer.composer._best_sentence_line(state["query"], [platform, by_id["zhengzhou-2023#3.4"]], hits) == []



def test_a_how_question_in_everyday_words_quotes_the_sentence_nearly_as_good_as_the_best(seed_app):
    # 操作指南 and 摸清专利家底 are not the plan's words (尽职调查指引): the words put sentences of two
    # clauses close together, and the answer quotes both rather than bet on one.
    answerer = seed_app.answerer
    question = "创投给初创公司投资之前要摸清专利家底，漕河泾打不打算出一份操作指南？"
    answer = answerer.ask(question)
    assert "尽职调查指引" in answer.text
    state = answerer.prepare(question)
    cover_letter = [h for h in state["hits"] if h.clause.kind == "notice"]
    lines = answerer.composer._best_sentence_line(state["query"], cover_letter, state["hits"])
    assert len({hit.clause.id for _, hit in lines}) == 2
    assert any("尽职调查指引" in sentence for sentence, _ in lines)
    # in the plan's own words the best sentence stands alone
    state = answerer.prepare("漕河泾打算怎样研究制定创业投资的知识产权尽职调查指引？")
    assert len(answerer.composer._best_sentence_line(state["query"], [], state["hits"])) == 1


def test_a_sentence_close_in_meaning_cannot_turn_a_refusal_into_an_answer(seed_app, monkeypatch):
    """Whatever the encoder finds close, the checks read the sentences the question's words chose: a
    near miss always has some close sentence that gives a figure."""
    import assistant.compose as compose
    answerer = seed_app.answerer
    state = answerer.prepare("漕河泾示范区建设分几个阶段？")
    hit = state["hits"][0]
    monkeypatch.setattr(compose, "closest_in_meaning", lambda query, chosen, ranked: [(1.0, "建设分为3个阶段。", hit)])
    draft = answerer.composer.sentences(state["query"], state["hits"], state["filters"])
    assert draft.abstain and "所问的数值" in draft.abstain


def test_no_sentence_close_in_meaning_is_looked_for_outside_the_document_quoted(seed_app):
    """The answer may quote a clause the search found further down, of a document none of the best
    sentences is from: there is nothing to compare, and no error."""
    from assistant.compose import closest_in_meaning
    state = seed_app.answerer.prepare("海曙区会不会在各个产业园里设知识产权的小办公室？")
    other = next(h for h in seed_app.answerer.prepare("郑州的知识产权服务大厦").get("hits") if h.clause.doc_id != "haishu-2024")
    ranked = [(1.0, state["hits"][0].clause.text[:20], state["hits"][0])]
    assert closest_in_meaning(state["query"], [(1.0, other.clause.text[:20], other)], ranked) == []


def test_a_fine_reckoned_on_an_amount_states_the_money_a_breach_costs():
    """产品质量法 第五十三条 sets its fine against the goods' value: a question asking the penalty is answered
    by it, not sent on to another law's fine in yuan."""
    money = frozenset({"元"})
    assert states_measure("并处违法生产、销售产品货值金额等值以下的罚款", money)
    assert states_measure("处违法所得一倍以上五倍以下的罚款", money)
    assert states_measure("处五十万元以下的罚款", money)
    assert not states_measure("责令改正，没收违法所得", money)
    assert not states_measure("赔偿数额为实际损失的一倍", frozenset({"年"}))


@pytest.mark.parametrize("question, cites", [("海曙的方案引用了哪些法律？", True), ("郑州的行动计划依据哪些文件？", True),
                                             ("这个方案的制定依据是什么？", True), ("商标侵权根据什么法律处理？", False),
                                             ("法院根据什么确定赔偿数额？", False)])
def test_a_question_about_what_a_document_cites(question, cites):
    assert (classify(question) == "cites") == cites


def test_what_a_plan_cites_is_listed_in_its_own_script_without_its_own_title(seed_app):
    """海曙's plan cites policies, no law: it says so and lists them as written (traditional script), each
    cited to the clause naming it; the plan's own title, quoted in its text, is not among them."""
    answer = seed_app.answerer.ask("海曙的方案引用了哪些法律？")
    assert not answer.abstained
    assert "没有引用法律、法规" in answer.text and "《知識產權強國建設綱要(2021-2035年)》" in answer.text
    assert "《海曙區國家知識產權強縣建設試點縣工作方案" not in answer.text.split("：", 1)[1]
    assert {c.document.id for c in answer.citations} == {"haishu-2024"}
    assert all(any("《" in used for used in c.used) for c in answer.citations)


def test_a_thing_a_plan_treats_under_a_heading_only_is_addressed_by_it(seed_app):
    """郑州's plan has a section 二、主要任务 but no clause saying 任务: asked its tasks, it is not a plan that
    does not address them."""
    answer = seed_app.answerer.ask("郑州市有哪些任务？")
    assert not answer.abstained
    assert {c.document.id for c in answer.citations} == {"zhengzhou-2023"}


class _OneLaw:
    """An index of one law, as the sentence choice asks it for a clause's document."""

    def __init__(self, title: str, article: str, text: str) -> None:
        self.clause = Clause(f"{title}#1", title, (article,), text)
        self.document = Document(title, f"{title}.txt", title, None, None, None, None, None, "", (self.clause,),
                                 genre="law")

    def document_of(self, clause: Clause) -> Document:
        return self.document


def test_a_laws_name_heads_each_of_its_articles(seed_app):
    """An article of 仲裁法 that says only 裁决 is about 仲裁 as much as one saying 仲裁裁决: asked of a
    仲裁裁决, it scores as holding 仲裁, which an article of a law not so named does not."""
    query = QuestionAnalyser(seed_app.index).analyse("对仲裁裁决不服想撤销，收到裁决书后多久内要提出？")
    text = "第七十二条　当事人申请撤销裁决的，应当自收到裁决书之日起三个月内提出。"

    def score_under(title: str) -> float:
        law = _OneLaw(title, "第七十二条", text)
        return best_sentences([Hit(law.clause, 1.0, None, None)], query.tokens, query.intent, index=law,
                              aliases=query.aliases)[0][0]

    assert "仲裁" in query.tokens
    assert score_under("中华人民共和国仲裁法") > score_under("中华人民共和国民事诉讼法")
