"""One structure parser for Chinese official documents: text -> ParsedDocument with its units.

Pure functions. Three schemes, tried in order:

- ``articles``: laws, regulations, judicial interpretations — 第X编/分编/章/节 headings and 第X条 units; an article
  runs over its paragraphs until the next 条/章/节 (its (一)(二) items stay in its text);
- ``outline``: plans and notices — 一、 > （一）/(一) > 1. > (1); a numbered line is a unit when it has text of its
  own or no numbered children, otherwise only a heading in its children's paths;
- ``paragraphs``: no recognisable structure — one unit a paragraph (``p1``, ``第1段``).

附件 starts a top-level unit in either numbered scheme. Word lists live in ``assistant/data/structure.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..text import cn_number
from .formats import INVISIBLE as _INVISIBLE

STRUCTURE_FILE = Path(__file__).resolve().parent.parent / "data" / "structure.json"

_CN = "零〇○一二两三四五六七八九十百千"
_NUM = rf"[{_CN}\d]+"

_DIVISION = re.compile(rf"^第({_NUM})(编|分编|章|节)(?:\s+(\S.*))?$")
_DIVISION_RANK = {"编": 0, "分编": 1, "章": 2, "节": 3}
_ARTICLE = re.compile(rf"^(第({_NUM})条(?:之({_NUM}))?)(?:\s+(.*))?$")
_ANNEX = re.compile(rf"^附件(?:\s*({_NUM}))?(?:\s*[:：]|\s+|$)\s*(.*)$")  # not 附件中… in a sentence
_OUTLINE = (  # rank, pattern (group 1 the number, group 2 the rest)
    (1, re.compile(rf"^([{_CN}]+)、\s*(.*)$")),
    (2, re.compile(rf"^[（(]([{_CN}]+)[)）]\s*(.*)$")),
    (3, re.compile(r"^(\d{1,3})[.．、](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(](\d{1,3})[)）]\s*(.*)$")),
)
_HEADING_MARK = re.compile(r"^#{1,6}\s*")
_CN_DATE = re.compile(rf"([{_CN}]{{4}})年([{_CN}]{{1,3}})月([{_CN}]{{1,3}})日")
_DATE = re.compile(r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_DATE_LINE = re.compile(rf"^(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日|[{_CN}]{{4}}年[{_CN}]{{1,3}}月|时间\s*[:：]|发布日期|成文日期)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
_ORDER_NUMBER = re.compile(r"(?:中华人民共和国)?[\u4e00-\u9fff]{1,12}令\s*第\s*\d+\s*号")
_TRAILING_BRACKET = re.compile(r"\s*[（(][^()（）]*[)）]\s*$")


@dataclass(frozen=True)
class Responsibility:
    """One printed responsibility listing, e.g. 牵头单位: (市发改委, 市科技局)."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """One citable unit: an article, a numbered task, an annex or a paragraph.

    Attributes:
        id: stable within the document: ``a7`` (第七条), ``a224-1`` (第二百二十四条之一), ``2.5.2`` (二、(五) 2.),
            ``att1`` (附件1), ``0`` (text before the first unit), ``p3`` (the third paragraph).
        path: the heading path as printed, e.g. ``第二章 执业注册 > 第七条``.
        title: the article number for laws (``第七条``), the title sentence for plans.
        text: the unit's paragraphs joined by newlines, without a trailing responsibility listing.
        responsibilities: the printed 责任单位/牵头单位/… listings, in order.
    """

    id: str
    path: str
    title: str
    text: str
    responsibilities: tuple[Responsibility, ...] = ()

    @property
    def bureaus(self) -> tuple[str, ...]:
        """Every responsible body named, in printed order, without repeats."""
        return tuple(dict.fromkeys(n for r in self.responsibilities for n in r.names))


@dataclass(frozen=True)
class ParsedDocument:
    """A document's header fields (empty string when not found) and its units in order."""

    title: str
    kind: str
    issuer: str
    number: str
    date: str
    scheme: str
    units: tuple[Unit, ...] = ()


