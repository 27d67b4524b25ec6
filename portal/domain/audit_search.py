"""Searching the audit trail: what a search asks for, and the days it covers.

Plain Python, no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

PAGE_SIZE = 50
MAX_PAGE = 100_000  # far beyond any real trail; keeps the offset a sane number
MAX_RECORD_NUMBER = 2**31 - 1
# Searches outside these years are surely mistakes, and stay clear of datetime's limits.
MIN_YEAR = 1900
MAX_YEAR = 2999
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_UK_DAY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$", re.ASCII)


@dataclass(frozen=True)
class AuditSearch:
    staff_user_id: int | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: int | None = None
    from_day: date | None = None
    to_day: date | None = None

    def describe(self) -> str:
        """A short note of the filters used, for the trail itself (ids and codes only)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("staff", self.staff_user_id),
                ("action", self.action),
                ("type", self.subject_type),
                ("record", self.subject_id),
                ("from", self.from_day),
                ("to", self.to_day),
            )
            if value is not None
        ]
        return " ".join(parts)


def days_in_order(from_day: date | None, to_day: date | None) -> bool:
    return from_day is None or to_day is None or from_day <= to_day


def period_bounds(
    from_day: date | None, to_day: date | None, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """UTC instants for whole days in ``zone``: from the start of ``from_day`` up to,
    not including, the start of the day after ``to_day``."""
    start = datetime.combine(from_day, time(), tzinfo=zone).astimezone(UTC) if from_day else None
    end = (
        datetime.combine(to_day + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
        if to_day
        else None
    )
    return start, end


def parse_record_number(typed: str) -> int | None:
    """A record number as typed (ASCII digits, surrounding spaces allowed), or None."""
    text = typed.strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_RECORD_NUMBER else None


def parse_day(typed: str) -> date | None:
    """A day as the browser's date picker sends it (2024-12-31) or as people in the UK
    type it (31/12/2024); None if it is not a real day or not in a sensible range."""
    text = typed.strip()
    iso = _ISO_DAY.match(text)
    uk = _UK_DAY.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif uk:
        day, month, year = (int(part) for part in uk.groups())
    else:
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 30 February, month 13...
        return None


def page_number(requested: int | None) -> int:
    if requested is None or requested < 1:
        return 1
    return min(requested, MAX_PAGE)
