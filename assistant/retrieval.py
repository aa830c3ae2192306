"""Pure retrieval logic: query analysis, BM25, score fusion and the in-scope decision."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .bilingual import dictionary_usage
from .conversation import topic_words
from .figures import figures_zh
from .text import Lexicon, content_tokens, detect_lang, english_words, find_bureaus
from .types import Clause, Hit

_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Intents answered by listing entries (one bureau's, a heading's, every mention of a word), not by one clause.
ENTRY_LISTS = frozenset({"single", "section", "section_who", "mentions", "bureaus"})


@dataclass(frozen=True)
class Query:
    """A question analysed for retrieval.

    Attributes:
        text: the standalone question.
        lang: ``zh`` or ``en``.
        intent: ``aggregate`` (which/how many tasks for a bureau), ``single`` (clauses with one bureau),
            ``who``, ``number`` or ``general``.
        count: True when an aggregate asks for a number rather than a list.
        bureaus: plan bureaus named in the question.
        tokens: BM25 tokens, Chinese, with English phrases translated through the lexicon.
        embed_text: the text to embed for dense retrieval.
        asks: the kinds of information asked (``amount``, ``procedure``…; see ``data/rules.json``).
        pinned: clause ids the conversation points at (a pronoun's topic, an ordinal's entry); ranked first.
        section: for ``section`` questions ("保障措施有哪几条？"), the heading whose entries are listed.
    """

    text: str
    lang: str
    intent: str
    count: bool
    bureaus: tuple[str, ...]
    tokens: tuple[str, ...]
    embed_text: str
    asks: tuple[str, ...] = ()
    pinned: tuple[str, ...] = ()
    nearby: tuple[str, ...] = ()  # the previous answer's clause after a topic switch (a small prior)
    section: str = ""  # for intent ``section``: the heading whose entries are listed
    subsections: bool = False  # list the headings under ``section`` ("主要任务分为哪几大行动？") instead
    beyond: int = 0  # for intent ``section``: a part asked by a place past the parts' count ("方案的第九部分")
    dictionary: tuple[str, ...] = ()  # Chinese terms for English words, from CC-CEDICT (BM25 only)
    senses: tuple[float, ...] = ()  # per dictionary term, its share of its English word's senses (1/n of n)
    mentions: tuple[str, ...] = ()  # for intent ``mentions``: the documents' words whose every mention is listed
    stating: str = ""  # for intent ``mentions``: what every entry listed states — an answer type's name, "figures"
    # (a year's targets) or "size" (a size the question names); ``mentions`` are the phrases that state it
    one_word_terms: tuple[str, ...] = ()  # the lexicon's terms for one-word English phrases: matched as dictionary
    # terms, yet they name the question's subject
    preamble: bool = False  # it asks what a document rests on or is for: what its preamble answers

    @property
    def subject_tokens(self) -> tuple[str, ...]:
        """The tokens and the lexicon's terms for one-word phrases: the words that say what the question is about."""
        return (*self.tokens, *(t for t in self.one_word_terms if t not in self.tokens))


def dictionary_channels(query: Query, weight: float) -> list[tuple[tuple[str, ...], float]]:
    """The dictionary's terms as BM25 channels of (terms, weight), one per share of senses: a term weighs ``weight``
    times its share, so the many senses of a vague word together weigh what one exact term does."""
    groups: dict[float, list[str]] = {}
    for term, share in zip(query.dictionary, query.senses or [1.0] * len(query.dictionary)):
        groups.setdefault(share, []).append(term)
    return [(tuple(terms), weight * share) for share, terms in groups.items()]


def asks_for_list(text: str, rules) -> bool:
    """True for "which/how many items" forms (有哪几条, how many tasks), whatever they are about; "第一项的目标是多少"
    asks a figure of an item, not a list."""
    low = text.lower()
    # ("an overview of the main action programmes", "概述一下几大行动": the parts named, listed)
    return rules.form("count", low) or rules.form("overview_list", low) or (
        rules.form("which", low) and rules.form("units", low) and not rules.form("quantity", low))


