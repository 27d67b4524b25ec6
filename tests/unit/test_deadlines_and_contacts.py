"""Each role's due day, on time by the UK's calendar, and knowing one person by contact."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.domain import contacts, deadlines
from portal.domain.deadlines import DueDays, consultation_due_on, on_time, reminder_due_on

REVIEW = date(2027, 6, 10)


def test_carers_are_due_five_days_before_whatever_the_authority_sets() -> None:
    strict = DueDays(child=7, parent=7, professional=7)
    assert consultation_due_on("carer", REVIEW, strict) == date(2027, 6, 5)
    assert consultation_due_on("carer", REVIEW) == date(2027, 6, 5)


@pytest.mark.parametrize("role", ["child", "parent", "professional"])
def test_other_roles_follow_the_authority(role: str) -> None:
    assert consultation_due_on(role, REVIEW) == date(2027, 6, 9)
    chosen = DueDays(**{role: 10})
    assert consultation_due_on(role, REVIEW, chosen) == date(2027, 5, 31)


@pytest.mark.parametrize("days", [-1, deadlines.MOST_DAYS_BEFORE_REVIEW + 1])
def test_due_days_out_of_range_are_refused(days: int) -> None:
    with pytest.raises(ValueError, match="days before the review"):
        DueDays(parent=days)


def test_reminders_come_three_days_before_the_due_day() -> None:
    assert reminder_due_on(date(2027, 6, 9)) == date(2027, 6, 6)
    assert deadlines.LONGEST_LEAD_DAYS >= deadlines.MOST_DAYS_BEFORE_REVIEW + 3


def test_on_time_is_by_the_end_of_the_due_day_in_the_uk() -> None:
    due = date(2027, 6, 9)
    assert on_time(due, datetime(2027, 6, 9, 22, 59, tzinfo=UTC))  # 23:59 in London
    # 00:30 on 10 June in British Summer Time is still 9 June in UTC: late all the same.
    assert not on_time(due, datetime(2027, 6, 9, 23, 30, tzinfo=UTC))
    # In winter London is on UTC.
    assert on_time(date(2027, 1, 9), datetime(2027, 1, 9, 23, 30, tzinfo=UTC))
    assert not on_time(date(2027, 1, 9), datetime(2027, 1, 10, 0, 0, tzinfo=UTC))


def test_the_same_email_however_it_is_typed_is_one_key() -> None:
    assert contacts.email_key(" Jo.Carer@Example.ORG ") == contacts.email_key(
        "jo.carer@example.org"
    )
    assert contacts.email_key("other@example.org") != contacts.email_key("jo.carer@example.org")
    assert contacts.email_key("") is None
    assert contacts.email_key("not an email") is None


def test_phone_keys_and_emails_never_collide() -> None:
    assert contacts.phone_key("+447700900123") == contacts.phone_key("+44 7700 900123")
    assert contacts.phone_key("") is None
    assert contacts.phone_key("+447700900123") != contacts.email_key("447700900123@x")


def test_children_are_never_recognised_by_a_contact() -> None:
    assert not contacts.recognised_by_contact("child")
    assert {
        r for r in ("parent", "carer", "professional") if contacts.recognised_by_contact(r)
    } == {
        "parent",
        "carer",
        "professional",
    }
