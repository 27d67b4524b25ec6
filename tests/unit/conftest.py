"""What the bench's tests share: its load test module, and a report to render."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def load_test(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("load_test")


@pytest.fixture
def rendered(load_test: ModuleType) -> Callable[..., str]:
    """The load test's printed report of a run as deployed (2 × 4, PostgreSQL, 2 CPUs),
    holding whichever parts a test gives (``ceiling=``, ``floor=``)."""

    def render(**parts: Any) -> str:
        report = load_test.Report(
            started_at="2026-11-30T15:00:00+00:00",
            settings={
                "workers": 2,
                "threads": 4,
                "max_requests": None,
                "database": "PostgreSQL",
                "redis": False,
                "generators": 4,
            },
            environment={"cpus": 2, "load_average_at_start": "0.5 0.5 0.5"},
            **parts,
        )
        return str(load_test.render(report))

    return render
