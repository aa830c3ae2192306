"""The Store contract on every backend: FAISS, Milvus Lite in-process, and `milvus-lite server` over gRPC."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port

BACKENDS = ["faiss", "milvus-lite", "milvus-server"]
ASKED = [  # question -> the clause the answer must cite first (tests/data/laws and the plan's page)
    ("专利代理机构的组织形式是什么？", "专利代理条例(2018-11-06):a7"),
    ("谁负责管理全国的专利工作？", "专利法(2020-10-17):a3"),
    ("专利法第二条是怎么规定的？", "专利法(2020-10-17):a2"),
    ("谁负责强化知识产权保护？", "行动方案:2.5.2"),
    ("刑法修正案（七）第十五条说了什么？", "刑法修正案（七）:15"),
]
OFF_TOPIC = "今天天气怎么样？"
START_TIMEOUT_S = 60


class MilvusServer:
    """``milvus-lite server`` on 127.0.0.1 and a free port (its default host is every interface), over gRPC."""

    def __init__(self, data: Path):
        self.data = data
        self.port = free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.data.parent / f"{self.data.name}.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(self.data),
                                         "--host", "127.0.0.1", "--port", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT)
        from pymilvus import MilvusClient

        deadline = time.time() + START_TIMEOUT_S
        while time.time() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"milvus-lite server exited with {self.process.returncode}")
            try:
                MilvusClient(uri=self.uri, timeout=2).list_collections()
                return
            except Exception:  # not listening yet
                time.sleep(0.3)
        self.stop()
        pytest.fail(f"milvus-lite server did not answer on {self.uri} within {START_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture(scope="session")
def milvus_server(tmp_path_factory):
    server = MilvusServer(tmp_path_factory.mktemp("milvus-server") / "data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lite_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("milvus-lite") / "store.db"


def spec_for(backend: str, lite_path: Path, milvus_server) -> str:
    if backend == "faiss":
        return "faiss"
    if backend == "milvus-lite":
        return f"milvus-lite:{lite_path}"
    return f"milvus://127.0.0.1:{milvus_server.port}"


@pytest.fixture(scope="session")
def filled(laws_index, lite_path, request):
    """The ASSISTANT_STORE value of each backend, its collection copied from ``laws_index`` once."""
    from assistant.store.base import parse_store
    from assistant.store.transfer import copy_index

    done = {}

    def get(backend: str) -> str:
        if backend not in done:
            server = request.getfixturevalue("milvus_server") if backend == "milvus-server" else None
            spec = spec_for(backend, lite_path, server)
            if backend != "faiss":
                copy_index(laws_index, parse_store(spec))
            done[backend] = spec
        return done[backend]

    return get


def assistant_on(index: Path, spec: str, embedder):
    from assistant.corpus_assistant import CorpusAssistant, corpus_texts
    from assistant.settings import Settings
    from assistant.store.corpus import load_store

    store = load_store(index, embedder, corpus_texts()["places"], spec)
    return CorpusAssistant(Settings(index_dir=index, store=spec), store=store)


@pytest.fixture(scope="session")
def assistants(laws_index, filled, corpus_embedder):
    cache = {}

    def get(backend: str):
        if backend not in cache:
            cache[backend] = assistant_on(laws_index, filled(backend), corpus_embedder)
        return cache[backend]

    return get


# ---------------------------------------------------------------- answers through each backend

@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("question, clause", ASKED)
def test_every_backend_cites_the_article(assistants, backend, question, clause):
    answer = assistants(backend).ask(question)
    assert not answer.refused and answer.citations[0].id == clause


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_refuses_what_no_document_covers(assistants, backend):
    answer = assistants(backend).ask(OFF_TOPIC)
    assert answer.refused and not answer.citations


@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_milvus_scores_as_faiss_does(assistants, backend):
    """Same candidates' dense and BM25 scores (Milvus proposes its own BM25 candidates; the formula is bm25s')."""
    faiss_hits = assistants("faiss").store.search(_query(assistants("faiss"), "专利代理机构的组织形式是什么？"))
    milvus_hits = assistants(backend).store.search(_query(assistants(backend), "专利代理机构的组织形式是什么？"))
    a = {h.clause.id: (h.dense, h.bm25) for h in faiss_hits.hits[:5]}
    b = {h.clause.id: (h.dense, h.bm25) for h in milvus_hits.hits[:5]}
    assert list(a) == list(b)
    for cid in a:
        assert a[cid] == pytest.approx(b[cid], rel=1e-4, abs=1e-4), cid
    assert milvus_hits.coverage == pytest.approx(faiss_hits.coverage)


def _query(assistant, question):
    from assistant.retrieval import analyze
    from assistant.text import detect_lang

    return analyze(question, assistant.lexicon, assistant.store.bureaus, assistant.store.tokenize,
                   rules=assistant.rules, lang=detect_lang(question), english_lexicon=False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_answers_from_one_document(assistants, backend):
    """The document filter: the plan's question asked of the patent law alone cites that law only."""
    a = assistants(backend)
    answer = a.ask("谁负责强化知识产权保护？", documents=a.store.resolve(["专利法"]))
    assert {c.document for c in answer.citations} <= {"中华人民共和国专利法"}


