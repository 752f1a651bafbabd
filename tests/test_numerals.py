"""Chinese numerals read as numbers where they are quantities, and only there."""
import pytest

from assistant.numerals import COUNT_MEASURES, MONEY_MEASURES, TIME_MEASURES, asked_measures, preferred_measures, to_arabic, to_arabic_with_offsets
from assistant.text import normalize, normalize_with_offsets


@pytest.mark.parametrize("text, expected", [
    ("期限为二十年", "期限为20年"),
    ("十五日内", "15日内"),
    ("六个月", "6个月"),
    ("两年内", "2年内"),
    ("百分之五十", "50%"),
    ("千分之三", "3‰"),
    ("三分之一", "1/3"),
    ("处五百万元以下的罚款", "处500万元以下的罚款"),   # 万 kept as plans write amounts
    ("一倍以上五倍以下", "1倍以上5倍以下"),
    ("一万二千元", "12000元"),
    ("二〇二四年", "2024年"),
    ("第四十二条", "第42条"),
    ("二十余家", "20余家"),
    ("数据知识产权证书达到三百张", "数据知识产权证书达到300张"),
    ("质押融资五十笔", "质押融资50笔"),
])
def test_quantities_become_arabic(text, expected):
    assert to_arabic(text) == expected


@pytest.mark.parametrize("text", ["统一的一站式服务", "进一步加强", "一带一路", "数十万", "三五年", "十四五规划", "两者",
                                  "哪一年挂牌", "哪一个部门"])
def test_words_built_with_numerals_stay_words(text):
    assert to_arabic(text) == text


def test_offsets_point_at_the_original_numeral():
    text = "外观设计专利权的期限为十五年，自申请日起计算"
    converted, origin = to_arabic_with_offsets(text)
    start = converted.index("15年")
    assert text[origin[start]:origin[start + 2] + 1] == "十五年"
    assert len(origin) == len(converted)


def test_search_normalisation_reads_traditional_numerals_too():
    assert normalize("處五十萬元以下的罰款，兩年內") == "处50万元以下的罚款,2年内"
    norm, origin = normalize_with_offsets("期限為十五年")
    assert norm == "期限为15年" and origin[norm.index("15")] == 3



def test_a_thin_space_typeset_inside_a_number_is_no_break_of_it():
    """环境保护税法's tables write 1.\u20092元 for 1.2元: both normal forms read one number (the one with
    offsets drops every space; the plain one kept 1. 2, which no statement of 1.2元 matched)."""
    text = "大气污染物：税额 1.\u20092元至12元"
    assert normalize(text) == normalize_with_offsets(text)[0] == "大气污染物:税额1.2元至12元"
    assert normalize("1. 2024年底前") == "1. 2024年底前"  # an ordinary space after an item number stays

@pytest.mark.parametrize("question, measures", [
    ("专利权质押登记多少个工作日内办结？", {"工作日", "个工作日"}),   # not answered by 三个月
    ("外观设计专利保护多少年？", {"年"}),
    ("外观设计专利的保护期限是多少年？", {"年"}),                 # a term asked in years, not in months
    ("多少天内要答复？", {"日", "天", "工作日", "个工作日"}),
    ("优先权期限是多久？", set(TIME_MEASURES)),                    # any time answers 多久
    ("最多罚多少钱？", set(MONEY_MEASURES)),
    ("哪几部分组成？", set()),
    ("复印几篇别人的文章发给学生，需要作者同意吗？", set()),       # a few, not how many
    ("要交几年的年费？", {"年"}),
    ("罚款金额是多少？", set(MONEY_MEASURES)),
    ("难以计算时，法院判赔的范围是多少？", set(MONEY_MEASURES)),   # a sum awarded, asked a few words on
    ("违法所得数额巨大的，会判什么刑？", set()),                   # an amount in a condition asks for none
    ("大楼一共有多少层？", {"层", "级", "个"}),                      # floors, not 3次 or 10家
    ("要培养多少名代理师？", {"名", "人", "位", "户", "个"}),
    ("开一家这样的机构需要多少注册资本？", set(MONEY_MEASURES)),
    ("专利最多能占注册资本的百分之多少？", {"%", "‰"}),
    ("律师费按争议金额最多能收百分之几？", {"%", "‰"}),              # the amount is the share's base
    ("注册商标转让的手续费是多少？", set(MONEY_MEASURES)),           # a sum named before 多少
    ("竞业限制的经济补偿每月最少给多少？", set(MONEY_MEASURES)),
    ("图书馆借书免费吗？", set()),
    ("我们几个人办合伙企业，这专利值多少钱该怎么定下来？", set()),   # a few people; how a value is fixed
    ("手上只有几件专利，银行能放贷吗？", set()),
    ("最晚要提前几天发公告？", {"日", "天", "工作日", "个工作日"}),
])
def test_a_question_asks_for_a_quantity_in_the_unit_it_names(question, measures):
    assert asked_measures(normalize(question)) == measures


def test_a_few_years_is_no_question_of_years():
    measures = asked_measures(normalize("这几年申请了几件专利？"))
    assert "件" in measures and "年" not in measures


def test_many_things_counted_by_ge_ask_for_any_count():
    assert asked_measures(normalize("要建多少个工作站？")) == COUNT_MEASURES


def test_how_a_breach_is_punished_prefers_a_fine_without_demanding_one():
    question = normalize("平台知道店家侵权却不采取措施的，怎么罚？")
    assert preferred_measures(question) == MONEY_MEASURES
    assert asked_measures(question) == frozenset()   # 责令改正 alone still answers it


@pytest.mark.parametrize("question, method", [
    ("著作权侵权的赔偿数额怎么确定？", True),
    ("罚款金额如何计算？", True),
    ("赔偿数额是多少？", False),
    ("赔偿数额怎么确定，最多赔多少？", False),   # the figure is asked as well
])
def test_how_an_amount_is_reckoned_asks_for_the_rule_not_a_figure(question, method):
    from assistant.numerals import asks_method
    assert asks_method(normalize(question)) is method
    assert (preferred_measures(normalize(question)) == frozenset()) is method


def test_doubling_is_a_quantity_of_two_times():
    from assistant.numerals import find_quantities

    [doubled] = find_quantities("造成平台内经营者损失的,加倍承担赔偿责任")
    assert (doubled.value, doubled.measure, doubled.text) == (2.0, "倍", "加倍")
    assert [q.text for q in find_quantities("处3倍以上5倍以下的罚款,双倍赔偿")] == ["3倍", "5倍", "双倍"]


def test_the_same_day_is_no_quantity():
    from assistant.numerals import find_quantities
    assert find_quantities(normalize("同一天申请的，初步审定并公告使用在先的商标")) == []
    assert [q.text for q in find_quantities(normalize("拍卖人应当于拍卖日七日前发布拍卖公告"))] == ["7日"]
