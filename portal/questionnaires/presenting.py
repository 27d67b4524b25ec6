"""Answers laid out for the IRO: each with the question it answered, in form order."""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain.text import has_direction_controls
from portal.models import Answer, Consultation
from portal.questionnaires.declarations import (
    AnswerType,
    Question,
    Questionnaire,
    form_version,
)


@dataclass(frozen=True)
class AnsweredQuestion:
    step_title: str
    question: Question
    answer: Answer

    @property
    def is_text(self) -> bool:
        return self.question.type in (AnswerType.TEXT, AnswerType.SHORT_TEXT)

    @property
    def chosen_label(self) -> str:
        """The English label of a chosen option (IROs read questions in English)."""
        for option in self.question.options:
            if option.value == self.answer.value:
                return option.label
        return self.answer.value

    @property
    def has_direction_controls(self) -> bool:
        return has_direction_controls(self.answer.value)


def _locate(form: Questionnaire, key: str) -> tuple[int, int, str, Question] | None:
    for step_index, step in enumerate(form.steps):
        for question_index, question in enumerate(step.questions):
            if question.key == key:
                return step_index, question_index, step.title, question
    return None


def answered_questions(consultation: Consultation) -> list[AnsweredQuestion]:
    """Every answer in the current form's order; answers to questions it lacks follow.

    The question shown is always the one from the form and version the answer was
    given to, so changing a form never changes what an old answer appears to say.
    """
    current = form_version(consultation.form_key, consultation.form_version)
    rows: list[tuple[tuple[int, int, int], AnsweredQuestion]] = []
    for answer in consultation.answers:
        answered_in = form_version(answer.form_key, answer.form_version)
        where = _locate(answered_in, answer.question_key)
        if where is None:
            continue
        _s, _q, step_title, question = where
        in_current = _locate(current, answer.question_key)
        order = (0, in_current[0], in_current[1]) if in_current else (1, where[0], where[1])
        rows.append((order, AnsweredQuestion(step_title, question, answer)))
    rows.sort(key=lambda pair: pair[0])
    return [row for _order, row in rows]