def up_to_question(text: str) -> str:
    """The text up to its last question mark: a statement after the question ("…open R&D centres overseas? We might
    be the target.") tells who asks, not what kind of answer is asked for (pure)."""
    end = max(text.rfind("?"), text.rfind("？"))
    return text[:end + 1] if 0 <= end < len(text) - 1 else text


def _intent(low: str, named: tuple[str, ...], rules) -> str:
    if rules.form("single", low):
        return "single"
    if not named and rules.form("all_bureaus", low):
        return "bureaus"  # "一共涉及多少个责任单位？", "Which bureau appears in the most tasks?": every bureau, counted
    if named and rules.form("bodies", low):
        return "who"  # "For the talent measures, which offices handle the police side?": bodies asked, not tasks
    if named and (rules.form("list", low) or asks_for_list(low, rules)):
        return "aggregate"
    if rules.form("who", low):
        return "who"
    if rules.form("number", low):
        return "number"
    return "general"


def analyze(question: str, lexicon: Lexicon, bureaus: Sequence[str], tokenize, turn: str | None = None,
            rules=None, pinned: Sequence[str] = (), lang: str | None = None, bilingual=None,
            english_lexicon: bool = True, nearby: Sequence[str] = (), carried: str = "",
            introductions: bool = True) -> Query:
    """Classify a standalone question and prepare its retrieval inputs.

    Args:
        question: the standalone question (a follow-up already joined to its context).
        lexicon: the bilingual lexicon.
        bureaus: every bureau the plan lists.
        tokenize: text to tokens (jieba).
        turn: the turn as typed, when it differs from ``question``; its language is the answer's,
            and its form (who/how many) wins over the context's.
        rules: the question rules (intents, answer types); the bundled ``data/rules.json`` by default.
        pinned: clause ids the conversation points at.
        nearby: clause ids the conversation was about before a topic switch.
        carried: the intent the conversation carries over (那X呢 asks the previous kind of question about X);
            used when the text has no question form of its own.
        lang: the answer's language when the caller knows it (a part of a compound question).
        bilingual: English text → the documents' Chinese terms, each with its share of its English word's senses
            (CC-CEDICT; see ``bilingual.py``), or None.
        english_lexicon: also use the hand-written English phrases of the lexicon (an optional enrichment).
        introductions: look a detail question up without the clause that says who asks
            (:func:`without_introduction`).

    Returns:
        The analysed query.
    """
    turn = turn or question
    lang = lang or detect_lang(turn)
    if rules is None:
        from .rules import load_rules

        rules = load_rules()
    # a bureau a statement after the question names ("…责任单位是哪些？我稿子里只写了市统计局。") is not asked about
    named = find_bureaus(up_to_question(question), bureaus, lexicon.bureau_aliases)
    if not named and _LATIN_WORD.search(question):
        from .bilingual import english_bureaus

        eb = rules.english_bureaus
        glosses = {b: g for b, g in lexicon.bureau_en.items() if b in bureaus}
        named = english_bureaus(question, glosses, eb["body_words"], eb["generic_words"])[:1]
    count = rules.form("count", turn.lower()) or rules.form("count", question.lower())
    # (of the sentences that ask: "我在光谷开了几家连锁餐厅。…有相关说法不？" asks for no number)
    intent = _intent(asking(up_to_question(turn)).lower(), find_bureaus(up_to_question(turn), bureaus, lexicon.bureau_aliases) or named,
                     rules)
    # a turn with no question form of its own ("那2030年呢？") asks what the question it continues asked; one with
    # its own ("为了这个，注册登记方面准备怎么改？") asks that, not the earlier "多少家"
    own_form = turn != question and rules.question_form.search(turn) and not rules.switch.match(turn)
    if intent == "general" and turn != question and not own_form:
        intent = _intent(question.lower(), named, rules)
    if intent == "general" and carried in ("who", "number"):
        intent = carried
    latin = bool(_LATIN_WORD.search(question))
    asked = rules.set_aside.sub(" ", question)  # "Apart from the main tasks, what safeguards…?" asks of safeguards
    if introductions:
        asked = without_introduction(asked, rules, tokenize)
    # (in the dictionary's usage: "schools partner with foreign institutions" asks no 合伙人)
    terms, words = lexicon.phrase_terms(dictionary_usage(asked)) if latin and english_lexicon else ([], [])
    shares = dict(bilingual(asked)) if latin and bilingual is not None else {}
    # A one-word phrase of the lexicon ("land", "park", "tax") is as vague as a dictionary word: its terms match as
    # the dictionary's do (BM25 only, at its weight), though they still name the question's subject
    # (``one_word_terms``).
    # At full weight they outranked the specific clause (容积率 for "how dense or how tall", 飞地园区 for "a
    # satellite park").
    for t in words:
        shares[t] = 1.0
    terms += lexicon.expand_zh(asked)
    if latin:  # "10bn-yuan-level" is looked for as the documents print it (百亿级)
        terms += figures_zh(asked, rules.figures)
    tokens = content_tokens(tokenize(asked)) + [t for term in terms for t in content_tokens(tokenize(term))]
    # Dictionary terms match BM25 only, at a lower weight: appended to the embedded text or counted for the
    # in-scope coverage, their noise would blur the dense match and let unrelated questions in.
    dictionary = [t for t in shares if t not in tokens]
    if lang == "en":
        # Untranslated English words still match digits and Latin terms (5G, M0) in the plan.
        tokens += [w for w in english_words(question) if w.isdigit() or w in {"5g", "m0", "ai"}]
    embed_text = asked if not terms else f"{asked} {' '.join(dict.fromkeys(terms))}"
    asks = rules.asked_types(asking_phrases(asking(turn), rules))
    if intent == "who":  # "责任单位具体是哪些？" asks for the bureaus the entry lists, not for other names
        asks = tuple(a for a in asks if a != "names")
    if not asks and turn != question and _intent(turn.lower(), (), rules) == "general" and not own_form:
        # a turn that asks nothing of its own ("那2030年呢？") asks what the question it continues asked; "Who's
        # responsible for that?" asks who, not the earlier turn's criteria
        asks = rules.asked_types(asking_phrases(question, rules))
    return Query(question, lang, intent, count, named, tuple(tokens), embed_text, asks, tuple(pinned), tuple(nearby),
                 dictionary=tuple(dictionary), senses=tuple(shares[t] for t in dictionary),
                 one_word_terms=tuple(t for w in words for t in content_tokens(tokenize(w))),
                 preamble=bool(rules.preamble.search(question)))



