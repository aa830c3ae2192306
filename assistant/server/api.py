"""The JSON API (`/api/ask`, `/api/documents`, `/api/clauses`, `/api/map`, `/api/feedback`, `/api/widget/config`,
`/healthz`), the widget's files and the docs page, as one FastAPI app behind the origin gate and the rate limits."""
from __future__ import annotations

import dataclasses
import re
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag,
                      field_validator, model_validator)

from ..pipeline import check_question, parse_history
from ..responsibility import UnknownDocument, responsibility_map
from ..settings import MAX_QUESTION_CHARS, MAX_TURNS
from ..types import Record
from . import errors
from .limits import MAX_BODY_BYTES, LimitsMiddleware, RateLimits
from .origins import OriginGate
from .service import Service, relative

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MAX_ANSWER_CHARS = 20_000
MAX_CITATIONS = 50
MAX_ID_CHARS = 200
MAX_DOCUMENTS = 100  # documents one question may be limited to


# ---------------------------------------------------------------- request bodies

def _lone_surrogate(value: Any, where: str = "the body") -> str:
    """Where in a parsed JSON value a string holds a lone surrogate ('' when none): JSON allows "\\ud800",
    UTF-8 cannot encode it, so it would fail later, deep inside an answer or the feedback database."""
    return _first_string(value, lambda s: any(0xD800 <= ord(ch) <= 0xDFFF for ch in s), where)


def _first_string(value: Any, bad, where: str = "the body") -> str:
    """Where in a parsed JSON value the first string that ``bad`` flags is ('' when none)."""
    if isinstance(value, str):
        return where if bad(value) else ""
    if isinstance(value, dict):
        for k, v in value.items():
            found = _first_string(k, bad, f"a field name in {where}") or _first_string(v, bad, f"field {k!r}")
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = _first_string(v, bad, f"{where} item {i + 1}")
            if found:
                return found
    return ""


