"""Which children, reviews and invitations a member of staff may open.

Everything is scoped to their authority already (portal.web.tenancy); the
filters are repeated here so these queries are right on their own too. Inside
the authority: a manager sees every child; an IRO sees their own caseload and
the caseloads of IROs they are covering for; an administrator sees no child.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import aliased

from portal.domain.access import Capability, can, sees_children
from portal.extensions import db
from portal.models import Child, Consultation, Invitation, Review, StaffUser


def visible_children(staff: StaffUser) -> Select[Child]:
    query = select(Child).where(Child.local_authority_id == staff.local_authority_id)
    if not sees_children(staff.role):
        return query.where(false())
    if can(staff.role, Capability.SEE_WHOLE_SERVICE):
        return query
    covered_iro = aliased(StaffUser)
    covered = select(covered_iro.id).where(
        covered_iro.covered_by_id == staff.id,
        covered_iro.local_authority_id == staff.local_authority_id,
    )
    return query.where(or_(Child.iro_id == staff.id, Child.iro_id.in_(covered)))


def visible_child_ids(staff: StaffUser) -> Select[int]:
    return visible_children(staff).with_only_columns(Child.id)


def visible_child(staff: StaffUser, child_id: int) -> Child | None:
    return db.session.scalar(visible_children(staff).where(Child.id == child_id))


def visible_review(staff: StaffUser, review_id: int) -> Review | None:
    return db.session.scalar(
        select(Review).where(
            Review.id == review_id,
            Review.local_authority_id == staff.local_authority_id,
            Review.child_id.in_(visible_child_ids(staff)),
        )
    )


def visible_invitation(staff: StaffUser, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        select(Invitation)
        .join(Invitation.review)
        .where(
            Invitation.id == invitation_id,
            Invitation.local_authority_id == staff.local_authority_id,
            Review.child_id.in_(visible_child_ids(staff)),
        )
    )


def visible_consultation(staff: StaffUser, consultation_id: int) -> Consultation | None:
    return db.session.scalar(
        select(Consultation)
        .join(Consultation.invitation)
        .join(Invitation.review)
        .where(
            Consultation.id == consultation_id,
            Consultation.local_authority_id == staff.local_authority_id,
            Review.child_id.in_(visible_child_ids(staff)),
        )
    )
