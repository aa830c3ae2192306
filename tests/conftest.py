"""Shared fixtures: the real plan and the real index, loaded once per test session, and the live server."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eval.scale import free_port  # one copy: test_store and test_feedback_store import it from here

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 180
LAWS = ROOT / "tests" / "data" / "laws"


@pytest.fixture(scope="session")
def assistant():
    """The assistant on the bundled plan with the default embedder (loads the index once)."""
    from assistant.pipeline import Assistant

    return Assistant(progress=False)


@pytest.fixture(scope="session")
def clauses():
    from assistant.parser import parse_page
    from assistant.settings import Settings

    return parse_page(Settings().source.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def page():
    from assistant.settings import Settings

    return Settings().source.read_text(encoding="utf-8")


# ---------------------------------------------------------------- a small real corpus, ingested once per session

@pytest.fixture(scope="session")
def corpus_embedder():
    """The embedder a corpus index is built and served with (one BLAS thread, as ``ingest`` uses)."""
    from assistant.embedders import make_embedder

    return make_embedder("use-m3", 1)


@pytest.fixture(scope="session")
def laws_index(tmp_path_factory, corpus_embedder) -> Path:
    """tests/data/laws and the plan's page (a document that lists 责任单位), ingested into a corpus index."""
    import shutil

    from assistant.ingest.corpus import ingest
    from assistant.settings import Settings
    from assistant.store.corpus import corpus_tokenizer

    src = tmp_path_factory.mktemp("laws-src")
    for f in LAWS.glob("*.md"):
        shutil.copy(f, src / f.name)
    shutil.copy(Settings().source, src / "行动方案.txt")
    directory = tmp_path_factory.mktemp("laws") / "index"
    report = ingest([src], directory, corpus_embedder, corpus_tokenizer(), progress=False)
    assert report.status == 0 and report.documents == 6, report
    return directory


# ---------------------------------------------------------------- the live server, once per session

class Server:
    """`python app.py` running on a free loopback port, with its log and its own feedback database."""

    def __init__(self, base: str, process: subprocess.Popen, log: Path, feedback: Path):
        self.base, self.process, self.log, self.feedback = base, process, log, feedback

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def feedback_rows(self) -> list[dict]:
        from assistant.server.feedback import SqliteFeedbackStore

        return SqliteFeedbackStore(self.feedback).recent(100) if self.feedback.exists() else []


def start_server(tmp: Path, llm: str, **environ: str):
    """``python app.py`` on a free loopback port, once the assistant is ready (a generator: stops it after).

    ``environ`` adds variables, e.g. ``ASSISTANT_INDEX_DIR`` to serve a corpus index."""
    import httpx

    port = free_port()
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(tmp / "feedback.sqlite3"), "ASSISTANT_LLM": llm,
           "PYTHONUNBUFFERED": "1", "ASSISTANT_RATE_LIMIT": "100000/minute", **environ}
    env.pop("ASSISTANT_ALLOWED_ORIGINS", None)  # the default policy: same origin and localhost
    log = tmp / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    srv = Server(f"http://127.0.0.1:{port}", process, log, tmp / "feedback.sqlite3")
    try:
        deadline = time.time() + START_TIMEOUT_S
        state = None
        while time.time() < deadline:
            if process.poll() is not None:
                pytest.fail(f"python app.py exited with {process.returncode}:\n{srv.log_tail()}")
            try:
                state = httpx.get(srv.base + "/healthz", timeout=2).json()
                if state["assistant"] == "ready":
                    break
                if state["assistant"] == "error":
                    pytest.fail(f"the server could not load the assistant: {state['error']}\n{srv.log_tail()}")
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail(f"the server was not ready after {START_TIMEOUT_S} s (last /healthz: {state}):\n"
                        f"{srv.log_tail()}")
        yield srv
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real server (`python app.py` on 127.0.0.1), ready to answer; shared by the live and README tests."""
    yield from start_server(tmp_path_factory.mktemp("live"), "none")
