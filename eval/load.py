"""`python -m eval load`: N clients asking questions for S seconds against a running server on this machine."""
from __future__ import annotations

import threading
import time
from collections import Counter
from ipaddress import ip_address
from typing import Mapping, Sequence
from urllib.parse import urlsplit

from .metrics import percentile

LOOPBACK_NAMES = ("localhost",)


def check_url(url: str) -> str:
    """The server's base URL, which must be on this machine (load is never sent elsewhere).

    Raises:
        ValueError: a URL that is not http(s) or whose host is not a loopback address.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--url must be an http(s) URL such as http://127.0.0.1:7860, not {url!r}")
    host = parts.hostname
    try:
        loopback = host in LOOPBACK_NAMES or ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"--url must point at this machine (127.0.0.1, ::1 or localhost), not {host}")
    return url.rstrip("/")


def run_load(url: str, questions: Sequence[Mapping], clients: int, seconds: float,
             timeout: float = 30.0) -> dict:
    """Each client asks the questions in turn (with their earlier turns as history) until time is up.

    Args:
        url: the server's base URL (checked by :func:`check_url`).
        questions: question-set entries (``turns``).
        clients: concurrent clients (threads, one connection each).
        seconds: how long to send.
        timeout: per-request timeout.

    Returns:
        ``requests``, ``seconds``, ``throughput_rps``, ``p50_ms``, ``p95_ms``, ``p99_ms``, ``by_status``
        (status or error name → count).
    """
    import httpx

    base = check_url(url)
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()

    def client(k: int) -> None:
        with httpx.Client(timeout=timeout) as http:
            i = k
            while time.perf_counter() < stop:
                q = questions[i % len(questions)]
                i += clients
                body = {"question": q["turns"][-1], "history": list(q["turns"][:-1])}
                t0 = time.perf_counter()
                try:
                    status = str(http.post(f"{base}/api/ask", json=body).status_code)
                except httpx.HTTPError as e:
                    status = type(e).__name__
                elapsed = (time.perf_counter() - t0) * 1e3
                with lock:
                    statuses[status] += 1
                    if status == "200":
                        latencies.append(elapsed)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 5)
    wall = time.perf_counter() - t0
    total = sum(statuses.values())
    return {"requests": total, "seconds": round(wall, 1), "throughput_rps": round(total / wall, 1) if wall else 0.0,
            "p50_ms": round(percentile(latencies, 50), 1), "p95_ms": round(percentile(latencies, 95), 1),
            "p99_ms": round(percentile(latencies, 99), 1), "by_status": dict(statuses)}


def load(questions: Mapping[str, Mapping], args) -> int:
    """The CLI: validate, run, print one summary."""
    import sys

    if args.clients < 1 or args.clients > 200:
        print("error: --clients must be between 1 and 200", file=sys.stderr)
        return 2
    if not 0 < args.seconds <= 600:
        print("error: --seconds must be more than 0 and at most 600", file=sys.stderr)
        return 2
    try:
        url = check_url(args.url)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{args.clients} clients x {args.seconds:g} s against {url}/api/ask, {len(questions)} questions "
          f"from {args.mix}", flush=True)
    r = run_load(url, list(questions.values()), args.clients, args.seconds)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["by_status"].items()))
    print(f"requests {r['requests']} in {r['seconds']} s = {r['throughput_rps']} req/s; latency of 200s: "
          f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms; by status: {statuses}")
    return 0
