"""Evaluating a corpus index (issue 10): gold matching by document, doc@1, the corpus baselines, the harness."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.metrics import aggregate, clause_matches, document_hit, gold_document, grade, names_document

ROOT = Path(__file__).resolve().parent.parent
LAWS = Path(__file__).parent / "data" / "laws"


def cite(document: str, path: str, title: str = "") -> dict:
    return {"id": "x", "path": path, "title": title or path.split(" > ")[-1], "bureaus": [], "quote": "",
            "document": document, "source": f"/laws/{document}.md"}


NATIONAL = cite("中华人民共和国劳动合同法", "第二章 劳动合同的订立 > 第十九条")
FLAT = cite("婚姻登记条例", "第五条")
PROVINCIAL = cite("北京市实施《中华人民共和国消费者权益保护法》办法", "第十条")


@pytest.mark.parametrize("gold, citation, expected", [
    ("中华人民共和国劳动合同法 > 第十九条", NATIONAL, True),          # the chapter in between is not named
    ("劳动合同法 > 第十九条", NATIONAL, True),                        # the title without 中华人民共和国
    ("中华人民共和国劳动合同法 > 第二章 劳动合同的订立 > 第十九条", NATIONAL, True),  # the full joined path
    ("中华人民共和国劳动合同法 > 第九条", NATIONAL, False),            # 第九条 is not in 第十九条
    ("中华人民共和国劳动合同法 > 第二十条", NATIONAL, False),
    ("中华人民共和国劳动合同法实施条例 > 第十九条", NATIONAL, False),
    ("婚姻登记条例 > 第五条", FLAT, True),                            # EVAL-FORMAT's joined substring
    ("婚姻登记条例 > 第五条", cite("婚姻登记条例", "第十五条"), False),
    ("中华人民共和国消费者权益保护法 > 第十条", PROVINCIAL, False),    # a local copy holds the title, is not it
    ("第十九条", NATIONAL, True),                                     # by title, as for the plan
])
def test_gold_clauses_name_document_and_article(gold, citation, expected):
    assert clause_matches(gold, citation) is expected


def test_gold_document_and_document_hit():
    assert gold_document("中华人民共和国劳动合同法 > 第十九条") == "中华人民共和国劳动合同法"
    assert gold_document("强化知识产权保护") == ""
    assert names_document("劳动合同法", "中华人民共和国劳动合同法")
    assert not names_document("消费者权益保护法", "北京市实施《中华人民共和国消费者权益保护法》办法")
    # the short name inside a local title, as askers and gold writers cite it
    assert names_document("浙江省实施《献血法》办法", "浙江省实施《中华人民共和国献血法》办法")
    assert not names_document("浙江省实施《献血法》办法", "河南省实施《中华人民共和国献血法》办法")
    golds = ["中华人民共和国劳动合同法 > 第十九条", "工伤保险条例 > 第十四条"]
    assert document_hit(golds, cite("工伤保险条例", "第一条")) and not document_hit(golds, FLAT)
    assert not document_hit(golds, None)


def test_doc_at_1_is_graded_per_question_and_kind():
    q = {"id": "a", "kind": "fact", "clauses": ["中华人民共和国劳动合同法 > 第十九条"], "facts": ["六个月"]}
    plan_q = {"id": "p", "kind": "bureau", "clauses": ["强化知识产权保护"]}
    right_doc = {"answer": "六个月", "refused": False, "citations": [cite("中华人民共和国劳动合同法", "第二十条")]}
    right = {"answer": "六个月", "refused": False, "citations": [NATIONAL]}
    refused = {"answer": "", "refused": True, "citations": []}
    g = [grade(q, right), grade(q, right_doc), grade(q, refused)]
    assert [(x["hit@1"], x["doc@1"], x["passed"]) for x in g] == [(True, True, True), (False, True, False),
                                                                  (False, False, False)]
    assert grade(plan_q, right)["doc@1"] is None  # the plan's golds name no document
    m = aggregate(g)
    assert m["doc@1"] == pytest.approx(2 / 3) and m["hit@1"] == pytest.approx(1 / 3)
    assert m["doc@1/fact"] == pytest.approx(2 / 3)
    assert "doc@1" in aggregate([grade(plan_q, right)]) and aggregate([grade(plan_q, right)])["doc@1"] is None


# ---- the harness and the baselines over the five sample laws (models loaded once per session) ----

SAMPLE_QUESTIONS = Path(__file__).parent / "data" / "laws_questions.jsonl"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory):
    """tests/data/laws ingested into a corpus index."""
    from assistant.embedders import make_embedder
    from assistant.ingest.corpus import ingest
    from assistant.store.corpus import corpus_tokenizer

    directory = tmp_path_factory.mktemp("sample-laws") / "index"
    report = ingest([LAWS], directory, make_embedder("use-m3", 1), corpus_tokenizer(), progress=False,
                    log=lambda m: None)
    assert report.documents == 5 and not report.errors
    return directory


@pytest.fixture(scope="session")
def sample_assistant(sample_index):
    from assistant.corpus_assistant import CorpusAssistant
    from assistant.settings import Settings

    return CorpusAssistant(Settings(index_dir=sample_index))


@pytest.fixture(scope="session")
def sample_run(sample_index, tmp_path_factory):
    """``python -m eval run --index-dir`` over the sample, as a user runs it (a fresh process)."""
    out = tmp_path_factory.mktemp("eval-out") / "out"
    p = subprocess.run([sys.executable, "-m", "eval", "run", "--index-dir", str(sample_index), "--questions",
                        str(SAMPLE_QUESTIONS), "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-2000:]
    return out, p.stdout


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_eval_run_over_a_corpus_index_writes_one_schema_with_documents(sample_run):
    out, stdout = sample_run
    assert {f.name for f in out.iterdir()} == {"results.jsonl", "metrics.json", "metrics.csv", "graded.jsonl",
                                              "report.md", "chart.png"}
    records = {r["id"]: r for r in _jsonl(out / "results.jsonl")}
    assert all(set(r) == {"id", "question", "answer", "refused", "citations", "latency_ms"} for r in records.values())
    first = records["s-02"]["citations"][0]
    assert (first["document"], first["path"]) == ("专利代理条例", "第二章 专利代理机构和专利代理师 > 第七条")
    assert first["source"].endswith("专利代理条例(2018-11-06).md")
    assert records["s-08"]["refused"] and records["s-08"]["citations"] == []
    assert records["s-09"]["refused"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["systems"]
    assert list(metrics) == ["assistant", "bm25-doc", "langchain-recipe"]
    assert "| doc@1 |" in stdout and "doc@1/fact" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("qid", ["s-01", "s-02", "s-03", "s-04", "s-05", "s-06"])
def test_the_assistant_cites_the_gold_article_first(sample_run, qid):
    graded = {g["id"]: g for g in _jsonl(sample_run[0] / "graded.jsonl")}
    assert graded[qid]["hit@1"] and graded[qid]["doc@1"] and graded[qid]["passed"], graded[qid]


def test_refusals_are_counted_by_oos_type(sample_run):
    m = json.loads((sample_run[0] / "metrics.json").read_text(encoding="utf-8"))["systems"]
    assert m["assistant"]["refusal_recall/off_topic"] == 1.0 and m["assistant"]["refusal_recall/instruction"] == 1.0
    # the baselines never refuse
    assert m["bm25-doc"]["refusal_recall"] == 0.0 and m["langchain-recipe"]["refusal_recall"] == 0.0


def test_bm25_over_whole_documents_names_the_document_and_its_best_article(sample_assistant):
    from eval.systems import bm25_doc

    system = bm25_doc(sample_assistant.store)
    record = system(["专利代理机构的组织形式是什么？"])
    first = record["citations"][0]
    assert record["refused"] is False and len(record["citations"]) == 1
    assert (first["document"], first["id"]) == ("专利代理条例", "专利代理条例(2018-11-06):a7")
    record = system(["伪造货币的总面额在2000元以上不满3万元的，怎么处罚？"])
    assert record["citations"][0]["document"] == "最高人民法院关于审理伪造货币等案件具体应用法律若干问题的解释"


def test_recipe_chunks_are_credited_to_their_own_documents_articles(sample_assistant):
    from eval.systems import _best_clause, corpus_recipe_chunks, shingle_owner

    store = sample_assistant.store
    chunks = corpus_recipe_chunks(store)
    assert {c.source for _, c in chunks} == {d.source for d in store.documents.values()}
    agency = [(t, c) for t, c in chunks if c.document == "专利代理条例"]
    clauses = [store.clauses[i] for i in store.rows["专利代理条例(2018-11-06)"]]
    owner = shingle_owner(clauses)
    for text, cit in agency:  # the table gives what the plan's scan gives
        best = _best_clause(text, clauses)
        assert (owner(text).id if owner(text) else None) == (best.id if best else None)
        assert cit.id == (best.id if best else cit.id)
    assert all(c.id.startswith("专利代理条例(2018-11-06):") for _, c in agency)
    assert sum(":chunk-" not in c.id for _, c in agency) >= len(agency) - 1  # the heading chunk at most is uncredited
