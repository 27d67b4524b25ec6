"""gunicorn.conf.py: the production server's settings, and a real server started with them."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
ENVIRONMENT = (
    "PORT",
    "BIND_HOST",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "TRUSTED_PROXY_HOPS",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_ACCESS_LOG",
)


def _settings(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    loaded = runpy.run_path(str(CONF))
    return {
        name: value
        for name, value in loaded.items()
        if not name.startswith("_") and name not in ("annotations", "os")
    }


def test_every_setting_is_one_gunicorn_knows_and_accepts(monkeypatch) -> None:
    # Gunicorn silently ignores a name it does not know: a typo would be a lost setting.
    config = Config()
    for name, value in _settings(monkeypatch).items():
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)
    assert config.worker_class_str == "gthread"
    assert config.control_socket_disable


def test_the_defaults_suit_one_two_core_machine_behind_a_local_proxy(monkeypatch) -> None:
    settings = _settings(monkeypatch)
    assert settings["wsgi_app"] == "portal:create_app()"
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["worker_class"] == "gthread"
    assert (settings["workers"], settings["threads"]) == (2, 4)
    assert settings["timeout"] == 30 and settings["graceful_timeout"] >= 30
    # A new worker costs about a second of CPU: replaced rarely, and at staggered times.
    assert settings["max_requests"] >= 50_000
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]
    assert settings["preload_app"] is False
    # As the portal: no proxy is trusted unless TRUSTED_PROXY_HOPS says there is one.
    assert settings["forwarded_allow_ips"] == ""
    assert settings["forwarder_headers"] == ""


# What the deployment guide's table says of each setting, as the IT team reads it.
GUIDE = ROOT / "docs" / "deploy.md"
_GUIDE_ROW = re.compile(r"^\| `([A-Z_]+)` \| [^|]+ \| ([^|]+) \|$", re.MULTILINE)
# Each numeric setting's variable, and the gunicorn setting it becomes.
_NUMERIC = {
    "WEB_CONCURRENCY": "workers",
    "GUNICORN_THREADS": "threads",
    "GUNICORN_TIMEOUT": "timeout",
    "GUNICORN_MAX_REQUESTS": "max_requests",
}


def test_the_deployment_guide_lists_every_setting_with_its_real_default(monkeypatch) -> None:
    guide = dict(_GUIDE_ROW.findall(GUIDE.read_text(encoding="utf-8")))
    # TRUSTED_PROXY_HOPS is the portal's own setting: the README's table has it.
    for name in ENVIRONMENT:
        if name != "TRUSTED_PROXY_HOPS":
            assert name in guide, f"docs/deploy.md's table of gunicorn settings lacks {name}"
    settings = _settings(monkeypatch)
    for name, setting in _NUMERIC.items():
        assert guide[name].strip() == str(settings[setting]), name
    assert guide["PORT"].strip() == settings["bind"][0].rsplit(":", 1)[1]


def test_workers_can_be_replaced_sooner_or_never(monkeypatch) -> None:
    sooner = _settings(monkeypatch, GUNICORN_MAX_REQUESTS="5000")
    assert (sooner["max_requests"], sooner["max_requests_jitter"]) == (5000, 500)
    never = _settings(monkeypatch, GUNICORN_MAX_REQUESTS="0")
    assert (never["max_requests"], never["max_requests_jitter"]) == (0, 0)
    with pytest.raises(ValueError, match="GUNICORN_MAX_REQUESTS"):
        _settings(monkeypatch, GUNICORN_MAX_REQUESTS="-1")


def test_the_access_log_has_no_query_strings_addresses_or_referrers(monkeypatch) -> None:
    settings = _settings(monkeypatch)
    assert settings["accesslog"] is None  # the portal's own request log is enough
    log_format = settings["access_log_format"]
    # r: the request line, query string and all; q: the query string; h: the client's
    # address; f: the referrer; a: the browser; i: any request header.
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s", "}i)s", "%(u)s"):
        assert atom not in log_format
    assert "%(U)s" in log_format and "%({x-request-id}o)s" in log_format
    assert _settings(monkeypatch, GUNICORN_ACCESS_LOG="-")["accesslog"] == "-"


def test_settings_come_from_the_environment(monkeypatch) -> None:
    settings = _settings(
        monkeypatch,
        PORT="9123",
        BIND_HOST="10.0.0.5",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="60",
    )
    assert settings["bind"] == ["10.0.0.5:9123"]
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 8, 60)


def test_proxy_headers_are_believed_only_from_the_proxy_and_only_when_there_is_one(
    monkeypatch,
) -> None:
    def allowed(**environ: str) -> str:
        return _settings(monkeypatch, **environ)["forwarded_allow_ips"]

    assert allowed(TRUSTED_PROXY_HOPS="0", FORWARDED_ALLOW_IPS="*") == ""
    assert allowed(TRUSTED_PROXY_HOPS="1") == "127.0.0.1,::1"
    assert allowed(TRUSTED_PROXY_HOPS="1", FORWARDED_ALLOW_IPS="10.0.0.2") == "10.0.0.2"


@pytest.mark.parametrize("name", ["PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"])
def test_a_nonsense_number_stops_the_server_starting(monkeypatch, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        _settings(monkeypatch, **{name: "0"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_gunicorn_serves_the_portal_in_production_with_this_file(tmp_path: Path) -> None:
    port = _free_port()
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ENVIRONMENT and key not in ("REDIS_URL", "LOG_FORMAT")
    } | {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "-",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", "db", "upgrade"],
        cwd=ROOT,
        env=environ,
        check=True,
        capture_output=True,
        timeout=60,
    )
    output = tmp_path / "gunicorn.log"
    with output.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONF)],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            health: tuple[int, bytes] | None = None
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    health = _get(f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            assert health == (200, b"ok"), output.read_text()
            link, _page = _get(f"http://127.0.0.1:{port}/i/SECRETTOKEN123?from=QUERYSECRET")
            assert link == 404
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
    logged = output.read_text()
    assert server.returncode == 0, logged
    assert "Using worker: gthread" in logged
    # The portal's request log and gunicorn's access log both saw the requests...
    assert " GET frame.health 200 " in logged and " GET families.sign_in.open_link 404 " in logged
    assert '"GET /healthz" 200 ' in logged and '"GET /i/[redacted]" 404 ' in logged
    # ...and neither wrote the personal link's token or the query string.
    assert "SECRETTOKEN123" not in logged and "QUERYSECRET" not in logged
