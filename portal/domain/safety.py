"""When an answer means a child may not be safe."""

from __future__ import annotations

from portal.questionnaires.declarations import Question


def is_unsafe_answer(question: Question, value: str | None) -> bool:
    return value is not None and value in question.safety_values


def raises_concern(question: Question, previous: str | None, new: str | None) -> bool:
    """A new concern when an answer becomes unsafe.

    Saving the same unsafe answer again (say, pressing Continue twice) does not
    raise a second one; changing to a safe answer and back does, because that
    is news the IRO needs even after they acted on the first.
    """
    return is_unsafe_answer(question, new) and not is_unsafe_answer(question, previous)
