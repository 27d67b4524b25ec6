"""Feedback after a review: who is asked, the questions, and what counts as "yes".

Asked of the child, parents and carers who were invited to give their views, once the
review is held (North Yorkshire asked by postcard; returns fell, and children asked for
an electronic way). Each answers in under two minutes: one face and six quick questions,
every one of which may be skipped, and a line about what would make it better.

Plain Python, no Flask: the words are the web layer's.
"""

from __future__ import annotations

from enum import StrEnum

from portal.domain.roles import InviteeRole

# Professionals give their views at the meeting itself and in their own services'
# feedback; the issue asks children, parents and carers.
ASKED_ROLES = frozenset({InviteeRole.CHILD, InviteeRole.PARENT, InviteeRole.CARER})


class Face(StrEnum):
    GREAT = "great"
    GOOD = "good"
    OKAY = "okay"
    NOT_GOOD = "not_good"


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


# The yes-or-no questions, in the order asked; each is a column of review_feedback.
QUESTIONS = (
    "right_place",
    "right_day",
    "right_time",
    "asked_who_should_come",
    "listened_to",
    "understand_decisions",
)

# North Yorkshire reported "excellent" and "good": the faces that count as each.
REPORTED_FACES = (Face.GREAT, Face.GOOD, Face.OKAY, Face.NOT_GOOD)


def is_asked(role: str, *, review_held: bool, revoked: bool) -> bool:
    """Whether this invited person is asked for feedback on the review."""
    return review_held and not revoked and role in ASKED_ROLES
