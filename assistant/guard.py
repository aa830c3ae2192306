"""The grounding guard: an LLM answer is shown only if what it cites exists and what it states is in what it cites.

Pure functions. :func:`check` returns the violations of one answer (an empty list means it may be shown):

* every clause id cited in brackets (``[2.5.2]``, ``【2.5.2】``, ``[2.5.2, 2.5.3]``) exists, and at least one is cited;
* every bureau named — by its full name, a Chinese alias, its English gloss or an English alias that names an
  organisation ("market supervision bureau") — is a responsible bureau of a cited clause, or its words occur
  in a cited clause's text (e.g. 武汉知识产权法院);
* every other government body the answer names (国家知识产权局, 科技部, 省市场监管局, "Patent Office") occurs in a
  cited clause's text: an unknown organisation is treated as invented;
* every number (years included) occurs in a cited clause, after normalising full-width digits and thousands
  separators (``10,000`` = ``10000`` = ``１００００``). List enumerators (``1.`` at the start of a line) and the
  cited ids themselves are not numbers. A figure with a scale word is checked by value: ``10亿元`` may be
  written "1 billion yuan" but not "10 billion yuan". Chinese numerals (三项) and English number words are
  not read, and other conversions (1万 → 10,000) count as violations, which is the safe side.

What the guard cannot see: a wrong statement that uses only grounded names and numbers (a misattributed
measure, an invented qualifier). It bounds the damage a small model can do; it does not prove the answer.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

from .text import Lexicon, find_names, load_lexicon
from .types import Clause

# ----------------------------------------------------------------------------- citations

_BRACKET = re.compile(r"[\[【]([^\[\]【】\n]{0,80})[\]】]")
_ID = re.compile(r"\d+(?:\.\d+)*")


def normalize(text: str) -> str:
    """NFKC: full-width digits, letters and brackets become ASCII (１０，０００ → 10,000)."""
    return unicodedata.normalize("NFKC", text)


def cited_ids(answer_text: str) -> list[str]:
    """Clause ids cited in brackets, in order of first citation, without repeats.

    ``[2.5.2]``, ``【2.5.2】``, ``[2.5.2, 2.5.3]``, ``[2.5.2][2.5.3]`` and ``[条款 2.5.2]`` all cite; a bracket
    without digits (``[注]``) does not.
    """
    out: dict[str, None] = {}
    for m in _BRACKET.finditer(normalize(answer_text)):
        for token in _ID.findall(m.group(1)):
            out.setdefault(token, None)
    return list(out)


def strip_citations(text: str) -> str:
    """The text without its bracketed citations (so that ids are not read as numbers)."""
    return _BRACKET.sub(lambda m: " " if _ID.search(m.group(1)) else m.group(0), normalize(text))


# ----------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ENUMERATOR = re.compile(r"(?m)^\s*(?:[-*•]\s*)?(?:\(\d{1,2}\)|\d{1,2}[.、)](?!\d))")
# A compound answer's pointer to an earlier part ("2. 同第1点。", "2. The same as 1."): a place, not a figure.
_CROSS_REF = re.compile(r"同第\d{1,2}点|\bthe same as \d{1,2}\b", re.I)


def _canonical(number: str) -> str:
    n = number.replace(",", "")
    whole, _, frac = n.partition(".")
    whole = str(int(whole))
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def numbers(text: str) -> list[str]:
    """Every number in ``text``, canonical (``10,000`` → ``10000``, ``1.50`` → ``1.5``), in order, with repeats."""
    return [_canonical(m.group(0)) for m in _NUMBER.finditer(normalize(text))]


_SCALE = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3,
          "trillion": 10**12, "billion": 10**9, "million": 10**6, "thousand": 10**3}
_SCALED = re.compile(r"(?<![\d.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(万亿|亿|万|千|trillion|billion|million|thousand)",
                     re.I)


def scaled_values(text: str) -> list[tuple[str, float]]:
    """Figures with a scale word, as (as written, value): ``10亿`` → 1e9, ``1 billion`` → 1e9, ``5万`` → 5e4."""
    return [(m.group(0), float(m.group(1).replace(",", "")) * _SCALE[m.group(2).lower()])
            for m in _SCALED.finditer(normalize(text))]


def answer_numbers(answer_text: str) -> list[str]:
    """The numbers an answer states: without its citations and its list enumerators."""
    return numbers(_ENUMERATOR.sub(" ", strip_citations(answer_text)))


# ----------------------------------------------------------------------------- bureaus and other bodies

# English aliases that name an organisation; topical ones ("housing", "big data") alone do not name a bureau.
_ORG_WORD = re.compile(r"\b(bureau|commission|department|administration|office|court|institute|committee|"
                       r"ndrc|police)\b", re.I)
_EN_ORG = re.compile(
    r"\b(?:[A-Z][\w'&-]*\s+(?:(?:of|and|for|the|&)\s+)*){1,8}"
    r"(?:Bureau|Commission|Administration|Department|Office|Court|Committee|Institute|Ministry|Agency|"
    r"Authority|Council|Government)s?\b")
_EN_LEAD = re.compile(r"^(?:(?:The|A|An|And|Or|Both|Each|Its|Their|By|With|From|To|In|Under|Responsible|"
                      r"According)\s+)+")
# Chinese endings of government bodies; the exclusions keep 格局/布局/委托/大厅… out.
_ZH_ORG = re.compile(
    r"(?<![格布大结开全当时政邮胜僵骗赌棋饭药])局(?![面势部限促])|管委会|委员会|委(?![托屈婉任派员])|"
    r"(?<![大餐客展舞])厅|办公室|法院|研究院|科学院|政府|"
    r"(?:科技|商务|工信|财政|教育|公安|司法|民政|组织|宣传|统战|自然资源|生态环境|住建|农业农村|交通运输|水利|"
    r"文旅|卫健|人社|发改|外交|国防|审计|应急管理)部")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_ZH_SPLIT = re.compile(r"由|和|与|及|同|是|的|在|为|对|向|从|将|被|请|需|应|等|或|并|让|给|把|负责|牵头|会同|配合|"
                       r"包括|以及|其中|主要|联合|协调|指导|支持|推动|推进|建立|设立|建设|依托|鼓励|通过|加强|开展|"
                       r"强化|落实|组织实施|实施")
_HIGHER = ("国家", "国务院", "中央", "湖北省", "省", "区", "县")
_GENERIC = {"委员会", "管委会", "办公室", "政府", "研究院", "科学院", "法院"}


def _surfaces(lexicon: Lexicon, bureaus: Iterable[str]) -> dict[str, str]:
    """Surface form (lower-cased for Latin) → bureau: names, Chinese aliases, English glosses, org-like aliases."""
    out = {b: b for b in bureaus}
    for alias, full in lexicon.bureau_aliases.items():
        if not alias.isascii():
            out[alias] = full
        elif _ORG_WORD.search(alias):
            out[alias.lower()] = full
    for full, gloss in lexicon.bureau_en.items():
        out[gloss.lower()] = full
    return out


def _zh_bodies(text: str, zh_known: Sequence[str], spans: Sequence[tuple[int, int]] = ()) -> list[tuple[str, bool]]:
    """Chinese government bodies named in ``text``: (name, is_a_plan_bureau_or_alias).

    ``spans`` are the known names already found; an ending inside one (the 委 of 市委组织部) is not a body.
    """
    out = []
    for m in _ZH_ORG.finditer(text):
        if any(s <= m.start() and m.end() < e for s, e in spans):
            continue
        run = _CJK_RUN.search(text[max(0, m.end() - 14):m.end()])
        if not run:
            continue
        window = run.group(0)
        known = next((k for k in zh_known if window.endswith(k)), None)
        if known is not None:
            rest = window[: len(window) - len(known)]
            higher = next((h for h in _HIGHER if rest.endswith(h)), None)
            if higher is not None and not (higher == "市" or rest.endswith(("武汉市", "武汉"))):
                out.append((higher + known, False))  # 省市场监管局 is not 市市场监管局
            else:
                out.append((known, True))
            continue
        piece = _ZH_SPLIT.split(window)[-1]
        if len(piece) >= 2 and piece not in _GENERIC:
            out.append((piece, False))
    return out


def _introduced_bodies(text: str, source: str, zh_known: Sequence[str], en_known: Sequence[str] = ()) -> list[str]:
    """Organisations the answer introduces that the cited clauses never name: 魔法部, 腾讯公司, "Ministry of
    Magic", "Tencent and Huawei" (the patterns and company names are in ``data/rules.json``, ``guard``)."""
    from .rules import load_rules

    g = load_rules().guard
    low_source = source.lower()
    out: list[str] = []
    for ending in g["zh_org_endings"]:
        for m in re.finditer(ending, text):
            run = _CJK_RUN.search(text[max(0, m.start() - 8):m.start()])
            if not run:
                continue
            name = _ZH_SPLIT.split(run.group(0))[-1][-6:] + m.group(0)
            if len(name) < 3 or name in g["zh_generic"] or name in source:
                continue
            if any(name.endswith(k) or k.endswith(name) for k in zh_known):
                continue  # a plan bureau; the known-name check handles it
            out.append(name)
    for pattern in g["en_of_bodies"]:
        out += [m.group(0) for m in re.finditer(pattern, text)
                if m.group(0).lower() not in low_source and not any(m.group(0).lower() in k for k in en_known)]
    for company in g["known_companies"]:
        bounded = rf"(?<![A-Za-z]){re.escape(company)}(?![A-Za-z])" if company.isascii() else re.escape(company)
        if re.search(bounded, text, re.I if company.isascii() else 0) and company.lower() not in low_source:
            out.append(company)
    out = list(dict.fromkeys(out))
    return [n for n in out if not any(n != o and n in o for o in out)]  # 阿里 inside 阿里巴巴集团 is one name


