"""A document's record against what a statement says of it: a law's adoption note, legislature and the day
it takes effect, read by the real parser from a law's text as npc.gov.cn publishes it."""
import pytest

from assistant.documents import parse_document
from assistant.frontmatter import adopting_body, adoption_history
from assistant.records import judge_law_record, record_said
from assistant.topics import search_form

NOTE = ("（1984年3月12日第六届全国人民代表大会常务委员会第四次会议通过　根据1992年9月4日第七届全国人民代表大会常务"
        "委员会第二十七次会议《关于修改〈中华人民共和国专利法〉的决定》第一次修正　根据2020年10月17日第十三届全国人民"
        "代表大会常务委员会第二十二次会议《关于修改〈中华人民共和国专利法〉的决定》第四次修正）")
PATENT_LAW = f"""中华人民共和国专利法

{NOTE}

第一章　总则

第一条　为了保护专利权人的合法权益，鼓励发明创造，制定本法。

第二条　本法所称的发明创造是指发明、实用新型和外观设计。

第三条　国务院专利行政部门负责管理全国的专利工作。

第八十二条　本法自1985年4月1日起施行。
"""
NEVER_AMENDED = """中华人民共和国示例法

（2020年5月28日第十三届全国人民代表大会第三次会议通过）

第一条　为了保护民事主体的合法权益，制定本法。

第二条　本法所称示例，是指示范的例子。

第三条　本法自2021年1月1日起施行。
"""


def test_an_adoption_note_gives_each_date_with_its_act_and_the_legislature():
    assert adoption_history(NOTE) == [("1984-03-12", "通过"), ("1992-09-04", "修正"), ("2020-10-17", "修正")]
    assert adopting_body(NOTE) == "全国人民代表大会常务委员会"
    assert adopting_body("（2020年5月28日第十三届全国人民代表大会第三次会议通过）") == "全国人民代表大会"
    assert adoption_history("第一条　本法自1985年4月1日起施行。") == []   # an article is no note
    assert parse_document(PATENT_LAW, "law", "law.txt").issuer == "全国人民代表大会常务委员会"  # no 发文机关 line


def test_passing_and_amending_are_acts_of_record_only_when_said_of_a_law():
    said = record_said(search_form("专利法于二〇二〇年十月十七日第四次修正"), of_law=True)
    assert (said.date, said.act) == ("2020-10-17", "修正")
    assert not record_said(search_form("到2025年12月31日通过验收的企业达到100家"))
    assert record_said(search_form("专利法自2021年6月1日起施行"), of_law=True).in_force == "2021-06-01"


def _judged(law_text: str, statement: str):
    document = parse_document(law_text, "law", "law.txt")
    judgement = judge_law_record(document, record_said(search_form(statement), of_law=True))
    return [problem for problem, _ in judgement.verdicts], " ".join(r for _, r in judgement.verdicts), judgement


@pytest.mark.parametrize("statement, problems, reason", [
    ("专利法于1984年3月12日通过。", [""], "通过日期 1984年3月12日"),
    ("专利法于1992年9月4日第一次修正。", [""], "修正日期"),
    ("专利法于1992年9月4日修订。", [""], "修正日期"),                 # users do not tell 修正 from 修订
    ("专利法于1992年9月4日通过。", ["contradicted"], "1992年9月4日为修正日期，陈述为通过"),
    ("专利法于2008年12月27日第三次修正。", ["contradicted"], "1984年3月12日通过、1992年9月4日修正"),
    ("专利法由全国人大常委会通过。", [""], "制定机关 全国人民代表大会常务委员会"),
    ("专利法由第六届全国人民代表大会常务委员会第四次会议通过。", [""], "制定机关"),
    ("专利法由全国人民代表大会通过。", ["contradicted"], "制定机关为 全国人民代表大会常务委员会"),
    ("专利法由国务院制定。", ["contradicted"], "陈述为 国务院"),
    ("专利法自1985年4月1日起施行。", [""], "本法自1985年4月1日起施行"),
    # amended since: the day an amendment took effect is in its decision, not in the law
    ("专利法自2021年6月1日起施行。", ["not_found"], "修改后的施行日期文中未载明"),
])
def test_a_laws_dates_and_legislature_are_judged_against_its_note(statement, problems, reason):
    found, reasons, _ = _judged(PATENT_LAW, statement)
    assert found == problems and reason in reasons


def test_a_law_never_amended_contradicts_another_day_in_force_and_shows_the_article():
    found, reasons, judgement = _judged(NEVER_AMENDED, "示例法自2020年5月28日起施行。")
    assert found == ["contradicted"] and "本法自2021年1月1日起施行" in reasons
    assert judgement.clauses[0].path[-1] == "第三条"
    assert _judged(NEVER_AMENDED, "示例法由全国人民代表大会通过。")[0] == [""]


@pytest.fixture(scope="module")
def noted_law_app(tmp_path_factory):
    """A knowledge base of one law whose text carries its adoption note, indexed with the real embedder."""
    from assistant.app import App, Settings
    root = tmp_path_factory.mktemp("noted-law")
    (root / "corpus").mkdir()
    (root / "corpus" / "专利法.txt").write_text(PATENT_LAW, encoding="utf-8")
    app = App(Settings(corpus=root / "corpus", index=root / "index"))
    app.ensure_index(progress=False)
    return app


def test_asked_when_a_law_was_passed_the_answer_quotes_its_adoption_note(noted_law_app):
    answer = noted_law_app.answerer.ask("专利法是什么时候通过的？")
    assert "1984年3月12日" in answer.text and "第四次修正" in answer.text
    assert any(c.clause.kind == "preamble" for c in answer.citations)


def test_asked_who_made_a_law_the_answer_is_its_legislature(noted_law_app):
    answer = noted_law_app.answerer.ask("专利法是谁制定的？")
    assert answer.intent == "metadata" and "全国人民代表大会常务委员会" in answer.text


def test_a_statement_of_a_laws_record_is_verified_against_its_note(noted_law_app):
    verify = noted_law_app.verifier.verify
    [passed] = verify("专利法于1984年3月12日通过。").sentences
    [wrong] = verify("专利法于1984年3月12日第一次修正。").sentences
    assert passed.status == "supported" and passed.evidence[0].path == ["前言"]
    assert wrong.status == "contradicted", wrong.reason
