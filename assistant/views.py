"""English views of each clause (title, summary, investor questions, sentence translations), written once by an LLM and checked."""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .settings import ROOT
from .types import Clause

VIEWS_FILE = "views_en.json"
FORMAT = 2  # 2: adds the sentence translations
PROMPTS = ROOT / "prompts"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LINE = re.compile(r"^\s*(TITLE|SUMMARY|QUESTIONS)\s*[:：]\s*(.*)$", re.I)


@dataclass(frozen=True)
class EnglishView:
    """What a clause says, in English, for matching English questions (never shown as the plan's words).

    Attributes:
        clause: the clause id.
        text_sha256: hash of the clause text it was written from (a changed clause is written again).
        title, summary: English; '' when the model's version failed the checks.
        questions: questions an investor would ask that the clause answers.
        sentences: each sentence of the clause translated on its own, in the clause's order (for matching only;
            a translation with a figure or body not in the clause loses it, one that fails the checks is '').
        dropped: why a field was dropped (Chinese left in it, a figure or body not in the clause).
    """

    clause: str
    text_sha256: str
    title: str = ""
    summary: str = ""
    questions: tuple[str, ...] = ()
    dropped: tuple[str, ...] = field(default=())
    sentences: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        return [t for t in (self.title, self.summary, *self.questions, *self.sentences) if t]


def text_hash(clause: Clause) -> str:
    return hashlib.sha256(f"{clause.title}\n{clause.text}".encode("utf-8")).hexdigest()[:16]


def parse_reply(reply: str) -> dict[str, str]:
    """The TITLE/SUMMARY/QUESTIONS lines of a model reply (a field may continue on the next lines)."""
    out: dict[str, str] = {}
    key = None
    for line in reply.splitlines():
        m = _LINE.match(line)
        if m:
            key = m.group(1).upper()
            out[key] = m.group(2).strip()
        elif key and line.strip():
            out[key] = f"{out[key]} {line.strip()}".strip()
    return out


def check_view(clause: Clause, fields: dict[str, str], grounding: Callable[[str, Clause], list[str]]) -> EnglishView:
    """Keep each field only if it is English and every figure and body in it occurs in the clause.

    Args:
        clause: the clause the view was written from.
        fields: TITLE, SUMMARY, QUESTIONS as the model wrote them.
        grounding: the guard's check of one text against one clause (violations; empty when grounded).
    """
    dropped: list[str] = []

    def keep(name: str, text: str) -> str:
        text = text.strip().strip('"').strip()
        if not text:
            dropped.append(f"{name}: missing")
            return ""
        if _CJK.search(text):
            dropped.append(f"{name}: Chinese left in it")
            return ""
        violations = grounding(text, clause)
        if violations:
            dropped.append(f"{name}: {violations[0]}")
            return ""
        return text

    title = keep("title", fields.get("TITLE", ""))
    # The summary is kept sentence by sentence: a small model often leaves a Chinese name in one of them.
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", fields.get("SUMMARY", "").strip()) if x]
    summary = " ".join(x for x in (keep("summary sentence", x) for x in sentences) if x)
    if not sentences:
        dropped.append("summary: missing")
    raw = [q.strip(" -•0123456789.)") for q in re.split(r"\s*\|\s*", fields.get("QUESTIONS", "")) if q.strip(" |")]
    questions = tuple(q for q in (keep("question", q) for q in raw[:5]) if q)
    if not raw:
        dropped.append("questions: missing")
    return EnglishView(clause.id, text_hash(clause), title, summary, questions, tuple(dropped))


