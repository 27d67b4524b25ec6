"""Reading a date typed in Day, Month and Year boxes (portal.domain.dates)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.dates import (
    MAX_YEAR,
    MIN_YEAR,
    PARTS,
    DatePart,
    DateProblem,
    DateReading,
    ascii_digits,
    read_date,
    read_whole_date,
    split_whole_date,
)

DAY, MONTH, YEAR = DatePart.DAY, DatePart.MONTH, DatePart.YEAR


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        (("27", "3", "2007"), date(2007, 3, 27)),
        (("07", "03", "2007"), date(2007, 3, 7)),
        ((" 1 ", "\t12", "2024 "), date(2024, 12, 1)),
        (("2 7", "0 3", "2 007"), date(2007, 3, 27)),  # spaces inside are ignored
        (("٢٧", "٣", "٢٠٠٧"), date(2007, 3, 27)),  # Arabic-Indic
        (("۲۷", "۳", "۲۰۰۷"), date(2007, 3, 27)),  # Persian
        (("२७", "३", "२००७"), date(2007, 3, 27)),  # Devanagari
        (("２７", "３", "２００７"), date(2007, 3, 27)),  # full width
        (("29", "2", "2024"), date(2024, 2, 29)),  # a leap year
        (("29", "2", "2000"), date(2000, 2, 29)),  # divisible by 400
        (("31", "12", str(MAX_YEAR)), date(MAX_YEAR, 12, 31)),
        (("1", "1", str(MIN_YEAR)), date(MIN_YEAR, 1, 1)),
    ],
)
def test_real_dates_are_read_whatever_digits_they_are_typed_in(
    typed: tuple[str, str, str], day: date
) -> None:
    assert read_date(*typed) == DateReading(day=day)


@pytest.mark.parametrize(
    ("typed", "problem", "parts"),
    [
        (("", "", ""), DateProblem.NOTHING_TYPED, ()),
        ((" ", "\t", ""), DateProblem.NOTHING_TYPED, ()),
        (("", "3", "2007"), DateProblem.MISSING_PARTS, (DAY,)),
        (("27", "", "2007"), DateProblem.MISSING_PARTS, (MONTH,)),
        (("27", "3", ""), DateProblem.MISSING_PARTS, (YEAR,)),
        (("", "", "2007"), DateProblem.MISSING_PARTS, (DAY, MONTH)),
        (("", "3", ""), DateProblem.MISSING_PARTS, (DAY, YEAR)),
        (("27", "", ""), DateProblem.MISSING_PARTS, (MONTH, YEAR)),
        # Missing comes first, as GOV.UK names it, even beside a wrong box.
        (("x", "", "2007"), DateProblem.MISSING_PARTS, (MONTH,)),
        (("27", "March", "2007"), DateProblem.NOT_REAL, (MONTH,)),
        (("1st", "3", "2oo7"), DateProblem.NOT_REAL, (DAY, YEAR)),
        (("-1", "3", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("2.5", "3", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("x", "3", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("27", "3", "07"), DateProblem.YEAR_NOT_4_DIGITS, (YEAR,)),
        (("27", "3", "02007"), DateProblem.YEAR_NOT_4_DIGITS, (YEAR,)),
        (("0", "3", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("32", "3", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("27", "13", "2007"), DateProblem.NOT_REAL, (MONTH,)),
        (("27", "0", "2007"), DateProblem.NOT_REAL, (MONTH,)),
        (("0", "13", "2007"), DateProblem.NOT_REAL, (DAY, MONTH)),
        (("31", "4", "2007"), DateProblem.NOT_REAL, (DAY,)),
        (("30", "2", "2024"), DateProblem.NOT_REAL, (DAY,)),
        (("29", "2", "2023"), DateProblem.NOT_REAL, (DAY,)),  # not a leap year
        (("29", "2", "1900"), DateProblem.NOT_REAL, (DAY,)),  # centuries are not, but 2000
        (("1", "1", "1899"), DateProblem.YEAR_OUT_OF_RANGE, (YEAR,)),
        (("1", "1", "3000"), DateProblem.YEAR_OUT_OF_RANGE, (YEAR,)),
        (("1", "1", "0000"), DateProblem.YEAR_OUT_OF_RANGE, (YEAR,)),
        (("1", "1", "9999"), DateProblem.YEAR_OUT_OF_RANGE, (YEAR,)),
    ],
)
def test_each_problem_is_named_with_the_boxes_to_fix(
    typed: tuple[str, str, str], problem: DateProblem, parts: tuple[DatePart, ...]
) -> None:
    assert read_date(*typed) == DateReading(problem=problem, parts=parts)


@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_every_day_in_range_reads_back_as_itself(day: date) -> None:
    assert read_date(str(day.day), str(day.month), str(day.year)).day == day
    assert read_date(f"{day.day:02d}", f"{day.month:02d}", f"{day.year}").day == day


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_anything_typed_is_a_date_or_a_named_problem_never_an_error(
    day: str, month: str, year: str
) -> None:
    reading = read_date(day, month, year)
    assert (reading.day is None) != (reading.problem is None)
    assert set(reading.parts) <= set(PARTS)
    if reading.day is not None:
        assert MIN_YEAR <= reading.day.year <= MAX_YEAR


def test_digits_from_any_script_become_ascii_and_nothing_else_does() -> None:
    assert ascii_digits(" ٠١٢٣٤٥٦٧٨٩ ") == "0123456789"
    assert ascii_digits("0 1\u00a02") == "012"  # every kind of space goes
    assert ascii_digits("1a") == "1a"


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("", ("", "", "")),
        ("   ", ("", "", "")),
        ("2024-12-31", ("31", "12", "2024")),
        ("31/12/2024", ("31", "12", "2024")),
        ("1/4/2025", ("1", "4", "2025")),
        ("31-12-2024", ("31", "12", "2024")),
        ("31.12.2024", ("31", "12", "2024")),
        ("31 12 2024", ("31", "12", "2024")),
        (" 31 / 12 / 2024 ", ("31", "12", "2024")),
        ("٣١/١٢/٢٠٢٤", ("31", "12", "2024")),
        ("99999-01-01", ("01", "01", "99999")),
        ("yesterday", None),
        ("31/12", None),
        ("2024-12-31T10:00", None),
    ],
)
def test_a_date_in_one_value_is_split_into_its_boxes(
    typed: str, parts: tuple[str, str, str] | None
) -> None:
    assert split_whole_date(typed) == parts


def test_a_date_in_one_value_is_read_like_the_boxes() -> None:
    assert read_whole_date("2024-06-16") == DateReading(day=date(2024, 6, 16))
    assert read_whole_date("") == DateReading(problem=DateProblem.NOTHING_TYPED)
    assert read_whole_date("2023-02-29") == DateReading(problem=DateProblem.NOT_REAL, parts=(DAY,))
    assert read_whole_date("yesterday") == DateReading(problem=DateProblem.NOT_REAL, parts=PARTS)
    assert read_whole_date("0001-01-01").problem is DateProblem.YEAR_OUT_OF_RANGE
