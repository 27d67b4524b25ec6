from datetime import date

import pytest

from portal.domain.age_bands import AgeBand, age_band, age_on


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 6, 15), date(2026, 6, 14), 15),
        (date(2010, 6, 15), date(2026, 6, 15), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday not yet reached
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_counts_whole_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (3, AgeBand.UNDER_8),
        (7, AgeBand.UNDER_8),
        (8, AgeBand.AGE_8_TO_12),
        (12, AgeBand.AGE_8_TO_12),
        (13, AgeBand.AGE_13_TO_17),
        (17, AgeBand.AGE_13_TO_17),
        (18, AgeBand.CARE_LEAVER),
        (21, AgeBand.CARE_LEAVER),
    ],
)
def test_band_boundaries(age: int, band: AgeBand) -> None:
    review_day = date(2026, 12, 1)
    born = date(review_day.year - age, 11, 30)
    assert age_band(born, review_day) is band


def test_band_is_decided_on_the_review_day_not_today() -> None:
    born = date(2018, 12, 10)
    assert age_band(born, date(2026, 12, 9)) is AgeBand.UNDER_8
    assert age_band(born, date(2026, 12, 10)) is AgeBand.AGE_8_TO_12
