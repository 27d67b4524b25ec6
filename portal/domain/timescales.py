"""When a child's next review is due (Care Planning, Placement and Case Review
(England) Regulations 2010, reg. 33):

- the first review within 20 working days of the day the child came into care;
- the second within 3 months of the first;
- each later one within 6 months of the one before.

Working days leave out weekends and England and Wales bank holidays, which come
from the maintained ``holidays`` library (substitute days included), never a list
typed in here.
"""

from __future__ import annotations

import calendar
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays

INITIAL_REVIEW_WORKING_DAYS = 20
SECOND_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6


class ReviewKind(StrEnum):
    INITIAL = "initial"
    SECOND = "second"
    SUBSEQUENT = "subsequent"
    ADDITIONAL = "additional"
    PATHWAY_PLAN = "pathway_plan"


ENGLAND = ZoneInfo("Europe/London")


def today_in_england(now: datetime | None = None) -> date:
    """The calendar day in England, which deadlines count in, whatever the server's zone."""
    return (now or datetime.now(ENGLAND)).astimezone(ENGLAND).date()


def england_and_wales_bank_holidays() -> Container[date]:
    # England and Wales share their bank holidays; the library fills years on demand.
    return holidays.country_holidays("GB", subdiv="ENG")


@dataclass(frozen=True)
class WorkingCalendar:
    bank_holidays: Container[date] = field(default_factory=england_and_wales_bank_holidays)
    # Each day's answer, once worked out: a caseload asks about the same few hundred
    # days for every child on it, and the holiday library's lookup is the slow part.
    _known: dict[date, bool] = field(default_factory=dict, compare=False, repr=False)

    def is_working_day(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = day.weekday() < 5 and day not in self.bank_holidays
        return known

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (31 Aug -> 30 Nov)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueReview:
    kind: ReviewKind
    due_by: date


def next_review_due(
    came_into_care_on: date, reviews_held: Sequence[date], working_calendar: WorkingCalendar
) -> DueReview:
    """The statutory deadline for the next review, from the reviews already held.

    Any review held (additional ones too) restarts the six-month clock, because
    the regulations count from "the previous review".
    """
    held = sorted(day for day in reviews_held if day >= came_into_care_on)
    if not held:
        return DueReview(
            ReviewKind.INITIAL,
            working_calendar.add_working_days(came_into_care_on, INITIAL_REVIEW_WORKING_DAYS),
        )
    if len(held) == 1:
        return DueReview(ReviewKind.SECOND, add_months(held[0], SECOND_REVIEW_MONTHS))
    return DueReview(ReviewKind.SUBSEQUENT, add_months(held[-1], LATER_REVIEW_MONTHS))


class Timeliness(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def timeliness(
    due_by: date, today: date, working_calendar: WorkingCalendar, soon_within_working_days: int = 15
) -> Timeliness:
    """How a caseload page should flag a deadline: overdue, due soon, or on track."""
    if today > due_by:
        return Timeliness.OVERDUE
    # At most ``soon`` working days away means before the working day after the
    # ``soon``-th: counted forward from today, never over the months to a far deadline.
    if due_by < working_calendar.add_working_days(today, soon_within_working_days + 1):
        return Timeliness.DUE_SOON
    return Timeliness.ON_TRACK
