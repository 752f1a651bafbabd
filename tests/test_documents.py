"""Documents stage: real parsing of the seed corpus and of small made-up files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.documents import (
    SUPPORTED_SUFFIXES,
    document_id,
    load_corpus,
    load_document,
    parse_document,
)
from assistant.model import Clause, Document, UnreadableDocument
from assistant.genres import GENRES
from assistant.outline import MAX_CLAUSE_CHARS, paragraphs_across
from assistant.readers import read_text

CORPUS = Path(__file__).parent.parent / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = ("caohejing-2024", "haishu-2024", "pudong-2017", "xuhui-2022", "zhengzhou-2023")


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    load = load_corpus(CORPUS)
    assert load.errors == ()
    return {d.id: d for d in load.documents}


def clause(doc: Document, key: str) -> Clause:
    matches = [c for c in doc.clauses if c.id == f"{doc.id}#{key}"]
    assert matches, f"{doc.id} has no clause {key}: {[c.id for c in doc.clauses]}"
    return matches[0]


def top_sections(doc: Document) -> list[str]:
    seen: list[str] = []
    for c in doc.clauses:
        if c.kind in ("item", "table_row") and c.path[0] not in seen:
            seen.append(c.path[0])
    return seen


# --- the seed corpus ---------------------------------------------------------------

def test_corpus_loads_every_seed_in_name_order(docs):
    assert list(docs) == sorted(SEEDS)


@pytest.mark.parametrize("doc_id, sections", [
    ("caohejing-2024", ["一、总体要求", "二、主要任务", "三、组织保障",
                        "附表:漕河泾国家知识产权服务业高质量集聚发展示范区关键指标2024年—2026年"]),
    ("xuhui-2022", ["一、指导思想", "二、工作目标", "三、重点工作", "四、保障措施"]),
    ("pudong-2017", ["一、指导思想", "二、工作目标", "三、重点工作", "四、保障措施"]),
    ("zhengzhou-2023", ["一、总体要求", "二、主要任务", "三、保障措施"]),
    ("haishu-2024", ["一、指導思想", "二、發展目標", "三、主要任務", "四、實施步驟", "五、保障措施"]),
])
def test_top_level_sections(docs, doc_id, sections):
    assert top_sections(docs[doc_id]) == sections


@pytest.mark.parametrize("doc_id, low, high", [
    ("caohejing-2024", 45, 70), ("xuhui-2022", 22, 30), ("pudong-2017", 45, 55),
    ("zhengzhou-2023", 35, 45), ("haishu-2024", 45, 55),
])
def test_roughly_one_clause_per_numbered_item(docs, doc_id, low, high):
    assert low <= len(docs[doc_id].clauses) <= high


@pytest.mark.parametrize("doc_id, title, number, issuer, date, region, period", [
    ("caohejing-2024",
     "上海漕河泾新兴技术开发区关于创建国家知识产权服务业高质量集聚发展示范区建设方案(2024年—2026年)",
     "徐府发〔2024〕6号", "上海市徐汇区人民政府", "2024-04-01", "漕河泾", (2024, 2026)),
    ("xuhui-2022", "徐汇区关于创建国家知识产权强市建设试点城区的工作方案(2022年—2025年)",
     None, None, None, "徐汇区", (2022, 2025)),
    ("pudong-2017", "浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)",
     "浦府〔2017〕94号", "上海市浦东新区人民政府", "2017-05-22", "浦东新区", (2017, 2019)),
    ("zhengzhou-2023", "郑州市知识产权服务业发展三年行动计划(2023-2025年)",
     None, "郑州市市场监督管理局(知识产权局)", "2023-10-16", "郑州市", (2023, 2025)),
    ("haishu-2024", "海曙區國家知識產權強縣建設試點縣工作方案(2024-2026年)",
     "海政辦發〔2024〕6號", "寧波市海曙區人民政府辦公室", "2024-02-29", "海曙區", (2024, 2026)),
])
def test_metadata(docs, doc_id, title, number, issuer, date, region, period):
    doc = docs[doc_id]
    assert (doc.title, doc.number, doc.issuer, doc.date, doc.region, doc.period) == (
        title, number, issuer, date, region, period)
    assert doc.short_title == region
    assert doc.source == f"{doc_id}.txt"
    assert len(doc.content_hash) == 64


def test_caohejing_nested_item_path_and_id(docs):
    c = clause(docs["caohejing-2024"], "2.3.1")
    assert c.path == ("二、主要任务", "(三)以产业需求为牵引动力,实现知识产权“高效益贡献产出”",
                      "1.提升知识产权服务业“直接产出”贡献度")
    assert c.text.startswith("1.提升知识产权服务业“直接产出”贡献度\n围绕知识产权代理")
    assert c.kind == "item"


def test_heading_only_line_keeps_its_body(docs):
    c = clause(docs["caohejing-2024"], "2.1.2")
    assert c.text.startswith("2.升级出台专项高质量服务业政策\n坚持专业化")
    assert c.path[-1] == "2.升级出台专项高质量服务业政策"


def test_inline_heading_label_stops_at_first_full_stop(docs):
    c = clause(docs["caohejing-2024"], "1.3.1")
    assert c.path[-1] == "1.高质量服务进一步集聚"
    assert "1核,3街区,1商街" in c.text


def test_section_intro_is_its_own_clause_and_bare_headings_are_not(docs):
    caohejing = docs["caohejing-2024"]
    intro = clause(caohejing, "1.3")
    assert intro.path == ("一、总体要求", "(三)工作目标")
    assert "2+(3+6)+(4+5)" in intro.text
    assert not any(c.id == "caohejing-2024#1.2" or c.id == "caohejing-2024#2" for c in caohejing.clauses)
    assert clause(docs["pudong-2017"], "3").text.startswith("三、重点工作\n聚焦中国(浦东)")


def test_heading_and_body_on_one_line_is_one_clause(docs):
    c = clause(docs["zhengzhou-2023"], "3.1")
    assert c.path == ("三、保障措施", "(一)加强组织领导")
    assert c.text.startswith("(一)加强组织领导。强化市知识产权工作领导小组")


def test_notice_and_preamble(docs):
    caohejing = docs["caohejing-2024"]
    notice, preamble = caohejing.clauses[0], caohejing.clauses[1]
    assert (notice.id, notice.kind, notice.path) == ("caohejing-2024#notice", "notice", ("印发通知",))
    assert "徐府发〔2024〕6号" in notice.text and notice.text.endswith("2024年4月1日")
    assert (preamble.id, preamble.kind, preamble.path) == ("caohejing-2024#preamble", "preamble", ("前言",))
    assert preamble.text.startswith("根据中共中央") and preamble.text.endswith("制定本方案。")
    assert "已經區政府同意" in clause(docs["haishu-2024"], "notice").text
    assert clause(docs["haishu-2024"], "notice").text.endswith("2024年2月29日")
    assert not any(c.kind == "notice" for c in docs["xuhui-2022"].clauses)


def test_page_breaks_are_joined(docs):
    xuhui = docs["xuhui-2022"]
    assert "重大涉外知识产权纠纷信息通报" in clause(xuhui, "3.1.4").text
    assert "快捷高效" in clause(xuhui, "3.1.2").text
    assert "服务机构开展专利信息分析" in clause(xuhui, "3.3.2").text
    assert "运营服务一体化共建" in clause(xuhui, "3.4.2").text
    assert "的知识产权服务机构。知识产权人才队伍" in clause(xuhui, "2.d4").text
    assert not any("知知" in c.text for c in xuhui.clauses)
    assert not any("\n" in c.text.split("\n", 1)[-1] for c in xuhui.clauses if c.id.endswith("#3.1.2"))


def test_units(docs):
    xuhui = docs["xuhui-2022"]
    first = clause(xuhui, "3.1.1")
    assert first.units == ("区法院", "区检察院", "公安分局", "区知识产权局", "区文化旅游局")
    assert "（落实单位：区法院、区检察院、公安分局、区知识产权局、区文化旅游局）" in first.text
    own_line = clause(xuhui, "3.4.2")
    assert own_line.units == ("区知识产权局",)
    assert own_line.text.endswith("\n（落实单位：区知识产权局）")
    assert "区政府办（外办）" in clause(xuhui, "3.1.4").units
    assert clause(xuhui, "3.3.2").units == ("区委组织部", "区人力资源社会保障局", "区知识产权局")
    assert not any(c.units for c in xuhui.clauses if c.path[0] == "四、保障措施")


def test_capture_artifacts_never_reach_clause_text(docs):
    for doc in docs.values():
        for c in doc.clauses:
            for artifact in ("**", " and ", "字号:", "分享:", "分享到", "相关链接", "收藏本页", ".pdf", "此件主动公开",
                             "索引号", "索 引 號", "文件編號", "發布單位", "信息名称", "发布时间", "发布人",
                             "4?26", "\u00a0", "\u2003"):
                assert artifact not in c.text, (c.id, artifact)
            assert c.text == c.text.strip()
    assert "思想和党的二十大" in clause(docs["xuhui-2022"], "1").text
    assert "“4·26知識產權宣傳周”" in clause(docs["haishu-2024"], "5.5").text
    assert clause(docs["xuhui-2022"], "2.d1").text.startswith("——知识产权保护环境不断改善。“严保护")


def test_annex_does_not_leak_into_last_clause(docs):
    last = clause(docs["caohejing-2024"], "3.4")
    assert last.text.endswith("确保建设取得实效。")
    assert "附表" not in last.text


def test_dash_bullets(docs):
    xuhui = docs["xuhui-2022"]
    dashes = [c for c in xuhui.clauses if c.path[0] == "二、工作目标" and len(c.path) == 2]
    assert [c.id.split("#")[1] for c in dashes] == ["2.d1", "2.d2", "2.d3", "2.d4", "2.d5"]
    assert dashes[0].path == ("二、工作目标", "——知识产权保护环境不断改善")
    assert sum("520" in c.text for c in dashes) == 1
    assert clause(xuhui, "2").text.startswith("二、工作目标\n到2025年")
    zhengzhou = docs["zhengzhou-2023"]
    principles = [c for c in zhengzhou.clauses if c.path[:2] == ("一、总体要求", "(二)基本原则")]
    assert len(principles) == 3 and all(c.path[-1].startswith("——坚持") for c in principles)
    talent = clause(zhengzhou, "1.3.d5")
    assert talent.path == ("一、总体要求", "(三)发展目标", "——知识产权服务人才结构全面优化")
    assert "培养600名执业专利代理师" in talent.text


def test_haishu_pipe_table(docs):
    haishu = docs["haishu-2024"]
    rows = [c for c in haishu.clauses if c.kind == "table_row"]
    assert len(rows) == 15
    assert [c.id for c in rows] == [f"haishu-2024#2.t1r{n}" for n in range(1, 16)]
    pledge = clause(haishu, "2.t1r8")
    assert pledge.path == ("二、發展目標", "試點建設期間知識產權發展主要指標", "8. 知識產權質押融資累計額(億元)")
    assert pledge.text == "知識產權質押融資累計額(億元)：2023年實現值 78；2026年目標值 ≥200；指標屬性 預期性"
    assert "試點建設期間知識產權發展主要指標" not in clause(haishu, "2").text


def test_caohejing_one_cell_per_line_table(docs):
    rows = [c for c in docs["caohejing-2024"].clauses if c.kind == "table_row"]
    assert len(rows) == 15
    row7 = clause(docs["caohejing-2024"], "annex1.t1r7")
    assert row7.path == ("附表:漕河泾国家知识产权服务业高质量集聚发展示范区关键指标2024年—2026年",
                         "7. 培养示范区区执业专利代理师总人数达750人")
    assert row7.text == "高价值品牌引领：培养示范区区执业专利代理师总人数达750人"
    # the merged 主要任务 cell carries down to the rows that leave it out
    assert clause(docs["caohejing-2024"], "annex1.t1r2").text.startswith("高质量服务集聚：市区两级")
    assert clause(docs["caohejing-2024"], "annex1.t1r1").text == "高质量服务集聚：探索绘制漕河泾知识产权高质量服务业分布图谱"


def test_haishu_stays_traditional(docs):
    haishu = docs["haishu-2024"]
    items = [c for c in haishu.clauses if c.kind == "item"]
    assert all("知识产权" not in c.text for c in haishu.clauses)
    assert sum("知識產權" in c.text for c in items) > 25
    loan = clause(haishu, "3.2.7")
    assert loan.path == ("三、主要任務", "(二)提升知識產權轉化效益", "7.優化知識產權金融服務能力")
    assert "知識產權質押融資總額超200億元" in loan.text


def test_every_clause_is_short_ordered_and_well_formed(docs):
    for doc in docs.values():
        assert [c.order for c in doc.clauses] == list(range(len(doc.clauses)))
        for c in doc.clauses:
            assert 0 < len(c.text) <= MAX_CLAUSE_CHARS
            assert c.doc_id == doc.id and c.id.startswith(f"{doc.id}#")
            assert c.kind in ("notice", "preamble", "item", "table_row")
            assert c.path and all(0 < len(label) <= 81 for label in c.path)


def test_ids_unique_and_stable_across_parses(docs):
    again = {d.id: d for d in load_corpus(CORPUS).documents}
    for doc_id, doc in docs.items():
        ids = [c.id for c in doc.clauses]
        assert len(ids) == len(set(ids))
        assert again[doc_id].clauses == doc.clauses


def test_round_trip_through_dicts(docs):
    doc = docs["xuhui-2022"]
    assert Document.from_dict(doc.to_dict()) == doc


# --- encodings and bad files --------------------------------------------------------

def test_gbk_copy_parses_to_the_same_clauses(tmp_path, docs):
    original = CORPUS / "xuhui-2022.txt"
    copy = tmp_path / original.name
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gbk"))
    parsed = load_document(copy)
    assert parsed.clauses == docs["xuhui-2022"].clauses
    assert parsed.title == docs["xuhui-2022"].title


def test_big5_traditional_text(tmp_path):
    # Big5 has no ≥; swap it for a character it has before encoding
    text = (CORPUS / "haishu-2024.txt").read_text(encoding="utf-8").replace("≥", "＞")
    path = tmp_path / "haishu-big5.txt"
    path.write_bytes(text.encode("big5"))
    parsed = load_document(path)
    expected = parse_document(text, "haishu-big5", path.name)
    assert parsed.clauses == expected.clauses
    assert parsed.number == "海政辦發〔2024〕6號"
    assert "知識產權" in parsed.clauses[-1].text


def test_utf8_bom_and_crlf(tmp_path, docs):
    text = (CORPUS / "pudong-2017.txt").read_text(encoding="utf-8")
    path = tmp_path / "pudong-2017.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_text(path) == text
    assert load_document(path).clauses == docs["pudong-2017"].clauses


def test_bad_files_are_reported_and_the_rest_load(tmp_path):
    shutil.copy(CORPUS / "pudong-2017.txt", tmp_path)
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "english.txt").write_text("Intellectual property plan.\nNo Chinese here.\n", encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"ignored: not a supported suffix")
    load = load_corpus(tmp_path)
    assert [d.id for d in load.documents] == ["pudong-2017"]
    assert len(load.errors) == 3
    for name, reason in (("binary.txt", "binary"), ("empty.md", "empty"), ("english.txt", "no Chinese")):
        line = next(e for e in load.errors if e.startswith(f"{name}:"))
        assert reason in line


def test_read_text_raises_with_the_file_name(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\n ")
    with pytest.raises(UnreadableDocument, match="blank.txt"):
        read_text(path)


def test_missing_folder_and_folder_without_documents(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ValueError, match="no documents in"):
        load_corpus(tmp_path)


def test_markdown_files_load(tmp_path):
    assert ".md" in SUPPORTED_SUFFIXES
    (tmp_path / "plan.md").write_text(
        "# 某县知识产权工作方案(2024-2026年)\n\n为推进工作，制定本方案。\n\n## 一、主要任务\n\n"
        "（一）**加强保护**。严格执法 and 司法保护。\n", encoding="utf-8")
    doc = load_corpus(tmp_path).documents[0]
    assert doc.title == "某县知识产权工作方案(2024-2026年)" and doc.period == (2024, 2026)
    assert [c.id for c in doc.clauses] == ["plan#preamble", "plan#1.1"]
    assert doc.clauses[1].text == "（一）加强保护。严格执法和司法保护。"
    assert doc.clauses[1].path == ("一、主要任务", "（一）加强保护")


def test_document_ids():
    assert document_id(Path("Pudong 2017 (final).txt")) == "pudong-2017-final"
    # Chinese names keep their characters: two plans of one year must not share an id.
    assert document_id(Path("徐汇方案 2025.docx")) == "徐汇方案-2025"
    assert document_id(Path("郑州方案 2025.docx")) == "郑州方案-2025"
    assert document_id(Path("《知识产权规划》.txt")) == "知识产权规划"
    punctuation_only = document_id(Path("——.txt"))
    assert punctuation_only.startswith("doc-") and len(punctuation_only) == 12
    assert punctuation_only == document_id(Path("——.txt"))


# --- structures the seeds do not have ------------------------------------------------

def test_regulation_is_read_as_articles_with_their_items():
    doc = load_document(FIXTURES / "regulation.txt")
    assert doc.title == "某某市专利促进条例" and doc.genre == "law"
    keys = [c.id.split("#")[1] for c in doc.clauses]
    assert keys == ["c1.a1", "c1.a2", "c1.a3", "c2.a4", "c2.a5", "c2.a6"]
    assert doc.clauses[0].path == ("第一章 总则", "第一条")
    assert clause(doc, "c2.a5").text == ("第五条 市人民政府设立专利转化专项资金，支持下列活动：\n"
                                         "（一）高校院所专利开放许可；\n（二）中小企业专利质押融资。")


@pytest.mark.parametrize("title", ["反分裂国家法", "第五届全国人民代表大会常务委员会关于批准广东省经济特区条例的决议",
                                   "国务院关于新形势下加快知识产权强国建设的若干意见"])
def test_a_title_naming_a_body_or_a_subject_before_its_topic_gives_no_region(title):
    """Words before 关于 / 国家 name a place only when they end like one: 第五届…常务委员会 as a region hid
    委员会 from every question (a region's words say where, not what)."""
    doc = parse_document(f"{title}\n\n第一条　为了测试，制定本法。\n\n第二条　第二条。\n\n第三条　第三条。\n", "t", "t.txt")
    assert doc.region is None
    assert parse_document("杭州高新区（滨江）知识产权工作方案\n\n一、目标\n\n提高。\n", "p", "p.txt").region \
        == "杭州高新区（滨江）"

def test_a_national_acts_title_is_not_joined_to_the_sentence_after_it():
    """A title line read as a line broken mid-sentence took the first sentence into the title."""
    text = ("中华人民共和国刑法修正案（二）\n\n为了惩治毁林开垦的犯罪，将刑法第三百四十二条修改为：\n"
            "“违反土地管理法规，非法占用农用地的，处五年以下有期徒刑。”\n本修正案自公布之日起施行。\n")
    assert parse_document(text, "amend", "amend.txt").title == "中华人民共和国刑法修正案（二）"
    resolution = "全国人民代表大会常务委员会关于《中华人民共和国刑法》第三十条的解释"
    assert parse_document(f"{resolution}\n\n全国人民代表大会常务委员会讨论了刑法第三十条的含义，解释如下：\n"
                          "公司实施刑法规定的危害社会的行为的，依法追究刑事责任。\n", "r", "r.txt").title == resolution

def test_law_articles_keep_items_and_following_paragraphs_and_name_paragraphs_when_split():
    items = "\n".join(f"（{n}）第{n}项的内容，写得足够长以便测试超长条文的切分与款的命名规则，再多写一些文字让它更长一点。" for n in "一二三四五六七八九十")
    text = ("中华人民共和国某某法\n\n第一章 总则\n\n第一条　为了测试，制定本法。\n\n"
            f"第二条　有下列情形之一的，依照本法处理：\n{items}\n前款规定以外的情形，适用其他规定。\n\n"
            "第二条之一　插入的条文。\n\n第一千零二条　千位的条文。\n")
    doc = parse_document(text, "law", "law.txt")
    assert doc.genre == "law" and doc.region is None and doc.short_title == "某某法"
    assert [c.id for c in doc.clauses if not c.part] == ["law#c1.a1", "law#c1.a2_1", "law#c1.a1002"]
    parts = [c for c in doc.clauses if c.part]
    assert "".join(c.text for c in parts).endswith("前款规定以外的情形，适用其他规定。")
    assert parts[0].path == ("第一章 总则", "第二条", "第一款")   # the items belong to the first paragraph
    assert parts[-1].path[-1] in ("第一款至第二款", "第二款")
    assert [c.path[-1] for c in doc.clauses if not c.part] == ["第一条", "第二条之一", "第一千零二条"]
    first, second = paragraphs_across(parts, GENRES["law"])
    assert [clause.part for _, clause in first] == list(range(1, len(parts) + 1))[:len(first)]
    assert "（一）" in first[0][0] and first[-1][0].endswith("（十）第十项的内容，写得足够长以便测试超长条文的切分与款的命名规则，再多写一些文字让它更长一点。")
    assert second == [("前款规定以外的情形，适用其他规定。", parts[-1])]


def test_long_clause_is_split_into_consecutive_parts():
    sentence = "推动知识产权服务机构深度参与高校院所创新转化和高质量孵化器项目全过程，发挥产学研用协同创新效应。"
    body = sentence * 25
    text = f"某区知识产权工作方案\n\n一、主要任务\n\n（一）推进转化\n\n{body}\n\n（二）加强保护。严格执法。\n"
    doc = parse_document(text, "long", "long.txt")
    parts = [c for c in doc.clauses if c.path[-1] == "（一）推进转化"]
    assert len(parts) > 1
    assert [c.part for c in parts] == list(range(1, len(parts) + 1))
    assert [c.id for c in parts] == [f"long#1.1-p{n}" for n in range(1, len(parts) + 1)]
    assert "".join(c.text for c in parts) == f"（一）推进转化\n{body}"
    assert parts[0].text.startswith("（一）推进转化\n")
    assert all(len(c.text) <= MAX_CLAUSE_CHARS for c in parts)
    assert all(c.text.endswith("。") for c in parts)
    assert clause(doc, "1.2").part is None


def test_overlong_sentence_is_cut_hard():
    text = "某区工作方案\n\n一、任务\n\n" + "知" * 1000 + "。\n"
    parts = parse_document(text, "hard", "hard.txt").clauses
    assert [len(c.text) for c in parts] == [480, 480, 46]
    assert "".join(c.text for c in parts) == "一、任务\n" + "知" * 1000 + "。"


def test_duplicate_keys_get_a_suffix():
    text = "某区工作方案\n\n一、任务\n\n（一）甲。做甲。\n\n（一）乙。做乙。\n"
    keys = [c.id.split("#")[1] for c in parse_document(text, "dup", "dup.txt").clauses]
    assert keys == ["1.1", "1.1-2"]


def test_a_law_text_with_an_adoption_note_takes_its_latest_revision_date():
    text = ("中华人民共和国某某法\n（2008年12月27日第十一届全国人民代表大会常务委员会第六次会议通过　根据2020年10月17日"
            "第十三届全国人民代表大会常务委员会第二十二次会议《关于修改〈中华人民共和国某某法〉的决定》第二次修正）\n\n"
            "第一章 总则\n\n第一条　为了测试，制定本法。\n\n第二条　本法自公布之日起施行。\n\n第三条　附则。\n")
    doc = parse_document(text, "law", "law.txt")
    assert (doc.title, doc.date, doc.genre, doc.short_title) == ("中华人民共和国某某法", "2020-10-17", "law", "某某法")
    assert doc.clauses[0].kind == "preamble" and "第二次修正" in doc.clauses[0].text


RULED_TABLE = """第二十条　本法自2030年1月1日起施行。
附：
示例税目税率表
税 目 | 税 率 | 备 注
合同 | 借款合同 | 借款金额的万分之零点五 | 指金融机构的借款合同
+--------------------+--------------------+--------------------+
| 买卖合同 | 价款的万分之三 |
+--------------------+--------------------+--------------------+
| 技术合同 | 价款的万分之三 | 不包括专利权转让书据
产权转移书据 | 土地使用权出让书据 | 价款的万分之五 |
+--------------------+--------------------+
| 专利权转让书据 | 价款的万分之三 |
营业账簿 | 实收资本的万分之二点五 |
"""


def test_a_table_drawn_with_rules_and_merged_cells_is_read_row_by_row():
    document = parse_document(RULED_TABLE, "ruled-2030", "ruled.txt")
    rows = [c for c in document.clauses if c.kind == "table_row"]
    assert [c.path[-1] for c in rows] == ["1. 借款合同", "2. 买卖合同", "3. 技术合同", "4. 土地使用权出让书据",
                                          "5. 专利权转让书据", "6. 营业账簿"]
    assert rows[0].path[-2] == "示例税目税率表"
    # a row opening with a bar belongs to the group above; the header's 税目 spans group and item
    assert rows[4].text == "产权转移书据：税 目 专利权转让书据；税 率 价款的万分之三"
    assert rows[1].text == "合同：税 目 买卖合同；税 率 价款的万分之三"
    assert not any("+---" in c.text for c in document.clauses)


def test_an_image_left_by_a_conversion_to_text_is_no_part_of_a_clause():
    text = ("中华人民共和国某某法\n\n第一条　为了测试，制定本法。\n\n第二条　第二条。\n\n"
            "第三条　本法自公布之日起施行。\n附件：国歌（五线谱版）\n!24309{width=\"5.1in\"\nheight=\"7.5in\"}"
            "![简谱](media/image2.png){width=\"3in\"}\n")
    doc = parse_document(text, "anthem", "anthem.txt")
    assert not any("width" in c.text or "!" in c.text for c in doc.clauses)
    assert [c.path[-1] for c in doc.clauses] == ["第一条", "第二条", "第三条"]


def test_a_border_drawn_with_dashes_is_no_heading():
    """A simple table's border (------ ------) headed the rows under it as if it were a section."""
    text = ("中华人民共和国某某税法\n\n第一条　为了测试，制定本法。\n\n第二条　第二条。\n\n第三条　第三条。\n\n"
            "附表：\n一、第一类污染物\n------------------- -------------------\n污 染 物 当量值（千克）\n"
            "1.总汞 0.0005\n2.总镉 0.005\n------------------- -------------------\n")
    rows = [c for c in parse_document(text, "tax", "tax.txt").clauses if c.path[0].startswith("附表")]
    assert rows and not any("---" in label or "---" in c.text for c in rows for label in c.path)
    assert rows[-1].path[-1] == "2.总镉 0.005"
