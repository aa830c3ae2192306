"""The HTTP layer: the JSON API, the widget and its demo page, and the embedding-origin allowlist."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import threading
import time
from datetime import datetime, timezone
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .feedback import FeedbackError, FeedbackStore
from .settings import MAX_TURNS, Settings
from .types import Answer

log = logging.getLogger("assistant.web")
answers_log = logging.getLogger("assistant.answers")
_SALT = secrets.token_bytes(16)  # per process: a client hash links one client's requests, not its address


def answer_log_line(answer: Answer, client: str, route: str, log_questions: bool) -> str:
    """One JSON line per answered question: time, latency, refused, cited ids, mode, a hash of the client;
    the question's text only when ``ASSISTANT_LOG_QUESTIONS=1`` (it may hold personal details)."""
    entry = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "route": route,
             "latency_ms": round(float(answer.timings_ms.get("total", 0.0)), 2), "refused": answer.refused,
             "cited": [c.id for c in answer.citations], "mode": answer.mode, "lang": answer.lang,
             "client": hashlib.sha256(_SALT + client.encode("utf-8", "replace")).hexdigest()[:12]}
    if log_questions:
        entry["question"] = answer.question
    return json.dumps(entry, ensure_ascii=False)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 256 * 1024  # 21 turns of 500 characters, \u-escaped, fit with room to spare
MAX_ANSWER_CHARS = 20_000
MAX_CITATIONS = 50
MAX_ID_CHARS = 200
# Paths any page may load: the widget script must load before it can report a refusal, and
# monitors probe /healthz from wherever they run.
PUBLIC_PATHS = frozenset({"/widget.js", "/healthz"})

EXAMPLES = {
    "zh": ["谁负责知识产权保护？", "对科技型中小企业有哪些支持？", "初创企业能获得哪些科技金融支持？",
           "引进海外人才有什么政策？", "办企业的营商环境有什么改进？"],
    "en": ["Who is responsible for intellectual property protection?", "What support is there for tech SMEs?",
           "How does the plan help startups get financing?", "Which bureaus handle the business environment?"],
}


# ---------------------------------------------------------------- origins

_ORIGIN = re.compile(r"^(https?)://(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d{1,5})?$")
_LOCAL = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d{1,5})?$")
LOCAL_SOURCES = ("http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*")


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
        self.exact: set[str] = set()
        self.suffixes: list[tuple[str, str]] = []  # (scheme, ".domain[:port]")
        self.entries: list[str] = []
        for raw in allowed:
            entry = raw.strip().lower().rstrip("/")
            if entry == "*":
                self.any = True
            else:
                m = _ORIGIN.match(entry)
                if not m:
                    raise ValueError(f"allowed origin {raw!r} is not an origin like https://www.example.gov.cn "
                                     "(scheme and host, optional port, no path)")
                if m.group(2):
                    self.suffixes.append((m.group(1), "." + m.group(3) + (m.group(4) or "")))
                else:
                    self.exact.add(entry)
            self.entries.append(entry)

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
        origin = origin.strip().lower().rstrip("/")
        if self.any or self.same_origin(origin, headers) or _LOCAL.match(origin) or origin in self.exact:
            return True
        scheme, _, rest = origin.partition("://")
        return any(scheme == s and rest.endswith(suffix) for s, suffix in self.suffixes)

    def frame_ancestors(self) -> str:
        """The CSP ``frame-ancestors`` directive matching the policy (for the chat and demo pages in iframes).

        Returns:
            E.g. ``frame-ancestors 'self' http://localhost:* ... https://www.example.gov.cn``.
        """
        if self.any:
            return "frame-ancestors *"
        return "frame-ancestors " + " ".join(["'self'", *LOCAL_SOURCES, *self.entries])


