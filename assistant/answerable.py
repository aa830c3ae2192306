"""Answerability: do the retrieved clauses state what the question asks, or only mention its topic? (pure)"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from .figures import DOCUMENT_NUMBER
from .retrieval import ENTRY_LISTS, asking
from .rules import AnswerType, Rules, longer_term_years, passed_years, question_years
from .text import PHRASE, is_title_sentence, names_phrase, named_phrases, sentence_share, split_sentences
from .types import Clause, Verdict

# A sentence is about the question's subject when it holds at least this share of the question's topic tokens
# (or it is the sentence that best answers the question).
SUBJECT_SHARE = 0.34
# A sentence that states the information must name at least this share of the subject's words.
PHRASE_SHARE = 0.33
# A phrase that enumerates names must name at least this share of the subject's fullest words.
NAMES_PHRASE_SHARE = 0.5




FOREIGN_WEIGHT = 0.5
# A word in at least this share of the documents' sentences names no subject of its own.
COMMON_SHARE = 0.3
# Fewer words of the documents than this in a question leaves its subject to the statement before it.
SCENE_KNOWN = 2
# Questions answered by listing the documents' entries: nothing is asked of any one clause's sentences.
LISTINGS = ENTRY_LISTS | {"aggregate"}
# A question that asks for a quantity outright (not "what is the goal"): a figure must answer it.
_QUANTITY = re.compile(r"(?:是|有|为|到|达)多少(?:\S{0,2}|[张个家所项名位间座台辆亩]\S{0,3})[？?]?$|how many|"
                       r"\b(?:is there|are there|any|give|gives|put) (?:a |an |any )?(?:concrete |specific |hard )?"
                       r"(?:numbers?|figures?)\b|"
                       r"how much(?! (?:[a-z]+ )?(?:freedom|autonomy|flexibility|power|say|"
                       r"control|help|support|attention|priority|influence|discretion|room|weight|importance|"
                       r"emphasis|effort|commitment|backing)\b)")
_FORM_WORD = re.compile(r"(?:19|20)\d\d年?|达到|突破|实现|目标|指标|力争|完成|超过|增长|年均|具体|要|多少")
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d年?")
# Words that name the kind of figure asked (定了什么数量目标), not what it is asked of.
_KIND_WORD = re.compile(r"目标|指标|数量")
# Answer types whose figure belongs to a year when the sentence names one.
FIGURE_KINDS = frozenset({"amount", "amount_each", "rate", "count", "target_count", "area", "figure"})
# …and those that ask a sum of money (an amount, an amount for each recipient).
SUM_KINDS = frozenset({"amount", "amount_each"})


def _near_subject(sentence: str, kind, tokens: Sequence[str], title: str = "", foreign: frozenset = frozenset(),
                  implied: frozenset = frozenset()) -> bool:
    """The sentence names most of the question's subject, and the information sits in a phrase (between commas)
    that names part of it: "瞪羚企业数量翻一番" does not state a tax rate of 高新技术企业, and "10个三甲医院光谷院区"
    is not the opening year of 光谷国际医院. A sentence's opening phrase ("到2035年,") speaks for the whole
    sentence. The clause's title counts toward naming the subject: every sentence of 加强评价监测 is about it.
    ``implied``: the documents' terms for the asker's words (开公司 → 创办, 市场主体), counted only where the sentence
    names them: they say what the asker's word may mean, not more of what is asked."""
    # (a year names no subject beside the words that do: "学校方面2025年的目标" is not about a sentence of 2025's
    # hospitals — the year asked is checked on its own, see _states; "2025年更长远是多少" has little else to go on)
    distinct = set(tokens)
    named = {t for t in distinct if not _YEAR_ONLY.fullmatch(t)}
    distinct = named if len(named) >= 2 else distinct
    low = f"{title} {sentence}".lower()
    weight = {t: 0.0 if t in implied and t not in low else FOREIGN_WEIGHT if t in foreign else 1.0 for t in distinct}
    held = sum(weight[t] for t in distinct if t in low)
    if not held or held < PHRASE_SHARE * sum(weight.values()):
        return False
    # The phrase names the subject by its fullest words: "上市企业数量达到100家" names 企业 but not 瞪羚企业.
    # (a year or a verb of targets — 2025年, 达到 — names no subject: "上市企业数量达到100家" is not 瞪羚企业's)
    known = [t for t in distinct if t not in foreign and not _FORM_WORD.fullmatch(t)]
    fullest = {t for t in known if not any(t != u and t in u for u in known)} or distinct
    if kind.name == "names":
        # names are stated by an enumeration in a phrase that names the counted thing itself: "综合性、普惠性、
        # 公益性医院项目" lists kinds of hospital, not the 4 major medical projects
        need = NAMES_PHRASE_SHARE * len(fullest)
        return any(kind.stated_in(seg) and sum(t in seg.lower() for t in fullest) >= need
                   for seg in PHRASE.findall(sentence))
    named = False
    for i, seg in enumerate(PHRASE.findall(sentence)):
        # a per-recipient phrase (or one saying how it is given) continues the subject named before it in the
        # sentence: "对获得国家立项的关键核心技术攻关项目,…,单个企业每年最高支持1000万元" states the cap of those projects
        if kind.stated_in(seg) and (i == 0 or any(t in seg.lower() for t in fullest)
                                    or (named and _CONTINUES.match(seg.strip()))):
            return True
        named = named or any(t in seg.lower() for t in fullest)
    return False


