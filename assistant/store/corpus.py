"""The corpus store: every clause of every ingested document, searched by FAISS and BM25 (bm25s) candidates."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..embedders import CachedQueries
from ..retrieval import Query, Weights, fuse
from ..text import cn_number, content_tokens
from ..types import Clause, Document, Hit
from .base import Store, StoreSpec, clause_key, collection_name, parse_store
from .faiss_store import FaissStore

FORMAT_VERSION = 1
KIND = "corpus"
MANIFEST = "manifest.json"
DOCS = "docs"  # one clauses/vectors/tokens triple per document, so an incremental run embeds only what changed
# Embedded text per clause: the document title, the heading path and the start of the text. USE's cost grows
# steeply with length (measured ~450 texts/s at 128 characters, ~330/s at 256 on 2 cores), and an article's
# opening names what it is about.
EMBED_CHARS = 160
EMBED_BATCH = 16
# The ranking embedder's vectors of a document's clauses (Settings.ranking_embedder; ingest keeps them for an index
# of up to Settings.corpus_ranking_max clauses).
RANKING_SUFFIX = ".ranking.npy"
# … and of each longer article's passages: its sentences grouped up to WINDOW_CHARS, each after the document's title.
# A clause's own vector sees only its first EMBED_CHARS, and a law often says what is asked in a later paragraph
# (免费开放 in an article's third sentence); the clause ranks by the better of its own cosine and its best passage's.
# Measured with the weights below on the laws sets 2-17 (1,580 questions): 1,272 -> 1,292 passed, first article
# right 1,091 -> 1,112 (passages of 120 characters: 1,286 and 1,100); on 20-30 (870): 670 -> 678, 555 -> 565 (120:
# 675 and 557; 200: 674 and 558). An index written before these files ranks by the clause vectors alone.
WINDOWS_SUFFIX = ".ranking-windows.npz"
WINDOW_CHARS = 80
SENTENCE_END = re.compile(r"(?<=[。；！？\n])")
# A clause's vector sees its first EMBED_CHARS of title, path and text: the rest of a longer one is embedded too, by
# the same embedder, as passages of its sentences up to PASSAGE_CHARS (each after the document's title), for the
# in-scope rule of a question asking whether something is lawful (corpus_assistant.in_scope: the article's rule may
# be in its second sentence). Only the unseen rest: 0.49–0.90 passages per clause on the laws sets, 1.6 on the policy
# corpus; kept up to Settings.corpus_passages_max clauses. The ranking is left as it was (the dense channel of the
# fusion reads the clause vectors only).
PASSAGES_SUFFIX = ".passages.npz"
PASSAGE_CHARS = 100
# How many candidates each channel proposes before fusion.
CANDIDATES = 100
# The articles are ranked with less weight on BM25 than the plan's fusion gives, with the share of the question's
# words each holds, and with the ranking embedder's cosine below its best candidate's (never the in-scope decision,
# calibrated on the first embedder's fusion, on which its thresholds were set): a law's articles share its
# vocabulary (罚款, 部门, 应当), so BM25 tells its articles apart less than it tells the plan's tasks. Set on the laws
# sets 2-17 (1,218 single-turn questions whose gold article is among the candidates: the store's first the gold one
# 952 → 972 over a grid of the four weights), checked on 20-30 (596: 429 → 441) and by running every laws set: 1,928
# → 1,942 of 2,450 passed, first article right 1,621 → 1,646 (earlier: +0.3 dense, -0.2 BM25, 4 x e5).
RANK_DENSE = 0.0  # added to the fusion's dense weight (0.8)
RANK_BM25 = -0.5  # added to its BM25 weight (1.0)
RANK_COVERAGE = 0.3
RANK_RANKING = 8.0
# An everyday word found in the written form laws use (狗屎 as 粪便) counts this share of its weight: the written
# form is often a law's general word (开车 → 驾驶 is in every traffic article).
WRITTEN_SHARE = 0.5
ARTICLE_REF = re.compile(r"第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十\d]+)?")
# A document without articles (a resolution, a decision, a plan) numbers its parts 一、二、…: "第六条", "第三部分",
# "第二项", "第四点" of it name the part printed 六、, 三、… (and what is under it).
OUTLINE_REF = re.compile(r"第([零〇一二两三四五六七八九十百\d]+)(?:条|部分|项|点)(?!之)")
OUTLINE_MARK = re.compile(r"([零〇一二两三四五六七八九十百]+)、")
# An entry under a part, named by its number in brackets ("第(一)项", "（二）项"), and words quoted.
OUTLINE_SUB_REF = re.compile(r"第?[（(]([一二三四五六七八九十\d]+)[)）](?:项|条|点)")
OUTLINE_SUB_MARK = re.compile(r"[（(]([一二三四五六七八九十\d]+)[)）]")
QUOTED = re.compile(r"[“\"‘「『]([^”\"’」』]{2,20})[”\"’」』]")
# ... of the document whose title the question says the longest run of, this long at least (改革决定 is no title).
TITLE_RUN = 6


def outline_part(path: str) -> int:
    """The number of the top part an outline entry's path opens with (``三、保障措施 > (二)`` -> 3), else 0 (pure)."""
    return cn_number(m.group(1)) if (m := OUTLINE_MARK.match(path)) else 0


