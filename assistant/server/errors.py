"""Every error the server answers is one line of JSON, ``{"error": message}``: the exception handlers that word
the framework's errors (404, 405, 413, malformed JSON, validation) and ours (bad input, busy, unavailable)."""
from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.routing import Mount

from ..pipeline import InputError, kind_of
from .feedback import FeedbackError
from .service import AssistantUnavailable

log = logging.getLogger("assistant.server")

# Why a body could not be read, by the exception FastAPI's generic 400 was raised from.
UNREADABLE = ((UnicodeDecodeError, "the body is not UTF-8 text"), (RecursionError, "the body is nested too deeply"),
              (ValueError, "the body holds a number too large to read"))  # an integer of over 4,300 digits
# What a pydantic type error expected, in JSON's terms.
EXPECTED = {"string_type": "a string", "list_type": "an array", "dict_type": "an object", "bool_type": "a boolean",
            "int_type": "an integer", "float_type": "a number"}
BODY_NOT_OBJECT = ("model_type", "model_attributes_type", "dict_type")
EMPTY_BODY = "the body is empty; send a JSON object"


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    """The one error shape: ``{"error": message}``."""
    return JSONResponse({"error": message}, status, headers=headers)


def not_found(path: str) -> str:
    if path.startswith("/api/"):
        return f"no API endpoint at {path}; see /docs"
    return f"no page at {path}; the chat is at /, the API under /api/ (see /docs)"


def _subject(loc: tuple) -> str:
    """``("body", "citations", 0)`` → ``citations item 1``; ``("body", "id")`` → ``the id``."""
    parts = [p for p in loc if p not in ("body", "query", "path")]
    if not parts:
        return "the body"
    name = f"the {parts[0]}"
    for p in parts[1:]:
        name = f"{name.removeprefix('the ')} item {p + 1}" if isinstance(p, int) else f"{name}.{p}"
    return name


def validation_message(e: dict, body_fields=()) -> str:
    """One line for one pydantic error, worded like the rest of the API.

    Args:
        e: an entry of ``RequestValidationError.errors()``.
        body_fields: the request model's field names, listed when a field is unknown.
    """
    kind, loc, ctx, value = e["type"], tuple(e.get("loc", ())), e.get("ctx") or {}, e.get("input")
    subject = _subject(loc)
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        return str(ctx["error"])  # our validators' messages (InputError and the models' own) name their field
    if kind == "missing":
        return f"{subject} is missing"
    if kind in BODY_NOT_OBJECT and subject == "the body":
        return f"the body must be a JSON object, not {kind_of(value)}"
    if kind == "extra_forbidden":
        fields = f"; the fields are {', '.join(body_fields)}" if body_fields else ""
        return f"unknown field {loc[-1]!r}{fields}"
    if kind in EXPECTED:
        return f"{subject} must be {EXPECTED[kind]}, not {kind_of(value)}"
    if kind == "string_too_long":
        return f"{subject} is {len(value)} characters long; the limit is {ctx['max_length']}"
    if kind == "too_long":
        return f"there are {ctx['actual_length']} items in {subject}; the limit is {ctx['max_length']}"
    if kind == "literal_error":
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        return f"{subject} must be {ctx['expected']}, not {shown}"
    if kind == "one_of":  # a union whose members the model names (e.g. a citation object or a clause id)
        return f"{subject} {e['msg']}, not {kind_of(value)}"
    return f"{subject}: {e['msg'][:1].lower()}{e['msg'][1:]}"


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if not errors:
        return error(422, "invalid request")
    first = min(errors, key=lambda e: e["type"] != "extra_forbidden")  # a misspelt field says more than "missing"
    if first["type"] == "missing" and tuple(first["loc"]) == ("body",):
        return error(400, EMPTY_BODY)
    if first["type"] == "json_invalid":
        doc, pos = exc.body if isinstance(exc.body, str) else "", first["loc"][-1]
        if not doc.strip():
            return error(400, EMPTY_BODY)
        line, column = doc.count("\n", 0, pos) + 1, pos - doc.rfind("\n", 0, pos)
        return error(400, f"the body is not valid JSON: {first['ctx']['error']} at line {line} column {column}")
    field = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(field, "field_info", None), "annotation", None)
    return error(422, validation_message(first, tuple(getattr(model, "model_fields", ()))))


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    status, message = exc.status_code, exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    if status == 404 and message == "Not Found":  # no route: the router's own 404
        message = not_found(request.url.path)
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}; use {(exc.headers or {}).get('Allow')}"
    elif status == 413:  # a body without a Content-Length that grew too large (a declared one: limits.py)
        limit = request.scope.get(MAX_BODY_SIZE_SCOPE_KEY)
        message = f"the body is over {limit} bytes; the limit is {limit}"
    elif status == 400 and exc.__cause__ is not None:
        message = next((m for cls, m in UNREADABLE if isinstance(exc.__cause__, cls)), message)
    return error(status, message, headers=exc.headers)


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, FeedbackError):
        log.error("%s (database %s)", exc, request.app.state.service.feedback.where)
    headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
    return error(503, str(exc), headers)


async def _internal(_request: Request, _exc: Exception) -> JSONResponse:
    log.exception("unhandled error")
    return error(500, "internal error; the server's log has the details")


async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
    return error(422, str(exc))


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` as ``{"error": message}``."""
    from ..generate import ModelBusy  # with the index and the composers: loaded when an app is made, not on import

    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    for unavailable in (AssistantUnavailable, FeedbackError, ModelBusy):
        app.add_exception_handler(unavailable, _unavailable)
    app.add_exception_handler(Exception, _internal)


def install_for_mount(mount: Mount) -> None:
    """A mounted app (the Gradio chat) keeps its own error bodies, but a path or method it has no route for is
    answered like the API's: ``{"error": …}``, not ``{"detail": …}``."""

    async def no_route(request: Request, exc: HTTPException):
        unmatched = request.scope.get("endpoint") is mount.app  # its router found no route of its own
        if (exc.status_code == 404 and unmatched) or exc.status_code == 405:
            return await _http_error(request, exc)
        return await http_exception_handler(request, exc)

    mount.app.add_exception_handler(HTTPException, no_route)
