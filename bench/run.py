"""Throughput and page weight of the portal, as ratios against a baseline from the same run.

Serves the portal and bench/bare_app.py under identical gunicorn settings, signs a demo
child in, then:

* load-tests a consultation step page for that child and the bare page, alternately,
  and reports portal requests/second as a ratio of the bare app's;
* adds up what a phone downloads for the first consultation page (HTML, CSS, JS,
  images) and for the next page, gzip-compressed as a server or proxy would send it.

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
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
COOKIE_NAME = "portal_session"
DEMO_LINK = "/i/demo-jess"
DEMO_SECRET = "4821"  # noqa: S105 - the PIN the bench chooses for a fictional demo child

RATIO_GOAL = 0.4
# Decimal kilobytes: the stricter reading of "60 KB".
FIRST_VISIT_GOAL = 60_000
NEXT_PAGE_GOAL = 20_000
LONG_CACHE_SECONDS = 31_536_000

# What a typical server or proxy (nginx's gzip_types, a CDN) compresses; images
# such as PNG or JPEG are already compressed and are sent as they are.
COMPRESSIBLE = re.compile(
    r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg\+xml)", re.I
)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
STEP_PATH = re.compile(r"^/consultation/\d+/[\w-]+$")

# A phone-like client; the portal picks the language from the session, not this.
USER_AGENT = "portal-bench/1 (Linux; Android 14; Mobile)"


class BenchError(RuntimeError):
    """The measurement itself failed; the figures would mean nothing."""


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    wire: bytes  # the body as sent, possibly gzip-encoded
    body: bytes  # the body decoded

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Browser:
    """Just enough of a browser: one keep-alive connection and a cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self._conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def close(self) -> None:
        self._conn.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, target: str, form: dict[str, str] | None = None, *, gzip_ok: bool = False
    ) -> Reply:
        path = _path_of(target, self.port)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip" if gzip_ok else "identity"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn drops keep-alive connections idle for 2 s; only a GET is safe to repeat.
            if method != "GET":
                raise
            self._conn.close()
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
        wire = response.read()
        decoded = wire
        if response.getheader("Content-Encoding", "").lower() == "gzip":
            decoded = gzip.decompress(wire)
        for value in response.headers.get_all("Set-Cookie") or []:
            self._remember(value)
        return Reply(response.status, response.headers, wire, decoded)

    def follow(self, reply: Reply, limit: int = 5) -> tuple[str, Reply]:
        """Follow redirects with GET; returns the final path and reply."""
        path = ""
        for _ in range(limit):
            if reply.status not in (301, 302, 303, 307, 308):
                return path, reply
            path = _path_of(reply.header("Location"), self.port)
            reply = self.request("GET", path)
        raise BenchError(f"more than {limit} redirects, last to {path}")

    def _remember(self, set_cookie: str) -> None:
        jar: SimpleCookie = SimpleCookie()
        jar.load(set_cookie)
        for name, morsel in jar.items():
            gone = morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if gone:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def _path_of(target: str, port: int) -> str:
    parts = urlsplit(urljoin(f"http://{HOST}:{port}/", target))
    return parts.path + (f"?{parts.query}" if parts.query else "")


class _Links(HTMLParser):
    """Every URL a browser fetches to show the page, and the form's hidden fields."""

    FETCHED_LINK_RELS = frozenset(
        {
            "stylesheet",
            "icon",
            "shortcut",
            "apple-touch-icon",
            "preload",
            "modulepreload",
            "manifest",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.assets: list[tuple[str, str]] = []  # (kind, url)
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "link" and self.FETCHED_LINK_RELS & set(a.get("rel", "").lower().split()):
            self._add("link", a.get("href"))
        elif tag == "script":
            self._add("script", a.get("src"))
        elif tag in ("img", "source", "input"):
            if tag != "input" or a.get("type") == "image":
                self._add("img", a.get("src"))
            for candidate in a.get("srcset", "").split(","):
                self._add("img", candidate.strip().split(" ")[0])
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden.setdefault(a["name"], a.get("value", ""))

    def _add(self, kind: str, url: str | None) -> None:
        if url and not url.startswith(("data:", "#")) and (kind, url) not in self.assets:
            self.assets.append((kind, url))


def _parse(html: bytes) -> _Links:
    parser = _Links()
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    return parser


# --- Servers ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    app: str
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self, env: dict[str, str], gunicorn_args: list[str]) -> None:
        command = [
            str(VENV_BIN / "gunicorn"),
            *gunicorn_args,
            "--bind",
            f"{HOST}:{self.port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            self.app,
        ]
        with self.log.open("wb") as log:
            # Its own process group, so stopping it also stops its workers.
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, path: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} server exited at start-up:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", path)
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} server not ready after {timeout:.0f} s:\n{self.tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self.process is None:
            return []
        master = self.process.pid
        found = [master]
        # /proc/<pid>/task/*/children is not built into every kernel; the parent field is.
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError, IndexError):
                text = stat.read_text()
                if int(text[text.rindex(")") + 2 :].split()[1]) == master:
                    found.append(int(stat.parent.name))
        return found

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
        # Whatever is left of its group, such as a worker orphaned by a crashed master.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _run_flask(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "portal", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


