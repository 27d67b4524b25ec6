"""How long each kind of record is kept, and from when it is too old (UK GDPR, Article 5(1)(e):
personal data is kept no longer than its purpose needs).

Each local authority sets its own periods (``LocalAuthority.keep_*``), within the bounds
below; the defaults are where a new authority starts:

- **consultations, 24 months after the review** (with their answers, safety concerns and
  invitation, and the messages about it). The IRO needs a child's words for the review and
  its record, and for the next reviews (six-monthly), to see what changed; the annual
  report counts the year's forms. What the child said lives on in the IRO's record of the
  review in the child's case file, kept under the authority's records policy (for a
  looked-after child, commonly until their 75th birthday), so the portal's copy is not the
  record of last resort. An authority that treats it as part of the case record may keep
  it that long: the upper bound is 75 years.
- **parked answers, 24 hours**: answers posted after a session ended are shown back for
  24 hours at most, then never again, so there is nothing to keep them longer for.
- **sign-in sessions, 30 days after they end**: long enough to look into a sign-in a child
  or a member of staff reports as not theirs. Each sign-in is also in the audit trail.
- **deliveries, 24 months**: whether an invitation, reminder or safety alert reached
  someone, for as long as the consultation it was about. At least 3 months, so a reminder
  is never sent twice because the record that it went is gone.
- **audit events, 7 years (84 months)**: who opened or changed a child's record must be
  answerable long after: a care leaver may ask years later who read their words, and
  complaints and inquiries come late. At least a year.

Months are calendar months: six months before 31 August is 28 (or 29) February.
Plain Python, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from portal.domain.timescales import add_months, today_in_england


@dataclass(frozen=True)
class Bounds:
    low: int
    high: int
    default: int

    def allows(self, value: int) -> bool:
        return self.low <= value <= self.high


# The shown-back window for parked answers (portal.data.consultations): none is ever
# shown after it, so no authority needs them kept longer.
PARKED_ANSWERS_SHOWN_HOURS = 24

CONSULTATIONS_MONTHS = Bounds(low=6, high=900, default=24)
PARKED_ANSWERS_HOURS = Bounds(low=1, high=PARKED_ANSWERS_SHOWN_HOURS, default=24)
SESSIONS_DAYS = Bounds(low=1, high=365, default=30)
DELIVERIES_MONTHS = Bounds(low=3, high=120, default=24)
AUDIT_MONTHS = Bounds(low=12, high=900, default=84)


@dataclass(frozen=True)
class RetentionPeriods:
    """One authority's periods, as stored on ``LocalAuthority``."""

    consultations_months: int = CONSULTATIONS_MONTHS.default
    parked_answers_hours: int = PARKED_ANSWERS_HOURS.default
    sessions_days: int = SESSIONS_DAYS.default
    deliveries_months: int = DELIVERIES_MONTHS.default
    audit_months: int = AUDIT_MONTHS.default


@dataclass(frozen=True)
class CutOffs:
    """What is older than these goes; what is at or after them stays."""

    # Consultations (and their invitations) for reviews on a day before this one.
    reviews_before: date
    # Parked answers made before this instant.
    parked_answers_before: datetime
    # Sign-in sessions that ended, or were last used, before this instant.
    sessions_before: datetime
    # Deliveries made before this instant.
    deliveries_before: datetime
    # Audit events made before this instant.
    audit_events_before: datetime


def months_before(instant: datetime, months: int) -> datetime:
    """The same time of day ``months`` calendar months earlier, on the month's last day
    when it is shorter (31 May -> 28 or 29 February). ``instant`` must be aware."""
    if instant.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    earlier = add_months(instant.date(), -months)
    return instant.replace(year=earlier.year, month=earlier.month, day=earlier.day)


def cut_offs(periods: RetentionPeriods, now: datetime) -> CutOffs:
    """The cut-off for each kind of record at ``now`` (an aware datetime).

    Instants are counted in UTC. Reviews are days in England, so their cut-off is the day
    in England ``consultations_months`` before today there.
    """
    if now.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    utc_now = now.astimezone(UTC)
    return CutOffs(
        reviews_before=add_months(today_in_england(now), -periods.consultations_months),
        parked_answers_before=utc_now - timedelta(hours=periods.parked_answers_hours),
        sessions_before=utc_now - timedelta(days=periods.sessions_days),
        deliveries_before=months_before(utc_now, periods.deliveries_months),
        audit_events_before=months_before(utc_now, periods.audit_months),
    )


def parse_period(typed: str, bounds: Bounds) -> int | None:
    """A period as typed: a whole number (in any script's digits, spaces around allowed)
    within ``bounds``; None otherwise."""
    text = typed.strip()
    if not text or not text.isdecimal() or len(text) > 6:
        return None
    number = int(text)
    return number if bounds.allows(number) else None
