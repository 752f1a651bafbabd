"""Conversations: follow-up questions read against the earlier turns, on the real seed index
(real embedder, Chroma, jieba), through the CLI, the /ask endpoint of a live server and a
real Chromium. The cases are written from the documents, not taken from eval/dialogs.jsonl."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.app import App, Settings
from assistant.conversation import Conversation, label_number
from assistant.dialog_eval import run_dialogs, summarise

from .conftest import ROOT

pytestmark = pytest.mark.slow


def talk(app: App, *questions: str):
    conversation = Conversation(app.answerer)
    return [conversation.ask(q) for q in questions]


def cited_docs(reply) -> set[str]:
    return {c.document.id for c in reply.answer.citations}


def test_another_place_keeps_the_indicator(seed_app):
    first, second = talk(seed_app, "徐汇区专利代理师总人数要达到多少？", "那漕河泾呢？")
    assert "520" in first.answer.text and not first.completed
    assert second.completed and "漕河泾" in second.understood_as and "专利代理师" in second.understood_as
    assert "徐汇" not in second.understood_as
    assert "750" in second.answer.text and cited_docs(second) == {"caohejing-2024"}


def test_several_places_asked_each_keep_the_indicator_in_the_order_named(seed_app):
    first, second = talk(seed_app, "徐汇区专利代理师总人数要达到多少？", "那漕河泾和郑州分别呢？")
    assert second.understood_as.startswith("漕河泾和郑州") and "专利代理师" in second.understood_as
    assert "分别呢" not in second.understood_as
    assert cited_docs(second) == {"caohejing-2024", "zhengzhou-2023"}


def test_a_place_no_document_covers_is_refused_in_a_dialog_too(seed_app):
    _, follow_up = talk(seed_app, "郑州计划培养多少名执业专利代理师？", "那北京呢？")
    assert "北京" in follow_up.understood_as and "专利代理师" in follow_up.understood_as
    assert follow_up.answer.abstained and "北京" in follow_up.answer.text


def test_an_indicator_carried_to_a_plan_that_does_not_set_it_is_refused(seed_app):
    first, second = talk(seed_app, "浦东每万人口发明专利拥有量要达到多少？", "那海曙呢？")
    assert "48件" in first.answer.text
    assert "海曙" in second.understood_as and "每万人口" in second.understood_as
    assert second.answer.abstained and "高價值發明專利擁有量" in second.answer.text  # what it does give
    _, third = talk(seed_app, "海曙区商业秘密保护示范点的目标是多少？", "那郑州呢？")
    assert "郑州" in third.understood_as and third.answer.abstained and "没有与问题对应的条款" in third.answer.text
    # 徐汇 treats 商业秘密 but sets no figure for it: refused for that, not as a plan silent on the topic.
    _, fourth = talk(seed_app, "海曙区商业秘密保护示范点的目标是多少？", "那徐汇呢？")
    assert fourth.answer.abstained and "没有与问题对应的条款" not in fourth.answer.text and "商业秘密" in fourth.answer.text


def test_a_follow_up_naming_only_a_year_and_what_is_asked_keeps_the_indicator(seed_app):
    # 目标 says what is asked of the indicator in play, not a new topic
    first, target = talk(seed_app, "海曙区有效注册商标量2023年是多少？", "2026年的目标呢？")
    assert target.resolution.understood_as == "海曙区有效注册商标量2026年是多少？"
    assert "≥80000" in target.answer.text


def test_a_pointer_to_the_topic_in_play_is_read_without_the_words_left_from_the_last_question(seed_app):
    # the 和 that joined 浦东 and 徐汇, the 上 of 在…上 and the 合作 that 这项合作 repeats are not read again
    _, purpose, other = talk(seed_app, "浦东和徐汇在与世界知识产权组织的合作上分别怎么安排？", "浦东这项合作是为了什么？",
                             "那徐汇呢？")
    assert purpose.resolution.understood_as == "浦东与世界知识产权组织的合作是为了什么？"
    assert other.resolution.understood_as == "徐汇与世界知识产权组织的合作是为了什么？"
    _, item = talk(seed_app, "浦东“五位一体”的知识产权价值实现体系指哪五个方面？", "其中“易”具体怎么做？")
    assert "其中" not in item.resolution.understood_as and "知识产权交易" in item.answer.text


def test_this_respect_said_of_another_place_asks_the_topic_there(seed_app):
    first, second = talk(seed_app, "浦东怎么加强知识产权行政执法？", "徐汇在这方面有什么安排？")
    assert "行政执法" in second.understood_as and "这方面" not in second.understood_as
    assert second.resolution.doc_ids == ("xuhui-2022",) and cited_docs(second) == {"xuhui-2022"}


def test_a_follow_up_saying_only_what_is_done_acts_on_the_topic_in_play(seed_app):
    first, second = talk(seed_app, "郑州对知识产权服务机构有什么扶持？", "怎么申请？")
    assert "知识产权服务" in second.understood_as and "申请" in second.understood_as
    assert second.resolution.doc_ids == ("zhengzhou-2023",)


def test_two_characters_joined_by_the_tokenizer_are_no_topic_of_a_follow_up(seed_app):
    """会罚多少钱 without its asking words leaves 会罚: no word of any dictionary or document."""
    first, second = talk(seed_app, "郑州对知识产权侵权行为怎么处理？", "会罚多少钱？")
    assert "知识产权侵权" in second.understood_as
    assert second.resolution.doc_ids == ("zhengzhou-2023",)


def test_a_time_asked_with_its_unit_is_no_part_of_the_topic(seed_app):
    """多少天内 asks, all of it: 天内要起诉 is not what 保全之后多少天内要起诉 is about."""
    from assistant.conversation import Mentions, topic_phrase
    mentions = Mentions(seed_app.index)
    assert topic_phrase("保全之后多少天内要起诉？", mentions) == "保全之后"
    assert topic_phrase("驳回申请后几个月以内可以起诉？", mentions) == "驳回申请后"


def test_a_word_saying_what_kind_of_answer_is_wanted_cuts_the_topic_only_where_it_asks(seed_app):
    """机关, 机构 and 计划 say what is asked in 哪个机关负责 and 的目标是多少, not at the head of a noun phrase:
    行政机关 and 服务机构 are what a question is about, and a follow-up must keep them."""
    from assistant.conversation import Mentions, topic_phrase
    mentions = Mentions(seed_app.index)
    assert topic_phrase("直接到法院告行政机关，最晚多久要起诉？", mentions).startswith("直接到法院告行政机关")
    assert topic_phrase("知识产权服务机构有哪些？", mentions) == "知识产权服务机构"
    assert topic_phrase("浦东对软件著作权登记量的目标是多少？", mentions) == "软件著作权登记量"
    assert topic_phrase("由哪些单位落实？", mentions) == ""


def test_a_follow_up_asking_for_the_like_elsewhere_asks_for_the_topic_in_play_there(seed_app):
    """类似的 points at the topic in play, as 这方面 does; the topic stops at 是 (是做什么的 asks)."""
    first, second = talk(seed_app, "浦东新区的知识产权保护中心是做什么的？", "海曙有没有类似的？")
    assert second.understood_as == "海曙知识产权保护中心有没有？"
    assert second.resolution.doc_ids == ("haishu-2024",)


def test_the_particle_a_cut_off_verb_leaves_is_no_part_of_the_topic(seed_app):
    first, second = talk(seed_app, "哪些方案提到了数据知识产权？", "海曙的具体目标是什么？")
    assert second.understood_as.startswith("海曙数据知识产权")


def test_a_narrowing_question_of_its_own_is_asked_of_the_documents_in_play_without_an_aspect(seed_app):
    """在 goes before an aspect (资金方面), not before a question of its own (有什么具体指标)."""
    _, own = talk(seed_app, "徐汇的方案有哪些目标？", "有什么具体指标？")
    _, aspect = talk(seed_app, "徐汇的方案有哪些目标？", "资金方面具体怎么做？")
    assert own.understood_as == "徐汇区有什么具体指标？"
    assert aspect.understood_as == "徐汇区在资金方面具体怎么做？"


def test_a_follow_up_completed_from_the_last_turn_is_offered_the_clauses_that_answered_it(seed_app):
    """那海曙呢？ is read with the last question, so the clauses that answered it go with it (a sibling's
    figure often stands in the same article: 外观设计呢？ after 专利权的保护期); a question of its own
    carries none."""
    from assistant.answer import TOP_CLAUSES
    from assistant.retrieve import Filters
    conversation = Conversation(seed_app.answerer)
    first = conversation.ask("浦东对软件著作权登记量的目标是多少？")
    follow_up = conversation.resolve("那海曙呢？")
    assert follow_up.completed
    assert conversation.scoped(follow_up, None).carried == tuple(c.clause.id for c in first.answer.citations)
    assert conversation.scoped(conversation.resolve("郑州的规划期是哪几年？"), None).carried == ()

    question, pudong = "浦东的软件著作权登记量目标是多少？", ("pudong-2017",)
    far = seed_app.index.documents["pudong-2017"].clauses[-1].id
    alone = seed_app.answerer.prepare(question, Filters(pudong))["hits"]
    offered = seed_app.answerer.prepare(question, Filters(pudong, carried=(far,)))["hits"]
    assert far not in [h.clause.id for h in alone[:TOP_CLAUSES]]
    assert far in [h.clause.id for h in offered[:TOP_CLAUSES]]
    other_plan = seed_app.answerer.prepare(question, Filters(("haishu-2024",), carried=(far,)))["hits"]
    assert far not in [h.clause.id for h in other_plan]


def test_a_negated_case_follows_the_topic_in_play_after_a_comma(seed_app):
    from assistant.conversation import Mentions, _joint, topic_phrase
    assert _joint("没有违法所得呢？") == "，" and _joint("目标是多少？") == "的" and _joint("由哪些单位落实？") == ""
    assert topic_phrase("假冒专利会被怎么处罚？", Mentions(seed_app.index)) == "假冒专利"   # not 假冒专利会被


def test_a_short_yes_no_question_is_asked_of_the_documents_in_play(seed_app):
    """要签合同吗？ after a question about one law's licences asks that law, not every document."""
    first, second = talk(seed_app, "浦东对知识产权质押融资有什么安排？", "要签合同吗？")
    assert second.resolution.doc_ids == ("pudong-2017",) and second.understood_as.startswith("浦东")