class _Body(BaseModel):
    """A JSON object with the declared fields only, and text only in its strings."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _text_only(cls, data: Any) -> Any:
        where = _lone_surrogate(data)
        if where:
            raise ValueError(f"{where} contains a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text")
        return data


def _history(value: Any) -> Any:
    # The pipeline's own parser names the first malformed entry; null means no history. Entries are held to the
    # default question limit here, and the assistant applies its settings' limits (and the total) again.
    if value is None:
        return []
    parse_history(value, MAX_QUESTION_CHARS)
    return value


Cited = Annotated[
    Union[Annotated[dict, Tag("object")], Annotated[str, Tag("id")]],
    Discriminator(lambda c: "object" if isinstance(c, dict) else "id" if isinstance(c, str) else None,
                  custom_error_type="one_of", custom_error_message="must be a citation object or a clause id")]


DocumentName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ID_CHARS)]


class AskRequest(_Body):
    question: str = Field(..., description="The user's question (at most 500 characters).",
                          examples=["谁负责知识产权保护？"])
    history: Annotated[list[str | dict], BeforeValidator(_history)] = Field(
        default_factory=list,
        description=f"Earlier turns of the same conversation, oldest first (at most {MAX_TURNS}): questions "
                    "(strings), results records ({\"question\": …, \"citations\": [{\"id\": …}]}) or OpenAI-style "
                    "messages ({\"role\": \"user\"|\"assistant\", \"content\": …, \"citations\": […]}). With the "
                    "earlier answers' citations, \"它\" and \"the second one\" refer to what was actually shown.",
        examples=[[{"question": "光谷有什么人才政策？", "citations": [{"id": "2.1.2"}]}]])
    id: str | None = Field(None, max_length=MAX_ID_CHARS, description="Echoed as the record's id.")
    documents: list[DocumentName] = Field(
        default_factory=list, max_length=MAX_DOCUMENTS,
        description="Answer from these documents only, by id or title (`GET /api/documents` lists them); empty or "
                    "left out: every document. One that is not served is a 422 naming it.",
        examples=[["plan"]])


class FeedbackRequest(_Body):
    question: str = Field(..., examples=["谁负责知识产权保护？"])
    answer: str = Field(..., max_length=MAX_ANSWER_CHARS, description="The answer text being judged.")
    citations: list[Cited] = Field(default_factory=list, max_length=MAX_CITATIONS,
                                   description="The answer's citations (record citation objects) or their ids.")
    verdict: Literal["up", "down"] = Field(..., examples=["up"])
    source: Literal["api", "widget"] = "api"

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = _first_string(data, lambda text: "\x00" in text)
        if where:  # PostgreSQL's text cannot hold one, so no backend takes one (new_verdict)
            raise ValueError(f"{where} contains a NUL character (\\u0000), which feedback cannot store")
        return data

    @field_validator("answer")
    @classmethod
    def _said_something(cls, answer: str) -> str:
        if not answer.strip():
            raise ValueError("the answer is empty")
        return answer


# ---------------------------------------------------------------- responses (the record is assistant.types.Record)

class ClauseOut(BaseModel):
    id: str = Field(..., examples=["2.5.2"])
    kind: str
    path: str = Field(..., examples=["二、主要任务 > (五)实施双创环境优化行动,营造热带雨林式创新生态圈 > 2."])
    title: str = Field(..., examples=["强化知识产权保护"])
    text: str
    bureaus: list[str] = Field(..., examples=[["市市场监管局", "市地方金融局", "市法院"]])
    bureau_groups: list[list[str]]
    label: str
    document: str = Field("", description="The document's id (`GET /api/documents`); left out for the plan.")


class ClauseSummary(BaseModel):
    id: str
    kind: str
    label: str
    title: str
    bureaus: list[str]
    document: str = Field("", description="The document's id; left out for the plan.")


class DocumentInfo(BaseModel):
    id: str = Field(..., description="What `documents` in `POST /api/ask` and `?document=` take (or the title).",
                    examples=["plan"])
    title: str = Field(..., examples=["促进武汉东湖新技术开发区高质量发展行动方案"])
    issuer: str = Field(..., description="As printed; empty when the document does not say.")
    number: str = Field(..., description="Its document number (文号), e.g. 国务院令第706号; empty when none.")
    date: str = Field(..., description="YYYY-MM-DD, as printed in the header, else the date in brackets ending "
                      "the file's name; empty when none.", examples=["2022-02-21"])
    kind: str = Field(..., description="What it is by its title: 法, 条例, 方案, 通知…", examples=["方案"])
    clauses: int = Field(..., description="How many clauses (articles, tasks, paragraphs) it holds.")
    source: str = Field(..., description="The file it was read from.")


class DocumentOut(BaseModel):
    id: str = Field(..., examples=["plan"])
    title: str = Field(..., examples=["促进武汉东湖新技术开发区高质量发展行动方案"])


class MapTask(BaseModel):
    id: str = Field(..., examples=["2.5.2"])
    label: str = Field(..., examples=["二、(五) 2. 强化知识产权保护"])
    title: str = Field(..., examples=["强化知识产权保护"])
    path: str
    kind: str = Field(..., description="`task` or `safeguard`")
    bureaus: list[str] = Field(..., description="Its responsible bureaus as printed; the first one leads.")


class MapCell(BaseModel):
    bureau: str = Field(..., examples=["市市场监管局"])
    task: str = Field(..., description="The clause id (`GET /api/clauses/{id}`).", examples=["2.5.2"])
    position: int = Field(..., description="The bureau's place in the task's listing, 1 = first.", examples=[1])
    lead: bool = Field(..., description="Listed first: the lead bureau (牵头).")


class MapOut(BaseModel):
    document: DocumentOut
    bureaus: list[str] = Field(..., description="The rows: most tasks first, then most leads, then first printed.")
    tasks: list[MapTask] = Field(..., description="The columns: every clause listing 责任单位, in printed order.")
    cells: list[MapCell] = Field(..., description="One per bureau named in a task, row by row.")
    counts: dict[str, int] = Field(..., description="Tasks naming each bureau.")
    leads: dict[str, int] = Field(..., description="Tasks each bureau is listed first for.")


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
    index: str | None = None
    documents: int
    feedback: str


def _errors(*codes: int) -> dict:
    what = {400: "Malformed JSON or an empty body", 403: "The page's origin is not allowed", 404: "Not found",
            413: "Body too large", 415: "Not JSON", 422: "A field breaks a rule",
            429: "Too many requests from this client", 503: "The assistant or the feedback store is unavailable"}
    return {c: {"model": ErrorOut, "description": what[c]} for c in codes}


# ---------------------------------------------------------------- routes

def _service(request: Request) -> Service:
    return request.app.state.service


async def _assistant(service: Service):
    return await run_in_threadpool(service.answerer)  # the first call builds it: seconds, off the event loop


def _json_only(request: Request) -> None:
    """415 unless the body is declared as UTF-8 JSON (FastAPI would read any other body as a missing one)."""
    media, _, params = (request.headers.get("content-type") or "").partition(";")
    media = media.strip().lower()
    if not media:
        raise HTTPException(415, "the body must be JSON: send the header Content-Type: application/json")
    if media != "application/json":
        raise HTTPException(415, f"the body must be JSON (Content-Type: application/json), not {media}")
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.I)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise HTTPException(415, f"the body must be UTF-8 JSON, not {charset.group(1)}")


router = APIRouter(max_body_size=MAX_BODY_BYTES)
json_body = [Depends(_json_only)]


@router.get("/healthz", response_model=Health, tags=["service"], summary="Health and readiness",
            responses=_errors(503))
async def healthz(service: Service = Depends(_service)):
    """Liveness and readiness: `assistant` is `loading` until the model has answered its first question."""
    s, answerer = service.settings, service.loaded
    status = answerer.status() if answerer else {}
    body = {"status": "ok" if service.state != "error" else "error", "assistant": service.state,
            "error": relative(service.error), "clauses": status.get("clauses"),
            "embedder": s.embedder, "llm": s.llm, "uptime_s": round(time.time() - service.started, 1)}
    if answerer:
        body["index"] = status["index"]
    body["documents"] = len(service.documents)
    body["feedback"] = await run_in_threadpool(service.feedback.status)
    return JSONResponse(body, 503 if service.state == "error" else 200)


@router.post("/api/ask", response_model=Record, response_model_exclude_defaults=True,  # a citation names its
             # document and source only where there are several (shared/EVAL-FORMAT.md)
             tags=["questions"], summary="Ask a question", dependencies=json_body,
             responses=_errors(400, 403, 413, 415, 422, 429, 503))
async def ask(body: AskRequest, request: Request, response: Response, service: Service = Depends(_service)):
    """Answer one question (with the earlier turns as `history`, from the `documents` named); returns one results
    record."""
    try:
        documents = service.resolve(body.documents)
    except UnknownDocument as e:
        raise HTTPException(422, str(e)) from None
    answer = await run_in_threadpool(service.ask, body.question, body.history, documents)
    service.log_answer(answer, request.client.host if request.client else "unknown", "api")
    response.headers["Cache-Control"] = "no-store"
    return answer.to_record(body.id or "")


@router.get("/api/documents", response_model=list[DocumentInfo], tags=["clauses"], summary="List the documents",
            responses=_errors(403))
async def documents(service: Service = Depends(_service)):
    """The documents served: the bundled plan, or every document of the corpus index (`ASSISTANT_INDEX_DIR`)."""
    return [{**d.to_dict(), "source": relative(d.source)} for d in service.documents]


@router.get("/api/clauses", response_model=list[ClauseSummary], response_model_exclude_defaults=True,
            tags=["clauses"], summary="List the clauses", responses=_errors(403, 503))
async def clauses(service: Service = Depends(_service)):
    """Every clause served, in document order (ids for `GET /api/clauses/{id}`)."""
    return [{"id": c.id, "kind": c.kind, "label": c.label, "title": c.title, "bureaus": list(c.bureaus),
             "document": c.document} for c in (await _assistant(service)).clauses()]


@router.get("/api/clauses/{clause_id}", response_model=ClauseOut, response_model_exclude_defaults=True,
            tags=["clauses"], summary="One clause", responses=_errors(403, 404, 503))
async def clause(clause_id: str, service: Service = Depends(_service)):
    """One clause: its path, title, full text and responsible bureaus."""
    c = (await _assistant(service)).clause(clause_id)
    if c is None:
        shown = clause_id if len(clause_id) <= 40 else clause_id[:40] + "…"
        raise HTTPException(404, f"no clause with id {shown!r}; ids look like 2.5.2 (GET /api/clauses lists them)")
    return c.to_dict()


@router.get("/api/map", response_model=MapOut, tags=["clauses"], summary="Which bureau is named in which task",
            responses=_errors(403, 404, 422, 503))
async def responsibility(document: str | None = Query(None, max_length=MAX_ID_CHARS,
                                                     description="The document, by id or title (the plan's "
                                                                 "default: the plan, id `plan`; a corpus needs one)."),
                         service: Service = Depends(_service)):
    """The responsibility map, bureaus × tasks: which bureau each task names and whether it leads. A document that
    lists no responsible bodies (责任单位) — most laws — has none: 404."""
    name = (document or "").strip()
    if not name and service.kind != "plan":
        raise HTTPException(422, f"name a document: ?document=<id or title> (GET /api/documents lists the "
                                 f"{len(service.documents)} documents)")
    try:
        doc_id = service.resolve([name])[0] if name else service.documents[0].id
    except UnknownDocument as e:
        raise HTTPException(404, str(e)) from None
    doc = next(d for d in service.documents if d.id == doc_id)
    rmap = responsibility_map((await _assistant(service)).clauses(doc_id), doc_id)
    if not rmap.tasks:
        raise HTTPException(404, f"the document {doc_id!r} ({doc.title}) lists no responsible bodies (责任单位), so "
                                 f"it has no responsibility map")
    return dataclasses.replace(rmap, title=doc.title).to_dict()


@router.post("/api/feedback", response_model=FeedbackOut, status_code=201, tags=["feedback"],
             summary="Rate an answer 👍/👎", dependencies=json_body,
             responses=_errors(400, 403, 413, 415, 422, 429, 503))
async def feedback(body: FeedbackRequest, service: Service = Depends(_service)):
    """Store a 👍 (`up`) or 👎 (`down`) verdict on an answer."""
    question = check_question(body.question, service.settings.max_question_chars)
    row = await run_in_threadpool(service.feedback.add, question, body.answer, body.citations, body.verdict,
                                  body.source)
    return {"id": row, "stored": True}


@router.get("/api/widget/config", tags=["widget"], summary="Widget settings (and the origin check)",
            responses=_errors(403, 422))
async def widget_config(documents: str = Query("", max_length=MAX_DOCUMENTS * MAX_ID_CHARS,
                                               description="The script tag's `data-documents`: ids or titles, "
                                                           "comma-separated; a 422 names one that is not served."),
                        service: Service = Depends(_service)):
    """What the widget needs before it shows itself: the question limits, example questions, how many documents are
    served, and those its questions are limited to (`[]`: every one); refused (403) for origins outside the
    allowlist."""
    try:
        chosen = set(service.resolve([n for n in documents.split(",") if n.strip()]))
    except UnknownDocument as e:
        raise HTTPException(422, f"data-documents: {e}") from None
    return {"max_question_chars": service.settings.max_question_chars, "max_turns": MAX_TURNS,
            "examples": service.examples, "served": len(service.documents),
            "documents": [{"id": d.id, "title": d.title} for d in service.documents if d.id in chosen]}


@router.get("/widget.js", include_in_schema=False)
async def widget_js():
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300"})


@router.get("/widget-demo", include_in_schema=False)
async def widget_demo():
    return FileResponse(STATIC_DIR / "widget-demo.html", media_type="text/html; charset=utf-8")


# ---------------------------------------------------------------- the app

def _docs_assets() -> Path | None:
    # Swagger UI from a local copy when fastapi-offline is installed, so /docs works on an intranet.
    try:
        import fastapi_offline
    except ImportError:
        return None
    static = Path(fastapi_offline.__file__).resolve().parent / "static"
    return static if (static / "swagger-ui-bundle.js").is_file() else None


def create_api(service: Service, warm_up: bool = True) -> FastAPI:
    """The FastAPI app with the API, the widget, the docs and the origin policy (the chat mounts on it).

    Args:
        service: the shared assistant, settings and feedback store.
        warm_up: load the assistant in the background when the server starts.

    Returns:
        The app; mount the Gradio chat on it last, at ``/`` (``assistant.server.chat.mount_chat``).

    Raises:
        ValueError: on a rate-limit setting or a trusted proxy that cannot be read.
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
    s = service.settings
    app.add_middleware(LimitsMiddleware, limits=RateLimits(s.rate_limit, s.feedback_rate_limit, s.trusted_proxies))
    app.add_middleware(OriginGate, policy=service.policy)  # added last, so it runs first
    errors.install(app)
    app.include_router(router)

    assets = _docs_assets()
    if assets is not None:
        from fastapi.staticfiles import StaticFiles

        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        local = {"swagger_js_url": f"{root}/docs-assets/swagger-ui-bundle.js",
                 "swagger_css_url": f"{root}/docs-assets/swagger-ui.css",
                 "swagger_favicon_url": f"{root}/docs-assets/favicon.png"} if assets else {}
        return get_swagger_ui_html(openapi_url=f"{root}{app.openapi_url}", title=app.title, **local)

    return app
