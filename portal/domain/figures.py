"""Figures for the IRO annual report: a count out of a count, as the report shows it.

A ``Figure`` is "85 of 680 young people returned a consultation form": the two counts,
the percentage worked out exactly from them, the rounding the report prints, whether
it must be hidden because the numbers are small enough to point at a child, and how
far it moved since last year. A ``ReportingPeriod`` is the stretch of days a figure
counts (usually a financial year, April to March), and the one before it.

Rounding rule: one decimal place, halves rounded up (away from zero), worked out from
the exact fraction, never from a float. One decimal place keeps figures that differ
apart (29 of 447 is 6.49%, shown "6.5%", not "6%") and is what DfE statistics and most
of the seed reports use; halves go up because that is how people and spreadsheets
round and so what readers of the report expect (Python's own ``round`` rounds halves
to even: 85 of 680 is exactly 12.5%, which Cheshire East printed as "13%", ``round``
would make "12%"). A page that wants whole numbers, as some reports print, asks for
``places=0``. Changes are worked out from the exact percentages, not from the rounded
ones, then rounded by the same rule.

Problems with a period are returned as reason codes (``PeriodProblem``), not sentences:
the web layer owns the words, so that they can be translated.

Plain Python, no Flask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from portal.domain.timescales import add_months

# Fewer than this many (children, or returns, or reviews) is few enough to identify a
# child in a published table, so such figures are hidden in exports.
SUPPRESSION_THRESHOLD = 5

DISPLAY_PLACES = 1


def round_half_up(value: Fraction, places: int = DISPLAY_PLACES) -> Fraction:
    """``value`` to ``places`` decimal places, halves away from zero (12.5 -> 13, -12.5 -> -13).

    Symmetric about zero so that a fall and a rise of the same size read the same.
    """
    if places < 0:
        raise ValueError("places must not be negative")
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


def _decimal_text(value: Fraction, places: int) -> str:
    # Exact integer arithmetic: a float would print 0.1 + 0.2 as 0.30000000000000004.
    scaled = round_half_up(value, places) * 10**places
    assert scaled.denominator == 1
    whole, part = divmod(abs(scaled.numerator), 10**places)
    sign = "-" if scaled < 0 else ""
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def format_percentage(value: Fraction, places: int = DISPLAY_PLACES) -> str:
    """A percentage as the report prints it: ``Fraction(1297, 200)`` -> "6.5%"."""
    return f"{_decimal_text(value, places)}%"


def format_points(change: Fraction, places: int = DISPLAY_PLACES) -> str:
    """A change in percentage points with its sign: "+1.5", "-0.4", or "0.0" for none.

    Only the number: the words ("percentage points", "up", "down") are the web layer's.
    """
    text = _decimal_text(change, places)
    # A change that rounds to nothing has no direction, so no sign (never "-0.0").
    if round_half_up(change, places) == 0:
        return text.lstrip("-")
    return text if text.startswith("-") else f"+{text}"


@dataclass(frozen=True)
class Figure:
    """``numerator`` out of ``denominator``, e.g. 85 consultation forms returned of 680 sent.

    ``key`` names what is counted and stays the same from year to year, so that two
    years' figures can be compared (``change_from``). ``definition`` is the sentence
    shown next to the figure saying what was counted. ``children`` is how many
    children the figure is about when that is not the denominator (a participation
    rate counts reviews, and a child has two or three a year); small-number
    suppression looks at it too.
    """

    key: str
    numerator: int
    denominator: int
    definition: str
    children: int | None = None

    def __post_init__(self) -> None:
        # A figure that breaks these is a counting bug; refuse it before it is printed.
        if self.numerator < 0 or self.denominator < 0:
            raise ValueError("counts must not be negative")
        if self.numerator > self.denominator:
            raise ValueError("the numerator cannot be more than the denominator")
        if self.children is not None and self.children < 0:
            raise ValueError("children must not be negative")

    @property
    def exact_percentage(self) -> Fraction | None:
        """The percentage as an exact fraction; None when nothing was counted (0 of 0)."""
        if self.denominator == 0:
            return None
        return Fraction(100 * self.numerator, self.denominator)

    @property
    def percentage(self) -> float | None:
        """The percentage (for charts and sorting); None when the denominator is 0."""
        exact = self.exact_percentage
        return None if exact is None else float(exact)

    def display(self, places: int = DISPLAY_PLACES) -> str | None:
        """The percentage as printed ("12.5%"), by the module's rounding rule.

        None when the denominator is 0: "0%" would say nobody took part, when in fact
        there was nobody to count; the page says that in its own words.
        """
        exact = self.exact_percentage
        return None if exact is None else format_percentage(exact, places)

    def suppressed(self, threshold: int = SUPPRESSION_THRESHOLD) -> bool:
        """Whether the figure must be hidden where it is published or exported.

        Hidden when any count it shows is under ``threshold`` (0 included: "0 of 12
        did not attend" says something about each of those 12 children), or when the
        group it is about has fewer than ``threshold`` children. The percentage goes
        with the counts, because with the other counts in a table it gives them back.
        """
        counts = [self.numerator, self.denominator]
        if self.children is not None:
            counts.append(self.children)
        return any(count < threshold for count in counts)

    def change_from(self, previous: Figure) -> Fraction | None:
        """Percentage points since ``previous`` (the same figure for an earlier period).

        None when either period had nothing to count. Exact; show it with
        ``format_points``. Comparing two different figures is a mistake, so refused.
        """
        if previous.key != self.key:
            raise ValueError(f"cannot compare {self.key!r} with {previous.key!r}")
        now, before = self.exact_percentage, previous.exact_percentage
        if now is None or before is None:
            return None
        return now - before


class PeriodProblem(StrEnum):
    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"  # longer than MAX_PERIOD_YEARS
    STARTS_TOO_EARLY = "starts_too_early"  # before EARLIEST_START


class ReportingPeriodError(ValueError):
    """A period that cannot be reported on; ``problem`` says why, for the page to word."""

    def __init__(self, problem: PeriodProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


# Reports compare years; a period longer than this is a typing mistake (2019 for 2091),
# and counting it would walk every review the authority ever held.
MAX_PERIOD_YEARS = 10

# The Children Act 1989 came into force on 14 October 1991, and with it reviews of
# children in care as the portal knows them: nothing it could count is older.
EARLIEST_START = date(1991, 10, 14)

# The financial year that councils (and so IRO annual reports) use: 1 April to 31 March.
FINANCIAL_YEAR_FIRST_MONTH = 4


def period_problem(start: date, end: date) -> PeriodProblem | None:
    """What is wrong with reporting on ``start`` to ``end`` (both included), if anything."""
    if end < start:
        return PeriodProblem.END_BEFORE_START
    if start < EARLIEST_START:
        return PeriodProblem.STARTS_TOO_EARLY
    # Ten years exactly (1 April 2009 to 31 March 2019) is allowed; a day more is not.
    if end >= add_months(start, 12 * MAX_PERIOD_YEARS):
        return PeriodProblem.TOO_LONG
    return None


@dataclass(frozen=True)
class ReportingPeriod:
    """The days a report counts, ``start`` and ``end`` both included.

    Raises ``ReportingPeriodError`` when the period cannot be reported on.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        problem = period_problem(self.start, self.end)
        if problem is not None:
            raise ReportingPeriodError(problem)

    @classmethod
    def financial_year_containing(
        cls, day: date, *, first_month: int = FINANCIAL_YEAR_FIRST_MONTH
    ) -> ReportingPeriod:
        """The year of 12 months, starting on the 1st of ``first_month``, that holds ``day``.

        April to March by default (31 March 2019 is in 2018/19, 1 April 2019 in
        2019/20); ``first_month=1`` gives the calendar year.
        """
        if not 1 <= first_month <= 12:
            raise ValueError("first_month must be 1 to 12")
        year = day.year if day.month >= first_month else day.year - 1
        start = date(year, first_month, 1)
        return cls(start, add_months(start, 12) - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        # A datetime is a date to isinstance, but which day it falls on depends on the
        # time zone: refuse it loudly rather than count it on the wrong day (or never).
        if isinstance(day, datetime):
            raise TypeError("pass the day in England (a date), not a datetime")
        return isinstance(day, date) and self.start <= day <= self.end

    def _whole_months(self) -> int | None:
        """How many calendar months the period is, if it is whole months; else None."""
        after = self.end + timedelta(days=1)
        if self.start.day != 1 or after.day != 1:
            return None
        return (after.year - self.start.year) * 12 + after.month - self.start.month

    def previous(self) -> ReportingPeriod:
        """The period of the same length that ends the day before this one starts.

        A period of whole months steps back whole months, so that the year before
        2020/21 is 2019/20 (366 days, with 29 February) and the quarter before
        July to September is April to June (91 days, not 92). Any other period steps
        back the same number of days. Raises ``ReportingPeriodError`` if that period
        would start before ``EARLIEST_START``.
        """
        end = self.start - timedelta(days=1)
        months = self._whole_months()
        if months is not None:
            return ReportingPeriod(add_months(self.start, -months), end)
        return ReportingPeriod(end - timedelta(days=self.days - 1), end)
