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
