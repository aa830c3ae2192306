"""Store parity: a question set answered over one corpus index through two stores (FAISS and Milvus by default),
with the share of equal first citations and equal refusals, and every question that differs.

    python -m eval.parity --index-dir /tmp/laws24 --a faiss --b milvus-lite:/tmp/laws24.db \
        eval/corpus/questions_laws.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .metrics import percentile


def first_citation(answer) -> str:
    """``《document》clause id`` of the first citation, or ``-`` when none."""
    c = answer.citations[0] if answer.citations else None
    return f"《{c.document}》{c.id}" if c else "-"


def compare(a: list, b: list) -> dict:
    """Agreement of two runs over the same questions (pure): each run is a list of (id, question, first citation,
    refused) in the same order."""
    same_cite = sum(x[2] == y[2] for x, y in zip(a, b))
    same_refusal = sum(x[3] == y[3] for x, y in zip(a, b))
    differ = [(x[0], x[1], x[2], x[3], y[2], y[3]) for x, y in zip(a, b) if x[2] != y[2] or x[3] != y[3]]
    n = len(a)
    return {"questions": n, "same_first_citation": same_cite, "same_refusal": same_refusal,
            "citation_agreement": same_cite / n if n else 1.0, "refusal_agreement": same_refusal / n if n else 1.0,
            "differ": differ}


def run(assistant, questions: list[dict]) -> tuple[list, list[float]]:
    out, ms = [], []
    for q in questions:
        turns = q.get("turns") or [q["question"]]
        t0 = time.perf_counter()
        answer = assistant.ask(turns[-1], turns[:-1])
        ms.append((time.perf_counter() - t0) * 1e3)
        out.append((q.get("id", ""), turns[-1], first_citation(answer), answer.refused))
    return out, ms


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.parity", description=__doc__.split("\n")[0])
    p.add_argument("sets", nargs="+", type=Path, help="question sets (JSON lines with turns or question)")
    p.add_argument("--index-dir", type=Path, required=True, help="the corpus index both stores serve")
    p.add_argument("--a", default="faiss", help="the first store (ASSISTANT_STORE form; default faiss)")
    p.add_argument("--b", required=True, help="the second store, e.g. milvus-lite:/tmp/x.db")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = p.parse_args(argv)

    from assistant.corpus_assistant import CorpusAssistant
    from assistant.embedders import make_embedder
    from assistant.settings import from_env
    from assistant.corpus_assistant import corpus_texts
    from assistant.store.corpus import load_store

    settings = from_env().with_(index_dir=args.index_dir)
    embedder = make_embedder(settings.embedder, 1)
    assistants = {}
    for name in (args.a, args.b):
        store = load_store(args.index_dir, embedder, corpus_texts()["places"], name)
        assistants[name] = CorpusAssistant(settings.with_(store=name), store=store)
    report = {}
    for path in args.sets:
        questions = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        a, ms_a = run(assistants[args.a], questions)
        b, ms_b = run(assistants[args.b], questions)
        r = compare(a, b)
        r["ms_median"] = {args.a: percentile(ms_a, 50), args.b: percentile(ms_b, 50)}
        report[str(path)] = r
        if not args.json:
            print(f"{path}: {r['questions']} questions — same first citation {r['same_first_citation']} "
                  f"({r['citation_agreement']:.1%}), same refusal {r['same_refusal']} ({r['refusal_agreement']:.1%}); "
                  f"median answer {r['ms_median'][args.a]:.0f} ms ({args.a}), {r['ms_median'][args.b]:.0f} ms "
                  f"({args.b})")
            for qid, text, ca, ra, cb, rb in r["differ"]:
                print(f"  {qid} {text}\n    {args.a}: {ca}{' (refused)' if ra else ''}\n"
                      f"    {args.b}: {cb}{' (refused)' if rb else ''}")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