def _en_bodies(text: str) -> list[str]:
    out = []
    for m in _EN_ORG.finditer(text):
        phrase = _EN_LEAD.sub("", m.group(0)).strip()
        if len(phrase.split()) >= 2:
            out.append(phrase)
    return out


def _en_body_bureaus(phrase: str, lexicon: Lexicon) -> set[str]:
    """The plan bureaus an English organisation name can mean (by gloss or by any alias inside it)."""
    low = phrase.lower()
    hits = {full for full, gloss in lexicon.bureau_en.items() if low in gloss.lower() or gloss.lower() in low}
    for alias, full in lexicon.bureau_aliases.items():
        if alias.isascii() and re.search(rf"(?<![a-z]){re.escape(alias.lower())}(?![a-z])", low):
            hits.add(full)
    return hits


# ----------------------------------------------------------------------------- the check

def check(answer_text: str, cited_clauses: Sequence[Clause], all_ids: Iterable[str], *,
          lexicon: Lexicon | None = None, bureaus: Iterable[str] | None = None,
          require_citation: bool = True) -> list[str]:
    """The grounding violations of an answer; empty when it may be shown.

    Args:
        answer_text: the LLM's answer, with its bracketed clause ids.
        cited_clauses: the clauses it cites (those of its ids that exist).
        all_ids: every clause id of the plan.
        lexicon: bureau aliases and English glosses (the bundled lexicon by default).
        bureaus: every bureau the plan lists (the lexicon's by default).
        require_citation: False to check a partial answer that has not cited anything yet.

    Returns:
        One line per violation, e.g. ``unknown clause id [9.9]``, ``bureau 市教育局 is not a responsible bureau
        of the cited clauses``, ``number 2030 does not occur in the cited clauses``.
    """
    lexicon = lexicon or load_lexicon()
    bureaus = list(bureaus) if bureaus is not None else list(lexicon.bureau_en)
    ids = set(all_ids)
    text = normalize(answer_text)
    violations: list[str] = []

    cited = cited_ids(text)
    for i in cited:
        if i not in ids:
            violations.append(f"unknown clause id [{i}]")
    if require_citation and not any(i in ids for i in cited):
        violations.append("the answer cites no clause")

    source = normalize("\n".join(f"{c.title}\n{c.text}" for c in cited_clauses))
    source_low = source.lower()
    responsible = {b for c in cited_clauses for b in c.bureaus}
    body = strip_citations(text)

    seen: set[str] = set()

    def flag(message: str) -> None:
        if message not in seen:
            seen.add(message)
            violations.append(message)

    surfaces = _surfaces(lexicon, bureaus)
    known_found = find_names(body, surfaces)
    for _, _, surface, bureau in known_found:
        if bureau not in responsible and surface.lower() not in source_low:
            flag(f"bureau {bureau} ({surface}) is not a responsible bureau of the cited clauses")

    zh_known = sorted((s for s in surfaces if not s.isascii()), key=len, reverse=True)
    for name, known in _zh_bodies(body, zh_known, [(s, e) for s, e, _, _ in known_found]):
        if not known and name not in source:
            flag(f"organisation {name} does not occur in the cited clauses")

    en_known = [k for k in surfaces if k.isascii()]
    for name in _introduced_bodies(body, source, zh_known, en_known):
        flag(f"organisation {name} does not occur in the cited clauses")

    for phrase in _en_bodies(body):
        meant = _en_body_bureaus(phrase, lexicon)
        if not meant:
            flag(f"organisation {phrase!r} is not a bureau of the plan")
        elif not meant & responsible:
            flag(f"bureau {'/'.join(sorted(meant))} ({phrase}) is not a responsible bureau of the cited clauses")

    # A figure with a scale word is checked by value, so that 10亿元 may be given as "1 billion yuan" but not
    # as "10 billion"; every other number must occur as written.
    allowed = set(numbers(source))
    values = [v for _, v in scaled_values(source)] + [float(n) for n in allowed]
    plain = _CROSS_REF.sub(" ", _ENUMERATOR.sub(" ", strip_citations(text)))
    for written, value in scaled_values(plain):
        if not any(abs(value - v) <= 1e-9 * max(value, v) for v in values):
            flag(f"figure {written!r} does not match any figure of the cited clauses")
    for n in numbers(_SCALED.sub(" ", plain)):
        if n not in allowed:
            flag(f"number {n} does not occur in the cited clauses")
    return violations
