"""The HTTP API, the origin policy, the chat's helpers and the feedback store, in process (FastAPI TestClient)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import Headers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from assistant.pipeline import InputError  # noqa: E402
from assistant.server.api import create_api  # noqa: E402
from assistant.server.chat import STRINGS, build_chat, friendly, render_answer, render_citations  # noqa: E402
from assistant.server.feedback import FeedbackError, SqliteFeedbackStore  # noqa: E402
from assistant.server.limits import MAX_BODY_BYTES  # noqa: E402
from assistant.server.origins import OriginPolicy  # noqa: E402
from assistant.server.service import Service  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Answer, Citation  # noqa: E402

IP_QUESTION = "谁负责知识产权保护？"
IP_BUREAUS = ("市市场监管局", "市地方金融局", "市法院")
RECORD_FIELDS = {"id", "question", "answer", "refused", "citations", "latency_ms"}
CITATION_FIELDS = {"id", "path", "title", "bureaus", "quote"}


# ---------------------------------------------------------------- fixtures: one model load per session

@pytest.fixture(scope="session")
def feedback_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"


@pytest.fixture(scope="session")
def service(feedback_db):
    # extractive: exact answers; this session's one test client sends hundreds of requests
    return Service(Settings(feedback_db=feedback_db, llm="none", rate_limit="100000/minute",
                            feedback_rate_limit="100000/minute"))


@pytest.fixture(scope="session")
def client(service):
    """The whole app (API, widget, chat) as `python app.py` serves it, with a temporary feedback database."""
    with TestClient(create_app(service=service)) as c:  # runs the lifespan: the assistant warms up in the background
        yield c


@pytest.fixture(scope="session")
def assistant(service):
    return service.assistant()


def make_client(assistant, **settings) -> TestClient:
    """A client for the API with other settings, sharing the already-loaded assistant."""
    service = Service(Settings().with_(**settings), assistant=assistant)
    return TestClient(create_api(service, warm_up=False))


def post_json(client, path, body, **headers):
    return client.post(path, content=json.dumps(body, ensure_ascii=False).encode(),
                       headers={"Content-Type": "application/json", **headers})


def assert_error(response, status: int, message: str, exact: bool = True):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    if exact:
        assert body["error"] == message
    else:
        assert body["error"].startswith(message), body["error"]


# ---------------------------------------------------------------- import is cheap

def test_importing_app_builds_nothing_and_the_factory_no_assistant(tmp_path):
    # app.py is a factory: importing it wires nothing (not even Gradio); the model loads on first use or warm-up.
    p = subprocess.run([sys.executable, "-c", "import sys, app; print(hasattr(app, 'app'), 'gradio' in sys.modules)"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.split() == ["False", "False"], p.stderr
    service = Service(Settings(feedback_db=tmp_path / "f.db"))
    app = create_app(service=service, warm_up=False)
    assert app.state.service is service and service.loaded is None


def test_a_bad_allowed_origin_stops_the_server_with_one_line(tmp_path):
    env = {**os.environ, "ASSISTANT_ALLOWED_ORIGINS": "https://ok.example.cn, www.example.gov.cn"}
    p = subprocess.run([sys.executable, "app.py", "--port", "1"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == ("error: ASSISTANT_ALLOWED_ORIGINS: 'www.example.gov.cn' is not an origin like "
                        "https://www.example.gov.cn (scheme and host, optional port, no path)\n")


# ---------------------------------------------------------------- POST /api/ask

def test_ask_ip_protection_names_clause_and_bureaus(client):
    r = post_json(client, "/api/ask", {"question": IP_QUESTION})
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    record = r.json()
    assert set(record) == RECORD_FIELDS
    assert record["question"] == IP_QUESTION and record["refused"] is False
    assert record["citations"][0]["title"] == "强化知识产权保护"
    assert set(record["citations"][0]) == CITATION_FIELDS
    for bureau in IP_BUREAUS:
        assert bureau in record["answer"]
    assert isinstance(record["latency_ms"], float) and record["latency_ms"] > 0


def test_ask_record_is_the_assistants_record(client, assistant):
    record = post_json(client, "/api/ask", {"question": IP_QUESTION, "id": "q-1"}).json()
    expected = assistant.ask(IP_QUESTION).to_record("q-1")
    record.pop("latency_ms"), expected.pop("latency_ms")
    assert record == expected


def test_ask_uses_history_for_followups(client):
    body = {"question": "这一条由哪些单位负责？", "history": ["光谷在知识产权方面有什么举措？", "会建知识产权法院吗？"]}
    record = post_json(client, "/api/ask", body).json()
    assert record["citations"][0]["title"] == "强化知识产权保护"
    assert all(b in record["answer"] for b in IP_BUREAUS)


def test_ask_history_of_records_and_messages(client):
    # the earlier answer's citations decide what "它" refers to
    for history in ([{"question": "光谷的医院建设有什么规划？", "citations": [{"id": "2.7.2"}]}],
                    [{"role": "user", "content": "光谷的医院建设有什么规划？"},
                     {"role": "assistant", "content": "…", "citations": ["2.7.2"]}]):
        body = client.post("/api/ask", json={"question": "它由谁负责？", "history": history}).json()
        assert body["citations"][0]["id"] == "2.7.2" and "市卫健委" in body["answer"]


def test_each_answer_is_one_json_log_line_without_the_question(client, caplog, monkeypatch):
    with caplog.at_level("INFO", logger="assistant.answers"):
        post_json(client, "/api/ask", {"question": IP_QUESTION})
        monkeypatch.setenv("ASSISTANT_LOG_QUESTIONS", "1")
        post_json(client, "/api/ask", {"question": IP_QUESTION})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "assistant.answers"]
    assert len(lines) == 2
    first, second = lines
    assert set(first) == {"time", "route", "latency_ms", "refused", "cited", "mode", "lang", "client"}
    assert first["cited"] == ["2.5.2"] and first["refused"] is False and len(first["client"]) == 12
    assert "testclient" not in json.dumps(first) and second["question"] == IP_QUESTION


def test_ask_null_history_means_none(client):
    assert post_json(client, "/api/ask", {"question": IP_QUESTION, "history": None}).status_code == 200


def test_ask_english_and_out_of_scope(client):
    en = post_json(client, "/api/ask", {"question": "Who is responsible for intellectual property protection?"})
    assert en.json()["citations"][0]["title"] == "强化知识产权保护"
    assert "Responsible bureaus" in en.json()["answer"]
    oos = post_json(client, "/api/ask", {"question": "武汉园博园古董相机臻品展的门票多少钱？在哪里办？"}).json()
    assert oos["refused"] is True and oos["citations"] == []


LONG = "知" * 501
BAD_ASK = [
    # (raw body, content type, status, message, exact)
    (b"", "application/json", 400, "the body is empty; send a JSON object", True),
    (b"   \n", "application/json", 400, "the body is empty; send a JSON object", True),
    (b'{"question": ', "application/json", 400, "the body is not valid JSON: Expecting value at line 1 column 14",
     True),
    (b'{"question": "\xff"}', "application/json", 400, "the body is not UTF-8 text", True),
    # JSON's own rule: a byte-order mark says UTF-16, and then this is not JSON
    (b"\xff\xfe{}", "application/json", 400, "the body is not valid JSON: Expecting value at line 1 column 1", True),
    (b"[" * 50_000 + b"]" * 50_000, "application/json", 400, "the body is nested too deeply", True),
    (b'{"question": "x"}', None, 415, "the body must be JSON: send the header Content-Type: application/json", True),
    (b"question=x", "application/x-www-form-urlencoded", 415,
     "the body must be JSON (Content-Type: application/json), not application/x-www-form-urlencoded", True),
    (b'{"question": "x"}', "text/plain", 415, "the body must be JSON (Content-Type: application/json), not text/plain",
     True),
    ('{"question": "x"}'.encode("gbk"), "application/json; charset=gbk", 415, "the body must be UTF-8 JSON, not gbk",
     True),
    (b"[]", "application/json", 422, "the body must be a JSON object, not an array", True),
    (b'"hi"', "application/json", 422, "the body must be a JSON object, not a string", True),
    (b'{"q": "x"}', "application/json", 422, "unknown field 'q'; the fields are question, history, id, documents", True),
    (b"{}", "application/json", 422, "the question is missing", True),
    (b'{"question": null}', "application/json", 422, "the question must be a string, not null", True),
    (b'{"question": 42}', "application/json", 422, "the question must be a string, not a number", True),
    (b'{"question": ["x"]}', "application/json", 422, "the question must be a string, not an array", True),
    (b'{"question": "  "}', "application/json", 422, "the question is empty", True),
    (json.dumps({"question": LONG}).encode(), "application/json", 422,
     "the question is 501 characters long; the limit is 500", True),
    (b'{"question": "a\\u0000b"}', "application/json", 422, "the question contains control characters", True),
    (b'{"question": "x", "history": "earlier"}', "application/json", 422,
     "the history must be a list of earlier turns, not a string", True),
    (b'{"question": "x", "history": ["ok", 3]}', "application/json", 422,
     "history entry 2 must be a string or an object, not a number", True),
    (b'{"question": "x", "history": [""]}', "application/json", 422, "history entry 1 is empty", True),
    (json.dumps({"question": "x", "history": [{"question": "q", "citations": "2.5.2"}]}).encode(), "application/json",
     422, "history entry 1: 'citations' must be a list of clause ids or citation objects", True),
    (json.dumps({"question": "x", "history": [{"role": "bot", "content": "q"}]}).encode(), "application/json",
     422, "history entry 1: 'role' must be 'user' or 'assistant', not 'bot'", True),
    (json.dumps({"question": "x", "history": [{"answer": "q"}]}).encode(), "application/json",
     422, "history entry 1 must have a 'question' (or a 'role' and 'content')", True),
    (json.dumps({"question": "x", "history": ["q"] * 21}).encode(), "application/json", 422,
     "the history has 21 turns; the limit is 20", True),
    (json.dumps({"question": "x", "id": "i" * 201}).encode(), "application/json", 422,
     "the id is 201 characters long; the limit is 200", True),
    (json.dumps({"question": "x", "id": 7}).encode(), "application/json", 422, "the id must be a string, not a number",
     True),
]


@pytest.mark.parametrize("raw,ctype,status,message,exact", BAD_ASK,
                         ids=[f"{s}-{m[:40]}" for _, _, s, m, _ in BAD_ASK])
def test_ask_rejects_bad_bodies_with_one_message(client, raw, ctype, status, message, exact):
    headers = {"Content-Type": ctype} if ctype else {}
    assert_error(client.post("/api/ask", content=raw, headers=headers), status, message, exact)


def test_ask_rejects_oversized_body_by_length(client):
    raw = json.dumps({"question": "x" * (MAX_BODY_BYTES + 10)}).encode()
    assert_error(client.post("/api/ask", content=raw, headers={"Content-Type": "application/json"}), 413,
                 f"the body is {len(raw)} bytes; the limit is {MAX_BODY_BYTES}")


def test_ask_rejects_oversized_chunked_body(client):
    def chunks():  # no Content-Length: the server must count as it reads
        for _ in range(40):
            yield b"x" * 10_000

    r = client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(r, 413, f"the body is over {MAX_BODY_BYTES} bytes; the limit is {MAX_BODY_BYTES}")


def test_wrong_method_and_unknown_path_are_json(client):
    r = client.get("/api/ask")
    assert_error(r, 405, "GET is not allowed on /api/ask; use POST")
    assert r.headers["allow"] == "POST"
    assert_error(client.get("/api/nothing-here"), 404, "no API endpoint at /api/nothing-here; see /docs")
    assert_error(client.delete("/api/clauses/2.5.2"), 405, "DELETE is not allowed on /api/clauses/2.5.2; use GET")
    # outside /api/ too: a path neither the API nor the chat serves
    assert_error(client.get("/nonexistent"), 404,
                 "no page at /nonexistent; the chat is at /, the API under /api/ (see /docs)")
    assert_error(client.delete("/config"), 405, "DELETE is not allowed on /config; use GET")


# ---------------------------------------------------------------- clauses

def test_clause_by_id(client, assistant):
    r = client.get("/api/clauses/2.5.2")
    assert r.status_code == 200
    assert r.json() == assistant.index.by_id["2.5.2"].to_dict()
    assert r.json()["title"] == "强化知识产权保护"


def test_unknown_clause_is_404(client):
    assert_error(client.get("/api/clauses/9.9.9"), 404,
                 "no clause with id '9.9.9'; ids look like 2.5.2 (GET /api/clauses lists them)")


def test_clause_list(client, assistant):
    listed = client.get("/api/clauses").json()
    assert [c["id"] for c in listed] == [c.id for c in assistant.index.clauses]
    assert {"id", "kind", "label", "title", "bureaus"} == set(listed[0])


# ---------------------------------------------------------------- the responsibility map

def test_responsibility_map(client, assistant):
    r = client.get("/api/map")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"document", "bureaus", "tasks", "cells", "counts", "leads"}
    assert body["document"] == {"id": "plan", "title": "促进武汉东湖新技术开发区高质量发展行动方案"}
    assert set(body["tasks"][0]) == {"id", "label", "title", "path", "kind", "bureaus"}
    assert set(body["cells"][0]) == {"bureau", "task", "position", "lead"}
    ip = next(t for t in body["tasks"] if t["title"] == "强化知识产权保护")
    assert ip["id"] == "2.5.2" and ip["label"] == "二、(五) 2. 强化知识产权保护"
    assert {"bureau": "市市场监管局", "task": "2.5.2", "position": 1, "lead": True} in body["cells"]
    assert body["counts"] == {b: len(assistant.index.by_bureau[b]) for b in body["bureaus"]}
    assert list(body["counts"]) == body["bureaus"]
    assert client.get("/api/map", params={"document": "促进武汉东湖新技术开发区高质量发展行动方案"}).json() == body
    assert client.get("/api/map?document=plan").json() == body


def test_responsibility_map_of_an_unknown_document_is_404(client):
    assert_error(client.get("/api/map", params={"document": "另一份文件"}), 404,
                 "no document '另一份文件'; the documents are 'plan' (促进武汉东湖新技术开发区高质量发展行动方案)")
    assert_error(client.get("/api/map", params={"document": "x" * 300}), 422,
                 "the document is 300 characters long; the limit is 200")


# ---------------------------------------------------------------- the documents served: the plan alone

def test_documents_lists_the_plan_as_one_document(client, assistant):
    r = client.get("/api/documents")
    assert r.status_code == 200
    assert r.json() == [{"id": "plan", "title": "促进武汉东湖新技术开发区高质量发展行动方案", "issuer": "", "number": "",
                         "date": "2022-02-21", "kind": "方案", "clauses": len(assistant.index.clauses),
                         "source": "assistant/data/policy_page.txt"}]
    assert client.get("/healthz").json()["documents"] == 1


@pytest.mark.parametrize("documents", [[], ["plan"], ["促进武汉东湖新技术开发区高质量发展行动方案"]])
def test_ask_takes_the_plans_own_id_or_title(client, documents):
    record = post_json(client, "/api/ask", {"question": IP_QUESTION, "documents": documents}).json()
    assert record["citations"][0]["id"] == "2.5.2" and set(record["citations"][0]) == CITATION_FIELDS


def test_ask_rejects_another_document_naming_it(client):
    assert_error(post_json(client, "/api/ask", {"question": IP_QUESTION, "documents": ["plan", "专利法"]}), 422,
                 "no document '专利法'; the documents are 'plan' (促进武汉东湖新技术开发区高质量发展行动方案)")
    assert_error(post_json(client, "/api/ask", {"question": IP_QUESTION, "documents": "plan"}), 422,
                 "the documents must be an array, not a string")
    assert_error(post_json(client, "/api/ask", {"question": IP_QUESTION, "documents": ["x"] * 101}), 422,
                 "there are 101 items in the documents; the limit is 100")


def test_widget_config_of_the_plan(client):
    body = client.get("/api/widget/config").json()
    assert (body["served"], body["documents"]) == (1, [])
    assert body["examples"]["zh"][0] == IP_QUESTION
    assert client.get("/api/widget/config?documents=plan").json()["documents"] == [
        {"id": "plan", "title": "促进武汉东湖新技术开发区高质量发展行动方案"}]
    assert_error(client.get("/api/widget/config?documents=专利法"), 422,
                 "data-documents: no document '专利法'; the documents are 'plan' (促进武汉东湖新技术开发区高质量发展行动方案)")


def test_the_plans_chat_has_no_document_picker(assistant):
    demo = build_chat(Service(Settings(), assistant=assistant))
    assert not [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "documents"]
    assert [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "map"]


# ---------------------------------------------------------------- feedback

def test_feedback_is_stored(client, service):
    record = post_json(client, "/api/ask", {"question": IP_QUESTION}).json()
    body = {"question": IP_QUESTION, "answer": record["answer"], "citations": record["citations"], "verdict": "down"}
    r = post_json(client, "/api/feedback", body)
    assert r.status_code == 201, r.text
    row_id = r.json()["id"]
    assert r.json() == {"id": row_id, "stored": True}
    row = next(x for x in service.feedback.recent() if x["id"] == row_id)
    assert row["verdict"] == "down" and row["source"] == "api" and row["question"] == IP_QUESTION
    assert row["citations"][0]["title"] == "强化知识产权保护" and row["answer"] == record["answer"]
    widget = post_json(client, "/api/feedback", {**body, "verdict": "up", "source": "widget", "citations": ["2.5.2"]})
    assert widget.status_code == 201
    assert service.feedback.recent(1)[0]["source"] == "widget"


GOOD_FEEDBACK = {"question": IP_QUESTION, "answer": "…", "citations": [], "verdict": "up"}
BAD_FEEDBACK = [
    ({**GOOD_FEEDBACK, "verdict": "meh"}, "the verdict must be 'up' or 'down', not 'meh'"),
    ({k: v for k, v in GOOD_FEEDBACK.items() if k != "verdict"}, "the verdict is missing"),
    ({k: v for k, v in GOOD_FEEDBACK.items() if k != "answer"}, "the answer is missing"),
    ({**GOOD_FEEDBACK, "answer": " "}, "the answer is empty"),
    ({**GOOD_FEEDBACK, "answer": "a" * 20_001}, "the answer is 20001 characters long; the limit is 20000"),
    ({**GOOD_FEEDBACK, "question": ""}, "the question is empty"),
    ({**GOOD_FEEDBACK, "question": 1}, "the question must be a string, not a number"),
    ({**GOOD_FEEDBACK, "citations": "2.5.2"}, "the citations must be an array, not a string"),
    ({**GOOD_FEEDBACK, "citations": [1]}, "citations item 1 must be a citation object or a clause id, not a number"),
    ({**GOOD_FEEDBACK, "citations": ["x"] * 51}, "there are 51 items in the citations; the limit is 50"),
    ({**GOOD_FEEDBACK, "source": "chat"}, "the source must be 'api' or 'widget', not 'chat'"),
    ({**GOOD_FEEDBACK, "rating": 5}, "unknown field 'rating'; the fields are question, answer, citations, verdict, "
                                     "source"),
]


@pytest.mark.parametrize("body,message", BAD_FEEDBACK, ids=[m[:40] for _, m in BAD_FEEDBACK])
def test_feedback_rejects_bad_bodies(client, body, message):
    assert_error(post_json(client, "/api/feedback", body), 422, message)


def test_feedback_rejects_non_json(client):
    assert_error(client.post("/api/feedback", content=b"verdict=up"), 415,
                 "the body must be JSON: send the header Content-Type: application/json")


def test_failed_feedback_write_is_reported(assistant, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the database's directory should be")
    with make_client(assistant, feedback_db=blocker / "feedback.sqlite3") as c:
        r = post_json(c, "/api/feedback", GOOD_FEEDBACK)
    assert_error(r, 503, "feedback was not saved: ", exact=False)
    assert str(tmp_path) not in r.json()["error"]  # the reason, without the server's paths


def test_feedback_survives_its_file_being_deleted_and_healthz_reports_it(assistant, tmp_path):
    db = tmp_path / "fb.sqlite3"
    with make_client(assistant, feedback_db=db) as c:
        assert post_json(c, "/api/feedback", GOOD_FEEDBACK).status_code == 201
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"fb.sqlite3{suffix}").unlink(missing_ok=True)
        assert post_json(c, "/api/feedback", GOOD_FEEDBACK).status_code == 201  # the table is made again
        assert c.get("/healthz").json()["feedback"] == "ok"
    assert len(SqliteFeedbackStore(db).recent()) == 1


def test_healthz_reports_an_unavailable_feedback_store_without_paths(assistant, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the database's directory should be")
    with make_client(assistant, feedback_db=blocker / "feedback.sqlite3") as c:
        body = c.get("/healthz").json()
    assert body["feedback"].startswith("unavailable: ") and str(tmp_path) not in json.dumps(body)


# ---------------------------------------------------------------- origins

def test_localhost_origin_gets_cors(client):
    origin = "http://localhost:5173"
    r = post_json(client, "/api/ask", {"question": IP_QUESTION}, Origin=origin)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == origin
    assert "Origin" in r.headers["vary"]


def test_same_origin_is_allowed(client):
    assert post_json(client, "/api/ask", {"question": IP_QUESTION}, Origin="http://testserver").status_code == 200
    proxied = post_json(client, "/api/ask", {"question": IP_QUESTION}, Origin="https://assistant.example.gov.cn",
                        **{"X-Forwarded-Host": "assistant.example.gov.cn"})
    assert proxied.status_code == 200


def test_other_origin_is_refused(client):
    r = post_json(client, "/api/ask", {"question": IP_QUESTION}, Origin="https://evil.example")
    assert_error(r, 403, "the origin https://evil.example is not allowed to use this assistant; its administrator "
                         "can add it to ASSISTANT_ALLOWED_ORIGINS")
    # Readable by the page's script, so the widget can say why it stays hidden.
    assert r.headers["access-control-allow-origin"] == "https://evil.example"
    assert client.get("/api/widget/config", headers={"Origin": "null"}).status_code == 403
    assert client.get("/api/clauses/2.5.2", headers={"Origin": "https://evil.example"}).status_code == 403


def test_preflight(client):
    ok = client.options("/api/ask", headers={"Origin": "http://127.0.0.1:8080", "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "http://127.0.0.1:8080"
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "Content-Type" in ok.headers["access-control-allow-headers"].split(", ")
    refused = client.options("/api/ask", headers={"Origin": "https://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
    assert refused.status_code == 403


def test_widget_script_and_health_are_public(client):
    js = client.get("/widget.js", headers={"Origin": "https://evil.example"})
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "attachShadow" in js.text
    assert client.get("/healthz", headers={"Origin": "https://evil.example"}).status_code == 200


def test_gradio_routes_follow_the_same_policy(client):
    assert client.get("/config", headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.get("/config").status_code == 200


def test_configured_allowlist(assistant):
    allowed = ("https://www.example.gov.cn", "https://*.wuhan.gov.cn", "http://intranet.local:8080/")
    with make_client(assistant, allowed_origins=allowed) as c:
        def status(origin):
            return c.get("/api/widget/config", headers={"Origin": origin}).status_code

        assert status("https://www.example.gov.cn") == 200
        assert status("https://WWW.example.gov.cn/") == 200
        assert status("https://portal.wuhan.gov.cn") == 200
        assert status("https://a.b.wuhan.gov.cn") == 200
        assert status("http://intranet.local:8080") == 200
        assert status("http://localhost:3000") == 200
        assert status("http://www.example.gov.cn") == 403  # scheme matters
        assert status("https://wuhan.gov.cn.evil.example") == 403
        assert status("https://evilwuhan.gov.cn") == 403
        assert status("http://intranet.local:9090") == 403
        csp = c.get("/widget-demo").headers["content-security-policy"]
        assert csp == ("frame-ancestors 'self' http://localhost:* https://localhost:* http://127.0.0.1:* "
                       "https://127.0.0.1:* https://www.example.gov.cn https://*.wuhan.gov.cn http://intranet.local:8080")


def test_allow_everyone(assistant):
    with make_client(assistant, allowed_origins=("*",)) as c:
        assert c.get("/api/widget/config", headers={"Origin": "https://anyone.example"}).status_code == 200
        assert c.get("/widget-demo").headers["content-security-policy"] == "frame-ancestors *"


@pytest.mark.parametrize("entry", ["www.example.gov.cn", "https://example.gov.cn/path", "ftp://example.gov.cn",
                                   "https://*", "https://exa mple.cn"])
def test_bad_allowlist_entry_fails_at_start(entry):
    with pytest.raises(ValueError, match="is not an origin like https://www.example.gov.cn"):
        OriginPolicy([entry])


def test_origin_policy_unit():
    policy = OriginPolicy(["https://portal.example.cn"])
    h = Headers({"host": "assistant.example.cn"})
    assert policy.allows("https://assistant.example.cn", h)  # same origin
    assert policy.allows("https://portal.example.cn", h)
    assert policy.allows("http://127.0.0.1:9999", h)
    assert not policy.allows("null", h)
    assert not policy.allows("https://localhost.evil.example", h)
    assert not policy.allows("https://portal.example.cn.evil.example", h)


def test_pages_carry_frame_ancestors(client):
    expected = ("frame-ancestors 'self' http://localhost:* https://localhost:* http://127.0.0.1:* "
                "https://127.0.0.1:*")
    for path in ("/", "/widget-demo"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert r.headers["content-security-policy"] == expected
        assert r.headers["x-content-type-options"] == "nosniff"


# ---------------------------------------------------------------- health, docs, widget files

def test_healthz_reports_ready(client):
    deadline = time.time() + 60
    while (body := client.get("/healthz").json())["assistant"] == "loading" and time.time() < deadline:
        time.sleep(0.2)
    assert body["status"] == "ok" and body["assistant"] == "ready" and body["clauses"] == 30
    assert body["llm"] == "none" and body["index"] == "stored"


def test_a_client_over_its_limit_gets_429_and_others_are_unaffected(tmp_path):
    settings = Settings(feedback_db=tmp_path / "f.db", rate_limit="3/minute", feedback_rate_limit="1/minute",
                        trusted_proxies=("127.0.0.9",))
    with TestClient(create_api(Service(settings), warm_up=False)) as c:
        ok = [post_json(c, "/api/ask", {"question": IP_QUESTION}).status_code for _ in range(3)]
        over = post_json(c, "/api/ask", {"question": IP_QUESTION})
        assert ok == [200, 200, 200] and over.status_code == 429
        assert 1 <= int(over.headers["Retry-After"]) <= 60
        assert over.json() == {"error": f"too many requests from this client: the limit is 3/minute; try again in "
                                        f"{over.headers['Retry-After']} s"}
        # the chat's question events share the limit; the clause pages are not limited
        assert c.post("/gradio_api/queue/join", json={}).status_code == 429
        assert c.get("/api/clauses/2.5.2").status_code == 200
        # feedback has its own limit
        fb = {"question": IP_QUESTION, "answer": "…", "citations": ["2.5.2"], "verdict": "up"}
        assert [post_json(c, "/api/feedback", fb).status_code for _ in range(2)] == [201, 429]
        # uploads to the chat are refused: it takes no files
        up = c.post("/gradio_api/upload", files={"files": ("a.txt", b"x" * 100)})
        assert up.status_code == 403 and up.json() == {"error": "uploads are disabled: the chat takes no files"}


def test_rate_limited_client_is_the_forwarded_one_only_behind_a_trusted_proxy():
    from assistant.server.limits import RateLimits

    limits = RateLimits("1/minute", "1/minute", ("10.0.0.1",))

    def scope(peer, forwarded=None):
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return {"type": "http", "client": (peer, 1234), "headers": headers}

    assert limits.check("/api/ask", "198.51.100.1")[0] and not limits.check("/api/ask", "198.51.100.1")[0]
    assert limits.check("/api/ask", "198.51.100.2")[0]  # another client is unaffected
    assert limits.client(scope("203.0.113.5", "1.2.3.4")) == "203.0.113.5"  # not a proxy: its header is ignored
    assert limits.client(scope("10.0.0.1", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert limits.client(scope("10.0.0.1", "198.51.100.7, 10.0.0.1")) == "198.51.100.7"
    with pytest.raises(ValueError, match="ASSISTANT_RATE_LIMIT must be a rate such as 60/minute, not 'fast'"):
        RateLimits("fast", "1/minute")
    with pytest.raises(ValueError, match="ASSISTANT_TRUSTED_PROXIES: 'proxy.local' is not an IP address"):
        RateLimits("1/minute", "1/minute", ("proxy.local",))


def test_history_cost_is_limited(client):
    within = ["知识产权保护" * 40] * 12  # 12 turns of 240 characters: 2,880 in all
    assert post_json(client, "/api/ask", {"question": "它由谁负责？", "history": within}).status_code == 200
    r = post_json(client, "/api/ask", {"question": "它由谁负责？", "history": ["知识产权保护" * 80] * 7})
    assert r.status_code == 422 and r.json()["error"] == "the history holds 3360 characters; the limit is 3000"


def test_a_full_model_queue_is_a_503_with_retry_after(assistant, tmp_path):
    from types import SimpleNamespace

    from assistant.generate import GenerativeComposer, ModelQueue
    from assistant.pipeline import Assistant

    class NeverFree:
        """A model whose turn is always taken (as when four questions already wait)."""

        def stream(self, messages, **kwargs):
            yield SimpleNamespace(content="", response_metadata={}, usage_metadata=None)

    queue = ModelQueue(size=0, wait=1)
    queue._lock.acquire()  # another request is generating
    composer = GenerativeComposer(NeverFree(), assistant.extractive, "local", queue=queue)
    busy = Assistant(assistant.settings, index=assistant.index, composer=composer, progress=False)
    service = Service(Settings(feedback_db=tmp_path / "f.db"), assistant=busy)
    with TestClient(create_api(service, warm_up=False)) as c:
        r = post_json(c, "/api/ask", {"question": IP_QUESTION})
        assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 1
        assert r.json()["error"].startswith("the model is busy")
        # a question the model would not answer is served at once
        assert post_json(c, "/api/ask", {"question": "明天武汉天气怎么样？"}).json()["refused"] is True


def test_healthz_reports_an_index_served_from_memory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    service = Service(Settings(index_dir=blocker / "index", feedback_db=tmp_path / "f.db"))
    with TestClient(create_api(service, warm_up=False)) as c:
        first = post_json(c, "/api/ask", {"question": IP_QUESTION})
        second = post_json(c, "/api/ask", {"question": IP_QUESTION})
        body = c.get("/healthz").json()
    assert first.status_code == second.status_code == 200  # built once, in memory, and served
    assert body["index"] == "in memory: the index folder is not writable"


def test_healthz_reports_a_broken_index(tmp_path):
    broken = Settings(source=tmp_path / "missing.txt", index_dir=tmp_path / "index", feedback_db=tmp_path / "f.db")
    service = Service(broken)
    with TestClient(create_api(service, warm_up=False)) as c:
        assert_error(post_json(c, "/api/ask", {"question": IP_QUESTION}), 503,
                     "the assistant could not be loaded: ", exact=False)
        r = c.get("/healthz")
    assert r.status_code == 503 and r.json()["assistant"] == "error"


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/clauses", "/api/clauses/{clause_id}", "/api/map", "/api/feedback",
            "/healthz"} <= set(spec["paths"])
    ask = spec["paths"]["/api/ask"]["post"]
    schemas = spec["components"]["schemas"]

    def resolve(schema):
        return schemas[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema

    assert "question" in resolve(ask["requestBody"]["content"]["application/json"]["schema"])["properties"]
    record = resolve(ask["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(record["properties"]) == RECORD_FIELDS  # the one Record of assistant.types
    assert {"400", "413", "415", "422"} <= set(ask["responses"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text and "swagger" in docs.text.lower()


def test_widget_demo_embeds_with_one_tag(client):
    page = client.get("/widget-demo").text
    assert '<script src="/widget.js" data-title="政策问答" data-lang="zh"' in page


# ---------------------------------------------------------------- the chat's helpers

@pytest.mark.parametrize("error,lang,expected", [
    (InputError("empty", what="the question"), "zh", "请先输入问题。"),
    (InputError("empty", what="the question"), "en", "Please type a question first."),
    (InputError("too_long", what="the question", n=600, limit=500), "zh", "问题太长了（600 字），请精简到 500 字以内再问。"),
    (InputError("too_long", what="the question", n=600, limit=500), "en",
     "That question is too long (600 characters); please keep it under 500."),
    (InputError("control", what="the question"), "zh", "问题里有无法识别的控制字符，请删除后再试。"),
    (InputError("not_text", what="the question", kind="null"), "en", "The question must be text."),
    (InputError("history_turns", n=21, limit=20), "en",
     "This question cannot be handled: the history has 21 turns; the limit is 20"),
])
def test_chat_words_input_errors_by_code(error, lang, expected):
    assert friendly(error, lang) == expected


def test_citation_panel_escapes_and_shows_bureaus():
    turn = {"refused": False, "citations": [{"id": "1", "path": "一、A > <b>", "title": "<script>x</script>",
                                             "bureaus": ["市法院"], "quote": "a & b"}]}
    panel = render_citations(turn, "zh")
    assert "<script>" not in panel and "&lt;script&gt;" in panel and "a &amp; b" in panel
    assert '<span class="chip" title="市法院">市法院</span>' in panel and "一、A › &lt;b&gt;" in panel
    assert '<article class="cite" id="cite-1"' in panel and "<h2" in panel and "<h3" in panel  # h1 › h2 › h3
    assert "方案没有涉及" in render_citations({"refused": True, "citations": []}, "zh")
    assert "Cited clauses" in render_citations(None, "en")


def test_citation_markers_become_links_to_their_cards():
    ids = {"2.5.2", "2.5.3"}
    assert render_answer("[2.5.2] 由市法院负责。【2.5.3】另见。", ids) == \
        "[\\[2.5.2\\]](#cite-2.5.2) 由市法院负责。[\\[2.5.3\\]](#cite-2.5.3)另见。"
    assert render_answer("[2.5.2, 2.5.3] x", ids) == "[\\[2.5.2\\]](#cite-2.5.2)[\\[2.5.3\\]](#cite-2.5.3) x"
    assert render_answer("[9.9] [注] 2025年", ids) == "[9.9] [注] 2025年"  # no card to link to: left as written


class FakeStreamingAssistant:
    """ask_stream yields text, then the Answer (the service's contract, without a model)."""

    def __init__(self, real):
        self.real = real
        self.index = real.index

    def ask(self, question, history=()):
        return self.real.ask(question, history)

    def ask_stream(self, question, history=()):
        answer = self.real.ask(question, history)  # validates first, like the real one will
        for i in range(0, len(answer.text), 7):
            yield answer.text[i:i + 7]
        yield answer


def test_service_streams_only_in_a_generative_mode(assistant):
    fake = FakeStreamingAssistant(assistant)
    streamed = list(Service(Settings(llm="local"), assistant=fake).stream(IP_QUESTION))
    assert len(streamed) > 2 and all(isinstance(x, str) for x in streamed[:-1])
    assert isinstance(streamed[-1], Answer) and "".join(streamed[:-1]) == streamed[-1].text
    once = list(Service(Settings(llm="none"), assistant=fake).stream(IP_QUESTION))
    assert len(once) == 1 and isinstance(once[0], Answer)
    plain = list(Service(Settings(llm="none"), assistant=assistant).stream(IP_QUESTION))
    assert len(plain) == 1 and plain[0].mode == "extractive"  # extractive: the whole answer at once


GROUNDED = "[2.5.2] 知识产权保护由市市场监管局、市地方金融局、市法院负责。[2.5.2] 要推动建立武汉知识产权法院。"
UNGROUNDED = "[2.5.2] 知识产权保护由市教育局负责。[2.5.2] 每家企业补贴100万元。"


def generative(assistant, reply: str, queue=None) -> Service:
    """A service in a generative mode whose model (test_llm.FakeChat) streams ``reply``."""
    from assistant.generate import GenerativeComposer
    from assistant.pipeline import Assistant
    from test_llm import FakeChat

    settings = Settings(llm="local")
    composer = GenerativeComposer(FakeChat(reply), assistant.extractive, "local", queue=queue)
    return Service(settings, assistant=Assistant(settings, index=assistant.index, composer=composer,
                                                 progress=False))


def test_draft_says_whether_the_model_will_write(assistant):
    service = generative(assistant, GROUNDED)
    draft = service.draft(IP_QUESTION)
    assert draft.answer.mode == "extractive" and draft.model_follows
    assert draft.answer.text == assistant.ask(IP_QUESTION).text
    assert not service.draft("帮我写一首诗").model_follows  # declined: the model is never asked
    assert not service.draft("市教育局负责哪些任务？").model_follows  # counted over the whole plan
    with pytest.raises(InputError):
        service.draft("   ")


def _chat_fn(demo, name):
    return next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == name)


