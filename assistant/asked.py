"""Whether the quoted sentences give what a question asks for: a figure, a date, a place or a level
of the kind asked (unanswered_figure), of the thing asked and not of another thing, kind or owner
(measured_elsewhere, other_kind), and whether a text holds a question word at all (holds).

The composers choose sentences by the question's words; these checks say when the chosen sentences,
for all their words, do not answer, so that the answer is a refusal showing what the text gives.
"""
from __future__ import annotations

import re

from .genres import GENRES
from .index import Index
from .measured import GENERIC_QUANTITIES, asked_of, figure_of, measures_asked_thing, other_thing_measured, owner_words
from .model import Clause
from .numerals import COUNT_MEASURES, MONEY_MEASURES, asked_measures, find_quantities
from .questions import ISSUED, MEASURE_KINDS, YEAR, Query, named_kinds, tagged
from .retrieve import Hit
from .text import ADDRESS, ASKS_ADDRESS, ASKS_LEVEL, LEVEL, _jieba, normalize

DIGIT = re.compile(r"\d")
# An item's own number (5.打造… （3）…), which counts the items and is no figure of the text.
ITEM_NUMBER = re.compile(r"^\s*[（(]?\d+\s*[)）.．、](?!\d)")
# Asking for an amount of money itself (奖励金额是多少), not for a rate of one (保险金额年均增幅).
_ASKS_MONEY = re.compile(r"多少(?:万|亿)?(?:美)?元|多少钱|(?:金额|资金|奖励|补贴|补助|资助|经费|额度|费用|资本|租金)(?:的?目标值?)?(?:是|为|有|要?达到)?多少"
                         r"|多少\S{0,4}(?:奖励|补贴|补助|资助|经费|额度|费用|资本|租金)")
# An amount: a figure in 元, or a table row whose label gives the unit (知识产权交易金额(万元)).
_MONEY = re.compile(r"\d\s*(?:万|亿)?(?:美)?元|[（(](?:万|亿)?(?:美)?元[)）].*\d")
# A table row as the parser writes it: label(unit)：header value；header value …
TABLE_ROW = re.compile(r"^(?P<label>[^：:]+?)\s*[（(](?P<unit>[^()（）]{1,6})[)）]\s*[：:](?P<cells>.+)$")
# A term of a criminal sentence is a penalty, not the time a question about a right asks for.
_SENTENCE_TERM = re.compile(r"(?:处|判)?[\d.]+年(?:以上|以下)?(?:[\d.]+年以下)?有期徒刑|拘役|管制")
# A fine is a penalty too: 办一次公证要多少钱 is not answered by 对公证机构处1万元以上5万元以下罚款.
_FINE = re.compile(r"[\d.]+\s*(?:万|亿)?元(?:以上|以下)?(?:[\d.]+\s*(?:万|亿)?元以下)?的?罚款")
ASKS_SENTENCE = re.compile(r"刑|判|坐牢|处罚|罚|后果|责任")
# A time: a calendar date, or one relative to an event as laws give it (自…之日起, 自申请日起, 当年, 期满前,
# 三十日内).
STATES_TIME = re.compile(r"\d{4}\s*年|\d+\s*月|年底|年初|上半年|下半年|每年|之日|当年|当日|期满|届满|[日年月]内|以前(?![项款条])|之前|以后|之后"
                         r"|自[^,，。;；]{1,12}?起")  # 以前项: the item before
_COUNTED = re.compile(r"几个|多少个")  # as jieba cuts them: 哪几个 asks which
# Words read before a thing as its modifier (监督 检查 部门).
MODIFIER_WORDS = 2


def _modifiers_of(thing: str, norm_text: str) -> list[str]:
    """What stands right before the thing in the text, wherever it occurs: the rest of the word that
    ends in it (注册 of 注册商标) with the words of two or more characters before it (监督检查 of
    监督检查部门)."""
    words = _jieba().lcut(norm_text)
    found = []
    for at, word in enumerate(words):
        if not word.endswith(thing):
            continue
        run = [word[:-len(thing)]] if word != thing else []
        for before in reversed(words[max(0, at - MODIFIER_WORDS):at]):
            if len(before) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", before):
                break
            run.insert(0, before)
        if "".join(run):
            found.append("".join(run))
    return found


