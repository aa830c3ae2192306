"""The web app over a corpus index (ASSISTANT_INDEX_DIR): /api/documents, /api/ask's `documents`, /api/map per
document, the widget's config and the chat's document picker, on tests/data/laws and the plan's page ingested."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from assistant.server.answerers import CorpusAnswerer, PlanAnswerer, make_answerer  # noqa: E402
from assistant.server.chat import build_chat  # noqa: E402
from assistant.server.service import Service  # noqa: E402
from assistant.settings import Settings  # noqa: E402

AGENCY = "专利代理条例(2018-11-06)"
PATENT = "专利法(2020-10-17)"
PLAN = "行动方案"
IDS = [AGENCY, PATENT, "刑法修正案（七）", "最高人民法院关于审理伪造货币等案件具体应用法律若干问题的解释(2000-09-08)",
       "民事诉讼法(2023-09-01)", PLAN]
WHO_MANAGES_PATENTS = "谁负责管理全国的专利工作？"


@pytest.fixture(scope="session")
def corpus_service(laws_index, corpus_embedder, tmp_path_factory):
    """The app's service over the laws' corpus index, sharing the session's embedder (no second model load)."""
    from assistant.corpus_assistant import CorpusAssistant
    from assistant.store.corpus import CorpusStore, corpus_tokenizer

    settings = Settings(index_dir=laws_index, feedback_db=tmp_path_factory.mktemp("corpus-fb") / "f.db",
                        rate_limit="100000/minute")
    store = CorpusStore(laws_index, corpus_embedder, corpus_tokenizer())
    return Service(settings, assistant=CorpusAssistant(settings, store=store))


@pytest.fixture(scope="session")
def corpus_client(corpus_service):
    with TestClient(create_app(service=corpus_service)) as c:
        yield c


def ask(client, **body):
    return client.post("/api/ask", content=json.dumps(body, ensure_ascii=False).encode(),
                       headers={"Content-Type": "application/json"})


# ---------------------------------------------------------------- which assistant: the index's manifest decides

def test_the_factory_picks_the_corpus_by_its_manifest(laws_index, tmp_path, monkeypatch):
    import assistant.corpus_assistant
    import assistant.pipeline

    built = []
    monkeypatch.setattr(assistant.corpus_assistant, "CorpusAssistant",
                        lambda settings: built.append("corpus") or SimpleNamespace(store=None))
    monkeypatch.setattr(assistant.pipeline, "Assistant", lambda settings, progress: built.append("plan"))
    assert isinstance(make_answerer(Settings(index_dir=laws_index)), CorpusAnswerer)
    assert isinstance(make_answerer(Settings(index_dir=tmp_path / "plan-index")), PlanAnswerer)
    assert built == ["corpus", "plan"]


def test_what_is_served_is_known_before_anything_loads(laws_index, tmp_path):
    service = Service(Settings(index_dir=laws_index, feedback_db=tmp_path / "f.db"))
    assert service.kind == "corpus" and [d.id for d in service.documents] == IDS
    assert service.loaded is None  # read from the manifest: no model loaded


# ---------------------------------------------------------------- GET /api/documents, /healthz

def test_documents_lists_the_ingested_laws(corpus_client):
    r = corpus_client.get("/api/documents")
    assert r.status_code == 200
    docs = {d["id"]: d for d in r.json()}
    assert list(docs) == IDS
    assert set(docs[AGENCY]) == {"id", "title", "issuer", "number", "date", "kind", "clauses", "source"}
    assert (docs[AGENCY]["title"], docs[AGENCY]["date"], docs[AGENCY]["clauses"]) == ("专利代理条例", "2019-03-01", 32)
    assert docs[AGENCY]["number"] == "中华人民共和国国务院令第706号" and docs[AGENCY]["kind"] == "条例"
    assert docs[PLAN]["title"] == "促进武汉东湖新技术开发区高质量发展行动方案"
    assert docs[AGENCY]["source"].endswith("专利代理条例(2018-11-06).md")


def test_healthz_counts_the_corpus(corpus_client, corpus_service):
    body = corpus_client.get("/healthz").json()
    assert body["documents"] == 6 and body["clauses"] == len(corpus_service.assistant().store.clauses) > 400
    assert body["index"] == "stored"


# ---------------------------------------------------------------- POST /api/ask with `documents`

def test_ask_without_documents_cites_the_law_and_article(corpus_client):
    record = ask(corpus_client, question="专利代理机构的组织形式是什么？").json()
    first = record["citations"][0]
    assert record["refused"] is False and first["id"] == f"{AGENCY}:a7"
    assert (first["document"], first["path"]) == ("专利代理条例", "第二章 专利代理机构和专利代理师 > 第七条")
    assert "专利代理机构的组织形式应当为合伙企业、有限责任公司等。" in record["answer"]


@pytest.mark.parametrize("documents, cited", [
    ([], f"{PATENT}:a3"),  # every document: the patent law says it first
    (["专利代理条例"], f"{AGENCY}:a5"),  # by title
    ([AGENCY], f"{AGENCY}:a5"),  # by id
    (["专利法"], f"{PATENT}:a3"),  # a law's title without 中华人民共和国
])
def test_documents_limit_what_is_cited(corpus_client, documents, cited):
    record = ask(corpus_client, question=WHO_MANAGES_PATENTS, documents=documents).json()
    assert record["citations"][0]["id"] == cited
    if documents:
        assert {c["id"].split(":")[0] for c in record["citations"]} == {cited.split(":")[0]}


