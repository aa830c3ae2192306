"""The systems the harness runs: our assistant and the baselines, each turns -> results record."""
from __future__ import annotations

import time
from typing import Callable, Sequence

from assistant.pipeline import Assistant
from assistant.retrieval import Weights
from assistant.types import Citation, Clause, Record

System = Callable[[Sequence[str]], dict]


def assistant_system(assistant: Assistant) -> System:
    """Our pipeline: the earlier turns are asked first and their answers fed back as history (question and
    cited clauses, as the chat and the widget send them); the last turn is graded and timed."""

    def run(turns: Sequence[str]) -> dict:
        history: list[dict] = []
        for turn in turns[:-1]:
            earlier = assistant.ask(turn, history)
            history.append({"question": turn, "citations": [c.id for c in earlier.citations]})
        t0 = time.perf_counter()
        answer = assistant.ask(turns[-1], history)
        record = answer.to_record(latency_ms=(time.perf_counter() - t0) * 1e3)
        record["mode"] = answer.mode
        record["meta"] = answer.meta
        return record

    return run


def single_signal(assistant: Assistant, signal: str) -> System:
    """Our pipeline with retrieval reduced to one signal (``bm25`` or ``dense``); composer and refusal kept."""
    base = assistant.weights
    w = Weights(dense=1.0 if signal == "dense" else 0.0, bm25=1.0 if signal == "bm25" else 0.0, title=0.0,
                bureau=0.0, coverage_weight=base.coverage_weight, threshold=base.threshold)
    clone = Assistant(assistant.settings, index=assistant.index, weights=w, composer=assistant.extractive)
    return assistant_system(clone)


def _best_clause(chunk: str, clauses: Sequence[Clause]) -> Clause | None:
    """The clause a chunk overlaps most (by shared 8-character shingles), or None for portal text."""
    grams = {chunk[i:i + 8] for i in range(max(1, len(chunk) - 7))}
    best, score = None, 0
    for c in clauses:
        s = sum(g in c.text for g in grams)
        if s > score:
            best, score = c, s
    return best if score >= 3 else None


def langchain_recipe(page: str, clauses: Sequence[Clause], embedder, k: int = 3) -> System:
    """The LangChain tutorial recipe: 500/50 character chunks of the whole page, FAISS, top 3, never refuses.

    Each chunk is credited to the clause it overlaps most, so its citations can match gold clauses.
    """
    from langchain_community.vectorstores import FAISS
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant._langchain import EmbeddingsAdapter

    chunks = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_text(page)
    store = FAISS.from_texts(chunks, EmbeddingsAdapter(embedder))
    owner = {ch: _best_clause(ch, clauses) for ch in chunks}

    def run(turns: Sequence[str]) -> dict:
        t0 = time.perf_counter()
        docs = store.similarity_search(" ".join(turns), k=k)
        cits = tuple(Citation.of(owner[d.page_content], d.page_content) if owner.get(d.page_content)
                     else Citation(f"chunk-{n}", "", "", (), d.page_content) for n, d in enumerate(docs))
        return Record("", turns[-1], "\n\n".join(d.page_content for d in docs), False, cits,
                      round((time.perf_counter() - t0) * 1e3, 2)).to_dict()

    return run


def baselines(assistant: Assistant, page: str) -> dict[str, System]:
    """The three baselines of the report, keyed by name."""
    return {
        "bm25-only": single_signal(assistant, "bm25"),
        "dense-only": single_signal(assistant, "dense"),
        "langchain-recipe": langchain_recipe(page, assistant.index.clauses, assistant.index.embedder),
    }


def with_id(record: dict, qid: str) -> dict:
    return {"id": qid, **{k: v for k, v in record.items() if k != "id"}}

