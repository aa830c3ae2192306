"""`python -m eval run|bench|load|scale|calibrate`: score the assistant and its baselines, time it, or load a server."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m eval", description="Evaluate the East Lake plan assistant.")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="answer a question set, grade it, write results, metrics and a report")
    r.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    r.add_argument("--out", type=Path, required=True, help="folder for results.jsonl, metrics.json, report.md")
    r.add_argument("--llm", choices=["none", "local", "openai"], help="composer to evaluate (default none)")
    r.add_argument("--embedder", help="use-m3 (default), e5-small or st:/path")
    r.add_argument("--index-dir", type=Path, help="a corpus index (python -m assistant ingest) to evaluate instead "
                                                  "of the plan (default: ASSISTANT_INDEX_DIR)")
    r.add_argument("--no-baselines", action="store_true", help="skip the three baselines")
    r.add_argument("--limit", type=int, help="only the first N questions")
    b = sub.add_parser("bench", help="cold start, warm latency per stage, build time, peak memory; with --corpus: "
                                     "ingest a corpus and score a question set beside the baselines")
    b.add_argument("--repeat", type=int, help="passes over the question set for warm latency (default 5; 3 for a "
                                              "corpus)")
    b.add_argument("--questions", type=Path, help="default eval/questions.jsonl; with --corpus "
                                                  "eval/corpus/questions_laws.jsonl")
    b.add_argument("--embedder", help="use-m3 (default), e5-small or st:/path")
    b.add_argument("--corpus", type=Path, metavar="DIR", help="a folder of documents to ingest and measure")
    b.add_argument("--llm", choices=["local", "openai"], help="also time English beside Chinese questions answered "
                                                              "with this LLM loaded (not with --corpus)")
    b.add_argument("--llm-questions", type=int, default=10, metavar="N",
                   help="with --llm: N English and N Chinese questions (default 10 each)")
    from .bench_corpus import add_arguments

    add_arguments(b)
    ld = sub.add_parser("load", help="N clients asking for S seconds against a server on this machine")
    ld.add_argument("--url", default="http://127.0.0.1:7860", help="the server (loopback only)")
    ld.add_argument("--clients", type=int, default=20, help="concurrent clients (1-200)")
    ld.add_argument("--seconds", type=float, default=60.0, help="how long to send (at most 600)")
    ld.add_argument("--mix", type=Path, default=Path("eval/questions.jsonl"), help="question set to send")
    sc = sub.add_parser("scale", help="start the server with 1, then N workers on this machine and load each "
                                      "(throughput, p50/p95, errors, memory per worker)")
    sc.add_argument("--index-dir", type=Path, help="a corpus index to serve (default: the bundled plan)")
    sc.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                    help="worker counts to run, in turn (default 1 2)")
    sc.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    sc.add_argument("--seconds", type=float, default=30.0, help="how long each run sends (default 30, at most 300)")
    sc.add_argument("--questions", type=Path, help="question set to send (default eval/corpus/questions_laws.jsonl "
                                                   "with --index-dir, else eval/questions.jsonl)")
    c = sub.add_parser("calibrate", help="sweep the refusal threshold over the question set")
    c.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    c.add_argument("--embedder", help="use-m3 (default), e5-small or st:/path")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .questions import QuestionSetError, load_questions

    if args.command == "bench" and args.corpus is not None and args.llm:
        print("error: --llm times the bundled plan's answers; leave out --corpus", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "bench" and args.llm and args.llm_questions < 1:
        print("error: --llm-questions must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "bench" and args.corpus is not None:
        from .bench_corpus import QUESTION_SET, bench as bench_corpus

        args.questions = args.questions or QUESTION_SET
        args.repeat = args.repeat or 3
        try:
            load_questions(args.questions)
        except QuestionSetError as e:
            print(f"error: {e}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return bench_corpus(args)
    if args.command == "bench":
        args.questions = args.questions or Path("eval/questions.jsonl")
        args.repeat = args.repeat or 5
    if args.command == "scale":
        args.questions = args.questions or Path("eval/corpus/questions_laws.jsonl" if args.index_dir
                                                else "eval/questions.jsonl")
    try:
        questions = load_questions(args.mix if args.command == "load" else args.questions)
    except QuestionSetError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.command == "run":
        if args.limit is not None and args.limit < 1:
            print("error: --limit must be at least 1", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.out.exists() and not args.out.is_dir():
            print(f"error: --out {args.out} exists and is not a folder", file=sys.stderr)
            return EXIT_BAD_INPUT
        if args.index_dir is not None and not (args.index_dir / "manifest.json").is_file():
            # never build the plan's index into a mistyped folder
            print(f"error: no index in {args.index_dir} (python -m assistant ingest PATH --index-dir "
                  f"{args.index_dir})", file=sys.stderr)
            return EXIT_BAD_INPUT
        from .harness import run

        return run(questions, args)
    if args.command == "load":
        from .load import load

        return load(questions, args)
    if args.command == "scale":
        from .scale import scale

        return scale(questions, args)
    if args.command == "bench":
        from .bench import bench

        return bench(questions, args)
    from .harness import calibrate

    return calibrate(questions, args)


if __name__ == "__main__":
    sys.exit(main())
