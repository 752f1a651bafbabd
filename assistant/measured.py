"""What a quantity is of: the thing a question asks a quantity of, and the thing a figure of a
sentence measures.

损失金额 is asked in 要达到多少损失金额 and 罚款 is measured in 处十万元以上一百万元以下的罚款; 有效期
of 备案 is asked in 备案有效期是几年 and 有效期 of 注册商标 measured in 注册商标的有效期为十年. Both are
read from the words written next to the quantity (jieba's parts of speech): the nouns right after
it, or else the nouns before the verb that gives it (…为十年, …是多少, …至少要多少). A question's
own quantity words (金额, 比例, 数额) only say that a quantity is asked, not of what.
"""
from __future__ import annotations

import re

from .numerals import find_quantities
from .questions import question_words, tagged

# The words of a question that ask for a quantity, and its measure right after them.
_ASKING = re.compile(r"^(?:多少|多长|多久|几|多长时间|多大|多高|多少钱)$|^几\S$|^多少\S$|^[百千万]分之(?:几|多少)$")
# A fraction's denominator, asked with the asking word after it (百分之多少 asks a percentage).
_FRACTION = re.compile(r"^[百千万]分之$")
# Words that name a quantity in general, of whatever thing the words around them name.
GENERIC_QUANTITIES = frozenset({"金额", "数额", "数量", "数目", "规模", "比例", "比率", "占比", "百分比", "钱",
                                "多少", "时间", "时长", "期间", "额度", "标准", "上限", "下限", "幅度", "人数",
                                "总数", "总额", "总量", "数", "量", "次数", "件数", "个数", "数值", "值", "限额",
                                "最低限额", "最高限额"})
# The currency written before an amount belongs to it (注册资本最低限额为人民币五千万元), naming no thing.
_CURRENCIES = frozenset({"人民币", "美元", "欧元", "港币", "港元", "外币"})
# What may stand between a quantity and the words before it that name what it is of: adverbs
# (至少, 最多, 一共) and the closed class of copulas and modal verbs that give a quantity (为, 是, 达到,
# 要, 能). A verb of content (培养, 罚) ends the search: 培养多少名 asks a count of what follows.
_LINKING_FLAGS = ("d", "p", "c", "u")
_LINKING_VERBS = frozenset({"是", "为", "有", "达", "达到", "要", "能", "可", "可以", "会", "需", "需要", "应",
                            "应当", "须", "必须", "不得", "不", "超过", "不超过", "不少于", "不低于", "不高于"})
MAX_LINK_WORDS = 3
# What continues a quantity after it: a range's bounds, a second figure, an approximation.
_CONTINUES = re.compile(r"^(?:以上|以下|以内|之内|内|左右|多|余|至|到|或者|或|-|~|～|[\d.%‰]+\S{0,3})$")
_QUANTITY_FLAGS = ("m", "q", "mq")
# A share names its base after a verb of share and its part before that verb: 专利占注册资本的百分之多少
# asks the share of 专利; 公积金累计额达到公司注册资本50% gives the share of 公积金累计额.
_SHARE_VERBS = frozenset({"占", "占到", "达到", "达", "超过", "不超过", "不得超过", "低于", "不低于", "高于",
                          "不高于", "不少于"})
_SHARE_WORDS = frozenset({"比例", "比重", "占比", "百分比", "比率"})
_SHARE_MEASURES = frozenset({"%", "‰"})


def _is_noun(word: str, flag: str) -> bool:
    return (flag[:1] == "n" and flag != "nr" or flag in ("vn", "j", "l")) \
        and re.fullmatch(r"[\u4e00-\u9fff]+", word) is not None


