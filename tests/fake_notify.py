"""A stand-in for GOV.UK Notify's API on 127.0.0.1: a real HTTP server in a thread.

It checks the bearer token as Notify does (a JWT signed with the API key's secret,
issued by the service id, fresh within 30 seconds), records each notification's JSON,
and can be told to fail the way Notify fails.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt

from tests.local_server import ServedInBackground

PATHS = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}


@dataclass
class Received:
    kind: str  # "email" or "sms"
    json: dict[str, Any]


@dataclass
class FakeNotify(ServedInBackground):
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    received: list[Received] = field(default_factory=list)
    # (status, body) to answer every request with, instead of accepting it.
    failure: tuple[int, dict[str, Any] | None] | None = None
    rejected_tokens: int = 0

    @property
    def api_key(self) -> str:
        return f"portal_test-{self.service_id}-{self.secret}"

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_with(
        self, status: int, message: str | None = None, error: str = "BadRequestError"
    ) -> None:
        """Answer like Notify does when it refuses: {"errors": [...], "status_code": …}."""
        body = (
            {"errors": [{"error": error, "message": message}], "status_code": status}
            if message is not None
            else None
        )
        self.failure = (status, body)

    def start(self) -> FakeNotify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any] | None) -> None:
                payload = json.dumps(body).encode() if body is not None else b"Server error"
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if body is not None else "text/plain"
                )
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                kind = PATHS.get(self.path)
                if kind is None:
                    self._answer(404, {"errors": [{"error": "NotFound"}], "status_code": 404})
                    return
                if not fake._token_is_good(self.headers.get("Authorization", "")):
                    fake.rejected_tokens += 1
                    self._answer(
                        403,
                        {
                            "errors": [
                                {
                                    "error": "AuthError",
                                    "message": "Invalid token: API key not found",
                                }
                            ],
                            "status_code": 403,
                        },
                    )
                    return
                if fake.failure is not None:
                    self._answer(*fake.failure)
                    return
                body = json.loads(raw)
                fake.received.append(Received(kind, body))
                self._answer(
                    201,
                    {
                        "id": str(uuid.uuid4()),
                        "reference": None,
                        "content": {"body": body.get("personalisation", {}).get("body", "")},
                        "template": {"id": body.get("template_id"), "version": 1},
                    },
                )

        return self._serve(HTTPServer(("127.0.0.1", 0), Handler))

    def _token_is_good(self, header: str) -> bool:
        if not header.startswith("Bearer "):
            return False
        try:
            claims = jwt.decode(header[7:], key=self.secret, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            return False
        return claims.get("iss") == self.service_id and abs(time.time() - claims["iat"]) <= 30
