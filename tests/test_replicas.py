"""N workers: `python app.py --workers 2` answers from both processes with one answer log; bad settings stop the parent;
`uvicorn --factory app:create_app --workers 2` serves too; the scale benchmark's pure parts; thread-safe stemming."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from eval.scale import Run, check_args, format_report, process_table, serve, worker_pids

ROOT = Path(__file__).resolve().parent.parent
IP_QUESTION = "谁负责知识产权保护？"
FOLLOW_UP = {"question": "这一条由哪些单位负责？",
             "history": ["光谷在知识产权方面有什么举措？", "会建知识产权法院吗？"]}
MAX_CONNECTIONS = 60  # new connections tried until both workers have answered (each is ~50 %)


def environ(tmp: Path) -> dict:
    return {"ASSISTANT_LLM": "none", "ASSISTANT_FEEDBACK_DB": str(tmp / "feedback.sqlite3"),
            "ASSISTANT_RATE_LIMIT": "100000/minute", "ASSISTANT_INDEX_DIR": "", "ASSISTANT_ALLOWED_ORIGINS": "",
            "ASSISTANT_LOG_SALT": ""}


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """`python app.py --workers 2` on the bundled plan, every worker ready: (base URL, parent process, log)."""
    tmp = tmp_path_factory.mktemp("two-workers")
    log = tmp / "server.log"
    with serve(2, environ(tmp), log) as (base, proc):
        yield base, proc, log


def socket_owner(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """Which of ``pids`` holds the server's end of the loopback TCP connection from ``client_port`` (Linux /proc)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if int(f[1].rsplit(":", 1)[1], 16) == server_port and int(f[2].rsplit(":", 1)[1], 16) == client_port:
                inode = f[9]
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


