"""One authenticator code signs in one session, even when many post it at the same moment.

As in production: two real server processes (threaded), one shared database, and
browser sessions that have each passed the password step posting the same code at
once. Replay protection must hold across requests, threads and processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.domain import two_factor
from portal.extensions import db
from portal.models import AuditAction, AuditEvent, StaffUser, utcnow
from tests import factories
from tests.factories import STAFF_PASSWORD, TOTP_SECRET
from tests.journeys import next_code
from tests.live_servers import Browser, server_processes

SESSIONS = 8


@pytest.fixture
def two_servers(app: Flask, database: None) -> Iterator[tuple[int, int]]:
    """Two threaded server processes on the test database (SQLite file or PostgreSQL);
    each limits on its own (no Redis), far above what this test sends."""
    with server_processes(app, 2) as ports:
        yield ports[0], ports[1]


def test_one_code_posted_by_many_sessions_at_once_signs_in_only_one(two_servers) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    browsers = [Browser(two_servers[n % 2]) for n in range(SESSIONS)]
    for browser in browsers:
        token = browser.csrf_token("/staff/sign-in")
        status, headers, _page = browser.request(
            "POST",
            "/staff/sign-in",
            {"email": iro.email, "password": STAFF_PASSWORD, "csrf_token": token},
        )
        assert status == 302 and headers["Location"].endswith("/staff/sign-in/code")
    tokens = [browser.csrf_token("/staff/sign-in/code") for browser in browsers]
    # A code the server accepts for at least ten more seconds (see next_code).
    code = next_code(iro.email)
    now = two_factor.step_at(utcnow())
    step = next(s for s in range(now - 1, now + 2) if two_factor.code_at(TOTP_SECRET, s) == code)

    at_once = threading.Barrier(SESSIONS)
    results: list[tuple[int, dict[str, str], str] | BaseException] = [
        RuntimeError("no answer")
    ] * SESSIONS

    def post_code(n: int) -> None:
        try:
            at_once.wait(timeout=20)
            results[n] = browsers[n].request(
                "POST", "/staff/sign-in/code", {"code": code, "csrf_token": tokens[n]}
            )
        except BaseException as error:  # reported by the assertions below
            results[n] = error

    threads = [threading.Thread(target=post_code, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    answers = [result for result in results if not isinstance(result, BaseException)]
    assert len(answers) == SESSIONS, results
    statuses = sorted(status for status, _headers, _page in answers)
    assert all(status in (200, 302) for status in statuses), statuses  # nothing 500s
    signed_in = [n for n, (status, _h, _p) in enumerate(answers) if status == 302]
    assert len(signed_in) == 1, f"{len(signed_in)} of {SESSIONS} sessions signed in with one code"
    winner = browsers[signed_in[0]]
    home = answers[signed_in[0]][1]["Location"]
    assert home == "/staff/"
    assert winner.request("GET", home)[0] == 200
    for n, (status, _headers, page) in enumerate(answers):
        if n != signed_in[0]:
            assert status == 200 and "already used" in page
            assert browsers[n].request("GET", "/staff/")[0] == 302  # still not signed in

    db.session.expire_all()
    assert db.session.get(StaffUser, iro.id).totp_last_step == step  # type: ignore[union-attr]
    counts = dict(
        db.session.execute(
            select(AuditEvent.action, func.count())
            .where(AuditEvent.staff_user_id == iro.id)
            .group_by(AuditEvent.action)
        ).all()
    )
    assert counts.get(AuditAction.SIGNED_IN) == 1
    assert counts.get(AuditAction.TWO_FACTOR_FAILED) == SESSIONS - 1


def test_wrong_passwords_sent_at_once_each_count_towards_the_lockout(two_servers) -> None:
    iro = factories.staff(factories.authority())
    db.session.commit()
    browsers = [Browser(two_servers[n % 2]) for n in range(SESSIONS)]
    tokens = [browser.csrf_token("/staff/sign-in") for browser in browsers]
    email, iro_id = iro.email, iro.id
    at_once = threading.Barrier(SESSIONS)
    statuses: list[int | BaseException] = []

    def wrong_password(n: int) -> None:
        try:
            at_once.wait(timeout=20)
            status, _headers, _page = browsers[n].request(
                "POST",
                "/staff/sign-in",
                {"email": email, "password": "not the password", "csrf_token": tokens[n]},
            )
            statuses.append(status)
        except BaseException as error:  # reported by the assertion below
            statuses.append(error)

    threads = [threading.Thread(target=wrong_password, args=(n,)) for n in range(SESSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * SESSIONS, statuses
    db.session.expire_all()
    # Before, concurrent failures overwrote each other's count: 8 tries counted as 1 or 2.
    assert db.session.get(StaffUser, iro_id).failed_sign_ins == SESSIONS  # type: ignore[union-attr]
