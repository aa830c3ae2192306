"""The LangChain adapter: our Clause/Embedder types to LangChain Documents and Embeddings, and back."""
from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from .embedders import Embedder
from .types import Clause


def clause_to_document(clause: Clause) -> Document:
    """A clause as a LangChain Document (text plus the citation fields as metadata)."""
    return Document(page_content=clause.text, metadata={
        "id": clause.id, "kind": clause.kind, "path": clause.path, "title": clause.title,
        "bureaus": list(clause.bureaus), "bureau_groups": [list(g) for g in clause.bureau_groups],
    })


def document_to_clause(doc: Document) -> Clause:
    """The inverse of :func:`clause_to_document`."""
    m = doc.metadata
    return Clause(m["id"], m["kind"], m["path"], m["title"], doc.page_content, tuple(m["bureaus"]),
                  tuple(tuple(g) for g in m["bureau_groups"]))


class EmbeddingsAdapter(Embeddings):
    """Any of our embedders as LangChain ``Embeddings``."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()
