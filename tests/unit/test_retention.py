"""How long records are kept: the cut-off for each kind, in calendar months, days and hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from portal.domain import retention
from portal.domain.retention import (
    Bounds,
    RetentionPeriods,
    cut_offs,
    months_before,
    parse_period,
)


def test_the_defaults_are_two_years_a_day_a_month_and_seven_years() -> None:
    periods = RetentionPeriods()
    assert periods.consultations_months == 24
    assert periods.parked_answers_hours == 24
    assert periods.sessions_days == 30
    assert periods.deliveries_months == 24
    assert periods.audit_months == 84


def test_every_default_is_within_its_bounds() -> None:
    for bounds in (
        retention.CONSULTATIONS_MONTHS,
        retention.PARKED_ANSWERS_HOURS,
        retention.SESSIONS_DAYS,
        retention.DELIVERIES_MONTHS,
        retention.AUDIT_MONTHS,
    ):
        assert bounds.allows(bounds.default)
        assert not bounds.allows(bounds.low - 1) and not bounds.allows(bounds.high + 1)


def test_parked_answers_are_never_kept_longer_than_they_can_be_shown() -> None:
    assert retention.PARKED_ANSWERS_HOURS.high == retention.PARKED_ANSWERS_SHOWN_HOURS == 24


@pytest.mark.parametrize(
    ("instant", "months", "expected"),
    [
        (datetime(2026, 3, 15, 9, 30, tzinfo=UTC), 1, datetime(2026, 2, 15, 9, 30, tzinfo=UTC)),
        # Calendar months, clamped to the shorter month's last day.
        (datetime(2026, 3, 31, 23, 59, tzinfo=UTC), 1, datetime(2026, 2, 28, 23, 59, tzinfo=UTC)),
        (datetime(2028, 3, 31, 12, 0, tzinfo=UTC), 1, datetime(2028, 2, 29, 12, 0, tzinfo=UTC)),
        (datetime(2026, 8, 31, 0, 0, tzinfo=UTC), 6, datetime(2026, 2, 28, 0, 0, tzinfo=UTC)),
        # Across years, and seven years back to a leap day's year.
        (datetime(2026, 1, 10, 8, 0, tzinfo=UTC), 13, datetime(2024, 12, 10, 8, 0, tzinfo=UTC)),
        (datetime(2031, 2, 28, 8, 0, tzinfo=UTC), 84, datetime(2024, 2, 28, 8, 0, tzinfo=UTC)),
        (datetime(2026, 5, 5, 5, 5, tzinfo=UTC), 0, datetime(2026, 5, 5, 5, 5, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(
    instant: datetime, months: int, expected: datetime
) -> None:
    assert months_before(instant, months) == expected


def test_months_before_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="aware"):
        months_before(datetime(2026, 3, 1, 12, 0), 1)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware"):
        cut_offs(RetentionPeriods(), datetime(2026, 3, 1, 12, 0))  # noqa: DTZ001


def test_cut_offs_for_each_kind() -> None:
    now = datetime(2026, 8, 31, 10, 15, tzinfo=UTC)
    cut = cut_offs(
        RetentionPeriods(
            consultations_months=6,
            parked_answers_hours=3,
            sessions_days=30,
            deliveries_months=12,
            audit_months=84,
        ),
        now,
    )
    assert cut.reviews_before == date(2026, 2, 28)
    assert cut.parked_answers_before == datetime(2026, 8, 31, 7, 15, tzinfo=UTC)
    assert cut.sessions_before == datetime(2026, 8, 1, 10, 15, tzinfo=UTC)
    assert cut.deliveries_before == datetime(2025, 8, 31, 10, 15, tzinfo=UTC)
    assert cut.audit_events_before == datetime(2019, 8, 31, 10, 15, tzinfo=UTC)


def test_instants_are_counted_in_utc_whatever_zone_now_is_given_in() -> None:
    in_utc = datetime(2026, 7, 1, 0, 30, tzinfo=UTC)
    in_new_york = in_utc.astimezone(timezone(timedelta(hours=-4)))  # still 30 June there
    assert cut_offs(RetentionPeriods(), in_new_york) == cut_offs(RetentionPeriods(), in_utc)
    assert cut_offs(RetentionPeriods(), in_utc).deliveries_before.tzinfo == UTC


def test_the_review_cut_off_is_counted_from_today_in_england() -> None:
    # 23:30 UTC on 31 March is already 1 April in England (summer time).
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert cut_offs(RetentionPeriods(consultations_months=24), late).reviews_before == date(
        2024, 4, 1
    )
    winter = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # still 31 January in England
    assert cut_offs(RetentionPeriods(consultations_months=1), winter).reviews_before == date(
        2025, 12, 31
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24", 24),
        (" 6 ", 6),
        ("900", 900),
        ("٢٤", 24),  # Arabic-Indic digits, as an Arabic keyboard types them
        ("5", None),  # below the bounds
        ("901", None),
        ("", None),
        ("  ", None),
        ("24.5", None),
        ("-24", None),
        ("+24", None),
        ("two years", None),
        ("1e3", None),
        ("0024", 24),
        ("9" * 7, None),
    ],
)
def test_a_period_is_a_whole_number_within_its_bounds(typed: str, expected: int | None) -> None:
    assert parse_period(typed, Bounds(low=6, high=900, default=24)) == expected
