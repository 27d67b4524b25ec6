"""When each person's views are due before a review, and when to remind them.

Carers are expected to send their views 5 days before the review (domain notes), so
the IRO can read them with the carer's placement report; that is not the authority's
to change. Everyone else's due day is the authority's choice (by default the day
before, so the IRO can read them first). Each invitation stores its due day when it is
made, and again when the review moves, so "on time" is a recorded fact, not a guess.
Late views are always accepted: they are marked late, never refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

CARER_DAYS_BEFORE_REVIEW = 5
OTHERS_DAYS_BEFORE_REVIEW = 1
REMIND_DAYS_BEFORE_DUE = 3
# Three weeks: further ahead than that, a review date is rarely firm enough to plan to.
MOST_DAYS_BEFORE_REVIEW = 21
CONFIGURABLE_ROLES = ("child", "parent", "professional")


@dataclass(frozen=True)
class DueDays:
    """How many days before the review each role's views are due, as an authority sets it."""

    child: int = OTHERS_DAYS_BEFORE_REVIEW
    parent: int = OTHERS_DAYS_BEFORE_REVIEW
    professional: int = OTHERS_DAYS_BEFORE_REVIEW

    def __post_init__(self) -> None:
        for role in CONFIGURABLE_ROLES:
            if not 0 <= getattr(self, role) <= MOST_DAYS_BEFORE_REVIEW:
                raise ValueError(f"{role}: 0 to {MOST_DAYS_BEFORE_REVIEW} days before the review")

    def for_role(self, role: str) -> int:
        if role == "carer":
            return CARER_DAYS_BEFORE_REVIEW
        return int(getattr(self, role, OTHERS_DAYS_BEFORE_REVIEW))


DEFAULT_DUE_DAYS = DueDays()
# The earliest any reminder can come, in days before the review.
LONGEST_LEAD_DAYS = max(CARER_DAYS_BEFORE_REVIEW, MOST_DAYS_BEFORE_REVIEW) + REMIND_DAYS_BEFORE_DUE


def consultation_due_on(role: str, review_on: date, due_days: DueDays = DEFAULT_DUE_DAYS) -> date:
    return review_on - timedelta(days=due_days.for_role(role))


def reminder_due_on(due_on: date) -> date:
    return due_on - timedelta(days=REMIND_DAYS_BEFORE_DUE)


def on_time(due_on: date, submitted_at: datetime) -> bool:
    """Sent by the end of the due day in the UK: the due day is a day, not an instant,
    and someone sending at 00:30 in summer time sent it on the UK's next day."""
    local = submitted_at.astimezone(UK) if submitted_at.tzinfo else submitted_at
    return local.date() <= due_on
