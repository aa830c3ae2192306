"""`python eval/bench_feedback.py [URL]`: feedback writes per second and add() latency, SQLite and PostgreSQL."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.server.feedback import open_feedback_store  # noqa: E402
from eval.metrics import percentile  # noqa: E402

CITATION = {"id": "2.5.2", "title": "强化知识产权保护", "bureaus": ["市市场监管局", "市法院"]}


def run(store, posts: int, threads: int) -> tuple[list[float], float]:
    """``posts`` adds split over ``threads``: each add's milliseconds, and the wall time in seconds."""
    times: list[float] = []
    lock = threading.Lock()

    def work(n: int):
        for i in range(posts // threads):
            t0 = time.perf_counter()
            store.add(f"bench {n}-{i} 谁负责知识产权保护？", "市市场监管局牵头。", [CITATION], "up", source="api")
            with lock:
                times.append((time.perf_counter() - t0) * 1000)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return times, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default=os.environ.get("ASSISTANT_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL database to write into (default $ASSISTANT_TEST_POSTGRES_URL; "
                             "the rows stay there)")
    parser.add_argument("--posts", type=int, default=400, help="adds per run (default 400)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = [("sqlite", Path(tmp) / "feedback.sqlite3")] + ([("postgresql", args.url)] if args.url else [])
        for name, setting in settings:
            store = open_feedback_store(setting)
            store.status()  # the first connection makes the table (SQLite) or migrates (PostgreSQL): not timed
            for threads in (1, 8):
                times, wall = run(store, args.posts, threads)
                print(f"{name:<10} {threads} thread(s): {len(times) / wall:7.0f} adds/s   add() p50 "
                      f"{percentile(times, 50):6.2f} ms   p95 {percentile(times, 95):6.2f} ms   (n={len(times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
