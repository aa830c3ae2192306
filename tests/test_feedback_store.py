"""The feedback store's contract on both backends (SQLite, a real PostgreSQL), the PostgreSQL migrations, the HTTP
route on PostgreSQL, and no acknowledged row lost when the server is killed with SIGKILL."""
from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest
from conftest import START_TIMEOUT_S, free_port
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.server.api import create_api  # noqa: E402
from assistant.server.feedback import (FeedbackError, FeedbackStore, SqliteFeedbackStore,  # noqa: E402
                                       open_feedback_store)
from assistant.server.feedback_postgres import (MIGRATIONS, PostgresFeedbackStore, read_migrations,  # noqa: E402
                                                redact)
from assistant.server.service import Service  # noqa: E402
from assistant.settings import Settings, from_env  # noqa: E402

IP_QUESTION = "谁负责知识产权保护？"
CITATION = {"id": "2.5.2", "path": "二、 > (五) > 2.", "title": "强化知识产权保护", "bureaus": ["市市场监管局", "市法院"],
            "quote": "强化知识产权保护"}
SECRET = "Sup3r-Secret-pw"
BACKENDS = ("sqlite", "postgresql")


# ---------------------------------------------------------------- a real PostgreSQL, a fresh database per test

@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The server scripts/services/postgres.sh started (``bash scripts/test`` sources it)."""
    url = os.environ.get("ASSISTANT_TEST_POSTGRES_URL")
    if not url:
        pytest.fail("ASSISTANT_TEST_POSTGRES_URL is not set: run the tests with `bash scripts/test`, which starts "
                    "PostgreSQL (scripts/services/postgres.sh)", pytrace=False)
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))


@pytest.fixture
def fresh_database(postgres_url):
    """Makes empty databases on the test server (dropped after the test); returns their URLs."""
    made = []

    def make() -> str:
        name = f"feedback_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return with_database(postgres_url, name)

    yield make
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def socket_dir(url: str) -> str:
    return dict(p.split("=", 1) for p in urlsplit(url).query.split("&"))["host"]


def table(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(params=BACKENDS)
def setting(request, tmp_path, fresh_database) -> str | Path:
    """``feedback_db`` for each backend: a SQLite file, or the URL of an empty PostgreSQL database."""
    return tmp_path / "feedback.sqlite3" if request.param == "sqlite" else fresh_database()


# ---------------------------------------------------------------- the contract, on both backends

def test_the_setting_picks_the_backend(setting):
    store = open_feedback_store(setting)
    expected = SqliteFeedbackStore if isinstance(setting, Path) else PostgresFeedbackStore
    assert isinstance(store, FeedbackStore) and type(store) is expected
    assert store.status() == "ok"


def test_a_verdict_round_trips(setting):
    store = open_feedback_store(setting)
    first = store.add(IP_QUESTION, "市市场监管局牵头。", [CITATION, "1.1"], "up", source="widget")
    second = store.add("第二个问题", "答", [], "down")
    assert second > first
    rows = store.recent()
    assert [r["id"] for r in rows] == [second, first]  # newest first
    assert set(rows[1]) == {"id", "created_at", "verdict", "question", "answer", "citations", "source"}
    assert rows[1]["question"] == IP_QUESTION and rows[1]["answer"] == "市市场监管局牵头。"
    assert rows[1]["citations"] == [CITATION, "1.1"] and rows[1]["verdict"] == "up" and rows[1]["source"] == "widget"
    assert rows[0]["verdict"] == "down" and rows[0]["source"] == "chat" and rows[0]["citations"] == []
    for r in rows:  # ISO 8601 in UTC, to the millisecond, on both backends
        assert len(r["created_at"]) == len("2025-01-02T03:04:05.678+00:00") and r["created_at"].endswith("+00:00")
    assert rows[0]["created_at"] >= rows[1]["created_at"]
    assert [r["id"] for r in store.recent(1)] == [second]


def test_bad_verdicts_sources_and_nul_characters_are_refused_and_nothing_is_stored(setting):
    store = open_feedback_store(setting)
    with pytest.raises(ValueError, match="^verdict must be one of up, down, not 'meh'$"):
        store.add("q", "a", [], "meh")
    with pytest.raises(ValueError, match="^source must be one of chat, widget, api, not 'x'$"):
        store.add("q", "a", [], "up", source="x")
    with pytest.raises(ValueError, match=r"^field 'answer' contains a NUL character \(\\u0000\), which feedback "):
        store.add("q", "a\x00b", [], "up")
    with pytest.raises(ValueError, match=r"^field 'citations' contains a NUL character"):
        store.add("q", "a", [{"id": "x\x00"}], "up")
    assert store.recent() == []


def test_two_stores_on_one_database_are_two_replicas(setting):
    a, b = open_feedback_store(setting), open_feedback_store(setting)
    ids = [a.add("from a", "x", [], "up"), b.add("from b", "y", [], "down")]
    assert [r["question"] for r in a.recent()] == ["from b", "from a"] and [r["id"] for r in b.recent()] == ids[::-1]


def test_concurrent_writers_lose_nothing(setting):
    store = open_feedback_store(setting)
    ids, errors = [], []

    def write(n):
        try:
            for i in range(25):
                ids.append(store.add(f"q{n}-{i}", "a", [], "up" if i % 2 else "down"))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = store.recent(1000)
    assert len(ids) == len(set(ids)) == 200 and sorted(r["id"] for r in rows) == sorted(ids)
    assert {r["question"] for r in rows} == {f"q{n}-{i}" for n in range(8) for i in range(25)}


# ---------------------------------------------------------------- an unreachable database, said in one line

def test_an_unwritable_sqlite_file_is_reported_without_its_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = open_feedback_store(blocker / "fb.sqlite3")
    with pytest.raises(FeedbackError) as e:
        store.add("q", "a", [], "up")
    assert str(e.value) == "feedback was not saved: cannot create the database's folder (file exists)"
    assert store.status() == "unavailable: cannot create the database's folder (file exists)"


def test_an_unreachable_postgresql_is_reported_without_the_password(postgres_url, tmp_path):
    url = f"postgresql://postgres:{SECRET}@/assistant_test?host={tmp_path / 'no-server-here'}"
    store = open_feedback_store(url)
    with pytest.raises(FeedbackError) as e:
        store.add("q", "a", [], "up")
    assert str(e.value) == "feedback was not saved: cannot connect to PostgreSQL: no such file or directory"
    assert e.value.reason == "cannot connect to PostgreSQL: no such file or directory"
    assert store.status() == "unavailable: cannot connect to PostgreSQL: no such file or directory"
    with pytest.raises(FeedbackError, match="^feedback could not be read: cannot connect to PostgreSQL: no such"):
        store.recent()
    assert SECRET not in store.where and store.where == f"postgresql://postgres@/assistant_test?host={tmp_path}/" \
                                                         f"no-server-here"
    refused = open_feedback_store(f"postgresql://postgres:{SECRET}@127.0.0.1:{free_port()}/x")
    assert refused.status() == "unavailable: cannot connect to PostgreSQL: connection refused"


def test_a_wrong_password_and_a_missing_database_are_said_by_the_real_server(postgres_url):
    sock = socket_dir(postgres_url)
    # scripts/services/postgres.sh signs this role in with a password (scram-sha-256); it has none: always wrong
    wrong = open_feedback_store(f"postgresql://assistant_password_test:{SECRET}@/assistant_test?host={sock}")
    with pytest.raises(FeedbackError) as e:
        wrong.add("q", "a", [], "up")
    assert str(e.value) == ('feedback was not saved: cannot connect to PostgreSQL: password authentication failed '
                            'for user "assistant_password_test"')
    missing = open_feedback_store(f"postgres://postgres:{SECRET}@/no_such_database?host={sock}")
    assert missing.status() == 'unavailable: cannot connect to PostgreSQL: database "no_such_database" does not exist'


def test_a_url_libpq_cannot_read_stops_the_server_with_one_line(tmp_path):
    with pytest.raises(ValueError, match='^ASSISTANT_FEEDBACK_DB is not a PostgreSQL URL that libpq reads: invalid '
                                         'URI query parameter: "colour"'):
        open_feedback_store(f"postgresql://u:{SECRET}@/db?colour=blue")
    with pytest.raises(ValueError) as e:
        open_feedback_store(f"postgresql://u@/db?password={SECRET}%zz")
    assert SECRET not in str(e.value)
    with pytest.raises(ValueError, match="a PostgreSQL URL must be given as text, not as a path"):
        open_feedback_store(Path("postgresql://u@h/db"))
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": f"postgresql://u:{SECRET}@/db?colour=blue"}
    p = subprocess.run([sys.executable, "app.py", "--port", "1"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == ['error: ASSISTANT_FEEDBACK_DB is not a PostgreSQL URL that libpq '
                                             'reads: invalid URI query parameter: "colour"']


def test_the_environment_keeps_a_url_as_text(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", "postgresql://user:pw@db.example.cn:5432/assistant")
    assert from_env().feedback_db == "postgresql://user:pw@db.example.cn:5432/assistant"
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "f.sqlite3"))
    assert from_env().feedback_db == tmp_path / "f.sqlite3"
    assert redact("postgresql://u:pw@h1:5432,h2/db?sslmode=require&password=pw2") == \
        "postgresql://u@h1:5432,h2/db?sslmode=require"


# ---------------------------------------------------------------- PostgreSQL migrations

def test_migrations_make_the_table_once(fresh_database):
    url = fresh_database()
    store = PostgresFeedbackStore(url)
    assert store.migrate() == [1]
    row = store.add(IP_QUESTION, "答", [CITATION], "up")
    assert store.migrate() == [] and PostgresFeedbackStore(url).migrate() == []  # idempotent, rows kept
    assert [r["id"] for r in store.recent()] == [row]
    assert table(url, "SELECT version, name FROM schema_version") == [(1, "feedback")]
    columns = table(url, "SELECT column_name, data_type FROM information_schema.columns "
                         "WHERE table_name = 'feedback' ORDER BY ordinal_position")
    assert columns == [("id", "bigint"), ("created_at", "timestamp with time zone"), ("verdict", "text"),
                       ("question", "text"), ("answer", "text"), ("citations", "jsonb"), ("source", "text")]
    with sqlite3.connect(":memory:") as lite:  # the same columns as the SQLite table
        from assistant.server.feedback import _SCHEMA

        lite.executescript(_SCHEMA)
        assert [c[1] for c in lite.execute("PRAGMA table_info(feedback)")] == [c for c, _ in columns]
    with pytest.raises(psycopg.errors.CheckViolation):
        table(url, "INSERT INTO feedback (created_at, verdict, question, answer, citations, source) "
                   "VALUES (now(), 'meh', 'q', 'a', '[]', 'api') RETURNING id")


def test_the_first_use_migrates(fresh_database):
    url = fresh_database()
    assert open_feedback_store(url).status() == "ok"
    assert table(url, "SELECT version FROM schema_version") == [(1,)]


def slow_migrations(tmp_path: Path) -> Path:
    """The real migrations and a second one that takes a while and cannot be applied twice."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for m in MIGRATIONS.glob("*.sql"):
        (folder / m.name).write_bytes(m.read_bytes())
    (folder / "0002_note.sql").write_text("SELECT pg_sleep(0.3);\nALTER TABLE feedback ADD COLUMN note text;\n")
    return folder


