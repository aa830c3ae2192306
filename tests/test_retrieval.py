"""Pure retrieval scoring: BM25 against the bm25s library, score fusion, the in-scope rule."""
import numpy as np
import pytest

from assistant.retrieval import (BM25, Query, Weights, fuse, in_scope, listed_aspects, part_words, reranked, title_match,
                                 up_to_question)
from assistant.types import Clause

DOCS = [["知识产权", "保护", "法院", "保护"], ["营商", "环境", "优化", "环境"], ["人才", "引进", "知识产权"],
        ["基金", "规模"], ["环境", "保护", "绿色", "低碳", "园区"]]


@pytest.mark.parametrize("query", [["知识产权", "环境"], ["保护"], ["基金", "规模", "人才"], ["没有", "这个"]])
def test_bm25_matches_bm25s_lucene_scores(query):
    import bm25s

    reference = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    reference.index(DOCS, show_progress=False)
    ours = BM25(DOCS, k1=1.2, b=0.75).scores(query)
    # Our term weight keeps Okapi's (k1 + 1) factor, which Lucene drops: the same scores times 2.2, same ranking.
    assert np.allclose(ours, 2.2 * reference.get_scores(query), atol=1e-5)


def test_bm25_coverage_is_the_share_of_query_tokens_in_the_corpus():
    bm = BM25(DOCS)
    assert bm.coverage(["知识产权", "没有"]) == 0.5 and bm.coverage([]) == 0.0


def _clause(cid, title, bureaus=()):
    return Clause(cid, "task", f"二、主要任务 > (一) > {cid}", title, title, tuple(bureaus), (tuple(bureaus),))


CLAUSES = [_clause("a", "强化知识产权保护", ["市法院"]), _clause("b", "优化营商环境", ["市发改委"]),
           _clause("c", "吸引人才", ["市人社局"])]


def _query(bureaus=(), pinned=(), nearby=()):
    return Query("q", "zh", "general", False, tuple(bureaus), ("知识产权",), "q", pinned=tuple(pinned),
                 nearby=tuple(nearby))


def test_fusion_weighs_dense_bm25_title_and_bureau():
    w = Weights()
    dense = np.array([0.5, 0.6, 0.1], dtype=np.float32)
    bm = np.array([8.0, 0.0, 0.0], dtype=np.float32)
    titles = np.array([0.5, 0.0, 0.0], dtype=np.float32)
    hits = fuse(CLAUSES, _query(), dense, bm, titles, w)
    assert [h.clause.id for h in hits] == ["a", "b", "c"]
    assert hits[0].score == pytest.approx(0.8 * 0.5 + 8 / (8 + 8) + 0.5 * 0.5)
    # a named bureau adds its weight to the clauses that list it
    bureau = fuse(CLAUSES, _query(bureaus=["市人社局"]), dense, bm, titles, w)
    assert next(h for h in bureau if h.clause.id == "c").boost == pytest.approx(w.bureau)


def test_a_second_embedders_cosine_counts_below_its_best_clause():
    w = Weights()
    dense = np.array([0.5, 0.45, 0.1], dtype=np.float32)
    bm, titles = np.zeros(3, dtype=np.float32), np.zeros(3, dtype=np.float32)
    ranking = np.array([0.80, 0.86, 0.70], dtype=np.float32)
    hits = fuse(CLAUSES, _query(), dense, bm, titles, w, ranking=ranking)
    assert [h.clause.id for h in hits] == ["b", "a", "c"]
    assert hits[0].score == pytest.approx(0.8 * 0.45)  # the best clause of the second embedder loses nothing
    assert hits[1].score == pytest.approx(0.8 * 0.5 - w.ranking * 0.06)
    assert [h.clause.id for h in fuse(CLAUSES, _query(), dense, bm, titles, w)] == ["a", "b", "c"]


def test_a_clause_answering_everything_listed_gets_the_aspects_weight():
    w = Weights()
    dense = np.array([0.5, 0.3, 0.1], dtype=np.float32)
    bm, titles = np.zeros(3, dtype=np.float32), np.zeros(3, dtype=np.float32)
    hits = fuse(CLAUSES, _query(), dense, bm, titles, w, aspects=np.array([0, 1, 0], dtype=np.float32))
    assert [h.clause.id for h in hits] == ["b", "a", "c"]
    assert hits[0].boost == pytest.approx(w.aspects)


