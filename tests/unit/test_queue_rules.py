"""The queue's settings and rules: where it keeps tasks, what is worth trying again."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from huey import PriorityRedisHuey, SqliteHuey

from portal.config import DEFAULT_SQLITE, ConfigurationError, Settings
from portal.notifications.outbox import in_words
from portal.notifications.queue import (
    SEND_INVITATION,
    SEND_REMINDER,
    SEND_SAFETY_ALERT,
    hidden_password,
    make_huey,
)
from portal.notifications.senders import (
    Message,
    NotifySmsSender,
    SmtpSender,
    UnavailableSender,
    send_safely,
)
from portal.notifications.tasks import RETRYING
from tests.fake_notify import FakeNotify
from tests.fake_smtp import FakeSmtp


def _settings(**env: str) -> Settings:
    return Settings.from_environment({"PORTAL_ENV": "development", **env})


def test_the_queue_is_a_sqlite_file_beside_the_database_unless_redis_is_there() -> None:
    beside = _settings(DATABASE_URL="sqlite:////srv/portal/data/portal.sqlite3")
    assert beside.queue_url == "sqlite:////srv/portal/data/queue.sqlite3"
    default = _settings()
    assert default.queue_url == f"sqlite:///{DEFAULT_SQLITE.parent / 'queue.sqlite3'}"
    on_postgres = _settings(DATABASE_URL="postgresql://portal@db.internal/portal")
    assert on_postgres.queue_url == default.queue_url  # instance/queue.sqlite3
    with_redis = _settings(REDIS_URL="redis://cache.internal:6379/2")
    assert with_redis.queue_url == "redis://cache.internal:6379/2"
    chosen = _settings(REDIS_URL="redis://cache.internal:6379/2", QUEUE_URL="redis://q:6379/3")
    assert chosen.queue_url == "redis://q:6379/3"
    assert chosen.flask_config()["QUEUE_URL"] == "redis://q:6379/3"


def test_a_queue_url_the_portal_cannot_use_stops_it_starting() -> None:
    for wrong in ("amqp://rabbit/", "postgresql://db/queue", "queue.sqlite3"):
        with pytest.raises(ConfigurationError, match="QUEUE_URL must be"):
            _settings(QUEUE_URL=wrong)


def test_only_tests_run_tasks_where_they_are_queued_unless_told() -> None:
    assert not _settings().queue_immediate
    assert Settings.from_environment({"PORTAL_ENV": "test"}).queue_immediate
    assert not Settings.from_environment(
        {"PORTAL_ENV": "test", "QUEUE_IMMEDIATE": "false"}
    ).queue_immediate
    assert _settings(QUEUE_IMMEDIATE="1").flask_config()["QUEUE_IMMEDIATE"] is True


def test_the_store_follows_the_url_and_logs_never_show_a_password(tmp_path: Path) -> None:
    sqlite = make_huey(f"sqlite:///{tmp_path / 'q' / 'queue.sqlite3'}", immediate=False)
    assert isinstance(sqlite, SqliteHuey) and (tmp_path / "q" / "queue.sqlite3").exists()
    redis = make_huey("redis://:s3cret@127.0.0.1:9/0", immediate=False)  # not contacted yet
    assert isinstance(redis, PriorityRedisHuey)
    assert hidden_password("redis://:s3cret@cache:6379/0") == "redis://:***@cache:6379/0"
    assert hidden_password("redis://app:s3cret@cache/0") == "redis://app:***@cache/0"
    assert hidden_password("sqlite:////srv/q.sqlite3") == "sqlite:////srv/q.sqlite3"


def test_safety_alerts_go_first_and_keep_trying_longest() -> None:
    alert, invitation, reminder = (
        RETRYING[SEND_SAFETY_ALERT],
        RETRYING[SEND_INVITATION],
        RETRYING[SEND_REMINDER],
    )
    assert alert.priority > invitation.priority > reminder.priority
    assert alert.first_wait < invitation.first_wait < reminder.first_wait
    assert alert.gives_up_after == 10 * (2**8 - 1)  # 42.5 minutes
    assert invitation.gives_up_after == 30 * (2**6 - 1)  # 31.5 minutes
    assert in_words(alert.first_wait) == "about 10 seconds"
    assert in_words(invitation.first_wait * 2**5) == "about 16 minutes"


# What is worth trying again ---------------------------------------------------------------


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    with FakeNotify() as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_notify_failures_that_may_pass_are_retried_and_refusals_are_not(
    notify: FakeNotify,
) -> None:
    sender = NotifySmsSender(api_key=notify.api_key, base_url=notify.base_url, template_id="s")
    message = Message("+447700900123", "", "Hello")
    for status, may_pass in ((500, True), (503, True), (429, True), (400, False), (403, False)):
        notify.fail_with(status, "no")
        result = sender.send(message)
        assert not result.ok and result.may_retry is may_pass, status
    notify.failure = None
    assert not sender.send(message).may_retry  # sent: nothing to retry
    down = NotifySmsSender(
        api_key=notify.api_key,
        base_url=f"http://127.0.0.1:{_closed_port()}",
        template_id="s",
        timeout=2,
    )
    assert down.send(message).may_retry


class _BusySmtp(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(b"421 4.3.2 Too busy, try again later\r\n")


def test_smtp_failures_that_may_pass_are_retried_and_refusals_are_not() -> None:
    message = Message("robin@example.com", "Hi", "Hello")
    nobody = SmtpSender(host="127.0.0.1", port=_closed_port(), mail_from="a@t.example", timeout=2)
    assert nobody.send(message).may_retry
    with socketserver.TCPServer(("127.0.0.1", 0), _BusySmtp) as busy:
        threading.Thread(target=busy.handle_request, daemon=True).start()
        port = busy.server_address[1]
        result = SmtpSender(host="127.0.0.1", port=port, mail_from="a@t.example").send(message)
    assert not result.ok and result.may_retry and "421" in result.error
    with FakeSmtp(refuse_recipients={"robin@example.com"}) as smtp:
        plain = SmtpSender(host="127.0.0.1", port=smtp.port, mail_from="a@t.e", starttls=False)
        refused = plain.send(message)
        wants_tls = SmtpSender(host="127.0.0.1", port=smtp.port, mail_from="a@t.e")
        no_tls = wants_tls.send(message)
    assert not refused.ok and not refused.may_retry
    assert not no_tls.ok and not no_tls.may_retry


def test_settings_that_are_missing_or_a_crash_are_not_retried() -> None:
    assert not UnavailableSender("email", "Email is not set up").send(Message("", "", "")).may_retry  # type: ignore[arg-type]

    class Broken:
        channel = "email"

        def send(self, message: Message) -> None:
            raise RuntimeError("boom")

    assert not send_safely(Broken(), Message("x@example.com", "s", "b")).may_retry  # type: ignore[arg-type]
