"""The Store contract every corpus backend fulfils (FAISS + bm25s, Milvus), and the ASSISTANT_STORE factory."""
from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

# A BM25 query: our jieba content tokens and the weight its scores carry (the question's own tokens weigh 1, an
# English question's dictionary terms weigh ``Weights.dictionary``).
Channel = tuple[Sequence[str], float]


def clause_key(document_id: str, clause_id: str) -> int:
    """A clause's stable 63-bit key (Milvus' int64 primary key; the same in every backend), from its document and
    clause ids: row numbers shift when an incremental ingest adds a document before others."""
    digest = hashlib.sha1(f"{document_id}\x00{clause_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def check_lengths(document_id: str, clause_ids, texts, tokens, vectors) -> None:
    """Raises ValueError unless one id, text, token list and vector per clause."""
    if not len(clause_ids) == len(texts) == len(tokens) == len(vectors):
        raise ValueError(f"add {document_id!r}: {len(clause_ids)} clause ids, {len(texts)} texts, {len(tokens)} "
                         f"token lists and {len(vectors)} vectors")


class Store(ABC):
    """Clause vectors and texts of one corpus, searched by a dense and a BM25 channel; clauses are known by
    :func:`clause_key`. Fusion, the in-scope evidence (coverage, IDF, place penalty) and the clauses themselves
    are above it, in :class:`~assistant.store.corpus.CorpusStore`, so every backend ranks the same way.

    Scores: ``dense`` is the inner product of the (normalised) vectors, i.e. the cosine; ``bm25`` is the Lucene
    BM25 of bm25s (k1 1.5, b 0.75, without the ``k1 + 1`` factor), summed over the channels with their weights.
    """

    location: str  # where the data lives, for messages and /healthz (a folder, a Milvus URI)

    @abstractmethod
    def count(self) -> int:
        """How many clauses the store holds."""

    @abstractmethod
    def add(self, document_id: str, clause_ids: Sequence[str], texts: Sequence[str],
            tokens: Sequence[Sequence[str]], vectors: np.ndarray) -> None:
        """Add one document's clauses (a document not stored yet): their ids, BM25 texts, our jieba content tokens
        of those texts, and their unit vectors, one row per clause. A backend's BM25 tokenises ``texts`` with its
        own analyzer or indexes ``tokens``; every backend counts ``tokens`` for :meth:`vocabulary`."""

    @abstractmethod
    def delete(self, document_id: str) -> int:
        """Remove every clause of a document; returns how many were removed (0 for an unknown document)."""

    @abstractmethod
    def dense(self, q: np.ndarray, k: int, documents: Sequence[str] = ()) -> dict[int, float]:
        """Key -> cosine of the best ``k`` clauses for the unit query vector (within ``documents`` when given)."""

    @abstractmethod
    def bm25(self, channels: Sequence[Channel], k: int, documents: Sequence[str] = (),
             keys: Sequence[int] | None = None) -> dict[int, float]:
        """Key -> weighted BM25 score: of the best ``k`` clauses with a positive score (within ``documents`` when
        given), or, when ``keys`` are given, of those clauses (0 where no token matches)."""

    @abstractmethod
    def vectors(self, keys: Sequence[int]) -> np.ndarray:
        """The stored vectors of these clauses, in this order (one row each)."""

    @abstractmethod
    def vocabulary(self) -> Mapping[str, int]:
        """Our jieba token -> how many clauses hold it: what coverage's IDF and CC-CEDICT's vocabulary read."""

    def flush(self) -> None:
        """Make what was added or deleted durable and searchable (nothing to do for most backends)."""

    def close(self) -> None:
        """Release connections (nothing to do for an in-process index)."""


# ---------------------------------------------------------------------------------------------- ASSISTANT_STORE

@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``ASSISTANT_STORE``: ``kind`` is ``faiss`` or ``milvus``; ``uri`` what ``MilvusClient`` opens (a
    Milvus Lite ``.db`` path, or an http(s) address of Milvus Standalone or Distributed)."""

    kind: str
    uri: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "faiss" else f"milvus {self.uri}"


SPEC_HELP = "faiss, milvus-lite:PATH.db, milvus://HOST:PORT or https://HOST:PORT"


def parse_store(value: str | None) -> StoreSpec:
    """``faiss`` (default, also empty), ``milvus-lite:PATH.db``, ``milvus://HOST:PORT`` (plain gRPC),
    ``http://HOST:PORT`` or ``https://HOST:PORT`` (TLS) (pure).

    Raises:
        ValueError: anything else, naming ASSISTANT_STORE.
    """
    v = (value or "").strip()
    if v in ("", "faiss"):
        return StoreSpec("faiss")
    if v.startswith("milvus-lite:"):
        path = v.removeprefix("milvus-lite:")
        # pymilvus hands a URI ending in .db to Milvus Lite; anything else it would dial as a server
        if not path.endswith(".db"):
            raise ValueError(f"ASSISTANT_STORE milvus-lite:PATH needs a PATH ending in .db, not {path!r}")
        return StoreSpec("milvus", str(Path(path).expanduser().absolute()))
    m = re.fullmatch(r"(milvus|https?)://([A-Za-z0-9.\-]+)(?::(\d+))?/?", v)
    if m:
        scheme = "https" if m.group(1) == "https" else "http"
        return StoreSpec("milvus", f"{scheme}://{m.group(2)}:{m.group(3) or 19530}")
    raise ValueError(f"ASSISTANT_STORE must be {SPEC_HELP}, not {v!r}")


def collection_name(directory: Path) -> str:
    """The Milvus collection of a corpus index folder: ``corpus_`` and a hash of its absolute path, so several
    corpora (and test runs) share one Milvus without meeting."""
    return "corpus_" + hashlib.sha1(str(Path(directory).absolute()).encode("utf-8")).hexdigest()[:16]
