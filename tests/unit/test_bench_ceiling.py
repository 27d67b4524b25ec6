"""The load test's ceiling (bench/load_test.py): the most requests a second within a
second's p95, and never the generator's own shortfall taken for the server's limit."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

from .conftest import BENCH


def _level(at_once: int, per_second: float, p95: float, **more: object) -> dict[str, object]:
    return {
        "children_at_once": at_once,
        "requests_per_second": per_second,
        "p95_ms": p95,
        "errors": 0,
        "ran_out": False,
        **more,
    }


def test_the_ceiling_is_the_best_level_within_a_second(load_test: ModuleType) -> None:
    levels = [_level(4, 290.0, 24), _level(8, 310.0, 50), _level(16, 300.0, 1400)]
    assert load_test.ceiling_figure(levels) == "310 req/s"


def test_running_out_of_children_is_not_the_servers_ceiling(
    load_test: ModuleType,
) -> None:
    levels = [_level(4, 299.0, 24), _level(8, 309.0, 50), _level(16, 275.0, 102, ran_out=True)]
    figure = load_test.ceiling_figure(levels)
    # The last level was cut short by the generator, so it says neither the rate nor
    # that the server stopped there.
    assert figure.startswith(">= 309 req/s")
    assert "ran out of invitations" in figure


def test_a_levels_cpu_is_shared_among_every_request_it_made(
    load_test: ModuleType,
) -> None:
    began = 1000.0
    stop_at = began + 12
    # Ten requests a second for the level's 12 s, then the walks under way at its end
    # run on for 3 s more: 150 requests in all, 101 of them in the counted window
    # (from 2 s to 12 s, both ends included).
    ended = [began + n / 10 for n in range(150)]
    replies = [
        {"timings": [("page", 0.05, t) for t in ended[0::2]], "errors": [], "ran_out": False},
        {"timings": [("pin", 0.2, t) for t in ended[1::2]], "errors": [], "ran_out": False},
    ]
    level = load_test.ceiling_level(8, replies, began=began, stop_at=stop_at, cpu_seconds=1.5)
    assert level["requests_per_second"] == pytest.approx(10.1)
    assert level["p95_ms"] == pytest.approx(200)
    # The server's 1.5 s of CPU time covered all 150 requests, not just the counted ones.
    assert level["server_cpu_ms_per_request"] == pytest.approx(10.0)
    assert level["errors"] == 0 and not level["ran_out"]


def test_the_report_shows_each_level_and_what_was_not_counted(rendered) -> None:
    level = _level(8, 310.0, 50, p50_ms=20, pin_p95_ms=120, server_cpu_ms_per_request=6.25)
    shown = rendered(ceiling=[level])
    assert "the first 2 s not counted" in shown
    assert "310.0 req/s" in shown and "CPU 6.25 ms/req" in shown


def test_children_left_in_the_pool_do_not_keep_the_load_test_from_ending() -> None:
    # More children than a pipe holds, none taken: the process must still end (it used
    # to wait for ever once it had printed its report).
    script = (
        "import multiprocessing, sys\n"
        f"sys.path.insert(0, {str(BENCH)!r})\n"
        "import load_test\n"
        "children = [{'invitation_id': n, 'link': 'x' * 200} for n in range(3000)]\n"
        "load_test.children_pool(multiprocessing.get_context('fork'), children)\n"
        "print('reported')\n"
    )
    ended = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.strip() == "reported"
