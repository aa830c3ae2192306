"""👍/👎 feedback on answers: the store contract, its SQLite backend (the default) and the factory choosing one."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from ..settings import is_postgres_url

VERDICTS = ("up", "down")
SOURCES = ("chat", "widget", "api")
FIELDS = ("id", "created_at", "verdict", "question", "answer", "citations", "source")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT    NOT NULL,
    verdict    TEXT    NOT NULL CHECK (verdict IN ('up', 'down')),
    question   TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    citations  TEXT    NOT NULL,
    source     TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_created_at ON feedback (created_at);
"""


class FeedbackError(RuntimeError):
    """A feedback write or read that failed: ``str()`` says so in one line, ``reason`` is the cause alone."""

    def __init__(self, what: str, reason: str):
        super().__init__(f"{what}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Verdict:
    """One verdict as every backend stores it: ``created_at`` ISO 8601 in UTC, ``citations`` as JSON text."""

    created_at: str
    verdict: str
    question: str
    answer: str
    citations: str
    source: str


def new_verdict(question: str, answer: str, citations: Sequence, verdict: str, source: str = "chat",
                now: datetime | None = None) -> Verdict:
    """The row :meth:`FeedbackStore.add` writes, checked.

    Raises:
        ValueError: on a verdict or source outside the allowed values, or a NUL character (PostgreSQL's text
            cannot hold one; refused on SQLite too, so that both backends keep one contract).
    """
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    for name, value in (("question", question), ("answer", answer), ("citations", list(citations))):
        if _holds_nul(value):
            raise ValueError(f"field {name!r} contains a NUL character (\\u0000), which feedback cannot store")
    cited = json.dumps(list(citations), ensure_ascii=False)
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return Verdict(when.isoformat(timespec="milliseconds"), verdict, question, answer, cited, source)


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_nul(v) for v in value)
    return False


class FeedbackStore(ABC):
    """Where 👍/👎 verdicts go: safe to share between the server's threads and between server processes.

    A row is durable when :meth:`add` returns its id: the API answers 201 with that id only then.
    """

    @property
    @abstractmethod
    def where(self) -> str:
        """The database for log lines: a file path, or a URL without its password."""

    @abstractmethod
    def add(self, question: str, answer: str, citations: Sequence, verdict: str, source: str = "chat") -> int:
        """Store one verdict on one answer, durably, before returning.

        Args:
            question: the question as the user asked it.
            answer: the answer text the user judged.
            citations: the answer's citations (record dicts or clause ids), stored as JSON.
            verdict: ``up`` or ``down``.
            source: where the verdict came from: ``chat``, ``widget`` or ``api``.

        Returns:
            The new row's id (ids grow with each row).

        Raises:
            ValueError: as :func:`new_verdict`.
            FeedbackError: when the database cannot be reached, opened or written.
        """

    @abstractmethod
    def recent(self, limit: int = 50) -> list[dict]:
        """The latest rows, newest first, with ``citations`` decoded.

        Args:
            limit: at most this many rows.

        Returns:
            Dicts with ``id, created_at, verdict, question, answer, citations, source`` (``created_at`` ISO 8601
            in UTC, e.g. ``2025-01-02T03:04:05.678+00:00``).

        Raises:
            FeedbackError: when the database cannot be read.
        """

    # what the backend's driver raises when its database cannot be reached or read (status() reports it)
    errors: tuple[type[BaseException], ...] = ()

    def status(self) -> str:
        """``ok``, or ``unavailable: <reason>`` (for ``/healthz``); never raises."""
        try:
            conn = self._connect()
            try:
                conn.execute("SELECT 1 FROM feedback LIMIT 1").fetchall()
            finally:
                conn.close()
        except self.errors as e:
            return f"unavailable: {self._reason(e)}"
        return "ok"

    @abstractmethod
    def _connect(self):
        """A new connection (DB-API: ``execute``, ``close``), the table made or migrated on first use."""

    @abstractmethod
    def _reason(self, e: BaseException) -> str:
        """A driver error in one line, without secrets."""


