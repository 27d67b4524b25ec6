"""How a child took part in their review (the SSDA903 "PN" codes) and the rates built on them.

Each review held gets one participation code, confirmed by the IRO because it
describes what happened. The portal can suggest one from what it knows (a child who
sent their views through it and did not come to the meeting is PN6), but a
suggestion is only that.

The DfE's validation rules 440 and 441 tie PN0 to age: PN0 is exactly "under 4 on
the day the review was held", so a child under 4 has PN0 and nothing else, and a
child of 4 or over never has PN0.

An IRO annual report gives participation as a share of the reviews of children aged
4 or over (PN1 to PN7; PN0 is left out of both counts). Services differ in what
counts as taking part, so an authority chooses among ``DEFINITIONS``, and each figure
carries the sentence that says which one it used.

Plain Python, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.domain.age_bands import age_on
from portal.domain.figures import Figure, ReportingPeriod


class ParticipationCode(StrEnum):
    PN0 = "PN0"
    PN1 = "PN1"
    PN2 = "PN2"
    PN3 = "PN3"
    PN4 = "PN4"
    PN5 = "PN5"
    PN6 = "PN6"
    PN7 = "PN7"

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


PN0, PN1, PN2, PN3, PN4, PN5, PN6, PN7 = ParticipationCode

# What each code means (SSDA903, as worded in the domain notes), for staff choosing a code.
MEANINGS: dict[ParticipationCode, str] = {
    PN0: "Child under 4 at the time of the review",
    PN1: "Child physically attended and spoke for themselves",
    PN2: "Child physically attended and an advocate spoke on their behalf",
    PN3: "Child physically attended and conveyed their views symbolically (non-verbally)",
    PN4: "Child physically attended but did not speak or convey their views",
    PN5: "Child did not attend but briefed an advocate to speak for them",
    PN6: "Child did not attend but conveyed their views by another method "
    "(for example a consultation form)",
    PN7: "Child did not attend and their views were not conveyed",
}

# On the day the review is held, a child younger than this has PN0 (rules 440 and 441).
PN0_UNDER_AGE = 4


def code_allowed(code: ParticipationCode | str, *, age_on_day_held_years: int) -> bool:
    """Whether DfE validation accepts ``code`` for a child of this age on the day held.

    Rule 440 refuses PN0 for a child aged 4 or over; rule 441 refuses any other code
    for a child under 4. A string that is no PN code at all is refused too. Work the
    age out with ``age_bands.age_on(date_of_birth, day_held)``.
    """
    if age_on_day_held_years < 0:
        raise ValueError("the child was not born yet on that day")
    try:
        code = ParticipationCode(code)
    except ValueError:
        return False
    return (code is PN0) == (age_on_day_held_years < PN0_UNDER_AGE)


def allowed_codes(*, age_on_day_held_years: int) -> tuple[ParticipationCode, ...]:
    """The codes an IRO may choose from for a child of this age (PN0 alone, or PN1 to PN7)."""
    return tuple(
        code
        for code in ParticipationCode
        if code_allowed(code, age_on_day_held_years=age_on_day_held_years)
    )


def suggest_code(
    *,
    age_years: int,
    attended: bool | None,
    spoke_for_self: bool | None,
    views_sent_through_portal: bool,
    views_conveyed_by_advocate: bool,
    views_conveyed_non_verbally: bool | None = None,
    views_conveyed_another_way: bool | None = None,
) -> ParticipationCode | None:
    """The code the facts point to, for the IRO to confirm; None when they are not enough.

    ``age_years`` is the child's age on the day held. ``attended`` means came to the
    meeting (all of it or part); ``spoke_for_self`` and ``views_conveyed_non_verbally``
    are about the meeting itself; ``views_conveyed_by_advocate`` means an advocate
    spoke for the child; ``views_sent_through_portal`` means the child sent their
    consultation through this portal for this review; ``views_conveyed_another_way``
    covers everything else (a paper form, a phone call or visit with the IRO, a video).
    None means "not known". The rules, in order:

    1. Under 4 -> PN0 ("child under 4 at the time of the review"), whatever else
       happened: rule 441 allows no other code.
    2. Not known whether they came -> None: every other code turns on it.

    Came to the meeting:

    3. Spoke for themselves -> PN1 ("attended and spoke for themselves"), even if an
       advocate spoke too: the child's own voice is what PN1 records.
    4. Not known whether they spoke -> None (PN1 or one of PN2 to PN4).
    5. An advocate spoke for them -> PN2 ("attended; an advocate spoke on their behalf").
    6. Conveyed their views without words -> PN3 ("attended; conveyed views
       symbolically"); not known -> None (PN3 or PN4).
    7. Their views came by the portal or another way, though they said nothing at the
       meeting -> None: no code describes it (PN4 says no views were conveyed, PN6
       that the child did not come), so the IRO judges.
    8. Otherwise -> PN4 ("attended but did not speak or convey views").

    Did not come:

    9. Said to have spoken for themselves at the meeting -> None: the facts contradict
       each other.
    10. An advocate spoke for them -> PN5 ("did not attend; briefed an advocate"),
        even if they sent views too: the advocate at the meeting is the closer voice.
    11. Views sent through the portal, or conveyed any other way (non-verbally to the
        IRO included) -> PN6 ("did not attend; conveyed views by another method").
    12. Not known whether views came another way -> None: they may have reached the
        IRO by phone, on a visit or through a carer, and PN7 would then be wrong.
    13. Otherwise -> PN7 ("did not attend and views were not conveyed").
    """
    if age_years < 0:
        raise ValueError("the child was not born yet on that day")
    if age_years < PN0_UNDER_AGE:
        return PN0
    if attended is None:
        return None
    if attended:
        if spoke_for_self:
            return PN1
        if spoke_for_self is None:
            return None
        if views_conveyed_by_advocate:
            return PN2
        if views_conveyed_non_verbally:
            return PN3
        if views_conveyed_non_verbally is None:
            return None
        if views_sent_through_portal or views_conveyed_another_way:
            return None
        return PN4
    if spoke_for_self:
        return None
    if views_conveyed_by_advocate:
        return PN5
    if views_sent_through_portal or views_conveyed_another_way or views_conveyed_non_verbally:
        return PN6
    if views_conveyed_another_way is None:
        return None
    return PN7


class ParticipationMeasure(StrEnum):
    PARTICIPATED = "participated"
    VIEWS_CONVEYED = "views_conveyed"
    ATTENDED = "attended"


@dataclass(frozen=True)
class ParticipationDefinition:
    """One way of counting taking part: which codes count, out of PN1 to PN7.

    ``sentence`` says it in plain English, to print next to the figure.
    """

    measure: ParticipationMeasure
    counted: frozenset[ParticipationCode]
    sentence: str

    @property
    def key(self) -> str:
        return f"participation.{self.measure}"


# Every rate is out of the reviews of children aged 4 or over: PN0 is left out of both
# counts, because a child under 4 is not expected to take part in the same way.
OUT_OF = frozenset({PN1, PN2, PN3, PN4, PN5, PN6, PN7})

# The sentences are not marked for translation here (the domain imports no Babel); a
# page that shows one in another language maps the measure to its own translated text.
DEFINITIONS: dict[ParticipationMeasure, ParticipationDefinition] = {
    # The usual annual-report convention (Kent 95.3%, Cheshire East 97-100%).
    ParticipationMeasure.PARTICIPATED: ParticipationDefinition(
        ParticipationMeasure.PARTICIPATED,
        frozenset({PN1, PN2, PN3, PN4, PN5, PN6}),
        "Reviews where the child took part, by coming to the meeting or by having "
        "their views given another way (by an advocate, a consultation form or "
        "otherwise), out of all reviews of children aged 4 or over: codes PN1 to PN6 "
        "out of PN1 to PN7. Reviews of children under 4 (PN0) are left out.",
    ),
    # Stricter: a child who came but whose views were not heard (PN4) does not count.
    ParticipationMeasure.VIEWS_CONVEYED: ParticipationDefinition(
        ParticipationMeasure.VIEWS_CONVEYED,
        frozenset({PN1, PN2, PN3, PN5, PN6}),
        "Reviews where the child's views were heard, whether they said them at the "
        "meeting, showed them without words, or gave them through an advocate, a "
        "consultation form or another way, out of all reviews of children aged 4 or "
        "over: codes PN1, PN2, PN3, PN5 and PN6 out of PN1 to PN7. A child who came "
        "but gave no views (PN4) is not counted. Reviews of children under 4 (PN0) "
        "are left out.",
    ),
    # Attendance (Cheshire East 50-65% against a 75% target).
    ParticipationMeasure.ATTENDED: ParticipationDefinition(
        ParticipationMeasure.ATTENDED,
        frozenset({PN1, PN2, PN3, PN4}),
        "Reviews the child came to, out of all reviews of children aged 4 or over: "
        "codes PN1 to PN4 out of PN1 to PN7. Reviews of children under 4 (PN0) are "
        "left out.",
    ),
}

PARTICIPATED = DEFINITIONS[ParticipationMeasure.PARTICIPATED]
VIEWS_CONVEYED = DEFINITIONS[ParticipationMeasure.VIEWS_CONVEYED]
ATTENDED = DEFINITIONS[ParticipationMeasure.ATTENDED]


@dataclass(frozen=True)
class Review:
    """A review held, as the participation figures see it.

    ``participation`` is None until the IRO records the code.
    """

    child_id: int
    child_born_on: date
    held_on: date
    participation: ParticipationCode | None = None

    @property
    def age_on_day_held(self) -> int:
        return age_on(self.child_born_on, self.held_on)

    @property
    def code_allowed(self) -> bool | None:
        """Whether the recorded code passes rules 440 and 441; None if none recorded."""
        if self.participation is None:
            return None
        return code_allowed(self.participation, age_on_day_held_years=self.age_on_day_held)


def _held_in(reviews: Iterable[Review], period: ReportingPeriod) -> list[Review]:
    return [review for review in reviews if review.held_on in period]


def participation_rate(
    reviews: Iterable[Review],
    period: ReportingPeriod,
    definition: ParticipationDefinition = PARTICIPATED,
) -> Figure:
    """Reviews held in ``period`` counted by ``definition``, out of those coded PN1 to PN7.

    Reviews without a code yet are in neither count (``reviews_without_code`` says how
    many, so the report can say the figure is incomplete). The figure's ``children``
    is how many children the reviews in the denominator were about, for suppression.
    """
    coded = [r for r in _held_in(reviews, period) if r.participation in OUT_OF]
    return Figure(
        key=definition.key,
        numerator=sum(1 for r in coded if r.participation in definition.counted),
        denominator=len(coded),
        definition=definition.sentence,
        children=len({r.child_id for r in coded}),
    )


def pn_breakdown(
    reviews: Iterable[Review], period: ReportingPeriod
) -> dict[ParticipationCode, int]:
    """How many reviews held in ``period`` have each code, PN0 to PN7, zeros included."""
    counts = dict.fromkeys(ParticipationCode, 0)
    for review in _held_in(reviews, period):
        if review.participation is not None:
            counts[review.participation] += 1
    return counts


def reviews_without_code(reviews: Iterable[Review], period: ReportingPeriod) -> int:
    """Reviews held in ``period`` whose code the IRO has not recorded yet."""
    return sum(1 for review in _held_in(reviews, period) if review.participation is None)


def codes_refused(reviews: Iterable[Review], period: ReportingPeriod) -> list[Review]:
    """Reviews held in ``period`` whose code DfE validation (rules 440, 441) would refuse.

    A PN0 recorded for a child of 4 or over drops that review from the denominator
    without anyone noticing; the report should not be published until these are fixed.
    """
    return [review for review in _held_in(reviews, period) if review.code_allowed is False]