# ---------------------------------------------------------------- the contract on a store of its own

@pytest.fixture
def own_index(laws_index, tmp_path) -> Path:
    """A copy of the laws index in a folder of its own (so its own collection, changed freely)."""
    shutil.copytree(laws_index, tmp_path / "index")
    return tmp_path / "index"


def _open(index: Path, spec: str):
    from assistant.store.base import parse_store
    from assistant.store.corpus import open_backend, read_manifest, read_clauses
    from assistant.store.base import clause_key

    manifest = read_manifest(index)
    clauses = [c for d in manifest["documents"] for c in read_clauses(index, d["id"])]
    return open_backend(parse_store(spec), index, manifest, [clause_key(c.document, c.id) for c in clauses],
                        [c.document for c in clauses]), manifest


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_delete_and_filter_by_document(own_index, backend, lite_path, request, corpus_embedder):
    from assistant.store.base import clause_key, parse_store
    from assistant.store.corpus import tokens_file
    from assistant.store.transfer import copy_index, document_rows
    from assistant.types import Document

    server = request.getfixturevalue("milvus_server") if backend == "milvus-server" else None
    spec = spec_for(backend, lite_path, server)
    if backend != "faiss":
        copy_index(own_index, parse_store(spec))
    store, manifest = _open(own_index, spec)
    total = manifest["clauses"]
    assert store.count() == total
    patent = Document(**next(d for d in manifest["documents"] if d["title"] == "中华人民共和国专利法"))
    doc_id, ids, texts, tokens, vectors = document_rows(own_index, patent)
    a3 = ids.index("专利法(2020-10-17):a3")
    key = clause_key(doc_id, ids[a3])
    # a clause's own vector finds it first; its own tokens find it by BM25
    assert next(iter(store.dense(vectors[a3], 5))) == key
    assert key in store.bm25([(tokens[a3], 1.0)], 10)
    assert store.vectors([key])[0] == pytest.approx(vectors[a3], abs=1e-6)
    # filtered to another document, neither channel returns a patent clause
    plan = "行动方案"  # the plan page, as ingested by conftest's laws_index
    plan_keys = {clause_key(plan, c) for c in _ids(own_index, plan)}
    assert set(store.dense(vectors[a3], 10, [plan])) <= plan_keys
    assert set(store.bm25([(["专利", "管理", "工作"], 1.0)], 10, [plan])) <= plan_keys
    # delete by document, then add it back
    assert store.delete(doc_id) == len(ids)
    assert store.delete(doc_id) == 0
    assert store.count() == total - len(ids)
    assert key not in store.dense(vectors[a3], 20) and key not in store.bm25([(tokens[a3], 1.0)], 20)
    df_before = store.vocabulary().get("专利权", 0)
    store.add(doc_id, ids, texts, tokens, vectors)
    store.flush()
    assert store.count() == total
    assert next(iter(store.dense(vectors[a3], 5))) == key
    assert store.vocabulary()["专利权"] > df_before
    assert len(tokens) == len(ids) and tokens_file(own_index, doc_id).exists()
    store.close()


def _ids(index: Path, doc_id: str) -> list[str]:
    from assistant.store.corpus import read_clauses

    return [c.id for c in read_clauses(index, doc_id)]