def title_said(question: str, title: str):
    """The longest run of a title the question says (a ``difflib`` Match: where in each, and how long) (pure)."""
    return SequenceMatcher(None, question, title, autojunk=False).find_longest_match(0, len(question), 0, len(title))


def pointed_documents(question: str, titles: dict[str, str]) -> frozenset:
    """The documents whose title the question says the longest run of, at least TITLE_RUN characters (pure): a long
    title is said shortened ("山东省人大常委会关于加强新时代检察机关法律监督工作的决议", "上海“一网通办”改革决定")."""
    # (a title sharing a run that long shares one of the question's windows of that length: only those are compared,
    # so thousands of titles cost a few milliseconds)
    windows = {question[i:i + TITLE_RUN] for i in range(len(question) - TITLE_RUN + 1)}
    runs = {d: title_said(question, t).size for d, t in titles.items() if any(w in t for w in windows)}
    best = max(runs.values(), default=0)
    return frozenset(d for d, n in runs.items() if n == best) if best >= TITLE_RUN else frozenset()


def year_named(question: str, documents: Iterable[Document], spec: dict) -> frozenset:
    """The documents a question names by year and kind ("Henan's 2015 resolution", 河南2018年…的决议): dated that
    year, their title ending with a word of that kind (pure; ``spec``: ``data/corpus.json``'s "named_by_year")."""
    said = [(m["year"], spec["kinds"].get(m["kind"].lower(), [m["kind"]]))
            for p in spec.get("patterns", ()) for m in re.finditer(p, question, re.I)]
    return frozenset(d.id for d in documents for year, kinds in said
                     if d.date[:4] == year and d.title.endswith(tuple(kinds))) if said else frozenset()


def outline_parts_named(question: str) -> frozenset:
    """The part numbers a question names as 第N条/部分/项/点 (pure)."""
    return frozenset(cn_number(n) for n in OUTLINE_REF.findall(question))


def outline_named(path: str, question: str, parts: frozenset) -> bool:
    """Whether a question names this outline entry (pure): its top part (第三部分 for 三、…), or an entry
    (（一）) with the part it is in — by number or by words of its heading in quotation marks ("“关于仲裁员”部分的
    第(一)项" for 三、关于仲裁员 > (一))."""
    subs = {cn_number(n) for n in OUTLINE_SUB_REF.findall(question)}
    if not subs:
        return outline_part(path) in parts
    last = OUTLINE_SUB_MARK.fullmatch(path.split(" > ")[-1])
    if not (last and cn_number(last.group(1)) in subs and " > " in path):
        return False
    return outline_part(path) in parts or any(q in path.split(" > ")[0] for q in QUOTED.findall(question))


def doc_key(doc_id: str) -> str:
    """The file name stem of a document's files (ids can be long Chinese titles; names have a byte limit)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:20]


def embed_text(document: Document, clause: Clause) -> str:
    return f"{document.title} {clause.path} {clause.text}"[:EMBED_CHARS]


def sentence_groups(text: str, limit: int) -> list[str]:
    """The text's sentences grouped in order, each group up to ``limit`` characters (a longer sentence alone) (pure)."""
    groups, current = [], ""
    for sentence in (s for s in SENTENCE_END.split(text) if s.strip()):
        if current and len(current) + len(sentence) > limit:
            groups.append(current)
            current = ""
        current += sentence
    return groups + ([current] if current else [])


def ranking_windows(document: Document, clause: Clause) -> list[str]:
    """The passages of a clause the ranking embedder embeds beside it (see WINDOWS_SUFFIX); none when the clause is
    one passage (pure)."""
    windows = sentence_groups(clause.text, WINDOW_CHARS)
    # (a sentence longer than a window is one window, cut like the clause's own text)
    return [f"{document.title} {w.strip()}"[:WINDOW_CHARS + 30] for w in windows] if len(windows) > 1 else []


def unseen_passages(document: Document, clause: Clause) -> list[str]:
    """The passages of a clause's text its own vector does not see (:func:`embed_text` stops at EMBED_CHARS), from
    the sentence that is cut, in sentences grouped up to PASSAGE_CHARS, each after the document's title; none when
    the vector sees the whole text (pure)."""
    seen = EMBED_CHARS - len(f"{document.title} {clause.path} ")
    if len(clause.text) <= seen:
        return []
    cut = max(seen, 0)
    start = max(clause.text.rfind(mark, 0, cut) for mark in "。；\n") + 1
    passages = sentence_groups(clause.text[start:], PASSAGE_CHARS)
    return [f"{document.title} {p.strip()}"[:PASSAGE_CHARS + 30] for p in passages]


def bm25_text(document: Document, clause: Clause) -> str:
    # The document's title is in every clause's text: "护士执业注册" finds 护士条例's articles on registration.
    title = "" if clause.title in clause.path else clause.title
    return f"{document.title} {clause.path} {title} {clause.text}"


def shown_sources(sources: Sequence[str]) -> dict[str, str]:
    """Each file source as a path below the folder all of them share (``行政法/法律援助法.md``); a URL as it is
    (pure)."""
    files = [s for s in sources if s and "://" not in s]
    norm = {s: os.path.normpath(s) for s in files}
    if not norm:
        return {s: s for s in sources}
    root = os.path.commonpath([os.path.dirname(n) for n in norm.values()]) if len(norm) > 1 else \
        os.path.dirname(next(iter(norm.values())))
    out = {s: s for s in sources}
    out.update({s: Path(os.path.relpath(n, root)).as_posix() if root else Path(n).as_posix()
                for s, n in norm.items()})
    return out


