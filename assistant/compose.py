"""The grounded extractive composer: answers built only from the retrieved clauses' own words."""
from __future__ import annotations

import math
import re
from abc import ABC, abstractmethod
from collections import Counter
from typing import Iterator, Sequence

from .index import Retrieval, outline_groups, section_key, subsection_groups
from .figures import date_en, figure_en, figure_phrases, phrase_share, sizes_asked
from .retrieval import ENTRY_LISTS
from .rules import Rules, load_rules, longer_term_years, passed_years, question_years
from .text import PHRASE, Lexicon, is_title_sentence, split_sentences
from .types import Answer, Citation, Clause, Hit, Verdict

_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"((?:19|20)\d\d)年")
# An English figure that says what it counts: a unit or a noun after the number, a percentage, a doubling.
_NAMED_FIGURE = re.compile(r"\d[\d,.]*(?: (?:thousand|million|billion|trillion))? [a-z]|%|\bdouble\b")


# A lead that states figures: its opening, the separator between figures, and how the clause follows them.
_FIGURE_LEAD = {"en": ("The plan states: ", "; ", " — {label}."), "zh": ("《行动方案》写明：", "；", "（{label}）。")}
_FIGURE_LEAD_LINE = re.compile("^(" + "|".join(re.escape(o) for o, _, _ in _FIGURE_LEAD.values())
                               + r")(.+?)( — .*|（[^（）]*）。)$")
_FIGURE_SEP = re.compile("|".join(re.escape(sep) for _, sep, _ in _FIGURE_LEAD.values()))


_FRAGMENT = re.compile(r"[^,，;；:：]+[,，;；:：]?")
GIST_CHARS = 60  # a compound answer's line per part; the whole sentence follows in that part's details
ENUMERATION_GAP = 6  # characters between an enumeration's 等 and the kind it names (等高水平研究机构)
# A heading of at most this many entries is listed with what each says (its first sentence with a figure, else its
# first), not titles alone: "list the headline targets of the goals section" asks the 5000亿元 and the 14%.
SAY_ENTRIES = 6
NAME_ENTRIES = 8  # a list this short is named on its lead line too; a longer one is read as its numbered lines


def gist(sentence: str, weights: dict[str, float], limit: int = GIST_CHARS, listing: bool = False) -> str:
    """What a long sentence says of the question's words (pure): from the comma-parted fragment that holds the
    most of them (by ``weights``), as many fragments as fit in ``limit`` characters, those after it first (what
    a thing is for follows its name: "设立…基金,支持企业开展海外并购"), with "…" where it was cut; the sentence
    when it is short or when no fragment holds a word. When the question asks which things (``listing``), a
    fragment that enumerates things of a kind it names comes first: "涉及哪些领域？" is answered by "在光通信、集成电路…
    等领域", not by the fragment that repeats the question's own words."""
    if len(sentence) <= limit:
        return sentence
    fragments = _FRAGMENT.findall(sentence)
    scores = [sum(v for w, v in weights.items() if w in f) for f in fragments]
    if not any(scores):
        return sentence
    keys = [(listing and score > 0 and _enumerates(f, weights), score) for f, score in zip(fragments, scores)]
    first = keys.index(max(keys))
    last = first
    while last + 1 < len(fragments) and sum(map(len, fragments[first:last + 2])) <= limit:
        last += 1
    while first and sum(map(len, fragments[first - 1:last + 1])) <= limit:  # "突破…分子育种…,打造种子“芯片”"
        first -= 1
    span = "".join(fragments[first:last + 1])
    cut = last < len(fragments) - 1
    return ("…" if first else "") + (span.rstrip(",，;；:：") + "…" if cut else span)


def _enumerates(fragment: str, weights: dict[str, float]) -> bool:
    """Whether a fragment lists things (…、…) closed by 等 and a kind the question names: 等领域, 等高水平研究机构
    (pure)."""
    return "、" in fragment and any(re.search(rf"等[^、，,。；;]{{0,{ENUMERATION_GAP}}}{re.escape(w)}", fragment)
                                    for w in weights)


def word_weights(words: Sequence[str], clauses: Sequence[Clause]) -> dict[str, float]:
    """The question's words weighed by how few clauses hold them (东湖高新区, in every clause, weighs nothing)."""
    n = len(clauses) or 1
    held = {w: sum(w in c.text for c in clauses) for w in dict.fromkeys(words) if len(w) > 1}
    return {w: math.log(n / k) for w, k in held.items() if k}


def figure_lead(figures: Sequence[str], label: str, lang: str) -> str:
    """"The plan states: 50 schools (50所); 30 schools (30所) — 二、(七) 1. …." (pure)"""
    opening, sep, tail = _FIGURE_LEAD["en" if lang == "en" else "zh"]
    return opening + sep.join(figures) + tail.format(label=label)


def figure_lead_key(line: str) -> str:
    """A lead line with its stated figures in a fixed order ("50所; 30所" and "30所; 50所" say the same); any other
    line as it is (pure)."""
    m = _FIGURE_LEAD_LINE.match(line)
    if not m:
        return line
    return m.group(1) + "|".join(sorted(_FIGURE_SEP.split(m.group(2)))) + m.group(3)


