"""The bench's servers (bench/common.py): one whose worker fails to start is reported
at start-up, never measured. gunicorn says "Booting worker" before a worker imports the
app, and a worker that then fails takes the master with it a moment later."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

# The first worker to import it serves; the second fails, as a worker that loses a
# race at start-up does.
ONE_OF_TWO_FAILS = """
import fcntl, os
from flask import Flask

_held = os.open(os.environ["ONE_WORKER_LOCK"], os.O_CREAT | os.O_RDWR)
try:
    fcntl.flock(_held, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    raise RuntimeError("the second worker fails to start") from None
app = Flask(__name__)
app.get("/")(lambda: "ok")
"""


def test_a_server_whose_worker_fails_at_start_up_is_not_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    common: Any = importlib.import_module("common")
    (tmp_path / "one_of_two_fails.py").write_text(ONE_OF_TWO_FAILS)
    env = {
        **common.clean_environment(),
        "PYTHONPATH": str(tmp_path),
        "ONE_WORKER_LOCK": str(tmp_path / "lock"),
    }
    server = common.Server(
        "flaky", "one_of_two_fails:app", common.free_port(), tmp_path / "server.log"
    )
    server.start(env, workers=2, threads=1)
    try:
        with pytest.raises(common.BenchError, match="flaky server"):
            server.wait_ready("/", workers=2, timeout=60)
    finally:
        server.stop()
    assert "the second worker fails to start" in server.log_text()
