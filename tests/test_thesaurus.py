"""The general thesaurus bridges everyday words the documents never use (抵押 → 质押)."""
import pytest
import numpy as np

from assistant.keywords import KeywordIndex
from assistant.text import abbreviation_forms, normalize
from assistant.thesaurus import Thesaurus


def test_synonyms_come_from_small_synonym_groups_only():
    thesaurus = Thesaurus.load()
    assert "质押" in thesaurus.synonyms("抵押")
    assert "诉讼" in thesaurus.synonyms("打官司")
    assert "医疗" in thesaurus.synonyms("看病")
    assert "友好" not in thesaurus.synonyms("自己")       # a loose group of 30 words
    assert all(len(word) > 1 for word in thesaurus.synonyms("孩子"))  # no single characters (孩)
    assert "航标" not in thesaurus.synonyms("商标")        # a group of related words (#), not synonyms


def test_a_clause_using_a_related_word_scores_a_share_of_what_that_word_would():
    index = KeywordIndex.build(["a", "b"], ["a", "b"], [["质押", "融资"], ["银行", "融资"]])
    plain = index.scores_with(["抵押"])
    bridged = index.scores_with(["抵押"], related=[(["抵押"], [["质押"]])], related_weight=0.5)
    own = index.scores(["质押"])
    assert plain.tolist() == [0.0, 0.0]
    assert np.allclose(bridged, 0.5 * own) and bridged[0] > 0 and bridged[1] == 0


def test_only_words_no_document_uses_are_bridged(seed_app):
    analyser = seed_app.answerer.analyser
    query = analyser.analyse("郑州的知识产权抵押贷款要做到多少？")
    assert "质押" in query.aliases["抵押"]
    assert "抵押" in query.known            # counted as known through its synonym
    assert analyser.everyday_synonyms("宣传") == ()  # the plans say 宣传 themselves
    related = dict(seed_app.retriever.related_words(["抵押", "宣传"]))
    assert related == {"抵押": ["质押"]}


def test_an_everyday_word_reaches_the_clause_in_the_documents_words(seed_app):
    answer = seed_app.answerer.ask("郑州的知识产权抵押贷款要做到多少？")
    assert not answer.abstained
    assert "12亿元" in answer.text


def test_a_word_the_documents_write_longer_is_found_in_its_longer_forms(seed_app):
    analyser = seed_app.answerer.analyser
    assert set(analyser.infixed_forms("交易额")) == {"交易总额", "交易金额"}
    assert analyser.infixed_forms("知识产权") == ()      # the documents have it as it is
    assert analyser.infixed_forms("律所") == ()          # two characters: too short to stretch


def test_a_plan_that_sets_no_figure_for_the_shortened_indicator_says_so(seed_app):
    answer = seed_app.answerer.ask("徐汇和郑州对知识产权交易额的目标分别是多少？")
    lines = answer.text.splitlines()
    assert any(line.startswith("徐汇区：") and "100 亿元" in line for line in lines)
    assert "郑州市：文档中未找到相关内容。" in lines


def test_the_clauses_holding_a_term_are_listed_from_its_postings():
    index = KeywordIndex.build(["a", "b", "c"], ["a", "b", "c"], [["交易", "金额"], ["融资"], ["交易"]])
    assert index.rows_with("交易").tolist() == [0, 2]
    assert index.rows_with("未知").tolist() == []


def test_an_abbreviation_is_read_as_the_two_words_the_documents_shorten():
    corpus = "营业收入年均增长。营业收入达到。营运收入。专利代理机构。专利代理师。专业代理。"
    assert abbreviation_forms("营收", corpus) == ("营业收入",)     # 2 of 3 forms
    assert abbreviation_forms("专代", corpus) == ("专利代理",)
    assert abbreviation_forms("知保", "知道保险。知识保护。") == ()  # each form met once: chance
    assert abbreviation_forms("营业收入", corpus) == ()           # only two characters are shortened


