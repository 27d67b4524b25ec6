"""One log line a request: its id, route name, method, status and time; nothing personal."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
from flask import Flask, g

from portal.config import ConfigurationError, Settings
from portal.extensions import db
from portal.web.request_log import LOGGER_NAME
from tests import factories
from tests.journeys import SECRET, child_signs_in, staff_signs_in

CHILD_NAME = "Zebedee"
ANSWER = "Only-After-Football-Practice"
PERSONAL_LINK = "/i/SECRETTOKEN123"
RANDOM_REQUEST_ID = re.compile(r"request_id=[0-9a-f]{32}\b")
DURATION = re.compile(r"\s\d+(\.\d+)?ms\s")
NEW_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The request log's records. The logger writes on its own (it does not pass lines up
    to the root logger, where caplog listens), so listen on it directly."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.fixture(autouse=True)
def _logger_enabled(app: Flask) -> Iterator[None]:
    # The session's app ran its migrations in this process, and Alembic's env.py calls
    # fileConfig(), which disables every logger that already exists. A server never
    # migrates in its own process (`flask db upgrade` is a command of its own).
    logger = logging.getLogger(LOGGER_NAME)
    was_disabled, logger.disabled = logger.disabled, False
    yield
    logger.disabled = was_disabled


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER_NAME]


def _one_line(caplog: pytest.LogCaptureFixture) -> str:
    lines = _lines(caplog)
    assert len(lines) == 1, lines
    return lines[0]


def _a_child_with_a_distinctive_name():  # type: ignore[no-untyped-def]
    la = factories.authority()
    iro = factories.staff(la, name="Iona Reviewer")
    _child, review = factories.child(la, iro, age=15, name=CHILD_NAME)
    issued = factories.invitation(review, name=CHILD_NAME)
    db.session.commit()
    return iro, issued


def test_a_personal_link_is_logged_by_its_route_name_never_its_token(client, request_log) -> None:
    opened = client.get(f"{PERSONAL_LINK}?from=QUERYSECRET")
    assert opened.status_code == 404
    line = _one_line(request_log)
    assert " GET families.sign_in.open_link 404 " in line
    assert DURATION.search(line)
    assert "SECRETTOKEN123" not in line and "QUERYSECRET" not in line and "/i/" not in line
    assert f"request_id={opened.headers['X-Request-Id']}" in line


def test_a_page_that_does_not_exist_is_logged_without_its_address(client, request_log) -> None:
    client.get("/no-such-page/SECRETPATH")
    line = _one_line(request_log)
    assert " GET - 404 " in line and "SECRETPATH" not in line


def test_answers_sent_are_logged_without_the_answers_the_name_or_the_csrf_token(
    client, request_log
) -> None:
    _iro, issued = _a_child_with_a_distinctive_name()
    first = child_signs_in(client, issued)
    token = client.csrf_token(first)
    request_log.clear()

    sent = client.post(first, data={"attend": "part", "meeting_where": ANSWER, "csrf_token": token})

    assert sent.status_code == 302
    line = _one_line(request_log)
    assert " POST families.consultation.step 302 " in line and DURATION.search(line)
    for secret in (ANSWER, CHILD_NAME, token, first, issued.link_token, "part"):
        assert secret not in line


def test_a_staff_page_is_logged_without_the_staff_members_email_or_name(
    client, request_log
) -> None:
    iro, _issued = _a_child_with_a_distinctive_name()
    staff_signs_in(client, iro.email)
    request_log.clear()

    caseload = client.get("/staff/")

    assert caseload.status_code == 200 and CHILD_NAME in caseload.text
    line = _one_line(request_log)
    assert " GET staff.caseload.home 200 " in line and DURATION.search(line)
    for secret in (iro.email, iro.display_name, CHILD_NAME):
        assert secret not in line


def test_nothing_anyone_typed_or_was_sent_reaches_the_log_in_a_whole_journey(
    client, make_client, request_log
) -> None:
    iro, issued = _a_child_with_a_distinctive_name()
    first = child_signs_in(client, issued)
    client.submit(first, {"attend": "part", "meeting_where": ANSWER})
    staff = make_client()
    staff_signs_in(staff, iro.email)
    staff.get("/staff/")

    lines = _lines(request_log)
    # Every request was logged, each once (the CSRF token fetches are GETs of their own).
    assert len(lines) >= 10 and len({line.split()[-1] for line in lines}) == len(lines)
    # Each line ends with the server's own random request id: 32 hex digits hold a
    # four-digit PIN by chance about once in 2,000 lines, so they are left out here.
    everything = RANDOM_REQUEST_ID.sub("request_id=", "\n".join(lines))
    for secret in (
        issued.link_token,
        issued.code,
        SECRET,
        ANSWER,
        CHILD_NAME,
        iro.email,
        iro.display_name,
        factories.STAFF_PASSWORD,
        "127.0.0.1",
    ):
        assert secret not in everything
    assert "families.sign_in.open_link" in everything
    assert "staff.sign_in.enter_code" in everything


def test_json_lines_parse_and_carry_the_fields(
    app: Flask, client, request_log, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "LOG_FORMAT", "json")
    opened = client.get(PERSONAL_LINK)

    entry = json.loads(_one_line(request_log))

    assert set(entry) == {"time", "request_id", "endpoint", "method", "status", "duration_ms"}
    assert entry["endpoint"] == "families.sign_in.open_link"
    assert entry["method"] == "GET" and entry["status"] == 404
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert entry["request_id"] == opened.headers["X-Request-Id"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert "SECRETTOKEN123" not in json.dumps(entry)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_each_line_is_written_once_to_the_servers_error_stream(
    app: Flask, client, monkeypatch, log_format: str
) -> None:
    """What a deployment sees: the lines as written, not wrapped in other text, and only
    once however other loggers are set up."""
    monkeypatch.setitem(app.config, "LOG_FORMAT", log_format)
    stream = io.StringIO()
    client.get("/readyz", environ_overrides={"wsgi.errors": stream})
    written = stream.getvalue().splitlines()
    assert len(written) == 1, written
    if log_format == "json":
        assert json.loads(written[0])["endpoint"] == "frame.ready"
    else:
        assert re.fullmatch(
            r"\S+Z GET frame\.ready 200 \d+(\.\d+)?ms request_id=[0-9a-f]{32}", written[0]
        )


def test_static_files_get_an_id_but_no_line(client, request_log) -> None:
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert NEW_ID.fullmatch(response.headers["X-Request-Id"])
    response.close()
    assert _lines(request_log) == []


def test_every_response_carries_a_new_request_id(client, request_log) -> None:
    first = client.get("/readyz").headers["X-Request-Id"]
    second = client.get("/no-such-page").headers["X-Request-Id"]
    assert NEW_ID.fullmatch(first) and NEW_ID.fullmatch(second) and first != second
    assert [line.split()[-1] for line in _lines(request_log)] == [
        f"request_id={first}",
        f"request_id={second}",
    ]


def test_a_plain_request_id_from_the_proxy_is_kept(client, request_log) -> None:
    for sent in ("3f2a9c0e1b7d4e5f8a6b0c1d2e3f4a5b", "edge-01.req_42", "a" * 64):
        response = client.get("/readyz", headers={"X-Request-Id": sent})
        assert response.headers["X-Request-Id"] == sent
        assert _lines(request_log)[-1].endswith(f"request_id={sent}")


def test_any_other_request_id_is_replaced(client, request_log) -> None:
    for sent in (
        "a" * 65,
        "two words",
        "jess@example.org",
        "0 request_id=FAKE",
        "<script>",
        "",
    ):
        response = client.get("/readyz", headers={"X-Request-Id": sent})
        kept = response.headers["X-Request-Id"]
        assert kept != sent and NEW_ID.fullmatch(kept)
    assert not any("jess@example.org" in line or "FAKE" in line for line in _lines(request_log))


def test_the_request_id_is_in_g_for_error_pages(app: Flask, database) -> None:
    with app.test_request_context("/readyz", headers={"X-Request-Id": "from-the-proxy"}):
        app.preprocess_request()
        assert g.request_id == "from-the-proxy"


def test_a_request_refused_before_its_view_is_still_logged_once(client, request_log) -> None:
    refused = client.post("/sign-in", data={"code": "ABC-DEF-GHJ"})  # no CSRF token
    assert refused.status_code == 400 and NEW_ID.fullmatch(refused.headers["X-Request-Id"])
    line = _one_line(request_log)
    assert " POST families.sign_in.enter_code 400 " in line and "ABC-DEF-GHJ" not in line


def test_log_format_is_read_from_the_environment() -> None:
    def log_format(value: str | None) -> str:
        environ = {"PORTAL_ENV": "test"} | ({} if value is None else {"LOG_FORMAT": value})
        settings = Settings.from_environment(environ)
        assert settings.flask_config()["LOG_FORMAT"] == settings.log_format
        return settings.log_format

    assert log_format(None) == "text"
    assert log_format("") == "text"
    assert log_format("JSON") == "json"
    assert log_format("text") == "text"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT"):
        log_format("xml")
