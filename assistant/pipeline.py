"""The public entry point: check the question, resolve the conversation, retrieve, compose."""
from __future__ import annotations

import dataclasses
import functools
import re
import time
import unicodedata
from typing import Callable, Sequence

from .answerable import LEAD_WINDOW, answering_first, bureaus_first, figure_first, judge, restated_by
from .compose import NAME_ENTRIES, Composer, ExtractiveComposer, figure_lead_key, pick_sentences, unstated
from .compound import OWN_TOPIC_WORDS, split_compound
from .conversation import Context, Resolved, resolve_turn, topic_terms, topic_words
from .index import ClauseIndex, Retrieval, heading_of, load_or_build
from .retrieval import ENTRY_LISTS, Weights, asks_for_list, english_asking, weights_for
from .rules import Rules, load_rules
from .settings import MAX_TURNS, Settings
from .text import content_tokens, detect_lang, find_bureaus, normalize_question
from .types import Answer, Citation, Turn


# A question describing a part of the plan ("the quality-of-life part") names the heading holding this many of its
# top entries.
PART_TOP, PART_HITS = 3, 2
PART_SHARE = 0.6  # … the second of them scoring this share of the best hit at least
INSIDE_TOPIC_WORDS = 1  # … the words a turn asks inside the part an ordinal picks name at least this many topics
# Choosing which of the best clauses states what is asked, a word held by at least this share of the clauses names no
# subject (the zone's name). Counted over clauses, unlike answerable.COMMON_SHARE, which counts sentences.
ZONE_WORD_SHARE = 0.75


class InputError(ValueError):
    """A question or history the assistant will not take.

    ``code`` names the rule broken and ``params`` hold what its wording needs, so that each interface words it
    in its own language (the chat in the interface language); ``str()`` is the English line the API and the CLI
    print, ``MESSAGES[code]`` filled in.
    """

    MESSAGES = {
        "not_text": "{what} must be text, not {kind}",
        "empty": "{what} is empty",
        "too_long": "{what} is {n} characters long; the limit is {limit}",
        "control": "{what} contains control characters",
        "surrogate": "{what} contains a lone UTF-16 surrogate, which is not text",
        "history_type": "the history must be a list of earlier turns, not {kind}",
        "entry_type": "{where} must be a string or an object, not {kind}",
        "entry_fields": "{where} must have a 'question' (or a 'role' and 'content')",
        "role": "{where}: 'role' must be 'user' or 'assistant', not {role!r}",
        "orphan_answer": "{where}: an assistant message must follow a user message",
        "content_type": "{where}: 'content' must be text",
        "citations_type": "{where}: 'citations' must be a list of clause ids or citation objects",
        "citation_id": "{where}: each citation must be a clause id or an object with an 'id'",
        "history_turns": "the history has {n} turns; the limit is {limit}",
        "history_chars": "the history holds {n} characters; the limit is {limit}",
    }

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code].format(**params))