def test_a_yes_no_form_is_no_topic_of_a_follow_up(seed_app):
    """是不是 asks yes or no; its piece 不是 names nothing the question is about."""
    first, second = talk(seed_app, "郑州对知识产权服务机构有什么扶持？", "那是不是都能申请？")
    assert "知识产权服务" in second.understood_as
    assert second.resolution.doc_ids == ("zhengzhou-2023",)


def test_a_thing_of_the_same_kind_takes_the_place_of_the_one_the_documents_list_it_with(seed_app):
    first, second = talk(seed_app, "浦东对专利质押融资有什么安排？", "商标呢？")   # 专利、商标 … in the plans' lists
    assert "商标质押融资" in second.understood_as and "专利" not in second.understood_as


def test_this_number_is_the_figure_of_the_topic_in_play(seed_app):
    first, second = talk(seed_app, "徐汇区专利代理师总人数要达到多少？", "这个数是到哪一年的？")
    assert "专利代理师" in second.understood_as and "这个数" not in second.understood_as


def test_a_pronoun_refers_to_the_last_document(seed_app):
    first, second, third = talk(seed_app, "海曙區知識產權質押融資累計金額目標是多少？", "它的规划期是哪几年？",
                                "该方案由哪个单位印发？")
    assert "200" in first.answer.text
    assert "海曙" in second.understood_as and "2024—2026" in second.answer.text
    assert cited_docs(second) == {"haishu-2024"} and cited_docs(third) == {"haishu-2024"}
    assert "寧波市海曙區人民政府辦公室" in third.answer.text


