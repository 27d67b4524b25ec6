"""The benches' yardstick for a machine's speed (bench/common.py): bare Flask's CPU time
a request, which the load test divides its CPU figures by so that machines compare."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_yardstick_is_bare_flasks_cpu_time_for_one_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("common", None)
    common = importlib.import_module("common")
    one = common.bare_flask_cpu_ms(requests=200, runs=3)
    # A real request through Flask's test client costs tens to hundreds of microseconds
    # of CPU on any machine the benches run on; 0 would mean nothing was timed.
    assert 0.005 < one < 20


def _level(at_once: int, per_second: float, p95: float, **more: object) -> dict[str, object]:
    return {
        "children_at_once": at_once,
        "requests_per_second": per_second,
        "p95_ms": p95,
        "errors": 0,
        "ran_out": False,
        **more,
    }


def test_the_ceiling_is_the_best_level_within_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    load_test = importlib.import_module("load_test")
    levels = [_level(4, 290.0, 24), _level(8, 310.0, 50), _level(16, 300.0, 1400)]
    assert load_test.ceiling_figure(levels) == "310 req/s"


def test_running_out_of_children_is_not_the_servers_ceiling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    load_test = importlib.import_module("load_test")
    levels = [_level(4, 299.0, 24), _level(8, 309.0, 50), _level(16, 275.0, 102, ran_out=True)]
    figure = load_test.ceiling_figure(levels)
    # The last level was cut short by the generator, so it says neither the rate nor
    # that the server stopped there.
    assert figure.startswith(">= 309 req/s")
    assert "ran out of invitations" in figure
