"""Verification: is each sentence of a text backed by the plans, contradicted by them, or not covered?

A sentence is `supported` only when its figures agree with a target of the plan it
speaks of (value, unit, year, comparator) and every number, place, body and quoted
name in it is found in the evidence; `contradicted` when it gives the indicator of a
plan a different figure (or a figure that belongs to another plan), names another body or reach, or says
the opposite of what a clause allows, requires or forbids (polarity.py); otherwise
`not_found`; `conflicting` when the clause agrees but another document of the same place gives
the same indicator and year another figure (see conflicts.py). Citation markers ([1]) are ignored and text may be in either script.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field
from itertools import accumulate

from .conflicts import ConflictFinder, conflict_reason
from .genres import GENRES
from .index import Index
from .measured import GENERIC_QUANTITIES, figure_of
from .model import Clause, Document
from .numerals import COUNT_MEASURES, Quantity, context_similarity, find_quantities, same_kind, unit_of
from .polarity import opposed_phrases, swapped_names, swapped_terms
from .questions import is_of_kind, laws_named_otherwise, names_document
from .records import SQUARE_YEAR, RecordSaid, judge_law_record, judge_plan_record, record_said
from .retrieve import Filters, HybridRetriever
from .targets import Figure, Target, TargetTable, find_figures, format_figure
from .text import _jieba, has_chinese, known_places, normalize, place_key, tokenize
from .topics import check_input, search_form

CITATION_MARK = re.compile(r"\[\d+(?:\s*[,，、]\s*\d+)*\]")
SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*(?:\s*\[\d+(?:\s*[,，、]\s*\d+)*\])*")
QUOTED = re.compile(r"《([^》]{2,40})》|“([^”]{2,20})”|\"([^\"]{2,20})\"")
BODY = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:局|委员会|法院|检察院|协会|研究院|管委会)")
# Words that end what comes before a body's name and stand in none (和 and 经 do: 国家发展和改革委员会,
# 经济和信息化委员会): the prepositions 向 and 由, 或者, 可以, 的.
_BEFORE_BODY = re.compile(r"(?:[向由的]|可以|或者)(?=[\u4e00-\u9fff]{2})")
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
# An item number opening a sentence (7.加强…, （3）…), possibly after a "place：" label.
ITEM_NUMBER = re.compile(r"(^|[：:])\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[)）])")
# How each status reads to a user (the CLI and the web page both show these).
STATUS_LABELS = {"supported": "有依据", "contradicted": "与条款不符", "conflicting": "与其他条款不一致",
                 "not_found": "未找到依据"}
# Which problem a sentence is reported with when it has several.
PROBLEM_RANK = {"": 0, "not_found": 1, "conflicting": 2, "contradicted": 3}
MIN_BODY_CHARS = 4
# Indicator names that are not in the alias table still match when they share most
# character pairs (国际品牌机构 / 国际品牌(分支)机构); only within the plan named.
MIN_NAME_OVERLAP = 0.6
EVIDENCE_CLAUSES = 5
# Share of a sentence's distinctive words (idf-weighted) that its best clause must
# contain, for sentences without figures. Measured on the statements of
# tests/test_verify.py: the lowest supported one reaches 0.80, the highest unrelated
# one 0.45 (a small sample: 4 and 5 statements); the threshold sits between them.
MIN_COVERAGE = 0.6
# A number with a measure word (十五日, 五倍) is judged against the clause's number of the same
# measure whose phrase is most like the sentence's, when at least half their character pairs are
# shared (a Dice midpoint, not fitted): then the phrases speak of the same thing.
MIN_CONTEXT_SIMILARITY = 0.5
# The body a rule names as acting or deciding: 向人民法院 (起诉), 由国务院…主管部门 (授予), 经…局 (批准).
# 省、自治区、直辖市人民政府测绘地理信息主管部门: a government's department is named after the government.
_BODY_NAME = r"(?:[\u4e00-\u9fff、]{2,18}?(?:法院|检察院|局|部门|委员会|机关|政府(?:[\u4e00-\u9fff]{2,10}?部门)?|署|厅|办公室|领导小组)|海关)"
# The body an act is done to or by, with the others a rule offers beside it (向国务院…主管部门或者省…主管部门汇交).
ACTING_BODY = re.compile(rf"(?<=[向由经报请]){_BODY_NAME}(?:(?:或者|以及|或|和|及){_BODY_NAME})*")
_ALTERNATIVES = re.compile(r"或者|以及|或|和|及")
# The party a rule puts a duty or a cost on (运费由消费者承担): a person named by a role.
ACTING_PARTY = re.compile(r"(?<=由)[\u4e00-\u9fff]{1,5}?(?:者|人)(?=[\u4e00-\u9fff])")
# How far something reaches: the whole country, a province, a city … (全国 is not 全省).
REACH = re.compile(r"全国|全省|全市|全区|全县|国家级|省级|市级|区级|县级")
# 自申请日起, 自收到通知之日起: the event a period is counted from.
_PERIOD_START = re.compile(r"[自从](?P<event>[\u4e00-\u9fff、]{1,40}?)(?:之日|日)?起"
                           r"|在(?P<reached>[\u4e00-\u9fff、]{2,40}?)(?:之日|日)?满(?=\d)")   # 在…交付最初消费者满十年
_LIST_SEPARATOR = re.compile(r"[、和及与或]")
_LIST_CLOSER = re.compile(r"(?:这|这些|等|共|上述)$")
# How a statement says that a document says something (按海曙方案，…; 漕河泾方案提出…): no words of the clause.
_SAYING = frozenset({"方案", "计划", "规划", "法律", "规定", "提出", "明确", "指出", "提到", "写明", "载明", "按", "按照",
                     "根据", "依照", "所说", "所称"})
# The same before a figure's indicator (漕河泾方案提出…, 规划中的…): a document word with what follows it, or a verb of
# saying; not 规定 or 按 alone, which may begin an indicator's name (规定时限内办结率).
_SAID_LEAD = re.compile(r"(?:方案|计划|规划|文件)(?:中的|里的|中|里|的|提出|明确|指出|提到|写明|载明|规定|要求)+"
                        r"|(?:提出|明确|指出|提到|写明|载明)")
# A plan period a statement gives: a span of years with a word naming the period (实施期, 期限, 为期).
_PERIOD_WORD = re.compile(r"实施期|规划期|执行期|期限|周期|为期|时间跨度")
_PERIOD_SAID = re.compile(r"(20\d{2})\s*年?\s*(?:至|到|-|—|–|~|～)\s*(20\d{2})\s*年?")
# The bound a word after a quantity sets: 3000元以上 (at least) against 三千元以下 (at most).
_BOUNDS = {"以上": 1, "以下": -1, "以内": -1}
_POINTING = {"该", "其", "此"}   # 自该, 自其: jieba joins the preposition to the pronoun after it
_START_FILLERS = {"之", "的", "日", "之日"}
_PHRASE_END = re.compile(r"[,，。;；:：!?！？\n]|(?<=的)(?=可以|应当|不得|由|处|责令|依法|依照)")
SENTENCE_END = re.compile(r"[。;；!?！？\n]")
# What a phrase sets apart before its quantity (木本、藤本以外的其他植物…#年): not what the quantity is said of.
_EXCLUDED = re.compile(r"^[^#]*?(?:以外|之外)的?(?=[^#]*#)")
PHRASE = re.compile(r"[,，。;；:：!?！？\n]")


@dataclass
class Evidence:
    clause_id: str
    doc_title: str
    path: list[str]
    text: str

    def to_dict(self) -> dict:
        return {"clause_id": self.clause_id, "doc_title": self.doc_title, "path": self.path, "text": self.text}


@dataclass
class SentenceCheck:
    text: str
    status: str                  # supported | contradicted | conflicting | not_found
    evidence: list[Evidence]
    reason: str

    def to_dict(self) -> dict:
        return {"text": self.text, "status": self.status, "evidence": [e.to_dict() for e in self.evidence],
                "reason": self.reason}


@dataclass
class Verification:
    sentences: list[SentenceCheck]

    def to_dict(self) -> dict:
        return {"sentences": [s.to_dict() for s in self.sentences]}


@dataclass
class _Claim:
    """What a sentence asserts that can be checked."""
    norm: str
    figures: list[Figure]
    numbers: list[str]           # numbers outside the figures and quantities (years, addresses …)
    quantities: list[Quantity]   # numbers with a measure word outside the figures (十五日, 五倍)
    places: list[str]
    quoted: list[str]
    bodies: list[str]
    doc_ids: list[str]           # documents the sentence names: plans by place, laws by name
    period: tuple[int, int] | None = None   # the plan period it gives (实施期是2022年至2025年)
    record: RecordSaid = field(default_factory=RecordSaid)  # what it gives its document's record


@dataclass
class _Finding:
    problem: str = ""            # "" | contradicted | conflicting | not_found
    reasons: list[str] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    def fail(self, problem: str, reason: str) -> None:
        if PROBLEM_RANK[problem] > PROBLEM_RANK[self.problem]:
            self.problem = problem
        self.reasons.append(reason)


# Read here rather than imported from answer.py, which will import this module.
def split_claims(text: str) -> list[str]:
    """Sentences (。！？； and line breaks), each keeping the citation markers that follow it."""
    return [piece.strip() for piece in SENTENCE.findall(text) if CITATION_MARK.sub("", piece).strip(" 。！？；!?;")]


class Verifier:
    def __init__(self, index: Index, retriever: HybridRetriever, targets: TargetTable) -> None:
        self.index = index
        self.retriever = retriever
        self.targets = targets
        self.conflicts = ConflictFinder(index)

    # --- public ---------------------------------------------------------------
    def verify(self, text: str) -> Verification:
        """Check every sentence of `text`, finding the evidence in the whole corpus."""
        text = check_input(text, "待核对文本", "text to verify")
        return Verification([self._verify_sentence(s) for s in split_claims(text)])

    def check(self, sentence: str, clauses: list[Clause]) -> SentenceCheck:
        """Check one sentence against the given clauses only (e.g. the ones an answer cites)."""
        claim = self._claim(sentence)
        if isinstance(claim, SentenceCheck):
            return claim
        return self._judge(sentence, claim, clauses, self.targets.of_clauses(clauses))

    # --- steps ------------------------------------------------------------------
    def _verify_sentence(self, sentence: str) -> SentenceCheck:
        claim = self._claim(sentence)
        if isinstance(claim, SentenceCheck):
            return claim
        # Targets of the named plans, or of every plan when none is named.
        targets = [t for t in self.targets.targets if not claim.doc_ids or t.doc_id in claim.doc_ids]
        groups = {t.group for t in targets}
        clauses: list[Clause] = []
        # Figures of known indicators are judged on the targets table alone; the search
        # is for everything else.
        if not claim.figures or any(f.group not in groups for f in claim.figures):
            clauses = self._search(CITATION_MARK.sub("", sentence), claim)
        return self._judge(sentence, claim, clauses, targets)

    def _search(self, plain: str, claim: _Claim) -> list[Clause]:
        """Keyword hits when one of them already covers the sentence; else the hybrid search.
        Embedding the sentence is most of the cost of a check, and it only adds paraphrases."""
        doc_ids = claim.doc_ids or None
        keyword = [h.clause for h in self.retriever.keyword(plain, EVIDENCE_CLAUSES, doc_ids)]
        if any(self._coverage(claim.norm, [c]) >= MIN_COVERAGE for c in keyword):
            return keyword
        filters = Filters(doc_ids=tuple(claim.doc_ids)) if claim.doc_ids else None
        return [h.clause for h in self.retriever.search(plain, EVIDENCE_CLAUSES, filters)]

    def _claim(self, sentence: str) -> _Claim | SentenceCheck:
        sentence = SQUARE_YEAR.sub(r"〔\1〕", sentence)  # 海政办发[2024]6号: a 文号, not a citation mark
        plain = ITEM_NUMBER.sub(r"\1", CITATION_MARK.sub("", sentence).strip())
        if not has_chinese(plain):
            return SentenceCheck(sentence, "not_found", [], "陈述不含中文，无法与中文条款核对。(no Chinese text to check)")
        norm = search_form(plain)
        doc_ids = self._named_documents(normalize(plain))
        of_law = bool(doc_ids) and is_of_kind(self._first_named(norm, doc_ids), "law")
        figures = [dataclasses.replace(f, indicator=self._indicator_itself(f.indicator)) for f in find_figures(norm)]
        record = record_said(norm, of_law)
        inside = list(record.spans)
        figures = [f for f in figures if not any(a <= f.start < b or f.start <= a < f.end for a, b in inside)]
        inside += [(f.start, f.end) for f in figures]
        quantities = [q for q in _quantities(norm) if not any(a <= q.start < b for a, b in inside)
                      and not _counts_its_list(norm, q)]
        inside += [(q.start, q.end) for q in quantities]
        period = _PERIOD_SAID.search(norm) if _PERIOD_WORD.search(norm) else None
        if period:
            inside.append(period.span())
        numbers = [m.group(0) for m in NUMBER.finditer(norm)
                   if not any(a <= m.start() < b for a, b in inside)
                   and not any(m.group(0) == str(f.year) for f in figures)]
        places = [p for p in known_places() if p in norm]
        quoted = [search_form(next(g for g in m.groups() if g)) for m in QUOTED.finditer(plain)]
        unknown = [p for p in places if p not in self._corpus_text]
        if unknown:
            return SentenceCheck(sentence, "not_found", [], f"文档中没有涉及“{'、'.join(unknown)}”的内容。")
        return _Claim(norm, figures, numbers, quantities, places, quoted, [_body_name(b) for b in BODY.findall(norm)],
                      doc_ids, (int(period[1]), int(period[2])) if period else None, record)

    def _named_documents(self, norm: str) -> list[str]:
        """The documents a statement names: a plan by its place, a law by its name or as practitioners
        shorten it (民诉法); its evidence is theirs (著作权法于2020年11月11日修正 is not borne out by another
        law amended that day)."""
        documents = list(self.index.documents.values())
        named = [d.id for d in documents if names_document(norm, d)]
        return named + [d for _, ids in laws_named_otherwise(norm, documents, self._corpus_text) for d in ids
                        if d not in named]

    def _first_named(self, norm: str, doc_ids: list[str]) -> Document:
        return min((self.index.documents[d] for d in doc_ids), key=lambda document: _named_at(norm, document))

    def _judge(self, sentence: str, claim: _Claim, clauses: list[Clause], targets: list[Target]) -> SentenceCheck:
        finding = _Finding()
        if not clauses and not claim.figures:
            return SentenceCheck(sentence, "not_found", [], "没有找到相关条款。")
        for figure in claim.figures:
            self._check_figure(figure, claim, targets, clauses, finding)
        if not finding.clauses and clauses:
            finding.clauses.append(self._best_clause(claim, clauses))
        self._check_content(claim, finding)
        evidence = [self._evidence(c) for c in dict.fromkeys(finding.clauses)]
        if finding.problem:
            return SentenceCheck(sentence, finding.problem, evidence, "；".join(finding.reasons) + "。")
        return SentenceCheck(sentence, "supported", evidence, "；".join(finding.reasons or ["条款载有此内容"]) + "。")

    def _check_figure(self, figure: Figure, claim: _Claim, targets: list[Target], clauses: list[Clause],
                      finding: _Finding) -> None:
        same_indicator = [t for t in targets if t.group == figure.group]
        if not same_indicator and claim.doc_ids:
            named_alike = [t for t in targets if _name_overlap(t.group, figure.group) >= MIN_NAME_OVERLAP]
            # of indicators named alike, those sharing the statement's rarer words: 规模以上服务机构, not 知识产权服务机构,
            # for 规模以上知识产权服务机构 (知识产权 is in every indicator of these plans)
            shared = [self._shared_weight(t.group, figure.group) for t in named_alike]
            same_indicator = [t for t, weight in zip(named_alike, shared) if weight == max(shared)]
        if not same_indicator:
            owner = self._owner_hint(figure, claim)
            quantity = next((q for q in _quantities(claim.norm) if q.start == figure.start), None)
            if quantity and clauses and not (owner and claim.doc_ids):
                self._check_against_best_clause(quantity, claim, clauses, finding)
                return
            literal = next((c for c in clauses if _states(c, figure)), None)
            if literal is not None:
                finding.clauses.append(literal)
            elif owner and claim.doc_ids:   # the named plan has no such target, another plan has this one
                finding.fail("contradicted", f"所说文档没有“{figure.group}”的目标{owner}")
            else:
                finding.fail("not_found", f"条款中没有“{figure.indicator}”{figure.shown()}的目标")
            return
        agreeing = [t for t in same_indicator if _agrees(t, figure)]
        if agreeing:
            finding.clauses.append(self.index.clause_by_id[agreeing[0].clause_id])
            year = f"（{agreeing[0].year} 年）" if agreeing[0].year else ""
            finding.reasons.append(f"与条款一致：{agreeing[0].group} {agreeing[0].shown()}{year}")
            self._check_conflicts(agreeing[0], finding)
            return
        closest = min(same_indicator, key=lambda t: _distance(t, figure))
        finding.clauses.append(self.index.clause_by_id[closest.clause_id])
        finding.fail("contradicted", _difference(closest, figure, claim) + self._owner_hint(figure, claim))

    def _check_conflicts(self, target: Target, finding: _Finding) -> None:
        """A clause that agrees does not settle it while another document of the same place
        gives the indicator another figure for that year."""
        others = self.conflicts.of(target)
        if others:
            finding.clauses += [self.index.clause_by_id[o.clause_id] for o in others]
            finding.fail("conflicting", conflict_reason(self.index, target, others))

    def _owner_hint(self, figure: Figure, claim: _Claim) -> str:
        """When the figure is another plan's target: say whose."""
        owners = [t for t in self.targets.targets if t.group == figure.group and _agrees(t, figure)
                  and t.doc_id not in claim.doc_ids]
        if not owners:
            return ""
        owner = self.index.documents[owners[0].doc_id]
        return f"；{figure.shown()}是{owner.short_title}的目标（{owners[0].clause_id}）"

    def _check_content(self, claim: _Claim, finding: _Finding) -> None:
        clauses = finding.clauses
        # an item in the second part of a long article is ruled by its list's lead in the first
        text = "".join(search_form(c.text) for c in dict.fromkeys(p for c in clauses for p in self.index.parts_of(c)))
        documents = {c.doc_id: self.index.documents[c.doc_id] for c in clauses}
        document_text = "".join(self.index.document_text(d.id) for d in documents.values())
        for number in claim.numbers:
            if not _states_number(document_text, number):
                finding.fail("not_found", f"条款中未见数字 {number}")
        for quantity in claim.quantities:
            self._check_quantity(quantity, clauses, finding, claim.norm)
        if claim.period:
            self._check_period(claim, finding)
        if claim.record:
            self._check_record(claim, finding)
            return  # the rest of a statement of record names the document and who issued it
        for place in claim.places:
            if place not in document_text:
                finding.fail("not_found", f"所引文档未提到“{place}”")
        for name in claim.quoted:
            if name not in text and not any(names_document(name, self.index.documents[d]) for d in claim.doc_ids):
                finding.fail("not_found", f"条款中未见“{name}”" + self._found_elsewhere(name))
        for body in claim.bodies:
            if not _body_named(body, text):
                finding.fail("not_found", f"条款中未见“{body}”")
        for acting, other in _other_bodies(claim.norm, text):
            finding.fail("contradicted", f"条款为 {other}，陈述为 {acting}")
        for opposition in opposed_phrases(claim.norm, text) + swapped_terms(claim.norm, text) + swapped_names(claim.norm, text):
            finding.fail("contradicted", f"条款为“{opposition.ruled}”，陈述为“{opposition.stated}”")
        named_in_clause = any(name in text for d in claim.doc_ids for name in self.index.documents[d].names)
        if claim.doc_ids and documents and not set(claim.doc_ids) & documents.keys() and not named_in_clause:
            finding.fail("not_found", "所引条款不属于陈述所说的文档")
        said, titles = self._said_besides_period(claim)
        if not claim.figures and self._coverage(said, clauses, titles) < MIN_COVERAGE:
            finding.fail("not_found", "条款未涉及陈述的主要内容")

    def _best_clause(self, claim: _Claim, clauses: list[Clause]) -> Clause:
        """The clause holding most of the statement; of clauses holding as much, the one whose phrases are most
        like the statement's (行政处罚法第七十二条's …加处罚款的数额不得超出罚款的数额 for a statement on 加处罚款的数额,
        not 道路交通安全法第一百零九条, which holds the same words but not that phrase)."""
        coverage = [self._coverage(claim.norm, [c]) for c in clauses]
        most = [c for c, held in zip(clauses, coverage) if held == max(coverage)]
        if len(most) == 1:
            return most[0]
        phrases = [p for p in PHRASE.split(claim.norm) if p]

        def alike(clause: Clause) -> float:
            ruled = [p for p in PHRASE.split(search_form(clause.text)) if p]
            return sum(max((context_similarity(p, r) for r in ruled), default=0.0) for p in phrases)
        return max(most, key=alike)

    def _check_against_best_clause(self, quantity: Quantity, claim: _Claim, clauses: list[Clause],
                                   finding: _Finding) -> None:
        """No plan target states this indicator: judge the number against the clause that speaks
        of the same thing, not against any clause that happens to hold the number."""
        best = self._best_clause(claim, clauses)
        finding.clauses.append(best)
        if self._coverage(claim.norm, [best]) < MIN_COVERAGE:
            finding.fail("not_found", "条款未涉及陈述的主要内容")
        else:
            self._check_quantity(quantity, [best], finding, claim.norm)

    def _check_quantity(self, quantity: Quantity, clauses: list[Clause], finding: _Finding, norm: str) -> None:
        """The evidence's number for the same thing must be this one (外观设计…十五年, not 二十年), in the same
        unit (三十天 is 三十日; 三个月 is not 十五日)."""
        evidence_text = "".join(search_form(c.text) for c in clauses)
        stated_phrase = _phrase_of(norm, quantity)
        phrase = {q: _phrase_of(evidence_text, q) for q in _quantities(evidence_text)
                  if same_kind(q.measure, quantity.measure)}
        alike = [q for q in phrase if context_similarity(phrase[q], stated_phrase) >= MIN_CONTEXT_SIMILARITY]
        # Phrases worded apart (金额为购买商品价款的#倍 / 增加赔偿的金额为消费者购买商品的价款…的#倍) still speak of
        # the same thing when they share its words; then the one sharing the rarest does.
        shared = {q: self._shared_weight(phrase[q], stated_phrase) for q in alike or phrase}
        alike = _of_the_same_thing(norm, quantity, evidence_text, alike or [q for q in phrase if shared[q] > 0])
        if alike:
            # Of the phrases alike, the one sharing the statement's rarer words speaks of its subject:
            # 木本或者藤本植物…4年 is about 木本或者藤本植物未超过6年, not 在境内销售、推广…种子未超过4年,
            # though the latter shares more characters.
            top = max(shared[q] for q in alike)
            closest = [q for q in alike if shared[q] == top]
            # the same figure bounded the other way (3000元以上 where the clause says 三千元以下) in every phrase giving it
            equal = [q for q in closest if _equal(q, quantity)]
            turned = [q for q in equal if _bound(evidence_text, q) * _bound(norm, quantity) < 0]
            if equal and len(turned) == len(equal):
                ruled = turned[0]
                finding.fail("contradicted", f"条款为 {ruled.text}{_bound_word(evidence_text, ruled)}，"
                                             f"陈述为 {quantity.text}{_bound_word(norm, quantity)}")
            elif not equal:
                # a phrase may state a range (一倍以上五倍以下): name all it states
                stated = "、".join(dict.fromkeys(q.text for q in closest))
                finding.fail("contradicted", f"条款为 {stated}，陈述为 {quantity.text}")
            else:
                finding.reasons.append(f"与条款一致：{quantity.text}")
                self._check_start(norm, quantity, evidence_text, [q for q in alike if _equal(q, quantity)], finding)
        elif not self._stated_apart(quantity, clauses, evidence_text):
            finding.fail("not_found", f"条款中未见 {quantity.text}")

    def _said_besides_period(self, claim: _Claim) -> tuple[str, str]:
        """The statement without the plan period it gives, and the titles of the plans it names: a period is
        checked against the plan's record, and the rest against its clauses."""
        if not claim.period:
            return claim.norm, ""
        titles = "".join(search_form(self.index.documents[d].title) for d in claim.doc_ids)
        return _PERIOD_WORD.sub("", _PERIOD_SAID.sub("", claim.norm)), titles

    def _check_period(self, claim: _Claim, finding: _Finding) -> None:
        """The plan period a statement gives the plan it names is the one the plan's title or text gives."""
        first, last = claim.period
        for document in (self.index.documents[d] for d in claim.doc_ids):
            if document.period is None:
                continue
            if document.period == (first, last):
                finding.reasons.append(f"与文档一致：规划期 {first}—{last} 年")
            else:
                finding.fail("contradicted", f"{document.short_title}的规划期为 {document.period[0]}—{document.period[1]} 年，"
                                             f"陈述为 {first}—{last} 年")

    def _check_record(self, claim: _Claim, finding: _Finding) -> None:
        """What a statement gives the record of the document it names first, judged by that record
        (records.py)."""
        if not claim.doc_ids:
            finding.fail("not_found", "陈述未指明是哪份文档")
            return
        document = self._first_named(claim.norm, claim.doc_ids)
        judge = judge_law_record if is_of_kind(document, "law") else judge_plan_record
        judgement = judge(document, claim.record)
        finding.clauses[:] = judgement.clauses
        for problem, reason in judgement.verdicts:
            if problem:
                finding.fail(problem, reason)
            else:
                finding.reasons.append(reason)

    @staticmethod
    def _check_start(norm: str, quantity: Quantity, evidence_text: str, equal: list[Quantity],
                     finding: _Finding) -> None:
        """The period agrees, but it is counted from another event (自授权之日起 where the law says 自申请日起)
        in every phrase alike that gives it."""
        stated = period_start(norm, quantity)
        ruled = [r for q in equal if (r := period_start(evidence_text, q))]
        if stated and ruled and all(other_start(_event(stated), _event(r)) for r in ruled):
            finding.fail("contradicted", f"条款为“{ruled[0].group(0)}”，陈述为“{stated.group(0)}”")

    # --- helpers ----------------------------------------------------------------
    def _stated_apart(self, quantity: Quantity, clauses: list[Clause], evidence_text: str) -> bool:
        """A figure no phrase alike gives may still be stated: by a plan anywhere, as a number (its targets table
        puts the unit in a column's heading: 专利代理机构数量（家）… 200); by an article in another of its phrases,
        as that quantity — a law's number elsewhere is another rule's, and 第24条 holds no 24小时."""
        if any(GENRES[self.index.documents[c.doc_id].genre].figures_apart for c in clauses):
            document_text = "".join(self.index.document_text(d) for d in {c.doc_id for c in clauses})
            return _states_number(document_text, quantity.text.rstrip(quantity.measure))
        return any(_equal(q, quantity) for q in _quantities(evidence_text))

    def _shared_weight(self, context: str, other: str) -> float:
        """The idf of the words two phrases share: what they are about, not how they are put."""
        words = set(tokenize(other))
        return sum(self.index.idf.of(w) for w in set(tokenize(context)) & words if len(w) > 1)

    @functools.cached_property
    def _place_prefix(self) -> re.Pattern:
        names = set(known_places()) | {normalize(d.region) for d in self.index.documents.values() if d.region}
        names |= {k for d in self.index.documents.values() if (k := self._place_key(d))}
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"^(?:{alternation})(?:新区|区|市|县)?(?:的)?")

    def _indicator_itself(self, indicator: str) -> str:
        """The indicator without the places and the saying words before it (漕河泾方案提出…规模以上服务机构)."""
        while ((lead := self._place_prefix.match(indicator) or _SAID_LEAD.match(indicator))
               and lead.end() < len(indicator)):
            indicator = indicator[lead.end():]
        return indicator

    def _evidence(self, clause: Clause) -> Evidence:
        return Evidence(clause.id, self.index.documents[clause.doc_id].title, list(clause.path), clause.text)

    def _found_elsewhere(self, name: str) -> str:
        for document in self.index.documents.values():
            if name in self.index.document_text(document.id):
                return f"（见于{document.short_title}的文档）"
        return ""

    @staticmethod
    def _place_key(document: Document) -> str | None:
        return place_key(document.region)

    @functools.cached_property
    def _document_names(self) -> frozenset[str]:
        return frozenset(name for d in self.index.documents.values() for name in d.names)

    @functools.cached_property
    def _corpus_text(self) -> str:
        return "".join(self.index.document_text(d) for d in self.index.documents)

    def _coverage(self, norm: str, clauses: list[Clause], also: str = "") -> float:
        """Idf-weighted share of the sentence's words found in the clauses (documents' names, and the words by which
        a statement says that a document says it, left out)."""
        idf = self.index.idf
        words = {t for t in tokenize(norm) if t not in self._document_names and not t.isdigit() and t not in _SAYING}
        total = sum(idf.of(t) for t in words)
        if not total:
            return 1.0
        text = "".join(search_form(c.text) for c in clauses) + also
        return sum(idf.of(t) for t in words if t in text or _spread_in(t, text)) / total


