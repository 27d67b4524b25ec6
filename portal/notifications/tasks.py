"""The queue's tasks: each sends one message already recorded as a Delivery.

A task carries ids, never a message: the worker writes the message from the database
when it sends it. The one secret an invitation carries (its link and code, stored
elsewhere only as digests) is sealed with the app's SecretBox before it is queued.

Retries, with the wait doubling each time, are only for failures that may pass (a
server down, busy or too slow); a refused address or missing settings fail at once.
Safety alerts go first, keep trying the longest, and start trying again soonest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from huey import Huey

from . import alerts, delivering, documents, feedback, reminders
from .outbox import Attempt
from .queue import (
    SEND_DOCUMENT_NOTICE,
    SEND_FEEDBACK_REQUEST,
    SEND_INVITATION,
    SEND_REMINDER,
    SEND_SAFETY_ALERT,
    SEND_SIGN_IN_LINK,
    Call,
)


@dataclass(frozen=True)
class Retrying:
    """How often, and how long apart, to try a message again after a failure that may pass."""

    retries: int  # tries after the first
    first_wait: float  # seconds before the first retry; each later wait is `backoff` times longer
    backoff: float
    priority: int  # higher goes first

    @property
    def gives_up_after(self) -> float:
        """Seconds from the first try to the last."""
        return sum(self.first_wait * self.backoff**n for n in range(self.retries))


RETRYING: dict[str, Retrying] = {
    # 10 s, 20 s, 40 s … 21 min: 8 retries over about 42 minutes, before anything else.
    SEND_SAFETY_ALERT: Retrying(retries=8, first_wait=10, backoff=2, priority=100),
    # 30 s, 1, 2, 4, 8, 16 min: 6 retries over about 31 minutes.
    SEND_INVITATION: Retrying(retries=6, first_wait=30, backoff=2, priority=50),
    # 1, 2, 4, 8, 16, 32 min: 6 retries over about an hour; a reminder is never urgent.
    SEND_REMINDER: Retrying(retries=6, first_wait=60, backoff=2, priority=10),
    # 10, 20, 40 s: someone is waiting at the sign-in page; after 30 minutes it is useless.
    SEND_SIGN_IN_LINK: Retrying(retries=3, first_wait=10, backoff=2, priority=90),
    # Like an invitation: it matters, but nobody is waiting at a page for it.
    SEND_DOCUMENT_NOTICE: Retrying(retries=6, first_wait=30, backoff=2, priority=40),
    # Never urgent: like a reminder.
    SEND_FEEDBACK_REQUEST: Retrying(retries=6, first_wait=60, backoff=2, priority=10),
}

BODIES: dict[str, Callable[..., bool]] = {
    SEND_INVITATION: delivering.send_queued_invitation,
    SEND_REMINDER: reminders.send_queued_reminder,
    SEND_SAFETY_ALERT: alerts.send_queued_alert,
    SEND_SIGN_IN_LINK: delivering.send_queued_sign_in_link,
    SEND_DOCUMENT_NOTICE: documents.send_queued_notice,
    SEND_FEEDBACK_REQUEST: feedback.send_queued_request,
}


class NotSentYet(Exception):
    """Raised by a task so that huey runs it again after the wait (its row says so)."""


def register(huey: Huey, app: Flask, retrying: dict[str, Retrying]) -> dict[str, Any]:
    """The tasks on this huey, each run in this app's context. Returns them by name."""
    registered: dict[str, Any] = {}
    for name, body in BODIES.items():
        policy = retrying[name]

        def run(*args: Any, task: Any = None, _body: Callable[..., bool] = body) -> None:
            # huey counts retries down, and multiplies the wait after each one it plans.
            final = huey.immediate or task is None or task.retries <= 0
            wait = float(task.retry_delay or 0) if task is not None else 0.0
            with app.app_context():
                again = _body(*args, attempt=Attempt(final=final, retry_in=wait))
            if again:
                raise NotSentYet(f"{task.name if task else 'task'}: not sent yet, will retry")

        # The name in the queue: the same in every process.
        run.__name__ = run.__qualname__ = name
        run.__doc__ = body.__doc__
        run.__module__ = __name__
        registered[name] = huey.task(
            retries=policy.retries,
            retry_delay=policy.first_wait,
            retry_backoff=policy.backoff,
            priority=policy.priority,
            context=True,
            name=name,
        )(run)
    return registered


def run_now(app: Flask, call: Call, *, note: str) -> None:
    """Do a task here and now, once, as the worker would (the queue could not be reached)."""
    with app.app_context():
        BODIES[call.task](*call.args, attempt=Attempt(final=True, note=note))