def test_replicas_migrating_at_once_apply_each_migration_once(fresh_database, tmp_path):
    folder = slow_migrations(tmp_path)
    for _ in range(3):
        url = fresh_database()
        stores = [PostgresFeedbackStore(url, migrations=folder) for _ in range(4)]
        start = threading.Barrier(len(stores))
        results, errors = [], []

        def migrate(store):
            start.wait()
            try:
                results.append(store.migrate())
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=migrate, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert sorted(results) == [[], [], [], [1, 2]]  # one replica migrated; the others waited, then found it done
        assert table(url, "SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]
        assert ("note",) in table(url, "SELECT column_name FROM information_schema.columns WHERE table_name = "
                                       "'feedback'")


def test_a_failing_migration_leaves_nothing_behind(fresh_database, tmp_path):
    folder = slow_migrations(tmp_path)
    (folder / "0003_broken.sql").write_text("ALTER TABLE no_such_table ADD COLUMN x text;\n")
    url = fresh_database()
    store = PostgresFeedbackStore(url, migrations=folder)
    with pytest.raises(FeedbackError, match='^the feedback database could not be migrated: relation "no_such_table" '
                                            'does not exist$'):
        store.migrate()
    assert table(url, "SELECT to_regclass('feedback'), to_regclass('schema_version')") == [(None, None)]
    with pytest.raises(FeedbackError, match='^feedback was not saved: relation "no_such_table" does not exist$'):
        store.add("q", "a", [], "up")


def test_migration_files_are_numbered(tmp_path):
    assert [(m.version, m.name) for m in read_migrations()] == [(1, "feedback")]
    (tmp_path / "0002_b.sql").write_text("SELECT 2")
    (tmp_path / "0001_a.sql").write_text("SELECT 1")
    assert [m.name for m in read_migrations(tmp_path)] == ["a", "b"]
    (tmp_path / "0002_c.sql").write_text("SELECT 3")
    with pytest.raises(ValueError, match="^migrations b and c share the number 0002$"):
        read_migrations(tmp_path)
    (tmp_path / "0002_c.sql").unlink()
    (tmp_path / "3_add.sql").write_text("SELECT 3")
    with pytest.raises(ValueError, match=r"^migration 3_add.sql: name it NNNN_name.sql"):
        read_migrations(tmp_path)


# ---------------------------------------------------------------- the HTTP route and the chat on PostgreSQL

def post_json(client, path, body):
    return client.post(path, content=json.dumps(body, ensure_ascii=False).encode(),
                       headers={"Content-Type": "application/json"})


def test_the_api_stores_feedback_in_postgresql(fresh_database):
    url = fresh_database()
    service = Service(Settings(feedback_db=url, feedback_rate_limit="100000/minute"))
    with TestClient(create_api(service, warm_up=False)) as c:
        r = post_json(c, "/api/feedback", {"question": IP_QUESTION, "answer": "市市场监管局牵头。",
                                           "citations": [CITATION], "verdict": "up", "source": "widget"})
        assert r.status_code == 201 and r.json() == {"id": r.json()["id"], "stored": True}
        assert c.get("/healthz").json()["feedback"] == "ok"
        nul = post_json(c, "/api/feedback", {"question": IP_QUESTION, "answer": "a\x00b", "verdict": "down"})
        assert nul.status_code == 422
        assert nul.json() == {"error": "field 'answer' contains a NUL character (\\u0000), which feedback cannot "
                                       "store"}
    rows = table(url, "SELECT id, verdict, question, answer, citations, source FROM feedback")
    assert rows == [(r.json()["id"], "up", IP_QUESTION, "市市场监管局牵头。", [CITATION], "widget")]


def test_the_api_says_503_when_postgresql_is_unreachable_and_logs_no_password(tmp_path, caplog):
    url = f"postgresql://postgres:{SECRET}@/assistant_test?host={tmp_path}"
    service = Service(Settings(feedback_db=url))
    with caplog.at_level(logging.ERROR, logger="assistant.server"), \
            TestClient(create_api(service, warm_up=False)) as c:
        r = post_json(c, "/api/feedback", {"question": IP_QUESTION, "answer": "a", "verdict": "up"})
        health = c.get("/healthz").json()
    assert r.status_code == 503
    assert r.json() == {"error": "feedback was not saved: cannot connect to PostgreSQL: no such file or directory"}
    assert health["feedback"] == "unavailable: cannot connect to PostgreSQL: no such file or directory"
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "feedback was not saved" in logged and "postgresql://postgres@/assistant_test" in logged
    assert SECRET not in logged and SECRET not in r.text


def test_the_chats_thumbs_up_lands_in_postgresql(fresh_database):
    import gradio as gr

    from assistant.server.chat import build_chat

    url = fresh_database()
    demo = build_chat(Service(Settings(feedback_db=url)))
    on_like = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "on_like")
    turns = [{"question": IP_QUESTION, "answer": "市市场监管局牵头。", "citations": [CITATION], "refused": False}]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the chat warns (gr.Warning) when feedback was not saved
        on_like(turns, "zh", gr.LikeData(None, {"index": 1, "value": "a", "liked": False}))
    assert table(url, "SELECT verdict, question, source FROM feedback") == [("down", IP_QUESTION, "chat")]


