"""Thin command line: `python -m assistant build`, `ask "问题" [--json]`, `ingest PATH...` and `docs`."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .settings import from_env

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant",
                                description="Q&A over Wuhan's East Lake High-Tech Zone action plan, with citations.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--embedder", help="use-m3 (default), e5-small, or st:/path/to/sentence-transformers-model")
    common.add_argument("--index-dir", type=Path, help="where the index lives (default: index/)")
    common.add_argument("--source", type=Path, help="the scraped page to parse (default: the bundled copy)")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", parents=[common], help="build the index under index/ (with a progress bar)")
    b.add_argument("--force", action="store_true", help="rebuild even if the stored index is current")
    a = sub.add_parser("ask", parents=[common], help="ask questions; several are successive turns of one conversation")
    a.add_argument("questions", nargs="+", metavar="QUESTION")
    a.add_argument("--json", action="store_true", help="print one results record per turn (shared/EVAL-FORMAT.md)")
    a.add_argument("--llm", choices=["none", "local", "openai"], help="answer composer (default: none = extractive)")
    a.add_argument("--doc", action="append", metavar="TITLE",
                   help="with a corpus index (--index-dir): answer from this document only (title or id; repeatable)")
    v = sub.add_parser("views", parents=[common],
                       help="show the English views of every clause (title, questions, summary); --build writes them")
    v.add_argument("--lang", choices=["en"], default="en", help="the views' language (English)")
    v.add_argument("--build", action="store_true",
                   help="write the missing views with an LLM (resumable), then rebuild the index with them")
    v.add_argument("--force", action="store_true", help="with --build: write every view again")
    v.add_argument("--retry-dropped", action="store_true",
                   help="with --build: translate again the sentences of every clause that had one dropped "
                        "by the checks")
    v.add_argument("--llm", choices=["local", "openai"], default="local",
                   help="with --build: the bundled model (default) or an OpenAI-compatible endpoint")
    v.add_argument("--json", action="store_true", help="print the views as JSON lines")
    from .corpus_cli import add_commands

    add_commands(sub, common)
    return p


def _settings(args):
    return from_env().with_(embedder=args.embedder, index_dir=args.index_dir, source=args.source,
                            llm=getattr(args, "llm", None))


def _corpus(args, settings) -> bool:
    """Whether the index folder holds a corpus index (``ingest``), which ``ask`` then answers from."""
    from .store.corpus import is_corpus_index

    return is_corpus_index(settings.index_dir)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    """Run the CLI.

    Args:
        argv: arguments without the program name (``sys.argv[1:]`` by default).

    Returns:
        0 on success, 2 on bad input or a bad setting.
    """
    args = _parser().parse_args(argv)
    from .pipeline import Assistant, InputError, check_question

    try:
        settings = _settings(args)
    except ValueError as e:
        return _fail(str(e))
    if args.command == "views":
        return _views(args, settings)
    if args.command in ("ingest", "docs", "store") or (args.command == "ask" and _corpus(args, settings)):
        from . import corpus_cli

        return getattr(corpus_cli, f"{args.command}_command")(args, settings)
    if args.command == "ask" and args.doc:
        return _fail(f"--doc needs a corpus index; {settings.index_dir} holds none (python -m assistant ingest)")
    if args.command == "build":
        from .index import load_or_build

        try:
            index = load_or_build(settings, force=args.force)
        except (ValueError, FileNotFoundError) as e:
            return _fail(str(e))
        m = index.manifest
        print(f"index ready in {settings.index_dir}: {m['clauses']} clauses, {m['views']} vectors "
              f"({m['embedder']}, dim {m['dim']}), built {m['built_at']} in {m['build_seconds']} s")
        return 0

    try:
        for i, q in enumerate(args.questions):
            check_question(q, settings.max_question_chars, f"question {i + 1}")
        assistant = Assistant(settings)
    except (ValueError, FileNotFoundError, ImportError) as e:
        return _fail(str(e))
    history: list[str] = []
    for i, q in enumerate(args.questions, 1):
        t0 = time.perf_counter()
        try:
            answer = assistant.ask(q, history)
        except InputError as e:
            return _fail(str(e))
        latency = (time.perf_counter() - t0) * 1e3
        if args.json:
            print(json.dumps(answer.to_record(f"turn-{i}", latency), ensure_ascii=False))
        else:
            if len(args.questions) > 1:
                print(f"\n> {q}")
            print(answer.text)
            for k, c in enumerate(answer.citations, 1):
                print(f"  [{k}] {c.path} {c.title} — 责任单位: {'、'.join(c.bureaus) or '—'}")
        history.append(q)
    return 0



def _views(args, settings) -> int:
    """``python -m assistant views``: print the English views for review, or write them (``--build``)."""
    from .index import _read_page, load_or_build
    from .parser import parse_page
    from .views import current_views, load_views, write_views

    try:
        clauses = parse_page(_read_page(settings))
    except (ValueError, FileNotFoundError) as e:
        return _fail(str(e))
    directory = Path(settings.index_dir)
    if args.build:
        try:
            if args.llm == "openai":
                from .llm import load_openai_chat_model

                model, name = load_openai_chat_model(settings, max_tokens=320), settings.openai_model or "openai"
            else:
                from .llm import load_local_chat_model

                model, name = load_local_chat_model(settings, max_tokens=320), "qwen2.5-coder-1.5b-instruct-q4_k_m"
        except (ValueError, ImportError) as e:
            return _fail(str(e))
        from .index import sections

        figures = write_views(clauses, directory, model, name, headings=list(sections(clauses)), force=args.force,
                              retry_dropped=args.retry_dropped)
        print(f"English views: {figures['written']} written in {figures['seconds']} s "
              f"({figures['tokens']} tokens), {figures['fields_dropped']} fields dropped by the checks; "
              f"{figures['kept']} of {len(clauses)} clauses have one", file=sys.stderr)
        load_or_build(settings)
    views = current_views(clauses, directory)
    stale = len(load_views(directory)) - len(views)
    for c in clauses:
        view = views.get(c.id)
        if args.json:
            record = {"id": c.id, "title_zh": c.title}
            if view:
                record.update(title=view.title, questions=list(view.questions), summary=view.summary,
                              sentences=list(view.sentences), dropped=list(view.dropped))
            print(json.dumps(record, ensure_ascii=False))
            continue
        print(f"[{c.id}] {c.label}")
        if not view:
            print("  (no English view)")
            continue
        print(f"  title:     {view.title or '—'}")
        for q in view.questions:
            print(f"  question:  {q}")
        print(f"  summary:   {view.summary or '—'}")
        for t in view.sentences:
            print(f"  sentence:  {t or '— (dropped by the checks)'}")
        if view.dropped:
            print(f"  dropped:   {'; '.join(view.dropped)}")
    if stale:
        print(f"note: {stale} stored views were written for an earlier text of their clause and are not used",
              file=sys.stderr)
    return 0