def read_manifest(directory: Path) -> dict | None:
    """The corpus manifest, or None when the folder holds none (missing, unreadable or not a corpus index)."""
    try:
        m = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) and m.get("kind") == KIND else None


def is_corpus_index(directory: Path | None) -> bool:
    return directory is not None and read_manifest(Path(directory)) is not None


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


# A document's scope is said in its first articles (目的, 适用范围, 定义): this many are read for the places it names.
OPENING_ARTICLES = 3
# A district named right after a city (鹿城区 in 温州鹿城区; not 的小区, 市区内, 城区域).
_DISTRICT = re.compile(r"(?![的之小社园市城])[\u4e00-\u9fff]{1,3}?[区县](?![域内外划])")
# Titles of the same kind of rules share this many characters once their places are left out.
KIND_CHARS = 2
# Characters of a title's name an abbreviation may leave out between two it keeps (禁烟: 禁止吸烟).
ABBREVIATED_GAP = 2


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
    """What a question may call those places: each head, and without its suffix when two characters remain; and
    the provinces and cities a question may name (``places``' ``provinces`` and ``cities``)."""
    out = set(places.get("provinces", ())) | set(places.get("cities", {}))
    for h in heads:
        out.add(h)
        for suffix in places.get("suffixes", ()):
            if h.endswith(suffix) and len(h) - len(suffix) >= 2:
                out.add(h[: -len(suffix)])
    return frozenset(out)


@functools.lru_cache(maxsize=4096)
def pinyin_name(name: str) -> str:
    """A place's name as an English text writes it (温州 → wenzhou), '' for a name of one character (pure)."""
    # the whole name at once, not character by character as the homophone map reads words: 重庆 is chongqing
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)) if len(name) >= 2 else ""


def _says(low: str, name: str) -> bool:
    """Whether a lower-cased question says a place name (a pinyin name as a whole word)."""
    return name in low if not name.isascii() else re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", low) is not None


def place_penalty(question: str, heads: dict[str, str], place_heads: dict[str, set], names: frozenset,
                  penalty: float, other: float, provinces: dict[str, str] | None = None,
                  reading: tuple[set, list] | None = None, national: bool = False) -> dict[str, float]:
    """Per local document (``heads``: document id → the place it opens with), what its hits lose (pure): every
    one ``penalty`` when the question names no place (the national law first); when it names a document's
    place (温州, "in Wenzhou"; ``place_heads``: what a question may call each place), the other places' documents
    ``other``: five cities' dog rules say nearly the same, and the asker said which city's; when it names a
    place no document opens with (``names``: a province, a city), every local document ``other`` but those of
    the province that holds it (``provinces``: city → province), which lose ``penalty`` when the place has rules
    of its own: 青岛's rules are not 天津's, only a national law may answer; 浙江省's apply in 温州, after 温州's.
    A national law, too, comes after the named place's own rules (北京's bus captions before the national ones).
    ``reading``: :func:`places_named` of the question, when the caller has it already; ``national``: the question
    asks the national rules (按国家的规定): with no place named, every local document loses ``other``."""
    named, said = reading or places_named(question, place_heads, names)
    if not (named or said):
        return {d: other if national else penalty for d, h in heads.items() if h and (penalty or national)}
    out = {}
    for d, h in heads.items():
        if not h and named:  # a national law after the named place's own rules (the more particular), as a province's
            out[d] = penalty
        if not h or h in named:
            continue
        if not _within(h, said, provinces or {}):
            out[d] = other
        elif named:  # the province that holds the place: after the place's own rules (the more particular)
            out[d] = penalty
    return {d: p for d, p in out.items() if p}


def after_place(title: str, head: str, name: str) -> str:
    """A title's words after the place it is for (its head, 商丘市, or the name said, 商丘) (pure)."""
    for said in (head, name):
        if title.startswith(said):
            return title[len(said):]
    return title


def places_named(question: str, place_heads: dict[str, set], names: frozenset) -> tuple[set, list]:
    """The documents' places a question names (their heads: 温州 → 温州市) and every place name it says (pure)."""
    low = question.lower()
    latin = re.search(r"[a-z]", low) is not None  # a Chinese question skips the pinyin names' patterns
    named = {head for name, found in place_heads.items() if (latin or not name.isascii()) and _says(low, name)
             for head in found}
    # a place said in pinyin ("in Wenzhou") is said by its Chinese names too (温州: the province that holds it), and
    # so is a place no document is for ("in Shenzhen")
    return named, [name for name in names if name in question or (
        not name.isascii() and place_heads.get(name, set()) & named) or (
        latin and not name.isascii() and (said := pinyin_name(name)) and _says(low, said))]


def _within(head: str, said: Sequence[str], provinces: dict[str, str]) -> bool:
    """Whether a document's place holds a place said: 浙江省's rules apply in 杭州 (``provinces``: city → its
    province), as in 浙江 itself."""
    return any(head.startswith(name) or head.startswith(provinces.get(name, "\0")) for name in said)


