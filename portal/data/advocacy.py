"""Children asking for an advocate: who asked, and the one message to the advocacy service."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain import advocacy
from portal.extensions import db
from portal.models import Answer, Consultation, Delivery, Invitation, InviteeRole

# The row's status while the message is going (portal.models.DeliveryStatus once sent).
SENDING = "sending"


def asks_for_an_advocate(consultation: Consultation) -> bool:
    """Whether this consultation is a child's whose saved answer asks for an advocate."""
    value = db.session.scalar(
        select(Answer.value).where(
            Answer.consultation_id == consultation.id,
            Answer.question_key == advocacy.QUESTION_KEY,
        )
    )
    answers = {advocacy.QUESTION_KEY: value} if value is not None else {}
    return advocacy.asks_for_an_advocate(consultation.invitation.role, answers)


def reviews_with_a_child_asking_for_an_advocate(
    local_authority_id: int, review_ids: Iterable[int]
) -> set[int]:
    """Of these reviews, those where a child's answers ask for an advocate (sent or not)."""
    wanted = list(review_ids)
    if not wanted:
        return set()
    rows = db.session.scalars(
        select(Invitation.review_id)
        .join(Consultation, Consultation.invitation_id == Invitation.id)
        .join(Answer, Answer.consultation_id == Consultation.id)
        .where(
            Invitation.local_authority_id == local_authority_id,
            Invitation.review_id.in_(wanted),
            Invitation.role == InviteeRole.CHILD,
            Invitation.revoked_at.is_(None),
            Answer.question_key == advocacy.QUESTION_KEY,
            Answer.value == advocacy.YES,
        )
    )
    return set(rows)


def claim_request(
    invitation: Invitation, consultation: Consultation, channel: str
) -> Delivery | None:
    """The row that says the advocacy service is being told of this request, or None if
    it has been already. Its unique once-key makes the database the referee: of two
    sends at once (a double press, two tabs), only one insert succeeds."""
    try:
        with db.session.begin_nested():
            delivery = Delivery(
                local_authority_id=invitation.local_authority_id,
                invitation=invitation,
                purpose=advocacy.PURPOSE,
                channel=channel,
                status=SENDING,
                once_key=advocacy.once_key(consultation.id),
            )
            db.session.add(delivery)
            db.session.flush()
    except IntegrityError:
        return None
    return delivery


def advocacy_requests_for(invitation: Invitation) -> list[Delivery]:
    """The messages to the advocacy service about this invitation's consultation."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(
                Delivery.invitation_id == invitation.id,
                Delivery.local_authority_id == invitation.local_authority_id,
                Delivery.purpose == advocacy.PURPOSE,
            )
            .order_by(Delivery.created_at, Delivery.id)
        )
    )
