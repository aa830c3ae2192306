"""The two assistants behind one contract (``assistant.types.Answerer``), and the factory that picks one by the index."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterator, Sequence

from ..parser import PLAN_TITLE
from ..responsibility import PLAN_ID, UnknownDocument
from ..settings import Settings
from ..store.corpus import read_manifest
from ..types import Answer, Answerer, Clause, Document

LISTED = 5  # an unknown document's error lists the documents when there are at most this many
NATIONAL = "中华人民共和国"  # a law is asked about without it: 专利法 for 中华人民共和国专利法


def resolve(names: Sequence[str], documents: Sequence[Document]) -> tuple[str, ...]:
    """The ids of the documents named by id, title, or title without 中华人民共和国 (pure; a title may name several).

    Raises:
        UnknownDocument: for the first name that matches none, naming it.
    """
    out: list[str] = []
    for raw in names:
        name = raw.strip()
        found = [d.id for d in documents if d.id == name] or \
                [d.id for d in documents if name and name in (d.title, d.title.removeprefix(NATIONAL))]
        if not found:
            raise UnknownDocument(unknown(raw, documents))
        out += found
    return tuple(dict.fromkeys(out))


def unknown(name: str, documents: Sequence[Document]) -> str:
    """The message for a document not served: the documents when they are few, else where they are listed."""
    shown = name if len(name) <= 60 else name[:60] + "…"
    if len(documents) <= LISTED:
        return f"no document {shown!r}; the documents are " + "; ".join(f"{d.id!r} ({d.title})" for d in documents)
    return f"no document {shown!r}; GET /api/documents lists the {len(documents)} documents"


def plan_document(source: Path) -> Document:
    """The bundled plan as one document record: id ``plan``, its header fields and its clauses (parsed once: ms).
    A page that cannot be read gives the plan's name alone; the assistant reports why when it loads (HTTP 503)."""
    try:
        return _plan_document(Path(source))
    except OSError:
        return Document(PLAN_ID, PLAN_TITLE, source=str(source))


@lru_cache(maxsize=4)  # an exception is not cached: a page that appears later is read then
def _plan_document(source: Path) -> Document:
    from ..ingest.documents import to_document
    from ..ingest.structure import parse_document
    from ..parser import parse_page

    page = source.read_text(encoding="utf-8")
    header, _ = to_document(parse_document(page), PLAN_ID)
    return Document(PLAN_ID, header.title, header.issuer, header.number, header.date, header.kind, str(source),
                    clauses=len(parse_page(page)))


def served_documents(settings: Settings) -> list[Document]:
    """The documents these settings serve, read without loading a model: a corpus index's manifest, else the plan."""
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return [plan_document(settings.source)]
    return [Document(**d) for d in manifest["documents"]]


class PlanAnswerer:
    """The bundled plan (:class:`~assistant.pipeline.Assistant`) as one document, id ``plan``.

    Args:
        assistant: the plan's assistant (or anything with its ``ask``/``ask_stream``/``index``/``composer``).
        settings: where the plan's page is (its document record) and whether a model writes (``llm``).
    """

    kind = "plan"

    def __init__(self, assistant, settings: Settings):
        self.assistant = assistant
        self.settings = settings
        self.streams = settings.llm != "none"

    def documents(self) -> list[Document]:
        return [plan_document(self.settings.source)]

    def resolve(self, names: Sequence[str]) -> tuple[str, ...]:
        return resolve(names, self.documents())

    def clauses(self, document: str | None = None) -> Sequence[Clause]:
        return self.assistant.index.clauses

    def clause(self, clause_id: str) -> Clause | None:
        return self.assistant.index.by_id.get(clause_id)

    def ask(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        self.resolve(documents)  # its own id or title, or nothing: every answer is from the plan anyway
        return self.assistant.ask(question, history)

    def stream(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Iterator[str | Answer]:
        self.resolve(documents)
        if not self.streams:
            yield self.assistant.ask(question, history)
            return
        yield from self.assistant.ask_stream(question, history)

    def warm_up(self) -> None:
        self.assistant.composer.warm_up()  # a generative composer precomputes its system prompts' KV cache

    def status(self) -> dict:
        stored = self.assistant.index.manifest.get("stored", True)
        return {"clauses": len(self.assistant.index.clauses), "documents": 1,
                "index": "stored" if stored else "in memory: the index folder is not writable"}


class CorpusAnswerer:
    """A corpus index (:class:`~assistant.corpus_assistant.CorpusAssistant`): its documents as the manifest lists them.

    Args:
        assistant: the corpus assistant (its ``store`` holds the documents and clauses).
    """

    kind = "corpus"
    streams = False  # extractive only: no model writes over a corpus yet

    def __init__(self, assistant):
        self.assistant = assistant
        self.store = assistant.store

    def documents(self) -> list[Document]:
        return list(self.store.shown.values())

    def resolve(self, names: Sequence[str]) -> tuple[str, ...]:
        return resolve(names, self.documents())

    def clauses(self, document: str | None = None) -> Sequence[Clause]:
        if document is None:
            return self.store.clauses
        return [self.store.clauses[i] for i in self.store.rows[document]]

    def clause(self, clause_id: str) -> Clause | None:
        return self.store.by_id.get(clause_id)

    def ask(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        return self.assistant.ask(question, history, self.resolve(documents))

    def stream(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Iterator[str | Answer]:
        yield self.ask(question, history, documents)

    def warm_up(self) -> None:
        # the warm-up question has loaded the embedder; the English dictionary is built here, not on a visitor's
        # first English question (3 s on 151,184 clauses)
        self.assistant.dictionary()

    def status(self) -> dict:
        return {"clauses": len(self.store.clauses), "documents": len(self.store.documents), "index": "stored"}


def make_answerer(settings: Settings) -> Answerer:
    """The corpus assistant when ``settings.index_dir`` holds a corpus index (its manifest's ``kind``), else the plan's.

    Raises:
        Whatever loading the index raises (``FileNotFoundError``, ``ValueError``…).
    """
    if read_manifest(settings.index_dir) is not None:
        from ..corpus_assistant import CorpusAssistant

        return CorpusAnswerer(CorpusAssistant(settings))
    from ..pipeline import Assistant

    return PlanAnswerer(Assistant(settings, progress=False), settings)


def answerer_for(assistant, settings: Settings) -> Answerer:
    """An already-built assistant (tests share one) behind the contract."""
    from ..corpus_assistant import CorpusAssistant

    if isinstance(assistant, CorpusAssistant):
        return CorpusAnswerer(assistant)
    return PlanAnswerer(assistant, settings)
