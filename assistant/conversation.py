"""Follow-up resolution without an LLM: each turn made standalone against earlier turns and answers (pure)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Container, Sequence

from .rules import Rules, group
from .text import content_tokens, detect_lang, find_bureaus

_SHORT = 6
# …and an English one of this many words or fewer
_SHORT_WORDS_EN = 2
_YEARISH = re.compile(r"^\W*(?:in\s+|by\s+|到)?(19|20)\d\d\s*(年|年的?目标|年的?指标)?\W*$", re.I)


@dataclass(frozen=True)
class Context:
    """What a conversation has established after a turn.

    Attributes:
        standalone: the turn made standalone.
        intent: its intent (``who``, ``number``, ``general``…), re-asked by 那X呢 / what about X.
        cited: the clause ids its answer cited, in order (ordinals refer to these).
    """

    standalone: str
    intent: str = "general"
    cited: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolved:
    """A turn made standalone.

    Attributes:
        text: the standalone question.
        pinned: clause ids the turn refers to (a pronoun → the latest topic; an ordinal → that list entry).
        how: ``standalone``, ``pronoun``, ``switch`` (new topic), ``bureau`` (same question, another bureau),
            ``year`` (same topic, another year), ``variant`` (the same question of a variant of a term it quoted),
            ``ordinal`` or ``among`` (one of the previous list's entries).
        nearby: after a topic switch, the previous answer's clause: a small prior, since a conversation's
            topics tend to sit close together ("And listed companies?" after the high-tech enterprise target).
        intent: the previous turn's intent, asked again about the new topic (那营商环境呢 after a who-question).
    """

    text: str
    pinned: tuple[str, ...] = ()
    how: str = "standalone"
    nearby: tuple[str, ...] = ()
    intent: str = ""


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")
# not a count or an amount: 2000家, 2000亿 are no years
_YEARS_EN = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d%])(?!\s*(?:亿|万|家|个|元|所|项))")


# What is left of a turn that is only an ordinal ("第三项呢？", "And the third one?")
_BARE = re.compile(r"[\s\W呢吗]|\b(?:and|what|how|about|the)\b", re.I)
# A topic named before a question ("X, who handles that?") needs this many topic words of its own.
OWN_TOPIC_WORDS = 2


def topic_words(turn: str, tokenize: Callable[[str], list[str]], rules: Rules, known: Container[str] | None = None
                ) -> int:
    """How many words of ``turn`` name a topic: not the words asking for a kind of information, nor words that name
    no topic on their own (企业, a single company, per year); with ``known`` (the documents' text or vocabulary),
    only the words the documents use."""
    return len(topic_terms(turn, tokenize, rules, known))


def topic_terms(turn: str, tokenize: Callable[[str], list[str]], rules: Rules, known: Container[str] | None = None
                ) -> list[str]:
    """The words of ``turn`` that name a topic (see :func:`topic_words`)."""
    tokens = content_tokens(tokenize(rules.strip_asks(turn)))
    return [t for t in tokens if (not t.isascii() or len(t) > 3) and t not in rules.not_topic
            and (known is None or t in known)]


def _said_person(turn: str, m: re.Match, rules: Rules) -> bool:
    """Whether a pronoun found is 他/她 standing for a person the turn names before it (还给他… after 别人)."""
    pronoun, persons = rules.person_said
    return bool(pronoun.fullmatch(m.group(0)) and persons.search(turn, 0, m.start()))


def is_followup(turn: str, rules: Rules, topic_words: int | None = None) -> bool:
    """True when a turn leans on an earlier one: a pronoun (它, 也, that), a turn with no topic at all
    ("Which bureaus are responsible?") or a bare fragment."""
    t = turn.strip()
    if topic_words == 0 or any(not _said_person(t, m, rules) for m in rules.pronouns.finditer(t)):
        return True
    if t.isascii() and len(re.findall(r"[A-Za-z'-]+", rules.fillers.sub(" ", t))) <= _SHORT_WORDS_EN:
        return True  # "Which sectors?", "What budget?": a bare English fragment, asked of the topic just answered
    return len(re.sub(r"[\s\W]", "", t)) <= _SHORT


_QUOTES = "“”\"'‘’「」 "
# A variant differs from the quoted term by at most this many characters (特别 of 情节特别严重): "情节怎样才算严重" asks
# something else of it.
VARIANT_CHARS = 2
# A topic naming the same kind of thing as the previous question (住宅区) ends in this many characters or more of its
# words; this many words before them in the previous question are the ones the topic replaces. (Two, 企业 or 产业,
# name too little: "到2025年上市企业要达到多少家？" → "瞪羚企业呢？" is not asked in 家, the plan doubles them; on the
# plan's 1,497 conversations two characters lost 7.)
HEAD_CHARS = 3
MODIFIER_CHARS = 4
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]{3,16}")
_HAN_RUN_END = re.compile(r"[\u4e00-\u9fff]+$")
# A term the previous question quoted: “情节严重”, "unveil the list".
_QUOTED = re.compile(r"[“\"‘「']([^”\"’」']{2,16})[”\"’」']")


def _variant_of(topic: str, previous: str) -> str:
    """The term the previous question quoted that ``topic`` is a variant of, or '': 情节特别严重 of 情节严重 (the same
    first and last two characters, at most ``VARIANT_CHARS`` more or fewer between) (pure)."""
    core = topic.strip(_QUOTES)
    if len(core) < 3:
        return ""
    for term in _QUOTED.findall(previous):
        if (term != core and term[:2] == core[:2] and term[-2:] == core[-2:]
                and abs(len(core) - len(term)) <= VARIANT_CHARS):
            return term
    return ""


def _head_swap(topic: str, previous: str, asking: re.Pattern, places: Callable[[str], list[str]] | None = None
               ) -> str:
    """The previous question with the thing it asked about replaced by ``topic``, when the two name the same kind of
    thing (the same last ``HEAD_CHARS`` or more characters) with other words before it: "德州新建城镇住宅区每百户要配建
    多少平方米…？" → "那已经建成的住宅区呢？" asks the same of 已经建成的住宅区. The words replaced are those right before
    the shared head, up to ``MODIFIER_CHARS`` of them, after its question words (``asking``: 光谷有什么人才政策 → 住房政策
    replaces 人才) and not a place it named; '' when the topic has no words of its own before the head, or the
    previous question none (pure)."""
    core = topic.strip(_QUOTES + "，,。？?")
    if not _HAN_ONLY.fullmatch(core):
        return ""
    for k in range(len(core) - 1, HEAD_CHARS - 1, -1):
        head = core[-k:]
        at = previous.find(head)
        if at < 0:
            continue
        run = _HAN_RUN_END.search(previous[:at])
        modifier = run.group(0) if run else ""
        modifier = modifier[max((m.end() for m in asking.finditer(modifier)), default=0):]
        for place in (places(modifier) if places and modifier else []):
            if modifier.startswith(place):
                modifier = modifier[len(place):]
        modifier = modifier[-MODIFIER_CHARS:]
        # (a topic holding the words it would replace is no other kind of thing: "那情节怎样才算严重呢？")
        if not modifier or modifier in core or head + previous[at + k:at + k + 1] in core:
            return ""
        start = at - len(modifier)
        # (words the topic opens with that stand right before those replaced are the same words, said once:
        # "一次性工伤医疗补助金…" → "那一次性伤残就业补助金呢？" is 一次性伤残就业补助金, not 一次性一次性…)
        shared = next((n for n in range(len(core) - k, 0, -1) if previous[:start].endswith(core[:n])), 0)
        return previous[:start - shared] + core + previous[at + k:]
    return ""


def _bureau_swap(turn: str, previous: str, bureaus: Sequence[str], aliases: dict) -> str:
    """那市教育局呢？ asks the previous question again about another bureau ('' when it does not)."""
    now = find_bureaus(turn, bureaus, aliases)
    before = find_bureaus(previous, bureaus, aliases)
    if not (now and before and now[0] != before[0] and len(re.sub(r"[\s\W]", "", turn)) <= 16):
        return ""
    for alias, full in sorted(aliases.items(), key=lambda a: -len(a[0])):
        if full == before[0] and alias in previous and before[0] not in previous:
            return previous.replace(alias, now[0])
    return previous.replace(before[0], now[0])


def _place_swap(turn: str, previous: str, rules: Rules, places: Callable[[str], list[str]],
                count: Callable[[str], int]) -> str:
    """那上海呢？ after a question about Hangzhou's rules asks it again of Shanghai's ('' when the turn names no
    document's place, or more than the place). ``places`` gives the place names a text says, longest first, as
    written."""
    m = rules.switch.match(turn)
    topic = group(m, "topic", "topic_b", "topic_en", "topic_en2").strip() if m else ""
    # "那重庆呢？主城区能放吗？": the place swapped, then a question of its own about it
    then = re.match(r"(.+?)\s*呢?\s*[？?]\s*(\S.*)$", topic)
    topic, more = (then.group(1), then.group(2)) if then and places(then.group(1)) else (topic, "")
    own = more
    for place in places(more):
        own = own.replace(place, " ")
    if more and not count(own) and not rules.asked_types(own.lower()):
        # "那江门呢？江门的条例怎么说？": the place said again, asking nothing of its own (but "那河南省人大的决议呢？
        # 年龄是怎么划的？" asks an age of it)
        more = ""
    now = places(topic) if topic else []
    if not now:
        return ""
    # what the turn says besides the place: words the previous question has ("青岛的网吧呢？" after 上海网吧…) ask
    # nothing new; a word or two more ("a hotpot restaurant in Chongqing") narrow it
    extra = re.sub(r"^\W*(?:的|in|at|for|of)?\s*|\s*(?:的|in|at|for|of)?\W*$", "", re.sub(
        "|".join(map(re.escape, now)), " ", topic), flags=re.I).strip()
    new = [w for w in re.split(r"[\s的]+", extra.lower()) if w and w not in previous.lower()
           and w not in ("a", "an", "the")]
    narrowing = count(" ".join(new)) if new else 0
    if narrowing > OWN_TOPIC_WORDS:
        return ""
    if more:  # its own question, of the new place (of the documents of the kind just asked about: see retrieval)
        return f"{now[0]}{more}" if detect_lang(more) == "zh" else f"{more.rstrip('?？ ')} in {now[0]}?"
    before = places(previous)
    if not before:  # "养犬要办证吗？" → "上海呢？": the question, of that place's documents
        lang = detect_lang(previous)
        swapped = f"{now[0]}{previous}" if lang == "zh" else f"{previous.rstrip('?？ ')} in {now[0]}?"
    elif before[0].lower() == now[0].lower():
        return ""
    else:
        swapped = re.sub(re.escape(before[0]), lambda _m: now[0], previous, count=1, flags=re.I)
    return " ".join(p for p in (swapped, " ".join(new) if narrowing else "") if p)


def enumerated(text: str, rules: Rules) -> list[str]:
    """The things ``text`` lists last, three or more, in order (学校、医院、环境等 → 学校, 医院, 环境), or []."""
    lists = list(rules.enumeration.found.finditer(text))
    if not lists:
        return []
    items = re.split(r"\s*[,，、]\s*|和|以及|及", lists[-1].group(0))
    return [i for i in (rules.enumeration.closer.sub("", item).strip() for item in items) if i]


def resolve_turn(turn: str, context: Context | None, rules: Rules, bureaus: Sequence[str], aliases: dict,
                 topic_words: Callable[[str], int] | None = None,
                 places: Callable[[str], list[str]] | None = None) -> Resolved:
    """Make ``turn`` standalone given what the conversation established.

    Args:
        turn: what the user typed now.
        context: the previous turn's :class:`Context` (None at the start).
        rules: follow-up rules (switch, pronouns, ordinals, frames).
        bureaus: the documents' bureau names (for 那市教育局呢).
        aliases: bureau aliases.
        topic_words: counts a text's topic words (optional).
        places: the documents' place names a text says (several cities' rules: 那上海呢 keeps the question).

    Returns:
        The standalone question, the clauses it refers to, and how it was resolved.
    """
    if context is None:
        return Resolved(turn)
    scene = context.standalone
    if (rules.setting.match(scene) and not rules.question_form.search(scene.lower()) and not rules.request.search(scene)
            and not re.search(r"[?？]", scene) and not rules.instruction(scene)):
        # "我是深圳一家普惠性幼儿园的园长。" → "…我们能拒收吗？": the asker set the scene, the question is asked in it
        # (我们 is the kindergarten, not the article the scene's answer happened to cite)
        return Resolved(f"{scene}{'' if detect_lang(scene) == 'zh' else ' '}{turn}")
    fresh = rules.new_topic.match(turn)
    if fresh and turn[fresh.end():].strip():
        # "换个话题，孩子上学这块方案怎么说？": the asker leaves the earlier topic; 这块 is the one named now
        return Resolved(turn[fresh.end():].strip(), (), "switch")
    count = topic_words or (lambda _t: 1)
    lang = detect_lang(turn)
    asking = rules.question_form.search(turn.lower())
    for quoted in _QUOTED.findall(turn) if asking else ():
        if (term := _variant_of(quoted, context.standalone)) and asking.group(0) in context.standalone:
            # "非法转让基本农田，多少亩算'情节严重'？" → "那到多少亩就算'情节特别严重'了？": the same question of the
            # other degree the turn quotes, asked with the same question word in words of its own (not as 那X呢:
            # "…的要判几年？" asks another thing of it); the article just cited is no prior: a law states each
            # degree's threshold in an article of its own
            return Resolved(context.standalone.replace(term, quoted, 1), (), "variant")
    said = rules.ordinal.search(context.standalone)
    if (said and len(re.sub(r"[\s\W]", "", context.standalone[:said.start()])) >= 2 and rules.ordinal.search(turn)
            and not _BARE.sub("", rules.ordinal.sub("", turn))):
        # "战略支撑强化行动的第一项任务讲了什么？" → "第三项呢？": the same question of another position in the list
        # it names (an ordinal that named no list, "第二个行动包括哪些任务？", was picked from an answer's list:
        # the next one picks from the new answer's)
        new = rules.ordinal.search(turn).group(0)
        return Resolved(context.standalone[:said.start()] + new + context.standalone[said.end():], (), "switch")
    picked = rules.ordinal.search(turn)
    listed = enumerated(context.standalone, rules) if picked and rules.enumeration.picks.search(picked.group(0)) else []
    n = rules.ordinal_of(turn, len(listed))
    if 1 <= n <= len(listed) and not find_bureaus(" ".join(listed), bureaus, aliases):
        # "…schools, hospitals, the environment and so on?" → "The second one — what targets?": the second thing
        # the asker listed, whichever order the answer cited them in (a list of bureaus is asked of, not about)
        return Resolved(f"{turn[:picked.start()]}{listed[n - 1]}{turn[picked.end():]}", (), "switch")
    n = rules.ordinal_of(turn, len(context.cited))
    if len(context.cited) > 1 and 1 <= n <= len(context.cited):
        return Resolved(turn, (context.cited[n - 1],), "ordinal")  # the entry, not the list question
    if len(context.cited) == 1 and n >= 1:
        # after one entry ("哪两大产业集群？"), "第二个" is the second thing that entry names: asked of the entry
        return Resolved(f"{context.standalone} {turn}", context.cited, "pronoun")
    if context.cited and rules.among.search(turn):
        if rules.form("member", turn.lower()) and find_bureaus(turn, bureaus, aliases):
            # "市教育局在其中吗？", "Is the finance bureau among them?": among the bureaus of the entry just answered
            return Resolved(f"{context.standalone} {turn}", context.cited[:1], "pronoun")
        # "Which of those deals with overseas acquisitions?": one of the entries just listed
        return Resolved(turn, (), "among", context.cited)
    # ("市教育局在其中吗？" asks whether the bureau is among those just answered: no swap)
    swapped = "" if rules.form("member", turn.lower()) else _bureau_swap(turn, context.standalone, bureaus, aliases)
    if swapped:
        return Resolved(swapped, (), "bureau")
    swapped = _place_swap(turn, context.standalone, rules, places, count) if places else ""
    if swapped:
        return Resolved(swapped, (), "place")
    said = rules.continuation.match(turn) if rules.continuation else None
    rest = turn[said.end():] if said else ""
    if said and (count(rest) < OWN_TOPIC_WORDS or not rules.question_form.search(rest)
                 or (rules.negated and rules.negated.match(rest))):
        # "那要是被抓到了，罚多少钱？", "如果我不想告诉配偶呢？": a further question on the topic just answered (one
        # with a topic and a question of its own, "那如果要做股权激励，有专项资金吗？", is asked on its own, unless it
        # negates what was just said: "要是没办就开门营业了，会怎么处罚？")
        return Resolved(f"{context.standalone} {turn}", context.cited[:1], "pronoun")
    # ("Got it, thanks. What about X - is there…?": the thanks are no topic)
    bare = rules.acknowledgement.sub("", turn, count=1) or turn
    m = rules.dislocated.match(bare)
    topic, rest = ((group(m, "topic", "topic_en", "topic_c", "topic_q", "topic_eq").strip(),
                    group(m, "rest", "rest_en", "rest_c", "rest_q", "rest_eq")) if m else ("", ""))
    topic = rules.topic_closer.sub("", topic)
    # (a topic marked as one, closed by its own question mark, may be one word: "And what about listed companies?
    # How many…?")
    marked = bool(m and group(m, "marker_eq", "marker_q", "marker_en"))  # "what about X", "X呢？": a new topic
    named = 1 if marked else OWN_TOPIC_WORDS
    if topic and not rules.pronouns.search(topic) and count(topic) >= named:
        # "And the future industries item, who handles that?": "that" is the topic just named, not the last one
        if rules.stand_in.search(rest) and rules.question_form.search(rest):
            # (after "what about X", the clause left gets no prior: X is a new topic, marked as one)
            return Resolved(rules.stand_in.sub(topic, rest, count=1), (), "switch", () if marked else context.cited[:1])
        if marked and rules.locative[0].search(rest) and rules.question_form.search(rest):
            # "And what about schools — what are the 2025 goals there?": the goals for schools
            # (the clause left stays a small prior, as for a question without "there": "Whats the target there?")
            return Resolved(rules.locative[0].sub(rules.locative[1].format(topic=topic), rest, count=1), (), "switch",
                            context.cited[:1] if count(rest) < OWN_TOPIC_WORDS else ())
        if rules.question_form.search(rest) and (count(rest) < OWN_TOPIC_WORDS
                                                 or group(m, "marker", "marker_c", "marker_q", "marker_eq", "marker_en")):
            # "那园区绿色低碳这块，目标定在哪一年？": the question is about the topic named before it (and so is one
            # with topic words of its own, after a topic marked as one: "那孩子上学这块呢，要建成多少所新优质学校？",
            # "What about schooling? Will local schools partner with foreign institutions?" —
            # "如果我对检验结果不服，多长时间内可以申请复检？" names a condition, not a topic)
            # (a question with topics of its own is asked in the new topic alone: the clause left is no prior)
            return Resolved(f"{topic}{'' if detect_lang(rest) == 'zh' else ' '}{rest}", (), "switch",
                            context.cited[:1] if count(rest) < OWN_TOPIC_WORDS else ())
    if (topic and group(m, "marker_eq") and rest and not rules.question_form.search(rest)
            and count(rest) >= OWN_TOPIC_WORDS):
        # "And what about the other direction - helping local tech firms go abroad, buy overseas companies?": the
        # words after the dash say what the topic is, they ask nothing of it
        described = rules.topic_closer.sub("", f"{topic} {rest.strip(' ?？.!。')}").strip(" ,，")
        return Resolved(rules.frame(context.intent, lang, described), (), "switch", (), context.intent)
    m = rules.switch.match(bare)
    if m:
        # "那光谷生态大走廊、绿地这些呢？": 这些 closes the list of topics, it stands for no earlier one
        topic = rules.topic_closer.sub("", group(m, "topic", "topic_b", "topic_en", "topic_en2").strip())
        # ("And what is expected by 2035?": a year and words naming no topic swap the year as a bare year does)
        if _YEARISH.match(topic) or (_YEARS_EN.search(topic) and count(_YEARS_EN.sub(" ", topic)) == 0):
            new = _YEARS_EN.findall(topic)
            # an English question names its year without 年 ("the 2025 goal"), a Chinese one with it
            years = _YEARS if _YEARS.search(context.standalone) else _YEARS_EN
            if new and years.search(context.standalone):
                # "2025年经济总量目标是多少？" → "2035年呢？": the same question of the other year, not both years
                return Resolved(years.sub(new[0], context.standalone), context.cited[:1], "year")
            return Resolved(f"{context.standalone} {turn}", context.cited[:1], "year")
        quoted = "" if rules.question_form.search(topic) else _variant_of(topic, context.standalone)
        if quoted:
            # "价值多少算“情节严重”？" → "那“情节特别严重”呢？": the same question of the other degree, not of the phrase alone
            return Resolved(context.standalone.replace(quoted, topic.strip(_QUOTES), 1), (), "variant", context.cited[:1])
        if topic and not rules.pronouns.search(topic) and count(topic) > 0:
            if rules.question_form.search(topic):
                return Resolved(topic, (), "switch", context.cited[:1])  # 那光谷的人才政策由谁负责？ asks in full
            swapped = "" if lang == "en" else _head_swap(topic, context.standalone, rules.question_form, places)
            if swapped:
                # "德州新建城镇住宅区每百户要配建多少平方米…？" → "那已经建成的住宅区呢？": the same question of the
                # other kind of 住宅区, not "已经建成的住宅区是多少？" — and no prior for the clause just cited: it is the
                # other kind's ("一类口岸…报批程序" → "那二类口岸呢？" is (二), not (一) again)
                return Resolved(swapped, (), "switch", (), context.intent)
            # The previous kind of question is asked again about the new topic (in the year it asked about, if
            # any: "医疗2025年有什么目标？" → "基础教育呢？"), and carried as the intent.
            years = [y for y in _YEARS.findall(context.standalone) if y not in topic]
            topic = f"{'、'.join(dict.fromkeys(years))}年{topic}" if years and lang != "en" else topic
            return Resolved(rules.frame(context.intent, lang, topic), (), "switch", context.cited[:1],
                            context.intent)
    own = count(turn)
    if is_followup(turn, rules, own):
        if (context.intent == "aggregate" and len(context.cited) == 1 and own >= OWN_TOPIC_WORDS
                and not find_bureaus(turn, bureaus, aliases)):
            # "市文旅局负责什么？" → "它那条任务里提到了哪些新业态？": a question about the one entry listed, not
            # about the bureau again
            return Resolved(turn, context.cited, "pronoun")
        if (context.intent == "section" and len(context.cited) > 1 and own >= OWN_TOPIC_WORDS
                and (lang == "en" or not rules.pronouns.search(rules.leading.sub("", turn, count=1)))):
            # "What are the overall goals? → And on innovation, how many high-tech firms?": the entry just listed
            # that is about what the turn names, not the first one (an English pronoun beside topic words of the
            # turn's own names the zone or the plan: "…are they aiming for?")
            return Resolved(turn, (), "among", context.cited)
        if context.intent == "section" and len(context.cited) > 1 and own < OWN_TOPIC_WORDS:
            # "第六大行动叫什么？" → "它有几条任务？": "it" is the heading just listed, not its first entry
            return Resolved(f"{context.standalone} {turn}", context.cited[:1], "pronoun", (), "section")
        return Resolved(f"{context.standalone} {turn}", context.cited[:1], "pronoun")
    return Resolved(turn)
