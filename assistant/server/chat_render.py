"""What the chat shows, as pure functions of a turn's record and the interface language: the masthead, answers
with linked citation markers, the citations panel, the model's answer while it writes, input errors worded."""
from __future__ import annotations

import html
import re
import unicodedata

from ..pipeline import InputError
from .chat_page import STRINGS, UI

def friendly(error: InputError, lang: str) -> str:
    """The chat's wording of an ``InputError``, by its code (the message itself is English, for API callers).

    Args:
        error: what the assistant refused.
        lang: the interface language, ``zh`` or ``en``.

    Returns:
        A short message for the user, in the interface language.
    """
    wording = UI["input_errors"][lang]
    return wording.get(error.code, wording["other"]).format(**error.params, message=str(error))


def masthead(lang: str, texts: dict = STRINGS) -> str:
    """The page's title and subtitle in ``lang`` (HTML).

    Args:
        lang: ``zh`` or ``en``.
        texts: the strings per language (``chat_page.chat_strings``).

    Returns:
        The masthead's HTML.
    """
    s = texts[lang]
    return f'<div id="masthead"><h1>{s["title"]}</h1><p>{s["subtitle"]}</p></div>'


def render_citations(turn: dict | None, lang: str, gloss=None, texts: dict = STRINGS) -> str:
    """The citations panel for one answered turn (escaped HTML): an ``h2``, then a card per clause (``h3``
    title, ``id="cite-<clause id>"`` so that an answer's citation markers link to it; the document's title
    above the path when the record names one).

    Args:
        turn: a turn's record (``refused`` and ``citations`` are read), or None before any answer.
        lang: the interface language.
        gloss: optional ``bureau -> English name`` function for the English interface.
        texts: the strings per language (``chat_page.chat_strings``).

    Returns:
        HTML for the panel.
    """
    s = texts[lang]
    head = f'<h2 class="col-head">{s["cites"]}</h2>'
    if turn is None:
        return f'<div class="cites">{head}<p class="hint">{s["cites_empty"]}</p></div>'
    if turn["refused"] or not turn["citations"]:
        return f'<div class="cites">{head}<p class="hint">{s["cites_refused"]}</p></div>'
    cards = []
    for c in turn["citations"]:
        e = html.escape
        path = " › ".join(e(p) for p in c["path"].split(" > "))
        if c["bureaus"]:
            chips = "".join(
                f'<span class="chip" title="{e(gloss(b)) if gloss else e(b)}">{e(b)}'
                + (f"<small>{e(_english(gloss(b), b))}</small>" if gloss and lang == "en" else "")
                + "</span>" for b in c["bureaus"])
        else:
            chips = f'<span class="hint">{s["no_bureaus"]}</span>'
        # a law names who does what in its sentences: its cards leave out an empty 责任单位 row
        row = "" if not c["bureaus"] and c.get("document") else \
            f'<div class="chips" aria-label="{s["bureaus"]}"><span class="chips-label">{s["bureaus"]}</span>{chips}</div>'
        cards.append(
            f'<article class="cite" id="cite-{e(c["id"])}" tabindex="-1" data-clause="{e(c["id"])}">'
            + (f'<div class="cite-doc">《{e(c["document"])}》</div>' if c.get("document") else "")
            + f'<div class="cite-path">{path}</div>'
            f'<h3 class="cite-title">{e(c["title"])}<span class="cite-id">#{e(c["id"])}</span></h3>'
            f'{row}<blockquote aria-label="{s["quote"]}">{e(c["quote"])}</blockquote></article>')
    return f'<div class="cites" id="cites">{head}{"".join(cards)}</div>'


def _english(gloss: str, bureau: str) -> str:
    # The lexicon's gloss reads "市法院 (Wuhan Intermediate People's Court)": keep the English part only.
    m = re.search(r"\((.+)\)\s*$", gloss)
    return m.group(1) if m and gloss.startswith(bureau) else ""


# A model's citation, as the guard reads it: [2.5.2], 【2.5.2】, [2.5.2, 2.5.3], [条款 2.5.2].
_CITATION = re.compile(r"[\[【]([^\[\]【】\n]{0,80})[\]】]")
_CLAUSE_ID = re.compile(r"\d+(?:\.\d+)*")


def render_answer(text: str, ids) -> str:
    """An answer as chat Markdown: each citation marker of a clause in ``ids`` becomes a link to its card.

    Args:
        text: the answer's text.
        ids: the clause ids that may be linked (those whose cards the panel shows or will show).

    Returns:
        The Markdown.
    """
    def link(m: re.Match) -> str:
        found = _CLAUSE_ID.findall(unicodedata.normalize("NFKC", m.group(1)))
        if not found or not all(i in ids for i in found):
            return m.group(0)
        return "".join(f"[\\[{i}\\]](#cite-{i})" for i in found)

    return _CITATION.sub(link, text)


def writing(draft: str, pieces: str, lang: str, ids) -> str:
    """The answer while the model writes: the extractive answer, then the model's text so far under one
    indicator (a piece that is only a citation marker waits for its sentence)."""
    so_far = pieces if _CITATION.sub("", pieces).strip() else ""
    return (f'{render_answer(draft, ids)}\n\n---\n\n<span class="writing" role="status">'
            f'{STRINGS[lang]["writing"]}</span>\n\n{render_answer(so_far, ids)}').rstrip()


def conversation(turns: list[dict]) -> list[dict]:
    """The chat's messages for the answered turns: one question and one answer each."""
    out = []
    for t in turns:
        out += [{"role": "user", "content": t["question"]},
                {"role": "assistant", "content": render_answer(t["answer"], {c["id"] for c in t["citations"]})}]
    return out


def chat_head(lang: str) -> str:
    """The conversation's heading (``h2``, like the panel's)."""
    return f'<h2 class="col-head">{STRINGS[lang]["chat"]}</h2>'


def to_cites(lang: str) -> str:
    """The phone's link from the chat down to the citations panel (hidden where the panel sits beside)."""
    return f'<a href="#cites-panel">{STRINGS[lang]["to_cites"]}</a>'


def disclaimer(lang: str, texts: dict = STRINGS) -> str:
    return f'<p id="disclaimer">{texts[lang]["disclaimer"]}</p>'
