"""The embedding-origin allowlist: which sites may call the API and frame the pages, enforced by one ASGI gate."""
from __future__ import annotations

import re
from typing import Sequence
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths any page may load: the widget script must load before it can report a refusal, and
# monitors probe /healthz from wherever they run.
PUBLIC_PATHS = frozenset({"/widget.js", "/healthz"})
LOCAL_SOURCES = ("http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*")
_ENTRY = re.compile(r"^(https?)://(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d{1,5})?$")
_LOCAL = r"https?://(?:localhost|127\.0\.0\.1)(?::\d{1,5})?"
_SUBDOMAINS = r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\."


class OriginPolicy:
    """Which web origins may call the API and frame the pages.

    Same origin and http(s)://localhost or 127.0.0.1 on any port are always allowed; the
    configured entries add exact origins (``https://www.example.gov.cn``), every subdomain of
    a domain (``https://*.example.gov.cn``) or everyone (``*``).

    Args:
        allowed: the configured entries (``Settings.allowed_origins``).

    Raises:
        ValueError: on an entry that is not an origin (e.g. one with a path).
    """

    def __init__(self, allowed: Sequence[str] = ()):
        self.any = False
        self.entries: list[str] = []
        patterns = [_LOCAL]
        for raw in allowed:
            entry = raw.strip().lower().rstrip("/")
            self.entries.append(entry)
            if entry == "*":
                self.any = True
                continue
            m = _ENTRY.match(entry)
            if not m:
                raise ValueError(f"ASSISTANT_ALLOWED_ORIGINS: {raw.strip()!r} is not an origin like "
                                 "https://www.example.gov.cn (scheme and host, optional port, no path)")
            scheme, wildcard, host, port = m.groups()
            subdomains = _SUBDOMAINS if wildcard else ""
            patterns.append(re.escape(f"{scheme}://") + subdomains + re.escape(host + (port or "")))
        # One pattern for both the gate and Starlette's CORSMiddleware, so they cannot disagree.
        self.pattern = re.compile("(?i)" + "|".join(f"(?:{p})" for p in patterns))

    @staticmethod
    def same_origin(origin: str, headers: Headers) -> bool:
        """Whether ``origin`` names the host the request was sent to (directly or through a proxy).

        Args:
            origin: the request's ``Origin`` header.
            headers: the request's headers (``Host``, ``X-Forwarded-Host``).

        Returns:
            True for a same-origin request.
        """
        netloc = urlsplit(origin).netloc.lower() if "://" in origin else ""
        if not netloc:
            return False
        hosts = {headers.get("host", "").lower()}
        # A proxy that rewrites Host usually says what the browser asked for; browsers cannot set this
        # header on a cross-origin request without a preflight, which the policy answers first.
        forwarded = headers.get("x-forwarded-host")
        if forwarded:
            hosts.add(forwarded.split(",")[0].strip().lower())
        return netloc in hosts

    def allows(self, origin: str, headers: Headers) -> bool:
        """Whether a request carrying this ``Origin`` header may be served.

        Args:
            origin: the request's ``Origin`` header.
            headers: the request's headers, for the same-origin test.

        Returns:
            True for same origin, localhost / 127.0.0.1, or a configured entry.
        """
        origin = origin.strip().rstrip("/")
        return self.any or self.same_origin(origin, headers) or bool(self.pattern.fullmatch(origin))

    def frame_ancestors(self) -> str:
        """The CSP ``frame-ancestors`` directive matching the policy (for the chat and demo pages in iframes).

        Returns:
            E.g. ``frame-ancestors 'self' http://localhost:* ... https://www.example.gov.cn``.
        """
        if self.any:
            return "frame-ancestors *"
        return "frame-ancestors " + " ".join(["'self'", *LOCAL_SOURCES, *self.entries])


class OriginGate:
    """Refuses requests from origins outside the policy (403, JSON); the API's CORS headers and preflights come
    from Starlette's ``CORSMiddleware`` with the same policy; every HTML page gets ``frame-ancestors``.

    Pure ASGI (not ``BaseHTTPMiddleware``) so that Gradio's streamed event responses pass through untouched.
    The chat's own routes keep Gradio's CORS handling; the gate still refuses origins outside the policy there.
    """

    def __init__(self, app: ASGIApp, policy: OriginPolicy):
        self.app = app
        self.policy = policy
        self.csp = policy.frame_ancestors()
        self.cors = CORSMiddleware(app, allow_origins=("*",) if policy.any else (),
                                   allow_origin_regex=policy.pattern.pattern, allow_methods=("GET", "POST"),
                                   allow_headers=("Content-Type",), max_age=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path = scope["path"]
        api = path.startswith("/api/")
        origin = headers.get("origin")
        if origin is not None and path not in PUBLIC_PATHS and not self.policy.allows(origin, headers):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            message = (f"the origin {origin} is not allowed to use this assistant; "
                       "its administrator can add it to ASSISTANT_ALLOWED_ORIGINS")
            # The refusal is readable by the embedding page's script, so the widget can say why it stays hidden.
            readable = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if api else {}
            await JSONResponse({"error": message}, 403, headers=readable)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                if h.get("content-type", "").startswith("text/html"):
                    h["Content-Security-Policy"] = self.csp
                h.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await (self.cors if api and scope["type"] == "http" else self.app)(scope, receive, send_with_headers)
