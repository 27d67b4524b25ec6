"""One log line a request, with nothing personal in it.

Each line names the request (an id), the route by its endpoint name (never the URL: a
personal link's path is its token), the method, the status and the time taken. It never
holds the client's address (personal data under UK GDPR: the TLS proxy's own access log
has it, under the proxy's retention, and the request id joins the two), form data, query
strings or anyone's name. ``LOG_FORMAT=json`` writes one JSON object a line; otherwise a
line for people to read. Static files are not logged: they say nothing about anyone's
request and would be most of the lines.

The request id comes from the proxy's ``X-Request-Id`` header when that is a plain token,
otherwise it is made here; it goes back in the response's ``X-Request-Id`` header and is
kept in ``g.request_id`` for error pages.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import TextIO, cast

from flask import Flask, Response, current_app, g, request
from flask.logging import wsgi_errors_stream

LOGGER_NAME = "portal.requests"
HEADER = "X-Request-Id"
LOG_FORMATS = ("text", "json")

log = logging.getLogger(LOGGER_NAME)

_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_SANE_METHOD = re.compile(r"[A-Z]{1,16}")
_UNLOGGED_ENDPOINTS = frozenset({"static"})


def init_request_log(app: Flask) -> None:
    # First of all before-request functions (CSRF and rate limits may refuse a request,
    # and it still gets its id and line) and last of all after-request functions (so the
    # line has the final status and the time includes the others' work).
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    _give_the_logger_somewhere_to_write()


def _give_the_logger_somewhere_to_write() -> None:
    """Write each line as it is, to the server's error stream (standard error, or
    gunicorn's error log), unless the deployment has configured this logger itself.

    It does not pass lines up to other loggers: a handler there (Flask's own, on the
    ``portal`` logger) would write each line twice, or wrap a JSON line in other text.
    """
    if log.handlers:
        return
    # The request's wsgi.errors in a request, else sys.stderr as it is at the time.
    handler = logging.StreamHandler(cast(TextIO, wsgi_errors_stream))
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def request_id_from(header: str | None) -> str:
    """The proxy's id if it is a plain token of 64 characters or fewer, else a new one."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _begin() -> None:
    # Set on every request: `g` may outlive one request when a test shares an app context.
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or request_id_from(None)
    response.headers[HEADER] = request_id
    if request.endpoint in _UNLOGGED_ENDPOINTS:
        return response
    started = g.get("request_started")
    fields: dict[str, object] = {
        "request_id": request_id,
        # The route's name, e.g. families.sign_in.open_link; None when nothing matched.
        "endpoint": request.endpoint,
        "method": request.method if _SANE_METHOD.fullmatch(request.method) else "OTHER",
        "status": response.status_code,
        "duration_ms": (
            round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        ),
    }
    level = logging.WARNING if response.status_code >= 500 else logging.INFO
    log.log(level, render(fields, current_app.config.get("LOG_FORMAT", "text")), extra=fields)
    return response


def render(fields: dict[str, object], log_format: str) -> str:
    moment = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if log_format == "json":
        return json.dumps({"time": moment, **fields}, separators=(",", ":"))
    duration = fields["duration_ms"]
    return " ".join(
        [
            moment,
            str(fields["method"]),
            str(fields["endpoint"] or "-"),
            str(fields["status"]),
            f"{duration}ms" if duration is not None else "-",
            f"request_id={fields['request_id']}",
        ]
    )
