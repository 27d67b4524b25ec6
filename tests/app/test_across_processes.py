"""Lockouts and rate limits hold across server processes, as in production: two real
servers share one database and one Redis, and what one refuses the other refuses too."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from portal.extensions import db
from tests import factories
from tests.conftest import IN_CI

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SERVE = """
from werkzeug.serving import make_server
from portal import create_app
server = make_server("127.0.0.1", 0, create_app(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


class Browser:
    """A minimal client that keeps its session cookie and does not follow redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        connection.close()
        return response.status, text

    def submit(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        _status, page = self.request("GET", path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, f"no form on {path}"
        return self.request("POST", path, {**form, "csrf_token": token.group(1)})


def _redis_or_skip() -> None:
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.ping()
        client.flushdb()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"Redis is needed for this test in CI: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


@pytest.fixture
def two_servers(app, database) -> Iterator[tuple[int, int]]:  # type: ignore[no-untyped-def]
    _redis_or_skip()
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "REDIS_URL": REDIS_URL,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        ports = [int(process.stdout.readline()) for process in processes]  # type: ignore[union-attr]
        yield ports[0], ports[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
            if process.stdout:
                process.stdout.close()


def test_lockouts_and_rate_limits_made_in_one_process_hold_in_the_other(two_servers) -> None:
    first, second = two_servers
    la, iro, kid, review, issued = factories.world()
    db.session.commit()

    # A child's invitation: locked after five wrong secrets through the first server...
    child = Browser(first)
    child.request("GET", f"/i/{issued.link_token}")
    assert child.submit("/sign-in/secret", {"secret": "4821", "confirm": "4821"})[0] == 302
    intruder = Browser(first)
    assert intruder.submit("/sign-in", {"code": issued.code})[0] == 302
    for _ in range(5):
        status, page = intruder.submit("/sign-in/secret", {"secret": "0000"})
    assert "Your invitation is locked" in page
    # ...is locked for the second server too.
    status, page = Browser(second).submit("/sign-in", {"code": issued.code})
    assert "Your invitation is locked" in page

    # A member of staff locked out through one server is locked out of the other.
    for _ in range(10):
        Browser(first).submit("/staff/sign-in", {"email": iro.email, "password": "wrong"})
    status, page = Browser(second).submit(
        "/staff/sign-in", {"email": iro.email, "password": factories.STAFF_PASSWORD}
    )
    assert status == 200 and "This account is locked" in page

    # Guessing codes: the limit reached through one server applies in the other.
    guesser = Browser(first)
    for _ in range(12):
        status, _page = guesser.submit("/sign-in", {"code": "AAA-AAA-AAA"})
        if status == 429:
            break
    assert status == 429
    # The same device (its session cookie) is refused by the other server too.
    elsewhere = Browser(second)
    elsewhere.cookie = guesser.cookie
    status, page = elsewhere.submit("/sign-in", {"code": "AAA-AAA-AAA"})
    assert status == 429 and "Too many tries" in page
