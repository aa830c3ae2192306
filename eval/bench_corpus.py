"""`python -m eval bench --corpus DIR`: ingest a corpus folder and print wall time, clauses, index size, peak RSS,
warm answer latency p50/p95, the approximate index's recall@10, and a question set's metrics beside the baselines."""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.settings import Settings  # noqa: E402
from eval.metrics import percentile  # noqa: E402

QUESTIONS = Path(__file__).resolve().parent / "corpus_questions.tsv"
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/laws"
QUESTION_SET = Path(__file__).resolve().parent / "corpus" / "questions_laws.jsonl"


def questions(path: Path = QUESTIONS) -> list[tuple[str, str]]:
    """(question, a word of the title expected first, '' for one that should be refused)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, _, title = line.partition("\t")
            out.append((q.strip(), title.strip()))
    return out


def disk_size(directory: Path) -> int:
    return sum(f.stat().st_size for f in Path(directory).rglob("*") if f.is_file())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def recall_at_10(store, queries: list[str]) -> float:
    """Mean share of the exact top-10 (brute-force inner product) that the store's FAISS index returns."""
    import faiss
    import numpy as np

    vectors = store.backend.index.reconstruct_n(0, store.backend.index.ntotal)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    q = np.vstack([store.embedder.embed_query(x) for x in queries]).astype(np.float32)
    _, want = exact.search(q, 10)
    _, got = store.backend.index.search(q, 10)
    return float(np.mean([len(set(w) & set(g)) / 10 for w, g in zip(want, got)]))


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The corpus benchmark's options (shared by this script and `python -m eval bench --corpus`)."""
    p.add_argument("--sample", type=int, default=0, help="ingest this many files (random, seeded) instead of all")
    p.add_argument("--index-dir", type=Path, help="keep the index here (default: a temporary folder, removed)")
    p.add_argument("--reuse", action="store_true",
                   help="with --index-dir: measure the index already there (ingest only what changed)")
    p.add_argument("--exact-max", type=int, help="FAISS searches exactly up to this many clauses, HNSW above "
                                                 "(default: the setting, exact_search_max)")
    p.add_argument("--no-baselines", action="store_true", help="the question set's metrics without the baselines")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    p.add_argument("--repeat", type=int, default=3, help="times each question is asked for the latency figures")
    p.add_argument("--questions", type=Path, default=QUESTION_SET, help="the question set to score")
    add_arguments(p)
    return bench(p.parse_args(argv))


def question_set_metrics(assistant, path: Path, baselines_too: bool) -> str:
    """The question set's metrics for the assistant and (unless left out) the corpus baselines, as a table."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from eval.harness import corpus_systems, evaluate
    from eval.questions import load_questions
    from eval.report import CORPUS_TABLE, metrics_table

    questions = load_questions(path)
    _, _, metrics = evaluate(corpus_systems(assistant, baselines_too), questions)
    return f"question set {path} ({len(questions)} questions):\n" + metrics_table(metrics, CORPUS_TABLE)


def bench(args) -> int:
    """Ingest (or reuse) and print the figures; nothing is asserted."""

    from assistant.corpus_assistant import CorpusAssistant, corpus_texts
    from assistant.embedders import make_embedder, make_ranker
    from assistant.ingest.corpus import find_files, ingest
    from assistant.store.corpus import CorpusStore, corpus_tokenizer
    from eval.bench import forget_ranking_queries

    import os
    import platform

    settings = Settings().with_(exact_search_max=args.exact_max, embedder=getattr(args, "embedder", None))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"embedder {settings.embedder}; ranking embedder {settings.ranking_embedder or 'none'} up to "
          f"{settings.corpus_ranking_max:,} clauses")
    files, _ = find_files([args.corpus])
    if not files:
        print(f"error: no documents under {args.corpus}", file=sys.stderr)
        return 2
    if args.sample:
        files = sorted(random.Random(10).sample(files, min(args.sample, len(files))))
    temporary = args.index_dir is None
    if args.index_dir is not None and args.index_dir.exists() and not args.reuse:
        print(f"error: {args.index_dir} exists; add --reuse to measure it, or name a new folder", file=sys.stderr)
        return 2
    directory = args.index_dir or Path(tempfile.mkdtemp(prefix="bench-corpus-")) / "index"
    try:
        embedder = make_embedder(settings.embedder, 1)
        ranker = make_ranker(settings.ranking_embedder, settings.threads)
        tokenize = corpus_tokenizer()
        t0 = time.perf_counter()
        report = ingest(files, directory, embedder, tokenize, exact_max=settings.exact_search_max,
                        log=lambda m: None, ranker=ranker, ranking_max=settings.corpus_ranking_max,
                        passages_max=settings.corpus_passages_max)
        ingest_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        store = CorpusStore(directory, embedder, tokenize, corpus_texts()["places"], ranker=ranker)
        load_s = time.perf_counter() - t1
        assistant = CorpusAssistant(settings.with_(index_dir=directory), store=store)
        asked = questions()
        assistant.ask(asked[0][0])  # warm: jieba, rules, the first BLAS call
        t = time.perf_counter()
        assistant.dictionary()  # CC-CEDICT for the corpus's words, read on the first English question
        print(f"CC-CEDICT for the corpus's vocabulary ({len(store.vocabulary()):,} tokens), built on the first "
              f"English question: {time.perf_counter() - t:.1f} s")
        latencies, hits, expected, refused_right = [], 0, 0, 0
        for q, title in asked:
            for _ in range(args.repeat):
                # (a warm answer to a new question embeds it for the ranking embedder: no cached embedding)
                forget_ranking_queries(store)
                t = time.perf_counter()
                answer = assistant.ask(q)
                latencies.append((time.perf_counter() - t) * 1e3)
            first = answer.citations[0].document if answer.citations and not answer.refused else ""
            if title:
                expected += 1
                hits += title in first
            else:
                refused_right += answer.refused
            print(f"  {q}  ->  {'refused' if answer.refused else ''} 《{first}》"
                  f"{answer.citations[0].path if answer.citations else ''}", file=sys.stderr)
        print(f"corpus: {args.corpus} ({len(files)} files{' sampled' if args.sample else ''})")
        print(f"ingest: {ingest_s:.1f} s wall; {report.documents} documents, {report.clauses:,} clauses "
              f"({report.clauses / max(ingest_s, 1e-9):.0f} clauses/s), {report.passages:,} unseen passages; "
              f"{len(report.errors)} files not ingested; "
              f"ranking vectors: {f'{report.ranking}, {report.ranked:,} clauses' if report.ranking else 'none'}")
        print(f"index: {disk_size(directory) / 2**20:.1f} MiB on disk, FAISS {store.manifest['faiss']}; "
              f"loaded in {load_s:.1f} s; peak RSS {peak_rss_mb():.0f} MiB")
        print(f"warm answer latency over {len(asked)} questions x {args.repeat}: "
              f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")
        print(f"first citation from the expected document: {hits}/{expected}; "
              f"unrelated questions refused: {refused_right}/{len(asked) - expected}")
        if args.questions:
            print(question_set_metrics(assistant, args.questions, not args.no_baselines))
        if store.manifest["faiss"] != "flat":
            rng = random.Random(11)
            snippets = [c.text[:30] for c in rng.sample(store.clauses, 200)]
            print(f"recall@10 of {store.manifest['faiss']} against exact search: "
                  f"{recall_at_10(store, [q for q, _ in asked] + snippets):.3f} "
                  f"({len(asked)} questions + 200 clause openings)")
    finally:
        if temporary:
            shutil.rmtree(directory.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