class Composer(ABC):
    """Turns a retrieval into an answer; the extractive one is the default, LLM ones plug in here.

    The whole contract: ``name`` (the answer mode), ``__call__`` (one finished answer), ``streams`` (whether
    ``stream`` yields text as it is written), ``stream`` (text pieces, then the final Answer) and ``warm_up``
    (load what the first answer would otherwise wait for).
    """

    name: str = ""
    streams: bool = False

    @abstractmethod
    def __call__(self, question: str, retrieval: Retrieval, clauses: Sequence[Clause]) -> Answer: ...

    def stream(self, question: str, retrieval: Retrieval, clauses: Sequence[Clause]) -> Iterator[str | Answer]:
        """The answer's text in one piece, then the Answer (a composer that writes as it goes overrides this)."""
        answer = self(question, retrieval, clauses)
        yield answer.text
        yield answer

    def warm_up(self) -> float:
        """Prepare for the first question; returns seconds spent (nothing to prepare by default)."""
        return 0.0


def last_question(text: str) -> str:
    """The last question of a text, lower-cased (pure): what a standalone follow-up's turn asks."""
    return ([p for p in re.split(r"[?？]\s*", text.lower()) if p.strip()][-1:] or [""])[0]


def _names_title(question: str, title: str) -> bool:
    """Whether the question names a title's subject: the title less its leading verb (强化, 支持, 打造…: the
    first two characters of a plan's title sentence), said whole (pure)."""
    subject = title[2:] if len(title) >= 6 else title
    return len(subject) >= 4 and subject in question


# A second figure joins the lead only when its phrase holds this share of the question words the first one does.
SECOND_FIGURE_SHARE = 0.5
# A general question's quote also holds the clause's sentences scoring this share of the best one.
GENERAL_SHARE = 0.8
# An English question's dictionary term counts at most this share of a subject token toward picking a sentence.
DICTIONARY_CAP = 0.5
NUMBER_BONUS = 0.2  # a sentence with a figure, for a question asking one
YEAR_BONUS = 0.3  # a sentence naming the year asked, like one stating the kind asked


def pick_sentences(clause: Clause, retrieval: Retrieval, limit: int = 3, rules: Rules | None = None,
                   best_first: bool = False) -> list[str]:
    """The sentences of a clause that best answer the question, in document order (``best_first``: the best
    one first, the others after it in document order).

    Scores each sentence by its dense similarity to the question, the share of the question's
    tokens it contains, and (for questions about figures) whether it holds a number. The best one
    is kept; others join only when they cover question words the chosen ones miss, so a question
    about two things ("5G and the industrial internet") gets both sentences.
    """
    sentences = split_sentences(clause.text)
    dense = retrieval.sentence_scores.get(clause.id, ())
    q = retrieval.query
    rules = rules or load_rules()  # the caller's rules: what the question asks is theirs
    whole = clause.id in q.pinned and not q.asks and (q.intent == "general" or rules.form("content", q.text.lower()))
    years = question_years(q.text, rules)
    past = passed_years(q.text, rules)
    tokens = {t for t in q.subject_tokens if not any(y in t for y in past)}  # 2025年 of "2025年以后" is no subject
    if not years and not past:
        # "And the longer term — what year?": the latest year the entry names
        years = longer_term_years(q.text, clause.text, rules)
    kinds = rules.answer_types
    title_only = _titled(sentences, clause)
    # (a who-question that also asks what the entry does, "…有什么主要举措，谁负责？", is asked of all it says too)
    general = (q.intent == "general" or q.intent == "who" and rules.form("content", q.text.lower())) and not (
        q.asks or q.bureaus)
    if title_only and general and _names_title(q.text, clause.title):
        # "方案在知识产权保护上有什么新动作？" names the entry's own subject: all it says is the answer
        return sentences[1:]
    if whole:
        # "第二条具体说了什么？", "第三项主要讲什么，谁负责？": the entry the user picked, in full (its title is
        # shown anyway); a sentence holding words that the others lack ("它里面提到要争取哪些试点?") leads
        content = list(_after_title(sentences, clause))
        if not content:
            return content
        held = [{t for t in tokens if t in s.lower()} for s in content]
        own = [h - set().union(*(o for j, o in enumerate(held) if j != i)) for i, h in enumerate(held)]
        lead = max(range(len(content)), key=lambda i: (len(own[i]), -i))
        if best_first and own[lead] and lead > 0:
            return [content[lead], *(s for i, s in enumerate(content) if i != lead)]
        return content
    # (an English question's dictionary terms count by their share of their word's senses: "partner with
    # foreign institutions" is said by 国外院校合作办学, which holds none of its subject's terms)
    # (capped: a dictionary word's one sense, parks → 园区, is no surer than the words the asker's phrase was read as)
    terms = [(t, min(w, DICTIONARY_CAP)) for t, w in zip(q.dictionary, q.senses) if t not in tokens] if (
        q.lang == "en") else []
    offered = sum(w for _, w in terms)
    scored = []
    for i, s in enumerate(sentences):
        if i == 0 and title_only:
            continue  # the title is shown anyway
        low = s.lower()
        covered = {t for t in tokens if t in low}
        said = sum(w for t, w in terms if t in low)
        lexical = (len(covered) + said) / (len(tokens) + offered) if tokens else 0.0
        number = NUMBER_BONUS if q.intent == "number" and _DIGIT.search(s) else 0.0
        # a sentence that states what is asked (an amount, a date…) beats one that only shares the topic
        stated = 0.3 if any(kinds[a].stated_in(s) for a in q.asks if a in kinds) else 0.0
        # a year asked is said in its own sentence: 到2035年… answers "2035年呢？", not the 2025 figure beside it
        # … and "beyond 2025" by a sentence naming a later year
        # (a sentence of the year gone past alone, "2025年,…", answers neither)
        year = YEAR_BONUS if any(y in s for y in years) or (past and any(y > max(past) for y in _YEAR.findall(s))) else (
            -YEAR_BONUS if _of_years_past(s, past) else 0.0)
        scored.append(((float(dense[i]) if i < len(dense) else 0.0) + lexical + number + stated + year, i,
                       covered | {t for t, _ in terms if t in low}))
    if not scored:
        return sentences[:1]
    scored.sort(key=lambda x: -x[0])
    best, first, seen = scored[0]
    keep = [first]
    # "what does the plan do about X" asks for what the clause offers, which its best sentences say between them
    # (a 知识产权法院 one sentence after the 保护中心 of the best); a detail asked is said by one sentence
    for score, i, covered in scored[1:]:
        if len(keep) >= limit:
            break
        if score >= best * 0.5 and covered - seen or general and score >= best * GENERAL_SHARE:
            keep.append(i)
            seen = seen | covered
    order = [first, *sorted(keep[1:])] if best_first else sorted(keep)
    return [sentences[i] for i in order]


