"""The caseload page: each child a member of staff works with, their deadlines and views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.data import reach
from portal.domain import reviews as review_rules
from portal.domain.invitation_states import InvitationState, invitation_state
from portal.domain.timescales import DueReview, Timeliness, WorkingCalendar, timeliness
from portal.extensions import db
from portal.models import (
    Child,
    Consultation,
    DeliveryStatus,
    Invitation,
    InviteeRole,
    Review,
    SafetyConcern,
    StaffRole,
    StaffUser,
    utcnow,
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


@cache
def working_calendar() -> WorkingCalendar:
    return WorkingCalendar()


def review_dates(child: Child) -> list[review_rules.ReviewDates]:
    return [review_rules.ReviewDates(r.id, r.planned_on, r.status) for r in child.reviews]


def state_of(invitation: Invitation) -> InvitationState:
    consultation = invitation.consultation
    return invitation_state(
        due_on=invitation.due_on,
        now=utcnow(),
        opened_at=invitation.first_opened_at,
        started=consultation is not None,
        submitted_at=consultation.submitted_at if consultation else None,
        locked_at=invitation.locked_at,
        revoked_at=invitation.revoked_at,
        expires_at=invitation.expires_at,
        submitted_on_time=consultation.submitted_on_time if consultation else None,
    )


@dataclass(frozen=True)
class ChildOnCaseload:
    """One line of the caseload page."""

    child: Child
    next_review: Review | None
    deadline: DueReview
    timeliness: Timeliness
    invitation_states: list[tuple[Invitation, InvitationState]] = field(default_factory=list)
    open_concerns: int = 0
    failed_deliveries: int = 0

    @property
    def child_invited(self) -> bool:
        return any(
            i.role == InviteeRole.CHILD and s not in _DEAD for i, s in self.invitation_states
        )

    @property
    def child_state(self) -> InvitationState | None:
        """Where the child's own invitation has got to, if they were invited."""
        states = [s for i, s in self.invitation_states if i.role == InviteeRole.CHILD]
        live = [s for s in states if s not in _DEAD]
        latest = live or states
        return latest[-1] if latest else None

    @property
    def views_in(self) -> list[Invitation]:
        return [i for i, s in self.invitation_states if s in _SENT]

    @property
    def views_missing(self) -> list[Invitation]:
        return [i for i, s in self.invitation_states if s not in _SENT and s not in _DEAD]

    @property
    def planned_after_deadline(self) -> bool:
        return self.next_review is not None and self.next_review.planned_on > self.deadline.due_by


_SENT = frozenset({InvitationState.SUBMITTED, InvitationState.SUBMITTED_LATE})
_DEAD = frozenset({InvitationState.REVOKED, InvitationState.EXPIRED})


def caseload(staff: StaffUser, today: date, iro_id: int | None = None) -> list[ChildOnCaseload]:
    """The children this person works with: safety first, then the most pressing deadlines.

    Each child's reviews are read for their dates, but invitations (with their
    consultations and deliveries) only for the next review of each, and open safety
    concerns are counted in the database: a child in care for years has dozens of past
    reviews, whose invitations the page never shows.
    """
    query = reach.visible_children(staff).options(
        joinedload(Child.iro), selectinload(Child.reviews)
    )
    if iro_id is not None:
        query = query.where(Child.iro_id == iro_id)
    children = list(db.session.scalars(query).unique())
    next_reviews = {child.id: _next_review(child) for child in children}
    invitations = _invitations_of([r for r in next_reviews.values() if r is not None])
    concerns = _open_concerns([child.id for child in children])
    calendar = working_calendar()
    lines = []
    for child in children:
        deadline = review_rules.next_deadline(
            child.came_into_care_on, review_dates(child), calendar
        )
        next_review = next_reviews[child.id]
        invited = invitations.get(next_review.id, []) if next_review is not None else []
        lines.append(
            ChildOnCaseload(
                child=child,
                next_review=next_review,
                deadline=deadline,
                timeliness=timeliness(deadline.due_by, today, calendar),
                invitation_states=[(i, state_of(i)) for i in invited],
                open_concerns=concerns.get(child.id, 0),
                failed_deliveries=sum(
                    1
                    for invitation in invited
                    for delivery in invitation.deliveries
                    if delivery.status == DeliveryStatus.FAILED
                ),
            )
        )
    urgency = {Timeliness.OVERDUE: 0, Timeliness.DUE_SOON: 1, Timeliness.ON_TRACK: 2}
    lines.sort(
        key=lambda line: (
            not line.open_concerns,
            urgency[line.timeliness],
            line.deadline.due_by,
            line.child.preferred_name,
        )
    )
    return lines


def _next_review(child: Child) -> Review | None:
    upcoming = [r for r in child.reviews if r.status in review_rules.UPCOMING]
    return min(upcoming, key=lambda r: r.planned_on) if upcoming else None


def _invitations_of(reviews: list[Review]) -> dict[int, list[Invitation]]:
    """Each review's invitations, in the order they were made, with what their states
    need; also kept as the review's own ``invitations``, so nothing reads them again."""
    found: dict[int, list[Invitation]] = {review.id: [] for review in reviews}
    if reviews:
        rows = db.session.scalars(
            select(Invitation)
            .where(Invitation.review_id.in_(list(found)))
            .options(selectinload(Invitation.consultation), selectinload(Invitation.deliveries))
            .order_by(Invitation.id)
        )
        for invitation in rows:
            found[invitation.review_id].append(invitation)
    for review in reviews:
        set_committed_value(review, "invitations", found[review.id])
    return found


def _open_concerns(child_ids: list[int]) -> dict[int, int]:
    """How many safety concerns are not yet cleared, for each child, over all reviews."""
    if not child_ids:
        return {}
    rows = db.session.execute(
        select(Review.child_id, func.count(SafetyConcern.id))
        .join(Invitation, Invitation.review_id == Review.id)
        .join(Consultation, Consultation.invitation_id == Invitation.id)
        .join(SafetyConcern, SafetyConcern.consultation_id == Consultation.id)
        .where(Review.child_id.in_(child_ids), SafetyConcern.cleared_at.is_(None))
        .group_by(Review.child_id)
    )
    return {child_id: count for child_id, count in rows}


def iros(staff: StaffUser) -> list[StaffUser]:
    """Who children can be assigned to: active IROs and managers of the authority."""
    return list(
        db.session.scalars(
            select(StaffUser)
            .where(
                StaffUser.local_authority_id == staff.local_authority_id,
                StaffUser.active.is_(True),
                StaffUser.role.in_([StaffRole.IRO, StaffRole.MANAGER]),
            )
            .order_by(StaffUser.display_name)
        )
    )
