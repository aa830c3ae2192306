"""Generative answers: a LangChain chat model writes the answer from the top clauses, the guard decides if it is shown.

``make_composer(settings, extractive)`` returns the extractive composer for ``--llm none`` and a
:class:`GenerativeComposer` for ``local`` / ``openai``. The generative composer

* never calls the model for a question the plan does not cover (the extractive refusal is returned), nor for
  questions answered by counting over the whole plan (which bureau leads how many tasks: the extractive
  answer is exact there, a model seeing three clauses is not);
* sends only the best clause and the runners-up within 85 % of its score (at most 3), each trimmed to the
  sentences that answer the question plus its bureaus, after a fixed system prompt with one worked example
  (llama.cpp reuses its KV cache across questions, so only the clauses and the question are computed);
* asks the model to open every sentence with the id it relies on (``[2.5.2] …``), and streams the answer
  phrase by phrase, releasing a phrase only once the text so far passes the grounding guard against the
  clauses cited so far, so nothing ungrounded is ever shown, and stops the model early when a violation
  cannot be cured by what follows;
* shows the extractive answer instead when the finished answer fails the guard (``meta["guard"]``), or when
  the model fails (``meta["llm_error"]``).
"""
from __future__ import annotations

import dataclasses
import logging
import re
import string
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import guard
from .compose import Composer, pick_sentences
from .index import Retrieval
from .retrieval import ENTRY_LISTS
from .settings import ROOT, Settings
from .text import detect_lang
from .types import Answer, Citation, Clause

log = logging.getLogger(__name__)

PROMPTS_DIR = ROOT / "prompts"
SLOTS = frozenset({"context", "question"})
_LABELS = {"zh": ("内容：", "责任单位：", "未列出"), "en": ("Text: ", "Responsible bureaus: ", "none listed")}


# ----------------------------------------------------------------------------- prompts

@dataclass(frozen=True)
class Prompts:
    """The system prompt (fixed, so its KV cache is reused) and the user template with ``{context}`` ``{question}``."""

    lang: str
    system: str
    user: str

    def render(self, context: str, question: str) -> str:
        return self.user.format_map({"context": context, "question": question})


