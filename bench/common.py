"""What the benchmark (run.py) and the load test (load_test.py) share.

A small HTTP client with a cookie jar, gunicorn servers started with the production
settings (gunicorn.conf.py), the servers' CPU time read from /proc, a scratch
PostgreSQL database, and the fictional data both need. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.client
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from contextlib import suppress
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
COOKIE_NAME = "portal_session"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
# A phone-like client; the portal picks the language from the session, not this.
USER_AGENT = "portal-bench/2 (Linux; Android 14; Mobile)"
REDIRECTS = (301, 302, 303, 307, 308)


class BenchError(RuntimeError):
    """The measurement itself failed; the figures would mean nothing."""


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    wire: bytes  # the body as sent, possibly gzip-encoded
    body: bytes  # the body decoded
    seconds: float = 0.0  # from sending the request to the last byte of the answer

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Browser:
    """Just enough of a browser: one keep-alive connection and a cookie jar."""

    # gunicorn.conf.py keeps an idle connection open for 5 s: after longer than this, a
    # new one, so that a request never races the server closing the old one.
    IDLE_RECONNECT_SECONDS = 4.0

    def __init__(self, port: int, timeout: float = 60.0) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.timeout = timeout
        self._conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self._last_used = time.monotonic()

    def close(self) -> None:
        self._conn.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self,
        method: str,
        target: str,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        *,
        gzip_ok: bool = False,
    ) -> Reply:
        path = path_of(target, self.port)
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip" if gzip_ok else "identity"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.monotonic()
        if began - self._last_used > self.IDLE_RECONNECT_SECONDS:
            self._conn.close()
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # gunicorn closes keep-alive connections idle for a few seconds, as a proxy
            # would; a browser opens a new one. Sent again only if the server closed
            # the connection before reading the request.
            self._conn.close()
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            began = time.monotonic()
            self._conn.request(method, path, body=body, headers=headers)
            response = self._conn.getresponse()
        wire = response.read()
        self._last_used = time.monotonic()
        seconds = self._last_used - began
        decoded = wire
        if response.getheader("Content-Encoding", "").lower() == "gzip":
            decoded = gzip.decompress(wire)
        for value in response.headers.get_all("Set-Cookie") or []:
            self._remember(value)
        return Reply(response.status, response.headers, wire, decoded, seconds)

    def follow(self, reply: Reply, limit: int = 5) -> tuple[str, Reply]:
        """Follow redirects with GET; returns the final path and reply."""
        path = ""
        for _ in range(limit):
            if reply.status not in REDIRECTS:
                return path, reply
            path = path_of(reply.header("Location"), self.port)
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


def path_of(target: str, port: int) -> str:
    parts = urlsplit(urljoin(f"http://{HOST}:{port}/", target))
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Links(HTMLParser):
    """Every URL a browser fetches to show the page, and the page's form fields."""

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
        # The fields of the page's forms, in order: (name, type, value).
        self.fields: list[tuple[str, str, str]] = []
        self.forms: list[str] = []  # each form's action
        self._textarea: str | None = None

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
        if tag == "form":
            self.forms.append(a.get("action", ""))
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "hidden":
                self.hidden.setdefault(a["name"], a.get("value", ""))
            self.fields.append((a["name"], kind, a.get("value", "")))
        if tag == "textarea" and a.get("name"):
            self.fields.append((a["name"], "textarea", ""))

    def _add(self, kind: str, url: str | None) -> None:
        if url and not url.startswith(("data:", "#")) and (kind, url) not in self.assets:
            self.assets.append((kind, url))


def parse(html: bytes) -> Links:
    parser = Links()
    parser.feed(html.decode("utf-8", errors="replace"))
    parser.close()
    return parser


