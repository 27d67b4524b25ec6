"""Participation codes: DfE rules 440/441, suggestions for the IRO, and the rates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from portal.domain.figures import ReportingPeriod
from portal.domain.participation import (
    ATTENDED,
    DEFINITIONS,
    OUT_OF,
    PARTICIPATED,
    VIEWS_CONVEYED,
    ParticipationCode,
    ParticipationDefinition,
    ParticipationMeasure,
    Review,
    allowed_codes,
    code_allowed,
    codes_refused,
    participation_rate,
    pn_breakdown,
    reviews_without_code,
    suggest_code,
)

PN0, PN1, PN2, PN3, PN4, PN5, PN6, PN7 = ParticipationCode
YEAR_2018_19 = ReportingPeriod(date(2018, 4, 1), date(2019, 3, 31))


def test_eight_codes_each_with_its_meaning() -> None:
    assert [str(code) for code in ParticipationCode] == [f"PN{n}" for n in range(8)]
    assert "under 4" in PN0.meaning
    assert "spoke for themselves" in PN1.meaning
    assert "advocate spoke" in PN2.meaning
    assert "non-verbally" in PN3.meaning
    assert "did not speak or convey" in PN4.meaning
    assert "did not attend" in PN5.meaning and "advocate" in PN5.meaning
    assert "did not attend" in PN6.meaning and "another method" in PN6.meaning
    assert "views were not conveyed" in PN7.meaning


@pytest.mark.parametrize("age", [0, 1, 2, 3])
def test_under_4_has_pn0_and_nothing_else(age: int) -> None:
    # Rule 441: any code but PN0 is refused for a child under 4 on the day held.
    assert code_allowed(PN0, age_on_day_held_years=age)
    assert not any(code_allowed(code, age_on_day_held_years=age) for code in OUT_OF)
    assert allowed_codes(age_on_day_held_years=age) == (PN0,)


@pytest.mark.parametrize("age", [4, 5, 10, 17, 18, 21])
def test_4_or_over_never_has_pn0(age: int) -> None:
    # Rule 440: PN0 is refused for a child aged 4 or over on the day held.
    assert not code_allowed(PN0, age_on_day_held_years=age)
    assert all(code_allowed(code, age_on_day_held_years=age) for code in OUT_OF)
    assert allowed_codes(age_on_day_held_years=age) == (PN1, PN2, PN3, PN4, PN5, PN6, PN7)


def test_codes_as_stored_strings() -> None:
    assert code_allowed("PN6", age_on_day_held_years=12)
    assert not code_allowed("PN8", age_on_day_held_years=12)
    assert not code_allowed("pn6", age_on_day_held_years=12)


def test_a_negative_age_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="not born"):
        code_allowed(PN0, age_on_day_held_years=-1)
    with pytest.raises(ValueError, match="not born"):
        suggest_code(
            age_years=-1,
            attended=None,
            spoke_for_self=None,
            views_sent_through_portal=False,
            views_conveyed_by_advocate=False,
        )


def test_the_fourth_birthday_is_the_day_pn0_stops() -> None:
    born = date(2015, 6, 10)
    day_before = Review(1, born, date(2019, 6, 9), PN0)
    birthday = Review(1, born, date(2019, 6, 10), PN0)
    assert day_before.age_on_day_held == 3 and day_before.code_allowed
    assert birthday.age_on_day_held == 4 and birthday.code_allowed is False
    assert Review(1, born, date(2019, 6, 10)).code_allowed is None


def suggest(
    *,
    age: int = 12,
    attended: bool | None = None,
    spoke: bool | None = None,
    portal: bool = False,
    advocate: bool = False,
    non_verbally: bool | None = None,
    another_way: bool | None = None,
) -> ParticipationCode | None:
    return suggest_code(
        age_years=age,
        attended=attended,
        spoke_for_self=spoke,
        views_sent_through_portal=portal,
        views_conveyed_by_advocate=advocate,
        views_conveyed_non_verbally=non_verbally,
        views_conveyed_another_way=another_way,
    )


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        # Under 4: PN0 whatever else happened (rule 441).
        ({"age": 3, "attended": True, "spoke": True}, PN0),
        ({"age": 0}, PN0),
        # Came to the meeting.
        ({"attended": True, "spoke": True}, PN1),
        ({"attended": True, "spoke": True, "advocate": True}, PN1),
        ({"attended": True, "spoke": False, "advocate": True}, PN2),
        ({"attended": True, "spoke": False, "non_verbally": True}, PN3),
        ({"attended": True, "spoke": False, "non_verbally": False}, PN4),
        # Did not come.
        ({"attended": False, "advocate": True}, PN5),
        ({"attended": False, "advocate": True, "portal": True}, PN5),
        ({"attended": False, "portal": True}, PN6),
        ({"attended": False, "another_way": True}, PN6),
        ({"attended": False, "non_verbally": True}, PN6),
        ({"attended": False, "another_way": False}, PN7),
        # Not enough to go on: the IRO chooses.
        ({"portal": True}, None),  # did they come as well?
        ({"attended": True}, None),  # did they speak?
        ({"attended": True, "spoke": False}, None),  # without words, or not at all?
        ({"attended": True, "spoke": False, "non_verbally": False, "portal": True}, None),
        ({"attended": False}, None),  # views may have come by phone or through a carer
        ({"attended": False, "spoke": True}, None),  # contradicts itself
    ],
)
def test_suggestions(facts: dict[str, Any], code: ParticipationCode | None) -> None:
    assert suggest(**facts) is code


def test_the_portal_case() -> None:
    # The commonest case this portal makes: a consultation sent, no attendance.
    assert (
        suggest_code(
            age_years=15,
            attended=False,
            spoke_for_self=None,
            views_sent_through_portal=True,
            views_conveyed_by_advocate=False,
        )
        is PN6
    )


def test_definitions_an_authority_chooses_between() -> None:
    assert set(DEFINITIONS) == set(ParticipationMeasure)
    assert PARTICIPATED.counted == {PN1, PN2, PN3, PN4, PN5, PN6}
    assert VIEWS_CONVEYED.counted == {PN1, PN2, PN3, PN5, PN6}
    assert ATTENDED.counted == {PN1, PN2, PN3, PN4}
    for definition in DEFINITIONS.values():
        assert definition.counted < OUT_OF  # PN0 never counts; PN7 never does either
        assert "aged 4 or over" in definition.sentence
        assert "PN0" in definition.sentence
    assert PARTICIPATED.key == "participation.participated"


def child(child_id: int, code: ParticipationCode | None, held_on: date) -> Review:
    # Born so that PN0 is right for them and PN1 to PN7 are right for everyone else.
    born = date(2017, 1, 1) if code is PN0 else date(2005, 1, 1)
    return Review(child_id, born, held_on, code)


def mixed_year() -> list[Review]:
    codes = (
        [PN0] * 3 + [PN1] * 10 + [PN2] * 2 + [PN3] + [PN4] * 4 + [PN5] * 2 + [PN6] * 5 + [PN7] * 3
    )
    reviews = [child(n, code, date(2018, 10, 1)) for n, code in enumerate(codes)]
    reviews.append(child(99, None, date(2019, 3, 31)))  # held, not coded yet
    reviews.append(child(100, PN7, date(2019, 4, 1)))  # next year
    reviews.append(child(101, PN7, date(2018, 3, 31)))  # last year
    return reviews


@pytest.mark.parametrize(
    ("definition", "numerator", "shown"),
    [
        (PARTICIPATED, 24, "88.9%"),  # PN1-PN6
        (VIEWS_CONVEYED, 20, "74.1%"),  # PN1-PN3, PN5, PN6
        (ATTENDED, 17, "63.0%"),  # PN1-PN4
    ],
)
def test_participation_rate_leaves_out_pn0(
    definition: ParticipationDefinition, numerator: int, shown: str
) -> None:
    figure = participation_rate(mixed_year(), YEAR_2018_19, definition)
    # 30 coded reviews in the year, 3 of them PN0: out of 27.
    assert (figure.numerator, figure.denominator) == (numerator, 27)
    assert figure.display() == shown
    assert figure.definition == definition.sentence
    assert figure.key == definition.key
    assert figure.children == 27


def test_participation_is_the_usual_definition() -> None:
    assert participation_rate(mixed_year(), YEAR_2018_19).key == "participation.participated"


def test_pn_breakdown_and_what_is_missing() -> None:
    breakdown = pn_breakdown(mixed_year(), YEAR_2018_19)
    assert list(breakdown) == list(ParticipationCode)
    assert breakdown == {PN0: 3, PN1: 10, PN2: 2, PN3: 1, PN4: 4, PN5: 2, PN6: 5, PN7: 3}
    assert reviews_without_code(mixed_year(), YEAR_2018_19) == 1


def test_a_year_with_no_reviews_has_no_percentage() -> None:
    figure = participation_rate(mixed_year(), ReportingPeriod(date(2020, 4, 1), date(2021, 3, 31)))
    assert (figure.numerator, figure.denominator) == (0, 0)
    assert figure.percentage is None
    assert figure.display() is None
    assert figure.suppressed()


def test_only_under_4s_has_no_percentage() -> None:
    reviews = [child(n, PN0, date(2018, 10, 1)) for n in range(6)]
    assert participation_rate(reviews, YEAR_2018_19).percentage is None


def test_a_few_children_with_many_reviews_are_suppressed() -> None:
    # Three children with two reviews each: six reviews, but a group of three.
    reviews = [child(n % 3, PN1, date(2018, 5 + n, 1)) for n in range(6)]
    figure = participation_rate(reviews, YEAR_2018_19)
    assert (figure.numerator, figure.denominator, figure.children) == (6, 6, 3)
    assert figure.suppressed()


def test_codes_dfe_validation_would_refuse() -> None:
    five_year_old = Review(1, date(2013, 5, 1), date(2018, 6, 1), PN0)  # rule 440
    three_year_old = Review(2, date(2015, 5, 1), date(2018, 6, 1), PN6)  # rule 441
    fine = Review(3, date(2005, 5, 1), date(2018, 6, 1), PN6)
    uncoded = Review(4, date(2005, 5, 1), date(2018, 6, 1))
    reviews = [five_year_old, three_year_old, fine, uncoded]
    assert codes_refused(reviews, YEAR_2018_19) == [five_year_old, three_year_old]