def test_a_plural_pointer_refers_to_the_last_documents_in_play_once_its_numeral_is_read(seed_app):
    """Questions are normalised (这两个 → 这2个) before the pointer is looked for."""
    *_, compared = talk(seed_app, "徐汇计划让专利代理师达到多少人？", "漕河泾呢？", "这两个方案比较一下，在人才培养上有什么不同？")
    assert compared.resolution.doc_ids == ("xuhui-2022", "caohejing-2024")
    assert cited_docs(compared) == {"xuhui-2022", "caohejing-2024"}
    *_, three = talk(seed_app, "郑州的发展目标有哪些？", "徐汇呢？", "海曙呢？", "这三个方案由哪些单位印发？")
    assert set(three.resolution.doc_ids) == {"zhengzhou-2023", "xuhui-2022", "haishu-2024"}


def test_a_question_asking_only_for_units_is_asked_about_the_topic_in_play(seed_app):
    _, follow_up = talk(seed_app, "徐汇如何培养知识产权高端复合型人才？", "由哪些单位落实？")
    assert follow_up.completed and "高端复合型人才" in follow_up.understood_as
    assert cited_docs(follow_up) == {"xuhui-2022"} and "区委组织部" in follow_up.answer.text


def test_continuations_come_from_the_last_answers_clauses(seed_app):
    first, detail, more = talk(seed_app, "海曙区如何加强知识产权行政保护？", "具体怎么做？", "还有呢？")
    assert "haishu-2024#3.3.10" in [c.clause.id for c in first.answer.citations]
    # a how-answer quotes the clause whole, so 具体怎么做 goes on to the clauses not yet shown
    assert "跨部門知識產權聯合執法機制" in first.answer.text
    assert detail.resolution.continuation == "expand" and detail.answer.citations
    assert not {c.clause.id for c in detail.answer.citations} & {c.clause.id for c in first.answer.citations}
    shown = {c.clause.id for c in first.answer.citations} | {c.clause.id for c in detail.answer.citations}
    assert more.answer.citations and not shown & {c.clause.id for c in more.answer.citations}
    assert all(c.status == "supported" for c in detail.answer.checks + more.answer.checks)


def test_the_nth_item_of_the_section_just_cited(seed_app):
    first, item = talk(seed_app, "漕河泾的工作目标中高质量服务进一步集聚指什么？", "第三条呢？")
    assert "caohejing-2024#1.3.1" in [c.clause.id for c in first.answer.citations]
    assert [c.clause.id for c in item.answer.citations] == ["caohejing-2024#1.3.3"]
    assert "高效益贡献进一步加大" in item.answer.text


def test_a_new_complete_question_starts_fresh(seed_app):
    _, fresh = talk(seed_app, "徐汇区专利代理师总人数要达到多少？", "郑州市知识产权服务业发展三年行动计划的文号是什么？")
    assert not fresh.completed and fresh.understood_as == "郑州市知识产权服务业发展三年行动计划的文号是什么？"
    assert cited_docs(fresh) == {"zhengzhou-2023"}


def test_a_question_asking_whether_is_asked_of_the_documents_in_play(seed_app):
    """有没有资金奖励？ after a question on 徐汇 asks whether 徐汇's plan has them, not whether any plan does;
    naming a place of its own, it asks there."""
    _, whether, elsewhere = talk(seed_app, "徐汇给专利代理机构什么扶持？", "有没有资金奖励？", "郑州有没有资金奖励？")
    assert whether.resolution.doc_ids == ("xuhui-2022",) and whether.understood_as.endswith("有没有资金奖励？")
    assert cited_docs(whether) == {"xuhui-2022"}
    assert elsewhere.understood_as == "郑州有没有资金奖励？" and "xuhui-2022" not in cited_docs(elsewhere)