def _quantities(norm: str) -> list[Quantity]:
    """The quantities a statement or a clause states, fractions included (三分之二 → 2/3): verify compares them."""
    return find_quantities(norm, fractions=True)


def _other_bodies(norm_sentence: str, evidence_text: str) -> list[tuple[str, str]]:
    """(the sentence's body or reach, the clause's) where the clause says the same thing of another body
    or at another level: 向人民法院请求复审 against 向国务院专利行政部门请求复审, 在全省有重大影响 against
    在全国有重大影响 — the phrases, that word masked, are alike."""
    return [pair for pattern in (ACTING_BODY, ACTING_PARTY, REACH) for pair in _other_terms(pattern, norm_sentence, evidence_text)
            if not (pattern is ACTING_PARTY and _may_be_the_same_party(*pair))]


def _may_be_the_same_party(said: str, ruled: str) -> bool:
    """Two roles that may name the same party (专利权人 is a 权利人): one holds the other, or they share two
    characters besides the last (经营者 and 消费者 share only 者)."""
    return said in ruled or ruled in said or len(set(said[:-1]) & set(ruled[:-1])) >= 2


def _other_terms(pattern: re.Pattern, norm_sentence: str, evidence_text: str) -> list[tuple[str, str]]:
    found = []
    acting_phrases = [(m.group(0), p.replace(m.group(0), "#")) for p in PHRASE.split(evidence_text)
                      if (m := pattern.search(p))]
    for phrase in PHRASE.split(norm_sentence):
        acting = pattern.search(phrase)
        if not acting or not acting_phrases:
            continue
        masked = phrase.replace(acting.group(0), "#")
        # the most alike phrase of the clause; on a tie, one naming the same body
        similarity, _, other = max((context_similarity(masked, m), body == acting.group(0), body)
                                   for body, m in acting_phrases)
        if similarity >= MIN_CONTEXT_SIMILARITY and other != acting.group(0) \
                and acting.group(0) not in _ALTERNATIVES.split(other):
            found.append((acting.group(0), other))
    return found


