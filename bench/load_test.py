"""Children signing in and filling in their consultations at once, against PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1/portal make load-test N=200

N fictional children are invited (in a scratch database made next to the one
DATABASE_URL names, and dropped afterwards). The portal runs as deployed: gunicorn with
gunicorn.conf.py and PORTAL_ENV=production (Redis for rate limits if REDIS_URL is set).
Each child starts at a random moment within the first minute, opens their personal link,
chooses a PIN, and walks their whole consultation as a phone would: every page read,
every question answered (never with an answer that raises a safety alert), a pause of
3 to 10 seconds on each page, then check your answers and send. The load comes from
separate processes (--generators), a thread per child.

Reported beside the goals: errors (any status other than the one a browser expects),
whether every answer is stored exactly as sent (read back from the database), latency
percentiles for pages and for the PIN step (the request that hashes), and the server's
CPU time per request, read from /proc for the gunicorn master and workers (replaced
workers included).

With --floor, the same children at the same pace walk bench/floor_app.py instead: the
least a signed-in page and a save can cost on this stack (see that file), served the same
way, its answers checked the same way. Its CPU per request beside the portal's says how
much of the portal's cost is the stack's own.

With --ceiling, children walk without pausing, more at a time every --step-seconds,
until the 95th percentile passes 1 second: the requests per second there are the
ceiling. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import (
    ROOT,
    BenchError,
    Browser,
    ScratchDatabase,
    Server,
    bare_flask_cpu_ms,
    clean_environment,
    cpu_seconds,
    database_server_cpu_seconds,
    free_port,
    is_postgres,
    load_average,
    path_of,
    percentile,
    run_flask,
    run_python,
    verdict,
)
from walk import CHECK_PATH, PIN, SENT_PATH, STEP_PATH, answers_for, form_fields

PAGE_P95_GOAL_MS = 300
SIGN_IN_P95_GOAL_MS = 1000
CPU_PER_REQUEST_GOAL_MS = 3.0
CEILING_P95_MS = 1000

# --- One child ------------------------------------------------------------------------------


class WalkFailed(RuntimeError):
    pass


@dataclass
class Walked:
    invitation_id: int
    answers: dict[str, str] = field(default_factory=dict)
    # (kind, seconds, finished at): kind is "pin" for the request that hashes the PIN,
    # "page" for every other.
    timings: list[tuple[str, float, float]] = field(default_factory=list)
    sign_in_seconds: float = 0.0
    sent: bool = False
    error: str | None = None


class Child:
    def __init__(
        self,
        port: int,
        link: str,
        invitation_id: int,
        who: int,
        questions: dict[str, Any],
        pause: tuple[float, float],
        rng: random.Random,
    ) -> None:
        self.browser = Browser(port, timeout=120)
        self.link = link
        self.who = who
        self.questions = questions
        self.pause = pause
        self.rng = rng
        self.result = Walked(invitation_id)

    def _send(self, method: str, path: str, form: Any = None, *, expect: int, kind: str = "page"):  # type: ignore[no-untyped-def]
        reply = self.browser.request(method, path, form)
        self.result.timings.append((kind, reply.seconds, time.time()))
        if reply.status != expect:
            raise WalkFailed(f"{method} {path} gave {reply.status}, expected {expect}")
        return reply

    def _think(self) -> None:
        low, high = self.pause
        if high > 0:
            time.sleep(self.rng.uniform(low, high))

    def walk(self) -> Walked:
        try:
            self._walk()
            self.result.sent = True
        except Exception as error:
            self.result.error = f"{type(error).__name__}: {error}"
        finally:
            self.browser.close()
        return self.result

    def _walk(self) -> None:
        opened = self._send("GET", self.link, expect=302)
        secret_path = path_of(opened.header("Location"), self.browser.port)
        page = self._send("GET", secret_path, expect=200)
        _fields, hidden = form_fields(page.body)
        self._think()
        chose = self._send(
            "POST",
            secret_path,
            {"secret": PIN, "confirm": PIN, "csrf_token": hidden.get("csrf_token", "")},
            expect=302,
            kind="pin",
        )
        start = self._send("GET", path_of(chose.header("Location"), self.browser.port), expect=302)
        path = path_of(start.header("Location"), self.browser.port)
        page = self._send("GET", path, expect=200)
        # The time the phone waited for the portal, not the child's typing.
        self.result.sign_in_seconds = sum(t[1] for t in self.result.timings)
        for _ in range(60):
            if CHECK_PATH.match(path):
                self._think()
                _fields, hidden = form_fields(page.body)
                match = CHECK_PATH.match(path)
                assert match
                sent = self._send(
                    "POST",
                    f"/consultation/{match.group(1)}/submit",
                    {"csrf_token": hidden.get("csrf_token", "")},
                    expect=302,
                )
                done = path_of(sent.header("Location"), self.browser.port)
                if not SENT_PATH.match(done):
                    raise WalkFailed(f"sending led to {done}")
                self._send("GET", done, expect=200)
                return
            if not STEP_PATH.match(path):
                raise WalkFailed(f"reached {path}, neither a step nor check your answers")
            data, answers = answers_for(page.body, self.questions, self.who)
            self._think()
            saved = self._send("POST", path, data, expect=302)
            self.result.answers.update(answers)
            path = path_of(saved.header("Location"), self.browser.port)
            page = self._send("GET", path, expect=200)
        raise WalkFailed("more than 60 pages")


class FloorChild(Child):
    """A child on bench/floor_app.py: signed in by /start (no PIN), then as many pages
    seen and saved as a consultation has, with the same pauses."""

    PAGES = 14

    def _walk(self) -> None:
        self._send("GET", f"/start?child={self.result.invitation_id}", expect=200)
        for number in range(self.PAGES):
            page = self._send("GET", "/page", expect=200)
            fields, hidden = form_fields(page.body)
            answers = {
                name: f"Child {self.who}, page {number}, {name}: fine ✓ 😊 مرحبا"
                for name, kind, _value in fields
                if kind == "textarea"
            }
            self._think()
            self._send(
                "POST", "/page", {**answers, "csrf_token": hidden.get("csrf_token", "")}, expect=302
            )
            self.result.answers.update(answers)


def _generator(
    port: int,
    children: list[dict[str, Any]],
    questions: dict[str, Any],
    starts: list[float],
    pause: tuple[float, float],
    seed: int,
    results: Any,
    walker: type[Child] = Child,
) -> None:
    """One load-generating process: a thread for each of its children."""
    walked: list[Walked] = []
    lock = threading.Lock()

    def run(child: dict[str, Any], start_at: float) -> None:
        time.sleep(max(0.0, start_at - time.time()))
        rng = random.Random(seed * 100_003 + child["who"])
        done = walker(
            port, child["link"], child["invitation_id"], child["who"], questions, pause, rng
        ).walk()
        with lock:
            walked.append(done)

    try:
        threads = [
            threading.Thread(target=run, args=(child, start), daemon=True)
            for child, start in zip(children, starts, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.put([asdict(w) for w in walked])
    except Exception:
        results.put({"error": traceback.format_exc()})


# --- The ceiling: no pauses, more children at a time ----------------------------------------


def _ceiling_generator(
    port: int,
    pool: Any,
    questions: dict[str, Any],
    concurrency: int,
    stop_at: float,
    results: Any,
) -> None:
    timings: list[tuple[str, float, float]] = []
    errors: list[str] = []
    ran_out = threading.Event()
    lock = threading.Lock()

    def run() -> None:
        while time.time() < stop_at:
            try:
                child = pool.get(timeout=2)
            except Exception:
                # Not the server's failure: the level cannot be measured in full.
                ran_out.set()
                return
            walked = Child(
                port,
                child["link"],
                child["invitation_id"],
                child["who"],
                questions,
                (0, 0),
                random.Random(),
            ).walk()
            with lock:
                # Every request, those after stop_at too: the walks under way then go
                # on to the end, and the server's CPU time for them is counted.
                timings.extend(walked.timings)
                if walked.error and time.time() < stop_at:
                    errors.append(walked.error)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put({"timings": timings, "errors": errors, "ran_out": ran_out.is_set()})


# The first seconds of each ceiling level, while the children at once build up: not counted.
CEILING_WARMUP_SECONDS = 2.0

RAN_OUT = "ran out of invitations before the level ended (seed more with N)"


def ceiling_figure(levels: list[dict[str, Any]]) -> str:
    """The ceiling as the report gives it: the most requests a second at a level whose
    p95 stayed within 1 s with no errors; "at least" when the invitations ran out
    before the server reached its limit (so the search stopped short of it)."""
    passing = [
        lvl
        for lvl in levels
        if lvl["p95_ms"] <= CEILING_P95_MS and not lvl["errors"] and not lvl.get("ran_out")
    ]
    best = max((lvl["requests_per_second"] for lvl in passing), default=0.0)
    stopped_short = bool(levels) and levels[-1].get("ran_out") and not levels[-1]["errors"]
    if stopped_short and levels[-1]["p95_ms"] <= CEILING_P95_MS:
        return f">= {best:.0f} req/s ({RAN_OUT})"
    return f"{best:.0f} req/s"


def ceiling_level(
    concurrency: int,
    replies: list[dict[str, Any]],
    *,
    began: float,
    stop_at: float,
    cpu_seconds: float | None,
) -> dict[str, Any]:
    """One level's figures from its generators' replies.

    The rate and latencies are of the requests that ended in the level's window
    (after its first ``CEILING_WARMUP_SECONDS``, by ``stop_at``). The server's CPU time
    is measured from before the first request to after the last, so it is shared among
    every request the level made: the walks under way at ``stop_at`` go on to their
    end, and dividing by the window's requests alone counted their CPU without them
    (more so the more children were walking at once).
    """
    every = [t for r in replies for t in r["timings"]]
    counted_from = began + CEILING_WARMUP_SECONDS
    timings = [t for t in every if counted_from <= t[2] <= stop_at]
    errors = [e for r in replies for e in r["errors"]]
    latencies = [t[1] for t in timings]
    return {
        "children_at_once": concurrency,
        "requests_per_second": len(timings) / max(0.1, stop_at - counted_from),
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "pin_p95_ms": 1000 * percentile([t[1] for t in timings if t[0] == "pin"], 0.95),
        "server_cpu_ms_per_request": (
            cpu_seconds * 1000 / len(every) if cpu_seconds is not None and every else None
        ),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "ran_out": any(r["ran_out"] for r in replies),
    }


def children_pool(context: Any, children: list[dict[str, Any]]) -> Any:
    """A queue of the invited children, from which each generator takes the next.

    The levels rarely use them all. What is left stays in the queue's pipe, and by
    default a process that put things in a queue waits at exit until they are read:
    here, for ever. Those children are not needed, so the wait is cancelled.
    """
    pool = context.Queue()
    pool.cancel_join_thread()
    for child in children:
        pool.put(child)
    return pool


def ceiling(
    server: Server, seeded: dict[str, Any], questions: dict[str, Any], args: Any
) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("fork")
    pool = children_pool(context, seeded["children"])
    levels = []
    concurrency = args.ceiling_start
    while concurrency <= args.ceiling_max:
        results = context.Queue()
        began = time.time()
        stop_at = began + args.step_seconds
        per_process = [
            concurrency // args.generators + (1 if n < concurrency % args.generators else 0)
            for n in range(args.generators)
        ]
        processes = [
            context.Process(
                target=_ceiling_generator,
                args=(server.port, pool, questions, n, stop_at, results),
                daemon=True,
            )
            for n in per_process
            if n
        ]
        cpu_from = server.cpu_seconds()
        for process in processes:
            process.start()
        replies = [results.get(timeout=args.step_seconds + 300) for _ in processes]
        cpu_to = server.cpu_seconds()
        for process in processes:
            process.join(timeout=10)
        level = ceiling_level(
            concurrency,
            replies,
            began=began,
            stop_at=stop_at,
            cpu_seconds=(
                cpu_to - cpu_from if cpu_from is not None and cpu_to is not None else None
            ),
        )
        levels.append(level)
        print(
            f"  {concurrency:>4} at once: {level['requests_per_second']:7.1f} req/s,"
            f" p50 {level['p50_ms']:6.0f} ms, p95 {level['p95_ms']:6.0f} ms,"
            f" PIN p95 {level['pin_p95_ms']:6.0f} ms, errors {level['errors']}"
            + (f", {RAN_OUT}" if level["ran_out"] else ""),
            file=sys.stderr,
        )
        if level["p95_ms"] > CEILING_P95_MS or level["errors"] or level["ran_out"]:
            break
        concurrency *= 2
    return levels


# --- The run --------------------------------------------------------------------------------


@dataclass
class Report:
    started_at: str
    settings: dict[str, Any]
    environment: dict[str, Any]
    figures: dict[str, Any] = field(default_factory=dict)
    ceiling: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, float]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # With --with-floor: bench/floor_app.py under the same load, right after.
    floor: dict[str, Any] = field(default_factory=dict)


def _server_env(workdir: Path, database_url: str, args: Any) -> dict[str, str]:
    env = clean_environment()
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=database_url,
        QUEUE_URL=f"sqlite:///{workdir / 'queue.sqlite3'}",
        LOG_FORMAT="text",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def _pin_hash_cpu_ms() -> tuple[float, str]:
    """CPU time of one PIN hash as the portal makes it (production parameters)."""
    from portal.domain.credentials import SecretHasher

    hasher = SecretHasher(pepper_keys=[secrets.token_urlsafe(32)])
    hasher.hash("0000")
    began = time.process_time()
    for _ in range(10):
        hasher.hash("4821")
    return (time.process_time() - began) * 100, hasher.secret_parameters


def _check_answers(scratch: ScratchDatabase, walked: list[dict[str, Any]]) -> dict[str, Any]:
    rows = scratch.query(
        "SELECT c.invitation_id, c.status, a.question_key, a.value FROM consultation c"
        " LEFT JOIN answer a ON a.consultation_id = c.id WHERE c.invitation_id = ANY(%s)",
        [w["invitation_id"] for w in walked],
    )
    stored: dict[int, dict[str, str]] = {}
    status: dict[int, str] = {}
    for invitation_id, state, key, value in rows:
        status[invitation_id] = state
        if key is not None:
            stored.setdefault(invitation_id, {})[key] = value
    sent = sum(1 for child in walked if status.get(child["invitation_id"]) == "submitted")
    return {**_compared(stored, walked, "invitation"), "consultations_submitted": sent}


def _check_floor_answers(scratch: ScratchDatabase, walked: list[dict[str, Any]]) -> dict[str, Any]:
    rows = scratch.query(
        "SELECT child, question, value FROM floor_answer WHERE child = ANY(%s)",
        [w["invitation_id"] for w in walked],
    )
    stored: dict[int, dict[str, str]] = {}
    for child, key, value in rows:
        stored.setdefault(child, {})[key] = value
    finished = sum(1 for w in walked if w["sent"])
    return {**_compared(stored, walked, "floor child"), "consultations_submitted": finished}


def _compared(
    stored: dict[int, dict[str, str]], walked: list[dict[str, Any]], who: str
) -> dict[str, Any]:
    """Each walk's answers beside what the database holds for it, byte for byte: an
    answer missing, different or there unasked for is counted against it."""
    expected = exact = 0
    wrong: list[str] = []
    for child in walked:
        mine = stored.get(child["invitation_id"], {})
        for key, value in child["answers"].items():
            expected += 1
            if mine.get(key) == value:
                exact += 1
            elif len(wrong) < 5:
                wrong.append(f"{who} {child['invitation_id']} {key}: {mine.get(key)!r}")
        extra = set(mine) - set(child["answers"])
        if extra and len(wrong) < 5:
            wrong.append(f"{who} {child['invitation_id']}: unexpected answers {sorted(extra)}")
        expected += len(extra)
    return {"answers_sent": expected, "answers_stored_exactly": exact, "mismatches": wrong}


def measure(args: argparse.Namespace) -> Report:
    base_url = args.database_url
    if not is_postgres(base_url):
        raise BenchError("the load test runs on PostgreSQL: set DATABASE_URL=postgresql://...")
    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    scratch = ScratchDatabase(base_url, "load")
    env = _server_env(workdir, scratch.url, args)
    server = (
        Server("floor", "bench.floor_app:app", args.port or free_port(), workdir / "floor.log")
        if args.floor
        else Server(
            "portal", "portal:create_app()", args.port or free_port(), workdir / "portal.log"
        )
    )
    report = Report(
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        settings={
            "children": args.children,
            "start_within_seconds": args.start_within,
            "pause_seconds": list(args.pause),
            "generators": args.generators,
            "workers": args.workers or "gunicorn.conf.py (WEB_CONCURRENCY, 2)",
            "threads": args.threads or "gunicorn.conf.py (GUNICORN_THREADS, 4)",
            "database": f"PostgreSQL, scratch database {scratch.name}",
            "redis": bool(args.redis_url),
            "ceiling": args.ceiling,
            "max_requests": args.max_requests,
            "floor": args.floor,
        },
        environment={"cpus": os.cpu_count(), "load_average_at_start": load_average()},
    )
    # Before anything else runs: the machine's own speed, to read the CPU figures by.
    report.environment["bare_flask_cpu_ms"] = bare_flask_cpu_ms()
    scratch.create()
    try:
        if args.floor:
            # Its own two tables, made by the app itself; children 2 to N+1 (1 is the bench's).
            seeded: dict[str, Any] = {
                "children": [
                    {"link": "", "invitation_id": number + 2, "who": number}
                    for number in range(args.children)
                ]
            }
            questions: dict[str, Any] = {}
            env["FLOOR_DATABASE_URL"] = scratch.url
        else:
            setup = {**env, "PORTAL_ENV": "test"}
            run_flask(["db", "upgrade"], setup)
            print(f"load test: inviting {args.children} children…", file=sys.stderr)
            seeded = run_python(
                ROOT / "bench" / "seed.py", [str(args.children)], setup, timeout=1800
            )
            for number, child in enumerate(seeded["children"]):
                child["who"] = number
            questions = {k: v for form in seeded["forms"].values() for k, v in form.items()}
        server_env = dict(env)
        workers = args.workers or int(os.environ.get("WEB_CONCURRENCY") or 2)
        threads = args.threads or int(os.environ.get("GUNICORN_THREADS") or 4)
        server.start(server_env, workers=workers, threads=threads, max_requests=args.max_requests)
        server.wait_ready("/start" if args.floor else "/healthz", workers=workers)
        report.settings["workers"], report.settings["threads"] = workers, threads
        if args.ceiling:
            print("load test: finding the ceiling (no pauses)…", file=sys.stderr)
            report.ceiling = ceiling(server, seeded, questions, args)
        else:
            _realistic(server, seeded, questions, args, report, scratch)
        if not server.alive():
            raise BenchError(f"the {server.name} server died during the run:\n{server.tail()}")
        report.environment["load_average_at_end"] = load_average()
        report.environment["worker_restarts"] = max(0, server.booted_workers() - workers)
    finally:
        server.stop()
        if args.keep:
            print(f"load test: kept {workdir} and database {scratch.name}", file=sys.stderr)
        else:
            scratch.drop()
            shutil.rmtree(workdir, ignore_errors=True)
    _goals(report, args)
    return report


def _realistic(
    server: Server,
    seeded: dict[str, Any],
    questions: dict[str, Any],
    args: Any,
    report: Report,
    scratch: ScratchDatabase,
) -> None:
    children = seeded["children"]
    rng = random.Random(args.seed)
    first = time.time() + 2
    starts = [first + rng.uniform(0, args.start_within) for _ in children]
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    share = [children[n :: args.generators] for n in range(args.generators)]
    start_share = [starts[n :: args.generators] for n in range(args.generators)]
    processes = [
        context.Process(
            target=_generator,
            args=(
                server.port,
                mine,
                questions,
                when,
                tuple(args.pause),
                args.seed + n,
                results,
                FloorChild if args.floor else Child,
            ),
            daemon=True,
        )
        for n, (mine, when) in enumerate(zip(share, start_share, strict=True))
        if mine
    ]
    print(
        f"load test: {len(children)} children starting within {args.start_within:g} s,"
        f" pauses {args.pause[0]:g}-{args.pause[1]:g} s…",
        file=sys.stderr,
    )
    cpu_from = server.cpu_seconds()
    database_from = database_server_cpu_seconds()
    began = time.time()
    for process in processes:
        process.start()
    generator_pids = [p.pid for p in processes if p.pid is not None]
    generator_from = cpu_seconds(generator_pids)
    walked: list[dict[str, Any]] = []
    generator_to = None
    for done in range(len(processes)):
        reply = results.get(timeout=3600)
        if isinstance(reply, dict):
            raise BenchError(f"a load generator failed:\n{reply['error']}")
        walked.extend(reply)
        if done == 0:
            # Read while the others still run (a process that has exited has no /proc).
            generator_to = cpu_seconds(generator_pids)
    cpu_to = server.cpu_seconds()
    database_to = database_server_cpu_seconds()
    seconds = time.time() - began
    for process in processes:
        process.join(timeout=10)
    timings = [t for w in walked for t in w["timings"]]
    pages = [t[1] for t in timings if t[0] == "page"]
    pins = [t[1] for t in timings if t[0] == "pin"]
    sign_ins = [w["sign_in_seconds"] for w in walked if w["sign_in_seconds"]]
    errors = [w["error"] for w in walked if w["error"]]
    report.errors = errors[:10]
    hash_ms, parameters = _pin_hash_cpu_ms()
    server_ms = (cpu_to - cpu_from) * 1000 if cpu_from is not None and cpu_to is not None else None
    ordinary = len(pages)
    checked = (_check_floor_answers if args.floor else _check_answers)(scratch, walked)
    report.timeline = _timeline(timings, began)
    in_app = _in_app_seconds(server.log_text())
    report.figures = {
        "seconds": seconds,
        "children": len(walked),
        "children_finished": sum(1 for w in walked if w["sent"]),
        "errors": len(errors),
        "requests": len(timings),
        "requests_per_second": len(timings) / seconds,
        "page_ms": _spread(pages),
        "pin_step_ms": _spread(pins),
        "whole_sign_in_ms": _spread(sign_ins),
        "in_app_ms": _spread(in_app),
        "server_cpu_seconds": server_ms / 1000 if server_ms is not None else None,
        "server_cpu_ms_per_request": server_ms / len(timings) if server_ms and timings else None,
        "database_cpu_ms_per_request": (
            (database_to - database_from) * 1000 / len(timings)
            if database_from is not None and database_to is not None and timings
            else None
        ),
        "pin_hash_cpu_ms": hash_ms,
        "pin_hash_parameters": parameters,
        "server_cpu_ms_per_ordinary_request": (
            (server_ms - hash_ms * len(pins)) / ordinary if server_ms and ordinary else None
        ),
        "generator_cpu_share": (
            (generator_to - generator_from) / (seconds * (os.cpu_count() or 1))
            if generator_from is not None and generator_to is not None
            else None
        ),
        **checked,
    }
    ordinary_ms, bare_ms = (
        report.figures["server_cpu_ms_per_ordinary_request"],
        report.environment.get("bare_flask_cpu_ms"),
    )
    report.figures["ordinary_request_in_bare_requests"] = (
        ordinary_ms / bare_ms if ordinary_ms is not None and bare_ms else None
    )


# The request log's own time for each request (portal.web.request_log, text format): from
# the app's first before-request function to its last after-request one. What a phone
# waits beyond that is queueing: for a worker thread, for the GIL, for the CPU.
_DURATION = re.compile(r" (\d+(?:\.\d+)?)ms request_id=")


def _in_app_seconds(log: str) -> list[float]:
    return [float(found.group(1)) / 1000 for found in _DURATION.finditer(log)]


TIMELINE_SECONDS = 15


def _timeline(timings: list[tuple[str, float, float]], began: float) -> list[dict[str, float]]:
    """Requests a second and page latencies in each slice of the run, by when each ended:
    whether the 95th percentile comes from the burst of sign-ins or from the whole run."""
    slices: dict[int, list[tuple[str, float]]] = {}
    for kind, seconds, ended in timings:
        slices.setdefault(int((ended - began) // TIMELINE_SECONDS), []).append((kind, seconds))
    timeline = []
    for number in sorted(slices):
        done = slices[number]
        pages = [seconds for kind, seconds in done if kind == "page"]
        timeline.append(
            {
                "from_second": number * TIMELINE_SECONDS,
                "requests_per_second": len(done) / TIMELINE_SECONDS,
                "sign_ins": sum(1 for kind, _ in done if kind == "pin"),
                "page_p50_ms": 1000 * percentile(pages, 0.50),
                "page_p95_ms": 1000 * percentile(pages, 0.95),
            }
        )
    return timeline


def _spread(seconds: list[float]) -> dict[str, float]:
    return {
        "count": len(seconds),
        "p50": 1000 * percentile(seconds, 0.50),
        "p95": 1000 * percentile(seconds, 0.95),
        "p99": 1000 * percentile(seconds, 0.99),
        "max": 1000 * max(seconds, default=0.0),
    }


def _goals(report: Report, args: Any) -> None:
    f = report.figures
    goals = report.goals
    if f:
        goals += [
            {"figure": "errors", "value": f["errors"], "goal": "0", "met": f["errors"] == 0},
            {
                "figure": "answers stored exactly",
                "value": f"{f['answers_stored_exactly']}/{f['answers_sent']}",
                "goal": "all",
                "met": f["answers_stored_exactly"] == f["answers_sent"] and f["answers_sent"] > 0,
            },
            {
                "figure": "consultations sent",
                "value": f"{f['consultations_submitted']}/{f['children']}",
                "goal": "all",
                "met": f["consultations_submitted"] == f["children"],
            },
            {
                "figure": "page p95",
                "value": f"{f['page_ms']['p95']:.0f} ms",
                "goal": f"<= {PAGE_P95_GOAL_MS} ms",
                "met": f["page_ms"]["p95"] <= PAGE_P95_GOAL_MS,
            },
        ]
        if f["pin_step_ms"]["count"]:  # the floor has no PIN step
            goals.append(
                {
                    "figure": "sign-in p95 (the PIN step, which hashes)",
                    "value": f"{f['pin_step_ms']['p95']:.0f} ms",
                    "goal": f"<= {SIGN_IN_P95_GOAL_MS / 1000:g} s",
                    "met": f["pin_step_ms"]["p95"] <= SIGN_IN_P95_GOAL_MS,
                }
            )
        per = f["server_cpu_ms_per_ordinary_request"]
        goals.append(
            {
                "figure": "server CPU per ordinary request",
                "value": "n/a" if per is None else f"{per:.2f} ms",
                "goal": f"<= {CPU_PER_REQUEST_GOAL_MS:g} ms",
                "met": None if per is None else per <= CPU_PER_REQUEST_GOAL_MS,
            }
        )
    if report.ceiling:
        goals.append(
            {
                "figure": "ceiling: most req/s with p95 <= 1 s, no pauses",
                "value": ceiling_figure(report.ceiling),
                "goal": "reported",
                "met": None,
            }
        )


def compare_with_floor(report: Report, floor: Report) -> None:
    """Put the floor's figures beside the portal's: what the stack costs under this load
    on this machine, and how many times that the portal costs."""
    portal_ms = report.figures.get("server_cpu_ms_per_ordinary_request")
    floor_ms = floor.figures.get("server_cpu_ms_per_ordinary_request")
    report.floor = {
        "server_cpu_ms_per_request": floor_ms,
        "page_ms": floor.figures.get("page_ms"),
        "database_cpu_ms_per_request": floor.figures.get("database_cpu_ms_per_request"),
        "errors": floor.figures.get("errors"),
        "answers_sent": floor.figures.get("answers_sent"),
        "answers_stored_exactly": floor.figures.get("answers_stored_exactly"),
        "bare_flask_cpu_ms": floor.environment.get("bare_flask_cpu_ms"),
        "portal_over_floor": portal_ms / floor_ms if portal_ms and floor_ms else None,
    }
    sound = floor.figures.get("errors") == 0 and floor.figures.get(
        "answers_stored_exactly"
    ) == floor.figures.get("answers_sent")
    report.goals += [
        {
            "figure": "the floor, same load: CPU per request",
            "value": "n/a" if floor_ms is None else f"{floor_ms:.2f} ms",
            "goal": "reported",
            "met": None,
        },
        {
            "figure": "the floor, same load: page p95",
            "value": f"{floor.figures['page_ms']['p95']:.0f} ms" if floor.figures else "n/a",
            "goal": "reported",
            "met": None,
        },
        {
            "figure": "portal/floor, CPU per ordinary request",
            "value": "n/a"
            if report.floor["portal_over_floor"] is None
            else f"{report.floor['portal_over_floor']:.2f}"
            + ("" if sound else " (the floor's run had errors: not a fair floor)"),
            "goal": "reported",
            "met": None,
        },
    ]


def render(report: Report) -> str:
    s, e, f = report.settings, report.environment, report.figures
    out = [
        f"Load test, {report.started_at}"
        + (
            ": THE FLOOR (bench/floor_app.py), not the portal; its sign-in does not hash"
            if s.get("floor")
            else ""
        ),
        f"  gunicorn -c gunicorn.conf.py, {s['workers']} workers x {s['threads']} threads"
        + ("" if s["max_requests"] is None else f", --max-requests {s['max_requests']}")
        + ","
        f" PORTAL_ENV=production, {s['database']}, rate limits in"
        f" {'Redis' if s['redis'] else 'each process'}; {e['cpus']} CPUs;"
        f" {s['generators']} generator processes",
        f"  load average (1, 5, 15 min): {e['load_average_at_start']} at the start,"
        f" {e.get('load_average_at_end', '?')} at the end;"
        f" workers replaced during the run: {e.get('worker_restarts', '?')}",
    ]
    if f:
        out += [
            f"  {f['children']} children starting within {s['start_within_seconds']:g} s, pauses"
            f" {s['pause_seconds'][0]:g}-{s['pause_seconds'][1]:g} s: {f['requests']} requests in"
            f" {f['seconds']:.0f} s ({f['requests_per_second']:.1f} req/s),"
            f" {f['children_finished']} finished",
            "",
            f"  {'latency (ms)':<40} {'count':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}",
        ]
        for label, key in (
            ("pages (every request but the PIN step)", "page_ms"),
            ("the PIN step (hashes the PIN)", "pin_step_ms"),
            ("whole sign-in, link to first page (5 requests)", "whole_sign_in_ms"),
            ("inside the app, every request (its log)", "in_app_ms"),
        ):
            d = f[key]
            if not d["count"]:
                continue  # the floor signs in without a PIN step
            out.append(
                f"  {label:<40} {d['count']:>6} {d['p50']:>7.0f} {d['p95']:>7.0f}"
                f" {d['p99']:>7.0f} {d['max']:>7.0f}"
            )
        cpu = f["server_cpu_ms_per_request"]
        out += [
            "",
            f"  server CPU: {f['server_cpu_seconds']:.1f} s in all, {cpu:.2f} ms per request;"
            if cpu is not None
            else "  server CPU: n/a",
            f"  one PIN hash ({f['pin_hash_parameters']}): {f['pin_hash_cpu_ms']:.1f} ms of CPU,"
            f" so per ordinary request (all CPU less one hash a sign-in):"
            f" {f['server_cpu_ms_per_ordinary_request']:.2f} ms"
            if f["server_cpu_ms_per_ordinary_request"] is not None
            else "",
            f"  this machine: bare Flask takes {e['bare_flask_cpu_ms']:.3f} ms of CPU a request"
            f" in process (bench/common.py), so an ordinary request here costs"
            f" {f['ordinary_request_in_bare_requests']:.0f} bare requests' worth"
            " (machines compare by this, not by milliseconds)"
            if f.get("ordinary_request_in_bare_requests") is not None
            else "",
            f"  the database server (PostgreSQL on this machine, all its processes):"
            f" {f['database_cpu_ms_per_request']:.2f} ms of CPU per request"
            if f.get("database_cpu_ms_per_request") is not None
            else "  the database server's CPU: not on this machine, not measured",
            f"  the load generators used {f['generator_cpu_share']:.0%} of the machine"
            if f["generator_cpu_share"] is not None
            else "",
            f"  answers stored exactly: {f['answers_stored_exactly']} of {f['answers_sent']};"
            f" consultations sent: {f['consultations_submitted']} of {f['children']}",
        ]
        if report.timeline:
            out += [
                "",
                f"  {'over the run, by when requests ended':<40} {'req/s':>6}"
                f" {'PINs':>5} {'page p50':>9} {'page p95':>9}",
            ]
            for part in report.timeline:
                start = part["from_second"]
                out.append(
                    f"  {f'{start:.0f}-{start + TIMELINE_SECONDS:.0f} s':<40}"
                    f" {part['requests_per_second']:>6.1f} {part['sign_ins']:>5.0f}"
                    f" {part['page_p50_ms']:>9.0f} {part['page_p95_ms']:>9.0f}"
                )
        out += [f"  mismatch: {m}" for m in f["mismatches"]]
        out += [f"  error: {m}" for m in report.errors]
    if report.ceiling:
        out += [
            "",
            "  Ceiling, no pauses (each level runs --step-seconds; the first"
            f" {CEILING_WARMUP_SECONDS:g} s not counted)",
        ]
        for lvl in report.ceiling:
            cpu = lvl["server_cpu_ms_per_request"] or 0.0
            out.append(
                f"  {lvl['children_at_once']:>4} children at once:"
                f" {lvl['requests_per_second']:7.1f} req/s,"
                f" p50 {lvl['p50_ms']:6.0f} ms, p95 {lvl['p95_ms']:6.0f} ms,"
                f" PIN step p95 {lvl['pin_p95_ms']:6.0f} ms,"
                f" CPU {cpu:.2f} ms/req, errors {lvl['errors']}"
                + (f", {RAN_OUT}" if lvl.get("ran_out") else "")
            )
    if report.floor and report.floor["server_cpu_ms_per_request"] is not None:
        fl = report.floor
        out += [
            "",
            "  Beside the floor (bench/floor_app.py: the same children, moments and pauses, right"
            " after):",
            f"  the floor: {fl['server_cpu_ms_per_request']:.2f} ms of server CPU per request,"
            f" page p95 {fl['page_ms']['p95']:.0f} ms, errors {fl['errors']},"
            f" answers stored exactly {fl['answers_stored_exactly']} of {fl['answers_sent']}",
            f"  the portal's ordinary request costs {fl['portal_over_floor']:.2f} times the floor's"
            if fl["portal_over_floor"] is not None
            else "",
        ]
    out += ["", "Goals"]
    for goal in report.goals:
        out.append(
            f"  {goal['figure']:<48} {goal['value']!s:>12}   {goal['goal']:<10}"
            f" {verdict(goal['met'])}"
        )
    return "\n".join(line for line in out if line != "")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--children", type=int, default=200, help="children invited (N)")
    parser.add_argument(
        "--start-within", type=float, default=60.0, help="seconds in which they all start"
    )
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(3.0, 10.0),
        metavar=("MIN", "MAX"),
        help="seconds each child spends on a page (0 0: none)",
    )
    parser.add_argument("--generators", type=int, default=4, help="load-generating processes")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--threads", type=int, default=None, help="threads a worker (default: gunicorn.conf.py's)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="replace each worker after this many requests (default: gunicorn.conf.py's;"
        " 0 never) -- to see what replacing workers costs, not as deployed",
    )
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument(
        "--seed", type=int, default=14, help="random seed for start times and pauses"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL server and database to make the scratch database beside (DATABASE_URL)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", ""),
        help="Redis for rate limits, as deployed (REDIS_URL; default: none, each process counts)",
    )
    parser.add_argument(
        "--ceiling", action="store_true", help="no pauses: find the req/s where p95 passes 1 s"
    )
    parser.add_argument(
        "--ceiling-start", type=int, default=4, help="children at once, first level"
    )
    parser.add_argument("--ceiling-max", type=int, default=256, help="children at once, last level")
    parser.add_argument(
        "--step-seconds", type=float, default=20.0, help="seconds each ceiling level runs"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="walk bench/floor_app.py instead of the portal, under the same load",
    )
    parser.add_argument(
        "--with-floor",
        action="store_true",
        help="then the floor under the same load, its figures beside the portal's",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and logs")
    args = parser.parse_args(argv)
    if args.children < 1 or args.children > 20_000:
        parser.error("--children must be between 1 and 20000")
    if args.generators < 1 or args.generators > 32:
        parser.error("--generators must be between 1 and 32")
    if not 0 <= args.pause[0] <= args.pause[1]:
        parser.error("--pause MIN MAX, with 0 <= MIN <= MAX")
    if (args.floor or args.with_floor) and args.ceiling:
        parser.error("the floor is measured under the realistic load only, not the ceiling")
    if args.floor and args.with_floor:
        parser.error("--floor walks the floor alone; --with-floor walks the portal, then it")
    if args.json is None:
        args.json = ROOT / "bench" / "results" / ("load-floor.json" if args.floor else "load.json")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = measure(args)
        if args.with_floor:
            print("load test: now the floor, under the same load…", file=sys.stderr)
            floor_args = argparse.Namespace(**{**vars(args), "floor": True, "with_floor": False})
            compare_with_floor(report, measure(floor_args))
    except (BenchError, OSError, ValueError) as error:
        print(f"load test: the measurement failed, no figures: {error}", file=sys.stderr)
        return 1
    print(render(report))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(asdict(report), indent=2, default=str) + "\n")
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
