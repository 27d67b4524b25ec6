"""Report figures: published percentages reproduced from their counts, rounding,
small-number suppression, year-on-year change, and reporting periods."""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction

import pytest

from portal.domain.figures import (
    EARLIEST_START,
    Figure,
    PeriodProblem,
    ReportingPeriod,
    ReportingPeriodError,
    format_percentage,
    format_points,
    period_problem,
    round_half_up,
)


def returns(key: str, received: int, sent: int) -> Figure:
    return Figure(key, received, sent, "Consultation forms returned, out of forms sent.")


# Cheshire East IRO annual report 2018/19, "Recorded Consultation Forms received" out
# of "Recorded Invites/Consultation Forms sent out". The report prints some figures to
# a whole number and some to one place; we show all to one place, and each printed
# figure is one of ours (to one place or whole).
@pytest.mark.parametrize(
    ("role", "received", "sent", "shown", "whole", "printed"),
    [
        # Exactly 12.5%: a half, rounded up to 13% as the report did (Python's round()
        # rounds halves to even and would say 12%).
        ("young_person", 85, 680, "12.5%", "13%", "13%"),
        ("health", 164, 536, "30.6%", "31%", "31%"),
        ("education", 249, 641, "38.8%", "39%", "38.8%"),
        ("parents", 87, 695, "12.5%", "13%", "12.5%"),
        ("carers", 197, 679, "29.0%", "29%", "29%"),
    ],
)
def test_cheshire_east_2018_19_consultation_returns(
    role: str, received: int, sent: int, shown: str, whole: str, printed: str
) -> None:
    figure = returns(f"consultation_returns.{role}", received, sent)
    assert figure.display() == shown
    assert figure.display(places=0) == whole
    assert printed in (shown, whole)
    assert not figure.suppressed()


def test_the_young_person_figure_is_exactly_an_eighth() -> None:
    figure = returns("consultation_returns.young_person", 85, 680)
    assert figure.exact_percentage == Fraction(25, 2)
    assert figure.percentage == 12.5


def test_cheshire_east_other_returns_show_6_5_not_the_printed_6_4() -> None:
    # 29 of 447 is 6.4877%, which the report printed as 6.4%: cut off, not rounded.
    # Cutting off cannot be the report's rule, since it printed 30.597% (health) as
    # 31%; no one rule gives every printed figure, so we keep ours: 6.5% (and 6%).
    figure = returns("consultation_returns.other", 29, 447)
    assert figure.percentage == pytest.approx(6.4877, abs=1e-4)
    assert figure.display() == "6.5%"
    assert figure.display(places=0) == "6%"
    assert figure.display(places=2) == "6.49%"


def feedback(key: str, said: int, answered: int) -> Figure:
    return Figure(key, said, answered, "Children who said so, out of those who answered.")


# North Yorkshire IRO annual report 2014/15: 50 children returned a feedback postcard.
@pytest.mark.parametrize(
    ("key", "said", "answered", "printed"),
    [
        ("review_was_excellent", 23, 50, "46%"),
        ("review_was_good", 24, 50, "48%"),
        ("venue_as_wanted", 47, 50, "94%"),
        ("date_as_wanted", 41, 50, "82%"),
        # 83% of 50 is 41.5 children: not everyone answered this question, so the
        # denominator is those who did. 34 of 41 is 82.9%, printed whole as 83%.
        ("time_as_wanted", 34, 41, "83%"),
        ("asked_who_should_attend", 34, 50, "68%"),
    ],
)
def test_north_yorkshire_2014_15_feedback(key: str, said: int, answered: int, printed: str) -> None:
    assert feedback(key, said, answered).display(places=0) == printed


def test_no_count_of_50_gives_83_per_cent() -> None:
    assert all(
        feedback("time_as_wanted", said, 50).display(places=0) != "83%" for said in range(51)
    )
    assert feedback("time_as_wanted", 34, 41).display() == "82.9%"


def test_two_children_saying_poor_is_hidden_in_exports() -> None:
    # "2 young people felt their meeting was poor": fine in a report to the board,
    # but a count under 5 is suppressed wherever figures are exported.
    assert feedback("review_was_poor", 2, 50).suppressed()


def test_nothing_to_count_gives_no_percentage() -> None:
    empty = Figure("participation.participated", 0, 0, "definition")
    assert empty.exact_percentage is None
    assert empty.percentage is None
    assert empty.display() is None
    assert empty.display(places=0) is None


def test_none_of_some_is_zero_per_cent() -> None:
    assert Figure("k", 0, 12, "d").display() == "0.0%"
    assert Figure("k", 12, 12, "d").display() == "100.0%"