def kind_of(value) -> str:
    """What a value is, in JSON's terms, for messages: ``a number``, ``an array``, ``null``…"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def check_question(question, max_chars: int, what: str = "the question") -> str:
    """Validate one question; return it stripped.

    Raises:
        InputError: one rule per message.
    """
    if not isinstance(question, str):
        raise InputError("not_text", what=what, kind=kind_of(question))
    if not normalize_question(question).strip():  # zero-width characters alone are empty too
        raise InputError("empty", what=what)
    if len(question) > max_chars:
        raise InputError("too_long", what=what, n=len(question), limit=max_chars)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in question):
        raise InputError("control", what=what)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in question):
        raise InputError("surrogate", what=what)
    return question.strip()


def _cited_ids(value, where: str) -> tuple[str, ...]:
    """Clause ids from a list of ids or of citation objects ``{"id": …}``."""
    if not isinstance(value, list):
        raise InputError("citations_type", where=where)
    ids = []
    for c in value:
        cid = c.get("id") if isinstance(c, dict) else c
        if not isinstance(cid, str) or not cid:
            raise InputError("citation_id", where=where)
        ids.append(cid)
    return tuple(ids)


def parse_history(history, max_chars: int, max_total: int | None = None) -> list[Turn]:
    """Earlier turns from the forms the interfaces accept, oldest first.

    Accepted entries: a string (an earlier question); a record ``{"question": …, "citations": [...]}`` (the
    results record, or ``{"question", "cited": [ids]}``); OpenAI-style messages ``{"role": "user", "content": …}``
    followed by ``{"role": "assistant", "content": …, "citations": [...]}`` (the assistant's citations are
    optional; without them the earlier turn is answered again).

    Raises:
        InputError: naming the first malformed entry.
    """
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise InputError("history_type", kind=kind_of(history))
    turns: list[Turn] = []
    for i, h in enumerate(history):
        where = f"history entry {i + 1}"
        if isinstance(h, str):
            turns.append(Turn(check_question(h, max_chars, where)))
            continue
        if not isinstance(h, dict):
            raise InputError("entry_type", where=where, kind=kind_of(h))
        role = h.get("role")
        if role is not None:
            if role == "user":
                turns.append(Turn(check_question(h.get("content"), max_chars, f"{where} content")))
            elif role == "assistant":
                if not turns:
                    raise InputError("orphan_answer", where=where)
                if "citations" in h and h["citations"] is not None:
                    turns[-1] = Turn(turns[-1].question, _cited_ids(h["citations"], where))
                elif "content" in h and not isinstance(h["content"], str):
                    raise InputError("content_type", where=where)
            else:
                raise InputError("role", where=where, role=role)
            continue
        if "question" not in h:
            raise InputError("entry_fields", where=where)
        question = check_question(h["question"], max_chars, f"{where} question")
        cited = h.get("citations", h.get("cited"))
        turns.append(Turn(question, None if cited is None else _cited_ids(cited, where)))
    if len(turns) > MAX_TURNS:
        raise InputError("history_turns", n=len(turns), limit=MAX_TURNS)
    total = sum(len(t.question) for t in turns)
    if max_total is not None and total > max_total:
        raise InputError("history_chars", n=total, limit=max_total)
    return turns


class Assistant:
    """Answers questions about the plan, citing the exact clauses, and says plainly what the plan does not say.

    Args:
        settings: paths, embedder and limits.
        index: an already-built index (else it is loaded or built from the settings).
        composer: the answer stage; by default the one ``settings.llm`` names (extractive for ``none``).
        weights: retrieval fusion weights and the in-scope threshold.
        rules: the question rules (``data/rules.json`` by default).
    """

    def __init__(self, settings: Settings | None = None, *, index: ClauseIndex | None = None,
                 composer: Composer | None = None, weights: Weights | None = None, progress: bool = True,
                 rules: Rules | None = None):
        self.settings = settings or Settings()
        self.index = index or load_or_build(self.settings, progress=progress)
        self.weights = weights or weights_for(self.index.embedder.id, self.settings.refusal_threshold)
        self.rules = rules or load_rules()
        self.extractive = ExtractiveComposer(self.index.lexicon, self.settings.top_k, self.settings.related_ratio,
                                             self.rules)
        if composer is None and self.settings.llm not in ("", "none"):
            from .generate import make_composer  # LangChain and the LLM load only when asked for

            composer = make_composer(self.settings, self.extractive)
        self.composer = composer or self.extractive

    # ------------------------------------------------------------------ conversation

    def _topic_words(self, turn: str) -> int:
        """How many words of ``turn`` name a topic: not the words asking for a kind of information, nor words that
        name no topic on their own (企业, a single company, per year)."""
        return topic_words(turn, self.index.tokenize, self.rules)

    def resolve(self, question: str, context: Context | None) -> Resolved:
        """The turn made standalone against what the conversation established."""
        # (a homophone read as the plan's word before the turn is split or resolved: "研发经废每年增长多少" is a part
        # with a topic of its own only once 经废 reads 经费)
        normal = self.index.homophones().correct(normalize_question(question))
        resolved = resolve_turn(normal, context, self.rules, self.index.bureaus, self.index.lexicon.bureau_aliases,
                                self._topic_words)
        if resolved.how == "standalone" and context and context.cited and context.cited[0] in self.index.by_id and (
                detect_lang(normal) == "zh"):
            # "顶尖人才引进方案里怎么支持？" → "经费谁出，按什么比例？": a turn whose one topic word the entry just
            # answered holds asks more of that entry (支持经费按照市区1∶1…), not of the plan at large
            terms = topic_terms(normal, self.index.tokenize, self.rules)
            if len(terms) == 1 and terms[0] in self.index.by_id[context.cited[0]].text and not find_bureaus(
                    normal, self.index.bureaus, self.index.lexicon.bureau_aliases):
                return Resolved(normal, context.cited[:1], "pronoun")  # (its own words: the earlier ones dilute them)
        picked = self.rules.ordinal.search(normal) if resolved.how == "ordinal" else None
        if not picked or resolved.pinned[0] not in self.index.by_id:
            return resolved
        # the entries of the heading picked (its first entry stands for it in the list of headings)
        entries = self.index.sections.get(heading_of(self.index.by_id[resolved.pinned[0]]), [])
        inner = self.rules.ordinal.search(normal, picked.end())
        if inner:
            # "第五个行动里的第四项任务是什么？" after the actions were listed: the fourth entry of the fifth action
            n = self.rules.ordinal_of(normal[inner.start():], len(entries))
            if len(entries) > 1 and 1 <= n <= len(entries):
                return Resolved(normal, (entries[n - 1].id,), "ordinal")
        described = self.rules.among.search(normal, picked.end())
        if described and len(entries) > 1:
            # "第五个行动里讲知识产权的那条，谁负责？" after the actions were listed: the entry described, among the
            # entries of the one picked (asked without the ordinal and the part it picks, which would ask for that
            # part's list)
            return Resolved(normal[:picked.start()] + normal[described.start():], (), "among",
                            tuple(c.id for c in entries))
        inside = self.rules.within.rest(normal, picked)
        if inside and len(entries) > 1 and self._topic_words(inside) >= INSIDE_TOPIC_WORDS:
            # "第四个行动里，跟沿线国家具体要开展哪些合作？" after the actions were listed: the entry it asks of,
            # among the entries of the one picked (a turn asking nothing of its own, 第四个行动里有几项, lists them)
            return Resolved(inside, (), "among", tuple(c.id for c in entries))
        if len(entries) > 1 and self._headings_listed(context):
            # "Tell me more about the sixth one." after the actions were listed: the sixth action, all its entries
            # (a heading's list, "三、保障措施共3条", picks one entry)
            return dataclasses.replace(resolved, intent="section")
        if len(entries) > 1 and self._entries_listed(context, entries):
            # "第二个方面定了哪些具体数字？" after the goals' three entries were listed: that entry, not the list again
            # (方面 there is the word for the entry picked, no list asked for)
            return dataclasses.replace(resolved, intent="entry")
        return resolved

    def _entries_listed(self, context: Context | None, entries: Sequence) -> bool:
        """Whether the previous answer listed these entries of one heading (two or more of them, nothing else)."""
        cited = set(context.cited if context else ())
        return len(cited) > 1 and cited <= {c.id for c in entries}

    def _headings_listed(self, context: Context | None) -> bool:
        """Whether the previous answer listed headings (each cited by its first entry), not one heading's entries."""
        cited = [self.index.by_id[c] for c in (context.cited if context else ()) if c in self.index.by_id]
        headings = [heading_of(c) for c in cited]
        return len(set(headings)) == len(headings) > 1 and all(
            self.index.sections.get(h, [None])[0] is c for h, c in zip(headings, cited))

    def context(self, history: Sequence[Turn]) -> Context | None:
        """What the earlier turns established; turns without known citations are answered again (extractive)."""
        ctx = None
        for turn in history:
            resolved = self.resolve(turn.question, ctx)
            if turn.cited is not None:
                query = self.index.analyze(resolved.text, turn=turn.question, rules=self.rules)
                ctx = Context(resolved.text, query.intent, turn.cited)
            else:
                _, ctx = self._answer(turn.question, resolved, self.extractive)
        return ctx

    def standalone(self, question: str, history: Sequence = ()) -> str:
        """The question made standalone against the earlier turns."""
        turns = parse_history(history, self.settings.max_question_chars, self.settings.max_history_chars)
        return self.resolve(question, self.context(turns)).text

    # ------------------------------------------------------------------ retrieval and answerability

    def _retrieve(self, text: str, turn: str, pinned: Sequence[str] = (), lang: str | None = None,
                  nearby: Sequence[str] = (), carried: str = "",
                  in_scope: Callable[[], bool] | None = None, first: str = "") -> Retrieval:
        query = self.index.analyze(text, turn=turn, rules=self.rules, pinned=pinned, lang=lang,
                                   english_lexicon=self.settings.english_lexicon, nearby=nearby, carried=carried)
        r = self.index.search(query, self.weights)
        if heading := self._part_described(query, r, turn):
            # "What tasks fall under the quality-of-life part of the plan (schools, hospitals, environment)?": a part
            # asked for by what it holds, not by its name, is the heading its best entries share; its entries listed
            who = self.rules.form("who", turn.lower())
            query = dataclasses.replace(query, intent="section_who" if who else "section", section=heading)
            r = self.index.search(query, self.weights)
        if not r.covered and query.lang == "en" and (asked := english_asking(turn)) and self.index.search(
                self.index.analyze(asked, rules=self.rules, lang=lang, english_lexicon=self.settings.english_lexicon),
                self.weights).covered:
            # "I lead regulatory affairs for a French pharma company. Is there anything…?": who asks dilutes what is
            # asked, which is about the plan on its own
            r = dataclasses.replace(r, covered=True)
        if r.covered and (unprinted_choice(self.rules.choice_of(text), self.index.tokenize, self.index.plan_text)
                          or self.rules.asks_other_law(text, self.index.plan_text)):
            # advice between things the plan never names; what a law says, of a plan that prints no law
            r = dataclasses.replace(r, covered=False)
        if in_scope is not None and not r.covered and query.intent == "who" and not query.asks and in_scope():
            # a who-part of a question that is about the documents is about them too (its answer is the bureaus
            # of its best clause); a part asking for a detail keeps its own scope, so a detail still gets declined
            r = dataclasses.replace(r, covered=True)
        # "…50 new high-quality schools by 2025, and how many specialty schools?": a later part whose best clause is
        # the one the first part was answered from asks more of that entry (too few words to be in scope on their
        # own) — when the entry answers it; one it does not ("…, and who is the contact person?") stays out of scope
        more = bool(in_scope is not None and not r.covered and first and r.hits and r.hits[0].clause.id == first
                    and in_scope())
        if more:
            r = dataclasses.replace(r, covered=True)
        cited = self.extractive.cited(r)
        # A Chinese question's subject is its own words, so a clause just below the cited ones that states the
        # figure about them may lead; an English question's subject is a translation, too loose to look further.
        window = () if query.lang == "en" else r.hits[:LEAD_WINDOW]
        candidates = list(dict.fromkeys([*cited, *(h.clause for h in window)]))
        # (the words most clauses hold name no subject there: 东湖高新区's 高新, 新区 name the zone)
        clauses = self.index.clauses
        common = frozenset(w for w in set(query.subject_tokens)
                           if len(w) > 1 and sum(w in c.text for c in clauses) >= ZONE_WORD_SHARE * len(clauses))
        lead = answering_first(query, candidates, self.rules, lambda c: pick_sentences(c, r, rules=self.rules),
                               len(cited), common)
        if not lead and bureaus_first(query, r.hits):
            candidates, lead = [r.hits[0].clause, r.hits[1].clause], 1
        if not lead and (k := figure_first(query, r.hits, self.rules)):
            candidates, lead = [h.clause for h in r.hits[:k + 1]], k
        if not lead and query.intent == "who" and not query.asks and cited and not cited[0].bureaus and (
                task := restated_by(cited[0], self.index.clauses, (*query.tokens, *query.dictionary),
                                    self.index.plan_text)):
            # "高新技术企业数量目标是多少？" answered from the goals → "Who delivers that?": the goals list no bureau; the
            # task that restates the same figure does
            candidates, lead = [cited[0], task], 1
        if lead:  # the clause that states the figure asked for leads; it takes the best score so the cited set stays
            first = next(h for h in r.hits if h.clause.id == candidates[lead].id)
            r = dataclasses.replace(r, hits=(dataclasses.replace(first, score=r.hits[0].score),
                                             *(h for h in r.hits if h is not first)))
            cited = self.extractive.cited(r)
        verdict = judge(query, r.covered, cited, self.rules, self.index.plan_text,
                        lambda c: pick_sentences(c, r, rules=self.rules))
        if more and not verdict.answerable:
            r = dataclasses.replace(r, covered=False)
            verdict = judge(query, False, cited, self.rules, self.index.plan_text,
                            lambda c: pick_sentences(c, r, rules=self.rules))
        return dataclasses.replace(r, verdict=verdict)

    def _part_described(self, query, r: Retrieval, turn: str) -> str:
        """The heading a question asks the list or overview of by describing it ("the part of the plan about public
        services", "民生那部分都包括什么"), when it names none: the heading of at most NAME_ENTRIES entries that holds
        at least PART_HITS of the top PART_TOP hits; '' otherwise."""
        low = turn.lower()
        if (query.intent in ENTRY_LISTS or query.pinned or query.bureaus or not r.covered
                or not self.rules.form("part", low)
                or not (asks_for_list(low, self.rules) or self.rules.form("content", low)
                        or self.rules.form("overview", low))):
            return ""
        headings = [heading_of(h.clause) for h in r.hits[:PART_TOP]]
        best = max(set(headings), key=headings.count, default="")
        entries = self.index.sections.get(best, ())
        held = [h for h in r.hits[:PART_TOP] if heading_of(h.clause) == best]
        if len(held) < PART_HITS or not 1 < len(entries) <= NAME_ENTRIES:
            return ""
        # what one entry is about ("知识产权保护方面有哪些措施？") is that entry, its neighbours far behind; a part is
        # described by several of its entries alike, or found by its own opening clause (工作目标 of 一、工作目标)
        own = held[0] is r.hits[0] and held[0].clause.title in best
        return best if own or held[1].score >= PART_SHARE * r.hits[0].score else ""

    def retrieve(self, question: str, history: Sequence = ()) -> Retrieval:
        """Resolve and retrieve without composing (the first part of a compound question)."""
        turns = parse_history(history, self.settings.max_question_chars, self.settings.max_history_chars)
        resolved = self.resolve(question, self.context(turns))
        parts = self._parts(resolved)
        turn = question if len(parts) == 1 and resolved.how not in ("switch", "among") else parts[0]
        return self._retrieve(parts[0], turn, resolved.pinned, detect_lang(question), resolved.nearby,
                              resolved.intent)

    def _parts(self, resolved: Resolved) -> list[str]:
        if resolved.how not in ("standalone", "switch") or self.rules.form("mentions", resolved.text.lower()):
            return [resolved.text]  # "基金有哪些？分别在哪条任务里？" is one question about every mention
        parts = split_compound(resolved.text, self.rules, self.index.plan_text, self._topic_words,
                               lambda t: topic_words(t, self.index.tokenize, self.rules, self.index.plan_text))
        if len(parts) > 1:
            whole = self.index.analyze(resolved.text, rules=self.rules, english_lexicon=self.settings.english_lexicon)
            if whole.intent == "section_who" or (len(whole.bureaus) > 1 and whole.intent == "aggregate" and
                                                 self.rules.form("jointly", resolved.text.lower())):
                # "What are the safeguard measures, and which departments carry each?": one list, each entry's
                # bureaus; "Which tasks do the finance and the education bureau handle together?": one list, the
                # entries listing both
                return [resolved.text]
        return parts

    # ------------------------------------------------------------------ answering

    def _declined(self, question: str, kind: str) -> Answer:
        lang = detect_lang(question)
        text = self.rules.text("instruction", lang, document=self.rules.text("document", lang))
        return Answer(question, text, (), True, lang, question, meta={"declined": kind})

    def _answer(self, question: str, resolved: Resolved, composer) -> tuple[Answer, Context]:
        """Answer one resolved turn (all parts of a compound question); also what it establishes."""
        typed, question = question, normalize_question(question)
        answer, context = self._answer_normalized(question, resolved, composer)
        return dataclasses.replace(answer, question=typed), context

    def _answer_normalized(self, question: str, resolved: Resolved, composer) -> tuple[Answer, Context]:
        kind = self.rules.instruction(question)
        if kind:
            return self._declined(question, kind), Context(resolved.text)
        lang = detect_lang(question)
        parts = self._parts(resolved)
        if len(parts) == 1:
            r = self._retrieve(resolved.text, resolved.text if resolved.how in ("switch", "among") else question,
                               resolved.pinned, lang, resolved.nearby, resolved.intent)
            answer = composer(question, r, self.index.clauses)
            return answer, Context(resolved.text, r.query.intent, tuple(c.id for c in answer.citations))
        answers, intents, retrievals = [], [], []
        # "Who leads on talent and who leads on education?": the scope is the whole question's, since a short
        # part ("Who leads on talent") says too little to be judged on its own
        # (searched only when a who-part needs it, once)
        whole = functools.cache(lambda: self.index.search(self.index.analyze(
            resolved.text, turn=question, rules=self.rules, lang=lang,
            english_lexicon=self.settings.english_lexicon), self.weights).covered)
        for part in parts:
            # a later part is asked in the first part's setting ("基金规模多大？单个项目最多投多少？"): the first
            # part's clause gets the small prior a topic switch gives the clause it left — unless the part names
            # topics of its own ("…, and does the plan say anything about upgrading university science parks?")
            near = tuple(c.id for c in answers[0].citations[:1]) if (
                answers and self._topic_words(part) < OWN_TOPIC_WORDS) else ()
            first = answers[0].citations[0].id if answers and answers[0].citations else ""
            r = self._retrieve(part, part, self._asked_of_first(part, first, lang), lang, near, in_scope=whole,
                               first=first)
            if not answers and r.verdict.reason == "off_topic" and not whole():
                # "长沙电信大楼起火是怎么回事？有人员伤亡吗？": the later parts ask about the same off-topic subject
                return self.extractive(question, r, self.index.clauses), Context(resolved.text, r.query.intent)
            answers.append(self.extractive(part, r, self.index.clauses))
            intents.append(r.query.intent)
            retrievals.append(r)
        answered = [c for a in answers if not a.refused for c in a.citations]
        # (a later part asked in the first part's words, "… 大概多少次?", has only its own words to name a topic)
        own = [p[len(parts[0]):] if k and p.startswith(parts[0]) else p for k, p in enumerate(parts)]
        unsaid = [self._leaves_unsaid(part, r, answered) for part, r in zip(own, retrievals)]
        for k, r in enumerate(retrievals):
            if unsaid[k] and r.verdict.reason == "off_topic":
                # the part's line says what is not stated ("没有写明具体的时间或期限"), not that nothing is covered
                asked = next(a for a in r.query.asks if a in self.rules.answer_types)
                answers[k] = dataclasses.replace(answers[k], text=unstated(self.rules, lang, self.rules.what(asked, lang)))
        answer = combine(question, resolved.text, answers, lang, refused=any(unsaid),
                         declined=self.rules.text("off_topic_part", lang))
        return answer, Context(resolved.text, intents[0], tuple(c.id for c in answer.citations))

    def _asked_of_first(self, part: str, first: str, lang: str) -> tuple[str, ...]:
        """``(first,)`` — the first part's entry — when a later part asks who of bureaus that entry lists ("How many
        'one-thing' topics are to be rolled out, and which government data agency is involved?"): the bureau's name
        is no topic of its own, the part asks about the first part's; else ()."""
        if first not in self.index.by_id:
            return ()
        q = self.index.analyze(part, rules=self.rules, lang=lang, english_lexicon=self.settings.english_lexicon)
        listed = set(self.index.by_id[first].bureaus)
        return (first,) if q.intent in ("who", "member") and q.bureaus and set(q.bureaus) <= listed else ()

    def _leaves_unsaid(self, part: str, r: Retrieval, answered: Sequence[Citation]) -> bool:
        """Whether a part of a compound question asks a detail the documents do not state ("…and what is the size
        of that fund?"), so that the question as a whole is not answered: a part with topics of its own (a bare
        "How much?" is the other parts' figure), declined for a kind of information, which no clause another part
        answered from states either; or a part asking a kind of information about nothing the documents cover
        ("…今年申报截止是几号？"), after a part they answer."""
        v = r.verdict
        if v is None or v.answerable or v.reason in NOT_DETAILS:
            return False
        if v.reason == "off_topic":
            # "揭榜挂帅单个项目最高能拿多少？今年申报截止是几号？": a detail asked after a part the documents answer is
            # about that part's topic, which they do not date ("…and how many specialty schools?" they count)
            if not answered or not any(a in self.rules.answer_types for a in r.query.asks):
                return False
        elif v.reason not in self.rules.answer_types or self._topic_words(part) < OWN_TOPIC_WORDS:
            return False
        others = [self.index.by_id[c.id] for c in answered if c.id in self.index.by_id]
        return not others or not judge(r.query, True, others, self.rules, self.index.plan_text,
                                       lambda c: pick_sentences(c, r, rules=self.rules)).answerable

    def ask(self, question: str, history: Sequence = ()) -> Answer:
        """Answer one turn of a conversation.

        Args:
            question: the user's turn (at most ``settings.max_question_chars`` characters).
            history: the earlier turns, oldest first: strings, results records or OpenAI-style messages
                (see :func:`parse_history`).

        Returns:
            The answer with its citations; ``refused`` when the plan does not answer the question (then the
            citations, if any, are the clauses that mention its topic).

        Raises:
            InputError: on an empty, oversized or control-character question, or a malformed history.
        """
        t0 = time.perf_counter()
        question, turns = self._checked_turn(question, history)
        t1 = time.perf_counter()
        resolved = self.resolve(question, self.context(turns))
        answer, _ = self._answer(question, resolved, self.composer)
        t2 = time.perf_counter()
        timings = {"context": (t1 - t0) * 1e3, "answer": (t2 - t1) * 1e3, "total": (t2 - t0) * 1e3}
        return dataclasses.replace(answer, timings_ms={**answer.timings_ms, **timings})

    def _checked_turn(self, question, history) -> tuple[str, list[Turn]]:
        """The question and history validated (one rule per message), the question stripped."""
        question = check_question(question, self.settings.max_question_chars)
        return question, parse_history(history, self.settings.max_question_chars, self.settings.max_history_chars)

    def ask_stream(self, question: str, history: Sequence = ()):
        """Answer one turn as a stream: text pieces as they are ready, then the final :class:`Answer`.

        With the extractive composer the whole answer text comes as one piece. With a generative composer
        the pieces are phrases that already passed the grounding guard; if the finished answer fails it,
        the final Answer is the extractive one (``mode == "extractive"``, ``meta["guard"]`` says why) and
        its ``text`` should replace the pieces shown so far. Declined turns and compound questions are
        answered extractively.

        Raises:
            InputError: as :meth:`ask`, before anything is yielded.
        """
        t0 = time.perf_counter()
        question, turns = self._checked_turn(question, history)
        return self._stream(t0, question, turns)

    def _stream(self, t0: float, question: str, turns: list[Turn]):
        resolved = self.resolve(question, self.context(turns))
        normal = normalize_question(question)
        if not self.composer.streams or self.rules.instruction(normal) or len(self._parts(resolved)) > 1:
            answer, _ = self._answer(question, resolved, self.extractive if self.composer.streams else self.composer)
            t3 = time.perf_counter()
            yield answer.text
            yield dataclasses.replace(answer, timings_ms={**answer.timings_ms, "total": (t3 - t0) * 1e3})
            return
        t1 = time.perf_counter()
        r = self._retrieve(resolved.text, resolved.text if resolved.how in ("switch", "among") else normal, resolved.pinned,
                           detect_lang(normal), resolved.nearby, resolved.intent)
        t2 = time.perf_counter()
        first = None
        for item in self.composer.stream(question, r, self.index.clauses):
            if isinstance(item, Answer):
                t3 = time.perf_counter()
                timings = {"retrieve": (t2 - t1) * 1e3, "compose": (t3 - t2) * 1e3, "total": (t3 - t0) * 1e3}
                if first is not None:
                    timings["first_piece"] = (first - t0) * 1e3
                yield dataclasses.replace(item, timings_ms={**item.timings_ms, **timings})
                return
            if first is None:
                first = time.perf_counter()
            yield item


