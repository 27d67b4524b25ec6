"""Everything the portal holds about one child, gathered for a subject access request.

The child has already been found through the member of staff's reach (see
``portal.staff.reachable``). Every query here is still limited to the staff member's
own authority (on top of ``portal.web.tenancy``) and to this child's reviews,
invitations and consultations, so nothing about another child can come along.

What is left out on purpose: digests of links, codes, PINs and secret words (they are
not information about the child, and a copy would help someone guess them), the contact
details of other people invited (theirs, not the child's) and the technical wording of
delivery errors (it can hold an address).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    Answer,
    AuditEvent,
    Child,
    Consultation,
    Delivery,
    Invitation,
    ParkedAnswers,
    Review,
    ReviewStatusChange,
    SafetyConcern,
    SignInSession,
    StaffUser,
)

_Row = TypeVar("_Row")


@dataclass(frozen=True)
class ConsultationHeld:
    consultation: Consultation
    answers: list[Answer]
    safety_concerns: list[SafetyConcern]
    # Answers posted after a session had ended, kept until the person signs in again.
    parked: list[ParkedAnswers]


@dataclass(frozen=True)
class InvitationHeld:
    invitation: Invitation
    consultation: ConsultationHeld | None
    deliveries: list[Delivery]
    sign_ins: list[SignInSession]


@dataclass(frozen=True)
class ReviewHeld:
    review: Review
    status_changes: list[ReviewStatusChange]
    invitations: list[InvitationHeld]


@dataclass(frozen=True)
class EverythingHeld:
    child: Child
    reviews: list[ReviewHeld]
    audit_events: list[AuditEvent] = field(default_factory=list)


def _grouped(rows: Sequence[_Row], key: Callable[[_Row], int | None]) -> dict[int, list[_Row]]:
    grouped: dict[int, list[_Row]] = {}
    for row in rows:
        owner = key(row)
        if owner is not None:
            grouped.setdefault(owner, []).append(row)
    return grouped


def everything_held(staff: StaffUser, child: Child) -> EverythingHeld:
    """The child's record, reviews, invitations, consultations and audit trail."""
    authority = staff.local_authority_id
    if child.local_authority_id != authority:
        raise ValueError("a child of another authority")  # reachable.child never gives one
    reviews = list(
        db.session.scalars(
            select(Review)
            .where(Review.local_authority_id == authority, Review.child_id == child.id)
            .order_by(Review.planned_on, Review.id)
        )
    )
    review_ids = [r.id for r in reviews]
    status_changes = db.session.scalars(
        select(ReviewStatusChange)
        .where(
            ReviewStatusChange.local_authority_id == authority,
            ReviewStatusChange.review_id.in_(review_ids),
        )
        .options(joinedload(ReviewStatusChange.changed_by))
        .order_by(ReviewStatusChange.changed_at, ReviewStatusChange.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.local_authority_id == authority, Invitation.review_id.in_(review_ids))
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    invitation_ids = [i.id for i in invitations]
    consultations = db.session.scalars(
        select(Consultation).where(
            Consultation.local_authority_id == authority,
            Consultation.invitation_id.in_(invitation_ids),
        )
    ).all()
    consultation_ids = [c.id for c in consultations]
    answers = db.session.scalars(
        select(Answer).where(Answer.consultation_id.in_(consultation_ids)).order_by(Answer.id)
    ).all()
    concerns = db.session.scalars(
        select(SafetyConcern)
        .where(SafetyConcern.consultation_id.in_(consultation_ids))
        .options(joinedload(SafetyConcern.cleared_by))
        .order_by(SafetyConcern.raised_at, SafetyConcern.id)
    ).all()
    parked = db.session.scalars(
        select(ParkedAnswers)
        .where(ParkedAnswers.consultation_id.in_(consultation_ids))
        .order_by(ParkedAnswers.created_at, ParkedAnswers.id)
    ).all()
    deliveries = db.session.scalars(
        select(Delivery)
        .where(Delivery.local_authority_id == authority, Delivery.invitation_id.in_(invitation_ids))
        .options(joinedload(Delivery.staff_user))
        .order_by(Delivery.created_at, Delivery.id)
    ).all()
    sign_ins = db.session.scalars(
        select(SignInSession)
        .where(SignInSession.invitation_id.in_(invitation_ids))
        .order_by(SignInSession.created_at, SignInSession.id)
    ).all()

    answers_of = _grouped(answers, lambda row: row.consultation_id)
    concerns_of = _grouped(concerns, lambda row: row.consultation_id)
    parked_of = _grouped(parked, lambda row: row.consultation_id)
    consultation_of = {
        c.invitation_id: ConsultationHeld(
            c, answers_of.get(c.id, []), concerns_of.get(c.id, []), parked_of.get(c.id, [])
        )
        for c in consultations
    }
    deliveries_of = _grouped(deliveries, lambda row: row.invitation_id)
    sign_ins_of = _grouped(sign_ins, lambda row: row.invitation_id)
    invitations_of = _grouped(
        [
            InvitationHeld(
                i,
                consultation_of.get(i.id),
                deliveries_of.get(i.id, []),
                sign_ins_of.get(i.id, []),
            )
            for i in invitations
        ],
        lambda held: held.invitation.review_id,
    )
    changes_of = _grouped(status_changes, lambda row: row.review_id)
    return EverythingHeld(
        child=child,
        reviews=[
            ReviewHeld(r, changes_of.get(r.id, []), invitations_of.get(r.id, [])) for r in reviews
        ],
        audit_events=_audit_events(
            authority,
            {
                "child": [child.id],
                "review": review_ids,
                "invitation": invitation_ids,
                "consultation": consultation_ids,
                "delivery": [d.id for d in deliveries],
            },
        ),
    )


def _audit_events(authority: int, subjects: dict[str, list[int]]) -> list[AuditEvent]:
    """Every event in the authority's trail about one of these records, oldest first."""
    about = or_(
        false(),
        *(
            and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(ids))
            for kind, ids in subjects.items()
            if ids
        ),
    )
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.local_authority_id == authority, about)
            .options(joinedload(AuditEvent.staff_user))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
