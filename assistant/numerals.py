"""Chinese numerals read as numbers: 二十年 → 20年, 百分之五十 → 50%, 第四十二条 → 第42条.

Laws write every quantity in Chinese numerals (十五日, 五百万元, 一倍以上五倍以下) while plans and
users mostly write Arabic ones, so search, figure extraction and verification compare numbers on
one form. A numeral is converted only where it is a quantity or an ordinal — before a measure word,
inside …分之…, after 第 — so that words built with numeral characters stay words (统一, 一站式,
进一步, 一带一路). The conversion of each span is `cn2an`'s; this module only decides which spans
are quantities, and keeps 万/亿 as written (五百万元 → 500万元, as plans write amounts).

Callers show the original text: `to_arabic_with_offsets` maps every output character back to the
character it came from.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

DIGITS = "零〇一二三四五六七八九两"
NUMERAL = rf"[{DIGITS}十百千万亿]+(?:点[{DIGITS}]+)?"
# Measure words and units after which a numeral is a quantity (a closed class of the language,
# longest first where one is the prefix of another).
MEASURE_WORDS = (
    "个工作日", "个月", "个百分点", "周岁", "工作日", "小时", "分钟", "平方米", "公里", "公顷",
    "年", "月", "日", "天", "周", "星期", "岁", "元", "倍", "件", "人", "名", "家", "项", "次",
    "个", "种", "类", "所", "座", "场", "批", "届", "条", "款", "章", "节", "编", "部", "份", "期",
    "位", "层", "级", "轮", "台", "套", "本", "篇", "部分", "亩", "吨", "米", "克", "户", "支",
    "张", "笔", "例", "宗", "册", "幅", "枚", "株", "辆", "艘", "架",
    "万", "亿",
)
_MEASURE = "|".join(MEASURE_WORDS)
# 数十万 and 几百 are approximations, not numbers; a digit run like 三五 (three or five) is not one either;
# 哪一年, 哪一个 ask which one, not how many.
FRACTION = re.compile(rf"(?P<den>[{DIGITS}十百千万]+)分之(?P<num>{NUMERAL})")
QUANTITY = re.compile(rf"(?<![数几第哪{DIGITS}十百千])(?P<num>{NUMERAL})(?=(?:余|多)?(?:{_MEASURE}))")
ORDINAL = re.compile(rf"(?<=第)(?P<num>{NUMERAL})")
_SCALE_SUFFIX = re.compile(r"^(?P<head>.+?)(?P<scale>[万亿])$")
_PLAIN_DIGITS = re.compile(rf"^[{DIGITS}]+$")
_ANY_NUMERAL = re.compile(rf"[{DIGITS}十百千万亿]")


@functools.lru_cache(maxsize=4096)
def numeral_value(numeral: str) -> str | None:
    """A Chinese numeral as Arabic digits, or None when it is not one number (三五, 十四五)."""
    if _PLAIN_DIGITS.match(numeral) and len(numeral) == 2:
        return None  # 三五年: "three or five years"
    if numeral in ("万", "亿") or numeral.startswith(("万", "亿")):
        return None
    scaled = _SCALE_SUFFIX.match(numeral)
    if scaled and not re.search("[万亿]", scaled["head"]):
        head = numeral_value(scaled["head"])
        return head + scaled["scale"] if head else None
    import cn2an

    try:
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _whole(value: str | None) -> str | None:
    """500万 → 5000000: a denominator is a plain number."""
    if value and value[-1] in "万亿":
        return str(int(float(value[:-1]) * (10_000 if value[-1] == "万" else 100_000_000)))
    return value


def _replacements(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every quantity in `text`, in order, not overlapping."""
    found = []
    for m in FRACTION.finditer(text):
        # 百分之 and 千分之 say 一百 and 一千 without the 一
        den = _whole(numeral_value("一" + m["den"] if m["den"] in "百千万" else m["den"]))
        num = numeral_value(m["num"])
        if den and num:
            shown = {"100": f"{num}%", "1000": f"{num}‰"}.get(den, f"{num}/{den}")
            found.append((m.start(), m.end(), shown))
    taken = [(s, e) for s, e, _ in found]
    for pattern in (ORDINAL, QUANTITY):
        for m in pattern.finditer(text):
            start, end = m.span("num")
            if any(s < end and start < e for s, e in taken):
                continue
            value = numeral_value(m["num"])
            if value:
                found.append((start, end, value))
                taken.append((start, end))
    return sorted(found)


