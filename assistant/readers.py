"""Format readers: turn the bytes of a .txt, .md, .html, .docx or .pdf file into the plain lines the
clause parser reads (one heading, paragraph or table row per line, tables as `a | b | c |`). Plain
text is decoded from UTF-8 or a legacy Chinese encoding (GBK/GB18030, Big5, UTF-16).

Paged formats also return the text of each page, so that every clause can carry the page
it starts on (`Clause.page`).
"""
from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .model import Clause, Document, UnreadableDocument
from .numerals import chinese_numeral
from .tables import SERIAL_HEADER
from .text import has_chinese


@dataclass(frozen=True)
class SourceText:
    text: str
    pages: tuple[str, ...] = ()  # the text of page 1, 2 … for paged formats


def read_source(name: str, data: bytes) -> SourceText:
    """The text of a file's bytes, by the file's suffix; raises UnreadableDocument naming it."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = READERS.get(suffix)
    if reader is None:
        raise UnreadableDocument(f"{name}: unsupported file type (use {', '.join(READERS)})")
    if not data.strip():
        raise UnreadableDocument(f"{name}: empty file")
    return reader(data, name)


def read_text(path: Path) -> str:
    """The file's text, whatever its format, with line endings normalised; raises UnreadableDocument."""
    return read_source(Path(path).name, Path(path).read_bytes()).text


def read_plain(data: bytes, name: str) -> SourceText:
    return SourceText(decode_text(data, name))


# ---------------------------------------------------------------------------
# Plain text: UTF-8 or a legacy Chinese encoding
# ---------------------------------------------------------------------------

LEGACY_ENCODINGS = ["gb18030", "gbk", "big5", "cp950", "utf_16"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def decode_text(data: bytes, name: str) -> str:
    """Plain text in UTF-8 or a legacy Chinese encoding; raises UnreadableDocument."""
    if not data.strip():
        raise UnreadableDocument(f"{name}: empty file")
    text = _decode_utf8(data)
    if text is None:
        text = _decode_legacy(data)
    if text is None or len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        raise UnreadableDocument(f"{name}: binary or undecodable content")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not has_chinese(text):
        raise UnreadableDocument(f"{name}: no Chinese text")
    return text


def _decode_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _decode_legacy(data: bytes) -> str | None:
    # NUL bytes without a UTF-16 byte-order mark mean a binary file: legacy
    # Chinese encodings never produce them.
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    return str(best) if best is not None else None


# ---------------------------------------------------------------------------
# HTML: the page body without its navigation and footer chrome, one block per line
# ---------------------------------------------------------------------------

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
# Pages that declare GB2312 or Big5 routinely use characters only their supersets have.
ENCODING_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "button",
               "select", "input", "textarea", "svg", "canvas", "object", "embed")
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
CHROME_NAME = re.compile(r"(?:^|[-_])(?:nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|sidebar|share|copyright"
                         r"|toolbar|topbar|search|login|skip|friendlinks?)(?:$|[-_\d])", re.IGNORECASE)
BLOCK_TAGS = ("p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
              "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "center", "caption", "figure", "figcaption")


def read_html(data: bytes, name: str) -> SourceText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode_html(data, name), "lxml")
    root = soup.body or soup
    _drop_chrome(root)
    _collapse_whitespace(root)
    for table in root.find_all("table"):
        if table.find("table") is None:  # innermost first: a layout table keeps its cells as blocks
            table.replace_with("\n" + "\n".join(_table_lines(table)) + "\n")
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all([*BLOCK_TAGS, "table", "tr", "td", "th"]):
        block.insert_before("\n")
        block.append("\n")
    return SourceText(_checked(root.get_text(), name))


def _decode_html(data: bytes, name: str) -> str:
    declared = META_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(ENCODING_SUPERSETS.get(charset, charset))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: fall back to detection
    return decode_text(data, name)


def _drop_chrome(root) -> None:
    for tag in root.find_all(CHROME_TAGS):
        tag.decompose()
    for tag in root.find_all(["header", "footer"]):
        if tag.find_parent(["article", "main"]) is None:  # inside an article they hold its title or notes
            tag.decompose()
    for tag in root.find_all(_is_chrome):
        tag.decompose()


def _is_chrome(tag) -> bool:
    names = [tag.get("id") or "", *(tag.get("class") or [])]
    return tag.get("role") in CHROME_ROLES or any(CHROME_NAME.search(n) for n in names if n)


def _collapse_whitespace(root) -> None:
    # Source line breaks inside a paragraph are layout, not structure.
    from bs4 import NavigableString

    for text in root.find_all(string=True):
        if isinstance(text, NavigableString) and text.find_parent("pre") is None:
            text.replace_with(re.sub(r"\s+", " ", str(text)))


def _table_lines(table) -> list[str]:
    """A data table (with a header row) as pipe rows, each row becoming a clause;
    any other table, e.g. a page's 索引号/发布机构 grid, as one line per row."""
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    has_header = table.find("th") is not None or bool(SERIAL_HEADER.match(rows[0][0]))
    if has_header and len(rows) > 1 and len(rows[0]) > 1:
        return [" | ".join(row) + " |" for row in rows]
    return [" ".join(cell for cell in row if cell) for row in rows]


# ---------------------------------------------------------------------------
# Word (.docx): paragraphs and tables in order, automatic numbering rendered
# ---------------------------------------------------------------------------

