"""Composition: the answer's sentences, chosen by what the question asks for.

One composer per kind of question (a figure or a general look-up, responsible
units, one line per document, which documents mention a term, the document's
own metadata). Each returns a `Draft`: the sentences to quote, each with the
retrieved clause it comes from, or the reason the retrieved text does not answer.
The answer stage turns a draft into a cited `Answer`.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from itertools import groupby

from .asked import (ASKS_SENTENCE, DIGIT, STATES_TIME, TABLE_ROW, gives_number, holds, measured_elsewhere, of_asked,
                    row_unit, states_measure, unanswered_figure)
from .genres import GENRES, PLAN, Genre
from .index import QUOTED_TITLE, Index
from .lines import heading_of
from .meaning import similarities
from .measured import GENERIC_QUANTITIES, asked_of
from .model import Clause, Document
from .numerals import chinese_numeral, find_quantities, preferred_measures
from .outline import paragraphs, paragraphs_across
from .questions import (ENUMERATES, FIGURE_PATTERN, MEASURE_KINDS, Query, document_parts, heading_core, is_of_kind, outline_of,
                        topic_terms, unit_number)
from .records import adoption_note, chinese_date
from .retrieve import CANDIDATES, Filters, Hit, HybridRetriever
from .targets import extract_targets, group_targets
from .text import ADDRESS, defined_terms, defines, normalize, split_sentences

TOP_CLAUSES = 5
# The line of a document the question names that does not address it (it quotes nothing).
NOT_STATED = "文档中未找到相关内容。"
# 分别/各地 questions: at most this many documents get a line, chosen by the question's best clauses.
MAX_DOCUMENT_LINES = 10
# Sentences of a clause quoted on one document's line: its first (it names the measure) and the
# best others. Chosen on the train split: 2 / 3 / 4 → comparisons right 16 / 17 / 17 of 19, the rest
# unchanged (with 2 a second sentence holding the question's words in passing, 海外留学人才, crowded
# out the one that answers, 设立海外分支机构).
LINE_SENTENCES = 3
# A document's line must hold at least this share of what the best document's line holds of the
# question: a document whose nearest clause holds much less than another's does not treat the
# topic, and says so rather than quote it. Relative, where it was an absolute 0.5 fitted on the
# train split; on that split the two give the same answers, and a paraphrase, which every
# document's line holds little of, still gets its lines.
LINE_SHARE = 0.5
# A document the question names answers it only when the document, anywhere in its text, holds at
# least this share of what the best clause of any document holds (idf-weighted question words):
# 郑州 asked about what only other plans treat (商业秘密) is not answered by 郑州's nearest clause.
# Relative, so that a paraphrase, which every document holds little of, is still answered; the
# whole document, so that words it puts in different clauses still count. Chosen on the train split
# (items and dialogs): the one refusal it must make there is at 0.12 (郑州, 商业秘密), the lowest answered
# answerable item at 0.54; 0.33 is the middle of that gap (0.5 lost a test dialog turn at 0.46).
NAMED_EVIDENCE_SHARE = 0.33
EVIDENCE_CLAUSES = 20  # keyword matches searched for that best clause
# A figure question whose indicator one sentence of some document states whole (it holds at least
# STATED_WHOLE of the question's words) is not answered by a named document's sentence that holds
# less than INDICATOR_SHARE of what that sentence holds: it gives another indicator (每万人口发明专利
# 拥有量 asked of 海曙, whose table gives 高价值发明专利拥有量). Chosen on the train split: the refusal
# it must make there is at 0.61, the answered items whose indicator is stated whole elsewhere at
# 0.88 and above (paraphrases, which no sentence states whole, are not judged).
STATED_WHOLE = 0.9
INDICATOR_SHARE = 0.75
# Kinds answered from the record or the section tree, or a line per document (judged per line).
_NOT_EVIDENCED = ("metadata", "cites", "outline", "topic", "per_document", "targets")

# The group an indicator table's row belongs to, which the table writes before it (高效益贡献加大：…).
_ROW_GROUP = re.compile(r"^(?P<group>[^：:\n]{2,20})[：:]")
_CELL_VALUE = re.compile(r"^(?P<header>.*\S)\s+(?P<value>\S+)$")
# measures: a clause of many sentences is quoted by its first and its best others.
KEY_SENTENCES = 3
MEASURE_SENTENCES = 8  # of the clause that answers a how-question
MAX_MEASURE_CLAUSES = 3
MEASURE_CLAUSE_SHARE = 0.8    # a further clause scores at least this share of the best one
MEASURE_CLAUSE_COVERAGE = 0.5  # and holds at least half of what the question asks about
HEADING_WEIGHT = 1.0
# A word naming the kind of thing asked for (什么专项资金) over the question's others. Not fitted: no
# train item's answer changes with it; any gain above 1 already lets 设立…专项基金 win against sentences
# holding two other question words.
ASKED_THING_GAIN = 2.0
DEFINITION_GAIN = 2.0  # a unit that states what the asked term means (X，是指…) over one that uses it
_REFERS_ELSEWHERE = re.compile(r"根据|依据|按照")
# What a metadata question asks for, field by field.
_METADATA_ASKED = (("文号", re.compile(r"文号|发文字号")),
                   ("印发单位", re.compile(r"单位|部门|机关|谁[^，,。？?]{0,3}?(?:印发|发布|制定|通过|颁布)")),
                   ("日期", re.compile(r"日期|哪天|哪一天|什么时候|何时|时间|哪年|哪一年")),
                   ("规划期", re.compile(r"规划期|实施期|哪几年|起止")))
_FRAGMENT_BREAK = re.compile(r"(?<=[，,；;：:])")  # not at 、: 专利、商标品牌质押融资总额 is one subject
_ASKS_TARGET = re.compile(r"目标|指标")
_YEAR_DATE = re.compile(r"\d{4}\s*年")
_EXCLUDED = re.compile(r"(?:不包括|不包含|不含)[^,.。;:|)\n]*|\([^()]*除外\)")  # …, 著作权(署名权除外) …
# Sentences are parallel when the shorter is at least this share of the longer and this share of
# their characters match in order; an answer quotes at most MAX_PARALLEL cases of one pattern.
PARALLEL_SHARE = 0.6
MAX_PARALLEL = 8
# Lexical evidence is weak when no sentence of the best ones holds this share of the question's words
# (set at the middle of the range, not fitted); the sentence closest in meaning is then looked for
# among this many of the best-scoring sentences.
WEAK_SHARE = 0.5
MEANING_CANDIDATES = 10


@dataclass
class Draft:
    """What a composer decided: sentences to quote (each with its clause), or why not."""
    picks: list[tuple[str, Hit]] = field(default_factory=list)
    per_document: bool = False   # one line per pick, prefixed with its document
    lines: bool = False          # one line per clause quoted (measures, outlines)
    quote: bool = True           # False: the sentences are written from the record, not quoted
    lead: str = ""               # put before the answer (e.g. the clause's heading)
    tail: str = ""               # put after it (e.g. the documents named that do not say)
    abstain: str = ""            # non-empty: the retrieved text does not answer; the reason (picks: what it gives)


def coverage(tokens: dict[str, float], evidence: list[Clause | str],
             aliases: dict[str, tuple[str, ...]] | None = None) -> float:
    """Share of the question's weight (idf) found in the given clauses (with their
    headings) or sentences; a measure word (数量) is found as a quantity of its kind (see holds)."""
    total = sum(tokens.values())
    if not total:
        return 1.0
    texts = [(normalize(e if isinstance(e, str) else " ".join(e.path) + e.text), e if isinstance(e, str) else e.text)
             for e in evidence]
    return held_share(tokens, texts, aliases)


def held_share(tokens: dict[str, float], texts: list[tuple[str, str]],
               aliases: dict[str, tuple[str, ...]] | None = None) -> float:
    """coverage over (normalised, original) texts already at hand."""
    total = sum(tokens.values())
    if not total:
        return 1.0
    text = "".join(norm for norm, _ in texts)
    found = with_parts({t for t in tokens if t not in MEASURE_KINDS and holds(t, text, aliases=aliases)}, tokens)
    return (sum(tokens[t] for t in found) + sum(w for t, w in tokens.items() if t in MEASURE_KINDS
                                                and any(holds(t, norm, raw) for norm, raw in texts))) / total


def with_parts(held: set[str], tokens: dict[str, float]) -> set[str]:
    """The question words held, with the question's words inside them: a text holding a word by
    another name of it (WIPO for 世界知识产权组织) holds its parts (世界, 组织) as well, as a text
    writing the word itself does; else 国际组织 in another clause would count for more than WIPO."""
    return held | {t for t in tokens if t not in MEASURE_KINDS and any(t != h and t in h for h in held)}


def quotable_units(clause: Clause, intent: str, genre: Genre = PLAN) -> list[str]:
    """The pieces of a clause an answer may quote verbatim: its sentences (a table row
    whole; a law's paragraphs too, which state a rule with its conditions); for figures and
    dates also the comma-separated parts of long sentences, so that the answer is the part
    that carries the figure."""
    if clause.kind == "table_row":
        return [clause.text]
    sentences = split_sentences(clause.text)
    if genre.name_paragraphs:
        sentences = list(dict.fromkeys(paragraphs(clause.text, genre) + sentences))
    if intent not in ("figure", "date", "per_document"):
        return sentences
    parts = [p.strip().rstrip("，,；;") for s in sentences if len(s) > 60
             for p in _FRAGMENT_BREAK.split(s) if DIGIT.search(p)]
    return sentences + [p for p in parts if len(p) >= 6]


# A cited title names a law or a regulation by its last word (专利法, 民法典, 专利代理条例).
_LAW_TITLE = re.compile(r"(?:法|法典|条例)$")
_ASKS_LAWS = re.compile(r"法律|法规|哪[部几]?[部个]?法")
_PERIOD_NOTE = re.compile(r"[(（][^()（）]*[)）]")


def cited_titles(document: Document) -> list[tuple[str, Clause]]:
    """The titles a document cites (《…》) with the first clause citing each, in reading order; not its
    own title, which a plan quotes with its period written another way ((2023年-2025年))."""
    own = {_bare_title(t) for t in (document.title, document.short_title) if t}
    found: dict[str, tuple[str, Clause]] = {}
    for clause in sorted(document.clauses, key=lambda c: c.order):
        for quoted in QUOTED_TITLE.findall(clause.text):
            bare = _bare_title(quoted)
            if bare not in own and bare not in found:
                found[bare] = (quoted, clause)
    return list(found.values())


def _bare_title(title: str) -> str:
    return _PERIOD_NOTE.sub("", normalize(title)).strip()


def metadata_facts(document: Document) -> dict[str, str | None]:
    """A document's record, field by field (None: the text does not state it)."""
    return {"文号": document.number,
            "印发单位": document.issuer,
            "日期": chinese_date(document.date) if document.date else None,
            "规划期": f"{document.period[0]}—{document.period[1]}年" if document.period else None}


# A law's record says who made it and when it was promulgated (its latest text); a law has no 文号 to miss.
_LAW_LABELS = {"印发单位": "制定机关", "日期": "公布日期"}


def metadata_sentence(document: Document, asked: tuple[str, ...] = ()) -> str:
    """The record as one sentence: the fields asked for first, said to be unstated when they are;
    then the others the text states (a plan's 文号 always, as the usual reference)."""
    facts = metadata_facts(document)
    law = is_of_kind(document, "law")
    shown = [*asked, *(f for f in facts if f not in asked and (facts[f] or f == "文号" and not law))]
    labels = _LAW_LABELS if law else {}
    return f"《{document.title}》" + "；".join(f"{labels.get(f, f)}：{facts[f] or '文中未载明'}" for f in shown) + "。"


def asked_fields(norm_question: str) -> tuple[str, ...]:
    """The fields of the record a question asks for (什么时候印发 → 日期), in the record's order."""
    return tuple(field for field, pattern in _METADATA_ASKED if pattern.search(norm_question))


def _redundant(candidate: str, chosen: str) -> bool:
    """Whether a second sentence would only repeat the first (e.g. a table row
    restating a goal): one contains the other, or they carry the same figures."""
    a, b = normalize(candidate), normalize(chosen)
    figures = set(re.findall(r"\d+(?:\.\d+)?", a))
    return a in b or b in a or (bool(figures) and figures <= set(re.findall(r"\d+(?:\.\d+)?", b)))


def _sentence_at(text: str, offset: int) -> str:
    """The sentence of `text` that contains the character at `offset`."""
    at = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, at)
        if at <= offset < at + len(sentence):
            return sentence
        at += len(sentence)
    return text


