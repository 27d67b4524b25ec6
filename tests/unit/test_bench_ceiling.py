"""The load test's ceiling (bench/load_test.py): the most requests a second within a
second's p95, and never the generator's own shortfall taken for the server's limit."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


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
