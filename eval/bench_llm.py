"""Benchmark the generative mode: time to first token, tokens/s, total time, guard violations.

    python eval/bench_llm.py                      # 15 questions (3 each of bureau/numeric/paraphrase/english/followup)
    python eval/bench_llm.py --llm openai -n 30   # any configured LLM; more questions
    python eval/bench_llm.py --json bench.json    # also write the per-question records

Per question it asks through ``Assistant.ask_stream`` (the conversation's earlier turns as history) and reports
the model's time to first token (``ttft``), the time to the first piece shown after the guard (``first``),
generation speed, total time, prompt tokens (all, and reused from the KV cache), the share of the cores the
process got (``cpu``: another busy process on two cores halves the speed), and the guard's verdict.
The summary gives the raw violation rate (LLM answers the guard rejected) and the number of ungrounded answers
shown, recomputed here from the shown text (it must be 0). The load average is printed too: on two shared
cores another busy process halves the speed.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant import guard  # noqa: E402
from assistant.generate import make_composer  # noqa: E402
from assistant.pipeline import Assistant  # noqa: E402
from assistant.settings import Settings, from_env  # noqa: E402
from assistant.types import Answer  # noqa: E402
from eval.metrics import percentile  # noqa: E402

KINDS = ("bureau", "numeric", "paraphrase", "english", "followup")


def pick(questions: list[dict], n: int, kinds: tuple[str, ...] = KINDS) -> list[dict]:
    """``n`` questions spread evenly over ``kinds`` (every k-th of each kind, so not only the first ones)."""
    by_kind = {k: [q for q in questions if q.get("kind") == k] for k in kinds}
    by_kind = {k: v for k, v in by_kind.items() if v}
    per = max(1, -(-n // max(1, len(by_kind))))
    out: list[dict] = []
    for k, qs in by_kind.items():
        step = max(1, len(qs) // per)
        out.extend(qs[::step][:per])
    return out[:n]


def _fmt(v, digits: int = 0) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def load_with_llm(settings: Settings, base: Assistant | None = None) -> tuple[Assistant, float]:
    """The assistant answering through ``settings.llm`` (on ``base``'s index when one is loaded already), and the
    seconds it took; its system prompts are not precomputed yet (``composer.warm_up()``)."""
    t0 = time.perf_counter()
    base = base or Assistant(settings, progress=False)
    composer = make_composer(settings, base.extractive)
    return Assistant(settings, index=base.index, composer=composer, progress=False), time.perf_counter() - t0


def time_question(assistant: Assistant, q: dict, by_id: dict) -> dict:
    """Ask one question (its earlier turns as history) through ``ask_stream``; the timings and the guard's verdict."""
    turns = q["turns"]
    t = time.perf_counter()
    cpu = time.process_time()
    answer: Answer | None = None
    for item in assistant.ask_stream(turns[-1], turns[:-1]):
        if isinstance(item, Answer):
            answer = item
    total_ms = (time.perf_counter() - t) * 1e3
    # Share of the machine this process got: ~100 % when llama.cpp has both cores to itself.
    cpu_share = (time.process_time() - cpu) / (total_ms / 1e3 * (os.cpu_count() or 1))
    m = answer.meta
    shown_violations = []
    if answer.mode != "extractive":
        cited = [by_id[c.id] for c in answer.citations if c.id in by_id]
        shown_violations = guard.check(answer.text, cited, by_id)
    gold = q.get("clauses") or []
    first_ok = (not gold or bool(answer.citations) and any(
        g == answer.citations[0].id or g in answer.citations[0].title or g in answer.citations[0].path
        for g in gold))
    return {"id": q["id"], "kind": q.get("kind"), "lang": q.get("lang"), "question": turns[-1],
            "mode": answer.mode, "llm": m.get("llm"), "ttft_ms": m.get("ttft_ms"),
            "first_piece_ms": m.get("first_chunk_ms"), "tokens": m.get("tokens"),
            "tokens_per_s": m.get("tokens_per_s"), "llm_ms": m.get("llm_ms"), "total_ms": round(total_ms, 1),
            "prompt_tokens": m.get("prompt_tokens"), "cached_tokens": m.get("cached_tokens"),
            "raw_violations": m.get("raw_violations", []), "shown_violations": shown_violations,
            "cpu_share": round(cpu_share, 2), "first_citation_ok": first_ok,
            "bureaus_ok": all(b in answer.text for b in q.get("bureaus") or []),
            "llm_text": m.get("llm_text"), "answer": answer.text}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    ap.add_argument("-n", type=int, default=15, help="how many questions (default 15)")
    ap.add_argument("--llm", default=None, help="local (default) or openai; ASSISTANT_LLM is read too")
    ap.add_argument("--no-warm", action="store_true", help="do not precompute the system prompts first")
    ap.add_argument("--json", type=Path, default=None, help="write per-question records here")
    args = ap.parse_args(argv)

    settings = from_env(Settings())
    settings = settings.with_(llm=args.llm or (settings.llm if settings.llm != "none" else "local"))
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    chosen = pick(questions, args.n)

    print(f"load average before: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    assistant, load_s = load_with_llm(settings)
    print(f"assistant + {settings.llm} model loaded in {load_s:.1f} s")
    if not args.no_warm:
        print(f"system prompts precomputed in {assistant.composer.warm_up():.1f} s")

    by_id = {c.id: c for c in assistant.index.clauses}
    rows = []
    print(f"\n{'id':<24} {'kind':<10} {'mode':<10} {'ttft':>6} {'first':>6} {'tok':>4} {'tok/s':>6} {'total':>7} "
          f"{'prompt':>6} {'cached':>6} {'cpu':>4}  guard")
    for q in chosen:
        row = time_question(assistant, q, by_id)
        rows.append(row)
        verdict = "ok" if not row["raw_violations"] else "REJECTED: " + "; ".join(row["raw_violations"])
        if (row["llm"] or "").startswith("skipped"):
            verdict = row["llm"]
        print(f"{q['id'][:24]:<24} {str(q.get('kind'))[:10]:<10} {row['mode']:<10} {_fmt(row['ttft_ms']):>6} "
              f"{_fmt(row['first_piece_ms']):>6} {row['tokens'] or 0:>4} {_fmt(row['tokens_per_s'], 1):>6} "
              f"{row['total_ms']:>7.0f} {row['prompt_tokens'] or '-':>6} {row['cached_tokens'] or '-':>6} "
              f"{row['cpu_share']:>4.0%}  {verdict}")

    called = [r for r in rows if r["ttft_ms"] is not None]
    ttft = [r["ttft_ms"] for r in called]
    first = [r["first_piece_ms"] for r in called if r["first_piece_ms"] is not None]
    tps = [r["tokens_per_s"] for r in called if r["tokens_per_s"]]
    totals = [r["total_ms"] for r in called]
    rejected = [r for r in called if r["raw_violations"]]
    ungrounded = [r for r in rows if r["shown_violations"]]
    print(f"\nload average after: {os.getloadavg()[0]:.2f}; cpu = share of the {os.cpu_count()} cores this process "
          f"got (below ~80 % another process was competing)")
    print(f"questions: {len(rows)}, LLM called: {len(called)}, shown as {settings.llm}: "
          f"{sum(r['mode'] != 'extractive' for r in rows)}")
    if called:
        print(f"time to first token (ms): median {statistics.median(ttft):.0f}, p90 {percentile(ttft, 90):.0f}, "
              f"max {max(ttft):.0f}")
        if first:
            print(f"first guarded piece shown (ms): median {statistics.median(first):.0f}, max {max(first):.0f}")
        if tps:
            print(f"generation: median {statistics.median(tps):.1f} tokens/s")
        print(f"total per question (ms): median {statistics.median(totals):.0f}, max {max(totals):.0f}")
        print(f"raw guard violations: {len(rejected)}/{len(called)} = {len(rejected) / len(called):.0%} "
              f"(these were shown as the extractive answer)")
    print(f"first citation matches gold: {sum(r['first_citation_ok'] for r in rows)}/{len(rows)}, "
          f"gold bureaus named: {sum(r['bureaus_ok'] for r in rows)}/{len(rows)}")
    print(f"ungrounded answers shown: {len(ungrounded)}")
    if args.json:
        args.json.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        print(f"records written to {args.json}")
    return 1 if ungrounded else 0


if __name__ == "__main__":
    sys.exit(main())
