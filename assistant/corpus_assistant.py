"""Answers over a corpus index: the plan's question analysis, answerability and sentence picking, with citations
that name the document (《护士条例》第二章 执业注册 > 第七条)."""
from __future__ import annotations

import dataclasses
import json
import re
import time
from functools import lru_cache
from typing import Sequence

from .answerable import judge
from .compose import pick_sentences
from .index import Retrieval
from .pipeline import check_question, parse_history
from .retrieval import analyze, weights_for
from .rules import Rules, load_rules
from .settings import PACKAGE_DATA, Settings
from .store.corpus import CorpusStore, load_store
from .text import detect_lang, load_lexicon, normalize_question
from .types import Answer, Citation, Clause, Hit

TEXTS_FILE = PACKAGE_DATA / "corpus.json"
# In scope when the best dense match reaches SCOPE_DENSE and one of the best hits holds SCOPE_COVERAGE of the
# question's content tokens, IDF-weighted. Calibrated on eval/corpus_questions.tsv and the test questions over the
# whole laws corpus (answerable: dense >= 0.52, coverage >= 0.59) and over tests/data/laws (questions about laws
# not in it: 0.37 / 0.57 at most; 世界杯冠军是谁 0.30 / 1.0; 今天天气怎么样 0.37 / 0.11).
SCOPE_DENSE = 0.4
SCOPE_COVERAGE = 0.55
SCOPE_HITS = 3


@lru_cache(maxsize=1)
def corpus_texts() -> dict:
    """``data/corpus.json``: what the assistant says over a corpus (the plan's texts name the plan)."""
    return json.loads(TEXTS_FILE.read_text(encoding="utf-8"))


def say(key: str, lang: str, **slots) -> str:
    return corpus_texts()[key]["en" if lang == "en" else "zh"].format(**slots)


def with_evidence(rules: Rules, extra: dict) -> Rules:
    """The rules with more wording that states each answer type (``corpus.json``'s ``evidence``) (pure)."""
    kinds = dict(rules.answer_types)
    for name, patterns in extra.items():
        if name in kinds and isinstance(patterns, list):
            old = kinds[name]
            joined = [f"(?:{old.evidence.pattern})"] if old.evidence else []
            kinds[name] = dataclasses.replace(old, evidence=re.compile("|".join(joined + [f"(?:{p})" for p in patterns])))
    return dataclasses.replace(rules, answer_types=kinds)


def in_scope(dense_max: float, coverage: float) -> bool:
    """Whether the corpus covers the question (pure)."""
    return dense_max >= SCOPE_DENSE and coverage >= SCOPE_COVERAGE


def cited(hits: Sequence[Hit], top_k: int, related_ratio: float) -> list[Clause]:
    """The best hit and the runners-up scoring close to it (as the plan's composer cites)."""
    if not hits:
        return []
    best = hits[0].score
    return [h.clause for k, h in enumerate(hits[:top_k]) if k == 0 or h.score >= best * related_ratio]


