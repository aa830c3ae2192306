"""Filling a Milvus collection from a corpus index folder without embedding again (`store copy`, ingest's sync)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..types import Document
from .base import StoreSpec, collection_name
from .corpus import DOCS, bm25_text, doc_key, read_clauses, read_manifest, tokens_file

# documents per insert round: a few thousand rows, so a round trip carries enough to be worth it
DOCS_PER_ROUND = 40


def document_rows(directory: Path, document: Document) -> tuple:
    """One document's ``Store.add`` arguments from the index folder: clause ids, BM25 texts, tokens, vectors. The
    vectors are the per-document ``.npy`` files ingest keeps (the very rows it put into FAISS; reading them needs
    no FAISS reconstruction, which an HNSW index of 150,000 vectors would make slow)."""
    import json

    clauses = read_clauses(directory, document.id)
    tokens = json.loads(tokens_file(directory, document.id).read_text(encoding="utf-8"))
    vectors = np.load(Path(directory) / DOCS / f"{doc_key(document.id)}.npy")
    return (document.id, [c.id for c in clauses], [bm25_text(document, c) for c in clauses], tokens, vectors)


def open_milvus(spec: StoreSpec, directory: Path, manifest: dict, *, fresh: bool = False):
    """The Milvus store of this index folder (its collection dropped first when ``fresh``), vocabulary empty: a
    writer needs none."""
    from .milvus_store import MilvusStore, connect

    client = connect(spec.uri)
    name = collection_name(directory)
    if fresh and client.has_collection(name):
        client.drop_collection(name)
    exact = manifest.get("faiss", "flat") == "flat"
    return MilvusStore(client, name, int(manifest["dim"]), {}, exact=exact, location=spec.uri)


def copy_index(directory: Path, spec: StoreSpec, progress: Callable[[int, int], None] | None = None) -> dict:
    """Every document of the index in ``directory`` into a fresh Milvus collection; returns counts and seconds.

    Raises:
        FileNotFoundError: no corpus index there.
        ValueError: the store named is FAISS (the folder already is that store).
    """
    if spec.kind != "milvus":
        raise ValueError("ASSISTANT_STORE must name a Milvus store to copy into (the folder is the FAISS one)")
    manifest = read_manifest(directory)
    if manifest is None:
        raise FileNotFoundError(f"no corpus index in {directory}")
    t0 = time.perf_counter()
    store = open_milvus(spec, directory, manifest, fresh=True)
    documents = [Document(**d) for d in manifest["documents"]]
    done = 0
    for i in range(0, len(documents), DOCS_PER_ROUND):
        batch = [document_rows(directory, d) for d in documents[i:i + DOCS_PER_ROUND]]
        store.add_many(batch)
        done += sum(len(b[1]) for b in batch)
        if progress:
            progress(done, int(manifest["clauses"]))
    store.flush()
    held = store.count()
    store.close()
    return {"collection": store.collection, "documents": len(documents), "clauses": held,
            "seconds": time.perf_counter() - t0}


def sync_index(directory: Path, spec: StoreSpec, changed: Sequence[str], removed: Sequence[str]) -> dict:
    """After an ingest into ``directory``: the changed documents replaced and the removed ones deleted in its
    Milvus collection; the whole index copied instead when the collection does not hold what the folder held."""
    manifest = read_manifest(directory)
    t0 = time.perf_counter()
    store = open_milvus(spec, directory, manifest)
    documents = {d["id"]: Document(**d) for d in manifest["documents"]}
    for doc_id in [*changed, *removed]:
        store.delete(doc_id)
    fresh = [d for d in changed if d in documents]
    for i in range(0, len(fresh), DOCS_PER_ROUND):
        store.add_many([document_rows(directory, documents[d]) for d in fresh[i:i + DOCS_PER_ROUND]])
    store.flush()
    held = store.count()
    store.close()
    if held != int(manifest["clauses"]):  # a collection filled from another state of the folder, or none yet
        return copy_index(directory, spec)
    return {"collection": store.collection, "documents": len(documents), "clauses": held,
            "seconds": time.perf_counter() - t0}
