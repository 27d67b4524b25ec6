"""Telling staff at once when a child's answers raise a safety concern.

Called from the child's request, after their answer is saved and committed. Each
message is recorded and queued, first in the queue; the worker sends it. If the queue
cannot be reached, it is sent from the child's request as before, and its row says the
queue was down: an alert is never dropped. Nothing here may break the child's page:
failures are recorded as Deliveries, never raised.
The message carries no name, no words and no answers: only a link to sign in.
"""

from __future__ import annotations

import logging

from flask import current_app

from portal.data import deliveries
from portal.extensions import db
from portal.models import Consultation, Delivery, StaffUser

from . import messages, outbox, queue
from .addresses import normalise_uk_mobile
from .delivering import SAFETY_ALERT
from .senders import Channel, Message, SendResult, UnavailableSender, channels_for, sender_for

log = logging.getLogger(__name__)


def _address(person: StaffUser, channel: str) -> str | None:
    if channel == Channel.SMS:
        return normalise_uk_mobile(person.phone or "")
    return person.email or None


def _no_address(person: StaffUser, channel: str) -> SendResult:
    return SendResult.failed(
        f"{person.display_name} has no UK mobile number in the portal to text."
        if channel == Channel.SMS
        else f"{person.display_name} has no email address in the portal."
    )


def alert_staff_to_concern(consultation: Consultation) -> list[Delivery]:
    """Email and/or text the IRO (and, if they are away, their cover and the managers).

    With letter-only settings nothing is sent and nothing recorded: the alert on the
    IRO's caseload page is still there. Commits the deliveries it records and queues
    them; returns at once. Never raises.
    """
    try:
        return _alert(consultation)
    except Exception:
        log.exception("safety alert for consultation %s could not be sent", consultation.id)
        db.session.rollback()
        return []


def _alert(consultation: Consultation) -> list[Delivery]:
    invitation = consultation.invitation
    authority = invitation.local_authority
    channels = [c for c in channels_for(authority) if c != Channel.LETTER]
    if not channels:
        return []
    recorded: list[Delivery] = []
    waiting: list[tuple[Delivery, bool]] = []
    for person, covering in deliveries.safety_alert_recipients(invitation.review.child.iro):
        for channel in channels:
            sender = sender_for(authority, channel, current_app.config)
            to = _address(person, channel)
            # Nothing to wait for when it cannot go: no address, or a sender not set up.
            failed: SendResult | None = None
            if to is None:
                failed = _no_address(person, channel)
            elif isinstance(sender, UnavailableSender):
                failed = sender.send(Message(to, "", ""))
            delivery = deliveries.record_delivery(
                local_authority_id=authority.id,
                purpose=SAFETY_ALERT,
                channel=channel,
                status=failed.status if failed else deliveries.QUEUED,
                error=failed.error if failed else "",
                invitation=invitation,
                staff_user=person,
            )
            recorded.append(delivery)
            if failed is None:
                waiting.append((delivery, covering))
    db.session.flush()
    calls = [
        queue.Call(
            queue.SEND_SAFETY_ALERT,
            (delivery.id, consultation.id, covering, messages.site_address()),
        )
        for delivery, covering in waiting
    ]
    db.session.commit()  # the worker must find the rows
    queue.send_later(calls)
    return recorded


def send_queued_alert(
    delivery_id: int, consultation_id: int, covering: bool, site: str, *, attempt: outbox.Attempt
) -> bool:
    """The worker's part: write the alert (a link, nothing more) and send it."""

    def compose(delivery: Delivery) -> Message | SendResult:
        person = delivery.staff_user
        consultation = db.session.get(Consultation, consultation_id)
        assert person is not None and consultation is not None
        to = _address(person, delivery.channel)
        if to is None:
            return _no_address(person, delivery.channel)
        return messages.safety_alert_message(
            consultation, delivery.channel, to, covering=covering, site=site
        )

    return outbox.send_recorded(delivery_id, compose, attempt)
