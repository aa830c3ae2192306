"""Pure scoring of results records against a question set (shared/EVAL-FORMAT.md)."""
from __future__ import annotations

import re
from statistics import median
from typing import Iterable, Mapping, Sequence

PRIMARY_METRIC = "pass_rate"
OUT_OF_SCOPE = "out_of_scope"
OOS_TYPES = ("off_topic", "unanswerable", "instruction")
# what question-set writers also call an on-topic question the documents cannot answer
OOS_ALIASES = {"on_topic_unanswerable": "unanswerable", "on-topic-unanswerable": "unanswerable"}
LEAD_CHARS = 160
# A quoted passage of the original wording.
_QUOTED = re.compile(r"“[^”]*”")


SEP = " > "
NATIONAL = "中华人民共和国"


def names_document(part: str, title: str) -> bool:
    """A gold's document part names this title: the whole title, or it with 中华人民共和国 left out, as laws are
    cited by short name, also inside another title (浙江省实施《献血法》办法 for 浙江省实施《中华人民共和国献血法》办法)
    (pure).

    Not a substring: 北京市实施《中华人民共和国消费者权益保护法》办法 holds the national law's title, and is not it.
    """
    return bool(title) and part in (title, title.replace(NATIONAL, ""))


def gold_document(gold: str) -> str:
    """The document a gold clause string names (``劳动合同法 > 第十九条`` -> ``劳动合同法``), or '' (pure)."""
    return gold.split(SEP, 1)[0].strip() if SEP in gold else ""


def _segments_match(gold: str, citation: Mapping) -> bool:
    """``document > 第十九条`` against ``document > 第二章 … > 第十九条 > title``: the gold's parts in order, the first
    naming the document, each later one inside a later segment (a chapter in between is not named)."""
    parts = [p.strip() for p in gold.split(SEP)]
    if len(parts) < 2 or not names_document(parts[0], citation.get("document") or ""):
        return False
    segments = [*(citation.get("path") or "").split(SEP), citation.get("title") or ""]
    i = 0
    for part in parts[1:]:
        while i < len(segments) and part not in segments[i]:
            i += 1
        if i == len(segments):
            return False
        i += 1
    return True


def clause_matches(gold: str, citation: Mapping) -> bool:
    """A gold clause string matches a citation by id, as a substring of its title, its path or
    ``document > path > title`` (shared/EVAL-FORMAT.md), or as ``document > article`` skipping the chapters."""
    title, path = citation.get("title") or "", citation.get("path") or ""
    if gold == citation.get("id") or gold in title or gold in path:
        return True
    document = citation.get("document") or ""
    return bool(document) and (gold in SEP.join((document, path, title)) or _segments_match(gold, citation))


def document_hit(golds: Sequence[str], citation: Mapping | None) -> bool:
    """Whether a citation is in a document one of the gold clauses names (pure)."""
    if not citation:
        return False
    return any(names_document(gold_document(g), citation.get("document") or "") for g in golds if gold_document(g))


def fact_present(fact: str, text: str) -> bool:
    """A fact is present when any of its ``a|b`` alternatives occurs in the text."""
    return any(alt and alt in text for alt in fact.split("|"))


def rank_of(golds: Sequence[str], citations: Sequence[Mapping], k: int = 10) -> int:
    """1-based rank of the first citation matching any gold clause within the top k; 0 if none."""
    for r, c in enumerate(citations[:k], 1):
        if any(clause_matches(g, c) for g in golds):
            return r
    return 0