def of_asked(sentence: str, asked: list[str], measures: frozenset[str]) -> bool | None:
    """Whether a sentence's quantities of the measures are of the thing asked (see measures_asked_thing)."""
    return measures_asked_thing(asked, figure_of(normalize(sentence), measures))


def gives_number(text: str) -> bool:
    """Whether a text holds a number, not counting the number that labels it as an item (an article's
    own number counts: as a sentence's ranking signal it was measured better so)."""
    return bool(DIGIT.search(ITEM_NUMBER.sub("", text, count=1)))


# Numbers that name a place in the text or mean "the same" (第46条, 同1种 from 同一种), not a quantity.
_NOT_A_QUANTITY = re.compile(r"第\d+(?:条|款|项|章|节|编)|同1(?!\d)")


def states_number(text: str) -> bool:
    """Whether a text states a quantity: a number other than an item's label, an article's number or 同一
    (注册商标转让的手续费是多少 is not answered by 第四十六条 … 同一种商品)."""
    return gives_number(_NOT_A_QUANTITY.sub("", text))


# A fine reckoned on an amount (违法所得1倍以上5倍以下的罚款, 货值金额等值以下的罚款) states the money a
# breach costs as much as one in yuan does.
_RECKONED_FINE = re.compile(r"(?:倍|等值|%)(?:以上|以下)?[^，。；,;]{0,10}?罚款")


def states_measure(text: str, measures: frozenset[str]) -> bool:
    norm = normalize(text)
    return any(q.measure in measures for q in find_quantities(norm)) \
        or bool(measures & MONEY_MEASURES and _RECKONED_FINE.search(norm))


def lacks_asked_quantity(query: Query, norm_text: str, picks: list[tuple[str, Hit]]) -> bool:
    """The question asks for a quantity of some measure (多少年, 罚多少钱, 什么比例) and the chosen
    text states none: 保护多少年 is not answered by a sentence without a number of years. A table
    row names its unit in the column label, so its cells are taken as stating it."""
    measures = asked_measures(query.norm)
    if not measures or any(hit.clause.kind == "table_row" and _row_may_state(sentence, measures)
                            for sentence, hit in picks):
        return False
    return not states_measure(_without_unasked_penalties(query, norm_text), measures)


def _without_unasked_penalties(query: Query, norm_text: str) -> str:
    """The text without its prison terms and fines unless the question asks about a breach: 保护期是多久
    is not answered by 三年以下有期徒刑, nor 公证要多少钱 by a fine on the notary."""
    if ASKS_SENTENCE.search(query.norm):
        return norm_text
    return _RECKONED_FINE.sub("", _FINE.sub("", _SENTENCE_TERM.sub("", norm_text)))


def _row_may_state(row_text: str, measures: frozenset[str]) -> bool:
    """A table row answers in the measure asked unless its label's unit and its cells' quantities
    are all of another (a 覆盖率 of 80% is no number of 件); bare cells may be of any."""
    stated = {q.measure for q in find_quantities(normalize(row_text))} | {row_unit(row_text)} - {None}
    return not stated or bool(stated & measures)


def row_unit(row_text: str) -> str | None:
    """The unit a table row's label gives its cells: 知识产权贯标企业(家)：… → 家."""
    m = TABLE_ROW.match(normalize(row_text))
    return m["unit"] if m else None


def holds(token: str, norm_text: str, text: str = "", aliases: dict[str, tuple[str, ...]] | None = None) -> bool:
    """Whether a text (normalised, and as written) holds a question word: the word or another name
    of the same thing (版权 → 著作权); a measure word (数量, 金额) by a quantity of its kind, since
    机构数达 200 家 answers 机构数量 and 专利数量 1000 件以上的机构 does not by the word; a number by
    the same number, not a longer one holding its digits."""
    kinds = MEASURE_KINDS.get(token)
    if token.isdigit():   # a whole number: 7 is not in 750人, 2025 not in 20256
        return re.search(rf"(?<![\d.]){token}(?!\.?\d)", norm_text) is not None
    if kinds is None:
        return token in norm_text or any(other in norm_text for other in (aliases or {}).get(token, ()))
    return row_unit(text) in kinds or any(q.measure in kinds for q in find_quantities(norm_text))

