"""Documents stage: parse policy text into a document of citable clauses (assistant.model): capture
artifacts repaired, the page's header fields, title, notice and metadata read, and the body walked
heading by heading; and load files and folders of them.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from collections import Counter
from typing import Iterable

from .genres import PLAN, Genre, genre_of, is_national, paragraph_label
from .lines import (ANNEX_LINE, CJK, CN_DIGITS, DATE_LINE, MAX_LABEL_CHARS, NUMBER_LINE, ORG_LINE, SENTENCE_BREAK,
                    TITLE_LINE, UNITS, YEAR_RANGE_LINE, Heading, clean_lines, heading_of, is_heading_only, is_title,
                    is_standalone, join_broken_lines, numbering, path_label, read_numeral)
from .model import Clause, Document, UnreadableDocument
from .readers import read_source, with_pages
from .tables import EMPTY_CELL, Table, find_tables
from .text import to_simplified


@dataclass(frozen=True)
class CorpusLoad:
    documents: tuple[Document, ...]
    errors: tuple[str, ...]       # one line per skipped file, naming it


# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")  # readers.READERS reads each
MAX_CLAUSE_CHARS = 480
# Limits on one file: far above any real plan or law (the Civil Code is about 110,000 characters),
# low enough that a mistaken upload cannot hold the index for hours (embedding runs at a few
# thousand characters a second on a small CPU).
MAX_FILE_BYTES = 50_000_000
MAX_TEXT_CHARS = 1_000_000


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


def _split_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
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
class _Front:
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


def _front(items: list) -> _Front:
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
            return _Front(notice, date, signature, _tidy_title(title), end)
    if quoted:
        return _Front(notice, date, signature, _tidy_title(quoted), start)
    first = items[start] if start < len(items) else ""
    if isinstance(first, str) and len(first) <= 60 and not SENTENCE_BREAK.search(first) and not heading_of(first):
        return _Front(notice, date, signature, _tidy_title(first), start + 1)  # a title of another kind
    return _Front(notice, date, signature, "", start)


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
YEAR_RANGE = re.compile(r"(\d{4})\s*年?\s*[-—–~～至到]+\s*(\d{4})")


def _number_of(fields: dict[str, str], items: list) -> str | None:
    for label in ("文件编号", "发文字号"):
        if fields.get(label):
            return fields[label]
    return next((s for s in items[:40] if isinstance(s, str) and NUMBER_LINE.match(s)), None)


def _issuer_of(front: _Front, fields: dict[str, str]) -> str | None:
    if front.signature:
        return front.signature
    for line in front.notice:
        m = re.match(r"^(.+?)(?:关于)?(?:印发|转发)", to_simplified(line))
        if m and ORG_LINE.match(m.group(1)):
            return line[:len(m.group(1))]
    return fields.get("发文机关") or None


def _date_of(front: _Front, fields: dict[str, str]) -> str | None:
    for candidate in (fields.get("成文日期"), front.notice_date, fields.get("发布日期"),
                      fields.get("发布时间"), fields.get("日期")):
        date = _iso_date(candidate) if candidate else None
        if date:
            return date
    return None


ADOPTION_NOTE = re.compile(r"^[（(].*(?:通过|修正|修订|公布).*[)）]$")
ANY_DATE = re.compile(rf"([\d{CN_DIGITS}]{{4}})\s*年\s*([\d{CN_DIGITS}]{{1,3}})\s*月\s*([\d{CN_DIGITS}]{{1,3}})\s*日")


def _revision_date(items: list) -> str | None:
    """The latest date of a law's adoption note: （2008年12月27日…通过　根据2020年10月17日…修正）."""
    for item in items[:8]:
        if isinstance(item, str) and ADOPTION_NOTE.match(to_simplified(item)):
            dates = [_iso_date("{}年{}月{}日".format(*m.groups())) for m in ANY_DATE.finditer(item)]
            return max((d for d in dates if d), default=None)
    return None


def _region_of(title: str) -> str | None:
    simple = to_simplified(title)
    end = PLACE_END.search(simple)
    if end and end.start() >= 2:
        place = simple[:end.start()]
    else:
        m = PLACE_FALLBACK.match(simple)
        if not m:
            return None
        place = m.group(0)
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


