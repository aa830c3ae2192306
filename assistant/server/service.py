"""What the API and the chat share: the settings, the lazily built assistant (the plan's or a corpus's), the
feedback store, the UI texts and the answer log."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from ..settings import ROOT, Settings, ui_texts
from ..types import Answer, Answerer, Document
from ..store.corpus import read_manifest
from .answerers import answerer_for, make_answerer, resolve, served_documents
from .feedback import FeedbackStore, open_feedback_store
from .origins import OriginPolicy

log = logging.getLogger("assistant.server")
answers_log = logging.getLogger("assistant.answers")
_SALT = secrets.token_bytes(16)  # no ASSISTANT_LOG_SALT: this process's, to link a client's requests, not its address


def relative(text: str) -> str:
    """A message without this server's absolute paths (they tell a visitor how the machine is laid out)."""
    return text.replace(str(ROOT) + "/", "").replace(str(Path.home()), "~")


def answer_log_line(answer: Answer, client: str, route: str, log_questions: bool, salt: bytes = _SALT) -> str:
    """One JSON line per answered question: time, latency, refused, cited ids, mode, a hash of the client (salted:
    ``Settings.log_salt``, else this process's); the question's text only when ``ASSISTANT_LOG_QUESTIONS=1`` (it may
    hold personal details)."""
    entry = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "route": route,
             "latency_ms": round(float(answer.timings_ms.get("total", 0.0)), 2), "refused": answer.refused,
             "cited": [c.id for c in answer.citations], "mode": answer.mode, "lang": answer.lang,
             "client": hashlib.sha256(salt + client.encode("utf-8", "replace")).hexdigest()[:12]}
    if log_questions:
        entry["question"] = answer.question
    return json.dumps(entry, ensure_ascii=False)


@dataclass(frozen=True)
class Draft:
    """The extractive answer a chat shows at once in a generative mode, and whether the model's answer follows."""

    answer: Answer
    model_follows: bool


class AssistantUnavailable(RuntimeError):
    """The assistant could not be loaded (the index cannot be read or built); the message says why, in one line."""


def examples(kind: str, documents: Sequence[Document]) -> dict[str, list[str]]:
    """The example questions per interface language: ``ui.json``'s for the plan; for a corpus, its ``corpus``
    template filled with the first documents' titles (the corpus answers Chinese questions, in both interfaces)."""
    if kind == "plan":
        return ui_texts()["examples"]
    corpus = ui_texts()["corpus"]
    titles = [d.title.removeprefix("中华人民共和国") for d in documents]
    # short titles first: an example is a question a visitor would type
    asked = [corpus["example"].format(title=t) for t in sorted(titles, key=len)[:corpus["examples"]]]
    return {lang: asked for lang in ui_texts()["examples"]}