def _nouns_after(words: list[tuple[str, str]]) -> list[str]:
    """The run of nouns that opens the words after a quantity (…以下的罚款 → 罚款; after 的, a verb
    names a thing too: …以下的赔偿)."""
    nouns, joined = [], False
    for word, flag in words:
        if not nouns and (word == "的" or _CONTINUES.match(word) or flag in _QUANTITY_FLAGS):
            joined = joined or word == "的"
            continue
        if _is_noun(word, flag) or (joined and not nouns and flag == "v" and len(word) > 1):
            nouns.append(word)
        else:
            break
    return nouns


def _nouns_before(words: list[tuple[str, str]]) -> list[str]:
    """The run of nouns (joined by one 的) before the verb that gives a quantity (注册商标的有效期为 →
    注册商标, 有效期), read backwards from the quantity."""
    nouns: list[str] = []
    linked, joined = 0, False
    for at in range(len(words) - 1, -1, -1):
        word, flag = words[at]
        if at and words[at - 1][1] == "m":
            break  # a noun after a number is what it counts (第四十三条), not what names the thing
        if not nouns and not linked and word in _CURRENCIES:
            continue
        # before 的, a verb names which one too (续展注册的有效期)
        if _is_noun(word, flag) or (joined and flag[:1] == "v" and len(word) > 1):
            nouns.insert(0, word)
        elif nouns and word == "的" and not joined:
            joined = True
        elif not nouns and _links(word, flag) and linked < MAX_LINK_WORDS:
            linked += 1
        else:
            break
    return nouns


def _share_part(words: list[tuple[str, str]]) -> list[str]:
    """The part a share is of, when the words before it end with its base after a verb of share (…占
    注册资本的 → the nouns before 占); empty otherwise."""
    at = len(words)
    while at and (words[at - 1][0] == "的" or words[at - 1][0] in _SHARE_WORDS or _links(*words[at - 1])):
        at -= 1
    base_end = at
    while at and _is_noun(*words[at - 1]):
        at -= 1
    if at == base_end or at == 0 or words[at - 1][0] not in _SHARE_VERBS:
        return []
    return _nouns_before(words[:at - 1])


def _links(word: str, flag: str) -> bool:
    return flag[:1] in _LINKING_FLAGS or word in _LINKING_VERBS


def _words_with_offsets(norm: str) -> list[tuple[int, int, str, str]]:
    found, at = [], 0
    for word, flag in tagged(norm):
        found.append((at, at + len(word), word, flag))
        at += len(word)
    return found


def asked_of(norm_question: str) -> list[str]:
    """The words naming what the question asks a quantity of, in the question's order: those after
    its asking word (多少损失金额), else those before it (备案有效期是几年)."""
    words = [(w, f) for _, _, w, f in _words_with_offsets(norm_question)]
    asking = [i for i, (word, _) in enumerate(words) if _ASKING.match(word)]
    if not asking:
        return []
    at = asking[-1]  # 几个字会被罚多少: the last asks what is wanted, an earlier one is a condition
    before = at - 1 if at and _FRACTION.match(words[at - 1][0]) else at  # 占注册资本的百分之多少
    leading = _phrase(words[:before], backwards=True)
    nouns = _nouns_after(_phrase(words[at + 1:])) or _nouns_before(leading)
    fraction = before != at or "分之" in words[at][0]   # 百分之|多少, or 百分之几 as one word
    part = _share_part(leading) if fraction or nouns and nouns[-1] in _SHARE_WORDS else []
    return [n for n in (part or nouns) if n not in question_words()]


def owner_words(norm_question: str, asked: list[str]) -> list[str]:
    """The nouns a question names beside the thing it asks a quantity of: whose quantity it asks
    (开一家数据交易中介机构需要多少注册资本 → 数据, 交易, 中介机构). Verbal nouns (培育) are what is done."""
    return [word for word, flag in tagged(norm_question)
            if (flag[:1] == "n" and flag not in ("nr", "vn") or flag == "x") and len(word) > 1
            and re.fullmatch(r"[\u4e00-\u9fff]+", word) and word not in asked
            and word not in GENERIC_QUANTITIES and word not in question_words()]


