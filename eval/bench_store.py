"""Store benchmark: one corpus index served by several stores (FAISS, Milvus Lite, a Milvus server): copy time
into each Milvus store, load time, warm answer p50/p95 and first-citation agreement with the first store.

    python -m eval.bench_store --index-dir /tmp/laws-index --store faiss --store milvus-lite:/tmp/laws.db \
        --store milvus://127.0.0.1:19530 --copy --questions eval/corpus/questions_laws.jsonl --limit 40
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from eval.metrics import percentile


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench_store", description=__doc__.split("\n")[0])
    p.add_argument("--index-dir", type=Path, required=True, help="a corpus index (python -m assistant ingest)")
    p.add_argument("--store", action="append", required=True, help="an ASSISTANT_STORE value (repeatable)")
    p.add_argument("--copy", action="store_true", help="copy the index into each Milvus store first (timed)")
    p.add_argument("--questions", type=Path, default=Path("eval/corpus/questions_laws.jsonl"))
    p.add_argument("--limit", type=int, default=40, help="ask the first N questions (bounded)")
    p.add_argument("--repeat", type=int, default=1, help="answer each question this many times")
    args = p.parse_args(argv)

    from assistant.corpus_assistant import CorpusAssistant, corpus_texts
    from assistant.embedders import make_embedder
    from assistant.settings import from_env
    from assistant.store.base import parse_store
    from assistant.store.corpus import load_store, read_manifest
    from assistant.store.transfer import copy_index

    manifest = read_manifest(args.index_dir)
    if manifest is None:
        print(f"error: no corpus index in {args.index_dir}", file=sys.stderr)
        return 2
    rows = [json.loads(x) for x in args.questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    asked = [(r.get("turns") or [r["question"]])[-1] for r in rows][: args.limit]
    print(f"index {args.index_dir}: {len(manifest['documents'])} documents, {manifest['clauses']:,} clauses "
          f"(FAISS {manifest['faiss']}); {len(asked)} questions x {args.repeat}; "
          f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, "
          f"{os.cpu_count()} CPUs")
    settings = from_env().with_(index_dir=args.index_dir)
    embedder = make_embedder(settings.embedder, 1)
    first: list[str] | None = None
    for value in args.store:
        spec = parse_store(value)
        copy_s = None
        if args.copy and spec.kind == "milvus":
            copy_s = copy_index(args.index_dir, spec)["seconds"]
        t = time.perf_counter()
        store = load_store(args.index_dir, embedder, corpus_texts()["places"], value)
        load_s = time.perf_counter() - t
        assistant = CorpusAssistant(settings.with_(store=value), store=store)
        assistant.ask(asked[0])  # warm: jieba, rules, the first BLAS call, the connection
        latencies, cites = [], []
        for q in asked:
            for _ in range(args.repeat):
                t = time.perf_counter()
                answer = assistant.ask(q)
                latencies.append((time.perf_counter() - t) * 1e3)
            cites.append(f"{answer.citations[0].id}{'/refused' if answer.refused else ''}" if answer.citations
                         else "-")
        same = f"; same first citation as {args.store[0]}: {sum(a == b for a, b in zip(first, cites))}/{len(cites)}" \
            if first is not None else ""
        first = first or cites
        print(f"{value}: {'copy ' + format(copy_s, '.1f') + ' s; ' if copy_s is not None else ''}"
              f"load {load_s:.1f} s; warm answer p50 {statistics.median(latencies):.0f} ms, "
              f"p95 {percentile(latencies, 95):.0f} ms{same}")
        sys.stdout.flush()
        store.backend.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
