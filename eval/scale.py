"""`python -m eval scale`: the real server with 1, then N workers on loopback, under `python -m eval load`'s clients."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
MAX_WORKERS = 8  # a benchmark of this machine, not of a cluster
MAX_SECONDS = 300
MAX_CLIENTS = 64
START_TIMEOUT_S = 600  # the full laws index loads in each worker, side by side on the same cores
READY_STREAK = 12  # consecutive ready /healthz on new connections: every worker ready, but 2**-12 by chance
WARM_SECONDS = 5.0


@dataclass(frozen=True)
class Run:
    """One server configuration under load."""

    workers: int
    answers: int  # 200s
    errors: int  # every other status or transport error
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rss_mib: tuple[float, ...]  # per worker process, after the run
    load_before: float  # 1-minute load average just before the run
    server_cores: tuple[float, ...] = ()  # each worker's CPU time during the run / its wall time
    client_cores: float = 0.0  # the load clients' (this process's) CPU time / wall time: they share the machine
    other_cores: float = 0.0  # the rest of the machine's busy CPU during the run: other programs competing

    @property
    def answers_per_s(self) -> float:
        return self.answers / self.seconds if self.seconds else 0.0


def check_args(workers: Sequence[int], clients: int, seconds: float) -> str:
    """'' when the arguments are usable, else the one-line error (pure)."""
    if not workers:
        return "--workers needs at least one count, e.g. --workers 1 2"
    if any(not 1 <= w <= MAX_WORKERS for w in workers):
        return f"--workers counts must be between 1 and {MAX_WORKERS}, not {' '.join(map(str, workers))}"
    if len(set(workers)) != len(workers):
        return f"--workers lists a count twice: {' '.join(map(str, workers))}"
    if not 1 <= clients <= MAX_CLIENTS:
        return f"--clients must be between 1 and {MAX_CLIENTS}, not {clients}"
    if not 0 < seconds <= MAX_SECONDS:
        return f"--seconds must be more than 0 and at most {MAX_SECONDS}, not {seconds:g}"
    return ""


def worker_pids(parent: int, table: Sequence[tuple[int, int, str]]) -> list[int]:
    """The processes that serve requests for the server started as ``parent`` (pure), from (pid, ppid, cmdline)
    rows: uvicorn's spawned workers, or the parent itself when it has none (one worker serves in-process)."""
    spawned = sorted(pid for pid, ppid, cmd in table if ppid == parent and "multiprocessing.spawn" in cmd)
    return spawned or [parent]


def process_table() -> list[tuple[int, int, str]]:
    """(pid, ppid, cmdline) of every process this user can see (Linux /proc)."""
    rows = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:  # it ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
        rows.append((int(entry.name), ppid, cmd))
    return rows


