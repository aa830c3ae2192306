"""The embedded backend: FAISS (exact or HNSW) and bm25s, loaded from a corpus index folder."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .base import Channel, Store, check_lengths, clause_key

BM25_DIR = "bm25"
VECTORS = "vectors.faiss"
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def faiss_kind(n: int, exact_max: int) -> str:
    """``flat`` (exact inner product) up to ``exact_max`` vectors, ``hnsw`` (approximate) above."""
    return "flat" if n <= exact_max else "hnsw"


def build_faiss(vectors: np.ndarray, exact_max: int):
    """The FAISS index for these rows: exact below the threshold, HNSW above it."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if faiss_kind(len(vectors), exact_max) == "flat":
        index = faiss.IndexFlatIP(vectors.shape[1])
    else:
        index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(vectors)
    return index


def build_bm25(tokens: Sequence[Sequence[str]]):
    import bm25s

    model = bm25s.BM25()
    # bm25s needs one token per document at least; an empty clause gets a placeholder that no query holds
    model.index([list(t) or ["\x00"] for t in tokens], show_progress=False)
    return model


class FaissStore(Store):
    """FAISS and bm25s over a corpus index's rows (the manifest's documents in order, each one's clauses in order).

    ``add`` and ``delete`` change the loaded index in memory (both indexes are rebuilt at the next search, from the
    vectors and the tokens); ``python -m assistant ingest`` writes the folder itself (:func:`write_files`).

    Args:
        directory: the index folder (``vectors.faiss``, ``bm25/``, ``docs/<key>.tokens.json``).
        keys: each row's :func:`~assistant.store.base.clause_key`.
        documents: each row's document id.
        token_files: each document's tokens file (read only when the index is first changed).
        exact_max: up to this many rows a rebuilt index is exact, above it HNSW.
    """

    def __init__(self, directory: Path, keys: Sequence[int], documents: Sequence[str],
                 token_files: Mapping[str, Path], exact_max: int = 50_000):
        import bm25s
        import faiss

        self.location = str(directory)
        self.exact_max = exact_max
        self._token_files = dict(token_files)
        self.index = faiss.read_index(str(Path(directory) / VECTORS))
        if self.index.ntotal != len(keys):
            raise ValueError(f"{directory}: {self.index.ntotal} vectors for {len(keys)} clauses")
        if hasattr(self.index, "hnsw"):  # IndexHNSWFlat, as build_faiss writes above exact_max
            self.index.hnsw.efSearch = HNSW_EF_SEARCH
        self._bm25 = bm25s.BM25.load(str(Path(directory) / BM25_DIR), show_progress=False) if len(keys) else None
        self._set_rows(list(keys), list(documents))
        self._tokens: list | None = None  # every row's tokens, once the index has been changed
        self._matrix: np.ndarray | None = None
        self._dirty = False
        self._memo: tuple | None = None

    def _set_rows(self, keys: list[int], documents: list[str]) -> None:
        self._keys = np.asarray(keys, dtype=np.int64)
        self._docs = documents
        self._row = {k: i for i, k in enumerate(keys)}
        by_doc: dict[str, list[int]] = {}
        for i, d in enumerate(documents):
            by_doc.setdefault(d, []).append(i)
        self._doc_rows = {d: np.asarray(r, dtype=np.int64) for d, r in by_doc.items()}
        self._memo = None

    # ------------------------------------------------------------------ writing (in memory)

    def _materialize(self) -> None:
        """Every row's vector and tokens, so the indexes can be rebuilt after a change."""
        if self._tokens is not None:
            return
        self._matrix = self.index.reconstruct_n(0, self.index.ntotal) if self.index.ntotal else \
            np.zeros((0, self.index.d), dtype=np.float32)
        tokens = []
        for doc in dict.fromkeys(self._docs):
            tokens += json.loads(Path(self._token_files[doc]).read_text(encoding="utf-8"))
        if len(tokens) != len(self._docs):
            raise ValueError(f"{self.location}: {len(tokens)} token lists for {len(self._docs)} clauses")
        self._tokens = tokens

    def add(self, document_id, clause_ids, texts, tokens, vectors) -> None:
        check_lengths(document_id, clause_ids, texts, tokens, vectors)
        keys = [clause_key(document_id, c) for c in clause_ids]
        if document_id in self._doc_rows:
            raise ValueError(f"document {document_id!r} is already stored; delete it first")
        self._materialize()
        self._matrix = np.vstack([self._matrix, np.asarray(vectors, dtype=np.float32)])
        self._tokens += [list(t) for t in tokens]
        self._set_rows([*self._keys.tolist(), *map(int, keys)], [*self._docs, *[document_id] * len(keys)])
        self._dirty = True

    def delete(self, document_id) -> int:
        rows = self._doc_rows.get(document_id)
        if rows is None:
            return 0
        self._materialize()
        keep = np.ones(len(self._docs), dtype=bool)
        keep[rows] = False
        self._matrix = self._matrix[keep]
        self._tokens = [t for t, k in zip(self._tokens, keep) if k]
        self._set_rows(self._keys[keep].tolist(), [d for d, k in zip(self._docs, keep) if k])
        self._dirty = True
        return len(rows)

    def flush(self) -> None:
        if self._dirty:
            self.index = build_faiss(self._matrix, self.exact_max)
            if hasattr(self.index, "hnsw"):
                self.index.hnsw.efSearch = HNSW_EF_SEARCH
            self._bm25 = build_bm25(self._tokens) if self._tokens else None
            self._dirty = False
            self._memo = None

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        return len(self._docs)

    def vocabulary(self) -> Mapping[str, int]:
        self.flush()
        if self._bm25 is None:
            return {}
        # clauses holding each token: the lengths of the sparse matrix's columns
        df = np.diff(np.asarray(self._bm25.scores["indptr"]))
        return {t: int(df[i]) if i < len(df) else 0 for t, i in self._bm25.vocab_dict.items()}

    def _vectors_rows(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, self.index.d), dtype=np.float32)
        return self.index.reconstruct_batch(rows)

    def vectors(self, keys) -> np.ndarray:
        self.flush()
        return self._vectors_rows(np.array([self._row[int(k)] for k in keys], dtype=np.int64))

    def dense(self, q, k, documents=()) -> dict[int, float]:
        self.flush()
        if documents:  # a few documents: every one of their rows, exactly
            rows = np.concatenate([self._doc_rows.get(d, np.zeros(0, np.int64)) for d in documents])
            sims = self._vectors_rows(rows) @ q
            best = np.argsort(-sims, kind="stable")[:k]
            return {int(self._keys[rows[i]]): float(sims[i]) for i in best}
        if not self.count():
            return {}
        sims, ids = self.index.search(np.asarray(q, dtype=np.float32).reshape(1, -1), min(k, self.index.ntotal))
        return {int(self._keys[i]): float(s) for i, s in zip(ids[0], sims[0]) if i >= 0}

    def _scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every row (bm25s sums the query tokens' sparse columns: no loop over clauses)."""
        vocab = self._bm25.vocab_dict if self._bm25 is not None else {}
        known = [t for t in dict.fromkeys(tokens) if t in vocab]
        if not known:
            return np.zeros(self.count(), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def _total(self, channels: Sequence[Channel]) -> np.ndarray:
        # the fusion asks for the top rows, then for the dense candidates' scores: score every row once
        memo = tuple((tuple(t), w) for t, w in channels)
        if self._memo is None or self._memo[0] != memo:
            total = np.zeros(self.count(), dtype=np.float32)
            for i, (tokens, weight) in enumerate(channels):
                scores = self._scores(tokens)
                total = scores if i == 0 and weight == 1 else total + weight * scores
            self._memo = (memo, total)
        return self._memo[1]

    def bm25(self, channels, k, documents=(), keys=None) -> dict[int, float]:
        self.flush()
        total = self._total(channels)
        if keys is not None:
            return {int(key): float(total[self._row[int(key)]]) for key in keys}
        if documents:
            mask = np.zeros(len(total), dtype=bool)
            for d in documents:
                mask[self._doc_rows.get(d, np.zeros(0, np.int64))] = True
            total = np.where(mask, total, 0.0)
        if not len(total):
            return {}
        top = np.argpartition(-total, min(k, len(total) - 1))[:k]
        return {int(self._keys[i]): float(total[i]) for i in top if total[i] > 0}