def _body_name(found: str) -> str:
    """The body's name without the words before it that the match took in (任何单位或者个人都可以向商标局 → 商标局)."""
    return _BEFORE_BODY.split(found)[-1]


def _body_named(body: str, text: str) -> bool:
    """The text names the body: the whole name or its last MIN_BODY_CHARS or more characters (人民法院 for
    中级人民法院), or its last words when the match began before the name (是否准许由|法院 → 法院)."""
    tails = range(0, max(1, len(body) - MIN_BODY_CHARS + 1))
    word_starts = [i for i in accumulate(map(len, _jieba().lcut(body)), initial=0) if len(body) - i >= 2]
    return any(body[i:] in text for i in [*tails, *word_starts])


def _phrase_of(norm: str, quantity: Quantity) -> str:
    """The phrase a quantity stands in — what it is said of — numbers masked and the period's starting point
    (自申请日起, compared apart) and what it sets apart (…以外的) left out. A condition ending in 的 before a rule's modal word is a phrase of
    its own, with or without the comma (没有违法所得的可以处#万元以下罚款: the 罚款, not the 违法所得)."""
    start = max((m.end() for m in _PHRASE_END.finditer(norm, 0, quantity.start)), default=0)
    end = _PHRASE_END.search(norm, quantity.end)
    return _EXCLUDED.sub("", NUMBER.sub("#", _without_start(norm[start:end.start() if end else len(norm)])))


