"""The corpus store: every clause of every ingested document, searched by FAISS and BM25 (bm25s) candidates."""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ..retrieval import Query, Weights, fuse
from ..text import content_tokens
from ..types import Clause, Document, Hit

FORMAT_VERSION = 1
KIND = "corpus"
MANIFEST = "manifest.json"
DOCS = "docs"  # one clauses/vectors/tokens triple per document, so an incremental run embeds only what changed
VECTORS = "vectors.faiss"
BM25_DIR = "bm25"
# Embedded text per clause: the document title, the heading path and the start of the text. USE's cost grows
# steeply with length (measured ~450 texts/s at 128 characters, ~330/s at 256 on 2 cores), and an article's
# opening names what it is about.
EMBED_CHARS = 160
EMBED_BATCH = 16
# How many candidates each channel proposes before fusion.
CANDIDATES = 100
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
_ARTICLE_REF = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十\d]+)?")


def doc_key(doc_id: str) -> str:
    """The file name stem of a document's files (ids can be long Chinese titles; names have a byte limit)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:20]


def embed_text(document: Document, clause: Clause) -> str:
    return f"{document.title} {clause.path} {clause.text}"[:EMBED_CHARS]


def bm25_text(document: Document, clause: Clause) -> str:
    # The document's title is in every clause's text: "护士执业注册" finds 护士条例's articles on registration.
    title = "" if clause.title in clause.path else clause.title
    return f"{document.title} {clause.path} {title} {clause.text}"


def read_manifest(directory: Path) -> dict | None:
    """The corpus manifest, or None when the folder holds none (missing, unreadable or not a corpus index)."""
    try:
        m = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and m.get("kind") == KIND else None


def is_corpus_index(directory: Path | None) -> bool:
    return directory is not None and read_manifest(Path(directory)) is not None


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


def document_title_share(question: str, title: str) -> float:
    """1.0 when the question names the document (its title, or the title without 中华人民共和国), else 0 (pure)."""
    short = title.removeprefix("中华人民共和国")
    return 1.0 if title and (title in question or (len(short) >= 2 and short in question)) else 0.0


_CJK = re.compile(r"[\u4e00-\u9fff]+")


def bigram_share(question: str, text: str) -> float:
    """Share of the question's Chinese character pairs found in the text (pure): "伪造货币的总面额" is said word for
    word by the article that answers it, and only in pieces by its neighbours."""
    pairs = {run[i:i + 2] for run in _CJK.findall(question) for i in range(len(run) - 1)}
    return sum(p in text for p in pairs) / len(pairs) if pairs else 0.0


def place_head(name: str, places: dict) -> str:
    """The place a title or an issuer opens with (北京市, 山东省, 景宁畲族自治县, 深圳经济特区), or '' (pure).

    ``places`` is ``data/corpus.json``'s "places": ``provinces`` (short names), ``suffixes`` (市, 县, …) and
    ``not_places`` (what opens a national title and then reaches a suffix: 国家市场监督管理总局, 城市市容…) and
    ``not_in_places`` (what no place name holds: 王某诉安徽省… is a case).
    """
    if name.startswith("中华人民共和国"):
        return ""
    for p in places.get("provinces", ()):
        if name.startswith(p):
            m = re.match(rf"{re.escape(p)}(?:{'|'.join(map(re.escape, places.get('suffixes', ())))})?", name)
            return m.group(0)
    suffixes = "|".join(map(re.escape, places.get("suffixes", ())))
    m = re.match(rf"[\u4e00-\u9fff]{{2,8}}?(?:{suffixes})", name) if suffixes else None
    head = m.group(0) if m else ""
    if (not head or any(head.startswith(w) for w in places.get("not_places", ()))
            or any(w in head for w in places.get("not_in_places", ()))):
        return ""
    return head


def place_names(heads, places: dict) -> frozenset:
    """What a question may call those places: each head, and without its suffix when two characters remain."""
    out = set(places.get("provinces", ()))
    for h in heads:
        out.add(h)
        for suffix in places.get("suffixes", ()):
            if h.endswith(suffix) and len(h) - len(suffix) >= 2:
                out.add(h[: -len(suffix)])
    return frozenset(out)


def prefer(hits: Sequence[Hit], penalty: dict[str, float]) -> list[Hit]:
    """Hits re-ranked with each penalised document's score lowered by its penalty (pure): when the question names
    no place, the national law comes before a province's copy of it that says nearly the same."""
    if not penalty:
        return list(hits)
    moved = [Hit(h.clause, h.score - penalty.get(h.clause.document, 0.0), h.dense, h.bm25, h.boost) for h in hits]
    return sorted(moved, key=lambda h: -h.score)


