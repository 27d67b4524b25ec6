"""Records the signed-in member of staff may open, or a 404 that is recorded.

Every staff view that takes a record id goes through one of these, so a guessed
id (another IRO's child, another authority's review) is refused the same way and
shows up in the audit trail.
"""

from __future__ import annotations

from portal.data import reach
from portal.models import Child, Consultation, Invitation, Review
from portal.staff import auditing
from portal.web.people import current_staff


def child(child_id: int) -> Child:
    found = reach.visible_child(current_staff(), child_id)
    if found is None:
        auditing.refuse("child", child_id)
    return found


def review(review_id: int) -> Review:
    found = reach.visible_review(current_staff(), review_id)
    if found is None:
        auditing.refuse("review", review_id)
    return found


def invitation(invitation_id: int) -> Invitation:
    found = reach.visible_invitation(current_staff(), invitation_id)
    if found is None:
        auditing.refuse("invitation", invitation_id)
    return found


def consultation(consultation_id: int) -> Consultation:
    found = reach.visible_consultation(current_staff(), consultation_id)
    if found is None:
        auditing.refuse("consultation", consultation_id)
    return found