def test_a_question_outside_the_documents_chosen_is_declined(corpus_client):
    assert ask(corpus_client, question="谁负责强化知识产权保护？").json()["citations"][0]["id"] == f"{PLAN}:2.5.2"
    limited = ask(corpus_client, question="谁负责强化知识产权保护？", documents=[PATENT]).json()
    assert limited["refused"] is True and limited["citations"] == []


def test_an_unknown_document_is_a_422_naming_it(corpus_client):
    r = ask(corpus_client, question=WHO_MANAGES_PATENTS, documents=["专利法", "护士条例"])
    assert (r.status_code, r.json()) == (422, {"error": "no document '护士条例'; GET /api/documents lists the 6 documents"})
    assert ask(corpus_client, question=WHO_MANAGES_PATENTS, documents=["plan"]).status_code == 422  # the plan's id
    r = ask(corpus_client, question=WHO_MANAGES_PATENTS, documents=[" "])
    assert (r.status_code, r.json()) == (422, {"error": "documents item 1: string should have at least 1 character"})


# ---------------------------------------------------------------- /api/clauses, /api/map

def test_a_clause_names_its_document(corpus_client):
    c = corpus_client.get(f"/api/clauses/{AGENCY}:a7").json()
    assert (c["document"], c["title"], c["text"]) == (AGENCY, "第七条", "专利代理机构的组织形式应当为合伙企业、有限责任公司等。")


def test_map_of_a_document_that_lists_responsible_bodies(corpus_client):
    body = corpus_client.get("/api/map", params={"document": "促进武汉东湖新技术开发区高质量发展行动方案"}).json()
    assert body["document"] == {"id": PLAN, "title": "促进武汉东湖新技术开发区高质量发展行动方案"}
    assert {"bureau": "市市场监管局", "task": f"{PLAN}:2.5.2", "position": 1, "lead": True} in body["cells"]


def test_map_of_a_law_is_a_404_and_a_corpus_needs_a_document(corpus_client):
    r = corpus_client.get("/api/map", params={"document": "专利法"})
    assert (r.status_code, r.json()["error"]) == (404, f"the document '{PATENT}' (中华人民共和国专利法) lists no "
                                                       f"responsible bodies (责任单位), so it has no responsibility map")
    r = corpus_client.get("/api/map")
    assert (r.status_code, r.json()["error"]) == (422, "name a document: ?document=<id or title> "
                                                       "(GET /api/documents lists the 6 documents)")
    assert corpus_client.get("/api/map", params={"document": "护士条例"}).status_code == 404


# ---------------------------------------------------------------- the widget's config

def test_widget_config_resolves_the_filter(corpus_client):
    body = corpus_client.get("/api/widget/config", params={"documents": f"专利法, {AGENCY}"}).json()
    assert body["documents"] == [{"id": AGENCY, "title": "专利代理条例"}, {"id": PATENT, "title": "中华人民共和国专利法"}]
    assert body["served"] == 6
    assert corpus_client.get("/api/widget/config").json()["documents"] == []  # no filter: every document
    r = corpus_client.get("/api/widget/config", params={"documents": "专利法,护士条例"})
    assert r.status_code == 422 and r.json()["error"].startswith("data-documents: no document '护士条例'")


def test_the_corpus_examples_are_answered(corpus_client):
    examples = corpus_client.get("/api/widget/config").json()["examples"]
    assert examples["zh"] and examples["en"] == examples["zh"]  # a corpus is asked in Chinese
    for question in examples["zh"]:
        record = ask(corpus_client, question=question).json()
        assert record["refused"] is False, question


# ---------------------------------------------------------------- the chat

def _component(demo, elem_id):
    return next((b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id), None)


def test_chat_has_a_document_picker_that_limits_the_answer(corpus_service):
    demo = build_chat(corpus_service)
    picker = _component(demo, "documents")
    assert picker is not None and picker.multiselect and picker.label == "回答范围"
    assert [value for _, value in picker.choices] == IDS and picker.choices[0][0] == "专利代理条例"
    assert _component(demo, "map") is None  # the laws list no 责任单位; /api/map?document= has a document's map
    respond = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "respond")
    *_, (_, _, turns, panel, _) = respond(WHO_MANAGES_PATENTS, [], "zh", [AGENCY])
    assert turns[-1]["citations"][0]["id"] == f"{AGENCY}:a5"
    assert '<div class="cite-doc">《专利代理条例》</div>' in panel
    *_, (_, _, turns, _, _) = respond(WHO_MANAGES_PATENTS, [], "zh", [])
    assert turns[-1]["citations"][0]["id"] == f"{PATENT}:a3"


def test_chat_texts_name_the_documents_not_the_plan(corpus_service):
    demo = build_chat(corpus_service)
    html = " ".join(str(b.value) for b in demo.blocks.values() if type(b).__name__ == "HTML")
    assert "依据已收录的 6 份文件作答" in html and "行动方案》作答" not in html
    switch = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "switch_language")
    out = switch("English", [], None)
    assert out[1].startswith('<div id="masthead"><h1>East Lake High-Tech Zone Policy Q&A</h1><p>Answers from the 6 '
                             'documents held here')
    assert (out[-1]["label"], out[-1]["info"]) == ("Answer from", "None selected: every document. Type to filter by title.")