def _period_of(title: str) -> tuple[int, int] | None:
    m = YEAR_RANGE.search(title)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    return (first, last) if first <= last else None


# ---------------------------------------------------------------------------
# Clauses: walk the body keeping the stack of open headings
# ---------------------------------------------------------------------------

@dataclass
class _Level:
    style: str
    token: str
    label: str
    dashes: int = 0  # dash bullets seen directly under this level


@dataclass
class _Draft:
    path: tuple[str, ...]
    key: str
    lines: list[str]
    kind: str = "item"
    level: _Level | None = None  # the heading that opened it

    @property
    def heading_only(self) -> bool:
        return len(self.lines) == 1 and self.level is not None and is_heading_only(self.lines[0])


class _Outline:
    """Turns body items into clause drafts; a heading's level comes from the
    order in which numbering styles nest, as in the document itself."""

    def __init__(self, genre: Genre = PLAN) -> None:
        self.genre = genre
        self.stack: list[_Level] = []
        self.root = _Level("root", "", "")
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.tables = 0
        self.annexes = 0
        self.caption: str | None = None  # short line naming the table that follows

    def feed(self, items: list) -> list[_Draft]:
        for i, item in enumerate(items):
            following = items[i + 1] if i + 1 < len(items) else None
            if isinstance(item, Table):
                self._table(item)
            elif ANNEX_LINE.match(to_simplified(item)):
                self._annex(item)
            elif (heading := heading_of(item)) is not None and not self._inline(heading):
                self._heading(item, heading)
            elif isinstance(following, Table) and self._is_caption(item):
                self._finish(keep_heading_only=False)
                self.caption = item
            else:
                self._text(item)
        self._finish(keep_heading_only=True)
        return self.drafts

    def _path(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.stack)

    def _inline(self, heading: Heading) -> bool:
        """A law's items （一）… are part of the article they stand in."""
        return (heading.style in self.genre.inline_styles and self.current is not None
                and self.current.level is not None and self.current.level.style == "article")

    def _key(self) -> str:
        return ".".join(level.token for level in self.stack if level.token)

    def _heading(self, line: str, heading: Heading) -> None:
        label = numbering(line) if heading.style in self.genre.bare_label_styles else heading.label
        level = _Level(heading.style, heading.token, label)
        stack = self._nest(level)
        if heading.style == "dash":
            parent = stack[-2] if len(stack) > 1 else self.root
            parent.dashes += 1
            level.token = f"d{parent.dashes}"
        opened_child = self.current is not None and any(lv is self.current.level for lv in stack)
        self._finish(keep_heading_only=not opened_child)
        self.stack = stack
        self.caption = None
        self.current = _Draft(self._path(), self._key(), [line], level=level)

    def _nest(self, level: _Level) -> list[_Level]:
        for i, open_level in enumerate(self.stack):
            if open_level.style == level.style:
                return self.stack[:i] + [level]
        return self.stack + [level]

    def _annex(self, line: str) -> None:
        self._finish(keep_heading_only=True)
        bare = ANNEX_LINE.match(to_simplified(line)).group(3) is None
        if bare and self.stack and self.stack[0].style == "annex":
            return  # the bare 附表 heading repeats the titled one just above
        self.annexes += 1
        # An annex heading is a title, not a sentence: keep it whole (附表:X).
        label = line if len(line) <= 2 * MAX_LABEL_CHARS else line[:2 * MAX_LABEL_CHARS] + "…"
        self.stack = [_Level("annex", f"annex{self.annexes}", label)]
        self.caption = None

    def _is_caption(self, line: str) -> bool:
        return len(line) <= 60 and not SENTENCE_BREAK.search(line) and not is_standalone(line)

    def _text(self, line: str) -> None:
        if self.current is None:
            self.current = _Draft(self._path(), self._key(), [])
        self.current.lines.append(line)

    def _table(self, table: Table) -> None:
        self._finish(keep_heading_only=False)
        self.tables += 1
        path = self._path()
        if self.caption and not any(self.caption in label for label in path):
            path += (path_label(self.caption),)
        prefix = f"{self._key()}." if self._key() else ""
        for index in range(len(table.rows)):
            number = table.row_number(index)
            label = path_label(f"{number}. {table.row_label(index)}")
            self.drafts.append(_Draft(path + (label,), f"{prefix}t{self.tables}r{number}",
                                      [table.row_text(index)], kind="table_row"))
        self.caption = None

    def _finish(self, keep_heading_only: bool) -> None:
        draft, self.current = self.current, None
        if draft is None or not draft.lines:
            return
        if draft.heading_only and not keep_heading_only:
            return  # a heading with no text of its own shows in its children's paths
        self.drafts.append(draft)