@dataclass(frozen=True)
class CorpusHits:
    """What the store found: hits best first (candidates only), and the evidence for the in-scope decision."""

    hits: tuple[Hit, ...]
    dense_max: float
    coverage: float  # share of the question's own content tokens in the best hit (its document title included)


class CorpusStore:
    """A loaded corpus index: documents, clauses in row order, FAISS and BM25 over the same rows.

    Args:
        directory: the index folder written by :func:`assistant.ingest.corpus.ingest`.
        embedder: the embedder the index was built with (its id must match the manifest's).
        tokenize: the jieba tokenizer (the same one ingest used).
    """

    def __init__(self, directory: Path, embedder, tokenize, places: dict | None = None):
        import bm25s
        import faiss

        self.directory = Path(directory)
        manifest = read_manifest(self.directory)
        if manifest is None:
            raise FileNotFoundError(f"no corpus index in {self.directory} (run: python -m assistant ingest PATH "
                                    f"--index-dir {self.directory})")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"corpus index format {manifest.get('format_version')} != {FORMAT_VERSION}; "
                             f"ingest again into a new folder")
        if manifest.get("embedder") != embedder.id:
            raise ValueError(f"{self.directory} was built with {manifest.get('embedder')}, not {embedder.id}")
        self.manifest = manifest
        self.places = places  # data/corpus.json's "places": what makes a document local, and a question name a place
        self.embedder = embedder
        self.tokenize = tokenize
        self.documents = {d["id"]: Document(**d) for d in manifest["documents"]}
        self.clauses: list[Clause] = []
        rows = {}
        for doc in self.documents.values():
            start = len(self.clauses)
            with open(self.directory / DOCS / f"{doc_key(doc.id)}.jsonl", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    d.pop("label", None)
                    self.clauses.append(Clause(**{**d, "bureaus": tuple(d["bureaus"]),
                                                  "bureau_groups": tuple(map(tuple, d["bureau_groups"]))}))
            rows[doc.id] = np.arange(start, len(self.clauses))
        self.rows = rows
        self.by_id = {c.id: c for c in self.clauses}
        self.faiss = faiss.read_index(str(self.directory / VECTORS))
        if self.faiss.ntotal != len(self.clauses):
            raise ValueError(f"{self.directory}: {self.faiss.ntotal} vectors for {len(self.clauses)} clauses")
        if hasattr(self.faiss, "hnsw"):
            self.faiss.hnsw.efSearch = HNSW_EF_SEARCH
        self.bm25 = bm25s.BM25.load(str(self.directory / BM25_DIR), show_progress=False)
        self._vocab = self.bm25.vocab_dict
        # clauses holding each token (the sparse matrix's column lengths), for IDF-weighted coverage
        self._df = np.diff(np.asarray(self.bm25.scores["indptr"]))
        self.bureaus = sorted({b for c in self.clauses for b in c.bureaus})
        self._find_local()

    # ------------------------------------------------------------------ documents

    def document_of(self, clause: Clause) -> Document:
        return self.documents[clause.document]

    def resolve(self, names: Sequence[str]) -> tuple[str, ...]:
        """Document ids for ids or titles (exact title first, else every title containing the name).

        Raises:
            ValueError: a name that matches no document.
        """
        out = []
        for name in names:
            if name in self.documents:
                out.append(name)
                continue
            exact = [d.id for d in self.documents.values() if d.title == name]
            found = exact or [d.id for d in self.documents.values() if name in d.title]
            if not found:
                raise ValueError(f"no document titled {name!r} in {self.directory}")
            out.extend(found)
        return tuple(dict.fromkeys(out))

    # ------------------------------------------------------------------ search

    def bm25_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every clause (bm25s sums the query tokens' sparse columns: no loop over clauses)."""
        known = [t for t in dict.fromkeys(tokens) if t in self._vocab]
        if not known:
            return np.zeros(len(self.clauses), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)

    def dense_candidates(self, q: np.ndarray, rows: np.ndarray | None, k: int) -> dict[int, float]:
        """Row -> cosine for the best ``k`` rows (all of ``rows`` searched exactly when a filter is given)."""
        if rows is not None:
            sims = self.vectors(rows) @ q
            best = np.argsort(-sims, kind="stable")[:k]
            return {int(rows[i]): float(sims[i]) for i in best}
        sims, ids = self.faiss.search(q.reshape(1, -1), min(k, self.faiss.ntotal))
        return {int(i): float(s) for i, s in zip(ids[0], sims[0]) if i >= 0}

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, self.faiss.d), dtype=np.float32)
        return self.faiss.reconstruct_batch(rows)

    def search(self, query: Query, documents: Sequence[str] = (), weights: Weights = Weights(),
               k: int = CANDIDATES) -> CorpusHits:
        """Candidates from FAISS top-k and BM25 top-k, fused (dense, BM25, document named, article named).

        Args:
            query: the analysed question.
            documents: document ids to search within (all when empty).
            weights: the fusion weights of the plan's retrieval.
            k: candidates per channel.
        """
        rows = np.concatenate([self.rows[d] for d in documents]) if documents else None
        q = self.embedder.embed_query(query.embed_text).astype(np.float32)
        dense = self.dense_candidates(q, rows, k)
        bm_all = self.bm25_scores(query.tokens)
        if query.dictionary:  # an English question's words as the documents' Chinese terms, weighed as the plan does
            bm_all = bm_all + weights.dictionary * self.bm25_scores(query.dictionary)
        if rows is not None:
            mask = np.zeros(len(bm_all), dtype=bool)
            mask[rows] = True
            bm_all = np.where(mask, bm_all, 0.0)
        top_bm = np.argpartition(-bm_all, min(k, len(bm_all) - 1))[:k] if len(bm_all) else np.array([], int)
        candidates = list(dict.fromkeys([*dense, *(int(i) for i in top_bm if bm_all[i] > 0)]))
        if not candidates:
            return CorpusHits((), -1.0, 0.0)
        missing = [i for i in candidates if i not in dense]
        if missing:
            dense.update(zip(missing, (self.vectors(np.array(missing)) @ q).tolist()))
        clauses = [self.clauses[i] for i in candidates]
        d = np.array([dense[i] for i in candidates], dtype=np.float32)
        bm = bm_all[candidates].astype(np.float32)
        # the title channel of the plan's fusion carries: the document named, its article named, the words said
        evidence = self._named(query.text, clauses) + np.array([bigram_share(query.text, c.text) for c in clauses],
                                                               dtype=np.float32)
        hits = prefer(fuse(clauses, query, d, bm, evidence, weights), self.local_penalty(query.text))
        return CorpusHits(tuple(hits), float(d.max()), self.coverage(query.text, hits[0].clause))

    def local_penalty(self, question: str) -> dict[str, float]:
        """Per local document, what its hits lose when the question names no place (see :func:`prefer`)."""
        if not self.places or not self._local_docs:
            return {}
        if any(name in question for name in self._place_names):
            return {}
        return self._local_docs

    def _find_local(self) -> None:
        """Which documents are local (a province's or a city's), and the place names a question may use."""
        heads = {d.id: place_head(d.title, self.places) or place_head(d.issuer, self.places)
                 for d in self.documents.values()} if self.places else {}
        penalty = float((self.places or {}).get("penalty", 0.0))
        self._local_docs = {i: penalty for i, h in heads.items() if h and penalty}
        self._place_names = place_names({h for h in heads.values() if h}, self.places or {})

    def _named(self, question: str, clauses: Sequence[Clause]) -> np.ndarray:
        """Per candidate: 1 when the question names its document, +1 when it also names its article (第七条)."""
        refs = set(_ARTICLE_REF.findall(question))
        out = np.zeros(len(clauses), dtype=np.float32)
        for i, c in enumerate(clauses):
            named = document_title_share(question, self.documents[c.document].title)
            article = named and c.path.split(" > ")[-1] in refs
            out[i] = named + article
        return out

    def coverage(self, question: str, clause: Clause) -> float:
        """IDF-weighted share of the question's own content tokens (not the lexicon's expansions, which are the
        plan's words) that the clause, with its document's title, contains."""
        tokens = set(content_tokens(self.tokenize(question)))
        if not tokens:
            return 0.0
        text = f"{self.documents[clause.document].title}{clause.path}{clause.text}".lower()
        weights = {t: self.idf(t) for t in tokens}
        return sum(w for t, w in weights.items() if t in text) / sum(weights.values())

    def vocabulary(self) -> list[str]:
        """Every token BM25 knows (the documents' jieba tokens): what CC-CEDICT is read for."""
        return list(self._vocab)

    def idf(self, token: str) -> float:
        """log(N / clauses holding the token); a token no clause holds weighs most (护士 in a patent corpus)."""
        i = self._vocab.get(token)
        df = int(self._df[i]) if i is not None and i < len(self._df) else 0
        return math.log((len(self.clauses) + 1) / (df + 0.5))


def corpus_tokenizer():
    """The jieba search-mode tokenizer ingest and search share (no plan words: the corpus has its own)."""
    from ..text import make_jieba_tokenizer

    return make_jieba_tokenizer(())


def load_store(directory: Path, embedder, places: dict | None = None) -> CorpusStore:
    """The corpus index in ``directory`` with this embedder (see :class:`CorpusStore`)."""
    return CorpusStore(Path(directory), embedder, corpus_tokenizer(), places)