def _about(sentence: str, tokens: Sequence[str], ignored: frozenset = frozenset()) -> float:
    """The share of the subject's words a sentence holds, the ``ignored`` ones left out."""
    low = sentence.lower()
    distinct = set(tokens) - ignored
    return sum(t in low for t in distinct) / len(distinct) if distinct else 0.0


def judge(query, covered: bool, cited: Sequence[Clause], rules: Rules, document: str,
          best_sentences: Callable[[Clause], list[str]], best_states: frozenset = frozenset()) -> Verdict:
    """Decide whether the cited clauses answer the question.

    Args:
        query: the analysed question (``intent``, ``asks``, ``tokens``, ``text``, ``lang``).
        covered: the in-scope decision (False: nothing in the documents is about the question).
        cited: the clauses an answer would cite, best first.
        rules: answer types and their evidence patterns.
        document: the documents' whole text (a year it never mentions cannot be answered).
        best_sentences: the sentences of a clause that best answer the question.
        best_states: the kinds of information the first clause's best sentences state for the question by stating
            one at all, whatever words they use (a law's figure for a paraphrased question: see :func:`_states`).

    Returns:
        The verdict; a refusal for a topic the documents mention carries those clauses as pointers.
    """
    if not covered or not cited:
        return Verdict(False, "off_topic")
    if query.intent in LISTINGS:
        return Verdict(True)
    lang = query.lang
    pointers = tuple(cited[:2])
    years = question_years(query.text, rules)
    for year in years:
        if year not in document:
            return Verdict(False, "year_not_in_documents", rules.what("year_not_in_documents", lang, year=year),
                           pointers)
    if years and _YEAR_SAID.search(cited[0].text) and not any(y in c.text for c in cited for y in years):
        # a dated entry (到2025年…) that never names the year asked says nothing for it: "生命健康产业2035年呢？"
        return Verdict(False, "year_not_in_entry", rules.what("year_not_in_entry", lang, year=years[0]), pointers)
    if query.intent == "who" and not query.asks and not cited[0].bureaus:
        return Verdict(False, "no_bureau", rules.what("no_bureau", lang), pointers[:1])
    low = document.lower()  # once, not per word
    subject = _named_subject(query, rules, document, low)
    # Words the documents never use ("区里", "开业") count half toward naming the subject: they may be chatter
    # around the question, or the very thing asked that the documents lack.
    foreign = frozenset(t for t in subject if t.lower() not in low)
    kinds = [(name, rules.answer_types[name]) for name in query.asks]
    unit, unit_kind = rules.asked_unit(query.text) or (None, "")
    if not kinds and unit is not None:
        kinds = [(unit_kind, ANY_FIGURE)]  # "每年查几次？": some figure about the subject, or the documents do not say
    if not kinds and query.intent == "number" and _QUANTITY.search(query.text.lower()):
        kinds = [("count", ANY_FIGURE)]  # "容积率上限是多少？": some figure about the subject, or the plan does not say
    counted = _counted(query, cited)
    # A per-recipient unit (单个项目, 每家企业) is how the amount is counted, not the thing it is for.
    named = tuple(p for p in named_phrases(query.text, subject, document)
                  if not _PER_RECIPIENT.match("".join(p))) if query.lang != "en" else ()
    past = _past(query, rules)
    sums = sum_words(query, rules, low)
    # (the lexicon's terms for a Chinese question's words are not in its text: 创办 for 开公司)
    said = query.text.lower()
    implied = frozenset(t for t in subject if t.lower() not in said) if query.lang != "en" else frozenset()
    for name, kind in kinds:
        if not any(_states(query, kind, clause, k == 0 and _leads(query, kind, clause, cited), best_sentences(clause),
                           subject, foreign, counted, named, past, k == 0 and name in best_states,
                           sums if name in SUM_KINDS else (), implied)
                   for k, clause in enumerate(cited)):
            if kind is ANY_FIGURE and _year_goal(years or longer_term_years(query.text, cited[0].text, rules), cited[0]):
                continue  # "2025年经济总量目标是多少？" → "2035年呢？": no figure, but the entry's 2035 goal is its answer
            if named:  # the clauses that name the thing asked about point first
                pointers = tuple(sorted(pointers, key=lambda c: not any(names_phrase(c.text, p) for p in named)))
            return Verdict(False, name, rules.what(name, lang), pointers)
    if kinds and unit is not None and not any(states_unit(unit, c.text) for c in cited):
        # "年休假应该有几天？" of an article on who is entitled (连续工作满12个月): a figure, but in no day
        name = kinds[0][0]
        return Verdict(False, name, rules.what(name, lang), pointers)
    return Verdict(True)


