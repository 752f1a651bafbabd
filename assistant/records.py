"""What a statement says of a document's record, and whether the record bears it out.

A plan's record is what its front matter gives: its 文号, the day it was issued and who issued it. A law's
is the day it was last promulgated and its legislature (the law database's front matter), the dated acts of
its adoption note where its text has one (（1984年3月12日…通过　根据…2020年10月17日…第四次修正）), and the
day its article 本法自…起施行 gives. Each is judged against the record, not against whichever clause
happens to hold the same numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .frontmatter import adoption_history
from .model import Clause, Document
from .topics import search_form

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d+\s*号")
SQUARE_YEAR = re.compile(r"\[\s*(\d{4})\s*\](?=\s*\d+\s*[号號])")
_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_ISSUING = "印发|发布|出台|颁布|公布|发文"
# A law is also passed (通过) and amended (修正, 修订) on a day; said of a plan, 2025年12月31日通过 is its
# 验收, so these acts are read only of a law.
_ENACTING = _ISSUING + "|通过|修正|修订|制定"


def _issued_on(acts: str) -> re.Pattern:
    return re.compile(rf"{_DATE}[^，,。；;]{{0,6}}?(?P<act>{acts})|(?P<act_first>{acts})[^，,。；;]{{0,6}}?{_DATE}")


_ISSUED_ON = {False: _issued_on(_ISSUING), True: _issued_on(_ENACTING)}
_ISSUED_BY = {law: re.compile(rf"由([^，,。；;由]{{2,30}}?)(?:联合|共同)?(?:审议)?(?:{acts})")
              for law, acts in ((False, _ISSUING), (True, _ENACTING))}
_IN_FORCE_ON = re.compile(rf"{_DATE}[^，,。；;]{{0,3}}?(?:起施行|施行|起生效|生效)")
_IN_FORCE_RULE = re.compile(rf"本法自{_DATE}起施行")
_AMENDING = frozenset({"修正", "修订"})
_SESSION = re.compile(r"^第\d+届|第\d+次会议$")  # 由第十三届全国人民代表大会常务委员会第二十二次会议通过
_BRACKETS = str.maketrans("[（(【]）)】", "〔〔〔〔〕〕〕〕")
# A 文号's issuer's short form, year and number: the form is the characters right before the bracket, as
# many as the record's has (the statement's may run on into the words before it: 文号是浦府〔…).
_DOC_NUMBER_TAIL = re.compile(r"([\u4e00-\u9fff]{0,6})〔(\d{4})〕(\d+)号$")
PLAN_LABELS = {"number": "文号", "date": "印发日期", "issuer": "印发单位"}


@dataclass
class RecordSaid:
    """What a statement gives a document's record (ISO dates), with the spans of the statement saying it."""
    number: str = ""
    date: str = ""
    act: str = ""           # the act the date is said to be of (印发, 通过, 修正 …)
    issuer: str = ""
    in_force: str = ""      # the day it is said to take effect (laws)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.number or self.date or self.issuer or self.in_force)


@dataclass
class Judgement:
    """The record's verdicts on what a statement said: (problem or "", reason) each, and the clauses shown."""
    verdicts: list[tuple[str, str]] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    def agrees(self, reason: str) -> None:
        self.verdicts.append(("", reason))

    def fails(self, problem: str, reason: str) -> None:
        self.verdicts.append((problem, reason))


def record_said(norm: str, of_law: bool = False) -> RecordSaid:
    """What a statement (search form) says of a document's record: its 文号 (brackets unified), the day it
    was issued — or, of a law, passed or amended — and by whom, and the day a law takes effect."""
    said = RecordSaid()
    if number := DOC_NUMBER.search(norm):
        said.number = re.sub(r"\s+", "", number.group(0)).translate(_BRACKETS)
        said.spans.append(number.span())  # its leading characters may run into the words before it (文号是浦府〔…)
    if issued := _ISSUED_ON[of_law].search(norm):
        said.date = _iso(*re.search(_DATE, issued.group()).groups())
        said.act = issued["act"] or issued["act_first"]
        said.spans.append(issued.span())
    if issuer := _ISSUED_BY[of_law].search(norm):
        said.issuer = issuer.group(1).strip()
        said.spans.append(issuer.span(1))
    if of_law and (in_force := _IN_FORCE_ON.search(norm)):
        said.in_force = _iso(*in_force.groups())
        said.spans.append(in_force.span())
    return said


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def chinese_date(iso: str) -> str:
    """An ISO date as the documents write it (2024-02-29 → 2024年2月29日)."""
    year, month, day = (int(p) for p in iso.split("-"))
    return f"{year}年{month}月{day}日"


# --- plans --------------------------------------------------------------------------------------------

def judge_plan_record(document: Document, said: RecordSaid) -> Judgement:
    """A plan's 文号, issuing day and issuer against its front matter, shown with its cover letter
    (浦东的方案文号是浦府〔2017〕95号: 文号为 浦府〔2017〕94号)."""
    judgement = Judgement(clauses=[c for c in document.clauses if c.kind == "notice"][:1])
    recorded = {"number": document.number or "", "date": document.date or "", "issuer": document.issuer or ""}
    for field_, stated in (("number", said.number), ("date", said.date), ("issuer", said.issuer)):
        if not stated:
            continue
        label, ruled = PLAN_LABELS[field_], search_form(recorded[field_])
        shown = chinese_date(recorded[field_]) if field_ == "date" and ruled else recorded[field_]
        if not ruled:
            judgement.fails("not_found", f"{document.short_title}的文中未载明{label}")
        elif _same_plan_record(field_, stated, ruled):
            judgement.agrees(f"与文档一致：{label} {shown}")
        else:
            if field_ == "number":
                stated = _as_long_as(stated, ruled)
            elif field_ == "date":
                stated = chinese_date(stated)
            judgement.fails("contradicted", f"{label}为 {shown}，陈述为 {stated}")
    return judgement