class CorpusAssistant:
    """Answers questions from every document of a corpus index, or from the documents named.

    Why not :class:`~assistant.pipeline.Assistant` with another index: its ClauseIndex and ExtractiveComposer are
    the plan's (sections 二、主要任务, bureau aggregates, English views, homophones of the plan's words, 《行动方案》
    in every answer); this reuses their pure stages instead: query analysis, answerability, sentence picking.

    Args:
        settings: ``index_dir`` (a corpus index), the embedder, ``top_k`` and ``related_ratio``.
        store: an already-loaded store (else it is loaded from ``settings.index_dir``).
        documents: document ids or titles every question is limited to (``--doc``).
    """

    def __init__(self, settings: Settings | None = None, *, store: CorpusStore | None = None,
                 documents: Sequence[str] = (), rules: Rules | None = None):
        from .embedders import make_embedder

        self.settings = settings or Settings()
        # One thread embeds one short question as fast as two, and does not stall when another process holds a
        # core (two BLAS threads then wait on each other: ~200 ms instead of ~1 ms, measured).
        self.store = store or load_store(self.settings.index_dir, make_embedder(self.settings.embedder, 1))
        self.documents = self.store.resolve(documents) if documents else ()
        self.rules = with_evidence(rules or load_rules(), corpus_texts()["evidence"])
        self.lexicon = load_lexicon()
        self.weights = weights_for(self.store.embedder.id)

    def label(self, clause: Clause) -> str:
        """``《护士条例》第二章 执业注册 > 第七条``."""
        return f"《{self.store.document_of(clause).title}》{clause.label}"

    def retrieve(self, question: str, documents: Sequence[str] = ()) -> Retrieval:
        """Analyse, search and judge one standalone question."""
        lang = detect_lang(question)
        query = analyze(question, self.lexicon, self.store.bureaus, self.store.tokenize, rules=self.rules, lang=lang,
                        english_lexicon=self.settings.english_lexicon)
        found = self.store.search(query, documents or self.documents, self.weights)
        coverage = max((self.store.coverage(question, h.clause) for h in found.hits[:SCOPE_HITS]), default=0.0)
        covered = in_scope(found.dense_max, coverage)
        r = Retrieval(query, found.hits, covered, found.dense_max, {})
        chosen = cited(found.hits, self.settings.top_k, self.settings.related_ratio)
        if query.intent == "who" and chosen and not chosen[0].bureaus:
            # a law names who is responsible in its sentences, not in a 责任单位 listing
            query = dataclasses.replace(query, intent="general")
            r = dataclasses.replace(r, query=query)
        text = "".join(c.text for c in chosen)
        verdict = judge(query, covered, chosen, self.rules, text, lambda c: pick_sentences(c, r, rules=self.rules))
        return dataclasses.replace(r, verdict=verdict)

    def ask(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        """Answer one question (earlier turns are validated but not used: each turn stands alone).

        Raises:
            InputError: an empty, oversized or control-character question, or a malformed history.
        """
        t0 = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        parse_history(history, self.settings.max_question_chars, self.settings.max_history_chars)
        normal = normalize_question(question)
        lang = detect_lang(normal)
        if kind := self.rules.instruction(normal):
            answer = Answer(question, say("instruction", lang), (), True, lang, normal, meta={"declined": kind})
        else:
            answer = self.compose(question, self.retrieve(normal, documents))
        total = (time.perf_counter() - t0) * 1e3
        return dataclasses.replace(answer, timings_ms={"total": total})

    def compose(self, question: str, r: Retrieval) -> Answer:
        """The extractive answer: what was asked first, then the clause's own sentences, each cited."""
        q = r.query
        quote = lambda c: "".join(pick_sentences(c, r, rules=self.rules))  # noqa: E731
        if not r.covered or r.verdict is None or r.verdict.reason == "off_topic":
            return Answer(question, say("off_topic", q.lang), (), True, q.lang, q.text)
        if not r.verdict.answerable:
            first = r.verdict.pointers[0] if r.verdict.pointers else None
            document = f"《{self.store.document_of(first).title}》" if first else ""
            lines = [say("unanswerable", q.lang, document=document, what=r.verdict.what), say("pointer", q.lang)]
            lines += [f"- {self.label(c)}" for c in r.verdict.pointers]
            citations = tuple(self._cite(c, quote(c)) for c in r.verdict.pointers)
            return Answer(question, "\n".join(lines), citations, True, q.lang, q.text)
        chosen = cited(r.hits, self.settings.top_k, self.settings.related_ratio)
        lines, citations = [], []
        for k, c in enumerate(chosen):
            said = quote(c)
            citations.append(self._cite(c, said))
            doc = f"《{self.store.document_of(c).title}》"
            if k:
                lines.append(("\n" if k == 1 else "") + say("related", q.lang, document=doc, label=c.label, quote=said))
            elif q.intent == "who" and c.bureaus:
                lines += [say("who", q.lang, bureaus="、".join(c.bureaus), document=doc, label=c.label),
                          say("quote", q.lang, quote=said)]
            else:
                lines += [say("lead", q.lang, document=doc, label=c.label), say("quote", q.lang, quote=said)]
                if c.bureaus:
                    lines.append(say("bureaus", q.lang, bureaus="、".join(c.bureaus)))
        return Answer(question, "\n".join(lines), tuple(citations), False, q.lang, q.text)

    def _cite(self, clause: Clause, quote: str) -> Citation:
        return Citation.of(clause, quote, self.store.document_of(clause))