def rss_mib(pid: int) -> float:
    """A process's resident memory (VmRSS), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """A process's user + system CPU time so far, seconds (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the tests' servers take theirs from here too)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def serve(workers: int, environ: Mapping[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``python app.py --workers N`` on a free loopback port, once every worker answers ready (stopped after).

    Raises:
        RuntimeError: when the server exits or is not ready within ``START_TIMEOUT_S`` (with its log's tail).
    """
    import httpx

    port = free_port()
    env = {**os.environ, **environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
                                 "--workers", str(workers), "--log-level", "warning"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, streak = time.time() + START_TIMEOUT_S, 0
        while streak < READY_STREAK:
            if proc.poll() is not None or time.time() > deadline:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
                raise RuntimeError(f"the server with {workers} workers did not get ready:\n{tail}")
            try:
                # a new connection each time: the kernel hands it to any worker, so a streak covers them all
                state = httpx.get(base + "/healthz", timeout=5).json()
                streak = streak + 1 if state.get("assistant") == "ready" else 0
                if state.get("assistant") == "error":
                    raise RuntimeError(f"the server could not load the assistant: {state.get('error')}")
            except httpx.HTTPError:
                streak = 0
            if streak == 0:
                time.sleep(0.5)
        yield base, proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def measure(workers: int, questions: Sequence[Mapping], clients: int, seconds: float, environ: Mapping[str, str],
            log: Path) -> Run:
    """Start the server with ``workers`` workers, warm it, load it for ``seconds``, read each worker's memory."""
    from .load import run_load

    with serve(workers, environ, log) as (base, proc):
        run_load(base, questions, clients, min(WARM_SECONDS, seconds))  # every worker's first answers, not counted
        pids = worker_pids(proc.pid, process_table())
        load_before = os.getloadavg()[0]
        server0, client0, busy0 = [cpu_seconds(p) for p in pids], time.process_time(), machine_busy_seconds()
        t0 = time.perf_counter()
        r = run_load(base, questions, clients, seconds)
        server1, client1, busy1 = [cpu_seconds(p) for p in pids], time.process_time(), machine_busy_seconds()
        wall = time.perf_counter() - t0
        rss = tuple(round(rss_mib(pid), 1) for pid in pids)
    answers = r["by_status"].get("200", 0)
    server = tuple((b - a) / wall for a, b in zip(server0, server1))
    client = (client1 - client0) / wall
    other = max(0.0, (busy1 - busy0) / wall - sum(server) - client)
    return Run(workers, answers, r["requests"] - answers, r["seconds"], r["p50_ms"], r["p95_ms"], r["p99_ms"], rss,
               round(load_before, 2), tuple(round(c, 2) for c in server), round(client, 2), round(other, 2))


def format_report(runs: Sequence[Run], header: str) -> str:
    """The figures as a table, each throughput also as a multiple of the first run's (pure)."""
    lines = [header, f"{'workers':>7}  {'answers/s':>9}  {'x first':>7}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}  "
                     f"{'answers':>7}  {'errors':>6}  {'load avg':>8}  {'CPU cli':>7}  {'CPU oth':>7}  "
                     "CPU per worker (cores)  RSS per worker (MiB)"]
    first = runs[0].answers_per_s if runs else 0.0
    for r in runs:
        ratio = f"{r.answers_per_s / first:.2f}" if first else "-"
        cores = " ".join(f"{c:.2f}" for c in r.server_cores)
        lines.append(f"{r.workers:>7}  {r.answers_per_s:>9.1f}  {ratio:>7}  {r.p50_ms:>7.1f}  {r.p95_ms:>7.1f}  "
                     f"{r.p99_ms:>7.1f}  {r.answers:>7}  {r.errors:>6}  {r.load_before:>8.2f}  {r.client_cores:>7.2f}  "
                     f"{r.other_cores:>7.2f}  {cores:<22}  " + " ".join(f"{m:.0f}" for m in r.rss_mib))
    return "\n".join(lines)


def scale(questions: Mapping[str, Mapping], args) -> int:
    """The CLI: check, then one server per worker count, one after the other; print the table."""
    error = check_args(args.workers, args.clients, args.seconds)
    if not error and args.index_dir is not None and not (args.index_dir / "manifest.json").is_file():
        error = f"no index in {args.index_dir} (python -m assistant ingest PATH --index-dir {args.index_dir})"
    if error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    served = f"corpus index {args.index_dir}" if args.index_dir else "the bundled plan"
    # Extractive answers (no model), no rate limit in the way, a feedback database of its own; settings reach the
    # workers through the environment, as in any deployment.
    environ = {"ASSISTANT_LLM": "none", "ASSISTANT_RATE_LIMIT": "1000000/minute",
               **({"ASSISTANT_INDEX_DIR": str(args.index_dir)} if args.index_dir else {})}
    runs = []
    with tempfile.TemporaryDirectory(prefix="eval-scale-") as tmp:
        environ["ASSISTANT_FEEDBACK_DB"] = str(Path(tmp) / "feedback.sqlite3")
        for n in args.workers:
            print(f"{n} worker(s): starting and warming up ({served})…", file=sys.stderr, flush=True)
            try:
                runs.append(measure(n, list(questions.values()), args.clients, args.seconds, environ,
                                    Path(tmp) / f"server-{n}.log"))
            except RuntimeError as e:
                print(f"error: {e}", file=sys.stderr)
                return 1
            print(format_report(runs[-1:], "").splitlines()[-1], file=sys.stderr, flush=True)
    header = (f"{served}, {len(questions)} questions from {args.questions}, {args.clients} clients x "
              f"{args.seconds:g} s per run, ASSISTANT_LLM=none, {os.cpu_count()} CPUs")
    print(format_report(runs, header))
    return 0