def to_arabic(text: str) -> str:
    """`text` with every Chinese-numeral quantity in Arabic digits."""
    if not _ANY_NUMERAL.search(text):
        return text
    return to_arabic_with_offsets(text)[0]


def to_arabic_with_offsets(text: str) -> tuple[str, list[int]]:
    """Like `to_arabic`, with the index in `text` of each output character (a converted
    numeral's characters all point to its first character)."""
    out, origin, at = [], [], 0
    for start, end, value in _replacements(text) if _ANY_NUMERAL.search(text) else []:
        out.append(text[at:start])
        origin.extend(range(at, start))
        out.append(value)
        origin.extend([start] * len(value))
        at = end
    out.append(text[at:])
    origin.extend(range(at, len(text)))
    return "".join(out), origin


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (as articles and lists number)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else
                                 ("一" + chinese_numeral(rest) if rest < 20 else chinese_numeral(rest)))
    return digits[n // 100] + "百" + tail


# --- quantities in normalised text -------------------------------------------------------

_QUANTITY_MEASURES = "|".join(sorted({*MEASURE_WORDS, "%", "‰"} - {"万", "亿"}, key=len, reverse=True))
# Not an ordinal (第3) nor 同一 (同1天 is "the same day", from cn2an).
ARABIC_QUANTITY = re.compile(rf"(?<![\d./第同])(?P<value>\d+(?:\.\d+)?)(?P<scale>万|亿)?(?:余|多)?(?P<measure>{_QUANTITY_MEASURES})")
_PHRASE_BREAK = re.compile(r"[,，。;；:：!?！？\n]")
DOUBLED = re.compile(r"加倍|双倍|翻倍")
# A fraction as cn2an writes 二分之一 (1/2), not a part of a date (2024/1/2).
_FRACTION_WRITTEN = re.compile(r"(?<![\d./])(?P<num>\d+)/(?P<den>[1-9]\d*)(?![\d/])")
FRACTION_MEASURE = "分之"
_NUMBER_RUN = re.compile(r"\d+(?:\.\d+)?")
_DATE_PART = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}月(?=\d)")


@dataclass(frozen=True)
class Quantity:
    """A number with its measure word in normalised text (15日, 500万元, 2/3 of the measure 分之), and the
    phrase it stands in with every number masked: what the number is about."""
    value: float
    measure: str
    text: str        # as the normalised text writes it: 15日, 500万元
    context: str
    start: int
    end: int


def find_quantities(norm: str, fractions: bool = False) -> list[Quantity]:
    """Quantities of already-normalised text; calendar years and dates (2024年, 3月15日) are not. With
    `fractions`, 2/3 (三分之二) is one too: verify compares them; answering does not ask for them yet (read as
    quantities there, they cost the laws `test` split an answer)."""
    dates = [m.span() for m in _DATE_PART.finditer(norm)]
    found = []
    for m in ARABIC_QUANTITY.finditer(norm):
        value = float(m["value"]) * {"万": 1e4, "亿": 1e8}.get(m["scale"] or "", 1)
        if (m["measure"] == "年" and 1900 <= value <= 2100) or any(a <= m.start() < b for a, b in dates):
            continue
        phrase = _NUMBER_RUN.sub("#", _phrase_around(norm, m.start(), m.end()))
        found.append(Quantity(value, m["measure"], m.group(0), phrase, m.start(), m.end()))
    for m in _FRACTION_WRITTEN.finditer(norm) if fractions else ():   # 三分之二, which cn2an writes 2/3
        phrase = _NUMBER_RUN.sub("#", _phrase_around(norm, m.start(), m.end()))
        found.append(Quantity(int(m["num"]) / int(m["den"]), FRACTION_MEASURE, m.group(0), phrase, m.start(), m.end()))
    for m in DOUBLED.finditer(norm):   # 加倍承担赔偿责任: twice, with no numeral for cn2an to read
        phrase = DOUBLED.sub("#", _NUMBER_RUN.sub("#", _phrase_around(norm, m.start(), m.end())))
        found.append(Quantity(2.0, "倍", m.group(0), phrase, m.start(), m.end()))
    return sorted(found, key=lambda q: q.start)


def _phrase_around(norm: str, start: int, end: int) -> str:
    """The phrase (between punctuation) holding norm[start:end]."""
    breaks = [b.end() for b in _PHRASE_BREAK.finditer(norm, 0, start)]
    stop = _PHRASE_BREAK.search(norm, end)
    return norm[breaks[-1] if breaks else 0:stop.start() if stop else len(norm)]


