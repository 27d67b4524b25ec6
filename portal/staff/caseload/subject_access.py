"""Everything held about a child, laid out as one document a person can read.

The data comes from ``portal.data.subject_access``; this puts each answer beside the
question it answered (in English, from the form and version it was given to) and
keeps what the person wrote exactly as they wrote it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from flask import render_template

from portal.data import caseload
from portal.data.subject_access import EverythingHeld
from portal.domain.text import has_direction_controls
from portal.models import Answer, Consultation, ParkedAnswers, StaffUser, utcnow
from portal.questionnaires.declarations import AnswerType, Question, Questionnaire, form_version
from portal.staff.audit_trail.forms import action_label, record_label


@dataclass(frozen=True)
class ShownAnswer:
    """One answer and the question it answered; the question is in English."""

    step_title: str
    question: str
    value: str  # as written, or the English words of the option chosen
    language: str
    private: bool
    written: bool  # typed by the person, rather than an option chosen
    has_direction_controls: bool
    saved_at: datetime | None = None
    # Who the person chose may read it (portal.domain.audiences), for answers saved.
    audience: str | None = None


def _form(key: str, version: int) -> Questionnaire | None:
    try:
        return form_version(key, version)
    except KeyError:
        return None


def _locate(form: Questionnaire | None, key: str) -> tuple[str, Question] | None:
    if form is None:
        return None
    for step in form.steps:
        for question in step.questions:
            if question.key == key:
                return step.title, question
    return None


def _shown(form: Questionnaire | None, key: str, value: str, language: str) -> ShownAnswer:
    found = _locate(form, key)
    if found is None:
        # A question no form declares any more: the answer is still held, so it is shown.
        return ShownAnswer("", key, value, language, False, True, has_direction_controls(value))
    step_title, question = found
    written = question.type in (AnswerType.TEXT, AnswerType.SHORT_TEXT)
    shown = value
    if not written:
        shown = next((o.label for o in question.options if o.value == value), value)
    return ShownAnswer(
        step_title,
        question.label,
        shown,
        language,
        question.private,
        written,
        has_direction_controls(value),
    )


def shown_answers(answers: list[Answer]) -> list[ShownAnswer]:
    """Every answer held, in the order saved, with the question of its own form version."""
    return [
        replace(
            _shown(_form(a.form_key, a.form_version), a.question_key, a.value, a.language),
            saved_at=a.saved_at,
            audience=a.audience,
        )
        for a in answers
    ]


def shown_parked(consultation: Consultation, parked: ParkedAnswers) -> list[ShownAnswer]:
    """Answers kept after a session ended: what was posted, exactly."""
    try:
        posted = json.loads(parked.payload)
    except ValueError:
        posted = {"": parked.payload}
    form = _form(consultation.form_key, consultation.form_version)
    language = consultation.invitation.language
    return [
        _shown(form, str(key), str(value), language)
        for key, value in (posted.items() if isinstance(posted, dict) else [])
    ]


def question_label(consultation: Consultation, key: str) -> str:
    found = _locate(_form(consultation.form_key, consultation.form_version), key)
    return found[1].label if found is not None else key


def render(held: EverythingHeld, downloaded_by: StaffUser) -> str:
    return render_template(
        "staff/caseload/everything.html",
        held=held,
        child=held.child,
        downloaded_by=downloaded_by,
        now=utcnow(),
        state_of=caseload.state_of,
        shown_answers=shown_answers,
        shown_parked=shown_parked,
        question_label=question_label,
        form_of=_form,
        action_label=action_label,
        record_label=record_label,
    )
