"""Text helpers: language, sentences, the bilingual lexicon and the jieba tokenizer."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

DATA = Path(__file__).parent / "data"

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")
_SENTENCE = re.compile(r"[^。；!?！？]+[。；!?！？]?")
# A phrase: the text between commas, colons and sentence ends (where a figure and what it counts sit together).
PHRASE = re.compile(r"[^，,；;：:。！？]+")
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_WORD = re.compile(r"[a-z0-9][a-z0-9&\-]*")

# Words that carry the question's form, not its topic; they would only add noise to BM25.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 等 有 吗 呢 吧 啊 哪 哪些 哪个 什么 怎么 怎样 如何 多少 几 谁 请问 请 我 我们 你 "
    "想 要 能 可以 会 对 对于 关于 方面 这个 那个 这 那 它 其 该 此 一下 一些 里 中 上 下 为 把 被 给 让 "
    "吗？ ？ ? 。 ， , 、 ： : ； ; （ ） ( ) “ ” \" ' ! ！ 有没有 是否 哪里 哪儿 具体 主要 相关 方案 行动方案 "
    "负责 部门 单位 责任 责任单位 牵头 说 提到 规定 提出 支持 东湖 高新区 东湖高新区 武汉 光谷 "
    "公司 企业 我们 一个 没有 有没有 不能 能不能 不是 是不是 出来 自己 地方 一次 第一 几个 这些 那些 这边 那边 "
    "到底 什么样 打算 的话 然后 一下 可以 需要 应该 现在 以后 已经 还是 或者 就是 这样 那样 怎么办 行不行 "
    "哪几 哪几个 时候 东西 "
    "吗 么 呀 哦 嘛 也 都 还 再 又 很 太 更 最 多 少 大 小 好 会 能 让 "
    "the a an of to in on for and or is are was were be by with what which who whom how does do did "
    "about plan say says said any there this that it its they their them i we you my our can will "
    "would should much many tell me please responsible bureau bureaus department departments".split()
)


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _reading() -> tuple[re.Pattern, dict, re.Pattern, re.Pattern, dict]:
    """rules.json's "colloquial" words (Chinese, English) and "language_request" patterns, read once (the question is
    normalised before any Rules object exists, and rules.py imports this module)."""
    raw = json.loads((DATA / "rules.json").read_text(encoding="utf-8"))
    words = {k: v for k, v in raw["colloquial"].items() if not k.startswith("_")}
    english = {k: v for k, v in raw["colloquial_en"].items() if not k.startswith("_")}
    request = re.compile("|".join(f"(?:{p})" for p in raw["language_request"]["patterns"]), re.I)
    return (re.compile("|".join(map(re.escape, words))), words, request,
            re.compile(r"\b(?:" + "|".join(map(re.escape, english)) + r")\b", re.I), english)


def _written_en(word: str, english: dict) -> str:
    """An English word typed without its apostrophe as written, in the case it was typed (Whats → What's)."""
    written = english[word.lower()]
    return written.upper() if word.isupper() else written[0].upper() + written[1:] if word[0].isupper() else written


def normalize_question(text: str) -> str:
    """What the assistant reads of a question: full-width forms as ASCII (ＡＩ，１０ → AI,10), invisible
    characters removed, traditional characters as simplified (知識產權 → 知识产权), spoken words as written
    (啥时候 → 什么时候, Whats → What's: ``rules.json`` "colloquial", "colloquial_en"), a request for the answer's language left out ("Sorry,
    could you answer in English — and who is responsible?"), so that every rule and index sees one form."""
    import unicodedata

    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    spoken, written, request, spoken_en, written_en = _reading()
    text = request.sub("", text).strip() or text
    text = spoken_en.sub(lambda m: _written_en(m.group(0), written_en), text)
    if not _CJK.search(text):
        return text
    return spoken.sub(lambda m: written[m.group(0)], _t2s().convert(text))


def detect_lang(text: str) -> str:
    """``en`` when Latin letters outnumber CJK characters and, if there are any CJK characters, some Latin word is
    lower-case: a Chinese sentence naming products or acronyms ("EDA工具用Cadence还是Synopsys比较好?") has only
    capitalised words, an English one has its grammar's ("what does 光谷合伙人 mean?")."""
    if len(_LATIN.findall(text)) <= len(_CJK.findall(text)):
        return "zh"
    return "en" if not _CJK.search(text) or _LOWER_WORD.search(text) else "zh"


def split_sentences(text: str) -> list[str]:
    """Split Chinese text into sentences at 。；!? keeping the punctuation."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" 。；")]


def is_title_sentence(sentence: str, title: str) -> bool:
    """Whether a sentence is the clause's title said as a sentence of its own (an outline entry's heading, shown as
    its title) (pure)."""
    return sentence.rstrip("。") == title


class _Reading(NamedTuple):
    """What a question says as a whole, read once for every mention of a place in it (:meth:`Lexicon.elsewhere`)."""

    home: bool  # it names the zone's own places
    plan_named: bool  # it names the plan or the zone in general words
    compares: bool  # it compares at all
    zone_compared: bool  # the zone is the yardstick another place is compared with


class Compared(NamedTuple):
    """``lexicon.json``'s compared, compiled: what makes a place compared with the zone."""

    before: re.Pattern  # right before the place (跟苏州比, "versus Shenzhen")
    asks: re.Pattern  # anywhere in the question: it compares at all
    zone_before: re.Pattern  # right before the zone's own name: the zone is the yardstick (合肥比光谷)
    zone_after: re.Pattern  # right after it (…和武汉比哪个高)


