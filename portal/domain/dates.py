"""Reading a date typed as day, month and year in three boxes, the GOV.UK way.

Plain Python, no Flask. Digits from any script count (a member of staff may type
٢٧ ٣ ٢٠٠٧ on an Arabic keyboard). A date is read or the problem is named, with the
boxes to highlight, so the page can say exactly what to fix; the words are the web
layer's (portal.web.fields), so they can be translated.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Years outside these are surely mistakes for anything the portal records or searches.
MIN_YEAR = 1900
MAX_YEAR = 2999


class DatePart(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


PARTS = (DatePart.DAY, DatePart.MONTH, DatePart.YEAR)


class DateProblem(StrEnum):
    NOTHING_TYPED = "nothing_typed"  # whether that is wrong is the question's business
    MISSING_PARTS = "missing_parts"  # the parts are in DateReading.parts
    NOT_REAL = "not_real"  # letters, month 13, 31 April, 29 February 2023
    YEAR_NOT_4_DIGITS = "year_not_4_digits"
    YEAR_OUT_OF_RANGE = "year_out_of_range"


@dataclass(frozen=True)
class DateReading:
    """A date, or why there is none and which boxes are at fault (in page order)."""

    day: date | None = None
    problem: DateProblem | None = None
    parts: tuple[DatePart, ...] = ()


def ascii_digits(typed: str) -> str:
    """Without spaces, with every decimal digit (Arabic-Indic, Persian, Devanagari,
    full-width...) as its ASCII digit; anything else is kept, to be refused."""
    text = "".join(unicodedata.normalize("NFKC", typed).split())
    return "".join(
        str(d) if (d := unicodedata.decimal(ch, None)) is not None else ch for ch in text
    )


def read_date(day: str, month: str, year: str) -> DateReading:
    """The date typed into the three boxes, or the first problem GOV.UK would name."""
    typed = dict(
        zip(PARTS, (ascii_digits(day), ascii_digits(month), ascii_digits(year)), strict=True)
    )
    missing = tuple(part for part in PARTS if not typed[part])
    if len(missing) == len(PARTS):
        return DateReading(problem=DateProblem.NOTHING_TYPED)
    if missing:
        return DateReading(problem=DateProblem.MISSING_PARTS, parts=missing)
    not_numbers = tuple(
        part for part in PARTS if not (typed[part].isascii() and typed[part].isdigit())
    )
    if not_numbers:
        return DateReading(problem=DateProblem.NOT_REAL, parts=not_numbers)
    if len(typed[DatePart.YEAR]) != 4:
        return DateReading(problem=DateProblem.YEAR_NOT_4_DIGITS, parts=(DatePart.YEAR,))
    number = {part: int(typed[part]) for part in PARTS}
    impossible = tuple(
        part
        for part, highest in ((DatePart.DAY, 31), (DatePart.MONTH, 12))
        if not 1 <= number[part] <= highest
    )
    if impossible:
        return DateReading(problem=DateProblem.NOT_REAL, parts=impossible)
    if not MIN_YEAR <= number[DatePart.YEAR] <= MAX_YEAR:
        return DateReading(problem=DateProblem.YEAR_OUT_OF_RANGE, parts=(DatePart.YEAR,))
    if number[DatePart.DAY] > calendar.monthrange(number[DatePart.YEAR], number[DatePart.MONTH])[1]:
        return DateReading(problem=DateProblem.NOT_REAL, parts=(DatePart.DAY,))
    return DateReading(
        day=date(number[DatePart.YEAR], number[DatePart.MONTH], number[DatePart.DAY])
    )


_ISO = re.compile(r"(\d{4,})-(\d+)-(\d+)", re.ASCII)
_DAY_FIRST = re.compile(r"(\d+)[/.\-](\d+)[/.\-](\d+)", re.ASCII)
_SPACED_SEPARATOR = re.compile(r"\s*([/.\-])\s*")


def split_whole_date(typed: str) -> tuple[str, str, str] | None:
    """Day, month and year from a date typed in one box, as a link, a script or an
    older form sends it: 2024-12-31 (ISO), or day first as people in the UK write it
    (31/12/2024, 31-12-2024, 31.12.2024, 31 12 2024). Three empty strings if nothing
    was typed; None if it is not a date written in any of these ways."""
    text = _SPACED_SEPARATOR.sub(r"\1", unicodedata.normalize("NFKC", typed).strip())
    if not text:
        return ("", "", "")
    text = "/".join(ascii_digits(word) for word in text.split())
    if iso := _ISO.fullmatch(text):
        year, month, day = iso.groups()
        return (day, month, year)
    if day_first := _DAY_FIRST.fullmatch(text):
        day, month, year = day_first.groups()
        return (day, month, year)
    return None


def read_whole_date(typed: str) -> DateReading:
    """A date typed in one box (see split_whole_date), or its problem."""
    parts = split_whole_date(typed)
    if parts is None:
        return DateReading(problem=DateProblem.NOT_REAL, parts=PARTS)
    return read_date(*parts)
