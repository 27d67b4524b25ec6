"""Invitations, reminders and safety alerts go through a real queue and a real worker.

Each test here runs the queue on a real store (a SQLite file, and Redis database 5),
with huey's consumer in threads of this process or `flask --app portal worker` in
another one. The rest of the suite runs the same tasks in immediate mode.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

import portal.notifications.outbox as outbox
from portal.extensions import db
from portal.models import Consultation, Delivery, Invitation, InviteeRole
from portal.notifications import queue as queue_module
from portal.notifications.alerts import alert_staff_to_concern
from portal.notifications.queue import (
    EXTENSION,
    QUEUE_NAME,
    SEND_REMINDER,
    Queue,
    build_queue,
)
from portal.notifications.reminders import ReminderCounts, send_due_reminders
from portal.notifications.tasks import RETRYING, Retrying
from tests import factories
from tests.conftest import IN_CI
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp
from tests.journeys import SECRET, child_signs_in, staff_signs_in

REDIS_URL = os.environ.get("QUEUE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
REDIS_DOWN = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
CODE = re.compile(r"\b([ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3}-[ACFHJKMNRWXY34679]{3})\b")
LINK = re.compile(r"https?://[^\s<\"]+/i/([A-Za-z0-9_\-]+)")
# Quick retries, so that a test can watch them: one second apart.
QUICK = {
    name: Retrying(retries=2, first_wait=1, backoff=1, priority=policy.priority)
    for name, policy in RETRYING.items()
}


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"Redis is needed for this test in CI: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The queue's store: a SQLite file, or Redis database 5."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    _redis_or_skip()
    return REDIS_URL


def _use_queue(
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    retrying: dict[str, Retrying],
    name: str = "",
) -> Queue:
    # A queue of its own, so that test runs side by side never take each other's tasks.
    name = name or f"portal_test_{uuid.uuid4().hex[:12]}"
    made = build_queue(app, url=url, immediate=False, retrying=retrying, name=name)
    monkeypatch.setitem(app.extensions, EXTENSION, made)
    return made


@pytest.fixture
def queue(
    app: Flask, database: None, store: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Queue]:
    """The app's queue, on a real store, with no worker yet: tasks wait in it."""
    made = _use_queue(app, monkeypatch, store, QUICK)
    yield made
    made.huey.storage.flush_all()


@contextmanager
def worker(queue: Queue, workers: int = 1) -> Iterator[None]:
    """huey's consumer, in threads of this process, for as long as the block lasts."""
    consumer = queue.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=False, max_delay=0.2
    )
    consumer._set_signal_handlers = lambda: None  # leave pytest's own Ctrl+C alone
    consumer.start()
    try:
        yield
    finally:
        consumer.stop(graceful=True)


def _eventually(check: Callable[[], object], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        if check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {seconds} s: {check}")
        time.sleep(0.05)


def _deliveries() -> list[Delivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(Delivery).order_by(Delivery.id)))


def _raw_store(queue: Queue, url: str) -> bytes:
    """Every byte the queue's store holds, as an attacker with a copy of it would see."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    import redis

    client = redis.Redis.from_url(url)
    held = []
    for key in client.keys(f"*{queue.huey.name}*"):
        kind = client.type(key)
        if kind == b"zset":
            held.extend(client.zrange(key, 0, -1))
        elif kind == b"list":
            held.extend(client.lrange(key, 0, -1))
        elif kind == b"hash":
            held.extend(v for pair in client.hgetall(key).items() for v in pair)
        elif kind == b"string":
            held.append(client.get(key) or b"")
    return b"".join(held)


def _authority(email_sender: str = "notify", sms_sender: str = "none"):  # type: ignore[no-untyped-def]
    la = factories.authority()
    la.email_sender, la.sms_sender = email_sender, sms_sender
    iro = factories.staff(la, name="Jo Whitfield")
    kid, review = factories.child(la, iro, name="Robin", review_in_days=10)
    db.session.commit()
    return la, iro, kid, review


def _invite_by_email(client, review_id: int, name: str = "Robin"):  # type: ignore[no-untyped-def]
    form = {
        "role": "child",
        "name": name,
        "language": "en_GB",
        "channel": "email",
        "email": f"{name.lower()}@example.com",
    }
    return client.submit(f"/staff/reviews/{review_id}/invite", form)


def _signs_in_with_code(client, code: str) -> None:  # type: ignore[no-untyped-def]
    entered = client.submit("/sign-in", {"code": code})
    assert entered.status_code == 302 and entered.headers["Location"] == "/sign-in/secret"
    chose = client.submit("/sign-in/secret", {"secret": SECRET, "confirm": SECRET})
    assert chose.status_code == 302 and chose.headers["Location"] == "/consultation"


@contextmanager
def _notify_that_never_answers() -> Iterator[str]:
    """A server that takes the connection and then says nothing, like Notify on a bad day."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


