"""What one request may cost: per-client rate limits for the question and feedback routes and the chat's events
(the `limits` library), the API's body size, and no uploads to the chat."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Sequence

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

# The chat's events that run a question; uploads are refused outright (the chat takes none).
CHAT_EVENTS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/")
UPLOADS = "/gradio_api/upload"
# 21 turns of 500 characters, \u-escaped, fit with room to spare. A body that says it is larger is refused here,
# before anything reads it; one without a Content-Length is counted as it is read (the API router's max_body_size).
MAX_BODY_BYTES = 256 * 1024


def parse_rate(value: str, name: str):
    """``60/minute`` → a ``limits`` rate item.

    Raises:
        ValueError: naming the setting, with an example, when the text is not a rate.
    """
    from limits import parse

    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"{name} must be a rate such as 60/minute, not {value!r}") from None


def parse_proxies(values: Sequence[str]) -> tuple[str, ...]:
    """Trusted proxy addresses, checked.

    Raises:
        ValueError: naming the first entry that is not an IP address.
    """
    out = []
    for v in values:
        try:
            out.append(str(ip_address(v.strip())))
        except ValueError:
            raise ValueError(f"ASSISTANT_TRUSTED_PROXIES: {v.strip()!r} is not an IP address") from None
    return tuple(out)


@dataclass(frozen=True)
class RateRule:
    prefixes: tuple[str, ...]
    text: str
    item: object


class RateLimits:
    """A moving-window limit per client for each rule; in this process's memory (per replica)."""

    def __init__(self, ask: str, feedback: str, trusted_proxies: Sequence[str] = ()):
        from limits import storage, strategies

        self.limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.rules = (
            RateRule(("/api/ask", *CHAT_EVENTS), ask, parse_rate(ask, "ASSISTANT_RATE_LIMIT")),
            RateRule(("/api/feedback",), feedback, parse_rate(feedback, "ASSISTANT_FEEDBACK_RATE_LIMIT")),
        )
        self.trusted = set(parse_proxies(trusted_proxies))

    def client(self, scope: Scope) -> str:
        """The client's address: the connection's, or — behind a trusted proxy — the last address in
        ``X-Forwarded-For`` that is not itself a trusted proxy (clients can write the header; proxies append)."""
        peer = (scope.get("client") or ("unknown", 0))[0]
        if peer not in self.trusted:
            return peer
        forwarded = Headers(scope=scope).get("x-forwarded-for", "")
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in self.trusted:
                return hop
        return peer

    def check(self, path: str, client: str) -> tuple[bool, int, str]:
        """(allowed, seconds until the next request is allowed, the rule) for one request."""
        for rule in self.rules:
            if path.startswith(rule.prefixes):
                key = f"{rule.prefixes[0]}:{client}"
                if self.limiter.hit(rule.item, key):
                    return True, 0, rule.text
                reset = self.limiter.get_window_stats(rule.item, key).reset_time
                return False, max(1, math.ceil(reset - time.time())), rule.text
        return True, 0, ""


class LimitsMiddleware:
    """429 with ``Retry-After`` and a JSON error for a client over its limit; 413 for an API body that declares
    more than ``MAX_BODY_BYTES``; uploads to the chat refused.

    Pure ASGI, like the origin gate, so that Gradio's streamed responses pass through untouched.
    """

    def __init__(self, app: ASGIApp, limits: RateLimits):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(UPLOADS):
            await JSONResponse({"error": "uploads are disabled: the chat takes no files"}, 403)(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if path.startswith("/api/") and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            message = f"the body is {int(declared)} bytes; the limit is {MAX_BODY_BYTES}"
            await JSONResponse({"error": message}, 413)(scope, receive, send)
            return
        allowed, retry, rule = self.limits.check(path, self.limits.client(scope))
        if not allowed:
            message = f"too many requests from this client: the limit is {rule}; try again in {retry} s"
            await JSONResponse({"error": message}, 429, headers={"Retry-After": str(retry)})(scope, receive, send)
            return
        await self.app(scope, receive, send)
