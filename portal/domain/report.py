"""The participation section of an IRO annual report: which figures, from which counts.

The database counts (portal.data.figures); this module turns the counts for a period
into ``Figure``s with their definitions, in the order the report prints them, and
works out the bands a report is filtered by. A figure whose facts are not stored is
``None`` ("not recorded"), never a made-up zero.

Plain Python, no Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from portal.domain import feedback
from portal.domain.figures import Figure
from portal.domain.participation import (
    DEFINITIONS,
    OUT_OF,
    ParticipationMeasure,
)
from portal.domain.timescales import WorkingCalendar, add_months


class ReportAgeBand(StrEnum):
    """The DfE's age bands for children looked after, by age on the period's last day
    (SSDA903 counts ages at 31 March, the end of the financial year)."""

    UNDER_5 = "under_5"
    AGE_5_TO_9 = "5_to_9"
    AGE_10_TO_15 = "10_to_15"
    AGE_16_AND_OVER = "16_and_over"


BAND_AGES: dict[ReportAgeBand, tuple[int, int | None]] = {
    ReportAgeBand.UNDER_5: (0, 4),
    ReportAgeBand.AGE_5_TO_9: (5, 9),
    ReportAgeBand.AGE_10_TO_15: (10, 15),
    ReportAgeBand.AGE_16_AND_OVER: (16, None),
}


def born_between(band: ReportAgeBand, on: date) -> tuple[date | None, date]:
    """Dates of birth (after the first, up to and including the second) of children in
    ``band`` on ``on``: a range the database can use an index for."""
    youngest, oldest = BAND_AGES[band]
    latest = add_months(on, -12 * youngest)
    earliest = None if oldest is None else add_months(on, -12 * (oldest + 1))
    return earliest, latest


# The groups consultation returns are reported in (Cheshire East: young person, health,
# education, parents, carers, other): an invitation's role, and a professional's kind.
ROLE_GROUPS: tuple[tuple[str, str | None], ...] = (
    ("child", None),
    ("parent", None),
    ("carer", None),
    ("professional", "health"),
    ("professional", "education"),
    ("professional", "other"),
)


def role_group_key(role: str, kind: str | None) -> str:
    return f"{role}.{kind}" if role == "professional" else role


# What children said in their consultations: question key, and the answers that count.
CHILDREN_SAID: tuple[tuple[str, frozenset[str]], ...] = (
    ("feel_listened_to", frozenset({"yes"})),
    ("see_social_worker_enough", frozenset({"enough"})),
    ("know_how_to_complain", frozenset({"yes"})),
    ("know_children_in_care_council", frozenset({"yes"})),
)

# The feedback form's yes-or-no questions, each a figure in the report.
FEEDBACK_QUESTIONS = feedback.QUESTIONS
FACES = ("great", "good", "okay", "not_good")


@dataclass
class Counts:
    """Everything the database counted for one period (see portal.data.figures)."""

    reviews_held: int = 0
    children: int = 0
    in_timescale: int = 0
    timescale_recorded: int = 0
    chaired: int = 0
    chairing_recorded: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # "PN0".."PN7", and "" for none
    # role group -> invited, opened, submitted, on time
    consultations: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    # question key -> (counted answers, all answers)
    children_said: dict[str, tuple[int, int]] = field(default_factory=dict)
    feedback_faces: dict[str, int] = field(default_factory=dict)
    feedback_responses: int = 0
    feedback_yes: dict[str, tuple[int, int]] = field(default_factory=dict)
    # None: the portal holds no letters / plans at all, so "not recorded".
    letters: tuple[int, int, int] | None = None  # published, in timescale, opened
    plans_shared: int | None = None


@dataclass(frozen=True)
class Line:
    """One row of a report table: a figure this period and the one before, or None."""

    key: str
    current: Figure | None
    previous: Figure | None


def _figure(key: str, numerator: int, denominator: int, definition: str) -> Figure:
    return Figure(key=key, numerator=numerator, denominator=denominator, definition=definition)


def _coded(counts: Counts) -> int:
    return sum(counts.codes.get(code.value, 0) for code in OUT_OF)


def review_figures(counts: Counts, measure: ParticipationMeasure) -> dict[str, Figure]:
    """Reviews held in timescale, the participation and attendance rates, chairing."""
    definition = DEFINITIONS[measure]
    attended = DEFINITIONS[ParticipationMeasure.ATTENDED]
    coded = _coded(counts)
    return {
        "reviews.in_timescale": _figure(
            "reviews.in_timescale",
            counts.in_timescale,
            counts.timescale_recorded,
            "Reviews held by their statutory date, out of reviews held whose timescale "
            "was recorded.",
        ),
        definition.key: Figure(
            key=definition.key,
            numerator=sum(counts.codes.get(c.value, 0) for c in definition.counted),
            denominator=coded,
            definition=definition.sentence,
            children=counts.children,
        ),
        attended.key: Figure(
            key=attended.key,
            numerator=sum(counts.codes.get(c.value, 0) for c in attended.counted),
            denominator=coded,
            definition=attended.sentence,
            children=counts.children,
        ),
        "reviews.chaired": _figure(
            "reviews.chaired",
            counts.chaired,
            counts.chairing_recorded,
            "Reviews the child chaired, all or part, out of reviews held whose record "
            "says whether they did.",
        ),
    }


def code_figures(counts: Counts) -> dict[str, Figure]:
    """Each PN code's share of the reviews coded: PN0 out of all coded, PN1 to PN7 out
    of PN1 to PN7 (PN0 is left out of rates)."""
    coded = _coded(counts)
    all_coded = coded + counts.codes.get("PN0", 0)
    found = {
        "codes.PN0": _figure(
            "codes.PN0",
            counts.codes.get("PN0", 0),
            all_coded,
            "Reviews of children under 4 (PN0), out of all reviews with a code.",
        )
    }
    for code in sorted(OUT_OF):
        key = f"codes.{code.value}"
        found[key] = _figure(
            key,
            counts.codes.get(code.value, 0),
            coded,
            f"Reviews coded {code.value}, out of reviews coded PN1 to PN7.",
        )
    return found


def not_coded(counts: Counts) -> int:
    """Reviews held with no code recorded yet: shown as "not recorded", never as a code."""
    return counts.codes.get("", 0)


def consultation_figures(counts: Counts) -> dict[str, Figure]:
    found = {}
    for role, kind in ROLE_GROUPS:
        group = role_group_key(role, kind)
        invited, opened, submitted, on_time = counts.consultations.get(group, (0, 0, 0, 0))
        found[f"consultations.{group}.opened"] = _figure(
            f"consultations.{group}.opened",
            opened,
            invited,
            "Invitations opened, out of invitations sent for reviews held.",
        )
        found[f"consultations.{group}.submitted"] = _figure(
            f"consultations.{group}.submitted",
            submitted,
            invited,
            "Consultations sent back, out of invitations sent for reviews held.",
        )
        found[f"consultations.{group}.on_time"] = _figure(
            f"consultations.{group}.on_time",
            on_time,
            submitted,
            "Consultations sent back by their due day, out of those sent back.",
        )
    return found


def children_said_figures(counts: Counts) -> dict[str, Figure]:
    found = {}
    for key, _counted in CHILDREN_SAID:
        yes, answered = counts.children_said.get(key, (0, 0))
        found[f"said.{key}"] = _figure(
            f"said.{key}",
            yes,
            answered,
            "Children who answered yes, out of children who answered the question in a "
            "consultation sent for a review held.",
        )
    return found


def feedback_figures(counts: Counts) -> dict[str, Figure]:
    found = {}
    answered_faces = sum(counts.feedback_faces.values())
    for face in FACES:
        found[f"feedback.{face}"] = _figure(
            f"feedback.{face}",
            counts.feedback_faces.get(face, 0),
            answered_faces,
            "Feedback giving this answer to how the review was, out of those who answered.",
        )
    for question in FEEDBACK_QUESTIONS:
        yes, answered = counts.feedback_yes.get(question, (0, 0))
        found[f"feedback.{question}"] = _figure(
            f"feedback.{question}",
            yes,
            answered,
            "Feedback answering yes, out of those who answered the question.",
        )
    return found


def letter_figures(counts: Counts) -> dict[str, Figure] | None:
    """None when the portal holds no letters or plans yet: "not recorded"."""
    if counts.letters is None:
        return None
    published, in_timescale, opened = counts.letters
    found = {
        "letters.published": _figure(
            "letters.published",
            published,
            counts.reviews_held,
            "Reviews held whose letter to the child was published, out of reviews held.",
        ),
        "letters.in_timescale": _figure(
            "letters.in_timescale",
            in_timescale,
            counts.reviews_held,
            "Reviews held whose letter was published within the authority's timescale, "
            "out of reviews held.",
        ),
        "letters.opened": _figure(
            "letters.opened",
            opened,
            published,
            "Letters published that the child opened, out of letters published.",
        ),
    }
    if counts.plans_shared is not None:
        found["plans.shared"] = _figure(
            "plans.shared",
            counts.plans_shared,
            counts.reviews_held,
            "Reviews held with the child's plan published by the authority's working days "
            "before the day held, out of reviews held.",
        )
    return found


def deadlines_for(
    days: Mapping[date, None] | list[date],
    calendar: WorkingCalendar,
    *,
    after: int,
    before: int,
) -> dict[date, tuple[date, date]]:
    """For each day held: the last day a letter is in time (``after`` working days
    later) and the last day a plan counts as shared (``before`` working days earlier).
    One entry a distinct day, never one a review."""
    found = {}
    for day in days:
        shared_by = day
        remaining = before
        while remaining:
            shared_by -= timedelta(days=1)
            if calendar.is_working_day(shared_by):
                remaining -= 1
        found[day] = (calendar.add_working_days(day, after) if after else day, shared_by)
    return found


SECTIONS = ("reviews", "codes", "consultations", "letters", "said", "feedback")


def sections(
    current: Counts, previous: Counts, measure: ParticipationMeasure
) -> list[tuple[str, list[Line]]]:
    """The report's tables, in order: each a list of lines, this period beside the last.

    A line whose figure is None is "not recorded" (no letters or plans held yet).
    """
    builders = {
        "reviews": lambda c: review_figures(c, measure),
        "codes": code_figures,
        "consultations": consultation_figures,
        "letters": letter_figures,
        "said": children_said_figures,
        "feedback": feedback_figures,
    }
    found = []
    for name in SECTIONS:
        now, before = builders[name](current), builders[name](previous)
        keys = list((now or before or _letter_keys()).keys())
        found.append(
            (
                name,
                [Line(key, (now or {}).get(key), (before or {}).get(key)) for key in keys],
            )
        )
    return found


def _letter_keys() -> dict[str, None]:
    return dict.fromkeys(
        ("letters.published", "letters.in_timescale", "letters.opened", "plans.shared")
    )
