"""A statement saying the opposite of a rule (may / must not, 视为 / 不视为) is caught phrase by phrase."""
from __future__ import annotations

import pytest

from assistant.polarity import opposed_phrases, swapped_terms
from assistant.text import normalize

RULE = "有下列情形之一的，不视为侵犯专利权：专为科学研究和实验而使用有关专利的。"


@pytest.mark.parametrize("statement, ruled", [
    ("专为科学研究和实验而使用有关专利的，视为侵犯专利权", "不视为侵犯专利权"),
    ("任何单位或者个人可以实施其专利", "任何单位或者个人都不得实施其专利"),
    ("申请人不得要求支付适当的费用", "申请人可以要求支付适当的费用"),
    ("当事人必须提交证明文件", "当事人无须提交证明文件"),
    ("对该申请予以登记", "对该申请不予登记"),
    ("专利权人收到通知的", "专利权人没有收到通知的"),
])
def test_the_opposite_of_what_the_rule_allows_requires_or_forbids_is_found(statement, ruled):
    evidence = RULE + "任何单位或者个人都不得实施其专利。申请人可以要求支付适当的费用。当事人无须提交证明文件。对该申请不予登记。" \
        "专利权人没有收到通知的，可以补正。"
    assert [o.ruled for o in opposed_phrases(statement, evidence)] == [ruled]


def test_may_do_without_what_the_rule_requires_is_found_in_the_rule_not_in_its_condition():
    evidence = "利害关系人申请诉前保全的，申请人应当提供担保，不提供担保的，裁定驳回申请。"
    stated = "利害关系人申请诉前保全的，可以不提供担保"
    assert [o.ruled for o in opposed_phrases(stated, evidence)] == ["申请人应当提供担保"]
    assert opposed_phrases("利害关系人申请诉前保全的，申请人必须提供担保", evidence) == []
    assert opposed_phrases("利害关系人申请诉前保全，可以不提供担保", "利害关系人申请诉前保全，可以不提供担保。") == []


@pytest.mark.parametrize("statement", [
    "专为科学研究和实验而使用有关专利的，不视为侵犯专利权",   # as the rule says
    "任何单位或者个人都禁止实施其专利",                        # 禁止 forbids as 不得 does
    "申请人有权要求支付适当的费用",                            # 有权 allows as 可以 does
    "申请人应当要求支付适当的费用",                            # stronger, not the opposite
    "不正当竞争行为由监督检查部门查处",                        # 不 inside a term negates nothing
    "自稿件发出之日起15日内没有收到报社通知的",                # 没有收到 says 未收到
    "注册商标成为其核定使用的商品的通用名称的",                # 不使用 is in a condition the statement leaves out
])
def test_the_same_rule_in_other_words_is_no_opposition(statement):
    evidence = RULE + "任何单位或者个人都不得实施其专利。申请人可以要求支付适当的费用。对不正当竞争行为，由监督检查部门查处。" \
        "自稿件发出之日起15日内未收到报社通知的，可以另投。注册商标成为其核定使用的商品的通用名称或者没有正当理由连续3年不使用的，" \
        "任何单位或者个人可以申请撤销。"
    assert opposed_phrases(statement, evidence) == []


def test_a_phrase_said_as_it_is_inside_a_longer_one_is_not_taken_for_its_negation():
    evidence = "期间从法律文书规定履行期间的最后一日起计算；法律文书未规定履行期间的，从法律文书生效之日起计算。"
    assert opposed_phrases("法律文书规定了履行期间的", evidence) == []
    assert [o.stated for o in opposed_phrases("法律文书未规定履行期间的", "法律文书规定履行期间的，从最后一日起计算。")] \
        == ["法律文书未规定履行期间的"]


def test_an_exception_in_another_phrase_is_not_taken_for_the_rule():
    evidence = "未经许可，不得复制该作品；但是，为个人学习、研究，可以复制该作品。"
    assert opposed_phrases("为个人学习、研究，可以复制该作品", evidence) == []
    assert [o.stated for o in opposed_phrases("为个人学习、研究，不得复制该作品", evidence)] == ["不得复制该作品"]


@pytest.mark.parametrize("statement, ruled", [
    ("专利权的期限自公告日起计算", "专利权的期限自申请日起计算"),
    ("申请专利的权利属于设计人", "申请专利的权利属于发明人"),
    ("外观设计专利权的期限为10年", "实用新型专利权的期限为10年"),
])
def test_another_thing_of_the_same_kind_put_in_the_rule_is_found(statement, ruled):
    evidence = "专利权的期限自申请日起计算。申请专利的权利属于发明人。实用新型专利权的期限为10年。"
    assert [o.ruled for o in swapped_terms(statement, evidence)] == [ruled]


@pytest.mark.parametrize("statement", [
    "按照国务院的规定执行",            # 依照 / 按照: the user's own wording
    "当事人禁止收取费用",              # 禁止 / 不得: the same rule, left to the modal test
    "专利权的期限自申请日起计算",      # as the rule says
    "专利权的期限从申请日起计算",      # 从 / 均自: prepositions and adverbs name no other thing
])
def test_other_wording_is_no_swapped_thing(statement):
    evidence = "依照国务院的规定执行。当事人不得收取费用。专利权的期限均自申请日起计算。"
    assert swapped_terms(statement, evidence) == []


def test_two_things_the_clause_tells_apart_paired_the_wrong_way_are_found():
    evidence = "国家标准分为强制性标准、推荐性标准，行业标准、地方标准是推荐性标准。"
    [found] = swapped_terms("行业标准、地方标准是强制性标准", evidence)
    assert found.ruled == "行业标准、地方标准是推荐性标准"
    assert swapped_terms("行业标准、地方标准是推荐性标准", evidence) == []


def test_holding_back_what_a_plan_favours_is_the_opposite():
    evidence = "支持国内外知名服务机构在本市设立分支机构。"
    [found] = opposed_phrases("限制国内外知名服务机构在本市设立分支机构", evidence)
    assert found.ruled == "支持国内外知名服务机构在本市设立分支机构"
    assert opposed_phrases("鼓励国内外知名服务机构在本市设立分支机构", evidence) == []   # 鼓励 favours as 支持 does


def test_an_item_is_ruled_by_its_lists_lead():
    """下列标志不得作为商标使用：（一）… forbids each item: a statement allowing one of them is contradicted, and the
    opposition is shown in the text's own words, the lead and the item."""
    evidence = normalize("第十条　下列标志不得作为商标使用：\n（一）同外国的国家名称、国旗、国徽、军旗等相同或者近似的；\n"
                         "（二）带有民族歧视性的；\n（三）夸大宣传并带有欺骗性的。\n县级以上行政区划的地名，不得作为商标。")
    [opposition] = opposed_phrases(normalize("带有民族歧视性的标志可以作为商标使用。"), evidence)
    assert opposition.ruled == "下列标志不得作为商标使用：(二)带有民族歧视性的"
    assert opposed_phrases(normalize("带有民族歧视性的标志不得作为商标使用。"), evidence) == []
    assert opposed_phrases(normalize("同外国的国旗近似的标志可以作为商标使用。"), evidence) != []