def _after_title(sentences: Sequence[str], clause: Clause) -> Sequence[str]:
    """The sentences after the title when the clause opens with it (:func:`_titled`), else all of them (pure)."""
    return sentences[1:] if _titled(sentences, clause) else sentences


def _titled(sentences: Sequence[str], clause: Clause) -> bool:
    """The clause opens with its title as a sentence of its own (shown anyway), and says more after it (pure)."""
    return len(sentences) > 1 and is_title_sentence(sentences[0], clause.title)


def _of_years_past(sentence: str, past: set[str]) -> bool:
    """Whether the sentence names years and all of them are years the question goes past (pure): "2025年,…" answers
    no "beyond 2025"."""
    said = _YEAR.findall(sentence)
    return bool(past and said) and all(y in past for y in said)


def _bureau_line(clause: Clause, lang: str, lexicon: Lexicon) -> str:
    if lang == "en":
        if not clause.bureaus:
            return "This part of the plan names no responsible bureau."
        return "Responsible bureaus (责任单位): " + "; ".join(lexicon.bureau_gloss(b) for b in clause.bureaus) + "."
    if not clause.bureaus:
        return "这一部分没有列出责任单位。"
    return "责任单位：" + "、".join(clause.bureaus) + "。"


def _heading(clause: Clause, lang: str, lexicon: Lexicon) -> str:
    if lang == "en":
        gloss = lexicon.title_en(clause.title)
        return f"{clause.label}" + (f" ({gloss})" if gloss else "")
    return clause.label