# ---------------------------------------------------------------- kill -9 of a replica loses no acknowledged row

WORKERS = 6
POSTS_PER_WORKER = 60  # at most 360 posts
KILL_AFTER_ACKS = 100


def start_app(setting: str | Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(setting), "ASSISTANT_LLM": "none", "PYTHONUNBUFFERED": "1",
           "ASSISTANT_FEEDBACK_RATE_LIMIT": "100000/minute"}
    env.pop("ASSISTANT_ALLOWED_ORIGINS", None)
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + START_TIMEOUT_S
    while time.time() < deadline:  # the feedback route needs no model: up once /healthz answers
        if process.poll() is not None:
            pytest.fail(f"python app.py exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(base + "/healthz", timeout=2).json()["feedback"] == "ok":
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    process.kill()
    pytest.fail(f"python app.py did not answer /healthz in {START_TIMEOUT_S} s")


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_of_a_server_loses_no_acknowledged_row(backend, tmp_path, fresh_database):
    setting = tmp_path / "feedback.sqlite3" if backend == "sqlite" else fresh_database()
    process, base = start_app(setting, tmp_path / "server.log")
    run = uuid.uuid4().hex[:8]
    acked: dict[int, str] = {}
    ended = {"unsent": 0, "in_flight": 0, "finished": 0}
    lock = threading.Lock()
    enough = threading.Event()

    def post(worker: int):
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in range(POSTS_PER_WORKER):
                question = f"kill-test {run} {worker}-{i}"
                try:
                    r = client.post("/api/feedback", json={"question": question, "answer": "答", "verdict": "up",
                                                           "citations": [CITATION]})
                except httpx.ConnectError:  # the server was gone before the request was sent
                    with lock:
                        ended["unsent"] += 1
                    return
                except httpx.TransportError:  # sent; the server died before it answered
                    with lock:
                        ended["in_flight"] += 1
                    return
                assert r.status_code == 201, r.text
                with lock:
                    acked[r.json()["id"]] = question
                    if len(acked) >= KILL_AFTER_ACKS:
                        enough.set()
        with lock:
            ended["finished"] += 1

    threads = [threading.Thread(target=post, args=(w,)) for w in range(WORKERS)]
    try:
        for t in threads:
            t.start()
        assert enough.wait(120), f"only {len(acked)} posts acknowledged in 120 s"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        for t in threads:
            t.join(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert ended["finished"] == 0, ended  # every worker was still posting when the server died: a mid-stream kill

    stored = {r["id"]: r["question"] for r in open_feedback_store(setting).recent(10_000)
              if r["question"].startswith(f"kill-test {run} ")}
    lost = {i: q for i, q in acked.items() if stored.get(i) != q}
    print(f"\n{backend}: {len(acked)} acknowledged, {ended['in_flight']} in flight at the kill, "
          f"{ended['unsent']} refused after it, {len(stored)} rows stored "
          f"({len(stored) - len(acked)} committed but not acknowledged), {len(lost)} acknowledged rows lost")
    assert not lost
    assert len(acked) >= KILL_AFTER_ACKS and len(stored) <= len(acked) + WORKERS