def open_feedback_store(setting: str | Path) -> FeedbackStore:
    """The store ``feedback_db`` (``ASSISTANT_FEEDBACK_DB``) names: a PostgreSQL URL, else a SQLite file.

    Raises:
        ValueError: on a PostgreSQL URL that cannot be read (the message names the setting, not the password).
    """
    if is_postgres_url(setting):
        from .feedback_postgres import PostgresFeedbackStore

        return PostgresFeedbackStore(str(setting))
    if re.match(r"^postgres(ql)?:/[^/]", str(setting), re.I):  # a URL that went through Path() lost a slash
        raise ValueError("ASSISTANT_FEEDBACK_DB: a PostgreSQL URL must be given as text, not as a path")
    return SqliteFeedbackStore(setting)


class SqliteFeedbackStore(FeedbackStore):
    """Appends feedback rows to a SQLite file and reads them back (the default backend).

    Every call opens its own connection, so the store is safe to share between the
    server's threads; WAL mode lets readers (an analyst's ``sqlite3`` shell) run while the
    server writes.

    Args:
        path: the SQLite file; its directory is created on first use.
        timeout: seconds to wait for another writer's lock before failing.
    """

    errors = (sqlite3.Error, OSError)

    def __init__(self, path: Path | str, timeout: float = 5.0):
        self.path = Path(path)
        self.timeout = timeout
        self._ready = False
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OSError(e.errno, f"cannot create the database's folder ({(e.strerror or str(e)).lower()})") from e
        fresh = not self.path.exists()
        conn = sqlite3.connect(self.path, timeout=self.timeout)
        try:
            conn.execute("PRAGMA synchronous=FULL")  # a commit is on disk (the WAL fsynced) before add() returns
            with self._lock:
                if fresh:
                    self._ready = False  # the file was deleted (or never made): make the table again
                if not self._ready:
                    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raise sqlite3.OperationalError(f"journal mode is {mode}, not wal")
                    conn.executescript(_SCHEMA)
                    self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    @property
    def where(self) -> str:
        return str(self.path)

    def add(self, question: str, answer: str, citations: Sequence, verdict: str, source: str = "chat") -> int:
        row = new_verdict(question, answer, citations, verdict, source)
        try:
            return self._insert(row)
        except sqlite3.OperationalError as e:
            if "no such table" not in str(e):
                raise FeedbackError("feedback was not saved", self._reason(e)) from e
            self._ready = False  # the file was replaced under us: recreate the table and try once more
            try:
                return self._insert(row)
            except (sqlite3.Error, OSError) as e2:
                raise FeedbackError("feedback was not saved", self._reason(e2)) from e2
        except (sqlite3.Error, OSError) as e:
            raise FeedbackError("feedback was not saved", self._reason(e)) from e

    def _insert(self, row: Verdict) -> int:
        conn = self._connect()
        try:
            with conn:  # commits before the id is returned
                cur = conn.execute("INSERT INTO feedback (created_at, verdict, question, answer, citations, "
                                   "source) VALUES (?, ?, ?, ?, ?, ?)", (row.created_at, row.verdict, row.question,
                                                                         row.answer, row.citations, row.source))
            return int(cur.lastrowid)
        finally:
            conn.close()

    def _reason(self, e: BaseException) -> str:
        """The cause in one line, without paths; "the disk is full" when that is why SQLite failed."""
        import shutil

        try:
            full = shutil.disk_usage(self.path.parent).free < (1 << 20)
        except OSError:
            full = False
        if full or "disk is full" in str(e) or getattr(e, "errno", None) == 28:
            return "the disk is full"
        return _reason(e)

    def recent(self, limit: int = 50) -> list[dict]:
        try:
            conn = self._connect()
            try:
                conn.row_factory = sqlite3.Row
                rows = conn.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (int(limit),)).fetchall()
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as e:
            raise FeedbackError("feedback could not be read", self._reason(e)) from e
        return [{**dict(r), "citations": json.loads(r["citations"])} for r in rows]

    def journal_mode(self) -> str:
        """The database's journal mode (``wal`` once the store has been used)."""
        conn = self._connect()
        try:
            return str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        finally:
            conn.close()


def _reason(e: BaseException) -> str:
    # OSError carries the path in its str(); the message may reach a browser, so keep only the cause.
    if isinstance(e, OSError) and e.strerror:
        return e.strerror[0].lower() + e.strerror[1:]
    return str(e) or type(e).__name__