@pytest.mark.parametrize("text, items", [
    ("引进的高层次人才在住房、孩子上学、看病方面能有保障吗？", ["引进的高层次人才在住房", "孩子上学", "看病方面能有保障吗"]),
    # the longest list of the question's phrases
    ("他最关心的是住哪、孩子上学和老人看病，方案里有没有说法？", ["他最关心的是住哪", "孩子上学和老人看病"]),
    ("光谷有什么人才政策？", []),  # nothing listed
    ("A、B、C、D、E、F、G有哪些支持？", []),  # more than MAX_ASPECTS: a catalogue, no aspects of one need
    ("What about housing, schools and hospitals?", []),  # (English lists with commas: not read)
])
def test_listed_aspects(text, items):
    assert listed_aspects(text) == items


@pytest.mark.parametrize("intent, asks, bureaus, expected", [
    ("general", (), (), True),              # a founder's own words
    ("general", ("amount",), (), False),    # a figure asked
    ("general", (), ("市科技局",), False),   # a bureau named
    ("number", (), (), False),
    ("who", (), (), False),
    ("section", (), (), False),
])
def test_only_a_question_asking_for_nothing_in_particular_is_reranked(intent, asks, bureaus, expected):
    q = Query("q", "zh", intent, False, tuple(bureaus), ("知识产权",), "q", asks=tuple(asks))
    assert reranked(q) is expected


def test_a_pinned_clause_outranks_everything_and_nearby_is_a_small_prior():
    dense = np.array([0.9, 0.1, 0.1], dtype=np.float32)
    bm = np.array([20.0, 0.0, 0.0], dtype=np.float32)
    titles = np.zeros(3, dtype=np.float32)
    assert fuse(CLAUSES, _query(pinned=["c"]), dense, bm, titles, Weights())[0].clause.id == "c"
    near = fuse(CLAUSES, _query(nearby=["b"]), dense, bm, titles, Weights())
    assert near[0].clause.id == "a" and near[1].clause.id == "b"


@pytest.mark.parametrize("dense, negative, coverage, covered", [
    (0.60, 0.30, 1.0, True),    # close to the plan, far from off-topic examples
    (0.40, 0.55, 0.0, False),   # closer to an off-topic example than to the plan
    (0.40, 0.45, 0.5, True),    # coverage tips it: 0.40 - 0.45 + 0.15 = 0.10
    (0.40, 0.45, 0.0, False),
])
def test_in_scope_rule(dense, negative, coverage, covered):
    ok, confidence = in_scope(dense, negative, coverage, Weights(threshold=0.0))
    assert ok is covered and confidence == pytest.approx(dense - negative + 0.3 * coverage)


def test_title_match_is_the_share_of_title_words_asked():
    assert title_match(["知识产权", "保护"], ["强化", "知识产权", "保护"]) == pytest.approx(2 / 3)
    assert title_match([], ["强化"]) == 0.0


@pytest.mark.parametrize("tokens, expected", [
    (["沙盒", "试点"], ["监管沙盒"]),      # printed only inside 监管沙盒
    (["试点"], []),                        # a word the documents print alone is matched as it is
    (["数字", "abc"], []),                  # not Chinese, or printed alone
    (["研究"], []),                        # in more than PART_WORD_MATCHES longer words: says nothing in particular
])
def test_part_words(tokens, expected):
    vocabulary = frozenset({"监管沙盒", "试点", "数字", "研究院", "研究所", "研究生", "研究中心"})
    assert part_words(tokens, vocabulary) == expected


@pytest.mark.parametrize("text, asked", [
    ("Will the zone help firms buy companies abroad? We might be the target or partner.",
     "Will the zone help firms buy companies abroad?"),  # a statement after the question asks nothing
    ("有哪些支持？我们是做芯片的。", "有哪些支持？"),
    ("What is the 2025 target?", "What is the 2025 target?"),
    ("谁负责知识产权保护", "谁负责知识产权保护"),  # no question mark: the whole text
])
def test_the_form_asked_is_read_up_to_the_last_question_mark(text, asked):
    assert up_to_question(text) == asked
