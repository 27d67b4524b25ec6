"""When the database is down: a clear page in the person's language, drawn from the
request alone, with the answers a child was sending shown back to send again; /readyz
says so; and with Redis down, rate limits still hold."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from portal.extensions import db
from portal.models import Answer
from tests import factories
from tests.journeys import child_signs_in

QUESTIONNAIRE = re.compile(r'name="questionnaire" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def database_down(app: Flask) -> Iterator[None]:
    """Every new connection is refused, and the pooled ones are gone, as in an outage."""
    with app.app_context():
        engine = db.engine

    def refuse(dialect: Any, *_args: Any) -> None:
        raise dialect.loaded_dbapi.OperationalError("connection refused (a test outage)")

    # The test's own session gives its connection back first: a connection still checked
    # out when the pool is disposed is closed only by the garbage collector, which
    # psycopg rightly warns about.
    db.session.close()
    event.listen(engine, "do_connect", refuse)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "do_connect", refuse)
        db.session.close()
        engine.dispose()


def _answers(consultation_id: int) -> dict[str, str]:
    rows = db.session.scalars(select(Answer).where(Answer.consultation_id == consultation_id))
    return {a.question_key: a.value for a in rows}


def test_a_child_sending_a_page_during_an_outage_sees_it_back_and_can_send_it_again(
    app: Flask, client
) -> None:
    la, _iro, _kid, _review, issued = factories.world(age=15, language="ar")
    service_name = la.service_name
    client.expected_lang = "ar"
    first = child_signs_in(client, issued)
    consultation_id = int(first.split("/")[2])
    page = client.get(first).text
    sent = {
        "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
        "questionnaire": QUESTIONNAIRE.search(page).group(1),  # type: ignore[union-attr]
        "attend": "part",
        "meeting_where": "في المدرسة، بعد الظهر 🙂",
    }

    with database_down(app):
        down = client.post(first, data=sent)
        assert down.status_code == 503
        body = down.text
        assert '<html lang="ar" dir="rtl">' in body
        assert "في المدرسة، بعد الظهر 🙂" in body  # what they typed, shown back
        assert re.search(r'value="part"[^>]*checked|checked[^>]*value="part"', body)
        assert service_name not in body  # a neutral frame: nothing read from the database
        again = CSRF.search(body).group(1)  # type: ignore[union-attr]
        assert client.get("/readyz").status_code == 503
        assert client.get("/readyz").json["database"] == "unavailable"
        other = client.get("/sign-in")
        assert other.status_code == 503 and 'dir="rtl"' in other.text

    assert _answers(consultation_id) == {}  # nothing was saved while it was down
    retried = client.post(first, data={**sent, "csrf_token": again})
    assert retried.status_code == 302
    assert _answers(consultation_id) == {
        "attend": "part",
        "meeting_where": "في المدرسة، بعد الظهر 🙂",
    }
    assert client.get("/readyz").json == {"status": "ready", "database": "ok", "queue": "ok"}


_REDIS_DOWN = """
import json, sys
from portal import create_app
from portal.config import Settings
settings = Settings.from_environment({
    "PORTAL_ENV": "test",
    "DATABASE_URL": "sqlite:///" + sys.argv[1],
    "REDIS_URL": "redis://127.0.0.1:9/0",
})
app = create_app(settings, TESTING=True, WTF_CSRF_ENABLED=False)
with app.app_context():
    from flask_migrate import upgrade
    upgrade()
client = app.test_client()
statuses = [client.post("/sign-in", data={"code": "AAA-AAA-AAA"}).status_code for _ in range(12)]
ready = client.get("/readyz")
print(json.dumps({"statuses": statuses, "ready": ready.status_code, "body": ready.json}))
"""


def test_with_redis_down_rate_limits_still_hold(tmp_path: Path) -> None:
    # Its own process: the rate limiter is one object per process, and this one must
    # not leave the rest of the suite pointed at a Redis that is not there. Port 9 on
    # the loopback: nothing listens there, so every connection is refused.
    ran = subprocess.run(
        [sys.executable, "-c", _REDIS_DOWN, str(tmp_path / "redis-down.sqlite3")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    assert 500 not in found["statuses"]
    assert found["statuses"][:10] == [200] * 10 and found["statuses"][-1] == 429
    assert found["ready"] == 503 and found["body"]["redis"] == "unavailable"


def test_readyz_says_when_the_queue_cannot_be_reached(app: Flask, client) -> None:
    from portal.notifications.queue import EXTENSION, build_queue

    kept = app.extensions.get(EXTENSION)
    app.extensions[EXTENSION] = build_queue(app, url="redis://127.0.0.1:9/0", immediate=False)
    try:
        ready = client.get("/readyz")
    finally:
        app.extensions[EXTENSION] = kept
    assert ready.status_code == 503
    assert ready.json["queue"] == "unavailable" and ready.json["database"] == "ok"