# A question's word the documents print only inside a longer word (沙盒 in 监管沙盒) matches that word when at
# most this many of the documents' words start or end with it.
PART_WORD_MATCHES = 3
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def part_words(tokens: Sequence[str], vocabulary: frozenset, known: Callable[[str], bool] = lambda _t: False
               ) -> list[str]:
    """The documents' words that hold a question word the documents never print alone (pure): jieba keeps a
    document's key term whole (监管沙盒), so a question saying 沙盒 would otherwise share no token with it.
    ``known``: a word of jieba's own dictionary (核心技术) is a word of its own, not a piece of a longer one."""
    out: list[str] = []
    for t in dict.fromkeys(tokens):
        if t in vocabulary or not _HAN.match(t) or known(t):
            continue
        longer = [w for w in vocabulary if len(w) > len(t) and (w.startswith(t) or w.endswith(t))]
        if 0 < len(longer) <= PART_WORD_MATCHES:
            out += sorted(longer)
    return out


_STATEMENT = re.compile(r"[^。！!?？]*[。！!]")


_PHRASE_END = re.compile(r"(?<=[，,；;])")


def asking_phrases(text: str, rules) -> str:
    """The phrases of a Chinese question that ask (pure): a phrase before the one with the question word that asks
    nothing itself tells what happened ("收件人不在家、电话也一直打不通，我要做到哪一步…？" asks no phone number) —
    unless the question asks of each thing listed (A，和B分别是多少？) or refers back to it (…，到底最高多少？)."""
    phrases = _PHRASE_END.split(text)
    if len(phrases) < 2 or detect_lang(text) != "zh":
        return text
    asks = [bool(rules.question_form.search(p)) for p in phrases]
    if not any(asks):
        return text
    last = max(i for i, a in enumerate(asks) if a)
    if rules.distributive.search(phrases[last]) or rules.refers_back.search(phrases[last]) or any(
            rules.coordinators_zh.match(p.strip()) for p in phrases[1:last + 1]):
        return text
    return "".join(p for i, p in enumerate(phrases) if asks[i] or i > last)


