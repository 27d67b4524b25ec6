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
from contextlib import contextmanager
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
DEMO_SECRET = "4821"

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
        {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
         "manifest"}
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
            "--bind", f"{HOST}:{self.port}",
            "--chdir", str(ROOT),
            "--log-level", "warning",
            self.app,
        ]
        with self.log.open("wb") as log:
            # Its own process group, so stopping it also stops its workers.
            self.process = subprocess.Popen(
                command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
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

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _run_flask(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "portal", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
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
            "POST", secret_path,
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
    status: int
    content_type: str
    cache_control: str
    raw_bytes: int
    compressed_bytes: int
    served_compressed: bool

    @property
    def long_cached(self) -> bool:
        directives = {d.strip().lower() for d in self.cache_control.split(",")}
        return "immutable" in directives and f"max-age={LONG_CACHE_SECONDS}" in directives


def _download(browser: Browser, url: str, kind: str) -> Download:
    reply = browser.request("GET", url, gzip_ok=True)
    if reply.status != 200:
        raise BenchError(f"GET {url} gave {reply.status}")
    content_type = reply.header("Content-Type").split(";")[0].strip()
    served_compressed = reply.header("Content-Encoding").lower() == "gzip"
    if served_compressed:
        compressed = len(reply.wire)
    elif COMPRESSIBLE.match(content_type):
        compressed = len(gzip.compress(reply.body, compresslevel=6, mtime=0))
    else:
        compressed = len(reply.body)
    return Download(url, kind, reply.status, content_type, reply.header("Cache-Control"),
                    len(reply.body), compressed, served_compressed)


def _with_assets(browser: Browser, path: str, skip: set[str]) -> list[Download]:
    """The page and everything it pulls in that is not in ``skip`` (already cached)."""
    page = _download(browser, path, "html")
    downloads = [page]
    queue = [(kind, urljoin(path, url)) for kind, url in _parse(browser_body(browser, page)).assets]
    seen = set(skip)
    while queue:
        kind, url = queue.pop(0)
        if _path_of(url, browser.port) in seen:
            continue
        seen.add(_path_of(url, browser.port))
        item = _download(browser, url, kind)
        downloads.append(item)
        if item.content_type == "text/css":
            # Fonts and images named in the CSS are downloaded too when they are used.
            css = browser.last_body.decode("utf-8", errors="replace")
            for match in CSS_URL.finditer(css):
                found = (match.group(1) or match.group(2) or "").strip()
                if found and not found.startswith(("data:", "#")):
                    queue.append(("css-url", urljoin(url, found)))
    return downloads


def browser_body(browser: Browser, _download: Download) -> bytes:
    return browser.last_body


def page_weight(port: int, signed_in: SignedIn) -> dict[str, Any]:
    browser = RecordingBrowser(port)
    browser.cookies[COOKIE_NAME] = dict(
        part.split("=", 1) for part in signed_in.cookie.split("; ")
    )[COOKIE_NAME]
    try:
        first = _with_assets(browser, signed_in.first_path, skip=set())
        # Assets without a long cache lifetime would be fetched again on the next page.
        cached = {_path_of(d.url, port) for d in first[1:] if d.long_cached}
        following = _with_assets(browser, signed_in.next_path, skip=cached)
        favicon = browser.request("GET", "/favicon.ico", gzip_ok=True)
    finally:
        browser.close()
    static = [d for d in first[1:] + following[1:]]
    return {
        "first_visit": _weight_summary(first),
        "next_page": _weight_summary(following),
        "html_cache_control": first[0].cache_control,
        "static_cache_control_ok": bool(static) and all(d.long_cached for d in static),
        "favicon_ico": {"status": favicon.status, "wire_bytes": len(favicon.wire)},
    }


def _weight_summary(downloads: list[Download]) -> dict[str, Any]:
    return {
        "path": downloads[0].url,
        "raw_bytes": sum(d.raw_bytes for d in downloads),
        "compressed_bytes": sum(d.compressed_bytes for d in downloads),
        "resources": [asdict(d) | {"long_cached": d.long_cached} for d in downloads],
    }


class RecordingBrowser(Browser):
    """A browser that keeps the last decoded body, for parsing what it links to."""

    last_body: bytes = b""

    def request(
        self, method: str, target: str, form: dict[str, str] | None = None, *, gzip_ok: bool = False
    ) -> Reply:
        reply = super().request(method, target, form, gzip_ok=gzip_ok)
        self.last_body = reply.body
        return reply