@lru_cache(maxsize=1)
def load_structure(path: str | Path = STRUCTURE_FILE) -> dict:
    """The word lists of ``structure.json`` (kinds, responsibility labels, issuer suffixes, end markers)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    data = load_structure()
    labels = "|".join(map(re.escape, data["responsibility"]["labels"]))
    suffixes = "|".join(map(re.escape, sorted(data["issuer"]["suffixes"], key=len, reverse=True)))
    return {
        "kinds": sorted(data["kinds"]["endings"], key=len, reverse=True),
        "bracket": re.compile(rf"[（(]\s*((?:{labels})\s*[:：][^()（）]*)[)）][。.；;]?\s*$"),
        "line": re.compile(rf"^((?:{labels})\s*[:：].*)$"),
        "segment": re.compile(rf"({labels})\s*[:：]\s*([^;；]*)"),
        "title_issuer": re.compile(rf"^(\S+?(?:{suffixes}))关于"),
        "header_issuer": re.compile(
            rf"(?:第[{_CN}\d]+届)?([\u4e00-\u9fff]+?(?:{suffixes})(?:常务委员会)?)"
            rf"(?:第[{_CN}\d]+次(?:全体)?会议|审判委员会|检察委员会)?[^，。]{{0,30}}?(?:通过|发布|公布|印发)"),
        "signature": re.compile(rf"[\u4e00-\u9fff]{{2,30}}(?:{suffixes})"),
        "end": tuple(data["end_markers"]["prefixes"]),
        "page_line": re.compile(data["portal"]["page_line"]),
        "image_line": re.compile(data["portal"]["image_line"], re.I),
    }


def guess_kind(title: str) -> str:
    """The kind from the title's ending (``专利代理条例`` -> ``条例``); ``""`` when none fits."""
    bare = title
    while (stripped := _TRAILING_BRACKET.sub("", bare)) != bare:
        bare = stripped
    return next((k for k in _patterns()["kinds"] if bare.endswith(k)), "")


def split_responsibilities(text: str) -> tuple[str, tuple[Responsibility, ...]]:
    """Cut printed responsibility listings off a unit's text.

    A trailing ``（责任单位：A、B，C）`` (full-width or ASCII brackets, colons, commas, ``；`` between labels)
    and whole paragraphs such as ``牵头单位：A`` are removed from the text and returned in order.
    """
    pats, kept, found = _patterns(), [], []
    for para in text.split("\n"):
        match = pats["bracket"].search(para) or pats["line"].match(para)
        if match:
            para = para[: match.start()].rstrip()
            for label, listing in pats["segment"].findall(match.group(1)):
                names = tuple(n for n in re.split(r"[、,，\s]+", listing.strip(" 。.")) if n)
                if names:
                    found.append(Responsibility(label, names))
        if para:
            kept.append(para)
    return "\n".join(kept), tuple(found)


def _first_sentence(text: str) -> str:
    return re.split(r"[。！？；]", text, maxsplit=1)[0].strip()


def _date_iso(text: str) -> str:
    if m := _DATE.search(text):
        y, mo, d = (int(x) for x in m.groups())
    elif m := _CN_DATE.search(text):
        y, mo, d = (cn_number(x) for x in m.groups())
    else:
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""


def _normalise(text: str) -> tuple[list[str], list[bool]]:
    """Non-empty lines with spaces folded and markdown heading marks removed; whether each was a heading."""
    lines, marked = [], []
    for raw in text.splitlines():
        raw = " ".join(raw.translate(_INVISIBLE).split())
        line = _HEADING_MARK.sub("", raw)
        if line:
            lines.append(line)
            marked.append(line != raw and not _is_numbered(line))
    return lines, marked


def _find_title(lines: list[str], marked: list[bool]) -> int:
    if any(marked):
        return marked.index(True)
    for i, line in enumerate(lines[:60]):
        if len(line) <= 80 and "。" not in line and guess_kind(line) and not _is_numbered(line):
            return i
    return 0


