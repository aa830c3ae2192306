"""`python -m eval bench`: cold start, warm latency per stage, index build time and peak memory."""
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
    return 0