def grade(question: Mapping, record: Mapping) -> dict:
    """Grade one answer.

    Args:
        question: a question-set entry.
        record: the system's results record for its last turn.

    Returns:
        Per-check outcomes (``None`` where the question has no gold for a check) and ``passed``.
    """
    oos = question.get("kind") == OUT_OF_SCOPE
    cits = record.get("citations") or []
    text = record.get("answer") or ""
    refused = bool(record.get("refused"))
    g: dict = {"id": question["id"], "kind": question.get("kind", ""), "lang": question.get("lang", ""),
               "out_of_scope": oos, "oos": OOS_ALIASES.get(question.get("oos"), question.get("oos")) if oos else None,
               "refused": refused,
               "rank": None, "hit@1": None, "hit@3": None, "doc@1": None, "all_clauses": None, "bureaus": None, "facts": None,
               "lead": None, "stated_outside_quote": None, "latency_ms": record.get("latency_ms", 0.0)}
    if question.get("clauses"):
        r = rank_of(question["clauses"], cits)
        g.update({"rank": r, "hit@1": r == 1, "hit@3": 0 < r <= 3})
        if any(gold_document(c) for c in question["clauses"]):
            g["doc@1"] = document_hit(question["clauses"], cits[0] if cits else None)
    if question.get("all_clauses"):
        g["all_clauses"] = all(any(clause_matches(gold, c) for c in cits) for gold in question["all_clauses"])
    if question.get("bureaus"):
        g["bureaus"] = all(b in text for b in question["bureaus"])
    if question.get("facts"):
        g["facts"] = all(fact_present(f, text) for f in question["facts"])
    if not oos and (question.get("facts") or question.get("bureaus")):
        head = text[:LEAD_CHARS]
        g["lead"] = (all(fact_present(f, head) for f in question.get("facts") or ())
                     and all(b in head for b in question.get("bureaus") or ()))
    figures = [f for f in question.get("facts") or () if re.search(r"\d", f)]
    if not oos and question.get("lang") == "en" and figures:
        plain = _QUOTED.sub(" ", text)
        g["stated_outside_quote"] = all(fact_present(f, plain) for f in figures)
    if oos:
        g["passed"] = refused
    else:
        checks = [g[k] for k in ("hit@1", "all_clauses", "bureaus", "facts") if g[k] is not None]
        g["passed"] = not refused and all(checks)
    return g


def _rate(values: Iterable) -> float | None:
    vals = [bool(v) for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100): the smallest value with at least p % of the values at or
    below it (numpy's ``inverted_cdf``); 0.0 for no values. The one definition every figure here uses."""
    import numpy as np

    if not len(values):
        return 0.0
    return float(np.percentile(np.asarray(values, dtype=float), p, method="inverted_cdf"))


def aggregate(graded: Sequence[Mapping]) -> dict:
    """One flat dict of metrics over graded answers (rates in 0..1, latencies in ms)."""
    in_scope = [g for g in graded if not g["out_of_scope"]]
    refused = [g for g in graded if g["refused"]]
    ranks = [g["rank"] for g in graded if g["rank"] is not None]
    lat = [float(g["latency_ms"]) for g in graded]
    m = {
        "questions": len(graded),
        "pass_rate": _rate(g["passed"] for g in graded),
        "hit@1": _rate(g["hit@1"] for g in graded),
        "hit@3": _rate(g["hit@3"] for g in graded),
        "doc@1": _rate(g.get("doc@1") for g in graded),
        "mrr@10": sum(1 / r for r in ranks if r) / len(ranks) if ranks else None,
        "all_clauses_recall": _rate(g["all_clauses"] for g in graded),
        "bureau_accuracy": _rate(g["bureaus"] for g in graded),
        "fact_accuracy": _rate(g["facts"] for g in graded),
        "refusal_precision": (sum(g["out_of_scope"] for g in refused) / len(refused)) if refused else None,
        "refusal_recall": _rate(g["refused"] for g in graded if g["out_of_scope"]),
        "in_scope_refused": _rate(g["refused"] for g in in_scope),
        "lead": _rate(g.get("lead") for g in graded),
        "en_stated_outside_quote": _rate(g.get("stated_outside_quote") for g in graded),
        "latency_p50_ms": median(lat) if lat else 0.0,
        "latency_p95_ms": percentile(lat, 95),
    }
    for t in OOS_TYPES:
        m[f"refusal_recall/{t}"] = _rate(g["refused"] for g in graded if g["out_of_scope"] and g.get("oos") == t)
    if any("grounded" in g for g in graded):
        m["ungrounded_answers"] = sum(g.get("grounded") is False for g in graded)
    for kind in sorted({g["kind"] for g in graded}):
        m[f"pass_rate/{kind}"] = _rate(g["passed"] for g in graded if g["kind"] == kind)
        if m["doc@1"] is not None:
            m[f"doc@1/{kind}"] = _rate(g.get("doc@1") for g in graded if g["kind"] == kind)
    return m