def sum_words(query, rules: Rules, document: str) -> tuple[str, ...]:
    """The words naming the kind of sum the question asks (管理服务费, 申请费) that lower-cased ``document`` prints: a
    sentence giving some other sum (the fine of the same law) does not state it."""
    return tuple(t for t in rules.sum_names(query.subject_tokens) if t.lower() in document)


def states_unit(unit: re.Pattern, text: str) -> bool:
    """Whether ``text`` gives a number in the unit asked (:meth:`Rules.asked_unit`): 2025年 is a date, no number of
    years."""
    return any(not (re.fullmatch(r"(?:19|20)\d\d", m.group("n")) and m.group(0).endswith("年"))
               for m in unit.finditer(text))


# Another cited clause holding this many of the terms an English question's words were read as is about its subject.
ABOUT_TERMS = 2


def _leads(query, kind, clause: Clause, cited: Sequence[Clause]) -> bool:
    """An English question's best clause speaks for it (its best sentence may answer), unless it holds none of the
    Chinese terms the question's words were read as and another cited clause holds several: the yearly report's
    "每年1月底之前" (加强评价监测) is no application deadline of the 揭榜挂帅 projects the runner-up is about. The
    words read as the kind asked ("deadline" → 之前) name no subject."""
    if query.lang != "en":
        return True
    read = {t for t in (*query.tokens, *query.dictionary) if not t.isascii() and not kind.stated_in(t)}

    def held(c: Clause) -> int:
        return sum(t in f"{c.title}{c.text}" for t in read)

    return held(clause) > 0 or all(held(c) < ABOUT_TERMS for c in cited)


