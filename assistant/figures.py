"""Figures in a clause: the phrase that states one, and its English wording for an English lead (pure)."""
from __future__ import annotations

import re
import warnings
from typing import Sequence

from .text import PHRASE

_YEAR = re.compile(r"(?:到|至|在|于)?((?:19|20)\d\d)年")
_RATIO = re.compile(r"(?<![\d.])(\d+)\s*[∶:：]\s*(\d+)(?![\d.])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BARE_SCALE = re.compile(r"(万亿|亿|万)[\u4e00-\u9fff]?")
_SCALES = {"万亿": 1e12, "亿": 1e8, "万": 1e4}
_FIGURE = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*(万亿元|亿元|万元|元|万家|家|万人|人|所|个|项|%|％|倍)?")
# 1—2家: a range, one figure (not "1" and "2家")
_RANGE = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*[—–~～-]\s*(\d+(?:\.\d+)?)\s*(万亿元|亿元|万元|元|万家|家|万人|人|所|个|项|%|％|倍)")


# A phrase states a figure with a digit of its own (not one of a name: 5G, T4) or 翻一番.
_STATES_FIGURE = re.compile(r"(?<![A-Za-z\d.])\d(?![\d.]*[A-Za-z])|翻一番|翻番")
# A document's number (国发〔2020〕7号) names the document: its digits state no figure.
DOCUMENT_NUMBER = re.compile(r"[〔\[［]\s*(?:19|20)\d\d\s*[〕\]］]\s*第?\d+\s*号")


def figure_phrases(sentences: Sequence[str], tokens: Sequence[str], limit: int = 2) -> list[str]:
    """The phrases (between commas) that state a figure, those sharing most words with the question first.

    A phrase without its own year gets the year its sentence opens with ("到2025年，…突破10000家").
    """
    scored = []
    order = 0
    for s in sentences:
        opening = _YEAR.search(s)
        for m in PHRASE.finditer(s):
            seg = m.group(0).strip()
            if (not _STATES_FIGURE.search(DOCUMENT_NUMBER.sub("", seg)) or _YEAR.fullmatch(seg.strip())
                    or _only_year(seg)):
                continue
            share = phrase_share(seg, tokens)
            if opening and not _YEAR.search(seg) and opening.start() < m.start():
                seg = f"到{opening.group(1)}年，{seg}" if "到" in opening.group(0) else f"{opening.group(1)}年，{seg}"
            scored.append((-share, order, seg))
            order += 1
    scored.sort()
    return [seg for _, _, seg in scored[:limit]]


def phrase_share(phrase: str, tokens: Sequence[str]) -> float:
    """Share of the question's distinct tokens a phrase holds (pure); a year, which every phrase of a dated
    sentence is given, tells none of them apart."""
    low = phrase.lower()
    words = {t for t in tokens if not re.fullmatch(r"\d+年?", t)}
    return sum(t in low for t in words) / max(1, len(words))


def _only_year(seg: str) -> bool:
    return not re.search(r"\d", _YEAR.sub("", seg)) and not re.search(r"翻一番|翻番", seg)


def _number_en(value: float, scaled: bool = False) -> str:
    """English words for a value; a value scaled from 万/亿 keeps a scale word (200 thousand, not 200,000), so
    it can be checked against the printed figure by value."""
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")) + (((1e3, "thousand"),) if scaled else ()):
        if value >= scale:
            n = value / scale
            return f"{n:g} {word}"
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def figures_zh(question: str, figures: dict) -> list[str]:
    """The Chinese forms of the scaled figures an English question names (pure): "10bn-yuan-level" → 100亿, 百亿
    (the documents print 百亿级); "1.5 million" → 150万. See rules.json figures.english_scales."""
    spec = figures["english_scales"]
    words = "|".join(sorted(map(re.escape, spec["words"]), key=len, reverse=True))
    out = []
    for m in re.finditer(rf"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*({words})\b", question.replace(",", ""), re.I):
        value = float(m.group(1)) * spec["words"][m.group(2).lower()]
        name, scale = next(((n, s) for n, s in spec["chinese"] if value >= s), (None, 0.0))
        if name:
            digits = f"{value / scale:g}"
            out += [f"{digits}{name}"] + ([f"{spec['round'][digits]}{name}"] if digits in spec["round"] else [])
    return out


def sizes_asked(question: str, figures: dict) -> list[str]:
    """The scaled figures a question names, and its counts of two digits or more, as the documents print them
    (pure): "10亿元规模的基金" → 10亿元; "a size of 1 billion yuan" → 10亿, 十亿; "数量达到10000家" → 10000家."""
    said = re.findall(r"\d+(?:\.\d+)?(?:万|亿)+元?|\d{2,}(?:\.\d+)?[元家个所项]", question)
    return list(dict.fromkeys(said + figures_zh(question, figures)))


def figure_en(phrase: str, figures: dict) -> str:
    """``到2025年，…突破10000家`` → ``more than 10,000 enterprises (10000家) by 2025``; '' when it has no figure."""
    parts = []
    ratios = list(_RATIO.finditer(phrase))
    for r in ratios:  # 市区1∶1: one ratio, not two figures
        parts.append(f"a ratio of {r.group(1)}:{r.group(2)} ({r.group(0)})")
    ranges = list(_RANGE.finditer(phrase))
    for r in ranges:
        scale, name = figures["units"][r.group(3)]
        low, high = (_number_en(float(x) * scale, scaled=scale != 1) for x in r.group(1, 2))
        parts.append(f"{low}–{high}{f' {name}' if name else ''} ({r.group(0)})")
    for m in _FIGURE.finditer(phrase):
        if any(r.start() <= m.start() < r.end() for r in (*ratios, *ranges)):
            continue
        raw, unit = m.group(1), m.group(2) or ""
        if _YEAR.match(phrase, m.start()) and not unit:
            continue
        if not unit and phrase[m.start() - 1:m.start()] in "“《\"" and m.start() and _CJK.match(phrase, m.end()):
            continue  # “3551光谷人才计划”: a number in a name, not a quantity
        bare = _BARE_SCALE.match(phrase, m.end()) if not unit else None
        if bare:  # 20万户: a scale word before a counter the units do not list
            unit = bare.group(0)
        if re.fullmatch(r"(19|20)\d\d", raw) and phrase[m.end():m.end() + 1] == "年":
            continue
        scale, name = figures["units"].get(unit) or [_SCALES[bare.group(1)] if bare else 1, ""]
        value = float(raw) * scale
        before = next((en for zh, en in figures["qualifiers_before"].items() if zh in phrase[:m.start()][-4:]), "")
        after = next((en for zh, en in figures["qualifiers_after"].items()
                      if phrase[m.end():m.end() + len(zh)] == zh), "")
        if name == "%":
            text = f"{raw}%"
        else:
            text = _number_en(value, scaled=scale != 1) + (f" {name}" if name else "")
            if value != float(raw) or unit:
                # the figure as printed, so a reader can find it in the quote; a counter with no English noun
                # (个) with what it counts, as printed (1个国家医学中心), for the English says nothing of it
                counted = _COUNTED_AFTER.match(phrase, bare.end() if bare else m.end()) if unit and not name else None
                text += f" ({raw}{unit}{counted.group(0) if counted else ''})"
        parts.append(" ".join(w for w in (before, text, after) if w))
    for zh, en in figures["doubling"].items():
        if zh in phrase:
            parts.append(f"{en} ({zh})")  # as printed, as the figures are
    if not parts:
        return ""
    year = _YEAR.search(phrase)
    when = f" by {year.group(1)}" if year and "到" in year.group(0) else (f" in {year.group(1)}" if year else "")
    return f"{', '.join(parts)}{when}"


# What a counter with no English noun counts, as printed: the Chinese words after it up to the phrase's end.
_COUNTED_AFTER = re.compile(r"[\u4e00-\u9fff]{1,10}(?=[、，,。；;）)]|$)")
_DATE = re.compile(r"(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|(底|初|中旬|上旬|下旬))?")
_DATE_EN = {"底": "the end of {m}", "初": "early {m}", "上旬": "early {m}", "中旬": "mid-{m}", "下旬": "late {m}"}


def date_en(phrase: str, figures: dict) -> str:
    """``每年1月底之前`` → ``the end of January (1月底)``; '' when the phrase names no month."""
    m = _DATE.search(phrase)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return ""
    month = figures["months"][int(m.group(1)) - 1]
    if m.group(2):
        text = f"{month} {int(m.group(2))}"
    else:
        text = _DATE_EN.get(m.group(3) or "", "{m}").format(m=month)
    return f"{text} ({m.group(0)})"


_NUMERAL = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+"


def _numeral_value(numeral: str) -> float | None:
    """The value of a numeral as printed, Arabic or Chinese (二百, 一万五千, 两): cn2an reads the Chinese."""
    if numeral[0].isdigit():
        return float(numeral)
    import cn2an

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cn2an warns of every string it cannot read; None says so here
            return float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def quantities_en(phrase: str, spec: dict) -> str:
    """``处二百元以上二千元以下罚款`` → ``200–2,000 yuan (二百元以上二千元以下)`` (pure): the quantities a law's
    phrase states, in English, each with its Chinese words in brackets; '' when it states none. ``spec``:
    corpus.json "quantities" (units, the words before and after a quantity, range connectors)."""
    units = "|".join(sorted(map(re.escape, spec["units"]), key=len, reverse=True))
    found = []
    for m in re.finditer(rf"(百分之)?({_NUMERAL})\s*({units})?(?!{spec['not_after']})", phrase):
        unit = "%" if m.group(1) else m.group(3)
        before = phrase[m.start() - 1:m.start()] if m.start() else ""
        if before == "第" or (before == "月" and unit in ("日", "天")):
            continue  # 第三十条, 3月15日: an ordinal or a date, no quantity
        if unit == "年" and re.fullmatch(r"(19|20)\d\d", m.group(2)):
            continue  # 2020年: a year
        value = _numeral_value(m.group(2))
        if value is not None:
            found.append((m, unit, value))
    parts, k = [], 0
    while k < len(found) and len(parts) < spec["limit"]:
        m, unit, value = found[k]
        if k + 1 < len(found):
            # X以上Y以下, 三至五倍: two numerals joined by a range connector are one quantity, in the second's unit
            m2, unit2, value2 = found[k + 1]
            between = phrase[m.end():m2.start()]
            closer = spec["range"].get(between)
            # (5000元以上2万元以下: each side in its own scale, one English unit)
            if (closer is not None and unit2 and phrase.startswith(closer, m2.end())
                    and spec["units"][unit or unit2][1] == spec["units"][unit2][1]):
                scale2, name = spec["units"][unit2]
                printed = phrase[m.start():m2.end() + len(closer)]
                low, high = _number_en(value * spec["units"][unit or unit2][0]), _number_en(value2 * scale2)
                parts.append(f"{low}–{high}{'%' if name == '%' else ' ' + name} ({printed})")
                k += 2
                continue
        k += 1
        if not unit:
            continue
        scale, name = spec["units"][unit]
        if value * scale == 1 and name != "%":  # 1 year, 1 person
            name = spec["singular"].get(name, name[:-1] if name.endswith("s") else name)
        amount = f"{_number_en(value * scale)}%" if name == "%" else f"{_number_en(value * scale)} {name}"
        start, end = m.start(), m.end()
        word = next((w for w in sorted(spec["before"], key=len, reverse=True) if phrase.endswith(w, 0, start)), "")
        if word:
            amount, start = spec["before"][word].format(amount), start - len(word)
        after = next((w for w in sorted(spec["after"], key=len, reverse=True) if phrase.startswith(w, end)), "")
        if after:
            amount, end = spec["after"][after].format(amount), end + len(after)
        parts.append(f"{amount} ({phrase[start:end]})")
    return "; ".join(parts)
