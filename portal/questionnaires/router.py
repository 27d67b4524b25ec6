"""Which page comes next in a consultation."""

from __future__ import annotations

from dataclasses import dataclass

from portal.questionnaires.declarations import Questionnaire

CHECK_ANSWERS = "check"


@dataclass(frozen=True)
class Position:
    number: int  # 1-based
    total: int


def position(form: Questionnaire, step_key: str) -> Position:
    keys = [s.key for s in form.steps]
    return Position(keys.index(step_key) + 1, len(keys))


def first_step(form: Questionnaire) -> str:
    return form.steps[0].key


def next_step(form: Questionnaire, step_key: str, *, changing: bool = False) -> str:
    """The step after ``step_key``; back to check answers after a change or the last step."""
    if changing:
        return CHECK_ANSWERS
    keys = [s.key for s in form.steps]
    index = keys.index(step_key)
    return keys[index + 1] if index + 1 < len(keys) else CHECK_ANSWERS


def previous_step(form: Questionnaire, step_key: str) -> str | None:
    keys = [s.key for s in form.steps]
    if step_key == CHECK_ANSWERS:
        return keys[-1]
    index = keys.index(step_key)
    return keys[index - 1] if index > 0 else None


def resume_step(form: Questionnaire, saved_step: str | None) -> str:
    """Where a returning child carries on: the page they reached, if this form still has it."""
    if saved_step == CHECK_ANSWERS:
        return CHECK_ANSWERS
    if saved_step and form.step(saved_step):
        return saved_step
    return first_step(form)
