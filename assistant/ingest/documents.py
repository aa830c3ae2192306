"""A parsed document as the assistant's own types: ParsedDocument -> Document + Clause tuple (pure)."""
from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from ..types import Clause, Document
from .structure import ParsedDocument, Unit

# A title longer than this is cut (the full sentence stays in the text); long titles crowd every citation line.
TITLE_CHARS = 40
_UNSAFE = re.compile(r"[\s:/\\]+")  # ':' separates document and unit in a clause id
# A date in brackets at the end of a file's name (``口岸开放的若干规定(1985-09-18).md``), as collections of laws
# name their files: the document's date when its own header prints none.
_STEM_DATE = re.compile(r"[（(](\d{4})-(\d{2})-(\d{2})[)）]$")


def unit_kind(unit: Unit) -> str:
    """``article`` (第X条), ``annex`` (附件), ``preamble`` (text before the first unit), ``paragraph`` (no
    structure) or ``item`` (an outline entry, 一、/(一)/1.)."""
    if unit.id == "0":
        return "preamble"
    if re.match(r"a\d", unit.id):
        return "article"
    if unit.id.startswith("att"):
        return "annex"
    if re.match(r"p\d", unit.id):
        return "paragraph"
    return "item"


def short_title(unit: Unit) -> str:
    """The unit's title (第七条 for an article, the first sentence for an outline entry), at most TITLE_CHARS."""
    title = unit.title.strip()
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"


def file_date(source: str | PurePath) -> str:
    """The ISO date in brackets at the end of a file's stem, or "" (pure)."""
    m = _STEM_DATE.search(PurePath(source).stem) if source else None
    return "-".join(m.groups()) if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31 else ""


def document_id(source: str | PurePath, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable id from the file's stem (``专利法(2020-10-17)``); a stem already ``taken`` by another file gets a
    short hash of the path, so two ``README.md`` in different folders stay apart."""
    stem = _UNSAFE.sub("_", PurePath(source).stem).strip("_") or "document"
    if stem not in taken:
        return stem
    return f"{stem}-{hashlib.sha1(str(source).encode('utf-8')).hexdigest()[:8]}"


def to_document(parsed: ParsedDocument, doc_id: str, source: str = "", sha256: str = "") -> tuple[Document, tuple[Clause, ...]]:
    """The document record and its clauses.

    Clause ids are ``<doc_id>:<unit id>`` (``专利法(2020-10-17):a7`` for 第七条), unique within a corpus;
    the path is the heading path as printed (``第二章 执业注册 > 第七条``); bureaus are the printed
    responsibility listings (责任单位/牵头单位…), one group per listing.
    """
    clauses = tuple(
        Clause(id=f"{doc_id}:{u.id}", kind=unit_kind(u), path=u.path, title=short_title(u), text=u.text,
               bureaus=u.bureaus, bureau_groups=tuple(r.names for r in u.responsibilities), document=doc_id)
        for u in parsed.units if u.text.strip() or u.bureaus)
    document = Document(id=doc_id, title=parsed.title, issuer=parsed.issuer, number=parsed.number,
                        date=parsed.date or file_date(source),
                        kind=parsed.kind, source=str(source), sha256=sha256, clauses=len(clauses))
    return document, clauses