def _year_goal(years: Sequence[str], clause: Clause) -> bool:
    """The best clause has a sentence about a year asked (a goal with no figure: 到2035年…建成“世界光谷”)."""
    return any(y in s for s in split_sentences(clause.text) for y in years)


def _subject(query, rules: Rules, scene: bool = True) -> list[str]:
    """The question's subject words (``scene``: without the words only a statement before the question says)."""
    # the words asking for a kind of information, and an ordinal naming the entry (第三条要求每年什么时候报告？)
    asked = rules.ask_words(query.text) + [m.group(0) for m in rules.ordinal.finditer(query.text)]
    kinds = [rules.answer_types[name] for name in query.asks]
    # words only a statement before the question says set the scene, they are not its subject ("我家刚搬到光谷，
    # 小区门口天天修路。方案里说发明专利拥有量要怎么变？")
    question = asking(query.text).lower()
    scene_text = query.text.lower().replace(question, " ") if question != query.text.lower() else ""
    # an English word read as how a document states the kind asked ("deadline" → 之前) asks, it names nothing
    tokens = [t for t in query.subject_tokens if t.lower() not in rules.chatter]  # (听说, 大概: talk, no subject)
    # (a word of targets, 目标 or 数量 of "定了什么数量目标", names the kind asked, not what it is asked of: a sentence
    # with 数量达到10000家 is not about the hospitals asked of)
    return [t for t in tokens if not any(t in w for w in asked) and not _KIND_WORD.fullmatch(t)
            and not (query.lang == "en" and any(k.stated_in(t) for k in kinds))
            and not (scene and t.lower() in scene_text and t.lower() not in question)] or tokens


def _named_subject(query, rules: Rules, document: str, low: str) -> list[str]:
    """The subject words the answerability check looks for. Words in a large share of the documents' sentences
    (东湖高新区, 支持, 创新) name no particular subject: a sentence holding them has not said anything about
    发明专利拥有量. The scene set before the question is its subject when the question itself names fewer than
    SCENE_KNOWN words the documents use: "去年刚拿到一个国家立项的卡脖子技术攻关项目。…还会不会再配套给点钱？一年最多能
    拿多少？" asks of that project."""
    def named(words):
        return [t for t in words if sentence_share(document, t) < COMMON_SHARE] or words
    subject = named(_subject(query, rules))
    # (a recipient or period word, 每年 of "每年最多能拿多少", is how a sum is counted, not what it is for; nor is a
    # word for how it is given, 配套 or 资助, when a sum is asked; a word said twice names one thing)
    given = rules.how_given if SUM_KINDS & set(query.asks) else frozenset()

    def plain(words):  # without the words for how a sum is counted or given
        return [t for t in words if not _COUNTED_BY.fullmatch(t) and t not in given]

    if len({t for t in plain(subject) if t.lower() in low}) < SCENE_KNOWN:
        whole = named(_subject(query, rules, scene=False))
        if len(whole) > len(subject):
            subject = whole
    # (and for any sum asked, scene or not, the recipient, period and giving words are not looked for near the sum
    # when two words are left: "…攻关项目，按什么比例配套？一家企业一年最多能拿多少钱？" looks for the project's words
    # near the cap, not 一家, 一年, 配套; "…听说开发区有笔专门的钱扶持这个，规模多大？" for 期权, 配股, not 扶持)
    kept = plain(subject) if given else subject
    return kept if len(set(kept)) >= SCENE_KNOWN else subject


def _past(query, rules: Rules) -> frozenset:
    """The years an English question goes past (the 2025年 of "beyond 2025"), read once per question with the
    caller's rules; none for a Chinese one."""
    return frozenset(passed_years(query.text, rules)) if query.lang == "en" else frozenset()


def _counted(query, clauses: Sequence[Clause]) -> tuple[str, ...]:
    """The counted things the question quotes (4个重大医疗项目) that some of these clauses count too."""
    return tuple(c for c in (m.group(0) for m in _COUNTED.finditer(query.text)) if any(c in x.text for x in clauses))


