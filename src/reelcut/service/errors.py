"""The envelope every JSON answer comes in, and how errors map onto it.

``{"code": 0, "message": "ok", "data": ...}`` on success; on failure ``code`` is a stable number
(see the table below) and ``message`` is a sentence a client can show as it is. FastAPI's own
422 shape never leaks: validation errors, unknown routes and unexpected exceptions all answer in
the envelope.

======  =====  ================================================================================
code    HTTP   meaning
======  =====  ================================================================================
0       200    success
400     400    bad request: invalid JSON or fields, missing X-Client-Id, a field out of range
404     404    no such route, render or file (another account's render is "not found" too)
405     405    method not allowed
409     409    an edit is already running in this session, or another process changed its project
               meanwhile (try again)
413     413    request body larger than allowed (JSON bodies; file size is 4002)
422     422    an ``Idempotency-Key`` sent again with another change (the first one was made)
429     429    too many requests: rate limit, one anonymous token per client id, job limits,
               job queue full, too many event streams open (``max_streams_per_account``)
1001    401    missing, unknown or expired token
1002    404    session not found (also another account's session)
2001    403    not enough credits for this job (the message says how many it needs)
2002    402    export is not in this key's plan
4001    415    unsupported file: not one of mp4 mov avi webm mkv jpg png gif webp mp3 wav m4a
               aac, judged by content
4002    413    file over the size limit
4003..  400    other input errors of :mod:`reelcut.errors` (damaged, empty, no video stream...)
4008    400    bad argument; also a URL the service refuses to fetch (scheme, private address)
4010    400    an invalid draft or edit (the message says what is wrong)
4013    400    nothing said in the footage is about the topic asked for
4014    400    a subtitle file that cannot be read as SRT
5001    500    FFmpeg failed (render jobs report it as a failed job, not an HTTP error)
500     500    unexpected server error
======  =====  ================================================================================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reelcut.errors import InputTooLargeError, ReelcutError, UnsupportedMediaError

log = logging.getLogger("reelcut.service")

BAD_TOKEN = 1001
SESSION_NOT_FOUND = 1002
NO_CREDITS = 2001
EXPORT_NOT_IN_PLAN = 2002


def envelope(data: Any = None, message: str = "ok", code: int = 0) -> dict[str, Any]:
    return {"code": code, "message": message, "data": data}


class ApiError(Exception):
    """An answer other than success: HTTP status, envelope code and a message to show."""

    def __init__(
        self, status: int, code: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def bad_request(message: str) -> ApiError:
    return ApiError(400, 400, message)


def bad_token(message: str = "missing, unknown or expired token") -> ApiError:
    return ApiError(401, BAD_TOKEN, message, {"WWW-Authenticate": "Bearer"})


def session_not_found(session_id: str) -> ApiError:
    return ApiError(404, SESSION_NOT_FOUND, f"session {session_id[:64]} not found")


def not_found(what: str) -> ApiError:
    return ApiError(404, 404, f"{what} not found")


def too_many(message: str, retry_after_s: int = 60) -> ApiError:
    return ApiError(429, 429, message, {"Retry-After": str(retry_after_s)})


def http_status_for(error: ReelcutError) -> int:
    return http_status_for_code(error.code)


def http_status_for_code(code: int) -> int:
    """The one table from error codes to HTTP statuses: for errors raised here and for the
    codes job rows keep (a job that failed on a worker answers as if it failed here)."""
    if code == UnsupportedMediaError.code:
        return 415
    if code == InputTooLargeError.code:
        return 413
    if code in (409, 422, 429):  # a project changed under an edit (another process); an
        return code  # Idempotency-Key reused for another change; a full queue
    return 500 if code >= 5000 else 400


def error_response(status: int, code: int, message: str, headers: Any = None) -> JSONResponse:
    return JSONResponse(envelope(None, message, code), status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts) if parts else "invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the envelope."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(ReelcutError)
    async def _reelcut(request: Request, exc: ReelcutError) -> JSONResponse:
        return error_response(http_status_for(exc), exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(400, 400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            message = f"no such endpoint: {request.method} {request.url.path}"[:300]
        return error_response(exc.status_code, exc.status_code, message, exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, 500, "internal error; the server log has the details")