# --- Signing in ---------------------------------------------------------------------------


@dataclass
class SignedIn:
    cookie: str
    first_path: str
    next_path: str
    sets_cookie_per_request: bool


def sign_in_child(port: int) -> SignedIn:
    browser = Browser(port)
    try:
        opened = browser.request("GET", DEMO_LINK)
        if opened.status != 302:
            raise BenchError(f"GET {DEMO_LINK} gave {opened.status}, expected a redirect")
        secret_path, page = browser.follow(opened)
        if page.status != 200:
            raise BenchError(f"GET {secret_path} gave {page.status}")
        hidden = _parse(page.body).hidden
        if "csrf_token" not in hidden:
            raise BenchError(f"no csrf_token on {secret_path}: has the sign-in form changed?")
        posted = browser.request(
            "POST",
            secret_path,
            {"secret": DEMO_SECRET, "confirm": DEMO_SECRET, "csrf_token": hidden["csrf_token"]},
        )
        if posted.status != 302:
            raise BenchError(f"choosing a secret gave {posted.status}, expected a redirect")
        first_path, first = browser.follow(posted)
        if first.status != 200 or not STEP_PATH.match(first_path):
            raise BenchError(f"sign-in ended on {first_path} ({first.status}), not a step page")

        # The next page as a child reaches it: send the step (nothing answered) and follow.
        step_form = _parse(first.body).hidden
        saved = browser.request("POST", first_path, {"csrf_token": step_form["csrf_token"]})
        if saved.status != 302:
            raise BenchError(f"sending {first_path} gave {saved.status}, expected a redirect")
        next_path = _path_of(saved.header("Location"), port)
        if not STEP_PATH.match(next_path):
            raise BenchError(f"{first_path} led to {next_path}, not another step page")

        # The load test replays one cookie; say so if the portal would have replaced it.
        again = browser.request("GET", first_path)
        if again.status != 200:
            raise BenchError(f"GET {first_path} when signed in gave {again.status}")
        if COOKIE_NAME not in browser.cookies:
            raise BenchError(f"no {COOKIE_NAME} cookie after signing in")
        return SignedIn(
            cookie=browser.cookie_header(),
            first_path=first_path,
            next_path=next_path,
            sets_cookie_per_request=bool(again.headers.get_all("Set-Cookie")),
        )
    finally:
        browser.close()


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
        _path_of(url, browser.port),
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
    wanted = [(kind, urljoin(path, url)) for kind, url in _parse(html).assets]
    seen = set(cached)
    while wanted:
        kind, url = wanted.pop(0)
        if _path_of(url, browser.port) in seen:
            continue
        seen.add(_path_of(url, browser.port))
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


def page_weight(port: int, signed_in: SignedIn) -> dict[str, Any]:
    browser = Browser(port)
    browser.cookies.update(
        dict(part.split("=", 1) for part in signed_in.cookie.split("; ") if "=" in part)
    )
    try:
        first = _page_and_assets(browser, signed_in.first_path, cached=set())
        # Only what the server lets a phone keep is free on the next page; anything
        # else is counted again.
        cached = {d.url for d in first[1:] if d.long_cached}
        following = _page_and_assets(browser, signed_in.next_path, cached=cached)
        # Browsers ask for this by themselves when no icon is linked; reported, not counted.
        favicon = browser.request("GET", "/favicon.ico", gzip_ok=True)
    finally:
        browser.close()
    static = first[1:] + following[1:]
    return {
        "first_visit": _weight_summary(first),
        "next_page": _weight_summary(following),
        "html_cache_control": first[0].cache_control,
        "static_files_long_cached": bool(static) and all(d.long_cached for d in static),
        "favicon_ico": {"status": favicon.status, "wire_bytes": len(favicon.wire)},
    }


# --- Load ---------------------------------------------------------------------------------


@dataclass
class LoadRun:
    server: str
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


