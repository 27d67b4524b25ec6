"""Real server processes on the test database, and a minimal browser to talk to them.

For tests that need what only separate processes show: locks and limits shared through
the database and Redis, and requests that really arrive at the same moment.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import Flask

SERVE = """
from werkzeug.serving import make_server
from portal import create_app
server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A minimal client with its own session cookie; it does not follow redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def csrf_token(self, path: str) -> str:
        _status, _headers, page = self.request("GET", path)
        token = CSRF_INPUT.search(page)
        assert token, f"no form on {path}"
        return token.group(1)

    def submit(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        """Post a form as a browser would, with the token from the page it is on."""
        status, _headers, page = self.request(
            "POST", path, {**form, "csrf_token": self.csrf_token(path)}
        )
        return status, page


@contextmanager
def server_processes(app: Flask, count: int = 2, redis_url: str = "") -> Iterator[list[int]]:
    """``count`` threaded server processes on the app's database; yields their ports."""
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": redis_url,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        yield [int(process.stdout.readline()) for process in processes]  # type: ignore[union-attr]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
            if process.stdout:
                process.stdout.close()
