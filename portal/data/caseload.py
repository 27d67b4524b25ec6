"""The caseload page: each child a member of staff works with, their deadlines and views."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

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
    """The children this person works with: safety first, then the most pressing deadlines."""
    query = reach.visible_children(staff).options(
        joinedload(Child.iro),
        selectinload(Child.reviews)
        .selectinload(Review.invitations)
        .options(
            selectinload(Invitation.consultation).selectinload(Consultation.safety_concerns),
            selectinload(Invitation.deliveries),
        ),
    )
    if iro_id is not None:
        query = query.where(Child.iro_id == iro_id)
    calendar = working_calendar()
    lines = []
    for child in db.session.scalars(query).unique():
        dates = review_dates(child)
        deadline = review_rules.next_deadline(child.came_into_care_on, dates, calendar)
        upcoming = [r for r in child.reviews if r.status in review_rules.UPCOMING]
        next_review = min(upcoming, key=lambda r: r.planned_on) if upcoming else None
        states = (
            [(i, state_of(i)) for i in next_review.invitations] if next_review is not None else []
        )
        concerns = sum(
            1
            for review in child.reviews
            for invitation in review.invitations
            if invitation.consultation is not None
            for concern in invitation.consultation.safety_concerns
            if concern.cleared_at is None
        )
        failed = sum(
            1
            for invitation in (next_review.invitations if next_review else [])
            for delivery in invitation.deliveries
            if delivery.status == DeliveryStatus.FAILED
        )
        lines.append(
            ChildOnCaseload(
                child=child,
                next_review=next_review,
                deadline=deadline,
                timeliness=timeliness(deadline.due_by, today, calendar),
                invitation_states=states,
                open_concerns=concerns,
                failed_deliveries=failed,
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
