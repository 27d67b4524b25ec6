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

from portal.domain.audiences import Audience, always_for_the_iro
from portal.domain.text import clean_answer_text
from portal.questionnaires.declarations import (
    AnswerType,
    Question,
    Questionnaire,
    Step,
    form_version,
)
from portal.questionnaires.declarations.model import N_
from portal.questionnaires.declarations.registry import FORMS_BY_AGE_BAND
from portal.web import messages
from portal.web.forms import PortalForm

MAX_PARAGRAPH = 20_000
MAX_LINE = 500
# Beside a question answered in the child's own words, the field saying who may read it.
AUDIENCE_SUFFIX = "__audience"
# What a child reads beside each answer (portal.domain.audiences), narrowest first.
AUDIENCE_CHOICES = (
    (Audience.IRO, N_("Only my IRO")),
    (Audience.IRO_AND_SOCIAL_WORKER, N_("My IRO and my social worker")),
    (Audience.MEETING, N_("Everyone at my meeting")),
)


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


def audience_field_name(question_key: str) -> str:
    return question_key + AUDIENCE_SUFFIX


def asks_who_reads(form: Questionnaire, question: Question) -> bool:
    """Whether a child answering this question chooses, beside it, who may read it.

    Children's forms only (grown-ups do not choose), questions answered in their own
    words only, and never a question that is always for the IRO alone (a private one,
    or one whose answer can say the child is not safe): see portal.domain.audiences.
    """
    return (
        form.key in FORMS_BY_AGE_BAND
        and question.type in (AnswerType.TEXT, AnswerType.SHORT_TEXT)
        and not always_for_the_iro(
            private=question.private, may_raise_concern=bool(question.safety_values)
        )
    )


def audience_field() -> Field:
    """Who may read an answer: one of AUDIENCE_CHOICES, or nothing said."""
    return ChoiceField(
        _("Who can read this answer?"),
        choices=[
            SelectChoice(value=value.value, label=_(label)) for value, label in AUDIENCE_CHOICES
        ],
        validators=[Optional()],
    )


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
    form = form_version(form_key, version)
    step = form.step(step_key)
    assert step is not None
    fields: dict[str, Field] = {}
    for question in step.questions:
        fields[question.key] = _field(question)
        if asks_who_reads(form, question):
            fields[audience_field_name(question.key)] = audience_field()
    return type(f"StepForm_{form_key}_{step_key}", (PortalForm,), fields)


def step_form(
    form: Questionnaire,
    step: Step,
    *,
    formdata: Any = None,
    saved: Mapping[str, str] | None = None,
    audiences: Mapping[str, str] | None = None,
    default_audience: str | None = None,
) -> FlaskForm:
    """The step's form: from a post (``formdata``), or drawn with the ``saved`` answers
    and, beside each answer in the child's own words, who may read it: ``audiences``
    (by question) for answers that have one, else ``default_audience``."""
    form_class = _form_class(form.key, form.version, step.key, str(get_locale()))
    if formdata is not None:
        return form_class(formdata=formdata)
    data: dict[str, str | None] = dict(saved or {})
    for question in step.questions:
        if asks_who_reads(form, question):
            data[audience_field_name(question.key)] = (audiences or {}).get(
                question.key, default_audience
            )
    return form_class(formdata=None, data=data)


def values_of(form: FlaskForm, step: Step) -> dict[str, str | None]:
    return {q.key: (form[q.key].data or None) for q in step.questions}


def audiences_of(form: FlaskForm, step: Step) -> dict[str, str | None]:
    """Who the child chose may read each answer on the page (None where it did not say)."""
    return {
        q.key: (form[audience_field_name(q.key)].data or None)
        for q in step.questions
        if audience_field_name(q.key) in form
    }


def posted_answers(step: Step, posted: Mapping[str, str]) -> dict[str, str]:
    """What to park from a post we could not accept: this step's fields, nothing else,
    none longer than an answer can be."""
    kept = {q.key: posted[q.key][:MAX_PARAGRAPH] for q in step.questions if q.key in posted}
    for question in step.questions:
        name = audience_field_name(question.key)
        if name in posted and posted[name] in set(Audience):
            kept[name] = posted[name]
    return kept
