"""Whether a statement says the opposite of a rule: may where the rule says must not, 视为 where it says 不视为.

A law turns on its modal words. 可以申请撤销 and 不得申请撤销 share every other character, so a statement
that flips one reads as well covered by the clause it contradicts; a phrase-by-phrase comparison of what each
side allows, requires or forbids catches it. Only phrases that say the same thing apart from those words are
compared, so an exception stated in another phrase of the clause (…不得…；但是…可以…) is not taken for the rule.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .numerals import context_similarity

# What a phrase says of an act: forbidden, allowed, required or not; granted or withheld (予以 / 不予).
MODALS = {
    "forbidden": ("不得", "禁止", "严禁", "不准", "不许", "不能", "不可以", "无权"),
    "allowed": ("可以", "有权", "允许", "能够"),
    "required": ("应当", "必须"),
    "not required": ("无须", "无需", "不必", "不需要", "不用"),
    "granted": ("予以",),
    "withheld": ("不予",),
}
# Modalities no rule can state at once of the same act (可以 and 应当 differ in strength, not in sense).
OPPOSED = {frozenset({"forbidden", "allowed"}), frozenset({"forbidden", "required"}),
           frozenset({"required", "not required"}), frozenset({"granted", "withheld"})}
_MODAL = re.compile("|".join(sorted((w for words in MODALS.values() for w in words), key=len, reverse=True)))
_CLASS = {word: kind for kind, words in MODALS.items() for word in words}
# A negated act: 不视为, 不予, 未经 — the negator and the two characters it negates.
_NEGATED = re.compile(r"(?<![不未])[不未](?=([\u4e00-\u9fff]{2}))")
_PHRASE = re.compile(r"[,，。;；:：!?！？\n]")
# Phrases this alike, their modal words and negators masked, say the same thing of the same act
# (a Dice midpoint of character pairs, as for figures: not fitted).
MIN_PHRASE_SIMILARITY = 0.5


class Opposition(NamedTuple):
    stated: str      # the statement's phrase
    ruled: str       # the clause's phrase saying the opposite


def opposed_phrases(norm_statement: str, evidence_text: str) -> list[Opposition]:
    """Each phrase of the statement whose most alike phrase in the evidence says the opposite of the same act.
    Of phrases equally alike, the one whose condition (the phrase before it) is most like the statement's is
    its counterpart, then one that agrees."""
    ruled = [p for p in _PHRASE.split(evidence_text) if p]
    stated = [p for p in _PHRASE.split(norm_statement) if p]
    found = []
    for n, phrase in enumerate(stated):
        condition = _masked(stated[n - 1]) if n else ""
        scored = [(context_similarity(_masked(phrase), _masked(other)),
                   context_similarity(condition, _masked(ruled[m - 1])) if n and m else 0.0,
                   not _opposed(phrase, other), other) for m, other in enumerate(ruled)]
        if not scored:
            break
        similarity, _, agrees, closest = max(scored)
        if similarity >= MIN_PHRASE_SIMILARITY and not agrees:
            found.append(Opposition(phrase, closest))
    return found


def _opposed(phrase: str, other: str) -> bool:
    kinds = {_modality(phrase), _modality(other)}
    return frozenset(kinds) in OPPOSED or _negated_acts(phrase, other) or _negated_acts(other, phrase)


def _modality(phrase: str) -> str | None:
    found = _MODAL.search(phrase)
    return _CLASS[found.group(0)] if found else None


def _negated_acts(phrase: str, other: str) -> bool:
    """`phrase` negates an act that `other` states plainly (不视为侵权 / 视为侵权)."""
    for negation in _NEGATED.finditer(phrase):
        act = negation.group(1)
        if _MODAL.match(phrase, negation.start()):
            continue  # 不得, 不能: a modal word, judged as such
        plain = [m.start() for m in re.finditer(re.escape(act), other)]
        if plain and all(start == 0 or other[start - 1] not in "不未" for start in plain):
            return True
    return False


def _masked(phrase: str) -> str:
    return _NEGATED.sub("", _MODAL.sub("", phrase))
