"""Reminders before a consultation is due, sent by a command meant for cron.

Never twice: each reminder's Delivery row is inserted, with its once_key, and committed
before the message goes. Two runs at the same moment cannot both insert it.
This runs outside any request, across every authority (no tenancy scoping applies).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.data import deliveries
from portal.domain.deadlines import reminder_due_on
from portal.extensions import db
from portal.models import (
    Consultation,
    ConsultationStatus,
    Invitation,
    InviteeRole,
    Review,
    ReviewStatus,
    utcnow,
)

from . import messages
from .delivering import REMINDER, address_for
from .senders import Channel, send_safely, sender_for

# The earliest a reminder can be due, in days before the review (carers: 5 + 3).
_LONGEST_LEAD = max(
    (date(2000, 1, 31) - reminder_due_on(role, date(2000, 1, 31))).days for role in InviteeRole
)


@dataclass(frozen=True)
class ReminderCounts:
    sent: int = 0
    failed: int = 0
    already_sent: int = 0


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
    return [
        invitation
        for invitation in candidates
        if reminder_due_on(invitation.role, invitation.review.planned_on) <= today
    ]


def send_due_reminders(today: date) -> ReminderCounts:
    sent = failed = already = 0
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
        db.session.commit()  # the claim is what stops a second send: keep it before sending
        channel = invitation.channel
        sender = sender_for(invitation.local_authority, channel, current_app.config)
        message = messages.reminder_message(invitation, channel, address_for(invitation, channel))
        result = send_safely(sender, message)
        claim.status = result.status
        claim.error = result.error
        claim.provider_reference = result.provider_reference
        db.session.commit()
        if result.ok:
            sent += 1
        else:
            failed += 1
    return ReminderCounts(sent=sent, failed=failed, already_sent=already)