# A question asking which body acts (哪个部门, 由哪个机关, 找谁, 向谁) is answered by a unit naming one:
# a name ending in what bodies are called (…部门, …机关, …法院, …办公室).
_ASKS_BODY = re.compile(r"(?:哪个|哪一?级|哪些|什么)(?:部门|机关|单位|机构|法院|政府|组织)|[找向]谁|由谁")
_NAMES_BODY = re.compile(r"[\u4e00-\u9fff]{2}(?:部门|机关|机构|法院|检察院|人民政府|委员会|海关|办公室|协会|中心|研究院)")
# Not tuned: the gain a figure has for a figure question. A law's paragraph naming the body
# (国务院商标管理部门…作出确认) needs 1.22 to win against one of its article that holds one question
# word more in a list of criteria (该商标…作为驰名商标受保护的记录).
ASKED_BODY_GAIN = 1.5


# A body a text names by what it does (向监督检查部门举报, 由登记机关…): a term another sentence of the
# document may say who is, where a body named by its level (国务院…, 县级以上人民政府…) does the same work.
_BODY_TERM = re.compile(r"(?:向|由|到|经)(?P<term>(?P<role>[\u4e00-\u9fff]{2,8}?)(?:部门|机关|机构))")
_LEVEL = re.compile(r"国务院|国家|中央|省|自治区|直辖市|县级|乡级|市级|设区的市|人民政府|地方|有关|其他|上级|本级|原")
_ARTICLE_LABEL_AT = re.compile(r"^\s*第[\d零一二三四五六七八九十百千]+条\s*")
_LEVEL_BODY = re.compile(r"(?:国务院|县级以上|设区的市|省、自治区、直辖市|省级|国家)[^，,。；;：:]{0,30}?(?:部门|机关|机构)")


def body_term(text: str) -> tuple[str, str] | None:
    """The first body a text names by its role rather than its level → (term, role): 向监督检查部门举报
    → (监督检查部门, 监督检查); none for 国务院专利行政部门 or 有关部门, which say who they are or nothing."""
    for match in _BODY_TERM.finditer(normalize(text)):
        if not _LEVEL.search(match["role"]):
            return match["term"], match["role"]
    return None


def defines_body(norm_sentence: str, term: str, role: str) -> bool:
    """Whether a sentence says which body does what a term's role names: a body named by its level whose
    own phrase ends in doing the role (县级以上人民政府履行市场监督管理职责的部门对不正当竞争行为进行监督检查
    for 监督检查部门), or that opens the sentence with the role in its name and says what it is in charge
    of (国务院税务主管部门主管全国税收征收管理工作 for 税务机关); not another use of the role's words
    (…的规定使用税务登记证件) or of the term."""
    for body in _LEVEL_BODY.finditer(norm_sentence):
        rest = norm_sentence[body.end():].replace(term, "")
        if re.match(rf"[^，,。；;：:]{{0,40}}?{re.escape(role)}(?:工作)?(?:[，,。；;：:]|$)", rest):
            return True
        if role in body.group() and not _ARTICLE_LABEL_AT.sub("", norm_sentence[:body.start()]).strip() \
                and re.match(r"负责|主管", rest):
            return True
    return False