def _as_long_as(said: str, ruled: str) -> str:
    """The statement's 文号 with as many characters before its bracket as the record's has."""
    stated, recorded = _DOC_NUMBER_TAIL.search(said), _DOC_NUMBER_TAIL.search(ruled.translate(_BRACKETS))
    if not (stated and recorded):
        return said
    return stated[0][max(0, len(stated[1]) - len(recorded[1])):]


def _same_plan_record(field_: str, said: str, ruled: str) -> bool:
    if field_ == "issuer":
        return said in ruled or ruled in said
    if field_ == "number":
        stated, recorded = _DOC_NUMBER_TAIL.search(said), _DOC_NUMBER_TAIL.search(ruled.translate(_BRACKETS))
        return bool(stated and recorded) and stated.groups()[1:] == recorded.groups()[1:] \
            and said.removesuffix(stated.group(0)[len(stated[1]):]).endswith(recorded[1])
    return said == ruled


# --- laws ---------------------------------------------------------------------------------------------

def adoption_note(document: Document) -> Clause | None:
    """The clause of a law's text that dates its adoption and amendments, if the text has one."""
    return next((c for c in document.clauses if c.kind == "preamble" and adoption_history(c.text)), None)


def judge_law_record(document: Document, said: RecordSaid) -> Judgement:
    """A law's dates and legislature against its record and adoption note, its day in force against the
    article giving it (see the module's docstring)."""
    judgement = Judgement()
    note = adoption_note(document)
    history = adoption_history(note.text) if note else []
    if note:
        judgement.clauses.append(note)
    if said.date:
        _judge_law_date(document, said, history, judgement)
    if said.issuer:
        _judge_legislature(document, said.issuer, judgement)
    if said.in_force:
        _judge_in_force(document, said.in_force, history, judgement)
    if not judgement.clauses and document.clauses:
        judgement.clauses.append(document.clauses[0])  # the law itself, under its title
    return judgement


def _judge_law_date(document: Document, said: RecordSaid, history: list[tuple[str, str]],
                    judgement: Judgement) -> None:
    acts = [act for day, act in history if day == said.date]
    if acts or said.date == document.date:
        if acts and said.act in {"通过", *_AMENDING} and not any(_same_act(said.act, act) for act in acts):
            judgement.fails("contradicted", f"{chinese_date(said.date)}为{'、'.join(acts)}日期，陈述为{said.act}")
        else:
            judgement.agrees(f"与文档一致：{(acts or ['公布'])[0]}日期 {chinese_date(said.date)}")
    elif history:
        known = "、".join(f"{chinese_date(day)}{act}" for day, act in history)
        judgement.fails("contradicted", f"文档载明的日期为 {known}，陈述为 {chinese_date(said.date)}{said.act}")
    elif document.date:
        judgement.fails("not_found", f"{document.short_title}的文中只载明最近一次公布日期 {chinese_date(document.date)}")
    else:
        judgement.fails("not_found", f"{document.short_title}的文中未载明通过或修改日期")


def _same_act(said: str, recorded: str) -> bool:
    """通过 is the first adoption; 修正 and 修订 are both amendments, which users do not tell apart."""
    return said == recorded or (said in _AMENDING and recorded in _AMENDING)


def _judge_legislature(document: Document, said: str, judgement: Judgement) -> None:
    ruled = document.issuer
    if not ruled:
        judgement.fails("not_found", f"{document.short_title}的文中未载明制定机关")
    elif _same_body(_SESSION.sub("", said), search_form(ruled)):
        judgement.agrees(f"与文档一致：制定机关 {ruled}")
    else:
        judgement.fails("contradicted", f"制定机关为 {ruled}，陈述为 {said}")


def _same_body(said: str, ruled: str) -> bool:
    """Whether a body is named in full or shortened by leaving out characters of its words (全国人大常委会 for
    全国人民代表大会常务委员会), said from its first character. A legislature and its standing committee are
    two bodies: the shorter name does not name the longer (全国人民代表大会 is not its 常务委员会)."""
    if not said or not ruled or said[0] != ruled[0] or said[-1] != ruled[-1] or ("常" in said) != ("常" in ruled):
        return False
    rest = iter(ruled)
    return all(char in rest for char in said)


def _judge_in_force(document: Document, said: str, history: list[tuple[str, str]], judgement: Judgement) -> None:
    stated = [(clause, _iso(*m.groups())) for clause in document.clauses
              for m in _IN_FORCE_RULE.finditer(search_form(clause.text))]
    if not stated:
        judgement.fails("not_found", f"{document.short_title}的文中未载明施行日期")
        return
    clause, ruled = stated[-1]
    judgement.clauses.insert(0, clause)
    amended = any(act in _AMENDING for _, act in history) or (document.date or "") > ruled
    if said == ruled:
        judgement.agrees(f"与条款一致：本法自{chinese_date(ruled)}起施行")
    elif amended:  # the day an amendment took effect is in its decision, not in the law
        judgement.fails("not_found", f"条款载明本法自{chinese_date(ruled)}起施行，修改后的施行日期文中未载明")
    else:
        judgement.fails("contradicted", f"条款为 本法自{chinese_date(ruled)}起施行，陈述为 {chinese_date(said)}")
