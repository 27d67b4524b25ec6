"""What the IRO records about a review once it is held, and the PN code it points to.

The IRO records the facts (who came, whether the child came and chaired, spoke, had an
advocate or an interpreter, and whether their views reached the IRO another way); the
portal adds one fact of its own (the child sent their views through it for this review)
and suggests a participation code from them (``participation.suggest_code``). The IRO
then confirms a code, because the code describes what happened and they were there.

A child under 4 on the day held has PN0 and nothing else (DfE rules 440 and 441), so
for them the code is set with the facts and there is nothing to confirm.

Plain Python, no Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain.age_bands import age_on
from portal.domain.participation import (
    PN0,
    PN0_UNDER_AGE,
    ParticipationCode,
    allowed_codes,
    suggest_code,
)


class Attendee(StrEnum):
    """Who came to the meeting besides the child and the IRO (an advocate and an
    interpreter are recorded on their own)."""

    PARENT = "parent"
    CARER = "carer"
    SOCIAL_WORKER = "social_worker"
    HEALTH = "health"
    EDUCATION = "education"
    OTHER = "other"


class Extent(StrEnum):
    """How much of the meeting the child came to, or chaired."""

    ALL = "all"
    PART = "part"
    NONE = "none"


class AdvocateRole(StrEnum):
    NONE = "none"  # no advocate
    PRESENT = "present"  # an advocate was there with the child, who spoke for themselves
    SPOKE = "spoke"  # an advocate spoke for the child


@dataclass(frozen=True)
class ReviewFacts:
    """What the IRO recorded, as the suggestion needs it. None is "not known"."""

    held_on: date
    child_attended: Extent
    child_spoke: bool | None
    views_without_words: bool | None
    advocate: AdvocateRole
    views_another_way: bool | None


def under_four_on(date_of_birth: date, held_on: date) -> bool:
    """Whether the child was under 4 on the day held, so the review's code is PN0."""
    return age_on(date_of_birth, held_on) < PN0_UNDER_AGE


def codes_for(date_of_birth: date, held_on: date) -> tuple[ParticipationCode, ...]:
    """The codes the IRO may confirm: PN0 alone for a child under 4, else PN1 to PN7."""
    return allowed_codes(age_on_day_held_years=age_on(date_of_birth, held_on))


def suggestion(
    facts: ReviewFacts, *, date_of_birth: date, views_sent_through_portal: bool
) -> ParticipationCode | None:
    """The code the facts point to, for the IRO to confirm; None when they do not decide.

    A child who did not come to the meeting and sent their views through the portal is
    PN6; one who came is judged on what happened in the room (see ``suggest_code``).
    """
    attended = facts.child_attended is not Extent.NONE
    return suggest_code(
        age_years=age_on(date_of_birth, facts.held_on),
        attended=attended,
        # Not there, so they did not speak at the meeting: known, not "not known".
        spoke_for_self=facts.child_spoke if attended else False,
        views_sent_through_portal=views_sent_through_portal,
        views_conveyed_by_advocate=facts.advocate is AdvocateRole.SPOKE,
        views_conveyed_non_verbally=facts.views_without_words if attended else False,
        views_conveyed_another_way=facts.views_another_way,
    )


def code_on_recording(facts: ReviewFacts, *, date_of_birth: date) -> ParticipationCode | None:
    """The code set as soon as the facts are recorded: PN0 for a child under 4, else
    None (the IRO confirms one of PN1 to PN7 on the next page)."""
    return PN0 if under_four_on(date_of_birth, facts.held_on) else None


def refused_code_reason(code: str, *, date_of_birth: date, held_on: date) -> str | None:
    """Why DfE validation would refuse ``code`` for this child on this day, as a rule
    number ("440": PN0 for a child of 4 or over; "441": another code for a child under
    4; "unknown": no PN code at all); None if it is allowed."""
    try:
        chosen = ParticipationCode(code)
    except ValueError:
        return "unknown"
    if chosen in codes_for(date_of_birth, held_on):
        return None
    return "440" if chosen is PN0 else "441"