def _states(query, kind, clause: Clause, first: bool, best: Sequence[str], subject: Sequence[str],
            foreign: frozenset = frozenset(), counted: Sequence[str] = (),
            named: Sequence[tuple[str, ...]] = (), past: frozenset = frozenset(), speaks: bool = False,
            sums: Sequence[str] = (), implied: frozenset = frozenset()) -> bool:
    """A sentence of the clause states this kind of information about the question's subject (and, for a
    figure asked for a year, about that year: 2025's 5000亿元 is not the 2035 target). When the question names
    one of the documents' own things (``named``), the sentence (or the clause's title) names it too: the
    2025 date of 10个三甲医院光谷院区 is not the opening year of 光谷人民医院, named in the next sentence.
    ``past``: the years an English question goes past (:func:`_past`), which name no term it asks about.
    ``speaks``: one of the clause's best sentences stating the kind answers, whatever words it names the subject by
    (a law's first-ranked article for a Chinese question: "没经过同意就把小汽车开进公园" is its "车辆未经允许进入公园的，
    …处二百元以下罚款"; the ranking, not the sentence's words, decided it is about the question).
    ``sums``: for a sum asked, the words naming its kind (管理服务费) that the documents print: it is stated only by a
    sentence naming one of them. ``implied``: see :func:`_near_subject`."""
    years = question_years(query.text) if kind.name in FIGURE_KINDS else []
    sentences = split_sentences(clause.text)
    if kind.name == "names" and counted:
        # "“4个重大医疗项目”具体是哪几个？": where the documents count the very things asked, their names are given
        # in that sentence or nowhere (a list of other projects elsewhere does not name these four)
        sentences = [s for s in sentences if any(c in s for c in counted)]
    for s in sentences:
        # a year is no figure: "到2035年,…初步建成“世界光谷”" states no 2035 target for 经济总量
        if not kind.stated_in(_YEAR_SAID.sub("", DOCUMENT_NUMBER.sub("", s)) if kind is ANY_FIGURE else s) or (
                not kind.qualifies(query.text, s)):
            continue
        if years and not any(y in s for y in years) and _YEAR_SAID.search(s):
            continue
        if sums and not any(t in f"{clause.title} {s}" for t in sums):
            continue
        if query.lang == "en":  # English tokens are translations: the sentence level is as close as they get
            # (only the Chinese terms the English words were mapped to can occur in a Chinese sentence)
            chinese = [t for t in subject if not t.isascii()]
            # the best sentence speaks for the question, unless it states a sum and the clause holds some of those
            # terms but it none: "how much housing subsidy does a foreign scientist get?" is not answered by the
            # 10亿元 of a fund whose sentence names neither, when 外籍 is in the clause's next sentence (a count's
            # thing, companies, is no term: "how many companies with output of…" keeps its 1—2家)
            # (a term the lexicon gives for one of its words, held by the clause, is said in the sentence that
            # answers: the 翻一番 of 高新技术企业's number is no tax rate when 税务 is elsewhere in the clause)
            held = [t for t in (chinese if kind.name in SUM_KINDS else query.one_word_terms)
                    if t in clause.text and not any(y in t for y in past)]
            # (an outline entry's heading sentence is shown as its title, not picked among its best: "每年三月定为我省的
            # 植树造林月。" answers "which month is the tree-planting month?")
            shown = s in best or is_title_sentence(s, clause.title)
            # (the first article's best sentence stating a figure of the kind asked answers, as for a Chinese
            # question: ``speaks``)
            if (first and shown and (not held or any(t in s for t in held))) or (speaks and s in best) or (
                    chinese and _near_subject(s, kind, chinese, clause.title, foreign)):
                return True
        elif (speaks and s in best) or _near_subject(s, kind, subject, clause.title, foreign, implied) and (
                not named or any(names_phrase(f"{clause.title} {s}", p) for p in named)):
            return True
    return False