def _spread_in(word: str, text: str) -> bool:
    """The word's characters stand in the text in order, one other character at most between two of them: the
    statement's short form of the clause's word (起算 / 起计算, 罚款额 / 罚款数额)."""
    return len(word) > 1 and re.search("[^,。;:]?".join(map(re.escape, word)), text) is not None


def _bound_word(norm: str, quantity: Quantity) -> str:
    word = norm[quantity.end:quantity.end + 2]
    return word if word in _BOUNDS else ""


def _bound(norm: str, quantity: Quantity) -> int:
    """Whether the text bounds the quantity from below (3000元以上: 1), from above (以下, 以内: −1) or not (0)."""
    return _BOUNDS.get(_bound_word(norm, quantity), 0)


def _counts_its_list(norm: str, quantity: Quantity) -> bool:
    """The count says how many things the sentence has just listed (稻、小麦、玉米、棉花和大豆这五种): it states
    nothing the listed things do not, and a law lists them without counting."""
    if quantity.measure not in COUNT_MEASURES:
        return False
    before = _LIST_CLOSER.sub("", PHRASE.split(norm[:quantity.start])[-1])
    items = _LIST_SEPARATOR.split(before)
    return len(items) >= 3 and all(items) and len(items) == quantity.value


_COPULA_BEFORE = re.compile(r"(?:为|是)$")