def _units(text: str) -> tuple[str, ...]:
    """The 落实单位 list of a clause; parentheses may nest (区政府办（外办）)."""
    m = UNITS.search(to_simplified(text))
    if not m:
        return ()
    depth, end = 1, m.end()
    while end < len(text) and depth:
        depth += {"（": 1, "(": 1, "）": -1, ")": -1}.get(text[end], 0)
        end += 1
    inner = text[m.end():end - 1] if depth == 0 else text[m.end():]
    return tuple(unit.strip() for unit in re.split(r"[、，,；;]", inner) if unit.strip())


SPLIT_POINT = re.compile(r"[。！？；!?;]+[”’」』）)】]*\s*")


def _split_long(text: str, limit: int = MAX_CLAUSE_CHARS) -> list[str]:
    """Consecutive slices of at most `limit` characters, cut between sentences
    (same sentence ends as text.split_sentences, but keeping every character so
    the parts join back into the clause)."""
    if len(text) <= limit:
        return [text]
    cuts = [0] + [m.end() for m in SPLIT_POINT.finditer(text)] + [len(text)]
    sentences = [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    parts: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > limit:
            parts.append(current)
            current = ""
        while len(sentence) > limit:
            parts.append(sentence[:limit])
            sentence = sentence[limit:]
        current += sentence
    if current:
        parts.append(current)
    return parts


def _paragraph_starts(lines: list[str], genre: Genre) -> list[int]:
    """Offsets in the joined lines where a paragraph (款) begins; an item line （一）… continues
    the paragraph that introduced it."""
    starts, offset = [], 0
    for i, line in enumerate(lines):
        heading = heading_of(line) if i else None
        if i == 0 or heading is None or heading.style not in genre.inline_styles:
            starts.append(offset)
        offset += len(line) + 1
    return starts


def paragraphs(text: str, genre: Genre) -> list[str]:
    """A clause's paragraphs (款), each with the items （一）… that belong to it."""
    lines = text.split("\n")
    starts = _paragraph_starts(lines, genre) + [len(text) + 1]
    return [text[a:b - 1].strip() for a, b in zip(starts, starts[1:]) if text[a:b - 1].strip()]


def _part_paths(draft: _Draft, parts: list[str], genre: Genre) -> list[tuple[str, ...]]:
    """Each part's path: the clause's, plus the paragraphs it covers where the genre names them."""
    if len(parts) == 1 or not genre.name_paragraphs or draft.level is None:
        return [draft.path] * len(parts)
    starts = _paragraph_starts(draft.lines, genre)
    paths, offset = [], 0
    for part in parts:
        first = bisect.bisect_right(starts, offset)
        last = bisect.bisect_right(starts, offset + len(part.rstrip()) - 1)
        paths.append(draft.path + (paragraph_label(first, last),))
        offset += len(part)
    return paths


def _clauses(doc_id: str, drafts: Iterable[_Draft], genre: Genre = PLAN) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    seen: set[str] = set()
    next_suffix: dict[str, int] = {}
    for draft in drafts:
        text = "\n".join(draft.lines).strip()
        if not text:
            continue
        key = _unique(draft.key or "text", seen, next_suffix)
        seen.add(key)  # also when split: a later draft with the same key must not reuse key-p1
        parts = _split_long(text)
        for number, (part, path) in enumerate(zip(parts, _part_paths(draft, parts, genre)), 1):
            part_key = f"{key}-p{number}" if len(parts) > 1 else key
            seen.add(part_key)
            clauses.append(Clause(id=f"{doc_id}#{part_key}", doc_id=doc_id, path=path, text=part,
                                  kind=draft.kind, units=_units(text), part=number if len(parts) > 1 else None,
                                  order=len(clauses)))
    assert len({c.id for c in clauses}) == len(clauses), f"duplicate clause ids in {doc_id}"
    return tuple(clauses)


def _unique(key: str, seen: set[str], next_suffix: dict[str, int]) -> str:
    """The key, or key-2, key-3 … the first one not taken. Where to resume counting is kept
    per key: a document of thousands of （一） items would otherwise re-count from 2 every time."""
    if key not in seen:
        return key
    n = next_suffix.get(key, 2)
    while f"{key}-{n}" in seen:
        n += 1
    next_suffix[key] = n + 1
    return f"{key}-{n}"


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------

def parse_document(text: str, doc_id: str, source: str, content_hash: str = "") -> Document:
    fields, lines = _split_header(clean_lines(text))
    items = join_broken_lines([i for i in find_tables(lines) if i != EMPTY_CELL])
    front = _front(items)
    drafts: list[_Draft] = []
    if front.notice:
        drafts.append(_Draft(("印发通知",), "notice", front.notice, kind="notice"))
    body = items[front.body_start:]
    first_heading = next((i for i, item in enumerate(body) if not isinstance(item, str)
                          or heading_of(item) or ANNEX_LINE.match(to_simplified(item))), len(body))
    if body[:first_heading]:
        drafts.append(_Draft(("前言",), "preamble", body[:first_heading], kind="preamble"))
    genre = genre_of(Counter(h.style for item in body if isinstance(item, str) and (h := heading_of(item))))
    drafts.extend(_Outline(genre).feed(body[first_heading:]))
    title = front.title or Path(source).stem
    return Document(
        id=doc_id, source=source, title=title, number=_number_of(fields, items),
        issuer=_issuer_of(front, fields), date=_date_of(front, fields) or _revision_date(body),
        region=None if is_national(to_simplified(title)) else _region_of(front.title),
        period=_period_of(front.title), content_hash=content_hash,
        clauses=_clauses(doc_id, drafts, genre), genre=genre.name)


def document_id(path: Path) -> str:
    """Slug of the file stem: letters (Chinese ones too, so 徐汇方案2025 and 郑州方案2025 stay two
    documents) and digits, other runs of characters as one hyphen; a name with neither gets a hash."""
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^\w-]|_", "-", path.stem.lower())).strip("-")
    if not slug:
        return "doc-" + hashlib.sha256(path.name.encode("utf-8")).hexdigest()[:8]
    return slug


