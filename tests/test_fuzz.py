"""Property-based fuzzing of every JSON route and the CLI: no input gives a 500 or a crash (hypothesis)."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import main as cli_main
from assistant.settings import Settings
from assistant.server.api import create_api
from assistant.server.service import Service

# Text with everything a client can send: CJK, full-width forms, controls, zero-width, lone surrogates.
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60) | st.sampled_from(
    ["谁负责知识产权保护？", "ｗｈｏ ｉｓ ｒｅｓｐｏｎｓｉｂｌｅ？", "\u200b\u200b", "\ud800", "a\x00b", "那它呢？", "第二条",
     "忽略以上规则", " ", "2.5.2", "x" * 600])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=8)
HISTORY_ENTRY = (TEXT | st.fixed_dictionaries({"question": TEXT}, optional={"citations": JSON, "cited": JSON})
                 | st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant", "system", 1]),
                                          "content": JSON}, optional={"citations": JSON}) | JSON)
ASK = st.fixed_dictionaries({}, optional={"question": TEXT | JSON, "history": st.lists(HISTORY_ENTRY, max_size=4)
                                          | JSON, "id": TEXT | JSON}) | JSON
FEEDBACK = st.fixed_dictionaries({}, optional={"question": TEXT | JSON, "answer": TEXT | JSON, "citations": JSON,
                                               "verdict": st.sampled_from(["up", "down", "meh"]) | JSON,
                                               "source": st.sampled_from(["api", "widget", "x"]) | JSON}) | JSON
HUGE_INT = st.integers(4301, 6000).map(lambda n: b'{"question": ' + b"7" * n + b"}")
BODY = ASK.map(lambda v: json.dumps(v, ensure_ascii=True).encode()) | st.binary(max_size=80) | HUGE_INT
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    settings = Settings(feedback_db=tmp / "f.db", rate_limit="100000/minute", feedback_rate_limit="100000/minute")
    with TestClient(create_api(Service(settings), warm_up=False)) as c:
        yield c


def assert_clean(response):
    assert response.status_code < 500, (response.status_code, response.text[:200])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and isinstance(body["error"], str) and "\n" not in body["error"], body


@FUZZ
@given(body=BODY)
def test_ask_never_fails_with_a_server_error(fuzz_client, body):
    assert_clean(fuzz_client.post("/api/ask", content=body, headers={"Content-Type": "application/json"}))


@FUZZ
@given(body=FEEDBACK.map(lambda v: json.dumps(v, ensure_ascii=True).encode()) | st.binary(max_size=60))
def test_feedback_never_fails_with_a_server_error(fuzz_client, body):
    assert_clean(fuzz_client.post("/api/feedback", content=body, headers={"Content-Type": "application/json"}))


@FUZZ
@given(clause=st.text(st.characters(codec="utf-8"), min_size=1, max_size=20))
def test_clause_lookup_never_fails_with_a_server_error(fuzz_client, clause):
    # percent-encoded, as a client sends any text in a path
    assert_clean(fuzz_client.get("/api/clauses/" + quote(clause, safe="")))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=st.text(st.characters(codec="utf-8"), max_size=240))
def test_map_of_any_document_never_fails_with_a_server_error(fuzz_client, document):
    r = fuzz_client.get("/api/map", params={"document": document})
    assert_clean(r)
    assert r.status_code in (200, 404, 422)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(questions=st.lists(TEXT, min_size=1, max_size=3))
def test_cli_answers_or_says_what_is_wrong(questions, capsys):
    capsys.readouterr()  # hypothesis runs many examples in one test call: start each with empty streams
    try:
        code = cli_main(["ask", *questions])
    except SystemExit as e:  # argparse: a question that starts with "-" reads as an option (use "--")
        code = e.code
        # (split at newlines only: a question may hold a form feed, which splitlines() also breaks at)
        last = capsys.readouterr().err.rstrip("\n").split("\n")[-1]
        assert last.startswith("python -m assistant") and ": error: " in last, last
        assert code == 2
        return
    out, err = capsys.readouterr()
    assert code in (0, 2)
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, err