def _client(
    port: int,
    path: str,
    cookie: str,
    start_at: float,
    measure_from: float,
    stop_at: float,
    results: Any,
) -> None:
    """One load-generating process: one keep-alive connection, one request at a time."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    count = reconnects = size = 0
    latencies: list[float] = []
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        time.sleep(max(0.0, start_at - time.monotonic()))
        while (began := time.monotonic()) < stop_at:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn drops keep-alive connections idle for 2 s; a browser reconnects.
                conn.close()
                reconnects += 1
                if reconnects > 50:
                    raise
                continue
            ended = time.monotonic()
            if response.status != 200:
                results.put({"error": f"GET {path} gave {response.status}: {body[:200]!r}"})
                return
            if measure_from <= ended <= stop_at:
                count += 1
                size = len(body)
                latencies.append(ended - began)
        results.put(
            {"count": count, "latencies": latencies, "reconnects": reconnects, "size": size}
        )
    except Exception as error:  # reported to the parent, which fails loudly
        results.put({"error": f"{type(error).__name__}: {error}"})
    finally:
        conn.close()


def load(
    target: Server, round_number: int, path: str, cookie: str, args: argparse.Namespace
) -> LoadRun:
    server, port = target.name, target.port
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    # Every client starts, warms up and stops on the same clock, so they overlap fully.
    start_at = time.monotonic() + 0.5
    measure_from = start_at + args.warmup
    stop_at = measure_from + args.duration
    clients = [
        context.Process(
            target=_client,
            args=(port, path, cookie, start_at, measure_from, stop_at, results),
            daemon=True,
        )
        for _ in range(args.clients)
    ]
    for client in clients:
        client.start()
    replies: list[dict[str, Any]] = []
    try:
        # CPU time over the counted window: the server's cost per request, and how much of
        # the machine the load generator took from it.
        time.sleep(max(0.0, measure_from - time.monotonic()))
        client_pids = [c.pid for c in clients if c.pid is not None]
        server_cpu_from, client_cpu_from = _cpu_seconds(target.pids()), _cpu_seconds(client_pids)
        time.sleep(max(0.0, stop_at - time.monotonic()))
        server_cpu_to, client_cpu_to = _cpu_seconds(target.pids()), _cpu_seconds(client_pids)
        for _ in clients:
            timeout = max(1.0, stop_at - time.monotonic()) + 30
            try:
                replies.append(results.get(timeout=timeout))
            except Exception as error:
                raise BenchError(f"a load client for {server} did not report back") from error
    finally:
        for client in clients:
            client.join(timeout=5)
            if client.is_alive():
                client.kill()
                client.join()
    errors = [r["error"] for r in replies if "error" in r]
    if errors:
        raise BenchError(f"load test on {server} failed: {errors[0]}")
    latencies = sorted(t for r in replies for t in r["latencies"])
    count = sum(r["count"] for r in replies)
    if count == 0:
        raise BenchError(f"no request to {server} completed in {args.duration} s")
    return LoadRun(
        server=server,
        round=round_number,
        path=path,
        requests=count,
        seconds=args.duration,
        requests_per_second=count / args.duration,
        latency_ms_p50=1000 * latencies[len(latencies) // 2],
        latency_ms_p95=1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))],
        response_bytes=max(r["size"] for r in replies),
        reconnects=sum(r["reconnects"] for r in replies),
        server_cpu_ms_per_request=_difference(server_cpu_from, server_cpu_to, 1000 / count),
        client_cpu_percent=_difference(
            client_cpu_from, client_cpu_to, 100 / (args.duration * (os.cpu_count() or 1))
        ),
    )


def _cpu_seconds(pids: list[int]) -> float | None:
    """User plus system CPU time of these processes, from /proc (Linux only)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            if not Path("/proc/self/stat").exists():
                return None
            continue  # it has gone; the run fails on its own if that matters
        # The command name may hold spaces and brackets, so split after the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _difference(before: float | None, after: float | None, scale: float) -> float | None:
    return None if before is None or after is None else (after - before) * scale


# --- The run ------------------------------------------------------------------------------


@dataclass
class Report:
    started_at: str
    settings: dict[str, Any]
    environment: dict[str, Any]
    signed_in: dict[str, Any]
    runs: list[LoadRun] = field(default_factory=list)
    throughput: dict[str, Any] = field(default_factory=dict)
    page_weight: dict[str, Any] = field(default_factory=dict)
    goals: dict[str, Any] = field(default_factory=dict)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


