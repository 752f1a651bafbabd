"""Whether a statement says the opposite of a rule: may where the rule says must not, 视为 where it says 不视为.

A law turns on its modal words. 可以申请撤销 and 不得申请撤销 share every other character, so a statement
that flips one reads as well covered by the clause it contradicts; a phrase-by-phrase comparison of what each
side allows, requires or forbids catches it. Only phrases that say the same thing apart from those words are
compared, so an exception stated in another phrase of the clause (…不得…；但是…可以…) is not taken for the rule.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache
from collections import Counter
from itertools import accumulate
from typing import NamedTuple

from .numerals import context_similarity
from .text import _jieba

# What a phrase says of an act: forbidden, allowed, required or not; granted or withheld (予以 / 不予).
MODALS = {
    "forbidden": ("不得", "禁止", "严禁", "不准", "不许", "不能", "不可以", "无权"),
    "allowed": ("可以", "有权", "允许", "能够"),
    "required": ("应当", "必须"),
    "not required": ("无须", "无需", "不必", "不需要", "不用", "可以不"),
    "granted": ("予以",),
    "withheld": ("不予",),
    # what a plan does about a thing: favours it or holds it back
    "encouraged": ("鼓励", "支持", "扶持"),
    "restricted": ("限制", "严控"),
}
# Modalities no rule can state at once of the same act (可以 and 应当 differ in strength, not in sense).
OPPOSED = {frozenset({"forbidden", "allowed"}), frozenset({"forbidden", "required"}),
           frozenset({"required", "not required"}), frozenset({"granted", "withheld"}),
           frozenset({"encouraged", "restricted"}), frozenset({"encouraged", "forbidden"})}
_MODAL = re.compile("|".join(sorted((w for words in MODALS.values() for w in words), key=len, reverse=True)))
_CLASS = {word: kind for kind, words in MODALS.items() for word in words}
# A negated act: 不视为, 不予, 未经, 没有收到 — the negator and the two characters it negates.
_NEGATED = re.compile(r"(?<![不未没])(?:没有|[不未])(?=([\u4e00-\u9fff]{2}))")
_NEGATOR_BEFORE = re.compile(r"(?:没有|[不未])$")
_PHRASE = re.compile(r"[,，。;；:：!?！？\n]")
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")
# Last characters of words naming a kind of thing: a person, a day or term, a body, a right, a fee, a paper,
# a law, a product, a work. Two words before the same one name two things of that kind.
THING_HEADS = frozenset("人员日期年月局院会部门关构权费金书证法品物作")
MAX_SWAPPED_CHARS = 4
# Phrases this alike, their modal words and negators masked, say the same thing of the same act
# (a Dice midpoint of character pairs, as for figures: not fitted).
MIN_PHRASE_SIMILARITY = 0.5


class Opposition(NamedTuple):
    stated: str      # the statement's phrase
    ruled: str       # the clause's phrase saying the opposite


# A list's lead stating a rule of what follows (下列标志不得作为商标使用：), and the items under it up to the
# sentence's end (search forms run the lines on: …使用:(一)…;(二)…).
_LIST_LEAD = re.compile(r"(?P<lead>[^。；;：:\n]*(?:下列|以下)[^。；;：:\n]*)[：:]\s*(?P<items>\([一二三四五六七八九十\d]{1,4}\)[^。]*)")
_ITEM = re.compile(r"\([一二三四五六七八九十\d]{1,4}\)(?P<text>[^(\n]*)")
_ARTICLE_LABEL = re.compile(r"^第\d+条(?:之\d+)?\s*")


def _items_with_their_rule(evidence_text: str) -> dict[str, str]:
    """Each item of a list whose lead states a rule, read as one phrase with that rule: （一）同中华人民共和国的
    国家名称…相同或者近似的 is not allowed as a trade mark by 下列标志不得作为商标使用, a phrase of its own
    (同中华人民共和国的国家名称…相同或者近似的标志不得作为商标使用) — with the words of the text it is read
    from, the lead and the item, to show."""
    found = {}
    for lead in _LIST_LEAD.finditer(evidence_text):
        rule = next((p for p in _PHRASE.split(lead["lead"]) if p and _modalities(p)), None)
        if rule is None:
            continue
        # 下列标志不得作为商标使用 says of each item: X的标志不得作为商标使用
        named = re.search(rf"(?:下列|以下)(?P<kind>[\u4e00-\u9fff]{{1,6}}?)(?={_MODAL.pattern})", rule)
        said = rule[named.end("kind"):] if named else rule
        kind = named["kind"] if named else ""
        for item in _ITEM.finditer(lead["items"]):
            if words := _PHRASE.split(item["text"])[0]:
                found[f"{words}{kind}{said}"] = f"{_ARTICLE_LABEL.sub('', rule)}：{item.group(0).rstrip(';；,，。')}"
    return found


def opposed_phrases(norm_statement: str, evidence_text: str) -> list[Opposition]:
    """Each phrase of the statement whose most alike phrase in the evidence says the opposite of the same act.
    Of phrases equally alike, the one whose condition (the phrase before it) is most like the statement's is
    its counterpart; when several remain, one that agrees is."""
    read_with_rule = _items_with_their_rule(evidence_text)
    ruled = [p for p in _PHRASE.split(evidence_text) if p] + list(read_with_rule)
    masked = [_masked(p) for p in ruled]
    stated = [p for p in _PHRASE.split(norm_statement) if p]
    found = []
    only_conditions = [_states_condition(p) for p in ruled]
    for n, phrase in enumerate(stated):
        # A phrase stating what may or must be done is compared with those stating a rule, not with a condition
        # of one (可以不提供担保 with 申请人应当提供担保, not with 不提供担保的).
        ruling = bool(_modalities(phrase))
        alike = [0.0 if ruling and condition else context_similarity(_masked(phrase), other)
                 for other, condition in zip(masked, only_conditions)]
        best = max(alike, default=0.0)
        if best < MIN_PHRASE_SIMILARITY:
            continue
        closest = tied = [m for m, similarity in enumerate(alike) if similarity == best]
        if n and len(closest) > 1:
            condition = _masked(stated[n - 1])
            conditions = {m: context_similarity(condition, masked[m - 1]) if m else 0.0 for m in closest}
            closest = [m for m in closest if conditions[m] == max(conditions.values())]
        if all(_opposed(phrase, ruled[m]) for m in closest) and not _said_within(phrase, ruled, closest, tied):
            opposed = max(ruled[m] for m in closest)
            found.append(Opposition(phrase, read_with_rule.get(opposed, opposed)))
    return found


def _states_condition(phrase: str) -> bool:
    """A phrase that only says when a rule applies (不提供担保的): it ends in 的 and has no modal word."""
    return phrase.endswith("的") and not _modalities(phrase)


def _said_within(phrase: str, ruled: list[str], opposed: list[int], alike: list[int]) -> bool:
    """A longer phrase of the evidence says the statement's phrase as it is (法律文书规定履行期间的 inside 从法律文书
    规定履行期间的最后一日起计算), holding as much of it as the opposed phrase does: the phrase is backed there.
    A phrase as alike as the opposed one was weighed against it by its condition (…不得…；但是，为个人学习…可以…)."""
    held = _held_share(_masked(phrase), _masked(ruled[opposed[0]]))
    return any(len(other) > len(phrase) and _held_share(phrase, other) >= held and not _opposed(phrase, other)
               for n, other in enumerate(ruled) if n not in alike)


def _held_share(phrase: str, other: str) -> float:
    """The share of a phrase's character pairs that another phrase holds."""
    pairs = Counter(zip(phrase, phrase[1:]))
    return sum((pairs & Counter(zip(other, other[1:]))).values()) / (sum(pairs.values()) or 1)