def test_chat_shows_the_extractive_answer_at_once_then_the_models_beneath(assistant):
    respond = _chat_fn(build_chat(generative(assistant, GROUNDED)), "respond")
    updates = list(respond(IP_QUESTION, [], "zh"))
    extractive = assistant.ask(IP_QUESTION).text
    first = updates[0][0]
    assert first[0] == {"role": "user", "content": IP_QUESTION}
    assert first[1]["content"].startswith(extractive) and STRINGS["zh"]["writing"] in first[1]["content"]
    assert "强化知识产权保护" in updates[0][3]  # the draft's citations, at once
    beneath = [u[0][-1]["content"].partition(STRINGS["zh"]["writing"])[2] for u in updates[1:-1]]
    assert len(beneath) > 2 and all(len(a) <= len(b) for a, b in zip(beneath, beneath[1:])) and beneath[-1]
    assert all(u[0][-1]["content"].startswith(extractive) for u in updates[1:-1])
    chat, box, turns, panel, shown = updates[-1]
    assert chat[-1]["content"] == render_answer(GROUNDED, {"2.5.2"})  # the model's answer replaced the draft
    assert "(#cite-2.5.2)" in chat[-1]["content"] and STRINGS["zh"]["writing"] not in chat[-1]["content"]
    assert turns[0]["answer"] == GROUNDED and turns[0]["citations"][0]["title"] == "强化知识产权保护"
    assert shown == 0 and all(b in panel for b in IP_BUREAUS)