def test_reopen_after_the_server_restarts(laws_index, filled, milvus_server, corpus_embedder):
    spec = filled("milvus-server")
    milvus_server.stop()
    milvus_server.start()  # same data folder, same port
    reopened = assistant_on(laws_index, spec, corpus_embedder)
    for question, clause in ASKED:
        assert reopened.ask(question).citations[0].id == clause, question


def test_a_lite_file_open_in_another_process_is_named(laws_index, filled):
    """Milvus Lite serves one process per .db (this one holds it): the error names the setting and the way out."""
    spec = filled("milvus-lite")
    run = subprocess.run([sys.executable, "-m", "assistant", "ask", "--index-dir", str(laws_index), ASKED[0][0]],
                         env={**_env(), "ASSISTANT_STORE": spec}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "another process holds it" in run.stderr, run.stderr[-2000:]


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if k != "ASSISTANT_STORE"}


# ---------------------------------------------------------------- the setting, the copy and the ingest

@pytest.mark.parametrize("value, kind, uri", [
    ("", "faiss", ""), ("faiss", "faiss", ""),
    ("milvus-lite:/tmp/x.db", "milvus", "/tmp/x.db"),
    ("milvus://db.example:19531", "milvus", "http://db.example:19531"),
    ("milvus://127.0.0.1", "milvus", "http://127.0.0.1:19530"),
    ("https://in01.example.com:443", "milvus", "https://in01.example.com:443"),
])
def test_store_setting_forms(value, kind, uri):
    from assistant.store.base import parse_store

    spec = parse_store(value)
    assert (spec.kind, spec.uri) == (kind, uri)


@pytest.mark.parametrize("value", ["milvus", "milvus-lite:/tmp/x", "redis://h:1", "elastic"])
def test_a_bad_store_setting_is_named(value, monkeypatch):
    from assistant.settings import from_env

    monkeypatch.setenv("ASSISTANT_STORE", value)
    with pytest.raises(ValueError, match="^ASSISTANT_STORE"):
        from_env()


def test_cli_store_copy_then_ingest_keeps_the_collection_in_step(tmp_path):
    """`store copy` fills Milvus Lite from the folder; a later `ingest` with ASSISTANT_STORE set adds the new
    document to the collection too; `ask` then cites it through Milvus. Each command is a new process that reopens
    the Lite file: what it holds survives a restart."""
    from conftest import LAWS

    src = tmp_path / "src"
    src.mkdir()
    laws = sorted(LAWS.glob("*.md"))
    shutil.copy(laws[0], src / laws[0].name)
    index, db = tmp_path / "index", tmp_path / "store.db"
    env = _env()

    def cli(*args, store=None):
        e = {**env, **({"ASSISTANT_STORE": store} if store else {})}
        return subprocess.run([sys.executable, "-m", "assistant", *args], env=e, capture_output=True, text=True,
                              timeout=600, cwd=Path(__file__).resolve().parent.parent)

    r = cli("ingest", str(src), "--index-dir", str(index), "--quiet")
    assert r.returncode == 0, r.stderr[-2000:]
    r = cli("store", "copy", "--index-dir", str(index), "--to", f"milvus-lite:{db}", "--quiet")
    assert r.returncode == 0 and "1 documents" in r.stdout, r.stderr[-2000:]
    r = cli("store", "copy", "--index-dir", str(index), "--to", "faiss")
    assert r.returncode == 2 and "error: --to must name a Milvus store" in r.stderr
    shutil.copy(laws[1], src / laws[1].name)  # 专利法
    r = cli("ingest", str(src), "--index-dir", str(index), "--quiet", store=f"milvus-lite:{db}")
    assert r.returncode == 0 and "added 1" in r.stdout, r.stderr[-2000:]
    r = cli("ask", "--json", "--index-dir", str(index), "谁负责管理全国的专利工作？", store=f"milvus-lite:{db}")
    assert r.returncode == 0 and '"id": "专利法(2020-10-17):a3"' in r.stdout, r.stderr[-2000:]
    r = cli("ask", "--index-dir", str(index), "谁负责管理全国的专利工作？", store="milvus-lite:nowhere")
    assert r.returncode == 2 and "ASSISTANT_STORE milvus-lite:PATH needs a PATH ending in .db" in r.stderr
