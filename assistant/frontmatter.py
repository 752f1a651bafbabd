"""Front matter of a policy text: the header fields of a captured web page (索引号, 文件编号, 成文日期 …),
the issuing notice (印发通知) and the title, and the metadata read from them (文号, issuer, date,
region, plan period). Kept apart from the outline because it reads only the top of a document, once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import (CJK, CN_DIGITS, DATE_LINE, NUMBER_LINE, ORG_LINE, SENTENCE_BREAK, TITLE_LINE, YEAR_RANGE_LINE,
                    heading_of, is_title, read_numeral)
from .tables import EMPTY_CELL
from .text import to_simplified


# ---------------------------------------------------------------------------
# Web-page header fields (索引号, 文件编号, 成文日期 …) at the top of a capture
# ---------------------------------------------------------------------------

META_LABELS = ("规范性文件统一编号", "索引号", "信息名称", "文件编号", "发文字号", "发文机关", "发布机构",
               "发布单位", "公开类别", "公开方式", "公开范围", "主题分类", "成文日期", "发布日期", "发布时间",
               "生效日期", "有效性", "政策原文", "政策解读", "发布人", "日期", "来源")
_LABEL_ALTERNATION = "|".join(r"\s*".join(label) for label in META_LABELS)
META_LABEL = re.compile(rf"(?:^|(?<=\s))({_LABEL_ALTERNATION})\s*(?:[:：]|(?=\s)|$)")
LIST_MARK = re.compile(r"^[-•·]\s*")
FIELD = re.compile(rf"^([{CJK}\s]{{2,16}}?)\s*[:：]\s*(.*)$")
SHORT_FIELD = re.compile(rf"^([{CJK}]{{2,6}})\s*[:：]\s*(\S.*)$")


def split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header fields of the captured page (simplified labels, values in the
    source script), and the lines after them."""
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        if line == EMPTY_CELL:
            continue
        pairs = _header_pairs(line)
        if pairs is None:
            return fields, lines[i:]
        for label, value in pairs:
            if value and not fields.get(label):
                fields[label] = value
    return fields, []


def _header_pairs(line: str) -> list[tuple[str, str]] | None:
    listed = LIST_MARK.match(line)
    line = line[listed.end():] if listed else line
    simple = to_simplified(line)
    if len(simple) != len(line):  # positions must match to cut values from the original
        line = simple
    matches = list(META_LABEL.finditer(simple))
    if matches and matches[0].start() == 0:
        return [(re.sub(r"\s", "", m.group(1)),
                 line[m.end():nxt.start() if nxt else len(line)].strip().strip(":：").strip())
                for m, nxt in zip(matches, matches[1:] + [None])]
    # Any other short "label: value" counts only in a list of fields or with a value.
    field_match = (FIELD if listed else SHORT_FIELD).match(simple)
    if field_match:
        return [(re.sub(r"\s", "", field_match.group(1)), line[field_match.start(2):].strip())]
    return None


# ---------------------------------------------------------------------------
# Document front matter: the issuing notice, the title, the preamble
# ---------------------------------------------------------------------------

ISO_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
NOTICE_TITLE = re.compile(r"(?:印发|转发|颁发|发布).*通知$")


@dataclass
class Front:
    notice: list[str]        # the notice's lines, empty when there is none
    notice_date: str | None
    signature: str | None
    title: str
    body_start: int          # index of the first item after the title


def _notice_span(items: list) -> tuple[int, int] | None:
    """(first, last) item of the 印发通知: from its title or addressee to its date."""
    for i, item in enumerate(items[:40]):
        if not isinstance(item, str):
            return None
        simple = to_simplified(item)
        if NOTICE_TITLE.search(simple) or (simple.endswith((":", "：")) and heading_of(item) is None):
            end = next((j for j in range(i + 1, min(i + 30, len(items)))
                        if isinstance(items[j], str) and DATE_LINE.match(items[j])), None)
            span = items[i:end]
            if end is not None and any("印发" in to_simplified(s) for s in span if isinstance(s, str)):
                return i, end
            if NOTICE_TITLE.search(simple):
                return None
    return None


