"""The bench's whole ways through (bench/hot_path.py --walks): newly invited children
each sign in and send a whole consultation, every request timed by its kind, and what
they sent is stored."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Consultation, ConsultationStatus

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_each_child_walks_the_whole_way_and_sends(
    app: Flask, database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    hot_path: Any = importlib.import_module("hot_path")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    already = set(db.session.scalars(select(Consultation.id)))

    spent = hot_path._walks(app, 2)

    assert {kind for kind, runs in spent.items() if len(runs) == 2} >= {
        "link",
        "pin page",
        "pin",
        "start",
        "check",
        "submit",
        "sent",
    }
    assert len(spent["step GET"]) == len(spent["step POST"]) >= 2 * 5
    assert all(ms > 0 for runs in spent.values() for ms in runs)
    db.session.expire_all()
    sent = db.session.scalars(select(Consultation).where(Consultation.id.not_in(already))).all()
    assert len(sent) == 2 + 1  # and the one that warms up first, not timed
    assert all(c.status == ConsultationStatus.SUBMITTED for c in sent)