_YEAR_SAID = re.compile(r"(?:19|20)\d\d年")
# A phrase that opens with its recipient (单个企业, 每个项目, 每人) states a sum for what the sentence named before it.
_PER_RECIPIENT = re.compile(r"(?:单个|单家|单项|每个|每家|每项|每人|每户|每年)")
# A word for how a sum is counted, per recipient or period, as a question says it (一家企业一年最多拿多少).
_COUNTED_BY = re.compile(rf"{_PER_RECIPIENT.pattern}|一家|一个|一项|一年|一次")
# … and so does a phrase that opens with how it is given, having no subject of its own: "对获得国家立项的关键核心技术
# 攻关项目,分年度按照国家拨付资金50%的比例予以支持" states the rate for those projects.
# (and a law's penalty after the conduct it punishes: "组织未成年人进行盗窃…的，处三年以下有期徒刑…")
_CONTINUES = re.compile(f"{_PER_RECIPIENT.pattern}|(?:分年度|分期|按照|按|给予|予以|并?处(?![理置]))")
# A counted thing as a question quotes it: 4个重大医疗项目, 7个湖北实验室, 两大产业集群 (count, measure word, name).
_COUNTED = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)[个家所项座大类条批][\u4e00-\u9fff]{2,}")
# A question about a figure with no particular kind ("研发投入呢？" after a question about a target) is answered by
# a sentence with a number in it.
# (a law writes its figures in Chinese numerals: 百分之五十, 三倍, 二十日; 一批 and 一事 are no figures)
ANY_FIGURE = AnswerType("figure", None, re.compile(
    r"(?<![A-Za-z])\d|翻一?番|倍增|百分之[一二三四五六七八九十百]+"
    r"|[一二三四五六七八九十百千万两]+(?:倍|元|万元|日|天|个月|年|周岁|小时|分|名|人|次)"
    # "不再设定上限" answers "上限是多少" (there is none)
    r"|不再设定?[^，。,]{0,6}上限|不设[^，。,]{0,6}上限|取消[^，。,]{0,6}上限"), {})  # M0 is a name
# How far down the ranking the clause that states what is asked may come from.
LEAD_WINDOW = 3


def answering_first(query, candidates: Sequence[Clause], rules: Rules,
                    best_sentences: Callable[[Clause], list[str]], cited: int | None = None,
                    common: frozenset = frozenset()) -> int:
    """Which of the best-ranked clauses should lead the answer: the first that states what the question asks
    (a figure, a date…) about its subject, when the best-ranked one only mentions the topic (0 otherwise).

    Args:
        candidates: the best-ranked clauses, best first (at most ``LEAD_WINDOW`` are considered).
        cited: how many of them the answer cites anyway; one further down leads only when its sentence names
            the subject as fully as the best clause does (创业资助 is the startup task's own subject, so a
            3000万 "资助" elsewhere does not answer "创业资助能拿多少").
        common: the subject's words left out of that comparison: the zone's name, in most clauses, names no
            subject ("东湖高新区对研发投入的增速…" is not about 考核评价's 东湖高新区).
    """
    if query.pinned or query.intent in LISTINGS or len(candidates) < 2:
        return 0
    kinds = [rules.answer_types[name] for name in query.asks]
    if not kinds and query.intent == "number":
        kinds = [ANY_FIGURE]
    if not kinds:
        return 0
    subject = _subject(query, rules)
    cited = len(candidates) if cited is None else cited
    top = max((_about(x, subject, common) for x in split_sentences(candidates[0].text)), default=0.0)
    window = candidates[:max(cited, LEAD_WINDOW)]
    counted = _counted(query, window)
    past = _past(query, rules)
    # a year asked that the best clause's figures are dated in another (2035 of a 2025 target): a clause naming no
    # year asked does not answer for that year instead ("2035年…高新技术企业数量要达到多少家？" is not the goals' 10000家)
    years = [y[:4] for y in _YEAR_ONLY.findall(query.text)]
    dated = bool(_YEAR_ONLY.search(candidates[0].text))
    for k, clause in enumerate(window):
        if k and years and dated and not any(y in clause.text for y in years):
            continue
        if not all(_states(query, kind, clause, k == 0, best_sentences(clause), subject, counted=counted, past=past)
                   for kind in kinds):
            continue
        if k < cited or max(_about(x, subject, common) for x in split_sentences(clause.text)
                            if any(kind.stated_in(x) for kind in kinds)) >= top:
            return k
    return 0