class OriginMiddleware:
    """Refuses cross-origin requests from origins outside the policy, and answers CORS for the API.

    Pure ASGI (not ``BaseHTTPMiddleware``) so that Gradio's streamed event responses pass through
    untouched. On every HTML page it sets ``frame-ancestors`` so that only allowed sites can frame it.
    """

    def __init__(self, app: ASGIApp, policy: OriginPolicy):
        self.app = app
        self.policy = policy
        self.csp = policy.frame_ancestors()

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
            extra = _cors_headers(origin) if api else {}
            await JSONResponse({"error": message}, 403, headers=extra)(scope, receive, send)
            return
        cors = api and origin is not None and scope["type"] == "http"
        if cors and scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            preflight = {**_cors_headers(origin), "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                         "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"}
            await Response(status_code=204, headers=preflight)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                if cors:
                    for k, v in _cors_headers(origin).items():
                        h[k] = v
                if api:
                    h.add_vary_header("Origin")
                if h.get("content-type", "").startswith("text/html"):
                    h["Content-Security-Policy"] = self.csp
                h.setdefault("X-Content-Type-Options", "nosniff")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cors_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


# ---------------------------------------------------------------- the shared service

class Service:
    """The settings, the lazily built assistant and the feedback store, shared by the API and the chat.

    Args:
        settings: the assistant's settings (``feedback_db``, ``allowed_origins``, ``llm``...).
        assistant: an already-built assistant (tests share one); else it is built on first use.
        feedback: the feedback store; else one at ``settings.feedback_db``.
    """

    def __init__(self, settings: Settings, assistant=None, feedback: FeedbackStore | None = None):
        self.settings = settings
        self.feedback = feedback or FeedbackStore(settings.feedback_db)
        self.policy = OriginPolicy(settings.allowed_origins)
        self._assistant = assistant
        self._error: str = ""
        self._build_lock = threading.Lock()
        # One question at a time through the extractive pipeline: it takes ~0.2 s and its embedder and
        # tokenizer make no thread-safety promise, so serialising is cheaper than finding out.
        self._warm = threading.Event()
        self._warm_thread: threading.Thread | None = None
        self.started = time.time()
        if assistant is not None:
            self._warm.set()

    @property
    def state(self) -> str:
        """``ready``, ``loading`` or ``error``."""
        if self._error:
            return "error"
        return "ready" if self._warm.is_set() else "loading"

    @property
    def error(self) -> str:
        """Why the assistant could not be loaded ('' when it could)."""
        return self._error

    @property
    def loaded(self):
        """The assistant if it has been built, else None (never triggers a load)."""
        return self._assistant

    def assistant(self):
        """The assistant, built on first call (about two seconds); later calls return the same one.

        Raises:
            RuntimeError: when the index cannot be loaded or built.
        """
        if self._assistant is None:
            with self._build_lock:
                if self._assistant is None:
                    from .pipeline import Assistant

                    try:
                        self._assistant = Assistant(self.settings, progress=False)
                        self._error = ""  # a retry after a failed load (e.g. the index was rebuilt) recovers
                    except Exception as e:  # noqa: BLE001 - any load failure makes the service unavailable
                        self._error = f"{type(e).__name__}: {e}"
                        log.exception("the assistant could not be loaded")
                        raise RuntimeError(f"the assistant could not be loaded: {e}") from e
        return self._assistant

    def warm_up(self) -> None:
        """Build the assistant and answer one question, so the embedding model is loaded before users arrive."""
        try:
            self.ask(EXAMPLES["zh"][0])
            prepare = getattr(self.assistant().composer, "warm_up", None)
            if prepare is not None:
                prepare()  # a generative composer precomputes its system prompts' KV cache
        except Exception:  # noqa: BLE001 - the state and the log say what went wrong
            if not self._error:
                self._error = "warm-up question failed"
            log.exception("warm-up failed")
        finally:
            self._warm.set()

    def start_warm_up(self) -> None:
        """Warm up in a daemon thread (once), so the server accepts connections meanwhile."""
        with self._build_lock:
            if self._warm_thread is None and not self._warm.is_set():
                self._warm_thread = threading.Thread(target=self.warm_up, name="assistant-warm-up", daemon=True)
                self._warm_thread.start()

    def ask(self, question, history: Sequence = ()) -> Answer:
        """``Assistant.ask`` (the model, when one is used, is queued by the composer).

        Args:
            question: the user's turn.
            history: the earlier turns, oldest first (questions, records or messages).

        Returns:
            The assistant's answer, unchanged.

        Raises:
            InputError: on a question or history the assistant will not take.
        """
        # No lock: the extractive path is thread-safe, and a generative composer queues its model calls itself
        # (assistant.generate.ModelQueue), so a question that never reaches the model never waits for it.
        return self.assistant().ask(question, history)

    @property
    def streaming(self) -> bool:
        """True when a generative mode is on and the assistant can stream its answer."""
        return self.settings.llm != "none" and hasattr(self.assistant(), "ask_stream")

    def stream(self, question, history: Sequence = ()) -> Iterator[str | Answer]:
        """Text chunks then the final ``Answer`` when streaming; else the ``Answer`` alone.

        Args:
            question: the user's turn.
            history: the earlier turns, oldest first (questions, records or messages).

        Returns:
            An iterator of ``str`` chunks ending with one ``Answer``.
        """
        if not self.streaming:
            yield self.ask(question, history)
            return
        yield from self.assistant().ask_stream(question, history)


# ---------------------------------------------------------------- request parsing

class ApiError(Exception):
    """A request the API will not serve; becomes ``{"error": message}`` with a 4xx status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for error messages.

    Args:
        value: a value from ``json.loads``.

    Returns:
        E.g. ``a number``, ``an array``, ``null``.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


async def read_json(request: Request, limit: int = MAX_BODY_BYTES) -> Any:
    """The request's body parsed as JSON, checked before anything else reads it.

    Args:
        request: the incoming request.
        limit: the largest body accepted, in bytes.

    Returns:
        The parsed JSON value.

    Raises:
        ApiError: 415 for a non-JSON content type, 413 for a body over ``limit``, 400 for an empty,
            non-UTF-8 or unparseable body.
    """
    ctype = request.headers.get("content-type")
    if not ctype:
        raise ApiError(415, "the body must be JSON: send the header Content-Type: application/json")
    media, _, params = ctype.partition(";")
    media = media.strip().lower()
    if media != "application/json":
        raise ApiError(415, f"the body must be JSON (Content-Type: application/json), not {media or 'empty'}")
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.I)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise ApiError(415, f"the body must be UTF-8 JSON, not {charset.group(1)}")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"the body is {int(declared)} bytes; the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # a chunked body declares no length; stop reading as soon as it is too big
            raise ApiError(413, f"the body is over {limit} bytes; the limit is {limit}")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise ApiError(400, "the body is empty; send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the body is not UTF-8 text") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise ApiError(400, f"the body is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise ApiError(400, "the body is nested too deeply") from None
    except ValueError:  # an integer literal of more than 4,300 digits
        raise ApiError(400, "the body holds a number too large to read") from None
    where = _lone_surrogate(value)
    if where:
        raise ApiError(422, f"{where} contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text")
    return value


def _lone_surrogate(value: Any, where: str = "the body") -> str:
    """Where in a parsed JSON value a string holds a lone surrogate ('' when none): JSON allows "\\ud800",
    UTF-8 cannot encode it, so it would fail later, deep inside an answer."""
    if isinstance(value, str):
        return where if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value) else ""
    if isinstance(value, dict):
        for k, v in value.items():
            found = _lone_surrogate(k, f"a field name in {where}") or _lone_surrogate(v, f"field {k!r}")
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = _lone_surrogate(v, f"{where} item {i + 1}")
            if found:
                return found
    return ""


def _object(body: Any, fields: Sequence[str]) -> dict:
    if not isinstance(body, dict):
        raise ApiError(422, f"the body must be a JSON object, not {json_type(body)}")
    unknown = [k for k in body if k not in fields]
    if unknown:
        raise ApiError(422, f"unknown field {unknown[0]!r}; the fields are {', '.join(fields)}")
    return body


def _text(body: dict, key: str, what: str, required: bool = True) -> str | None:
    if key not in body or body[key] is None:
        if required:
            raise ApiError(422, f"{what} is missing")
        return None
    if not isinstance(body[key], str):
        raise ApiError(422, f"{what} must be a string, not {json_type(body[key])}")
    return body[key]


def parse_ask(body: Any) -> tuple[str, list[str], str]:
    """The question, history and id of an ``/api/ask`` body; the assistant checks their contents.

    Args:
        body: the parsed JSON body.

    Returns:
        ``(question, history, id)``.

    Raises:
        ApiError: 422 with one message per rule broken.
    """
    body = _object(body, ("question", "history", "id"))
    question = _text(body, "question", "the question")
    history = body.get("history")
    if history is None:
        history = []
    if not isinstance(history, list):
        raise ApiError(422, f"the history must be an array of earlier turns, not {json_type(history)}")
    for i, turn in enumerate(history):
        # Entries are earlier questions, results records or OpenAI-style messages; the assistant checks
        # their fields (assistant.pipeline.parse_history) and names a malformed entry in its 422.
        if not isinstance(turn, (str, dict)):
            raise ApiError(422, f"history entry {i + 1} must be a string or an object, not {json_type(turn)}")
    rid = _text(body, "id", "the id", required=False) or ""
    if len(rid) > MAX_ID_CHARS:
        raise ApiError(422, f"the id is {len(rid)} characters long; the limit is {MAX_ID_CHARS}")
    return question, history, rid


def parse_feedback(body: Any, max_question_chars: int) -> dict:
    """The fields of an ``/api/feedback`` body, checked.

    Args:
        body: the parsed JSON body.
        max_question_chars: the assistant's question limit.

    Returns:
        Keyword arguments for :meth:`FeedbackStore.add`.

    Raises:
        ApiError: 422 with one message per rule broken.
    """
    from .pipeline import InputError, check_question

    body = _object(body, ("question", "answer", "citations", "verdict", "source"))
    question = _text(body, "question", "the question")
    try:
        question = check_question(question, max_question_chars)
    except InputError as e:
        raise ApiError(422, str(e)) from None
    answer = _text(body, "answer", "the answer")
    if not answer.strip():
        raise ApiError(422, "the answer is empty")
    if len(answer) > MAX_ANSWER_CHARS:
        raise ApiError(422, f"the answer is {len(answer)} characters long; the limit is {MAX_ANSWER_CHARS}")
    citations = body.get("citations")
    if citations is None:
        citations = []
    if not isinstance(citations, list):
        raise ApiError(422, f"the citations must be an array, not {json_type(citations)}")
    if len(citations) > MAX_CITATIONS:
        raise ApiError(422, f"there are {len(citations)} citations; the limit is {MAX_CITATIONS}")
    for i, c in enumerate(citations):
        if not isinstance(c, (dict, str)):
            raise ApiError(422, f"citation {i + 1} must be an object or a clause id, not {json_type(c)}")
    verdict = _text(body, "verdict", "the verdict")
    if verdict not in ("up", "down"):
        raise ApiError(422, f"the verdict must be \"up\" or \"down\", not {verdict!r}")
    source = _text(body, "source", "the source", required=False) or "api"
    if source not in ("api", "widget"):
        raise ApiError(422, f"the source must be \"api\" or \"widget\", not {source!r}")
    return {"question": question, "answer": answer, "citations": citations, "verdict": verdict, "source": source}


# ---------------------------------------------------------------- OpenAPI models (documentation and responses)

class AskRequest(BaseModel):
    question: str = Field(..., description="The user's question (at most 500 characters).",
                          examples=["谁负责知识产权保护？"])
    history: list[str | dict] = Field(
        default_factory=list, max_length=2 * MAX_TURNS,
        description="Earlier turns of the same conversation, oldest first: questions (strings), results records "
                    "({\"question\": …, \"citations\": [{\"id\": …}]}) or OpenAI-style messages ({\"role\": "
                    "\"user\"|\"assistant\", \"content\": …, \"citations\": […]}). With the earlier answers' "
                    "citations, \"它\" and \"the second one\" refer to what was actually shown.",
        examples=[[{"question": "光谷有什么人才政策？", "citations": [{"id": "2.1.2"}]}]])
    id: str = Field("", description="Echoed as the record's id (e.g. a question-set id).")


class CitationOut(BaseModel):
    id: str = Field(..., examples=["2.5.2"])
    path: str = Field(..., examples=["二、主要任务 > (五)实施双创环境优化行动,营造热带雨林式创新生态圈 > 2."])
    title: str = Field(..., examples=["强化知识产权保护"])
    bureaus: list[str] = Field(..., examples=[["市市场监管局", "市地方金融局", "市法院"]])
    quote: str


class Record(BaseModel):
    """One results record of shared/EVAL-FORMAT.md."""

    id: str
    question: str
    answer: str
    refused: bool
    citations: list[CitationOut]
    latency_ms: float


class ClauseOut(BaseModel):
    id: str
    kind: str
    path: str
    title: str
    text: str
    bureaus: list[str]
    bureau_groups: list[list[str]]
    label: str


class ClauseSummary(BaseModel):
    id: str
    kind: str
    label: str
    title: str
    bureaus: list[str]


class FeedbackRequest(BaseModel):
    question: str = Field(..., examples=["谁负责知识产权保护？"])
    answer: str = Field(..., description="The answer text being judged.")
    citations: list[dict | str] = Field(default_factory=list, description="The answer's citations, or their ids.")
    verdict: str = Field(..., description="`up` or `down`.", examples=["up"])
    source: str = Field("api", description="`api` or `widget`.")


class FeedbackOut(BaseModel):
    id: int
    stored: bool = True


class ErrorOut(BaseModel):
    error: str = Field(..., examples=["the question is empty"])


class Health(BaseModel):
    status: str
    assistant: str
    error: str = ""
    clauses: int | None = None
    embedder: str
    llm: str
    uptime_s: float


def _body_doc(model: type[BaseModel]) -> dict:
    # The body is read by hand (so every bad body gets one clear message), so describe it to OpenAPI here.
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": model.model_json_schema()}}}}


def _errors(*codes: int) -> dict:
    what = {400: "Malformed JSON or an empty body", 403: "The page's origin is not allowed",
            404: "Not found", 413: "Body too large", 415: "Not JSON", 422: "A field breaks a rule",
            503: "The assistant or the feedback store is unavailable"}
    return {c: {"model": ErrorOut, "description": what[c]} for c in codes}


# ---------------------------------------------------------------- the app

def _relative(text: str) -> str:
    """A message without this server's absolute paths (they tell a visitor how the machine is laid out)."""
    from .settings import ROOT

    return text.replace(str(ROOT) + "/", "").replace(str(Path.home()), "~")


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers)


