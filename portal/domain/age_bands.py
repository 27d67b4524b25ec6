"""Which consultation form fits a child: by age on the day of the review."""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class AgeBand(StrEnum):
    UNDER_8 = "under_8"
    AGE_8_TO_12 = "age_8_to_12"
    AGE_13_TO_17 = "age_13_to_17"
    CARE_LEAVER = "care_leaver"


def age_on(date_of_birth: date, on: date) -> int:
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def age_band(date_of_birth: date, on: date) -> AgeBand:
    age = age_on(date_of_birth, on)
    if age < 8:
        return AgeBand.UNDER_8
    if age <= 12:
        return AgeBand.AGE_8_TO_12
    if age <= 17:
        return AgeBand.AGE_13_TO_17
    return AgeBand.CARE_LEAVER
