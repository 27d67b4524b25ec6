"""A child asking for an advocate: a request someone acts on.

When a child says "Yes" to "Would you like an advocate?", their IRO's caseload shows
it, and when they send their form the authority's advocacy service is emailed once,
with only what it needs to get in touch: the child's first name, the review date and
the IRO team's phone number. Never the child's answers: the advocate hears those from
the child.

Plain Python, no Flask.
"""

from __future__ import annotations

from portal.domain.roles import InviteeRole

QUESTION_KEY = "wants_advocate"
YES = "yes"
PURPOSE = "advocacy"


def asks_for_an_advocate(role: str, answers: dict[str, str]) -> bool:
    """Whether a child's saved answers ask for an advocate ("I'm not sure" does not)."""
    return role == InviteeRole.CHILD and answers.get(QUESTION_KEY) == YES


def once_key(consultation_id: int) -> str:
    """What makes the advocacy service hear of one consultation's request once only."""
    return f"advocacy:{consultation_id}"


def first_name(preferred_name: str) -> str:
    """The first word of the name the child likes to be called (the whole of it if one)."""
    words = preferred_name.split()
    return words[0] if words else preferred_name