def _docs_assets() -> Path | None:
    # Swagger UI from a local copy when fastapi-offline is installed, so /docs works on an intranet.
    try:
        import fastapi_offline
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).resolve().parent / "static"
    return static if (static / "swagger-ui-bundle.js").is_file() else None


def create_app(service: Service, warm_up: bool = True) -> FastAPI:
    """The FastAPI app with the API, the widget, the demo page and the origin policy (Gradio mounts on it).

    Args:
        service: the shared assistant, settings and feedback store.
        warm_up: load the assistant in the background when the server starts.

    Returns:
        The app; mount the Gradio chat on it last, at ``/``.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if warm_up:
            service.start_warm_up()
        yield

    app = FastAPI(
        title="东湖高新区行动方案问答 API · East Lake Action Plan Q&A",
        version="1.0",
        description=("Answers questions about the Action Plan to Promote High-Quality Development of the East "
                     "Lake High-Tech Zone, citing the clauses it quotes. Errors are `{\"error\": message}`."),
        docs_url=None, redoc_url=None, lifespan=lifespan,
    )
    app.state.service = service
    from .rate_limits import RateLimitMiddleware, RateLimits

    s = service.settings
    app.add_middleware(RateLimitMiddleware, limits=RateLimits(s.rate_limit, s.feedback_rate_limit, s.trusted_proxies))
    app.add_middleware(OriginMiddleware, policy=service.policy)  # added last, so it runs first

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, e: ApiError):
        return _error(e.status, e.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, e: StarletteHTTPException):
        message = e.detail if isinstance(e.detail, str) else json.dumps(e.detail, ensure_ascii=False)
        if e.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(e.status_code, message, headers=getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, e: RequestValidationError):
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "path", "query"))
        message = str(first.get("msg", "invalid request"))
        return _error(422, f"{where}: {message}" if where else message)

    @app.exception_handler(Exception)
    async def _internal(_request: Request, e: Exception):
        log.exception("unhandled error")
        return _error(500, "internal error; the server's log has the details")

    async def loaded():
        # The first call builds the assistant (seconds of work): keep it off the event loop.
        try:
            return await run_in_threadpool(service.assistant)
        except RuntimeError as e:
            raise ApiError(503, _relative(str(e))) from None

    docs_assets = _docs_assets()
    if docs_assets is not None:
        from fastapi.staticfiles import StaticFiles

        app.mount("/docs-assets", StaticFiles(directory=docs_assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        local = {"swagger_js_url": f"{root}/docs-assets/swagger-ui-bundle.js",
                 "swagger_css_url": f"{root}/docs-assets/swagger-ui.css",
                 "swagger_favicon_url": f"{root}/docs-assets/favicon.png"} if docs_assets else {}
        return get_swagger_ui_html(openapi_url=f"{root}{app.openapi_url}", title=app.title, **local)

    @app.get("/healthz", response_model=Health, tags=["service"], summary="Health and readiness",
             responses=_errors(503))
    async def healthz():
        """Liveness and readiness: `assistant` is `loading` until the model has answered its first question."""
        s = service.settings
        assistant = service.loaded
        body = {"status": "ok" if service.state != "error" else "error", "assistant": service.state,
                "error": _relative(service.error), "clauses": len(assistant.index.clauses) if assistant else None,
                "embedder": s.embedder, "llm": s.llm, "uptime_s": round(time.time() - service.started, 1)}
        if assistant:
            body["index"] = ("stored" if assistant.index.manifest.get("stored", True)
                             else "in memory: the index folder is not writable")
        body["feedback"] = await run_in_threadpool(service.feedback.status)
        return JSONResponse(body, 503 if service.state == "error" else 200)

    @app.post("/api/ask", response_model=Record, tags=["questions"], summary="Ask a question",
              openapi_extra=_body_doc(AskRequest),
              responses=_errors(400, 403, 413, 415, 422, 503))
    async def ask(request: Request):
        """Answer one question (with the earlier user turns as `history`); returns one results record."""
        from .pipeline import InputError

        question, history, rid = parse_ask(await read_json(request))
        await loaded()
        from .generate import ModelBusy

        try:
            answer = await run_in_threadpool(service.ask, question, history)
        except InputError as e:
            raise ApiError(422, str(e)) from None
        except ModelBusy as e:
            return _error(503, str(e), {"Retry-After": str(e.retry_after)})
        client = request.client.host if request.client else "unknown"
        answers_log.info(answer_log_line(answer, client, "api", os.environ.get("ASSISTANT_LOG_QUESTIONS") == "1"))
        return JSONResponse(answer.to_record(rid), headers={"Cache-Control": "no-store"})

    @app.get("/api/clauses", response_model=list[ClauseSummary], tags=["clauses"], summary="List the clauses",
             responses=_errors(403, 503))
    async def clauses():
        """Every clause of the plan, in document order (ids for `GET /api/clauses/{id}`)."""
        index = (await loaded()).index
        return [{"id": c.id, "kind": c.kind, "label": c.label, "title": c.title, "bureaus": list(c.bureaus)}
                for c in index.clauses]

    @app.get("/api/clauses/{clause_id}", response_model=ClauseOut, tags=["clauses"], summary="One clause",
             responses=_errors(403, 404, 503))
    async def clause(clause_id: str):
        """One clause: its path, title, full text and responsible bureaus."""
        c = (await loaded()).index.by_id.get(clause_id)
        if c is None:
            shown = clause_id if len(clause_id) <= 40 else clause_id[:40] + "…"
            raise ApiError(404, f"no clause with id {shown!r}; ids look like 2.5.2 (GET /api/clauses lists them)")
        return c.to_dict()

    @app.post("/api/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"],
              summary="Rate an answer 👍/👎",
              openapi_extra=_body_doc(FeedbackRequest), responses=_errors(400, 403, 413, 415, 422, 503))
    async def feedback(request: Request):
        """Store a 👍 (`up`) or 👎 (`down`) verdict on an answer."""
        fields = parse_feedback(await read_json(request), service.settings.max_question_chars)
        try:
            row = await run_in_threadpool(lambda: service.feedback.add(**fields))
        except FeedbackError as e:
            log.error("%s (database %s)", e, service.feedback.path)
            raise ApiError(503, str(e)) from None
        return JSONResponse({"id": row, "stored": True}, 201)

    @app.get("/api/widget/config", tags=["widget"], summary="Widget settings (and the origin check)",
             responses=_errors(403))
    async def widget_config():
        """What the widget needs before it shows itself; refused (403) for origins outside the allowlist."""
        return {"max_question_chars": service.settings.max_question_chars, "max_turns": MAX_TURNS,
                "examples": EXAMPLES}

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
                   include_in_schema=False)
    async def api_fallback(request: Request, rest: str):
        # Without this, a wrong method or path under /api/ would fall through to the Gradio app's HTML.
        known = {r.path: r.methods for r in app.routes if getattr(r, "methods", None) and r.path.startswith("/api/")
                 and "{rest:path}" not in r.path}
        for path, methods in known.items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
            if re.match(pattern, request.url.path):
                allow = ", ".join(sorted(methods))
                return _error(405, f"{request.method} is not allowed on {request.url.path}; use {allow}",
                              headers={"Allow": allow})
        return _error(404, f"no API endpoint at {request.url.path}; see /docs")

    @app.get("/widget.js", include_in_schema=False)
    async def widget_js():
        return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "public, max-age=300"})

    @app.get("/widget-demo", include_in_schema=False)
    async def widget_demo():
        return FileResponse(STATIC_DIR / "widget-demo.html", media_type="text/html; charset=utf-8")

    return app