def prefer(hits: Sequence[Hit], penalty: dict[str, float], clause_penalty: dict[str, float] | None = None
           ) -> list[Hit]:
    """Hits re-ranked with each penalised document's (and clause's) score lowered by its penalty (pure): when the
    question names no place, the national law comes before a province's copy of it that says nearly the same."""
    if not penalty and not clause_penalty:
        return list(hits)
    clause_penalty = clause_penalty or {}
    moved = [Hit(h.clause, h.score - penalty.get(h.clause.document, 0.0) - clause_penalty.get(h.clause.id, 0.0),
                 h.dense, h.bm25, h.boost) for h in hits]
    return sorted(moved, key=lambda h: -h.score)


def same_kind_titles(a: str, b: str, generic: Sequence[str]) -> bool:
    """Whether two titles without their places name the same kind of rules (pure): without the words that name
    no kind (``data/corpus.json`` "kind_generic": 条例, 管理…) they share a run of ``KIND_CHARS`` characters
    (物业管理条例 and 住宅小区物业管理条例: 物业; 机动车停车条例 and 停车场建设和管理条例: 停车; not 慈善事业促进条例)."""
    for w in sorted(generic, key=len, reverse=True):
        a, b = a.replace(w, "|"), b.replace(w, "|")
    # a run may be said abbreviated, its characters in order with a few between (禁烟 for 禁止吸烟, 控烟 for 控制吸烟)
    return any(re.search(f".{{0,{ABBREVIATED_GAP}}}".join(map(re.escape, a[i:i + KIND_CHARS])), b)
               for i in range(len(a) - KIND_CHARS + 1) if "|" not in a[i:i + KIND_CHARS])


def is_framing(text: str, framing: dict) -> bool:
    """Whether a clause is a law's purpose, scope or commencement article (为了…，制定本法) (pure)."""
    return any(re.search(p, text) for p in framing.get("patterns", ()))


@dataclass(frozen=True)
class CorpusHits:
    """What the store found: hits best first (candidates only), and the evidence for the in-scope decision."""

    hits: tuple[Hit, ...]
    dense_max: float
    coverage: float  # share of the question's own content tokens in the best hit (its document title included)
    fused: tuple[Hit, ...] = ()  # the same hits in the plan's fusion order and scores (the in-scope evidence)
    passages: dict[str, float] = dataclasses.field(default_factory=dict)  # per clause id, its unseen passages' best
    # cosine (PASSAGES_SUFFIX), where it has them and it is better than the clause's own; dense_max counts them