def _aggregate(question: str, r: Retrieval, clauses: Sequence[Clause], lexicon: Lexicon, rules: Rules) -> Answer:
    q = r.query
    numbered = [c for c in clauses if c.kind in ("task", "safeguard")]
    if q.intent == "section" and q.subsections:
        return _subsections(question, r, clauses, lexicon)
    if q.intent == "mentions":
        return _mentions(question, r, clauses, lexicon, rules)
    if q.intent in ("section", "section_who"):
        chosen = [c for c in clauses if q.section in c.path.split(" > ") and
                  not (c.kind == "goal" and c.title in c.path)]
        if q.intent == "section_who":
            lead = (f"{q.section} has {len(chosen)} entries; the responsible bureaus (责任单位) of each:"
                    if q.lang == "en" else f"“{q.section}”共{len(chosen)}条，各条的责任单位：")
        else:
            lead = (f"{q.section} has {len(chosen)} entries:{names_line(chosen, 'en')}" if q.lang == "en"
                    else f"“{q.section}”共{len(chosen)}条：{names_line(chosen, 'zh')}")
    elif q.intent == "bureaus":
        return _bureaus(question, r, numbered, lexicon)
    elif q.intent == "single":
        chosen = [c for c in numbered if len(c.bureaus) == 1]
        lead = (f"{len(chosen)} entries of the tasks and safeguards list a single responsible bureau:"
                f"{names_line(chosen, 'en')}" if q.lang == "en"
                else f"主要任务和保障措施中，只有一个责任单位的共{len(chosen)}条：{names_line(chosen, 'zh')}")
    elif len(q.bureaus) > 1 and rules.form("jointly", question.lower()):
        # "市科技局和市发改委共同负责的任务有哪些？": the entries that list every bureau named
        chosen = [c for c in numbered if all(b in c.bureaus for b in q.bureaus)]
        named = " and ".join(lexicon.bureau_gloss(b) for b in q.bureaus)
        lead = (f"{len(chosen)} {'entry lists' if len(chosen) == 1 else 'entries list'} {named} together as "
                f"responsible bureaus (责任单位):{names_line(chosen, 'en')}" if q.lang == "en"
                else f"{'、'.join(q.bureaus)}同为责任单位的共{len(chosen)}条：{names_line(chosen, 'zh')}")
        if not chosen:  # said plainly, with the entries that list each of them
            chosen = [c for c in numbered if any(b in c.bureaus for b in q.bureaus)]
            lead = (f"No entry of the plan lists {named} together as responsible bureaus (责任单位); the entries "
                    f"that list one of them:" if q.lang == "en"
                    else f"《行动方案》没有哪一条同时列出{'、'.join(q.bureaus)}为责任单位；列出其中之一的是：")
    else:
        bureau = q.bureaus[0]
        chosen = [c for c in numbered if bureau in c.bureaus]
        tasks = sum(c.kind == "task" for c in chosen)
        guards = len(chosen) - tasks
        # the entries' titles on the lead line when the list is short: "which tasks" is answered before the lines;
        # a part with none of them is not counted aloud
        if q.lang == "en":
            parts = [f"{n} {word}{'s' if n > 1 else ''} under {head}" for n, word, head in (
                (tasks, "task", "二、主要任务"), (guards, "safeguard", "三、保障措施")) if n]
            lead = (f"{lexicon.bureau_gloss(bureau)} is a responsible bureau (责任单位) of {len(chosen)} entries "
                    f"({' and '.join(parts)}):{names_line(chosen, 'en')}")
        else:
            parts = [f"“{head}”中{n}项{word}" for n, head, word in ((tasks, "二、主要任务", "任务"),
                                                                    (guards, "三、保障措施", "")) if n]
            lead = f"{bureau}是{len(chosen)}条的责任单位（{'、'.join(parts)}）：{names_line(chosen, 'zh')}"
    # One compact line per entry (label and title); the bureau asked about is not repeated on every line.
    lines = [lead]
    said = q.intent == "section" and len(chosen) <= SAY_ENTRIES
    for n, c in enumerate(chosen, 1):
        line = f"{n}. {_heading(c, q.lang, lexicon)}"
        if said and (says := _says(c)):
            line += f": “{says}”" if q.lang == "en" else f"：“{says}”"
        if q.intent == "single":
            line += f" — {c.bureaus[0]}"
        elif len(q.bureaus) > 1 and q.intent == "aggregate":
            line += f" — {'、'.join(b for b in q.bureaus if b in c.bureaus)}"
        elif q.intent == "section_who":
            line += f" — {'、'.join(c.bureaus)}" if c.bureaus else (
                " — no responsible bureau listed" if q.lang == "en" else " — 未列出责任单位")
        lines.append(line)
    # (each citation quotes what its line says)
    citations = tuple(Citation.of(c, (said and _says(c)) or split_sentences(c.text)[0]) for c in chosen)
    return Answer(question, "\n".join(lines), citations, False, q.lang, q.text)


def short_name(name: str) -> str:
    """A heading or title as a list names it (pure): without its number, up to its first comma
    ("(一)实施战略支撑强化行动,提升原始创新策源能力" → "实施战略支撑强化行动")."""
    # (section_key drops a heading's 二、/(五) and what follows its comma; an entry's "1." goes first)
    return re.split(r"[;；:：]", section_key(re.sub(r"^\s*\d+[.．、]\s*", "", name.strip())))[0].strip()


def names_line(entries: Sequence[Clause] | Sequence[str], lang: str) -> str:
    """The names of a list's entries on one line (clauses by their titles, headings by their own words), so that
    what was asked is read before the details (pure)."""
    if len(entries) > NAME_ENTRIES:
        return ""
    names = [short_name(e.title if isinstance(e, Clause) else e) for e in entries]
    return (" " + "; ".join(names) + ".") if lang == "en" else ("；".join(names) + "。")


def _says(clause: Clause) -> str:
    """What an entry says in one sentence (pure): its first sentence with a figure, else its first after the title."""
    content = _after_title(split_sentences(clause.text), clause)
    return next((s for s in content if _DIGIT.search(s)), content[0] if content else "")


NAME_CHARS = 12  # a name no verb sets up is still one when this short (天使投资和产业基金)


def named_item(phrase: str, words: Sequence[str], set_up: re.Pattern) -> str:
    """The name in a phrase that names one of ``words`` (pure): in the enumerated item holding it, from after the
    last verb that sets the thing up to the word itself, which a Chinese name ends with (组建一支产业基金 → 一支产业基金;
    对外开放平台功能不断完善 → 对外开放平台); '' when what precedes the word is no name (优先支持…参与国家重大科技
    创新项目: a clause, not a name)."""
    item = next(i for i in re.split("[、]", phrase) if any(w in i for w in words))
    at, word = min((item.find(w), w) for w in words if w in item)
    verbs = [m.end() for m in set_up.finditer(item) if m.end() <= at]
    name = item[verbs[-1] if verbs else 0:at + len(word)]
    # a word is its own name only when the text sets it up as one (设立10亿元股权激励专项资金, a fund the dictionary
    # found under another sense), not when it is merely said (东湖科学城建设初显成效)
    if (name in words and not (verbs and verbs[-1] == at)) or name.count("“") != name.count("”") or (
            not verbs and len(name) > NAME_CHARS):
        return ""
    return name


