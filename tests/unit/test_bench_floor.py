"""The bench's floor page (bench/floor_app.py) does what a signed-in question page must:
it refuses a visitor without a session and draws the page, CSRF token and all, for one
with a session, on a database of its own."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_floor_page_needs_a_session_and_then_draws_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOOR_DATABASE_URL", f"sqlite:///{tmp_path / 'floor.sqlite3'}")
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("floor_app", None)
    floor = importlib.import_module("floor_app")
    try:
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
    finally:
        floor.engine.dispose()
        sys.modules.pop("floor_app", None)