def _opposed(phrase: str, other: str) -> bool:
    turned = any(frozenset(pair) in OPPOSED for pair in zip(_modalities(phrase), _modalities(other)))
    return turned or _negated_acts(phrase, other) or _negated_acts(other, phrase)


@lru_cache(maxsize=4096)
def _modalities(phrase: str) -> tuple[str, ...]:
    """The kinds of the phrase's modal words in order (必须不予: required, withheld), each a word of its own
    (所有权人 holds no 有权, 相应当事人 no 应当)."""
    bounds = set(accumulate(map(len, _jieba().lcut(phrase)), initial=0))
    return tuple(_CLASS[m.group(0)] for m in _MODAL.finditer(phrase) if m.start() in bounds and m.end() in bounds)


def _negated_acts(phrase: str, other: str) -> bool:
    """`phrase` negates an act that `other` states plainly (不视为侵权 / 视为侵权), in a part of `phrase` that
    `other` has a counterpart of: a condition only one of them adds (…通用名称或者没有正当理由连续三年不使用的)
    is no negation of the other's act (核定使用的商品)."""
    counterparts = [(start, end) for tag, start, end, _, _ in SequenceMatcher(None, phrase, other, autojunk=False).get_opcodes()
                    if tag in ("equal", "replace")]
    for negation in _NEGATED.finditer(phrase):
        act = negation.group(1)
        if _MODAL.match(phrase, negation.start()):
            continue  # 不得, 不能: a modal word, judged as such
        if not any(a <= negation.end(1) - 1 and negation.start(1) < b for a, b in counterparts):
            continue
        plain = [m.start() for m in re.finditer(re.escape(act), other)]
        if plain and all(not _NEGATOR_BEFORE.search(other, 0, start) for start in plain):
            return True
    return False


def _masked(phrase: str) -> str:
    return _NEGATED.sub("", _MODAL.sub("", phrase))