@dataclass(frozen=True)
class Lexicon:
    """The curated bilingual lexicon in ``data/lexicon.json``."""

    bureau_en: dict
    bureau_aliases: dict
    titles_en: dict
    terms_en: dict
    terms_zh: dict
    off_topic: tuple
    other_places: tuple
    other_districts: tuple = ()
    verb_context: re.Pattern | None = None  # "we land a": the word between is a verb, not the thing it names
    asker: tuple | None = None  # (before a place, after it): the place is the asker's own ("Singapore family office")
    owned: re.Pattern | None = None  # after a district: a document of its own (洪山区的…方案), whatever else is named
    compared: Compared | None = None  # what makes a place compared with the zone
    home: tuple = ()  # the zone's own place names: a place named beside one is not what is asked about
    home_plan: tuple = ()  # the plan or the zone in general words: likewise, unless the question compares
    acquired_abroad: re.Pattern | None = None  # right before a place: the asker's acquisition target sits there
    home_zone: tuple = ()  # the zone's own names, not its city's: beside one, another district is where it lies

    def bureau_gloss(self, name: str) -> str:
        """``市科技局 (Municipal Science and Technology Bureau)``, or the name alone if unknown."""
        en = self.bureau_en.get(name)
        return f"{name} ({en})" if en else name

    def title_en(self, title: str) -> str:
        return self.titles_en.get(title, "")

    def expand_zh(self, text: str) -> list[str]:
        """The plan's own terms for everyday Chinese words in ``text`` (开公司 → 创办, 市场主体...)."""
        return [t for word, terms in self.terms_zh.items() if word in text for t in terms]

    def elsewhere(self, text: str, plan_text: str) -> str:
        """A place outside the plan's reach that ``text`` asks about ('' if none, or if it also names the zone or the
        plan: the lexicon's ``home``, unless it compares the two).

        A place inside a phrase the plan itself prints (北京大学, 中关村先行先试) does not count.
        """
        low = text.lower()
        zone = _names_any(low, self.home_zone)
        plan_low = plan_text.lower()
        for district in self.other_districts:  # another district of Wuhan (武汉经开区): naming Wuhan is no exemption
            at = low.find(district)
            # naming the zone too exempts it ("光谷在洪山区…"), unless the district's own plan is asked about
            # ("洪山区的行动方案有哪些指标？跟光谷的比一下")
            if at >= 0 and district not in plan_low and (
                    not zone or (self.owned and self.owned.match(low[at + len(district):]))):
                return district
        home = _names_any(low, self.home)
        compares = bool(self.compared and self.compared.asks.search(low))
        if home and not compares:
            return ""
        # "Does Hefei offer more than Optics Valley?": the zone is what the other place is compared with, so that
        # other place, wherever it stands, is what is asked about
        zone_compared = compares and any(
            self.compared.zone_before.search(low[:m.start()]) or self.compared.zone_after.match(low[m.end():])
            for w in self.home for m in re.finditer(re.escape(w), low))
        reading = _Reading(home, _names_any(low, self.home_plan), compares, zone_compared)
        for place in self.other_places:
            # every mention: "刚从深圳搬来，跟深圳比…" is where the asker comes from, then what is compared
            bounded = rf"(?<![a-z]){re.escape(place)}(?![a-z])" if place.isascii() else re.escape(place)
            for at in (m.start() for m in re.finditer(bounded, low)):
                if self._asks_of(low, plan_text, place, at, reading):
                    return place
        return ""

    def _asks_of(self, low: str, plan_text: str, place: str, at: int, reading: _Reading) -> bool:
        """Whether the mention of ``place`` at ``at`` in ``low`` is what the question asks about."""
        if not place.isascii() and low[at:at + len(place) + 2] in plan_text:
            return False
        if re.search(r"(从|来自|离开|回)\s*$", low[max(0, at - 3):at]) or re.search(r"\bfrom\s+$", low[:at]):
            return False  # "刚从深圳过来": where the asker comes from, not what the question is about
        if self.asker and (self.asker[0].search(low[:at]) or self.asker[1].match(low[at + len(place):])):
            return False  # "Singapore family office: …", 我们是新加坡的…: who asks, not what the question is about
        if self.acquired_abroad and self.acquired_abroad.search(low[:at]):
            return False  # 收购一家德国小公司: where the asker's target sits (outbound M&A), not that place's policy
        owned = bool(self.owned and self.owned.match(low[at + len(place):]))
        if reading.plan_named and not reading.compares and not owned:
            return False  # "想问方案里…", "does the plan…": the plan is asked about, unless this place's own 方案 is
        # asked of, unless Wuhan is named and this place is not what it is compared with
        return not reading.home or reading.zone_compared or bool(self.compared.before.search(low[:at]))

    def translate_terms(self, text: str, one_word: bool | None = None) -> list[str]:
        """Chinese key terms for the English phrases found in ``text`` (longest phrases first); with ``one_word``
        True only those of one-word phrases, False only those of longer ones."""
        longer, words = self.phrase_terms(text)
        return words if one_word else longer if one_word is False else [t for pair in (longer, words) for t in pair]

    def phrase_terms(self, text: str) -> tuple[list[str], list[str]]:
        """Chinese key terms for the English phrases found in ``text``, longest phrases first: those of phrases of
        several words, and those of one-word phrases (a longer phrase claims its words: "land quota" is not also
        "land")."""
        # a hyphen joins the words of a phrase either way: "equity-incentive fund", "high tech enterprises"
        low = f" {_HYPHEN.sub(' ', text.lower())} "
        longer: list[str] = []
        words: list[str] = []
        for key in sorted(self.terms_en, key=len, reverse=True):
            phrase = _HYPHEN.sub(" ", key)
            if " " not in phrase and self.verb_context is not None and self.verb_context.search(
                    low.replace(f" {phrase}s ", f" {phrase} ").replace(f" {phrase} ", " \x00 ")):
                continue  # "if we land a project": land is done, not named
            if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", low):
                (longer if " " in phrase else words).extend(self.terms_en[key])
                low = low.replace(phrase, " ")
        return longer, words


