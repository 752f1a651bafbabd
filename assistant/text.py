"""Chinese text handling shared by every stage: search normalisation, sentences, tokens.

Search works on normalised text (NFKC, traditional→simplified, no stray white
space between Chinese characters); what users see is always the original.
"""
from __future__ import annotations

import collections
import functools
import re
import unicodedata
from importlib import resources

from .numerals import to_arabic, to_arabic_with_offsets

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}，。、；：？！（）《》“”])\s+(?=[{_CJK}，。、；：？！（）《》“”\d])|(?<=[{_CJK}\d])\s+(?=[{_CJK}])")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")
# A thin space typeset inside a number (1.\u20092元 for 1.2元, as some law texts write a table's decimals).
_THIN_SPACE_IN_NUMBER = re.compile(r"(?<=[\d.])[\u2009\u202f](?=\d)")
_WORD = re.compile(rf"[{_CJK}]|[a-z0-9]")


@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@functools.lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    return _s2t().convert(text)


@functools.lru_cache(maxsize=32768)  # an answer normalises the same clauses' sentences over and over
def normalize(text: str) -> str:
    """The form all matching is done on; never shown to users. Chinese-numeral quantities
    become Arabic (十五日 → 15日) so that a law and a plan or a question compare as numbers."""
    text = unicodedata.normalize("NFKC", _THIN_SPACE_IN_NUMBER.sub("", text))
    text = to_simplified(text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return to_arabic(text.lower())


@functools.lru_cache(maxsize=None)
def _char_form(ch: str) -> str:
    """NFKC and lower case of one character (a few thousand distinct ones in a corpus)."""
    return unicodedata.normalize("NFKC", ch).lower()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise character by character, returning for each output character the
    index of the original character it came from (to highlight matches in the
    original text)."""
    forms = [(i, _char_form(ch)) for i, ch in enumerate(text) if not ch.isspace()]
    flat = "".join(form for _, form in forms)
    origin = [i for i, form in forms for _ in form]
    simplified = to_simplified(flat)
    if len(simplified) != len(flat):  # a phrase conversion changed length: go char by char
        simplified = "".join(to_simplified(c) for c in flat)
    arabic, from_simplified = to_arabic_with_offsets(simplified)
    return arabic, [origin[i] for i in from_simplified]


def split_sentences(text: str) -> list[str]:
    """Split on 。！？； and line breaks, keeping the punctuation with its sentence."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def has_chinese(text: str) -> bool:
    return re.search(rf"[{_CJK}]", text) is not None


def word_list(name: str) -> frozenset[str]:
    """The normalised words of a file in assistant/data."""
    return frozenset(normalize(w) for w in " ".join(data_lines(name)).split())


@functools.lru_cache(maxsize=1)
def known_places() -> tuple[str, ...]:
    """Chinese provinces, cities and districts, longest first, to spot places in a text."""
    return tuple(sorted(word_list("places.txt"), key=len, reverse=True))


@functools.lru_cache(maxsize=8192)  # asked for every document on every question
def place_key(region: str | None) -> str | None:
    """The short form of a region that texts use to name it: 徐汇区 → 徐汇, 浦东新区 → 浦东."""
    if not region:
        return None
    key = re.sub(r"(新区|区|市|县)$", "", normalize(region))
    return key if len(key) >= 2 else normalize(region)


def data_lines(name: str) -> list[str]:
    """The lines of a file in assistant/data, stripped, without blank lines and comments (#)."""
    data = resources.files("assistant").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in data.splitlines() if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for line in data_lines("terms.txt"):
        word, *rest = line.rsplit(" ", 2) if line.count(" ") >= 2 else (line,)
        jieba.add_word(normalize(word), freq=int(rest[0]) if rest else None)
    return jieba


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(data_lines("stopwords.txt"))


def tokenize(text: str) -> list[str]:
    """Search tokens of already-normalised text: jieba's search mode (words and
    their sub-words), minus stop words and punctuation."""
    stop = stopwords()
    return [t for t in _jieba().cut_for_search(text) if _WORD.search(t) and t not in stop]


def words(norm: str) -> list[str]:
    """The words of already-normalised text as jieba cuts it (no sub-words), without stop
    words, punctuation and single characters: what a phrase says, each thing once."""
    stop = stopwords()
    return [w for w in _jieba().lcut(norm) if len(w) > 1 and _WORD.search(w) and w not in stop]


def abbreviation_forms(token: str, corpus: str) -> tuple[str, ...]:
    """The full form a corpus writes a two-character abbreviation in: two words, each opening with
    one of its characters (营收 → 营业收入, 审协 → 审查协作, 专代 → 专利代理), as Chinese shortens a
    compound. The corpus's most frequent such form, when it occurs twice or more and makes at least
    half of them; none otherwise (a form met once may be two words meeting by chance)."""
    if not re.fullmatch("[\u4e00-\u9fff]{2}", token):
        return ()
    jieba = _jieba()
    forms = collections.Counter(re.findall(f"{token[0]}[\u4e00-\u9fff]{token[1]}[\u4e00-\u9fff]", corpus))
    words = [(form, n) for form, n in forms.most_common() if jieba.get_FREQ(form[:2]) and jieba.get_FREQ(form[2:])]
    if not words or words[0][1] < 2 or 2 * words[0][1] < sum(n for _, n in words):
        return ()
    return (words[0][0],)


def straddling_subwords(norm: str) -> set[str]:
    """Sub-words that jieba's search mode finds across the join of two parts of a longer word
    that its sub-words tile (律法 in 法律|法规, 华人 in 中华|人民|共和国): dictionary words the
    text does not say, which would demand a phrase it lacks. A word its sub-words do not tile
    is left alone (高价值 is 高|价值 as much as 高价|值)."""
    spans = list(_jieba().tokenize(norm, mode="search"))
    whole = [(a, b) for _, a, b in spans if not any(a2 <= a and b <= b2 and (a2, b2) != (a, b) for _, a2, b2 in spans)]
    crossing, said = set(), set()
    for start, end in whole:
        inside = [(w, a, b) for w, a, b in spans if start <= a and b <= end and (a, b) != (start, end)]
        joins, at = set(), start
        while at < end:   # the word's parts, longest first from the left
            part = max((b for _, a, b in inside if a == at), default=None)
            if part is None:
                break
            joins.add(part)
            at = part
        if at < end:
            continue
        for word, a, b in inside:
            (crossing if any(a < j < b for j in joins) else said).add(word)
    said |= {w for w, a, b in spans if (a, b) in whole}
    return crossing - said


def add_terms(words) -> None:
    """Teach the tokenizer extra domain words (e.g. from a glossary)."""
    jieba = _jieba()
    for word in words:
        jieba.add_word(normalize(word))


_DEFINITION_ASKED = (
    re.compile(r"(?:什么(?:叫|是)|何谓)[“\"]?(?P<term>[^？?，,。“”\"]{2,14}?)[”\"]?(?:[？?，,。]|$)"),
    re.compile(r"[“\"]?(?P<term>[^？?，,。“”\"]{2,14}?)[”\"]?(?:是指什么|指的是什么|是什么意思|什么意思|是什么权利|的定义|的含义|指什么"
               r"|(?:是|被)?(?:怎么|怎样|如何)(?:定义|界定))"),
)


# Asking for a street or an address, which the text gives as …路/街 (漕溪北路, 漕宝路 650 号).
ASKS_ADDRESS = re.compile(r"哪条(?:路|街|马路|大街)|什么(?:路|街)|地址|门牌")
# A road's name ends in 路 after its own characters; words of general Chinese end in it too (一带一路, 思路,
# 道路, 线路, 出路 …), and 街道 is an office, not a street.
ADDRESS = re.compile(r"(?<!一带)[^\W\d_一思道出线铁公网套门老新弯之歧](?:路(?!径|线|演)|街(?!道)|大道|巷)")
# Asking at which level of government or courts (哪一级法院, 什么级别), which the text gives as a level
# (中级人民法院, 省级, 县级以上, 设区的市).
ASKS_LEVEL = re.compile(r"哪一?级(?!别)|(?:什么|哪个)级别|(?:哪个|哪一)层级")
LEVEL = re.compile(r"(?:国家|省|市|县|区|乡|镇|地市|厅|部)级|基层|中级|高级|最高|省、自治区、直辖市|设区的市")


# 集体商标和证明商标有什么不同: the difference of two terms is in what each of them means.
_DIFFERENCE_ASKED = re.compile(r"(?P<a>[^？?，,。、和与跟及的]{2,12}?)(?:和|与|跟|同)(?P<b>[^？?，,。、和与跟及的在对]{2,12}?)"
                               r"(?:之间)?(?:的|有)?(?:什么|何|哪些)?(?:不同|区别|差别|差异|异同)")
_ASKING_LEAD = re.compile(r"^(?:请问|想问一下|想问|我想知道|问一下)")


def defined_terms(norm_question: str) -> tuple[str, ...]:
    """The terms whose definitions a question asks for: one (地理标志是什么意思 → 地理标志; the
    quoted one when the question quotes it), or two whose difference it asks (集体商标和证明商标
    有什么不同 → 集体商标, 证明商标)."""
    for pattern in _DEFINITION_ASKED:
        m = pattern.search(norm_question)
        if m:
            quoted = re.findall(r"[“\"]([^“”\"]{2,14})[”\"]", norm_question)
            term = quoted[-1] if quoted else re.split(r"的|说", m["term"])[-1]
            return (term,) if term else ()
    m = _DIFFERENCE_ASKED.search(norm_question)
    return (_ASKING_LEAD.sub("", m["a"]), m["b"]) if m else ()


def defines(norm_text: str, term: str) -> bool:
    """The text states what the term means (实用新型,是指…; 本法所称商业秘密,是指…; …即…), not what a
    longer term beginning with it means (电子签名人,是指… does not define 电子签名); or, opening a sentence,
    says what kind of thing it is and how it differs (技术许可合同是…许可他人实施、使用所订立的合同)."""
    t = re.escape(term)
    return re.search(t + r"(?:[^。;\u4e00-\u9fff][^。;]{0,3}?)?(?:是指|指的是|,即)", norm_text) is not None or \
        re.search(rf"(?:^|[。;])\s*(?:第\d+条\s*)?{t}是(?!否)[^。;]*的[^。;]{{0,6}}?{re.escape(term[-2:])}(?:[。;]|$)", norm_text) is not None


@functools.lru_cache(maxsize=4096)
def _word_starts(name: str) -> tuple[int, ...]:
    """Where the words of a name start, its words' words included (电子商务 → 电子, 商务: 0, 2)."""
    return tuple(sorted({start for _, start, _ in _jieba().tokenize(name, mode="search")}))


def abbreviates(letters: str, name: str) -> bool:
    """Whether the letters are the first characters of words of the name, in its order, the first its
    first, the last maybe its last character (民诉 of 民事诉讼, 保密 of 保守国家秘密; not 国际 of
    国际刑事司法协助)."""
    return _word_initials(letters, name) or (
        len(letters) > 1 and letters[-1] == name[-1] and _word_initials(letters[:-1], name))


def _word_initials(letters: str, name: str) -> bool:
    starts = iter(_word_starts(name))
    if not letters or not name.startswith(letters[0]) or next(starts, None) != 0:
        return False
    return all(any(name[start] == char for start in starts) for char in letters[1:])
