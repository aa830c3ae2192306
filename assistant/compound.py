"""Compound questions split into standalone parts: "A和B分别由谁负责？", "A是什么？由谁负责？" (pure)."""
from __future__ import annotations

import re
from typing import Callable

from .retrieval import asks_for_list
from .rules import Rules, group
from .text import detect_lang

# English prepositions and verbs after which a coordinated topic list starts ("targets for A and B").
_EN_HEAD = re.compile(r"\b(for|of|about|on|in|to|with|between|regarding|handle|handles|lead|leads|manage|manages|"
                      r"cover|covers|oversee|oversees|are|is)\s+", re.I)

_COMMA = re.compile(r"[，,；;]")
# The statements before a text's first question (sentences ending in a full stop or exclamation mark).
_SCENE = re.compile(r"(?:[^.!?。！？]*(?:[。！]|[.!](?=\s)))+\s*")


def _merge_names(items: list[str], seps: list[str], document: str) -> tuple[list[str], list[str]]:
    """Join neighbours that the document prints together (数字经济与新消费 is one name, not two topics)."""
    out, out_seps = [items[0]], []
    for sep, item in zip(seps, items[1:]):
        left, right = out[-1], item
        if sep.strip() and document and (left[-2:] + sep + right[:2]) in document:
            out[-1] = left + sep + right
        else:
            out.append(item)
            out_seps.append(sep)
    return out, out_seps


def _split_items(head: str, pattern: re.Pattern) -> tuple[list[str], list[str]]:
    """The items a coordinator separates; one inside brackets lists examples of the word before them ("the
    quality-of-life items (schools, hospitals, environment)"), no items of the question's own."""
    items, seps, pos = [], [], 0
    for m in pattern.finditer(head):
        if m.start() == 0 or m.end() >= len(head) or _bracketed(head, m.start()):
            continue
        items.append(head[pos:m.start()])
        seps.append(m.group(0))
        pos = m.end()
    items.append(head[pos:])
    return items, seps


def _bracketed(text: str, at: int) -> bool:
    """Whether position ``at`` of ``text`` lies inside an open bracket."""
    return sum(1 if c in "(（" else -1 if c in ")）" else 0 for c in text[:at]) > 0


def _split_outside_brackets(pattern: re.Pattern, text: str) -> list[str]:
    """``pattern.split`` that keeps a bracketed aside whole ("financing (securitisation, an IP fund)")."""
    pieces, last = [], 0
    for m in pattern.finditer(text):
        if m.end() == m.start() or _bracketed(text, m.start()):
            continue
        pieces.append(text[last:m.start()])
        last = m.end()
    pieces.append(text[last:])
    return pieces


def _zh_parts(text: str, rules: Rules, document: str) -> list[str]:
    m = rules.distributive.search(text)
    if not m:
        return [text]
    head, tail = text[:m.start()], rules.distributive_removed.sub("", text[m.start():])
    scene = _SCENE.match(head)
    if scene and scene.end() < len(head) and len(_split_items(head[scene.end():], rules.coordinators_zh)[0]) > 1:
        # "我们CRO主要对接药企和器械厂。A那条和B那条，分别…": the setting names no item when the question names
        # several ("居民关心两件事，孩子上学和家门口绿化。方案里各自怎么安排的？" names them in the setting)
        head = head[scene.end():]
    items, seps = _merge_names(*_split_items(head, rules.coordinators_zh), document)
    items = [i.strip() for i in items if i.strip()]
    if len(items) < 2:
        return [text]
    last = items[-1]
    shared, said = "", ""
    comma = re.search(r"[，,]", last)
    if comma:  # "A那项和B那项，责任单位各是哪些？": what follows the comma is asked of every item
        last, said = last[:comma.start()], last[comma.end():]
    at = last.rfind("的")
    if at > 0 and not (document and last[max(0, at - 2):at + 3] in document) and "的" not in items[0]:
        # "B两项的2025年目标": the part after 的 is shared by every item (not in a name the documents print:
        # "国家立项的关键核心技术攻关项目" is one item; nor when the first item says whose thing it is itself:
        # "女方的奖励假和男方的陪产假" names two things)
        last, shared = last[:at], last[at + 1:]
    items[-1] = rules.counters.sub("", last).strip() or last
    setting = ""
    before = list(_COMMA.finditer(items[0]))
    if before and 0 < len(items[0]) - before[-1].end() <= len(re.split(r"[。！!]", items[-1])[0]):
        # "个人在禁烟场所抽烟，北京和上海分别怎么罚款？": what is said before the first item's comma is the setting
        # of every item when what follows it is an item like the last one (no longer): "…到2025年，东湖高新区在
        # 中小学和医院建设上…" says its first item in words of its own
        setting, items[0] = items[0][:before[-1].end()], items[0][before[-1].end():].strip()
    return [f"{setting}{item}{'的' + shared if shared else ''}{'，' + said if said else ''}{tail}" for item in items]


