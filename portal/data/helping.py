"""A carer helping a young child with their form: which children's forms they may
open (the rule itself is portal.domain.helping), and who helped."""

from __future__ import annotations

from sqlalchemy import select

from portal.data.invitations import is_usable
from portal.domain import helping
from portal.extensions import db
from portal.models import Consultation, Invitation, InviteeRole, Review


def _may_help(helper: Invitation, child_invitation: Invitation, review: Review) -> bool:
    return (
        child_invitation.local_authority_id == helper.local_authority_id
        and is_usable(child_invitation)
        and helping.may_help(
            helper_role=helper.role,
            helper_review_id=helper.review_id,
            child_role=child_invitation.role,
            child_review_id=child_invitation.review_id,
            child_born_on=review.child.date_of_birth,
            review_day=review.planned_on,
        )
    )


def children_to_help(helper: Invitation) -> list[Invitation]:
    """The invitations of children this person may help with their form, oldest first."""
    if helper.role != InviteeRole.CARER:
        return []
    review = helper.review
    return [
        invitation
        for invitation in db.session.scalars(
            select(Invitation)
            .where(
                Invitation.review_id == helper.review_id,
                Invitation.local_authority_id == helper.local_authority_id,
                Invitation.id != helper.id,
            )
            .order_by(Invitation.id)
        )
        if _may_help(helper, invitation, review)
    ]


def invitation_to_help(helper: Invitation, invitation_id: int) -> Invitation | None:
    """The child's invitation with this id, if this person may help them with their form."""
    return next((i for i in children_to_help(helper) if i.id == invitation_id), None)


def consultation_to_help(helper: Invitation, consultation_id: int) -> Consultation | None:
    """The consultation with this id, if it is a child's this person may help with."""
    consultation = db.session.scalar(
        select(Consultation).where(
            Consultation.id == consultation_id,
            Consultation.local_authority_id == helper.local_authority_id,
        )
    )
    if consultation is None or invitation_to_help(helper, consultation.invitation_id) is None:
        return None
    return consultation


def record_helper(consultation: Consultation, helper: Invitation) -> None:
    """Note who helped the child with their form (the latest, if several did)."""
    if consultation.invitation_id != helper.id:
        consultation.helped_by_invitation_id = helper.id
