"""Reminders before a consultation is due, found by a command meant for cron.

Never twice: each reminder's Delivery row is inserted "queued", with its once_key, and
committed before its task is queued. Two runs at the same moment cannot both insert it,
and the worker sends a row only while it is still queued (portal.notifications.outbox).
This runs outside any request, across every authority (no tenancy scoping applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.data import deliveries
from portal.domain.deadlines import LONGEST_LEAD_DAYS, reminder_due_on
from portal.extensions import db
from portal.models import (
    Consultation,
    ConsultationStatus,
    Delivery,
    DeliveryStatus,
    Invitation,
    Review,
    ReviewStatus,
    utcnow,
)

from . import messages, outbox, queue
from .delivering import REMINDER, address_for
from .senders import Channel, Message

# The earliest a reminder can be due, in days before the review.
_LONGEST_LEAD = LONGEST_LEAD_DAYS


@dataclass(frozen=True)
class ReminderCounts:
    sent: int = 0
    failed: int = 0
    already_sent: int = 0
    queued: int = 0  # left for the worker to send


def once_key(invitation: Invitation) -> str:
    return f"reminder:{invitation.id}"


def invitations_due_a_reminder(today: date) -> list[Invitation]:
    """Email and text invitations still open whose reminder day has come."""
    now = utcnow()
    candidates = db.session.scalars(
        select(Invitation)
        .join(Invitation.review)
        .outerjoin(Invitation.consultation)
        .where(
            Invitation.revoked_at.is_(None),
            Invitation.locked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.channel.in_([Channel.EMAIL, Channel.SMS]),
            Review.status.in_([ReviewStatus.PLANNED, ReviewStatus.REARRANGED]),
            Review.planned_on > today,
            Review.planned_on <= today + timedelta(days=_LONGEST_LEAD),
            or_(Consultation.id.is_(None), Consultation.status != ConsultationStatus.SUBMITTED),
        )
        .options(selectinload(Invitation.review), selectinload(Invitation.local_authority))
        .order_by(Invitation.id)
    )
    return [invitation for invitation in candidates if reminder_due_on(invitation.due_on) <= today]


def send_due_reminders(today: date) -> ReminderCounts:
    """Queue each reminder due today, once. Counts what has happened by the time it returns:
    with a worker, most are still queued; in immediate mode (or with the queue down)
    they have been sent or have failed."""
    claimed: list[Delivery] = []
    already = 0
    for invitation in invitations_due_a_reminder(today):
        key = once_key(invitation)
        if deliveries.already_claimed(key):
            already += 1
            continue
        claim = deliveries.claim_once(
            invitation, purpose=REMINDER, channel=invitation.channel, once_key=key
        )
        if claim is None:  # another run got there first
            already += 1
            continue
        db.session.commit()  # the claim is what stops a second send: keep it before queuing
        claimed.append(claim)
    queue.send_later(queue.Call(queue.SEND_REMINDER, (claim.id,)) for claim in claimed)
    statuses = []
    for claim in claimed:
        db.session.refresh(claim)
        statuses.append(claim.status)
    return ReminderCounts(
        sent=statuses.count(DeliveryStatus.SENT),
        failed=statuses.count(DeliveryStatus.FAILED),
        already_sent=already,
        queued=len(statuses)
        - statuses.count(DeliveryStatus.SENT)
        - statuses.count(DeliveryStatus.FAILED),
    )


def send_queued_reminder(delivery_id: int, *, attempt: outbox.Attempt) -> bool:
    """The worker's part: write the reminder in the invitee's language and send it."""

    def compose(delivery: Delivery) -> Message:
        invitation = delivery.invitation
        assert invitation is not None
        channel = delivery.channel
        return messages.reminder_message(invitation, channel, address_for(invitation, channel))

    return outbox.send_recorded(delivery_id, compose, attempt)
