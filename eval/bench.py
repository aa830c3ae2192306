"""`python -m eval bench`: cold start, warm latency per stage, index build time, peak memory; English cost with an LLM."""
from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Mapping

from .metrics import percentile

ROOT = Path(__file__).resolve().parent.parent
COLD_QUESTION = "谁负责知识产权保护？"
# The questions an LLM is asked to answer (declines and aggregates never reach it), per language.
LLM_KINDS = {"en": ("english", "followup"), "zh": ("paraphrase", "numeric", "bureau", "followup")}


def _cold_start(embedder: str | None, runs: int = 3) -> tuple[list[float], float]:
    """Wall time from process start to the first printed answer, and the children's peak RSS (MiB)."""
    times = []
    cmd = [sys.executable, "-m", "assistant", "ask", COLD_QUESTION]
    if embedder:
        cmd[3:3] = ["--embedder", embedder]
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            raise RuntimeError(f"cold start failed: {p.stderr.strip()}")
    return times, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def forget_ranking_queries(index) -> None:
    """Empty the ranking embedder's per-text query cache of the plan's index or a corpus store (a warm answer to a
    new question embeds it)."""
    if index.ranking is not None:
        index.ranking[0].cache_clear()


def _row(name: str, values: list[float]) -> str:
    return f"  {name:<10} p50 {percentile(values, 50):7.2f} ms   p95 {percentile(values, 95):7.2f} ms   (n={len(values)})"


def bench(questions: Mapping[str, Mapping], args) -> int:
    """Print the figures; nothing is asserted (these machines are noisy)."""
    from assistant.index import load_or_build
    from assistant.pipeline import Assistant
    from assistant.settings import from_env
    from assistant.views import VIEWS_FILE

    settings = from_env().with_(embedder=args.embedder)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"embedder {settings.embedder}")

    cold, child_rss = _cold_start(args.embedder)
    print(f"cold start (process start -> first answer, `python -m assistant ask`): "
          f"min {min(cold):.2f} s, median {statistics.median(cold):.2f} s over {len(cold)} runs; "
          f"peak RSS {child_rss:.0f} MiB")

    t0 = time.perf_counter()
    assistant = Assistant(settings, progress=False)
    load_s = time.perf_counter() - t0
    index = assistant.index
    stages: dict[str, list[float]] = {k: [] for k in ("analyze", "embed", "retrieve", "compose", "total")}
    turns = [q["turns"] for q in questions.values()]
    assistant.ask(COLD_QUESTION)  # the first embedding loads the model; that belongs to cold start
    t0 = time.perf_counter()
    index.bilingual_terms("incubator")  # CC-CEDICT is read on the first English question
    print(f"CC-CEDICT dictionary for the plan's vocabulary, built on the first English question: "
          f"{time.perf_counter() - t0:.2f} s")
    for _ in range(args.repeat):
        for t in turns:
            # a warm answer to a new question: the ranking embedder's query cache (per text) starts empty
            forget_ranking_queries(index)
            a = time.perf_counter()
            query = index.analyze(assistant.standalone(t[-1], t[:-1]), turn=t[-1], rules=assistant.rules)
            b = time.perf_counter()
            index.embedder.embed_query(query.embed_text)
            c = time.perf_counter()
            r = index.search(query, assistant.weights)
            d = time.perf_counter()
            assistant.composer(t[-1], r, index.clauses)
            e = time.perf_counter()
            stages["analyze"].append((b - a) * 1e3)
            stages["embed"].append((c - b) * 1e3)
            stages["retrieve"].append((d - c) * 1e3)  # includes its own query embedding
            stages["compose"].append((e - d) * 1e3)
            forget_ranking_queries(index)
            f = time.perf_counter()
            assistant.ask(t[-1], t[:-1])
            stages["total"].append((time.perf_counter() - f) * 1e3)
    print(f"index load in-process: {load_s:.2f} s")
    print(f"warm latency per stage over {len(turns)} questions x {args.repeat}:")
    for k, v in stages.items():
        print(_row(k, v))

    with tempfile.TemporaryDirectory() as tmp:
        views = Path(settings.index_dir) / VIEWS_FILE
        if views.exists():  # the English views are an input of the build (written once by an LLM)
            shutil.copy(views, Path(tmp) / VIEWS_FILE)
        t0 = time.perf_counter()
        built = load_or_build(settings.with_(index_dir=Path(tmp)), force=True, progress=False,
                              embedder=index.embedder, log=lambda m: None)
        build_s = time.perf_counter() - t0
    print(f"index build: {build_s:.2f} s for {built.manifest['clauses']} clauses, {built.manifest['views']} views "
          f"+ {built.manifest['negatives']} off-topic examples")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.llm:
        _english_cost(list(questions.values()), settings.with_(llm=args.llm), args.llm_questions, assistant)
    return 0


def _english_cost(questions: list[Mapping], settings, n: int, extractive) -> None:
    """English and Chinese questions answered with the LLM loaded, side by side: what an English question costs more
    (``extractive``: the assistant already loaded, whose index is reused)."""
    from .bench_llm import load_with_llm, pick, time_question

    assistant, load_s = load_with_llm(settings, extractive)
    warm_s = assistant.composer.warm_up()
    print(f"\n{settings.llm} LLM loaded in {load_s:.1f} s, system prompts precomputed in {warm_s:.1f} s; "
          f"load average {os.getloadavg()[0]:.2f}")
    by_id = {c.id: c for c in assistant.index.clauses}
    medians = {}
    for lang, kinds in LLM_KINDS.items():
        chosen = pick([dict(q) for q in questions if q.get("lang") == lang], n, kinds)
        if not chosen:
            print(f"  {lang}: no questions of the kinds {', '.join(kinds)} in the set")
            continue
        rows = [time_question(assistant, q, by_id) for q in chosen]
        totals = [r["total_ms"] / 1e3 for r in rows]
        ttft = [r["ttft_ms"] / 1e3 for r in rows if r["ttft_ms"] is not None]
        medians[lang] = statistics.median(totals)
        print(f"  {lang}: {len(rows)} questions, LLM called for {len(ttft)}; total per question median "
              f"{medians[lang]:.2f} s, p95 {percentile(totals, 95):.2f} s; first token median "
              f"{statistics.median(ttft) if ttft else float('nan'):.2f} s; "
              f"ungrounded answers shown {sum(bool(r['shown_violations']) for r in rows)}")
    if len(medians) == 2:
        more = round(medians["en"] - medians["zh"], 2) + 0.0  # (+ 0.0: a tie prints +0.00, not -0.00)
        print(f"  an English question costs {more:+.2f} s beside a Chinese one (medians)")
