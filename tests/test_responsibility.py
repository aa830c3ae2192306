"""The responsibility map on the real plan: which bureau is named in which task, its HTML table and its PNG."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant.parser import PLAN_TITLE
from assistant.responsibility import (JOINT_COLOURS, LEAD_COLOURS, PLAN_ID, UnknownDocument, find_document,
                                      render_map_html, responsibility_map, short_label, write_heatmap)
from assistant.types import Clause


@pytest.fixture(scope="module")
def rmap(clauses):
    return responsibility_map(clauses)


# ---------------------------------------------------------------- the matrix

@pytest.mark.parametrize("bureau, task, position", [
    ("市市场监管局", "2.5.2", 1),   # 强化知识产权保护: 市市场监管局 leads, 市地方金融局 and 市法院 join
    ("市地方金融局", "2.5.2", 2),
    ("市法院", "2.5.2", 3),
    ("市科技局", "2.6.1", 1),       # 深化科研管理改革: 市科技局 alone
    ("市教育局", "2.7.1", 1),
    ("市委外办", "2.1.2", 8),       # the eighth of 吸引集聚海内外一流创新人才's eight bureaus
    ("市发改委", "3.1", 1),         # a safeguard: 加强组织领导
    ("市生态环境局", "3.2", 4),
])
def test_which_bureau_is_in_which_task(rmap, bureau, task, position):
    cell = rmap.cell(bureau, task)
    assert cell is not None and cell.position == position and cell.lead == (position == 1)


def test_bureaus_not_named_in_a_task_have_no_cell(rmap):
    assert rmap.cell("市科技局", "2.5.2") is None  # 强化知识产权保护 does not name 市科技局
    assert [c.bureau for c in rmap.cells if c.task == "2.5.2"] == ["市市场监管局", "市地方金融局", "市法院"]
    assert [c.task for c in rmap.cells if c.bureau == "市法院"] == ["2.5.2"]


def test_title_and_columns_in_printed_order(rmap, clauses):
    by_id = {t.id: t for t in rmap.tasks}
    assert by_id["2.5.2"].title == "强化知识产权保护" and short_label(by_id["2.5.2"]) == "二(五)2"
    assert short_label(by_id["3.1"]) == "三(一)"
    assert [t.id for t in rmap.tasks] == [c.id for c in clauses if c.bureaus]
    assert len(rmap.tasks) == 25 and {t.kind for t in rmap.tasks} == {"task", "safeguard"}
    assert (rmap.document, rmap.title) == (PLAN_ID, PLAN_TITLE)


def test_counts_match_the_index_and_rows_are_sorted(rmap, assistant):
    index = assistant.index
    assert set(rmap.bureaus) == set(index.bureaus)
    assert rmap.counts == {b: len(index.by_bureau[b]) for b in rmap.bureaus}
    counts = list(rmap.counts.values())
    assert counts == sorted(counts, reverse=True)
    assert rmap.bureaus[:2] == ("市科技局", "市发改委") and rmap.counts["市科技局"] == 18
    assert rmap.leads["市发改委"] == 10 and rmap.leads["市科技局"] == 5
    # the lead bureau of every task is the one printed first
    assert {c.task: c.bureau for c in rmap.cells if c.lead} == {t.id: t.bureaus[0] for t in rmap.tasks}


def test_pure_function_on_a_small_document():
    def clause(id, *bureaus):
        return Clause(id, "task", f"二、x > (一)y > {id[-1]}.", f"任务{id}", "正文。", bureaus, (bureaus,))

    m = responsibility_map([Clause("0", "preamble", "序言", "序言", "…"), clause("2.1.1", "乙", "甲"),
                            clause("2.1.2", "甲", "乙", "甲"), clause("2.1.3", "丙")], document="other")
    assert [t.id for t in m.tasks] == ["2.1.1", "2.1.2", "2.1.3"]
    assert m.counts == {"乙": 2, "甲": 2, "丙": 1}  # a tie goes to more leads, then to the first printed
    assert [(c.bureau, c.task, c.position) for c in m.cells] == [
        ("乙", "2.1.1", 1), ("乙", "2.1.2", 2), ("甲", "2.1.1", 2), ("甲", "2.1.2", 1), ("丙", "2.1.3", 1)]
    assert m.to_dict()["document"] == {"id": "other", "title": "other"}


def test_documents_by_id_or_title():
    assert find_document(None) == find_document("") == find_document("plan") == find_document(PLAN_TITLE) == PLAN_ID
    with pytest.raises(UnknownDocument, match="no document 'other'; the documents are 'plan'"):
        find_document("other")


# ---------------------------------------------------------------- HTML

class Elements(HTMLParser):
    """Every start tag with its attributes and the text inside it (direct and nested)."""

    def __init__(self, page: str):
        super().__init__()
        self.elements, self.open = [], []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(el)
        if tag not in ("br", "style"):
            self.open.append(el)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.open:
            el["text"] += data

    def find(self, tag, **attrs):
        return [e for e in self.elements if e["tag"] == tag and all(e["attrs"].get(k) == v for k, v in attrs.items())]


def luminance(colour: str) -> float:
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_html_table_is_accessible_and_links_every_cell(rmap):
    page = Elements(render_map_html("zh", rmap))
    caption = page.find("caption")
    assert len(caption) == 1 and PLAN_TITLE in caption[0]["text"] and "牵头" in caption[0]["text"]
    cols, rows = page.find("th", scope="col"), page.find("th", scope="row")
    assert len(cols) == len(rmap.tasks) + 3  # the corner, one per task, the two totals
    assert [r["text"] for r in rows] == list(rmap.bureaus)
    cells = [a for a in page.find("a") if "aria-label" in a["attrs"]]
    assert len(cells) == len(rmap.cells)
    ip = [a for a in cells if a["attrs"]["href"] == "#clause-2.5.2"]
    assert [(a["attrs"]["aria-label"], a["text"]) for a in ip] == [
        ("市市场监管局：牵头，二、(五) 2. 强化知识产权保护", "牵头"), ("市地方金融局：参与，二、(五) 2. 强化知识产权保护", "参与"),
        ("市法院：参与，二、(五) 2. 强化知识产权保护", "参与")]
    assert {a["text"] for a in cells} == {"牵头", "参与"}  # the role is in words, not only in the colour
    targets = {e["attrs"]["id"] for e in page.elements if "id" in e["attrs"]}
    assert {a["attrs"]["href"][1:] for a in cells} <= targets  # every link lands on its task below the table
    assert "强化知识产权保护" in next(e for e in page.elements if e["attrs"].get("id") == "clause-2.5.2")["text"]


def test_html_colours_meet_wcag_aa(rmap):
    for fg, bg in (LEAD_COLOURS, JOINT_COLOURS):
        assert contrast(fg, bg) >= 4.5
    page = render_map_html("zh", rmap)
    assert f"color:{LEAD_COLOURS[0]};background:{LEAD_COLOURS[1]}" in page


def test_html_in_english_and_other_links(rmap):
    page = Elements(render_map_html("en", rmap, href="/api/clauses/{id}", with_tasks=False))
    assert "Municipal Market Supervision Administration" in " ".join(r["text"] for r in page.find("th", scope="row"))
    ip = next(a for a in page.find("a", href="/api/clauses/2.5.2") if "aria-label" in a["attrs"]
              and a["attrs"]["aria-label"].startswith("市市场监管局"))
    assert ip["text"] == "Lead" and "Strengthen intellectual property protection" in ip["attrs"]["aria-label"]
    assert not [e for e in page.elements if e["attrs"].get("id", "").startswith("clause-")]
    with pytest.raises(ValueError, match="lang must be"):
        render_map_html("fr", rmap)


def test_html_escapes_the_documents_text():
    evil = Clause("2.1.1", "task", "二、x > (一)y > 1.", "<img src=x onerror=alert(1)>", "<b>正文</b>。", ("市<局>",),
                  (("市<局>",),))
    page = render_map_html("zh", responsibility_map([evil]))
    assert "<img" not in page and "<b>" not in page and "&lt;img src=x" in page and "市&lt;局&gt;" in page


# ---------------------------------------------------------------- PNG

def test_heatmap_png_with_and_without_a_cjk_font(rmap, tmp_path, monkeypatch, caplog):
    import assistant.responsibility as responsibility

    png = write_heatmap(rmap, tmp_path / "map.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert responsibility.cjk_font() is not None, "fonts-noto-cjk is installed by scripts/test"
    monkeypatch.setattr(responsibility, "cjk_font", lambda: None)
    plain = write_heatmap(rmap, tmp_path / "plain.png")
    assert plain.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "no CJK font found" in caplog.text
