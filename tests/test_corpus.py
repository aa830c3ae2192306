"""Many documents (issue 10, step 2): ingest into a corpus index, list it, answer from it, on real laws."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.documents import document_id, to_document, unit_kind
from assistant.ingest.formats import read_text
from assistant.ingest.structure import parse_document
from assistant.settings import Settings
from assistant.types import Citation, Clause, Document

LAWS = Path(__file__).parent / "data" / "laws"
PATENT_LAW = LAWS / "专利法(2020-10-17).md"
AGENCY_REGULATION = LAWS / "专利代理条例(2018-11-06).md"


# ---- types ----

def test_a_plan_clause_serialises_as_before():
    c = Clause("2.5.2", "task", "二、主要任务 > (五)实施 > 2.", "强化知识产权保护", "文本。", ("市法院",), (("市法院",),))
    assert list(c.to_dict()) == ["id", "kind", "path", "title", "text", "bureaus", "bureau_groups", "label"]
    assert Clause("x", "article", "第七条", "第七条", "t", document="d").to_dict()["document"] == "d"


def test_citation_names_its_document_only_when_it_has_one():
    c = Clause("d:a7", "article", "第二章 执业注册 > 第七条", "第七条", "护士执业，应当经执业注册。", document="d")
    plain = Citation.of(c, "q").to_dict()
    assert set(plain) == {"id", "path", "title", "bureaus", "quote"}
    doc = Document("d", "护士条例", source="/laws/护士条例.md")
    full = Citation.of(c, "q", doc).to_dict()
    assert (full["document"], full["source"]) == ("护士条例", "/laws/护士条例.md")


# ---- ParsedDocument -> Document + clauses ----

def test_law_articles_become_clauses_with_corpus_wide_ids():
    doc, clauses = to_document(parse_document(read_text(AGENCY_REGULATION)), "专利代理条例", str(AGENCY_REGULATION), "ab")
    assert (doc.id, doc.title, doc.kind, doc.issuer, doc.date) == ("专利代理条例", "专利代理条例", "条例",
                                                                   "中华人民共和国国务院", "2019-03-01")
    assert doc.number == "中华人民共和国国务院令第706号" and doc.clauses == len(clauses) and doc.sha256 == "ab"
    by_id = {c.id: c for c in clauses}
    a7 = by_id["专利代理条例:a7"]
    assert (a7.kind, a7.path, a7.title, a7.document) == ("article", "第二章 专利代理机构和专利代理师 > 第七条",
                                                         "第七条", "专利代理条例")
    assert a7.text == "专利代理机构的组织形式应当为合伙企业、有限责任公司等。"
    assert a7.label == a7.path  # the article number is in the path: no repeated title
    assert len(by_id) == len(clauses)


def test_plan_entries_keep_their_bureaus_and_title_sentence():
    page = Settings().source.read_text(encoding="utf-8")
    _, clauses = to_document(parse_document(page), "plan")
    c = {c.id: c for c in clauses}["plan:2.5.2"]
    assert (c.kind, c.title, c.bureaus) == ("item", "强化知识产权保护", ("市市场监管局", "市地方金融局", "市法院"))
    assert c.bureau_groups == (("市市场监管局", "市地方金融局", "市法院"),)


def test_outline_kinds_and_short_titles():
    text = ("关于做好某项工作的通知\n现将有关事项通知如下。\n一、工作任务\n（一）完善机制。建立台账。\n"
            "（二）" + "很长的标题" * 12 + "。\n附件：1.任务清单\n清单内容")
    _, clauses = to_document(parse_document(text), "n")
    assert [(c.id, c.kind) for c in clauses] == [("n:0", "preamble"), ("n:1.1", "item"), ("n:1.2", "item"),
                                                 ("n:att1", "annex")]
    assert len(clauses[2].title) == 40 and clauses[2].title.endswith("…")
    assert unit_kind(parse_document("某公告\n第一段。\n第二段。").units[0]) == "paragraph"


def test_document_ids_are_readable_and_apart():
    assert document_id("/a/专利法(2020-10-17).md") == "专利法(2020-10-17)"
    assert document_id("/a/b c:d.md") == "b_c_d"
    first = document_id("/x/README.md")
    second = document_id("/y/README.md", {first})
    assert second.startswith("README-") and second != first
    assert document_id("/y/README.md", {first}) == second  # the same path gets the same id