# Fewer sentences than this do not tell which words are common (the corpus judges a few cited articles alone).
COMMON_MIN_SENTENCES = 50
# A phrase the question and the documents share names a particular thing when few sentences hold it.
NAMED_SHARE = 0.05
NAMED_MIN_CHARS = 4


@lru_cache(maxsize=8)
def _sentences_lower(document: str) -> tuple[str, ...]:
    return tuple(x.lower() for x in split_sentences(document))


@lru_cache(maxsize=4096)
def sentence_share(document: str, token: str) -> float:
    """Share of the documents' sentences holding the token (0 for fewer than ``COMMON_MIN_SENTENCES``)."""
    sentences = _sentences_lower(document)
    if len(sentences) < COMMON_MIN_SENTENCES:
        return 0.0
    t = token.lower()
    return sum(t in x for x in sentences) / len(sentences)


# Quotation marks inside a name (光谷“合伙人”引导基金) do not part its words.
_QUOTES = re.compile(r"[“”‘’\"'「」『』]")


@lru_cache(maxsize=4)
def unquoted(text: str) -> str:
    """The documents' text without quotation marks (cached: it is passed on every question)."""
    return _QUOTES.sub("", text)


_BOOK_TITLE = re.compile(r"《([^《》]{2,40})》")


def other_documents(text: str, documents: str, titles: Iterable[str]) -> list[str]:
    """Titles in 《》 that ``text`` names and the documents neither are nor print (《论语》, another city's plan):
    a question about such a document is not about these. A shortened own title (《行动方案》) is one of them."""
    return [t for t in _BOOK_TITLE.findall(text)
            if t not in documents and not any(t in own or own in t for own in titles)]


