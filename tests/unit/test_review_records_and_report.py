"""Pure rules for issue 12: the suggestion from what the IRO recorded, DfE rules 440 and
441 as reasons, the report's age bands and deadlines, and "not recorded" kept apart."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import report
from portal.domain.participation import PN0, PN1, PN2, PN5, PN6, PN7, ParticipationMeasure
from portal.domain.review_records import (
    AdvocateRole,
    Extent,
    ReviewFacts,
    code_on_recording,
    codes_for,
    refused_code_reason,
    suggestion,
)
from portal.domain.timescales import WorkingCalendar

HELD = date(2019, 1, 15)
TEN = date(2008, 6, 1)


def _facts(**overrides: object) -> ReviewFacts:
    values: dict[str, object] = {
        "held_on": HELD,
        "child_attended": Extent.NONE,
        "child_spoke": False,
        "views_without_words": False,
        "advocate": AdvocateRole.NONE,
        "views_another_way": False,
    }
    values.update(overrides)
    return ReviewFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "portal", "expected"),
    [
        (_facts(), True, PN6),  # views through the portal, did not come
        (_facts(), False, PN7),
        (_facts(views_another_way=None), False, None),  # not known: the IRO judges
        (_facts(advocate=AdvocateRole.SPOKE), True, PN5),
        (_facts(child_attended=Extent.PART, child_spoke=True), True, PN1),
        (_facts(child_attended=Extent.ALL, advocate=AdvocateRole.SPOKE), False, PN2),
        (_facts(child_attended=Extent.ALL, child_spoke=None), False, None),
    ],
)
def test_the_suggestion_follows_the_facts(facts, portal, expected) -> None:
    assert suggestion(facts, date_of_birth=TEN, views_sent_through_portal=portal) == expected


def test_under_4_on_the_day_is_pn0_and_only_pn0() -> None:
    three = date(2015, 6, 1)
    assert code_on_recording(_facts(), date_of_birth=three) is PN0
    assert codes_for(three, HELD) == (PN0,)
    assert refused_code_reason("PN1", date_of_birth=three, held_on=HELD) == "441"
    assert refused_code_reason("PN0", date_of_birth=TEN, held_on=HELD) == "440"
    assert refused_code_reason("PN9", date_of_birth=TEN, held_on=HELD) == "unknown"
    assert refused_code_reason("PN1", date_of_birth=TEN, held_on=HELD) is None
    birthday = date(2015, 1, 15)  # 4 on the day held
    assert code_on_recording(_facts(), date_of_birth=birthday) is None
    assert PN0 not in codes_for(birthday, HELD)


def test_age_bands_are_date_of_birth_ranges_on_the_last_day() -> None:
    end = date(2019, 3, 31)
    assert report.born_between(report.ReportAgeBand.UNDER_5, end) == (date(2014, 3, 31), end)
    assert report.born_between(report.ReportAgeBand.AGE_16_AND_OVER, end) == (
        None,
        date(2003, 3, 31),
    )


def test_letter_and_plan_deadlines_are_counted_in_working_days() -> None:
    calendar = WorkingCalendar(bank_holidays=frozenset({date(2019, 4, 19), date(2019, 4, 22)}))
    # Held on Thursday 18 April 2019, before Easter: Good Friday and Easter Monday skipped.
    found = report.deadlines_for([date(2019, 4, 18)], calendar, after=5, before=3)
    assert found[date(2019, 4, 18)] == (date(2019, 4, 29), date(2019, 4, 15))


def test_empty_counts_make_figures_with_nothing_to_count_not_errors() -> None:
    counts = report.Counts()
    sections = dict(report.sections(counts, counts, ParticipationMeasure.PARTICIPATED))
    rate = next(line for line in sections["reviews"] if line.key == "participation.participated")
    assert rate.current is not None and rate.current.display() is None
    assert all(line.current is None for line in sections["letters"])  # not recorded
    assert report.not_coded(report.Counts(codes={"": 3, "PN1": 2})) == 3
    assert PN7.value in {c.value for c in codes_for(TEN, HELD)} and PN1 in codes_for(TEN, HELD)
