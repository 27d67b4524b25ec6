"""The queue emails and text messages wait in, so that no page waits for a mail server.

huey, on the portal's own stores: Redis when REDIS_URL (or a redis:// QUEUE_URL) is set,
else a SQLite file beside the database (portal.config). `flask --app portal worker`
sends what waits, and `make run` starts one beside the server. With QUEUE_IMMEDIATE (the
tests' default) each task runs at once, in the process that queued it.

Each app has its own queue, made from its settings the first time it is needed, with
the tasks of portal.notifications.tasks; the worker runs them in that app's context.
If the queue cannot be reached, a message is sent straight away instead, and its row
says so: a safety alert is never dropped because Redis is down.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, current_app

if TYPE_CHECKING:
    # Imported where a queue is made, not here: huey brings redis (and its asyncio
    # client) with it, about a fifth of a second of every worker's start, and most
    # pages queue nothing.
    from huey import Huey

log = logging.getLogger(__name__)

QUEUE_NAME = "portal"
# The tasks (portal.notifications.tasks), by the names they have in the queue.
SEND_INVITATION = "send_invitation"
SEND_REMINDER = "send_reminder"
SEND_SAFETY_ALERT = "send_safety_alert"
SEND_SIGN_IN_LINK = "send_sign_in_link"
SEND_DOCUMENT_NOTICE = "send_document_notice"
SEND_FEEDBACK_REQUEST = "send_feedback_request"  # issue 12: how was the review?
EXTENSION = "portal_queue"
# Redis that does not answer must not hold a page for long before the fallback.
REDIS_CONNECT_TIMEOUT_SECONDS = 2
REDIS_TIMEOUT_SECONDS = 5
# Waiting on a SQLite file another process is writing.
SQLITE_BUSY_SECONDS = 5
# A worker asked to stop finishes the messages it is sending (each has a 10 s timeout).
SHUTDOWN_SECONDS = 30

_making = threading.Lock()


class QueueError(RuntimeError):
    """The queue is set up in a way the worker cannot run."""


@dataclass(frozen=True)
class Call:
    """One task to queue: its name (portal.notifications.tasks) and its arguments."""

    task: str
    args: tuple[Any, ...] = ()


@dataclass
class Queue:
    huey: Huey
    url: str
    tasks: dict[str, Any] = field(default_factory=dict)  # name -> huey TaskWrapper


def hidden_password(url: str) -> str:
    """The URL to print in a log: without any password in it."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))


def make_huey(url: str, *, immediate: bool, name: str = QUEUE_NAME) -> Huey:
    """A huey on the store the URL names: Redis (with priorities) or a SQLite file."""
    from huey import PriorityRedisHuey, SqliteHuey

    if url.startswith("sqlite:///"):
        filename = Path(url.removeprefix("sqlite:///"))
        if not immediate:
            filename.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(
            name,
            filename=str(filename),
            results=False,
            immediate=immediate,
            timeout=SQLITE_BUSY_SECONDS,
        )
    from redis import ConnectionPool

    pool = ConnectionPool.from_url(
        url,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return PriorityRedisHuey(name, connection_pool=pool, results=False, immediate=immediate)


def build_queue(
    app: Flask,
    *,
    url: str | None = None,
    immediate: bool | None = None,
    retrying: dict[str, Any] | None = None,
    name: str = QUEUE_NAME,
) -> Queue:
    """A queue for this app, with its tasks: from its settings unless told otherwise."""
    from . import tasks

    queue_url = url or str(app.config["QUEUE_URL"])
    is_immediate = bool(app.config.get("QUEUE_IMMEDIATE")) if immediate is None else immediate
    huey = make_huey(queue_url, immediate=is_immediate, name=name)
    return Queue(huey, queue_url, tasks.register(huey, app, retrying or tasks.RETRYING))


def queue_for(app: Flask) -> Queue:
    """This app's queue, made the first time it is asked for (no work at start-up)."""
    made: Queue | None = app.extensions.get(EXTENSION)
    if made is None:
        with _making:
            made = app.extensions.get(EXTENSION)
            if made is None:
                made = app.extensions[EXTENSION] = build_queue(app)
    return made


def _reason(error: BaseException) -> str:
    words = " ".join(str(error).split()) or type(error).__name__
    return words[:150]


def send_later(calls: Iterable[Call]) -> None:
    """Queue each message's task and return; the worker sends them.

    If the queue cannot be reached, each message is sent now, in this request, as it
    was before there was a queue, and its row says the queue could not be reached.
    After one failure the rest go straight away too, without waiting on the queue again.
    """
    from . import tasks

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    note = ""
    for call in calls:
        if not note:
            try:
                queue_for(app).tasks[call.task](*call.args)
                continue
            except Exception as error:
                log.exception("the queue could not be reached; sending straight away")
                note = (
                    f"The queue could not be reached ({_reason(error)}), so this was sent "
                    "straight away."
                )
        try:
            tasks.run_now(app, call, note=note)
        except Exception:  # one message's trouble must not stop the others
            log.exception("%s%s could not be sent straight away", call.task, call.args[:1])


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("worker %(levelname)s %(name)s: %(message)s"))
    for name, level in (("huey", logging.WARNING), ("portal.notifications", logging.INFO)):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(level)


def run_worker(app: Flask, *, workers: int) -> None:
    """Send what waits in the queue until told to stop (SIGTERM or Ctrl+C).

    Threads, not processes: each task pushes this app's context and has its own
    database session. On SIGTERM the messages being sent are finished first.
    """
    queue = queue_for(app)
    if queue.huey.immediate:
        raise QueueError(
            "QUEUE_IMMEDIATE is on: messages are sent where they are queued, so there is "
            "nothing for a worker to do. Unset it to use the worker."
        )
    _log_to_stderr()
    log.info("sending queued messages from %s, %d at a time", hidden_password(queue.url), workers)
    consumer = queue.huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=False,
        graceful_signal="TERM",
        shutdown_timeout=SHUTDOWN_SECONDS,
    )
    consumer.run()


def queue_answers(app: Flask) -> bool:
    """For /readyz: whether the queue's store can be read now."""
    try:
        queue_for(app).huey.pending_count()
        return True
    except Exception:  # any store error means "not ready", never a 500 from /readyz
        return False