class Service:
    """The settings, the lazily built assistant and the feedback store, shared by the API and the chat.

    Args:
        settings: the assistant's settings (``feedback_db``, ``allowed_origins``, ``llm``, ``index_dir``: a corpus
            index there is served instead of the plan).
        assistant: an already-built assistant, the plan's or a corpus's (tests share one); else it is built on
            first use by :func:`~assistant.server.answerers.make_answerer`.
        feedback: the feedback store; else the one ``settings.feedback_db`` names (a SQLite file or a PostgreSQL URL).

    Raises:
        ValueError: on an ``allowed_origins`` entry that is not an origin, or a ``feedback_db`` URL that cannot be
            read.
    """

    def __init__(self, settings: Settings, assistant=None, feedback: FeedbackStore | None = None):
        self.settings = settings
        self.feedback = feedback or open_feedback_store(settings.feedback_db)
        self.policy = OriginPolicy(settings.allowed_origins)
        self._answerer: Answerer | None = answerer_for(assistant, settings) if assistant is not None else None
        self._documents = self._answerer.documents() if self._answerer else served_documents(settings)
        # what is served is known before anything loads: the chat's picker and texts are built from it
        self.kind = self._answerer.kind if self._answerer else ("corpus" if read_manifest(settings.index_dir) else "plan")
        self._extractive_twin = None
        self._error: str = ""
        self._build_lock = threading.Lock()
        self._warm = threading.Event()
        self._warm_thread: threading.Thread | None = None
        self.started = time.time()
        if assistant is not None:
            self._warm.set()

    @property
    def state(self) -> str:
        """``ready``, ``loading`` or ``error``."""
        if self._error:
            return "error"
        return "ready" if self._warm.is_set() else "loading"

    @property
    def error(self) -> str:
        """Why the assistant could not be loaded ('' when it could)."""
        return self._error

    @property
    def loaded(self) -> Answerer | None:
        """The assistant, behind its contract, if it has been built, else None (never triggers a load)."""
        return self._answerer

    @property
    def documents(self) -> list[Document]:
        """The documents served (read from the index's manifest at start: no model is loaded for them)."""
        return self._documents

    @property
    def examples(self) -> dict[str, list[str]]:
        """The example questions per interface language (:func:`examples`)."""
        return examples(self.kind, self._documents)

    def resolve(self, names: Sequence[str]) -> tuple[str, ...]:
        """The ids of the served documents named by id or title, without loading the assistant.

        Raises:
            UnknownDocument: naming the first name that matches no document.
        """
        return resolve(names, self._documents)

    def answerer(self) -> Answerer:
        """The assistant behind its contract, built on first call (seconds); later calls return the same one.

        Raises:
            AssistantUnavailable: when the index cannot be loaded or built.
        """
        if self._answerer is None:
            with self._build_lock:
                if self._answerer is None:
                    try:
                        self._answerer = make_answerer(self.settings)
                        self._documents = self._answerer.documents()
                        self._error = ""  # a retry after a failed load (e.g. the index was rebuilt) recovers
                    except Exception as e:  # noqa: BLE001 - any load failure makes the service unavailable
                        self._error = f"{type(e).__name__}: {e}"
                        log.exception("the assistant could not be loaded")
                        raise AssistantUnavailable(f"the assistant could not be loaded: {relative(str(e))}") from e
        return self._answerer

    def assistant(self):
        """The assistant itself (the plan's :class:`~assistant.pipeline.Assistant` or a ``CorpusAssistant``).

        Raises:
            AssistantUnavailable: when the index cannot be loaded or built.
        """
        return self.answerer().assistant

    def warm_up(self) -> None:
        """Build the assistant and answer one question, so the embedding model is loaded before users arrive."""
        try:
            self.ask(self.examples["zh"][0])
            self.answerer().warm_up()
        except Exception:  # noqa: BLE001 - the state and the log say what went wrong
            if not self._error:
                self._error = "warm-up question failed"
            log.exception("warm-up failed")
        finally:
            self._warm.set()

    def start_warm_up(self) -> None:
        """Warm up in a daemon thread (once), so the server accepts connections meanwhile."""
        with self._build_lock:
            if self._warm_thread is None and not self._warm.is_set():
                self._warm_thread = threading.Thread(target=self.warm_up, name="assistant-warm-up", daemon=True)
                self._warm_thread.start()

    def ask(self, question, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        """``Answerer.ask`` (the model, when one is used, is queued by the composer).

        Args:
            question: the user's turn.
            history: the earlier turns, oldest first (questions, records or messages).
            documents: the documents to answer from, by id or title (all when empty).

        Returns:
            The assistant's answer, unchanged.

        Raises:
            InputError: on a question or history the assistant will not take.
            UnknownDocument: on a document it does not serve.
            AssistantUnavailable: when the assistant cannot be loaded.
        """
        # No lock: the extractive path is thread-safe, and a generative composer queues its model calls itself
        # (assistant.generate.ModelQueue), so a question that never reaches the model never waits for it.
        return self.answerer().ask(question, history, documents)

    @property
    def streaming(self) -> bool:
        """True when a generative mode is on and the assistant can stream its answer (the plan's)."""
        return self.answerer().streams

    def stream(self, question, history: Sequence = (), documents: Sequence[str] = ()) -> Iterator[str | Answer]:
        """Text chunks then the final ``Answer`` when streaming; else the ``Answer`` alone.

        Args:
            question: the user's turn.
            history: the earlier turns, oldest first (questions, records or messages).
            documents: the documents to answer from, by id or title (all when empty).

        Returns:
            An iterator of ``str`` chunks ending with one ``Answer``.
        """
        yield from self.answerer().stream(question, history, documents)

    def _extractive(self):
        """The same assistant with the extractive composer (shares the index, rules and weights; built once)."""
        if self._extractive_twin is None:
            from ..pipeline import Assistant

            a = self.assistant()
            self._extractive_twin = Assistant(a.settings, index=a.index, composer=a.extractive, weights=a.weights,
                                              rules=a.rules, progress=False)
        return self._extractive_twin

    def draft(self, question, history: Sequence = ()) -> Draft:
        """The extractive answer, at once, for a chat in a generative mode to show while the model writes.

        Args:
            question: the user's turn.
            history: the earlier turns, oldest first (questions, records or messages).

        Returns:
            The extractive :class:`~assistant.types.Answer` and whether a model answer will follow
            (not for refusals, declined instructions, compound questions, nor what the composer's
            ``skip_reason`` keeps from the model).

        Raises:
            InputError: on a question or history the assistant will not take.
            AssistantUnavailable: when the assistant cannot be loaded.
        """
        answer = self._extractive().ask(question, history)
        skip = getattr(self.assistant().composer, "skip_reason", None)
        model_follows = (skip is not None and not answer.refused and "declined" not in answer.meta
                         and "parts" not in answer.meta and not skip(self.assistant().retrieve(question, history)))
        return Draft(answer, model_follows)

    def log_answer(self, answer: Answer, client: str, route: str) -> None:
        """One JSON line on the ``assistant.answers`` logger (:func:`answer_log_line`)."""
        salt = self.settings.log_salt.encode("utf-8") or _SALT
        questions = os.environ.get("ASSISTANT_LOG_QUESTIONS") == "1"
        answers_log.info(answer_log_line(answer, client, route, questions, salt))
