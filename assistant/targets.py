"""Quantitative targets of every plan, and the same indicator lined up across plans.

A target is a figure with a counting or money unit (750人, 1.8万件, ≥1600, 超过20亿元,
3-5家) together with what it measures, how it is bounded (达到, 不少于, ≥ …) and by
when. Extraction works on normalised text (simplified, half width, no white space)
so one set of patterns serves every document; what users see is cut from the
original text. Indicator names are grouped with a small curated alias table.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .index import Index
from .numerals import unit_of
from .model import Clause, Document
from .text import normalize, normalize_with_offsets
from .topics import Synonyms, check_input, search_form

# --- figures ---------------------------------------------------------------
_NUMBER = r"\d+(?:\.\d+)?"
FIGURE = re.compile(
    rf"(?<![\d.])(?P<low>{_NUMBER})(?:[-—–~～](?P<high>{_NUMBER}))?(?P<scale>万|亿)?"
    r"(?P<unit>美元|元|人|名|家|件|个(?!月|工作日|百分点|小时)|次|场|张|项|所|座|%)(?P<suffix>以上|左右|以内|以下)?")
COMPARATOR_BEFORE = re.compile(
    r"(?:力争达到|力争达|累计达到|累计达|增长至|增长到|增加至|增至|提高至|提高到|提升至|不少于|不低于|不超过|"
    r"超过|多于|高于|低于|至少|达到|达|超|为|是|≥|>=|>|≤|<=|约)$")
# A bound said before the verb that gives the figure (最多培育5家, 至少建成3个).
BOUND_BEFORE_VERB = re.compile(r"(?P<bound>最多|至多|最少|至少|不少于|不超过|不低于)[\u4e00-\u9fff]{1,2}$")
SCALES = {"万": 1e4, "亿": 1e8}
# A figure followed by 的 describes the thing counted (收入1000万元以上的机构), it is no target.
QUALIFIER_AFTER = re.compile(r"^(?:\([^()]*\))?\)?的")
# Conditions of an incentive (对于…的, 给予奖励) are eligibility rules, not targets.
CONDITION_SENTENCE = re.compile(r"^(?:对于|凡)|给予[^。;]{0,10}奖励")
PHRASE_BREAK = re.compile(r"[,，。;；:：!?！？\n]")
SENTENCE_BREAK = re.compile(r"[。;；!?！？\n]")
DEADLINE = re.compile(r"(?:到|至|截至|截止到?)(20\d{2})年(?:底|末)?")
LEAD_WORDS = re.compile(
    r"^(?:[、,和及并与]|到20\d{2}年(?:底|末)?|至20\d{2}年(?:底|末)?|截至20\d{2}年|20\d{2}年|争取|力争|推动|实现|"
    r"培养|培育|建成|建设|组织开展|开展|举办|引进|选育|集聚|完成|累计|全区|进一步|新增|确保|将|要|计划|拟|预计)")
CONNECTOR_AFTER = re.compile(r"^[、和及与,，]")
INDICATOR_START = re.compile(r"^[\u3400-\u9fff(“a-z]")

# --- tables: "label(unit)：2023年实现值 1335；2026年目标值 ≥1600；…" -------
TARGET_HEADER = re.compile(r"(?:(20\d{2})年?)?目标")
BASELINE_HEADER = re.compile(r"(20\d{2})年?(?:实现值|现状|现状值|基期|基数|实际值?)")
TABLE_CELL = re.compile(rf"^(?P<cmp>≥|>=|>|≤|<=)?(?P<num>{_NUMBER})(?P<pct>%)?$")
LABEL_UNIT = re.compile(r"\(([^()]+)\)$")
UNIT_TEXT = re.compile(r"^(?P<scale>万|亿)?(?P<unit>美元|元|人|名|家|件|个|次|场|张|项|所|座|%)$")

# --- comparing ----------------------------------------------------------------
COMPARATOR_SENSE = {  # how a comparator bounds the value
    **dict.fromkeys(["", "达到", "达", "为", "是", "增至", "增长至", "增长到", "增加至", "提高至", "提高到", "提升至",
                     "力争达到", "力争达", "累计达", "累计达到", "不少于", "不低于", "至少", "最少", "≥", ">=", "以上"], "至少"),
    **dict.fromkeys(["超过", "超", "多于", "高于", ">"], "超过"),
    **dict.fromkeys(["左右", "约"], "约"),
    **dict.fromkeys(["不超过", "低于", "以内", "以下", "最多", "至多", "≤", "<="], "不超过"),
}

# Indicator names that differ between plans but measure the same thing; checked in order.
GROUP_ALIASES = (
    ("专利代理师", re.compile(r"专利代理(?:师|人)")),
    ("知识产权质押融资额", re.compile(r"质押融资")),
    ("每万人高价值发明专利拥有量", re.compile(r"每万人口?高价值发明专利")),
    ("每万人发明专利拥有量", re.compile(r"每万人口?(?:有效)?发明专利")),
    ("高价值发明专利拥有量", re.compile(r"^高价值发明专利")),
    ("有效发明专利数量", re.compile(r"^有效发明专利")),
    ("PCT国际专利", re.compile(r"pct")),
    ("有效注册商标量", re.compile(r"注册商标")),
    ("知识产权交易额", re.compile(r"知识产权交易(?:总)?(?:金)?额")),
    ("服务业务出口额", re.compile(r"出口额")),
    ("境外设有分支机构的服务机构", re.compile(r"境外设")),
    ("商业秘密保护示范点(站)", re.compile(r"商业秘密保护示范")),
    ("知识产权示范(优势)企业", re.compile(r"知识产权示范优势企业")),
    ("贯标企业", re.compile(r"贯标")),
    ("知识产权联盟备案", re.compile(r"知识产权联盟")),
    ("数据知识产权证书", re.compile(r"数据知识产权证书")),
    ("维权保护工作站", re.compile(r"维权保护(?:援助)?工作站")),
    ("知识产权服务机构", re.compile(r"^(?:各类)?知识产权服务机构(?:总)?(?:数量|数)?$")),
)
GENERIC_AFFIXES = re.compile(r"^(?:各类|全区|全市)|(?:总人数|总数|数量|总量)$")
KEY_NOISE = re.compile(r"[()“”\"'《》]")


class _Quantity:
    """What figures and targets share: a value range, a unit and a comparator."""
    low: float
    high: float
    unit: str
    comparator: str

    @property
    def measure(self) -> str:
        return unit_of(self.unit)

    @property
    def sense(self) -> str:
        return COMPARATOR_SENSE.get(self.comparator, "至少")

    def shown(self) -> str:
        return format_figure(self.low, self.high, self.unit)


@dataclass(frozen=True)
class Figure(_Quantity):
    """One figure in a piece of text, with what it measures."""
    indicator: str          # normalised
    low: float
    high: float
    unit: str               # without the 万/亿 scale, which is applied to the value
    comparator: str
    year: int | None        # from a deadline in the text (到2026年底), if any
    start: int              # span of the figure in the normalised text
    end: int
    indicator_start: int    # span of the indicator in the normalised text

    @property
    def group(self) -> str:
        return indicator_group(self.indicator)



@dataclass
class Target(_Quantity):
    doc_id: str
    doc_title: str
    region: str | None
    clause_id: str
    indicator: str          # as written in the clause
    group: str
    value_text: str         # the figure as written
    low: float
    high: float
    unit: str
    comparator: str
    year: int | None        # the deadline, else the last year of the plan
    baseline: float | None = None
    baseline_year: int | None = None
    also_in: list[str] = field(default_factory=list)  # other clauses stating the same target

    def stated(self) -> str:
        """The figure as the document states it; a table's cell, whose unit its header gives, with that unit
        (≥1600 under 高价值发明专利拥有量(件) → ≥1600件, ≥1000 under 交易金额(万元) → ≥1000万元)."""
        if self.unit in self.value_text:
            return self.value_text
        return self.comparator + format_figure(self.low, self.high, self.unit)

    @property
    def value(self) -> float | list[float]:
        return _plain(self.low) if self.low == self.high else [_plain(self.low), _plain(self.high)]


    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "doc_title": self.doc_title, "region": self.region,
                "clause_id": self.clause_id, "indicator": self.indicator, "group": self.group,
                "value_text": self.value_text, "value": self.value, "unit": self.unit,
                "comparator": self.comparator, "year": self.year,
                "baseline": _plain(self.baseline) if self.baseline is not None else None,
                "baseline_year": self.baseline_year, "also_in": self.also_in}


@dataclass
class TargetGroup:
    indicator: str
    targets: list[Target]

    def to_dict(self) -> dict:
        return {"indicator": self.indicator, "targets": [t.to_dict() for t in self.targets]}


@dataclass
class TargetsResult:
    targets: list[Target]
    groups: list[TargetGroup]

    def to_dict(self) -> dict:
        return {"targets": [t.to_dict() for t in self.targets], "groups": [g.to_dict() for g in self.groups]}


# ---------------------------------------------------------------------------
# Figures in free text
# ---------------------------------------------------------------------------

def find_figures(text: str) -> list[Figure]:
    """Figures in already-normalised text (see topics.search_form), in order."""
    matches = [m for m in FIGURE.finditer(text) if not QUALIFIER_AFTER.match(text[m.end():])]
    figures: list[Figure] = []
    covered_until = 0  # figures inside the indicator of an earlier figure are part of its name
    for i, match in enumerate(matches):
        if match.start() < covered_until or _in_condition(text, match.start()):
            continue
        following = matches[i + 1].start() if i + 1 < len(matches) else None
        figure, indicator_end = _figure(text, match, figures[-1].end if figures else 0, following)
        if figure.indicator:
            figures.append(figure)
            covered_until = indicator_end
    return figures


def _figure(text: str, match: re.Match, previous_end: int, next_start: int | None) -> tuple[Figure, int]:
    comparator = COMPARATOR_BEFORE.search(text, 0, match.start())
    comparator_text = comparator.group(0) if comparator and comparator.end() == match.start() else ""
    bound = comparator_text
    if not comparator_text and (detached := BOUND_BEFORE_VERB.search(text, 0, match.start())):
        comparator_text, bound = detached.group(0), detached.group("bound")   # 最多培育5家: 最多
    after = _phrase_after(text, match.end(), next_start)
    if after and INDICATOR_START.match(after) and not CONNECTOR_AFTER.match(after):
        start, end = match.end(), match.end() + len(after)   # 培养600名执业专利代理师
    else:
        start, end = max(_phrase_start(text, match.start()), previous_end), match.start() - len(comparator_text)
    indicator = _strip_lead(text[start:end])
    scale = SCALES.get(match.group("scale") or "", 1.0)
    low = float(match.group("low")) * scale
    high = float(match.group("high")) * scale if match.group("high") else low
    figure = Figure(indicator, low, high, match.group("unit"), match.group("suffix") or bound,
                    _deadline_before(text, match.start()), match.start(), match.end(), end - len(indicator))
    return figure, max(end, match.end())


def _phrase_start(text: str, position: int) -> int:
    breaks = [m.end() for m in PHRASE_BREAK.finditer(text, 0, position)]
    return breaks[-1] if breaks else 0


def _phrase_after(text: str, position: int, next_figure: int | None) -> str:
    stop = PHRASE_BREAK.search(text, position)
    end = stop.start() if stop else len(text)
    if next_figure is not None and next_figure < end:
        end = next_figure
    after = text[position:end]
    if end == next_figure and "、" in after:  # a list: 30家基地、5家以上园区、…
        after = after[:after.rindex("、")]
    return after


def _strip_lead(indicator: str) -> str:
    while (lead := LEAD_WORDS.match(indicator)) and lead.end() < len(indicator):
        indicator = indicator[lead.end():]
    return indicator if not LEAD_WORDS.fullmatch(indicator) else ""


def _in_condition(text: str, position: int) -> bool:
    breaks = [m.end() for m in SENTENCE_BREAK.finditer(text, 0, position)]
    start = breaks[-1] if breaks else 0
    stop = SENTENCE_BREAK.search(text, position)
    return bool(CONDITION_SENTENCE.search(text[start:stop.start() if stop else len(text)]))


def _deadline_before(text: str, position: int) -> int | None:
    years = [int(m.group(1)) for m in DEADLINE.finditer(text, 0, position)]
    return years[-1] if years else None


# ---------------------------------------------------------------------------
# Targets of a document
# ---------------------------------------------------------------------------

def extract_targets(document: Document) -> list[Target]:
    return [t for clause in document.clauses for t in clause_targets(document, clause)]


def clause_targets(document: Document, clause: Clause) -> list[Target]:
    if not document.states_targets:
        return []
    row = _table_target(document, clause)
    return [row] if row else _text_targets(document, clause)


# A count spelled out in characters with 个 or 次 in a plan's prose counts its own structure (两个转变为主线, 分三个
# 阶段, 一次性告知), not a target: the plans write their targets' figures in digits (建成30家, 3个以上).
_STRUCTURE_COUNT = re.compile(r"[一二两三四五六七八九十]+[个個次]")


def _text_targets(document: Document, clause: Clause) -> list[Target]:
    norm, origin = normalize_with_offsets(clause.text)
    targets = []
    for figure in find_figures(norm):
        value_text = _original(clause.text, origin, figure.start, figure.end)
        if _STRUCTURE_COUNT.fullmatch(value_text):
            continue
        targets.append(Target(
            document.id, document.title, document.region, clause.id,
            _original(clause.text, origin, figure.indicator_start, figure.indicator_start + len(figure.indicator)),
            figure.group, value_text,
            figure.low, figure.high, figure.unit, figure.comparator, figure.year or _last_year(document)))
    return targets


def _original(text: str, origin: list[int], start: int, end: int) -> str:
    """The original text behind a span of its normalised form."""
    return text[origin[start]:origin[end - 1] + 1]


def _table_target(document: Document, clause: Clause) -> Target | None:
    """A table row with a target column; rows are rendered `label：header value；…`."""
    if clause.kind != "table_row" or "：" not in clause.text:
        return None
    label, body = clause.text.split("：", 1)
    target, baseline = _target_cells(body)
    cell = TABLE_CELL.match(normalize(target[1])) if target else None
    unit_match = LABEL_UNIT.search(search_form(label))
    unit = UNIT_TEXT.match(unit_match.group(1)) if unit_match else None
    if cell is None or (unit is None and not cell.group("pct")):
        return None
    scale = SCALES.get(unit.group("scale") or "", 1.0) if unit else 1.0
    indicator = label[:len(label) - len(unit_match.group(0))] if unit_match else label
    value = float(cell.group("num")) * scale
    base = TABLE_CELL.match(normalize(baseline[1])) if baseline else None
    return Target(document.id, document.title, document.region, clause.id, indicator, indicator_group(indicator),
                  target[1], value, value, unit.group("unit") if unit else "%", cell.group("cmp") or "",
                  int(target[0]) if target[0] else _last_year(document),
                  float(base.group("num")) * scale if base else None,
                  int(baseline[0]) if base and baseline[0] else None)


def _target_cells(body: str) -> tuple[tuple[str | None, str] | None, tuple[str | None, str] | None]:
    """(year, value) of the target column and of the baseline column, if the row has them."""
    target = baseline = None
    for header, value in (cell.rsplit(" ", 1) for cell in body.split("；") if " " in cell):
        header = normalize(header)
        if target is None and (found := TARGET_HEADER.search(header)):
            target = (found.group(1), value)
        elif baseline is None and (found := BASELINE_HEADER.search(header)):
            baseline = (found.group(1), value)
    return target, baseline


def _last_year(document: Document) -> int | None:
    return document.period[1] if document.period else None


# ---------------------------------------------------------------------------
# Indicator groups
# ---------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def indicator_group(indicator: str) -> str:
    """The name under which the same indicator of different plans is lined up."""
    key = _strip_lead(DEADLINE.sub("", KEY_NOISE.sub("", search_form(indicator))))
    for name, pattern in GROUP_ALIASES:
        if pattern.search(key):
            return name
    return GENERIC_AFFIXES.sub("", key) or key


def format_figure(low: float, high: float, unit: str) -> str:
    scale_name, scale = "", 1.0
    if unit in ("元", "美元"):
        scale_name, scale = next(((n, s) for n, s in (("亿", 1e8), ("万", 1e4)) if min(low, high) >= s), ("", 1.0))
    number = f"{_plain(low / scale)}" if low == high else f"{_plain(low / scale)}-{_plain(high / scale)}"
    return f"{number} {scale_name}{unit}"


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


class TargetTable:
    """Every target of every document, and the targets grouped by indicator."""

    def __init__(self, index: Index, synonyms: Synonyms | None = None) -> None:
        self.index = index
        self.synonyms = synonyms or Synonyms.load().for_documents(index.occurrences)

    @functools.cached_property
    def targets(self) -> list[Target]:
        return [t for d in self.index.documents.values() for t in extract_targets(d)]

    def of_clauses(self, clauses: list[Clause]) -> list[Target]:
        """The targets of these clauses only, in document order (without building the whole
        table, which takes minutes at thousands of documents)."""
        ordered = sorted({c.id: c for c in clauses}.values(), key=lambda c: self.index.position[c.id])
        return [t for c in ordered for t in clause_targets(self.index.documents[c.doc_id], c)]

    def result(self, topic: str | None = None) -> TargetsResult:
        targets = self.targets
        if topic is not None:
            topic = check_input(topic, "主题", "topic")
            words = [search_form(topic), *self.synonyms.equivalents(topic)]
            targets = [t for t in targets if any(w in search_form(t.indicator) or w in search_form(t.group)
                                                 for w in words)]
        return TargetsResult(targets, group_targets(targets))


def group_targets(targets: list[Target]) -> list[TargetGroup]:
    """Targets by indicator; a target repeated in the same plan (body and annex) is shown once."""
    groups: dict[str, list[Target]] = {}
    for target in targets:
        members = groups.setdefault(target.group, [])
        same = next((m for m in members if (m.doc_id, m.low, m.high, m.measure, m.year)
                     == (target.doc_id, target.low, target.high, target.measure, target.year)), None)
        if same is None:
            members.append(Target(**{**target.__dict__, "also_in": []}))
        else:
            same.also_in.append(target.clause_id)
    ordered = sorted(groups.items(), key=lambda kv: -len({t.doc_id for t in kv[1]}))
    return [TargetGroup(name, members) for name, members in ordered]