@pytest.mark.parametrize(
    ("numerator", "denominator"), [(-1, 5), (1, -5), (6, 5)], ids=["negative", "negative", "over"]
)
def test_impossible_counts_are_refused(numerator: int, denominator: int) -> None:
    with pytest.raises(ValueError, match=r"negative|more than"):
        Figure("k", numerator, denominator, "d")


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (Fraction(25, 2), 0, Fraction(13)),
        (Fraction(-25, 2), 0, Fraction(-13)),
        (Fraction(1245, 100), 1, Fraction(125, 10)),  # 12.45 -> 12.5, not 12.4
        (Fraction(1244999, 100000), 1, Fraction(124, 10)),
        (Fraction(2900, 447), 2, Fraction(649, 100)),
    ],
)
def test_halves_round_away_from_zero(value: Fraction, places: int, rounded: Fraction) -> None:
    assert round_half_up(value, places) == rounded


def test_formatting_is_exact_and_keeps_its_places() -> None:
    # 1.005 is 1.00499999... as a float, so float formatting says 1.00; the fraction is exact.
    assert format_percentage(Fraction(1005, 1000), 2) == "1.01%"
    assert format_percentage(Fraction(46), 1) == "46.0%"
    assert format_percentage(Fraction(46), 0) == "46%"
    assert format_percentage(Fraction(-1, 20), 1) == "-0.1%"


@pytest.mark.parametrize(
    ("counts", "threshold", "hidden"),
    [
        ((4, 50, None), 5, True),  # four children is few enough to know who they are
        ((5, 50, None), 5, False),
        ((0, 447, None), 5, True),  # zero is a count under 5 too
        ((3, 3, None), 5, True),  # a group of 3
        ((4, 4, None), 5, True),
        ((5, 5, None), 5, False),
        ((10, 12, 4), 5, True),  # 12 reviews, but of only 4 children
        ((10, 12, 5), 5, False),
        ((0, 0, None), 5, True),
        ((8, 50, None), 10, True),  # an authority may choose a higher threshold
    ],
)
def test_small_numbers_are_suppressed(
    counts: tuple[int, int, int | None], threshold: int, hidden: bool
) -> None:
    numerator, denominator, children = counts
    figure = Figure("k", numerator, denominator, "d", children=children)
    assert figure.suppressed(threshold=threshold) is hidden


def test_change_in_percentage_points() -> None:
    this_year = returns("consultation_returns.other", 29, 447)
    last_year = returns("consultation_returns.other", 20, 400)
    change = this_year.change_from(last_year)
    assert change == Fraction(2900, 447) - 5
    assert change is not None and format_points(change) == "+1.5"
    fall = last_year.change_from(this_year)
    assert fall is not None and format_points(fall) == "-1.5"


def test_change_is_worked_out_before_rounding() -> None:
    # 6.49% and 6.45% both show as 6.5%, but the change is 0.04 points, shown as 0.0.
    now = Figure("k", 2900, 44700, "d")
    before = Figure("k", 645, 10000, "d")
    assert now.display() == before.display() == "6.5%"
    change = now.change_from(before)
    assert change is not None and format_points(change) == "0.0"
    assert format_points(Fraction(-1, 100)) == "0.0"  # never "-0.0"


def test_no_change_from_or_to_an_empty_period() -> None:
    empty = Figure("k", 0, 0, "d")
    some = Figure("k", 3, 4, "d")
    assert some.change_from(empty) is None
    assert empty.change_from(some) is None


def test_different_figures_are_not_compared() -> None:
    with pytest.raises(ValueError, match="cannot compare"):
        returns("consultation_returns.parents", 87, 695).change_from(
            returns("consultation_returns.carers", 197, 679)
        )


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2019, 3, 31), date(2018, 4, 1), date(2019, 3, 31)),
        (date(2019, 4, 1), date(2019, 4, 1), date(2020, 3, 31)),
        (date(2019, 1, 1), date(2018, 4, 1), date(2019, 3, 31)),
        (date(2019, 12, 31), date(2019, 4, 1), date(2020, 3, 31)),
        (date(2020, 2, 29), date(2019, 4, 1), date(2020, 3, 31)),
    ],
)
def test_financial_year_runs_april_to_march(day: date, start: date, end: date) -> None:
    year = ReportingPeriod.financial_year_containing(day)
    assert (year.start, year.end) == (start, end)
    assert day in year