@pytest.mark.parametrize("question", ["那海曙呢？", "它的规划期是哪几年？", "具体怎么做？", "第二条说的是什么？",
                                      "由哪些单位落实？"])
def test_a_follow_up_with_nothing_to_refer_to_asks_for_the_missing_part(seed_app, question):
    reply, = talk(seed_app, question)
    assert reply.answer is None and reply.resolution.needs_clarification
    assert reply.to_dict()["clarification"] and reply.to_dict()["citations"] == []


def test_a_pronoun_after_its_own_antecedent_needs_no_earlier_turn(seed_app):
    reply, = talk(seed_app, "我们研发了一项专利技术，想知道它能不能拿去质押融资？")
    assert not reply.resolution.needs_clarification and reply.answer is not None
    lonely, = talk(seed_app, "它能不能拿去质押融资？")
    assert lonely.resolution.needs_clarification


def test_clear_forgets_the_conversation(seed_app):
    conversation = Conversation(seed_app.answerer)
    conversation.ask("徐汇区专利代理师总人数要达到多少？")
    conversation.clear()
    assert conversation.ask("那漕河泾呢？").answer is None


def test_heading_labels_are_read_in_every_numbering_style():
    assert [label_number(h) for h in ("2.坚持以人才培养为基石", "（三）工作目标", "二、发展目标", "第十二条 本法",
                                      "③ 第三项", "总体要求")] == [2, 3, 2, 12, 3, None]


LAWS = {
    "patent-law.txt": "中华人民共和国专利法\n\n第一章 总则\n\n"
                      "第一条 为了保护专利权人的合法权益，鼓励发明创造，推动发明创造的应用，提高创新能力，促进科学技术进步和经济社会发展，制定本法。\n\n"
                      "第二条 本法所称的发明创造是指发明、实用新型和外观设计。\n\n"
                      "第三条 国务院专利行政部门负责管理全国的专利工作；统一受理和审查专利申请，依法授予专利权。\n",
    "trademark-law.txt": "中华人民共和国商标法\n\n第一章 总则\n\n"
                         "第一条 为了加强商标管理，保护商标专用权，促使生产、经营者保证商品和服务质量，维护商标信誉，特制定本法。\n\n"
                         "第二条 国务院工商行政管理部门商标局主管全国商标注册和管理的工作。\n\n"
                         "第三条 经商标局核准注册的商标为注册商标，包括商品商标、服务商标和集体商标、证明商标。\n",
}


def indexed_texts(seed_app, tmp_path_factory, name: str, texts: dict[str, str]) -> App:
    """An app over a folder of the given files, indexed with the seed app's embedder."""
    folder = tmp_path_factory.mktemp(name)
    for file_name, text in texts.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    app = App(Settings(corpus=folder, index=folder.parent / f"{name}-index"), embedder=seed_app.embedder)
    app.ensure_index(progress=False)
    return app


@pytest.fixture(scope="module")
def law_app(seed_app, tmp_path_factory):
    """Two laws nobody wrote a rule for: same region (中华人民共和国), told apart by their own names."""
    return indexed_texts(seed_app, tmp_path_factory, "laws", LAWS)


def test_unseen_documents_another_law_and_its_articles(law_app):
    first, other, article = talk(law_app, "专利法第一条规定了什么？", "那商标法呢？", "它的第二条说的是什么？")
    assert first.resolution.doc_ids == ("patent-law",)
    assert "商标法" in other.understood_as and other.resolution.doc_ids == ("trademark-law",)
    assert [c.clause.id for c in article.answer.citations] == ["trademark-law#c1.a2"]
    assert "商标局主管全国商标注册" in article.answer.text


def test_a_first_question_about_a_named_law_itself_is_answered_not_sent_back(law_app):
    """专利法是什么时候通过的？ has no topic word beside the law's name, as 徐汇的方案是谁印发的 has none beside
    its place: the document named is its subject."""
    [reply] = talk(law_app, "专利法是谁制定的？")
    assert not reply.resolution.needs_clarification and reply.answer.intent == "metadata"
    assert {c.clause.doc_id for c in reply.answer.citations} == {"patent-law"}


def test_a_law_named_after_a_question_about_several_is_asked_about_the_topic_in_play(law_app):
    first, second = talk(law_app, "哪些法律提到了国务院？", "专利法怎么规定的？")
    assert len(first.answer.citations) == 2 and second.resolution.doc_ids == ("patent-law",)
    assert second.understood_as == "专利法国务院怎么规定的？"


def test_more_documents_in_play_than_an_answer_lists_are_not_named_in_the_reading(seed_app, tmp_path_factory):
    """哪些法律提到了X？ over a knowledge base of laws may cite dozens: a follow-up is asked of the topic, not
    read as a list of every law, nor answered law by law."""
    subjects = ["种子", "森林", "草原", "渔业", "矿产", "水土", "海洋", "港口", "铁路", "公路", "民航", "邮政"]
    laws = {f"law-{n}.txt": f"中华人民共和国{subject}法\n\n第一章 总则\n\n第一条 国务院{subject}主管部门负责全国的{subject}"
                             f"工作，对违反本法规定的行为依法给予处罚。\n"
            for n, subject in enumerate(subjects)}
    app = indexed_texts(seed_app, tmp_path_factory, "many-laws", laws)
    first, second = talk(app, "哪些法律提到了国务院？", "有什么处罚？")
    assert len({c.document.id for c in first.answer.citations}) > 10
    assert second.understood_as == "国务院有什么处罚？" and second.resolution.doc_ids == ()


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin, timeout=600)


