"""A review's life: which status moves are allowed, which need a reason, and each
review's statutory deadline worked out from the reviews held before it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain.timescales import DueReview, WorkingCalendar, next_review_due


class Status(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    REARRANGED = "rearranged"
    STOOD_DOWN = "stood_down"
    ADJOURNED = "adjourned"
    CANCELLED = "cancelled"


# Held, stood down and cancelled are ends: a mistake there is corrected by a new review.
ALLOWED_MOVES: dict[Status, frozenset[Status]] = {
    Status.PLANNED: frozenset(
        {Status.HELD, Status.REARRANGED, Status.STOOD_DOWN, Status.ADJOURNED, Status.CANCELLED}
    ),
    Status.REARRANGED: frozenset(
        {Status.HELD, Status.REARRANGED, Status.STOOD_DOWN, Status.ADJOURNED, Status.CANCELLED}
    ),
    Status.ADJOURNED: frozenset(
        {Status.HELD, Status.REARRANGED, Status.STOOD_DOWN, Status.CANCELLED}
    ),
    Status.HELD: frozenset(),
    Status.STOOD_DOWN: frozenset(),
    Status.CANCELLED: frozenset(),
}

# Still to happen: these count as the child's next review.
UPCOMING = frozenset({Status.PLANNED, Status.REARRANGED, Status.ADJOURNED})


def allowed_moves(current: str) -> list[Status]:
    return sorted(ALLOWED_MOVES.get(Status(current), frozenset()), key=list(Status).index)


def needs_reason(to: Status) -> bool:
    """Every move except a review being held says why."""
    return to != Status.HELD


def needs_new_date(to: Status) -> bool:
    return to == Status.REARRANGED


@dataclass(frozen=True)
class ReviewDates:
    """What the schedule needs to know about one review."""

    review_id: int
    planned_on: date
    status: str


def statutory_deadlines(
    came_into_care_on: date, reviews: Sequence[ReviewDates], calendar: WorkingCalendar
) -> dict[int, DueReview]:
    """Each review's deadline: the one due after the reviews held before it."""
    held_before: list[date] = []
    deadlines = {}
    for review in sorted(reviews, key=lambda r: (r.planned_on, r.review_id)):
        deadlines[review.review_id] = next_review_due(came_into_care_on, held_before, calendar)
        if review.status == Status.HELD:
            held_before.append(review.planned_on)
    return deadlines


def next_deadline(
    came_into_care_on: date, reviews: Sequence[ReviewDates], calendar: WorkingCalendar
) -> DueReview:
    held = [r.planned_on for r in reviews if r.status == Status.HELD]
    return next_review_due(came_into_care_on, held, calendar)
