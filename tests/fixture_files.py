"""Small documents of every supported format, written at test time (nothing downloaded).

PDFs come from a tiny hand-written generator: one Type0 font with Identity-H encoding and
a ToUnicode map — the structure of PDFs that Word and WPS export — naming Adobe's
STSong-Light without embedding it (viewers substitute a Song face; text extraction needs
only the ToUnicode map). A "scanned" PDF is a page with drawing operators and no text.
"""
from __future__ import annotations

from pathlib import Path

REGULATION_LINES = [
    "某某市专利促进条例",
    "第一章 总则",
    "第一条 为了鼓励发明创造，促进专利的运用和保护，结合本市实际，制定本条例。",
    "第二条 本条例适用于本市行政区域内专利的创造、运用、保护、管理和服务活动。",
    "第二章 专利运用",
    "第三条 市人民政府设立专利转化专项资金，支持高校院所专利开放许可。",
    "第四条 本条例自2025年1月1日起施行。",
]

TARGET_ROWS = [
    ["序号", "主要指标", "2023年实现值", "2026年目标值"],
    ["1", "高价值发明专利拥有量（件）", "1335", "≥1600"],
    ["2", "有效注册商标量（件）", "65658", "≥80000"],
]


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one text line per entry, one list of lines per page."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    to_unicode = add(stream(_to_unicode_cmap(cid)))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900]"
                     b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>")
    cid_font = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
                   b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >>"
                   b" /FontDescriptor %d 0 R /DW 1000 >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
               b" /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode))
    pages_id = len(objects) + 2 * len(pages) + 1
    page_ids = []
    for lines in pages:
        content = b"".join(b"BT /F1 11 Tf 40 %d Td <%s> Tj ET\n" % (800 - 18 * i, _hex(line, cid))
                           for i, line in enumerate(lines))
        contents = add(stream(content))
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, contents, font)))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    path.write_bytes(_assemble(objects, catalog))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A page that only draws (as a scan's image would): no text layer at all."""
    content = b"0.5 g 40 400 500 300 re f\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    path.write_bytes(_assemble(objects, 1))
    return path


def _hex(line: str, cid: dict[str, int]) -> bytes:
    return "".join(f"{cid[ch]:04X}" for ch in line).encode("ascii")


def _to_unicode_cmap(cid: dict[str, int]) -> bytes:
    entries = "\n".join(f"<{code:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch, code in cid.items())
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{len(cid)} beginbfchar\n{entries}\nendbfchar\n"
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend").encode("ascii")


def _assemble(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def write_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    """Paragraphs in order, then the table (if any), then nothing else."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def write_numbered_docx(path: Path, title: str, items: list[tuple[int, str]]) -> Path:
    """Paragraphs numbered by Word itself (the numbers are not in the text): level 0 is
    第%1条 (chineseCounting), level 1 is （%2）."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph(title)
    for level, text in items:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.save(path)
    return path
