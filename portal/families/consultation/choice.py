"""Which consultation form an invited person gets, and which others they may switch to."""

from __future__ import annotations

from portal.domain.age_bands import age_band
from portal.models import Invitation, InviteeRole
from portal.questionnaires.declarations import (
    CURRENT_FORMS,
    Questionnaire,
    form_for,
    form_for_role,
)


def form_for_invitation(invitation: Invitation) -> Questionnaire | None:
    """The child's form for their age on the review day, or the adult's for their role;
    None for a role that has no form yet (never someone else's form instead)."""
    if invitation.role != InviteeRole.CHILD:
        return form_for_role(invitation.role, invitation.professional_kind)
    review = invitation.review
    return form_for(age_band(review.child.date_of_birth, review.planned_on))


def forms_on_offer(invitation: Invitation, current: Questionnaire) -> list[Questionnaire]:
    """A simpler version, and the one for their age if they moved away from it."""
    offer = []
    if current.simpler:
        offer.append(CURRENT_FORMS[current.simpler])
    usual = form_for_invitation(invitation)
    if usual is not None and usual.key != current.key:
        offer.append(usual)
    return offer