def swapped_terms(norm_statement: str, evidence_text: str) -> list[Opposition]:
    """Each phrase of the statement that is a phrase of the evidence with one thing put for another of the same
    kind — the words before the same head (自申请日起 / 自公告日起, 发明人 / 设计人, 发明专利权 / 外观设计专利权):
    the phrase says the same of another thing. Other differences (依照 / 按照) may be the user's own wording and
    are left to the coverage test."""
    ruled = [p for p in _PHRASE.split(evidence_text) if p]
    found = []
    for phrase in filter(None, _PHRASE.split(norm_statement)):
        if phrase in ruled:
            continue
        similarity, closest = max(((context_similarity(phrase, other), other) for other in ruled), default=(0.0, ""))
        if similarity >= MIN_PHRASE_SIMILARITY and _another_thing_of_the_same_kind(phrase, closest, evidence_text):
            found.append(Opposition(phrase, closest))
    return found


def _another_thing_of_the_same_kind(phrase: str, other: str, evidence_text: str) -> bool:
    """The phrases differ in one place only, in Chinese words of at most four characters that are no modal
    words (禁止 for 不得 is the same rule), and either a head naming a kind of thing follows within the next
    three characters they share, or the evidence itself names the statement's word with what follows it
    (行业标准是强制性标准, where the clause says 推荐性标准 of them and 强制性标准 of others): two things the
    clause tells apart, paired the wrong way. Prepositions or adverbs put for others (从申请日起 /
    均自申请日起) are the user's wording, not another thing."""
    changes = [op for op in SequenceMatcher(None, phrase, other, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(changes) != 1 or changes[0][0] != "replace":
        return False
    _, i1, i2, j1, j2 = changes[0]
    said, ruled = phrase[i1:i2], other[j1:j2]
    modal_words = _MODAL.search(phrase[max(0, i1 - 2):i2 + 2]) or _MODAL.search(other[max(0, j1 - 2):j2 + 2])
    return (max(len(said), len(ruled)) <= MAX_SWAPPED_CHARS and _CHINESE.fullmatch(said + ruled) is not None
            and not modal_words and (_names_something(said) or _names_something(ruled))
            and (any(c in THING_HEADS for c in phrase[i2:i2 + 3]) or said + phrase[i2:i2 + 2] in evidence_text))


# jieba's tags of proper names: places, people, organisations and other proper nouns.
_NAME_TAGS = frozenset({"ns", "nr", "nz", "nt"})


def swapped_names(norm_statement: str, evidence_text: str) -> list[Opposition]:
    """(the statement's name, the clause's) for each phrase of the statement that is a phrase of the evidence with
    one name put for another — a place, a person, an organisation the phrase does not name where it names
    another (聚焦陆家嘴等重点区域 / 聚焦迪士尼等重点区域; “1商街”在桂平路 where the clause puts 桂平路 in
    another item). Words added or left out around it (浦东方案在…上, 的) are the statement's own wording."""
    ruled = [p for p in _PHRASE.split(evidence_text) if p]
    found = []
    for phrase in filter(None, _PHRASE.split(norm_statement)):
        _, closest = max(((context_similarity(phrase, other), other) for other in ruled), default=(0.0, ""))
        changes = SequenceMatcher(None, phrase, closest, autojunk=False).get_opcodes()
        # how much of the clause's phrase the statement repeats: its own words around it do not count against it
        repeated = sum(j2 - j1 for op, _, _, j1, j2 in changes if op == "equal") / (len(closest) or 1)
        if repeated < MIN_PHRASE_SIMILARITY:
            continue
        swaps = [(said[0], other[0]) for op, i1, i2, j1, j2 in changes if op == "replace"
                 and (said := [n for n in _names_within(phrase, i1, i2) if n not in closest])
                 and (other := [n for n in _names_within(closest, j1, j2) if n not in phrase])]
        if len(swaps) == 1:  # one name put for another; more would be another phrase
            found.append(Opposition(*swaps[0]))
    return found


def _names_within(text: str, start: int, end: int) -> list[str]:
    """The proper names of two or more Chinese characters among the words of a text that overlap [start, end)."""
    import jieba.posseg

    _jieba()
    names, at = [], 0
    for word in jieba.posseg.cut(text):
        if at < end and at + len(word.word) > start and word.flag in _NAME_TAGS \
                and len(word.word) > 1 and _CHINESE.fullmatch(word.word):
            names.append(word.word)
        at += len(word.word)
    return names


# Parts of speech (jieba's tags) of words that name nothing: prepositions, adverbs, conjunctions, particles,
# pronouns, interjections and modal or onomatopoeic words.
_FUNCTION_TAGS = frozenset("pdcuryoe")


def _names_something(text: str) -> bool:
    import jieba.posseg

    _jieba()
    return any(w.flag[0] not in _FUNCTION_TAGS or w.flag == "eng" for w in jieba.posseg.cut(text))