# English sentences that end before the question: "I lead regulatory affairs for a French pharma company. Is…?"
# (not at a short capitalised abbreviation's full stop: Dr. Li, U.S., Co.; nor at a Latin one inside the question:
# "Who handles the reforms, i.e. one-stop services…?", e.g., vs.; missing one only keeps the turn whole)
_ENGLISH_SETTING = re.compile(r"^(?:[^?!]*?(?:(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\b[a-z]\.[a-z])"
                              r"(?<!\bvs)\.|!)(?:\s+|$))+")


_SEGMENT = re.compile(r"[，,。；;？?！!：:（）()]")
MAX_ASPECTS = 6


def listed_aspects(text: str) -> list[str]:
    """The things a Chinese question lists with 、 ("住哪、孩子上学和老人看病的事"), from its longest such list
    (pure); none when it lists nothing, or more than :data:`MAX_ASPECTS`."""
    runs = [[p.strip() for p in seg.split("、")] for seg in _SEGMENT.split(text) if "、" in seg]
    best = max(runs, key=len, default=[])
    return [p for p in best if p] if 2 <= len(best) <= MAX_ASPECTS else []


def without_introduction(text: str, rules, tokenize) -> str:
    """The question without the clause that says who asks ("我做投资的，想知道…多少家上市公司？"), when the rest asks
    for a detail (a number, a sum, a date…) of topics of its own (pure); else the question whole: "我是做芯片的初创公司，
    有什么扶持？" is asked in its setting."""
    m = rules.introduction.match(text)
    # (and the small talk before a lead-in or a pause: "哈哈最近忙死了，融资刚谈完……顺便问下哈，光谷…多少家？" asks
    # of 市场主体, not of 融资; the latest such end whose rest still asks is where the question starts)
    asked = re.search(r"[?？]", text)
    ends = {c.end() for c in rules.small_talk_ends.finditer(text, 0, asked.start() if asked else len(text))}
    for end in sorted(ends | ({m.end()} if m else set()), reverse=True):
        rest = text[end:]
        # "我们做自动驾驶的，…政府会不会拿出一些场景让我们落地？": a question asking no detail is about the asker's
        # own line of work
        if rules.asked_types(asking_phrases(rest, rules)) and (
                topic_words(rest, tokenize, rules) >= rules.introduction_topic_words):
            return rest
    return text


def english_asking(text: str) -> str:
    """The question of an English turn without the statements before it (pure), or '' when it has none or they are
    all of it: "I lead regulatory affairs for a French pharma company. Is there anything…?" → "Is there anything…?"."""
    m = _ENGLISH_SETTING.match(text)
    if "?" not in text or not m or not text[m.end():].strip():
        return ""
    return text[m.end():].strip()