def names_phrase(text: str, phrase: tuple[str, ...]) -> bool:
    """The text names the phrase: printed whole, or every word of it (研发经费投入 names 研发投入; quotation marks
    aside)."""
    text = _QUOTES.sub("", text)  # a clause or a sentence: not worth a cache entry
    return "".join(phrase) in text or all(w in text for w in phrase)


def named_phrases(text: str, words: Iterable[str], document: str) -> tuple[tuple[str, ...], ...]:
    """The documents' own names in a question: runs of its words, adjacent in the question and printed together
    in the documents (创业资助, 大学科技园, 合伙人引导基金 for 光谷“合伙人”引导基金), of ``NAMED_MIN_CHARS`` characters or more and held by few
    sentences. Each phrase is returned as its words.

    They name a particular thing: a clause that prints one is about what was asked (retrieval), and a detail
    stated in a clause that names none of them is another thing's — 揭榜挂帅's 单个项目最高资助3000万元 is not the
    创业资助 per firm (answerability)."""
    text, document = unquoted(text), unquoted(document)
    ordered = sorted(set(words), key=len, reverse=True)
    found, pos = [], 0
    while pos < len(text):
        run, end = (), pos
        while True:  # extend the run by the longest word that follows it
            nxt = next((w for w in ordered if text.startswith(w, end) and "".join(run) + w in document), None)
            if not nxt:
                break
            run, end = run + (nxt,), end + len(nxt)
        if len("".join(run)) >= NAMED_MIN_CHARS and sentence_share(document, "".join(run)) < NAMED_SHARE:
            found.append(run)
        pos = end if run else pos + 1
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    return Lexicon(raw["bureau_en"], raw["bureau_aliases"], raw["titles_en"], raw["terms_en"],
                   {k: v for k, v in raw["terms_zh"].items() if not k.startswith("_")},
                   tuple(x for x in raw["off_topic"] if not x.startswith("_about")),
                   tuple(x for x in raw["other_places"] if not x.startswith("_about")),
                   tuple(x.lower() for x in raw.get("other_districts", ()) if not x.startswith("_about")),
                   _verb_context(raw.get("verb_context")), _asker(raw.get("asker_organisations")),
                   re.compile(raw["district_owns"]["pattern"]) if "district_owns" in raw else None,
                   _compared(raw.get("compared")), home=tuple(raw["home"]["places"]),
                   home_plan=tuple(raw["home"]["plan"]), home_zone=tuple(raw["home"]["zone"]),
                   acquired_abroad=re.compile(raw["acquired_abroad"]["before"], re.I))


def _names_any(low: str, words: Iterable[str]) -> bool:
    """Whether lower-cased ``low`` names one of ``words`` (a Latin one as whole words: "the plan", not "the planned")."""
    return any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) if w.isascii() else w in low for w in words)


def _compared(spec: dict | None) -> Compared | None:
    """``lexicon.json``'s compared: what right before a place, what anywhere, and what right before or after the zone's
    own name makes that place compared with the zone."""
    return Compared(*(re.compile(spec[k], re.I) for k in Compared._fields)) if spec else None


def _asker(spec: dict | None) -> tuple | None:
    """``lexicon.json``'s asker_organisations: what before a place, and what after it, makes it the asker's."""
    return (re.compile(spec["zh_before"]), re.compile(spec["en_after"], re.I)) if spec else None


def _verb_context(spec: dict | None) -> re.Pattern | None:
    """``lexicon.json``'s verb_context as one pattern around a placeholder for the word (None when absent)."""
    if not spec:
        return None
    return re.compile(rf"(?<![a-z])(?:{spec['before']}s?) \x00 (?:{spec['after']})(?![a-z])")


def lexicon_hash() -> str:
    import hashlib

    return hashlib.sha256((DATA / "lexicon.json").read_bytes()).hexdigest()[:16]