# --- Servers and their CPU time -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and brackets, so split after the last ")".
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pids: list[int], *, with_reaped_children: int | None = None) -> float | None:
    """User plus system CPU time of these processes, from /proc (Linux only).

    With ``with_reaped_children`` (a gunicorn master's pid), the CPU time of its workers
    that have already exited is added too: gunicorn replaces each worker after
    max_requests (``--max-requests``), and a replaced worker's time must still count.
    """
    if not Path("/proc/self/stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is None:
            continue  # it has gone; the run fails on its own if that matters
        total += int(fields[11]) + int(fields[12])
        if pid == with_reaped_children:
            total += int(fields[13]) + int(fields[14])
    return total / ticks


def children_of(parent: int) -> list[int]:
    found = []
    # /proc/<pid>/task/*/children is not built into every kernel; the parent field is.
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            if int(text[text.rindex(")") + 2 :].split()[1]) == parent:
                found.append(int(stat.parent.name))
    return found


def _command_name(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.index("(") + 1 : text.rindex(")")]


def database_server_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL server on this machine, from /proc: the postmaster, its
    processes (a backend for each connection, the WAL writer, the checkpointer,
    autovacuum) and those that have already exited. None if it runs elsewhere."""
    if not Path("/proc/self/stat").exists():
        return None
    servers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        pid = int(stat.parent.name)
        fields = _stat_fields(pid)
        if fields is None or _command_name(pid) != "postgres":
            continue
        # The postmaster is the postgres process whose parent is not one.
        if _command_name(int(fields[1])) != "postgres":
            servers.append(pid)
    if not servers:
        return None
    total = 0.0
    for postmaster in servers:
        total += (
            cpu_seconds([postmaster, *children_of(postmaster)], with_reaped_children=postmaster)
            or 0.0
        )
    return total


@dataclass
class Server:
    """A gunicorn server with the production settings (gunicorn.conf.py)."""

    name: str
    app: str
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(
        self, env: dict[str, str], *, workers: int, threads: int, max_requests: int | None = None
    ) -> None:
        command = [str(VENV_BIN / "gunicorn"), "-c", str(GUNICORN_CONF), "--chdir", str(ROOT)]
        if max_requests is not None:
            # Only to see what replacing workers costs: production keeps gunicorn.conf.py's.
            command += ["--max-requests", str(max_requests)]
        command.append(self.app)
        server_env = {
            **env,
            "PORT": str(self.port),
            "BIND_HOST": HOST,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        with self.log.open("wb") as log:
            # Its own process group, so stopping it also stops its workers.
            self.process = subprocess.Popen(
                command,
                env=server_env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, path: str, *, workers: int = 1, timeout: float = 90.0) -> None:
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
                    # Every worker up, not only the first: a worker still importing the
                    # app would be counted in the first measured seconds.
                    if self.booted_workers() >= workers:
                        time.sleep(2)  # the last to boot may still be importing the app
                        # gunicorn says "Booting worker" before the worker imports the
                        # app; one that then fails takes the master with it.
                        if self.process.poll() is not None:
                            raise BenchError(
                                f"{self.name} server stopped at start-up:\n{self.tail()}"
                            )
                        return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} server not ready after {timeout:.0f} s:\n{self.tail()}")

    def booted_workers(self) -> int:
        return self.log_text().count("Booting worker")

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self.process is None:
            return []
        return [self.process.pid, *children_of(self.process.pid)]

    def cpu_seconds(self) -> float | None:
        if self.process is None:
            return None
        return cpu_seconds(self.pids(), with_reaped_children=self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=35)
        # Whatever is left of its group, such as a worker orphaned by a crashed master.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(no log)"


def run_flask(args: list[str], env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "portal", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def run_python(script: Path, args: list[str], env: dict[str, str], timeout: float = 600) -> Any:
    """Run one of the bench's helper scripts with the project's Python; its JSON output."""
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"{script.name} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout)


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that could change how the servers run."""
    return {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "GUNICORN_CMD_ARGS",
            "FLASK_DEBUG",
            "FLASK_APP",
            "WEB_CONCURRENCY",
            "GUNICORN_THREADS",
            "PORT",
            "BIND_HOST",
            "GUNICORN_ACCESS_LOG",
            "QUEUE_IMMEDIATE",
        )
    }


# --- PostgreSQL -----------------------------------------------------------------------------


def is_postgres(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgres://", "postgresql://", "postgresql+"))


def _libpq(url: str) -> str:
    _scheme, rest = url.split("://", 1)
    return "postgresql://" + rest


@dataclass
class ScratchDatabase:
    """A database of its own beside the one DATABASE_URL names, dropped afterwards.

    The bench never writes to the database DATABASE_URL names: it only connects to it
    to create ``<name>_<suffix>`` next to it.
    """

    base_url: str
    suffix: str

    @property
    def name(self) -> str:
        return f"{self._parts().path.lstrip('/') or 'postgres'}_{self.suffix}"

    def _parts(self):  # type: ignore[no-untyped-def]
        return urlsplit(_libpq(self.base_url))

    @property
    def url(self) -> str:
        parts = self._parts()
        return urlunsplit((parts.scheme, parts.netloc, "/" + self.name, parts.query, ""))

    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        try:
            return psycopg.connect(_libpq(self.base_url), autocommit=True, connect_timeout=5)
        except psycopg.OperationalError:
            parts = self._parts()
            fallback = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
            return psycopg.connect(fallback, autocommit=True, connect_timeout=5)

    def create(self) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        from psycopg import sql

        with suppress(Exception), self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def query(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as conn:
            return list(conn.execute(statement, params).fetchall())


# --- Figures ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of them fall (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def load_average() -> str:
    try:
        one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, ValueError):
        return "unknown"
    return f"{one} {five} {fifteen}"


def bare_flask_client() -> Any:
    """A test client of bench/bare_app.py: bare Flask, called in this process."""
    from bare_app import app

    return app.test_client()


def bare_flask_cpu_ms(requests: int = 2000, runs: int = 3) -> float:
    """How fast this machine runs a Python web request, in one figure: the CPU time bare
    Flask (bench/bare_app.py) spends on a request from its test client, in this process
    (the median of ``runs``; no server, no network).

    Figures that are not ratios, like the load test's CPU per request, move with the
    machine: two machines sold as the same 2-core kind here gave 4.8 and 9.1 ms for the
    same load test of the same code. Dividing by this figure, measured in the same
    sitting, says how many bare requests' worth each costs, which compares across them.
    """
    client = bare_flask_client()
    assert client.get("/").status_code == 200
    spent = []
    for _ in range(runs):
        started = time.process_time()
        for _ in range(requests):
            client.get("/")
        spent.append((time.process_time() - started) * 1000 / requests)
    return statistics.median(spent)


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("met" if met else "NOT MET")


def copy_logs(paths: list[Path], to: Path) -> None:
    to.mkdir(parents=True, exist_ok=True)
    for path in paths:
        with suppress(OSError):
            shutil.copy(path, to / path.name)