# Invitations ------------------------------------------------------------------------------


def test_an_iros_page_never_waits_for_notify_and_the_worker_sends_the_invitation(
    app: Flask,
    client,
    make_client,
    queue: Queue,
    notify: FakeNotify,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    la, iro, kid, review = _authority()
    staff_signs_in(client, iro.email)
    with _notify_that_never_answers() as silent:
        monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", silent)
        started = time.monotonic()
        sent = _invite_by_email(client, review.id)
        took = time.monotonic() - started
    # Sending would have waited 10 seconds for an answer that never came.
    assert sent.status_code == 302 and took < 3, took
    (delivery,) = _deliveries()
    assert (delivery.purpose, delivery.channel, delivery.status, delivery.error) == (
        "invitation",
        "email",
        "queued",
        "",
    )
    page = client.get(sent.headers["Location"]).text
    assert "did not reach" not in page and "table__row--flagged" not in page
    assert notify.received == []

    monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", notify.base_url)  # Notify is back
    with worker(queue):
        _eventually(lambda: _deliveries()[0].status == "sent")
    (delivery,) = _deliveries()
    assert delivery.error == "" and delivery.provider_reference
    (message,) = notify.received
    body = message.json["personalisation"]["body"]
    assert message.json["email_address"] == "robin@example.com"
    assert body.startswith("Hello Robin,") and "http://localhost/i/" in body
    assert "Sent" in client.get(sent.headers["Location"]).text
    _signs_in_with_code(make_client(), CODE.search(body).group(1))  # type: ignore[union-attr]


def test_the_queue_store_never_holds_the_link_or_the_code(
    client, queue: Queue, store: str, notify: FakeNotify
) -> None:
    la, iro, kid, review = _authority()
    staff_signs_in(client, iro.email)
    _invite_by_email(client, review.id)
    held = _raw_store(queue, store)
    assert b"send_invitation" in held  # the task is there, waiting

    with worker(queue):
        _eventually(lambda: len(notify.received) == 1)
    body = notify.received[0].json["personalisation"]["body"]
    code = CODE.search(body).group(1)  # type: ignore[union-attr]
    token = LINK.search(body).group(1)  # type: ignore[union-attr]
    for secret in (code, code.replace("-", ""), token):
        assert secret.encode() not in held
    invitation = db.session.scalars(select(Invitation)).one()
    assert code not in (invitation.code_digest or "") and token != invitation.token_digest


def test_a_failure_that_may_pass_is_tried_again_and_recorded_once(
    app: Flask, client, queue: Queue, notify: FakeNotify
) -> None:
    la, iro, kid, review = _authority()
    staff_signs_in(client, iro.email)
    notify.fail_with(500)  # Notify's own fault: worth another try
    sent = _invite_by_email(client, review.id)
    with worker(queue):
        _eventually(lambda: "Trying again in a second." in _deliveries()[0].error)
        (waiting,) = _deliveries()
        assert waiting.status == "queued" and "GOV.UK Notify did not send it (500)" in waiting.error
        page = client.get(sent.headers["Location"]).text
        assert "Not sent yet: GOV.UK Notify did not send it (500)" in page
        assert "did not reach" not in page  # not a failure: it is being tried again
        notify.failure = None
        _eventually(lambda: _deliveries()[0].status == "sent")
    (delivery,) = _deliveries()  # one row, however many tries
    assert delivery.error == ""
    assert len(notify.received) == 1


def test_a_refusal_is_not_tried_again_and_tries_run_out_in_a_failure(
    client, queue: Queue, notify: FakeNotify, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: list[str] = []
    real_send = outbox.send_safely

    def counted(sender, message):  # type: ignore[no-untyped-def]
        tries.append(message.to)
        return real_send(sender, message)

    monkeypatch.setattr(outbox, "send_safely", counted)
    la, iro, kid, review = _authority()
    staff_signs_in(client, iro.email)
    notify.fail_with(400, "email_address Not a valid email address")
    _invite_by_email(client, review.id)
    with worker(queue):
        _eventually(lambda: _deliveries()[0].status == "failed")
        time.sleep(2.5)  # longer than the quick retries' wait
    (refused,) = _deliveries()
    assert "Not a valid email address" in refused.error and "Trying again" not in refused.error
    assert len(tries) == 1

    notify.fail_with(503)
    tries.clear()
    _invite_by_email(client, review.id, name="Robyn")  # a second invitation
    with worker(queue):
        _eventually(lambda: _deliveries()[-1].status == "failed")
    gave_up = _deliveries()[-1]
    assert "GOV.UK Notify did not send it (503)" in gave_up.error
    assert "Trying again" not in gave_up.error
    assert len(tries) == 1 + QUICK["send_invitation"].retries
    assert notify.received == []


# Reminders ------------------------------------------------------------------------------


def test_reminders_from_cron_wait_in_the_queue_and_each_goes_once(
    queue: Queue, notify: FakeNotify
) -> None:
    la, iro, kid, review = _authority()
    invitation = factories.invitation(review, name="Robin").invitation
    invitation.channel, invitation.contact_email = "email", "robin@example.com"
    db.session.commit()
    today = review.planned_on - timedelta(days=3)

    assert send_due_reminders(today) == ReminderCounts(queued=1)
    assert notify.received == []
    (claim,) = _deliveries()
    assert (claim.purpose, claim.status, claim.once_key) == (
        "reminder",
        "queued",
        f"reminder:{invitation.id}",
    )
    queue.tasks[SEND_REMINDER](claim.id)  # the same task again, as if delivered twice
    assert send_due_reminders(today) == ReminderCounts(already_sent=1)

    with worker(queue, workers=2):
        _eventually(lambda: _deliveries()[0].status == "sent")
        time.sleep(0.5)  # time for the second copy of the task to run too
    assert [r.json["email_address"] for r in notify.received] == ["robin@example.com"]
    assert len(_deliveries()) == 1


def test_safety_alerts_go_before_reminders_already_waiting(
    app: Flask, queue: Queue, notify: FakeNotify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://say.testshire.example")
    la, iro, kid, review = _authority()
    for n in range(3):
        invited = factories.invitation(review, role=InviteeRole.PARENT, name=f"P{n}").invitation
        invited.channel, invited.contact_email = "email", f"p{n}@example.com"
    consultation = Consultation(
        local_authority_id=la.id,
        invitation=factories.invitation(review, name="Robin").invitation,
        form_key="child_13_17",
        form_version=1,
    )
    db.session.add(consultation)
    db.session.commit()
    assert send_due_reminders(review.planned_on - timedelta(days=4)).queued == 3
    alert_staff_to_concern(consultation)

    with worker(queue):
        _eventually(lambda: len(notify.received) == 4)
    assert notify.received[0].json["email_address"] == iro.email
    assert notify.received[0].json["personalisation"]["subject"] == (
        "A child's consultation needs your attention now"
    )


# A safety alert is never dropped ---------------------------------------------------------


def test_with_the_queue_down_a_safety_alert_is_sent_at_once_and_staff_see_why(
    app: Flask,
    client,
    make_client,
    smtp: FakeSmtp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _use_queue(app, monkeypatch, REDIS_DOWN, RETRYING)
    la, iro, kid, review = _authority(email_sender="smtp")
    issued = factories.invitation(review, name="Robin")
    db.session.commit()
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    saved = child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
    assert saved.status_code == 302 and "/help" in saved.headers["Location"]
    assert child.get(saved.headers["Location"]).status_code == 200

    (mail,) = smtp.received  # sent from the child's request, as before the queue
    assert mail.rcpt_to == [iro.email]
    assert f"http://localhost/staff/consultations/{cid}" in mail.body
    (alert,) = _deliveries()
    assert (alert.purpose, alert.status) == ("safety_alert", "sent")
    assert alert.error.startswith("The queue could not be reached (")
    assert "127.0.0.1:9" in alert.error and "so this was sent straight away" in alert.error

    staff_signs_in(client, iro.email)
    page = client.get(f"/staff/invitations/{issued.invitation.id}").text
    assert "Safety alert to staff" in page and "The queue could not be reached" in page


def test_with_the_queue_down_a_failed_alert_says_both_what_failed_and_why(
    app: Flask, make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_queue(app, monkeypatch, REDIS_DOWN, RETRYING)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", closed_port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "alerts@testshire.example")
    la, iro, kid, review = _authority(email_sender="smtp")
    issued = factories.invitation(review, name="Robin")
    db.session.commit()
    child = make_client()
    first = child_signs_in(child, issued)
    cid = int(first.split("/")[2])
    saved = child.submit(f"/consultation/{cid}/home", {"feel_safe_home": "no"}, from_url=first)
    assert child.get(saved.headers["Location"]).status_code == 200
    (alert,) = _deliveries()
    assert alert.status == "failed"
    assert "The queue could not be reached" in alert.error
    assert "Could not reach the email server" in alert.error


# The worker ------------------------------------------------------------------------------


def test_the_worker_command_sends_from_its_own_process_and_stops_cleanly(
    app: Flask,
    client,
    tmp_path: Path,
    notify: FakeNotify,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'queue.sqlite3'}"  # this test's own file
    _use_queue(app, monkeypatch, url, RETRYING, name=QUEUE_NAME)  # the worker's name
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QUEUE_URL": url,
        "QUEUE_IMMEDIATE": "false",
        "NOTIFY_API_KEY": notify.api_key,
        "NOTIFY_BASE_URL": notify.base_url,
        "NOTIFY_EMAIL_TEMPLATE_ID": "email-template-1",
    }
    flask = str(Path(sys.executable).parent / "flask")
    process = subprocess.Popen(
        [flask, "--app", "portal", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        la, iro, kid, review = _authority()
        staff_signs_in(client, iro.email)
        _invite_by_email(client, review.id)
        # Stop waiting if the worker has died: its own words say why.
        _eventually(
            lambda: process.poll() is not None or _deliveries()[0].status == "sent", seconds=60
        )
        running = process.poll() is None
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=40)
    assert running, err
    assert process.returncode == 0, err
    assert f"sending queued messages from {url}, 1 at a time" in err
    assert "delivery" in err and ": sent" in err
    (message,) = notify.received
    assert message.json["personalisation"]["body"].startswith("Hello Robin,")
    code = CODE.search(message.json["personalisation"]["body"]).group(1)  # type: ignore[union-attr]
    assert code not in err  # nor in the worker's log


def test_the_worker_refuses_to_start_in_immediate_mode(app: Flask, database: None) -> None:
    assert queue_module.queue_for(app).huey.immediate  # the tests' own setting
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code == 1
    assert "QUEUE_IMMEDIATE is on" in result.output