def read_docx(data: bytes, name: str) -> SourceText:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged or non-Word file
        raise UnreadableDocument(f"{name}: not a readable Word .docx file ({type(exc).__name__})") from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += _docx_table_lines(block)
        else:
            lines.append(numbering.label(block._p) + block.text)
    return SourceText(_checked("\n".join(lines), name))


def _docx_table_lines(table) -> list[str]:
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append(" | ".join(cells) + " |")
    return lines


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Numbering:
    """Word's automatic list numbers (第一条, 一、, （一）, 1.), which are not part of the
    paragraph text: counters per list and level, restarted below a higher level."""

    def __init__(self, document) -> None:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        self._formats: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, list[int]] = {}
        if root is not None:
            self._read(root)
        self._styles = document.styles

    def _read(self, root) -> None:
        abstract = {}
        for node in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in node.iter(W + "lvl"):
                fmt, text, start = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                levels[int(lvl.get(W + "ilvl"))] = (
                    fmt.get(W + "val") if fmt is not None else "decimal",
                    text.get(W + "val") if text is not None else "",
                    int(start.get(W + "val")) if start is not None else 1)
            abstract[node.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                self._formats[num.get(W + "numId")] = abstract.get(ref.get(W + "val"), {})

    def label(self, paragraph) -> str:
        num_id, level = self._numbering_of(paragraph)
        levels = self._formats.get(num_id or "", {})
        if level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        text = levels[level][1]
        for lvl, (fmt, _, start) in levels.items():
            if f"%{lvl + 1}" in text:
                text = text.replace(f"%{lvl + 1}", _format_number(max(counters[lvl], 1) + start - 1, fmt))
        # Word separates the number from the text with a tab; a heading like 第一条 needs a space.
        return text + (" " if text.endswith(("条", "條", "章", "节", "節")) else "")

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        ppr = paragraph.pPr
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        if num_pr is None and ppr is not None and ppr.pStyle is not None:
            num_pr = self._style_numbering(ppr.pStyle.val)
        if num_pr is None:
            return None, -1
        num_id, ilvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
        return (num_id.get(W + "val") if num_id is not None else None,
                int(ilvl.get(W + "val")) if ilvl is not None else 0)

    def _style_numbering(self, style_id: str):
        style = next((s for s in self._styles if s.style_id == style_id), None)
        ppr = style.element.pPr if style is not None else None
        return ppr.find(W + "numPr") if ppr is not None else None


def _format_number(n: int, fmt: str) -> str:
    if fmt.startswith(("chineseCounting", "ideographTraditional", "taiwaneseCounting", "japaneseCounting")):
        return chinese_numeral(n)
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    return str(n)


# ---------------------------------------------------------------------------
# PDF with a text layer: one text per page
# ---------------------------------------------------------------------------

# A line that is only a page number ("- 3 -", "— 12 —", "第 3 页 共 9 页") is page furniture.
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?"
                              r"|\d{1,4}\s*/\s*\d{1,4})\s*$")


def read_pdf(data: bytes, name: str) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(f"{name}: the PDF is password-protected")
        pages = tuple(_page_text(page.extract_text() or "") for page in reader.pages)
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocument(f"{name}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(has_chinese(page) for page in pages):
        raise UnreadableDocument(f"{name}: the PDF has no text layer (a scanned PDF needs OCR first)")
    return SourceText(_checked("\n".join(pages), name), pages)


def _page_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line for line in lines if not PAGE_NUMBER_LINE.match(line))


def _checked(text: str, name: str) -> str:
    if not has_chinese(text):
        raise UnreadableDocument(f"{name}: no Chinese text")
    return text


READERS: dict[str, Callable[[bytes, str], SourceText]] = {
    ".txt": read_plain, ".md": read_plain, ".html": read_html, ".htm": read_html,
    ".docx": read_docx, ".pdf": read_pdf,
}


# ---------------------------------------------------------------------------
# Pages of clauses
# ---------------------------------------------------------------------------

PROBE_CHARS = 12


def with_pages(document: Document, pages: tuple[str, ...]) -> Document:
    """The document with each clause's `page`: where its opening characters first occur,
    searching forward from the previous clause (clauses are in reading order)."""
    flat, page_of = _flatten(pages)
    cursor, page = 0, 1
    clauses: list[Clause] = []
    for clause in document.clauses:
        found = _find_opening(flat, _compact(clause.text), cursor)
        if found >= 0:
            cursor, page = found, page_of(found)
        clauses.append(dataclasses.replace(clause, page=page))
    return dataclasses.replace(document, clauses=tuple(clauses))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _flatten(pages: tuple[str, ...]) -> tuple[str, Callable[[int], int]]:
    starts, parts, offset = [], [], 0
    for text in pages:
        starts.append(offset)
        compact = _compact(text)
        parts.append(compact)
        offset += len(compact)

    def page_of(position: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= position) + 1

    return "".join(parts), page_of


def _find_opening(flat: str, text: str, cursor: int) -> int:
    # Table rows are re-worded ("lead：header value"), so fall back to a shorter opening.
    for length in (PROBE_CHARS, 4):
        probe = text[:length]
        at = flat.find(probe, cursor) if probe else -1
        if at >= 0:
            return at
    return -1