def _year_not_given(norm_question: str, years: list[int], text: str, clauses: list[Clause],
                    period_ends: list[int]) -> int | None:
    """A year the question asks a figure for, while the chosen sentences give figures for
    other years only (2023年实现值 … 2026年目标值 answers neither 2024 nor 2025)."""
    stated = {int(y) for y in YEAR.findall(normalize(text))}
    context = "".join(normalize(" ".join(c.path) + c.text) for c in clauses)
    if not stated:
        # A figure with no year of its own is a target for the year its heading or clause
        # names, else for the end of the plan's period (到2026年 … 210家 does not answer 2025).
        stated = {int(y) for y in YEAR.findall(context)} | {end for end in period_ends}
        if not stated:
            return None
        context = ""
    asked = [y for y in years if not re.search(fr"{y}\s*年?\S{{0,3}}{ISSUED}", norm_question)]
    return next((y for y in asked if y not in stated and f"{y}" not in context), None)


def unanswered_figure(query: Query, picks: list[tuple[str, Hit]], index: Index) -> str:
    """A question for a figure (or a date) that the chosen sentences do not give is not answered by them."""
    text = "".join(sentence for sentence, _ in picks)
    if _ASKS_MONEY.search(query.norm) and not _MONEY.search(_without_unasked_penalties(query, normalize(text))):
        return "文档未给出该金额。"
    if query.intent == "date" and not STATES_TIME.search(normalize(text)) and not (
            (measures := asked_measures(query.norm)) and states_measure(text, measures)):  # 期限 … 十五年
        return "文档未给出具体时间。"
    if ASKS_ADDRESS.search(query.norm) and not ADDRESS.search(normalize(text)):
        return "文档未给出具体地点。"
    if ASKS_LEVEL.search(query.norm) and not LEVEL.search(normalize(text)):
        return "文档未给出所问的级别。"
    if lacks_asked_quantity(query, normalize(text), picks) or _counts_another_thing(query, picks):
        return "文档未给出所问的数值。"
    if query.intent != "figure":
        return ""
    if not any(states_number(normalize(sentence)) for sentence, _ in picks):  # 二十年 is a number too
        return "文档未给出具体数值。"
    ends = [index.documents[hit.clause.doc_id].period[1] for _, hit in picks
            if index.documents[hit.clause.doc_id].period]
    year = _year_not_given(query.norm, query.scope.years, text, [hit.clause for _, hit in picks], ends)
    return f"文档未给出 {year} 年的数值。" if year else ""


def _names_thing(word: str, flag: str) -> bool:
    """A noun of two characters or more (a domain term added to jieba has no part of speech: x)."""
    return len(word) > 1 and (flag[:1] == "n" or flag == "x" and re.fullmatch(r"[\u4e00-\u9fff]+", word) is not None)


def _counts_another_thing(query: Query, picks: list[tuple[str, Hit]]) -> bool:
    """A count asked by the general classifier 个 of a named thing (分几个阶段, 多少个工作站) is of that
    thing: text that names it nowhere (nor under its headings) counts something else (750人)."""
    if asked_measures(query.norm) - COUNT_MEASURES:  # 印“驰名商标”几个字会被罚多少 asks a fine
        return False
    words = tagged(query.norm)
    counters = ["".join(w for w, _ in words[max(0, at - 1):at + 1]) if word == "个" else word
                for at, (word, _) in enumerate(words)]  # 多少|个 as jieba cuts it
    thing = next((word for counter, (word, flag) in zip(counters, words[1:])
                  if _COUNTED.fullmatch(counter) and _names_thing(word, flag)), None)
    if not thing:
        return False
    said = normalize("".join(sentence + " ".join(hit.clause.path) for sentence, hit in picks))
    return not holds(thing, said, aliases=query.aliases)


