"""Who may read each answer: the child chooses, beside every answer in their own words.

A child writing to their IRO before their review decides, answer by answer, whether it
is for their IRO only, for their IRO and their social worker, or for everyone at the
meeting about them. The authority sets which of these a new answer starts at; the child
can change it, before and after sending, until the review is held (after that the
record of the meeting has been made, so a change could no longer be kept).

Some answers are always for the IRO only, whatever is chosen:

- questions declared private ("Is there anything you want to tell only your IRO?"):
  the form promises the child their IRO will not share it;
- questions whose answer can say the child may not be safe ("Do you feel safe where you
  live?"): the IRO must act on it, and decides who is told; it must never reach the
  meeting, where the person the child fears may be, because a box was left at its
  default.

Parents' and carers' answers are for the IRO only: they are not offered the choice,
and a meeting record is the child's. Answers written before the choice existed are
for the IRO only too (the database's default for them): the only promise those pages
made was "your IRO will read them", so nothing a child wrote then is put in front of
a meeting without their say. The IRO still shares what they judge right, as before.

Plain Python, no Flask.
"""

from __future__ import annotations

from enum import StrEnum

from portal.domain.reviews import Status as ReviewStatus
from portal.domain.roles import InviteeRole


class Audience(StrEnum):
    """Who an answer is for, narrowest first."""

    IRO = "iro"  # "only my IRO"
    IRO_AND_SOCIAL_WORKER = "iro_social_worker"  # "my IRO and my social worker"
    MEETING = "meeting"  # "everyone at my meeting"


# Answers stored before the choice existed, and any answer no rule below places.
SAFE_DEFAULT = Audience.IRO
# Where a new authority starts (each authority sets its own): a child's views are
# for their review meeting unless they say otherwise.
AUTHORITY_DEFAULT = Audience.MEETING


class Reader(StrEnum):
    """Who reads a staff page or printed record."""

    IRO = "iro"  # the IRO's own screen, and the full record for the case file
    SOCIAL_WORKER = "social_worker"
    MEETING = "meeting"  # the printable record for the review meeting


READS: dict[Reader, frozenset[Audience]] = {
    Reader.IRO: frozenset(Audience),
    Reader.SOCIAL_WORKER: frozenset({Audience.IRO_AND_SOCIAL_WORKER, Audience.MEETING}),
    Reader.MEETING: frozenset({Audience.MEETING}),
}


def parse(value: str | None) -> Audience | None:
    """The audience a posted or stored value names, or None if it names none."""
    try:
        return Audience(value or "")
    except ValueError:
        return None


def may_read(reader: Reader, audience: str) -> bool:
    """Whether this reader may see an answer stored with this audience.

    An audience the portal does not know (a value from the future, a typo in the
    database) is treated as the narrowest: for the IRO only.
    """
    return (parse(audience) or SAFE_DEFAULT) in READS[reader]


def chooses_audience(role: str) -> bool:
    """Only children choose who reads their answers (see the module's docstring)."""
    return role == InviteeRole.CHILD


def always_for_the_iro(*, private: bool, may_raise_concern: bool) -> bool:
    """A question whose answers are for the IRO only, whatever is chosen."""
    return private or may_raise_concern


def may_change(review_status: str) -> bool:
    """A child may change who reads their answers until their review is held."""
    return review_status != ReviewStatus.HELD


def audience_for(
    *,
    fixed: bool,
    chooses: bool,
    chosen: str | None,
    previous: str | None,
    default: str,
    locked: bool = False,
) -> Audience:
    """The audience to store with an answer being saved.

    ``fixed``: the question is always for the IRO only. ``chooses``: the person
    answering may choose. ``chosen``: what they chose on the page (None if the page
    did not say). ``previous``: what the answer had before (None for a new answer).
    ``default``: the authority's. ``locked``: the review has been held.
    """
    if fixed or not chooses:
        return Audience.IRO
    before = parse(previous)
    if locked and before is not None:
        return before
    return parse(chosen) or before or parse(default) or SAFE_DEFAULT


def left_out(reader: Reader, audiences: list[str]) -> int:
    """How many of these answers a record for this reader leaves out."""
    return sum(1 for audience in audiences if not may_read(reader, audience))
