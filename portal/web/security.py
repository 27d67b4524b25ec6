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


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
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
