"""The question rules of ``data/rules.json``: instructions, answer types, compound and follow-up forms (pure)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

from .settings import PACKAGE_DATA
from .text import cn_number

RULES_FILE = PACKAGE_DATA / "rules.json"
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def compile_patterns(patterns) -> re.Pattern | None:
    """One case-insensitive alternation of a rule's patterns (Chinese and English), or None if it has none."""
    patterns = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


class Enumeration(NamedTuple):
    """How a question lists things (followup.enumeration): the list, the closer after its last item (等, and so on),
    and the ordinals that pick a thing listed (the second one, 第二个)."""

    found: re.Pattern
    closer: re.Pattern
    picks: re.Pattern


class Within(NamedTuple):
    """A question asked inside the part an ordinal picks (followup.within): the words after the ordinal
    (第四个行动里，…) or before it ("In the fourth one, …")."""

    after: re.Pattern
    before: re.Pattern

    def rest(self, turn: str, picked: re.Match) -> str | None:
        """What the turn asks inside the part picked, or None when it asks nothing inside one."""
        m = self.after.match(turn, picked.end())
        if m:
            return turn[:picked.start()] + turn[m.end():]
        if self.before.search(turn[:picked.start()]):
            return self.before.sub("", turn[:picked.start()]) + turn[picked.end():]
        return None


@dataclass(frozen=True)
class AnswerType:
    """A kind of information a question can ask for, and the wording that states it in a document."""

    name: str
    ask: re.Pattern | None
    evidence: re.Pattern | None
    what: dict
    qualified: tuple = ()  # (question pattern, sentence pattern): a tax rate asked is stated by a sentence with 税

    def stated_in(self, sentence: str) -> bool:
        return bool(self.evidence and self.evidence.search(sentence))

    def qualifies(self, question: str, sentence: str) -> bool:
        """Whether the sentence names the thing the question asks this kind of (税 for a tax rate), if it asks one."""
        return all(said.search(sentence) for asked, said in self.qualified if asked.search(question))