# " (Optimise the business environment)" after a Chinese title or bureau name
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff]) \([A-Z][^()]*\)")


def unprinted_choice(alternatives: tuple[str, str] | None, tokenize: Callable[[str], list[str]], printed: str) -> bool:
    """Whether a choice asked between two things is between things the documents never print (pure): the last word
    of the first ("EDA工具用Cadence" → Cadence) and every word of the second are absent from them."""
    if not alternatives:
        return False
    low = printed.lower()
    first, second = (content_tokens(tokenize(a)) for a in alternatives)
    return bool(first and second) and first[-1].lower() not in low and all(t.lower() not in low for t in second)


# The place printed before an entry's title in its label: "二、(七) 1. ", "三、(三) ", "一、工作目标 · ".
_LABEL_PLACE = r"(?<![^\s(（—:：])[一二三四五六七八九十]+、[^\s·]*(?: \d+\.| ·)? "


def short_labels(line: str, citations: Sequence[Citation]) -> str:
    """A compound answer's lead line with each cited entry named by its title alone (pure): the lines stay short
    enough to read every part's answer first; each part's details still print the entry's place."""
    for c in citations:
        if len(c.title) >= 2:
            line = re.sub(_LABEL_PLACE + f"(?={re.escape(c.title)})", "", line)
    return line


