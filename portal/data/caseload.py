"""What staff may see: always scoped to their local authority, and for IROs their caseload."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    Child,
    Consultation,
    Invitation,
    InviteeRole,
    Review,
    SafetyConcern,
    StaffRole,
    StaffUser,
    utcnow,
)


def _visible_invitations(staff: StaffUser) -> Select[Invitation]:
    query = (
        select(Invitation)
        .join(Invitation.review)
        .join(Review.child)
        .where(
            Invitation.local_authority_id == staff.local_authority_id,
            Review.local_authority_id == staff.local_authority_id,
            Child.local_authority_id == staff.local_authority_id,
        )
    )
    if staff.role == StaffRole.IRO:
        query = query.where(Child.iro_id == staff.id)
    return query


@dataclass(frozen=True)
class CaseloadRow:
    invitation: Invitation
    child: Child
    review: Review
    consultation: Consultation | None
    open_concerns: list[SafetyConcern]

    @property
    def status(self) -> str:
        if self.consultation is None:
            return "invited"
        return self.consultation.status


def child_consultations(staff: StaffUser) -> list[CaseloadRow]:
    """Children's consultations, those with a safety concern open first."""
    invitations = db.session.scalars(
        _visible_invitations(staff)
        .where(Invitation.role == InviteeRole.CHILD)
        .options(
            joinedload(Invitation.review).joinedload(Review.child),
            joinedload(Invitation.consultation).selectinload(Consultation.safety_concerns),
        )
        .order_by(Review.planned_on, Child.preferred_name)
    ).unique()
    rows = []
    for invitation in invitations:
        consultation = invitation.consultation
        concerns = (
            [c for c in consultation.safety_concerns if c.cleared_at is None]
            if consultation
            else []
        )
        rows.append(
            CaseloadRow(
                invitation, invitation.review.child, invitation.review, consultation, concerns
            )
        )
    rows.sort(key=lambda r: not r.open_concerns)
    return rows


def visible_consultation(staff: StaffUser, consultation_id: int) -> Consultation | None:
    return db.session.scalar(
        select(Consultation)
        .join(Consultation.invitation)
        .where(
            Consultation.id == consultation_id,
            Consultation.local_authority_id == staff.local_authority_id,
            Invitation.id.in_(_visible_invitations(staff).with_only_columns(Invitation.id)),
        )
    )


def clear_concerns(consultation: Consultation, staff: StaffUser, action_taken: str) -> int:
    cleared = 0
    for concern in consultation.safety_concerns:
        if concern.cleared_at is None:
            concern.cleared_at = utcnow()
            concern.cleared_by_id = staff.id
            concern.action_taken = action_taken
            cleared += 1
    return cleared


def staff_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
