"""The bench's floor page (bench/floor_app.py) does what a signed-in question page must:
it refuses a visitor without a session and draws the page, CSRF token and all, for one
with a session, on a database of its own; and it saves the page as a portal page must,
only with the CSRF token, each child's answers their own."""

from __future__ import annotations

import importlib
import random
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def floor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """bench/floor_app.py on a SQLite file of its own (it makes its tables on import)."""
    monkeypatch.setenv("FLOOR_DATABASE_URL", f"sqlite:///{tmp_path / 'floor.sqlite3'}")
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("floor_app", None)
    module = importlib.import_module("floor_app")
    yield module
    module.engine.dispose()
    sys.modules.pop("floor_app", None)


def test_the_floor_page_needs_a_session_and_then_draws_the_page(floor: Any) -> None:
    client = floor.app.test_client()
    assert client.get("/page").status_code == 403
    assert client.get("/start").status_code == 200
    page = client.get("/page")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="csrf_token" value="' in html
    assert html.count("<textarea") == len(floor.QUESTIONS)
    assert "Fine, mostly." in html  # the answers read from its database
    assert page.headers["Cache-Control"] == "no-store"


def test_the_floor_saves_each_childs_answers_only_with_the_csrf_token(floor: Any) -> None:
    first, second = floor.app.test_client(), floor.app.test_client()
    assert first.get("/start?child=7").status_code == 200
    assert second.get("/start?child=8").status_code == 200
    key = floor.QUESTIONS[0][0]
    # A new child's page has no answers yet (child 1's are not theirs).
    assert "Fine, mostly." not in first.get("/page").get_data(as_text=True)
    assert first.post("/page", data={key: "Without a token"}).status_code == 400
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', first.get("/page").get_data(as_text=True)
    )
    assert token is not None
    saved = first.post("/page", data={key: "Good 😊 مرحبا", "csrf_token": token.group(1)})
    assert saved.status_code == 302 and saved.headers["Location"] == "/page"
    assert "Good 😊 مرحبا" in first.get("/page").get_data(as_text=True)
    assert "Good 😊 مرحبا" not in second.get("/page").get_data(as_text=True)


def test_the_load_tests_floor_child_walks_and_saves_every_page(floor: Any) -> None:
    """``load_test.py --floor``: each child signs in as its own and sends every page, and
    what it says it sent is what the floor stored."""
    load_test: Any = importlib.import_module("load_test")
    server = make_server("127.0.0.1", 0, floor.app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        walked = load_test.FloorChild(
            server.server_port, "", 12, 3, {}, (0.0, 0.0), random.Random(1)
        ).walk()
        assert walked.error is None and walked.sent
        assert len(walked.timings) == 1 + 2 * load_test.FloorChild.PAGES
        assert set(walked.answers) == {key for key, _label in floor.QUESTIONS}
        with floor.engine.connect() as connection:
            stored = dict(
                connection.execute(
                    floor.text("SELECT question, value FROM floor_answer WHERE child = 12")
                ).all()
            )
        assert stored == walked.answers
    finally:
        server.shutdown()


def _load_test(monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("load_test")


def test_the_floor_is_measured_under_the_realistic_load_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_test: Any = _load_test(monkeypatch)
    assert load_test.parse_args(["--floor"]).json.name == "load-floor.json"
    assert load_test.parse_args([]).json.name == "load.json"
    assert load_test.parse_args(["--with-floor"]).json.name == "load.json"
    for clash in (
        ["--floor", "--ceiling"],
        ["--with-floor", "--ceiling"],
        ["--floor", "--with-floor"],
    ):
        with pytest.raises(SystemExit):
            load_test.parse_args(clash)


def _run(load_test: Any, cpu_ms: float, p95: float, *, errors: int = 0) -> Any:
    return load_test.Report(
        started_at="2026-11-30T11:00:00+00:00",
        settings={},
        environment={"bare_flask_cpu_ms": 0.2},
        figures={
            "server_cpu_ms_per_ordinary_request": cpu_ms,
            "page_ms": {"count": 100, "p50": p95 / 3, "p95": p95, "p99": p95, "max": p95},
            "database_cpu_ms_per_request": 0.6,
            "errors": errors,
            "answers_sent": 60,
            "answers_stored_exactly": 60,
        },
    )


def test_the_portal_is_put_beside_the_floor_as_a_ratio(load_test: Any, rendered) -> None:
    portal, floor = _run(load_test, 6.3, 1800), _run(load_test, 3.0, 21)
    load_test.compare_with_floor(portal, floor)
    assert portal.floor["portal_over_floor"] == pytest.approx(2.1)
    assert portal.floor["server_cpu_ms_per_request"] == 3.0
    shown = {goal["figure"]: goal["value"] for goal in portal.goals}
    assert shown["portal/floor, CPU per ordinary request"] == "2.10"
    assert shown["the floor, same load: CPU per request"] == "3.00 ms"
    assert shown["the floor, same load: page p95"] == "21 ms"
    assert "the portal's ordinary request costs 2.10 times the floor's" in rendered(
        floor=portal.floor
    )


def test_a_floor_run_with_errors_is_not_passed_off_as_the_floor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_test: Any = _load_test(monkeypatch)
    portal = _run(load_test, 6.3, 1800)
    load_test.compare_with_floor(portal, _run(load_test, 3.0, 21, errors=2))
    shown = {goal["figure"]: goal["value"] for goal in portal.goals}
    assert "not a fair floor" in shown["portal/floor, CPU per ordinary request"]


def test_stored_answers_count_only_when_byte_for_byte_what_was_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_test: Any = _load_test(monkeypatch)
    walked = [
        {"invitation_id": 1, "answers": {"school": "Good 😊", "home": "Fine"}},
        {"invitation_id": 2, "answers": {"school": "OK"}},
    ]
    stored = {1: {"school": "Good 😊", "home": "Fine "}, 2: {"school": "OK", "worries": "x"}}
    compared = load_test._compared(stored, walked, "child")
    # Three sent, one stored with a space added, one stored that was never sent.
    assert compared["answers_sent"] == 4
    assert compared["answers_stored_exactly"] == 2
    assert compared["mismatches"] == [
        "child 1 home: 'Fine '",
        "child 2: unexpected answers ['worries']",
    ]
