"""When an answer means a child may not be safe."""

from __future__ import annotations

from typing import Protocol

from portal.domain.roles import InviteeRole


class AskedQuestion(Protocol):
    # Answers that mean the child may not be safe, as a questionnaire declares them.
    @property
    def safety_values(self) -> frozenset[str]: ...


def is_unsafe_answer(question: AskedQuestion, value: str | None) -> bool:
    return value is not None and value in question.safety_values


def raises_concern(
    role: str, question: AskedQuestion, previous: str | None, new: str | None
) -> bool:
    """A new concern when a child's own answer becomes unsafe.

    Only the child's answers count: "do you feel safe at home?" asked of a parent, a
    carer or a teacher is about them, and an alert that a child is unsafe must come from
    the child. Saving the same unsafe answer again (say, pressing Continue twice) does not
    raise a second one; changing to a safe answer and back does, because that is news the
    IRO needs even after they acted on the first.
    """
    if role != InviteeRole.CHILD:
        return False
    return is_unsafe_answer(question, new) and not is_unsafe_answer(question, previous)
