"""Recording what happened at a review: the facts, the suggested PN code, the confirmed one.

Views orchestrate; these functions change the review and say what changed. The caller
records the audit event and commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from portal.data import caseload
from portal.domain import review_records as rules
from portal.domain import reviews as review_rules
from portal.domain.participation import ParticipationCode
from portal.extensions import db
from portal.models import (
    Consultation,
    Invitation,
    InviteeRole,
    Review,
    ReviewStatus,
    ReviewStatusChange,
    StaffUser,
    utcnow,
)


@dataclass(frozen=True)
class Recorded:
    """What recording the facts did: whether it marked the review held just now."""

    marked_held: bool
    code_set: ParticipationCode | None


def can_be_recorded(review: Review) -> bool:
    """Held already, or still able to be (not stood down or cancelled)."""
    return review.status == ReviewStatus.HELD or ReviewStatus.HELD in review_rules.allowed_moves(
        review.status
    )


def views_sent_through_portal(review: Review) -> bool:
    """Whether the child sent their views for this review through the portal."""
    query = select(
        exists().where(
            Consultation.invitation_id == Invitation.id,
            Consultation.submitted_at.is_not(None),
            Invitation.review_id == review.id,
            Invitation.role == InviteeRole.CHILD,
            Invitation.local_authority_id == review.local_authority_id,
        )
    )
    return bool(db.session.scalar(query))


def in_timescale(review: Review, held_on_day: object) -> bool:
    """Whether the review was held by its statutory date (as the review page shows it)."""
    child = review.child
    deadlines = review_rules.statutory_deadlines(
        child.came_into_care_on, caseload.review_dates(child), caseload.working_calendar()
    )
    return bool(held_on_day <= deadlines[review.id].due_by)  # type: ignore[operator]


def record_facts(
    review: Review,
    facts: rules.ReviewFacts,
    *,
    attendees: list[str],
    child_chaired: rules.Extent,
    interpreter: bool,
    by: StaffUser,
) -> Recorded:
    """Store what happened, mark the review held if it was not yet, set PN0 for a child
    under 4, and keep the code the portal suggests for the IRO to confirm.

    Recording the facts again clears a confirmed code (unless PN0): the code describes
    the facts, so the IRO confirms it again against what they now say.
    """
    born = review.child.date_of_birth
    review.held_in_timescale = in_timescale(review, facts.held_on)
    review.held_on = facts.held_on
    # The schedule counts the next review from the day this one was really held.
    review.planned_on = facts.held_on
    review.attendees = " ".join(a for a in rules.Attendee if a in attendees)
    review.child_attended = facts.child_attended
    review.child_chaired = (
        child_chaired if facts.child_attended is not rules.Extent.NONE else (rules.Extent.NONE)
    )
    review.child_spoke = facts.child_spoke
    review.views_without_words = facts.views_without_words
    review.advocate = facts.advocate
    review.interpreter = interpreter
    review.views_another_way = facts.views_another_way
    suggested = rules.suggestion(
        facts, date_of_birth=born, views_sent_through_portal=views_sent_through_portal(review)
    )
    review.suggested_code = suggested.value if suggested else None
    code = rules.code_on_recording(facts, date_of_birth=born)
    review.participation_code = code.value if code else None
    review.recorded_by_id = by.id
    review.recorded_at = utcnow()
    marked_held = review.status != ReviewStatus.HELD
    if marked_held:
        db.session.add(
            ReviewStatusChange(
                local_authority_id=review.local_authority_id,
                review=review,
                from_status=review.status,
                to_status=ReviewStatus.HELD,
                changed_by_id=by.id,
            )
        )
        review.status = ReviewStatus.HELD
        review.status_reason = ""
    return Recorded(marked_held=marked_held, code_set=code)


def confirm_code(review: Review, code: ParticipationCode, by: StaffUser) -> None:
    """The IRO's code; the caller has checked it against rules 440 and 441."""
    review.participation_code = code.value
    review.recorded_by_id = by.id
    review.recorded_at = utcnow()
