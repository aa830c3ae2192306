"""The corpus commands of the CLI: `ingest PATH...`, `docs`, and `ask` over a corpus index (`--index-dir`)."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from .settings import ROOT

# Where `ingest` and `docs` keep the corpus index when neither --index-dir nor ASSISTANT_INDEX_DIR names one
# (never index/, which holds the bundled plan's index).
DEFAULT_CORPUS_DIR = ROOT / "corpus_index"
EXIT_BAD_INPUT = 2


def add_commands(sub, common) -> None:
    """The `ingest` and `docs` subcommands, and `ask --doc`."""
    i = sub.add_parser("ingest", parents=[common],
                       help="add files and folders (txt/md/html/docx/pdf, recursive) to a corpus index; "
                            "unchanged files are skipped")
    i.add_argument("paths", nargs="+", metavar="PATH")
    i.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    i.add_argument("--quiet", action="store_true", help="no progress bars")
    sub.add_parser("docs", parents=[common], help="list the documents of a corpus index: title, clauses, date")
    s = sub.add_parser("store", parents=[common], help="copy a corpus index into a Milvus store (docs/store.md)")
    s.add_argument("action", choices=["copy"], help="copy: every clause, its vectors as ingested (no embedding)")
    s.add_argument("--quiet", action="store_true", help="no progress")
    s.add_argument("--to", required=True, metavar="STORE",
                   help="milvus-lite:PATH.db, milvus://HOST:PORT or https://HOST:PORT (as ASSISTANT_STORE)")


def corpus_dir(args, settings) -> Path:
    """--index-dir, else ASSISTANT_INDEX_DIR, else ``corpus_index/``."""
    if args.index_dir is not None or os.environ.get("ASSISTANT_INDEX_DIR"):
        return Path(settings.index_dir)
    return DEFAULT_CORPUS_DIR


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def ingest_command(args, settings) -> int:
    """Exit 0 when every file was ingested (or unchanged), 1 when some could not be (each named on an
    ``error: <file>: <reason>`` line; the rest are in the index), 2 when nothing could be done."""
    from .embedders import make_embedder, make_ranker
    from .ingest.corpus import check_index_dir, ingest
    from .store.corpus import corpus_tokenizer

    directory = corpus_dir(args, settings)
    try:
        check_index_dir(directory)
        # One BLAS thread: the other core tokenises for BM25 meanwhile, and two BLAS threads slow to a crawl when
        # another process holds a core (measured 270 texts/s with one thread, 40-90 with two, on a loaded machine).
        embedder = make_embedder(settings.embedder, 1)
        # (the ranking embedder runs after the tokens are done: both cores)
        ranker = make_ranker(settings.ranking_embedder, settings.threads)
    except ValueError as e:
        return _fail(str(e))
    report = ingest(args.paths, directory, embedder, corpus_tokenizer(), prune=args.prune,
                    exact_max=settings.exact_search_max, progress=not args.quiet, ranker=ranker,
                    ranking_max=settings.corpus_ranking_max, passages_max=settings.corpus_passages_max)
    if report.files == 0:
        return _fail(f"no .txt/.md/.html/.docx/.pdf file in {' '.join(map(str, args.paths))}")
    if report.documents == 0:
        return _fail(f"nothing ingested into {directory}")
    print(f"{directory}: {report.documents} documents, {report.clauses} clauses — added {len(report.added)}, "
          f"replaced {len(report.replaced)}, unchanged {report.unchanged}, removed {len(report.removed)}, "
          f"failed {len(report.errors)}; embedded {report.embedded} clauses and {report.passages} passages"
          + (f" (ranking: {report.ranking}, {report.ranked} clauses)" if report.ranking else
             f" (no ranking embedder: over {settings.corpus_ranking_max} clauses)" if ranker is not None else "")
          + f" in {report.seconds:.1f} s")
    from .store.base import parse_store

    spec = parse_store(settings.store)
    if spec.kind == "milvus":
        from .store.transfer import sync_index

        try:
            done = sync_index(directory, spec, [*report.added, *report.replaced], report.removed)
        except ValueError as e:
            return _fail(f"{e} (the folder is ingested; fill the store: python -m assistant store copy "
                         f"--index-dir {directory} --to {settings.store})")
        print(f"{spec.uri} [{done['collection']}]: {done['clauses']} clauses in {done['seconds']:.1f} s")
    return report.status


def store_command(args, settings) -> int:
    """`store copy --to STORE`: the corpus index's clauses and vectors into a Milvus collection, not embedded again."""
    from .store.base import parse_store
    from .store.transfer import copy_index

    directory = corpus_dir(args, settings)
    try:
        spec = parse_store(args.to)
        done = copy_index(directory, spec, None if args.quiet else
                          lambda n, total: print(f"\r{n:,}/{total:,} clauses", end="", file=sys.stderr))
    except (ValueError, FileNotFoundError) as e:
        return _fail(str(e).replace("ASSISTANT_STORE", "--to"))
    if not args.quiet:
        print(file=sys.stderr)
    print(f"{spec.uri} [{done['collection']}]: {done['documents']} documents, {done['clauses']} clauses from "
          f"{directory} in {done['seconds']:.1f} s (use it: ASSISTANT_STORE={args.to} --index-dir {directory})")
    return 0


def docs_command(args, settings) -> int:
    from .store.corpus import read_manifest

    directory = corpus_dir(args, settings)
    manifest = read_manifest(directory)
    if manifest is None:
        return _fail(f"no corpus index in {directory} (run: python -m assistant ingest PATH --index-dir {directory})")
    documents = manifest["documents"]
    for d in documents:
        print(f"{d['title']}\t{d['clauses']} clauses\t{d['date'] or '—'}\t{d['id']}")
    ranking = f", ranking {manifest['ranking_embedder']}" if manifest.get("ranking_embedder") else ""
    print(f"{len(documents)} documents, {manifest['clauses']} clauses ({manifest['embedder']}{ranking}, "
          f"{manifest['faiss']} search), built {manifest['built_at']}", file=sys.stderr)
    return 0


def ask_command(args, settings) -> int:
    """`ask` over a corpus index: one answer per question, citing 《document》 and clause."""
    from .corpus_assistant import CorpusAssistant
    from .pipeline import InputError, check_question

    try:
        for i, q in enumerate(args.questions):
            check_question(q, settings.max_question_chars, f"question {i + 1}")
        assistant = CorpusAssistant(settings, documents=args.doc or ())
    except (ValueError, FileNotFoundError, ImportError) as e:
        return _fail(str(e))
    history: list[dict] = []  # several questions are one conversation, as over the plan
    for i, q in enumerate(args.questions, 1):
        t0 = time.perf_counter()
        try:
            answer = assistant.ask(q, history)
        except InputError as e:
            return _fail(str(e))
        history.append({"question": q, "citations": [c.id for c in answer.citations]})
        latency = (time.perf_counter() - t0) * 1e3
        if args.json:
            print(json.dumps(answer.to_record(f"turn-{i}", latency), ensure_ascii=False))
            continue
        if len(args.questions) > 1:
            print(f"\n> {q}")
        print(answer.text)
        for k, c in enumerate(answer.citations, 1):
            who = f" — 责任单位: {'、'.join(c.bureaus)}" if c.bureaus else ""
            print(f"  [{k}] 《{c.document}》{assistant.store.by_id[c.id].label}{who}")
    return 0
