"""Homophone typos (增涨 for 增长, 知识产全 for 知识产权): a span the documents never print, read as the word they do."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Spans of 2–4 characters: the length of almost every term a typo hides in. A span must keep at least this share of
# the word's characters, so a typo is one slip, not a different word that happens to sound alike (市长/市场).
MIN_SAME = 0.5
# A span jieba's dictionary counts at least this often is a word of its own (一下 is not a slip for 以下).
COMMON = 100
# A character counted this often is a word of grammar (是, 在, 有, 的, 我): written as meant, not a slip (我是 is no
# 我市); 一 (一院 for 医院) is counted less.
GRAMMAR = 300_000


@lru_cache(maxsize=4096)
def _sound(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL)[0]


def sounds(word: str) -> str:
    """A Chinese word's toneless pinyin run together (张江 → zhangjiang), as an English text spells its name."""
    return "".join(_sound(ch) for ch in word)


@dataclass(frozen=True)
class Homophones:
    """The documents' words by their toneless pinyin, and the text they must not already contain."""

    by_sound: dict  # ("zeng", "zhang") -> "增长" (sounds shared by two words are left out: ambiguous)
    text: str
    frequency: Callable[[str], int] = lambda word: 0  # how common a word is in general Chinese (jieba's dictionary)
    words: Callable[[str], list[str]] = list  # the question's segmentation (one character a word by default)

    def correct(self, question: str) -> str:
        """The question with every span the documents never print replaced by their word that sounds the same."""
        out = question
        for run in _HAN.findall(question):
            found = []
            # A slip breaks its word into pieces jieba cannot join: a span must be made of whole pieces, one of
            # them a lone character or an unknown word (落户|积分 are two words, not a slip for 户籍).
            pieces = self.words(run)
            bounds, at = {0}, 0
            for w in pieces:
                at += len(w)
                bounds.add(at)
            broken = [False] * len(run)
            at = 0
            for w in pieces:
                if len(w) == 1 or self.frequency(w) < COMMON:
                    broken[at:at + len(w)] = [True] * len(w)
                at += len(w)
            for n in (4, 3, 2):  # longer spans first: 知识产全 is one slip, not 负责知 + 产全
                for i in range(len(run) - n + 1):
                    span = run[i:i + n]
                    if i not in bounds or i + n not in bounds or not any(broken[i:i + n]):
                        continue
                    if span in self.text or self.frequency(span) >= COMMON:
                        continue
                    word = self.by_sound.get(tuple(_sound(ch) for ch in span))
                    if word and self._slip(run, i, word):
                        found.append((i, n, word))
            taken = [False] * len(run)
            for i, n, word in found:
                if not any(taken[i:i + n]):
                    taken[i:i + n] = [True] * n
                    out = out.replace(run[i:i + n], word, 1)
        return out

    def _slip(self, run: str, i: int, word: str) -> bool:
        """The span differs from ``word`` by a slip: most characters shared, no differing character a word of
        grammar (我是 is not 我市), and none part of a word the documents print with its neighbour outside the span
        (负责知|识 is 负责 + 知识, not 负责制)."""
        n = len(word)
        if sum(a == b for a, b in zip(run[i:i + n], word)) / n < MIN_SAME:
            return False
        for p in range(i, i + n):
            if run[p] == word[p - i]:
                continue
            if self.frequency(run[p]) >= GRAMMAR:
                return False
            if (p == i + n - 1 and run[p:p + 2] in self.text and p + 1 < len(run)) or \
                    (p == i and p > 0 and run[p - 1:p + 1] in self.text):
                return False
        return True


def build(words: Iterable[str], text: str, frequency: Callable[[str], int] = lambda word: 0,
          segment: Callable[[str], list[str]] = list) -> Homophones:
    """The homophone map of the documents' vocabulary (jieba tokens of 2–4 Chinese characters)."""
    by_sound: dict[tuple, str | None] = {}
    for w in sorted(set(words)):
        if 2 <= len(w) <= 4 and _HAN.fullmatch(w):
            key = tuple(_sound(ch) for ch in w)
            by_sound[key] = w if by_sound.get(key, w) == w else None
    return Homophones({k: v for k, v in by_sound.items() if v}, text, frequency, segment)