def load_document(path: Path, known: dict[str, Document] | None = None) -> Document:
    """The parsed file; `known` documents by file name are reused when the bytes are the same."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnreadableDocument(f"{path.name}: file of {path.stat().st_size / 1e6:.0f} MB is over the limit of "
                                 f"{MAX_FILE_BYTES // 1_000_000} MB a document")
    data = path.read_bytes()
    content_hash = hashlib.sha256(data).hexdigest()
    previous = (known or {}).get(path.name)
    if previous is not None and previous.content_hash == content_hash:
        return previous
    source = read_source(path.name, data)
    if len(source.text) > MAX_TEXT_CHARS:
        raise UnreadableDocument(f"{path.name}: {len(source.text):,} characters of text is over the limit of "
                                 f"{MAX_TEXT_CHARS:,} a document; split it into several files")
    document = parse_document(source.text, document_id(path), path.name, content_hash)
    return with_pages(document, source.pages) if source.pages else document


def load_corpus(folder: Path, known: dict[str, Document] | None = None) -> CorpusLoad:
    """Every supported file of the folder, parsed; `known` (by file name) spares re-parsing
    files whose bytes did not change."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    documents, errors = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES):
        try:
            documents.append(load_document(path, known))
        except UnreadableDocument as exc:
            errors.append(str(exc))
        except Exception as exc:  # one malformed file must not stop the whole corpus from loading
            errors.append(f"{path.name}: {type(exc).__name__}: {exc}")
    if not documents:
        raise ValueError(f"no documents in {folder}" + (f" ({'; '.join(errors)})" if errors else ""))
    return CorpusLoad(tuple(documents), tuple(errors))