def front_of(items: list) -> Front:
    span = _notice_span(items)
    notice, date, signature, start = [], None, None, 0
    if span:
        first, last = span
        notice = _dedupe([s for s in items[first:last + 1] if isinstance(s, str)])
        date = _iso_date(items[last])
        before = items[last - 1]
        signature = before if isinstance(before, str) and ORG_LINE.match(to_simplified(before)) else None
        start = last + 1
    quoted = _quoted_title(notice)
    for i in range(start, min(start + 6, len(items))):
        item = items[i]
        if not isinstance(item, str) or heading_of(item) or (span is None and i > start + 2):
            break
        if is_title(item) and not NOTICE_TITLE.search(to_simplified(item)) and not YEAR_RANGE_LINE.match(item):
            title, end = item, i + 1
            if end < len(items) and isinstance(items[end], str) and YEAR_RANGE_LINE.match(items[end]):
                title, end = title + items[end], end + 1
            return Front(notice, date, signature, _tidy_title(title), end)
    if quoted:
        return Front(notice, date, signature, _tidy_title(quoted), start)
    first = items[start] if start < len(items) else ""
    if isinstance(first, str) and len(first) <= 60 and not SENTENCE_BREAK.search(first) and not heading_of(first):
        return Front(notice, date, signature, _tidy_title(first), start + 1)  # a title of another kind
    return Front(notice, date, signature, "", start)


def _dedupe(lines: list[str]) -> list[str]:
    """Drop a line already contained in an earlier one (a page repeats the notice title)."""
    kept: list[str] = []
    for line in lines:
        if not any(line in earlier for earlier in kept):
            kept.append(line)
    return kept


def _quoted_title(notice: list[str]) -> str | None:
    for line in notice:
        for quoted in re.findall(r"《([^《》]+)》", line):
            if TITLE_LINE.search(to_simplified(quoted)):
                return quoted
    return None


def _tidy_title(title: str) -> str:
    return re.sub(r"\s+(?![A-Za-z0-9])|(?<![A-Za-z0-9])\s+", "", title).strip()


def _iso_date(text: str) -> str | None:
    m = DATE_LINE.match(text.strip()) or ISO_DATE.search(text)
    if not m:
        return None
    year, month, day = (read_numeral(part) for part in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


# ---------------------------------------------------------------------------
# Document metadata read from the text
# ---------------------------------------------------------------------------

PROVINCE_LEVEL = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
                  "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
                  "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆")
PLACE_END = re.compile(r"关于|国家|知识产权|专利|商标|版权")
GENERIC_PLACE_SUFFIX = re.compile(r"(?:高新技术产业开发区|经济技术开发区|新兴技术开发区|技术开发区|开发区|产业园区|园区)$")
PLACE_FALLBACK = re.compile(r"^.{2,12}?(?:自治区|省|市|区|县|旗|盟|州)")
# How the name of a place ends: what stands before 关于 or 知识产权 in a title may instead name a body
# (国务院关于…, 第五届全国人民代表大会常务委员会关于…) or a subject (反分裂国家法), which is no region.
PLACE_NAME_END = re.compile(r"(?:自治区|省|市|区|县|镇|乡|街道|旗|盟|州|开发区|园区)$")
YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[-—–~～至到]+\s*(\d{4})")


def number_of(fields: dict[str, str], items: list) -> str | None:
    for label in ("文件编号", "发文字号"):
        if fields.get(label):
            return fields[label]
    return next((s for s in items[:40] if isinstance(s, str) and NUMBER_LINE.match(s)), None)