def _is_numbered(line: str) -> bool:
    return bool(_DIVISION.match(line) or _ARTICLE.match(line) or _ANNEX.match(line)
                or any(p.match(line) for _, p in _OUTLINE))


def _is_header_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line) or _DOC_NUMBER.fullmatch(line))


class _Node:
    __slots__ = ("rank", "marker", "head", "paras", "children", "id", "parents")

    def __init__(self, rank, marker, head, parents, id_):
        self.rank, self.marker, self.head = rank, marker, head
        self.paras, self.children, self.parents, self.id = [], 0, parents, id_

    @property
    def heading(self) -> str:
        return self.marker + self.head if "。" not in self.head else self.marker + _first_sentence(self.head)


def _unique(id_: str, seen: dict) -> str:
    seen[id_] = seen.get(id_, 0) + 1
    return id_ if seen[id_] == 1 else f"{id_}_{seen[id_]}"


def _unit(id_: str, path: str, title: str, paras: list[str]) -> Unit:
    text, found = split_responsibilities("\n".join(paras))
    return Unit(id_, path, title, text, found)


def _preamble(lines: list[str]) -> list[Unit]:
    paras = [x for x in lines if not _is_header_line(x)]
    return [_unit("0", "序言", "序言", paras)] if paras else []


def _parse_articles(body: list[str]) -> list[Unit]:
    stack: list[tuple[int, str]] = []
    pre: list[str] = []
    open_units: list[list] = []  # [id, path, title, paras]
    seen: dict = {}
    for line in body:
        if (div := _DIVISION.match(line)) and len(line) <= 40 and "。" not in line:
            rank = _DIVISION_RANK[div.group(2)]
            stack = [s for s in stack if s[0] < rank] + [(rank, line)]
        elif art := _ARTICLE.match(line):
            id_ = f"a{cn_number(art.group(2))}" + (f"-{cn_number(art.group(3))}" if art.group(3) else "")
            path = " > ".join([s[1] for s in stack] + [art.group(1)])
            open_units.append([_unique(id_, seen), path, art.group(1), [art.group(4)] if art.group(4) else []])
        elif (annex := _ANNEX.match(line)) and (open_units or pre):
            n = cn_number(annex.group(1)) if annex.group(1) else 1
            stack = []
            marker = f"附件{annex.group(1) or ''}"
            open_units.append([_unique(f"att{n}", seen), marker, annex.group(2) or marker, []])
        elif open_units:
            open_units[-1][3].append(line)
        else:
            pre.append(line)
    return _preamble(pre) + [_unit(*u) for u in open_units]


def _outline_match(line: str):
    if annex := _ANNEX.match(line):
        return 0, annex.group(1) or "1", f"附件{annex.group(1) or ''}", annex.group(2)
    for rank, pattern in _OUTLINE:
        if m := pattern.match(line):
            return rank, m.group(1), line[: m.start(2)].rstrip(), m.group(2)
    return None


def _parse_outline(body: list[str]) -> list[Unit]:
    stack: list[_Node] = []
    nodes: list[_Node] = []
    pre: list[str] = []
    seen: dict = {}
    for line in body:
        found = _outline_match(line)
        if found is None:
            (nodes[-1].paras if nodes else pre).append(line)
            continue
        rank, num, marker, head = found
        while stack and stack[-1].rank >= rank:
            stack.pop()
        if stack:
            stack[-1].children += 1
        num_id = f"att{cn_number(num)}" if rank == 0 else str(cn_number(num))
        id_ = ".".join([n.id for n in stack[-1:]] + [num_id])
        node = _Node(rank, marker, head, [n.heading for n in stack], _unique(id_, seen))
        stack.append(node)
        nodes.append(node)
    units = []
    for node in nodes:
        own_text = "。" in node.head or bool(node.paras) or bool(_patterns()["bracket"].search(node.head))
        if not (own_text or node.children == 0):
            continue
        title = _first_sentence(split_responsibilities(node.head)[0]) or node.marker
        paras = ([node.head] if node.head else []) + node.paras
        units.append(_unit(node.id, " > ".join(node.parents + [node.marker]), title, paras))
    return _preamble(pre) + units


