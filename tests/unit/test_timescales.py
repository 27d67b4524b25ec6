"""Statutory review deadlines across weekends, bank holidays, month ends and leap years."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.timescales import (
    DueReview,
    ReviewKind,
    Timeliness,
    WorkingCalendar,
    add_months,
    next_review_due,
    timeliness,
    today_in_england,
)

ENGLAND = WorkingCalendar()


@pytest.mark.parametrize(
    ("came_into_care", "due"),
    [
        # June 2026 has no bank holiday: four whole weeks.
        (date(2026, 6, 1), date(2026, 6, 29)),
        # Starting on a Saturday: the count begins on Monday.
        (date(2026, 6, 6), date(2026, 7, 3)),
        # Christmas Day, Boxing Day observed on Monday 28th, New Year's Day.
        (date(2026, 12, 18), date(2027, 1, 20)),
        # Good Friday and Easter Monday 2027.
        (date(2027, 3, 25), date(2027, 4, 26)),
        # St Andrew's Day (30 Nov) is a holiday in Scotland only: it counts here.
        (date(2026, 11, 2), date(2026, 11, 30)),
    ],
)
def test_initial_review_within_20_working_days(came_into_care: date, due: date) -> None:
    assert next_review_due(came_into_care, [], ENGLAND) == DueReview(ReviewKind.INITIAL, due)


def test_scotlands_august_bank_holiday_is_a_working_day_in_england() -> None:
    assert ENGLAND.is_working_day(date(2026, 8, 3))
    assert not ENGLAND.is_working_day(date(2026, 8, 31))


@pytest.mark.parametrize(
    ("first_review", "second_due"),
    [
        (date(2026, 7, 15), date(2026, 10, 15)),
        (date(2026, 11, 30), date(2027, 2, 28)),  # month end, common year
        (date(2027, 11, 30), date(2028, 2, 29)),  # month end, leap year
        (date(2027, 8, 31), date(2027, 11, 30)),
        (date(2026, 10, 31), date(2027, 1, 31)),  # across the year end
    ],
)
def test_second_review_within_three_months(first_review: date, second_due: date) -> None:
    came = date(2026, 6, 1)
    assert next_review_due(came, [first_review], ENGLAND) == DueReview(
        ReviewKind.SECOND, second_due
    )


def test_later_reviews_every_six_months_from_the_latest() -> None:
    came = date(2026, 1, 5)
    held = [date(2026, 2, 2), date(2026, 5, 1), date(2026, 8, 31)]
    assert next_review_due(came, held, ENGLAND) == DueReview(
        ReviewKind.SUBSEQUENT, date(2027, 2, 28)
    )
    # An additional review (say after a move of home) restarts the clock.
    assert next_review_due(came, [*held, date(2026, 10, 1)], ENGLAND).due_by == date(2027, 4, 1)
    leap = next_review_due(came, [date(2027, 7, 1), date(2027, 8, 31)], ENGLAND)
    assert leap.due_by == date(2028, 2, 29)


def test_reviews_before_coming_into_care_again_are_ignored() -> None:
    # A child who left care and came back starts again with an initial review.
    came_back = date(2026, 6, 1)
    assert next_review_due(came_back, [date(2025, 1, 10)], ENGLAND).kind is ReviewKind.INITIAL


def test_add_months_clamps_to_the_end_of_shorter_months() -> None:
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 6) == date(2027, 6, 15)


def test_working_days_between_counts_both_ways() -> None:
    assert ENGLAND.working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert ENGLAND.working_days_between(date(2026, 12, 29), date(2026, 12, 24)) == -1
    assert ENGLAND.working_days_between(date(2026, 6, 1), date(2026, 6, 1)) == 0


def test_timeliness_for_the_caseload_page() -> None:
    due = date(2027, 1, 20)
    assert timeliness(due, date(2027, 1, 21), ENGLAND) is Timeliness.OVERDUE
    assert timeliness(due, date(2027, 1, 20), ENGLAND) is Timeliness.DUE_SOON
    assert timeliness(due, date(2026, 12, 31), ENGLAND) is Timeliness.DUE_SOON
    assert timeliness(due, date(2026, 11, 2), ENGLAND) is Timeliness.ON_TRACK


def test_a_calendar_can_be_given_other_closures() -> None:
    closed = WorkingCalendar(bank_holidays={date(2026, 6, 2)})
    assert closed.add_working_days(date(2026, 6, 1), 1) == date(2026, 6, 3)
    with pytest.raises(ValueError, match="at least 1"):
        closed.add_working_days(date(2026, 6, 1), 0)


def test_today_is_the_day_in_england_whatever_the_servers_zone() -> None:
    # 23:30 UTC on 30 June is already 1 July in England (BST); in winter they agree.
    assert today_in_england(datetime(2027, 6, 30, 23, 30, tzinfo=UTC)) == date(2027, 7, 1)
    assert today_in_england(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 12, 31)


@settings(max_examples=300, deadline=None)
@given(
    today=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
    ahead=st.integers(min_value=-30, max_value=400),
    soon=st.integers(min_value=0, max_value=40),
)
def test_timeliness_agrees_with_counting_every_working_day(
    today: date, ahead: int, soon: int
) -> None:
    """Counted forward from today (a few weeks at most) or over every day to the deadline
    (months, for a far one), the flag is the same, bank holidays and all."""
    due = today + timedelta(days=ahead)
    if today > due:
        expected = Timeliness.OVERDUE
    elif ENGLAND.working_days_between(today, due) <= soon:
        expected = Timeliness.DUE_SOON
    else:
        expected = Timeliness.ON_TRACK
    assert timeliness(due, today, ENGLAND, soon) is expected


def test_a_remembered_answer_is_the_calendars_own() -> None:
    closed = WorkingCalendar(bank_holidays={date(2026, 6, 2)})
    for _ in range(2):
        assert not closed.is_working_day(date(2026, 6, 2))
        assert ENGLAND.is_working_day(date(2026, 6, 2))
    assert closed == WorkingCalendar(bank_holidays={date(2026, 6, 2)})