def _same_start(a: str, b: str, words: int = 2) -> bool:
    """Whether two items open with the same words ("the max for X" and "the max per Y")."""
    first, second = a.lower().split()[:words], b.lower().split()[:words]
    return len(first) == words and first == second


def _en_parts(text: str, rules: Rules, each: bool = False) -> list[str]:
    """One English question per topic; ``each``: a later question said "each", so one-word topics part too."""
    marked = each or rules.distributive.search(text)
    body = rules.distributive_removed.sub("", text).strip(" ,")
    body = re.sub(r"\s+([?.!])", r"\1", re.sub(r"\s{2,}", " ", body))  # "for both the A" → "for the A"
    paired = rules.paired_items.search(body)
    if paired and paired.group("det").lower() != "the" and re.search(r",\s+and\s+", paired.group(0)):
        paired = None  # ", and for B" says its preposition again: the frame ends there (below), no pairing needed
    if paired:  # "the A and the B": only "and the" parts the items ("the life and health industry" is one)
        det = re.escape(paired.group("det"))
        between = rf",?\s+and\s+(?={det}\b)|,\s+(?={det}\b)" if paired.group("det").lower() == "the" else \
            rf",?\s+and\s+{det}\s+|,\s+{det}\s+"
        items, seps = _split_items(body, re.compile(between, re.I))
    else:
        items, seps = _split_items(body, rules.coordinators_en)
    for i in range(len(items) - 1, 0, -1):
        if rules.aside_en.match(items[i]):  # "about schooling, including cooperation with foreign schools": one item
            items[i - 1:i + 1] = [f"{items[i - 1]}{seps[i - 1]}{items[i]}"]
            del seps[i - 1]
    if len(items) < 2:
        return [text]
    # The question's frame ("Who is responsible for") stands before the first item.
    heads = list(_EN_HEAD.finditer(items[0]))
    again = _EN_HEAD.match(items[1])
    word = again.group(1).lower() if again else ""
    repeated = [h for h in heads if h.group(1).lower() == word]
    # ("… for A and for B": the separator took the preposition said again)
    said_again = re.search(r"\b(\w+)\s*$", seps[0]) if seps and not again else None
    if said_again and said_again.group(1).lower() != "and" and any(
            h.group(1).lower() == said_again.group(1).lower() for h in heads):
        marked = True
    colon = _colon_list(text, rules)
    if 0 < colon < len(items[0]) - 1:
        # a list after a colon ("the 2025 targets for quality of life: schools, healthcare and the environment")
        # is of topics the question before it announced, one-word topics too
        frame, first = items[0][:colon + 1] + " ", items[0][colon + 1:].strip()
        marked = True
    elif repeated:  # "the target for A in the zone, and for B": the frame ends at the preposition said again
        # (which parts one-word topics too: "for schools, and for hospitals" names two things)
        frame, first = items[0][:repeated[-1].end()], items[0][repeated[-1].end():]
        marked = True
        items = [items[0]] + [i[m.end():] if (m := _EN_HEAD.match(i)) and m.group(1).lower() == word else i
                              for i in items[1:]]
    elif paired and paired.start("det") < len(items[0]) and _same_start(items[0][paired.start("det"):], items[1]):
        # "What's the max for X, and the max per Y?": the second item says the first's head again ("the max"), so
        # each item starts at its "the", not after the first item's preposition
        frame, first = items[0][:paired.start("det")], items[0][paired.start("det"):]
    elif heads:
        frame, first = items[0][:heads[-1].end()], items[0][heads[-1].end():]
    elif paired and paired.start("det") < len(items[0]):  # "…: the A and the B": the first item starts at its "the"
        frame, first = items[0][:paired.start("det")], items[0][paired.start("det"):]
    else:
        n = len(items[-1].split())
        words = items[0].split()
        frame, first = " ".join(words[:-n]) + " ", " ".join(words[-n:])
    end = re.search(r"[?.!]+$", items[-1])
    mark = end.group(0) if end else "?"
    # "…on A, and separately on B": the adverb joins the questions (and the frame says the preposition), it is no
    # part of B
    topics = [first] + [_joined(i.rstrip("?.! "), rules) for i in items[1:]]
    if not marked and any(len(t.split()) < 2 for t in topics):
        return [text]  # "research and development" is one topic; without "each"/"respectively" do not split
    return [f"{frame}{t.strip()}{mark}" for t in topics if t.strip()]