def test_chat_keeps_the_extractive_answer_when_the_guard_rejects_the_model(assistant):
    respond = _chat_fn(build_chat(generative(assistant, UNGROUNDED)), "respond")
    updates = list(respond(IP_QUESTION, [], "zh"))
    extractive = assistant.ask(IP_QUESTION).text
    assert all("市教育局" not in u[0][-1]["content"] for u in updates)  # nothing ungrounded is ever shown
    chat, _, turns, _, _ = updates[-1]
    assert chat[-1]["content"] == extractive and turns[0]["answer"] == extractive


def test_chat_keeps_the_extractive_answer_when_the_model_is_busy(assistant):
    from assistant.generate import ModelQueue

    queue = ModelQueue(size=0)
    queue._lock.acquire()  # another answer is being written, and no one may wait
    respond = _chat_fn(build_chat(generative(assistant, GROUNDED, queue)), "respond")
    updates = list(respond(IP_QUESTION, [], "en"))
    chat, box, turns, _, _ = updates[-1]
    assert chat[-1]["content"] == assistant.ask(IP_QUESTION).text and len(turns) == 1
    assert box != IP_QUESTION  # answered: the box is left alone


def test_chat_answers_at_once_without_a_generative_mode(assistant):
    respond = _chat_fn(build_chat(Service(Settings(), assistant=assistant)), "respond")
    updates = list(respond(IP_QUESTION, [], "en"))
    assert len(updates) == 1
    chat, _, turns, panel, shown = updates[0]
    assert [m["role"] for m in chat] == ["user", "assistant"] and chat[1]["content"] == turns[0]["answer"]
    assert "Cited clauses" in panel and "市法院" in panel and shown == 0


