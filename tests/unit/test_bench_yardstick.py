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