def _colon_list(text: str, rules: Rules) -> int:
    """Where the colon (or dash) ends after which an English question lists its topics ("What are the targets: A,
    B and C?", "What are all the targets — A, B and C?"), or -1: the words before it ask (a lead-in, "Quick one:",
    does not; a request, "Pull together the targets for me:", does) and those after it ask nothing of their own
    (pure)."""
    at = text.find(":")
    before = text[:max(at, 0)]
    if at < 0 and (dash := _DASH.search(text)):
        at = dash.start() + len(dash.group(0).rstrip()) - 1  # the dash's last character, as a colon's place
        before = text[:dash.start()]
    after = text[at + 1:] if at > 0 else ""
    asks = rules.question_form.search(before) or (rules.imperative and rules.imperative.search(before))
    if (at <= 0 or not asks or rules.question_form.search(after)
            or "," not in after or not re.search(r"\band\b", after)):
        return -1
    return at


def _joined(item: str, rules: Rules) -> str:
    said = rules.additive.match(item)
    return re.sub(r"^,?\s*(?:(?:on|for|about|of)\s+)?", "", item[said.end():], flags=re.I) if said else item


def _with_subject(part: str, first: str, rules: Rules) -> str:
    """"…and which runs the healthcare one?", "…and which one handles hospitals?" take the first part's subject:
    "Which department runs …", "Which department handles …"; "…, and which for the business environment?" its
    question up to the topic: "Which departments are responsible for the business environment?"; "…，哪些负责营商环境？"
    its asked noun: "哪些部门负责营商环境？"."""
    said = rules.elided_subject
    # what the elided subject stands before: a verb ("which runs"), else a preposition ("which for")
    for opens in (rf"(?:{rules.elided_verbs.pattern})\b", rf"(?:{said['prepositions']})\b"):
        elided = re.match(rf"\s*(?:which|what)\s+(?:ones?\s+)?(?={opens})", part, re.I)
        subject = re.match(rf"\s*((?:which|what)\s+.+?)\s+(?={opens})", first, re.I)
        if elided and subject:
            return f"{subject.group(1)} {part[elided.end():]}"
    elided = re.match(rf"\s*({said['which_zh']})(?={said['verbs_zh']})", part)
    noun = re.search(rf"(?:{said['which_zh']})({said['nouns_zh']})", first)
    if elided and noun:
        return f"{elided.group(1)}{noun.group(1)}{part[elided.end():]}"
    return part


# A later part with at least this many topic words of its own is a part of its own, pronoun or not.
OWN_TOPIC_WORDS = 2
# A Chinese question after a comma is a part of its own only with this many topic words on each side.
COMMA_TOPIC_WORDS = 3