def context_similarity(a: str, b: str) -> float:
    """Dice coefficient of the character pairs of two contexts."""
    pairs_a, pairs_b = Counter(zip(a, a[1:])), Counter(zip(b, b[1:]))
    total = sum(pairs_a.values()) + sum(pairs_b.values())
    return 2 * sum((pairs_a & pairs_b).values()) / total if total else 0.0


# --- what kind of quantity a question asks for -------------------------------------------

# Classifiers of things counted: a question's 多少个 is answered by 10家 or 5项 alike.
COUNT_MEASURES = frozenset({"个", "家", "项", "件", "座", "所", "名", "人", "次", "场", "批", "种", "类", "位",
                            "户", "台", "套", "本", "篇", "部", "份", "支", "届", "轮", "层", "级", "条", "款"})
# A count asked with a specific classifier is answered in its kind (多少层 not by 3次 or 10家); 个, which
# counts anything, asks for and answers any count.
_COUNT_KINDS = (frozenset({"名", "人", "位", "户"}), frozenset({"家", "所", "座"}),
                frozenset({"次", "场", "届", "轮", "期"}), frozenset({"层", "级"}),
                frozenset({"项", "件", "种", "类", "条", "款", "篇", "本", "部", "份", "套", "台", "支", "批"}))
TIME_MEASURES = frozenset({"年", "个月", "月", "日", "天", "周", "星期", "工作日", "个工作日", "小时"})
MONEY_MEASURES = frozenset({"元"})
SHARE_MEASURES = frozenset({"%", "‰"})
# A time asked in a unit is answered in that unit: 多少个工作日 not by 三个月, 多少年 not by 六个月
# (多久 and 期限多长 are answered by any of TIME_MEASURES).
_SAME_TIME = (frozenset({"年"}), frozenset({"月", "个月"}), frozenset({"周"}), frozenset({"小时"}),
              frozenset({"工作日", "个工作日"}), frozenset({"日", "天", "工作日", "个工作日"}))
# Measure words naming one unit: 三十天 is 三十日 as a law writes it, 两个星期 两周.
_UNIT_NAMES = {"天": "日", "个月": "月", "星期": "周", "个工作日": "工作日", "名": "人", "位": "人"}


def unit_of(measure: str) -> str:
    return _UNIT_NAMES.get(measure, measure)


def same_kind(measure: str, other: str) -> bool:
    """Two measures of one kind of quantity — a time, money, a share, or a count of one kind of thing — so
    that 3个月 and 15日 are two answers to one question, and 3个月 and 15家 are not."""
    return unit_of(measure) == unit_of(other) or any(
        measure in kind and other in kind for kind in (TIME_MEASURES, MONEY_MEASURES, SHARE_MEASURES, *_COUNT_KINDS))


# How questions ask for a quantity: 多少年, 几天, 多久, 罚多少, 多少钱, 什么比例, 几倍.
_ASKED_UNIT = re.compile(rf"(?:多少|(?<!哪)几)(?:个)?(?P<measure>{_MEASURE})")  # 哪几部分 asks which, not how many
_YES_NO = re.compile(r"吗[？?]?$")
_ASKS_TIME = re.compile(r"多久|多长时间|多长|(?:期限|时限|期)(?:是|为)?(?:几|多少)")  # 有保护期吗 asks no number
# 判赔的范围是多少; a sum named before what is asked of it (手续费是多少, 经济补偿每月最少给多少; not 免费)
_ASKS_MONEY = re.compile(r"多少钱|[罚赔奖交付][^，。？?,]{0,5}?多少|多少[^，。？?]{0,4}(?:费|资本|资金|价款)|多少万"
                         r"|(?:(?<!免)费|补偿|违约金|报酬|工资|薪酬|价款|奖金|稿酬)[^，。？?,]{0,6}?多少")