def test_chat_batch_prints_one_json_object_per_turn_and_survives_a_bad_line(seed_app, tmp_path):
    batch = tmp_path / "dialogs.txt"
    batch.write_text("\n".join([json.dumps(["徐汇区专利代理师总人数要达到多少？", "那漕河泾呢？", "它的规划期是哪几年？"],
                                           ensure_ascii=False),
                                "[\"未闭合的数组\"", "{\"question\": 1}",
                                json.dumps(["具体怎么做？"], ensure_ascii=False)]) + "\n", encoding="utf-8")
    kb = ["--corpus", str(seed_app.settings.corpus), "--index", str(seed_app.settings.index)]
    done = run("chat", "--json", "--batch", str(batch), *kb)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["conversation"], r.get("turn")) for r in records] == [(1, 1), (1, 2), (1, 3), (2, None), (3, None),
                                                                     (4, 1)]
    first, second, third, bad, not_list, lonely = records
    assert set(first) >= {"question", "answer", "abstained", "citations", "checks", "understood_as"}
    assert first["understood_as"] == first["question"] and "520" in first["answer"]
    assert "漕河泾" in second["understood_as"] and "750" in second["answer"]
    assert third["question"] == "它的规划期是哪几年？" and "2024—2026" in third["answer"]
    assert "JSON" in bad["error"] and "数组" in not_list["error"]
    assert lonely["clarification"] and lonely["abstained"] is True
    assert "Traceback" not in done.stderr
    unconfigured = run("chat", "--llm", "--json", "--batch", str(batch), *kb)
    assert unconfigured.returncode != 0 and "未配置生成模型" in unconfigured.stderr
    assert len(unconfigured.stderr.strip().splitlines()) == 1


