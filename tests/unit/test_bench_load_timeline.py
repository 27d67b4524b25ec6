"""The load test's account of where its latency comes from (bench/load_test.py): the
time inside the app, read from the portal's request log, and the run in slices."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def load_test(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("load_test", None)
    return importlib.import_module("load_test")


def test_the_time_inside_the_app_is_read_from_each_request_log_line(load_test) -> None:  # type: ignore[no-untyped-def]
    log = "\n".join(
        [
            "[2026-11-30 03:37:12 +0000] [12] [INFO] Booting worker with pid: 12",
            "2026-11-30T03:37:14.101Z GET families.consultation.step 200 12.5ms request_id=ab",
            "2026-11-30T03:37:14.201Z POST families.sign_in.choose 302 41ms request_id=cd",
            "2026-11-30T03:37:14.301Z GET - 404 - request_id=ef",
        ]
    )
    assert load_test._in_app_seconds(log) == [0.0125, 0.041]


def test_the_run_is_cut_into_slices_by_when_each_request_ended(load_test) -> None:  # type: ignore[no-untyped-def]
    began = 1000.0
    timings = [("page", 0.010, began + 1), ("pin", 0.500, began + 2)]
    timings += [("page", 0.100 * n, began + 16 + n / 10) for n in range(1, 21)]
    first, second = load_test._timeline(timings, began)
    assert first["from_second"] == 0 and second["from_second"] == 15
    assert first["sign_ins"] == 1 and second["sign_ins"] == 0
    assert first["requests_per_second"] == pytest.approx(2 / 15)
    assert first["page_p50_ms"] == pytest.approx(10)
    assert second["requests_per_second"] == pytest.approx(20 / 15)
    assert second["page_p95_ms"] > second["page_p50_ms"] >= 1000
