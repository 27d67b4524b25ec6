"""When each person's views are due before a review, and when to remind them.

Carers are expected to send their views 5 days before the review (domain
notes); everyone else by the day before, so the IRO can read them first.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

CARER_DAYS_BEFORE_REVIEW = 5
OTHERS_DAYS_BEFORE_REVIEW = 1
REMIND_DAYS_BEFORE_DUE = 3


def consultation_due_on(role: str, review_on: date) -> date:
    days = CARER_DAYS_BEFORE_REVIEW if role == "carer" else OTHERS_DAYS_BEFORE_REVIEW
    return review_on - timedelta(days=days)


def reminder_due_on(role: str, review_on: date) -> date:
    return consultation_due_on(role, review_on) - timedelta(days=REMIND_DAYS_BEFORE_DUE)


def submitted_late(role: str, review_on: date, submitted_at: datetime) -> bool:
    # Compared by calendar day in UK time would need a timezone; a day's grace is fairer
    # to someone sending late in the evening than an exact-instant rule.
    return submitted_at.date() > consultation_due_on(role, review_on)
