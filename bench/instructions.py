"""Instructions a request: what a page costs, counted rather than timed.

Timings on a shared machine move by 10 to 20% from one run to the next (what the
machine's neighbours do, the CPU's clock), so a change worth a few per cent cannot be
seen in them, nor its absence proved. Valgrind's callgrind counts the instructions a
process executes instead: the same code, data and Python give the same count, whatever
else the machine is doing (bench/README.md).

Each subject runs in a process of its own under callgrind, in process (a test client;
no server, no network), on SQLite. It is set up and warmed up uncounted; then its
requests run inside ``sys.call_tracing``, which nothing else calls, and callgrind counts
only what runs inside that call (``--toggle-collect``). The subjects:

- bare Flask (bench/bare_app.py), the yardstick of the ratio goal;
- the floor (bench/floor_app.py): its question page, and saving it;
- the portal: the demo child's consultation page, and saving it (as bench/hot_path.py).

    python bench/instructions.py [--requests 200] [--json out.json]

Needs valgrind (Debian's package). Takes a few minutes: Python runs some 50 times slower
under callgrind, and the portal's imports and app are made in each process (uncounted).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WARM_UP = 30
SUBJECTS = {
    "bare": "bare Flask",
    "floor page": "the floor: question page",
    "floor save": "the floor: saving it",
    "portal page": "portal: consultation page",
    "portal save": "portal: save a step",
}
# Callgrind's own C function for sys.call_tracing: counting is on only inside it.
_COUNTED_FUNCTION = "sys_call_tracing"
_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.MULTILINE)


class CountFailed(RuntimeError):
    pass


def collected(valgrind_output: str) -> int:
    """The instructions callgrind counted, from what it printed at the end."""
    found = _COLLECTED.findall(valgrind_output)
    if len(found) != 1:
        raise CountFailed(f"callgrind printed no count:\n{valgrind_output[-2000:]}")
    return int(found[0])


def per_request(counts: dict[str, int], requests: int) -> dict[str, float]:
    return {subject: count / requests for subject, count in counts.items()}


def ratios(each: dict[str, float]) -> dict[str, float]:
    """The issue's ratio (bare/portal: how many of the portal's requests cost what one of
    bare Flask's does, as requests a second would), and the portal's cost beside the floor's."""
    bare = each["bare"]
    return {
        "portal page: bare/portal": bare / each["portal page"],
        "portal save: bare/portal": bare / each["portal save"],
        "floor page: bare/floor": bare / each["floor page"],
        "portal page / floor page": each["portal page"] / each["floor page"],
        "portal save / floor save": each["portal save"] / each["floor save"],
    }


# --- In the process callgrind watches ---------------------------------------------------


def _bare() -> Callable[[], Any]:
    from common import bare_flask_client

    client = bare_flask_client()
    return lambda: _expect(client.get("/"), 200)


def _floor(folder: Path, subject: str) -> Callable[[], Any]:
    os.environ["FLOOR_DATABASE_URL"] = f"sqlite:///{folder / 'floor.sqlite3'}"
    import floor_app
    from walk import form_fields

    client = floor_app.app.test_client()
    _expect(client.get("/start?child=2"), 200)
    token = form_fields(client.get("/page").data)[1]["csrf_token"]
    answers = {"how_are_you": "Fine ✓ 😊 مرحبا", "school": "Good", "csrf_token": token}
    if subject == "floor page":
        return lambda: _expect(client.get("/page"), 200)
    return lambda: _expect(client.post("/page", data=answers), 302)


def _portal(folder: Path, subject: str) -> Callable[[], Any]:
    import hot_path

    database = folder / "portal.sqlite3"
    # Made by another process, natively: migrating and seeding under callgrind would take
    # minutes, and none of it is counted.
    subprocess.run(
        [sys.executable, str(HERE / "hot_path.py"), "--make-database", str(database)],
        check=True,
        capture_output=True,
        env={**os.environ, "PORTAL_ENV": "test"},
    )
    from portal import create_app

    app = create_app(
        hot_path._settings(database), ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 64}
    )
    client, first, data = hot_path._signed_in_child(app)
    if subject == "portal page":
        return lambda: _expect(client.get(first), 200)
    return lambda: _expect(client.post(first, data=data), 302)


def _expect(reply: Any, status: int) -> None:
    if reply.status_code != status:
        raise CountFailed(f"a counted request gave {reply.status_code}, not {status}")


def _run_subject(subject: str, requests: int) -> None:
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as folder:
        if subject == "bare":
            request = _bare()
        elif subject.startswith("floor"):
            request = _floor(Path(folder), subject)
        else:
            request = _portal(Path(folder), subject)
        for _ in range(WARM_UP):
            request()

        def counted() -> None:
            for _ in range(requests):
                request()

        sys.call_tracing(counted, ())


# --- The one that starts them -------------------------------------------------------------


def count(subject: str, requests: int, valgrind: str) -> int:
    done = subprocess.run(
        [
            valgrind,
            "--tool=callgrind",
            "--collect-atstart=no",
            f"--toggle-collect={_COUNTED_FUNCTION}",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--subject",
            subject,
            "--requests",
            str(requests),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PORTAL_ENV": "test"},
    )
    if done.returncode != 0:
        raise CountFailed(f"{subject}: exited with {done.returncode}\n{done.stderr[-3000:]}")
    return collected(done.stderr)


def render(each: dict[str, float], requests: int) -> str:
    lines = [
        f"Instructions a request (valgrind's callgrind; {requests} requests each, in process,"
        " on SQLite, after a warm-up)",
    ]
    for subject, label in SUBJECTS.items():
        lines.append(f"  {label:<30} {each[subject] / 1e6:8.2f} M")
    lines.append("Ratios (the same counts on any machine; bare/portal is the issue's ratio)")
    for name, value in ratios(each).items():
        lines.append(f"  {name:<30} {value:8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="counted requests each (200)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--subject", choices=sorted(SUBJECTS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.subject:
        _run_subject(args.subject, args.requests)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("bench/instructions.py needs valgrind: apt-get install valgrind", file=sys.stderr)
        return 2
    # Two at a time: each is one process, and counts do not depend on what runs beside it.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {s: pool.submit(count, s, args.requests, valgrind) for s in SUBJECTS}
        counts = {s: f.result() for s, f in futures.items()}
    each = per_request(counts, args.requests)
    print(render(each, args.requests))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"requests": args.requests, "per_request": each, "ratios": ratios(each)}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
