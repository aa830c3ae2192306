"""Numeric conditions (病假超过两个月的, 工作年限不满十年的) read as ranges, and whether a question's figures meet them."""

from __future__ import annotations

import dataclasses
import math
import re

from assistant.text import cn_number

# (a number as the documents and askers write it: 12, 十二, 两, 半 — 半年 is six months)
_NUMBER = r"\d+|[零〇一二两三四五六七八九十百]+|半"


@dataclasses.dataclass(frozen=True)
class Range:
    """A figure's range in one unit: ``low``–``high``, each end closed or open."""

    unit: str
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def meets(self, other: Range) -> bool:
        """Whether the two ranges share a value (the unit is the caller's to match)."""
        if self.low > other.high or other.low > self.high:
            return False
        if self.low == other.high and (self.low_open or other.high_open):
            return False
        return not (other.low == self.high and (other.low_open or self.high_open))


@dataclasses.dataclass(frozen=True)
class Conditions:
    """``corpus.json``'s "conditions": the units a condition is counted in and the words that bound it."""

    units: dict[str, str]  # a unit as written → the unit compared (个月 → 月)
    patterns: tuple[tuple[re.Pattern, str], ...]  # a bounded figure, and which end(s) it sets
    point: re.Pattern  # a figure said as a fact (干了5年, 请了4个月假)
    not_point: re.Pattern  # … but asked (几个月) or a date or ordinal (第七个月, 2015年)

    def ranges(self, text: str, points: bool = False) -> list[Range]:
        """The ranges a text's bounded figures state (``points``: its plain figures too, as one-value ranges)."""
        out, taken = [], []
        for pattern, kind in self.patterns:
            for m in pattern.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                out.append(self._range(m, kind))
        if points:
            for m in self.point.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken) or self.not_point.search(
                        text[max(0, m.start() - 2):m.end() + 1]):
                    continue
                taken.append((m.start(), m.end()))
                value, unit = self._value(m.group("n"), m.group("u"))
                out.append(Range(unit, value, value))
        return out

    def _value(self, number: str, unit: str) -> tuple[float, str]:
        unit = self.units.get(unit, unit)
        if number == "半":  # 半年: six months
            return (6.0, "月") if unit == "年" else (0.5, unit)
        return float(cn_number(number)), unit

    def _range(self, m: re.Match, kind: str) -> Range:
        value, unit = self._value(m.group("n"), m.group("u"))
        if kind == "between":
            low, _ = self._value(m.group("a"), m.group("u"))
            return Range(unit, low, value)
        if kind in ("at_most", "below"):
            return Range(unit, 0.0, value, high_open=kind == "below")
        return Range(unit, value, math.inf, low_open=kind == "above")  # above, at_least


def fit(question: list[Range], stated: list[Range]) -> tuple[int, bool]:
    """How many of a text's stated ranges are in a unit the question gives figures in, and whether in one of those
    units none of them is met by the question's figures (pure): an article stating alternatives (满一年不足五年的…；
    满五年不足十年的…) is met by 七年 through one of them."""
    shared, missed = 0, False
    for unit in dict.fromkeys(s.unit for s in stated):
        asked = [q for q in question if q.unit == unit]
        ranges = [s for s in stated if s.unit == unit]
        if asked:
            shared += len(ranges)
            missed = missed or not any(q.meets(s) for q in asked for s in ranges)
    return shared, missed


def load_conditions(spec: dict) -> Conditions:
    """``corpus.json``'s "conditions" compiled (:class:`Conditions`)."""
    unit = f"(?P<u>{spec['unit']})"
    number = f"(?P<n>{_NUMBER})"
    patterns = tuple((re.compile(p.replace("{n}", number).replace("{a}", f"(?P<a>{_NUMBER})")
                                 .replace("{u}", unit)), kind)
                     for kind, ps in spec["bounds"].items() if not kind.startswith("_") for p in ps)
    return Conditions(spec["units"], patterns, re.compile(f"{number}{unit}"), re.compile(spec["not_point"]))
