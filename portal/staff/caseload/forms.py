"""Forms for children's records and their reviews."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.domain.languages import KNOWN_LOCALES
from portal.domain.text import clean_answer_text
from portal.domain.timescales import today_in_england
from portal.models import CommunicationNeed
from portal.staff.labels import REVIEW_KIND
from portal.web.fields import DateInputField
from portal.web.forms import PortalForm


def choices(pairs: list[tuple[str, Any]] | list[tuple[int, Any]]) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def _language_choices() -> list[SelectChoice]:
    shown_in = get_locale() or Locale("en", "GB")
    return choices(
        [(code, Locale.parse(code).get_display_name(shown_in) or code) for code in KNOWN_LOCALES]
    )


def _not_in_future(form: FlaskForm, field: Field) -> None:
    if field.data and field.data > today_in_england():
        raise ValidationError(str(_l("The date must be today or in the past")))


class ChildForm(PortalForm):
    preferred_name = StringField(
        _l("Preferred name"),
        description=_l("The name the child or young person likes to be called."),
        filters=[clean_answer_text],
        validators=[
            InputRequired(message=_l("Enter the child's preferred name")),
            Length(max=100, message=_l("The name must be 100 characters or fewer")),
        ],
    )
    date_of_birth = DateInputField(
        _l("Date of birth"),
        validators=[
            InputRequired(message=_l("Enter the child's date of birth")),
            _not_in_future,
        ],
    )
    came_into_care_on = DateInputField(
        _l("Date they came into care"),
        description=_l("The first review is due within 20 working days of this date."),
        validators=[
            InputRequired(message=_l("Enter the date they came into care")),
            _not_in_future,
        ],
    )
    uasc = BooleanField(_l("Unaccompanied asylum-seeking child"))
    preferred_language = SelectField(_l("Preferred language"), choices=[])
    communication_needs = SelectMultipleField(
        _l("Communication needs"),
        description=_l("Select all that apply."),
        choices=choices(
            [
                (CommunicationNeed.INTERPRETER.value, _l("Interpreter")),
                (CommunicationNeed.READ_ALOUD.value, _l("Read aloud")),
                (CommunicationNeed.EASY_READ.value, _l("Easy read")),
                (CommunicationNeed.SYMBOLS.value, _l("Symbols")),
            ]
        ),
        validate_choice=True,
    )
    iro_id = SelectField(_l("IRO"), coerce=int, choices=[])

    def __init__(self, *args: Any, iros: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preferred_language.choices = _language_choices()
        self.iro_id.choices = choices(iros)

    def validate_came_into_care_on(self, field: Field) -> None:
        born = self.date_of_birth.data
        if born and field.data and field.data < born:
            raise ValidationError(str(_l("They cannot have come into care before they were born")))


class ReviewForm(PortalForm):
    kind = SelectField(
        _l("Type of review"),
        choices=choices([(kind.value, label) for kind, label in REVIEW_KIND.items()]),
    )
    planned_on = DateInputField(
        _l("Date"), validators=[InputRequired(message=_l("Enter the date of the review"))]
    )
    planned_time = TimeField(
        _l("Time (optional)"),
        description=_l("For example 16:00"),
        validators=[Optional()],
    )
    venue = StringField(
        _l("Venue (optional)"),
        description=_l("Where the child would like it, for example at home or at school."),
        filters=[clean_answer_text],
        validators=[Length(max=200, message=_l("The venue must be 200 characters or fewer"))],
    )


class ReviewStatusForm(PortalForm):
    status = SelectField(_l("New status"), choices=[])
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed for every change except the review being held."),
        filters=[clean_answer_text],
        validators=[Length(max=2000, message=_l("The reason must be 2000 characters or fewer"))],
    )
    new_date = DateInputField(_l("New date (if rearranged)"), validators=[Optional()])