def other_kind(query: Query, picks: list[tuple[str, Hit]], corpus_text: str) -> tuple[str, str] | None:
    """A kind of thing the question names, and the corpus names too, that the answer does not speak
    of: the answer holds the thing under a modifier of its own, and its clauses nowhere the
    question's (驰名商标 asked, 注册商标的有效期 quoted) → (what the text names, what was asked).
    A modifier that shares a character with the question's may be another form of it (监管部门,
    监督检查部门): no contrast."""
    quoted = normalize("".join(sentence for sentence, _ in picks))
    context = "".join(normalize(" ".join(hit.clause.path) + hit.clause.text) for _, hit in picks)
    for modifier, thing in named_kinds(query.norm, query.tokens):
        if holds(modifier, context, aliases=query.aliases) or thing not in quoted \
                or modifier + thing not in corpus_text:
            continue
        other = next((m for m in _modifiers_of(thing, quoted) if not set(m) & set(modifier)), None)
        if other:
            return other + thing, modifier + thing
    return None


def quantity_of_other_kind(query: Query, picks: list[tuple[str, Hit]], corpus_text: str) -> tuple[str, str] | None:
    """For a question asking a quantity (多少年), the kind of thing the quoted quantities are of when
    every sentence stating one speaks of another kind than the question's: 国家秘密的保密期限…三十年
    does not say how long 商业秘密 are kept secret, whatever else the answer quotes."""
    if not asked_measures(query.norm):
        return None
    stating = [pick for pick in picks if not lacks_asked_quantity(query, normalize(pick[0]), [pick])]
    kinds = [other_kind(query, [pick], corpus_text) for pick in stating]
    return kinds[0] if kinds and all(kinds) else None


def measured_elsewhere(query: Query, picks: list[tuple[str, Hit]], index: Index) -> str:
    """Why the quoted figures do not answer, when every sentence stating a quantity of the measure
    asked gives it for another thing than the question's (see measured.other_thing_measured), or for
    the thing asked but of another owner (see `_of_another_owner`)."""
    measures = asked_measures(query.norm)
    asked = [w for w in asked_of(query.norm) if w in query.known] if measures else []
    stating = [(sentence, hit) for sentence, hit in picks if states_measure(sentence, measures)]
    if not asked or not stating:
        return ""
    found = [_other_thing(query, asked, sentence, hit, measures)
             or _of_another_owner(query, asked, sentence, hit, measures, index) for sentence, hit in stating]
    if not all(found):
        return ""
    given, wanted = found[0]
    return f"文档给出的是“{given}”的数值，不是问题所问“{wanted}”的。"


def _other_thing(query: Query, asked: list[str], sentence: str, hit: Hit,
                 measures: frozenset[str]) -> tuple[str, str] | None:
    """The other thing a quoted sentence's quantities measure than the one asked, if they do."""
    norm = normalize(sentence)
    context = normalize(" ".join(hit.clause.path) + hit.clause.text)
    return other_thing_measured(asked, figure_of(norm, measures), query.norm, norm, context,
                                held=lambda word, text: holds(word, text, aliases=query.aliases))


def _of_another_owner(query: Query, asked: list[str], sentence: str, hit: Hit, measures: frozenset[str],
                      index: Index) -> tuple[str, str] | None:
    """A sentence giving the quantity of the very thing asked (注册资本) in a clause that names nothing
    else the question does (证券公司…注册资本最低限额为人民币五千万元, asked of 数据交易中介机构) gives
    another owner's: (the thing, the question's owner and thing). Only where a genre states a figure in
    the clause of its subject (an article); a plan's figure may stand in a table apart from its words."""
    if GENRES[index.documents[hit.clause.doc_id].genre].figures_apart:
        return None
    named = owner_words(query.norm, asked)
    owners = [w for w in named if w in query.known]  # a word no document has is held by no clause
    norm = normalize(sentence)
    same = measures_asked_thing(asked, figure_of(norm, measures))
    things = [w for w in asked if w not in GENERIC_QUANTITIES]
    # figures naming nothing of their own are of the thing asked when the sentence names it
    of_asked = same or same is None and things and all(holds(w, norm, aliases=query.aliases) for w in things)
    context = normalize(" ".join(hit.clause.path) + hit.clause.text)
    if not owners or not of_asked or any(holds(w, context, aliases=query.aliases) for w in owners):
        return None
    return "".join(things), "".join(named) + "".join(things)
