"""Follow-up resolution without an LLM: each turn becomes a standalone question (pure functions)."""
from __future__ import annotations

import re
from typing import Sequence

from .text import find_bureaus

_ZH_REF = re.compile(r"这个|这项|这一项|这条|这一条|这些|这方面|此项|上述|该项|该任务|该条|它们?|其责任|那它|那这|^那|"
                     r"呢[？?]?$|^还有|^另外|也|第[一二三四五六七八九十\d]+[条项个]|具体")
_EN_REF = re.compile(r"\b(it|its|that|this|they|them|those|these|there)\b|^(and|also|what about|how about)\b", re.I)
_SHORT = 6


def is_followup(turn: str, topic_words: int | None = None) -> bool:
    """True when a turn leans on an earlier one.

    Args:
        turn: the turn as typed.
        topic_words: how many topic words (not question words) it has, if known; none means it
            cannot stand alone ("Which bureaus are responsible?").

    Returns:
        True for a pronoun, an ellipsis (那…呢, what about…), a bare fragment or a turn without a topic.
    """
    t = turn.strip()
    if _ZH_REF.search(t) or _EN_REF.search(t) or topic_words == 0:
        return True
    return len(re.sub(r"[\s\W]", "", t)) <= _SHORT


def resolve(turn: str, previous: str, bureaus: Sequence[str], aliases: dict, topic_words=None) -> str:
    """Make ``turn`` standalone given the previous standalone question.

    Args:
        turn: what the user typed now.
        previous: the previous turn, already standalone ('' at the start).
        bureaus: the plan's bureau names (for 那市教育局呢 → the previous question about 市教育局).
        aliases: bureau aliases.
        topic_words: counts a turn's topic words (optional; see :func:`is_followup`).

    Returns:
        The standalone question (``turn`` itself when it needs no context).
    """
    if not previous or not is_followup(turn, topic_words(turn) if topic_words else None):
        return turn
    now = find_bureaus(turn, bureaus, aliases)
    before = find_bureaus(previous, bureaus, aliases)
    if now and before and now[0] != before[0] and len(re.sub(r"[\s\W]", "", turn)) <= 16:
        # 那市教育局呢？ asks the previous question again about another bureau.
        for alias, full in sorted(aliases.items(), key=lambda a: -len(a[0])):
            if full == before[0] and alias in previous and before[0] not in previous:
                return previous.replace(alias, now[0])
        return previous.replace(before[0], now[0])
    return f"{previous} {turn}"


def resolve_conversation(turns: Sequence[str], bureaus: Sequence[str], aliases: dict,
                         topic_words=None) -> list[str]:
    """The standalone form of every turn of a conversation, in order."""
    out: list[str] = []
    for t in turns:
        out.append(resolve(t, out[-1] if out else "", bureaus, aliases, topic_words))
    return out