def body_first(query: Query, ranked: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
    """For a question asking which body acts, the units naming a body weigh more, as a figure of the
    measure asked does for a question asking a quantity: 驰名商标由哪个机关来认定 is answered by who
    recognises it, not by the criteria it is recognised by, though these repeat the question's words."""
    if not _ASKS_BODY.search(query.norm):
        return ranked
    scored = [(score * (ASKED_BODY_GAIN if _NAMES_BODY.search(normalize(unit)) else 1.0), unit, hit)
              for score, unit, hit in ranked]
    return sorted(scored, key=lambda r: -r[0])


# A question asking which things of a kind hold (需要具备哪些条件, 要写清楚哪几样内容) is answered by the unit
# introducing the law's list of them (应当符合下列条件：（一）…): the sentences around it repeat the
# question's words and list nothing.
_ASKS_LIST = re.compile(r"哪些|哪几[样个项种类条点]?|什么样?的?")
_INTRODUCES_LIST = re.compile(r"(?:下列|以下|如下)(?P<kind>[\u4e00-\u9fff]{2,8}?)(?:之一)?[：:，,的]")
ASKED_LIST_WINDOW = 4  # characters after the asking word where the kind asked is named (哪几样|内容)


def _asks_list_of(norm_question: str, kind: str) -> bool:
    """Whether the question asks which things of this kind (its head word: 混淆行为 → 行为) there are."""
    return any(kind[-2:] in norm_question[m.end():m.end() + ASKED_LIST_WINDOW]
               for m in _ASKS_LIST.finditer(norm_question))


def _lists_asked(query: Query, unit: str) -> bool:
    return any(_asks_list_of(query.norm, m["kind"]) for m in _INTRODUCES_LIST.finditer(normalize(unit)))


def list_of_chosen(query: Query, chosen: list[tuple[float, str, Hit]],
                   ranked: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
    """When no chosen unit gives the list asked for, the first chosen article's own list of that kind, after
    it: 仲裁协议包括…仲裁条款 answers which contents an arbitration clause needs with its next paragraph,
    仲裁协议应当具有下列内容：（一）…, which holds fewer of the question's words."""
    if not chosen or not _ASKS_LIST.search(query.norm) or any(_lists_asked(query, u) for _, u, _ in chosen):
        return chosen
    first = chosen[0][2].clause.id  # of its units naming the list, the one holding the items too
    listing = max((r for r in ranked if r[2].clause.id == first and _lists_asked(query, r[1])),
                  key=lambda r: len(r[1]), default=None)
    return [chosen[0], listing, *chosen[1:]] if listing else chosen


def _penalty_citing(query: Query, chosen: list[tuple[float, str, Hit]], ranked: list[tuple[float, str, Hit]],
                    measures: frozenset[str]) -> list[tuple[float, str, Hit]]:
    """For a question asking a penalty that the chosen units state no quantity of, the best unit
    stating the measure asked among those of another retrieved article of the same law that cites a
    chosen one: a law sets a duty in one article and its penalty in another that refers back to it
    (违反本法第四十五条规定…处五万元以上五十万元以下的罚款); what is due otherwise (异议要交多少钱) is
    no fine an article citing it sets."""
    if not (measures and chosen and ASKS_SENTENCE.search(query.norm)) \
            or states_measure(" ".join(s for _, s, _ in chosen), measures):
        return []
    cited = {(hit.clause.doc_id, f"第{number[1]}条") for _, _, hit in chosen
             if (number := unit_number(hit.clause)) and number[0] == "article"}
    taken = {hit.clause.id for _, _, hit in chosen}
    return [r for r in ranked if r[2].clause.id not in taken and states_measure(r[1], measures)
            and any(doc_id == r[2].clause.doc_id and label in normalize(r[2].clause.text) for doc_id, label in cited)][:1]



def held_swapped(token: str, norm_text: str, tokens: dict[str, float]) -> bool:
    """A word made of two question words is held by the two in the other order: the object
    before the verb names the same act (注册商标 / 商标注册, 申请专利 / 专利申请)."""
    return any(token[:i] in tokens and token[i:] in tokens and token[i:] + token[:i] in norm_text
               for i in range(1, len(token)))


def score_sentence(sentence: str, tokens: dict[str, float], intent: str,
                   measures: frozenset[str] = frozenset(), brief: bool = True,
                   aliases: dict[str, tuple[str, ...]] | None = None) -> float:
    # What a sentence says it does not cover is not what it is about (技术合同 … 不包括专利权转让书据;
    # 著作权(署名权除外)的保护期).
    norm = _EXCLUDED.sub("", normalize(sentence))
    score = sum(tokens[t] for t in with_parts({t for t in tokens if holds(t, norm, sentence, aliases)
                                               or held_swapped(t, norm, tokens)}, tokens))
    if measures and (any(q.measure in measures for q in find_quantities(norm)) or row_unit(sentence) in measures):
        score *= 2.0  # the quantity the question asks for (多少年 → …15年)
    elif intent == "figure" and gives_number(norm):
        score *= 1.5
    if intent == "date" and STATES_TIME.search(norm):  # the kind of time the refusal test looks for
        score *= 1.5
    if intent == "place" and ADDRESS.search(norm):  # the street asked for, as the quantity asked for above
        score *= 2.0
    # prefer the sentence that says it briefly; a law's paragraph is one rule with its conditions
    return score / (1.0 + len(norm) / 400) if brief else score


def headed(unit: str, norm_headings: str, tokens: dict[str, float],
           aliases: dict[str, tuple[str, ...]] | None = None) -> float:
    """The weight of the question's words that the headings over a unit hold and the unit does not:
    a sentence under 第三章 著作权许可使用和转让合同 is about 著作权 where it only says 权利, as much as
    one of the chapter that names 著作权人 in passing. A unit holding none of the question's words is
    not made an answer by its headings (the rows of a table under a title the question names)."""
    if not norm_headings:
        return 0.0
    norm = normalize(unit)
    unheld = [t for t in tokens if t not in MEASURE_KINDS and not holds(t, norm, unit, aliases)]
    if len(unheld) == len([t for t in tokens if t not in MEASURE_KINDS]):
        return 0.0
    return sum(tokens[t] for t in unheld if holds(t, norm_headings, aliases=aliases))


def best_sentences(hits: list[Hit], tokens: dict[str, float], intent: str, asks_target: bool = False,
                   measures: frozenset[str] = frozenset(), index: Index | None = None,
                   terms: tuple[str, ...] = (),
                   aliases: dict[str, tuple[str, ...]] | None = None) -> list[tuple[float, str, Hit]]:
    """Quotable units of the best clauses, best first; with the index, a law's clauses offer
    their paragraphs as well as their sentences. With the terms a question asks the meaning
    of, the units that define them come first."""
    ranked = []
    # The cover letter (印发通知) quotes the plan's title and issuer, not its content.
    content = [h for h in hits if h.clause.kind != "notice"] or hits
    for rank, hit in enumerate(content[:TOP_CLAUSES]):
        prior = 1.0 / (1.0 + 0.15 * rank)
        if asks_target and _ASKS_TARGET.search(" ".join(hit.clause.path)):
            prior *= 1.3  # targets are stated in the 目标 sections and 指标 tables
        document = index.document_of(hit.clause) if index else None
        genre = GENRES[document.genre] if document else PLAN
        whole = set(paragraphs(hit.clause.text, genre)) if genre.name_paragraphs else set()
        headings = normalize(" ".join(_heading_names(document) + hit.clause.path[:-1]))
        for unit in quotable_units(hit.clause, intent, genre):
            brief = unit not in whole
            score = score_sentence(unit, tokens, intent, measures, brief=brief, aliases=aliases) \
                + headed(unit, headings, tokens, aliases) / (1.0 + len(unit) / 400 if brief else 1.0)
            if any(defines(normalize(unit), term) for term in terms):
                score *= DEFINITION_GAIN
            ranked.append((score * prior, unit, hit))
    return sorted(ranked, key=lambda r: -r[0])


def _heading_names(document: Document | None) -> tuple[str, ...]:
    """A law's name heads every article of it: an article of 仲裁法 is about 仲裁 where it only says 裁决
    (fresh3 `dev` +1 item, no other laws item moved). Not a plan's: its title's words (建设, 试点, 知识产权)
    raised its headings over their content (海曙's 检查验收阶段 quoted without what it does)."""
    if document is None or document.genre == PLAN.name:
        return ()
    return (document.short_title,)


def table_figure(row_text: str, query: Query) -> str:
    """A table row read as an answer: each value with the unit its label gives, the
    column the question asks for first (the year it names, else the target column):
    有效注冊商標量(件)：2023年實現值 65658；2026年目標值 ≥80000 → 有效注冊商標量：2026年目標值 ≥80000件
    （2023年實現值 65658件；…）. A row in any other shape is returned as it is."""
    row = TABLE_ROW.match(row_text.strip())
    if not row:
        return row_text
    unit = row["unit"]
    cells = []
    for cell in re.split(r"[；;]", row["cells"]):
        parts = _CELL_VALUE.match(cell.strip())
        if not parts:
            return row_text
        cells.append((parts["header"], parts["value"] + (unit if parts["value"][-1].isdigit() else "")))
    numeric = [c for c in cells if DIGIT.search(c[1])]
    if not numeric:
        return row_text

    def asked(cell: tuple[str, str]) -> int:
        header = normalize(cell[0])
        if any(f"{y}" in header for y in query.scope.years):
            return 0
        return 1 if _ASKS_TARGET.search(header) else 2
    first = min(numeric, key=asked)
    rest = [c for c in cells if c is not first]
    text = f"{row['label'].strip()}：{first[0]} {first[1]}"
    return text + (f"（{'；'.join(f'{h} {v}' for h, v in rest)}）" if rest else "")


def readable(sentence: str, hit: Hit, query: Query) -> str:
    """What the answer shows for a chosen unit: table rows read as figures with units."""
    return table_figure(sentence, query) if hit.clause.kind == "table_row" else sentence


def key_sentences(clause: Clause, tokens: dict[str, float], count: int = KEY_SENTENCES,
                  aliases: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """The sentences that state a clause's measures: all of a short clause; of a long one
    its first (it names the measure) and the others that hold most of the question."""
    if clause.kind == "table_row":
        return [clause.text]
    sentences = split_sentences(clause.text)
    if len(sentences) <= count:
        return sentences
    best = sorted(range(1, len(sentences)), key=lambda i: -score_sentence(sentences[i], tokens, "general", aliases=aliases))
    keep = {0, *best[:count - 1]}
    return [sentences[i] for i in sorted(keep)]


def heads_clause(clause: Clause) -> bool:
    """Whether the clause's label is a heading over it, naming what it is about: not an article's
    bare number (第四十四条), not a table row's own text, nor the cut-off start of a long first
    sentence that labels an inline item (2.加大对假冒专利…聚焦迪士尼等重点区域…), which would count
    the clause's words twice."""
    if not clause.path or clause.kind == "table_row" or not heading_core(clause.path[-1]):
        return False
    label = clause.path[-1]
    return not (label.endswith("…") and clause.text.lstrip().startswith(label.rstrip("…")))


def joined(sentences: list[str]) -> str:
    """Sentences quoted in a row; a heading line (no closing punctuation) keeps a space after it."""
    return "".join(s if re.search(r"[。！？；!?;]$", s) or i == len(sentences) - 1 else s + " "
                   for i, s in enumerate(sentences))


def thing_first(query: Query) -> dict[str, float]:
    """The question's words with those naming the kind of thing asked for weighing more: of a
    clause's sentences, the one that states such a thing (设立人才专项基金) answers, not those that
    only share the question's other words (引进…人才)."""
    return {t: w * (ASKED_THING_GAIN if t in query.asked_thing else 1.0) for t, w in query.tokens.items()}


def _asks_target(query: Query) -> bool:
    return bool(_ASKS_TARGET.search(query.norm))


def parallel(a: str, b: str) -> bool:
    """Two sentences of one pattern with different slots, as a clause enumerates cases
    (培育小型…向精细化、特色化方向发展。培育中型…向专业化、高端化方向发展。)."""
    a, b = normalize(a), normalize(b)
    return min(len(a), len(b)) >= PARALLEL_SHARE * max(len(a), len(b)) and \
        difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= PARALLEL_SHARE


def parallel_siblings(chosen: list[tuple[float, str, Hit]],
                      ranked: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
    """When the two sentences chosen are parallel cases of one clause, the clause's other cases of
    that pattern, which score as well: an enumeration is answered whole (小型、中型 … and 大型)."""
    if len(chosen) != 2 or chosen[0][2].clause.id != chosen[1][2].clause.id or not parallel(chosen[0][1], chosen[1][1]):
        return []
    taken = {sentence for _, sentence, _ in chosen}
    siblings = [r for r in ranked if r[2].clause.id == chosen[0][2].clause.id and r[1] not in taken
                and r[0] >= 0.8 * chosen[0][0] and parallel(r[1], chosen[0][1])]
    return siblings[:MAX_PARALLEL - 2]


def weak_words(query: Query, ranked: list[tuple[float, str, Hit]]) -> bool:
    """Whether no sentence of the best ones holds much of the question's words."""
    return max((coverage(query.tokens, [unit], query.aliases) for _, unit, _ in ranked[:MEANING_CANDIDATES]),
               default=0.0) < WEAK_SHARE


def closest_in_meaning(query: Query, chosen: list[tuple[float, str, Hit]],
                       ranked: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
    """When no sentence holds much of the question's words (everyday wording the plan does not use:
    小办公室 for 赋能工作室, 长期办事处 for 常驻代表机构), the words alone pick among sentences that
    share a word or two with the question by chance; the sentence a sentence encoder finds closest
    in meaning, among the best-scoring ones of the document the answer quotes, is quoted as well.
    Quoted beside the words' choice, not instead of it: neither is sure then. Only from the quoted
    document: a sentence of another (a law, placeless) would answer for a place the plan never names."""
    if not chosen or chosen[0][0] <= 0 or query.reference or query.pointed:
        return []  # a unit the question names by its number is answered by that unit
    candidates = [r for r in ranked[:MEANING_CANDIDATES] if r[2].clause.doc_id == chosen[0][2].clause.doc_id]
    if not candidates or not weak_words(query, ranked):  # the answer may quote a clause found further down
        return []
    closeness = similarities(query.text, [unit for _, unit, _ in candidates])
    closest = candidates[max(range(len(candidates)), key=closeness.__getitem__)]
    taken = [sentence for _, sentence, _ in chosen]
    return [] if any(closest[1] == s or _redundant(closest[1], s) for s in taken) else [closest]


def measure_closest_in_meaning(query: Query, clauses: list[Hit], hits: list[Hit]) -> list[tuple[str, Hit]]:
    """For a how-question in words the plan does not use, the sentence closest in meaning among the
    best clauses of the document quoted, as a line of its own when its clause is not quoted yet
    (see closest_in_meaning)."""
    if not clauses or query.reference or query.pointed:
        return []
    content = [h for h in hits[:TOP_CLAUSES] if h.clause.kind not in ("notice", "preamble")
               and h.clause.doc_id == clauses[0].clause.doc_id]
    units = [(u, h) for h in content for u in split_sentences(h.clause.text)]
    if not units or max(coverage(query.tokens, [u], query.aliases) for u, _ in units) >= WEAK_SHARE:
        return []
    closeness = similarities(query.text, [u for u, _ in units])
    unit, hit = units[max(range(len(units)), key=closeness.__getitem__)]
    return [] if any(hit.clause.id == c.clause.id for c in clauses) else [(unit, hit)]


def stating_first(picks: list[tuple[str, Hit]], measures: frozenset[str]) -> list[tuple[str, Hit]]:
    """Asked for a quantity, the sentences stating it lead and those giving its conditions follow:
    怎么罚 is answered by the penalty article (电子商务法第八十四条) before the duty it punishes."""
    if not measures or not picks or states_measure(picks[0][0], measures):
        return picks
    return sorted(picks, key=lambda pick: not states_measure(pick[0], measures))


def _stops_short(quoted: str, piece: str, rest: str) -> bool:
    """Whether a quote of a paragraph's piece in one part stops where the paragraph's list or sentence
    goes on in the next part."""
    last = piece.split("\n")[-1]
    if not (quoted == piece or ("\n" in quoted and quoted.endswith(last))):
        return False
    heading = heading_of(rest)
    return (heading is not None and heading.style in GENRES["law"].inline_styles) or last[-1] not in "。！？!?"


class Composer:
    """The composers, sharing the index and the searches some of them repeat per document."""

    def __init__(self, index: Index, retriever: HybridRetriever, topics=None) -> None:
        self.index = index
        self.retriever = retriever
        self.topics = topics  # TopicSearch: answers "which documents mention X"

    def compose(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        # 第四十二条第二款, or 民法典第一千一百八十五条怎么规定的 with no words of its own: that unit, whole
        if (query.within != (None, None) or query.reference and query.reference[0] == "article" and not query.tokens) \
                and hits and unit_number(hits[0].clause) == query.reference:
            return self.named_within(query, hits)
        compose = {"metadata": self.metadata, "cites": self.cites, "per_document": self.per_document,
                   "units": self.units, "topic": self.topic, "measures": self.measures,
                   "outline": self.outline, "targets": self.targets}.get(query.intent, self.sentences)
        return compose(query, hits, filters)

    def named_within(self, query: Query, hits: list[Hit]) -> Draft:
        """The paragraph (款) or item (项) of the article the question names (专利法第四十二条第二款), or
        the article itself when it names neither, quoted whole from the article's clauses (a long
        article is cut between paragraphs); a number the article does not reach is said to be missing."""
        paragraph, item = query.within
        first = hits[0].clause
        label = first.path[-2] if first.part else first.path[-1]  # a part's last label names its paragraphs
        document = self.index.documents[first.doc_id]
        article = sorted((c for c in document.clauses if unit_number(c) == query.reference), key=lambda c: c.order)
        chosen = paragraphs_across(article, GENRES[document.genre])
        if paragraph is not None:
            if not 1 <= paragraph <= len(chosen):
                return Draft(abstain=f"{label}没有第{chinese_numeral(paragraph)}款。")
            chosen = chosen[paragraph - 1:paragraph]
        units = [piece for pieces in chosen for piece in pieces]
        if item is not None:
            label = f"({chinese_numeral(item)})"
            units = [(line, clause) for text, clause in units for line in text.split("\n")
                     if normalize(line).startswith(label)][:1]
            if not units:
                return Draft(abstain=f"{label}没有第（{chinese_numeral(item)}）项。")
        if paragraph is None and item is None:
            units = [(clause.text, clause) for clause in article]
        by_id = {h.clause.id: h for h in hits}
        return Draft([(text, by_id.get(clause.id, Hit(clause, hits[0].score, None, None))) for text, clause in units])

    def best_clause_evidence(self, query: Query) -> float:
        """The most of the question's words (idf-weighted) that one clause of any document holds
        (its normalised search text: the clause under its headings)."""
        texts, position = self.index.search_texts, self.index.position
        hits = self.retriever.keyword(query.scope.query, EVIDENCE_CLAUSES)
        return max((held_share(query.tokens, [(texts[position[h.clause.id]], h.clause.text)], query.aliases)
                    for h in hits),
                   default=0.0)

    def unaddressed(self, query: Query) -> list[str]:
        """The documents the question names that hold much less of it than a clause of another does."""
        if not query.scope.doc_ids or query.intent in _NOT_EVIDENCED:
            return []
        best = self.best_clause_evidence(query)
        return [self.index.documents[d].short_title for d in query.scope.doc_ids
                if held_share(query.tokens, [(self.index.document_text(d), "")], query.aliases)
                < NAMED_EVIDENCE_SHARE * best]

    def sentences(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """The best sentence, and a second one when it scores nearly as well and adds something."""
        measures = preferred_measures(query.norm)
        ranked = best_sentences(hits, query.tokens, query.intent, _asks_target(query), measures, self.index,
                                defined_terms(query.norm), query.aliases)
        ranked = body_first(query, ranked)
        chosen = ranked[:1]
        for score, sentence, hit in ranked[1:4]:
            if score >= 0.8 * chosen[0][0] and score > 0 and not _redundant(sentence, chosen[0][1]):
                chosen.append((score, sentence, hit))
                break
        chosen += parallel_siblings(chosen, ranked)
        chosen = list_of_chosen(query, chosen, ranked)
        chosen = self._named_group_rows(query, chosen)
        chosen = self._of_asked_thing(query, hits, measures, chosen, ranked)
        if measures and chosen and not states_measure(" ".join(s for _, s, _ in chosen), measures):
            # the figure asked for may stand in another sentence of a clause that answers
            # (罚多少 → its penalty paragraph)
            answering = {hit.clause.id for _, _, hit in chosen}
            chosen += [r for r in ranked if r[2].clause.id in answering and states_measure(r[1], measures)][:1]
            if not states_measure(" ".join(s for _, s, _ in chosen), measures):
                chosen = self._stated_further(query, hits, measures, chosen)
        picks = [(readable(s, h, query), h) for _, s, h in chosen]
        picks += [(readable(s, h, query), h) for _, s, h in _penalty_citing(query, chosen, ranked, measures)]
        picks += self._dated_by_section(query, picks)
        reason = unanswered_figure(query, picks, self.index) or self._other_indicator(query, picks) \
            or measured_elsewhere(query, picks, self.index)
        if reason:
            return Draft(picks, abstain=reason)
        picks += self._body_said(query, picks)
        picks = self._lists_continued(picks)
        # A sentence close in meaning only adds to an answer the words chose: a near miss always has
        # one that gives some figure or date, so it comes after the checks.
        picks += [(readable(s, h, query), h) for _, s, h in closest_in_meaning(query, chosen, ranked)]
        return Draft(stating_first(picks, measures))

    def _lists_continued(self, picks: list[tuple[str, Hit]]) -> list[tuple[str, Hit]]:
        """A quoted paragraph that goes on in the next part of a long article is quoted with the rest of
        it, cited to that part, when it stops in a list (著作权法第二十四条: （一）…（七） in one part,
        （八）…（十三） in the next) or in a sentence: a list cut short reads as the whole list."""
        continued = []
        for sentence, hit in picks:
            continued.append((sentence, hit))
            if hit.clause.part is None:
                continue
            genre = GENRES[self.index.document_of(hit.clause).genre]
            for pieces in paragraphs_across(self.index.parts_of(hit.clause), genre):
                for (text, clause), (rest, part) in zip(pieces, pieces[1:]):
                    if clause.id == hit.clause.id and _stops_short(sentence.strip(), text, rest) \
                            and all(rest != s for s, _ in picks):
                        hit = Hit(part, hit.score, None, None)
                        continued.append((rest, hit))
                        sentence = text = rest  # the list may go on in a third part
        return continued

    def _body_said(self, query: Query, picks: list[tuple[str, Hit]]) -> list[tuple[str, Hit]]:
        """For a question asking which body acts, answered by a body the text names by its role (向监督检查
        部门举报; the first body so named of the quoted sentences), the sentence of the same document saying
        which body that is, with its own citation: the role's name alone does not tell the asker where to go.
        The law's definition of the term (本法所称税务机关是指各级税务局…) when it has one, else a sentence
        where a body named by its level does the role (县级以上人民政府履行市场监督管理职责的部门对不正当竞争行为
        进行监督检查); of several, the one holding most of the question, then the first."""
        named = [(term, hit) for sentence, hit in picks if (term := body_term(sentence))] \
            if _ASKS_BODY.search(query.norm) else []
        if not named:
            return []
        (term, role), hit = named[0]
        quoted = {normalize(sentence) for sentence, _ in picks}
        texts, position = self.index.search_texts, self.index.position
        found = [(sentence, clause) for clause in self.index.documents[hit.clause.doc_id].clauses
                 if role in texts[position[clause.id]]  # the clauses naming the role, read sentence by sentence
                 for sentence in split_sentences(clause.text)
                 if normalize(sentence) not in quoted and (defines(normalize(sentence), term)
                                                           or defines_body(normalize(sentence), term, role))]
        if not found:
            return []
        sentence, clause = max(found, key=lambda f: (defines(normalize(f[0]), term),
                                                     coverage(query.tokens, [f[0]], query.aliases)))
        return [(sentence, hit._replace(clause=clause))]

    def _dated_by_section(self, query: Query, picks: list[tuple[str, Hit]]) -> list[tuple[str, Hit]]:
        """For a question asking when, of sentences that give no time: the dated sentence that opens
        the section over them (二、工作目标 到2025年，… above ——专利代理师总人数达到 520 人), which says
        by when the section's items hold."""
        if query.intent != "date" or not picks or STATES_TIME.search(normalize("".join(s for s, _ in picks))):
            return []
        hit = picks[0][1]
        section = hit.clause.path[:-1]
        opening = next((c for c in self.index.documents[hit.clause.doc_id].clauses
                        if section and c.path == section and c.id != hit.clause.id), None)
        first = split_sentences(opening.text)[:2] if opening else []
        dated = next((s for s in first if _YEAR_DATE.search(normalize(s))), None)
        return [(dated, hit._replace(clause=opening))] if dated else []

    def _stated_further(self, query: Query, hits: list[Hit], measures: frozenset[str],
                        chosen: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
        """When no sentence of the best clauses states the quantity asked for, a sentence of the clauses
        retrieved after them that states it and holds at least as much of the question: the term of a
        外观设计 patent stands in the one article that gives every term, which shares fewer of the
        question's words than the articles about designs do."""
        held = coverage(query.tokens, [s for _, s, _ in chosen], query.aliases)
        further = [r for r in best_sentences(hits[TOP_CLAUSES:], query.tokens, query.intent, _asks_target(query),
                                             measures, self.index, aliases=query.aliases)
                   if states_measure(r[1], measures)]
        stating = next((r for r in further if coverage(query.tokens, [r[1]], query.aliases) >= max(held, 1e-9)), None)
        return [stating] if stating else chosen

    def _of_asked_thing(self, query: Query, hits: list[Hit], measures: frozenset[str],
                        chosen: list[tuple[float, str, Hit]],
                        ranked: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
        """When the chosen sentences state quantities of the measure asked, but of other things than the
        one the question asks it of, the best sentence of the retrieved clauses whose quantity is of that
        thing and that holds at least as much of the question: 外观设计专利保护期多长 is answered by
        外观设计专利权的期限为十五年, not by the priority periods (…之日起六个月内) of an article that
        names designs more often (as much of the question as those sentences stating a quantity hold).
        Beside a chosen sentence whose quantity is of the asked thing, those whose quantities are of
        others are left out (实用新型专利保护期多长: not the priority periods next to 期限为十年).
        The chosen sentences otherwise."""
        asked = asked_of(query.norm) if measures else []
        stating = [s for _, s, _ in chosen if states_measure(s, measures)] if asked else []
        if owned := self._of_asked_owner(query, hits, measures, asked, chosen, ranked):
            return [owned]
        judged = {s: of_asked(s, asked, measures) for s in stating}
        if any(judged.values()):  # beside the sentence giving it, a figure of another thing is no answer
            return [r for r in chosen if judged.get(r[1]) is not False]
        if not stating or None in judged.values():
            return chosen
        held = coverage(query.tokens, stating, query.aliases)
        further = best_sentences(hits[TOP_CLAUSES:], query.tokens, query.intent, _asks_target(query),
                                 measures, self.index, aliases=query.aliases)
        better = next((r for r in ranked + further if coverage(query.tokens, [r[1]], query.aliases) >= held
                       and of_asked(r[1], asked, measures)), None)  # tagging words is the slower test
        return [better] if better else chosen

    def _of_asked_owner(self, query: Query, hits: list[Hit], measures: frozenset[str], asked: list[str],
                        chosen: list[tuple[float, str, Hit]],
                        ranked: list[tuple[float, str, Hit]]) -> tuple[float, str, Hit] | None:
        """Asked a quantity of a thing named with its kind (专利的保护期), when every chosen sentence stating
        one stands in an article that names not that kind, even in its law's name (著作权法's 保护期为五十年),
        the best sentence of an article naming it whose figure is of the thing asked (专利法第四十二条 …期限为
        二十年: 期限 and 保护期 share 期). Only where a genre states a figure in the article of its subject."""
        things = [w for w in asked if w not in GENERIC_QUANTITIES]
        kinds = [w for w in things[:-1] if w in query.known]
        stating = [r for r in chosen if states_measure(r[1], measures)]
        if not kinds or not stating or any(self._names_any(r[2], kinds, query) for r in stating):
            return None
        further = best_sentences(hits[TOP_CLAUSES:], query.tokens, query.intent, _asks_target(query),
                                 measures, self.index, aliases=query.aliases)
        return next((r for r in ranked + further if states_measure(r[1], measures)
                     and self._names_any(r[2], kinds, query) and of_asked(r[1], things, measures)), None)

    def _names_any(self, hit: Hit, words: list[str], query: Query) -> bool:
        """Whether an article of a genre stating figures with their subject names one of the words, in its
        headings, its text or its law's name; a plan's figure may stand apart from its words, so it does."""
        document = self.index.documents[hit.clause.doc_id]
        if GENRES[document.genre].figures_apart:
            return True
        context = normalize(" ".join((document.short_title, *hit.clause.path, hit.clause.text)))
        return any(holds(w, context, aliases=query.aliases) for w in words)

    def _named_group_rows(self, query: Query, chosen: list[tuple[float, str, Hit]]) -> list[tuple[float, str, Hit]]:
        """Every row of the indicator table's group the question names, in the table's order, when it
        asks what they are (高效益贡献加大这一任务下列了哪些指标 → its three rows, not the two that
        score best); the chosen sentences otherwise."""
        first = chosen[0][2] if chosen else None
        group = _ROW_GROUP.match(first.clause.text) if first and first.clause.kind == "table_row" else None
        if not group or normalize(group["group"]) not in query.norm or not ENUMERATES.search(query.norm):
            return chosen
        rows = [c for c in self.index.documents[first.clause.doc_id].clauses if c.kind == "table_row"
                and c.path[:1] == first.clause.path[:1] and c.text.startswith(group.group(0))]
        return [(chosen[0][0], row.text, first._replace(clause=row)) for row in rows]

    def _other_indicator(self, query: Query, picks: list[tuple[str, Hit]]) -> str:
        """Why the figure of a named document's sentence is not the one asked for, if it is not."""
        if query.intent != "figure" or not query.scope.doc_ids or not picks:
            return ""
        stated = [unit for hit in self.retriever.keyword(query.scope.query, EVIDENCE_CLAUSES)
                  for unit in quotable_units(hit.clause, "figure") if DIGIT.search(unit)]
        whole = max((coverage(query.tokens, [unit], query.aliases) for unit in stated), default=0.0)
        held = coverage(query.tokens, [sentence for sentence, _ in picks], query.aliases)
        return "文档给出的是其他指标的数值。" if whole >= STATED_WHOLE and held < INDICATOR_SHARE * whole else ""

    def units(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        with_units = [h for h in hits[:TOP_CLAUSES] if h.clause.units]
        if not with_units:
            return self.sentences(query, hits, filters)
        hit = with_units[0]
        unit_sentence = next((s for s in split_sentences(hit.clause.text) if "落实单位" in s or "落實單位" in s),
                             "落实单位：" + "、".join(hit.clause.units))
        lead = f"{hit.clause.path[-1]}：" if hit.clause.path else ""
        return Draft([(unit_sentence, hit)], lead=lead)

    def per_document(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """One line per document: its best sentence for a figure, the key sentences of its best
        clause for anything else. A document the question names but whose text does not state
        it gets a line saying so."""
        doc_ids = filters.allowed_documents(self.index) or list(self.index.documents)
        if len(doc_ids) == 1:  # 分别 about one document's items (小、中、大…), not about documents
            return self.sentences(query, hits, filters)
        if len(doc_ids) > MAX_DOCUMENT_LINES:  # a search per document would not scale to thousands
            best = self.retriever.search(query.text, CANDIDATES, filters)
            doc_ids = list(dict.fromkeys(h.clause.doc_id for h in best))[:MAX_DOCUMENT_LINES]
        searches = {d: self.retriever.search(query.text, TOP_CLAUSES, Filters(doc_ids=(d,)), query.scope.query)
                    for d in doc_ids}
        lines = {d: line for d, line in self._document_lines(query, searches).items() if line}
        best = max((held for *_, held in lines.values()), default=0.0)
        picks, missing = [], []
        for doc_id in doc_ids:
            if doc_id in lines and lines[doc_id][2] > 0 and lines[doc_id][2] >= LINE_SHARE * best:
                picks.append(lines[doc_id][:2])
            elif doc_id in query.scope.doc_ids:
                missing.append(self.index.documents[doc_id].short_title)
        if not picks:
            return self.sentences(query, hits, filters)
        return Draft(picks, per_document=True,
                     tail="".join(f"\n{name}：{NOT_STATED}" for name in missing))

    def _document_lines(self, query: Query, searches: dict[str, list[Hit]]) -> dict[str, tuple | None]:
        """Each document's line: its figure when the question asks for one; its measures otherwise.
        Targets asked for (对数据知识产权有什么目标) are read as figures when some plan has a sentence
        stating a figure that holds as much of the question as the clause treating the topic: then
        every plan is answered by its figure (a plan whose clauses on it state none, by its words), or
        says it sets none; else (总体目标分别是什么) by the goals as worded. One reading for all the
        plans, as a comparison needs: a plan that names the topic in passing (城市联盟, asked about
        省级知识产权联盟) is not quoted for want of a figure."""
        if query.asks_how:
            return {d: self._measure_line(query, hits) for d, hits in searches.items()}
        if FIGURE_PATTERN.search(query.norm):
            return {d: self._figure_line(query, hits) for d, hits in searches.items()}
        measures = {d: self._measure_line(query, hits) for d, hits in searches.items()}
        if not _asks_target(query):
            return measures
        figures = {d: self._figure_line(query, hits) for d, hits in searches.items()}
        if not any(figures[d] and measures[d] and figures[d][2] > 0 and figures[d][2] >= measures[d][2] for d in searches):
            return measures
        return {d: figures[d] or measures[d] for d in searches}  # a target its clauses state in words only

    def _figure_line(self, query: Query, hits: list[Hit]) -> tuple[str, Hit, float] | None:
        """A document's line for a figure, with how much of the question its sentence holds."""
        ranked = [r for r in best_sentences(hits, query.tokens, "figure", _asks_target(query), aliases=query.aliases)
                  if gives_number(r[1])]
        if not ranked:
            return None
        return (readable(ranked[0][1], ranked[0][2], query), ranked[0][2],
                coverage(query.tokens, [ranked[0][1]], query.aliases))

    def _measure_line(self, query: Query, hits: list[Hit]) -> tuple[str, Hit, float] | None:
        """A document's line for anything else, with how much of the question its clause holds."""
        # Words no document has (提法, 不同) cannot tell one document's line from another's.
        clauses = self._answering_clauses(query, hits, limit=1)
        if not clauses:
            return None
        hit = clauses[0]
        return (readable(joined(key_sentences(hit.clause, thing_first(query), LINE_SENTENCES, query.aliases)), hit, query),
                hit, coverage(query.known, [hit.clause], query.aliases))

    def _answering_clauses(self, query: Query, hits: list[Hit], limit: int) -> list[Hit]:
        """The clauses that hold the answer, best first: the best by what it covers of the
        question (weighted by retrieval rank), and others nearly as good."""
        scored = []
        for rank, hit in enumerate(self._measure_candidates(query, hits)):
            covered = coverage(query.known, [hit.clause], query.aliases)
            # A heading names its clause's measure: 完善知识产权司法保护 answers 如何加强司法保护
            # better than a clause that mentions 司法保护 in passing.
            named = coverage(query.known, [hit.clause.path[-1]], query.aliases) if heads_clause(hit.clause) else 0.0
            scored.append(((covered + HEADING_WEIGHT * named) / (1.0 + 0.15 * rank), covered, hit))
        scored.sort(key=lambda s: -s[0])
        if not scored:
            return []
        top = scored[0][0]
        return [hit for i, (score, covered, hit) in enumerate(scored)
                if i == 0 or (score >= MEASURE_CLAUSE_SHARE * top and covered >= MEASURE_CLAUSE_COVERAGE)][:limit]

    def _measure_candidates(self, query: Query, hits: list[Hit]) -> list[Hit]:
        """The clauses that may say how something will be done. An indicator row (a label with its
        unit and values: 示范点(站)(家)：…≥10) gives a figure, a goal (发展目标: …一体推进…) what the plan
        aims at, and a principle (基本原则: 坚持以人才培养为基石) what the plan values, not what it will
        do: the measures asked for (a how-question not asking for targets; for principles, any question
        answered by measures) come from the other clauses when one of them holds as much of the question,
        as these would otherwise win on the question's very words alone (a goals section names every
        topic of the plan). A row, a goal or a principle stays when it is all the document says of the
        topic, or what is asked."""
        content = [h for h in hits[:TOP_CLAUSES] if h.clause.kind not in ("notice", "preamble")]
        asks_measures = query.asks_how and not _asks_target(query)
        aside = [h for h in content if (asks_measures and (h.clause.kind == "table_row" and row_unit(h.clause.text)
                                                           or self._states_aim(h.clause)))
                 or self._states_principle(h.clause)]
        prose = [h for h in content if h not in aside]

        def held(group: list[Hit]) -> float:
            return max((coverage(query.known, [h.clause], query.aliases) for h in group), default=0.0)
        return prose if prose and held(prose) >= held(aside) else content

    def _states_principle(self, clause: Clause) -> bool:
        headings = GENRES[self.index.document_of(clause).genre].principle_headings
        return any(word in heading for heading in clause.path[:-1] for word in headings)

    def _states_aim(self, clause: Clause) -> bool:
        headings = GENRES[self.index.document_of(clause).genre].aim_headings
        return any(word in normalize(heading) for heading in clause.path for word in headings)

    def measures(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """What the plan will do: the key sentences of the clause that answers, and of the
        others nearly as good when the answer spans several; one line each."""
        if query.sections:  # a section with sub-items is named: its measures are those items
            return self._section_measures(query, hits, filters)
        clauses = self._answering_clauses(query, hits, MAX_MEASURE_CLAUSES)
        if not clauses:
            return self.sentences(query, hits, filters)
        # The clause that answers is quoted whole when short; the others by their key sentences.
        counts = [MEASURE_SENTENCES] + [KEY_SENTENCES] * (len(clauses) - 1)
        lines = [(readable(joined(key_sentences(h.clause, thing_first(query), n, query.aliases)), h, query), h)
                 for h, n in zip(clauses, counts)]
        lines += self._best_sentence_line(query, clauses, hits)
        lines += measure_closest_in_meaning(query, [hit for _, hit in lines], hits)
        return Draft(lines, lines=True)

    def _best_sentence_line(self, query: Query, clauses: list[Hit], hits: list[Hit]) -> list[tuple[str, Hit]]:
        """The sentence that answers best, as a line of its own when its clause is not quoted: the
        clauses are chosen by how much of the question each holds as a whole (and by their headings),
        which a long clause touching every word of it can win while one sentence of another clause says
        the very thing asked (知识产权服务业市场大数据分析系统 for 用大数据盯着…服务市场的行情)."""
        content = [h for h in hits[:TOP_CLAUSES] if h.clause.kind not in ("notice", "preamble")]
        ranked = best_sentences(content, thing_first(query), query.intent, aliases=query.aliases)
        if not ranked or ranked[0][0] <= 0:
            return []
        best = ranked[:1]
        if weak_words(query, ranked):  # the words cannot tell the best from one nearly as good
            best += [r for r in ranked[1:4] if r[0] >= 0.8 * ranked[0][0] and r[2].clause.id != ranked[0][2].clause.id][:1]
        quoted = {c.clause.id for c in clauses}
        return [(readable(s, h, query), h) for _, s, h in best if h.clause.id not in quoted]

    def _section_measures(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """How a named section will be done: the first sentence of the first clause under each
        of its sub-sections (深化知识产权优势企业培育 → 1. … 7.), one cited line each."""
        _, items = self._section_items(query, hits, filters)
        picks = [(readable(key_sentences(hit.clause, query.tokens, 1, query.aliases)[0], hit, query), hit) for _, hit in items]
        return Draft(picks, lines=True) if picks else self.sentences(query, hits, filters)

    def _section_items(self, query: Query, hits: list[Hit],
                       filters: Filters) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, Hit]]]:
        """The sections the question names and, under each, every sub-section's heading (a table's row: the
        row) with the first clause under it. With no document named, the sections of the document the best
        clauses come from."""
        allowed = filters.allowed_documents(self.index)
        sections = [s for s in query.sections if allowed is None or s[0] in allowed]
        if not query.scope.doc_ids and sections:
            ranked = list(dict.fromkeys(h.clause.doc_id for h in hits))
            chosen = min((s[0] for s in sections), key=lambda d: ranked.index(d) if d in ranked else len(ranked))
            sections = [s for s in sections if s[0] == chosen]
        items = []
        for doc_id, parent in sections:
            document = self.index.documents[doc_id]
            in_order = sorted(document.clauses, key=lambda c: c.order)
            for child in outline_of(document).get(parent, []) if parent else document_parts(document):
                first = next(c for c in in_order if c.path[:len(child)] == child)
                # a table's row is read with its values (高价值发明专利拥有量(件)：…2026年目标值 ≥1600), not its label
                shown = first.text if first.kind == "table_row" and first.path == child else child[-1]
                items.append((shown, Hit(first, 1.0, None, None)))
        return sections, items

    def outline(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """The headings under the section asked about, each cited to the first clause under it."""
        sections, picks = self._section_items(query, hits, filters)
        if not picks:
            return self.measures(query, hits, filters)
        heads = "；".join(f"{self.index.documents[d].short_title}“{p[-1]}”" if p else f"《{self.index.documents[d].title}》"
                         for d, p in sections)
        several = len({d for d, _ in sections}) > 1  # each line then says whose heading it is
        return Draft(picks, lines=True, quote=False, lead=f"{heads}包括：\n", per_document=several)

    def targets(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """The quantitative targets of the plans asked about (of the best clause's plan when none is named),
        one line each — indicator, figure, year — cited to the clause stating it; a target stated twice
        (body and annex) once."""
        allowed = filters.allowed_documents(self.index)
        doc_ids = [d for d in (query.scope.doc_ids or [h.clause.doc_id for h in hits[:1]])
                   if allowed is None or d in allowed]
        picks = []
        for doc_id in doc_ids:
            for group in group_targets(extract_targets(self.index.documents[doc_id])):
                for target in group.targets:
                    year = f"（{target.year}年）" if target.year else ""
                    picks.append((f"{target.indicator}：{target.stated()}{year}",
                                  Hit(self.index.clause_by_id[target.clause_id], 1.0, None, None)))
        names = "、".join(self.index.documents[d].short_title for d in doc_ids)
        if not picks:
            return Draft(abstain=f"{names or '所检索'}的文档中没有量化指标。")
        return Draft(picks, lines=True, quote=False, lead=f"{names}的量化指标：\n", per_document=len(doc_ids) > 1)

    def topic(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """One line per document that mentions the term, quoting the first mention."""
        terms = topic_terms(query.text)
        if not (self.topics and terms):
            return self.per_document(query, hits, filters)
        first_mention: dict[str, tuple[str, Clause]] = {}
        for term in terms:
            for document in self.topics.search(term).documents:
                mention = next((c for c in document.clauses if c.match != "related"), None)
                if mention and document.doc_id not in first_mention:
                    clause = self.index.clause_by_id[mention.clause_id]
                    first_mention[document.doc_id] = (_sentence_at(clause.text, mention.spans[0][0]), clause)
        allowed = filters.allowed_documents(self.index)
        kind = query.scope.kind  # 哪些法律提到…: the plans that mention it are not asked for
        picks = [(sentence, Hit(clause, 1.0, None, None)) for doc_id, (sentence, clause) in first_mention.items()
                 if (allowed is None or doc_id in allowed)
                 and (kind is None or is_of_kind(self.index.documents[doc_id], kind))]
        if not picks:
            return Draft(abstain=f"没有文档提到“{'、'.join(terms)}”。")
        return Draft(picks, per_document=True)

    def cites(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        """The titles the documents asked about cite (引用了哪些文件), each cited to the clause naming it
        first; asked for laws, the laws and regulations among them, or that it cites none."""
        doc_ids = query.scope.doc_ids or list(filters.doc_ids) or [h.clause.doc_id for h in hits[:1]]
        asks_laws = bool(_ASKS_LAWS.search(query.norm))
        picks, notes = [], []
        for doc_id in doc_ids:
            document = self.index.documents[doc_id]
            cited = cited_titles(document)
            laws = [(title, clause) for title, clause in cited if _LAW_TITLE.search(_bare_title(title))]
            if asks_laws and not laws:
                notes.append(f"《{document.title}》没有引用法律、法规" + ("，引用的其他文件如下" if cited else ""))
            for clause, titles in groupby(laws if asks_laws and laws else cited, key=lambda pair: pair[1]):
                picks.append(("、".join(f"《{title}》" for title, _ in titles), Hit(clause, 1.0, None, None)))
        if not picks:
            return Draft(abstain="；".join(notes) + "。" if notes else "文档没有以书名号引用其他文件。")
        several = len(doc_ids) > 1
        if notes:
            lead = "；".join(notes) + "：\n"
        else:  # several documents: each line says whose it is
            lead = "" if several else f"《{self.index.documents[doc_ids[0]].title}》引用的文件：\n"
        return Draft(picks, per_document=several, lines=True, quote=False, lead=lead)

    def metadata(self, query: Query, hits: list[Hit], filters: Filters) -> Draft:
        if _REFERS_ELSEWHERE.search(query.text):  # about a document the plan cites, not the plan
            return self.sentences(query, hits, filters)
        doc_ids = query.scope.doc_ids or [h.clause.doc_id for h in hits[:1]]
        asked = asked_fields(query.norm)
        records = [metadata_facts(self.index.documents[d]) for d in doc_ids]
        if len(asked) == 1 and not any(record[asked[0]] for record in records):
            return Draft(abstain=f"文档中未载明{asked[0]}。")  # the rest of the record does not answer it
        picks = []
        for doc_id in doc_ids:
            document = self.index.documents[doc_id]
            source = next((c for c in document.clauses if c.kind == "notice"), document.clauses[0])
            picks.append((metadata_sentence(document, asked), Hit(source, 1.0, None, None)))
            if (note := adoption_note(document)) and is_of_kind(document, "law"):
                # the record keeps the latest date; the note says when it was passed and each amendment
                picks.append((note.text.strip(), Hit(note, 1.0, None, None)))
        return Draft(picks, quote=False)