def find_names(text: str, surfaces: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping mentions of known names in ``text``, longest name first, in text order.

    Args:
        text: any text.
        surfaces: surface form (lower-case for Latin, which must match whole words) -> what it names.

    Returns:
        (start, end, the surface as written, what it names) per mention.
    """
    low = text.lower()
    taken: list[tuple[int, int]] = []
    found = []
    for name in sorted(surfaces, key=len, reverse=True):
        start = low.find(name)
        while start >= 0:
            end = start + len(name)
            bounded = not name.isascii() or ((start == 0 or not low[start - 1].isalnum())
                                             and (end == len(low) or not low[end].isalnum()))
            if bounded and not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, end, text[start:end], surfaces[name]))
            start = low.find(name, end)
    return sorted(found)


def find_bureaus(text: str, bureaus: Iterable[str], aliases: dict) -> tuple[str, ...]:
    """Bureaus named in ``text``, by full name or alias, in order of first mention.

    Args:
        text: a question.
        bureaus: the plan's bureau names.
        aliases: alias (Chinese short name or English phrase) to full name.

    Returns:
        Full bureau names, without repeats.
    """
    from .ingest.structure import load_structure  # here: ingest.structure imports this module

    bureaus = tuple(bureaus)
    names = field_names(bureaus) | {b: b for b in bureaus} | {a.lower(): b for a, b in aliases.items()}
    levels = tuple(load_structure()["bureau_forms"].get("other_levels", ()))
    # 我在区财政局对账: the district's bureau, not 市财政局 (its name without its place follows another level's)
    return tuple(dict.fromkeys(b for start, _, said, b in find_names(text, names)
                               if said == b or not text[:start].endswith(levels)))


@lru_cache(maxsize=8)
def field_names(bureaus: tuple[str, ...]) -> dict[str, str]:
    """What askers call each bureau by its name without its place (生态环境局 -> 市生态环境局) or by its field
    (税务部门 -> 市税务局), by ``structure.json``'s "bureau_forms"; a field two bureaus share names neither (pure)."""
    from .ingest.structure import load_structure  # here: ingest.structure imports this module

    forms = load_structure()["bureau_forms"]
    fields: dict[str, set] = {}
    short: dict[str, str] = {}
    for b in bureaus:
        core = b
        for p in forms["prefixes"]:  # longest first in the file: 市委 before 市
            if core.startswith(p):
                core = core[len(p):]
                break
        stem = core
        for s in forms["suffixes"]:
            if core.endswith(s):
                core = core[: -len(s)]
                break
        if len(core) >= 2 and core != b:
            fields.setdefault(core, set()).add(b)
        if stem != b and len(stem) >= 3:
            short[stem] = b  # 生态环境局, 卫健委: the name without its place
    return short | {f"{core}{g}": next(iter(owners)) for core, owners in fields.items() if len(owners) == 1
                    for g in forms["generic"]}




def content_tokens(tokens: Iterable[str]) -> list[str]:
    """Drop stopwords, punctuation and lone characters that are not digits."""
    return [t for t in tokens if t.strip() and t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def make_jieba_tokenizer(user_words: Iterable[str], cache_dir: Path | None = None) -> "JiebaTokenizer":
    """A jieba search-mode tokenizer that knows the plan's bureau names and key terms.

    Args:
        user_words: words jieba must keep whole (bureaus, titles' key terms).
        cache_dir: where jieba keeps its prefix-dictionary cache (saves ~1 s on later starts).

    Returns:
        A callable from text to lower-cased tokens; English words come through whole.
    """
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tk.tmp_dir = str(cache_dir)
        except OSError:
            pass  # a read-only index folder: jieba keeps its cache in the system's temporary folder
    for w in user_words:
        tk.add_word(w, freq=20000)
    return JiebaTokenizer(tk)


class JiebaTokenizer:
    """Text to lower-cased jieba search-mode tokens (English words come through whole), and the dictionary's
    word frequencies (a span jieba knows as a common word is not a typo)."""

    def __init__(self, tk):
        self._tk = tk

    def __call__(self, text: str) -> list[str]:
        return [t.strip().lower() for t in self._tk.lcut_for_search(text) if t.strip()]

    def frequency(self, word: str) -> int:
        return int(self._tk.FREQ.get(word) or 0)

    def words(self, text: str) -> list[str]:
        """jieba's precise segmentation (each character once, in order)."""
        return self._tk.lcut(text)


def english_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# Chinese numerals as documents number their parts and lists (第二百二十四条, 第十二项, 一〇五).
_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(token: str) -> int:
    """``二百二十四`` -> 224, ``十`` -> 10, ``一〇五`` -> 105, ``12`` -> 12."""
    if token.isdigit():
        return int(token)
    if not any(c in _CN_UNITS for c in token):
        return int("".join(str(_CN_DIGITS[c]) for c in token))
    total, digit = 0, 0
    for char in token:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = _CN_DIGITS[char]
    return total + digit
