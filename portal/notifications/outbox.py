"""Sending one message already recorded as a Delivery: the step every queued task takes.

The row is written "queued" when the message is asked for, so the IRO sees it at once.
Here a worker takes it ("sending"), sends it, and marks it "sent" or "failed"; or, after
a failure that may pass (a server down or busy), "queued" again, saying what went wrong
and when the next try is. The row is the only record of the message however many tries
it takes, and a row that is not waiting any more is never sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from portal.data import deliveries
from portal.extensions import db
from portal.models import Delivery, DeliveryStatus, LocalAuthority

from .senders import Message, SendResult, send_safely, sender_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """One try at sending a message.

    ``final``: there will be no other try, so a failure is recorded as one.
    ``retry_in``: otherwise, how many seconds until the next try.
    ``note``: said on the row whatever happens (for example, that the queue could not
    be reached and the message was sent straight away instead).
    """

    final: bool = True
    retry_in: float = 0.0
    note: str = ""


# What a task makes of its row: the message to send, or why it cannot be sent.
Compose = Callable[[Delivery], Message | SendResult]


def in_words(seconds: float) -> str:
    """A wait as an IRO would say it: "a second", "about 30 seconds", "about 4 minutes"."""
    if seconds < 1.5:
        return "a second"
    if seconds < 90:
        return f"about {round(seconds)} seconds"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minutes"
    return f"about {round(minutes / 60)} hours"


def _said(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def send_recorded(delivery_id: int, compose: Compose, attempt: Attempt) -> bool:
    """Send the message behind a queued row and record how it went.

    Returns True when it should be tried again later (the row says "queued" again).
    Never raises for a message that could not be sent: the row says why.
    """
    delivery = deliveries.start_sending(delivery_id)
    if delivery is None:
        log.info("delivery %s is not waiting to be sent (already sent or taken)", delivery_id)
        return False
    try:
        prepared = compose(delivery)
        if isinstance(prepared, SendResult):
            result = prepared
        else:
            authority = db.session.get(LocalAuthority, delivery.local_authority_id)
            assert authority is not None  # a foreign key: the row cannot outlive it
            sender = sender_for(authority, delivery.channel, current_app.config)
            result = send_safely(sender, prepared)
    except Exception as error:
        log.exception("delivery %s could not be written", delivery_id)
        db.session.rollback()
        result = SendResult.failed(
            f"Something went wrong while writing the message: {type(error).__name__}."
        )
    found = db.session.get(Delivery, delivery_id)
    if found is None:  # deleted while it was being sent (retention): nothing to record
        db.session.rollback()
        return False
    again = not result.ok and result.may_retry and not attempt.final
    if result.ok:
        deliveries.record_outcome(
            found,
            status=result.status,
            error=attempt.note,
            provider_reference=result.provider_reference,
        )
    elif again:
        deliveries.record_outcome(
            found,
            status=deliveries.QUEUED,
            error=_said(
                attempt.note,
                f"Not sent yet: {result.error}",
                f"Trying again in {in_words(attempt.retry_in)}.",
            ),
        )
    else:
        deliveries.record_outcome(
            found, status=DeliveryStatus.FAILED, error=_said(attempt.note, result.error)
        )
    db.session.commit()
    log.info("delivery %s (%s by %s): %s", delivery_id, found.purpose, found.channel, found.status)
    return again
