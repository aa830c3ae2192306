"""Read a policy file into plain text, one paragraph a line, via well-kept libraries.

``.txt``/``.md`` (UTF-8, GB18030 fallback; YAML front matter and HTML comments removed), ``.html``/``.htm``
(BeautifulSoup + lxml), ``.docx`` (python-docx), ``.pdf`` (pypdf's text layer). Anything unreadable raises
:class:`IngestError` naming the file and the reason.
"""
from __future__ import annotations

import re
from pathlib import Path

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.S)
INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff"))  # deleted; pypdf puts NULs in CJK
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DROP_TAGS = ("script", "style", "nav", "noscript", "template", "head")
_BLOCK_TAGS = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "th", "section",
               "article", "blockquote", "pre", "dd", "dt", "table", "ul", "ol", "header", "footer")


class IngestError(ValueError):
    """A file that cannot be read into text; ``str()`` is one line naming the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{self.path}: {reason}")


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(path, "not decodable as UTF-8 or GB18030")


def _clean_lines(text: str) -> str:
    lines = (" ".join(line.translate(INVISIBLE).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _read_text(path: Path) -> str:
    text = _decode(path, path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    return _COMMENT.sub("", _FRONT_MATTER.sub("", text, count=1))


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(path, path.read_bytes()), "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return soup.get_text()


def _read_docx(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for a broken package
        raise IngestError(path, f"not a readable .docx ({type(exc).__name__})") from None
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                lines.append(" ".join(c for c in cells if c))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError) as exc:
        raise IngestError(path, f"not a readable .pdf ({type(exc).__name__})") from None
    if not _clean_lines("\n".join(pages)):
        raise IngestError(path, "the PDF has no text layer (a scan?); run OCR first")
    return "\n".join(pages)


READERS = {".txt": _read_text, ".md": _read_text, ".markdown": _read_text, ".html": _read_html,
           ".htm": _read_html, ".docx": _read_docx, ".pdf": _read_pdf}


def read_text(path: str | Path) -> str:
    """The file's text, one paragraph a line, blank lines and repeated spaces removed.

    Raises:
        IngestError: unknown extension, missing file, not decodable, no text layer, or empty.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(path, f"unknown extension {path.suffix or '(none)'!r}; "
                                f"known: {' '.join(sorted(READERS))}")
    if not path.is_file():
        raise IngestError(path, "no such file")
    text = _clean_lines(reader(path))
    if not text:
        raise IngestError(path, "empty: no text after reading")
    return text