def _asked(piece: str, text: str) -> bool:
    """Whether a piece of ``text`` ends in a question mark there (the cut drops it): "Optoelectronics output target
    2025? Any support for quantum?" is two questions, not a statement before one (pure)."""
    end = text.find(piece) + len(piece) if piece in text else -1
    return piece.rstrip().endswith(("?", "？")) or (0 <= end < len(text) and text[end] in "?？")


def _questions(text: str, rules: Rules, topic_words: Callable[[str], int] | None) -> list[str]:
    """The text cut where a second question starts. A Chinese piece made of two comma-joined questions, each
    with a question word and a topic of its own ("学校建多少所新优质校，医院建几个三甲院区？"), is two; a
    yes/no check ("…由哪些部门负责，有市法院吗？") or an elided subject ("…规模是多少，由哪家机构管理？")
    stays with the question before it."""
    scene = _SCENE.match(text)
    head, text = (scene.group(0), text[scene.end():]) if scene and scene.end() < len(text) else ("", text)
    pieces = rules.second_question.split(text)
    pieces[0] = head + pieces[0]  # "We make optical parts and are looking at a site. Does…?": the setting, uncut
    if topic_words is None:
        return pieces
    out = []
    for piece in pieces:
        halves = _COMMA.split(piece)
        if len(halves) == 2 and detect_lang(piece) == "zh" and all(
                rules.comma_question.search(h)
                and topic_words(rules.comma_question.sub("", rules.strip_asks(h))) >= COMMA_TOPIC_WORDS
                for h in halves):
            out.extend(halves)
        else:
            out.append(piece)
    return out


_DASH = re.compile(r"\s+[—–-]{1,2}\s+(?=[^—–]*[?.!]*$)")
_FRONTED = re.compile(r"(?:for|on|about|regarding|as for|as to|concerning|with)\s", re.I)
# An item of an announced list is a question of its own only with at least this many words.
ITEM_WORDS = 3
_DETERMINER = re.compile(r"(?:the|a|an|its|their)\b", re.I)


def _announced(text: str, rules: Rules) -> list[str]:
    """"Two things: A, and B?" → [A?, B?]: the items after a lead-in that announces several questions; [] when
    the text has no such lead-in or fewer than two items of ``ITEM_WORDS`` words (or 4 characters)."""
    m = rules.announced.search(text)
    if not m:
        return []
    rest, zh = text[m.end():].strip(), detect_lang(text) == "zh"
    # what the lead-in says the questions are about ("Two things on employee stock incentives:") goes with each
    about = (m.group("about_zh") or m.group("about_en") or "").strip(" ,，")
    if rules.statement and rules.statement.match(f" {about} "):
        # "Three things I care about as a tech-transfer office:" says who asks, not what each item is about (it opens
        # as compound.statement's sentences of context do: I, we, my…)
        about = ""
    items = [i for i in _split_outside_brackets(rules.announced_items[0 if zh else 1], rest)
             if i.strip(" ,，。.?？")]
    closing = _SCENE.match(items[-1]) if items else None
    # ("…: A, and B — who handles each?": a dash before the closing question ends the items too)
    closing = closing or (_DASH.search(items[-1]) if items and not zh else None)
    shared = items[-1][closing.end():] if closing and closing.end() < len(items[-1]) else ""
    if shared and rules.announced_shared.search(shared) and rules.question_form.search(shared):
        # "一是A，二是B。这两块分别由谁负责？", "A and B. Who is responsible for each of them?": the closing
        # question is asked of each item
        items[-1] = items[-1][:closing.start() if closing.re is _DASH else closing.end()]
    else:
        shared = ""
    said = rules.announced_counts.get(m.group(0).strip(" *\t\n").split()[0].lower()) if not zh else None
    commas = [p for i in items for p in re.split(r",\s+", i)]
    if said and len(items) < said == len(commas):
        items = commas  # "Three quick ones: A, B, and C?": the commas part the items the lead-in counted
    elif said and len(items) > said:
        # "Two concerns: work and residence permits, and the IP court": an "and" inside an item parts nothing when
        # the commas give the count the lead-in said
        body = rest[:len(rest) - len(shared)].rstrip(" —–-") if shared else rest
        by_comma = [i for i in re.split(r",\s+(?:and\s+)?", body) if i.strip(" ,.?")]
        # (not across a question mark: "…, and is new energy one of them? And is there a fund…?" asks three)
        if len(by_comma) == said and not re.search(r"[?？]", body.rstrip(" ?？.")):
            items = by_comma
    items = [rules.announced_item_prefix.sub("", i.strip(" ,，。.?？")).strip(" ,，") for i in items]
    items = [i for i in items if i]
    if not zh:
        # "Two quick ones: for national projects, what share is matched, and …?": a topic said before its question
        # ("for X,") belongs to the question after it
        for k in range(len(items) - 2, -1, -1):
            if _FRONTED.match(items[k]) and not rules.question_form.search(items[k]) and rules.question_form.search(
                    items[k + 1]):
                items[k:k + 2] = [f"{items[k]}, {items[k + 1]}"]
    big = [i for i in items if (len(i) >= 4 if zh else len(i.split()) >= ITEM_WORDS)]
    if len(items) < 2 or len(big) < len(items):
        return []
    if shared and zh:
        ask = rules.distributive_removed.sub("", rules.announced_shared.sub("", shared, count=1)).strip(" ,，？?")
        return [f"{i}{ask}？" for i in items]
    if shared:
        return _asked_of_each(shared, items, rules)
    # an item said as a noun phrase ("2025 economic size target") is asked what it is
    items = [i if rules.question_form.search(i) else f"{i}是什么" if zh else
             f"What is {i}" if _DETERMINER.match(i) else f"What is the {i}" for i in items]
    return [f"{about}{'，' if zh else ': '}{i}{'？' if zh else '?'}" if about else f"{i}{'？' if zh else '?'}"
            for i in items]


