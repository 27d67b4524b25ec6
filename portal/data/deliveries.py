"""Deliveries: each invitation, reminder and safety alert sent or tried, and how it went."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import (
    Delivery,
    DeliveryStatus,
    Invitation,
    Review,
    StaffRole,
    StaffUser,
    utcnow,
)

# Before a message is sent or has failed, its row says where it is. Stored in the same
# column as DeliveryStatus (a plain string, no schema change).
QUEUED = "queued"  # waiting for the worker (again, after a failure that may pass)
SENDING = "sending"  # a worker has taken it and is sending it now


def record_delivery(
    *,
    local_authority_id: int,
    purpose: str,
    channel: str,
    status: str,
    error: str = "",
    provider_reference: str = "",
    invitation: Invitation | None = None,
    staff_user: StaffUser | None = None,
) -> Delivery:
    delivery = Delivery(
        local_authority_id=local_authority_id,
        invitation=invitation,
        staff_user=staff_user,
        purpose=purpose,
        channel=channel,
        status=status,
        error=error[:500],
        provider_reference=provider_reference[:100],
    )
    db.session.add(delivery)
    _note_invitation_sent(delivery)
    return delivery


# An invitation has been sent when its email or text went, or its letter was made to
# print (someone then posts it or hands it over). Reminders and alerts do not count.
_INVITATION_LEFT = frozenset({DeliveryStatus.SENT, DeliveryStatus.PRINTED})


def _note_invitation_sent(delivery: Delivery) -> None:
    invitation = delivery.invitation
    if (
        invitation is not None
        and delivery.purpose == "invitation"
        and delivery.status in _INVITATION_LEFT
        and invitation.sent_at is None
    ):
        invitation.sent_at = utcnow()


def claim_once(
    invitation: Invitation, *, purpose: str, channel: str, once_key: str
) -> Delivery | None:
    """Insert the row that says this message is going, or None if one already exists.

    The unique once_key makes the database the referee: of two runs at the same time,
    only one insert succeeds, so only one sends. The row starts "queued": the caller
    commits it before handing it to the queue.
    """
    try:
        with db.session.begin_nested():
            delivery = Delivery(
                local_authority_id=invitation.local_authority_id,
                invitation=invitation,
                purpose=purpose,
                channel=channel,
                status=QUEUED,
                once_key=once_key,
            )
            db.session.add(delivery)
            db.session.flush()
    except IntegrityError:
        return None
    return delivery


def start_sending(delivery_id: int) -> Delivery | None:
    """Take a queued message to send it now, or None if it is not waiting any more.

    One update from "queued" to "sending", committed: of two workers given the same
    task (or a task run again after it was sent), only one gets the row, so a message
    is sent at most once and its row is the only one there is.
    """
    taken = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == QUEUED)
        .values(status=SENDING)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if getattr(taken, "rowcount", 0) != 1:
        return None
    return db.session.get(Delivery, delivery_id, populate_existing=True)


def record_outcome(
    delivery: Delivery, *, status: str, error: str = "", provider_reference: str = ""
) -> None:
    """What became of a message. The caller commits."""
    delivery.status = status
    delivery.error = error[:500]
    delivery.provider_reference = provider_reference[:100]
    _note_invitation_sent(delivery)


def already_claimed(once_key: str) -> bool:
    return db.session.scalar(select(Delivery.id).where(Delivery.once_key == once_key)) is not None


def deliveries_for(invitation: Invitation) -> list[Delivery]:
    """Every message for one invitation (and alerts about its consultation), newest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(
                Delivery.invitation_id == invitation.id,
                Delivery.local_authority_id == invitation.local_authority_id,
            )
            .order_by(Delivery.created_at.desc(), Delivery.id.desc())
        )
    )


def safety_alert_recipients(iro: StaffUser) -> list[tuple[StaffUser, bool]]:
    """Who to tell about a child's safety concern, each with whether they are covering.

    The child's IRO always; if the IRO is away (or their account is disabled), also the
    IRO covering for them and every active manager of the authority. Each person once.
    """
    recipients: list[tuple[StaffUser, bool]] = [(iro, False)] if iro.active else []
    if iro.away or not iro.active:
        covering: list[StaffUser] = []
        if iro.covered_by is not None:
            covering.append(iro.covered_by)
        covering.extend(
            db.session.scalars(
                select(StaffUser)
                .where(
                    StaffUser.local_authority_id == iro.local_authority_id,
                    StaffUser.role == StaffRole.MANAGER,
                    StaffUser.active.is_(True),
                )
                .order_by(StaffUser.id)
            )
        )
        for person in covering:
            if person.active and person.local_authority_id == iro.local_authority_id:
                recipients.append((person, True))
    seen: set[int] = set()
    unique = []
    for person, is_cover in recipients:
        if person.id not in seen:
            seen.add(person.id)
            unique.append((person, is_cover))
    return unique


def just_made_invitation(
    review: Review,
    *,
    invited_by: StaffUser,
    role: str,
    invitee_name: str,
    language: str,
    channel: str,
    contact_email: str,
    contact_phone: str,
    within: timedelta = timedelta(minutes=10),
) -> Invitation | None:
    """The same invitation made moments ago by the same person: a double press or a resend.

    Answering with it (not a second invitation) means one letter, one email, one text.
    """
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.local_authority_id == review.local_authority_id,
            Invitation.review_id == review.id,
            Invitation.invited_by_id == invited_by.id,
            Invitation.role == role,
            Invitation.invitee_name == invitee_name,
            Invitation.language == language,
            Invitation.channel == channel,
            Invitation.contact_email == contact_email,
            Invitation.contact_phone == contact_phone,
            Invitation.revoked_at.is_(None),
            Invitation.created_at > utcnow() - within,
        )
        .order_by(Invitation.id.desc())
        .limit(1)
    )