def figure_of(norm_sentence: str, measures: frozenset[str]) -> list[list[str]]:
    """For each quantity of the given measures in a sentence, the words naming what it measures
    (十万元以上一百万元以下的罚款 → 罚款; 注册商标的有效期为十年 → 注册商标, 有效期); empty when the
    words next to it name nothing (自申请日起十二个月内)."""
    words = _words_with_offsets(norm_sentence)
    kinds = []
    for quantity in find_quantities(norm_sentence):
        if quantity.measure not in measures:
            continue
        # The phrase of the quantity only: what stands across a comma is another statement.
        after = [(w, f) for start, _, w, f in words if start >= quantity.end]
        before = [(w, f) for _, end, w, f in words if end <= quantity.start]
        leading = _phrase(before, backwards=True)
        share = _share_part(leading) if quantity.measure in _SHARE_MEASURES else []
        kinds.append(share or _nouns_after(_phrase(after)) or _nouns_before(leading))
    return kinds


def _phrase(words: list[tuple[str, str]], backwards: bool = False) -> list[tuple[str, str]]:
    """The words up to the nearest punctuation, on the side of the quantity."""
    ordered = list(reversed(words)) if backwards else words
    kept = []
    for word, flag in ordered:
        if flag == "x" and not re.fullmatch(r"[\d.%‰-]+", word):
            break
        kept.append((word, flag))
    return list(reversed(kept)) if backwards else kept


def other_thing_measured(asked: list[str], figures: list[list[str]], norm_question: str, norm_sentence: str,
                         norm_context: str, held=lambda word, text: word in text) -> tuple[str, str] | None:
    """Whether a sentence's figures measure another thing than the one the question asks a quantity
    of → (what the figure measures, what was asked), else None. Another thing: the sentence holds
    none of the words the question attaches to its quantity, while its figure names a thing of its
    own the question does not (损失金额 asked, 罚款 quoted). Another kind of the same thing: the
    figure's thing is the one asked (or shares a character with it, as 期限 and 保护期 do), but the
    words naming which one differ and the cited text nowhere holds the question's (备案有效期 asked,
    注册商标的有效期 quoted). Figures whose words name nothing are not judged: no contrast. Generic
    quantity words (金额, 比例, 人数) say that a quantity is asked or given, not of what."""
    named = [words for words in figures if words and words[-1] not in GENERIC_QUANTITIES]
    wanted, asked = "".join(asked), [word for word in asked if word not in GENERIC_QUANTITIES]
    if not asked or not named or len(named) < len([w for w in figures if w]):
        return None
    head, modifiers = asked[-1], asked[:-1]
    contrasts = []
    for words in named:
        figure_head, figure_modifiers = words[-1], words[:-1]
        if not set(figure_head) & set(head):
            if figure_head in norm_question or any(held(word, norm_sentence) for word in asked):
                return None
            contrasts.append(("".join(words), wanted))
            continue
        own = [m for m in figure_modifiers if m not in norm_question and not set(m) & set("".join(modifiers))]
        if not modifiers or any(held(m, norm_context) for m in modifiers) or not own:
            return None
        contrasts.append(("".join(words), wanted))
    return contrasts[0] if contrasts else None


def measures_asked_thing(asked: list[str], figures: list[list[str]]) -> bool | None:
    """Whether one of a sentence's figures is of the thing the question asks a quantity of: the word
    naming what the figure measures shares a character with the asked one (外观设计专利权的期限为十五年
    for 保护期多长, as 期限 and 保护期 share 期; not 自…提出专利申请之日起六个月内). None when the question
    names no thing of its own (保护多少年) or the figures name nothing: nothing to tell apart."""
    asked = [word for word in asked if word not in GENERIC_QUANTITIES]
    named = [words[-1] for words in figures if words and words[-1] not in GENERIC_QUANTITIES]
    if not asked or not named:
        return None
    return any(set(head) & set(asked[-1]) for head in named)