_LISTED = re.compile(r",?\s+and\s+|[,;]\s*")
# More topics than this before a dash are a description, not a list of questions.
MAX_DASHED = 4


def _dashed(text: str, rules: Rules) -> list[str]:
    """"A and B — who is responsible for each?" → [who is responsible for A?, … for B?]: topics said before a dash,
    the question after it asked of each; [] for any other text."""
    dash = _DASH.search(text) if detect_lang(text) == "en" else None
    if not dash:
        return []
    topics, shared = text[:dash.start()].strip(" ,"), text[dash.end():]
    if rules.question_form.search(topics) or not (rules.announced_shared.search(shared)
                                                  and rules.question_form.search(shared)):
        return []
    items = [i.strip() for i in _LISTED.split(topics) if i and i.strip()]
    if not 2 <= len(items) <= MAX_DASHED:
        return []
    return _asked_of_each(shared, items, rules)


def _asked_of_each(shared: str, items: list[str], rules: Rules) -> list[str]:
    """The closing question asked of each item: its "each (of them)" replaced by the item ("who leads each?" →
    "who leads IP protection?")."""
    return [rules.announced_shared.sub(lambda m: f"{m.group('prep') or ''}{i}", shared, count=1) for i in items]


def split_compound(text: str, rules: Rules, document: str = "",
                   topic_words: Callable[[str], int] | None = None,
                   known: Callable[[str], int] | None = None) -> list[str]:
    """The standalone parts of a compound question, or ``[text]`` when it asks one thing.

    Args:
        text: the (already standalone) question.
        rules: the compound rules (distributive words, coordinators, second-question boundaries).
        document: the documents' text; a coordination printed in it is a name and is not split.
        topic_words: counts a part's topic words; a later question part without any ("由谁负责？") is asked
            about the first part's topic.
        known: counts those of a part's topic words the documents use.

    Returns:
        One question per part, in the order asked.
    """
    listed = _announced(text, rules) or _dashed(text, rules)
    if listed:
        return listed
    pieces = [p.strip() for p in _questions(text, rules, topic_words) if p and p.strip()]
    while len(pieces) > 1 and not rules.question_form.search(pieces[0]) and (
            not _asked(pieces[0], text) or rules.switch.match(pieces[0]) or rules.presumes.search(pieces[0])):
        # "我们公司在光谷，知识产权方面由谁负责？": a statement before the question is its setting, not a part (and so
        # is a topic switched to before the question asked of it: "那创新药呢？有没有中试平台？", and a guess with no
        # question word: "光靠高新区自己肯定不够吧？市里怎么统筹的？")
        pieces[:2] = [f"{pieces[0]}，{pieces[1]}" if detect_lang(pieces[0]) == "zh" else f"{pieces[0]}, {pieces[1]}"]
    if len(pieces) > 1:
        first = pieces[0]
        out = [first]
        whole: set[str] = set()  # the first part asked again with a condition: not parted by its topics again
        for p in pieces[1:]:
            if rules.confirms.search(p):
                # "…坐公交还用买票不？有人说得满70才免费，是这样吗": whether what the asker heard is so is the question
                # before it, asked again
                out[-1] = f"{out[-1].rstrip('？?。!！ ')}{'，' if detect_lang(p) == 'zh' else '? '}{p}"
                continue
            own = topic_words(rules.strip_asks(p)) if topic_words else 1
            if rules.presumes.search(p) and not rules.question_form.search(p) and not rules.additive.search(p) and (
                    (known(p) if known is not None else own) < OWN_TOPIC_WORDS):
                # "…到2030年要冲到多少亿？方案里应该有个中期数字吧？": the asker's guess at the answer, in words the
                # documents hardly use, is the question before it asked again
                out[-1] = f"{out[-1].rstrip('？?。!！ ')}，{p}"
                continue
            if (own == 0 and not rules.question_form.search(p)) or rules.instructions["chitchat"].search(p):
                continue  # "谢谢", "thanks": chatter after the question
            switched = None if rules.question_form.search(p) else rules.switch.match(p)
            topic = group(switched, "topic", "topic_b", "topic_en", "topic_en2").strip() if switched else ""
            if topic and topic_words and topic_words(topic) > 0 and not rules.pronouns.search(topic):
                # "A多大规模？B呢？": B is asked what A was
                low = first.lower()
                intent = "who" if rules.form("who", low) else "number" if rules.form("number", low) else "general"
                out.append(rules.frame(intent, detect_lang(p), topic))
                continue
            if (not rules.question_form.search(p) and not _asked(p, text)) or (
                    "?" not in p and "？" not in p and rules.statement and rules.statement.match(p)):
                # "I'm thinking about my kids.", "That would affect how we draft the IP clauses.": context for
                # the question, not a second one
                continue
            # an English pronoun with a topic of its own ("how will its performance be evaluated?") starts a new
            # part: "its" names the zone or the plan, the part names what it asks about (这项 after a topic is the
            # topic itself, so a Chinese part keeps the first part's words as context)
            # (…or a Chinese one naming several things of its own: "它跟科创大走廊其他区域的合作模式又叫什么？")
            own_topic = own >= OWN_TOPIC_WORDS and (detect_lang(p) == "en" or bool(rules.additive.search(p))
                                                    or own >= COMMA_TOPIC_WORDS)
            # a Chinese part with no "另外" that asks a detail (a kind of information, a figure, yes or no) in words
            # the documents do not use, or with a word or two of its own one of which they do not ("是一次性给几十万
            # 吗？", "政府出资多少？"), asks further about the first part's topic, kept as its context ("医院建几个？"
            # names a topic of the documents: its own part; "今天天气怎么样？" asks no detail: its own, declined; one
            # naming a figure, "能做到4.0吗？", checks that figure and is asked on its own)
            held = known(p) if known is not None and own else own
            detail = bool(rules.asked_types(p) or rules.form("number", p.lower()) or rules.yes_no.search(p))
            weak = (detect_lang(p) == "zh" and own > 0 and detail and not rules.additive.search(p)
                    and not re.search(r"\d", p) and (held == 0 or (own < COMMA_TOPIC_WORDS and held < own)))
            echoed = rules.echoed_condition.match(p)
            if (weak or (rules.continuation.match(p) and (not rules.conditional.search(first) or bool(
                    echoed and echoed.group("said") in first)))) and not rules.pronouns.search(p):
                # ("…能不能直接改过来？要是我自己动手改了，会有什么后果？": a condition on what was just asked; a second
                # case after a first, "如果伪造证书会被罚多少？要是掺杂掺假又会怎么罚？", is a part of its own)
                out.append(f"{first.rstrip('？?。!！ ')} {p}")
                # (of the topics together: "女方的奖励假和男方的陪产假分别是多少天？要是公司不让休，可以找哪个部门？"
                # asks whom to go to once, not once per leave)
                whole.add(out[-1])
                continue
            if not own_topic and rules.form("content", p.lower()):
                # "How many tasks are in X, and what does each cover?": what the first part's topic says (the
                # entries it counts, listed)
                out[0] = f"{out[0].rstrip('？?。!！ ')} {p}"
                continue
            if own == 0 or (rules.pronouns.search(p) and not own_topic):
                low, first_low = p.lower(), first.lower()
                if asks_for_list(first, rules) and not rules.form("who", low):
                    # "An overview of the main action programmes? How many are there and what are they called?":
                    # the list asked for is what the later question counts and names, one question (who is
                    # responsible for them is a question of its own)
                    out[0] = f"{out[0].rstrip('？?。!！ ')} {p}"
                    continue
                new_form = any(rules.form(f, low) and not rules.form(f, first_low) for f in ("who", "number"))
                topics = _en_parts(first, rules, each=True) if (
                    new_form and detect_lang(p) == "en" and rules.distributive.search(p)) else []
                if len(topics) > 1:
                    # "What does the plan promise on schooling and on hospitals, and who is responsible for each?":
                    # each topic asked what the first part asks, then the later question asked of each
                    # (without "each", and the preposition it leaves: "who is responsible for?" → "…responsible?")
                    ask = rules.distributive_removed.sub("", p).strip(" ,")
                    ask = re.sub(r"(?:\s+(?:for|of|to|on))?\s+(?=[?.!]*$)", "", ask)
                    out[:1] = topics
                    out += [f"{t.rstrip('?.! ')}? {ask}" for t in topics]
                elif new_form:  # "A是什么？由谁负责？": a second question about the same topic
                    # (a sentence of its own: "…(schools, hospitals), and which bureau leads each?" → "…? which…")
                    out.append(f"{first.rstrip('？?。!！ ')}{'' if detect_lang(p) == 'zh' else '?'} {p}")
                else:  # "Where do X come in? Give me every task they are listed for.": one question, two sentences
                    out[0] = f"{out[0].rstrip('？?。!！ ')} {p}"
            else:
                out.append(_with_subject(p, first, rules))
        # each question may itself name several topics ("A和B规模各是多少？分别在哪项任务里？")
        return [x for p in out for x in ([p] if p in whole else _coordinated(p, rules, document))]
    return _coordinated(text, rules, document)


def _coordinated(text: str, rules: Rules, document: str) -> list[str]:
    """One question per topic of a question that names several ("A和B分别…", "for A and for B", "the A and the
    B"), or ``[text]``."""
    if detect_lang(text) == "en":
        scene = _SCENE.match(text)
        if scene and scene.end() < len(text):
            # "We need both IP protection and financing. What does the plan say about A, and about B?": the
            # setting names no topic of the question; only the question is parted when it names several things
            # ("I'm looking at two areas: A and B. Quick overview of each?" names them in the setting)
            parts = _coordinated(text[scene.end():], rules, document)
            if len(parts) > 1:
                return parts
        if not (rules.distributive.search(text) or rules.paired_items.search(text) or _colon_list(text, rules) > 0
                or re.search(r"\band (?:for|about|on)\b|\bas well as\b", text, re.I)):
            return [text]
        return _en_parts(text, rules)
    return _zh_parts(text, rules, document)
