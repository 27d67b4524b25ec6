"""Rules for the child's plan and the IRO's letter: what a new one starts with, who may
read it, when it is due, and the authority's own words for the glossary.

Deadlines (domain notes): the outcomes of a review reach the child within 5 working days
of the meeting and the full record (the IRO's letter) within 20; the plan is shared at
least 3 working days before the review. Each authority may set its own; these are the
defaults. A letter's first version may be the outcomes only; the version published as
the full record meets the 20-day timescale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from portal.domain.audiences import Reader, may_read
from portal.domain.roles import InviteeRole
from portal.domain.timescales import WorkingCalendar, today_in_england

LETTER_DUE_WORKING_DAYS = 20
OUTCOMES_DUE_WORKING_DAYS = 5
PLAN_SHARED_WORKING_DAYS = 3
# An answer's words, quoted in a letter, and a decision beside it: long enough for what
# a child writes in a box, short enough to read on a phone.
MOST_DECISION_CHARACTERS = 2_000

# What a new document starts with: the headings children said they want, in the
# words of the domain notes. Staff write under each; empty ones can be deleted.
PLAN_HEADINGS = (
    "Where I live",
    "School",
    "Health",
    "Family time",
    "Who helps me",
    "What happens next",
)
PATHWAY_PLAN_HEADINGS = (
    "Home",
    "Money",
    "Education and work",
    "Health",
    "My personal adviser",
    "What I am entitled to",
)
LETTER_HEADINGS = (
    "What we talked about",
    "What was decided",
    "Who will do what, and by when",
    "What happens next",
    "How to reach me",
)


class Timeliness(StrEnum):
    NOT_DUE = "not_due"  # no deadline yet (the review has not been held)
    WAITING = "waiting"  # not published, still in time
    LATE = "late"  # not published, past the deadline
    ON_TIME = "on_time"
    PUBLISHED_LATE = "published_late"


def starting_text(headings: tuple[str, ...]) -> str:
    """A new document's text in the editor's marks: one heading a section."""
    return "\n\n".join(f"## {heading}\n" for heading in headings)


def plan_headings(is_care_leaver: bool) -> tuple[str, ...]:
    return PATHWAY_PLAN_HEADINGS if is_care_leaver else PLAN_HEADINGS


def letter_due_on(held_on: date, working_days: int, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(held_on, working_days)


def plan_share_by(review_on: date, working_days: int, calendar: WorkingCalendar) -> date:
    """The last day the plan can be shared and still be that many working days early."""
    day = review_on
    counted = 0
    while counted < working_days:
        day = date.fromordinal(day.toordinal() - 1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def timeliness(due_on: date | None, published_at: datetime | None, today: date) -> Timeliness:
    if published_at is not None:
        published_on = today_in_england(published_at)
        if due_on is None or published_on <= due_on:
            return Timeliness.ON_TIME
        return Timeliness.PUBLISHED_LATE
    if due_on is None:
        return Timeliness.NOT_DUE
    return Timeliness.LATE if today > due_on else Timeliness.WAITING


@dataclass(frozen=True)
class Readers:
    """Who a published document is for besides the child, who always reads their own."""

    parents: bool = False
    carers: bool = False


def may_read_document(role: str, readers: Readers) -> bool:
    if role == InviteeRole.CHILD:
        return True
    if role == InviteeRole.PARENT:
        return readers.parents
    if role == InviteeRole.CARER:
        return readers.carers
    return False  # professionals read the review record through the authority


def may_see_tied_answer(role: str, audience: str) -> bool:
    """In "you said, we did", the child's own words: always for the child, and for
    anyone else only when the child said everyone at the meeting may read them."""
    if role == InviteeRole.CHILD:
        return True
    return may_read(Reader.MEETING, audience)


def parse_glossary(text: str) -> dict[str, str]:
    """An authority's extra words, one ``term = what to say instead`` a line.

    Lines without "=" are ignored; an empty right-hand side removes a default term
    (portal.domain.plain_language merges it over the default glossary)."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        term, sep, instead = line.partition("=")
        if sep and term.strip():
            found[term.strip()[:80]] = instead.strip()[:200]
    return found


def glossary_text(glossary: Mapping[str, str]) -> str:
    return "\n".join(f"{term} = {instead}" for term, instead in glossary.items())