@dataclass(frozen=True)
class Rules:
    """Every rule of ``data/rules.json``, compiled."""

    instructions: dict  # kind -> pattern
    asker_context: re.Pattern | None  # "我在写一份报告，…": the asker's own work, no instruction to the assistant
    choice: tuple  # "A还是B比较好？": patterns of a choice between two named things (groups a, b)
    other_law: re.Pattern | None  # "…under PRC company law": an English question about what a named law says
    printed_law: re.Pattern  # a law's title as documents print it (《…法》)
    intents: dict  # who, count, list, which, units, single, number -> pattern
    answer_types: dict  # name -> AnswerType
    distributive: re.Pattern
    distributive_removed: re.Pattern
    coordinators_zh: re.Pattern
    coordinators_en: re.Pattern
    aside_en: re.Pattern  # ", including…": examples of the item before, no item of their own
    second_question: re.Pattern
    announced: re.Pattern  # "Two things: A, and B?": a lead-in that announces a list of questions
    announced_counts: dict  # the lead-in's first word -> how many questions it announces
    announced_items: tuple  # (Chinese, English) separators between the items after the lead-in
    announced_item_prefix: re.Pattern  # an item's enumerator: 一是, 其二, firstly
    announced_shared: re.Pattern  # "这两块分别…": a closing question's words naming the items it asks about
    refers_back: re.Pattern  # "…，到底最高多少？": an asking phrase that refers back to the phrases before it
    comma_question: re.Pattern  # "A多少，B几个？": a Chinese question after a comma asks one of these
    counters: re.Pattern
    elided_verbs: re.Pattern  # "and which runs B": a part whose subject is the first part's ("Which department")
    elided_subject: dict  # "and which for B", "哪些负责B": prepositions / which_zh / verbs_zh / nouns_zh patterns
    additive: re.Pattern  # "另外…", "Also, …": a later question with a topic of its own is a part of its own
    conditional: re.Pattern  # 如果, 要是: a question asked of a case (a later case, asked alike, is a part of its own)
    echoed_condition: re.Pattern  # "要谈的话": a condition repeating the part before (group 'said'), no case of its own
    yes_no: re.Pattern  # "…吗？": a Chinese yes/no question
    presumes: re.Pattern  # "…肯定不够吧？", "…应该有个数字吧？": a guess put to the asker's own question, no part of its own
    confirms: re.Pattern  # "…，是这样吗？", "is that right?": asks whether what was just said is so, no part of its own
    paired_items: re.Pattern  # "the A and the B": two topics, each with its own determiner or preposition
    alternatives: tuple  # (Chinese, English) "A或B", "A or B": items of a list asked for whichever is named
    statement: re.Pattern | None  # a later sentence with no question mark that opens so states, it asks nothing
    imperative: re.Pattern | None  # "Pull together…", "Give me…": an English request that asks as a question does
    switch: re.Pattern
    new_topic: re.Pattern  # "换个话题，…": what follows is asked on its own
    setting: re.Pattern  # "我是…的园长。": a first-person turn that asks nothing sets the scene of the next
    request: re.Pattern  # "我想了解…。": a first-person turn that asks, in the form of a statement
    continuation: re.Pattern | None  # "那要是…", "如果…呢", "what if…": the same topic, a further question
    negated: re.Pattern | None  # after the condition word: "没办…", "they don't…" negates what was just said
    dislocated: re.Pattern  # "X, who handles that?": a topic, then a question with a stand-in for it
    stand_in: re.Pattern
    locative: tuple[re.Pattern, str]  # (pattern, replacement): "…goals there?" asks "…goals for {topic}?"
    topic_closer: re.Pattern  # "X、Y这些呢？": words closing a list of topics, no pronoun for an earlier one
    pronouns: re.Pattern
    person_said: tuple[re.Pattern, re.Pattern]  # (他/她, a person the turn names before it): no pronoun then
    leading: re.Pattern  # "And …", "还有…": a turn's opening conjunction, which names no topic
    ordinal: re.Pattern
    ordinal_words: dict
    ordinal_kinds: dict  # clause kind -> the words for it at an ordinal ("the last task" counts among the tasks)
    question_form: re.Pattern
    among: re.Pattern
    within: Within  # a question asked inside the part an ordinal picks
    acknowledgement: re.Pattern  # "Got it, thanks.": read past it to the turn
    enumeration: Enumeration  # "schools, hospitals, the environment…" and the ordinals that pick from it
    not_topic: frozenset
    chatter: frozenset  # words of the talk around a question (听说, 大概): no subject
    how_given: frozenset  # words for how a sum is given (配套, 资助): they name no subject of an amount
    fillers: re.Pattern  # "exactly", "in particular": emphasis, no topic of a bare fragment
    demonstrative: re.Pattern  # 那/这(个/一) between a word and the part it names: 民生那部分
    set_up: re.Pattern  # the verbs that set up a named thing: what a listing's names start after
    later_than: re.Pattern  # "beyond 2025": a year the question goes past
    longer_term: re.Pattern  # "And the longer term?": the latest year an entry names
    told_years: re.Pattern | None  # "2023年修订的公司法": a year the asker tells, not asks
    set_aside: re.Pattern  # "Apart from the main tasks, …", 除了…以外，: a part the question does not ask about
    preamble: re.Pattern  # 依据哪些文件, "what is the plan based on": what a document's preamble answers
    stating_entries: re.Pattern  # 哪几条写了…, "which measures…": asks for every entry that states a kind of information
    stating_figures: tuple  # (targets asked, a figure, what {zh, en}): … or every entry's figures for a year named
    stating_kinds: tuple  # the answer types whose every statement such a question lists (amount_each)
    named_sums: tuple[re.Pattern, frozenset]  # (how a word naming a kind of sum ends, words so ending that do not)
    introduction: re.Pattern  # "我做投资的，…": who asks, before what is asked
    introduction_topic_words: int  # …left out when what is asked names this many topic words of its own
    part_described: re.Pattern  # "讲…的那一大块": what opens a description of a part before the part's word
    few_in_condition: re.Pattern  # "雇了几个伙计的话": 几 in a condition, "a few", asks no figure
    small_talk_ends: re.Pattern  # "问个事儿哈，", "……": where small talk before the question ends (left out alike)
    frames: dict
    frame_lead: re.Pattern  # "for", 关于: what a topic may start with that the frame already says
    texts: dict
    figures: dict
    english_bureaus: dict
    english_sections: dict
    guard: dict
    units: tuple  # asked_unit's: (ask, number, unit -> how printed, unit -> answer type, indirect, indefinite)
    sha256: str

    def instruction(self, text: str) -> str:
        """The kind of instruction ``text`` is (``injection``, ``role_play``, ``task``…), or '' for a question."""
        if self.asker_context:
            text = self.asker_context.sub(" ", text)
        for kind, pattern in self.instructions.items():
            if pattern.search(text):
                return kind
        return ""

    def sum_names(self, words: Iterable[str]) -> list[str]:
        """Those of ``words`` that name a kind of sum (服务费, 指导价), the fullest of overlapping ones (手续费, not 续费)."""
        suffix, generic = self.named_sums
        found = {w for w in words if suffix.search(w) and w not in generic}
        return sorted(w for w in found if not any(w != v and w in v for v in found))

    def choice_of(self, text: str) -> tuple[str, str] | None:
        """The two things a Chinese question asks to choose between ("A还是B比较好？"), or None."""
        m = next((m for p in self.choice if (m := p.search(text))), None)
        return (m.group("a"), m.group("b")) if m else None

    def asks_other_law(self, text: str, documents: str) -> bool:
        """Whether an English question asks what a named law says, of documents that print no law's title."""
        return bool(self.other_law and self.other_law.search(text)) and not self.printed_law.search(documents)

    def form(self, name: str, text: str) -> bool:
        """Whether ``text`` (lower-cased) has the question form ``name`` (``who``, ``count``, ``units``…)."""
        return bool(self.intents[name].search(text))

    def asked_types(self, text: str) -> tuple[str, ...]:
        """The kinds of information a question asks for (``amount``, ``procedure``…), in rule order."""
        # 几 in a condition is "a few" ("那在重庆，开个体店雇了几个伙计的话呢？" asks the rate again, no count)
        text = self.few_in_condition.sub("", text)
        return tuple(name for name, t in self.answer_types.items() if t.ask is not None and t.ask.search(text))

    def ask_words(self, text: str) -> list[str]:
        """The words of ``text`` that ask for a kind of information (多少钱, 申请条件, how much…)."""
        return [_asking(m) for t in self.answer_types.values() if t.ask is not None for m in t.ask.finditer(text)]

    def strip_asks(self, text: str) -> str:
        """The text without the words that ask for a kind of information (需要提交哪些材料 → 需要)."""
        for t in self.answer_types.values():
            if t.ask is not None:
                text = t.ask.sub(lambda m: m.group(0).replace(_asking(m), " "), text)
        return text

    def asked_unit(self, text: str) -> tuple[re.Pattern, str] | None:
        """For a figure ``text`` asks in a unit (几天): a number in that unit (十五日, 3个工作日) and the answer type it
        asks (``deadline``; ``count`` for a unit of things); None when it asks none."""
        ask, number, same, kinds, indirect, indefinite = self.units
        for clause in _asking_clauses(text):
            m = ask.search(clause)
            # (not a way to find the figure out; and 几 in a yes/no question is "a few": 能不能去企业干几年再回学校？)
            if m and not indirect.search(clause) and not (m.group(0).startswith("几") and indefinite.search(clause)):
                unit = (m.group("u") or m.group("u_en")).lower()
                return (re.compile(rf"(?P<n>{number})\s*(?:万|亿)?\s*(?:{same.get(unit, re.escape(unit))})"),
                        kinds.get(unit, "count"))
        return None

    def text(self, key: str, lang: str, **slots) -> str:
        template = self.texts[key]["en" if lang == "en" else "zh"]
        return template.format(**slots) if slots else template

    def what(self, answer_type: str, lang: str, **slots) -> str:
        return self.answer_types[answer_type].what["en" if lang == "en" else "zh"].format(**slots)

    def ordinal_of(self, turn: str, size: int) -> int:
        """The 1-based list position a turn names (第二条, the second one, 最后一条 = ``size``), or 0."""
        m = self.ordinal.search(turn)
        if not m:
            return 0
        word = group(m, "w", "w_zh")
        if word:
            n = self.ordinal_words.get(word.lower(), 0)
            return size if n == -1 else n
        try:
            return cn_number(group(m, "n", "n_en", "n_en2"))
        except KeyError:
            return 0

    def frame(self, intent: str, lang: str, topic: str) -> str:
        """The previous kind of question asked again about a new topic (那X呢 → X由哪些部门负责？)."""
        frames = self.frames.get(intent) or self.frames["general"]
        return frames["en" if lang == "en" else "zh"].format(topic=self.frame_lead.sub("", topic, count=1))