def asking(text: str) -> str:
    """The sentences of a turn that ask (pure): a statement before a question ("…在纠结去哪个城市。光谷…能不能…？")
    sets the scene; what it mentions (a city to choose) is not what is asked."""
    if not re.search(r"[?？]", text):
        return text
    if detect_lang(text) == "en" and (question := english_asking(text)):
        # "…registered in Shanghai last year. … office rent. How new does the company have to be to qualify?"
        # asks who qualifies, not last year's figures or a rent
        return question
    return _STATEMENT.sub("", text).strip() or text


class BM25:
    """Okapi BM25 over pre-tokenised documents (the plan has ~30, so plain numpy is plenty)."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg = float(self.len.mean()) if len(docs) else 0.0
        df = Counter(t for d in self.tf for t in d)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens."""
        out = np.zeros(len(self.tf), dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.len / max(self.avg, 1e-9))
        for t in set(tokens):
            idf = self.idf.get(t)
            if idf is None:
                continue
            f = np.array([d.get(t, 0) for d in self.tf], dtype=np.float32)
            out += idf * f * (self.k1 + 1) / (f + norm)
        return out

    def coverage(self, tokens: Sequence[str]) -> float:
        """Share of the query's distinct tokens that occur in the plan at all (0 when none)."""
        distinct = set(tokens)
        return sum(t in self.idf for t in distinct) / len(distinct) if distinct else 0.0


@dataclass(frozen=True)
class Weights:
    """Fusion weights and the in-scope rule, calibrated on the development question set (eval/)."""

    dense: float = 0.8
    bm25: float = 1.0
    title: float = 0.5
    bureau: float = 0.25
    # A clause that prints a name the question quotes from the documents (大学科技园, 创业资助), per name.
    phrase: float = 0.2
    # A clause that answers every thing a founder's question lists with 、 (:func:`listed_aspects`).
    aspects: float = 0.7
    # Taken off the plan's preamble for a question asking neither what the plan rests on nor what it is for
    # (``rules.json`` preamble): its general words (the zone's full name, 高质量发展) matched questions it does not
    # answer. Not in the corpus: a resolution's or decision's preamble there states its substance (tried on the laws
    # sets: one question lost, none gained).
    preamble: float = 0.6
    # BM25 weight of the dictionary's terms for English words, relative to the question's own tokens.
    dictionary: float = 0.3
    # An English view (same language as the question) scores higher than a Chinese view of equal meaning.
    # (0.2: swept over the 31 English development sets, with and without the English phrase list: 0.15 → 0.2 raised
    # both, 0.9185 → 0.9227 and 0.8827 → 0.8905; 0.05 and 0.5 lowered both)
    english_view_margin: float = 0.2
    # Choosing a clause's sentence, its English translation counts as it is (the clause is already chosen).
    english_sentence_margin: float = 0.0
    english_bm25: float = 0.3
    # Share of an English question's words found in the English views, counted toward the in-scope coverage.
    english_coverage: float = 0.5
    # A clause the conversation points at (pronoun, ordinal) outranks any other evidence.
    pinned: float = 2.0
    nearby: float = 0.3
    # The ranking embedder's cosine (Settings.ranking_embedder), below its best clause's, for the questions
    # :func:`reranked` picks: it ranks founders' own words better than the first embedder (swept on the development
    # set's 2,057 paraphrase questions: 1 → +20 passed, 2 → +32, 3 → +37, 4 → +44)
    ranking: float = 4.0
    # BM25 is squashed as s / (s + bm25_scale): a fixed scale, so a weak best match stays weak.
    bm25_scale: float = 8.0
    # In scope when dense_max - negative * negative_max + coverage_weight * coverage >= threshold.
    negative: float = 1.0
    coverage_weight: float = 0.3
    threshold: float = 0.0


# In-scope thresholds calibrated with `python -m eval calibrate` on eval/questions.jsonl, per embedder:
# the middle of the widest band with the best refusal recall at 0 in-scope questions refused.
CALIBRATED_THRESHOLDS = {"use-m3": 0.0, "e5-small": 0.05}


