"""Reading one cell: cleaning its text and parsing dates, times, choices and addresses."""

from __future__ import annotations

import re
from datetime import date, time
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from portal.domain.case_import.findings import Code, shown
from portal.domain.spreadsheets import safe_cell
from portal.domain.text import clean_answer_text
from portal.domain.timescales import ReviewKind

MAX_EMAIL = 254
# The same values as portal.models.ReviewStatus and CommunicationNeed (a unit test
# keeps them in step), repeated here so this module needs no database code.
REVIEW_STATUSES = ("planned", "held", "rearranged", "stood_down", "adjourned", "cancelled")
DEFAULT_STATUS = "planned"
COMMUNICATION_NEEDS = ("interpreter", "read_aloud", "easy_read", "symbols")


class CellError(ValueError):
    """A cell that cannot be used, with the reason as a code and parameters."""

    def __init__(self, code: Code, **params: str | int) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def clean_text(value: str) -> str:
    """A cell as stored: no control characters, one line, no spaces around it.

    A single quote before a formula character is how the portal's own exports
    (following OWASP) stop spreadsheets running a cell; it is taken off again
    here, so a file exported from the portal imports unchanged.
    """
    text = " ".join(clean_answer_text(value).split())
    if text.startswith("'") and safe_cell(text[1:]) != text[1:]:
        return text[1:]
    return text


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")
_MIDNIGHT = re.compile(r"[T ]00:00(:00)?")
FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_date(value: str) -> date:
    """YYYY-MM-DD, or DD/MM/YYYY and D/M/YYYY as written in the UK.

    A time of midnight after the date (as some systems export dates) is allowed.
    Everything else is refused with the reason: no guessing at 2-digit years or
    at which of two numbers is the month.
    """
    text = value.strip()
    midnight = _MIDNIGHT.search(text)
    if midnight and midnight.end() == len(text):
        text = text[: midnight.start()]
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    elif uk := _UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in uk.groups())
        if month > 12 and _is_date(year, day, month):
            # Month first, as in the US: a real date the other way round, but not this one.
            suggestion = f"{month:02d}/{day:02d}/{year}"
            raise CellError(Code.MONTH_FIRST, value=shown(value), suggestion=suggestion)
    elif _SHORT_YEAR.fullmatch(text):
        raise CellError(Code.TWO_DIGIT_YEAR, value=shown(value))
    else:
        raise CellError(Code.NOT_A_DATE, value=shown(value))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(Code.YEAR_OUT_OF_RANGE, value=shown(value))
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(Code.IMPOSSIBLE_DATE, value=shown(value)) from None


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")


def parse_time(value: str) -> time:
    """HH:MM on the 24-hour clock (H:MM and HH:MM:00 too)."""
    found = _TIME.fullmatch(value.strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise CellError(Code.NOT_A_TIME, value=shown(value))


_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def parse_yes_no(value: str) -> bool:
    answer = value.strip().casefold()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    raise CellError(Code.NOT_YES_OR_NO, value=shown(value))


@lru_cache(maxsize=256)
def parse_language(value: str) -> str:
    """A locale code Babel knows, written the portal's way: en-GB -> en_GB, FA_af -> fa_AF."""
    code = value.strip().replace("-", "_")
    try:
        return str(Locale.parse(code))
    except (UnknownLocaleError, ValueError, TypeError):
        raise CellError(Code.UNKNOWN_LANGUAGE, value=shown(value)) from None


def parse_needs(value: str) -> str:
    """Communication needs separated by spaces, semicolons or commas, in a fixed order."""
    wanted = set()
    for word in re.split(r"[\s;,]+", value.strip()):
        if not word:
            continue
        need = word.casefold().replace("-", "_")
        if need not in COMMUNICATION_NEEDS:
            raise CellError(Code.UNKNOWN_NEED, value=shown(word))
        wanted.add(need)
    return " ".join(need for need in COMMUNICATION_NEEDS if need in wanted)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_email(value: str) -> str:
    address = value.strip()
    if len(address) > MAX_EMAIL or not _EMAIL.fullmatch(address):
        raise CellError(Code.NOT_AN_EMAIL, value=shown(value))
    return address.lower()


def _choice_key(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().casefold())


def parse_review_type(value: str) -> ReviewKind:
    try:
        return ReviewKind(_choice_key(value))
    except ValueError:
        raise CellError(Code.UNKNOWN_REVIEW_TYPE, value=shown(value)) from None


def parse_status(value: str) -> str:
    status = _choice_key(value)
    if status not in REVIEW_STATUSES:
        raise CellError(Code.UNKNOWN_STATUS, value=shown(value))
    return status


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