def check_sentence(text: str, clause: Clause, grounding: Callable[[str, Clause], list[str]]) -> tuple[str, str]:
    """(the translation kept for matching, or '', and why it was dropped).

    Chinese words a small model leaves untranslated are cut out rather than dropping the sentence: the rest
    still matches English questions, and these texts are never shown.
    """
    text = " ".join(_CJK.sub(" ", text.strip().strip('"')).split())
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 3:
        return "", "sentence: no English translation"
    cut = []
    for _ in range(MAX_CUTS):
        violations = grounding(text, clause)
        if not violations:
            break
        # a figure the model got wrong (5000亿 as "5000 billion") or a body it made up is cut out, like Chinese
        # left in: the words around it still match English questions
        shorter = _cut(text, violations[0])
        if shorter == text:
            return "", f"sentence: {violations[0]}"
        cut.append(violations[0])
        text = shorter
    else:
        return "", f"sentence: {violations[0]}"
    if len(re.findall(r"[A-Za-z]{3,}", text)) < 3:
        return "", "sentence: no English translation"
    return text, "; ".join(f"sentence: cut {v}" for v in cut)


MAX_CUTS = 5  # spans cut from one translation before it is dropped


def _lost(reason: str) -> bool:
    """A sentence translation was dropped (not merely cut short)."""
    return reason.startswith("sentence:") and not reason.startswith("sentence: cut")


def _cut(text: str, violation: str) -> str:
    """``text`` without the span a guard violation names ('5000 billion', number 200000, organisation 'X')."""
    quoted = re.search(r"'([^']+)'", violation)
    if quoted:
        span = re.escape(quoted.group(1))
    elif (number := re.match(r"number (\d+)", violation)):
        span = ",?".join(number.group(1))  # 200000 is written 200,000
    elif (name := re.match(r"organisation (.+?) does not occur", violation)):
        span = re.escape(name.group(1))
    else:
        return text
    return " ".join(re.sub(rf"(?:RMB|¥)?\s*{span}(?:\s*(?:yuan|RMB))?", " ", text).split())


def sentence_messages(sentence: str, prompts_dir: Path = PROMPTS) -> list[tuple[str, str]]:
    system = (prompts_dir / "views_en_sentence.txt").read_text(encoding="utf-8").strip()
    return [("system", system), ("human", sentence)]


def guard_grounding(text: str, clause: Clause) -> list[str]:
    from .guard import check

    return check(text, [clause], [clause.id], require_citation=False)


def messages_for(clause: Clause, prompts_dir: Path = PROMPTS) -> list[tuple[str, str]]:
    """System prompt, one worked example (an invented clause), then the clause."""
    system = (prompts_dir / "views_en_system.txt").read_text(encoding="utf-8").strip()
    user = (prompts_dir / "views_en_user.txt").read_text(encoding="utf-8").strip()
    example_in, example_out = (prompts_dir / "views_en_example.txt").read_text(encoding="utf-8").split("\n---\n")
    return [("system", system), ("human", example_in.strip()), ("ai", example_out.strip()),
            ("human", user.format(title=clause.title, text=clause.text))]