class CorpusStore:
    """A loaded corpus index: documents and clauses in row order from the index folder, searched through a
    :class:`~assistant.store.base.Store` backend (FAISS + bm25s, or Milvus) whose candidates are fused here.

    Args:
        directory: the index folder written by :func:`assistant.ingest.corpus.ingest`.
        embedder: the embedder the index was built with (its id must match the manifest's).
        tokenize: the jieba tokenizer (the same one ingest used).
        places: ``data/corpus.json``'s "places" (what makes a document local).
        store: which backend (``ASSISTANT_STORE``; FAISS by default).
        framing: ``data/corpus.json``'s "framing" (a law's purpose article, ranked after the others).
        ranker: the ranking embedder (``Settings.ranking_embedder``): its cosine joins the ranking when the index
            holds its vectors (``ingest`` keeps them for an index of up to ``Settings.corpus_ranking_max``
            clauses); None, or an index without them, ranks without it.
        named_by_year: ``data/corpus.json``'s "named_by_year" (a document named by its year and kind ranks as one
            named by its title).
    """

    def __init__(self, directory: Path, embedder, tokenize, places: dict | None = None,
                 store: StoreSpec | str | None = None, framing: dict | None = None, ranker=None,
                 named_by_year: dict | None = None):
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
        self.framing = framing  # data/corpus.json's "framing": a law's purpose article
        self.named_by_year = named_by_year or {}  # data/corpus.json's "named_by_year": "Henan's 2015 resolution"
        self.embedder = embedder
        self.tokenize = tokenize
        self.documents = {d["id"]: Document(**d) for d in manifest["documents"]}
        self.titles = {d: doc.title for d, doc in self.documents.items()}  # (read per follow-up turn: built once)
        # what citations and /api/documents show: the source below the corpus' common folder, not this machine's
        # absolute path (a visitor learns nothing of the server's layout; the file is still named)
        shown = shown_sources([d.source for d in self.documents.values()])
        self.shown = {i: dataclasses.replace(d, source=shown[d.source]) for i, d in self.documents.items()}
        self.clauses: list[Clause] = []
        rows = {}
        for doc in self.documents.values():
            start = len(self.clauses)
            self.clauses += read_clauses(self.directory, doc.id)
            rows[doc.id] = np.arange(start, len(self.clauses))
        self.rows = rows
        # (rows in the clauses' order: documents in the manifest's order, each one's clauses in order)
        self.ranking = (CachedQueries(ranker), np.vstack([np.load(self.directory / DOCS / f"{doc_key(d)}{RANKING_SUFFIX}")
                                           for d in self.documents]).astype(np.float32)) if (
            ranker is not None and self.documents and manifest.get("ranking_embedder") == ranker.id) else None
        # each clause row's passages' vectors (WINDOWS_SUFFIX), where its document has them
        self._window_vectors, self._windows_of = self._read_windows() if self.ranking else (None, {})
        self._passage_vectors, self._passages_of = self._read_windows(PASSAGES_SUFFIX, np.float16)
        self.by_id = {c.id: c for c in self.clauses}
        self.keys = [clause_key(c.document, c.id) for c in self.clauses]
        self._row_of = {k: i for i, k in enumerate(self.keys)}
        self._weights = functools.lru_cache(maxsize=256)(self._question_weights)
        self.prints = functools.lru_cache(maxsize=256)(self._prints)
        # the places a question names, read once per question (the place penalty, the in-scope check and the
        # answer's place all ask)
        # (words holding a place's name that name no place, 未开封, are blanked first, keeping every position)
        unsaid = re.compile("|".join(map(re.escape, (places or {}).get("not_said", {}).get("words", ()))) or "(?!)")
        self._unsaid = lambda text: unsaid.sub(lambda m: " " * len(m.group(0)), text)
        self._places_in = functools.lru_cache(maxsize=256)(
            lambda question: places_named(self._unsaid(question), self._place_heads, self._place_names))
        spec = parse_store(store) if not isinstance(store, StoreSpec) else store
        self.backend = open_backend(spec, self.directory, manifest, self.keys,
                                    [c.document for c in self.clauses])
        held = self.backend.count()
        if held != len(self.clauses):
            raise ValueError(f"{self.backend.location} holds {held} clauses, {self.directory} {len(self.clauses)} "
                             f"(fill it: python -m assistant store copy --index-dir {self.directory} --to STORE)")
        self._vocab = self.backend.vocabulary()
        self.bureaus = sorted({b for c in self.clauses for b in c.bureaus})
        self._framing_ids = frozenset(c.id for c in self.clauses if framing and is_framing(c.text, framing))
        # what each document's first OPENING_ARTICLES articles say (its scope: "本市行政区域内莱芜区、钢城区…适用本规定")
        self._opening: dict[str, str] = {}
        seen: dict[str, int] = {}
        for c in self.clauses:
            if c.kind == "article" and seen.get(c.document, 0) < OPENING_ARTICLES:
                seen[c.document] = seen.get(c.document, 0) + 1
                self._opening[c.document] = self._opening.get(c.document, "") + c.text
        self._find_local()

    # ------------------------------------------------------------------ documents

    def document_of(self, clause: Clause) -> Document:
        """The clause's document as shown to users (its source below the corpus' common folder)."""
        return self.shown[clause.document]

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

    def search(self, query: Query, documents: Sequence[str] = (), weights: Weights = Weights(),
               k: int = CANDIDATES) -> CorpusHits:
        """Candidates from the backend's dense top-k and BM25 top-k, fused (dense, BM25, document named, article
        named); each candidate gets both scores, whichever channel proposed it.

        Args:
            query: the analysed question.
            documents: document ids to search within (all when empty).
            weights: the fusion weights of the plan's retrieval.
            k: candidates per channel.
        """
        q = self.embedder.embed_query(query.embed_text).astype(np.float32)
        # an English question's words as the documents' Chinese terms, weighed as the plan does
        # (each term at the channel's full weight, not its share of its word's senses as the plan weighs it: the
        # corpus's in-scope thresholds on the fused score were calibrated so)
        channels = [(query.tokens, 1.0)] + ([(query.dictionary, weights.dictionary)] if query.dictionary else [])
        dense = self.backend.dense(q, k, documents)
        lexical = self.backend.bm25(channels, k, documents)
        # the clauses the conversation points at are candidates whatever the channels found (fusion ranks them)
        talked = [clause_key(self.by_id[c].document, c) for c in (*query.pinned, *query.nearby) if c in self.by_id
                  and (not documents or self.by_id[c].document in documents)]
        keys = list(dict.fromkeys([*dense, *lexical, *talked]))
        if not keys:
            return CorpusHits((), -1.0, 0.0)
        missing = [key for key in keys if key not in dense]
        if missing:
            dense.update(zip(missing, (self.backend.vectors(missing) @ q).tolist()))
        others = [key for key in keys if key not in lexical]
        if others:
            lexical = {**lexical, **self.backend.bm25(channels, k, documents, keys=others)}
        clauses = [self.clauses[self._row_of[key]] for key in keys]
        d = np.array([dense[key] for key in keys], dtype=np.float32)
        bm = np.array([lexical[key] for key in keys], dtype=np.float32)
        # the title channel of the plan's fusion carries: the document named, its article named, the words said
        evidence = self._named(query.text, clauses) + np.array([bigram_share(query.text, c.text) for c in clauses],
                                                               dtype=np.float32)
        fused = prefer(fuse(clauses, query, d, bm, evidence, weights), self.local_penalty(query.text),
                       self.framing_penalty(query.text, clauses))
        ranked = self._ranking_scores(query, fused)
        hits = sorted((dataclasses.replace(h, score=h.score + RANK_DENSE * h.dense
                                           + RANK_BM25 * h.bm25 / (h.bm25 + weights.bm25_scale)
                                           + RANK_COVERAGE * self.coverage(query.text, h.clause) + r)
                       for h, r in zip(fused, ranked)), key=lambda h: -h.score)
        passages = self._passage_scores(q, keys, d)
        return CorpusHits(tuple(hits), max(float(d.max()), max(passages.values(), default=-1.0)),
                          self.coverage(query.text, hits[0].clause), tuple(fused), passages)

    def _passage_scores(self, q: np.ndarray, keys: Sequence[str], dense: np.ndarray) -> dict[str, float]:
        """Per candidate clause id, its unseen passages' best cosine with the question, where better than its own."""
        if self._passage_vectors is None:
            return {}
        out = {}
        for key, own in zip(keys, dense):
            row = self._row_of[key]
            if (held := self._passages_of.get(row)) is not None:
                best = float((self._passage_vectors[held].astype(np.float32) @ q).max())
                if best > own:
                    out[self.clauses[row].id] = best
        return out

    def _read_windows(self, suffix: str = WINDOWS_SUFFIX, dtype=np.float32
                      ) -> tuple[np.ndarray | None, dict[int, np.ndarray]]:
        """The passages' vectors (``suffix``: the ranking embedder's or the unseen passages') of every document that
        has them, and per clause row the indices of its own."""
        vectors, of = [], {}
        count = 0
        for d in self.documents:
            path = self.directory / DOCS / f"{doc_key(d)}{suffix}"
            if not path.exists():
                continue
            with np.load(path) as saved:
                owners, held = saved["owners"], saved["vectors"].astype(dtype)
            for row in np.unique(owners):
                of[int(self.rows[d][row])] = count + np.flatnonzero(owners == row)
            vectors.append(held)
            count += len(held)
        return (np.vstack(vectors), of) if vectors else (None, {})

    def _ranking_scores(self, query: Query, hits: Sequence[Hit]) -> np.ndarray:
        """Per hit, RANK_RANKING times the ranking embedder's cosine (the better of the clause's and its best
        passage's) below the best hit's (zeros without one)."""
        if self.ranking is None or not hits:
            return np.zeros(len(hits), dtype=np.float32)
        rows = [self._row_of[clause_key(h.clause.document, h.clause.id)] for h in hits]
        q = self.ranking[0].embed_query(query.embed_text)
        cosine = self.ranking[1][rows] @ q
        for j, row in enumerate(rows):
            if (windows := self._windows_of.get(row)) is not None:
                cosine[j] = max(cosine[j], float((self._window_vectors[windows] @ q).max()))
        return RANK_RANKING * (cosine - cosine.max())

    def bm25_of(self, tokens: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        """The BM25 scores of these rows for these tokens (0 where none matches)."""
        keys = [self.keys[int(i)] for i in rows]
        scores = self.backend.bm25([(tokens, 1.0)], len(keys), keys=keys)
        return np.array([scores[k] for k in keys], dtype=np.float32)

    def local_penalty(self, question: str) -> dict[str, float]:
        """Per local document, what its hits lose (see :func:`prefer` and :func:`place_penalty`)."""
        if not self.places or not any(self._heads.values()):
            return {}
        penalties = place_penalty(question, self._heads, self._place_heads, self._place_names,
                                  float(self.places.get("penalty", 0.0)),
                                  float(self.places.get("other_place_penalty", 0.0)), self.places.get("cities", {}),
                                  self._places_in(question),
                                  bool(re.search(self.places.get("national", "(?!)"), question, re.I)))
        scoped = self._scoped(question)
        return {d: p for d, p in penalties.items() if d not in scoped}

    def _scoped(self, question: str) -> frozenset:
        """The documents whose opening articles name a place the question says: a district a city's rules apply to
        by name (莱芜区 in 济南's lift rules) is their place, though no document opens with it."""
        _, said = self._places_in(question)
        # (not a province, nor a place some document opens with: 浙江 in 衢州's "根据《浙江省…条例》" is the province
        # whose own law comes first, not 衢州's place)
        provinces = set((self.places or {}).get("provinces", ()))
        below = [n for n in said if n not in provinces and not self._place_heads.get(n)]
        return frozenset(d for d, text in self._opening.items() if any(n in text for n in below))

    def other_places(self, question: str) -> frozenset:
        """The local documents that are other places' rules than those of the places the question names (none
        when it names no place): "天津哪些区域禁止燃放烟花爆竹？" is not answered by 青岛's rules, "杭州养狗要办证吗？"
        not by 温州's (浙江省's would be)."""
        if not self.places:
            return frozenset()
        named, said = self._places_in(question)
        if not (named or said):
            return frozenset()
        cities = self.places.get("cities", {})
        scoped = self._scoped(question)
        return frozenset(d for d, head in self._heads.items()
                         if head and head not in named and not _within(head, said, cities) and d not in scoped)

    def rules_not_held(self, question: str) -> str:
        """The place whose own rules the question names though no document is those rules ("南京市全民健身条例规定的
        全民健身周…" with no document of 南京; "上海市燃气管理条例…" with 上海's rental rules but no gas rules of
        上海: its documents are no rules of that kind), or ''."""
        rule = (self.places or {}).get("rules_named")
        if not rule:
            return ""
        _, said = self._places_in(question)
        words = "|".join(map(re.escape, rule["words"]))
        generic = (self.places or {}).get("kind_generic", {}).get("words", ())
        for name in sorted(said, key=lambda n: (-len(n), n)):  # 上海市 before 上海: the same answer every run
            m = re.search(rf"{re.escape(name)}[^，,。？?\s]{{0,{int(rule['within'])}}}(?:{words})", question)
            if name.isascii() or not m:
                continue
            # (a title may print the place without its 市: 商丘古城保护条例 is 商丘市's)
            own = [after_place(self.documents[d].title, h, name) for d, h in self._heads.items()
                   if h and h.startswith(name)]
            if not own:
                return name
            # "山东的条例…" names no kind: only a kind said (燃气管理条例) can be one the place's documents are not
            kind = m.group(0)[len(name):].lstrip("省市县区的")
            said_kind = kind
            for w in sorted(generic, key=len, reverse=True):
                said_kind = said_kind.replace(w, "")
            if len(said_kind) >= KIND_CHARS and not any(same_kind_titles(kind, title, generic) for title in own):
                return name
        return ""

    def own_place(self, question: str, document: str) -> bool:
        """Whether the question names the place ``document`` is the rules of (东莞 for 东莞市文明行为促进条例), or a
        city of the province it is (舟山 for 浙江省渔业管理条例), as :meth:`other_places` reads them."""
        head = self._heads.get(document) if self.places else ""
        if not head:
            return False
        named, said = self._places_in(question)
        return head in named or _within(head, said, self.places.get("cities", {}))

    def titled(self, name: str) -> bool:
        """Whether a document's title prints the name (青州 in 潍坊市青州古城保护条例)."""
        return any(name in title for title in self.titles.values())

    def says_own_place(self, question: str, document: str) -> bool:
        """Whether the question names the very place ``document`` is the rules of (北京 for 北京市…决定, also in
        北京怀柔区), not a city within its province (温州 for 浙江省's rules: :meth:`own_place`)."""
        head = self._heads.get(document) if self.places else ""
        return bool(head) and head in self._places_in(question)[0]

    def names_place(self, text: str) -> bool:
        """Whether the text names any place it knows: a document's, a province, or a city of one (开封, whose
        rules are 河南省's)."""
        named, said = self._places_in(text)
        return bool(named or said)

    def places_said(self, text: str) -> list[str]:
        """The documents' place names the text says (温州市, 温州, Wenzhou), longest first, as the text writes them;
        a name inside a longer one said (温州 in 温州市) is not said again."""
        low = self._unsaid(text).lower()
        latin = re.search(r"[a-z]", low) is not None
        # (names of one length in the order the text says them: the same order in every process, whatever the
        # string hashing of the set they come from)
        said = sorted((n for n in self._place_heads if (latin or not n.isascii()) and _says(low, n)),
                      key=lambda n: (-len(n), low.index(n.lower()), n))
        kept = [n for i, n in enumerate(said) if not any(n in longer for longer in said[:i])]
        # a district written right after the city is part of the place said (温州鹿城区, 金华金东区)
        return [text[low.index(n):low.index(n) + len(n)] + (m.group(0) if (m := _DISTRICT.match(text, low.index(n) + len(n)))
                                                             else "") for n in kept]

    def same_kind(self, a: str, b: str) -> bool:
        """Whether two documents are the same kind of rules for different places (:func:`same_kind_titles` of their
        titles without the place they open with)."""
        return same_kind_titles(*(self.documents[d].title[len(self._heads.get(d, "")):] for d in (a, b)),
                                (self.places or {}).get("kind_generic", {}).get("words", ()))

    def framing_penalty(self, question: str, clauses: Sequence[Clause]) -> dict[str, float]:
        """Per framing article (purpose, scope, commencement) among the candidates, what it loses unless the question
        asks for one."""
        framing = self.framing or {}
        if not self._framing_ids or any(re.search(p, question, re.I) for p in framing.get("asks", ())):
            return {}
        penalty = float(framing.get("penalty", 0.0))
        return {c.id: penalty for c in clauses if c.id in self._framing_ids}

    def _find_local(self) -> None:
        """Which documents are local (a province's or a city's), and the place names a question may use."""
        heads = {d.id: place_head(d.title, self.places) or place_head(d.issuer, self.places)
                 for d in self.documents.values()} if self.places else {}
        self._place_names = place_names({h for h in heads.values() if h}, self.places or {})
        self._heads = heads
        # what a question may call each document's place: its head, without its suffix, and that in pinyin
        self._place_heads: dict[str, set] = {}
        for head in {h for h in heads.values() if h}:
            for name in place_names([head], {"suffixes": (self.places or {}).get("suffixes", ())}):
                for said in (name, pinyin_name(name)):
                    if said:
                        self._place_heads.setdefault(said, set()).add(head)

    def _named(self, question: str, clauses: Sequence[Clause]) -> np.ndarray:
        """Per candidate: 1 when the question names its document, +1 when it also names its article (第七条) or, in
        a document of outline entries, the entry (:func:`outline_named`: 第六条 for 六、, “关于仲裁员”部分的第(一)项)."""
        refs = set(ARTICLE_REF.findall(question))
        parts = outline_parts_named(question)
        pointed = pointed_documents(question, {c.document: self.titles[c.document] for c in clauses}) \
            if parts or OUTLINE_SUB_REF.search(question) else frozenset()
        by_year = year_named(question, (self.documents[d] for d in {c.document for c in clauses}),
                             self.named_by_year)
        out = np.zeros(len(clauses), dtype=np.float32)
        for i, c in enumerate(clauses):
            named = max(document_title_share(question, self.documents[c.document].title),
                        float(c.document in by_year))
            article = bool(named and c.path.split(" > ")[-1] in refs) or (
                c.kind == "item" and c.document in pointed and outline_named(c.path, question, parts))
            out[i] = named + article
        return out

    def coverage(self, question: str, clause: Clause, known: bool = False, written: dict | None = None,
                 titled: bool = True) -> float:
        """IDF-weighted share of the question's own content tokens (not the lexicon's expansions, which are the
        plan's words) that the clause, with its document's title, contains; ``known``: of the tokens some clause
        holds (离职 is in no law: it tells nothing about which article answers, once the question is in scope);
        ``written``: an everyday word's written forms (摆摊 → 摊贩), any of which the clause may hold for it;
        ``titled`` False: of the tokens its document's title does not hold, in the clause alone (the words naming
        the document are in every article of it: they say which document, not that this article answers)."""
        weights = self._weights(question)
        written = written or {}
        if known:  # (a word known only in its written form is no evidence of its own: 开车 of 开车闯红灯)
            weights = {t: w for t, w in weights.items() if self._vocab.get(t)}
        title = self.documents[clause.document].title.lower()
        if not titled:
            weights = {t: w for t, w in weights.items() if t.lower() not in title}
        if not weights:
            return 0.0
        text = f"{title if titled else ''}{clause.path}{clause.text}".lower()
        return sum(w if t in text else WRITTEN_SHARE * w if any(f in text for f in written.get(t, ())) else 0.0
                   for t, w in weights.items()) / sum(weights.values())

    def _prints(self, run: str) -> bool:
        """Whether some clause (its title and text) prints this run of characters."""
        # (asked only of a place's other name in a question, "光谷这边", rarely: a scan, not an index of every run)
        return any(run in c.text or run in c.title for c in self.clauses)

    def _question_weights(self, question: str) -> dict[str, float]:
        """The question's content tokens with their IDF (asked for each of the best hits: tokenised once)."""
        # a word jieba made up (in its dictionary no more than in the documents: 顶放 of 楼顶放烟花) is a guess at
        # where words part, not a word the asker said; it would weigh most, as a word no clause holds
        return {t: self.idf(t) for t in set(content_tokens(self.tokenize(question)))
                if self._vocab.get(t) or self.tokenize.frequency(t)}

    def vocabulary(self) -> list[str]:
        """Every token BM25 knows (the documents' jieba tokens): what CC-CEDICT is read for."""
        return list(self._vocab)

    def idf(self, token: str) -> float:
        """log(N / clauses holding the token); a token no clause holds weighs most (护士 in a patent corpus)."""
        return math.log((len(self.clauses) + 1) / (self._vocab.get(token, 0) + 0.5))


def corpus_tokenizer():
    """The jieba search-mode tokenizer ingest and search share (no plan words: the corpus has its own)."""
    from ..text import make_jieba_tokenizer

    return make_jieba_tokenizer(())


def load_store(directory: Path, embedder, places: dict | None = None, store: StoreSpec | str | None = None,
               framing: dict | None = None, ranker=None, named_by_year: dict | None = None) -> CorpusStore:
    """The corpus index in ``directory`` with this embedder and backend (see :class:`CorpusStore`)."""
    return CorpusStore(Path(directory), embedder, corpus_tokenizer(), places, store, framing, ranker, named_by_year)


def read_clauses(directory: Path, doc_id: str) -> list[Clause]:
    """One document's clauses from the index folder, in order."""
    out = []
    with open(Path(directory) / DOCS / f"{doc_key(doc_id)}.jsonl", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            d.pop("label", None)
            out.append(Clause(**{**d, "bureaus": tuple(d["bureaus"]),
                                 "bureau_groups": tuple(map(tuple, d["bureau_groups"]))}))
    return out


def tokens_file(directory: Path, doc_id: str) -> Path:
    return Path(directory) / DOCS / f"{doc_key(doc_id)}.tokens.json"


def folder_vocabulary(directory: Path, document_ids: Sequence[str]) -> tuple[Counter, int]:
    """Our jieba token -> clauses holding it, and the tokens of all clauses (an empty one counting one, as bm25s'
    placeholder does), from the folder's tokens files (what bm25s indexes); ~3 s for the 151,184 laws' clauses."""
    df: Counter = Counter()
    length = 0
    for doc_id in document_ids:
        for tokens in json.loads(tokens_file(directory, doc_id).read_text(encoding="utf-8")):
            df.update(set(tokens))
            length += max(len(tokens), 1)
    return df, length


def open_backend(spec: StoreSpec, directory: Path, manifest: dict, keys: Sequence[int],
                 row_documents: Sequence[str]) -> Store:
    """The backend ``spec`` names for the index in ``directory``: its FAISS and BM25 files, or its Milvus
    collection (:func:`~assistant.store.base.collection_name`), whose vocabulary the folder's tokens files give."""
    ids = [d["id"] for d in manifest["documents"]]
    if spec.kind == "faiss":
        return FaissStore(directory, keys, row_documents, {i: tokens_file(directory, i) for i in ids},
                          int(manifest.get("exact_max", 50_000)))
    from .milvus_store import MilvusStore, connect

    df, length = folder_vocabulary(directory, ids)
    return MilvusStore(connect(spec.uri), collection_name(directory), int(manifest["dim"]), df, length,
                       exact=manifest.get("faiss", "flat") == "flat", location=spec.uri)