def _named_at(norm: str, document: Document) -> int:
    """Where a statement first names a document (its end when it names it otherwise, 民诉法)."""
    return min((at for name in document.names if (at := norm.find(name)) >= 0), default=len(norm))


def _measured(norm: str, quantity: Quantity) -> str:
    """The word naming what a quantity is said to be (注册商标的有效期为十年 → 有效期), or "" when no
    为/是 gives it (in …之日起十六个月内 and 种子未超过一年 the words before it name an event or a subject)
    or the words before that name nothing or only say it is a quantity (金额, 数量)."""
    if not _COPULA_BEFORE.search(norm[:quantity.start]):
        return ""
    of_measure = [q for q in _quantities(norm) if q.measure == quantity.measure]
    for found, words in zip(of_measure, figure_of(norm, frozenset({quantity.measure}))):
        if found.start == quantity.start and words and words[-1] not in GENERIC_QUANTITIES:
            return words[-1]
    return ""


def _of_the_same_thing(norm: str, quantity: Quantity, evidence_text: str, alike: list[Quantity]) -> list[Quantity]:
    """Of the clause's quantities alike, those measuring what the statement's measures (有效期是十年 is
    judged against …的有效期为十年, not against 期满前十二个月内 of the same article, which shares more
    words): the same word, else one sharing a character (期限, 保护期); all of them when none does."""
    thing = _measured(norm, quantity)
    if not thing:
        return alike
    measured = {q: _measured(evidence_text, q) for q in alike}
    return [q for q in alike if measured[q] == thing] or [q for q in alike if set(measured[q]) & set(thing)] or alike