def load_views(directory: Path) -> dict[str, EnglishView]:
    """The stored views by clause id ({} when there are none or the file is unreadable)."""
    try:
        raw = json.loads((Path(directory) / VIEWS_FILE).read_text(encoding="utf-8"))
        return {cid: EnglishView(**{**v, "questions": tuple(v.get("questions", ())),
                                    "dropped": tuple(v.get("dropped", ())),
                                    "sentences": tuple(v.get("sentences", ()))})
                for cid, v in raw["views"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def load_headings(directory: Path) -> dict[str, str]:
    """The stored English names of the document's headings (heading as printed → English; {} when none)."""
    try:
        raw = json.loads((Path(directory) / VIEWS_FILE).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in raw.get("headings", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def views_hash(directory: Path) -> str:
    try:
        return hashlib.sha256((Path(directory) / VIEWS_FILE).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def current_views(clauses: Sequence[Clause], directory: Path) -> dict[str, EnglishView]:
    """Stored views whose clause text has not changed since they were written."""
    stored = load_views(directory)
    return {c.id: stored[c.id] for c in clauses if c.id in stored and stored[c.id].text_sha256 == text_hash(c)}


def _save(directory: Path, views: dict[str, EnglishView], model: str, headings: dict[str, str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "model": model, "headings": headings,
            "views": {cid: {**asdict(v), "questions": list(v.questions), "dropped": list(v.dropped),
                           "sentences": list(v.sentences)}
                      for cid, v in views.items()}}
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".views-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, directory / VIEWS_FILE)  # a run stopped half-way keeps every view written so far


def write_views(clauses: Sequence[Clause], directory: Path, chat_model: Any, model_name: str, *,
                headings: Sequence[str] = (), force: bool = False, retry_dropped: bool = False, progress: bool = True,
                log: Callable[[str], None] | None = None) -> dict:
    """Write the English view of every clause that lacks a current one, and the English name of every heading
    (resumable; saved after each clause).

    Args:
        clauses: the clauses to describe.
        headings: the headings above the entries, as printed (English questions name a section by them).
        directory: the index directory (``views_en.json`` is kept there).
        chat_model: a LangChain chat model (``.invoke(messages)``): the bundled LLM or an OpenAI-compatible one.
        model_name: recorded with the views.
        force: write every view again.
        retry_dropped: translate again the sentences of every clause that had one dropped.
        progress: show a progress bar.
        log: where to report dropped fields.

    Returns:
        Figures for the benchmark: views written, fields dropped, seconds, tokens if the model reports them.
    """
    from tqdm import tqdm

    from .text import split_sentences

    log = log or (lambda m: print(m, file=sys.stderr))
    directory = Path(directory)
    views = {} if force else current_views(clauses, directory)
    if retry_dropped:  # translate the sentences of a clause that lost one again (the checks may now keep it)
        views = {k: replace(v, sentences=(), dropped=tuple(d for d in v.dropped if not d.startswith("sentence:")))
                 if any(_lost(d) for d in v.dropped) else v for k, v in views.items()}
    # A view written before sentence translations existed (format 1) gets only those added.
    todo = [c for c in clauses if c.id not in views or not views[c.id].sentences]
    t0 = time.perf_counter()
    dropped = 0
    tokens = 0

    def ask(messages) -> str:
        nonlocal tokens
        reply = chat_model.invoke(messages)
        usage = getattr(reply, "usage_metadata", None) or {}
        tokens += int(usage.get("total_tokens", 0) or 0)
        return str(reply.content)

    names = {} if force else {h: e for h, e in load_headings(directory).items() if h in headings}
    for h in [h for h in headings if h not in names]:
        english = " ".join(_CJK.sub(" ", ask(sentence_messages(h)).strip().strip('"')).split())
        if re.search(r"[A-Za-z]{3,}", english):
            names[h] = english
    if names:
        _save(directory, {k: views[k] for k in [x.id for x in clauses] if k in views}, model_name, names)
    for c in tqdm(todo, desc="English views", unit="clause", disable=not progress, file=sys.stderr):
        view = views.get(c.id) or check_view(c, parse_reply(ask(messages_for(c))), guard_grounding)
        new = list(view.dropped) if c.id not in views else []
        kept = []
        for sentence in split_sentences(c.text):
            text, reason = check_sentence(ask(sentence_messages(sentence)), c, guard_grounding)
            kept.append(text)  # '' keeps the slot: translation i stays the translation of sentence i
            if reason:
                new.append(reason)
        view = replace(view, sentences=tuple(kept), dropped=tuple(dict.fromkeys((*view.dropped, *new))))
        if new:
            dropped += sum(map(_lost, new))
            log(f"{c.id}: {'; '.join(new)}")
        views[c.id] = view
        _save(directory, {k: views[k] for k in [x.id for x in clauses] if k in views}, model_name, names)
    return {"written": len(todo), "kept": len(views), "fields_dropped": dropped,
            "seconds": round(time.perf_counter() - t0, 1), "tokens": tokens}