def _asking_clauses(text: str) -> list[str]:
    """The clauses of ``text`` that ask: an English question whole; of a Chinese one, each question's last clause
    (停闭几天，需要哪个部门批准？ asks for the body; the days are said in passing)."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return [text]
    questions = [q for q in re.split(r"[？?]", text) if q.strip()]
    return [re.split(r"[，,。；;！!：:]", q)[-1] for q in questions]


def _asking(match: re.Match) -> str:
    """The asking words of an ask pattern's match: its ``ask_*`` group when it names one ("单个企业最多能拿多少"
    asks with 最多, and 单个企业 stays the subject), else the whole match."""
    named = [v for k, v in match.groupdict().items() if k.startswith("ask") and v]
    return named[0] if named else match.group(0)


def group(match: re.Match, *names: str) -> str:
    """The first of a match's named groups that took part (rules name alternatives topic, topic_b…)."""
    for name in names:
        value = match.groupdict().get(name)
        if value:
            return value
    return ""


def question_years(text: str, rules: Rules | None = None) -> list[str]:
    """Years a question asks about (2025, 2040…): not one it goes past ("beyond 2025", 2025年以后), nor one it
    tells ("2023年修订的公司法")."""
    rules = rules or load_rules()
    skip = passed_years(text, rules) | told_years(text, rules)
    return [y for y in _YEAR.findall(text) if y not in skip]


