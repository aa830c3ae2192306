"""Run systems over a question set, grade them, and write the report; sweep the refusal threshold."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Mapping

from tqdm import tqdm

from assistant.responsibility import responsibility_map

from .metrics import OUT_OF_SCOPE, aggregate, grade, percentile
from .report import CORPUS_TABLE, metrics_table, write_report
from .systems import System, assistant_system, baselines, with_id


# Where the LangChain recipe keeps its chunks' embeddings between runs (a whole corpus takes minutes to embed).
RECIPE_CACHE = Path.home() / ".cache" / "east-lake-assistant" / "recipe"


def _assistant(args):
    from assistant.pipeline import Assistant

    return Assistant(corpus_settings(args).with_(llm=getattr(args, "llm", None)))


def answer_all(name: str, system: System, questions: Mapping[str, Mapping]) -> list[dict]:
    """Run one system over every question (with a progress bar); a rejected question becomes an error record."""
    from assistant.pipeline import InputError
    from assistant.types import Record

    out = []
    for qid, q in tqdm(questions.items(), desc=name, unit="q", file=sys.stderr):
        try:
            rec = system(q["turns"])
        except InputError as e:
            rec = Record("", q["turns"][-1], f"error: {e}", False, (), 0.0).to_dict()
        out.append(with_id(rec, qid))
    return out


def llm_metrics(records: list[dict], clauses_by_id: Mapping) -> dict:
    """Guard and speed figures for a generative composer (empty for the extractive one)."""
    metas = [r.get("meta") or {} for r in records]
    generated = [m for m in metas if "raw_violations" in m]
    if not generated:
        return {}
    from assistant.guard import check

    shown_bad = 0
    for r in records:
        if r.get("mode") not in (None, "extractive"):
            cited = [clauses_by_id[c["id"]] for c in r["citations"] if c["id"] in clauses_by_id]
            shown_bad += bool(check(r["answer"], cited, set(clauses_by_id)))
    ttft = sorted(m["ttft_ms"] for m in generated if m.get("ttft_ms") is not None)
    tps = [m["tokens_per_s"] for m in generated if m.get("tokens_per_s")]
    return {
        "llm_answers": len(generated),
        "guard_raw_violation_rate": sum(bool(m["raw_violations"]) for m in generated) / len(generated),
        "guard_fallbacks": sum(r.get("mode") == "extractive" for r, m in zip(records, metas) if "raw_violations" in m),
        "shown_ungrounded": shown_bad,
        "ttft_p50_ms": percentile(ttft, 50) if ttft else None,
        "tokens_per_s_mean": sum(tps) / len(tps) if tps else None,
    }


def grounding_violations(record: Mapping, question: Mapping, clauses_by_id: Mapping) -> list[str]:
    """What an answer states (bureaus, other bodies, figures) that its cited clauses do not.

    The labels and titles of the cited clauses, the question's own words, and counts of the cited entries
    (an aggregate's "3条") are not statements to check.
    """
    import re

    from assistant.guard import check, strip_citations

    cited = [clauses_by_id[c["id"]] for c in record.get("citations") or [] if c.get("id") in clauses_by_id]
    # Bracketed ids ([2.5.2]) go first, so that removing the labels below cannot cut them into other numbers.
    text = strip_citations(record.get("answer") or "")
    for c in cited:
        for shown in (c.label, c.path, c.title, *c.path.split(" > ")):
            text = text.replace(shown, " ")
    for n in sorted(set(re.findall(r"\d+", question["turns"][-1])), key=len, reverse=True):
        text = re.sub(rf"(?<![\d.,]){n}(?!\d|[.,]\d)", " ", text)  # whole numbers only: 1 is not the 1 of 10亿
    counts = {str(k) for k in range(len(cited) + 1)}
    return [v for v in check(text, cited, clauses_by_id, require_citation=False)
            if not (v.startswith("number ") and v.split()[1] in counts)]


def corpus_settings(args):
    """The settings with ``--index-dir`` / ``ASSISTANT_INDEX_DIR`` and ``--embedder`` applied."""
    from assistant.settings import from_env

    return from_env().with_(embedder=getattr(args, "embedder", None), index_dir=getattr(args, "index_dir", None))


def evaluate(systems: Mapping[str, System], questions: Mapping[str, Mapping]) -> tuple[dict, dict, dict]:
    """Every system over every question: records, graded checks and metrics, each keyed by system name."""
    records, graded, metrics = {}, {}, {}
    for name, system in systems.items():
        records[name] = answer_all(name, system, questions)
        graded[name] = [grade(questions[r["id"]], r) for r in records[name]]
        metrics[name] = aggregate(graded[name])
    return records, graded, metrics


def corpus_systems(assistant, baselines_too: bool = True) -> dict[str, System]:
    """Our corpus assistant and, unless left out, the corpus baselines (bm25-doc, langchain-recipe)."""
    from .systems import corpus_baselines, corpus_system

    systems = {"assistant": corpus_system(assistant)}
    if baselines_too:
        systems.update(corpus_baselines(assistant.store, cache=RECIPE_CACHE))
    return systems


CORPUS_NOTE = ("Baselines run through the same harness: `bm25-doc` is plain jieba BM25 (bm25s) over whole documents "
               "(title and every clause's text), citing the best document's article that scores best by our "
               "clause-level BM25, never refusing; `langchain-recipe` is RecursiveCharacterTextSplitter(500, 50) over "
               "the same files + FAISS with our embedder, top 3, never refuses (each chunk credited to the article of "
               "its own document it overlaps most). `doc@1`: the first citation is in a gold clause's document.")


def run_corpus(questions: Mapping[str, Mapping], args, settings) -> int:
    """``python -m eval run --index-dir DIR`` over a corpus index: our corpus assistant and its baselines."""
    from assistant.corpus_assistant import CorpusAssistant

    t0 = time.perf_counter()
    assistant = CorpusAssistant(settings)
    assistant.dictionary()  # built on the first English question: not that question's latency
    if getattr(args, "llm", None) not in (None, "", "none"):
        print("note: --llm is not used over a corpus index (extractive answers only)", file=sys.stderr)
    systems = corpus_systems(assistant, not args.no_baselines)
    records, graded, metrics = evaluate(systems, questions)
    m = assistant.store.manifest
    notes = [f"Corpus index `{settings.index_dir}`: {len(assistant.store.documents)} documents, {m['clauses']} "
             f"clauses, embedder `{m['embedder']}`, FAISS {m['faiss']}; question set: `{args.questions}`; "
             f"{len(questions)} questions; total run {time.perf_counter() - t0:.0f} s.", CORPUS_NOTE]
    written = write_report(args.out, records["assistant"], metrics, graded["assistant"], questions, notes)
    print(metrics_table(metrics, CORPUS_TABLE))
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


def run(questions: Mapping[str, Mapping], args) -> int:
    """``python -m eval run``: our assistant and the baselines on the same questions (over the plan, or over the
    corpus index that ``--index-dir`` / ``ASSISTANT_INDEX_DIR`` names)."""
    from assistant.store.corpus import is_corpus_index

    if args.limit:
        questions = dict(list(questions.items())[: args.limit])
    settings = corpus_settings(args)
    if is_corpus_index(settings.index_dir):
        return run_corpus(questions, args, settings)
    t0 = time.perf_counter()
    assistant = _assistant(args)
    page = assistant.settings.source.read_text(encoding="utf-8")
    ours = "assistant" if assistant.settings.llm in ("", "none") else f"assistant[{assistant.settings.llm}]"
    systems = {ours: assistant_system(assistant)}
    if not args.no_baselines:
        systems.update(baselines(assistant, page))
    records, graded, metrics = {}, {}, {}
    for name, system in systems.items():
        records[name] = answer_all(name, system, questions)
        graded[name] = [grade(questions[r["id"]], r) for r in records[name]]
        if name == ours:
            for g, r in zip(graded[name], records[name]):
                g["violations"] = grounding_violations(r, questions[r["id"]], assistant.index.by_id)
                g["grounded"] = not g["violations"]
        metrics[name] = aggregate(graded[name])
    metrics[ours].update(llm_metrics(records[ours], assistant.index.by_id))
    notes = [
        f"Embedder: `{assistant.index.manifest['embedder']}`; composer: `{assistant.composer.name}`; "
        f"question set: `{args.questions}`; {len(questions)} questions; total run {time.perf_counter() - t0:.0f} s.",
        "Baselines run through the same harness: `bm25-only` and `dense-only` are our pipeline with retrieval "
        "reduced to that one signal (same composer and refusal rule); `langchain-recipe` is "
        "RecursiveCharacterTextSplitter(500, 50) over the whole scraped page + FAISS, top 3, never refuses "
        "(each chunk is credited to the clause it overlaps most).",
    ]
    written = write_report(args.out, records[ours], metrics, graded[ours], questions, notes,
                           responsibility_map(assistant.index.clauses))
    print(metrics_table(metrics))
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


def calibrate(questions: Mapping[str, Mapping], args) -> int:
    """``python -m eval calibrate``: refusal precision/recall for a sweep of thresholds."""
    assistant = _assistant(args)
    rows = []
    for q in questions.values():
        r = assistant.retrieve(q["turns"][-1], q["turns"][:-1])
        rows.append((q.get("kind") == OUT_OF_SCOPE, r.confidence, assistant.index.scope_rule(r.query), q["id"]))
    print("Questions a rule decides (a named bureau, another city) are counted as the rule says.\n")
    print("| threshold | refusal precision | refusal recall | in-scope refused |\n|---:|---:|---:|---:|")
    for k in range(-10, 41, 2):
        t = k / 100
        refused = [(oos, qid) for oos, conf, rule, qid in rows if (conf < t if rule is None else not rule)]
        oos_total = sum(r[0] for r in rows)
        tp = sum(oos for oos, _ in refused)
        prec = tp / len(refused) if refused else 1.0
        rec = tp / oos_total if oos_total else 1.0
        fp = (len(refused) - tp) / max(1, len(rows) - oos_total)
        print(f"| {t:.2f} | {prec:.3f} | {rec:.3f} | {fp:.3f} |")
    print(f"\ncurrent threshold: {assistant.weights.threshold}")
    worst_in = sorted((conf, qid) for oos, conf, rule, qid in rows if not oos and rule is None)[:8]
    best_out = sorted(((conf, qid) for oos, conf, rule, qid in rows if oos and rule is None), reverse=True)[:8]
    print("lowest in-scope confidences:", ", ".join(f"{q} {c:.3f}" for c, q in worst_in))
    print("highest out-of-scope confidences:", ", ".join(f"{q} {c:.3f}" for c, q in best_out))
    return 0