def test_interactive_chat_remembers_clears_and_quits(seed_app):
    kb = ["--corpus", str(seed_app.settings.corpus), "--index", str(seed_app.settings.index)]
    done = run("chat", *kb, stdin="徐汇区专利代理师总人数要达到多少？\n那漕河泾呢？\n/clear\n那漕河泾呢？\n/docs\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "理解为：漕河泾" in done.stdout and "750" in done.stdout
    assert "对话已清空" in done.stdout and "请补充" in done.stdout.split("对话已清空")[1]
    assert "haishu-2024" in done.stdout  # /docs


def test_dialog_evaluation_grades_every_turn(seed_app, tmp_path):
    dialogs = tmp_path / "dialogs.jsonl"
    turns = [{"question": "徐汇区专利代理师总人数要达到多少？", "understood_as": "", "expect": "answer",
              "gold_facts": ["520"]},
             {"question": "那漕河泾呢？", "understood_as": "漕河泾专利代理师总人数要达到多少？", "expect": "answer",
              "gold_facts": ["750人"]},
             {"question": "那北京呢？", "understood_as": "北京专利代理师总人数要达到多少？", "expect": "refuse"}]
    dialogs.write_text(json.dumps({"id": "t1", "split": "train", "turns": turns}, ensure_ascii=False) + "\n"
                       + json.dumps({"id": "t2", "split": "test", "turns": [
                           {"question": "那海曙呢？", "understood_as": "", "expect": "clarify"},
                           {"question": "它的规划期是哪几年？", "understood_as": "", "expect": "answer",
                            "gold_facts": ["2099"]}]}, ensure_ascii=False) + "\n", encoding="utf-8")
    results = run_dialogs(seed_app, dialogs)
    assert [r.correct for r in results] == [True, True, True, True, False]
    assert results[1].understood_exact and results[2].understood_equivalent
    summary = summarise(results)
    assert summary["all"]["facts"] == 0.667 and summary["all"]["refusals_correct"] == 1.0
    assert summary["split test"]["clarifications_correct"] == 1.0


# --- the web: /ask with history on a live server, and a real browser ------------------------------

@pytest.fixture(scope="module")
def live_server(seed_app):
    from .test_web import served

    with served(seed_app) as url:
        yield url


def test_ask_endpoint_reads_a_question_against_its_history(live_server, seed_app):
    from gradio_client import Client

    client = Client(live_server, verbose=False)
    record = client.predict("它的规划期是哪几年？", [], ["徐汇区专利代理师总人数要达到多少？", "那漕河泾呢？"],
                            api_name="/ask")
    assert "漕河泾" in record["understood_as"] and "2024—2026" in record["answer"]
    assert {c["doc_id"] for c in record["citations"]} == {"caohejing-2024"}
    assert client.predict("那漕河泾呢？", [], [], api_name="/ask")["abstained"] in (True, False)  # no history: as asked
    old_caller = client.predict("漕河泾计划培养多少名执业专利代理师？", [], api_name="/ask")
    assert "750" in old_caller["answer"] and "understood_as" not in old_caller
    assert "clarification" in client.predict("具体怎么做？", [], ["   "], api_name="/ask")


@pytest.mark.browser
def test_real_browser_holds_a_three_turn_conversation_and_clears_it(live_server):
    from .test_web import ARTIFACTS, browser_page

    def ask(page, question: str, expect: str) -> str:
        page.fill("#question textarea", question)
        page.click("#send")
        page.wait_for_function(f"document.querySelector('#chatbot').innerText.includes({json.dumps(expect)})",
                               timeout=30000)
        return page.inner_text("#chatbot")

    ARTIFACTS.mkdir(exist_ok=True)
    with browser_page(live_server) as page:
        ask(page, "徐汇区专利代理师总人数要达到多少？", "520")
        shown = ask(page, "那漕河泾呢？", "750")
        assert "理解为：漕河泾" in shown
        shown = ask(page, "它的规划期是哪几年？", "2024—2026")
        assert shown.count("理解为") == 2
        page.screenshot(path=str(ARTIFACTS / "conversation.png"), full_page=True)
        page.click("#clear")
        page.wait_for_function("!document.querySelector('#chatbot').innerText.includes('750')", timeout=30000)
        shown = ask(page, "那漕河泾呢？", "请把问题说完整")
        assert "750" not in shown


def test_a_configured_model_rewrites_follow_ups_and_its_reading_is_what_is_searched(seed_app):
    import dataclasses

    from assistant.conversation import LLMRewriter

    from .fake_openai import FakeOpenAI, Reply

    with FakeOpenAI() as fake:
        settings = dataclasses.replace(seed_app.settings, llm_base_url=fake.base_url, llm_model="fake", llm_timeout=10)
        app = App(settings, embedder=seed_app.embedder)
        conversation = Conversation(app.answerer, rewriter=LLMRewriter(app.llm.chat))
        first = conversation.ask("徐汇区专利代理师总人数要达到多少？")
        assert fake.requests == []  # a complete question needs no model
        fake.script("漕河泾培养执业专利代理师总人数的目标是多少？", "无法确定", Reply(status=500))
        second = conversation.ask("那漕河泾呢？")
        third = conversation.ask("它的规划期是哪几年？")
        fourth = conversation.ask("由哪些单位落实？")
    assert "520" in first.answer.text
    assert second.understood_as == "漕河泾培养执业专利代理师总人数的目标是多少？" and "750" in second.answer.text
    prompt = fake.requests[0]["messages"][-1]["content"]
    assert "徐汇区专利代理师总人数要达到多少？" in prompt and prompt.endswith("追问：那漕河泾呢？")
    assert third.understood_as == "漕河泾的规划期是哪几年？" and "2024—2026" in third.answer.text  # offline reading
    assert fourth.answer is not None and "漕河泾" in fourth.understood_as  # the model failed: offline reading
    assert len(fake.requests) == 3


def test_a_document_without_a_number_is_not_answered_for_its_number(seed_app):
    """The small hook in answer.py: asked for the 文号 alone, a document that carries none is a refusal,
    also when the question is a follow-up."""
    assert seed_app.answerer.ask("郑州行动计划的文号是多少？").abstained
    assert "浦府〔2017〕94号" in seed_app.answerer.ask("浦东的方案文号是什么？").text
    both = seed_app.answerer.ask("郑州行动计划的文号和印发日期是什么？")
    assert not both.abstained and "2023年10月16日" in both.text
    _, follow_up = talk(seed_app, "郑州计划培养多少名执业专利代理师？", "它的文号是多少？")
    assert "郑州" in follow_up.understood_as and follow_up.answer.abstained


def test_no_continuation_reaches_past_a_refusal_to_another_documents_clauses(seed_app):
    first, refused, detail, item = talk(seed_app, "徐汇区专利代理师总人数要达到多少？", "那北京呢？", "具体怎么做？",
                                        "第一百条说的是什么？")
    assert not first.answer.abstained and refused.answer.abstained
    assert detail.answer.abstained and detail.answer.citations == []
    assert item.answer.abstained and "第100" in item.answer.text


def test_chinese_ordinals():
    from assistant.conversation import chinese_number

    assert [chinese_number(t) for t in ("二", "十", "十二", "二十三", "一百零三", "两百", "12", "条")] == \
        [2, 10, 12, 23, 103, 200, 12, None]


def test_web_chat_remembers_per_session_and_a_model_rewrites_with_the_toggle_on(seed_app):
    import dataclasses
    from types import SimpleNamespace

    from assistant.web import ChatHandlers

    from .fake_openai import FakeOpenAI

    def last(outputs):
        return list(outputs)[-1]

    with FakeOpenAI() as fake:
        settings = dataclasses.replace(seed_app.settings, llm_base_url=fake.base_url, llm_model="fake", llm_timeout=10)
        handlers = ChatHandlers(App(settings, embedder=seed_app.embedder))
        alice, bob = SimpleNamespace(session_hash="alice"), SimpleNamespace(session_hash="bob")
        history, *_ = last(handlers.chat("徐汇区专利代理师总人数要达到多少？", [], [], False, alice))
        bobs, *_ = last(handlers.chat("那漕河泾呢？", [], [], False, bob))  # bob has said nothing before
        assert "请把问题说完整" in bobs[-1]["content"]
        fake.script("漕河泾执业专利代理师总人数的目标是多少？", "漕河泾培养执业专利代理师总人数达750人。[1]")
        history, _, state, *_ = last(handlers.chat("那漕河泾呢？", history, [], True, alice))
        assert "理解为：漕河泾执业专利代理师总人数的目标是多少？" in history[-1]["content"].replace("\\", "")
        assert "750" in history[-1]["content"] and state
        assert fake.requests[1]["messages"][-1]["content"].count("漕河泾执业专利代理师总人数的目标是多少？") == 1
        cleared = handlers.clear_chat(alice)
        assert cleared[0] == [] and cleared[2] == []
        history, *_ = last(handlers.chat("那海曙呢？", [], [], False, alice))
        assert "请把问题说完整" in history[-1]["content"]


def test_the_dialog_report_counts_held_turns_and_never_shows_them(tmp_path):
    from assistant.dialog_eval import TurnResult, write_dialog_report

    def turn(dialog, split, question):
        return TurnResult(dialog, split, 1, question, "answer", "", question, "answer", "…", False, False, False)
    results = [turn("e01", "dev", "看得见的问题？"), turn("e02", "held", "看不见的问题？")]
    summary = write_dialog_report(results, tmp_path / "report.md", tmp_path / "dialogs.jsonl")
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "看得见的问题" in text and "看不见的问题" not in text and "not listed: 1" in text
    stored = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [t["dialog"] for t in stored["turns"]] == ["e01"] and summary["split held"]["turns"] == 1


# Articles of three laws (专利法 第十条, 商标法 第四十三条, 立法法 第一百零九条, shortened) that all speak of
# 备案 or 登记: a follow-up naming only that word must stay with the law in play.
FILING_LAWS = {
    "patent-law.txt": "中华人民共和国专利法\n\n第一章 总则\n\n"
                      "第十条 专利申请权和专利权可以转让。转让专利申请权或者专利权的，当事人应当订立书面合同，"
                      "并向国务院专利行政部门登记，由国务院专利行政部门予以公告。专利申请权或者专利权的转让自登记之日起生效。\n",
    "trademark-law.txt": "中华人民共和国商标法\n\n第四章 注册商标的续展、变更、转让和使用许可\n\n"
                         "第四十三条 商标注册人可以通过签订商标使用许可合同，许可他人使用其注册商标。"
                         "许可他人使用其注册商标的，许可人应当将其商标使用许可报商标局备案，由商标局公告。"
                         "商标使用许可未经备案不得对抗善意第三人。\n",
    "legislation-law.txt": "中华人民共和国立法法\n\n第五章 适用与备案审查\n\n"
                           "第一百零九条 行政法规、地方性法规、自治条例和单行条例、规章应当在公布后的三十日内依照下列规定报有关机关备案："
                           "行政法规报全国人民代表大会常务委员会备案；部门规章和地方政府规章报国务院备案。\n",
}


@pytest.fixture(scope="module")
def filing_app(seed_app, tmp_path_factory):
    return indexed_texts(seed_app, tmp_path_factory, "filing-laws", FILING_LAWS)


def test_a_bare_word_the_last_answer_showed_is_a_follow_up_within_its_law(filing_app):
    """备案 is a word of its own, but the answer just given spoke of it: 向哪个部门备案 asks it of
    商标使用许可, in the 商标法, not of whatever else is filed somewhere."""
    first, second = talk(filing_app, "许可别人使用我的注册商标，要办什么手续？", "向哪个部门备案？")
    assert cited_docs(first) == {"trademark-law"}
    assert second.resolution.doc_ids == ("trademark-law",)
    assert "许可" in second.understood_as and second.understood_as.endswith("向哪个部门备案？")
    assert "商标局" in second.answer.text


def test_a_bare_word_of_its_own_starts_fresh(filing_app):
    """A word the last turn never said is a topic of its own, asked of every document."""
    first, second = talk(filing_app, "许可别人使用我的注册商标，要办什么手续？", "地方性法规向哪个机关备案？")
    assert second.understood_as == "地方性法规向哪个机关备案？" and second.resolution.doc_ids == ()
    assert cited_docs(second) == {"legislation-law"}


def test_a_sentence_topic_is_joined_by_its_clauses_without_what_it_asked(filing_app):
    """A first question that is a whole sentence: the follow-up carries its clauses, not its
    question particle glued to the new question (…手续吗要多久)."""
    first, second = talk(filing_app, "专利权转让给别的公司了，还要办登记手续吗？", "多久生效？")
    assert second.resolution.doc_ids == ("patent-law",)
    assert "吗" not in second.understood_as
    assert second.understood_as.endswith("，多久生效？") and "专利权转让" in second.understood_as
    assert "自登记之日起生效" in second.answer.text


def test_a_follow_up_restating_the_subject_of_every_clause_needs_only_the_law_in_play(filing_app):
    first, second = talk(filing_app, "专利权转让给别的公司了，还要登记吗？", "转让登记多久生效？")
    assert second.understood_as.endswith("专利法转让登记多久生效？") and "公司" not in second.understood_as
    assert second.resolution.doc_ids == ("patent-law",)
    assert "自登记之日起生效" in second.answer.text


def asked_of_the_law_in_play(app: App, first: str, follow_up: str, law: str, said: str):
    """The follow-up's reply, once checked to be asked of the law the first question's answer came from,
    as typed after what it was completed with, and answered with the text `said`."""
    _, reply = talk(app, first, follow_up)
    assert reply.resolution.doc_ids == (law,)
    assert reply.understood_as.endswith(follow_up) and said in reply.answer.text
    return reply


def test_a_negated_act_is_no_name_to_swap_in_but_what_is_not_done_on_the_topic(filing_app):
    """不备案会怎么样？ has the shape of 那海曙呢？ but names what is not done, of the topic in play."""
    second = asked_of_the_law_in_play(filing_app, "许可别人使用我的注册商标，要办什么手续？", "不备案会怎么样？",
                                      "trademark-law", "不得对抗善意第三人")
    assert "许可" in second.understood_as


def test_a_question_naming_only_what_the_last_answer_showed_is_asked_of_its_documents(filing_app):
    """Several words of its own, each shown by the last answer's clause: asked as typed, of that law."""
    first, second = talk(filing_app, "许可别人使用我的注册商标，要办什么手续？", "商标使用许可合同要报给谁？")
    assert second.resolution.doc_ids == ("trademark-law",)
    assert second.understood_as.endswith("商标法商标使用许可合同要报给谁？")
    first, third = talk(filing_app, "许可别人使用我的注册商标，要办什么手续？", "地方政府规章向哪个机关备案？")
    assert third.resolution.doc_ids == ()  # 地方政府规章 was never said: a question of its own


def test_a_reading_that_puts_a_laws_name_before_a_court_is_answered(seed_app, tmp_path):
    """专利法法院: a corpus that writes 法法 out as 法律法规 splits the body's suffix (专利法律法规院);
    the question is still answered or refused, never a traceback."""
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "patent-law.txt").write_text(
        "中华人民共和国专利法\n\n第一章 总则\n\n第一条 专利工作应当遵守法律法规。\n\n"
        "第二条 当事人因不可抗力耽误法律法规规定的期限的，可以申请恢复权利。\n", encoding="utf-8")
    app = App(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"), embedder=seed_app.embedder)
    app.ensure_index(progress=False)
    reply = talk(app, "专利法法院耽误了期限还有办法吗？")[0]  # as a follow-up's reading can put them
    assert reply.answer is not None and reply.answer.text


# Terms of protection (专利法 第二十三条 and 第四十二条, 商标法 第三十九条 and 第四十条, shortened) next to an
# article on time limits in general (民法典 第二百零二条): a follow-up about the term in play must stay with it.
TERM_LAWS = {
    "patent-law.txt": "中华人民共和国专利法\n\n第二章 授予专利权的条件\n\n"
                      "第二十三条 授予专利权的外观设计，应当不属于现有设计；也没有任何单位或者个人就同样的外观设计在申请日以前"
                      "向国务院专利行政部门提出过申请，并记载在申请日以后公告的专利文件中。\n\n"
                      "第五章 专利权的期限、终止和无效\n\n"
                      "第四十二条 发明专利权的期限为二十年，实用新型专利权的期限为十年，外观设计专利权的期限为十五年，"
                      "均自申请日起计算。\n",
    "trademark-law.txt": "中华人民共和国商标法\n\n第四章 注册商标的续展、变更、转让和使用许可\n\n"
                         "第三十九条 注册商标的有效期为十年，自核准注册之日起计算。\n\n"
                         "第四十条 注册商标有效期满，需要继续使用的，商标注册人应当在期满前十二个月内按照规定办理续展手续；"
                         "在此期间未能办理的，可以给予六个月的宽展期。每次续展注册的有效期为十年。"
                         "期满未办理续展手续的，注销其注册商标。\n",
    "civil-code.txt": "中华人民共和国民法典\n\n第十章 期间计算\n\n"
                      "第二百零二条 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。\n",
}


@pytest.fixture(scope="module")
def term_app(seed_app, tmp_path_factory):
    return indexed_texts(seed_app, tmp_path_factory, "term-laws", TERM_LAWS)


def test_a_follow_up_asking_more_of_what_was_asked_keeps_it(term_app):
    """从什么时候开始算？ after 保护期限是多久: the topic phrase stops before 期限, the thing asked of it;
    the follow-up asks when that term starts, not when 外观设计专利 does."""
    first, second = talk(term_app, "外观设计专利的保护期限是多久？", "从什么时候开始算？")
    assert "十五年" in first.answer.text
    assert "外观设计专利的保护期限从什么时候开始算" in second.understood_as
    assert second.answer.citations[0].clause.id == "patent-law#c5.a42"
    assert "自申请日起计算" in second.answer.text


def test_a_follow_up_saying_only_what_happens_acts_on_the_topic_in_play(term_app):
    """到期 is read as an adverb: 到期了怎么办？ names no thing of its own, so it asks of the 有效期 in play
    (续展), not of when any period runs out."""
    second = asked_of_the_law_in_play(term_app, "注册商标的有效期是多久？", "到期了怎么办？", "trademark-law", "续展")
    assert "有效期到期了怎么办" in second.understood_as  # no 的 before an adverb


def test_a_time_span_asked_alone_is_asked_of_the_topic_in_play(term_app):
    """多长时间内？ is all asking (多长时间 is no thing of its own): it asks the span of the 续展 in play."""
    second = asked_of_the_law_in_play(term_app, "注册商标有效期满了还想继续用，怎么办？", "多长时间内？",
                                      "trademark-law", "期满前十二个月内")
    assert "的多长时间" not in second.understood_as  # no 的 before what asks
