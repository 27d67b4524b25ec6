"""What a page costs the server, as ratios against bare Flask in the same run, and what a
phone downloads and sees.

Serves the portal and bench/bare_app.py with the production gunicorn settings
(gunicorn.conf.py), on SQLite and, when DATABASE_URL names PostgreSQL, on PostgreSQL too,
and for each:

* load-tests three pages in turn with the bare page between them: a child's
  consultation page (GET), saving a step (POST, then the redirect), and an IRO's
  caseload (GET); each figure is portal requests/second as a ratio of the bare app's,
  beside the server CPU time per request read from /proc;
* on PostgreSQL, ends every connection the portal holds between two requests, as a
  database restart would, and checks that the next requests are answered;
* adds up what a phone downloads for the first consultation page, the next page, the
  under-8s' faces page and the caseload (gzip-compressed, as a proxy would send them);
* loads the first page and a question page in Chromium with Lighthouse's mobile
  throttling and reports Largest Contentful Paint, total blocking time and layout shift;
* times one Argon2 hash of a PIN and of a staff password, and checks that a thread
  hashing leaves the others free to serve pages.

It reports, it does not gate: the exit status is 0 whenever the measurement itself
worked, whether or not the goals are met. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import multiprocessing
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

import phone
from common import (
    HOST,
    ROOT,
    USER_AGENT,
    BenchError,
    Browser,
    ScratchDatabase,
    Server,
    clean_environment,
    cpu_seconds,
    free_port,
    is_postgres,
    load_average,
    parse,
    path_of,
    percentile,
    run_flask,
    run_python,
    verdict,
)
from walk import STEP_PATH, answers_for, sign_in_with_link

RATIO_GOAL = 0.3
RATIO_AIM = 0.4
# Decimal kilobytes: the stricter reading of "14 KB".
FIRST_VISIT_GOAL = 14_000
NEXT_PAGE_GOAL = 5_000
LCP_GOAL_MS = 1000
LONG_CACHE_SECONDS = 31_536_000

DEMO_CHILD = "/i/demo-jess"
UNDER_8_CHILD = "/i/demo-ruby"
IRO_EMAIL = "jo.iro@eastwold.example"

# What a typical server or proxy (nginx's gzip_types, a CDN) compresses; images
# such as PNG or JPEG are already compressed and are sent as they are.
COMPRESSIBLE = re.compile(
    r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)", re.I
)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")

SCENARIOS = {
    "page": "consultation page, GET",
    "post": "save a step, POST",
    "caseload": "IRO's caseload, GET",
}


# --- Signing in ---------------------------------------------------------------------------


@dataclass
class Job:
    """What one load client sends again and again, and the status it must get back."""

    method: str
    path: str
    cookie: str
    body: str = ""
    expect: int = 200


@dataclass
class Prepared:
    page: Job
    first_path: str
    next_path: str
    cookies: dict[str, str]
    posts: list[Job]
    caseload: Job
    faces_path: str
    faces_cookie: str
    sets_cookie_per_request: bool


def _child(port: int, link: str) -> tuple[Browser, str]:
    browser = Browser(port)
    first_path, _first, _posted = sign_in_with_link(browser, link)
    return browser, first_path


def _post_job(port: int, link: str, questions: dict[str, Any], who: int) -> Job:
    """A child signed in, with the answers for their first page ready to send."""
    browser, first_path = _child(port, link)
    try:
        page = browser.request("GET", first_path)
        data, _answers = answers_for(page.body, questions, who)
        saved = browser.request("POST", first_path, data)
        if saved.status != 302:
            raise BenchError(f"saving {first_path} gave {saved.status}, expected a redirect")
        # Sent again and again: the same answers, so never a clash between two tabs.
        return Job("POST", first_path, browser.cookie_header(), urlencode(data), 302)
    finally:
        browser.close()


def _staff(port: int) -> Job:
    import pyotp

    from portal.demo import DEMO_STAFF_PASSWORD, DEMO_TOTP_SECRET

    browser = Browser(port)
    try:
        page = browser.request("GET", "/staff/sign-in")
        token = parse(page.body).hidden.get("csrf_token", "")
        passed = browser.request(
            "POST",
            "/staff/sign-in",
            {"email": IRO_EMAIL, "password": DEMO_STAFF_PASSWORD, "csrf_token": token},
        )
        if passed.status != 302:
            raise BenchError(f"staff password step gave {passed.status}")
        code_path, code_page = browser.follow(passed)
        token = parse(code_page.body).hidden.get("csrf_token", "")
        signed = browser.request(
            "POST",
            code_path,
            {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now(), "csrf_token": token},
        )
        if signed.status != 302:
            raise BenchError(f"staff code step gave {signed.status}")
        home = path_of(signed.header("Location"), port)
        again = browser.request("GET", home)
        if again.status != 200:
            raise BenchError(f"GET {home} as the IRO gave {again.status}")
        return Job("GET", home, browser.cookie_header())
    finally:
        browser.close()


def _faces_page(port: int, questions: dict[str, Any]) -> tuple[str, str]:
    """The under-8s' first page with faces to choose from, and the child's cookie."""
    browser, path = _child(port, UNDER_8_CHILD)
    try:
        for _ in range(8):
            page = browser.request("GET", path)
            if b"/static/img/faces/" in page.body:
                return path, browser.cookie_header()
            data, _answers = answers_for(page.body, questions, 0)
            moved = browser.request("POST", path, data)
            if moved.status != 302:
                raise BenchError(f"saving {path} gave {moved.status}, expected a redirect")
            path = path_of(moved.header("Location"), port)
            if not STEP_PATH.match(path):
                break
        raise BenchError("no page with faces in the under-8s' form")
    finally:
        browser.close()


def prepare(port: int, clients: int, seeded: dict[str, Any]) -> Prepared:
    browser, first_path = _child(port, DEMO_CHILD)
    try:
        # The next page as a child reaches it: send the step (nothing answered) and follow.
        first = browser.request("GET", first_path)
        token = parse(first.body).hidden["csrf_token"]
        saved = browser.request("POST", first_path, {"csrf_token": token})
        if saved.status != 302:
            raise BenchError(f"sending {first_path} gave {saved.status}, expected a redirect")
        next_path = path_of(saved.header("Location"), port)
        if not STEP_PATH.match(next_path):
            raise BenchError(f"{first_path} led to {next_path}, not another step page")
        # The load test replays one cookie; say so if the portal would have replaced it.
        again = browser.request("GET", first_path)
        if again.status != 200:
            raise BenchError(f"GET {first_path} when signed in gave {again.status}")
        page = Job("GET", first_path, browser.cookie_header())
        cookies = dict(browser.cookies)
        sets_cookie = bool(again.headers.get_all("Set-Cookie"))
    finally:
        browser.close()
    questions = {k: v for form in seeded["forms"].values() for k, v in form.items()}
    posts = [
        _post_job(port, child["link"], questions, number)
        for number, child in enumerate(seeded["children"][:clients])
    ]
    faces_path, faces_cookie = _faces_page(port, questions)
    return Prepared(
        page=page,
        first_path=first_path,
        next_path=next_path,
        cookies=cookies,
        posts=posts,
        caseload=_staff(port),
        faces_path=faces_path,
        faces_cookie=faces_cookie,
        sets_cookie_per_request=sets_cookie,
    )


# --- Page weight --------------------------------------------------------------------------


@dataclass
class Download:
    url: str
    kind: str
    content_type: str
    cache_control: str
    raw_bytes: int
    compressed_bytes: int
    served_compressed: bool

    @property
    def long_cached(self) -> bool:
        directives = {d.strip().lower() for d in self.cache_control.split(",")}
        return "immutable" in directives and f"max-age={LONG_CACHE_SECONDS}" in directives


def _download(browser: Browser, url: str, kind: str) -> tuple[Download, bytes]:
    reply = browser.request("GET", url, gzip_ok=True)
    if reply.status != 200:
        raise BenchError(f"GET {url} gave {reply.status}")
    content_type = reply.header("Content-Type").split(";")[0].strip().lower()
    served_compressed = reply.header("Content-Encoding").lower() == "gzip"
    if served_compressed:
        compressed = len(reply.wire)
    elif COMPRESSIBLE.match(content_type):
        compressed = len(gzip.compress(reply.body, compresslevel=6, mtime=0))
    else:
        compressed = len(reply.body)
    item = Download(
        path_of(url, browser.port),
        kind,
        content_type,
        reply.header("Cache-Control"),
        len(reply.body),
        compressed,
        served_compressed,
    )
    return item, reply.body


def _page_and_assets(browser: Browser, path: str, cached: set[str]) -> list[Download]:
    """The page and everything it pulls in that is not already ``cached``."""
    page, html = _download(browser, path, "html")
    downloads = [page]
    wanted = [(kind, urljoin(path, url)) for kind, url in parse(html).assets]
    seen = set(cached)
    while wanted:
        kind, url = wanted.pop(0)
        if path_of(url, browser.port) in seen:
            continue
        seen.add(path_of(url, browser.port))
        item, body = _download(browser, url, kind)
        downloads.append(item)
        if item.content_type == "text/css":
            # Fonts and images named in the stylesheet cost bytes too.
            for match in CSS_URL.finditer(body.decode("utf-8", errors="replace")):
                found = (match.group(1) or match.group(2) or "").strip()
                if found and not found.startswith(("data:", "#")):
                    wanted.append(("css-url", urljoin(url, found)))
    return downloads


def _weight_summary(downloads: list[Download]) -> dict[str, Any]:
    return {
        "path": downloads[0].url,
        "raw_bytes": sum(d.raw_bytes for d in downloads),
        "compressed_bytes": sum(d.compressed_bytes for d in downloads),
        "resources": [asdict(d) | {"long_cached": d.long_cached} for d in downloads],
    }


def _with_cookie(port: int, cookie: str) -> Browser:
    browser = Browser(port)
    browser.cookies.update(dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part))
    return browser


def page_weight(port: int, prepared: Prepared) -> dict[str, Any]:
    browser = _with_cookie(port, prepared.page.cookie)
    try:
        first = _page_and_assets(browser, prepared.first_path, cached=set())
        # Only what the server lets a phone keep is free on the next page; anything
        # else is counted again.
        cached = {d.url for d in first[1:] if d.long_cached}
        following = _page_and_assets(browser, prepared.next_path, cached=cached)
        # Browsers ask for this by themselves when no icon is linked; reported, not counted.
        favicon = browser.request("GET", "/favicon.ico", gzip_ok=True)
    finally:
        browser.close()
    faces_browser = _with_cookie(port, prepared.faces_cookie)
    try:
        faces = _page_and_assets(faces_browser, prepared.faces_path, cached=set())
    finally:
        faces_browser.close()
    staff_browser = _with_cookie(port, prepared.caseload.cookie)
    try:
        caseload = _page_and_assets(staff_browser, prepared.caseload.path, cached=set())
    finally:
        staff_browser.close()
    static = first[1:] + following[1:] + faces[1:] + caseload[1:]
    return {
        "first_visit": _weight_summary(first),
        "next_page": _weight_summary(following),
        "faces_first_visit": _weight_summary(faces),
        "caseload_first_visit": _weight_summary(caseload),
        "html_cache_control": first[0].cache_control,
        "static_files_long_cached": bool(static) and all(d.long_cached for d in static),
        "favicon_ico": {"status": favicon.status, "wire_bytes": len(favicon.wire)},
    }


# --- Load ---------------------------------------------------------------------------------


@dataclass
class LoadRun:
    database: str
    server: str
    scenario: str
    round: int
    path: str
    requests: int
    seconds: float
    requests_per_second: float
    latency_ms_p50: float
    latency_ms_p95: float
    response_bytes: int
    reconnects: int
    # None where /proc is not there to read.
    server_cpu_ms_per_request: float | None
    client_cpu_percent: float | None
    worker_restarts: int


def _client(
    port: int,
    job: Job,
    start_at: float,
    measure_from: float,
    stop_at: float,
    results: Any,
) -> None:
    """One load-generating process: one keep-alive connection, one request at a time."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if job.cookie:
        headers["Cookie"] = job.cookie
    body = job.body.encode() if job.body else None
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    count = reconnects = size = 0
    latencies: list[float] = []
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        while (began := time.monotonic()) < stop_at:
            try:
                conn.request(job.method, job.path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn closes idle keep-alive connections; a browser reconnects.
                conn.close()
                reconnects += 1
                if reconnects > 200:
                    raise
                continue
            ended = time.monotonic()
            if response.status != job.expect:
                results.put(
                    {"error": f"{job.method} {job.path} gave {response.status}: {answer[:200]!r}"}
                )
                return
            if measure_from <= ended <= stop_at:
                count += 1
                size = len(answer)
                latencies.append(ended - began)
        results.put(
            {"count": count, "latencies": latencies, "reconnects": reconnects, "size": size}
        )
    except Exception as error:  # reported to the parent, which fails loudly
        results.put({"error": f"{type(error).__name__}: {error}"})
    finally:
        conn.close()


def load(
    target: Server, database: str, scenario: str, round_number: int, jobs: list[Job], args: Any
) -> LoadRun:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    # Every client starts, warms up and stops on the same clock, so they overlap fully.
    start_at = time.monotonic() + 0.5
    measure_from = start_at + args.warmup
    stop_at = measure_from + args.duration
    clients = [
        context.Process(
            target=_client,
            args=(target.port, jobs[n % len(jobs)], start_at, measure_from, stop_at, results),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for client in clients:
        client.start()
    replies: list[dict[str, Any]] = []
    try:
        # CPU time over the counted window: the server's cost per request (with any
        # worker gunicorn replaced meanwhile), and how much the load generator took.
        time.sleep(max(0.0, measure_from - time.monotonic()))
        client_pids = [c.pid for c in clients if c.pid is not None]
        boots_from = target.booted_workers()
        server_from, client_from = target.cpu_seconds(), cpu_seconds(client_pids)
        time.sleep(max(0.0, stop_at - time.monotonic()))
        server_to, client_to = target.cpu_seconds(), cpu_seconds(client_pids)
        boots = target.booted_workers() - boots_from
        for _ in clients:
            timeout = max(1.0, stop_at - time.monotonic()) + 60
            try:
                replies.append(results.get(timeout=timeout))
            except Exception as error:
                raise BenchError(f"a load client for {target.name} did not report back") from error
    finally:
        for client in clients:
            client.join(timeout=5)
            if client.is_alive():
                client.kill()
                client.join()
    errors = [r["error"] for r in replies if "error" in r]
    if errors:
        raise BenchError(f"load test on {target.name} ({scenario}) failed: {errors[0]}")
    latencies = [t for r in replies for t in r["latencies"]]
    count = sum(r["count"] for r in replies)
    if count == 0:
        raise BenchError(f"no request to {target.name} completed in {args.duration} s")
    return LoadRun(
        database=database,
        server=target.name,
        scenario=scenario,
        round=round_number,
        path=jobs[0].path,
        requests=count,
        seconds=args.duration,
        requests_per_second=count / args.duration,
        latency_ms_p50=1000 * percentile(latencies, 0.50),
        latency_ms_p95=1000 * percentile(latencies, 0.95),
        response_bytes=max(r["size"] for r in replies),
        reconnects=sum(r["reconnects"] for r in replies),
        server_cpu_ms_per_request=_difference(server_from, server_to, 1000 / count),
        client_cpu_percent=_difference(
            client_from, client_to, 100 / (args.duration * (os.cpu_count() or 1))
        ),
        worker_restarts=boots,
    )


def _difference(before: float | None, after: float | None, scale: float) -> float | None:
    return None if before is None or after is None else (after - before) * scale


# --- A database restart, as PostgreSQL's connections see it --------------------------------


def database_restart(port: int, prepared: Prepared, scratch: ScratchDatabase) -> dict[str, Any]:
    """End every connection the portal holds, then ask again: each request must succeed."""
    jobs = [prepared.page, prepared.caseload, prepared.page, prepared.posts[0]]
    answered: list[int] = []
    for _attempt in range(3):
        browser = _with_cookie(port, prepared.page.cookie)
        try:
            before = browser.request("GET", prepared.page.path)
        finally:
            browser.close()
        if before.status != 200:
            raise BenchError(f"before ending connections, the page gave {before.status}")
        ended = scratch.query(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            scratch.name,
        )[0][0]
        # Enough requests to reach every worker and every pooled connection.
        for n in range(24):
            job = jobs[n % len(jobs)]
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            try:
                headers = {"Cookie": job.cookie, "User-Agent": USER_AGENT}
                if job.body:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                conn.request(job.method, job.path, body=job.body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                answered.append(int(response.status == job.expect))
            finally:
                conn.close()
        if ended == 0:
            raise BenchError("no connection to end: was the portal using the scratch database?")
    return {"requests": len(answered), "succeeded": sum(answered)}


# --- Hashing ------------------------------------------------------------------------------


def hashing() -> dict[str, Any]:
    """CPU time of one hash, and whether hashing in one thread stops the others."""
    from portal.domain.credentials import SecretHasher

    try:
        hasher = SecretHasher(pepper_keys=[secrets.token_urlsafe(32)])
    except TypeError:  # a portal from before the pepper, measured for comparison
        hasher = SecretHasher()
    hasher.hash("0000")

    def cpu_ms(work: Any, times: int) -> float:
        # The whole process: Argon2 with p=4 hashes in four threads of its own.
        began = time.process_time()
        for _ in range(times):
            work()
        return (time.process_time() - began) * 1000 / times

    pin = cpu_ms(lambda: hasher.hash("4821"), 10)
    password = cpu_ms(lambda: hasher.hash_password("correct horse battery staple"), 3)

    # Whether a hash holds the GIL: while one long hash runs in another thread, does this
    # thread run Python at all? Held, it would stand still for the whole hash (0%);
    # released, it keeps a good share of its pace alone, less only what other load on
    # the machine takes.
    from argon2 import PasswordHasher

    long_hash = PasswordHasher(time_cost=40, memory_cost=19 * 1024, parallelism=1)

    def python_work(seconds: float | None = None, beside: Any = None) -> float:
        """Pure Python iterations a second: for ``seconds``, or from starting the thread
        ``beside`` until it ends."""
        done, began = 0, time.perf_counter()
        if beside is not None:
            beside.start()
        while beside.is_alive() if beside is not None else time.perf_counter() - began < seconds:
            sum(i * i for i in range(200))
            done += 1
        took = time.perf_counter() - began
        return done / took if took > 0 else 0.0

    shares = []
    for _ in range(3):
        alone = python_work(0.3)
        hashing_thread = threading.Thread(target=long_hash.hash, args=("4821",))
        shares.append(python_work(beside=hashing_thread) / alone)
        hashing_thread.join()
    return {
        "pin_parameters": getattr(hasher, "secret_parameters", "?"),
        "password_parameters": getattr(hasher, "password_parameters", "?"),
        "pin_hash_cpu_ms": pin,
        "password_hash_cpu_ms": password,
        "python_pace_while_hashing": statistics.median(shares),
    }


# --- The run ------------------------------------------------------------------------------


@dataclass
class Report:
    started_at: str
    settings: dict[str, Any]
    environment: dict[str, Any]
    runs: list[LoadRun] = field(default_factory=list)
    # The floor (bench/floor_app.py) on the page scenario, each run right after a bare one.
    floor_runs: list[LoadRun] = field(default_factory=list)
    ratios: dict[str, Any] = field(default_factory=dict)
    floor: dict[str, Any] = field(default_factory=dict)
    page_weight: dict[str, Any] = field(default_factory=dict)
    phone: dict[str, Any] = field(default_factory=dict)
    restart: dict[str, Any] = field(default_factory=dict)
    hashing: dict[str, Any] = field(default_factory=dict)
    goals: list[dict[str, Any]] = field(default_factory=list)
    sets_cookie_per_request: bool = False


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def _env(workdir: Path) -> dict[str, str]:
    env = clean_environment()
    # Rate limits count in each process (the bench sends no failed sign-ins), so the
    # two servers differ in nothing but the app.
    env.pop("REDIS_URL", None)
    env.update(
        PORTAL_ENV="production",
        # Explicit, so every worker signs and checks cookies alike.
        SECRET_KEY=secrets.token_urlsafe(48),
        QUEUE_URL=f"sqlite:///{workdir / 'queue.sqlite3'}",
        LOG_FORMAT="text",
    )
    return env


@contextmanager
def _served(
    server: Server, env: dict[str, str], args: argparse.Namespace, ready_path: str
) -> Iterator[Server]:
    """``server`` under the bench's gunicorn settings, until the block ends."""
    try:
        server.start(
            env, workers=args.workers, threads=args.threads, max_requests=args.max_requests
        )
        server.wait_ready(ready_path, workers=args.workers)
        yield server
    finally:
        server.stop()


@contextmanager
def _portal(
    args: argparse.Namespace, env: dict[str, str], database_url: str, workdir: Path, name: str
) -> Iterator[tuple[Server, dict[str, Any]]]:
    # The demo refuses to load in production: the data is made under PORTAL_ENV=test.
    setup_env = {**env, "PORTAL_ENV": "test", "DATABASE_URL": database_url}
    run_flask(["db", "upgrade"], setup_env)
    seeded = run_python(ROOT / "bench" / "seed.py", [str(args.clients)], setup_env)
    portal = Server(f"portal ({name})", "portal:create_app()", free_port(), workdir / f"{name}.log")
    with _served(portal, {**env, "DATABASE_URL": database_url}, args, "/healthz"):
        yield portal, seeded


@contextmanager
def _floor(
    args: argparse.Namespace, env: dict[str, str], database_url: str, workdir: Path, name: str
) -> Iterator[tuple[Server, Job]]:
    """bench/floor_app.py on the same database (its own two tables), signed in."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{workdir / 'floor.sqlite3'}"
    floor = Server(f"floor ({name})", "bench.floor_app:app", free_port(), workdir / "floor.log")
    with _served(floor, {**env, "FLOOR_DATABASE_URL": database_url}, args, "/start"):
        browser = Browser(floor.port)
        try:
            browser.request("GET", "/start")
        finally:
            browser.close()
        if not browser.cookies:
            raise BenchError("the floor page set no session cookie")
        yield floor, Job("GET", "/page", browser.cookie_header())


def measure(args: argparse.Namespace) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = _env(workdir)
    databases = [("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", None)]
    base_url = os.environ.get("DATABASE_URL", "")
    if is_postgres(base_url) and not args.sqlite_only:
        scratch = ScratchDatabase(base_url, "bench")
        databases.append(("PostgreSQL", scratch.url, scratch))
    report = Report(
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
        settings={
            "gunicorn": f"-c gunicorn.conf.py, {args.workers} workers x {args.threads} threads"
            + ("" if args.max_requests is None else f", --max-requests {args.max_requests}"),
            "clients": args.clients,
            "warmup_seconds": args.warmup,
            "duration_seconds": args.duration,
            "rounds": args.rounds,
            "databases": [name for name, _url, _scratch in databases],
        },
        environment={
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "gunicorn": _version("gunicorn"),
            "flask": _version("flask"),
            "sqlalchemy": _version("sqlalchemy"),
            "compiled_catalogues": sorted(
                p.parent.parent.name for p in (ROOT / "translations").glob("*/*/*.mo")
            ),
            "load_average_at_start": load_average(),
        },
    )
    bare = Server("bare", "bench.bare_app:app", free_port(), workdir / "bare.log")
    try:
        bare.start(env, workers=args.workers, threads=args.threads, max_requests=args.max_requests)
        bare.wait_ready("/", workers=args.workers)
        for name, url, scratch in databases:
            if scratch is not None:
                scratch.create()
            try:
                with _portal(args, env, url, workdir, name.lower()) as (portal, seeded):
                    prepared = prepare(portal.port, args.clients, seeded)
                    report.sets_cookie_per_request |= prepared.sets_cookie_per_request
                    if name == "SQLite":
                        report.page_weight = page_weight(portal.port, prepared)
                        report.phone = _phone(portal.port, prepared, args)
                    if scratch is not None:
                        report.restart = database_restart(portal.port, prepared, scratch)
                    scenarios = {
                        "page": [prepared.page],
                        "post": prepared.posts,
                        "caseload": [prepared.caseload],
                    }
                    with _floor(args, env, url, workdir, name.lower()) as (floor, floor_page):
                        for round_number in range(1, args.rounds + 1):
                            for scenario, jobs in scenarios.items():
                                # The bare page before each, so drift on the machine hits
                                # both.
                                report.runs.append(
                                    load(
                                        bare,
                                        name,
                                        scenario,
                                        round_number,
                                        [Job("GET", "/", "")],
                                        args,
                                    )
                                )
                                report.runs.append(
                                    load(portal, name, scenario, round_number, jobs, args)
                                )
                                if scenario == "page":
                                    report.floor_runs.append(
                                        load(floor, name, "floor", round_number, [floor_page], args)
                                    )
                        for server in (bare, portal, floor):
                            if not server.alive():
                                raise BenchError(
                                    f"{server.name} died during the run:\n{server.tail()}"
                                )
            finally:
                if scratch is not None and not args.keep:
                    scratch.drop()
    finally:
        bare.stop()
        if args.keep:
            print(f"bench: kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report.hashing = hashing()
    report.environment["load_average_at_end"] = load_average()
    _summarise(report)
    return report


def _phone(port: int, prepared: Prepared, args: argparse.Namespace) -> dict[str, Any]:
    if args.no_phone:
        return {"skipped": "--no-phone"}
    missing = phone.available()
    if missing:
        return {"skipped": missing}
    try:
        pages = phone.measure(port, prepared.cookies, prepared.first_path, prepared.next_path)
    except Exception as error:  # the browser, not the portal: say so and go on
        return {"skipped": f"Chromium failed: {type(error).__name__}: {error}"}
    return {"pages": pages}


def _median_of_all(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known and len(known) == len(values) else None


def _summarise(report: Report) -> None:
    for database in report.settings["databases"]:
        for scenario in SCENARIOS:
            pairs = [
                (b, p)
                for b, p in zip(report.runs[0::2], report.runs[1::2], strict=True)
                if p.database == database and p.scenario == scenario
            ]
            if not pairs:
                continue
            bare_rps = [b.requests_per_second for b, _p in pairs]
            portal_rps = [p.requests_per_second for _b, p in pairs]
            bare_cpu = _median_of_all([b.server_cpu_ms_per_request for b, _p in pairs])
            portal_cpu = _median_of_all([p.server_cpu_ms_per_request for _b, p in pairs])
            report.ratios[f"{database}/{scenario}"] = {
                "database": database,
                "scenario": scenario,
                "ratio": statistics.median(portal_rps) / statistics.median(bare_rps),
                "ratio_per_round": [p / b for b, p in zip(bare_rps, portal_rps, strict=True)],
                "bare_rps_median": statistics.median(bare_rps),
                "portal_rps_median": statistics.median(portal_rps),
                "bare_server_cpu_ms_per_request": bare_cpu,
                "portal_server_cpu_ms_per_request": portal_cpu,
                "cpu_ratio": bare_cpu / portal_cpu if bare_cpu and portal_cpu else None,
                "worker_restarts": sum(p.worker_restarts for _b, p in pairs),
            }
    for database in report.settings["databases"]:
        floor_runs = [run for run in report.floor_runs if run.database == database]
        bare_runs = [
            b
            for b, p in zip(report.runs[0::2], report.runs[1::2], strict=True)
            if p.database == database and p.scenario == "page"
        ]
        if not floor_runs or not bare_runs:
            continue
        floor_rps = statistics.median(run.requests_per_second for run in floor_runs)
        report.floor[database] = {
            "ratio": floor_rps / statistics.median(run.requests_per_second for run in bare_runs),
            "floor_rps_median": floor_rps,
            "floor_server_cpu_ms_per_request": _median_of_all(
                [run.server_cpu_ms_per_request for run in floor_runs]
            ),
            "portal_over_floor": (
                report.ratios[f"{database}/page"]["portal_rps_median"] / floor_rps
                if f"{database}/page" in report.ratios
                else None
            ),
        }
    goals = report.goals
    for key, ratio in report.ratios.items():
        label = f"{SCENARIOS[ratio['scenario']]}, {ratio['database']}: portal/bare"
        if ratio["scenario"] == "page":
            goals.append(
                _goal(
                    label,
                    ratio["ratio"],
                    f">= {RATIO_GOAL} (aim {RATIO_AIM})",
                    ratio["ratio"] >= RATIO_GOAL,
                    ".2f",
                )
            )
        else:
            goals.append(_goal(label, ratio["ratio"], "reported", None, ".2f"))
        del key
    for database, floor in report.floor.items():
        goals.append(
            _goal(
                f"the floor of this stack, {database}: floor/bare",
                floor["ratio"],
                "reported",
                None,
                ".2f",
            )
        )
    weight = report.page_weight
    if weight:
        for label, part, goal in (
            ("first visit, child's first page, gzip", "first_visit", FIRST_VISIT_GOAL),
            ("next page, gzip", "next_page", NEXT_PAGE_GOAL),
            ("first visit, under-8s' faces page, gzip", "faces_first_visit", FIRST_VISIT_GOAL),
            ("first visit, IRO's caseload, gzip", "caseload_first_visit", FIRST_VISIT_GOAL),
        ):
            value = weight[part]["compressed_bytes"]
            goals.append(_goal(label, value, f"<= {goal / 1000:g} KB", value <= goal, "kb"))
    for page in report.phone.get("pages", []):
        name = "first page, empty cache" if page["cache"] == "empty" else "question page, cached"
        lcp = page["lcp_ms"]
        goals.append(
            _goal(
                f"phone: LCP, {name}",
                lcp,
                f"<= {LCP_GOAL_MS / 1000:g} s",
                lcp is not None and lcp <= LCP_GOAL_MS,
                "s",
            )
        )
        cls = page["cumulative_layout_shift"]
        goals.append(_goal(f"phone: layout shift, {name}", cls, "0", cls < 0.0005, ".3f"))
        goals.append(
            _goal(
                f"phone: total blocking time, {name}",
                page["total_blocking_time_ms"],
                "reported",
                None,
                "ms",
            )
        )
    if report.restart:
        done = report.restart
        goals.append(
            _goal(
                "PostgreSQL ended every connection: requests answered after",
                f"{done['succeeded']}/{done['requests']}",
                "all",
                done["succeeded"] == done["requests"],
                "",
            )
        )


def _goal(label: str, value: Any, goal: str, met: bool | None, unit: str) -> dict[str, Any]:
    return {"figure": label, "value": value, "goal": goal, "met": met, "unit": unit}


# --- Output -------------------------------------------------------------------------------


def _kb(count: float) -> str:
    return f"{count / 1000:.1f} KB"


def _maybe(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def _show(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "kb":
        return _kb(value)
    if unit == "s":
        return f"{value / 1000:.2f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit and unit.startswith("."):
        return f"{value:{unit}}"
    return str(value)


def render(report: Report) -> str:
    s, e = report.settings, report.environment
    out = [
        f"Portal benchmark, {report.started_at}",
        f"  gunicorn {e['gunicorn']} {s['gunicorn']} (the production settings), the same for"
        f" both servers; {e['cpus']} CPUs; {s['clients']} client processes, keep-alive;"
        f" {s['warmup_seconds']:g} s warm-up + {s['duration_seconds']:g} s measured,"
        f" {s['rounds']} rounds alternating",
        f"  load average (1, 5, 15 min): {e['load_average_at_start']} at the start,"
        f" {e['load_average_at_end']} at the end",
        "",
        "Throughput (responses per second; server CPU from /proc, replaced workers included)",
        f"  {'database':<10} {'server':<19} {'scenario':<9} {'round':>5} {'req/s':>8}"
        f" {'p50 ms':>7} {'p95 ms':>7} {'bytes':>6} {'CPU ms/req':>10} {'client CPU':>10}"
        f" {'restarts':>8}",
    ]
    for run in report.runs:
        out.append(
            f"  {run.database:<10} {run.server:<19} {run.scenario:<9} {run.round:>5}"
            f" {run.requests_per_second:>8.1f} {run.latency_ms_p50:>7.1f}"
            f" {run.latency_ms_p95:>7.1f} {run.response_bytes:>6}"
            f" {_maybe(run.server_cpu_ms_per_request, '.2f'):>10}"
            f" {_maybe(run.client_cpu_percent, '.0f', '%'):>10} {run.worker_restarts:>8}"
        )
    for run in report.floor_runs:
        out.append(
            f"  {run.database:<10} {run.server:<19} {'page':<9} {run.round:>5}"
            f" {run.requests_per_second:>8.1f} {run.latency_ms_p50:>7.1f}"
            f" {run.latency_ms_p95:>7.1f} {run.response_bytes:>6}"
            f" {_maybe(run.server_cpu_ms_per_request, '.2f'):>10}"
            f" {_maybe(run.client_cpu_percent, '.0f', '%'):>10} {run.worker_restarts:>8}"
        )
    out.append("")
    out.append(
        f"  {'database':<10} {'scenario':<26} {'ratio':>6}  {'per round':<18}"
        f" {'CPU ms/req bare, portal':>24} {'CPU ratio':>9}"
    )
    for ratio in report.ratios.values():
        rounds = ", ".join(f"{r:.2f}" for r in ratio["ratio_per_round"])
        out.append(
            f"  {ratio['database']:<10} {SCENARIOS[ratio['scenario']]:<26}"
            f" {ratio['ratio']:>6.2f}  {rounds:<18}"
            f" {_maybe(ratio['bare_server_cpu_ms_per_request'], '.2f'):>11},"
            f" {_maybe(ratio['portal_server_cpu_ms_per_request'], '.2f'):>11}"
            f" {_maybe(ratio['cpu_ratio'], '.2f'):>9}"
        )
    if report.floor:
        out += [
            "",
            "The floor (bench/floor_app.py): a signed-in question page with nothing of the"
            " portal's own, on the same stack and database",
        ]
        for database, floor in report.floor.items():
            out.append(
                f"  {database:<10} floor/bare {floor['ratio']:.2f},"
                f" {_maybe(floor['floor_server_cpu_ms_per_request'], '.2f')} CPU ms/req;"
                f" portal/floor {_maybe(floor['portal_over_floor'], '.2f')}"
            )
    w = report.page_weight
    if w:
        out += ["", "Page weight for a phone (bytes; gzip level 6 where a server would compress)"]
        for label, key in (
            ("First visit, empty cache", "first_visit"),
            ("Next page, static files cached", "next_page"),
            ("Under-8s' faces page, first visit", "faces_first_visit"),
            ("IRO's caseload, first visit", "caseload_first_visit"),
        ):
            part = w[key]
            out.append(f"  {label}: {part['path']}")
            for item in part["resources"]:
                out.append(
                    f"    {item['url'][:48]:<48} {item['content_type'][:22]:<22}"
                    f" {item['raw_bytes']:>7} {item['compressed_bytes']:>7}"
                    f"  {item['cache_control']}"
                )
            out.append(
                f"    {'total':<48} {'':<22} {part['raw_bytes']:>7} {part['compressed_bytes']:>7}"
            )
        favicon = w["favicon_ico"]
        out += [
            f"  Static files sent with max-age={LONG_CACHE_SECONDS} and immutable:"
            f" {'yes' if w['static_files_long_cached'] else 'NO'}",
            f"  Pages sent with Cache-Control: {w['html_cache_control'] or '(none)'}",
            f"  /favicon.ico (asked for by browsers, not counted): {favicon['status']},"
            f" {favicon['wire_bytes']} bytes",
        ]
    if report.sets_cookie_per_request:
        out.append("  Note: the step page sets a cookie on every request.")
    out += ["", "The phone's view (Chromium; 150 ms RTT, 1.6 Mbps, CPU 4x slower; uncompressed)"]
    if "pages" in report.phone:
        for page in report.phone["pages"]:
            out.append(
                f"  {page['path']:<28} cache {page['cache']:<5}  LCP {_show(page['lcp_ms'], 's')}"
                f"  FCP {_show(page['fcp_ms'], 's')}  TBT {page['total_blocking_time_ms']:.0f} ms"
                f"  CLS {page['cumulative_layout_shift']:.3f}"
                f"  {page['bytes_transferred']} bytes transferred"
            )
    else:
        out.append(f"  skipped: {report.phone.get('skipped', 'not measured')}")
    h = report.hashing
    if h:
        out += [
            "",
            "Argon2 (CPU time of one hash in this process)",
            f"  PIN or word, {h['pin_parameters']}: {h['pin_hash_cpu_ms']:.1f} ms",
            f"  staff password, {h['password_parameters']}: {h['password_hash_cpu_ms']:.1f} ms",
            "  Python in one thread while another hashes, as a share of its pace alone:"
            f" {_maybe(h['python_pace_while_hashing'], '.0%')} (0% if the hash held the GIL;"
            " well above it, a worker's other threads serve pages while one hashes)",
        ]
    out += ["", "Goals"]
    for goal in report.goals:
        out.append(
            f"  {goal['figure']:<58} {_show(goal['value'], goal['unit']):>9}"
            f"   {goal['goal']:<18} {verdict(goal['met'])}"
        )
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before counting")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds counted per run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every scenario")
    parser.add_argument(
        "--clients",
        type=int,
        default=None,
        help="load-generating processes, one keep-alive connection each"
        " (default: workers x threads, enough to keep every server thread busy)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (both servers)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="replace each worker after this many requests (default: gunicorn.conf.py's;"
        " 0 never) -- to see what replacing workers costs, not as deployed",
    )
    parser.add_argument(
        "--sqlite-only", action="store_true", help="skip PostgreSQL even if DATABASE_URL names it"
    )
    parser.add_argument("--no-phone", action="store_true", help="skip the Chromium measurement")
    parser.add_argument(
        "--json",
        type=Path,
        default=ROOT / "bench" / "results" / "latest.json",
        help="where to write the results as JSON",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary files and scratch database"
    )
    args = parser.parse_args(argv)
    if args.clients is None:
        args.clients = args.workers * args.threads
    for name in ("warmup", "duration", "rounds", "clients", "workers", "threads"):
        if getattr(args, name) <= 0 and not (name == "warmup" and args.warmup == 0):
            parser.error(f"--{name} must be positive")
    if args.duration > 300 or args.rounds > 20 or args.clients > 64:
        parser.error("keep it bounded: --duration <= 300, --rounds <= 20, --clients <= 64")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = measure(args)
    except (BenchError, OSError, http.client.HTTPException, subprocess.SubprocessError) as error:
        print(f"bench: the measurement failed, no figures: {error}", file=sys.stderr)
        return 1
    print(render(report))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(asdict(report), indent=2, default=str) + "\n")
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
