"""The systems the harness runs: our assistant and the baselines, each turns -> results record."""
from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path
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
                bureau=0.0, phrase=0.0, coverage_weight=base.coverage_weight, threshold=base.threshold)
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


def shingle_owner(clauses: Sequence[Clause]) -> Callable[[str], Clause | None]:
    """:func:`_best_clause` for many chunks of one document: an 8-gram -> clauses table built once, so that a
    law of 300 articles is not scanned once per chunk (same scores, same threshold)."""
    table: dict[str, set[int]] = {}
    for k, c in enumerate(clauses):
        for i in range(max(1, len(c.text) - 7)):
            table.setdefault(c.text[i:i + 8], set()).add(k)

    def owner(chunk: str) -> Clause | None:
        grams = {chunk[i:i + 8] for i in range(max(1, len(chunk) - 7))}
        votes = Counter(k for g in grams for k in table.get(g, ()))
        if not votes:
            return None
        k, score = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))  # ties: the earlier clause, as above
        return clauses[k] if score >= 3 else None

    return owner


def recipe_chunks(text: str) -> list[str]:
    """The tutorial's splitter: RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_text(text)


def recipe_system(chunks: Sequence[tuple[str, Citation]], embedder, k: int = 3,
                  vectors=None) -> System:
    """The LangChain tutorial recipe over chunks already credited to a citation: FAISS, top ``k``, never refuses.

    Args:
        chunks: (chunk text, the citation it stands for), in corpus order.
        embedder: our embedder (through :class:`~assistant._langchain.EmbeddingsAdapter`).
        vectors: the chunks' embeddings when already computed (else LangChain embeds them).
    """
    from langchain_community.vectorstores import FAISS

    from assistant._langchain import EmbeddingsAdapter

    texts = [t for t, _ in chunks]
    metadatas = [{"n": n} for n in range(len(chunks))]
    adapter = EmbeddingsAdapter(embedder)
    if vectors is None:
        store = FAISS.from_texts(texts, adapter, metadatas=metadatas)
    else:
        store = FAISS.from_embeddings(list(zip(texts, [v.tolist() for v in vectors])), adapter, metadatas=metadatas)

    def run(turns: Sequence[str]) -> dict:
        t0 = time.perf_counter()
        docs = store.similarity_search(" ".join(turns), k=k)
        cits = tuple(chunks[d.metadata["n"]][1] for d in docs)
        return Record("", turns[-1], "\n\n".join(d.page_content for d in docs), False, cits,
                      round((time.perf_counter() - t0) * 1e3, 2)).to_dict()

    return run


def langchain_recipe(page: str, clauses: Sequence[Clause], embedder, k: int = 3) -> System:
    """The LangChain tutorial recipe: 500/50 character chunks of the whole page, FAISS, top 3, never refuses.

    Each chunk is credited to the clause it overlaps most, so its citations can match gold clauses.
    """
    chunks = []
    for n, ch in enumerate(recipe_chunks(page)):
        c = _best_clause(ch, clauses)
        chunks.append((ch, Citation.of(c, ch) if c else Citation(f"chunk-{n}", "", "", (), ch)))
    return recipe_system(chunks, embedder, k)


# ---------------------------------------------------------------- a corpus index (python -m assistant ingest)

def corpus_system(assistant) -> System:
    """A :class:`~assistant.corpus_assistant.CorpusAssistant`: the last turn answered and timed (each turn
    stands alone over a corpus; the earlier ones are passed as history strings)."""

    def run(turns: Sequence[str]) -> dict:
        t0 = time.perf_counter()
        answer = assistant.ask(turns[-1], list(turns[:-1]))
        return answer.to_record(latency_ms=(time.perf_counter() - t0) * 1e3)

    return run


def corpus_recipe_chunks(store, read=None) -> list[tuple[str, Citation]]:
    """Every ingested file split by the recipe, each chunk credited to the article of its own document it
    overlaps most (or to the document alone, e.g. a chunk of its heading).

    Args:
        store: a loaded :class:`~assistant.store.corpus.CorpusStore` (its documents' ``source`` files are read).
        read: file -> text (default: ingest's reader, the same text the clauses were parsed from).
    """
    from assistant.ingest.formats import read_text

    read = read or read_text
    out = []
    for doc in store.documents.values():
        clauses = [store.clauses[i] for i in store.rows[doc.id]]
        owner = shingle_owner(clauses)
        for n, ch in enumerate(recipe_chunks(read(doc.source))):
            c = owner(ch)
            out.append((ch, Citation.of(c, ch, doc) if c else
                        Citation(f"{doc.id}:chunk-{n}", "", "", (), ch, doc.title, doc.source)))
    return out


def embed_chunks(texts: Sequence[str], embedder, cache: Path | None = None, batch: int = 64):
    """The chunks' embeddings, in batches with a progress bar; kept in ``cache`` (an .npy named by the texts'
    and the embedder's hash) so that a second run over a 20-million-character corpus does not embed it again."""
    import numpy as np
    from tqdm import tqdm

    key = hashlib.sha256(json.dumps([embedder.id, *texts], ensure_ascii=False).encode("utf-8")).hexdigest()[:24]
    path = cache / f"recipe-{key}.npy" if cache else None
    if path is not None and path.exists():
        return np.load(path)
    parts = [embedder.embed_documents(list(texts[i:i + batch]))
             for i in tqdm(range(0, len(texts), batch), desc="recipe: embedding chunks", unit="batch",
                           file=sys.stderr, disable=len(texts) <= batch * 4)]
    vectors = np.vstack(parts).astype(np.float32) if parts else np.zeros((0, 1), np.float32)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    return vectors


def corpus_langchain_recipe(store, k: int = 3, cache: Path | None = None) -> System:
    """The LangChain recipe over the same files as a corpus index (see :func:`recipe_system`)."""
    chunks = corpus_recipe_chunks(store)
    vectors = embed_chunks([t for t, _ in chunks], store.embedder, cache)
    return recipe_system(chunks, store.embedder, k, vectors)


def rank_documents(scores: Sequence[float]) -> list[int]:
    """Document indices best first, ties in corpus order (pure)."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))


def bm25_doc(store) -> System:
    """Plain jieba BM25 over whole documents (title and every clause's text as one bag of tokens, bm25s): the
    first citation is the best document's article that scores best by the store's clause-level BM25 (so the
    question's hit@1 can be counted too); never refuses."""
    import numpy as np

    from assistant.store.faiss_store import build_bm25
    from assistant.text import content_tokens

    ids = list(store.documents)
    tokens = [content_tokens(store.tokenize(
        "\n".join([store.documents[d].title, *(store.clauses[i].text for i in store.rows[d])]))) for d in ids]
    model = build_bm25(tokens)
    vocab = model.vocab_dict

    def run(turns: Sequence[str]) -> dict:
        t0 = time.perf_counter()
        q = [t for t in dict.fromkeys(content_tokens(store.tokenize(turns[-1]))) if t in vocab]
        scores = np.asarray(model.get_scores(q)) if q else np.zeros(len(ids))
        best = ids[rank_documents(scores.tolist())[0]]
        rows = store.rows[best]
        clause_scores = store.bm25_of(q, rows)
        clause = store.clauses[int(rows[int(np.argmax(clause_scores))])]
        doc = store.documents[best]
        cit = Citation.of(clause, clause.text, doc)
        return Record("", turns[-1], f"《{doc.title}》{clause.label}：{clause.text}", False, (cit,),
                      round((time.perf_counter() - t0) * 1e3, 2)).to_dict()

    return run


def corpus_baselines(store, cache: Path | None = None) -> dict[str, System]:
    """The corpus baselines of the report, keyed by name."""
    return {"bm25-doc": bm25_doc(store), "langchain-recipe": corpus_langchain_recipe(store, cache=cache)}


def baselines(assistant: Assistant, page: str) -> dict[str, System]:
    """The three baselines of the report, keyed by name."""
    return {
        "bm25-only": single_signal(assistant, "bm25"),
        "dense-only": single_signal(assistant, "dense"),
        "langchain-recipe": langchain_recipe(page, assistant.index.clauses, assistant.index.embedder),
    }


def with_id(record: dict, qid: str) -> dict:
    return {"id": qid, **{k: v for k, v in record.items() if k != "id"}}

