"""Immutable records shared by every stage: Document, Clause, Hit, Citation, Answer, Record; the Answerer contract."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Iterator, Protocol, Sequence


@dataclass(frozen=True)
class Document:
    """One ingested document of a corpus index (see ``assistant/ingest/documents.py``).

    Attributes:
        id: unique within the corpus, stable across runs (the file's stem, disambiguated when two files share it).
        title: as printed, e.g. ``护士条例``.
        issuer, number, date, kind: header fields as parsed (``""`` when not printed; date ``YYYY-MM-DD``).
        source: the file it was ingested from (absolute path).
        sha256: SHA-256 of the file's bytes (an unchanged file is not ingested again).
        clauses: how many clauses it holds.
    """

    id: str
    title: str
    issuer: str = ""
    number: str = ""
    date: str = ""
    kind: str = ""
    source: str = ""
    sha256: str = ""
    clauses: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Clause:
    """One numbered unit of the plan (a task, a safeguard, an indicator, the preamble).

    Attributes:
        id: stable id, e.g. ``2.5.2`` for 二、(五) 2.; ``0`` is the preamble.
        kind: ``preamble``, ``goal``, ``task`` or ``safeguard``.
        path: the section path as printed, e.g. ``二、主要任务 > (五)实施双创环境优化行动 > 2.``.
        title: the title sentence without its final 。, e.g. ``强化知识产权保护``.
        text: the whole paragraph as printed, without the ``(责任单位:…)`` suffix.
        bureaus: every responsible bureau, in printed order.
        bureau_groups: the same bureaus grouped as printed (``,`` separates groups).
        document: the :class:`Document` id in a corpus index; ``""`` for the bundled plan (then it is left out of
            :meth:`to_dict`, so the plan's index files stay as they were).
    """

    id: str
    kind: str
    path: str
    title: str
    text: str
    bureaus: tuple[str, ...] = ()
    bureau_groups: tuple[tuple[str, ...], ...] = ()
    document: str = ""

    @property
    def label(self) -> str:
        """Short citation label, e.g. ``二、(五) 2. 强化知识产权保护``."""
        parts = self.path.split(" > ")
        if self.kind in ("task", "safeguard"):
            head = parts[0].split("、")[0] + "、" + parts[1][: parts[1].index(")") + 1]
            return " ".join([head, *parts[2:], self.title])
        return self.path if self.title in self.path else f"{self.path} · {self.title}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["bureaus"] = list(self.bureaus)
        d["bureau_groups"] = [list(g) for g in self.bureau_groups]
        if not self.document:
            del d["document"]
        d["label"] = self.label
        return d


@dataclass(frozen=True)
class Hit:
    """A clause retrieved for a query, with the fused score and its parts."""

    clause: Clause
    score: float
    dense: float = 0.0
    bm25: float = 0.0
    boost: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A clause cited by an answer, with the sentences quoted from it.

    ``document`` (its title) and ``source`` (the file it was ingested from) are set where the assistant holds more
    than one document, and appear in :meth:`to_dict` only then (``shared/EVAL-FORMAT.md``).
    """

    id: str
    path: str
    title: str
    bureaus: tuple[str, ...]
    quote: str
    document: str = ""
    source: str = ""

    @classmethod
    def of(cls, clause: Clause, quote: str, document: "Document | None" = None) -> "Citation":
        if document is None:
            return cls(clause.id, clause.path, clause.title, clause.bureaus, quote)
        return cls(clause.id, clause.path, clause.title, clause.bureaus, quote, document.title, document.source)

    def to_dict(self) -> dict:
        d = {"id": self.id, "path": self.path, "title": self.title,
             "bureaus": list(self.bureaus), "quote": self.quote}
        if self.document:
            d["document"] = self.document
        if self.source:
            d["source"] = self.source
        return d


@dataclass(frozen=True)
class Answer:
    """What the assistant says for one turn.

    Attributes:
        question: the turn as the user typed it.
        standalone: the turn resolved against the conversation (equals ``question`` when no context was needed).
        text: the answer shown to the user.
        citations: cited clauses, best first; empty when refused.
        refused: True when the plan does not cover the question.
        lang: ``zh`` or ``en``.
        mode: which composer produced ``text`` (``extractive``, ``local``, ``openai``...).
        timings_ms: wall time per stage.
        meta: what a stage wants to report (e.g. a generative composer's guard result, tokens, time to first token).
    """

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    lang: str = "zh"
    standalone: str = ""
    mode: str = "extractive"
    timings_ms: dict = field(default_factory=dict, compare=False, hash=False)
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def to_record(self, id: str = "", latency_ms: float | None = None) -> dict:
        """The :class:`Record` of this answer, as a JSON-ready dict."""
        total = latency_ms if latency_ms is not None else self.timings_ms.get("total", 0.0)
        return Record(id, self.question, self.text, self.refused, self.citations, round(float(total), 2)).to_dict()


@dataclass(frozen=True)
class Record:
    """One results record of ``shared/EVAL-FORMAT.md``, the one definition of that shape: what ``POST /api/ask``
    and the chat's ``/ask`` return, ``ask --json`` prints, the chat keeps per turn and the harness grades."""

    id: str
    question: str
    answer: str
    refused: bool
    citations: tuple[Citation, ...]
    latency_ms: float

    def to_dict(self) -> dict:
        return {"id": self.id, "question": self.question, "answer": self.answer, "refused": self.refused,
                "citations": [c.to_dict() for c in self.citations], "latency_ms": self.latency_ms}


@dataclass(frozen=True)
class Verdict:
    """Whether the documents answer a question, decided between retrieval and composition.

    Attributes:
        answerable: True when the cited clauses state what is asked.
        reason: '' when answerable; else ``off_topic`` or the answer type they do not state (``amount``,
            ``procedure``, ``year_not_in_documents``…). Instructions never get this far: the pipeline declines
            them before retrieval.
        what: the missing information, worded for the asker (``具体的金额或规模``, ``the eligibility criteria``).
        pointers: clauses that mention the topic (cited as pointers by a refusal), best first.
    """

    answerable: bool
    reason: str = ""
    what: str = ""
    pointers: tuple[Clause, ...] = ()


@dataclass(frozen=True)
class Turn:
    """An earlier turn of a conversation: what the user asked and, when known, the clause ids its answer cited.

    ``cited`` is None when only the question is known (a plain-string history); the assistant then answers
    the earlier turns again to learn what they cited.
    """

    question: str
    cited: tuple[str, ...] | None = None


class Answerer(Protocol):
    """What the web app serves, whichever documents it holds: the bundled plan or a corpus index
    (``assistant/server/answerers.py`` adapts :class:`~assistant.pipeline.Assistant` and
    :class:`~assistant.corpus_assistant.CorpusAssistant` to it; ``make_answerer`` picks one by the index's manifest).

    ``documents`` arguments are ids or titles; one that names no document raises ``UnknownDocument`` (a
    ``LookupError`` of ``assistant.responsibility``) naming it. An empty sequence means every document.
    """

    kind: str  # ``plan`` or ``corpus``
    streams: bool  # whether :meth:`stream` can yield text before the Answer (a generative composer)

    def documents(self) -> list[Document]:
        """The documents served, in a stable order."""

    def resolve(self, names: Sequence[str]) -> tuple[str, ...]:
        """The ids of the documents named by id or title (a title may name several)."""

    def clauses(self, document: str | None = None) -> Sequence[Clause]:
        """The clauses of one document (by id), or every clause served, in printed order."""

    def clause(self, clause_id: str) -> Clause | None:
        """One clause by id."""

    def ask(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        """Answer one turn from the documents named (all when empty); raises ``InputError`` on bad input."""

    def stream(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Iterator[str | Answer]:
        """Text pieces, then the final :class:`Answer` (the Answer alone when it does not stream)."""

    def warm_up(self) -> None:
        """Whatever makes the first real question fast (a generative composer's prompt cache)."""

    def status(self) -> dict:
        """What ``/healthz`` reports of it: ``clauses``, ``documents`` and how the ``index`` is held."""