def _mentions(question: str, r: Retrieval, clauses: Sequence[Clause], lexicon: Lexicon, rules: Rules) -> Answer:
    """Every entry that names the words asked about, in printed order, each with the phrase that names them; the
    names themselves lead, so that the list is read at a glance."""
    q = r.query
    if q.stating:
        return _stating(question, r, clauses, lexicon, rules)
    named = [(c, next(p for p in PHRASE.findall(c.text) if any(t in p for t in q.mentions)))
             for c in clauses if c.kind != "preamble" and any(t in c.text for t in q.mentions)]
    words = "、".join(f"“{t}”" for t in q.mentions)
    names = list(dict.fromkeys(named_item(p, q.mentions, rules.set_up) for _, p in named))
    if all(names) and not set(names) <= set(q.mentions):  # every entry names a thing: the names lead
        lead = (f"The plan names {words} in {len(named)} entries: {'; '.join(names)}." if q.lang == "en"
                else f"《行动方案》写到{words}的共{len(named)}条：{'、'.join(names)}。")
    else:  # a word many entries use in passing (项目): the entries say it
        lead = (f"The plan names {words} in {len(named)} entries:" if q.lang == "en"
                else f"《行动方案》写到{words}的共{len(named)}条：")
    lines = [lead] + [f"{n}. {_heading(c, q.lang, lexicon)}：{phrase}" for n, (c, phrase) in enumerate(named, 1)]
    citations = tuple(Citation.of(c, next(s for s in split_sentences(c.text) if phrase in s)) for c, phrase in named)
    return Answer(question, "\n".join(lines), citations, False, q.lang, q.text)


def _stating(question: str, r: Retrieval, clauses: Sequence[Clause], lexicon: Lexicon, rules: Rules) -> Answer:
    """Every entry that states what is asked ("写明单个企业或项目能获得的具体金额的共2条", a year's targets, a size
    named), in printed order, each with the phrases that state it."""
    q = r.query
    lang = "en" if q.lang == "en" else "zh"
    if q.stating == "figures":
        what = rules.stating_figures[2][lang].format(year="、".join(question_years(q.text, rules)))
    elif q.stating == "size":  # the size as the documents print it (in English, said in English first)
        sizes = [s for s in sizes_asked(q.text, rules.figures) if any(s in p for p in q.mentions)]
        what = "、".join(f"{figure_en(s, rules.figures) or s}" if lang == "en" else f"“{s}”" for s in sizes)
    else:
        what = rules.answer_types[q.stating].what[lang]
    stated = [(c, [p for p in PHRASE.findall(c.text) if p in q.mentions]) for c in clauses if c.kind != "preamble"]
    stated = [(c, phrases) for c, phrases in stated if phrases]
    lead = (f"The plan states {what} in {len(stated)} entries:" if lang == "en"
            else f"《行动方案》写明{what}的共{len(stated)}条：")

    def said(phrase: str) -> str:  # an English asker reads the figure in English first, then the phrase as printed
        english = figure_en(phrase, rules.figures) if lang == "en" else ""
        return f"{english} — “{phrase}”" if english else phrase

    lines = [lead] + [f"{n}. {_heading(c, q.lang, lexicon)}{': ' if lang == 'en' else '：'}"
                      f"{('; ' if lang == 'en' else '；').join(said(p) for p in dict.fromkeys(phrases))}"
                      for n, (c, phrases) in enumerate(stated, 1)]
    citations = tuple(Citation.of(c, next(s for s in split_sentences(c.text) if phrases[0] in s))
                      for c, phrases in stated)
    return Answer(question, "\n".join(lines), citations, False, q.lang, q.text)


def _bureaus(question: str, r: Retrieval, numbered: Sequence[Clause], lexicon: Lexicon) -> Answer:
    """Every bureau the entries list, by how many entries list it (most first, then as first listed), each entry
    cited (so every bureau said is in a cited clause)."""
    q = r.query
    # (most_common is stable: ties keep the order the plan first lists them in)
    counts = Counter(b for c in numbered for b in c.bureaus)
    ranked = [b for b, _ in counts.most_common()]
    if q.lang == "en":
        lines = [f"The tasks and safeguards list {len(ranked)} responsible bureaus (责任单位), by the number of entries "
                 f"that list them:"]
        lines += [f"{n}. {lexicon.bureau_gloss(b)} — {counts[b]}" for n, b in enumerate(ranked, 1)]
    else:
        lines = [f"主要任务和保障措施共列出{len(ranked)}个责任单位，按列为责任单位的条数排列："]
        lines += [f"{n}. {b} — {counts[b]}条" for n, b in enumerate(ranked, 1)]
    listing = [c for c in numbered if c.bureaus]
    citations = tuple(Citation.of(c, split_sentences(c.text)[0]) for c in listing)
    return Answer(question, "\n".join(lines), citations, False, q.lang, q.text)