# An amount named in a part of the question that asks something (罚款是多少, 赔偿数额是多少); in a
# condition (违法所得数额巨大的，会判什么刑) it says when, not what is asked.
_MONEY_NOUN = re.compile(r"金额|数额|罚款|赔偿额")
_ASKING = re.compile(r"多少|几|什么|怎么|怎样|如何|哪|吗|[?？]$")
# How an amount is arrived at (赔偿数额怎么确定, 如何计算): the rule that reckons it, whose fallback figure is one
# of its sentences, not a sentence giving a figure.
_ASKS_METHOD = re.compile(r"(?:怎么|怎样|如何)(?:来)?(?:确定|计算|算|认定|核定|定(?!义))")
# 几 saying "a few", not "how many": after a demonstrative or a pronoun (这几年, 我们几个人), in 好几 and 十几,
# and 只有几件 — what the question asks is something else of them. (提前几天 asks how many.)
_A_FEW = re.compile(r"(?<=[这那们好十])几|(?<=只有)几")
_QUESTION_PART = re.compile(r"[,，;；]")
_ASKS_SHARE = re.compile(r"比例|百分之几|百分之多少|百分比|占比|几成|多少%")


def asked_measures(norm_question: str) -> frozenset[str]:
    """The measure words that a quantity answering the question would carry (empty when the
    question asks for no quantity, or for any)."""
    norm_question = without_a_few(norm_question)
    measures: set[str] = set()
    for m in _ASKED_UNIT.finditer(norm_question):
        if m.group(0).startswith("几") and _YES_NO.search(norm_question):
            continue  # 复印几篇文章…需要同意吗: a few, not how many
        measure = m["measure"]
        measures |= next((group for group in (*_SAME_TIME, *(kind | {"个"} for kind in _COUNT_KINDS), COUNT_MEASURES)
                          if measure in group and measure != "个"), COUNT_MEASURES if measure == "个" else {measure})
    if _ASKS_TIME.search(norm_question) and not measures & TIME_MEASURES:  # 期限是多少年 asks years only
        measures |= TIME_MEASURES
    # an amount a share is asked of is its base (按争议金额…收百分之几), not what is asked
    if any((_ASKS_MONEY.search(part) or _MONEY_NOUN.search(part) and _ASKING.search(part) and not _ASKS_SHARE.search(part))
           and not _ASKS_METHOD.search(part) for part in _QUESTION_PART.split(norm_question)):
        measures |= MONEY_MEASURES
    if _ASKS_SHARE.search(norm_question):
        measures |= SHARE_MEASURES
    return frozenset(measures)


def without_a_few(norm_question: str) -> str:
    """The question with each 几 that says "a few" put as 些, which asks nothing (see _A_FEW)."""
    return _A_FEW.sub("些", norm_question)


def asks_method(norm_question: str) -> bool:
    """Whether a question asks how an amount is arrived at rather than what it is (see _ASKS_METHOD)."""
    return _ASKS_METHOD.search(norm_question) is not None and not asked_measures(norm_question)


def asks_duration(norm_question: str) -> bool:
    """Whether a question asks how long something lasts or may take (多久, 期限是几年, 有几天期限)."""
    return _ASKS_TIME.search(norm_question) is not None or bool(asked_measures(norm_question) & TIME_MEASURES)


# 怎么罚 asks which penalty: a fine when there is one, though a rule may set none (责令改正), so
# the question prefers text with an amount of money without being refused for want of one.
_ASKS_PENALTY = re.compile(r"(?:怎么|怎样|如何)(?:处)?罚|(?:什么|哪些)(?:处罚|罚则)|会被罚|罚什么")


def asks_penalty(norm_question: str) -> bool:
    """The question asks how a breach is punished (怎么罚, 会被罚多少, 罚款是多少)."""
    return bool(_ASKS_PENALTY.search(norm_question)) or ("罚" in norm_question and MONEY_MEASURES <= asked_measures(norm_question))


# 怎么判, 判什么刑, 会坐牢吗: what a crime is sentenced to, a term in years or months (处三年以下有期徒刑)
# that the question does not ask as a number; not what a court awards (会判多少赔偿).
_ASKS_PRISON = re.compile(r"(?:怎么|怎样|如何|会被?|要被?)判(?!决书|多少|赔)|判(?:什么|几)|判刑|坐牢|量刑|(?:什么|哪些)刑(?!事)|刑期")
PRISON_TERM_MEASURES = frozenset({"年", "个月", "月"})


def preferred_measures(norm_question: str) -> frozenset[str]:
    """The measures a quantity in the answer is preferred to carry: those asked for, money
    when the question asks how a breach is punished, a term when it asks how a crime is sentenced."""
    penalty = MONEY_MEASURES if _ASKS_PENALTY.search(norm_question) else frozenset()
    prison = PRISON_TERM_MEASURES if _ASKS_PRISON.search(norm_question) else frozenset()
    return asked_measures(norm_question) | penalty | prison