def told_years(text: str, rules: Rules) -> set[str]:
    """Years the asker tells rather than asks: a law's version, a year in a sentence before the closing question."""
    found = rules.told_years.finditer(text) if rules.told_years else ()
    return {next(v for v in m.groupdict().values() if v) for m in found}


def longer_term_years(question: str, text: str, rules: Rules) -> list[str]:
    """The latest year ``text`` names (2035年) when ``question`` asks for the longer term without a year ("And the
    longer term?", 那更长远呢？), else [] (pure)."""
    if not rules.longer_term.search(question.lower()):
        return []
    return sorted(re.findall(r"((?:19|20)\d\d)年", text))[-1:]


def passed_years(text: str, rules: Rules) -> set[str]:
    """Years a question goes past ("the milestone beyond 2025"): the year it wants is a later one."""
    return {next(v for v in m.groupdict().values() if v) for m in rules.later_than.finditer(text)}


def _strip_about(d: dict) -> dict:
    return {k: v for k, v in d.items() if not k.startswith("_")}


def parse_rules(raw: dict, sha256: str = "") -> Rules:
    """Compile the rules from their JSON form (pure, so tests can try variants)."""
    types = {}
    for name, spec in _strip_about(raw["answer_types"]).items():
        types[name] = AnswerType(name, compile_patterns(spec.get("ask", ())), compile_patterns(spec.get("evidence", ())),
                                 spec["what"], tuple((re.compile(a, re.I), re.compile(b))
                                                     for a, b in spec.get("qualified", ())))
    compound, follow = raw["compound"], raw["followup"]
    return Rules(
        instructions={k: compile_patterns(v) for k, v in _strip_about(raw["instructions"]).items()},
        asker_context=compile_patterns(raw["asker_context"]["patterns"]),
        choice=tuple(re.compile(p, re.I) for p in raw["choice"]["patterns"]),  # each names a and b
        other_law=compile_patterns(raw["other_law"]["patterns"]),
        printed_law=re.compile(raw["other_law"]["printed"]),
        intents={k: compile_patterns(v) for k, v in _strip_about(raw["intents"]).items()},
        answer_types=types,
        distributive=compile_patterns(compound["distributive"]),
        distributive_removed=compile_patterns(compound["distributive_words_removed"]),
        coordinators_zh=re.compile(compound["coordinators"][0]),
        coordinators_en=re.compile(compound["coordinators"][1], re.I),
        aside_en=re.compile(compound["aside"]["pattern"], re.I),
        second_question=compile_patterns(compound["second_question"]),
        comma_question=re.compile(compound["comma_question"]),
        announced=compile_patterns(compound["announced"]),
        announced_counts=dict(compound["announced_counts"]),
        announced_items=tuple(re.compile(p, re.I) for p in compound["announced_items"]),
        announced_item_prefix=compile_patterns(compound["announced_item_prefix"]),
        announced_shared=compile_patterns(compound["announced_shared"]["pattern"]),
        refers_back=re.compile(compound["refers_back"]["pattern"]),
        counters=compile_patterns(compound["counters"]),
        elided_verbs=re.compile(compound["elided_verbs"], re.I),
        elided_subject={k: v for k, v in compound["elided_subject"].items() if not k.startswith("_")},
        additive=compile_patterns(compound["additive"]),
        conditional=compile_patterns(compound["conditional"]),
        echoed_condition=re.compile(compound["echoed_condition"]["pattern"]),
        yes_no=compile_patterns(compound["yes_no"]),
        presumes=compile_patterns(compound["presumes"]),
        confirms=compile_patterns(compound["confirms"]),
        paired_items=compile_patterns(compound["paired_items"]),
        alternatives=tuple(re.compile(p, re.I) for p in compound["alternatives"]),
        statement=compile_patterns(compound["statement"]),
        imperative=compile_patterns(compound["imperative"]["pattern"]),
        switch=compile_patterns(follow["switch"]),
        new_topic=compile_patterns(follow["new_topic"]["pattern"]),
        setting=compile_patterns(follow["setting"]["pattern"]),
        request=compile_patterns(follow["setting"]["request"]),
        continuation=compile_patterns(follow["continuation"]["pattern"]),
        negated=compile_patterns([follow["continuation"].get("negated", "")]),
        dislocated=compile_patterns(follow["dislocated"]["pattern"]),
        stand_in=compile_patterns(follow["dislocated"]["stand_in"]),
        locative=(re.compile(follow["dislocated"]["locative"]["pattern"], re.I),
                  follow["dislocated"]["locative"]["replace"]),
        topic_closer=re.compile(follow["dislocated"]["topic_closer"]),
        pronouns=compile_patterns(follow["pronouns"]),
        person_said=(re.compile(follow["person_said"]["pronoun"]), re.compile(follow["person_said"]["persons"])),
        leading=re.compile(follow["leading"]["pattern"], re.I),
        ordinal=compile_patterns(follow["ordinal"]),
        ordinal_words=dict(follow["ordinal_words"]),
        ordinal_kinds={k: re.compile(v, re.I) for k, v in follow["ordinal_kinds"].items() if not k.startswith("_")},
        question_form=compile_patterns(follow["question_form"]),
        among=compile_patterns(follow["among"]),
        within=Within(re.compile(follow["within"]["after"]), re.compile(follow["within"]["before"], re.I)),
        acknowledgement=re.compile(follow["acknowledgement"]["pattern"], re.I),
        enumeration=Enumeration(compile_patterns(follow["enumeration"]["pattern"]),
                                re.compile(follow["enumeration"]["closer"], re.I),
                                re.compile(follow["enumeration"]["picks"])),
        not_topic=frozenset(w.lower() for w in follow.get("not_topic", ())),
        chatter=frozenset(w.lower() for w in follow["chatter"]["words"]),
        how_given=frozenset(follow["chatter"]["how_given"]),
        fillers=re.compile(follow["fillers"]["pattern"], re.I),
        demonstrative=re.compile(raw["demonstrative"]["pattern"]),
        set_up=re.compile(raw["named_things"]["set_up"]),
        later_than=compile_patterns(raw["later_than"]["patterns"]),
        longer_term=compile_patterns(raw["later_than"]["longer_term"]),
        told_years=compile_patterns(raw["told_years"]["patterns"]),
        set_aside=re.compile(raw["set_aside"]["pattern"], re.I),
        preamble=re.compile(raw["preamble"]["pattern"], re.I),
        stating_entries=compile_patterns(raw["stating_entries"]["pattern"]),
        stating_kinds=tuple(raw["stating_entries"]["kinds"]),
        stating_figures=(compile_patterns(raw["stating_entries"]["targets"]),
                         re.compile(raw["stating_entries"]["figure"]), dict(raw["stating_entries"]["what"])),
        named_sums=(re.compile(raw["named_sums"]["suffix"]), frozenset(raw["named_sums"]["generic"])),
        introduction=re.compile(raw["introduction"]["pattern"], re.I),
        introduction_topic_words=int(raw["introduction"]["min_topic_words"]),
        small_talk_ends=re.compile(raw["small_talk"]["pattern"]),
        few_in_condition=re.compile(raw["units"]["in_condition"]),
        part_described=re.compile(raw["part_described"]["pattern"]),
        frames=_strip_about(follow["frame"]),
        frame_lead=re.compile(follow["frame_lead"]["pattern"], re.I),
        texts=_strip_about(raw["texts"]),
        figures=_strip_about(raw["figures"]),
        english_bureaus=_strip_about(raw["english_bureaus"]),
        english_sections=_strip_about(raw["english_sections"]),
        guard=_strip_about(raw["guard"]),
        units=(compile_patterns(raw["units"]["ask"]), raw["units"]["number"], _strip_about(raw["units"]["same"]),
               {u: k for k, us in _strip_about(raw["units"]["kinds"]).items() for u in us},
               re.compile(raw["units"]["indirect"]), re.compile(raw["units"]["indefinite"])),
        sha256=sha256,
    )


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    data = Path(path).read_bytes()
    return parse_rules(json.loads(data.decode("utf-8")), hashlib.sha256(data).hexdigest()[:16])