def test_31_march_and_1_april_are_in_different_years() -> None:
    ending = ReportingPeriod.financial_year_containing(date(2019, 3, 31))
    beginning = ReportingPeriod.financial_year_containing(date(2019, 4, 1))
    assert date(2019, 4, 1) not in ending
    assert date(2019, 3, 31) not in beginning
    assert beginning.previous() == ending


def test_a_calendar_year_when_asked() -> None:
    year = ReportingPeriod.financial_year_containing(date(2019, 7, 4), first_month=1)
    assert (year.start, year.end) == (date(2019, 1, 1), date(2019, 12, 31))
    with pytest.raises(ValueError, match="first_month"):
        ReportingPeriod.financial_year_containing(date(2019, 7, 4), first_month=13)


def test_previous_year_across_a_leap_day() -> None:
    # 2019/20 has 366 days: the year before 2020/21 is still the whole of it.
    year = ReportingPeriod(date(2020, 4, 1), date(2021, 3, 31))
    assert year.previous() == ReportingPeriod(date(2019, 4, 1), date(2020, 3, 31))
    assert year.previous().days == 366
    assert year.previous().previous() == ReportingPeriod(date(2018, 4, 1), date(2019, 3, 31))


def test_previous_quarter_and_month() -> None:
    quarter = ReportingPeriod(date(2019, 7, 1), date(2019, 9, 30))
    assert quarter.previous() == ReportingPeriod(date(2019, 4, 1), date(2019, 6, 30))
    march = ReportingPeriod(date(2019, 3, 1), date(2019, 3, 31))
    assert march.previous() == ReportingPeriod(date(2019, 2, 1), date(2019, 2, 28))


def test_previous_of_an_odd_period_is_the_same_number_of_days() -> None:
    ten_days = ReportingPeriod(date(2019, 1, 10), date(2019, 1, 19))
    assert ten_days.previous() == ReportingPeriod(date(2018, 12, 31), date(2019, 1, 9))
    one_day = ReportingPeriod(date(2019, 1, 10), date(2019, 1, 10))
    assert one_day.previous() == ReportingPeriod(date(2019, 1, 9), date(2019, 1, 9))


def test_a_period_holds_its_first_and_last_day_only() -> None:
    period = ReportingPeriod(date(2018, 4, 1), date(2019, 3, 31))
    assert date(2018, 4, 1) in period
    assert date(2019, 3, 31) in period
    assert date(2018, 3, 31) not in period
    assert date(2019, 4, 1) not in period
    assert "2018-04-01" not in period


def test_a_datetime_is_refused_rather_than_counted_on_the_wrong_day() -> None:
    period = ReportingPeriod(date(2018, 4, 1), date(2019, 3, 31))
    with pytest.raises(TypeError):
        datetime(2018, 4, 1, 10, 0, tzinfo=UTC) in period  # noqa: B015 (the check is the point)


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (date(2019, 3, 31), date(2018, 4, 1), PeriodProblem.END_BEFORE_START),
        (date(2019, 4, 2), date(2019, 4, 1), PeriodProblem.END_BEFORE_START),
        (date(2000, 4, 1), date(2050, 3, 31), PeriodProblem.TOO_LONG),  # 50 years
        (date(2009, 4, 1), date(2019, 4, 1), PeriodProblem.TOO_LONG),  # 10 years and a day
        (date(1900, 1, 1), date(1900, 12, 31), PeriodProblem.STARTS_TOO_EARLY),
        (date(1991, 10, 13), date(1992, 3, 31), PeriodProblem.STARTS_TOO_EARLY),
    ],
)
def test_periods_that_cannot_be_reported_on(start: date, end: date, problem: PeriodProblem) -> None:
    assert period_problem(start, end) is problem
    with pytest.raises(ReportingPeriodError) as refused:
        ReportingPeriod(start, end)
    # A reason code for the web layer to word (and translate), not an English sentence.
    assert refused.value.problem is problem
    assert str(refused.value) == problem.value


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2009, 4, 1), date(2019, 3, 31)),  # exactly ten financial years
        (date(2019, 4, 1), date(2019, 4, 1)),  # one day
        (EARLIEST_START, date(1992, 3, 31)),
    ],
)
def test_periods_that_can_be_reported_on(start: date, end: date) -> None:
    assert period_problem(start, end) is None
    assert ReportingPeriod(start, end).end == end


def test_no_previous_period_before_the_earliest_start() -> None:
    first = ReportingPeriod(EARLIEST_START, date(1992, 3, 31))
    with pytest.raises(ReportingPeriodError) as refused:
        first.previous()
    assert refused.value.problem is PeriodProblem.STARTS_TOO_EARLY
