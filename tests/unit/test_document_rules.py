"""Rules for plans and letters: starting headings, who reads, deadlines, the glossary."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.domain import documents as rules
from portal.domain.documents import Readers, Timeliness
from portal.domain.timescales import WorkingCalendar

CALENDAR = WorkingCalendar()


def test_new_documents_start_with_the_headings_children_asked_for() -> None:
    assert rules.starting_text(("Home", "School")) == "## Home\n\n\n## School\n"
    assert rules.plan_headings(is_care_leaver=True) == rules.PATHWAY_PLAN_HEADINGS
    assert "Money" in rules.PATHWAY_PLAN_HEADINGS and "Family time" in rules.PLAN_HEADINGS


@pytest.mark.parametrize(
    ("role", "readers", "may"),
    [
        ("child", Readers(), True),
        ("parent", Readers(), False),
        ("parent", Readers(parents=True), True),
        ("carer", Readers(parents=True), False),
        ("carer", Readers(carers=True), True),
        ("professional", Readers(parents=True, carers=True), False),
    ],
)
def test_who_may_read_a_published_document(role: str, readers: Readers, may: bool) -> None:
    assert rules.may_read_document(role, readers) is may


@pytest.mark.parametrize(
    ("role", "audience", "may"),
    [
        ("child", "iro", True),
        ("parent", "iro", False),
        ("parent", "iro_social_worker", False),
        ("carer", "meeting", True),
        ("parent", "something-new", False),
    ],
)
def test_the_childs_tied_words_follow_their_audience(role: str, audience: str, may: bool) -> None:
    assert rules.may_see_tied_answer(role, audience) is may


def test_the_letter_is_due_20_working_days_after_the_meeting() -> None:
    # Held Monday 2 November 2026: 20 working days later is Monday 30 November.
    assert rules.letter_due_on(date(2026, 11, 2), 20, CALENDAR) == date(2026, 11, 30)


def test_the_plan_is_shared_3_working_days_before_skipping_the_weekend() -> None:
    # A review on Wednesday 9 December 2026: shared by Friday 4 December.
    assert rules.plan_share_by(date(2026, 12, 9), 3, CALENDAR) == date(2026, 12, 4)


def test_timeliness_of_a_document() -> None:
    due = date(2026, 11, 30)
    assert rules.timeliness(None, None, date(2026, 12, 1)) == Timeliness.NOT_DUE
    assert rules.timeliness(due, None, date(2026, 11, 30)) == Timeliness.WAITING
    assert rules.timeliness(due, None, date(2026, 12, 1)) == Timeliness.LATE
    on_the_day = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # still 30 November in London
    assert rules.timeliness(due, on_the_day, date(2026, 12, 5)) == Timeliness.ON_TIME
    late = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert rules.timeliness(due, late, date(2026, 12, 5)) == Timeliness.PUBLISHED_LATE


def test_an_authoritys_glossary_is_read_line_by_line() -> None:
    text = "placement = your home\nnot a rule\n LAC review =  your review \nrespite =\n = x"
    assert rules.parse_glossary(text) == {
        "placement": "your home",
        "LAC review": "your review",
        "respite": "",
    }
    assert rules.parse_glossary(rules.glossary_text({"a": "b"})) == {"a": "b"}