def test_chat_keeps_bad_questions_out_of_the_conversation(assistant):
    respond = _chat_fn(build_chat(Service(Settings(), assistant=assistant)), "respond")
    turns = [assistant.ask(IP_QUESTION).to_record()]
    with pytest.warns(UserWarning, match="请先输入问题。"):
        updates = list(respond("   ", turns, "zh"))
    assert len(updates) == 1
    chat, box, kept, _, _ = updates[0]
    assert len(chat) == 2 and box == "   " and kept == turns  # the question shown at once is taken back
    idle = list(respond(None, turns, "zh"))  # asked while an answer was coming: nothing changes
    assert len(idle) == 1 and all(u == {"__type__": "update"} for u in idle[0])


def test_chat_says_when_the_assistant_is_unavailable(tmp_path):
    broken = Service(Settings(source=tmp_path / "missing.txt", index_dir=tmp_path / "i", feedback_db=tmp_path / "f"))
    respond = _chat_fn(build_chat(broken), "respond")
    with pytest.warns(UserWarning, match="The Q&A service is unavailable"):
        list(respond(IP_QUESTION, [], "en"))


def test_chat_feedback_failure_is_shown(assistant, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    service = Service(Settings(feedback_db=blocker / "db.sqlite3"), assistant=assistant)
    on_like = _chat_fn(build_chat(service), "on_like")
    import gradio as gr

    turns = [{"question": IP_QUESTION, "answer": "a", "citations": [], "refused": False}]
    data = gr.LikeData(None, {"index": 1, "value": "a", "liked": True})
    with pytest.warns(UserWarning, match="反馈没有保存成功"):
        on_like(turns, "zh", data)


# ---------------------------------------------------------------- the feedback store

def test_store_uses_wal_and_round_trips(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "sub" / "fb.sqlite3")
    cit = Citation("2.5.2", "二、 > 2.", "强化知识产权保护", ("市法院",), "q").to_dict()
    row = store.add(IP_QUESTION, "答", [cit], "up", source="widget")
    assert store.journal_mode() == "wal"
    got = store.recent()
    assert len(got) == 1 and got[0]["id"] == row
    assert got[0]["citations"] == [cit] and got[0]["verdict"] == "up" and got[0]["source"] == "widget"
    assert got[0]["created_at"].endswith("+00:00")
    with sqlite3.connect(tmp_path / "sub" / "fb.sqlite3") as conn:  # readable by any SQLite client
        assert conn.execute("SELECT question, answer FROM feedback").fetchone() == (IP_QUESTION, "答")


def test_store_rejects_unknown_verdict_and_source(tmp_path):
    store = SqliteFeedbackStore(tmp_path / "fb.sqlite3")
    with pytest.raises(ValueError, match="verdict must be one of up, down, not 'meh'"):
        store.add("q", "a", [], "meh")
    with pytest.raises(ValueError, match="source must be one of chat, widget, api, not 'x'"):
        store.add("q", "a", [], "up", source="x")


def test_store_reports_unwritable_database(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(FeedbackError, match=r"^feedback was not saved: cannot create the database's folder \(file exists\)$"):
        SqliteFeedbackStore(blocker / "fb.sqlite3").add("q", "a", [], "up")
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackError, match="^feedback was not saved: file is not a database$"):
        SqliteFeedbackStore(corrupt).add("q", "a", [], "up")


def test_a_full_disk_is_said_so(tmp_path):
    import errno

    store = SqliteFeedbackStore(tmp_path / "fb.sqlite3")
    assert store._reason(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    assert store._reason(sqlite3.OperationalError("database or disk is full")) == "the disk is full"
    assert store._reason(sqlite3.OperationalError("database is locked")) == "database is locked"


def test_chat_shows_the_responsibility_map_in_the_interface_language(assistant):
    demo = build_chat(Service(Settings(), assistant=assistant))
    panel = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "map-panel")
    assert "市市场监管局" in panel.value and 'href="#clause-2.5.2"' in panel.value
    switch = _chat_fn(demo, "switch_language")
    outputs = switch("English", [], None)
    label, english_map = outputs[-2], outputs[-1]
    assert label["label"] == STRINGS["en"]["map"]
    assert "<caption" in english_map and "Lead" in english_map
