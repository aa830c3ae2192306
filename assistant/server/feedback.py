"""SQLite store for 👍/👎 feedback on answers: one row per verdict, WAL mode, a short connection per call."""
from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

VERDICTS = ("up", "down")
SOURCES = ("chat", "widget", "api")

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


class FeedbackStore:
    """Appends feedback rows to a SQLite file and reads them back.

    Every call opens its own connection, so the store is safe to share between the
    server's threads; WAL mode lets readers (an analyst's ``sqlite3`` shell) run while the
    server writes.

    Args:
        path: the SQLite file; its directory is created on first use.
        timeout: seconds to wait for another writer's lock before failing.
    """

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

    def add(self, question: str, answer: str, citations: Sequence, verdict: str, source: str = "chat") -> int:
        """Store one verdict on one answer.

        Args:
            question: the question as the user asked it.
            answer: the answer text the user judged.
            citations: the answer's citations (record dicts or clause ids), stored as JSON.
            verdict: ``up`` or ``down``.
            source: where the verdict came from: ``chat``, ``widget`` or ``api``.

        Returns:
            The new row's id.

        Raises:
            ValueError: on a verdict or source outside the allowed values.
            FeedbackError: when the database cannot be opened or written.
        """
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
        row = (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), verdict, question, answer,
               json.dumps(list(citations), ensure_ascii=False), source)
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

    def _insert(self, row: tuple) -> int:
        conn = self._connect()
        try:
            with conn:
                cur = conn.execute("INSERT INTO feedback (created_at, verdict, question, answer, citations, "
                                   "source) VALUES (?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid)
        finally:
            conn.close()

    def status(self) -> str:
        """``ok``, or ``unavailable: <reason>`` (for ``/healthz``)."""
        try:
            conn = self._connect()
            try:
                conn.execute("SELECT 1 FROM feedback LIMIT 1").fetchall()
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as e:
            return f"unavailable: {self._reason(e)}"
        return "ok"

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
        """The latest rows, newest first, with ``citations`` decoded.

        Args:
            limit: at most this many rows.

        Returns:
            Dicts with ``id, created_at, verdict, question, answer, citations, source``.

        Raises:
            FeedbackError: when the database cannot be read.
        """
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