def _subsections(question: str, r: Retrieval, clauses: Sequence[Clause], lexicon: Lexicon) -> Answer:
    """The headings under a heading, in printed order, each with its entries; each is cited by its first entry
    (so "the fifth one" picks that heading)."""
    q = r.query
    groups = subsection_groups(clauses, q.section) if q.section else outline_groups(clauses)
    name = (q.section or "The plan") if q.lang == "en" else f"“{q.section}”" if q.section else "《行动方案》"
    lead = (f"{name} has {len(groups)} parts:{names_line(groups, 'en')}" if q.lang == "en"
            else f"{name}分为{len(groups)}个部分：{names_line(groups, 'zh')}")
    if q.beyond:  # "方案的第九部分讲什么？": there is no such part, and the parts there are are listed
        lead = (f"{name} has no part {q.beyond}; it has {len(groups)} parts:{names_line(groups, 'en')}"
                if q.lang == "en" else f"{name}没有第{_zh_number(q.beyond)}部分，它分为{len(groups)}个部分："
                f"{names_line(groups, 'zh')}")
    lines = [lead]
    for n, (heading, entries) in enumerate(groups.items(), 1):
        parts = subsection_groups(clauses, heading)
        if len(parts) > 1:  # a part divided in turn (二、主要任务) is said by its own parts, not its 22 entries
            names = "、".join(short_name(h) for h in parts)
            lines.append(f"{n}. {heading}（{len(parts)}个部分、{len(entries)}条：{names}）" if q.lang != "en"
                         else f"{n}. {heading} ({len(parts)} parts, {len(entries)} entries: {names})")
            continue
        titles = "、".join(c.title for c in entries)
        lines.append(f"{n}. {heading}（{len(entries)}条：{titles}）" if q.lang != "en"
                     else f"{n}. {heading} ({len(entries)} entries: {titles})")
    citations = tuple(Citation.of(entries[0], split_sentences(entries[0].text)[0]) for entries in groups.values())
    return Answer(question, "\n".join(lines), citations, False, q.lang, q.text)


