"""Headers every response carries."""

from __future__ import annotations

from flask import Flask, Response, g, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


# Each is added unless the view set its own.
EVERY_RESPONSE = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
OVER_HTTPS = (("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # The names the response has, read once: asking the headers for each name in turn
    # reads them all each time.
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 - Headers, not a dict
    wanted = EVERY_RESPONSE + OVER_HTTPS if request.is_secure else EVERY_RESPONSE
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    # Static files are the same for everyone and carry a version in their URL, so they
    # may be cached; everything else may be personal and must never be stored.
    if not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    elif getattr(g, "versioned_static", False) or request.args.get("v"):
        headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)
