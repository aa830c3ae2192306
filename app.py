"""The web server: the Gradio chat at /, mounted on the JSON API, the widget and the docs (assistant.server).

``python app.py [--host H] [--port P]`` serves it; ``uvicorn --factory app:create_app`` builds the same app
from the environment. Importing this module builds nothing.
"""
from __future__ import annotations

import argparse
import logging
import sys

from fastapi import FastAPI

from assistant.settings import Settings, from_env

EXIT_BAD_SETTING = 2


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


def main(argv: list[str] | None = None) -> int:
    """Serve the chat, the API and the widget.

    Args:
        argv: command-line arguments (``--host``, ``--port``, ``--log-level``); ``sys.argv`` when None.

    Returns:
        0 after a clean shutdown; 2 when a setting cannot be read (one ``error: …`` line on stderr).
    """
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the East Lake action-plan assistant: chat at /, "
                                                 "API at /api, docs at /docs, widget at /widget.js.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port to listen on (default 7860)")
    parser.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    args = parser.parse_args(argv)
    try:
        app = create_app(from_env())
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BAD_SETTING
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # One JSON object per answered question on its own line, for log shippers (no prefix).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    answers = logging.getLogger("assistant.answers")
    answers.addHandler(handler)
    answers.propagate = False
    print(f"East Lake assistant: chat http://{args.host}:{args.port}/  docs http://{args.host}:{args.port}/docs  "
          f"widget demo http://{args.host}:{args.port}/widget-demo", flush=True)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler it found: ours
    # ends the process through SystemExit, so the local model's socket folder is removed (atexit).
    from assistant.llm import clean_exit_on_sigterm

    clean_exit_on_sigterm()
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