_FIRST_SENTENCE = re.compile(r".+?(?:[。！？]|[.!?](?=\s|$))|.+")
# A figure lead's opening words, left out on a compound answer's numbered line.
_LEAD_OPENING = re.compile(r"^(?:The plan states: |《行动方案》写明：)")


def _same_entry(line: str, title: str) -> str:
    """A lead line without the entry it names at its end (" — 标题." / "— for 标题." / "（标题）。") (pure)."""
    t = re.escape(title)
    return re.sub(rf"(?: — (?:for )?{t}\.|（{t}）。)$", lambda m: "。" if m.group(0).endswith("。") else ".", line)


# Refusals that say no detail is missing: the entry names no bureau, or no such year (a part's own matter).
NOT_DETAILS = frozenset({"no_bureau", "year_not_in_documents", "year_not_in_entry"})


def combine(question: str, standalone: str, answers: Sequence[Answer], lang: str, refused: bool = False,
            declined: str = "") -> Answer:
    """One answer to a compound question: every part's lead first (numbered), then every part's details.

    The lead lines are kept short, so that every part's answer is read first: no opening words ("The plan
    states: "), each entry named by its title alone, and not again on the line after one about the same entry; a part
    about nothing the documents cover says ``declined`` (else its refusal's first sentence), not the whole refusal.
    The citations are every part's, in order, without repeats; the answer is refused when every part is, or when
    ``refused`` says a part asks a detail the documents do not state (the other parts' answers still shown).
    """
    if len({tuple(c.id for c in a.citations) for a in answers}) == 1 and all(a.refused for a in answers):
        # "怎么申请？需要哪些材料？": both parts point to the same clause; one refusal says it
        return dataclasses.replace(answers[0], question=question, standalone=standalone)
    leads, details, shown, said = [], [], set(), {}
    for n, a in enumerate(answers, 1):
        first, _, rest = a.text.partition("\n")
        if a.meta.get("gist") and a.meta["gist"] != first:  # the part's own words lead; its sentence follows
            first, rest = a.meta["gist"], f"{first}\n{rest}"
        if lang == "en":  # every part's figure or bureaus up front: a title's English gloss waits for the details
            first = _GLOSS.sub("", first)
        if a.refused and not a.citations and (said_first := _FIRST_SENTENCE.match(first).group(0)) != first:
            # (a one-sentence refusal says what is not stated, "没有写明具体的时间或期限": it stays)
            first = declined or said_first
        first = short_labels(first, a.citations)
        # two parts answered by the same words (or the same figures in another order): the second says so
        same = said.setdefault(figure_lead_key(first), n)
        first = _LEAD_OPENING.sub("", first, count=1)
        if n > 1 and a.citations and answers[n - 2].citations and (
                a.citations[0].id == answers[n - 2].citations[0].id):
            # "2. 100 enterprises (100家) by 2025." after a line about the same entry: its title once
            first = _same_entry(first, a.citations[0].title)
        first = first[:1].upper() + first[1:]  # "More than 10,000 enterprises…" (Chinese has no case)
        leads.append(f"{n}. {first}" if same == n else
                     f"{n}. The same as {same}." if lang == "en" else f"{n}. 同第{same}点。")
        if rest.strip() and rest.strip() not in shown:
            shown.add(rest.strip())
            details.append(f"（{n}）{rest.strip()}" if lang != "en" else f"({n}) {rest.strip()}")
    seen: dict[str, Citation] = {}
    for a in answers:
        for c in a.citations:
            seen.setdefault(c.id, c)
    text = "\n".join(leads) + ("\n\n" + "\n\n".join(details) if details else "")
    return Answer(question, text, tuple(seen.values()), refused or all(a.refused for a in answers), lang, standalone,
                  meta={"parts": [a.standalone for a in answers]})
