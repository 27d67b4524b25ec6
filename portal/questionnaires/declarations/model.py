"""The shapes a consultation form is declared in: forms, steps, questions and options."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


def N_(text: str) -> str:
    """Mark text for translation without translating it here."""
    return text


class AnswerType(StrEnum):
    TEXT = "text"  # a paragraph
    SHORT_TEXT = "short_text"  # a line
    CHOICE = "choice"  # one of several options
    FACES = "faces"  # one of five faces, each with words


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    picture: str | None = None


@dataclass(frozen=True)
class Question:
    key: str
    type: AnswerType
    label: str
    hint: str | None = None
    options: tuple[Option, ...] = ()
    required: bool = False
    required_message: str | None = None
    # Answers that mean the child may not be safe: the IRO is flagged the moment one is saved.
    safety_values: frozenset[str] = frozenset()
    # Shown to the IRO only, never to parents or carers.
    private: bool = False


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None


@dataclass(frozen=True)
class Questionnaire:
    key: str
    version: int
    name: str
    steps: tuple[Step, ...]
    switch_label: str = ""  # the button that moves a child to this version
    simpler: str | None = None
    question_index: dict[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, Question] = {}
        for step in self.steps:
            for question in step.questions:
                if question.key in index:
                    raise ValueError(f"{self.key}: question {question.key} appears twice")
                index[question.key] = question
        object.__setattr__(self, "question_index", index)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    def question(self, key: str) -> Question | None:
        return self.question_index.get(key)