def ask_on_new_connection(port: int, body: dict) -> tuple[dict, int, http.client.HTTPConnection]:
    """POST /api/ask on a connection of its own: the record, the connection's client port, the connection (open)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", "/api/ask", json.dumps(body, ensure_ascii=False).encode("utf-8"),
                 {"Content-Type": "application/json"})
    r = conn.getresponse()
    record = json.loads(r.read())
    assert r.status == 200, record
    return record, conn.sock.getsockname()[1], conn


def test_both_workers_answer_the_api_with_the_history_in_the_request(two_workers):
    base, proc, log = two_workers
    port = int(base.rsplit(":", 1)[1])
    pids = worker_pids(proc.pid, process_table())
    assert len(pids) == 2 and proc.pid not in pids, pids  # two worker processes besides the parent
    # each worker gets its share of the cores for its thread pools, unless the environment already said
    share = str(max(1, (os.cpu_count() or 1) // 2))
    for pid in pids:
        env = dict(v.split("=", 1) for v in Path(f"/proc/{pid}/environ").read_text().split("\0") if "=" in v)
        for name in ("ASSISTANT_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            assert env[name] == os.environ.get(name, share), (name, env.get(name))
    answered: dict[int, set] = {pid: set() for pid in pids}
    for k in range(MAX_CONNECTIONS):
        # the follow-up's "这一条" resolves from the history the request carries, whichever worker gets it
        body = {"question": IP_QUESTION} if k % 2 == 0 else FOLLOW_UP
        record, client_port, conn = ask_on_new_connection(port, body)
        assert record["citations"][0]["title"] == "强化知识产权保护", record
        owner = socket_owner(port, client_port, pids)
        conn.close()
        assert owner in pids
        answered[owner].add("plain" if k % 2 == 0 else "follow-up")
        if all(kinds == {"plain", "follow-up"} for kinds in answered.values()):
            break
    assert all(kinds == {"plain", "follow-up"} for kinds in answered.values()), answered
    # One answer log for both workers: the parent gave them one salt, so a client has one hash in it.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith('{"time"')]
    api = [entry for entry in lines if entry["route"] == "api"]
    assert len(api) >= 4 and len({entry["client"] for entry in api}) == 1, api[:3]


@pytest.mark.parametrize("variable, value, message", [
    ("ASSISTANT_RATE_LIMIT", "lots", "error: ASSISTANT_RATE_LIMIT must be a rate such as 60/minute, not 'lots'"),
    ("ASSISTANT_FEEDBACK_RATE_LIMIT", "5 per", "error: ASSISTANT_FEEDBACK_RATE_LIMIT must be a rate such as "
                                               "60/minute, not '5 per'"),
    ("ASSISTANT_TRUSTED_PROXIES", "10.0.0.1, proxy", "error: ASSISTANT_TRUSTED_PROXIES: 'proxy' is not an IP address"),
    ("ASSISTANT_ALLOWED_ORIGINS", "www.example.gov.cn", "error: ASSISTANT_ALLOWED_ORIGINS: 'www.example.gov.cn' is not "
                                                        "an origin like https://www.example.gov.cn (scheme and host, "
                                                        "optional port, no path)"),
    ("ASSISTANT_THRESHOLD", "high", "error: ASSISTANT_THRESHOLD must be a number, not 'high'"),
    ("ASSISTANT_THREADS", "0", "error: ASSISTANT_THREADS must be a whole number of at least 1, not '0'"),
])
def test_a_bad_setting_stops_n_workers_before_they_start(tmp_path, variable, value, message):
    env = {**os.environ, **environ(tmp_path), variable: value}
    p = subprocess.run([sys.executable, "app.py", "--workers", "2", "--port", "1"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert (p.returncode, p.stdout, p.stderr) == (2, "", message + "\n")


@pytest.mark.parametrize("workers", ["0", "33", "two"])
def test_a_bad_worker_count_is_a_usage_error(workers):
    p = subprocess.run([sys.executable, "app.py", "--workers", workers], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 2 and p.stdout == "" and "--workers" in p.stderr.splitlines()[-1]


def test_uvicorn_factory_with_workers(tmp_path):
    import httpx

    from eval.scale import free_port

    port = free_port()
    env = {**os.environ, **environ(tmp_path), "PYTHONUNBUFFERED": "1"}
    with open(tmp_path / "uvicorn.log", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "app:create_app", "--workers", "2",
                                 "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        record = None
        for _ in range(480):  # until a worker answers (each loads the plan's index on its first question)
            try:
                r = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": IP_QUESTION}, timeout=120)
                record = r.json()
                break
            except httpx.TransportError:
                assert proc.poll() is None, (tmp_path / "uvicorn.log").read_text()[-2000:]
                threading.Event().wait(0.25)
        assert record is not None and record["citations"][0]["title"] == "强化知识产权保护", record
        assert len(worker_pids(proc.pid, process_table())) == 2
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ---------------------------------------------------------------- python -m eval scale: the pure parts

@pytest.mark.parametrize("workers, clients, seconds, error", [
    ([1, 2], 4, 30, ""),
    ([2], 1, 300, ""),
    ([], 4, 30, "--workers needs at least one count, e.g. --workers 1 2"),
    ([0, 2], 4, 30, "--workers counts must be between 1 and 8, not 0 2"),
    ([1, 9], 4, 30, "--workers counts must be between 1 and 8, not 1 9"),
    ([2, 2], 4, 30, "--workers lists a count twice: 2 2"),
    ([1], 0, 30, "--clients must be between 1 and 64, not 0"),
    ([1], 65, 30, "--clients must be between 1 and 64, not 65"),
    ([1], 4, 0, "--seconds must be more than 0 and at most 300, not 0"),
    ([1], 4, 301, "--seconds must be more than 0 and at most 300, not 301"),
])
def test_scale_arguments(workers, clients, seconds, error):
    assert check_args(workers, clients, seconds) == error


@pytest.mark.parametrize("table, expected", [
    ([(10, 1, "python app.py --workers 1")], [10]),  # one worker serves in the parent
    ([(10, 1, "python app.py --workers 2"),
      (12, 10, "python -B -c from multiprocessing.resource_tracker import main;main(6)"),
      (14, 10, "python -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=7, pipe_handle=14)"),
      (13, 10, "python -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=7, pipe_handle=9)"),
      (20, 13, "python -B -c from multiprocessing.spawn import spawn_main"),  # a grandchild is not a worker
      (30, 1, "python -B -c from multiprocessing.spawn import spawn_main")], [13, 14]),  # nor another's worker
])
def test_worker_pids_from_the_process_table(table, expected):
    assert worker_pids(10, table) == expected


def test_scale_report():
    runs = [Run(1, 1200, 0, 30.0, 30.5, 48.0, 60.1, (1358.0,), 0.31, (0.98,), 0.4, 0.02),
            Run(2, 2040, 3, 30.0, 35.2, 55.5, 70.0, (1176.4, 1197.0), 0.42, (0.81, 0.7), 0.45, 0.3)]
    report = format_report(runs, "laws, 4 clients x 30 s").splitlines()
    assert report[0] == "laws, 4 clients x 30 s"
    assert report[1].split()[:4] == ["workers", "answers/s", "x", "first"]
    assert report[2].split() == ["1", "40.0", "1.00", "30.5", "48.0", "60.1", "1200", "0", "0.31", "0.40", "0.02",
                                 "0.98", "1358"]
    assert report[3].split() == ["2", "68.0", "1.70", "35.2", "55.5", "70.0", "2040", "3", "0.42", "0.45", "0.30",
                                 "0.81", "0.70", "1176", "1197"]
    assert format_report([Run(1, 0, 5, 30.0, 0, 0, 0, (900.0,), 1.0)], "").splitlines()[2].split()[2] == "-"


# ---------------------------------------------------------------- per-process state shared by the server's threads

def test_each_thread_stems_with_its_own_stemmer():
    from assistant.bilingual import _stemmer, stems

    seen = []
    t = threading.Thread(target=lambda: seen.append(_stemmer()))
    t.start()
    t.join()
    assert seen[0] is not _stemmer() and _stemmer() is _stemmer()
    # many threads stemming at once agree with one thread (a shared snowball stemmer raised IndexError here)
    text = "intellectual property protection for technological innovation and internationalization of enterprises"
    expected = stems(text)
    results, errors = [], []

    def work():
        try:
            results.extend(stems(text) == expected for _ in range(300))
        except Exception as e:  # noqa: BLE001 - recorded for the assertion
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 2400 and all(results)


# ---------------------------------------------------------------- the workers' listener (uvicorn#3149)

def test_connections_to_the_workers_listener_have_nagle_off():
    import asyncio
    import socket

    import uvicorn

    from app import tcp_listener

    config = uvicorn.Config("app:create_app", factory=True, host="127.0.0.1", port=0, workers=2)
    listener = tcp_listener(config.bind_socket())
    assert listener.proto == socket.IPPROTO_TCP and listener.get_inheritable()
    accepted: list[tuple[int, int]] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport):
            sock = transport.get_extra_info("socket")
            accepted.append((sock.proto, sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
            transport.close()

    async def one_connection():
        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        port = listener.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        while not accepted:
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    asyncio.run(asyncio.wait_for(one_connection(), 30))
    assert accepted == [(socket.IPPROTO_TCP, 1)]  # asyncio set TCP_NODELAY on the accepted connection
    plain = uvicorn.Config("app:create_app", host="127.0.0.1", port=0).bind_socket()
    assert tcp_listener(plain) is not plain or plain.proto == socket.IPPROTO_TCP  # a fixed uvicorn passes through
