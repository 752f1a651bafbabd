"""Format readers: .html, .docx and .pdf made at test time parse into the same clauses as text."""
from __future__ import annotations

import pytest

from assistant.documents import SUPPORTED_SUFFIXES, load_corpus, load_document
from assistant.model import UnreadableDocument
from assistant.numerals import chinese_numeral
from assistant.readers import READERS, read_source, read_text

from .fixture_files import (
    REGULATION_LINES,
    TARGET_ROWS,
    write_docx,
    write_numbered_docx,
    write_pdf,
    write_scanned_pdf,
)

GOV_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某县知识产权工作方案_某县人民政府</title><script>var nav = "首页";</script></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 规划计划</div>
<table class="xxgk">
  <tr><td>索引号：</td><td>001/2024-00012</td><td>发布机构：</td><td>某县人民政府办公室</td></tr>
  <tr><td>文件编号：</td><td>某政办发〔2024〕3号</td><td>成文日期：</td><td>2024-03-01</td></tr>
</table>
<div class="article">
  <h1>某县知识产权强县建设
      工作方案（2024-2026年）</h1>
  <p>为推进知识产权强县建设，制定本方案。</p>
  <p>一、工作目标</p>
  <p>到2026年，有效发明专利达到<b>5000</b>件。</p>
  <table>
    <tr><th>序号</th><th>主要指标</th><th>2026年目标值</th></tr>
    <tr><td>1</td><td>有效发明专利数量（件）</td><td>≥5000</td></tr>
    <tr><td>2</td><td>版权登记量（件）</td><td>≥5500</td></tr>
  </table>
  <p>二、保障措施</p>
  <p>（一）加强组织领导。<br>成立工作专班。</p>
</div>
<div class="share-box">分享到：微信 微博</div>
<div id="footer">主办：某县人民政府办公室 网站标识码：3302030001 版权所有</div>
</body></html>
"""


def test_every_supported_suffix_has_a_reader():
    assert set(READERS) == set(SUPPORTED_SUFFIXES)


def test_html_keeps_the_article_and_drops_the_chrome(tmp_path):
    path = tmp_path / "mouxian-2024.html"
    path.write_bytes(GOV_PAGE.encode("gbk"))
    document = load_document(path)
    text = "\n".join(c.text for c in document.clauses)
    assert document.title == "某县知识产权强县建设工作方案（2024-2026年）"
    assert document.number == "某政办发〔2024〕3号" and document.date == "2024-03-01"
    for chrome in ("首页", "当前位置", "分享到", "网站标识码", "var nav"):
        assert chrome not in text
    ids = {c.id.split("#")[1]: c for c in document.clauses}
    assert ids["1"].text == "一、工作目标\n到2026年，有效发明专利达到5000件。"
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [r.text for r in rows] == ["有效发明专利数量（件）：≥5000", "版权登记量（件）：≥5500"]
    assert ids["2.1"].text == "（一）加强组织领导。\n成立工作专班。"


def test_html_without_a_declared_charset_is_detected(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(GOV_PAGE.replace("; charset=gb2312", "").encode("gb18030"))
    assert "二、保障措施" in read_text(path).splitlines()


def test_docx_regulation_keeps_chapters_and_articles(tmp_path):
    document = load_document(write_docx(tmp_path / "regulation.docx", REGULATION_LINES))
    assert document.title == "某某市专利促进条例"
    assert [c.id for c in document.clauses] == [f"regulation#{k}" for k in ("c1.a1", "c1.a2", "c2.a3", "c2.a4")]
    assert document.clauses[2].path == ("第二章 专利运用", "第三条")  # a law cites the article by its number
    assert all(c.page is None for c in document.clauses)


def test_docx_table_rows_become_clauses(tmp_path):
    path = write_docx(tmp_path / "targets.docx", ["某县知识产权工作方案", "一、主要指标", "主要指标一览"], TARGET_ROWS)
    assert "1 | 高价值发明专利拥有量（件） | 1335 | ≥1600 |" in read_text(path).splitlines()
    rows = [c for c in load_document(path).clauses if c.kind == "table_row"]
    assert [r.text for r in rows] == ["高价值发明专利拥有量（件）：2023年实现值 1335；2026年目标值 ≥1600",
                                      "有效注册商标量（件）：2023年实现值 65658；2026年目标值 ≥80000"]


def test_docx_automatic_numbering_is_rendered(tmp_path):
    items = [(0, "为了鼓励发明创造，制定本办法。"), (0, "支持下列活动："), (1, "高校院所专利开放许可；"),
             (1, "中小企业专利质押融资。")] + [(0, f"第{n}项规定。") for n in range(3, 12)]
    path = write_numbered_docx(tmp_path / "banfa.docx", "某某市专利促进办法", items)
    lines = read_text(path).splitlines()
    assert lines[1:5] == ["第一条 为了鼓励发明创造，制定本办法。", "第二条 支持下列活动：",
                          "（一）高校院所专利开放许可；", "（二）中小企业专利质押融资。"]
    assert lines[-1] == "第十一条 第11项规定。"
    assert "banfa#a11" in {c.id for c in load_document(path).clauses}


def test_pdf_clauses_carry_their_page(tmp_path):
    path = write_pdf(tmp_path / "regulation.pdf", [REGULATION_LINES[:4], ["- 1 -"], REGULATION_LINES[4:]])
    document = load_document(path)
    assert [(c.id.split("#")[1], c.page) for c in document.clauses] == [
        ("c1.a1", 1), ("c1.a2", 1), ("c2.a3", 3), ("c2.a4", 3)]
    assert "- 1 -" not in read_text(path)


def test_pdf_clause_broken_across_pages_is_joined_and_starts_on_its_first_page(tmp_path):
    lines = ["某某市专利促进条例", "第一章 总则", "第一条 为了鼓励发明创造，制定本条例。本条例所称专利，是指"]
    path = write_pdf(tmp_path / "broken.pdf", [lines, ["发明、实用新型和外观设计专利。", "第二条 本条例适用于本市。"]])
    clauses = load_document(path).clauses
    assert clauses[0].text == "第一条 为了鼓励发明创造，制定本条例。本条例所称专利，是指发明、实用新型和外观设计专利。"
    assert [c.page for c in clauses] == [1, 2]


def test_scanned_pdf_is_reported_by_name_and_skipped(tmp_path):
    write_pdf(tmp_path / "text.pdf", [REGULATION_LINES])
    write_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(UnreadableDocument, match=r"scan\.pdf: .*no text layer"):
        load_document(tmp_path / "scan.pdf")
    load = load_corpus(tmp_path)
    assert [d.id for d in load.documents] == ["text"]
    assert len(load.errors) == 1 and load.errors[0].startswith("scan.pdf:")


@pytest.mark.parametrize("name", ["broken.docx", "broken.pdf", "broken.html"])
def test_damaged_files_raise_a_clear_error(name):
    with pytest.raises(UnreadableDocument, match=name.replace(".", r"\.")):
        read_source(name, b"PK\x03\x04 not really a document \x00\x01\x02" * 20)


def test_unsupported_suffix_is_refused():
    with pytest.raises(UnreadableDocument, match="unsupported"):
        read_source("plan.xlsx", b"data")


@pytest.mark.parametrize("n, numeral", [(1, "一"), (10, "十"), (12, "十二"), (21, "二十一"), (100, "一百"),
                                        (105, "一百零五"), (110, "一百一十"), (123, "一百二十三")])
def test_chinese_numerals(n, numeral):
    assert chinese_numeral(n) == numeral
