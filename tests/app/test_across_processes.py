"""Lockouts and rate limits hold across server processes, as in production: two real
servers share one database and one Redis, and what one refuses the other refuses too."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from portal.extensions import db
from tests import factories
from tests.conftest import IN_CI
from tests.live_servers import Browser, server_processes

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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
    with server_processes(app, 2, redis_url=REDIS_URL) as ports:
        yield ports[0], ports[1]


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
