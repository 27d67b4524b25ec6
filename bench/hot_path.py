"""CPU time of the hot path, in this process: a signed-in child's consultation page, a
step saved, and a worker's start, beside bare Flask measured in the same run.

    PORTAL_ENV=test .venv/bin/python bench/hot_path.py            # figures
    .venv/bin/python bench/hot_path.py --profile page             # where a page's time goes
    .venv/bin/python bench/hot_path.py --pages 2000 --repeats 5   # steadier figures
    .venv/bin/python bench/hot_path.py --postgresql postgresql://postgres@127.0.0.1/portal_bench
        # on PostgreSQL, with the CPU time of the server process behind the connection
    .venv/bin/python bench/hot_path.py --walks 40 [--postgresql ...]
        # whole children's ways through, by kind of request, beside the floor's

No server and no network: Flask's test client calls the app directly, so the figures
are the app's own work (routing, session, queries on a scratch SQLite file, rendering)
plus the test client's, which bare Flask pays too. CPU time (``time.process_time``)
depends far less on what else the machine runs than wall-clock time does; each figure
is the median of ``--repeats`` runs (and the least of them, the run least disturbed by
other work), with bare Flask measured before each portal run. The ratio bare/portal is
of CPU per request in this process, so lower than ``make bench``'s ratio of requests a
second under gunicorn, whose own work per request both sides pay.

The page is the demo child Jess's first consultation page, as in ``make bench``; the
save posts that page's answers again and again (the same answers, as ``make bench``
does), following nothing. The worker start is a fresh Python process importing the
portal, making the app and serving its first page: what gunicorn pays each time it
replaces a worker (``max_requests``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

DEMO_CHILD = "/i/demo-jess"
PIN = "4821"


class _Unseen(io.StringIO):
    """Somewhere for log lines to go and be forgotten (no file left open at exit)."""

    def write(self, text: str) -> int:
        return len(text)


# The app's one request-log line a request is written, as in production, but not seen.
_QUIET = {"wsgi.errors": _Unseen()}


# --postgresql: a scratch database, emptied first, so its name must say it is one.
POSTGRESQL_URL: str | None = None


def _settings(database: Path) -> Any:
    from portal.config import Settings

    return Settings.from_environment(
        {
            **os.environ,
            "PORTAL_ENV": "test",
            "DATABASE_URL": POSTGRESQL_URL or f"sqlite:///{database}",
            "QUEUE_URL": f"sqlite:///{database.parent / 'queue.sqlite3'}",
        }
    )


def _empty_postgresql(app: Any) -> None:
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def _portal(database: Path) -> Any:
    from flask_migrate import upgrade

    from portal import create_app, demo
    from portal.extensions import db

    # Cheap hashing: signing in is set up here, not measured.
    app = create_app(_settings(database), ARGON2_PARAMETERS={"time_cost": 1, "memory_cost": 64})
    if POSTGRESQL_URL:
        _empty_postgresql(app)
    with app.app_context(), contextlib.redirect_stderr(io.StringIO()):
        upgrade()  # quietly: alembic says each migration's name
        hasher = app.extensions["secret_hasher"]
        demo.seed_demo(
            code_key=app.config["SECRET_KEY"],
            password_hash=hasher.hash_password(demo.DEMO_STAFF_PASSWORD),
        )
        db.session.remove()
    return app


def _hidden(page: bytes) -> dict[str, str]:
    from walk import form_fields

    return form_fields(page)[1]


def _questions() -> dict[str, dict[str, Any]]:
    """Every question's key and the answers that would raise a safety alert, which a
    walk never gives (bench/walk.py)."""
    from portal.questionnaires.declarations import CURRENT_FORMS

    return {
        question.key: {"safety": sorted(question.safety_values)}
        for form in CURRENT_FORMS.values()
        for step in form.steps
        for question in step.questions
    }


def _signed_in_child(app: Any) -> tuple[Any, str, MultiDict[str, str]]:
    """A test client signed in as the demo child, her first page's path, and the form
    data that saves that page (every question answered as a child would)."""
    from walk import answers_for

    client = app.test_client()
    client.environ_base.update(_QUIET)
    opened = client.get(DEMO_CHILD)
    assert opened.status_code == 302, opened.status_code
    secret_path = opened.headers["Location"]
    token = _hidden(client.get(secret_path).data)["csrf_token"]
    chose = client.post(secret_path, data={"secret": PIN, "confirm": PIN, "csrf_token": token})
    assert chose.status_code == 302, chose.status_code
    started = client.get("/consultation")
    assert started.status_code == 302, started.status_code
    first = started.headers["Location"]
    page = client.get(first)
    assert page.status_code == 200, page.status_code
    questions = _questions()
    pairs, _answers = answers_for(page.data, questions, 1)
    data = MultiDict(pairs)  # a field may come more than once (ticked boxes)
    saved = client.post(first, data=data)
    assert saved.status_code == 302, saved.status_code
    return client, first, data


# With --postgresql: the database server process serving the portal's one connection,
# whose CPU time is measured beside this process's own.
BACKEND_PID: int | None = None
BACKEND_MS: dict[str, list[float]] = {"page": [], "post": []}


def _cpu_ms(
    count: int, request: Callable[[], Any], expect: int, backend: list[float] | None = None
) -> float:
    from common import cpu_seconds

    first = request()
    assert first.status_code == expect, first.status_code
    backend_from = cpu_seconds([BACKEND_PID]) if BACKEND_PID and backend is not None else None
    started = time.process_time()
    for _ in range(count):
        request()
    spent = time.process_time() - started
    if backend is not None and backend_from is not None:
        backend_to = cpu_seconds([BACKEND_PID]) if BACKEND_PID else None
        if backend_to is not None:
            backend.append((backend_to - backend_from) * 1000 / count)
    last = request()
    assert last.status_code == expect, last.status_code
    return spent * 1000 / count


def _one_connection_from_now(app: Any) -> int | None:
    """On PostgreSQL, the pid of the server process behind the portal's one connection
    (requests here come one at a time, so the pool only ever opens one)."""
    if not POSTGRESQL_URL:
        return None
    from sqlalchemy import text

    from portal.extensions import db

    with app.app_context():
        db.engine.dispose()
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.commit()
    return int(pid) if pid is not None else None


def _worker_start() -> float:
    """CPU ms of a fresh process: imports, the app, its first page (median of three)."""
    runs = []
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, __file__, "--worker-start-child"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PORTAL_ENV": "test"},
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1])["cpu_ms"])
    return statistics.median(runs)


def _worker_start_child() -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "portal.sqlite3"
        # The database is made by another process, so that only the worker's own work
        # is counted.
        subprocess.run(
            [sys.executable, __file__, "--make-database", str(database)],
            check=True,
            capture_output=True,
            env={**os.environ, "PORTAL_ENV": "test"},
        )
        made = time.process_time()
        from portal import create_app

        app = create_app(_settings(database))
        client = app.test_client()
        client.environ_base.update(_QUIET)
        assert client.get("/").status_code in (200, 302)
        assert client.get(DEMO_CHILD).status_code == 302
        ended = time.process_time()
    print(json.dumps({"cpu_ms": (ended - made) * 1000}))


# --- --walks: every request of whole children's ways through, by kind ----------------------

_STEP_KINDS = (
    ("link", "the personal link"),
    ("pin page", "the PIN page"),
    ("pin", "choosing the PIN (hashes; cheap here)"),
    ("start", "/consultation"),
    ("step GET", "a question page"),
    ("step POST", "saving a page"),
    ("check", "check your answers"),
    ("submit", "send"),
    ("sent", "sent"),
)


def _walks(app: Any, count: int) -> dict[str, list[float]]:
    """CPU ms of each request of ``count`` newly invited children, each signing in and
    sending a whole consultation, by kind of request (one more walks first, to warm up)."""
    from seed import invite_children

    with app.app_context():
        children = invite_children(count + 1, app.config["SECRET_KEY"])
    questions = _questions()
    spent: dict[str, list[float]] = {kind: [] for kind, _label in _STEP_KINDS}

    for who, child in enumerate(children):
        client = app.test_client()
        client.environ_base.update(_QUIET)
        # The first walk draws every template for the first time: not counted.
        timed = spent if who else {kind: [] for kind in spent}
        _walk_one(client, str(child["link"]), who, questions, timed)
    return spent


def _walk_one(
    client: Any, link: str, who: int, questions: dict[str, Any], spent: dict[str, list[float]]
) -> None:
    from walk import CHECK_PATH, answers_for, form_fields

    def send(kind: str, method: str, path: str, data: Any = None, expect: int = 200) -> Any:
        began = time.process_time()
        # Its own app context, as each request has on a server (and as Flask gives it
        # here anyway, unless the caller is inside one: a test).
        with client.application.app_context():
            reply = client.open(path, method=method, data=data)
        spent[kind].append((time.process_time() - began) * 1000)
        if reply.status_code != expect:
            raise SystemExit(f"{method} {path} gave {reply.status_code}, not {expect}")
        return reply

    secret_path = send("link", "GET", link, expect=302).headers["Location"]
    token = form_fields(send("pin page", "GET", secret_path).data)[1]["csrf_token"]
    chose = send(
        "pin", "POST", secret_path, {"secret": PIN, "confirm": PIN, "csrf_token": token}, expect=302
    )
    path = send("start", "GET", chose.headers["Location"], expect=302).headers["Location"]
    while not CHECK_PATH.match(path):
        page = send("step GET", "GET", path)
        pairs, _answers = answers_for(page.data, questions, who)
        path = send("step POST", "POST", path, MultiDict(pairs), expect=302).headers["Location"]
    token = form_fields(send("check", "GET", path).data)[1]["csrf_token"]
    match = CHECK_PATH.match(path)
    assert match is not None
    sent = send(
        "submit",
        "POST",
        f"/consultation/{match.group(1)}/submit",
        {"csrf_token": token},
        expect=302,
    )
    send("sent", "GET", sent.headers["Location"])


def _floor_ms(folder: Path, pairs: int) -> float:
    """CPU ms a request of bench/floor_app.py in this process: a page seen, then saved."""
    os.environ["FLOOR_DATABASE_URL"] = POSTGRESQL_URL or f"sqlite:///{folder / 'floor.sqlite3'}"
    import floor_app
    from walk import form_fields

    client = floor_app.app.test_client()
    client.environ_base.update(_QUIET)
    client.get("/start?child=2")

    def pair() -> None:
        page = client.get("/page")
        token = form_fields(page.data)[1]["csrf_token"]
        saved = client.post(
            "/page", data={"how_are_you": "Fine ✓ 😊 مرحبا", "school": "Good", "csrf_token": token}
        )
        assert saved.status_code == 302, saved.status_code

    for _ in range(20):
        pair()
    began = time.process_time()
    for _ in range(pairs):
        pair()
    return (time.process_time() - began) * 1000 / (2 * pairs)


def _report_walks(spent: dict[str, list[float]], floor_ms: float, bare_ms: float) -> dict[str, Any]:
    ordinary = [ms for kind, runs in spent.items() if kind != "pin" for ms in runs]
    total = sum(ordinary)
    mean = total / len(ordinary)
    print(f"Whole ways through, CPU ms a request in this process ({len(spent['link'])} children)")
    print(f"  {'request':<40} {'count':>6} {'median':>7} {'mean':>7} {'share':>6}")
    for kind, label in _STEP_KINDS:
        runs = spent[kind]
        share = "" if kind == "pin" else f"{sum(runs) / total:6.1%}"
        print(
            f"  {label:<40} {len(runs):>6} {statistics.median(runs):7.2f}"
            f" {statistics.mean(runs):7.2f} {share:>6}"
        )
    print(f"  every request but the PIN's: mean {mean:.2f} ms, {mean / bare_ms:.0f} bare requests")
    print(f"  the floor (bench/floor_app.py), a page seen then saved: {floor_ms:.2f} ms a request")
    print(f"  portal/floor {mean / floor_ms:.2f}; bare Flask {bare_ms:.3f} ms")
    return {
        "by_kind_ms": {kind: statistics.mean(runs) for kind, runs in spent.items()},
        "ordinary_mean_ms": mean,
        "floor_ms": floor_ms,
        "bare_ms": bare_ms,
        "portal_over_floor": mean / floor_ms,
    }


def _make_database(database: Path) -> None:
    _portal(database)


def _profile(which: str, client: Any, path: str, data: MultiDict[str, str], count: int) -> None:
    """cProfile's counts and times (every call, but it slows small calls most), or
    pyinstrument's samples if it is installed (``pip install pyinstrument``: truer
    shares, as it does not slow anything down)."""
    import cProfile
    import pstats

    request = (
        (lambda: client.get(path)) if which == "page" else (lambda: client.post(path, data=data))
    )
    for _ in range(20):
        request()
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        sampler = Profiler(interval=0.0005)
        sampler.start()
        for _ in range(count):
            request()
        sampler.stop()
        print(sampler.output_text(unicode=False, color=False, show_all=False))
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(count):
        request()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500, help="page GETs a run (500)")
    parser.add_argument("--posts", type=int, default=200, help="step POSTs a run (200)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each (3)")
    parser.add_argument("--no-start", action="store_true", help="skip the worker start")
    parser.add_argument("--profile", choices=("page", "post"), help="cProfile one of them")
    parser.add_argument(
        "--walks",
        type=int,
        metavar="N",
        help="instead: N children's whole ways through, by kind of request, beside the floor",
    )
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--postgresql",
        metavar="URL",
        help="measure on this PostgreSQL database instead of a scratch SQLite file; it is"
        " emptied first, so its name must end in _bench (createdb portal_bench)",
    )
    parser.add_argument("--worker-start-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make-database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_start_child:
        _worker_start_child()
        return
    if args.make_database:
        _make_database(args.make_database)
        return
    if args.postgresql:
        if not args.postgresql.rsplit("/", 1)[-1].split("?")[0].endswith("_bench"):
            parser.error("--postgresql: a scratch database whose name ends in _bench")
        global POSTGRESQL_URL
        POSTGRESQL_URL = args.postgresql
        args.no_start = True  # a worker's start is measured on SQLite only

    with tempfile.TemporaryDirectory() as folder:
        app = _portal(Path(folder) / "portal.sqlite3")
        if args.walks:
            from common import bare_flask_cpu_ms

            bare_ms = bare_flask_cpu_ms()
            spent = _walks(app, args.walks)
            results = _report_walks(spent, _floor_ms(Path(folder), 300), bare_ms)
            if args.json:
                args.json.write_text(json.dumps(results, indent=2))
            return
        client, first, data = _signed_in_child(app)
        if args.profile:
            _profile(args.profile, client, first, data, args.pages)
            return
        global BACKEND_PID
        BACKEND_PID = _one_connection_from_now(app)
        from common import bare_flask_client

        bare = bare_flask_client()
        page = lambda: client.get(first)  # noqa: E731
        post = lambda: client.post(first, data=data)  # noqa: E731
        bare_page = lambda: bare.get("/")  # noqa: E731
        figures: dict[str, list[float]] = {"bare": [], "page": [], "post": []}
        for _ in range(args.repeats):
            figures["bare"].append(_cpu_ms(args.pages, bare_page, 200))
            figures["page"].append(_cpu_ms(args.pages, page, 200, BACKEND_MS["page"]))
            figures["bare"].append(_cpu_ms(args.pages, bare_page, 200))
            figures["post"].append(_cpu_ms(args.posts, post, 302, BACKEND_MS["post"]))
    results: dict[str, Any] = {name: statistics.median(runs) for name, runs in figures.items()}
    results["least"] = {name: min(runs) for name, runs in figures.items()}
    results["runs"] = figures
    bare_ms = results["bare"]
    print(f"load average {os.getloadavg()[0]:.2f} at the end (compare runs of one sitting)")
    print("CPU ms a request: median of the runs, then the least (the least disturbed run)")
    print(f"  bare Flask         {bare_ms:6.3f}  {results['least']['bare']:6.3f}")
    for name, label in (("page", "consultation page"), ("post", "step POST")):
        runs = " ".join(f"{value:.3f}" for value in figures[name])
        ratio = bare_ms / results[name]
        print(
            f"  {label:<18} {results[name]:6.3f}  {results['least'][name]:6.3f}"
            f"   bare/portal {ratio:.3f}   (runs {runs})"
        )
    if BACKEND_MS["page"]:
        results["postgresql_server"] = {k: statistics.median(v) for k, v in BACKEND_MS.items()}
        server = results["postgresql_server"]
        print(
            "CPU ms a request of the PostgreSQL server process behind the connection"
            f" (median): consultation page {server['page']:.3f}, step POST {server['post']:.3f}"
        )
    if not args.no_start:
        results["worker_start"] = _worker_start()
        start = results["worker_start"]
        print(f"  worker start       {start:6.0f}  (imports, app, its first pages; median of 3)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