def _parse_paragraphs(body: list[str]) -> list[Unit]:
    return [_unit(f"p{i}", f"第{i}段", _first_sentence(line)[:40], [line]) for i, line in enumerate(body, 1)]


def _issuer(title: str, header: list[str], tail: list[str]) -> str:
    """The body before 关于 in the title, else the one in a dated header line, else a signature line at the end."""
    pats = _patterns()
    if m := pats["title_issuer"].match(title):
        return m.group(1)
    for line in header:
        if _DATE_LINE.match(line) and (m := pats["header_issuer"].search(line)):
            return m.group(1)
    return next((x for x in tail if pats["signature"].fullmatch(x)), "")


def _without_portal(header: list[str], pats: dict) -> list[str]:
    """The lines before the first unit without a portal's clutter (pure): image file names; and on a scraped page
    (a line dating it and naming its source) every paragraph but the last, the editor's blurb (structure.json
    "portal"). Header lines (dates, document numbers) stay for the document's fields."""
    kept = [x for x in header if not pats["image_line"].match(x)]
    if not any(pats["page_line"].match(x) for x in kept):
        return kept
    paras = [i for i, x in enumerate(kept) if not _is_header_line(x)]
    return [x for i, x in enumerate(kept) if i not in paras[:-1]]


def parse_document(text: str) -> ParsedDocument:
    """Parse a document's text (as :func:`assistant.ingest.formats.read_text` returns it).

    The title is the first markdown heading, else the first short line ending in a kind (方案, 条例…), else the
    first line; lines above it are dropped. Header fields (issuer, 〔2020〕7号-style number, date as
    ``YYYY-MM-DD``, the latest printed before the first unit or on a line of its own) are ``""`` when not found.
    A line starting with an end marker (``来源:``) after the first unit ends the body.
    """
    lines, marked = _normalise(text)
    if not lines:
        return ParsedDocument("", "", "", "", "", "paragraphs", ())
    start = _find_title(lines, marked)
    title, body = lines[start], lines[start + 1:]
    end_markers = _patterns()["end"]
    first = next((i for i, x in enumerate(body) if _is_numbered(x)), len(body))
    cut = next((i for i in range(first, len(body)) if body[i].startswith(end_markers)), len(body))
    body = _without_portal(body[:first], _patterns()) + body[first:cut]
    first = next((i for i, x in enumerate(body) if _is_numbered(x)), len(body))
    articles = sum(1 for x in body if _ARTICLE.match(x))
    outline = sum(1 for x in body if _outline_match(x))
    if articles >= 2:
        scheme, units = "articles", _parse_articles(body)
    elif outline >= 2:
        scheme, units = "outline", _parse_outline(body)
    else:
        scheme, units = "paragraphs", _parse_paragraphs(body)
    header = body[:first]
    numbers = [m.group(0).replace(" ", "") for x in header if (m := _DOC_NUMBER.fullmatch(x))]
    numbers += [m.group(0).replace(" ", "") for x in reversed(header) if _DATE_LINE.match(x)
                if (m := _ORDER_NUMBER.search(x))]  # the latest 国务院令第N号 of a regulation's header
    dates = [d for x in header + body[-3:] if _DATE_LINE.match(x) or _DATE.fullmatch(x) or _CN_DATE.fullmatch(x)
             if (d := _date_iso(x))]
    return ParsedDocument(title=title, kind=guess_kind(title), issuer=_issuer(title, header, body[-3:]),
                          number=numbers[0] if numbers else "", date=max(dates, default=""),
                          scheme=scheme, units=tuple(units))
