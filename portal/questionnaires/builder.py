"""Build a WTForms form for one step of a declared consultation form."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.domain.text import clean_answer_text
from portal.questionnaires.declarations import (
    AnswerType,
    Question,
    Questionnaire,
    Step,
    form_version,
)
from portal.web import messages
from portal.web.forms import PortalForm

MAX_PARAGRAPH = 20_000
MAX_LINE = 500


class ChoiceField(RadioField):
    """Radios where leaving all unticked is allowed unless the question is required."""

    def pre_validate(self, form: Any) -> None:
        if self.data in (None, ""):
            return
        if self.data not in {choice.value for choice in self.choices or ()}:
            raise ValidationError(str(messages.CHOOSE_AN_OPTION))


def _too_long(limit: int) -> str:
    message = str(messages.ANSWER_TOO_LONG % {"max": format_decimal(limit)})
    return message.replace("%", "%%")  # WTForms applies % formatting once more


def _field(question: Question) -> Field:
    hint = _(question.hint) if question.hint else ""
    presence = (
        [
            InputRequired(
                message=_(question.required_message)
                if question.required_message
                else str(messages.CHOOSE_AN_OPTION)
            )
        ]
        if question.required
        else [Optional()]
    )
    if question.type in (AnswerType.CHOICE, AnswerType.FACES):
        return ChoiceField(
            _(question.label),
            description=hint,
            choices=[
                SelectChoice(value=option.value, label=_(option.label))
                for option in question.options
            ],
            validators=presence,
        )
    limit = MAX_PARAGRAPH if question.type == AnswerType.TEXT else MAX_LINE
    field_class = TextAreaField if question.type == AnswerType.TEXT else StringField
    return field_class(
        _(question.label),
        description=hint,
        filters=[clean_answer_text],
        validators=[
            *presence,
            # Formatted here so the number reads as the locale writes it ("20,000").
            Length(max=limit, message=_too_long(limit)),
        ],
    )


@lru_cache(maxsize=512)
def _form_class(form_key: str, version: int, step_key: str, locale: str) -> type[FlaskForm]:
    # Labels are translated once per locale and kept: building the class is most of the
    # cost of a step page, and the declarations never change while the app runs.
    step = form_version(form_key, version).step(step_key)
    assert step is not None
    return type(
        f"StepForm_{form_key}_{step_key}", (PortalForm,), {q.key: _field(q) for q in step.questions}
    )


def step_form(
    form: Questionnaire,
    step: Step,
    *,
    formdata: Any = None,
    saved: Mapping[str, str] | None = None,
) -> FlaskForm:
    form_class = _form_class(form.key, form.version, step.key, str(get_locale()))
    if formdata is not None:
        return form_class(formdata=formdata)
    return form_class(formdata=None, data=dict(saved or {}))


def values_of(form: FlaskForm, step: Step) -> dict[str, str | None]:
    return {q.key: (form[q.key].data or None) for q in step.questions}


def posted_answers(step: Step, posted: Mapping[str, str]) -> dict[str, str]:
    """What to park from a post we could not accept: this step's fields, nothing else,
    none longer than an answer can be."""
    return {q.key: posted[q.key][:MAX_PARAGRAPH] for q in step.questions if q.key in posted}