def issuer_of(front: Front, fields: dict[str, str]) -> str | None:
    if front.signature:
        return front.signature
    for line in front.notice:
        m = re.match(r"^(.+?)(?:关于)?(?:印发|转发)", to_simplified(line))
        if m and ORG_LINE.match(m.group(1)):
            return line[:len(m.group(1))]
    return fields.get("发文机关") or None


def date_of(front: Front, fields: dict[str, str]) -> str | None:
    for candidate in (fields.get("成文日期"), front.notice_date, fields.get("发布日期"),
                      fields.get("发布时间"), fields.get("日期")):
        date = _iso_date(candidate) if candidate else None
        if date:
            return date
    return None


ADOPTION_NOTE = re.compile(r"^[（(].*(?:通过|修正|修订|公布).*[)）]$")
ANY_DATE = re.compile(rf"([\d{CN_DIGITS}]{{4}})\s*年\s*([\d{CN_DIGITS}]{{1,3}})\s*月\s*([\d{CN_DIGITS}]{{1,3}})\s*日")


_ACT = re.compile(r"通过|修正|修订|公布")
_ADOPTING_BODY = re.compile(rf"第[\d{CN_DIGITS}]+届(全国人民代表大会(?:常务委员会)?)")


def adoption_history(note: str) -> list[tuple[str, str]]:
    """(ISO date, act) for each date of a law's adoption note, the act being the first of 通过, 修正,
    修订, 公布 said after the date: （1984年3月12日…会议通过　根据1992年9月4日…《关于修改…的决定》第一次修正）."""
    if not ADOPTION_NOTE.match(to_simplified(note.strip())):
        return []
    dates = list(ANY_DATE.finditer(note))
    history = []
    for here, after in zip(dates, [*dates[1:], None]):
        act = _ACT.search(note, here.end(), after.start() if after else len(note))
        date = _iso_date("{}年{}月{}日".format(*here.groups()))
        if date and act:
            history.append((date, act.group()))
    return history


def adopting_body(note: str) -> str | None:
    """The legislature whose session the adoption note names first (全国人民代表大会常务委员会)."""
    found = _ADOPTING_BODY.search(to_simplified(note)) if ADOPTION_NOTE.match(to_simplified(note.strip())) else None
    return found.group(1) if found else None


def _adoption_note(items: list) -> str | None:
    return next((item for item in items[:8] if isinstance(item, str) and ADOPTION_NOTE.match(to_simplified(item))),
                None)


def revision_date(items: list) -> str | None:
    """The latest date of a law's adoption note: （2008年12月27日…通过　根据2020年10月17日…修正）."""
    note = _adoption_note(items)
    dates = [_iso_date("{}年{}月{}日".format(*m.groups())) for m in ANY_DATE.finditer(note or "")]
    return max((d for d in dates if d), default=None)


def legislature(items: list) -> str | None:
    """The legislature an adoption note says passed the law, for a text with no 发文机关 line."""
    note = _adoption_note(items)
    return adopting_body(note) if note else None


def region_of(title: str) -> str | None:
    simple = to_simplified(title)
    end = PLACE_END.search(simple)
    if end and end.start() >= 2:
        place = simple[:end.start()]
    else:
        m = PLACE_FALLBACK.match(simple)
        if not m:
            return None
        place = m.group(0)
    if not PLACE_NAME_END.search(re.sub(r"[(（][^)）]*[)）]$", "", place)):
        return None
    start = 0
    for province in PROVINCE_LEVEL:
        m = re.match(rf"{province}(?:省|市|自治区)?", place)
        if m and len(place) - m.end() >= 2:
            start = m.end()
            break
    stop = len(place)
    suffix = GENERIC_PLACE_SUFFIX.search(place)
    if suffix and suffix.start() - start >= 2:
        stop = suffix.start()
    return title[start:stop] if len(simple) == len(title) else place[start:stop]


def period_of(title: str) -> tuple[int, int] | None:
    m = YEAR_RANGE.search(title)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    return (first, last) if first <= last else None
