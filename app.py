"""The web server: the Gradio chat at /, mounted on the JSON API, the widget and the docs (assistant.server).

``python app.py [--host H] [--port P] [--workers N]`` serves it; ``uvicorn --factory app:create_app [--workers N]``
builds the same app from the environment. Importing this module builds nothing.
"""
from __future__ import annotations

import argparse
import copy
import os
import secrets
import socket
import sys

from fastapi import FastAPI

from assistant.settings import Settings, from_env

EXIT_BAD_SETTING = 2
MAX_WORKERS = 32
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # read when numpy/faiss load


def create_app(settings: Settings | None = None, *, service=None, warm_up: bool = True) -> FastAPI:
    """The whole app: the API, the widget, the docs and the chat, behind the origin gate and the rate limits.

    Args:
        settings: the settings; None reads them from the environment (``from_env()``).
        service: an ``assistant.server.service.Service`` to share (tests pass one with a loaded assistant);
            else one is made from ``settings``.
        warm_up: load the assistant in the background when the server starts.

    Returns:
        The ASGI app.

    Raises:
        ValueError: on a setting that cannot be read (an allowed origin, a rate limit, a proxy address).
    """
    from assistant.server.api import create_api
    from assistant.server.chat import mount_chat
    from assistant.server.service import Service

    service = service or Service(settings or from_env())
    return mount_chat(create_api(service, warm_up), service)


def check_settings(settings: Settings) -> None:
    """Read every setting the app reads when it is built, without building it (no Gradio, no model): the parent of
    N workers checks here, so a bad setting is one line and exit 2 before any worker starts.

    Raises:
        ValueError: naming the setting that cannot be read.
    """
    from assistant.server.limits import RateLimits
    from assistant.server.origins import OriginPolicy

    OriginPolicy(settings.allowed_origins)
    RateLimits(settings.rate_limit, settings.feedback_rate_limit, settings.trusted_proxies)


def log_config(level: str) -> dict:
    """uvicorn's logging, plus ours: the app's loggers on stderr with a time, and one JSON object per answered
    question on its own line (``assistant.answers``, no prefix, for log shippers). uvicorn applies it in every
    worker process, which a ``logging`` call in the parent would not reach."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["app"] = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    config["formatters"]["line"] = {"format": "%(message)s"}
    config["handlers"]["app"] = {"class": "logging.StreamHandler", "formatter": "app", "stream": "ext://sys.stderr"}
    config["handlers"]["answers"] = {"class": "logging.StreamHandler", "formatter": "line",
                                     "stream": "ext://sys.stderr"}
    config["root"] = {"handlers": ["app"], "level": level.upper()}
    config["loggers"]["assistant.answers"] = {"handlers": ["answers"], "level": "INFO", "propagate": False}
    return config


def main(argv: list[str] | None = None) -> int:
    """Serve the chat, the API and the widget, in this process or in N worker processes.

    Args:
        argv: command-line arguments (``--host``, ``--port``, ``--workers``, ``--log-level``); ``sys.argv`` when
            None.

    Returns:
        0 after a clean shutdown; 2 when a setting cannot be read (one ``error: …`` line on stderr).
    """
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the East Lake action-plan assistant: chat at /, "
                                                 "API at /api, docs at /docs, widget at /widget.js.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    parser.add_argument("--workers", type=int, default=1,
                        help=f"worker processes on the one port (default 1, at most {MAX_WORKERS}); each loads its "
                             "own assistant. The chat needs 1 (its sessions live in one process: docs/deploy.md)")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = parser.parse_args(argv)
    if not 1 <= args.workers <= MAX_WORKERS:
        parser.error(f"--workers must be between 1 and {MAX_WORKERS}, not {args.workers}")
    try:
        settings = from_env()
        check_settings(settings)
        app = create_app(settings) if args.workers == 1 else None  # N workers build their own from the environment
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_SETTING
    if args.workers > 1:
        # N workers share the cores: each one's BLAS/OpenMP pools and embedder get its share, so that their threads
        # do not outnumber the cores and wait on one another (what is already set is kept).
        share = str(max(1, (os.cpu_count() or 1) // args.workers))
        for name in ("ASSISTANT_THREADS", *THREAD_VARIABLES):
            os.environ.setdefault(name, share)
    # Workers hash a client's address with one salt, so the answer log links its requests whichever worker answered.
    if not os.environ.get("ASSISTANT_LOG_SALT"):
        os.environ["ASSISTANT_LOG_SALT"] = secrets.token_hex(16)
    workers = f", {args.workers} workers" if args.workers > 1 else ""
    print(f"East Lake assistant: chat http://{args.host}:{args.port}/  docs http://{args.host}:{args.port}/docs  "
          f"widget demo http://{args.host}:{args.port}/widget-demo{workers}", flush=True)
    if args.workers > 1:
        # A chat session's queue and state live in the worker that started it, and the kernel hands each of its
        # connections to any worker: measured, 11 of 20 chat questions failed with 2 workers.
        print(f"note: with {args.workers} workers the API and the widget scale, but the chat at / needs one process "
              "per port: run replicas behind a sticky proxy for it (docs/deploy.md)", file=sys.stderr, flush=True)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler it found: ours
    # ends the process through SystemExit, so the local model's socket folder is removed (atexit).
    from assistant.llm import clean_exit_on_sigterm

    clean_exit_on_sigterm()
    # The proxies trusted for the rate limits are trusted for uvicorn's X-Forwarded-For/-Proto too, so the answer
    # log and the chat see the client's address (None keeps uvicorn's default: FORWARDED_ALLOW_IPS or loopback).
    proxies = ",".join(settings.trusted_proxies) or None
    common = dict(host=args.host, port=args.port, log_level=args.log_level, log_config=log_config(args.log_level),
                  forwarded_allow_ips=proxies)
    if app is not None:
        uvicorn.run(app, **common)
    else:
        serve_workers(args.workers, common)
    return 0


def tcp_listener(sock: socket.socket) -> socket.socket:
    """The same listening socket, saying it is TCP (``proto`` 6) when it says 0, so connections accepted from it
    say so too and asyncio turns Nagle's algorithm off on them (it checks ``proto``). uvicorn binds the socket it
    hands N workers with ``proto`` 0 (uvicorn#3149): every keep-alive answer after the first then waited ~45 ms for
    the client's delayed ACK, measured here: one sequential client, 11 ms an answer with 1 worker, 56 ms with 2."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)  # the workers receive it
    return tcp


def serve_workers(workers: int, options: dict) -> None:
    """What ``uvicorn.run(..., workers=N)`` does (its supervisor and its workers, each building the app from
    ``app:create_app``), on a listener made by :func:`tcp_listener`."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("app:create_app", factory=True, workers=workers, **options)
    try:
        Multiprocess(config, sockets=[tcp_listener(config.bind_socket())]).run()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