def test_an_abbreviation_no_document_uses_finds_the_clause_that_writes_it_out(seed_app):
    analyser = seed_app.answerer.analyser
    query = analyser.analyse("漕河泾知识产权服务业营收每年增长多少？")
    assert query.aliases["营收"] == ("营业收入",) and "营收" in query.known
    assert analyser.expanded_forms("能用") == ()   # a word the dictionary knows is no abbreviation
    # read as 服务业 and 2025 alone, the question was answered by the preamble's 《…(2023—2025年)》
    answer = seed_app.answerer.ask("漕河泾2025年的服务业营收目标是多少？")
    assert answer.abstained and "营业收入年均增长不低于7%" in answer.text


def test_a_kind_the_question_names_is_found_under_its_category(seed_app):
    """公司法 says 知识产权 where a question says 专利: a clause naming the category counts for a share of the kind."""
    from assistant.thesaurus import categories
    assert categories()["专利"] == categories()["商标"] == categories()["作品"] == "知识产权"
    assert dict(seed_app.retriever.related_words(["专利", "宣传"])) == {"专利": ["知识产权"]}
    assert seed_app.retriever.related_words(["专利", "知识产权"]) == []   # the question names the category itself


def test_a_name_the_synonym_groups_know_is_one_word_of_the_question(seed_app):
    """智慧財產權 (Taiwan's 知识产权) is one word found as 知识产权, not 智慧 + 财产 + 产权; a name read across
    two words (高企 in 提高企业) is none."""
    analyse = seed_app.answerer.analyser.analyse
    tokens = analyse("智慧財產權服務業有哪些目標？").tokens
    assert "智慧财产权" in tokens and not {"智慧", "财产", "产权"} & tokens.keys()
    assert "知识产权" in analyse("智慧財產權服務業有哪些目標？").aliases["智慧财产权"]
    assert "高企" not in analyse("如何提高企业知识产权意识？").tokens


def test_an_everyday_word_reads_as_the_documents_word_one_way():
    from assistant.topics import Synonyms
    names = Synonyms([["著作权", "版权"]], {"牌子": ["商标"], "电影": ["视听作品"]})
    assert names.equivalents("牌子") == ("商标",) and names.equivalents("商标") == ()
    assert names.equivalents("版权") == ("著作权",)                   # true synonyms stay two-way
    assert names.everyday_in("我们的牌子被人抢注了") == [("牌子", ["商标"])]
    assert names.everyday_in("牌子，也就是商标") == []                 # the text says the law's word itself
    assert ("牌子", "商标") not in names.missing_equivalents("我们的牌子")  # counted looser than a synonym


def test_an_everyday_word_the_documents_use_more_than_their_word_is_their_own():
    from assistant.topics import Synonyms
    counts = {"电影": 91, "视听作品": 10, "牌子": 0, "商标": 143}
    names = Synonyms([], {"牌子": ["商标"], "电影": ["视听作品"]}).for_documents(counts.__getitem__)
    assert names.equivalents("电影") == () and names.everyday_in("电影被盗了") == []
    assert names.equivalents("牌子") == ("商标",)



def test_a_question_in_everyday_words_is_searched_in_the_documents_words(seed_app):
    """No seed says 牌子 (jieba cuts 牌 out of it, which 品牌 holds): the clauses saying 商标 score more for it."""
    from assistant.topics import Synonyms
    retriever = seed_app.retriever
    shipped = retriever.synonyms
    try:
        found = retriever.keyword("牌子", 3)
        retriever.synonyms = Synonyms([])
        plain = retriever.keyword("牌子", 3)
    finally:
        retriever.synonyms = shipped
    assert found and all("商标" in normalize(h.clause.text) for h in found)
    assert found[0].score > plain[0].score


def test_an_everyday_name_is_one_word_of_the_question_weighed_loosely_and_its_parts_are_not(seed_app):
    from assistant.retrieve import RELATED_WEIGHT
    from assistant.topics import Synonyms
    analyser = seed_app.answerer.analyser
    shipped = analyser.synonyms
    analyser.synonyms = Synonyms([], {"专利授权费": ["质押融资"], "授权费": ["质押融资"]})
    try:
        tokens = analyser.analyse("专利授权费怎么交？").tokens
    finally:
        analyser.synonyms = shipped
    assert "授权费" not in tokens
    assert tokens["专利授权费"] == pytest.approx(RELATED_WEIGHT * seed_app.index.idf.of("质押融资"))