def _zh_number(n: int) -> str:
    """九 for 9, 十二 for 12 (pure): a place in the documents as Chinese says it."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        return f"{digits[n // 10] if n >= 20 else ''}十{digits[n % 10] if n % 10 else ''}"
    return str(n)


def unstated(rules: Rules, lang: str, what: str) -> str:
    """The line that says the documents do not state ``what`` ("《行动方案》没有写明具体的时间或期限。") (pure)."""
    return rules.text("unanswerable", lang, document=rules.text("document", lang), what=what)


def refusal(question: str, r: Retrieval, rules: Rules, lexicon: Lexicon, quote) -> Answer:
    """The answer when the documents do not answer: a plain decline, or 'the plan does not state X' with the
    clauses that mention the topic and their bureaus (the ones to ask)."""
    q = r.query
    verdict = r.verdict or Verdict(False, "off_topic")
    if verdict.reason in ("off_topic", ""):
        return Answer(question, rules.text("off_topic", q.lang), (), True, q.lang, q.text)
    lines = [unstated(rules, q.lang, verdict.what)]
    lines.append(rules.text("pointer", q.lang))
    citations = []
    for c in verdict.pointers:
        if q.lang == "en":
            who = "; ".join(lexicon.bureau_gloss(b) for b in c.bureaus)
            lines.append(f"- {_heading(c, q.lang, lexicon)}" + (f" (responsible: {who})" if who else ""))
        else:
            who = "、".join(c.bureaus)
            lines.append(f"- {_heading(c, q.lang, lexicon)}" + (f"（责任单位：{who}）" if who else ""))
        citations.append(Citation.of(c, quote(c)))
    if any(c.bureaus for c in verdict.pointers) and verdict.reason != "no_bureau":
        lines.append(rules.text("ask_bureaus", q.lang, what=verdict.what))
    return Answer(question, "\n".join(lines), tuple(citations), True, q.lang, q.text)


def _listed_after(clause: Clause, picked: list[str], clauses: Sequence[Clause]) -> list[Clause]:
    """The entries printed under a clause whose chosen sentence closes it with a colon ("主要指标如下:"): what it
    announces is those entries, so they are quoted after it; [] otherwise (pure)."""
    sentences = split_sentences(clause.text)
    if not picked or not sentences or picked[0] != sentences[-1] or not picked[0].rstrip().endswith((":", "：")):
        return []
    at = next((i for i, c in enumerate(clauses) if c.id == clause.id), None)
    if at is None:
        return []
    listed = []
    for c in clauses[at + 1:]:
        if c.path != clause.path:
            break
        listed.append(c)
    return listed


def cited_clauses(hits: Sequence[Hit], top_k: int, related_ratio: float) -> list[Clause]:
    """The best hit and the runners-up within ``top_k`` scoring at least ``related_ratio`` of it (pure)."""
    if not hits:
        return []
    best = hits[0].score
    return [h.clause for k, h in enumerate(hits[:top_k]) if k == 0 or h.score >= best * related_ratio]


class ExtractiveComposer(Composer):
    """Leads with what was asked (the bureaus, the figure, the clause), then quotes the sentences that
    support it, verbatim; says plainly what the documents do not say."""

    name = "extractive"

    def __init__(self, lexicon: Lexicon, top_k: int = 3, related_ratio: float = 0.85, rules: Rules | None = None):
        self.lexicon = lexicon
        self.top_k = top_k
        self.related_ratio = related_ratio
        self.rules = rules or load_rules()

    def cited(self, r: Retrieval) -> list[Clause]:
        """The clauses an answer cites: the best hit and close runners-up."""
        return cited_clauses(r.hits, self.top_k, self.related_ratio)

    def __call__(self, question: str, r: Retrieval, clauses: Sequence[Clause]) -> Answer:
        q = r.query
        if not r.covered or (r.verdict is not None and not r.verdict.answerable):
            return refusal(question, r, self.rules, self.lexicon, lambda c: "".join(pick_sentences(c, r, rules=self.rules)))
        if q.intent in ENTRY_LISTS or (q.intent == "aggregate" and q.bureaus):
            return _aggregate(question, r, clauses, self.lexicon, self.rules)
        cited = self.cited(r)
        best = pick_sentences(cited[0], r, rules=self.rules, best_first=True) if cited else []
        listed = _listed_after(cited[0], best, clauses) if cited else []
        cited = cited[:1] + listed + [c for c in cited[1:] if c not in listed]
        citations, parts, meta = [], [], {}
        for k, c in enumerate(cited):
            picked = best if k == 0 else pick_sentences(c, r, rules=self.rules)
            quote = "".join(sorted(picked, key=c.text.find))  # the citation quotes in the plan's order
            citations.append(Citation.of(c, quote))
            if k == 0:
                lead = self._lead(c, picked, q)
                parts.append(self._main(c, picked, q, lead))
                if not lead:  # the best sentence answers: a compound answer's line may say only its part
                    said = gist(picked[0], word_weights(q.subject_tokens + q.dictionary, clauses),
                                listing=self.rules.form("which", last_question(q.text)))
                    meta = {"gist": f"{c.label}: “{said}”" if q.lang == "en" else f"{c.label}：“{said}”"}
            elif c in listed:  # the entries the best sentence announces continue it, as a list
                parts.append(self._related(c, quote, q.lang, first=k == 1, label="- "))
            else:
                parts.append(self._related(c, quote, q.lang, first=k == 1))
        return Answer(question, "\n".join(parts), tuple(citations), False, q.lang, q.text, meta=meta)

    def _lead(self, c: Clause, picked: list[str], q) -> str:
        """The first line: the bureaus, the figure or the year that answers ('' when the best sentence does).

        It names its clause by label alone; an English title's gloss waits for its own line, so that the
        quote which supports the lead follows it closely."""
        head = c.label
        en = q.lang == "en"
        heading = " > ".join(c.path.split(" > ")[:-1])
        # "属于哪个行动？": the headings above it (asked by the turn itself, the last question of the standalone text)
        last = last_question(q.text)
        if heading and self.rules.form("heading_of", last):
            return (f"{head} is under {heading}." if en else f"{c.label}属于“{heading}”。")
        member = self._member(c, q, last)
        if member:
            return member
        if q.intent == "who" and c.bureaus:
            if en:
                return f"Responsible bureaus (责任单位): {'、'.join(c.bureaus)} — for {head}."
            return f"责任单位：{'、'.join(c.bureaus)}（{c.label}）。"
        # (not a sentence of the year gone past alone: "beyond 2025" is not answered by 2025's figures)
        past = passed_years(q.text, self.rules)
        now = [s for s in picked if not _of_years_past(s, past)]
        if "year" in q.asks:
            # "beyond 2025", "And the longer term?": a later year answers
            later = self._later_years(q.text, past, picked)
            years = later if later or past else [m for s in picked for m in _YEAR.findall(s)]
            if years:
                return (f"The plan gives the year {years[0]} — {head}." if en
                        else f"《行动方案》写明的时间：{years[0]}年（{c.label}）。")
        if "deadline" in q.asks:
            dates = [d for s in picked for d in [date_en(s, self.rules.figures)] if d]
            if dates and en:
                return f"The plan states the time: {dates[0]} — {head}."
        if q.intent == "number" or q.asks:
            phrases = figure_phrases(now, q.subject_tokens, limit=8) if any(_DIGIT.search(s) for s in now) else []
            for name in q.asks:  # an amount question wants the phrase with the amount, not the percentage
                kind = self.rules.answer_types[name]
                phrases = [p for p in phrases if kind.stated_in(p)] or phrases
            asked_years = question_years(q.text, self.rules) or self._later_years(q.text, past, picked)
            if asked_years:  # 2025's 5000亿元 does not answer "2035年呢？", nor "2025年…？那更长远呢？"
                phrases = [p for p in phrases if not _YEAR.search(p) or any(y in p for y in asked_years)]
            phrases = phrases[:2]
            if len(phrases) == 2 and phrase_share(phrases[1], q.subject_tokens) < SECOND_FIGURE_SHARE * phrase_share(
                    phrases[0], q.subject_tokens):
                phrases = phrases[:1]  # "listed companies": 100家 answers; the 10000 high-tech firms beside it do not
            if phrases and en:
                stated = [s for s in (self._figure_en(p) for p in phrases) if s]
                if stated:
                    return figure_lead(stated, head, "en")
            if phrases:
                return figure_lead(phrases, c.label, "zh")
            said = [(y, s) for y in asked_years for s in picked if y in s]
            if said and self.rules.form("quantity", q.text.lower()):
                # the year's goal has no figure: say so, then what the plan does say of that year
                year, sentence = said[0]
                return (f"The plan gives no figure for {year}; for {year} it says: “{sentence}” — {head}." if en
                        else f"《行动方案》没有给出{year}年的具体数字；对{year}年，方案写的是：“{sentence}”（{c.label}）。")
            # ("到2035年光谷的目标是建成什么？" asks no figure: the sentence of that year, quoted first, answers it)
        if en:
            # An English reader cannot find a figure inside the Chinese quote, so a general answer whose best
            # sentence states figures leads with those that say what they count ("1 billion yuan", "50 schools",
            # "14%"): a bare count or a ratio ("1 (1个)", "a ratio of 1:1") says nothing before the quote is read.
            stated = [s for s in (figure_en(p, self.rules.figures)
                                  for p in figure_phrases(now[:1], q.subject_tokens)) if _NAMED_FIGURE.search(s)]
            if stated:
                return figure_lead(stated, head, "en")
        return ""  # the answer is the quote itself, which leads

    def _member(self, c: Clause, q, last: str) -> str:
        """"里面有市公安局吗？", "Is the finance bureau among them?": yes or no first, then the clause's bureaus (only
        those: a bureau the clause does not list is not named in an answer that cites it); '' for other questions."""
        if not (q.bureaus and c.bureaus and self.rules.form("member", last)):
            return ""
        missing = [b for b in q.bureaus if b not in c.bureaus]
        if missing and c.id not in q.pinned:
            # "no" only of the clause the conversation points at: found by its words alone, a clause without the
            # bureau may be the wrong one (a compound's last part, "…and is the ecology bureau responsible?")
            return ""
        key = "member_no" if missing else "member_yes"
        return self.rules.text(key, q.lang, named="、".join(q.bureaus), be="are" if len(q.bureaus) > 1 else "is",
                              label=c.label, all="、".join(c.bureaus))

    def _later_years(self, text: str, past: set[str], picked: list[str]) -> list[str]:
        """The years of the picked sentences a question wants when it names none of its own: those past the years
        it goes beyond (``past``: "beyond 2025"), or the latest when it asks for the longer term."""
        years = sorted({y for s in picked for y in _YEAR.findall(s)})
        if past:
            return [y for y in years if y > max(past)]
        return years[-1:] if self.rules.longer_term.search(text.lower()) else []

    def _main(self, c: Clause, picked: list[str], q, lead: str) -> str:
        """Lead, bureaus (unless the lead named them), the quote; English adds the bureaus' glosses.

        ``picked`` comes best sentence first. When nothing more direct leads (a figure, the bureaus, a year),
        that sentence is the answer and opens it; the clause's other chosen sentences follow it.
        """
        en = q.lang == "en"
        # (a yes/no lead on a bureau has named the clause's bureaus too)
        named = (q.intent == "who" or (lead and lead == self._member(c, q, last_question(q.text)))) and c.bureaus
        if en:
            bureaus = (f"Responsible bureaus (责任单位): {'、'.join(c.bureaus)}." if c.bureaus
                       else _bureau_line(c, "en", self.lexicon))
            gloss = self.lexicon.title_en(c.title)
            glosses = ([f"In English, the heading reads: {gloss}."] if gloss else []) + (
                [self._glosses(c)] if c.bureaus else [])
        else:
            bureaus = _bureau_line(c, "zh", self.lexicon)
            glosses = []
        if not lead:
            best, rest = picked[0], "".join(picked[1:])
            lines = [f"The plan says (原文), in {c.label}: “{best}”" if en else f"《行动方案》在{c.label}中写道：“{best}”"]
            if rest:
                lines.append(f"It also says: “{rest}”" if en else f"同一条还写道：“{rest}”")
            return "\n".join([*lines, bureaus, *glosses])
        said = f"The plan says (原文): “{''.join(picked)}”" if en else f"原文：“{''.join(picked)}”"
        # the quote that supports the lead comes next; the bureaus after it, unless the lead named them
        return "\n".join([lead, said, *glosses] if named else [lead, said, bureaus, *glosses])

    def _figure_en(self, phrase: str) -> str:
        """A figure phrase in English; a bare number that is a day of the year is said as a date (1月底 → the
        end of January, not "1")."""
        stated = figure_en(phrase, self.rules.figures)
        if stated and not _NAMED_FIGURE.search(stated) and "(" not in stated:
            return date_en(phrase, self.rules.figures) or stated
        return stated

    def _glosses(self, c: Clause) -> str:
        return "In English: " + "; ".join(self.lexicon.bureau_gloss(b) for b in c.bureaus) + "."

    def _related(self, c: Clause, quote: str, lang: str, first: bool, label: str | None = None) -> str:
        head = _heading(c, lang, self.lexicon)
        who = "、".join(c.bureaus)
        lead = ("\n" if first else "") + (label or ("Related: " if lang == "en" else "相关条款："))
        if lang == "en":
            return f"{lead}{head}: “{quote}”" + (f" (责任单位: {who})" if who else "")
        return f"{lead}{head}：“{quote}”" + (f"（责任单位：{who}）" if who else "")
