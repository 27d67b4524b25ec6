"""Gunicorn's settings for production: `gunicorn -c gunicorn.conf.py` (see docs/deploy.md).

Each can be changed from the environment, without editing this file:

    PORT                 port to listen on (8000)
    BIND_HOST            address to listen on (127.0.0.1: only the TLS proxy on this
                         machine can reach the portal; see docs/deploy.md)
    WEB_CONCURRENCY      worker processes (2)
    GUNICORN_THREADS     threads in each worker (4)
    GUNICORN_TIMEOUT     seconds before a stuck worker is restarted (30)
    GUNICORN_MAX_REQUESTS  requests a worker serves before it is replaced (100000; 0 never)
    TRUSTED_PROXY_HOPS   as for the portal itself: 0 trusts no proxy headers
    FORWARDED_ALLOW_IPS  the proxy's addresses, when TRUSTED_PROXY_HOPS is 1 or more
                         (127.0.0.1,::1)
    GUNICORN_ACCESS_LOG  "-" (standard output) or a file, for gunicorn's own access log
                         (off: the portal writes one line a request itself)
"""

from __future__ import annotations

import os


def _whole_number(name: str, default: int, *, least: int = 1) -> int:
    value = int(os.environ.get(name) or default)
    if value < least:
        raise ValueError(f"{name} must be {least} or more, not {value}")
    return value


# The portal's app factory; it reads its own settings (SECRET_KEY, DATABASE_URL, ...).
wsgi_app = "portal:create_app()"

# Behind the TLS proxy on the same machine: nothing else can reach this port.
bind = [f"{os.environ.get('BIND_HOST') or '127.0.0.1'}:{_whole_number('PORT', 8000)}"]

# Sized for 2 cores. A worker process a core does the CPU-bound work (Argon2 hashing of
# PINs and passwords costs ~150 ms of CPU, and Python runs one thread at a time in a
# process); threads let each worker wait on PostgreSQL, Redis or a slow phone's upload
# while serving others. Each thread may hold one database connection: workers x threads
# connections per instance (see docs/deploy.md on PostgreSQL's connection limit).
worker_class = "gthread"
workers = _whole_number("WEB_CONCURRENCY", 2)
threads = _whole_number("GUNICORN_THREADS", 4)

# A worker that stops answering gunicorn's heartbeat for this long is restarted (with
# gthread, a slow request alone does not count). Workers get as long again to finish
# their requests when stopping or restarting, so nobody's answers are cut off.
timeout = _whole_number("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# The proxy may reuse a connection for a few seconds.
keepalive = 5

# Each worker is replaced after about a hundred thousand requests, at staggered times
# (the jitter), so that a slow leak cannot grow for ever and the workers never all
# restart at once. Not sooner: a new worker costs 1 to 1.5 s of CPU (imports, the app,
# each template's first use), which after every thousand requests was more than a
# millisecond on every request, a third of a page's whole cost; after a hundred
# thousand it is about a hundredth of one. The portal keeps nothing that grows with the
# requests it serves (its caches are bounded by forms, locales and authorities), and at
# this machine's busiest a worker is still replaced every few hours.
max_requests = _whole_number("GUNICORN_MAX_REQUESTS", 100_000, least=0)
max_requests_jitter = max_requests // 10

# No preloading: each worker makes its own app after the fork, so no database or Redis
# connection is ever shared between processes, and `kill -HUP` (systemctl reload) starts
# workers on newly installed code. It costs a second or so and some memory a worker.
preload_app = False

# Proxy headers. The portal trusts X-Forwarded-For and -Proto only when
# TRUSTED_PROXY_HOPS is 1 or more; gunicorn follows the same rule, and then believes
# X-Forwarded-Proto only from the proxy's own addresses. No path or script-name headers
# are taken from anyone.
if _whole_number("TRUSTED_PROXY_HOPS", 0, least=0) > 0:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
else:
    forwarded_allow_ips = ""
forwarder_headers = ""

# Logs. The portal writes one line a request (portal.web.request_log: request id, route
# name, status and time; LOG_FORMAT=json for JSON); gunicorn's error log goes to standard
# error. Gunicorn's own access log is off unless asked for. Its format has no query
# string (%(r)s and %(q)s would carry it), no client address and no referrer or browser:
# only the path, whose personal-link tokens the portal redacts (portal/__init__.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'
errorlog = "-"
loglevel = "info"

# Heartbeat files in memory, not on a disk that may stall (as gunicorn's docs advise).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Gunicorn's control socket sits at one path a user, so two instances on one machine
# would fight over it; signals (systemctl reload/stop) do all that is needed.
control_socket_disable = True
