"""Topic search on the real seeds: true mention counts, both scripts, synonyms, related clauses."""
from __future__ import annotations

import json

import pytest

from assistant.topics import MAX_INPUT_CHARS, RELATED_MIN_SIMILARITY, RELATED_PER_DOCUMENT, search_form

from .conftest import run_cli


@pytest.fixture(scope="module")
def topics(seed_app):
    return seed_app.topics


def _document(result, doc_id):
    return next(d for d in result.documents if d.doc_id == doc_id)


def test_simplified_term_finds_the_traditional_plan_with_true_counts(topics, seed_app):
    result = topics.search("商业秘密")
    haishu = _document(result, "haishu-2024")
    expected = sum(c.text.count("商業秘密") for c in seed_app.index.documents["haishu-2024"].clauses)
    assert haishu.mentions == expected > 0
    for clause in haishu.clauses:
        if clause.match == "exact":
            assert all(clause.text[a:b] == "商業秘密" for a, b in clause.spans)


def test_mentions_count_occurrences_not_clauses(topics, seed_app):
    result = topics.search("质押融资")
    for document in result.documents:
        clauses = seed_app.index.documents[document.doc_id].clauses
        exact = sum(search_form(c.text).count("质押融资") for c in clauses)
        synonym = sum(search_form(c.text).count("质押贷款") for c in clauses)
        assert document.mentions == exact + synonym


def test_documents_are_sorted_by_mentions(topics):
    mentions = [d.mentions for d in topics.search("知识产权服务").documents]
    assert mentions == sorted(mentions, reverse=True)


def test_spaces_full_width_and_line_breaks_do_not_hide_a_mention(topics):
    # xuhui writes "PCT 国际专利申请量" with a space
    assert "xuhui-2022#2.d2" in _clause_ids(topics.search("PCT国际专利申请量"))
    # full-width Latin letters
    assert "xuhui-2022#3.4.1" in _clause_ids(topics.search("ＷＩＰＯ"))
    # the heading and the body of caohejing 2.1.1 are separated by a line break
    assert "caohejing-2024#2.1.1" in _clause_ids(topics.search("推进机制形成"))


def _clause_ids(result, match=("exact", "synonym")):
    return {c.clause_id for d in result.documents for c in d.clauses if c.match in match}


def test_synonyms_count_as_mentions_and_are_marked(topics):
    result = topics.search("世界知识产权组织")
    xuhui = _document(result, "xuhui-2022")
    assert xuhui.mentions == 2 and {c.match for c in xuhui.clauses if c.match != "related"} == {"synonym"}
    assert _document(result, "pudong-2017").clauses[0].match == "exact"
    old_title = topics.search("专利代理人")
    assert any(c.clause_id == "caohejing-2024#1.3.2" and c.match == "synonym"
               for c in _document(old_title, "caohejing-2024").clauses)
    shortened = topics.search("电商")  # pudong writes 电商平台, xuhui 电子商务领域
    assert _document(shortened, "pudong-2017").clauses[0].match == "exact"
    assert _document(shortened, "xuhui-2022").clauses[0].match == "synonym"


def test_latin_terms_match_whole_words_only(topics):
    ids = _clause_ids(topics.search("IP"))
    assert "haishu-2024#3.4.13" in ids          # 做亮特色IP
    assert "caohejing-2024#2.1.3" not in ids    # IPTOWER is another word


def test_related_clauses_are_listed_apart_and_never_counted(topics):
    result = topics.search("商业秘密")
    only_related = [d for d in result.documents if d.mentions == 0]
    assert only_related and all(c.match == "related" for d in only_related for c in d.clauses)
    for document in result.documents:
        related = [c for c in document.clauses if c.match == "related"]
        assert len(related) <= RELATED_PER_DOCUMENT
        for clause in related:
            assert "商业秘密" not in search_form(clause.text) and clause.spans == []
            assert clause.score >= RELATED_MIN_SIMILARITY
        assert document.mentions == sum(len(c.spans) for c in document.clauses if c.match != "related")


def test_several_words_must_all_be_in_one_clause(topics):
    result = topics.search("数据 知识产权")
    for document in result.documents:
        for clause in document.clauses:
            if clause.match != "related":
                norm = search_form(clause.text)
                assert "数据" in norm and "知识产权" in norm


def test_unknown_topic_gives_an_empty_list_and_a_message(topics):
    result = topics.search("量子计算")
    assert result.documents == [] and "没有文档提到" in result.message


def test_json_shape(topics):
    data = topics.search("专利代理师").to_dict()
    assert set(data) == {"term", "documents", "message"}
    document = data["documents"][0]
    assert set(document) == {"doc_id", "doc_title", "region", "period", "mentions", "clauses"}
    assert set(document["clauses"][0]) == {"clause_id", "path", "text", "match", "score", "spans"}
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("term", ["", "   ", "123 456", "。，！", "商" * (MAX_INPUT_CHARS + 1)])
def test_bad_terms_are_refused_with_a_clear_message(topics, term):
    with pytest.raises(ValueError) as error:
        topics.search(term)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error.value))   # Chinese and English
    assert any(ch.isascii() and ch.isalpha() for ch in str(error.value))



def test_cli_topic_json(seed_app):
    done = run_cli(seed_app, "topic", "商業秘密", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["documents"][0]["doc_id"] == "haishu-2024" and data["documents"][0]["mentions"] > 0


@pytest.mark.parametrize("term", ["", "123"])
def test_cli_topic_bad_input_is_one_line_and_non_zero(seed_app, term):
    done = run_cli(seed_app, "topic", term)
    assert done.exit_code != 0 and "Traceback" not in done.output


def test_a_term_found_under_another_name_says_which(topics):
    """No seed says 牌子; its clauses say 商标, and the message says that is what was counted."""
    result = topics.search("牌子")
    assert result.documents and all(c.match in ("synonym", "related") for d in result.documents for c in d.clauses)
    assert "其他说法：商标" in result.message
    assert "其他说法" not in topics.search("专利").message     # a word with no other name
