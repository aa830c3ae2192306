"""Ingest (issue 10, first step): files -> text (formats) and text -> units (structure), on real documents.

The five laws under tests/data/laws/ are copied unchanged from shared/corpus/laws (LawRefBook, markdown with a
header block closed by ``<!-- INFO END -->``); the .docx/.pdf/.html files are written here from their real text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings

from assistant.ingest.formats import IngestError, read_text
from assistant.ingest.structure import (Responsibility, guess_kind, load_structure, parse_document,
                                        split_responsibilities)
from assistant.parser import parse_page
from assistant.text import cn_number

LAWS = Path(__file__).parent / "data" / "laws"
PATENT_LAW = LAWS / "专利法(2020-10-17).md"
CIVIL_PROCEDURE = LAWS / "民事诉讼法(2023-09-01).md"
AGENCY_REGULATION = LAWS / "专利代理条例(2018-11-06).md"
COUNTERFEIT = LAWS / "最高人民法院关于审理伪造货币等案件具体应用法律若干问题的解释(2000-09-08).md"
AMENDMENT = LAWS / "刑法修正案（七）.md"
PLAN_PAGE = Settings().source  # the bundled copy of the scraped plan page
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")

PATENT_ARTICLE_2 = (
    "本法所称的发明创造是指发明、实用新型和外观设计。\n"
    "发明，是指对产品、方法或者其改进所提出的新的技术方案。\n"
    "实用新型，是指对产品的形状、构造或者其结合所提出的适于实用的新的技术方案。\n"
    "外观设计，是指对产品的整体或者局部的形状、图案或者其结合以及色彩与形状、图案的结合所作出的富有美感并适于工业应用的新设计。")


def by_id(doc):
    return {u.id: u for u in doc.units}


# ---- tables over structure.json ----

KINDS = [  # title -> kind guessed from its ending
    ("中华人民共和国专利法", "法"),
    ("专利代理条例", "条例"),
    ("中华人民共和国专利法实施细则", "实施细则"),
    ("最高人民法院关于审理伪造货币等案件具体应用法律若干问题的解释", "解释"),
    ("人民检察院刑事诉讼规则（试行）", "规则"),
    ("促进武汉东湖新技术开发区高质量发展行动方案", "方案"),
    ("国务院关于促进国家高新技术产业开发区高质量发展的若干意见", "意见"),
    ("省人民政府关于印发促进湖北高新技术产业开发区高质量发展若干措施的通知", "通知"),
    ("全国人民代表大会常务委员会关于修改《中华人民共和国专利法》的决定", "决定"),
    ("中华人民共和国刑法修正案（七）", "修正案"),
    ("不动产登记暂行条例(2019年修订)", "条例"),
    ("最高人民法院关于内地与澳门特别行政区相互认可和执行仲裁裁决的安排", "安排"),
    ("中华人民共和国宪法", "宪法"),
    ("武汉市城市管理办法", "办法"),
    ("劳动仲裁和劳动诉讼的攻略", ""),
]


@pytest.mark.parametrize("title, kind", KINDS)
def test_kind_from_the_titles_ending(title, kind):
    assert guess_kind(title) == kind


RESPONSIBILITIES = [  # unit text -> (text kept, listings found)
    ("强化知识产权保护。(责任单位:市市场监管局、市地方金融局,市法院)",
     ("强化知识产权保护。", (("责任单位", ("市市场监管局", "市地方金融局", "市法院")),))),
    ("推进建设。（责任单位：市发改委，市科技局）",
     ("推进建设。", (("责任单位", ("市发改委", "市科技局")),))),
    ("推进建设。（牵头单位：市发改委；配合单位：市财政局、各区人民政府）",
     ("推进建设。", (("牵头单位", ("市发改委",)), ("配合单位", ("市财政局", "各区人民政府"))))),
    ("推进建设。\n牵头单位：市科技局\n配合单位: 市教育局, 市人社局",
     ("推进建设。", (("牵头单位", ("市科技局",)), ("配合单位", ("市教育局", "市人社局"))))),
    ("发明，是指对产品、方法或者其改进所提出的新的技术方案（以下简称发明）。",
     ("发明，是指对产品、方法或者其改进所提出的新的技术方案（以下简称发明）。", ())),
]


@pytest.mark.parametrize("text, expected", RESPONSIBILITIES)
def test_responsibility_listings(text, expected):
    kept, found = split_responsibilities(text)
    assert (kept, tuple((r.label, r.names) for r in found)) == expected


def test_every_label_in_the_data_file_is_recognised():
    for label in load_structure()["responsibility"]["labels"]:
        assert split_responsibilities(f"任务。({label}:甲局)")[1] == (Responsibility(label, ("甲局",)),)


@pytest.mark.parametrize("token, number", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
                                           ("二百二十四", 224), ("三百零六", 306), ("一千", 1000), ("二〇二〇", 2020),
                                           ("12", 12)])
def test_chinese_numbers(token, number):
    assert cn_number(token) == number


# ---- formats ----

def test_markdown_front_matter_and_comments_are_removed(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("---\nbookHidden: true\n---\n# 某条例 <!-- 标题 -->\n\n<!-- INFO END -->\n第一条 内容。\n",
                 encoding="utf-8")
    assert read_text(f) == "# 某条例\n第一条 内容。"


def test_gb18030_text_is_decoded(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes("第一条 为了保护专利权人的合法权益，制定本法。".encode("gb18030"))
    assert read_text(f) == "第一条 为了保护专利权人的合法权益，制定本法。"


def test_html_drops_script_style_nav_and_keeps_blocks(tmp_path):
    f = tmp_path / "page.html"
    f.write_text("<html><head><title>t</title><style>p{}</style></head><body><nav>首页 新闻</nav>"
                 "<script>var a=1;</script><h1>中华人民共和国专利法</h1><h2>第一章 总则</h2>"
                 "<p>第二条 本法所称的发明创造是指发明、实用新型和外观设计。</p>"
                 "<div>发明，是指对产品、方法或者其改进所提出的新的技术方案。<br>次行</div></body></html>",
                 encoding="utf-8")
    assert read_text(f) == ("中华人民共和国专利法\n第一章 总则\n第二条 本法所称的发明创造是指发明、实用新型和外观设计。\n"
                            "发明，是指对产品、方法或者其改进所提出的新的技术方案。\n次行")


def patent_docx():
    """A .docx of the patent law's title and first lines, written with python-docx (shared with test_corpus)."""
    import docx

    lines = read_text(PATENT_LAW).splitlines()
    start = lines.index("## 第一章 总则")
    document = docx.Document()
    document.add_heading("中华人民共和国专利法", level=1)
    for line in lines[start:start + 6]:
        document.add_paragraph(line.lstrip("# "))
    return document


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = patent_docx()
    document.add_paragraph("第三条 国务院专利行政部门负责管理全国的专利工作；统一受理和审查专利申请，依法授予专利权。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "部门", "国务院专利行政部门"
    table.cell(1, 0).text, table.cell(1, 1).text = "施行", "1985年4月1日"
    f = tmp_path / "patent.docx"
    document.save(f)
    text = read_text(f)
    assert text.splitlines()[-3:] == ["第三条 国务院专利行政部门负责管理全国的专利工作；统一受理和审查专利申请，依法授予专利权。",
                                      "部门 国务院专利行政部门", "施行 1985年4月1日"]  # a table row is a line
    doc = parse_document(text)
    assert (doc.title, doc.kind) == ("中华人民共和国专利法", "法")
    assert by_id(doc)["a2"].text == PATENT_ARTICLE_2
    assert by_id(doc)["a2"].path == "第一章 总则 > 第二条"
    assert by_id(doc)["a3"].text.endswith("依法授予专利权。\n部门 国务院专利行政部门\n施行 1985年4月1日")


def _pdf(path: Path, lines: list[str] | None) -> Path:
    import fpdf  # pinned in requirements.txt: a missing install fails here, it is not skipped

    pdf = fpdf.FPDF()
    pdf.add_page()
    if lines:
        pdf.add_font("noto", fname=str(CJK_FONT), collection_font_number=2)  # 2 = Noto Sans CJK SC
        pdf.set_font("noto", size=11)
        for line in lines:
            pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.skipif(not CJK_FONT.exists(), reason="Debian's fonts-noto-cjk is not installed")
def test_pdf_text_layer(tmp_path):
    lines = read_text(COUNTERFEIT).splitlines()
    source = [lines[0].lstrip("# ")] + [x for x in lines if x.startswith(("第一条", "第二条"))]
    doc = parse_document(read_text(_pdf(tmp_path / "counterfeit.pdf", source)))
    assert doc.title == "最高人民法院关于审理伪造货币等案件具体应用法律若干问题的解释"
    assert [u.id for u in doc.units] == ["a1", "a2"]
    assert doc.units[1].text.startswith("行为人购买假币后使用，构成犯罪的，依照刑法第一百七十一条的规定")


@pytest.mark.parametrize("name, content, reason", [
    ("plan.xls", b"x", "unknown extension '.xls'"),
    ("noext", b"x", "unknown extension '(none)'"),
    ("blank.txt", "  \n\u3000\n".encode(), "empty: no text after reading"),
    ("front.md", b"---\ntitle: x\n---\n<!-- INFO END -->\n", "empty: no text after reading"),
    ("bad.txt", b"\xff\xfe\xfa\x80\x81\xff", "not decodable as UTF-8 or GB18030"),
    ("broken.docx", b"PK not a zip", "not a readable .docx"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable .pdf"),
])
def test_unreadable_files_raise_one_clear_line(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError) as err:
        read_text(f)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{f}: ") and reason in message


def test_pdf_without_text_layer_is_an_error(tmp_path):
    f = _pdf(tmp_path / "scan.pdf", None)
    with pytest.raises(IngestError, match="no text layer"):
        read_text(f)


def test_missing_file(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        read_text(tmp_path / "gone.md")


# ---- structure on real documents ----

def test_patent_law_articles_under_chapters():
    doc = parse_document(read_text(PATENT_LAW))
    assert (doc.title, doc.kind, doc.scheme) == ("中华人民共和国专利法", "法", "articles")
    assert (doc.issuer, doc.date, doc.number) == ("全国人民代表大会常务委员会", "2020-10-17", "")
    units = by_id(doc)
    assert [u.id for u in doc.units] == [f"a{i}" for i in range(1, 83)]
    assert (units["a2"].path, units["a2"].title, units["a2"].text) == ("第一章 总则 > 第二条", "第二条",
                                                                        PATENT_ARTICLE_2)
    assert units["a82"].path == "第八章 附则 > 第八十二条"
    assert units["a82"].text == "本法自1985年4月1日起施行。"


def test_civil_procedure_law_books_chapters_sections():
    doc = parse_document(read_text(CIVIL_PROCEDURE))
    units = by_id(doc)
    assert len(doc.units) == 306 and "0" not in units  # no invisible-character preamble
    assert units["a18"].path == "第一编 总 则 > 第二章 管 辖 > 第一节 级别管辖 > 第十八条"
    assert units["a18"].text == "基层人民法院管辖第一审民事案件，但本法另有规定的除外。"
    assert units["a306"].path == "第四编 涉外民事诉讼程序的特别规定 > 第二十七章 司法协助 > 第三百零六条"


def test_regulation_header_fields():
    doc = parse_document(read_text(AGENCY_REGULATION))
    assert (doc.title, doc.kind, doc.issuer) == ("专利代理条例", "条例", "中华人民共和国国务院")
    assert (doc.number, doc.date) == ("中华人民共和国国务院令第706号", "2019-03-01")
    a7 = by_id(doc)["a7"]
    assert (a7.path, a7.text) == ("第二章 专利代理机构和专利代理师 > 第七条", "专利代理机构的组织形式应当为合伙企业、有限责任公司等。")


def test_judicial_interpretation_without_chapters():
    doc = parse_document(read_text(COUNTERFEIT))
    assert (doc.kind, doc.issuer, doc.date) == ("解释", "最高人民法院", "2000-09-14")
    assert [u.id for u in doc.units] == ["0"] + [f"a{i}" for i in range(1, 8)]
    assert doc.units[0].path == "序言" and doc.units[0].text.endswith("现就审理这类案件具体应用法律的若干问题解释如下：")
    a1 = by_id(doc)["a1"]
    assert (a1.path, a1.title) == ("第一条", "第一条")
    assert a1.text.split("\n")[1] == "伪造货币的总面额在3万元以上的，属于“伪造货币数额特别巨大”。"


def test_amendment_numbered_items_without_articles():
    doc = parse_document(read_text(AMENDMENT))
    assert (doc.kind, doc.scheme, doc.date) == ("修正案", "outline", "2009-02-28")
    assert [u.id for u in doc.units] == [str(i) for i in range(1, 16)]
    assert doc.units[14].path == "十五、" and doc.units[14].title == "本修正案自公布之日起施行"
    # quoted paragraphs of an item stay in the item
    assert doc.units[2].text.count("\n") == 3


def test_plan_tasks_and_bureaus_match_the_plan_parser():
    page = PLAN_PAGE.read_text(encoding="utf-8")
    doc = parse_document(page)
    assert (doc.title, doc.kind, doc.scheme) == ("促进武汉东湖新技术开发区高质量发展行动方案", "方案", "outline")
    clauses = parse_page(page)
    expected = {c.id: (c.path, c.title, c.bureaus) for c in clauses if c.kind in ("task", "safeguard")}
    got = {u.id: (u.path, u.title, u.bureaus) for u in doc.units if u.bureaus}
    assert len(expected) == 25 and got == expected
    units = by_id(doc)
    assert units["2.5.2"].path == "二、主要任务 > (五)实施双创环境优化行动,营造热带雨林式创新生态圈 > 2."
    assert units["2.5.2"].responsibilities == (Responsibility("责任单位", ("市市场监管局", "市地方金融局", "市法院")),)
    assert "来源" not in doc.units[-1].text  # the portal's footer is cut at its 来源: line
    assert "二、主要任务" not in units and "2.1" not in units  # headings without text of their own
    # the portal's blurb and image above the plan's own preamble are not the plan's (what parse_page keeps)
    plan_preamble = next(c for c in clauses if c.kind == "preamble")
    assert units["0"].text == plan_preamble.text and units["0"].text.startswith("为促进武汉东湖新技术开发区")
    assert doc.date == "2022-02-21"


@pytest.mark.parametrize("lines, preamble", [
    # a scraped page (dated, source named): only the paragraph right before 一、 is the document's
    (["时间:2022-02-21 11:16:50来源:whbt浏览:", "最近市政府发布了通知，前景广阔。", "2022-02-21_112614.png",
      "为促进发展，制定本方案。"], "为促进发展，制定本方案。"),
    (["发布时间：2021-05-01 来源：市政府办公厅", "编者按：转载。", "各区人民政府：", "现将方案印发给你们。"],
     "现将方案印发给你们。"),
    # not a scraped page: every paragraph stays, an image's file name does not
    (["各区人民政府：", "图1.JPG", "现将方案印发给你们。"], "各区人民政府：\n现将方案印发给你们。"),
    (["时间：2021年5月1日", "第一段。", "第二段。"], "第一段。\n第二段。"),  # a date line naming no source
])
def test_portal_clutter_before_the_first_unit(lines, preamble):
    doc = parse_document("\n".join(["某某工作方案", *lines, "一、工作目标", "到2025年完成。", "二、保障措施", "加强领导。"]))
    assert by_id(doc)["0"].text == preamble


def test_outline_with_annex_and_fullwidth_brackets():
    text = ("关于做好某项工作的通知\n各区人民政府：\n现将有关事项通知如下。\n一、工作任务\n（一）完善机制。建立台账。"
            "（牵头单位：市发改委；配合单位：市财政局、市科技局）\n（二）加强宣传\n1.编印手册。\n2.开展培训。\n"
            "二、工作要求\n各单位要高度重视。\n附件：1.任务清单\n武汉市人民政府办公厅\n2023年3月1日")
    doc = parse_document(text)
    assert (doc.kind, doc.date, doc.issuer) == ("通知", "2023-03-01", "武汉市人民政府办公厅")
    assert [(u.id, u.path, u.title) for u in doc.units] == [
        ("0", "序言", "序言"),
        ("1.1", "一、工作任务 > （一）", "完善机制"),
        ("1.2.1", "一、工作任务 > （二）加强宣传 > 1.", "编印手册"),
        ("1.2.2", "一、工作任务 > （二）加强宣传 > 2.", "开展培训"),
        ("2", "二、", "工作要求"),
        ("att1", "附件", "1.任务清单"),
    ]
    assert by_id(doc)["1.1"].bureaus == ("市发改委", "市财政局", "市科技局")


def test_annex_line_versus_a_sentence_about_an_annex():
    doc = parse_document("某办法\n第一条 内容。\n附件中的表格另行印发。\n第二条 其他。\n附件2 报名表\n表格内容")
    assert [(u.id, u.path, u.title, u.text) for u in doc.units] == [
        ("a1", "第一条", "第一条", "内容。\n附件中的表格另行印发。"), ("a2", "第二条", "第二条", "其他。"),
        ("att2", "附件2", "报名表", "表格内容")]


def test_text_without_structure_is_split_into_paragraphs():
    doc = parse_document("关于加强管理的公告\n为加强管理，现公告如下。各单位遵照执行。\n本公告自发布之日起施行。")
    assert (doc.kind, doc.scheme) == ("公告", "paragraphs")
    assert [(u.id, u.path, u.title) for u in doc.units] == [("p1", "第1段", "为加强管理，现公告如下"),
                                                             ("p2", "第2段", "本公告自发布之日起施行")]


def test_empty_text():
    assert parse_document(" \n ").units == ()


def test_every_sample_law_parses_into_units_with_unique_ids():
    """The laws copied from the shared corpus (the whole corpus is measured by ``eval/bench_ingest.py``)."""
    files = sorted(LAWS.glob("*.md"))
    assert len(files) == 5
    for f in files:
        doc = parse_document(read_text(f))
        assert doc.units and doc.title, f.name
        assert len({u.id for u in doc.units}) == len(doc.units), f.name
