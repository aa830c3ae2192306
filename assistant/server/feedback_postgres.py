"""PostgreSQL backend of the feedback store (``ASSISTANT_FEEDBACK_DB=postgresql://…``): numbered SQL migrations."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict

from ..settings import PACKAGE_DATA
from .feedback import FIELDS, FeedbackError, FeedbackStore, Verdict, new_verdict

MIGRATIONS = PACKAGE_DATA / "migrations" / "feedback"
# The key of pg_advisory_xact_lock that serializes this app's migrations across replicas (any fixed number that
# no other tool on the database uses; these are the bytes of "EastLake").
MIGRATION_LOCK = 0x4561_7374_4C61_6B65
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_VERSIONS = """CREATE TABLE IF NOT EXISTS schema_version (
    version    integer     PRIMARY KEY,
    name       text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""
# libpq's connection errors start so; the part after the last "failed: " is the cause without host or socket path.
_CONNECTING = ("connection failed:", "connection is bad:", "failed to resolve host", "connection to server")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file: ``0001_feedback.sql`` is version 1, named ``feedback``."""

    version: int
    name: str
    sql: str


def read_migrations(folder: Path = MIGRATIONS) -> tuple[Migration, ...]:
    """The migrations in ``folder``, by version.

    Raises:
        ValueError: on a ``.sql`` file not named ``NNNN_name.sql``, or two files with one number.
    """
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        m = _FILE.match(path.name)
        if not m:
            raise ValueError(f"migration {path.name}: name it NNNN_name.sql (four digits, lower-case name)")
        version = int(m.group(1))
        if version in found:
            raise ValueError(f"migrations {found[version].name} and {m.group(2)} share the number {version:04d}")
        found[version] = Migration(version, m.group(2), path.read_text(encoding="utf-8"))
    return tuple(found[v] for v in sorted(found))


def redact(url: str) -> str:
    """``url`` without its password (in the user part or a ``password`` parameter): for log lines."""
    parts = urlsplit(url)
    user, at, hosts = parts.netloc.rpartition("@")
    netloc = f"{user.split(':', 1)[0]}@{hosts}" if at else hosts
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"]
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="/"), ""))


def reason(e: BaseException, secrets: Sequence[str] = ()) -> str:
    """The cause of a psycopg error in one line, without hosts, socket paths or any of ``secrets``."""
    if getattr(e, "sqlstate", None) == "53100":  # disk_full
        text = "the disk is full"
    else:
        text = (str(e).strip().splitlines() or [type(e).__name__])[0]
        if text.startswith(_CONNECTING):
            cause = text.rsplit("failed: ", 1)[-1].replace("FATAL:", "").strip()
            text = f"cannot connect to PostgreSQL: {cause[:1].lower()}{cause[1:]}"
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


class PostgresFeedbackStore(FeedbackStore):
    """Feedback rows in a PostgreSQL table, made and kept up to date by the numbered migrations.

    Every call opens its own connection (as the SQLite store does): feedback is rate-limited and rare, and a
    connection that is not kept cannot go stale when the database restarts or fails over. The first
    connection applies the migrations the database lacks, in one transaction, under an advisory lock, so that
    replicas starting together apply each once.

    Args:
        url: ``postgresql://user:password@host:port/dbname`` (or ``postgres://``; ``?host=/socket/dir`` for a
            Unix socket); libpq's ``PG*`` variables and ``~/.pgpass`` fill in what it leaves out.
        timeout: seconds to wait for a connection (unless the URL sets ``connect_timeout``).
        migrations: the folder of ``NNNN_name.sql`` files.

    Raises:
        ValueError: on a URL libpq cannot read, or a misnamed migration.
    """

    errors = (psycopg.Error,)

    def __init__(self, url: str, timeout: float = 5.0, migrations: Path = MIGRATIONS):
        secrets = _url_passwords(url)
        try:
            params = conninfo_to_dict(url)
        except psycopg.Error as e:
            raise ValueError(f"ASSISTANT_FEEDBACK_DB is not a PostgreSQL URL that libpq reads: "
                             f"{reason(e, secrets)}") from None
        if params.get("password"):
            secrets.append(str(params["password"]))
        self.url = url
        self._secrets = tuple(secrets)
        self._options = {"application_name": "east-lake-assistant"}
        if "connect_timeout" not in params:
            self._options["connect_timeout"] = max(1, round(timeout))
        self.migrations = read_migrations(migrations)
        self._ready = False
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        return redact(self.url)

    def _connect(self) -> psycopg.Connection:
        conn = psycopg.connect(self.url, **self._options)
        try:
            with self._lock:
                if not self._ready:
                    self._migrate(conn)
                    self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: psycopg.Connection) -> list[int]:
        with conn.transaction():
            # Another replica migrating holds the lock: wait for it, then find its versions applied.
            conn.execute("SET LOCAL lock_timeout = '60s'")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute(_VERSIONS)
            done = {v for (v,) in conn.execute("SELECT version FROM schema_version")}
            applied = []
            for m in self.migrations:
                if m.version not in done:
                    conn.execute(m.sql.encode())  # bytes: sent as written, several statements, no placeholders
                    conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", (m.version, m.name))
                    applied.append(m.version)
        return applied

    def migrate(self) -> list[int]:
        """Apply the migrations the database lacks (the first use of the store does so too).

        Returns:
            The versions applied now; ``[]`` when the database was up to date.

        Raises:
            FeedbackError: when the database cannot be reached or a migration fails (none of it is applied).
        """
        try:
            with psycopg.connect(self.url, **self._options) as conn:
                with self._lock:
                    applied = self._migrate(conn)
                    self._ready = True
                    return applied
        except psycopg.Error as e:
            raise FeedbackError("the feedback database could not be migrated", self._reason(e)) from e

    def add(self, question: str, answer: str, citations: Sequence, verdict: str, source: str = "chat") -> int:
        row = new_verdict(question, answer, citations, verdict, source)
        try:
            return self._insert(row)
        except psycopg.errors.UndefinedTable as e:
            if not self._ready:
                raise FeedbackError("feedback was not saved", self._reason(e)) from e
            self._ready = False  # the database was emptied under us (restored, recreated): migrate and try once more
            try:
                return self._insert(row)
            except psycopg.Error as e2:
                raise FeedbackError("feedback was not saved", self._reason(e2)) from e2
        except psycopg.Error as e:
            raise FeedbackError("feedback was not saved", self._reason(e)) from e

    def _insert(self, row: Verdict) -> int:
        conn = self._connect()
        try:
            with conn.transaction():
                # on whatever the server or the role says: the COMMIT returns once the row is in the WAL on disk
                conn.execute("SET LOCAL synchronous_commit = on")
                (row_id,) = conn.execute(
                    "INSERT INTO feedback (created_at, verdict, question, answer, citations, source) "
                    "VALUES (%s::timestamptz, %s, %s, %s, %s::jsonb, %s) RETURNING id",
                    (row.created_at, row.verdict, row.question, row.answer, row.citations, row.source)).fetchone()
            return int(row_id)  # the block above committed: only now is the id given out
        finally:
            conn.close()

    def recent(self, limit: int = 50) -> list[dict]:
        try:
            conn = self._connect()
            try:
                rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM feedback ORDER BY id DESC LIMIT %s",
                                    (int(limit),)).fetchall()
            finally:
                conn.close()
        except psycopg.Error as e:
            raise FeedbackError("feedback could not be read", self._reason(e)) from e
        # as SQLite stores it: ISO 8601 in UTC, to the millisecond
        return [{**dict(zip(FIELDS, r)), "created_at": r[1].astimezone(timezone.utc).isoformat(timespec="milliseconds")}
                for r in rows]

    def _reason(self, e: BaseException) -> str:
        return reason(e, self._secrets)


def _url_passwords(url: str) -> list[str]:
    """The password as written in ``url`` (user part, ``password`` parameter), even where libpq cannot read it."""
    try:
        parts = urlsplit(url)
        found = [parts.password or ""] + [v for k, v in parse_qsl(parts.query) if k == "password"]
    except ValueError:
        return []
    return [p for p in found if p]
