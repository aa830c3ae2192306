"""Thin command line: `python -m assistant build` and `python -m assistant ask "问题" [--json]`."""
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
    return p


def _settings(args):
    return from_env().with_(embedder=args.embedder, index_dir=args.index_dir, source=args.source,
                            llm=getattr(args, "llm", None))


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