def weights_for(embedder_id: str, threshold: float | None = None) -> Weights:
    """Default weights with the threshold calibrated for this embedder (or the one given)."""
    if threshold is None:
        threshold = CALIBRATED_THRESHOLDS.get(embedder_id, CALIBRATED_THRESHOLDS["use-m3"])
    return Weights(threshold=threshold)


def reranked(query: Query) -> bool:
    """Whether the ranking embedder's cosine joins a question's fusion: a question asking for nothing in particular
    (no figure, no body, no heading's list), as a founder's own words do. One asking for a figure or a bureau has
    words the plan prints, which the first embedder and BM25 already rank by: on every question of the development
    set the second embedder's cosine lost 26 figure questions for each 3 it gained (paraphrase: 44 more passed;
    the other kinds: 42 fewer)."""
    return query.intent == "general" and not query.asks and not query.bureaus


def title_match(query_tokens: Sequence[str], title_tokens: Sequence[str]) -> float:
    """Share of a clause title's content tokens that the question contains (0..1)."""
    words = content_tokens(title_tokens)
    if not words:
        return 0.0
    q = set(query_tokens)
    return sum(w in q for w in words) / len(words)


def fuse(clauses: Sequence[Clause], query: Query, dense: np.ndarray, bm25: np.ndarray,
         titles: np.ndarray, weights: Weights, phrases: np.ndarray | None = None,
         ranking: np.ndarray | None = None, aspects: np.ndarray | None = None,
         preambles: np.ndarray | None = None) -> list[Hit]:
    """Combine dense, BM25, title and bureau evidence into ranked hits.

    Args:
        clauses: the plan's clauses, in index order.
        query: the analysed question.
        dense: cosine similarity per clause (best view).
        bm25: raw BM25 score per clause.
        titles: title match per clause (0..1).
        weights: the fusion weights.
        phrases: per clause, how many of the documents' names quoted by the question it prints (none: zeros).
        ranking: a second embedder's cosine per clause (best view), or None.
        aspects: per clause, 1 when it answers every thing the question lists (:func:`listed_aspects`), or None.
        preambles: per clause, 1 for a document's preamble, for a question that asks neither what the document
            rests on nor what it is for (``Query.preamble``), or None.

    Returns:
        Hits, best first.
    """
    bm = bm25 / (bm25 + weights.bm25_scale)
    bureau = np.array([any(b in c.bureaus for b in query.bureaus) for c in clauses], dtype=np.float32)
    pinned = np.array([c.id in query.pinned for c in clauses], dtype=np.float32)
    nearby = np.array([c.id in query.nearby for c in clauses], dtype=np.float32)
    boost = weights.title * titles + weights.bureau * bureau + weights.pinned * pinned + weights.nearby * nearby
    if phrases is not None:
        boost = boost + weights.phrase * phrases
    if aspects is not None:
        boost = boost + weights.aspects * aspects
    if preambles is not None:
        boost = boost - weights.preamble * preambles
    total = weights.dense * dense + weights.bm25 * bm + boost
    if ranking is not None:
        total = total + weights.ranking * (ranking - ranking.max())
    order = np.argsort(-total, kind="stable")
    return [Hit(clauses[i], float(total[i]), float(dense[i]), float(bm25[i]), float(boost[i])) for i in order]


def in_scope(dense_max: float, negative_max: float, coverage: float, weights: Weights) -> tuple[bool, float]:
    """Decide whether the plan covers the question.

    Args:
        dense_max: best cosine between the question and any clause view.
        negative_max: best cosine between the question and any off-topic example (portal text, off-topic list).
        coverage: share of the question's tokens found in the plan.
        weights: carries the threshold.

    Returns:
        (covered, confidence).
    """
    confidence = dense_max - weights.negative * negative_max + weights.coverage_weight * coverage
    return confidence >= weights.threshold, confidence
