"""Which consultation form an invited person gets, and which others they may switch to."""

from __future__ import annotations

from portal.domain.age_bands import age_band
from portal.models import Invitation, InviteeRole
from portal.questionnaires.declarations import CURRENT_FORMS, ConsultationForm, form_for


def form_for_invitation(invitation: Invitation) -> ConsultationForm:
    if invitation.role != InviteeRole.CHILD and invitation.role in CURRENT_FORMS:
        return CURRENT_FORMS[invitation.role]
    review = invitation.review
    return form_for(age_band(review.child.date_of_birth, review.planned_on))


def forms_on_offer(invitation: Invitation, current: ConsultationForm) -> list[ConsultationForm]:
    """A simpler version, and the one for their age if they moved away from it."""
    offer = []
    if current.simpler:
        offer.append(CURRENT_FORMS[current.simpler])
    usual = form_for_invitation(invitation)
    if usual.key != current.key:
        offer.append(usual)
    return offer