def _equal(stated: Quantity, ruled: Quantity) -> bool:
    return stated.value == ruled.value and unit_of(stated.measure) == unit_of(ruled.measure)


def _without_start(phrase: str) -> str:
    return "".join(phrase[a:b] for a, b in _gaps([m.span() for m in _PERIOD_START.finditer(phrase)
                                                   if _own_word(phrase, m.start())], len(phrase)))


def _gaps(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    edges = [0, *(e for span in spans for e in span), length]
    return list(zip(edges[::2], edges[1::2]))


def period_start(norm: str, quantity: Quantity) -> re.Match | None:
    """The event a period is counted from (自申请日起, its event 申请), said in the quantity's sentence: the nearest
    before it in its phrase, else one after it (…，均自申请日起计算), else one before."""
    sentence_start = max((m.end() for m in SENTENCE_END.finditer(norm, 0, quantity.start)), default=0)
    end = SENTENCE_END.search(norm, quantity.end)
    starts = [m for m in _PERIOD_START.finditer(norm, sentence_start, end.start() if end else len(norm))
              if _own_word(norm, m.start())]
    phrase_start = max((m.end() for m in PHRASE.finditer(norm, sentence_start, quantity.start)), default=sentence_start)
    ordered = ([m for m in reversed(starts) if phrase_start <= m.start() < quantity.start]
               + [m for m in starts if m.start() >= quantity.end] + [m for m in reversed(starts) if m.start() < quantity.start])
    return ordered[0] if ordered else None


def _event(start: re.Match) -> str:
    return start["event"] or start["reached"]


def _own_word(norm: str, at: int) -> bool:
    """自, 从 or 在 at `at` is a preposition of its own (自申请日起, 自该产品出厂之日起, 自其知道之日起), not part of a
    word (自然人, 自行, 从事, 存在)."""
    offset = min(at, 4)
    for word in _words(norm[max(0, at - 4):at + 8]):
        if offset < len(word):
            return word == norm[at] or (offset == 0 and word[1:] in _POINTING)
        offset -= len(word)
    return False


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_jieba().lcut(text))