@contextmanager
def _servers(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[Server, Server]]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Anything that could make the two servers differ, or the portal not use our database.
        if key not in ("GUNICORN_CMD_ARGS", "REDIS_URL", "FLASK_DEBUG", "FLASK_APP")
    }
    env.update(
        PORTAL_ENV="test",
        # Explicit, so every worker of both servers signs and checks cookies alike.
        SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
    )
    _run_flask(["db", "upgrade"], env)
    _run_flask(["seed-demo"], env)
    bare = Server("bare", "bench.bare_app:app", _free_port(), workdir / "bare.log")
    portal = Server("portal", "portal:create_app()", _free_port(), workdir / "portal.log")
    try:
        for server in (bare, portal):
            server.start(env, gunicorn_settings(args))
        bare.wait_ready("/")
        portal.wait_ready("/healthz")
        yield bare, portal
    finally:
        for server in (bare, portal):
            server.stop()


def gunicorn_settings(args: argparse.Namespace) -> list[str]:
    return [
        "--workers",
        str(args.workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(args.threads),
    ]


def measure(args: argparse.Namespace) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        with _servers(args, workdir) as (bare, portal):
            signed_in = sign_in_child(portal.port)
            report = Report(
                started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                settings={
                    "gunicorn": gunicorn_settings(args),
                    "clients": args.clients,
                    "warmup_seconds": args.warmup,
                    "duration_seconds": args.duration,
                    "rounds": args.rounds,
                },
                environment={
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "gunicorn": _version("gunicorn"),
                    "flask": _version("flask"),
                    "compiled_catalogues": sorted(
                        p.parent.parent.name for p in (ROOT / "translations").glob("*/*/*.mo")
                    ),
                },
                signed_in={
                    "first_path": signed_in.first_path,
                    "next_path": signed_in.next_path,
                    "sets_cookie_per_request": signed_in.sets_cookie_per_request,
                },
            )
            report.page_weight = page_weight(portal.port, signed_in)
            for round_number in range(1, args.rounds + 1):
                # Alternating, so drift on the machine hits both alike.
                report.runs.append(load(bare, round_number, "/", "", args))
                report.runs.append(
                    load(portal, round_number, signed_in.first_path, signed_in.cookie, args)
                )
            for server in (bare, portal):
                if server.process is None or server.process.poll() is not None:
                    raise BenchError(f"{server.name} server died during the run:\n{server.tail()}")
    finally:
        if args.keep:
            print(f"bench: kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    _summarise(report)
    return report


def _median_of_all(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known and len(known) == len(values) else None


def _summarise(report: Report) -> None:
    rates = {
        name: [r.requests_per_second for r in report.runs if r.server == name]
        for name in ("bare", "portal")
    }
    median = {name: statistics.median(values) for name, values in rates.items()}
    per_round = [p / b for b, p in zip(rates["bare"], rates["portal"], strict=True)]
    ratio = median["portal"] / median["bare"]
    cpu = {
        name: [r.server_cpu_ms_per_request for r in report.runs if r.server == name]
        for name in ("bare", "portal")
    }
    cpu_median = {name: _median_of_all(values) for name, values in cpu.items()}
    report.throughput = {
        "bare_rps_median": median["bare"],
        "portal_rps_median": median["portal"],
        "ratio": ratio,
        "ratio_per_round": per_round,
        "bare_server_cpu_ms_per_request_median": cpu_median["bare"],
        "portal_server_cpu_ms_per_request_median": cpu_median["portal"],
        # The same question asked of CPU time rather than wall-clock time: it does not
        # depend on how much of the machine the load generator took.
        "cpu_ratio": (
            cpu_median["bare"] / cpu_median["portal"]
            if cpu_median["bare"] and cpu_median["portal"]
            else None
        ),
    }
    first = report.page_weight["first_visit"]["compressed_bytes"]
    following = report.page_weight["next_page"]["compressed_bytes"]
    report.goals = {
        "throughput_ratio": {
            "value": ratio,
            "goal": f">= {RATIO_GOAL}",
            "met": ratio >= RATIO_GOAL,
        },
        "first_visit_compressed_bytes": {
            "value": first,
            "goal": f"<= {FIRST_VISIT_GOAL}",
            "met": first <= FIRST_VISIT_GOAL,
        },
        "next_page_compressed_bytes": {
            "value": following,
            "goal": f"<= {NEXT_PAGE_GOAL}",
            "met": following <= NEXT_PAGE_GOAL,
        },
    }


# --- Output -------------------------------------------------------------------------------


def _kb(count: int) -> str:
    return f"{count / 1000:.1f} KB"


def _maybe(value: float | None, spec: str, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{unit}"


def _verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def render(report: Report) -> str:
    s = report.settings
    out = [
        f"Portal benchmark, {report.started_at}",
        f"  gunicorn {report.environment['gunicorn']} {' '.join(s['gunicorn'])}, same for both"
        f" servers; {report.environment['cpus']} CPUs; {s['clients']} client processes,"
        f" keep-alive; {s['warmup_seconds']:g} s warm-up + {s['duration_seconds']:g} s"
        f" measured, {s['rounds']} rounds alternating",
        "",
        "Throughput (200 responses per second)",
        f"  {'server':<7} {'page':<26} {'round':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'bytes':>6} {'server CPU ms/req':>18} {'client CPU':>10}",
    ]
    for run in report.runs:
        out.append(
            f"  {run.server:<7} {run.path:<26} {run.round:>5} {run.requests_per_second:>8.1f}"
            f" {run.latency_ms_p50:>7.1f} {run.latency_ms_p95:>7.1f} {run.response_bytes:>6}"
            f" {_maybe(run.server_cpu_ms_per_request, '.2f'):>18}"
            f" {_maybe(run.client_cpu_percent, '.0f', '%'):>10}"
        )
    t = report.throughput
    per_round = ", ".join(f"{r:.2f}" for r in t["ratio_per_round"])
    out += [
        f"  median: bare {t['bare_rps_median']:.1f} req/s, portal {t['portal_rps_median']:.1f}"
        f" req/s",
        f"  ratio portal/bare: {t['ratio']:.2f}  (per round: {per_round})",
        "  server CPU per request: bare"
        f" {_maybe(t['bare_server_cpu_ms_per_request_median'], '.2f')} ms,"
        f" portal {_maybe(t['portal_server_cpu_ms_per_request_median'], '.2f')} ms;"
        f" as a ratio bare/portal {_maybe(t['cpu_ratio'], '.2f')} (for comparison, not the goal)",
        "",
        "Page weight for a phone (bytes; gzip level 6 where a server would compress)",
    ]
    w = report.page_weight
    for label, key in (
        ("First visit, empty cache", "first_visit"),
        ("Next page, static files cached", "next_page"),
    ):
        part = w[key]
        out.append(f"  {label}: {part['path']}")
        out.append(f"    {'resource':<44} {'type':<22} {'raw':>7} {'gzip':>7}  cache-control")
        for item in part["resources"]:
            out.append(
                f"    {item['url'][:44]:<44} {item['content_type'][:22]:<22}"
                f" {item['raw_bytes']:>7} {item['compressed_bytes']:>7}  {item['cache_control']}"
            )
        out.append(
            f"    {'total':<44} {'':<22} {part['raw_bytes']:>7} {part['compressed_bytes']:>7}"
        )
    favicon = w["favicon_ico"]
    out += [
        f"  Static files sent with max-age={LONG_CACHE_SECONDS} and immutable:"
        f" {'yes' if w['static_files_long_cached'] else 'NO'}",
        f"  Pages sent with Cache-Control: {w['html_cache_control'] or '(none)'}",
        f"  /favicon.ico (asked for by browsers, not counted): {favicon['status']},"
        f" {favicon['wire_bytes']} bytes",
    ]
    if report.signed_in["sets_cookie_per_request"]:
        out.append("  Note: the step page sets a cookie on every request.")
    g = report.goals
    out += [
        "",
        "Goals",
        f"  throughput ratio       {g['throughput_ratio']['value']:>8.2f}   goal >= {RATIO_GOAL}"
        f"      {_verdict(g['throughput_ratio']['met'])}",
        f"  first visit, gzip      {_kb(g['first_visit_compressed_bytes']['value']):>8}"
        f"   goal <= {_kb(FIRST_VISIT_GOAL)}  {_verdict(g['first_visit_compressed_bytes']['met'])}",
        f"  next page, gzip        {_kb(g['next_page_compressed_bytes']['value']):>8}"
        f"   goal <= {_kb(NEXT_PAGE_GOAL)}  {_verdict(g['next_page_compressed_bytes']['met'])}",
    ]
    return "\n".join(out)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before counting")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds counted per run")
    parser.add_argument("--rounds", type=int, default=3, help="bare+portal pairs to run")
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
        "--json",
        type=Path,
        default=ROOT / "bench" / "results" / "latest.json",
        help="where to write the results as JSON",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary database and server logs"
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
    args.json.write_text(json.dumps(asdict(report), indent=2) + "\n")
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
