"""bench/instructions.py: reading callgrind's count, and what is made of the counts."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def instructions(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("instructions")


VALGRIND_END = """==4242== Events    : Ir
==4242== Collected : 79868676
==4242==
==4242== I   refs:      79,868,676
"""


def test_the_count_is_read_from_what_callgrind_prints_at_the_end(instructions) -> None:
    assert instructions.collected(VALGRIND_END) == 79_868_676


def test_no_count_is_an_error_with_what_was_printed(instructions) -> None:
    with pytest.raises(instructions.CountFailed, match="Traceback"):
        instructions.collected("Traceback (most recent call last):\n  ...")


def test_ratios_are_bare_over_portal_and_portal_over_floor(instructions) -> None:
    each = instructions.per_request(
        {
            "bare": 800_000,
            "floor page": 8_000_000,
            "floor save": 2_000_000,
            "portal page": 12_000_000,
            "portal save": 10_000_000,
        },
        requests=10,
    )
    assert each["bare"] == 80_000
    ratios = instructions.ratios(each)
    assert ratios["portal page: bare/portal"] == pytest.approx(0.8 / 12)
    assert ratios["portal save: bare/portal"] == pytest.approx(0.08)
    assert ratios["floor page: bare/floor"] == pytest.approx(0.1)
    assert ratios["portal page / floor page"] == pytest.approx(1.5)
    assert ratios["portal save / floor save"] == pytest.approx(5.0)
    report = instructions.render(each, 10)
    assert "portal: consultation page" in report and "1.20 M" in report
    assert "0.067" in report


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_only_the_counted_requests_are_counted(instructions) -> None:
    # Bare Flask, the quickest subject: twice the requests, twice the count, with the
    # imports, the app and the warm-up (many times one request) left out of both.
    ten = instructions.count("bare", 10, shutil.which("valgrind") or "")
    twenty = instructions.count("bare", 20, shutil.which("valgrind") or "")
    assert 1.9 < twenty / ten < 2.1
    assert 300_000 < ten / 10 < 3_000_000  # a bare request, not a whole process