def other_start(stated: str, ruled: str) -> bool:
    """Two starting points that are different events (授权 / 申请); one naming the other more fully
    (收到通知 / 收到复审决定通知) is the same."""
    said, rule = (set(tokenize(e)) - _START_FILLERS for e in (stated, ruled))
    return bool(said and rule) and not (said <= rule or rule <= said)


def _states_number(text: str, number: str) -> bool:
    """The number stands in the text as a whole number (5 is not found in 15 or 2025)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text) is not None


def _states(clause: Clause, figure: Figure) -> bool:
    """The clause itself gives this figure (for indicators outside the targets table)."""
    return any(f.low == figure.low and f.high == figure.high and f.measure == figure.measure
               for f in find_figures(search_form(clause.text)))


def _name_overlap(a: str, b: str) -> float:
    """Dice coefficient of the character pairs of two indicator names."""
    return context_similarity(a, b)


def _agrees(target: Target, figure: Figure) -> bool:
    return ((target.low, target.high, target.measure) == (figure.low, figure.high, figure.measure)
            and (figure.year is None or figure.year == target.year)
            and (not figure.comparator or figure.sense == target.sense))


def _distance(target: Target, figure: Figure) -> tuple:
    same_value = (target.low, target.high) == (figure.low, figure.high)
    return (not same_value, target.measure != figure.measure, abs(math.log((target.low + 1) / (figure.low + 1))))


def _difference(target: Target, figure: Figure, claim: _Claim) -> str:
    """What differs between the clause and the sentence, in Chinese."""
    place = "" if claim.doc_ids else f"（{target.region}）"
    if (target.low, target.high, target.measure) != (figure.low, figure.high, figure.measure):
        return f"条款为 {target.shown()}{place}，陈述为 {figure.shown()}"
    if figure.year is not None and figure.year != target.year:
        return f"条款为 {target.year} 年{place}，陈述为 {figure.year} 年"
    return (f"条款为“{target.comparator or '达到'} {target.shown()}”{place}，"
            f"陈述为“{figure.comparator} {format_figure(figure.low, figure.high, figure.unit)}”")