def template_slots(template: str) -> set[str]:
    """The named slots of a ``str.format`` template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


@lru_cache(maxsize=8)
def load_prompts(lang: str, directory: Path = PROMPTS_DIR) -> Prompts:
    """``prompts/system_<lang>.txt`` and ``prompts/user_<lang>.txt`` (``zh`` for anything but ``en``).

    Raises:
        ValueError: the user template's slots are not exactly {context} and {question}, or the system prompt
            has slots (it must stay fixed for the KV cache).
        FileNotFoundError: a template is missing.
    """
    lang = "en" if lang == "en" else "zh"
    directory = Path(directory)
    system = (directory / f"system_{lang}.txt").read_text(encoding="utf-8").strip()
    user = (directory / f"user_{lang}.txt").read_text(encoding="utf-8").strip()
    if slots := template_slots(system):
        raise ValueError(f"{directory / f'system_{lang}.txt'} must be fixed text, but has slots {sorted(slots)}")
    if (slots := template_slots(user)) != SLOTS:
        raise ValueError(f"{directory / f'user_{lang}.txt'} must use exactly the slots {{context}} and {{question}}, "
                         f"not {sorted(slots)}")
    return Prompts(lang, system, user)


def context_clauses(retrieval: Retrieval, cited: Sequence[Clause], max_clauses: int = 3,
                    min_clauses: int = 1) -> list[Clause]:
    """The clauses the model sees: those the extractive answer cites (the best hit and runners-up within 85 %
    of its score, at most ``max_clauses``), topped up to ``min_clauses`` from the hits.

    On the question set the runners-up below that ratio are almost never relevant, and a small model given
    an unrelated clause tends to describe it too; every prompt token also costs ~15 ms before the answer.
    """
    out = list(cited)[:max_clauses]
    for h in retrieval.hits:
        if len(out) >= min(min_clauses, max_clauses):
            break
        if h.clause not in out:
            out.append(h.clause)
    return out


def clause_block(clause: Clause, retrieval: Retrieval, lang: str, sentences: int = 2) -> str:
    """One clause for the prompt: ``[id] title``, the sentences that answer the question, its bureaus."""
    text_label, bureau_label, none = _LABELS["en" if lang == "en" else "zh"]
    picked = "".join(pick_sentences(clause, retrieval, limit=sentences))
    lines = [f"[{clause.id}] {clause.title}"]
    if picked and picked.rstrip("。") != clause.title:
        lines.append(text_label + picked)
    lines.append(bureau_label + ("、".join(clause.bureaus) if clause.bureaus else none))
    return "\n".join(lines)


def build_messages(question: str, retrieval: Retrieval, context: Sequence[Clause], lang: str,
                   prompts_dir: Path = PROMPTS_DIR) -> list[tuple[str, str]]:
    """(role, content) messages: the fixed system prompt, then the clauses and the question.

    The best clause keeps its two most relevant sentences, the others one (for "who" questions one each):
    every prompt token costs ~15 ms on two cores before the first answer token.
    """
    prompts = load_prompts(lang, prompts_dir)
    first = 1 if retrieval.query.intent == "who" else 2
    blocks = [clause_block(c, retrieval, lang, first if k == 0 else 1) for k, c in enumerate(context)]
    return [("system", prompts.system), ("human", prompts.render("\n\n".join(blocks), question))]


# ----------------------------------------------------------------------------- streaming with the guard

# Where a piece may end: after punctuation or a space, but not inside a number (10,000 / 1.5) or a citation.
_BOUNDARY = re.compile(r"[。！？!?；;\n，、：:）)]|[,.](?!\d)|\s")
_TRAILING_CITES = re.compile(r"\s*(?:[\[【][^\[\]【】\n]{0,80}[\]】]\s*)*")


def release_point(text: str, start: int) -> int:
    """The end of the last complete phrase after ``start`` (with the citations right after it), or ``start``.

    A phrase counts as complete only once some text follows it, so that a number, a bureau name or a
    citation written right after the punctuation is never cut in two.
    """
    best = start
    for m in _BOUNDARY.finditer(text, start):
        end = _TRAILING_CITES.match(text, m.end()).end()
        rest = text[end:]
        if not rest or rest[0] in "[【" or _open_bracket(text, end):
            break  # nothing after it yet, or a citation still being written
        best = end
    return best


def _open_bracket(text: str, end: int) -> bool:
    head = text[:end]
    return max(head.rfind("["), head.rfind("【")) > max(head.rfind("]"), head.rfind("】"))


def _cited_clauses(text: str, by_id: dict[str, Clause], rank: dict[str, int]) -> list[Clause]:
    ids = [i for i in guard.cited_ids(text) if i in by_id]
    return sorted((by_id[i] for i in ids), key=lambda c: rank.get(c.id, len(rank)))


def _language_violation(text: str, lang: str) -> list[str]:
    if text and detect_lang(guard.strip_citations(text)) != lang:
        return ["the answer is not in English" if lang == "en" else "the answer is not in Chinese"]
    return []


def _skipped_meta(reason: str) -> dict:
    # No "guard"/"raw_violations": the harness counts answers with those keys as generated ones.
    return {"llm": reason, "ttft_ms": None, "tokens": 0, "tokens_per_s": None, "llm_ms": 0.0}


class ModelBusy(RuntimeError):
    """The model's queue is full (or a request waited its limit): try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ModelQueue:
    """One model generates one answer at a time; at most ``size`` more requests wait, each at most ``wait`` s.

    Only requests that reach the model queue here: refusals, instructions, counts and compound questions are
    answered extractively and never wait behind a generation.
    """

    def __init__(self, size: int = 4, wait: float = 60.0):
        self.size, self.wait = size, wait
        self._lock = threading.Lock()
        self._guard = threading.Lock()
        self.waiting = 0

    def __enter__(self):
        with self._guard:
            if self.waiting >= self.size and self._lock.locked():
                raise ModelBusy(f"the model is busy: {self.waiting} questions are waiting (the limit is "
                                f"{self.size})", retry_after=max(1, int(self.wait // 4)))
            self.waiting += 1
        try:
            if not self._lock.acquire(timeout=self.wait):
                raise ModelBusy(f"the model is busy: no turn within {self.wait:.0f} s",
                                retry_after=max(1, int(self.wait // 4)))
        finally:
            with self._guard:
                self.waiting -= 1
        return self

    def __exit__(self, *exc):
        self._lock.release()
        return False


class GenerativeComposer(Composer):
    """A LangChain chat model behind the grounding guard.

    Args:
        chat_model: any LangChain chat model (``.stream(messages)`` of chunks with ``.content``).
        extractive: the grounded extractive composer, used for refusals, aggregates and as the fallback.
        name: the answer mode on success (``local``, ``openai``).
        max_clauses: how many clauses the model sees at most.
        prompts_dir: where the prompt templates are.
        max_seconds: a model still generating after this long is stopped and the extractive answer shown
            (two shared cores can slow generation tenfold).
        queue: where requests for the model wait their turn (:class:`ModelQueue`; 4 waiting, 60 s each).
    """

    def __init__(self, chat_model: Any, extractive: Composer, name: str = "local", *, max_clauses: int = 3,
                 prompts_dir: Path = PROMPTS_DIR, max_seconds: float = 60.0, queue: ModelQueue | None = None):
        self.chat_model = chat_model
        self.extractive = extractive
        self.name = name
        self.max_clauses = max_clauses
        self.prompts_dir = Path(prompts_dir)
        self.max_seconds = max_seconds
        self.queue = queue or ModelQueue()

    streams = True

    def __call__(self, question: str, retrieval: Retrieval, clauses: Sequence[Clause]) -> Answer:
        answer = None
        for item in self.stream(question, retrieval, clauses):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def warm_up(self) -> float:
        """Compute the system prompts once (both languages), so the first question reuses their KV cache.

        Worth calling in a background thread when a server starts with the local model; returns seconds.
        """
        t0 = time.perf_counter()
        for lang in ("zh", "en"):
            prompts = load_prompts(lang, self.prompts_dir)
            try:
                self.chat_model.invoke([("system", prompts.system), ("human", prompts.render("", "?"))],
                                       max_tokens=1)
            except Exception as e:  # noqa: BLE001 - warming is best effort
                log.warning("warming up the %s model failed: %s", self.name, e)
                break
        return time.perf_counter() - t0

    @staticmethod
    def skip_reason(retrieval: Retrieval) -> str:
        """Why the model will not be asked ('' when it will): ``refused`` (not in the plan) or ``aggregate``
        (counting over the whole plan, which the extractive answer does exactly). A UI can use it to decide
        whether an LLM answer will stream in under the extractive one."""
        q = retrieval.query
        if not retrieval.covered:
            return "refused"
        if q.intent in ENTRY_LISTS or (q.intent == "aggregate" and q.bureaus):
            return "aggregate"
        return ""

    def stream(self, question: str, retrieval: Retrieval, clauses: Sequence[Clause]) -> Iterator[str | Answer]:
        """Text deltas as they pass the guard, then the final Answer (the extractive one if the guard fails).

        Yields:
            ``str`` pieces (whole phrases, each already checked) and, last, the :class:`Answer`. When the
            final answer is the extractive fallback (``mode == "extractive"``) the pieces already yielded are
            grounded but incomplete: show ``Answer.text`` instead of them.

        Raises:
            ModelBusy: the model's queue is full, or the turn did not come within the queue's wait.
        """
        base = self.extractive(question, retrieval, clauses)
        skip = "refused" if base.refused else self.skip_reason(retrieval)
        if skip:
            yield base.text
            yield dataclasses.replace(base, meta={**base.meta, **_skipped_meta(f"skipped: {skip}")})
            return
        # Only what reaches the model waits for it; the generator's close() (client gone) frees the turn.
        with self.queue:
            yield from self._generate(question, retrieval, clauses, base)

    def _generate(self, question: str, retrieval: Retrieval, clauses: Sequence[Clause],
                  base: Answer) -> Iterator[str | Answer]:
        q = retrieval.query
        by_id = {c.id: c for c in clauses}
        all_ids = list(by_id)
        rank = {h.clause.id: k for k, h in enumerate(retrieval.hits)}
        context = context_clauses(retrieval, self.extractive.cited(retrieval) if hasattr(self.extractive, "cited")
                                  else [h.clause for h in retrieval.hits[:1]], self.max_clauses)
        messages = build_messages(q.text, retrieval, context, q.lang, self.prompts_dir)

        t0 = time.perf_counter()
        t_first = t_last = None
        first_chunk_ms = None
        parts: list[str] = []
        released = 0
        chunks = 0
        usage: dict = {}
        timings: dict = {}
        error = ""
        held: tuple[list[str], set[str]] = ([], set())  # violations held back, and the ids cited then
        aborted: list[str] = []
        it = iter(self.chat_model.stream(messages))
        try:
            for chunk in it:
                meta = getattr(chunk, "response_metadata", None) or {}
                timings = meta.get("timings") or timings
                usage = getattr(chunk, "usage_metadata", None) or usage
                text = chunk.content if isinstance(chunk.content, str) else ""
                if not text:
                    continue
                t_last = time.perf_counter()
                if t_first is None:
                    t_first = t_last
                if t_last - t0 > self.max_seconds:
                    raise TimeoutError(f"no complete answer after {self.max_seconds:.0f} s")
                chunks += 1
                parts.append(text)
                full = "".join(parts)
                cut = release_point(full, released)
                if cut <= released:
                    continue
                candidate = full[:cut]
                violations = guard.check(candidate, _cited_clauses(candidate, by_id, rank), all_ids)
                if not violations:
                    held = ([], set())
                    piece = full[released:cut]
                    released = cut
                    if first_chunk_ms is None:
                        first_chunk_ms = (time.perf_counter() - t0) * 1e3
                    yield piece
                    continue
                # Held back. Stop generating when it cannot be fixed by what follows: an id that does not
                # exist, or a violation that a newly cited clause did not cure.
                now_cited = set(guard.cited_ids(candidate))
                hard = [v for v in violations if v.startswith("unknown clause id")]
                persisting = [v for v in violations if v in held[0] and v != "the answer cites no clause"
                              and now_cited > held[1]]
                if hard or persisting:
                    aborted = violations
                    break
                if not held[0]:
                    held = (violations, now_cited)
        except Exception as e:  # noqa: BLE001 - any model failure falls back to the extractive answer
            error = f"{type(e).__name__}: {e}"
        finally:
            close = getattr(it, "close", None)
            if close:
                close()
        t_end = time.perf_counter()

        raw = "".join(parts).strip()
        tokens = int(usage.get("output_tokens") or 0) or chunks
        gen_s = (t_last - t_first) if (t_first is not None and t_last is not None) else 0.0
        meta = {
            "llm": self.name,
            "ttft_ms": round((t_first - t0) * 1e3, 1) if t_first is not None else None,
            "first_chunk_ms": round(first_chunk_ms, 1) if first_chunk_ms is not None else None,
            "tokens": tokens,
            "tokens_per_s": round((chunks - 1) / gen_s, 2) if chunks > 1 and gen_s > 0 else None,
            "llm_ms": round((t_end - t0) * 1e3, 1),
            "prompt_tokens": int(usage.get("input_tokens") or 0) or None,
            "cached_tokens": timings.get("cache_n"),
            "context_ids": [c.id for c in context],
            "llm_text": raw,
        }
        if error:
            log.warning("the %s model failed on %r; showing the extractive answer: %s", self.name, question, error)
            yield dataclasses.replace(base, meta={**base.meta, **meta, "guard": [], "raw_violations": [],
                                                  "llm_error": error})
            return

        cited = _cited_clauses(raw, by_id, rank)
        violations = aborted or guard.check(raw, cited, all_ids) + _language_violation(raw, q.lang)
        if violations:
            if aborted:
                violations = [*violations, "generation stopped early"]
            log.warning("grounding guard: the %s answer to %r was not shown (%s); raw answer: %r",
                        self.name, question, "; ".join(violations), raw)
            yield dataclasses.replace(base, meta={**base.meta, **meta, "guard": violations,
                                                  "raw_violations": list(violations)})
            return
        if released < len(raw):
            yield raw[released:]  # the final piece: checked as part of the whole answer just above
        citations = tuple(Citation.of(c, "".join(pick_sentences(c, retrieval))) for c in cited)
        yield Answer(question, raw, citations, False, q.lang, q.text, mode=self.name,
                     meta={**meta, "guard": [], "raw_violations": []})


# ----------------------------------------------------------------------------- factory

def make_composer(settings: Settings, extractive: Composer) -> Composer:
    """The composer for ``settings.llm``: ``none`` → ``extractive``; ``local`` / ``openai`` → generative.

    Raises:
        ModelUnavailable: the chosen model cannot be loaded (missing package, key, model name...).
        ValueError: an unknown ``settings.llm``.
    """
    from .llm import load_local_chat_model, load_openai_chat_model

    choice = (settings.llm or "none").strip().lower()
    if choice in ("none", "extractive", ""):
        return extractive
    top = max(2, min(3, settings.top_k))
    if choice == "local":
        return GenerativeComposer(load_local_chat_model(settings), extractive, "local", max_clauses=top)
    if choice == "openai":
        return GenerativeComposer(load_openai_chat_model(settings), extractive, "openai", max_clauses=top)
    raise ValueError(f"unknown LLM {settings.llm!r}: choose none, local or openai")