# Clauses that introduce a part of the documents rather than state a measure.
INTRODUCTIONS = frozenset({"preamble", "goal"})


def figure_first(query, hits: Sequence, rules: Rules) -> int:
    """For a question asking a figure outright (目标是多少, what's the target number), the first of the best
    LEAD_WINDOW hits that holds any figure, when the best is an introduction that holds none: the goals' opening
    names 主要指标 and states none (0 otherwise; a task without the figure asked is the topic the plan leaves
    unsaid, and a refusal points to it)."""
    low = query.text.lower()
    asked = any(a in FIGURE_KINDS for a in query.asks) or rules.form("quantity", low)
    # a target asked without a quantity word ("the 2025 economic size target") is one of the introduction's own
    # entries, the goals under 一、工作目标, not a figure found further afield
    own = not asked and query.intent == "number"
    if (not (asked or own) or query.pinned or query.intent in LISTINGS or rules.form("count", low) or not hits
            or hits[0].clause.kind not in INTRODUCTIONS or _states_figure(hits[0].clause.text)):
        return 0
    return next((k for k, h in enumerate(hits[1:LEAD_WINDOW], 1) if _states_figure(h.clause.text)
                 and (not own or h.clause.path == hits[0].clause.path)), 0)


def _states_figure(text: str) -> bool:
    """The text states some figure (a document's number, 国发〔2020〕7号, is none)."""
    return ANY_FIGURE.stated_in(DOCUMENT_NUMBER.sub("", text))


# A figure as an entry states it, with what it counts: 10000家, 5000亿元, 14%.
_FIGURE = re.compile(r"\d[\d.]*\s*(?:%|[万亿千百]?[\u4e00-\u9fff])")


def restated_by(clause: Clause, clauses: Sequence[Clause], terms: Sequence[str], document: str) -> Clause | None:
    """The one entry with bureaus that restates a figure this clause (which lists none) states about the question's
    terms (pure): the goals say "高新技术企业数量达到10000家", the task 支持高新技术企业发展壮大 says "…高新技术企业数量
    力争突破10000家" and lists who delivers it. None when no entry, or more than one, restates it."""
    # (a word in a large share of the documents' sentences, 东湖高新区, names no figure's subject)
    terms = [t for t in dict.fromkeys(terms) if len(t) > 1 and not t.isascii()
             and sentence_share(document, t) < COMMON_SHARE]
    found = []
    for seg in PHRASE.findall(clause.text):
        if not any(t in seg for t in terms):
            continue
        for figure in _FIGURE.findall(seg):
            found += [c for c in clauses if c is not clause and c.bureaus and any(
                figure in p and any(t in p for t in terms) for p in PHRASE.findall(c.text))]
    found = list(dict.fromkeys(found))
    return found[0] if len(found) == 1 else None


# A who-question whose best clause lists no bureau is answered by a runner-up that does, when it scores this close.
WHO_RATIO = 0.8


def bureaus_first(query, hits: Sequence) -> int:
    """For a who-question, the hit that should lead: the runner-up listing bureaus when the best one lists none
    and the two score alike ("Who do I talk to about patents?": the patent-protection task, not the patent
    target among the goals); 0 otherwise (谁负责工作目标？ is answered: the goals name no bureau)."""
    if query.intent != "who" or query.asks or query.pinned or len(hits) < 2 or hits[0].clause.bureaus:
        return 0
    if hits[1].clause.bureaus and hits[1].score >= WHO_RATIO * hits[0].score:
        return 1
    return 0
