"""Lines of a captured policy text: capture artifacts repaired, each line's kind told (a heading and
its numbering, a title, a date, a 文号, an issuing body, a 落实单位 note), and the lines a page or
paragraph break cut joined back. The front matter and the outline both read line kinds, so they live
here, below both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import numeral_value
from .tables import EMPTY_CELL
from .text import to_simplified

MAX_LABEL_CHARS = 40


# ---------------------------------------------------------------------------
# Cleaning: capture artifacts repaired line by line
# ---------------------------------------------------------------------------

CJK = r"\u3400-\u9fff\uf900-\ufaff"
CN_DIGITS = "零〇一二三四五六七八九十百千两"

# Chrome is matched on the simplified form so both scripts are caught.
CHROME_LINE = re.compile(
    r"^(?:字号\s*[:：]?\s*[大中小\s]*"
    r"|分享(?:到)?\s*[:：]?(?:\s|微信|微博|朋友圈|QQ|空间|豆瓣|[,，、/|])*"
    r"|相关链接\s*[:：]?"
    r"|.{0,12}收藏本页.{0,12}"
    r"|(?:打印本页|关闭窗口|返回顶部|【?打印】?|【?关闭】?)"
    r"|[^\s。，,；]{1,80}\.(?:pdf|docx?|wps|xlsx?|ofd)"
    r"|[（(]此件(?:主动|依申请)?公开[)）])$",
    re.IGNORECASE,
)
MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
ENGLISH_AND = re.compile(rf"(?<=[{CJK}”’）)》」])\s+and\s+(?=[{CJK}“‘（(《「])")
MANGLED_MIDDLE_DOT = re.compile(r"(?<=\d)\?(?=\d)")
# An image left by a conversion to text: ![caption](file){width=…} or !24309{width="5.1in"\nheight="7.5in"}
# (the law database's annexes of flags and anthems), its attributes over one or more lines.
# A border drawn with dashes alone (a simple table's ------ ------, a horizontal rule): no words. The
# grid tables' +------+ rules are read by the tables module.
DRAWN_RULE = re.compile(r"^[-=\s]{3,}$")
IMAGE_REFERENCE = re.compile(r"!(?:\[[^\]\n]*\]\([^)\n]*\)|\d+(?=\{))(?:\{[^{}]*\})?")


def clean_lines(text: str) -> list[str]:
    lines = []
    for raw in IMAGE_REFERENCE.sub("", text).split("\n"):
        if not raw.strip():
            if "\u00a0" in raw:
                lines.append(EMPTY_CELL)
            continue
        line = _repair(raw.strip())
        if line and not CHROME_LINE.match(to_simplified(line)) and not DRAWN_RULE.match(line):
            lines.append(line)
    return lines


def _repair(line: str) -> str:
    line = MARKDOWN_HEADING.sub("", line)
    line = MARKDOWN_BOLD.sub(r"\1", line).replace("**", "")
    line = ENGLISH_AND.sub("和", line)
    line = MANGLED_MIDDLE_DOT.sub("·", line)
    return line.strip()


# ---------------------------------------------------------------------------
# Line kinds
# ---------------------------------------------------------------------------

@dataclass
class Heading:
    style: str
    token: str   # this level's piece of the clause key
    label: str   # the heading as shown in paths


HEADING_PATTERNS = (
    ("chapter", re.compile(rf"^第([{CN_DIGITS}\d]+)章(?![，。])")),
    ("section", re.compile(rf"^第([{CN_DIGITS}\d]+)[节節](?![，。])")),
    ("article", re.compile(rf"^第([{CN_DIGITS}\d]+)[条條](?:之([{CN_DIGITS}]+))?(?![，。])")),
    ("cn", re.compile(rf"^([{CN_DIGITS}]+)\s*[、．.]")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{CN_DIGITS}]+)\s*[)）]")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[.．、](?![\d.．])")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,3})\s*[)）]")),
    ("circled", re.compile(r"^([\u2460-\u2473])")),
    ("dash", re.compile(r"^(?:——|—{2,}|-{2,})(?=\S)")),
)
STYLE_PREFIX = {"chapter": "c", "section": "s", "article": "a"}
ANNEX_LINE = re.compile(rf"^(附表|附件|附录|附錄)\s*([\d{CN_DIGITS}]*)\s*(?:[:：]\s*(.*))?$")
SENTENCE_BREAK = re.compile(r"[。！？；!?;]")
LABEL_END = re.compile(r"[。！？；!?;：:]")
INLINE_BODY = re.compile(r"[。！？；!?;]|[：:]\s*\S")
CLOSED_LINE = re.compile(r"(?:[。！？；：:!?;…]|\.{3})[”’」』）)】》\]]*$")
PAREN_LINE = re.compile(r"^[（(].*[)）]$")
DOC_KIND_WORDS = "方案|计划|规划|办法|意见|纲要|条例|规定|细则|措施|通知|决定|规则|指南|要点"
TITLE_LINE = re.compile(rf"(?:{DOC_KIND_WORDS})(?:\s*[（(][^()（）]*[)）])?$")
# A national act's title (中华人民共和国刑法修正案（二）, 全国人民代表大会常务委员会关于…的决议): a line whose
# next one is a sentence, not its continuation.
NATIONAL_TITLE_LINE = re.compile(r"^(?:中华人民共和国|全国人民代表大会)\S*(?:法|法典|修正案|决议|决定|解释)"
                                 r"(?:\s*[（(][^()（）]*[)）])?$")
YEAR_RANGE_LINE = re.compile(r"^[（(]\s*\d{4}\s*年?\s*[-—–~～至到]+\s*\d{4}\s*年?\s*[)）]$")
NUMBER_LINE = re.compile(rf"^[{CJK}]{{1,14}}\s*[〔\[［【(（]\s*\d{{4}}\s*[〕\]］】)）]\s*第?\s*\d+\s*[号號]$")
DATE_LINE = re.compile(rf"^([\d{CN_DIGITS}]{{4}})\s*年\s*([\d{CN_DIGITS}]{{1,3}})\s*月\s*([\d{CN_DIGITS}]{{1,3}})\s*日$")
ORG_LINE = re.compile(r"^[^，。；,;:：\s]{4,40}?(?:政府|办公室|办公厅|委员会|管委会|局|厅|委|院|部|中心|公司|协会)"
                      r"(?:[（(][^）)]*[)）])?$")
UNITS = re.compile(r"[（(]\s*(?:落实|责任|牵头)单位\s*[:：]")


def heading_of(line: str) -> Heading | None:
    for style, pattern in HEADING_PATTERNS:
        m = pattern.match(line)
        if m:
            number = m.group(1) if m.groups() else ""
            token = STYLE_PREFIX.get(style, "") + str(read_numeral(number)) if number else ""
            if m.lastindex == 2:  # 第十七条之一, an article inserted by an amendment
                token += f"_{read_numeral(m.group(2))}"
            return Heading(style, token, path_label(line))
    return None


def numbering(line: str) -> str:
    """The numbering of a heading line alone: 第四十二条."""
    style = next(pattern for _, pattern in HEADING_PATTERNS if pattern.match(line))
    return style.match(line).group(0).strip()


def path_label(line: str) -> str:
    stop = LABEL_END.search(line)
    label = (line[:stop.start()] if stop else line).strip()
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS] + "…"


def read_numeral(numeral: str) -> int:
    """Arabic, circled or Chinese numerals (一, 十二, 二十一, 一千零二, 二〇二四)."""
    if "\u2460" <= numeral <= "\u2473":
        return ord(numeral) - 0x2460 + 1
    if numeral.isdigit():
        return int(numeral)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if all(c in digits for c in numeral):  # digit by digit: 二〇二四
        return int("".join(str(digits[c]) for c in numeral))
    return int(float(numeral_value(numeral) or 0))


def is_heading_only(line: str) -> bool:
    heading = heading_of(line)
    # An article (第X条) always carries provisions, even when it only introduces a list.
    return heading is not None and heading.style != "article" and not INLINE_BODY.search(line)


def is_title(line: str) -> bool:
    simple = to_simplified(line)
    return (len(line) <= 100 and not re.search(r"[。；，,！？]", line)
            and (TITLE_LINE.search(simple) is not None or YEAR_RANGE_LINE.match(line) is not None
                 or NATIONAL_TITLE_LINE.match(simple) is not None))


def is_standalone(line: str) -> bool:
    """Lines that are complete by themselves: never joined to a neighbour."""
    simple = to_simplified(line)
    return bool(DATE_LINE.match(line) or NUMBER_LINE.match(line) or ANNEX_LINE.match(simple)
                or ORG_LINE.match(simple) or UNITS.match(simple))


def _ends_open(line: str) -> bool:
    """A line broken mid-sentence by the capture (page or paragraph break)."""
    if CLOSED_LINE.search(line) or is_title(line) or is_standalone(line) or PAREN_LINE.match(line):
        return False
    return heading_of(line) is None or INLINE_BODY.search(line) is not None


def _continues(line: str) -> bool:
    # a wholly parenthesised line is a note of its own (a law's adoption note under its title)
    return heading_of(line) is None and not is_standalone(line) and not PAREN_LINE.match(line)


def join_broken_lines(items: list) -> list:
    out: list = []
    for item in items:
        if (isinstance(item, str) and out and isinstance(out[-1], str)
                and _ends_open(out[-1]) and _continues(item)):
            out[-1] = _join(out[-1], item)
        else:
            out.append(item)
    return out


def _join(first: str, second: str) -> str:
    # A page break sometimes repeats the character it cut through (知⏎知识产权).
    if first[-1] == second[0] and re.match(rf"[{CJK}]", second[0]):
        second = second[1:]
    return first + second
