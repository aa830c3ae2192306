"""The public entry point: check the question, resolve the conversation, retrieve, compose."""
from __future__ import annotations

import dataclasses
import time
import unicodedata
from typing import Sequence

from .compose import Composer, ExtractiveComposer
from .conversation import resolve_conversation
from .index import ClauseIndex, Retrieval, load_or_build
from .retrieval import Weights, weights_for
from .settings import MAX_TURNS, Settings
from .text import content_tokens
from .types import Answer


class InputError(ValueError):
    """A question the assistant will not take; the message says why, in one line."""


def check_question(question, max_chars: int, what: str = "the question") -> str:
    """Validate one question; return it stripped.

    Raises:
        InputError: one rule per message.
    """
    if not isinstance(question, str):
        raise InputError(f"{what} must be text, not {type(question).__name__}")
    if not question.strip():
        raise InputError(f"{what} is empty")
    if len(question) > max_chars:
        raise InputError(f"{what} is {len(question)} characters long; the limit is {max_chars}")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in question):
        raise InputError(f"{what} contains control characters")
    return question.strip()


class Assistant:
    """Answers questions about the plan, citing the exact clauses.

    Args:
        settings: paths, embedder and limits.
        index: an already-built index (else it is loaded or built from the settings).
        composer: the answer stage; by default the one ``settings.llm`` names (extractive for ``none``).
        weights: retrieval fusion weights and the in-scope threshold.
    """

    def __init__(self, settings: Settings | None = None, *, index: ClauseIndex | None = None,
                 composer: Composer | None = None, weights: Weights | None = None, progress: bool = True):
        self.settings = settings or Settings()
        self.index = index or load_or_build(self.settings, progress=progress)
        self.weights = weights or weights_for(self.index.embedder.id, self.settings.refusal_threshold)
        self.extractive = ExtractiveComposer(self.index.lexicon, self.settings.top_k, self.settings.related_ratio)
        if composer is None and self.settings.llm not in ("", "none"):
            from .generate import make_composer  # LangChain and the LLM load only when asked for

            composer = make_composer(self.settings, self.extractive)
        self.composer = composer or self.extractive

    def standalone(self, question: str, history: Sequence[str] = ()) -> str:
        """The question made standalone against the earlier user turns."""
        turns = [*history, question]
        return resolve_conversation(turns, self.index.bureaus, self.index.lexicon.bureau_aliases,
                                    self._topic_words)[-1]

    def _topic_words(self, turn: str) -> int:
        tokens = content_tokens(self.index.tokenize(turn))
        return len([t for t in tokens if not t.isascii() or len(t) > 3])

    def retrieve(self, question: str, history: Sequence[str] = ()) -> Retrieval:
        """Resolve and retrieve without composing (used by the generative composers and the evaluation)."""
        query = self.index.analyze(self.standalone(question, history), turn=question)
        return self.index.search(query, self.weights)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        """Answer one turn of a conversation.

        Args:
            question: the user's turn (at most ``settings.max_question_chars`` characters).
            history: the earlier user turns of the same conversation, oldest first.

        Returns:
            The answer with its citations; ``refused`` when the plan does not cover the question.

        Raises:
            InputError: on an empty, oversized or control-character question, or a malformed history.
        """
        t0 = time.perf_counter()
        question, history = self._checked_turn(question, history)
        t1 = time.perf_counter()
        retrieval = self.retrieve(question, history)
        t2 = time.perf_counter()
        answer = self.composer(question, retrieval, self.index.clauses)
        t3 = time.perf_counter()
        timings = {"retrieve": (t2 - t1) * 1e3, "compose": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}
        return dataclasses.replace(answer, timings_ms={**answer.timings_ms, **timings})

    def _checked_turn(self, question, history) -> tuple[str, list[str]]:
        """The question and history validated (one rule per message), the question stripped."""
        question = check_question(question, self.settings.max_question_chars)
        if isinstance(history, str) or not isinstance(history, Sequence):
            raise InputError("the history must be a list of earlier questions")
        if len(history) > MAX_TURNS:
            raise InputError(f"the history has {len(history)} turns; the limit is {MAX_TURNS}")
        history = [check_question(h, self.settings.max_question_chars, f"history turn {i + 1}")
                   for i, h in enumerate(history)]
        return question, history

    def ask_stream(self, question: str, history: Sequence[str] = ()):
        """Answer one turn as a stream: text pieces as they are ready, then the final :class:`Answer`.

        With the extractive composer the whole answer text comes as one piece. With a generative composer
        the pieces are phrases that already passed the grounding guard; if the finished answer fails it,
        the final Answer is the extractive one (``mode == "extractive"``, ``meta["guard"]`` says why) and
        its ``text`` should replace the pieces shown so far.

        Raises:
            InputError: as :meth:`ask`, before anything is yielded.
        """
        t0 = time.perf_counter()
        question, history = self._checked_turn(question, history)
        return self._stream(t0, question, history)

    def _stream(self, t0: float, question: str, history: list[str]):
        t1 = time.perf_counter()
        retrieval = self.retrieve(question, history)
        t2 = time.perf_counter()
        stream = getattr(self.composer, "stream", None)
        items = (stream(question, retrieval, self.index.clauses) if stream is not None
                 else iter([self.composer(question, retrieval, self.index.clauses)]))
        first = None
        for item in items:
            if isinstance(item, Answer):
                t3 = time.perf_counter()
                if stream is None:
                    yield item.text
                timings = {"retrieve": (t2 - t1) * 1e3, "compose": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}
                if first is not None:
                    timings["first_piece"] = (first - t0) * 1e3
                yield dataclasses.replace(item, timings_ms={**item.timings_ms, **timings})
                return
            if first is None:
                first = time.perf_counter()
            yield item
